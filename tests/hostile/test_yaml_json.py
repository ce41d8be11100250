"""Hostile YAML and JSON: alias bombs, deep nesting, duplicate keys, tags, bad bytes — refused quickly,
with one message naming the file, through the API and the CLI (exit 2, no traceback)."""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

import pytest

from envplan_core.cli import main
from envplan_core.data.inventory import read_inventory
from envplan_core.errors import DataError, PlanError
from envplan_core.responsible import load_units_file
from envplan_core.safeload import InputFormatError, load_json, load_yaml

BOMB = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", "1")


def _cli(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--plugins", "", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(code: int, err: str, name: str) -> str:
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert name in lines[0]
    return lines[0]


def test_billion_laughs_is_refused_fast_and_small(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 400
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(DataError, match="alias bomb") as info:
        read_inventory(path)
    assert info.value.file == str(path)
    assert time.perf_counter() - start < 2.0
    # ru_maxrss is in KiB on Linux: the refusal may not grow the process by 200 MB.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024
    code, _, err = _cli("evaluate", "--inventory", str(path), "--as-of", "2023-12-31", capsys=capsys)
    _one_line(code, err, "bomb.yaml")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("a: &a [*a]", "recursive alias"),
        ("[" * 50_000 + "]" * 50_000, "nested"),
        ("records:\n  - {id: b1, kind: boiler, capacity: 20 t/h, capacity: 50 t/h}", "duplicate key 'capacity'"),
        ("records:\n  - id: b1\n    kind: boiler\n    capacity: 20 t/h\n    capacity: 50 t/h", "line 5"),
        ("!!python/object/apply:os.system ['echo pwned']", "constructor"),
        ("records: [1, 2", "not valid YAML"),
    ],
)
def test_hostile_yaml_inventory(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, why: str) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=why) as info:
        read_inventory(path)
    assert info.value.file == str(path)
    code, _, err = _cli("evaluate", "--inventory", str(path), "--as-of", "2023-12-31", capsys=capsys)
    _one_line(code, err, "inv.yaml")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('{"records": [{"id": "b1", "kind": "boiler", "capacity": "20 t/h", "capacity": "50 t/h"}]}', "duplicate key"),
        ("[" * 100_000 + "]" * 100_000, "nested"),
        ('{"records": [', "not valid JSON"),
    ],
)
def test_hostile_json_inventory(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, why: str) -> None:
    path = tmp_path / "inv.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=why):
        read_inventory(path)
    code, _, err = _cli("evaluate", "--inventory", str(path), "--as-of", "2023-12-31", capsys=capsys)
    _one_line(code, err, "inv.json")


def test_undecodable_bytes_and_directories_name_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"records:\n  - id: \xff\xfe\x80\x81\n")
    with pytest.raises(DataError, match="not UTF-8 or GB18030") as info:
        read_inventory(path)
    assert info.value.file == str(path) and info.value.row == 2
    with pytest.raises(DataError, match="is a directory"):
        read_inventory(tmp_path)


def test_a_malformed_units_file_is_a_plan_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "units.yaml"
    path.write_text("units:\n  - id: a\n    id: b\n", encoding="utf-8")
    with pytest.raises(PlanError, match=r"units\.yaml.*duplicate key 'id'"):
        load_units_file(path)
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(PlanError, match="not UTF-8"):
        load_units_file(path)


def test_plain_yaml_keeps_dates_and_times_as_text_and_numbers_as_numbers() -> None:
    assert load_yaml("a: 10:00\nb: 2023-05-10\nc: 1.5\nd: 12\ne: 1.0e+5") == {
        "a": "10:00",
        "b": "2023-05-10",
        "c": 1.5,
        "d": 12,
        "e": 100000.0,
    }
    assert load_json('{"a": [1, {"b": null}]}') == {"a": [1, {"b": None}]}
    with pytest.raises(InputFormatError, match="line 2"):
        load_yaml("a: 1\na: 2\n")
    assert json.loads("{}") == {}


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN"])
def test_not_a_number_in_an_inventory_is_an_error_naming_the_path(tmp_path: Path, value: str) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(f"records:\n  - {{id: b1, kind: boiler, capacity: {value}}}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"\$\.records\[0\]\.capacity"):
        read_inventory(path)

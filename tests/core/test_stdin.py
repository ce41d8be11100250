"""Issue 10: ``-`` reads standard input for every input option; ``--observations`` takes a Parquet folder.

Standard input is spooled as bytes to a temporary file whose suffix is sniffed from the first bytes, so
the readers (and their encoding sniffing) see exactly what a file would give them.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from envplan_core.cli import main
from envplan_core.commands.base import _stdin_suffix

WATER = Path(__file__).resolve().parents[2] / "plugins" / "water" / "envplan_water" / "examples"
AIR = Path(__file__).resolve().parents[2] / "plugins" / "air" / "envplan_air" / "examples"


def _pipe(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _statuses(out: str) -> dict[str, str]:
    return {f["id"]: f["status"] for f in json.loads(out)["findings"]}


@pytest.mark.parametrize(
    ("head", "suffix"),
    [
        (b"PK\x03\x04\x14\x00", ".xlsx"),
        (b"PAR1\x15\x04", ".parquet"),
        (b'{"records": []}', ".json"),
        (b"  [\n {}]", ".json"),
        (b"\xef\xbb\xbf# comment\nrecords:\n  - id: a\n", ".yaml"),
        (b"- id: a\n  kind: outfall\n", ".yaml"),
        (b"task,status,date,note\nwater.task.1,done,2023-05-01,\n", ".csv"),
        (b"\xef\xbb\xbfsite,parameter,time,value,unit\n", ".csv"),
        ("站点,参数,时间,数值,单位\n".encode("gb18030"), ".csv"),
        (b"site,time\nA,2023-01-01T00:00\n", ".csv"),  # a colon in a value, not a YAML key
    ],
)
def test_the_suffix_of_standard_input_is_sniffed(head: bytes, suffix: str) -> None:
    assert _stdin_suffix(head) == suffix


def test_progress_from_standard_input_gives_the_same_verdicts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ("evaluate", "--plan", "water", "--as-of", "2024-01-31", "-f", "json")
    code, out, _ = _run(capsys, *argv, "--progress", str(WATER / "progress.csv"))
    assert code == 0
    _pipe(monkeypatch, (WATER / "progress.csv").read_bytes())
    code, piped, _ = _run(capsys, *argv, "--progress", "-")
    assert code == 0
    assert _statuses(piped) == _statuses(out)
    assert "overdue" in _statuses(piped).values() or "done" in _statuses(piped).values()


@pytest.mark.parametrize("name", ["inventory.yaml", "inventory.json"])
def test_inventory_from_standard_input_yaml_or_json(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = WATER / "inventory.yaml"
    if name.endswith(".json"):
        import yaml

        data: Any = yaml.safe_load(source.read_text(encoding="utf-8"))
        source = tmp_path / name
        source.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    argv = ("evaluate", "--plan", "water", "--as-of", "2024-01-31", "-f", "json")
    code, out, err = _run(capsys, *argv, "--inventory", str(source))
    assert code == 0, err
    _pipe(monkeypatch, source.read_bytes())
    code, piped, err = _run(capsys, *argv, "--inventory", "-")
    assert code == 0, err
    assert _statuses(piped) == _statuses(out)


def test_classify_reads_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "classify", "surface-water", str(WATER / "observations.csv"), "-f", "json")
    assert code == 0
    _pipe(monkeypatch, (WATER / "observations.csv").read_bytes())
    code, piped, _ = _run(capsys, "classify", "surface-water", "-", "-f", "json")
    assert code == 0
    assert json.loads(piped) == json.loads(out)


def test_standard_input_is_read_once(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _pipe(monkeypatch, (WATER / "progress.csv").read_bytes())
    code, out, err = _run(capsys, "evaluate", "--as-of", "2024-01-31", "--progress", "-", "--inventory", "-")
    assert code == 2 and out == ""
    assert "can be given only once" in err and "Traceback" not in err


def test_empty_standard_input_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _pipe(monkeypatch, b"")
    code, _, err = _run(capsys, "evaluate", "--as-of", "2024-01-31", "--progress", "-")
    assert code == 2 and "standard input is empty" in err


def test_an_error_in_standard_input_names_row_and_column(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _pipe(monkeypatch, b"task,status,date,note\nwater.task.1,done,2023-13-45,\n")
    code, _, err = _run(capsys, "evaluate", "--as-of", "2024-01-31", "--progress", "-")
    assert code == 2
    assert "<stdin>, row 2, column 'date'" in err and "envplan-stdin" not in err  # not the temporary path


def test_standard_input_is_named_stdin_in_reports_and_evidence(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    progress = (AIR / "progress.csv").read_bytes()
    _pipe(monkeypatch, progress)
    code, out, _ = _run(capsys, "evaluate", "--as-of", "2023-12-31", "--progress", "-", "-f", "json")
    assert code == 0 and '"<stdin>:' in out and "envplan-stdin" not in out  # evidence: "<stdin>:8"
    _pipe(monkeypatch, progress)
    code, out, _ = _run(capsys, "evaluate", "--as-of", "2023-12-31", "--progress", "-", "-f", "markdown")
    assert code == 0 and "进展 progress: \\<stdin\\>" in out


def test_evaluate_takes_a_parquet_folder_of_observations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import pyarrow.csv as pv
    import pyarrow.parquet as pq

    table = pv.read_csv(AIR / "observations.csv")
    folder = tmp_path / "obs"
    pq.write_to_dataset(table, root_path=str(folder), partition_cols=["site"])
    argv = ("evaluate", "--plan", "air", "--as-of", "2024-01-31", "-f", "json")
    code, out, err = _run(capsys, *argv, "--observations", str(AIR / "observations.csv"))
    assert code == 0, err
    code, folder_out, err = _run(capsys, *argv, "--observations", str(folder))
    assert code == 0, err
    assert _statuses(folder_out) == _statuses(out)


@pytest.mark.parametrize("command", [("aqi", "--kind", "daily"), ("air-stats",)])
def test_air_commands_read_standard_input(
    command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, command[0], str(AIR / "observations.csv"), *command[1:], "-f", "json")
    assert code == 0
    _pipe(monkeypatch, (AIR / "observations.csv").read_bytes())
    code, piped, _ = _run(capsys, command[0], "-", *command[1:], "-f", "json")
    assert code == 0
    assert json.loads(piped) == json.loads(out)


def test_reports_of_classify_and_air_stats_name_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    groundwater = AIR.parents[2] / "groundwater" / "envplan_groundwater" / "examples" / "observations.csv"
    _pipe(monkeypatch, groundwater.read_bytes())
    code, out, _ = _run(capsys, "classify", "groundwater", "-")
    assert code == 0 and "<stdin>" in out and "envplan-stdin" not in out
    _pipe(monkeypatch, (AIR / "observations.csv").read_bytes())
    code, out, err = _run(capsys, "air-stats", "-")
    assert code == 0 and "— <stdin>" in out and "envplan-stdin" not in out + err

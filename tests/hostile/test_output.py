"""--output never destroys an input, and replaces an existing file only with a complete one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from envplan_core.cli import main

DATA = "site,parameter,time,value,unit\n杨赵桥,氨氮,2023-05-10,0.8,mg/L\n杨赵桥,COD,2023-05-10,18,mg/L\n"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", "1")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--plugins", "", *argv])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink"])
def test_output_equal_to_an_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str) -> None:
    data = tmp_path / "obs.csv"
    data.write_text(DATA, encoding="utf-8")
    out = tmp_path / "out.csv"
    if how == "same":
        out = data
    elif how == "symlink":
        out.symlink_to(data)
    else:
        os.link(data, out)
    code, err = _run(capsys, "classify", "surface-water", str(data), "-f", "json", "-o", str(out))
    assert code == 2 and "refusing to overwrite an input" in err and "Traceback" not in err
    assert data.read_text(encoding="utf-8") == DATA
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_an_existing_output_is_replaced_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "obs.csv"
    data.write_text(DATA, encoding="utf-8")
    out = tmp_path / "report.json"
    out.write_text("old report", encoding="utf-8")
    code, _ = _run(capsys, "classify", "surface-water", str(data), "-f", "json", "-o", str(out))
    assert code == 0
    assert out.read_text(encoding="utf-8").lstrip().startswith("[")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["obs.csv", "report.json"]


def test_a_failed_render_leaves_the_old_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("site,parameter,time,value,unit\n杨赵桥,氨氮氮,2023-05-10,0.8,mg/L\n", encoding="utf-8")
    out = tmp_path / "report.json"
    out.write_text("old report", encoding="utf-8")
    code, _ = _run(capsys, "classify", "surface-water", str(bad), "-f", "json", "-o", str(out))
    assert code == 2
    assert out.read_text(encoding="utf-8") == "old report"


def test_output_into_a_missing_folder_or_a_directory_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(capsys, "units", "-f", "json", "-o", str(tmp_path / "no" / "such" / "x.json"))
    assert code == 2 and "does not exist" in err
    code, err = _run(capsys, "units", "-f", "json", "-o", str(tmp_path))
    assert code == 2 and "is a directory" in err


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx"])
def test_evaluate_never_writes_its_report_over_its_observations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    """The issue's case: evaluate … --observations obs.csv -f json -o obs.csv overwrote the data."""
    data = tmp_path / "obs.csv"
    data.write_text(DATA, encoding="utf-8")
    code, err = _run(capsys, "evaluate", "--observations", str(data), "--as-of", "2023-12-31", "-f", fmt, "-o", str(data))
    assert code == 2 and "refusing to overwrite an input" in err
    assert data.read_text(encoding="utf-8") == DATA


def test_calendar_output_is_protected_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    units = tmp_path / "units.yaml"
    units.write_text("units: []\n", encoding="utf-8")
    code, err = _run(capsys, "calendar", "--units-file", str(units), "-o", str(units))
    assert code == 2 and ("refusing to overwrite an input" in err or "unrecognized" in err)
    assert units.read_text(encoding="utf-8") == "units: []\n"

"""Observation values and times that would silently move, overflow or explode: refused with their row."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from envplan_core.cli import main
from envplan_core.data.observations import read_observations
from envplan_core.errors import DataError
from envplan_core.standards import default_parameters

HEAD = "site,parameter,time,value,unit\n"


def _read(tmp_path: Path, body: str) -> DataError:
    path = tmp_path / "obs.csv"
    path.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_observations(str(path), parameters=default_parameters())
    return info.value


@pytest.mark.parametrize(
    ("row", "why"),
    [
        ("S1,PM2.5,0001-01-01T00:00,35,ug/m3", "year outside 1970-2100"),
        ("S1,PM2.5,9999-12-31T23:00,35,ug/m3", "year outside 1970-2100"),
        ("S1,PM2.5,1969-12-31,35,ug/m3", "year outside 1970-2100"),
        ("S1,PM2.5,2023-12-31T10:00-99:00,35,ug/m3", "UTC offset"),
        ("S1,PM2.5,2023-12-31T10:00+15:00,35,ug/m3", "UTC offset"),
        ("S1,PM2.5,2023-12-31T10:00+08:75,35,ug/m3", "UTC offset"),
        ("S1,PM2.5,2023-12-31T11:00,1e308,ug/m3", "beyond 1e+15"),
        ("S1,PM2.5,2023-12-31T11:00,-1e300,ug/m3", "beyond 1e+15"),
        ("S1,PM2.5,2023-12-31T11:00,inf,ug/m3", "not a finite number"),
        ("S1,PM2.5,2023-12-31T11:00,3x5,ug/m3", "non-numeric value '3x5'"),
    ],
)
def test_bad_times_and_values_name_their_row(tmp_path: Path, row: str, why: str) -> None:
    error = _read(tmp_path, "S1,PM2.5,2023-12-31T09:00,35,ug/m3\n" + row + "\n")
    assert why in str(error)
    assert "row 3" in str(error)


def test_plausible_offsets_and_years_are_read(tmp_path: Path) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(
        HEAD + "S1,PM2.5,2023-12-31T10:00+14:00,35,ug/m3\nS1,PM2.5,2023-12-31T10:00-12:00,35,ug/m3\n"
        "S1,PM2.5,1970-01-01,35,ug/m3\nS1,PM2.5,2100-12-31,35,ug/m3\n",
        encoding="utf-8",
    )
    assert len(read_observations(str(path), parameters=default_parameters())) == 4


def test_two_rows_ten_thousand_years_apart_are_refused_quickly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", "1")
    path = tmp_path / "two.csv"
    path.write_text(HEAD + "S1,PM2.5,0001-01-01T00:00,35,ug/m3\nS1,PM2.5,9999-12-31T23:00,35,ug/m3\n", encoding="utf-8")
    start = time.perf_counter()
    code = main(["--plugins", "", "aqi", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and str(path) in err
    assert time.perf_counter() - start < 2.0


def test_floating_point_trouble_in_a_command_is_an_error_not_a_silent_inf(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside the CLI numpy raises on overflow, division by zero and invalid operations."""
    import numpy as np

    from envplan_core.commands import base

    monkeypatch.setenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", "1")

    def overflow(*_: object, **__: object) -> None:
        np.float64(1e308) * np.float64(10.0)

    monkeypatch.setattr(base, "write", overflow)
    code = main(["--plugins", "", "units", "-f", "json"])
    err = capsys.readouterr().err
    assert code == 2 and "arithmetic error" in err and "Traceback" not in err


def test_air_rows_spanning_more_than_fifty_years_are_refused_naming_both_ends(tmp_path: Path) -> None:
    from envplan_core.analysis.air import air_columns

    path = tmp_path / "span.csv"
    path.write_text(
        HEAD + "S1,PM2.5,1971-01-01T00:00,35,ug/m3\nS1,PM2.5,2023-01-01T00:00,35,ug/m3\n"
        "S1,PM2.5,2099-12-31T23:00,35,ug/m3\n",
        encoding="utf-8",
    )
    obs = read_observations(str(path), parameters=default_parameters())
    with pytest.raises(DataError, match="span 129 years") as info:
        air_columns(obs)
    assert info.value.row == 2 and "row 4" in str(info.value)

"""``envplan aqi`` and ``envplan air-stats``: JSON shapes (docs/cli.md), stderr notes, --county, formats."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from envplan_core.testing import run_cli

Run = Callable[..., tuple[int, str, str]]

AQI_KEYS = {"site", "kind", "time", "aqi", "level", "category_zh", "primary_pollutant", "iaqi"}
STATS_KEYS = {
    "site",
    "period",
    "rules",
    "valid_days",
    "SO2",
    "NO2",
    "PM10",
    "PM2.5",
    "CO_p95",
    "O3_8h_p90",
    "composite_index",
    "primary_pollutant",
}


@pytest.fixture
def run() -> Run:
    """The shared ``run`` (tests/plugins/conftest.py) with the core alone: ``aqi`` and ``air-stats`` are
    the core's commands."""
    return functools.partial(run_cli, plugins=())


@pytest.fixture
def obs_file(tmp_path: Path) -> Path:
    """Two stations, 3 days hourly of the six pollutants, one county dust-fall row, one daily PM2.5 row."""
    rng = np.random.default_rng(7)
    hours = pd.date_range("2023-01-01", "2023-01-03 23:00", freq="h").strftime("%Y-%m-%dT%H:%M")
    rows = []
    for site in ("站A", "站B"):
        for p, unit, level in (
            ("PM2.5", "µg/m³", 90),
            ("PM10", "µg/m³", 140),
            ("SO2", "µg/m³", 20),
            ("NO2", "µg/m³", 35),
            ("CO", "mg/m³", 1.4),
            ("O3", "µg/m³", 50),
        ):
            values = np.round(level * rng.uniform(0.7, 1.3, hours.size), 1 if p == "CO" else 0)
            rows += [(site, p, t, v, unit) for t, v in zip(hours, values, strict=True)]
    rows.append(("新绛县", "降尘量", "2023-01", 6.5, "t/(km²·月)"))
    rows.append(("站C", "PM2.5", "2023-01-02", 160, "µg/m³"))
    path = tmp_path / "obs.csv"
    pd.DataFrame(rows, columns=["site", "parameter", "time", "value", "unit"]).to_csv(path, index=False)
    return path


def _json(out: str) -> Any:
    return json.loads(out)


def test_aqi_json_shape(run: Run, obs_file: Path) -> None:
    code, out, err = run("aqi", str(obs_file), "--format", "json")
    assert code == 0, err
    records = _json(out)
    assert isinstance(records, list)
    assert all(set(r) >= AQI_KEYS for r in records)
    hourly = [r for r in records if r["kind"] == "hourly"]
    daily = [r for r in records if r["kind"] == "daily"]
    assert len(hourly) == 2 * 72
    assert {(r["site"], r["time"]) for r in daily} == {
        *((s, f"2023-01-0{d}") for s in ("站A", "站B") for d in (1, 2, 3)),
        ("站C", "2023-01-02"),
    }
    assert hourly[0]["time"] == "2023-01-01T00:00"
    for r in records:
        assert r["level"] in (None, 1, 2, 3, 4, 5, 6)
        assert isinstance(r["iaqi"], dict)
        assert all(isinstance(v, int) for v in r["iaqi"].values())
        if r["aqi"] is not None and r["aqi"] <= 50:
            assert r["primary_pollutant"] is None
    station_c = next(r for r in daily if r["site"] == "站C")
    assert station_c["aqi"] == 210  # PM2.5 160 µg/m³, a daily value
    assert station_c["primary_pollutant"] == "PM2.5"
    assert station_c["category_zh"] == "重度污染"
    # Rows of other parameters are reported, never dropped silently.
    assert "1 rows of parameters other than the six" in err
    assert "dust_fall (1)" in err
    assert "1 daily rows" in err


def test_aqi_kind_option_and_table(run: Run, obs_file: Path) -> None:
    code, out, _ = run("aqi", str(obs_file), "--kind", "daily", "--format", "json")
    assert code == 0
    assert {r["kind"] for r in _json(out)} == {"daily"}
    code, out, _ = run("aqi", str(obs_file), "--kind", "daily")
    assert code == 0
    assert "日报 Daily AQI" in out
    assert "重度污染" in out
    code, out, _ = run("aqi", str(obs_file), "--kind", "daily", "--format", "markdown")
    assert code == 0
    assert "|" in out


def test_air_stats_json_shape_and_county(run: Run, obs_file: Path) -> None:
    code, out, err = run("air-stats", str(obs_file), "--format", "json", "--county")
    assert code == 0, err
    records = _json(out)
    assert all(set(r) >= STATS_KEYS for r in records)
    by_site = {r["site"]: r for r in records}
    assert set(by_site) == {"站A", "站B", "站C", "county"}
    a = by_site["站A"]
    assert a["period"] == "2023"
    assert a["rules"] == "GB 3095-2012 / HJ 663-2013"
    assert a["valid_days"] == 3
    assert a["valid"] is False  # 3 days are not a year
    for key in ("SO2", "NO2", "PM10", "PM2.5", "O3_8h_p90"):
        assert float(a[key]).is_integer()
    assert round(a["CO_p95"], 1) == a["CO_p95"]
    assert a["composite_index"] == pytest.approx(
        a["SO2"] / 60
        + a["NO2"] / 40
        + a["PM10"] / 70
        + a["PM2.5"] / 35
        + a["CO_p95"] / 4
        + a["O3_8h_p90"] / 160,
        abs=0.005,
    )
    assert by_site["站C"]["composite_index"] is None
    county = by_site["county"]
    assert county["kind"] == "county"
    assert county["stations"] == ["站A", "站B", "站C"]
    assert "county series" in err


def test_air_stats_month(run: Run, obs_file: Path) -> None:
    code, out, _ = run("air-stats", str(obs_file), "--period", "month", "--format", "json")
    assert code == 0
    assert {r["period"] for r in _json(out)} == {"2023-01"}
    code, out, _ = run("air-stats", str(obs_file), "--period", "month")
    assert code == 0
    assert "站A" in out


def test_bad_input_is_one_line_exit_2(run: Run, tmp_path: Path) -> None:
    only_dust = tmp_path / "dust.csv"
    only_dust.write_text(
        "site,parameter,time,value,unit\n新绛县,降尘量,2023-01,6.5,t/(km²·月)\n", encoding="utf-8"
    )
    code, _, err = run("aqi", str(only_dust))
    assert code == 2
    assert "no hourly or daily values" in err.strip().splitlines()[-1]
    off_hour = tmp_path / "off.csv"
    off_hour.write_text(
        "site,parameter,time,value,unit\n站A,PM2.5,2023-01-01T00:30,50,µg/m³\n", encoding="utf-8"
    )
    code, _, err = run("air-stats", str(off_hour))
    assert code == 2
    assert "on the hour" in err
    code, _, err = run("aqi", str(tmp_path / "missing.csv"))
    assert code == 2


def test_units_are_canonical_on_input(run: Run, tmp_path: Path) -> None:
    """The same day in µg/m³ and in mg/m³ gives the same AQI."""
    for unit, scale in (("µg/m³", 1.0), ("mg/m³", 0.001)):
        path = tmp_path / f"{scale}.csv"
        path.write_text(
            f"site,parameter,time,value,unit\n站A,PM2.5,2023-01-02,{75 * scale!r},{unit}\n", encoding="utf-8"
        )
        code, out, _ = run("aqi", str(path), "--format", "json")
        assert code == 0
        assert _json(out)[0]["aqi"] == 100


def test_example_file(run: Run) -> None:
    from envplan_air import example_dir

    example = example_dir() / "observations.csv"
    code, out, err = run("air-stats", str(example), "--county", "--format", "json")
    assert code == 0
    county = [r for r in _json(out) if r["site"] == "county"]
    assert [r["period"] for r in county] == ["2022", "2023"]
    assert county[1]["PM2.5"] == 45.0
    assert county[1]["composite_index"] == 5.21
    assert county[1]["valid"] is True
    assert county[0]["SO2"] == 25.0
    assert "dust_fall (12)" in err

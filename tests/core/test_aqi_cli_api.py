"""``envplan aqi`` and the Python API give the same AQI (issue 10): one rule, concentrations unrounded.

A seeded numpy sweep of 10,000 random hours and 10,000 random days, written to observation files and
run through the command; every record is compared with :func:`hj633.aqi_hourly` /
:func:`hj633.aqi_daily` called on the generated numbers directly. The SO2 24-h running mean the hourly
API needs for a 2012 SO2 1-h value above 800 is computed here independently (pandas rolling, ≥ 20 of
24 hours). Values span every segment, the tops of the tables and beyond; some are missing; sites cross
the 2026-03-01 switch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from envplan_core.cli import main
from envplan_core.standards import hj633

N = 10_000
SITES = 10
PARAMS = ("SO2", "NO2", "PM10", "PM2.5", "CO", "O3")
UNITS = {"CO": "mg/m3"}
# Scales reaching past the top of each hourly/daily table (SO2 1-h 800, O3 8-h 800, PM2.5 500 …).
SCALE = {"SO2": 1200.0, "NO2": 1500.0, "PM10": 700.0, "PM2.5": 600.0, "CO": 70.0, "O3": 1300.0}


def _random_values(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    out = {}
    for p in PARAMS:
        # Mostly low values, a tail to beyond the tables; 4 % missing.
        v = SCALE[p] * rng.beta(0.7, 3.0, size=n)
        if p == "CO":
            v = np.round(v, 3)  # CO as published, to 0.001 mg/m³
        v[rng.random(n) < 0.04] = np.nan
        out[p] = v
    return out


def _write(path: Path, sites: np.ndarray, times: list[str], values: dict[str, np.ndarray]) -> None:
    frames = []
    for p, v in values.items():
        keep = np.isfinite(v)
        frames.append(
            pd.DataFrame(
                {
                    "site": sites[keep],
                    "parameter": p,
                    "time": np.asarray(times, dtype=object)[keep],
                    "value": [repr(float(x)) for x in v[keep]],
                    "unit": UNITS.get(p, "ug/m3"),
                }
            )
        )
    pd.concat(frames).to_csv(path, index=False)


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert main(["--plugins", "", "aqi", *argv, "--format", "json"]) == 0
    out, _ = capsys.readouterr()
    records: list[dict[str, Any]] = json.loads(out)
    return records


def _same(cli: dict[str, Any], api: dict[str, Any]) -> None:
    for key in ("aqi", "iaqi", "primary_pollutants", "complete", "iaqi_lower_bounds", "rules", "level"):
        assert cli[key] == api[key], (key, cli, api)


@pytest.mark.parametrize("method", hj633.HOURLY_METHODS)
def test_hourly_cli_equals_api_on_10000_random_hours(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], method: hj633.HourlyMethod
) -> None:
    rng = np.random.default_rng(20231231)
    per_site = N // SITES
    starts = [
        np.datetime64("2023-01-01T00", "h") + np.timedelta64(int(rng.integers(0, 8000)), "h")
        for _ in range(SITES - 2)
    ]
    starts += [np.datetime64("2026-02-20T00", "h"), np.datetime64("2027-06-01T00", "h")]  # 2026 rules
    hours = np.concatenate([s + np.arange(per_site) for s in starts])
    sites = np.repeat([f"站{i}" for i in range(SITES)], per_site)
    values = _random_values(rng, N)
    path = tmp_path / "hourly.csv"
    _write(path, sites, [str(h) + ":00" for h in hours], values)

    records = _cli(capsys, str(path), "--kind", "hourly", "--hourly-method", method)
    by_key = {(r["site"], r["time"]): r for r in records}
    assert len(records) == N

    compared = 0
    for i in range(SITES):
        rows = slice(i * per_site, (i + 1) * per_site)
        v = {p: values[p][rows] for p in PARAMS}
        conc = {f"{p}_1h": v[p] for p in PARAMS}
        so2 = pd.Series(v["SO2"]).rolling(24, min_periods=20).mean().to_numpy()
        conc["SO2_24h"] = so2
        if method == "strict":
            for p in ("PM10", "PM2.5"):
                conc[f"{p}_24h"] = pd.Series(v[p]).rolling(24, min_periods=20).mean().to_numpy()
            conc["O3_8h"] = pd.Series(v["O3"]).rolling(8, min_periods=6).mean().to_numpy()
        monitored = [p for p in PARAMS if np.isfinite(v[p]).any()]
        monitored = [*monitored, "O3_1h", "O3_8h"] if "O3" in monitored else monitored
        day = hours[rows].astype("datetime64[D]")
        api = hj633.aqi_hourly(conc, on=day, monitored=monitored, method=method)
        stamps = np.datetime_as_string(hours[rows], unit="m")
        for n in range(per_site):
            cli = by_key[(f"站{i}", str(stamps[n]))]
            _same(cli, api.record(n))
            assert cli["hourly_method"] == method
            compared += 1
    assert compared == N
    # The sweep reaches the edges: both editions, substitutions and bounds above 800, incomplete hours.
    assert {r["rules"] for r in records} == {hj633.HJ633_2012, hj633.HJ633_2026}
    assert any(r["substitutions"] for r in records)
    assert any(r["iaqi_lower_bounds"] for r in records)
    assert any(not r["complete"] for r in records) and any(r["aqi"] is None for r in records)


def test_daily_cli_equals_api_on_10000_random_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = np.random.default_rng(8170)
    per_site = N // SITES
    starts = [
        np.datetime64("2015-01-01", "D") + np.timedelta64(int(rng.integers(0, 3000)), "D")
        for _ in range(SITES - 2)
    ]
    starts += [np.datetime64("2026-01-01", "D"), np.datetime64("2028-01-01", "D")]
    days = np.concatenate([s + np.arange(per_site) for s in starts])
    sites = np.repeat([f"站{i}" for i in range(SITES)], per_site)
    values = _random_values(rng, N)
    path = tmp_path / "daily.csv"
    _write(path, sites, [str(d) for d in days], values)  # daily rows: 24-h means, O3 the MDA8

    records = _cli(capsys, str(path), "--kind", "daily")
    by_key = {(r["site"], r["time"]): r for r in records}
    assert len(records) == N

    for i in range(SITES):
        rows = slice(i * per_site, (i + 1) * per_site)
        conc = {f"{p}_24h": values[p][rows] for p in PARAMS if p != "O3"}
        conc["O3_8h"] = values["O3"][rows]  # a daily O3 value is the MDA8; its 1-h maximum is unknown
        monitored = [p for p in PARAMS if p != "O3" and np.isfinite(values[p][rows]).any()] + ["O3_8h"]
        api = hj633.aqi_daily(conc, on=days[rows], monitored=monitored)
        for n in range(per_site):
            cli = by_key[(f"站{i}", str(days[rows][n]))]
            _same(cli, api.record(n))
    assert {r["rules"] for r in records} == {hj633.HJ633_2012, hj633.HJ633_2026}
    assert any(r["iaqi_lower_bounds"] == ["O3_1h"] for r in records)  # MDA8 > 800, no 1-h maximum

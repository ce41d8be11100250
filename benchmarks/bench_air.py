"""HJ 663 pipeline benchmark: a year of hourly data of N stations → daily means with validity → MDA8 →
annual statistics (means, CO 95th and O3 90th percentiles, period validity) → composite index, envplan vs a
hand-written pandas baseline computing the same numbers in the same run.

    python benchmarks/bench_air.py                     # 100 and 1,400 stations
    python benchmarks/bench_air.py --stations 100 --repeat 3

The data are generated in memory (not CSV: intake is bench_intake.py's subject): N stations × 8760 hours
of 2023 × 6 pollutants (1,400 stations: 73.6 M values) with about 3 % missing hours and, at every tenth
station, a two-week outage (so some station-years fail the HJ 663 validity rule and both sides must agree on
that too). Each side gets the same columns: station code, hour (datetime64), one float64 column per
pollutant (NaN = missing).

* **envplan** — :func:`envplan_core.standards.hj663.annual_statistics`: dense (station × hour) matrices,
  daily means (≥ 20 valid hours), 8-h running means (≥ 6 of 8) and MDA8 (windows ending 08–24 h, ≥ 14),
  period validity (≥ 324 valid days, ≥ 27 a month, 25 in February), means, HJ 663 percentiles, GB/T 8170
  rounding, composite index (环办监测〔2018〕19号) and one record per station.
* **baseline** — what an analyst would write with pandas: ``groupby([station, day]).agg([mean, count])``
  for daily means, ``groupby(station).rolling(8, min_periods=6).mean()`` for the 8-h means (the frame holds
  every hour of every station, so a row window is an hour window), ``groupby([station, day]).max()`` of
  the windows ending 07–23 h with a count ≥ 14 for MDA8, ``groupby(station).quantile`` for the
  percentiles, a month-count pivot for validity, ``np.round`` for rounding.

It checks that both give the same unrounded statistics (``np.allclose``, rtol 1e-9), the same validity
flags and valid-day counts, and counts differences in the rounded values and composite indices (np.round
rounds the binary value, GB/T 8170 the decimal one: a rare x.5 may differ). Exit code 1 on a mismatch.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from envplan_core.standards import hj663  # noqa: E402 - after the sys.path fix

POLLUTANTS = ("SO2", "NO2", "PM10", "PM2.5", "CO", "O3")
MEANS = ("SO2", "NO2", "PM10", "PM2.5")
SI = {"SO2": 60.0, "NO2": 40.0, "PM10": 70.0, "PM2.5": 35.0, "CO": 4.0, "O3": 160.0}
DECIMALS = {"SO2": 0, "NO2": 0, "PM10": 0, "PM2.5": 0, "CO": 1, "O3": 0}
HOURS = 8760
YEAR_START = np.datetime64("2023-01-01T00", "h")

Columns = tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]


def generate(stations: int, seed: int = 2023) -> Columns:
    """Columnar hourly data: every hour of every station has a row; missing values are NaN."""
    rng = np.random.default_rng(seed)
    hour = np.arange(HOURS)
    day = hour // 24
    hod = hour % 24
    winter = np.cos(2 * np.pi * (day - 15) / 365)
    base = {
        "SO2": 15 + 8 * winter,
        "NO2": 28 + 8 * winter,
        "PM10": 75 + 35 * winter,
        "PM2.5": 42 + 25 * winter,
        "CO": 0.9 + 0.4 * winter,
        "O3": (95 - 45 * winter) * (0.35 + 1.1 * np.clip(np.sin(np.pi * (hod - 6) / 14), 0, None)),
    }
    weather = np.exp(rng.normal(0, 0.3, (stations, 365)))[:, day]
    station_level = rng.uniform(0.7, 1.3, (stations, 1))
    values: dict[str, np.ndarray] = {}
    missing = rng.random((stations, HOURS)) < 0.03
    outage = np.zeros((stations, HOURS), dtype=bool)
    outage[::10, 24 * 40 : 24 * 54] = True  # two weeks in February: the month and the year fail
    for p in POLLUTANTS:
        v = base[p][np.newaxis, :] * weather * station_level * rng.lognormal(0, 0.2, (stations, HOURS))
        v = np.round(v, 1 if p == "CO" else 0)
        v[missing | outage] = np.nan
        values[p] = v.ravel()
        missing = rng.random((stations, HOURS)) < 0.03
    site = np.repeat(np.arange(stations, dtype=np.int64), HOURS)
    times = np.tile(YEAR_START + hour.astype("timedelta64[h]"), stations)
    return site, times, values


# --------------------------------------------------------------------------- envplan
def run_envplan(site: np.ndarray, times: np.ndarray, values: dict[str, np.ndarray]) -> pd.DataFrame:
    records = hj663.annual_statistics(site, times, values, "year")
    rows = []
    for r in records:
        raw = r["unrounded"]
        rows.append(
            {
                "site": r["site"],
                **{f"{k}_raw": raw[k] for k in ("SO2", "NO2", "PM10", "PM2.5", "CO_p95", "O3_8h_p90")},
                **{k: r[k] for k in ("SO2", "NO2", "PM10", "PM2.5", "CO_p95", "O3_8h_p90")},
                "composite_index": r["composite_index"],
                "valid": r["valid"],
                "valid_days": r["valid_days"],
            }
        )
    return pd.DataFrame(rows).set_index("site").sort_index()


# --------------------------------------------------------------------------- baseline
def run_baseline(site: np.ndarray, times: np.ndarray, values: dict[str, np.ndarray]) -> pd.DataFrame:
    df = pd.DataFrame({"site": site, "time": times, **values})
    df["day"] = df["time"].dt.floor("D")
    # Daily means with validity (≥ 20 hours).
    daily = df.groupby(["site", "day"])[list(POLLUTANTS[:5])].agg(["mean", "count"])
    # O3: 8-h running means (≥ 6 of 8 hours), then MDA8 over windows ending 07–23 h (≥ 14 valid).
    roll = df.groupby("site")["O3"].rolling(8, min_periods=6).mean().reset_index(level=0, drop=True)
    df["O3_8h"] = roll.sort_index()
    late = df[df["time"].dt.hour >= 7]
    mda8 = late.groupby(["site", "day"])["O3_8h"].agg(["max", "count"])
    day_values = {}
    for p in POLLUTANTS[:5]:
        day_values[p] = daily[(p, "mean")].where(daily[(p, "count")] >= 20)
    day_values["O3"] = mda8["max"].where(mda8["count"] >= 14)
    frame = pd.DataFrame(day_values)
    # Validity: ≥ 324 valid days a year, ≥ 27 each month (25 in February).
    months = frame.index.get_level_values("day").month
    need = np.where(months == 2, 25, 27)
    out = pd.DataFrame(index=np.unique(site))
    out.index.name = "site"
    valid = pd.Series(True, index=out.index)
    counts = {}
    for p in POLLUTANTS:
        ok = frame[p].notna()
        per_month = ok.groupby([frame.index.get_level_values("site"), months]).sum().unstack()
        need_m = np.where(per_month.columns.to_numpy() == 2, 25, 27)
        counts[p] = ok.groupby(level="site").sum()
        valid &= (counts[p] >= 324) & (per_month >= need_m).all(axis=1)
    del need
    grouped = frame.groupby(level="site")
    for p in MEANS:
        out[f"{p}_raw"] = grouped[p].mean()
    out["CO_p95_raw"] = grouped["CO"].quantile(0.95)
    out["O3_8h_p90_raw"] = grouped["O3"].quantile(0.90)
    names = {"SO2": "SO2", "NO2": "NO2", "PM10": "PM10", "PM2.5": "PM2.5", "CO_p95": "CO", "O3_8h_p90": "O3"}
    composite = 0.0
    for stat, p in names.items():
        out[stat] = np.round(out[f"{stat}_raw"], DECIMALS[p])
        composite = composite + np.round(out[stat] / SI[p], 2)  # single indices to 2 decimals, then summed
    out["composite_index"] = np.round(composite, 2)
    out["valid"] = valid
    out["valid_days"] = pd.DataFrame(counts).min(axis=1)
    return out.sort_index()


# --------------------------------------------------------------------------- comparison and timing
RAW = ("SO2_raw", "NO2_raw", "PM10_raw", "PM2.5_raw", "CO_p95_raw", "O3_8h_p90_raw")
ROUNDED = ("SO2", "NO2", "PM10", "PM2.5", "CO_p95", "O3_8h_p90", "composite_index")


def compare(ours: pd.DataFrame, theirs: pd.DataFrame) -> tuple[bool, str]:
    theirs = theirs.reindex(ours.index)
    raw_ok = all(
        np.allclose(ours[c].astype(float), theirs[c].astype(float), rtol=1e-9, atol=1e-12) for c in RAW
    )
    valid_ok = bool((ours["valid"] == theirs["valid"]).all()) and bool(
        (ours["valid_days"].astype(int) == theirs["valid_days"].astype(int)).all()
    )
    rounded_diff = sum(int((ours[c].astype(float) != theirs[c].astype(float)).sum()) for c in ROUNDED)
    n_valid = int(ours["valid"].sum())
    text = (
        f"unrounded statistics equal: {raw_ok}; validity and valid days equal: {valid_ok} "
        f"({n_valid}/{len(ours)} station-years valid); rounded values/indices differing: {rounded_diff}"
    )
    return raw_ok and valid_ok, text


def timed(fn: Callable[..., Any], *args: Any, repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, nargs="+", default=[100, 1400])
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per side (default 1)")
    args = parser.parse_args(argv)
    print(f"numpy {np.__version__}, pandas {pd.__version__}, Python {sys.version.split()[0]}")
    print(f"{'stations':>8} {'values':>12} {'envplan s':>10} {'baseline s':>11} {'ratio':>6}  check")
    status = 0
    for n in args.stations:
        site, times, values = generate(n)
        n_values = sum(v.size for v in values.values())
        t_ours, ours = timed(run_envplan, site, times, values, repeat=args.repeat)
        t_base, theirs = timed(run_baseline, site, times, values, repeat=args.repeat)
        ok, text = compare(ours, theirs)
        status |= not ok
        print(f"{n:>8} {n_values:>12,} {t_ours:>10.2f} {t_base:>11.2f} {t_ours / t_base:>6.2f}  {text}")
        del site, times, values, ours, theirs
        gc.collect()
    return status


if __name__ == "__main__":
    sys.exit(main())

"""The hand-written baseline of ``bench_airstats.py``: what an analyst would write with polars to do the
HJ 663 work of ``envplan air-stats --period year`` on a long-format CSV — no validation at all.

    python benchmarks/baseline_polars.py observations.csv results.json

1. ``pl.read_csv`` (multi-threaded; site, parameter and unit as ``Categorical``); a hand-written table of
   unit factors per (parameter, unit spelling) joined on, values scaled to µg/m³ (CO mg/m³);
   ``str.to_datetime`` with a fixed format;
2. daily means per (station, pollutant, day) with the number of hours, valid with ≥ 20;
3. O3 8-h running means per station (``rolling_mean_by`` over the time, window 8 h, ≥ 6 hours — the
   window is by time, so absent hours count as missing) and MDA8: the largest valid 8-h mean of the
   windows ending 08:00–24:00 (hour stamps 07–23), valid with ≥ 14 such windows;
4. per station and pollutant: valid days per month (≥ 27, February ≥ 25) and per year (≥ 324); SO2, NO2,
   PM10, PM2.5 means of the valid daily means, CO 95th percentile of them, O3 90th percentile of the valid
   MDA8 (``quantile(interpolation="linear")`` = HJ 663's formula);
5. rounding (polars ``round``), composite index Σ round₂(C/S) (GB 3095-2012 annual limits, CO and O3 by
   their percentiles; each single index rounded to 2 decimals, as envplan reports it), one JSON record per station with the unrounded values beside the rounded ones.

The numbers are compared with envplan's by ``bench_airstats.py`` (unrounded: rtol 1e-9; validity and
valid days: equal).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl

FACTORS = {
    ("CO", "mg/m³"): 1.0,
    ("CO", "µg/m³"): 0.001,
    **{(p, u): 1.0 for p in ("SO2", "NO2", "PM10", "PM2.5", "O3") for u in ("µg/m³", "μg/m³", "ug/m3")},
    **{(p, "mg/m³"): 1000.0 for p in ("SO2", "NO2", "PM10", "PM2.5", "O3")},
}
LIMITS = {"SO2": 60.0, "NO2": 40.0, "PM10": 70.0, "PM2.5": 35.0, "CO_p95": 4.0, "O3_8h_p90": 160.0}
DECIMALS = {"SO2": 0, "NO2": 0, "PM10": 0, "PM2.5": 0, "CO_p95": 1, "O3_8h_p90": 0}


def main(source: str, target: str) -> None:
    factors = pl.DataFrame(
        {
            "parameter": [p for p, _ in FACTORS],
            "unit": [u for _, u in FACTORS],
            "factor": list(FACTORS.values()),
        }
    )
    text = dict.fromkeys(("site", "parameter", "unit"), pl.Categorical)
    rows = (
        pl.read_csv(source, schema_overrides={"value": pl.Float64, **text})
        .lazy()
        .join(factors.lazy().with_columns(pl.col("parameter", "unit").cast(pl.Categorical)), on=["parameter", "unit"], how="left")
        .select(
            pl.col("site"),
            pl.col("parameter"),
            pl.col("time").str.to_datetime("%Y-%m-%dT%H:%M"),
            (pl.col("value") * pl.col("factor")).alias("value"),
        )
        .with_columns(pl.col("time").dt.epoch("d").alias("day"))
    )
    daily = (
        rows.filter(pl.col("parameter") != "O3")
        .group_by("site", "parameter", "day")
        .agg(pl.col("value").mean().alias("v"), pl.len().alias("n"))
        .filter(pl.col("n") >= 20)
    )
    mda8 = (
        rows.filter(pl.col("parameter") == "O3")
        .sort("site", "time")
        .with_columns(
            pl.col("value").rolling_mean_by("time", window_size="8h", min_samples=6).over("site").alias("m8")
        )
        .filter((pl.col("time").dt.hour() >= 7) & pl.col("m8").is_not_null())
        .group_by("site", "parameter", "day")
        .agg(pl.col("m8").max().alias("v"), pl.len().alias("n"))
        .filter(pl.col("n") >= 14)
    )
    valid_days = pl.concat([daily, mda8]).with_columns(pl.from_epoch("day", time_unit="d").dt.month().alias("month"))
    months = (
        valid_days.group_by("site", "parameter", "month")
        .agg(pl.len().alias("days"))
        .with_columns(pl.when(pl.col("month") == 2).then(25).otherwise(27).alias("need"))
        .group_by("site", "parameter")
        .agg(((pl.col("days") >= pl.col("need")).sum() == 12).alias("months_ok"))
    )
    stats = (
        valid_days.group_by("site", "parameter")
        .agg(
            pl.col("v").mean().alias("mean"),
            pl.col("v").quantile(0.95, interpolation="linear").alias("p95"),
            pl.col("v").quantile(0.90, interpolation="linear").alias("p90"),
            pl.len().alias("days"),
        )
        .join(months, on=["site", "parameter"], how="left")
        .collect()
    )
    out = []
    for (site,), group in sorted(stats.group_by("site"), key=lambda g: str(g[0][0])):
        by = {r["parameter"]: r for r in group.iter_rows(named=True)}
        raw = {p: by[p]["mean"] for p in ("SO2", "NO2", "PM10", "PM2.5")}
        raw["CO_p95"] = by["CO"]["p95"]
        raw["O3_8h_p90"] = by["O3"]["p90"]
        rounded = {k: round(v, DECIMALS[k]) for k, v in raw.items()}
        valid = all(r["days"] >= 324 and r["months_ok"] for r in by.values())
        out.append(
            {
                "site": site,
                **rounded,
                # as bulletins publish it: each single index to 2 decimals, then summed
                "composite_index": round(sum(round(rounded[k] / LIMITS[k], 2) for k in LIMITS), 2),
                "valid": valid,
                "valid_days": min(r["days"] for r in by.values()),
                "unrounded": raw,
            }
        )
    Path(target).write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""A year of hourly air data for N stations as one long-format CSV (docs/inputs.md), written in bounded
memory (a few stations at a time), for ``bench_airstats.py``.

    python benchmarks/airdata.py /tmp/air100.csv --stations 100      # 5.2 M rows, ≈ 0.2 GB
    python benchmarks/airdata.py /tmp/air1400.csv --stations 1400    # 73 M rows, ≈ 3 GB

Rows: ``site,parameter,time,value,unit`` — N stations (Chinese names) × 6 pollutants (SO2, NO2, PM10,
PM2.5, O3 in µg/m³; CO in mg/m³) × the 8760 hours of 2023, hour-start stamps ``2023-01-01T00:00``. As in
real exports: about 10 % of the rows are written in another unit (mg/m³ for the µg/m³ pollutants, µg/m³
for CO, the value scaled to match) and the µg/m³ rows use three spellings (``µg/m³``, ``μg/m³``,
``ug/m3``), so unit conversion runs on every (parameter, unit) group; every tenth station has a
two-week February outage (its rows are absent), so its year fails the HJ 663 validity rule.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

POLLUTANTS = ("SO2", "NO2", "PM10", "PM2.5", "CO", "O3")
HOURS = 8760
MICRO_SPELLINGS = ("µg/m³", "μg/m³", "ug/m3")
#: The baseline's hand-written conversion table: (parameter, unit as written) -> factor to µg/m³ (CO mg/m³).
FACTORS: dict[tuple[str, str], float] = {
    **{(p, s): 1.0 for p in POLLUTANTS if p != "CO" for s in MICRO_SPELLINGS},
    **{(p, "mg/m³"): 1000.0 for p in POLLUTANTS if p != "CO"},
    ("CO", "mg/m³"): 1.0,
    ("CO", "µg/m³"): 0.001,
}
_BATCH = 20  # stations per written block


def station_name(i: int) -> str:
    return f"监测站{i:04d}"


def _block(first: int, count: int, rng: np.random.Generator) -> bytes:
    hour = np.arange(HOURS)
    day, hod = hour // 24, hour % 24
    winter = np.cos(2 * np.pi * (day - 15) / 365)
    base = {
        "SO2": 15 + 8 * winter,
        "NO2": 28 + 8 * winter,
        "PM10": 75 + 35 * winter,
        "PM2.5": 42 + 25 * winter,
        "CO": 0.9 + 0.4 * winter,
        "O3": (95 - 45 * winter) * (0.35 + 1.1 * np.clip(np.sin(np.pi * (hod - 6) / 14), 0, None)),
    }
    stamps = np.datetime_as_string(np.datetime64("2023-01-01T00", "h") + hour, unit="m").astype(object)
    lines: list[str] = []
    for s in range(first, first + count):
        weather = np.exp(rng.normal(0, 0.3, 365))[day]
        level = rng.uniform(0.7, 1.3)
        keep = np.ones(HOURS, dtype=bool)
        if s % 10 == 0:
            keep[24 * 40 : 24 * 54] = False  # two weeks in February: the month and the year fail
        name = station_name(s)
        for p in POLLUTANTS:
            v = base[p] * weather * level * rng.lognormal(0, 0.2, HOURS)
            v = np.round(v, 1 if p == "CO" else 0)
            other = rng.random(HOURS) < 0.10
            if p == "CO":
                units = np.where(other, "µg/m³", "mg/m³").astype(object)
                text = np.where(other, np.char.mod("%.6g", v * 1000.0), np.char.mod("%.1f", v))
            else:
                spelled = np.asarray(MICRO_SPELLINGS, dtype=object)[rng.integers(0, 3, HOURS)]
                units = np.where(other, "mg/m³", spelled).astype(object)
                text = np.where(other, np.char.mod("%.6g", v / 1000.0), np.char.mod("%.0f", v))
            prefix = f"{name},{p},"
            lines.extend(
                prefix + t + "," + str(x) + "," + u
                for t, x, u, k in zip(stamps.tolist(), text.tolist(), units.tolist(), keep.tolist(), strict=True)
                if k
            )
    return ("\n".join(lines) + "\n").encode("utf-8")


def generate(path: Path, stations: int, *, seed: int = 2023) -> int:
    """Write the CSV; return its number of data rows."""
    rng = np.random.default_rng(seed)
    rows = 0
    with path.open("wb") as handle:
        handle.write(b"site,parameter,time,value,unit\n")
        for first in range(0, stations, _BATCH):
            block = _block(first, min(_BATCH, stations - first), rng)
            rows += block.count(b"\n")
            handle.write(block)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--stations", type=int, default=100)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = generate(args.path, args.stations)
    size = args.path.stat().st_size
    print(f"{args.path}: {rows:,} rows, {size / 1e6:.0f} MB, {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

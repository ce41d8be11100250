"""Intake benchmark: read a year of hourly air data and compute annual means, envplan vs a pandas baseline.

Generates N sites × 6 pollutants (SO2, NO2, PM10, PM2.5, O3 in µg/m³; CO in mg/m³) × 8760 hours as one
long-format CSV in a temporary directory. About 10 % of the rows are written in another unit (mg/m³ for
the µg/m³ pollutants, µg/m³ for CO) and the µg/m³ rows use three spellings (µg/m³ with the micro sign,
μg/m³ with Greek mu, ug/m3), so unit conversion is exercised. Then, in the same run, it times

(a) envplan: ``read_observations`` (validation, unit conversion, duplicate check …) and
    ``stats.annual_statistics`` (annual mean per site and pollutant);
(b) a hand-written pandas/numpy baseline: ``pd.read_csv``, one conversion factor per (parameter, unit)
    spelled out by hand, ``pd.to_datetime`` with a fixed format, ``groupby(...).mean()``;

checks that both give the same numbers (``np.allclose``) and prints both times and their ratio.

    python benchmarks/bench_intake.py            # 10 sites, ≈ 0.5 M rows
    python benchmarks/bench_intake.py --sites 100   # ≈ 5.3 M rows
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from envplan_core.data.observations import read_observations  # noqa: E402 - after the sys.path fix
from envplan_core.parameters import Parameter, ParameterRegistry  # noqa: E402
from envplan_core.standards import default_parameters  # noqa: E402
from envplan_core.stats import annual_statistics  # noqa: E402

POLLUTANTS = ("SO2", "NO2", "PM10", "PM2.5", "CO", "O3")
HOURS = 8760
MICRO_SPELLINGS = ("µg/m³", "μg/m³", "ug/m3")

# The baseline's hand-written conversion table: (parameter, unit as written) -> factor to canonical unit.
BASELINE_FACTORS: dict[tuple[str, str], float] = {
    **{(p, s): 1.0 for p in POLLUTANTS if p != "CO" for s in MICRO_SPELLINGS},
    **{(p, "mg/m³"): 1000.0 for p in POLLUTANTS if p != "CO"},
    ("CO", "mg/m³"): 1.0,
    ("CO", "µg/m³"): 0.001,
}


def registry() -> ParameterRegistry:
    """The core's parameters when the GB 3095 module is present, else the six pollutants defined here."""
    try:
        reg = default_parameters()
        if all(reg.resolve(p) is not None for p in POLLUTANTS):
            return reg
    except Exception as exc:  # noqa: BLE001 - a half-written standards module must not stop the benchmark
        print(f"default_parameters() failed ({exc!r}); using local definitions", file=sys.stderr)
    reg = ParameterRegistry()
    for pid in POLLUTANTS:
        unit = "mg/m^3" if pid == "CO" else "ug/m^3"
        reg.add(Parameter(pid, pid, pid, unit, "air"))
    return reg


def generate(path: Path, sites: int, *, seed: int = 2023) -> int:
    """Write the benchmark CSV; return its number of data rows."""
    rng = np.random.default_rng(seed)
    hours = pd.date_range("2023-01-01", periods=HOURS, freq="h").strftime("%Y-%m-%dT%H:%M").to_numpy()
    n = sites * len(POLLUTANTS) * HOURS
    names = np.asarray([f"监测站{i:03d}" for i in range(sites)], dtype=object)
    site = np.repeat(names, len(POLLUTANTS) * HOURS)
    param = np.tile(np.repeat(np.asarray(POLLUTANTS, dtype=object), HOURS), sites)
    stamp = np.tile(hours, sites * len(POLLUTANTS))
    is_co = param == "CO"
    value = np.where(is_co, rng.gamma(2.0, 0.4, n), rng.gamma(2.0, 20.0, n)).round(1)
    value[is_co] = value[is_co].round(3)
    micro = np.asarray(MICRO_SPELLINGS, dtype=object)[rng.integers(0, len(MICRO_SPELLINGS), n)]
    unit = np.where(is_co, "mg/m³", micro).astype(object)
    other = rng.random(n) < 0.10
    unit[other & ~is_co] = "mg/m³"
    unit[other & is_co] = "µg/m³"
    written = value.copy()
    written[other & ~is_co] /= 1000.0
    written[other & is_co] *= 1000.0
    frame = pd.DataFrame({"site": site, "parameter": param, "time": stamp, "value": written, "unit": unit})
    frame.to_csv(path, index=False, float_format="%.6g")
    return n


def run_envplan(path: Path, reg: ParameterRegistry) -> dict[tuple[str, str, str], float]:
    obs = read_observations(path, parameters=reg)
    table = annual_statistics(obs, statistic="mean", period="year")
    return table.as_dict()


def run_baseline(path: Path) -> dict[tuple[str, str, str], float]:
    frame = pd.read_csv(path)
    factors = pd.Series(BASELINE_FACTORS)
    factor = factors.reindex(pd.MultiIndex.from_frame(frame[["parameter", "unit"]])).to_numpy()
    frame["value"] = frame["value"].to_numpy() * factor
    frame["year"] = pd.to_datetime(frame["time"], format="%Y-%m-%dT%H:%M").dt.year
    means = frame.groupby(["site", "parameter", "year"], sort=True)["value"].mean()
    return {
        (str(s), str(p), str(y)): float(v)
        for (s, p, y), v in zip(means.index.tolist(), means.to_numpy().tolist(), strict=True)
    }


def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=10, help="number of sites (default 10)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the best time is reported")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary of the envplan run")
    args = parser.parse_args(argv)

    reg = registry()
    with tempfile.TemporaryDirectory(prefix="envplan-bench-") as tmp:
        path = Path(tmp) / "observations.csv"
        t_gen, rows = timed(generate, path, args.sites)
        size_mb = path.stat().st_size / 1e6
        print(f"rows: {rows:,} ({args.sites} sites × {len(POLLUTANTS)} pollutants × {HOURS} h), "
              f"CSV {size_mb:.0f} MB, generated in {t_gen:.1f} s; cores: {os.cpu_count()}")
        t_env, t_base = float("inf"), float("inf")
        env: dict[tuple[str, str, str], float] = {}
        base: dict[tuple[str, str, str], float] = {}
        for _ in range(max(args.repeat, 1)):
            t, base = timed(run_baseline, path)
            t_base = min(t_base, t)
            t, env = timed(run_envplan, path, reg)
            t_env = min(t_env, t)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(run_envplan, path, reg)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)

    if sorted(env) != sorted(base):
        print("MISMATCH: different groups", sorted(set(env) ^ set(base))[:5], file=sys.stderr)
        return 1
    keys = sorted(env)
    a = np.asarray([env[k] for k in keys])
    b = np.asarray([base[k] for k in keys])
    if not np.allclose(a, b, rtol=1e-9, atol=1e-12):
        print(f"MISMATCH: max abs difference {np.max(np.abs(a - b))}", file=sys.stderr)
        return 1
    print(f"groups: {len(keys)} (site × pollutant × year), results agree (np.allclose)")
    print(f"envplan  (read_observations + annual_statistics): {t_env:6.2f} s  "
          f"({rows / t_env / 1e6:.2f} M rows/s)")
    print(f"baseline (pd.read_csv + factors + groupby mean):  {t_base:6.2f} s  "
          f"({rows / t_base / 1e6:.2f} M rows/s)")
    print(f"ratio envplan / baseline: {t_env / t_base:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

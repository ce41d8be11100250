"""``envplan aqi`` to JSON and to Parquet against ``envplan air-stats`` on the same generated CSV, each in
a fresh process started from this one, in the same run (issue 12, goal 4: aqi within 2× air-stats).

    python benchmarks/bench_aqi.py                      # 100 stations (5.2 M rows), 3 rounds
    python benchmarks/bench_aqi.py --stations 10 --repeat 5
    python benchmarks/bench_aqi.py --csv /tmp/air100.csv  # an existing file (not deleted)

Each round runs ``envplan air-stats FILE --period year -f json -o …``, ``envplan aqi FILE -f json -o …``
and ``envplan aqi FILE -f parquet -o …`` one after the other, rotating which goes first; wall time from
the start of the process to its exit, peak resident memory from the kernel (``wait4``, via
``bench_airstats.run``). Reported: per command the median time, its range, the median of the per-round
ratios to air-stats (other work on the machine slows the commands of a round alike), the largest peak
memory and the output size. Exit code 1 when a ratio is above ``--goal`` (default 2).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_airstats import envplan_command, run  # noqa: E402

COMMANDS = ("air-stats", "aqi json", "aqi parquet")


def commands(csv: Path, work: Path) -> dict[str, tuple[list[str], Path]]:
    """The three commands of a round, and the file each writes."""
    env = envplan_command()
    outputs = {
        "air-stats": work / "stats.json",
        "aqi json": work / "aqi.json",
        "aqi parquet": work / "aqi.parquet",
    }
    return {
        "air-stats": (
            [*env, "air-stats", str(csv), "--period", "year", "-f", "json", "-o", str(outputs["air-stats"])],
            outputs["air-stats"],
        ),
        "aqi json": (
            [*env, "aqi", str(csv), "-f", "json", "-o", str(outputs["aqi json"])],
            outputs["aqi json"],
        ),
        "aqi parquet": (
            [*env, "aqi", str(csv), "-f", "parquet", "-o", str(outputs["aqi parquet"])],
            outputs["aqi parquet"],
        ),
    }


def bench_file(csv: Path, work: Path, repeat: int, *, goal: float) -> tuple[bool, list[str]]:
    """``repeat`` rounds on ``csv``; the report lines, and whether both ratios meet ``goal``."""
    todo = commands(csv, work)
    rounds: list[dict[str, tuple[float, float]]] = []
    for r in range(repeat):
        order = list(COMMANDS[r % 3 :] + COMMANDS[: r % 3])
        results: dict[str, tuple[float, float]] = {}
        for name in order:
            command, output = todo[name]
            output.unlink(missing_ok=True)  # every run writes a new file (replacing one costs time too)
            results[name] = run(command)
        rounds.append(results)
        base = results["air-stats"][0]
        print(
            f"  round {r + 1}: "
            + " | ".join(f"{name} {results[name][0]:.2f} s {results[name][1]:,.0f} MB" for name in COMMANDS)
            + f" | ratios json {results['aqi json'][0] / base:.2f}, parquet {results['aqi parquet'][0] / base:.2f}",
            flush=True,
        )
    lines = []
    ok = True
    for name in COMMANDS:
        times = sorted(r[name][0] for r in rounds)
        peak = max(r[name][1] for r in rounds)
        size = todo[name][1].stat().st_size / 1e6
        text = f"  {name:<12} median {statistics.median(times):6.2f} s (range {times[0]:.2f}–{times[-1]:.2f})"
        if name != "air-stats":
            ratio = statistics.median(r[name][0] / r["air-stats"][0] for r in rounds)
            ok &= ratio <= goal
            text += f", {ratio:.2f}× air-stats"
        lines.append(f"{text}; peak memory {peak:,.0f} MB; output {size:,.1f} MB")
        print(lines[-1], flush=True)
    return ok, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument(
        "--csv", type=Path, default=None, help="use this observation file instead of generating one"
    )
    parser.add_argument(
        "--goal", type=float, default=2.0, help="largest acceptable ratio to air-stats (default 2)"
    )
    parser.add_argument(
        "--workdir", type=Path, default=None, help="where the CSV and outputs go (default: a temp folder)"
    )
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; envplan: {' '.join(envplan_command())}")
    work = Path(tempfile.mkdtemp(prefix="envplan-bench-aqi-", dir=args.workdir))
    try:
        csv = args.csv
        if csv is None:
            csv = work / f"air{args.stations}.csv"
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, str(HERE / "airdata.py"), str(csv), "--stations", str(args.stations)],
                check=True,
            )
            print(
                f"{args.stations} stations: CSV {csv.stat().st_size / 1e6:,.0f} MB (generated in {time.perf_counter() - t0:.0f} s)"
            )
        ok, _ = bench_file(csv, work, args.repeat, goal=args.goal)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

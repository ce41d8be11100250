"""``envplan air-stats`` against a hand-written polars script doing the same HJ 663 work, each in a fresh
process started from this one, on the same generated CSV, in the same run.

    python benchmarks/bench_airstats.py                        # 100 stations (5.2 M rows), 3 rounds
    python benchmarks/bench_airstats.py --stations 100 1400    # and the 1,400-station year (73 M rows, 3 GB)
    python benchmarks/bench_airstats.py --aqi                  # also envplan aqi (bench_aqi.py)
    python benchmarks/bench_airstats.py --startup              # cold start: envplan --help, envplan plans

For each size: the CSV is generated (``airdata.py``) in a temporary folder, which is deleted at the end
(``--workdir`` chooses where; never the repository). Then ``--repeat`` rounds, each running
``envplan air-stats FILE --period year -f json -o …`` and ``baseline_polars.py FILE …`` one after the other
(alternating which goes first); wall time from the start of the process to its exit, peak resident
memory from the kernel (``wait4``). Medians are reported, and the median of the per-round ratios —
other work on the machine slows both sides of a round alike. Both results are compared: the unrounded
annual statistics of every station agree within rtol 1e-9, the validity flags and valid-day counts
exactly; exit code 1 otherwise. Needs polars (``pip install ".[bench]"``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATISTICS = ("SO2", "NO2", "PM10", "PM2.5", "CO_p95", "O3_8h_p90")


def envplan_command() -> list[str]:
    script = Path(sys.executable).with_name("envplan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "envplan_core"]


def run(command: list[str], *, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MB of ``command`` (a fresh process); its output is discarded."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{errors}")
    return seconds, usage.ru_maxrss / 1024


def compare(ours: Path, theirs: Path) -> tuple[bool, str]:
    a = {r["site"]: r for r in json.loads(ours.read_text(encoding="utf-8"))}
    b = {r["site"]: r for r in json.loads(theirs.read_text(encoding="utf-8"))}
    if a.keys() != b.keys():
        return False, f"stations differ: {sorted(set(a) ^ set(b))[:5]}"
    bad = []
    for site, rec in a.items():
        for k in STATISTICS:
            x, y = rec["unrounded"][k], b[site]["unrounded"][k]
            if not (x == y or abs(x - y) <= 1e-9 * max(abs(x), abs(y))):
                bad.append(f"{site} {k}: {x} vs {y}")
        if rec["valid"] != b[site]["valid"] or rec["valid_days"] != b[site]["valid_days"]:
            bad.append(f"{site} validity: {rec['valid']}/{rec['valid_days']} vs {b[site]['valid']}/{b[site]['valid_days']}")
    valid = sum(r["valid"] for r in a.values())
    if bad:
        return False, f"{len(bad)} differences, e.g. {bad[:3]}"
    return True, f"{len(a)} stations agree ({valid} valid years)"


def bench_size(stations: int, repeat: int, work: Path, *, aqi: bool) -> tuple[bool, list[str]]:
    csv = work / f"air{stations}.csv"
    t0 = time.perf_counter()
    # In a child process: this one stays small, so a child's peak memory (which counts the pages it
    # shared with this process until it started) is its own.
    subprocess.run([sys.executable, str(HERE / "airdata.py"), str(csv), "--stations", str(stations)], check=True)
    rows = sum(1 for _ in csv.open("rb")) - 1
    size_mb = csv.stat().st_size / 1e6
    lines = [f"{stations} stations: {rows:,} rows, CSV {size_mb:,.0f} MB (generated in {time.perf_counter() - t0:.0f} s)"]
    print(lines[-1], flush=True)
    ours, theirs = work / "envplan.json", work / "baseline.json"
    env_cmd = [*envplan_command(), "air-stats", str(csv), "--period", "year", "-f", "json", "-o", str(ours)]
    base_cmd = [sys.executable, str(HERE / "baseline_polars.py"), str(csv), str(theirs)]
    rounds = []
    for r in range(repeat):
        order = [("envplan", env_cmd), ("baseline", base_cmd)]
        results = {name: run(cmd) for name, cmd in (order if r % 2 == 0 else order[::-1])}
        rounds.append(results)
        e, b = results["envplan"], results["baseline"]
        print(f"  round {r + 1}: envplan {e[0]:.2f} s {e[1]:,.0f} MB | baseline {b[0]:.2f} s {b[1]:,.0f} MB | ratio {e[0] / b[0]:.2f}", flush=True)
    ok, text = compare(ours, theirs)
    med = {k: (statistics.median(r[k][0] for r in rounds), max(r[k][1] for r in rounds)) for k in ("envplan", "baseline")}
    ratio = statistics.median(r["envplan"][0] / r["baseline"][0] for r in rounds)
    lines.append(
        f"  median envplan {med['envplan'][0]:.2f} s, baseline {med['baseline'][0]:.2f} s, ratio {ratio:.2f} "
        f"(median of {repeat} rounds); peak memory envplan {med['envplan'][1]:,.0f} MB "
        f"({med['envplan'][1] / size_mb:.2f}× the CSV), baseline {med['baseline'][1]:,.0f} MB; {text}"
    )
    print(lines[-1], flush=True)
    if aqi:  # envplan aqi -f json / -f parquet against air-stats, rounds of their own (bench_aqi.py)
        from bench_aqi import bench_file

        print("  envplan aqi (bench_aqi.py):", flush=True)
        aqi_ok, aqi_lines = bench_file(csv, work, repeat, goal=2.0)
        lines += aqi_lines
        if not aqi_ok:
            print("  envplan aqi: a ratio to air-stats is above 2 (issue 12, goal 4)", flush=True)
        for name in ("stats.json", "aqi.json", "aqi.parquet"):
            (work / name).unlink(missing_ok=True)
    csv.unlink()
    return ok, lines


def bench_startup(repeat: int) -> list[str]:
    """Fresh processes, bytecode compiled (as after ``pip install``): medians of ``repeat`` runs."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    lines = []
    for args in (["--help"], ["plans"], ["air-stats", "--help"]):
        command = [*envplan_command(), *args]
        run(command, env=env)  # writes the bytecode if it is missing
        times = sorted(run(command, env=env)[0] for _ in range(repeat))
        lines.append(f"envplan {' '.join(args)}: median {statistics.median(times):.2f} s (min {times[0]:.2f}, {repeat} runs)")
        print(lines[-1], flush=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, nargs="+", default=[100])
    parser.add_argument("--repeat", type=int, default=3, help="rounds per size (default 3)")
    parser.add_argument(
        "--aqi",
        action="store_true",
        help="also time envplan aqi to JSON and Parquet against air-stats (bench_aqi.py)",
    )
    parser.add_argument("--startup", action="store_true", help="time cold starts instead")
    parser.add_argument("--workdir", type=Path, default=None, help="where the CSV goes (default: a temp folder)")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; envplan: {' '.join(envplan_command())}")
    if args.startup:
        bench_startup(max(args.repeat, 5))
        return 0
    work = Path(tempfile.mkdtemp(prefix="envplan-bench-", dir=args.workdir))
    status = 0
    try:
        for n in args.stations:
            ok, _ = bench_size(n, args.repeat, work, aqi=args.aqi)
            status |= not ok
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main())

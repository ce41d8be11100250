"""Cold start of ``envplan``: fresh processes, against a bare interpreter importing the same stack.

    python benchmarks/bench_startup.py                 # 15 rounds
    python benchmarks/bench_startup.py --repeat 30     # steadier figures on a busy machine
    python benchmarks/bench_startup.py --tree ../old   # the envplan of another checkout (a git worktree)

Each round starts, as fresh processes and in turn (so other work on the machine slows all of them alike):

* the baseline, ``python -c "import pluggy, attrs, yaml"`` — the interpreter and the libraries every
  envplan command imports, so the figures mean the same on a fast and a slow machine;
* ``python -m envplan_core plans``, ``envplan --help`` and ``envplan plans -f json``.

Output goes to /dev/null; wall time from start to exit. Before the first round each command runs once with
bytecode writing on (``PYTHONDONTWRITEBYTECODE`` unset): the rounds then find compiled bytecode, as after
``pip install``. Printed per command: the minimum and median, the minimum above the baseline's minimum and
the ratio of the minima; the goal of issue 12 (≤ 0.3 s for ``plans`` and ``--help``) is checked on the
minima. Exit code 0 whether or not the goal is met (a busy machine is no failure).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

GOAL = 0.3
BASELINE = ("baseline: python -c 'import pluggy, attrs, yaml'", ["-c", "import pluggy, attrs, yaml"])


def envplan_script() -> list[str]:
    script = Path(sys.executable).with_name("envplan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "envplan_core"]


def commands() -> list[tuple[str, list[str]]]:
    return [
        (BASELINE[0], [sys.executable, *BASELINE[1]]),
        ("python -m envplan_core plans", [sys.executable, "-m", "envplan_core", "plans"]),
        ("envplan --help", [*envplan_script(), "--help"]),
        ("envplan plans -f json", [*envplan_script(), "plans", "-f", "json"]),
    ]


def environment(tree: Path | None) -> dict[str, str]:
    """This environment with bytecode writing on; with ``tree``, that checkout's code first on the path."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if tree is not None:
        paths = [tree / "src", *sorted(p for p in (tree / "plugins").glob("*") if p.is_dir())]
        env["PYTHONPATH"] = os.pathsep.join([*(str(p.resolve()) for p in paths), env.get("PYTHONPATH", "")])
    return env


def run(command: list[str], env: dict[str, str]) -> float:
    """Wall seconds of ``command`` as a fresh process (output discarded; a failure stops the benchmark)."""
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr.decode()}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="rounds (default 15)")
    parser.add_argument(
        "--tree", type=Path, help="time the envplan of this checkout (its src/ and plugins/*/)"
    )
    args = parser.parse_args(argv)
    env = environment(args.tree)
    cmds = commands()
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; "
        f"{args.repeat} rounds; envplan from {args.tree or 'this environment'}",
        flush=True,
    )
    for _, command in cmds:  # compiles and writes the bytecode that is missing
        run(command, env)
    times: dict[str, list[float]] = {name: [] for name, _ in cmds}
    for _ in range(args.repeat):
        for name, command in cmds:
            times[name].append(run(command, env))
    base = min(times[BASELINE[0]])
    width = max(len(name) for name, _ in cmds)
    print(f"{'':{width}}   min      median   min − baseline   min / baseline")
    for name, _ in cmds:
        best, median = min(times[name]), statistics.median(times[name])
        extra = "" if name == BASELINE[0] else f"   {best - base:+.3f} s         {best / base:5.1f}×"
        print(f"{name:{width}}   {best:.3f} s  {median:.3f} s{extra}")
    goal = {name: min(times[name]) <= GOAL for name, _ in cmds[1:3]}
    print(
        f"goal ≤ {GOAL} s (min): " + "; ".join(f"{n}: {'met' if ok else 'not met'}" for n, ok in goal.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

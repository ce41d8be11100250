"""county_tool: a per-unit digest of an envplan evaluation, as a county office circulates it.

``digest(report)`` groups the findings that need action (not met, overdue, insufficient data) by lead
unit; ``evaluate_folder`` evaluates a folder of monitoring, inventory and progress files. An EXAMPLE of
a downstream project: it uses envplan's public API (``envplan_core``) only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import envplan_core as ep

__all__ = ["ACTION", "digest", "evaluate_folder", "main"]

#: Statuses a unit has to act on, worst first.
ACTION = (ep.Status.NOT_MET, ep.Status.OVERDUE, ep.Status.INSUFFICIENT_DATA)


def digest(report: ep.Report) -> dict[str, dict[str, list[str]]]:
    """``{lead unit: {status: [finding ids]}}`` for the findings that need action, units sorted."""
    out: dict[str, dict[str, list[str]]] = {}
    for finding in report.sorted():
        if finding.status not in ACTION:
            continue
        for unit in finding.lead or ("（未指定牵头单位）",):
            ids = out.setdefault(unit, {}).setdefault(finding.status.value, [])
            if finding.id not in ids:
                ids.append(finding.id)
    return dict(sorted(out.items()))


def _files(folder: Path, pattern: str) -> list[str] | None:
    found = sorted(str(p) for p in folder.glob(pattern))
    return found or None


def evaluate_folder(engine: ep.Engine, folder: str | Path, *, as_of: dt.date | str) -> ep.Report:
    """Evaluate ``observations*.csv``, ``inventory*.yaml`` and ``progress*.csv`` of ``folder``."""
    base = Path(folder)
    return engine.evaluate(
        observations=_files(base, "observations*.csv"),
        inventory=_files(base, "inventory*.yaml"),
        progress=_files(base, "progress*.csv"),
        as_of=as_of,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``county-digest FOLDER --as-of DATE``: the digest as JSON."""
    parser = argparse.ArgumentParser(prog="county-digest", description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--as-of", required=True)
    args = parser.parse_args(argv)
    result: Mapping[str, object] = digest(evaluate_folder(ep.load(), args.folder, as_of=args.as_of))
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0

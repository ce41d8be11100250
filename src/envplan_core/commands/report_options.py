"""The report options of ``evaluate`` and ``demo`` — ``--unit``, ``--status``, ``--kind``, ``--sort``,
``--explain`` (and ``--plan`` on ``demo``) — and :func:`emit_report`, which applies them once and writes
every format from the same selection (:func:`envplan_core.render.view.select_findings`).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envplan_core.commands.base import PROG, CommandContext, UsageError, statuses
from envplan_core.findings import Report
from envplan_core.render import write_report
from envplan_core.render.table import console_width
from envplan_core.render.view import KINDS, SORT_KEYS, ReportFilter, ReportView, select_findings

if TYPE_CHECKING:
    from envplan_core.data.observations import ObservationSet
    from envplan_core.engine import Engine

__all__ = ["add_report_options", "chart_observations", "emit_report", "report_filter"]


def _kinds(text: str) -> list[str]:
    out = []
    for part in text.split(","):
        kind = part.strip()
        if kind not in KINDS:
            raise argparse.ArgumentTypeError(f"unknown kind {kind!r} (choose from {', '.join(KINDS)})")
        out.append(kind)
    return out


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """``--unit``, ``--status``, ``--kind`` and ``--sort``: the same selection in every format."""
    group = parser.add_argument_group("report filters (the same findings in every --format)")
    group.add_argument(
        "--unit",
        "-u",
        action="append",
        default=[],
        metavar="U",
        help="only findings of this responsible unit (name or alias; lead, support, or a group it belongs "
        "to, as 'tasks --unit'); repeatable",
    )
    group.add_argument(
        "--status",
        action="append",
        default=[],
        metavar="STATUS",
        type=statuses,
        help="only findings with STATUS (not_met, overdue …); repeatable or a comma list",
    )
    group.add_argument(
        "--kind",
        action="append",
        default=[],
        metavar="KIND",
        type=_kinds,
        help="only targets, rules or tasks (target, rule, task); repeatable or a comma list",
    )
    group.add_argument(
        "--explain",
        action="store_true",
        help="table and markdown: after the findings, the computation each verdict rests on (every target, "
        "and rules that compute a statistic): period, valid days or samples, statistic, unrounded and rounded "
        "value, rule applied, in Chinese and English; JSON always carries it in details.computation",
    )
    group.add_argument(
        "--sort",
        choices=list(SORT_KEYS),
        default="status",
        help="order of the findings: " + "; ".join(f"{k}: {v}" for k, v in SORT_KEYS.items()),
    )


def report_filter(args: argparse.Namespace, engine: Engine, *, plans: Sequence[str] = ()) -> ReportFilter:
    """The filter of the parsed options; an unknown unit is a usage error naming ``envplan units``.
    ``plans`` (plan ids or short names) filters by plan — ``demo --plan``; ``evaluate --plan`` selects
    the plans to evaluate instead, which leaves nothing to filter."""
    catalog = engine.catalog
    for unit in args.unit:
        if catalog.units.resolve(unit) is None:
            raise UsageError(
                f"--unit: unknown responsible unit {unit!r}",
                prog=f"{PROG} {getattr(args, 'command', '') or ''}".strip(),
                hint="'envplan units'",
            )
    plan_ids = [p.id for p in catalog.select(plans)] if plans else []
    return ReportFilter(
        units=list(args.unit),
        statuses=[s for group in args.status for s in group],
        plans=plan_ids,
        kinds=list(dict.fromkeys(k for group in args.kind for k in group)),
        sort=args.sort,
    )


def chart_observations(
    engine: Engine, args: argparse.Namespace, files: Sequence[str], *, ignore_extra_columns: bool = False
) -> ObservationSet | str | list[str] | None:
    """What to give ``Engine.evaluate`` as observations: for ``--format html`` the files read once here
    (so the report can draw the series behind each target from the same rows), otherwise the paths."""
    if not files:
        return None
    if getattr(args, "format", "table") != "html":
        return files[0] if len(files) == 1 else list(files)
    from envplan_core.data.observations import read_observations

    source: Any = files[0] if len(files) == 1 else list(files)
    return read_observations(source, parameters=engine.catalog.parameters, ignore_extra_columns=ignore_extra_columns)


def emit_report(
    ctx: CommandContext,
    report: Report,
    *,
    title: str = "",
    notices: Sequence[str] = (),
    inputs: Sequence[str] = (),
    extra: Mapping[str, Any] | None = None,
    observations: Any = None,
    plans: Sequence[str] = (),
) -> ReportView:
    """Select the findings the options ask for and write them in ``--format`` to ``--output`` or stdout."""
    from envplan_core.data.observations import ObservationSet

    fmt = str(getattr(ctx.args, "format", "table"))
    explain = bool(getattr(ctx.args, "explain", False))
    if explain and fmt in ("html", "xlsx"):
        raise UsageError(
            f"--explain is for --format table or markdown (json always carries details.computation; "
            f"the {fmt} report shows each finding's details)",
            prog=f"{PROG} {getattr(ctx.args, 'command', '') or ''}".strip(),
        )
    engine = ctx.engine()
    view = select_findings(report, report_filter(ctx.args, engine, plans=plans), catalog=engine.catalog)
    output = getattr(ctx.args, "output", None)

    def render(target: Path | None) -> None:
        write_report(
            view,
            str(getattr(ctx.args, "format", "table")),
            stdout=ctx.stdout,
            output=target,
            width=console_width(),
            title=title,
            notices=notices,
            inputs=inputs,
            extra=extra,
            catalog=engine.catalog,
            observations=observations if isinstance(observations, ObservationSet) else None,
            explain=explain,
        )

    if output is None:
        render(None)
    else:  # atomically, and never over an input file (CommandContext.output_file)
        with ctx.output_file(output) as tmp:
            render(tmp)
    return view

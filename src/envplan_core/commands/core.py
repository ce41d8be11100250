"""The core's own commands: plans, targets, rules, tasks, units, evaluate, demo.

They are registered by the built-in plugin through the ``envplan_commands`` hook, like any plugin's.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envplan_core._sources import source_label
from envplan_core.commands.base import (
    PROG,
    Command,
    CommandContext,
    Handler,
    UsageError,
    add_format_option,
    add_plan_option,
    input_file,
    input_source,
    iso_date,
    statuses,
)
from envplan_core.commands.report_options import add_report_options, chart_observations, emit_report
from envplan_core.errors import PluginError
from envplan_core.findings import Finding, Report, Status
from envplan_core.model import Plan, Task
from envplan_core.render import (
    Document,
    plans_document,
    rules_section,
    targets_document,
    tasks_document,
    units_document,
)
from envplan_core.render.json import plan_records, rule_records, target_records, task_records, unit_records

if TYPE_CHECKING:  # the engine (numpy, the readers) is loaded by ctx.engine(), not by envplan --help
    from envplan_core.engine import Engine

__all__ = ["CORE_COMMANDS", "DEFAULT_DEMO_AS_OF"]

DEFAULT_DEMO_AS_OF = "2023-12-31"


def _setup_plans(parser: argparse.ArgumentParser) -> Handler:
    """list loaded plans and their plugins"""
    add_format_option(parser)

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        records = plan_records(ctx.plans())
        ctx.emit(plans_document(records), records)
        return 0

    return run


def _setup_targets(parser: argparse.ArgumentParser) -> Handler:
    """targets with thresholds and citations (rules listed after them)"""
    add_plan_option(parser)
    add_format_option(parser)

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        catalog = ctx.engine().catalog
        plans = catalog.select(args.plan)
        targets = target_records(catalog, plans)
        ctx.emit(targets_document(targets, rule_records(catalog, plans)), targets)
        return 0

    return run


def _setup_rules(parser: argparse.ArgumentParser) -> Handler:
    """rules over inventory records and observations"""
    add_plan_option(parser)
    add_format_option(parser)

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        catalog = ctx.engine().catalog
        rules = rule_records(catalog, catalog.select(args.plan))
        ctx.emit(Document(title="规则 Rules", sections=[rules_section(rules)]), rules)
        return 0

    return run


def _task_unit_names(task: Task) -> list[str]:
    return [*task.lead, *task.support, *(name for row in task.attachments for name in row.lead)]


def _setup_tasks(parser: argparse.ArgumentParser) -> Handler:
    """the task ledger: numbers, responsible units, deadlines"""
    add_plan_option(parser)
    parser.add_argument(
        "--unit",
        "-u",
        metavar="U",
        help="a responsible unit or alias; matches lead, support and groups it belongs to "
        "(a town matches tasks of 各镇)",
    )
    parser.add_argument(
        "--due-before",
        metavar="DATE",
        type=iso_date,
        help="only tasks with a dated deadline on or before DATE (ongoing tasks excluded)",
    )
    parser.add_argument(
        "--units-file",
        metavar="F",
        type=input_file,
        help="county units file overriding group membership "
        "(same shape as envplan_core/county/xinjiang.yaml)",
    )
    add_format_option(parser)

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        catalog = ctx.engine().catalog
        pairs: list[tuple[Plan, Task]] = [(p, t) for p in catalog.select(args.plan) for t in p.tasks]
        filters: list[str] = []
        if args.unit:
            unit = catalog.units.resolve(args.unit)
            if unit is None:
                raise UsageError(
                    f"--unit: unknown responsible unit {args.unit!r}",
                    prog=f"{PROG} tasks",
                    hint="'envplan units'",
                )
            pairs = [(p, t) for p, t in pairs if catalog.units.matches(args.unit, _task_unit_names(t))]
            filters.append(
                f"单位 Unit: {unit.name_zh} {unit.name_en}"
                "（牵头、配合或所在组 as lead, support or member of a group）"
            )
        if args.due_before is not None:
            day: dt.date = args.due_before
            pairs = [(p, t) for p, t in pairs if any(d.due is not None and d.due <= day for d in t.deadlines)]
            filters.append(f"期限不晚于 Due on or before: {day.isoformat()}")
        records = task_records(catalog, pairs)
        ctx.emit(tasks_document(records, filters=filters), records)
        return 0

    return run


def _setup_units(parser: argparse.ArgumentParser) -> Handler:
    """responsible units, aliases, groups"""
    parser.add_argument(
        "--units-file", metavar="F", type=input_file, help="county units file overriding group membership"
    )
    add_format_option(parser)

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        records = unit_records(ctx.engine().catalog)
        ctx.emit(units_document(records), records)
        return 0

    return run


def _one_or_many(paths: Sequence[str] | None) -> str | list[str] | None:
    if not paths:
        return None
    return paths[0] if len(paths) == 1 else list(paths)


def _fail_code(report: Report, fail_on: Iterable[Status], findings: Iterable[Finding] | None = None) -> int:
    wanted = set(fail_on)
    kept = report.findings if findings is None else findings
    return 1 if wanted and any(f.status in wanted for f in kept) else 0


def _input_lines(observations: Sequence[Any], inventory: Sequence[Any], progress: Sequence[Any]) -> list[str]:
    lines = []
    for label, files in (
        ("观测 observations", observations),
        ("清单 inventory", inventory),
        ("进展 progress", progress),
    ):
        if files:
            lines.append(f"输入 Input, {label}: " + "; ".join(source_label(f) for f in files))
    return lines


def _needs(plans: Sequence[Plan]) -> list[str]:
    """What each plan reads, for the warning printed when ``evaluate`` gets no input file at all."""
    lines = [
        "nothing to evaluate: without input every target would be insufficient_data and every past deadline "
        "overdue, with no evidence either way. What each selected plan reads:"
    ]
    for plan in plans:
        parameters = sorted({t.parameter for t in plan.targets if t.parameter})
        sites = [s.name_zh for s in plan.sites if any(t.subject == s.id for t in plan.targets)]
        kinds = sorted({r.applies_to for r in plan.rules if r.applies_to})
        dated = [t for t in plan.tasks if any(d.due is not None for d in t.deadlines)]
        parts = []
        if parameters or sites:
            parts.append(
                f"observations of {', '.join(parameters) or 'its sites'}"
                + (f" at {', '.join(sites)}" if sites else "")
            )
        if kinds:
            parts.append(f"inventory records of kind {', '.join(kinds)}")
        if plan.tasks:
            parts.append(
                f"a progress file for its {len(plan.tasks)} tasks ({len(dated)} dated; {plan.tasks[0].id} …)"
            )
        lines.append(f"  {plan.id}: " + "; ".join(parts or ["nothing (no target, rule or task)"]))
    return lines


def _setup_evaluate(parser: argparse.ArgumentParser) -> Handler:
    """evaluate targets, rules and tasks against input data as of a day"""
    parser.add_argument(
        "--observations",
        action="append",
        default=[],
        metavar="F",
        type=input_source,
        help="monitoring series, long format CSV/XLSX/Parquet or a folder of Parquet files "
        "(site,parameter,time,value,unit); '-' reads standard input; repeatable",
    )
    parser.add_argument(
        "--inventory",
        action="append",
        default=[],
        metavar="F",
        type=input_file,
        help="facility/parcel/well records: YAML or JSON, or a CSV/XLSX register (id,kind,…); '-' reads "
        "standard input; repeatable",
    )
    parser.add_argument(
        "--progress",
        action="append",
        default=[],
        metavar="F",
        type=input_file,
        help="task status reports, CSV/XLSX (task,status,date,note); '-' reads standard input; repeatable",
    )
    parser.add_argument(
        "--as-of",
        required=True,
        type=iso_date,
        metavar="DATE",
        help="the day the evaluation is for (YYYY-MM-DD)",
    )
    add_plan_option(parser)
    add_format_option(parser)
    add_report_options(parser)
    parser.add_argument(
        "--fail-on",
        action="append",
        default=[],
        metavar="STATUS",
        type=statuses,
        help="exit 1 when a finding has STATUS (e.g. not_met, overdue); repeatable or a comma list",
    )
    parser.add_argument(
        "--strict", action="store_true", help="observation rows for sites no selected plan names are an error"
    )
    parser.add_argument(
        "--ignore-extra-columns",
        action="store_true",
        help="accept unknown extra columns in observation files",
    )
    parser.add_argument(
        "--units-file", metavar="F", type=input_file, help="county units file overriding group membership"
    )

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        engine = ctx.engine()
        if not (args.observations or args.inventory or args.progress):
            for line in _needs(engine.catalog.select(args.plan)):
                ctx.note(line)
            raise UsageError(
                "no input file: give --observations, --inventory or --progress (a progress file with only "
                "its header row judges every task from its deadlines alone; 'envplan tasks --due-before "
                "DATE' lists the deadlines)",
                prog=f"{PROG} evaluate",
            )
        observations = chart_observations(
            engine, args, args.observations, ignore_extra_columns=args.ignore_extra_columns
        )
        report = engine.evaluate(
            observations=observations,
            inventory=_one_or_many(args.inventory),
            progress=_one_or_many(args.progress),
            as_of=args.as_of,
            plans=args.plan or None,
            strict=args.strict,
            ignore_extra_columns=args.ignore_extra_columns,
        )
        inputs = _input_lines(args.observations, args.inventory, args.progress)
        view = emit_report(ctx, report, inputs=inputs, observations=observations)
        # --fail-on looks at the findings the filters kept (all of them without filters).
        return _fail_code(report, (s for group in args.fail_on for s in group), view.findings)

    return run


_EXAMPLE_GLOBS: dict[str, tuple[str, ...]] = {
    "observations": ("observations*.csv", "observations*.xlsx"),
    "inventory": (
        "inventory*.yaml",
        "inventory*.yml",
        "inventory*.json",
        "inventory*.csv",
        "inventory*.xlsx",
    ),
    "progress": ("progress*.csv", "progress*.xlsx"),
}

SYNTHETIC_NOTICE = (
    "注意：以下为合成示例数据的评估结果，不是真实监测数据。"
    " NOTE: SYNTHETIC example data — these are not real monitoring results."
)


def _example_folders(engine: Engine, ctx: CommandContext) -> list[Path]:
    pm = engine.plugin_manager
    if pm is None:
        return []
    folders: list[Path] = []
    for impl in reversed(pm.hook.envplan_example_data.get_hookimpls()):  # registration order
        name = pm.get_name(impl.plugin) or repr(impl.plugin)
        try:
            result: Any = impl.function()
            found = [Path(str(f)) for f in (result or ())]
        except Exception as exc:  # a plugin's bug is reported with its name
            raise PluginError(
                f"plugin {name!r} failed in envplan_example_data: {type(exc).__name__}: {exc}", plugin=name
            ) from exc
        for folder in found:
            if folder.is_dir():
                folders.append(folder)
            else:
                ctx.note(f"plugin {name!r}: example folder {folder} does not exist; skipped")
    return folders


def _setup_demo(parser: argparse.ArgumentParser) -> Handler:
    """evaluate the bundled (synthetic) example data and print the report"""
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=iso_date(DEFAULT_DEMO_AS_OF),
        metavar="DATE",
        help=f"the day the evaluation is for (default {DEFAULT_DEMO_AS_OF})",
    )
    add_format_option(parser)
    add_plan_option(parser)
    add_report_options(parser)

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        engine = ctx.engine()
        folders = _example_folders(engine, ctx)
        files: dict[str, list[str]] = {kind: [] for kind in _EXAMPLE_GLOBS}
        for folder in folders:
            for kind, patterns in _EXAMPLE_GLOBS.items():
                for pattern in patterns:
                    files[kind].extend(str(p) for p in sorted(folder.glob(pattern)) if p.is_file())
        if not any(files.values()):
            message = (
                "envplan demo: no loaded plugin provides example data (hook envplan_example_data); "
                "nothing to evaluate.\n"
            )
            (ctx.stdout if args.format == "table" else ctx.stderr).write(message)
            return 0
        observations = chart_observations(engine, args, files["observations"])
        report = engine.evaluate(
            observations=observations,
            inventory=_one_or_many(files["inventory"]),
            progress=_one_or_many(files["progress"]),
            as_of=args.as_of,
        )
        emit_report(
            ctx,
            report,
            title=f"envplan 演示 demo（合成数据 SYNTHETIC data）— {report.as_of.isoformat()}",
            notices=[SYNTHETIC_NOTICE],
            inputs=_input_lines(files["observations"], files["inventory"], files["progress"]),
            extra={"synthetic": True, "example_folders": [str(f) for f in folders]},
            observations=observations,
            plans=args.plan,
        )
        return 0

    return run


CORE_COMMANDS: tuple[Command, ...] = (
    Command("plans", _setup_plans, computes=False),
    Command("targets", _setup_targets),
    Command("rules", _setup_rules),
    Command("tasks", _setup_tasks),
    Command("units", _setup_units),
    Command("evaluate", _setup_evaluate),
    Command("demo", _setup_demo),
)

"""The ``envplan`` command (DESIGN §6): list plans, targets, rules, tasks and units; evaluate input data.

Exit codes: 0 the command ran (whatever the findings); 1 only with ``--fail-on STATUS`` when a finding
has that status; 2 for bad arguments, unreadable files, bad input data or a bad plugin — one line on
stderr (``envplan: error: …``), the traceback only with ``--debug``.

Commands are registered through :func:`register_command`, the built-in ones too. A module that adds
commands (the standards' ``classify``, ``aqi``, ``air-stats``) calls it at import time and is listed in
:data:`COMMAND_MODULES`; a setup function receives its ``argparse`` sub-parser, adds its options and
returns the handler ``run(args, ctx) -> int``::

    from envplan_core.cli import CommandContext, add_format_option, register_command
    from envplan_core.render import Document, Section

    def setup_aqi(parser):
        parser.add_argument("file")
        add_format_option(parser)

        def run(args, ctx: CommandContext) -> int:
            rows = [...]
            ctx.emit(Document(title="AQI", sections=[Section(title="…", columns=(…), rows=rows)]), rows)
            return 0

        return run

    register_command("aqi", setup_aqi, summary="hourly/daily AQI per HJ 633")
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

import attrs

from envplan_core import __version__
from envplan_core.engine import Engine, load, parse_as_of
from envplan_core.errors import DataError, EnvplanError, PluginError
from envplan_core.findings import Report, Status
from envplan_core.model import Plan, Task
from envplan_core.render import (
    FORMATS,
    Document,
    plans_document,
    report_document,
    rules_section,
    targets_document,
    tasks_document,
    units_document,
    write,
)
from envplan_core.render.json import plan_records, rule_records, target_records, task_records, unit_records
from envplan_core.render.table import console_width

__all__ = [
    "COMMAND_MODULES",
    "CommandContext",
    "Handler",
    "SetupFn",
    "UsageError",
    "add_format_option",
    "add_plan_option",
    "build_parser",
    "iso_date",
    "main",
    "register_command",
]

PROG = "envplan"
DEFAULT_DEMO_AS_OF = "2023-12-31"

#: Modules imported before the parser is built, so the commands they register exist. A module that is
#: not installed is skipped; one that fails to import is reported on stderr and its commands are missing.
COMMAND_MODULES: tuple[str, ...] = ("envplan_core.standards.cli_water", "envplan_core.standards.cli_air")


class UsageError(EnvplanError):
    """Bad command-line arguments (exit 2). ``prog`` names the (sub)command for the help hint."""

    def __init__(self, message: str, *, prog: str = PROG, hint: str | None = None) -> None:
        self.prog = prog
        sub = prog.removeprefix(PROG).strip()
        where = f"{sub}: " if sub else ""
        super().__init__(f"{where}{message} (see {hint or repr(prog + ' --help')})")


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of printing usage and exiting, so ``main`` can report one
    line and return 2 (in-process callers and tests get an exit code, not a SystemExit)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, prog=self.prog)


# -- the command registry -----------------------------------------------------------------------------

Handler = Callable[[argparse.Namespace, "CommandContext"], "int | None"]
SetupFn = Callable[[argparse.ArgumentParser], Handler]


@attrs.frozen
class _Command:
    name: str
    setup: SetupFn
    summary: str
    description: str = ""
    reserved: bool = False


_COMMANDS: dict[str, _Command] = {}


def register_command(
    name: str, setup_fn: SetupFn, *, summary: str = "", description: str = "", replace: bool = False
) -> None:
    """Add a subcommand ``envplan NAME``.

    :param name: the subcommand's name (``classify``, ``aqi``, ``air-stats`` …).
    :param setup_fn: called with the subcommand's ``argparse`` parser; adds its arguments and returns
        the handler ``run(args, ctx)``, which returns the exit code (None counts as 0). Raise an
        :class:`~envplan_core.errors.EnvplanError` for bad input: the CLI reports it and exits 2.
    :param summary: one line for ``envplan --help`` (default: the first line of ``setup_fn``'s docstring).
    :param description: the text of ``envplan NAME --help``; default ``summary``.
    :param replace: replace a command already registered (reserved names are always replaced).
    :raises ValueError: when ``name`` is taken and ``replace`` is false.
    """
    existing = _COMMANDS.get(name)
    if existing is not None and not existing.reserved and not replace:
        raise ValueError(f"envplan command {name!r} is already registered")
    doc = (setup_fn.__doc__ or "").strip().splitlines()
    summary = summary or (doc[0] if doc else "")
    _COMMANDS[name] = _Command(name=name, setup=setup_fn, summary=summary, description=description or summary)


def _reserve(name: str, summary: str) -> None:
    """A contract command (DESIGN §6) whose implementation lives in another module: until that module
    registers it, ``envplan NAME`` explains that it is not available instead of 'invalid choice'."""

    def setup(parser: argparse.ArgumentParser) -> Handler:
        parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)

        def run(args: argparse.Namespace, ctx: CommandContext) -> int:
            raise UsageError(
                f"'{name}' is not available in this installation (no installed module registers it)",
                prog=f"{PROG} {name}",
            )

        return run

    _COMMANDS[name] = _Command(name=name, setup=setup, summary=f"{summary} (not installed)", reserved=True)


def _load_command_modules(stderr: TextIO) -> None:
    for module in COMMAND_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is not None and (module == exc.name or module.startswith(f"{exc.name}.")):
                continue  # not written or not installed: its reserved commands say so and exit 2
            _warn_module(stderr, module, exc)
        except Exception as exc:  # noqa: BLE001 - a broken extension must not take the other commands down
            _warn_module(stderr, module, exc)


def _warn_module(stderr: TextIO, module: str, exc: BaseException) -> None:
    stderr.write(f"{PROG}: warning: commands from {module} unavailable: {type(exc).__name__}: {exc}\n")


# -- context given to every handler -------------------------------------------------------------------


def _plugin_list(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [name.strip() for name in value.split(",") if name.strip()]


@attrs.define
class CommandContext:
    """What a handler gets besides its arguments: the streams, the engine (loaded on first use with the
    ``--plugins``/``--units-file`` options) and :meth:`emit` to write a document in ``--format``."""

    args: argparse.Namespace
    stdout: TextIO
    stderr: TextIO
    _engine: Engine | None = None

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = load(
                plugins=_plugin_list(getattr(self.args, "plugins", None)),
                units_file=getattr(self.args, "units_file", None),
            )
        return self._engine

    def emit(
        self, document: Document, data: Any, *, fmt: str | None = None, output: str | None = None
    ) -> None:
        """Write ``document`` (or ``data`` for json) in ``--format`` to ``--output`` or stdout."""
        fmt = str(fmt or getattr(self.args, "format", "table"))
        output = output if output is not None else getattr(self.args, "output", None)
        path = write(document, data, fmt, stdout=self.stdout, output=output, width=console_width())
        if path is not None:
            self.note(f"wrote {path}")

    def note(self, message: str) -> None:
        self.stderr.write(f"{PROG}: {message}\n")


# -- argument helpers -------------------------------------------------------------------------------------


def iso_date(text: str) -> dt.date:
    """argparse type: an ISO date (YYYY-MM-DD)."""
    try:
        return parse_as_of(text)
    except DataError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None


def _input_file(text: str) -> str:
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"cannot read {text!r}: no such file")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"cannot read {text!r}: it is a directory")
    return text


def _statuses(text: str) -> list[Status]:
    out = []
    for part in text.split(","):
        try:
            out.append(Status(part.strip()))
        except ValueError:
            choices = ", ".join(s.value for s in Status)
            message = f"unknown status {part.strip()!r} (choose from {choices})"
            raise argparse.ArgumentTypeError(message) from None
    return out


def add_format_option(parser: argparse.ArgumentParser, *, formats: Sequence[str] = FORMATS) -> None:
    """``--format F`` (default ``table``) and ``--output PATH`` (needed for ``xlsx``)."""
    parser.add_argument(
        "--format",
        "-f",
        choices=list(formats),
        default="table",
        help="output format (default: table; xlsx needs --output)",
    )
    parser.add_argument(
        "--output", "-o", metavar="PATH", default=None, help="write to PATH instead of stdout"
    )


def add_plan_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--plan",
        "-p",
        action="append",
        default=[],
        metavar="P",
        help="a plan id (water-2023) or plugin short name (water); repeatable; default all",
    )


def _add_globals(parser: argparse.ArgumentParser, *, sub: bool) -> None:
    # On sub-parsers the defaults are SUPPRESS so `envplan tasks --debug` and `envplan --debug tasks`
    # both work and neither overwrites the other.
    parser.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS if sub else False,
        help="show the traceback of an error",
    )
    parser.add_argument(
        "--plugins",
        metavar="MODULES",
        default=argparse.SUPPRESS if sub else None,
        help="comma-separated plugin modules to load instead of the installed entry points",
    )


# -- built-in commands ------------------------------------------------------------------------------------


def _setup_plans(parser: argparse.ArgumentParser) -> Handler:
    """list loaded plans and their plugins"""
    add_format_option(parser)

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        records = plan_records(ctx.engine().plans)
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
        type=_input_file,
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
        "--units-file", metavar="F", type=_input_file, help="county units file overriding group membership"
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


def _fail_code(report: Report, fail_on: Iterable[Status]) -> int:
    wanted = set(fail_on)
    return 1 if wanted and any(f.status in wanted for f in report.findings) else 0


def _input_lines(observations: Sequence[Any], inventory: Sequence[Any], progress: Sequence[Any]) -> list[str]:
    lines = []
    for label, files in (
        ("观测 observations", observations),
        ("清单 inventory", inventory),
        ("进展 progress", progress),
    ):
        if files:
            lines.append(f"输入 Input, {label}: " + "; ".join(str(f) for f in files))
    return lines


def _setup_evaluate(parser: argparse.ArgumentParser) -> Handler:
    """evaluate targets, rules and tasks against input data as of a day"""
    parser.add_argument(
        "--observations",
        action="append",
        default=[],
        metavar="F",
        type=_input_file,
        help="monitoring series, long format CSV/XLSX (site,parameter,time,value,unit); repeatable",
    )
    parser.add_argument(
        "--inventory",
        action="append",
        default=[],
        metavar="F",
        type=_input_file,
        help="facility/parcel/well records, YAML or JSON; repeatable",
    )
    parser.add_argument(
        "--progress",
        action="append",
        default=[],
        metavar="F",
        type=_input_file,
        help="task status reports, CSV/XLSX (task,status,date,note); repeatable",
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
    parser.add_argument(
        "--fail-on",
        action="append",
        default=[],
        metavar="STATUS",
        type=_statuses,
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
        "--units-file", metavar="F", type=_input_file, help="county units file overriding group membership"
    )

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        report = ctx.engine().evaluate(
            observations=_one_or_many(args.observations),
            inventory=_one_or_many(args.inventory),
            progress=_one_or_many(args.progress),
            as_of=args.as_of,
            plans=args.plan or None,
            strict=args.strict,
            ignore_extra_columns=args.ignore_extra_columns,
        )
        inputs = _input_lines(args.observations, args.inventory, args.progress)
        ctx.emit(report_document(report, inputs=inputs), report.to_dict())
        return _fail_code(report, (s for group in args.fail_on for s in group))

    return run


_EXAMPLE_GLOBS: dict[str, tuple[str, ...]] = {
    "observations": ("observations*.csv", "observations*.xlsx"),
    "inventory": ("inventory*.yaml", "inventory*.yml", "inventory*.json"),
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
        report = engine.evaluate(
            observations=_one_or_many(files["observations"]),
            inventory=_one_or_many(files["inventory"]),
            progress=_one_or_many(files["progress"]),
            as_of=args.as_of,
        )
        document = report_document(
            report,
            title=f"envplan 演示 demo（合成数据 SYNTHETIC data）— {report.as_of.isoformat()}",
            notices=[SYNTHETIC_NOTICE],
            inputs=_input_lines(files["observations"], files["inventory"], files["progress"]),
        )
        data = {"synthetic": True, "example_folders": [str(f) for f in folders], **report.to_dict()}
        ctx.emit(document, data)
        return 0

    return run


register_command("plans", _setup_plans)
register_command("targets", _setup_targets)
register_command("rules", _setup_rules)
register_command("tasks", _setup_tasks)
register_command("units", _setup_units)
register_command("evaluate", _setup_evaluate)
_reserve("classify", "water/soil class per GB 3838, GB/T 14848, GB 15618/36600")
_reserve("aqi", "hourly/daily AQI per HJ 633")
_reserve("air-stats", "HJ 663 statistics and composite index")
register_command("demo", _setup_demo)


# -- parser and main --------------------------------------------------------------------------------------

_EPILOG = """\
exit codes: 0 ran; 1 a finding has a --fail-on status; 2 bad arguments, input or plugin.
examples:
  envplan plans
  envplan tasks --plan water --unit 县住建局 --due-before 2023-12-31
  envplan evaluate --observations obs.csv --progress progress.csv --as-of 2023-12-31 --fail-on overdue
  envplan evaluate --inventory inventory.yaml --as-of 2023-12-31 --format xlsx --output report.xlsx
reference: docs/cli.md"""


def build_parser(*, stderr: TextIO | None = None) -> argparse.ArgumentParser:
    """The ``envplan`` parser with every registered command (after importing :data:`COMMAND_MODULES`)."""
    _load_command_modules(stderr or sys.stderr)
    parser = _Parser(
        prog=PROG,
        description="新绛县 2023 环境行动计划：可执行、带单位的规则。 Xinjiang County's 2023 environmental "
        "action plans as executable, unit-aware rules.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _add_globals(parser, sub=False)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for command in _COMMANDS.values():
        sub = subparsers.add_parser(command.name, help=command.summary, description=command.description)
        _add_globals(sub, sub=True)
        sub.set_defaults(_handler=command.setup(sub))
    return parser


def _one_line(message: str, *, limit: int = 10) -> str:
    """A multi-line error (validation problems) as one line: the head, then the first ``limit`` problems."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else message
    head, rest = lines[0].rstrip(":"), lines[1:]
    more = f"; … and {len(rest) - limit} more (--debug shows all)" if len(rest) > limit else ""
    return f"{head}: " + "; ".join(rest[:limit]) + more


def _describe(exc: BaseException) -> str:
    if isinstance(exc, EnvplanError):
        return str(exc)
    if isinstance(exc, OSError):
        name = exc.filename
        reason = exc.strerror or str(exc)
        return f"cannot access {name}: {reason}" if name else reason
    return (
        f"internal error: {type(exc).__name__}: {exc} "
        "(a bug in envplan or a plugin; --debug shows the traceback)"
    )


def _report_error(exc: BaseException, *, debug: bool, stderr: TextIO) -> int:
    if debug:
        traceback.print_exception(exc, file=stderr)
        stderr.write(f"{PROG}: error: {_describe(exc)}\n")
    else:
        stderr.write(f"{PROG}: error: {_one_line(_describe(exc))}\n")
    return 2


def _silence_stdout() -> None:
    """After a broken pipe (``envplan tasks | head``) point stdout at devnull so exit does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout replaced (tests) or already closed
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``envplan`` with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    stdout, stderr = sys.stdout, sys.stderr
    debug = "--debug" in args_list
    try:
        parser = build_parser(stderr=stderr)
        try:
            args = parser.parse_args(args_list)
        except SystemExit as exc:  # --help and --version
            return exc.code if isinstance(exc.code, int) else 0
        debug = bool(getattr(args, "debug", False))
        if not getattr(args, "command", None):
            raise UsageError(f"choose a command: {', '.join(_COMMANDS)}")
        handler: Handler = args._handler
        return int(handler(args, CommandContext(args=args, stdout=stdout, stderr=stderr)) or 0)
    except KeyboardInterrupt:
        stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except Exception as exc:  # noqa: BLE001 - every failure becomes one message and exit 2
        return _report_error(exc, debug=debug, stderr=stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

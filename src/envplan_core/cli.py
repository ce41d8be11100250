"""The ``envplan`` command: argument parsing and error reporting, nothing else.

Every subcommand comes from a plugin through the ``envplan_commands`` hook — the core's own commands
from its built-in plugin — so this module knows no command by name. Global options, read before the
subcommands are known (they choose the plugins that supply them):

* ``--plugins MODULES``: load these plugin modules instead of the installed entry points;
* ``-p no:NAME`` (repeatable) or ``ENVPLAN_DISABLE_PLUGINS=NAME,…``: leave one plugin out;
* ``--debug``: show the traceback of an error.

Exit codes: 0 the command ran (whatever the findings); 1 only with ``--fail-on STATUS`` when a finding
has that status; 2 for bad arguments, unreadable files, bad input data or a bad plugin — one line on
stderr (``envplan: error: …``), the traceback only with ``--debug``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

import attrs
import pluggy

from envplan_core import __version__
from envplan_core._sources import shown
from envplan_core.commands.base import PROG, ArgumentParser, Command, CommandContext, Handler, UsageError
from envplan_core.commands.registry import collect_commands
from envplan_core.errors import EnvplanError
from envplan_core.manager import DISABLE_ENV, get_plugin_manager

if TYPE_CHECKING:
    from envplan_core.engine import Engine
    from envplan_core.model import Plan

__all__ = ["GlobalOptions", "build_parser", "main", "split_globals"]


@attrs.frozen
class GlobalOptions:
    """The options that choose plugins, read from anywhere in the command line before parsing."""

    plugins: tuple[str, ...] | None = None
    disabled: tuple[str, ...] = ()
    debug: bool = False


def split_globals(argv: Sequence[str]) -> tuple[GlobalOptions, list[str]]:
    """Take ``--plugins``, ``-p no:NAME`` and ``--debug`` out of ``argv`` (anywhere in it).

    ``-p`` is a plugin switch only with a ``no:`` value, as in pytest; otherwise it stays for the
    subcommand (``tasks -p water`` is ``--plan water``).
    """
    rest: list[str] = []
    plugins: list[str] | None = None
    disabled: list[str] = []
    debug = False
    args = list(argv)
    i = 0
    while i < len(args):
        a = args[i]
        nxt = args[i + 1] if i + 1 < len(args) else None
        if a == "--":
            rest.extend(args[i:])
            break
        if a == "-p" and nxt is not None and nxt.startswith("no:"):
            disabled.append(nxt[3:])
            i += 2
            continue
        if a.startswith("-pno:"):
            disabled.append(a[5:])
        elif a == "--plugins" and nxt is not None:
            plugins = [*(plugins or []), *(n.strip() for n in nxt.split(",") if n.strip())]
            i += 2
            continue
        elif a.startswith("--plugins="):
            plugins = [*(plugins or []), *(n.strip() for n in a[10:].split(",") if n.strip())]
        elif a == "--debug":
            debug = True
        else:
            rest.append(a)
        i += 1
    return GlobalOptions(tuple(plugins) if plugins is not None else None, tuple(disabled), debug), rest


_EPILOG = f"""\
plugins: -p no:NAME disables one (or {DISABLE_ENV}=NAME,…); --plugins MODULES loads only those;
  'envplan plugins' lists what is installed.
exit codes: 0 ran; 1 a finding has a --fail-on status; 2 bad arguments, input or plugin.
examples:
  envplan plans
  envplan tasks --plan water --unit 县住建局 --due-before 2023-12-31
  envplan evaluate --observations obs.csv --progress progress.csv --as-of 2023-12-31 --fail-on overdue
  envplan evaluate --inventory inventory.yaml --as-of 2023-12-31 --format xlsx --output report.xlsx
  envplan classify --list
reference: docs/cli.md"""


def _add_global_help(parser: argparse.ArgumentParser) -> None:
    """The global options, for --help only: :func:`split_globals` has taken them out already."""
    group = parser.add_argument_group("plugins and errors (anywhere on the line)")
    group.add_argument("--debug", action="store_true", help="show the traceback of an error")
    group.add_argument(
        "--plugins",
        metavar="MODULES",
        help="comma-separated plugin modules to load instead of the installed entry points",
    )
    group.add_argument(
        "-p", dest="_disable", metavar="no:NAME", action="append", help="disable plugin NAME (repeatable)"
    )


class _SubParsers(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Sub-parsers set up when their command is chosen (:func:`main`): ``envplan plans`` does not run the
    setup of the other commands (``classify`` alone loads every plugin's classifiers), ``envplan --help``
    runs none. A sub-parser is complete before argparse reads its arguments, so parsing, ``COMMAND
    --help`` and errors are the same as with every sub-parser set up."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending: dict[str, Callable[[], None]] = {}

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        setup = self.pending.pop(values[0], None) if values else None
        if setup is not None:
            setup()
        super().__call__(parser, namespace, values, option_string)


def build_parser(pm: pluggy.PluginManager) -> argparse.ArgumentParser:
    """The ``envplan`` parser with every command the plugins of ``pm`` register."""
    return _build_parser(pm, lazy=False)


def _build_parser(pm: pluggy.PluginManager, *, lazy: bool) -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog=PROG,
        description="新绛县环境行动计划：可执行、带单位的规则。 Xinjiang County's environmental "
        "action plans as executable, unit-aware rules.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _add_global_help(parser)
    subparsers = cast(
        "_SubParsers",
        parser.add_subparsers(dest="command", metavar="COMMAND", title="commands", action=_SubParsers),
    )
    for command in collect_commands(pm):
        sub = subparsers.add_parser(
            command.name,
            help=command.help,
            description=command.description or command.help,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

        def setup(command: Command = command, sub: argparse.ArgumentParser = sub) -> None:
            sub.set_defaults(_handler=command.setup(sub), _computes=command.computes)

        if lazy:
            subparsers.pending[command.name] = setup
        else:
            setup()
    return parser


def _loader(pm: pluggy.PluginManager) -> Any:
    def load_engine(*, units_file: str | Path | None = None) -> Engine:
        from envplan_core.catalog import build_catalog
        from envplan_core.engine import Engine

        return Engine(catalog=build_catalog(pm, units_file=units_file), plugin_manager=pm)

    return load_engine


def _lister(pm: pluggy.PluginManager) -> Any:
    def list_plans() -> tuple[Plan, ...]:
        from envplan_core.catalog import list_plans as read

        return read(pm)

    return list_plans


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
    if isinstance(exc, FloatingPointError):
        return (
            f"arithmetic error ({exc}): a value in the input is too large or not a number "
            "(--debug shows where)"
        )
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
        import traceback

        traceback.print_exception(exc, file=stderr)
        stderr.write(f"{PROG}: error: {shown(_describe(exc))}\n")
    else:
        stderr.write(f"{PROG}: error: {shown(_one_line(_describe(exc)))}\n")
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
    stdout, stderr = sys.stdout, sys.stderr
    opts, args_list = split_globals(list(sys.argv[1:] if argv is None else argv))
    try:
        pm = get_plugin_manager(plugins=opts.plugins, disabled=opts.disabled)
        parser = _build_parser(pm, lazy=True)
        try:
            args = parser.parse_args(args_list)
        except SystemExit as exc:  # --help and --version
            return exc.code if isinstance(exc.code, int) else 0
        if not getattr(args, "command", None):
            raise UsageError("choose a command ('envplan --help' lists them)")
        handler: Handler = args._handler
        ctx = CommandContext(
            args=args, stdout=stdout, stderr=stderr, loader=_loader(pm), lister=_lister(pm)
        )
        if not getattr(args, "_computes", True):  # a listing: no arithmetic, numpy not imported
            return int(handler(args, ctx) or 0)
        # Floating-point trouble is an error, never a silent inf/NaN in a report (underflow to 0 is fine).
        import numpy as np

        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            return int(handler(args, ctx) or 0)
    except KeyboardInterrupt:
        stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except Exception as exc:  # noqa: BLE001 - every failure becomes one message and exit 2
        return _report_error(exc, debug=opts.debug, stderr=stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The command framework: what a command or classifier provides, and what its handler is given.

A plugin adds ``envplan`` subcommands through the hook ``envplan_commands`` and classification kinds
(``envplan classify KIND``) through ``envplan_classifiers``; the core's own commands arrive through the
same hooks from its built-in plugin. A :class:`Command` (or :class:`Classifier`) names a setup function
that receives its ``argparse`` sub-parser, adds its options and returns the handler
``run(args, ctx) -> int``::

    from envplan_core.plugin import Command, CommandContext, Document, Section, add_format_option, hookimpl

    def setup_hello(parser):
        parser.add_argument("name")
        add_format_option(parser)

        def run(args, ctx: CommandContext) -> int:
            rows = [{"greeting": f"你好 {args.name}"}]
            ctx.emit(Document(title="Hello", sections=[Section(title="", columns=("greeting",),
                     rows=[(r["greeting"],) for r in rows])]), rows)
            return 0

        return run

    @hookimpl
    def envplan_commands():
        return [Command("hello", setup_hello, summary="say hello")]

A handler raises an :class:`~envplan_core.errors.EnvplanError` for bad input: the CLI prints one line
and exits 2.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import tempfile
import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import attrs

from envplan_core._sources import shown, shown_as, source_label
from envplan_core.errors import DataError, EnvplanError
from envplan_core.findings import Status
from envplan_core.render import FORMATS, Document, write
from envplan_core.render.table import console_width

if TYPE_CHECKING:
    from envplan_core.engine import Engine
    from envplan_core.model import Plan

__all__ = [
    "PROG",
    "Classifier",
    "Command",
    "CommandContext",
    "Handler",
    "SetupFn",
    "UsageError",
    "add_format_option",
    "add_plan_option",
    "input_file",
    "input_source",
    "iso_date",
    "statuses",
]

PROG = "envplan"


class UsageError(EnvplanError):
    """Bad command-line arguments (exit 2). ``prog`` names the (sub)command for the help hint."""

    def __init__(self, message: str, *, prog: str = PROG, hint: str | None = None) -> None:
        self.prog = prog
        sub = prog.removeprefix(PROG).strip()
        where = f"{sub}: " if sub else ""
        super().__init__(f"{where}{message} (see {hint or repr(prog + ' --help')})")


class ArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of printing usage and exiting, so ``main`` can report one
    line and return 2 (in-process callers and tests get an exit code, not a SystemExit)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message, prog=self.prog)


# -- what plugins register ---------------------------------------------------------------------------------

Handler = Callable[[argparse.Namespace, "CommandContext"], "int | None"]
SetupFn = Callable[[argparse.ArgumentParser], Handler]


def _first_doc_line(fn: Callable[..., Any]) -> str:
    doc = (fn.__doc__ or "").strip().splitlines()
    return doc[0] if doc else ""


@attrs.frozen
class Command:
    """An ``envplan NAME`` subcommand.

    :param name: the subcommand (``aqi``, ``air-stats`` …); unique across plugins.
    :param setup: called with the subcommand's parser; adds arguments and returns the handler.
    :param summary: one line for ``envplan --help`` (default: the first line of ``setup``'s docstring).
    :param description: the text of ``envplan NAME --help`` (default: ``summary``).
    :param computes: the handler computes (default): it runs with numpy's floating-point errors raised
        (overflow, division by zero, invalid operations), never a silent inf/NaN in a report. A command
        that only lists what is loaded sets ``False`` and starts without importing numpy.
    """

    name: str
    setup: SetupFn
    summary: str = ""
    description: str = ""
    computes: bool = True

    @property
    def help(self) -> str:
        return self.summary or _first_doc_line(self.setup)


@attrs.frozen
class Classifier:
    """A kind for ``envplan classify KIND FILE …`` (``surface-water``, ``groundwater``, ``soil``).

    The setup function receives the ``classify KIND`` parser (with ``FILE`` and ``--format`` already
    added) and returns the handler; ``args.file`` is the input path.
    """

    kind: str
    setup: SetupFn
    summary: str = ""
    description: str = ""
    standard: str = ""

    @property
    def help(self) -> str:
        return self.summary or _first_doc_line(self.setup)


# -- context given to every handler -------------------------------------------------------------------


@attrs.define
class CommandContext:
    """What a handler gets besides its arguments: the streams, the engine (loaded on first use with the
    ``--plugins``/``--units-file`` options) and :meth:`emit` to write a document in ``--format``."""

    args: argparse.Namespace
    stdout: TextIO
    stderr: TextIO
    loader: Callable[..., Engine]
    _engine: Engine | None = None
    lister: Callable[[], tuple[Plan, ...]] | None = None

    def engine(self) -> Engine:
        """The engine (plugins loaded and validated on first use; ``--units-file`` applied)."""
        if self._engine is None:
            self._engine = self.loader(units_file=getattr(self.args, "units_file", None))
        return self._engine

    def plans(self) -> tuple[Plan, ...]:
        """The loaded plans, for listing them: the engine's when it is loaded, else read by ``lister``
        (:func:`envplan_core.catalog.list_plans`: each plan checked on its own, units not read), else the
        engine's."""
        if self._engine is None and self.lister is not None:
            return self.lister()
        return self.engine().plans

    def emit(
        self, document: Document, data: Any, *, fmt: str | None = None, output: str | None = None
    ) -> None:
        """Write ``document`` (or ``data`` for json) in ``--format`` to ``--output`` or stdout."""
        fmt = str(fmt or getattr(self.args, "format", "table"))
        output = output if output is not None else getattr(self.args, "output", None)
        if output is None:
            write(document, data, fmt, stdout=self.stdout, output=None, width=console_width())
            return
        with self.output_file(output) as tmp:
            write(document, data, fmt, stdout=self.stdout, output=tmp, width=console_width())

    @contextlib.contextmanager
    def output_file(self, output: str | Path) -> Iterator[Path]:
        """A temporary path to write ``--output`` to: on success it replaces ``output`` atomically (written
        beside it, then renamed, so a crash never leaves half a report); refused when ``output`` is (a hard
        or soft link of) any file the command reads. Every writer of ``--output`` goes through here."""
        target = Path(output)
        self._refuse_overwriting_an_input(target)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            yield tmp
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        self.note(f"wrote {target}")

    def _refuse_overwriting_an_input(self, target: Path) -> None:
        """``--output`` may not be (a hard or soft link of) any file the command reads."""
        if target.is_dir():
            raise UsageError(f"--output {target}: is a directory")
        if not target.exists():
            if not target.parent.is_dir():
                raise UsageError(f"--output {target}: folder {target.parent} does not exist")
            return
        for name, value in vars(self.args).items():
            if name in ("output", "format") or name.startswith("_"):
                continue
            for candidate in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(candidate, (str, Path)) and str(candidate) not in ("", "-"):
                    source = Path(candidate)
                    try:
                        same = source.exists() and os.path.samefile(source, target)
                    except OSError:
                        same = False
                    if same:
                        raise UsageError(
                            f"--output {target} is the input file {candidate} (--{name.replace('_', '-')}): "
                            "refusing to overwrite an input"
                        )

    def note(self, message: str) -> None:
        self.stderr.write(f"{PROG}: {shown(message)}\n")

    def shown(self, path: str | Path) -> str:
        """How an input path is named in a report: the path, or ``<stdin>`` for standard input (``-``)."""
        return source_label(path)


# -- argument helpers -------------------------------------------------------------------------------------


def iso_date(text: str) -> dt.date:
    """argparse type: an ISO date (YYYY-MM-DD)."""
    from envplan_core.context import parse_as_of

    try:
        return parse_as_of(text)
    except DataError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {text!r}") from None


#: What ``-`` (standard input) was spooled to, per stdin object: standard input can be read only once.
_SPOOLED: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def _stdin_suffix(head: bytes) -> str:
    """The file suffix for spooled standard input, from its first bytes: XLSX (a zip) and Parquet by their
    signatures, JSON by ``{``/``[``, YAML when the first line is ``key: value`` or ``- item``, else CSV."""
    if head.startswith(b"PK\x03\x04"):
        return ".xlsx"
    if head.startswith(b"PAR1"):
        return ".parquet"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"{", b"["):
        return ".json"
    first = next(
        (line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith(b"#")),
        b"",
    )
    if first.startswith((b"- ", b"---")) or (b":" in first and b"," not in first.split(b":", 1)[0]):
        return ".yaml"
    return ".csv"


def _spool_stdin() -> str:
    """Copy standard input (bytes, so the readers' encoding sniffing still applies) to a temporary file
    named ``stdin.<suffix>`` and return its path; the file is removed when the process ends."""
    import atexit
    import shutil
    import sys

    stdin = sys.stdin
    if stdin in _SPOOLED:
        raise argparse.ArgumentTypeError("'-' (standard input) can be given only once")
    if stdin is None or stdin.isatty():
        raise argparse.ArgumentTypeError("'-' reads standard input, but nothing is piped in")
    source = stdin.buffer if hasattr(stdin, "buffer") else None
    folder = Path(tempfile.mkdtemp(prefix="envplan-stdin-"))
    atexit.register(shutil.rmtree, folder, True)
    raw = folder / "stdin"
    with raw.open("wb") as out:
        if source is not None:
            shutil.copyfileobj(source, out, 1 << 20)
        else:  # a text stream without a buffer (tests, embedding): UTF-8
            out.write(stdin.read().encode("utf-8"))
    with raw.open("rb") as f:
        head = f.read(4096)
    if not head.strip():
        raise argparse.ArgumentTypeError("'-': standard input is empty")
    target = raw.with_name("stdin" + _stdin_suffix(head))
    raw.rename(target)
    _SPOOLED[stdin] = str(target)
    shown_as(str(target), "<stdin>")  # readers, reports and errors name it so, not the temporary path
    return str(target)


def input_file(text: str) -> str:
    """argparse type: a file to read, or ``-`` for standard input (spooled to a temporary file whose suffix
    is sniffed from the first bytes, see :func:`_stdin_suffix`)."""
    if text == "-":
        return _spool_stdin()
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"cannot read {text!r}: no such file")
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"cannot read {text!r}: it is a directory")
    return text


def input_source(text: str) -> str:
    """argparse type for observations: :func:`input_file`, or a folder of Parquet files."""
    if text != "-" and Path(text).is_dir():
        return text
    return input_file(text)


def statuses(text: str) -> list[Status]:
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
    binary = [f for f in ("xlsx", "parquet") if f in formats]
    parser.add_argument(
        "--format",
        "-f",
        choices=list(formats),
        default="table",
        help="output format (default: table"
        + (f"; {' and '.join(binary)} need{'s' if len(binary) == 1 else ''} --output)" if binary else ")"),
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



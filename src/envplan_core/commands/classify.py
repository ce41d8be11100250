"""``envplan classify KIND FILE``: the kinds are whatever installed code registered.

Classifiers arrive through the ``envplan_classifiers`` hook (the core registers ``surface-water``; the
groundwater and soil plans register theirs). ``envplan classify --list`` shows them with the standard
each applies; a kind nobody registered is an ordinary usage error listing the known ones.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from envplan_core.commands.base import (
    Classifier,
    Command,
    CommandContext,
    Handler,
    add_format_option,
    input_source,
)
from envplan_core.render import FORMATS, Document, Section

__all__ = ["class_tag", "classify_command"]

_CLASS_III = 3


def class_tag(name: str | None, class_code: Callable[[str], int]) -> str:
    """The tag of a water-quality class in a ``classify`` table (GB 3838, GB/T 14848: classes I…V, 劣V):
    ``met`` at class Ⅲ or better, ``not_met`` worse, ``insufficient_data`` without a class (nothing could
    be classified). ``class_code`` is the standard's (``"III"`` → 3)."""
    if not name:
        return "insufficient_data"
    return "met" if class_code(name) <= _CLASS_III else "not_met"


def _list_document(classifiers: Sequence[Classifier]) -> Document:
    return Document(
        title="分类 Classifiers (envplan classify KIND FILE)",
        sections=[
            Section(
                title="已安装 Installed",
                columns=("类型 Kind", "标准 Standard", "说明 Summary"),
                rows=[(c.kind, c.standard or "—", c.help) for c in classifiers],
                empty="（没有已安装的分类器 no classifier installed）",
            )
        ],
    )


def classify_command(classifiers: Callable[[], Sequence[Classifier]]) -> Command:
    """The ``classify`` command over the classifiers ``classifiers()`` returns when the parser is built."""

    def setup(parser: argparse.ArgumentParser) -> Handler:
        found = list(classifiers())
        parser.add_argument(
            "--list", action="store_true", help="list the installed classifiers and exit"
        )
        add_format_option(parser)
        kinds = parser.add_subparsers(dest="kind", metavar="KIND", title="kinds")
        handlers: dict[str, Handler] = {}
        for c in found:
            sub = kinds.add_parser(c.kind, help=c.help, description=c.description or c.help)
            sub.add_argument(
                "file",
                metavar="FILE",
                type=input_source,
                help="the input file (long format CSV/XLSX/Parquet, or a folder of Parquet files, unless the "
                "kind says otherwise); '-' reads standard input",
            )
            add_format_option(sub, formats=(*FORMATS, "parquet"))
            handlers[c.kind] = c.setup(sub)

        def run(args: argparse.Namespace, ctx: CommandContext) -> int:
            kind = getattr(args, "kind", None)
            if args.list or not kind:
                data = [
                    {"kind": c.kind, "standard": c.standard, "summary": c.help} for c in found
                ]
                ctx.emit(_list_document(found), data)
                return 0
            return int(handlers[kind](args, ctx) or 0)

        return run

    return Command(
        "classify",
        setup,
        summary="class of each site and period per a national standard (--list shows the kinds)",
        description="Classify a monitoring file by a national standard. The kinds are those installed "
        "plugins register (envplan classify --list).",
    )

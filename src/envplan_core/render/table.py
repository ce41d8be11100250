"""The ``table`` format: rich tables for a terminal of 80–120 columns, Chinese first, English beside.

Cells are passed as :class:`rich.text.Text`, never as markup, so a ``[`` in plan text or input data is
printed as written. Colour is used only when the output is a terminal (rich decides); CI logs get plain
text at the width given by ``COLUMNS`` (default 120).
"""

from __future__ import annotations

import os
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from envplan_core.render.document import Document, Section, cell_text, display_width

__all__ = ["column_widths", "console_width", "make_console", "print_document"]

#: Between two columns: right padding, the (blank) vertical rule of SIMPLE_HEAD, left padding.
_GAP = 3

_ROW_STYLE = {
    "not_met": "red",
    "overdue": "red",
    "insufficient_data": "yellow",
    "done_late": "yellow",
    "open": "cyan",
    "met": "green",
    "done": "green",
}


def console_width(default: int = 120) -> int:
    """``COLUMNS`` when it is a sensible number, else ``default`` (not a TTY in CI: no size to ask)."""
    try:
        width = int(os.environ.get("COLUMNS", default))
    except ValueError:
        return default
    return width if width >= 40 else default


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich would exit with status 1, which `envplan` reserves for --fail-on; let the CLI decide.
        raise BrokenPipeError


def make_console(file: TextIO, *, width: int | None = None, color: bool | None = None) -> Console:
    """A console writing to ``file`` at a fixed width; ``color=False`` forces plain text."""
    return _Console(
        file=file,
        width=width or console_width(),
        soft_wrap=False,
        highlight=False,
        markup=False,
        emoji=False,
        no_color=color is False,
        color_system=None if color is False else "auto",
    )


def _natural(section: Section, index: int) -> int:
    cells = [section.columns[index], *(cell_text(row[index]) for row in section.rows)]
    return max(display_width(c) for c in cells)


def _minimums(section: Section) -> list[int]:
    widths = list(section.min_widths) + [0] * (len(section.columns) - len(section.min_widths))
    if not section.min_widths and section.rows:
        # The first column holds ids: keep them on one line so they can be searched for and copied.
        widths[0] = min(max(display_width(cell_text(row[0]).split("\n", 1)[0]) for row in section.rows), 30)
    return widths


def column_widths(section: Section, total: int) -> list[int]:
    """Widths that fit ``total`` terminal cells.

    A ``flex`` column (long text) is first promised up to 40 % of the line. The other columns share
    the rest max-min fairly: a column narrower than the common cap keeps its natural width, wider
    ones are cut to the cap, none below its minimum; the flex column then takes what is left. We lay
    tables out ourselves because rich, short of room, squeezes a text column to nothing or drops the
    last columns.
    """
    n = len(section.columns)
    available = max(total - _GAP * (n - 1), 4 * n)
    natural = [_natural(section, i) for i in range(n)]
    # No column may claim more than a third of the line as its minimum (ids fold on 80 columns).
    minimum = [min(max(m, 4), available // 3) for m in _minimums(section)]
    flex = section.flex
    others = [i for i in range(n) if i != flex]
    budget = available
    if flex is not None:
        budget -= min(natural[flex], max(20, int(available * 0.4)))
    floor = sum(minimum[i] for i in others)
    if floor > budget:  # a narrow terminal: the minimums shrink in proportion
        minimum = [max(4, m * budget // floor) for m in minimum]

    def fitted(cap: int) -> list[int]:
        return [min(natural[i], max(cap, minimum[i])) for i in others]

    low, high = 0, max(natural)
    while low < high:  # the widest cap whose columns fit the budget
        mid = (low + high + 1) // 2
        if sum(fitted(mid)) <= budget:
            low = mid
        else:
            high = mid - 1
    widths = [0] * n
    for i, w in zip(others, fitted(low), strict=True):
        widths[i] = w
    if flex is not None:
        widths[flex] = max(min(natural[flex], available - sum(widths)), 4)
    return widths


def _table(section: Section, total: int) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False, header_style="bold")
    widths = column_widths(section, total)
    for index, column in enumerate(section.columns):
        table.add_column(column, overflow="fold", width=widths[index])
    for index, row in enumerate(section.rows):
        table.add_row(*(Text(cell_text(c)) for c in row), style=_ROW_STYLE.get(section.tag(index)))
    return table


def print_document(document: Document, console: Console) -> None:
    console.print(Text(document.title, style="bold"))
    for line in document.preface:
        console.print(Text(line))
    for section in document.sections:
        console.print()
        console.print(Text(section.title, style="bold underline"))
        if not section.rows:
            console.print(Text(section.empty))
        else:
            console.print(_table(section, console.width))
        if section.note:
            console.print(Text(section.note, style="dim"))

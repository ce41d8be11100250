"""The ``table`` format: rich tables for a terminal of 80–120 columns, Chinese first, English beside.

Cells are wrapped here, not by rich, so that a number (``3.09167``), a date (``2023-12-31``) or an id
(``air.rule.brick_kiln.no_coal_zone_season``) is never split across lines: text wraps between words and
between Chinese characters, and no column is made narrower than the widest such token it holds. When the
columns cannot all get that much room, the section folds to a record view — one block per row, one
``label  value`` line per column. Cells are passed as :class:`rich.text.Text`, never as markup, so a
``[`` in plan text or input data is printed as written. Colour is used only when the output is a
terminal (rich decides); CI logs get plain text at the width given by ``COLUMNS`` (default 120).
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from envplan_core.render.document import Document, Section, cell_text, display_width

__all__ = [
    "column_widths",
    "console_width",
    "make_console",
    "min_width",
    "print_document",
    "protected_tokens",
    "split_protected",
    "wrap_text",
]

#: Between two columns: the right padding and the (blank) vertical rule of SIMPLE_HEAD.
_GAP = 2
#: A word that is not a number, date or id and is longer than this may break after ``_ / - .`` (a
#: status code like ``insufficient_data``, a path) …
_SPLITTABLE_OVER = 12
#: … and a piece of it longer than this anywhere.
_FOLDABLE_OVER = 24
_BREAK_AFTER = re.compile(r"[^_/\\.-]*[_/\\.-]+|[^_/\\.-]+")
#: The widest a record-view label column gets.
_LABEL_MAX = 24

_ROW_STYLE = {
    "not_met": "red",
    "overdue": "red",
    "insufficient_data": "yellow",
    "done_late": "yellow",
    "open": "cyan",
    "met": "green",
    "done": "green",
}

# A "word": a run of characters that are neither spaces nor wide (CJK) characters.
_WORD = re.compile(r"[^\s\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+")
# Numbers (3.09167, -30%, 1.2e-05), dates and times (2023-12-31, 2023-05, 2023-01-01T00:00, 10:00–16:00),
# ids (air.task.12, water.task.5#2, water-2023, PM2.5) and anything with a digit is never broken.
_PROTECTED = re.compile(r".*\d.*|[A-Za-z_][\w-]*(\.[\w#-]+)+[.,;:]?")
#: Wide punctuation that may not start a line (it stays with what precedes it) …
_NO_START = set("，。、；：？！）〕」』】》〉”’·…％")
#: … and that may not end one (it goes with what follows).
_NO_END = set("（〔「『【《〈“‘")


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


# -- wrapping that keeps numbers, dates and ids whole ------------------------------------------------


def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _width(text: str) -> int:
    return sum(_char_width(ch) for ch in text)


def _protected(word: str) -> bool:
    # Paths and other slashed words are not numbers, dates or ids: they may fold when very long.
    return bool(_PROTECTED.fullmatch(word)) and "/" not in word and "\\" not in word


def protected_tokens(text: str) -> list[str]:
    """The numbers, dates and ids in ``text`` (words that must stay on one line)."""
    return [w for w in _WORD.findall(text) if _protected(w)]


def split_protected(text: str) -> list[tuple[str, bool]]:
    """``text`` as pieces, each marked True when it is a number, date or id (for the HTML report, which
    keeps those from breaking as this renderer does)."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for match in _WORD.finditer(text):
        if _protected(match.group()):
            out += [(text[pos : match.start()], False), (match.group(), True)]
            pos = match.end()
    out.append((text[pos:], False))
    return [(t, p) for t, p in out if t]


def _atoms(line: str) -> list[tuple[str, bool]]:
    """A line as (atom, is_space) pieces: words, single wide characters (with the punctuation that
    clings to them) and runs of spaces. A break may fall between any two atoms."""
    atoms: list[tuple[str, bool]] = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch.isspace():
            j = i
            while j < len(line) and line[j].isspace():
                j += 1
            atoms.append((line[i:j], True))
            i = j
            continue
        match = _WORD.match(line, i)
        if match:
            atoms.append((match.group(), False))
            i = match.end()
        else:
            atoms.append((ch, False))
            i += 1
    merged: list[tuple[str, bool]] = []
    carry = ""
    for atom, space in atoms:
        if space:
            if carry:
                merged.append((carry, False))
                carry = ""
            merged.append((atom, True))
            continue
        text, carry = carry + atom, ""
        if merged and not merged[-1][1] and text[0] in _NO_START:
            merged[-1] = (merged[-1][0] + text, False)
        elif text[-1] in _NO_END and len(text) == 1:
            carry = text
        else:
            merged.append((text, False))
    if carry:
        merged.append((carry, False))
    return merged


def _fold(atom: str, width: int) -> list[str]:
    """Cut an atom wider than ``width`` into pieces (only words that are not numbers, dates or ids):
    after ``_ / - .`` where that is enough, else anywhere."""
    pieces, current = [], ""
    for segment in _BREAK_AFTER.findall(atom):
        if current and _width(current + segment) > width:
            pieces.append(current)
            current = ""
        current += segment
        while _width(current) > width:
            cut = ""
            for ch in current:
                if _width(cut + ch) > width:
                    break
                cut += ch
            pieces.append(cut)
            current = current[len(cut):]
    if current:
        pieces.append(current)
    return pieces


def _piece_min(word: str) -> int:
    """The narrowest a word that is not a number, date or id needs."""
    w = _width(word)
    if w <= _SPLITTABLE_OVER:
        return w
    return min(max(_width(seg) for seg in _BREAK_AFTER.findall(word)), _FOLDABLE_OVER)


def wrap_text(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between words or wide characters; a number,
    date or id is never broken (a line holding only one that is wider than ``width`` keeps it whole)."""
    width = max(width, 1)
    out: list[str] = []
    for source in text.split("\n"):
        line, used = "", 0
        for atom, space in _atoms(source):
            w = _width(atom)
            if space:
                if line and used + w < width:
                    line, used = line + atom, used + w
                elif line:
                    out.append(line.rstrip())
                    line, used = "", 0
                continue
            if used + w <= width:
                line, used = line + atom, used + w
                continue
            if line:
                out.append(line.rstrip())
                line, used = "", 0
            splittable = not _protected(atom) and (w > _SPLITTABLE_OVER or w > width)
            pieces = _fold(atom, width) if splittable and w > width else [atom]
            for piece in pieces[:-1]:
                out.append(piece)
            line, used = pieces[-1], _width(pieces[-1])
        out.append(line.rstrip())
    return out


def min_width(text: str) -> int:
    """The narrowest a column may be for ``text``: its widest number, date or id, its widest other word
    (a long one may break after ``_ / - .``), and at least one wide character."""
    widest = 2 if any(_char_width(ch) == 2 for ch in text) else 1
    for line in text.split("\n"):
        for atom, space in _atoms(line):
            if space:
                continue
            w = _width(atom)
            widest = max(widest, w if _protected(atom) else _piece_min(atom))
    return widest


# -- layout --------------------------------------------------------------------------------------------


def _natural(section: Section, index: int) -> int:
    cells = [section.columns[index], *(cell_text(row[index]) for row in section.rows)]
    return max(display_width(c) for c in cells)


def _minimums(section: Section) -> list[int]:
    hints = list(section.min_widths) + [0] * (len(section.columns) - len(section.min_widths))
    out = []
    for i in range(len(section.columns)):
        cells = [cell_text(row[i]) for row in section.rows]
        token = max((min_width(c) for c in cells), default=1)
        # The header wraps like any text, but keeps its words whole.
        token = max(token, min_width(section.columns[i]))
        out.append(max(token, min(hints[i], _natural(section, i))))
    return out


def column_widths(section: Section, total: int) -> list[int] | None:
    """Widths that fit ``total`` terminal cells, or None when the columns cannot all get the room their
    numbers, dates and ids need (the section is then shown as records).

    A ``flex`` column (long text) is first promised up to 40 % of the line. The other columns share
    the rest max-min fairly: a column narrower than the common cap keeps its natural width, wider
    ones are cut to the cap, none below its minimum; the flex column then takes what is left.
    """
    n = len(section.columns)
    available = total - _GAP * (n - 1)
    natural = [_natural(section, i) for i in range(n)]
    minimum = [min(m, natural[i]) if natural[i] else 1 for i, m in enumerate(_minimums(section))]
    if sum(minimum) > available:
        return None
    flex = section.flex
    others = [i for i in range(n) if i != flex]
    budget = available
    if flex is not None:
        budget -= max(minimum[flex], min(natural[flex], max(20, int(available * 0.4))))

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
        widths[flex] = max(min(natural[flex], available - sum(widths)), minimum[flex])
    if sum(widths) > available:
        return None
    return widths


def _table(section: Section, widths: list[int]) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), pad_edge=False, show_edge=False, expand=False, header_style="bold"
    )
    for index, column in enumerate(section.columns):
        header = Text("\n".join(wrap_text(column, widths[index])))
        table.add_column(header, width=widths[index], no_wrap=True, overflow="ignore")
    for index, row in enumerate(section.rows):
        cells = [Text("\n".join(wrap_text(cell_text(c), widths[i]))) for i, c in enumerate(row)]
        table.add_row(*cells, style=_ROW_STYLE.get(section.tag(index)))
    return table


def _records(section: Section, total: int, console: Console) -> None:
    """One block per row: a rule naming the row, then ``label  value`` per column (label above the
    value when the value needs the whole line)."""
    label_w = min(max(display_width(c.replace("\n", " ")) for c in section.columns), _LABEL_MAX)
    value_w = total - label_w - 2
    for index, row in enumerate(section.rows):
        style = _ROW_STYLE.get(section.tag(index))
        rule = f"── {index + 1}/{len(section.rows)} "
        console.print(Text(rule + "─" * max(total - display_width(rule), 0), style="dim"))
        for column, value in zip(section.columns, row, strict=True):
            text = cell_text(value)
            label = column.replace("\n", " ")
            if not text:
                continue
            if display_width(label) <= label_w and min_width(text) <= value_w:
                lines = wrap_text(text, value_w)
                pad = " " * (label_w - display_width(label))
                console.print(Text(f"{label}{pad}  {lines[0]}", style=style or ""))
                for line in lines[1:]:
                    console.print(Text(f"{' ' * label_w}  {line}", style=style or ""))
            else:
                for line in wrap_text(label, total):
                    console.print(Text(line, style="bold"))
                for line in wrap_text(text, total - 2):
                    console.print(Text(f"  {line}", style=style or ""))


def print_document(document: Document, console: Console) -> None:
    width = console.width
    for line in wrap_text(document.title, width):
        console.print(Text(line, style="bold"))
    for preface in document.preface:
        for line in wrap_text(preface, width):
            console.print(Text(line))
    for section in document.sections:
        console.print()
        for line in wrap_text(section.title, width):
            console.print(Text(line, style="bold underline"))
        if not section.rows:
            for line in wrap_text(section.empty, width):
                console.print(Text(line))
        else:
            widths = column_widths(section, width)
            if widths is None:
                _records(section, width, console)
            else:
                console.print(_table(section, widths))
        if section.note:
            for line in wrap_text(section.note, width):
                console.print(Text(line, style="dim"))

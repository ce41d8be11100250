"""The documents commands show: :class:`Document` of :class:`Section` tables, and cell text helpers.

Every format (table, markdown, html, xlsx) renders these; JSON renders the command's data instead.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable

import attrs

__all__ = ["Cell", "Document", "Section", "cell_text", "display_width", "fmt_number", "unused_heading"]

_NONE = "（无 none）"

Cell = str | int | float | None


def _rows(rows: Iterable[Iterable[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(tuple(row) for row in rows)


def _strs(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _ints(items: Iterable[int]) -> tuple[int, ...]:
    return tuple(items)


def _sections(items: Iterable[Section]) -> tuple[Section, ...]:
    return tuple(items)


@attrs.frozen
class Section:
    """A titled table. ``tags`` holds one tag per row (a status value) that renderers may colour by."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...] = attrs.field(converter=_rows, default=())
    tags: tuple[str, ...] = attrs.field(converter=_strs, default=())
    note: str = ""
    empty: str = _NONE
    #: Terminal layout hint: the narrowest each column may get (0: no limit). Default: the first
    #: column is kept as wide as the first line of its widest cell (ids stay on one line).
    min_widths: tuple[int, ...] = attrs.field(converter=_ints, default=())
    #: Terminal layout hint: the column (index) that takes the width the others leave (long text).
    flex: int | None = None

    def __attrs_post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"section {self.title!r}: row {row!r} has {len(row)} cells, expected {len(self.columns)}"
                )
        if self.tags and len(self.tags) != len(self.rows):
            raise ValueError(f"section {self.title!r}: {len(self.tags)} tags for {len(self.rows)} rows")

    def tag(self, index: int) -> str:
        return self.tags[index] if self.tags else ""


@attrs.frozen
class Document:
    """What a command shows: a title, preface lines (notices, inputs), and sections."""

    title: str
    preface: tuple[str, ...] = attrs.field(converter=_strs, default=())
    sections: tuple[Section, ...] = attrs.field(converter=_sections, default=())


def display_width(text: str) -> int:
    """Terminal cells the longest line of ``text`` takes (CJK characters take two)."""
    return max(
        (
            sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
            for line in text.splitlines()
        ),
        default=0,
    )


def cell_text(value: Cell) -> str:
    """A cell as text: numbers compactly, None as empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return fmt_number(value)
    return str(value)


def fmt_number(value: float) -> str:
    """``52.0`` → ``52``; ``0.0512`` → ``0.0512``; six significant digits at most."""
    if math.isnan(value):
        return "NaN"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


def unused_heading(total: int, listed: int) -> tuple[str, str]:
    """The title and note of an unused-rows section: the exact total (``Report.unused_counts()``) and how
    many rows are listed; the rest are counted, never shown as a fake row."""
    title = f"未使用的输入行 Unused input rows: {total}"
    rest = total - listed
    note = f"… 另有 {rest} 行 and {rest} more (counts per site and parameter: --format json, unused_summary)"
    return title, note if rest > 0 else ""

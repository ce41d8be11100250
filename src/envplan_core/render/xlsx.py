"""The ``xlsx`` format: a workbook with an overview sheet and one sheet per section (openpyxl).

Numbers stay numbers so the sheet can be filtered and summed; text that would start a formula
(``=…``) is stored as text, never evaluated, and characters XML cannot hold are removed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from envplan_core.render.document import Cell, Document, Section, cell_text

__all__ = ["write_xlsx"]

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(text: str) -> str:
    return _ILLEGAL.sub("", text)


def _sheet_name(title: str, used: set[str]) -> str:
    """A whole name within Excel's 31 characters: the title, else its Chinese part (never a cut name)."""
    from envplan_core.render.xlsx_report import sheet_name

    return sheet_name([title, title.split(" ", 1)[0], title[:27].rstrip()], used)


def _put(ws: Any, row: int, column: int, value: Cell) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell = ws.cell(row=row, column=column, value=value)
    else:
        text = _clean(cell_text(value))
        cell = ws.cell(row=row, column=column, value=text)
        if text.startswith("="):
            cell.data_type = "s"  # plan or input text, not a formula
    return cell


def _width(value: Cell) -> int:
    lines = cell_text(value).splitlines() or [""]
    # CJK characters take two columns.
    return max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in lines)


def _write_section(ws: Any, section: Section) -> None:
    widths = [_width(c) for c in section.columns]
    for column, header in enumerate(section.columns, start=1):
        cell = _put(ws, 1, column, header.replace("\n", " "))
        cell.font = Font(bold=True)
    for r, row in enumerate(section.rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = _put(ws, r, c, value)
            if isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[c - 1] = max(widths[c - 1], _width(value))
    if not section.rows:
        _put(ws, 2, 1, section.empty)
    if section.note:
        _put(ws, len(section.rows) + 3, 1, section.note)
    for index, width in enumerate(widths):
        letter = ws.cell(row=1, column=index + 1).column_letter
        ws.column_dimensions[letter].width = min(max(width + 2, 8), 80)
    ws.freeze_panes = "A2"


def write_xlsx(document: Document, path: Path) -> None:
    wb = Workbook()
    overview = wb.active
    used: set[str] = set()
    overview.title = _sheet_name("概要 Overview", used)
    _put(overview, 1, 1, document.title).font = Font(bold=True)
    for i, line in enumerate(document.preface, start=2):
        _put(overview, i, 1, line)
    overview.column_dimensions["A"].width = 100
    for section in document.sections:
        _write_section(wb.create_sheet(_sheet_name(section.title, used)), section)
    wb.save(str(path))

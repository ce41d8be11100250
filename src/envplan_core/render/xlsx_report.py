"""The evaluation report as an Excel ledger (openpyxl): data first, typed, filterable.

Sheets: ``概要 Summary`` (what was evaluated, counts per plan and status); ``发现 Findings`` — one row per
finding, id, plan, kind, status code and status label in separate columns, value, limit and unit as
numbers in their own cells (a class or a text value in ``value_text``/``limit_text``), lead, support, due
date as a real date, citation; ``措施任务表 Task ledger`` — the plan's measure table with deadlines as
dates; ``未使用 Unused rows``; then one sheet per responsible unit with its obligations. Every table has
an autofilter, a frozen header and status colours (conditional formatting, so they follow a re-sort or a
re-filter). Sheet names are whole names within Excel's 31 characters. Text that would start a formula is
stored as text; characters XML cannot hold are removed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from envplan_core.findings import Finding
from envplan_core.render.view import (
    KIND_ZH,
    STATUS_ORDER,
    ReportView,
    citation_label,
    due_date,
    task_ledger,
    unit_sections,
)

if TYPE_CHECKING:
    from envplan_core.catalog import Catalog

__all__ = ["SHEET_FINDINGS", "SHEET_LEDGER", "SHEET_SUMMARY", "SHEET_UNUSED", "sheet_name", "write_report_xlsx"]

SHEET_SUMMARY = "概要 Summary"
SHEET_FINDINGS = "发现 Findings"
SHEET_LEDGER = "措施任务表 Task ledger"
SHEET_UNUSED = "未使用 Unused rows"
_MAX_SHEET = 31

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_FILLS = {
    "not_met": "F4C7C3",
    "overdue": "F4C7C3",
    "insufficient_data": "FCE8B2",
    "done_late": "FCE8B2",
    "open": "D2E3FC",
    "met": "CEEAD6",
    "done": "CEEAD6",
}
_DATE = "yyyy-mm-dd"


def _clean(text: str) -> str:
    return _ILLEGAL.sub("", text)


def sheet_name(candidates: Sequence[str], used: set[str]) -> str:
    """The first candidate that is a whole valid sheet name (≤ 31 characters, none of ``[]:*?/\\``) and
    not used yet; never a cut name. The last candidate gets ``(2)``, ``(3)`` … if it must."""
    cleaned = [_SHEET_BAD.sub(" ", c).strip().strip("'") for c in candidates if c]
    for name in cleaned:
        if name and len(name) <= _MAX_SHEET and name.casefold() not in used:
            used.add(name.casefold())
            return name
    base = next((c for c in cleaned if c and len(c) <= _MAX_SHEET - 4), "Sheet")
    n = 2
    while f"{base} ({n})".casefold() in used:
        n += 1
    name = f"{base} ({n})"
    used.add(name.casefold())
    return name


def _put(ws: Any, row: int, column: int, value: Any) -> Any:
    if isinstance(value, str):
        value = _clean(value)
        cell = ws.cell(row=row, column=column, value=value)
        if value.startswith("="):
            cell.data_type = "s"  # plan or input text, never a formula
        if "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, dt.date):
        cell.number_format = _DATE
    return cell


def _width(value: Any) -> int:
    if isinstance(value, dt.date):
        return 10
    text = "" if value is None else str(value)
    lines = text.splitlines() or [""]
    return max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in line) for line in lines)


Column = tuple[str, Callable[[Any], Any]]


def _table(ws: Any, columns: Sequence[Column], items: Sequence[Any], *, status_column: str | None = None,
           top: int = 1, max_width: int = 60) -> None:
    """A typed table at row ``top``: bold frozen header, autofilter, status colours by ``status_column``."""
    widths = [_width(header) for header, _ in columns]
    for c, (header, _) in enumerate(columns, start=1):
        _put(ws, top, c, header).font = Font(bold=True)
    for r, item in enumerate(items, start=top + 1):
        for c, (_, get) in enumerate(columns, start=1):
            value = get(item)
            _put(ws, r, c, value)
            widths[c - 1] = max(widths[c - 1], min(_width(value), max_width))
    last_row = top + max(len(items), 1)
    last_col = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{top}:{last_col}{last_row}"
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), max_width + 2)
    if status_column is not None and items:
        col = next(i for i, (h, _) in enumerate(columns, start=1) if h == status_column)
        letter = get_column_letter(col)
        area = f"A{top + 1}:{last_col}{last_row}"
        for status, colour in _FILLS.items():
            fill = PatternFill(start_color=colour, end_color=colour, fill_type="solid")
            ws.conditional_formatting.add(area, FormulaRule(formula=[f'${letter}{top + 1}="{status}"'], fill=fill))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _text(value: Any) -> str | None:
    if value is None or _number(value) is not None:
        return None
    return str(value)


_FINDING_COLUMNS: list[Column] = [
    ("编号 id", lambda f: f.id),
    ("计划 plan", lambda f: f.plan),
    ("类型 kind", lambda f: f.kind),
    ("类型 kind_label", lambda f: KIND_ZH.get(f.kind, f.kind)),
    ("对象 subject", lambda f: f.subject),
    ("状态代码 status", lambda f: f.status.value),
    ("状态 status_label", lambda f: f.status.label_zh),
    ("数值 value", lambda f: _number(f.value)),
    ("数值文本 value_text", lambda f: _text(f.value)),
    ("未修约值 value_raw", lambda f: _number(f.value_raw)),
    ("限值 limit", lambda f: _number(f.limit)),
    ("限值文本 limit_text", lambda f: None if due_date(f) else _text(f.limit)),
    ("单位 unit", lambda f: f.unit or None),
    ("期间 period", lambda f: f.period or None),
    ("期限 due", due_date),
    ("牵头 lead", lambda f: "、".join(f.lead) or None),
    ("配合 support", lambda f: "、".join(f.support) or None),
    ("说明 message_zh", lambda f: f.message_zh),
    ("Message message_en", lambda f: f.message_en),
    ("出处 citation", lambda f: citation_label(f.citation) or None),
    ("原文 citation_text", lambda f: f.citation.text or None),
]


def _item_getter(index: int) -> Callable[[Any], Any]:
    return lambda r: r[index]


def _summary(ws: Any, view: ReportView, title: str, preface: Sequence[str]) -> None:
    _put(ws, 1, 1, title).font = Font(bold=True, size=14)
    row = 2
    for line in (*preface, *view.filter_lines):
        _put(ws, row, 1, line)
        row += 1
    row += 1
    present = [s for s in STATUS_ORDER if any(f.status is s for f in view.findings)]
    plans = [p for p in view.report.plans if p.id in view.plan_ids()]
    records: list[tuple[Any, ...]] = []
    for p in plans:
        own = [f for f in view.findings if f.plan == p.id]
        records.append((p.id, p.title_zh, len(own), *(sum(f.status is s for f in own) for s in present)))
    columns: list[Column] = [
        ("计划 plan", lambda r: r[0]),
        ("名称 title", lambda r: r[1]),
        ("合计 total", lambda r: r[2]),
    ]
    for i, s in enumerate(present):
        columns.append((f"{s.label_zh} {s.value}", _item_getter(3 + i)))
    _table(ws, columns, records, top=row, max_width=50)
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width, 16)


def _findings(ws: Any, findings: Sequence[Finding]) -> None:
    _table(ws, _FINDING_COLUMNS, findings, status_column="状态代码 status")
    ws.freeze_panes = "B2"


def _ledger(ws: Any, view: ReportView, catalog: Catalog | None) -> None:
    rows = task_ledger(view, catalog)

    def number(text: str) -> int | str:
        return int(text) if text.isdigit() else text

    def last(deadlines: Sequence[dt.date | None]) -> dt.date | None:
        dated = [d for d in deadlines if d]
        return max(dated) if dated else None

    columns: list[Column] = [
        ("计划 plan", lambda r: r.plan),
        ("序号 number", lambda r: number(r.number)),
        ("任务 task", lambda r: r.task),
        ("条 task_number", lambda r: number(r.task_number)),
        ("重点工作 area", lambda r: r.area or None),
        ("主要任务 title", lambda r: r.title),
        ("工程措施 measure", lambda r: r.measure or None),
        ("完成时限 due", lambda r: last(r.deadlines)),
        ("全部时限 deadlines", lambda r: "、".join(d.isoformat() for d in r.deadlines if d) or None),
        ("时限原文 deadline_text", lambda r: r.deadline_text or None),
        ("牵头单位 lead", lambda r: "、".join(r.lead) or None),
        ("配合单位 support", lambda r: "、".join(r.support) or None),
        ("状态代码 status", lambda r: r.status.value),
        ("状态 status_label", lambda r: r.status.label_zh),
        ("出处 citation", lambda r: r.citation or None),
    ]
    _table(ws, columns, rows, status_column="状态代码 status")


def _unused(ws: Any, view: ReportView) -> None:
    columns: list[Column] = [
        ("文件 file", lambda i: i.file),
        ("行 row", lambda i: i.row),
        ("列 column", lambda i: i.column or None),
        ("原因 reason", lambda i: i.reason),
    ]
    _table(ws, columns, list(view.report.unused), max_width=100)
    counts = view.report.unused_counts()
    if counts.total > len(view.report.unused):  # the rest are counted, not listed
        ws.append([])
        ws.append([f"… 另有 {counts.total - len(view.report.unused)} 行 and more: {counts.total} unused rows in all"])
        for label, table in (("站点 site", counts.by_site), ("指标 parameter", counts.by_parameter)):
            for key, n in table.items():
                ws.append([label, key, n])


def _unit_sheet(ws: Any, name: str, english: str, rows: Sequence[tuple[Finding, str]]) -> None:
    columns: list[Column] = [
        ("角色 role", lambda r: "牵头 lead" if r[1] == "lead" else "配合 support"),
        ("状态代码 status", lambda r: r[0].status.value),
        ("状态 status_label", lambda r: r[0].status.label_zh),
        ("类型 kind", lambda r: r[0].kind),
        ("编号 id", lambda r: r[0].id),
        ("对象 subject", lambda r: r[0].subject),
        ("数值 value", lambda r: _number(r[0].value)),
        ("数值文本 value_text", lambda r: _text(r[0].value)),
        ("限值 limit", lambda r: _number(r[0].limit)),
        ("单位 unit", lambda r: r[0].unit or None),
        ("期限 due", lambda r: due_date(r[0])),
        ("说明 message_zh", lambda r: r[0].message_zh),
        ("出处 citation", lambda r: citation_label(r[0].citation) or None),
    ]
    _put(ws, 1, 1, f"{name} {english}".strip()).font = Font(bold=True, size=13)
    overdue = sum(f.status.value == "overdue" for f, _ in rows)
    _put(ws, 2, 1, f"共 {len(rows)} 项 items；已逾期 overdue {overdue}（逾期在前 overdue first）")
    _table(ws, columns, rows, status_column="状态代码 status", top=4)


def write_report_xlsx(
    view: ReportView,
    path: Path,
    *,
    title: str,
    preface: Sequence[str] = (),
    catalog: Catalog | None = None,
) -> list[str]:
    """Write the workbook; returns its sheet names."""
    wb = Workbook()
    used: set[str] = set()
    summary = wb.active
    summary.title = sheet_name([SHEET_SUMMARY], used)
    _summary(summary, view, title, preface)
    _findings(wb.create_sheet(sheet_name([SHEET_FINDINGS], used)), view.findings)
    _ledger(wb.create_sheet(sheet_name([SHEET_LEDGER], used)), view, catalog)
    _unused(wb.create_sheet(sheet_name([SHEET_UNUSED], used)), view)
    for name, rows in unit_sections(view, catalog):
        unit = catalog.units.resolve(name) if catalog is not None else None
        candidates = [name]
        if unit is not None:
            candidates += [*sorted((a for a in unit.aliases if a), key=len), unit.id]
        _unit_sheet(wb.create_sheet(sheet_name(candidates, used)), name, unit.name_en if unit else "", rows)
    wb.save(str(path))
    return list(wb.sheetnames)


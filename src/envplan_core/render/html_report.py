"""The evaluation report as one HTML page: self-contained (no script, no font file, no network), Chinese
and English labels, printable on A4.

Sections, in order: a summary per plan (counts per status, and a bar of them); per target (and per rule
that carries a series) its chart — the series against its limit, the period statistic, exceedances in
red — and the numbers behind it; one section per responsible unit with its targets, rules and tasks,
overdue first (a new page per unit when printed); the task ledger in the layout of the plan's 措施任务表
(number, area, measure, deadline, lead, status); every finding with its citation; the input rows not used.

Charts are inline SVG drawn by :mod:`envplan_core.render.svg`. Every piece of text is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from envplan_core.findings import Finding, Status
from envplan_core.render.document import fmt_number, unused_heading
from envplan_core.render.html import FONT_STACK
from envplan_core.render.series import Chart
from envplan_core.render.svg import STATUS_COLOURS, chart_svg, status_bar_svg
from envplan_core.render.table import split_protected
from envplan_core.render.view import (
    KIND_ZH,
    STATUS_ORDER,
    ReportView,
    citation_label,
    finding_anchor,
    status_label,
    task_ledger,
    unit_sections,
    value_vs_limit,
)

if TYPE_CHECKING:
    from envplan_core.catalog import Catalog

__all__ = ["FONT_STACK", "report_html"]

_CSS = (
    """
:root { --line: #dadce0; --muted: #5f6368; }
* { box-sizing: border-box; }
body { font-family: FONTS; margin: 0 auto; padding: 1.5em 2em; max-width: 1200px; color: #202124;
       line-height: 1.5; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 1.6em; margin: 0 0 .3em; }
h2 { font-size: 1.3em; border-bottom: 2px solid #202124; padding-bottom: .2em; margin-top: 2em; }
h3 { font-size: 1.08em; margin: 1.2em 0 .4em; }
ul.preface { color: var(--muted); padding-left: 1.2em; margin: .3em 0; }
ul.preface li.notice { color: #b3261e; font-weight: bold; }
nav.toc { margin: 1em 0; padding: .6em 1em; background: #f8f9fa; border: 1px solid var(--line); }
nav.toc a { margin-right: 1.2em; white-space: nowrap; }
table { border-collapse: collapse; margin: .4em 0 1.2em; width: 100%; font-size: .9em; }
th, td { border: 1px solid var(--line); padding: 3px 6px; vertical-align: top; text-align: left; }
th { background: #f1f3f4; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.id, span.id, a.id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .92em; white-space: nowrap; }
td.nowrap, span.nb, span.nowrap { white-space: nowrap; }
table.ledger td:nth-child(2) { min-width: 6em; }
table.ledger td:nth-child(3) { min-width: 9em; }
table.ledger td:nth-child(4) { min-width: 14em; }
table.ledger td:nth-child(5) { min-width: 7em; }
table.ledger td:nth-child(6) { min-width: 7em; }
tr.not_met, tr.overdue { background: #fce8e6; }
tr.insufficient_data, tr.done_late { background: #fef7e0; }
tr.open { background: #e8f0fe; }
tr.met, tr.done { background: #e6f4ea; }
.badge { display: inline-block; padding: 0 .5em; border-radius: 3px; color: #fff; font-size: .85em;
         white-space: nowrap; }
.target { border: 1px solid var(--line); border-radius: 6px; padding: .4em 1em .6em; margin: 1em 0; }
.target .value { font-size: 1.05em; margin: .2em 0; }
figure { margin: .5em 0; }
figcaption { color: var(--muted); font-size: .82em; }
svg.chart { display: block; max-width: 100%; height: auto; font-family: FONTS; }
svg.chart text { font-size: 12px; fill: #3c4043; }
svg.chart text.label { font-size: 12px; font-weight: bold; paint-order: stroke; stroke: #fff;
                       stroke-width: 4px; stroke-linejoin: round; }
svg.chart text.barlabel { fill: #fff; font-weight: bold; }
svg.chart text.unit { fill: var(--muted); }
.message { margin: .3em 0; }
.message .en { color: var(--muted); }
blockquote.citation { margin: .4em 0; padding: .2em .8em; border-left: 4px solid var(--line);
                      color: #3c4043; font-size: .9em; }
.muted, .empty, .note { color: var(--muted); }
section.unit { margin-top: 1.5em; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  nav.toc { display: none; }
  section.unit { break-before: page; page-break-before: always; }
  h2 { break-after: avoid; }
  .target, figure, tr { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
""".replace("FONTS", FONT_STACK)
)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _k(text: object) -> str:
    """Escaped text whose numbers, dates and ids never break across lines (as in the terminal)."""
    return "".join(
        f'<span class="nb">{_e(piece)}</span>' if keep else _e(piece) for piece, keep in split_protected(str(text))
    ).replace("\n", "<br>")


def _badge(status: Status) -> str:
    colour = STATUS_COLOURS.get(status.value, "#9aa0a6")
    return f'<span class="badge status-{_e(status.value)}" style="background:{colour}">{_e(status_label(status))}</span>'


def _names(names: Sequence[str]) -> str:
    return "、".join(names)


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]], *, classes: Sequence[str] = ()) -> str:
    """A table of already escaped cells (``classes`` gives each column's class)."""
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="{classes[i]}">{cell}</td>' if i < len(classes) and classes[i] else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _summary(view: ReportView) -> list[str]:
    out = ['<h2 id="summary">概要 Summary per plan</h2>']
    present = [s for s in STATUS_ORDER if any(f.status is s for f in view.findings)]
    head = "".join(f"<th>{_e(s.label_zh)}<br>{_e(s.value)}</th>" for s in present)
    rows = []
    plans = [p for p in view.report.plans if p.id in view.plan_ids()]
    for p in plans:
        own = [f for f in view.findings if f.plan == p.id]
        cells = "".join(f'<td class="num">{sum(f.status is s for f in own)}</td>' for s in present)
        rows.append(
            f'<tr><td class="id">{_e(p.id)}</td><td>{_e(p.title_zh)}<br><span class="muted">{_e(p.title_en)}</span>'
            f'</td><td class="num">{len(own)}</td>{cells}</tr>'
        )
    if len(plans) > 1:
        cells = "".join(f'<td class="num">{sum(f.status is s for f in view.findings)}</td>' for s in present)
        rows.append(f'<tr><td colspan="2">合计 total</td><td class="num">{len(view.findings)}</td>{cells}</tr>')
    out.append(
        "<table><thead><tr><th>计划 Plan</th><th>名称 Title</th><th>合计 Total</th>"
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    for p in plans:
        own = [f for f in view.findings if f.plan == p.id]
        counts = [(s.value, status_label(s), sum(f.status is s for f in own)) for s in present]
        if own:
            out.append(f'<figure><figcaption>{_e(p.id)} {_e(p.title_zh)}：按状态 by status</figcaption>')
            out.append(status_bar_svg(counts, chart_id=f"status-{p.id}"))
            out.append("</figure>")
    return out


def _value_line(f: Finding) -> str:
    bits = [f"<strong>{_k(value_vs_limit(f))}</strong>"]
    if f.value_raw is not None and isinstance(f.value, float) and f.value_raw != f.value:
        bits.append(f'<span class="muted">（未修约 unrounded {_e(fmt_number(round(f.value_raw, 4)))}）</span>')
    if f.period:
        bits.append(f'<span class="muted">期间 period {_e(f.period)}</span>')
    return " ".join(bits)


def _citation(f: Finding) -> str:
    label = citation_label(f.citation)
    text = f"〔{_e(label)}〕" if label else ""
    if f.citation.text:
        text += f"<br>“{_e(f.citation.text)}”"
    return f'<blockquote class="citation">{text}</blockquote>' if text else ""


def _numeric(text: str) -> bool:
    if text in ("", "—"):
        return True
    try:
        float(text.lstrip("≤≥<>= "))
    except ValueError:
        return False
    return True


def _chart_block(chart: Chart, chart_id: str) -> str:
    classes = [
        "num" if i and all(_numeric(row[i]) for row in chart.table_rows) else "nowrap"
        for i in range(len(chart.table_columns))
    ]
    numbers = _table(chart.table_columns, [[_e(c) for c in row] for row in chart.table_rows], classes=classes)
    return (
        f'<figure class="chart-block">{chart_svg(chart, chart_id=chart_id)}'
        f"<figcaption>{_e(chart.source)}</figcaption></figure>"
        f'<div class="numbers">{numbers}</div>'
    )


def _targets(view: ReportView, charts: Sequence[Sequence[Chart]]) -> list[str]:
    out = ['<h2 id="targets">目标与序列 Targets: series against their limits</h2>']
    shown = 0
    for index, (f, own) in enumerate(zip(view.findings, charts, strict=True)):
        if f.kind != "target" and not own:
            continue
        shown += 1
        anchor = finding_anchor(index, f)
        out.append(f'<section class="target" id="t-{_e(anchor)}" data-finding="{_e(f.id)}">')
        subject = f" {_e(f.subject)}" if f.subject and f.subject != f.id else ""
        kind = f"{KIND_ZH.get(f.kind, f.kind)} {f.kind}"
        out.append(f'<h3>{_badge(f.status)} <span class="id">{_e(f.id)}</span>{subject} '
                   f'<span class="muted">（{_e(kind)}）</span></h3>')
        out.append(f'<p class="value">{_value_line(f)}</p>')
        units = [f"牵头 lead：{_e(_names(f.lead))}"] if f.lead else []
        if f.support:
            units.append(f"配合 support：{_e(_names(f.support))}")
        if units:
            out.append(f'<p class="muted">{"；".join(units)}</p>')
        for k, chart in enumerate(own):
            out.append(_chart_block(chart, f"c-{anchor}-{k}"))
        if not own:
            out.append('<p class="muted">（无可绘制的序列或数值 nothing to draw: no series and no numeric value/limit）</p>')
        out.append(
            f'<p class="message">{_k(f.message_zh)}<br><span class="en">{_k(f.message_en)}</span></p>'
        )
        out.append(_citation(f))
        out.append("</section>")
    if not shown:
        out.append('<p class="empty">（没有目标 no targets among the selected findings）</p>')
    return out


def _units(view: ReportView, catalog: Catalog | None) -> list[str]:
    out = ['<h2 id="units">按责任单位 Per responsible unit</h2>']
    sections = unit_sections(view, catalog)
    if not sections:
        out.append('<p class="empty">（没有责任单位 no responsible units among the selected findings）</p>')
        return out
    out.append(
        '<p class="muted">每个单位牵头或配合的目标、规则和任务，逾期在前。'
        "Each unit's targets, rules and tasks, as lead or support, overdue first.</p>"
    )
    links = " ".join(f'<a href="#u-{i}">{_e(name)}</a>' for i, (name, _) in enumerate(sections))
    out.append(f'<nav class="toc units-toc">{links}</nav>')
    for i, (name, rows) in enumerate(sections):
        unit = catalog.units.resolve(name) if catalog is not None else None
        english = f' <span class="muted">{_e(unit.name_en)}</span>' if unit and unit.name_en else ""
        overdue = sum(f.status is Status.OVERDUE for f, _ in rows)
        not_met = sum(f.status is Status.NOT_MET for f, _ in rows)
        out.append(f'<section class="unit" id="u-{i}" data-unit="{_e(name)}">')
        out.append(f"<h3>{_e(name)}{english}</h3>")
        out.append(
            f'<p>共 {len(rows)} 项 items：已逾期 overdue {overdue}，未达标 not met {not_met}</p>'
        )
        index = {id(f): i for i, f in enumerate(view.findings)}
        table_rows = []
        for f, role in rows:
            anchor = finding_anchor(index[id(f)], f)
            table_rows.append(
                (
                    _badge(f.status),
                    "牵头 lead" if role == "lead" else "配合 support",
                    _e(f"{KIND_ZH.get(f.kind, f.kind)} {f.kind}"),
                    f'<a class="id" href="#{_e(anchor)}">{_e(f.id)}</a><br>{_e(f.subject)}',
                    _k(value_vs_limit(f)),
                    _k(f.message_zh),
                )
            )
        out.append(
            _table(
                ("状态 Status", "角色 Role", "类型 Kind", "编号/对象 ID / Subject", "数值/限值/期限 Value/limit/due",
                 "说明 Message"),
                table_rows,
                classes=("nowrap", "nowrap", "nowrap", "", "", ""),
            )
        )
        out.append("</section>")
    return out


def _ledger(view: ReportView, catalog: Catalog | None) -> list[str]:
    out = ['<h2 id="ledger">措施任务表 Task ledger</h2>']
    rows = task_ledger(view, catalog)
    if not rows:
        out.append('<p class="empty">（没有任务 no tasks among the selected findings）</p>')
        return out
    out.append(
        '<p class="muted">按计划的措施任务表排列：有附件措施任务表的任务列出附件各行，其余任务列出任务本身。'
        "In the layout of the plan's 措施任务表: its rows where the plan has them, else the task itself.</p>"
    )
    for plan in dict.fromkeys(r.plan for r in rows):
        out.append(f"<h3>{_e(plan)}</h3>")
        body = []
        for r in (r for r in rows if r.plan == plan):
            deadline = "<br>".join(f'<span class="nb">{_e(d.isoformat())}</span>' for d in r.deadlines if d) or "—"
            body.append(
                f'<tr class="{_e(r.status.value)}">'
                f'<td class="num">{_e(r.number)}</td>'
                f"<td>{_k(r.area)}</td>"
                f"<td>{_k(r.title)}</td>"
                f"<td>{_k(r.measure) or '—'}</td>"
                f'<td>{deadline}<br><span class="muted">{_k(r.deadline_text)}</span></td>'
                f"<td>{_e(_names(r.lead))}"
                + (f'<br><span class="muted">配合 {_e(_names(r.support))}</span>' if r.support else "")
                + "</td>"
                f"<td>{_badge(r.status)}</td>"
                f'<td class="id">{_e(r.task)}</td>'
                "</tr>"
            )
        out.append(
            '<table class="ledger"><thead><tr><th>序号 No.</th><th>重点工作 Area</th><th>主要任务 Task</th>'
            "<th>工程措施 Measure</th><th>完成时限 Deadline</th><th>牵头单位 Lead</th><th>状态 Status</th>"
            f"<th>任务 Task id</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
        )
    return out


def _findings(view: ReportView) -> list[str]:
    out = ['<h2 id="findings">全部发现与出处 Every finding with its citation</h2>']
    if not view.findings:
        out.append('<p class="empty">（没有符合条件的发现 no matching findings）</p>')
        return out
    body = []
    for index, f in enumerate(view.findings):
        units = _e(_names(f.lead)) + (f'<br><span class="muted">配合 {_e(_names(f.support))}</span>' if f.support else "")
        body.append(
            f'<tr class="{_e(f.status.value)}" id="{_e(finding_anchor(index, f))}" data-finding="{_e(f.id)}">'
            f'<td class="nowrap">{_e(f.status.label_zh)}<br>{_e(f.status.value)}</td>'
            f'<td><span class="id">{_e(f.id)}</span><br>{_e(f.subject)}</td>'
            f"<td>{_k(value_vs_limit(f))}</td>"
            f"<td>{units}</td>"
            f"<td>{_k(f.message_zh)}</td>"
            f"<td>{_citation(f)}</td>"
            "</tr>"
        )
    out.append(
        "<table><thead><tr><th>状态 Status</th><th>编号/对象 ID / Subject</th><th>数值/限值 Value/limit</th>"
        "<th>责任单位 Units</th><th>说明 Message</th><th>出处 Citation</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )
    return out


def _unused(view: ReportView, max_rows: int) -> list[str]:
    unused = view.report.unused[:max_rows]
    title, note = unused_heading(view.report.unused_counts().total, len(unused))
    out = [f'<h2 id="unused">{_e(title)}</h2>']
    if not unused:
        out.append('<p class="empty">（全部输入行均已使用 every input row was used）</p>')
        return out
    rows = [(_e(i.file), _e(i.row), _e(i.column), _e(i.reason)) for i in unused]
    out.append(_table(("文件 File", "行 Row", "列 Column", "原因 Reason"), rows, classes=("", "num", "", "")))
    if note:
        out.append(f'<p class="note">{_e(note)}</p>')
    return out


def report_html(
    view: ReportView,
    *,
    title: str,
    preface: Sequence[str] = (),
    notices: Sequence[str] = (),
    charts: Sequence[Sequence[Chart]] | None = None,
    catalog: Catalog | None = None,
    max_unused: int = 50,
) -> str:
    """The report page. ``charts`` is aligned with ``view.findings`` (see
    :func:`envplan_core.render.series.finding_charts`); ``catalog`` gives the ledger its attachment rows
    and the units their English names."""
    charts = charts if charts is not None else [[] for _ in view.findings]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
    ]
    items = [f'<li class="notice">{_e(n)}</li>' for n in notices]
    items += [f"<li>{_e(line)}</li>" for line in (*preface, *view.filter_lines)]
    if items:
        parts.append(f'<ul class="preface">{"".join(items)}</ul>')
    parts.append(
        '<nav class="toc"><a href="#summary">概要 Summary</a><a href="#targets">目标图表 Targets</a>'
        '<a href="#units">按单位 Per unit</a><a href="#ledger">措施任务表 Task ledger</a>'
        '<a href="#findings">发现与出处 Findings</a><a href="#unused">未使用输入 Unused rows</a></nav>'
    )
    parts += _summary(view)
    parts += _targets(view, charts)
    parts += _units(view, catalog)
    parts += _ledger(view, catalog)
    parts += _findings(view)
    parts += _unused(view, max_unused)
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)

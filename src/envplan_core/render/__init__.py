"""Rendering: one small document model (titled sections of rows) and five output formats.

Every listing and report is first turned into a :class:`Document` — a title, a few preface lines and
:class:`Section` tables whose cells are already human-readable (Chinese first, English beside). The
``table`` (rich), ``markdown``, ``html`` and ``xlsx`` renderers only lay that document out, so the
four formats never disagree about content. ``json`` does not use the document: it writes the
contract shapes of docs/cli.md built by :mod:`envplan_core.render.json`.

Commands added through :func:`envplan_core.cli.register_command` build a :class:`Document` and call
:func:`write` to get every format for free.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from envplan_core.errors import EnvplanError
from envplan_core.findings import SCHEMA_VERSION, Report, Status
from envplan_core.render.document import (
    Cell,
    Document,
    Section,
    cell_text,
    display_width,
    fmt_number,
    unused_heading,
)
from envplan_core.render.view import (
    STATUS_ORDER,
    ReportFilter,
    ReportView,
    explain_lines,
    select_findings,
    status_label,
    value_vs_limit,
)

if TYPE_CHECKING:
    from envplan_core.catalog import Catalog
    from envplan_core.data.observations import ObservationSet

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "Cell",
    "Document",
    "ReportFilter",
    "ReportView",
    "Section",
    "cell_text",
    "comparator_label",
    "display_width",
    "fmt_number",
    "plans_document",
    "render_text",
    "report_document",
    "rules_section",
    "select_findings",
    "status_label",
    "targets_document",
    "tasks_document",
    "threshold_label",
    "units_document",
    "value_vs_limit",
    "write",
    "write_report",
]

FORMATS = ("table", "json", "markdown", "html", "xlsx")

_KIND_ZH = {"binding": "约束性", "aspirational": "争取性", "goal": "工作目标"}
_COMPARATOR = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "==": "=", "class<=": "≤"}
_NONE = "（无 none）"


# -- writing ----------------------------------------------------------------------------------------


def render_text(document: Document, data: Any, fmt: str, *, width: int = 120) -> str:
    """The document (or, for ``json``, ``data``) as text in a text format."""
    if fmt == "json":
        from envplan_core.render.json import dumps, with_schema_version

        return dumps(with_schema_version(data))
    if fmt == "markdown":
        from envplan_core.render.markdown import to_markdown

        return to_markdown(document)
    if fmt == "html":
        from envplan_core.render.html import to_html

        return to_html(document)
    if fmt == "table":
        from envplan_core.render.table import make_console, print_document

        buffer = io.StringIO()
        print_document(document, make_console(buffer, width=width, color=False))
        return buffer.getvalue()
    raise EnvplanError(f"format {fmt!r} is not a text format (choose from {', '.join(FORMATS)})")


def write(
    document: Document,
    data: Any,
    fmt: str,
    *,
    stdout: TextIO,
    output: str | Path | None = None,
    width: int = 120,
) -> Path | None:
    """Write ``document``/``data`` in ``fmt`` to ``output`` (a file) or to ``stdout``.

    Returns the path written, or None when the output went to ``stdout``. ``xlsx`` needs ``output``, and so
    does ``parquet`` (``data``, the JSON records, as a table: :mod:`envplan_core.render.parquet`).
    """
    if fmt == "parquet":
        if output is None:
            raise EnvplanError(
                "--format parquet writes a binary table: give --output PATH (e.g. records.parquet)"
            )
        from envplan_core.render.parquet import write_parquet

        write_parquet(data, output)
        return Path(output)
    # A record stream exists only once its module is loaded (it brings numpy): listing plans never loads it.
    stream = sys.modules.get("envplan_core.render.stream")
    if stream is not None and stream.is_stream(data):  # records produced as they are written (envplan aqi)
        write_json_records = stream.write_json_records
        if fmt == "json":
            if output is None:
                write_json_records(stdout, data)
                return None
            with stream.open_text_output(output) as handle:  # no O_TRUNC: see there
                write_json_records(handle, data)
            return Path(output)
        data = list(data)
    if fmt not in FORMATS:
        raise EnvplanError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "xlsx":
        if output is None:
            raise EnvplanError("--format xlsx writes a workbook: give --output PATH (e.g. report.xlsx)")
        from envplan_core.render.xlsx import write_xlsx

        path = Path(output)
        write_xlsx(document, path)
        return path
    if output is not None:
        path = Path(output)
        path.write_text(render_text(document, data, fmt, width=width), encoding="utf-8")
        return path
    if fmt == "table":
        from envplan_core.render.table import make_console, print_document

        print_document(document, make_console(stdout, width=width))
    else:
        stdout.write(render_text(document, data, fmt, width=width))
    return None


# -- labels ---------------------------------------------------------------------------------------


def comparator_label(comparator: str) -> str:
    return _COMPARATOR.get(comparator, comparator)


def threshold_label(threshold: Mapping[str, Any]) -> str:
    """A threshold record (:func:`envplan_core.render.json.threshold_record`) as text:
    ``≤ 43 µg/m³`` and, on a second line, the dates it applies between."""
    comparator = str(threshold.get("comparator", ""))
    value = str(threshold.get("value", ""))
    text = f"类别 ≤ {value} 类" if comparator == "class<=" else f"{comparator_label(comparator)} {value}"
    start, until = threshold.get("effective_from"), threshold.get("effective_until")
    if start and until:
        text += f"\n{start}–{until}"
    elif start:
        text += f"\n{start} 起 from"
    elif until:
        text += f"\n至 until {until}"
    if threshold.get("basis"):
        text += f" [{threshold['basis']}]"
    return text


def _names(names: Sequence[str]) -> str:
    return "、".join(names)


def _units(lead: Sequence[str], support: Sequence[str]) -> str:
    lines = [f"牵头：{_names(lead)}"] if lead else []
    if support:
        lines.append(f"配合：{_names(support)}")
    return "\n".join(lines)


def _two(zh: str, en: str) -> str:
    return f"{zh}\n{en}" if en else zh


# -- catalog listings ---------------------------------------------------------------------------------


def plans_document(records: Sequence[Mapping[str, Any]]) -> Document:
    rows = [
        (
            r["id"],
            _two(r["title_zh"], r["title_en"]),
            r["plugin"],
            r["document"],
            r["targets"],
            r["rules"],
            r["tasks"],
        )
        for r in records
    ]
    return Document(
        title="已加载的行动计划 Loaded plans",
        sections=[
            Section(
                title="计划 Plans",
                columns=(
                    "编号 ID",
                    "名称 Title",
                    "插件 Plugin",
                    "文号 Document",
                    "目标 Targets",
                    "规则 Rules",
                    "任务 Tasks",
                ),
                rows=rows,
                empty="（未加载任何计划 no plans loaded — are the plugins installed? see --plugins）",
                flex=1,
            )
        ],
    )


def _with_citation(text: str, citation: Mapping[str, Any]) -> str:
    label = _citation_label(citation)
    return f"{text}\n〔{label}〕" if label else text


def targets_document(targets: Sequence[Mapping[str, Any]], rules: Sequence[Mapping[str, Any]]) -> Document:
    rows = [
        (
            f"{t['id']}\n{_KIND_ZH.get(t['kind'], t['kind'])} {t['kind']}",
            _with_citation(_two(t["title_zh"], t["title_en"]), t["citation"]),
            t.get("subject_zh") or t["subject"],
            "\n".join(threshold_label(th) for th in t["threshold"]) or "—",
            _names(t["lead"]),
        )
        for t in targets
    ]
    return Document(
        title="目标与规则 Targets and rules",
        sections=[
            Section(
                title="目标 Targets",
                columns=(
                    "编号/类型 ID / Kind",
                    "指标〔出处〕 Target [citation]",
                    "对象 Subject",
                    "限值 Threshold",
                    "牵头 Lead",
                ),
                rows=rows,
                flex=1,
            ),
            rules_section(rules),
        ],
    )


def rules_section(rules: Sequence[Mapping[str, Any]]) -> Section:
    rows = [
        (
            r["id"],
            _with_citation(_two(r["title_zh"], r["title_en"]), r["citation"]),
            r["applies_to"] or "观测 observations",
            "\n".join(threshold_label(th) for th in r["threshold"]) or "—",
            _names(r["lead"]),
        )
        for r in rules
    ]
    return Section(
        title="规则 Rules",
        columns=("编号 ID", "规则〔出处〕 Rule [citation]", "适用 Applies to", "限值 Threshold", "牵头 Lead"),
        rows=rows,
        flex=1,
    )


def _citation_label(citation: Mapping[str, Any]) -> str:
    bits = [str(citation.get("plan", ""))]
    if citation.get("part"):
        bits.append(str(citation["part"]))
    clause = str(citation.get("clause", ""))
    if clause:
        bits.append(f"第{clause}条" if clause[:1].isdigit() else clause)
    if citation.get("standard"):
        bits.append(str(citation["standard"]))
    return " · ".join(b for b in bits if b)


def _deadline_text(details: Sequence[Mapping[str, Any]]) -> str:
    lines = []
    for d in details:
        if d["kind"] == "ongoing":
            when = "长期坚持 ongoing"
        elif d["kind"] == "window":
            hours = f" {d['daily_start']}–{d['daily_end']}" if d.get("daily_start") else ""
            when = f"{d['start']}–{d['due']}{hours}"
        else:
            when = str(d["due"])
        label = f"：{d['label']}" if d.get("label") else ""
        lines.append(f"{when}{label}")
    return "\n".join(lines)


def tasks_document(tasks: Sequence[Mapping[str, Any]], *, filters: Sequence[str] = ()) -> Document:
    rows = [
        (
            f"{t['id']}\n第{t['number']}条",
            _two(t["title_zh"], t["title_en"]),
            _units(t["lead"], t["support"]),
            _deadline_text(t["deadline_details"]),
        )
        for t in tasks
    ]
    attachment_rows = [
        (
            t["id"],
            a["number"],
            a["area"],
            a["title"],
            "\n".join(str(d) for d in a["deadlines"] if d) or a.get("deadline_text", ""),
            _names(a["lead"]),
        )
        for t in tasks
        for a in t["attachments"]
    ]
    sections = [
        Section(
            title="任务 Tasks",
            columns=("编号/条 ID / No.", "任务 Task", "责任单位 Responsible units", "期限 Deadlines"),
            rows=rows,
            flex=1,
            empty="（没有符合条件的任务 no matching tasks）",
        )
    ]
    if attachment_rows:
        sections.append(
            Section(
                title="附件措施任务表 Attachment rows",
                columns=(
                    "任务 Task",
                    "序号 No.",
                    "重点工作 Area",
                    "主要任务 Title",
                    "期限 Deadlines",
                    "牵头 Lead",
                ),
                rows=attachment_rows,
                flex=3,
            )
        )
    return Document(title="任务台账 Task ledger", preface=filters, sections=sections)


def units_document(units: Sequence[Mapping[str, Any]]) -> Document:
    rows = [
        (
            u["id"],
            _two(u["name_zh"], u["name_en"]),
            "组 group" if u["kind"] == "group" else "单位 unit",
            "、".join(u["aliases"]),
            "、".join(u["members_zh"]),
        )
        for u in units
    ]
    return Document(
        title="责任单位 Responsible units",
        sections=[
            Section(
                title="单位与组 Units and groups",
                columns=("编号 ID", "名称 Name", "类型 Kind", "别名 Aliases", "成员 Members"),
                rows=rows,
            )
        ],
    )


# -- the evaluation report ----------------------------------------------------------------------------


def report_document(
    report: Report | ReportView,
    *,
    title: str = "",
    notices: Sequence[str] = (),
    inputs: Sequence[str] = (),
    max_unused: int = 10,
    explain: bool = False,
) -> Document:
    """The evaluate report: a summary per plan, findings (worst first unless sorted otherwise), overdue
    tasks per lead unit, and the input rows that were not used. A :class:`ReportView` shows only the
    findings its filter kept, in its order. ``explain`` adds, after the findings, the computation each
    target and rule verdict rests on (:func:`~envplan_core.render.view.explain_lines`)."""
    view = report if isinstance(report, ReportView) else select_findings(report)
    preface: list[str] = [*notices]
    preface.append(f"评估基准日 As of: {view.as_of.isoformat()}")
    plans = [p for p in view.report.plans if p.id in view.plan_ids()]
    for p in plans:
        preface.append(f"计划 Plan: {p.id} {p.title_zh}（{p.plugin} {p.version}）")
    preface.extend(inputs)
    preface.extend(view.filter_lines)

    findings = list(view.findings)
    present = [s for s in STATUS_ORDER if any(f.status is s for f in findings)]
    summary_rows: list[tuple[Cell, ...]] = []
    for p in plans:
        own = [f for f in findings if f.plan == p.id]
        summary_rows.append((p.id, len(own), *(sum(f.status is s for f in own) for s in present)))
    if len(plans) > 1:
        totals = (sum(f.status is s for f in findings) for s in present)
        summary_rows.append(("合计 total", len(findings), *totals))
    summary = Section(
        title="概要 Summary per plan",
        columns=("计划 Plan", "合计 Total", *(f"{s.label_zh}\n{s.value}" for s in present)),
        rows=summary_rows,
    )

    finding_rows = [
        (
            f"{f.status.label_zh}\n{f.status.value}",
            f"{f.id}\n{f.subject}" if f.subject and f.subject != f.id else f.id,
            value_vs_limit(f),
            _names(f.lead),
            f"{f.message_zh}\n〔{f.citation.label()}〕" if f.citation.label() else f.message_zh,
        )
        for f in findings
    ]
    order = "worst first" if view.filter.sort == "status" else f"sorted by {view.filter.sort}"
    finding_section = Section(
        title=f"发现 Findings ({order})",
        columns=(
            "状态 Status",
            "编号/对象 ID / Subject",
            "数值/限值 Value/limit",
            "牵头 Lead",
            "说明〔出处〕 Message [citation]",
        ),
        flex=4,
        rows=finding_rows,
        tags=[f.status.value for f in findings],
        empty="（没有符合条件的发现 no matching findings）",
        # Value and lead stay legible (numbers, dates and ids are kept whole by the table renderer).
        min_widths=(0, 0, 11, 8, 0),
    )

    by_unit: dict[str, list[str]] = {}
    for f in findings:
        if f.kind == "task" and f.status is Status.OVERDUE:
            for unit in f.lead:
                by_unit.setdefault(unit, []).append(f"{f.id} {f.subject}")
    overdue_rows: list[tuple[Cell, ...]] = [
        (unit, len(items), "\n".join(items)) for unit, items in by_unit.items()
    ]
    overdue_rows.sort(key=lambda r: (-int(r[1] or 0), str(r[0])))
    overdue_section = Section(
        title="逾期任务（按牵头单位） Overdue tasks per lead unit",
        columns=("牵头单位 Lead unit", "逾期 Overdue", "任务 Tasks"),
        rows=overdue_rows,
        tags=["overdue"] * len(overdue_rows),
        empty="（无逾期任务 no overdue tasks）",
        flex=2,
    )

    unused = view.report.unused[:max_unused]
    unused_title, unused_note = unused_heading(view.report.unused_counts().total, len(unused))
    unused_section = Section(
        title=unused_title,
        columns=("文件 File", "行 Row", "列 Column", "原因 Reason"),
        rows=[(i.file, i.row, i.column, i.reason) for i in unused],
        note=unused_note,
        empty="（全部输入行均已使用 every input row was used）",
        flex=3,
    )
    sections = [summary, finding_section]
    if explain:
        explained = [(f, explain_lines(f)) for f in findings]
        sections.append(
            Section(
                title="计算依据 How each verdict was computed (--explain)",
                columns=("编号/状态 ID / Status", "计算 Computation"),
                rows=[
                    (
                        "\n".join(
                            x for x in (f.id, f.subject if f.subject != f.id else "", f.status.value) if x
                        ),
                        "\n".join(lines),
                    )
                    for f, lines in explained
                    if lines
                ],
                tags=[f.status.value for f, lines in explained if lines],
                empty="（没有可说明的目标或规则发现 no target or rule finding to explain）",
                flex=1,
            )
        )
    sections += [overdue_section, unused_section]
    return Document(
        title=title or default_report_title(view.as_of.isoformat()),
        preface=preface,
        sections=sections,
    )


def default_report_title(as_of: str) -> str:
    return f"新绛县环境行动计划评估 Evaluation report — {as_of}"


def write_report(
    view: ReportView,
    fmt: str,
    *,
    stdout: TextIO,
    output: str | Path | None = None,
    width: int = 120,
    title: str = "",
    notices: Sequence[str] = (),
    inputs: Sequence[str] = (),
    extra: Mapping[str, Any] | None = None,
    catalog: Catalog | None = None,
    observations: ObservationSet | None = None,
    explain: bool = False,
) -> Path | None:
    """Write an evaluation report in ``fmt``; every format shows the findings of ``view``.

    ``table`` and ``markdown`` show :func:`report_document`; ``json`` is :meth:`ReportView.to_dict`
    after the keys of ``extra``; ``html`` is the page of :mod:`envplan_core.render.html_report` (charts
    from ``observations`` when given) and ``xlsx`` the ledger of :mod:`envplan_core.render.xlsx_report`.
    ``catalog`` gives the task ledger its attachment rows and resolves unit names. ``explain`` adds the
    computation section to ``table`` and ``markdown`` (JSON always has ``details.computation``).
    """
    title = title or default_report_title(view.as_of.isoformat())
    data = {**(extra or {}), **view.to_dict()}
    if fmt in ("table", "markdown", "json"):
        document = report_document(view, title=title, notices=notices, inputs=inputs, explain=explain)
        return write(document, data, fmt, stdout=stdout, output=output, width=width)
    if fmt not in FORMATS:
        raise EnvplanError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    preface = [f"评估基准日 As of: {view.as_of.isoformat()}"]
    preface += [
        f"计划 Plan: {p.id} {p.title_zh}（{p.plugin} {p.version}）"
        for p in view.report.plans
        if p.id in view.plan_ids()
    ]
    preface += list(inputs)
    if fmt == "xlsx":
        if output is None:
            raise EnvplanError("--format xlsx writes a workbook: give --output PATH (e.g. report.xlsx)")
        from envplan_core.render.xlsx_report import write_report_xlsx

        path = Path(output)
        write_report_xlsx(view, path, title=title, preface=[*notices, *preface], catalog=catalog)
        return path
    from envplan_core.render.html_report import report_html
    from envplan_core.render.series import finding_charts

    charts = finding_charts(view.findings, catalog=catalog, observations=observations, as_of=view.as_of)
    page = report_html(view, title=title, preface=preface, notices=notices, charts=charts, catalog=catalog)
    if output is not None:
        path = Path(output)
        path.write_text(page, encoding="utf-8")
        return path
    stdout.write(page)
    return None

"""What a report shows: the findings a reader asked for (``--unit``, ``--status``, ``--plan``, ``--kind``),
in the order they asked for (``--sort``), and the labels every format prints beside them.

One function, :func:`select_findings`, filters and orders the findings of a
:class:`~envplan_core.findings.Report`; every format (table, JSON, Markdown, HTML, XLSX) renders the
:class:`ReportView` it returns, so the same options give the same findings in every format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from envplan_core.findings import Finding, Report, Status, natural_key
from envplan_core.render.document import fmt_number

if TYPE_CHECKING:
    from envplan_core.catalog import Catalog

__all__ = [
    "KINDS",
    "SORT_KEYS",
    "STATUS_ORDER",
    "LedgerRow",
    "ReportFilter",
    "ReportView",
    "attachment_leads",
    "citation_label",
    "due_date",
    "explain_lines",
    "finding_anchor",
    "finding_units",
    "select_findings",
    "status_label",
    "task_ledger",
    "unit_sections",
    "value_text",
    "value_vs_limit",
]

#: Worst first; the order of summary columns.
STATUS_ORDER: tuple[Status, ...] = (
    Status.NOT_MET,
    Status.OVERDUE,
    Status.INSUFFICIENT_DATA,
    Status.DONE_LATE,
    Status.OPEN,
    Status.ONGOING,
    Status.NOT_APPLICABLE,
    Status.SUPERSEDED,
    Status.MET,
    Status.DONE,
)

KINDS: tuple[str, ...] = ("target", "rule", "task")
KIND_ZH: Mapping[str, str] = {"target": "目标", "rule": "规则", "task": "任务"}

#: ``--sort`` keys. ``status``: worst first (the default, the order of ``Report.sorted``).
SORT_KEYS: Mapping[str, str] = {
    "status": "worst first, then plan and id",
    "id": "by id (air.task.2 before air.task.11)",
    "plan": "by plan, then worst first",
    "kind": "targets, rules, then tasks; worst first within each",
    "unit": "by first lead unit, then worst first",
    "due": "by due date (tasks and dated limits), earliest first; undated last",
}


def status_label(status: Status | str) -> str:
    """``已逾期 overdue``: Chinese first, the English value beside."""
    st = Status(status)
    return f"{st.label_zh} {st.value}"


def citation_label(citation: Any) -> str:
    """``水环境质量再提升2023年行动计划 · 重点任务（四） · 第14条 · GB 3838-2002``."""
    label = getattr(citation, "label", None)
    if callable(label):
        return str(label())
    bits = [str(citation.get("plan", ""))]
    if citation.get("part"):
        bits.append(str(citation["part"]))
    clause = str(citation.get("clause", ""))
    if clause:
        bits.append(f"第{clause}条" if clause[:1].isdigit() else clause)
    if citation.get("standard"):
        bits.append(str(citation["standard"]))
    return " · ".join(b for b in bits if b)


def due_date(finding: Finding) -> dt.date | None:
    """The day a task (or a rule with a dated limit) is due, when the finding names one."""
    if isinstance(finding.limit, str):
        try:
            return dt.date.fromisoformat(finding.limit)
        except ValueError:
            return None
    return None


def finding_anchor(index: int, finding: Finding) -> str:
    """A stable HTML id for the ``index``-th finding of a view (ids repeat across records)."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "-" for ch in finding.id)
    return f"f{index}-{safe}"


def attachment_leads(finding: Finding, catalog: Catalog | None) -> list[str]:
    """Lead units of a task's attachment rows (措施任务表), canonical Chinese names."""
    if catalog is None or finding.kind != "task":
        return []
    names: list[str] = []
    for plan in catalog.plans:
        if plan.id == finding.plan:
            for task in plan.tasks:
                if task.id == finding.id:
                    names.extend(catalog.units.canonical_zh(n) for row in task.attachments for n in row.lead)
    return list(dict.fromkeys(names))


def finding_units(finding: Finding, catalog: Catalog | None = None) -> list[str]:
    """Names of the units a finding answers to: lead and support, and for a task the lead units of its
    attachment rows (措施任务表), as ``envplan tasks --unit`` matches them."""
    return list(dict.fromkeys([*finding.lead, *finding.support, *attachment_leads(finding, catalog)]))


def _strs(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _statuses(values: Iterable[Status | str]) -> tuple[Status, ...]:
    return tuple(Status(s) for s in values)


@attrs.frozen
class ReportFilter:
    """The reader's choice: units (names or aliases, matched with group membership), statuses, plans
    (ids), kinds and the sort key. Empty means "all"."""

    units: tuple[str, ...] = attrs.field(converter=_strs, default=())
    statuses: tuple[Status, ...] = attrs.field(converter=_statuses, default=())
    plans: tuple[str, ...] = attrs.field(converter=_strs, default=())
    kinds: tuple[str, ...] = attrs.field(converter=_strs, default=())
    sort: str = "status"

    def __attrs_post_init__(self) -> None:
        if self.sort not in SORT_KEYS:
            raise ValueError(f"unknown sort key {self.sort!r} (choose from {', '.join(SORT_KEYS)})")
        bad = [k for k in self.kinds if k not in KINDS]
        if bad:
            raise ValueError(f"unknown kind {bad[0]!r} (choose from {', '.join(KINDS)})")

    @property
    def active(self) -> bool:
        return bool(self.units or self.statuses or self.plans or self.kinds or self.sort != "status")

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": list(self.units),
            "status": [s.value for s in self.statuses],
            "plan": list(self.plans),
            "kind": list(self.kinds),
            "sort": self.sort,
        }

    def describe(self, catalog: Catalog | None = None) -> list[str]:
        """Preface lines naming what was left out, Chinese first."""
        lines: list[str] = []
        if self.units:
            names = []
            for u in self.units:
                unit = catalog.units.resolve(u) if catalog is not None else None
                names.append(f"{unit.name_zh} {unit.name_en}" if unit else u)
            lines.append(
                "筛选 Filter — 单位 Unit: " + "；".join(names) + "（牵头、配合或所在组 as lead, support or member)"
            )
        if self.statuses:
            lines.append("筛选 Filter — 状态 Status: " + "、".join(status_label(s) for s in self.statuses))
        if self.plans:
            lines.append("筛选 Filter — 计划 Plan: " + "、".join(self.plans))
        if self.kinds:
            lines.append("筛选 Filter — 类型 Kind: " + "、".join(f"{KIND_ZH[k]} {k}" for k in self.kinds))
        if self.sort != "status":
            lines.append(f"排序 Sort: {self.sort} — {SORT_KEYS[self.sort]}")
        return lines


@attrs.frozen
class ReportView:
    """The findings of a report a reader asked for, in their order; every format renders this."""

    report: Report
    findings: tuple[Finding, ...]
    filter: ReportFilter = ReportFilter()
    filter_lines: tuple[str, ...] = attrs.field(converter=_strs, default=())
    #: Canonical Chinese names of the units asked for (the per-unit sections show only these).
    units: tuple[str, ...] = attrs.field(converter=_strs, default=())

    @property
    def as_of(self) -> dt.date:
        return self.report.as_of

    def plan_ids(self) -> list[str]:
        return [p.id for p in self.report.plans if not self.filter.plans or p.id in self.filter.plans]

    def to_dict(self) -> dict[str, Any]:
        """``Report.to_dict()`` with the selected findings in the chosen order; ``filters`` is added
        only when the reader chose any (so the unfiltered JSON is exactly the report's)."""
        data = self.report.to_dict()
        data["findings"] = [f.to_dict() for f in self.findings]
        if self.filter.active:
            data["filters"] = self.filter.to_dict()
        return data


def _status_key(f: Finding) -> tuple[Any, ...]:
    # Report.sorted()'s key: the unfiltered default order is the report's own.
    return (-f.status.severity, f.plan, natural_key(f.id), f.subject)


def _sort(findings: Iterable[Finding], key: str) -> list[Finding]:
    items = sorted(findings, key=_status_key)
    if key == "id":
        return sorted(items, key=lambda f: (natural_key(f.id), f.plan, f.subject))
    if key == "plan":
        return sorted(items, key=lambda f: f.plan)
    if key == "kind":
        return sorted(items, key=lambda f: KINDS.index(f.kind) if f.kind in KINDS else len(KINDS))
    if key == "unit":
        return sorted(items, key=lambda f: (not f.lead, f.lead[0] if f.lead else ""))
    if key == "due":
        return sorted(items, key=lambda f: (due_date(f) is None, due_date(f) or dt.date.max))
    return items


def select_findings(
    report: Report, flt: ReportFilter | None = None, *, catalog: Catalog | None = None
) -> ReportView:
    """The findings of ``report`` that ``flt`` keeps, in its order (the one filter every format uses).

    A unit matches a finding when it leads or supports it, directly or as a member of a group the
    finding names (a town matches 各镇), or leads one of a task's attachment rows; ``catalog`` resolves
    the names (without it only exact names match).
    """
    flt = flt or ReportFilter()
    kept: list[Finding] = []
    wanted_status = set(flt.statuses)
    for f in report.findings:
        if flt.plans and f.plan not in flt.plans:
            continue
        if flt.kinds and f.kind not in flt.kinds:
            continue
        if wanted_status and f.status not in wanted_status:
            continue
        if flt.units and not _matches_units(f, flt.units, catalog):
            continue
        kept.append(f)
    units: list[str] = []
    for u in flt.units:
        resolved = catalog.units.resolve(u) if catalog is not None else None
        units.append(resolved.name_zh if resolved else u)
    return ReportView(
        report=report,
        findings=tuple(_sort(kept, flt.sort)),
        filter=flt,
        filter_lines=flt.describe(catalog),
        units=tuple(dict.fromkeys(units)),
    )


def _matches_units(f: Finding, queries: Sequence[str], catalog: Catalog | None) -> bool:
    names = finding_units(f, catalog)
    if catalog is None:
        return any(q in names for q in queries)
    return any(catalog.units.matches(q, names) for q in queries)


def value_text(value: float | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return fmt_number(value)
    return str(value)


#: ``details.computation["n_of"]`` in both languages, for ``--explain``.
_COUNTED_LABELS = {
    "valid_days": "有效日 valid days",
    "days": "天 days",
    "samples": "个样品 samples",
    "records": "条记录 records",
    "points": "个点位 points",
    "values": "个值 values",
    "months": "个月 months",
    "hours": "小时 hours",
}
_COMPUTATION_KEYS = ("period", "statistic", "n", "n_of", "value", "value_raw", "unit", "rounding", "rule_zh", "rule_en")


def _short(value: Any, limit: int = 160) -> str:
    if isinstance(value, float):
        text = fmt_number(value)
    elif isinstance(value, (list, tuple)):
        text = ", ".join(_short(v, limit) for v in value)
    elif isinstance(value, Mapping):
        text = "{" + ", ".join(f"{k}: {_short(v, limit)}" for k, v in value.items()) + "}"
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def explain_lines(finding: Finding) -> list[str]:
    """The computation behind a finding (``details.computation``) as text lines, Chinese and English:
    period, statistic and what it rests on; the value as compared and unrounded; the rounding; the rule
    in both languages; then the evaluator's own keys (limit, comparator, missing …). Empty for findings
    without one (tasks)."""
    c = finding.details.get("computation") if isinstance(finding.details, Mapping) else None
    if not isinstance(c, Mapping):
        return []
    n = c.get("n")
    based = f"{n} {_COUNTED_LABELS.get(str(c.get('n_of')), str(c.get('n_of')))}" if n is not None else "—"
    lines = [f"时段 Period {c.get('period')} · 统计 Statistic {c.get('statistic')} · 依据 Based on {based}"]
    value, raw, unit = c.get("value"), c.get("value_raw"), c.get("unit") or ""
    if value is not None or raw is not None:
        shown = value_text(value) if value is not None else "—"
        text = f"数值 Value {shown}{f' {unit}' if unit else ''}"
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw != value:
            text += f"（未修约 unrounded {raw!r}）"
        lines.append(text)
    if c.get("rounding"):
        lines.append(f"修约 Rounding: {c['rounding']}")
    lines.append(f"规则 {c.get('rule_zh', '')}")
    lines.append(f"Rule: {c.get('rule_en', '')}")
    extra = {k: v for k, v in c.items() if k not in _COMPUTATION_KEYS and v not in (None, "", [], {})}
    if extra:
        lines.append("其他 Other: " + "; ".join(f"{k}={_short(v)}" for k, v in extra.items()))
    return lines


def value_vs_limit(finding: Finding) -> str:
    """``52 vs 43 µg/m³``; tasks show their due date."""
    unit = f" {finding.unit}" if finding.unit else ""
    if finding.kind == "task":
        return f"期限 due {finding.limit}" if finding.limit else "长期 ongoing"
    value, limit = value_text(finding.value), value_text(finding.limit)
    if not value and not limit:
        return "—"
    if not limit:
        return f"{value}{unit}"
    if not value:
        return f"— vs {limit}{unit}"
    return f"{value} vs {limit}{unit}"


def unit_sections(view: ReportView, catalog: Catalog | None = None) -> list[tuple[str, list[tuple[Finding, str]]]]:
    """Per responsible unit, its findings with its role (``lead`` or ``support``), overdue first, then
    worst first; units with the most overdue and unmet items first.

    Without a unit filter every unit or group a finding names gets a section; with one, the units asked
    for (a town's section holds the items of the groups it belongs to, as the filter matched them).
    """
    sections: dict[str, list[tuple[Finding, str]]] = {}
    if view.units:
        for name in view.units:
            rows: list[tuple[Finding, str]] = []
            for f in view.findings:
                leads = [*f.lead, *attachment_leads(f, catalog)]
                lead = catalog.units.matches(name, leads) if catalog is not None else name in leads
                rows.append((f, "lead" if lead else "support"))
            sections[name] = rows
    else:
        for f in view.findings:
            for name in f.lead:
                sections.setdefault(name, []).append((f, "lead"))
            for name in f.support:
                if name not in f.lead:
                    sections.setdefault(name, []).append((f, "support"))

    def item_key(row: tuple[Finding, str]) -> tuple[int, int]:
        f, _ = row
        return (0 if f.status is Status.OVERDUE else 1, -f.status.severity)

    def unit_key(entry: tuple[str, list[tuple[Finding, str]]]) -> tuple[int, int, str]:
        name, rows = entry
        overdue = sum(f.status is Status.OVERDUE for f, _ in rows)
        not_met = sum(f.status is Status.NOT_MET for f, _ in rows)
        return (-overdue, -not_met, name)

    ordered = sorted(sections.items(), key=unit_key) if not view.units else list(sections.items())
    return [(name, sorted(rows, key=item_key)) for name, rows in ordered]


@attrs.frozen
class LedgerRow:
    """A row of the task ledger in the layout of the plan's 措施任务表: a row of the plan's attachment
    table, or the task itself when it has none."""

    plan: str
    task: str
    task_number: str
    number: str
    area: str
    title: str
    measure: str
    deadlines: tuple[dt.date | None, ...]
    deadline_text: str
    lead: tuple[str, ...]
    support: tuple[str, ...]
    status: Status
    citation: str
    from_attachment: bool


def task_ledger(view: ReportView, catalog: Catalog | None = None) -> list[LedgerRow]:
    """The ledger rows of the tasks in ``view`` (their order: plan, then the plan's numbering)."""
    tasks = [f for f in view.findings if f.kind == "task"]
    by_key = {(f.plan, f.id): f for f in tasks}
    rows: list[LedgerRow] = []
    if catalog is None:
        for f in sorted(tasks, key=lambda f: (f.plan, natural_key(f.id))):
            due = due_date(f)
            rows.append(
                LedgerRow(
                    plan=f.plan, task=f.id, task_number=f.citation.clause, number=f.citation.clause,
                    area=f.citation.part, title=f.subject, measure="", deadlines=(due,),
                    deadline_text=f.limit if isinstance(f.limit, str) else "", lead=f.lead, support=f.support,
                    status=f.status, citation=citation_label(f.citation), from_attachment=False,
                )
            )
        return rows
    for plan in catalog.plans:
        for task in plan.tasks:
            found = by_key.get((plan.id, task.id))
            if found is None:
                continue
            f = found
            lead = tuple(dict.fromkeys(catalog.units.canonical_zh(n) for n in task.lead))
            support = tuple(
                s for s in dict.fromkeys(catalog.units.canonical_zh(n) for n in task.support) if s not in lead
            )
            if task.attachments:
                for a in task.attachments:
                    rows.append(
                        LedgerRow(
                            plan=plan.id, task=task.id, task_number=task.number, number=str(a.number),
                            area=a.area, title=a.title, measure=a.measure,
                            deadlines=tuple(d.due for d in a.deadlines) or (None,),
                            deadline_text="；".join(d.text for d in a.deadlines if d.text) or "长期坚持",
                            lead=tuple(dict.fromkeys(catalog.units.canonical_zh(n) for n in a.lead)) or lead,
                            support=support, status=f.status, citation=citation_label(task.citation),
                            from_attachment=True,
                        )
                    )
            else:
                rows.append(
                    LedgerRow(
                        plan=plan.id, task=task.id, task_number=task.number, number=task.number,
                        area=task.citation.part, title=task.title_zh, measure="",
                        deadlines=tuple(d.due for d in task.deadlines) or (None,),
                        deadline_text="；".join(
                            f"{d.text}（{d.label}）" if d.label else d.text for d in task.deadlines if d.text
                        ) or "长期坚持",
                        lead=lead, support=support, status=f.status, citation=citation_label(task.citation),
                        from_attachment=False,
                    )
                )
    return rows

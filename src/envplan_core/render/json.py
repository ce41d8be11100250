"""The JSON shapes of docs/cli.md for ``plans``, ``targets``, ``rules``, ``tasks`` and ``units``.

These records are the contract other tools read; the human formats are built from them too, so what a
person sees and what a script reads cannot drift apart. Responsible units appear as canonical Chinese
names (``catalog.units.canonical_zh``), dates as ISO strings, quantities as strings with their unit
(``"43 µg/m³"``). The ``evaluate`` shape is :meth:`envplan_core.findings.Report.to_dict`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from envplan_core.catalog import Catalog
from envplan_core.converters import unstructure
from envplan_core.findings import SCHEMA_VERSION
from envplan_core.model import (
    AttachmentRow,
    Citation,
    Deadline,
    Plan,
    Responsibility,
    Rule,
    Target,
    Task,
    Threshold,
)

__all__ = [
    "SCHEMA_VERSION",
    "citation_record",
    "deadline_record",
    "dumps",
    "plan_records",
    "rule_records",
    "target_records",
    "task_records",
    "threshold_record",
    "unit_records",
]


def with_schema_version(data: Any) -> Any:
    """``data`` with ``schema_version`` added: first key of an object, or a key of each object of a list
    (list documents — ``targets``, ``tasks``, ``classify``, ``aqi`` … — stay lists, as the contract says,
    so existing consumers keep working)."""
    if isinstance(data, dict):
        return {"schema_version": SCHEMA_VERSION, **data}
    if isinstance(data, list):
        return [{"schema_version": SCHEMA_VERSION, **r} if isinstance(r, dict) else r for r in data]
    return data


def dumps(data: Any) -> str:
    """UTF-8 JSON as people can read it (Chinese unescaped), two-space indent, final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def citation_record(citation: Citation) -> dict[str, str]:
    return {
        "plan": citation.plan,
        "part": citation.part,
        "clause": citation.clause,
        "text": citation.text,
        "standard": citation.standard,
    }


def threshold_record(threshold: Threshold) -> dict[str, Any]:
    """``{comparator, value, effective_from, effective_until, basis, source}``; value as text with unit."""
    raw = unstructure(threshold)
    value = raw.get("value")
    if isinstance(value, float):
        value = f"{value:g}"
    return {
        "comparator": threshold.comparator.value,
        "value": str(value),
        "effective_from": threshold.effective_from.isoformat() if threshold.effective_from else None,
        "effective_until": threshold.effective_until.isoformat() if threshold.effective_until else None,
        "basis": threshold.basis,
        "source": threshold.source,
    }


def deadline_record(deadline: Deadline) -> dict[str, Any]:
    """``{kind, due, start, daily_start, daily_end, text, label}``; ``due`` is null when ongoing."""
    return {
        "kind": deadline.kind.value,
        "due": deadline.due.isoformat() if deadline.due else None,
        "start": deadline.start.isoformat() if deadline.start else None,
        "daily_start": deadline.daily_start.strftime("%H:%M") if deadline.daily_start else None,
        "daily_end": deadline.daily_end.strftime("%H:%M") if deadline.daily_end else None,
        "text": deadline.text,
        "label": deadline.label,
    }


def _canonical(catalog: Catalog, names: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for name in names:
        seen.setdefault(catalog.units.canonical_zh(name), None)
    return list(seen)


def _lead_support(
    catalog: Catalog, responsibilities: Sequence[Responsibility]
) -> tuple[list[str], list[str]]:
    lead = _canonical(catalog, (u for r in responsibilities for u in r.lead))
    support = _canonical(catalog, (u for r in responsibilities for u in r.support))
    return lead, [s for s in support if s not in lead]


def _responsibility_records(
    catalog: Catalog, responsibilities: Sequence[Responsibility]
) -> list[dict[str, Any]]:
    return [
        {
            "lead": _canonical(catalog, r.lead),
            "support": _canonical(catalog, r.support),
            "by_division_of_duties": r.by_division_of_duties,
            "scope": r.scope,
        }
        for r in responsibilities
    ]


def plan_records(plans: Sequence[Plan]) -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "title_zh": p.title_zh,
            "title_en": p.title_en,
            "plugin": p.plugin,
            "version": p.version,
            "year": p.year,
            "document": p.document,
            "issued": p.issued.isoformat(),
            "targets": len(p.targets),
            "rules": len(p.rules),
            "tasks": len(p.tasks),
        }
        for p in plans
    ]


def _subject_zh(plan: Plan, subject: str) -> str:
    if subject == "county":
        return "新绛县"
    site = next((s for s in plan.sites if s.id == subject), None)
    return site.name_zh if site else subject


def target_records(catalog: Catalog, plans: Sequence[Plan]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for plan in plans:
        for t in plan.targets:
            out.append(_target_record(catalog, plan, t))
    return out


def _target_record(catalog: Catalog, plan: Plan, t: Target) -> dict[str, Any]:
    lead, support = _lead_support(catalog, t.responsibilities)
    return {
        "id": t.id,
        "plan": plan.id,
        "title_zh": t.title_zh,
        "title_en": t.title_en,
        "kind": t.kind.value,
        "lead": lead,
        "support": support,
        "citation": citation_record(t.citation),
        "threshold": [threshold_record(th) for th in t.thresholds],
        "evaluator": t.evaluator,
        "subject": t.subject,
        "subject_zh": _subject_zh(plan, t.subject),
        "parameter": t.parameter,
        "statistic": t.statistic,
        "period": t.period,
    }


def rule_records(catalog: Catalog, plans: Sequence[Plan]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for plan in plans:
        tasks = {t.id: t for t in plan.tasks}
        for r in plan.rules:
            out.append(_rule_record(catalog, plan, r, tasks))
    return out


def _rule_record(catalog: Catalog, plan: Plan, r: Rule, tasks: dict[str, Task]) -> dict[str, Any]:
    lead, support = _lead_support(catalog, r.responsibilities)
    if not lead and r.task in tasks:  # a rule without units answers to its task's, as in the engine
        lead, support = _lead_support(catalog, tasks[r.task].responsibilities)
    return {
        "id": r.id,
        "plan": plan.id,
        "title_zh": r.title_zh,
        "title_en": r.title_en,
        "lead": lead,
        "support": support,
        "citation": citation_record(r.citation),
        "threshold": [threshold_record(th) for th in r.thresholds],
        "evaluator": r.evaluator,
        "applies_to": r.applies_to,
        "task": r.task,
    }


def _attachment_record(catalog: Catalog, row: AttachmentRow) -> dict[str, Any]:
    return {
        "number": row.number,
        "area": row.area,
        "title": row.title,
        "deadlines": [d.due.isoformat() if d.due else None for d in row.deadlines],
        "deadline_text": "；".join(d.text for d in row.deadlines if d.text),
        "measure": row.measure,
        "lead": _canonical(catalog, row.lead),
        "task": row.task,
    }


def task_records(catalog: Catalog, tasks: Iterable[tuple[Plan, Task]]) -> list[dict[str, Any]]:
    """Task records; a task without deadlines is ongoing (as :func:`envplan_core.engine.task_status`)."""
    out: list[dict[str, Any]] = []
    for plan, t in tasks:
        lead, support = _lead_support(catalog, t.responsibilities)
        details = [deadline_record(d) for d in t.deadlines] or [
            {
                "kind": "ongoing",
                "due": None,
                "start": None,
                "daily_start": None,
                "daily_end": None,
                "text": "",
                "label": "",
            }
        ]
        out.append(
            {
                "id": t.id,
                "plan": plan.id,
                "number": t.number,
                "title_zh": t.title_zh,
                "title_en": t.title_en,
                "lead": lead,
                "support": support,
                "responsibilities": _responsibility_records(catalog, t.responsibilities),
                "citation": citation_record(t.citation),
                "deadlines": [d["due"] for d in details],
                "deadline_details": details,
                "attachments": [_attachment_record(catalog, row) for row in t.attachments],
                "criteria": list(t.criteria),
            }
        )
    return out


def unit_records(catalog: Catalog) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for u in catalog.units:
        out.append(
            {
                "id": u.id,
                "name_zh": u.name_zh,
                "name_en": u.name_en,
                "aliases": list(u.aliases),
                "kind": u.kind,
                "members": list(u.members),
                "members_zh": _canonical(catalog, u.members),
            }
        )
    return out

"""Findings and reports: what an evaluation says, with value, limit, units, responsibility and citation."""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from envplan_core.model import Citation

__all__ = ["COUNTED", "SCHEMA_VERSION", "Finding", "Issue", "Report", "Status", "UnusedSummary", "computation"]

#: The version of every JSON document envplan writes (``Report.to_json`` and every ``--format json``).
#: Raised on an incompatible change; new keys do not raise it. 1.1: ``schema_version`` itself, the
#: ``superseded`` status.
SCHEMA_VERSION = "1.1"


class Status(str, enum.Enum):
    """Targets and rules: met, not_met, insufficient_data, not_applicable.
    Tasks: done, done_late, open, overdue, ongoing.
    Any item: superseded (a later plan replaces it from a date; the finding names the replacement)."""

    MET = "met"
    NOT_MET = "not_met"
    INSUFFICIENT_DATA = "insufficient_data"
    NOT_APPLICABLE = "not_applicable"
    DONE = "done"
    DONE_LATE = "done_late"
    OPEN = "open"
    OVERDUE = "overdue"
    ONGOING = "ongoing"
    SUPERSEDED = "superseded"

    @property
    def severity(self) -> int:
        """Higher is worse; orders reports worst first."""
        return _SEVERITY[self]

    @property
    def label_zh(self) -> str:
        return _LABEL_ZH[self]


_SEVERITY = {
    Status.NOT_MET: 7,
    Status.OVERDUE: 6,
    Status.INSUFFICIENT_DATA: 5,
    Status.DONE_LATE: 4,
    Status.OPEN: 3,
    Status.ONGOING: 2,
    Status.NOT_APPLICABLE: 1,
    Status.SUPERSEDED: 1,
    Status.MET: 0,
    Status.DONE: 0,
}
_LABEL_ZH = {
    Status.MET: "达标/完成",
    Status.NOT_MET: "未达标",
    Status.INSUFFICIENT_DATA: "数据不足",
    Status.NOT_APPLICABLE: "不适用",
    Status.DONE: "已完成",
    Status.DONE_LATE: "逾期完成",
    Status.OPEN: "进行中",
    Status.OVERDUE: "已逾期",
    Status.ONGOING: "长期坚持",
    Status.SUPERSEDED: "已被替代",
}


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders ``air.task.2`` before ``air.task.11``."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part)


def _tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    return tuple(value) if value else ()


@attrs.frozen
class Finding:
    """One answer: a target, rule or task for one subject, with its status and the evidence.

    ``value``/``limit`` are numbers in ``unit`` or class names; ``value_raw`` keeps the unrounded value
    when ``value`` was rounded by the evaluation rule before comparison. ``lead``/``support`` hold
    canonical Chinese unit names. ``evidence`` lists the input rows used, as ``"file:row"``.
    """

    id: str
    plan: str
    kind: str  # "target", "rule" or "task"
    subject: str
    status: Status
    citation: Citation
    message_zh: str
    message_en: str
    value: float | str | None = None
    limit: float | str | None = None
    unit: str = ""
    value_raw: float | None = None
    period: str = ""
    lead: tuple[str, ...] = attrs.field(converter=_tuple, factory=tuple)
    support: tuple[str, ...] = attrs.field(converter=_tuple, factory=tuple)
    evidence: tuple[str, ...] = attrs.field(converter=_tuple, factory=tuple)
    details: Mapping[str, Any] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of docs/cli.md (``evaluate``)."""
        return {
            "id": self.id,
            "plan": self.plan,
            "kind": self.kind,
            "subject": self.subject,
            "status": self.status.value,
            "value": _jsonable(self.value),
            "value_raw": _jsonable(self.value_raw),
            "limit": _jsonable(self.limit),
            "unit": self.unit,
            "period": self.period,
            "lead": list(self.lead),
            "support": list(self.support),
            "citation": {
                "plan": self.citation.plan,
                "part": self.citation.part,
                "clause": self.citation.clause,
                "text": self.citation.text,
                "standard": self.citation.standard,
            },
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "evidence": list(self.evidence),
            "details": {k: _jsonable(v) for k, v in self.details.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        cite = data.get("citation") or {}
        return cls(
            id=data["id"],
            plan=data["plan"],
            kind=data["kind"],
            subject=data["subject"],
            status=Status(data["status"]),
            citation=Citation(**cite),
            message_zh=data["message_zh"],
            message_en=data["message_en"],
            value=data.get("value"),
            limit=data.get("limit"),
            unit=data.get("unit", ""),
            value_raw=data.get("value_raw"),
            period=data.get("period", ""),
            lead=data.get("lead", ()),
            support=data.get("support", ()),
            evidence=data.get("evidence", ()),
            details=dict(data.get("details") or {}),
        )


#: What ``computation(n_of=…)`` counts.
COUNTED = ("valid_days", "days", "samples", "records", "points", "values", "months", "hours")


def computation(
    *,
    period: str,
    statistic: str,
    n: int | None,
    n_of: str,
    rule_zh: str,
    rule_en: str,
    value: float | str | None = None,
    value_raw: float | None = None,
    unit: str = "",
    rounding: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """``details["computation"]`` of a finding: what the verdict rests on, the same keys everywhere.

    ``period`` the period judged (``2023``, ``2023-05``, ``2023-01-01..2023-06-30``); ``statistic`` what
    was computed (``annual_mean``, ``p95``, ``class``, ``count``, ``share`` …); ``n`` how many valid days,
    samples, records … it rests on (``n_of``, one of :data:`COUNTED`; None when nothing could be
    counted); ``value`` the value as compared (rounded where the rule rounds) and ``value_raw`` the
    unrounded one; ``rounding`` the rounding rule applied (empty: none); ``rule_zh``/``rule_en`` the rule
    of the standard or plan applied, in Chinese and English. ``extra`` adds evaluator-specific keys
    (``limit``, ``comparator``, ``required``, ``missing`` …); JSON values only.
    """
    if n_of not in COUNTED:
        raise ValueError(f"n_of must be one of {COUNTED}, not {n_of!r}")
    return {
        "period": period,
        "statistic": statistic,
        "n": n,
        "n_of": n_of,
        "value": value,
        "value_raw": value_raw,
        "unit": unit,
        "rounding": rounding,
        "rule_zh": rule_zh,
        "rule_en": rule_en,
        **extra,
    }


@attrs.frozen
class Issue:
    """An input row that was not used, and why (file, row, column, reason). Nothing is dropped silently."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        col = f", column {self.column!r}" if self.column else ""
        return f"{self.file}, row {self.row}{col}: {self.reason}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        return _jsonable(value.item())
    return value


@attrs.frozen
class UnusedSummary:
    """Exact counts of the input rows that were not used, however many ``Report.unused`` lists.

    ``total`` counts every unused row; ``by_site`` and ``by_parameter`` the observation rows of sites no
    selected plan names, per site and per parameter; ``by_column`` every unused row by the column its
    reason is about (``site``, ``task``, ``date``, ``value`` …); ``shown`` how many are listed as examples
    in ``Report.unused`` (at most the ``unused_examples`` the evaluation was asked for, 20 by default).
    """

    total: int = 0
    by_site: Mapping[str, int] = attrs.field(factory=dict)
    by_parameter: Mapping[str, int] = attrs.field(factory=dict)
    by_column: Mapping[str, int] = attrs.field(factory=dict)
    shown: int = 0

    @classmethod
    def of(cls, issues: Iterable[Issue]) -> UnusedSummary:
        """The summary of a list that holds every unused row (reports built without one)."""
        rows = list(issues)
        columns: dict[str, int] = {}
        for i in rows:
            columns[i.column] = columns.get(i.column, 0) + 1
        return cls(total=len(rows), by_column=dict(sorted(columns.items())), shown=len(rows))

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "by_site": dict(self.by_site),
            "by_parameter": dict(self.by_parameter),
            "by_column": dict(self.by_column),
            "shown": self.shown,
        }


@attrs.frozen
class PlanInfo:
    id: str
    title_zh: str
    title_en: str
    plugin: str
    version: str


@attrs.frozen
class Report:
    """The result of :meth:`envplan_core.engine.Engine.evaluate`."""

    as_of: dt.date
    plans: tuple[PlanInfo, ...]
    findings: tuple[Finding, ...]
    unused: tuple[Issue, ...] = ()
    #: Exact counts of the unused rows (``unused`` lists at most a few of them); None: ``unused`` is all.
    unused_summary: UnusedSummary | None = None

    def unused_counts(self) -> UnusedSummary:
        """:attr:`unused_summary`, or the summary of :attr:`unused` when the report has none."""
        return self.unused_summary if self.unused_summary is not None else UnusedSummary.of(self.unused)

    def sorted(self) -> list[Finding]:
        """Worst first, then by plan and id (stable, independent of input order)."""
        return sorted(self.findings, key=lambda f: (-f.status.severity, f.plan, natural_key(f.id), f.subject))

    def by_status(self) -> dict[Status, list[Finding]]:
        out: dict[Status, list[Finding]] = {}
        for f in self.sorted():
            out.setdefault(f.status, []).append(f)
        return out

    def by_plan(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for f in self.sorted():
            out.setdefault(f.plan, []).append(f)
        return out

    def by_unit(self, *, include_support: bool = True) -> dict[str, list[Finding]]:
        """Findings per responsible unit (canonical Chinese name), lead first."""
        out: dict[str, list[Finding]] = {}
        for f in self.sorted():
            for name in (*f.lead, *(f.support if include_support else ())):
                bucket = out.setdefault(name, [])
                if f not in bucket:
                    bucket.append(f)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "plans": [attrs.asdict(p) for p in self.plans],
            "findings": [f.to_dict() for f in self.sorted()],
            "unused": [attrs.asdict(i) for i in self.unused],
            "unused_summary": self.unused_counts().to_dict(),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON of ``envplan evaluate --format json`` (with ``schema_version``)."""
        return json.dumps({"schema_version": SCHEMA_VERSION, **self.to_dict()}, ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        return cls(
            as_of=dt.date.fromisoformat(data["as_of"]),
            plans=tuple(PlanInfo(**p) for p in data["plans"]),
            findings=tuple(Finding.from_dict(f) for f in data["findings"]),
            unused=tuple(Issue(**i) for i in data.get("unused", ())),
            unused_summary=None if (u := data.get("unused_summary")) is None else UnusedSummary(**u),
        )

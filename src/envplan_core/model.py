"""The domain model: plans, targets, rules, tasks, deadlines, responsible units, sites, citations.

All models are ``attrs.frozen`` (slotted, immutable). Serialisation lives in
:mod:`envplan_core.converters`, not here. Quantities are pint quantities from the one shared
registry (:mod:`envplan_core.units`).

Glossary (docs/glossary.md): lead = 牵头/负责, support = 配合, binding = 约束性,
aspirational = 争取性 (力争/争取), goal = 工作目标, section = 断面, point = 点位.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from envplan_core.units import Quantity
else:
    # Annotations only (a Threshold's value is a pint quantity, structured by its own converter hook):
    # importing the model does not import pint, so `envplan --help` never loads it.
    Quantity = Any


__all__ = [
    "AttachmentRow",
    "Citation",
    "Comparator",
    "Deadline",
    "DeadlineKind",
    "Plan",
    "QuantityText",
    "Responsibility",
    "ResponsibleUnit",
    "Rule",
    "Site",
    "Supersedes",
    "Target",
    "TargetKind",
    "Task",
    "Threshold",
]


class Comparator(str, enum.Enum):
    """How a value is compared with a limit. ``class_le``: a water/soil class at or better than."""

    LE = "<="
    LT = "<"
    GE = ">="
    GT = ">"
    EQ = "=="
    CLASS_LE = "class<="

    def holds(self, value: float, limit: float) -> bool:
        """True when ``value`` satisfies the comparison against ``limit`` (``class_le``: rank ≤)."""
        if self in (Comparator.LE, Comparator.CLASS_LE):
            return value <= limit
        if self is Comparator.LT:
            return value < limit
        if self is Comparator.GE:
            return value >= limit
        if self is Comparator.GT:
            return value > limit
        return value == limit


class TargetKind(str, enum.Enum):
    BINDING = "binding"  # 约束性指标
    ASPIRATIONAL = "aspirational"  # 争取性指标 / 力争
    GOAL = "goal"  # 工作目标 / 主要目标 without a qualifier


class DeadlineKind(str, enum.Enum):
    DATE = "date"  # 2023年12月底前 -> 2023-12-31
    WINDOW = "window"  # 2023年7-9月每日10-16时
    ONGOING = "ongoing"  # 长期坚持 / 常态化 / 动态清零


def _tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@attrs.frozen
class Citation:
    """Where an item comes from: the plan, its part (e.g. 重点任务（二）), the clause number, the text."""

    plan: str = ""  # filled from the plan's citation_name when a plan file leaves it out
    part: str = ""
    clause: str = ""
    text: str = ""
    standard: str = ""  # national standard behind a limit, e.g. "GB 3838-2002 表1"

    def label(self) -> str:
        bits = [self.plan]
        if self.part:
            bits.append(self.part)
        if self.clause:
            bits.append(f"第{self.clause}条" if self.clause[:1].isdigit() else self.clause)
        if self.standard:
            bits.append(self.standard)
        return " · ".join(bits)


@attrs.frozen
class QuantityText:
    """A threshold quantity as its plan file writes it (``"43 µg/m³"``), read into a pint quantity on
    first use.

    Listing plans (``envplan plans``) needs their ids, titles and counts, not their units: plan files
    read for a listing keep quantity texts as written, so pint's registry is not built. Every other
    path reads them at once (:func:`envplan_core.converters.structure`), and the catalog checks every
    threshold's unit and dimension before anything is evaluated.
    """

    text: str

    def resolve(self) -> Quantity:
        """The pint quantity (raises :class:`~envplan_core.errors.UnitError` for an unknown unit)."""
        from envplan_core.units import parse_quantity

        return parse_quantity(self.text)


def _resolved(value: Any) -> Any:
    """The value thresholds are compared and hashed by: a quantity text counts as its quantity."""
    return value.resolve() if isinstance(value, QuantityText) else value


@attrs.frozen(repr=False)
class Threshold:
    """A limit with its comparator and the dates it applies between (inclusive, open when None).

    ``value`` is a pint quantity for measured limits, a class name (``"III"``) for ``class<=``, or a
    plain number for counts. ``basis`` records reference conditions (``"O2=18%"``, ``"standard state"``).
    A :class:`QuantityText` given as ``value`` is read into its quantity on first access.
    """

    comparator: Comparator
    _value: Quantity | str | float | QuantityText = attrs.field(alias="value", eq=_resolved)
    effective_from: dt.date | None = None
    effective_until: dt.date | None = None
    basis: str = ""
    source: str = ""

    def __repr__(self) -> str:  # ``value=`` as the constructor spells it, not the private ``_value``
        fields = ", ".join(f"{a.alias}={getattr(self, a.name)!r}" for a in attrs.fields(type(self)))
        return f"{type(self).__name__}({fields})"

    @property
    def value(self) -> Quantity | str | float:
        """The limit; a quantity written as text is read once, here, and kept."""
        value = self._value
        if isinstance(value, QuantityText):
            value = value.resolve()
            object.__setattr__(self, "_value", value)  # frozen: the same limit, now read
        return value

    def applies_on(self, day: dt.date) -> bool:
        if self.effective_from is not None and day < self.effective_from:
            return False
        return not (self.effective_until is not None and day > self.effective_until)


def pick_threshold(thresholds: tuple[Threshold, ...], day: dt.date) -> Threshold | None:
    """The threshold in force on ``day``: the latest ``effective_from`` among those that apply."""
    live = [t for t in thresholds if t.applies_on(day)]
    if not live:
        return None
    return max(live, key=lambda t: t.effective_from or dt.date.min)


@attrs.frozen
class Deadline:
    """A date, a window (with optional daily hours), or ongoing. ``text`` keeps the plan's words."""

    kind: DeadlineKind
    date: dt.date | None = None  # DATE: the due date; WINDOW: the last day of the window
    start: dt.date | None = None  # WINDOW: first day
    daily_start: dt.time | None = None  # WINDOW: e.g. 10:00
    daily_end: dt.time | None = None  # WINDOW: e.g. 16:00
    text: str = ""
    label: str = ""  # what is due (a milestone of the task), zh

    def __attrs_post_init__(self) -> None:
        if self.kind is DeadlineKind.DATE and self.date is None:
            raise ValueError("a dated deadline needs 'date'")
        if self.kind is DeadlineKind.WINDOW and (self.start is None or self.date is None):
            raise ValueError("a window deadline needs 'start' and 'date' (its last day)")
        if self.start is not None and self.date is not None and self.start > self.date:
            raise ValueError(f"window starts {self.start} after it ends {self.date}")

    @property
    def due(self) -> dt.date | None:
        """The day by which the work is due; None when ongoing."""
        return None if self.kind is DeadlineKind.ONGOING else self.date


@attrs.frozen
class Responsibility:
    """One responsibility line of a task: lead units (牵头/负责) and support units (配合).

    ``by_division_of_duties`` marks 按职责分工负责: every listed unit leads its own share.
    Names are canonical unit ids after validation; plan files may use any alias.
    """

    lead: tuple[str, ...] = attrs.field(converter=_tuple, factory=tuple)
    support: tuple[str, ...] = attrs.field(converter=_tuple, factory=tuple)
    by_division_of_duties: bool = False
    scope: str = ""  # which part of the task this line covers, when a task has several lines


@attrs.frozen
class ResponsibleUnit:
    """A responsible unit (单位) or a group of units (各镇, 沿河各镇 ...)."""

    id: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...] = attrs.field(converter=_tuple, factory=tuple)
    members: tuple[str, ...] = attrs.field(converter=_tuple, factory=tuple)
    kind: str = "unit"  # "unit" or "group"


@attrs.frozen
class Site:
    """A monitoring section, point, station, plant, village, reservoir or other named place."""

    id: str
    name_zh: str
    name_en: str = ""
    kind: str = "section"  # section, station, plant, village, reservoir, drinking_source, outfall, area
    water_body: str = ""  # river name, e.g. 汾河
    water_body_type: str = ""  # "river" or "lake" (lake/reservoir): chooses the GB 3838 TP row
    aliases: tuple[str, ...] = attrs.field(converter=_tuple, factory=tuple)


@attrs.frozen
class Target:
    """A quantitative target (主要目标/工作目标) checkable from data by a named evaluator."""

    id: str
    title_zh: str
    title_en: str
    kind: TargetKind
    evaluator: str
    citation: Citation
    subject: str = "county"  # a site id, or "county"
    parameter: str = ""  # canonical parameter id, e.g. "PM2.5"
    statistic: str = ""  # e.g. "annual_mean", "class", "yoy_change"
    thresholds: tuple[Threshold, ...] = ()
    period: str = ""  # e.g. "2023" (the plan year)
    responsibilities: tuple[Responsibility, ...] = ()
    params: Mapping[str, Any] = attrs.field(factory=dict)
    plan: str = ""


@attrs.frozen
class Rule:
    """A rule over records (facilities, outfalls, vehicles ...) or observations, evaluated per subject."""

    id: str
    title_zh: str
    title_en: str
    evaluator: str
    citation: Citation
    applies_to: str = ""  # inventory kind, e.g. "boiler", "brick_kiln"; or "" for observations
    thresholds: tuple[Threshold, ...] = ()
    responsibilities: tuple[Responsibility, ...] = ()
    task: str = ""  # the task id the rule makes checkable
    params: Mapping[str, Any] = attrs.field(factory=dict)
    plan: str = ""


@attrs.frozen
class AttachmentRow:
    """A row of a plan's attachment table (e.g. the air plan's 措施任务表), linked to its task."""

    number: int
    area: str  # 重点工作
    title: str  # 主要任务
    deadlines: tuple[Deadline, ...]
    measure: str  # 工程措施
    lead: tuple[str, ...] = attrs.field(converter=_tuple, factory=tuple)
    task: str = ""  # linked task id


@attrs.frozen
class Task:
    """A task (重点任务) with its responsibility lines, deadlines and measurable criteria."""

    id: str
    number: str  # as numbered in the plan, e.g. "6"
    title_zh: str
    title_en: str
    citation: Citation
    responsibilities: tuple[Responsibility, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    criteria: tuple[str, ...] = attrs.field(converter=_tuple, factory=tuple)  # target/rule ids
    attachments: tuple[AttachmentRow, ...] = ()
    plan: str = ""

    @property
    def lead(self) -> tuple[str, ...]:
        return _unique(u for r in self.responsibilities for u in r.lead)

    @property
    def support(self) -> tuple[str, ...]:
        return _unique(u for r in self.responsibilities for u in r.support)

    @property
    def final_deadline(self) -> Deadline | None:
        """The latest dated deadline, or an ongoing one when the task has no date."""
        dated = [d for d in self.deadlines if d.due is not None]
        if dated:
            return max(dated, key=lambda d: d.due or dt.date.min)
        return self.deadlines[0] if self.deadlines else None


@attrs.frozen
class Supersedes:
    """Items of an earlier plan that this plan replaces from a day on.

    ``items`` maps each earlier item id to the id of the item replacing it here (``""``: retired with no
    replacement). From ``effective_from`` on, an evaluation with both plans loaded judges by this plan
    and reports the earlier items as ``superseded``; before it the earlier items apply.
    """

    plan: str  # id of the earlier plan, e.g. water-2023
    effective_from: dt.date
    items: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class Plan:
    """One action plan: its document, targets, rules, tasks, sites and attachment rows.

    ``effective_from`` (default: none) is the day the plan's targets and rules start to apply; before
    it they are reported ``not_applicable``. ``supersedes`` lists items of earlier plans it replaces.
    """

    id: str
    title_zh: str
    title_en: str
    year: int
    document: str  # 新政办发〔2023〕14号
    issued: dt.date
    citation_name: str = ""  # short name used in citations, e.g. 水环境质量再提升2023年行动计划
    version: str = "1"
    sites: tuple[Site, ...] = ()
    targets: tuple[Target, ...] = ()
    rules: tuple[Rule, ...] = ()
    tasks: tuple[Task, ...] = ()
    effective_from: dt.date | None = None
    supersedes: tuple[Supersedes, ...] = ()
    plugin: str = ""  # set by the plugin manager

    @property
    def period_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def period_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


def _unique(items: Any) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return tuple(seen)

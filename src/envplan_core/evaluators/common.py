"""What the generic evaluators share (and the plugin API exports to plans): comparing with a threshold,
the ``insufficient_data`` and ``not_applicable`` findings, the ``details.computation`` of a finding that
computes nothing and of a value the user supplies, a period's label, the rule text of a comparison."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from envplan_core.context import EvalContext
from envplan_core.findings import Finding, Status, computation
from envplan_core.model import Comparator, Rule, Target, Threshold
from envplan_core.units import Quantity, registry

__all__ = [
    "bare",
    "compare",
    "fmt",
    "insufficient_data",
    "limit_in",
    "matches_where",
    "no_computation",
    "no_threshold",
    "period_label",
    "rule_text",
    "status_of",
    "supplied_computation",
    "threshold_unit",
]


def bare(q: Quantity) -> bool:
    """A plain number parsed as a quantity (no unit at all; "%" is a unit here)."""
    return bool(q.units == registry().dimensionless)


def limit_in(threshold: Threshold, unit: str) -> float:
    """The threshold's value as a number in ``unit`` (numbers and dimensionless pass through)."""
    value = threshold.value
    if isinstance(value, Quantity):
        if bare(value):  # a quoted number ("75") is a number in the caller's unit, like 75
            return float(value.magnitude)
        if unit:
            return float(value.m_as(unit))
        return float(value.m_as("dimensionless")) if value.dimensionless else float(value.magnitude)
    if isinstance(value, str):
        raise ValueError(f"class threshold {value!r} used where a number is needed")
    return float(value)


def compare(threshold: Threshold, value: float, unit: str = "") -> tuple[bool, float]:
    limit = limit_in(threshold, unit)
    return threshold.comparator.holds(value, limit), limit


def status_of(ok: bool) -> Status:
    """``met`` when the comparison holds, else ``not_met``."""
    return Status.MET if ok else Status.NOT_MET


def fmt(x: float) -> str:
    return f"{x:.4g}"


def insufficient_data(
    item: Target | Rule, ctx: EvalContext, zh: str, en: str, *, about: str | None = None, **extra: Any
) -> Finding:
    """An ``insufficient_data`` finding that says, in both languages, what is missing.

    The messages read ``title：zh`` and ``title: en`` with the item's titles. ``about`` names the one
    record, facility or outfall the finding is about instead: it opens both messages
    (``about：zh`` / ``about: en``) and is the finding's ``subject``. ``extra`` goes to
    :meth:`EvalContext.finding` (``subject``, ``period``, ``details``, ``evidence``, ``standard`` …).
    """
    if about is not None:
        extra.setdefault("subject", about)
    head_zh, head_en = (about, about) if about is not None else (item.title_zh, item.title_en)
    extra["details"] = _with_computation(
        item, ctx, extra.get("details"), extra.get("period", ""), zh=f"数据不足：{zh}", en=f"insufficient data: {en}"
    )
    return ctx.finding(
        item,
        status=Status.INSUFFICIENT_DATA,
        message_zh=f"{head_zh}：{zh}",
        message_en=f"{head_en}: {en}",
        **extra,
    )


def no_threshold(item: Target | Rule, ctx: EvalContext, **extra: Any) -> Finding:
    """A ``not_applicable`` finding: no threshold of the item is in force for the period (``extra`` goes
    to :meth:`EvalContext.finding`)."""
    extra["details"] = _with_computation(
        item, ctx, extra.get("details"), extra.get("period", ""), zh="评价期内无适用限值，不作判定",
        en="no threshold in force for the period: nothing is judged",
    )
    return ctx.finding(
        item,
        status=Status.NOT_APPLICABLE,
        message_zh=f"{item.title_zh}：评价期内无适用限值",
        message_en=f"{item.title_en}: no threshold in force for the period",
        **extra,
    )


def _with_computation(
    item: Target | Rule, ctx: EvalContext, details: dict[str, Any] | None, period: str, *, zh: str, en: str
) -> dict[str, Any]:
    """``details`` with a ``computation`` saying nothing was computed, unless the caller gave one."""
    out = dict(details or {})
    if "computation" not in out:
        out["computation"] = no_computation(item, ctx, rule_zh=zh, rule_en=en, period=period)
    return out


def no_computation(
    item: Target | Rule,
    ctx: EvalContext,
    *,
    rule_zh: str,
    rule_en: str,
    n: int | None = None,
    n_of: str = "values",
    period: str = "",
) -> dict[str, Any]:
    """``details.computation`` of a finding that computes nothing (data missing, nothing to judge): the
    item's period (``period`` when given, else :func:`period_label` of the item's), its statistic (or
    evaluator), what was counted (``n`` of ``n_of``, None: nothing) and ``rule_zh``/``rule_en``, which say
    why nothing was judged."""
    start, end = ctx.period(item)
    return computation(
        period=period or period_label(start, end),
        statistic=str(getattr(item, "statistic", "") or item.evaluator),
        n=n,
        n_of=n_of,
        rule_zh=rule_zh,
        rule_en=rule_en,
    )


def period_label(start: dt.date, end: dt.date) -> str:
    """A period as findings write it (``details.computation.period``, messages): ``2023`` for one
    calendar year, else ``2023-09-01..2023-12-31``."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    return f"{start.isoformat()}..{end.isoformat()}"


def supplied_computation(
    *,
    period: str,
    key: str,
    value: float | str,
    unit: str,
    rule_zh: str,
    rule_en: str,
    limit: float | None = None,
    comparator: Comparator | None = None,
) -> dict[str, Any]:
    """``details.computation`` of one value the user supplies (``values.<key>`` of the inventory): nothing
    is computed (statistic ``supplied_value``, one value); ``limit`` and ``comparator`` are recorded when
    the value was compared with a limit (both given), not for a bare true/false."""
    compared: dict[str, Any] = (
        {"limit": limit, "comparator": comparator.value} if limit is not None and comparator is not None else {}
    )
    return computation(
        period=period,
        statistic="supplied_value",
        n=1,
        n_of="values",
        value=value,
        value_raw=value if isinstance(value, float) else None,
        unit=unit,
        rule_zh=rule_zh,
        rule_en=rule_en,
        key=key,
        **compared,
    )


def rule_text(threshold: Threshold, what_zh: str, what_en: str, limit: float, unit: str) -> tuple[str, str]:
    """The rule text of a comparison with the threshold in force, in both languages."""
    op = threshold.comparator.value
    source = f"（{threshold.source}）" if threshold.source else ""
    source_en = f" ({threshold.source})" if threshold.source else ""
    u = f" {unit}" if unit else ""
    return f"{what_zh} {op} {fmt(limit)}{u}{source}", f"{what_en} {op} {fmt(limit)}{u}{source_en}"


def threshold_unit(threshold: Threshold) -> str:
    """The unit a threshold is written in (``""`` for plain numbers and dimensionless values)."""
    value = threshold.value
    if isinstance(value, Quantity) and not bare(value):
        return format(value.units, "D")  # pint's own long form, independent of the display format
    return ""


def matches_where(fields: Mapping[str, Any], where: Mapping[str, Any]) -> bool:
    """A record matches when every ``where`` field equals (a list: is one of) the given value."""
    for key, expected in where.items():
        actual = fields.get(key)
        if isinstance(expected, list):
            if actual not in expected:
                return False
        elif actual != expected:
            return False
    return True

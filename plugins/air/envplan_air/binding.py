"""``air_binding_indicators`` — the annual binding indicators the province and the city hand down to the
county (``air.binding.provincial``), as the user supplies them: the plan lists none of its own.

``values.<key>`` (``params.key``: the plan sets ``air.binding_indicators``; default the target's id) is
``true``/``false`` (all met or not) or a mapping ``{indicator: {value: …, limit: '<= …'}}`` /
``{indicator: true}``: one finding per indicator, each with its ``details.computation``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from pint.errors import DimensionalityError

from envplan_core.plugin import (
    Q_,
    Comparator,
    DataError,
    EvalContext,
    Finding,
    Quantity,
    Rule,
    Target,
    Threshold,
    UnitError,
    compare,
    evaluator,
    format_unit,
    insufficient_data,
    normalise_name,
    parse_quantity,
    status_of,
    supplied_computation,
)

__all__ = ["BindingIndicatorsParams", "evaluate_binding_indicators", "split_limit"]


@attrs.frozen
class BindingIndicatorsParams:
    """Parameters of ``air_binding_indicators``.

    - ``key``: the inventory ``values`` key of the indicators the user supplies (``true``/``false``, or
      ``{indicator: {value: …, limit: '<= …'}}``); default the target's id.
    """

    key: str | None = None


def _as_target(item: Target | Rule) -> Target:
    if not isinstance(item, Target):
        raise TypeError(f"{item.id}: this evaluator judges targets, not rules")
    return item


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.6g}"


# --------------------------------------------------------------------------- binding indicators
_LIMIT = re.compile(r"^\s*(<=|>=|<|>|==|≤|≥|＜|＞)?\s*(.*?)\s*$")
_COMPARATORS = {
    "<=": Comparator.LE,
    "≤": Comparator.LE,
    ">=": Comparator.GE,
    "≥": Comparator.GE,
    "<": Comparator.LT,
    "＜": Comparator.LT,
    ">": Comparator.GT,
    "＞": Comparator.GT,
    "==": Comparator.EQ,
}


def split_limit(text: str) -> tuple[Comparator | None, str]:
    """``"<= 46 µg/m³"`` → (``<=``, ``"46 µg/m³"``); no comparator written → (None, the text)."""
    match = _LIMIT.match(text)
    assert match is not None  # the pattern matches any string
    sign, rest = match.groups()
    return (_COMPARATORS[sign] if sign else None), rest


def _quantity(raw: Any, where: str) -> Quantity:
    if isinstance(raw, Quantity):
        return raw
    if isinstance(raw, bool):
        raise DataError(f"{where}: expected a number or a quantity, got {raw!r}", column=where)
    if isinstance(raw, (int, float)):
        return Q_(float(raw), "dimensionless")
    try:
        return parse_quantity(str(raw))
    except UnitError:
        raise DataError(
            f"{where}: expected a number or a quantity such as '46 µg/m³', got {raw!r}", column=where
        ) from None


def _bool(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        text = normalise_name(raw)
        if text in ("true", "yes", "met", "是", "完成", "已完成", "达标"):
            return True
        if text in ("false", "no", "notmet", "否", "未完成", "未达标"):
            return False
    return None


def _indicator(item: Target, ctx: EvalContext, key: str, name: str, entry: Any) -> Finding:
    where = f"values.{key}.{name}"
    flag = _bool(entry)
    if flag is None and isinstance(entry, Mapping) and "met" in entry and "value" not in entry:
        flag = _bool(entry["met"])
    if flag is not None:
        return ctx.finding(
            item,
            status=status_of(flag),
            subject=name,
            value=str(flag).lower(),
            details={"key": where, "source": "user-supplied", "computation": _supplied_computation(
                item, ctx, where=where, value=str(flag).lower(), required=None, unit=""
            )},
            message_zh=f"{item.title_zh}·{name}：{'完成' if flag else '未完成'}（用户提供 {where}）",
            message_en=f"{item.title_en} — {name}: {'met' if flag else 'not met'} (user-supplied {where})",
        )
    if not isinstance(entry, Mapping) or "value" not in entry or "limit" not in entry:
        raise DataError(
            f"{where}: give true/false, or {{value: …, limit: '<= …'}} (comparator in the limit "
            "or as 'comparator')",
            column=where,
        )
    limit_raw = entry["limit"]
    comparator: Comparator | None = None
    if isinstance(limit_raw, str):
        comparator, limit_raw = split_limit(limit_raw)
    if entry.get("comparator") is not None:
        comparator = _COMPARATORS.get(str(entry["comparator"]).strip()) or Comparator(
            str(entry["comparator"]).strip()
        )
    if comparator is None:
        raise DataError(
            f"{where}: the limit needs a comparator, e.g. '<= 46 µg/m³' or '>= 70 %'", column=where
        )
    limit_q = _quantity(limit_raw, f"{where}.limit")
    value_q = _quantity(entry["value"], f"{where}.value")
    threshold = Threshold(comparator=comparator, value=limit_q, source=f"user-supplied {where}")
    unit = "" if limit_q.dimensionless and str(limit_q.units) == "dimensionless" else str(limit_q.units)
    try:
        value = float(value_q.m_as(unit)) if unit else float(value_q.m_as("dimensionless"))
    except DimensionalityError:
        raise DataError(
            f"{where}: value {entry['value']!r} cannot be compared with limit {entry['limit']!r}",
            column=where,
        ) from None
    ok, limit = compare(threshold, value, unit)
    u = format_unit(unit) if unit else ""
    return ctx.finding(
        item,
        status=status_of(ok),
        subject=name,
        value=value,
        limit=limit,
        unit=u,
        details={
            "key": where,
            "source": "user-supplied",
            "computation": _supplied_computation(
                item,
                ctx,
                where=where,
                value=value,
                required=f"{comparator.value} {_fmt(limit)}{u}",
                unit=u,
                limit=limit,
                comparator=comparator,
            ),
        },
        message_zh=f"{item.title_zh}·{name}：{_fmt(value)}{u}，要求 {comparator.value} {_fmt(limit)}{u}（用户提供）",
        message_en=f"{item.title_en} — {name}: {_fmt(value)}{u}, required {comparator.value} {_fmt(limit)}{u} "
        "(user-supplied)",
    )


def _supplied_computation(
    item: Target,
    ctx: EvalContext,
    *,
    where: str,
    value: float | str,
    required: str | None,
    unit: str,
    limit: float | None = None,
    comparator: Comparator | None = None,
) -> dict[str, Any]:
    start, _ = ctx.period(item)
    rule_zh = f"省、市下达的约束性指标，用户提供 {where}" + (f"，要求 {required}" if required else "（true/false）")
    rule_en = f"binding indicator handed down by the province and city, user-supplied {where}" + (
        f", required {required}" if required else " (true/false)"
    )
    return supplied_computation(
        period=str(start.year),
        key=where,
        value=value,
        unit=unit,
        rule_zh=rule_zh,
        rule_en=rule_en,
        limit=limit,
        comparator=comparator,
    )


@evaluator(BindingIndicatorsParams)
def evaluate_binding_indicators(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """The annual binding indicators handed down by the province and the city, as supplied by the user.

    ``values.<key>`` (``params.key``: the plan sets ``air.binding_indicators``; default the target's id)
    is ``true``/``false`` (all met or not) or a mapping ``{indicator: {value: …, limit: '<= …'}}`` /
    ``{indicator: true}``: one finding per indicator.
    """
    target = _as_target(item)
    given = ctx.params_of(target, BindingIndicatorsParams).key
    key = given if given is not None else target.id
    raw = None if ctx.inventory is None else ctx.inventory.values.get(key)
    if raw is None:
        return [
            insufficient_data(
                target,
                ctx,
                f"计划未列出指标，需用户提供省市下达的指标及完成情况（values.{key}）",
                "the plan lists no indicators; supply those handed down by the "
                f"province and city and their values as values.{key}",
                details={"missing": [key]},
            )
        ]
    flag = _bool(raw)
    if flag is not None:
        return [_indicator(target, ctx, key, "全部约束性指标", flag)]
    if not isinstance(raw, Mapping) or not raw:
        raise DataError(f"values.{key}: give true/false or a mapping of indicators", column=f"values.{key}")
    return [_indicator(target, ctx, key, str(name), entry) for name, entry in raw.items()]

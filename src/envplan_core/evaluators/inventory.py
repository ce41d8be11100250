"""The generic evaluators over the inventory: ``supplied_value`` (a value the user supplies) and
``inventory_count``, ``inventory_ratio``, ``inventory_field``, ``inventory_forbidden`` (records of a kind)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pint

from envplan_core.context import EvalContext
from envplan_core.errors import DataError
from envplan_core.evaluator_types import evaluator
from envplan_core.evaluators.common import (
    bare,
    compare,
    fmt,
    insufficient_data,
    matches_where,
    no_threshold,
    period_label,
    rule_text,
    status_of,
    supplied_computation,
    threshold_unit,
)
from envplan_core.findings import Finding, Status, computation
from envplan_core.model import Comparator, Rule, Target, Threshold
from envplan_core.units import Q_, Quantity, format_unit, parse_quantity

__all__ = [
    "InventoryCountParams",
    "InventoryFieldParams",
    "InventoryForbiddenParams",
    "InventoryParams",
    "InventoryRatioParams",
    "SuppliedValueParams",
    "evaluate_inventory_count",
    "evaluate_inventory_field",
    "evaluate_inventory_forbidden",
    "evaluate_inventory_ratio",
    "evaluate_supplied_value",
]


@attrs.frozen
class SuppliedValueParams:
    """Parameters of ``supplied_value``.

    - ``key``: the inventory ``values`` key holding the value; default the item's id;
    - ``limit_key``: a ``values`` key holding the limit itself (e.g. a national annual target the plan
      does not state); the item's threshold then only gives the comparator (default ``>=``).
    """

    key: str | None = None
    limit_key: str | None = None


@attrs.frozen
class InventoryParams:
    """Records of the inventory an evaluator looks at.

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``where``: ``{field: value}`` a record must match (a list: one of the values).
    """

    kind: str | None = None
    where: Mapping[str, Any] = attrs.field(factory=dict)

    def kind_of(self, item: Target | Rule) -> str:
        """``kind``, else the item's ``applies_to`` (targets have none: ``""``)."""
        return self.kind if self.kind is not None else str(getattr(item, "applies_to", ""))


@attrs.frozen
class InventoryCountParams(InventoryParams):
    """Parameters of ``inventory_count`` (how many records of ``kind`` match ``where``).

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``where``: ``{field: value}`` a record must match to be counted (a list: one of the values).
    """


@attrs.frozen
class InventoryRatioParams(InventoryParams):
    """Parameters of ``inventory_ratio`` (the share, in %, of ``where`` records that match ``numerator``).

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``where``: ``{field: value}`` selecting the records the share is taken of (the denominator);
    - ``numerator``: ``{field: value}`` a selected record must also match to count (the numerator).
    """

    numerator: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class InventoryFieldParams(InventoryParams):
    """Parameters of ``inventory_field`` (a field of every record against the threshold).

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``where``: ``{field: value}`` selecting the records to judge;
    - ``field``: the record field compared with the threshold (converted to the threshold's unit);
    - ``context``: a pint context for the conversion, e.g. ``boiler`` (MW ↔ t/h).
    """

    field: str = ""
    context: str | None = None


@attrs.frozen
class InventoryForbiddenParams(InventoryFieldParams):
    """Parameters of ``inventory_forbidden`` (matching records that fail the threshold must not exist).

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``where``: ``{field: value}`` selecting the records to judge;
    - ``field``: the record field compared with the threshold; without a field (or a threshold) every
      matching record is a violation;
    - ``context``: a pint context for the conversion, e.g. ``boiler`` (MW ↔ t/h).

    Filters go under ``where`` (``params: {where: {fuel: coal}}``); any other key is an error.
    """


def _supplied(ctx: EvalContext, key: str) -> Any:
    inv = ctx.inventory
    if inv is None:
        return None
    return inv.values.get(key)


@evaluator(SuppliedValueParams)
def evaluate_supplied_value(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """A value the user supplies in the inventory's ``values`` against the threshold."""
    params = ctx.params_of(item, SuppliedValueParams)
    key = params.key if params.key is not None else item.id
    raw = _supplied(ctx, key)
    threshold = ctx.threshold_for(item)
    target_key = params.limit_key
    if target_key:  # the limit itself is user-supplied (e.g. a national annual target)
        supplied_limit = _supplied(ctx, str(target_key))
        if supplied_limit is None:
            return [
                insufficient_data(
                    item,
                    ctx,
                    f"缺少用户提供的目标值 values.{target_key}",
                    f"the target value values.{target_key} is not supplied",
                    details={"missing": [str(target_key)]},
                )
            ]
        comparator = threshold.comparator if threshold else Comparator.GE
        threshold = Threshold(
            comparator=comparator,
            value=_as_quantity(supplied_limit),
            source=f"user-supplied values.{target_key}",
        )
    if raw is None:
        return [
            insufficient_data(
                item,
                ctx,
                f"缺少用户提供的数值 values.{key}",
                f"the value values.{key} is not supplied",
                details={"missing": [key]},
            )
        ]
    if isinstance(raw, bool):
        ok = raw
        return [
            ctx.finding(
                item,
                status=status_of(ok),
                value=str(raw).lower(),
                message_zh=f"{item.title_zh}：{'已完成' if ok else '未完成'}（用户提供）",
                message_en=f"{item.title_en}: {'met' if ok else 'not met'} (user-supplied)",
                details={
                    "key": key,
                    "source": "user-supplied",
                    "computation": _supplied_computation(
                        item, ctx, key=key, value=str(raw).lower(), threshold=None, unit="", limit=None
                    ),
                },
            )
        ]
    if threshold is None:
        return [no_threshold(item, ctx)]
    value = _as_quantity(raw)
    unit = threshold_unit(threshold)
    if unit and bare(value):  # 85 against "90 %": 85 % or 0.85? The user must say.
        raise DataError(
            f"values.{key}: {raw!r} has no unit; write it with one, e.g. '{raw} {format_unit(unit)}'",
            column=f"values.{key}",
        )
    try:
        number = float(value.m_as(unit)) if unit else float(value.magnitude)
    except Exception as exc:  # noqa: BLE001 - pint raises DimensionalityError; reported as a data error
        raise DataError(
            f"values.{key}: {raw!r} cannot be compared with {threshold.value}: {exc}", column=f"values.{key}"
        ) from None
    ok, limit = compare(threshold, number, unit)
    u = format_unit(unit) if unit else ""
    return [
        ctx.finding(
            item,
            status=status_of(ok),
            value=number,
            limit=limit,
            unit=u,
            message_zh=f"{item.title_zh}：{fmt(number)}{u}，要求 {threshold.comparator.value} {fmt(limit)}{u}",
            message_en=f"{item.title_en}: {fmt(number)}{u}, required {threshold.comparator.value} {fmt(limit)}{u}",
            details={
                "key": key,
                "source": "user-supplied",
                "computation": _supplied_computation(
                    item, ctx, key=key, value=number, threshold=threshold, unit=u, limit=limit
                ),
            },
        )
    ]


def _supplied_computation(
    item: Target | Rule,
    ctx: EvalContext,
    *,
    key: str,
    value: float | str,
    threshold: Threshold | None,
    unit: str,
    limit: float | None,
) -> dict[str, Any]:
    start, end = ctx.period(item)
    if threshold is None or limit is None:
        rule_zh, rule_en = f"用户提供 values.{key}（true/false）", f"user-supplied values.{key} (true/false)"
    else:
        rule_zh, rule_en = rule_text(threshold, f"用户提供值 values.{key}", f"user-supplied values.{key}", limit, unit)
    return supplied_computation(
        period=period_label(start, end),
        key=key,
        value=value,
        unit=unit,
        rule_zh=rule_zh,
        rule_en=rule_en,
        limit=limit,
        comparator=None if threshold is None else threshold.comparator,
    )


def _as_quantity(raw: Any) -> Quantity:
    if isinstance(raw, Quantity):
        return raw
    if isinstance(raw, (int, float)):
        return Q_(float(raw), "dimensionless")
    return parse_quantity(str(raw))


def _records(ctx: EvalContext, kind: str, where: Mapping[str, Any]) -> list[Any] | None:
    if ctx.inventory is None:
        return None
    return [r for r in ctx.inventory.by_kind(kind) if matches_where(r.fields, where)]


def _no_inventory(item: Target | Rule, ctx: EvalContext, kind: str) -> Finding:
    return insufficient_data(
        item,
        ctx,
        f"未提供清单数据（需要 kind={kind} 的记录）",
        f"no inventory given (needs records of kind {kind!r})",
    )


def _no_records(item: Target | Rule, ctx: EvalContext, kind: str) -> Finding:
    return insufficient_data(
        item, ctx, f"清单中没有 kind={kind} 的记录", f"the inventory has no records of kind {kind!r}"
    )


def _records_and_threshold(
    item: Target | Rule, ctx: EvalContext, params: InventoryParams
) -> tuple[str, list[Any], Threshold] | Finding:
    """The kind, the records of ``params`` and the threshold in force; or the finding saying which of the
    inventory and the threshold is missing."""
    kind = params.kind_of(item)
    records = _records(ctx, kind, params.where)
    if records is None:
        return _no_inventory(item, ctx, kind)
    threshold = ctx.threshold_for(item)
    if threshold is None:
        return no_threshold(item, ctx)
    return kind, records, threshold


@evaluator(InventoryCountParams)
def evaluate_inventory_count(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """How many records of a kind match ``where``, against the threshold."""
    params = ctx.params_of(item, InventoryCountParams)
    selected = _records_and_threshold(item, ctx, params)
    if isinstance(selected, Finding):
        return [selected]
    kind, records, threshold = selected
    count = float(len(records))
    ok, limit = compare(threshold, count)
    return [
        ctx.finding(
            item,
            status=status_of(ok),
            value=count,
            limit=limit,
            unit="",
            message_zh=f"{item.title_zh}：{int(count)}项，要求 {threshold.comparator.value} {fmt(limit)}",
            message_en=f"{item.title_en}: {int(count)} records, required {threshold.comparator.value} {fmt(limit)}",
            evidence=[r.source for r in records],
            details={
                "records": [r.id for r in records],
                "computation": _records_computation(
                    item, ctx, statistic="count", n=len(records), value=count, value_raw=None,
                    threshold=threshold, limit=limit, unit="",
                    what_zh=f"清单中 kind={kind} 且符合 {_where_text(params.where)} 的记录数",
                    what_en=f"records of kind {kind!r} matching {_where_text(params.where)}",
                ),
            },
        )
    ]


@evaluator(InventoryRatioParams)
def evaluate_inventory_ratio(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """The share (%) of the ``where`` records that match ``numerator``, against the threshold."""
    params = ctx.params_of(item, InventoryRatioParams)
    selected = _records_and_threshold(item, ctx, params)
    if isinstance(selected, Finding):
        return [selected]
    kind, records, threshold = selected
    if not records:
        return [_no_records(item, ctx, kind)]
    numerator = params.numerator
    hits = [r for r in records if matches_where(r.fields, numerator)]
    share = 100.0 * len(hits) / len(records)
    ok, limit = compare(threshold, share, "percent")
    misses = [r.id for r in records if r not in hits]
    return [
        ctx.finding(
            item,
            status=status_of(ok),
            value=round(share, 4),
            limit=limit,
            unit="%",
            message_zh=f"{item.title_zh}：{len(hits)}/{len(records)} = {share:.1f}%，要求 "
            f"{threshold.comparator.value} {fmt(limit)}%",
            message_en=f"{item.title_en}: {len(hits)}/{len(records)} = {share:.1f}%, required "
            f"{threshold.comparator.value} {fmt(limit)}%",
            evidence=[r.source for r in records],
            details={
                "not_matching": misses,
                "computation": _records_computation(
                    item, ctx, statistic="share", n=len(records), value=round(share, 4), value_raw=share,
                    threshold=threshold, limit=limit, unit="%",
                    what_zh=f"kind={kind} 且符合 {_where_text(params.where)} 的记录中符合 {_where_text(numerator)} 的占比"
                    f"（{len(hits)}/{len(records)}）",
                    what_en=f"share of records of kind {kind!r} matching {_where_text(params.where)} that also match "
                    f"{_where_text(numerator)} ({len(hits)}/{len(records)})",
                    numerator=len(hits),
                ),
            },
        )
    ]


def _where_text(where: Mapping[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in where.items()) + "}" if where else "{}"


def _records_computation(
    item: Target | Rule,
    ctx: EvalContext,
    *,
    statistic: str,
    n: int,
    value: float | None,
    value_raw: float | None,
    threshold: Threshold | None,
    limit: float | None,
    unit: str,
    what_zh: str,
    what_en: str,
    **extra: Any,
) -> dict[str, Any]:
    start, end = ctx.period(item)
    if threshold is not None and limit is not None:
        rule_zh, rule_en = rule_text(threshold, what_zh, what_en, limit, unit)
        extra = {"limit": limit, "comparator": threshold.comparator.value, **extra}
    else:
        rule_zh, rule_en = what_zh, what_en
    return computation(
        period=period_label(start, end),
        statistic=statistic,
        n=n,
        n_of="records",
        value=value,
        value_raw=value_raw,
        unit=unit,
        rounding="4 decimals for display; compared unrounded" if statistic == "share" else "",
        rule_zh=rule_zh,
        rule_en=rule_en,
        **extra,
    )


def _field_number(value: Any, unit: str, context: str | None, where: str = "") -> float | None:
    if isinstance(value, Quantity):
        if not unit:
            return float(value.magnitude)
        try:
            return float(value.to(unit, context).magnitude) if context else float(value.m_as(unit))
        except pint.errors.DimensionalityError:
            return None  # reported per record as insufficient data (wrong unit)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if unit and unit != "dimensionless":
            raise_bare_number(value, unit, where)
        return float(value)
    return None


def raise_bare_number(value: float, unit: str, where: str) -> None:
    """A bare number compared with a limit that has a unit: ``capacity: 20`` against 35 t/h could be t/h or
    MW (docs/inputs.md: values compared with a threshold that has a unit must carry one)."""
    file, _, path = where.rpartition(":")
    raise DataError(
        f"{path or where}: bare number {value!r} compared with a limit in {format_unit(unit)}; write it with "
        f"its unit (e.g. '{value} {format_unit(unit)}')",
        file=file or None,
    )


def _judged_records(
    item: Target | Rule,
    ctx: EvalContext,
    records: list[Any],
    threshold: Threshold | None,
    params: InventoryFieldParams,
) -> tuple[list[Finding], list[tuple[Any, str, float | None, bool, float | None]]]:
    """Each record's ``field`` against the threshold: (record, name, value, ok, limit), plus an
    ``insufficient_data`` finding for every record whose field is missing or not a number."""
    field = params.field
    unit = threshold_unit(threshold) if threshold else ""
    gaps: list[Finding] = []
    judged: list[tuple[Any, str, float | None, bool, float | None]] = []
    for r in records:
        name = str(r.fields.get("name", r.id))
        if threshold is None or not field:
            judged.append((r, name, None, False, None))
            continue
        number = _field_number(r.fields.get(field), unit, params.context, f"{r.source}.{field}")
        if number is None:
            gaps.append(
                insufficient_data(
                    item,
                    ctx,
                    f"字段 {field} 缺失、不是数值或单位不符（需可换算为 {format_unit(unit) or '数值'}）",
                    f"field {field!r} missing, not a number, or not in a unit convertible "
                    f"to {format_unit(unit) or 'a number'}",
                    about=name,
                    evidence=[r.source],
                )
            )
            continue
        ok, limit = compare(threshold, number, unit)
        judged.append((r, name, number, ok, limit))
    return gaps, judged


@evaluator(InventoryFieldParams)
def evaluate_inventory_field(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """A field of each record of a kind against the threshold (a finding per record)."""
    params = ctx.params_of(item, InventoryFieldParams)
    field = params.field
    selected = _records_and_threshold(item, ctx, params)
    if isinstance(selected, Finding):
        return [selected]
    kind, records, threshold = selected
    u = format_unit(threshold_unit(threshold)) if threshold_unit(threshold) else ""
    out, judged = _judged_records(item, ctx, records, threshold, params)
    op = threshold.comparator.value
    for r, name, number, ok, limit in judged:
        if number is None or limit is None:  # no field configured: nothing to compare
            continue
        out.append(
            ctx.finding(
                item,
                status=status_of(ok),
                subject=name,
                value=number,
                limit=limit,
                unit=u,
                evidence=[r.source],
                message_zh=f"{name}：{field} = {fmt(number)}{u}，要求 {op} {fmt(limit)}{u}",
                message_en=f"{name}: {field} = {fmt(number)}{u}, required {op} {fmt(limit)}{u}",
                details={
                    "computation": _records_computation(
                        item, ctx, statistic="field", n=1, value=number, value_raw=number,
                        threshold=threshold, limit=limit, unit=u,
                        what_zh=f"记录 {r.id} 的字段 {field}", what_en=f"field {field!r} of record {r.id}",
                    )
                },
            )
        )
    if not out:
        out.append(_no_records(item, ctx, kind))
    return out


@evaluator(InventoryForbiddenParams)
def evaluate_inventory_forbidden(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Records matching ``where`` that fail the threshold on ``field`` are violations, one finding each.

    Without a threshold or field every matching record is a violation (e.g. "no unregistered machine").
    """
    params = ctx.params_of(item, InventoryForbiddenParams)
    kind = params.kind_of(item)
    field = params.field
    records = _records(ctx, kind, params.where)
    if records is None:
        return [_no_inventory(item, ctx, kind)]
    threshold = ctx.threshold_for(item)
    if threshold is None and item.thresholds:  # dated thresholds, none in force yet: nothing to judge
        return [no_threshold(item, ctx)]
    unit = threshold_unit(threshold) if threshold else ""
    u = format_unit(unit) if unit else ""
    out, judged = _judged_records(item, ctx, records, threshold, params)
    for r, name, number, ok, limit in judged:
        if ok:
            continue
        shown = f"{field} = {fmt(number)}{u}" if number is not None else ""
        out.append(
            ctx.finding(
                item,
                status=Status.NOT_MET,
                subject=name,
                value=number,
                limit=limit,
                unit=u,
                evidence=[r.source],
                message_zh=f"{name}：{item.title_zh}（{shown}）".replace("（）", ""),
                message_en=f"{name}: violates '{item.title_en}' ({shown})".replace(" ()", ""),
                details={
                    "computation": _records_computation(
                        item, ctx, statistic="violation", n=1, value=number, value_raw=number,
                        threshold=threshold, limit=limit, unit=u,
                        what_zh=f"kind={kind} 且符合 {_where_text(params.where)} 的记录不得违反（{field or '存在即违规'}）",
                        what_en=f"records of kind {kind!r} matching {_where_text(params.where)} must not fail "
                        f"({field or 'any such record fails'})",
                        record=r.id,
                    )
                },
            )
        )
    if not out:
        out.append(
            ctx.finding(
                item,
                status=Status.MET,
                value=0.0,
                limit=0.0,
                message_zh=f"{item.title_zh}：清单中未发现违规记录（已核 {len(records)} 条 {kind}）",
                message_en=f"{item.title_en}: no violating record in the inventory ({len(records)} {kind} checked)",
                details={
                    "computation": _records_computation(
                        item, ctx, statistic="violations", n=len(records), value=0.0, value_raw=0.0,
                        threshold=None, limit=None, unit="",
                        what_zh=f"kind={kind} 且符合 {_where_text(params.where)} 的记录中违规者为0",
                        what_en=f"no record of kind {kind!r} matching {_where_text(params.where)} fails",
                    )
                },
            )
        )
    return out

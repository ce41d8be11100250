"""Generic evaluators every plan can name in its YAML.

- ``statistic``: a statistic (mean, max, min, percentile) of a site's series over the target's period
  against a threshold; ``params: {statistic: percentile, p: 95, period: year|month}``. With
  ``period: month`` every month is judged and the worst month is reported.
- ``yoy_change``: the change of a statistic against the previous year, in percent.
- ``supplied_value``: a value the user supplies in the inventory's ``values`` (key ``params.key``,
  default the target id); missing → ``insufficient_data`` naming the key.
- ``inventory_count``: how many records of a kind (filtered by ``where``) exist.
- ``inventory_ratio``: the share (%) of records of a kind matching ``numerator`` among those matching ``where``.
- ``inventory_field``: a field of each record of a kind against the threshold (a finding per record).
- ``inventory_forbidden``: records of a kind matching ``where`` whose ``field`` fails the threshold
  must not exist (e.g. coal-fired boilers below 35 t/h).

Each evaluator declares the ``params:`` it takes as an attrs class (:class:`StatisticParams` …); the
catalog checks every plan item's ``params:`` against it when the plugin loads.

Comparisons follow the threshold's comparator exactly (≤ vs <, as the standard writes the limit).
Non-detects enter statistics at half the detection limit (docs/inputs.md, conventions) and findings say so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs
import numpy as np
import pint

from envplan_core.context import EvalContext
from envplan_core.errors import DataError
from envplan_core.evaluator_types import Evaluator, evaluator
from envplan_core.findings import Finding, Status
from envplan_core.model import Comparator, Rule, Target, Threshold
from envplan_core.standards import hj663
from envplan_core.units import Q_, Quantity, format_unit, parse_quantity, ureg

__all__ = [
    "GENERIC_EVALUATORS",
    "InventoryCountParams",
    "InventoryFieldParams",
    "InventoryForbiddenParams",
    "InventoryParams",
    "InventoryRatioParams",
    "StatisticParams",
    "SuppliedValueParams",
    "YoyChangeParams",
    "compare",
    "insufficient_data",
    "limit_in",
    "matches_where",
    "no_threshold",
    "status_of",
    "threshold_unit",
]


def _bare(q: Quantity) -> bool:
    """A plain number parsed as a quantity (no unit at all; "%" is a unit here)."""
    return bool(q.units == ureg.dimensionless)


def limit_in(threshold: Threshold, unit: str) -> float:
    """The threshold's value as a number in ``unit`` (numbers and dimensionless pass through)."""
    value = threshold.value
    if isinstance(value, Quantity):
        if _bare(value):  # a quoted number ("75") is a number in the caller's unit, like 75
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


def _fmt(x: float) -> str:
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
    return ctx.finding(
        item,
        status=Status.NOT_APPLICABLE,
        message_zh=f"{item.title_zh}：评价期内无适用限值",
        message_en=f"{item.title_en}: no threshold in force for the period",
        **extra,
    )


# -- parameters -----------------------------------------------------------------------------------------

Statistic = Literal["mean", "max", "min", "percentile"]


@attrs.frozen
class ReductionParams:
    """How a series is reduced to one number.

    - ``statistic``: ``mean`` (default), ``max``, ``min`` or ``percentile``;
    - ``p``: the percentile (0–100) when ``statistic: percentile`` (HJ 663 rule); default 50.
    """

    statistic: Statistic = "mean"
    p: float | None = None


@attrs.frozen
class StatisticParams(ReductionParams):
    """Parameters of ``statistic``.

    - ``statistic``: ``mean`` (default), ``max``, ``min`` or ``percentile``;
    - ``p``: the percentile (0–100) when ``statistic: percentile``; default 50;
    - ``period``: ``year`` (default: one value over the target's period) or ``month`` (every month is
      judged; the worst month is reported).
    """

    period: Literal["year", "month"] = "year"


@attrs.frozen
class YoyChangeParams(ReductionParams):
    """Parameters of ``yoy_change`` (the statistic of this period and of the same stretch a year earlier).

    - ``statistic``: ``mean`` (default), ``max``, ``min`` or ``percentile``;
    - ``p``: the percentile (0–100) when ``statistic: percentile``; default 50.
    """


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


def _reduce(values: np.ndarray, statistic: str, p: float | None) -> float:
    if statistic == "mean":
        return float(np.mean(values))
    if statistic == "max":
        return float(np.max(values))
    if statistic == "min":
        return float(np.min(values))
    if statistic == "percentile":
        return float(hj663.percentile(values, p if p is not None else 50.0))
    raise ValueError(f"unknown statistic {statistic!r}")


@evaluator(StatisticParams)
def evaluate_statistic(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """A statistic of the subject's series over the period against the threshold."""
    assert isinstance(item, Target)
    params = ctx.params_of(item, StatisticParams)
    statistic, p, per = params.statistic, params.p, params.period
    start, end = ctx.period(item)
    threshold = ctx.threshold_for(item)
    if threshold is None:
        return [no_threshold(item, ctx)]
    param = ctx.catalog.parameters.resolve(item.parameter)
    unit = param.unit if param else ""
    series = ctx.series(item.subject, param.id if param else None, start=start, end=min(end, ctx.as_of))
    if series is None or len(series) == 0:
        return [
            insufficient_data(
                item,
                ctx,
                f"缺少{item.parameter}监测数据（{start}至{end}）",
                f"no {item.parameter} observations {start}..{end}",
                period=f"{start.year}",
            )
        ]
    values = series.stat_values()
    nondetect = int(series.censored.sum())
    if per == "month":
        months = series.time.astype("datetime64[M]")
        groups = np.unique(months)
        results = [(str(m), _reduce(values[months == m], statistic, p)) for m in groups]
    else:
        results = [(f"{start.year}", _reduce(values, statistic, p))]
    judged = [(label, v, *compare(threshold, v, unit)) for label, v in results]
    failing = [j for j in judged if not j[2]]
    worst = max(
        judged,
        key=lambda j: (not j[2], j[1] if threshold.comparator in (Comparator.LE, Comparator.LT) else -j[1]),
    )
    label, value, ok, limit = worst
    ok = not failing
    provisional = ctx.as_of < end
    u = format_unit(unit)
    rest = f"（{len(failing)}/{len(judged)}个时段超限）" if per == "month" else ""
    rest_en = f" ({len(failing)}/{len(judged)} periods fail)" if per == "month" else ""
    prov_zh = "；评价期未结束，结果为初步结果" if provisional else ""
    prov_en = "; period not over yet: provisional" if provisional else ""
    nd = f"；{nondetect}个未检出值按检出限一半计" if nondetect else ""
    nd_en = f"; {nondetect} non-detects counted at half the detection limit" if nondetect else ""
    return [
        ctx.finding(
            item,
            status=status_of(ok),
            value=round(value, 6),
            limit=limit,
            unit=u,
            period=label,
            message_zh=f"{item.title_zh}：{statistic} {_fmt(value)} {u}，限值 {threshold.comparator.value} "
            f"{_fmt(limit)} {u}{rest}{nd}{prov_zh}",
            message_en=f"{item.title_en}: {statistic} {_fmt(value)} {u} vs limit {threshold.comparator.value} "
            f"{_fmt(limit)} {u}{rest_en}{nd_en}{prov_en}",
            evidence=series.evidence(np.ones(len(series), dtype=bool)),
            details={
                "periods": [{"period": j[0], "value": j[1], "met": j[2]} for j in judged],
                "non_detects": nondetect,
                "provisional": provisional,
                "statistic": statistic,
            },
        )
    ]


@evaluator(YoyChangeParams)
def evaluate_yoy_change(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """The change (%) of a statistic on the same stretch of the previous year."""
    assert isinstance(item, Target)
    params = ctx.params_of(item, YoyChangeParams)
    statistic = params.statistic
    start, end = ctx.period(item)
    prev_start, prev_end = _year_earlier(start), _year_earlier(end)
    threshold = ctx.threshold_for(item)
    if threshold is None:
        return [no_threshold(item, ctx)]
    param = ctx.catalog.parameters.resolve(item.parameter)
    pid = param.id if param else None
    # Like for like: a period not over yet is compared with the same stretch of the previous year.
    provisional = ctx.as_of < end
    now = ctx.series(item.subject, pid, start=start, end=min(end, ctx.as_of))
    before = ctx.series(item.subject, pid, start=prev_start, end=min(prev_end, _year_earlier(ctx.as_of)))
    if now is None or before is None or len(now) == 0 or len(before) == 0:
        missing = "本年" if now is None or len(now) == 0 else "上年"
        return [
            insufficient_data(
                item,
                ctx,
                f"缺少{missing}{item.parameter}数据",
                f"missing {item.parameter} data for {'this' if missing == '本年' else 'the previous'} year",
                period=f"{start.year}",
            )
        ]
    cur = _reduce(now.stat_values(), statistic, params.p)
    prev = _reduce(before.stat_values(), statistic, params.p)
    if prev == 0:
        return [
            insufficient_data(
                item,
                ctx,
                "上年值为0，无法计算同比",
                "previous-year value is 0; no change can be computed",
                period=f"{start.year}",
            )
        ]
    change = (cur - prev) / prev * 100.0
    ok, limit = compare(threshold, change, "percent")
    return [
        ctx.finding(
            item,
            status=status_of(ok),
            value=round(change, 4),
            limit=limit,
            unit="%",
            period=f"{start.year}",
            message_zh=f"{item.title_zh}：同比 {change:+.1f}%（{_fmt(prev)} → {_fmt(cur)}），要求 "
            f"{threshold.comparator.value} {limit:+g}%"
            + ("；评价期未结束，与上年同期比较，结果为初步结果" if provisional else ""),
            message_en=f"{item.title_en}: year on year {change:+.1f}% ({_fmt(prev)} → {_fmt(cur)}), required "
            f"{threshold.comparator.value} {limit:+g}%"
            + (
                "; period not over yet: compared with the same stretch of last year, provisional"
                if provisional
                else ""
            ),
            details={"current": cur, "previous": prev, "statistic": statistic, "provisional": provisional},
        )
    ]


def _year_earlier(day: dt.date) -> dt.date:
    """The same day a year earlier (29 February → 28 February)."""
    return (
        day.replace(year=day.year - 1, day=28)
        if (day.month, day.day) == (2, 29)
        else day.replace(year=day.year - 1)
    )


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
            )
        ]
    if threshold is None:
        return [no_threshold(item, ctx)]
    value = _as_quantity(raw)
    unit = threshold_unit(threshold)
    if unit and _bare(value):  # 85 against "90 %": 85 % or 0.85? The user must say.
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
            message_zh=f"{item.title_zh}：{_fmt(number)}{u}，要求 {threshold.comparator.value} {_fmt(limit)}{u}",
            message_en=f"{item.title_en}: {_fmt(number)}{u}, required {threshold.comparator.value} {_fmt(limit)}{u}",
            details={"key": key, "source": "user-supplied"},
        )
    ]


def _as_quantity(raw: Any) -> Quantity:
    if isinstance(raw, Quantity):
        return raw
    if isinstance(raw, (int, float)):
        return Q_(float(raw), "dimensionless")
    return parse_quantity(str(raw))


def threshold_unit(threshold: Threshold) -> str:
    """The unit a threshold is written in (``""`` for plain numbers and dimensionless values)."""
    value = threshold.value
    if isinstance(value, Quantity) and not _bare(value):
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
    selected = _records_and_threshold(item, ctx, ctx.params_of(item, InventoryCountParams))
    if isinstance(selected, Finding):
        return [selected]
    _, records, threshold = selected
    count = float(len(records))
    ok, limit = compare(threshold, count)
    return [
        ctx.finding(
            item,
            status=status_of(ok),
            value=count,
            limit=limit,
            unit="",
            message_zh=f"{item.title_zh}：{int(count)}项，要求 {threshold.comparator.value} {_fmt(limit)}",
            message_en=f"{item.title_en}: {int(count)} records, required {threshold.comparator.value} {_fmt(limit)}",
            evidence=[r.source for r in records],
            details={"records": [r.id for r in records]},
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
            f"{threshold.comparator.value} {_fmt(limit)}%",
            message_en=f"{item.title_en}: {len(hits)}/{len(records)} = {share:.1f}%, required "
            f"{threshold.comparator.value} {_fmt(limit)}%",
            evidence=[r.source for r in records],
            details={"not_matching": misses},
        )
    ]


def _field_number(value: Any, unit: str, context: str | None) -> float | None:
    if isinstance(value, Quantity):
        if not unit:
            return float(value.magnitude)
        try:
            return float(value.to(unit, context).magnitude) if context else float(value.m_as(unit))
        except pint.errors.DimensionalityError:
            return None  # reported per record as insufficient data (wrong unit)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


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
        number = _field_number(r.fields.get(field), unit, params.context)
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
                message_zh=f"{name}：{field} = {_fmt(number)}{u}，要求 {op} {_fmt(limit)}{u}",
                message_en=f"{name}: {field} = {_fmt(number)}{u}, required {op} {_fmt(limit)}{u}",
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
        shown = f"{field} = {_fmt(number)}{u}" if number is not None else ""
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
            )
        )
    return out


GENERIC_EVALUATORS: dict[str, Evaluator] = {
    "statistic": evaluate_statistic,
    "yoy_change": evaluate_yoy_change,
    "supplied_value": evaluate_supplied_value,
    "inventory_count": evaluate_inventory_count,
    "inventory_ratio": evaluate_inventory_ratio,
    "inventory_field": evaluate_inventory_field,
    "inventory_forbidden": evaluate_inventory_forbidden,
}

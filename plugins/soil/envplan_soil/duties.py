"""Recurring duties: task 14's monthly check (violations brought to zero) and task 10's quarterly dispatch.

``soil_periodic_check`` reads one record per check (kind ``soil_monthly_check`` or
``soil_quarterly_dispatch``, or the rule's ``applies_to``): the period it covers (``period``, ``month`` or
``quarter``: ``2023-09``, ``2023-Q3``; else the period of its ``checked_on``/``held_on``/``date``), the
responsible unit that did it (``unit``, when the duty is per unit) and, where the rule has a threshold,
the violations still open at the period's end (``violations_open``).

Every period from ``params.start`` to the end of the rule's period (the plan year), up to the last
period complete on ``as_of`` (a month is complete on its last day), must have a record; with a
threshold, the open violations of the period's last record (latest ``checked_on``, else last in file
order) must satisfy it (task 14: ``== 0``, 动态清零). With ``per_unit: true`` one finding per unit of the
rule's task (its lead set to that unit); else one finding for the county. Records that cannot be placed
(no period, no unit, a unit that is not one of the duty's) are reported, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from envplan_core.plugin import (
    DataError,
    EvalContext,
    Evaluator,
    Finding,
    Record,
    Rule,
    Status,
    Target,
    compare,
    evaluator,
)
from envplan_soil._common import (
    Verdict,
    as_count,
    as_date,
    clause_label,
    missing_fields_finding,
    no_records_finding,
    verdict_finding,
    with_units,
)

__all__ = ["DUTY_EVALUATORS", "PeriodicCheckParams", "expected_periods", "period_label"]

Every = Literal["month", "quarter"]
_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})\s*[-/]?\s*[Qq]\s*([1-4])\s*$")
_DATE_FIELDS = ("checked_on", "held_on", "date")
_WORD = {"month": ("个月", "month(s)", "月"), "quarter": ("个季度", "quarter(s)", "季度")}


def _as_written(value: Any) -> Any:
    return value


def _is_flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{attribute.name}: expected true or false, got {value!r}")


def _is_period(instance: PeriodicCheckParams, attribute: attrs.Attribute[str], value: str) -> None:
    if value and _parse_period(value, instance.every) is None:
        example = "2023-09" if instance.every == "month" else "2023-Q3"
        raise ValueError(f"{attribute.name}: expected a {instance.every} such as {example}, got {value!r}")


@attrs.frozen
class PeriodicCheckParams:
    """Parameters of ``soil_periodic_check``.

    - ``kind``: the record kind of the checks; default the rule's ``applies_to``;
    - ``every``: ``month`` (default) or ``quarter``;
    - ``start``: the first period due (``2023-09``, ``2023-Q3``); default the first of the plan year;
    - ``per_unit``: ``true`` (default): every unit of the rule's task keeps its own record per period;
      ``false``: one joint record per period;
    - ``unit_field``: the record field naming the unit (default ``unit``).
    """

    kind: str | None = None
    every: Every = "month"
    start: str = attrs.field(default="", validator=_is_period)
    per_unit: bool = attrs.field(default=True, converter=_as_written, validator=_is_flag)
    unit_field: str = "unit"


# -- periods ---------------------------------------------------------------------------------------------


def _parse_period(value: Any, every: str) -> tuple[int, int] | None:
    """(year, month 1–12 or quarter 1–4) of a period label or a date; None when unreadable."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return (value.year, value.month) if every == "month" else (value.year, (value.month - 1) // 3 + 1)
    text = str(value)
    if every == "quarter":
        q = _QUARTER.match(text)
        return (int(q.group(1)), int(q.group(2))) if q else None
    m = _MONTH.match(text)
    if m is None or not 1 <= int(m.group(2)) <= 12:
        return None
    return int(m.group(1)), int(m.group(2))


def period_label(period: tuple[int, int], every: str) -> str:
    year, n = period
    return f"{year:04d}-{n:02d}" if every == "month" else f"{year:04d}-Q{n}"


def _next(period: tuple[int, int], every: str) -> tuple[int, int]:
    year, n = period
    last = 12 if every == "month" else 4
    return (year + 1, 1) if n == last else (year, n + 1)


def _period_end(period: tuple[int, int], every: str) -> dt.date:
    year, n = period
    month = n if every == "month" else n * 3
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def expected_periods(
    first: tuple[int, int], end: dt.date, as_of: dt.date, every: str
) -> list[tuple[int, int]]:
    """Periods from ``first`` whose last day is on or before both ``end`` and ``as_of``."""
    out = []
    period = first
    while _period_end(period, every) <= min(end, as_of):
        out.append(period)
        period = _next(period, every)
    return out


# -- the evaluator ---------------------------------------------------------------------------------------


@attrs.frozen
class _Check:
    record: Record
    unit: str  # canonical name, or "" when the duty is joint
    period: tuple[int, int]
    day: dt.date | None


def _record_period(record: Record, every: str) -> tuple[tuple[int, int] | None, dt.date | None]:
    """The record's period and date; (None, …) when it gives neither. Unreadable: :class:`DataError`."""
    day = next((d for k in _DATE_FIELDS if (d := as_date(record, k)) is not None), None)
    for key in ("period", every):
        value = record.get(key)
        if value is not None:
            period = _parse_period(value, every)
            if period is None:
                example = "2023-09" if every == "month" else "2023-Q3"
                raise DataError(
                    f"{record.source}.{key}: {value!r} is not a {every} (write e.g. {example})", column=key
                )
            return period, day
    return (_parse_period(day, every) if day is not None else None), day


def _place(
    item: Rule, ctx: EvalContext, records: list[Record], params: PeriodicCheckParams, units: tuple[str, ...]
) -> tuple[list[_Check], list[Finding]]:
    checks: list[_Check] = []
    reported: list[Finding] = []
    for record in records:
        period, day = _record_period(record, params.every)
        if period is None:
            fields = ["period", params.every, *_DATE_FIELDS]
            reported.append(missing_fields_finding(item, ctx, record, ["/".join(fields)]))
            continue
        if day is not None and day > ctx.as_of:
            continue  # reported after as_of: not known yet (as progress rows)
        unit = ""
        if params.per_unit:
            raw = record.get(params.unit_field)
            if raw is None:
                reported.append(missing_fields_finding(item, ctx, record, [params.unit_field]))
                continue
            resolved = ctx.catalog.units.resolve(str(raw))
            unit = ctx.catalog.units.canonical_zh(str(raw)) if resolved is not None else ""
            if unit not in units:
                reported.append(
                    verdict_finding(
                        item,
                        ctx,
                        record,
                        Verdict(
                            Status.NOT_APPLICABLE if resolved is not None else Status.INSUFFICIENT_DATA,
                            f"{params.unit_field} = {raw}：不是本条任务的责任单位（{'、'.join(units)}），记录未计入",
                            f"{params.unit_field} = {raw} is not one of the duty's units ({', '.join(units)}); "
                            "record not counted",
                            details={"unit": str(raw)},
                            missing=() if resolved is not None else (params.unit_field,),
                        ),
                    )
                )
                continue
        checks.append(_Check(record, unit, period, day))
    return checks, reported


def _last(checks: list[_Check]) -> _Check:
    """The period's last record: latest date, else the last in file order."""
    dated = [c for c in checks if c.day is not None]
    return max(dated, key=lambda c: c.day or dt.date.min) if dated else checks[-1]


def _judge_unit(
    item: Rule,
    ctx: EvalContext,
    unit: str,
    checks: list[_Check],
    *,
    expected: list[tuple[int, int]],
    params: PeriodicCheckParams,
) -> Finding:
    every = params.every
    word_zh, word_en, short_zh = _WORD[every]
    who = unit or "新绛县"
    labels = [period_label(p, every) for p in expected]
    by_period: dict[tuple[int, int], list[_Check]] = {}
    for c in checks:
        by_period.setdefault(c.period, []).append(c)
    outside = sorted({period_label(p, every) for p in by_period if p not in expected})
    missing = [period_label(p, every) for p in expected if p not in by_period]
    threshold = item.thresholds[0] if item.thresholds else None
    failing: list[dict[str, Any]] = []
    no_count: list[str] = []
    if threshold is not None:
        for p in expected:
            if p not in by_period:
                continue
            last = _last(by_period[p])
            open_now = as_count(last.record, "violations_open")
            if open_now is None:
                no_count.append(period_label(p, every))
            elif not compare(threshold, float(open_now))[0]:
                failing.append(
                    {"period": period_label(p, every), "violations_open": open_now, "record": last.record.id}
                )
    done = len(expected) - len(missing)
    period = f"{labels[0]}..{labels[-1]}" if labels else ""
    details: dict[str, Any] = {
        "unit": unit or None,
        "expected": labels,
        "missing_periods": missing,
        "open_violations": failing,
        "outside_periods": outside,
    }
    evidence = [c.record.source for c in checks if c.record.source]
    if not expected:
        finding = ctx.finding(
            item,
            status=Status.NOT_APPLICABLE,
            subject=who,
            evidence=evidence,
            details=details,
            message_zh=f"{who}：截至{ctx.as_of}尚无应完成的{short_zh}（自{params.start or '计划年度初'}起）",
            message_en=f"{who}: no complete {every} due yet on {ctx.as_of}",
        )
    else:
        problems_zh = []
        problems_en = []
        if missing:
            problems_zh.append(f"缺少{'、'.join(missing)}的记录")
            problems_en.append(f"no record for {', '.join(missing)}")
        if failing:
            problems_zh.append(
                "期末仍有未整改违规：" + "、".join(f"{f['period']} {f['violations_open']}起" for f in failing)
            )
            problems_en.append(
                "violations still open at period end: "
                + ", ".join(f"{f['period']} {f['violations_open']}" for f in failing)
            )
        if problems_zh:
            status = Status.NOT_MET
        elif no_count:
            status = Status.INSUFFICIENT_DATA
            details["missing"] = ["violations_open"]
            problems_zh.append(f"{'、'.join(no_count)}的记录缺少期末未整改违规数 violations_open")
            problems_en.append(f"violations_open missing for {', '.join(no_count)}")
        else:
            status = Status.MET
        tail_zh = (
            "；" + "；".join(problems_zh)
            if problems_zh
            else ("，期末违规均已清零" if threshold is not None else "")
        )
        tail_en = (
            "; " + "; ".join(problems_en)
            if problems_en
            else (", no violation left open" if threshold is not None else "")
        )
        finding = ctx.finding(
            item,
            status=status,
            subject=who,
            value=float(done),
            limit=float(len(expected)),
            unit=word_zh,
            period=period,
            evidence=evidence,
            details=details,
            message_zh=f"{who}：{period}应有{len(expected)}{word_zh}记录，已有{done}{word_zh}{tail_zh}（{clause_label(item)}）",
            message_en=f"{who}: {done} of {len(expected)} {word_en} recorded {period}{tail_en}",
        )
    return with_units(ctx, finding, [unit], lead=True) if unit else finding


@evaluator(PeriodicCheckParams)
def evaluate_periodic_check(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Every period has its check record (per unit), and open violations meet the threshold at period end."""
    if not isinstance(item, Rule):
        raise TypeError(f"{item.id}: soil_periodic_check judges rules over check records, not targets")
    params = ctx.params_of(item, PeriodicCheckParams)
    kind = params.kind or item.applies_to
    records = [] if ctx.inventory is None else ctx.inventory.by_kind(kind)
    if not records:
        return [no_records_finding(item, ctx, kind)]
    start, end = ctx.period(item)
    first = _parse_period(params.start, params.every) if params.start else _parse_period(start, params.every)
    assert first is not None
    expected = expected_periods(first, end, ctx.as_of, params.every)
    units = ctx.responsible(item)[0] if params.per_unit else ()
    checks, out = _place(item, ctx, records, params, units)
    groups: Mapping[str, list[_Check]] = (
        {u: [c for c in checks if c.unit == u] for u in units} if params.per_unit else {"": checks}
    )
    for unit, mine in groups.items():
        out.append(_judge_unit(item, ctx, unit, mine, expected=expected, params=params))
    return out


DUTY_EVALUATORS: dict[str, Evaluator] = {"soil_periodic_check": evaluate_periodic_check}

"""The generic evaluators over a site's series: ``statistic`` and ``yoy_change``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

import attrs
import numpy as np

from envplan_core.context import EvalContext
from envplan_core.evaluator_types import evaluator
from envplan_core.evaluators.common import (
    compare,
    fmt,
    insufficient_data,
    no_threshold,
    rule_text,
    status_of,
)
from envplan_core.findings import Finding, computation
from envplan_core.model import Comparator, Rule, Target
from envplan_core.standards import hj663
from envplan_core.units import format_unit

__all__ = ["ReductionParams", "StatisticParams", "YoyChangeParams", "evaluate_statistic", "evaluate_yoy_change"]


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
        counts = {str(m): int((months == m).sum()) for m in groups}
    else:
        results = [(f"{start.year}", _reduce(values, statistic, p))]
        counts = {f"{start.year}": len(series)}
    judged = [(label, v, *compare(threshold, v, unit)) for label, v in results]
    failing = [j for j in judged if not j[2]]
    worst = max(
        judged,
        key=lambda j: (not j[2], j[1] if threshold.comparator in (Comparator.LE, Comparator.LT) else -j[1]),
    )
    label, value, ok, limit = worst
    ok = not failing
    # Every month of the period that is over by as_of must have data before "every month" can be met.
    missing_months = _months_without_data(start, min(end, ctx.as_of), set(counts)) if per == "month" else []
    provisional = ctx.as_of < end
    u = format_unit(unit)
    stat_name = statistic if statistic != "percentile" else f"p{fmt(p if p is not None else 50.0)}"
    what_zh = f"{'每月' if per == 'month' else ''}{stat_name}（{len(series)}个样本）"
    what_en = f"{'monthly ' if per == 'month' else ''}{stat_name} of {len(series)} samples"
    rule_zh, rule_en = rule_text(threshold, what_zh, what_en, limit, u)
    if nondetect:
        rule_zh += "；未检出按检出限一半计"
        rule_en += "; non-detects at half the detection limit"
    if per == "month":
        rule_zh += "；每个已结束月份均须有数据并达标"
        rule_en += "; every month over by as_of must have data and meet it"
    details = {
        "periods": [{"period": j[0], "value": j[1], "met": j[2]} for j in judged],
        "non_detects": nondetect,
        "provisional": provisional,
        "statistic": statistic,
        "computation": computation(
            period=label,
            statistic=f"{stat_name}{'_monthly' if per == 'month' else ''}",
            n=counts[label],
            n_of="samples",
            value=round(value, 6),
            value_raw=value,
            unit=u,
            rounding="6 decimals for display; compared unrounded",
            rule_zh=rule_zh,
            rule_en=rule_en,
            limit=limit,
            comparator=threshold.comparator.value,
            samples_in_period=len(series),
            **({"months_with_data": len(counts), "months_without_data": missing_months} if per == "month" else {}),
        ),
    }
    rest = f"（{len(failing)}/{len(judged)}个时段超限）" if per == "month" else ""
    rest_en = f" ({len(failing)}/{len(judged)} periods fail)" if per == "month" else ""
    prov_zh = "；评价期未结束，结果为初步结果" if provisional else ""
    prov_en = "; period not over yet: provisional" if provisional else ""
    nd = f"；{nondetect}个未检出值按检出限一半计" if nondetect else ""
    nd_en = f"; {nondetect} non-detects counted at half the detection limit" if nondetect else ""
    shown = f"{statistic} {fmt(value)} {u}，限值 {threshold.comparator.value} {fmt(limit)} {u}"
    shown_en = f"{statistic} {fmt(value)} {u} vs limit {threshold.comparator.value} {fmt(limit)} {u}"
    if ok and missing_months:
        return [
            insufficient_data(
                item,
                ctx,
                f"{len(missing_months)}个月无数据（{'、'.join(missing_months)}），不能判定每月达标；"
                f"已有月份{shown}{rest}{nd}",
                f"no data in {len(missing_months)} months ({', '.join(missing_months)}): every month cannot be "
                f"said to meet it; months with data: {shown_en}{rest_en}{nd_en}",
                value=round(value, 6),
                limit=limit,
                unit=u,
                period=label,
                evidence=series.evidence(np.ones(len(series), dtype=bool)),
                details=details,
            )
        ]
    return [
        ctx.finding(
            item,
            status=status_of(ok),
            value=round(value, 6),
            limit=limit,
            unit=u,
            period=label,
            message_zh=f"{item.title_zh}：{shown}{rest}{nd}{prov_zh}",
            message_en=f"{item.title_en}: {shown_en}{rest_en}{nd_en}{prov_en}",
            evidence=series.evidence(np.ones(len(series), dtype=bool)),
            details=details,
        )
    ]


def _months_without_data(start: dt.date, stop: dt.date, have: set[str]) -> list[str]:
    """Months from ``start`` whose last day is on or before ``stop`` and that have no value."""
    out: list[str] = []
    year, month = start.year, start.month
    while True:
        last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        if last > stop:
            return out
        label = f"{year:04d}-{month:02d}"
        if label not in have:
            out.append(label)
        year, month = year + (month == 12), month % 12 + 1


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
            message_zh=f"{item.title_zh}：同比 {change:+.1f}%（{fmt(prev)} → {fmt(cur)}），要求 "
            f"{threshold.comparator.value} {limit:+g}%"
            + ("；评价期未结束，与上年同期比较，结果为初步结果" if provisional else ""),
            message_en=f"{item.title_en}: year on year {change:+.1f}% ({fmt(prev)} → {fmt(cur)}), required "
            f"{threshold.comparator.value} {limit:+g}%"
            + (
                "; period not over yet: compared with the same stretch of last year, provisional"
                if provisional
                else ""
            ),
            details={
                "current": cur,
                "previous": prev,
                "statistic": statistic,
                "provisional": provisional,
                "computation": computation(
                    period=f"{start.year}",
                    statistic=f"{statistic}_change_on_previous_year",
                    n=len(now),
                    n_of="samples",
                    value=round(change, 4),
                    value_raw=change,
                    unit="%",
                    rounding="4 decimals for display; compared unrounded",
                    rule_zh=rule_text(threshold, f"（本期{statistic} − 上年同期{statistic}）/ 上年同期 × 100%", "", limit, "%")[0],
                    rule_en=rule_text(
                        threshold, "", f"({statistic} this period − same stretch last year) / last year × 100 %",
                        limit, "%",
                    )[1],
                    n_previous=len(before),
                    current=cur,
                    previous=prev,
                    limit=limit,
                    comparator=threshold.comparator.value,
                ),
            },
        )
    ]


def _year_earlier(day: dt.date) -> dt.date:
    """The same day a year earlier (29 February → 28 February)."""
    return (
        day.replace(year=day.year - 1, day=28)
        if (day.month, day.day) == (2, 29)
        else day.replace(year=day.year - 1)
    )

"""Evaluators of the air plan's targets that the core's generic evaluators cannot express.

* ``air_annual_mean`` — a pollutant's HJ 663 annual mean of the county (``air.pm25.annual_mean``).
* ``air_yoy_change`` — the change of that annual mean on the previous year (``air.so2.yoy_change``).
* ``composite_index_rank`` — the county's rank by composite index among the province's counties
  (``air.composite_index.rank``).
* ``heavy_pollution_days`` — days with daily AQI > 200 (HJ 633), counted and reported.
* ``air_binding_indicators`` — the annual binding indicators the province and city hand down, as the
  user supplies them (``air.binding.provincial``; :mod:`envplan_air.binding`).

Decisions (docs/plans/air.md):

* **Rounding.** Annual concentrations are rounded by GB/T 8170 to the precision HJ 663 reports
  (integers µg/m³, CO 0.1 mg/m³) and the *rounded* value is compared with the limit: 43.4 → 43 meets
  "≤ 43", 43.5 → 44 (half to even) does not. ``value_raw`` keeps the unrounded mean.
* **Year on year** is computed from the two reported (rounded) annual means, as bulletins do, and the
  change rounded to 0.1 % is compared; ``value_raw`` is the change of the unrounded means.
* **Validity.** An annual statistic needs ≥ 324 valid days and ≥ 27 in every month (25 in February,
  GB 3095 Table 4); otherwise, or while the year is not over at ``as_of``, the finding is
  ``insufficient_data`` and still shows the value reached so far.
* **Ranking table.** The other counties' indices are a table the user supplies: inventory
  ``values: {air.county_composite_indices: {县名: index, …}}`` and/or records of kind ``county_index``
  (fields ``county``, ``composite_index``, optional ``period``). The county's own index is the table's
  entry for 新绛县 when it has one (the province's published figure), otherwise the index computed from
  the county's series. "退出后5位" is ``Rank.outside_bottom(5)`` (competition ranking from the worst);
  with fewer counties than the plan's 119 a rank outside the bottom five is still certain (missing
  counties can only push the county up), a rank inside it is ``insufficient_data``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from envplan_air.binding import BindingIndicatorsParams, evaluate_binding_indicators, split_limit
from envplan_air.series import Annual, CountySeries, annual, annual_all, county_series, station_sites
from envplan_core.plugin import (
    AIR_POLLUTANTS,
    COUNTY_NAMES,
    Comparator,
    DataError,
    EvalContext,
    Evaluator,
    Finding,
    NoParams,
    Quantity,
    Rule,
    Status,
    Target,
    Threshold,
    computation,
    evaluator,
    format_unit,
    insufficient_data,
    limit_in,
    normalise_name,
    status_of,
)
from envplan_core.standards import hj633, hj663, ranking
from envplan_core.standards.rounding import round_gbt8170

__all__ = [
    "STANDARD",
    "TARGET_EVALUATORS",
    "BindingIndicatorsParams",
    "CompositeIndexRankParams",
    "HeavyPollutionDaysParams",
    "evaluate_annual_mean",
    "evaluate_binding_indicators",
    "evaluate_composite_index_rank",
    "evaluate_heavy_pollution_days",
    "evaluate_yoy_change",
]

STANDARD = "GB 3095-2012; HJ 663-2013"
_RANK_STANDARD = "GB 3095-2012; HJ 663-2013; 环办监测〔2018〕19号"
#: Inventory ``values`` key of the province's table of county composite indices (overridable: params.table_key).
TABLE_KEY = "air.county_composite_indices"
#: Inventory record kind of one county's composite index (fields county, composite_index, period).
COUNTY_INDEX_KIND = "county_index"
#: Optional user-supplied limit on heavy-pollution days (a city-assigned number), params.limit_key.
HEAVY_DAYS_LIMIT_KEY = "air.heavy_pollution_days_limit"
_COUNTY_KEYS = {normalise_name(n) for n in (*COUNTY_NAMES, "新绛", "新绛县")}


# --------------------------------------------------------------------------- parameters
# ``air_annual_mean`` and ``air_yoy_change`` take none (NoParams): the pollutant is the target's parameter.
@attrs.frozen
class CompositeIndexRankParams:
    """Parameters of ``composite_index_rank``.

    - ``counties``: how many counties the province ranks (default 119); a table with fewer leaves a
      rank inside the bottom ``exit_bottom`` undecided;
    - ``exit_bottom``: the county must rank outside the worst this many (default 5, "退出后5位");
    - ``table_key``: the inventory ``values`` key of the province's table of county composite indices
      (default ``air.county_composite_indices``).
    """

    counties: int = 119
    exit_bottom: int = 5
    table_key: str = TABLE_KEY


@attrs.frozen
class HeavyPollutionDaysParams:
    """Parameters of ``heavy_pollution_days``.

    - ``limit_key``: the inventory ``values`` key of a limit handed down on heavy-pollution days (e.g.
      ``"<= 3"``); default ``air.heavy_pollution_days_limit``; without it the days are only reported.
    """

    limit_key: str = HEAVY_DAYS_LIMIT_KEY


def _as_target(item: Target | Rule) -> Target:
    if not isinstance(item, Target):
        raise TypeError(f"{item.id}: this evaluator judges targets, not rules")
    return item


def _pollutant(item: Target, ctx: EvalContext) -> str:
    param = ctx.catalog.parameters.resolve(item.parameter)
    if param is None or param.id not in AIR_POLLUTANTS:
        raise ValueError(f"{item.id}: parameter {item.parameter!r} is not one of {AIR_POLLUTANTS}")
    return param.id


def _unit(pollutant: str) -> str:
    return "mg/m^3" if pollutant == "CO" else "ug/m^3"


def _fmt(value: float | None, decimals: int | None = None) -> str:
    if value is None:
        return "—"
    if decimals is not None:
        return f"{value:.{decimals}f}"
    return f"{value:.6g}"


def _no_data(item: Target, ctx: EvalContext, pollutants: str, start: dt.date, end: dt.date) -> Finding:
    stations = (
        "、".join(s.name_zh for s in ctx.plan.sites if s.id in station_sites(ctx)) or "（计划未列站点）"
    )
    return insufficient_data(
        item,
        ctx,
        f"缺少{pollutants}监测数据（{start}至{end}）；需要县级序列（site 新绛县）或县域站点（{stations}）的小时值或日均值",
        f"no {pollutants} observations {start}..{end}; needs the county series "
        "(site 新绛县) or hourly/daily values of the county's stations",
        period=str(start.year),
        details={"missing": [pollutants], "stations": station_sites(ctx)},
        standard=STANDARD,
    )


def _no_threshold(item: Target, ctx: EvalContext) -> Finding:
    start, _ = ctx.period(item)
    return ctx.finding(
        item,
        status=Status.NOT_APPLICABLE,
        message_zh=f"{item.title_zh}：无适用限值",
        message_en=f"{item.title_en}: no threshold in force",
        details={
            "computation": computation(
                period=str(start.year),
                statistic=item.statistic or item.evaluator,
                n=None,
                n_of="values",
                rule_zh="无适用限值，不作判定",
                rule_en="no threshold in force: nothing is judged",
            )
        },
    )


def _series_so_far(
    ctx: EvalContext,
    pollutants: Sequence[str],
    start: dt.date,
    end: dt.date,
    *,
    require: Sequence[str] | None = None,
) -> CountySeries | None:
    """The county series from ``start`` up to ``end`` or ``as_of``, whichever is first (None before start)."""
    until = min(end, ctx.as_of)
    return county_series(ctx, pollutants, start, until, require=require) if until >= start else None


def _annual_details(result: Annual, series: CountySeries) -> dict[str, Any]:
    return {
        "year": result.year,
        "valid": result.valid,
        "valid_days": result.valid_days,
        "valid_days_by_month": result.months,
        "short_months": list(result.short_months),
        "unrounded": result.raw,
        "rounding": f"GB/T 8170 to {result.decimals} decimals (HJ 663 reporting precision)",
        "rules": result.record["rules"],
        **series.details(),
    }


_STATISTIC = {
    "CO": ("CO_p95", "日均值第95百分位数", "95th percentile of the daily means"),
    "O3": ("O3_8h_p90", "日最大8小时平均第90百分位数", "90th percentile of the daily maximum 8-h means"),
}


def _annual_computation(result: Annual, series: CountySeries, threshold: Threshold | None, limit: float | None) -> dict[str, Any]:
    """``details.computation`` of an HJ 663 annual statistic (docs/plans/air.md)."""
    name, zh, en = _STATISTIC.get(result.pollutant, ("annual_mean", "日均值的年平均", "annual mean of the daily means"))
    u = format_unit(_unit(result.pollutant))
    validity_zh = (
        f"有效性：全年≥{hj663.MIN_DAYS_PER_YEAR}个有效日且每月≥{hj663.MIN_DAYS_PER_MONTH}个（2月≥{hj663.MIN_DAYS_FEBRUARY}个），"
        "日均值需≥20个有效小时（GB 3095 表4）"
    )
    validity_en = (
        f"validity: ≥ {hj663.MIN_DAYS_PER_YEAR} valid days a year and ≥ {hj663.MIN_DAYS_PER_MONTH} every month "
        f"({hj663.MIN_DAYS_FEBRUARY} in February), a daily mean needs ≥ 20 valid hours (GB 3095 Table 4)"
    )
    cmp_zh = cmp_en = ""
    compared: dict[str, Any] = {}
    if threshold is not None and limit is not None:
        compared = {"limit": limit, "comparator": threshold.comparator.value}
        cmp_zh = f"；修约后 {threshold.comparator.value} {_fmt(limit)} {u}"
        cmp_en = f"; rounded value {threshold.comparator.value} {_fmt(limit)} {u}"
    return computation(
        period=str(result.year),
        statistic=name,
        n=result.valid_days,
        n_of="valid_days",
        value=result.value,
        value_raw=result.raw,
        unit=u,
        rounding=f"GB/T 8170 to {result.decimals} decimals (integers µg/m³, CO 0.1 mg/m³) before comparing",
        rule_zh=f"HJ 663-2013：{result.pollutant}{zh}；{validity_zh}{cmp_zh}",
        rule_en=f"HJ 663-2013: {result.pollutant} {en}; {validity_en}{cmp_en}",
        valid=result.valid,
        short_months=list(result.short_months),
        source=series.source,
        **compared,
    )


# --------------------------------------------------------------------------- annual mean
@evaluator(NoParams)
def evaluate_annual_mean(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """A pollutant's HJ 663 annual statistic of the county, rounded (GB/T 8170), against the limit."""
    target = _as_target(item)
    pollutant = _pollutant(target, ctx)
    start, end = ctx.period(target)
    threshold = ctx.threshold_for(target)
    if threshold is None:
        return [_no_threshold(target, ctx)]
    series = _series_so_far(ctx, [pollutant], start, end)
    result = annual(series, pollutant, start.year) if series is not None else None
    if series is None or result is None:
        return [_no_data(target, ctx, pollutant, start, end)]
    unit = _unit(pollutant)
    u = format_unit(unit)
    limit = limit_in(threshold, unit)
    d = result.decimals
    shown = f"{_fmt(result.value, d)} {u}（未修约 {_fmt(result.raw)}，按GB/T 8170修约后比较）"
    shown_en = (
        f"{_fmt(result.value, d)} {u} (unrounded {_fmt(result.raw)}; compared after GB/T 8170 rounding)"
    )
    cmp = f"{threshold.comparator.value} {_fmt(limit)} {u}"
    common: dict[str, Any] = {
        "value": result.value,
        "value_raw": result.raw,
        "limit": limit,
        "unit": u,
        "period": str(start.year),
        "evidence": series.evidence,
        "details": {**_annual_details(result, series), "computation": _annual_computation(result, series, threshold, limit)},
        "standard": STANDARD,
    }
    provisional = ctx.as_of < end
    if provisional or not result.valid or result.value is None:
        why_zh = f"评价期至{end}未结束" if provisional else result.reason_zh()
        why_en = f"the period runs until {end}" if provisional else result.reason_en()
        return [
            insufficient_data(
                target,
                ctx,
                f"{why_zh}，不能作年评价；目前 {shown}，限值 {cmp}；{series.describe_zh()}",
                f"{why_en}, no valid annual value; so far {shown_en}, limit {cmp}; {series.describe_en()}",
                **common,
            )
        ]
    ok = threshold.comparator.holds(result.value, limit)
    return [
        ctx.finding(
            target,
            status=status_of(ok),
            **common,
            message_zh=f"{target.title_zh}：{start.year}年{pollutant}年均值 {shown}，限值 {cmp}；有效日数"
            f"{result.valid_days}天；{series.describe_zh()}",
            message_en=f"{target.title_en}: {start.year} {pollutant} annual mean {shown_en}, limit {cmp}; "
            f"{result.valid_days} valid days; {series.describe_en()}",
        )
    ]


# --------------------------------------------------------------------------- year on year
@evaluator(NoParams)
def evaluate_yoy_change(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Change (%) of a pollutant's HJ 663 annual mean on the previous year, from the reported means."""
    target = _as_target(item)
    pollutant = _pollutant(target, ctx)
    start, end = ctx.period(target)
    threshold = ctx.threshold_for(target)
    if threshold is None:
        return [_no_threshold(target, ctx)]
    prev_start, prev_end = start.replace(year=start.year - 1), end.replace(year=end.year - 1)
    now_series = _series_so_far(ctx, [pollutant], start, end)
    before_series = county_series(ctx, [pollutant], prev_start, prev_end)
    now = annual(now_series, pollutant, start.year) if now_series is not None else None
    before = annual(before_series, pollutant, prev_start.year) if before_series is not None else None
    if now is None or now_series is None:
        return [_no_data(target, ctx, pollutant, start, end)]
    if before is None or before_series is None:
        return [_no_data(target, ctx, f"{prev_start.year}年（上年）{pollutant}", prev_start, prev_end)]
    unit = _unit(pollutant)
    u = format_unit(unit)
    limit = limit_in(threshold, "percent")
    details: dict[str, Any] = {
        "current": _annual_details(now, now_series),
        "previous": _annual_details(before, before_series),
        "compared": "change of the GB/T 8170-rounded annual means, rounded to 0.1 %",
    }
    of_rounded = (
        (now.value - before.value) / before.value * 100.0 if now.value is not None and before.value else None
    )
    of_unrounded = (now.raw - before.raw) / before.raw * 100.0 if before.raw and now.raw is not None else None
    details["computation"] = computation(
        period=str(start.year),
        statistic="annual_mean_change_on_previous_year",
        n=now.valid_days,
        n_of="valid_days",
        value=None if of_rounded is None else float(round_gbt8170(of_rounded, 1)),
        value_raw=of_unrounded,
        unit="%",
        rounding="annual means GB/T 8170 to the reporting precision, then the change GB/T 8170 to 0.1 %",
        rule_zh=f"HJ 663-2013 年均值（修约后）同比：（{now.year}年 − {before.year}年）/ {before.year}年 × 100%；两年均须满足"
        f"有效性（≥{hj663.MIN_DAYS_PER_YEAR}个有效日，每月≥{hj663.MIN_DAYS_PER_MONTH}个，2月≥{hj663.MIN_DAYS_FEBRUARY}个）；"
        f"{threshold.comparator.value} {limit:+g}%",
        rule_en=f"HJ 663-2013 annual means (rounded), year on year: ({now.year} − {before.year}) / {before.year} × 100 %; "
        f"both years valid (≥ {hj663.MIN_DAYS_PER_YEAR} valid days, ≥ {hj663.MIN_DAYS_PER_MONTH} a month, "
        f"{hj663.MIN_DAYS_FEBRUARY} in February); {threshold.comparator.value} {limit:+g} %",
        n_previous=before.valid_days,
        change_of_rounded_means=of_rounded,
        current=now.value,
        current_raw=now.raw,
        previous=before.value,
        previous_raw=before.raw,
        valid=now.valid and before.valid,
        limit=limit,
        comparator=threshold.comparator.value,
    )
    pair = f"{before.year}年 {_fmt(before.value, before.decimals)} → {now.year}年 {_fmt(now.value, now.decimals)} {u}"
    pair_en = f"{before.year} {_fmt(before.value, before.decimals)} → {now.year} {_fmt(now.value, now.decimals)} {u}"
    cmp = f"{threshold.comparator.value} {limit:+g}%"
    problems_zh = [f"{r.year}年{r.reason_zh()}" for r in (before, now) if not r.valid]
    problems_en = [f"{r.year}: {r.reason_en()}" for r in (before, now) if not r.valid]
    provisional = ctx.as_of < end
    if provisional:
        problems_zh.append(f"评价期至{end}未结束")
        problems_en.append(f"the period runs until {end}")
    raw_change = None
    if before.raw and now.raw is not None:
        raw_change = (now.raw - before.raw) / before.raw * 100.0
    common: dict[str, Any] = {
        "value_raw": raw_change,
        "limit": limit,
        "unit": "%",
        "period": str(start.year),
        "details": details,
        "evidence": now_series.evidence,
        "standard": STANDARD,
    }
    if problems_zh or before.value is None or now.value is None or before.value == 0:
        if before.value == 0:
            problems_zh.append("上年年均值修约后为0，无法计算同比")
            problems_en.append("previous-year mean rounds to 0; no relative change")
        return [
            insufficient_data(
                target,
                ctx,
                f"{'；'.join(problems_zh)}；{pair}",
                f"{'; '.join(problems_en)}; {pair_en}",
                **common,
            )
        ]
    change = float(round_gbt8170((now.value - before.value) / before.value * 100.0, 1))
    ok = threshold.comparator.holds(change, limit)
    return [
        ctx.finding(
            target,
            status=status_of(ok),
            value=change,
            **common,
            message_zh=f"{target.title_zh}：同比 {change:+.1f}%（{pair}，按修约后年均值计算），要求 {cmp}；"
            f"{now_series.describe_zh()}",
            message_en=f"{target.title_en}: year on year {change:+.1f}% ({pair_en}, from the rounded annual means), "
            f"required {cmp}; {now_series.describe_en()}",
        )
    ]


# --------------------------------------------------------------------------- composite index rank
def _number(raw: Any, where: str) -> float:
    if isinstance(raw, bool):
        raise DataError(f"{where}: expected a composite index (a number), got {raw!r}", column=where)
    if isinstance(raw, (int, float)):
        return float(raw)
    if isinstance(raw, Quantity) and raw.dimensionless:
        return float(raw.m_as("dimensionless"))
    try:
        return float(str(raw).strip())
    except ValueError:
        raise DataError(
            f"{where}: expected a composite index (a number), got {raw!r}", column=where
        ) from None


def _county_table(ctx: EvalContext, key: str, year: int) -> tuple[dict[str, float], list[str]]:
    """The user's table of county indices (values mapping and county_index records), and its sources."""
    table: dict[str, float] = {}
    sources: list[str] = []
    inv = ctx.inventory
    if inv is None:
        return table, sources
    raw = inv.values.get(key)
    if raw is not None:
        if not isinstance(raw, Mapping):
            raise DataError(
                f"values.{key} must map county names to composite indices", column=f"values.{key}"
            )
        for name, value in raw.items():
            table[str(name).strip()] = _number(value, f"values.{key}.{name}")
        sources.append(f"values.{key}")
    for record in inv.by_kind(COUNTY_INDEX_KIND):
        period = record.get("period", record.get("year"))
        if period is not None and str(period).strip() not in ("", str(year)):
            continue
        name = str(record.get("county", record.get("name", record.id))).strip()
        value = record.get("composite_index", record.get("index"))
        if value is None:
            raise DataError(
                f"{record.source}: a county_index record needs 'composite_index'", column="composite_index"
            )
        table.setdefault(name, _number(value, record.source))
        sources.append(record.source)
    return table, sources


@evaluator(CompositeIndexRankParams)
def evaluate_composite_index_rank(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Leave the bottom ``exit_bottom`` of ``counties`` counties by composite index (larger = worse)."""
    target = _as_target(item)
    params = ctx.params_of(target, CompositeIndexRankParams)
    counties, bottom, key = params.counties, params.exit_bottom, params.table_key
    start, end = ctx.period(target)
    year = start.year
    table, sources = _county_table(ctx, key, year)
    own_name = next((n for n in table if normalise_name(n) in _COUNTY_KEYS), None)
    series = _series_so_far(ctx, AIR_POLLUTANTS, start, end)
    record = annual_all(series, year) if series is not None else None
    computed = record["composite_index"] if record is not None else None
    computed_valid = bool(record and record["valid"] and ctx.as_of >= end)
    details: dict[str, Any] = {
        "counties_in_table": len(table),
        "counties_in_plan": counties,
        "exit_bottom": bottom,
        "table_sources": sources[:20],
        "computed_index": computed,
        "computed_valid": computed_valid,
        "computed_statistics": None
        if record is None
        else {k: record[k] for k in ("SO2", "NO2", "PM10", "PM2.5", "CO_p95", "O3_8h_p90")},
        **({} if series is None else series.details()),
    }
    if own_name is not None:
        own, own_from = table[own_name], f"values/records: {own_name}"
        if computed is not None and abs(computed - own) > 0.01:
            details["note"] = (
                f"the table gives {own:.2f}, the county's own data give {computed:.2f}; the table is used"
            )
    elif computed is not None and computed_valid:
        own_name, own, own_from = "新绛县", float(computed), "computed from the county series (HJ 663)"
        table[own_name] = own
    else:
        own_name, own, own_from = None, math.nan, ""
    details["county_index_source"] = own_from
    details["computation"] = _rank_computation(
        year,
        record=record,
        table=table,
        own_name=own_name,
        own=own,
        own_from=own_from,
        counties=counties,
        bottom=bottom,
        computed_valid=computed_valid,
    )
    missing: list[str] = []
    missing_en: list[str] = []
    if not table or (own_name is not None and len(table) == 1):
        missing.append(
            f"全省各区县综合指数表（inventory values.{key}: {{县名: 指数}} 或 kind={COUNTY_INDEX_KIND} 记录）"
        )
        missing_en.append(
            f"the province's table of county composite indices (values.{key} or records of kind "
            f"{COUNTY_INDEX_KIND!r})"
        )
    if own_name is None:
        valid_data = computed is not None
        why = (
            "有效的全年数据（HJ 663 有效性或评价期未结束）"
            if valid_data
            else "县级或站点六项污染物全年有效数据"
        )
        missing.append(f"新绛县综合指数（表中条目或{why}）")
        missing_en.append(
            "the county's own index (a table entry, or a valid year of its six pollutants"
            + (": the year is not valid or not over)" if valid_data else ")")
        )
    if missing:
        computed_zh = f"；本县数据计算的综合指数 {computed:.2f}" if computed is not None else ""
        computed_en = f"; index from the county's data {computed:.2f}" if computed is not None else ""
        return [
            insufficient_data(
                target,
                ctx,
                f"缺少{'；'.join(missing)}{computed_zh}",
                f"missing {'; '.join(missing_en)}{computed_en}",
                value=None,
                limit=float(bottom),
                period=str(year),
                details={**details, "missing": missing},
                standard=_RANK_STANDARD,
            )
        ]
    assert own_name is not None
    r = ranking.rank(table, own_name)
    complete = r.count >= counties
    outside = r.outside_bottom(bottom)
    details.update(
        {
            "index": r.index,
            "from_worst": r.from_worst,
            "from_best": r.from_best,
            "count": r.count,
            "tied_with": list(r.tied_with),
            "complete_table": complete,
        }
    )
    details["computation"] = {
        **details["computation"],
        "value": float(r.from_worst),
        "value_raw": r.index,
        "counties_ranked": r.count,
    }
    place = f"综合指数 {r.index:.2f}，{r.count}个区县中倒数第{r.from_worst}位（正数第{r.from_best}位）"
    place_en = f"composite index {r.index:.2f}: {r.from_worst} from the worst, {r.from_best} from the best of {r.count}"
    if outside:
        status = Status.MET
    elif complete:
        status = Status.NOT_MET
    else:
        status = Status.INSUFFICIENT_DATA
    note_zh = "" if complete else f"；表中仅{r.count}个区县（计划为{counties}个）"
    note_en = "" if complete else f"; the table has {r.count} counties (the plan ranks {counties})"
    return [
        ctx.finding(
            target,
            status=status,
            value=float(r.from_worst),
            limit=float(bottom),
            unit="",
            period=str(year),
            details=details,
            standard=_RANK_STANDARD,
            message_zh=f"{target.title_zh}：{place}，要求退出后{bottom}位（倒数位次 > {bottom}）{note_zh}",
            message_en=f"{target.title_en}: {place_en}; required outside the bottom {bottom} "
            f"(rank from the worst > {bottom}){note_en}",
        )
    ]


def _rank_computation(
    year: int,
    *,
    record: Mapping[str, Any] | None,
    table: Mapping[str, float],
    own_name: str | None,
    own: float,
    own_from: str,
    counties: int,
    bottom: int,
    computed_valid: bool,
) -> dict[str, Any]:
    """``details.computation`` of the composite-index rank: the index and where it comes from."""
    n_days = None if record is None else int(min(record["valid_days_by_pollutant"].values(), default=0))
    return computation(
        period=str(year),
        statistic="rank_from_the_worst_by_composite_index",
        n=len(table),
        n_of="records",
        value=None,
        value_raw=None if own_name is None else own,
        rounding="composite index to 2 decimals (环办监测〔2018〕19号); equal indices share a rank",
        rule_zh=f"综合指数 = SO2/60 + NO2/40 + PM10/70 + PM2.5/35 + CO第95百分位/4 + O3-8h第90百分位/160（修约后浓度，"
        f"环办监测〔2018〕19号）；按指数从大到小排名，须退出后{bottom}位；全省{counties}个区县；本县指数来源：{own_from or '无'}",
        rule_en="composite index = SO2/60 + NO2/40 + PM10/70 + PM2.5/35 + CO p95/4 + O3-8h p90/160 (rounded "
        f"concentrations, 环办监测〔2018〕19号); ranked from the worst, must be outside the bottom {bottom}; "
        f"{counties} counties; the county's index from: {own_from or 'none'}",
        computed_from_series=None if record is None else record.get("composite_index"),
        computed_valid=computed_valid,
        computed_valid_days=n_days,
        limit=float(bottom),
        comparator=">",
    )


# --------------------------------------------------------------------------- heavy-pollution days
def _supplied_limit(ctx: EvalContext, key: str) -> tuple[Comparator, float] | None:
    if ctx.inventory is None or key not in ctx.inventory.values:
        return None
    raw = ctx.inventory.values[key]
    if isinstance(raw, str):
        comparator, number = split_limit(raw)
        return comparator or Comparator.LE, _number(number, f"values.{key}")
    return Comparator.LE, _number(raw, f"values.{key}")


@evaluator(HeavyPollutionDaysParams)
def evaluate_heavy_pollution_days(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Days with daily AQI > 200 (HJ 633 重度/严重污染) of the county series, counted and reported."""
    target = _as_target(item)
    start, end = ctx.period(target)
    until = min(end, ctx.as_of)
    series = _series_so_far(ctx, AIR_POLLUTANTS, start, end, require=())
    if series is None or not len(series):
        return [_no_data(target, ctx, "六项污染物（SO2、NO2、PM10、PM2.5、CO、O3）", start, end)]
    present = {p: v for p, v in series.values.items() if np.isfinite(v).any()}
    records = hj633.frame_aqi(series.site, series.time, present, kind="daily")
    first, last = start.isoformat(), until.isoformat()
    records = [r for r in records if first <= r["time"] <= last]
    heavy = [r for r in records if r["aqi"] is not None and r["aqi"] > 200]
    by_level = {5: sum(r["level"] == 5 for r in heavy), 6: sum(r["level"] == 6 for r in heavy)}
    with_aqi = sum(r["aqi"] is not None for r in records)
    n_days = (until - start).days + 1
    short = _short_months(records, start, until)
    # HJ 663 validity of a year of daily values (GB 3095 Table 4): a count of days is "met" only on a
    # year whose days are there; more heavy days than allowed is "not met" whatever is missing.
    valid_year = until == end and with_aqi >= hj663.MIN_DAYS_PER_YEAR and not short
    count = float(len(heavy))
    limit_key = ctx.params_of(target, HeavyPollutionDaysParams).limit_key
    supplied = _supplied_limit(ctx, limit_key)
    details: dict[str, Any] = {
        "days": [
            {"date": r["time"], "aqi": r["aqi"], "primary_pollutant": r["primary_pollutant"]} for r in heavy
        ],
        "heavy_days_level_5": by_level[5],
        "severe_days_level_6": by_level[6],
        "days_with_aqi": with_aqi,
        "days_in_period": n_days,
        "missing_pollutants": [p for p in AIR_POLLUTANTS if p not in present],
        "short_months": short,
        "valid": valid_year,
        **series.details(),
    }
    supplied_first = _supplied_limit(ctx, limit_key)
    details["computation"] = computation(
        period=str(start.year),
        statistic="days_with_daily_aqi_above_200",
        n=with_aqi,
        n_of="valid_days",
        value=count,
        value_raw=count,
        unit="天",
        rounding="IAQI rounded up from unrounded daily concentrations (HJ 633; docs/standards/aqi.md)",
        rule_zh="HJ 633：日AQI>200（重度、严重污染）的天数；日AQI按HJ 633-2012日报（6项污染物日均值、O3日最大1小时和8小时），"
        f"日均值需≥20个有效小时；全年须≥{hj663.MIN_DAYS_PER_YEAR}天有日AQI且每月≥{hj663.MIN_DAYS_PER_MONTH}天"
        f"（2月≥{hj663.MIN_DAYS_FEBRUARY}天）方可判定达标",
        rule_en="HJ 633: days with daily AQI > 200 (heavy and severe); the daily AQI of the HJ 633-2012 daily report "
        "(24-h means, O3 daily maximum 1-h and 8-h), a daily mean needs ≥ 20 valid hours; met only on a year with "
        f"≥ {hj663.MIN_DAYS_PER_YEAR} days with an AQI and ≥ {hj663.MIN_DAYS_PER_MONTH} every month "
        f"({hj663.MIN_DAYS_FEBRUARY} in February)",
        valid=valid_year,
        days_in_period=n_days,
        short_months=short,
        **(
            {"limit": supplied_first[1], "comparator": supplied_first[0].value}
            if supplied_first is not None
            else {}
        ),
    )
    counted = (
        f"{start.year}年（至{until}）重污染天数（日AQI>200）{len(heavy)}天（重度污染{by_level[5]}天、"
        f"严重污染{by_level[6]}天），有AQI的天数 {with_aqi}/{n_days}；{series.describe_zh()}"
    )
    counted_en = (
        f"{len(heavy)} heavy-pollution days (daily AQI > 200) in {start.year} up to {until} "
        f"({by_level[5]} heavy, {by_level[6]} severe); AQI available on {with_aqi}/{n_days} days; "
        f"{series.describe_en()}"
    )
    common: dict[str, Any] = {
        "value": count,
        "unit": "天",
        "period": str(start.year),
        "details": details,
        "evidence": series.evidence,
        "standard": "HJ 633-2012",
    }
    if supplied is None:
        return [
            ctx.finding(
                target,
                status=Status.NOT_APPLICABLE,
                **common,
                message_zh=f"{target.title_zh}：{counted}；计划未设天数限值（如有上级下达的限值，可在 values.{limit_key} 提供）",
                message_en=f"{target.title_en}: {counted_en}; the plan sets no limit (a limit handed down can be "
                f"supplied as values.{limit_key})",
            )
        ]
    comparator, limit = supplied
    ok = comparator.holds(count, limit)
    provisional = ctx.as_of < end
    status = Status.MET if ok and valid_year else Status.NOT_MET if not ok else Status.INSUFFICIENT_DATA
    why_zh = why_en = ""
    if status is Status.INSUFFICIENT_DATA and not provisional:
        months = f"，有效日数不足的月份：{'、'.join(short)}" if short else ""
        months_en = f"; months short of valid days: {', '.join(short)}" if short else ""
        why_zh = f"；有日AQI的天数不满足HJ 663年度有效性（≥{hj663.MIN_DAYS_PER_YEAR}天，每月≥{hj663.MIN_DAYS_PER_MONTH}天）{months}"
        why_en = (
            f"; the days with an AQI do not make a valid HJ 663 year (≥ {hj663.MIN_DAYS_PER_YEAR}, "
            f"≥ {hj663.MIN_DAYS_PER_MONTH} a month){months_en}"
        )
    return [
        ctx.finding(
            target,
            status=status,
            limit=limit,
            **common,
            message_zh=f"{target.title_zh}：{counted}；要求 {comparator.value} {_fmt(limit)} 天（用户提供 values.{limit_key}）{why_zh}",
            message_en=f"{target.title_en}: {counted_en}; required {comparator.value} {_fmt(limit)} days "
            f"(user-supplied values.{limit_key}){why_en}",
        )
    ]


def _short_months(records: Sequence[Mapping[str, Any]], start: dt.date, until: dt.date) -> list[str]:
    """Months between ``start`` and ``until`` (whole months only) with too few days with a daily AQI."""
    counts: dict[str, int] = {}
    for r in records:
        if r["aqi"] is not None:
            counts[r["time"][:7]] = counts.get(r["time"][:7], 0) + 1
    out: list[str] = []
    year, month = start.year, start.month
    while True:
        last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        if last > until:
            return out
        label = f"{year:04d}-{month:02d}"
        need = hj663.MIN_DAYS_FEBRUARY if month == 2 else hj663.MIN_DAYS_PER_MONTH
        if counts.get(label, 0) < need:
            out.append(label)
        year, month = year + (month == 12), month % 12 + 1


TARGET_EVALUATORS: dict[str, Evaluator] = {
    "air_annual_mean": evaluate_annual_mean,
    "air_yoy_change": evaluate_yoy_change,
    "composite_index_rank": evaluate_composite_index_rank,
    "heavy_pollution_days": evaluate_heavy_pollution_days,
    "air_binding_indicators": evaluate_binding_indicators,
}

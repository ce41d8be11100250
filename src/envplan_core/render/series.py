"""The series behind a finding, for charts: daily or monthly values, the limit, the period statistic and
the values that exceed it.

Findings carry a value and a limit, and some evaluators put the series they judged in ``details``
(``periods`` of a monthly statistic, ``monthly_classes`` of a section, ``samples_per_month`` of an
outfall, the heavy-pollution ``days``). Where the details do not hold the series, it is recomputed here,
on the core side, from the observations the evaluation read, for:

* targets with an air ``parameter`` (the six HJ 663 pollutants) and a ``subject`` (the county or a
  site): the HJ 663 daily values (24-h means; O3 the daily maximum 8-h mean) of the subject — for the
  county the county rows, or else per hour the mean of the plan's ``station`` sites, as HJ 663 and the
  air plan do — with monthly means beside them;
* surface-water class findings naming ``limiting`` parameters, and effluent findings naming
  ``failing_samples``: the samples of those parameters at the site against the GB 3838-2002 limit of
  the class aimed at;
* outfall findings naming ``exceedances``: the samples of that parameter at the outfall against its limit.

Anything else with a numeric value and limit (counts, rates) gets a bar of the value against the limit.
Nothing here changes a finding; a chart that cannot be drawn is left out, never guessed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.findings import Finding
from envplan_core.model import Comparator, Plan, Rule, Target
from envplan_core.parameters import normalise_name
from envplan_core.render.document import fmt_number
from envplan_core.sites import COUNTY_NAMES

if TYPE_CHECKING:
    from envplan_core.catalog import Catalog
    from envplan_core.data.observations import ObservationSet

__all__ = ["CLASS_NAMES", "Chart", "Point", "finding_charts", "holds", "symbol"]

CLASS_NAMES: tuple[str, ...] = ("I", "II", "III", "IV", "V", "劣V")
_CLASS_ZH = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "劣V": "劣Ⅴ"}
_AIR = ("SO2", "NO2", "PM10", "PM2.5", "CO", "O3")
_HEAVY_AQI = 200.0
_STATISTIC = {
    "annual_mean": "年均值 annual mean",
    "annual_p95": "第95百分位数 95th percentile",
    "annual_p90": "第90百分位数 90th percentile",
}


@attrs.frozen
class Point:
    """One value of a series: ``x`` is an ISO day or month; ``value`` None where there is no value."""

    x: str
    value: float | None
    exceeds: bool = False
    label: str = ""


@attrs.frozen
class Chart:
    """A series against its limit, ready to draw (:mod:`envplan_core.render.svg`) and to tabulate.

    ``kind``: ``line`` (daily values or samples, points joined), ``bar`` (one value per month),
    ``class`` (water classes on an ordinal axis Ⅰ…劣Ⅴ, values are class codes 1…6) or ``bullet`` (one
    value against the limit). ``comparator`` says how a value meets the limit (``<=``: at most).
    """

    title: str
    kind: str
    unit: str
    points: tuple[Point, ...]
    series_label: str
    overlay: tuple[Point, ...] = ()
    overlay_label: str = ""
    limit: float | None = None
    limit_label: str = ""
    comparator: str = "<="
    statistic: float | None = None
    statistic_label: str = ""
    table_columns: tuple[str, ...] = ()
    table_rows: tuple[tuple[str, ...], ...] = ()
    source: str = ""

    @property
    def exceedances(self) -> int:
        return sum(p.exceeds for p in self.points)


def holds(comparator: str, value: float, limit: float) -> bool:
    """True when ``value`` meets ``limit`` under ``comparator`` (unknown comparators: at most)."""
    try:
        return Comparator(comparator).holds(value, limit)
    except ValueError:
        return value <= limit


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def _fmt(value: float | None) -> str:
    return "" if value is None else fmt_number(round(value, 4))


def _fmt1(value: float) -> str:
    return fmt_number(round(value, 1))


def _class_code(name: Any) -> int | None:
    text = str(name or "").replace("Ⅰ", "I").replace("Ⅱ", "II").replace("Ⅲ", "III")
    text = text.replace("Ⅳ", "IV").replace("Ⅴ", "V").removesuffix("类").strip()
    return CLASS_NAMES.index(text) + 1 if text in CLASS_NAMES else None


# -- lookups in the catalog ---------------------------------------------------------------------------


def _plan(catalog: Catalog | None, plan_id: str) -> Plan | None:
    if catalog is None:
        return None
    return next((p for p in catalog.plans if p.id == plan_id), None)


def _item(plan: Plan | None, item_id: str) -> Target | Rule | None:
    if plan is None:
        return None
    items: tuple[Target | Rule, ...] = (*plan.targets, *plan.rules)
    return next((i for i in items if i.id == item_id), None)


def _comparator(item: Any, finding: Finding | None = None) -> str:
    """The item's comparator; for an item without a threshold (a limit supplied with the data), the
    one the finding's status implies (a value below its limit that is not met was to be at least it)."""
    thresholds = getattr(item, "thresholds", ()) or ()
    if thresholds and thresholds[-1].comparator.value != "class<=":
        return str(thresholds[-1].comparator.value)
    if finding is not None:
        value, limit = _num(finding.value), _num(finding.limit)
        if value is not None and limit is not None and value != limit:
            failed = finding.status.value == "not_met"
            return ">=" if (value < limit) == failed else "<="
    return "<="


_SYMBOL = {"<=": "≤", ">=": "≥", "==": "=", "class<=": "≤"}


def symbol(comparator: str) -> str:
    """``<=`` → ``≤``."""
    return _SYMBOL.get(comparator, comparator)


# -- observations ------------------------------------------------------------------------------------


def _site_codes(obs: ObservationSet, names: Sequence[str]) -> npt.NDArray[np.int32]:
    keys = {normalise_name(n) for n in names if n}
    return np.asarray([i for i, s in enumerate(obs.sites) if normalise_name(s) in keys], dtype=np.int32)


def _subject_names(plan: Plan | None, subject: str, label: str = "") -> list[str]:
    """Names observation rows may use for a target's subject (a site id, or a site's Chinese name)."""
    names = [subject, label]
    if plan is not None:
        for site in plan.sites:
            if subject in (site.id, site.name_zh) or (label and label in (site.id, site.name_zh)):
                names += [site.id, site.name_zh, site.name_en, *site.aliases]
    return [n for n in names if n]


def _period(item: Any, plan: Plan, as_of: dt.date) -> tuple[dt.date, dt.date] | None:
    from envplan_core.context import period_bounds

    try:
        start, end = period_bounds(getattr(item, "period", "") or "", plan.year)
    except ValueError:
        return None
    end = min(end, as_of)
    return (start, end) if end >= start else None


def _air_daily(
    obs: ObservationSet, codes: npt.NDArray[np.int32], pollutant: str, start: dt.date, end: dt.date
) -> tuple[list[dt.date], npt.NDArray[np.float64]] | None:
    """HJ 663 daily values of the mean of ``codes``' sites (per hour), NaN where a day is not valid."""
    from envplan_core.analysis.air import air_columns
    from envplan_core.standards import hj663

    if codes.size == 0:
        return None
    rows = obs.select(sites=codes, parameters=[pollutant], start=start, end=end + dt.timedelta(days=1))
    if not len(rows):
        return None
    cols = air_columns(rows, pollutants=[pollutant])
    if not len(cols) or pollutant not in cols.values:
        return None
    c_codes, c_times, c_values = hj663.county_series(cols.site, cols.time, cols.values, county=-1)
    if c_codes.size == 0:
        return None
    grid = hj663.hourly_grid(c_codes, c_times, c_values, align="day")
    daily = hj663.mda8(grid.values[pollutant]) if pollutant == "O3" else hj663.daily_means(grid.values[pollutant])
    values = np.asarray(daily.valid_values()[0], dtype=np.float64)
    days = [dt.date.fromisoformat(str(d)) for d in grid.days()]
    keep = [i for i, d in enumerate(days) if start <= d <= end]
    return [days[i] for i in keep], values[keep]


def _county_codes(obs: ObservationSet, plan: Plan, pollutant: str) -> npt.NDArray[np.int32]:
    direct = _site_codes(obs, COUNTY_NAMES)
    if direct.size and len(obs.select(sites=direct, parameters=[pollutant])):
        return direct
    stations = [n for s in plan.sites if s.kind == "station" for n in (s.id, s.name_zh, s.name_en, *s.aliases)]
    return _site_codes(obs, stations)


def _monthly(days: Sequence[dt.date], values: npt.NDArray[np.float64]) -> list[tuple[str, list[float]]]:
    out: dict[str, list[float]] = {}
    for d, v in zip(days, values.tolist(), strict=True):
        bucket = out.setdefault(d.strftime("%Y-%m"), [])
        if math.isfinite(v):
            bucket.append(v)
    return list(out.items())


def _daily_chart(
    f: Finding,
    target: Target,
    plan: Plan,
    obs: ObservationSet,
    as_of: dt.date,
) -> Chart | None:
    pollutant = target.parameter
    bounds = _period(target, plan, as_of)
    if bounds is None:
        return None
    start, end = bounds
    codes = (
        _county_codes(obs, plan, pollutant)
        if target.subject == "county"
        else _site_codes(obs, _subject_names(plan, target.subject))
    )
    series = _air_daily(obs, codes, pollutant, start, end)
    if series is None:
        return None
    days, values = series
    unit = "mg/m³" if pollutant == "CO" else "µg/m³"
    limit = _num(f.limit)
    statistic = _num(f.value_raw) if f.value_raw is not None else _num(f.value)
    comparator = _comparator(target, f)
    year = f.period if len(f.period) == 4 else str(plan.year)
    named = _STATISTIC.get(target.statistic, target.statistic or "统计值 statistic")
    stat_label = f"{named} {_fmt(_num(f.value))}（{year}）"
    source = "日均值：站点逐时均值的24小时平均（HJ 663）" if pollutant != "O3" else "日最大8小时平均 MDA8（HJ 663）"
    if target.statistic == "yoy_change":
        limit, stat_label, statistic, extra = _yoy_level(f)
        comparator = "<="
        source += extra
    elif limit is not None and target.statistic == "annual_mean":
        source += "；年均值限值画作参照线，高于它的日均值标红 days above the annual limit in red"
    points = tuple(
        Point(
            x=d.isoformat(),
            value=v if math.isfinite(v) else None,
            exceeds=bool(limit is not None and math.isfinite(v) and not holds(comparator, v, limit)),
        )
        for d, v in zip(days, values.tolist(), strict=True)
    )
    months = _monthly(days, values)
    overlay = tuple(
        Point(x=m, value=sum(vs) / len(vs) if vs else None)
        for m, vs in months
    )
    rows = []
    for m, vs in months:
        above = sum(1 for v in vs if limit is not None and not holds(comparator, v, limit))
        rows.append(
            (
                m,
                str(len(vs)),
                _fmt1(sum(vs) / len(vs)) if vs else "—",
                _fmt1(max(vs)) if vs else "—",
                str(above) if limit is not None else "—",
            )
        )
    return Chart(
        title=f"{pollutant} {f.subject} {start.isoformat()}–{end.isoformat()}",
        kind="line",
        unit=unit,
        points=points,
        series_label=("日最大8小时平均 MDA8" if pollutant == "O3" else "日均值 daily mean"),
        overlay=overlay,
        overlay_label="月均值 monthly mean",
        limit=limit,
        limit_label=f"限值 limit {symbol(comparator)} {_fmt(limit)} {unit}" if limit is not None else "",
        comparator=comparator,
        statistic=statistic,
        statistic_label=stat_label,
        table_columns=("月份 Month", "有效日 Valid days", "月均值 Mean", "最大日值 Max", "超限日 Days above"),
        table_rows=tuple(rows),
        source=source,
    )


def _yoy_level(f: Finding) -> tuple[float | None, str, float | None, str]:
    """For a year-on-year change target: the limit as a concentration (previous annual mean × (1 +
    limit %)), the statistic label and value (this year's annual mean)."""
    from envplan_core.standards.rounding import round_value

    details = f.details
    current = details.get("current") if isinstance(details.get("current"), Mapping) else None
    previous = details.get("previous") if isinstance(details.get("previous"), Mapping) else None
    limit = _num(f.limit)
    cur = _num(current.get("unrounded")) if current else None
    prev = _num(previous.get("unrounded")) if previous else None
    if prev is None or limit is None:
        return None, "", cur, ""
    level = round_value(prev) * (1 + limit / 100)
    year = current.get("year", "") if current else ""
    label = f"{year}年均值 annual mean {_fmt(round_value(cur)) if cur is not None else '—'}"
    extra = (
        f"；限值线 = 上年年均值 {_fmt(round_value(prev))} × (1 {'+' if limit >= 0 else '−'} {_fmt(abs(limit))}%)"
        f" = {_fmt(level)} limit line: previous annual mean changed by {_fmt(limit)} %"
    )
    return level, label, cur, extra


def _sample_chart(
    f: Finding,
    obs: ObservationSet,
    *,
    site_names: Sequence[str],
    parameter: str,
    limit: float | None,
    comparator: str,
    unit: str,
    start: dt.date,
    end: dt.date,
    limit_label: str,
) -> Chart | None:
    codes = _site_codes(obs, site_names)
    if codes.size == 0:
        return None
    rows = obs.select(sites=codes, parameters=[parameter], start=start, end=end + dt.timedelta(days=1))
    if not len(rows):
        return None
    order = np.argsort(rows.time, kind="stable")
    values = rows.stat_values()[order]
    times = rows.time[order].astype("datetime64[D]").astype(str)
    censored = rows.censored[order]
    points = []
    table = []
    for day, v, nd in zip(times.tolist(), values.tolist(), censored.tolist(), strict=True):
        bad = bool(limit is not None and not holds(comparator, v, limit))
        points.append(Point(x=str(day), value=float(v), exceeds=bad, label="ND" if nd else ""))
        table.append((str(day), _fmt(float(v)) + ("（未检出，按检出限一半 ND at half DL）" if nd else ""),
                      ("超限 above" if bad else "") if limit is not None else "—"))
    return Chart(
        title=f"{parameter} {f.subject} {start.isoformat()}–{end.isoformat()}",
        kind="line",
        unit=unit,
        points=tuple(points),
        series_label=f"{parameter} 监测值 samples",
        limit=limit,
        limit_label=limit_label,
        comparator=comparator,
        table_columns=("日期 Date", f"{parameter} ({unit})", "超限 Exceeds"),
        table_rows=tuple(table),
        source="监测值取自观测文件 samples from the observation file",
    )


def _gb3838_limit(parameter: str, target_class: str, water_body_type: str) -> tuple[float | None, str]:
    from envplan_core.errors import DataError
    from envplan_core.standards import gb3838

    code = _class_code(target_class)
    try:
        ladder = gb3838.class_limits(parameter, water_body_type=water_body_type or "river")
    except DataError:
        return None, "<="
    if ladder is None or code is None or code > 5 or ladder.comparison == "range":
        return None, "<="
    return float(ladder.limits[code - 1]), (">=" if ladder.comparison == "min" else "<=")


def _water_parameter_charts(
    f: Finding, plan: Plan | None, obs: ObservationSet, as_of: dt.date
) -> list[Chart]:
    details = f.details
    parameters: list[str] = []
    limiting = details.get("limiting")
    if isinstance(limiting, Sequence) and not isinstance(limiting, str):
        parameters += [str(p) for p in limiting]
    failing = details.get("failing_samples")
    if isinstance(failing, Sequence) and not isinstance(failing, str):
        for sample in failing:
            if isinstance(sample, Mapping):
                parameters += [str(p.get("parameter")) for p in sample.get("parameters", ()) if isinstance(p, Mapping)]
    parameters = list(dict.fromkeys(p for p in parameters if p and p != "None"))
    if not parameters or plan is None:
        return []
    target_class = str(f.limit or "III")
    year = plan.year
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), as_of)
    names = _subject_names(plan, f.subject, f.subject)
    water_type = str(details.get("water_body_type") or "river")
    charts = []
    for p in parameters[:2]:
        limit, comparator = _gb3838_limit(p, target_class, water_type)
        unit = ""
        units = details.get("units")
        if isinstance(units, Mapping):
            unit = str(units.get(p, ""))
        unit = unit or "mg/L"
        label = f"GB 3838-2002 {_CLASS_ZH.get(target_class, target_class)}类限值 {symbol(comparator)} {_fmt(limit)} {unit}"
        chart = _sample_chart(
            f, obs, site_names=names, parameter=p, limit=limit, comparator=comparator, unit=unit, start=start,
            end=end, limit_label=label,
        )
        if chart is not None:
            charts.append(chart)
    return charts


def _outfall_chart(f: Finding, plan: Plan | None, obs: ObservationSet, as_of: dt.date) -> Chart | None:
    exceedances = f.details.get("exceedances")
    if not isinstance(exceedances, Sequence) or not exceedances or not isinstance(exceedances[0], Mapping):
        return None
    first = exceedances[0]
    parameter = str(first.get("parameter", ""))
    limit = _num(first.get("limit"))
    unit = str(first.get("unit", "") or f.unit)
    year = plan.year if plan is not None else as_of.year
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), as_of)
    names = [f.subject, str(f.details.get("outfall", ""))]
    label = f"排放限值 limit ≤ {_fmt(limit)} {unit}"
    return _sample_chart(
        f, obs, site_names=names, parameter=parameter, limit=limit, comparator="<=", unit=unit, start=start,
        end=end, limit_label=label,
    )


# -- series the details carry --------------------------------------------------------------------------


def _periods_chart(f: Finding, item: Any) -> Chart | None:
    periods = f.details.get("periods")
    if not isinstance(periods, Sequence) or not periods:
        return None
    limit = _num(f.limit)
    comparator = _comparator(item, f)
    points = []
    rows = []
    for p in periods:
        if not isinstance(p, Mapping):
            return None
        value = _num(p.get("value"))
        met = p.get("met")
        exceeds = met is False if isinstance(met, bool) else bool(
            value is not None and limit is not None and not holds(comparator, value, limit)
        )
        points.append(Point(x=str(p.get("period", "")), value=value, exceeds=exceeds))
        rows.append((str(p.get("period", "")), _fmt(value), "超限 above" if exceeds else "达标 met"))
    statistic = str(f.details.get("statistic", "") or "")
    return Chart(
        title=f"{f.id} {f.subject}",
        kind="bar",
        unit=f.unit,
        points=tuple(points),
        series_label="各时段值 value per period",
        limit=limit,
        limit_label=f"限值 limit {symbol(comparator)} {_fmt(limit)} {f.unit}" if limit is not None else "",
        comparator=comparator,
        statistic=_num(f.value),
        statistic_label=f"{statistic or '统计值 statistic'} {_fmt(_num(f.value))}",
        table_columns=("时段 Period", f"数值 Value ({f.unit})" if f.unit else "数值 Value", "判定 Result"),
        table_rows=tuple(rows),
        source="各时段值取自评估明细 values from the evaluation's details",
    )


def _class_chart(f: Finding) -> Chart | None:
    monthly = f.details.get("monthly_classes")
    if not isinstance(monthly, Mapping) or not monthly:
        return None
    limit = _class_code(f.limit)
    points = []
    for month, name in sorted(monthly.items()):
        code = _class_code(name)
        points.append(
            Point(x=str(month), value=float(code) if code else None, exceeds=bool(code and limit and code > limit),
                  label=_CLASS_ZH.get(str(name), str(name)))
        )
    annual = _class_code(f.value)
    return Chart(
        title=f"{f.id} {f.subject}",
        kind="class",
        unit="类 class",
        points=tuple(points),
        series_label="月度水质类别 monthly class",
        limit=float(limit) if limit else None,
        limit_label=f"目标 target ≤ {_CLASS_ZH.get(str(f.limit), str(f.limit))}类",
        comparator="<=",
        statistic=float(annual) if annual else None,
        statistic_label=f"年均值类别 class of the annual means {_CLASS_ZH.get(str(f.value), str(f.value))}类",
        table_columns=("月份 Month", "类别 Class", "判定 Result"),
        table_rows=tuple((p.x, p.label, "劣于目标 worse" if p.exceeds else "达标 met") for p in points),
        source="月度类别取自评估明细 monthly classes from the evaluation's details (GB 3838-2002)",
    )


def _months_chart(f: Finding) -> Chart | None:
    counts = f.details.get("samples_per_month")
    expected = f.details.get("expected_months")
    if not isinstance(counts, Mapping):
        return None
    months = [str(m) for m in expected] if isinstance(expected, Sequence) and not isinstance(expected, str) else []
    months = months or sorted(str(m) for m in counts)
    need = _num(f.details.get("min_samples_per_month")) or 1.0
    points = []
    for m in months:
        n = _num(counts.get(m)) or 0.0
        points.append(Point(x=m, value=n, exceeds=n < need))
    return Chart(
        title=f"{f.id} {f.subject}",
        kind="bar",
        unit="次 samples",
        points=tuple(points),
        series_label="每月监测次数 samples per month",
        limit=need,
        limit_label=f"每月至少 at least {_fmt(need)} 次",
        comparator=">=",
        statistic=_num(f.value),
        statistic_label=f"已监测月数 months monitored {_fmt(_num(f.value))}/{_fmt(_num(f.limit))}",
        table_columns=("月份 Month", "监测次数 Samples", "判定 Result"),
        table_rows=tuple((p.x, _fmt(p.value), "缺测 missing" if p.exceeds else "已监测 done") for p in points),
        source="每月次数取自评估明细 counts from the evaluation's details",
    )


def _days_chart(f: Finding) -> Chart | None:
    days = f.details.get("days")
    if not isinstance(days, Sequence) or not days or not all(isinstance(d, Mapping) and "aqi" in d for d in days):
        return None
    points = tuple(
        Point(x=str(d.get("date", "")), value=_num(d.get("aqi")), exceeds=(_num(d.get("aqi")) or 0) > _HEAVY_AQI,
              label=str(d.get("primary_pollutant", "")))
        for d in days
        if isinstance(d, Mapping)
    )
    return Chart(
        title=f"{f.id} {f.subject}",
        kind="line",
        unit="AQI",
        points=points,
        series_label="重污染日 AQI heavy-pollution days",
        limit=_HEAVY_AQI,
        limit_label="AQI 200（>200 重度及以上污染 heavy or worse, HJ 633）",
        comparator="<=",
        statistic=_num(f.value),
        statistic_label=f"重污染天数 days {_fmt(_num(f.value))}",
        table_columns=("日期 Date", "AQI", "首要污染物 Primary pollutant"),
        table_rows=tuple((p.x, _fmt(p.value), p.label) for p in points),
        source="重污染日取自评估明细 the heavy-pollution days of the evaluation's details",
    )


def _bullet_chart(f: Finding, item: Any) -> Chart | None:
    value, limit = _num(f.value), _num(f.limit)
    if value is None or limit is None:
        return None
    comparator = _comparator(item, f)
    exceeds = (
        f.status.value == "not_met" if f.status.value in ("met", "not_met") else not holds(comparator, value, limit)
    )
    return Chart(
        title=f"{f.id} {f.subject}",
        kind="bullet",
        unit=f.unit,
        points=(Point(x=f.period or "", value=value, exceeds=exceeds),),
        series_label="数值 value",
        limit=limit,
        limit_label=f"限值 limit {symbol(comparator)} {_fmt(limit)} {f.unit}".rstrip(),
        comparator=comparator,
        table_columns=("数值 Value", "限值 Limit", "单位 Unit", "判定 Result"),
        table_rows=((_fmt(value), f"{symbol(comparator)} {_fmt(limit)}", f.unit, "未达 not met" if exceeds else "达到 met"),),
        source="单个数值，无时间序列 a single value, no series",
    )


# -- entry point -----------------------------------------------------------------------------------------


def finding_charts(
    findings: Sequence[Finding],
    *,
    catalog: Catalog | None = None,
    observations: ObservationSet | None = None,
    as_of: dt.date | None = None,
) -> list[list[Chart]]:
    """The charts of each finding (aligned with ``findings``; an empty list where there is none).

    Targets get a chart whenever something can be drawn (a series, else value against limit); rules
    only when they carry a series; tasks none.
    """
    out: list[list[Chart]] = []
    for f in findings:
        charts: list[Chart] = []
        if f.kind != "task":
            plan = _plan(catalog, f.plan)
            item = _item(plan, f.id)
            day = as_of or dt.date.max
            for chart in (_periods_chart(f, item), _class_chart(f), _months_chart(f), _days_chart(f)):
                if chart is not None:
                    charts.append(chart)
            if observations is not None and len(observations):
                if isinstance(item, Target) and plan is not None and item.parameter in _AIR and not charts:
                    daily = _daily_chart(f, item, plan, observations, day)
                    if daily is not None:
                        charts.append(daily)
                charts.extend(_water_parameter_charts(f, plan, observations, day))
                outfall = _outfall_chart(f, plan, observations, day)
                if outfall is not None:
                    charts.append(outfall)
            if not charts and f.kind == "target":
                bullet = _bullet_chart(f, item)
                if bullet is not None:
                    charts.append(bullet)
        out.append(charts)
    return out

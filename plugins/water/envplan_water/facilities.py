"""Facilities the plan builds, and what they discharge.

- ``facilities_completed`` — records of a kind completed within the period (task 6: 11 village stations,
  the 南马村 and 西柳泉村 rebuilds);
- ``effluent_class`` — every effluent sample of the tail-water wetlands at or better than class Ⅲ
  ("稳定达", task 8); never ``met`` unless the decisive indicators were measured in the period
  (``params.decisive_indicators``, default 溶解氧, 高锰酸盐指数, 化学需氧量, 氨氮, 总磷).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.plugin import (
    EvalContext,
    Finding,
    ObservationSet,
    Record,
    Rule,
    Site,
    Status,
    Target,
    compare,
    computation,
    evaluator,
    insufficient_data,
    matches_where,
    no_threshold,
    status_of,
)
from envplan_core.standards import gb3838
from envplan_water._common import (
    DECISIVE_INDICATORS,
    RecordParams,
    class_label,
    class_limit,
    decisive_indicators,
    fmt,
    gb3838_rows,
    indicator_names_zh,
    param_unit,
    param_zh,
    parameter_means,
    period_label,
    sig,
    threshold_of,
)

__all__ = [
    "EffluentClassParams",
    "FacilitiesCompletedParams",
    "evaluate_effluent_class",
    "evaluate_facilities_completed",
]


@attrs.frozen
class FacilitiesCompletedParams(RecordParams):
    """Parameters of ``facilities_completed``.

    - ``kind``: the record kind; default the item's ``applies_to``;
    - ``where``: ``{field: value}`` a record must match to be counted (a list: one of the values);
    - ``exclude``: ``{field: value}`` a record must *not* match (e.g. ``{project: rebuild}``);
    - ``date_field``: the records' field holding the completion date (default ``completed``).
    """

    exclude: Mapping[str, Any] = attrs.field(factory=dict)
    date_field: str = "completed"


@evaluator(FacilitiesCompletedParams)
def evaluate_facilities_completed(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """How many records of ``params.kind`` matching ``params.where`` (and not ``params.exclude``) have their
    completion date (field ``params.date_field``, default ``completed``) within the period, up to
    ``as_of``; compared with the threshold (e.g. ``>= 11``). Before the period ends a shortfall is
    reported as provisional."""
    params = ctx.params_of(item, FacilitiesCompletedParams)
    kind = params.kind_or(str(getattr(item, "applies_to", "")))
    where, exclude, field = params.where, params.exclude, params.date_field
    threshold = threshold_of(ctx, item)
    start, end = ctx.period(item)
    stop = min(end, ctx.as_of)
    period = period_label(start, end)
    if ctx.inventory is None:
        return [
            insufficient_data(
                item,
                ctx,
                f"未提供清单数据（需要 kind={kind} 的记录及竣工日期 {field}）",
                f"no inventory given (needs records of kind {kind!r} with a completion date {field!r})",
                period=period,
                details={"missing": [kind]},
            )
        ]
    if threshold is None:
        return [no_threshold(item, ctx, period=period)]
    records = [
        r
        for r in ctx.inventory.by_kind(kind)
        if matches_where(r.fields, where) and not (exclude and matches_where(r.fields, exclude))
    ]
    done: list[Record] = []
    pending: list[dict[str, Any]] = []
    for r in records:
        when = r.fields.get(field)
        if isinstance(when, dt.date) and start <= when <= stop:
            done.append(r)
        else:
            pending.append(
                {
                    "id": r.id,
                    "name": str(r.fields.get("name", r.id)),
                    "status": str(r.fields.get("status", "")),
                    field: when.isoformat() if isinstance(when, dt.date) else when,
                }
            )
    count = float(len(done))
    ok, limit = compare(threshold, count)
    provisional = ctx.as_of < end
    names = "、".join(str(r.fields.get("name", r.id)) for r in done)
    open_zh = "、".join(f"{p['name']}（{p['status'] or '未完成'}）" for p in pending)
    prov_zh = f"；评价期未结束（截至{ctx.as_of}），结果为初步结果" if provisional and not ok else ""
    prov_en = f"; period not over on {ctx.as_of}: provisional" if provisional and not ok else ""
    return [
        ctx.finding(
            item,
            status=status_of(ok),
            value=count,
            limit=limit,
            unit="",
            period=period,
            message_zh=f"{item.title_zh}：{start}至{stop}建成{int(count)}个"
            + (f"（{names}）" if names else "")
            + f"，要求 {threshold.comparator.value} {fmt(limit)}"
            + (f"；未建成：{open_zh}" if open_zh else "")
            + prov_zh,
            message_en=f"{item.title_en}: {int(count)} completed {start}..{stop}, required "
            f"{threshold.comparator.value} {fmt(limit)}"
            + (f"; not completed: {', '.join(p['id'] for p in pending)}" if pending else "")
            + prov_en,
            evidence=[r.source for r in records],
            details={
                "completed": [r.id for r in done],
                "pending": pending,
                "provisional": provisional,
                "date_field": field,
                "computation": computation(
                    period=period,
                    statistic="count_completed",
                    n=len(records),
                    n_of="records",
                    value=count,
                    value_raw=count,
                    rule_zh=f"清单 kind={kind} 记录中 {field} 在 {start}至{stop} 之间的个数 "
                    f"{threshold.comparator.value} {fmt(limit)}",
                    rule_en=f"records of kind {kind!r} whose {field} is within {start}..{stop}, counted "
                    f"{threshold.comparator.value} {fmt(limit)}",
                    limit=limit,
                    comparator=threshold.comparator.value,
                ),
            },
        )
    ]


# cattrs would structure a bare string ``plant1`` as the tuple ("p", "l", …): the field takes the value as
# written (an attrs converter stops cattrs; numbers become ids) and its validator checks it by name.
def _as_written(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    return tuple(str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in value)


def _are_names(_: object, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
    if not (isinstance(value, tuple) and all(isinstance(v, str) for v in value)):
        raise TypeError(
            f"{attribute.name}: expected a list of site ids, e.g. [plant1, plant2], got {value!r}"
        )


@attrs.frozen
class EffluentClassParams:
    """Parameters of ``effluent_class``.

    - ``sites``: the ids of the plan sites whose effluent is judged; default every site of ``site_kind``;
    - ``site_kind``: the kind of plan site judged when ``sites`` is not given (default ``plant``);
    - ``decisive_indicators``: the assessment indicators that must be measured in the period before a
      plant's effluent can be ``met`` (default 溶解氧, 高锰酸盐指数, 化学需氧量, 氨氮, 总磷; ids or names).
    """

    sites: tuple[str, ...] = attrs.field(default=(), converter=_as_written, validator=_are_names)
    site_kind: str = "plant"
    decisive_indicators: tuple[str, ...] = attrs.field(default=DECISIVE_INDICATORS, converter=decisive_indicators)


def _row_classes(series: ObservationSet, water_body: str) -> npt.NDArray[np.int8]:
    """Class code of each row's value (0 for rows outside the 21 assessment indicators)."""
    values = series.stat_values()
    codes = np.zeros(len(series), dtype=np.int8)
    for code, pid in enumerate(series.parameters):
        if pid not in gb3838.ASSESSMENT_PARAMETERS:
            continue
        rows = series.parameter == code
        if rows.any():
            codes[rows] = gb3838.parameter_classes(pid, values[rows], water_body_type=water_body)
    return codes


@evaluator(EffluentClassParams)
def evaluate_effluent_class(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Every effluent sample of each plant's tail-water wetland at or better than the threshold's class.

    "稳定达地表水Ⅲ类" is read as every sample, not the annual mean: a sample (one site, one day) takes the
    worst class of its assessment indicators; a plant fails when any sample is worse than Ⅲ. The sites are
    the plan's sites of kind ``params.site_kind`` (default ``plant``) or the ids in ``params.sites``; a
    finding per site with observations, and one ``insufficient_data`` finding when none has any.
    """
    params = ctx.params_of(item, EffluentClassParams)
    if params.sites:
        wanted = set(params.sites)
        sites = [s for s in ctx.plan.sites if s.id in wanted]
    else:
        sites = [s for s in ctx.plan.sites if s.kind == params.site_kind]
    start, end = ctx.period(item)
    stop = min(end, ctx.as_of)
    period = period_label(start, end)
    limit_code, _ = class_limit(ctx, item)
    limit_name = gb3838.CLASS_NAMES[limit_code]
    out: list[Finding] = []
    no_data: list[Site] = []
    for site in sites:
        series = ctx.series(site.id, start=start, end=stop)
        if series is not None and len(series):
            series = series.take(gb3838_rows(series))
        if series is None or len(series) == 0:
            no_data.append(site)
            continue
        out.append(
            _effluent_finding(
                item, ctx, site, series, limit_code=limit_code, period=period, decisive=params.decisive_indicators
            )
        )
    if not out:
        names = "、".join(s.name_zh for s in no_data)
        return [
            insufficient_data(
                item,
                ctx,
                f"{start}至{stop}没有湿地出水监测数据（站点：{names}；需要出水的"
                "COD、BOD5、氨氮、总磷、高锰酸盐指数、溶解氧、pH等GB 3838评价指标）",
                f"no effluent samples {start}..{stop} at "
                f"{', '.join(s.id for s in no_data)} (needs GB 3838 indicators of the wetland outlet: "
                "COD, BOD5, NH3-N, TP, CODMn, DO, pH …)",
                period=period,
                limit=limit_name,
                details={
                    "missing": ["observations"],
                    "sites": [s.id for s in no_data],
                    "missing_indicators": list(gb3838.ASSESSMENT_PARAMETERS),
                    "decisive_missing": list(params.decisive_indicators),
                    "computation": _effluent_computation(
                        period, 0, None, limit_name, params.decisive_indicators, decisive_missing=[]
                    ),
                },
                standard="GB 3838-2002 表1",
            )
        ]
    if no_data:
        out = [
            attrs.evolve(f, details={**f.details, "sites_without_data": [s.id for s in no_data]}) for f in out
        ]
    return out


def _effluent_computation(
    period: str,
    n: int,
    worst: str | None,
    limit_name: str,
    decisive: tuple[str, ...],
    **extra: Any,
) -> dict[str, Any]:
    names = "、".join(gb3838.BY_ID[p].name_zh for p in decisive)
    return computation(
        period=period,
        statistic="worst_sample_class",
        n=n,
        n_of="samples",
        value=worst,
        value_raw=None,
        rounding="none: each sample value is compared with the class limits as measured",
        rule_zh="“稳定达到”按每次采样判定：一次采样（同一站点同一日）取其评价指标的最差类别，任一次劣于"
        f"{class_label(limit_name)}类即未达标（GB 3838-2002 表1）；达标须测定决定类别的指标（{names}）",
        rule_en="'steadily at' read sample by sample: a sample (one site, one day) takes the worst class of its "
        f"assessment indicators; any sample worse than class {limit_name} fails (GB 3838-2002 Table 1); met only "
        f"with the decisive indicators measured ({', '.join(decisive)})",
        **extra,
    )


def _effluent_finding(
    item: Target | Rule,
    ctx: EvalContext,
    site: Site,
    series: ObservationSet,
    *,
    limit_code: int,
    period: str,
    decisive: tuple[str, ...],
) -> Finding:
    water_body = site.water_body_type or "river"
    row_class = _row_classes(series, water_body)
    days = series.time.astype("datetime64[D]")
    unique_days, day_index = np.unique(days, return_inverse=True)
    day_class = np.zeros(unique_days.size, dtype=np.int8)
    np.maximum.at(day_class, day_index, row_class)
    failing = np.flatnonzero(day_class > limit_code)
    values = series.stat_values()
    failing_samples: list[dict[str, Any]] = []
    for d in failing.tolist():
        rows = np.flatnonzero((day_index == d) & (row_class > limit_code))
        items = []
        for row in rows.tolist():
            pid = series.parameters[series.parameter[row]]
            ladder = gb3838.class_limits(pid, water_body_type=water_body)
            iii = ladder.class_iii if ladder is not None else None
            items.append(
                {
                    "parameter": pid,
                    "value": sig(float(values[row])),
                    "unit": param_unit(pid),
                    "class": gb3838.CLASS_NAMES[int(row_class[row])],
                    "exceedance": round((float(values[row]) - iii) / iii, 4) if iii else None,
                }
            )
        failing_samples.append(
            {"date": str(unique_days[d]), "class": gb3838.CLASS_NAMES[int(day_class[d])], "parameters": items}
        )
    worst = int(day_class.max(initial=0))
    means, n_samples, nondetect = parameter_means(series)
    annual = gb3838.classify_section(means, water_body_type=water_body, nondetect=nondetect)
    ok = not failing_samples
    limit_name = gb3838.CLASS_NAMES[limit_code]
    missing = [p for p in gb3838.ASSESSMENT_PARAMETERS if p not in means]
    decisive_missing = [p for p in decisive if p not in means]
    fail_zh = "；".join(
        f"{s['date']} {class_label(s['class'])}类（"
        + "、".join(
            f"{param_zh(ctx, p['parameter'])} {fmt(p['value'])} {p['unit']}"
            + (f"，超Ⅲ类标准{p['exceedance']:.2f}倍" if p["exceedance"] is not None else "")
            for p in s["parameters"]
        )
        + "）"
        for s in failing_samples
    )
    fail_en = "; ".join(
        f"{s['date']} class {s['class']} ("
        + ", ".join(f"{p['parameter']} {fmt(p['value'])} {p['unit']}" for p in s["parameters"])
        + ")"
        for s in failing_samples
    )
    details: dict[str, Any] = {
        "samples": int(unique_days.size),
        "worst_class": gb3838.CLASS_NAMES[worst],
        "failing_samples": failing_samples,
        "annual_class": annual.class_name,
        "annual_per_parameter": dict(annual.per_parameter),
        "nondetect": sorted(nondetect),
        "missing_indicators": missing,
        "decisive_indicators": list(decisive),
        "decisive_missing": decisive_missing,
        "computation": _effluent_computation(
            period,
            int(unique_days.size),
            gb3838.CLASS_NAMES[worst],
            limit_name,
            decisive,
            decisive_missing=decisive_missing,
            failing_samples=len(failing_samples),
            samples_per_indicator=dict(n_samples),
        ),
    }
    if ok and decisive_missing:
        names_zh = indicator_names_zh(ctx, decisive_missing)
        return ctx.finding(
            item,
            status=Status.INSUFFICIENT_DATA,
            subject=site.name_zh,
            value=None,
            limit=limit_name,
            unit="",
            period=period,
            message_zh=f"{site.name_zh}尾水湿地出水：{unique_days.size}次采样按已测指标均达到{class_label(limit_name)}类"
            f"或更优，但决定类别的指标未监测（{names_zh}），不能判定稳定达标",
            message_en=f"{site.name_en or site.id} wetland effluent: {unique_days.size} samples at class {limit_name} "
            f"or better on the indicators measured, but the indicators that decide classes were not measured "
            f"({', '.join(decisive_missing)})",
            evidence=series.evidence(),
            details=details,
            standard="GB 3838-2002 表1",
        )
    return ctx.finding(
        item,
        status=status_of(ok),
        subject=site.name_zh,
        value=gb3838.CLASS_NAMES[worst],
        limit=limit_name,
        unit="",
        period=period,
        message_zh=f"{site.name_zh}尾水湿地出水：{unique_days.size}次采样，"
        + (
            f"均达到{class_label(limit_name)}类或更优"
            if ok
            else f"{len(failing_samples)}次劣于{class_label(limit_name)}类：{fail_zh}"
        )
        + f"；年均值{class_label(annual.class_name)}类",
        message_en=f"{site.name_en or site.id} wetland effluent: {unique_days.size} samples, "
        + (
            "all at class " + limit_name + " or better"
            if ok
            else f"{len(failing_samples)} worse than class {limit_name}: {fail_en}"
        )
        + f"; class of the means {annual.class_name}",
        evidence=series.evidence(),
        details=details,
        standard="GB 3838-2002 表1",
    )

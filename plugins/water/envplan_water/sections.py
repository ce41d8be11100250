"""``section_class`` — the class of a monitoring section for the target's period (主要目标: 杨赵桥, 西曲村).

GB 3838-2002 and 环办〔2011〕22号: each indicator's mean over the period's samples (up to ``as_of``), each
mean classified, the section takes the worst class of the 21 assessment indicators. Values enter the
means at half the detection limit when not detected (docs/inputs.md, conventions).

A class is never ``met`` on missing data: the indicators that decide classes in practice
(:data:`~envplan_water._common.DECISIVE_INDICATORS`, settable per target as
``params.decisive_indicators``) must each have been measured in the period, otherwise the finding is
``insufficient_data`` naming them. A class worse than the target on the indicators measured is
``not_met`` whatever is missing (a missing indicator can only make it worse). Every class finding lists
the indicators not measured (``details.missing_indicators``) and its computation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np

from envplan_core.plugin import (
    EvalContext,
    Finding,
    Rule,
    Site,
    Status,
    Target,
    computation,
    evaluator,
)
from envplan_core.standards import gb3838
from envplan_water._common import (
    DECISIVE_INDICATORS,
    GB3838_STANDARD,
    class_label,
    class_limit,
    decisive_indicators,
    gb3838_rows,
    indicator_names_zh,
    param_unit,
    param_zh,
    parameter_means,
    period_label,
    sig,
)

__all__ = [
    "SectionClassParams",
    "evaluate_section_class",
]


@attrs.frozen
class SectionClassParams:
    """Parameters of ``section_class``.

    - ``water_body_type``: ``river`` (default) or ``lake``/``reservoir``, for a section whose site does
      not say; it selects the GB 3838 total-phosphorus row;
    - ``decisive_indicators``: the assessment indicators that must be measured in the period before the
      class can be ``met`` (default 溶解氧, 高锰酸盐指数, 化学需氧量, 氨氮, 总磷; ids or names).
    """

    water_body_type: str = "river"
    decisive_indicators: tuple[str, ...] = attrs.field(default=DECISIVE_INDICATORS, converter=decisive_indicators)


@evaluator(SectionClassParams)
def evaluate_section_class(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """The section's class for the period, from the period means of its samples up to ``as_of``.

    环办〔2011〕22号 §一(二): a period's value of an indicator is the arithmetic mean of its samples; the
    section's class is the worst class among the 21 assessment indicators (GB 3838-2002 Table 1 without
    water temperature, total nitrogen and fecal coliforms). Met when that class is at or better than
    the threshold's class (Ⅲ).
    """
    if not isinstance(item, Target):
        raise TypeError(f"section_class evaluates targets with a subject section, not {item.id!r}")
    params = ctx.params_of(item, SectionClassParams)
    decisive = params.decisive_indicators
    start, end = ctx.period(item)
    stop = min(end, ctx.as_of)
    period = period_label(start, end)
    limit_code, _ = class_limit(ctx, item)
    limit_name = gb3838.CLASS_NAMES[limit_code]
    site = ctx.site(item.subject)
    name = site.name_zh if site is not None else item.subject
    water_body = _water_body_type(site, params)
    rule_zh, rule_en = _rule(limit_name, decisive)
    if stop < start:
        return [
            ctx.finding(
                item,
                status=Status.NOT_APPLICABLE,
                period=period,
                limit=limit_name,
                message_zh=f"{name}断面：评价期 {period} 尚未开始（基准日 {ctx.as_of}）",
                message_en=f"{item.title_en}: the period {period} has not started on {ctx.as_of}",
                details={
                    "missing_indicators": list(gb3838.ASSESSMENT_PARAMETERS),
                    "computation": _computation(period, 0, None, rule_zh, rule_en, decisive_missing=[]),
                },
            )
        ]
    series = ctx.series(item.subject, start=start, end=stop)
    if series is not None and len(series):
        series = series.take(gb3838_rows(series))
    if series is None or len(series) == 0:
        given = (
            "未提供监测数据文件" if ctx.observations is None else f"观测数据中没有{name}断面{period}年的记录"
        )
        return [
            ctx.finding(
                item,
                status=Status.INSUFFICIENT_DATA,
                period=period,
                limit=limit_name,
                message_zh=f"{name}断面 {start}至{stop}：{given}；需要该断面的GB 3838-2002 表1 21项评价指标"
                f"监测值（{_needed_indicators()}）",
                message_en=f"{item.title_en}: no observations for {name} ({site.name_en if site else item.subject}) "
                f"{start}..{stop}; needs samples of the 21 GB 3838-2002 Table 1 assessment indicators "
                f"({', '.join(gb3838.ASSESSMENT_PARAMETERS)})",
                details={
                    "missing": ["observations"],
                    "site": item.subject,
                    "needed": list(gb3838.ASSESSMENT_PARAMETERS),
                    "missing_indicators": list(gb3838.ASSESSMENT_PARAMETERS),
                    "decisive_missing": list(decisive),
                    "computation": _computation(period, 0, None, rule_zh, rule_en, decisive_missing=list(decisive)),
                },
                standard=GB3838_STANDARD,
            )
        ]
    means, n_samples, nondetect = parameter_means(series)
    section = gb3838.classify_section(means, water_body_type=water_body, nondetect=nondetect)
    n_days = int(np.unique(series.time.astype("datetime64[D]")).size)
    if section.class_code == 0:
        return [
            ctx.finding(
                item,
                status=Status.INSUFFICIENT_DATA,
                period=period,
                limit=limit_name,
                message_zh=f"{name}断面 {period}：监测数据中没有21项评价指标，无法定类",
                message_en=f"{item.title_en}: none of the 21 assessment indicators was measured in {period}",
                evidence=series.evidence(),
                details={
                    "missing": list(gb3838.ASSESSMENT_PARAMETERS),
                    "missing_indicators": list(gb3838.ASSESSMENT_PARAMETERS),
                    "decisive_missing": list(decisive),
                    "computation": _computation(
                        period, n_days, None, rule_zh, rule_en, decisive_missing=list(decisive)
                    ),
                },
                standard=GB3838_STANDARD,
            )
        ]
    monthly = gb3838.classify_series(
        np.zeros(len(series), dtype=np.int64),
        np.asarray(series.parameters, dtype=object)[series.parameter],
        series.time,
        series.stat_values(),
        water_body_types=water_body,
        period="month",
    )
    missing = [p for p in gb3838.ASSESSMENT_PARAMETERS if p not in means]
    decisive_missing = [p for p in decisive if p not in means]
    provisional = ctx.as_of < end
    ok = section.class_code <= limit_code
    cls = section.class_name
    over = sorted(section.exceedance.items(), key=lambda kv: -kv[1])
    over_zh = "、".join(f"{param_zh(ctx, p)}（超Ⅲ类标准{m:.2f}倍）" for p, m in over)
    over_en = ", ".join(f"{p} ({m:.2f}× over class III)" for p, m in over)
    limiting_zh = "、".join(param_zh(ctx, p) for p in section.limiting)
    rest_zh, rest_en = [], []
    if section.main_pollutants:
        rest_zh.append(f"主要污染指标：{'、'.join(param_zh(ctx, p) for p in section.main_pollutants)}")
        rest_en.append(f"main pollutants: {', '.join(section.main_pollutants)}")
    if over:
        rest_zh.append(f"超标：{over_zh}")
        rest_en.append(f"exceeding: {over_en}")
    if missing:
        rest_zh.append(
            f"缺{len(missing)}项评价指标（{'、'.join(param_zh(ctx, p) for p in missing)}），按已测{len(means)}项定类"
        )
        rest_en.append(
            f"{len(missing)} of the 21 indicators not measured ({', '.join(missing)}); classified on the rest"
        )
    if nondetect:
        rest_zh.append(f"{len(nondetect)}项含未检出值，按检出限一半计")
        rest_en.append(f"{len(nondetect)} indicators include non-detects counted at half the detection limit")
    if provisional:
        rest_zh.append(f"评价期未结束（截至{ctx.as_of}），结果为初步结果")
        rest_en.append(f"period not over on {ctx.as_of}: provisional")
    tail_zh = "；" + "；".join(rest_zh) if rest_zh else ""
    tail_en = "; " + "; ".join(rest_en) if rest_en else ""
    n_total = int(sum(n_samples.values()))
    details = {
        "class": cls,
        "per_parameter": dict(section.per_parameter),
        "means": {p: sig(v) for p, v in section.means.items()},
        "units": {p: param_unit(p) for p in section.means},
        "limiting": list(section.limiting),
        "main_pollutants": list(section.main_pollutants),
        "exceedance": {p: round(m, 4) for p, m in section.exceedance.items()},
        "status_zh": section.status_zh,
        "status_en": section.status_en,
        "n_samples": {p: n_samples[p] for p in section.means},
        "n_rows": n_total,
        "nondetect": list(section.nondetect),
        "missing_indicators": missing,
        "decisive_indicators": list(decisive),
        "decisive_missing": decisive_missing,
        "monthly_classes": {r.period: r.section.class_name for r in monthly},
        "water_body_type": water_body,
        "provisional": provisional,
        "computation": _computation(
            period,
            n_days,
            cls,
            rule_zh,
            rule_en,
            decisive_missing=decisive_missing,
            samples_per_indicator={p: n_samples[p] for p in section.means},
            means={p: sig(v) for p, v in section.means.items()},
            limiting=list(section.limiting),
        ),
    }
    if ok and decisive_missing:
        names_zh = indicator_names_zh(ctx, decisive_missing)
        return [
            ctx.finding(
                item,
                status=Status.INSUFFICIENT_DATA,
                value=None,
                limit=limit_name,
                unit="",
                period=period,
                message_zh=f"{name}断面{period}：按已测{len(means)}项为{class_label(cls)}类，但决定类别的指标"
                f"未监测（{names_zh}），不能判定达到{class_label(limit_name)}类{tail_zh}",
                message_en=f"{item.title_en}: class {cls} on the {len(means)} indicators measured in {period}, but "
                f"the indicators that decide classes were not measured ({', '.join(decisive_missing)}): cannot "
                f"say it meets class {limit_name}{tail_en}",
                evidence=series.evidence(),
                details=details,
                standard=GB3838_STANDARD,
            )
        ]
    return [
        ctx.finding(
            item,
            status=Status.MET if ok else Status.NOT_MET,
            value=cls,
            limit=limit_name,
            unit="",
            period=period,
            message_zh=f"{name}断面{period}年均值水质为{class_label(cls)}类（{section.status_zh}），目标"
            f"{class_label(limit_name)}类{'，达标' if ok else '，未达标'}；定类指标：{limiting_zh}{tail_zh}",
            message_en=f"{item.title_en}: class {cls} ({section.status_en}) from the {period} means, target "
            f"class {limit_name} or better{'' if ok else ' not'} met; limiting: "
            f"{', '.join(section.limiting)}{tail_en}",
            evidence=series.evidence(),
            details=details,
            standard=GB3838_STANDARD,
        )
    ]


def _rule(limit_name: str, decisive: tuple[str, ...]) -> tuple[str, str]:
    names = "、".join(gb3838.BY_ID[p].name_zh for p in decisive)
    zh = (
        "环办〔2011〕22号：各评价指标取评价期内样品的算术均值（未检出按检出限一半计），按GB 3838-2002表1逐项定类，"
        f"断面取21项评价指标中最差的类别；目标为{class_label(limit_name)}类或更优；"
        f"达标须测定决定类别的指标（{names}）"
    )
    en = (
        "环办〔2011〕22号: each assessment indicator's arithmetic mean over the period's samples (non-detects at "
        "half the detection limit), classified by GB 3838-2002 Table 1; the section takes the worst class of "
        f"the 21 indicators; target class {limit_name} or better; met only with the decisive indicators "
        f"measured ({', '.join(decisive)})"
    )
    return zh, en


def _computation(
    period: str, n_days: int, cls: str | None, rule_zh: str, rule_en: str, **extra: Any
) -> dict[str, Any]:
    return computation(
        period=period,
        statistic="class_of_period_means",
        n=n_days,
        n_of="samples",
        value=cls,
        value_raw=None,
        rounding="none: the unrounded means are compared with the class limits",
        rule_zh=rule_zh,
        rule_en=rule_en,
        **extra,
    )


def _water_body_type(site: Site | None, params: SectionClassParams) -> str:
    if site is not None and site.water_body_type:
        return site.water_body_type
    return params.water_body_type


def _needed_indicators() -> str:
    return "、".join(gb3838.BY_ID[p].name_zh for p in gb3838.ASSESSMENT_PARAMETERS)

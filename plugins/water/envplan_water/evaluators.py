"""Evaluators the water plan needs beyond the core's generic ones (``docs/plans/water.md``).

- ``section_class`` — the class of a monitoring section for the target's period under GB 3838-2002
  and 环办〔2011〕22号: each indicator's mean over the period's samples (up to ``as_of``), each mean
  classified, the section takes the worst class of the 21 assessment indicators (主要目标).
- ``drinking_source_share`` — the share of drinking-water sources at or better than class Ⅲ against the
  national annual target, which the user supplies (主要目标).
- ``black_odorous_bodies`` — black and odorous water bodies left in an area (主要目标; 城市黑臭水体整治
  工作指南, 2015).
- ``facilities_completed`` — records of a kind completed within the period (task 6: 11 village stations,
  the 南马村 and 西柳泉村 rebuilds).
- ``effluent_class`` — every effluent sample of the tail-water wetlands at or better than class Ⅲ
  ("稳定达", task 8).
- ``outfall_monitoring`` — every registered outfall sampled every month, and samples against the
  outfall's own limits (task 14; ``params.check: exceedance``).

Each evaluator declares the ``params:`` a plan item may give it (:class:`SectionClassParams` …); an
unknown, misspelt or mistyped key is an error when the plugin loads.

Values enter statistics at half the detection limit when not detected (docs/inputs.md, conventions), through
:meth:`ObservationSet.stat_values`; findings say when they do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.plugin import (
    Comparator,
    DataError,
    EvalContext,
    Evaluator,
    Finding,
    ObservationSet,
    Quantity,
    Record,
    Rule,
    Site,
    Status,
    Target,
    Threshold,
    compare,
    evaluator,
    format_unit,
    limit_in,
    matches_where,
    normalise_name,
)
from envplan_core.standards import black_odorous, gb3838

__all__ = [
    "GB3838_STANDARD",
    "WATER_EVALUATORS",
    "BlackOdorousBodiesParams",
    "DrinkingSourceShareParams",
    "EffluentClassParams",
    "FacilitiesCompletedParams",
    "OutfallMonitoringParams",
    "SectionClassParams",
    "class_label",
    "evaluate_black_odorous_bodies",
    "evaluate_drinking_source_share",
    "evaluate_effluent_class",
    "evaluate_facilities_completed",
    "evaluate_outfall_monitoring",
    "evaluate_section_class",
]

GB3838_STANDARD = "GB 3838-2002 表1; 环办〔2011〕22号"
_BLACK_ODOROUS_STANDARD = "城市黑臭水体整治工作指南（建城〔2015〕130号）"
_CLASS_III = 3
_ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "劣V": "劣Ⅴ", "": "—"}


# -- parameters ------------------------------------------------------------------------------------------


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
class SectionClassParams:
    """Parameters of ``section_class``.

    - ``water_body_type``: ``river`` (default) or ``lake``/``reservoir``, for a section whose site does
      not say; it selects the GB 3838 total-phosphorus row.
    """

    water_body_type: str = "river"


@attrs.frozen
class DrinkingSourceShareParams:
    """Parameters of ``drinking_source_share``.

    - ``key``: the inventory ``values`` key of the share when the user supplies it; default the item's id;
    - ``limit_key``: the ``values`` key of the national annual target (e.g. ``"95 %"``); without it the
      item's threshold is the target;
    - ``kind``: the record kind of the sources the share is computed from (default ``drinking_source``);
    - ``class_field``: the records' field holding the water class (default ``class``).
    """

    key: str | None = None
    limit_key: str = ""
    kind: str = "drinking_source"
    class_field: str = "class"


@attrs.frozen
class _RecordParams:
    """Records of the inventory an evaluator looks at: ``kind`` and the ``where`` filter."""

    kind: str | None = None
    where: Mapping[str, Any] = attrs.field(factory=dict)

    def kind_or(self, default: str) -> str:
        return self.kind if self.kind is not None else default


@attrs.frozen
class BlackOdorousBodiesParams(_RecordParams):
    """Parameters of ``black_odorous_bodies``.

    - ``kind``: the record kind of the water bodies (default ``black_odorous_water_body``);
    - ``where``: ``{field: value}`` a body must match to be checked (a list: one of the values), e.g.
      ``{in_built_up_area: true}``.
    """


@attrs.frozen
class FacilitiesCompletedParams(_RecordParams):
    """Parameters of ``facilities_completed``.

    - ``kind``: the record kind; default the item's ``applies_to``;
    - ``where``: ``{field: value}`` a record must match to be counted (a list: one of the values);
    - ``exclude``: ``{field: value}`` a record must *not* match (e.g. ``{project: rebuild}``);
    - ``date_field``: the records' field holding the completion date (default ``completed``).
    """

    exclude: Mapping[str, Any] = attrs.field(factory=dict)
    date_field: str = "completed"


@attrs.frozen
class EffluentClassParams:
    """Parameters of ``effluent_class``.

    - ``sites``: the ids of the plan sites whose effluent is judged; default every site of ``site_kind``;
    - ``site_kind``: the kind of plan site judged when ``sites`` is not given (default ``plant``).
    """

    sites: tuple[str, ...] = attrs.field(default=(), converter=_as_written, validator=_are_names)
    site_kind: str = "plant"


@attrs.frozen
class OutfallMonitoringParams(_RecordParams):
    """Parameters of ``outfall_monitoring``.

    - ``kind``: the record kind of the outfalls; default the rule's ``applies_to``, else ``outfall``;
    - ``where``: ``{field: value}`` an outfall must match to be checked (a list: one of the values);
    - ``check``: ``monitoring`` (default: every outfall sampled every calendar month) or ``exceedance``
      (every sample within the outfall's own ``limits``).
    """

    check: Literal["monitoring", "exceedance"] = "monitoring"


# -- helpers ---------------------------------------------------------------------------------------------


def class_label(name: str) -> str:
    """``"IV"`` → ``"Ⅳ"`` for Chinese text (the JSON keeps ``I``…``V``, ``劣V`` as docs/cli.md says)."""
    return _ROMAN.get(name, name)


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _sig(x: float, digits: int = 6) -> float:
    """``x`` to ``digits`` significant digits, for display in details (comparisons use the full value)."""
    return float(f"{x:.{digits}g}")


def _param_zh(ctx: EvalContext, pid: str) -> str:
    if pid in gb3838.BY_ID:
        return gb3838.BY_ID[pid].name_zh
    param = ctx.catalog.parameters.resolve(pid)
    return param.name_zh if param is not None else pid


def _param_unit(pid: str) -> str:
    return format_unit(gb3838.BY_ID[pid].unit) if pid in gb3838.BY_ID else ""


def _period_label(start: dt.date, end: dt.date) -> str:
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    return f"{start.isoformat()}..{end.isoformat()}"


def _class_limit(ctx: EvalContext, item: Target | Rule) -> tuple[int, Threshold | None]:
    """The class a ``class<=`` threshold sets (default Ⅲ) and the threshold itself."""
    threshold = ctx.threshold_for(item) if isinstance(item, Target) else (item.thresholds or (None,))[0]
    if threshold is not None and isinstance(threshold.value, str):
        return gb3838.class_code(threshold.value), threshold
    return _CLASS_III, threshold


def _needed_indicators() -> str:
    return "、".join(gb3838.BY_ID[p].name_zh for p in gb3838.ASSESSMENT_PARAMETERS)


def _gb3838_rows(series: ObservationSet) -> npt.NDArray[np.bool_]:
    """Rows of GB 3838 Table 1 parameters (other standards' rows, e.g. transparency, are left out)."""
    known = np.asarray([p in gb3838.BY_ID for p in series.parameters] or [False], dtype=bool)
    return known[series.parameter] if len(series) else np.zeros(0, dtype=bool)


def _means(series: ObservationSet) -> tuple[dict[str, float], dict[str, int], set[str]]:
    """Per-parameter means (non-detects at half the detection limit), sample counts, non-detect ids."""
    values = series.stat_values()
    size = len(series.parameters)
    counts = np.bincount(series.parameter, minlength=size)
    sums = np.bincount(series.parameter, weights=values, minlength=size)
    censored = np.bincount(series.parameter, weights=series.censored.astype(np.float64), minlength=size)
    means: dict[str, float] = {}
    n: dict[str, int] = {}
    nondetect: set[str] = set()
    for code in np.flatnonzero(counts).tolist():
        pid = series.parameters[code]
        means[pid] = float(sums[code] / counts[code])
        n[pid] = int(counts[code])
        if censored[code] > 0:
            nondetect.add(pid)
    return means, n, nondetect


# -- section class (主要目标: 杨赵桥, 西曲村) -------------------------------------------------------------


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
    start, end = ctx.period(item)
    stop = min(end, ctx.as_of)
    period = _period_label(start, end)
    limit_code, _ = _class_limit(ctx, item)
    limit_name = gb3838.CLASS_NAMES[limit_code]
    site = ctx.site(item.subject)
    name = site.name_zh if site is not None else item.subject
    water_body = _water_body_type(site, ctx.params_of(item, SectionClassParams))
    if stop < start:
        return [
            ctx.finding(
                item,
                status=Status.NOT_APPLICABLE,
                period=period,
                limit=limit_name,
                message_zh=f"{name}断面：评价期 {period} 尚未开始（基准日 {ctx.as_of}）",
                message_en=f"{item.title_en}: the period {period} has not started on {ctx.as_of}",
            )
        ]
    series = ctx.series(item.subject, start=start, end=stop)
    if series is not None and len(series):
        series = series.take(_gb3838_rows(series))
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
                },
                standard=GB3838_STANDARD,
            )
        ]
    means, n_samples, nondetect = _means(series)
    section = gb3838.classify_section(means, water_body_type=water_body, nondetect=nondetect)
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
                details={"missing": list(gb3838.ASSESSMENT_PARAMETERS)},
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
    provisional = ctx.as_of < end
    ok = section.class_code <= limit_code
    cls = section.class_name
    over = sorted(section.exceedance.items(), key=lambda kv: -kv[1])
    over_zh = "、".join(f"{_param_zh(ctx, p)}（超Ⅲ类标准{m:.2f}倍）" for p, m in over)
    over_en = ", ".join(f"{p} ({m:.2f}× over class III)" for p, m in over)
    limiting_zh = "、".join(_param_zh(ctx, p) for p in section.limiting)
    rest_zh, rest_en = [], []
    if section.main_pollutants:
        rest_zh.append(f"主要污染指标：{'、'.join(_param_zh(ctx, p) for p in section.main_pollutants)}")
        rest_en.append(f"main pollutants: {', '.join(section.main_pollutants)}")
    if over:
        rest_zh.append(f"超标：{over_zh}")
        rest_en.append(f"exceeding: {over_en}")
    if missing:
        rest_zh.append(
            f"缺{len(missing)}项评价指标（{'、'.join(_param_zh(ctx, p) for p in missing)}），按已测{len(means)}项定类"
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
            details={
                "class": cls,
                "per_parameter": dict(section.per_parameter),
                "means": {p: _sig(v) for p, v in section.means.items()},
                "units": {p: _param_unit(p) for p in section.means},
                "limiting": list(section.limiting),
                "main_pollutants": list(section.main_pollutants),
                "exceedance": {p: round(m, 4) for p, m in section.exceedance.items()},
                "status_zh": section.status_zh,
                "status_en": section.status_en,
                "n_samples": {p: n_samples[p] for p in section.means},
                "n_rows": n_total,
                "nondetect": list(section.nondetect),
                "missing_indicators": missing,
                "monthly_classes": {r.period: r.section.class_name for r in monthly},
                "water_body_type": water_body,
                "provisional": provisional,
            },
            standard=GB3838_STANDARD,
        )
    ]


def _water_body_type(site: Site | None, params: SectionClassParams) -> str:
    if site is not None and site.water_body_type:
        return site.water_body_type
    return params.water_body_type


# -- drinking-water sources (主要目标) ---------------------------------------------------------------------


def _percent(raw: Any, where: str) -> float:
    """A share as a number of percent: ``"95 %"``, ``0.95`` as a dimensionless quantity, or a bare number
    of percent (``95``)."""
    if isinstance(raw, Quantity):
        try:
            return float(raw.m_as("percent"))
        except Exception as exc:  # noqa: BLE001 - pint's DimensionalityError; reported as a data error
            raise DataError(
                f'{where}: {raw} is not a share (write e.g. "95 %"): {exc}', column=where
            ) from None
    if isinstance(raw, bool):
        raise DataError(f'{where}: {raw!r} is not a share (write e.g. "95 %")', column=where)
    if isinstance(raw, (int, float)):
        return float(raw)
    try:
        return float(str(raw).strip().rstrip("%").strip())
    except ValueError:
        raise DataError(f'{where}: {raw!r} is not a share (write e.g. "95 %")', column=where) from None


@evaluator(DrinkingSourceShareParams)
def evaluate_drinking_source_share(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Share of drinking-water sources at or better than class Ⅲ against the national annual target.

    The target is the national annual figure, which the plan does not state: the user supplies it as
    ``values.<limit_key>``. The share is ``values.<key>`` when supplied, else it is computed from the
    inventory's records of kind ``params.kind`` (default ``drinking_source``) and their ``class`` field.
    Met when the share is at least the target (the threshold's comparator, if the item has one).
    """
    params = ctx.params_of(item, DrinkingSourceShareParams)
    key = params.key if params.key is not None else item.id
    limit_key, kind, class_field = params.limit_key, params.kind, params.class_field
    values: Mapping[str, Any] = ctx.inventory.values if ctx.inventory is not None else {}
    threshold = ctx.threshold_for(item) if isinstance(item, Target) else (item.thresholds or (None,))[0]
    comparator = threshold.comparator if threshold is not None else Comparator.GE
    missing_zh: list[str] = []
    missing_en: list[str] = []
    missing: list[str] = []

    target: float | None = None
    if limit_key:
        if values.get(limit_key) is None:
            missing.append(f"values.{limit_key}")
            missing_zh.append(f'国家年度目标值（清单 values.{limit_key}，如 "95 %"）')
            missing_en.append(f'the national annual target (inventory values.{limit_key}, e.g. "95 %")')
        else:
            target = _percent(values[limit_key], f"values.{limit_key}")
    elif threshold is not None and not isinstance(threshold.value, str):
        target = (
            float(threshold.value.m_as("percent"))
            if isinstance(threshold.value, Quantity)
            else float(threshold.value)
        )

    share: float | None = None
    basis: dict[str, Any] = {}
    evidence: list[str] = []
    if values.get(key) is not None:
        share = _percent(values[key], f"values.{key}")
        basis = {"source": "user-supplied", "key": key}
    else:
        records = ctx.inventory.by_kind(kind) if ctx.inventory is not None else []
        if records:
            good, judged = [], []
            for r in records:
                raw = r.fields.get(class_field)
                if raw is None:
                    raise DataError(
                        f"record {r.id!r} ({kind}) has no field {class_field!r} (its water class, e.g. III)",
                        file=r.source.rpartition(":")[0] or None,
                        column=class_field,
                    )
                code = gb3838.class_code(str(raw))
                judged.append(r.id)
                if code <= _CLASS_III:
                    good.append(r.id)
            share = 100.0 * len(good) / len(judged)
            evidence = [r.source for r in records]
            basis = {
                "source": "inventory",
                "kind": kind,
                "at_or_better_than_III": good,
                "worse_than_III": [r for r in judged if r not in good],
                "n_sources": len(judged),
            }
        else:
            missing.append(f"values.{key}")
            missing_zh.append(
                f"达到或优于Ⅲ类的水源比例（清单 values.{key}，或 kind={kind} 的水源记录及其 "
                f"{class_field} 字段）"
            )
            missing_en.append(
                f"the share of sources at class III or better (inventory values.{key}, or records "
                f"of kind {kind!r} with a {class_field!r} field)"
            )
    if missing or share is None or target is None:
        return [
            ctx.finding(
                item,
                status=Status.INSUFFICIENT_DATA,
                message_zh=f"{item.title_zh}：缺少{'；'.join(missing_zh) or '目标值'}",
                message_en=f"{item.title_en}: missing {'; '.join(missing_en) or 'the target'}",
                details={"missing": missing, **basis},
            )
        ]
    ok = comparator.holds(share, target)
    return [
        ctx.finding(
            item,
            status=Status.MET if ok else Status.NOT_MET,
            value=round(share, 4),
            limit=target,
            unit="%",
            message_zh=f"{item.title_zh}：{_fmt(share)}%，国家年度目标 {comparator.value} {_fmt(target)}%"
            f"{'，完成' if ok else '，未完成'}",
            message_en=f"{item.title_en}: {_fmt(share)}% against the national annual target {comparator.value} "
            f"{_fmt(target)}%{'' if ok else ' — not met'}",
            evidence=evidence,
            details={**basis, "target_source": f"values.{limit_key}" if limit_key else "threshold"},
        )
    ]


# -- black and odorous water bodies (主要目标) -------------------------------------------------------------

#: Statuses that mean "no longer black and odorous" (整治完成, 已消除); anything else still counts.
_ELIMINATED = frozenset(
    normalise_name(s)
    for s in (
        "eliminated",
        "remediated",
        "completed",
        "done",
        "已消除",
        "消除",
        "已完成整治",
        "整治完成",
        "长制久清",
    )
)
_MONITORING_UNITS = {"transparency": "cm", "DO": "mg/L", "ORP": "mV", "NH3-N": "mg/L", "depth": "m"}
_MONITORING_KEYS = {
    **dict.fromkeys(("transparency", "sd", "透明度"), "transparency"),
    **dict.fromkeys(("do", "溶解氧"), "DO"),
    **dict.fromkeys(("orp", "氧化还原电位"), "ORP"),
    **dict.fromkeys(("nh3n", "氨氮"), "NH3-N"),
    **dict.fromkeys(("depth", "water_depth", "水深"), "depth"),
}
_GRADE_ZH = ("不黑臭", "轻度黑臭", "重度黑臭")
_GRADE_EN = ("not black-odorous", "lightly black-odorous", "severely black-odorous")


def _monitoring_grade(record: Record) -> int | None:
    """Grade of the record's latest monitoring (``monitoring: {transparency, DO, ORP, NH3-N, depth}``)."""
    raw = record.fields.get("monitoring")
    if not isinstance(raw, Mapping) or not raw:
        return None
    found: dict[str, float] = {}
    for key, value in raw.items():
        pid = _MONITORING_KEYS.get(normalise_name(str(key)))
        if pid is None:
            raise DataError(
                f"record {record.id!r}: unknown monitoring indicator {key!r} (use transparency, DO, "
                "ORP, NH3-N, depth)",
                file=record.source.rpartition(":")[0] or None,
                column="monitoring",
            )
        unit = _MONITORING_UNITS[pid]
        try:
            found[pid] = float(value.m_as(unit)) if isinstance(value, Quantity) else float(value)
        except Exception as exc:  # noqa: BLE001 - pint or float(); reported as a data error
            raise DataError(
                f"record {record.id!r}: monitoring {key} = {value!r} is not a number in {unit}: {exc}",
                file=record.source.rpartition(":")[0] or None,
                column="monitoring",
            ) from None
    if not any(k in found for k in black_odorous.INDICATORS):
        return None
    grade = black_odorous.point_grade(
        found.get("transparency"), found.get("DO"), found.get("ORP"), found.get("NH3-N"), found.get("depth")
    )
    return int(grade)


@evaluator(BlackOdorousBodiesParams)
def evaluate_black_odorous_bodies(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Black and odorous water bodies left among the inventory's records (kind ``black_odorous_water_body``
    filtered by ``params.where``): a body counts unless its ``status`` says it is eliminated, and a body
    whose ``monitoring`` values grade as black-odorous under the 2015 guide counts whatever its status
    (返黑). The count is compared with the threshold (``== 0``)."""
    params = ctx.params_of(item, BlackOdorousBodiesParams)
    kind = params.kind_or("black_odorous_water_body")
    where = dict(params.where)
    threshold = ctx.threshold_for(item) if isinstance(item, Target) else (item.thresholds or (None,))[0]
    if threshold is None:
        threshold = Threshold(comparator=Comparator.EQ, value=0.0)
    if ctx.inventory is None:
        return [
            ctx.finding(
                item,
                status=Status.INSUFFICIENT_DATA,
                message_zh=f"{item.title_zh}：未提供清单数据（需要 kind={kind} 的黑臭水体记录，"
                "含已消除的，每条有 status）",
                message_en=f"{item.title_en}: no inventory given (needs every identified water body "
                f"as a record of kind {kind!r} with a status, eliminated ones included)",
                details={"missing": [kind]},
                standard=_BLACK_ODOROUS_STANDARD,
            )
        ]
    records = [r for r in ctx.inventory.by_kind(kind) if matches_where(r.fields, where)]
    if not records:
        return [
            ctx.finding(
                item,
                status=Status.INSUFFICIENT_DATA,
                message_zh=f"{item.title_zh}：清单中没有符合条件的 kind={kind} 记录；请列出排查认定的每一处"
                "黑臭水体（含已消除的）及其状态",
                message_en=f"{item.title_en}: the inventory has no matching records of kind {kind!r}; "
                "list every identified water body (eliminated ones too) with its status",
                details={"missing": [kind], "where": where},
                standard=_BLACK_ODOROUS_STANDARD,
            )
        ]
    bodies: list[dict[str, Any]] = []
    remaining: list[str] = []
    for r in records:
        name = str(r.fields.get("name", r.id))
        status = str(r.fields.get("status", ""))
        grade = _monitoring_grade(r)
        eliminated = normalise_name(status) in _ELIMINATED
        counted = not eliminated or (grade is not None and grade > black_odorous.NOT_BLACK_ODOROUS)
        bodies.append(
            {"id": r.id, "name": name, "status": status, "monitoring_grade": grade, "counted": counted}
        )
        if counted:
            shown = (
                f"{name}（{status or '无状态'}"
                + (f"，监测{_GRADE_ZH[grade]}" if grade is not None else "")
                + "）"
            )
            remaining.append(shown)
    count = float(len(remaining))
    ok, limit = compare(threshold, count)
    listed = "、".join(remaining)
    return [
        ctx.finding(
            item,
            status=Status.MET if ok else Status.NOT_MET,
            value=count,
            limit=limit,
            unit="",
            message_zh=f"{item.title_zh}：已核{len(records)}处，仍黑臭{int(count)}处"
            + (f"：{listed}" if listed else "")
            + f"（要求 {threshold.comparator.value} {_fmt(limit)}）",
            message_en=f"{item.title_en}: {len(records)} water bodies checked, {int(count)} still black-odorous"
            f" (required {threshold.comparator.value} {_fmt(limit)})",
            evidence=[r.source for r in records],
            details={"bodies": bodies},
            standard=_BLACK_ODOROUS_STANDARD,
        )
    ]


# -- facilities completed in the period (task 6) ----------------------------------------------------------


@evaluator(FacilitiesCompletedParams)
def evaluate_facilities_completed(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """How many records of ``params.kind`` matching ``params.where`` (and not ``params.exclude``) have their
    completion date (field ``params.date_field``, default ``completed``) within the period, up to
    ``as_of``; compared with the threshold (e.g. ``>= 11``). Before the period ends a shortfall is
    reported as provisional."""
    params = ctx.params_of(item, FacilitiesCompletedParams)
    kind = params.kind_or(str(getattr(item, "applies_to", "")))
    where, exclude, field = params.where, params.exclude, params.date_field
    threshold = ctx.threshold_for(item) if isinstance(item, Target) else (item.thresholds or (None,))[0]
    start, end = ctx.period(item)
    stop = min(end, ctx.as_of)
    period = _period_label(start, end)
    if ctx.inventory is None:
        return [
            ctx.finding(
                item,
                status=Status.INSUFFICIENT_DATA,
                period=period,
                message_zh=f"{item.title_zh}：未提供清单数据（需要 kind={kind} 的记录及竣工日期 {field}）",
                message_en=f"{item.title_en}: no inventory given (needs records of kind {kind!r} with "
                f"a completion date {field!r})",
                details={"missing": [kind]},
            )
        ]
    if threshold is None:
        return [
            ctx.finding(
                item,
                status=Status.NOT_APPLICABLE,
                period=period,
                message_zh=f"{item.title_zh}：评价期内无适用限值",
                message_en=f"{item.title_en}: no threshold in force for the period",
            )
        ]
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
            status=Status.MET if ok else Status.NOT_MET,
            value=count,
            limit=limit,
            unit="",
            period=period,
            message_zh=f"{item.title_zh}：{start}至{stop}建成{int(count)}个"
            + (f"（{names}）" if names else "")
            + f"，要求 {threshold.comparator.value} {_fmt(limit)}"
            + (f"；未建成：{open_zh}" if open_zh else "")
            + prov_zh,
            message_en=f"{item.title_en}: {int(count)} completed {start}..{stop}, required "
            f"{threshold.comparator.value} {_fmt(limit)}"
            + (f"; not completed: {', '.join(p['id'] for p in pending)}" if pending else "")
            + prov_en,
            evidence=[r.source for r in records],
            details={
                "completed": [r.id for r in done],
                "pending": pending,
                "provisional": provisional,
                "date_field": field,
            },
        )
    ]


# -- tail-water wetland effluent (task 8) -----------------------------------------------------------------


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
    period = _period_label(start, end)
    limit_code, _ = _class_limit(ctx, item)
    limit_name = gb3838.CLASS_NAMES[limit_code]
    out: list[Finding] = []
    no_data: list[Site] = []
    for site in sites:
        series = ctx.series(site.id, start=start, end=stop)
        if series is not None and len(series):
            series = series.take(_gb3838_rows(series))
        if series is None or len(series) == 0:
            no_data.append(site)
            continue
        out.append(_effluent_finding(item, ctx, site, series, limit_code=limit_code, period=period))
    if not out:
        names = "、".join(s.name_zh for s in no_data)
        return [
            ctx.finding(
                item,
                status=Status.INSUFFICIENT_DATA,
                period=period,
                limit=limit_name,
                message_zh=f"{item.title_zh}：{start}至{stop}没有湿地出水监测数据（站点：{names}；需要出水的"
                "COD、BOD5、氨氮、总磷、高锰酸盐指数、溶解氧、pH等GB 3838评价指标）",
                message_en=f"{item.title_en}: no effluent samples {start}..{stop} at "
                f"{', '.join(s.id for s in no_data)} (needs GB 3838 indicators of the wetland outlet: "
                "COD, BOD5, NH3-N, TP, CODMn, DO, pH …)",
                details={"missing": ["observations"], "sites": [s.id for s in no_data]},
                standard="GB 3838-2002 表1",
            )
        ]
    if no_data:
        out = [
            attrs.evolve(f, details={**f.details, "sites_without_data": [s.id for s in no_data]}) for f in out
        ]
    return out


def _effluent_finding(
    item: Target | Rule, ctx: EvalContext, site: Site, series: ObservationSet, *, limit_code: int, period: str
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
                    "value": _sig(float(values[row])),
                    "unit": _param_unit(pid),
                    "class": gb3838.CLASS_NAMES[int(row_class[row])],
                    "exceedance": round((float(values[row]) - iii) / iii, 4) if iii else None,
                }
            )
        failing_samples.append(
            {"date": str(unique_days[d]), "class": gb3838.CLASS_NAMES[int(day_class[d])], "parameters": items}
        )
    worst = int(day_class.max(initial=0))
    means, _, nondetect = _means(series)
    annual = gb3838.classify_section(means, water_body_type=water_body, nondetect=nondetect)
    ok = not failing_samples
    limit_name = gb3838.CLASS_NAMES[limit_code]
    fail_zh = "；".join(
        f"{s['date']} {class_label(s['class'])}类（"
        + "、".join(
            f"{_param_zh(ctx, p['parameter'])} {_fmt(p['value'])} {p['unit']}"
            + (f"，超Ⅲ类标准{p['exceedance']:.2f}倍" if p["exceedance"] is not None else "")
            for p in s["parameters"]
        )
        + "）"
        for s in failing_samples
    )
    fail_en = "; ".join(
        f"{s['date']} class {s['class']} ("
        + ", ".join(f"{p['parameter']} {_fmt(p['value'])} {p['unit']}" for p in s["parameters"])
        + ")"
        for s in failing_samples
    )
    return ctx.finding(
        item,
        status=Status.MET if ok else Status.NOT_MET,
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
        details={
            "samples": int(unique_days.size),
            "worst_class": gb3838.CLASS_NAMES[worst],
            "failing_samples": failing_samples,
            "annual_class": annual.class_name,
            "annual_per_parameter": dict(annual.per_parameter),
            "nondetect": sorted(nondetect),
        },
        standard="GB 3838-2002 表1",
    )


# -- outfalls (task 14) -----------------------------------------------------------------------------------


def _record_names(record: Record) -> set[str]:
    aliases = record.fields.get("aliases") or ()
    if isinstance(aliases, str):
        aliases = (aliases,)
    names = (record.id, str(record.fields.get("name", "")), *(str(a) for a in aliases))
    return {normalise_name(n) for n in names if n}


def _record_rows(obs: ObservationSet, record: Record, start: dt.date, stop: dt.date) -> ObservationSet:
    names = _record_names(record)
    codes = np.asarray([i for i, s in enumerate(obs.sites) if normalise_name(s) in names], dtype=np.int32)
    return obs.select(sites=codes, start=start, end=stop + dt.timedelta(days=1))


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months(first: dt.date, last: dt.date) -> list[str]:
    """``YYYY-MM`` labels of every month from ``first``'s to ``last``'s, inclusive."""
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _last_complete_month(as_of: dt.date) -> dt.date:
    """The last day of the last calendar month that is over on ``as_of`` (``as_of`` itself at month end)."""
    next_day = as_of + dt.timedelta(days=1)
    return as_of if next_day.month != as_of.month else _month_start(as_of) - dt.timedelta(days=1)


def _extra_units(ctx: EvalContext, record: Record) -> list[str]:
    """Units the record names (``town`` or ``responsible``), as canonical Chinese names."""
    raw: list[str] = []
    for key in ("town", "responsible"):
        value = record.fields.get(key)
        if isinstance(value, str):
            raw.append(value)
        elif isinstance(value, (list, tuple)):
            raw.extend(str(v) for v in value)
    return [ctx.catalog.units.canonical_zh(n) for n in raw if ctx.catalog.units.resolve(n) is not None]


def _with_units(finding: Finding, extra: Sequence[str]) -> Finding:
    support = tuple(dict.fromkeys((*finding.support, *(u for u in extra if u not in finding.lead))))
    return attrs.evolve(finding, support=support)


_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[-~～—]\s*(-?\d+(?:\.\d+)?)\s*$")


def _outfall_limits(ctx: EvalContext, record: Record) -> dict[str, tuple[float, float]]:
    """The record's limits as ``parameter id -> (low, high)`` in the parameter's canonical unit.

    ``limits: {COD: "50 mg/L", pH: "6-9"}`` or flat fields ``limit_COD: "50 mg/L"``; a quantity is a
    maximum, ``"a-b"`` a range (pH)."""
    raw: dict[str, Any] = {}
    nested = record.fields.get("limits")
    if isinstance(nested, Mapping):
        raw.update({str(k): v for k, v in nested.items()})
    for key, value in record.fields.items():
        if key.startswith("limit_"):
            raw[key.removeprefix("limit_")] = value
    where = record.source.rpartition(":")[0] or None
    out: dict[str, tuple[float, float]] = {}
    for name, value in raw.items():
        param = ctx.catalog.parameters.resolve(name)
        if param is None:
            raise DataError(
                f"outfall {record.id!r}: limit for unknown parameter {name!r}", file=where, column="limits"
            )
        if isinstance(value, Quantity):
            try:
                out[param.id] = (-np.inf, float(value.m_as(param.unit)))
            except Exception as exc:  # noqa: BLE001 - pint's DimensionalityError; reported as a data error
                raise DataError(
                    f"outfall {record.id!r}: limit {name} = {value} does not fit {param.id} "
                    f"({format_unit(param.unit)}): {exc}",
                    file=where,
                    column="limits",
                ) from None
            continue
        match = _RANGE.match(str(value))
        if match is not None:
            out[param.id] = (float(match.group(1)), float(match.group(2)))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[param.id] = (-np.inf, float(value))
        else:
            raise DataError(
                f'outfall {record.id!r}: limit {name} = {value!r} is neither a quantity ("50 mg/L") '
                'nor a range ("6-9")',
                file=where,
                column="limits",
            )
    return out


@evaluator(OutfallMonitoringParams)
def evaluate_outfall_monitoring(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Task 14: every registered outfall sampled every month (default), or, with
    ``params.check: exceedance``, every sample within the outfall's own limits. One finding per outfall.

    The outfalls are the inventory's records of kind ``params.kind`` (default ``outfall``); an outfall's
    samples are the observation rows whose site is its id, ``name`` or one of its ``aliases``.
    """
    params = ctx.params_of(item, OutfallMonitoringParams)
    kind = params.kind_or(getattr(item, "applies_to", "") or "outfall")
    check = params.check
    start, end = ctx.period(item)
    if ctx.inventory is None:
        return [
            ctx.finding(
                item,
                status=Status.INSUFFICIENT_DATA,
                message_zh=f"{item.title_zh}：未提供清单数据（需要 kind={kind} 的入河排污口登记记录"
                + ("及其排放限值 limits" if check == "exceedance" else "")
                + "）",
                message_en=f"{item.title_en}: no inventory given (needs the registered outfalls as "
                f"records of kind {kind!r}" + (" with their limits" if check == "exceedance" else "") + ")",
                details={"missing": [kind]},
            )
        ]
    records = [r for r in ctx.inventory.by_kind(kind) if matches_where(r.fields, params.where)]
    if not records:
        return [
            ctx.finding(
                item,
                status=Status.INSUFFICIENT_DATA,
                message_zh=f"{item.title_zh}：清单中没有 kind={kind} 的入河排污口记录",
                message_en=f"{item.title_en}: the inventory has no records of kind {kind!r}",
                details={"missing": [kind]},
            )
        ]
    if ctx.observations is None:
        return [
            ctx.finding(
                item,
                status=Status.INSUFFICIENT_DATA,
                message_zh=f"{item.title_zh}：未提供监测数据（需要各排污口的逐月水质监测记录，"
                "site 为排污口名称）",
                message_en=f"{item.title_en}: no observations given (needs each outfall's monthly "
                "samples, with the outfall's name as site)",
                details={"missing": ["observations"]},
            )
        ]
    out: list[Finding] = []
    for record in records:
        finding = (
            _outfall_months(item, ctx, record, start, end)
            if check == "monitoring"
            else _outfall_exceedance(item, ctx, record, start, end)
        )
        out.append(_with_units(finding, _extra_units(ctx, record)))
    return out


def _outfall_months(
    item: Target | Rule, ctx: EvalContext, record: Record, start: dt.date, end: dt.date
) -> Finding:
    assert ctx.observations is not None
    name = str(record.fields.get("name", record.id))
    first = start
    since = record.fields.get("monitored_from")
    if isinstance(since, dt.date) and since > first:
        first = since
    last = min(end, _last_complete_month(ctx.as_of))
    closed = record.fields.get("closed")
    if isinstance(closed, dt.date) and closed < last:
        last = closed
    threshold = (item.thresholds or (None,))[0]  # ">= 1": samples per outfall per calendar month
    per_month = max(int(limit_in(threshold, "")), 1) if threshold is not None else 1
    expected = _months(first, last) if first <= last else []
    if not expected:
        return ctx.finding(
            item,
            status=Status.NOT_APPLICABLE,
            subject=name,
            evidence=[record.source],
            message_zh=f"{name}：截至{ctx.as_of}尚无需监测的完整月份",
            message_en=f"{name}: no complete month to monitor yet on {ctx.as_of}",
        )
    rows = _record_rows(ctx.observations, record, _month_start(first), last)
    # A sample is one sampling time (several parameters measured together count once).
    stamps = np.unique(rows.time)
    months = stamps.astype("datetime64[M]").astype(str)
    label, counts = np.unique(months, return_counts=True)
    count_of = dict(zip(label.tolist(), counts.tolist(), strict=True))
    missing = [m for m in expected if count_of.get(m, 0) < per_month]
    monitored = len(expected) - len(missing)
    ok = not missing
    period = f"{expected[0]}..{expected[-1]}"
    return ctx.finding(
        item,
        status=Status.MET if ok else Status.NOT_MET,
        subject=name,
        value=float(monitored),
        limit=float(len(expected)),
        unit="个月",
        period=period,
        message_zh=f"{name}：{period}应监测{len(expected)}个月，已监测{monitored}个月"
        + (f"；缺测月份：{'、'.join(missing)}" if missing else ""),
        message_en=f"{name}: {monitored} of {len(expected)} months monitored {period}"
        + (f"; missing: {', '.join(missing)}" if missing else ""),
        evidence=[record.source, *rows.evidence()],
        details={
            "expected_months": expected,
            "missing_months": missing,
            "samples_per_month": count_of,
            "min_samples_per_month": per_month,
            "outfall": record.id,
        },
    )


def _outfall_exceedance(
    item: Target | Rule, ctx: EvalContext, record: Record, start: dt.date, end: dt.date
) -> Finding:
    assert ctx.observations is not None
    name = str(record.fields.get("name", record.id))
    limits = _outfall_limits(ctx, record)
    stop = min(end, ctx.as_of)
    deadline = record.fields.get("deadline")
    deadline_info = {"deadline": deadline.isoformat()} if isinstance(deadline, dt.date) else {}
    if not limits:
        return ctx.finding(
            item,
            status=Status.INSUFFICIENT_DATA,
            subject=name,
            evidence=[record.source],
            message_zh=f'{name}：登记记录没有排放限值（如 limits: {{COD: "50 mg/L"}}）',
            message_en=f"{name}: the outfall record has no discharge limits "
            '(e.g. limits: {COD: "50 mg/L"})',
            details={"missing": ["limits"], "outfall": record.id},
        )
    rows = _record_rows(ctx.observations, record, start, stop)
    codes = {pid: code for code, pid in enumerate(rows.parameters) if pid in limits}
    rows = (
        rows.take(np.isin(rows.parameter, list(codes.values())))
        if codes
        else rows.take(np.zeros(len(rows), dtype=bool))
    )
    if len(rows) == 0:
        return ctx.finding(
            item,
            status=Status.INSUFFICIENT_DATA,
            subject=name,
            evidence=[record.source],
            message_zh=f"{name}：{start}至{stop}没有限值指标（{'、'.join(limits)}）的监测数据",
            message_en=f"{name}: no samples of the limited parameters ({', '.join(limits)}) {start}..{stop}",
            details={"missing": ["observations"], "outfall": record.id, **deadline_info},
        )
    values = rows.stat_values()
    pids = np.asarray(rows.parameters, dtype=object)[rows.parameter]
    low = np.asarray([limits[str(p)][0] for p in pids], dtype=np.float64)
    high = np.asarray([limits[str(p)][1] for p in pids], dtype=np.float64)
    over = (values > high) | (values < low)
    exceed: list[dict[str, Any]] = []
    for row in np.flatnonzero(over).tolist():
        pid = str(pids[row])
        lo, hi = limits[pid]
        exceed.append(
            {
                "date": str(rows.time[row].astype("datetime64[D]")),
                "parameter": pid,
                "value": _sig(float(values[row])),
                "limit": hi if np.isfinite(hi) else None,
                "range": [lo, hi] if np.isfinite(lo) else None,
                "unit": format_unit(ctx.catalog.parameters[pid].unit),
                "multiple": round(float(values[row]) / hi, 4) if np.isfinite(hi) and hi > 0 else None,
            }
        )
    n = int(np.unique(rows.time).size)
    if not exceed:
        return ctx.finding(
            item,
            status=Status.MET,
            subject=name,
            period=_period_label(start, end),
            message_zh=f"{name}：{n}次监测，{'、'.join(limits)}均未超过排放限值",
            message_en=f"{name}: {n} samples, {', '.join(limits)} within the outfall's limits",
            evidence=[record.source, *rows.evidence()],
            details={"samples": n, "exceedances": [], "outfall": record.id, **deadline_info},
        )
    worst = max(exceed, key=lambda e: e["multiple"] or 0.0)
    months = sorted({e["date"][:7] for e in exceed})
    last_sample = rows.time.max()
    latest_over = bool(over[rows.time == last_sample].any())
    listed_zh = "；".join(
        f"{e['date']} {_param_zh(ctx, e['parameter'])} {_fmt(e['value'])} {e['unit']}"
        + (
            f"（限值 {_fmt(e['limit'])}，{e['multiple']:.2f}倍）"
            if e["limit"] is not None
            else f"（限值 {e['range'][0]:g}-{e['range'][1]:g}）"
        )
        for e in exceed
    )
    listed_en = "; ".join(f"{e['date']} {e['parameter']} {_fmt(e['value'])} {e['unit']}" for e in exceed)
    due_zh = ""
    due_en = ""
    if isinstance(deadline, dt.date):
        past = ctx.as_of > deadline
        due_zh = f"；限期达标 {deadline}" + ("，已过期限" if past and latest_over else "")
        due_en = f"; compliance due {deadline}" + (" (passed)" if past and latest_over else "")
    return ctx.finding(
        item,
        status=Status.NOT_MET,
        subject=name,
        value=worst["value"],
        limit=worst["limit"],
        unit=worst["unit"],
        period=_period_label(start, end),
        message_zh=f"{name}：超标排放{len(exceed)}次（{'、'.join(months)}）：{listed_zh}"
        + ("；最近一次监测仍超标" if latest_over else "；最近一次监测已达标")
        + due_zh,
        message_en=f"{name}: {len(exceed)} samples above the outfall's limits ({', '.join(months)}): {listed_en}"
        + ("; the latest sample still exceeds" if latest_over else "; the latest sample complies")
        + due_en,
        evidence=[record.source, *rows.evidence(over)],
        details={
            "samples": n,
            "exceedances": exceed,
            "months": months,
            "latest_exceeds": latest_over,
            "outfall": record.id,
            **deadline_info,
        },
    )


WATER_EVALUATORS: dict[str, Evaluator] = {
    "section_class": evaluate_section_class,
    "drinking_source_share": evaluate_drinking_source_share,
    "black_odorous_bodies": evaluate_black_odorous_bodies,
    "facilities_completed": evaluate_facilities_completed,
    "effluent_class": evaluate_effluent_class,
    "outfall_monitoring": evaluate_outfall_monitoring,
}

"""Monitoring points: the three point-type targets (工作目标); task 3 is in :mod:`.attainment`.

- ``groundwater_point_class`` — every registered point of the target's type (``params.point_type``:
  ``regional`` 国考区域点位, ``drinking_source`` 国考饮用水源点位, ``pollution_risk`` 国考污染风险监控点位)
  classified by GB/T 14848-2017 over the target's period (samples up to ``as_of``; period means), met when
  at or better than the threshold's class; one finding per point, then one for the county naming the
  points that fail and their limiting items. A class is never ``met`` on thin data: ``items_missing``
  is in every finding, and a point without the decisive items (``params.decisive_items``) is
  ``insufficient_data`` naming them.
Points are register records (kind ``groundwater_point``): ``id``, ``name``, ``aliases``, ``point_type``,
``town``, optional ``target_class`` and ``exceedance_cause``. Their samples are the observation rows
whose ``site`` is the record's id, name or an alias.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import attrs

from envplan_core.plugin import (
    EvalContext,
    Finding,
    ObservationSet,
    PlanError,
    Record,
    Rule,
    Status,
    Target,
    computation,
    evaluator,
    period_label,
)
from envplan_core.standards import gbt14848
from envplan_groundwater.common import (
    Vocabulary,
    check_vocabulary,
    class_zh,
    missing_fields_finding,
    names_of,
    no_records_finding,
    param_zh,
    record_name,
    record_units,
    text_field,
    vocabulary_value,
    with_units,
)
from envplan_groundwater.quality import (
    DECISIVE_ITEMS,
    STANDARD_PERIOD,
    class_text,
    exceedances_en,
    exceedances_zh,
    groundwater_rows,
    point_class,
    point_row,
    rows_named,
    sample_classes,
)

__all__ = [
    "POINT_KIND",
    "POINT_TYPES",
    "Point",
    "PointClassParams",
    "Verdict",
    "class_limit_of",
    "evaluate_point_class",
    "item_names_zh",
    "judge_point",
    "registered_points",
]

POINT_KIND = "groundwater_point"

POINT_TYPES = Vocabulary(
    field="point_type",
    spellings={
        "regional": ("区域点位", "国考区域点位", "地下水国考区域点位", "区域", "regional point"),
        "drinking_source": (
            "饮用水源点位",
            "饮用水水源点位",
            "国考饮用水源点位",
            "地下水国考饮用水源点位",
            "饮用水源",
            "drinking",
            "drinking water source",
        ),
        "pollution_risk": (
            "污染风险监控点位",
            "国考污染风险监控点位",
            "地下水国考污染风险监控点位",
            "风险监控点位",
            "污染风险",
            "risk",
        ),
    },
    labels_zh={
        "regional": "国考区域点位",
        "drinking_source": "国考饮用水源点位",
        "pollution_risk": "国考污染风险监控点位",
    },
)

# -- parameters ------------------------------------------------------------------------------------------


def _point_type(value: Any) -> str:
    (canonical,) = check_vocabulary([str(value)], POINT_TYPES)
    return canonical


def _items(value: Any) -> tuple[str, ...]:
    out = []
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"expected a list of GB/T 14848-2017 items, got {value!r}")
    for name in (str(v) for v in value):
        try:
            out.append(gbt14848.resolve(name))
        except Exception:  # noqa: BLE001 - the standard's DataError, reported as a load error
            raise ValueError(f"{name!r} is not a GB/T 14848-2017 item") from None
    return tuple(dict.fromkeys(out))


@attrs.frozen
class PointClassParams:
    """Parameters of ``groundwater_point_class``.

    - ``point_type``: ``regional``, ``drinking_source`` or ``pollution_risk`` (Chinese spellings too);
    - ``kind``: the register's record kind of the points (default ``groundwater_point``);
    - ``decisive_items``: the GB/T 14848-2017 items that decide classes in practice (default
      :data:`~envplan_groundwater.quality.DECISIVE_ITEMS`); a point with none of them measured is
      ``insufficient_data``;
    - ``met_requires``: ``all`` (default: ``met`` only when every decisive item was measured; a point
      that would pass without them is ``insufficient_data``) or ``any`` (one decisive item is enough).
    """

    point_type: str = attrs.field(converter=_point_type)
    kind: str = POINT_KIND
    decisive_items: tuple[str, ...] = attrs.field(default=DECISIVE_ITEMS, converter=_items)
    met_requires: Literal["all", "any"] = "all"


# -- points ----------------------------------------------------------------------------------------------


@attrs.frozen
class Point:
    """A monitoring point of the register: its record, names, type and own target class (if given)."""

    record: Record
    name: str
    names: tuple[str, ...]
    point_type: str | None
    raw_type: str | None
    target_class: int | None = None
    bad_target: str | None = None

    @property
    def type_zh(self) -> str:
        return POINT_TYPES.zh(self.point_type) if self.point_type else "类型不明的点位"


def registered_points(ctx: EvalContext, kind: str) -> list[Point]:
    """The register's points of ``kind`` (empty without an inventory)."""
    if ctx.inventory is None:
        return []
    out = []
    for record in ctx.inventory.by_kind(kind):
        point_type = vocabulary_value(record, POINT_TYPES)
        raw = text_field(record, "point_type")
        target: int | None = None
        bad: str | None = None
        written = text_field(record, "target_class")
        if written is not None:
            try:
                target = gbt14848.class_code(written)
            except Exception:  # noqa: BLE001 - the standard's DataError: reported with the record
                bad = written
        out.append(
            Point(
                record=record,
                name=record_name(record),
                names=tuple(names_of(record)),
                point_type=point_type if isinstance(point_type, str) else None,
                raw_type=raw,
                target_class=target,
                bad_target=bad,
            )
        )
    return out


@attrs.frozen
class Verdict:
    """One point judged against a class: status, the class result and why (``reason``)."""

    point: Point
    status: Status
    limit_code: int
    result: gbt14848.PointClass | None = None
    rows: ObservationSet | None = None
    decisive_missing: tuple[str, ...] = ()
    other_parameters: tuple[str, ...] = ()
    reason: str = ""  # no_observations | no_item | no_decisive | decisive_missing


def judge_point(
    point: Point,
    ctx: EvalContext,
    *,
    start: dt.date,
    stop: dt.date,
    limit_code: int,
    decisive: Sequence[str],
    met_requires: str,
) -> Verdict:
    """The point's class over ``start``..``stop`` against ``limit_code`` (see the module docstring)."""
    if ctx.observations is None:
        return Verdict(point, Status.INSUFFICIENT_DATA, limit_code, reason="no_observations")
    rows = rows_named(ctx.observations, point.names)
    rows = rows.select(start=start, end=stop + dt.timedelta(days=1))
    rows, other = groundwater_rows(rows)
    if len(rows) == 0:
        return Verdict(
            point,
            Status.INSUFFICIENT_DATA,
            limit_code,
            rows=rows,
            decisive_missing=tuple(decisive),
            other_parameters=tuple(other),
            reason="no_observations",
        )
    result = point_class(rows)
    measured = set(result.judged)
    missing = tuple(p for p in decisive if p not in measured)
    common: dict[str, Any] = {
        "result": result,
        "rows": rows,
        "decisive_missing": missing,
        "other_parameters": tuple(other),
    }
    if result.class_code == 0:
        return Verdict(point, Status.INSUFFICIENT_DATA, limit_code, reason="no_item", **common)
    if decisive and len(missing) == len(decisive):
        return Verdict(point, Status.INSUFFICIENT_DATA, limit_code, reason="no_decisive", **common)
    if result.class_code > limit_code:
        return Verdict(point, Status.NOT_MET, limit_code, **common)
    if missing and met_requires == "all":
        return Verdict(point, Status.INSUFFICIENT_DATA, limit_code, reason="decisive_missing", **common)
    return Verdict(point, Status.MET, limit_code, **common)


def item_names_zh(pids: Iterable[str]) -> str:
    return "、".join(param_zh(p) for p in pids)


_RULE_ZH = (
    "GB/T 14848-2017 §6.2、§6.3：各指标取评价期内样品均值（未检出按检出限一半计，全部未检出按检出限定类），"
    "逐项“从优不从劣”定类，点位取最差指标的类别；目标为{limit}类或更优；达标须测定决定类别的指标（{decisive}）"
)
_RULE_EN = (
    "GB/T 14848-2017 §6.2, §6.3: each item's mean over the period's samples (non-detects at half the "
    "detection limit; all non-detects classified at the limit), each item the best class it meets, the "
    "point the worst item; target class {limit} or better; met only with the decisive items measured "
    "({decisive})"
)


def _point_computation(verdict: Verdict, period: str, decisive: Sequence[str]) -> dict[str, Any]:
    limit = gbt14848.CLASS_NAMES[verdict.limit_code]
    result, rows = verdict.result, verdict.rows
    n_samples = len(sample_classes(rows)) if rows is not None and len(rows) else 0
    return computation(
        period=period,
        statistic="class_of_period_means",
        n=n_samples,
        n_of="samples",
        value=(result.class_name or None) if result is not None else None,
        value_raw=None,
        rounding="none: the unrounded means are compared with the class limits",
        rule_zh=_RULE_ZH.format(limit=class_zh(limit), decisive=item_names_zh(decisive)),
        rule_en=_RULE_EN.format(limit=limit, decisive=", ".join(decisive)),
        decisive_missing=list(verdict.decisive_missing),
        items_judged=list(result.judged) if result is not None else [],
        items_missing=list(result.missing) if result is not None else list(gbt14848.ROUTINE_PARAMETERS),
    )


def _verdict_details(
    verdict: Verdict, ctx: EvalContext, end: dt.date, *, period: str, decisive: Sequence[str]
) -> dict[str, Any]:
    point = verdict.point
    details: dict[str, Any] = {
        "point": point.record.id,
        "point_type": point.point_type,
        "target_class": gbt14848.CLASS_NAMES[verdict.limit_code],
        "decisive_missing": list(verdict.decisive_missing),
        "provisional": ctx.as_of < end,
        "computation": _point_computation(verdict, period, decisive),
    }
    if verdict.result is not None and verdict.rows is not None:
        details.update(point_row(verdict.result))
        details["samples"] = sample_classes(verdict.rows)
    else:
        details.update(
            {
                "class": None,
                "limiting": [],
                "exceedances": {},
                "items_judged": [],
                "items_missing": list(gbt14848.ROUTINE_PARAMETERS),
            }
        )
    if verdict.other_parameters:
        details["other_parameters"] = list(verdict.other_parameters)
    return details


def _point_finding(
    item: Target | Rule,
    ctx: EvalContext,
    verdict: Verdict,
    *,
    period: str,
    end: dt.date,
    decisive: Sequence[str],
) -> Finding:
    point, result = verdict.point, verdict.result
    limit = gbt14848.CLASS_NAMES[verdict.limit_code]
    head_zh = f"{point.name}（{point.type_zh}）{period}"
    head_en = f"{point.name} ({point.point_type or 'point'}) {period}"
    rest_zh: list[str] = []
    rest_en: list[str] = []
    if verdict.reason == "no_observations":
        given = (
            "未提供监测数据" if ctx.observations is None else "监测数据中没有该点位GB/T 14848-2017指标的记录"
        )
        zh = f"{head_zh}：{given}；至少需要决定类别的指标：{item_names_zh(verdict.decisive_missing)}"
        en = (
            f"{head_en}: no observations of GB/T 14848-2017 items; needs at least the decisive items "
            f"{', '.join(verdict.decisive_missing)}"
        )
    elif result is None or verdict.reason == "no_item":
        zh, en = f"{head_zh}：没有可定类的指标", f"{head_en}: no item that can be classified"
    else:
        cls_zh, cls_en = class_text(result)
        if verdict.reason == "no_decisive":
            zh = (
                f"{head_zh}：已测{len(result.judged)}项（{item_names_zh(result.judged)}），按已测指标为{cls_zh}，"
                f"但决定类别的指标均未监测（缺：{item_names_zh(verdict.decisive_missing)}），不能判定"
            )
            en = (
                f"{head_en}: {cls_en} on {len(result.judged)} items, but none of the decisive items was "
                f"measured (missing: {', '.join(verdict.decisive_missing)})"
            )
        elif verdict.reason == "decisive_missing":
            zh = (
                f"{head_zh}：按已测{len(result.judged)}项为{cls_zh}，但缺少决定类别的指标"
                f"（{item_names_zh(verdict.decisive_missing)}），不能判定达到{class_zh(limit)}类目标"
            )
            en = (
                f"{head_en}: {cls_en} on the items measured, but decisive items are missing "
                f"({', '.join(verdict.decisive_missing)}): cannot say it meets class {limit}"
            )
        else:
            ok = verdict.status is Status.MET
            zh = f"{head_zh}：{cls_zh}，目标不劣于{class_zh(limit)}类，{'达标' if ok else '未达标'}"
            en = f"{head_en}: {cls_en}; target class {limit} or better: {'met' if ok else 'not met'}"
        if result.exceedance:
            rest_zh.append(f"超Ⅲ类：{exceedances_zh(result.exceedance)}")
            rest_en.append(f"over class III: {exceedances_en(result.exceedance)}")
        if result.missing:
            rest_zh.append(f"缺测常规指标{len(result.missing)}项（{item_names_zh(result.missing)}）")
            rest_en.append(f"{len(result.missing)} routine items not measured ({', '.join(result.missing)})")
        if result.nondetect:
            rest_zh.append(f"{len(result.nondetect)}项含未检出值（按检出限一半计）")
            rest_en.append(f"{len(result.nondetect)} items include non-detects (half the detection limit)")
        rest_zh.extend(result.notes)
    if ctx.as_of < end:
        rest_zh.append(f"评价期未结束（截至{ctx.as_of}），结果为初步结果")
        rest_en.append(f"period not over on {ctx.as_of}: provisional")
    finding = ctx.finding(
        item,
        status=verdict.status,
        subject=point.name,
        value=(result.class_name or None)
        if result is not None and verdict.status is not Status.INSUFFICIENT_DATA
        else None,
        limit=limit,
        period=period,
        message_zh=zh + ("；" + "；".join(rest_zh) if rest_zh else ""),
        message_en=en + ("; " + "; ".join(rest_en) if rest_en else ""),
        evidence=[point.record.source, *(verdict.rows.evidence() if verdict.rows is not None else ())],
        details=_verdict_details(verdict, ctx, end, period=period, decisive=decisive),
        standard=STANDARD_PERIOD,
    )
    return with_units(finding, support=record_units(ctx, point.record))


def _untyped_finding(item: Target | Rule, ctx: EvalContext, point: Point) -> Finding:
    bad = {} if point.raw_type is None else {"point_type": point.raw_type}
    return missing_fields_finding(
        item,
        ctx,
        point.record,
        ["point_type"] if point.raw_type is None else [],
        bad=bad,
        hint_zh=f"（点位类型须为：{POINT_TYPES.choices()}）",
        hint_en=f" (point_type must be one of {POINT_TYPES.choices()})",
    )


def class_limit_of(ctx: EvalContext, item: Target | Rule, *, day: dt.date | None = None) -> int:
    threshold = ctx.threshold_for(item, day)
    if threshold is None or not isinstance(threshold.value, str):
        raise PlanError(f"{ctx.plan.id}: {item.id!r} needs a class threshold (class<= III …)")
    return gbt14848.class_code(threshold.value)


# -- point-type targets ----------------------------------------------------------------------------------


@evaluator(PointClassParams)
def evaluate_point_class(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Every point of the target's type classified by GB/T 14848-2017; per point and for the county."""
    params = ctx.params_of(item, PointClassParams)
    start, end = ctx.period(item)
    stop = min(end, ctx.as_of)
    period = period_label(start, end)
    # Before the period the threshold in force is the one of its first day (none may be in force yet on as_of).
    limit_code = class_limit_of(ctx, item, day=start if stop < start else None)
    limit = gbt14848.CLASS_NAMES[limit_code]
    type_zh = POINT_TYPES.zh(params.point_type)
    points = registered_points(ctx, params.kind)
    if stop < start:
        return [
            ctx.finding(
                item,
                status=Status.NOT_APPLICABLE,
                subject="新绛县",
                period=period,
                limit=limit,
                message_zh=f"{item.title_zh}：评价期 {period} 尚未开始（基准日 {ctx.as_of}）",
                message_en=f"{item.title_en}: the period {period} has not started on {ctx.as_of}",
                details={
                    "items_missing": list(gbt14848.ROUTINE_PARAMETERS),
                    "computation": computation(
                        period=period,
                        statistic="class_of_period_means",
                        n=0,
                        n_of="samples",
                        rule_zh=f"评价期 {period} 尚未开始，不作判定",
                        rule_en=f"the period {period} has not started: nothing is judged",
                    ),
                },
            )
        ]
    out: list[Finding] = []
    verdicts: list[Verdict] = []
    untyped = [p for p in points if p.point_type is None]
    out.extend(_untyped_finding(item, ctx, p) for p in untyped)
    for point in (p for p in points if p.point_type == params.point_type):
        verdict = judge_point(
            point,
            ctx,
            start=start,
            stop=stop,
            limit_code=limit_code,
            decisive=params.decisive_items,
            met_requires=params.met_requires,
        )
        verdicts.append(verdict)
        out.append(_point_finding(item, ctx, verdict, period=period, end=end, decisive=params.decisive_items))
    if not verdicts and not untyped:
        missing = no_records_finding(
            item,
            ctx,
            params.kind,
            f"{type_zh}（point_type={params.point_type}）",
            f"{params.point_type} points",
        )
        return [attrs.evolve(missing, limit=limit, period=period)]
    out.append(_county_finding(item, ctx, verdicts, untyped, params, limit=limit, period=period))
    return out


def _county_finding(
    item: Target | Rule,
    ctx: EvalContext,
    verdicts: Sequence[Verdict],
    untyped: Sequence[Point],
    params: PointClassParams,
    *,
    limit: str,
    period: str,
) -> Finding:
    type_zh = POINT_TYPES.zh(params.point_type)
    failing = [v for v in verdicts if v.status is Status.NOT_MET]
    thin = [v for v in verdicts if v.status is Status.INSUFFICIENT_DATA]
    met = [v for v in verdicts if v.status is Status.MET]
    if failing:
        status = Status.NOT_MET
    elif thin or untyped or not verdicts:
        status = Status.INSUFFICIENT_DATA
    else:
        status = Status.MET

    def fail_zh(v: Verdict) -> str:
        assert v.result is not None
        over = f"，{exceedances_zh(v.result.exceedance)}" if v.result.exceedance else ""
        return f"{v.point.name}：{class_zh(v.result.class_name)}类（定类指标{item_names_zh(v.result.limiting)}{over}）"

    parts_zh = [f"{type_zh}{len(verdicts)}个，达标{len(met)}个"]
    parts_en = [f"{len(verdicts)} {params.point_type} points, {len(met)} met"]
    if failing:
        parts_zh.append(
            f"未达{class_zh(limit)}类{len(failing)}个（{'；'.join(fail_zh(v) for v in failing)}）"
        )
        parts_en.append(
            f"{len(failing)} worse than class {limit}: "
            + "; ".join(
                f"{v.point.name} class {v.result.class_name if v.result else '?'} (limiting: "
                f"{', '.join(v.result.limiting) if v.result else ''})"
                for v in failing
            )
        )
    if thin:
        parts_zh.append(f"数据不足{len(thin)}个（{'、'.join(v.point.name for v in thin)}）")
        parts_en.append(f"{len(thin)} with insufficient data ({', '.join(v.point.name for v in thin)})")
    if untyped:
        parts_zh.append(
            f"另有{len(untyped)}个点位类型不明（{'、'.join(p.name for p in untyped)}），可能属于本类"
        )
        parts_en.append(f"{len(untyped)} points of unknown type ({', '.join(p.name for p in untyped)})")
    rows = [
        {
            "point": v.point.record.id,
            "name": v.point.name,
            "status": v.status.value,
            "class": v.result.class_name or None if v.result is not None else None,
            "limiting": list(v.result.limiting) if v.result is not None else [],
            "exceedances": {p: round(m, 4) for p, m in v.result.exceedance.items()} if v.result else {},
            "items_missing": list(v.result.missing)
            if v.result is not None
            else list(gbt14848.ROUTINE_PARAMETERS),
        }
        for v in verdicts
    ]
    return ctx.finding(
        item,
        status=status,
        subject="新绛县",
        value=float(len(met)),
        limit=float(len(verdicts)),
        unit="个点位",
        period=period,
        message_zh=f"{item.title_zh}（{period}）：" + "；".join(parts_zh),
        message_en=f"{item.title_en} ({period}): " + "; ".join(parts_en),
        evidence=[v.point.record.source for v in verdicts],
        details={
            "computation": computation(
                period=period,
                statistic="points_at_target_class",
                n=len(verdicts),
                n_of="points",
                value=float(len(met)),
                value_raw=float(len(met)),
                unit="个点位",
                rule_zh=f"{type_zh}逐个按GB/T 14848-2017定类（见各点位发现）；任一点位劣于{class_zh(limit)}类即未达标，"
                "任一点位数据不足或类型不明即数据不足，全部达标方为达标",
                rule_en=f"each {params.point_type} point classified by GB/T 14848-2017 (see its finding); not met when "
                f"any point is worse than class {limit}, insufficient data when any point lacks data or a point's "
                "type is unknown, met when every point meets it",
                failing=len(failing),
                insufficient=len(thin),
                untyped=len(untyped),
            ),
            "target_class": limit,
            "points": rows,
            "failing": [v.point.name for v in failing],
            "insufficient": [v.point.name for v in thin],
            "untyped": [p.name for p in untyped],
            "items_judged": {v.point.name: list(v.result.judged) if v.result else [] for v in verdicts},
            "items_missing": {
                v.point.name: list(v.result.missing) if v.result else list(gbt14848.ROUTINE_PARAMETERS)
                for v in verdicts
            },
        },
        standard=STANDARD_PERIOD,
    )

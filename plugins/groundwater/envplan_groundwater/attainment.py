"""Task 3: cause analyses and attainment plans for the points that fail, and for every drinking-source point.

``groundwater_attainment_plans``: every point failing its target (``params.failing_of``: the
``groundwater_point_class`` targets whose failing points need a cause analysis and — unless the cause is
geological (``exceedance_cause: geological``) — an attainment plan; a point's own ``target_class`` in the
register, its national assessment target, takes precedence over the plan's class) and every point of the
types in ``params.every_point_of`` (drinking-source points: an attainment or maintenance plan) needs a
``done`` row of the rule's task in the progress file, dated on or before ``as_of``, whose note names the
point (its id, name or an alias). One finding per point that needs one, then one for the county naming
the points that lack one. Points whose class cannot be told are ``insufficient_data``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs

from envplan_core.plugin import EvalContext, Finding, PlanError, Rule, Status, Target, evaluator
from envplan_core.standards import gbt14848
from envplan_groundwater.common import (
    Vocabulary,
    as_name_list,
    check_vocabulary,
    class_zh,
    clause_label,
    missing_fields_finding,
    no_records_finding,
    note_names,
    record_units,
    task_due,
    vocabulary_value,
    with_units,
)
from envplan_groundwater.points import (
    POINT_KIND,
    POINT_TYPES,
    Point,
    PointClassParams,
    Verdict,
    class_limit_of,
    judge_point,
    registered_points,
)
from envplan_groundwater.quality import class_text

__all__ = ["CAUSES", "AttainmentPlanParams", "evaluate_attainment_plans"]

CAUSES = Vocabulary(
    field="exceedance_cause",
    spellings={
        "geological": ("地质", "地质原因", "地质背景", "原生", "natural", "natural background", "background"),
        "human": ("人为", "人为因素", "非地质原因", "anthropogenic", "non-geological"),
    },
    labels_zh={"geological": "地质原因", "human": "非地质原因"},
)


def _point_types(value: Any) -> tuple[str, ...]:
    return check_vocabulary(as_name_list(value), POINT_TYPES)


@attrs.frozen
class AttainmentPlanParams:
    """Parameters of ``groundwater_attainment_plans``.

    - ``failing_of``: ids of ``groundwater_point_class`` targets; their points that fail need a cause
      analysis and (unless the cause is geological) an attainment plan;
    - ``every_point_of``: point types every point of which needs a plan (``[drinking_source]``);
    - ``kind``: the register's record kind of the points (default ``groundwater_point``).
    """

    failing_of: tuple[str, ...] = attrs.field(default=(), converter=as_name_list)
    every_point_of: tuple[str, ...] = attrs.field(default=(), converter=_point_types)
    kind: str = POINT_KIND


# -- task 3: cause analyses and attainment plans ---------------------------------------------------------


def _target(ctx: EvalContext, rule: Target | Rule, target_id: str) -> Target:
    found = next((t for t in ctx.plan.targets if t.id == target_id), None)
    if found is None or found.evaluator != "groundwater_point_class":
        raise PlanError(
            f"{ctx.plan.id}: rule {rule.id!r} params.failing_of names {target_id!r}, which is not a "
            "groundwater_point_class target of the plan"
        )
    return found


def _plan_rows(ctx: EvalContext, rule: Target | Rule, point: Point) -> tuple[list[Any], list[Any]]:
    """Progress rows of the rule's task dated up to ``as_of`` whose note names the point: done, other."""
    if ctx.progress is None:
        return [], []
    task = getattr(rule, "task", "")
    rows = [e for e in ctx.progress.for_task(task) if e.date <= ctx.as_of and note_names(e.note, point.names)]
    return [e for e in rows if e.status == "done"], [e for e in rows if e.status != "done"]


@evaluator(AttainmentPlanParams)
def evaluate_attainment_plans(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Task 3: failing points and every drinking-source point have their analysis and plan reported."""
    params = ctx.params_of(item, AttainmentPlanParams)
    points = registered_points(ctx, params.kind)
    if not points:
        return [no_records_finding(item, ctx, params.kind, "地下水国考点位", "groundwater monitoring points")]
    due = task_due(ctx, item)
    needs: dict[str, tuple[Point, str, Verdict | None]] = {}  # record id -> (point, why, verdict)
    out: list[Finding] = []
    undetermined: list[str] = []
    passing: list[str] = []
    for target_id in params.failing_of:
        target = _target(ctx, item, target_id)
        tparams = ctx.params_of(target, PointClassParams)
        start, end = ctx.period(target)
        # Before the period starts (as_of in an earlier year) the threshold in force at its start decides.
        plan_limit = class_limit_of(ctx, target, day=start if min(end, ctx.as_of) < start else None)
        for point in (p for p in points if p.point_type == tparams.point_type):
            if point.bad_target is not None:
                out.append(
                    missing_fields_finding(
                        item,
                        ctx,
                        point.record,
                        [],
                        bad={"target_class": point.bad_target},
                        hint_zh="（target_class 须为 Ⅰ–Ⅴ 类）",
                        hint_en=" (target_class: I–V)",
                    )
                )
                undetermined.append(point.name)
                continue
            limit = point.target_class or plan_limit
            verdict = judge_point(
                point,
                ctx,
                start=start,
                stop=min(end, ctx.as_of),
                limit_code=limit,
                decisive=tparams.decisive_items,
                met_requires=tparams.met_requires,
            )
            if verdict.status is Status.NOT_MET:
                needs[point.record.id] = (point, "failing", verdict)
            elif verdict.status is Status.INSUFFICIENT_DATA:
                undetermined.append(point.name)
                out.append(
                    ctx.finding(
                        item,
                        status=Status.INSUFFICIENT_DATA,
                        subject=point.name,
                        evidence=[point.record.source],
                        message_zh=f"{point.name}（{point.type_zh}）：水质数据不足，无法判断是否未达到"
                        f"{class_zh(gbt14848.CLASS_NAMES[limit])}类目标、是否需要成因分析和达标方案（{clause_label(item)}）",
                        message_en=f"{point.name}: not enough quality data to tell whether it fails class "
                        f"{gbt14848.CLASS_NAMES[limit]} and needs a cause analysis and plan",
                        details={
                            "point": point.record.id,
                            "reason": verdict.reason,
                            "decisive_missing": list(verdict.decisive_missing),
                        },
                    )
                )
            else:
                passing.append(point.name)
    for point in points:
        if point.point_type in params.every_point_of and point.record.id not in needs:
            needs[point.record.id] = (point, "every", None)
    lacking: list[str] = []
    order = {p.record.id: i for i, p in enumerate(points)}  # findings in register order
    for point, why, judged in sorted(needs.values(), key=lambda n: order[n[0].record.id]):
        finding = _plan_finding(item, ctx, point, why=why, verdict=judged, due=due)
        if finding.status is Status.NOT_MET:
            lacking.append(point.name)
        out.append(with_units(finding, support=record_units(ctx, point.record)))
    untyped = [p.name for p in points if p.point_type is None]
    if lacking:
        status = Status.NOT_MET
    elif undetermined or untyped or (ctx.progress is None and needs):
        status = Status.INSUFFICIENT_DATA
    else:
        status = Status.MET
    extra_zh = f"；无法判断{len(undetermined)}个（{'、'.join(undetermined)}）" if undetermined else ""
    extra_zh += f"；类型不明{len(untyped)}个（{'、'.join(untyped)}）" if untyped else ""
    out.append(
        ctx.finding(
            item,
            status=status,
            subject="新绛县",
            value=float(len(lacking)),
            limit=0.0,
            unit="个点位",
            message_zh=f"{item.title_zh}：需成因分析或方案的点位{len(needs)}个，进度文件中缺少的{len(lacking)}个"
            + (f"（{'、'.join(lacking)}）" if lacking else "")
            + f"；达标无需方案{len(passing)}个"
            + extra_zh,
            message_en=f"{item.title_en}: {len(needs)} points need an analysis or plan, {len(lacking)} lack one in the "
            f"progress file"
            + (f" ({', '.join(lacking)})" if lacking else "")
            + f"; {len(passing)} meet their target",
            details={
                "needing": [p.name for p, _, _ in needs.values()],
                "lacking": lacking,
                "passing": passing,
                "undetermined": undetermined,
                "untyped": untyped,
                "due": due.isoformat() if due else None,
            },
        )
    )
    return out


def _plan_finding(
    item: Target | Rule,
    ctx: EvalContext,
    point: Point,
    *,
    why: str,
    verdict: Verdict | None,
    due: dt.date | None,
) -> Finding:
    cause = vocabulary_value(point.record, CAUSES)
    geological = cause == "geological"
    if why == "failing":
        assert verdict is not None
        assert verdict.result is not None
        cls_zh, cls_en = class_text(verdict.result)
        target = gbt14848.CLASS_NAMES[verdict.limit_code]
        need_zh = f"{cls_zh}，未达到{class_zh(target)}类目标，须开展污染成因分析" + (
            "（已认定为地质原因，无需达标方案）" if geological else "并制定水质达标方案"
        )
        need_en = f"{cls_en}, worse than its class {target} target: needs a cause analysis" + (
            " (geological cause: no attainment plan needed)" if geological else " and an attainment plan"
        )
    else:
        need_zh, need_en = (
            "国考饮用水源点位须制定水质达标或保持方案",
            "a drinking-source point needs an attainment or maintenance plan",
        )
    done, other = _plan_rows(ctx, item, point)
    details: dict[str, Any] = {
        "point": point.record.id,
        "point_type": point.point_type,
        "why": why,
        "due": due.isoformat() if due else None,
        "exceedance_cause": cause if isinstance(cause, str) else None,
    }
    if verdict is not None and verdict.result is not None:
        details.update(
            {
                "class": verdict.result.class_name,
                "limiting": list(verdict.result.limiting),
                "exceedances": {p: round(m, 4) for p, m in verdict.result.exceedance.items()},
            }
        )
    evidence = [point.record.source, *(e.source for e in (*done, *other))]
    if done:
        first = min(done, key=lambda e: e.date)
        late = due is not None and first.date > due
        return ctx.finding(
            item,
            status=Status.MET,
            subject=point.name,
            evidence=evidence,
            message_zh=f"{point.name}（{point.type_zh}）：{need_zh}；进度文件 {first.date} 已报完成（{first.note}）"
            + ("，晚于期限" if late else ""),
            message_en=f"{point.name}: {need_en}; reported done on {first.date}"
            + (" (after the deadline)" if late else ""),
            details={**details, "reported_on": first.date.isoformat(), "late": late},
        )
    if ctx.progress is None:
        return ctx.finding(
            item,
            status=Status.INSUFFICIENT_DATA,
            subject=point.name,
            evidence=evidence,
            message_zh=f"{point.name}（{point.type_zh}）：{need_zh}；未提供进度文件（需要 {getattr(item, 'task', '')} "
            "的完成记录，备注写明点位名称）",
            message_en=f"{point.name}: {need_en}; no progress file given (needs a done row of "
            f"{getattr(item, 'task', '')} whose note names the point)",
            details={**details, "missing": ["progress"]},
        )
    provisional = due is not None and ctx.as_of <= due
    state_zh = "进度文件中该点位的工作进行中，尚无完成记录" if other else "进度文件中没有点名该点位的完成记录"
    state_en = (
        "in progress, no done row naming the point yet"
        if other
        else "no done row naming the point in the progress file"
    )
    return ctx.finding(
        item,
        status=Status.NOT_MET,
        subject=point.name,
        evidence=evidence,
        message_zh=f"{point.name}（{point.type_zh}）：{need_zh}；{state_zh}"
        + (f"（期限 {due} 未过，初步结果）" if provisional else ""),
        message_en=f"{point.name}: {need_en}; {state_en}"
        + (f" (due {due}: provisional)" if provisional else ""),
        details={**details, "provisional": provisional, "in_progress": bool(other)},
    )

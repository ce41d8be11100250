"""``non_road_machinery`` — machines used in the non-road mobile machinery emission control zone: emission
stage at least the threshold (国三), registered (编码登记), no black smoke (冒黑烟).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from envplan_air.facility_records import (
    WhereParams,
    all_clear,
    as_bool,
    as_rule,
    clause_label,
    missing_fields,
    no_records,
    operating_state,
    parse_stage,
    placed,
    record_name,
    records_of,
)
from envplan_core.plugin import (
    EvalContext,
    Finding,
    Rule,
    Status,
    Target,
    evaluator,
    limit_in,
)

__all__ = [
    "NonRoadMachineryParams",
    "evaluate_non_road_machinery",
]


@attrs.frozen
class NonRoadMachineryParams(WhereParams):
    """Parameters of ``non_road_machinery``.

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``where``: ``{field: value}`` a machine must match to be judged (e.g. the control zone);
    - ``field``: the record field holding the emission stage (default ``emission_standard``).
    """

    field: str = "emission_standard"


@evaluator(NonRoadMachineryParams)
def evaluate_non_road_machinery(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """In the control zone: stage ≥ the threshold (国三), registered (编码登记), no black smoke (冒黑烟).

    Record fields: ``zone``, ``emission_standard`` (3, "国三", "China III" …), ``registered``,
    ``black_smoke``.
    """
    rule = as_rule(item)
    params = ctx.params_of(rule, NonRoadMachineryParams)
    records = records_of(ctx, rule, params)
    if not records:
        return [no_records(rule, ctx, params)]
    field = params.field
    threshold = rule.thresholds[0] if rule.thresholds else None
    min_stage = limit_in(threshold, "dimensionless") if threshold else 3.0
    where = params.where
    out: list[Finding] = []
    checked = 0
    for record in placed(rule, ctx, records, where, out):
        if not operating_state(record, ctx.as_of).operating:
            continue
        checked += 1
        name = record_name(record)
        stage = parse_stage(record.get(field))
        registered = as_bool(record.get("registered"))
        smoke = as_bool(record.get("black_smoke"))
        problems_zh, problems_en = [], []
        if stage is not None and threshold is not None and not threshold.comparator.holds(stage, min_stage):
            problems_zh.append(f"排放标准国{stage}（国三以下）")
            problems_en.append(f"China {stage} (below China III)")
        if registered is False:
            problems_zh.append("未编码登记")
            problems_en.append("not registered")
        if smoke is True:
            problems_zh.append("冒黑烟")
            problems_en.append("black smoke")
        info = {"record": record.id, "stage": stage, "registered": registered, "black_smoke": smoke}
        if problems_zh:
            out.append(
                ctx.finding(
                    rule,
                    status=Status.NOT_MET,
                    subject=name,
                    # The value shows what broke the rule: the stage only when the stage is the problem.
                    value="、".join(problems_zh),
                    limit=f"≥国{min_stage:g}、已编码登记、无冒黑烟",
                    evidence=[record.source],
                    details=info,
                    message_zh=f"{name}：在非道路移动机械排放控制区使用，{'、'.join(problems_zh)}，违反「{rule.title_zh}」"
                    f"（{clause_label(rule)}）",
                    message_en=f"{name}: used in the emission control zone — {', '.join(problems_en)}",
                )
            )
        elif stage is None or registered is None:
            unknown = [f for f, v in ((field, stage), ("registered", registered)) if v is None]
            out.append(missing_fields(rule, ctx, record, unknown))
    if not out:
        out.append(
            all_clear(
                rule,
                ctx,
                details={"checked": checked},
                message_zh=f"{rule.title_zh}：控制区内{checked}台在用非道路移动机械均符合要求（{clause_label(rule)}）",
                message_en=f"{rule.title_en}: all {checked} machines in the control zone comply",
            )
        )
    return out

"""Tasks 13 and 14: protection and recharge zones of groundwater drinking-water sources.

``groundwater_source_zones`` reads records of kind ``groundwater_source`` (地下水型饮用水水源): ``name``,
``scale`` (``city`` 城市集中式, ``county`` 县级, ``qianduan_wanren`` “千吨万人”, ``qianren`` 千人,
``small`` smaller) and the day each zone was delineated: ``protection_zone_delineated_on`` (保护区划定,
task 13) and ``recharge_zone_delineated_on`` (补给区初步划定, task 14). Every source of a scale in
``params.scales`` (“千吨万人”及以上: city, county and 千吨万人) must have the zone of ``params.zone``
delineated by the due day of the rule's task (2023-12-31 for both: task 14 says 2023年底前, task 13
gives no date and falls due at the end of the plan year). Delineated late, or not at all after the due
day, is ``not_met``; not yet delineated on or before the due day is ``not_met`` marked provisional.
One finding per source, then one for the county.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

import attrs

from envplan_core.plugin import EvalContext, Finding, Record, Rule, Status, Target, evaluator
from envplan_groundwater.common import (
    MISSING,
    Vocabulary,
    as_name_list,
    check_vocabulary,
    clause_label,
    missing_fields_finding,
    no_records_finding,
    record_date,
    record_name,
    record_units,
    task_due,
    vocabulary_value,
    with_units,
)

__all__ = ["SCALES", "SOURCE_KIND", "SourceZonesParams", "evaluate_source_zones"]

SOURCE_KIND = "groundwater_source"

SCALES = Vocabulary(
    field="scale",
    spellings={
        "city": ("城市集中式", "城市", "市级", "city level"),
        "county": ("县级", "县级集中式", "县城", "county level"),
        "qianduan_wanren": ("千吨万人", "“千吨万人”", "千吨万人以上", "1000t10000"),
        "qianren": ("千人", "千人以上", "农村千人"),
        "small": ("千人以下", "分散式", "其他", "其它"),
    },
    labels_zh={
        "city": "城市集中式",
        "county": "县级集中式",
        "qianduan_wanren": "“千吨万人”",
        "qianren": "千人",
        "small": "千人以下",
    },
)

_ZONES = {
    "protection": ("protection_zone_delineated_on", "保护区划定", "protection zone delineated"),
    "recharge": ("recharge_zone_delineated_on", "补给区初步划定", "recharge zone preliminarily delineated"),
}


def _scales(value: Any) -> tuple[str, ...]:
    return check_vocabulary(as_name_list(value), SCALES)


@attrs.frozen
class SourceZonesParams:
    """Parameters of ``groundwater_source_zones``.

    - ``zone``: ``protection`` (task 13) or ``recharge`` (task 14);
    - ``scales``: the source scales that must have the zone (default ``[city, county, qianduan_wanren]``:
      “千吨万人”及以上);
    - ``kind``: the register's record kind (default ``groundwater_source``).
    """

    zone: Literal["protection", "recharge"]
    scales: tuple[str, ...] = attrs.field(default=("city", "county", "qianduan_wanren"), converter=_scales)
    kind: str = SOURCE_KIND


@evaluator(SourceZonesParams)
def evaluate_source_zones(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Tasks 13/14: protection or recharge zones of sources of “千吨万人” and above delineated by the due day."""
    params = ctx.params_of(item, SourceZonesParams)
    field, zone_zh, zone_en = _ZONES[params.zone]
    records = [] if ctx.inventory is None else ctx.inventory.by_kind(params.kind)
    if not records:
        return [
            no_records_finding(
                item, ctx, params.kind, "地下水型饮用水水源", "groundwater drinking-water sources"
            )
        ]
    due = task_due(ctx, item)
    out: list[Finding] = []
    done = late = outstanding = thin = smaller = 0
    for record in records:
        scale = vocabulary_value(record, SCALES)
        day = record_date(record, field)
        if scale is MISSING or scale is None or day is None:
            thin += 1
            out.append(
                missing_fields_finding(
                    item,
                    ctx,
                    record,
                    ["scale"] if scale is MISSING else [],
                    bad={
                        **({"scale": record.fields.get("scale")} if scale is None else {}),
                        **({field: record.fields.get(field)} if day is None else {}),
                    },
                    hint_zh=f"（scale 须为：{SCALES.choices()}；{field} 为日期）",
                    hint_en=f" (scale: one of {SCALES.choices()}; {field}: a date)",
                )
            )
            continue
        if scale not in params.scales:
            smaller += 1
            continue
        finding, state = _source_finding(
            item,
            ctx,
            record,
            scale=str(scale),
            day=day,
            due=due,
            field=field,
            zone_zh=zone_zh,
            zone_en=zone_en,
        )
        done += state == "done"
        late += state == "late"
        outstanding += state == "outstanding"
        out.append(with_units(finding, support=record_units(ctx, record)))
    checked = done + late + outstanding
    status = (
        Status.NOT_MET
        if late or outstanding
        else Status.INSUFFICIENT_DATA
        if thin or not checked
        else Status.MET
    )
    scales_zh = "、".join(SCALES.zh(s) for s in params.scales)
    out.append(
        ctx.finding(
            item,
            status=status,
            subject="新绛县",
            value=float(late + outstanding),
            limit=0.0,
            unit="处",
            message_zh=f"{item.title_zh}：{scales_zh}水源{checked}处，按期完成{zone_zh}{done}处，逾期完成{late}处，"
            f"尚未完成{outstanding}处；规模以下{smaller}处不在此列；字段不全{thin}处"
            + (f"（期限 {due}）" if due else "")
            + f"（{clause_label(item)}）",
            message_en=f"{item.title_en}: {checked} sources, {done} on time, {late} late, {outstanding} outstanding; "
            f"{smaller} smaller sources not concerned; {thin} incomplete records",
            details={
                "checked": checked,
                "on_time": done,
                "late": late,
                "outstanding": outstanding,
                "smaller": smaller,
                "incomplete": thin,
                "due": due.isoformat() if due else None,
                "provisional": due is not None and ctx.as_of <= due and bool(outstanding),
            },
        )
    )
    return out


def _source_finding(
    item: Target | Rule,
    ctx: EvalContext,
    record: Record,
    *,
    scale: str,
    day: Any,
    due: dt.date | None,
    field: str,
    zone_zh: str,
    zone_en: str,
) -> tuple[Finding, str]:
    name = record_name(record)
    head = f"{name}（{SCALES.zh(scale)}）"
    known = isinstance(day, dt.date) and day <= ctx.as_of
    details: dict[str, Any] = {
        "record": record.id,
        "scale": scale,
        field: day.isoformat() if isinstance(day, dt.date) else None,
        "due": due.isoformat() if due else None,
    }
    if known and (due is None or day <= due):
        state, status = "done", Status.MET
        zh, en = f"{head}：已于{day}完成{zone_zh}", f"{name}: {zone_en} on {day}"
    elif known:
        state, status = "late", Status.NOT_MET
        zh, en = (
            f"{head}：{day}完成{zone_zh}，晚于期限{due}",
            f"{name}: {zone_en} on {day}, after the {due} deadline",
        )
    else:
        state, status = "outstanding", Status.NOT_MET
        provisional = due is not None and ctx.as_of <= due
        details["provisional"] = provisional
        zh = f"{head}：截至{ctx.as_of}尚未完成{zone_zh}" + (
            f"（期限 {due}，尚未逾期，初步结果）"
            if provisional
            else (f"（期限 {due}，已逾期）" if due else "")
        )
        en = f"{name}: not {zone_en} by {ctx.as_of}" + (
            f" (due {due}: provisional)" if provisional else (f" (due {due}: overdue)" if due else "")
        )
    finding = ctx.finding(
        item,
        status=status,
        subject=name,
        limit=due.isoformat() if due else None,
        value=day.isoformat() if isinstance(day, dt.date) and known else None,
        message_zh=zh,
        message_en=en,
        evidence=[record.source],
        details=details,
    )
    return finding, state

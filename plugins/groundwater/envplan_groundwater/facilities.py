"""Tasks 2, 5 and 6: the register of the pollution sources the plan names (kind ``groundwater_facility``).

The plan names “一企一库” (化学品生产企业 chemical producers, 尾矿库 tailings ponds), “两场两区”
(危险废物处置场 hazardous-waste disposal sites, 垃圾填埋场 landfills, 化工产业为主导的工业集聚区
chemical-led industrial clusters, 矿山开采区 mining areas) and 加油站 filling stations. Each record has a
``type`` (one of those, or ``other`` for a key discharger of another kind). ``groundwater_facilities``
checks, with ``params.check``:

- ``monitoring`` (task 2): ``monitoring_wells`` (the number of long-term groundwater monitoring wells) at
  least the rule's threshold (1) and ``self_monitoring: true`` (自行监测要求落实);
- ``seepage`` (task 6): ``anti_seepage: true`` (防渗漏措施) and ``leak_monitoring: true`` (防渗漏监测);
- ``key_discharger`` (task 5): every record with ``key_discharger: true`` (重点排污单位) is
  ``on_county_list: true`` (纳入县地下水污染防治重点排污单位名录) and holds a discharge permit
  (``discharge_permit``: ``true`` or the permit number).

One finding per facility, then one for the county with the counts by type. A record lacking a field the
check needs, or with a value no spelling matches, gets an ``insufficient_data`` finding saying so.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import attrs

from envplan_core.plugin import (
    EvalContext,
    Finding,
    Quantity,
    Record,
    Rule,
    Status,
    Target,
    compare,
    evaluator,
)
from envplan_groundwater.common import (
    MISSING,
    Vocabulary,
    as_name_list,
    check_vocabulary,
    clause_label,
    flag,
    missing_fields_finding,
    no_records_finding,
    record_name,
    record_units,
    text_field,
    vocabulary_value,
    with_units,
)

__all__ = ["FACILITY_KIND", "FACILITY_TYPES", "NAMED_TYPES", "FacilitiesParams", "evaluate_facilities"]

FACILITY_KIND = "groundwater_facility"

FACILITY_TYPES = Vocabulary(
    field="type",
    spellings={
        "chemical_producer": ("化学品生产企业", "化学品生产", "chemical producer"),
        "tailings_pond": ("尾矿库", "tailings"),
        "hazardous_waste_site": ("危险废物处置场", "危废处置场", "危险废物处置", "hazardous waste site"),
        "landfill": ("垃圾填埋场", "生活垃圾填埋场", "填埋场"),
        "chemical_cluster": ("化工产业为主导的工业集聚区", "化工园区", "化工集聚区", "chemical park"),
        "mining_area": ("矿山开采区", "矿区", "mine area"),
        "filling_station": ("加油站", "gas station", "petrol station"),
        "other": ("其他", "其它"),
    },
    labels_zh={
        "chemical_producer": "化学品生产企业",
        "tailings_pond": "尾矿库",
        "hazardous_waste_site": "危险废物处置场",
        "landfill": "垃圾填埋场",
        "chemical_cluster": "化工产业为主导的工业集聚区",
        "mining_area": "矿山开采区",
        "filling_station": "加油站",
        "other": "其他",
    },
)
#: “一企一库”“两场两区”、加油站: the types tasks 2 and 6 name.
NAMED_TYPES: tuple[str, ...] = (
    "chemical_producer",
    "tailings_pond",
    "hazardous_waste_site",
    "landfill",
    "chemical_cluster",
    "mining_area",
    "filling_station",
)


def _types(value: Any) -> tuple[str, ...]:
    return check_vocabulary(as_name_list(value), FACILITY_TYPES)


@attrs.frozen
class FacilitiesParams:
    """Parameters of ``groundwater_facilities``.

    - ``check``: ``monitoring`` (task 2), ``seepage`` (task 6) or ``key_discharger`` (task 5);
    - ``kind``: the register's record kind (default ``groundwater_facility``);
    - ``types``: the facility types ``monitoring`` and ``seepage`` apply to (default the seven the plan
      names); ``key_discharger`` applies to every record marked ``key_discharger: true``.
    """

    check: Literal["monitoring", "seepage", "key_discharger"]
    kind: str = FACILITY_KIND
    types: tuple[str, ...] = attrs.field(default=NAMED_TYPES, converter=_types)


_FIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    # check -> (field, zh when false, en when false)
    "monitoring": (("self_monitoring", "未落实地下水自行监测要求", "self-monitoring not in place"),),
    "seepage": (
        ("anti_seepage", "未采取防渗漏措施", "no anti-seepage measures"),
        ("leak_monitoring", "未进行防渗漏监测", "no leak monitoring"),
    ),
    "key_discharger": (
        (
            "on_county_list",
            "未纳入县地下水污染防治重点排污单位名录",
            "not on the county's list of key dischargers",
        ),
        ("discharge_permit", "未纳入排污许可管理", "no discharge permit"),
    ),
}


def _count(value: Any) -> float | None:
    """A count field (``3``, ``"3"``); None when it is not a non-negative whole number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Quantity) and value.dimensionless:
        value = float(value.m_as("dimensionless"))
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, (int, float)) and value >= 0 and float(value).is_integer():
        return float(value)
    return None


def _permit(record: Record) -> Any:
    """``discharge_permit``: a yes/no, or a permit number (any other text) meaning yes."""
    value = flag(record.fields.get("discharge_permit"))
    if value is None:  # a permit number
        return True
    return value


@evaluator(FacilitiesParams)
def evaluate_facilities(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Tasks 2, 6 and 5: monitoring wells and self-monitoring, anti-seepage and leak monitoring, key dischargers."""
    params = ctx.params_of(item, FacilitiesParams)
    records = [] if ctx.inventory is None else ctx.inventory.by_kind(params.kind)
    if not records:
        return [
            no_records_finding(
                item,
                ctx,
                params.kind,
                "“一企一库”“两场两区”、加油站等污染源",
                "pollution sources (chemical producers, tailings ponds, waste sites, filling stations …)",
            )
        ]
    out: list[Finding] = []
    tally: dict[str, dict[str, int]] = {}
    for record in records:
        finding = _judge(item, ctx, params, record)
        if finding is None:
            continue
        kind = vocabulary_value(record, FACILITY_TYPES)
        counts = tally.setdefault(
            kind if isinstance(kind, str) else "unknown", {"met": 0, "not_met": 0, "insufficient_data": 0}
        )
        counts[finding.status.value] = counts.get(finding.status.value, 0) + 1
        out.append(with_units(finding, support=record_units(ctx, record)))
    out.append(_summary(item, ctx, params, tally, len(records)))
    return out


def _judge(item: Target | Rule, ctx: EvalContext, params: FacilitiesParams, record: Record) -> Finding | None:
    name = record_name(record)
    kind = vocabulary_value(record, FACILITY_TYPES)
    missing: list[str] = []
    bad: dict[str, Any] = {}
    if params.check == "key_discharger":
        key = flag(record.fields.get("key_discharger"))
        if key is MISSING or key is False:
            return None
        if key is None:
            return missing_fields_finding(
                item, ctx, record, [], bad={"key_discharger": record.fields.get("key_discharger")}
            )
    else:
        if kind is MISSING or kind is None:
            return missing_fields_finding(
                item,
                ctx,
                record,
                ["type"] if kind is MISSING else [],
                bad={} if kind is MISSING else {"type": record.fields.get("type")},
                hint_zh=f"（type 须为：{FACILITY_TYPES.choices()}）",
                hint_en=f" (type: one of {FACILITY_TYPES.choices()})",
            )
        if kind not in params.types:
            return None
    values: dict[str, bool] = {}
    for field, _, _ in _FIELDS[params.check]:
        value = _permit(record) if field == "discharge_permit" else flag(record.fields.get(field))
        if value is MISSING:
            missing.append(field)
        elif value is None:
            bad[field] = record.fields.get(field)
        else:
            values[field] = bool(value)
    wells: float | None = None
    if params.check == "monitoring":
        raw = record.fields.get("monitoring_wells")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            missing.insert(0, "monitoring_wells")
        else:
            wells = _count(raw)
            if wells is None:
                bad["monitoring_wells"] = raw
    if missing or bad:
        return missing_fields_finding(item, ctx, record, missing, bad=bad)
    problems_zh = [zh for field, zh, _ in _FIELDS[params.check] if not values[field]]
    problems_en = [en for field, _, en in _FIELDS[params.check] if not values[field]]
    limit: float | None = None
    if wells is not None:
        threshold = ctx.threshold_for(item)
        ok, limit = compare(threshold, wells) if threshold is not None else (wells >= 1, 1.0)
        if not ok:
            problems_zh.insert(0, f"地下水环境长期监测井{wells:g}口（应不少于{limit:g}口）")
            problems_en.insert(0, f"{wells:g} long-term monitoring wells (at least {limit:g} needed)")
    label = FACILITY_TYPES.zh(kind) if isinstance(kind, str) else "重点排污单位"
    head_zh = f"{name}（{label}）"
    status = Status.NOT_MET if problems_zh else Status.MET
    if problems_zh:
        zh, en = f"{head_zh}：{'；'.join(problems_zh)}", f"{name}: {'; '.join(problems_en)}"
    else:
        zh = f"{head_zh}：符合「{item.title_zh}」" + (
            f"（长期监测井{wells:g}口）" if wells is not None else ""
        )
        en = f"{name}: complies" + (f" ({wells:g} long-term monitoring wells)" if wells is not None else "")
    permit = text_field(record, "discharge_permit")
    return ctx.finding(
        item,
        status=status,
        subject=name,
        value=wells,
        limit=limit,
        unit="口" if wells is not None else "",
        message_zh=zh,
        message_en=en,
        evidence=[record.source],
        details={
            "record": record.id,
            "type": kind if isinstance(kind, str) else None,
            **values,
            **({"monitoring_wells": wells} if wells is not None else {}),
            **({"permit": permit} if params.check == "key_discharger" and permit else {}),
        },
    )


def _summary(
    item: Target | Rule,
    ctx: EvalContext,
    params: FacilitiesParams,
    tally: dict[str, dict[str, int]],
    registered: int,
) -> Finding:
    met = sum(c.get("met", 0) for c in tally.values())
    failing = sum(c.get("not_met", 0) for c in tally.values())
    thin = sum(c.get("insufficient_data", 0) for c in tally.values())
    checked = met + failing + thin
    if failing:
        status = Status.NOT_MET
    elif thin or not checked:
        status = Status.INSUFFICIENT_DATA
    else:
        status = Status.MET
    by_type = "、".join(
        f"{FACILITY_TYPES.zh(k) if k != 'unknown' else '类型不明'}{sum(c.values())}家"
        for k, c in tally.items()
    )
    what = "重点排污单位" if params.check == "key_discharger" else "“一企一库”“两场两区”、加油站等"
    none_zh = (
        "（清单中没有标注 key_discharger: true 的单位，无法核对名录）"
        if params.check == "key_discharger" and not checked
        else ""
    )
    return ctx.finding(
        item,
        status=status,
        subject="新绛县",
        value=float(failing),
        limit=0.0,
        unit="家",
        message_zh=f"{item.title_zh}：清单{registered}条，核查{what}{checked}家（{by_type or '无'}），符合{met}家，"
        f"不符合{failing}家，字段不全{thin}家{none_zh}（{clause_label(item)}）",
        message_en=f"{item.title_en}: {checked} of {registered} records checked: {met} comply, {failing} do not, "
        f"{thin} incomplete",
        details={
            "registered": registered,
            "checked": checked,
            "met": met,
            "not_met": failing,
            "insufficient_data": thin,
            "by_type": tally,
        },
    )

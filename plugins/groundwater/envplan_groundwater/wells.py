"""Task 8: the register of scrapped mine shafts, boreholes and water wells (报废矿井、钻井、取水井清单).

``groundwater_wells`` reads the records of kind ``well`` (a YAML/JSON inventory or a CSV/XLSX register,
one well per row) and, with ``params.check``:

- ``sealing`` (default): every well that is scrapped (报废), unfinished (未建成) or has completed its
  exploration, test or extraction task (完成勘探、试验、开采任务) is sealed and backfilled (``sealed_on`` on
  or before ``as_of``). One finding per such well, naming the owner (工程所有权人) who is to seal it — or,
  the owner being unknown or missing, the town government (当地政府) — then one finding per town with its
  counts (registered, in use, to seal, sealed, outstanding, owner unknown).
- ``remediation``: every well recorded as having caused cross-layer pollution (串层污染,
  ``cross_layer_pollution: true``) is remediated (``remediated_on``) by its owner, or by the town
  government when the owner is unknown or missing.

The well's town is added to the finding's lead units (按职责分工负责: 各镇 lead, each for its own wells).
A record without ``status`` or ``town``, or with a value no spelling matches, gets an
``insufficient_data`` finding saying so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

import attrs

from envplan_core.plugin import EvalContext, Finding, Record, Rule, Status, Target, evaluator, normalise_name
from envplan_groundwater.common import (
    MISSING,
    Vocabulary,
    clause_label,
    flag,
    missing_fields_finding,
    no_records_finding,
    record_date,
    record_name,
    record_units,
    text_field,
    vocabulary_value,
    with_units,
)

__all__ = ["WELL_KIND", "WELL_STATUS", "WELL_TYPES", "WellsParams", "evaluate_wells"]

WELL_KIND = "well"
_NO_TOWN = "（未注明镇）"

WELL_STATUS = Vocabulary(
    field="status",
    spellings={
        "scrapped": ("报废", "已报废", "废弃", "abandoned", "disused"),
        "unfinished": ("未建成", "未完工", "incomplete", "not completed"),
        "exhausted": (
            "完成勘探、试验、开采任务",
            "完成勘探任务",
            "完成试验任务",
            "完成开采任务",
            "任务完成",
            "task completed",
            "completed task",
        ),
        "in_use": ("在用", "使用中", "正常使用", "active", "in use", "operating"),
    },
    labels_zh={
        "scrapped": "报废",
        "unfinished": "未建成",
        "exhausted": "完成勘探、试验、开采任务",
        "in_use": "在用",
    },
)
_TO_SEAL = frozenset({"scrapped", "unfinished", "exhausted"})

WELL_TYPES = Vocabulary(
    field="well_type",
    spellings={
        "mine": ("矿井", "mine shaft", "shaft"),
        "drilling": ("钻井", "钻孔", "勘探孔", "borehole", "drill hole"),
        "water_intake": ("取水井", "水井", "机井", "water well", "intake well"),
    },
    labels_zh={"mine": "矿井", "drilling": "钻井", "water_intake": "取水井"},
)
_OWNER_UNKNOWN = frozenset(
    normalise_name(s)
    for s in ("不明", "所有权人不明", "缺失", "无", "未知", "unknown", "missing", "none", "-", "—")
)


@attrs.frozen
class WellsParams:
    """Parameters of ``groundwater_wells``.

    - ``check``: ``sealing`` (default: scrapped, unfinished and exhausted wells sealed and backfilled,
      counted per town) or ``remediation`` (wells that caused cross-layer pollution remediated);
    - ``kind``: the register's record kind (default ``well``).
    """

    check: Literal["sealing", "remediation"] = "sealing"
    kind: str = WELL_KIND


@attrs.frozen
class _Well:
    record: Record
    name: str
    town: str | None
    status: str | None
    well_type: str | None
    owner: str | None  # None: unknown or missing (the town government is responsible)


def _owner(record: Record) -> str | None:
    owner = text_field(record, "owner")
    return None if owner is None or normalise_name(owner) in _OWNER_UNKNOWN else owner


def _read(record: Record) -> tuple[_Well, list[str], dict[str, Any]]:
    """The well, its missing fields and its unrecognised values."""
    missing: list[str] = []
    bad: dict[str, Any] = {}
    status = vocabulary_value(record, WELL_STATUS)
    if status is MISSING:
        missing.append("status")
    elif status is None:
        bad["status"] = record.fields.get("status")
    town = text_field(record, "town")
    if town is None:
        missing.append("town")
    well_type = vocabulary_value(record, WELL_TYPES)
    if well_type is None:
        bad["well_type"] = record.fields.get("well_type")
    well = _Well(
        record=record,
        name=record_name(record),
        town=town,
        status=status if isinstance(status, str) else None,
        well_type=well_type if isinstance(well_type, str) else None,
        owner=_owner(record),
    )
    return well, missing, bad


def _who(well: _Well) -> tuple[str, str]:
    if well.owner is not None:
        return f"工程所有权人{well.owner}", f"its owner {well.owner}"
    town = well.town or "当地"
    return (
        f"工程所有权人不明或缺失，由{town}人民政府负责",
        f"owner unknown or missing: the {town} government is responsible",
    )


def _with_town(finding: Finding, ctx: EvalContext, well: _Well) -> Finding:
    return with_units(finding, lead=record_units(ctx, well.record))


def _label(well: _Well) -> str:
    kind = WELL_TYPES.zh(well.well_type) if well.well_type else "井"
    status = WELL_STATUS.zh(well.status) if well.status else "状态不明"
    return f"{kind}（{status}）"


@evaluator(WellsParams)
def evaluate_wells(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Task 8: scrapped wells sealed and backfilled (per well and per town), or cross-layer pollution remediated."""
    params = ctx.params_of(item, WellsParams)
    records = [] if ctx.inventory is None else ctx.inventory.by_kind(params.kind)
    if not records:
        return [
            no_records_finding(
                item, ctx, params.kind, "报废矿井、钻井、取水井", "wells (the register of scrapped wells)"
            )
        ]
    if params.check == "remediation":
        return _remediation(item, ctx, records)
    return _sealing(item, ctx, records)


def _details(well: _Well) -> dict[str, Any]:
    return {
        "well": well.record.id,
        "town": well.town,
        "well_type": well.well_type,
        "status": well.status,
        "owner": well.owner,
        "owner_unknown": well.owner is None,
        "responsible": "owner" if well.owner is not None else "town_government",
    }


def _iso(day: object) -> str | None:
    return day.isoformat() if isinstance(day, dt.date) else None


def _well_finding(
    item: Target | Rule,
    ctx: EvalContext,
    well: _Well,
    *,
    done: bool,
    zh: str,
    en: str,
    details: dict[str, Any],
) -> Finding:
    """One well's finding under either check: met when its duty is done (sealed, remediated), with the
    well's :func:`_details` and then ``details``, its town as lead unit."""
    finding = ctx.finding(
        item,
        status=Status.MET if done else Status.NOT_MET,
        subject=well.name,
        message_zh=zh,
        message_en=en,
        evidence=[well.record.source],
        details={**_details(well), **details},
    )
    return _with_town(finding, ctx, well)


def _sealing(item: Target | Rule, ctx: EvalContext, records: list[Record]) -> list[Finding]:
    out: list[Finding] = []
    towns: dict[str, dict[str, Any]] = {}
    for record in records:
        well, missing, bad = _read(record)
        sealed_on = record_date(record, "sealed_on")
        if sealed_on is None:
            bad["sealed_on"] = record.fields.get("sealed_on")
        tally = towns.setdefault(
            well.town or _NO_TOWN,
            {
                "registered": 0,
                "in_use": 0,
                "to_seal": 0,
                "sealed": 0,
                "outstanding": 0,
                "owner_unknown": 0,
                "incomplete": 0,
                "by_type": {},
                "outstanding_wells": [],
            },
        )
        tally["registered"] += 1
        if well.well_type:
            tally["by_type"][well.well_type] = tally["by_type"].get(well.well_type, 0) + 1
        if missing or bad:
            tally["incomplete"] += 1
            out.append(
                _with_town(
                    missing_fields_finding(
                        item,
                        ctx,
                        record,
                        missing,
                        bad=bad,
                        hint_zh=f"（status 须为：{WELL_STATUS.choices()}；town 为所在镇）",
                        hint_en=f" (status: one of {WELL_STATUS.choices()}; town: the well's town)",
                    ),
                    ctx,
                    well,
                )
            )
            continue
        if well.status == "in_use":
            tally["in_use"] += 1
            continue
        tally["to_seal"] += 1
        if well.owner is None:
            tally["owner_unknown"] += 1
        who_zh, who_en = _who(well)
        done = isinstance(sealed_on, dt.date) and sealed_on <= ctx.as_of
        if done:
            tally["sealed"] += 1
            zh = f"{well.name}（{well.town}，{_label(well)}）：已于{sealed_on}封井回填（{who_zh}）"
            en = f"{well.name} ({well.town}): sealed and backfilled on {sealed_on} ({who_en})"
        else:
            tally["outstanding"] += 1
            tally["outstanding_wells"].append(well.name)
            later = f"（登记的封井日期 {sealed_on} 晚于评估日）" if isinstance(sealed_on, dt.date) else ""
            todo = (
                f"须督促工程所有权人{well.owner}按相关技术标准指南开展封井回填"
                if well.owner is not None
                else f"{who_zh}封井回填"
            )
            zh = f"{well.name}（{well.town}，{_label(well)}）：尚未封井回填{later}；{todo}"
            en = f"{well.name} ({well.town}): not sealed and backfilled yet; {who_en} is to seal it"
        out.append(
            _well_finding(item, ctx, well, done=done, zh=zh, en=en, details={"sealed_on": _iso(sealed_on)})
        )
    for town, tally in towns.items():
        out.append(_town_finding(item, ctx, town, tally))
    return out


def _town_finding(item: Target | Rule, ctx: EvalContext, town: str, tally: dict[str, Any]) -> Finding:
    if tally["outstanding"]:
        status = Status.NOT_MET
    elif tally["incomplete"]:
        status = Status.INSUFFICIENT_DATA
    else:
        status = Status.MET
    listed = "、".join(tally["outstanding_wells"])
    zh = (
        f"{town}：登记{tally['registered']}口（在用{tally['in_use']}口），应封井回填{tally['to_seal']}口，"
        f"已封{tally['sealed']}口，未封{tally['outstanding']}口"
        + (f"（{listed}）" if listed else "")
        + f"；工程所有权人不明或缺失{tally['owner_unknown']}口（由镇人民政府负责）"
        + (f"；{tally['incomplete']}条记录字段不全，未计入判断" if tally["incomplete"] else "")
    )
    en = (
        f"{town}: {tally['registered']} wells registered ({tally['in_use']} in use), {tally['to_seal']} to seal, "
        f"{tally['sealed']} sealed, {tally['outstanding']} outstanding; {tally['owner_unknown']} with unknown owner"
        + (f"; {tally['incomplete']} incomplete records" if tally["incomplete"] else "")
    )
    finding = ctx.finding(
        item,
        status=status,
        subject=f"{town}（汇总）",
        value=float(tally["outstanding"]),
        limit=0.0,
        unit="口",
        message_zh=zh,
        message_en=en,
        details={"town": None if town == _NO_TOWN else town, **tally},
    )
    units = ctx.catalog.units
    return with_units(finding, lead=[units.canonical_zh(town)] if units.resolve(town) is not None else [])


def _remediation(item: Target | Rule, ctx: EvalContext, records: list[Record]) -> list[Finding]:
    out: list[Finding] = []
    subject = 0
    for record in records:
        polluted = flag(record.fields.get("cross_layer_pollution"))
        if polluted is MISSING or polluted is False:
            continue
        well, _, _ = _read(record)
        if polluted is None:
            out.append(
                _with_town(
                    missing_fields_finding(
                        item,
                        ctx,
                        record,
                        [],
                        bad={"cross_layer_pollution": record.fields.get("cross_layer_pollution")},
                        hint_zh="（cross_layer_pollution 须为 true/false）",
                        hint_en=" (cross_layer_pollution: true or false)",
                    ),
                    ctx,
                    well,
                )
            )
            continue
        subject += 1
        remediated = record_date(record, "remediated_on")
        if (well.owner is None and well.town is None) or remediated is None:
            missing = ["town"] if well.owner is None and well.town is None else []
            bad = {"remediated_on": record.fields.get("remediated_on")} if remediated is None else {}
            out.append(
                missing_fields_finding(
                    item,
                    ctx,
                    record,
                    missing,
                    bad=bad,
                    hint_zh="（所有权人不明时须注明所在镇）",
                    hint_en=" (owner unknown: the town is needed)",
                )
            )
            continue
        who_zh, who_en = _who(well)
        done = isinstance(remediated, dt.date) and remediated <= ctx.as_of
        progress = text_field(record, "remediation")
        if done:
            zh = f"{well.name}（{well.town or '—'}）：已造成地下水串层污染，已于{remediated}完成治理修复（{who_zh}）"
            en = f"{well.name}: cross-layer pollution remediated on {remediated} ({who_en})"
        else:
            zh = (
                f"{well.name}（{well.town or '—'}）：已造成地下水串层污染，尚未完成治理修复"
                + (f"（进展：{progress}）" if progress else "")
                + f"；{who_zh}"
            )
            en = (
                f"{well.name}: cross-layer pollution not remediated yet"
                + (f" ({progress})" if progress else "")
                + f"; {who_en}"
            )
        state = {"remediated_on": _iso(remediated), "remediation": progress}
        out.append(_well_finding(item, ctx, well, done=done, zh=zh, en=en, details=state))
    if not subject and not out:
        out.append(
            ctx.finding(
                item,
                status=Status.MET,
                subject="新绛县",
                value=0.0,
                limit=0.0,
                unit="口",
                message_zh=f"{item.title_zh}：清单{len(records)}口井中没有登记已造成串层污染的井（{clause_label(item)}）",
                message_en=f"{item.title_en}: none of the {len(records)} registered wells is recorded as having caused cross-layer pollution",
                details={"registered": len(records), "cross_layer_pollution": 0},
            )
        )
    return out

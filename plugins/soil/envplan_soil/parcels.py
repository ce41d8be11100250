"""Construction-land rules over ``land_parcel`` records (tasks 6, 7 and 8) and the goal they add up to.

- ``soil_sensitive_use_investigation`` (task 7; task 8's 用途拟变更为“一住两公”用地的所有地块…): a parcel
  whose use changes to 一住两公 — unless its original use already was one — has a completed soil
  investigation before its land supply or planning permit, and, where the investigation exceeds the
  GB 36600-2018 screening values of the planned use, a completed risk assessment before it too.
- ``soil_listed_parcel_restrictions`` (task 8): a parcel on the risk-control and remediation list (名录)
  is not planned as 一住两公 land, and no land recovery, acquisition, supply or change of use is done
  while it is listed.
- ``soil_unrelated_construction`` (task 8): construction unrelated to risk control or remediation does
  not start on a parcel whose required investigation or risk assessment is missing, or whose risk-control
  or remediation targets are not met.
- ``soil_toxic_site_reclamation`` (task 6): a former site of toxic substances is not reclaimed as
  farmland for edible crops (原则上: an approved exception is recorded in ``exception_ref``).
- ``soil_key_construction_land`` (工作目标 重点建设用地安全利用有效保障): no parcel breaks the three rules of
  tasks 7 and 8.

The record fields are listed in docs/inputs.md § Soil inventory. Each rule gives one finding per parcel
it applies to; a parcel it does not apply to gets none, and when no parcel is concerned one finding says
so (with the count of parcels looked at). A parcel that lacks a field the rule needs gets
``insufficient_data`` naming the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from envplan_core.plugin import (
    DataError,
    EvalContext,
    Evaluator,
    Finding,
    Quantity,
    Record,
    Rule,
    Status,
    Target,
    UnitError,
    computation,
    evaluator,
    normalise_name,
)
from envplan_core.standards import gb36600
from envplan_soil._common import (
    Verdict,
    as_bool,
    as_date,
    clause_label,
    is_farmland_use,
    is_sensitive_use,
    known_date,
    no_records_finding,
    period_text,
    record_name,
    verdict_finding,
    with_units,
)

__all__ = [
    "PARCEL_EVALUATORS",
    "ListedParcelParams",
    "ParcelParams",
    "check_construction",
    "check_listed",
    "check_sensitive_use",
    "check_toxic_reclamation",
    "screening_exceeded",
]

GB36600 = "GB 36600-2018"
_SUPPLY_FIELDS = (
    ("supplied_on", "土地供应", "land supply"),
    ("planning_permit_on", "规划许可", "planning permit"),
)
_PROCEDURES = (
    ("recovered_on", "土地收回", "land recovery"),
    ("acquired_on", "土地收购", "land acquisition"),
    ("supplied_on", "土地供应", "land supply"),
    ("use_changed_on", "改变土地用途", "change of land use"),
)
_REMEDIATION_PURPOSES = frozenset(
    normalise_name(w)
    for w in (
        "remediation",
        "risk_control",
        "risk control",
        "风险管控",
        "修复",
        "治理修复",
        "风险管控和修复",
        "风险管控与修复",
        "效果评估",
        "monitoring",
        "监测",
    )
)


@attrs.frozen
class ParcelParams:
    """Parameters of the parcel rules.

    - ``kind``: the inventory record kind of the parcels (default ``land_parcel``).
    """

    kind: str = "land_parcel"


# cattrs would structure ``"false"`` as ``bool("false")`` (true): the field takes the value as written (an
# attrs converter stops cattrs) and its validator checks it is a boolean.
def _as_written(value: Any) -> Any:
    return value


def _is_flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{attribute.name}: expected true or false, got {value!r}")


@attrs.frozen
class ListedParcelParams(ParcelParams):
    """Parameters of ``soil_listed_parcel_restrictions``.

    - ``kind``: the record kind of the parcels (default ``land_parcel``);
    - ``any_procedure``: ``true`` (default, the plan's words): recovery, acquisition, supply and change of
      use are banned for a listed parcel whatever the use; ``false``: only towards 一住两公 use.
    """

    any_procedure: bool = attrs.field(default=True, converter=_as_written, validator=_is_flag)


# -- the GB 36600 screening check -------------------------------------------------------------------


def _gb36600_class(planned: Any) -> tuple[gb36600.LandClass, str]:
    """GB 36600 class of the planned use; a use the standard's table cannot place (一住两公 spans R and A,
    2020 codes) is judged as first-class land, the stricter (said in the finding)."""
    try:
        return gb36600.land_class(str(planned)), ""
    except DataError:
        return "first", "按第一类用地（较严）判断 judged as first-class land (the stricter)"


def _mg_per_kg(record: Record, item: str, value: Any) -> float:
    where = f"{record.source}.investigation_results.{item}"
    if isinstance(value, Quantity):
        try:
            return float(gb36600.to_mg_per_kg([float(value.magnitude)], str(value.units), parameter=item)[0])
        except UnitError as exc:
            raise DataError(f"{where}: {exc}", column="investigation_results") from None
    raise DataError(
        f'{where}: {value!r} is not a concentration with its unit (e.g. "25 mg/kg")',
        column="investigation_results",
    )


def screening_exceeded(record: Record) -> tuple[bool | None, dict[str, Any]]:
    """Whether the investigation found contents above the GB 36600 screening values of the planned use.

    From ``investigation_results`` (item → highest content found, judged by GB 36600 for the planned
    use's class) when given, else from the ``exceeds_screening`` flag; None when neither is given.
    """
    results = record.get("investigation_results")
    if isinstance(results, Mapping) and results:
        cls, note = _gb36600_class(record.get("planned_use"))
        values = {str(k): _mg_per_kg(record, str(k), v) for k, v in results.items()}
        try:
            sample = gb36600.classify_sample(values, land_use=cls, sample=record.id)
        except DataError as exc:
            raise DataError(
                f"{record.source}.investigation_results: {exc}", column="investigation_results"
            ) from None
        over = [
            {"parameter": e.parameter, "value": e.value, "screening": e.screening, "unit": e.unit}
            for e in sample.exceedances
            if not e.exempted
        ]
        info: dict[str, Any] = {
            "land_class": cls,
            "level": sample.level,
            "exceedances": over,
            "from": "investigation_results",
        }
        if note:
            info["land_class_note"] = note
        return bool(over), info
    if results is not None and not isinstance(results, Mapping):
        raise DataError(
            f"{record.source}.investigation_results: expected a mapping item → content, got {results!r}",
            column="investigation_results",
        )
    flag = as_bool(record, "exceeds_screening")
    return flag, ({"from": "exceeds_screening"} if flag is not None else {})


def _over_text(info: Mapping[str, Any]) -> tuple[str, str]:
    over = info.get("exceedances") or []
    if not over:
        return "超过筛选值", "above the screening values"
    zh = "、".join(
        f"{gb36600.BY_ID[e['parameter']].name_zh} {e['value']:g}（筛选值 {e['screening']:g}）mg/kg"
        for e in over
    )
    en = ", ".join(f"{e['parameter']} {e['value']:g} (screening {e['screening']:g}) mg/kg" for e in over)
    return f"超过GB 36600-2018筛选值：{zh}", f"above the GB 36600-2018 screening values: {en}"


# -- task 7: use changing to 一住两公 ----------------------------------------------------------------------


def _change_to_sensitive(record: Record) -> tuple[bool | None, list[str], str]:
    """(True/False/None when unknown, fields missing or unreadable, note) for a use change to 一住两公."""
    planned, original = record.get("planned_use"), record.get("original_use")
    if planned is None:
        return None, ["planned_use"], ""
    sensitive = is_sensitive_use(planned)
    if sensitive is None:
        return None, ["planned_use"], f"planned_use {planned!r} 未识别 not recognised"
    if not sensitive:
        return False, [], ""
    if original is None:
        return None, ["original_use"], ""
    was = is_sensitive_use(original)
    if was is None:
        return None, ["original_use"], f"original_use {original!r} 未识别 not recognised"
    return not was, [], "原用途为“一住两公”用地，除外" if was else ""


def _unknown(fields: list[str], note: str) -> Verdict:
    shown = "、".join(fields)
    return Verdict(
        Status.INSUFFICIENT_DATA,
        f"缺少或无法识别字段 {shown}{('（' + note + '）') if note else ''}，无法判断",
        f"field(s) {', '.join(fields)} missing or not recognised{(' (' + note + ')') if note else ''}; cannot judge",
        missing=tuple(fields),
    )


def check_sensitive_use(record: Record, as_of: dt.date) -> Verdict | None:
    """Task 7 (see the module docstring); None when the parcel's use does not change to 一住两公."""
    change, missing, note = _change_to_sensitive(record)
    if change is None:
        return _unknown(missing, note)
    if not change:
        if note:
            return Verdict(
                Status.NOT_APPLICABLE,
                "原用途已为“一住两公”用地，不属于用途变更为“一住两公”的地块（第7条除外情形）",
                "the original use already is residential/public: exempt (clause 7)",
                details={"original_use": str(record.get("original_use"))},
            )
        return None
    events = [
        (d, zh, en) for key, zh, en in _SUPPLY_FIELDS if (d := known_date(record, key, as_of)) is not None
    ]
    investigated = known_date(record, "investigation_completed", as_of)
    assessed = known_date(record, "risk_assessment_completed", as_of)
    base = {
        "planned_use": str(record.get("planned_use")),
        "original_use": str(record.get("original_use")),
        "investigation_completed": investigated,
        "risk_assessment_completed": assessed,
    }
    if not events:
        ready = "已完成土壤污染状况调查" if investigated else "尚未完成土壤污染状况调查"
        return Verdict(
            Status.NOT_APPLICABLE,
            f"用途拟变更为“一住两公”，尚未供地或核发规划许可（{ready}；供地、许可前须完成调查评估）",
            "use changing to residential/public; no land supply or planning permit yet "
            f"({'investigated' if investigated else 'not yet investigated'})",
            details=base,
        )
    first, event_zh, event_en = min(events, key=lambda e: e[0])
    base = {**base, "first_event": event_en, "first_event_on": first}
    if investigated is None or investigated > first:
        when = f"于{investigated}完成，晚于" if investigated else "未完成，而已于"
        when_en = f"completed on {investigated}, after" if investigated else "not completed before"
        return Verdict(
            Status.NOT_MET,
            f"用途变更为“一住两公”，土壤污染状况调查{when}{first}{event_zh}",
            f"use changes to residential/public: soil investigation {when_en} the {event_en} on {first}",
            details=base,
            value=str(investigated) if investigated else None,
            limit=str(first),
        )
    exceeded, info = screening_exceeded(record)
    if exceeded is None:
        return Verdict(
            Status.INSUFFICIENT_DATA,
            "已完成调查，但缺少调查结果（investigation_results 或 exceeds_screening），无法判断是否需要风险评估",
            "investigated, but the results (investigation_results or exceeds_screening) are missing: "
            "cannot tell whether a risk assessment was needed",
            details=base,
            missing=("investigation_results", "exceeds_screening"),
        )
    over_zh, over_en = _over_text(info)
    standard = GB36600 if info.get("from") == "investigation_results" else ""
    if exceeded and (assessed is None or assessed > first):
        when = f"于{assessed}完成，晚于" if assessed else "未完成，而已于"
        return Verdict(
            Status.NOT_MET,
            f"调查{over_zh}，风险评估{when}{first}{event_zh}",
            f"investigation {over_en}; risk assessment {'completed on ' + str(assessed) + ', after' if assessed else 'not completed before'} "
            f"the {event_en} on {first}",
            details={**base, **info},
            standard=standard,
            value=str(assessed) if assessed else None,
            limit=str(first),
        )
    done_zh = f"调查于{investigated}完成" + (
        f"，{over_zh}，风险评估于{assessed}完成" if exceeded else "，未超过筛选值"
    )
    done_en = f"investigated on {investigated}" + (
        f", {over_en}, risk assessment on {assessed}" if exceeded else ", within the screening values"
    )
    return Verdict(
        Status.MET,
        f"{done_zh}，均在{first}{event_zh}之前",
        f"{done_en}, before the {event_en} on {first}",
        details={**base, **info},
        standard=standard,
    )


# -- task 8: parcels on the list ---------------------------------------------------------------------


def _listing(record: Record) -> tuple[bool, dt.date | None, dt.date | None]:
    """(on the list at some time, listed on, delisted on)."""
    listed_on = as_date(record, "listed_on")
    flag = as_bool(record, "on_risk_list")
    delisted_on = as_date(record, "delisted_on")
    if flag is False and listed_on is None:
        return False, None, None
    return (flag is True or listed_on is not None), listed_on, delisted_on


def _listed_between(listed_on: dt.date | None, delisted_on: dt.date | None, day: dt.date) -> bool:
    return (listed_on is None or listed_on <= day) and (delisted_on is None or day < delisted_on)


def check_listed(record: Record, as_of: dt.date, *, any_procedure: bool = True) -> Verdict | None:
    """Task 8, the 名录 sentence (see the module docstring); None when the parcel was never listed."""
    listed, listed_on, delisted_on = _listing(record)
    if not listed:
        return None
    planned = record.get("planned_use")
    sensitive = is_sensitive_use(planned) if planned is not None else None
    events = [
        (key, d, zh, en) for key, zh, en in _PROCEDURES if (d := known_date(record, key, as_of)) is not None
    ]
    base: dict[str, Any] = {"listed_on": listed_on, "delisted_on": delisted_on, "planned_use": planned}
    if listed_on is None and events:
        return Verdict(
            Status.INSUFFICIENT_DATA,
            "在名录中，但缺少列入日期 listed_on，无法判断各项手续是否在列入期间办理",
            "on the list, but listed_on is missing: cannot tell whether the procedures fell in the listed period",
            details=base,
            missing=("listed_on",),
        )
    problems_zh: list[str] = []
    problems_en: list[str] = []
    for _, day, zh, en in events:
        if _listed_between(listed_on, delisted_on, day) and (any_procedure or sensitive):
            problems_zh.append(f"{day}办理{zh}")
            problems_en.append(f"{en} on {day}")
    still_listed = _listed_between(listed_on, delisted_on, as_of)
    if still_listed and sensitive:
        problems_zh.append(f"规划用途为“一住两公”用地（{planned}）")
        problems_en.append(f"planned as residential/public land ({planned})")
    if problems_zh:
        return Verdict(
            Status.NOT_MET,
            f"列入风险管控和修复名录期间（{listed_on or '日期未提供'}起）" + "；".join(problems_zh),
            f"on the risk-control and remediation list (from {listed_on or 'an unknown date'}): "
            + "; ".join(problems_en),
            details={**base, "violations": problems_en},
            value="、".join(problems_zh),
        )
    if still_listed and planned is None:
        return Verdict(
            Status.INSUFFICIENT_DATA,
            "在名录中，缺少规划用途 planned_use，无法判断是否作为“一住两公”用地",
            "on the list; planned_use missing: cannot tell whether it is planned as residential/public land",
            details=base,
            missing=("planned_use",),
        )
    if still_listed and sensitive is None:
        return _unknown(["planned_use"], f"planned_use {planned!r} 未识别 not recognised")
    state = "仍在名录中" if still_listed else f"已于{delisted_on}移出名录"
    return Verdict(
        Status.MET,
        f"{state}；列入期间未办理土地收回、收购、供应或改变用途手续，未作为“一住两公”用地",
        f"{'still listed' if still_listed else f'delisted on {delisted_on}'}; no recovery, acquisition, supply "
        "or change of use while listed, not planned as residential/public land",
        details=base,
    )


# -- task 8: construction -------------------------------------------------------------------------------


def check_construction(record: Record, as_of: dt.date) -> Verdict | None:
    """Task 8, the 不得开工建设 sentence (see the module docstring); None when no construction has started."""
    start = known_date(record, "construction_started_on", as_of)
    if start is None:
        return None
    purpose = record.get("construction_purpose")
    if purpose is None:
        return _unknown(["construction_purpose"], "")
    base: dict[str, Any] = {"construction_started_on": start, "construction_purpose": str(purpose)}
    if normalise_name(str(purpose)) in _REMEDIATION_PURPOSES:
        return Verdict(
            Status.MET,
            f"{start}开工的是风险管控、修复相关工程（{purpose}）",
            f"the works started on {start} are risk control or remediation ({purpose})",
            details=base,
        )
    listed, listed_on, delisted_on = _listing(record)
    listed_at_start = listed and _listed_between(listed_on, delisted_on, start)
    required = as_bool(record, "investigation_required")
    if required is None:
        change, missing, note = _change_to_sensitive(record)
        suspected = as_bool(record, "suspected_contaminated")
        if change is None and not listed_at_start and not suspected:
            return _unknown(["investigation_required", *missing], note)
        required = bool(change) or listed_at_start or bool(suspected)
    problems_zh: list[str] = []
    problems_en: list[str] = []
    investigated = known_date(record, "investigation_completed", as_of)
    assessed = known_date(record, "risk_assessment_completed", as_of)
    info: dict[str, Any] = {}
    if required and (investigated is None or investigated > start):
        problems_zh.append(
            "依法应当开展的土壤污染状况调查" + (f"于{investigated}才完成" if investigated else "未完成")
        )
        problems_en.append(
            "required soil investigation "
            + (f"only completed on {investigated}" if investigated else "not completed")
        )
    elif investigated is not None:
        exceeded, info = screening_exceeded(record)
        if exceeded is None and required:
            return Verdict(
                Status.INSUFFICIENT_DATA,
                "已调查，但缺少调查结果（investigation_results 或 exceeds_screening），无法判断是否应开展风险评估",
                "investigated, but the results (investigation_results or exceeds_screening) are missing",
                details=base,
                missing=("investigation_results", "exceeds_screening"),
            )
        if exceeded and (assessed is None or assessed > start):
            problems_zh.append("调查超过筛选值，风险评估" + (f"于{assessed}才完成" if assessed else "未完成"))
            problems_en.append(
                "screening values exceeded; risk assessment "
                + (f"only on {assessed}" if assessed else "not completed")
            )
    needs_remediation = listed_at_start or as_bool(record, "remediation_required") is True
    targets_met = known_date(record, "targets_met_on", as_of)
    if needs_remediation and (targets_met is None or targets_met > start):
        problems_zh.append("未达到风险管控、修复目标" + (f"（{targets_met}才达到）" if targets_met else ""))
        problems_en.append(
            "risk-control or remediation targets not met"
            + (f" (met only on {targets_met})" if targets_met else "")
        )
    base.update(
        {
            "investigation_required": required,
            "listed_at_start": listed_at_start,
            "targets_met_on": targets_met,
            **info,
        }
    )
    if problems_zh:
        return Verdict(
            Status.NOT_MET,
            f"{start}开工建设与风险管控、修复无关的项目（{purpose}），而" + "；".join(problems_zh),
            f"construction unrelated to risk control or remediation ({purpose}) started on {start} although: "
            + "; ".join(problems_en),
            details=base,
            value="、".join(problems_zh),
        )
    return Verdict(
        Status.MET,
        f"{start}开工（{purpose}）前已完成依法应开展的调查评估"
        + ("并达到风险管控、修复目标" if needs_remediation else ""),
        f"construction ({purpose}) started on {start} after the required investigation and assessment"
        + (" and after the targets were met" if needs_remediation else ""),
        details=base,
    )


# -- task 6: reclamation of former toxic sites ------------------------------------------------------------


def check_toxic_reclamation(record: Record, as_of: dt.date) -> Verdict | None:
    """Task 6 (see the module docstring); None when the parcel is not reclaimed (or not as farmland)."""
    del as_of  # a planned reclamation counts as much as a finished one
    target = record.get("reclaimed_to")
    if target is None:
        return None
    farmland = is_farmland_use(target)
    if farmland is None:
        return _unknown(["reclaimed_to"], f"reclaimed_to {target!r} 未识别 not recognised")
    if not farmland:
        return None
    toxic = as_bool(record, "toxic_history")
    edible = as_bool(record, "edible_crops")
    missing = [k for k, v in (("toxic_history", toxic), ("edible_crops", edible)) if v is None]
    base = {"reclaimed_to": str(target), "toxic_history": toxic, "edible_crops": edible}
    if toxic is False or edible is False:
        why_zh = "非曾用于有毒有害物质的地块" if toxic is False else "复垦后不种植食用农产品"
        why_en = "not a former toxic-substance site" if toxic is False else "no edible crops on it"
        return Verdict(
            Status.MET, f"复垦为{target}，{why_zh}", f"reclaimed as {target}: {why_en}", details=base
        )
    if missing:
        return _unknown(missing, "")
    exception = record.get("exception_ref")
    if exception:
        return Verdict(
            Status.NOT_APPLICABLE,
            f"曾用于有毒有害物质的地块复垦为种植食用农产品的{target}，按“原则上”的例外经批准：{exception}",
            f"former toxic-substance site reclaimed as {target} for edible crops under an approved exception: {exception}",
            details={**base, "exception_ref": str(exception)},
        )
    return Verdict(
        Status.NOT_MET,
        f"曾用于生产、使用、贮存、回收、处置有毒有害物质的地块复垦为种植食用农产品的{target}",
        f"a former site of toxic substances reclaimed as {target} for edible crops",
        details=base,
        value=str(target),
    )


# -- evaluators -------------------------------------------------------------------------------------------

Check = Callable[[Record, dt.date], Verdict | None]


def _parcels(ctx: EvalContext, kind: str) -> list[Record]:
    return [] if ctx.inventory is None else ctx.inventory.by_kind(kind)


def _with_town(ctx: EvalContext, finding: Finding, record: Record) -> Finding:
    town = record.get("town")
    return with_units(ctx, finding, [str(town)]) if town else finding


def _judge(
    item: Target | Rule, ctx: EvalContext, kind: str, check: Check, *, none_zh: str, none_en: str
) -> list[Finding]:
    records = _parcels(ctx, kind)
    if not records:
        return [no_records_finding(item, ctx, kind)]
    out: list[Finding] = []
    for record in records:
        verdict = check(record, ctx.as_of)
        if verdict is not None:
            out.append(_with_town(ctx, verdict_finding(item, ctx, record, verdict), record))
    if not out:
        out.append(
            ctx.finding(
                item,
                status=Status.MET,
                subject=item.title_zh,
                value=0.0,
                details={"checked": len(records)},
                message_zh=f"{item.title_zh}：清单中{len(records)}个地块{none_zh}（{clause_label(item)}）",
                message_en=f"{item.title_en}: none of the {len(records)} parcels {none_en}",
            )
        )
    return out


@evaluator(ParcelParams)
def evaluate_sensitive_use_investigation(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Task 7: investigation (and risk assessment where screening values are exceeded) before supply."""
    kind = ctx.params_of(item, ParcelParams).kind
    return _judge(
        item,
        ctx,
        kind,
        check_sensitive_use,
        none_zh="均不涉及用途变更为“一住两公”",
        none_en="changes to residential/public use",
    )


@evaluator(ListedParcelParams)
def evaluate_listed_parcel_restrictions(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Task 8: parcels on the risk-control and remediation list."""
    params = ctx.params_of(item, ListedParcelParams)

    def check(record: Record, as_of: dt.date) -> Verdict | None:
        return check_listed(record, as_of, any_procedure=params.any_procedure)

    return _judge(
        item,
        ctx,
        params.kind,
        check,
        none_zh="均未列入风险管控和修复名录",
        none_en="is on the risk-control and remediation list",
    )


@evaluator(ParcelParams)
def evaluate_unrelated_construction(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Task 8: no unrelated construction before investigation, assessment and targets."""
    kind = ctx.params_of(item, ParcelParams).kind
    return _judge(
        item, ctx, kind, check_construction, none_zh="均未开工建设", none_en="has started construction"
    )


@evaluator(ParcelParams)
def evaluate_toxic_site_reclamation(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Task 6: former toxic-substance sites are not reclaimed as farmland for edible crops."""
    kind = ctx.params_of(item, ParcelParams).kind
    return _judge(
        item, ctx, kind, check_toxic_reclamation, none_zh="均未复垦为耕地", none_en="is reclaimed as farmland"
    )


_GOAL_CHECKS: tuple[tuple[str, Check], ...] = (
    ("soil.rule.sensitive_use_investigation", check_sensitive_use),
    ("soil.rule.listed_parcel_restrictions", check_listed),
    ("soil.rule.no_unrelated_construction", check_construction),
)


@evaluator(ParcelParams)
def evaluate_key_construction_land(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """工作目标: key construction land is used safely — no parcel breaks the rules of tasks 7 and 8.

    ``not_met`` naming the parcels that break one (value: their number, limit 0); ``insufficient_data``
    when none breaks one but some cannot be judged; ``met`` otherwise.
    """
    kind = ctx.params_of(item, ParcelParams).kind
    records = _parcels(ctx, kind)
    if not records:
        return [no_records_finding(item, ctx, kind)]
    breaking: dict[str, list[str]] = {}
    unknown: dict[str, list[str]] = {}
    concerned = 0
    for record in records:
        seen = False
        for rule_id, check in _GOAL_CHECKS:
            verdict = check(record, ctx.as_of)
            if verdict is None or verdict.status is Status.NOT_APPLICABLE:
                continue
            seen = True
            if verdict.status is Status.NOT_MET:
                breaking.setdefault(record_name(record), []).append(rule_id)
            elif verdict.status is Status.INSUFFICIENT_DATA:
                unknown.setdefault(record_name(record), []).append(rule_id)
        concerned += seen
    period = period_text(ctx, item)
    details: dict[str, Any] = {
        "parcels": len(records),
        "concerned": concerned,
        "breaking": breaking,
        "unknown": unknown,
    }

    def judged(value: float | None) -> dict[str, Any]:
        return {
            **details,
            "computation": _goal_computation(
                period,
                value=value,
                parcels=len(records),
                concerned=concerned,
                breaking=breaking,
                unknown=unknown,
            ),
        }

    if breaking:
        listed = "、".join(
            f"{name}（{'、'.join(r.rsplit('.', 1)[1] for r in rules)}）" for name, rules in breaking.items()
        )
        return [
            ctx.finding(
                item,
                status=Status.NOT_MET,
                value=float(len(breaking)),
                limit=0.0,
                unit="个地块",
                period=period,
                details=judged(float(len(breaking))),
                message_zh=f"{item.title_zh}：{len(breaking)}个重点建设用地地块违反第7、8条要求：{listed}",
                message_en=f"{item.title_en}: {len(breaking)} parcel(s) break the rules of tasks 7 and 8: "
                + ", ".join(breaking),
            )
        ]
    if unknown:
        return [
            ctx.finding(
                item,
                status=Status.INSUFFICIENT_DATA,
                period=period,
                details={**judged(None), "missing": sorted(unknown)},
                message_zh=f"{item.title_zh}：未发现违规，但{len(unknown)}个地块数据不全无法判断：{'、'.join(unknown)}",
                message_en=f"{item.title_en}: no breach found, but {len(unknown)} parcel(s) cannot be judged: "
                + ", ".join(unknown),
            )
        ]
    return [
        ctx.finding(
            item,
            status=Status.MET,
            value=0.0,
            limit=0.0,
            unit="个地块",
            period=period,
            details=judged(0.0),
            message_zh=f"{item.title_zh}：清单{len(records)}个地块中{concerned}个属重点建设用地，均符合第7、8条要求",
            message_en=f"{item.title_en}: {concerned} of {len(records)} parcels are key construction land; none breaks "
            "the rules of tasks 7 and 8",
        )
    ]


_GOAL_RULE_ZH = (
    "逐个地块按第7条（用途变更为“一住两公”的地块供地、核发规划许可前完成土壤污染状况调查，超筛选值的完成风险评估）"
    "和第8条（列入风险管控和修复名录的地块不得作为“一住两公”用地、不得办理土地收回、收购、供应及改变用途手续；"
    "未完成调查评估或未达到风险管控、修复目标的地块不得开工建设无关项目）判断，"
    "违反任一条的地块数 == 0 为有效保障；无违规但有地块数据不全无法判断为数据不足"
)
_GOAL_RULE_EN = (
    "each parcel judged by the rules of task 7 (investigation, and a risk assessment where the screening values "
    "are exceeded, before land supply or a planning permit for residential/public use) and task 8 (a listed "
    "parcel is neither residential/public land nor recovered, acquired, supplied or re-zoned; no unrelated "
    "construction before the investigation, assessment and targets); safe use ensured when the parcels "
    "breaking one == 0; insufficient data when none breaks one but some cannot be judged"
)


def _goal_computation(
    period: str,
    *,
    value: float | None,
    parcels: int,
    concerned: int,
    breaking: Mapping[str, list[str]],
    unknown: Mapping[str, list[str]],
) -> dict[str, Any]:
    """``details.computation`` of the 重点建设用地 goal: the parcels breaking a rule of tasks 7 and 8, counted
    over every ``land_parcel`` record (``n``), of which ``concerned`` are key construction land."""
    return computation(
        period=period,
        statistic="count_of_parcels_breaking_rules",
        n=parcels,
        n_of="records",
        value=value,
        value_raw=value,
        unit="个地块",
        rule_zh=_GOAL_RULE_ZH,
        rule_en=_GOAL_RULE_EN,
        limit=0.0,
        comparator="==",
        rules=[rule_id for rule_id, _ in _GOAL_CHECKS],
        concerned=concerned,
        breaking=len(breaking),
        unknown=len(unknown),
    )


PARCEL_EVALUATORS: dict[str, Evaluator] = {
    "soil_sensitive_use_investigation": evaluate_sensitive_use_investigation,
    "soil_listed_parcel_restrictions": evaluate_listed_parcel_restrictions,
    "soil_unrelated_construction": evaluate_unrelated_construction,
    "soil_toxic_site_reclamation": evaluate_toxic_site_reclamation,
    "soil_key_construction_land": evaluate_key_construction_land,
}

"""Facilities that must go, and what a stack may emit.

- ``phase_out`` — records (``applies_to`` kind, ``where``) that fail the threshold on ``field`` are to go:
  by ``due``, at once (``immediate``, 动态清零) or, without either, listed for action;
- ``stack_limit`` — the worst measured concentration of a kiln process, converted to the reference O2 of
  the limit's basis, against the limit (brick kilns, GB 29620-2013 and the plan's 18 % O2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from pint.errors import DimensionalityError

from envplan_air.facility_records import (
    DueParams,
    FacilityParams,
    all_clear,
    as_date,
    as_rule,
    as_written,
    clause_label,
    clean,
    is_flag,
    missing_fields,
    no_records,
    operating_state,
    parse_stage,
    placed,
    record_name,
    records_of,
    same_text,
    site_index,
)
from envplan_core.plugin import (
    DataError,
    EvalContext,
    Finding,
    Quantity,
    Rule,
    Status,
    Target,
    evaluator,
    format_unit,
    insufficient_data,
    limit_in,
    normalise_name,
    status_of,
    threshold_unit,
)
from envplan_core.standards import stack

__all__ = [
    "PhaseOutParams",
    "StackLimitParams",
    "evaluate_phase_out",
    "evaluate_stack_limit",
]


_PROCESS_ZH = {"drying_firing": "人工干燥及焙烧", "crushing_forming": "破碎、成型等产尘点"}
_PARAMETER_ZH = {"PM": "颗粒物", "SO2": "二氧化硫", "NOx": "氮氧化物"}
_PARAMETER_KEYS: dict[str, tuple[str, ...]] = {
    "PM": ("PM", "颗粒物", "particulate", "particulate_matter", "dust", "烟尘"),
    "SO2": ("SO2", "二氧化硫", "so₂"),
    "NOx": ("NOx", "氮氧化物", "nox_as_no2"),
}


def _is_source_type(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in stack.REFERENCE_O2:
        raise ValueError(
            f"{attribute.name}: unknown source type {value!r}; known: {sorted(stack.REFERENCE_O2)}"
        )


@attrs.frozen
class PhaseOutParams(DueParams):
    """Parameters of ``phase_out``.

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``where``: ``{field: value}`` a record must match to be judged (e.g. ``{fuel: coal}``);
    - ``field``: the record field compared with the rule's threshold (``capacity``, ``volume``,
      ``emission_standard`` …); a record failing it is to go; without a field every matching record is;
    - ``context``: a pint context for the conversion, e.g. ``boiler`` (MW ↔ t/h);
    - ``due``: the phase-out deadline (YYYY-MM-DD); an operating record is ``not_met`` after it;
    - ``immediate``: ``true`` when an operating record is ``not_met`` at once (动态清零); default false.
    """

    field: str = ""
    context: str | None = None
    immediate: bool = attrs.field(default=False, converter=as_written, validator=is_flag)


@attrs.frozen
class StackLimitParams(FacilityParams):
    """Parameters of ``stack_limit``.

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``parameter``: the measured pollutant: ``PM``, ``SO2`` or ``NOx`` (or a measurement key);
    - ``process``: the process whose measurements count: ``drying_firing`` or ``crushing_forming``;
    - ``encouraged``: ``true`` when the limit is an encouraged (not mandatory) one; default false;
    - ``source_type``: the reference-O2 row used to convert measurements (default ``brick_kiln_plan``,
      18 %; see :data:`envplan_core.standards.stack.REFERENCE_O2`).
    """

    parameter: str = ""
    process: str = ""
    encouraged: bool = attrs.field(default=False, converter=as_written, validator=is_flag)
    source_type: str = attrs.field(default="brick_kiln_plan", validator=_is_source_type)


def _field_number(value: Any, unit: str, context: str | None) -> float | None:
    if isinstance(value, Quantity):
        if not unit:
            return float(value.magnitude)
        converted = value.to(unit, context) if context else value.to(unit)
        return clean(float(converted.magnitude))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if unit and unit != "dimensionless":  # 20 could be t/h or MW: the record must say (docs/inputs.md)
            raise ValueError(f"a bare number is compared with a limit in {format_unit(unit)}: write its unit")
        return float(value)
    stage = parse_stage(value) if isinstance(value, str) else None
    return None if stage is None else float(stage)


@evaluator(PhaseOutParams)
def evaluate_phase_out(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Records (``applies_to`` kind, ``where``) that fail the threshold on ``field`` are to go (see module)."""
    rule = as_rule(item)
    params = ctx.params_of(rule, PhaseOutParams)
    records = records_of(ctx, rule, params)
    if not records:
        return [no_records(rule, ctx, params)]
    where, field, context, due = params.where, params.field, params.context, params.due
    threshold = rule.thresholds[0] if rule.thresholds else None
    unit = threshold_unit(threshold) if threshold else ""
    limit = limit_in(threshold, unit) if threshold else None
    u = format_unit(unit) if unit else ""
    out: list[Finding] = []
    checked = compliant = retired = 0
    for record in placed(rule, ctx, records, where, out):
        checked += 1
        name = record_name(record)
        number: float | None = None
        shown = shown_en = ""
        if threshold is not None and field:
            raw = record.get(field)
            try:
                number = _field_number(raw, unit, context or None)
            except Exception as exc:  # noqa: BLE001 - pint dimensionality errors are data errors here
                raise DataError(
                    f"{record.source}: {field} = {raw!r} cannot be compared with {threshold.value}: {exc}",
                    column=field,
                ) from None
            if number is None:
                out.append(missing_fields(rule, ctx, record, [field]))
                continue
            assert limit is not None
            if threshold.comparator.holds(number, limit):
                compliant += 1
                continue
            shown = f"{field} = {number:g}{u}（要求 {threshold.comparator.value} {limit:g}{u}）"
            shown_en = f"{field} = {number:g}{u} (required {threshold.comparator.value} {limit:g}{u})"
        state = operating_state(record, ctx.as_of)
        base: dict[str, Any] = {
            "subject": name,
            "value": number,
            "limit": limit,
            "unit": u,
            "evidence": [record.source],
        }
        info: dict[str, Any] = {
            "record": record.id,
            "due": due.isoformat() if due else None,
            "status_field": state.status,
            "closed_on": state.closed_on,
        }
        head = f"{name}：{rule.title_zh}（{clause_label(rule)}）{('，' + shown) if shown else ''}"
        head_en = f"{name}: {rule.title_en}{(' — ' + shown_en) if shown_en else ''}"
        if not state.operating:
            if due is not None and state.closed_on is not None and state.closed_on > due:
                out.append(
                    ctx.finding(
                        rule,
                        status=Status.NOT_MET,
                        **base,
                        details={**info, "closed_late": True},
                        message_zh=f"{head}；已于{state.closed_on}关停/淘汰，晚于期限{due}",
                        message_en=f"{head_en}; closed on {state.closed_on}, after the deadline {due}",
                    )
                )
            else:
                retired += 1
            continue
        if params.immediate:
            status, tail, tail_en = (
                Status.NOT_MET,
                "；仍在运行，应立即取缔（动态清零）",
                "; still operating: to be banned at once",
            )
        elif due is not None and ctx.as_of > due:
            status, tail, tail_en = (
                Status.NOT_MET,
                f"；期限{due}已过，仍在运行",
                f"; still operating after the deadline {due}",
            )
        elif due is not None:
            status, tail, tail_en = (
                Status.NOT_APPLICABLE,
                f"；仍在运行，淘汰期限{due}（未到期）",
                f"; still operating, due on {due}",
            )
        else:
            status, tail, tail_en = (
                Status.NOT_APPLICABLE,
                "；仍在运行，计划未设淘汰期限（推动淘汰，列出待办）",
                "; still operating; the plan sets no date (listed for action)",
            )
        out.append(
            ctx.finding(
                rule,
                status=status,
                **base,
                details=info,
                message_zh=head + tail,
                message_en=head_en + tail_en,
            )
        )
    if not out:
        out.append(
            all_clear(
                rule,
                ctx,
                value=0.0,
                unit="",
                details={"checked": checked, "compliant": compliant, "retired": retired},
                message_zh=f"{rule.title_zh}：清单中无需淘汰的在用设施（核查{checked}条，符合{compliant}条，"
                f"已关停/淘汰{retired}条；{clause_label(rule)}）",
                message_en=f"{rule.title_en}: no facility left to phase out ({checked} checked, {compliant} "
                f"compliant, {retired} retired)",
            )
        )
    return out


def _measured(m: Mapping[str, Any], parameter: str) -> Any:
    for key in _PARAMETER_KEYS.get(parameter, (parameter,)):
        for k, v in m.items():
            if normalise_name(k) == normalise_name(key):
                return v
    return None


def _mg_m3(value: Any, where: str) -> float:
    if isinstance(value, Quantity):
        try:
            return float(value.m_as("mg/m^3"))
        except DimensionalityError:
            raise DataError(f"{where}: {value} is not a concentration (mg/m³)", column=where) from None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)  # a bare number in a stack test report is mg/m³ (GB 29620 unit)
    raise DataError(f"{where}: expected a concentration such as '25 mg/m³', got {value!r}", column=where)


def _percent(value: Any, where: str) -> float:
    if isinstance(value, Quantity):
        return float(value.m_as("percent"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise DataError(f"{where}: expected an O2 content such as '16 %', got {value!r}", column=where)


def _reference_o2(basis: str) -> float | None:
    match = re.search(r"O2\s*=\s*([\d.]+)\s*%", basis.replace(" ", ""))
    return float(match.group(1)) if match else None


@evaluator(StackLimitParams)
def evaluate_stack_limit(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Worst measured concentration of a process of each kiln, at the reference O2 of the basis, vs the limit.

    Record fields: ``measurements`` — a list of ``{process, date, PM/SO2/NOx: "… mg/m³", O2: "… %"}``
    (``reference_o2: "18 %"`` instead of ``O2`` when the values are already on that basis). Converted
    with :func:`envplan_core.standards.stack.convert` (``brick_kiln_plan``: 18 %); the GB 29620-2013
    release-text basis (excess-air coefficient 1.7) is computed beside it in ``details`` (doubt 1).
    """
    rule = as_rule(item)
    params = ctx.params_of(rule, StackLimitParams)
    parameter, process = params.parameter, params.process
    encouraged, source_type = params.encouraged, params.source_type
    threshold = rule.thresholds[0]
    limit = limit_in(threshold, "mg/m^3")
    ref_o2 = _reference_o2(threshold.basis)
    records = records_of(ctx, rule, params)
    if not records:
        return [no_records(rule, ctx, params)]
    start, end = ctx.plan.period_start, min(ctx.plan.period_end, ctx.as_of)
    sites = site_index(ctx)
    out: list[Finding] = []
    for record in records:
        name = record_name(record)
        if not operating_state(record, ctx.as_of).operating:
            continue
        rows = record.get("measurements") or []
        if not isinstance(rows, list):
            raise DataError(f"{record.source}: 'measurements' must be a list", column="measurements")
        used: list[dict[str, Any]] = []
        for i, m in enumerate(rows):
            where = f"{record.source}.measurements[{i}]"
            if not isinstance(m, Mapping) or not same_text(m.get("process", ""), process, sites):
                continue
            day = as_date(m.get("date"), f"{where}.date")
            if day is not None and not (start <= day <= end):
                continue
            raw = _measured(m, parameter)
            if raw is None:
                continue
            measured = _mg_m3(raw, f"{where}.{parameter}")
            row: dict[str, Any] = {"date": day, "measured": measured}
            if ref_o2 is None:
                row.update(value=measured, basis="as measured (no reference O2 for this process)")
            elif m.get("O2") is not None:
                o2 = _percent(m["O2"], f"{where}.O2")
                conv = stack.convert(measured, o2, source_type)
                alt = stack.to_reference_excess_air(measured, o2)
                row.update(
                    value=clean(float(conv.value)),
                    o2=o2,
                    basis=conv.basis,
                    alternative={"value": clean(float(alt.value)), "basis": alt.basis},
                    doubt=conv.doubt,
                )
            elif (
                m.get("reference_o2") is not None and abs(_percent(m["reference_o2"], where) - ref_o2) < 1e-9
            ):
                row.update(value=measured, basis=f"reported at reference O2 {ref_o2:g} %")
            else:
                out.append(
                    missing_fields(
                        rule,
                        ctx,
                        record,
                        ["measurements[].O2"],
                        f"；需实测含氧量以折算至基准氧含量{ref_o2:g}%",
                    )
                )
                used = []
                break
            used.append(row)
        else:
            if not used:
                out.append(
                    insufficient_data(
                        rule,
                        ctx,
                        f"无{start.year}年{_PROCESS_ZH.get(process, process)}环节"
                        f"{_PARAMETER_ZH.get(parameter, parameter)}监测数据（{clause_label(rule)}）",
                        f"no {start.year} {process} {parameter} measurement",
                        about=name,
                        evidence=[record.source],
                        details={"record": record.id, "missing": [f"measurements ({process}, {parameter})"]},
                    )
                )
                continue
            worst = max(used, key=lambda r: r["value"])
            ok = threshold.comparator.holds(worst["value"], limit)
            level_zh = "鼓励性深度治理限值" if encouraged else "限值"
            verdict = ("达到" if ok else "未达到") + (
                "鼓励性深度治理水平（非强制）" if encouraged else "限值要求"
            )
            o2_text = f"（实测O2 {worst['o2']:g}%，折算至基准氧含量{ref_o2:g}%）" if "o2" in worst else ""
            out.append(
                ctx.finding(
                    rule,
                    status=status_of(ok),
                    subject=name,
                    value=worst["value"],
                    limit=limit,
                    unit="mg/m³",
                    evidence=[record.source],
                    standard="GB 29620-2013",
                    details={
                        "record": record.id,
                        "measurements": used,
                        "worst": worst,
                        "encouraged": encouraged,
                        "basis": threshold.basis,
                        "mandatory": "GB 29620-2013 及修改单 Table 2 limits apply regardless (not judged here)",
                    },
                    message_zh=f"{name}：{_PROCESS_ZH.get(process, process)}环节{_PARAMETER_ZH.get(parameter, parameter)} "
                    f"{worst['value']:g} mg/m³{o2_text}，{level_zh} "
                    f"{threshold.comparator.value} {limit:g} mg/m³，{verdict}（{clause_label(rule)}）",
                    message_en=f"{name}: {process} {parameter} {worst['value']:g} mg/m³"
                    + (
                        f" (measured at {worst['o2']:g} % O2, converted to {ref_o2:g} %)"
                        if "o2" in worst
                        else ""
                    )
                    + f", {'encouraged ' if encouraged else ''}limit {threshold.comparator.value} {limit:g} mg/m³: "
                    + ("reached" if ok else "not reached")
                    + (" (encouraged, not mandatory)" if encouraged else ""),
                )
            )
    if not out:
        return [no_records(rule, ctx, params, "在用砖瓦窑记录")]
    return out

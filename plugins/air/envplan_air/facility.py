"""Rules over the inventory: boilers, furnaces, converters, brick kilns, coke oven, enterprises, VOC
processes, non-road machinery and trucks. Every finding names the facility (``subject``), the rule and
its clause (in the message and the citation) and the responsible units (from the rule or its task).

Shared conventions (docs/plans/air.md § Facility rules):

* **Operating or not.** A record is out of operation when its ``status`` says so (``closed``,
  ``retired``, ``demolished``, ``已关停``, ``已拆除``, ``已淘汰``, ``已取缔``, ``已报废`` …) or when a
  ``closed_on``/``retired_on`` date lies on or before ``as_of``. A closing date after ``as_of`` is not
  known yet: the facility still operates.
* **Deadlines.** A rule with ``due``: before and on the due day a facility still operating is
  ``not_applicable`` ("due on …"); after it, ``not_met``. Closed after the due day is ``not_met``
  (closed late; the date is named). ``immediate: true`` (35 t/h coal boilers, 动态清零): an operating
  facility is ``not_met`` at once. Neither (the plan only says 推动淘汰, trucks): the remaining records
  are listed as ``not_applicable`` — the plan sets no date.
* **Records matched by ``where``**: strings compare after folding width and case, with a few synonyms
  (``coal`` = 燃煤/煤/煤炭); a zone or an enterprise may be named by any alias of a plan site
  (``禁煤区`` = ``no_coal_zone``); booleans accept 是/否, yes/no; quantity strings (``"4.3 m"``) compare
  numerically. A record missing a ``where`` field cannot be placed and gets ``insufficient_data`` —
  except in the rules about named facilities and enterprises (coke oven, ultra-low emission), which pick
  the records that positively match: an ``enterprise`` record without ``industry`` is not a coking one.
* **Capacities** are compared in the threshold's unit, boilers through pint's ``boiler`` context
  (``Quantity.to("t/h", "boiler")``: 1 t/h = 0.7 MW, so MW, 蒸吨 and t/h all work), after rounding to
  10 significant digits so conversion noise cannot move a value across a boundary (24.5 MW = 35 t/h).
* **No records of the kind at all** is ``insufficient_data`` naming the kind (an inventory that does not
  cover boilers says nothing about boilers).

Each evaluator declares the ``params:`` a rule may give it (:class:`PhaseOutParams` …); every one takes
``kind`` (the record kind, default the rule's ``applies_to``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
from pint.errors import DimensionalityError

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
    evaluator,
    format_unit,
    limit_in,
    normalise_name,
    parse_quantity,
    threshold_unit,
)
from envplan_core.standards import stack

__all__ = [
    "FACILITY_EVALUATORS",
    "FacilityClosedParams",
    "FacilityParams",
    "FacilityStatusParams",
    "NonRoadMachineryParams",
    "PhaseOutParams",
    "SeasonalProductionBanParams",
    "StackLimitParams",
    "VocStaggeredParams",
    "operating_state",
    "parse_stage",
]

_CLOSED_WORDS = frozenset(
    normalise_name(w)
    for w in (
        "closed",
        "retired",
        "demolished",
        "dismantled",
        "phased_out",
        "phased out",
        "scrapped",
        "banned",
        "shut down",
        "shutdown",
        "decommissioned",
        "关停",
        "已关停",
        "拆除",
        "已拆除",
        "淘汰",
        "已淘汰",
        "取缔",
        "已取缔",
        "报废",
        "已报废",
        "注销",
        "已注销",
        "退出",
        "已退出",
    )
)
_SYNONYMS: dict[str, frozenset[str]] = {
    key: frozenset(normalise_name(w) for w in words)
    for key, words in {
        "coal": ("coal", "燃煤", "煤", "煤炭", "coal-fired", "coal_fired", "燃煤锅炉"),
        "gas": ("gas", "natural gas", "燃气", "天然气"),
        "biomass": ("biomass", "生物质"),
        "coking": ("coking", "焦化", "coke"),
        "steel": ("steel", "钢铁", "iron and steel"),
        "cement": ("cement", "水泥"),
        "drying_firing": (
            "drying_firing",
            "firing",
            "drying",
            "kiln",
            "焙烧",
            "干燥",
            "人工干燥及焙烧",
            "干燥及焙烧",
            "窑炉",
        ),
        "crushing_forming": (
            "crushing_forming",
            "crushing",
            "forming",
            "破碎",
            "成型",
            "破碎成型",
            "其他产尘点",
            "other dust points",
        ),
    }.items()
}
_PROCESS_ZH = {"drying_firing": "人工干燥及焙烧", "crushing_forming": "破碎、成型等产尘点"}
_PARAMETER_ZH = {"PM": "颗粒物", "SO2": "二氧化硫", "NOx": "氮氧化物"}
_PARAMETER_KEYS: dict[str, tuple[str, ...]] = {
    "PM": ("PM", "颗粒物", "particulate", "particulate_matter", "dust", "烟尘"),
    "SO2": ("SO2", "二氧化硫", "so₂"),
    "NOx": ("NOx", "氮氧化物", "nox_as_no2"),
}
_TRUE = frozenset(
    normalise_name(w) for w in ("true", "yes", "y", "1", "是", "有", "已", "done", "完成", "已完成")
)
_FALSE = frozenset(normalise_name(w) for w in ("false", "no", "n", "0", "否", "无", "未", "未完成"))
_STAGE = re.compile(r"(?:国|china|stage|cn)?\s*([ivxⅰ-ⅻ]+|\d+)", re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7}
_ROMAN_UNICODE = {"ⅰ": "i", "ⅱ": "ii", "ⅲ": "iii", "ⅳ": "iv", "ⅴ": "v", "ⅵ": "vi", "ⅶ": "vii"}
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}


# --------------------------------------------------------------------------- small parsers
def _date(value: Any, where: str = "") -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        prefix = f"{where}: " if where else ""
        raise DataError(f"{prefix}not an ISO date (YYYY-MM-DD): {value!r}") from None


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None:
        return None
    text = normalise_name(str(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def parse_stage(value: Any) -> int | None:
    """China emission stage as a number: 3, "国三", "国3", "国III", "China III", "Ⅲ" → 3; None if unknown."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, Quantity) and value.dimensionless:
        return int(value.m_as("dimensionless"))
    text = str(value).strip().lower()
    for zh, n in _CHINESE_DIGITS.items():
        if text in (f"国{zh}", zh):
            return n
    for uni, ascii_ in _ROMAN_UNICODE.items():
        text = text.replace(uni, ascii_)
    match = _STAGE.fullmatch(text.replace("国", "国 ").replace("国 ", "国")) or _STAGE.search(text)
    if match is None:
        return None
    token = match.group(1)
    if token.isdigit():
        return int(token)
    return _ROMAN.get(token)


def _clean(x: float) -> float:
    """Round to 10 significant digits: unit-conversion noise must not cross a boundary."""
    return float(f"{x:.10g}")


def _clause(item: Rule) -> str:
    c = item.citation
    clause = (
        f"第{c.clause}条"
        if c.clause[:1].isdigit() and not c.part.startswith("附件")
        else (f"序号{c.clause}" if c.part.startswith("附件") else c.clause)
    )
    return f"{c.part}{clause}"


def _name(record: Record) -> str:
    return str(record.get("name", record.id))


# --------------------------------------------------------------------------- parameters
# cattrs would structure ``"false"`` as ``bool("false")`` (true) and ``化工`` as ``("化", "工")``: these
# fields take the value as written (an attrs converter stops cattrs) and their validator checks it by name.
def _as_written(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _is_flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{attribute.name}: expected true or false, got {value!r}")


def _are_names(_: object, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
    if not (isinstance(value, tuple) and all(isinstance(v, str) for v in value)):
        raise TypeError(f"{attribute.name}: expected a list of names, e.g. [化工, 工业涂装], got {value!r}")


def _is_month_day(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    try:
        _month_day(value, 2023)
    except (TypeError, ValueError):
        raise ValueError(
            f"{attribute.name}: expected a month and day MM-DD, e.g. 10-01, got {value!r}"
        ) from None


def _is_source_type(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in stack.REFERENCE_O2:
        raise ValueError(
            f"{attribute.name}: unknown source type {value!r}; known: {sorted(stack.REFERENCE_O2)}"
        )


@attrs.frozen
class FacilityParams:
    """The records a facility rule judges.

    - ``kind``: the inventory record kind; default the rule's ``applies_to``.
    """

    kind: str | None = None

    def kind_of(self, rule: Rule) -> str:
        return self.kind if self.kind is not None else rule.applies_to


@attrs.frozen
class _WhereParams(FacilityParams):
    """``kind`` and ``where``: ``{field: value}`` a record must match (see the module docstring)."""

    where: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class _DueParams(_WhereParams):
    """``kind``, ``where`` and ``due``: the day by which the rule must be met."""

    due: dt.date | None = None


@attrs.frozen
class PhaseOutParams(_DueParams):
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
    immediate: bool = attrs.field(default=False, converter=_as_written, validator=_is_flag)


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
    encouraged: bool = attrs.field(default=False, converter=_as_written, validator=_is_flag)
    source_type: str = attrs.field(default="brick_kiln_plan", validator=_is_source_type)


@attrs.frozen
class SeasonalProductionBanParams(_WhereParams):
    """Parameters of ``seasonal_production_ban``.

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``where``: ``{field: value}`` a record must match to be judged;
    - ``season_start``: the first day of the season, MM-DD (default ``10-01``);
    - ``season_end``: its last day in the following year, MM-DD (default ``03-31``).
    """

    season_start: str = attrs.field(default="10-01", validator=_is_month_day)
    season_end: str = attrs.field(default="03-31", validator=_is_month_day)


@attrs.frozen
class VocStaggeredParams(FacilityParams):
    """Parameters of ``voc_staggered``.

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``industries``: the industries whose records are judged (a list); empty: all;
    - ``start``, ``end``: the staggering period (YYYY-MM-DD);
    - ``daily_start``, ``daily_end``: the daily window the processes must avoid, HH:MM (default
      ``10:00``-``16:00``).
    """

    industries: tuple[str, ...] = attrs.field(default=(), converter=_as_written, validator=_are_names)
    start: dt.date | None = None
    end: dt.date | None = None
    daily_start: dt.time = dt.time(10, 0)
    daily_end: dt.time = dt.time(16, 0)


@attrs.frozen
class NonRoadMachineryParams(_WhereParams):
    """Parameters of ``non_road_machinery``.

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``where``: ``{field: value}`` a machine must match to be judged (e.g. the control zone);
    - ``field``: the record field holding the emission stage (default ``emission_standard``).
    """

    field: str = "emission_standard"


@attrs.frozen
class _NamedParams(_DueParams):
    """A named facility: ``site`` (an enterprise named by any alias) and ``where``, with ``due``."""

    site: str | None = None


@attrs.frozen
class FacilityClosedParams(_NamedParams):
    """Parameters of ``facility_closed``.

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``site``: the plan site (enterprise) whose records are meant, named by any alias;
    - ``where``: ``{field: value}`` the facility's record must match (e.g. ``{height: "4.3 m"}``);
    - ``due``: the closing deadline (YYYY-MM-DD).
    """


@attrs.frozen
class FacilityStatusParams(_NamedParams):
    """Parameters of ``facility_status``.

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``site``: the plan site (enterprise) whose records are meant, named by any alias;
    - ``where``: ``{field: value}`` the records must match (e.g. ``{industry: coking}``);
    - ``field``: the record field that says done (true/false or the completion date);
    - ``due``: the deadline (YYYY-MM-DD).
    """

    field: str = ""


# --------------------------------------------------------------------------- operating state
@attrs.frozen
class State:
    operating: bool
    closed_on: dt.date | None  # known closing date (≤ as_of) when closed
    status: str


def operating_state(record: Record, as_of: dt.date) -> State:
    """Whether a facility operates on ``as_of`` (see the module docstring)."""
    status = str(record.get("status", "") or "")
    closed_on = None
    for key in ("closed_on", "retired_on", "demolished_on", "phased_out_on"):
        if record.get(key) is not None:
            closed_on = _date(record.get(key), f"{record.source}.{key}")
            break
    closed_flag = _bool(record.get("closed"))
    if closed_on is not None:
        return State(
            operating=closed_on > as_of, closed_on=closed_on if closed_on <= as_of else None, status=status
        )
    if normalise_name(status) in _CLOSED_WORDS or closed_flag:
        return State(operating=False, closed_on=None, status=status)
    return State(operating=True, closed_on=None, status=status)


# --------------------------------------------------------------------------- matching
def _site_index(ctx: EvalContext) -> dict[str, str]:
    index: dict[str, str] = {}
    for site in ctx.plan.sites:
        for name in (site.id, site.name_zh, site.name_en, *site.aliases):
            if name:
                index.setdefault(normalise_name(name), site.id)
    return index


def _same_text(actual: Any, expected: str, sites: Mapping[str, str]) -> bool:
    a, e = normalise_name(str(actual)), normalise_name(expected)
    if a == e:
        return True
    if e in sites and sites.get(a) == sites[e]:  # a plan site named by any alias
        return True
    group = _SYNONYMS.get(e) or next((g for g in _SYNONYMS.values() if e in g), None)
    return group is not None and a in group


def _match_one(actual: Any, expected: Any, sites: Mapping[str, str]) -> bool | None:
    if actual is None:
        return None
    if isinstance(expected, list):
        results = [_match_one(actual, e, sites) for e in expected]
        return True if any(r for r in results) else (None if all(r is None for r in results) else False)
    if isinstance(expected, bool):
        flag = _bool(actual)
        return None if flag is None else flag == expected
    if isinstance(expected, (int, float)):
        number = actual.magnitude if isinstance(actual, Quantity) else actual
        try:
            return float(number) == float(expected)
        except (TypeError, ValueError):
            return False
    if isinstance(actual, Quantity) or isinstance(expected, Quantity):
        try:
            want = expected if isinstance(expected, Quantity) else parse_quantity(str(expected))
            have = actual if isinstance(actual, Quantity) else parse_quantity(str(actual))
            return _clean(float(have.m_as(want.units))) == _clean(float(want.magnitude))
        except Exception:  # noqa: BLE001 - not comparable as quantities: compare as text
            return _same_text(actual, str(expected), sites)
    return _same_text(actual, str(expected), sites)


def match(
    record: Record, where: Mapping[str, Any], sites: Mapping[str, str]
) -> tuple[bool | None, list[str]]:
    """(True: every ``where`` field matches / False: one differs / None: some are missing, named)."""
    missing: list[str] = []
    for key, expected in where.items():
        result = _match_one(record.get(key), expected, sites)
        if result is False:
            return False, []
        if result is None:
            missing.append(key)
    return (None, missing) if missing else (True, [])


def _placed(
    rule: Rule, ctx: EvalContext, records: Iterable[Record], where: Mapping[str, Any], out: list[Finding]
) -> Iterator[Record]:
    """The records that match ``where``; one missing a ``where`` field cannot be placed and gets an
    ``insufficient_data`` finding appended to ``out`` instead (in record order, as iteration goes)."""
    sites = _site_index(ctx)
    for record in records:
        placed, missing = match(record, where, sites)
        if placed is None:
            out.append(_missing_fields(rule, ctx, record, missing))
        elif placed:
            yield record


def _records(ctx: EvalContext, item: Rule, params: FacilityParams) -> list[Record] | None:
    return None if ctx.inventory is None else ctx.inventory.by_kind(params.kind_of(item))


def _no_records(item: Rule, ctx: EvalContext, params: FacilityParams, what: str | None = None) -> Finding:
    kind = params.kind_of(item)
    if ctx.inventory is None:
        zh, en = (
            f"未提供清单数据（需要 kind={kind} 的记录）",
            f"no inventory given (needs records of kind {kind!r})",
        )
    else:
        zh = f"清单中没有{what or f' kind={kind} 的记录'}"
        en = f"the inventory has no {what or f'records of kind {kind!r}'}"
    return ctx.finding(
        item,
        status=Status.INSUFFICIENT_DATA,
        subject=item.title_zh,
        message_zh=f"{item.title_zh}：{zh}（{_clause(item)}）",
        message_en=f"{item.title_en}: {en}",
        details={"missing": [kind]},
    )


def _all_clear(rule: Rule, ctx: EvalContext, **fields: Any) -> Finding:
    """The rule's ``met`` finding when no record breaks it (``fields``: messages, details, value …)."""
    return ctx.finding(rule, status=Status.MET, subject=rule.title_zh, **fields)


def _missing_fields(
    item: Rule, ctx: EvalContext, record: Record, fields: Sequence[str], why: str = ""
) -> Finding:
    name = _name(record)
    listed = "、".join(fields)
    return ctx.finding(
        item,
        status=Status.INSUFFICIENT_DATA,
        subject=name,
        evidence=[record.source],
        details={"record": record.id, "missing": list(fields)},
        message_zh=f"{name}：缺少字段 {listed}，无法判断是否符合「{item.title_zh}」（{_clause(item)}）{why}",
        message_en=f"{name}: field(s) {', '.join(fields)} missing; cannot judge '{item.title_en}'",
    )


def _field_number(value: Any, unit: str, context: str | None) -> float | None:
    if isinstance(value, Quantity):
        if not unit:
            return float(value.magnitude)
        converted = value.to(unit, context) if context else value.to(unit)
        return _clean(float(converted.magnitude))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    stage = parse_stage(value) if isinstance(value, str) else None
    return None if stage is None else float(stage)


# --------------------------------------------------------------------------- phase-out / forbidden
@evaluator(PhaseOutParams)
def evaluate_phase_out(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Records (``applies_to`` kind, ``where``) that fail the threshold on ``field`` are to go (see module)."""
    rule = _rule(item)
    params = ctx.params_of(rule, PhaseOutParams)
    records = _records(ctx, rule, params)
    if not records:
        return [_no_records(rule, ctx, params)]
    where, field, context, due = params.where, params.field, params.context, params.due
    threshold = rule.thresholds[0] if rule.thresholds else None
    unit = threshold_unit(threshold) if threshold else ""
    limit = limit_in(threshold, unit) if threshold else None
    u = format_unit(unit) if unit else ""
    out: list[Finding] = []
    checked = compliant = retired = 0
    for record in _placed(rule, ctx, records, where, out):
        checked += 1
        name = _name(record)
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
                out.append(_missing_fields(rule, ctx, record, [field]))
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
        head = f"{name}：{rule.title_zh}（{_clause(rule)}）{('，' + shown) if shown else ''}"
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
            _all_clear(
                rule,
                ctx,
                value=0.0,
                unit="",
                details={"checked": checked, "compliant": compliant, "retired": retired},
                message_zh=f"{rule.title_zh}：清单中无需淘汰的在用设施（核查{checked}条，符合{compliant}条，"
                f"已关停/淘汰{retired}条；{_clause(rule)}）",
                message_en=f"{rule.title_en}: no facility left to phase out ({checked} checked, {compliant} "
                f"compliant, {retired} retired)",
            )
        )
    return out


# --------------------------------------------------------------------------- stack limits (brick kilns)
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
    rule = _rule(item)
    params = ctx.params_of(rule, StackLimitParams)
    parameter, process = params.parameter, params.process
    encouraged, source_type = params.encouraged, params.source_type
    threshold = rule.thresholds[0]
    limit = limit_in(threshold, "mg/m^3")
    ref_o2 = _reference_o2(threshold.basis)
    records = _records(ctx, rule, params)
    if not records:
        return [_no_records(rule, ctx, params)]
    start, end = ctx.plan.period_start, min(ctx.plan.period_end, ctx.as_of)
    sites = _site_index(ctx)
    out: list[Finding] = []
    for record in records:
        name = _name(record)
        if not operating_state(record, ctx.as_of).operating:
            continue
        rows = record.get("measurements") or []
        if not isinstance(rows, list):
            raise DataError(f"{record.source}: 'measurements' must be a list", column="measurements")
        used: list[dict[str, Any]] = []
        for i, m in enumerate(rows):
            where = f"{record.source}.measurements[{i}]"
            if not isinstance(m, Mapping) or not _same_text(m.get("process", ""), process, sites):
                continue
            day = _date(m.get("date"), f"{where}.date")
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
                    value=_clean(float(conv.value)),
                    o2=o2,
                    basis=conv.basis,
                    alternative={"value": _clean(float(alt.value)), "basis": alt.basis},
                    doubt=conv.doubt,
                )
            elif (
                m.get("reference_o2") is not None and abs(_percent(m["reference_o2"], where) - ref_o2) < 1e-9
            ):
                row.update(value=measured, basis=f"reported at reference O2 {ref_o2:g} %")
            else:
                out.append(
                    _missing_fields(
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
                    ctx.finding(
                        rule,
                        status=Status.INSUFFICIENT_DATA,
                        subject=name,
                        evidence=[record.source],
                        details={"record": record.id, "missing": [f"measurements ({process}, {parameter})"]},
                        message_zh=f"{name}：无{start.year}年{_PROCESS_ZH.get(process, process)}环节"
                        f"{_PARAMETER_ZH.get(parameter, parameter)}监测数据（{_clause(rule)}）",
                        message_en=f"{name}: no {start.year} {process} {parameter} measurement",
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
                    status=Status.MET if ok else Status.NOT_MET,
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
                    f"{threshold.comparator.value} {limit:g} mg/m³，{verdict}（{_clause(rule)}）",
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
        return [_no_records(rule, ctx, params, "在用砖瓦窑记录")]
    return out


# --------------------------------------------------------------------------- seasonal production ban
def _month_day(text: str, year: int) -> dt.date:
    month, day = (int(x) for x in str(text).split("-"))
    return dt.date(year, month, day)


def _periods(value: Any, where: str) -> list[tuple[dt.date, dt.date]]:
    out = []
    for i, p in enumerate(value or []):
        if not isinstance(p, Mapping) or _date(p.get("start")) is None:
            raise DataError(
                f"{where}[{i}]: a production period is {{start: YYYY-MM-DD, end: YYYY-MM-DD}}",
                column="production",
            )
        first = _date(p.get("start"), f"{where}[{i}].start")
        last = _date(p.get("end"), f"{where}[{i}].end") or first
        assert first is not None
        assert last is not None
        out.append((first, last))
    return out


@evaluator(SeasonalProductionBanParams)
def evaluate_seasonal_production_ban(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Kilns of ``where`` must not produce in the 秋冬季 season (``season_start``..``season_end``).

    The season counted is the first one starting after the plan was issued (2023-10-01..2024-03-31),
    up to ``as_of``. Record fields: ``production`` (list of ``{start, end}`` periods of production) or
    ``season_shutdown`` (true: did not produce in the season).
    """
    rule = _rule(item)
    params = ctx.params_of(rule, SeasonalProductionBanParams)
    records = _records(ctx, rule, params)
    if not records:
        return [_no_records(rule, ctx, params)]
    issued = ctx.plan.issued
    season_start = _month_day(params.season_start, issued.year)
    if season_start < issued:
        season_start = season_start.replace(year=season_start.year + 1)
    season_end = _month_day(params.season_end, season_start.year + 1)
    window_end = min(season_end, ctx.as_of)
    where = params.where
    out: list[Finding] = []
    season = f"{season_start}至{season_end}"
    for record in _placed(rule, ctx, records, where, out):
        name = _name(record)
        base: dict[str, Any] = {"subject": name, "evidence": [record.source]}
        if ctx.as_of < season_start:
            out.append(
                ctx.finding(
                    rule,
                    status=Status.NOT_APPLICABLE,
                    **base,
                    details={"season": [season_start, season_end]},
                    message_zh=f"{name}：秋冬季（{season}）尚未开始（{_clause(rule)}）",
                    message_en=f"{name}: the autumn-winter season ({season_start}..{season_end}) "
                    "has not started",
                )
            )
            continue
        state = operating_state(record, ctx.as_of)
        periods = _periods(record.get("production"), f"{record.source}.production")
        hits = [
            (max(a, season_start), min(b, window_end))
            for a, b in periods
            if a <= window_end and b >= season_start
        ]
        shutdown = _bool(record.get("season_shutdown"))
        info = {
            "record": record.id,
            "season": [season_start, season_end],
            "checked_until": window_end,
            "production_in_season": [[a, b] for a, b in hits],
        }
        if hits or shutdown is False:
            days = sum((b - a).days + 1 for a, b in hits)
            listed = "、".join(f"{a}至{b}" for a, b in hits) or "（记录为秋冬季未停产）"
            out.append(
                ctx.finding(
                    rule,
                    status=Status.NOT_MET,
                    **base,
                    value=float(days) if hits else None,
                    unit="天" if hits else "",
                    details=info,
                    message_zh=f"{name}：位于禁煤区且未实施清洁能源替代，秋冬季期间生产 {listed}，违反「{rule.title_zh}」"
                    f"（{_clause(rule)}）",
                    message_en=f"{name}: in the coal-ban zone without clean-energy substitution, produced in the "
                    f"autumn-winter season ({', '.join(f'{a}..{b}' for a, b in hits) or 'recorded as not stopped'})",
                )
            )
        elif periods or shutdown or not state.operating:
            out.append(
                ctx.finding(
                    rule,
                    status=Status.MET,
                    **base,
                    value=0.0,
                    unit="天",
                    details=info,
                    message_zh=f"{name}：秋冬季（{season_start}至{window_end}）未生产（{_clause(rule)}）",
                    message_en=f"{name}: no production in the autumn-winter season up to {window_end}",
                )
            )
        else:
            out.append(
                _missing_fields(rule, ctx, record, ["production", "season_shutdown"], "；需秋冬季生产记录")
            )
    if not out:
        out.append(
            _all_clear(
                rule,
                ctx,
                message_zh=f"{rule.title_zh}：清单中无禁煤区内未实施清洁能源替代的砖瓦窑（{_clause(rule)}）",
                message_en=f"{rule.title_en}: no kiln in the coal-ban zone without clean-energy substitution",
            )
        )
    return out


# --------------------------------------------------------------------------- VOC staggering
_HOURS = re.compile(
    r"(\d{1,2})(?:[:：](\d{2})|[时点](\d{1,2})分|[时点])?\s*[-–~～至到]\s*(\d{1,2})(?:[:：](\d{2})|[时点](\d{1,2})分|[时点])?"
)


def _minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def _intervals(value: Any, where: str) -> list[tuple[int, int]]:
    """Daily operating hours ("08:00-10:00, 16:00-22:00", "6时-10时, 16时-22时" or a list) as minute
    intervals [a, b)."""
    if isinstance(value, Quantity):
        # The inventory reader takes "08:00-18:00" for a number with a unit; the text is lost.
        raise DataError(
            f"{where}: operating hours were read as a quantity ({value}); write them as "
            "'8时-18时' or '08-18' (or report the reader issue)",
            column="hours",
        )
    items = value if isinstance(value, list) else re.split(r"[,，;；、]", str(value))
    out: list[tuple[int, int]] = []
    for part in items:
        text = str(part).strip()
        if not text:
            continue
        match = _HOURS.fullmatch(text)
        if match is None:
            raise DataError(f"{where}: operating hours like '08:00-10:00', got {text!r}", column="hours")
        g = match.groups()
        a = int(g[0]) * 60 + int(g[1] or g[2] or 0)
        b = int(g[3]) * 60 + int(g[4] or g[5] or 0)
        if b <= a:  # across midnight
            out += [(a, 24 * 60), (0, b)]
        else:
            out.append((a, b))
    return out


@evaluator(VocStaggeredParams)
def evaluate_voc_staggered(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """VOC-emitting processes of the listed industries must not run in the daily window of the period.

    Record fields: ``industry``; ``hours`` — daily operating hours during the period
    (``"06:00-10:00, 16:00-22:00"``); or ``staggered`` (true/false) when hours are not recorded.
    """
    rule = _rule(item)
    params = ctx.params_of(rule, VocStaggeredParams)
    records = _records(ctx, rule, params)
    if not records:
        return [_no_records(rule, ctx, params)]
    industries = params.industries
    first, last = params.start, params.end
    lo, hi = _minutes(params.daily_start), _minutes(params.daily_end)
    window = f"{params.daily_start:%H:%M}-{params.daily_end:%H:%M}"
    sites = _site_index(ctx)
    out: list[Finding] = []
    other = 0
    for record in records:
        name = _name(record)
        industry = record.get("industry")
        if industry is None:
            out.append(_missing_fields(rule, ctx, record, ["industry"]))
            continue
        if industries and not any(_same_text(industry, x, sites) for x in industries):
            other += 1
            continue
        base: dict[str, Any] = {"subject": name, "evidence": [record.source]}
        if first is not None and ctx.as_of < first:
            out.append(
                ctx.finding(
                    rule,
                    status=Status.NOT_APPLICABLE,
                    **base,
                    message_zh=f"{name}：错时生产期（{first}起）尚未开始（{_clause(rule)}）",
                    message_en=f"{name}: the staggering period starts on {first}",
                )
            )
            continue
        if not operating_state(record, ctx.as_of).operating and record.get("hours") is None:
            continue
        hours = record.get("hours")
        flag = _bool(record.get("staggered"))
        info: dict[str, Any] = {
            "record": record.id,
            "industry": industry,
            "window": window,
            "period": [first, last],
        }
        if hours is not None:
            spans = _intervals(hours, f"{record.source}.hours")
            clash = [(max(a, lo), min(b, hi)) for a, b in spans if a < hi and b > lo]
            info["clash_minutes"] = sum(b - a for a, b in clash)
            ok = not clash
            text = str(hours if not isinstance(hours, list) else ", ".join(map(str, hours)))
        elif flag is not None:
            ok, text = flag, "错时" if flag else "未错时"
        else:
            out.append(_missing_fields(rule, ctx, record, ["hours", "staggered"]))
            continue
        out.append(
            ctx.finding(
                rule,
                status=Status.MET if ok else Status.NOT_MET,
                **base,
                details=info,
                message_zh=f"{name}（{industry}）：{first}至{last}作业时段 {text}，"
                + ("已避开" if ok else "未避开")
                + f"每日{window}（{_clause(rule)}）",
                message_en=f"{name} ({industry}): operating {text} from {first} to {last}; "
                + ("outside" if ok else "overlaps")
                + f" the daily window {window}",
            )
        )
    if not out:
        out.append(
            _all_clear(
                rule,
                ctx,
                details={"other_industries": other},
                message_zh=f"{rule.title_zh}：清单中无所列行业的涉VOCs工序（其他行业{other}条）",
                message_en=f"{rule.title_en}: no VOC process of the listed industries ({other} of other industries)",
            )
        )
    return out


# --------------------------------------------------------------------------- non-road machinery
@evaluator(NonRoadMachineryParams)
def evaluate_non_road_machinery(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """In the control zone: stage ≥ the threshold (国三), registered (编码登记), no black smoke (冒黑烟).

    Record fields: ``zone``, ``emission_standard`` (3, "国三", "China III" …), ``registered``,
    ``black_smoke``.
    """
    rule = _rule(item)
    params = ctx.params_of(rule, NonRoadMachineryParams)
    records = _records(ctx, rule, params)
    if not records:
        return [_no_records(rule, ctx, params)]
    field = params.field
    threshold = rule.thresholds[0] if rule.thresholds else None
    min_stage = limit_in(threshold, "dimensionless") if threshold else 3.0
    where = params.where
    out: list[Finding] = []
    checked = 0
    for record in _placed(rule, ctx, records, where, out):
        if not operating_state(record, ctx.as_of).operating:
            continue
        checked += 1
        name = _name(record)
        stage = parse_stage(record.get(field))
        registered = _bool(record.get("registered"))
        smoke = _bool(record.get("black_smoke"))
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
                    f"（{_clause(rule)}）",
                    message_en=f"{name}: used in the emission control zone — {', '.join(problems_en)}",
                )
            )
        elif stage is None or registered is None:
            unknown = [f for f, v in ((field, stage), ("registered", registered)) if v is None]
            out.append(_missing_fields(rule, ctx, record, unknown))
    if not out:
        out.append(
            _all_clear(
                rule,
                ctx,
                details={"checked": checked},
                message_zh=f"{rule.title_zh}：控制区内{checked}台在用非道路移动机械均符合要求（{_clause(rule)}）",
                message_en=f"{rule.title_en}: all {checked} machines in the control zone comply",
            )
        )
    return out


# --------------------------------------------------------------------------- named facility closed / status
def _of_site(record: Record, site_id: str, sites: Mapping[str, str]) -> bool:
    if record.id == site_id:
        return True
    for key in ("enterprise", "site", "company", "name"):
        value = record.get(key)
        if value is not None and sites.get(normalise_name(str(value))) == site_id:
            return True
    return False


def _site_records(ctx: EvalContext, rule: Rule, params: _NamedParams) -> tuple[list[Record], str]:
    """Records of the rule's ``site`` (enterprise named by any alias) that match ``where`` positively."""
    records = _records(ctx, rule, params) or []
    sites = _site_index(ctx)
    site_id = params.site
    where = params.where
    picked = [
        r
        for r in records
        if (site_id is None or _of_site(r, site_id, sites)) and match(r, where, sites)[0] is True
    ]
    site = ctx.site(site_id) if site_id else None
    label = " ".join(
        x for x in (site.name_zh if site else "", " ".join(f"{k}={v}" for k, v in where.items())) if x
    )
    return picked, label


def _named_records(ctx: EvalContext, rule: Rule, params: _NamedParams) -> list[Record] | Finding:
    """The rule's named facility records (:func:`_site_records`), or the finding that there are none."""
    if ctx.inventory is None:
        return _no_records(rule, ctx, params)
    picked, label = _site_records(ctx, rule, params)
    if not picked:
        return _no_records(rule, ctx, params, f"{label}（kind={rule.applies_to}）的记录")
    return picked


def _deadline_base(rule: Rule, record: Record, due: dt.date | None) -> tuple[dict[str, Any], str, str]:
    """A named facility's finding fields (subject, evidence, due day as the limit) and message heads."""
    name = _name(record)
    base: dict[str, Any] = {
        "subject": name,
        "evidence": [record.source],
        "limit": due.isoformat() if due else None,
    }
    return base, f"{name}：{rule.title_zh}（{_clause(rule)}）", f"{name}: {rule.title_en}"


def _not_done(
    rule: Rule,
    ctx: EvalContext,
    due: dt.date | None,
    *,
    value: str,
    base: Mapping[str, Any],
    info: Mapping[str, Any],
    overdue: tuple[str, str],
    pending: tuple[str, str],
) -> Finding:
    """A named facility not (yet) closed or done: ``not_met`` after the due day, else ``not_applicable``;
    ``overdue``/``pending`` are the (zh, en) messages of the two cases."""
    late = due is not None and ctx.as_of > due
    message_zh, message_en = overdue if late else pending
    return ctx.finding(
        rule,
        status=Status.NOT_MET if late else Status.NOT_APPLICABLE,
        value=value,
        **base,
        details=dict(info),
        message_zh=message_zh,
        message_en=message_en,
    )


@evaluator(FacilityClosedParams)
def evaluate_facility_closed(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """A named facility (``site`` + ``where``) closed by ``due`` (the 4.3 m coke oven by 2023-10-31)."""
    rule = _rule(item)
    params = ctx.params_of(rule, FacilityClosedParams)
    due = params.due
    picked = _named_records(ctx, rule, params)
    if isinstance(picked, Finding):
        return [picked]
    out = []
    for record in picked:
        state = operating_state(record, ctx.as_of)
        base, head, head_en = _deadline_base(rule, record, due)
        info = {"record": record.id, "due": due, "closed_on": state.closed_on, "status_field": state.status}
        if not state.operating:
            late = due is not None and state.closed_on is not None and state.closed_on > due
            when = f"于{state.closed_on}" if state.closed_on else "（关停日期未提供）"
            out.append(
                ctx.finding(
                    rule,
                    status=Status.NOT_MET if late else Status.MET,
                    value=str(state.closed_on or "closed"),
                    **base,
                    details={**info, "closed_late": late},
                    message_zh=f"{head}：已{when}关停" + (f"，晚于期限{due}" if late else ""),
                    message_en=f"{head_en}: closed"
                    + (f" on {state.closed_on}" if state.closed_on else " (date not given)")
                    + (f", after the deadline {due}" if late else ""),
                )
            )
        else:
            out.append(
                _not_done(
                    rule,
                    ctx,
                    due,
                    value="operating",
                    base=base,
                    info=info,
                    overdue=(
                        f"{head}：期限{due}已过，仍未关停",
                        f"{head_en}: still operating after the deadline {due}",
                    ),
                    pending=(
                        f"{head}：尚未关停，期限{due}（未到期）",
                        f"{head_en}: not closed yet, due on {due}",
                    ),
                )
            )
    return out


@evaluator(FacilityStatusParams)
def evaluate_facility_status(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """A field of named enterprises reaches "done" by ``due`` (ultra-low emission retrofits).

    ``field`` holds true/false or the completion date (a date counts as done on that day; true without
    a date as done, date unknown). ``<field>_on`` may carry the date beside a true.
    """
    rule = _rule(item)
    params = ctx.params_of(rule, FacilityStatusParams)
    field, due = params.field, params.due
    picked = _named_records(ctx, rule, params)
    if isinstance(picked, Finding):
        return [picked]
    out = []
    for record in picked:
        raw = record.get(field)
        done_on = (
            _date(raw, f"{record.source}.{field}")
            if isinstance(raw, (dt.date, str)) and _bool(raw) is None
            else _date(record.get(f"{field}_on"), f"{record.source}.{field}_on")
        )
        done = done_on is not None or _bool(raw) is True
        if done_on is not None and done_on > ctx.as_of:
            done, done_on = False, None  # completed after as_of: not known yet
        base, head, head_en = _deadline_base(rule, record, due)
        info = {"record": record.id, "field": field, "due": due, "done_on": done_on}
        if raw is None and record.get(f"{field}_on") is None:
            out.append(_missing_fields(rule, ctx, record, [field]))
        elif done:
            late = due is not None and done_on is not None and done_on > due
            out.append(
                ctx.finding(
                    rule,
                    status=Status.NOT_MET if late else Status.MET,
                    value=str(done_on or True).lower(),
                    **base,
                    details={**info, "late": late},
                    message_zh=f"{head}：已完成"
                    + (f"（{done_on}）" if done_on else "（完成日期未提供）")
                    + (f"，晚于期限{due}" if late else ""),
                    message_en=f"{head_en}: done"
                    + (f" on {done_on}" if done_on else " (date not given)")
                    + (f", after the deadline {due}" if late else ""),
                )
            )
        else:
            out.append(
                _not_done(
                    rule,
                    ctx,
                    due,
                    value="false",
                    base=base,
                    info=info,
                    overdue=(
                        f"{head}：期限{due}已过，尚未完成",
                        f"{head_en}: not done after the deadline {due}",
                    ),
                    pending=(
                        f"{head}：尚未完成，期限{due}（未到期）",
                        f"{head_en}: not done yet, due on {due}",
                    ),
                )
            )
    return out


def _rule(item: Target | Rule) -> Rule:
    if not isinstance(item, Rule):
        raise TypeError(f"{item.id}: this evaluator judges rules over inventory records, not targets")
    return item


FACILITY_EVALUATORS: dict[str, Evaluator] = {
    "phase_out": evaluate_phase_out,
    "stack_limit": evaluate_stack_limit,
    "seasonal_production_ban": evaluate_seasonal_production_ban,
    "voc_staggered": evaluate_voc_staggered,
    "non_road_machinery": evaluate_non_road_machinery,
    "facility_closed": evaluate_facility_closed,
    "facility_status": evaluate_facility_status,
}

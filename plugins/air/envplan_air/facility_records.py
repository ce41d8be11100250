"""What the facility rules share (the conventions are in :mod:`envplan_air.facility`): reading record
fields (dates, yes/no, emission stages), the ``kind``/``where``/``due`` parameters, whether a facility
operates, matching records against ``where`` (synonyms, plan-site aliases, quantities), and the
findings every rule gives alike (no records, missing fields, all clear).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from envplan_core.plugin import (
    EvalContext,
    Finding,
    Quantity,
    Record,
    Rule,
    Status,
    Target,
    insufficient_data,
    normalise_name,
    parse_date,
    parse_quantity,
    site_alias_index,
)

__all__ = [
    "DueParams",
    "FacilityParams",
    "State",
    "WhereParams",
    "all_clear",
    "are_names",
    "as_bool",
    "as_date",
    "as_rule",
    "as_written",
    "clause_label",
    "clean",
    "is_flag",
    "match",
    "missing_fields",
    "no_records",
    "operating_state",
    "parse_stage",
    "placed",
    "record_name",
    "records_of",
    "same_text",
    "site_index",
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
_TRUE = frozenset(
    normalise_name(w) for w in ("true", "yes", "y", "1", "是", "有", "已", "done", "完成", "已完成")
)
_FALSE = frozenset(normalise_name(w) for w in ("false", "no", "n", "0", "否", "无", "未", "未完成"))
_STAGE = re.compile(r"(?:国|china|stage|cn)?\s*([ivxⅰ-ⅻ]+|\d+)", re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7}
_ROMAN_UNICODE = {"ⅰ": "i", "ⅱ": "ii", "ⅲ": "iii", "ⅳ": "iv", "ⅴ": "v", "ⅵ": "vi", "ⅶ": "vii"}
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}


def as_date(value: Any, where: str = "") -> dt.date | None:
    """A record field as a day (:func:`parse_date`); None when empty."""
    return None if value is None or value == "" else parse_date(value, where)


def as_bool(value: Any) -> bool | None:
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


def clean(x: float) -> float:
    """Round to 10 significant digits: unit-conversion noise must not cross a boundary."""
    return float(f"{x:.10g}")


def clause_label(item: Rule) -> str:
    c = item.citation
    clause = (
        f"第{c.clause}条"
        if c.clause[:1].isdigit() and not c.part.startswith("附件")
        else (f"序号{c.clause}" if c.part.startswith("附件") else c.clause)
    )
    return f"{c.part}{clause}"


def record_name(record: Record) -> str:
    return str(record.get("name", record.id))


# cattrs would structure ``"false"`` as ``bool("false")`` (true) and ``化工`` as ``("化", "工")``: these
# fields take the value as written (an attrs converter stops cattrs) and their validator checks it by name.
def as_written(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def is_flag(_: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{attribute.name}: expected true or false, got {value!r}")


def are_names(_: object, attribute: attrs.Attribute[tuple[str, ...]], value: object) -> None:
    if not (isinstance(value, tuple) and all(isinstance(v, str) for v in value)):
        raise TypeError(f"{attribute.name}: expected a list of names, e.g. [化工, 工业涂装], got {value!r}")


@attrs.frozen
class FacilityParams:
    """The records a facility rule judges.

    - ``kind``: the inventory record kind; default the rule's ``applies_to``.
    """

    kind: str | None = None

    def kind_of(self, rule: Rule) -> str:
        return self.kind if self.kind is not None else rule.applies_to


@attrs.frozen
class WhereParams(FacilityParams):
    """``kind`` and ``where``: ``{field: value}`` a record must match (see the module docstring)."""

    where: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class DueParams(WhereParams):
    """``kind``, ``where`` and ``due``: the day by which the rule must be met."""

    due: dt.date | None = None


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
            closed_on = as_date(record.get(key), f"{record.source}.{key}")
            break
    closed_flag = as_bool(record.get("closed"))
    if closed_on is not None:
        return State(
            operating=closed_on > as_of, closed_on=closed_on if closed_on <= as_of else None, status=status
        )
    if normalise_name(status) in _CLOSED_WORDS or closed_flag:
        return State(operating=False, closed_on=None, status=status)
    return State(operating=True, closed_on=None, status=status)


def site_index(ctx: EvalContext) -> dict[str, str]:
    """normalised name → site id of the plan's sites (:func:`site_alias_index`, without the county)."""
    return {key: site_id for key, (_, site_id) in site_alias_index([ctx.plan], county=False).items()}


def same_text(actual: Any, expected: str, sites: Mapping[str, str]) -> bool:
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
        flag = as_bool(actual)
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
            return clean(float(have.m_as(want.units))) == clean(float(want.magnitude))
        except Exception:  # noqa: BLE001 - not comparable as quantities: compare as text
            return same_text(actual, str(expected), sites)
    return same_text(actual, str(expected), sites)


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


def placed(
    rule: Rule, ctx: EvalContext, records: Iterable[Record], where: Mapping[str, Any], out: list[Finding]
) -> Iterator[Record]:
    """The records that match ``where``; one missing a ``where`` field cannot be placed and gets an
    ``insufficient_data`` finding appended to ``out`` instead (in record order, as iteration goes)."""
    sites = site_index(ctx)
    for record in records:
        placed, missing = match(record, where, sites)
        if placed is None:
            out.append(missing_fields(rule, ctx, record, missing))
        elif placed:
            yield record


def records_of(ctx: EvalContext, item: Rule, params: FacilityParams) -> list[Record] | None:
    return None if ctx.inventory is None else ctx.inventory.by_kind(params.kind_of(item))


def no_records(item: Rule, ctx: EvalContext, params: FacilityParams, what: str | None = None) -> Finding:
    kind = params.kind_of(item)
    if ctx.inventory is None:
        zh, en = (
            f"未提供清单数据（需要 kind={kind} 的记录）",
            f"no inventory given (needs records of kind {kind!r})",
        )
    else:
        zh = f"清单中没有{what or f' kind={kind} 的记录'}"
        en = f"the inventory has no {what or f'records of kind {kind!r}'}"
    return insufficient_data(
        item, ctx, f"{zh}（{clause_label(item)}）", en, subject=item.title_zh, details={"missing": [kind]}
    )


def all_clear(rule: Rule, ctx: EvalContext, **fields: Any) -> Finding:
    """The rule's ``met`` finding when no record breaks it (``fields``: messages, details, value …)."""
    return ctx.finding(rule, status=Status.MET, subject=rule.title_zh, **fields)


def missing_fields(
    item: Rule, ctx: EvalContext, record: Record, fields: Sequence[str], why: str = ""
) -> Finding:
    listed = "、".join(fields)
    return insufficient_data(
        item,
        ctx,
        f"缺少字段 {listed}，无法判断是否符合「{item.title_zh}」（{clause_label(item)}）{why}",
        f"field(s) {', '.join(fields)} missing; cannot judge '{item.title_en}'",
        about=record_name(record),
        evidence=[record.source],
        details={"record": record.id, "missing": list(fields)},
    )


def as_rule(item: Target | Rule) -> Rule:
    if not isinstance(item, Rule):
        raise TypeError(f"{item.id}: this evaluator judges rules over inventory records, not targets")
    return item

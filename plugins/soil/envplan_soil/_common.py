"""Shared helpers of the soil plugin: reading record fields, land uses, categories, finding shapes.

Conventions (docs/plans/soil.md § Conventions):

* **Dates** are ISO dates (``2023-09-01``); the inventory reader already turns them into
  :class:`datetime.date`. A field that is present but not a date is a :class:`DataError` naming the
  record and the field. A date after ``as_of`` is not known yet: the event has not happened.
* **Yes/no fields** accept true/false, yes/no, 是/否, 有/无; anything else is a :class:`DataError`.
* **一住两公** (residential plus public administration and public services) is recognised from GB
  50137-2011 codes (``R…``, ``A…``), the 2020 land-use classification codes (``07…`` 居住用地, ``08…``
  公共管理与公共服务用地) and the Chinese and English names of those uses; every other code of the two
  systems is a non-sensitive use. A spelling neither list knows is *unknown* (never guessed): the
  record gets an ``insufficient_data`` finding naming the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from envplan_core.plugin import (
    DataError,
    EvalContext,
    Finding,
    Record,
    Rule,
    Status,
    Target,
    no_computation,
    normalise_name,
    period_label,
)
from envplan_core.standards import gb15618

__all__ = [
    "Verdict",
    "as_bool",
    "as_count",
    "as_date",
    "category_code",
    "clause_label",
    "is_farmland_use",
    "is_sensitive_use",
    "known_date",
    "missing_fields_finding",
    "no_records_finding",
    "nothing_computed",
    "period_text",
    "record_name",
    "verdict_finding",
    "with_units",
]

_TRUE = frozenset(normalise_name(w) for w in ("true", "yes", "y", "1", "是", "有", "已", "已完成", "完成"))
_FALSE = frozenset(normalise_name(w) for w in ("false", "no", "n", "0", "否", "无", "未", "未完成"))

# 一住两公: 住宅 + 公共管理与公共服务 (Soil Pollution Prevention Law art. 59). GB 50137-2011: R (居住)
# and A (公共管理与公共服务设施); 《国土空间调查、规划、用途管制用地用海分类指南（试行）》 (2020): 07 居住用地,
# 08 公共管理与公共服务用地.
_SENSITIVE_NAMES = frozenset(
    normalise_name(n)
    for n in (
        "一住两公",
        "“一住两公”",
        "住宅",
        "住宅用地",
        "居住用地",
        "城镇住宅用地",
        "农村宅基地",
        "城镇社区服务设施用地",
        "农村社区服务设施用地",
        "一类居住用地",
        "二类居住用地",
        "三类居住用地",
        "公共管理与公共服务用地",
        "公共管理与公共服务设施用地",
        "机关团体用地",
        "行政办公用地",
        "科研用地",
        "文化用地",
        "文化设施用地",
        "教育用地",
        "教育科研用地",
        "中小学用地",
        "高等院校用地",
        "学校",
        "体育用地",
        "医疗卫生用地",
        "医院用地",
        "社会福利用地",
        "residential",
        "housing",
        "public",
        "public administration and public services",
        "school",
        "hospital",
    )
)
_OTHER_NAMES = frozenset(
    normalise_name(n)
    for n in (
        "工业用地",
        "工矿用地",
        "采矿用地",
        "物流仓储用地",
        "仓储用地",
        "商业服务业设施用地",
        "商业服务业用地",
        "商业用地",
        "商务用地",
        "道路与交通设施用地",
        "交通运输用地",
        "公用设施用地",
        "绿地与广场用地",
        "公园绿地",
        "防护绿地",
        "广场用地",
        "耕地",
        "农用地",
        "林地",
        "草地",
        "园地",
        "生态用地",
        "industrial",
        "commercial",
        "warehouse",
        "logistics",
        "transport",
        "utilities",
        "green space",
        "farmland",
        "forest",
    )
)
_GB50137_SENSITIVE = frozenset("RA")
_GB50137_OTHER = frozenset("MWBSUGHE")
_CODE = re.compile(r"^([A-Za-z])(\d{0,3})$|^(\d{2})(\d{0,4})$")
_LEADING_CODE = re.compile(r"^\s*([A-Za-z]\d{0,3}|\d{2,6})(?=$|[\s\u4e00-\u9fff（(])")

# 耕地 (GB/T 21010 01): 水田, 水浇地, 旱地; 菜地 is farmland in GB 15618. 果园 and other 园地 are not 耕地.
_FARMLAND = frozenset(
    normalise_name(n)
    for n in (
        "耕地",
        "水田",
        "水浇地",
        "旱地",
        "菜地",
        "farmland",
        "cropland",
        "arable land",
        "paddy",
        "dryland",
    )
)
_NOT_FARMLAND = frozenset(
    normalise_name(n)
    for n in (
        "林地",
        "草地",
        "园地",
        "果园",
        "苗圃",
        "生态用地",
        "建设用地",
        "绿地",
        "水域",
        "forest",
        "woodland",
        "grassland",
        "orchard",
        "nursery",
        "construction land",
        "green space",
    )
)
_CATEGORY_NAMES: Mapping[str, int] = {
    normalise_name(name): code
    for code, cat in enumerate(gb15618.CATEGORIES)
    for name in (
        cat,
        cat.replace("_", " "),
        gb15618.CATEGORY_ZH[cat],
        gb15618.CATEGORY_ZH[cat].removesuffix("类"),
        gb15618.CATEGORY_EN[cat],
        f"{gb15618.CATEGORY_ZH[cat]}耕地",
    )
}


@attrs.frozen
class Verdict:
    """One record judged by one rule: status, bilingual message, details, the fields that were missing."""

    status: Status
    zh: str
    en: str
    details: Mapping[str, Any] = attrs.field(factory=dict)
    missing: tuple[str, ...] = ()
    standard: str = ""
    value: float | str | None = None
    limit: float | str | None = None


def record_name(record: Record) -> str:
    return str(record.get("name") or record.id)


def _where(record: Record, key: str) -> str:
    return f"{record.source}.{key}" if record.source else f"record {record.id!r}, field {key!r}"


def as_date(record: Record, key: str) -> dt.date | None:
    """The record's ``key`` as a date; None when absent. Not a date: :class:`DataError`."""
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DataError(
            f"{_where(record, key)}: {value!r} is not an ISO date (YYYY-MM-DD)", column=key
        ) from None


def known_date(record: Record, key: str, as_of: dt.date) -> dt.date | None:
    """:func:`as_date`, but a date after ``as_of`` is not known yet (None)."""
    day = as_date(record, key)
    return day if day is not None and day <= as_of else None


def as_bool(record: Record, key: str) -> bool | None:
    """The record's ``key`` as yes/no; None when absent. Unreadable: :class:`DataError`."""
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = normalise_name(str(value))
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise DataError(f"{_where(record, key)}: {value!r} is not yes/no (true/false, 是/否)", column=key)


def as_count(record: Record, key: str) -> int | None:
    """A non-negative whole number (a count of violations …); None when absent."""
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise DataError(f"{_where(record, key)}: expected a count, got {value!r}", column=key)
    try:
        number = float(value.magnitude if hasattr(value, "magnitude") else value)
    except (TypeError, ValueError):
        raise DataError(f"{_where(record, key)}: expected a count, got {value!r}", column=key) from None
    if number < 0 or number != int(number):
        raise DataError(f"{_where(record, key)}: expected a whole number ≥ 0, got {value!r}", column=key)
    return int(number)


def _code_use(code: str) -> bool | None:
    match = _CODE.match(code)
    if match is None:
        return None
    if match.group(1):
        letter = match.group(1).upper()
        if letter in _GB50137_SENSITIVE:
            return True
        return False if letter in _GB50137_OTHER else None
    major = int(match.group(3))
    if major in (7, 8):
        return True
    return False if 1 <= major <= 24 else None


def is_sensitive_use(value: Any) -> bool | None:
    """True for 一住两公 uses, False for other known uses, None for a spelling not recognised."""
    if value is None:
        return None
    text = str(value).strip()
    key = normalise_name(text)
    if key in _SENSITIVE_NAMES:
        return True
    if key in _OTHER_NAMES:
        return False
    whole = _code_use(text)
    if whole is not None:
        return whole
    lead = _LEADING_CODE.match(text)
    if lead is not None:
        return _code_use(lead.group(1))
    return None


def is_farmland_use(value: Any) -> bool | None:
    """True for 耕地 (水田, 水浇地, 旱地, 菜地), False for other known uses, None when not recognised."""
    if value is None:
        return None
    key = normalise_name(str(value))
    if key in _FARMLAND:
        return True
    if key in _NOT_FARMLAND:
        return False
    sensitive = is_sensitive_use(value)
    return False if sensitive is not None else None


def category_code(value: Any) -> int | None:
    """GB 15618 category as 0 (优先保护类), 1 (安全利用类), 2 (严格管控类); None when not recognised."""
    if value is None:
        return None
    return _CATEGORY_NAMES.get(normalise_name(str(value)))


def clause_label(item: Target | Rule) -> str:
    c = item.citation
    return f"{c.part}第{c.clause}条" if c.clause else c.part


def with_units(ctx: EvalContext, finding: Finding, names: Sequence[str], *, lead: bool = False) -> Finding:
    """The finding with ``names`` (known units only, canonical) as its lead or added to its support."""
    known = [
        ctx.catalog.units.canonical_zh(n) for n in names if n and ctx.catalog.units.resolve(n) is not None
    ]
    if not known:
        return finding
    if lead:
        return attrs.evolve(finding, lead=tuple(dict.fromkeys(known)), support=())
    support = tuple(dict.fromkeys((*finding.support, *(u for u in known if u not in finding.lead))))
    return attrs.evolve(finding, support=support)


def verdict_finding(item: Target | Rule, ctx: EvalContext, record: Record, verdict: Verdict) -> Finding:
    """A record's finding from its verdict (subject: the record's name; evidence: its source)."""
    details: dict[str, Any] = {"record": record.id, **verdict.details}
    if verdict.missing:
        details["missing"] = list(verdict.missing)
    name = record_name(record)
    return ctx.finding(
        item,
        status=verdict.status,
        subject=name,
        value=verdict.value,
        limit=verdict.limit,
        evidence=[record.source] if record.source else [],
        details=details,
        message_zh=f"{name}：{verdict.zh}（{clause_label(item)}）",
        message_en=f"{name}: {verdict.en}",
        standard=verdict.standard,
    )


def missing_fields_finding(
    item: Target | Rule, ctx: EvalContext, record: Record, fields: Sequence[str]
) -> Finding:
    """``insufficient_data`` for a record of a kind the rule reads that lacks fields it needs."""
    listed = "、".join(fields)
    return verdict_finding(
        item,
        ctx,
        record,
        Verdict(
            Status.INSUFFICIENT_DATA,
            f"缺少字段 {listed}，无法判断是否符合「{item.title_zh}」",
            f"field(s) {', '.join(fields)} missing; cannot judge '{item.title_en}'",
            missing=tuple(fields),
        ),
    )


def period_text(ctx: EvalContext, item: Target | Rule) -> str:
    """The item's period as ``details.computation`` writes it: ``2023`` for a calendar year, else
    ``2023-09-01..2023-12-31``."""
    return period_label(*ctx.period(item))


def nothing_computed(
    item: Target | Rule, ctx: EvalContext, *, n: int | None, zh: str, en: str, n_of: str = "records"
) -> dict[str, Any]:
    """``details.computation`` of a finding that judges nothing (no data, nothing to judge): says why."""
    return no_computation(
        item, ctx, n=n, n_of=n_of, rule_zh=f"不作判定：{zh}", rule_en=f"nothing is judged: {en}"
    )


def no_records_finding(item: Target | Rule, ctx: EvalContext, kind: str) -> Finding:
    """``insufficient_data`` when there is no inventory, or no record of ``kind`` in it."""
    if ctx.inventory is None:
        zh, en = (
            f"未提供清单数据（需要 kind={kind} 的记录）",
            f"no inventory given (needs records of kind {kind!r})",
        )
    else:
        zh, en = f"清单中没有 kind={kind} 的记录", f"the inventory has no records of kind {kind!r}"
    return ctx.finding(
        item,
        status=Status.INSUFFICIENT_DATA,
        subject=item.title_zh,
        message_zh=f"{item.title_zh}：{zh}（{clause_label(item)}）",
        message_en=f"{item.title_en}: {en}",
        details={
            "missing": [kind],
            "computation": nothing_computed(
                item, ctx, n=0, zh=f"数据不足，{zh}", en=f"insufficient data, {en}"
            ),
        },
    )

"""Helpers the groundwater evaluators share: record fields, vocabularies, class labels, finding helpers.

Registers (inventory records) are read leniently in spelling and strictly in meaning: a field's value may
be written in English or Chinese (``scrapped``/``报废``, ``true``/``是``), but a value that matches no
spelling is reported, never guessed (:func:`vocabulary_value`, :func:`flag`).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from envplan_core.plugin import (
    EvalContext,
    Finding,
    Record,
    Rule,
    Status,
    Target,
    no_computation,
    normalise_name,
)
from envplan_core.standards import gbt14848

__all__ = [
    "GBT14848",
    "MISSING",
    "Vocabulary",
    "as_name_list",
    "check_vocabulary",
    "class_zh",
    "clause_label",
    "flag",
    "missing_fields_finding",
    "names_of",
    "no_records_finding",
    "note_names",
    "nothing_computed",
    "param_zh",
    "record_date",
    "record_name",
    "record_units",
    "task_due",
    "text_field",
    "vocabulary_value",
    "with_units",
]

#: The standard behind every class in this plugin.
GBT14848 = "GB/T 14848-2017"
_ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ"}


class _Missing(enum.Enum):
    """Marker: a field that is absent or empty (as opposed to a value no spelling matches)."""

    MISSING = "MISSING"


MISSING: Final = _Missing.MISSING


def class_zh(name: str | None) -> str:
    """``"IV"`` → ``"Ⅳ"`` for Chinese text; ``"—"`` for no class."""
    return _ROMAN.get(name or "", name or "—")


def param_zh(pid: str) -> str:
    """The Chinese name of a GB/T 14848-2017 item (the id itself for anything else)."""
    param = gbt14848.BY_ID.get(pid)
    return param.name_zh if param is not None else pid


def clause_label(item: Target | Rule) -> str:
    """``第8条`` (or the part) for messages."""
    clause = item.citation.clause
    return f"第{clause}条" if clause else item.citation.part


# -- records ---------------------------------------------------------------------------------------------


def record_name(record: Record) -> str:
    """The record's ``name``, else its id."""
    name = record.fields.get("name")
    return str(name) if isinstance(name, (str, int)) and str(name).strip() else record.id


def names_of(record: Record) -> list[str]:
    """Id, name and aliases of a record, as written (observation sites and progress notes name it so)."""
    aliases = record.fields.get("aliases") or ()
    if isinstance(aliases, str):  # a register cell: "GW-R2；R2号井" or "[GW-R2, R2号井]"
        aliases = re.split(r"[、;；|,，]", aliases.strip().removeprefix("[").removesuffix("]"))
    found = [record.id, record_name(record), *(str(a).strip() for a in aliases if a is not None)]
    return [n for n in dict.fromkeys(found) if n.strip()]


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_field(record: Record, key: str) -> str | None:
    """A field as stripped text; None when absent or empty."""
    value = record.fields.get(key)
    return None if _empty(value) else str(value).strip()


def record_date(record: Record, key: str) -> dt.date | _Missing | None:
    """A date field: the date, ``MISSING`` when absent, None when present but not a date."""
    value = record.fields.get(key)
    if _empty(value):
        return MISSING
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


_TRUE = frozenset(
    normalise_name(s) for s in ("true", "yes", "y", "1", "是", "有", "已", "已完成", "完成", "done", "已落实")
)
_FALSE = frozenset(
    normalise_name(s) for s in ("false", "no", "n", "0", "否", "无", "未", "未完成", "没有", "none")
)


def flag(value: Any) -> bool | _Missing | None:
    """A yes/no field: True/False, ``MISSING`` when absent, None when no spelling matches."""
    if _empty(value):
        return MISSING
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    key = normalise_name(str(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


@attrs.frozen
class Vocabulary:
    """Canonical values of a field with their spellings (English and Chinese), and their Chinese labels."""

    field: str
    spellings: Mapping[str, tuple[str, ...]]
    labels_zh: Mapping[str, str]

    def lookup(self, value: Any) -> str | None:
        """The canonical value a spelling names, or None."""
        key = normalise_name(str(value))
        for canonical, spellings in self.spellings.items():
            if key == normalise_name(canonical) or key in {normalise_name(s) for s in spellings}:
                return canonical
        return None

    def zh(self, canonical: str) -> str:
        return self.labels_zh.get(canonical, canonical)

    def choices(self) -> str:
        return ", ".join(f"{c} ({self.labels_zh.get(c, c)})" for c in self.spellings)


def vocabulary_value(record: Record, vocabulary: Vocabulary) -> str | _Missing | None:
    """The record's field as a canonical value: ``MISSING`` when absent, None when no spelling matches."""
    value = record.fields.get(vocabulary.field)
    if _empty(value):
        return MISSING
    return vocabulary.lookup(value)


def check_vocabulary(values: Iterable[str], vocabulary: Vocabulary) -> tuple[str, ...]:
    """Parameter converter helper: canonical values of ``values``; a ValueError naming a bad one."""
    out = []
    for value in values:
        canonical = vocabulary.lookup(value)
        if canonical is None:
            raise ValueError(f"{value!r} is not a {vocabulary.field} (one of {vocabulary.choices()})")
        out.append(canonical)
    return tuple(out)


def as_name_list(value: Any) -> tuple[str, ...]:
    """Parameter converter: a YAML list of names as a tuple of strings (a bare string is refused, so
    cattrs does not split ``regional`` into letters)."""
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"expected a list, e.g. [a, b], got {value!r}")
    return tuple(str(v) for v in value)


# -- responsible units -----------------------------------------------------------------------------------


def record_units(ctx: EvalContext, record: Record, keys: Sequence[str] = ("town",)) -> list[str]:
    """Known responsible units a record names in ``keys`` (``town``), as canonical Chinese names."""
    raw: list[str] = []
    for key in keys:
        value = record.fields.get(key)
        if isinstance(value, str):
            raw.append(value)
        elif isinstance(value, (list, tuple)):
            raw.extend(str(v) for v in value)
    units = ctx.catalog.units
    return [units.canonical_zh(n) for n in raw if units.resolve(n) is not None]


def with_units(finding: Finding, *, lead: Sequence[str] = (), support: Sequence[str] = ()) -> Finding:
    """The finding with extra lead and support units (a record's town …), without duplicates."""
    new_lead = tuple(dict.fromkeys((*finding.lead, *lead)))
    new_support = tuple(dict.fromkeys(u for u in (*finding.support, *support) if u not in new_lead))
    return attrs.evolve(finding, lead=new_lead, support=new_support)


# -- findings --------------------------------------------------------------------------------------------


def no_records_finding(
    item: Target | Rule, ctx: EvalContext, kind: str, what_zh: str, what_en: str
) -> Finding:
    """``insufficient_data``: no inventory, or no record of ``kind``; says which records are needed."""
    if ctx.inventory is None:
        zh = f"未提供清单数据（需要 kind={kind} 的{what_zh}记录）"
        en = f"no inventory given (needs {what_en} as records of kind {kind!r})"
    else:
        zh = f"清单中没有 kind={kind} 的{what_zh}记录"
        en = f"the inventory has no {what_en} (records of kind {kind!r})"
    return ctx.finding(
        item,
        status=Status.INSUFFICIENT_DATA,
        subject="新绛县",
        message_zh=f"{item.title_zh}：{zh}（{clause_label(item)}）",
        message_en=f"{item.title_en}: {en}",
        details={"missing": [kind], "computation": nothing_computed(item, ctx, n=0, zh=zh, en=en)},
    )


def nothing_computed(item: Target | Rule, ctx: EvalContext, *, n: int | None, zh: str, en: str) -> dict[str, Any]:
    """``details.computation`` of a finding that judges nothing for want of data (says what is missing)."""
    return no_computation(
        item,
        ctx,
        n=n,
        n_of="records",
        rule_zh=f"数据不足，不作判定：{zh}",
        rule_en=f"insufficient data, nothing is judged: {en}",
    )


def missing_fields_finding(
    item: Target | Rule,
    ctx: EvalContext,
    record: Record,
    missing: Sequence[str],
    *,
    bad: Mapping[str, Any] | None = None,
    hint_zh: str = "",
    hint_en: str = "",
) -> Finding:
    """``insufficient_data`` for one record: the fields it lacks, and those whose value is not understood."""
    name = record_name(record)
    bad = dict(bad or {})
    parts_zh, parts_en = [], []
    if missing:
        parts_zh.append(f"缺少字段 {'、'.join(missing)}")
        parts_en.append(f"field(s) {', '.join(missing)} missing")
    if bad:
        parts_zh.append("字段值无法识别：" + "、".join(f"{k}={v!r}" for k, v in bad.items()))
        parts_en.append("unrecognised value(s): " + ", ".join(f"{k}={v!r}" for k, v in bad.items()))
    return ctx.finding(
        item,
        status=Status.INSUFFICIENT_DATA,
        subject=name,
        evidence=[record.source],
        message_zh=f"{name}：{'；'.join(parts_zh)}，无法判断是否符合「{item.title_zh}」（{clause_label(item)}）{hint_zh}",
        message_en=f"{name}: {'; '.join(parts_en)}; cannot judge '{item.title_en}'{hint_en}",
        details={
            "record": record.id,
            "missing": list(missing),
            "unrecognised": {k: str(v) for k, v in bad.items()},
            "computation": nothing_computed(
                item, ctx, n=1, zh="；".join(parts_zh), en="; ".join(parts_en)
            ),
        },
    )


_WORD = r"[0-9A-Za-z]"


def note_names(note: str, names: Iterable[str]) -> bool:
    """Whether a progress note names a record by one of ``names`` (ids not glued to other letters/digits:
    ``GW-R1`` is not found in ``GW-R10``)."""
    for name in names:
        if len(name.strip()) < 2:
            continue
        pattern = rf"(?<!{_WORD}){re.escape(name.strip())}(?!{_WORD})"
        if re.search(pattern, note, flags=re.IGNORECASE):
            return True
    return False


def task_due(ctx: EvalContext, item: Target | Rule) -> dt.date | None:
    """The first dated deadline of the task a rule makes checkable (None: no task, or only ongoing)."""
    task_id = getattr(item, "task", "")
    task = next((t for t in ctx.plan.tasks if t.id == task_id), None)
    if task is None:
        return None
    return next((d.due for d in task.deadlines if d.due is not None), None)

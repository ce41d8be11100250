"""Farmland: priority-protection farmland per town (task 4) and the safe-utilisation rate (工作目标).

- ``soil_priority_farmland`` (task 4): between two farmland inventories (``farmland_plot`` records,
  each with the date of the category division it belongs to, ``inventory_date``), the area of
  优先保护类 farmland of each town does not fall, and no plot that was 优先保护类 is in a worse category.
  A town where either happens is ``not_met`` and named for the warning the plan prescribes
  (进行预警提醒并依法采取环评限批等限制性措施). The two inventories are the two latest dated on or before
  ``as_of``, or the ``baseline`` and ``current`` dates the rule's params give.
- ``soil_safe_utilisation_rate`` (工作目标 受污染耕地安全利用率达到国家考核要求): the rate against the national
  assessment figure, which the plan does not state: the user supplies it (``values``); without it the
  finding is ``insufficient_data`` naming the key. The rate is supplied too, or computed from the current
  inventory: the area of polluted farmland (安全利用类 and 严格管控类) marked ``safely_utilised`` (safe-use
  or strict-control measures in place) over the area of all polluted farmland.

Areas are quantities (``"120 亩"``, ``"8 hm²"``, ``"80000 m²"``); findings show them in 亩 (1 亩 = 1/15 hm²).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
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
    computation,
    evaluator,
    insufficient_data,
)
from envplan_core.standards import gb15618
from envplan_soil._common import (
    as_bool,
    as_date,
    category_code,
    clause_label,
    missing_fields_finding,
    no_records_finding,
    nothing_computed,
    period_text,
    record_name,
    with_units,
)

__all__ = [
    "FARMLAND_EVALUATORS",
    "MU_M2",
    "PriorityFarmlandParams",
    "SafeUtilisationParams",
    "area_mu",
]

#: Square metres in one 亩 (市亩: 1/15 hectare).
MU_M2 = 10000.0 / 15.0
GB15618 = "GB 15618-2018"
_REL = 1e-9


@attrs.frozen
class PriorityFarmlandParams:
    """Parameters of ``soil_priority_farmland``.

    - ``kind``: the record kind of the farmland plots (default ``farmland_plot``);
    - ``baseline``, ``current``: the ``inventory_date`` of the two inventories compared (YYYY-MM-DD);
      default the two latest on or before ``as_of``.
    """

    kind: str = "farmland_plot"
    baseline: dt.date | None = None
    current: dt.date | None = None


@attrs.frozen
class SafeUtilisationParams:
    """Parameters of ``soil_safe_utilisation_rate``.

    - ``key``: the ``values`` key of the achieved rate when the user supplies it (e.g. ``"94.5 %"``);
    - ``limit_key``: the ``values`` key of the national assessment figure (e.g. ``"93 %"``); required;
    - ``kind``: the record kind of the farmland plots the rate is computed from (default ``farmland_plot``);
    - ``field``: the plots' yes/no field saying the measures are in place (default ``safely_utilised``).
    """

    key: str = "soil.farmland.safe_utilisation_rate"
    limit_key: str = "soil.farmland.national_safe_utilisation_target"
    kind: str = "farmland_plot"
    field: str = "safely_utilised"


def area_mu(record: Record, key: str = "area") -> float | None:
    """The record's area in 亩; None when absent; not an area: :class:`DataError` naming the field."""
    value = record.get(key)
    if value is None:
        return None
    bad = DataError(
        f'{record.source}.{key}: {value!r} is not an area (write e.g. "120 亩", "8 hm²", "80000 m²")',
        column=key,
    )
    if not isinstance(value, Quantity):
        raise bad
    try:
        return float(value.m_as("m**2")) / MU_M2
    except DimensionalityError:
        raise bad from None


def _date(value: dt.date | str | None) -> dt.date | None:
    # load_plan keeps ISO dates in params as strings (docs/plans/air-text-notes.md § 3): accept both.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@attrs.frozen
class _Plot:
    record: Record
    town: str
    area: float  # 亩
    category: int
    inventory: dt.date
    key: str  # the plot's identity across inventories


def _town(ctx: EvalContext, name: str) -> str:
    return ctx.catalog.units.canonical_zh(name) if ctx.catalog.units.resolve(name) is not None else name


def _read_plots(
    item: Target | Rule, ctx: EvalContext, records: list[Record]
) -> tuple[list[_Plot], list[Finding], set[str]]:
    """Complete plots, findings for incomplete records, towns with an incomplete record."""
    plots: list[_Plot] = []
    problems: list[Finding] = []
    incomplete: set[str] = set()
    for record in records:
        area = area_mu(record)
        raw_category = record.get("category")
        category = category_code(raw_category)
        day = as_date(record, "inventory_date")
        missing = [
            key
            for key, ok in (
                ("town", record.get("town") is not None),
                ("area", area is not None),
                ("category", category is not None),
                ("inventory_date", day is not None),
            )
            if not ok
        ]
        if missing:
            if raw_category is not None and category is None:
                missing[missing.index("category")] = (
                    f"category（{raw_category}：应为优先保护类/安全利用类/严格管控类）"
                )
            problems.append(missing_fields_finding(item, ctx, record, missing))
            if record.get("town") is not None:
                incomplete.add(_town(ctx, str(record.get("town"))))
            continue
        assert area is not None
        assert category is not None
        assert day is not None
        key = str(record.get("plot") or record.get("name") or record.id)
        plots.append(_Plot(record, _town(ctx, str(record.get("town"))), area, category, day, key))
    return plots, problems, incomplete


def _fmt(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")


@evaluator(PriorityFarmlandParams)
def evaluate_priority_farmland(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Task 4: per town, priority-protection area not falling and no priority plot worsening."""
    params = ctx.params_of(item, PriorityFarmlandParams)
    records = [] if ctx.inventory is None else ctx.inventory.by_kind(params.kind)
    if not records:
        return [no_records_finding(item, ctx, params.kind)]
    plots, out, incomplete = _read_plots(item, ctx, records)
    known = sorted({p.inventory for p in plots if p.inventory <= ctx.as_of})
    baseline, current = _date(params.baseline), _date(params.current)
    if current is None:
        current = known[-1] if known else None
    if baseline is None:
        earlier = [d for d in known if current is not None and d < current]
        baseline = earlier[-1] if earlier else None
    if baseline is None or current is None or baseline not in known or current not in known:
        wanted = f"（指定 {params.baseline} / {params.current}）" if params.baseline or params.current else ""
        out.append(
            insufficient_data(
                item,
                ctx,
                f"需要两期耕地土壤环境质量类别清单（inventory_date）进行比较{wanted}，截至{ctx.as_of}仅有"
                f"{len(known)}期：{'、'.join(map(str, known)) or '无'}",
                f"two farmland inventories (inventory_date) are needed; {len(known)} dated on or before "
                f"{ctx.as_of}: {', '.join(map(str, known)) or 'none'}",
                subject=item.title_zh,
                details={"missing": ["inventory_date"], "inventories": known},
            )
        )
        return out
    before = [p for p in plots if p.inventory == baseline]
    after = [p for p in plots if p.inventory == current]
    towns = sorted({p.town for p in (*before, *after)})
    for town in towns:
        was = [p for p in before if p.town == town and p.category == 0]
        now_all = {p.key: p for p in after if p.town == town}
        area_was = sum(p.area for p in was)
        area_now = sum(p.area for p in now_all.values() if p.category == 0)
        worse: list[dict[str, Any]] = [
            {
                "plot": p.key,
                "from": gb15618.CATEGORIES[p.category],
                "to": gb15618.CATEGORIES[now_all[p.key].category],
                "area": round(p.area, 4),
            }
            for p in was
            if p.key in now_all and now_all[p.key].category > p.category
        ]
        gone = [p.key for p in was if p.key not in now_all]
        fell = area_now < area_was * (1.0 - _REL)
        details: dict[str, Any] = {
            "town": town,
            "baseline": baseline,
            "current": current,
            "priority_area_baseline": round(area_was, 4),
            "priority_area_current": round(area_now, 4),
            "worsened": worse,
            "not_in_current": gone,
        }
        evidence = [p.record.source for p in (*was, *now_all.values())]
        if town in incomplete and not (fell or worse):
            finding = ctx.finding(
                item,
                status=Status.INSUFFICIENT_DATA,
                subject=town,
                period=f"{baseline}..{current}",
                evidence=evidence,
                details={**details, "missing": ["complete farmland_plot records"]},
                message_zh=f"{town}：有耕地图斑记录字段不全（见同条其他结果），无法确认优先保护类耕地面积和质量未下降",
                message_en=f"{town}: some farmland records are incomplete; cannot confirm the priority-protection "
                "farmland neither shrank nor worsened",
            )
        else:
            status, zh, en = _priority_verdict(
                item,
                town,
                span=(baseline, current),
                areas=(area_was, area_now),
                fell=fell,
                worse=worse,
            )
            finding = ctx.finding(
                item,
                status=status,
                subject=town,
                value=round(area_now, 4),
                limit=round(area_was, 4),
                unit="亩",
                period=f"{baseline}..{current}",
                evidence=evidence,
                details=details,
                standard=GB15618,
                message_zh=zh,
                message_en=en,
            )
        out.append(with_units(ctx, finding, [town]))
    return out


def _priority_verdict(
    item: Target | Rule,
    town: str,
    *,
    span: tuple[dt.date, dt.date],
    areas: tuple[float, float],
    fell: bool,
    worse: list[dict[str, Any]],
) -> tuple[Status, str, str]:
    """A town's priority-protection farmland between two surveys (``span``: baseline and current; ``areas``
    in 亩 at each): ``not_met`` when its area fell or a plot's category worsened (the messages say which,
    and what is to be done), else ``met``."""
    span_zh, span_en = f"{span[0]}至{span[1]}", f"{span[0]}..{span[1]}"
    area_was, area_now = areas
    if not (fell or worse):
        return (
            Status.MET,
            f"{town}：{span_zh}，优先保护类耕地{_fmt(area_was)}亩→{_fmt(area_now)}亩，面积未减少，类别未下降",
            f"{town}: {span_en}, priority-protection farmland {_fmt(area_was)} → {_fmt(area_now)} mu, not "
            "smaller, no plot worse",
        )
    why: list[tuple[str, str]] = []  # (zh, en)
    if fell:
        why.append(
            (
                f"优先保护类耕地面积由{_fmt(area_was)}亩减少到{_fmt(area_now)}亩",
                f"priority-protection area fell from {_fmt(area_was)} to {_fmt(area_now)} mu",
            )
        )
    if worse:
        listed = "、".join(
            f"{w['plot']}（{gb15618.CATEGORY_ZH[w['from']]}→{gb15618.CATEGORY_ZH[w['to']]}）" for w in worse
        )
        changes = ", ".join(f"{w['plot']} ({w['from']} → {w['to']})" for w in worse)
        why.append((f"土壤环境质量下降：{listed}", f"category worsened: {changes}"))
    return (
        Status.NOT_MET,
        f"{town}：{span_zh}，"
        + "；".join(zh for zh, _ in why)
        + f"。应对{town}进行预警提醒并依法采取环评限批等限制性措施（{clause_label(item)}）",
        f"{town}: {span_en}, "
        + "; ".join(en for _, en in why)
        + ". The town is to be warned and restrictive measures such as suspending EIA approvals taken",
    )


# -- 工作目标: safe-utilisation rate ---------------------------------------------------------------------


def _percent(ctx: EvalContext, key: str) -> float | None:
    """A user-supplied percentage (``values``); a bare number is refused (85 could be 85 % or 0.85)."""
    raw = None if ctx.inventory is None else ctx.inventory.values.get(key)
    if raw is None:
        return None
    bad = DataError(
        f"values.{key}: {raw!r} is not a percentage; write it with its unit, e.g. '93 %'",
        column=f"values.{key}",
    )
    if not isinstance(raw, Quantity) or str(raw.units) == "dimensionless":
        raise bad
    try:
        return float(raw.m_as("percent"))
    except DimensionalityError:
        raise bad from None


def _computed_rate(
    item: Target | Rule, ctx: EvalContext, params: SafeUtilisationParams
) -> tuple[float | None, dict[str, Any], Finding | None]:
    """(rate %, details, a finding when the rate cannot be computed) from the current inventory."""
    records = [] if ctx.inventory is None else ctx.inventory.by_kind(params.kind)
    if not records:
        return (
            None,
            {},
            insufficient_data(
                item,
                ctx,
                f"缺少受污染耕地安全利用率：未提供 values.{params.key}，清单中也没有 kind={params.kind} 的耕地图斑记录",
                f"no safe-utilisation rate: values.{params.key} is not supplied and there are no {params.kind!r} records",
                details={"missing": [params.key, params.kind]},
            ),
        )
    dated = [(as_date(r, "inventory_date"), r) for r in records]
    days = sorted({d for d, _ in dated if d is not None and d <= ctx.as_of})
    if not days:
        return (
            None,
            {},
            insufficient_data(
                item,
                ctx,
                f"耕地图斑记录缺少 inventory_date（或均晚于{ctx.as_of}），无法确定当期清单",
                f"no farmland record has an inventory_date on or before {ctx.as_of}",
                details={"missing": ["inventory_date"]},
            ),
        )
    current = days[-1]
    polluted: list[tuple[Record, float, bool]] = []
    missing: list[str] = []
    for day, record in dated:
        if day != current:
            continue
        code = category_code(record.get("category"))
        if code is None or code == 0:
            if code is None:
                missing.append(f"{record_name(record)}: category")
            continue
        area = area_mu(record)
        safe = as_bool(record, params.field)
        if area is None or safe is None:
            missing.extend(
                f"{record_name(record)}: {k}" for k, v in (("area", area), (params.field, safe)) if v is None
            )
            continue
        polluted.append((record, area, safe))
    if missing:
        return (
            None,
            {},
            insufficient_data(
                item,
                ctx,
                f"{current}清单中受污染耕地记录字段不全：{'；'.join(missing)}",
                f"incomplete polluted-farmland records in the {current} inventory: {'; '.join(missing)}",
                details={"missing": missing, "inventory_date": current},
            ),
        )
    total = sum(a for _, a, _ in polluted)
    if total <= 0:
        return (
            None,
            {},
            ctx.finding(
                item,
                status=Status.NOT_APPLICABLE,
                period=period_text(ctx, item),
                details={
                    "inventory_date": current,
                    "computation": nothing_computed(
                        item,
                        ctx,
                        n=sum(1 for day, _ in dated if day == current),
                        zh=f"{current}清单中没有受污染耕地（安全利用类、严格管控类），安全利用率不适用",
                        en=f"no polluted farmland (safe-utilisation or strict-control) in the {current} inventory",
                    ),
                },
                message_zh=f"{item.title_zh}：{current}清单中没有受污染耕地（安全利用类、严格管控类），安全利用率不适用",
                message_en=f"{item.title_en}: no polluted farmland (safe-utilisation or strict-control) in the {current} inventory",
            ),
        )
    safe_area = sum(a for _, a, s in polluted if s)
    details = {
        "source": f"computed from {params.kind} records",
        "inventory_date": current,
        "polluted_area_mu": round(total, 4),
        "safely_utilised_area_mu": round(safe_area, 4),
        "polluted_plots": len(polluted),
        "not_safely_utilised": [record_name(r) for r, _, s in polluted if not s],
    }
    return safe_area / total * 100.0, details, None


def _rate_computation(
    item: Target | Rule,
    ctx: EvalContext,
    params: SafeUtilisationParams,
    *,
    rate: float,
    limit: float,
    supplied: bool,
    details: Mapping[str, Any],
) -> dict[str, Any]:
    """``details.computation`` of the safe-utilisation rate: supplied (one value) or computed from the
    polluted plots of the current inventory (``n`` plots, their areas in 亩), against the national figure."""
    target_zh = f"达到（≥）国家考核要求 {limit:g}%（用户提供 values.{params.limit_key}）"
    target_en = f"met at or above the national assessment figure {limit:g} % (user-supplied values.{params.limit_key})"
    if supplied:
        rule_zh = f"受污染耕地安全利用率为用户提供的 values.{params.key}；{target_zh}"
        rule_en = f"safe-utilisation rate as supplied in values.{params.key}; {target_en}"
        extra: dict[str, Any] = {"source": "values", "key": params.key}
    else:
        rule_zh = (
            f"受污染耕地安全利用率 = {details['inventory_date']}清单中安全利用类、严格管控类耕地图斑"
            f"（kind={params.kind}）中 {params.field} 为是的面积 ÷ 其总面积 × 100%（面积按亩计）；{target_zh}"
        )
        rule_en = (
            f"safe-utilisation rate = area of the safe-utilisation and strict-control plots (kind {params.kind!r}) "
            f"of the {details['inventory_date']} inventory with {params.field} true ÷ their whole area × 100 % "
            f"(areas in mu); {target_en}"
        )
        extra = {
            "source": f"{params.kind} records",
            "inventory_date": details["inventory_date"],
            "polluted_area_mu": details["polluted_area_mu"],
            "safely_utilised_area_mu": details["safely_utilised_area_mu"],
        }
    return computation(
        period=period_text(ctx, item),
        statistic="safe_utilisation_rate",
        n=1 if supplied else int(details["polluted_plots"]),
        n_of="values" if supplied else "records",
        value=round(rate, 2),
        value_raw=rate,
        unit="%",
        rounding="to 0.01 % for display (value); the unrounded rate (value_raw) is compared with the limit",
        rule_zh=rule_zh,
        rule_en=rule_en,
        limit=limit,
        comparator=">=",
        limit_key=params.limit_key,
        **extra,
    )


@evaluator(SafeUtilisationParams)
def evaluate_safe_utilisation_rate(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """工作目标: the safe-utilisation rate of polluted farmland ≥ the national figure the user supplies."""
    params = ctx.params_of(item, SafeUtilisationParams)
    limit = _percent(ctx, params.limit_key)
    if limit is None:
        return [
            insufficient_data(
                item,
                ctx,
                f'缺少国家考核要求（受污染耕地安全利用率目标值），请在清单 values.{params.limit_key} 中提供，如 "93 %"',
                f'the national assessment figure is not supplied: give values.{params.limit_key}, e.g. "93 %"',
                details={"missing": [params.limit_key]},
            )
        ]
    rate = _percent(ctx, params.key)
    supplied = rate is not None
    details: dict[str, Any] = {"key": params.key, "limit_key": params.limit_key}
    if rate is not None:
        details["source"] = f"user-supplied values.{params.key}"
    else:
        rate, computed, problem = _computed_rate(item, ctx, params)
        if problem is not None:
            return [problem]
        details.update(computed)
    assert rate is not None
    ok = rate >= limit
    details["computation"] = _rate_computation(
        item, ctx, params, rate=rate, limit=limit, supplied=supplied, details=details
    )
    return [
        ctx.finding(
            item,
            status=Status.MET if ok else Status.NOT_MET,
            value=round(rate, 2),
            value_raw=rate,
            limit=limit,
            unit="%",
            period=period_text(ctx, item),
            details=details,
            message_zh=f"{item.title_zh}：受污染耕地安全利用率{rate:.2f}%，国家考核要求 ≥ {limit:g}%"
            + ("，达到" if ok else "，未达到"),
            message_en=f"{item.title_en}: safe-utilisation rate {rate:.2f}% against the national figure ≥ {limit:g}%"
            + (" (met)" if ok else " (not met)"),
        )
    ]


FARMLAND_EVALUATORS: dict[str, Evaluator] = {
    "soil_priority_farmland": evaluate_priority_farmland,
    "soil_safe_utilisation_rate": evaluate_safe_utilisation_rate,
}

"""Water bodies of the 主要目标 judged from the inventory.

- ``drinking_source_share`` — the share of drinking-water sources at or better than class Ⅲ against the
  national annual target, which the user supplies;
- ``black_odorous_bodies`` — black and odorous water bodies left in an area (城市黑臭水体整治工作指南, 2015).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from envplan_core.plugin import (
    Comparator,
    DataError,
    EvalContext,
    Finding,
    Quantity,
    Record,
    Rule,
    Target,
    Threshold,
    compare,
    computation,
    evaluator,
    insufficient_data,
    matches_where,
    normalise_name,
    status_of,
)
from envplan_core.standards import black_odorous, gb3838
from envplan_water._common import (
    CLASS_III,
    RecordParams,
    fmt,
    period_label,
    threshold_of,
)

__all__ = [
    "BlackOdorousBodiesParams",
    "DrinkingSourceShareParams",
    "evaluate_black_odorous_bodies",
    "evaluate_drinking_source_share",
]


@attrs.frozen
class DrinkingSourceShareParams:
    """Parameters of ``drinking_source_share``.

    - ``key``: the inventory ``values`` key of the share when the user supplies it; default the item's id;
    - ``limit_key``: the ``values`` key of the national annual target (e.g. ``"95 %"``); without it the
      item's threshold is the target;
    - ``kind``: the record kind of the sources the share is computed from (default ``drinking_source``);
    - ``class_field``: the records' field holding the water class (default ``class``).
    """

    key: str | None = None
    limit_key: str = ""
    kind: str = "drinking_source"
    class_field: str = "class"


def _percent(raw: Any, where: str) -> float:
    """A share as a number of percent: ``"95 %"``, ``0.95`` as a dimensionless quantity, or a bare number
    of percent (``95``)."""
    if isinstance(raw, Quantity):
        try:
            return float(raw.m_as("percent"))
        except Exception as exc:  # noqa: BLE001 - pint's DimensionalityError; reported as a data error
            raise DataError(
                f'{where}: {raw} is not a share (write e.g. "95 %"): {exc}', column=where
            ) from None
    if isinstance(raw, bool):
        raise DataError(f'{where}: {raw!r} is not a share (write e.g. "95 %")', column=where)
    if isinstance(raw, (int, float)):
        return float(raw)
    try:
        return float(str(raw).strip().rstrip("%").strip())
    except ValueError:
        raise DataError(f'{where}: {raw!r} is not a share (write e.g. "95 %")', column=where) from None


@evaluator(DrinkingSourceShareParams)
def evaluate_drinking_source_share(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Share of drinking-water sources at or better than class Ⅲ against the national annual target.

    The target is the national annual figure, which the plan does not state: the user supplies it as
    ``values.<limit_key>``. The share is ``values.<key>`` when supplied, else it is computed from the
    inventory's records of kind ``params.kind`` (default ``drinking_source``) and their ``class`` field.
    Met when the share is at least the target (the threshold's comparator, if the item has one).
    """
    params = ctx.params_of(item, DrinkingSourceShareParams)
    key = params.key if params.key is not None else item.id
    limit_key, kind, class_field = params.limit_key, params.kind, params.class_field
    values: Mapping[str, Any] = ctx.inventory.values if ctx.inventory is not None else {}
    threshold = threshold_of(ctx, item)
    comparator = threshold.comparator if threshold is not None else Comparator.GE
    missing_zh: list[str] = []
    missing_en: list[str] = []
    missing: list[str] = []

    target: float | None = None
    if limit_key:
        if values.get(limit_key) is None:
            missing.append(f"values.{limit_key}")
            missing_zh.append(f'国家年度目标值（清单 values.{limit_key}，如 "95 %"）')
            missing_en.append(f'the national annual target (inventory values.{limit_key}, e.g. "95 %")')
        else:
            target = _percent(values[limit_key], f"values.{limit_key}")
    elif threshold is not None and not isinstance(threshold.value, str):
        target = (
            float(threshold.value.m_as("percent"))
            if isinstance(threshold.value, Quantity)
            else float(threshold.value)
        )

    share: float | None = None
    basis: dict[str, Any] = {}
    evidence: list[str] = []
    if values.get(key) is not None:
        share = _percent(values[key], f"values.{key}")
        basis = {"source": "user-supplied", "key": key}
    else:
        records = ctx.inventory.by_kind(kind) if ctx.inventory is not None else []
        if records:
            good, judged = [], []
            for r in records:
                raw = r.fields.get(class_field)
                if raw is None:
                    raise DataError(
                        f"record {r.id!r} ({kind}) has no field {class_field!r} (its water class, e.g. III)",
                        file=r.source.rpartition(":")[0] or None,
                        column=class_field,
                    )
                code = gb3838.class_code(str(raw))
                judged.append(r.id)
                if code <= CLASS_III:
                    good.append(r.id)
            share = 100.0 * len(good) / len(judged)
            evidence = [r.source for r in records]
            basis = {
                "source": "inventory",
                "kind": kind,
                "at_or_better_than_III": good,
                "worse_than_III": [r for r in judged if r not in good],
                "n_sources": len(judged),
            }
        else:
            missing.append(f"values.{key}")
            missing_zh.append(
                f"达到或优于Ⅲ类的水源比例（清单 values.{key}，或 kind={kind} 的水源记录及其 "
                f"{class_field} 字段）"
            )
            missing_en.append(
                f"the share of sources at class III or better (inventory values.{key}, or records "
                f"of kind {kind!r} with a {class_field!r} field)"
            )
    if missing or share is None or target is None:
        return [
            insufficient_data(
                item,
                ctx,
                f"缺少{'；'.join(missing_zh) or '目标值'}",
                f"missing {'; '.join(missing_en) or 'the target'}",
                details={"missing": missing, **basis},
            )
        ]
    ok = comparator.holds(share, target)
    return [
        ctx.finding(
            item,
            status=status_of(ok),
            value=round(share, 4),
            limit=target,
            unit="%",
            message_zh=f"{item.title_zh}：{fmt(share)}%，国家年度目标 {comparator.value} {fmt(target)}%"
            f"{'，完成' if ok else '，未完成'}",
            message_en=f"{item.title_en}: {fmt(share)}% against the national annual target {comparator.value} "
            f"{fmt(target)}%{'' if ok else ' — not met'}",
            evidence=evidence,
            details={
                **basis,
                "target_source": f"values.{limit_key}" if limit_key else "threshold",
                "computation": _share_computation(
                    item, ctx, basis, share=share, target=target, comparator=comparator, key=key, limit_key=limit_key
                ),
            },
        )
    ]


def _share_computation(
    item: Target | Rule,
    ctx: EvalContext,
    basis: Mapping[str, Any],
    *,
    share: float,
    target: float,
    comparator: Comparator,
    key: str,
    limit_key: str | None,
) -> dict[str, Any]:
    start, end = ctx.period(item)
    target_from = f"values.{limit_key}" if limit_key else "the threshold"
    if basis.get("source") == "inventory":
        n, n_of = int(basis["n_sources"]), "records"
        how_zh = f"清单 kind={basis['kind']} 水源记录中达到或优于Ⅲ类者的占比（{len(basis['at_or_better_than_III'])}/{n}）"
        how_en = f"share of the {basis['kind']!r} records at class III or better ({len(basis['at_or_better_than_III'])}/{n})"
    else:
        n, n_of = 1, "values"
        how_zh, how_en = f"用户提供的比例 values.{key}", f"user-supplied share values.{key}"
    return computation(
        period=period_label(start, end),
        statistic="share_at_class_iii_or_better",
        n=n,
        n_of=n_of,
        value=round(share, 4),
        value_raw=share,
        unit="%",
        rounding="4 decimals for display; compared unrounded",
        rule_zh=f"{how_zh} {comparator.value} 国家年度目标 {fmt(target)}%（{target_from}）",
        rule_en=f"{how_en} {comparator.value} the national annual target {fmt(target)} % ({target_from})",
        limit=target,
        comparator=comparator.value,
    )


_BLACK_ODOROUS_STANDARD = "城市黑臭水体整治工作指南（建城〔2015〕130号）"


@attrs.frozen
class BlackOdorousBodiesParams(RecordParams):
    """Parameters of ``black_odorous_bodies``.

    - ``kind``: the record kind of the water bodies (default ``black_odorous_water_body``);
    - ``where``: ``{field: value}`` a body must match to be checked (a list: one of the values), e.g.
      ``{in_built_up_area: true}``.
    """


#: Statuses that mean "no longer black and odorous" (整治完成, 已消除); anything else still counts.
_ELIMINATED = frozenset(
    normalise_name(s)
    for s in (
        "eliminated",
        "remediated",
        "completed",
        "done",
        "已消除",
        "消除",
        "已完成整治",
        "整治完成",
        "长制久清",
    )
)
_MONITORING_UNITS = {"transparency": "cm", "DO": "mg/L", "ORP": "mV", "NH3-N": "mg/L", "depth": "m"}
_MONITORING_KEYS = {
    **dict.fromkeys(("transparency", "sd", "透明度"), "transparency"),
    **dict.fromkeys(("do", "溶解氧"), "DO"),
    **dict.fromkeys(("orp", "氧化还原电位"), "ORP"),
    **dict.fromkeys(("nh3n", "氨氮"), "NH3-N"),
    **dict.fromkeys(("depth", "water_depth", "水深"), "depth"),
}
_GRADE_ZH = ("不黑臭", "轻度黑臭", "重度黑臭")
_GRADE_EN = ("not black-odorous", "lightly black-odorous", "severely black-odorous")


def _monitoring_grade(record: Record) -> int | None:
    """Grade of the record's latest monitoring (``monitoring: {transparency, DO, ORP, NH3-N, depth}``)."""
    raw = record.fields.get("monitoring")
    if not isinstance(raw, Mapping) or not raw:
        return None
    found: dict[str, float] = {}
    for key, value in raw.items():
        pid = _MONITORING_KEYS.get(normalise_name(str(key)))
        if pid is None:
            raise DataError(
                f"record {record.id!r}: unknown monitoring indicator {key!r} (use transparency, DO, "
                "ORP, NH3-N, depth)",
                file=record.source.rpartition(":")[0] or None,
                column="monitoring",
            )
        unit = _MONITORING_UNITS[pid]
        try:
            found[pid] = float(value.m_as(unit)) if isinstance(value, Quantity) else float(value)
        except Exception as exc:  # noqa: BLE001 - pint or float(); reported as a data error
            raise DataError(
                f"record {record.id!r}: monitoring {key} = {value!r} is not a number in {unit}: {exc}",
                file=record.source.rpartition(":")[0] or None,
                column="monitoring",
            ) from None
    if not any(k in found for k in black_odorous.INDICATORS):
        return None
    grade = black_odorous.point_grade(
        found.get("transparency"), found.get("DO"), found.get("ORP"), found.get("NH3-N"), found.get("depth")
    )
    return int(grade)


@evaluator(BlackOdorousBodiesParams)
def evaluate_black_odorous_bodies(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Black and odorous water bodies left among the inventory's records (kind ``black_odorous_water_body``
    filtered by ``params.where``): a body counts unless its ``status`` says it is eliminated, and a body
    whose ``monitoring`` values grade as black-odorous under the 2015 guide counts whatever its status
    (返黑). The count is compared with the threshold (``== 0``)."""
    params = ctx.params_of(item, BlackOdorousBodiesParams)
    kind = params.kind_or("black_odorous_water_body")
    where = dict(params.where)
    threshold = threshold_of(ctx, item)
    if threshold is None:
        threshold = Threshold(comparator=Comparator.EQ, value=0.0)
    if ctx.inventory is None:
        return [
            insufficient_data(
                item,
                ctx,
                f"未提供清单数据（需要 kind={kind} 的黑臭水体记录，含已消除的，每条有 status）",
                "no inventory given (needs every identified water body "
                f"as a record of kind {kind!r} with a status, eliminated ones included)",
                details={"missing": [kind]},
                standard=_BLACK_ODOROUS_STANDARD,
            )
        ]
    records = [r for r in ctx.inventory.by_kind(kind) if matches_where(r.fields, where)]
    if not records:
        return [
            insufficient_data(
                item,
                ctx,
                f"清单中没有符合条件的 kind={kind} 记录；请列出排查认定的每一处黑臭水体（含已消除的）及其状态",
                f"the inventory has no matching records of kind {kind!r}; "
                "list every identified water body (eliminated ones too) with its status",
                details={"missing": [kind], "where": where},
                standard=_BLACK_ODOROUS_STANDARD,
            )
        ]
    bodies: list[dict[str, Any]] = []
    remaining: list[str] = []
    for r in records:
        name = str(r.fields.get("name", r.id))
        status = str(r.fields.get("status", ""))
        grade = _monitoring_grade(r)
        eliminated = normalise_name(status) in _ELIMINATED
        counted = not eliminated or (grade is not None and grade > black_odorous.NOT_BLACK_ODOROUS)
        bodies.append(
            {"id": r.id, "name": name, "status": status, "monitoring_grade": grade, "counted": counted}
        )
        if counted:
            shown = (
                f"{name}（{status or '无状态'}"
                + (f"，监测{_GRADE_ZH[grade]}" if grade is not None else "")
                + "）"
            )
            remaining.append(shown)
    count = float(len(remaining))
    ok, limit = compare(threshold, count)
    listed = "、".join(remaining)
    return [
        ctx.finding(
            item,
            status=status_of(ok),
            value=count,
            limit=limit,
            unit="",
            message_zh=f"{item.title_zh}：已核{len(records)}处，仍黑臭{int(count)}处"
            + (f"：{listed}" if listed else "")
            + f"（要求 {threshold.comparator.value} {fmt(limit)}）",
            message_en=f"{item.title_en}: {len(records)} water bodies checked, {int(count)} still black-odorous"
            f" (required {threshold.comparator.value} {fmt(limit)})",
            evidence=[r.source for r in records],
            details={
                "bodies": bodies,
                "computation": computation(
                    period=period_label(*ctx.period(item)),
                    statistic="count_still_black_odorous",
                    n=len(records),
                    n_of="records",
                    value=count,
                    value_raw=count,
                    rule_zh=f"城市黑臭水体整治工作指南（2015）：kind={kind} 的水体中状态未消除，或监测指标（透明度、溶解氧、"
                    f"氧化还原电位、氨氮）判为黑臭者计数，{threshold.comparator.value} {fmt(limit)}",
                    rule_en="urban black-odorous water guide (2015): bodies of kind "
                    f"{kind!r} not eliminated, or graded black-odorous by their monitoring (transparency, DO, ORP, "
                    f"NH3-N), counted {threshold.comparator.value} {fmt(limit)}",
                    limit=limit,
                    comparator=threshold.comparator.value,
                ),
            },
            standard=_BLACK_ODOROUS_STANDARD,
        )
    ]

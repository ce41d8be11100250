"""Task 10: extraction from several aquifers, and geothermal reinjection.

- ``groundwater_extraction`` reads records of kind ``groundwater_extraction`` (a well or project drawing
  groundwater): ``aquifers`` (the layers it draws from: ``phreatic`` 潜水, ``confined`` 承压水),
  ``mixed_extraction`` (whether the layers are drawn together through one well: 混合开采),
  ``polluted_aquifers`` (layers known to be polluted: 已受污染) and optionally ``quality_differs``
  (含水层水质差异大). Drawing several layers together is a breach when one of them is polluted
  (对已受污染的潜水和承压水，不得混合开采) or their quality differs greatly (应当分层开采).
- ``groundwater_geothermal`` reads records of kind ``geothermal_project``. A project that declares
  ``technique: same_layer_equal_volume`` (“取热不耗水、完全等量同层回灌”) must reinject into the layer
  it draws from (``reinjection_layer`` = ``extraction_layer``) at least the share the rule's threshold
  sets (100 %: 完全等量) of the volume it draws (``reinjected_volume`` / ``extracted_volume``, quantities
  with units). A project declaring ``closed_loop`` (“密封式、无干扰井下换热”) draws no water; any other
  technique is reported as not declaring what the plan prefers (优选), without a verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from envplan_core.plugin import (
    EvalContext,
    Finding,
    NoParams,
    Quantity,
    Record,
    Rule,
    Status,
    Target,
    compare,
    evaluator,
    normalise_name,
)
from envplan_groundwater.common import (
    MISSING,
    Vocabulary,
    flag,
    missing_fields_finding,
    no_records_finding,
    record_name,
    record_units,
    text_field,
    vocabulary_value,
    with_units,
)

__all__ = [
    "AQUIFERS",
    "EXTRACTION_KIND",
    "GEOTHERMAL_KIND",
    "TECHNIQUES",
    "evaluate_extraction",
    "evaluate_geothermal",
]

EXTRACTION_KIND = "groundwater_extraction"
GEOTHERMAL_KIND = "geothermal_project"

AQUIFERS = Vocabulary(
    field="aquifers",
    spellings={
        "phreatic": ("潜水", "浅层地下水", "浅层", "unconfined", "shallow"),
        "confined": ("承压水", "深层地下水", "深层", "deep"),
    },
    labels_zh={"phreatic": "潜水", "confined": "承压水"},
)

TECHNIQUES = Vocabulary(
    field="technique",
    spellings={
        "same_layer_equal_volume": (
            "取热不耗水、完全等量同层回灌",
            "完全等量同层回灌",
            "等量同层回灌",
            "同层回灌",
        ),
        "closed_loop": ("密封式、无干扰井下换热", "无干扰井下换热", "井下换热", "closed loop"),
        "other": ("其他", "其它", "不回灌", "none"),
    },
    labels_zh={
        "same_layer_equal_volume": "取热不耗水、完全等量同层回灌",
        "closed_loop": "密封式、无干扰井下换热",
        "other": "其他",
    },
)


def _layers(record: Record, key: str) -> tuple[list[str], list[str]] | Any:
    """The layers a list field names (canonical) and the spellings not understood; MISSING when absent."""
    value = record.fields.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return MISSING
    items = (
        value
        if isinstance(value, (list, tuple))
        else str(value).replace("，", ",").replace("、", ",").replace("+", ",").split(",")
    )
    found: list[str] = []
    bad: list[str] = []
    for raw in (str(v).strip() for v in items):
        if not raw:
            continue
        layer = AQUIFERS.lookup(raw)
        (found if layer else bad).append(layer or raw)
    return list(dict.fromkeys(found)), bad


def _records(item: Target | Rule, ctx: EvalContext, kind: str) -> list[Record]:
    return [] if ctx.inventory is None else ctx.inventory.by_kind(kind)


@evaluator(NoParams)
def evaluate_extraction(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Task 10: polluted phreatic and confined water never drawn mixed; very different layers drawn apart."""
    records = _records(item, ctx, EXTRACTION_KIND)
    if not records:
        return [
            no_records_finding(
                item,
                ctx,
                EXTRACTION_KIND,
                "多层含水层开采井（项目）",
                "groundwater extraction wells or projects",
            )
        ]
    out: list[Finding] = []
    for record in records:
        name = record_name(record)
        missing: list[str] = []
        bad: dict[str, Any] = {}
        layers = _layers(record, "aquifers")
        if layers is MISSING:
            missing.append("aquifers")
            layers = ([], [])
        elif layers[1]:
            bad["aquifers"] = record.fields.get("aquifers")
        mixed = flag(record.fields.get("mixed_extraction"))
        if mixed is MISSING:
            missing.append("mixed_extraction")
        elif mixed is None:
            bad["mixed_extraction"] = record.fields.get("mixed_extraction")
        polluted = _layers(record, "polluted_aquifers")
        polluted_layers: list[str] = [] if polluted is MISSING else polluted[0]
        if polluted is not MISSING and polluted[1]:
            bad["polluted_aquifers"] = record.fields.get("polluted_aquifers")
        differs = flag(record.fields.get("quality_differs"))
        if differs is None:
            bad["quality_differs"] = record.fields.get("quality_differs")
        if missing or bad:
            out.append(
                missing_fields_finding(
                    item,
                    ctx,
                    record,
                    missing,
                    bad=bad,
                    hint_zh="（aquifers/polluted_aquifers 为 phreatic 潜水、confined 承压水）",
                    hint_en=" (aquifers: phreatic, confined)",
                )
            )
            continue
        drawn = layers[0]
        layers_zh = "、".join(AQUIFERS.zh(x) for x in drawn)
        polluted_drawn = [x for x in polluted_layers if x in drawn]
        together = bool(mixed) and len(drawn) > 1
        breach = together and (bool(polluted_drawn) or differs is True)
        if breach:
            why_zh = (
                f"{'、'.join(AQUIFERS.zh(x) for x in polluted_drawn)}已受污染，不得混合开采"
                if polluted_drawn
                else "含水层水质差异大，应当分层开采"
            )
            zh = f"{name}：混合开采{layers_zh}，{why_zh}"
            en = f"{name}: draws {', '.join(drawn)} mixed although " + (
                f"{', '.join(polluted_drawn)} is polluted"
                if polluted_drawn
                else "their quality differs greatly"
            )
        elif together:
            zh = f"{name}：混合开采{layers_zh}，未登记受污染层或水质差异大，符合要求（如有污染须分层开采）"
            en = f"{name}: draws {', '.join(drawn)} mixed; no layer recorded as polluted or very different"
        else:
            zh = f"{name}：{'分层开采' if len(drawn) > 1 else '单层开采'}（{layers_zh}），无混合开采"
            en = f"{name}: {'layers drawn separately' if len(drawn) > 1 else 'one layer'} ({', '.join(drawn)}), no mixed extraction"
        out.append(
            with_units(
                ctx.finding(
                    item,
                    status=Status.NOT_MET if breach else Status.MET,
                    subject=name,
                    message_zh=zh,
                    message_en=en,
                    evidence=[record.source],
                    details={
                        "record": record.id,
                        "aquifers": drawn,
                        "mixed_extraction": bool(mixed),
                        "polluted_aquifers": polluted_layers,
                        "quality_differs": differs is True,
                    },
                ),
                support=record_units(ctx, record),
            )
        )
    return out


def _volume(record: Record, key: str) -> Quantity | Any | None:
    value = record.fields.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return MISSING
    if isinstance(value, Quantity) and value.check("[volume]"):
        return value
    return None


@evaluator(NoParams)
def evaluate_geothermal(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Task 10: declared same-layer, equal-volume reinjection reinjects the whole volume into the same layer."""
    records = _records(item, ctx, GEOTHERMAL_KIND)
    if not records:
        return [no_records_finding(item, ctx, GEOTHERMAL_KIND, "地热能开发利用项目", "geothermal projects")]
    out: list[Finding] = []
    for record in records:
        name = record_name(record)
        technique = vocabulary_value(record, TECHNIQUES)
        if technique is MISSING or technique is None:
            out.append(
                missing_fields_finding(
                    item,
                    ctx,
                    record,
                    ["technique"] if technique is MISSING else [],
                    bad={} if technique is MISSING else {"technique": record.fields.get("technique")},
                    hint_zh=f"（technique 须为：{TECHNIQUES.choices()}）",
                    hint_en=f" (technique: one of {TECHNIQUES.choices()})",
                )
            )
            continue
        if technique != "same_layer_equal_volume":
            closed = technique == "closed_loop"
            out.append(
                ctx.finding(
                    item,
                    status=Status.NOT_APPLICABLE,
                    subject=name,
                    message_zh=f"{name}：采用“{TECHNIQUES.zh(technique)}”"
                    + (
                        "，不取用地下水，无需回灌"
                        if closed
                        else "，未申报“取热不耗水、完全等量同层回灌”（本计划为优选技术，不作判定）"
                    ),
                    message_en=f"{name}: "
                    + (
                        "closed-loop heat exchange, no water drawn"
                        if closed
                        else "does not declare same-layer equal-volume reinjection (preferred by the plan; not judged)"
                    ),
                    evidence=[record.source],
                    details={"record": record.id, "technique": technique},
                )
            )
            continue
        missing: list[str] = []
        bad: dict[str, Any] = {}
        layer_from, layer_to = text_field(record, "extraction_layer"), text_field(record, "reinjection_layer")
        for key, value in (("extraction_layer", layer_from), ("reinjection_layer", layer_to)):
            if value is None:
                missing.append(key)
        volumes: dict[str, Quantity] = {}
        for key in ("extracted_volume", "reinjected_volume"):
            got = _volume(record, key)
            if got is MISSING:
                missing.append(key)
            elif got is None:
                bad[key] = record.fields.get(key)
            else:
                volumes[key] = got
        if missing or bad:
            out.append(
                missing_fields_finding(
                    item,
                    ctx,
                    record,
                    missing,
                    bad=bad,
                    hint_zh='（体积写作带单位的量，如 "120000 m³"）',
                    hint_en=' (volumes as quantities with units, e.g. "120000 m³")',
                )
            )
            continue
        extracted = float(volumes["extracted_volume"].m_as("m**3"))
        reinjected = float(volumes["reinjected_volume"].m_as("m**3"))
        share = 100.0 * reinjected / extracted if extracted > 0 else 100.0
        threshold = ctx.threshold_for(item)
        equal, limit = compare(threshold, share, "%") if threshold is not None else (share >= 100.0, 100.0)
        same = normalise_name(layer_from or "") == normalise_name(layer_to or "")
        problems_zh, problems_en = [], []
        if not same:
            problems_zh.append(f"回灌层位（{layer_to}）与开采层位（{layer_from}）不同")
            problems_en.append(f"reinjects into {layer_to}, draws from {layer_from}")
        if not equal:
            problems_zh.append(
                f"回灌量{reinjected:g} m³为开采量{extracted:g} m³的{share:.1f}%（应达{limit:g}%）"
            )
            problems_en.append(
                f"reinjects {reinjected:g} m³ of {extracted:g} m³ drawn ({share:.1f} %, {limit:g} % needed)"
            )
        ok = not problems_zh
        out.append(
            with_units(
                ctx.finding(
                    item,
                    status=Status.MET if ok else Status.NOT_MET,
                    subject=name,
                    value=round(share, 2),
                    value_raw=share,
                    limit=limit,
                    unit="%",
                    message_zh=f"{name}：申报“取热不耗水、完全等量同层回灌”；"
                    + (
                        "；".join(problems_zh)
                        if problems_zh
                        else f"同层（{layer_from}）回灌{share:.1f}%，符合"
                    ),
                    message_en=f"{name}: declares same-layer equal-volume reinjection; "
                    + (
                        "; ".join(problems_en)
                        if problems_en
                        else f"{share:.1f} % reinjected into the same layer ({layer_from})"
                    ),
                    evidence=[record.source],
                    details={
                        "record": record.id,
                        "technique": technique,
                        "extraction_layer": layer_from,
                        "reinjection_layer": layer_to,
                        "same_layer": same,
                        "extracted_m3": extracted,
                        "reinjected_m3": reinjected,
                        "share_percent": share,
                    },
                ),
                support=record_units(ctx, record),
            )
        )
    return out

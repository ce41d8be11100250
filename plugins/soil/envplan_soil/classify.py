"""``envplan classify soil FILE --land agricultural|construction``: every sample and every plot of a file.

Agricultural land follows GB 15618-2018 (:mod:`envplan_core.standards.gb15618`): each sample's category
(优先保护类 / 安全利用类 / 严格管控类) from its items, pH band and land use (水田, 其他, 果园, 水旱轮作);
construction land GB 36600-2018 (:mod:`envplan_core.standards.gb36600`): each sample's items against the
screening and intervention values of its planned use's class. A plot takes its worst sample. The file
layout is :mod:`envplan_soil.samples`.

A non-detect is judged at its detection limit (the value it is at most): below the screening value it
meets it; a detection limit above the screening value is reported as an exceedance marked ``nondetect``
(the method was not sensitive enough to show compliance), never assumed away.

:func:`classify_soil` returns what ``--format json`` prints: a list of objects, for each plot (``scope:
"plot"``) then its samples (``scope: "sample"``), plots and samples in natural order of their names, so
the order of the file's rows never matters.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs

from envplan_core.plugin import (
    Cell,
    Classifier,
    CommandContext,
    DataError,
    Document,
    Handler,
    Section,
    UnitError,
    UsageError,
    fmt_number,
    parse_quantity,
)
from envplan_core.standards import gb15618, gb36600
from envplan_soil.samples import Problems, Sample, read_samples, soil_parameter

__all__ = ["LANDS", "SOIL_CLASSIFIER", "classify_soil", "parse_backgrounds", "soil_document"]

Land = Literal["agricultural", "construction"]
LANDS: tuple[Land, ...] = ("agricultural", "construction")
STANDARD: Mapping[str, str] = {"agricultural": "GB 15618-2018", "construction": "GB 36600-2018"}
_EXCEEDED: Mapping[str, str | None] = {
    "le_screening": None,
    "gt_screening": "screening",
    "gt_screening_le_intervention": "screening",
    "gt_intervention": "intervention",
}
_LEVEL_ZH: Mapping[str, str] = {
    "le_screening": "不高于筛选值",
    "gt_screening": "高于筛选值",
    "gt_screening_le_intervention": "高于筛选值、不高于管制值",
    "gt_intervention": "高于管制值",
}
_SEVERITY: Mapping[str, int] = {
    "priority_protection": 0,
    "safe_utilisation": 1,
    "strict_control": 2,
    "le_screening": 0,
    "gt_screening": 1,
    "gt_screening_le_intervention": 1,
    "gt_intervention": 2,
}
_TAG = ("met", "open", "not_met")


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", text) if p)


def _sig(x: float) -> float:
    return float(f"{x:.6g}")


def _name_zh(pid: str) -> str:
    param = gb15618.BY_ID.get(pid) or gb36600.BY_ID.get(pid)
    return param.name_zh if param is not None else pid


def _exceedances(items: Iterable[Any], nondetect: set[tuple[str | None, str]]) -> list[dict[str, Any]]:
    out = []
    for e in items:
        entry: dict[str, Any] = {
            "sample": e.sample,
            "parameter": e.parameter,
            "name_zh": _name_zh(e.parameter),
            "value": _sig(e.value),
            "screening": e.screening,
            "intervention": e.intervention,
            "unit": e.unit,
            "level": e.level,
            "nondetect": (e.sample, e.parameter) in nondetect,
        }
        if e.background is not None:
            entry["background"] = e.background
            entry["exempted"] = e.exempted
        out.append(entry)
    return out


def _rule(ids: Sequence[str], zh: str, en: str) -> dict[str, Any]:
    return {"ids": list(ids), "zh": zh, "en": en}


@attrs.frozen
class _Judged:
    sample: Sample
    result: Any  # gb15618.SampleResult or gb36600.SampleResult
    ignored: list[dict[str, Any]]


def _split(sample: Sample, items: Mapping[str, Any]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    judged = {m.parameter: m.value for m in sample.measurements if m.parameter in items}
    ignored = [
        {"parameter": m.parameter, "name_zh": _name_zh(m.parameter), "row": m.row}
        for m in sample.measurements
        if m.parameter not in items
    ]
    return judged, ignored


def _sample_record(j: _Judged, land: Land, nondetect: set[tuple[str | None, str]]) -> dict[str, Any]:
    s, r = j.sample, j.result
    record: dict[str, Any] = {
        "scope": "sample",
        "site": s.site,
        "sample": s.sample,
        "land": land,
        "land_use": r.land_use,
        "land_use_given": s.land_use,
        "pH": s.ph,
    }
    if land == "agricultural":
        record.update({"pH_band": r.ph_band, "category": r.category, "category_zh": r.category_zh})
    else:
        record.update(
            {
                "land_class": r.land_class,
                "land_class_zh": r.class_zh,
                "level": r.level,
                "class_exceeded": _EXCEEDED[r.level],
                "exempted": list(r.exempted),
            }
        )
    record.update(
        {
            "exceedances": _exceedances(r.exceedances, nondetect),
            "rule": _rule(r.rule_ids, r.rule_zh, r.rule_en),
            "values": {k: _sig(v) for k, v in r.values.items()},
            "nondetect": sorted(m.parameter for m in s.measurements if m.nondetect),
            "ignored": j.ignored,
            "rows": list(s.rows),
            "standard": STANDARD[land],
        }
    )
    return record


def _plot_record(
    site: str, judged: Sequence[_Judged], land: Land, nondetect: set[tuple[str | None, str]]
) -> dict[str, Any]:
    results = [j.result for j in judged]
    record: dict[str, Any] = {"scope": "plot", "site": site, "sample": None, "land": land}
    given = "、".join(dict.fromkeys(j.sample.land_use for j in judged))
    if land == "agricultural":
        plot = gb15618.classify_plot(results, plot=site)
        phs = [r.ph for r in results]
        record.update(
            {
                "land_use": results[0].land_use,
                "land_use_given": given,
                "pH": None,
                "pH_range": [min(phs), max(phs)],
                "category": plot.category,
                "category_zh": plot.category_zh,
            }
        )
    else:
        plot36 = gb36600.classify_plot(results, plot=site)
        record.update(
            {
                "land_use": results[0].land_use,
                "land_use_given": given,
                "pH": None,
                "land_class": plot36.land_class,
                "land_class_zh": plot36.class_zh,
                "level": plot36.level,
                "class_exceeded": _EXCEEDED[plot36.level],
            }
        )
        plot = plot36  # type: ignore[assignment]
    record.update(
        {
            "samples": [j.sample.sample for j in judged],
            "deciding_samples": list(plot.deciding),
            "exceedances": _exceedances(plot.exceedances, nondetect),
            "rule": _rule(plot.rule_ids, plot.rule_zh, plot.rule_en),
            "rows": [row for j in judged for row in j.sample.rows],
            "standard": STANDARD[land],
        }
    )
    return record


def _judge(s: Sample, land: Land, backgrounds: Mapping[str, float], problems: Problems) -> _Judged | None:
    if land == "agricultural":
        try:
            use = gb15618.parse_land_use(s.land_use)
        except DataError as exc:
            problems.add(s.rows[0], "land_use", f"sample {s.sample!r}: {exc}")
            return None
        values, ignored = _split(s, gb15618.BY_ID)
        if not values:
            problems.add(
                s.rows[0], "parameter", f"sample {s.sample!r} of {s.site!r}: no GB 15618-2018 item measured"
            )
            return None
        return _Judged(s, gb15618.classify_sample(values, ph=s.ph, land_use=use, sample=s.sample), ignored)
    try:
        cls = gb36600.land_class(s.land_use)
    except DataError as exc:
        problems.add(s.rows[0], "land_use", f"sample {s.sample!r}: {exc}")
        return None
    values, ignored = _split(s, gb36600.BY_ID)
    if not values:
        problems.add(
            s.rows[0], "parameter", f"sample {s.sample!r} of {s.site!r}: no GB 36600-2018 item measured"
        )
        return None
    result = gb36600.classify_sample(
        values,
        land_use=s.land_use,
        sample=s.sample,
        background={k: v for k, v in backgrounds.items() if k in values},
        background_any_item=False,
    )
    assert result.land_class == cls
    return _Judged(s, result, ignored)


def classify_soil(
    source: Any,
    *,
    land: str,
    land_use: str | None = None,
    background: Mapping[str, float] | None = None,
    name: str | None = None,
    ignore_extra_columns: bool = False,
) -> list[dict[str, Any]]:
    """Classify every sample and plot of a soil sample file (a CSV/XLSX path or a DataFrame).

    :param land: ``agricultural`` (GB 15618-2018) or ``construction`` (GB 36600-2018).
    :param land_use: the land use of rows whose ``land_use`` cell is empty.
    :param background: construction land only: local background levels (mg/kg) of footnote-a items
        (As, Co, V) the caller vouches for; an exceedance at or below it is exempted.
    :returns: the JSON of ``envplan classify soil`` (see the module docstring).
    :raises DataError: every problem of the file at once, naming file, row and column.
    """
    if land not in LANDS:
        raise ValueError(f"land must be one of {LANDS}, not {land!r}")
    kind: Land = "agricultural" if land == "agricultural" else "construction"
    if background and kind == "agricultural":
        raise ValueError("background levels apply to construction land (GB 36600 footnote a) only")
    label = name or (str(source) if isinstance(source, str) or hasattr(source, "suffix") else "<DataFrame>")
    samples = read_samples(
        source, land=kind, land_use=land_use, name=label, ignore_extra_columns=ignore_extra_columns
    )
    problems = Problems(label)
    by_site: dict[str, list[_Judged]] = {}
    for s in samples:
        one = _judge(s, kind, background or {}, problems)
        if one is not None:
            by_site.setdefault(s.site, []).append(one)
    out: list[dict[str, Any]] = []
    for site in sorted(by_site, key=_natural):
        judged = sorted(by_site[site], key=lambda j: _natural(j.sample.sample))
        uses = sorted(
            {str(j.result.land_use if kind == "agricultural" else j.result.land_class) for j in judged}
        )
        if len(uses) > 1:
            other = next(
                j
                for j in judged
                if str(j.result.land_use if kind == "agricultural" else j.result.land_class) != uses[0]
            )
            problems.add(
                other.sample.rows[0],
                "land_use",
                f"plot {site!r} has samples of different land uses ({', '.join(uses)}): a plot has one land use",
            )
            continue
        nondetect: set[tuple[str | None, str]] = {
            (j.sample.sample, m.parameter) for j in judged for m in j.sample.measurements if m.nondetect
        }
        out.append(_plot_record(site, judged, kind, nondetect))
        out.extend(_sample_record(j, kind, nondetect) for j in judged)
    problems.raise_if_any()
    return out


def parse_backgrounds(specs: Sequence[str]) -> dict[str, float]:
    """``--background ITEM=CONTENT`` options (``As=40 mg/kg``, ``砷=40mg/kg``) as {soil id: mg/kg}."""
    out: dict[str, float] = {}
    for spec in specs:
        item, sep, value = spec.partition("=")
        pid = soil_parameter(item.strip()) if sep else None
        if pid is None or pid not in gb36600.BY_ID:
            raise UsageError(
                f"--background {spec!r}: expected ITEM=CONTENT with a GB 36600 item, e.g. 'As=40 mg/kg'",
                prog="envplan classify soil",
            )
        if pid not in gb36600.FOOTNOTE_A_ITEMS:
            allowed = ", ".join(sorted(gb36600.FOOTNOTE_A_ITEMS))
            raise UsageError(
                f"--background {spec!r}: GB 36600 footnote a (background level) applies to {allowed} only",
                prog="envplan classify soil",
            )
        try:
            quantity = parse_quantity(value.strip())
            mg = float(
                gb36600.to_mg_per_kg([float(quantity.magnitude)], str(quantity.units), parameter=pid)[0]
            )
        except UnitError as exc:
            raise UsageError(
                f"--background {spec!r}: {exc} (write the content with its unit, e.g. '40 mg/kg')",
                prog="envplan classify soil",
            ) from None
        out[pid] = mg
    return out


# -- the document (table, Markdown, HTML, XLSX) -------------------------------------------------------------


def _verdict(r: Mapping[str, Any]) -> tuple[str, int]:
    if r["land"] == "agricultural":
        return f"{r['category_zh']}\n{r['category']}", _SEVERITY[r["category"]]
    return f"{_LEVEL_ZH[r['level']]}\n{r['level']}", _SEVERITY[r["level"]]


def _items(r: Mapping[str, Any]) -> str:
    shown = []
    for e in r["exceedances"]:
        if e.get("exempted"):
            continue
        nd = "（未检出，检出限高于筛选值 non-detect）" if e["nondetect"] else ""
        who = f"{e['sample']}: " if r["scope"] == "plot" else ""
        shown.append(f"{who}{e['name_zh']} {fmt_number(e['value'])}{nd}")
    return "、".join(shown) or "—"


def soil_document(rows: Sequence[Mapping[str, Any]], *, file: str, land: str) -> Document:
    """The human formats of ``classify soil``: plots, samples, exceedances."""
    plots: list[tuple[Cell, ...]] = []
    plot_tags: list[str] = []
    samples: list[tuple[Cell, ...]] = []
    sample_tags: list[str] = []
    detail: list[tuple[Cell, ...]] = []
    detail_tags: list[str] = []
    for r in rows:
        verdict, severity = _verdict(r)
        if land == "agricultural":
            given = r.get("land_use_given") or ""
            use = f"{given}（{r['land_use']}）" if given and given != r["land_use"] else r["land_use"]
        else:
            use = f"{r['land_use']}\n{r['land_class_zh']}"
        if r["scope"] == "plot":
            plots.append(
                (r["site"], use, len(r["samples"]), verdict, _items(r), "、".join(r["deciding_samples"]))
            )
            plot_tags.append(_TAG[severity])
            continue
        ph = (
            f"{fmt_number(r['pH'])}（{r['pH_band']}）"
            if land == "agricultural"
            else (fmt_number(r["pH"]) if r["pH"] is not None else "—")
        )
        ignored = "、".join(f"{i['name_zh']}（第{i['row']}行）" for i in r["ignored"]) or "—"
        samples.append((r["site"], r["sample"], use, ph, verdict, _items(r), ignored))
        sample_tags.append(_TAG[severity])
        for e in r["exceedances"]:
            detail.append(
                (
                    r["site"],
                    r["sample"],
                    f"{e['name_zh']} {e['parameter']}" + ("（未检出）" if e["nondetect"] else ""),
                    e["value"],
                    e["screening"],
                    e["intervention"],
                    e["unit"],
                    _LEVEL_ZH[e["level"]] + ("（背景值豁免 exempted）" if e.get("exempted") else ""),
                )
            )
            detail_tags.append("met" if e.get("exempted") else _TAG[_SEVERITY[e["level"]]])
    standard = STANDARD[land]
    method = (
        "方法 Method: 按pH分档和用地类型取表1/表2筛选值、表3管制值；各项目不高于筛选值为优先保护类，镉汞砷铅铬任一高于"
        "管制值为严格管控类，其余为安全利用类；地块取最差样品 — GB 15618-2018 §5–§7"
        if land == "agricultural"
        else "方法 Method: 按规划用途取第一类/第二类用地的筛选值和管制值（表1、表2）；地块取最差样品 — GB 36600-2018 §4–§5"
    )
    return Document(
        title=f"土壤污染风险筛查 Soil screening ({standard})",
        preface=[
            f"文件 File: {file}；用地 Land: {'农用地 agricultural' if land == 'agricultural' else '建设用地 construction'}",
            method,
            "单位 mg/kg（干重 dry weight）；未检出按检出限判断 non-detects judged at their detection limit",
        ],
        sections=[
            Section(
                title="地块 Plots",
                columns=(
                    "地块 Plot",
                    "用地 Land use",
                    "样品 Samples",
                    "结果 Verdict",
                    "超筛选值项目 Above screening",
                    "决定样品 Deciding",
                ),
                rows=plots,
                tags=plot_tags,
                empty="（无样品 no sample）",
                min_widths=(10, 12, 6, 24, 0, 0),
                flex=4,
            ),
            Section(
                title="样品 Samples",
                columns=(
                    "地块 Plot",
                    "样品 Sample",
                    "用地 Land use",
                    "pH",
                    "结果 Verdict",
                    "超筛选值项目 Above screening",
                    "未评价项目 Not judged",
                ),
                rows=samples,
                tags=sample_tags,
                min_widths=(10, 8, 12, 14, 24, 0, 0),
                flex=5,
            ),
            Section(
                title="超标明细 Exceedances (mg/kg)",
                columns=(
                    "地块 Plot",
                    "样品 Sample",
                    "项目 Item",
                    "含量 Content",
                    "筛选值 Screening",
                    "管制值 Intervention",
                    "单位 Unit",
                    "级别 Level",
                ),
                rows=detail,
                tags=detail_tags,
                empty="（无超过筛选值的项目 nothing above screening）",
            ),
        ],
    )


def _setup(parser: argparse.ArgumentParser) -> Handler:
    """soil categories (GB 15618-2018) or screening levels (GB 36600-2018) per sample and plot"""
    parser.add_argument(
        "--land",
        choices=LANDS,
        required=True,
        help="agricultural (GB 15618-2018 categories) or construction (GB 36600-2018 screening)",
    )
    parser.add_argument(
        "--land-use",
        metavar="USE",
        default=None,
        help="land use of rows whose land_use cell is empty: agricultural 水田/paddy, 旱地/other, 果园/orchard, "
        "水旱轮作/rotation; construction the planned use (R21, M1, 第一类用地 …)",
    )
    parser.add_argument(
        "--background",
        action="append",
        default=[],
        metavar="ITEM=CONTENT",
        help="construction land: a local background level for As, Co or V (GB 36600 footnote a), e.g. 'As=40 mg/kg'",
    )
    parser.add_argument("--ignore-extra-columns", action="store_true", help="accept unknown extra columns")

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        backgrounds = parse_backgrounds(args.background)
        if backgrounds and args.land == "agricultural":
            raise UsageError("--background applies to --land construction only", prog="envplan classify soil")
        rows = classify_soil(
            args.file,
            land=args.land,
            land_use=args.land_use,
            background=backgrounds,
            ignore_extra_columns=args.ignore_extra_columns,
        )
        ctx.emit(soil_document(rows, file=ctx.shown(args.file), land=args.land), rows)
        return 0

    return run


SOIL_CLASSIFIER = Classifier(
    "soil",
    _setup,
    summary="soil categories per GB 15618-2018 (agricultural) or levels per GB 36600-2018 (construction), per sample and plot",
    description="Classify each sample and plot of a soil sample file (long format: site,sample,parameter,value,unit "
    "with land_use and pH): --land agricultural gives the GB 15618-2018 category (优先保护类/安全利用类/严格管控类), "
    "--land construction the GB 36600-2018 level against the planned use's screening and intervention values.",
    standard="GB 15618-2018; GB 36600-2018",
)

"""``envplan classify surface-water FILE``: the class of each site and period (a classifier of the core).

Surface water follows GB 3838-2002 Table 1 and 环办〔2011〕22号 (:mod:`envplan_core.analysis.surface_water`
does the work; the JSON is its list of objects, one per site and period).

A site's water-body type (river, or lake/reservoir, which chooses the total-phosphorus row) comes from the
loaded plans' sites (by id, name or alias); other sites take ``--water-body-type`` (default river).
"""

from __future__ import annotations

import argparse
from typing import Any

from envplan_core.commands.base import Classifier, CommandContext, Handler
from envplan_core.commands.classify import class_tag
from envplan_core.render import Cell, Document, Section, fmt_number

__all__ = ["SURFACE_WATER", "surface_water_document"]

_ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "劣V": "劣Ⅴ"}


def _class_cell(name: str | None) -> str:
    return f"{_ROMAN.get(name, name)}类 {name}" if name else "— (无评价指标 no indicator)"


def _names_zh(pids: list[str]) -> str:
    from envplan_core.standards import gb3838

    return "、".join(gb3838.BY_ID[p].name_zh if p in gb3838.BY_ID else p for p in pids)


def surface_water_document(
    rows: list[dict[str, Any]], *, file: str, period: str, type_notes: list[str]
) -> Document:
    """The human formats of ``classify surface-water``: one row per site and period, then the parameters."""
    from envplan_core.standards import gb3838

    summary: list[tuple[Cell, ...]] = []
    detail: list[tuple[Cell, ...]] = []
    detail_tags: list[str] = []
    for r in rows:
        main = "、".join(
            f"{gb3838.BY_ID[p].name_zh} {p}"
            + (f"（{r['exceedance'][p]:.2f}倍）" if p in r["exceedance"] else "")
            for p in r["main_pollutants"]
        )
        summary.append(
            (
                r["site"],
                r["period"],
                f"{_class_cell(r['class'])}\n{r['status_zh']} {r['status_en']}",
                _names_zh(r["limiting"]) or "—",
                main or "—",
                sum(r["n_samples"].values()),
                f"{len(gb3838.ASSESSMENT_PARAMETERS) - len(r['missing_indicators'])}/21",
            )
        )
        for pid, cls in r["per_parameter"].items():
            nd = "（含未检出 non-detects）" if pid in r["nondetect"] else ""
            detail.append(
                (
                    r["site"],
                    r["period"],
                    f"{gb3838.BY_ID[pid].name_zh} {pid}{nd}",
                    fmt_number(r["means"][pid]),
                    r["units"][pid],
                    _class_cell(cls) if cls else "不分类 not graded",
                    r["exceedance"].get(pid),
                    r["n_samples"][pid],
                )
            )
            detail_tags.append(class_tag(cls, gb3838.class_code) if cls else "")
    preface = [
        f"文件 File: {file}；时段 Period: {'年 year' if period == 'year' else '月 month'}",
        "方法 Method: 各指标时段均值定类（未检出按检出限一半计），断面类别取21项评价指标中最差者 — "
        "GB 3838-2002 表1；环办〔2011〕22号；环办监测函〔2020〕82号",
        *type_notes,
    ]
    return Document(
        title="地表水水质类别 Surface-water classes (GB 3838-2002)",
        preface=preface,
        sections=[
            Section(
                title="断面类别 Class per site and period",
                columns=(
                    "点位 Site",
                    "时段 Period",
                    "类别/状况 Class",
                    "定类指标 Limiting",
                    "主要污染指标（超Ⅲ类倍数） Main pollutants",
                    "样品 Samples",
                    "评价指标 Items",
                ),
                rows=summary,
                tags=[class_tag(r["class"], gb3838.class_code) for r in rows],
                empty="（文件中没有GB 3838-2002指标 no GB 3838-2002 parameter in the file）",
                min_widths=(22, 7, 14, 0, 18, 7, 6),
                flex=3,
            ),
            Section(
                title="分指标 Per parameter",
                columns=(
                    "点位 Site",
                    "时段 Period",
                    "指标 Parameter",
                    "均值 Mean",
                    "单位 Unit",
                    "类别 Class",
                    "超Ⅲ类倍数 Exceedance",
                    "样品 n",
                ),
                rows=detail,
                tags=detail_tags,
                flex=2,
            ),
        ],
    )


def _setup(parser: argparse.ArgumentParser) -> Handler:
    """surface-water class per GB 3838-2002 and 环办〔2011〕22号"""
    parser.add_argument(
        "--period",
        choices=("year", "month"),
        default="year",
        help="classify calendar years (default) or months",
    )
    parser.add_argument(
        "--water-body-type",
        choices=("river", "lake"),
        default="river",
        help="for sites no loaded plan names: river (default) or lake (lake/reservoir; "
        "chooses the total-phosphorus row)",
    )
    parser.add_argument(
        "--ignore-extra-columns", action="store_true", help="accept unknown extra columns in the file"
    )

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        from envplan_core.analysis.surface_water import classify_surface_water, site_water_body_types

        catalog = ctx.engine().catalog
        rows = classify_surface_water(
            args.file,
            period=args.period,
            parameters=catalog.parameters,
            plans=catalog.plans,
            default_water_body_type=args.water_body_type,
            ignore_extra_columns=args.ignore_extra_columns,
        )
        sites = list(dict.fromkeys(r["site"] for r in rows))
        types = site_water_body_types(sites, plans=catalog.plans, default=args.water_body_type)
        notes = [
            f"水体类型 Water-body type: {site} {kind}（"
            + ("计划站点 plan site " + str(site_id) if source == "plan" else "默认 --water-body-type")
            + "）"
            for site, (kind, site_id, source) in types.items()
        ]
        ctx.emit(surface_water_document(rows, file=ctx.shown(args.file), period=args.period, type_notes=notes), rows)
        return 0

    return run


SURFACE_WATER = Classifier(
    "surface-water",
    _setup,
    summary="surface-water class per GB 3838-2002 (period means, worst of the 21 assessment indicators)",
    description="Classify each site and period of a monitoring file: GB 3838-2002 Table 1 and "
    "环办〔2011〕22号 (period means, non-detects at half the detection limit, the worst of the 21 "
    "assessment indicators).",
    standard="GB 3838-2002",
)

"""``envplan classify groundwater FILE``: the GB/T 14848-2017 class of each point and period.

:func:`classify_groundwater` reads observations in the docs/inputs.md long format (or takes an
``ObservationSet``), keeps the GB/T 14848-2017 items (the 93 of Tables 1 and 2) and classifies every
(point, period) with :func:`envplan_core.standards.gbt14848.classify_period`: each item's value is the
mean of its samples in the period (a non-detect at half its detection limit; an item with only
non-detects is classified at its detection limit), each item takes the best class whose limit it meets
(从优不从劣, so a value equal to limits of two adjacent classes is in the better one), the point takes the
worst item (§6.3). Periods: calendar ``year`` (default), ``month``, or each ``sample`` (sampling time).

A point register (``--sites``, the inventory's ``groundwater_point`` records, YAML/JSON/CSV/XLSX) groups
the spellings of a point under its name and adds its ``point_type``; other sites are classified under the
name the file gives.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from envplan_core.plugin import (
    Cell,
    Classifier,
    CommandContext,
    Document,
    Handler,
    Inventory,
    ObservationSet,
    ParameterRegistry,
    Section,
    class_tag,
    fmt_number,
    normalise_name,
    read_inventory,
    read_observations,
)
from envplan_core.standards import default_parameters, gbt14848
from envplan_groundwater.common import class_zh, names_of, param_zh, record_name
from envplan_groundwater.points import POINT_KIND, POINT_TYPES
from envplan_groundwater.quality import Period, groundwater_rows, period_labels, point_class, point_row

__all__ = ["GROUNDWATER", "classify_groundwater", "groundwater_document"]


def _register(points: Inventory | None, kind: str) -> dict[str, tuple[str, str, str | None]]:
    """Normalised spelling → (record id, point name, point type) of the register's points."""
    out: dict[str, tuple[str, str, str | None]] = {}
    if points is None:
        return out
    for record in points.by_kind(kind):
        point_type = POINT_TYPES.lookup(record.fields.get("point_type") or "")
        for name in names_of(record):
            out.setdefault(normalise_name(name), (record.id, record_name(record), point_type))
    return out


def classify_groundwater(
    source: Any,
    *,
    period: Period = "year",
    parameters: ParameterRegistry | None = None,
    points: Inventory | None = None,
    kind: str = POINT_KIND,
    ignore_extra_columns: bool = False,
) -> list[dict[str, Any]]:
    """The class of every point and period of a monitoring file.

    :param source: a CSV/XLSX path, a DataFrame, a list of those, or an ``ObservationSet``.
    :param period: ``"year"``, ``"month"`` or ``"sample"`` (each sampling time).
    :param parameters: resolves parameter spellings (default: every parameter of the core's standards).
    :param points: a register whose ``kind`` records name the points (grouping spellings, point type).
    :returns: one object per (point, period), sorted by point then period: ``site``, ``site_id``,
        ``point_type``, ``period``, ``class`` (``I``…``V``; None when no item could be classified),
        ``limiting``, ``exceedances`` (multiples over the class Ⅲ limit, (C − C_Ⅲ)/C_Ⅲ), ``items_judged``,
        ``items_missing`` (routine items without a value), ``per_parameter``, ``values`` (period means,
        canonical units), ``units``, ``n_samples``, ``nondetect``, ``notes``, ``ignored_parameters``.
    :raises DataError: unreadable input, an unknown parameter or unit.
    """
    if period not in ("year", "month", "sample"):
        raise ValueError(f"period must be 'year', 'month' or 'sample', not {period!r}")
    obs = (
        source
        if isinstance(source, ObservationSet)
        else read_observations(
            str(source) if isinstance(source, Path) else source,
            parameters=parameters or default_parameters(),
            ignore_extra_columns=ignore_extra_columns,
        )
    )
    obs, ignored = groundwater_rows(obs)
    if len(obs) == 0:
        return []
    register = _register(points, kind)
    spellings: dict[str, list[int]] = {}
    for code, label in enumerate(obs.sites):
        found = register.get(normalise_name(label))
        if found is not None:
            spellings.setdefault(found[0], []).append(code)
    obs.check_alias_duplicates(spellings.values())  # one point's sample written under two spellings
    # One label per point: the register's name when the site is one of its spellings, else as written.
    site_label = np.asarray(
        [register.get(normalise_name(s), (None, s.strip(), None))[1] for s in obs.sites], dtype=object
    )
    rows_site = site_label[obs.site]
    periods = period_labels(obs, period)
    keys = sorted(set(zip(rows_site.tolist(), periods.tolist(), strict=True)))
    by_name = {name: (rid, ptype) for rid, name, ptype in register.values()}
    out: list[dict[str, Any]] = []
    for site, label in keys:
        result = point_class(obs.take((rows_site == site) & (periods == label)))
        site_id, point_type = by_name.get(site, (None, None))
        out.append(
            {
                "site": site,
                "site_id": site_id,
                "point_type": point_type,
                "period": label,
                **point_row(result),
                "ignored_parameters": ignored,
            }
        )
    return out


def _class_cell(name: str | None) -> str:
    return f"{class_zh(name)}类 {name}" if name else "— (无可定类指标 no item)"


def _names(pids: Sequence[str]) -> str:
    return "、".join(param_zh(p) for p in pids)


def groundwater_document(
    rows: list[dict[str, Any]], *, file: str, period: str, notes: Sequence[str] = ()
) -> Document:
    """The human formats of ``classify groundwater``: one row per point and period, then the items."""
    summary: list[tuple[Cell, ...]] = []
    detail: list[tuple[Cell, ...]] = []
    detail_tags: list[str] = []
    for r in rows:
        over = "、".join(
            f"{param_zh(p)}（{m:.2f}倍）" for p, m in sorted(r["exceedances"].items(), key=lambda kv: -kv[1])
        )
        point = r["site"] + (f"\n{POINT_TYPES.zh(r['point_type'])}" if r["point_type"] else "")
        summary.append(
            (
                point,
                r["period"],
                _class_cell(r["class"]),
                _names(r["limiting"]) or "—",
                over or "—",
                max(r["n_samples"].values(), default=0),
                f"{len(r['items_judged'])} / 缺{len(r['items_missing'])}",
            )
        )
        for pid, cls in r["per_parameter"].items():
            nd = "（含未检出 non-detects）" if pid in r["nondetect"] else ""
            detail.append(
                (
                    r["site"],
                    r["period"],
                    f"{param_zh(pid)} {pid}{nd}",
                    fmt_number(r["values"][pid]),
                    r["units"][pid],
                    _class_cell(cls),
                    r["exceedances"].get(pid),
                    r["n_samples"][pid],
                )
            )
            detail_tags.append(class_tag(cls, gbt14848.class_code))
    what = {"year": "年 year", "month": "月 month", "sample": "每次采样 each sample"}[period]
    preface = [
        f"文件 File: {file}；时段 Period: {what}",
        "方法 Method: 各指标时段均值定类（未检出按检出限一半计；全部未检出按检出限定类），从优不从劣；"
        "点位类别取各指标中最差者 — GB/T 14848-2017 §6.2、§6.3；超Ⅲ类倍数 = (C − CⅢ)/CⅢ",
        *notes,
    ]
    return Document(
        title="地下水质量类别 Groundwater classes (GB/T 14848-2017)",
        preface=preface,
        sections=[
            Section(
                title="点位类别 Class per point and period",
                columns=(
                    "点位 Point",
                    "时段 Period",
                    "类别 Class",
                    "定类指标 Limiting",
                    "超Ⅲ类倍数 Exceedances",
                    "样品 Samples",
                    "测/缺 Items",
                ),
                rows=summary,
                tags=[class_tag(r["class"], gbt14848.class_code) for r in rows],
                empty="（文件中没有GB/T 14848-2017指标 no GB/T 14848-2017 item in the file）",
                min_widths=(16, 6, 9, 24, 20, 4, 9),
                flex=4,
            ),
            Section(
                title="分指标 Per item",
                columns=(
                    "点位 Point",
                    "时段 Period",
                    "指标 Item",
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
    """groundwater class per GB/T 14848-2017 (93 items, period means, worst item)"""
    parser.add_argument(
        "--period",
        choices=("year", "month", "sample"),
        default="year",
        help="classify calendar years (default), months, or each sampling time",
    )
    parser.add_argument(
        "--sites",
        metavar="REGISTER",
        default=None,
        help="a point register (YAML/JSON/CSV/XLSX, records of kind groundwater_point): groups a point's "
        "spellings under its name and shows its point_type",
    )
    parser.add_argument(
        "--ignore-extra-columns", action="store_true", help="accept unknown extra columns in the file"
    )

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        register = read_inventory(args.sites) if args.sites else None
        rows = classify_groundwater(
            args.file,
            period=args.period,
            parameters=ctx.engine().catalog.parameters,
            points=register,
            ignore_extra_columns=args.ignore_extra_columns,
        )
        ignored = rows[0]["ignored_parameters"] if rows else []
        notes = (
            [f"非GB/T 14848-2017指标，未参与定类 Not GB/T 14848-2017 items, left out: {', '.join(ignored)}"]
            if ignored
            else []
        )
        if args.sites:
            notes.append(f"点位登记 Point register: {args.sites}")
        ctx.emit(groundwater_document(rows, file=ctx.shown(args.file), period=args.period, notes=notes), rows)
        return 0

    return run


GROUNDWATER = Classifier(
    "groundwater",
    _setup,
    summary="groundwater class per GB/T 14848-2017 (93 items; period means, the worst item)",
    description="Classify each point and period of a monitoring file by GB/T 14848-2017: each item's "
    "period mean (non-detects at half the detection limit), 从优不从劣 at equal limits, the point takes "
    "the worst item; exceedances are multiples over the class III limit.",
    standard="GB/T 14848-2017",
)

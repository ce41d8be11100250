"""Groundwater quality of a point: observation rows in, a GB/T 14848-2017 class out.

Shared by the point-type targets (:mod:`.points`) and ``envplan classify groundwater`` (:mod:`.classify`).
The standard does the classifying (:func:`envplan_core.standards.gbt14848.classify_period`): each item's
value over a period is the mean of its samples (a non-detect at half its detection limit; an item whose
samples are all non-detects is classified at the detection limit), each item takes the best class whose
limit it meets (从优不从劣), the point takes the worst item (§6.3). Rows of parameters that are not
GB/T 14848-2017 items (DO, COD …) are left out and counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from envplan_core.plugin import ObservationSet, format_unit, normalise_name
from envplan_core.standards import gbt14848
from envplan_groundwater.common import GBT14848, class_zh, param_zh

__all__ = [
    "DECISIVE_ITEMS",
    "STANDARD_PERIOD",
    "STANDARD_SAMPLE",
    "Period",
    "exceedances_zh",
    "groundwater_rows",
    "period_labels",
    "point_class",
    "point_row",
    "rows_named",
    "sample_classes",
]

STANDARD_PERIOD = f"{GBT14848} §6.2、§6.3（时段均值，未检出按检出限一半计）"
STANDARD_SAMPLE = f"{GBT14848} §6.2、§6.3"

#: The items that decide groundwater classes in practice (what national and provincial groundwater
#: reports most often name as over the class Ⅲ limit): pH, the major ions and hardness, iron and
#: manganese, the "three nitrogens", fluoride and iodide, oxygen consumption. A point class target is
#: never ``met`` unless these were measured (settable per target: ``params.decisive_items``).
DECISIVE_ITEMS: tuple[str, ...] = (
    "pH",
    "total_hardness",
    "TDS",
    "SO4",
    "Cl",
    "Fe",
    "Mn",
    "CODMn",
    "NH3-N",
    "Na",
    "NO2-N",
    "NO3-N",
    "F",
    "iodide",
)

Period = Literal["year", "month", "sample"]


def groundwater_rows(obs: ObservationSet) -> tuple[ObservationSet, list[str]]:
    """The rows of GB/T 14848-2017 items, and the ids of the other parameters left out."""
    if len(obs) == 0:
        return obs, []
    known = np.asarray([p in gbt14848.BY_ID for p in obs.parameters], dtype=bool)
    keep = known[obs.parameter]
    other = sorted({obs.parameters[c] for c in np.unique(obs.parameter[~keep]).tolist()})
    return obs.take(keep), other


def rows_named(obs: ObservationSet, names: Sequence[str]) -> ObservationSet:
    """Rows whose site is one of ``names`` (compared as :func:`normalise_name` folds them).

    Two spellings of the point carrying a value for the same item and time are a :class:`DataError`
    (the same sample twice would count twice in the mean)."""
    wanted = {normalise_name(n) for n in names if n}
    codes = np.asarray([i for i, s in enumerate(obs.sites) if normalise_name(s) in wanted], dtype=np.int32)
    if codes.size > 1:
        obs.check_alias_duplicates([codes])
    return obs.select(sites=codes)


def _ids(obs: ObservationSet) -> npt.NDArray[Any]:
    return np.asarray(obs.parameters, dtype=object)[obs.parameter] if len(obs) else np.zeros(0, dtype=object)


def point_class(obs: ObservationSet) -> gbt14848.PointClass:
    """The class of the rows' point over their period (every row is one sample of one item).

    ``obs`` holds canonical values (a non-detect's value is its detection limit); rows of other
    standards' parameters must have been left out (:func:`groundwater_rows`).
    """
    return gbt14848.classify_period(
        _ids(obs),
        obs.value,
        censored=obs.censored,
        detection_limit=np.where(obs.censored, obs.value, np.nan),
    )


def _stamp(time: np.datetime64) -> str:
    text = str(time.astype("datetime64[m]"))
    return text[:10] if text.endswith("T00:00") else text


def period_labels(obs: ObservationSet, period: Period) -> npt.NDArray[Any]:
    """Each row's period label: ``2023``, ``2023-05`` or the sampling time (``2023-05-10``)."""
    if len(obs) == 0:
        return np.zeros(0, dtype=object)
    if period == "year":
        return obs.time.astype("datetime64[Y]").astype(str).astype(object)
    if period == "month":
        return obs.time.astype("datetime64[M]").astype(str).astype(object)
    return np.asarray([_stamp(t) for t in obs.time], dtype=object)


def sample_classes(obs: ObservationSet) -> list[dict[str, Any]]:
    """The class of each sampling time (one sample: every item measured then), oldest first."""
    labels = period_labels(obs, "sample")
    out = []
    for label in sorted(set(labels.tolist())):
        result = point_class(obs.take(labels == label))
        out.append({"sample": label, "class": result.class_name or None, "limiting": list(result.limiting)})
    return out


def _sig(x: float) -> float:
    return float(f"{x:.6g}")


def point_row(result: gbt14848.PointClass) -> dict[str, Any]:
    """The JSON fields of one point and period (``envplan classify groundwater`` and finding details)."""
    return {
        "class": result.class_name or None,
        "limiting": list(result.limiting),
        "exceedances": {p: round(m, 4) for p, m in result.exceedance.items()},
        "items_judged": list(result.judged),
        "items_missing": list(result.missing),
        "per_parameter": dict(result.per_parameter),
        "values": {p: _sig(v) for p, v in result.values.items()},
        "units": {p: format_unit(gbt14848.BY_ID[p].unit) for p in result.values},
        "n_samples": dict(result.n_samples),
        "nondetect": list(result.nondetect),
        "notes": list(result.notes),
    }


def exceedances_zh(exceedance: Mapping[str, float]) -> str:
    """``氟化物（超Ⅲ类标准0.52倍）、…`` worst first."""
    over = sorted(exceedance.items(), key=lambda kv: -kv[1])
    return "、".join(f"{param_zh(p)}（超Ⅲ类标准{m:.2f}倍）" for p, m in over)


def exceedances_en(exceedance: Mapping[str, float]) -> str:
    over = sorted(exceedance.items(), key=lambda kv: -kv[1])
    return ", ".join(f"{p} ({m:.2f}× over class III)" for p, m in over)


def class_text(result: gbt14848.PointClass) -> tuple[str, str]:
    """``Ⅳ类（定类指标：氟化物）`` / ``class IV (limiting: F)``."""
    if not result.class_code:
        return "无法定类", "no class"
    limiting = "、".join(param_zh(p) for p in result.limiting)
    return (
        f"{class_zh(result.class_name)}类（定类指标：{limiting}）",
        f"class {result.class_name} (limiting: {', '.join(result.limiting)})",
    )

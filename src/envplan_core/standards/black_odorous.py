"""Urban black-odorous water grading (城市黑臭水体整治工作指南, 住房城乡建设部、环境保护部, 2015-08).

The thresholds are data: ``data/black_odorous_water_2015.csv`` is a verbatim copy of the reference
table (its ``source`` column cites the guide's table as reprinted by three pages, and Silence.Water's
``CityService.cs``). Four indicators grade a sample: transparency (SD), dissolved oxygen, ORP and
ammonia nitrogen. DO and NH3-N are the GB 3838 parameters (``envplan_core.standards.gb3838`` declares
them); this module declares transparency and ORP only.

Grades: 0 not black-odorous, 1 轻度黑臭 (light), 2 重度黑臭 (severe).

* **One sample**: the worst indicator grade; one indicator reaching a grade is enough (the table grades
  each indicator; the guide's point rule counts indicators one by one).
* **Boundaries** (reference README doubt 7): the guide prints ranges such as "0.2~2.0" without saying
  which ends belong where. Silence.Water counts DO = 2.0 and SD = 25 cm as not black-odorous and
  NH3-N = 8.0 as not black-odorous; every bound is read the same way here: **a value exactly on a bound
  takes the milder grade** (DO 0.2 is light, ORP −200 is light, NH3-N 15 is light, SD 10 cm is light).
  As in GB 3838, a value within one part in 10⁹ of a bound counts as on it (floating-point noise only:
  0.4 × 0.2 m × 100 is 8.000000000000002 cm).
* **Shallow water** (the table's footnote ``*``, CSV note on 透明度): where the water is less than 25 cm deep,
  the transparency criterion is 40 % of the depth. As Silence.Water reads it, SD < 0.4 × depth is
  severe, SD short of the bottom is light, and water clear to the bottom (SD ≥ depth) is not
  black-odorous on transparency.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from importlib import resources
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.parameters import Parameter
from envplan_core.standards import gb3838

__all__ = [
    "INDICATORS",
    "PARAMETERS",
    "Thresholds",
    "indicator_grades",
    "point_grade",
    "point_grade_from_rounds",
    "severe_stretches",
    "thresholds",
    "water_body_grade",
]

_DATA_FILE: Final = "black_odorous_water_2015.csv"
_SOURCE: Final = "城市黑臭水体整治工作指南（住房城乡建设部、环境保护部，2015）"

NOT_BLACK_ODOROUS: Final = 0
LIGHT: Final = 1  # 轻度黑臭
SEVERE: Final = 2  # 重度黑臭

#: The guide's four indicators by envplan id (DO and NH3-N are GB 3838's parameters).
INDICATORS: Final = ("transparency", "DO", "ORP", "NH3-N")
# CSV ``parameter_zh`` → id; the two ids this module declares carry their spellings.
_IDS: Final = {"透明度": "transparency", "溶解氧": "DO", "氧化还原电位": "ORP", "氨氮": "NH3-N"}
_ALIASES: Final = {
    "transparency": ("透明度", "SD", "Secchi depth", "塞氏盘透明度", "透明度(SD)"),
    "ORP": ("氧化还原电位", "ORP", "oxidation-reduction potential", "redox potential"),
}

# Footnote * of the guide's table (CSV note on 透明度): water shallower than 25 cm is judged on 40 % of
# its depth.
_SHALLOW_CM: Final = 25.0
_SHALLOW_FRACTION: Final = 0.4
# 60 % / 30 % / 3 points: the guide's point and water-body rules (CSV rows 判定规则). "以上" includes the
# number itself (民法典 第1259条), hence ≥.
_POINT_ONE_INDICATOR_PCT: Final = 60
_POINT_TWO_INDICATORS_PCT: Final = 30
_WATER_BODY_SEVERE_PCT: Final = 60
_STRETCH_MIN_POINTS: Final = 3
_REL_TOL: Final = 1e-9


@attrs.frozen
class Thresholds:
    """One indicator's bounds: light starts past ``light``, severe past ``severe``.

    ``lower_is_worse`` for SD, DO and ORP (grade when ``value < bound``); NH3-N grades when
    ``value > bound``.
    """

    parameter_id: str
    unit: str
    lower_is_worse: bool
    light: float
    severe: float


_NUMBER: Final = r"(-?\d+(?:\.\d+)?)"
_SEVERE_CELL: Final = re.compile(rf"^([<>]){_NUMBER}\*?$")
_LIGHT_CELL: Final = re.compile(rf"^{_NUMBER}~{_NUMBER}\*?$")


def _parse(row: Mapping[str, str]) -> Thresholds:
    severe = _SEVERE_CELL.match(row["severe_black_odorous"])
    light = _LIGHT_CELL.match(row["light_black_odorous"])
    if severe is None or light is None:
        raise ValueError(f"{_DATA_FILE}: cannot read the bounds of {row['parameter_zh']}")
    severe_bound = float(severe.group(2))
    ends = {float(light.group(1)), float(light.group(2))}
    if severe_bound not in ends or len(ends) != 2:
        raise ValueError(f"{_DATA_FILE}: light range of {row['parameter_zh']} does not meet the severe bound")
    (light_bound,) = ends - {severe_bound}
    return Thresholds(
        parameter_id=_IDS[row["parameter_zh"]],
        unit=row["unit"],
        lower_is_worse=severe.group(1) == "<",
        light=light_bound,
        severe=severe_bound,
    )


def _load() -> tuple[tuple[Parameter, ...], dict[str, Thresholds]]:
    text = (resources.files("envplan_core.standards") / "data" / _DATA_FILE).read_text(encoding="utf-8")
    parameters: list[Parameter] = []
    bounds: dict[str, Thresholds] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["parameter_zh"] not in _IDS:  # the rule rows (判定规则) are applied in code below
            continue
        found = _parse(row)
        bounds[found.parameter_id] = found
        if found.parameter_id in gb3838.BY_ID:
            if gb3838.BY_ID[found.parameter_id].unit != found.unit:
                raise ValueError(f"{_DATA_FILE}: {found.parameter_id} unit differs from GB 3838's")
            continue
        parameters.append(
            Parameter(
                id=found.parameter_id,
                name_zh=row["parameter_zh"],
                name_en=row["parameter_en"],
                unit=found.unit,
                medium="surface_water",
                aliases=_ALIASES[found.parameter_id],
                lower_bound=None if found.parameter_id == "ORP" else 0.0,  # ORP is negative when anoxic
                source=_SOURCE,
            )
        )
    if set(bounds) != set(INDICATORS):
        raise ValueError(f"{_DATA_FILE}: expected the indicators {INDICATORS}, found {sorted(bounds)}")
    return tuple(parameters), bounds


_PARAMETERS, _THRESHOLDS = _load()
#: Transparency (cm) and ORP (mV); DO and NH3-N are declared by GB 3838.
PARAMETERS: Final[tuple[Parameter, ...]] = _PARAMETERS


def thresholds(parameter_id: str) -> Thresholds:
    """Bounds of one of :data:`INDICATORS` as printed in the guide (before the shallow-water rule)."""
    return _THRESHOLDS[parameter_id]


def _past(
    values: npt.NDArray[np.float64], bound: npt.ArrayLike, lower_is_worse: bool
) -> npt.NDArray[np.bool_]:
    """Strictly past a bound (NaN never is); a value on it, within float noise, is not."""
    edge = np.asarray(bound, dtype=np.float64)
    slack = np.abs(edge) * _REL_TOL
    if lower_is_worse:
        return np.asarray(values < edge - slack)
    return np.asarray(values > edge + slack)


def _grade(
    values: npt.NDArray[np.float64], light: npt.ArrayLike, severe: npt.ArrayLike, lower: bool
) -> npt.NDArray[np.int8]:
    grades = _past(values, light, lower).astype(np.int8)
    grades += _past(values, severe, lower)
    return grades


def indicator_grades(
    transparency_cm: npt.ArrayLike | None = None,
    do: npt.ArrayLike | None = None,
    orp_mv: npt.ArrayLike | None = None,
    nh3n: npt.ArrayLike | None = None,
    water_depth_m: npt.ArrayLike | None = None,
) -> dict[str, npt.NDArray[np.int8]]:
    """Grade (0/1/2) of each measured indicator, arrays broadcast together.

    ``None`` or NaN means not measured (grade 0: an unmeasured indicator does not make a point black).
    Units: SD in cm, DO and NH3-N in mg/L, ORP in mV, water depth in metres.
    """
    given = {
        "transparency": transparency_cm,
        "DO": do,
        "ORP": orp_mv,
        "NH3-N": nh3n,
    }
    measured = {k: np.asarray(v, dtype=np.float64) for k, v in given.items() if v is not None}
    if not measured:
        raise ValueError("no indicator given: pass at least one of transparency, DO, ORP, NH3-N")
    depth = None if water_depth_m is None else np.asarray(water_depth_m, dtype=np.float64)
    shapes = [a.shape for a in measured.values()] + ([] if depth is None else [depth.shape])
    shape = np.broadcast_shapes(*shapes)
    grades: dict[str, npt.NDArray[np.int8]] = {}
    for pid, values in measured.items():
        bounds = _THRESHOLDS[pid]
        light: npt.ArrayLike = bounds.light
        severe: npt.ArrayLike = bounds.severe
        if pid == "transparency" and depth is not None:
            depth_cm = depth * 100.0
            shallow = depth_cm < _SHALLOW_CM  # NaN depth: not shallow, the printed bounds apply
            light = np.where(shallow, depth_cm, bounds.light)
            severe = np.where(shallow, _SHALLOW_FRACTION * depth_cm, bounds.severe)
        grades[pid] = np.broadcast_to(_grade(values, light, severe, bounds.lower_is_worse), shape)
    return grades


def point_grade(
    transparency_cm: npt.ArrayLike | None,
    do: npt.ArrayLike | None,
    orp_mv: npt.ArrayLike | None,
    nh3n: npt.ArrayLike | None,
    water_depth_m: npt.ArrayLike | None = None,
) -> npt.NDArray[np.int8]:
    """Grade of each sample: the worst of its indicators (0 not, 1 轻度黑臭, 2 重度黑臭), vectorised."""
    grades = indicator_grades(transparency_cm, do, orp_mv, nh3n, water_depth_m)
    return np.asarray(np.maximum.reduce(list(grades.values())), dtype=np.int8)


def point_grade_from_rounds(
    transparency_cm: npt.ArrayLike | None,
    do: npt.ArrayLike | None,
    orp_mv: npt.ArrayLike | None,
    nh3n: npt.ArrayLike | None,
    water_depth_m: npt.ArrayLike | None = None,
    *,
    axis: int = -1,
) -> npt.NDArray[np.int8]:
    """Grade of monitoring points sampled over several rounds (rounds along ``axis``).

    The guide: a point is 重度黑臭 when one indicator has ≥ 60 % of its results in the severe range, or at
    least two indicators each have ≥ 30 % of their results there; otherwise 轻度黑臭. The guide grades
    points of a water body already identified as black-odorous; here a point none of whose results
    reaches even the light range is 0. Percentages count each indicator's measured (non-NaN) results.
    """
    grades = indicator_grades(transparency_cm, do, orp_mv, nh3n, water_depth_m)
    inputs = {"transparency": transparency_cm, "DO": do, "ORP": orp_mv, "NH3-N": nh3n}
    at_60, at_30, black = [], [], []
    for pid, grade in grades.items():
        values = np.broadcast_to(np.asarray(inputs[pid], dtype=np.float64), grade.shape)
        n = (~np.isnan(values)).sum(axis=axis)
        severe = (grade == SEVERE).sum(axis=axis)
        at_60.append((n > 0) & (severe * 100 >= _POINT_ONE_INDICATOR_PCT * n))
        at_30.append((n > 0) & (severe * 100 >= _POINT_TWO_INDICATORS_PCT * n))
        black.append((grade >= LIGHT).any(axis=axis))
    severe_point = np.logical_or.reduce(at_60) | (np.sum(at_30, axis=0) >= 2)
    light_point = np.logical_or.reduce(black)
    return np.where(severe_point, SEVERE, np.where(light_point, LIGHT, NOT_BLACK_ODOROUS)).astype(np.int8)


def water_body_grade(point_grades: npt.ArrayLike) -> int:
    """Grade of a water body from its points' grades.

    The guide: ≥ 60 % of the points 重度黑臭 → the whole water body is 重度黑臭. Otherwise it is 轻度黑臭
    when any point is black-odorous, else 0. Severe stretches between consecutive severe points are
    reported by :func:`severe_stretches`. The guide asks for at least three points; fewer are graded all
    the same.
    """
    grades = np.asarray(point_grades, dtype=np.int64).ravel()
    if grades.size == 0:
        raise ValueError("no monitoring points")
    if ((grades < NOT_BLACK_ODOROUS) | (grades > SEVERE)).any():
        raise ValueError("point grades must be 0, 1 or 2")
    if int((grades == SEVERE).sum()) * 100 >= _WATER_BODY_SEVERE_PCT * grades.size:
        return SEVERE
    return LIGHT if bool((grades >= LIGHT).any()) else NOT_BLACK_ODOROUS


def severe_stretches(point_grades: npt.ArrayLike) -> list[tuple[int, int]]:
    """(first, last) indices of runs of ≥ 3 consecutive 重度黑臭 points, points ordered along the water.

    The guide: where three or more consecutive points are severe, the stretch between them is severe.
    """
    severe = np.asarray(point_grades).ravel() == SEVERE
    edges = np.diff(np.concatenate(([0], severe.astype(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1) - 1
    long = ends - starts + 1 >= _STRETCH_MIN_POINTS
    return [(int(a), int(b)) for a, b in zip(starts[long], ends[long], strict=True)]

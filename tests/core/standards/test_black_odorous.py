"""Urban black-odorous water grading (城市黑臭水体整治工作指南, 2015)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envplan_core.parameters import ParameterRegistry
from envplan_core.standards import black_odorous, gb3838
from envplan_core.standards.black_odorous import (
    INDICATORS,
    indicator_grades,
    point_grade,
    point_grade_from_rounds,
    severe_stretches,
    thresholds,
    water_body_grade,
)

FAST = settings(max_examples=150, deadline=None, database=None)
REFERENCE = Path("/work/shared/reference")
NAN = float("nan")


def test_parameters_declare_transparency_and_orp_only() -> None:
    by_id = {p.id: p for p in black_odorous.PARAMETERS}
    assert set(by_id) == {"transparency", "ORP"}
    assert (by_id["transparency"].unit, by_id["transparency"].name_zh) == ("cm", "透明度")
    assert by_id["transparency"].lower_bound == 0.0
    assert (by_id["ORP"].unit, by_id["ORP"].name_zh, by_id["ORP"].lower_bound) == ("mV", "氧化还原电位", None)
    assert {p.medium for p in black_odorous.PARAMETERS} == {"surface_water"}
    assert {"DO", "NH3-N"} <= set(gb3838.BY_ID)  # reused, not redeclared
    registry = ParameterRegistry()
    for p in (*gb3838.PARAMETERS, *black_odorous.PARAMETERS):
        registry.add(p)  # no id declared twice with different units
    for name, pid in (("SD", "transparency"), ("氧化还原电位", "ORP"), ("溶解氧", "DO"), ("氨氮", "NH3-N")):
        resolved = registry.resolve(name)
        assert resolved is not None
        assert resolved.id == pid


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="shared reference folder not present")
def test_packaged_table_is_the_reference_copy() -> None:
    packaged = resources.files("envplan_core.standards") / "data" / "black_odorous_water_2015.csv"
    assert packaged.read_bytes() == (REFERENCE / "black_odorous_water_2015.csv").read_bytes()


def test_thresholds_read_from_the_table() -> None:
    got = {
        pid: (thresholds(pid).lower_is_worse, thresholds(pid).light, thresholds(pid).severe)
        for pid in INDICATORS
    }
    assert got == {
        "transparency": (True, 25.0, 10.0),
        "DO": (True, 2.0, 0.2),
        "ORP": (True, 50.0, -200.0),
        "NH3-N": (False, 8.0, 15.0),
    }


def test_examples_f() -> None:
    # Silence.Water README input: SD 15 cm (depth 26 cm), DO 1.5, NH3-N 5.0, no ORP → 轻度黑臭.
    assert point_grade(15.0, 1.5, None, 5.0, water_depth_m=0.26) == 1
    grades = indicator_grades(15.0, 1.5, None, 5.0, water_depth_m=0.26)
    assert {k: int(v) for k, v in grades.items()} == {"transparency": 1, "DO": 1, "NH3-N": 0}
    # Depth 20 cm: threshold 0.4 × 20 = 8 cm; SD 7 → 重度.
    assert point_grade(7.0, None, None, None, water_depth_m=0.2) == 2


@pytest.mark.parametrize(
    ("sd", "do", "orp", "nh3n", "grade"),
    [
        (25.0, None, None, None, 0), (24.99, None, None, None, 1), (10.0, None, None, None, 1),
        (9.99, None, None, None, 2),
        (None, 2.0, None, None, 0), (None, 1.999, None, None, 1), (None, 0.2, None, None, 1),
        (None, 0.199, None, None, 2),
        (None, None, 50.0, None, 0), (None, None, 49.9, None, 1), (None, None, -200.0, None, 1),
        (None, None, -200.1, None, 2),
        (None, None, None, 8.0, 0), (None, None, None, 8.01, 1), (None, None, None, 15.0, 1),
        (None, None, None, 15.01, 2),
    ],
)  # fmt: skip
def test_a_value_on_a_bound_takes_the_milder_grade(
    sd: float | None, do: float | None, orp: float | None, nh3n: float | None, grade: int
) -> None:
    assert point_grade(sd, do, orp, nh3n) == grade


def test_any_one_indicator_is_enough() -> None:
    assert point_grade(40.0, 5.0, 100.0, 16.0) == 2
    assert point_grade(40.0, 1.0, 100.0, 1.0) == 1
    assert point_grade(40.0, 5.0, 100.0, 1.0) == 0


@pytest.mark.parametrize(
    ("sd", "depth_m", "grade"),
    [
        (8.0, 0.2, 1),  # exactly 40 % of 20 cm
        (4.8, 0.12, 1),  # exactly 40 % of 12 cm, though 0.4 × (0.12 × 100) is 4.800000000000001
        (2.8, 0.07, 1),  # 0.07 × 100 is 7.000000000000001
        (7.99, 0.2, 2),
        (19.9, 0.2, 1),  # not clear to the bottom
        (20.0, 0.2, 0),  # clear to the bottom
        (20.0, 0.25, 1),  # 25 cm is not "less than 25 cm": printed bounds
        (9.0, 0.25, 2),
        (9.0, NAN, 2),  # unknown depth: printed bounds
        (30.0, 1.5, 0),
    ],
)
def test_shallow_water_rule(sd: float, depth_m: float, grade: int) -> None:
    assert point_grade(sd, None, None, None, water_depth_m=depth_m) == grade


def test_vectorised_with_broadcasting_and_missing_values() -> None:
    sd = np.array([[30.0, 15.0, 5.0], [NAN, NAN, NAN]])
    grades = point_grade(sd, 3.0, None, np.array([1.0, 9.0, NAN]), water_depth_m=None)
    assert grades.dtype == np.int8
    assert grades.tolist() == [[0, 1, 2], [0, 1, 0]]
    with pytest.raises(ValueError, match="no indicator"):
        point_grade(None, None, None, None)


@FAST
@given(
    st.sampled_from(INDICATORS),
    st.lists(st.floats(min_value=-500, max_value=500, allow_nan=False), min_size=2, max_size=40),
    st.one_of(st.none(), st.floats(min_value=0.01, max_value=2.0)),
)
def test_worse_values_never_grade_milder(pid: str, raw: list[float], depth: float | None) -> None:
    bounds = thresholds(pid)
    values = np.sort(np.asarray([*raw, bounds.light, bounds.severe]))
    args: dict[str, object] = {"transparency_cm": None, "do": None, "orp_mv": None, "nh3n": None}
    key = {"transparency": "transparency_cm", "DO": "do", "ORP": "orp_mv", "NH3-N": "nh3n"}[pid]
    args[key] = values
    grades = point_grade(**args, water_depth_m=depth).astype(int)  # type: ignore[arg-type]
    steps = np.diff(grades)
    assert ((steps <= 0) if bounds.lower_is_worse else (steps >= 0)).all()


def test_point_rule_over_rounds() -> None:
    clean_do = [5.0] * 5
    rounds = np.array(
        [
            [5, 5, 5, 30, 30],  # SD 60 % severe → 重度
            [5, 5, 30, 30, 30],  # SD 40 % severe, DO clean → 轻度
            [5, 5, 30, 30, 30],  # with DO 40 % severe below: two indicators ≥ 30 % → 重度
            [30, 30, 30, 30, 30],  # nothing black → 0
            [5, 5, NAN, NAN, 30],  # 2 of 3 measured → 67 % → 重度
        ],
        dtype=float,
    )
    do = np.array([clean_do, clean_do, [0.1, 0.1, 5, 5, 5], clean_do, clean_do])
    assert point_grade_from_rounds(rounds, do, None, None).tolist() == [2, 1, 2, 0, 2]
    # Exactly 30 % in two indicators (3 of 10 rounds each) is enough.
    sd = np.array([5.0] * 3 + [30.0] * 7)
    nh3n = np.array([16.0] * 3 + [1.0] * 7)
    assert point_grade_from_rounds(sd, None, None, nh3n) == 2
    assert point_grade_from_rounds(sd, None, None, None) == 1
    # Rounds on axis 0.
    assert point_grade_from_rounds(rounds.T, do.T, None, None, axis=0).tolist() == [2, 1, 2, 0, 2]


@pytest.mark.parametrize(
    ("points", "grade"),
    [([2, 2, 2, 1, 0], 2), ([2, 2, 1, 1, 1], 1), ([0, 0, 0], 0), ([1, 0, 0], 1), ([2, 2, 2], 2)],
)
def test_water_body_grade(points: list[int], grade: int) -> None:
    assert water_body_grade(points) == grade


def test_water_body_grade_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="no monitoring points"):
        water_body_grade([])
    with pytest.raises(ValueError, match="0, 1 or 2"):
        water_body_grade([3, 1])


def test_severe_stretches() -> None:
    assert severe_stretches([2, 2, 2, 1, 2, 2, 0, 2, 2, 2, 2]) == [(0, 2), (7, 10)]
    assert severe_stretches([2, 2, 1, 2, 2]) == []
    assert severe_stretches([]) == []

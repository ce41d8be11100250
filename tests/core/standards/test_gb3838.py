"""GB 3838-2002 classes and the 环办〔2011〕22号 section assessment."""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envplan_core.errors import DataError
from envplan_core.parameters import ParameterRegistry, normalise_name
from envplan_core.standards import black_odorous, gb3838
from envplan_core.standards.gb3838 import (
    ASSESSMENT_PARAMETERS,
    CLASS_NAMES,
    PARAMETERS,
    SectionClass,
    assess_river,
    class_code,
    class_limits,
    classify_river,
    classify_river_means,
    classify_section,
    classify_series,
    drinking_source_limit,
    parameter_classes,
)

FAST = settings(max_examples=150, deadline=None, database=None)
REFERENCE = Path("/work/shared/reference")
LADDER_IDS = [p.id for p in PARAMETERS if class_limits(p.id, water_body_type="lake") is not None]


def _ladders() -> list[tuple[str, str]]:
    return [
        (pid, body)
        for pid in LADDER_IDS
        for body in ("river", "lake")
        if (limits := class_limits(pid, water_body_type=body)) is not None and limits.comparison != "range"
    ]


def one(pid: str, value: float, body: str = "river") -> int:
    return int(parameter_classes(pid, np.array([value]), water_body_type=body)[0])


# --- parameters ----------------------------------------------------------------------------------


def test_parameters_are_table_1_and_table_2() -> None:
    ids = [p.id for p in PARAMETERS]
    assert ids == [
        "water_temperature", "pH", "DO", "CODMn", "COD", "BOD5", "NH3-N", "TP", "TN", "Cu", "Zn", "F",
        "Se", "As", "Hg", "Cd", "Cr6+", "Pb", "CN", "volatile_phenol", "petroleum", "LAS", "S2-",
        "fecal_coliform", "SO4", "Cl", "NO3-N", "Fe", "Mn",
    ]  # fmt: skip
    by_id = gb3838.BY_ID
    assert {p.medium for p in PARAMETERS} == {"surface_water"}
    assert by_id["pH"].unit == "dimensionless"
    assert (by_id["pH"].lower_bound, by_id["pH"].upper_bound) == (0.0, 14.0)
    assert (by_id["water_temperature"].unit, by_id["water_temperature"].lower_bound) == ("degC", None)
    assert by_id["fecal_coliform"].unit == "CFU/L"
    assert {p.unit for p in PARAMETERS} - {"dimensionless", "degC", "CFU/L"} == {"mg/L"}
    assert [p.source for p in PARAMETERS].count("GB 3838-2002 表1") == 24
    assert [p.source for p in PARAMETERS].count("GB 3838-2002 表2") == 5
    assert (by_id["DO"].name_zh, by_id["CODMn"].name_zh, by_id["TP"].name_zh) == (
        "溶解氧",
        "高锰酸盐指数",
        "总磷",
    )
    assert by_id["BOD5"].name_zh == "五日生化需氧量"


@pytest.mark.parametrize(
    ("spelling", "pid"),
    [
        ("氨氮", "NH3-N"), ("NH3N", "NH3-N"), ("NH₃-N", "NH3-N"), ("ammonia nitrogen", "NH3-N"),
        ("高锰酸盐指数", "CODMn"), ("CODmn", "CODMn"), ("COD_Mn", "CODMn"), ("化学需氧量", "COD"),
        ("CODcr", "COD"), ("总磷(以P计)", "TP"), ("总磷（以P计）", "TP"), ("DO", "DO"), ("溶解氧", "DO"),
        ("ＮＨ３－Ｎ", "NH3-N"), ("BOD₅", "BOD5"), ("六价铬", "Cr6+"), ("石油类", "petroleum"),
        ("挥发酚", "volatile_phenol"), ("粪大肠菌群", "fecal_coliform"), ("pH值", "pH"),
        ("水温", "water_temperature"),
        ("硫化物", "S2-"), ("氰化物", "CN"), ("硝酸盐", "NO3-N"), ("透明度", "transparency"),
    ],
)  # fmt: skip
def test_aliases_resolve(spelling: str, pid: str) -> None:
    registry = ParameterRegistry()
    for parameter in (*gb3838.PARAMETERS, *black_odorous.PARAMETERS):
        registry.add(parameter)
    resolved = registry.resolve(spelling)
    assert resolved is not None
    assert resolved.id == pid


def test_no_spelling_names_two_parameters() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for p in (*gb3838.PARAMETERS, *black_odorous.PARAMETERS):
        for name in (p.id, p.name_zh, p.name_en, *p.aliases):
            owners[normalise_name(name)].add(p.id)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="shared reference folder not present")
def test_packaged_table_is_the_reference_copy() -> None:
    packaged = resources.files("envplan_core.standards") / "data" / "gb3838_2002_surface_water.csv"
    reference = REFERENCE / "gb3838_2002_surface_water.csv"
    assert packaged.read_bytes() == reference.read_bytes()


def test_assessment_parameters_are_the_21() -> None:
    assert len(ASSESSMENT_PARAMETERS) == 21
    table_1 = {p.id for p in PARAMETERS if p.source.endswith("表1")}
    assert set(ASSESSMENT_PARAMETERS) == table_1 - {"water_temperature", "TN", "fecal_coliform"}


def test_ladders_read_from_the_table() -> None:
    cod = class_limits("COD")
    assert cod is not None
    assert (cod.comparison, cod.limits, cod.class_iii) == ("max", (15.0, 15.0, 20.0, 30.0, 40.0), 20.0)
    river_tp, lake_tp = class_limits("TP"), class_limits("TP", water_body_type="reservoir")
    assert river_tp is not None
    assert lake_tp is not None
    assert river_tp.limits == (0.02, 0.1, 0.2, 0.3, 0.4)
    assert lake_tp.limits == (0.01, 0.025, 0.05, 0.1, 0.2)
    do, ph, hg = class_limits("溶解氧"), class_limits("pH"), class_limits("Hg")
    assert do is not None
    assert ph is not None
    assert hg is not None
    assert (do.comparison, do.limits) == ("min", (7.5, 6.0, 5.0, 3.0, 2.0))
    assert (ph.comparison, ph.limits, ph.class_iii) == ("range", (6.0, 9.0), None)
    assert hg.limits == (0.00005, 0.00005, 0.0001, 0.001, 0.001)
    fc = class_limits("fecal_coliform")
    assert fc is not None
    assert fc.limits == (200.0, 2000.0, 10000.0, 20000.0, 40000.0)
    assert class_limits("TN") is None  # TN has lake/reservoir limits only
    assert class_limits("TN", water_body_type="lake") is not None
    assert class_limits("water_temperature") is None
    assert class_limits("SO4") is None
    assert (drinking_source_limit("SO4"), drinking_source_limit("Mn"), drinking_source_limit("COD")) == (
        250.0,
        0.1,
        None,
    )
    with pytest.raises(DataError):
        class_limits("PM2.5")
    with pytest.raises(DataError):
        class_limits("TP", water_body_type="sea")


# --- single-indicator classes ---------------------------------------------------------------------


@pytest.mark.parametrize(("pid", "body"), _ladders())
def test_value_at_a_limit_takes_the_best_class_with_that_limit(pid: str, body: str) -> None:
    ladder = class_limits(pid, water_body_type=body)
    assert ladder is not None
    limits = ladder.limits
    # A value 1e-8 beyond the limit (past the module's 1e-9 float-noise tolerance) on the worse side.
    step = 1 + 1e-8 if ladder.comparison == "max" else 1 - 1e-8
    for limit in limits:
        expected = limits.index(limit) + 1  # first (best) class printing this limit
        assert one(pid, limit, body) == expected
        worse_classes = [i + 1 for i, other in enumerate(limits) if i >= expected and other != limit]
        assert one(pid, limit * step, body) == (worse_classes[0] if worse_classes else 6)


def test_float_noise_at_a_limit_is_not_an_exceedance() -> None:
    assert one("NH3-N", float(np.nextafter(1.0, 2.0))) == 3  # 1 ulp over: still on the limit
    assert one("NH3-N", 1.000001) == 4  # a real exceedance, however small
    assert one("TP", 300 * 0.001) == 4  # 300 µg/L through a unit factor
    assert one("DO", float(np.nextafter(5.0, 0.0))) == 3


def test_dissolved_oxygen_boundaries() -> None:
    values = [7.5, 7.49, 6.0, 5.0, 3.0, 2.0, 1.999, 0.0, 12.0]
    assert parameter_classes("DO", values).tolist() == [1, 2, 2, 3, 4, 5, 6, 6, 1]


def test_ph_does_not_grade() -> None:
    values = [6.0, 9.0, 7.0, 5.99, 9.01, 0.0, 14.0, np.nan]
    assert parameter_classes("pH", values).tolist() == [1, 1, 1, 6, 6, 6, 6, 0]


def test_equal_limits_go_to_the_better_class() -> None:
    assert one("COD", 15.0) == 1
    assert one("BOD5", 3.0) == 1
    assert one("Cu", 1.0) == 2
    assert one("Se", 0.01) == 1
    assert one("Cu", 1.0000001) == 6


def test_total_phosphorus_row_follows_the_water_body() -> None:
    tp = np.array([0.05, 0.1, 0.2, 0.25])
    assert parameter_classes("TP", tp, water_body_type="river").tolist() == [2, 2, 3, 4]
    assert parameter_classes("TP", tp, water_body_type="lake").tolist() == [3, 4, 5, 6]
    assert parameter_classes("总磷", tp, water_body_type="水库").tolist() == [3, 4, 5, 6]


def test_unclassifiable_items_give_zero() -> None:
    assert parameter_classes("water_temperature", [5.0, 30.0]).tolist() == [0, 0]
    assert parameter_classes("TN", [0.1, 5.0]).tolist() == [0, 0]
    assert parameter_classes("TN", [0.1, 5.0], water_body_type="lake").tolist() == [1, 6]
    assert parameter_classes("SO4", [10.0, 500.0]).tolist() == [0, 0]
    assert parameter_classes("NH3-N", [np.nan, 0.1]).tolist() == [0, 1]


def test_classes_keep_the_shape_and_dtype() -> None:
    grid = np.array([[0.1, 0.6], [1.2, 3.0]])
    codes = parameter_classes("NH3-N", grid)
    assert codes.dtype == np.int8
    assert codes.tolist() == [[1, 3], [4, 6]]
    assert parameter_classes("NH3-N", 0.4).shape == ()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("I", 1), ("II", 2), ("III", 3), ("Ⅲ", 3), ("3", 3), ("Ⅲ类", 3), ("三类", 3), ("IV", 4), ("Ⅳ", 4),
        ("V", 5), ("Ⅴ类", 5), ("劣V", 6), ("劣Ⅴ", 6), ("劣Ⅴ类", 6), ("劣五类", 6), ("iii", 3),
        ("class II", 2),
    ],
)  # fmt: skip
def test_class_code_spellings(name: str, code: int) -> None:
    assert class_code(name) == code
    assert CLASS_NAMES[code] in {"I", "II", "III", "IV", "V", "劣V"}


@pytest.mark.parametrize("name", ["VI", "", "劣", "0", "7", "A"])
def test_class_code_rejects_unknown(name: str) -> None:
    with pytest.raises(DataError):
        class_code(name)


@FAST
@given(
    st.sampled_from(_ladders()),
    st.lists(st.floats(min_value=0, max_value=5e4, allow_nan=False), min_size=2, max_size=30),
)
def test_a_worse_value_never_gets_a_better_class(ladder: tuple[str, str], raw: list[float]) -> None:
    pid, body = ladder
    limits = class_limits(pid, water_body_type=body)
    assert limits is not None
    values = np.sort(np.asarray(raw + list(limits.limits)))  # include the limits themselves
    codes = parameter_classes(pid, values, water_body_type=body).astype(int)
    steps = np.diff(codes)
    if limits.comparison == "max":  # higher concentration is worse
        assert (steps >= 0).all()
    else:  # DO: higher is better
        assert (steps <= 0).all()


def _decimal_limits() -> list[tuple[str, str, Decimal]]:
    return [
        (pid, body, Decimal(repr(limit)))
        for pid, body in _ladders()
        for limits in [class_limits(pid, water_body_type=body)]
        if limits is not None
        for limit in limits.limits
    ]


@pytest.mark.parametrize(("pid", "body", "limit"), _decimal_limits())
def test_limit_given_in_micrograms_keeps_its_class(pid: str, body: str, limit: Decimal) -> None:
    micrograms = float(limit * 1000)
    exact = one(pid, float(limit), body)
    assert one(pid, micrograms / 1000, body) == exact
    assert one(pid, micrograms * 0.001, body) == exact  # what a unit registry's factor does


@FAST
@given(
    st.sampled_from(_ladders()),
    st.decimals(min_value=0, max_value=100_000, places=3, allow_nan=False, allow_infinity=False),
)
def test_micrograms_divided_by_1000_keep_the_class(ladder: tuple[str, str], micrograms: Decimal) -> None:
    pid, body = ladder
    exact = one(pid, float(micrograms / 1000), body)
    assert one(pid, float(micrograms) / 1000, body) == exact
    assert one(pid, float(micrograms) * 0.001, body) == exact


# --- published sections (examples.md §B2: national automatic stations, week 2 of 2007) ------------

B2 = [
    ("黑龙江肇源", 6.97, 5.85, 6.3, 0.32, "IV", ("CODMn",)),
    ("黑龙江同江", 7.66, 6.03, 13.3, 1.77, "V", ("NH3-N", "CODMn")),
    ("吉林长春松花江村", 6.59, 7.1, 3.9, 0.57, "III", ()),
    ("吉林白城白沙滩", 7.6, 9.03, 5.7, 0.75, "III", ()),
    ("黑龙江黑河", 6.53, 9.65, 3.9, 0.26, "II", ()),
    # DO printed as ".03" (digits garbled on the page); any value below 2 gives the published result.
    ("内蒙古呼伦贝尔黑山头 (DO 0.03)", 7.25, 0.03, 4.5, 0.63, "劣V", ("DO",)),
    ("内蒙古呼伦贝尔黑山头 (DO 1.03)", 7.25, 1.03, 4.5, 0.63, "劣V", ("DO",)),
]


@pytest.mark.parametrize(("station", "ph", "do", "codmn", "nh3n", "published", "main"), B2)
def test_published_weekly_sections(
    station: str, ph: float, do: float, codmn: float, nh3n: float, published: str, main: tuple[str, ...]
) -> None:
    result = classify_section({"pH": ph, "溶解氧": do, "高锰酸盐指数": codmn, "氨氮": nh3n})
    assert result.class_name == published, station
    # The page lists 同江's two pollutants as "氨氮, 高锰酸盐指数"; both are class V and the 2011 method
    # orders them by exceedance multiple (CODMn 1.22 > NH3-N 0.77), so compare the set, not the order.
    assert set(result.main_pollutants) == set(main)
    assert len(result.main_pollutants) == len(main)


def test_exceedance_multiples_b3() -> None:
    result = classify_section({"pH": 7.66, "DO": 6.03, "CODMn": 13.3, "NH3-N": 1.77})
    assert result.exceedance["NH3-N"] == pytest.approx(0.77)
    assert round(result.exceedance["CODMn"], 2) == 1.22
    assert result.main_pollutants == ("CODMn", "NH3-N")
    assert result.limiting == ("CODMn", "NH3-N")
    assert (result.status_zh, result.status_en) == ("中度污染", "moderately polluted")
    assert "DO" not in result.exceedance
    assert "pH" not in result.exceedance


# --- section assessment -----------------------------------------------------------------------------


def test_reference_indicators_do_not_set_the_class() -> None:
    means = {"DO": 7.0, "NH3-N": 0.4, "TN": 5.0, "fecal_coliform": 50_000.0, "water_temperature": 18.0}
    river = classify_section(means)
    assert river.class_name == "II"
    assert river.per_parameter == {
        "water_temperature": "", "DO": "II", "NH3-N": "II", "TN": "", "fecal_coliform": "劣V",
    }  # fmt: skip
    assert river.limiting == ("DO", "NH3-N")
    assert river.main_pollutants == ()
    lake = classify_section(means, water_body_type="lake")
    assert lake.class_name == "II"
    assert lake.per_parameter["TN"] == "劣V"
    assert lake.exceedance["TN"] == pytest.approx(4.0)


def test_status_words_follow_the_class() -> None:
    statuses = [classify_section({"NH3-N": v}).status_zh for v in (0.1, 0.4, 0.9, 1.4, 1.9, 2.5)]
    assert statuses == ["优", "优", "良好", "轻度污染", "中度污染", "重度污染"]
    empty = classify_section({})
    assert (empty.class_code, empty.class_name, empty.status_en) == (0, "", "not classifiable")


def test_main_pollutants_worst_class_first_then_multiple() -> None:
    # CODMn 9.9 is IV with multiple 0.65; NH3-N 1.6 is V with multiple 0.6: the class comes first.
    result = classify_section({"CODMn": 9.9, "NH3-N": 1.6, "TP": 0.25})
    assert result.main_pollutants == ("NH3-N", "CODMn", "TP")
    assert result.exceedance["TP"] == pytest.approx(0.25)


def test_main_pollutants_at_most_three_with_heavy_metals_first() -> None:
    # Multiples: CODMn 2.33, NH3-N 2.0, TP 1.5, COD 1.5 (all 劣V); Cd 0.006 is V (multiple 0.2).
    means = {"NH3-N": 3.0, "CODMn": 20.0, "TP": 0.5, "COD": 50.0, "Cd": 0.006}
    result = classify_section(means)
    assert result.class_name == "劣V"
    assert result.main_pollutants == ("Cd", "CODMn", "NH3-N")  # Cd (V) first: heavy metals take priority
    assert set(result.limiting) == {"NH3-N", "CODMn", "TP", "COD"}
    assert result.exceedance["COD"] == pytest.approx(1.5)


def test_dissolved_oxygen_ranks_by_class_without_a_multiple() -> None:
    result = classify_section({"DO": 1.0, "NH3-N": 2.5, "CODMn": 8.0, "pH": 9.5})
    # 劣V items: NH3-N (multiple 1.5) first, then those without a multiple in Table 1 order (pH, DO).
    assert result.main_pollutants == ("NH3-N", "pH", "DO")
    assert set(result.exceedance) == {"NH3-N", "CODMn"}


def test_aliases_other_standards_and_typos() -> None:
    result = classify_section({"氨氮": 1.2, "高锰酸盐指数": 3.0, "PM2.5": 80.0, "透明度": 30.0})
    assert result.per_parameter == {"CODMn": "II", "NH3-N": "IV"}
    with pytest.raises(DataError, match="NH3-M"):
        classify_section({"NH3-M": 0.1})
    with pytest.raises(DataError, match="twice"):
        classify_section({"NH3-N": 0.1, "氨氮": 0.2})


def test_nondetects_are_recorded() -> None:
    result = classify_section({"Hg": 0.00002, "NH3-N": 0.3}, nondetect=["汞"])
    assert result.nondetect == ("Hg",)
    assert result.class_name == "II"


def test_section_class_is_frozen() -> None:
    result = classify_section({"NH3-N": 0.3})
    assert isinstance(result, SectionClass)
    with pytest.raises(AttributeError):
        result.class_code = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.per_parameter["NH3-N"] = "V"  # type: ignore[index]


# --- series ----------------------------------------------------------------------------------------


def test_series_means_halve_nondetects_and_use_the_site_type() -> None:
    sites = ["湖A", "湖A", "湖A", "河B", "河B", "河B", "河B"]
    params = ["TP", "TP", "Hg", "NH3-N", "NH3-N", "NH3-N", "透明度"]
    times = np.array(
        ["2023-05-02", "2023-05-20", "2023-05-02", "2023-05-03", "2023-05-28", "2023-06-01", "2023-05-03"],
        dtype="datetime64[D]",
    )
    values = [0.04, 0.08, np.nan, 1.2, 0.0, 0.5, 30.0]
    censored = [False, False, True, False, True, False, False]
    detection = [np.nan, np.nan, 0.00004, np.nan, 0.025, np.nan, np.nan]
    results = classify_series(
        sites,
        params,
        times,
        values,
        water_body_types={"湖A": "lake", "河B": "river"},
        period="month",
        censored=censored,
        detection_limit=detection,
    )
    got = {(r.site, r.period): r for r in results}
    assert list(got) == [("河B", "2023-05"), ("河B", "2023-06"), ("湖A", "2023-05")]
    lake = got["湖A", "2023-05"].section
    assert lake.means["TP"] == pytest.approx(0.06)
    assert lake.per_parameter == {"TP": "IV", "Hg": "I"}  # lake TP row; Hg = 0.00002
    assert lake.nondetect == ("Hg",)
    river = got["河B", "2023-05"]
    assert river.section.means == {"NH3-N": pytest.approx((1.2 + 0.0125) / 2)}
    assert river.section.nondetect == ("NH3-N",)
    assert river.n_samples == {"NH3-N": 2}
    assert got["河B", "2023-06"].section.class_name == "II"


def test_series_censoring_from_the_detection_limit_alone() -> None:
    times = np.array(["2023-01-01", "2023-02-01", "2023-03-01"], dtype="datetime64[D]")
    # No censored column: ND (NaN) and a value below its detection limit both count as DL/2.
    results = classify_series(
        ["s"] * 3,
        ["NH3-N"] * 3,
        times,
        [np.nan, 0.01, 0.9],
        detection_limit=[0.025] * 3,
        water_body_types="river",
    )
    assert results[0].section.means["NH3-N"] == pytest.approx((0.0125 + 0.0125 + 0.9) / 3)
    assert results[0].period == "2023"
    # Censored without a detection limit: the value is the limit ("<0.05").
    results = classify_series(["s"], ["NH3-N"], times[:1], [0.05], censored=[True], water_body_types="river")
    assert results[0].section.means["NH3-N"] == pytest.approx(0.025)
    # A missing value that is no non-detect is left out.
    results = classify_series(["s"] * 2, ["NH3-N"] * 2, times[:2], [np.nan, 0.4], water_body_types="river")
    assert results[0].n_samples == {"NH3-N": 1}


def test_series_input_errors() -> None:
    times = np.array(["2023-01-01"], dtype="datetime64[D]")
    with pytest.raises(DataError, match="water-body type"):
        classify_series(["x"], ["TP"], times, [0.1], water_body_types={"y": "river"})
    with pytest.raises(DataError, match="same length"):
        classify_series(["x", "x"], ["TP"], times, [0.1], water_body_types="river")
    with pytest.raises(DataError, match="unknown parameter"):
        classify_series(["x"], ["总憐"], times, [0.1], water_body_types="river")
    with pytest.raises(DataError, match="time"):
        classify_series(
            ["x"], ["TP"], np.array(["NaT"], dtype="datetime64[D]"), [0.1], water_body_types="river"
        )
    assert classify_series(["x"], ["PM2.5"], times, [30.0], water_body_types="river") == []


SERIES_PARAMS = ["DO", "NH3-N", "TP", "CODMn", "pH", "TN", "Cd", "fecal_coliform"]
_LIMIT_VALUES = sorted(
    {
        limit
        for pid in SERIES_PARAMS
        for body in ("river", "lake")
        for ladder in [class_limits(pid, water_body_type=body)]
        if ladder is not None
        for limit in ladder.limits
    }
)


Row = tuple[str, str, str, float, bool]  # site, parameter, date, value, censored
ROWS = st.lists(
    st.tuples(
        st.sampled_from(["S1", "S2", "L1"]),
        st.sampled_from(SERIES_PARAMS),
        st.sampled_from(["2022-12-31", "2023-01-01", "2023-01-15", "2023-02-10", "2023-12-01"]),
        st.one_of(st.sampled_from(_LIMIT_VALUES), st.floats(min_value=0, max_value=50, allow_nan=False)),
        st.booleans(),
    ),
    min_size=1,
    max_size=60,
)


def _run(rows: list[Row], period: Literal["month", "year"]) -> list[gb3838.PeriodClass]:
    sites, params, dates, values, censored = zip(*rows, strict=True)
    return classify_series(
        np.array(sites),
        np.array(params),
        np.array(dates, dtype="datetime64[D]"),
        np.array(values, dtype=float),
        water_body_types={"S1": "river", "S2": "river", "L1": "lake"},
        period=period,
        censored=np.array(censored, dtype=bool),
    )


@FAST
@given(ROWS, st.sampled_from(["month", "year"]), st.data())
def test_series_is_the_class_of_its_means_whatever_the_row_order(
    rows: list[Row], period: Literal["month", "year"], data: st.DataObject
) -> None:
    results = _run(rows, period)
    assert _run(data.draw(st.permutations(rows)), period) == results

    # Means recomputed row by row, non-detects (censored values are the detection limit) halved.
    groups: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for site, pid, date, value, cens in rows:
        label = date[:7] if period == "month" else date[:4]
        groups[site, label, pid].append(value / 2 if cens else value)
    assert [(r.site, r.period) for r in results] == sorted({(s, p) for s, p, _ in groups})
    for r in results:
        expected = {
            pid: math.fsum(v) / len(v) for (s, p, pid), v in groups.items() if (s, p) == (r.site, r.period)
        }
        assert dict(r.section.means) == pytest.approx(expected, rel=1e-12, abs=1e-15)
        # A period's class is the class of its means.
        again = classify_section(
            r.section.means, water_body_type=r.section.water_body_type, nondetect=r.section.nondetect
        )
        assert again == r.section
        assert r.section.water_body_type == ("lake" if r.site == "L1" else "river")


# --- rivers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("classes", "status"),
    [
        ([3] * 9 + [4], "优"),  # I–III exactly 90 %
        ([2] * 9 + [6], "优"),
        ([3] * 6 + [4] * 2, "良好"),  # exactly 75 %
        ([3] * 8 + [4, 6], "良好"),
        ([3] * 14 + [4] * 4 + [6] * 2, "轻度污染"),  # 70 %, 劣V 10 %
        ([3] * 5 + [4] * 3 + [6] * 2, "中度污染"),  # 劣V exactly 20 %
        ([4] * 7 + [6] * 3, "中度污染"),
        ([3] * 6 + [6] * 4, "重度污染"),  # 劣V exactly 40 %
        ([3, 3, 3, 6, 6], "重度污染"),  # I–III 60 %, 劣V 40 %: the case the "< 60 %" reading leaves open
        ([6] * 5, "重度污染"),
    ],
)
def test_river_status_by_proportions(classes: list[int], status: str) -> None:
    assert classify_river(classes)[0] == status


def test_river_with_fewer_than_five_sections_uses_the_means() -> None:
    with pytest.raises(ValueError, match="at least 5"):
        classify_river([3, 3, 3, 3])
    with pytest.raises(DataError):
        classify_river([3, 3, 3, 3, 0])
    sections = [{"NH3-N": 0.9, "DO": 6.5}, {"NH3-N": 1.3, "DO": 5.5}, {"氨氮": np.nan}]
    result = classify_river_means(sections)
    assert result.means == pytest.approx({"DO": 6.0, "NH3-N": 1.1})
    assert (result.class_name, result.status_zh) == ("IV", "轻度污染")
    assert assess_river(sections) == ("轻度污染", "slightly polluted")
    five = [{"NH3-N": 0.9}] * 3 + [{"NH3-N": 2.5}] * 2
    assert assess_river(five) == ("重度污染", "heavily polluted")

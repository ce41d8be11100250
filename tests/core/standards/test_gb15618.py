"""GB 15618-2018 agricultural-land soil: screening/intervention values, pH bands, land uses, categories."""

from __future__ import annotations

import csv
import io
import math
import random
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envplan_core.errors import DataError, UnitError
from envplan_core.parameters import ParameterRegistry, normalise_name
from envplan_core.standards import all_parameters, gb15618, gb36600
from envplan_core.standards.gb15618 import (
    CATEGORIES,
    INTERVENTION_ITEMS,
    ITEMS,
    PARAMETERS,
    classify_arrays,
    classify_plot,
    classify_sample,
    intervention_value,
    judge_item,
    parse_land_use,
    ph_band,
    screening_value,
    to_mg_per_kg,
)

FAST = settings(max_examples=150, deadline=None, database=None)
REFERENCE = Path("/work/shared/reference")
DATA_FILES = ("gb15618_2018_agricultural_soil.csv", "gb15618_2018_classification_rules.csv")
BANDS = ("pH_le_5.5", "pH_5.5_to_6.5", "pH_6.5_to_7.5", "pH_gt_7.5")
# One pH inside each band, and each band's upper edge (which belongs to that band).
PH_IN_BAND = (5.0, 6.0, 7.0, 8.0)
PH_EDGE = (5.5, 6.5, 7.5)
LAND_USES = ("paddy", "other", "orchard", "rotation")


def _rows() -> list[dict[str, str]]:
    text = (resources.files("envplan_core.standards") / "data" / DATA_FILES[0]).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def category(values: dict[str, float], ph: float = 7.0, land_use: str = "other") -> str:
    return classify_sample(values, ph=ph, land_use=land_use).category


# --- parameters ----------------------------------------------------------------------------------


def test_parameters() -> None:
    assert [p.id for p in PARAMETERS] == [
        "soil_Cd", "soil_Hg", "soil_As", "soil_Pb", "soil_Cr", "soil_Cu", "soil_Ni", "soil_Zn",
        "soil_HCH_total", "soil_DDT_total", "soil_BaP", "soil_pH",
    ]  # fmt: skip
    assert {p.medium for p in PARAMETERS} == {"soil"}
    assert {p.unit for p in PARAMETERS if p.id != "soil_pH"} == {"mg/kg"}
    assert {p.lower_bound for p in PARAMETERS} == {0.0}
    ph = gb15618.BY_ID["soil_pH"]
    assert (ph.unit, ph.lower_bound, ph.upper_bound) == ("dimensionless", 0.0, 14.0)
    assert {"pH", "酸碱度", "pH值"} <= set(ph.aliases)
    cd = gb15618.BY_ID["soil_Cd"]
    assert cd.name_zh == "镉" and cd.name_en == "cadmium"
    assert {"Cd", "总镉"} <= set(cd.aliases)
    assert cd.source == "GB 15618-2018 表1, 表3; GB 36600-2018 表1"


def test_soil_ids_do_not_clash_with_other_standards() -> None:
    soil = {p.id for p in (*gb15618.PARAMETERS, *gb36600.PARAMETERS)}
    others = {p.id for p in all_parameters() if p.medium != "soil"}
    assert soil.isdisjoint(others)
    assert all(pid.startswith("soil_") for pid in soil)
    registry = ParameterRegistry()
    for p in (*all_parameters(), *gb15618.PARAMETERS, *gb36600.PARAMETERS):
        registry.add(p)  # one unit per id, shared Cd/Hg/As/Pb/Cu/Ni/BaP included
    for spelling in ("soil_Cd", "土壤镉", "总镉", "soil_pH", "土壤pH"):
        found = registry.resolve(spelling)
        assert found is not None and found.medium == "soil"


def test_spellings_resolve_and_never_name_two_soil_parameters() -> None:
    seen: dict[str, str] = {}
    for p in (*gb15618.PARAMETERS, *gb36600.PARAMETERS):
        for name in (p.id, p.name_zh, p.name_en, *p.aliases):
            assert seen.setdefault(normalise_name(name), p.id) == p.id, name
    for spelling in ("Cd", "镉", "总镉", "cadmium", "ＣＤ", "soil_Cd"):
        assert judge_item(spelling, 0.1, ph=7.0, land_use="other") == "le_screening"
    assert screening_value("六六六", ph=7.0, land_use="paddy") == 0.10
    assert screening_value("BaP", ph=7.0, land_use="paddy") == 0.55
    with pytest.raises(DataError, match="not a GB 15618"):
        screening_value("benzene", ph=7.0, land_use="paddy")


@pytest.mark.parametrize("name", DATA_FILES)
@pytest.mark.skipif(not REFERENCE.is_dir(), reason="shared reference folder not present")
def test_packaged_tables_are_the_reference_copies(name: str) -> None:
    packaged = resources.files("envplan_core.standards") / "data" / name
    assert packaged.read_bytes() == (REFERENCE / name).read_bytes()


# --- values --------------------------------------------------------------------------------------


def test_every_number_in_the_table_is_loaded() -> None:
    """Each CSV cell, read back through the public API at a pH inside its band and at its upper edge."""
    uses = {"水田": ("paddy",), "果园": ("orchard",), "其他": ("other",), "全部": LAND_USES}
    checked = 0
    for row in _rows():
        pid = next(p.id for p in PARAMETERS if p.name_zh == row["parameter_zh"])
        for band, column in enumerate(BANDS):
            expected = float(row[column])
            for ph in (PH_IN_BAND[band], *(PH_EDGE[band : band + 1])):
                if row["value_type"] == "intervention":
                    assert intervention_value(pid, ph=ph) == expected
                    checked += 1
                    continue
                for use in uses[row["land_use_zh"]]:
                    assert screening_value(pid, ph=ph, land_use=use) == expected, (pid, ph, use)
                    checked += 1
    assert checked > 0
    assert len(_rows()) == 22  # Table 1: 14 rows, Table 3: 5, Table 2: 3


def test_values_against_an_independent_encoding() -> None:
    """github:HuangWuwutelling/ml-learning projects/gb15618-miniapp/data/gb15618_limits.js
    (commit 9dfcf6f, read 2025): LIMITS[水田|旱地|果园][metal] = {screening, control} by pH band.
    The reference CSV was cross-checked against lensis22414017/SRS; this file is the other author's."""
    js: dict[tuple[str, str], tuple[list[float], list[float] | None]] = {
        ("paddy", "soil_Cd"): ([0.3, 0.4, 0.6, 0.8], [1.5, 2, 3, 4]),
        ("paddy", "soil_Hg"): ([0.5, 0.5, 0.6, 1.0], [2.0, 2.5, 4, 6]),
        ("paddy", "soil_As"): ([30, 30, 25, 20], [200, 150, 120, 100]),
        ("paddy", "soil_Pb"): ([80, 100, 140, 240], [400, 500, 700, 1000]),
        ("paddy", "soil_Cr"): ([250, 250, 300, 350], [800, 850, 1000, 1300]),
        ("paddy", "soil_Cu"): ([50, 50, 100, 100], None),
        ("other", "soil_Cd"): ([0.3, 0.3, 0.3, 0.6], [1.5, 2, 3, 4]),
        ("other", "soil_Hg"): ([1.3, 1.8, 2.4, 3.4], [2.0, 2.5, 4, 6]),
        ("other", "soil_Pb"): ([70, 90, 120, 170], [400, 500, 700, 1000]),
        ("orchard", "soil_Cu"): ([150, 150, 200, 200], None),
        ("orchard", "soil_Cd"): ([0.3, 0.3, 0.3, 0.6], [1.5, 2, 3, 4]),
        ("orchard", "soil_Zn"): ([200, 200, 250, 300], None),
        ("orchard", "soil_Ni"): ([60, 70, 100, 190], None),
    }
    for (use, pid), (screening, control) in js.items():
        for band, ph in enumerate(PH_IN_BAND):
            assert screening_value(pid, ph=ph, land_use=use) == screening[band]
            assert intervention_value(pid, ph=ph) == (None if control is None else control[band])


# --- pH bands ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ph", "band"), [(0.0, 0), (5.5, 0), (5.51, 1), (6.5, 1), (6.51, 2), (7.5, 2), (7.51, 3), (14.0, 3)]
)
def test_ph_band_edges_belong_to_the_lower_band(ph: float, band: int) -> None:
    assert ph_band(ph) == band


@pytest.mark.parametrize(
    ("ph", "expected"), [(5.5, 0.3), (5.6, 0.4), (6.5, 0.4), (6.6, 0.6), (7.5, 0.6), (7.6, 0.8)]
)
def test_paddy_cd_at_each_edge(ph: float, expected: float) -> None:
    assert screening_value("Cd", ph=ph, land_use="水田") == expected


def test_arsenic_intervention_falls_with_ph() -> None:
    assert [intervention_value("As", ph=ph) for ph in (5.5, 6.5, 7.5, 7.6)] == [200, 150, 120, 100]


@pytest.mark.parametrize("ph", [None, math.nan, float("nan")])
def test_missing_ph_is_an_error_naming_the_sample(ph: float | None) -> None:
    with pytest.raises(DataError, match=r"'S-07'.*no soil pH"):
        classify_sample({"Cd": 0.1}, ph=ph, land_use="paddy", sample="S-07")
    with pytest.raises(DataError, match="row 12") as info:
        classify_sample({"Cd": 0.1}, ph=ph, land_use="paddy", row=12)
    assert info.value.row == 12


@pytest.mark.parametrize("ph", [-0.1, 14.01, "acid"])
def test_ph_outside_0_14_is_an_error(ph: object) -> None:
    with pytest.raises(DataError, match="'S1'"):
        classify_sample({"Cd": 0.1}, ph=ph, land_use="paddy", sample="S1")  # type: ignore[arg-type]


def test_ph_may_come_with_the_values_but_not_twice_differently() -> None:
    assert classify_sample({"Cd": 0.5, "pH": 8.0}, land_use="paddy").category == "priority_protection"
    assert classify_sample({"Cd": 0.5, "pH值": 8.0}, ph=8.0, land_use="paddy").ph == 8.0
    with pytest.raises(DataError, match="two different pH"):
        classify_sample({"Cd": 0.5, "pH": 8.0}, ph=6.0, land_use="paddy")


# --- land uses -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "use"),
    [("水田", "paddy"), ("paddy", "paddy"), ("旱地", "other"), ("upland", "other"), ("其他", "other"),
     ("果园", "orchard"), ("Orchard", "orchard"), ("水旱轮作", "rotation"), ("rotation", "rotation")],
)  # fmt: skip
def test_land_use_names(name: str, use: str) -> None:
    assert parse_land_use(name) == use


def test_unknown_land_use() -> None:
    with pytest.raises(DataError, match="unknown GB 15618 land use"):
        parse_land_use("forest")


def test_orchard_vs_other_copper() -> None:
    """examples.md D2: orchard, pH 7.8, Cu 180 → 优先保护类 (orchard value 200; "other" 100 would flag it)."""
    assert screening_value("Cu", ph=7.8, land_use="orchard") == 200
    assert screening_value("Cu", ph=7.8, land_use="paddy") == 100  # paddy is 其他 for Cu
    assert category({"Cu": 180}, ph=7.8, land_use="果园") == "priority_protection"
    assert category({"Cu": 180}, ph=7.8, land_use="水田") == "safe_utilisation"
    assert category({"Cu": 200}, ph=7.8, land_use="orchard") == "priority_protection"  # equality meets


def test_paddy_vs_other() -> None:
    assert screening_value("Hg", ph=7.0, land_use="paddy") == 0.6
    assert screening_value("Hg", ph=7.0, land_use="other") == 2.4
    assert screening_value("Cr", ph=7.0, land_use="paddy") == 300  # paddy is the laxer one for Cr
    assert screening_value("Cr", ph=7.0, land_use="orchard") == 200  # orchards are 其他 for Cr
    assert category({"Hg": 1.0}, ph=7.0, land_use="paddy") == "safe_utilisation"
    assert category({"Hg": 1.0}, ph=7.0, land_use="旱地") == "priority_protection"


@pytest.mark.parametrize("pid", ITEMS)
@pytest.mark.parametrize("ph", [*PH_IN_BAND, *PH_EDGE])
def test_rotation_takes_the_stricter_of_paddy_and_other(pid: str, ph: float) -> None:
    paddy = screening_value(pid, ph=ph, land_use="paddy")
    other = screening_value(pid, ph=ph, land_use="other")
    assert screening_value(pid, ph=ph, land_use="水旱轮作") == min(paddy, other)
    assert screening_value("Cr", ph=ph, land_use="rotation") == screening_value("Cr", ph=ph, land_use="other")
    assert screening_value("Hg", ph=ph, land_use="rotation") == screening_value("Hg", ph=ph, land_use="paddy")


# --- per item and per sample -------------------------------------------------------------------


def test_boundaries_screening_meets_at_equality_intervention_is_strict() -> None:
    # paddy, pH 6.0 (5.5 < pH ≤ 6.5): Cd screening 0.4, intervention 2.0
    assert judge_item("Cd", 0.4, ph=6.0, land_use="paddy") == "le_screening"
    assert judge_item("Cd", 0.41, ph=6.0, land_use="paddy") == "gt_screening_le_intervention"
    assert judge_item("Cd", 2.0, ph=6.0, land_use="paddy") == "gt_screening_le_intervention"
    assert judge_item("Cd", 2.01, ph=6.0, land_use="paddy") == "gt_intervention"
    assert judge_item("Zn", 250, ph=7.0, land_use="other") == "le_screening"
    assert judge_item("Zn", 9999, ph=7.0, land_use="other") == "gt_screening"


def test_worked_examples_d1_d3() -> None:
    """Reference examples.md §D."""
    d1 = classify_sample({"Cd": 0.45}, ph=6.0, land_use="paddy", sample="D1")
    assert (d1.category, d1.category_zh) == ("safe_utilisation", "安全利用类")
    (e,) = d1.exceedances
    assert (e.parameter, e.value, e.screening, e.intervention, e.unit, e.sample) == (
        "soil_Cd",
        0.45,
        0.4,
        2.0,
        "mg/kg",
        "D1",
    )
    assert d1.rule_ids == ("AG-02", "AG-04") and "农艺调控" in d1.rule_zh and "§7.2" in d1.rule_en
    d3 = classify_sample({"Cd": 1.6}, ph=5.0, land_use="旱地", sample="D3")
    assert (d3.category_zh, d3.exceeds_intervention) == ("严格管控类", ("soil_Cd",))
    assert d3.rule_ids == ("AG-03", "AG-04") and "严格管控" in d3.rule_zh


def test_copper_nickel_zinc_and_table_2_are_at_worst_safe_utilisation() -> None:
    huge = {"Cu": 1e6, "Ni": 1e6, "Zn": 1e6, "HCH": 1e6, "滴滴涕总量": 1e6, "BaP": 1e6}
    result = classify_sample(huge, ph=5.0, land_use="paddy", sample="P")
    assert result.category == "safe_utilisation"
    assert {e.level for e in result.exceedances} == {"gt_screening"}
    assert {e.intervention for e in result.exceedances} == {None}
    assert result.rule_ids == ("AG-01", "AG-04") and "至多为安全利用类" in result.rule_zh
    assert {"soil_Cd", "soil_Hg", "soil_As", "soil_Pb", "soil_Cr"} == INTERVENTION_ITEMS
    plot = classify_plot([result, classify_sample({"Cd": 0.1}, ph=5.0, land_use="paddy")])
    assert plot.category == "safe_utilisation"
    assert category({"Cu": 1e6, "Pb": 401}, ph=5.0, land_use="paddy") == "strict_control"


def test_priority_protection_and_result_fields() -> None:
    r = classify_sample({"镉": 0.3, "汞": None, "As": math.nan}, ph=5.5, land_use="paddy", sample="A")
    assert r.category == "priority_protection" and r.exceedances == ()
    assert dict(r.values) == {"soil_Cd": 0.3} and dict(r.levels) == {"soil_Cd": "le_screening"}
    assert (r.ph_band, r.land_use, r.rule_ids) == ("pH≤5.5", "paddy", ("AG-01", "AG-04"))


def test_bad_input() -> None:
    with pytest.raises(DataError, match="given twice"):
        classify_sample({"Cd": 0.1, "镉": 0.2}, ph=7, land_use="other")
    with pytest.raises(DataError, match="unknown parameter 'Cdd'"):
        classify_sample({"Cdd": 0.1}, ph=7, land_use="other")
    assert classify_sample({"Cdd": 0.1, "Cd": 1}, ph=7, land_use="other", ignore_unknown=True).ignored == (
        "Cdd",
    )
    assert classify_sample({"benzene": 9, "Cd": 0.1}, ph=7, land_use="other").ignored == ("benzene",)
    with pytest.raises(DataError, match="no GB 15618-2018 item"):
        classify_sample({"Cd": None}, ph=7, land_use="other", sample="S")
    with pytest.raises(DataError, match="not a concentration"):
        classify_sample({"Cd": -1}, ph=7, land_use="other")
    with pytest.raises(DataError, match="no samples"):
        classify_plot([], plot="T1")


# --- units ---------------------------------------------------------------------------------------


def test_unit_conversion() -> None:
    assert to_mg_per_kg([300.0], "µg/kg")[0] == pytest.approx(0.3)
    assert to_mg_per_kg([0.3], "g/kg")[0] == pytest.approx(300.0)
    assert to_mg_per_kg([2.0], "毫克/千克")[0] == 2.0
    for unit in ("mg/L", "ug/m3", "dimensionless", "%", "ppm"):
        with pytest.raises(UnitError):
            to_mg_per_kg([1.0], unit)
    # 0.3 mg/kg through µg/kg is 0.30000000000000004: still at the screening value, not above it
    r = classify_sample({"Cd": 300.0}, ph=5.0, land_use="paddy", unit="µg/kg")
    assert r.category == "priority_protection" and r.values["soil_Cd"] == pytest.approx(0.3)
    with pytest.raises(UnitError):
        classify_sample({"Cd": 0.3}, ph=5.0, land_use="paddy", unit="mg/L")


# --- vectorised ----------------------------------------------------------------------------------


def test_arrays_match_samples_and_name_bad_rows() -> None:
    values = {"Cd": [0.45, 1.6, np.nan, 0.1], "Cu": [1.0, 1.0, np.nan, 120.0]}
    codes = classify_arrays(values, [6.0, 5.0, 7.0, 7.5], ["paddy", "旱地", "orchard", "other"])
    assert codes.tolist() == [1, 2, -1, 1]
    with pytest.raises(DataError, match="'B'"):
        classify_arrays({"Cd": [0.1, 0.1]}, [7.0, np.nan], "paddy", labels=["A", "B"])
    with pytest.raises(DataError, match="index 0"):
        classify_arrays({"Cd": [0.1]}, [15.0], "paddy")


# --- properties ----------------------------------------------------------------------------------

PHS = st.one_of(st.sampled_from([*PH_IN_BAND, *PH_EDGE, 0.0, 14.0]), st.floats(0.0, 14.0))
CONCENTRATION = st.one_of(
    st.floats(0.0, 2000.0), st.sampled_from([0.0, 0.1, 0.3, 0.4, 0.55, 2.0, 30, 100, 200])
)
SAMPLE = st.dictionaries(st.sampled_from(ITEMS), CONCENTRATION, min_size=1)


@FAST
@given(SAMPLE, PHS, st.sampled_from(LAND_USES), st.sampled_from(ITEMS), st.floats(0.0, 1000.0))
def test_raising_a_concentration_never_improves_the_category(
    values: dict[str, float], ph: float, use: str, item: str, extra: float
) -> None:
    before = CATEGORIES.index(category(values, ph, use))
    raised = {**values, item: values.get(item, 0.0) + extra}
    assert CATEGORIES.index(category(raised, ph, use)) >= before


@FAST
@given(SAMPLE, PHS, st.sampled_from(LAND_USES))
def test_mg_per_kg_to_ug_per_kg_never_changes_the_verdict(
    values: dict[str, float], ph: float, use: str
) -> None:
    in_ug = {k: v * 1000.0 for k, v in values.items()}
    a = classify_sample(values, ph=ph, land_use=use)
    b = classify_sample(in_ug, ph=ph, land_use=use, unit="µg/kg")
    assert a.category == b.category and dict(a.levels) == dict(b.levels)


@FAST
@given(st.lists(st.tuples(SAMPLE, PHS, st.sampled_from(LAND_USES)), min_size=1, max_size=6), st.randoms())
def test_sample_order_never_changes_the_plot(
    samples: list[tuple[dict[str, float], float, str]], rnd: random.Random
) -> None:
    results = [classify_sample(v, ph=ph, land_use=u, sample=str(i)) for i, (v, ph, u) in enumerate(samples)]
    shuffled = list(results)
    rnd.shuffle(shuffled)
    a, b = classify_plot(results), classify_plot(shuffled)
    assert a.category == b.category == max((r.category for r in results), key=CATEGORIES.index)
    assert set(a.deciding) == set(b.deciding) and a.rule_ids == b.rule_ids


@FAST
@given(st.lists(st.tuples(SAMPLE, PHS, st.sampled_from(LAND_USES)), min_size=1, max_size=8))
def test_arrays_agree_with_samples(samples: list[tuple[dict[str, float], float, str]]) -> None:
    columns = {pid: [v.get(pid, math.nan) for v, _, _ in samples] for pid in ITEMS}
    codes = classify_arrays(columns, [ph for _, ph, _ in samples], [u for _, _, u in samples])
    expected = [CATEGORIES.index(category(v, ph, u)) for v, ph, u in samples]
    assert codes.tolist() == expected


def test_a_missing_ph_column_does_not_hide_the_argument() -> None:
    assert classify_sample({"Cd": 0.5, "pH": math.nan}, ph=8.0, land_use="paddy").ph == 8.0
    with pytest.raises(DataError, match="no soil pH"):
        classify_sample({"Cd": 0.5, "pH": None}, land_use="paddy")

"""GB 36600-2018 construction-land soil: 85 items, land classes, verdicts, background footnote, plots."""

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
from envplan_core.standards import gb15618, gb36600
from envplan_core.standards.gb36600 import (
    BASIC_ITEMS,
    FOOTNOTE_A_ITEMS,
    ITEMS,
    LEVELS,
    OTHER_ITEMS,
    PARAMETERS,
    Level,
    classify_arrays,
    classify_plot,
    classify_sample,
    intervention_value,
    item_values,
    judge_item,
    land_class,
    screening_value,
    to_mg_per_kg,
)

FAST = settings(max_examples=150, deadline=None, database=None)
REFERENCE = Path("/work/shared/reference")
DATA_FILE = "gb36600_2018_construction_soil.csv"


def _rows() -> list[dict[str, str]]:
    text = (resources.files("envplan_core.standards") / "data" / DATA_FILE).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def level(
    values: dict[str, float], land_use: str = "first", background: dict[str, float] | None = None
) -> Level:
    return classify_sample(values, land_use=land_use, background=background).level


# --- table and parameters ----------------------------------------------------------------------


def test_85_items_45_basic_and_40_other() -> None:
    assert len(_rows()) == 85
    assert (len(ITEMS), len(BASIC_ITEMS), len(OTHER_ITEMS), len(PARAMETERS)) == (85, 45, 40, 85)
    assert len(set(ITEMS)) == 85
    assert ITEMS[:7] == ("soil_As", "soil_Cd", "soil_CrVI", "soil_Cu", "soil_Pb", "soil_Hg", "soil_Ni")
    assert OTHER_ITEMS[-1] == "soil_TPH"


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="shared reference folder not present")
def test_packaged_table_is_the_reference_copy() -> None:
    packaged = resources.files("envplan_core.standards") / "data" / DATA_FILE
    assert packaged.read_bytes() == (REFERENCE / DATA_FILE).read_bytes()


def test_every_number_name_and_cas_in_the_table_is_loaded() -> None:
    for row, pid in zip(_rows(), ITEMS, strict=True):
        values = item_values(pid)
        assert (values.table, values.item_no, values.name_zh, values.name_en, values.cas) == (
            row["table"],
            int(row["item_no"]),
            row["parameter_zh"],
            row["parameter_en"],
            row["cas"],
        )
        for cls, s_col, i_col in (
            ("first", "screening_class1", "intervention_class1"),
            ("second", "screening_class2", "intervention_class2"),
        ):
            # Every cell has a value in this table (none is blank or "—").
            assert screening_value(pid, cls) == float(row[s_col])
            assert intervention_value(pid, cls) == float(row[i_col])
        assert gb36600.BY_ID[pid].name_zh == row["parameter_zh"]
        if row["cas"][0].isdigit() and "," not in row["cas"]:
            assert row["cas"] in gb36600.BY_ID[pid].aliases or pid in gb15618.BY_ID


def test_parameters_are_soil_mg_per_kg_and_shared_with_gb15618() -> None:
    assert {(p.medium, p.unit, p.lower_bound) for p in PARAMETERS} == {("soil", "mg/kg", 0.0)}
    assert all(p.id.startswith("soil_") for p in PARAMETERS)
    shared = {"soil_Cd", "soil_Hg", "soil_As", "soil_Pb", "soil_Cu", "soil_Ni", "soil_BaP"}
    assert set(gb36600.BY_ID) & set(gb15618.BY_ID) == shared
    for pid in shared:
        assert gb36600.BY_ID[pid] is gb15618.BY_ID[pid]
    assert "soil_Cr" not in gb36600.BY_ID and "soil_CrVI" not in gb15618.BY_ID
    assert item_values("Cr(VI)").parameter_id == "soil_CrVI"
    assert item_values("苯").parameter_id == "soil_benzene"
    assert item_values("71-43-2").parameter_id == "soil_benzene"
    assert item_values("DDT").parameter_id == "soil_DDT"  # o,p'+p,p'-DDT; GB 15618's total is soil_DDT_total
    assert item_values("石油烃").parameter_id == "soil_TPH"


def test_values_against_independent_sources() -> None:
    """Spot checks, not taken from the reference CSV:

    * a public Python encoding of GB 36600 found by code search (a module titled "GB 36600—2018 限值库",
      "数值由原文文字层逐行解析" — parsed from the text layer of the official PDF; the search tool did not
      resolve its repository), ``screen=(first, second), control=(first, second)``;
    * https://www.qianlima.com/bid-575390723.html (a published site report): As 119 mg/kg "超出…第二类用地
      筛选值（60mg/kg）";
    * reference examples.md D4 (As: first class 20/120, second class screening 60).
    """
    python_encoding = {
        "顺-1,2-二氯乙烯": ((66, 596), (200, 2000)),
        "2-氯酚": ((250, 2256), (500, 4500)),
        "铬（六价）": ((3.0, 5.7), (30, 78)),
        "1,1,1-三氯乙烷": ((701, 840), (840, 840)),
        "3,3',4,4',5-五氯联苯（PCB 126）": ((4e-5, 1e-4), (4e-4, 1e-3)),
        "二噁英类（总毒性当量）": ((1e-5, 4e-5), (1e-4, 4e-4)),
        "钴": ((20, 70), (190, 350)),
        "滴滴涕": ((2.0, 6.7), (21, 67)),
        "石油烃（C10-C40）": ((826, 4500), (5000, 9000)),
    }
    for name, ((s1, s2), (c1, c2)) in python_encoding.items():
        assert (screening_value(name, "first"), screening_value(name, "second")) == (s1, s2), name
        assert (intervention_value(name, "first"), intervention_value(name, "second")) == (c1, c2), name
    assert screening_value("As", "M") == 60
    assert (screening_value("砷", "R"), intervention_value("arsenic", "R")) == (20, 120)
    # Footnote a marks As, Co and V in that encoding too (bg_note=True).
    assert {"soil_As", "soil_Co", "soil_V"} == FOOTNOTE_A_ITEMS


# --- land classes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("land_use", "cls"),
    [
        ("R", "first"), ("R21", "first"), ("住宅用地", "first"), ("二类居住用地", "first"), ("A33", "first"),
        ("中小学用地", "first"), ("A5", "first"), ("A51", "first"), ("医院用地", "first"), ("A6", "first"),
        ("社会福利设施用地", "first"), ("社区公园", "first"), ("儿童公园", "first"), ("一住两公", "first"),
        ("第一类用地", "first"), ("first", "first"), ("r2", "first"),
        ("M", "second"), ("M3", "second"), ("工业用地", "second"), ("W1", "second"), ("物流仓储用地", "second"),
        ("B", "second"), ("B11", "second"), ("零售商业用地", "second"), ("S", "second"), ("S42", "second"),
        ("U", "second"), ("U21", "second"), ("A1", "second"), ("A31", "second"), ("高等院校用地", "second"),
        ("A4", "second"), ("G2", "second"), ("G3", "second"), ("第二类用地", "second"), ("industrial", "second"),
    ],
)  # fmt: skip
def test_land_use_to_class(land_use: str, cls: str) -> None:
    assert land_class(land_use) == cls


@pytest.mark.parametrize(
    "land_use", ["A", "A3", "G", "G1", "公园绿地", "教育科研用地", "公共管理与公共服务用地"]
)
def test_class_spanning_land_uses_are_refused(land_use: str) -> None:
    with pytest.raises(DataError, match="spans both GB 36600 classes"):
        land_class(land_use)


@pytest.mark.parametrize("land_use", ["X9", "farmland", "H14", "R9", ""])
def test_unknown_land_use_lists_the_known_ones(land_use: str) -> None:
    with pytest.raises(DataError, match=r"unknown land use .*R21.*A33.*M1.*G3"):
        land_class(land_use)


# --- verdicts ----------------------------------------------------------------------------------


def test_worked_example_d4() -> None:
    """Reference examples.md D4: As 50 mg/kg."""
    first = classify_sample({"As": 50}, land_use="R21", sample="D4")
    assert (first.level, first.land_class, first.class_zh) == (
        "gt_screening_le_intervention",
        "first",
        "第一类用地",
    )
    assert first.exceeds_screening == ("soil_As",) and first.exceeds_intervention == ()
    (e,) = first.exceedances
    assert (e.parameter, e.value, e.screening, e.intervention, e.unit, e.sample) == (
        "soil_As",
        50.0,
        20.0,
        120.0,
        "mg/kg",
        "D4",
    )
    assert first.rule_ids == ("CS-01", "CS-03", "CS-04") and "详细调查" in first.rule_zh
    second = classify_sample({"As": 50}, land_use="M1", sample="D4")
    assert (second.level, second.exceedances, second.rule_ids) == ("le_screening", (), ("CS-01", "CS-02"))


def test_boundaries() -> None:
    # benzene, first class: screening 1, intervention 10
    assert judge_item("benzene", 1, "first") == "le_screening"
    assert judge_item("benzene", 1.0001, "first") == "gt_screening_le_intervention"
    assert judge_item("benzene", 10, "first") == "gt_screening_le_intervention"
    assert judge_item("benzene", 10.0001, "first") == "gt_intervention"
    assert judge_item("benzene", 10.0001, "second") == "gt_screening_le_intervention"
    # 1,2-dichlorobenzene: screening = intervention = 560 in both classes
    assert judge_item("1,2-二氯苯", 560, "R") == "le_screening"
    assert judge_item("1,2-二氯苯", 561, "R") == "gt_intervention"
    r = classify_sample({"Pb": 801, "Cd": 1}, land_use="R", sample="S")
    assert (r.level, r.exceeds_intervention, r.rule_ids) == (
        "gt_intervention",
        ("soil_Pb",),
        ("CS-01", "CS-05"),
    )


def test_background_exemption_is_explicit_and_limited_to_footnote_items() -> None:
    no_bg = classify_sample({"As": 25}, land_use="R")
    assert no_bg.level == "gt_screening_le_intervention" and no_bg.exempted == ()
    at_bg = classify_sample({"As": 25}, land_use="R", background={"砷": 25})
    assert (at_bg.level, at_bg.exempted, at_bg.exceeds_screening) == ("le_screening", ("soil_As",), ())
    (e,) = at_bg.exceedances
    assert (e.exempted, e.background) == (True, 25.0)
    assert "CS-06" in at_bg.rule_ids and "土壤环境背景值" in at_bg.rule_zh
    above_bg = classify_sample({"As": 25.1}, land_use="R", background={"As": 25})
    assert above_bg.level == "gt_screening_le_intervention" and above_bg.exempted == ()
    assert level({"Co": 60, "V": 200}, background={"Co": 80, "钒": 250}) == "le_screening"
    with pytest.raises(DataError, match="footnote a"):
        classify_sample({"Cd": 25}, land_use="R", background={"Cd": 30})
    extended = classify_sample({"Cd": 25}, land_use="R", background={"Cd": 30}, background_any_item=True)
    assert extended.level == "le_screening" and extended.exempted == ("soil_Cd",)
    # the background is in the values' unit
    ug = classify_sample({"As": 25_000}, land_use="R", background={"As": 25_000}, unit="µg/kg")
    assert ug.level == "le_screening"


def test_ignored_and_bad_input() -> None:
    r = classify_sample({"As": 1, "pH": 7.2, "Zn": 100, "铬": 50}, land_use="R")
    assert r.ignored == ("pH", "Zn", "铬")
    with pytest.raises(DataError, match="unknown parameter"):
        classify_sample({"Ass": 1}, land_use="R")
    assert classify_sample({"Ass": 1, "As": 1}, land_use="R", ignore_unknown=True).ignored == ("Ass",)
    with pytest.raises(DataError, match=r"sample 'S2'.*no GB 36600"):
        classify_sample({"As": math.nan}, land_use="R", sample="S2")
    with pytest.raises(DataError, match="not a concentration"):
        classify_sample({"As": -1}, land_use="R")
    with pytest.raises(UnitError):
        classify_sample({"As": 1}, land_use="R", unit="mg/L")
    assert to_mg_per_kg([40.0], "ng/kg")[0] == pytest.approx(4e-5)


def test_plot_worst_sample_decides() -> None:
    a = classify_sample({"As": 10}, land_use="R", sample="A")
    b = classify_sample({"As": 130}, land_use="R", sample="B")
    c = classify_sample({"As": 50, "Pb": 500}, land_use="R", sample="C")
    plot = classify_plot([a, b, c], plot="P1")
    assert (plot.level, plot.deciding, plot.land_class) == ("gt_intervention", ("B",), "first")
    assert plot.exceeds_screening == ("soil_As", "soil_Pb") and plot.exceeds_intervention == ("soil_As",)
    assert [e.sample for e in plot.exceedances] == ["B", "C", "C"]
    with pytest.raises(DataError, match="both first- and second-class"):
        classify_plot([a, classify_sample({"As": 10}, land_use="M", sample="D")], plot="P2")
    with pytest.raises(DataError, match="no samples"):
        classify_plot([], plot="P3")


def test_arrays() -> None:
    codes = classify_arrays(
        {"As": [10, 50, 130, np.nan], "benzene": [0.1, 0.1, 0.1, np.nan]}, "R", background={"As": 60}
    )
    assert codes.tolist() == [0, 0, 2, -1]
    with pytest.raises(DataError, match="'y'"):
        classify_arrays({"As": [1.0, -1.0]}, "R", labels=["x", "y"])


# --- properties --------------------------------------------------------------------------------

LAND = st.sampled_from(["R", "M", "A33", "B11", "一住两公", "G2"])
# Values around each item's own limits, so that every level is reached.
SAMPLE = st.dictionaries(
    st.sampled_from(ITEMS),
    st.one_of(st.floats(0.0, 20_000.0), st.sampled_from([0.0, 1.0, 20.0, 60.0, 120.0, 140.0, 560.0])),
    min_size=1,
    max_size=12,
)


@st.composite
def sample_at_limits(draw: st.DrawFn) -> dict[str, float]:
    pid = draw(st.sampled_from(ITEMS))
    values = item_values(pid)
    limits = [v for v in (values.screening_first, values.screening_second) if v is not None]
    limits += [v for v in (values.intervention_first, values.intervention_second) if v is not None]
    factor = draw(st.sampled_from([0.5, 1.0, 1.5, 3.0]))
    return {**draw(SAMPLE), pid: draw(st.sampled_from(limits)) * factor}


SAMPLES = st.one_of(SAMPLE, sample_at_limits())


@FAST
@given(SAMPLES, LAND, st.sampled_from(ITEMS), st.floats(0.0, 5000.0))
def test_raising_a_concentration_never_improves_the_level(
    values: dict[str, float], land_use: str, item: str, extra: float
) -> None:
    before = LEVELS.index(level(values, land_use))
    raised = {**values, item: values.get(item, 0.0) + extra}
    assert LEVELS.index(level(raised, land_use)) >= before


@FAST
@given(SAMPLES, LAND)
def test_mg_per_kg_to_ug_per_kg_never_changes_the_verdict(values: dict[str, float], land_use: str) -> None:
    a = classify_sample(values, land_use=land_use)
    b = classify_sample({k: v * 1000.0 for k, v in values.items()}, land_use=land_use, unit="µg/kg")
    assert (a.level, dict(a.levels), a.exceeds_screening) == (b.level, dict(b.levels), b.exceeds_screening)


@FAST
@given(st.lists(SAMPLES, min_size=1, max_size=6), LAND, st.randoms())
def test_sample_order_never_changes_the_plot(
    samples: list[dict[str, float]], land_use: str, rnd: random.Random
) -> None:
    results = [classify_sample(v, land_use=land_use, sample=str(i)) for i, v in enumerate(samples)]
    shuffled = list(results)
    rnd.shuffle(shuffled)
    a, b = classify_plot(results), classify_plot(shuffled)
    assert a.level == b.level == max((r.level for r in results), key=LEVELS.index)
    assert set(a.deciding) == set(b.deciding)
    assert (a.exceeds_screening, a.exceeds_intervention) == (b.exceeds_screening, b.exceeds_intervention)


@FAST
@given(SAMPLES, LAND, st.floats(0.0, 500.0), st.floats(0.0, 500.0))
def test_a_higher_background_never_worsens_the_level(
    values: dict[str, float], land_use: str, low: float, extra: float
) -> None:
    lower = level(values, land_use, background={"As": low})
    higher = level(values, land_use, background={"As": low + extra})
    assert LEVELS.index(higher) <= LEVELS.index(lower)


@FAST
@given(st.lists(SAMPLES, min_size=1, max_size=6), LAND, st.floats(0.0, 200.0))
def test_arrays_agree_with_samples(samples: list[dict[str, float]], land_use: str, bg: float) -> None:
    columns = {pid: [v.get(pid, math.nan) for v in samples] for pid in ITEMS}
    codes = classify_arrays(columns, land_use, background={"As": bg, "Co": bg})
    expected = [LEVELS.index(level(v, land_use, background={"As": bg, "Co": bg})) for v in samples]
    assert codes.tolist() == expected

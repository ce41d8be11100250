"""``classify_soil`` (``envplan classify soil``): the standards' boundaries, units, the file layout, errors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from envplan_core import DataError
from envplan_soil.classify import classify_soil, parse_backgrounds
from envplan_soil.samples import read_samples, soil_parameter

COLUMNS = ["site", "sample", "parameter", "value", "unit", "land_use", "pH"]
Row = tuple[Any, ...]


def frame(rows: Sequence[Row], columns: Sequence[str] = COLUMNS) -> pd.DataFrame:
    result: pd.DataFrame = pd.DataFrame([list(r) for r in rows], columns=list(columns))
    return result


def agri(rows: Sequence[Row], **kw: Any) -> list[dict[str, Any]]:
    return classify_soil(frame(rows), land="agricultural", **kw)


def build(rows: Sequence[Row], **kw: Any) -> list[dict[str, Any]]:
    return classify_soil(frame(rows), land="construction", **kw)


def samples_of(result: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["sample"]: r for r in result if r["scope"] == "sample"}


def plots_of(result: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["site"]: r for r in result if r["scope"] == "plot"}


def category(item: str, value: float, ph: float, use: str = "旱地", unit: str = "mg/kg") -> str:
    (r,) = samples_of(agri([("P", "S", item, value, unit, use, ph)])).values()
    return str(r["category"])


def level(item: str, value: float, use: str, unit: str = "mg/kg") -> str:
    (r,) = samples_of(build([("P", "S", item, value, unit, use, "")])).values()
    return str(r["level"])


# -- GB 15618: boundaries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.6, "priority_protection"),  # at the screening value (pH > 7.5, other): meets it
        (0.6000001, "safe_utilisation"),
        (4.0, "safe_utilisation"),  # at the intervention value: not above it
        (4.0000001, "strict_control"),
    ],
)
def test_cadmium_at_the_screening_and_intervention_values(value: float, expected: str) -> None:
    assert category("镉", value, 8.0) == expected


@pytest.mark.parametrize(
    ("ph", "band", "screening"),
    [
        (5.5, "pH≤5.5", 0.3),
        (5.5000001, "5.5<pH≤6.5", 0.4),
        (6.5, "5.5<pH≤6.5", 0.4),
        (7.5, "6.5<pH≤7.5", 0.6),
        (7.5000001, "pH>7.5", 0.8),
    ],
)
def test_ph_edges_belong_to_the_lower_band(ph: float, band: str, screening: float) -> None:
    """Table 1: pH ≤ 5.5, 5.5 < pH ≤ 6.5, 6.5 < pH ≤ 7.5, pH > 7.5 — an edge is in the lower band."""
    result = samples_of(agri([("P", "S", "Cd", screening, "mg/kg", "水田", ph)]))["S"]
    assert result["pH_band"] == band
    assert result["category"] == "priority_protection"
    over = samples_of(agri([("P", "S", "Cd", screening * 1.01, "mg/kg", "水田", ph)]))["S"]
    assert over["exceedances"][0]["screening"] == screening
    assert over["category"] == "safe_utilisation"


def test_orchard_copper_against_other_land() -> None:
    # pH 7.8: orchard 200, other (paddy included) 100; Cu has no intervention value.
    assert category("铜", 150, 7.8, "果园") == "priority_protection"
    assert category("铜", 150, 7.8, "旱地") == "safe_utilisation"
    assert category("铜", 150, 7.8, "水田") == "safe_utilisation"
    assert category("铜", 5000, 7.8, "果园") == "safe_utilisation"  # never strict control


def test_paddy_and_rotation_take_their_rows() -> None:
    # pH 6.0: Cd paddy 0.4, other 0.3; rotation takes the stricter (0.3).
    assert category("镉", 0.35, 6.0, "水田") == "priority_protection"
    assert category("镉", 0.35, 6.0, "其他") == "safe_utilisation"
    assert category("镉", 0.35, 6.0, "水旱轮作") == "safe_utilisation"


def test_exceedance_record_and_rule() -> None:
    result = agri(
        [
            ("图斑1", "S1", "Cd", 0.72, "mg/kg", "水浇地", 8.0),
            ("图斑1", "S1", "Pb", 20, "mg/kg", "水浇地", 8.0),
        ]
    )
    sample = samples_of(result)["S1"]
    assert sample["exceedances"] == [
        {
            "sample": "S1",
            "parameter": "soil_Cd",
            "name_zh": "镉",
            "value": 0.72,
            "screening": 0.6,
            "intervention": 4.0,
            "unit": "mg/kg",
            "level": "gt_screening_le_intervention",
            "nondetect": False,
        }
    ]
    assert sample["rule"]["ids"] == ["AG-02", "AG-04"]
    assert (sample["land_use"], sample["land_use_given"], sample["pH"]) == ("other", "水浇地", 8.0)
    assert sample["values"] == {"soil_Cd": 0.72, "soil_Pb": 20.0}
    assert sample["rows"] == [2, 3]


# -- units ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit"),
    [
        (0.7, "mg/kg"),
        (700, "µg/kg"),
        (700, "ug/kg"),
        (0.0007, "g/kg"),
        (0.7, "毫克/千克"),
        (700, "微克/千克"),
    ],
)
def test_units_convert_to_mg_per_kg(value: float, unit: str) -> None:
    result = samples_of(agri([("P", "S", "Cd", value, unit, "旱地", 8.0)]))["S"]
    assert result["values"]["soil_Cd"] == pytest.approx(0.7)
    assert result["category"] == "safe_utilisation"


@pytest.mark.parametrize("unit", ["mg/L", "µg/L", "%", "ppm", "", "mg"])
def test_a_unit_that_is_not_mass_per_mass_is_an_error(unit: str) -> None:
    with pytest.raises(DataError) as err:
        agri([("P", "S", "Cd", 0.2, unit, "旱地", 8.0)])
    assert err.value.row == 2 and err.value.column == "unit"
    assert "<DataFrame>" in str(err.value)


def test_bare_symbols_are_soil_parameters() -> None:
    assert soil_parameter("Cd") == "soil_Cd"  # not the water parameter Cd (mg/L)
    assert soil_parameter("总镉") == "soil_Cd"
    assert soil_parameter("苯并(a)芘") == "soil_BaP"
    assert soil_parameter("pH值") == "soil_pH"
    assert soil_parameter("氨氮") is None


# -- the file: pH, land use, every row used or reported -------------------------------------------------------


def test_agricultural_sample_without_ph_is_an_error_naming_the_row() -> None:
    rows = [("P", "S1", "Cd", 0.2, "mg/kg", "旱地", 8.0), ("P", "S2", "Cd", 0.2, "mg/kg", "旱地", "")]
    with pytest.raises(DataError) as err:
        agri(rows)
    assert (err.value.row, err.value.column) == (3, "pH")
    assert "S2" in str(err.value) and "pH" in str(err.value)
    # Construction land needs no pH.
    assert samples_of(build([("P", "S2", "As", 10, "mg/kg", "R21", "")]))["S2"]["pH"] is None


def test_ph_as_a_row_and_as_a_column() -> None:
    rows = [("P", "S", "Cd", 0.35, "mg/kg", "水田", ""), ("P", "S", "pH", 6.0, "无量纲", "水田", "")]
    assert samples_of(agri(rows))["S"]["pH"] == 6.0
    both = [("P", "S", "Cd", 0.35, "mg/kg", "水田", 6.0), ("P", "S", "pH", 6.0, "", "水田", 6.0)]
    assert samples_of(agri(both))["S"]["pH_band"] == "5.5<pH≤6.5"
    clash = [("P", "S", "Cd", 0.35, "mg/kg", "水田", 6.0), ("P", "S", "pH", 7.0, "", "水田", "")]
    with pytest.raises(DataError, match="two pH values"):
        agri(clash)
    with pytest.raises(DataError, match="between 0 and 14") as err:
        agri([("P", "S", "Cd", 0.35, "mg/kg", "水田", 15)])
    assert err.value.column == "pH"


def test_problems_are_collected_and_named() -> None:
    rows = [
        ("P", "S1", "镉镉", 0.2, "mg/kg", "旱地", 8.0),
        ("P", "S1", "Cd", -1, "mg/kg", "旱地", 8.0),
        ("P", "S1", "Pb", "abc", "mg/kg", "旱地", 8.0),
        ("P", "S2", "Cd", 0.2, "mg/kg", "旱地", 8.0),
        ("P", "S2", "Cd", 0.3, "mg/kg", "旱地", 8.0),
        ("", "S3", "Cd", 0.3, "mg/kg", "旱地", 8.0),
    ]
    with pytest.raises(DataError) as err:
        agri(rows)
    text = str(err.value)
    assert "5 problems" in text  # S1's rows all fail: "no measured item" is not reported on top
    for fragment in (
        "row 2, column 'parameter'",
        "镉镉",
        "row 3, column 'value'",
        "negative",
        "row 4",
        "row 6, column 'parameter': soil_Cd given twice",
        "first at row 5",
        "row 7, column 'site'",
    ):
        assert fragment in text, fragment
    assert len(err.value.problems) == 5


def test_land_use_per_sample_and_default() -> None:
    rows = [("P", "S", "Cd", 0.35, "mg/kg", "", 6.0)]
    with pytest.raises(DataError) as err:
        agri(rows)
    assert err.value.column == "land_use"
    assert samples_of(agri(rows, land_use="水田"))["S"]["land_use"] == "paddy"
    two = [("P", "S", "Cd", 0.35, "mg/kg", "水田", 6.0), ("P", "S", "Pb", 20, "mg/kg", "旱地", 6.0)]
    with pytest.raises(DataError, match="two land uses"):
        agri(two)
    with pytest.raises(DataError, match="unknown GB 15618 land use") as err2:
        agri([("P", "S", "Cd", 0.35, "mg/kg", "森林", 6.0)])
    assert (err2.value.row, err2.value.column) == (2, "land_use")
    mixed_plot = [
        ("P", "S1", "Cd", 0.35, "mg/kg", "水田", 6.0),
        ("P", "S2", "Cd", 0.35, "mg/kg", "果园", 6.0),
    ]
    with pytest.raises(DataError, match="different land uses"):
        agri(mixed_plot)


def test_items_the_standard_does_not_judge_are_listed_not_dropped() -> None:
    rows = [("P", "S", "Cd", 0.2, "mg/kg", "旱地", 8.0), ("P", "S", "苯", 0.02, "mg/kg", "旱地", 8.0)]
    sample = samples_of(agri(rows))["S"]
    assert sample["ignored"] == [{"parameter": "soil_benzene", "name_zh": "苯", "row": 3}]
    assert sample["rows"] == [2, 3]
    # A sample with no item of the standard at all is an error, not an empty verdict.
    with pytest.raises(DataError, match="no GB 15618-2018 item"):
        agri([("P", "S", "苯", 0.02, "mg/kg", "旱地", 8.0)])
    zn = samples_of(
        build([("P", "S", "Zn", 100, "mg/kg", "M1", ""), ("P", "S", "As", 5, "mg/kg", "M1", "")])
    )["S"]
    assert [i["parameter"] for i in zn["ignored"]] == ["soil_Zn"]


def test_non_detects_are_judged_at_their_detection_limit() -> None:
    below = samples_of(agri([("P", "S", "Cd", "<0.1", "mg/kg", "旱地", 8.0)]))["S"]
    assert below["category"] == "priority_protection" and below["nondetect"] == ["soil_Cd"]
    l_suffix = samples_of(agri([("P", "S", "Cd", "0.1L", "mg/kg", "旱地", 8.0)]))["S"]
    assert l_suffix["values"] == {"soil_Cd": 0.1}
    # A detection limit above the screening value cannot show compliance: reported, flagged.
    coarse = samples_of(agri([("P", "S", "Cd", "<0.8", "mg/kg", "旱地", 8.0)]))["S"]
    assert coarse["category"] == "safe_utilisation"
    assert coarse["exceedances"][0]["nondetect"] is True
    with pytest.raises(DataError, match="needs a detection_limit"):
        agri([("P", "S", "Cd", "ND", "mg/kg", "旱地", 8.0)])
    cols = [*COLUMNS, "detection_limit"]
    nd = classify_soil(
        frame([("P", "S", "Cd", "未检出", "mg/kg", "旱地", 8.0, "0.05")], cols), land="agricultural"
    )
    assert samples_of(nd)["S"]["values"] == {"soil_Cd": 0.05}


# -- plots -----------------------------------------------------------------------------------------------------


def test_a_plot_takes_its_worst_sample() -> None:
    rows = [
        ("图斑2", "S2", "Cd", 0.2, "mg/kg", "旱地", 8.0),
        ("图斑2", "S10", "Cd", 5.0, "mg/kg", "旱地", 8.0),
        ("图斑2", "S1", "Cd", 0.7, "mg/kg", "旱地", 8.0),
        ("图斑10", "A", "Cd", 0.2, "mg/kg", "旱地", 7.0),
    ]
    result = agri(rows)
    # Natural order: 图斑2 before 图斑10, S1, S2, S10; each plot before its samples.
    assert [(r["site"], r["sample"]) for r in result] == [
        ("图斑2", None),
        ("图斑2", "S1"),
        ("图斑2", "S2"),
        ("图斑2", "S10"),
        ("图斑10", None),
        ("图斑10", "A"),
    ]
    plot = plots_of(result)["图斑2"]
    assert (plot["category"], plot["deciding_samples"], plot["pH_range"]) == (
        "strict_control",
        ["S10"],
        [8.0, 8.0],
    )
    assert {e["sample"] for e in plot["exceedances"]} == {"S1", "S10"}
    assert plots_of(result)["图斑10"]["category"] == "priority_protection"


# -- GB 36600 -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "use", "expected", "exceeded"),
    [
        (20, "R21", "le_screening", None),  # first class: screening 20, intervention 120
        (20.0001, "住宅用地", "gt_screening_le_intervention", "screening"),
        (120, "第一类用地", "gt_screening_le_intervention", "screening"),
        (120.0001, "一住两公", "gt_intervention", "intervention"),
        (60, "M1", "le_screening", None),  # second class: screening 60, intervention 140
        (140.0001, "工业用地", "gt_intervention", "intervention"),
    ],
)
def test_arsenic_at_the_construction_land_values(
    value: float, use: str, expected: str, exceeded: str | None
) -> None:
    (r,) = samples_of(build([("P", "S", "砷", value, "mg/kg", use, "")])).values()
    assert (r["level"], r["class_exceeded"]) == (expected, exceeded)
    assert r["land_class"] == ("first" if use in ("R21", "住宅用地", "第一类用地", "一住两公") else "second")


def test_a_use_spanning_both_classes_is_an_error() -> None:
    with pytest.raises(DataError, match="spans both GB 36600 classes") as err:
        build([("P", "S", "As", 10, "mg/kg", "A", "")])
    assert (err.value.row, err.value.column) == (2, "land_use")


def test_background_exempts_footnote_a_items() -> None:
    rows = [("P", "S", "As", 24, "mg/kg", "R21", "")]
    assert samples_of(build(rows))["S"]["level"] == "gt_screening_le_intervention"
    exempt = samples_of(build(rows, background=parse_backgrounds(["As=25 mg/kg"])))["S"]
    assert (exempt["level"], exempt["exempted"]) == ("le_screening", ["soil_As"])
    assert exempt["exceedances"][0]["exempted"] is True


# -- files ------------------------------------------------------------------------------------------------------


def test_csv_with_chinese_headers_gb18030_and_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "样品.csv"
    text = (
        "地块,样品编号,检测项目,含量,单位,用地类型,pH值,备注\n"
        "图斑1,S1,镉,0.35,mg/kg,水田,6.0,合成\n"
        ",,,,,,,\n"
        "图斑1,S1,铅,30,mg/kg,水田,6.0,合成\n"
        "图斑1,S1,汞,5,mg/L,水田,6.0,合成\n"
    )
    path.write_bytes(text.encode("gb18030"))
    with pytest.raises(DataError) as err:
        classify_soil(str(path), land="agricultural")
    assert (err.value.file, err.value.row, err.value.column) == (str(path), 5, "unit")  # the blank row counts
    path.write_bytes(text.rsplit("图斑1,S1,汞", 1)[0].encode("gb18030"))
    (plot, sample) = classify_soil(str(path), land="agricultural")
    assert sample["rows"] == [2, 4] and plot["category"] == "priority_protection"


def test_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "samples.xlsx"
    frame([("P", "S", "Cd", 0.72, "mg/kg", "旱地", 8.0)]).to_excel(path, index=False)
    (_, sample) = classify_soil(str(path), land="agricultural")
    assert (sample["category"], sample["pH"]) == ("safe_utilisation", 8.0)


def test_unknown_columns_and_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("site,sample,parameter,value,unit,pH,colour\nP,S,Cd,0.2,mg/kg,8,red\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown column") as err:
        read_samples(str(path), land="agricultural", land_use="旱地")
    assert err.value.row == 1
    assert (
        read_samples(str(path), land="agricultural", land_use="旱地", ignore_extra_columns=True)[0].ph == 8.0
    )
    path.write_text("site,parameter,value,unit\nP,Cd,0.2,mg/kg\n", encoding="utf-8")
    with pytest.raises(DataError, match="no 'sample' column"):
        read_samples(str(path), land="agricultural")
    with pytest.raises(DataError, match="no such file"):
        read_samples(str(tmp_path / "missing.csv"), land="agricultural")


def test_the_example_files(examples: Path) -> None:
    agricultural = classify_soil(str(examples / "soil_samples_agricultural.csv"), land="agricultural")
    assert {k: v["category"] for k, v in plots_of(agricultural).items()} == {
        "示例图斑01": "priority_protection",
        "示例图斑02": "safe_utilisation",
        "示例图斑03": "priority_protection",
        "示例图斑04": "strict_control",
        "示例图斑05": "safe_utilisation",
    }
    rows = sum(len(r["rows"]) for r in agricultural if r["scope"] == "sample")
    with (examples / "soil_samples_agricultural.csv").open(encoding="utf-8") as handle:
        assert rows == sum(1 for _ in handle) - 1  # every row used (judged, or listed as not judged)
    construction = classify_soil(str(examples / "soil_samples_construction.csv"), land="construction")
    assert {k: (v["land_class"], v["class_exceeded"]) for k, v in plots_of(construction).items()} == {
        "示例地块A": ("first", "screening"),
        "示例地块B": ("second", "screening"),
        "示例地块C": ("first", "intervention"),
    }


def test_a_value_under_no_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "stray.csv"
    path.write_text(
        "site,sample,parameter,value,unit,land_use,pH\nP,S,Cd,0.2,mg/kg,旱地,8,0.5\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match="column without a name") as err:
        classify_soil(str(path), land="agricultural")
    assert (err.value.row, err.value.column) == (2, "column 8")

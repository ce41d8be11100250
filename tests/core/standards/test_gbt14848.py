"""GB/T 14848-2017 groundwater quality classes: table, single-indicator and point classes, units."""

from __future__ import annotations

import ast
import csv
import io
import math
from decimal import Decimal
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envplan_core.errors import DataError, UnitError
from envplan_core.parameters import ParameterRegistry, normalise_name
from envplan_core.standards import black_odorous, gb3095, gb3838, gbt14848, stack
from envplan_core.standards.gbt14848 import (
    BY_ID,
    CLASS_NAMES,
    NON_ROUTINE_PARAMETERS,
    PARAMETERS,
    ROUTINE_PARAMETERS,
    SHARED_WITH_GB3838,
    class_code,
    class_limits,
    classify_period,
    classify_sample,
    parameter_classes,
    presence,
    to_canonical,
)

FAST = settings(max_examples=150, deadline=None, database=None)
REFERENCE = Path("/work/shared/reference")
CLASSES = ("I", "II", "III", "IV", "V")


def _rows() -> list[dict[str, str]]:
    text = (resources.files("envplan_core.standards") / "data" / "gbt14848_2017_groundwater.csv").read_text(
        encoding="utf-8"
    )
    return list(csv.DictReader(io.StringIO(text)))


ROWS = _rows()
MAX_IDS = [p for p in BY_ID if class_limits(p).comparison == "max"]
MASS_IDS = [p.id for p in PARAMETERS if p.unit == "mg/L"]


def one(pid: str, value: float | str, unit: str | None = None) -> int:
    return int(parameter_classes(pid, np.array([value]), unit=unit)[0])


def oracle(row: dict[str, str], x: Decimal) -> int:
    """Class of ``x`` (in the printed unit) read straight off the CSV cells: first class whose limit ≥ x."""
    for k, cell in enumerate(row[f"class_{c}"] for c in CLASSES[:4]):
        if cell.startswith(">"):  # gross α/β: Ⅳ is "> Ⅲ limit", so anything above Ⅲ is Ⅳ
            return k + 1
        limit = Decimal(0) if cell.startswith("不得检出") else Decimal(cell)
        if x <= limit:
            return k + 1
    return 5


# --- the table ------------------------------------------------------------------------------------


def test_all_93_items_load_in_the_standards_order() -> None:
    assert len(PARAMETERS) == len(ROWS) == 93
    assert (len(ROUTINE_PARAMETERS), len(NON_ROUTINE_PARAMETERS)) == (39, 54)
    assert [class_limits(p.id).item_no for p in PARAMETERS] == list(range(1, 94))
    assert len({p.id for p in PARAMETERS}) == 93
    assert {p.medium for p in PARAMETERS} == {"groundwater"}
    assert [p.source for p in PARAMETERS].count("GB/T 14848-2017 表1") == 39
    assert [p.name_zh for p in PARAMETERS[:5]] == ["色", "嗅和味", "浑浊度", "肉眼可见物", "pH"]
    assert ROUTINE_PARAMETERS[-2:] == ("gross_alpha", "gross_beta")
    assert NON_ROUTINE_PARAMETERS[0] == "Be"
    assert NON_ROUTINE_PARAMETERS[-1] == "glyphosate"


def test_every_numeric_limit_round_trips() -> None:
    checked = 0
    for row in ROWS:
        ladder = class_limits(PARAMETERS[int(row["item_no"]) - 1].id)
        cells = tuple(row[f"class_{c}"] for c in CLASSES)
        assert ladder.printed == cells
        assert ladder.printed_unit == row["unit"]
        scale = Decimal("0.001") if row["unit"] == "μg/L" else Decimal(1)
        if row["limit_type"] != "max":
            continue
        for k, cell in enumerate(cells[:4]):
            if cell.startswith(("不得检出", ">")):
                continue
            limit = ladder.limits[k]
            assert limit == float(Decimal(cell) * scale)  # exact: the nearest double to the decimal
            assert math.isclose(limit, float(cell) * float(scale), rel_tol=1e-15)
            checked += 1
            if row["unit"] == "μg/L":  # the printed value in the printed unit lands on its own class
                assert one(ladder.parameter_id, float(cell), unit="μg/L") == oracle(row, Decimal(cell))
    assert checked == 90 * 4 - 1 - 2  # 90 max items × 4 classes, minus LAS Ⅰ and gross α/β Ⅳ


def test_special_ladders() -> None:
    ph = class_limits("pH")
    assert (ph.comparison, ph.bounds) == ("range", ((6.5, 8.5),) * 3 + ((5.5, 9.0),))
    assert ph.class_iii is None
    las = class_limits("阴离子表面活性剂")
    assert (las.not_detected_class_i, las.limits, las.class_iii) == (True, (0.0, 0.1, 0.3, 0.3), 0.3)
    assert class_limits("gross_alpha").limits == (0.1, 0.1, 0.5, math.inf)
    assert class_limits("gross_beta").limits == (0.1, 1.0, 1.0, math.inf)
    for pid in ("odour_taste", "visible_matter"):
        assert (class_limits(pid).comparison, class_limits(pid).limits) == ("presence", (0.0,) * 4)
    assert class_limits("benzene").limits == (0.0005, 0.001, 0.01, 0.12)
    assert class_limits("BaP").limits == (0.000002, 0.000002, 0.00001, 0.0005)
    with pytest.raises(DataError):
        class_limits("PM2.5")


@pytest.mark.parametrize(
    ("limit_type", "cells"),
    [
        ("max", ("0.1", "0.2", "0.15", "2.0", ">2.0")),  # out of order
        ("max", ("0.1", "0.2", "0.3", "2.0", ">3.0")),  # class V does not continue class IV
        ("max", ("0.1", "x", "0.3", "2.0", ">2.0")),  # not a number
        ("range", ("6.5-8.5", "6.5-8.5", "6.5-8.5", "5.5-6.0 or 8.5-9.0", "<5.5 or >9.0")),  # gap below III
        (
            "range",
            ("6.5-8.5", "6.5-8.5", "6.5-8.5", "5.5-6.5 or 8.5-9.0", "<5.0 or >9.0"),
        ),  # V not outside IV
        ("text", ("无", "无", "无", "有", "有")),
        ("min", ("1", "2", "3", "4", "<4")),
    ],
)
def test_malformed_rows_are_rejected(limit_type: str, cells: tuple[str, ...]) -> None:
    row = {"item_no": "0", "limit_type": limit_type, "unit": "mg/L"}
    row.update({f"class_{c}": cell for c, cell in zip(CLASSES, cells, strict=True)})
    with pytest.raises(ValueError, match="item 0"):
        gbt14848._parse_ladder(row)


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="shared reference folder not present")
def test_packaged_table_is_the_reference_copy() -> None:
    packaged = resources.files("envplan_core.standards") / "data" / "gbt14848_2017_groundwater.csv"
    assert packaged.read_bytes() == (REFERENCE / "gbt14848_2017_groundwater.csv").read_bytes()


def test_ids_shared_with_gb3838_agree_on_the_unit() -> None:
    assert SHARED_WITH_GB3838 == (
        "pH", "SO4", "Cl", "Fe", "Mn", "Cu", "Zn", "volatile_phenol", "LAS", "CODMn", "NH3-N", "S2-",
        "NO3-N", "CN", "F", "Hg", "As", "Se", "Cd", "Cr6+", "Pb",
    )  # fmt: skip
    for pid in SHARED_WITH_GB3838:
        assert BY_ID[pid].unit == gb3838.BY_ID[pid].unit
    assert "total_coliform" not in gb3838.BY_ID  # 总大肠菌群 is not GB 3838's 粪大肠菌群
    assert {p.unit for p in PARAMETERS} == {"mg/L", "dimensionless", "NTU", "MPN/100mL", "CFU/mL", "Bq/L"}


def test_spellings_resolve_to_one_parameter_among_the_water_and_air_standards() -> None:
    registry = ParameterRegistry()
    for module in (gb3095, gb3838, black_odorous, stack, gbt14848):
        for parameter in module.PARAMETERS:
            registry.add(parameter)  # raises if an id is declared with two units
    for p in PARAMETERS:
        for name in (p.id, p.name_zh, p.name_en, *p.aliases):
            resolved = registry.resolve(name)
            assert resolved is not None
            assert resolved.id == p.id, name
    for spelling, pid in [
        ("耗氧量", "CODMn"), ("高锰酸盐指数", "CODMn"), ("挥发性酚类", "volatile_phenol"), ("总大肠菌群", "total_coliform"),
        ("菌落总数", "total_bacteria"), ("亚硝酸盐", "NO2-N"), ("钴", "cobalt"), ("γ-六六六", "lindane"),
        ("总α放射性", "gross_alpha"), ("ＣＣｌ４", "carbon_tetrachloride"), ("2,4-滴", "2,4-D"),
    ]:  # fmt: skip
        assert gbt14848.resolve(spelling) == pid
    co = registry.resolve("Co")  # why cobalt's id is "cobalt": names match case-insensitively
    assert co is not None and co.id == "CO"


def test_module_imports_only_the_vocabulary_and_other_standards() -> None:
    allowed = (
        "envplan_core.units",
        "envplan_core.parameters",
        "envplan_core.errors",
        "envplan_core.standards",
    )
    for name in ("gbt14848.py", "_gbt14848_names.py"):
        path = Path(gbt14848.__file__).with_name(name)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            for module in modules:
                if module.startswith("envplan_core"):
                    assert module.startswith(allowed), f"{name} imports {module}"
                else:
                    assert module.split(".")[0] in {"__future__", "numpy", "attrs", *_stdlib()}, module


def _stdlib() -> set[str]:
    import sys

    return set(sys.stdlib_module_names)


# --- single-indicator classes -----------------------------------------------------------------------


@pytest.mark.parametrize("row", [r for r in ROWS if r["limit_type"] == "max"], ids=lambda r: r["item_no"])
def test_each_limit_and_just_above(row: dict[str, str]) -> None:
    pid = PARAMETERS[int(row["item_no"]) - 1].id
    unit = row["unit"] if row["unit"] in ("mg/L", "μg/L") else None
    for cell in (row[f"class_{c}"] for c in CLASSES[:4]):
        if cell.startswith(("不得检出", ">")):
            continue
        at, above = Decimal(cell), Decimal(cell) * Decimal("1.000001")
        assert one(pid, float(at), unit) == oracle(row, at), cell
        assert one(pid, float(above), unit) == oracle(row, above), cell
    iv = row["class_IV"]
    if not iv.startswith(">"):
        assert one(pid, float(Decimal(iv) * 2), unit) == 5  # above the class Ⅳ limit: Ⅴ


def test_equal_limits_in_adjacent_classes_go_to_the_better_class() -> None:
    assert parameter_classes("turbidity", [3, 3.0001, 10, 10.001]).tolist() == [1, 4, 4, 5]
    assert parameter_classes("total_coliform", [3.0, 3.1, 100, 101]).tolist() == [1, 4, 4, 5]
    assert parameter_classes("total_bacteria", [100, 101, 1000, 1001]).tolist() == [1, 4, 4, 5]
    assert parameter_classes("F", [1.0, 1.01]).tolist() == [1, 4]
    assert parameter_classes("Se", [0.01, 0.0101]).tolist() == [1, 4]
    assert parameter_classes("Tl", [0.0001, 0.00011, 0.001]).tolist() == [1, 4, 4]
    assert parameter_classes("Mn", [0.05, 0.06, 0.10]).tolist() == [1, 3, 3]
    assert parameter_classes("LAS", [0.3, 0.31]).tolist() == [3, 5]  # Ⅲ = Ⅳ = 0.3
    assert parameter_classes("DEHP", [3, 3.1], unit="µg/L").tolist() == [1, 3]


def test_volatile_phenols_example_of_section_6_2() -> None:
    # The example of GB/T 14848-93 §6.2 (text read at http://www.atozguy.com/AspCode/NewShow.asp?ArticleID=39219
    # &ArticlePage=34); 2017 §6.2 keeps the rule (从优不从劣): 0.001 mg/L is Ⅰ, not Ⅱ.
    assert one("挥发性酚类", 0.001) == 1
    assert one("挥发性酚类", 1.0, unit="µg/L") == 1


def test_ph_boundaries_on_both_sides() -> None:
    values = [6.5, 6.4999, 8.5, 8.5001, 5.5, 5.4999, 9.0, 9.0001, 7.0, 6.0, 8.8, 0.0, 14.0, np.nan]
    assert parameter_classes("pH", values).tolist() == [1, 4, 1, 4, 4, 5, 4, 5, 1, 4, 4, 5, 5, 0]
    assert one("pH", 6.5 * (1 - 1e-12)) == 1  # float noise at the boundary is not a change of class
    with pytest.raises(DataError):
        one("pH", 14.5)


def test_text_items() -> None:
    got = parameter_classes(
        "嗅和味", ["无", "有", "none", "present", "未检出", "无异臭、异味", "有异味", "0级", "2级"]
    )
    assert got.tolist() == [1, 5, 1, 5, 1, 1, 5, 1, 5]
    assert parameter_classes("肉眼可见物", [0, 1, 0.0, 3]).tolist() == [1, 5, 1, 5]
    assert (presence("yes"), presence("absent"), presence(0), presence("有少量沉淀")) == (1.0, 0.0, 0.0, 1.0)
    for bad in ("maybe", -1, "abc"):
        with pytest.raises(DataError):
            presence(bad)
    with pytest.raises(DataError):
        parameter_classes("odour_taste", [1.0], censored=[True])  # text items have no detection limit


def test_gross_alpha_and_beta_never_reach_class_v() -> None:
    assert parameter_classes("gross_alpha", [0.1, 0.5, 0.51, 1000.0]).tolist() == [1, 3, 4, 4]
    assert parameter_classes("gross_beta", [0.1, 0.11, 1.0, 1.1]).tolist() == [1, 2, 2, 4]
    assert parameter_classes("gross_beta", [1100.0], unit="mBq/L").tolist() == [4]
    result = classify_sample({"总α放射性": 0.8, "NH3-N": 0.1})
    assert (result.class_name, result.limiting) == ("IV", ("gross_alpha",))
    assert result.exceedance == pytest.approx({"gross_alpha": 0.6})
    assert len(result.notes) == 1
    assert "nuclide" in result.notes[0]


def test_anionic_surfactants_not_detected_is_class_i() -> None:
    assert parameter_classes("LAS", [0.0, 0.05, 0.1, 0.2]).tolist() == [1, 2, 2, 3]
    assert parameter_classes("LAS", [0.05, 0.5], censored=[True, True]).tolist() == [1, 1]


def test_nondetects_of_one_sample_are_classified_at_their_detection_limit() -> None:
    assert parameter_classes("Hg", [0.00004, 0.001, 0.0001], censored=True).tolist() == [1, 3, 1]
    assert parameter_classes("benzene", [0.3, 1.4, 12.0], unit="µg/L", censored=True).tolist() == [1, 3, 4]
    with pytest.raises(DataError):
        parameter_classes("pH", [7.0], censored=[True])
    with pytest.raises(DataError):
        parameter_classes("Hg", [np.nan], censored=[True])
    result = classify_sample({"Hg": "<0.00004", "As": "0.005L", "Pb": 0.02}, nondetect=())
    assert result.per_parameter == {"Hg": "I", "As": "III", "Pb": "IV"}
    assert result.nondetect == ("Hg", "As")
    assert result.exceedance == pytest.approx({"Pb": 1.0})  # no multiple for a value resting on a non-detect
    flagged = classify_sample({"汞": 0.001}, nondetect=["Hg"])
    assert flagged.per_parameter == {"Hg": "III"}
    assert flagged.nondetect == ("Hg",)


def test_negative_values_and_nan() -> None:
    with pytest.raises(DataError):
        one("Cd", -0.001)
    assert parameter_classes("Cd", [np.nan, 0.0]).tolist() == [0, 1]


def test_vectorised_equals_one_by_one() -> None:
    values = np.linspace(0, 0.02, 201)
    assert parameter_classes("Pb", values).tolist() == [one("Pb", float(v)) for v in values]
    assert parameter_classes("Pb", values.reshape(3, 67)).shape == (3, 67)


def test_class_code() -> None:
    assert [class_code(n) for n in ("I", "Ⅱ", "Ⅲ类", "4", "五类", "class V")] == [1, 2, 3, 4, 5, 5]
    assert CLASS_NAMES[class_code("Ⅳ")] == "IV"
    for bad in ("劣Ⅴ", "VI", "0", "good"):
        with pytest.raises(DataError):
            class_code(bad)


# --- independent cases: public implementations and the standard's own examples -------------------------


def test_silence_water_test_vectors() -> None:
    # github:sm1lewc/Silence.Water Silence.Water.Test/Groundwater/Services/StandardServiceTests.cs
    # (GetFactorClass_WithAmmoniaNitrogen…, …WithNitrate…, …WithZeroValue…, …WithVeryLargeValue…).
    ammonia = parameter_classes("氨氮", [0.01, 0.1, 0.5, 1.5, 2.0, 0.0, 999999])
    assert ammonia.tolist() == [1, 2, 3, 4, 5, 1, 5]
    assert parameter_classes("硝酸盐", [2.0, 5.0, 20.0, 25.0, 35.0]).tolist() == [1, 2, 3, 4, 5]
    # GetFactorsMaxClass_WithMultipleFactors_ReturnsWorstClass (asserts ≥ Ⅳ): hardness 1500 is Ⅴ.
    worst = classify_sample({"氨氮": 0.01, "硝酸盐": 5.0, "总硬度": 1500})
    assert (worst.class_name, worst.limiting) == ("V", ("total_hardness",))
    assert worst.per_parameter == {"total_hardness": "V", "NH3-N": "I", "NO3-N": "II"}
    # GetFactorsMaxClass_IgnoresNullValues: NH3-N 0.1 → Ⅱ. …WithMixedDetectionAndNumeric: Hg 0.001L with
    # NH3-N 1.5 → ≥ Ⅳ. Silence.Water calls every "…L" value Ⅰ; here Hg < 0.001 is Ⅲ (its detection limit
    # is above the Ⅰ and Ⅱ limits of 0.0001 mg/L), which does not change the point's class Ⅳ.
    assert classify_sample({"氨氮": 0.1}).class_name == "II"
    mixed = classify_sample({"汞": "0.001L", "氨氮": 1.5})
    assert (mixed.class_name, mixed.per_parameter["Hg"], mixed.limiting) == ("IV", "III", ("NH3-N",))
    # IntegrationTest_CompareDetectionLimitFormats: anionic surfactants "未检出" → Ⅰ.
    assert classify_sample({"阴离子表面活性剂": "未检出"}).per_parameter == {"LAS": "I"}


def test_workhelper_rules() -> None:
    # github:thincen/WorkHelper core/wel.go: welPH (6.5–8.5 → 1; 5.5 ≤ pH < 6.5 or 8.5 < pH ≤ 9 → 4; else 5),
    # handleSmSo ("有" → 5, else 1), 阴离子表面活性剂 "…L" → 1; std/wel.go 总α "0.1,0.1,0.5,>0.5,>0.5"
    # with core/base.go normal() giving level 4 above 0.5.
    assert parameter_classes("pH", [6.5, 8.5, 5.5, 9.0, 5.4, 9.1]).tolist() == [1, 1, 4, 4, 5, 5]
    assert parameter_classes("肉眼可见物", ["有", "无"]).tolist() == [5, 1]
    assert classify_sample({"阴离子表面活性剂": "0.05L"}).per_parameter == {"LAS": "I"}
    assert one("总α放射性", 0.6) == 4
    # std/wel.go rows read through core/base.go normal(): 铜 1 → Ⅲ, 碘化物 0.5 → Ⅳ, 甲苯 1400 µg/L → Ⅳ.
    assert (one("铜", 1.0), one("碘化物", 0.5), one("甲苯", 1400, unit="μg/L")) == (3, 4, 4)


def test_overall_class_example_of_section_6_3() -> None:
    # GB/T 14848-2017 §6.3 example as recalled (not re-read): chloride 400 mg/L and tetrachloroethylene
    # 350 μg/L are Ⅴ, every other item better, so the sample is Ⅴ with those two as its Ⅴ items.
    result = classify_sample(
        {"氯化物": 400, "四氯乙烯": 350, "pH": 7.2, "氨氮": 0.2, "总硬度": 300}, units={"四氯乙烯": "μg/L"}
    )
    assert (result.class_code, result.limiting) == (5, ("Cl", "tetrachloroethylene"))
    assert result.exceedance == pytest.approx({"Cl": 0.6, "tetrachloroethylene": 7.75})
    assert result.values["tetrachloroethylene"] == pytest.approx(0.35)


# --- point classes ----------------------------------------------------------------------------------------


def test_point_reports_judged_and_missing_routine_items() -> None:
    result = classify_sample({"pH": 7.0, "NH3-N": 0.3, "Ni": 0.01, "DO": 8.0, "COD": 12})
    assert result.judged == ("pH", "NH3-N", "Ni")  # DO and COD belong to GB 3838: ignored
    assert len(result.missing) == 37
    assert "Ni" not in result.missing
    assert "NH3-N" not in result.missing
    assert result.limiting == ("NH3-N", "Ni")
    assert result.exceedance == {}
    assert dict(result.n_samples) == {"pH": 1, "NH3-N": 1, "Ni": 1}
    with pytest.raises(TypeError):
        result.values["pH"] = 8.0  # type: ignore[index]
    empty = classify_sample({})
    assert (empty.class_code, empty.class_name, len(empty.missing)) == (0, "", 39)


def test_unknown_and_duplicate_names_raise() -> None:
    with pytest.raises(DataError):
        classify_sample({"氨氮": 0.1, "ammonium nitrate": 0.2})
    with pytest.raises(DataError):
        classify_sample({"氨氮": 0.1, "NH3-N": 0.2})
    with pytest.raises(DataError):
        classify_sample({"Hg": "trace"})
    with pytest.raises(DataError):
        classify_period(["Hg", "Cd"], [0.1])


def test_period_mean_with_nondetects_at_half_the_detection_limit() -> None:
    result = classify_period(
        ["NH3-N", "氨氮", "NH3-N", "Hg", "Hg"],
        [0.4, "ND", 0.2, "<0.00004", 0.0003],
        detection_limit=[np.nan, 0.02, np.nan, np.nan, np.nan],
    )
    assert result.values["NH3-N"] == pytest.approx((0.4 + 0.01 + 0.2) / 3)
    assert result.values["Hg"] == pytest.approx((0.00002 + 0.0003) / 2)
    assert result.per_parameter == {"NH3-N": "III", "Hg": "III"}
    assert dict(result.n_samples) == {"NH3-N": 3, "Hg": 2}
    assert result.nondetect == ("NH3-N", "Hg")


def test_period_of_only_nondetects_is_a_nondetect() -> None:
    result = classify_period(
        ["benzene", "benzene", "LAS", "LAS", "Cd", "odour_taste", "odour_taste", "odour_taste"],
        ["<0.3", "1.4L", "ND", "<0.05", 0.0001, "无", "无", "有"],
        units=["µg/L", "µg/L", None, "mg/L", None, None, "无量纲", None],
    )
    assert result.per_parameter == {"odour_taste": "V", "LAS": "I", "Cd": "I", "benzene": "III"}
    assert result.values["benzene"] == pytest.approx((0.00015 + 0.0007) / 2)
    assert result.values["LAS"] == pytest.approx(0.0125)  # ND without a limit counts as 0 for LAS
    assert result.exceedance == {}
    assert result.limiting == ("odour_taste",)
    assert (
        classify_period(["Cd"], ["<0.002"]).per_parameter == classify_sample({"Cd": "<0.002"}).per_parameter
    )


def test_period_ph_and_units_per_row() -> None:
    result = classify_period(
        ["pH", "pH", "Pb", "Pb", "total_coliform"],
        [6.2, 7.0, 8, 0.004, 40],
        units=["无量纲", "pH", "µg/L", "mg/L", "个/L"],
    )
    assert result.values["pH"] == pytest.approx(6.6)
    assert result.values["Pb"] == pytest.approx(0.006)
    assert result.values["total_coliform"] == pytest.approx(4.0)
    assert result.per_parameter == {"pH": "I", "Pb": "III", "total_coliform": "IV"}


# --- units ---------------------------------------------------------------------------------------------


def test_to_canonical() -> None:
    assert to_canonical("Hg", 0.5, "µg/L") == pytest.approx(0.0005)
    assert to_canonical("benzene", 10, "μg/L") == pytest.approx(0.01)
    assert to_canonical("总大肠菌群", 20, "个/L") == pytest.approx(2.0)
    assert to_canonical("total_coliform", 5, "CFU/100mL") == 5
    assert to_canonical("total_bacteria", 200, "CFU/mL") == 200
    assert to_canonical("gross_alpha", 300, "mBq/L") == pytest.approx(0.3)
    assert to_canonical("turbidity", 4, "NTU") == 4
    assert to_canonical("colour", 10, "度") == 10
    assert to_canonical("色", 10, "铂钴色度单位") == 10
    assert to_canonical("pH", 7.1, "无量纲") == 7.1


@pytest.mark.parametrize(
    ("pid", "unit"),
    [
        ("pH", "mg/L"), ("pH", "%"), ("Hg", "µg/m³"), ("Hg", "mg/kg"), ("Hg", "NTU"), ("turbidity", "mg/L"),
        ("colour", "%"), ("colour", "mg/L"), ("total_coliform", "mg/L"), ("gross_beta", "mg/L"),
        ("odour_taste", "mg/L"), ("Hg", "furlongs"), ("turbidity", "度"),
    ],
)  # fmt: skip
def test_wrong_units_raise(pid: str, unit: str) -> None:
    with pytest.raises(UnitError):
        to_canonical(pid, 1.0, unit)
    with pytest.raises(UnitError):
        classify_sample({pid: 1.0}, units={pid: unit})
    with pytest.raises(UnitError):
        classify_period([pid], [1.0], units=[unit])


# --- properties ------------------------------------------------------------------------------------------


def _values_near_limits(pid: str) -> st.SearchStrategy[float]:
    limits = [x for x in class_limits(pid).limits if math.isfinite(x)]
    near = st.sampled_from(limits).flatmap(
        lambda x: st.sampled_from([x, x * (1 + 1e-12), x * (1 - 1e-12), x * 1.000001, x * 0.999999])
    )
    return st.one_of(near, st.floats(min_value=0, max_value=max(limits or [1.0]) * 3, allow_nan=False))


@FAST
@given(data=st.data(), pid=st.sampled_from([*MAX_IDS, "odour_taste", "visible_matter"]))
def test_a_higher_value_never_gets_a_better_class(data: st.DataObject, pid: str) -> None:
    a = data.draw(_values_near_limits(pid) if pid in MAX_IDS else st.floats(0, 5))
    b = data.draw(_values_near_limits(pid) if pid in MAX_IDS else st.floats(0, 5))
    low, high = sorted((a, b))
    assert one(pid, low) <= one(pid, high)


@FAST
@given(a=st.floats(0, 14), b=st.floats(0, 14))
def test_ph_further_from_the_range_is_never_better(a: float, b: float) -> None:
    # On either side of the class Ⅰ–Ⅲ range (the two sides are not symmetric: Ⅳ is 1.0 wide below, 0.5 above).
    centre = 7.5
    if (a - centre) * (b - centre) < 0:
        b = 2 * centre - b if 0 <= 2 * centre - b <= 14 else a
    near, far = sorted((a, b), key=lambda x: abs(x - centre))
    assert one("pH", near) <= one("pH", far)


@FAST
@given(data=st.data(), pid=st.sampled_from(MASS_IDS))
def test_mg_and_ug_per_litre_give_the_same_class(data: st.DataObject, pid: str) -> None:
    x = data.draw(_values_near_limits(pid))
    in_mg = one(pid, x)
    assert one(pid, x, unit="mg/L") == in_mg
    assert one(pid, x * 1000, unit="µg/L") == in_mg
    assert one(pid, x * 1e6, unit="ng/L") == in_mg
    censored = parameter_classes(pid, [x * 1000], unit="μg/L", censored=[True])
    assert censored.tolist() == parameter_classes(pid, [x], censored=[True]).tolist()


_ROW = st.tuples(
    st.sampled_from(["NH3-N", "氨氮", "Hg", "benzene", "pH", "LAS", "嗅和味", "total_coliform"]),
    st.floats(0, 1),
    st.booleans(),
)


@FAST
@given(rows=st.lists(_ROW, min_size=1, max_size=12), data=st.data())
def test_row_order_never_changes_a_period(rows: list[tuple[str, float, bool]], data: st.DataObject) -> None:
    def run(order: list[tuple[str, float, bool]]) -> gbt14848.PointClass:
        ids = [r[0] for r in order]
        values = [r[1] * 14 if r[0] == "pH" else r[1] for r in order]
        flags = [r[2] and normalise_name(r[0]) not in {"ph", "嗅和味"} for r in order]
        return classify_period(ids, values, censored=flags)

    shuffled = data.draw(st.permutations(rows))
    a, b = run(rows), run(shuffled)
    assert (a.class_code, a.per_parameter, a.limiting, a.nondetect) == (
        b.class_code,
        b.per_parameter,
        b.limiting,
        b.nondetect,
    )
    assert a.values == b.values  # fsum: bit-for-bit, not approximately
    assert a.exceedance == b.exceedance

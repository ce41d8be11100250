"""A plain number (pH, colour: 无量纲) and a scaled ratio (%, ppm, mg/kg) share pint's empty dimension, but
one never stands for the other: pH 7.2 written ``%`` was read as 0.072 (class Ⅴ groundwater), soil Cd 0.3
with no unit as 300,000 mg/kg, O2 9.5 with no unit as 950 %. Each is now an error naming row and column;
ratios still convert among themselves (0.03 % of soil is 300 mg/kg). Colour's report spellings (度, PCU,
Hazen, 铂钴色度单位) mean its unit for colour only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from envplan_core.data.observations import read_observations
from envplan_core.errors import DataError, UnitError
from envplan_core.standards import default_parameters, gbt14848
from envplan_core.units import check_dimension, is_plain_number


@pytest.mark.parametrize(("unit", "plain"), [("", True), ("无量纲", True), ("-", True), ("dimensionless", True),
                                             ("pH", True), ("%", False), ("ppm", False), ("mg/kg", False),
                                             ("percent", False), ("mg/L", False)])
def test_is_plain_number(unit: str, plain: bool) -> None:
    assert is_plain_number(unit) is plain


@pytest.mark.parametrize(
    ("unit", "canonical"),
    [("%", "dimensionless"), ("ppm", "dimensionless"), ("mg/kg", "dimensionless"), ("", "mg/kg"),
     ("无量纲", "percent"), ("dimensionless", "mg/kg")],
)
def test_a_plain_number_and_a_ratio_never_stand_for_each_other(unit: str, canonical: str) -> None:
    with pytest.raises(UnitError):
        check_dimension(unit, canonical, parameter="x")


@pytest.mark.parametrize(("unit", "canonical"), [("%", "mg/kg"), ("ppm", "mg/kg"), ("g/kg", "mg/kg"),
                                                 ("ppm", "percent"), ("-", "dimensionless")])
def test_ratios_convert_among_themselves(unit: str, canonical: str) -> None:
    check_dimension(unit, canonical, parameter="x")


def _read(tmp_path: Path, *rows: str) -> object:
    path = tmp_path / "obs.csv"
    path.write_text("site,parameter,time,value,unit\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return read_observations(path, parameters=default_parameters())


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("井1,pH,2023-05-16,7.2,%", "unit '%' for pH: expected a plain number"),
        ("图斑1,soil_Cd,2023-05-16,0.3,", "a plain number for soil_Cd, which is measured in 'mg/kg'"),
        ("炉1,O2,2023-05-16,9.5,", "a plain number for O2"),
        ("井1,浊度,2023-05-16,3,度", "unknown unit '度'"),  # 度 is colour's, not turbidity's
    ],
)
def test_the_reader_refuses_them_naming_row_and_column(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(DataError) as err:
        _read(tmp_path, row)
    assert "row 2" in str(err.value) and "'unit'" in str(err.value) and message in str(err.value)


@pytest.mark.parametrize("unit", ["度", "PCU", "Hazen", "铂钴色度单位", "无量纲", ""])
def test_colour_in_its_report_spellings(tmp_path: Path, unit: str) -> None:
    obs = _read(tmp_path, f"井1,色度,2023-05-16,12,{unit}")
    assert np.asarray(obs.value).tolist() == [12.0]  # type: ignore[attr-defined]
    assert gbt14848.to_canonical("colour", 12, unit) == 12.0


def test_soil_ratios_still_convert(tmp_path: Path) -> None:
    obs = _read(tmp_path, "图斑1,soil_Cd,2023-05-16,0.00003,%", "图斑2,soil_Cd,2023-05-16,0.3,ppm")
    assert np.allclose(sorted(np.asarray(obs.value).tolist()), [0.3, 0.3])  # type: ignore[attr-defined]

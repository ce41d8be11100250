"""Reference-oxygen conversion (GB 13271-2014 eq. 1; GB 29620-2013; the county plan's 18 %)."""

from __future__ import annotations

import csv
from importlib import resources

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envplan_core.errors import DataError
from envplan_core.standards import stack

FAST = settings(max_examples=80, deadline=None, database=None)


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("envplan_core.standards") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_examples_g_coal_boiler() -> None:
    got = stack.convert(150, 12, "coal_boiler")
    assert got.value == pytest.approx(200.0)
    assert "9 %" in got.basis
    assert "GB 13271-2014" in got.basis


def test_examples_g_brick_kiln_two_bases() -> None:
    plan = stack.convert(150, 16, "brick_kiln_plan")
    assert plan.value == pytest.approx(90.0)  # meets GB 29620 Table 2 NOx 200
    assert "18" in plan.basis
    assert "1.7" in plan.doubt  # README doubt 1 travels with the value
    text = stack.to_reference_excess_air(150, 16)
    assert text.value == pytest.approx(370.6, abs=0.05)  # exceeds 200
    assert "1.7" in text.basis


def test_reference_o2_table() -> None:
    assert {k: v.percent for k, v in stack.REFERENCE_O2.items()} == {
        "brick_kiln_plan": 18.0, "coal_boiler": 9.0, "oil_gas_boiler": 3.5,
    }
    assert stack.GB29620_REFERENCE_EXCESS_AIR == 1.7
    assert stack.STEAM_TONNE_MW == 0.7


def test_derived_table_agrees_with_the_reference_csvs() -> None:
    boiler = {r["item"]: r for r in _rows("boiler_gb13271_2014_reference_o2_and_capacity.csv")}
    assert boiler["reference O2"]["value"] == "coal-fired boilers 9; oil- and gas-fired boilers 3.5"
    assert "0.7 MW" in boiler["conversion factor"]["value"]
    kiln = [r for r in _rows("gb29620_2013_brick_tile_emissions.csv") if r["unit"] == "% (dry)"]
    assert [r["limit"] for r in kiln] == ["18"]


def test_vectorised_and_nan() -> None:
    c = np.array([[100.0, 150.0], [np.nan, 50.0]])
    o2 = np.array([[9.0, 12.0], [10.0, np.nan]])
    got = stack.convert(c, o2, "coal_boiler").value
    assert isinstance(got, np.ndarray)
    assert got.shape == (2, 2)
    assert got[0].tolist() == pytest.approx([100.0, 200.0])
    assert np.isnan(got[1]).all()


@pytest.mark.parametrize("o2", [21.0, 25.0, -1.0, [5.0, 21.0]])
def test_impossible_oxygen_raises(o2: npt.ArrayLike) -> None:
    with pytest.raises(ValueError, match="O2"):
        stack.convert(100, o2, "coal_boiler")
    with pytest.raises(DataError):
        stack.to_reference_o2(100, o2, 9)
    with pytest.raises(ValueError, match="O2"):
        stack.to_reference_excess_air(100, o2)


def test_unknown_source_type_and_reference_above_21() -> None:
    with pytest.raises(KeyError, match="coal_boiler"):
        stack.convert(100, 10, "boiler")
    with pytest.raises(ValueError, match="reference"):
        stack.to_reference_o2(100, 10, 21)


def test_converted_is_frozen() -> None:
    got = stack.convert(100, 9, "coal_boiler")
    assert got.value == 100.0
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        got.value = 1.0  # type: ignore[misc]


@FAST
@given(
    st.floats(0, 1e4, allow_nan=False),
    st.floats(0, 20.9, allow_nan=False),
    st.sampled_from(sorted(stack.REFERENCE_O2)),
    st.floats(0.001, 1000, allow_nan=False),
)
def test_conversion_is_linear_in_concentration(c: float, o2: float, source: str, k: float) -> None:
    one = stack.convert(c, o2, source).value
    scaled = stack.convert(c * k, o2, source).value
    assert isinstance(one, float)
    assert scaled == pytest.approx(one * k, rel=1e-12, abs=1e-12)
    ref = stack.REFERENCE_O2[source].percent
    assert stack.convert(c, ref, source).value == pytest.approx(c)  # measured at the reference O2


def test_stack_parameters() -> None:
    ids = {p.id: p for p in stack.PARAMETERS}
    assert set(ids) == {"stack_PM", "stack_SO2", "stack_NOx", "O2"}
    assert all(p.medium == "stack" for p in stack.PARAMETERS)
    assert {p.unit for k, p in ids.items() if k != "O2"} == {"mg/m^3"}
    assert ids["O2"].unit == "percent"
    assert ids["stack_PM"].name_zh == "颗粒物"

"""Vectorised group statistics: agreement with pandas/numpy, HJ 663 percentiles, periods, annual tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from envplan_core.data.observations import read_observations
from envplan_core.parameters import Parameter, ParameterRegistry
from envplan_core.stats import annual_statistics, group_index, group_reduce, period_codes, period_labels

FAST = settings(max_examples=50, deadline=None)


def registry() -> ParameterRegistry:
    reg = ParameterRegistry()
    reg.add(Parameter("SO2", "二氧化硫", "sulphur dioxide", "ug/m^3", "air"))
    reg.add(Parameter("NH3-N", "氨氮", "ammonia nitrogen", "mg/L", "surface_water"))
    reg.add(Parameter("DO", "溶解氧", "dissolved oxygen", "mg/L", "surface_water"))
    return reg


@st.composite
def grouped(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = draw(st.integers(1, 200))
    a = draw(hnp.arrays(np.int32, n, elements=st.integers(-3, 3)))
    b = draw(hnp.arrays(np.int64, n, elements=st.integers(0, 5)))
    v = draw(hnp.arrays(np.float64, n, elements=st.floats(-1e6, 1e6, allow_nan=False)))
    return a, b, v


@FAST
@given(grouped(), st.sampled_from(["mean", "sum", "max", "min", "count"]))
def test_group_reduce_matches_pandas(data: tuple[np.ndarray, np.ndarray, np.ndarray], how: str) -> None:
    a, b, v = data
    (ka, kb), result, counts = group_reduce((a, b), v, how)  # type: ignore[arg-type]
    expected = pd.DataFrame({"a": a, "b": b, "v": v}).groupby(["a", "b"], sort=True)["v"].agg(how)
    assert list(zip(ka.tolist(), kb.tolist(), strict=True)) == list(expected.index)
    np.testing.assert_allclose(result, expected.to_numpy(dtype=float), rtol=1e-9, atol=1e-6)
    sizes = pd.DataFrame({"a": a, "b": b}).groupby(["a", "b"], sort=True).size()
    assert counts.tolist() == sizes.tolist()


@FAST
@given(grouped(), st.floats(0, 100))
def test_percentile_matches_numpy_linear(data: tuple[np.ndarray, np.ndarray, np.ndarray], p: float) -> None:
    a, b, v = data
    (ka, kb), result, _ = group_reduce((a, b), v, "percentile", p=p)
    for i, (x, y) in enumerate(zip(ka.tolist(), kb.tolist(), strict=True)):
        assert result[i] == pytest.approx(np.percentile(v[(a == x) & (b == y)], p), rel=1e-9, abs=1e-6)


def test_percentile_hj663_worked_example() -> None:
    # HJ 663-2013 formula: k = 1 + (n-1)p/100 = 1 + 9 × 0.9 = 9.1 -> X(9) + 0.1 × (X(10) - X(9)).
    values = np.array([7.0, 3.0, 10.0, 1.0, 9.0, 2.0, 8.0, 4.0, 6.0, 5.0])
    _, result, counts = group_reduce((np.zeros(10, dtype=np.int64),), values, "percentile", p=90)
    assert result.tolist() == pytest.approx([9.1])
    assert counts.tolist() == [10]
    _, single, _ = group_reduce((np.zeros(1, dtype=np.int64),), np.array([4.0]), "percentile", p=95)
    assert single.tolist() == [4.0]


def test_nan_values_are_left_out() -> None:
    keys = (np.array([0, 0, 1, 1]),)
    (k,), result, counts = group_reduce(keys, np.array([1.0, np.nan, np.nan, np.nan]), "mean")
    assert k.tolist() == [0]
    assert result.tolist() == [1.0]
    assert counts.tolist() == [1]


def test_wide_sparse_keys_take_the_sort_path() -> None:
    a = np.array([10**15, -(10**15), 10**15, 7], dtype=np.int64)
    b = np.array([2**40, 0, 2**40, 1], dtype=np.int64)
    c = np.array([3, 3, 3, 10**12], dtype=np.int64)
    (ka, kb, kc), result, counts = group_reduce((a, b, c), np.array([1.0, 2.0, 3.0, 4.0]), "max")
    assert ka.tolist() == [-(10**15), 7, 10**15]
    assert kb.tolist() == [0, 1, 2**40]
    assert kc.tolist() == [3, 10**12, 3]
    assert result.tolist() == [2.0, 4.0, 3.0]
    assert counts.tolist() == [1, 1, 2]


def test_group_index_and_validation() -> None:
    group, (keys,) = group_index([np.array([5, 3, 5, 9])])
    assert group.tolist() == [1, 0, 1, 2]
    assert keys.tolist() == [3, 5, 9]
    empty_group, (empty,) = group_index([np.zeros(0, dtype=np.int32)])
    assert empty_group.size == 0
    assert empty.size == 0
    with pytest.raises(TypeError):
        group_index([np.array([0.5])])
    with pytest.raises(ValueError, match="equal length"):
        group_index([np.array([1, 2]), np.array([1])])
    with pytest.raises(ValueError, match="between 0 and 100"):
        group_reduce((np.array([1]),), np.array([1.0]), "percentile")
    with pytest.raises(ValueError, match="unknown reduction"):
        group_reduce((np.array([1]),), np.array([1.0]), "mode")  # type: ignore[arg-type]


def test_period_codes_and_labels() -> None:
    t = np.array(["2023-05-10T14:00", "2023-12-31T23:00", "2024-01-01"], dtype="datetime64[s]")
    assert period_labels(period_codes(t, "year"), "year").tolist() == ["2023", "2023", "2024"]
    assert period_labels(period_codes(t, "month"), "month").tolist() == ["2023-05", "2023-12", "2024-01"]
    assert period_labels(period_codes(t, "day"), "day").tolist() == ["2023-05-10", "2023-12-31", "2024-01-01"]
    with pytest.raises(ValueError, match="period"):
        period_codes(t, "week")  # type: ignore[arg-type]


def test_annual_statistics_with_non_detects_and_periods() -> None:
    rows = [
        ("杨赵桥", "氨氮", "2023-01-10", "<0.05", "mg/L"),
        ("杨赵桥", "氨氮", "2023-01-20", "0.5", "mg/L"),
        ("杨赵桥", "氨氮", "2023-02-10", "1.0", "mg/L"),
        ("杨赵桥", "氨氮", "2023", "0.7", "mg/L"),  # an annual value: in the year, in no month
        ("杨赵桥", "溶解氧", "2023-02-10", "6", "mg/L"),
        ("站", "SO2", "2023-02-10T01:00", "10", "ug/m3"),
    ]
    obs = read_observations(pd.DataFrame(rows, columns=["site", "parameter", "time", "value", "unit"]),
                            parameters=registry())
    yearly = annual_statistics(obs, statistic="mean", period="year")
    assert yearly.as_dict() == pytest.approx({
        ("杨赵桥", "DO", "2023"): 6.0,
        ("杨赵桥", "NH3-N", "2023"): (0.025 + 0.5 + 1.0 + 0.7) / 4,
        ("站", "SO2", "2023"): 10.0,
    })
    nh3 = yearly.to_frame().set_index("parameter").loc["NH3-N"]
    assert (nh3["count"], nh3["censored"]) == (4, 1)
    monthly = annual_statistics(obs, statistic="max", period="month", parameters=["NH3-N"])
    assert monthly.as_dict() == {("杨赵桥", "NH3-N", "2023-01"): 0.5, ("杨赵桥", "NH3-N", "2023-02"): 1.0}
    assert monthly.count.tolist() == [2, 1]
    assert monthly.period_kind == "month"
    daily = annual_statistics(obs, statistic="count", period="day")
    assert len(daily) == 5  # the monthly-less annual value cannot be placed in a day
    p95 = annual_statistics(obs, statistic="p95", parameters=["NH3-N"])
    assert p95.statistic == "p95"
    assert p95.value.tolist() == pytest.approx([np.percentile([0.025, 0.5, 1.0, 0.7], 95)])
    median = annual_statistics(obs, statistic="median", parameters=["NH3-N"])
    assert median.value.tolist() == pytest.approx([0.6])
    with pytest.raises(ValueError, match="unknown statistic"):
        annual_statistics(obs, statistic="mode")
    with pytest.raises(ValueError, match="needs p"):
        annual_statistics(obs, statistic="percentile")
    assert annual_statistics(obs, statistic="percentile", p=50, parameters=["NH3-N"]).value.tolist() == \
        pytest.approx([0.6])

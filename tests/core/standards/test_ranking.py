"""Composite index (环办监测〔2018〕19号): examples.md §A, S_i dating, monotonicity, ranks and ties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envplan_core.standards import ranking
from envplan_core.standards.rounding import round_gbt8170

FAST = settings(max_examples=80, deadline=None, database=None)

# examples.md §A: published indices from published (rounded) concentrations. A1, a weather site's worked
# example, rounds the unrounded sum (3.0571 → 3.06); bulletins round each single index first (A2 and the 28
# rows of test_ranking_published.py), which is what ``reported`` gives: 0.15 + 0.38 + 0.56 + 0.60 + 0.18 +
# 1.20 = 3.07 for A1.
A1 = {"SO2": 9, "NO2": 15, "PM10": 39, "PM2.5": 21, "CO": 0.7, "O3": 192}
A2 = {"SO2": 11, "NO2": 16, "PM10": 40, "PM2.5": 16, "CO": 0.6, "O3": 139}
PUBLISHED = [
    pytest.param(A1, 3.06, 3.07, id="A1-weather-site"),
    pytest.param(A2, 2.63, 2.63, id="A2-wuyuan-2023-09"),
]


@pytest.mark.parametrize(("conc", "published", "reported"), PUBLISHED)
def test_published_composite_indices(conc: dict[str, float], published: float, reported: float) -> None:
    ci = ranking.composite_index(conc, on="2023-09-30")
    assert abs(float(ci.value) - published) <= 0.01
    assert float(round_gbt8170(ci.value, 2)) == published  # the unrounded sum, rounded
    assert float(ci.reported) == reported  # the single indices rounded, then summed
    assert ci.primary() == ("O3",)


def test_reported_is_the_sum_of_the_rounded_single_indices() -> None:
    ci = ranking.composite_index(A1)
    terms = [float(round_gbt8170(ci.sub_indices[p], 2)) for p in ranking.POLLUTANTS]
    assert terms == [0.15, 0.38, 0.56, 0.6, 0.18, 1.2]  # 0.375 and 0.175 to even: GB/T 8170
    assert float(ci.reported) == 3.07 and float(ci.value) == pytest.approx(3.0571, abs=1e-4)


def test_si_come_from_the_table_and_are_dated() -> None:
    t2023 = ranking.si_table("2023-01-01")
    assert dict(t2023.si) == {"SO2": 60, "NO2": 40, "PM10": 70, "PM2.5": 35, "CO": 4, "O3": 160}
    assert t2023.verified
    assert ranking.PERCENTILES == {"CO": 95, "O3": 90}
    t2026 = ranking.si_table("2026-03-01")
    assert t2026.si == t2023.si  # 2018 S_i kept …
    assert not t2026.verified  # … and flagged
    assert "30" in t2026.note
    assert ranking.si_table("2026-02-28").verified


def test_statistic_names_of_annual_statistics_are_accepted() -> None:
    names = {"SO2": 9, "NO2": 15, "PM10": 39, "PM2.5": 21, "CO_p95": 0.7, "O3_8h_p90": 192}
    a = ranking.composite_index(names)
    assert float(a.reported) == 3.07
    with pytest.raises(KeyError):
        ranking.composite_index({"SO2": 9})
    with pytest.raises(KeyError):
        ranking.composite_index({"SO2": 9, "NO2": 15, "PM10": 39, "PM2.5": 21, "CO": 0.7, "O3": 192, "X": 1})


def test_vectorised_over_arrays() -> None:
    ci = ranking.composite_index({p: [A1[p], A2[p]] for p in ranking.POLLUTANTS})
    assert ci.reported.tolist() == [3.07, 2.63]
    assert ci.primary(1) == ("O3",)


STAT = st.floats(0, 500, allow_nan=False)


@FAST
@given(
    st.fixed_dictionaries(dict.fromkeys(ranking.POLLUTANTS, STAT)),
    st.sampled_from(ranking.POLLUTANTS),
    st.floats(0, 100, allow_nan=False),
)
def test_index_never_falls_when_a_concentration_rises(
    conc: dict[str, float], which: str, delta: float
) -> None:
    higher = {**conc, which: conc[which] + delta}
    low, high = ranking.composite_index(conc), ranking.composite_index(higher)
    assert float(low.value) <= float(high.value)
    assert float(low.reported) <= float(high.reported)


def test_rank_both_ways_with_ties() -> None:
    idx = {"甲": 3.0, "乙": 4.0, "丙": 4.0, "丁": 5.0, "戊": 3.5, "己": 6.0, "庚": 4.5, "辛": math.nan}
    r = ranking.ranks(idx)
    assert r["甲"].from_best == 1
    assert r["己"].from_worst == 1
    assert (r["乙"].from_best, r["丙"].from_best) == (3, 3)  # tie shares the rank
    assert (r["乙"].from_worst, r["丙"].from_worst) == (4, 4)
    assert r["乙"].tied_with == ("丙",)
    assert r["甲"].count == 7  # the missing index is not ranked
    assert "辛" not in r
    assert not r["乙"].outside_bottom(5)  # 4th from worst: still in the bottom five
    assert r["戊"].from_worst == 6
    assert r["戊"].outside_bottom(5)  # "退出后5位"
    assert r["甲"].outside_bottom(5)


def test_rank_compares_reported_two_decimals() -> None:
    idx = {"a": 3.064, "b": 3.056, "c": 2.0}
    assert ranking.rank(idx, "a").from_best == ranking.rank(idx, "b").from_best == 2  # both 3.06
    assert ranking.rank(idx, "a", decimals=None).from_best == 3
    with pytest.raises(KeyError):
        ranking.rank(idx, "missing")


@FAST
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=3), st.floats(0, 20, allow_nan=False), min_size=1, max_size=30
    )
)
def test_rank_positions_are_consistent(idx: dict[str, float]) -> None:
    r = ranking.ranks(idx)
    for name, rk in r.items():
        assert 1 <= rk.from_best <= rk.count
        assert 1 <= rk.from_worst <= rk.count
        # competition ranking both ways: better + worse + ties (self included) = count
        assert (rk.from_best - 1) + (rk.from_worst - 1) + len(rk.tied_with) + 1 == rk.count
        assert rk.name == name
    order = sorted(r.values(), key=lambda x: x.index)
    assert [x.from_best for x in order] == sorted(x.from_best for x in order)


def test_reported_index_is_rounded_half_even() -> None:
    # 3.125 is exactly representable: GB/T 8170 gives 3.12 (even), not 3.13.
    ci = ranking.composite_index({"SO2": 0, "NO2": 0, "PM10": 0, "PM2.5": 0, "CO": 0, "O3": 500})
    assert float(ci.value) == 3.125
    assert float(ci.reported) == 3.12
    assert np.isnan(ranking.composite_index(dict.fromkeys(ranking.POLLUTANTS, math.nan)).value)

"""HJ 663 statistics, GB 3095 validity, the HJ 663 percentile and GB/T 8170 rounding."""

from __future__ import annotations

import time
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envplan_core.errors import DataError
from envplan_core.standards import hj663
from envplan_core.standards.rounding import round_decimal, round_gbt8170, round_value

FAST = settings(max_examples=60, deadline=None, database=None)
YEAR = np.arange(np.datetime64("2023-01-01"), np.datetime64("2024-01-01"))  # 365 days


def test_validity_numbers_come_from_the_table() -> None:
    assert (hj663.MIN_HOURS_PER_DAY, hj663.MIN_HOURS_PER_8H, hj663.MIN_8H_PER_MDA8) == (20, 6, 14)
    assert (hj663.MIN_DAYS_PER_YEAR, hj663.MIN_DAYS_PER_MONTH, hj663.MIN_DAYS_FEBRUARY) == (324, 27, 25)


# ---------------------------------------------------------------- daily, running, MDA8
def test_daily_mean_needs_20_hours() -> None:
    m = np.full((3, 24), 10.0)
    m[1, :4] = np.nan  # 20 valid hours
    m[2, :5] = np.nan  # 19
    d = hj663.daily_means(m)
    assert d.count[:, 0].tolist() == [24, 20, 19]
    assert d.valid[:, 0].tolist() == [True, True, False]
    assert d.value[2, 0] == 10.0  # the invalid day keeps its value, flagged


def test_running_8h_window_is_t_minus_7_to_t() -> None:
    m = np.arange(48, dtype=float)[np.newaxis, :]
    run = hj663.running_mean(m, 8)
    assert run.value[0, 7] == np.mean(np.arange(0, 8))
    assert run.value[0, 8] == np.mean(np.arange(1, 9))
    assert run.valid[0, 5]  # grid start: 6 hours available …
    assert not run.valid[0, 4]  # … then 5
    m2 = m.copy()
    m2[0, 10:12] = np.nan  # window ending at 12: 6 valid
    assert hj663.running_mean(m2, 8).valid[0, 12]
    m2[0, 12] = np.nan  # 5 valid
    assert not hj663.running_mean(m2, 8).valid[0, 12]


def test_mda8_windows_stay_inside_the_day() -> None:
    m = np.full((1, 48), 50.0)
    m[0, 20:24] = 500.0  # late on day 0
    d = hj663.mda8(m)
    assert d.value[0, 0] == pytest.approx((4 * 50 + 4 * 500) / 8)  # window 16..23
    assert d.value[0, 1] == 50.0  # day 1 never sees day 0's hours
    m[0, 24] = 900.0  # 00:00 of day 1: only the window ending 08:00 (hours 0..7) contains it
    assert hj663.mda8(m).value[0, 1] == pytest.approx((900 + 7 * 50) / 8)


def test_mda8_needs_14_valid_windows() -> None:
    m = np.full((1, 24), 100.0)
    m[0, 19:] = np.nan  # windows ending at 07..20 valid (≥ 6 h) = 14
    d = hj663.mda8(m)
    assert d.count[0, 0] == 14
    assert d.valid[0, 0]
    m[0, 17:] = np.nan  # 12 valid windows
    d = hj663.mda8(m)
    assert d.count[0, 0] == 12
    assert not d.valid[0, 0]
    assert d.value[0, 0] == 100.0  # reported, flagged invalid


@FAST
@given(
    st.lists(st.floats(0, 500, allow_nan=False) | st.just(float("nan")), min_size=72, max_size=72),
    st.lists(st.booleans(), min_size=72, max_size=72),
)
def test_removing_hours_never_adds_valid_days(values: list[float], remove: list[bool]) -> None:
    before = np.array([values])
    after = np.where(np.array([remove]), np.nan, before)
    for stat in (hj663.daily_means, hj663.mda8):
        b, a = stat(before), stat(after)
        assert not np.any(a.valid & ~b.valid)
        assert a.valid.sum() <= b.valid.sum()
    days = np.arange(np.datetime64("2023-01-01"), np.datetime64("2023-01-04"))
    for stat in (hj663.daily_means, hj663.mda8):
        b_count, _ = hj663.period_validity(stat(before).valid, days, "month")
        a_count, _ = hj663.period_validity(stat(after).valid, days, "month")
        assert a_count[0, 0] <= b_count[0, 0]


# ---------------------------------------------------------------- percentile
def literal_percentile(values: list[float], p: float) -> float:
    """HJ 663 as written: 1-based X(1..n), k = 1 + (n−1)p/100, s = ⌊k⌋, m = X(s) + (X(s+1)−X(s))(k−s)."""
    x = sorted(values)
    n = len(x)
    k = 1 + (n - 1) * p / 100
    s = int(k)
    if s >= n:
        return x[n - 1]
    return x[s - 1] + (x[s] - x[s - 1]) * (k - s)


def test_percentile_examples() -> None:
    x = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert hj663.percentile(x, 90) == pytest.approx(91)
    assert hj663.percentile(x, 95) == pytest.approx(95.5)
    assert hj663.percentile([np.nan, 5.0, np.nan], 90) == 5.0
    assert np.isnan(hj663.percentile([np.nan, np.nan], 90))
    two_d = hj663.percentile(np.array([x, x[::-1]], dtype=float), 90)
    assert two_d.tolist() == pytest.approx([91, 91])


@FAST
@given(
    st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=400),
    st.integers(0, 100) | st.floats(0, 100, allow_nan=False),
)
def test_percentile_is_the_hj663_formula(values: list[float], p: float) -> None:
    got = float(hj663.percentile(values, p))
    assert got == pytest.approx(literal_percentile(values, p), rel=1e-12, abs=1e-9)
    assert got == pytest.approx(float(np.percentile(values, p)), rel=1e-12, abs=1e-9)


# ---------------------------------------------------------------- period validity
def _year_mask(remove_per_month: list[int]) -> np.ndarray:
    valid = np.ones(YEAR.size, dtype=bool)
    months = YEAR.astype("datetime64[M]").astype(int) % 12
    for month, k in enumerate(remove_per_month):
        idx = np.flatnonzero(months == month)[:k]
        valid[idx] = False
    return valid


def test_year_323_days_invalid_324_valid() -> None:
    most = [4, 3, 4, 3, 4, 3, 4, 4, 3, 4, 3, 4]  # every month at its minimum: 365 − 43 = 322
    v322 = _year_mask(most)
    v324 = _year_mask([m - (1 if i < 2 else 0) for i, m in enumerate(most)])
    v323 = _year_mask([m - (1 if i < 1 else 0) for i, m in enumerate(most)])
    counts, ok = hj663.period_validity(np.array([v322, v323, v324]), YEAR, "year")
    assert counts[:, 0].tolist() == [322, 323, 324]
    assert ok[:, 0].tolist() == [False, False, True]


def test_february_needs_25_days_other_months_27() -> None:
    feb24 = _year_mask([0, 4])  # February 24 valid days, year total 361
    counts, ok = hj663.period_validity(feb24[np.newaxis], YEAR, "year")
    assert counts[0, 0] == 361
    assert not ok[0, 0]  # the month rule fails the year
    counts, ok = hj663.period_validity(np.array([_year_mask([0, 3]), feb24, _year_mask([5])]), YEAR, "month")
    assert counts[:, 1].tolist() == [25, 24, 28]
    assert ok[:, 1].tolist() == [True, False, True]
    assert counts[2, 0] == 26
    assert not ok[2, 0]  # January with 26 valid days


# ---------------------------------------------------------------- annual statistics end to end
HOURS_2023 = np.arange(np.datetime64("2023-01-01T00"), np.datetime64("2024-01-01T00"))
CONSTANT = {"SO2": 10.0, "NO2": 20.0, "PM10": 70.0, "PM2.5": 35.0, "CO": 1.0, "O3": 160.0}


Columns = tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]


def _constant_year(drop_days: np.ndarray | None = None) -> Columns:
    times = HOURS_2023
    if drop_days is not None:
        times = times[~np.isin(times.astype("datetime64[D]"), drop_days)]
    codes = np.full(times.size, 7)
    return codes, times, {k: np.full(times.size, v) for k, v in CONSTANT.items()}


def test_annual_statistics_constant_year() -> None:
    (rec,) = hj663.annual_statistics(*_constant_year(), site_names={7: "城区站"})
    assert rec["site"] == "城区站"
    assert rec["period"] == "2023"
    assert rec["rules"] == "GB 3095-2012 / HJ 663-2013"
    assert rec["valid_days"] == 365
    assert (rec["SO2"], rec["NO2"], rec["PM10"], rec["PM2.5"]) == (10, 20, 70, 35)
    assert rec["CO_p95"] == 1.0
    assert rec["O3_8h_p90"] == 160
    assert rec["composite_index"] == pytest.approx(3.92)  # 10/60 + 20/40 + 1 + 1 + 1/4 + 1 = 3.9167
    assert rec["primary_pollutant"] == "PM10,PM2.5,O3"  # three sub-indices of exactly 1
    assert rec["valid"] is True


def test_annual_statistics_flags_a_323_day_year() -> None:
    # 42 days removed, every month still at or above its minimum (27, February 25): only the year fails.
    drop = YEAR[~_year_mask([3, 3, 4, 3, 4, 3, 4, 4, 3, 4, 3, 4])]
    assert drop.size == 42
    (rec,) = hj663.annual_statistics(*_constant_year(drop))
    assert rec["valid_days"] == 323
    assert rec["valid"] is False
    assert rec["SO2"] == 10  # still reported, flagged
    assert rec["valid_by_statistic"]["SO2"] is False
    assert rec["valid_days_by_pollutant"]["O3"] == 323


def test_monthly_statistics_and_missing_pollutants() -> None:
    codes, times, vals = _constant_year()
    keep = times < np.datetime64("2023-03-01T00")
    recs = hj663.annual_statistics(codes[keep], times[keep], {"PM2.5": vals["PM2.5"][keep]}, "month")
    assert [r["period"] for r in recs] == ["2023-01", "2023-02"]
    assert recs[1]["PM2.5"] == 35
    assert recs[1]["SO2"] is None
    assert recs[1]["composite_index"] is None
    assert "missing" in recs[1]["notes"][0]


def test_rounding_of_reported_values_keeps_the_unrounded() -> None:
    codes, times, vals = _constant_year()
    vals["PM2.5"] = np.full(times.size, 34.5)  # GB/T 8170: 34.5 → 34 (half to even)
    vals["CO"] = np.full(times.size, 1.25)  # → 1.2
    (rec,) = hj663.annual_statistics(codes, times, vals)
    assert rec["PM2.5"] == 34
    assert rec["CO_p95"] == 1.2
    assert rec["unrounded"]["PM2.5"] == 34.5
    assert rec["unrounded"]["CO_p95"] == 1.25


@settings(max_examples=15, deadline=None, database=None)
@given(st.lists(st.integers(100, 4000), min_size=24, max_size=24), st.integers(0, 9))
def test_unit_of_input_never_changes_a_result(hourly_ug: list[int], shift: int) -> None:
    hours = np.arange(np.datetime64("2023-02-01T00"), np.datetime64("2023-03-01T00"))
    n = hours.size
    pattern = np.resize(np.array(hourly_ug, dtype=float), n) + shift
    mg_written = np.array([float(f"{v / 1000:.3f}") for v in pattern])  # as a file in mg/m³ says it
    mg_from_ug = (mg_written * 1000.0) / 1000.0  # a file in µg/m³, converted to the canonical mg/m³
    other = {k: np.full(n, v) for k, v in CONSTANT.items() if k != "CO"}
    codes = np.zeros(n, dtype=np.int64)
    (a,) = hj663.annual_statistics(codes, hours, {**other, "CO": mg_written}, "month")
    (b,) = hj663.annual_statistics(codes, hours, {**other, "CO": mg_from_ug}, "month")
    assert a["CO_p95"] == b["CO_p95"]
    assert a["composite_index"] == b["composite_index"]
    assert a["primary_pollutant"] == b["primary_pollutant"]


# ---------------------------------------------------------------- county series, grid
def test_county_series_is_the_hourly_mean_of_valid_stations() -> None:
    t = np.array(["2023-01-01T00", "2023-01-01T00", "2023-01-01T01", "2023-01-01T01", "2023-01-01T01"],
                 dtype="datetime64[h]")
    codes = np.array([1, 2, 1, 2, 3])
    pm = np.array([30.0, 50.0, np.nan, 60.0, 1000.0])
    c_codes, c_times, c_vals = hj663.county_series(codes, t, {"PM2.5": pm}, stations=[1, 2], county=99)
    assert c_codes.tolist() == [99, 99]
    assert c_times.tolist() == t[[0, 2]].tolist()
    assert c_vals["PM2.5"].tolist() == [40.0, 60.0]  # station 1 missing at 01:00; station 3 not a member


def test_grid_rejects_duplicates_and_sub_hourly_stamps() -> None:
    t = np.array(["2023-01-01T00", "2023-01-01T00"], dtype="datetime64[h]")
    with pytest.raises(DataError, match="more than once"):
        hj663.hourly_grid([1, 1], t, {"SO2": [1.0, 2.0]})
    with pytest.raises(DataError, match="on the hour"):
        hj663.hourly_grid([1], np.array(["2023-01-01T00:30"], dtype="datetime64[m]"), {"SO2": [1.0]})
    grid = hj663.hourly_grid([5], np.array([24 * 365 * 53]), {"pm25": [3.0]})  # integer hours since epoch
    assert "PM2.5" in grid.values
    assert grid.n_hours == 24


def test_many_rows_are_fast() -> None:
    rng = np.random.default_rng(1)
    sites = 30
    codes = np.repeat(np.arange(sites), HOURS_2023.size)
    times = np.tile(HOURS_2023, sites)
    vals = {k: rng.gamma(2.0, v / 2, codes.size) for k, v in CONSTANT.items()}
    start = time.perf_counter()
    recs = hj663.annual_statistics(codes, times, vals)
    elapsed = time.perf_counter() - start
    assert len(recs) == sites
    assert elapsed < 5.0  # ~0.1 s here for 262 800 rows × 6 pollutants


# ---------------------------------------------------------------- GB/T 8170 rounding
@pytest.mark.parametrize(
    ("value", "ndigits", "expected"),
    [
        (2.675, 2, 2.68),  # binary 2.67499…: np.round gives 2.67
        (0.125, 2, 0.12),
        (0.135, 2, 0.14),
        (2.5, 0, 2.0),
        (3.5, 0, 4.0),
        (-2.5, 0, -2.0),
        (34.5, 0, 34.0),
        (1.05, 1, 1.0),
        (1.15, 1, 1.2),
        (1.25, 1, 1.2),
        (1.35, 1, 1.4),
        (1.2501, 1, 1.3),
        (25.0, -1, 20.0),
        (35.0, -1, 40.0),
        (3.0571428571428574, 2, 3.06),
    ],
)
def test_gbt8170_examples(value: float, ndigits: int, expected: float) -> None:
    assert round_value(value, ndigits) == expected
    assert float(round_decimal(value, ndigits)) == expected


def test_gbt8170_passes_nan_and_keeps_shape() -> None:
    out = round_gbt8170(np.array([[np.nan, 0.5], [1.5, np.inf]]), 0)
    assert out.shape == (2, 2)
    assert np.isnan(out[0, 0])
    assert out[0, 1] == 0.0
    assert out[1].tolist() == [2.0, np.inf]


@FAST
@given(st.integers(-10**9, 10**9), st.integers(0, 6), st.integers(0, 4))
def test_numpy_rounding_equals_decimal_rounding(mantissa: int, exponent: int, ndigits: int) -> None:
    dec = Decimal(mantissa).scaleb(-exponent)
    assert round_value(float(dec), ndigits) == float(round_decimal(dec, ndigits))


@FAST
@given(st.integers(0, 10**7), st.integers(1, 4))
def test_rounding_ignores_unit_conversion_noise(micro: int, ndigits: int) -> None:
    x = micro / 1000.0
    assert round_value((x * 1000.0) / 1000.0, ndigits) == round_value(x, ndigits)
    assert round_value(x / 1000.0 * 1000.0, ndigits) == round_value(x, ndigits)

"""HJ 633 IAQI/AQI: examples.md §C, exact breakpoints, the 2026 switch, >800 rules, monotonicity."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envplan_core.errors import DataError
from envplan_core.standards import hj633

D2012 = "2023-06-01"
D2026 = "2026-03-01"
FAST = settings(max_examples=80, deadline=None, database=None)

# examples.md §C1: daily report, 24-h values (CO mg/m³), O3 as MDA8.
C1 = {"PM2.5_24h": 120, "PM10_24h": 180, "SO2_24h": 65, "NO2_24h": 150, "CO_24h": 1.0, "O3_8h": 200}


def test_c1_2012() -> None:
    rec = hj633.aqi_daily(C1, on=D2012).record(0)
    assert rec["iaqi"] == {"SO2": 58, "NO2": 135, "PM10": 115, "PM2.5": 158, "CO": 25, "O3_8h": 137}
    assert rec["aqi"] == 158
    assert rec["level"] == 4
    assert rec["category_zh"] == "中度污染"
    assert rec["primary_pollutant"] == "PM2.5"
    assert set(rec["non_attainment"]) == {"PM2.5", "PM10", "NO2", "O3_8h"}
    assert rec["rules"] == "HJ 633-2012"


def test_c1_2026_changes_pm10_only() -> None:
    rec = hj633.aqi_daily(C1, on=D2026).record(0)
    assert rec["iaqi"] == {"SO2": 58, "NO2": 135, "PM10": 124, "PM2.5": 158, "CO": 25, "O3_8h": 137}
    assert rec["aqi"] == 158
    assert rec["non_attainment"] is None  # 超标污染物 dropped in 2026
    assert rec["rules"] == "HJ 633-2026"


@pytest.mark.parametrize(
    ("value", "on", "expected"),
    [
        (75, D2012, 100),  # C2: exactly on the breakpoint → exactly 100, not 101
        (75, D2026, 114),  # C2: 100 + 50×15/55 = 113.6 → 114
        (35.5, D2012, 51),  # C3
        (35.5, D2026, 51),
        (60, D2026, 100),
        (0, D2012, 0),
    ],
)
def test_pm25_examples(value: float, on: str, expected: int) -> None:
    assert hj633.iaqi("PM2.5_24h", value, on=on)[()] == expected


def test_switch_is_on_2026_03_01() -> None:
    days = np.array(["2026-02-28", "2026-03-01", "2031-01-01"], dtype="datetime64[D]")
    assert hj633.iaqi("PM2.5_24h", [75, 75, 75], on=days).tolist() == [100, 114, 114]
    assert hj633.rules_for(days).tolist() == ["HJ 633-2012", "HJ 633-2026", "HJ 633-2026"]


def test_c4_co() -> None:
    assert hj633.iaqi("CO_24h", 1.5, on=D2012)[()] == 38
    assert hj633.iaqi("CO_24h", 1.5, on=D2026)[()] == 38


def test_c5_so2_1h_above_800() -> None:
    assert np.isnan(hj633.iaqi("SO2_1h", 900, on=D2012)[()])  # 2012: no IAQI from the 1-h value
    assert hj633.iaqi("SO2_1h", 900, on=D2012, fallback=65)[()] == 58  # … the 24-h mean's instead
    assert hj633.iaqi("SO2_1h", 900, on=D2026)[()] == 200  # 2026: fixed 200
    assert hj633.iaqi("SO2_1h", 800, on=D2012)[()] == 200
    hourly = hj633.aqi_hourly({"SO2_1h": 900, "SO2_24h": 65}, on=D2012)
    assert hourly.record(0)["iaqi"] == {"SO2": 58}


def test_c6_o3_8h_above_800() -> None:
    assert hj633.iaqi("O3_8h", 850, on=D2012, fallback=300)[()] == 150  # O3 1-h IAQI
    assert hj633.iaqi("O3_8h", 850, on=D2026)[()] == 300
    daily = hj633.aqi_daily({"O3_8h": 850, "O3_1h": 900}, on=D2012).record(0)
    # Table 1 note 3: the O3 IAQI is the 1-h one; O3 is counted and named once.
    assert daily["iaqi"] == {"O3_1h": 350}
    assert daily["primary_pollutants"] == ["O3_1h"]
    assert daily["substitutions"] == {"O3_8h": "O3_1h"}
    assert daily["complete"] is True
    assert hj633.aqi_daily({"O3_8h": 850, "O3_1h": 300}, on=D2026).record(0)["iaqi"] == {"O3_8h": 300}


# ---------------------------------------------------------------- no pollutant silently dropped (issue 10)
def test_mda8_above_800_without_the_1h_value_keeps_what_the_data_prove() -> None:
    rec = hj633.aqi_daily({"O3_8h": 850, "PM2.5_24h": 40}, on=D2012).record(0)
    # The daily maximum 1-h value is not below the MDA8: O3 1-h IAQI ≥ IAQI_1h(850) = 300 + 100×50/200.
    assert rec["iaqi"] == {"PM2.5": 57, "O3_1h": 325}
    assert rec["iaqi_lower_bounds"] == ["O3_1h"]
    assert rec["aqi"] == 325
    assert rec["primary_pollutants"] == ["O3_1h"]  # named once
    assert rec["complete"] is False
    (reason,) = rec["incomplete_reasons"]
    assert reason["indicator"] == "O3_8h"
    assert "at least 325" in reason["en"] and "至少为325" in reason["zh"]
    assert rec["substitutions"] == {"O3_8h": "O3_1h"}


def test_mda8_above_800_under_2026_is_fixed_and_complete() -> None:
    rec = hj633.aqi_daily({"O3_8h": 850}, on=D2026).record(0)
    assert rec["iaqi"] == {"O3_8h": 300}
    assert rec["complete"] is True
    assert rec["incomplete_reasons"] == []


def test_so2_1h_above_800_without_the_24h_mean() -> None:
    rec = hj633.aqi_hourly({"SO2_1h": 900, "NO2_1h": 20}, on=D2012).record(0)
    # The 24-h running mean holds this hour: ≥ 900/24 = 37.5 µg/m³, IAQI ≥ 38.
    assert rec["iaqi"] == {"SO2": 38, "NO2": 10}
    assert rec["iaqi_lower_bounds"] == ["SO2"]
    assert rec["complete"] is False
    assert rec["incomplete_reasons"][0]["indicator"] == "SO2_1h"
    with_mean = hj633.aqi_hourly({"SO2_1h": 900, "SO2_24h": 300, "NO2_1h": 20}, on=D2012).record(0)
    assert with_mean["iaqi"]["SO2"] == 124  # 24-h table: 150 → 100, 475 → 150: 300 → 123.08 → 124
    assert with_mean["complete"] is True and with_mean["substitutions"] == {"SO2_1h": "SO2_24h"}
    assert hj633.aqi_hourly({"SO2_1h": 900}, on=D2026).record(0)["iaqi"] == {"SO2": 200}


def test_strict_hourly_o3_8h_above_800() -> None:
    both = hj633.aqi_hourly({"O3_8h": 850, "O3_1h": 900}, on=D2012, method="strict").record(0)
    assert both["iaqi"] == {"O3_1h": 350}
    assert both["primary_pollutant"] == "O3_1h"
    alone = hj633.aqi_hourly({"O3_8h": 850, "PM2.5_24h": 40}, on=D2012, method="strict").record(0)
    # This hour's 1-h value is not implied by the 8-h running mean: O3 unknown, and said so.
    assert alone["iaqi"] == {"PM2.5": 57}
    assert alone["complete"] is False
    assert alone["incomplete_reasons"][0]["indicator"] == "O3_8h"


def test_missing_monitored_pollutant_is_named() -> None:
    rec = hj633.aqi_daily({"PM2.5_24h": 40}, on=D2012, monitored=["PM2.5", "NO2"]).record(0)
    assert rec["complete"] is False
    assert [r["indicator"] for r in rec["incomplete_reasons"]] == ["NO2_24h"]


@FAST
@given(
    st.floats(800.001, 1200, allow_nan=False),
    st.floats(0, 400, allow_nan=False),
    st.floats(0, 1, allow_nan=False),
)
def test_aqi_without_the_1h_value_never_exceeds_what_any_1h_value_gives(
    mda8: float, pm25: float, extra: float
) -> None:
    """The bound is what the data prove: no daily maximum 1-h value (≥ the MDA8) gives a lower AQI."""
    without = hj633.aqi_daily({"O3_8h": mda8, "PM2.5_24h": pm25}, on=D2012).aqi[0]
    o3_1h = mda8 + extra * (1200 - mda8)
    with_1h = hj633.aqi_daily({"O3_8h": mda8, "O3_1h": o3_1h, "PM2.5_24h": pm25}, on=D2012).aqi[0]
    assert without <= with_1h
    exact = hj633.aqi_daily({"O3_8h": mda8, "O3_1h": mda8, "PM2.5_24h": pm25}, on=D2012).aqi[0]
    assert without == exact


def test_frame_daily_o3_value_above_800_is_incomplete_not_dropped() -> None:
    # A daily O3 value (read as the MDA8) spread over its 24 hours: no daily maximum 1-h value exists.
    codes, times, vals = _frame("2023-07-01T00", 24, O3=850.0, PM25=40.0)
    (day,) = hj633.frame_aqi(codes, times, vals, kind="daily", from_daily={"O3": np.ones(24, dtype=bool)})
    assert day["o3_from_daily_value"] is True
    assert day["iaqi"]["O3_1h"] == 325 and "O3_8h" not in day["iaqi"]
    assert day["iaqi_lower_bounds"] == ["O3_1h"]
    assert day["complete"] is False
    low = hj633.frame_aqi(*_frame("2023-07-01T00", 24, O3=150.0, PM25=40.0), kind="daily",
                          from_daily={"O3": np.ones(24, dtype=bool)})[0]
    assert low["complete"] is True  # ≤ 800: the MDA8 is the O3 indicator; the 1-h value is not needed
    assert "O3_1h" not in low["iaqi"]


def test_c7_no_primary_at_or_below_50() -> None:
    conc = {"PM2.5_24h": 20, "PM10_24h": 30, "SO2_24h": 5, "NO2_24h": 20, "CO_24h": 0.5, "O3_8h": 60}
    rec = hj633.aqi_daily(conc, on=D2012).record(0)
    assert rec["iaqi"] == {"PM2.5": 29, "PM10": 30, "SO2": 5, "NO2": 25, "CO": 13, "O3_8h": 30}
    assert rec["aqi"] == 30
    assert rec["category_zh"] == "优"
    assert rec["primary_pollutant"] is None
    assert rec["primary_pollutants"] == []


@pytest.mark.parametrize("version", [hj633.HJ633_2012, hj633.HJ633_2026])
def test_every_breakpoint_gives_its_iaqi_exactly(version: str) -> None:
    on = D2012 if version == hj633.HJ633_2012 else D2026
    for key, table in hj633.breakpoints(version).items():
        got = hj633.iaqi(key, list(table.concentration), on=on)
        assert got.tolist() == list(table.iaqi), key
        # A hair above a breakpoint (inside the next segment) rounds up to the next integer.
        eps = [c + (n - c) * 1e-4 for c, n in itertools.pairwise(table.concentration)]
        assert hj633.iaqi(key, eps, on=on).tolist() == [i + 1 for i in table.iaqi[:-1]], key


def test_above_the_table_is_capped_at_500() -> None:
    assert hj633.iaqi("PM2.5_24h", [600, 5000], on=D2012).tolist() == [500, 500]
    assert hj633.iaqi("CO_1h", 200, on=D2026)[()] == 500


def test_invalid_inputs() -> None:
    with pytest.raises(DataError):
        hj633.iaqi("PM10_24h", -1, on=D2012)
    # 1-h PM on the 24-h breakpoints: HJ 633-2026 §4.2.4, and the published practice under 2012.
    assert hj633.iaqi("PM2.5_1h", 75, on=D2012)[()] == 100
    assert hj633.iaqi("PM2.5_1h", 60, on=D2026)[()] == 100
    with pytest.raises(KeyError):
        hj633.iaqi("PM2.5_8h", 50, on=D2012)
    with pytest.raises(KeyError):
        hj633.aqi_daily({"PM25": 10}, on=D2012)
    assert np.isnan(hj633.iaqi("NO2_24h", np.nan, on=D2012)[()])


def test_primary_ties_and_levels() -> None:
    res = hj633.aqi_daily({"PM2.5_24h": 75, "PM10_24h": 150, "SO2_24h": 10}, on=D2012)
    assert res.primary_pollutants(0) == ("PM10", "PM2.5")
    assert res.record(0)["primary_pollutant"] == "PM10,PM2.5"
    aqi = [0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500]
    assert hj633.level_of(aqi).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]
    names = [c.category_zh for c in hj633.categories()]
    assert names == ["优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"]


def test_missing_pollutant_rule_2026() -> None:
    monitored = ["SO2", "NO2", "PM10", "PM2.5", "CO", "O3_8h"]
    low = {"PM2.5_24h": 40, "PM10_24h": 60, "SO2_24h": 5, "CO_24h": 0.5, "O3_8h": 80}  # NO2 missing
    rec = hj633.aqi_daily(low, on=D2026, monitored=monitored).record(0)
    assert rec["aqi"] is None  # §5.3.1: incomplete and AQI ≤ 100 → NA
    assert rec["level"] is None
    assert rec["complete"] is False
    assert rec["iaqi"]["PM2.5"] == 60  # 50 + 50×5/25 on the 2026 segment 35–60
    high = {**low, "PM2.5_24h": 100}  # 100 + 50×40/55 = 136.4 → 137 > 100: published although incomplete
    assert hj633.aqi_daily(high, on=D2026, monitored=monitored).record(0)["aqi"] == 137
    # 2012: computed from the pollutants given.
    assert hj633.aqi_daily(low, on=D2012, monitored=monitored).record(0)["aqi"] == 57  # 50 + 50×5/40


def test_hourly_indicators_by_method_and_edition() -> None:
    conc = {"PM2.5_1h": 75, "PM2.5_24h": 40, "SO2_1h": 20, "O3_1h": 100, "O3_8h": 90}
    strict12 = hj633.aqi_hourly(conc, on=D2012, method="strict").record(0)
    assert strict12["iaqi"]["PM2.5"] == 57  # HJ 633-2012 §5.1.3: 24-h running mean 40 → 56.25 → 57
    assert "O3_8h" in strict12["iaqi"]
    assert strict12["hourly_method"] == "strict"
    published = {k: v for k, v in conc.items() if k not in ("PM2.5_24h", "O3_8h")}
    pub12 = hj633.aqi_hourly(published, on=D2012).record(0)
    assert pub12["iaqi"]["PM2.5"] == 100  # the 1-h value on the 2012 24-h breakpoints
    assert "O3_8h" not in pub12["iaqi"]
    assert pub12["hourly_method"] == "published"
    for method in hj633.HOURLY_METHODS:  # 2026: the letter is the published practice
        r26 = hj633.aqi_hourly(published, on=D2026, method=method).record(0)
        assert r26["iaqi"]["PM2.5"] == 114  # 1-h value on daily breakpoints (2026 §4.2.4)
        assert "O3_8h" not in r26["iaqi"]


def test_hourly_method_refuses_indicators_it_would_drop() -> None:
    with pytest.raises(KeyError, match=r"PM2\.5_24h"):
        hj633.aqi_hourly({"PM2.5_24h": 40}, on=D2012)
    with pytest.raises(KeyError, match="O3_8h"):
        hj633.aqi_hourly({"O3_8h": 40}, on=D2012)
    with pytest.raises(ValueError, match="hourly method"):
        hj633.aqi_hourly({"PM2.5_1h": 40}, on=D2012, method="sliding")  # type: ignore[arg-type]


# ---------------------------------------------------------------- properties
KEYS = {
    hj633.HJ633_2012: sorted(hj633.breakpoints(hj633.HJ633_2012)),
    hj633.HJ633_2026: sorted(hj633.breakpoints(hj633.HJ633_2026)),
}


@st.composite
def key_and_pair(draw: st.DrawFn) -> tuple[str, str, float, float]:
    version = draw(st.sampled_from(sorted(KEYS)))
    key = draw(st.sampled_from(KEYS[version]))
    top = hj633.breakpoints(version)[key].concentration[-1]
    # 2012 SO2 1-h / O3 8-h above 800 switch to another indicator: not a monotone function of one value.
    hi = top if (version == hj633.HJ633_2012 and key in ("SO2_1h", "O3_8h")) else top * 1.3
    a = draw(st.floats(0, hi, allow_nan=False))
    b = draw(st.floats(a, hi, allow_nan=False))
    return version, key, a, b


@FAST
@given(key_and_pair())
def test_iaqi_never_falls_when_concentration_rises(case: tuple[str, str, float, float]) -> None:
    version, key, a, b = case
    on = D2012 if version == hj633.HJ633_2012 else D2026
    assert hj633.iaqi(key, a, on=on)[()] <= hj633.iaqi(key, b, on=on)[()]


DAILY_KEYS = ("SO2_24h", "NO2_24h", "PM10_24h", "PM2.5_24h", "CO_24h", "O3_8h", "O3_1h")
DAILY_TOP = {"SO2_24h": 3000, "NO2_24h": 1000, "PM10_24h": 700, "PM2.5_24h": 600, "CO_24h": 70,
             "O3_8h": 800, "O3_1h": 1300}


@FAST
@given(
    st.fixed_dictionaries({k: st.floats(0, DAILY_TOP[k], allow_nan=False) for k in DAILY_KEYS}),
    st.sampled_from(DAILY_KEYS),
    st.floats(0, 200, allow_nan=False),
    st.sampled_from([D2012, D2026]),
)
def test_aqi_never_falls_when_a_concentration_rises(
    conc: dict[str, float], key: str, delta: float, on: str
) -> None:
    higher = dict(conc)
    higher[key] = min(conc[key] + delta, DAILY_TOP[key])
    assert hj633.aqi_daily(conc, on=on).aqi[0] <= hj633.aqi_daily(higher, on=on).aqi[0]


@FAST
@given(st.integers(0, 60_000), st.sampled_from(["CO_24h", "CO_1h"]), st.sampled_from([D2012, D2026]))
def test_co_unit_never_changes_iaqi(micrograms: int, key: str, on: str) -> None:
    # The same concentration reaching the function through µg/m³ (÷1000) or written in mg/m³.
    via_ug = micrograms / 1000.0
    via_mg = (micrograms / 1000.0 * 1000.0) / 1000.0
    direct = float(f"{micrograms / 1000:.3f}")
    got = {float(hj633.iaqi(key, v, on=on)[()]) for v in (via_ug, via_mg, direct)}
    assert len(got) == 1


# ---------------------------------------------------------------- frames (CLI `envplan aqi`)
def _frame(start: str, n_hours: int, **values: float) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    times = np.datetime64(start, "h") + np.arange(n_hours)
    codes = np.zeros(n_hours, dtype=np.int64)
    return codes, times, {k.replace("PM25", "PM2.5"): np.full(n_hours, v) for k, v in values.items()}


def test_frame_daily_and_hourly_records() -> None:
    codes, times, vals = _frame(
        "2023-05-10T00", 48, PM25=74.6, PM10=60.0, SO2=8.0, NO2=30.0, CO=0.84, O3=90.0
    )
    recs = hj633.frame_aqi(codes, times, vals, site_names=["城区站"])
    daily = [r for r in recs if r["kind"] == "daily"]
    hourly = [r for r in recs if r["kind"] == "hourly"]
    assert len(daily) == 2
    assert len(hourly) == 48
    day = daily[0]
    assert day["site"] == "城区站"
    assert day["time"] == "2023-05-10"
    # The IAQI comes from the unrounded value, as the API's does (docs/standards/aqi.md).
    assert day["concentrations"]["PM2.5_24h"] == pytest.approx(74.6)
    assert day["concentrations"]["CO_24h"] == pytest.approx(0.84)
    assert day["iaqi"]["PM2.5"] == 100  # 50 + 50 × 39.6/40 = 99.5 → 100
    assert day["iaqi"]["CO"] == 21  # 0.84 mg/m³: 21, where 0.8 rounded first would give 20
    assert day["aqi"] == 100
    assert day["primary_pollutant"] == "PM2.5"
    assert {"site", "kind", "time", "aqi", "level", "category_zh", "primary_pollutant", "iaqi"} <= set(day)
    assert "hourly_method" not in day
    # Published real-time practice: the 1-h PM on the 24-h breakpoints, from the first hour.
    assert hourly[0]["time"] == "2023-05-10T00:00"
    assert hourly[0]["hourly_method"] == "published"
    assert hourly[0]["iaqi"]["PM2.5"] == 100
    assert "O3_8h" not in hourly[0]["iaqi"]
    # HJ 633-2012 §5.1.3 read strictly: the 24-h running mean, which needs 20 valid hours.
    strict = hj633.frame_aqi(codes, times, vals, kind="hourly", hourly_method="strict")
    assert "PM2.5" not in strict[18]["iaqi"]
    assert strict[19]["iaqi"]["PM2.5"] == 100
    assert strict[19]["hourly_method"] == "strict"


def test_frame_across_the_switch() -> None:
    codes, times, vals = _frame("2026-02-28T00", 48, PM25=75.0)
    strict = hj633.frame_aqi(codes, times, vals, kind="hourly", hourly_method="strict")
    assert strict[0]["rules"] == "HJ 633-2012"
    assert "PM2.5" not in strict[0]["iaqi"]  # 2012 strict: running 24-h mean not yet available
    assert strict[24]["iaqi"] == {"PM2.5": 114}
    recs = hj633.frame_aqi(codes, times, vals, kind="hourly")
    assert recs[0]["rules"] == "HJ 633-2012"
    assert recs[0]["iaqi"] == {"PM2.5": 100}  # published: 1-h value on the 2012 breakpoints
    first_2026 = recs[24]
    assert first_2026["time"] == "2026-03-01T00:00"
    assert first_2026["rules"] == "HJ 633-2026"
    assert first_2026["iaqi"] == {"PM2.5": 114}  # 1-h value on the new breakpoints
    days = hj633.frame_aqi(codes, times, vals, kind="daily")
    assert [d["aqi"] for d in days] == [100, 114]


def test_frame_rejects_files_without_aqi_pollutants() -> None:
    codes, times, vals = _frame("2023-01-01T00", 24, TSP=100.0)
    with pytest.raises(DataError):
        hj633.frame_aqi(codes, times, vals)

"""The air plan's target evaluators: annual mean, year on year, composite-index rank, heavy-pollution
days and the binding indicators, on small hand-made series."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from envplan_core import DataError, Engine, Finding, Status
from envplan_core.data.inventory import read_inventory

UG = "µg/m³"
POLLUTANTS = {
    "SO2": (10.0, UG),
    "NO2": (20.0, UG),
    "PM10": (70.0, UG),
    "PM2.5": (35.0, UG),
    "CO": (1.0, "mg/m³"),
    "O3": (160.0, UG),
}


def daily(
    site: str, parameter: str, values: Any, *, year: int = 2023, unit: str = UG, drop: Any = ()
) -> pd.DataFrame:
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    vals = np.broadcast_to(np.asarray(values, dtype=float), days.shape).copy()
    keep = ~days.strftime("%Y-%m-%d").isin(list(drop))
    return pd.DataFrame(
        {
            "site": site,
            "parameter": parameter,
            "time": days[keep].strftime("%Y-%m-%d"),
            "value": vals[keep],
            "unit": unit,
        }
    )


def hourly(site: str, parameter: str, value: float, *, year: int = 2023, unit: str = UG) -> pd.DataFrame:
    hours = pd.date_range(f"{year}-01-01", f"{year}-12-31 23:00", freq="h")
    return pd.DataFrame(
        {
            "site": site,
            "parameter": parameter,
            "time": hours.strftime("%Y-%m-%dT%H:%M"),
            "value": value,
            "unit": unit,
        }
    )


def six(site: str = "新绛县", **override: float) -> pd.DataFrame:
    parts = [daily(site, p, override.get(p.replace(".", ""), v), unit=u) for p, (v, u) in POLLUTANTS.items()]
    return pd.concat(parts, ignore_index=True)


def evaluate(
    engine: Engine, target: str, *, observations: Any = None, inventory: Any = None, as_of: str = "2023-12-31"
) -> list[Finding]:
    inv = None if inventory is None else read_inventory(inventory, name="inv")
    report = engine.evaluate(observations=observations, inventory=inv, as_of=as_of, plans=["air"])
    return [f for f in report.findings if f.id == target]


def one(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


PM = "air.pm25.annual_mean"


# --------------------------------------------------------------------------- annual mean
@pytest.mark.parametrize(
    ("mean", "value", "status"),
    [
        (43.4, 43.0, Status.MET),
        (43.5, 44.0, Status.NOT_MET),
        (42.5, 42.0, Status.MET),
        (43.0, 43.0, Status.MET),
        (44.49, 44.0, Status.NOT_MET),
    ],
)
def test_pm25_rounded_by_gbt8170_before_comparison(
    engine: Engine, mean: float, value: float, status: Status
) -> None:
    f = one(evaluate(engine, PM, observations=daily("新绛县", "PM2.5", mean)))
    assert f.status is status
    assert f.value == value
    assert f.value_raw == pytest.approx(mean)
    assert f.limit == 43.0
    assert f.unit == "µg/m³"
    assert "GB/T 8170" in f.message_zh
    assert f.citation.standard == "GB 3095-2012; HJ 663-2013"
    assert f.details["valid_days"] == 365


def test_annual_mean_needs_324_valid_days_and_27_a_month(engine: Engine) -> None:
    days = pd.date_range("2023-01-01", "2023-12-31").strftime("%Y-%m-%d")
    # 41 days off, spread so that every month keeps ≥ 27: 324 valid days, valid.
    spread = [d for d in days if int(d[8:]) > (25 if d[5:7] == "02" else 27)][:41]
    ok = one(evaluate(engine, PM, observations=daily("新绛县", "PM2.5", 40.0, drop=spread)))
    assert ok.status is Status.MET
    assert ok.details["valid_days"] == 324
    short = one(
        evaluate(engine, PM, observations=daily("新绛县", "PM2.5", 40.0, drop=[*spread, "2023-03-05"]))
    )
    assert short.status is Status.INSUFFICIENT_DATA
    assert short.value == 40.0  # the value is shown, never dropped
    assert "323" in short.message_zh
    february = one(
        evaluate(
            engine,
            PM,
            observations=daily(
                "新绛县", "PM2.5", 40.0, drop=["2023-02-01", "2023-02-02", "2023-02-03", "2023-02-04"]
            ),
        )
    )
    assert february.status is Status.INSUFFICIENT_DATA
    assert february.details["short_months"] == ["2023-02"]


def test_annual_mean_before_the_year_is_over(engine: Engine) -> None:
    f = one(evaluate(engine, PM, observations=daily("新绛县", "PM2.5", 40.0), as_of="2023-11-30"))
    assert f.status is Status.INSUFFICIENT_DATA
    assert "2023-12-31" in f.message_zh


def test_no_data_names_what_is_needed(engine: Engine) -> None:
    f = one(evaluate(engine, PM))
    assert f.status is Status.INSUFFICIENT_DATA
    assert "城区监测站" in f.message_zh


def test_county_series_is_the_hourly_mean_of_the_stations(engine: Engine) -> None:
    a = hourly("城区监测站", "PM2.5", 40.0)
    b = hourly("开发区站", "PM2.5", 46.0)  # an alias of 开发区监测站
    b = b[~b["time"].str.startswith("2023-05")]  # one station down in May: the other one carries the county
    f = one(evaluate(engine, PM, observations=pd.concat([a, b])))
    assert f.details["source"] == "stations"
    assert f.details["stations"] == ["城区监测站", "开发区站"]
    may = 31 * 40.0
    assert f.value_raw == pytest.approx((may + (365 - 31) * 43.0) / 365)
    assert f.status is Status.MET  # 42.5… → 43
    # A site the plan does not name does not enter the county series.
    c = hourly("某监测点", "PM2.5", 400.0)
    again = one(evaluate(engine, PM, observations=pd.concat([a, b, c])))
    assert again.value_raw == f.value_raw


def test_county_series_given_directly_wins(engine: Engine) -> None:
    obs = pd.concat([hourly("城区监测站", "PM2.5", 80.0), daily("全县", "PM2.5", 41.0)])
    f = one(evaluate(engine, PM, observations=obs))
    assert f.details["source"] == "county"
    assert f.value == 41.0


# --------------------------------------------------------------------------- year on year
SO2 = "air.so2.yoy_change"


@pytest.mark.parametrize(
    ("now", "value", "status"),
    [
        (17.4, -32.0, Status.MET),
        (17.5, -28.0, Status.NOT_MET),
        (17.5001, -28.0, Status.NOT_MET),
        (16.0, -36.0, Status.MET),
    ],
)
def test_so2_change_from_the_rounded_means(engine: Engine, now: float, value: float, status: Status) -> None:
    obs = pd.concat([daily("新绛县", "SO2", 25.0, year=2022), daily("新绛县", "SO2", now)])
    f = one(evaluate(engine, SO2, observations=obs))
    assert f.status is status
    assert f.value == value
    assert f.value_raw == pytest.approx((now - 25.0) / 25.0 * 100)
    assert f.unit == "%"
    assert f.limit == -30.0


def test_so2_change_needs_the_previous_year(engine: Engine) -> None:
    f = one(evaluate(engine, SO2, observations=daily("新绛县", "SO2", 16.0)))
    assert f.status is Status.INSUFFICIENT_DATA
    assert "2022" in f.message_zh
    thin = pd.concat([daily("新绛县", "SO2", 25.0, year=2022).iloc[:200], daily("新绛县", "SO2", 16.0)])
    g = one(evaluate(engine, SO2, observations=thin))
    assert g.status is Status.INSUFFICIENT_DATA
    assert "2022年有效日数200天" in g.message_zh


# --------------------------------------------------------------------------- composite index rank
RANK = "air.composite_index.rank"


def table(own: float | None, worse: int, total: int = 119) -> dict[str, float]:
    """``total`` counties; ``worse`` of the others above ``own`` (4.00 if None)."""
    base = 4.0 if own is None else own
    out = {f"示例县{i:03d}": round(base + 0.5 + i / 1000, 2) for i in range(worse)}
    out |= {f"示例县{i:03d}": round(base - 0.5 - i / 1000, 2) for i in range(worse, total - 1)}
    if own is not None:
        out["新绛县"] = own
    return out


@pytest.mark.parametrize(
    ("worse", "status", "from_worst"),
    [(5, Status.MET, 6), (4, Status.NOT_MET, 5), (0, Status.NOT_MET, 1), (118, Status.MET, 119)],
)
def test_rank_outside_the_bottom_five(engine: Engine, worse: int, status: Status, from_worst: int) -> None:
    inv = {"values": {"air.county_composite_indices": table(4.0, worse)}}
    f = one(evaluate(engine, RANK, inventory=inv))
    assert f.status is status
    assert f.value == from_worst
    assert f.limit == 5.0
    assert f.details["count"] == 119
    assert f.details["county_index_source"].startswith("values")


def test_a_tie_for_fifth_worst_is_still_in_the_bottom_five(engine: Engine) -> None:
    t = table(4.0, 4)
    t["示例县100"] = 4.0
    f = one(evaluate(engine, RANK, inventory={"values": {"air.county_composite_indices": t}}))
    assert f.status is Status.NOT_MET
    assert f.details["tied_with"] == ["示例县100"]


def test_incomplete_table(engine: Engine) -> None:
    small = dict(list(table(4.0, 10).items())[:30]) | {"新绛县": 4.0}
    f = one(evaluate(engine, RANK, inventory={"values": {"air.county_composite_indices": small}}))
    assert f.status is Status.MET  # missing counties can only push it further from the bottom
    small = {"示例县001": 5.0, "新绛县": 4.0, "示例县002": 3.0}
    g = one(evaluate(engine, RANK, inventory={"values": {"air.county_composite_indices": small}}))
    assert g.status is Status.INSUFFICIENT_DATA
    assert "3" in g.message_zh


def test_rank_without_table_says_what_is_missing(engine: Engine) -> None:
    f = one(evaluate(engine, RANK, observations=six()))
    assert f.status is Status.INSUFFICIENT_DATA
    assert "air.county_composite_indices" in f.message_zh
    assert f.details["computed_index"] == 3.92  # 10/60 + 20/40 + 70/70 + 35/35 + 1/4 + 160/160
    g = one(evaluate(engine, RANK))
    assert g.status is Status.INSUFFICIENT_DATA
    assert len(g.details["missing"]) == 2


def test_own_index_computed_from_the_data_when_not_in_the_table(engine: Engine) -> None:
    others = {k: v for k, v in table(3.92, 20).items() if k != "新绛县"}
    f = one(
        evaluate(
            engine, RANK, observations=six(), inventory={"values": {"air.county_composite_indices": others}}
        )
    )
    assert f.status is Status.MET
    assert f.value == 21.0
    assert f.details["county_index_source"].startswith("computed")


def test_county_index_records(engine: Engine) -> None:
    records = [
        {"id": f"ci-{n}", "kind": "county_index", "county": n, "composite_index": v, "period": "2023"}
        for n, v in table(4.0, 30).items()
    ]
    records.append(
        {"id": "old", "kind": "county_index", "county": "示例县999", "composite_index": 9.9, "period": 2022}
    )
    f = one(evaluate(engine, RANK, inventory={"records": records}))
    assert f.status is Status.MET
    assert f.details["count"] == 119
    bad = {"values": {"air.county_composite_indices": {"新绛县": "n/a"}}}
    with pytest.raises(DataError, match="composite index"):
        evaluate(engine, RANK, inventory=bad)


# --------------------------------------------------------------------------- heavy-pollution days
HEAVY = "air.heavy_pollution_days"


def test_heavy_pollution_days_counted(engine: Engine) -> None:
    pm = np.full(365, 35.0)
    pm[[3, 4, 360]] = [160.0, 260.0, 151.0]  # IAQI 210, 310, 201
    pm[10] = 150.0  # IAQI exactly 200: not heavy
    obs = pd.concat([six(), daily("新绛县", "PM2.5", pm)]).drop_duplicates(
        ["site", "parameter", "time"], keep="last"
    )
    f = one(evaluate(engine, HEAVY, observations=obs))
    assert f.status is Status.NOT_APPLICABLE  # counted and reported: the plan sets no number
    assert f.value == 3.0
    assert f.unit == "天"
    assert [d["date"] for d in f.details["days"]] == ["2023-01-04", "2023-01-05", "2023-12-27"]
    assert f.details["severe_days_level_6"] == 1
    limited = {"values": {"air.heavy_pollution_days_limit": "<= 2"}}
    g = one(evaluate(engine, HEAVY, observations=obs, inventory=limited))
    assert g.status is Status.NOT_MET
    assert g.limit == 2.0


def test_heavy_days_without_data(engine: Engine) -> None:
    assert one(evaluate(engine, HEAVY)).status is Status.INSUFFICIENT_DATA


def test_heavy_days_are_never_met_on_a_year_without_its_days(engine: Engine) -> None:
    # Issue 10: HJ 663 validity for every air target. Half a year of days cannot show "≤ 2 heavy days".
    first_half = [d.strftime("%Y-%m-%d") for d in pd.date_range("2023-07-01", "2023-12-31")]
    obs = pd.concat([daily("新绛县", p, v, unit=u, drop=first_half) for p, (v, u) in POLLUTANTS.items()])
    limited = {"values": {"air.heavy_pollution_days_limit": "<= 2"}}
    f = one(evaluate(engine, HEAVY, observations=obs, inventory=limited))
    assert (f.status, f.value) == (Status.INSUFFICIENT_DATA, 0.0)
    assert f.details["short_months"] == [f"2023-{m:02d}" for m in range(7, 13)]
    assert f.details["computation"]["valid"] is False and f.details["computation"]["n"] == 181
    assert "HJ 663" in f.message_zh
    # More heavy days than allowed is proven whatever is missing.
    pm = np.full(365, 35.0)
    pm[[3, 4, 5]] = 200.0
    heavy = pd.concat([obs[obs["parameter"] != "PM2.5"], daily("新绛县", "PM2.5", pm, drop=first_half)])
    g = one(evaluate(engine, HEAVY, observations=heavy, inventory=limited))
    assert (g.status, g.value) == (Status.NOT_MET, 3.0)
    full = one(evaluate(engine, HEAVY, observations=six(), inventory=limited))
    assert (full.status, full.details["computation"]["n"]) == (Status.MET, 365)


# --------------------------------------------------------------------------- binding indicators
BINDING = "air.binding.provincial"


def test_binding_indicators_are_user_supplied(engine: Engine) -> None:
    f = one(evaluate(engine, BINDING, inventory={"records": []}))
    assert f.status is Status.INSUFFICIENT_DATA
    assert "air.binding_indicators" in f.message_zh
    inv = {
        "values": {
            "air.binding_indicators": {
                "PM2.5": {"value": "46 µg/m³", "limit": "<= 0.047 mg/m³"},
                "优良天数比例": {"value": "68 %", "limit": ">= 70 %"},
                "重污染天数": {"value": 3, "limit": 5, "comparator": "<="},
                "其他": True,
            }
        }
    }
    found = {x.subject: x for x in evaluate(engine, BINDING, inventory=inv)}
    assert found["PM2.5"].status is Status.MET
    assert (found["PM2.5"].value, found["PM2.5"].limit, found["PM2.5"].unit) == (
        pytest.approx(0.046),
        0.047,
        "mg/m³",
    )
    assert found["优良天数比例"].status is Status.NOT_MET
    assert found["重污染天数"].status is Status.MET
    assert found["其他"].status is Status.MET
    whole = one(evaluate(engine, BINDING, inventory={"values": {"air.binding_indicators": "否"}}))
    assert whole.status is Status.NOT_MET
    with pytest.raises(DataError, match="comparator"):
        evaluate(
            engine, BINDING, inventory={"values": {"air.binding_indicators": {"x": {"value": 1, "limit": 2}}}}
        )


def test_supplied_straw_and_coal(engine: Engine) -> None:
    inv = {"values": {"air.straw_utilisation_rate": "89.9 %", "air.coal_consumption_change_vs_2022": "0 %"}}
    assert one(evaluate(engine, "air.straw_utilisation", inventory=inv)).status is Status.NOT_MET
    assert (
        one(evaluate(engine, "air.coal_consumption.yoy", inventory=inv)).status is Status.NOT_MET
    )  # < 0 strictly
    inv = {"values": {"air.straw_utilisation_rate": "90 %", "air.coal_consumption_change_vs_2022": "-0.1 %"}}
    assert one(evaluate(engine, "air.straw_utilisation", inventory=inv)).status is Status.MET
    # A bare 0.9 could mean 0.9 % or 90 %: it is refused rather than guessed.
    with pytest.raises(DataError, match="has no unit"):
        evaluate(engine, "air.straw_utilisation", inventory={"values": {"air.straw_utilisation_rate": 0.9}})
    assert one(evaluate(engine, "air.coal_consumption.yoy", inventory=inv)).status is Status.MET


def test_inventory_ratios_count_the_numerator(engine: Engine) -> None:
    records = [
        {"id": f"c{i}", "kind": "catering", "fume_purifier_installed": i != 0, "fume_purifier_running": i > 1}
        for i in range(4)
    ]
    installed = one(evaluate(engine, "air.fume_purifiers.installed", inventory={"records": records}))
    assert installed.status is Status.NOT_MET
    assert installed.value == 75.0
    running = one(evaluate(engine, "air.fume_purifiers.running", inventory={"records": records}))
    assert running.value == pytest.approx(200 / 3)  # 2 of the 3 installed


def test_dust_fall_every_month(engine: Engine) -> None:
    months = pd.DataFrame(
        {
            "site": "新绛县",
            "parameter": "降尘量",
            "time": [f"2023-{m:02d}" for m in range(1, 13)],
            "value": [6.0] * 11 + [7.0],
            "unit": "t/(km²·月)",
        }
    )
    assert one(evaluate(engine, "air.dust_fall", observations=months)).status is Status.MET
    months.loc[3, "value"] = 7.01
    assert one(evaluate(engine, "air.dust_fall", observations=months)).status is Status.NOT_MET


def test_plugin_conformance() -> None:
    """The plugin registers, validates and evaluates every target, rule and task on empty input."""
    from envplan_core.testing import check_plugin

    catalog = check_plugin("envplan_air")
    plan = catalog.plan("air")
    assert (len(plan.targets), len(plan.rules), len(plan.tasks)) == (18, 17, 29)
    assert sum(len(t.attachments) for t in plan.tasks) == 19
    assert {s.id for s in plan.sites if s.kind == "station"} == {"station_urban", "station_devzone"}

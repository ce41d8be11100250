"""GB 3095 parameters and dated limits (2012 → 2026 transition → 2026 final)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from envplan_core.parameters import ParameterRegistry
from envplan_core.standards import gb3095, hj633


def _registry() -> ParameterRegistry:
    reg = ParameterRegistry()
    for p in gb3095.PARAMETERS:
        reg.add(p)
    return reg


def test_parameter_ids_units_and_medium() -> None:
    units = {p.id: p.unit for p in gb3095.PARAMETERS}
    assert {k: units[k] for k in ("SO2", "NO2", "PM10", "PM2.5", "O3", "NOx", "TSP")} == dict.fromkeys(
        ("SO2", "NO2", "PM10", "PM2.5", "O3", "NOx", "TSP"), "ug/m^3"
    )
    assert units["CO"] == "mg/m^3"
    assert units["dust_fall"] == "t/(km^2*month)"
    assert units["air_Pb"] == units["air_BaP"] == "ug/m^3"
    assert all(p.medium == "air" for p in gb3095.PARAMETERS)
    assert all(p.source for p in gb3095.PARAMETERS)


@pytest.mark.parametrize(
    ("alias", "pid"),
    [
        ("PM25", "PM2.5"), ("pm2.5", "PM2.5"), ("PM₂.₅", "PM2.5"), ("细颗粒物", "PM2.5"),
        ("ＰＭ２．５", "PM2.5"),
        ("可吸入颗粒物", "PM10"), ("臭氧", "O3"), ("O₃", "O3"), ("二氧化硫", "SO2"), ("一氧化碳", "CO"),
        ("二氧化氮", "NO2"), ("降尘", "dust_fall"), ("氮氧化物", "NOx"), ("总悬浮颗粒物", "TSP"),
    ],
)
def test_aliases_resolve(alias: str, pid: str) -> None:
    resolved = _registry().resolve(alias)
    assert resolved is not None
    assert resolved.id == pid
    assert gb3095.resolve_parameter(alias) == pid


def test_eight_hour_is_a_statistic_not_a_parameter() -> None:
    assert _registry().resolve("O3_8h") is None


@pytest.mark.parametrize(
    ("parameter", "averaging", "grade", "on", "value", "standard"),
    [
        ("PM2.5", "24h", 2, "2023-06-01", 75, "GB 3095-2012"),
        ("PM2.5", "日平均", 2, "2026-03-01", 60, "GB 3095-2026 transition"),
        ("PM2.5", "daily", 2, "2031-01-01", 50, "GB 3095-2026 final"),
        ("PM2.5", "annual", 2, "2026-02-28", 35, "GB 3095-2012"),
        ("PM2.5", "年平均", 2, "2030-12-31", 30, "GB 3095-2026 transition"),
        ("PM2.5", "annual", 2, dt.date(2031, 1, 1), 25, "GB 3095-2026 final"),
        ("PM10", "annual", 2, "2023-01-01", 70, "GB 3095-2012"),
        ("PM10", "24h", 2, "2027-01-01", 120, "GB 3095-2026 transition"),
        ("SO2", "1h", 1, "2023-01-01", 150, "GB 3095-2012"),
        ("CO", "24h", 2, "2023-01-01", 4, "GB 3095-2012"),
        ("O3", "8h", 2, "2031-06-01", 160, "GB 3095-2026 final"),
        ("O3", "日最大8小时平均", 1, "2023-01-01", 100, "GB 3095-2012"),
        ("NOx", "annual", 2, "2027-01-01", 50, "GB 3095-2026 transition"),
        ("NOx", "annual", 2, "2031-01-01", 40, "GB 3095-2026 final"),
        ("TSP", "annual", 2, "2027-01-01", 200, "GB 3095-2026 transition"),  # Table 2: one set of limits
        ("Pb", "quarter", 2, "2023-01-01", 1, "GB 3095-2012"),
        ("BaP", "24h", 2, np.datetime64("2023-01-01"), 0.0025, "GB 3095-2012"),
    ],
)
def test_dated_limits(
    parameter: str, averaging: str, grade: int, on: gb3095.DateLike, value: float, standard: str
) -> None:
    lim = gb3095.limits(parameter, averaging, grade, on=on)
    assert lim.value == value
    assert lim.standard == standard
    assert lim.source.startswith(standard.removesuffix(" transition").removesuffix(" final"))
    assert "github:caiyunapp" in lim.source or "onxelh" in lim.source


def test_missing_limits_and_bad_grade() -> None:
    with pytest.raises(KeyError):
        gb3095.limits("CO", "annual", on="2023-01-01")
    with pytest.raises(KeyError):
        gb3095.limits("dust_fall", "annual", on="2023-01-01")
    with pytest.raises(ValueError, match="grade"):
        gb3095.limits("SO2", "annual", 3, on="2023-01-01")
    with pytest.raises(ValueError, match="averaging"):
        gb3095.limits("SO2", "weekly", on="2023-01-01")


def test_every_limit_unit_matches_its_parameter() -> None:
    units = {p.id: p.unit for p in gb3095.PARAMETERS}
    assert gb3095.LIMITS
    assert all(lim.unit == units[lim.parameter] for lim in gb3095.LIMITS)


@pytest.mark.parametrize(
    ("version", "on"), [(hj633.HJ633_2012, "2023-01-01"), (hj633.HJ633_2026, "2027-01-01")]
)
def test_grade_2_daily_limits_are_the_iaqi_100_breakpoints(version: str, on: str) -> None:
    # README cross-check: the HJ 633 IAQI = 100 column equals the grade-2 24-h / 8-h limits.
    table = hj633.breakpoints(version)
    pairs = {"SO2_24h": ("SO2", "24h"), "NO2_24h": ("NO2", "24h"), "PM10_24h": ("PM10", "24h"),
             "PM2.5_24h": ("PM2.5", "24h"), "CO_24h": ("CO", "24h"), "O3_8h": ("O3", "8h")}
    for key, (pid, avg) in pairs.items():
        at_100 = dict(zip(table[key].iaqi, table[key].concentration, strict=True))[100.0]
        assert gb3095.limits(pid, avg, on=on).value == at_100, key


def test_editions_by_date() -> None:
    assert gb3095.edition("2026-02-28") == "GB 3095-2012"
    assert gb3095.edition(dt.datetime(2026, 3, 1, 0, 30)) == "GB 3095-2026 transition"
    assert gb3095.edition("2031-01-01") == "GB 3095-2026 final"

"""Published real-time (hourly) AQI records against ``aqi_hourly`` (issue 10; docs/standards/aqi.md).

Each record is one hour of one station as the national real-time platform released it (relayed by
pm25.in or read from the platform itself): the six 1-h concentrations (µg/m³, CO mg/m³) and the 24-h and
8-h values printed beside them, the published AQI and primary pollutant. Sources (public repositories that
kept a copy of a response; the records are quoted there as data):

* ``TY``: github:hwjnqq/weiqing addons/we7_pm25/processor.php @ad15403 — pm25.in ``aqi_details`` for
  太原, 2015-02-05 14:00, nine stations and the city;
* ``BJ1``: github:bobby-walle/Eva app/src/main/java/bob/eve/walle/mvp/entity/Pm25InAQIDetailsEntity.java
  @1496443 — pm25.in, 北京 万寿西宫, 2017-12-13 17:00;
* ``BJ2``: github:hebingchang/air-in-china README.md @854e8f7 — the national release platform
  (106.37.208.233:20035), 北京 万寿西宫, 2017-02-15 22:00 (PM10 not reported that hour).

The published method (1-h PM on the 24-h breakpoints, no O3 8-h, concentrations unrounded) reproduces every
station record exactly; the strict reading of HJ 633-2012 §5.1.3 (24-h PM running means, O3 8-h) does not.
A city record is published with its city-mean concentrations rounded, so its AQI is checked against the
interval those rounded values allow.
"""

from __future__ import annotations

from typing import Any

import pytest

from envplan_core.standards import hj633

TY = "github:hwjnqq/weiqing addons/we7_pm25/processor.php@ad15403"
BJ1 = "github:bobby-walle/Eva app/src/main/java/bob/eve/walle/mvp/entity/Pm25InAQIDetailsEntity.java@1496443"
BJ2 = "github:hebingchang/air-in-china README.md@854e8f7"

# (source, city, station, hour, so2, no2, co, o3, pm10, pm2.5, pm10_24h, pm2.5_24h, o3_8h, aqi, primary)
_STATIONS: list[tuple[Any, ...]] = [
    (TY, "太原", "尖草坪 1081A", "2015-02-05T14", 51, 19, 2.543, 45, 25, 10, 41, 22, 30, 26, None),
    (TY, "太原", "涧河 1082A", "2015-02-05T14", 68, 26, 0.421, 32, 21, 10, 41, 29, 29, 23, None),
    (TY, "太原", "上兰 1083A", "2015-02-05T14", 43, 14, 1.033, 22, 22, 13, 23, 9, 18, 22, None),
    (TY, "太原", "晋源 1084A", "2015-02-05T14", 77, 29, 2.026, 39, 47, 34, 36, 24, 25, 49, None),
    (TY, "太原", "小店 1085A", "2015-02-05T14", 36, 25, 1.199, 48, 36, 28, 31, 19, 40, 40, None),
    (TY, "太原", "桃园 1086A", "2015-02-05T14", 62, 24, 3.401, 18, 24, 11, 32, 17, 11, 35, None),
    (TY, "太原", "坞城 1087A", "2015-02-05T14", 153, 22, 2.244, 26, 43, 23, 50, 29, 22, 51, "SO2"),
    (TY, "太原", "南寨 1088A", "2015-02-05T14", 37, 12, 0.602, 80, 26, 16, 41, 24, 58, 26, None),
    (TY, "太原", "金胜 1089A", "2015-02-05T14", 213, 56, 1.063, 42, 72, 42, 67, 39, 32, 61, "PM10"),
    (BJ1, "北京", "万寿西宫 1001A", "2017-12-13T17", 8, 67, 0.8, 6, 58, 35, 42, 27, 20, 54, "PM10"),
    (
        BJ2,
        "北京",
        "万寿西宫 1001A",
        "2017-02-15T22",
        53,
        160,
        4.3,
        64,
        None,
        279,
        None,
        247,
        39,
        329,
        "PM2.5",
    ),
]
# A city record: its concentrations are city means printed rounded (integers, CO to 0.001 mg/m³).
_CITY = (TY, "太原", "(city)", "2015-02-05T14", 82, 25, 1.615, 39, 35, 20, 40, 23, 29, 36, None)


def _one_hour(row: tuple[Any, ...], method: hj633.HourlyMethod, shift: float = 0.0) -> dict[str, Any]:
    _, _, _, hour, so2, no2, co, o3, pm10, pm25, pm10_24h, pm25_24h, o3_8h, _, _ = row
    co_shift = shift / 1000.0  # CO printed to 0.001 mg/m³
    conc: dict[str, float] = {
        "SO2_1h": so2 + shift,
        "NO2_1h": no2 + shift,
        "CO_1h": co + co_shift,
        "O3_1h": o3 + shift,
    }
    if method == "published":
        conc |= {"PM2.5_1h": pm25 + shift} | ({"PM10_1h": pm10 + shift} if pm10 is not None else {})
    else:
        conc |= {"PM2.5_24h": pm25_24h, "O3_8h": o3_8h} | ({"PM10_24h": pm10_24h} if pm10_24h else {})
    conc = {k: max(v, 0.0) for k, v in conc.items()}
    return hj633.aqi_hourly(conc, on=hour[:10], method=method).record(0)


@pytest.mark.parametrize("row", _STATIONS, ids=[f"{r[1]}-{r[2]}-{r[3]}" for r in _STATIONS])
def test_published_station_hours_reproduce(row: tuple[Any, ...]) -> None:
    rec = _one_hour(row, "published")
    aqi, primary = row[-2], row[-1]
    assert rec["aqi"] == aqi, f"{row[0]}: {rec['iaqi']}"
    assert rec["primary_pollutant"] == primary
    assert rec["hourly_method"] == "published"
    assert rec["rules"] == "HJ 633-2012"


def test_the_strict_2012_reading_does_not_reproduce_them() -> None:
    differ = [r for r in _STATIONS if _one_hour(r, "strict")["aqi"] != r[-2]]
    assert len(differ) >= 9  # all but 坞城 and 桃园 (whose AQI no PM or O3 value decides)


def test_concentrations_are_not_rounded_first() -> None:
    # 尖草坪: CO 2.543 mg/m³ → IAQI 26 (published AQI 26); rounded first to 2.5 it would be 25.
    assert hj633.iaqi("CO_1h", 2.543, on="2015-02-05")[()] == 26
    assert hj633.iaqi("CO_1h", 2.5, on="2015-02-05")[()] == 25
    # 桃园: CO 3.401 → 35 (published AQI 35); 3.4 would give 34.
    assert hj633.iaqi("CO_1h", 3.401, on="2015-02-05")[()] == 35


def test_published_city_hour_lies_in_the_interval_of_its_rounded_means() -> None:
    low = _one_hour(_CITY, "published", shift=-0.5)["aqi"]
    high = _one_hour(_CITY, "published", shift=0.4999)["aqi"]
    assert low <= _CITY[-2] <= high


def test_envplan_aqi_reproduces_them_from_a_file(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from envplan_core.cli import main

    lines = ["site,parameter,time,value,unit"]
    for _, city, station, hour, so2, no2, co, o3, pm10, pm25, *_ in _STATIONS:
        site = f"{city}{station}{hour}"  # one site per record: each hour stands alone
        values = {"SO2": so2, "NO2": no2, "CO": co, "O3": o3, "PM10": pm10, "PM2.5": pm25}
        lines += [
            f"{site},{p},{hour}:00,{v},{'mg/m3' if p == 'CO' else 'ug/m3'}"
            for p, v in values.items()
            if v is not None
        ]
    path = tmp_path / "published.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--plugins", "", "aqi", str(path), "--kind", "hourly", "--format", "json"]) == 0
    got = {r["site"]: (r["aqi"], r["primary_pollutant"]) for r in json.loads(capsys.readouterr().out)}
    assert got == {f"{r[1]}{r[2]}{r[3]}": (r[-2], r[-1]) for r in _STATIONS}

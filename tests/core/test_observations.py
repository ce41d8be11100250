"""Observation intake: formats, encodings, units, non-detects, time conventions, row problems."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envplan_core.data import observations as obs_module
from envplan_core.data.observations import (
    TIME_DAY,
    TIME_INSTANT,
    TIME_MONTH,
    TIME_YEAR,
    ObservationSet,
    read_observations,
)
from envplan_core.errors import DataError
from envplan_core.findings import Issue
from envplan_core.parameters import Parameter, ParameterRegistry
from envplan_core.stats import annual_statistics

HEADER = ["site", "parameter", "time", "value", "unit"]
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


class CountingRegistry(ParameterRegistry):
    """Counts resolve() calls, to show spellings are resolved once each, not once per row."""

    calls = 0

    def resolve(self, name: str) -> Parameter | None:
        type(self).calls += 1
        return super().resolve(name)


def make_registry(cls: type[ParameterRegistry] = ParameterRegistry) -> ParameterRegistry:
    reg = cls()
    for p in (
        Parameter("PM2.5", "细颗粒物", "fine particulate matter", "ug/m^3", "air", aliases=("PM25", "PM₂.₅")),
        Parameter("SO2", "二氧化硫", "sulphur dioxide", "ug/m^3", "air"),
        Parameter("CO", "一氧化碳", "carbon monoxide", "mg/m^3", "air"),
        Parameter("NH3-N", "氨氮", "ammonia nitrogen", "mg/L", "surface_water"),
        Parameter("pH", "pH值", "pH", "dimensionless", "surface_water", upper_bound=14.0),
        Parameter("DO", "溶解氧", "dissolved oxygen", "mg/L", "surface_water"),
        Parameter("WT", "水温", "water temperature", "degC", "surface_water", lower_bound=None),
    ):
        reg.add(p)
    return reg


REG = make_registry()


def frame(rows: list[tuple[Any, ...]], columns: list[str] | None = None) -> pd.DataFrame:
    result: pd.DataFrame = pd.DataFrame(rows, columns=columns or HEADER)
    return result


def write_csv(path: Path, rows: list[tuple[Any, ...]], *, header: list[str] | None = None,
              encoding: str = "utf-8") -> Path:
    lines = [",".join(header or HEADER)] + [",".join(str(c) for c in r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


GOOD = [
    ("杨赵桥", "氨氮", "2023-05-10", "0.52", "mg/L"),
    ("杨赵桥", "NH3-N", "2023-06-10", "<0.025", "mg/L"),
    ("县城站", "PM2.5", "2023-05-10T14:00", "35", "µg/m³"),
    ("县城站", "PM25", "2023-05-10T15:00", "0.041", "mg/m3"),
    ("县城站", "CO", "2023-05-10T14:00", "800", "ug/m3"),
    ("杨赵桥", "pH", "2023-05", "7.4", "无量纲"),
]


# -- reading ------------------------------------------------------------------------------------------


def test_reads_csv_columnwise(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "obs.csv", GOOD)
    obs = read_observations(path, parameters=REG)
    assert len(obs) == 6
    assert obs.issues == ()
    assert obs.sites == ("县城站", "杨赵桥")
    assert obs.parameters == ("CO", "NH3-N", "PM2.5", "pH")
    assert obs.files == (str(path),)
    assert obs.row.tolist() == [2, 3, 4, 5, 6, 7]
    assert obs.site.dtype == np.int32
    assert obs.parameter.dtype == np.int16
    assert obs.time.dtype == np.dtype("datetime64[s]")
    assert obs.time_kind.dtype == np.int8
    frame_ = obs.to_frame()
    assert frame_["parameter"].tolist() == ["NH3-N", "NH3-N", "PM2.5", "PM2.5", "CO", "pH"]
    np.testing.assert_allclose(obs.value, [0.52, 0.025, 35.0, 41.0, 0.8, 7.4])
    assert obs.time_kind.tolist() == [TIME_DAY, TIME_DAY, TIME_INSTANT, TIME_INSTANT, TIME_INSTANT,
                                      TIME_MONTH]
    assert obs.censored.tolist() == [False, True, False, False, False, False]
    assert obs.flag is None
    assert "start of its hour" in obs.note


def test_chinese_headers_and_optional_columns() -> None:
    df = pd.DataFrame({
        "断面": ["杨赵桥", "杨赵桥"], "项目": ["氨氮", "溶解氧"], "日期": ["2023-05-10", "2023-05-10"],
        "监测值": ["ND", "6.1"], "单位": ["mg/L", "mg/L"], "检出限": ["0.025", ""], "标记": ["", "V"],
        "备注": ["复测", ""],
    })
    obs = read_observations(df, parameters=REG)
    assert obs.files == ("<DataFrame>",)
    assert obs.censored.tolist() == [True, False]
    np.testing.assert_allclose(obs.value, [0.025, 6.1])
    np.testing.assert_allclose(obs.detection_limit, [0.025, np.nan])
    assert obs.flag is not None
    assert obs.flag.tolist() == ["", "V"]


def test_missing_and_unknown_columns() -> None:
    with pytest.raises(DataError, match="missing required column 'unit'") as info:
        read_observations(frame([("A", "SO2", "2023", "1")], HEADER[:4]), parameters=REG)
    assert info.value.column == "unit"
    assert info.value.row == 1
    extra = frame([("A", "SO2", "2023", "1", "ug/m3", "x")], [*HEADER, "operator"])
    with pytest.raises(DataError, match="unknown column 'operator'") as info:
        read_observations(extra, parameters=REG)
    assert info.value.column == "operator"
    assert info.value.file == "<DataFrame>"
    assert len(read_observations(extra, parameters=REG, ignore_extra_columns=True)) == 1


def test_two_headers_for_one_column() -> None:
    columns = ["site", "点位", "parameter", "time", "value", "unit"]
    df = frame([("A", "B", "SO2", "2023", "1", "ug/m3")], columns)
    with pytest.raises(DataError, match="both mean 'site'"):
        read_observations(df, parameters=REG)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    # GBK has Greek mu (μ) but neither the micro sign nor superscripts: exports write μg/m3.
    rows = [tuple("μg/m3" if c == "µg/m³" else c for c in r) for r in GOOD]
    path = write_csv(tmp_path / f"obs-{encoding}.csv", rows, header=["点位", "指标", "时间", "数值", "单位"],
                     encoding=encoding)
    obs = read_observations(path, parameters=REG)
    assert obs.sites == ("县城站", "杨赵桥")
    assert len(obs) == 6


def test_gbk_after_a_long_ascii_start(tmp_path: Path) -> None:
    """The first megabyte sniffs as UTF-8 (ASCII); a later GBK row makes the reader retry as GB18030."""
    body = ["site,parameter,time,value,unit"]
    body += [f"S{i},SO2,2023-01-01T{i % 24:02d}:00,1,ug/m3" for i in range(40_000)]
    body.append("县城站,SO2,2023-01-01T00:00,2,ug/m3")
    path = tmp_path / "late-gbk.csv"
    path.write_bytes(("\n".join(body) + "\n").encode("gbk"))
    obs = read_observations(path, parameters=REG)
    assert "县城站" in obs.sites
    assert len(obs) == 40_001


def test_xlsx_round_trip(tmp_path: Path) -> None:
    df = frame(GOOD)
    path = tmp_path / "obs.xlsx"
    df.to_excel(path, index=False)
    from_xlsx = read_observations(path, parameters=REG)
    from_frame = read_observations(df, parameters=REG)
    for column in ("site", "parameter", "time", "time_kind", "value", "censored", "row"):
        np.testing.assert_array_equal(getattr(from_xlsx, column), getattr(from_frame, column))
    assert from_xlsx.sites == from_frame.sites
    assert from_xlsx.files == (str(path),)


def test_xlsx_date_cells_keep_their_resolution(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["A", "DO", dt.date(2023, 5, 10), 6.5, "mg/L"])  # a date cell (format yyyy-mm-dd)
    sheet.append(["A", "SO2", dt.datetime(2023, 5, 10, 14, 0), 12, "ug/m3"])
    sheet["C3"].number_format = "yyyy-mm-dd hh:mm"
    sheet.append([None, None, None, None, None])
    sheet.append(["B", "DO", "2023-05-11", "7", "mg/L"])
    path = tmp_path / "dates.xlsx"
    book.save(path)
    obs = read_observations(path, parameters=REG)
    assert obs.time_kind.tolist() == [TIME_DAY, TIME_INSTANT, TIME_DAY]
    assert obs.time.astype(str).tolist() == [
        "2023-05-10T00:00:00", "2023-05-10T14:00:00", "2023-05-11T00:00:00"]
    assert obs.row.tolist() == [2, 3, 5]  # the blank row 4 is skipped but still counted


def test_dataframe_with_native_dtypes() -> None:
    df = pd.DataFrame({
        "site": ["A", "A"], "parameter": ["SO2", "SO2"],
        "time": pd.to_datetime(["2023-05-10 14:00", "2023-05-10 15:00"]),
        "value": [10.0, 12.5], "unit": ["ug/m3", "mg/m3"],
    })
    obs = read_observations(df, parameters=REG)
    np.testing.assert_allclose(obs.value, [10.0, 12500.0])
    assert df["value"].tolist() == [10.0, 12.5]  # the caller's frame is not converted in place
    aware = df.assign(time=pd.to_datetime(["2023-05-10 06:00", "2023-05-10 07:00"]).tz_localize("UTC"))
    assert read_observations(aware, parameters=REG).time.astype(str).tolist() == [
        "2023-05-10T14:00:00", "2023-05-10T15:00:00"]


def test_list_of_sources_and_cross_file_duplicates(tmp_path: Path) -> None:
    a = write_csv(tmp_path / "a.csv", GOOD[:3])
    b = write_csv(tmp_path / "b.csv", [GOOD[2], ("新站", "SO2", "2023", "5", "ug/m3")])
    with pytest.raises(DataError) as info:
        read_observations([a, b], parameters=REG)
    assert info.value.file == str(b)
    assert info.value.row == 2
    assert info.value.column == "time"
    assert f"{a}:4" in str(info.value)
    obs = read_observations([a, b], parameters=REG, errors="report")
    assert len(obs) == 4
    assert len(obs.issues) == 1
    assert obs.files == (str(a), str(b))
    assert obs.sites == ("县城站", "新站", "杨赵桥")


# -- units --------------------------------------------------------------------------------------------


def test_units_converted_once_per_group(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []
    real = obs_module.convert_array  # type: ignore[attr-defined]  # patched where the reader looks it up

    def counting(values: Any, unit: Any, target: Any) -> Any:
        calls.append((str(unit), str(target)))
        return real(values, unit, target)

    monkeypatch.setattr(obs_module, "convert_array", counting)
    rows = [("A", "PM2.5", f"2023-01-01T{h:02d}:00", *(("0.035", "mg/m³") if h % 2 else ("35", "µg/m³")))
            for h in range(24)]
    CountingRegistry.calls = 0
    obs = read_observations(frame(rows * 1), parameters=make_registry(CountingRegistry))
    np.testing.assert_allclose(obs.value, 35.0)
    assert len(calls) == 2  # two (parameter, unit) groups, whatever the number of rows
    assert CountingRegistry.calls == 1  # one spelling of the parameter


@FAST
@given(st.lists(st.integers(min_value=0, max_value=999_999), min_size=1, max_size=60))
def test_unit_change_gives_the_same_canonical_values(micrograms: list[int]) -> None:
    """The same data in mg/m³ and in µg/m³ reads to the same canonical values."""
    times = [f"2023-01-{1 + i // 24:02d}T{i % 24:02d}:00" for i in range(len(micrograms))]
    in_ug = frame([("A", "SO2", t, str(v), "µg/m³") for t, v in zip(times, micrograms, strict=True)])
    in_mg = frame([("A", "SO2", t, repr(v / 1000), "mg/m3") for t, v in zip(times, micrograms, strict=True)])
    a = read_observations(in_ug, parameters=REG)
    b = read_observations(in_mg, parameters=REG)
    np.testing.assert_allclose(a.value, b.value, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(a.time, b.time)


def test_offset_unit_degrees_fahrenheit() -> None:
    obs = read_observations(frame([("A", "水温", "2023-05-10", "68", "°F")]), parameters=REG)
    np.testing.assert_allclose(obs.value, [20.0])


def test_dimensionless_ph_accepts_empty_unit() -> None:
    rows = [("A", "pH", "2023-05-10", "7.2", ""), ("A", "pH", "2023-05-11", "7.3", "无量纲")]
    obs = read_observations(frame(rows), parameters=REG)
    np.testing.assert_allclose(obs.value, [7.2, 7.3])


# -- non-detects --------------------------------------------------------------------------------------


def test_non_detect_spellings() -> None:
    rows = [
        ("A", "氨氮", "2023-01-01", "<0.025", "mg/L", ""),
        ("A", "氨氮", "2023-01-02", "0.025L", "mg/L", ""),
        ("A", "氨氮", "2023-01-03", "未检出", "mg/L", "0.02"),
        ("A", "氨氮", "2023-01-04", "ND", "ug/L", "25"),
        ("A", "氨氮", "2023-01-05", "0.01", "mg/L", "0.025"),  # below its own detection limit
        ("A", "氨氮", "2023-01-06", "0.5", "mg/L", "0.025"),
    ]
    obs = read_observations(frame(rows, [*HEADER, "detection_limit"]), parameters=REG)
    assert obs.censored.tolist() == [True, True, True, True, True, False]
    np.testing.assert_allclose(obs.value, [0.025, 0.025, 0.02, 0.025, 0.025, 0.5])
    np.testing.assert_allclose(obs.detection_limit, [0.025, 0.025, 0.02, 0.025, 0.025, 0.025])
    np.testing.assert_allclose(obs.stat_values(), [0.0125, 0.0125, 0.01, 0.0125, 0.0125, 0.5])


def test_nd_without_detection_limit_is_an_error() -> None:
    with pytest.raises(DataError, match="needs a detection limit") as info:
        read_observations(frame([("A", "氨氮", "2023-01-01", "ND", "mg/L")]), parameters=REG)
    assert (info.value.row, info.value.column) == (2, "value")


def test_stat_values_without_non_detects_is_read_only() -> None:
    obs = read_observations(frame(GOOD[2:4]), parameters=REG)
    values = obs.stat_values()
    with pytest.raises(ValueError, match="read-only"):
        values[0] = 1.0


# -- time ---------------------------------------------------------------------------------------------


def test_time_formats_and_offsets() -> None:
    rows = [
        ("A", "SO2", "2023-05-10T14:00", "1", "ug/m3"),
        ("A", "SO2", "2023-05-10 15:00:00", "1", "ug/m3"),
        ("A", "SO2", "2023-05-10T08:00Z", "1", "ug/m3"),
        ("A", "SO2", "2023-05-10T17:00+0800", "1", "ug/m3"),
        ("A", "SO2", "2023-05-10T06:00-05:00", "1", "ug/m3"),
        ("A", "SO2", "2023/05/11", "1", "ug/m3"),
        ("A", "SO2", "2023-05", "1", "ug/m3"),
        ("A", "SO2", "2023", "1", "ug/m3"),
    ]
    obs = read_observations(frame(rows), parameters=REG)
    assert obs.time.astype(str).tolist() == [
        "2023-05-10T14:00:00", "2023-05-10T15:00:00", "2023-05-10T16:00:00", "2023-05-10T17:00:00",
        "2023-05-10T19:00:00", "2023-05-11T00:00:00", "2023-05-01T00:00:00", "2023-01-01T00:00:00",
    ]
    assert obs.time_kind.tolist() == [0, 0, 0, 0, 0, TIME_DAY, TIME_MONTH, TIME_YEAR]


def test_hour_end_convention() -> None:
    rows = [("A", "SO2", "2023-05-10T01:00", "1", "ug/m3"), ("A", "SO2", "2023-05-10T24:00", "2", "ug/m3"),
            ("A", "SO2", "2023-05-10", "3", "ug/m3")]
    with pytest.raises(DataError, match="hour_end=True") as info:
        read_observations(frame(rows), parameters=REG)
    assert (info.value.row, info.value.column) == (3, "time")
    obs = read_observations(frame(rows), parameters=REG, hour_end=True)
    assert obs.time.astype(str).tolist() == [
        "2023-05-10T00:00:00", "2023-05-10T23:00:00", "2023-05-10T00:00:00"]
    assert obs.time_kind.tolist() == [TIME_INSTANT, TIME_INSTANT, TIME_DAY]  # a daily value is not shifted
    assert "shifted back one hour" in obs.note


# -- row problems -------------------------------------------------------------------------------------

OK_ROW = ("A", "SO2", "2023-05-10T14:00", "12", "ug/m3")


@pytest.mark.parametrize(
    ("bad", "column", "reason"),
    [
        (("", "SO2", "2023-05-10", "1", "ug/m3"), "site", "empty required cell"),
        (("A", "XYZ", "2023-05-10", "1", "ug/m3"), "parameter", "unknown parameter 'XYZ'"),
        (("A", "", "2023-05-10", "1", "ug/m3"), "parameter", "empty required cell"),
        (("A", "SO2", "2023-13-01", "1", "ug/m3"), "time", "malformed time '2023-13-01'"),
        (("A", "SO2", "10/05/2023", "1", "ug/m3"), "time", "malformed time"),
        (("A", "SO2", "2023-05-10T25:00", "1", "ug/m3"), "time", "malformed time"),
        (("A", "SO2", "", "1", "ug/m3"), "time", "empty required cell"),
        (("A", "SO2", "2023-05-10", "abc", "ug/m3"), "value", "non-numeric value 'abc'"),
        (("A", "SO2", "2023-05-10", "", "ug/m3"), "value", "empty required cell"),
        (("A", "SO2", "2023-05-10", "-3", "ug/m3"), "value", "below the lower bound 0"),
        (("A", "pH", "2023-05-10", "15", ""), "value", "above the upper bound 14"),
        (("A", "SO2", "2023-05-10", "inf", "ug/m3"), "value", "not a finite number"),
        (("A", "SO2", "2023-05-10", "<0", "ug/m3"), "value", "must be positive"),
        (("A", "SO2", "2023-05-10", "1", "furlongs/fortnight"), "unit", "wrong dimension"),
        (("A", "SO2", "2023-05-10", "1", "zorkmids"), "unit", "unknown unit 'zorkmids'"),
        (("A", "SO2", "2023-05-10", "1", "mg/L"), "unit", "SO2"),
        (("A", "SO2", "2023-05-10", "1", ""), "unit", "empty required cell"),
        (OK_ROW, "time", "duplicate record: same site, parameter and time as obs.csv:2"),
    ],
)
def test_each_problem_names_file_row_and_column(tmp_path: Path, bad: tuple[str, ...], column: str,
                                                reason: str) -> None:
    path = write_csv(tmp_path / "obs.csv", [OK_ROW, bad])
    with pytest.raises(DataError) as info:
        read_observations(path, parameters=REG, name="obs.csv")
    error = info.value
    assert (error.file, error.row, error.column) == ("obs.csv", 3, column)
    assert reason in str(error)
    assert len(error.problems) >= 1
    assert "obs.csv, row 3" in error.problems[0]
    reported = read_observations(path, parameters=REG, name="obs.csv", errors="report")
    assert len(reported) == 1
    (issue,) = reported.issues
    assert (issue.file, issue.row, issue.column) == ("obs.csv", 3, column)
    assert reason in issue.reason


def test_chinese_header_is_named_in_problems() -> None:
    df = frame([("A", "SO2", "2023-05-10", "x", "ug/m3")], ["点位", "指标", "时间", "浓度", "单位"])
    with pytest.raises(DataError) as info:
        read_observations(df, parameters=REG)
    assert info.value.column == "浓度"


def test_all_problems_collected_then_one_error() -> None:
    rows = [("A", "SO2", f"2023-01-{d:02d}", "bad", "ug/m3") for d in range(1, 26)]
    rows.append(("A", "SO2", "2023-02-01", "", "zorkmids"))  # two problems in one row
    with pytest.raises(DataError) as info:
        read_observations(frame(rows), parameters=REG)
    message = str(info.value)
    assert "27 problems in 26 rows" in message
    assert "… and 7 more" in message
    assert len(info.value.problems) == 27
    reported = read_observations(frame(rows), parameters=REG, errors="report")
    assert len(reported.issues) == 26  # one Issue per excluded row
    last = reported.issues[-1]
    assert (last.row, last.column) == (27, "value")
    assert "also column 'unit'" in last.reason


def test_blank_rows_are_not_records(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("site,parameter,time,value,unit\nA,SO2,2023,1,ug/m3\n\n,,,,\nB,SO2,2023,2,ug/m3\n",
                    encoding="utf-8")
    obs = read_observations(path, parameters=REG)
    assert obs.row.tolist() == [2, 5]


def test_errors_argument_is_checked() -> None:
    with pytest.raises(ValueError, match="errors must be"):
        read_observations(frame(GOOD), parameters=REG, errors="ignore")  # type: ignore[arg-type]


def test_missing_file_and_bad_workbook(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        read_observations(tmp_path / "nope.csv", parameters=REG)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a zip", encoding="utf-8")
    with pytest.raises(DataError, match="not a readable XLSX"):
        read_observations(bad, parameters=REG)


# -- properties ---------------------------------------------------------------------------------------

CELLS = {
    "site": st.sampled_from(["A", "B", "县城站", "", " A "]),
    "parameter": st.sampled_from(["SO2", "二氧化硫", "PM2.5", "氨氮", "XX", ""]),
    "time": st.sampled_from(["2023-05-10T14:00", "2023-05-10T15:00", "2023-05-10", "2023-05", "2023",
                             "2023-02-30", "yesterday", "", "2023-05-10T24:00"]),
    "value": st.sampled_from(["1.5", "0", "-2", "abc", "", "<0.01", "ND", "3e2", "0.02L"]),
    "unit": st.sampled_from(["ug/m3", "mg/m³", "mg/L", "furlong", "", "µg/m³"]),
}


@FAST
@given(st.lists(st.fixed_dictionaries(CELLS), min_size=1, max_size=40))
def test_no_row_is_dropped_silently(rows: list[dict[str, str]]) -> None:
    """Rows in = rows used + rows reported (every non-blank row is one or the other)."""
    df = pd.DataFrame(rows, columns=HEADER)
    blank = sum(all(not v.strip() for v in r.values()) for r in rows)
    obs = read_observations(df, parameters=REG, errors="report")
    assert len(obs) + len(obs.issues) == len(rows) - blank
    used = set(obs.row.tolist())
    reported = {i.row for i in obs.issues}
    assert not used & reported
    assert all(isinstance(i, Issue) and i.file == "<DataFrame>" and i.column for i in obs.issues)
    if obs.issues:
        with pytest.raises(DataError):
            read_observations(df, parameters=REG)


@FAST
@given(
    st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["SO2", "PM2.5", "CO"]),
                       st.integers(0, 24 * 60 - 1), st.floats(0, 500, allow_nan=False)),
             min_size=1, max_size=80, unique_by=lambda r: r[:3]),
    st.randoms(use_true_random=False),
)
def test_row_order_does_not_change_statistics(rows: list[tuple[str, str, int, float]], rnd: Any) -> None:
    records = [(s, p, (dt.datetime(2023, 1, 1) + dt.timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M"),
                repr(v), "ug/m3" if p != "CO" else "mg/m3") for s, p, h, v in rows]
    shuffled = records[:]
    rnd.shuffle(shuffled)
    a = annual_statistics(read_observations(frame(records), parameters=REG), period="month")
    b = annual_statistics(read_observations(frame(shuffled), parameters=REG), period="month")
    da, db = a.as_dict(), b.as_dict()
    assert da.keys() == db.keys()
    np.testing.assert_allclose([da[k] for k in da], [db[k] for k in da], rtol=1e-12)
    pa = annual_statistics(read_observations(frame(records), parameters=REG), statistic="p95").as_dict()
    pb = annual_statistics(read_observations(frame(shuffled), parameters=REG), statistic="p95").as_dict()
    assert pa == pb


# -- the ObservationSet API ---------------------------------------------------------------------------


@pytest.fixture
def sample() -> ObservationSet:
    rows = [(s, p, f"2023-{m:02d}-10", str(m), "mg/L") for s in ("A", "B") for p in ("氨氮", "DO")
            for m in range(1, 13)]
    return read_observations(frame(rows), parameters=REG, name="s.csv")


def test_select(sample: ObservationSet) -> None:
    assert len(sample) == 48
    assert len(sample.select(sites=["A"])) == 24
    assert len(sample.select(sites=sample.site_codes_for(["B"]))) == 24
    assert len(sample.select(sites=np.array([], dtype=np.int32))) == 0
    assert len(sample.select(sites=["nowhere"])) == 0
    assert len(sample.select(parameters=["DO"])) == 24
    part = sample.select(sites="A", parameters=["NH3-N"], start="2023-03-01", end=dt.date(2023, 6, 1))
    assert part.value.tolist() == [3.0, 4.0, 5.0]
    assert part.sites == sample.sites  # code tables are kept
    assert len(sample.select(start=dt.datetime(2023, 12, 10))) == 4
    assert len(sample.select(end=np.datetime64("2023-01-11"))) == 4


def test_site_codes_for(sample: ObservationSet) -> None:
    assert sample.site_codes_for(["B", " A ", "Z"]).tolist() == [1, 0, -1]


def test_evidence(sample: ObservationSet) -> None:
    assert sample.evidence(np.arange(3)) == ("s.csv:2", "s.csv:3", "s.csv:4")
    everything = sample.evidence()
    assert len(everything) == 21
    assert everything[-1] == "… and 28 more"
    assert sample.evidence(sample.site == 1)[0] == "s.csv:26"


def test_concat_and_to_frame(sample: ObservationSet) -> None:
    other = read_observations(frame([("C", "SO2", "2023", "1", "ug/m3")]), parameters=REG, name="o.csv")
    both = ObservationSet.concat([sample, other])
    assert len(both) == 49
    assert both.sites == ("A", "B", "C")
    assert both.parameters == ("DO", "NH3-N", "SO2")
    assert both.files == ("s.csv", "o.csv")
    table = both.to_frame()
    assert table.iloc[-1][["site", "parameter", "file", "row"]].tolist() == ["C", "SO2", "o.csv", 2]
    assert ObservationSet.concat([]).sites == ()
    assert len(ObservationSet.empty()) == 0


def test_equal_lengths_are_enforced(sample: ObservationSet) -> None:
    import attrs

    with pytest.raises(ValueError, match="equal length"):
        attrs.evolve(sample, value=sample.value[:-1])


def test_a_hundred_thousand_rows_quickly() -> None:
    """A smoke test of the column-wise path (the benchmark measures it properly)."""
    import time

    n = 100_000
    hours = pd.date_range("2023-01-01", periods=n // 4, freq="h").strftime("%Y-%m-%dT%H:%M")
    df = pd.DataFrame({
        "site": np.repeat(["A", "B", "C", "D"], n // 4), "parameter": "PM2.5",
        "time": np.tile(hours, 4), "value": np.arange(n, dtype=float) % 300, "unit": "µg/m³",
    })
    start = time.perf_counter()
    obs = read_observations(df, parameters=REG)
    assert len(obs) == n
    assert time.perf_counter() - start < 5.0


CSV_HEAD = "site,parameter,time,value,unit"


@pytest.mark.parametrize(
    ("text", "row", "message"),
    [
        (f"{CSV_HEAD}\nA,SO2,2023,1,ug/m3,surplus\n", 2, "more fields (6) than the header (5)"),
        (f"{CSV_HEAD}\nA,SO2,2023,1,ug/m3\nA,SO2,2022,1,ug/m3,x\n", 3, "Expected 5 fields"),
        (f"{CSV_HEAD},\nA,SO2,2023,1,ug/m3,x\n", 1, "column 6 has no header but holds data"),
        ("", 1, "empty file"),
    ],
)
def test_malformed_csv_structure(tmp_path: Path, text: str, row: int, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(message)) as info:
        read_observations(path, parameters=REG)
    assert (info.value.file, info.value.row) == (str(path), row)


def test_trailing_separator_and_header_only(tmp_path: Path) -> None:
    trailing = tmp_path / "trailing.csv"
    trailing.write_text("site,parameter,time,value,unit,\nA,SO2,2023,1,ug/m3,\n", encoding="utf-8")
    assert len(read_observations(trailing, parameters=REG)) == 1
    header_only = tmp_path / "header.csv"
    header_only.write_text("site,parameter,time,value,unit\n", encoding="utf-8")
    assert len(read_observations(header_only, parameters=REG)) == 0
    assert len(read_observations([], parameters=REG)) == 0

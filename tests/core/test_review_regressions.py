"""Regressions found in review: each test failed before its fix."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import envplan_core as ep
from envplan_core.engine import task_status
from envplan_core.findings import Status
from envplan_core.model import Deadline, DeadlineKind, Task
from envplan_core.units import parse_quantity, parse_unit

HEAD = """
id: rev-2024
title_zh: 回归测试
title_en: regression
year: 2024
document: d
issued: 2024-01-01
"""


def _engine(body: str) -> ep.Engine:
    plan = ep.load_plan_text(HEAD + textwrap.dedent(body))

    class _P:
        @ep.hookimpl
        def envplan_plans(self) -> list[ep.Plan]:
            return [plan]

    return ep.load(plugins=[_P()])


@pytest.mark.parametrize(("text", "magnitude"), [("12,500 t", 12500.0), ("1,000 mg/L", 1000.0), ("5", 5.0)])
def test_thousands_separators(text: str, magnitude: float) -> None:
    assert parse_quantity(text).magnitude == magnitude


@pytest.mark.parametrize("text", ["1 000 mg/L", "3 2 mg/L", "12,50 t"])
def test_split_numbers_are_not_quantities(text: str) -> None:
    with pytest.raises(ep.UnitError):
        parse_quantity(text)


def test_standard_cubic_metre_in_chinese() -> None:
    assert parse_unit("毫克/标立方米").m_as("mg/m^3") == pytest.approx(1.0)


class _E:
    def __init__(self, task: str, date: dt.date) -> None:
        self.task, self.status, self.date, self.note, self.source = task, "done", date, "", "p:2"


@pytest.mark.parametrize("spelling", ["t#2", "t#02"])
def test_milestone_numbers_are_read_as_numbers(spelling: str) -> None:
    task = Task(
        id="t",
        number="1",
        title_zh="t",
        title_en="t",
        citation=ep.Citation(),
        deadlines=(
            Deadline(kind=DeadlineKind.DATE, date=dt.date(2024, 3, 31)),
            Deadline(kind=DeadlineKind.DATE, date=dt.date(2024, 6, 30)),
        ),
    )
    status, _ = task_status(
        task,
        [_E("t#1", dt.date(2024, 3, 1)), _E(spelling, dt.date(2024, 6, 1))],  # type: ignore[list-item]
        dt.date(2024, 12, 31),
    )
    assert status is Status.DONE


BOILERS = {
    "records": [
        {"id": "k1", "kind": "boiler", "name": "k1", "capacity": "50 t/h"},
        {"id": "k2", "kind": "boiler", "name": "k2", "capacity": "20 t/h"},
    ]
}
RULE = """
rules:
  - id: r.boiler
    title_zh: 锅炉
    title_en: boilers
    evaluator: inventory_forbidden
    applies_to: boiler
    params: {kind: boiler, field: capacity}
    thresholds: [{comparator: ">=", value: "35 t/h", effective_from: 2024-07-01}]
    citation: {text: x}
"""


def test_forbidden_rule_before_its_threshold_applies_flags_nobody() -> None:
    engine = _engine(RULE)
    early = [f for f in engine.evaluate(inventory=BOILERS, as_of="2024-03-01").findings if f.id == "r.boiler"]
    assert [f.status for f in early] == [Status.NOT_APPLICABLE]
    late = [
        f.subject
        for f in engine.evaluate(inventory=BOILERS, as_of="2024-12-31").findings
        if f.id == "r.boiler" and f.status is Status.NOT_MET
    ]
    assert late == ["k2"]


YOY = """
targets:
  - id: t.so2
    title_zh: 二氧化硫同比
    title_en: SO2 yoy
    kind: goal
    evaluator: yoy_change
    parameter: SO2
    period: "{period}"
    thresholds: [{{comparator: "<=", value: "0 %"}}]
    citation: {{text: x}}
"""


def _so2(years: tuple[int, ...]) -> pd.DataFrame:
    rows = [
        ("新绛县", "SO2", f"{y}-{m:02d}-15", 30.0 if m <= 3 else 10.0, "ug/m3")
        for y in years
        for m in range(1, 13)
    ]
    rows += [("新绛县", "SO2", f"{y}-02-28", 20.0, "ug/m3") for y in years]
    return pd.DataFrame(rows, columns=["site", "parameter", "time", "value", "unit"])


def test_yoy_partial_year_is_like_for_like_and_provisional() -> None:
    engine = _engine(YOY.format(period="2024"))
    (f,) = [
        f
        for f in engine.evaluate(observations=_so2((2023, 2024)), as_of="2024-06-30").findings
        if f.id == "t.so2"
    ]
    assert f.value == pytest.approx(0.0)
    assert f.details["provisional"] is True


def test_yoy_february_of_a_leap_year() -> None:
    engine = _engine(YOY.format(period="2024-02"))
    (f,) = [
        f
        for f in engine.evaluate(observations=_so2((2023, 2024)), as_of="2024-12-31").findings
        if f.id == "t.so2"
    ]
    assert f.status is Status.MET


SUPPLIED = """
targets:
  - id: t.rate
    title_zh: 利用率
    title_en: rate
    kind: goal
    evaluator: supplied_value
    params: {key: rate}
    thresholds: [{comparator: ">=", value: "90 %"}]
    citation: {text: x}
  - id: t.pm
    title_zh: PM2.5
    title_en: PM2.5
    kind: goal
    evaluator: statistic
    parameter: PM2.5
    period: "2024"
    thresholds: [{comparator: "<=", value: "75"}]
    citation: {text: x}
"""


def test_a_bare_number_against_a_percent_threshold_is_an_error() -> None:
    engine = _engine(SUPPLIED)
    with pytest.raises(ep.DataError, match="has no unit"):
        engine.evaluate(inventory={"records": [], "values": {"rate": 85}}, as_of="2024-12-31")
    (f,) = [
        f
        for f in engine.evaluate(
            inventory={"records": [], "values": {"rate": "85 %"}}, as_of="2024-12-31"
        ).findings
        if f.id == "t.rate"
    ]
    assert f.status is Status.NOT_MET


def test_a_quoted_number_threshold_is_a_number_in_the_parameter_unit() -> None:
    engine = _engine(SUPPLIED)
    obs = pd.DataFrame(
        [("新绛县", "PM2.5", "2024-01-01", 80.0, "ug/m3")],
        columns=["site", "parameter", "time", "value", "unit"],
    )
    (f,) = [f for f in engine.evaluate(observations=obs, as_of="2024-12-31").findings if f.id == "t.pm"]
    assert f.status is Status.NOT_MET
    assert f.limit == 75.0


def test_a_record_in_the_wrong_unit_is_reported_not_fatal() -> None:
    engine = _engine("""
rules:
  - id: r.width
    title_zh: 宽度
    title_en: width
    evaluator: inventory_field
    applies_to: buffer
    params: {kind: buffer, field: width}
    thresholds: [{comparator: ">=", value: "30 m"}]
    citation: {text: x}
""")
    inv = {
        "records": [
            {"id": "a", "kind": "buffer", "width": "20 m"},
            {"id": "b", "kind": "buffer", "width": "30 m²"},
        ]
    }
    statuses = {
        f.subject: f.status
        for f in engine.evaluate(inventory=inv, as_of="2024-12-31").findings
        if f.id == "r.width"
    }
    assert statuses == {"a": Status.NOT_MET, "b": Status.INSUFFICIENT_DATA}


def test_cyclic_groups_are_rejected(tmp_path: Path) -> None:
    units = tmp_path / "units.yaml"
    units.write_text(
        "units:\n"
        "  - {id: ga, name_zh: 甲组, name_en: a, kind: group, members: [gb]}\n"
        "  - {id: gb, name_zh: 乙组, name_en: b, kind: group, members: [ga, longxing_town]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ep.PluginError, match="membership cycle"):
        ep.load(plugins=[], autoload=False, units_file=units)

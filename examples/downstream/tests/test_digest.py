"""The county tool's tests, with envplan's testing kit: fixtures, a strategy and a declarative case
(tests/cases/water.envplan.yaml, collected by envplan's pytest plugin)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import envplan_core as ep
from county_tool import digest, evaluate_folder
from envplan_core.testing import strategies as eps


def test_the_digest_of_the_water_examples(envplan_load, envplan_example_data) -> None:
    engine = envplan_load("envplan_water")  # the water plan on its own
    report = evaluate_folder(engine, envplan_example_data.folder("water"), as_of="2023-12-31")
    result = digest(report)
    # 杨赵桥 is class IV in the synthetic data: the ecology bureau's branch must act on it.
    assert "water.yangzhaoqiao.class" in result["运城市生态环境局新绛分局"]["not_met"]
    assert all(set(statuses) <= {"not_met", "overdue", "insufficient_data"} for statuses in result.values())


def test_every_installed_plan_is_in_the_digest_without_data(envplan_engine) -> None:
    report = envplan_engine.evaluate(as_of="2023-12-31")
    listed = {fid for statuses in digest(report).values() for ids in statuses.values() for fid in ids}
    targets = {t.id for p in envplan_engine.plans for t in p.targets}
    assert targets <= listed  # without data every target is insufficient_data


@settings(max_examples=25, deadline=None)
@given(frame=eps.observation_frames(sites=("杨赵桥", "西曲村"), parameters=("COD", "NH3-N", "TP")))
def test_any_valid_monitoring_file_gives_a_digest(envplan_load, frame: pd.DataFrame) -> None:
    engine = envplan_load("envplan_water")
    result = digest(engine.evaluate(observations=frame, as_of="2023-12-31"))
    for statuses in result.values():
        for ids in statuses.values():
            assert len(ids) == len(set(ids))


@settings(max_examples=25, deadline=None)
@given(bad=eps.observation_frames(invalid=True), day=st.dates(dt.date(2023, 1, 1), dt.date(2024, 12, 31)))
def test_a_bad_row_stops_the_tool_with_its_row_and_column(envplan_load, bad, day: dt.date) -> None:
    engine = envplan_load("envplan_water")
    with pytest.raises(ep.DataError) as error:
        engine.evaluate(observations=bad.data, as_of=day)
    assert (error.value.row, error.value.column) == (bad.row, bad.column), bad.problem

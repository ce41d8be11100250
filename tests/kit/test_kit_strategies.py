"""The Hypothesis strategies: valid by default (the readers and the catalog accept what they generate),
hostile on request (the readers refuse it, naming the row and column or the record's path)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from envplan_core.data.inventory import read_inventory
from envplan_core.data.observations import read_observations
from envplan_core.data.progress import read_progress
from envplan_core.errors import DataError
from envplan_core.plugin import hookimpl
from envplan_core.standards import default_parameters
from envplan_core.testing import check_plugins
from envplan_core.testing import strategies as eps
from envplan_core.units import parse_quantity

PARAMETERS = default_parameters()


@given(eps.observation_records())
def test_valid_observation_records_read_completely(records: list[dict[str, Any]]) -> None:
    obs = read_observations(pd.DataFrame(records), parameters=PARAMETERS, name="x.csv")
    assert len(obs) == len(records) and not obs.issues


@given(eps.observation_frames(parameters=("PM2.5", "CO"), non_detects=False, min_size=3))
def test_valid_observation_frames_read_in_canonical_units(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == ["site", "parameter", "time", "value", "unit"]
    obs = read_observations(frame, parameters=PARAMETERS, name="x.csv")
    assert len(obs) == len(frame)


@given(eps.observation_frames(invalid=True))
def test_hostile_observations_are_refused_naming_row_and_column(bad: eps.Invalid[pd.DataFrame]) -> None:
    assert bad.problem in eps.OBSERVATION_PROBLEMS
    with pytest.raises(DataError) as error:
        read_observations(bad.data, parameters=PARAMETERS, name="x.csv")
    assert (error.value.row, error.value.column) == (bad.row, bad.column), (bad.problem, str(error.value))


@pytest.mark.parametrize("problem", sorted(eps.OBSERVATION_PROBLEMS))
def test_every_observation_problem_can_be_asked_for(problem: str) -> None:
    @given(eps.observation_records(invalid={problem}))
    def check(bad: eps.Invalid[list[dict[str, Any]]]) -> None:
        assert bad.problem == problem
        with pytest.raises(DataError) as error:
            read_observations(pd.DataFrame(bad.data), parameters=PARAMETERS, name="x.csv")
        assert (error.value.row, error.value.column) == (bad.row, bad.column), str(error.value)

    check()


@given(eps.progress_frames())
def test_valid_progress_reads_completely(frame: pd.DataFrame) -> None:
    assert len(read_progress(frame, name="p.csv").entries) == len(frame)


@given(eps.progress_records(invalid=True))
def test_hostile_progress_is_refused_naming_row_and_column(bad: eps.Invalid[list[dict[str, Any]]]) -> None:
    with pytest.raises(DataError) as error:
        read_progress(pd.DataFrame(bad.data, columns=["task", "status", "date", "note"]), name="p.csv")
    assert (error.value.row, error.value.column) == (bad.row, bad.column), (bad.problem, str(error.value))


@given(eps.inventories())
def test_valid_inventories_read_completely(data: dict[str, Any]) -> None:
    assert len(read_inventory(data, name="i.yaml")) == len(data["records"])


@given(eps.inventories(invalid=True))
def test_hostile_inventories_are_refused_naming_the_record(bad: eps.Invalid[dict[str, Any]]) -> None:
    assert bad.path is not None and bad.problem in eps.INVENTORY_PROBLEMS
    with pytest.raises(DataError) as error:
        read_inventory(bad.data, name="i.yaml")
    assert any(p.startswith(bad.path) for p in error.value.problems), (bad.problem, error.value.problems)


@given(eps.quantity_texts(), eps.quantities(kind="water"))
def test_quantities_parse_and_convert(text: str, q: Any) -> None:
    assert parse_quantity(text).magnitude >= 0
    assert q.to("mg/L").magnitude >= 0


@given(eps.plans(plan_id="gen-2025", year=2025))
def test_generated_plans_pass_the_conformance_check(plan: Any) -> None:
    class Generated:
        @hookimpl
        def envplan_plans(self) -> list[Any]:
            return [plan]

    report = check_plugins(Generated(), cases=False, examples=False)
    assert report.ok, report.render()


@given(st.data())
def test_from_type_uses_the_registered_strategies(data: st.DataObject) -> None:
    from envplan_core import Deadline, Plan, Task

    plan = data.draw(st.from_type(Plan))
    assert plan.id == "test-2023" and len({t.number for t in plan.tasks}) == len(plan.tasks)
    assert data.draw(st.from_type(Task)).lead
    assert data.draw(st.from_type(Deadline)).text


def test_unknown_problem_names_and_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown problem"):
        eps.observation_records(invalid={"typo"})
    with pytest.raises(ValueError, match="unknown parameter ids"):
        eps.observation_records(parameters=("XYZ",))
    with pytest.raises(ValueError, match="unknown kinds"):
        eps.inventories(kinds=("spaceship",))

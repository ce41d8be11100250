"""Plan-level tests of the illustrative 2024 plan, with envplan's pytest fixtures (``envplan_engine``)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from envplan_core import Engine, Report, Status
from envplan_core.plugin import package_path
from envplan_core.testing import check_plugin

EXAMPLES = package_path("envplan_xinjiang2024", "examples")


def _statuses(report: Report) -> Mapping[str, Status]:
    return {f.id: f.status for f in report.findings}


@pytest.fixture(scope="module")
def report_2024(envplan_engine: Engine) -> Report:
    return envplan_engine.evaluate(
        observations=EXAMPLES / "observations.csv",
        progress=EXAMPLES / "progress.csv",
        as_of="2024-12-31",
    )


def test_the_plugin_passes_the_conformance_check() -> None:
    catalog = check_plugin("envplan_xinjiang2024")
    # envplan_requires brought the 2023 plugins whose evaluators the plan uses.
    assert {"xinjiang2024-example", "air-2023", "water-2023"} <= {p.id for p in catalog.plans}


def test_the_plan_is_loaded_with_its_targets_and_tasks(envplan_engine: Engine) -> None:
    plan = envplan_engine.catalog.plan("xinjiang2024")
    assert "示例" in plan.title_zh
    assert [t.id for t in plan.tasks] == ["xj2024.task.1", "xj2024.task.2", "xj2024.task.3"]
    assert all(t.lead and t.support for t in plan.tasks)
    assert all(d.due is not None and d.due.year == 2024 for t in plan.tasks for d in t.deadlines)


def test_2024_targets_are_judged_by_the_2023_evaluators(report_2024: Report) -> None:
    status = _statuses(report_2024)
    assert status["xj2024.pm25.annual_mean"] is Status.MET  # ≈ 38 µg/m³ ≤ 40
    assert status["xj2024.yangzhaoqiao.class"] is Status.NOT_MET  # ammonia nitrogen class IV


def test_2023_items_are_superseded_from_2024_not_dropped(report_2024: Report) -> None:
    status = _statuses(report_2024)
    assert status["air.pm25.annual_mean"] is Status.SUPERSEDED
    assert status["water.yangzhaoqiao.class"] is Status.SUPERSEDED
    finding = next(f for f in report_2024.findings if f.id == "air.pm25.annual_mean")
    assert finding.details["superseded_by"]["item"] == "xj2024.pm25.annual_mean"


def test_before_2024_the_2023_items_apply(envplan_engine: Engine) -> None:
    report = envplan_engine.evaluate(as_of="2023-12-31")
    status = _statuses(report)
    assert status["air.pm25.annual_mean"] is not Status.SUPERSEDED
    assert status["xj2024.pm25.annual_mean"] is Status.NOT_APPLICABLE


def test_tasks_by_their_2024_deadlines(report_2024: Report) -> None:
    status = _statuses(report_2024)
    assert status["xj2024.task.1"] is Status.DONE
    assert status["xj2024.task.2"] is Status.DONE_LATE
    assert status["xj2024.task.3"] is Status.OPEN  # due 2024-12-31: not overdue on its own due day

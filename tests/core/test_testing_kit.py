"""The testing kit downstream projects use: pytest fixtures (pytest11 entry point) and strategies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import envplan_core as ep
from envplan_core.testing import check_plugin


def test_fixtures_come_from_the_pytest11_entry_point(
    envplan_catalog: ep.Catalog, envplan_observations: Callable[..., Any]
) -> None:
    assert {p.id for p in envplan_catalog.plans} >= {"water-2023", "air-2023"}
    frame = envplan_observations([("杨赵桥", "COD", "2023-05-10", 18, "mg/L")])
    assert list(frame.columns) == ["site", "parameter", "time", "value", "unit"]


@given(plan=st.from_type(ep.Plan))
def test_from_type_uses_the_registered_strategies(plan: ep.Plan) -> None:
    assert plan.id == "test-2023"
    assert len({t.id for t in plan.tasks}) == len(plan.tasks)


@pytest.mark.parametrize("plugin", ["envplan_water", "envplan_air"])
def test_shipped_plugins_pass_the_conformance_check(plugin: str) -> None:
    catalog = check_plugin(plugin)
    assert catalog.plans


def test_plugin_tests_run_under_pytester(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_downstream(envplan_engine):
            report = envplan_engine.evaluate(as_of="2023-12-31")
            assert any(f.id == "air.pm25.annual_mean" for f in report.findings)
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)

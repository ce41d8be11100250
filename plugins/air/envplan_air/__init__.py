"""envplan_air: 新绛县空气质量再提升2023年行动计划 (air-2023) as an envplan plugin.

The plan's content — targets, rules, all 29 tasks with their responsibility lines and deadlines, the 19
rows of the attachment 措施任务表 and the places it names — is data in ``plan.yaml`` (reading notes:
docs/plans/air-text-notes.md; how each item is evaluated: docs/plans/air.md). This module registers that
file, the evaluators the plan needs that the core does not provide (:mod:`envplan_air.evaluators` for
targets, :mod:`envplan_air.facility` for rules over the inventory), and the synthetic example data in
``examples/`` (package data) for ``envplan demo``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from envplan_core.plugin import Evaluator, Plan, hookimpl, load_plan, package_path

__all__ = ["PLAN_FILE", "envplan_evaluators", "envplan_example_data", "envplan_plans", "example_dir"]

#: The plan file inside the package.
PLAN_FILE = "plan.yaml"


def example_dir() -> Path:
    """The synthetic example data shipped with the plugin."""
    return package_path(__name__, "examples")


@hookimpl
def envplan_plans() -> Iterable[Plan]:
    return [load_plan(package_path(__name__, PLAN_FILE))]


@hookimpl
def envplan_evaluators() -> Mapping[str, Evaluator]:
    from envplan_air.evaluators import TARGET_EVALUATORS
    from envplan_air.facility import FACILITY_EVALUATORS

    return {**TARGET_EVALUATORS, **FACILITY_EVALUATORS}


@hookimpl
def envplan_example_data() -> Iterable[str]:
    return [str(example_dir())]

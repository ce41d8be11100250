"""The water plan of 新政办发〔2023〕14号 (新绛县水环境质量再提升2023年行动计划) as an envplan plugin.

The plan's content — targets, rules, the fourteen tasks, sites, responsible units, citations — is
``plan.yaml`` beside this module; the evaluators only this plan needs are in
:mod:`envplan_water.evaluators`; the synthetic example data for ``envplan demo`` is ``examples/`` (package data).
How each target and task is evaluated, and what data it needs: ``docs/plans/water.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from envplan_core.plugin import Evaluator, Plan, hookimpl, load_plan, package_path

__all__ = [
    "PLAN_FILE",
    "envplan_evaluators",
    "envplan_example_data",
    "envplan_plans",
    "example_dir",
    "plan_path",
]

PLAN_FILE = "plan.yaml"


def plan_path() -> Path:
    """The plan file, in a source checkout or an installed wheel alike."""
    return package_path(__name__, PLAN_FILE)


def example_dir() -> Path:
    """The synthetic example data shipped with the plugin."""
    return package_path(__name__, "examples")


@hookimpl
def envplan_plans() -> Iterable[Plan]:
    return [load_plan(plan_path())]


@hookimpl
def envplan_evaluators() -> Mapping[str, Evaluator]:
    from envplan_water.evaluators import WATER_EVALUATORS

    return dict(WATER_EVALUATORS)


@hookimpl
def envplan_example_data() -> Iterable[str]:
    return [str(example_dir())]

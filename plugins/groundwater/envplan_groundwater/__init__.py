"""The groundwater plan of 新政办发〔2023〕14号 (新绛县地下水污染防治2023年行动计划) as an envplan plugin.

The plan's content — the three point-type targets, the rules over the registers, the fifteen tasks with
their units, deadlines and citations — is ``plan.yaml`` beside this module; its evaluators are in
:mod:`envplan_groundwater.evaluators`; ``envplan classify groundwater`` (GB/T 14848-2017) is
:mod:`envplan_groundwater.classify`; the synthetic example data for ``envplan demo`` is ``examples/``
(package data). How each item is evaluated, and what data it needs: ``docs/plans/groundwater.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from envplan_core.plugin import Classifier, Evaluator, Plan, hookimpl, load_plan, package_path

__all__ = [
    "PLAN_FILE",
    "envplan_classifiers",
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
    from envplan_groundwater.evaluators import GROUNDWATER_EVALUATORS

    return dict(GROUNDWATER_EVALUATORS)


@hookimpl
def envplan_classifiers() -> Iterable[Classifier]:
    from envplan_groundwater.classify import GROUNDWATER

    return [GROUNDWATER]


@hookimpl
def envplan_example_data() -> Iterable[str]:
    return [str(example_dir())]

"""envplan_soil: 新绛县土壤污染防治2023年行动计划 (soil-2023, the third plan of 新政办发〔2023〕14号).

The plan's content — the 工作目标, all 15 tasks in five parts with their responsibility lines and
deadlines, the rules the tasks make checkable — is ``plan.yaml`` beside this module (reading notes:
docs/plans/soil-text-notes.md; how each item is evaluated and what data it needs: docs/plans/soil.md).
This module registers that file; the evaluators over the land-parcel and farmland inventory
(:mod:`envplan_soil.parcels`, :mod:`envplan_soil.farmland`, :mod:`envplan_soil.duties`); the
``envplan classify soil`` kind (:mod:`envplan_soil.classify`: GB 15618-2018 categories, GB 36600-2018
screening); the unit 亩 for farmland areas; and the synthetic example data in ``examples/`` for
``envplan demo``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from envplan_core.plugin import Classifier, Evaluator, Plan, hookimpl, load_plan, package_path

__all__ = [
    "PLAN_FILE",
    "envplan_add_units",
    "envplan_classifiers",
    "envplan_evaluators",
    "envplan_example_data",
    "envplan_plans",
    "example_dir",
    "plan_path",
]

#: The plan file inside the package.
PLAN_FILE = "plan.yaml"

# Farmland is counted in 亩 (市亩 = 1/15 hectare = 666.67 m²); 公顷 is the hectare.
_UNITS = (("亩", "mu_land = 10000 / 15 * meter ** 2 = 亩"), ("公顷", "公顷 = hectare"))


def plan_path() -> Path:
    """The plan file, in a source checkout or an installed wheel alike."""
    return package_path(__name__, PLAN_FILE)


def example_dir() -> Path:
    """The synthetic example data shipped with the plugin."""
    return package_path(__name__, "examples")


@hookimpl
def envplan_add_units(registry: Any) -> None:
    # The hook runs for every plugin manager built in the process (and historic calls may repeat it):
    # define each unit once.
    for name, definition in _UNITS:
        if name not in registry:
            registry.define(definition)


@hookimpl
def envplan_plans() -> Iterable[Plan]:
    return [load_plan(plan_path())]


@hookimpl
def envplan_evaluators() -> Mapping[str, Evaluator]:
    from envplan_soil.duties import DUTY_EVALUATORS
    from envplan_soil.farmland import FARMLAND_EVALUATORS
    from envplan_soil.parcels import PARCEL_EVALUATORS

    return {**PARCEL_EVALUATORS, **FARMLAND_EVALUATORS, **DUTY_EVALUATORS}


@hookimpl
def envplan_classifiers() -> Iterable[Classifier]:
    from envplan_soil.classify import SOIL_CLASSIFIER

    return [SOIL_CLASSIFIER]


@hookimpl
def envplan_example_data() -> Iterable[str]:
    return [str(example_dir())]

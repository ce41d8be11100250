"""envplan_xinjiang2024: an ILLUSTRATIVE EXAMPLE 2024 plan for 新绛县 (not an issued document).

It shows the whole of a plan plugin written outside envplan: the plan file, the 2023 plugins whose
evaluators it uses, and its synthetic example data — every name from ``envplan_core.plugin``.
"""

from __future__ import annotations

from collections.abc import Iterable

from envplan_core.plugin import Plan, hookimpl, load_plan, package_path

__all__ = ["envplan_example_data", "envplan_plans", "envplan_requires"]


@hookimpl
def envplan_plans() -> Iterable[Plan]:
    return [load_plan(package_path(__name__, "plan.yaml"))]


@hookimpl
def envplan_requires() -> Iterable[str]:
    # air_annual_mean comes from the 2023 air plugin, section_class from the 2023 water plugin.
    return ["air", "water"]


@hookimpl
def envplan_example_data() -> Iterable[str]:
    return [str(package_path(__name__, "examples"))]

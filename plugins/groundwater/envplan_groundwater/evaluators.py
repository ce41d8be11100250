"""The evaluators the groundwater plan needs beyond the core's generic ones (``docs/plans/groundwater.md``).

- ``groundwater_point_class`` — the three point-type targets of 工作目标 (:mod:`.points`);
- ``groundwater_attainment_plans`` — task 3, cause analyses and attainment plans (:mod:`.points`);
- ``groundwater_facilities`` — tasks 2, 5 and 6 over the pollution-source register (:mod:`.facilities`);
- ``groundwater_wells`` — task 8 over the register of scrapped wells (:mod:`.wells`);
- ``groundwater_extraction``, ``groundwater_geothermal`` — task 10 (:mod:`.aquifers`);
- ``groundwater_source_zones`` — tasks 13 and 14, protection and recharge zones (:mod:`.sources`).

Each declares the ``params:`` a plan item may give it; an unknown, misspelt or mistyped key is an error
when the plugin loads.
"""

from __future__ import annotations

from envplan_core.plugin import Evaluator
from envplan_groundwater.aquifers import evaluate_extraction, evaluate_geothermal
from envplan_groundwater.attainment import evaluate_attainment_plans
from envplan_groundwater.facilities import evaluate_facilities
from envplan_groundwater.points import evaluate_point_class
from envplan_groundwater.sources import evaluate_source_zones
from envplan_groundwater.wells import evaluate_wells

__all__ = ["GROUNDWATER_EVALUATORS"]

GROUNDWATER_EVALUATORS: dict[str, Evaluator] = {
    "groundwater_point_class": evaluate_point_class,
    "groundwater_attainment_plans": evaluate_attainment_plans,
    "groundwater_facilities": evaluate_facilities,
    "groundwater_wells": evaluate_wells,
    "groundwater_extraction": evaluate_extraction,
    "groundwater_geothermal": evaluate_geothermal,
    "groundwater_source_zones": evaluate_source_zones,
}

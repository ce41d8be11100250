"""Evaluators the water plan needs beyond the core's generic ones (``docs/plans/water.md``).

- ``section_class`` — the class of a monitoring section for the target's period under GB 3838-2002
  and 环办〔2011〕22号: each indicator's mean over the period's samples (up to ``as_of``), each mean
  classified, the section takes the worst class of the 21 assessment indicators (主要目标;
  :mod:`envplan_water.sections`).
- ``drinking_source_share`` — the share of drinking-water sources at or better than class Ⅲ against the
  national annual target, which the user supplies (主要目标; :mod:`envplan_water.water_bodies`).
- ``black_odorous_bodies`` — black and odorous water bodies left in an area (主要目标; 城市黑臭水体整治
  工作指南, 2015; :mod:`envplan_water.water_bodies`).
- ``facilities_completed`` — records of a kind completed within the period (task 6: 11 village stations,
  the 南马村 and 西柳泉村 rebuilds; :mod:`envplan_water.facilities`).
- ``effluent_class`` — every effluent sample of the tail-water wetlands at or better than class Ⅲ
  ("稳定达", task 8; :mod:`envplan_water.facilities`).
- ``outfall_monitoring`` — every registered outfall sampled every month, and samples against the
  outfall's own limits (task 14; ``params.check: exceedance``; :mod:`envplan_water.outfalls`).

Each evaluator declares the ``params:`` a plan item may give it (:class:`SectionClassParams` …); an
unknown, misspelt or mistyped key is an error when the plugin loads. What they share (class labels and
limits, period means, message formats) is in :mod:`envplan_water._common`.

Values enter statistics at half the detection limit when not detected (docs/inputs.md, conventions), through
:meth:`ObservationSet.stat_values`; findings say when they do.
"""

from __future__ import annotations

from envplan_core.plugin import Evaluator
from envplan_water._common import GB3838_STANDARD, class_label
from envplan_water.facilities import (
    EffluentClassParams,
    FacilitiesCompletedParams,
    evaluate_effluent_class,
    evaluate_facilities_completed,
)
from envplan_water.outfalls import OutfallMonitoringParams, evaluate_outfall_monitoring
from envplan_water.sections import SectionClassParams, evaluate_section_class
from envplan_water.water_bodies import (
    BlackOdorousBodiesParams,
    DrinkingSourceShareParams,
    evaluate_black_odorous_bodies,
    evaluate_drinking_source_share,
)

__all__ = [
    "GB3838_STANDARD",
    "WATER_EVALUATORS",
    "BlackOdorousBodiesParams",
    "DrinkingSourceShareParams",
    "EffluentClassParams",
    "FacilitiesCompletedParams",
    "OutfallMonitoringParams",
    "SectionClassParams",
    "class_label",
    "evaluate_black_odorous_bodies",
    "evaluate_drinking_source_share",
    "evaluate_effluent_class",
    "evaluate_facilities_completed",
    "evaluate_outfall_monitoring",
    "evaluate_section_class",
]

WATER_EVALUATORS: dict[str, Evaluator] = {
    "section_class": evaluate_section_class,
    "drinking_source_share": evaluate_drinking_source_share,
    "black_odorous_bodies": evaluate_black_odorous_bodies,
    "facilities_completed": evaluate_facilities_completed,
    "effluent_class": evaluate_effluent_class,
    "outfall_monitoring": evaluate_outfall_monitoring,
}

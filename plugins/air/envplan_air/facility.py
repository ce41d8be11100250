"""Rules over the inventory: boilers, furnaces, converters, brick kilns, coke oven, enterprises, VOC
processes, non-road machinery and trucks. Every finding names the facility (``subject``), the rule and
its clause (in the message and the citation) and the responsible units (from the rule or its task).

Shared conventions (docs/plans/air.md § Facility rules):

* **Operating or not.** A record is out of operation when its ``status`` says so (``closed``,
  ``retired``, ``demolished``, ``已关停``, ``已拆除``, ``已淘汰``, ``已取缔``, ``已报废`` …) or when a
  ``closed_on``/``retired_on`` date lies on or before ``as_of``. A closing date after ``as_of`` is not
  known yet: the facility still operates.
* **Deadlines.** A rule with ``due``: before and on the due day a facility still operating is
  ``not_applicable`` ("due on …"); after it, ``not_met``. Closed after the due day is ``not_met``
  (closed late; the date is named). ``immediate: true`` (35 t/h coal boilers, 动态清零): an operating
  facility is ``not_met`` at once. Neither (the plan only says 推动淘汰, trucks): the remaining records
  are listed as ``not_applicable`` — the plan sets no date.
* **Records matched by ``where``**: strings compare after folding width and case, with a few synonyms
  (``coal`` = 燃煤/煤/煤炭); a zone or an enterprise may be named by any alias of a plan site
  (``禁煤区`` = ``no_coal_zone``); booleans accept 是/否, yes/no; quantity strings (``"4.3 m"``) compare
  numerically. A record missing a ``where`` field cannot be placed and gets ``insufficient_data`` —
  except in the rules about named facilities and enterprises (coke oven, ultra-low emission), which pick
  the records that positively match: an ``enterprise`` record without ``industry`` is not a coking one.
* **Capacities** are compared in the threshold's unit, boilers through pint's ``boiler`` context
  (``Quantity.to("t/h", "boiler")``: 1 t/h = 0.7 MW, so MW, 蒸吨 and t/h all work), after rounding to
  10 significant digits so conversion noise cannot move a value across a boundary (24.5 MW = 35 t/h).
* **No records of the kind at all** is ``insufficient_data`` naming the kind (an inventory that does not
  cover boilers says nothing about boilers).

Each evaluator declares the ``params:`` a rule may give it (:class:`PhaseOutParams` …); every one takes
``kind`` (the record kind, default the rule's ``applies_to``).

The rules, by concept: :mod:`envplan_air.phase_out` (``phase_out``, ``stack_limit``),
:mod:`envplan_air.seasonal` (``seasonal_production_ban``, ``voc_staggered``), :mod:`envplan_air.machinery`
(``non_road_machinery``), :mod:`envplan_air.named_facilities` (``facility_closed``, ``facility_status``);
what they share (record fields, operating state, ``where`` matching, the common findings) is in
:mod:`envplan_air.facility_records`. This module holds their registry.
"""

from __future__ import annotations

from envplan_air.facility_records import FacilityParams, operating_state, parse_stage
from envplan_air.machinery import NonRoadMachineryParams, evaluate_non_road_machinery
from envplan_air.named_facilities import (
    FacilityClosedParams,
    FacilityStatusParams,
    evaluate_facility_closed,
    evaluate_facility_status,
)
from envplan_air.phase_out import PhaseOutParams, StackLimitParams, evaluate_phase_out, evaluate_stack_limit
from envplan_air.seasonal import (
    SeasonalProductionBanParams,
    VocStaggeredParams,
    evaluate_seasonal_production_ban,
    evaluate_voc_staggered,
)
from envplan_core.plugin import Evaluator

__all__ = [
    "FACILITY_EVALUATORS",
    "FacilityClosedParams",
    "FacilityParams",
    "FacilityStatusParams",
    "NonRoadMachineryParams",
    "PhaseOutParams",
    "SeasonalProductionBanParams",
    "StackLimitParams",
    "VocStaggeredParams",
    "operating_state",
    "parse_stage",
]

FACILITY_EVALUATORS: dict[str, Evaluator] = {
    "phase_out": evaluate_phase_out,
    "stack_limit": evaluate_stack_limit,
    "seasonal_production_ban": evaluate_seasonal_production_ban,
    "voc_staggered": evaluate_voc_staggered,
    "non_road_machinery": evaluate_non_road_machinery,
    "facility_closed": evaluate_facility_closed,
    "facility_status": evaluate_facility_status,
}

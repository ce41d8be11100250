"""Generic evaluators every plan can name in its YAML.

- ``statistic``: a statistic (mean, max, min, percentile) of a site's series over the target's period
  against a threshold; ``params: {statistic: percentile, p: 95, period: year|month}``. With
  ``period: month`` every month is judged and the worst month is reported.
- ``yoy_change``: the change of a statistic against the previous year, in percent.
- ``supplied_value``: a value the user supplies in the inventory's ``values`` (key ``params.key``,
  default the target id); missing → ``insufficient_data`` naming the key.
- ``inventory_count``: how many records of a kind (filtered by ``where``) exist.
- ``inventory_ratio``: the share (%) of records of a kind matching ``numerator`` among those matching ``where``.
- ``inventory_field``: a field of each record of a kind against the threshold (a finding per record).
- ``inventory_forbidden``: records of a kind matching ``where`` whose ``field`` fails the threshold
  must not exist (e.g. coal-fired boilers below 35 t/h).

Each evaluator declares the ``params:`` it takes as an attrs class (:class:`StatisticParams` …); the
catalog checks every plan item's ``params:`` against it when the plugin loads.

Comparisons follow the threshold's comparator exactly (≤ vs <, as the standard writes the limit).
Non-detects enter statistics at half the detection limit (docs/inputs.md, conventions) and findings say so.
"""

from __future__ import annotations

from envplan_core.evaluator_types import Evaluator
from envplan_core.evaluators.common import (
    compare,
    insufficient_data,
    limit_in,
    matches_where,
    no_threshold,
    status_of,
    threshold_unit,
)
from envplan_core.evaluators.inventory import (
    InventoryCountParams,
    InventoryFieldParams,
    InventoryForbiddenParams,
    InventoryParams,
    InventoryRatioParams,
    SuppliedValueParams,
    evaluate_inventory_count,
    evaluate_inventory_field,
    evaluate_inventory_forbidden,
    evaluate_inventory_ratio,
    evaluate_supplied_value,
)
from envplan_core.evaluators.series import (
    ReductionParams,
    StatisticParams,
    YoyChangeParams,
    evaluate_statistic,
    evaluate_yoy_change,
)

__all__ = [
    "GENERIC_EVALUATORS",
    "InventoryCountParams",
    "InventoryFieldParams",
    "InventoryForbiddenParams",
    "InventoryParams",
    "InventoryRatioParams",
    "ReductionParams",
    "StatisticParams",
    "SuppliedValueParams",
    "YoyChangeParams",
    "compare",
    "evaluate_inventory_count",
    "evaluate_inventory_field",
    "evaluate_inventory_forbidden",
    "evaluate_inventory_ratio",
    "evaluate_statistic",
    "evaluate_supplied_value",
    "evaluate_yoy_change",
    "insufficient_data",
    "limit_in",
    "matches_where",
    "no_threshold",
    "status_of",
    "threshold_unit",
]

GENERIC_EVALUATORS: dict[str, Evaluator] = {
    "statistic": evaluate_statistic,
    "yoy_change": evaluate_yoy_change,
    "supplied_value": evaluate_supplied_value,
    "inventory_count": evaluate_inventory_count,
    "inventory_ratio": evaluate_inventory_ratio,
    "inventory_field": evaluate_inventory_field,
    "inventory_forbidden": evaluate_inventory_forbidden,
}

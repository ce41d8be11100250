"""Columnar inputs (docs/inputs.md): observations, inventory, progress, read from CSV/XLSX/JSON/YAML/DataFrames.

Readers report every unusable row with file, row and column — as one :class:`~envplan_core.errors.DataError`
(``errors="raise"``) or as :class:`~envplan_core.findings.Issue` entries (``errors="report"``) — so no row
is ever dropped silently.
"""

from __future__ import annotations

from envplan_core.data.inventory import Inventory, Record, read_inventory
from envplan_core.data.observation_set import TIME_DAY, TIME_INSTANT, TIME_MONTH, TIME_YEAR, ObservationSet
from envplan_core.data.observations import read_observations
from envplan_core.data.progress import Progress, ProgressEntry, read_progress

__all__ = [
    "TIME_DAY",
    "TIME_INSTANT",
    "TIME_MONTH",
    "TIME_YEAR",
    "Inventory",
    "ObservationSet",
    "Progress",
    "ProgressEntry",
    "Record",
    "read_inventory",
    "read_observations",
    "read_progress",
]

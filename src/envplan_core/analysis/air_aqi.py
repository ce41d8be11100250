"""HJ 633 AQI of the hourly grid (:class:`~envplan_core.analysis.air_grid.AirGrid`), in bounded memory.

:func:`iter_aqi_frames` gives the AQI of each site and kind as columns
(:class:`~envplan_core.standards.hj633.AQIFrame`), computed a batch of sites at a time straight from the
grid's matrices: ``envplan aqi`` writes JSON and Parquet from those columns, never building a dict per
record. :func:`iter_aqi_records` gives the records as dicts, through
:func:`~envplan_core.analysis.air.aqi_records` site by site — the reference the columns are tested
against (tests/core/test_aqi_columns.py). Both choose the rows as
:func:`~envplan_core.analysis.air.aqi_records` does: hourly records from the hourly rows only, daily
records from the hourly and the spread daily rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from envplan_core.analysis.air import AirColumns, aqi_records
from envplan_core.standards import hj633, hj663

if TYPE_CHECKING:
    from envplan_core.analysis.air_grid import AirGrid

__all__ = ["SITES_PER_BATCH", "grid_frames", "iter_aqi_frames", "iter_aqi_records", "site_columns"]

Kind = Literal["hourly", "daily", "both"]


def site_columns(grid: AirGrid, row: int) -> AirColumns:
    """The :class:`AirColumns` of one site of the grid (its hours with a value)."""
    present = np.zeros(grid.n_hours, dtype=bool)
    for matrix in grid.values.values():
        present |= ~np.isnan(matrix[row])
    hours = np.flatnonzero(present)
    base = int(grid.start.astype(np.int64))
    return AirColumns(
        site=np.full(hours.size, grid.codes[row], dtype=np.int64),
        time=(hours.astype(np.int64) + base).astype("datetime64[h]"),
        values={p: m[row, hours] for p, m in grid.values.items()},
        from_daily={p: grid.from_daily[p][row, hours] for p in grid.values},
        site_names=grid.site_names,
    )


def grid_frames(
    grid: AirGrid,
    rows: slice,
    *,
    kind: Literal["hourly", "daily"],
    hourly_method: hj633.HourlyMethod = hj633.DEFAULT_HOURLY_METHOD,
) -> list[hj633.AQIFrame]:
    """The AQI frames of the sites of ``rows`` of the grid, as
    :func:`~envplan_core.analysis.air.aqi_records` chooses the rows: hourly frames from the hours
    without a spread daily value (of any pollutant), daily frames from all hours; without copying the
    grid into long columns (:func:`hj633.grid_aqi_frames` on the grid's own matrices)."""
    values = {p: m[rows] for p, m in grid.values.items()}
    present = np.zeros((grid.codes[rows].size, grid.n_hours), dtype=bool)
    for matrix in values.values():
        present |= ~np.isnan(matrix)
    o3_daily = None
    if kind == "hourly":
        daily = np.zeros_like(present)
        for p in values:
            daily |= grid.from_daily[p][rows]
        if daily.any():  # those hours are not hourly rows: left out altogether
            values = {p: np.where(daily, np.nan, m) for p, m in values.items()}
            present &= ~daily
    elif "O3" in values:
        o3_daily = np.asarray(
            grid.from_daily["O3"][rows].reshape(present.shape[0], -1, 24).any(axis=-1), dtype=bool
        )
    hourly = hj663.HourlyGrid(sites=grid.codes[rows], start=grid.start, values=values, present=present)
    return hj633.grid_aqi_frames(
        hourly, kind=kind, site_names=grid.site_names, hourly_method=hourly_method, o3_daily=o3_daily
    )


def _kinds(kind: Kind) -> list[Literal["hourly", "daily"]]:
    return ["hourly", "daily"] if kind == "both" else [kind]


#: Sites computed together by :func:`iter_aqi_frames` (memory: a few arrays of their hours).
SITES_PER_BATCH = 16


def iter_aqi_frames(
    grid: AirGrid,
    *,
    kind: Kind = "both",
    hourly_method: hj633.HourlyMethod = hj633.DEFAULT_HOURLY_METHOD,
    on_site: Callable[[], None] | None = None,
) -> Iterator[hj633.AQIFrame]:
    """The AQI of the grid as frames, one per site and kind (all hourly frames, site by site, then the
    daily ones): their records are those of :func:`iter_aqi_records`, in the same order. The sites are
    computed :data:`SITES_PER_BATCH` at a time (each record by its own site's values: a site's records
    do not depend on the other sites). ``on_site()`` is called for each site of each kind (progress)."""
    for which in _kinds(kind):
        for first in range(0, grid.codes.size, SITES_PER_BATCH):
            rows = slice(first, min(first + SITES_PER_BATCH, grid.codes.size))
            yield from grid_frames(grid, rows, kind=which, hourly_method=hourly_method)
            if on_site is not None:
                for _ in range(rows.stop - rows.start):
                    on_site()


def iter_aqi_records(
    grid: AirGrid,
    *,
    kind: Kind = "both",
    hourly_method: hj633.HourlyMethod = hj633.DEFAULT_HOURLY_METHOD,
    on_site: Callable[[], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """:func:`~envplan_core.analysis.air.aqi_records` of the grid, one site at a time (all hourly records,
    site by site, then the daily ones): the same records in the same order, in memory one site's worth.
    ``on_site()`` is called after each site's records of each kind (progress)."""
    for which in _kinds(kind):
        for row in range(grid.codes.size):
            yield from aqi_records(site_columns(grid, row), kind=which, hourly_method=hourly_method)
            if on_site is not None:
                on_site()

"""Air observations straight into the HJ 663 hourly grid while they are read, in bounded memory.

:func:`read_air_grid` is :func:`~envplan_core.analysis.air.air_columns` of
:func:`~envplan_core.data.observations.read_observations` without the long intermediate columns: the
file is parsed batch by batch (every row checked as the reader checks it, problems named by file, row
and column) and each batch's hourly values of the six pollutants are scattered into dense
(pollutant × site × hour) matrices at once, so memory is the grid plus one batch, whatever the size of
the file. ``envplan air-stats`` and ``envplan aqi`` read this way; the numbers are those of the long path
(tests/core/test_air_grid.py compares them).

What happens to each row is what :mod:`envplan_core.analysis.air` says: hourly rows of the pollutants
are used; daily rows are spread over their day unless the same site, pollutant and day has hourly rows;
monthly/yearly rows and other parameters are counted, not used; non-detects enter at half their limit.
Duplicate records (same site, parameter, time and resolution) are problems of the later row naming the
first, as in the reader: an hourly duplicate is seen as its cell of the grid is filled again; the first
row it repeats is found, only then, by a second pass over the source. An hourly value not stamped on the
hour is an error naming the first such row, after the reader's problems.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.analysis import air as air_module
from envplan_core.analysis.air import AIR_POLLUTANTS, COUNTY_LABEL, AirColumns, is_county_name
from envplan_core.analysis.air_aqi import iter_aqi_records, site_columns  # the AQI of the grid (re-exported)
from envplan_core.data._tabular import ProblemLog, Source, check_errors_mode
from envplan_core.data.observation_set import HALF_DETECTION_LIMIT, TIME_DAY, TIME_INSTANT
from envplan_core.data.observations import ObservationBatches, ObservationChunk
from envplan_core.errors import DataError
from envplan_core.findings import Issue
from envplan_core.parameters import ParameterRegistry
from envplan_core.standards import hj663

__all__ = ["AirGrid", "grid_stats_records", "iter_aqi_records", "read_air_grid", "site_columns"]

_HOURS_PER_DAY = 24
_HOUR_BITS = 22  # hours since 1970 up to 2100 need 21 bits


_UNITS = {"day": ("datetime64[D]", 1), "month": ("datetime64[M]", 1), "year": ("datetime64[Y]", 1)}


def _align(hour: int, align: str, *, end: bool) -> int:
    """Hour of the start (``end``: of the end) of the day, month or year holding ``hour``."""
    unit, step = _UNITS[align]
    floor = np.datetime64(hour, "h").astype(unit)
    if end:
        floor = floor + step
    return int(floor.astype("datetime64[h]").astype(np.int64))


def _max_span_days() -> int:
    return int(air_module.MAX_SPAN_YEARS) * 366


def _year_start_hour(year: int) -> int:
    return int(np.datetime64(f"{year:04d}", "Y").astype("datetime64[h]").astype(np.int64))


def _hours_in_year(year: int) -> int:
    return _year_start_hour(year + 1) - _year_start_hour(year)


@attrs.frozen(eq=False)
class AirGrid:
    """The six pollutants of an observation file as dense hourly matrices, and what was not used.

    ``values[p]`` and ``from_daily[p]`` are (site × hour) matrices over ``hours`` hours from ``start``
    (whole years), one row per entry of ``codes`` — codes into ``site_names`` (every site with a row of
    any parameter, sorted), only sites with an air value, in that order. The counters are those of
    :class:`~envplan_core.analysis.air.AirColumns`. ``issues`` lists the rows left out (``errors="report"``).
    """

    site_names: tuple[str, ...]
    codes: npt.NDArray[np.int64]
    start: np.datetime64
    values: Mapping[str, npt.NDArray[np.float64]]
    from_daily: Mapping[str, npt.NDArray[np.bool_]]
    other: Mapping[str, int] = attrs.field(factory=dict)
    coarse: Mapping[str, int] = attrs.field(factory=dict)
    shadowed: int = 0
    non_detects: int = 0
    rows_used: int = 0
    daily_rows: int = 0
    issues: tuple[Issue, ...] = ()

    def __len__(self) -> int:
        """Site-hours holding a value (the rows of :meth:`to_columns`)."""
        return int(self.present().sum())

    def counters(self) -> AirColumns:
        """The counters as an (empty) :class:`AirColumns`, for its :meth:`~AirColumns.notes`."""
        return AirColumns(
            site=np.zeros(0, dtype=np.int64),
            time=np.zeros(0, dtype="datetime64[h]"),
            values={},
            from_daily={},
            site_names=self.site_names,
            other=self.other,
            coarse=self.coarse,
            shadowed=self.shadowed,
            non_detects=self.non_detects,
            rows_used=self.rows_used,
            daily_rows=self.daily_rows,
        )

    def notes(self) -> list[str]:
        return self.counters().notes()

    def present(self) -> npt.NDArray[np.bool_]:
        """(site × hour): a row existed (some pollutant holds a value)."""
        out = np.zeros((self.codes.size, self.n_hours), dtype=bool)
        for matrix in self.values.values():
            out |= ~np.isnan(matrix)
        return out

    @property
    def n_hours(self) -> int:
        first = next(iter(self.values.values()), None)
        return 0 if first is None else int(first.shape[1])

    def hourly_grid(self, align: Literal["day", "month", "year"] = "year") -> hj663.HourlyGrid:
        """The grid as :func:`hj663.hourly_grid` makes it from the same rows with ``align``."""
        present = self.present()
        hours = np.flatnonzero(present.any(axis=0))
        if hours.size == 0:
            raise DataError("no rows")
        base = int(self.start.astype(np.int64))
        lo = _align(base + int(hours[0]), align, end=False) - base
        hi = _align(base + int(hours[-1]), align, end=True) - base
        cut = slice(lo, hi)
        return hj663.HourlyGrid(
            sites=self.codes,
            start=np.datetime64(base + lo, "h"),
            values={p: m[:, cut] for p, m in self.values.items()},
            present=present[:, cut],
        )

    def to_columns(self) -> AirColumns:
        """The long columns :func:`~envplan_core.analysis.air.air_columns` gives for the same rows."""
        present = self.present()
        row, hour = np.nonzero(present)
        base = int(self.start.astype(np.int64))
        return AirColumns(
            site=self.codes[row],
            time=(hour.astype(np.int64) + base).astype("datetime64[h]"),
            values={p: m[row, hour] for p, m in self.values.items()},
            from_daily={p: self.from_daily[p][row, hour] for p in self.values},
            site_names=self.site_names,
            other=self.other,
            coarse=self.coarse,
            shadowed=self.shadowed,
            non_detects=self.non_detects,
            rows_used=self.rows_used,
            daily_rows=self.daily_rows,
        )


# --------------------------------------------------------------------------- reading
def read_air_grid(
    source: Source | Sequence[Source],
    *,
    parameters: ParameterRegistry | None = None,
    pollutants: Sequence[str] = AIR_POLLUTANTS,
    name: str | None = None,
    errors: Literal["raise", "report"] = "raise",
    batch_bytes: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> AirGrid:
    """Read ``source`` (any source :func:`read_observations` reads) into an :class:`AirGrid`.

    ``errors`` as in :func:`read_observations`. ``on_batch(rows)`` is called after each batch (progress).
    """
    mode = check_errors_mode(errors)
    if parameters is None:
        from envplan_core.standards import default_parameters

        parameters = default_parameters()
    registry = parameters

    def batches_of() -> ObservationBatches:
        return ObservationBatches(source, parameters=registry, name=name, batch_bytes=batch_bytes)

    attempts = [(True, True), (False, True), (True, False)]  # (fill the grid, check the span while filling)
    for grid_mode, check in attempts:
        builder = _Builder(tuple(pollutants), grid_mode=grid_mode, span_limit=check)
        batches = batches_of()
        try:
            for chunk in batches:
                if chunk is None:  # a source is read again from its start by the other reader
                    builder = _Builder(tuple(pollutants), grid_mode=grid_mode, span_limit=check)
                    continue
                builder.add(chunk, batches)
                if on_batch is not None:
                    on_batch(int(chunk.site.shape[0]))
        except _SpanOverflow:
            continue  # typo'd dates decades apart: read again keeping keys, not an hourly grid
        log = batches.log
        builder.report_duplicates(log, batches_of)
        if mode == "raise":
            log.raise_if_any("observations")
        if builder.off_hour:
            count, file, row, when = builder.off_hour
            raise DataError(
                f"{count} hourly values are not stamped on the hour (HJ 663 needs hour-start hourly values, "
                f"e.g. 14:00 for 14:00-15:00), first {when}",
                file=file,
                row=row,
                column="time",
            )
        builder.check_span(log)
        if not grid_mode:
            continue  # the span was fine once duplicates were left out: fill the grid after all
        grid = builder.finish()
        return grid if mode == "raise" else attrs.evolve(grid, issues=tuple(log.row_issues()))
    raise AssertionError("unreachable: the last attempt fills the grid")  # pragma: no cover


class _SpanOverflow(Exception):
    """The hourly rows span more than ``MAX_SPAN_YEARS``: an error is coming; stop filling the grid."""


_SLAB = 16  # sites whose rows are made ready at once


class _SiteRows:
    """(site × hour) values of one pollutant and year: one matrix, its rows NaN-filled :data:`_SLAB` at a
    time as the sites appear. It grows by doubling, as ``np.empty``: rows not filled yet are never
    written, so the spare capacity takes address space, not memory. :meth:`take` hands the matrix over
    without a copy when its sites come in the order asked for (a file sorted by site)."""

    def __init__(self, hours: int) -> None:
        self.hours = hours
        self.matrix: npt.NDArray[np.float64] = np.empty((0, hours))
        self.filled = 0  # rows ready (NaN or values)

    def _ready(self, top: int) -> npt.NDArray[np.float64]:
        """The matrix, with its rows below ``top`` ready."""
        if top > self.filled:
            need = -(-top // _SLAB) * _SLAB
            if need > self.matrix.shape[0]:
                grown = np.empty((max(need, 2 * self.matrix.shape[0]), self.hours))
                grown[: self.filled] = self.matrix[: self.filled]
                self.matrix = grown
            self.matrix[self.filled : need] = np.nan
            self.filled = need
        return self.matrix

    def fill(self, gid: npt.NDArray[np.int64], hour: npt.NDArray[np.int64], value: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        """Write the values into their cells; returns the rows whose cell holds a value already (from an
        earlier row, or an earlier row of this batch): those are not written."""
        cells = self._ready(int(gid.max()) + 1).reshape(-1)
        flat = gid * self.hours + hour
        again: npt.NDArray[np.bool_] = ~np.isnan(cells[flat])
        if flat.size > 1 and not bool((np.diff(flat) > 0).all()):
            order = np.argsort(flat, kind="stable")
            ordered = flat[order]
            again[order[1:][ordered[1:] == ordered[:-1]]] = True
        if again.any():
            keep = ~again
            cells[flat[keep]] = value[keep]
        else:
            cells[flat] = value
        return again

    def get(self, gid: npt.NDArray[np.int64], hours: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """Values at (gid[i], hours[i, j]) (NaN where nothing)."""
        out = np.full(hours.shape, np.nan)
        pick = np.flatnonzero(gid < self.filled)
        out[pick] = self.matrix[gid[pick][:, None], hours[pick]]
        return out

    def put(self, gid: npt.NDArray[np.int64], hours: npt.NDArray[np.int64], value: npt.NDArray[np.float64]) -> None:
        """Write value[i] at (gid[i], hours[i, j])."""
        self._ready(int(gid.max()) + 1)[gid[:, None], hours] = value[:, None]

    def has_values(self, n_sites: int) -> npt.NDArray[np.bool_]:
        out = np.zeros(n_sites, dtype=bool)
        for lo in range(0, min(n_sites, self.filled), _SLAB):  # a slab at a time: small temporaries
            hi = min(lo + _SLAB, n_sites, self.filled)
            out[lo:hi] = ~np.isnan(self.matrix[lo:hi]).all(axis=1)
        return out

    def take(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """The rows of the sites ``rows``, in that order, as one matrix (the store is emptied)."""
        matrix, filled = self.matrix, self.filled
        self.matrix, self.filled = np.empty((0, self.hours)), 0
        if rows.size <= filled and np.array_equal(rows, np.arange(rows.size)):
            return matrix[: rows.size]  # the rows beyond are spare (never written) or few: no copy
        out = np.full((rows.size, self.hours), np.nan)
        ready = np.flatnonzero(rows < filled)
        out[ready] = matrix[rows[ready]]
        return out


@attrs.define
class _Builder:
    """The grid being filled, and what the rows that do not go into it need later."""

    pollutants: tuple[str, ...]
    grid_mode: bool = True  # False: keep every hourly row's key aside instead (a span error is coming)
    span_limit: bool = True  # stop filling the grid (_SpanOverflow) when the hourly rows span too long
    # The first and last used hourly rows: (seconds, 0, table, position) and (-seconds, 0, table, position)
    span_first: tuple[int, int, int, int] | None = None
    span_last: tuple[int, int, int, int] | None = None
    clash: npt.NDArray[np.bool_] | None = None  # per daily row: shadowed by hourly rows
    site_index: dict[str, int] = attrs.field(factory=dict)
    site_used: list[bool] = attrs.field(factory=list)
    # year -> one (site × hour) store per pollutant, made when the pollutant first has a value
    blocks: dict[int, list[_SiteRows | None]] = attrs.field(factory=dict)
    flags: dict[int, npt.NDArray[np.bool_]] = attrs.field(factory=dict)  # pollutant -> from a daily value
    _site_maps: dict[int, tuple[list[str], npt.NDArray[np.int64]]] = attrs.field(factory=dict)
    _pol_of_param: npt.NDArray[np.int64] = attrs.field(factory=lambda: np.zeros(0, dtype=np.int64))
    param_ids: list[str] = attrs.field(factory=list)
    other_counts: npt.NDArray[np.int64] = attrs.field(factory=lambda: np.zeros(0, dtype=np.int64))
    coarse_counts: npt.NDArray[np.int64] = attrs.field(factory=lambda: np.zeros(0, dtype=np.int64))
    hourly_used: int = 0
    hourly_censored: int = 0
    off_hour: tuple[int, str, int, Any] | None = None
    # Rows kept aside (daily values, and every row outside the grid for the duplicate search):
    extra: list[dict[str, npt.NDArray[Any]]] = attrs.field(factory=list)
    # Hourly duplicates found while filling: (table, positions, packed keys)
    dup_hourly: list[tuple[int, npt.NDArray[np.intp], npt.NDArray[np.int64]]] = attrs.field(factory=list)

    # -- codes ------------------------------------------------------------------------------------------
    def site_gids(self, labels: list[str]) -> npt.NDArray[np.int64]:
        """Global site numbers for a batch's site labels (a source-wide list only grows)."""
        known, mapped = self._site_maps.get(id(labels), (None, np.zeros(0, dtype=np.int64)))
        if known is not labels:
            mapped = np.zeros(0, dtype=np.int64)
        if mapped.size < len(labels):
            index = self.site_index
            new = [index.setdefault(label, len(index)) for label in labels[mapped.size :]]
            mapped = np.concatenate([mapped, np.asarray(new, dtype=np.int64)])
            self._site_maps[id(labels)] = (labels, mapped)
            self.site_used.extend([False] * (len(index) - len(self.site_used)))
        return mapped

    def pollutant_codes(self, batches: ObservationBatches) -> npt.NDArray[np.int64]:
        """Pollutant index (-1: another parameter) of every parameter code met so far."""
        params = batches.known.params
        if self._pol_of_param.size < len(params):
            added = [self.pollutants.index(p.id) if p.id in self.pollutants else -1 for p in params[self._pol_of_param.size :]]
            self._pol_of_param = np.concatenate([self._pol_of_param, np.asarray(added, dtype=np.int64)])
            self.param_ids = [p.id for p in params]
            grow = len(params) - self.other_counts.size
            self.other_counts = np.concatenate([self.other_counts, np.zeros(grow, dtype=np.int64)])
            self.coarse_counts = np.concatenate([self.coarse_counts, np.zeros(grow, dtype=np.int64)])
        return self._pol_of_param

    def _matrix(self, year: int, k: int) -> _SiteRows:
        matrices = self.blocks.setdefault(year, [None] * len(self.pollutants))
        matrix = matrices[k]
        if matrix is None:
            matrix = matrices[k] = _SiteRows(_hours_in_year(year))
        return matrix

    @staticmethod
    def pack(n_pollutants: int, gid: npt.NDArray[np.int64], pol: npt.NDArray[np.int64], hour: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        return ((gid * n_pollutants + pol) << _HOUR_BITS) | hour

    # -- one batch --------------------------------------------------------------------------------------
    def add(self, chunk: ObservationChunk, batches: ObservationBatches) -> None:
        n = int(chunk.site.shape[0])
        if n == 0:
            return
        log = batches.log
        good = ~log.bad_mask(chunk.table, n) if log.has_problems(chunk.table) else None
        position = np.arange(n, dtype=np.intp) if good is None else np.flatnonzero(good)
        if position.size == 0:
            return

        def pick(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return a if good is None else a[good]

        gid = self.site_gids(chunk.site_labels)[pick(chunk.site)]
        lo, hi = int(gid.min()), int(gid.max())
        for g in (np.flatnonzero(np.bincount(gid - lo)) + lo).tolist() if lo != hi else [lo]:
            self.site_used[g] = True
        param = pick(chunk.param_of_spelling[chunk.pspell])
        pol = self.pollutant_codes(batches)[param]
        seconds, kind = pick(chunk.time), pick(chunk.time_kind)
        value, censored = pick(chunk.value), pick(chunk.censored)
        stat = np.where(censored, value * HALF_DETECTION_LIMIT, value) if censored.any() else value

        hourly = (pol >= 0) & (kind == TIME_INSTANT)
        off = hourly & (seconds % 3600 != 0)
        if not self.grid_mode:
            hourly = hourly & False  # every row is kept aside with its key
        if off.any():
            hourly &= ~off
            table = log.tables[chunk.table]
            if self.off_hour is None:
                first = int(np.flatnonzero(off)[0])
                when = np.datetime64(int(seconds[first]), "s")
                self.off_hour = (int(off.sum()), table.name, int(table.rows[position[first]]), when)
            else:
                self.off_hour = (self.off_hour[0] + int(off.sum()), *self.off_hour[1:])
        if hourly.all():
            self._scatter(chunk.table, position, gid, pol, seconds, stat, censored)
        elif hourly.any():
            self._scatter(
                chunk.table, position[hourly], gid[hourly], pol[hourly], seconds[hourly], stat[hourly], censored[hourly]
            )
        rest = ~hourly
        if rest.any():
            r_pol, r_kind, r_param = pol[rest], kind[rest], param[rest]
            self.extra.append(
                {
                    "gid": gid[rest],
                    "param": r_param.astype(np.int64),
                    "pol": r_pol,
                    "key": seconds[rest] * 4 + r_kind,
                    "seconds": seconds[rest],
                    "kind": r_kind,
                    "stat": stat[rest],
                    "censored": censored[rest],
                    "table": np.full(int(rest.sum()), chunk.table, dtype=np.int64),
                    "position": position[rest],
                }
            )

    def _scatter(  # noqa: PLR0917 - private helper of add
        self,
        table: int,
        position: npt.NDArray[np.intp],
        gid: npt.NDArray[np.int64],
        pol: npt.NDArray[np.int64],
        seconds: npt.NDArray[np.int64],
        stat: npt.NDArray[np.float64],
        censored: npt.NDArray[np.bool_],
    ) -> None:
        hour = seconds // 3600
        if self.span_limit:
            lo, hi = int(seconds.min()), int(seconds.max())
            first = lo if self.span_first is None else min(lo, self.span_first[0])
            last = hi if self.span_last is None else max(hi, -self.span_last[0])
            if (last - first) // 86400 > _max_span_days():
                raise _SpanOverflow
        years = _years_of(hour)
        for year in np.unique(years).tolist() if years.ndim else [int(years)]:
            in_year = None if not years.ndim else years == year
            if in_year is not None and in_year.all():
                in_year = None
            start = _year_start_hour(year)
            for k, sel in _pollutant_parts(pol, in_year):
                h = hour if sel is None else hour[sel]
                g = gid if sel is None else gid[sel]
                v = stat if sel is None else stat[sel]
                c = censored if sel is None else censored[sel]
                where = position if sel is None else position[sel]
                taken = self._matrix(year, k).fill(g, h - start, v)
                if taken.any():
                    keys = self.pack(len(self.pollutants), g[taken], np.full(int(taken.sum()), k), h[taken])
                    self.dup_hourly.append((table, where[taken], keys))
                    keep = ~taken
                    h, where, c = h[keep], where[keep], c[keep]
                self.hourly_used += int(h.size)
                self.hourly_censored += int(c.sum())
                if h.size:
                    self._track_span(h * 3600, where, table, daily=0)

    def _track_span(
        self, seconds: npt.NDArray[np.int64], position: npt.NDArray[np.intp], table: int, *, daily: int
    ) -> None:
        """Keep the first row with the smallest and the first with the largest time (as np.argmin/argmax
        over the used rows, hourly rows before daily ones)."""
        lo, hi = int(seconds.min()), int(seconds.max())
        first = (lo, daily, table, int(position[seconds == lo].min()))
        last = (-hi, daily, table, int(position[seconds == hi].min()))
        if self.span_first is None or first < self.span_first:
            self.span_first = first
        if self.span_last is None or last < self.span_last:
            self.span_last = last

    # -- after the last batch -------------------------------------------------------------------------
    def report_duplicates(self, log: ProblemLog, again: Callable[[], ObservationBatches]) -> None:
        """Log every later row of a duplicate record, naming the first (docs/inputs.md)."""
        if self.dup_hourly:
            keys = np.concatenate([k for _, _, k in self.dup_hourly])
            first = _first_rows(again(), np.unique(keys), self.pollutants)
            for table, positions, packed in self.dup_hourly:
                log.add(
                    table,
                    positions,
                    log.tables[table].header("time"),
                    [f"duplicate record: same site, parameter and time as {first[k]}" for k in packed.tolist()],
                )
        if not self.extra:
            return
        rest = {k: np.concatenate([e[k] for e in self.extra]) for k in self.extra[0]}
        order = np.lexsort((rest["position"], rest["table"], rest["key"], rest["param"], rest["gid"]))
        same = np.zeros(order.size, dtype=bool)
        if order.size > 1:
            a, b = order[1:], order[:-1]
            same[1:] = (
                (rest["gid"][a] == rest["gid"][b])
                & (rest["param"][a] == rest["param"][b])
                & (rest["key"][a] == rest["key"][b])
            )
        if same.any():
            starts = ~same
            head = order[np.flatnonzero(starts)[np.cumsum(starts) - 1]]
            later, head = order[same], head[same]
            names = [
                f"{log.tables[t].name}:{int(log.tables[t].rows[np.asarray([p])][0])}"
                for t, p in zip(rest["table"][head].tolist(), rest["position"][head].tolist(), strict=True)
            ]
            tables = rest["table"][later]
            for t in np.unique(tables).tolist():
                mine = np.flatnonzero(tables == t)
                log.add(
                    t,
                    rest["position"][later[mine]],
                    log.tables[t].header("time"),
                    [f"duplicate record: same site, parameter and time as {names[i]}" for i in mine.tolist()],
                )
            keep = np.ones(order.size, dtype=bool)
            keep[later] = False
            rest = {k: v[keep] for k, v in rest.items()}
        self.extra = [rest]
        # Rows counted, not used: other parameters; monthly and yearly rows of the pollutants.
        n_params = self.other_counts.size
        not_pol = rest["pol"] < 0
        self.other_counts = np.bincount(rest["param"][not_pol], minlength=n_params)
        coarse = (rest["pol"] >= 0) & (rest["kind"] != TIME_INSTANT) & (rest["kind"] != TIME_DAY)
        self.coarse_counts = np.bincount(rest["param"][coarse], minlength=n_params)

    def check_span(self, log: ProblemLog) -> None:
        """:data:`~envplan_core.analysis.air.MAX_SPAN_YEARS` over the used rows, as ``air_columns`` checks it
        (the hourly rows, then the daily rows no hourly row of their day shadows)."""
        rest = self.extra[0] if self.extra else None
        if rest is not None:
            if not self.grid_mode:  # the hourly rows were kept aside
                hourly = np.flatnonzero((rest["pol"] >= 0) & (rest["kind"] == TIME_INSTANT))
                for t in np.unique(rest["table"][hourly]).tolist():
                    mine = hourly[rest["table"][hourly] == t]
                    self._track_span(rest["seconds"][mine], rest["position"][mine], t, daily=0)
            daily = np.flatnonzero((rest["pol"] >= 0) & (rest["kind"] == TIME_DAY))
            if daily.size:
                self.clash = self._shadowed(rest, daily)
                kept = daily[~self.clash]
                for t in np.unique(rest["table"][kept]).tolist():
                    mine = kept[rest["table"][kept] == t]
                    self._track_span(rest["seconds"][mine], rest["position"][mine], t, daily=1)
        if self.span_first is None or self.span_last is None:
            return
        lo, _, t_lo, p_lo = self.span_first
        hi, _, t_hi, p_hi = self.span_last
        span = (-hi - lo) // 86400
        if span <= _max_span_days():
            return
        first, last = log.tables[t_lo], log.tables[t_hi]
        row_lo = int(first.rows[np.asarray([p_lo])][0])
        row_hi = int(last.rows[np.asarray([p_hi])][0])
        raise DataError(
            f"the air rows span {span // 365} years, from {np.datetime64(lo, 's')} to {np.datetime64(-hi, 's')} "
            f"(row {row_hi} of {last.name}): more than {air_module.MAX_SPAN_YEARS} years of hourly grid; "
            "check these dates",
            file=first.name,
            row=row_lo,
            column="time",
        )

    def _shadowed(self, rest: dict[str, npt.NDArray[Any]], daily: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
        """Per daily row: the same site, pollutant and day has hourly rows (those win)."""
        gid, pol = rest["gid"][daily], rest["pol"][daily]
        day = rest["seconds"][daily] // 86400
        if not self.grid_mode:
            hourly = np.flatnonzero((rest["pol"] >= 0) & (rest["kind"] == TIME_INSTANT))
            n_pol = len(self.pollutants)
            h_key = (rest["gid"][hourly] * n_pol + rest["pol"][hourly]) * 10**7 + rest["seconds"][hourly] // 86400
            return np.isin((gid * n_pol + pol) * 10**7 + day, h_key)
        first_hour = day * _HOURS_PER_DAY
        year = np.broadcast_to(_years_of(first_hour), first_hour.shape)
        offsets = np.arange(_HOURS_PER_DAY)
        clash = np.zeros(daily.size, dtype=bool)
        for y in np.unique(year).tolist():
            for k in np.unique(pol[year == y]).tolist():
                matrix = self.blocks.get(y, [None] * len(self.pollutants))[k]
                if matrix is None:
                    continue
                mine = np.flatnonzero((year == y) & (pol == k))
                cells = matrix.get(gid[mine], (first_hour[mine] - _year_start_hour(y))[:, None] + offsets)
                clash[mine] = ~np.isnan(cells).all(axis=1)
        return clash

    def finish(self) -> AirGrid:
        rest = self.extra[0] if self.extra else None
        daily_rows = shadowed = daily_censored = 0
        if rest is not None:
            daily = np.flatnonzero((rest["pol"] >= 0) & (rest["kind"] == TIME_DAY))
            if daily.size:
                daily_rows, shadowed, daily_censored = self._spread(rest, daily)
        name_of = {g: name for name, g in self.site_index.items()}
        names = sorted(name for name, g in self.site_index.items() if self.site_used[g])
        code_of = {name: code for code, name in enumerate(names)}
        n_known = len(self.site_index)
        has_air = np.zeros(n_known, dtype=bool)
        for matrices in self.blocks.values():
            for matrix in matrices:
                if matrix is not None:
                    has_air |= matrix.has_values(n_known)
        rows = np.asarray([self.site_index[name] for name in names if has_air[self.site_index[name]]], dtype=np.int64)
        years = list(range(min(self.blocks), max(self.blocks) + 1)) if self.blocks else []
        values: dict[str, npt.NDArray[np.float64]] = {}
        from_daily: dict[str, npt.NDArray[np.bool_]] = {}
        for k, pid in enumerate(self.pollutants):
            if not any(self.blocks[y][k] is not None for y in self.blocks):
                continue
            parts = []
            for y in years:
                matrix = self.blocks[y][k] if y in self.blocks else None
                parts.append(matrix.take(rows) if matrix is not None else np.full((rows.size, _hours_in_year(y)), np.nan))
                if y in self.blocks:
                    self.blocks[y][k] = None  # copied slab by slab, each freed: memory stays flat
            values[pid] = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
            flag = self.flags.pop(k, None)
            from_daily[pid] = flag[rows] if flag is not None else np.zeros(values[pid].shape, dtype=bool)
        start = np.datetime64(_year_start_hour(years[0]) if years else 0, "h")
        self.blocks.clear()
        return AirGrid(
            site_names=tuple(names),
            codes=np.asarray([code_of[name_of[g]] for g in rows.tolist()], dtype=np.int64),
            start=start,
            values=values,
            from_daily=from_daily,
            other={self.param_ids[c]: int(n) for c, n in enumerate(self.other_counts.tolist()) if n},
            coarse={self.param_ids[c]: int(n) for c, n in enumerate(self.coarse_counts.tolist()) if n},
            shadowed=shadowed,
            non_detects=self.hourly_censored + daily_censored,
            rows_used=self.hourly_used + daily_rows,
            daily_rows=daily_rows,
        )

    def _spread(self, rest: dict[str, npt.NDArray[Any]], daily: npt.NDArray[np.intp]) -> tuple[int, int, int]:
        """Daily values over the 24 hours of their day, unless the site, pollutant and day has hours."""
        gid, pol, stat = rest["gid"][daily], rest["pol"][daily], rest["stat"][daily]
        first_hour = (rest["seconds"][daily] // 86400) * _HOURS_PER_DAY
        year = np.broadcast_to(_years_of(first_hour), first_hour.shape)
        offsets = np.arange(_HOURS_PER_DAY)
        clash = self.clash if self.clash is not None else self._shadowed(rest, daily)
        keep = ~clash
        for y in np.unique(year[keep]).tolist():
            self.blocks.setdefault(y, [None] * len(self.pollutants))
        base = _year_start_hour(min(self.blocks))
        total = _year_start_hour(max(self.blocks) + 1) - base
        for y in np.unique(year[keep]).tolist():
            for k in np.unique(pol[keep & (year == y)]).tolist():
                mine = np.flatnonzero(keep & (year == y) & (pol == k))
                matrix = self._matrix(y, k)
                hours = (first_hour[mine] - _year_start_hour(y))[:, None] + offsets
                matrix.put(gid[mine], hours, stat[mine])
                flag = self.flags.get(k)
                n_sites = len(self.site_index)
                if flag is None or flag.shape != (n_sites, total):
                    old, flag = flag, np.zeros((n_sites, total), dtype=bool)
                    if old is not None:
                        flag[: old.shape[0], : old.shape[1]] = old
                    self.flags[k] = flag
                flag[gid[mine][:, None], (first_hour[mine] - base)[:, None] + offsets] = True
        return int(keep.sum()), int(clash.sum()), int(rest["censored"][daily][keep].sum())


_RUNS = 64  # a batch in fewer runs of one pollutant than this is taken run by run


def _pollutant_parts(pol: npt.NDArray[np.int64], in_year: npt.NDArray[np.bool_] | None) -> list[tuple[int, Any]]:
    """Rows of each pollutant (in one year): None for all; in a few runs (a file sorted by site and
    parameter), slices in row order (no gathers); else one mask each. Either way a pollutant's earlier
    rows are filled first, so the same rows are duplicates."""
    cuts = np.flatnonzero(pol[1:] != pol[:-1]) + 1 if in_year is None else None
    if cuts is not None and cuts.size < _RUNS:
        edges = [0, *cuts.tolist(), pol.size]
        return [(int(pol[a]), None if b - a == pol.size else slice(a, b)) for a, b in itertools.pairwise(edges)]
    p_year = pol if in_year is None else pol[in_year]
    kinds = np.flatnonzero(np.bincount(p_year - p_year.min())) + p_year.min()
    return [(k, pol == k if in_year is None else in_year & (pol == k)) for k in kinds.tolist()]


def _years_of(hours: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Calendar year of each hour (a 0-d array when all fall in one year: the common case, cheaply)."""
    lo = int(np.datetime64(int(hours.min()), "h").astype("datetime64[Y]").astype(np.int64)) + 1970
    hi = int(np.datetime64(int(hours.max()), "h").astype("datetime64[Y]").astype(np.int64)) + 1970
    if lo == hi:
        return np.asarray(lo, dtype=np.int64)
    return hours.astype("datetime64[h]").astype("datetime64[Y]").astype(np.int64) + 1970


def _first_rows(
    batches: ObservationBatches, keys: npt.NDArray[np.int64], pollutants: tuple[str, ...]
) -> dict[int, str]:
    """``file:row`` of the first row of each packed hourly key, by reading the source again."""
    builder = _Builder(pollutants)
    found: dict[int, str] = {}
    for chunk in batches:
        if chunk is None:
            builder, found = _Builder(pollutants), {}
            continue
        n = int(chunk.site.shape[0])
        if n == 0:
            continue
        log = batches.log
        good = ~log.bad_mask(chunk.table, n) if log.has_problems(chunk.table) else np.ones(n, dtype=bool)
        gid = builder.site_gids(chunk.site_labels)[chunk.site]
        param = np.maximum(chunk.param_of_spelling[chunk.pspell], 0)
        pol = builder.pollutant_codes(batches)[param] if len(batches.known.params) else np.full(n, -1)
        hourly = good & (pol >= 0) & (chunk.time_kind == TIME_INSTANT) & (chunk.time % 3600 == 0)
        packed = _Builder.pack(len(pollutants), gid, np.maximum(pol, 0), chunk.time // 3600)
        hit = np.flatnonzero(hourly & np.isin(packed, keys))
        table = log.tables[chunk.table]
        for i in hit.tolist():
            found.setdefault(int(packed[i]), f"{table.name}:{int(table.rows[i])}")
        if len(found) == keys.size:
            break
    return found


# --------------------------------------------------------------------------- records
def grid_stats_records(
    grid: AirGrid, *, period: Literal["year", "month"] = "year", county: bool = False
) -> tuple[list[dict[str, Any]], list[str]]:
    """:func:`~envplan_core.analysis.air.air_stats_records` of the same rows, from the grid."""
    notes: list[str] = []
    if not grid.codes.size:
        return [], notes
    hourly = grid.hourly_grid(period)
    records = hj663.grid_statistics(hourly, period, site_names=grid.site_names)
    for rec in records:
        rec["kind"] = "county" if is_county_name(str(rec["site"])) else "station"
    if county:
        names = grid.site_names
        member = np.asarray([not is_county_name(names[c]) for c in grid.codes.tolist()], dtype=bool)
        stations = [int(c) for c in grid.codes[member].tolist()]
        if not stations:
            notes.append("--county: the file has no station rows (only county-level rows); nothing to average")
        else:
            series = _county_grid(grid.hourly_grid("day"), member, period)
            county_recs = hj663.grid_statistics(series, period, site_names={-1: COUNTY_LABEL})
            station_names = [names[c] for c in stations]
            for rec in county_recs:
                rec["kind"] = "county"
                rec["stations"] = station_names
            records += county_recs
            notes.append(
                f"county series: per hour the mean of the finite values of {len(stations)} stations "
                f"({', '.join(station_names)}), HJ 663"
            )
    return records, notes


def _county_grid(day_grid: hj663.HourlyGrid, member: npt.NDArray[np.bool_], period: str) -> hj663.HourlyGrid:
    """:func:`hj663.county_series` on the grid's member rows, as the grid :func:`hj663.annual_statistics`
    builds from that series (the same sums, in the same order)."""
    everyone = bool(member.all())
    present = day_grid.present if everyone else day_grid.present[member]
    hours = np.flatnonzero(present.any(axis=0))
    series: dict[str, npt.NDArray[np.float64]] = {}
    for pid, matrix in day_grid.values.items():
        m = (matrix if everyone else matrix[member])[:, hours]
        finite = np.isfinite(m)
        n = finite.sum(axis=0)
        total = np.where(finite, m, 0.0).sum(axis=0)
        series[pid] = np.where(n > 0, total / np.maximum(n, 1), np.nan)
    base = int(day_grid.start.astype(np.int64))
    absolute = hours.astype(np.int64) + base
    lo = _align(int(absolute[0]), period, end=False)
    hi = _align(int(absolute[-1]), period, end=True)
    values = {}
    for pid, s in series.items():
        row = np.full((1, hi - lo), np.nan)
        row[0, absolute - lo] = np.where(np.isfinite(s), s, np.nan)
        values[pid] = row
    mask = np.zeros((1, hi - lo), dtype=bool)
    mask[0, absolute - lo] = True
    return hj663.HourlyGrid(sites=np.asarray([-1]), start=np.datetime64(lo, "h"), values=values, present=mask)


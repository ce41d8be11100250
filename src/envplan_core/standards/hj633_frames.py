"""HJ 633 AQI of hourly observations as columns: the records of ``envplan aqi`` (docs/cli.md).

:func:`aqi_frames` puts columnar hourly observations of sites into an hourly grid
(:class:`envplan_core.standards.hj663.HourlyGrid`, whole days); :func:`grid_aqi_frames` computes from
such a grid, all sites at once, the hourly records (1-h values and running means, by the hourly method)
and the daily ones (HJ 663 daily values: 24-h means, MDA8, daily maximum 1-h), one :class:`AQIFrame`
per site and kind; :func:`frame_aqi` gives their records. The rule is that of ``hj633.aqi_hourly`` and
``hj633.aqi_daily`` on the same values (see :mod:`envplan_core.standards.hj633`).

The public module is :mod:`envplan_core.standards.hj633`: it re-exports these names (``hj633.AQIFrame``,
``hj633.aqi_frames``, ``hj633.grid_aqi_frames``, ``hj633.frame_aqi``), loading this module on first use.
This module imports hj633 (the tables and the rule) and hj663 (the grid and the daily values); hj633
does not import it at load time, so there is no import cycle.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.errors import DataError
from envplan_core.standards import hj663
from envplan_core.standards.gb3095 import resolve_parameter
from envplan_core.standards.hj633 import (
    DAILY_INDICATORS,
    DEFAULT_HOURLY_METHOD,
    HOURLY_INDICATORS_BY_METHOD,
    HOURLY_METHODS,
    AQIResult,
    Bool,
    Float,
    HourlyMethod,
    _aqi,
)

__all__ = ["AQIFrame", "aqi_frames", "frame_aqi", "grid_aqi_frames"]

_AQI_PARAMETERS = ("SO2", "NO2", "PM10", "PM2.5", "CO", "O3")


def frame_aqi(
    site_codes: npt.ArrayLike,
    times: npt.ArrayLike,
    values_by_pollutant: Mapping[str, npt.ArrayLike],
    *,
    kind: Literal["hourly", "daily", "both"] = "both",
    site_names: Sequence[str] | Mapping[Any, str] | None = None,
    hourly_method: HourlyMethod = DEFAULT_HOURLY_METHOD,
    from_daily: Mapping[str, npt.ArrayLike] | None = None,
) -> list[dict[str, Any]]:
    """AQI records (docs/cli.md JSON of ``envplan aqi``) from columnar hourly observations: the records
    of :func:`aqi_frames` (same arguments), all hourly records site by site, then the daily ones.
    """
    frames = aqi_frames(
        site_codes,
        times,
        values_by_pollutant,
        kind=kind,
        site_names=site_names,
        hourly_method=hourly_method,
        from_daily=from_daily,
    )
    return [record for frame in frames for record in frame.records()]


def aqi_frames(
    site_codes: npt.ArrayLike,
    times: npt.ArrayLike,
    values_by_pollutant: Mapping[str, npt.ArrayLike],
    *,
    kind: Literal["hourly", "daily", "both"] = "both",
    site_names: Sequence[str] | Mapping[Any, str] | None = None,
    hourly_method: HourlyMethod = DEFAULT_HOURLY_METHOD,
    from_daily: Mapping[str, npt.ArrayLike] | None = None,
) -> list[AQIFrame]:
    """AQI of columnar hourly observations as :class:`AQIFrame` (one per site and kind: the hourly ones
    site by site, then the daily ones), whose records are those of docs/cli.md ``envplan aqi``.

    ``values_by_pollutant``: hourly concentrations by GB 3095 parameter (id or alias) in canonical
    units (µg/m³; CO mg/m³); parameters other than the six AQI pollutants are ignored. Hour-start
    stamps (docs/inputs.md (conventions)). Each record: ``site``, ``kind`` (``hourly``/``daily``), ``time`` (ISO hour
    ``2023-05-10T14:00`` / date), ``rules``, ``aqi`` (int or null), ``level``, ``category_zh``,
    ``category_en``, ``primary_pollutant`` (null when AQI ≤ 50; ties joined by ","),
    ``primary_pollutants``, ``non_attainment`` (2012), ``iaqi`` {pollutant: int}, ``complete``,
    ``incomplete_reasons``, ``iaqi_lower_bounds``, ``substitutions``, hourly records ``hourly_method``,
    and ``concentrations`` (the indicator values the IAQI were computed from, unrounded, by indicator
    key; invalid ones omitted). The rule is :func:`aqi_hourly` / :func:`aqi_daily`'s, on the same values.

    Hourly records exist for hours with a row; daily records for days with at least one row.
    Daily values follow HJ 663 validity (see :mod:`hj663`); an invalid daily value counts as missing.
    A site "monitors" a pollutant when it has any finite value of it (incompleteness; the 2026 NA rule).
    ``from_daily``: per pollutant, the rows that are a daily value spread over its hours; a day whose
    O3 is such a value (an MDA8) has no daily maximum 1-h value, and the record says
    ``o3_from_daily_value``.
    """
    if hourly_method not in HOURLY_INDICATORS_BY_METHOD:
        raise ValueError(f"unknown hourly method {hourly_method!r}; use one of {list(HOURLY_METHODS)}")
    given = {resolve_parameter(k): v for k, v in values_by_pollutant.items()}
    columns = {pid: v for pid, v in given.items() if pid in _AQI_PARAMETERS}
    if not columns:
        raise DataError(f"no AQI pollutant among {sorted(given)}; expected some of {list(_AQI_PARAMETERS)}")
    grid = hj663.hourly_grid(site_codes, times, columns, align="day")
    o3_daily: Bool = np.zeros((grid.sites.size, grid.n_hours // 24), dtype=bool)
    flags = {resolve_parameter(k): np.asarray(v, dtype=bool) for k, v in (from_daily or {}).items()}
    if "O3" in flags and "O3" in columns and flags["O3"].any():
        # The same rows scattered the same way: the days of each site holding a spread daily O3 value.
        marks = hj663.hourly_grid(site_codes, times, {"O3": np.where(flags["O3"], 1.0, np.nan)}, align="day")
        o3_daily = np.asarray(
            np.isfinite(marks.values["O3"]).reshape(grid.sites.size, -1, 24).any(axis=-1), dtype=bool
        )
    return grid_aqi_frames(
        grid, kind=kind, site_names=site_names, hourly_method=hourly_method, o3_daily=o3_daily
    )


def grid_aqi_frames(
    grid: hj663.HourlyGrid,
    *,
    kind: Literal["hourly", "daily", "both"] = "both",
    site_names: Sequence[str] | Mapping[Any, str] | None = None,
    hourly_method: HourlyMethod = DEFAULT_HOURLY_METHOD,
    o3_daily: Bool | None = None,
) -> list[AQIFrame]:
    """:func:`aqi_frames` of observations already in an hourly grid: whole days from a day's start, the
    values of the six AQI pollutants (NaN where none), ``present`` the hours with a row (hourly records).
    ``o3_daily`` (site × day): the days whose O3 is a daily value (see :func:`frame_aqi`); None: none.
    The sites are computed together, each record by its own site's values and monitoring."""
    if hourly_method not in HOURLY_INDICATORS_BY_METHOD:
        raise ValueError(f"unknown hourly method {hourly_method!r}; use one of {list(HOURLY_METHODS)}")
    if grid.n_hours % 24:
        raise ValueError("the grid must span whole days")
    if o3_daily is None:
        o3_daily = np.zeros((grid.sites.size, grid.n_hours // 24), dtype=bool)
    frames: list[AQIFrame] = []
    if kind in ("hourly", "both"):
        frames += _hourly_frames(grid, site_names, hourly_method)
    if kind in ("daily", "both"):
        frames += _daily_frames(grid, site_names, o3_daily)
    return frames


@attrs.frozen(eq=False)
class AQIFrame:
    """The AQI records of one site and kind as columns (:func:`aqi_frames`); :meth:`records` gives them.

    ``times``: the hour (``datetime64[h]``) or day (``datetime64[D]``) of each record, its ``time``
    written by :meth:`time_texts`; ``result``: their AQI; ``concentrations``:
    per indicator key, in the order of the record's ``concentrations``, the values (NaN where the record
    omits the key: no valid value, or not an indicator of the element's edition); ``o3_from_daily_value``:
    the daily records whose O3 is a daily value (None: hourly).
    """

    site: Any
    kind: Literal["hourly", "daily"]
    times: npt.NDArray[np.datetime64]
    result: AQIResult
    concentrations: Mapping[str, Float]
    o3_from_daily_value: Bool | None = None

    def __len__(self) -> int:
        return int(self.times.size)

    def time_texts(self) -> npt.NDArray[np.str_]:
        """The ``time`` of each record: ISO hour (``2023-05-10T14:00``) or date."""
        return np.datetime_as_string(self.times, unit="m" if self.kind == "hourly" else "D")

    def records(self) -> list[dict[str, Any]]:
        """The records of docs/cli.md ``aqi`` (what :func:`frame_aqi` returns)."""
        res = self.result
        conc = [(k, v.tolist()) for k, v in self.concentrations.items()]
        flags = [] if self.o3_from_daily_value is None else self.o3_from_daily_value.tolist()
        out: list[dict[str, Any]] = []
        for n, time in enumerate(self.time_texts().tolist()):
            rec = {"site": self.site, "kind": self.kind, "time": time}
            rec.update(res.record(n))
            rec["concentrations"] = {k: v[n] for k, v in conc if math.isfinite(v[n])}
            if flags and flags[n]:
                rec["o3_from_daily_value"] = True
            out.append(rec)
        return out


def _merged(orders: Sequence[Sequence[str]]) -> list[str]:
    """One order of keys in which every order of ``orders`` is a subsequence (each key after the one it
    follows in its own order)."""
    out: list[str] = []
    for order in orders:
        previous = -1
        for key in order:
            if key not in out:
                out.insert(previous + 1, key)
            previous = out.index(key)
    for order in orders:
        if [k for k in out if k in order] != list(dict.fromkeys(order)):
            raise AssertionError(f"no common order of {orders}")  # pragma: no cover - fixed tables
    return out


def _used_columns(
    values: Mapping[str, Float], rules: npt.NDArray[np.str_], used: Mapping[str, tuple[str, ...]]
) -> dict[str, Float]:
    """The records' ``concentrations`` as columns: per key of the merged order of ``used`` (the keys of
    each edition) present in ``values``, the values, NaN where the element's edition does not use it."""
    out: dict[str, Float] = {}
    editions = {version: rules == version for version in used}  # compared once, not once per key
    for key in _merged(list(used.values())):
        if key not in values:
            continue
        unused = np.zeros(rules.size, dtype=bool)
        for version, keys in used.items():
            if key not in keys:
                unused |= editions[version]
        out[key] = np.where(unused, np.nan, values[key]) if unused.any() else values[key]
    return out


def _monitored_masks(grid: hj663.HourlyGrid, rows: npt.NDArray[np.intp]) -> dict[str, Bool]:
    """Per pollutant name, the elements (of sites ``rows``) whose site has a finite value of it."""
    out: dict[str, Bool] = {}
    for pid, matrix in grid.values.items():
        site_has: Bool = np.asarray(np.isfinite(matrix).any(axis=1), dtype=bool)[rows]
        for name in ("O3_1h", "O3_8h") if pid == "O3" else (pid,):
            out[name] = site_has
    return out


def _split(
    grid: hj663.HourlyGrid,
    site_names: Sequence[str] | Mapping[Any, str] | None,
    *,
    kind: Literal["hourly", "daily"],
    rows: npt.NDArray[np.intp],
    times: npt.NDArray[np.datetime64],
    res: AQIResult,
    concentrations: Mapping[str, Float],
    o3_daily: Bool | None = None,
) -> list[AQIFrame]:
    """One frame per site of the elements of all sites (``rows``: their site, ascending)."""
    starts = np.flatnonzero(np.diff(rows, prepend=-1))
    stops = [*starts[1:].tolist(), int(rows.size)]
    return [
        AQIFrame(
            site=hj663.site_label(grid.sites[rows[a]], site_names),
            kind=kind,
            times=times[a:b],
            result=res.sliced(a, b),
            concentrations={k: v[a:b] for k, v in concentrations.items()},
            o3_from_daily_value=None if o3_daily is None else o3_daily[a:b],
        )
        for a, b in zip(starts.tolist(), stops, strict=True)
    ]


def _hourly_series(v: Mapping[str, Float], method: str) -> dict[str, Float]:
    series: dict[str, Float] = {}
    for pid in _AQI_PARAMETERS:
        if pid in v:
            series[f"{pid}_1h"] = np.asarray(v[pid], dtype=np.float64)
    # Running means: SO2 24-h (both methods: the 2012 substitute above 800); for ``strict`` also O3 8-h
    # (≥ 6 of 8 h) and PM 24-h (≥ 20 of 24 h).
    running = ("SO2",) if method == "published" else ("PM10", "PM2.5", "SO2")
    for pid in running:
        if pid in v:
            run = hj663.running_mean(v[pid], 24, min_valid=hj663.MIN_HOURS_PER_DAY)
            series[f"{pid}_24h"] = run.valid_values()
    if method == "strict" and "O3" in v:
        series["O3_8h"] = hj663.running_mean(v["O3"], 8).valid_values()
    return series


def _hourly_frames(
    grid: hj663.HourlyGrid, site_names: Sequence[str] | Mapping[Any, str] | None, method: HourlyMethod
) -> list[AQIFrame]:
    """The hourly frames of all sites, computed at once (each element by its own site's monitoring)."""
    series = _hourly_series(grid.values, method)
    indicators = HOURLY_INDICATORS_BY_METHOD[method]
    used = {version: (*keys, "SO2_24h") for version, keys in indicators.items()}
    rows, cols = np.nonzero(grid.present)
    if not rows.size:
        return []
    hours = grid.hours()[cols]
    conc = {k: s[rows, cols] for k, s in series.items()}
    res = _aqi(
        conc,
        hours.astype("datetime64[D]"),
        indicators,
        _monitored_masks(grid, rows),
        kind="hourly",
        method=method,
    )
    return _split(
        grid,
        site_names,
        kind="hourly",
        rows=rows,
        times=hours,
        res=res,
        concentrations=_used_columns(conc, res.rules, used),
    )


def _daily_frames(
    grid: hj663.HourlyGrid, site_names: Sequence[str] | Mapping[Any, str] | None, o3_daily: Bool
) -> list[AQIFrame]:
    """The daily frames of all sites, computed at once (each element by its own site's monitoring)."""
    v = grid.values
    series: dict[str, Float] = {}
    for pid in ("SO2", "NO2", "PM10", "PM2.5", "CO"):
        if pid in v:
            series[f"{pid}_24h"] = hj663.daily_means(v[pid]).valid_values()
    if "O3" in v:
        series["O3_8h"] = hj663.mda8(v["O3"]).valid_values()
        # A day whose O3 is a daily value (an MDA8) has no daily maximum 1-h value.
        series["O3_1h"] = np.where(o3_daily, np.nan, hj663.daily_max_1h(v["O3"]).valid_values())
    present = np.asarray(grid.present.reshape(grid.sites.size, -1, 24).any(axis=-1), dtype=bool)
    rows, cols = np.nonzero(present)
    if not rows.size:
        return []
    days = grid.days()[cols]
    conc = {k: s[rows, cols] for k, s in series.items()}
    flags = o3_daily[rows, cols]
    res = _aqi(
        conc,
        days,
        DAILY_INDICATORS,
        _monitored_masks(grid, rows),
        kind="daily",
        not_expected={"O3_1h": flags},
    )
    concentrations = _used_columns(conc, res.rules, DAILY_INDICATORS)
    return _split(
        grid,
        site_names,
        kind="daily",
        rows=rows,
        times=days,
        res=res,
        concentrations=concentrations,
        o3_daily=flags,
    )

"""HJ 663-2013 环境空气质量评价技术规范 with the GB 3095 data-validity rules (Table 4).

Input is columnar — site codes, times, one float64 array per pollutant in its canonical unit
(µg/m³; CO in mg/m³) — and may hold millions of rows. It is reshaped once into dense
(site × hour) matrices (NaN = missing) by :func:`hourly_grid`; every statistic below is a numpy
reduction over those matrices. There is no Python loop per value; loops run over sites, pollutants,
periods or the hours of a window only.

Conventions (numbers from data/gb3095_data_validity.csv unless said otherwise):

* **Time.** Local time, hour-start stamps (docs/inputs.md (conventions)): the value stamped 00:00 covers 00:00–01:00.
  A day is the 24 hours stamped 00:00 … 23:00. A valid hour is a finite value.
* **Daily mean** (24-h mean): valid with ≥ 20 valid hours (GB 3095 Table 4).
* **8-hour running mean** at hour t: the mean of the hours stamped t−7 … t, valid with ≥ 6 valid
  hours (GB 3095 Table 4). In HJ 663's end-of-hour wording it is the 8-h mean "at (t+1) o'clock".
  Windows reaching before the first hour of the grid count the missing hours as invalid.
* **MDA8** (日最大8小时平均): the largest valid 8-h running mean among the 17 windows that end
  between 08:00 and 24:00 of the day (last hour stamped 07:00 … 23:00), so every window lies inside
  the natural day. Valid with ≥ 14 valid 8-h means — HJ 663-2013 per the reference table, which
  marks this row as recollection, **not verified**. Days below 14 keep their value, flagged invalid.
* **Daily maximum 1-h mean** (O3, HJ 633-2012 daily report only): the largest valid hour of the day,
  valid with ≥ 20 valid hours (our convention: the reference gives no rule for this statistic).
* **Running 24-h mean** (HJ 633-2012 real-time PM): hours t−23 … t, valid with ≥ 20 valid hours
  (the daily-mean rule applied to the sliding window; our convention).
* **Period validity.** Year: ≥ 324 valid daily values and ≥ 27 in every month (25 in February);
  month: ≥ 27 (25 in February) (GB 3095 Table 4). The same rule is applied to the CO 95th and O3
  90th percentiles (the reference lists it for SO2, NO2, PM10, PM2.5 and NOx; HJ 663's own rule for
  percentile statistics was not retrieved).
* **Percentile** (HJ 663): k = 1 + (n−1)·p/100, s = ⌊k⌋, m = X(s) + (X(s+1) − X(s))·(k − s) over the
  ascending valid values (1-based); equals numpy's default linear method.
* **Period means** are means of the valid daily means (unrounded); reported values are rounded by
  GB/T 8170 to integers µg/m³ and CO to 1 decimal mg/m³ (AIR-05) and the unrounded kept beside them.
* **County (city) series**: for each hour the arithmetic mean of the finite values of its stations
  (recollection of HJ 663's city rule — the reference tables do not state it); statistics then run on
  that series exactly as for a station.

Results are flagged valid/invalid; nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from typing import Any, Literal, cast

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.errors import DataError
from envplan_core.standards import ranking
from envplan_core.standards.gb3095 import SWITCH_2026, read_table, resolve_parameter
from envplan_core.standards.rounding import round_gbt8170

__all__ = [
    "MIN_8H_PER_MDA8",
    "MIN_DAYS_FEBRUARY",
    "MIN_DAYS_PER_MONTH",
    "MIN_DAYS_PER_YEAR",
    "MIN_HOURS_PER_8H",
    "MIN_HOURS_PER_DAY",
    "REPORT_DECIMALS",
    "Daily",
    "HourlyGrid",
    "Running",
    "annual_statistics",
    "as_hours",
    "county_series",
    "daily_max_1h",
    "daily_means",
    "grid_statistics",
    "group_percentile",
    "hourly_grid",
    "mda8",
    "percentile",
    "period_validity",
    "rules_label",
    "running_mean",
    "site_label",
]

Float = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]
Int = npt.NDArray[np.int64]


# --------------------------------------------------------------------------- validity rules (data)
@cache
def _validity() -> dict[str, int]:
    """Counts from data/gb3095_data_validity.csv ``min_count`` (parsed; a changed row fails loudly)."""
    # The gaseous/PM rows (SO2 … or O3); TSP, BaP and Pb have their own sampling rules.
    rows = {
        row["averaging_time"]: row["min_count"]
        for row in read_table("gb3095_data_validity.csv")
        if "SO2" in row["parameter_en"] or row["parameter_en"] == "O3"
    }
    patterns = {
        "annual mean": r"(?P<year>\d+)/yr; (?P<month>\d+)/month \((?P<feb>\d+) Feb\)",
        "24-hour (daily) mean": r"(?P<day>\d+) h",
        "8-hour mean": r"(?P<h8>\d+) of 8 h",
        "daily maximum 8-hour mean (HJ 663)": r"(?P<mda8>\d+) valid 8-h means",
    }
    out: dict[str, int] = {}
    for averaging, pattern in patterns.items():
        match = re.fullmatch(pattern, rows[averaging].strip())
        if match is None:
            raise ValueError(f"gb3095_data_validity.csv: cannot read {averaging!r}: {rows[averaging]!r}")
        out.update({k: int(v) for k, v in match.groupdict().items()})
    return out


#: ≥ 20 hourly values for a daily mean (GB 3095 Table 4).
MIN_HOURS_PER_DAY: int = _validity()["day"]
#: ≥ 6 hourly values in an 8-hour window (GB 3095 Table 4).
MIN_HOURS_PER_8H: int = _validity()["h8"]
#: ≥ 14 valid 8-hour means for an MDA8 (HJ 663-2013, unverified recollection in the reference).
MIN_8H_PER_MDA8: int = _validity()["mda8"]
#: ≥ 324 daily values in a year (GB 3095 Table 4).
MIN_DAYS_PER_YEAR: int = _validity()["year"]
#: ≥ 27 daily values in a month (GB 3095 Table 4) …
MIN_DAYS_PER_MONTH: int = _validity()["month"]
#: … and ≥ 25 in February (GB 3095 Table 4).
MIN_DAYS_FEBRUARY: int = _validity()["feb"]

#: Decimals of reported concentrations (AIR-05, HJ 633-2026 §4.2.2; HJ 663): µg/m³ integers, CO 0.1 mg/m³.
REPORT_DECIMALS: Mapping[str, int] = {"SO2": 0, "NO2": 0, "PM10": 0, "PM2.5": 0, "CO": 1, "O3": 0}

# MDA8 windows end at 08:00 … 24:00: last hour stamped 07 … 23 (17 windows).
_MDA8_FIRST_END_HOUR = 7


# --------------------------------------------------------------------------- the grid
@attrs.frozen
class HourlyGrid:
    """Dense hourly matrices: row i is site ``sites[i]``, column j the hour ``start + j``."""

    sites: npt.NDArray[Any]
    start: np.datetime64
    values: Mapping[str, Float]
    present: Bool  # a row existed for (site, hour), whatever its values

    @property
    def n_hours(self) -> int:
        return int(self.present.shape[1])

    def hours(self) -> npt.NDArray[np.datetime64]:
        return cast("npt.NDArray[np.datetime64]", self.start + np.arange(self.n_hours, dtype=np.int64))

    def days(self) -> npt.NDArray[np.datetime64]:
        first = self.start.astype("datetime64[D]")
        return cast("npt.NDArray[np.datetime64]", first + np.arange(self.n_hours // 24, dtype=np.int64))


def as_hours(times: npt.ArrayLike) -> Int:
    """Hours since 1970-01-01T00 (local) from datetime64 of any unit, ISO text or integer hours."""
    t = np.asarray(times)
    if t.dtype.kind in "OUS":
        t = t.astype("datetime64[s]")
    if t.dtype.kind == "M":
        hours = t.astype("datetime64[h]")
        if np.any(hours.astype(t.dtype) != t):
            raise DataError("hourly data must be stamped on the hour (hour-start: 14:00 = 14:00-15:00)")
        return hours.astype(np.int64)
    if t.dtype.kind in "iu":
        return t.astype(np.int64)
    raise DataError(f"times must be datetime64, ISO text or integer hours since epoch, not {t.dtype}")


_ALIGN: dict[str, tuple[str, np.timedelta64]] = {
    "day": ("datetime64[D]", np.timedelta64(1, "D")),
    "month": ("datetime64[M]", np.timedelta64(1, "M")),
    "year": ("datetime64[Y]", np.timedelta64(1, "Y")),
}


def _align(hours: Int, align: str, *, end: bool) -> int:
    """Hour index of the start (or, with ``end``, the end) of the day/month/year holding ``hours``."""
    unit, step = _ALIGN[align]
    floor = np.datetime64(int(hours), "h").astype(unit)
    if end:
        floor = floor + step
    return int(floor.astype("datetime64[h]").astype(np.int64))


def hourly_grid(
    site_codes: npt.ArrayLike,
    times: npt.ArrayLike,
    values_by_pollutant: Mapping[str, npt.ArrayLike],
    *,
    align: Literal["day", "month", "year"] = "day",
) -> HourlyGrid:
    """Scatter columnar rows into (site × hour) matrices spanning whole days/months/years.

    Keys of ``values_by_pollutant`` are GB 3095 parameter ids or aliases (``"pm25"`` → ``"PM2.5"``).
    Two rows for the same site and hour are a :class:`~envplan_core.errors.DataError`.
    """
    codes = np.asarray(site_codes)
    hours = as_hours(times)
    if codes.shape != hours.shape or codes.ndim != 1:
        raise DataError("site_codes and times must be 1-D arrays of the same length")
    columns = {resolve_parameter(k): np.asarray(v, dtype=np.float64) for k, v in values_by_pollutant.items()}
    for pid, col in columns.items():
        if col.shape != codes.shape:
            raise DataError(f"values of {pid} have {col.shape[0]} rows, expected {codes.shape[0]}")
    if codes.size == 0:
        raise DataError("no rows")
    sites, row = np.unique(codes, return_inverse=True)
    start, stop = _align(hours.min(), align, end=False), _align(hours.max(), align, end=True)
    n_hours = stop - start
    flat = row.astype(np.int64) * n_hours + (hours - start)
    counts = np.bincount(flat, minlength=sites.size * n_hours)
    if counts.max() > 1:
        dup = int(np.flatnonzero(counts > 1)[0])
        when = np.datetime64(start + dup % n_hours, "h")
        raise DataError(
            f"{int((counts > 1).sum())} (site, hour) pairs occur more than once, "
            f"e.g. site {sites[dup // n_hours]!r} at {when}"
        )
    present = (counts > 0).reshape(sites.size, n_hours)
    values: dict[str, Float] = {}
    for pid, col in columns.items():
        matrix = np.full(sites.size * n_hours, np.nan)
        matrix[flat] = np.where(np.isfinite(col), col, np.nan)
        values[pid] = matrix.reshape(sites.size, n_hours)
    return HourlyGrid(sites=sites, start=np.datetime64(start, "h"), values=values, present=present)


# --------------------------------------------------------------------------- daily and running values
@attrs.frozen
class Daily:
    """Per (site, day): the statistic, how many inputs it rests on, and whether that is enough."""

    value: Float  # NaN only where no input at all
    count: Int
    valid: Bool

    def valid_values(self) -> Float:
        return np.where(self.valid, self.value, np.nan)


@attrs.frozen
class Running:
    """Per (site, hour): the running mean ending at that hour, its count of valid hours, validity."""

    value: Float
    count: Int
    valid: Bool

    def valid_values(self) -> Float:
        return np.where(self.valid, self.value, np.nan)


def _by_day(matrix: npt.ArrayLike) -> Float:
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2 or m.shape[1] % 24:
        raise ValueError("expected a (site, hour) matrix spanning whole days (hours a multiple of 24)")
    return m.reshape(m.shape[0], m.shape[1] // 24, 24)


def _days_any(matrix: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Per (row, day): any hour of the day is set (:func:`_by_day`'s check, without a float copy)."""
    if matrix.ndim != 2 or matrix.shape[1] % 24:
        raise ValueError("expected a (site, hour) matrix spanning whole days (hours a multiple of 24)")
    return np.asarray(matrix.reshape(matrix.shape[0], matrix.shape[1] // 24, 24).any(axis=-1), dtype=bool)


def daily_means(hourly: npt.ArrayLike, *, min_hours: int = MIN_HOURS_PER_DAY) -> Daily:
    """24-h means of natural days; valid with ≥ ``min_hours`` finite hours (GB 3095 Table 4)."""
    r = _by_day(hourly)
    finite = np.isfinite(r)
    count = finite.sum(axis=-1, dtype=np.int64)
    total = np.where(finite, r, 0.0).sum(axis=-1)
    value = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return Daily(value=value, count=count, valid=count >= min_hours)


def daily_max_1h(hourly: npt.ArrayLike, *, min_hours: int = MIN_HOURS_PER_DAY) -> Daily:
    """Largest hourly value of each day; valid with ≥ ``min_hours`` finite hours (our convention)."""
    r = _by_day(hourly)
    finite = np.isfinite(r)
    count = finite.sum(axis=-1, dtype=np.int64)
    top = np.where(finite, r, -np.inf).max(axis=-1)
    return Daily(value=np.where(count > 0, top, np.nan), count=count, valid=count >= min_hours)


def running_mean(hourly: npt.ArrayLike, window: int = 8, *, min_valid: int = MIN_HOURS_PER_8H) -> Running:
    """Running mean over hours t−window+1 … t for every hour t (axis 1), valid with ≥ ``min_valid``.

    Summed as ``window`` shifted slices rather than a cumulative sum: a year of cumulative sums
    carries ~1e-9 absolute error, enough to move a value exactly on a breakpoint or a rounding half.
    """
    m = np.asarray(hourly, dtype=np.float64)
    if m.ndim == 1:
        m = m[np.newaxis, :]
    finite = np.isfinite(m)
    z = np.where(finite, m, 0.0)
    total = np.zeros_like(z)
    count = np.zeros(m.shape, dtype=np.int64)
    n = m.shape[1]
    for lag in range(min(window, n)):
        total[:, lag:] += z[:, : n - lag]
        count[:, lag:] += finite[:, : n - lag]
    value = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return Running(value=value, count=count, valid=count >= min_valid)


def mda8(hourly: npt.ArrayLike, *, min_windows: int = MIN_8H_PER_MDA8) -> Daily:
    """Daily maximum 8-hour mean over the windows ending 08:00–24:00; valid with ≥ ``min_windows``.

    The 8-h means are :func:`running_mean`'s (the same sums in the same order), computed in place: a
    year of a network's O3 is one (station × hour) matrix, and each full-size temporary counts.
    """
    m = np.asarray(hourly, dtype=np.float64)
    if m.ndim == 1:
        m = m[np.newaxis, :]
    finite = np.isfinite(m)
    z = np.where(finite, m, 0.0)
    total = np.zeros_like(z)
    count = np.zeros(m.shape, dtype=np.int8)  # hours in the window: at most 8
    n = m.shape[1]
    for lag in range(min(8, n)):
        total[:, lag:] += z[:, : n - lag]
        count[:, lag:] += finite[:, : n - lag]
    del z, finite
    valid = count >= MIN_HOURS_PER_8H
    np.maximum(count, 1, out=count)
    np.divide(total, count, out=total)  # running_mean's value wherever valid
    np.copyto(total, -np.inf, where=~valid)
    top = _by_day(total)[:, :, _MDA8_FIRST_END_HOUR:].max(axis=-1)
    del total
    windows = valid.reshape(valid.shape[0], -1, 24)[:, :, _MDA8_FIRST_END_HOUR:].sum(axis=-1, dtype=np.int64)
    return Daily(value=np.where(windows > 0, top, np.nan), count=windows, valid=windows >= min_windows)


# --------------------------------------------------------------------------- percentile
def _rank(n: npt.ArrayLike, p: float) -> tuple[Int, npt.NDArray[np.float64] | float]:
    """HJ 663 position of the p-th percentile among ``n`` ascending values: (s − 1, k − s).

    k = 1 + (n−1)·p/100 and s = ⌊k⌋, returned as the 0-based index of X(s) and the fraction k − s.
    For integral ``p`` the index is computed in integers, so k is exact (n = 365, p = 90 → k = 328.6).
    """
    if not 0 <= p <= 100:
        raise ValueError(f"percentile p must lie in [0, 100], not {p}")
    count = np.asarray(n, dtype=np.int64)
    if float(p).is_integer():
        num = (count - 1) * int(p)
        return num // 100, (num % 100) / 100.0
    k0 = (count - 1) * (p / 100.0)
    s0 = np.floor(k0).astype(np.int64)
    return s0, k0 - s0


def percentile(values: npt.ArrayLike, p: float, *, axis: int = -1) -> Float:
    """HJ 663 percentile of the finite values along ``axis`` (NaN ignored; none finite → NaN).

    m = X(s) + (X(s+1) − X(s))·(k − s) on the ascending values X(1) … X(n), with k = 1 + (n−1)·p/100
    and s = ⌊k⌋ (:func:`_rank`; exact for integral ``p``).
    """
    a = np.moveaxis(np.asarray(values, dtype=np.float64), axis, -1)
    a = np.where(np.isfinite(a), a, np.nan)
    ordered = np.sort(a, axis=-1)  # NaN sorts last
    n = np.isfinite(a).sum(axis=-1, dtype=np.int64)
    s0, frac = _rank(n, p)
    last = np.maximum(n - 1, 0)
    lo_idx = np.clip(s0, 0, None)[..., np.newaxis]
    hi_idx = np.minimum(s0 + 1, last)[..., np.newaxis]
    lo = np.take_along_axis(ordered, np.clip(lo_idx, 0, max(a.shape[-1] - 1, 0)), axis=-1)[..., 0]
    hi = np.take_along_axis(ordered, np.clip(hi_idx, 0, max(a.shape[-1] - 1, 0)), axis=-1)[..., 0]
    out = lo + (hi - lo) * frac
    return np.asarray(np.where(n > 0, out, np.nan), dtype=np.float64)


def group_percentile(ordered: npt.ArrayLike, starts: npt.ArrayLike, counts: npt.ArrayLike, p: float) -> Float:
    """HJ 663 percentile of each group of a flat array sorted ascending within its groups.

    Group ``g`` is ``ordered[starts[g] : starts[g] + counts[g]]`` (no NaN); an empty group gives NaN.
    The same formula as :func:`percentile`, for values already grouped and sorted (one ``np.lexsort``
    over all groups instead of a padded matrix).
    """
    values = np.asarray(ordered, dtype=np.float64)
    first = np.asarray(starts, dtype=np.int64)
    n = np.asarray(counts, dtype=np.int64)
    s0, frac = _rank(n, p)
    last = first + np.maximum(n - 1, 0)
    lower = np.minimum(first + s0, last)
    upper = np.minimum(lower + 1, last)
    if values.size == 0:
        return np.full(n.shape, np.nan)
    x_s, x_next = values[np.clip(lower, 0, values.size - 1)], values[np.clip(upper, 0, values.size - 1)]
    out = x_s + (x_next - x_s) * frac
    return np.asarray(np.where(n > 0, out, np.nan), dtype=np.float64)


# --------------------------------------------------------------------------- periods
def _period_bounds(days: npt.NDArray[np.datetime64], period: str) -> tuple[Int, npt.NDArray[np.datetime64]]:
    unit = {"year": "Y", "month": "M"}[period]
    labels = days.astype(f"datetime64[{unit}]")
    starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]]).astype(np.int64)
    return starts, labels[starts]


def period_validity(
    valid_days: npt.ArrayLike, days: npt.ArrayLike, period: Literal["year", "month"] = "year"
) -> tuple[Int, Bool]:
    """Valid-day counts and validity of each (row, period) from a (row, day) validity matrix.

    ``days`` are the consecutive calendar days of the columns (whole months or years). A year needs
    ≥ 324 valid days and ≥ 27 in every month (25 in February); a month ≥ 27 (25 in February).
    """
    valid = np.atleast_2d(np.asarray(valid_days, dtype=bool))
    day_arr = np.asarray(days).astype("datetime64[D]")
    m_starts, m_labels = _period_bounds(day_arr, "month")
    per_month = np.add.reduceat(valid.astype(np.int64), m_starts, axis=1)
    month_no = (m_labels.astype(np.int64) % 12) + 1
    need = np.where(month_no == 2, MIN_DAYS_FEBRUARY, MIN_DAYS_PER_MONTH)
    month_ok = per_month >= need
    if period == "month":
        return per_month, month_ok
    y_starts, _ = _period_bounds(day_arr, "year")
    per_year = np.add.reduceat(valid.astype(np.int64), y_starts, axis=1)
    # Months of each year: the month index at which each year starts.
    month_years = m_labels.astype("datetime64[Y]")
    ym_starts = np.flatnonzero(np.r_[True, month_years[1:] != month_years[:-1]])
    months_ok = np.logical_and.reduceat(month_ok, ym_starts, axis=1)
    whole = np.add.reduceat(np.ones(day_arr.size, dtype=np.int64), y_starts)  # days in the year
    # A partial calendar year (data grid not aligned to years) cannot be valid.
    complete = whole >= 365
    return per_year, (per_year >= MIN_DAYS_PER_YEAR) & months_ok & complete[np.newaxis, :]


def rules_label(period_start: np.datetime64) -> str:
    """Rules a period is evaluated under, chosen by its first day (2026 editions from 2026-03-01)."""
    gb = "GB 3095-2012" if period_start.astype("datetime64[D]") < SWITCH_2026 else "GB 3095-2026"
    return f"{gb} / HJ 663-2013"


# --------------------------------------------------------------------------- statistics
# (statistic name in reports, parameter, daily statistic, percentile or None for the mean)
_STATISTICS: tuple[tuple[str, str, str, float | None], ...] = (
    ("SO2", "SO2", "mean", None),
    ("NO2", "NO2", "mean", None),
    ("PM10", "PM10", "mean", None),
    ("PM2.5", "PM2.5", "mean", None),
    # CO: 95th percentile of daily means; O3: 90th of MDA8 (环办监测〔2018〕19号, ranking CSV)
    ("CO_p95", "CO", "mean", float(ranking.PERCENTILES["CO"])),
    ("O3_8h_p90", "O3", "mda8", float(ranking.PERCENTILES["O3"])),
)


def _nan_to_none(x: float) -> float | None:
    return None if not np.isfinite(x) else float(x)


def annual_statistics(
    site_codes: npt.ArrayLike,
    times: npt.ArrayLike,
    values_by_pollutant: Mapping[str, npt.ArrayLike],
    period: Literal["year", "month"] = "year",
    *,
    site_names: Sequence[str] | Mapping[Any, str] | None = None,
) -> list[dict[str, Any]]:
    """HJ 663 period statistics and composite index per site and calendar period.

    Returns one record per (site, period) holding at least one input row, in site then period order:
    ``site``, ``period`` (``"2023"`` or ``"2023-05"``), ``rules``, ``valid_days`` (the smallest count of
    valid daily values among the pollutants present), ``SO2``, ``NO2``, ``PM10``, ``PM2.5`` (period
    means), ``CO_p95``, ``O3_8h_p90``, ``composite_index``, ``primary_pollutant`` — reported values
    rounded by GB/T 8170 — plus ``valid`` (every statistic present meets the period rule),
    ``valid_by_statistic``, ``valid_days_by_pollutant``, ``unrounded`` (the same statistics and the
    index before rounding), ``primary_pollutants`` (ties) and ``notes``. A statistic without any input
    is None; a statistic on too few days is reported and flagged invalid, never dropped.

    The composite index uses the *reported* (rounded) concentrations — what a reader of the report can
    recompute; examples.md §A reproduces published indices this way. ``unrounded["composite_index"]``
    uses the unrounded statistics.
    """
    if period not in ("year", "month"):
        raise ValueError(f"period must be 'year' or 'month', not {period!r}")
    grid = hourly_grid(site_codes, times, values_by_pollutant, align=period)
    return grid_statistics(grid, period, site_names=site_names)


def grid_statistics(
    grid: HourlyGrid,
    period: Literal["year", "month"] = "year",
    *,
    site_names: Sequence[str] | Mapping[Any, str] | None = None,
) -> list[dict[str, Any]]:
    """:func:`annual_statistics` of a grid built already (:func:`hourly_grid` with ``align=period``, or
    one a streaming reader filled in place): the grid must span whole periods."""
    if period not in ("year", "month"):
        raise ValueError(f"period must be 'year' or 'month', not {period!r}")
    days = grid.days()
    starts, labels = _period_bounds(days, period)
    n_sites, n_periods = grid.sites.size, starts.size
    present = np.add.reduceat(_days_any(grid.present), starts, axis=1) > 0

    stats: dict[str, Float] = {}
    counts: dict[str, Int] = {}
    valid: dict[str, Bool] = {}
    has_data: dict[str, Bool] = {}
    for name, pid, daily_kind, pct in _STATISTICS:
        if pid not in grid.values:
            continue
        daily = daily_means(grid.values[pid]) if daily_kind == "mean" else mda8(grid.values[pid])
        count, ok = period_validity(daily.valid, days, period)
        values = daily.valid_values()
        if pct is None:
            total = np.add.reduceat(np.where(daily.valid, daily.value, 0.0), starts, axis=1)
            stat = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        else:
            stat = np.empty((n_sites, n_periods))
            bounds = [*starts.tolist(), days.size]
            for j in range(n_periods):  # one vectorised percentile per period, all sites at once
                stat[:, j] = percentile(values[:, bounds[j] : bounds[j + 1]], pct)
        stats[name], counts[name], valid[name] = stat, count, ok
        has_data[name] = np.add.reduceat(np.isfinite(grid.values[pid]), _hour_starts(starts), axis=1) > 0

    records: list[dict[str, Any]] = []
    for i in range(n_sites):
        site = site_label(grid.sites[i], site_names)
        for j in range(n_periods):
            if not present[i, j]:
                continue
            records.append(
                _record(
                    site,
                    labels[j],
                    period=period,
                    cell=(i, j),
                    stats=stats,
                    counts=counts,
                    valid=valid,
                    has_data=has_data,
                )
            )
    return records


def _hour_starts(day_starts: Int) -> Int:
    return np.asarray(day_starts * 24, dtype=np.int64)


def site_label(code: Any, names: Sequence[str] | Mapping[Any, str] | None) -> Any:
    """The name reported for a site code: ``names[code]`` (a mapping, or a sequence indexed by an
    integer code), else the code itself as a plain Python value."""
    if names is None:
        return code.item() if isinstance(code, np.generic) else code
    if isinstance(names, Mapping):
        return names[code.item() if isinstance(code, np.generic) else code]
    return names[int(code)]


def _record(
    site: Any,
    label: np.datetime64,
    *,
    period: str,
    cell: tuple[int, int],
    stats: Mapping[str, Float],
    counts: Mapping[str, Int],
    valid: Mapping[str, Bool],
    has_data: Mapping[str, Bool],
) -> dict[str, Any]:
    i, j = cell
    start = label.astype("datetime64[D]")
    reported: dict[str, float | None] = {}
    unrounded: dict[str, float | None] = {}
    valid_by: dict[str, bool] = {}
    days_by: dict[str, int] = {}
    for name, pid, _kind, _pct in _STATISTICS:
        if name not in stats or not has_data[name][i, j]:
            reported[name] = unrounded[name] = None
            continue
        raw = float(stats[name][i, j])
        unrounded[name] = _nan_to_none(raw)
        reported[name] = _nan_to_none(float(round_gbt8170(raw, REPORT_DECIMALS[pid])))
        valid_by[name] = bool(valid[name][i, j])
        days_by[pid] = int(counts[name][i, j])
    notes: list[str] = []
    composite: float | None = None
    composite_raw: float | None = None
    primary: tuple[str, ...] = ()
    if all(reported[name] is not None for name, *_ in _STATISTICS):
        table = ranking.si_table(start)
        ci = ranking.composite_index({name: reported[name] for name, *_ in _STATISTICS}, on=start)
        ci_raw = ranking.composite_index({name: unrounded[name] for name, *_ in _STATISTICS}, on=start)
        composite = float(ci.reported)
        composite_raw = float(ci_raw.value)
        primary = ci.primary()
        if not table.verified:
            notes.append(table.note)
    else:
        missing = [name for name, *_ in _STATISTICS if reported[name] is None]
        notes.append(f"composite index needs all six statistics; missing: {', '.join(missing)}")
    if period == "year" and start < SWITCH_2026 < start + np.timedelta64(365, "D"):
        notes.append("the year straddles 2026-03-01 (GB 3095-2026, HJ 633-2026); rules follow its first day")
    unrounded["composite_index"] = composite_raw
    return {
        "site": site,
        "period": str(label),
        "rules": rules_label(start),
        "valid_days": min(days_by.values()) if days_by else 0,
        **reported,
        "composite_index": composite,
        "primary_pollutant": ",".join(primary) if primary else None,
        "primary_pollutants": list(primary),
        "valid": bool(valid_by) and all(valid_by.values()),
        "valid_by_statistic": valid_by,
        "valid_days_by_pollutant": days_by,
        "unrounded": unrounded,
        "notes": notes,
    }


# --------------------------------------------------------------------------- county series
def county_series(
    site_codes: npt.ArrayLike,
    times: npt.ArrayLike,
    values_by_pollutant: Mapping[str, npt.ArrayLike],
    *,
    stations: Collection[Any] | None = None,
    county: Any = 0,
) -> tuple[npt.NDArray[Any], npt.NDArray[np.datetime64], dict[str, Float]]:
    """The county (city) hourly series: per hour, the mean of its stations' finite values.

    ``stations`` selects the member stations (default: all). Returns columnar ``(site_codes, times,
    values_by_pollutant)`` — one row per hour at which any member station has a row, site code
    ``county`` — ready for :func:`annual_statistics`. A pollutant with no finite station value in an
    hour is NaN there (a missing county hour), never a mean of zero stations.
    """
    codes = np.asarray(site_codes)
    if stations is not None:
        keep = np.isin(codes, np.asarray(list(stations)))
        codes = codes[keep]
        times = np.asarray(times)[keep]
        values_by_pollutant = {k: np.asarray(v)[keep] for k, v in values_by_pollutant.items()}
    grid = hourly_grid(codes, times, values_by_pollutant, align="day")
    hours = np.flatnonzero(grid.present.any(axis=0))
    out: dict[str, Float] = {}
    for pid, matrix in grid.values.items():
        m = matrix[:, hours]
        finite = np.isfinite(m)
        n = finite.sum(axis=0)
        total = np.where(finite, m, 0.0).sum(axis=0)
        out[pid] = np.where(n > 0, total / np.maximum(n, 1), np.nan)
    county_codes = np.full(hours.size, county, dtype=np.asarray(county).dtype)
    county_times = cast("npt.NDArray[np.datetime64]", grid.start + hours.astype(np.int64))
    return county_codes, county_times, out

"""The county's air series and its HJ 663 annual statistics, as the air plan's evaluators need them.

**Where the county series comes from** (docs/plans/air.md § Data):

1. *Given directly*: observation rows whose site is the county (``新绛县``, ``county``, ``全县`` …, the
   engine's county names). Used when they hold every pollutant the statistic needs in the period.
2. *Computed from the stations*: otherwise, the rows of the plan's sites of kind ``station`` (their names
   and aliases in plan.yaml; add the county's real station names there as aliases). Per hour the county
   value is the mean of the finite station values (HJ 663 city rule, :func:`hj663.county_series`).

Rows of other sites never enter the county series: the engine reports them as unused.

Both hourly and daily rows are accepted (:func:`envplan_core.analysis.air.air_columns`: a daily
value is spread over its 24 hours, so the HJ 663 daily mean returns it unchanged), which lets a 2022
baseline be supplied as daily values. The same pipeline feeds ``envplan air-stats``, so the command and
the evaluation agree on every number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.plugin import (
    AIR_POLLUTANTS,
    AirColumns,
    EvalContext,
    ObservationSet,
    air_columns,
)
from envplan_core.standards import hj663

__all__ = ["STATION_KIND", "Annual", "CountySeries", "annual", "county_series", "station_sites"]

#: Plan sites of this kind are the county's air-quality monitoring stations.
STATION_KIND = "station"
_COUNTY_CODE = -1


@attrs.frozen
class CountySeries:
    """The county's hourly series (one row per hour, a column per pollutant) and where it comes from."""

    site: npt.NDArray[np.int64]
    time: npt.NDArray[np.datetime64]
    values: dict[str, npt.NDArray[np.float64]]
    source: str  # "county" (given directly) or "stations" (computed)
    stations: tuple[str, ...]
    evidence: tuple[str, ...]
    notes: tuple[str, ...]
    rows: int

    def __len__(self) -> int:
        return int(self.site.shape[0])

    def describe_zh(self) -> str:
        if self.source == "county":
            return "县级序列（直接提供）"
        return f"{len(self.stations)}个站点逐时均值（{'、'.join(self.stations)}，HJ 663）"

    def describe_en(self) -> str:
        if self.source == "county":
            return "county series as given"
        return f"hourly mean of {len(self.stations)} stations ({', '.join(self.stations)}; HJ 663)"

    def has(self, pollutant: str) -> bool:
        column = self.values.get(pollutant)
        return column is not None and bool(np.isfinite(column).any())

    def details(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "stations": list(self.stations),
            "rows": self.rows,
            "notes": list(self.notes),
        }


def station_sites(ctx: EvalContext) -> list[str]:
    """Ids of the plan's station sites."""
    return [s.id for s in ctx.plan.sites if s.kind == STATION_KIND]


def _codes(ctx: EvalContext, site_ids: Sequence[str]) -> npt.NDArray[np.int32]:
    parts = [ctx.site_codes.get(s, np.zeros(0, dtype=np.int32)) for s in site_ids]
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int32)


def _select(
    ctx: EvalContext, codes: npt.NDArray[np.int32], pollutants: Sequence[str], start: dt.date, end: dt.date
) -> ObservationSet | None:
    if ctx.observations is None or codes.size == 0:
        return None
    return ctx.observations.select(
        sites=codes, parameters=list(pollutants), start=start, end=end + dt.timedelta(days=1)
    )


def county_series(
    ctx: EvalContext,
    pollutants: Sequence[str],
    start: dt.date,
    end: dt.date,
    *,
    require: Sequence[str] | None = None,
) -> CountySeries | None:
    """The county's hourly series of ``pollutants`` between two days (inclusive), or None without data.

    The county rows given directly are used when they hold every pollutant of ``require`` (default: all
    of ``pollutants``; ``()``: any of them); otherwise the plan's stations are averaged per hour.
    """
    need = tuple(pollutants if require is None else require)
    direct = _select(ctx, ctx.site_codes.get("county", np.zeros(0, dtype=np.int32)), pollutants, start, end)
    if direct is not None and len(direct):
        cols = air_columns(direct, pollutants=pollutants)
        present = {p for p, v in cols.values.items() if np.isfinite(v).any()}
        if len(cols) and set(need) <= present and present:
            return _combine(cols, direct, source="county", names=())
    ids = station_sites(ctx)
    stations = _select(ctx, _codes(ctx, ids), pollutants, start, end)
    if stations is None or len(stations) == 0:
        return None
    cols = air_columns(stations, pollutants=pollutants)
    if not len(cols):
        return None
    used = sorted({cols.site_names[c] for c in np.unique(cols.site).tolist()})
    return _combine(cols, stations, source="stations", names=tuple(used))


def _combine(cols: AirColumns, obs: ObservationSet, *, source: str, names: tuple[str, ...]) -> CountySeries:
    """One value per hour: the mean of the sites' finite values (a single site passes through)."""
    if np.unique(cols.site).size == 1:
        site = np.full(len(cols), _COUNTY_CODE, dtype=np.int64)
        time, values = cols.time, {p: np.asarray(v) for p, v in cols.values.items()}
    else:
        site, time, values = hj663.county_series(cols.site, cols.time, cols.values, county=_COUNTY_CODE)
    return CountySeries(
        site=np.asarray(site, dtype=np.int64),
        time=np.asarray(time).astype("datetime64[h]"),
        values=values,
        source=source,
        stations=names,
        evidence=obs.evidence(limit=5),
        notes=tuple(cols.notes()),
        rows=cols.rows_used,
    )


@attrs.frozen
class Annual:
    """HJ 663 statistic of one pollutant over one calendar year, with its validity."""

    pollutant: str
    year: int
    value: float | None  # reported (GB/T 8170: integer µg/m³, CO 0.1 mg/m³)
    raw: float | None  # unrounded
    valid: bool  # ≥ 324 valid days and ≥ 27 in every month (25 in February)
    valid_days: int
    months: dict[str, int]  # valid days per month
    short_months: tuple[str, ...]  # months below 27 (25) valid days
    record: dict[str, Any]

    @property
    def decimals(self) -> int:
        return hj663.REPORT_DECIMALS[self.pollutant]

    def reason_zh(self) -> str:
        bits = [f"有效日数{self.valid_days}天（年评价需≥{hj663.MIN_DAYS_PER_YEAR}天）"]
        if self.short_months:
            bits.append(f"有效日数不足的月份：{'、'.join(self.short_months)}")
        return "；".join(bits)

    def reason_en(self) -> str:
        bits = [f"{self.valid_days} valid days (a year needs ≥ {hj663.MIN_DAYS_PER_YEAR})"]
        if self.short_months:
            bits.append(f"months below 27 (February 25) valid days: {', '.join(self.short_months)}")
        return "; ".join(bits)


_STAT_NAME = {"SO2": "SO2", "NO2": "NO2", "PM10": "PM10", "PM2.5": "PM2.5", "CO": "CO_p95", "O3": "O3_8h_p90"}


def _in_year(series: CountySeries, year: int) -> npt.NDArray[np.bool_]:
    """Mask of the series' hours that fall in calendar ``year``."""
    first = np.datetime64(f"{year}-01-01T00", "h")
    last = np.datetime64(f"{year + 1}-01-01T00", "h")
    return (series.time >= first) & (series.time < last)


def annual(series: CountySeries, pollutant: str, year: int) -> Annual | None:
    """The HJ 663 annual statistic of ``pollutant`` in ``year`` (None: no hour of it in that year)."""
    keep = _in_year(series, year)
    column = series.values.get(pollutant)
    if column is None or not np.isfinite(column[keep]).any():
        return None
    site, time, values = series.site[keep], series.time[keep], {pollutant: column[keep]}
    records = hj663.annual_statistics(site, time, values, "year")
    record = next(r for r in records if r["period"] == str(year))
    name = _STAT_NAME[pollutant]
    grid = hj663.hourly_grid(site, time, values, align="year")
    daily = (
        hj663.mda8(grid.values[pollutant]) if pollutant == "O3" else hj663.daily_means(grid.values[pollutant])
    )
    days = grid.days()
    in_year = days.astype("datetime64[Y]").astype(int) + 1970 == year
    per_month, month_ok = hj663.period_validity(daily.valid[:, in_year], days[in_year], "month")
    labels = np.unique(days[in_year].astype("datetime64[M]")).astype(str)
    months = {str(m): int(n) for m, n in zip(labels.tolist(), per_month[0].tolist(), strict=True)}
    short = tuple(str(m) for m, ok in zip(labels.tolist(), month_ok[0].tolist(), strict=True) if not ok)
    return Annual(
        pollutant=pollutant,
        year=year,
        value=record[name],
        raw=record["unrounded"][name],
        valid=bool(record["valid_by_statistic"].get(name, False)),
        valid_days=int(record["valid_days_by_pollutant"].get(pollutant, 0)),
        months=months,
        short_months=short,
        record=record,
    )


def annual_all(series: CountySeries, year: int) -> dict[str, Any] | None:
    """The HJ 663 record of all six statistics and the composite index of ``year`` (None: no data)."""
    keep = _in_year(series, year)
    if not keep.any():
        return None
    values = {p: v[keep] for p, v in series.values.items() if p in AIR_POLLUTANTS}
    records = hj663.annual_statistics(series.site[keep], series.time[keep], values, "year")
    return next((r for r in records if r["period"] == str(year)), None)

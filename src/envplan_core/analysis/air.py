"""Air observations in the columnar shape HJ 663 works on, shared by ``envplan aqi``/``air-stats``
and the air plan's evaluators, so a command and an evaluation of the same file give the same numbers.

What :func:`air_columns` does with rows (nothing is dropped silently; every kind is counted and the
commands print the counts on stderr):

* rows of the six pollutants (SO2, NO2, PM10, PM2.5, CO, O3) are used; rows of any other parameter
  (NOx, dust fall, stack values …) are counted by parameter and not used;
* hourly rows (hour-start stamps, docs/inputs.md (conventions)) are used as they are;
* daily rows (``2023-05-10``) are daily values: the 24-h mean, for O3 the daily maximum 8-h mean. They are
  spread over the 24 hours of their day, so that HJ 663's daily mean (24 ≥ 20 valid hours) and MDA8 (a
  constant day) give the value back unchanged and one pipeline serves hourly and daily files alike. A
  daily row of a (site, pollutant, day) that also has hourly rows is left out (the hours win) and counted;
* monthly and yearly rows (``2023-05``, ``2023``) carry no daily values: counted, not used;
* non-detects enter at half their detection limit (docs/inputs.md (conventions)) and are counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.data.observation_set import TIME_DAY, TIME_INSTANT, ObservationSet
from envplan_core.errors import DataError
from envplan_core.sites import is_county_name
from envplan_core.standards import hj633, hj663

__all__ = [
    "AIR_POLLUTANTS",
    "COUNTY_LABEL",
    "AirColumns",
    "air_columns",
    "air_stats_records",
    "aqi_records",
    "is_county_name",
]

#: The six pollutants of HJ 633 / HJ 663 (GB 3095 parameter ids), in report order.
AIR_POLLUTANTS: tuple[str, ...] = ("SO2", "NO2", "PM10", "PM2.5", "CO", "O3")
#: ``site`` of the county series ``air-stats --county`` computes from the stations of a file.
COUNTY_LABEL = "county"

_HOURS_PER_DAY = 24


# --------------------------------------------------------------------------- long rows -> columns
@attrs.frozen
class AirColumns:
    """Observations of the six pollutants as columns, one row per (site, hour).

    ``site`` holds codes into ``site_names`` (the observation set's site table); ``time`` hour-start
    ``datetime64[h]``; ``values`` one float64 column per pollutant present (NaN where that pollutant has
    no value in the hour). ``from_daily`` marks (per pollutant) the hours spread from a daily value.
    ``other`` counts rows of other parameters, ``coarse`` monthly/yearly rows of the pollutants,
    ``shadowed`` daily rows left out for hourly rows of the same day, ``non_detects`` rows below the
    detection limit (used at half of it). ``rows_used`` is the number of input rows behind the columns.
    """

    site: npt.NDArray[np.int64]
    time: npt.NDArray[np.datetime64]
    values: Mapping[str, npt.NDArray[np.float64]]
    from_daily: Mapping[str, npt.NDArray[np.bool_]]
    site_names: tuple[str, ...]
    other: Mapping[str, int] = attrs.field(factory=dict)
    coarse: Mapping[str, int] = attrs.field(factory=dict)
    shadowed: int = 0
    non_detects: int = 0
    rows_used: int = 0
    daily_rows: int = 0

    def __len__(self) -> int:
        return int(self.site.shape[0])

    def take(self, mask: npt.NDArray[np.bool_]) -> AirColumns:
        """The rows where ``mask`` is set (the counters are kept as they are)."""
        return attrs.evolve(
            self,
            site=self.site[mask],
            time=self.time[mask],
            values={p: v[mask] for p, v in self.values.items()},
            from_daily={p: v[mask] for p, v in self.from_daily.items()},
        )

    def any_daily(self) -> npt.NDArray[np.bool_]:
        """Rows (hours) where at least one pollutant comes from a daily value."""
        out = np.zeros(len(self), dtype=bool)
        for flags in self.from_daily.values():
            out |= flags
        return out

    def notes(self) -> list[str]:
        """One line per kind of row that was not used as given (for stderr and report notes)."""
        lines: list[str] = []
        if self.other:
            listed = ", ".join(f"{p} ({n})" for p, n in sorted(self.other.items()))
            lines.append(
                f"{sum(self.other.values())} rows of parameters other than the six AQI/HJ 663 pollutants "
                f"not used: {listed}"
            )
        if self.coarse:
            listed = ", ".join(f"{p} ({n})" for p, n in sorted(self.coarse.items()))
            lines.append(
                f"{sum(self.coarse.values())} monthly or yearly rows not used (no daily values): {listed}"
            )
        if self.daily_rows:
            lines.append(
                f"{self.daily_rows} daily rows read as daily values (24-h means; O3: daily maximum 8-h "
                "mean) and spread over the 24 hours of their day"
            )
        if self.shadowed:
            lines.append(f"{self.shadowed} daily rows not used: the same site and day has hourly rows")
        if self.non_detects:
            lines.append(f"{self.non_detects} values below the detection limit used at half of it")
        return lines


#: The longest span of time one file's hourly grid may cover (settable): the grid holds every hour of the
#: span, so two typo'd dates decades apart would otherwise cost gigabytes.
MAX_SPAN_YEARS = 50


def _check_span(obs: ObservationSet, used: npt.NDArray[np.intp]) -> None:
    """Refuse a file whose air rows span more than :data:`MAX_SPAN_YEARS`, naming the first and last rows."""
    if used.size < 2:
        return
    times = obs.time[used]
    first, last = int(np.argmin(times)), int(np.argmax(times))
    span = (times[last] - times[first]).astype("timedelta64[D]").astype(np.int64)
    if span <= MAX_SPAN_YEARS * 366:
        return
    i, j = used[first], used[last]
    raise DataError(
        f"the air rows span {span // 365} years, from {obs.time[i]} to {obs.time[j]} (row {int(obs.row[j])} of "
        f"{obs.files[obs.file[j]]}): more than {MAX_SPAN_YEARS} years of hourly grid; check these dates",
        file=obs.files[obs.file[i]],
        row=int(obs.row[i]),
        column="time",
    )


def air_columns(obs: ObservationSet, *, pollutants: Sequence[str] = AIR_POLLUTANTS) -> AirColumns:
    """The hourly columns of ``obs`` for ``pollutants`` (see the module docstring for what is used).

    Raises :class:`~envplan_core.errors.DataError` naming file and row when an hourly stamp is not on
    the hour (HJ 663 works on hour-start hourly values).
    """
    params = np.asarray(obs.parameters, dtype=object)
    wanted = list(pollutants)
    pol_of_code = np.full(len(params) + 1, -1, dtype=np.int64)
    for code, pid in enumerate(obs.parameters):
        if pid in wanted:
            pol_of_code[code] = wanted.index(pid)
    pol = pol_of_code[obs.parameter] if len(obs) else np.zeros(0, dtype=np.int64)
    is_pol = pol >= 0

    other: dict[str, int] = {}
    if (~is_pol).any():
        counts = np.bincount(obs.parameter[~is_pol], minlength=len(params))
        other = {str(params[c]): int(n) for c, n in enumerate(counts.tolist()) if n}
    kind = obs.time_kind
    hourly = is_pol & (kind == TIME_INSTANT)
    daily = is_pol & (kind == TIME_DAY)
    coarse_mask = is_pol & ~hourly & ~daily
    coarse: dict[str, int] = {}
    if coarse_mask.any():
        counts = np.bincount(obs.parameter[coarse_mask], minlength=len(params))
        coarse = {str(params[c]): int(n) for c, n in enumerate(counts.tolist()) if n}

    values = obs.stat_values()
    h_idx = np.flatnonzero(hourly)
    hours = obs.time[h_idx].astype("datetime64[h]")
    off = np.flatnonzero(hours.astype("datetime64[s]") != obs.time[h_idx])
    if off.size:
        i = h_idx[off[0]]
        raise DataError(
            f"{off.size} hourly values are not stamped on the hour (HJ 663 needs hour-start hourly values, "
            f"e.g. 14:00 for 14:00-15:00), first {obs.time[i]}",
            file=obs.files[obs.file[i]],
            row=int(obs.row[i]),
            column="time",
        )
    h_site = obs.site[h_idx].astype(np.int64)
    h_pol = pol[h_idx]
    h_hour = hours.astype(np.int64)

    d_idx = np.flatnonzero(daily)
    d_day = obs.time[d_idx].astype("datetime64[D]").astype(np.int64)
    shadowed = 0
    if d_idx.size and h_idx.size:
        n_pol = len(wanted)
        h_key = (h_site * n_pol + h_pol) * 10**7 + h_hour // _HOURS_PER_DAY
        d_key = (obs.site[d_idx].astype(np.int64) * n_pol + pol[d_idx]) * 10**7 + d_day
        clash = np.isin(d_key, h_key)
        shadowed = int(clash.sum())
        d_idx, d_day = d_idx[~clash], d_day[~clash]
    _check_span(obs, np.concatenate([h_idx, d_idx]))
    d_site = np.repeat(obs.site[d_idx].astype(np.int64), _HOURS_PER_DAY)
    d_pol = np.repeat(pol[d_idx], _HOURS_PER_DAY)
    d_hour = (d_day[:, np.newaxis] * _HOURS_PER_DAY + np.arange(_HOURS_PER_DAY)).ravel()

    site = np.concatenate([h_site, d_site])
    pol_all = np.concatenate([h_pol, d_pol])
    hour = np.concatenate([h_hour, d_hour])
    value = np.concatenate([values[h_idx], np.repeat(values[d_idx], _HOURS_PER_DAY)])
    is_daily = np.concatenate(
        [np.zeros(h_idx.size, dtype=bool), np.ones(d_idx.size * _HOURS_PER_DAY, dtype=bool)]
    )

    if hour.size:
        h0 = int(hour.min())
        span = int(hour.max()) - h0 + 1
        key = site * span + (hour - h0)
        keys, row = np.unique(key, return_inverse=True)
        out_site = keys // span
        out_time = (keys % span + h0).astype("datetime64[h]")
    else:
        row = np.zeros(0, dtype=np.int64)
        out_site = np.zeros(0, dtype=np.int64)
        out_time = np.zeros(0, dtype="datetime64[h]")
    columns: dict[str, npt.NDArray[np.float64]] = {}
    flags: dict[str, npt.NDArray[np.bool_]] = {}
    for k, pid in enumerate(wanted):
        mine = pol_all == k
        if not mine.any():
            continue
        col = np.full(out_site.size, np.nan)
        col[row[mine]] = value[mine]
        flag = np.zeros(out_site.size, dtype=bool)
        flag[row[mine]] = is_daily[mine]
        columns[pid], flags[pid] = col, flag
    used = np.zeros(len(obs), dtype=bool)
    used[h_idx] = True
    used[d_idx] = True
    return AirColumns(
        site=out_site,
        time=out_time,
        values=columns,
        from_daily=flags,
        site_names=tuple(obs.sites),
        other=other,
        coarse=coarse,
        shadowed=shadowed,
        non_detects=int((obs.censored & used).sum()),
        rows_used=int(used.sum()),
        daily_rows=int(d_idx.size),
    )


# --------------------------------------------------------------------------- records
def aqi_records(
    cols: AirColumns,
    *,
    kind: Literal["hourly", "daily", "both"] = "both",
    hourly_method: hj633.HourlyMethod = hj633.DEFAULT_HOURLY_METHOD,
) -> list[dict[str, Any]]:
    """docs/cli.md ``aqi`` records: hourly records for hourly rows, daily records for every day with rows.

    Hourly records come from :func:`hj633.frame_aqi` on the hourly rows only (a daily value has no
    hours of its own), by ``hourly_method`` (``published`` or ``strict``, docs/standards/aqi.md). Daily
    records use the hourly and the spread daily rows together; a day whose O3 comes from a daily value
    (read as the MDA8) has no daily maximum 1-h O3: its record says ``o3_from_daily_value`` and carries
    no ``O3_1h`` (below 800 µg/m³ the 1-h IAQI of a value never exceeds its 8-h IAQI; above 800 the record
    is incomplete and keeps the bound the MDA8 proves, :mod:`hj633`).
    """
    records: list[dict[str, Any]] = []
    if not len(cols):
        return records
    if kind in ("hourly", "both"):
        hourly = cols.take(~cols.any_daily())
        if len(hourly):
            present = {p: v for p, v in hourly.values.items() if np.isfinite(v).any()}
            if present:
                records += hj633.frame_aqi(
                    hourly.site,
                    hourly.time,
                    present,
                    kind="hourly",
                    site_names=cols.site_names,
                    hourly_method=hourly_method,
                )
    if kind in ("daily", "both"):
        records += hj633.frame_aqi(
            cols.site,
            cols.time,
            cols.values,
            kind="daily",
            site_names=cols.site_names,
            from_daily=cols.from_daily,
        )
    return records


def air_stats_records(
    cols: AirColumns, *, period: Literal["year", "month"] = "year", county: bool = False
) -> tuple[list[dict[str, Any]], list[str]]:
    """docs/cli.md ``air-stats`` records per site (and with ``county`` for the county series), and notes.

    Each record is :func:`hj663.annual_statistics`' record plus ``kind`` (``station``, ``county`` for a
    site named like the county, or ``county`` with ``site: "county"`` and ``stations`` for the series
    computed here: per hour the mean of the stations' values, HJ 663).
    """
    notes: list[str] = []
    if not len(cols):
        return [], notes
    records = hj663.annual_statistics(cols.site, cols.time, cols.values, period, site_names=cols.site_names)
    for rec in records:
        rec["kind"] = "county" if is_county_name(str(rec["site"])) else "station"
    if county:
        names = cols.site_names
        stations = sorted({int(c) for c in np.unique(cols.site).tolist() if not is_county_name(names[c])})
        if not stations:
            notes.append(
                "--county: the file has no station rows (only county-level rows); nothing to average"
            )
        else:
            c_codes, c_times, c_values = hj663.county_series(
                cols.site, cols.time, cols.values, stations=stations, county=-1
            )
            county_recs = hj663.annual_statistics(
                c_codes, c_times, c_values, period, site_names={-1: COUNTY_LABEL}
            )
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

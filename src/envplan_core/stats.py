"""Vectorised group statistics over observation arrays (docs/performance.md): group-by without Python loops.

:func:`group_reduce` groups rows by several integer key arrays (site code, parameter code, period code …)
and reduces a value array per group. Keys are packed into one int64; when the packed key space is small
(as for site × parameter × period) groups come from one ``np.bincount`` pass, otherwise from a sort
(``np.unique``/``np.lexsort``). Max/min use ``np.maximum.reduceat``/``np.minimum.reduceat`` over values
sorted by group; percentiles sort values within groups (one ``np.lexsort``) and interpolate by index
arithmetic.

Percentile (HJ 663-2013 §5.4, formula (1)–(2)): :func:`envplan_core.standards.hj663.group_percentile`
over the values sorted within groups — the formula lives in the standard (numpy's ``linear`` method).

Values that are NaN are left out (they count nowhere). Non-detects are the caller's business:
:func:`annual_statistics` uses :meth:`ObservationSet.stat_values` (half the detection limit, docs/inputs.md (conventions)).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.standards import hj663

if TYPE_CHECKING:
    import pandas as pd

    from envplan_core.data.observation_set import ObservationSet

__all__ = [
    "GroupStatistics",
    "How",
    "Period",
    "annual_statistics",
    "group_index",
    "group_reduce",
    "percentile_hj663",
    "period_codes",
    "period_labels",
]

How: TypeAlias = Literal["mean", "sum", "max", "min", "count", "percentile"]
Period: TypeAlias = Literal["year", "month", "day"]

IntArray: TypeAlias = npt.NDArray[np.integer[Any]]
_UNIT = {"year": "Y", "month": "M", "day": "D"}
# Which time resolutions (ObservationSet.time_kind) can be placed in a period: an instant or a day fits a
# month; a monthly value does not fit a day.
_FINEST_KIND = {"day": 1, "month": 2, "year": 3}
_DENSE_LIMIT = 1 << 22  # packed key spaces up to this size (or 4 × rows) are grouped with bincount


def period_codes(time: npt.NDArray[np.datetime64], period: Period) -> npt.NDArray[np.int64]:
    """Integer period of each time: years, months or days since 1970 (``numpy.datetime64`` offsets)."""
    if period not in _UNIT:
        raise ValueError(f"period must be 'year', 'month' or 'day', not {period!r}")
    return np.asarray(time).astype(f"datetime64[{_UNIT[period]}]").astype(np.int64)


def period_labels(codes: IntArray, period: Period) -> npt.NDArray[np.str_]:
    """ISO labels of period codes: ``"2023"``, ``"2023-05"``, ``"2023-05-10"``."""
    if period not in _UNIT:
        raise ValueError(f"period must be 'year', 'month' or 'day', not {period!r}")
    return np.datetime_as_string(np.asarray(codes, dtype=np.int64).astype(f"datetime64[{_UNIT[period]}]"))


def group_index(
    keys: Sequence[IntArray],
) -> tuple[npt.NDArray[np.intp], tuple[npt.NDArray[np.int64], ...]]:
    """Group id of each row (0 … G−1, groups in lexicographic key order) and each group's keys."""
    if not keys:
        raise ValueError("at least one key array is needed")
    arrays = [np.asarray(k) for k in keys]
    n = arrays[0].shape[0]
    for k in arrays:
        if k.shape != (n,):
            raise ValueError("key arrays must be 1-d and of equal length")
        if k.dtype.kind not in "iub":
            raise TypeError(f"key arrays must be integers, got {k.dtype}")
    if n == 0:
        return np.zeros(0, dtype=np.intp), tuple(np.zeros(0, dtype=np.int64) for _ in arrays)
    shifted: list[npt.NDArray[np.int64]] = []
    mins: list[int] = []
    spans: list[int] = []
    for k in arrays:
        k64 = k.astype(np.int64, copy=False)
        lo, hi = int(k64.min()), int(k64.max())
        shifted.append(k64 - lo)
        mins.append(lo)
        spans.append(hi - lo + 1)
    if math.prod(spans) >= 2**62:
        # Sparse wide keys: densify each, then pack (or sort lexicographically when even that is too wide).
        dense = [np.unique(k, return_inverse=True) for k in shifted]
        uniques = [u for u, _ in dense]
        shifted = [inv.astype(np.int64).ravel() for _, inv in dense]
        spans = [u.size for u in uniques]
        if math.prod(spans) >= 2**62:  # pragma: no cover - needs billions of distinct keys per column
            return _lexsort_groups(shifted, uniques, mins)
        group, packed = _pack_groups(shifted, spans, n)
        parts = np.unravel_index(packed, spans)
        return group, tuple(u[p] + lo for u, p, lo in zip(uniques, parts, mins, strict=True))
    group, packed = _pack_groups(shifted, spans, n)
    parts = np.unravel_index(packed, spans)
    return group, tuple(p.astype(np.int64) + lo for p, lo in zip(parts, mins, strict=True))


def _pack_groups(
    shifted: list[npt.NDArray[np.int64]], spans: list[int], n: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]:
    packed = shifted[0]
    for k, span in zip(shifted[1:], spans[1:], strict=True):
        packed = packed * span + k
    space = math.prod(spans)
    if space <= max(_DENSE_LIMIT, 4 * n):
        present = np.flatnonzero(np.bincount(packed, minlength=space))
        lookup = np.zeros(space, dtype=np.intp)
        lookup[present] = np.arange(present.size, dtype=np.intp)
        return lookup[packed], present.astype(np.int64)
    uniques, inverse = np.unique(packed, return_inverse=True)
    return inverse.astype(np.intp).ravel(), uniques.astype(np.int64)


def _lexsort_groups(  # pragma: no cover - see caller
    shifted: list[npt.NDArray[np.int64]], uniques: list[npt.NDArray[np.int64]], mins: list[int]
) -> tuple[npt.NDArray[np.intp], tuple[npt.NDArray[np.int64], ...]]:
    order = np.lexsort(shifted[::-1])
    sorted_keys = [k[order] for k in shifted]
    change = np.zeros(order.size, dtype=bool)
    change[0] = True
    for k in sorted_keys:
        change[1:] |= k[1:] != k[:-1]
    group_sorted = np.cumsum(change) - 1
    group = np.empty(order.size, dtype=np.intp)
    group[order] = group_sorted
    firsts = np.flatnonzero(change)
    return group, tuple(u[k[firsts]] + lo for u, k, lo in zip(uniques, sorted_keys, mins, strict=True))


def group_reduce(
    keys: Sequence[IntArray],
    values: npt.ArrayLike,
    how: How,
    p: float | None = None,
) -> tuple[tuple[npt.NDArray[np.int64], ...], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Reduce ``values`` per group of ``keys``.

    :param keys: integer arrays of equal length (e.g. site code, parameter code, period code).
    :param values: float values, same length; NaN values are left out.
    :param how: ``mean``, ``sum``, ``max``, ``min``, ``count`` or ``percentile`` (needs ``p`` in 0–100,
        HJ 663 formula — numpy's ``linear`` method).
    :returns: (unique key arrays in lexicographic order, result per group, number of values per group).
    """
    vals = np.asarray(values, dtype=np.float64)
    arrays = [np.asarray(k) for k in keys]
    if any(k.shape != vals.shape for k in arrays):
        raise ValueError("keys and values must have the same length")
    if how == "percentile" and (p is None or not 0.0 <= float(p) <= 100.0):
        raise ValueError("how='percentile' needs p between 0 and 100")
    if how not in ("mean", "sum", "max", "min", "count", "percentile"):
        raise ValueError(f"unknown reduction {how!r}")
    finite = ~np.isnan(vals)
    if not finite.all():
        vals = vals[finite]
        arrays = [k[finite] for k in arrays]
    group, uniques = group_index(arrays)
    return uniques, *_reduce(group, uniques[0].size, vals, how, p)


def _reduce(
    group: npt.NDArray[np.intp], n_groups: int, vals: npt.NDArray[np.float64], how: How, p: float | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    counts = np.bincount(group, minlength=n_groups).astype(np.int64)
    if how == "count":
        return counts.astype(np.float64), counts
    if how in ("mean", "sum"):
        sums = np.bincount(group, weights=vals, minlength=n_groups).astype(np.float64, copy=False)
        return (sums / np.maximum(counts, 1) if how == "mean" else sums), counts
    if n_groups == 0:
        return np.zeros(0), counts
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    if how in ("max", "min"):
        ordered = vals[np.argsort(group, kind="stable")]
        ufunc = np.maximum if how == "max" else np.minimum
        return ufunc.reduceat(ordered, starts), counts
    # Percentile: values sorted within groups, then HJ 663 interpolation by index arithmetic.
    ordered = vals[np.lexsort((vals, group))]
    return percentile_hj663(ordered, starts, counts, float(p if p is not None else 50.0)), counts


def percentile_hj663(
    ordered: npt.NDArray[np.float64], starts: npt.NDArray[np.int64], counts: npt.NDArray[np.int64], p: float
) -> npt.NDArray[np.float64]:
    """The p-th percentile of each group of ``ordered`` (sorted within groups), HJ 663-2013 formula.

    :func:`envplan_core.standards.hj663.group_percentile`, where the formula lives."""
    return hj663.group_percentile(ordered, starts, counts, p)


@attrs.frozen(eq=False)
class GroupStatistics:
    """One statistic per (site, parameter, period): a small table of parallel arrays."""

    site: npt.NDArray[np.object_]
    parameter: npt.NDArray[np.object_]
    period: npt.NDArray[np.str_]
    value: npt.NDArray[np.float64]
    count: npt.NDArray[np.int64]
    censored: npt.NDArray[np.int64]  # how many of the values were non-detects (at half the limit)
    statistic: str
    period_kind: str

    def __len__(self) -> int:
        return int(self.value.shape[0])

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(
            {
                "site": self.site,
                "parameter": self.parameter,
                "period": self.period,
                "value": self.value,
                "count": self.count,
                "censored": self.censored,
            }
        )
        return frame

    def as_dict(self) -> dict[tuple[str, str, str], float]:
        """``{(site, parameter, period): value}``."""
        return {
            (str(s), str(p), str(t)): float(v)
            for s, p, t, v in zip(
                self.site.tolist(),
                self.parameter.tolist(),
                self.period.tolist(),
                self.value.tolist(),
                strict=True,
            )
        }


def _parse_statistic(statistic: str, p: float | None) -> tuple[How, float | None]:
    name = statistic.strip().lower()
    if name in ("mean", "sum", "max", "min", "count"):
        return name, None  # type: ignore[return-value]  # narrowed by the membership test
    if name == "median":
        return "percentile", 50.0
    if name == "percentile":
        if p is None or not 0.0 <= p <= 100.0:
            raise ValueError("statistic 'percentile' needs p between 0 and 100")
        return "percentile", p
    if name.startswith("p") and name[1:].replace(".", "", 1).isdigit():
        return "percentile", float(name[1:])
    raise ValueError(f"unknown statistic {statistic!r} (mean, max, min, count, sum, median, p95, percentile)")


def annual_statistics(
    obs: ObservationSet,
    *,
    statistic: str = "mean",
    period: Period = "year",
    parameters: Sequence[str] | None = None,
    p: float | None = None,
) -> GroupStatistics:
    """A statistic of each site's parameter per calendar period (year, month or day).

    Non-detects count at half their detection limit (:meth:`ObservationSet.stat_values`, docs/inputs.md (conventions)).
    A value whose own period is coarser than ``period`` (a monthly value when asking per day, a yearly
    value when asking per month) is left out: it cannot be placed in one of the periods.

    :param statistic: ``mean``, ``max``, ``min``, ``count``, ``sum``, ``median``, ``p95``/``p90``/…,
        or ``percentile`` with ``p``.
    :param parameters: canonical parameter ids to keep (default: all).
    """
    how, pct = _parse_statistic(statistic, p)
    if period not in _FINEST_KIND:
        raise ValueError(f"period must be 'year', 'month' or 'day', not {period!r}")
    keep = obs.time_kind <= _FINEST_KIND[period]
    if parameters is not None:
        keep &= obs.mask(parameters=list(parameters))
    values = obs.stat_values()
    keep &= ~np.isnan(values)
    everything = bool(keep.all())

    def kept(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return array if everything else array[keep]

    when = period_codes(kept(obs.time), period)
    group, (g_site, g_param, g_period) = group_index([kept(obs.site), kept(obs.parameter), when])
    n_groups = g_site.size
    result, counts = _reduce(group, n_groups, kept(values), how, pct)
    censored_rows = kept(obs.censored)
    censored = (
        np.bincount(group, weights=censored_rows, minlength=n_groups).astype(np.int64)
        if censored_rows.any()
        else np.zeros(n_groups, dtype=np.int64)
    )
    sites = np.asarray(obs.sites, dtype=object)
    params = np.asarray(obs.parameters, dtype=object)
    return GroupStatistics(
        site=sites[g_site] if sites.size else np.zeros(0, dtype=object),
        parameter=params[g_param] if params.size else np.zeros(0, dtype=object),
        period=period_labels(g_period, period),
        value=result,
        count=counts,
        censored=censored,
        statistic=statistic if how != "percentile" else f"p{pct:g}",
        period_kind=period,
    )

"""环境空气质量综合指数 and ranking (城市环境空气质量排名技术规定, 环办监测〔2018〕19号).

I_sum = Σ C_i/S_i over six statistics (AIR-02): the period means of SO2, NO2, PM10 and PM2.5, the
95th percentile of daily CO means and the 90th percentile of O3 MDA8, with S_i = 60, 40, 70, 35, 4,
160 (data/air_composite_index_ranking_2018.csv, column ``Si_2012_rules``). Larger is worse. The
index is reported to 2 decimals (AIR-05) as the sum of the single indices C_i/S_i each rounded to 2
decimals by GB/T 8170 (``reported``; the unrounded sum is ``value``); the primary pollutant of a period
is the one with the largest C_i/S_i (AIR-03), ties giving several.

Rounding the single indices before summing is what published bulletins do: of 29 published rows from 9
official bulletins (Shaanxi, Ningxia, Inner Mongolia, Shandong, Guangdong, 2017–2025;
tests/core/standards/test_ranking_published.py cites each), 28 are reproduced exactly by Σ round₂(C_i/S_i)
and 16 by rounding the unrounded sum; one county report and a weather site's worked example round the
sum instead (round ``value`` for that convention). The clause of 环办监测〔2018〕19号 on rounding was not
retrieved (reference README, doubt 3); the two conventions differ by at most 0.03 and by 0.01 in 13 of
the 29 rows.

Dated: S_i are chosen by the period's first day. For periods from 2026-03-01 the 2018 S_i are kept
but flagged unverified — whether the rule now uses PM2.5 S_i = 30 and PM10 S_i = 60 (GB 3095-2026
transition annual limits) was not verified (reference README, "Version warning"; AIR-11).

Ranking (AIR-04): ascending by index, equal values share a rank. :func:`rank` counts both ways —
``from_best`` (1 = cleanest) and ``from_worst`` (1 = most polluted) — with competition ranking for
ties (1 + the number strictly better, resp. strictly worse). The plan's "退出后5位" (leave the bottom
five) therefore means ``from_worst > 5``: a county tied for fifth-worst is still in the bottom five.
Indices are compared at their reported precision (2 decimals) so that published ties stay ties.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.standards.gb3095 import SWITCH_2026, DateLike, as_day, read_table
from envplan_core.standards.rounding import round_gbt8170

__all__ = [
    "INDEX_DECIMALS",
    "PERCENTILES",
    "POLLUTANTS",
    "CompositeIndex",
    "Rank",
    "SiTable",
    "composite_index",
    "rank",
    "ranks",
    "si_table",
]

#: The six statistics, in the order of the reference table.
POLLUTANTS: tuple[str, ...] = ("SO2", "NO2", "PM10", "PM2.5", "CO", "O3")
#: Reported decimals of the composite index (AIR-05: 综合指数保留2位小数).
INDEX_DECIMALS = 2
_RULE = "环办监测〔2018〕19号 城市环境空气质量排名技术规定"
_TABLE = "data/air_composite_index_ranking_2018.csv"

# Names by which callers give the statistics (annual_statistics uses the right-hand column names).
_KEYS = {
    "SO2": "SO2",
    "NO2": "NO2",
    "PM10": "PM10",
    "PM2.5": "PM2.5",
    "PM25": "PM2.5",
    "CO": "CO",
    "CO_p95": "CO",
    "O3": "O3",
    "O3_8h": "O3",
    "O3_8h_p90": "O3",
}


@cache
def _table() -> dict[str, dict[str, str]]:
    return {row["parameter_en"]: row for row in read_table("air_composite_index_ranking_2018.csv")}


#: Percentile of the daily statistic per pollutant (CO 95th of daily means, O3 90th of MDA8).
PERCENTILES: Mapping[str, int] = {
    p: int(row["percentile"]) for p, row in _table().items() if row["percentile"].strip()
}


@attrs.frozen
class SiTable:
    """The S_i in force for a period, with where they come from and whether that is verified."""

    si: Mapping[str, float]
    rule: str
    source: str
    verified: bool
    note: str = ""


@cache
def _si_2018() -> dict[str, float]:
    table = _table()
    return {p: float(table[p]["Si_2012_rules"]) for p in POLLUTANTS}


def si_table(on: DateLike | None = None) -> SiTable:
    """S_i for a period starting ``on`` (None: the 2018 rule without a date check)."""
    si = _si_2018()
    if on is None or as_day(on) < SWITCH_2026:
        return SiTable(si=si, rule=_RULE, source=_TABLE, verified=True)
    return SiTable(
        si=si,
        rule=_RULE,
        source=_TABLE,
        verified=False,
        note=(
            "S_i of 环办监测〔2018〕19号 kept after 2026-03-01; whether the ranking rule now uses "
            "PM2.5 S_i = 30 and PM10 S_i = 60 (GB 3095-2026) is unverified (reference README)"
        ),
    )


@attrs.frozen
class CompositeIndex:
    """Composite index per element: the unrounded sum ``value``; ``reported``, the sum of the single
    indices rounded to 2 decimals (as bulletins publish it); the unrounded single indices."""

    value: npt.NDArray[np.float64]
    reported: npt.NDArray[np.float64]
    sub_indices: Mapping[str, npt.NDArray[np.float64]]
    si: SiTable

    def primary(self, index: int | tuple[int, ...] = ()) -> tuple[str, ...]:
        """Pollutant(s) with the largest C_i/S_i at ``index`` (``()`` for scalar input)."""
        subs = {p: float(np.asarray(v)[index]) for p, v in self.sub_indices.items()}
        if not all(np.isfinite(v) for v in subs.values()):
            return ()
        top = max(subs.values())
        return tuple(p for p in POLLUTANTS if subs[p] == top)


def composite_index(concentrations: Mapping[str, Any], *, on: DateLike | None = None) -> CompositeIndex:
    """Σ C_i/S_i over the six statistics (arrays broadcast; NaN propagates).

    Keys: ``SO2``, ``NO2``, ``PM10``, ``PM2.5``, ``CO`` (or ``CO_p95``), ``O3`` (or ``O3_8h_p90``);
    CO in mg/m³, the rest in µg/m³. A missing statistic is a :class:`KeyError`.
    """
    given: dict[str, npt.NDArray[np.float64]] = {}
    for key, value in concentrations.items():
        name = _KEYS.get(key)
        if name is None:
            raise KeyError(f"unknown composite-index statistic {key!r}; expected {sorted(_KEYS)}")
        given[name] = np.asarray(np.nan if value is None else value, dtype=np.float64)
    missing = [p for p in POLLUTANTS if p not in given]
    if missing:
        raise KeyError(f"composite index needs all six statistics; missing {missing}")
    table = si_table(on)
    subs = {p: given[p] / table.si[p] for p in POLLUTANTS}
    total = np.asarray(sum(subs[p] for p in POLLUTANTS), dtype=np.float64)
    # The published figure: each single index rounded, then summed (rounded again only to drop the float
    # noise of adding hundredths: 0.15 + 0.38 is 0.5300000000000001).
    terms = np.asarray(sum(round_gbt8170(subs[p], INDEX_DECIMALS) for p in POLLUTANTS), dtype=np.float64)
    return CompositeIndex(
        value=total, reported=round_gbt8170(terms, INDEX_DECIMALS), sub_indices=subs, si=table
    )


@attrs.frozen
class Rank:
    """Position of one name among ``count`` indices; ties share a position in both directions."""

    name: str
    index: float
    from_best: int  # 1 = smallest index (cleanest)
    from_worst: int  # 1 = largest index (most polluted)
    count: int
    tied_with: tuple[str, ...] = ()

    def outside_bottom(self, n: int) -> bool:
        """True when the name is not among the worst ``n`` ("退出后n位"): ``from_worst > n``."""
        return self.from_worst > n


def ranks(indices: Mapping[str, float], *, decimals: int | None = INDEX_DECIMALS) -> dict[str, Rank]:
    """Every finite index ranked both ways (compared after GB/T 8170 rounding to ``decimals``).

    Names with a missing (None/NaN) index are left out of the ranking and of ``count``.
    """
    names = [n for n, v in indices.items() if v is not None and np.isfinite(v)]
    raw = np.array([float(indices[n]) for n in names], dtype=np.float64)
    vals = raw if decimals is None else round_gbt8170(raw, decimals)
    ordered = np.sort(vals)
    better = np.searchsorted(ordered, vals, side="left")  # strictly smaller
    worse = vals.size - np.searchsorted(ordered, vals, side="right")  # strictly larger
    out: dict[str, Rank] = {}
    for i, name in enumerate(names):
        tied = tuple(n for k, n in enumerate(names) if k != i and vals[k] == vals[i])
        out[name] = Rank(
            name=name,
            index=float(vals[i]),
            from_best=int(better[i]) + 1,
            from_worst=int(worse[i]) + 1,
            count=int(vals.size),
            tied_with=tied,
        )
    return out


def rank(indices: Mapping[str, float], name: str, *, decimals: int | None = INDEX_DECIMALS) -> Rank:
    """Rank of ``name`` among ``indices`` (see :func:`ranks`). A missing name or index is a KeyError."""
    value = indices.get(name)
    if value is None or not np.isfinite(value):
        raise KeyError(f"{name!r} has no composite index to rank")
    return ranks(indices, decimals=decimals)[name]

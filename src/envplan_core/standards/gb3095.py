"""GB 3095 环境空气质量标准: ambient-air parameters and concentration limits, dated.

Two editions are encoded, chosen by the date the value is judged for (``on``):

* GB 3095-2012 (Tables 1–2) for dates before 2026-03-01. (It was implemented nationwide from
  2016-01-01; earlier dates also get the 2012 values here — GB 3095-1996 is not encoded.)
* GB 3095-2026 (published 2026-02-13, in force 2026-03-01): transition limits until 2030-12-31,
  final limits from 2031-01-01 (§4.4). Table 2 has one set of limits; where the transition column is
  empty the single (final) value applies throughout.

Source: data/gb3095_2012_ambient_air.csv and data/gb3095_2026_ambient_air.csv, copied from the
project's reference folder (see its README: "Version warning"). Every :class:`Limit` carries the row's
citation. The dates live here because HJ 633-2026 switches on the same day (hj633 imports them).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.parameters import Parameter, normalise_name

__all__ = [
    "AVERAGING",
    "FINAL_2031",
    "LIMITS",
    "PARAMETERS",
    "SWITCH_2026",
    "DateLike",
    "Limit",
    "as_day",
    "as_days",
    "edition",
    "limits",
    "read_table",
    "resolve_parameter",
]

#: Anything naming a day: ``date``, ``datetime``, ISO text, ``numpy.datetime64``.
DateLike: TypeAlias = "dt.date | str | np.datetime64"

#: GB 3095-2026 and HJ 633-2026 in force (both forewords; reference README "Version warning";
#: air_assessment_rules_hj633_hj663_ranking.csv AIR-11).
SWITCH_2026 = np.datetime64("2026-03-01", "D")
#: GB 3095-2026 §4.4: transition limits until 2030-12-31, final limits from 2031-01-01.
FINAL_2031 = np.datetime64("2031-01-01", "D")

_SRC_2012 = "GB 3095-2012 Tables 1-2 (data/gb3095_2012_ambient_air.csv)"
_SRC_2026 = "GB 3095-2026 Tables 1-2 (data/gb3095_2026_ambient_air.csv)"
_SRC_PLAN = "新绛县 2023 air plan, 强化降尘量: 降尘量不高于 7 吨/月·平方公里 (not a GB 3095 item)"


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a CSV in ``envplan_core/standards/data`` (UTF-8, header row), read as text."""
    text = (resources.files("envplan_core.standards") / "data" / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(text.splitlines()))


def as_day(on: DateLike) -> np.datetime64:
    """One day as ``datetime64[D]`` (a datetime is cut to its date)."""
    if isinstance(on, np.datetime64):
        same: np.datetime64 = on.astype("datetime64[D]")
        return same
    if isinstance(on, dt.datetime):
        on = on.date()
    text = on.isoformat() if isinstance(on, dt.date) else str(on)
    day: np.datetime64 = np.datetime64(text, "D")
    return day


def as_days(on: DateLike | npt.ArrayLike) -> npt.NDArray[np.datetime64]:
    """Days as a ``datetime64[D]`` array (scalar in, 0-d array out)."""
    if isinstance(on, dt.datetime):
        on = on.date()
    arr = np.asarray(on)
    if arr.dtype.kind in "OUS":
        arr = arr.astype("datetime64[s]")
    if arr.dtype.kind != "M":
        raise TypeError(f"expected dates, got an array of {arr.dtype}")
    return arr.astype("datetime64[D]")


def edition(on: DateLike) -> str:
    """``"GB 3095-2012"``, ``"GB 3095-2026 transition"`` or ``"GB 3095-2026 final"`` for a day."""
    day = as_day(on)
    if day < SWITCH_2026:
        return "GB 3095-2012"
    return "GB 3095-2026 transition" if day < FINAL_2031 else "GB 3095-2026 final"


PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "SO2",
        "二氧化硫",
        "sulfur dioxide",
        "ug/m^3",
        "air",
        aliases=("SO₂", "sulphur dioxide"),
        source=_SRC_2012,
    ),
    Parameter(
        "NO2",
        "二氧化氮",
        "nitrogen dioxide",
        "ug/m^3",
        "air",
        aliases=("NO₂",),
        source=_SRC_2012,
    ),
    Parameter(
        "PM10",
        "可吸入颗粒物",
        "particulate matter PM10",
        "ug/m^3",
        "air",
        aliases=("PM₁₀", "颗粒物（粒径≤10μm）", "颗粒物(PM10)", "inhalable particulate matter"),
        source=_SRC_2012,
    ),
    Parameter(
        "PM2.5",
        "细颗粒物",
        "fine particulate matter PM2.5",
        "ug/m^3",
        "air",
        aliases=("PM25", "pm2.5", "PM₂.₅", "细颗粒物", "颗粒物（粒径≤2.5μm）", "颗粒物(PM2.5)"),
        source=_SRC_2012,
    ),
    Parameter(
        "CO",
        "一氧化碳",
        "carbon monoxide",
        "mg/m^3",
        "air",
        aliases=("carbon monoxide (CO)",),
        source=_SRC_2012,
    ),
    # "O3_8h" is deliberately not an alias: the 8-hour mean is a statistic of O3, not a parameter.
    Parameter("O3", "臭氧", "ozone", "ug/m^3", "air", aliases=("臭氧", "O₃"), source=_SRC_2012),
    Parameter(
        "NOx",
        "氮氧化物",
        "nitrogen oxides (as NO2)",
        "ug/m^3",
        "air",
        aliases=("NOₓ", "氮氧化物（以NO2计）"),
        source=_SRC_2012,
    ),
    Parameter(
        "TSP",
        "总悬浮颗粒物",
        "total suspended particulates",
        "ug/m^3",
        "air",
        aliases=("total suspended particulates (TSP)",),
        source=_SRC_2012,
    ),
    # Lead and benzo[a]pyrene also occur in water and soil standards (mg/L, mg/kg). The registry is
    # not medium-aware and rejects one id with two units, so the ambient-air ids are prefixed.
    Parameter(
        "air_Pb",
        "环境空气铅",
        "lead in ambient air (Pb)",
        "ug/m^3",
        "air",
        aliases=("Pb (air)", "铅（环境空气）"),
        source=_SRC_2012,
    ),
    Parameter(
        "air_BaP",
        "环境空气苯并[a]芘",
        "benzo[a]pyrene in ambient air (BaP)",
        "ug/m^3",
        "air",
        aliases=("BaP (air)", "苯并[a]芘（环境空气）"),
        source=_SRC_2012,
    ),
    Parameter(
        "dust_fall",
        "降尘",
        "dust fall",
        "t/(km^2*month)",
        "air",
        aliases=("降尘量", "dustfall", "dust deposition"),
        source=_SRC_PLAN,
    ),
)

_ID_BY_NAME: dict[str, str] = {}
for _p in PARAMETERS:
    for _name in (_p.id, _p.name_zh, _p.name_en, *_p.aliases):
        _ID_BY_NAME.setdefault(normalise_name(_name), _p.id)
# Bare "Pb"/"BaP" resolve here only, where the medium is known to be ambient air.
_ID_BY_NAME.update({normalise_name("Pb"): "air_Pb", normalise_name("BaP"): "air_BaP"})
_ID_BY_NAME.update({normalise_name("铅"): "air_Pb", normalise_name("苯并[a]芘"): "air_BaP"})

#: Averaging-time keys and the spellings accepted for them.
AVERAGING: dict[str, tuple[str, ...]] = {
    "annual": ("annual", "year", "yearly", "annual mean", "年平均"),
    "quarter": ("quarter", "quarterly", "quarterly mean", "季平均"),
    "24h": ("24h", "daily", "day", "24-hour mean", "daily mean", "日平均", "24小时平均"),
    "8h": ("8h", "mda8", "daily maximum 8-hour mean", "日最大8小时平均", "8小时平均"),
    "1h": ("1h", "hourly", "1-hour mean", "1小时平均"),
}
_AVERAGING_BY_NAME = {normalise_name(s): key for key, names in AVERAGING.items() for s in names}

_UNIT = {"μg/m³": "ug/m^3", "µg/m³": "ug/m^3", "mg/m³": "mg/m^3"}
# The CSV's English names; "NOx (as NO2)" must be tried before NO2, "BaP" before "Pb".
_TOKENS = (
    ("PM2.5", "PM2.5"),
    ("PM10", "PM10"),
    ("TSP", "TSP"),
    ("NOx", "NOx"),
    ("BaP", "air_BaP"),
    ("Pb", "air_Pb"),
    ("SO2", "SO2"),
    ("NO2", "NO2"),
    ("CO", "CO"),
    ("O3", "O3"),
)


def _parameter_of(parameter_en: str) -> str:
    for token, pid in _TOKENS:
        if re.search(rf"(?<![A-Za-z0-9.]){re.escape(token)}(?![A-Za-z0-9.])", parameter_en):
            return pid
    raise ValueError(f"GB 3095 table row names an unknown parameter: {parameter_en!r}")


def _averaging_of(text: str) -> str:
    key = _AVERAGING_BY_NAME.get(normalise_name(text))
    if key is None:
        raise ValueError(f"unknown averaging time {text!r}; use one of {sorted(AVERAGING)}")
    return key


@attrs.frozen
class Limit:
    """One GB 3095 concentration limit, valid from ``effective_from`` up to ``effective_to`` (exclusive)."""

    parameter: str
    averaging: str
    grade: int
    value: float
    unit: str
    standard: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    source: str

    def applies(self, on: DateLike) -> bool:
        day = as_day(on)
        lo = self.effective_from is None or day >= np.datetime64(self.effective_from, "D")
        hi = self.effective_to is None or day < np.datetime64(self.effective_to, "D")
        return bool(lo and hi)


def _to_date(day: np.datetime64) -> dt.date:
    return dt.date.fromisoformat(str(day))


def _rows_2012() -> Iterable[Limit]:
    for row in read_table("gb3095_2012_ambient_air.csv"):
        pid, avg = _parameter_of(row["parameter_en"]), _averaging_of(row["averaging_time_en"])
        for grade in (1, 2):
            yield Limit(
                parameter=pid,
                averaging=avg,
                grade=grade,
                value=float(row[f"grade_{grade}"]),
                unit=_UNIT[row["unit"]],
                standard="GB 3095-2012",
                effective_from=None,
                effective_to=_to_date(SWITCH_2026),
                source=(
                    f"GB 3095-2012 {row['table']} {row['parameter_zh']} {row['averaging_time_zh']} "
                    f"grade {grade}; {row['source']}"
                ),
            )


def _rows_2026() -> Iterable[Limit]:
    for row in read_table("gb3095_2026_ambient_air.csv"):
        pid, avg = _parameter_of(row["parameter_en"]), _averaging_of(row["averaging_time_en"])
        for grade in (1, 2):
            final = row[f"final_grade_{grade}"]
            transition = row[f"transition_grade_{grade}"] or final  # Table 2: one set of limits
            base = f"{row['table']} {row['parameter_zh']} {row['averaging_time_zh']} grade {grade}"
            yield Limit(
                parameter=pid,
                averaging=avg,
                grade=grade,
                value=float(transition),
                unit=_UNIT[row["unit"]],
                standard="GB 3095-2026 transition",
                effective_from=_to_date(SWITCH_2026),
                effective_to=_to_date(FINAL_2031),
                source=f"GB 3095-2026 {base}, transition limit to 2030-12-31 (§4.4); {row['source']}",
            )
            yield Limit(
                parameter=pid,
                averaging=avg,
                grade=grade,
                value=float(final),
                unit=_UNIT[row["unit"]],
                standard="GB 3095-2026 final",
                effective_from=_to_date(FINAL_2031),
                effective_to=None,
                source=f"GB 3095-2026 {base}, final limit from 2031-01-01 (§4.4); {row['source']}",
            )


@cache
def _all_limits() -> tuple[Limit, ...]:
    out = (*_rows_2012(), *_rows_2026())
    units = {p.id: p.unit for p in PARAMETERS}
    for lim in out:
        if units[lim.parameter] != lim.unit:  # the table and PARAMETERS must agree on the unit
            raise ValueError(
                f"GB 3095 unit mismatch for {lim.parameter}: {lim.unit} vs {units[lim.parameter]}"
            )
    return out


#: Every limit of both editions (dated), as loaded from the tables.
LIMITS: tuple[Limit, ...] = _all_limits()


def resolve_parameter(name: str) -> str:
    """The GB 3095 parameter id for an id or alias (``"pm2.5"`` → ``"PM2.5"``, ``"铅"`` → ``"air_Pb"``)."""
    pid = _ID_BY_NAME.get(normalise_name(name))
    if pid is None:
        raise KeyError(f"not a GB 3095 parameter: {name!r}")
    return pid


def limits(parameter: str, averaging: str, grade: int = 2, *, on: DateLike) -> Limit:
    """The GB 3095 limit for ``parameter`` and ``averaging`` (``annual``, ``24h``, ``8h``, ``1h``,
    ``quarter`` or a Chinese/English spelling) in zone ``grade`` (1 or 2) in force ``on`` that day.

    Raises :class:`KeyError` when the standard sets no such limit (e.g. CO annual, dust fall).
    """
    if grade not in (1, 2):
        raise ValueError(f"GB 3095 grade must be 1 or 2, not {grade!r}")
    pid, avg = resolve_parameter(parameter), _averaging_of(averaging)
    for lim in LIMITS:
        if lim.parameter == pid and lim.averaging == avg and lim.grade == grade and lim.applies(on):
            return lim
    raise KeyError(f"GB 3095 ({edition(on)}) sets no {avg} limit for {pid}")

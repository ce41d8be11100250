"""HJ 633 环境空气质量指数（AQI）技术规定: IAQI, AQI, level, category, primary pollutant.

Two editions, chosen per value by its date (``on``): HJ 633-2012 before 2026-03-01, HJ 633-2026 from
that day (reference README "Version warning"; AIR-11). Breakpoints are data:
data/hj633_2012_iaqi_breakpoints.csv (Table 1), data/hj633_2026_iaqi_breakpoints.csv (Table 3),
data/hj633_aqi_categories.csv (levels 1–6).

Rules (AIR-rows of data/air_assessment_rules_hj633_hj663_ranking.csv):

* IAQI_P = (IAQI_Hi − IAQI_Lo)/(BP_Hi − BP_Lo)·(C_P − BP_Lo) + IAQI_Lo on continuous segments (AIR-07);
  a value on a breakpoint takes that breakpoint's segment, so PM2.5 = 75 gives exactly 100 (2012).
* Rounded up to an integer (AIR-06: 全部进位取整数). The ceiling is taken of the value less
  ``CEIL_TOLERANCE`` (1e-9 IAQI), so float error of ~1e-13 in the interpolation never turns an exact
  100 into 101. A concentration 1e-9 IAQI above a breakpoint (~1e-8 µg/m³) is treated as on it.
* SO2 1-h > 800 µg/m³: 2012 — no IAQI from the 1-h value, the SO2 IAQI is the one of the 24-h mean
  (Table 1 note 2; pass ``fallback``, else NaN); 2026 — IAQI fixed at 200 (Table 3 note b).
* O3 8-h > 800 µg/m³: 2012 — the O3 IAQI is the one of the 1-h value (Table 1 note 3; ``fallback``);
  2026 — fixed at 300 (Table 3 note c).
* Above the top breakpoint of any other table (e.g. PM2.5 > 500 µg/m³) the IAQI is capped at 500:
  neither edition extrapolates beyond IAQI 500 (the reference tables give no rule; capping is how
  AQI > 500 is reported, "爆表"). Negative concentrations are an error.
* AQI = max IAQI; primary pollutant(s) only when AQI > 50, all pollutants tying at the max (AIR-08);
  non-attainment pollutants (IAQI > 100) under 2012 only (removed in 2026).
* Daily report indicators (AIR-09): 2012 — SO2, NO2, PM10, PM2.5, CO 24-h means, O3 daily max 1-h and
  O3 MDA8; 2026 — the same without O3 1-h.
* Real-time (hourly) report: two methods, named in every hourly record (``hourly_method``;
  docs/standards/aqi.md gives the sources):

  - ``published`` (default, both editions): the six 1-h means — SO2, NO2, CO, O3 and PM10, PM2.5, the
    1-h PM judged against the 24-h breakpoints — and no O3 8-h. This is how the national real-time
    releases of 2015–2017 computed it (published records reproduce to the unit) and what HJ 633-2026
    §4.2.4 writes down.
  - ``strict``: the letter of the edition in force. HJ 633-2012 §5.1.3: SO2, NO2, CO, O3 1-h means,
    the O3 8-h running mean and the PM10, PM2.5 24-h running means; HJ 633-2026: as ``published``.
* Concentrations enter the IAQI as measured or averaged, **unrounded** — the API and ``envplan aqi``
  alike. Published real-time records show it (太原 尖草坪 2015-02-05 14:00, CO 2.543 mg/m³ → IAQI 26;
  rounded first to 2.5 it would be 25). GB/T 8170 rounding is for printing concentrations.
* No pollutant is dropped silently. Under HJ 633-2012 an SO2 1-h value above 800 takes its IAQI from
  the SO2 24-h (running) mean and an O3 8-h value above 800 from the O3 1-h value (Table 1 notes 2–3;
  the record's ``substitutions`` says so); the O3 8-h indicator is then not reported beside the 1-h one,
  so the primary pollutant is named once. Without that other value the record is incomplete and says
  why (``incomplete_reasons``), and keeps what the data prove as a lower bound (``iaqi_lower_bounds``):
  the daily maximum 1-h O3 is not below the MDA8, and an SO2 24-h running mean is not below its own
  hour's value / 24. The AQI of an incomplete record is that of what is known: the true AQI is not lower.
* Missing pollutants (AIR-10, HJ 633-2026 §5.3.1): the AQI is computed from the others and published
  only if > 100, otherwise it is NA. Applied under 2026 for the pollutants named ``monitored``;
  under 2012 the AQI of the available pollutants is given (the 2012 rule is not in the reference).
  Either way a monitored pollutant without a value makes the record incomplete, naming it.

This module holds the tables (breakpoints, categories, editions), the IAQI and the AQI of given values
(:func:`iaqi`, :func:`aqi_daily`, :func:`aqi_hourly`, :class:`AQIResult`). The AQI of columnar hourly
observations (:class:`AQIFrame`, :func:`aqi_frames`, :func:`grid_aqi_frames`, :func:`frame_aqi`: the
records of ``envplan aqi``) is in :mod:`envplan_core.standards.hj633_frames`, which imports this module;
its names are re-exported here, loaded on first use, so import them from here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core._lazy import lazy_exports
from envplan_core.errors import DataError
from envplan_core.standards.gb3095 import SWITCH_2026, DateLike, as_days, read_table

if TYPE_CHECKING:
    from envplan_core.standards.hj633_frames import AQIFrame, aqi_frames, frame_aqi, grid_aqi_frames

__all__ = [
    "CEIL_TOLERANCE",
    "DAILY_INDICATORS",
    "DEFAULT_HOURLY_METHOD",
    "HJ633_2012",
    "HJ633_2026",
    "HOURLY_INDICATORS",
    "HOURLY_INDICATORS_BY_METHOD",
    "HOURLY_METHODS",
    "AQIFrame",
    "AQIResult",
    "Breakpoints",
    "Category",
    "HourlyMethod",
    "aqi_daily",
    "aqi_frames",
    "aqi_hourly",
    "breakpoints",
    "categories",
    "frame_aqi",
    "grid_aqi_frames",
    "iaqi",
    "level_of",
    "rules_for",
]

HJ633_2012 = "HJ 633-2012"
HJ633_2026 = "HJ 633-2026"
#: IAQI is ceil(value − CEIL_TOLERANCE): absorbs float error at exact breakpoints.
CEIL_TOLERANCE = 1e-9
#: Top of every IAQI table (HJ 633 Table 1/3 last column); values beyond the table are capped here.
_TOP_IAQI = 500.0
# Above the 800 µg/m³ top of SO2 1-h / O3 8-h, 2026 fixes the IAQI (HJ 633-2026 Table 3 notes b–c).
_FIXED_2026 = {"SO2_1h": 200.0, "O3_8h": 300.0}
# HJ 633-2012 Table 1 notes 2–3: above 800 µg/m³ these take the IAQI of another averaging period.
_FALLBACK_2012 = {"SO2_1h": "SO2_24h", "O3_8h": "O3_1h"}
_SUBSTITUTION_TOP = 800.0

Float = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]

HourlyMethod = Literal["published", "strict"]
#: The real-time AQI methods (docs/standards/aqi.md): the practice of the national releases, the letter.
HOURLY_METHODS: tuple[HourlyMethod, ...] = ("published", "strict")
DEFAULT_HOURLY_METHOD: HourlyMethod = "published"

_SIX_1H = ("SO2_1h", "NO2_1h", "CO_1h", "O3_1h", "PM10_1h", "PM2.5_1h")
#: Indicators of the daily report, per edition (AIR-09).
DAILY_INDICATORS: Mapping[str, tuple[str, ...]] = {
    HJ633_2012: ("SO2_24h", "NO2_24h", "PM10_24h", "PM2.5_24h", "CO_24h", "O3_1h", "O3_8h"),
    HJ633_2026: ("SO2_24h", "NO2_24h", "PM10_24h", "PM2.5_24h", "CO_24h", "O3_8h"),
}
#: Indicators of the real-time (hourly) report, per method and edition. ``published``: the six 1-h
#: means, PM on the 24-h breakpoints, no O3 8-h (national releases 2015–2017; HJ 633-2026 §4.2.4);
#: ``strict``: HJ 633-2012 §5.1.3 (PM 24-h and O3 8-h running means), HJ 633-2026 §4.2.4.
HOURLY_INDICATORS_BY_METHOD: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "published": {HJ633_2012: _SIX_1H, HJ633_2026: _SIX_1H},
    "strict": {
        HJ633_2012: ("SO2_1h", "NO2_1h", "CO_1h", "O3_1h", "O3_8h", "PM10_24h", "PM2.5_24h"),
        HJ633_2026: _SIX_1H,
    },
}
#: Indicators of the real-time report of the default (``published``) method, per edition.
HOURLY_INDICATORS: Mapping[str, tuple[str, ...]] = HOURLY_INDICATORS_BY_METHOD[DEFAULT_HOURLY_METHOD]
# Name of each indicator in results (IAQI keys, primary pollutant); O3 keeps its averaging time.
_DISPLAY = {
    "SO2_24h": "SO2",
    "SO2_1h": "SO2",
    "NO2_24h": "NO2",
    "NO2_1h": "NO2",
    "PM10_24h": "PM10",
    "PM10_1h": "PM10",
    "PM2.5_24h": "PM2.5",
    "PM2.5_1h": "PM2.5",
    "CO_24h": "CO",
    "CO_1h": "CO",
    "O3_1h": "O3_1h",
    "O3_8h": "O3_8h",
}
_ORDER = ("SO2", "NO2", "PM10", "PM2.5", "CO", "O3_1h", "O3_8h")
_ZH = {"SO2": "二氧化硫", "NO2": "二氧化氮", "PM10": "PM10", "PM2.5": "PM2.5", "CO": "一氧化碳", "O3": "臭氧"}


# --------------------------------------------------------------------------- tables
@attrs.frozen
class Breakpoints:
    """One row of HJ 633 Table 1/3: concentration breakpoints and their IAQI (ascending)."""

    key: str
    concentration: tuple[float, ...]
    iaqi: tuple[float, ...]
    unit: str
    source: str


@attrs.frozen
class Category:
    level: int
    aqi_min: int
    aqi_max: int | None
    level_zh: str
    category_zh: str
    category_en: str
    color_zh: str
    color_en: str
    rgb: tuple[int, int, int]


def _key_of(row: Mapping[str, str]) -> str:
    averaging = row["averaging_time"].split()[0]  # "24h (daily) mean" → "24h"
    return f"{row['parameter_en']}_{averaging}"


_PM_1H_SOURCE = {
    HJ633_2012: "published real-time practice 2015–2017 (1-h PM on the 24-h breakpoints; docs/standards/aqi.md)",
    HJ633_2026: "§4.2.4 (PM 1-h)",
}


@cache
def breakpoints(version: str) -> Mapping[str, Breakpoints]:
    """The IAQI table of ``"HJ 633-2012"`` or ``"HJ 633-2026"``, by indicator key (``"PM2.5_24h"`` …).

    ``PM10_1h`` and ``PM2.5_1h`` are the 24-h PM rows applied to 1-h means: HJ 633-2026 §4.2.4, and the
    published real-time practice under HJ 633-2012 (the ``published`` hourly method).
    """
    name = {HJ633_2012: "hj633_2012_iaqi_breakpoints.csv", HJ633_2026: "hj633_2026_iaqi_breakpoints.csv"}
    if version not in name:
        raise KeyError(f"unknown HJ 633 edition {version!r}")
    out: dict[str, Breakpoints] = {}
    for row in read_table(name[version]):
        levels = [(float(col.removeprefix("iaqi_")), row[col]) for col in row if col.startswith("iaqi_")]
        pairs = [(float(text), level) for level, text in levels if text.strip()]
        key = _key_of(row)
        out[key] = Breakpoints(
            key=key,
            concentration=tuple(c for c, _ in pairs),
            iaqi=tuple(i for _, i in pairs),
            unit=row["unit"],
            source=f"{version} ({name[version]}): {row['source']}",
        )
    for pm in ("PM10", "PM2.5"):
        daily = out[f"{pm}_24h"]
        out[f"{pm}_1h"] = attrs.evolve(daily, key=f"{pm}_1h", source=f"{daily.source}; {_PM_1H_SOURCE[version]}")
    return out


@cache
def categories() -> tuple[Category, ...]:
    """AQI levels 1–6 (HJ 633 Table 2 / 2026 Table 1; data/hj633_aqi_categories.csv)."""
    out = []
    for row in read_table("hj633_aqi_categories.csv"):
        r, g, b = (int(x) for x in row["rgb"].split(","))
        out.append(
            Category(
                level=int(row["level"]),
                aqi_min=int(row["aqi_min"]),
                aqi_max=int(row["aqi_max"]) if row["aqi_max"].strip() else None,
                level_zh=row["level_zh"],
                category_zh=row["category_zh"],
                category_en=row["category_en"],
                color_zh=row["color_zh"],
                color_en=row["color_en"],
                rgb=(r, g, b),
            )
        )
    return tuple(out)


def level_of(aqi: npt.ArrayLike) -> npt.NDArray[np.int8]:
    """AQI level 1–6 of integer AQI values; 0 where the AQI is NaN (not available)."""
    a = np.asarray(aqi, dtype=np.float64)
    upper = np.array([c.aqi_max for c in categories() if c.aqi_max is not None], dtype=np.float64)
    level = np.searchsorted(upper, np.where(np.isnan(a), 0.0, a), side="left") + 1
    return np.where(np.isnan(a), 0, level).astype(np.int8)


def rules_for(on: DateLike | npt.ArrayLike) -> npt.NDArray[np.str_]:
    """The HJ 633 edition in force for each day of ``on``."""
    days = as_days(on)
    return np.where(days < SWITCH_2026, HJ633_2012, HJ633_2026)


# --------------------------------------------------------------------------- IAQI
def _interpolate(table: Breakpoints, c: Float) -> Float:
    """Continuous-segment IAQI, ceiling-rounded; NaN above the table's top breakpoint."""
    bp = np.asarray(table.concentration, dtype=np.float64)
    iq = np.asarray(table.iaqi, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        # Per segment (BP_Lo ≤ C < BP_Hi): (IAQI_Hi − IAQI_Lo)/(BP_Hi − BP_Lo) · (C − BP_Lo) + IAQI_Lo, the
        # very operations of np.interp (in one pass); at a breakpoint its IAQI.
        raw = np.interp(c, bp, iq)
        out = np.ceil(raw - CEIL_TOLERANCE)
    out = np.maximum(out, 0.0)  # C = 0 gives 0, not −0 or −1
    return np.where(np.isnan(c) | (c > bp[-1]), np.nan, out)


def iaqi(
    pollutant_key: str,
    values: npt.ArrayLike,
    *,
    on: DateLike | npt.ArrayLike,
    fallback: npt.ArrayLike | None = None,
) -> Float:
    """IAQI of ``values`` for an indicator (``"SO2_24h"``, ``"SO2_1h"``, ``"NO2_24h"``, ``"NO2_1h"``,
    ``"PM10_24h"``, ``"PM2.5_24h"``, ``"CO_24h"``, ``"CO_1h"``, ``"O3_1h"``, ``"O3_8h"``, ``"PM10_1h"``,
    ``"PM2.5_1h"``), each value judged by the edition in force ``on`` its day. The values are used as
    given: round nothing first (docs/standards/aqi.md).

    ``fallback`` is the concentration whose IAQI replaces a 2012 value beyond 800 µg/m³: the SO2
    24-h mean for ``SO2_1h``, the O3 1-h value for ``O3_8h``; without it those IAQI are NaN (the AQI
    functions then say why and keep the bound the data prove). Returns float64 (integers; NaN where
    missing). Units: µg/m³, CO mg/m³.
    """
    c = np.asarray(values, dtype=np.float64)
    days = as_days(on)
    c, days = np.broadcast_arrays(c, days)
    if np.any(c < 0):
        raise DataError(f"negative concentration for {pollutant_key}")
    fb = None if fallback is None else np.broadcast_to(np.asarray(fallback, dtype=np.float64), c.shape)
    out = np.full(c.shape, np.nan)
    is_2012 = days < SWITCH_2026
    for version, mask in ((HJ633_2012, is_2012), (HJ633_2026, ~is_2012)):
        if not mask.any():
            continue
        tables = breakpoints(version)
        if pollutant_key not in tables:
            raise KeyError(f"{version} has no IAQI for {pollutant_key!r}; known: {sorted(tables)}")
        whole = bool(mask.all())  # one edition for all values (the common case): no copies
        cv = c if whole else c[mask]
        result = _interpolate(tables[pollutant_key], cv)
        top = tables[pollutant_key].concentration[-1]
        above = cv > top
        if pollutant_key in _FALLBACK_2012:
            if version == HJ633_2026:
                result = np.where(above, _FIXED_2026[pollutant_key], result)
            elif fb is not None:
                other = _FALLBACK_2012[pollutant_key]
                substitute = _interpolate_capped(tables[other], fb if whole else fb[mask])
                result = np.where(above, substitute, result)
        else:
            result = np.where(above, _TOP_IAQI, result)
        if whole:
            return np.asarray(result, dtype=np.float64).reshape(c.shape)
        out[mask] = result
    return out


def _interpolate_capped(table: Breakpoints, c: Float) -> Float:
    return np.where(c > table.concentration[-1], _TOP_IAQI, _interpolate(table, c))


# --------------------------------------------------------------------------- AQI
@attrs.frozen
class AQIResult:
    """AQI of n elements (hours or days). Arrays are 1-D of length n; NaN / level 0 = not available.

    ``iaqi`` holds the IAQI of each reported indicator (display name: ``SO2`` … ``O3_1h``,
    ``O3_8h``); ``lower_bounds`` marks the IAQI that are only what the data prove (a lower bound);
    ``substituted`` marks, per indicator key (``O3_8h``, ``SO2_1h``), the elements whose IAQI came
    from the other averaging period (HJ 633-2012 Table 1 notes 2–3); ``reasons`` lists, per element,
    why it is incomplete (``{"indicator", "zh", "en"}``); ``method`` is the hourly method (None: daily).
    """

    aqi: Float
    level: npt.NDArray[np.int8]
    iaqi: Mapping[str, Float]
    rules: npt.NDArray[np.str_]
    complete: npt.NDArray[np.bool_]
    lower_bounds: Mapping[str, Bool] = attrs.field(factory=dict)
    substituted: Mapping[str, Bool] = attrs.field(factory=dict)
    reasons: tuple[tuple[Mapping[str, str], ...], ...] = ()
    method: str | None = None

    def __len__(self) -> int:
        return int(self.aqi.size)

    def primary_pollutants(self, i: int) -> tuple[str, ...]:
        """Pollutant(s) with the largest IAQI when AQI > 50 (AIR-08), else ()."""
        a = self.aqi[i]
        if not np.isfinite(a) or a <= 50:
            return ()
        return tuple(p for p, v in self.iaqi.items() if v[i] == a)

    def non_attainment(self, i: int) -> tuple[str, ...] | None:
        """Pollutants with IAQI > 100 (超标污染物, HJ 633-2012 only; None under 2026)."""
        if self.rules[i] != HJ633_2012:
            return None
        return tuple(p for p, v in self.iaqi.items() if v[i] > 100)

    def category(self, i: int) -> Category | None:
        level = int(self.level[i])
        return None if level == 0 else categories()[level - 1]

    def sliced(self, start: int, stop: int) -> AQIResult:
        """The elements ``start`` … ``stop − 1`` (their records are those of this result)."""
        part = slice(start, stop)
        return AQIResult(
            aqi=self.aqi[part],
            level=self.level[part],
            iaqi={p: v[part] for p, v in self.iaqi.items()},
            rules=self.rules[part],
            complete=self.complete[part],
            lower_bounds={p: m[part] for p, m in self.lower_bounds.items()},
            substituted={k: m[part] for k, m in self.substituted.items()},
            reasons=self.reasons[part],
            method=self.method,
        )

    def records(self) -> list[dict[str, Any]]:
        """:meth:`record` of every element."""
        return [self.record(i) for i in range(len(self))]

    def record(self, i: int) -> dict[str, Any]:
        """The JSON fields of docs/cli.md ``aqi`` for element i (without site, kind, time)."""
        cat = self.category(i)
        primary = self.primary_pollutants(i)
        out: dict[str, Any] = {
            "rules": str(self.rules[i]),
            "aqi": None if not np.isfinite(self.aqi[i]) else int(self.aqi[i]),
            "level": None if cat is None else cat.level,
            "category_zh": None if cat is None else cat.category_zh,
            "category_en": None if cat is None else cat.category_en,
            "primary_pollutant": ",".join(primary) if primary else None,
            "primary_pollutants": list(primary),
            "non_attainment": None if (na := self.non_attainment(i)) is None else list(na),
            "iaqi": {p: int(v[i]) for p, v in self.iaqi.items() if np.isfinite(v[i])},
            "complete": bool(self.complete[i]),
            "incomplete_reasons": [dict(r) for r in self.reasons[i]] if self.reasons else [],
            "iaqi_lower_bounds": [p for p, m in self.lower_bounds.items() if m[i]],
            "substitutions": {k: _FALLBACK_2012[k] for k, m in self.substituted.items() if m[i]},
        }
        if self.method is not None:
            out["hourly_method"] = self.method
        return out


def _reason(indicator: str, zh: str, en: str) -> dict[str, str]:
    return {"indicator": indicator, "zh": zh, "en": en}


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _aqi(
    concentrations: Mapping[str, npt.ArrayLike],
    on: DateLike | npt.ArrayLike,
    indicators: Mapping[str, tuple[str, ...]],
    monitored: Sequence[str] | Mapping[str, Bool] | None,
    *,
    kind: Literal["daily", "hourly"],
    method: str | None = None,
    not_expected: Mapping[str, Bool] | None = None,
) -> AQIResult:
    arrays = {k: np.asarray(v, dtype=np.float64) for k, v in concentrations.items()}
    known = set(_DISPLAY)
    unknown = set(arrays) - known
    if unknown:
        raise KeyError(f"unknown HJ 633 indicator(s) {sorted(unknown)}; known: {sorted(known)}")
    days = as_days(on)
    shapes = [a.shape for a in arrays.values()]
    shape = np.broadcast_shapes(days.shape, *shapes)
    n = int(np.prod(shape)) if shape else 1
    days = np.broadcast_to(days, shape).reshape(n)
    flat = {k: np.broadcast_to(a, shape).reshape(n) for k, a in arrays.items()}
    if any(np.any(a < 0) for a in flat.values()):
        bad = next(k for k, a in flat.items() if np.any(a < 0))
        raise DataError(f"negative concentration for {bad}")
    rules = rules_for(days)
    is_2012 = days < SWITCH_2026  # rules == HJ633_2012 (rules_for's own test; comparing its texts is slow)
    edition = {HJ633_2012: is_2012, HJ633_2026: ~is_2012}
    # IAQI per indicator key, each value by its own edition (no fallback: handled below).
    by_key: dict[str, Float] = {}
    for version in (HJ633_2012, HJ633_2026):
        mask = edition[version]
        if not mask.any():
            continue
        whole = bool(mask.all())
        for key in indicators[version]:
            if key in flat and whole:
                by_key[key] = iaqi(key, flat[key], on=days)
            elif key in flat:
                target = by_key.setdefault(key, np.full(n, np.nan))
                target[mask] = iaqi(key, flat[key][mask], on=days[mask])
    reasons: dict[int, list[dict[str, str]]] = {}  # element -> why it is incomplete (few elements)
    bound_keys: dict[str, Bool] = {}
    substituted: dict[str, Bool] = {}
    for key, other in _FALLBACK_2012.items():
        if key not in indicators[HJ633_2012] or key not in flat:
            continue
        above = is_2012 & (flat[key] > _SUBSTITUTION_TOP)
        if not above.any():
            continue
        other_conc = flat.get(other, np.full(n, np.nan))
        have = above & np.isfinite(other_conc)
        lacking = above & ~have
        substituted[key] = above.copy()
        table = breakpoints(HJ633_2012)[other]
        other_is_indicator = other in indicators[HJ633_2012]
        from_other = np.full(n, np.nan)
        from_other[have] = _interpolate_capped(table, other_conc[have])
        # What the data prove without the other value (module docstring), NaN where nothing.
        proven = np.full(n, np.nan)
        if key == "O3_8h" and kind == "daily":
            proven[lacking] = _interpolate_capped(table, flat[key][lacking])  # daily max 1-h ≥ MDA8
        elif key == "SO2_1h":
            proven[lacking] = _interpolate_capped(table, flat[key][lacking] / 24.0)  # 24-h mean ≥ 1-h/24
        if other_is_indicator:
            # The other averaging period is reported itself (O3_1h): this indicator is not, so the
            # pollutant is counted and named once; its IAQI is the other's, or the bound.
            by_key[key][above] = np.nan
            slot = by_key.setdefault(other, np.full(n, np.nan))
            fill = lacking & np.isfinite(proven)
            slot[fill] = np.fmax(slot[fill], proven[fill])
            bound_keys[_DISPLAY[other]] = bound_keys.get(_DISPLAY[other], np.zeros(n, dtype=bool)) | fill
        else:
            by_key[key][have] = from_other[have]
            by_key[key][lacking] = proven[lacking]
            fill = lacking & np.isfinite(proven)
            bound_keys[_DISPLAY[key]] = bound_keys.get(_DISPLAY[key], np.zeros(n, dtype=bool)) | fill
        for i in np.flatnonzero(lacking).tolist():
            lacking_reason = _substitution_reason(key, other, float(flat[key][i]), proven[i], kind)
            reasons.setdefault(i, []).append(lacking_reason)
    by_name: dict[str, Float] = {}
    for key, values in by_key.items():
        target = by_name.setdefault(_DISPLAY[key], np.full(n, np.nan))
        target[:] = np.fmax(target, values)
    ordered = {p: by_name[p] for p in _ORDER if p in by_name and np.isfinite(by_name[p]).any()}
    stack = np.vstack(list(ordered.values())) if ordered else np.full((1, n), np.nan)
    with np.errstate(invalid="ignore"):
        aqi = np.fmax.reduce(stack, axis=0)
    if monitored is not None:
        for version in (HJ633_2012, HJ633_2026):
            mask = edition[version]
            for key in indicators[version]:
                watched = _watched(monitored, key)
                if watched is None:
                    continue
                values = by_key.get(key, np.full(n, np.nan))
                missing = mask & watched & np.isnan(values) & ~substituted.get(key, np.zeros(n, dtype=bool))
                if not_expected is not None and key in not_expected:
                    missing &= ~not_expected[key]
                if not missing.any():
                    continue
                reason = _reason(key, f"{_zh_of(key)}（{key}）无有效值", f"{key}: no valid value")
                for i in np.flatnonzero(missing).tolist():
                    reasons.setdefault(i, []).append(dict(reason))
    complete = np.ones(n, dtype=bool)
    complete[list(reasons)] = False
    per_element: list[tuple[Mapping[str, str], ...]] = [()] * n
    for i, why in reasons.items():
        per_element[i] = tuple(why)
    # HJ 633-2026 §5.3.1: incomplete and AQI ≤ 100 → AQI not published (NA).
    na = ~complete & edition[HJ633_2026] & ~(aqi > 100)
    aqi = np.where(na, np.nan, aqi)
    return AQIResult(
        aqi=aqi,
        level=level_of(aqi),
        iaqi=ordered,
        rules=rules,
        complete=complete,
        lower_bounds={p: m for p, m in bound_keys.items() if p in ordered and m.any()},
        substituted=substituted,
        reasons=tuple(per_element),
        method=method,
    )


def _watched(monitored: Sequence[str] | Mapping[str, Bool], key: str) -> Bool | bool | None:
    """Where the pollutant of ``key`` is monitored (``monitored``: names, or per name the elements of
    the sites monitoring it); None: nowhere."""
    names = (_DISPLAY[key], key)
    if isinstance(monitored, Mapping):
        masks = [monitored[k] for k in names if k in monitored]
        if not masks:
            return None
        return masks[0] | masks[1] if len(masks) == 2 else masks[0]
    return True if any(k in monitored for k in names) else None


def _zh_of(key: str) -> str:
    return _ZH.get(key.split("_", maxsplit=1)[0], key)


def _substitution_reason(key: str, other: str, value: float, proven: float, kind: str) -> dict[str, str]:
    note = "Table 1 note 2" if key == "SO2_1h" else "Table 1 note 3"
    zh = (
        f"{key} {_fmt(value)} µg/m³ 高于800：按HJ 633-2012表1注{'2' if key == 'SO2_1h' else '3'}取{other}的分指数，"
        f"但缺{other}"
    )
    en = f"{key} {_fmt(value)} µg/m³ above 800: HJ 633-2012 {note} takes the IAQI of {other}, which is missing"
    if np.isfinite(proven):
        why_zh = "日最大1小时平均不低于日最大8小时平均" if key == "O3_8h" else "24小时滑动平均不低于该小时值的1/24"
        why_en = (
            "the daily maximum 1-h mean is not below the MDA8"
            if key == "O3_8h"
            else "the 24-h running mean is not below 1/24 of its hour"
        )
        zh += f"；{why_zh}，故分指数至少为{int(proven)}"
        en += f"; {why_en}, so the IAQI is at least {int(proven)}"
    else:
        zh += "；该污染物分指数无法确定"
        en += f"; the {kind} value of {other} is not implied by it: the pollutant's IAQI is unknown"
    return _reason(key, zh, en)


def aqi_daily(
    concentrations: Mapping[str, npt.ArrayLike],
    *,
    on: DateLike | npt.ArrayLike,
    monitored: Sequence[str] | None = None,
) -> AQIResult:
    """Daily AQI from daily indicators: ``SO2_24h``, ``NO2_24h``, ``PM10_24h``, ``PM2.5_24h``,
    ``CO_24h`` (mg/m³), ``O3_8h`` (MDA8) and ``O3_1h`` (daily max 1-h; used under 2012 only, and as
    the 2012 substitute for an MDA8 above 800). Arrays broadcast with ``on``; values unrounded.

    ``monitored``: pollutants the site monitors (e.g. ``["SO2", "PM2.5", "O3_8h"]``); a missing one
    makes the record incomplete, and under 2026 an AQI ≤ 100 NA (§5.3.1). None: compute from what is
    given. An MDA8 above 800 without the daily maximum 1-h value (2012) is incomplete, with the O3 IAQI
    the data prove (the 1-h IAQI of the MDA8 itself) as a lower bound.
    """
    return _aqi(concentrations, on, DAILY_INDICATORS, monitored, kind="daily")


def aqi_hourly(
    concentrations: Mapping[str, npt.ArrayLike],
    *,
    on: DateLike | npt.ArrayLike,
    monitored: Sequence[str] | None = None,
    method: HourlyMethod = DEFAULT_HOURLY_METHOD,
) -> AQIResult:
    """Real-time (hourly) AQI by ``method`` (module docstring; docs/standards/aqi.md):

    * ``published`` (default): ``SO2_1h``, ``NO2_1h``, ``CO_1h``, ``O3_1h``, ``PM10_1h``, ``PM2.5_1h``
      in both editions (1-h PM on the 24-h breakpoints), plus ``SO2_24h`` (the running mean) used only
      for a 2012 SO2 1-h value above 800;
    * ``strict``: under 2012 ``SO2_1h``, ``NO2_1h``, ``CO_1h``, ``O3_1h``, ``O3_8h`` (8-h running mean),
      ``PM10_24h``, ``PM2.5_24h`` (24-h running means), ``SO2_24h`` as above; under 2026 the six 1-h.

    Keys not used by an element's edition are ignored for that element; a key the method never uses is
    an error (a 24-h PM value passed to ``published`` would otherwise be dropped unseen).
    """
    if method not in HOURLY_INDICATORS_BY_METHOD:
        raise ValueError(f"unknown hourly method {method!r}; use one of {list(HOURLY_METHODS)}")
    indicators = HOURLY_INDICATORS_BY_METHOD[method]
    usable = {k for keys in indicators.values() for k in keys} | {"SO2_24h"}
    unused = sorted(set(concentrations) & set(_DISPLAY) - usable)
    if unused:
        raise KeyError(
            f"{', '.join(unused)} not used by the {method!r} hourly method (published: the six 1-h means, PM "
            "on the 24-h breakpoints, no O3 8-h; strict: HJ 633-2012 §5.1.3, PM 24-h and O3 8-h running "
            "means); pass the indicators of the method, or choose the other method"
        )
    return _aqi(concentrations, on, indicators, monitored, kind="hourly", method=method)


# --------------------------------------------------------------------------- frames (CLI `envplan aqi`)
# The names of hj633_frames, which imports this module: loaded from it on first use (PEP 562), so this
# module does not import it at load time. Type checkers see the import under TYPE_CHECKING above.
_FRAMES = ("AQIFrame", "aqi_frames", "frame_aqi", "grid_aqi_frames")

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(globals(), dict.fromkeys(_FRAMES, "envplan_core.standards.hj633_frames"))

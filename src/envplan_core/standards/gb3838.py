"""GB 3838-2002 surface-water classes and the section assessment of 环办〔2011〕22号.

The limits are data: ``data/gb3838_2002_surface_water.csv`` is a verbatim copy of the reference table
(GB 3838-2002 Tables 1 and 2, read from the official scan and cross-checked against four encodings; the
sources are in its ``source`` column). This module only parses it and applies the rules:

* **Single indicator** (GB 3838-2002 §5; 地表水环境质量评价办法（试行）环办〔2011〕22号, single-factor
  method): the class is the *best* class whose limit the value meets, so equal limits in two classes go to
  the better one (COD 15 mg/L is class Ⅰ). Concentrations meet a limit when ``value <= limit``; dissolved
  oxygen when ``value >= limit``; anything worse than Ⅴ is 劣Ⅴ. pH does not grade: inside 6–9 it is
  class Ⅰ, outside it is 劣Ⅴ.
* **Tolerance.** A value within one part in 10⁹ of a limit counts as meeting it (``_REL_TOL``). This only
  absorbs binary floating-point noise — ``0.3 µg/L × 0.001`` is not exactly ``0.0003``, and a mean's
  last bit depends on summation order — so a value *at* a limit stays at that limit whatever path it took.
  No concentration is reported to nine significant digits, so no real exceedance is hidden by it.
* **Section class**: the worst class over the 21 assessment items (Table 1 without water temperature,
  total nitrogen and fecal coliforms; ``in_official_21_items`` in the CSV). Total phosphorus uses the
  lake/reservoir row for lake and reservoir sections (the section's water-body type decides, not its
  name). Total nitrogen has limits for lakes and reservoirs only, so it is not classified for rivers.
  Table 2 (drinking-water sources) holds single limits, not classes: see :func:`drinking_source_limit`.
* **Means and non-detects**: a period's value is the arithmetic mean of its samples (环办〔2011〕22号
  §一(二)); a non-detect enters the mean as half its detection limit (环办监测函〔2020〕82号 point 7,
  docs/inputs.md (conventions)). Means are compared unrounded: the rounding rule for surface-water means was not among the
  references.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Collection, Hashable, Mapping, Sequence
from importlib import resources
from types import MappingProxyType
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.errors import DataError
from envplan_core.parameters import Parameter, normalise_name

__all__ = [
    "ASSESSMENT_PARAMETERS",
    "BY_ID",
    "CLASS_NAMES",
    "PARAMETERS",
    "STATUS_EN",
    "STATUS_ZH",
    "ClassLimits",
    "PeriodClass",
    "SectionClass",
    "assess_river",
    "class_code",
    "class_limits",
    "classify_river",
    "classify_river_means",
    "classify_section",
    "classify_series",
    "drinking_source_limit",
    "parameter_classes",
]

_DATA_FILE: Final = "gb3838_2002_surface_water.csv"

#: Class names by class code; code 0 means "not classifiable" (missing value or no class ladder).
CLASS_NAMES: Final = ("", "I", "II", "III", "IV", "V", "劣V")
#: Qualitative status by class code (环办〔2011〕22号; surface_water_assessment_rules_2011.csv SW-04).
STATUS_ZH: Final = ("无法评价", "优", "优", "良好", "轻度污染", "中度污染", "重度污染")
STATUS_EN: Final = (
    "not classifiable",
    "excellent",
    "excellent",
    "good",
    "slightly polluted",
    "moderately polluted",
    "heavily polluted",
)

# See the module docstring: absorbs float noise only, never a real difference.
_REL_TOL: Final = 1e-9

# Envplan's names for the CSV rows, keyed by the CSV's ``code`` column: canonical id, English name and the
# spellings met in exports and plans. The standard's numbers and Chinese names stay in the CSV.
_NAMES: Final[dict[str, tuple[str, str, tuple[str, ...]]]] = {
    "WT": ("water_temperature", "water temperature", ("水温", "WT", "water temp")),
    "pH": ("pH", "pH", ("pH值", "pH value")),
    "DO": ("DO", "dissolved oxygen", ("溶解氧", "DO")),
    "CODMn": (
        "CODMn",
        "permanganate index",
        ("高锰酸盐指数", "CODmn", "COD_Mn", "CODₘₙ", "permanganate index", "IMn"),
    ),
    "COD": ("COD", "chemical oxygen demand", ("化学需氧量", "CODcr", "COD_Cr", "chemical oxygen demand")),
    "BOD5": ("BOD5", "five-day biochemical oxygen demand", ("五日生化需氧量", "BOD₅", "BOD_5", "BOD")),
    "NH3-N": (
        "NH3-N",
        "ammonia nitrogen",
        ("氨氮", "NH3N", "NH₃-N", "NH3_N", "ammonia nitrogen", "氨氮(以N计)"),
    ),
    "TP": ("TP", "total phosphorus (as P)", ("总磷", "总磷(以P计)", "total phosphorus")),
    "TN": ("TN", "total nitrogen (as N)", ("总氮", "总氮(以N计)", "total nitrogen")),
    "Cu": ("Cu", "copper", ("铜", "copper")),
    "Zn": ("Zn", "zinc", ("锌", "zinc")),
    "F": ("F", "fluoride (as F⁻)", ("氟化物", "氟化物(以F-计)", "fluoride", "F-", "F⁻")),
    "Se": ("Se", "selenium", ("硒", "selenium")),
    "As": ("As", "arsenic", ("砷", "arsenic")),
    "Hg": ("Hg", "mercury", ("汞", "mercury")),
    "Cd": ("Cd", "cadmium", ("镉", "cadmium")),
    "Cr6+": (
        "Cr6+",
        "chromium (hexavalent)",
        ("六价铬", "铬(六价)", "Cr(VI)", "CrVI", "hexavalent chromium"),
    ),
    "Pb": ("Pb", "lead", ("铅", "lead")),
    "CN": ("CN", "cyanide", ("氰化物", "cyanide", "CN-", "CN⁻")),
    "VPhen": ("volatile_phenol", "volatile phenols", ("挥发酚", "挥发性酚", "volatile phenols", "VPhen")),
    "Oil": ("petroleum", "petroleum (oils)", ("石油类", "petroleum", "oil", "oils")),
    "LAS": ("LAS", "anionic surfactants", ("阴离子表面活性剂", "anionic surfactant", "anionic surfactants")),
    "S2-": ("S2-", "sulfide", ("硫化物", "sulfide", "sulphide", "S²⁻")),
    "FC": (
        "fecal_coliform",
        "fecal coliforms",
        ("粪大肠菌群", "fecal coliforms", "faecal coliforms", "fecal coliform", "FC"),
    ),
    "SO4": ("SO4", "sulfate (as SO4²⁻)", ("硫酸盐", "sulfate", "sulphate", "SO₄²⁻", "SO4 2-")),
    "Cl": ("Cl", "chloride (as Cl⁻)", ("氯化物", "chloride", "Cl-", "Cl⁻")),
    "NO3-N": (
        "NO3-N",
        "nitrate (as N)",
        ("硝酸盐", "硝酸盐氮", "硝酸盐(以N计)", "nitrate", "nitrate nitrogen"),
    ),
    "Fe": ("Fe", "iron", ("铁", "iron")),
    "Mn": ("Mn", "manganese", ("锰", "manganese")),
}
# The CSV writes units as printed; the shared registry's spelling (CFU, MPN and 个 are one counting unit).
_UNITS: Final = {"℃": "degC", "个/L (counts per litre)": "CFU/L"}
# "（以P计）"-style basis notes are dropped from ``name_zh`` (kept as an alias); "铬（六价）" keeps its note.
_BASIS_NOTE: Final = re.compile(r"（[^（）]*以[^（）]*计）$")
# The CSV's ``applies_to`` column.
_APPLIES: Final[dict[str, Literal["all", "river", "lake"]]] = {
    "all": "all",
    "rivers": "river",
    "lakes/reservoirs": "lake",
}

# Main pollutants: 环办〔2011〕22号 lists cyanide and heavy metals first when they exceed class Ⅲ
# ("当氰化物或铅、铬等重金属超标时，优先作为主要污染指标"; surface_water_assessment_rules_2011.csv SW-06,
# medium confidence). "Heavy metals" is read as every metal of Table 1 plus the metalloid arsenic.
_PRIORITY_POLLUTANTS: Final = frozenset({"CN", "Cu", "Zn", "Hg", "Cd", "Cr6+", "Pb", "As"})
# 环办〔2011〕22号: at most the three worst indicators are named.
_MAX_MAIN_POLLUTANTS: Final = 3
_CLASS_III: Final = 3

_LAKE_NAMES: Final = frozenset(
    normalise_name(n) for n in ("lake", "reservoir", "lake/reservoir", "湖库", "湖泊", "水库", "湖", "库")
)
_RIVER_NAMES: Final = frozenset(normalise_name(n) for n in ("river", "河流", "河", "河道"))


def _readonly(mapping: Mapping[str, object]) -> Mapping[str, Any]:
    """Converter: a read-only copy, so a frozen result cannot be changed through a mapping it holds."""
    return MappingProxyType(dict(mapping))


@attrs.frozen
class ClassLimits:
    """One class ladder of GB 3838-2002 Table 1.

    ``comparison`` is ``"max"`` (meets when ``value <= limit``), ``"min"`` (DO, ``value >= limit``) or
    ``"range"`` (pH). ``limits`` holds the class Ⅰ…Ⅴ limits, or ``(low, high)`` for a range.
    """

    parameter_id: str
    comparison: Literal["max", "min", "range"]
    limits: tuple[float, ...]
    water_body_type: Literal["all", "river", "lake"]
    source: str

    @property
    def class_iii(self) -> float | None:
        """The class Ⅲ limit an exceedance multiple is measured against (None for pH)."""
        return None if self.comparison == "range" else self.limits[2]


def _parse_limits(row: Mapping[str, str]) -> tuple[Literal["max", "min", "range"], tuple[float, ...]]:
    cells = tuple(row[f"class_{c}"] for c in ("I", "II", "III", "IV", "V"))
    kind = row["limit_type"]
    if kind == "range":
        if len(set(cells)) != 1:
            raise ValueError(f"{_DATA_FILE}: range {row['code']} differs between classes: {cells}")
        low, high = cells[0].split("-")
        return "range", (float(low), float(high))
    if kind not in ("max", "min"):
        raise ValueError(f"{_DATA_FILE}: unknown limit_type {kind!r}")
    limits = tuple(float(c) for c in cells)
    # The searchsorted lookup relies on this order (DO, a "min" item, improves upward).
    if list(limits) != sorted(limits, reverse=kind == "min"):
        raise ValueError(f"{_DATA_FILE}: {row['code']} limits are out of order from class I to V")
    return ("max" if kind == "max" else "min"), limits


def _load() -> tuple[
    tuple[Parameter, ...],
    dict[tuple[str, bool], ClassLimits],
    dict[str, float],
    tuple[str, ...],
]:
    text = (resources.files("envplan_core.standards") / "data" / _DATA_FILE).read_text(encoding="utf-8")
    parameters: dict[str, Parameter] = {}
    ladders: dict[tuple[str, bool], ClassLimits] = {}
    single: dict[str, float] = {}
    assessed: list[str] = []
    for row in csv.DictReader(io.StringIO(text)):
        if row["code"] not in _NAMES:
            raise ValueError(f"{_DATA_FILE}: no envplan id for the row coded {row['code']!r}")
        pid, name_en, aliases = _NAMES[row["code"]]
        source = f"GB 3838-2002 {row['table']}"
        printed = row["parameter_zh"]
        name_zh = _BASIS_NOTE.sub("", printed)
        if pid not in parameters:
            parameters[pid] = Parameter(
                id=pid,
                name_zh=name_zh,
                name_en=name_en,
                unit=_UNITS.get(row["unit"], row["unit"]),
                medium="surface_water",
                aliases=tuple(dict.fromkeys((printed, *aliases) if printed != name_zh else aliases)),
                lower_bound=None if pid == "water_temperature" else 0.0,
                upper_bound=14.0 if pid == "pH" else None,
                source=source,
            )
        if row["in_official_21_items"] == "yes" and pid not in assessed:
            assessed.append(pid)
        if row["single_limit"]:
            single[pid] = float(row["single_limit"])
        # Water temperature limits man-made change, and Table 2 has single limits: neither is a class.
        if row["limit_type"] == "text" or row["single_limit"]:
            continue
        comparison, limits = _parse_limits(row)
        applies = _APPLIES[row["applies_to"]]
        ladder = ClassLimits(pid, comparison, limits, applies, source)
        for lake in (False, True):
            if applies == "all" or (applies == "lake") == lake:
                ladders[pid, lake] = ladder
    return tuple(parameters.values()), ladders, single, tuple(assessed)


_PARAMETERS, _LADDERS, _SINGLE, _ASSESSED = _load()

#: Every GB 3838-2002 Table 1 and Table 2 item, in the standard's order.
PARAMETERS: Final[tuple[Parameter, ...]] = _PARAMETERS
BY_ID: Final[Mapping[str, Parameter]] = MappingProxyType({p.id: p for p in PARAMETERS})
#: The 21 section-assessment indicators of 环办〔2011〕22号 (Table 1 minus WT, TN, fecal coliforms).
ASSESSMENT_PARAMETERS: Final[tuple[str, ...]] = _ASSESSED
_ASSESSED_SET: Final = frozenset(_ASSESSED)
_ORDER: Final = {p.id: i for i, p in enumerate(PARAMETERS)}
_ALIAS: Final = {
    normalise_name(name): p.id for p in PARAMETERS for name in (p.id, p.name_zh, p.name_en, *p.aliases)
}


def _water_body(water_body_type: str) -> Literal["river", "lake"]:
    key = normalise_name(water_body_type)
    if key in _LAKE_NAMES:
        return "lake"
    if key in _RIVER_NAMES:
        return "river"
    raise DataError(f"unknown water-body type {water_body_type!r}: use 'river', 'lake' or 'reservoir'")


@functools.cache
def _other_standard_names() -> frozenset[str]:
    """Names of parameters other standards declare: ignored here rather than rejected as typos."""
    from envplan_core.standards import all_parameters as _all_parameters

    return frozenset(
        normalise_name(name)
        for p in _all_parameters()
        if p.id not in BY_ID
        for name in (p.id, p.name_zh, p.name_en, *p.aliases)
        if name
    )


def _gb3838_id(name: str) -> str | None:
    """Canonical id for a GB 3838 name; None for another standard's parameter; DataError otherwise."""
    pid = _ALIAS.get(normalise_name(name))
    if pid is not None:
        return pid
    if normalise_name(name) in _other_standard_names():
        return None
    raise DataError(f"unknown parameter {name!r}: not a GB 3838-2002 item nor any parameter envplan knows")


def _require_id(name: str) -> str:
    pid = _ALIAS.get(normalise_name(name))
    if pid is None:
        raise DataError(f"{name!r} is not a GB 3838-2002 parameter")
    return pid


def class_code(name: str) -> int:
    """Class code 1…6 for a class name: ``"III"``, ``"Ⅲ"``, ``"Ⅲ类"``, ``"3"``, ``"三类"``, ``"劣Ⅴ"`` …"""
    key = normalise_name(name).upper()  # NFKC turns Ⅲ into III and full-width digits into ASCII
    key = key.removesuffix("类").removeprefix("CLASS")
    for zh, roman in (("一", "I"), ("二", "II"), ("三", "III"), ("四", "IV"), ("五", "V")):
        key = key.replace(zh, roman)
    codes = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "劣V": 6, "劣5": 6}
    codes.update({str(code): code for code in range(1, 7)})
    if key not in codes:
        raise DataError(f"unknown surface-water class {name!r}")
    return codes[key]


def class_limits(parameter_id: str, *, water_body_type: str = "river") -> ClassLimits | None:
    """The class ladder that applies, or None (water temperature, river TN, Table 2 items)."""
    return _LADDERS.get((_require_id(parameter_id), _water_body(water_body_type) == "lake"))


def drinking_source_limit(parameter_id: str) -> float | None:
    """GB 3838-2002 Table 2 single limit (mg/L) for centralised drinking-water sources, or None."""
    return _SINGLE.get(_require_id(parameter_id))


def _classes(pid: str, values: npt.NDArray[np.float64], lake: bool) -> npt.NDArray[np.int8]:
    codes = np.zeros(values.shape, dtype=np.int8)
    ladder = _LADDERS.get((pid, lake))
    if ladder is None:
        return codes
    valid = ~np.isnan(values)
    limits = np.asarray(ladder.limits, dtype=np.float64)
    if ladder.comparison == "range":
        low, high = limits * (1 - _REL_TOL), limits * (1 + _REL_TOL)
        inside = (values >= low[0]) & (values <= high[1])
        found = np.where(inside, 1, len(CLASS_NAMES) - 1)
    elif ladder.comparison == "max":
        # First class whose limit is >= value: side="left" sends a value equal to two classes' limit
        # to the better class. Past class V's limit the index is 5, i.e. code 6 = 劣V.
        found = np.searchsorted(limits * (1 + _REL_TOL), values, side="left") + 1
    else:  # "min" (DO): negate so the limits ascend; value >= limit <=> -value <= -limit
        found = np.searchsorted(-(limits * (1 - _REL_TOL)), -values, side="left") + 1
    codes[valid] = np.asarray(found, dtype=np.int8)[valid]
    return codes


def parameter_classes(
    parameter_id: str, values: npt.ArrayLike, *, water_body_type: str = "river"
) -> npt.NDArray[np.int8]:
    """Class codes (1 = Ⅰ … 5 = Ⅴ, 6 = 劣Ⅴ; 0 = NaN or no class ladder) for an array of values.

    ``values`` are in the parameter's canonical unit (``BY_ID[id].unit``). ``parameter_id`` may be any
    alias. ``water_body_type`` is ``"river"`` or ``"lake"``/``"reservoir"``; it selects the TP row and
    whether TN is classified (lakes and reservoirs only).
    """
    array = np.asarray(values, dtype=np.float64)
    return _classes(_require_id(parameter_id), array, _water_body(water_body_type) == "lake")


@attrs.frozen
class SectionClass:
    """A section's class for one period under 环办〔2011〕22号.

    ``means`` are the values classified (canonical ids); ``per_parameter`` maps each GB 3838 item among
    them to its class name ("" when it has no class: water temperature, river TN, Table 2 items);
    ``limiting`` are the assessment items at the section's class; ``exceedance`` maps every item worse than
    class Ⅲ to ``(C − C_Ⅲ)/C_Ⅲ`` (not defined for pH and DO, which then have no entry);
    ``main_pollutants`` (only when the section is worse than Ⅲ) are at most three assessment items worse
    than Ⅲ: cyanide and heavy metals first, then by class, worst first, ties by exceedance multiple, DO and
    pH (no multiple) after the items of their class that have one; ``nondetect`` names the items whose
    value rests on non-detects.
    """

    class_code: int
    water_body_type: str
    means: Mapping[str, float] = attrs.field(converter=_readonly)
    per_parameter: Mapping[str, str] = attrs.field(converter=_readonly)
    limiting: tuple[str, ...] = ()
    main_pollutants: tuple[str, ...] = ()
    exceedance: Mapping[str, float] = attrs.field(converter=_readonly, factory=dict)
    nondetect: tuple[str, ...] = ()

    @property
    def class_name(self) -> str:
        return CLASS_NAMES[self.class_code]

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.class_code]

    @property
    def status_en(self) -> str:
        return STATUS_EN[self.class_code]


def _assemble(
    means: Mapping[str, float], codes: Mapping[str, int], water_body: str, nondetect: Collection[str]
) -> SectionClass:
    """Build the result from canonical-id means and their class codes (shared by every entry point)."""
    assessed = [p for p in means if p in _ASSESSED_SET and codes[p] > 0]
    worst = max((codes[p] for p in assessed), default=0)
    exceedance: dict[str, float] = {}
    for pid, value in means.items():
        ladder = _LADDERS.get((pid, water_body == "lake"))
        if ladder is not None and ladder.comparison == "max" and codes[pid] > _CLASS_III:
            limit = ladder.limits[2]
            exceedance[pid] = (value - limit) / limit
    main: tuple[str, ...] = ()
    if worst > _CLASS_III:
        over = [p for p in assessed if codes[p] > _CLASS_III]
        ranked = sorted(
            over,
            key=lambda p: (
                p not in _PRIORITY_POLLUTANTS,
                -codes[p],
                p not in exceedance,
                -exceedance.get(p, 0.0),
                _ORDER[p],
            ),
        )
        main = tuple(ranked[:_MAX_MAIN_POLLUTANTS])
    return SectionClass(
        class_code=worst,
        water_body_type=water_body,
        means=means,
        per_parameter={p: CLASS_NAMES[codes[p]] for p in means},
        limiting=tuple(p for p in assessed if codes[p] == worst),
        main_pollutants=main,
        exceedance=exceedance,
        nondetect=tuple(p for p in means if p in nondetect),
    )


def _canonical_means(means: Mapping[str, float]) -> dict[str, float]:
    found: dict[str, float] = {}
    for name, value in means.items():
        pid = _gb3838_id(name)
        if pid is None:
            continue
        if pid in found:
            raise DataError(f"parameter {pid!r} given twice (as {name!r} and another alias)")
        found[pid] = float(value)
    return {p: found[p] for p in sorted(found, key=_ORDER.__getitem__)}


def classify_section(
    means: Mapping[str, float], *, water_body_type: str = "river", nondetect: Collection[str] = ()
) -> SectionClass:
    """Class of one section from its period means (canonical units; any alias as key).

    Items outside the 21 (TN, fecal coliforms, water temperature, Table 2) do not set the class but are
    kept in ``per_parameter``. Parameters of other standards (e.g. transparency) are ignored; a name no
    standard knows raises :class:`DataError` so a misspelt indicator cannot silently improve the class.
    ``nondetect`` names the items whose mean rests on non-detects (half the detection limit).
    """
    water_body = _water_body(water_body_type)
    canonical = _canonical_means(means)
    flagged = {_require_id(n) for n in nondetect}
    codes = {
        pid: int(_classes(pid, np.asarray(value, dtype=np.float64), water_body == "lake"))
        for pid, value in canonical.items()
    }
    return _assemble(canonical, codes, water_body, flagged)


@attrs.frozen
class PeriodClass:
    """One (site, period) of :func:`classify_series`; ``n_samples`` counts the values in each mean."""

    site: Hashable
    period: str
    section: SectionClass
    n_samples: Mapping[str, int] = attrs.field(converter=_readonly)


def _column(name: str) -> int:
    pid = _gb3838_id(name)
    return -1 if pid is None else _ORDER[pid]


def classify_series(
    site_codes: npt.ArrayLike,
    parameter_ids: npt.ArrayLike,
    times: npt.ArrayLike,
    values: npt.ArrayLike,
    *,
    water_body_types: Mapping[Hashable, str] | str,
    period: Literal["month", "year"] = "year",
    censored: npt.ArrayLike | None = None,
    detection_limit: npt.ArrayLike | None = None,
) -> list[PeriodClass]:
    """Classify every (site, calendar month or year) of a long-format series, columnar throughout.

    Each (site, period, parameter) value is the arithmetic mean of its samples (环办〔2011〕22号 §一(二)).
    Non-detects (环办监测函〔2020〕82号 point 7, docs/inputs.md (conventions)) enter the mean as half the detection limit:

    * ``censored`` (bool per row) marks them. Without it, a row is censored when ``detection_limit`` is
      given and the value is missing (``ND``) or below it.
    * A censored row counts as ``detection_limit / 2``; without a detection limit for that row, its
      ``value`` is taken to be the detection limit (``<0.01`` read as 0.01) and counts as ``value / 2``.

    Rows with a missing value that is not a non-detect are left out. Rows of other standards' parameters
    are ignored (see :func:`classify_section`). ``water_body_types`` maps each site to ``"river"`` or
    ``"lake"``/``"reservoir"``, or is one type for every site. The result is sorted by site, then period,
    whatever the order of the rows; the sums are taken in sorted order, so it is bit-for-bit identical.
    """
    sites = np.asarray(site_codes)
    names = np.asarray(parameter_ids)
    stamps = np.asarray(times)
    vals = np.asarray(values, dtype=np.float64)
    n_rows = vals.shape[0] if vals.ndim == 1 else -1
    flags = None if censored is None else np.asarray(censored, dtype=bool)
    dl = None if detection_limit is None else np.asarray(detection_limit, dtype=np.float64)
    columns = [sites, names, stamps, vals]
    columns += [c for c in (flags, dl) if c is not None]
    if any(c.ndim != 1 or c.shape[0] != n_rows for c in columns):
        raise DataError("classify_series: every column must be one-dimensional and of the same length")
    if period not in ("month", "year"):
        raise ValueError(f"period must be 'month' or 'year', not {period!r}")
    unit: Literal["M", "Y"] = "M" if period == "month" else "Y"
    try:
        buckets: npt.NDArray[np.datetime64] = stamps.astype(f"datetime64[{unit}]")
    except (TypeError, ValueError) as exc:
        raise DataError(f"times must be dates or datetime64 values: {exc}", column="time") from exc
    if np.isnat(buckets).any():
        raise DataError("rows without a time", column="time")

    if flags is not None:
        cens = flags
    elif dl is not None:
        with np.errstate(invalid="ignore"):
            cens = ~np.isnan(dl) & (np.isnan(vals) | (vals < dl))
    else:
        cens = np.zeros(n_rows, dtype=bool)
    basis = vals if dl is None else np.where(np.isnan(dl), vals, dl)
    effective = np.where(cens, basis / 2.0, vals)

    unique_names, name_index = np.unique(names, return_inverse=True)
    column_of_name = np.array([_column(str(name)) for name in unique_names], dtype=np.int64)
    columns_all = column_of_name[name_index]
    keep = (columns_all >= 0) & ~np.isnan(effective)
    if not keep.any():
        return []

    unique_sites, site_index = np.unique(sites[keep], return_inverse=True)
    unique_periods, period_index = np.unique(buckets[keep], return_inverse=True)
    n_sites, n_periods, n_params = len(unique_sites), len(unique_periods), len(PARAMETERS)
    site_keys: list[Hashable] = unique_sites.tolist()
    if isinstance(water_body_types, str):
        lake_site = np.full(n_sites, _water_body(water_body_types) == "lake")
    else:
        missing = [s for s in site_keys if s not in water_body_types]
        if missing:
            raise DataError(f"no water-body type for sites {missing!r}", column="site")
        lake_site = np.array([_water_body(water_body_types[s]) == "lake" for s in site_keys], dtype=bool)

    # Group by sorting: one key per (site, period, parameter); within a group values are sorted, so the
    # sum does not depend on the order of the rows.
    key = (site_index.astype(np.int64) * n_periods + period_index) * n_params + columns_all[keep]
    x = effective[keep]
    order = np.lexsort((x, key))
    key_sorted, x_sorted, cens_sorted = key[order], x[order], cens[keep][order]
    starts = np.flatnonzero(np.concatenate(([True], key_sorted[1:] != key_sorted[:-1])))
    group = key_sorted[starts]
    counts = np.diff(np.append(starts, key_sorted.size))
    size = n_sites * n_periods * n_params
    mean = np.full(size, np.nan)
    mean[group] = np.add.reduceat(x_sorted, starts) / counts
    count = np.zeros(size, dtype=np.int64)
    count[group] = counts
    n_censored = np.zeros(size, dtype=np.int64)
    n_censored[group] = np.add.reduceat(cens_sorted.astype(np.int64), starts)
    shape = (n_sites, n_periods, n_params)
    mean_3d, count_3d, censored_3d = mean.reshape(shape), count.reshape(shape), n_censored.reshape(shape)

    codes = np.zeros(shape, dtype=np.int8)
    for j, parameter in enumerate(PARAMETERS):
        column = mean_3d[:, :, j]
        river, lake = _classes(parameter.id, column, False), _classes(parameter.id, column, True)
        codes[:, :, j] = np.where(lake_site[:, None], lake, river)

    labels = np.datetime_as_string(unique_periods, unit=unit)
    ids = [p.id for p in PARAMETERS]
    results: list[PeriodClass] = []
    for s, p in zip(*np.nonzero(count_3d.sum(axis=2)), strict=True):
        present = np.flatnonzero(count_3d[s, p])
        means = {ids[j]: float(mean_3d[s, p, j]) for j in present}
        section = _assemble(
            means,
            {ids[j]: int(codes[s, p, j]) for j in present},
            "lake" if lake_site[s] else "river",
            {ids[j] for j in present if censored_3d[s, p, j]},
        )
        n_samples = {ids[j]: int(count_3d[s, p, j]) for j in present}
        results.append(PeriodClass(site_keys[s], str(labels[p]), section, n_samples))
    return results


# River/basin status, 环办〔2011〕22号 as quoted by the Shenzhen bureau
# (surface_water_assessment_rules_2011.csv SW-05; docs/inputs.md (conventions)). "5个及以上" is inclusive.
_MIN_SECTIONS_FOR_PROPORTIONS: Final = 5


def classify_river(section_classes: Sequence[int]) -> tuple[str, str]:
    """Status (zh, en) of a river or basin with five or more sections, by class proportions.

    Ⅰ–Ⅲ ≥ 90 % 优; 75 % ≤ Ⅰ–Ⅲ < 90 % 良好; Ⅰ–Ⅲ < 75 % and 劣Ⅴ < 20 % 轻度污染, 20 % ≤ 劣Ⅴ < 40 %
    中度污染, 劣Ⅴ ≥ 40 % 重度污染. The 重度污染 row is read with "Ⅰ–Ⅲ < 75 %" (Shenzhen bureau page,
    reference README doubt 2). The recalled "< 60 %" differs only when Ⅰ–Ⅲ is exactly 60 % and 劣Ⅴ exactly
    40 %, a case it would leave without a status. Proportions are compared in integers, so a share exactly
    on a bound takes the status the bound opens. Fewer than five sections: use
    :func:`classify_river_means` (or :func:`assess_river`, which picks the method).
    """
    codes = np.asarray(section_classes, dtype=np.int64)
    n = codes.size
    if n < _MIN_SECTIONS_FOR_PROPORTIONS:
        raise ValueError(
            f"{n} sections: the proportion method needs at least 5; classify the means of all sections"
        )
    if ((codes < 1) | (codes > len(CLASS_NAMES) - 1)).any():
        raise DataError("section classes must be codes 1 (Ⅰ) to 6 (劣Ⅴ); classify every section first")
    good = int((codes <= _CLASS_III).sum()) * 100
    worst = int((codes == len(CLASS_NAMES) - 1).sum()) * 100
    if good >= 90 * n:
        return "优", "excellent"
    if good >= 75 * n:
        return "良好", "good"
    if worst < 20 * n:
        return "轻度污染", "slightly polluted"
    if worst < 40 * n:
        return "中度污染", "moderately polluted"
    return "重度污染", "heavily polluted"


def classify_river_means(
    section_means: Sequence[Mapping[str, float]],
    *,
    water_body_type: str = "river",
    nondetect: Collection[str] = (),
) -> SectionClass:
    """Class of a river or basin with fewer than five sections: each item averaged over all sections.

    An item missing (or NaN) at a section is averaged over the sections that have it.
    """
    stacked: dict[str, list[float]] = {}
    for means in section_means:
        for pid, value in _canonical_means(means).items():
            stacked.setdefault(pid, []).append(value)
    averaged: dict[str, float] = {}
    for pid, series in stacked.items():
        array = np.asarray(series, dtype=np.float64)
        array = array[~np.isnan(array)]
        averaged[pid] = float(array.mean()) if array.size else float("nan")
    return classify_section(averaged, water_body_type=water_body_type, nondetect=nondetect)


def assess_river(
    section_means: Sequence[Mapping[str, float]], *, water_body_type: str = "river"
) -> tuple[str, str]:
    """River/basin status (zh, en): class proportions with ≥ 5 sections, else the class of the means."""
    if len(section_means) >= _MIN_SECTIONS_FOR_PROPORTIONS:
        classes = [classify_section(m, water_body_type=water_body_type).class_code for m in section_means]
        return classify_river(classes)
    result = classify_river_means(section_means, water_body_type=water_body_type)
    return result.status_zh, result.status_en

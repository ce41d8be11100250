"""GB/T 14848-2017 groundwater quality classes (地下水质量标准): single-indicator and point classes.

The limits are data: ``data/gbt14848_2017_groundwater.csv`` is a verbatim copy of the reference table
(GB/T 14848-2017 Table 1, 39 routine items, and Table 2, 54 non-routine items, taken from
``github:sm1lewc/Silence.Water`` ``Silence.Water/Groundwater/Data/GBT_14848_2017.json`` and, for the
39 routine items, cross-checked against ``github:thincen/WorkHelper`` ``std/wel.go``; the non-routine
items rest on Silence.Water alone — see the reference README, doubt 6, and the CSV's ``source``
column). This module only parses it and applies the rules. Sections are those of the 2017 text
(§4 classes and indicators, §5 survey and monitoring, §6 evaluation; table of contents as listed at
https://www.gb-gbt.com/PDF/Chinese.aspx/GBT14848-2017). The wording of §6.2 and §6.3 is quoted from
public implementations, and §6.2's example is the one of GB/T 14848-93 §6.2; the 2017 PDF was not read.

* **Units.** Every mass concentration is held in mg/L. Table 1 items 34–37 and most of Table 2 are
  printed in µg/L; their limits are converted exactly (in decimal, ``0.5 µg/L`` → ``0.0005 mg/L``), so
  later water standards in mg/L (GB 3838 Table 3, GB 5749) can share their ids. Colour is a plain number in Pt-Co units until the
  shared registry has a unit for it (``度``, ``PCU``, ``Hazen`` and ``铂钴色度单位`` are read as it);
  turbidity is NTU, total coliforms MPN/100mL (CFU and 个 count the same), colony count CFU/mL, gross
  α/β Bq/L, pH a plain number. A value in a unit of the wrong dimension raises
  :class:`~envplan_core.errors.UnitError`; :func:`to_canonical` converts.
* **Single indicator** (§6.2): the class is the *best* class whose limit the value meets, so equal limits
  in adjacent classes go to the better class (从优不从劣; the standard's example: volatile phenols at
  0.001 mg/L is class Ⅰ, not Ⅱ). ``max`` items meet a limit when ``value <= limit``; above the class Ⅳ
  limit is class Ⅴ.
* **pH**: Ⅰ–Ⅲ 6.5 ≤ pH ≤ 8.5; Ⅳ 5.5 ≤ pH < 6.5 or 8.5 < pH ≤ 9.0; Ⅴ pH < 5.5 or pH > 9.0 (both ends
  of the Ⅰ–Ⅲ range and of the Ⅳ range are inclusive; WorkHelper ``core/wel.go`` ``welPH`` agrees).
* **嗅和味, 肉眼可见物**: 无 → Ⅰ, 有 → Ⅴ (Ⅰ–Ⅳ are all printed 无). Values are numbers, ``0`` for 无 and
  anything above 0 for 有 (a 臭和味 intensity grade 0–5 reads the same way); :func:`presence` reads
  无/有, none/present, no/yes, 未检出/检出 and texts starting with 无 or 未 (absent) or 有 (present).
* **Anionic surfactants**, class Ⅰ "不得检出": a non-detect is class Ⅰ whatever its detection limit; a
  measured value is class Ⅰ only when it is 0 (held as a class Ⅰ limit of 0), so a detected value up
  to 0.1 mg/L is class Ⅱ. In a mean, a non-detect without a detection limit counts as 0.
* **Gross α and β**: classes Ⅳ and Ⅴ are both printed "> class Ⅲ limit"; 从优不从劣 gives Ⅳ, so these
  items never reach Ⅴ (Silence.Water and WorkHelper do the same). Above class Ⅲ the result carries a
  note: the Table 1 footnote asks for nuclide analysis and evaluation (reference CSV notes; the
  footnote itself was not re-read).
* **Tolerance.** A value within one part in 10⁹ of a limit counts as meeting it (``_REL_TOL``, as in
  :mod:`.gb3838`): it only absorbs binary noise from unit conversion (``0.5 µg/L × 0.001``) and means.
* **Point class** (§6.3): the worst single-indicator class; the result names the items at that class
  (``limiting``), the multiples ``(C − C_Ⅲ)/C_Ⅲ`` of the ``max`` items worse than class Ⅲ
  (``exceedance``), the items judged, and the routine items missing. Names of other standards'
  parameters (DO, COD …) are ignored; a name no standard knows raises
  :class:`~envplan_core.errors.DataError`.
* **Non-detects, one sample.** A value below the detection limit is classified *at* the detection
  limit: class Ⅰ when the limit is at or below the class Ⅰ limit, otherwise the best class whose limit
  is at or above it (a non-detect only proves the value is not above its detection limit). Public
  implementations differ here: Silence.Water calls every ``…L`` value class Ⅰ; WorkHelper leaves an item
  whose detection limit exceeds the class Ⅰ limit unclassified; the rule here keeps the item in the
  point class without claiming more than the measurement shows.
* **Means** (per period, per item): the arithmetic mean, a non-detect entering as half its detection
  limit (the convention of ``docs/inputs.md``); the class of the mean. An item whose samples are *all*
  non-detects is a non-detect itself and is classified by the one-sample rule at the highest detection
  limit (so a one-sample period equals the sample, and all-non-detect anionic surfactants stay class
  Ⅰ); it gets no exceedance multiple. Sums use ``math.fsum``, so row order never changes a mean. pH is
  averaged like the rest, which can hide excursions on both sides (classify the samples to see them).
  The 2017 text gives no aggregation rule that we have read; GB/T 14848-93 §6.4 allowed annual means.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from importlib import resources
from types import MappingProxyType
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.errors import DataError
from envplan_core.parameters import Parameter, normalise_name, presence_value
from envplan_core.standards import gb3838
from envplan_core.standards._gbt14848_names import NAMES
from envplan_core.units import check_dimension, convert_array

__all__ = [
    "BY_ID",
    "CLASS_NAMES",
    "NON_ROUTINE_PARAMETERS",
    "PARAMETERS",
    "ROUTINE_PARAMETERS",
    "SHARED_WITH_GB3838",
    "ClassLimits",
    "PointClass",
    "class_code",
    "class_limits",
    "classify_period",
    "classify_sample",
    "parameter_classes",
    "presence",
    "resolve",
    "to_canonical",
    "to_canonical_array",
]

_DATA_FILE: Final = "gbt14848_2017_groundwater.csv"

#: Class names by class code; code 0 means "not classified" (no value).
CLASS_NAMES: Final = ("", "I", "II", "III", "IV", "V")
_CLASS_III: Final = 3
_CLASS_V: Final = 5
# See the module docstring: absorbs float noise only, never a real difference (same as gb3838).
_REL_TOL: Final = 1e-9

Comparison = Literal["max", "range", "presence"]

# The CSV's unit cells: canonical unit and the exact factor from the printed unit.
_UNITS: Final[dict[str, tuple[str, Decimal]]] = {
    "mg/L": ("mg/L", Decimal(1)),
    "μg/L": ("mg/L", Decimal("0.001")),
    "dimensionless": ("dimensionless", Decimal(1)),
    "-": ("dimensionless", Decimal(1)),
    "铂钴色度单位 (Pt-Co colour units)": ("dimensionless", Decimal(1)),
    "NTU": ("NTU", Decimal(1)),
    "MPN/100mL or CFU/100mL": ("MPN/100mL", Decimal(1)),
    "CFU/mL": ("CFU/mL", Decimal(1)),
    "Bq/L": ("Bq/L", Decimal(1)),
}
# Colour's unit spellings (铂钴色度单位, a plain number on the platinum-cobalt scale): Parameter.unit_spellings.
_COLOUR_UNITS: Final = ("度", "铂钴色度单位", "铂钴色度", "Pt-Co", "PCU", "Hazen", "HU", "CU")
_UNIT_NOTE: Final = re.compile(r"（铂钴色度单位）$")
_NOT_DETECTED: Final = "不得检出"
_RADIOACTIVITY: Final = frozenset({"gross_alpha", "gross_beta"})
_RADIOACTIVITY_NOTE: Final = (
    "{pid} above class III: GB/T 14848-2017 Table 1 footnote — nuclide analysis and evaluation required "
    "(超过放射性指标限值，应进行核素分析和评价)"
)
_IV_RANGE: Final = re.compile(r"([\d.]+)-([\d.]+) or ([\d.]+)-([\d.]+)")
_V_RANGE: Final = re.compile(r"<([\d.]+) or >([\d.]+)")


def _readonly(mapping: Mapping[str, object]) -> Mapping[str, Any]:
    """Converter: a read-only copy, so a frozen result cannot be changed through a mapping it holds."""
    return MappingProxyType(dict(mapping))


@attrs.frozen
class ClassLimits:
    """The class ladder of one GB/T 14848-2017 item, in the item's canonical unit.

    ``bounds`` holds ``(low, high)`` for classes Ⅰ–Ⅳ: a value is in the best class whose bounds contain
    it (inclusive), class Ⅴ otherwise. ``max`` items have ``low = -inf``; ``range`` is pH; ``presence``
    items (嗅和味, 肉眼可见物) have ``high = 0`` (无). ``printed`` are the five cells as the CSV prints
    them, in ``printed_unit``. ``not_detected_class_i``: class Ⅰ is "不得检出" (anionic surfactants).
    """

    parameter_id: str
    item_no: int
    routine: bool
    comparison: Comparison
    bounds: tuple[tuple[float, float], ...]
    printed: tuple[str, ...]
    printed_unit: str
    not_detected_class_i: bool
    source: str

    @property
    def limits(self) -> tuple[float, ...]:
        """Upper limits of classes Ⅰ–Ⅳ (``inf``: gross α/β have no class Ⅳ limit)."""
        return tuple(high for _, high in self.bounds)

    @property
    def class_iii(self) -> float | None:
        """The class Ⅲ limit exceedance multiples are measured against (None for pH and text items)."""
        return self.bounds[2][1] if self.comparison == "max" else None


def _decimal(cell: str, scale: Decimal, item: str) -> float:
    try:
        return float(Decimal(cell) * scale)
    except ArithmeticError as exc:
        raise ValueError(f"{_DATA_FILE}: item {item}: {cell!r} is not a number") from exc


def _parse_ladder(row: Mapping[str, str]) -> tuple[Comparison, tuple[tuple[float, float], ...], bool]:
    cells = [row[f"class_{c}"] for c in ("I", "II", "III", "IV", "V")]
    item, kind = row["item_no"], row["limit_type"]
    inf = math.inf
    if kind == "text":
        if cells != ["无"] * 4 + ["有"]:
            raise ValueError(f"{_DATA_FILE}: item {item}: text classes are not 无…无/有: {cells}")
        return "presence", ((-inf, 0.0),) * 4, False
    if kind == "range":
        iv, v = _IV_RANGE.fullmatch(cells[3]), _V_RANGE.fullmatch(cells[4])
        if len(set(cells[:3])) != 1 or iv is None or v is None:
            raise ValueError(f"{_DATA_FILE}: item {item}: unexpected range cells {cells}")
        low, high = (float(x) for x in cells[0].split("-"))
        a, b, c, d = (float(x) for x in iv.groups())
        # Ⅳ is [a, low) ∪ (high, d], adjacent to the Ⅰ–Ⅲ range; Ⅴ is everything outside [a, d].
        if (b, c) != (low, high) or (float(v.group(1)), float(v.group(2))) != (a, d):
            raise ValueError(f"{_DATA_FILE}: item {item}: ranges of classes III, IV and V do not fit")
        return "range", ((low, high),) * 3 + ((a, d),), False
    if kind != "max":
        raise ValueError(f"{_DATA_FILE}: item {item}: unknown limit_type {kind!r}")
    scale = _UNITS[row["unit"]][1]
    not_detected = cells[0].startswith(_NOT_DETECTED)
    highs: list[float] = []
    for k, cell in enumerate(cells[:4]):
        if k == 0 and not_detected:
            highs.append(0.0)
        elif k == 3 and cell == ">" + cells[2]:  # gross α/β: Ⅳ (and Ⅴ) printed as "> Ⅲ limit"
            highs.append(inf)
        else:
            highs.append(_decimal(cell, scale, item))
    if cells[4] != ">" + (cells[2] if highs[3] == inf else cells[3]):
        raise ValueError(f"{_DATA_FILE}: item {item}: class V {cells[4]!r} is not '>' the last limit")
    if highs != sorted(highs):
        raise ValueError(f"{_DATA_FILE}: item {item}: limits are out of order from class I to IV")
    return "max", tuple((-inf, h) for h in highs), not_detected


def _load() -> tuple[tuple[Parameter, ...], dict[str, ClassLimits]]:
    text = (resources.files("envplan_core.standards") / "data" / _DATA_FILE).read_text(encoding="utf-8")
    parameters: list[Parameter] = []
    ladders: dict[str, ClassLimits] = {}
    for row in csv.DictReader(io.StringIO(text)):
        item = int(row["item_no"])
        if item not in NAMES or row["unit"] not in _UNITS:
            raise ValueError(f"{_DATA_FILE}: no envplan id or unit for item {item} ({row['unit']!r})")
        pid, aliases = NAMES[item]
        routine = row["routine"].startswith("常规")
        source = f"GB/T 14848-2017 {'表1' if routine else '表2'}"
        unit = _UNITS[row["unit"]][0]
        printed, name_en = row["parameter_zh"], row["parameter_en"]
        name_zh = _UNIT_NOTE.sub("", printed)
        shared = gb3838.BY_ID.get(pid)
        if shared is not None and shared.unit != unit:
            raise ValueError(f"{pid}: GB 3838 holds it in {shared.unit}, GB/T 14848 in {unit}")
        extra = () if shared is None else (shared.name_zh, shared.name_en, *shared.aliases)
        names = [n for n in (printed, *aliases, *extra) if n and n not in (pid, name_zh, name_en)]
        parameters.append(
            Parameter(
                id=pid,
                name_zh=name_zh,
                name_en=name_en,
                unit=unit,
                medium="groundwater",
                aliases=tuple(dict.fromkeys(names)),
                lower_bound=0.0,
                upper_bound=14.0 if pid == "pH" else None,
                source=source,
                presence=row["limit_type"] == "text",
                unit_spellings=_COLOUR_UNITS if pid == "colour" else (),
            )
        )
        comparison, bounds, not_detected = _parse_ladder(row)
        cells = tuple(row[f"class_{c}"] for c in ("I", "II", "III", "IV", "V"))
        ladders[pid] = ClassLimits(
            pid, item, routine, comparison, bounds, cells, row["unit"], not_detected, f"{source} 序号{item}"
        )
    return tuple(parameters), ladders


def _alias_index(parameters: tuple[Parameter, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for p in parameters:
        for name in (p.id, p.name_zh, p.name_en, *p.aliases):
            if index.setdefault(normalise_name(name), p.id) != p.id:
                raise ValueError(
                    f"{_DATA_FILE}: {name!r} names both {index[normalise_name(name)]} and {p.id}"
                )
    return index


_PARAMETERS, _LADDERS = _load()

#: Every GB/T 14848-2017 item (Table 1 then Table 2), in the standard's order.
PARAMETERS: Final[tuple[Parameter, ...]] = _PARAMETERS
BY_ID: Final[Mapping[str, Parameter]] = MappingProxyType({p.id: p for p in PARAMETERS})
#: The 39 routine items (常规指标, Table 1) and the 54 non-routine items (非常规指标, Table 2).
ROUTINE_PARAMETERS: Final = tuple(p for p, lad in _LADDERS.items() if lad.routine)
NON_ROUTINE_PARAMETERS: Final = tuple(p for p, lad in _LADDERS.items() if not lad.routine)
#: Ids this standard shares with GB 3838-2002 (same substance, same canonical unit).
SHARED_WITH_GB3838: Final = tuple(p.id for p in PARAMETERS if p.id in gb3838.BY_ID)
_ORDER: Final = {p.id: i for i, p in enumerate(PARAMETERS)}
_ALIAS: Final = _alias_index(PARAMETERS)


@functools.cache
def _other_standard_names() -> frozenset[str]:
    """Names of parameters other standards declare: ignored here rather than rejected as typos."""
    from envplan_core.standards import all_parameters

    return frozenset(
        normalise_name(name)
        for p in all_parameters()
        if p.id not in BY_ID
        for name in (p.id, p.name_zh, p.name_en, *p.aliases)
        if name
    )


def resolve(name: str) -> str:
    """The canonical id of a GB/T 14848-2017 item from any of its names; :class:`DataError` otherwise."""
    pid = _ALIAS.get(normalise_name(name))
    if pid is None:
        raise DataError(f"{name!r} is not a GB/T 14848-2017 item")
    return pid


def _gw_id(name: str) -> str | None:
    """Canonical id; None for another standard's parameter; :class:`DataError` for an unknown name."""
    pid = _ALIAS.get(normalise_name(name))
    if pid is not None:
        return pid
    if normalise_name(name) in _other_standard_names():
        return None
    raise DataError(f"unknown parameter {name!r}: not a GB/T 14848-2017 item nor any parameter envplan knows")


def class_code(name: str) -> int:
    """Class code 1…5 for a class name: ``"III"``, ``"Ⅲ"``, ``"Ⅲ类"``, ``"3"``, ``"三类"`` …"""
    try:
        code = gb3838.class_code(name)
    except DataError:
        code = 0
    if not 1 <= code <= _CLASS_V:
        raise DataError(f"unknown groundwater class {name!r}: classes are I to V (there is no 劣V)")
    return code


def class_limits(parameter_id: str) -> ClassLimits:
    """The class ladder of an item (any alias)."""
    return _LADDERS[resolve(parameter_id)]


# -- units and values ------------------------------------------------------------------------------------


def to_canonical_array(parameter_id: str, values: npt.ArrayLike, unit: str) -> npt.NDArray[np.float64]:
    """Convert ``values`` in ``unit`` to the item's canonical unit (``BY_ID[id].unit``), as one array.

    Raises :class:`UnitError` for an unknown unit or one of the wrong dimension (a mass concentration
    for pH or turbidity, µg/m³ for a water item …). Dimensionless items accept only a plain number's
    spelling (``无量纲``, ``-``, ``pH``; colour also ``度``, ``PCU``, ``Hazen``), not ``%``.
    """
    pid = resolve(parameter_id)
    parameter = BY_ID[pid]
    array = np.asarray(values, dtype=np.float64)
    if parameter.spells_unit(unit):  # colour's 度, PCU, Hazen …
        return array
    check_dimension(unit, parameter.unit, parameter=pid)  # "%" is no plain number (units.is_plain_number)
    return convert_array(array, unit, parameter.unit)


def to_canonical(parameter_id: str, value: float, unit: str) -> float:
    """One value in ``unit`` converted to the item's canonical unit (see :func:`to_canonical_array`)."""
    return float(to_canonical_array(parameter_id, value, unit))


def presence(value: str | float) -> float:
    """A text item's value as a number: 0.0 for 无 (absent), positive for 有 (present), NaN for missing.

    Numbers pass through (0 absent; an intensity grade above 0 present; negative raises). Texts: see the
    module docstring; ``"2级"`` reads as grade 2. Anything else raises :class:`DataError`.
    """
    if isinstance(value, str):
        read = presence_value(value)
        if read is None:
            try:
                read = float(normalise_name(value))
            except ValueError:
                raise DataError(f"{value!r} is neither 无/有 (absent/present) nor a number") from None
        number = read
    else:
        number = float(value)
    if number < 0 or math.isinf(number):
        raise DataError(f"{value!r} is not a valid presence value (0 = 无, above 0 = 有)")
    return number


def _as_values(pid: str, values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    array = np.asarray(values)
    if array.dtype.kind in "biuf":
        return array.astype(np.float64)
    if _LADDERS[pid].comparison == "presence":
        flat = [presence(v) if v is not None else math.nan for v in array.ravel().tolist()]
        return np.asarray(flat, dtype=np.float64).reshape(array.shape)
    try:
        return array.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{pid}: values must be numbers ({exc})") from exc


def _check_range(pid: str, values: npt.NDArray[np.float64]) -> None:
    p = BY_ID[pid]
    low = -math.inf if p.lower_bound is None else p.lower_bound
    high = math.inf if p.upper_bound is None else p.upper_bound
    bad = ~np.isnan(values) & ((values < low) | (values > high) | np.isinf(values))
    if bad.any():
        raise DataError(f"{pid}: value {float(values[bad][0])!r} is outside [{low}, {high}] ({p.unit})")


# -- classification --------------------------------------------------------------------------------------


def _codes(ladder: ClassLimits, values: npt.NDArray[np.float64]) -> npt.NDArray[np.int8]:
    """Class codes for canonical values: 0 for NaN, else the best class whose bounds contain the value."""
    found = np.full(values.shape, _CLASS_V, dtype=np.int8)
    for k in range(3, -1, -1):  # worst first, so the best class containing the value is written last
        low, high = ladder.bounds[k]
        inside = (values >= low * (1 - _REL_TOL)) & (values <= high * (1 + _REL_TOL))
        found[inside] = k + 1
    found[np.isnan(values)] = 0
    return found


def _censored_codes(
    ladder: ClassLimits, limit: npt.NDArray[np.float64], flags: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int8]:
    """Codes of non-detects classified at their detection limit ``limit`` (the one-sample rule)."""
    pid = ladder.parameter_id
    if ladder.comparison != "max":
        raise DataError(f"{pid} has no detection limit: it cannot be a non-detect")
    if ladder.not_detected_class_i:  # "不得检出": a non-detect meets class Ⅰ by definition
        return np.where(flags, 1, 0).astype(np.int8)
    if np.isnan(limit[flags]).any():
        raise DataError(f"{pid}: a non-detect needs its detection limit ('<0.01', '0.01L' or a DL column)")
    return np.where(flags, _codes(ladder, limit), 0).astype(np.int8)


def parameter_classes(
    parameter_id: str,
    values: npt.ArrayLike,
    *,
    unit: str | None = None,
    censored: npt.ArrayLike | None = None,
) -> npt.NDArray[np.int8]:
    """Class codes (1 = Ⅰ … 5 = Ⅴ; 0 = NaN) of single samples, vectorised.

    ``values`` are in ``unit`` (default: the canonical unit). ``censored`` marks non-detects, whose value
    is their detection limit (one-sample rule, module docstring). Text items take 0/1 (or grades) or
    their texts (:func:`presence`). Negative values, and pH above 14, raise :class:`DataError`.
    """
    pid = resolve(parameter_id)
    ladder = _LADDERS[pid]
    array = _as_values(pid, values)
    if unit is not None:
        array = to_canonical_array(pid, array, unit)
    _check_range(pid, array)
    codes = _codes(ladder, array)
    if censored is None:
        return codes
    flags = np.broadcast_to(np.asarray(censored, dtype=bool), array.shape)
    if not flags.any():
        return codes
    return np.where(flags, _censored_codes(ladder, array, flags), codes).astype(np.int8)


@attrs.frozen
class PointClass:
    """The class of one monitoring point (well) for one sample or one period (GB/T 14848-2017 §6.3).

    ``values`` are the values classified (canonical ids and units: the sample's values or the period
    means); ``per_parameter`` their class names; ``limiting`` the items at the point's class;
    ``exceedance`` maps every ``max`` item worse than class Ⅲ to ``(C − C_Ⅲ)/C_Ⅲ`` (none for pH, text
    items and items resting only on non-detects); ``missing`` are the routine items without a value;
    ``nondetect`` the items with at least one non-detect; ``n_samples`` the samples behind each value;
    ``notes`` what the standard asks beyond the class (gross α/β above class Ⅲ).
    """

    class_code: int
    values: Mapping[str, float] = attrs.field(converter=_readonly)
    per_parameter: Mapping[str, str] = attrs.field(converter=_readonly)
    limiting: tuple[str, ...] = ()
    exceedance: Mapping[str, float] = attrs.field(converter=_readonly, factory=dict)
    missing: tuple[str, ...] = ()
    nondetect: tuple[str, ...] = ()
    n_samples: Mapping[str, int] = attrs.field(converter=_readonly, factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def class_name(self) -> str:
        return CLASS_NAMES[self.class_code]

    @property
    def judged(self) -> tuple[str, ...]:
        """The items classified, in the standard's order."""
        return tuple(p for p, name in self.per_parameter.items() if name)


_Group = tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.float64]]
_BELOW: Final = re.compile(r"^<\s*(\S+)$|^(\S+?)\s*[Ll]$")
_ND_WORDS: Final = frozenset(normalise_name(t) for t in ("ND", "N.D.", "未检出", "not detected", "<DL"))


def _parse_cell(pid: str, cell: object) -> tuple[float, bool, float]:
    """(value, censored, detection limit written in the cell or NaN) of one reported value."""
    if cell is None:
        return math.nan, False, math.nan
    if _LADDERS[pid].comparison == "presence":
        if not isinstance(cell, (str, int, float)):
            raise DataError(f"{pid}: {cell!r} is neither 无/有 nor a number")
        return presence(cell), False, math.nan
    if isinstance(cell, str):
        text = cell.strip()
        if normalise_name(text) in _ND_WORDS:
            return math.nan, True, math.nan
        below = _BELOW.match(text)
        try:
            if below is not None:
                limit = float(below.group(1) or below.group(2))
                return limit, True, limit
            return float(text), False, math.nan
        except ValueError:
            raise DataError(
                f"{pid}: {cell!r} is not a number ('<0.01', '0.01L' or 'ND' for non-detects)"
            ) from None
    if not isinstance(cell, (int, float, np.number)):
        raise DataError(f"{pid}: {cell!r} is not a number")
    try:
        return float(cell), False, math.nan
    except (TypeError, ValueError):
        raise DataError(f"{pid}: {cell!r} is not a number") from None


def _unit_key(unit: object) -> str | None:
    if unit is None or (isinstance(unit, float) and math.isnan(unit)):
        return None
    return str(unit)


def _gather(
    names: npt.NDArray[Any],
    cells: npt.NDArray[Any],
    units: npt.NDArray[Any] | None,
    flags: npt.NDArray[np.bool_],
    limits: npt.NDArray[np.float64],
) -> dict[str, _Group]:
    """Canonical (value, censored, detection limit) arrays per item; rows of other standards dropped."""
    ids: dict[str, str | None] = {}
    rows: dict[tuple[str, str | None], list[int]] = {}
    for i, name in enumerate(names.tolist()):
        key = str(name)
        if key not in ids:
            ids[key] = _gw_id(key)
        pid = ids[key]
        if pid is not None:
            rows.setdefault((pid, None if units is None else _unit_key(units[i])), []).append(i)
    parts: dict[str, list[_Group]] = {}
    for (pid, unit), idx in rows.items():
        parsed = [_parse_cell(pid, cells[i]) for i in idx]
        value = np.array([p[0] for p in parsed], dtype=np.float64)
        cens = np.array([p[1] for p in parsed], dtype=bool) | flags[idx]
        written = np.array([p[2] for p in parsed], dtype=np.float64)
        # Detection limit: the DL column, else the one in the cell, else the value itself (<0.01 → 0.01);
        # for anionic surfactants ("不得检出") a non-detect without any counts as 0, the class Ⅰ limit.
        dl = np.where(np.isnan(limits[idx]), np.where(np.isnan(written), value, written), limits[idx])
        if _LADDERS[pid].not_detected_class_i:
            dl = np.where(cens & np.isnan(dl), 0.0, dl)
        if unit is not None:
            value, dl = to_canonical_array(pid, value, unit), to_canonical_array(pid, dl, unit)
        parts.setdefault(pid, []).append((value, cens, dl))
    return {
        pid: (
            np.concatenate([g[0] for g in groups]),
            np.concatenate([g[1] for g in groups]),
            np.concatenate([g[2] for g in groups]),
        )
        for pid, groups in parts.items()
    }


def _summarise(
    pid: str, value: npt.NDArray[np.float64], cens: npt.NDArray[np.bool_], dl: npt.NDArray[np.float64]
) -> tuple[float, int, int]:
    """(mean, class code, number of samples) of one item; code 0 when it has no usable sample."""
    ladder = _LADDERS[pid]
    keep = cens | ~np.isnan(value)
    value, cens, dl = value[keep], cens[keep], dl[keep]
    n = int(value.size)
    if n == 0:
        return math.nan, 0, 0
    _check_range(pid, np.where(cens, dl, value))
    if cens.all():  # a mean of non-detects is a non-detect: one-sample rule at the highest limit
        code = int(_censored_codes(ladder, np.array([np.max(dl)]), np.array([True]))[0])
        return math.fsum((dl / 2).tolist()) / n, code, n
    if cens.any():
        _censored_codes(ladder, dl, cens)  # validates: a detection limit for every non-detect
    effective = np.where(cens, dl / 2, value)
    mean = math.fsum(effective.tolist()) / n
    return mean, int(_codes(ladder, np.array([mean]))[0]), n


def _assemble(groups: Mapping[str, _Group]) -> PointClass:
    means: dict[str, float] = {}
    codes: dict[str, int] = {}
    counts: dict[str, int] = {}
    nondetect: list[str] = []
    only_nd: set[str] = set()
    for pid in sorted(groups, key=_ORDER.__getitem__):
        value, cens, dl = groups[pid]
        mean, code, n = _summarise(pid, value, cens, dl)
        if n == 0:
            continue
        means[pid], codes[pid], counts[pid] = mean, code, n
        kept = cens[cens | ~np.isnan(value)]
        if kept.any():
            nondetect.append(pid)
        if kept.all():
            only_nd.add(pid)
    worst = max(codes.values(), default=0)
    exceedance: dict[str, float] = {}
    for pid, code in codes.items():
        limit = _LADDERS[pid].class_iii
        if limit is not None and code > _CLASS_III and pid not in only_nd:
            exceedance[pid] = (means[pid] - limit) / limit
    notes = tuple(
        _RADIOACTIVITY_NOTE.format(pid=p) for p in codes if p in _RADIOACTIVITY and codes[p] > _CLASS_III
    )
    return PointClass(
        class_code=worst,
        values=means,
        per_parameter={p: CLASS_NAMES[c] for p, c in codes.items()},
        limiting=tuple(p for p, c in codes.items() if worst and c == worst),
        exceedance=exceedance,
        missing=tuple(p for p in ROUTINE_PARAMETERS if p not in codes),
        nondetect=tuple(nondetect),
        n_samples=counts,
        notes=notes,
    )


def _column(values: object, n: int, name: str, dtype: Any) -> npt.NDArray[Any] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return np.full(n, values, dtype=object)
    array = np.asarray(values, dtype=dtype)
    if array.ndim != 1 or array.shape[0] != n:
        raise DataError(f"classify_period: {name} must be one-dimensional with one entry per row")
    return array


def classify_period(
    parameter_ids: npt.ArrayLike,
    values: npt.ArrayLike | Sequence[object],
    *,
    units: npt.ArrayLike | Sequence[str | None] | None = None,
    censored: npt.ArrayLike | None = None,
    detection_limit: npt.ArrayLike | None = None,
) -> PointClass:
    """Class of one point over a period from its samples in long format (one row per value).

    Each item's value is the arithmetic mean of its rows, non-detects at half the detection limit (rules
    in the module docstring). ``parameter_ids`` are any names; rows of other standards' parameters are
    ignored, unknown names raise :class:`DataError`. ``values`` are numbers, ``'<0.01'``/``'0.01L'``
    (below 0.01), ``'ND'``/``'未检出'`` (with ``detection_limit``), or 无/有 for text items; NaN rows
    are left out. ``units`` (one per row, or one for all; None = canonical) apply to the value and the
    detection limit. ``censored`` marks non-detects explicitly. The result does not depend on row order.
    """
    names = np.asarray(parameter_ids, dtype=object)
    if names.ndim != 1:
        raise DataError("classify_period: parameter_ids must be one-dimensional")
    n = names.shape[0]
    cells = _column(values, n, "values", object)
    assert cells is not None
    unit_col = _column(units, n, "units", object)
    flags = _column(censored, n, "censored", bool)
    limits = _column(detection_limit, n, "detection_limit", np.float64)
    return _assemble(
        _gather(
            names,
            cells,
            unit_col,
            np.zeros(n, dtype=bool) if flags is None else flags,
            np.full(n, np.nan) if limits is None else limits,
        )
    )


def classify_sample(
    values: Mapping[str, float | str],
    *,
    units: Mapping[str, str] | None = None,
    nondetect: Collection[str] = (),
) -> PointClass:
    """Class of one sample: ``values`` by item name (any alias), in canonical units unless ``units`` says.

    ``nondetect`` names items whose value is a detection limit (the sample was below it); ``'<0.01'``
    and ``'0.01L'`` say the same in the value itself. Each item is classified on its own (§6.2) and the
    point takes the worst class (§6.3). Giving one item twice (under two aliases) raises
    :class:`DataError`.
    """
    seen: dict[str, str] = {}
    for name in values:
        pid = _gw_id(name)
        if pid is not None and seen.setdefault(pid, name) != name:
            raise DataError(f"parameter {pid!r} given twice (as {seen[pid]!r} and {name!r})")
    flagged = {resolve(n) for n in nondetect}
    unit_of = {} if units is None else {resolve(k): v for k, v in units.items()}
    names = list(values)
    ids = [_ALIAS.get(normalise_name(k), "") for k in names]
    return classify_period(
        _objects(names),
        _objects([values[k] for k in names]),
        units=_objects([unit_of.get(pid) for pid in ids]),
        censored=np.array([pid in flagged for pid in ids], dtype=bool),
    )


def _objects(items: list[Any]) -> npt.NDArray[Any]:
    """A one-dimensional object array (np.array would split equal-length sequences into columns)."""
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array

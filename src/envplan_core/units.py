"""The one pint registry shared by envplan and every plugin, and unit parsing as real data spells it.

Build quantities from (magnitude, unit) and convert whole arrays at the boundary with
:func:`convert_array`: a column of observations is converted once per (parameter, unit) group,
never value by value. Spellings accepted besides pint's own: µg/m³ (micro sign or Greek mu),
ug/m3, mg/Nm³, m3, km2, MPN/100mL, ``·`` for multiplication, ``%``, ``无量纲`` for pH, and Chinese
unit names (微克/立方米, 毫克/升, 毫克/千克, 吨/月·平方公里 …).
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from envplan_core.errors import UnitError

__all__ = [
    "Q_",
    "Quantity",
    "Unit",
    "check_dimension",
    "convert_array",
    "format_unit",
    "is_plain_number",
    "normalise_unit",
    "parse_quantity",
    "parse_unit",
    "registry",
    "same_dimension",
    "ureg",
]


def _build_registry() -> pint.UnitRegistry:
    import pint

    # No pint cache: pint reads its cache with pickle.load from the user's cache folder, so a file placed
    # there would run as the user at the next import, and an uncreatable folder (no HOME, read-only)
    # failed the import. Parsing the definitions costs ~0.1 s per process instead — paid on first use
    # (registry()), so commands that never meet a unit (envplan --help) do not pay it.
    registry = pint.UnitRegistry(cache_folder=None, on_redefinition="raise")
    with resources.as_file(resources.files("envplan_core") / "units.txt") as path:
        registry.load_definitions(str(path))
    registry.formatter.default_format = "~P"
    return registry


_REGISTRY: list[pint.UnitRegistry] = []


def _pint() -> Any:
    import pint

    return pint


def registry() -> pint.UnitRegistry:
    """The shared registry, built on first use (also ``envplan_core.units.ureg``)."""
    if not _REGISTRY:
        _REGISTRY.append(_build_registry())
    return _REGISTRY[0]


def __getattr__(name: str) -> Any:
    # ``ureg`` is built on first access (PEP 562): importing this module costs no registry.
    if name == "ureg":
        return registry()
    if name in ("Quantity", "Unit"):  # pint itself is imported on first use too
        import pint

        return getattr(pint, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def Q_(*args: Any, **kwargs: Any) -> pint.Quantity:
    """``ureg.Quantity(...)``."""
    return registry().Quantity(*args, **kwargs)


if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pint

    ureg: pint.UnitRegistry
    Quantity = pint.Quantity
    Unit = pint.Unit

# Whole spellings that the token rules below would misread (the plan writes 吨/月·平方公里).
_WHOLE: dict[str, str] = {
    "无量纲": "dimensionless",
    "量纲一": "dimensionless",
    "pH": "dimensionless",
    "ph": "dimensionless",
    "-": "dimensionless",
    "": "dimensionless",
    "吨/月·平方公里": "t/(km^2*month)",
    "吨/(月·平方公里)": "t/(km^2*month)",
    "吨/平方公里·月": "t/(km^2*month)",
    "t/月·km2": "t/(km^2*month)",
    "t/月·km²": "t/(km^2*month)",
    "t/(月·km²)": "t/(km^2*month)",
    "蒸吨": "t_steam",
    "蒸吨/小时": "t_steam",
    "蒸吨/时": "t_steam",
    "℃": "degC",
    "°C": "degC",
}

# Chinese unit names, longest first so 毫升 is read before 升 and 立方米 before 米.
_TOKENS: tuple[tuple[str, str], ...] = (
    ("平方公里", "km^2"),
    ("平方千米", "km^2"),
    ("平方米", "m^2"),
    ("标立方米", "Nm3"),
    ("立方米", "m^3"),
    ("蒸吨", "t_steam"),
    ("微克", "ug"),
    ("毫克", "mg"),
    ("纳克", "ng"),
    ("千克", "kg"),
    ("公斤", "kg"),
    ("毫升", "mL"),
    ("毫伏", "mV"),
    ("厘米", "cm"),
    ("毫米", "mm"),
    ("公里", "km"),
    ("千米", "km"),
    ("兆瓦", "MW"),
    ("贝可", "Bq"),
    ("小时", "h"),
    ("克", "g"),
    ("升", "L"),
    ("吨", "t"),
    ("米", "m"),
    ("月", "month"),
    ("年", "year"),
    ("天", "day"),
    ("日", "day"),
    ("个", "ge"),
    ("％", "percent"),
    ("%", "percent"),
)

_SUPERSCRIPT = str.maketrans({"²": "^2", "³": "^3", "·": "*", "•": "*", "×": "*", "（": "(", "）": ")"})
_PER_NUMBER = re.compile(r"/\s*(\d+(?:\.\d+)?)\s*([A-Za-zµμ]+)")  # MPN/100mL -> MPN/(100*mL)
_POWER_SUFFIX = re.compile(r"\b(N?m|cm|dm|mm|km)([23])\b")  # m3 -> m^3, km2 -> km^2


def normalise_unit(text: str) -> str:
    """Rewrite a unit as people write it into pint syntax (no parsing yet)."""
    raw = text.strip()
    if raw in _WHOLE:
        return _WHOLE[raw]
    out = raw.translate(_SUPERSCRIPT)
    for zh, en in _TOKENS:
        out = out.replace(zh, en)
    out = _PER_NUMBER.sub(r"/(\1*\2)", out)
    out = _POWER_SUFFIX.sub(r"\1^\2", out)
    return out.replace("Nm^3", "Nm3")


@functools.lru_cache(maxsize=1024)
def parse_unit(text: str) -> pint.Quantity:
    """Parse a unit spelling into one of that unit (a quantity, so ``MPN/100mL`` keeps its 1/100).

    Raises :class:`UnitError` naming the spelling when it is not a unit. Cached: a column's unit is
    parsed once however many rows it has.
    """
    spelled = normalise_unit(text)
    try:
        parsed = Q_(spelled)
    except Exception as exc:
        raise UnitError(f"unknown unit {text!r}", unit=text) from exc
    if not isinstance(parsed, _pint().Quantity):  # ":00-10:00" parses to a bare number: not a unit
        raise UnitError(f"unknown unit {text!r}", unit=text)
    return parsed


# A number (thousands separators allowed: "12,500 t") and the rest, which must be a unit.
_QUANTITY = re.compile(
    r"^\s*([-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$"
)


def parse_quantity(text: str | float | int) -> pint.Quantity:
    """Parse ``"43 µg/m³"``, ``"-30 %"``, ``"35 蒸吨"`` or a bare number (dimensionless)."""
    if isinstance(text, bool):
        raise UnitError(f"not a quantity: {text!r}")
    if isinstance(text, (int, float)):
        return Q_(float(text), "dimensionless")
    match = _QUANTITY.match(text)
    if match is None:
        raise UnitError(f"not a quantity (expected a number and a unit): {text!r}", unit=text)
    number, unit = match.groups()
    if unit and (unit[0].isdigit() or unit[0] in ",."):  # "1 000 mg/L", "3 2 mg/L": not one number
        raise UnitError(f"not a quantity (expected a number and a unit): {text!r}", unit=text)
    one = parse_unit(unit)
    return Q_(float(number.replace(",", "")) * float(one.magnitude), one.units)


def _as_quantity(unit: str | pint.Quantity | pint.Unit) -> pint.Quantity:
    if isinstance(unit, str):
        return parse_unit(unit)
    if isinstance(unit, _pint().Unit):
        return Q_(1.0, unit)
    return unit


def same_dimension(unit: str | pint.Quantity | pint.Unit, other: str | pint.Quantity | pint.Unit) -> bool:
    return bool(_as_quantity(unit).dimensionality == _as_quantity(other).dimensionality)


def check_dimension(unit: str | pint.Quantity, canonical: str, *, parameter: str = "") -> pint.Quantity:
    """Parse ``unit`` and check it can express ``canonical``; raise :class:`UnitError` otherwise."""
    parsed = _as_quantity(unit)
    shown = unit if isinstance(unit, str) else format_unit(parsed.units)
    expected = _as_quantity(canonical)
    what = f" for {parameter}" if parameter else ""
    if not same_dimension(parsed, expected):
        raise UnitError(
            f"unit {shown!r} has the wrong dimension{what}: expected something like {format_unit(canonical)!r}",
            unit=unit,
            parameter=parameter or None,
        )
    # A plain number (pH, colour) and a scaled ratio (%, ppm, mg/kg) share the empty dimension, but one is
    # not the other: pH 7.2 written "%" is not 0.072, and Cd 0.3 with no unit is not 300,000 mg/kg.
    if parsed.dimensionless and is_plain_number(parsed) != is_plain_number(expected):
        if is_plain_number(parsed):
            message = f"a plain number{what}, which is measured in {format_unit(canonical)!r}: write its unit"
        else:
            message = f"unit {shown!r}{what}: expected a plain number (无量纲), not a scaled ratio"
        raise UnitError(message, unit=unit, parameter=parameter or None)
    # mg/L and µg/m³ share a dimension (mass per volume), but a gas concentration per litre of water
    # (or the reverse) is a mix-up, not a conversion: the volume basis must match too.
    basis, expected_basis = _volume_basis(parsed), _volume_basis(expected)
    if basis and expected_basis and basis != expected_basis:
        raise UnitError(
            f"unit {shown!r} is a {basis} concentration; {parameter or 'this parameter'} is measured "
            f"per {expected_basis} volume (e.g. {format_unit(canonical)!r})",
            unit=unit,
            parameter=parameter or None,
        )
    return parsed


def is_plain_number(unit: str | pint.Quantity) -> bool:
    """Whether ``unit`` spells a plain number — ``无量纲``, ``-``, ``dimensionless``, ``pH`` —: no unit and a
    scale of one. ``%``, ``ppm`` and ``mg/kg`` are dimensionless too, but scaled ratios, not plain numbers."""
    parsed = _as_quantity(unit)
    return not list(parsed.unit_items()) and float(parsed.magnitude) == 1.0


def _volume_basis(quantity: pint.Quantity) -> str:
    """``"liquid"`` for per-litre units, ``"gas"`` for per-cubic-metre units, else ``""``."""
    for name, power in quantity.unit_items():
        if power >= 0:
            continue
        if name.endswith("liter"):
            return "liquid"
        if name == "normal_cubic_meter" or (name.endswith("meter") and power == -3):
            return "gas"
    return ""


def convert_array(
    values: npt.ArrayLike, unit: str | pint.Quantity | pint.Unit, target: str | pint.Quantity | pint.Unit
) -> npt.NDArray[np.float64]:
    """Convert a whole array from ``unit`` to ``target`` in one operation (offset units included)."""
    import numpy as np  # here, not at import: envplan --help and plan listing need no numpy

    array = np.asarray(values, dtype=np.float64)
    src = _as_quantity(unit)
    dst = _as_quantity(target)
    factor = _factor(src, dst)
    if factor is not None:
        return array if factor == 1.0 else array * factor
    # Offset units (°C ↔ K): pint converts the whole array at once.
    converted: Any = Q_(array * float(src.magnitude), src.units).m_as(dst.units) / float(dst.magnitude)
    return np.asarray(converted, dtype=np.float64)


def _factor(src: pint.Quantity, dst: pint.Quantity) -> float | None:
    """A multiplicative factor when the conversion has no offset (degC has one)."""
    key = (str(src.units), float(src.magnitude), str(dst.units), float(dst.magnitude))
    return _factor_cached(*key)


@functools.lru_cache(maxsize=1024)
def _factor_cached(src_units: str, src_mag: float, dst_units: str, dst_mag: float) -> float | None:
    try:
        zero = Q_(0.0, src_units).m_as(dst_units)
    except _pint().errors.DimensionalityError as exc:
        raise UnitError(f"cannot convert {src_units} to {dst_units}", unit=src_units) from exc
    except _pint().errors.OffsetUnitCalculusError:
        return None
    if zero != 0.0:
        return None
    return float(Q_(src_mag, src_units).m_as(dst_units)) / dst_mag


_DISPLAY = {"l": "L", "ml": "mL", "µl": "µL", "ge": "个", "t_steam": "蒸吨"}


def format_unit(unit: str | pint.Quantity | pint.Unit) -> str:
    """A short display form: ``µg/m³``, ``mg/L``, ``%``; empty for dimensionless."""
    parsed = _as_quantity(unit)
    if parsed.dimensionless and parsed.units == registry().dimensionless:
        return ""
    text = f"{parsed.units:~P}"
    parts = re.split(r"([/·*()])", text)
    text = "".join(_DISPLAY.get(part, part) for part in parts)
    if float(parsed.magnitude) != 1.0:
        text = f"{float(parsed.magnitude):g} {text}"
    return text

"""Stack (排气筒) emission concentrations and their conversion to a reference-oxygen basis.

GB 13271-2014 eq. 1 (data/boiler_gb13271_2014_reference_o2_and_capacity.csv, row "formula"):

    ρ = ρ′ × (21 − φ(O2)_ref) / (21 − φ′(O2)_meas)

applied element-wise to whole arrays. A measured O2 of 21 % or more (no combustion gas at all) is an
error, not an infinite concentration.

Reference O2 per source type is data (data/stack_reference_o2.csv, derived from the reference CSVs
and cross-checked against them in the tests):

* ``brick_kiln_plan`` 18 % — the county air plan, task 6, states its brick-kiln deep-treatment limits
  (颗粒物 10, SO2 100, NOx 100 mg/m³) "窑炉基准氧含量 18%" and cites GB 29620-2013 及修改单.
  **Doubt** (reference README, doubt 1): the GB 29620-2013 release text itself prescribes a reference
  excess-air coefficient α = 1.7 (≈ 8.65 % O2); no amendment text with 18 % was found. The two bases
  differ about 4× (examples.md §G), so every converted value carries its basis (:class:`Converted`)
  and :func:`to_reference_excess_air` offers the 2013-text basis.
* ``coal_boiler`` 9 %, ``oil_gas_boiler`` 3.5 % — GB 13271-2014 Table 6.

Concentrations are mg/m³ of dry gas at standard state (273.15 K, 101325 Pa; GB 29620 §3.5,
GB 13271 eq. 1 notes).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache
from importlib import resources

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.errors import DataError
from envplan_core.parameters import Parameter

__all__ = [
    "AIR_O2_PERCENT",
    "GB29620_REFERENCE_EXCESS_AIR",
    "PARAMETERS",
    "REFERENCE_O2",
    "STEAM_TONNE_MW",
    "Converted",
    "ReferenceO2",
    "convert",
    "to_reference_excess_air",
    "to_reference_o2",
]

#: O2 in dry air, % (the 21 of GB 13271-2014 eq. 1).
AIR_O2_PERCENT = 21.0
#: 1 t/h of steam ≈ 0.7 MW (GB 13271-2014 capacity bands pair t/h and MW at exactly 0.7;
#: data/boiler_gb13271_2014_reference_o2_and_capacity.csv row "conversion factor").
STEAM_TONNE_MW = 0.7

_SRC_13271 = "GB 13271-2014 (data/boiler_gb13271_2014_reference_o2_and_capacity.csv)"
_SRC_29620 = "GB 29620-2013 (data/gb29620_2013_brick_tile_emissions.csv)"

PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "stack_PM",
        "颗粒物",
        "particulate matter (stack)",
        "mg/m^3",
        "stack",
        aliases=("stack PM", "烟尘", "排气筒颗粒物"),
        source=f"{_SRC_29620}; {_SRC_13271}",
    ),
    Parameter(
        "stack_SO2",
        "二氧化硫（排气筒）",
        "sulfur dioxide (stack)",
        "mg/m^3",
        "stack",
        aliases=("stack SO2",),
        source=f"{_SRC_29620}; {_SRC_13271}",
    ),
    Parameter(
        "stack_NOx",
        "氮氧化物（排气筒，以NO2计）",
        "nitrogen oxides as NO2 (stack)",
        "mg/m^3",
        "stack",
        aliases=("stack NOx",),
        source=f"{_SRC_29620}; {_SRC_13271}",
    ),
    Parameter(
        "O2",
        "含氧量",
        "oxygen content of flue gas",
        "percent",
        "stack",
        aliases=("烟气含氧量", "氧含量", "flue gas O2"),
        upper_bound=AIR_O2_PERCENT,
        source=f"{_SRC_13271} eq. 1",
    ),
)


def _read(name: str) -> list[dict[str, str]]:
    text = (resources.files("envplan_core.standards") / "data" / name).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(text.splitlines()))


@attrs.frozen
class ReferenceO2:
    """Reference O2 of a source type with the text it comes from and any doubt about it."""

    source_type: str
    percent: float
    standard: str
    basis: str
    source: str
    doubt: str = ""


@attrs.frozen
class Converted:
    """A concentration and the basis it is expressed on (kept together so the basis is never lost)."""

    value: float | npt.NDArray[np.float64]
    basis: str
    doubt: str = ""


@cache
def _reference_o2() -> dict[str, ReferenceO2]:
    return {
        row["source_type"]: ReferenceO2(
            source_type=row["source_type"],
            percent=float(row["reference_o2_percent"]),
            standard=row["standard"],
            basis=f"{row['basis_zh']} ({row['standard']})",
            source=row["source"],
            doubt=row["doubt"],
        )
        for row in _read("stack_reference_o2.csv")
    }


#: Reference O2 by source type: ``brick_kiln_plan`` 18, ``coal_boiler`` 9, ``oil_gas_boiler`` 3.5 (%).
REFERENCE_O2: Mapping[str, ReferenceO2] = _reference_o2()


@cache
def _alpha_2013() -> float:
    for row in _read("gb29620_2013_brick_tile_emissions.csv"):
        if row["process_en"] == "reference excess air coefficient":
            return float(row["limit"])
    raise ValueError("gb29620_2013_brick_tile_emissions.csv has no reference excess-air coefficient row")


#: GB 29620-2013 §4.7 (release text): 基准过量空气系数为1.7.
GB29620_REFERENCE_EXCESS_AIR: float = _alpha_2013()


def _check_o2(o2: npt.NDArray[np.float64], what: str) -> None:
    bad = np.isfinite(o2) & ((o2 >= AIR_O2_PERCENT) | (o2 < 0))
    if bad.any():
        first = float(o2[bad].flat[0])
        raise DataError(f"{what} O2 must lie in [0, 21) %; got {first} ({int(bad.sum())} value(s))")


def _out(x: npt.NDArray[np.float64]) -> float | npt.NDArray[np.float64]:
    return float(x) if x.ndim == 0 else x


def to_reference_o2(
    measured: npt.ArrayLike, o2_measured: npt.ArrayLike, o2_reference: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """C_ref = C_meas × (21 − O2_ref)/(21 − O2_meas), element-wise (GB 13271-2014 eq. 1).

    Raises :class:`ValueError` (:class:`~envplan_core.errors.DataError`) when a measured or reference
    O2 is ≥ 21 % or negative. NaN propagates.
    """
    c = np.asarray(measured, dtype=np.float64)
    o2m = np.asarray(o2_measured, dtype=np.float64)
    o2r = np.asarray(o2_reference, dtype=np.float64)
    _check_o2(o2m, "measured")
    _check_o2(o2r, "reference")
    return np.asarray(c * (AIR_O2_PERCENT - o2r) / (AIR_O2_PERCENT - o2m), dtype=np.float64)


def convert(measured: npt.ArrayLike, o2_measured: npt.ArrayLike, source_type: str) -> Converted:
    """Measured concentration(s) at the reference O2 of ``source_type`` (a key of REFERENCE_O2)."""
    try:
        ref = REFERENCE_O2[source_type]
    except KeyError:
        raise KeyError(f"unknown source type {source_type!r}; known: {sorted(REFERENCE_O2)}") from None
    value = to_reference_o2(measured, o2_measured, ref.percent)
    return Converted(value=_out(value), basis=f"reference O2 {ref.percent:g} %: {ref.basis}", doubt=ref.doubt)


def to_reference_excess_air(
    measured: npt.ArrayLike,
    o2_measured: npt.ArrayLike,
    alpha_reference: float = GB29620_REFERENCE_EXCESS_AIR,
) -> Converted:
    """C_ref = C_meas × α_meas/α_ref with α_meas = 21/(21 − O2_meas) (GB 29620-2013 §4.7 text)."""
    o2m = np.asarray(o2_measured, dtype=np.float64)
    _check_o2(o2m, "measured")
    if not alpha_reference >= 1.0:
        raise ValueError(f"excess-air coefficient must be ≥ 1, not {alpha_reference}")
    alpha = AIR_O2_PERCENT / (AIR_O2_PERCENT - o2m)
    value = np.asarray(np.asarray(measured, dtype=np.float64) * alpha / alpha_reference, dtype=np.float64)
    return Converted(
        value=_out(value),
        basis=f"reference excess-air coefficient {alpha_reference:g} (GB 29620-2013 §4.7 release text)",
        doubt="the county air plan states its brick-kiln limits at 18 % O2 instead (README doubt 1)",
    )

"""What the two soil standards share: one parameter per substance, units, comparisons, exceedances.

GB 15618-2018 (agricultural land) and GB 36600-2018 (construction land) list several of the same
substances (Cd, Hg, As, Pb, Cu, Ni, benzo[a]pyrene). Parameter ids are global with one unit per id,
and the water standards already own ``Cd``, ``Hg``, ``As`` … in mg/L, so every soil parameter is
``soil_<short>`` in mg/kg and a substance both standards list is declared here once. Both modules
build their ``PARAMETERS`` from :data:`PARAMETERS_BY_ID`; the Chinese and English names of the
non-shared GB 36600 items come from its CSV, the spellings people use (element symbols, CAS numbers,
abbreviations) from the tables below.

Comparisons (both standards): "等于或者低于筛选值" is met at equality, "高于管制值" is strict. As in
GB 3838 (``gb3838._REL_TOL``), a value within one part in 10⁹ of a limit counts as on it, so a value
converted from µg/kg (0.3 mg/kg = 300 µg/kg × 0.001 = 0.30000000000000004) keeps its verdict. No
soil concentration is reported to nine significant digits, so no real exceedance is hidden by it.

Private to :mod:`envplan_core.standards.gb15618` and :mod:`envplan_core.standards.gb36600`.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from types import MappingProxyType
from typing import Any, Final, Literal, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.errors import DataError, UnitError
from envplan_core.parameters import Parameter, normalise_name
from envplan_core.units import check_dimension, convert_array, registry

SOIL_UNIT: Final = "mg/kg"
REL_TOL: Final = 1e-9
GB15618_FILE: Final = "gb15618_2018_agricultural_soil.csv"
GB15618_RULES_FILE: Final = "gb15618_2018_classification_rules.csv"
GB36600_FILE: Final = "gb36600_2018_construction_soil.csv"

_T = TypeVar("_T")

#: Per-item verdict. ``gt_screening`` is "above screening" for an item that has no intervention value
#: (GB 15618 Cu, Ni, Zn and Table 2): it can never reach ``gt_intervention``.
Level = Literal["le_screening", "gt_screening", "gt_screening_le_intervention", "gt_intervention"]
#: Severity of each level (0 = at or below screening, 1 = above screening, 2 = above intervention).
SEVERITY: Final[Mapping[str, int]] = MappingProxyType(
    {"le_screening": 0, "gt_screening": 1, "gt_screening_le_intervention": 1, "gt_intervention": 2}
)

# GB 15618 CSV ``parameter_zh`` → id.
GB15618_IDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "镉": "soil_Cd",
        "汞": "soil_Hg",
        "砷": "soil_As",
        "铅": "soil_Pb",
        "铬": "soil_Cr",
        "铜": "soil_Cu",
        "镍": "soil_Ni",
        "锌": "soil_Zn",
        "六六六总量": "soil_HCH_total",
        "滴滴涕总量": "soil_DDT_total",
        "苯并[a]芘": "soil_BaP",
    }
)

# GB 36600 CSV ``parameter_zh`` → id, in the CSV's order (Table 1 items 1–45, Table 2 items 1–40).
GB36600_IDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "砷": "soil_As", "镉": "soil_Cd", "铬（六价）": "soil_CrVI", "铜": "soil_Cu", "铅": "soil_Pb",
        "汞": "soil_Hg", "镍": "soil_Ni", "四氯化碳": "soil_CCl4", "氯仿": "soil_chloroform",
        "氯甲烷": "soil_chloromethane", "1,1-二氯乙烷": "soil_11DCA", "1,2-二氯乙烷": "soil_12DCA",
        "1,1-二氯乙烯": "soil_11DCE", "顺-1,2-二氯乙烯": "soil_cis12DCE", "反-1,2-二氯乙烯": "soil_trans12DCE",
        "二氯甲烷": "soil_DCM", "1,2-二氯丙烷": "soil_12DCP", "1,1,1,2-四氯乙烷": "soil_1112TeCA",
        "1,1,2,2-四氯乙烷": "soil_1122TeCA", "四氯乙烯": "soil_PCE", "1,1,1-三氯乙烷": "soil_111TCA",
        "1,1,2-三氯乙烷": "soil_112TCA", "三氯乙烯": "soil_TCE", "1,2,3-三氯丙烷": "soil_123TCP",
        "氯乙烯": "soil_VC", "苯": "soil_benzene", "氯苯": "soil_chlorobenzene", "1,2-二氯苯": "soil_12DCB",
        "1,4-二氯苯": "soil_14DCB", "乙苯": "soil_ethylbenzene", "苯乙烯": "soil_styrene",
        "甲苯": "soil_toluene", "间二甲苯+对二甲苯": "soil_mp_xylene", "邻二甲苯": "soil_o_xylene",
        "硝基苯": "soil_nitrobenzene", "苯胺": "soil_aniline", "2-氯酚": "soil_2CP",
        "苯并[a]蒽": "soil_BaA", "苯并[a]芘": "soil_BaP", "苯并[b]荧蒽": "soil_BbF", "苯并[k]荧蒽": "soil_BkF",
        "䓛": "soil_chrysene", "二苯并[a,h]蒽": "soil_DBahA", "茚并[1,2,3-cd]芘": "soil_IcdP",
        "萘": "soil_naphthalene",
        "锑": "soil_Sb", "铍": "soil_Be", "钴": "soil_Co", "甲基汞": "soil_MeHg", "钒": "soil_V",
        "氰化物": "soil_cyanide", "一溴二氯甲烷": "soil_BDCM", "溴仿": "soil_bromoform",
        "二溴氯甲烷": "soil_DBCM", "1,2-二溴乙烷": "soil_12DBE", "六氯环戊二烯": "soil_HCCPD",
        "2,4-二硝基甲苯": "soil_24DNT", "2,4-二氯酚": "soil_24DCP", "2,4,6-三氯酚": "soil_246TCP",
        "2,4-二硝基酚": "soil_24DNP", "五氯酚": "soil_PCP", "邻苯二甲酸二(2-乙基己基)酯": "soil_DEHP",
        "邻苯二甲酸丁基苄酯": "soil_BBP", "邻苯二甲酸二正辛酯": "soil_DnOP",
        "3,3'-二氯联苯胺": "soil_33DCBD", "阿特拉津": "soil_atrazine", "氯丹": "soil_chlordane",
        "p,p'-滴滴滴": "soil_ppDDD", "p,p'-滴滴伊": "soil_ppDDE", "滴滴涕": "soil_DDT",
        "敌敌畏": "soil_dichlorvos", "乐果": "soil_dimethoate", "硫丹": "soil_endosulfan",
        "七氯": "soil_heptachlor", "α-六六六": "soil_alpha_HCH", "β-六六六": "soil_beta_HCH",
        "γ-六六六": "soil_gamma_HCH", "六氯苯": "soil_HCB", "灭蚁灵": "soil_mirex",
        "多氯联苯（总量）": "soil_PCBs", "3,3',4,4',5-五氯联苯（PCB 126）": "soil_PCB126",
        "3,3',4,4',5,5'-六氯联苯（PCB 169）": "soil_PCB169", "二噁英类（总毒性当量）": "soil_dioxins_TEQ",
        "多溴联苯（总量）": "soil_PBBs", "石油烃（C10-C40）": "soil_TPH",
    }
)  # fmt: skip

# English name (where the CSV's is not used) and the spellings met in lab reports and plans (items
# not listed have only their CSV names and CAS number). Both
# standards' items for one substance share the entry. Bare symbols ("Cd") are also the water
# parameters' ids: a registry resolves such a spelling to whichever standard registered it first, so
# readers that know the medium should resolve "soil_Cd" or "土壤镉".
_NAMES: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "soil_Cd": ("cadmium", ("Cd", "镉", "总镉", "cadmium", "total cadmium", "土壤镉")),
    "soil_Hg": ("mercury", ("Hg", "汞", "总汞", "mercury", "total mercury", "土壤汞")),
    "soil_As": ("arsenic", ("As", "砷", "总砷", "arsenic", "total arsenic", "土壤砷")),
    "soil_Pb": ("lead", ("Pb", "铅", "总铅", "lead", "total lead", "土壤铅")),
    "soil_Cr": ("chromium (total)", ("Cr", "铬", "总铬", "chromium", "total chromium", "土壤铬")),
    "soil_Cu": ("copper", ("Cu", "铜", "总铜", "copper", "total copper", "土壤铜")),
    "soil_Ni": ("nickel", ("Ni", "镍", "总镍", "nickel", "total nickel", "土壤镍")),
    "soil_Zn": ("zinc", ("Zn", "锌", "总锌", "zinc", "total zinc", "土壤锌")),
    "soil_HCH_total": (
        "HCH total (α+β+γ+δ)",
        ("六六六", "HCH", "HCHs", "total HCH", "BHC", "六六六总量(α+β+γ+δ)"),
    ),
    "soil_DDT_total": (
        "DDT total (p,p′-DDE+p,p′-DDD+o,p′-DDT+p,p′-DDT)",
        ("DDT total", "total DDT", "DDTs", "滴滴涕总量"),
    ),
    "soil_BaP": ("benzo[a]pyrene", ("BaP", "B[a]P", "苯并(a)芘", "苯并a芘", "benzo(a)pyrene", "苯并[a]芘")),
    "soil_pH": ("soil pH", ("pH", "酸碱度", "pH值")),
    "soil_CrVI": ("", ("六价铬", "铬(六价)", "Cr6+", "Cr(VI)", "CrVI", "hexavalent chromium")),
    "soil_CCl4": ("", ("CCl4", "tetrachloromethane")),
    "soil_chloroform": ("", ("三氯甲烷", "trichloromethane", "CHCl3")),
    "soil_chloromethane": ("", ("一氯甲烷", "methyl chloride")),
    "soil_11DCA": ("", ("1,1-DCA",)),
    "soil_12DCA": ("", ("1,2-DCA",)),
    "soil_11DCE": ("", ("1,1-DCE",)),
    "soil_cis12DCE": ("", ("cis-1,2-DCE", "顺式-1,2-二氯乙烯")),
    "soil_trans12DCE": ("", ("trans-1,2-DCE", "反式-1,2-二氯乙烯")),
    "soil_DCM": ("", ("DCM", "methylene chloride")),
    "soil_12DCP": ("", ("1,2-DCP",)),
    "soil_1112TeCA": ("", ("1,1,1,2-TeCA",)),
    "soil_1122TeCA": ("", ("1,1,2,2-TeCA",)),
    "soil_PCE": ("", ("PCE", "perchloroethylene", "tetrachloroethene")),
    "soil_111TCA": ("", ("1,1,1-TCA",)),
    "soil_112TCA": ("", ("1,1,2-TCA",)),
    "soil_TCE": ("", ("TCE", "trichloroethene")),
    "soil_123TCP": ("", ("1,2,3-TCP",)),
    "soil_VC": ("", ("VC", "chloroethene")),
    "soil_chlorobenzene": ("", ("一氯苯",)),
    "soil_12DCB": ("", ("邻二氯苯", "o-dichlorobenzene")),
    "soil_14DCB": ("", ("对二氯苯", "p-dichlorobenzene")),
    "soil_mp_xylene": ("", ("间,对-二甲苯", "间/对-二甲苯", "间对二甲苯", "m,p-xylene", "m/p-xylene")),
    "soil_2CP": ("", ("邻氯苯酚", "2-CP")),
    "soil_BaA": ("", ("苯并(a)蒽", "BaA", "benzo[a]anthracene", "benz(a)anthracene")),
    "soil_BbF": ("", ("苯并(b)荧蒽", "BbF", "benzo(b)fluoranthene")),
    "soil_BkF": ("", ("苯并(k)荧蒽", "BkF", "benzo(k)fluoranthene")),
    "soil_chrysene": ("", ("屈", "CHR")),
    "soil_DBahA": ("", ("二苯并(a,h)蒽", "DBahA", "DBA", "dibenzo[a,h]anthracene")),
    "soil_IcdP": ("", ("茚并(1,2,3-cd)芘", "IcdP", "indeno(1,2,3-cd)pyrene")),
    "soil_Sb": ("", ("Sb", "总锑")),
    "soil_Be": ("", ("Be", "总铍")),
    "soil_Co": ("", ("Co", "总钴")),
    "soil_MeHg": ("", ("MeHg", "methyl mercury")),
    "soil_V": ("", ("V", "总钒")),
    "soil_cyanide": ("", ("总氰化物", "total cyanide")),
    "soil_BDCM": ("", ("BDCM", "二氯一溴甲烷")),
    "soil_bromoform": ("", ("三溴甲烷", "tribromomethane")),
    "soil_DBCM": ("", ("DBCM", "一氯二溴甲烷", "chlorodibromomethane")),
    "soil_12DBE": ("", ("EDB", "ethylene dibromide")),
    "soil_HCCPD": ("", ("HCCPD",)),
    "soil_24DNT": ("", ("2,4-DNT",)),
    "soil_24DCP": ("", ("2,4-DCP",)),
    "soil_246TCP": ("", ("2,4,6-TCP",)),
    "soil_24DNP": ("", ("2,4-DNP",)),
    "soil_PCP": ("", ("PCP",)),
    "soil_DEHP": ("", ("DEHP", "邻苯二甲酸二（2-乙基己基）酯", "bis(2-ethylhexyl) phthalate")),
    "soil_BBP": ("", ("BBP", "BBzP")),
    "soil_DnOP": ("", ("DnOP",)),
    "soil_33DCBD": ("", ("3,3'-DCB", "3,3′-二氯联苯胺")),
    "soil_ppDDD": ("", ("p,p′-滴滴滴",)),
    "soil_ppDDE": ("", ("p,p′-滴滴伊",)),
    "soil_DDT": ("", ("DDT", "o,p'-DDT+p,p'-DDT")),
    "soil_dichlorvos": ("", ("DDVP",)),
    "soil_alpha_HCH": ("", ("α-HCH", "α-BHC")),
    "soil_beta_HCH": ("", ("β-HCH", "β-BHC")),
    "soil_gamma_HCH": ("", ("γ-HCH", "γ-BHC", "lindane", "林丹")),
    "soil_HCB": ("", ("HCB",)),
    "soil_PCBs": ("", ("多氯联苯", "PCBs", "total PCBs")),
    "soil_PCB126": ("", ("PCB 126",)),
    "soil_PCB169": ("", ("PCB 169",)),
    "soil_dioxins_TEQ": ("", ("二噁英类", "二噁英", "PCDD/Fs", "dioxins")),
    "soil_PBBs": ("", ("多溴联苯", "PBBs")),
    "soil_TPH": ("", ("石油烃", "石油烃(C10-C40)", "TPH", "TPH C10-C40", "petroleum hydrocarbons")),
}


def readonly(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """Converter: a read-only copy, so a frozen result cannot be changed through a mapping it holds."""
    return MappingProxyType(dict(mapping))


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a CSV in ``standards/data`` (UTF-8, header row), read through importlib.resources."""
    text = (resources.files("envplan_core.standards") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _single_cas(cas: str) -> tuple[str, ...]:
    """The CAS number as an alias when the row has exactly one ("—" and "a, b" give none)."""
    cas = cas.strip()
    return (cas,) if cas and "," not in cas and cas[0].isdigit() else ()


def _build() -> tuple[dict[str, Parameter], dict[str, str]]:
    sources: dict[str, dict[str, list[str]]] = {}  # pid -> standard -> tables
    names: dict[str, tuple[str, str, tuple[str, ...]]] = {}  # pid -> (zh, en, aliases from the CSV)
    for file, ids, standard in (
        (GB15618_FILE, GB15618_IDS, "GB 15618-2018"),
        (GB36600_FILE, GB36600_IDS, "GB 36600-2018"),
    ):
        for row in read_table(file):
            zh = row["parameter_zh"]
            if zh not in ids:
                raise ValueError(f"{file}: no envplan id for the row {zh!r}")
            pid = ids[zh]
            tables = sources.setdefault(pid, {}).setdefault(standard, [])
            if row["table"] not in tables:
                tables.append(row["table"])
            if pid not in names:
                names[pid] = (zh, row["parameter_en"], _single_cas(row.get("cas", "")))
    names["soil_pH"] = ("土壤pH", "soil pH", ())
    sources["soil_pH"] = {"GB 15618-2018": ["表1", "表3 (pH bands)"]}
    stale = set(_NAMES) - set(names)
    if stale:
        raise ValueError(f"spellings for soil parameters no CSV row declares: {sorted(stale)}")
    parameters: dict[str, Parameter] = {}
    alias: dict[str, str] = {}
    for pid, (zh, csv_en, cas) in names.items():
        en, extra = _NAMES.get(pid, ("", ()))
        spellings = [zh, *extra, csv_en, *cas]
        seen = {normalise_name(pid), normalise_name(zh), normalise_name(en or csv_en)}
        aliases: list[str] = []
        for spelling in spellings:
            key = normalise_name(spelling)
            if key not in seen:
                seen.add(key)
                aliases.append(spelling)
        parameters[pid] = Parameter(
            id=pid,
            name_zh=zh,
            name_en=en or csv_en,
            unit="dimensionless" if pid == "soil_pH" else SOIL_UNIT,
            medium="soil",
            aliases=tuple(aliases),
            lower_bound=0.0,
            upper_bound=14.0 if pid == "soil_pH" else None,
            source="; ".join(f"{std} {', '.join(tables)}" for std, tables in sources[pid].items()),
        )
        for key in seen:
            other = alias.setdefault(key, pid)
            if other != pid:
                raise ValueError(f"soil spelling {key!r} names both {other!r} and {pid!r}")
    return parameters, alias


_PARAMETERS, _ALIAS = _build()
#: Every soil parameter of GB 15618 and GB 36600 (and soil pH), one per id.
PARAMETERS_BY_ID: Final[Mapping[str, Parameter]] = MappingProxyType(_PARAMETERS)


def soil_id(name: str) -> str | None:
    """The soil parameter id an id or spelling names (either standard), or None."""
    return _ALIAS.get(normalise_name(name))


def standard_item(name: str, items: Collection[str], standard: str) -> str:
    """The id of ``name`` (any id or spelling) when it is one of ``standard``'s ``items``, else
    :class:`DataError` ("'X' is not a GB 15618-2018 item")."""
    pid = soil_id(name)
    if pid is None or pid not in items:
        raise DataError(f"{name!r} is not a {standard} item")
    return pid


def to_mg_per_kg(values: npt.ArrayLike, unit: str, *, parameter: str = "") -> npt.NDArray[np.float64]:
    """Concentrations in ``unit`` (mg/kg, µg/kg, g/kg, 毫克/千克 …) converted to mg/kg, as float64.

    The unit must be a mass per mass, written as such: a per-volume unit (mg/L) raises
    :class:`UnitError`, and so does a bare number, ``%`` or ``ppm`` — they share the dimension of mg/kg
    but say nothing about the basis, and a pH column read as "dimensionless" would otherwise be
    multiplied by 10⁶.
    """
    parsed = check_dimension(unit, SOIL_UNIT, parameter=parameter)
    masses = [power for name, power in parsed.unit_items() if _is_mass(name)]
    if sorted(masses) != [-1, 1]:
        raise UnitError(
            f"unit {unit!r} is not a mass per mass: write soil concentrations as mg/kg, µg/kg or g/kg",
            unit=unit,
            parameter=parameter or None,
        )
    return convert_array(values, parsed, SOIL_UNIT)


def _is_mass(unit_name: str) -> bool:
    ureg = registry()
    return bool(ureg.Quantity(1.0, unit_name).dimensionality == ureg.Quantity(1.0, "kg").dimensionality)


def meets(value: float, limit: float) -> bool:
    """``value`` at or below ``limit`` (within one part in 10⁹: see the module docstring)."""
    return value <= limit * (1.0 + REL_TOL)


def where(sample: str | None, row: int | None) -> str:
    """How a message names a sample: ``sample 'S1'``, ``row 7`` or ``the sample``."""
    if sample is not None:
        return f"sample {sample!r}"
    return f"row {row}" if row is not None else "the sample"


def sample_label(labels: Sequence[str] | None, i: int) -> str:
    """How a vectorised classification names sample ``i`` in an error: its label, else ``at index i``."""
    return repr(labels[i]) if labels is not None else f"at index {i}"


def concentration(pid: str, value: object, sample: str | None, row: int | None) -> float | None:
    """A concentration as float; None when missing (None/NaN); DataError when negative or not a number."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DataError(f"{where(sample, row)}: {pid} is not a number: {value!r}", row=row) from None
    if math.isnan(number):
        return None
    if number < 0 or math.isinf(number):
        raise DataError(f"{where(sample, row)}: {pid} = {number} mg/kg is not a concentration", row=row)
    return number


def sample_contents(
    values: Mapping[str, object],
    items: Collection[str],
    *,
    sample: str | None,
    row: int | None,
    unit: str,
    ignore_unknown: bool,
    set_aside: Collection[str] = (),
) -> tuple[dict[str, float], list[str], dict[str, object]]:
    """One sample's contents of a standard's ``items`` (any id or spelling as key), in mg/kg by id.

    Returns the contents (a missing value, None/NaN, is left out), the names given that are other soil
    parameters (or anything, with ``ignore_unknown``) and the raw values of the ids in ``set_aside``
    (GB 15618's pH). An unknown name, an item given twice or a value that is not a concentration raises
    :class:`DataError` naming the sample.
    """
    who = where(sample, row)
    found: dict[str, float] = {}
    ignored: list[str] = []
    aside: dict[str, object] = {}
    for name, raw in values.items():
        pid = soil_id(name)
        if pid is not None and pid in set_aside:
            aside[pid] = raw
            continue
        if pid is None or pid not in items:
            if pid is None and not ignore_unknown:
                raise DataError(
                    f"{who}: unknown parameter {name!r} (not a soil parameter envplan knows)", row=row
                )
            ignored.append(name)
            continue
        if pid in found:
            raise DataError(f"{who}: {pid} given twice (as {name!r} and another spelling)", row=row)
        number = concentration(pid, raw, sample, row)
        if number is not None:
            found[pid] = (
                float(to_mg_per_kg([number], unit, parameter=pid)[0]) if unit != SOIL_UNIT else number
            )
    return found, ignored, aside


def in_standard_order(
    found: Mapping[str, float], order: Mapping[str, int], standard: str, who: str, row: int | None
) -> dict[str, float]:
    """A sample's contents (by id) in the standard's ``order``; :class:`DataError` when none was measured."""
    if not found:
        raise DataError(f"{who}: no {standard} item measured", row=row)
    return dict(sorted(found.items(), key=lambda kv: order[kv[0]]))


def item_columns(
    values: Mapping[str, npt.ArrayLike], item: Callable[[str], str]
) -> Iterator[tuple[str, npt.NDArray[np.float64]]]:
    """The columns of a vectorised classification, in the order given: ``(id, float64 array)`` with the
    id ``item`` reads from each key; an item given twice (under any spellings) is a :class:`DataError`."""
    seen: set[str] = set()
    for key, column in values.items():
        pid = item(key)
        if pid in seen:
            raise DataError(f"{pid} given twice")
        seen.add(pid)
        yield pid, np.asarray(column, dtype=np.float64)


def column_mg_per_kg(
    pid: str, array: npt.NDArray[np.float64], unit: str, labels: Sequence[str] | None
) -> npt.NDArray[np.float64]:
    """One item's contents (one per sample, NaN where not measured) in ``unit``, as mg/kg; a negative
    content is a :class:`DataError` naming the first such sample (:func:`sample_label`)."""
    if unit != SOIL_UNIT:
        array = to_mg_per_kg(array, unit, parameter=pid)
    negative = np.flatnonzero(array < 0)
    if negative.size:
        raise DataError(f"sample {sample_label(labels, int(negative[0]))}: negative {pid}")
    return array


def plot_samples(samples: Iterable[_T], plot: str | None) -> tuple[_T, ...]:
    """A plot's sample results as a tuple; a plot without samples is a :class:`DataError` (its worst
    sample decides, so it needs one)."""
    results = tuple(samples)
    if not results:
        raise DataError(
            f"plot {plot!r}: no samples" if plot is not None else "a plot needs at least one sample"
        )
    return results


@attrs.frozen
class Exceedance:
    """One item above its screening value in one sample.

    ``value``, ``screening``, ``intervention`` (None where the standard has none) and ``background``
    are in ``unit`` (mg/kg). ``exempted`` is True when a user-supplied background level covers the
    exceedance (GB 36600 footnote a); an exempted exceedance does not count towards the verdict.
    """

    parameter: str
    value: float
    screening: float
    intervention: float | None
    level: Level
    unit: str = SOIL_UNIT
    sample: str | None = None
    background: float | None = None
    exempted: bool = False

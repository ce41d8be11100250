"""GB 15618-2018 土壤环境质量 农用地土壤污染风险管控标准（试行）: screening, intervention, categories.

The values are data: ``data/gb15618_2018_agricultural_soil.csv`` (Tables 1, 2 and 3) and
``data/gb15618_2018_classification_rules.csv`` (§7 and the three categories) are verbatim copies of the
reference tables. Their ``source`` columns cite ``github:HuangWuwutelling/ml-learning``
``projects/gb15618-miniapp/data/gb15618_limits_research.md`` and ``github:lensis22414017/SRS``
``data/standards/gb15618_2018_v11.csv`` (two independent encodings that agree on every number of
Tables 1 and 3); Table 2 (HCH 0.10, DDT 0.10, BaP 0.55) rests on recollection only (reference README,
doubt 5). This module parses them and applies the rules:

* **pH bands** (Tables 1 and 3): pH ≤ 5.5, 5.5 < pH ≤ 6.5, 6.5 < pH ≤ 7.5, pH > 7.5 — a pH exactly on an
  edge belongs to the lower band. pH is required: a sample without one raises :class:`DataError`
  naming it, never a guessed band.
* **Land use** (Table 1): Cd, Hg, As, Pb and Cr split 水田 (paddy) / 其他 (other, orchards included);
  Cu splits 果园 (orchard) / 其他 (paddy included); Ni, Zn and Table 2 do not split. 水旱轮作
  (paddy–upland rotation) takes the stricter of the paddy and other values (Table 1 note ②).
* **Per item**: ``le_screening`` when the content is at or below the screening value (equality meets it),
  ``gt_screening_le_intervention`` when above screening and at or below the intervention value
  (Table 3: Cd, Hg, As, Pb, Cr only), ``gt_intervention`` when strictly above it, and ``gt_screening``
  for an item with no intervention value (Cu, Ni, Zn, Table 2) above its screening value. Comparisons
  absorb floating-point noise only (one part in 10⁹, ``_soil_common.REL_TOL``).
* **Categories** (rules AG-01…AG-04; §7.1–7.3 and the three types of the Soil Pollution Prevention Law):
  优先保护类 priority_protection when every item is at or below screening, 严格管控类 strict_control
  when any of Cd, Hg, As, Pb, Cr is above intervention, else 安全利用类 safe_utilisation. Cu, Ni, Zn
  and Table 2 items above screening count as above screening but can never make a sample strict
  control. The official category division also weighs crop co-monitoring (§7.4; the 2019 guideline was
  not retrieved): this is the soil-only rule.
* **Plots**: the worst sample decides.

Values are mg/kg (total content, as element; Table 1 note ①). :func:`to_mg_per_kg` converts other
mass-per-mass units through :mod:`envplan_core.units`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

import envplan_core.standards._soil_common as common
from envplan_core.errors import DataError
from envplan_core.parameters import Parameter, normalise_name
from envplan_core.standards._soil_common import SEVERITY, SOIL_UNIT, Exceedance, Level

__all__ = [
    "BASIC_ITEMS",
    "BY_ID",
    "CATEGORIES",
    "CATEGORY_EN",
    "CATEGORY_ZH",
    "INTERVENTION_ITEMS",
    "ITEMS",
    "LAND_USES",
    "OTHER_ITEMS",
    "PARAMETERS",
    "PH_BANDS",
    "RULES",
    "Category",
    "ClassificationRule",
    "Exceedance",
    "LandUse",
    "Level",
    "PlotResult",
    "SampleResult",
    "classify_arrays",
    "classify_plot",
    "classify_sample",
    "intervention_value",
    "judge_item",
    "parse_land_use",
    "ph_band",
    "screening_value",
    "to_mg_per_kg",
]

LandUse = Literal["paddy", "other", "orchard", "rotation"]
Category = Literal["priority_protection", "safe_utilisation", "strict_control"]

#: Land uses in code order (index = code used by :func:`classify_arrays`).
LAND_USES: Final[tuple[LandUse, ...]] = ("paddy", "other", "orchard", "rotation")
#: Categories from best to worst (index = code returned by :func:`classify_arrays`).
CATEGORIES: Final[tuple[Category, ...]] = ("priority_protection", "safe_utilisation", "strict_control")
CATEGORY_ZH: Final[Mapping[str, str]] = MappingProxyType(
    {"priority_protection": "优先保护类", "safe_utilisation": "安全利用类", "strict_control": "严格管控类"}
)
CATEGORY_EN: Final[Mapping[str, str]] = MappingProxyType(
    {
        "priority_protection": "priority protection",
        "safe_utilisation": "safe utilisation",
        "strict_control": "strict control",
    }
)
#: The four pH bands of Tables 1 and 3, as printed.
PH_BANDS: Final = ("pH≤5.5", "5.5<pH≤6.5", "6.5<pH≤7.5", "pH>7.5")
# Upper edges of the first three bands; np.searchsorted(side="left") puts an edge in the lower band.
_PH_EDGES: Final = np.array([5.5, 6.5, 7.5])

# 水浇地 (irrigated dryland) and 菜地 (vegetable land) are not 水田 nor 果园: Table 1's 其他.
_LAND_USE_SPELLINGS: Final[tuple[tuple[LandUse, tuple[str, ...]], ...]] = (
    ("paddy", ("paddy", "paddy field", "水田")),
    ("other", ("other", "upland", "dryland", "dry land", "其他", "旱地", "水浇地", "菜地")),
    ("orchard", ("orchard", "果园")),
    ("rotation", ("rotation", "paddy-upland rotation", "水旱轮作", "水旱轮作地")),
)
_LAND_USE_NAMES: Final[Mapping[str, LandUse]] = MappingProxyType(
    {normalise_name(name): use for use, names in _LAND_USE_SPELLINGS for name in names}
)


@attrs.frozen
class ClassificationRule:
    """One row of ``gb15618_2018_classification_rules.csv`` (AG-01 … AG-04)."""

    id: str
    text_zh: str
    text_en: str
    source: str
    confidence: str


def _load() -> tuple[
    tuple[str, ...],
    dict[str, npt.NDArray[np.float64]],
    dict[str, npt.NDArray[np.float64]],
    dict[str, str],
]:
    """Item ids (CSV order), screening (4 land uses × 4 bands), intervention (4 bands), table per item."""
    order: list[str] = []
    rows: dict[str, dict[str, tuple[float, ...]]] = {}  # item -> land_use_zh -> band values
    intervention: dict[str, npt.NDArray[np.float64]] = {}
    tables: dict[str, str] = {}
    for row in common.read_table(common.GB15618_FILE):
        pid = common.GB15618_IDS[row["parameter_zh"]]
        if row["unit"] != SOIL_UNIT:
            raise ValueError(f"{common.GB15618_FILE}: {pid} in {row['unit']!r}, expected mg/kg")
        band_values = tuple(
            float(row[c]) for c in ("pH_le_5.5", "pH_5.5_to_6.5", "pH_6.5_to_7.5", "pH_gt_7.5")
        )
        if row["value_type"] == "intervention":
            intervention[pid] = np.array(band_values)
            continue
        if pid not in order:
            order.append(pid)
            tables[pid] = row["table"]
        rows.setdefault(pid, {})[row["land_use_zh"]] = band_values
    screening: dict[str, npt.NDArray[np.float64]] = {}
    for pid in order:
        by_use = rows[pid]
        if set(by_use) not in ({"全部"}, {"水田", "其他"}, {"果园", "其他"}):
            raise ValueError(f"{common.GB15618_FILE}: {pid} has land uses {sorted(by_use)}")
        # 其他 covers every use the item's other row does not name (Cd…Cr: orchard; Cu: paddy).
        other = np.array(by_use.get("其他", by_use.get("全部")))
        paddy = np.array(by_use["水田"]) if "水田" in by_use else other
        orchard = np.array(by_use["果园"]) if "果园" in by_use else other
        # Table 1 note ②: paddy–upland rotation takes the stricter of the paddy and other values.
        screening[pid] = np.vstack([paddy, other, orchard, np.minimum(paddy, other)])
        if pid in intervention and not (screening[pid] < intervention[pid]).all():
            raise ValueError(f"{common.GB15618_FILE}: {pid} screening is not below intervention")
    return tuple(order), screening, intervention, tables


_ITEMS, _SCREENING, _INTERVENTION, _TABLES = _load()

#: The items GB 15618 judges, in the standard's order (Table 1, then Table 2).
ITEMS: Final[tuple[str, ...]] = _ITEMS
#: Table 1 (basic items, 必测): Cd, Hg, As, Pb, Cr, Cu, Ni, Zn.
BASIC_ITEMS: Final = tuple(pid for pid in ITEMS if _TABLES[pid] == "表1")
#: Table 2 (other items, 选测): HCH total, DDT total, benzo[a]pyrene.
OTHER_ITEMS: Final = tuple(pid for pid in ITEMS if _TABLES[pid] == "表2")
#: Items with a Table 3 intervention value (Cd, Hg, As, Pb, Cr): the only ones that can give strict control.
INTERVENTION_ITEMS: Final = frozenset(_INTERVENTION)
#: Every GB 15618 item plus soil pH (ids ``soil_*``, mg/kg; pH dimensionless 0–14).
PARAMETERS: Final[tuple[Parameter, ...]] = tuple(common.PARAMETERS_BY_ID[pid] for pid in (*ITEMS, "soil_pH"))
BY_ID: Final[Mapping[str, Parameter]] = MappingProxyType({p.id: p for p in PARAMETERS})
#: §7 rules and the three-category division, by id (AG-01 … AG-04).
RULES: Final[Mapping[str, ClassificationRule]] = MappingProxyType(
    {
        row["rule_id"]: ClassificationRule(
            row["rule_id"], row["rule_zh"], row["rule_en"], row["source"], row["confidence"]
        )
        for row in common.read_table(common.GB15618_RULES_FILE)
    }
)
# Stated by envplan when only items without an intervention value exceed (AG-04's note).
_NO_INTERVENTION_ZH: Final = "铜、镍、锌及表2项目无风险管制值，高于筛选值时至多为安全利用类"
_NO_INTERVENTION_EN: Final = "Cu, Ni, Zn and Table 2 items have no intervention value: above screening they give at most safe utilisation"
_ORDER: Final = {pid: i for i, pid in enumerate(ITEMS)}


def to_mg_per_kg(values: npt.ArrayLike, unit: str, *, parameter: str = "") -> npt.NDArray[np.float64]:
    """Concentrations in a mass-per-mass ``unit`` (µg/kg, g/kg, 毫克/千克 …) as mg/kg.

    A per-volume unit such as mg/L raises :class:`~envplan_core.errors.UnitError` (wrong dimension);
    so do bare numbers, ``%`` and ``ppm`` (no stated basis).
    """
    return common.to_mg_per_kg(values, unit, parameter=parameter)


def parse_land_use(name: str) -> LandUse:
    """``"paddy"``/水田, ``"other"``/``"upland"``/旱地/其他, ``"orchard"``/果园 or ``"rotation"``/水旱轮作."""
    use = _LAND_USE_NAMES.get(normalise_name(name))
    if use is None:
        raise DataError(
            f"unknown GB 15618 land use {name!r}: use paddy (水田), other/upland (其他/旱地), "
            "orchard (果园) or rotation (水旱轮作)"
        )
    return use


def _item(name: str) -> str:
    return common.standard_item(name, _ORDER, "GB 15618-2018")


def ph_band(ph: float | None, *, sample: str | None = None, row: int | None = None) -> int:
    """Band index 0…3 of :data:`PH_BANDS`; an edge (5.5, 6.5, 7.5) belongs to the lower band.

    Raises :class:`DataError` naming the sample (or row) when pH is missing (None/NaN) or outside 0–14.
    """
    value = _checked_ph(ph, sample, row)
    return int(np.searchsorted(_PH_EDGES, value, side="left"))


def _checked_ph(ph: object, sample: str | None, row: int | None) -> float:
    who = common.where(sample, row)
    if ph is None:
        raise DataError(f"{who}: no soil pH; GB 15618 values depend on the pH band", row=row, column="pH")
    try:
        value = float(ph)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DataError(f"{who}: soil pH is not a number: {ph!r}", row=row, column="pH") from None
    if math.isnan(value):
        raise DataError(f"{who}: no soil pH; GB 15618 values depend on the pH band", row=row, column="pH")
    if not 0.0 <= value <= 14.0:
        raise DataError(f"{who}: soil pH {value} is outside 0–14", row=row, column="pH")
    return value


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def screening_value(item: str, *, ph: float, land_use: str) -> float:
    """Risk screening value (风险筛选值, mg/kg) of Table 1 or 2 for the pH band and land use."""
    pid = _item(item)
    use = LAND_USES.index(parse_land_use(land_use))
    return float(_SCREENING[pid][use, ph_band(ph)])


def intervention_value(item: str, *, ph: float) -> float | None:
    """Risk intervention value (风险管制值, mg/kg) of Table 3, or None (Cu, Ni, Zn, Table 2)."""
    pid = _item(item)
    table = _INTERVENTION.get(pid)
    return None if table is None else float(table[ph_band(ph)])


def _level(value: float, screening: float, intervention: float | None) -> Level:
    if common.meets(value, screening):
        return "le_screening"
    if intervention is None:
        return "gt_screening"
    return "gt_screening_le_intervention" if common.meets(value, intervention) else "gt_intervention"


def judge_item(item: str, value: float, *, ph: float, land_use: str) -> Level:
    """The level of one item in one sample (see the module docstring); ``value`` in mg/kg."""
    pid = _item(item)
    number = common.concentration(pid, value, None, None)
    if number is None:
        raise DataError(f"no value for {pid}")
    return _level(number, screening_value(pid, ph=ph, land_use=land_use), intervention_value(pid, ph=ph))


def _rules(category: Category, exceedances: Sequence[Exceedance]) -> tuple[tuple[str, ...], str, str]:
    if category == "strict_control":
        ids = ("AG-03", "AG-04")
    elif category == "priority_protection":
        ids = ("AG-01", "AG-04")
    elif any(e.parameter in INTERVENTION_ITEMS for e in exceedances):
        ids = ("AG-02", "AG-04")
    else:
        ids = ("AG-01", "AG-04")
    zh = "；".join(f"{i}: {RULES[i].text_zh}" for i in ids)
    en = " ".join(f"{i}: {RULES[i].text_en.rstrip('.')}." for i in ids)
    if category == "safe_utilisation" and ids[0] == "AG-01":
        zh += f"；{_NO_INTERVENTION_ZH}"
        en += f" {_NO_INTERVENTION_EN}."
    return ids, zh, en


@attrs.frozen
class SampleResult:
    """One sample under GB 15618-2018.

    ``values`` are the judged items in mg/kg (canonical ids), ``levels`` each item's level,
    ``exceedances`` the items above screening (with both values, None where there is no intervention
    value), ``rule_ids``/``rule_zh``/``rule_en`` the classification rules that decided the category,
    ``ignored`` the names given that are not GB 15618 items (other soil parameters, or anything when
    ``ignore_unknown`` was set).
    """

    sample: str | None
    category: Category
    ph: float
    ph_band: str
    land_use: LandUse
    values: Mapping[str, float] = attrs.field(converter=common.readonly)
    levels: Mapping[str, Level] = attrs.field(converter=common.readonly)
    exceedances: tuple[Exceedance, ...]
    rule_ids: tuple[str, ...]
    rule_zh: str
    rule_en: str
    ignored: tuple[str, ...] = ()

    @property
    def category_zh(self) -> str:
        return CATEGORY_ZH[self.category]

    @property
    def category_en(self) -> str:
        return CATEGORY_EN[self.category]

    @property
    def exceeds_screening(self) -> tuple[str, ...]:
        return tuple(e.parameter for e in self.exceedances)

    @property
    def exceeds_intervention(self) -> tuple[str, ...]:
        return tuple(e.parameter for e in self.exceedances if e.level == "gt_intervention")


def classify_sample(
    values: Mapping[str, float | None],
    *,
    ph: float | None = None,
    land_use: str,
    sample: str | None = None,
    row: int | None = None,
    unit: str = SOIL_UNIT,
    ignore_unknown: bool = False,
) -> SampleResult:
    """Category of one sample from its item contents (any id or spelling as key).

    ``ph`` may instead be given in ``values`` (``"pH"``, ``"soil_pH"``); it is required either way. A
    missing item (None/NaN) is not judged; a sample with no item at all raises :class:`DataError`.
    ``unit`` is the unit of every value (converted with :func:`to_mg_per_kg`). Names of other soil
    parameters (GB 36600 items) are skipped and listed in ``ignored``; any other unknown name raises
    :class:`DataError` unless ``ignore_unknown``. ``sample`` or ``row`` name the sample in errors.
    """
    who = common.where(sample, row)
    found, ignored, aside = common.sample_contents(
        values,
        _ORDER,
        sample=sample,
        row=row,
        unit=unit,
        ignore_unknown=ignore_unknown,
        set_aside=("soil_pH",),
    )
    ph_given = aside.get("soil_pH")
    given = [_checked_ph(p, sample, row) for p in (ph, ph_given) if not _missing(p)]
    if len(set(given)) > 1:
        raise DataError(f"{who}: two different pH values ({ph} and {ph_given})", row=row, column="pH")
    ph_value = given[0] if given else _checked_ph(None, sample, row)
    band = int(np.searchsorted(_PH_EDGES, ph_value, side="left"))
    use = parse_land_use(land_use)
    ordered = common.in_standard_order(found, _ORDER, "GB 15618-2018", who, row)
    levels: dict[str, Level] = {}
    exceedances: list[Exceedance] = []
    for pid, value in ordered.items():
        screening = float(_SCREENING[pid][LAND_USES.index(use), band])
        table = _INTERVENTION.get(pid)
        intervention = None if table is None else float(table[band])
        level = _level(value, screening, intervention)
        levels[pid] = level
        if level != "le_screening":
            exceedances.append(Exceedance(pid, value, screening, intervention, level, sample=sample))
    category = CATEGORIES[max(SEVERITY[level] for level in levels.values())]
    rule_ids, rule_zh, rule_en = _rules(category, exceedances)
    return SampleResult(
        sample=sample,
        category=category,
        ph=ph_value,
        ph_band=PH_BANDS[band],
        land_use=use,
        values=ordered,
        levels=levels,
        exceedances=tuple(exceedances),
        rule_ids=rule_ids,
        rule_zh=rule_zh,
        rule_en=rule_en,
        ignored=tuple(ignored),
    )


@attrs.frozen
class PlotResult:
    """A plot (地块/图斑) from its samples: the worst sample decides.

    ``deciding`` are the samples at the plot's category (their labels; None for unlabelled ones),
    ``exceedances`` every sample's exceedances (each names its sample), ``rule_*`` the rules of the
    deciding samples.
    """

    plot: str | None
    category: Category
    samples: tuple[SampleResult, ...]
    deciding: tuple[str | None, ...]
    exceedances: tuple[Exceedance, ...]
    rule_ids: tuple[str, ...]
    rule_zh: str
    rule_en: str

    @property
    def category_zh(self) -> str:
        return CATEGORY_ZH[self.category]

    @property
    def category_en(self) -> str:
        return CATEGORY_EN[self.category]


def classify_plot(samples: Iterable[SampleResult], *, plot: str | None = None) -> PlotResult:
    """Category of a plot: its worst sample's (a plot exceeding only on Cu/Ni/Zn/Table 2 is at worst
    安全利用类, since none of its samples can be worse)."""
    results = common.plot_samples(samples, plot)
    code = max(CATEGORIES.index(s.category) for s in results)
    category = CATEGORIES[code]
    deciding = tuple(s for s in results if s.category == category)
    exceedances = tuple(e for s in results for e in s.exceedances)
    rule_ids, rule_zh, rule_en = _rules(category, [e for s in deciding for e in s.exceedances])
    return PlotResult(
        plot=plot,
        category=category,
        samples=results,
        deciding=tuple(s.sample for s in deciding),
        exceedances=exceedances,
        rule_ids=rule_ids,
        rule_zh=rule_zh,
        rule_en=rule_en,
    )


def _land_use_codes(land_use: str | npt.ArrayLike, n: int) -> npt.NDArray[np.intp]:
    if isinstance(land_use, str):
        return np.full(n, LAND_USES.index(parse_land_use(land_use)), dtype=np.intp)
    names = np.asarray(land_use)
    if names.shape != (n,):
        raise DataError(f"land_use must be one name or one per sample ({n}), not shape {names.shape}")
    unique, index = np.unique(names.astype(str), return_inverse=True)
    codes = np.array([LAND_USES.index(parse_land_use(str(u))) for u in unique], dtype=np.intp)
    return codes[index]


def classify_arrays(
    values: Mapping[str, npt.ArrayLike],
    ph: npt.ArrayLike,
    land_use: str | npt.ArrayLike,
    *,
    labels: Sequence[str] | None = None,
    unit: str = SOIL_UNIT,
) -> npt.NDArray[np.int8]:
    """Vectorised :func:`classify_sample`: category codes (index into :data:`CATEGORIES`) per sample.

    ``values`` maps items (any spelling) to arrays of contents in ``unit``, NaN where not measured;
    ``ph`` and ``land_use`` (one name or one per sample) line up with them. A sample with no item
    measured gets -1. A missing or out-of-range pH, or a negative content, raises :class:`DataError`
    naming the first such sample (by ``labels`` when given, else by its 0-based index).
    """
    ph_array = np.asarray(ph, dtype=np.float64)
    if ph_array.ndim != 1:
        raise DataError("ph must be one-dimensional")
    n = ph_array.shape[0]
    if labels is not None and len(labels) != n:
        raise DataError(f"{len(labels)} labels for {n} samples")
    bad = np.flatnonzero(~((ph_array >= 0.0) & (ph_array <= 14.0)))
    if bad.size:
        i = int(bad[0])
        raise DataError(
            f"sample {common.sample_label(labels, i)}: soil pH {ph_array[i]} is missing or outside 0–14",
            column="pH",
        )
    bands = np.searchsorted(_PH_EDGES, ph_array, side="left")
    uses = _land_use_codes(land_use, n)
    worst = np.full(n, -1, dtype=np.int8)
    for pid, column in common.item_columns(values, _item):
        if column.shape != (n,):
            raise DataError(f"{pid}: {column.shape} values for {n} samples")
        array = common.column_mg_per_kg(pid, column, unit, labels)
        screening = _SCREENING[pid][uses, bands]
        level = np.where(array <= screening * (1.0 + common.REL_TOL), 0, 1).astype(np.int8)
        table = _INTERVENTION.get(pid)
        if table is not None:
            level[array > table[bands] * (1.0 + common.REL_TOL)] = 2
        measured = ~np.isnan(array)
        worst[measured] = np.maximum(worst[measured], level[measured])
    return worst

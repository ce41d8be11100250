"""GB 36600-2018 土壤环境质量 建设用地土壤污染风险管控标准（试行）: land classes and verdicts.

The values are data: ``data/gb36600_2018_construction_soil.csv`` is a verbatim copy of the reference
table — Table 1 (45 basic items) and Table 2 (40 other items), screening and intervention values for
first- and second-class land, with CAS numbers. Its ``source`` column cites
``github:lensis22414017/SRS`` ``data/standards/gb36600_2018_official.csv`` (transcribed from the MEE
scan), an independent Java enum that agrees on all 85 rows, and http://m.boteman.cn/paper/239121497.html
for Table 1 items 1–34. This module parses it and applies the rules:

* **Land classes.** First-class land (第一类用地): residential (R), primary and secondary schools (A33),
  medical and health (A5), social welfare (A6) and, within park green space (G1), community and
  children's parks. Second-class land (第二类用地): industrial (M), logistics and warehousing (W),
  commercial and business (B), roads and transport (S), utilities (U), the rest of A, and green space
  and squares (G) other than those parks. Codes and names are GB 50137-2011's. **Doubt:** the mapping
  is taken from the reference README item 7, which gives it "from recollection of §3.4–3.5, not
  re-read" (another public encoding cites the standard's land-use clauses as §4 and §5.3.1); the
  GB 50137 sub-codes listed here are also from recollection, checked against one published copy of
  the GB 50137-2011 code table. Codes that span both classes (A, A3, G, G1) raise
  :class:`DataError` asking for the finer use. 一住两公 (residential plus public administration and
  public services, the uses Soil Pollution Prevention Law art. 59 names) maps to first class — a
  conservative reading chosen for envplan, not a clause of GB 36600.
* **Per item**, against the class's values: ``le_screening`` (equality meets the screening value),
  ``gt_screening_le_intervention``, ``gt_intervention`` (strictly above). Comparisons absorb
  floating-point noise only (one part in 10⁹).
* **Background footnote** (Table 1 and 2 footnote a): "具体地块土壤中污染物检测含量超过筛选值，但等于或者
  低于土壤环境背景值水平的，不纳入污染地块管理". The standard attaches it to arsenic, cobalt and
  vanadium (CSV notes), whose backgrounds (Appendix A) can exceed the screening values. It is applied
  only with a background level the caller supplies per item — never assumed. An exceedance at or below
  the supplied background is reported as exempted and does not count. A background for another item
  raises :class:`DataError` unless ``background_any_item=True`` (for local rules that extend the
  footnote).
* **Rule texts** (CS-01 … CS-06) are the use clauses of GB 36600 §5 as recalled (the reference gives no
  rule table for this standard; the substance is the reference's examples.md D4); each result carries
  the ones applied. **Plots**: the worst sample decides; all samples of a plot must share its class.
"""

from __future__ import annotations

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
    "CLASS_EN",
    "CLASS_ZH",
    "FOOTNOTE_A_ITEMS",
    "ITEMS",
    "LAND_USE_CODES",
    "LEVELS",
    "OTHER_ITEMS",
    "PARAMETERS",
    "RULES",
    "Exceedance",
    "ItemValues",
    "LandClass",
    "Level",
    "PlotResult",
    "SampleResult",
    "classify_arrays",
    "classify_plot",
    "classify_sample",
    "intervention_value",
    "item_values",
    "judge_item",
    "land_class",
    "screening_value",
    "to_mg_per_kg",
]

LandClass = Literal["first", "second"]
CLASS_ZH: Final[Mapping[str, str]] = MappingProxyType({"first": "第一类用地", "second": "第二类用地"})
CLASS_EN: Final[Mapping[str, str]] = MappingProxyType(
    {"first": "first-class land (sensitive uses)", "second": "second-class land"}
)
#: Sample levels by code (index = code returned by :func:`classify_arrays`).
LEVELS: Final[tuple[Level, ...]] = ("le_screening", "gt_screening_le_intervention", "gt_intervention")

#: GB 36600 §5 use clauses as recalled (see the module docstring): id -> (zh, en).
RULES: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "CS-01": (
            "建设用地规划用途为第一类用地的，适用表1和表2中第一类用地的筛选值和管制值；规划用途为第二类用地的，适用表1和表2中第二类用地的筛选值和管制值",
            "planned first-class land uses the first-class screening and intervention values of Tables 1 and 2; second-class land the second-class values",
        ),
        "CS-02": (
            "建设用地土壤中污染物含量等于或者低于风险筛选值的，建设用地土壤污染风险一般情况下可以忽略",
            "at or below the screening value the soil pollution risk can normally be ignored",
        ),
        "CS-03": (
            "通过初步调查确定建设用地土壤中污染物含量高于风险筛选值，应当依据HJ 25.1、HJ 25.2等标准及相关技术要求，开展详细调查",
            "above the screening value (preliminary survey): a detailed survey is required (HJ 25.1, HJ 25.2)",
        ),
        "CS-04": (
            "通过详细调查确定建设用地土壤中污染物含量等于或者低于风险管制值，应当依据HJ 25.3等标准及相关技术要求，开展风险评估，确定风险水平，判断是否需要采取风险管控或修复措施",
            "at or below the intervention value (detailed survey): a risk assessment (HJ 25.3) decides whether risk control or remediation is needed",
        ),
        "CS-05": (
            "通过详细调查确定建设用地土壤中污染物含量高于风险管制值，对人体健康通常存在不可接受风险，应当采取风险管控或修复措施",
            "above the intervention value: usually an unacceptable risk to human health; risk control or remediation measures are required",
        ),
        "CS-06": (
            "具体地块土壤中污染物检测含量超过筛选值，但等于或者低于土壤环境背景值水平的，不纳入污染地块管理",
            "above the screening value but at or below the soil environmental background level: not managed as a contaminated site (footnote a)",
        ),
    }
)

# GB 50137-2011 urban construction land codes, names and English glosses, by GB 36600 class.
_FIRST_CODES: Final = {
    "R": ("居住用地", "residential"), "R1": ("一类居住用地", ""), "R11": ("住宅用地", "housing"),
    "R12": ("服务设施用地", ""), "R2": ("二类居住用地", ""), "R21": ("住宅用地", ""), "R22": ("服务设施用地", ""),
    "R3": ("三类居住用地", ""), "R31": ("住宅用地", ""), "R32": ("服务设施用地", ""),
    "A33": ("中小学用地", "primary and secondary school"),
    "A5": ("医疗卫生用地", "medical and health"), "A51": ("医院用地", "hospital"),
    "A52": ("卫生防疫用地", ""), "A53": ("特殊医疗用地", ""), "A59": ("其他医疗卫生用地", ""),
    "A6": ("社会福利用地", "social welfare"),
}  # fmt: skip
_SECOND_CODES: Final = {
    "M": ("工业用地", "industrial"), "M1": ("一类工业用地", ""), "M2": ("二类工业用地", ""),
    "M3": ("三类工业用地", ""),
    "W": ("物流仓储用地", "logistics and warehousing"), "W1": ("一类物流仓储用地", ""),
    "W2": ("二类物流仓储用地", ""), "W3": ("三类物流仓储用地", ""),
    "B": ("商业服务业设施用地", "commercial"), "B1": ("商业用地", ""), "B11": ("零售商业用地", ""),
    "B12": ("批发市场用地", ""), "B13": ("餐饮用地", ""), "B14": ("旅馆用地", ""), "B2": ("商务用地", ""),
    "B21": ("金融保险用地", ""), "B22": ("艺术传媒用地", ""), "B29": ("其他商务用地", ""),
    "B3": ("娱乐康体用地", ""), "B31": ("娱乐用地", ""), "B32": ("康体用地", ""),
    "B4": ("公用设施营业网点用地", ""), "B41": ("加油加气站用地", ""), "B49": ("其他公用设施营业网点用地", ""),
    "B9": ("其他服务设施用地", ""),
    "S": ("道路与交通设施用地", "roads and transport"), "S1": ("城市道路用地", ""),
    "S2": ("城市轨道交通用地", ""), "S3": ("交通枢纽用地", ""), "S4": ("交通场站用地", ""),
    "S41": ("公共交通场站用地", ""), "S42": ("社会停车场用地", ""), "S9": ("其他交通设施用地", ""),
    "U": ("公用设施用地", "utilities"), "U1": ("供应设施用地", ""), "U11": ("供水用地", ""),
    "U12": ("供电用地", ""), "U13": ("供燃气用地", ""), "U14": ("供热用地", ""), "U15": ("通信用地", ""),
    "U16": ("广播电视用地", ""), "U2": ("环境设施用地", ""), "U21": ("排水用地", ""), "U22": ("环卫用地", ""),
    "U3": ("安全设施用地", ""), "U31": ("消防用地", ""), "U32": ("防洪用地", ""), "U9": ("其他公用设施用地", ""),
    "A1": ("行政办公用地", "administration"), "A2": ("文化设施用地", ""), "A21": ("图书展览用地", ""),
    "A22": ("文化活动用地", ""), "A31": ("高等院校用地", ""), "A32": ("中等专业学校用地", ""),
    "A34": ("特殊教育用地", ""), "A35": ("科研用地", ""), "A4": ("体育用地", ""), "A41": ("体育场馆用地", ""),
    "A42": ("体育训练用地", ""), "A7": ("文物古迹用地", ""), "A8": ("外事用地", ""), "A9": ("宗教用地", ""),
    "G2": ("防护绿地", "protective green space"), "G3": ("广场用地", "square"),
}  # fmt: skip
# Names that are not GB 50137 codes.
_FIRST_NAMES: Final = (
    "第一类用地", "一类用地", "first", "first class", "class 1", "1", "社区公园", "儿童公园",
    "community park", "children's park", "一住两公", "社会福利设施用地",
)  # fmt: skip
_SECOND_NAMES: Final = (
    "第二类用地",
    "二类用地",
    "second",
    "second class",
    "class 2",
    "2",
    "warehouse",
    "logistics",
)
# Codes spanning both classes: the finer use decides.
_AMBIGUOUS: Final = {
    "A": ("公共管理与公共服务设施用地", "A33/A5/A6 are first class, the rest of A second class"),
    "A3": ("教育科研用地", "A33 (primary/secondary schools) is first class, A31/A32/A34/A35 second class"),
    "G": ("绿地与广场用地", "community and children's parks are first class, other green space second class"),
    "G1": ("公园绿地", "community and children's parks are first class, other parks second class"),
}
#: GB 50137-2011 codes with their GB 36600 class (codes of both classes are rejected, see the docstring).
LAND_USE_CODES: Final[Mapping[str, LandClass]] = MappingProxyType(
    {**dict.fromkeys(_FIRST_CODES, "first"), **dict.fromkeys(_SECOND_CODES, "second")}
)


def _land_index() -> dict[str, LandClass]:
    index: dict[str, LandClass] = {}
    groups: tuple[tuple[dict[str, tuple[str, str]], tuple[str, ...], LandClass], ...] = (
        (_FIRST_CODES, _FIRST_NAMES, "first"),
        (_SECOND_CODES, _SECOND_NAMES, "second"),
    )
    for codes, names, cls in groups:
        for name in (*(n for code, pair in codes.items() for n in (code, *pair)), *names):
            if name and index.setdefault(normalise_name(name), cls) != cls:
                raise ValueError(f"land use {name!r} listed in both GB 36600 classes")
    return index


_LAND_INDEX: Final = _land_index()
_AMBIGUOUS_INDEX: Final = {
    normalise_name(n): code for code, (zh, _) in _AMBIGUOUS.items() for n in (code, zh)
} | {normalise_name("公共管理与公共服务用地"): "A"}


def land_class(land_use: str) -> LandClass:
    """GB 36600 class of a planned land use: a GB 50137 code (``R21``, ``M1``, ``A33``), its Chinese name
    (住宅用地 …), ``第一类用地``/``第二类用地``, 社区公园/儿童公园, or 一住两公.

    Unknown or class-spanning uses (A, A3, G, G1) raise :class:`DataError` listing what is known.
    """
    key = normalise_name(land_use)
    code = _AMBIGUOUS_INDEX.get(key)
    if code is not None:
        zh, why = _AMBIGUOUS[code]
        raise DataError(
            f"land use {land_use!r} ({code} {zh}) spans both GB 36600 classes: {why}; give the finer use"
        )
    cls = _LAND_INDEX.get(key)
    if cls is None:
        known_first = ", ".join(_FIRST_CODES)
        known_second = ", ".join(_SECOND_CODES)
        raise DataError(
            f"unknown land use {land_use!r} for GB 36600. Known: 第一类用地 / 第二类用地; first class "
            f"{known_first}, 社区公园, 儿童公园, 一住两公; second class {known_second} "
            "(GB 50137-2011 codes or their Chinese names)"
        )
    return cls


@attrs.frozen
class ItemValues:
    """One row of GB 36600 Table 1 or 2 (mg/kg); ``None`` where the standard gives no value."""

    parameter_id: str
    table: str
    item_no: int
    name_zh: str
    name_en: str
    cas: str
    group_zh: str
    screening_first: float | None
    screening_second: float | None
    intervention_first: float | None
    intervention_second: float | None
    footnote_a: bool
    notes: str

    def screening(self, cls: LandClass) -> float | None:
        return self.screening_first if cls == "first" else self.screening_second

    def intervention(self, cls: LandClass) -> float | None:
        return self.intervention_first if cls == "first" else self.intervention_second


def _number(text: str) -> float | None:
    text = text.strip()
    return None if text in ("", "—", "-", "/") else float(text)


def _load() -> dict[str, ItemValues]:
    items: dict[str, ItemValues] = {}
    for row in common.read_table(common.GB36600_FILE):
        pid = common.GB36600_IDS[row["parameter_zh"]]
        if row["unit"] != SOIL_UNIT or pid in items:
            raise ValueError(f"{common.GB36600_FILE}: {pid}: unit {row['unit']!r} or a second row")
        values = ItemValues(
            parameter_id=pid,
            table=row["table"],
            item_no=int(row["item_no"]),
            name_zh=row["parameter_zh"],
            name_en=row["parameter_en"],
            cas=row["cas"],
            group_zh=row["group_zh"],
            screening_first=_number(row["screening_class1"]),
            screening_second=_number(row["screening_class2"]),
            intervention_first=_number(row["intervention_class1"]),
            intervention_second=_number(row["intervention_class2"]),
            footnote_a="footnote a" in row["notes"],
            notes=row["notes"],
        )
        classes: tuple[LandClass, ...] = ("first", "second")
        for cls in classes:
            s, i = values.screening(cls), values.intervention(cls)
            if s is not None and i is not None and s > i:
                raise ValueError(f"{common.GB36600_FILE}: {pid} {cls}-class screening above intervention")
        items[pid] = values
    return items


_VALUES: Final = _load()
#: All 85 items in the standard's order (Table 1 items 1–45, Table 2 items 1–40).
ITEMS: Final[tuple[str, ...]] = tuple(_VALUES)
BASIC_ITEMS: Final = tuple(p for p in ITEMS if _VALUES[p].table == "表1")
OTHER_ITEMS: Final = tuple(p for p in ITEMS if _VALUES[p].table == "表2")
#: Items carrying footnote a (background level) in the standard: arsenic, cobalt, vanadium.
FOOTNOTE_A_ITEMS: Final = frozenset(p for p in ITEMS if _VALUES[p].footnote_a)
#: The 85 items as parameters (``soil_*``, mg/kg); Cd, Hg, As, Pb, Cu, Ni and BaP are GB 15618's too.
PARAMETERS: Final[tuple[Parameter, ...]] = tuple(common.PARAMETERS_BY_ID[p] for p in ITEMS)
BY_ID: Final[Mapping[str, Parameter]] = MappingProxyType({p.id: p for p in PARAMETERS})
_ORDER: Final = {p: i for i, p in enumerate(ITEMS)}
_NAN: Final = float("nan")


def _item(name: str) -> str:
    return common.standard_item(name, _ORDER, "GB 36600-2018")


def to_mg_per_kg(values: npt.ArrayLike, unit: str, *, parameter: str = "") -> npt.NDArray[np.float64]:
    """Concentrations in a mass-per-mass ``unit`` (µg/kg, ng/kg, g/kg …) as mg/kg; mg/L raises UnitError."""
    return common.to_mg_per_kg(values, unit, parameter=parameter)


def item_values(item: str) -> ItemValues:
    """The Table 1/2 row of an item (any id or spelling)."""
    return _VALUES[_item(item)]


def screening_value(item: str, land_class: LandClass | str) -> float | None:
    """Screening value (mg/kg) for a class (``"first"``/``"second"``) or any land use :func:`land_class` reads."""
    return item_values(item).screening(_class(land_class))


def intervention_value(item: str, land_class: LandClass | str) -> float | None:
    """Intervention value (mg/kg) for a class or land use."""
    return item_values(item).intervention(_class(land_class))


def _class(land_use: str) -> LandClass:
    return land_use if land_use in ("first", "second") else land_class(land_use)  # type: ignore[return-value]


def _level(value: float, screening: float | None, intervention: float | None) -> Level:
    if screening is None or common.meets(value, screening):
        return "le_screening"
    if intervention is None or common.meets(value, intervention):
        return "gt_screening_le_intervention"
    return "gt_intervention"


def judge_item(item: str, value: float, land_class: LandClass | str) -> Level:
    """Level of one item's content (mg/kg) against the class's values (no background exemption)."""
    values = item_values(item)
    number = common.concentration(values.parameter_id, value, None, None)
    if number is None:
        raise DataError(f"no value for {values.parameter_id}")
    cls = _class(land_class)
    return _level(number, values.screening(cls), values.intervention(cls))


def _rules(level: Level, exempted: bool) -> tuple[tuple[str, ...], str, str]:
    ids = [
        "CS-01",
        {"le_screening": "CS-02", "gt_screening_le_intervention": "CS-03", "gt_intervention": "CS-05"}[level],
    ]
    if level == "gt_screening_le_intervention":
        ids.append("CS-04")
    if exempted:
        ids.append("CS-06")
    return (
        tuple(ids),
        "；".join(f"{i}: {RULES[i][0]}" for i in ids),
        " ".join(f"{i}: {RULES[i][1]}." for i in ids),
    )


@attrs.frozen
class SampleResult:
    """One sample under GB 36600-2018.

    ``land_class`` names the class whose values were applied. ``values`` (mg/kg) and ``levels`` cover
    every item judged (levels before any exemption). ``exceeds_screening`` lists the items above
    screening that count (exempted ones left out; those above intervention included),
    ``exceeds_intervention`` those above intervention, ``exempted`` the items covered by the supplied
    background (footnote a). ``level`` is the worst counting level. ``exceedances`` holds every
    exceedance, exempted ones flagged. ``ignored`` lists names that are not GB 36600 items.
    """

    sample: str | None
    land_use: str
    land_class: LandClass
    level: Level
    values: Mapping[str, float] = attrs.field(converter=common.readonly)
    levels: Mapping[str, Level] = attrs.field(converter=common.readonly)
    exceedances: tuple[Exceedance, ...]
    rule_ids: tuple[str, ...]
    rule_zh: str
    rule_en: str
    ignored: tuple[str, ...] = ()

    @property
    def class_zh(self) -> str:
        return CLASS_ZH[self.land_class]

    @property
    def exceeds_screening(self) -> tuple[str, ...]:
        return tuple(e.parameter for e in self.exceedances if not e.exempted)

    @property
    def exceeds_intervention(self) -> tuple[str, ...]:
        return tuple(e.parameter for e in self.exceedances if not e.exempted and e.level == "gt_intervention")

    @property
    def exempted(self) -> tuple[str, ...]:
        return tuple(e.parameter for e in self.exceedances if e.exempted)


def _backgrounds(
    background: Mapping[str, float] | None, unit: str, any_item: bool, who: str, row: int | None
) -> dict[str, float]:
    found: dict[str, float] = {}
    for name, raw in (background or {}).items():
        pid = _item(name)
        if pid not in FOOTNOTE_A_ITEMS and not any_item:
            raise DataError(
                f"{who}: GB 36600 footnote a (background level) applies to "
                f"{', '.join(sorted(FOOTNOTE_A_ITEMS))}, not {pid}; pass background_any_item=True to "
                "apply a local rule that extends it",
                row=row,
            )
        number = common.concentration(pid, raw, None, row)
        if number is None:
            raise DataError(f"{who}: background for {pid} is missing", row=row)
        found[pid] = float(to_mg_per_kg([number], unit, parameter=pid)[0]) if unit != SOIL_UNIT else number
    return found


def classify_sample(
    values: Mapping[str, float | None],
    *,
    land_use: str,
    sample: str | None = None,
    row: int | None = None,
    background: Mapping[str, float] | None = None,
    background_any_item: bool = False,
    unit: str = SOIL_UNIT,
    ignore_unknown: bool = False,
) -> SampleResult:
    """Judge one sample's contents (any id or spelling as key) against its land use's class.

    ``background`` maps items to the local background level (same ``unit`` as the values) the caller
    vouches for; footnote a then exempts an exceedance at or below it. Missing items (None/NaN) are
    not judged; a sample with no item raises :class:`DataError`. Names of other soil parameters
    (pH, GB 15618 items) are skipped and listed in ``ignored``; other unknown names raise
    :class:`DataError` unless ``ignore_unknown``.
    """
    who = common.where(sample, row)
    cls = _class(land_use)
    backgrounds = _backgrounds(background, unit, background_any_item, who, row)
    found, ignored, _ = common.sample_contents(
        values, _ORDER, sample=sample, row=row, unit=unit, ignore_unknown=ignore_unknown
    )
    ordered = common.in_standard_order(found, _ORDER, "GB 36600-2018", who, row)
    levels: dict[str, Level] = {}
    exceedances: list[Exceedance] = []
    counting = 0
    for pid, value in ordered.items():
        screening, intervention = _VALUES[pid].screening(cls), _VALUES[pid].intervention(cls)
        level = _level(value, screening, intervention)
        levels[pid] = level
        if level == "le_screening" or screening is None:
            continue
        bg = backgrounds.get(pid)
        exempt = bg is not None and common.meets(value, bg)
        exceedances.append(
            Exceedance(
                pid, value, screening, intervention, level, sample=sample, background=bg, exempted=exempt
            )
        )
        if not exempt:
            counting = max(counting, SEVERITY[level])
    level = LEVELS[counting]
    rule_ids, rule_zh, rule_en = _rules(level, any(e.exempted for e in exceedances))
    return SampleResult(
        sample=sample,
        land_use=land_use,
        land_class=cls,
        level=level,
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
    """A plot (地块) from its samples: the worst sample decides; every sample is judged in one class."""

    plot: str | None
    land_class: LandClass
    level: Level
    samples: tuple[SampleResult, ...]
    deciding: tuple[str | None, ...]
    exceedances: tuple[Exceedance, ...]
    rule_ids: tuple[str, ...]
    rule_zh: str
    rule_en: str

    @property
    def class_zh(self) -> str:
        return CLASS_ZH[self.land_class]

    @property
    def exceeds_screening(self) -> tuple[str, ...]:
        """Items above screening in any sample (not exempted), in the standard's order."""
        return tuple(
            sorted({e.parameter for e in self.exceedances if not e.exempted}, key=_ORDER.__getitem__)
        )

    @property
    def exceeds_intervention(self) -> tuple[str, ...]:
        found = {e.parameter for e in self.exceedances if not e.exempted and e.level == "gt_intervention"}
        return tuple(sorted(found, key=_ORDER.__getitem__))


def classify_plot(samples: Iterable[SampleResult], *, plot: str | None = None) -> PlotResult:
    """A plot's level: the worst of its samples' levels (exemptions already applied per sample)."""
    results = common.plot_samples(samples, plot)
    classes = {s.land_class for s in results}
    if len(classes) > 1:
        raise DataError(f"plot {plot!r}: samples judged as both first- and second-class land")
    level = LEVELS[max(LEVELS.index(s.level) for s in results)]
    deciding = tuple(s for s in results if s.level == level)
    rule_ids, rule_zh, rule_en = _rules(level, any(e.exempted for s in results for e in s.exceedances))
    return PlotResult(
        plot=plot,
        land_class=classes.pop(),
        level=level,
        samples=results,
        deciding=tuple(s.sample for s in deciding),
        exceedances=tuple(e for s in results for e in s.exceedances),
        rule_ids=rule_ids,
        rule_zh=rule_zh,
        rule_en=rule_en,
    )


def classify_arrays(
    values: Mapping[str, npt.ArrayLike],
    land_use: str,
    *,
    background: Mapping[str, float] | None = None,
    background_any_item: bool = False,
    labels: Sequence[str] | None = None,
    unit: str = SOIL_UNIT,
) -> npt.NDArray[np.int8]:
    """Vectorised :func:`classify_sample` for the samples of one land use: level codes (index into
    :data:`LEVELS`) per sample, -1 where no item was measured. NaN is "not measured"; a negative content
    raises :class:`DataError` naming the sample (by ``labels``, else by 0-based index)."""
    cls = _class(land_use)
    backgrounds = _backgrounds(background, unit, background_any_item, "classify_arrays", None)
    n = -1
    worst = np.empty(0, dtype=np.int8)
    for pid, column in common.item_columns(values, _item):
        if n < 0:
            if column.ndim != 1:
                raise DataError(f"{pid}: values must be one-dimensional")
            n = column.shape[0]
            worst = np.full(n, -1, dtype=np.int8)
            if labels is not None and len(labels) != n:
                raise DataError(f"{len(labels)} labels for {n} samples")
        if column.shape != (n,):
            raise DataError(f"{pid}: values of shape {column.shape}, expected ({n},)")
        array = common.column_mg_per_kg(pid, column, unit, labels)
        screening, intervention = _VALUES[pid].screening(cls), _VALUES[pid].intervention(cls)
        level = np.zeros(n, dtype=np.int8)
        if screening is not None:
            level[array > screening * (1.0 + common.REL_TOL)] = 1
            if intervention is not None:
                level[array > intervention * (1.0 + common.REL_TOL)] = 2
            bg = backgrounds.get(pid, _NAN)
            level[array <= bg * (1.0 + common.REL_TOL)] = 0  # footnote a; NaN background never exempts
        measured = ~np.isnan(array)
        worst[measured] = np.maximum(worst[measured], level[measured])
    return worst

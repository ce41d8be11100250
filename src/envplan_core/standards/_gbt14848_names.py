"""Envplan's ids and spellings for the 93 items of GB/T 14848-2017 (used by :mod:`.gbt14848` only).

Keyed by the CSV's ``item_no`` (the standard's own numbering, Table 1 items 1–39, Table 2 items 40–93).
The standard's Chinese and English names stay in the CSV; this table adds the canonical id and the
spellings met in laboratory reports and exports.

Ids are global across envplan's standards. Items that are the same substance in the same unit as a
GB 3838-2002 item reuse its id (``gbt14848.SHARED_WITH_GB3838`` lists them); the others get ids no other
standard uses. Cobalt is ``cobalt``, not ``Co``: names are matched case-insensitively, and ``co`` is
already carbon monoxide (GB 3095).
"""

from __future__ import annotations

from typing import Final

__all__ = ["NAMES"]

NAMES: Final[dict[int, tuple[str, tuple[str, ...]]]] = {
    # Table 1, 感官性状及一般化学指标
    1: ("colour", ("色", "色度", "color", "Pt-Co colour", "铂钴色度")),
    2: ("odour_taste", ("嗅和味", "臭和味", "嗅味", "odor and taste", "taste and odour")),
    3: ("turbidity", ("浑浊度", "浊度")),
    4: ("visible_matter", ("肉眼可见物", "visible matters")),
    5: ("pH", ("pH值",)),
    6: (
        "total_hardness",
        ("总硬度", "总硬度（以CaCO₃计）", "总硬度(以CaCO3计)", "total hardness", "hardness"),
    ),
    7: ("TDS", ("溶解性总固体", "可溶性固体总量", "溶解性固体", "total dissolved solids")),
    8: ("SO4", ("硫酸盐", "sulfate", "sulphate")),
    9: ("Cl", ("氯化物", "chloride")),
    10: ("Fe", ("铁", "iron")),
    11: ("Mn", ("锰", "manganese")),
    12: ("Cu", ("铜", "copper")),
    13: ("Zn", ("锌", "zinc")),
    14: ("Al", ("铝", "aluminium", "aluminum")),
    15: (
        "volatile_phenol",
        ("挥发性酚类", "挥发性酚类（以苯酚计）", "挥发性酚类(以苯酚计)", "挥发酚", "volatile phenols"),
    ),
    16: ("LAS", ("阴离子表面活性剂", "阴离子合成洗涤剂", "anionic surfactants")),
    17: (
        "CODMn",
        (
            "耗氧量",
            "耗氧量（CODMn法，以O₂计）",
            "耗氧量(CODMn法,以O2计)",
            "oxygen consumption",
            "高锰酸盐指数",
        ),
    ),
    18: ("NH3-N", ("氨氮", "氨氮（以N计）", "ammonia nitrogen")),
    19: ("S2-", ("硫化物", "sulfide", "sulphide")),
    20: ("Na", ("钠", "sodium")),
    # Table 1, 微生物指标
    21: ("total_coliform", ("总大肠菌群", "大肠菌群", "total coliforms", "total coliform")),
    22: (
        "total_bacteria",
        ("菌落总数", "细菌总数", "colony count", "total bacteria", "total bacterial count"),
    ),
    # Table 1, 毒理学指标
    23: (
        "NO2-N",
        ("亚硝酸盐", "亚硝酸盐（以N计）", "亚硝酸盐氮", "亚硝酸盐(以N计)", "nitrite", "nitrite nitrogen"),
    ),
    24: ("NO3-N", ("硝酸盐", "硝酸盐（以N计）", "硝酸盐氮", "nitrate", "nitrate nitrogen")),
    25: ("CN", ("氰化物", "cyanide")),
    26: ("F", ("氟化物", "fluoride")),
    27: ("iodide", ("碘化物",)),
    28: ("Hg", ("汞", "mercury")),
    29: ("As", ("砷", "arsenic")),
    30: ("Se", ("硒", "selenium")),
    31: ("Cd", ("镉", "cadmium")),
    32: ("Cr6+", ("六价铬", "铬（六价）", "铬(六价)", "hexavalent chromium")),
    33: ("Pb", ("铅", "lead")),
    34: ("chloroform", ("三氯甲烷", "氯仿", "trichloromethane")),
    35: ("carbon_tetrachloride", ("四氯化碳", "tetrachloromethane", "CCl4", "CCl₄")),
    36: ("benzene", ("苯",)),
    37: ("toluene", ("甲苯",)),
    # Table 1, 放射性指标
    38: ("gross_alpha", ("总α放射性", "总α", "总a放射性", "gross alpha", "gross α")),
    39: ("gross_beta", ("总β放射性", "总β", "总b放射性", "gross beta", "gross β")),
    # Table 2, 毒理学指标（非常规）
    40: ("Be", ("铍", "beryllium")),
    41: ("B", ("硼", "boron")),
    42: ("Sb", ("锑", "antimony")),
    43: ("Ba", ("钡", "barium")),
    44: ("Ni", ("镍", "nickel")),
    45: ("cobalt", ("钴",)),
    46: ("Mo", ("钼", "molybdenum")),
    47: ("Ag", ("银", "silver")),
    48: ("Tl", ("铊", "thallium")),
    49: ("dichloromethane", ("二氯甲烷", "methylene chloride")),
    50: ("1,2-dichloroethane", ("1,2-二氯乙烷", "1,2-DCA")),
    51: ("1,1,1-trichloroethane", ("1,1,1-三氯乙烷", "1,1,1-TCA")),
    52: ("1,1,2-trichloroethane", ("1,1,2-三氯乙烷", "1,1,2-TCA")),
    53: ("1,2-dichloropropane", ("1,2-二氯丙烷",)),
    54: ("bromoform", ("三溴甲烷", "溴仿", "tribromomethane")),
    55: ("vinyl_chloride", ("氯乙烯", "vinyl chloride", "chloroethene")),
    56: ("1,1-dichloroethylene", ("1,1-二氯乙烯", "1,1-dichloroethene", "1,1-DCE")),
    57: ("1,2-dichloroethylene", ("1,2-二氯乙烯", "1,2-dichloroethene", "1,2-DCE")),
    58: ("trichloroethylene", ("三氯乙烯", "trichloroethene", "TCE")),
    59: ("tetrachloroethylene", ("四氯乙烯", "tetrachloroethene", "perchloroethylene", "PCE")),
    60: ("chlorobenzene", ("氯苯",)),
    61: ("o-dichlorobenzene", ("邻二氯苯", "1,2-二氯苯", "1,2-dichlorobenzene")),
    62: ("p-dichlorobenzene", ("对二氯苯", "1,4-二氯苯", "1,4-dichlorobenzene")),
    63: ("trichlorobenzenes", ("三氯苯（总量）", "三氯苯", "trichlorobenzene")),
    64: ("ethylbenzene", ("乙苯",)),
    65: ("xylenes", ("二甲苯（总量）", "二甲苯", "xylene")),
    66: ("styrene", ("苯乙烯",)),
    67: ("2,4-dinitrotoluene", ("2,4-二硝基甲苯", "2,4-DNT")),
    68: ("2,6-dinitrotoluene", ("2,6-二硝基甲苯", "2,6-DNT")),
    69: ("naphthalene", ("萘",)),
    70: ("anthracene", ("蒽",)),
    71: ("fluoranthene", ("荧蒽",)),
    72: (
        "benzo[b]fluoranthene",
        ("苯并(b)荧蒽", "苯并[b]荧蒽", "苯并（b）荧蒽", "benzo(b)fluoranthene", "BbF"),
    ),
    73: ("BaP", ("苯并(a)芘", "苯并[a]芘", "苯并（a）芘", "benzo(a)pyrene")),
    74: ("PCBs", ("多氯联苯（总量）", "多氯联苯", "polychlorinated biphenyls", "PCB")),
    75: (
        "DEHP",
        ("邻苯二甲酸二(2-乙基己基)酯", "邻苯二甲酸二（2-乙基己基）酯", "bis(2-ethylhexyl) phthalate"),
    ),
    76: ("2,4,6-trichlorophenol", ("2,4,6-三氯酚", "2,4,6-三氯苯酚", "2,4,6-TCP")),
    77: ("PCP", ("五氯酚", "五氯苯酚", "pentachlorophenol")),
    78: ("HCH", ("六六六（总量）", "六六六", "hexachlorocyclohexane", "BHC")),
    79: ("lindane", ("γ-六六六（林丹）", "γ-六六六", "林丹", "γ-HCH", "gamma-HCH")),
    80: ("DDT", ("滴滴涕（总量）", "滴滴涕", "DDTs")),
    81: ("HCB", ("六氯苯", "hexachlorobenzene")),
    82: ("heptachlor", ("七氯",)),
    83: ("2,4-D", ("2,4-滴", "2,4-二氯苯氧乙酸", "2,4-dichlorophenoxyacetic acid")),
    84: ("carbofuran", ("克百威", "呋喃丹")),
    85: ("aldicarb", ("涕灭威",)),
    86: ("dichlorvos", ("敌敌畏", "DDVP")),
    87: ("parathion-methyl", ("甲基对硫磷", "methyl parathion")),
    88: ("malathion", ("马拉硫磷",)),
    89: ("dimethoate", ("乐果",)),
    90: ("chlorpyrifos", ("毒死蜱",)),
    91: ("chlorothalonil", ("百菌清",)),
    92: ("atrazine", ("莠去津", "阿特拉津")),
    93: ("glyphosate", ("草甘膦",)),
}

"""Generate the SYNTHETIC groundwater observations of the groundwater plan (groundwater-2023).

    python plugins/groundwater/scripts/make_examples.py            # rewrites examples/observations.csv
    python plugins/groundwater/scripts/make_examples.py OUT_DIR    # writes it into OUT_DIR instead

Everything here is made up and labelled as such; none of it is a real monitoring result of 新绛县. The
values are deterministic (no randomness): each full point has two samples (2023-05-16 and 2023-10-18)
at ±3 % around the period mean chosen for it, so the mean, and the class, are the ones listed below. The
other example files (inventory.yaml, inventory_wells.csv, progress.csv) are written by hand; README.md
in the examples folder lists what every file gives.

Points (names start with 示例; register in inventory.yaml, kind groundwater_point):

* 示例区域点位1 — the typical point: class Ⅲ (hardness, TDS, sulfate, nitrate, arsenic).
* 示例区域点位2 — fluoride 1.45 mg/L and hardness 520 mg/L: class Ⅳ (its own target in the register: Ⅲ).
* 示例区域点位3 — only colour, turbidity, odour and colony count: no decisive item, insufficient data.
* 示例饮用水源点位1 — class Ⅱ (met).
* 示例饮用水源点位2 — nitrate 24.5 mg/L and manganese 0.16 mg/L: class Ⅳ (not met).
* 示例饮用水源点位3 — one sample without sodium, iodide, nitrite and iron: class Ⅱ on what was measured,
  but decisive items are missing (insufficient data).
* 示例污染风险监控点位1 — TDS 2150, sulfate 420, chloride 380, hardness 700 mg/L: class Ⅴ (met against
  "not worse than Ⅴ"; its own target in the register: Ⅳ); non-routine organics as non-detects.
* 示例污染风险监控点位2 — the typical point with trichloroethylene 3.2 µg/L (class Ⅱ) and one dissolved-
  oxygen row (not a GB/T 14848 item: left out and reported).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "envplan_groundwater" / "examples"
NOTE = "合成示例数据 SYNTHETIC"
DATES = ("2023-05-16", "2023-10-18")

# item (as a laboratory writes it) -> (period mean or non-detect text, unit)
TYPICAL: dict[str, tuple[float | str, str]] = {
    "色度": (5.0, "无量纲"),
    "嗅和味": (0.0, "无量纲"),
    "浑浊度": (0.8, "NTU"),
    "肉眼可见物": (0.0, "无量纲"),
    "pH": (7.7, "无量纲"),
    "总硬度": (380.0, "mg/L"),
    "溶解性总固体": (760.0, "mg/L"),
    "硫酸盐": (160.0, "mg/L"),
    "氯化物": (120.0, "mg/L"),
    "铁": ("<0.03", "mg/L"),
    "锰": ("<0.01", "mg/L"),
    "铜": ("<0.005", "mg/L"),
    "锌": (0.02, "mg/L"),
    "铝": ("<0.008", "mg/L"),
    "挥发酚": ("<0.0003", "mg/L"),
    "阴离子表面活性剂": ("<0.05", "mg/L"),
    "耗氧量": (1.2, "mg/L"),
    "氨氮": (0.08, "mg/L"),
    "硫化物": ("<0.003", "mg/L"),
    "钠": (95.0, "mg/L"),
    "总大肠菌群": ("<2", "MPN/100mL"),
    "菌落总数": (42.0, "CFU/mL"),
    "亚硝酸盐氮": ("<0.003", "mg/L"),
    "硝酸盐氮": (8.5, "mg/L"),
    "氰化物": ("<0.001", "mg/L"),
    "氟化物": (0.62, "mg/L"),
    "碘化物": ("<0.025", "mg/L"),
    "汞": ("<0.04", "µg/L"),
    "砷": (1.8, "µg/L"),
    "硒": ("<0.4", "µg/L"),
    "镉": ("<0.05", "µg/L"),
    "六价铬": ("<0.004", "mg/L"),
    "铅": ("<2.5", "µg/L"),
    "三氯甲烷": ("<0.4", "µg/L"),
    "四氯化碳": ("<0.4", "µg/L"),
    "苯": ("<0.4", "µg/L"),
    "甲苯": ("<0.3", "µg/L"),
    "总α放射性": (0.06, "Bq/L"),
    "总β放射性": (0.35, "Bq/L"),
}
CLEAN = {  # a drinking-source point of class Ⅱ
    **TYPICAL,
    "总硬度": (260.0, "mg/L"),
    "溶解性总固体": (480.0, "mg/L"),
    "硫酸盐": (90.0, "mg/L"),
    "硝酸盐氮": (4.1, "mg/L"),
    "砷": ("<1.0", "µg/L"),
}

POINTS: dict[str, tuple[tuple[str, ...], dict[str, tuple[float | str, str]]]] = {
    "示例区域点位1": (DATES, TYPICAL),
    "示例区域点位2": (DATES, {**TYPICAL, "氟化物": (1.45, "mg/L"), "总硬度": (520.0, "mg/L")}),
    "示例区域点位3": (
        DATES[:1],
        {k: TYPICAL[k] for k in ("色度", "浑浊度", "嗅和味")} | {"菌落总数": (80.0, "CFU/mL")},
    ),
    "示例饮用水源点位1": (DATES, CLEAN),
    "示例饮用水源点位2": (DATES, {**TYPICAL, "硝酸盐氮": (24.5, "mg/L"), "锰": (0.16, "mg/L")}),
    "示例饮用水源点位3": (
        DATES[:1],
        {k: v for k, v in CLEAN.items() if k not in ("钠", "碘化物", "亚硝酸盐氮", "铁")},
    ),
    "示例污染风险监控点位1": (
        DATES,
        {
            **TYPICAL,
            "溶解性总固体": (2150.0, "mg/L"),
            "硫酸盐": (420.0, "mg/L"),
            "氯化物": (380.0, "mg/L"),
            "总硬度": (700.0, "mg/L"),
            "1,2-二氯乙烷": ("<0.4", "µg/L"),
            "苯并(a)芘": ("<0.002", "µg/L"),
            "镍": ("<0.002", "mg/L"),
        },
    ),
    "示例污染风险监控点位2": (
        DATES,
        {**TYPICAL, "三氯乙烯": (3.2, "µg/L"), "溶解氧": (6.8, "mg/L")},
    ),
}


def _value(mean: float | str, item: str, k: int, n: int) -> str:
    if isinstance(mean, str):
        return mean
    if n == 1 or mean == 0.0:
        return f"{mean:g}"
    if item == "pH":
        return f"{mean + (-0.1 if k == 0 else 0.1):.1f}"
    factor = 0.97 if k == 0 else 1.03
    return f"{mean * factor:.6g}"


def rows() -> list[list[str]]:
    out = [["site", "parameter", "time", "value", "unit", "note"]]
    for site, (dates, items) in POINTS.items():
        for k, day in enumerate(dates):
            for item, (mean, unit) in items.items():
                out.append([site, item, day, _value(mean, item, k, len(dates)), unit, NOTE])
    return out


def main(out_dir: Path = HERE) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "observations.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows())


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)

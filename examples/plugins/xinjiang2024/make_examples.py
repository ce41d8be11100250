"""Write the SYNTHETIC example data of this illustrative plan (deterministic; rerun to regenerate).

    python make_examples.py

- observations.csv: daily PM2.5 means of 2024 at the two county stations (annual mean ≈ 38 µg/m³, so
  the 40 µg/m³ target is met) and monthly samples at 杨赵桥 (ammonia nitrogen ≈ 1.2 mg/L in the
  annual mean: class Ⅳ, so the class-Ⅲ target is not met);
- progress.csv: task 1 done on time, task 2 done late, task 3 in progress.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

OUT = Path(__file__).resolve().parent / "envplan_xinjiang2024" / "examples"
NOTE = "合成示例数据 SYNTHETIC"


def observations() -> list[list[str]]:
    rows = [["site", "parameter", "time", "value", "unit", "note"]]
    day = dt.date(2024, 1, 1)
    while day.year == 2024:
        n = day.timetuple().tm_yday
        seasonal = 14.0 * math.cos(2 * math.pi * (n - 15) / 366)  # winter high, summer low
        for site, offset in (("城区监测站", 2.0), ("开发区监测站", -2.0)):
            value = 38.0 + seasonal + offset + 3.0 * math.sin(n * 0.7)
            rows.append([site, "PM2.5", day.isoformat(), f"{value:.0f}", "µg/m³", NOTE])
        day += dt.timedelta(days=1)
    water = {
        "pH值": ("无量纲", 7.8, 0.1),
        "溶解氧": ("mg/L", 7.5, 0.5),
        "高锰酸盐指数": ("mg/L", 4.5, 0.4),
        "化学需氧量": ("mg/L", 17.0, 1.0),
        "五日生化需氧量": ("mg/L", 3.2, 0.3),
        "氨氮": ("mg/L", 1.2, 0.15),
        "总磷": ("mg/L", 0.15, 0.02),
    }
    for month in range(1, 13):
        for name, (unit, base, swing) in water.items():
            value = base + swing * math.sin(month)
            rows.append(["杨赵桥", name, f"2024-{month:02d}-10", f"{value:.3g}", unit, NOTE])
    return rows


def progress() -> list[list[str]]:
    return [
        ["task", "status", "date", "note"],
        ["xj2024.task.1", "done", "2024-06-20", f"{NOTE}：扬尘在线监测网络建成"],
        ["xj2024.task.2", "done", "2024-10-15", f"{NOTE}：排污口整治完成（逾期）"],
        ["xj2024.task.3", "in_progress", "2024-11-30", f"{NOTE}：已淘汰约七成"],
    ]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in (("observations.csv", observations()), ("progress.csv", progress())):
        with (OUT / name).open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)


if __name__ == "__main__":
    main()

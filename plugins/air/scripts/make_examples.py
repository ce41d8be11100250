"""Generate the SYNTHETIC example data of the air plan (air-2023) in this folder.

    python plugins/air/scripts/make_examples.py            # rewrites observations.csv, inventory.yaml, progress.csv
    python plugins/air/scripts/make_examples.py OUT_DIR    # writes them into OUT_DIR instead

Everything here is made up (seeded numpy, so the files are the same on every run) and labelled as such;
none of it is a real monitoring result, inventory or progress report of 新绛县. The numbers are shaped to
exercise every evaluator of the plan with a mix of outcomes (README.md in this folder lists them).

* observations.csv — hourly SO2, NO2, PM10, PM2.5, O3 (µg/m³) and CO (mg/m³) of 2023 at the plan's two
  stand-in stations 城区监测站 and 开发区监测站, with gaps and a station outage; daily SO2 of 2022 at
  the same stations (the year-on-year baseline); monthly dust fall of the county (新绛县) in t/(km²·月).
* inventory.yaml — facilities, vehicles, machinery, sampling records, the province's (synthetic) table of
  119 county composite indices, and the values users supply (binding indicators, straw, coal).
* progress.csv — task progress reports up to 2023-12-31.

The county's own composite index in the ranking table is computed from observations.csv with the same
pipeline the evaluator uses (air_columns → hj663.county_series → hj663.annual_statistics).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parents[1] / "envplan_air" / "examples"
SEED = 20230818  # the day the plan was issued
STATIONS = ("城区监测站", "开发区监测站")
YEAR = 2023
NOTE = "SYNTHETIC 合成示例数据，非真实监测值"

# Targets of the synthetic county series (annual statistics; see README.md for the statuses they give).
PM25_MEAN = 45.3  # → 45 µg/m³: not_met against ≤ 43
SO2_MEAN = 15.8  # 2023 → 16 µg/m³
SO2_MEAN_2022 = 25.2  # 2022 → 25 µg/m³: change −36.0 % (met: ≤ −30 %)
NO2_MEAN = 29.0
CO_LEVEL = 0.85
O3_LEVEL = 92.0


def _daily_factor(rng: np.random.Generator, days: int, sigma: float, phi: float = 0.75) -> np.ndarray:
    """Day-to-day weather: a lognormal AR(1) factor with mean 1."""
    z = np.zeros(days)
    eps = rng.normal(0.0, sigma * np.sqrt(1 - phi**2), days)
    for d in range(1, days):
        z[d] = phi * z[d - 1] + eps[d]
    return np.exp(z - z.var() / 2)


def _hourly_2023(rng: np.random.Generator) -> pd.DataFrame:
    hours = pd.date_range(f"{YEAR}-01-01", f"{YEAR}-12-31 23:00", freq="h")
    n_days = hours.size // 24
    doy = np.arange(n_days)
    winter = np.cos(2 * np.pi * (doy - 15) / 365)  # +1 mid-January, −1 mid-July
    weather = _daily_factor(rng, n_days, 0.38)
    # Heavy-pollution episodes (the county's daily AQI > 200 on a few winter days).
    episodes = np.ones(n_days)
    for start, length, peak in ((8, 3, 2.6), (26, 2, 2.4), (350, 3, 2.7)):
        episodes[start : start + length] = peak
    hour_of_day = np.arange(24)
    rows = []
    for k, station in enumerate(STATIONS):
        local = 1.0 + (0.06 if k == 0 else -0.05)
        noise = lambda s: rng.lognormal(0.0, s, hours.size)  # noqa: E731 - a short local helper
        day = np.repeat(np.arange(n_days), 24)
        hod = np.tile(hour_of_day, n_days)
        traffic = 1 + 0.25 * (np.exp(-((hod - 8) ** 2) / 6) + np.exp(-((hod - 19) ** 2) / 8))
        night = 1 + 0.15 * np.cos(2 * np.pi * (hod - 2) / 24)
        pm25 = (48 + 30 * winter)[day] * weather[day] * episodes[day] * night * local * noise(0.18)
        pm10 = (
            pm25 * (1.65 + 0.2 * rng.standard_normal(hours.size).clip(-2, 2)) * (1 + 0.1 * (1 - winter[day]))
        )
        so2 = (16 + 9 * winter)[day] * weather[day] ** 0.5 * local * noise(0.25)
        no2 = (29 + 9 * winter)[day] * weather[day] ** 0.6 * traffic * local * noise(0.2)
        co = (
            (CO_LEVEL + 0.45 * winter)[day] * weather[day] ** 0.7 * episodes[day] ** 0.5 * night * noise(0.15)
        )
        sun = np.clip(np.sin(np.pi * (hod - 6) / 14), 0, None)
        o3 = (O3_LEVEL - 48 * winter)[day] * (0.35 + 1.1 * sun) * noise(0.15) / weather[day] ** 0.2
        rows.append(
            pd.DataFrame(
                {
                    "site": station,
                    "time": hours,
                    "SO2": so2,
                    "NO2": no2,
                    "PM10": pm10,
                    "PM2.5": pm25,
                    "CO": co,
                    "O3": o3,
                }
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    # Scale so the county (mean of the two stations) hits the annual targets.
    county = frame.groupby("time")[["PM2.5", "SO2", "NO2"]].mean()
    frame["PM2.5"] *= PM25_MEAN / county["PM2.5"].mean()
    frame["SO2"] *= SO2_MEAN / county["SO2"].mean()
    frame["NO2"] *= NO2_MEAN / county["NO2"].mean()
    # Gaps: ~2 % missing hours per station and pollutant, a five-day outage of one station, and one day
    # with both stations down for ten hours (that county day is invalid, < 20 hours).
    for p in ("SO2", "NO2", "PM10", "PM2.5", "CO", "O3"):
        frame.loc[rng.random(len(frame)) < 0.02, p] = np.nan
    outage = (frame["site"] == STATIONS[1]) & frame["time"].between("2023-06-10", "2023-06-14 23:00")
    frame.loc[outage, ["SO2", "NO2", "PM10", "PM2.5", "CO", "O3"]] = np.nan
    both = frame["time"].between("2023-04-03 06:00", "2023-04-03 15:00")
    frame.loc[both, ["SO2", "NO2", "PM10", "PM2.5", "CO", "O3"]] = np.nan
    return frame


def _long(frame: pd.DataFrame) -> pd.DataFrame:
    long = frame.melt(id_vars=["site", "time"], var_name="parameter", value_name="value").dropna()
    co = long["parameter"] == "CO"
    long["value"] = np.where(co, long["value"].round(1), long["value"].round(0))
    long["unit"] = np.where(co, "mg/m³", "µg/m³")
    long["time"] = long["time"].dt.strftime("%Y-%m-%dT%H:%M")
    return long


def _text_values(long: pd.DataFrame) -> pd.Series:
    co = long["parameter"] == "CO"
    return pd.Series(
        np.where(co, long["value"].map("{:.1f}".format), long["value"].map("{:.0f}".format)), index=long.index
    )


def observations(rng: np.random.Generator) -> pd.DataFrame:
    hourly = _long(_hourly_2023(rng))
    # 2022 SO2 baseline: daily means at the same stations, a few days missing.
    days = pd.date_range("2022-01-01", "2022-12-31", freq="D")
    doy = np.arange(days.size)
    winter = np.cos(2 * np.pi * (doy - 15) / 365)
    base = []
    for k, station in enumerate(STATIONS):
        so2 = (25 + 14 * winter) * _daily_factor(rng, days.size, 0.3) * (1.04 if k == 0 else 0.96)
        keep = rng.random(days.size) > 0.02
        base.append(
            pd.DataFrame(
                {
                    "site": station,
                    "parameter": "SO2",
                    "time": days[keep].strftime("%Y-%m-%d"),
                    "value": so2[keep],
                    "unit": "µg/m³",
                }
            )
        )
    baseline = pd.concat(base, ignore_index=True)
    county_2022 = baseline.groupby("time")["value"].mean().mean()
    baseline["value"] = (baseline["value"] * SO2_MEAN_2022 / county_2022).round(0)
    # Monthly dust fall of the county (one month above 7).
    dust = np.array([6.1, 6.6, 7.8, 6.9, 6.4, 5.2, 4.8, 4.5, 4.9, 5.6, 6.2, 6.7])
    dust_rows = pd.DataFrame(
        {
            "site": "新绛县",
            "parameter": "降尘量",
            "time": [f"{YEAR}-{m:02d}" for m in range(1, 13)],
            "value": dust,
            "unit": "t/(km²·月)",
        }
    )
    frame = pd.concat([hourly, baseline, dust_rows], ignore_index=True)
    frame["value"] = _text_values(frame).where(
        frame["parameter"] != "降尘量", frame["value"].map("{:.1f}".format)
    )
    # A few summer SO2 hours below the detection limit (3 µg/m³), written the way lab exports do.
    low = frame.index[
        (frame["parameter"] == "SO2")
        & frame["time"].str.startswith("2023-07")
        & (pd.to_numeric(frame["value"], errors="coerce") < 4)
    ]
    frame.loc[low[:12], "value"] = "<3"
    frame["note"] = ""
    first = ~frame.duplicated(["site", "parameter"])
    frame.loc[first, "note"] = NOTE
    return frame[["site", "parameter", "time", "value", "unit", "note"]]


def county_index(path: Path) -> tuple[float, dict[str, object]]:
    """The county's 2023 composite index from observations.csv, through the evaluator's pipeline."""
    from envplan_core.plugin import air_columns, read_observations
    from envplan_core.standards import default_parameters, hj663

    obs = read_observations(path, parameters=default_parameters())
    obs = obs.select(sites=list(STATIONS), start=f"{YEAR}-01-01", end=f"{YEAR + 1}-01-01")
    cols = air_columns(obs)
    site, time, values = hj663.county_series(cols.site, cols.time, cols.values, county=-1)
    record = hj663.annual_statistics(site, time, values, "year")[0]
    assert record["valid"], record
    return float(record["composite_index"]), record


def ranking_table(rng: np.random.Generator, own: float) -> dict[str, float]:
    """118 synthetic counties around the county's index: 14 worse, 104 better (rank 15 from the worst)."""
    worse = own + rng.uniform(0.05, 1.6, 14)
    better = own - rng.uniform(0.05, 1.9, 104)
    values = np.round(np.concatenate([worse, better]), 2)
    order = rng.permutation(values.size)
    table = {f"示例县{i + 1:03d}": float(values[j]) for i, j in enumerate(order)}
    table["新绛县"] = round(own, 2)
    return table


INVENTORY_HEAD = """\
# SYNTHETIC example inventory for the air plan (air-2023) — 合成示例数据，非真实台账。
# Generated by make_examples.py; kinds and fields: docs/plans/air.md § Data.
"""


def inventory(table: dict[str, float], pm25: float) -> str:
    r: list[dict[str, object]] = []  # records in file order

    def add(rid: str, kind: str, **fields: object) -> None:
        r.append({"id": rid, "kind": kind, **fields, "note": "synthetic 示例"})

    # Boilers (rule air.rule.coal_boiler_lt_35, task 8).
    add("boiler-01", "boiler", name="示例热电公司1号锅炉", fuel="coal", capacity="75 t/h", status="operating")
    add("boiler-02", "boiler", name="示例食品厂燃煤锅炉", fuel="燃煤", capacity="20 t/h", status="operating")
    add("boiler-03", "boiler", name="示例供热站2号锅炉", fuel="coal", capacity="29 MW", status="operating")
    add(
        "boiler-04",
        "boiler",
        name="示例纺织厂燃煤锅炉",
        fuel="coal",
        capacity="34.9 t/h",
        status="已取缔",
        closed_on="2023-05-20",
    )
    add("boiler-05", "boiler", name="示例宾馆燃气锅炉", fuel="gas", capacity="4 t/h", status="operating")
    add("boiler-06", "boiler", name="示例化工厂燃煤锅炉", fuel="coal", capacity="35 蒸吨", status="operating")
    # Blast furnaces and converters (task 8, row 8).
    add(
        "bf-01",
        "blast_furnace",
        name="山西高义钢铁有限公司1号高炉",
        enterprise="山西高义钢铁有限公司",
        volume="1280 m³",
        status="operating",
    )
    add("bf-02", "blast_furnace", name="示例冶炼公司2号高炉", volume="1080 m³", status="operating")
    add(
        "bf-03",
        "blast_furnace",
        name="示例冶炼公司3号高炉",
        volume="450 m³",
        status="已淘汰",
        closed_on="2023-06-30",
    )
    add("cv-01", "converter", name="山西高义钢铁有限公司1号转炉", capacity="120 t", status="operating")
    add(
        "cv-02", "converter", name="示例钢厂2号转炉", capacity="80 t", status="已拆除", closed_on="2023-09-15"
    )
    # Brick kilns (task 6).
    add(
        "kiln-01",
        "brick_kiln",
        name="示例砖厂A隧道窑",
        zone="城南工业园",
        clean_energy_substituted=True,
        measurements=[
            {
                "process": "drying_firing",
                "date": "2023-09-12",
                "PM": "8 mg/m³",
                "SO2": "85 mg/m³",
                "NOx": "150 mg/m³",
                "O2": "16 %",
            },
            {"process": "crushing_forming", "date": "2023-09-12", "PM": "6 mg/m³"},
        ],
    )
    add(
        "kiln-02",
        "brick_kiln",
        name="示例砖厂B轮窑",
        zone="禁煤区",
        clean_energy_substituted=False,
        production=[
            {"start": "2023-03-01", "end": "2023-09-30"},
            {"start": "2023-11-01", "end": "2023-11-25"},
        ],
        measurements=[
            {
                "process": "drying_firing",
                "date": "2023-08-22",
                "PM": "12 mg/m³",
                "SO2": "160 mg/m³",
                "NOx": "110 mg/m³",
                "O2": "17 %",
            },
            {"process": "crushing_forming", "date": "2023-08-22", "PM": "9 mg/m³"},
        ],
    )
    add(
        "kiln-03",
        "brick_kiln",
        name="示例砖厂C隧道窑",
        zone="禁煤区",
        clean_energy_substituted=True,
        season_shutdown=True,
        measurements=[
            {
                "process": "drying_firing",
                "date": "2023-10-09",
                "PM": "5 mg/m³",
                "SO2": "40 mg/m³",
                "NOx": "80 mg/m³",
                "O2": "18.5 %",
            },
            {"process": "crushing_forming", "date": "2023-10-09", "PM": "7 mg/m³"},
        ],
    )
    # The 4.3 m coke oven (task 2) and another oven of the same works.
    add(
        "coke-01",
        "coke_oven",
        name="新绛县同瑞煤化有限公司4.3m焦炉",
        enterprise="新绛县同瑞煤化有限公司",
        height="4.3 m",
        status="已关停",
        closed_on="2023-11-20",
    )
    add(
        "coke-02",
        "coke_oven",
        name="新绛县同瑞煤化有限公司6m焦炉",
        enterprise="新绛县同瑞煤化有限公司",
        height="6.0 m",
        status="operating",
    )
    # Enterprises and their ultra-low emission retrofits (task 5).
    add("ent-01", "enterprise", name="新绛信义源钢铁", industry="steel", ultra_low_emission="2023-11-30")
    add(
        "ent-02",
        "enterprise",
        name="新绛县威顿水泥集团有限责任公司",
        industry="cement",
        ultra_low_emission=False,
    )
    add(
        "ent-03",
        "enterprise",
        name="新绛县同瑞煤化有限公司",
        industry="coking",
        ultra_low_emission="2023-10-15",
    )
    # VOC processes, July–September 2023 (task 23).
    add(
        "voc-01",
        "voc_process",
        name="示例包装印刷厂印刷工序",
        industry="包装印刷",
        hours="6时-10时, 16时-22时",
    )
    add("voc-02", "voc_process", name="示例家具厂喷涂线", industry="工业涂装", hours="8时-18时")
    add("voc-03", "voc_process", name="示例化工公司投料工序", industry="化工", staggered=True)
    add("voc-04", "voc_process", name="示例油库装车作业", industry="油品储运销", hours="0时-10时, 16时-24时")
    add("voc-05", "voc_process", name="示例焦化厂化产回收", industry="焦化", hours="0时-24时")
    # Non-road machinery (task 17).
    zone = "非道路移动机械排放控制区"
    add(
        "nrm-01",
        "non_road_machinery",
        name="挖掘机 示例-01",
        zone=zone,
        emission_standard="国四",
        registered=True,
        black_smoke=False,
    )
    add(
        "nrm-02",
        "non_road_machinery",
        name="装载机 示例-02",
        zone=zone,
        emission_standard="国二",
        registered=True,
        black_smoke=False,
    )
    add(
        "nrm-03",
        "non_road_machinery",
        name="叉车 示例-03",
        zone=zone,
        emission_standard="国三",
        registered=False,
        black_smoke=False,
    )
    add(
        "nrm-04",
        "non_road_machinery",
        name="压路机 示例-04",
        zone=zone,
        emission_standard=3,
        registered=True,
        black_smoke=True,
    )
    add(
        "nrm-05",
        "non_road_machinery",
        name="拖拉机 示例-05",
        zone="控制区外",
        emission_standard="国二",
        registered=True,
        black_smoke=False,
    )
    # Trucks (task 16).
    add("truck-01", "diesel_truck", name="晋M·示例01（重型柴油货车）", emission_standard="国四")
    add("truck-02", "diesel_truck", name="晋M·示例02（重型柴油货车）", emission_standard="国五")
    add("truck-03", "diesel_truck", name="晋M·示例03（重型柴油货车）", emission_standard="国六")
    add(
        "truck-04",
        "diesel_truck",
        name="晋M·示例04（重型柴油货车）",
        emission_standard="国三",
        status="已报废",
        retired_on="2023-08-01",
    )
    add("gas-truck-01", "gas_truck", name="晋M·示例05（燃气货车）", lean_burn=True)
    add("gas-truck-02", "gas_truck", name="晋M·示例06（燃气货车）", lean_burn=False)
    # Catering in the built-up area (task 21): one purifier not running.
    for i in range(1, 13):
        add(
            f"cater-{i:02d}",
            "catering",
            name=f"示例餐饮店{i:02d}",
            fume_purifier_installed=True,
            fume_purifier_running=(i != 7),
        )
    # Filling stations (row 16) and emission-testing bodies (row 17).
    for i in range(1, 11):
        add(f"station-{i:02d}", "gas_station", name=f"示例加油站{i:02d}", fuel_sampled=True)
    for i in range(1, 4):
        add(f"etb-{i:02d}", "emission_testing_body", name=f"示例机动车排放检验机构{i:02d}", inspected=True)
    # Sampling and inspection records (rows 11, 16, 17): inks one short of 5.
    counts = {
        "urea": 6,
        "coating": 5,
        "ink": 4,
        "adhesive": 5,
        "cleaner": 5,
        "emission_testing_inspection": 6,
    }
    for category, n in counts.items():
        for i in range(1, n + 1):
            add(
                f"sample-{category}-{i:02d}",
                "sampling",
                category=category,
                date=f"2023-{3 + i:02d}-15",
                name=f"{category} 抽检/检查 {i:02d}",
            )
    values = {
        "air.binding_indicators": {
            "PM2.5年均浓度（市下达）": {"value": f"{pm25:g} µg/m³", "limit": "<= 47 µg/m³"},
            "优良天数比例（市下达）": {"value": "68.2 %", "limit": ">= 70 %"},
        },
        "air.straw_utilisation_rate": "92.3 %",
        "air.coal_consumption_change_vs_2022": "-2.1 %",
        "air.county_composite_indices": table,
    }
    import yaml

    body = yaml.safe_dump(
        {"records": r, "values": values},
        allow_unicode=True,
        sort_keys=False,
        width=1000,
        default_flow_style=False,
    )
    return INVENTORY_HEAD + body


PROGRESS = [
    ("air.task.1", "done", "2023-12-20", "“两高”项目清单管理已落实"),
    ("air.task.2", "done", "2023-11-20", "4.3m焦炉已关停（晚于10月底）"),
    ("air.task.3", "in_progress", "2023-12-15", "粗钢产量压减推进中"),
    ("air.task.5#1", "done", "2023-10-15", "焦化企业超低排放改造完成"),
    ("air.task.5#3", "done", "2023-11-30", "信义源钢铁超低排放改造完成"),
    ("air.task.5#2", "in_progress", "2023-12-20", "威顿水泥改造进行中"),
    ("air.task.6#1", "in_progress", "2023-10-20", "砖瓦窑提标改造完成60%"),
    ("air.task.7", "in_progress", "2023-11-10", "CO、SO2整治方案推进中"),
    ("air.task.9", "done", "2023-12-10", "无组织排放治理完成"),
    ("air.task.11", "done", "2023-09-28", "供热锅炉检修及责任状完成"),
    ("air.task.12", "in_progress", "2023-12-18", "煤炭消费统计中"),
    ("air.task.13", "done", "2023-11-30", "六村清洁能源改造完成"),
    ("air.task.14", "in_progress", "2023-12-01", "禁煤区散煤清零尚余部分"),
    ("air.task.20", "done", "2023-12-25", "秸秆综合利用率92.3%"),
    ("air.task.21", "done", "2023-12-28", "油烟净化器安装到位"),
    ("air.task.22#1", "done", "2023-09-30", "走航巡查执法专项行动完成"),
    ("air.task.22#2", "in_progress", "2023-12-20", "VOCs综合治理推进中"),
    ("air.task.22#3", "done", "2023-12-20", "VOCs产品抽测完成"),
    ("air.task.25#1", "done", "2023-09-26", "应急减排清单修订完成"),
    ("air.task.25#2", "done", "2023-10-25", "重污染天气应急预案修订完成"),
    ("air.task.26#2", "done", "2023-12-22", "排放检验机构检查6次"),
    ("air.task.27", "done", "2023-12-22", "油品、尿素抽检完成"),
]


def progress() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["task", "status", "date", "note"])
    for task, status, date, note in PROGRESS:
        writer.writerow([task, status, date, f"（合成示例 synthetic）{note}"])
    return out.getvalue()


def main(out: Path = HERE) -> dict[str, object]:
    """Write the three files into ``out`` (default: this folder); return the county's 2023 statistics."""
    rng = np.random.default_rng(SEED)
    obs = observations(rng)
    obs_path = out / "observations.csv"
    obs.to_csv(obs_path, index=False, lineterminator="\n")
    own, record = county_index(obs_path)
    table = ranking_table(rng, own)
    (out / "inventory.yaml").write_text(inventory(table, float(record["PM2.5"])), encoding="utf-8")
    (out / "progress.csv").write_text(progress(), encoding="utf-8")
    stats = {k: record[k] for k in ("SO2", "NO2", "PM10", "PM2.5", "CO_p95", "O3_8h_p90", "composite_index")}
    print(  # noqa: T201 - a generator script reports what it wrote
        f"wrote {obs_path.name} ({len(obs)} rows, {obs_path.stat().st_size / 1e6:.1f} MB), inventory.yaml, "
        f"progress.csv; county 2023: {stats}"
    )
    return stats


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)

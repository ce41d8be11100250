"""The water plan's evaluators, each on small hand-made inputs (one behaviour per test)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import pytest

from envplan_core import DataError, Engine, Finding, Report
from envplan_water.evaluators import WATER_EVALUATORS

Row = tuple[str, str, str, Any, str]


def frame(rows: Sequence[Row]) -> pd.DataFrame:
    result: pd.DataFrame = pd.DataFrame(list(rows), columns=["site", "parameter", "time", "value", "unit"])
    return result


def run(engine: Engine, *, rows: Sequence[Row] | None = None, inventory: Mapping[str, Any] | None = None,
        as_of: str = "2023-12-31") -> Report:
    return engine.evaluate(observations=None if rows is None else frame(rows), inventory=inventory,
                           as_of=as_of, plans=["water"])


def only(report: Report, item_id: str, subject: str | None = None) -> Finding:
    found = [f for f in report.findings if f.id == item_id and (subject is None or f.subject == subject)]
    assert len(found) == 1, [(f.id, f.subject) for f in found]
    return found[0]


def of(report: Report, item_id: str) -> dict[str, Finding]:
    return {f.subject: f for f in report.findings if f.id == item_id}


def test_evaluator_names_do_not_collide_with_the_core() -> None:
    from envplan_core.evaluators import GENERIC_EVALUATORS

    assert not set(WATER_EVALUATORS) & set(GENERIC_EVALUATORS)


# -- section class ----------------------------------------------------------------------------------------


def test_section_without_observations_says_what_is_needed(engine: Engine) -> None:
    f = only(run(engine), "water.yangzhaoqiao.class")
    assert f.status.value == "insufficient_data"
    assert "杨赵桥" in f.message_zh and "21项" in f.message_zh and "氨氮" in f.message_zh
    assert "21" in f.message_en
    f = only(run(engine, rows=[("西曲村", "COD", "2023-03-01", 10, "mg/L")]), "water.yangzhaoqiao.class")
    assert f.status.value == "insufficient_data"
    assert "没有杨赵桥断面2023年的记录" in f.message_zh


def test_section_class_from_annual_means_with_exceedance(engine: Engine) -> None:
    rows: list[Row] = [
        ("杨赵桥断面", "氨氮", "2023-01-10", 1.6, "mg/L"),   # alias of the site, Chinese parameter name
        ("杨赵桥断面", "氨氮", "2023-02-10", 1.2, "mg/L"),   # mean 1.4: class IV
        ("杨赵桥断面", "COD", "2023-01-10", 35, "mg/L"),     # a class V sample …
        ("杨赵桥断面", "COD", "2023-02-10", 5, "mg/L"),      # … but the mean 20 is class III
        ("杨赵桥断面", "Hg", "2023-01-10", "<0.00004", "mg/L"),
    ]
    f = only(run(engine, rows=rows), "water.yangzhaoqiao.class")
    assert (f.status.value, f.value, f.limit, f.unit) == ("not_met", "IV", "III", "")
    assert f.details["per_parameter"] == {"COD": "III", "NH3-N": "IV", "Hg": "I"}
    assert f.details["limiting"] == ["NH3-N"]
    assert f.details["main_pollutants"] == ["NH3-N"]
    assert f.details["exceedance"] == {"NH3-N": pytest.approx(0.4)}
    assert f.details["status_zh"] == "轻度污染"
    assert f.details["n_samples"] == {"COD": 2, "NH3-N": 2, "Hg": 1}
    assert f.details["nondetect"] == ["Hg"]
    assert f.details["means"]["Hg"] == pytest.approx(0.00002)  # half the detection limit
    assert len(f.details["missing_indicators"]) == 18
    assert f.details["monthly_classes"] == {"2023-01": "V", "2023-02": "IV"}
    assert "超Ⅲ类标准0.40倍" in f.message_zh and "缺18项评价指标" in f.message_zh
    assert f.citation.standard == "GB 3838-2002 表1; 环办〔2011〕22号"
    assert f.lead == ("运城市生态环境局新绛分局",)


def decisive(site: str, day: str, *, skip: Sequence[str] = ()) -> list[Row]:
    """Class I values of the indicators that decide classes (DO, CODMn, COD, NH3-N, TP) on one day."""
    clean = {"DO": 8.0, "CODMn": 1.5, "COD": 12, "NH3-N": 0.1, "TP": 0.01}
    return [(site, p, day, v, "mg/L") for p, v in clean.items() if p not in skip]


def test_section_class_met_at_class_iii(engine: Engine) -> None:
    rows = [("西曲村", "NH3-N", "2023-05-01", 1.0, "mg/L"), *decisive("西曲村", "2023-05-01", skip=["NH3-N"])]
    f = only(run(engine, rows=rows), "water.xiqucun.class")
    assert (f.status.value, f.value) == ("met", "III")  # the limit itself is class III
    assert f.details["decisive_missing"] == []
    assert len(f.details["missing_indicators"]) == 16


def test_one_cod_sample_is_not_met_on_missing_data(engine: Engine) -> None:
    # Issue 10: one COD sample used to make the section "met", classified on 1 of 21 indicators.
    f = only(run(engine, rows=[("杨赵桥", "COD", "2023-07-01", 12, "mg/L")]), "water.yangzhaoqiao.class")
    assert (f.status.value, f.value, f.limit) == ("insufficient_data", None, "III")
    assert f.details["decisive_missing"] == ["DO", "CODMn", "NH3-N", "TP"]
    assert len(f.details["missing_indicators"]) == 20
    assert "溶解氧、高锰酸盐指数、氨氮、总磷" in f.message_zh and "cannot say it meets class III" in f.message_en
    assert f.details["computation"]["value"] == "I" and f.details["computation"]["n"] == 1


def test_a_class_worse_than_the_target_is_not_met_whatever_is_missing(engine: Engine) -> None:
    f = only(run(engine, rows=[("杨赵桥", "COD", "2023-07-01", 45, "mg/L")]), "water.yangzhaoqiao.class")
    assert (f.status.value, f.value) == ("not_met", "劣V")  # a missing indicator can only make it worse


SETTABLE_PLAN = """
id: watertest-2023
title_zh: 测试
title_en: Test
year: 2023
document: 测试
issued: 2023-08-18
sites:
  - {id: s1, name_zh: 测试断面, name_en: Test section, kind: section, water_body_type: river}
targets:
  - id: watertest.s1.class
    title_zh: 测试断面达到Ⅲ类
    title_en: Test section at class III
    kind: goal
    evaluator: section_class
    subject: s1
    period: "2023"
    thresholds: [{comparator: "class<=", value: III}]
    params: {decisive_indicators: [化学需氧量, NH3-N]}
    citation: {part: 主要目标, text: 测试}
"""


def test_decisive_indicators_are_settable_per_target() -> None:
    import types

    import envplan_core as ep

    module = types.ModuleType("watertest_plugin")

    @ep.hookimpl
    def envplan_plans() -> list[ep.Plan]:
        return [ep.load_plan_text(SETTABLE_PLAN, source="watertest/plan.yaml")]

    @ep.hookimpl
    def envplan_requires() -> list[str]:
        return ["envplan_water"]

    module.envplan_plans = envplan_plans  # type: ignore[attr-defined]
    module.envplan_requires = envplan_requires  # type: ignore[attr-defined]
    engine = ep.load(plugins=[module], autoload=False)
    rows = [("测试断面", "COD", "2023-07-01", 12, "mg/L")]
    f = only(engine.evaluate(observations=frame(rows), as_of="2023-12-31", plans=["watertest-2023"]),
             "watertest.s1.class")
    assert (f.status.value, f.details["decisive_indicators"]) == ("insufficient_data", ["COD", "NH3-N"])
    rows.append(("测试断面", "氨氮", "2023-07-01", 0.2, "mg/L"))
    f = only(engine.evaluate(observations=frame(rows), as_of="2023-12-31", plans=["watertest-2023"]),
             "watertest.s1.class")
    assert (f.status.value, f.value) == ("met", "II")
    bad = SETTABLE_PLAN.replace("化学需氧量, NH3-N", "总氮")  # TN does not set a section's class

    @ep.hookimpl
    def envplan_plans_bad() -> list[ep.Plan]:
        return [ep.load_plan_text(bad, source="watertest/plan.yaml")]

    module.envplan_plans = envplan_plans_bad  # type: ignore[attr-defined]
    with pytest.raises(ep.PluginError, match="not one of the 21"):
        ep.load(plugins=[module], autoload=False)


def test_section_class_uses_samples_up_to_as_of_and_is_provisional(engine: Engine) -> None:
    rows: list[Row] = [("西曲村", "NH3-N", "2023-03-01", 0.4, "mg/L"),
                       ("西曲村", "NH3-N", "2023-09-01", 3.0, "mg/L"),
                       *decisive("西曲村", "2023-03-01", skip=["NH3-N"])]
    early = only(run(engine, rows=rows, as_of="2023-06-30"), "water.xiqucun.class")
    assert (early.value, early.details["provisional"]) == ("II", True)
    assert "初步" in early.message_zh
    late = only(run(engine, rows=rows), "water.xiqucun.class")
    assert (late.value, late.details["provisional"]) == ("V", False)  # mean 1.7


def test_section_class_ignores_other_years(engine: Engine) -> None:
    rows: list[Row] = [("西曲村", "NH3-N", "2022-12-31", 9.0, "mg/L"),
                       ("西曲村", "NH3-N", "2023-01-01", 0.1, "mg/L"),
                       *decisive("西曲村", "2023-01-01", skip=["NH3-N"])]
    assert only(run(engine, rows=rows), "water.xiqucun.class").value == "I"


# -- drinking-water sources --------------------------------------------------------------------------------


def test_drinking_sources_need_the_national_target(engine: Engine) -> None:
    f = only(run(engine, inventory={"values": {"drinking_sources.share_class_iii": "100 %"}}),
             "water.drinking_sources.share")
    assert f.status.value == "insufficient_data"
    assert f.details["missing"] == ["values.drinking_sources.national_target_share"]
    assert "国家年度目标" in f.message_zh
    both = only(run(engine, inventory={"records": []}), "water.drinking_sources.share")
    assert both.details["missing"] == ["values.drinking_sources.national_target_share",
                                       "values.drinking_sources.share_class_iii"]


@pytest.mark.parametrize(("share", "target", "status"), [
    ("95 %", "95 %", "met"), ("94.9 %", "95 %", "not_met"), (100, "90 %", "met"), ("0.8", "80 %", "not_met"),
])
def test_drinking_sources_share_against_target(engine: Engine, share: Any, target: str, status: str) -> None:
    values = {"drinking_sources.share_class_iii": share, "drinking_sources.national_target_share": target}
    f = only(run(engine, inventory={"values": values}), "water.drinking_sources.share")
    assert f.status.value == status
    assert f.unit == "%"


def test_drinking_sources_share_from_records(engine: Engine) -> None:
    inventory = {
        "records": [
            {"id": "ds-1", "kind": "drinking_source", "name": "示例水源地1", "class": "II"},
            {"id": "ds-2", "kind": "drinking_source", "name": "示例水源地2", "class": "Ⅲ类"},
            {"id": "ds-3", "kind": "drinking_source", "name": "示例水源地3", "class": "IV"},
        ],
        "values": {"drinking_sources.national_target_share": "60 %"},
    }
    f = only(run(engine, inventory=inventory), "water.drinking_sources.share")
    assert (f.status.value, f.limit) == ("met", 60.0)
    assert f.value == pytest.approx(66.6667)
    assert f.details["worse_than_III"] == ["ds-3"]


def test_drinking_source_without_class_is_a_data_error(engine: Engine) -> None:
    inventory = {"records": [{"id": "ds-1", "kind": "drinking_source"}],
                 "values": {"drinking_sources.national_target_share": "60 %"}}
    with pytest.raises(DataError, match="ds-1"):
        run(engine, inventory=inventory)


# -- black-odorous water bodies ----------------------------------------------------------------------------


def _body(rid: str, status: str, built_up: bool = True, **extra: Any) -> dict[str, Any]:
    return {"id": rid, "kind": "black_odorous_water_body", "name": f"示例{rid}", "in_built_up_area": built_up,
            "status": status, **extra}


def test_black_odorous_counts_bodies_not_eliminated_in_the_built_up_area(engine: Engine) -> None:
    inventory = {"records": [_body("a", "eliminated"), _body("b", "整治中"), _body("c", "identified", False)]}
    f = only(run(engine, inventory=inventory), "water.black_odorous.none")
    assert (f.status.value, f.value, f.limit) == ("not_met", 1.0, 0.0)
    assert "示例b" in f.message_zh and "示例c" not in f.message_zh


def test_black_odorous_relapse_by_monitoring(engine: Engine) -> None:
    # Every indicator in the guide's light range (SD 10–25 cm, DO 0.2–2 mg/L, ORP -200–50 mV, NH3-N 8–15 mg/L).
    relapsed = _body("a", "已消除", monitoring={"transparency": "20 cm", "DO": "1.5 mg/L", "ORP": "30 mV",
                                                 "NH3-N": "9 mg/L"})
    clean = _body("b", "eliminated", monitoring={"DO": "4 mg/L", "NH3-N": "2 mg/L"})
    f = only(run(engine, inventory={"records": [relapsed, clean]}), "water.black_odorous.none")
    assert (f.status.value, f.value) == ("not_met", 1.0)
    grades = {b["id"]: b["monitoring_grade"] for b in f.details["bodies"]}
    assert grades == {"a": 1, "b": 0}
    assert "监测轻度黑臭" in f.message_zh


def test_black_odorous_without_records_is_insufficient(engine: Engine) -> None:
    f = only(run(engine, inventory={"records": [_body("c", "identified", False)]}), "water.black_odorous.none")
    assert f.status.value == "insufficient_data"
    assert f.citation.standard.startswith("城市黑臭水体整治工作指南")


# -- rural sewage facilities (task 6) -----------------------------------------------------------------------


def _station(rid: str, completed: str | None, *, status: str = "running", project: str = "new",
             village: str = "示例村") -> dict[str, Any]:
    record = {"id": rid, "kind": "rural_sewage_facility", "name": f"{village}{rid}", "village": village,
              "status": status, "project": project}
    if completed:
        record["completed"] = completed
    return record


def test_stations_completed_in_the_year_up_to_as_of(engine: Engine) -> None:
    records = [_station(f"s{i:02d}", f"2023-{i:02d}-15") for i in range(1, 12)]  # 11, January … November
    records += [_station("old", "2022-05-01"), _station("rb", "2023-03-01", project="rebuild", village="南马村")]
    inventory = {"records": records}
    f = only(run(engine, inventory=inventory), "water.rural_sewage.stations_2023")
    assert (f.status.value, f.value, f.limit) == ("met", 11.0, 11.0)  # the old one and the rebuild do not count
    mid = only(run(engine, inventory=inventory, as_of="2023-09-30"), "water.rural_sewage.stations_2023")
    assert (mid.status.value, mid.value, mid.details["provisional"]) == ("not_met", 9.0, True)
    assert "初步" in mid.message_zh


def test_rebuilds_of_the_two_named_villages(engine: Engine) -> None:
    records = [_station("nm", "2023-10-01", project="rebuild", village="南马村"),
               _station("xl", None, status="under_construction", project="rebuild", village="西柳泉村"),
               _station("other", "2023-10-01", project="rebuild", village="示例村")]
    f = only(run(engine, inventory={"records": records}), "water.rural_sewage.rebuilds")
    assert (f.status.value, f.value) == ("not_met", 1.0)
    assert [p["id"] for p in f.details["pending"]] == ["xl"]
    assert "under_construction" in f.message_zh


def test_operating_rate_over_built_facilities(engine: Engine) -> None:
    records = [_station(f"r{i}", "2022-01-01") for i in range(4)]
    records += [_station("stop", "2022-01-01", status="stopped"), _station("new", None, status="planned")]
    f = only(run(engine, inventory={"records": records}), "water.rural_sewage.operating_rate")
    assert (f.status.value, f.value, f.unit) == ("met", 80.0, "%")  # 4/5: 80 % meets "达80%以上"
    records.append(_station("stop2", "2022-01-01", status="stopped"))
    f = only(run(engine, inventory={"records": records}), "water.rural_sewage.operating_rate")
    assert f.status.value == "not_met"


# -- tail-water wetlands (task 8) ------------------------------------------------------------------------


def test_effluent_must_meet_class_iii_in_every_sample(engine: Engine) -> None:
    rows: list[Row] = [
        ("城区污水处理厂（一）尾水湿地出水口", "COD", "2023-01-15", 18, "mg/L"),
        ("城区污水处理厂（一）尾水湿地出水口", "NH3-N", "2023-01-15", 1.3, "mg/L"),  # class IV sample
        ("城区污水处理厂（一）尾水湿地出水口", "NH3-N", "2023-02-15", 0.3, "mg/L"),  # mean 0.8: class III
        ("开发区污水处理厂", "COD", "2023-01-15", 20, "mg/L"),
        *decisive("开发区污水处理厂", "2023-01-15", skip=["COD"]),
    ]
    found = of(run(engine, rows=rows), "water.wetland_effluent.class")
    assert set(found) == {"城区污水处理厂（一）", "开发区污水处理厂"}
    bad = found["城区污水处理厂（一）"]
    assert (bad.status.value, bad.value, bad.limit) == ("not_met", "IV", "III")
    assert bad.details["annual_class"] == "III"
    assert bad.details["failing_samples"] == [{
        "date": "2023-01-15", "class": "IV",
        "parameters": [{"parameter": "NH3-N", "value": 1.3, "unit": "mg/L", "class": "IV",
                        "exceedance": pytest.approx(0.3)}],
    }]
    assert "2023-01-15" in bad.message_zh
    assert found["开发区污水处理厂"].status.value == "met"
    assert bad.details["sites_without_data"] == ["plant_city_2", "plant_xindaqiao_east"]
    assert bad.lead == ("县住建局",)


def test_effluent_without_the_decisive_indicators_is_not_met_on_missing_data(engine: Engine) -> None:
    rows: list[Row] = [("开发区污水处理厂尾水湿地出水口", "COD", "2023-01-15", 18, "mg/L"),
                       ("开发区污水处理厂尾水湿地出水口", "NH3-N", "2023-01-15", 0.8, "mg/L")]
    f = of(run(engine, rows=rows), "water.wetland_effluent.class")["开发区污水处理厂"]
    assert (f.status.value, f.value) == ("insufficient_data", None)
    assert f.details["decisive_missing"] == ["DO", "CODMn", "TP"]
    assert len(f.details["missing_indicators"]) == 19
    assert f.details["computation"]["value"] == "III" and f.details["computation"]["n"] == 1


def test_effluent_without_samples_is_insufficient(engine: Engine) -> None:
    f = only(run(engine, rows=[("杨赵桥", "COD", "2023-01-15", 18, "mg/L")]), "water.wetland_effluent.class")
    assert f.status.value == "insufficient_data"
    assert "城区污水处理厂（一）" in f.message_zh


# -- outfalls (task 14) ------------------------------------------------------------------------------------


def _outfall(rid: str, **fields: Any) -> dict[str, Any]:
    return {"id": rid, "kind": "outfall", "name": f"示例排污口{rid}", "town": "龙兴镇", **fields}


def _monthly(name: str, months: Sequence[int], cod: Mapping[int, float] | None = None) -> list[Row]:
    rows: list[Row] = []
    for m in months:
        rows.append((name, "COD", f"2023-{m:02d}-20", (cod or {}).get(m, 30), "mg/L"))
        rows.append((name, "pH", f"2023-{m:02d}-20", 7.5, "无量纲"))
    return rows


def test_outfall_missing_months(engine: Engine) -> None:
    inventory = {"records": [_outfall("A"), _outfall("B", monitored_from="2023-06-01")]}
    rows = _monthly("示例排污口A", [m for m in range(1, 13) if m != 7]) + _monthly("B", range(6, 13))
    found = of(run(engine, rows=rows, inventory=inventory), "water.rule.outfall_monthly_monitoring")
    a, b = found["示例排污口A"], found["示例排污口B"]
    assert (a.status.value, a.value, a.limit) == ("not_met", 11.0, 12.0)
    assert a.details["missing_months"] == ["2023-07"]
    assert "2023-07" in a.message_zh
    assert (b.status.value, b.details["expected_months"][0]) == ("met", "2023-06")  # matched by record id
    # The outfall's town joins the rule's units.
    assert a.lead == ("运城市生态环境局新绛分局",)
    assert a.support == ("沿河各镇", "龙兴镇")


def test_outfall_months_stop_at_the_last_complete_month(engine: Engine) -> None:
    inventory = {"records": [_outfall("A")]}
    rows = _monthly("示例排污口A", range(1, 6))
    f = only(run(engine, rows=rows, inventory=inventory, as_of="2023-06-20"), "water.rule.outfall_monthly_monitoring")
    assert (f.status.value, f.details["expected_months"][-1]) == ("met", "2023-05")
    f = only(run(engine, rows=rows, inventory=inventory, as_of="2023-06-30"), "water.rule.outfall_monthly_monitoring")
    assert (f.status.value, f.details["missing_months"]) == ("not_met", ["2023-06"])


def test_outfall_exceedance_against_its_own_limits(engine: Engine) -> None:
    inventory = {"records": [
        _outfall("A", limits={"COD": "50 mg/L", "pH": "6-9"}, deadline="2023-10-31"),
        _outfall("B", limit_COD="50 mg/L"),
        _outfall("C"),
    ]}
    rows = (_monthly("示例排污口A", range(1, 13), cod={3: 68, 12: 52})
            + _monthly("示例排污口B", range(1, 13)) + _monthly("示例排污口C", range(1, 13)))
    rows.append(("示例排污口B", "NH3-N", "2023-04-20", 20, "mg/L"))  # no limit for NH3-N at B: not judged
    found = of(run(engine, rows=rows, inventory=inventory), "water.rule.outfall_exceedance")
    a = found["示例排污口A"]
    assert (a.status.value, a.value, a.limit, a.unit) == ("not_met", 68.0, 50.0, "mg/L")
    assert [(e["date"], e["parameter"], e["value"]) for e in a.details["exceedances"]] == [
        ("2023-03-20", "COD", 68.0), ("2023-12-20", "COD", 52.0)]
    assert a.details["latest_exceeds"] is True
    assert "已过期限" in a.message_zh
    assert found["示例排污口B"].status.value == "met"
    assert found["示例排污口C"].status.value == "insufficient_data"
    assert found["示例排污口C"].details["missing"] == ["limits"]


def test_outfall_ph_range_and_units(engine: Engine) -> None:
    inventory = {"records": [_outfall("A", limits={"COD": "50000 µg/L", "pH": "6-9"})]}
    rows: list[Row] = [("示例排污口A", "pH", "2023-01-20", 9.5, "无量纲"),
                       ("示例排污口A", "COD", "2023-01-20", 49, "mg/L")]
    f = only(run(engine, rows=rows, inventory=inventory), "water.rule.outfall_exceedance")
    assert f.status.value == "not_met"
    assert [e["parameter"] for e in f.details["exceedances"]] == ["pH"]


def test_outfall_limit_of_wrong_dimension_is_a_data_error(engine: Engine) -> None:
    inventory = {"records": [_outfall("A", limits={"COD": "50 m"})]}
    with pytest.raises(DataError, match="COD"):
        run(engine, rows=_monthly("示例排污口A", [1]), inventory=inventory)


def test_outfalls_need_inventory_and_observations(engine: Engine) -> None:
    f = only(run(engine), "water.rule.outfall_monthly_monitoring")
    assert f.status.value == "insufficient_data" and "kind=outfall" in f.message_zh
    f = only(run(engine, inventory={"records": [_outfall("A")]}), "water.rule.outfall_monthly_monitoring")
    assert f.status.value == "insufficient_data" and "监测数据" in f.message_zh

"""The groundwater evaluators on small hand-made registers and series: each rule met, not met, and short of data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

import envplan_core as ep
from envplan_core import Status
from envplan_core.plugin import hookimpl, load_plan_text
from envplan_core.standards import gbt14848

ItemFindings = Callable[..., dict[str, ep.Finding]]
DAY = "2023-06-01"
FULL_DECISIVE = [  # the default decisive items, at class Ⅱ
    ("pH", "7.5", "无量纲"), ("总硬度", "250", "mg/L"), ("溶解性总固体", "450", "mg/L"), ("硫酸盐", "100", "mg/L"),
    ("氯化物", "100", "mg/L"), ("铁", "0.15", "mg/L"), ("锰", "0.04", "mg/L"), ("耗氧量", "1.5", "mg/L"),
    ("氨氮", "0.08", "mg/L"), ("钠", "120", "mg/L"), ("亚硝酸盐", "0.05", "mg/L"), ("硝酸盐", "4", "mg/L"),
    ("氟化物", "0.5", "mg/L"), ("碘化物", "0.03", "mg/L"),
]


def point(pid: str, name: str, point_type: Any = "drinking_source", **fields: Any) -> dict[str, Any]:
    return {"id": pid, "kind": "groundwater_point", "name": name, "point_type": point_type, **fields}


def sample(site: str, items: list[tuple[str, str, str]], day: str = DAY) -> list[tuple[str, str, str, str, str]]:
    return [(site, p, day, v, u) for p, v, u in items]


def progress(*rows: tuple[str, str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["task", "status", "date", "note"])


# -- point-type targets ------------------------------------------------------------------------------------


def test_a_full_point_is_met_and_a_worse_one_not(item_findings: ItemFindings) -> None:
    worse = [(p, "25", u) if p == "硝酸盐" else (p, v, u) for p, v, u in FULL_DECISIVE]
    got = item_findings(
        "groundwater.drinking_points.class",
        records=[point("d1", "D1"), point("d2", "D2", town="万安镇")],
        rows=[*sample("D1", FULL_DECISIVE), *sample("D2", worse)],
    )
    assert (got["D1"].status, got["D1"].value, got["D1"].limit) == (Status.MET, "II", "III")
    d2 = got["D2"]
    assert (d2.status, d2.value) == (Status.NOT_MET, "IV")
    assert d2.details["limiting"] == ["NO3-N"] and d2.details["exceedances"] == {"NO3-N": 0.25}
    assert "万安镇" in d2.support  # the point's town
    assert d2.citation.standard.startswith("GB/T 14848-2017")
    for f in got.values():
        assert "items_missing" in f.details and "items_judged" in f.details
    county = got["新绛县"]
    assert (county.status, county.value, county.limit) == (Status.NOT_MET, 1.0, 2.0)
    assert county.details["failing"] == ["D2"] and "硝酸盐" in county.message_zh and "D2" in county.message_zh


def test_no_decisive_item_is_insufficient_data_naming_them(item_findings: ItemFindings) -> None:
    got = item_findings("groundwater.regional_points.class", records=[point("r1", "R1", "regional")],
                        rows=sample("R1", [("色度", "5", "无量纲"), ("浑浊度", "12", "NTU")]))
    r1 = got["R1"]
    assert r1.status is Status.INSUFFICIENT_DATA and r1.value is None
    assert r1.details["decisive_missing"][:3] == ["pH", "total_hardness", "TDS"]
    assert "总硬度" in r1.message_zh and "pH" in r1.message_en
    assert r1.details["class"] == "V"  # turbidity 12 NTU: the partial class is kept in the details
    assert got["新绛县"].status is Status.INSUFFICIENT_DATA


def test_missing_decisive_items_block_met_but_not_a_proven_failure(item_findings: ItemFindings) -> None:
    partial = [r for r in FULL_DECISIVE if r[0] not in ("钠", "碘化物")]
    failing = [*partial, ("锰", "0.2", "mg/L")]
    failing = [r for r in failing if r != ("锰", "0.04", "mg/L")]
    got = item_findings("groundwater.drinking_points.class", records=[point("a", "A"), point("b", "B")],
                        rows=[*sample("A", partial), *sample("B", failing)])
    assert got["A"].status is Status.INSUFFICIENT_DATA
    assert got["A"].details["decisive_missing"] == ["Na", "iodide"] and "钠" in got["A"].message_zh
    assert got["B"].status is Status.NOT_MET  # class Ⅳ is proven whatever sodium and iodide are


def test_one_good_item_is_not_met_and_every_class_finding_explains_itself(item_findings: ItemFindings) -> None:
    # Issue 10 (the groundwater rule, checked): one class-I nitrate sample does not make a point "met".
    got = item_findings("groundwater.drinking_points.class", records=[point("a", "A")],
                        rows=sample("A", [("硝酸盐", "1", "mg/L")]))
    a, county = got["A"], got["新绛县"]
    assert (a.status, a.value) == (Status.INSUFFICIENT_DATA, None)
    assert len(a.details["items_missing"]) == 38 and "NO3-N" not in a.details["items_missing"]
    comp = a.details["computation"]
    assert (comp["value"], comp["n"], comp["n_of"]) == ("I", 1, "samples")
    assert comp["items_missing"] == a.details["items_missing"] and "GB/T 14848" in comp["rule_en"]
    assert county.status is Status.INSUFFICIENT_DATA
    assert county.details["items_missing"]["A"] == a.details["items_missing"]
    assert (county.details["computation"]["n"], county.details["computation"]["n_of"]) == (1, "points")


def test_points_without_data_or_type_are_named(item_findings: ItemFindings) -> None:
    got = item_findings("groundwater.risk_points.class",
                        records=[point("p1", "P1", "pollution_risk"), point("x", "X", None), point("y", "Y", "typo")],
                        rows=sample("P1", FULL_DECISIVE))
    assert got["P1"].status is Status.MET
    assert got["X"].status is Status.INSUFFICIENT_DATA and got["X"].details["missing"] == ["point_type"]
    assert got["Y"].details["unrecognised"] == {"point_type": "typo"}
    county = got["新绛县"]
    assert county.status is Status.INSUFFICIENT_DATA and county.details["untyped"] == ["X", "Y"]


def test_no_register_or_no_observations(item_findings: ItemFindings) -> None:
    got = item_findings("groundwater.regional_points.class")
    assert got["新绛县"].status is Status.INSUFFICIENT_DATA and "groundwater_point" in got["新绛县"].message_zh
    got = item_findings("groundwater.regional_points.class", records=[point("r1", "R1", "regional")])
    assert got["R1"].status is Status.INSUFFICIENT_DATA and "未提供监测数据" in got["R1"].message_zh


def test_only_the_period_up_to_as_of_counts(item_findings: ItemFindings) -> None:
    bad_2022 = [(p, "40", u) if p == "硝酸盐" else (p, v, u) for p, v, u in FULL_DECISIVE]
    rows = [*sample("D1", FULL_DECISIVE), *sample("D1", bad_2022, "2022-06-01"), *sample("D1", bad_2022, "2023-11-01")]
    early = item_findings("groundwater.drinking_points.class", records=[point("d1", "D1")], rows=rows, as_of="2023-09-30")
    assert early["D1"].status is Status.MET and early["D1"].details["provisional"] is True
    late = item_findings("groundwater.drinking_points.class", records=[point("d1", "D1")], rows=rows)
    assert late["D1"].status is Status.NOT_MET  # the November sample: mean nitrate 22 mg/L, class Ⅳ


# -- typed parameters ---------------------------------------------------------------------------------------

PLAN = """
id: gwtest-2023
title_zh: 测试计划
title_en: test plan
year: 2023
document: test
issued: 2023-08-18
targets:
  - id: gwtest.points
    title_zh: 测试点位
    title_en: test points
    kind: goal
    evaluator: groundwater_point_class
    thresholds: [{{comparator: "class<=", value: III}}]
    responsibilities: [{{lead: [市生态环境局新绛分局]}}]
    params: {params}
    citation: {{part: test, text: test}}
"""


def _load(params: str) -> ep.Engine:
    text = PLAN.format(params=params)

    class Plugin:
        @hookimpl
        def envplan_plans(self) -> list[ep.Plan]:
            return [load_plan_text(text)]

        @hookimpl
        def envplan_requires(self) -> list[str]:
            return ["envplan_groundwater"]

    return ep.load(plugins=[Plugin()], autoload=False)


def test_params_are_typed() -> None:
    engine = _load("{point_type: 区域点位, decisive_items: [氟化物, pH], met_requires: any}")
    target = next(t for t in engine.catalog.plan("gwtest-2023").targets)
    report = engine.evaluate(
        inventory={"records": [point("r", "R", "regional")]},
        observations=pd.DataFrame(sample("R", [("氟化物", "0.5", "mg/L")]),
                                  columns=["site", "parameter", "time", "value", "unit"]),
        as_of="2023-12-31", plans=["gwtest"],
    )
    (r,) = [f for f in report.findings if f.subject == "R"]
    assert r.status is Status.MET  # met_requires: any — one decisive item is enough here
    assert target.params["point_type"] == "区域点位"


@pytest.mark.parametrize(
    ("params", "why"),
    [
        ("{point_typ: regional}", "point_typ"),
        ("{}", "point_type"),
        ("{point_type: lakes}", "lakes"),
        ("{point_type: regional, decisive_items: [pH, 氟化物x]}", "氟化物x"),
        ("{point_type: regional, decisive_items: pH}", "list"),
        ("{point_type: regional, met_requires: most}", "most"),
    ],
)
def test_a_misspelt_or_mistyped_parameter_is_a_load_error(params: str, why: str) -> None:
    with pytest.raises(ep.EnvplanError, match=why):
        _load(params)


# -- task 3: attainment plans ----------------------------------------------------------------------------


def test_failing_points_and_drinking_points_need_a_reported_plan(item_findings: ItemFindings) -> None:
    failing = [(p, "700", u) if p == "总硬度" else (p, v, u) for p, v, u in FULL_DECISIVE]
    records = [
        point("r1", "R1", "regional", target_class="III", aliases=["R-1"]),  # own target Ⅲ, class Ⅴ: fails
        point("r2", "R2", "regional"),  # Ⅴ against the plan's Ⅴ: passes
        point("d1", "D1"),
        point("p1", "P1", "pollution_risk", target_class="IV", exceedance_cause="地质原因"),
    ]
    rows = [*sample("R1", failing), *sample("R2", failing), *sample("D1", FULL_DECISIVE), *sample("P1", failing)]
    prog = progress(
        ("groundwater.task.3", "done", "2023-10-01", "R-1 成因分析与达标方案已上报"),
        ("groundwater.task.3", "in_progress", "2023-11-01", "D1 保持方案编制中"),
        ("groundwater.task.3", "done", "2023-11-15", "P10 无关点位"),  # P10 is not P1
    )
    got = item_findings("groundwater.rule.attainment_plans", records=records, rows=rows, progress=prog)
    assert got["R1"].status is Status.MET and got["R1"].details["why"] == "failing"
    assert "R2" not in got  # passes its target: no plan needed
    assert got["D1"].status is Status.NOT_MET and got["D1"].details["in_progress"] is True
    assert got["P1"].status is Status.NOT_MET and "地质原因" in got["P1"].message_zh
    county = got["新绛县"]
    assert county.status is Status.NOT_MET and county.details["lacking"] == ["D1", "P1"]
    assert county.details["passing"] == ["R2"]


def test_attainment_plans_without_a_progress_file(item_findings: ItemFindings) -> None:
    got = item_findings("groundwater.rule.attainment_plans", records=[point("d1", "D1")])
    assert got["D1"].status is Status.INSUFFICIENT_DATA and got["新绛县"].status is Status.INSUFFICIENT_DATA


# -- task 8: wells ----------------------------------------------------------------------------------------


def well(wid: str, town: str | None, status: str | None, **fields: Any) -> dict[str, Any]:
    record = {"id": wid, "kind": "well", "name": wid, **fields}
    if town is not None:
        record["town"] = town
    if status is not None:
        record["status"] = status
    return record


def test_wells_sealed_per_well_and_per_town(item_findings: ItemFindings) -> None:
    records = [
        well("w1", "泽掌镇", "报废", owner="某公司", sealed_on="2023-05-01"),
        well("w2", "泽掌镇", "scrapped"),  # owner unknown: the town government
        well("w3", "北张镇", "exhausted", owner="某单位", sealed_on="2024-02-01"),  # sealed after as_of
        well("w4", "北张镇", "in_use", owner="某村"),
        well("w5", None, "unfinished"),
        well("w6", "古交镇", "demolished"),
    ]
    got = item_findings("groundwater.rule.wells_sealed", records=records)
    assert got["w1"].status is Status.MET
    assert got["w2"].status is Status.NOT_MET and got["w2"].details["responsible"] == "town_government"
    assert "泽掌镇人民政府" in got["w2"].message_zh and "泽掌镇" in got["w2"].lead
    assert got["w3"].status is Status.NOT_MET and "晚于评估日" in got["w3"].message_zh
    assert "w4" not in got  # in use: counted, not judged
    assert got["w5"].details["missing"] == ["town"] and got["w6"].details["unrecognised"] == {"status": "demolished"}
    zezhang = got["泽掌镇（汇总）"]
    assert (zezhang.status, zezhang.value) == (Status.NOT_MET, 1.0)
    assert (zezhang.details["to_seal"], zezhang.details["sealed"], zezhang.details["owner_unknown"]) == (2, 1, 1)
    assert got["北张镇（汇总）"].details["in_use"] == 1 and "北张镇" in got["北张镇（汇总）"].lead
    assert got["古交镇（汇总）"].status is Status.INSUFFICIENT_DATA


def test_cross_layer_pollution_is_remediated(item_findings: ItemFindings) -> None:
    got = item_findings("groundwater.rule.wells_cross_layer", records=[
        well("w1", "龙兴镇", "scrapped", cross_layer_pollution=True, remediated_on="2023-09-01", owner="某公司"),
        well("w2", "万安镇", "scrapped", cross_layer_pollution="是"),
        well("w3", "万安镇", "scrapped", cross_layer_pollution=False),
    ])
    assert set(got) == {"w1", "w2"}
    assert got["w1"].status is Status.MET
    assert got["w2"].status is Status.NOT_MET and "万安镇人民政府" in got["w2"].message_zh
    clean = item_findings("groundwater.rule.wells_cross_layer", records=[well("w3", "万安镇", "scrapped")])
    assert clean["新绛县"].status is Status.MET


def test_the_wells_register_may_be_a_spreadsheet(engine: ep.Engine, tmp_path: Any) -> None:
    path = tmp_path / "wells.csv"
    path.write_text("id,kind,name,town,well_type,status,owner,sealed_on\n"
                    "W-001,well,某取水井,泽掌镇,取水井,报废,,2023-05-01\n"
                    "W-002,well,某钻井,泽掌镇,钻井,报废,不明,\n", encoding="utf-8")
    report = engine.evaluate(inventory=path, as_of="2023-12-31", plans=["groundwater"])
    got = {f.subject: f for f in report.findings if f.id == "groundwater.rule.wells_sealed"}
    assert got["某取水井"].status is Status.MET and got["某钻井"].status is Status.NOT_MET
    assert got["某取水井"].evidence == (f"{path}:row 2",)


# -- tasks 2, 5, 6: facilities ------------------------------------------------------------------------------


def facility(fid: str, kind: str, **fields: Any) -> dict[str, Any]:
    return {"id": fid, "kind": "groundwater_facility", "name": fid, "type": kind, **fields}


def test_facility_checks(item_findings: ItemFindings) -> None:
    records = [
        facility("a", "加油站", monitoring_wells=1, self_monitoring=True, anti_seepage="是", leak_monitoring="否"),
        facility("b", "tailings_pond", monitoring_wells=0, self_monitoring=True),
        facility("c", "landfill", self_monitoring=True),
        facility("d", "chemical park", monitoring_wells="two", self_monitoring=True),
        facility("e", "other", key_discharger=True, on_county_list=True, discharge_permit="PERMIT-1"),
        facility("f", "mine"),
    ]
    mon = item_findings("groundwater.rule.facility_monitoring", records=records)
    assert mon["a"].status is Status.MET and (mon["a"].value, mon["a"].limit, mon["a"].unit) == (1.0, 1.0, "口")
    assert mon["b"].status is Status.NOT_MET and "监测井0口" in mon["b"].message_zh
    assert mon["c"].details["missing"] == ["monitoring_wells"]
    assert mon["d"].details["unrecognised"] == {"monitoring_wells": "two"}
    assert "e" not in mon  # type other: only the key-discharger rule reads it
    assert mon["f"].details["unrecognised"] == {"type": "mine"}
    assert mon["新绛县"].status is Status.NOT_MET
    seep = item_findings("groundwater.rule.facility_anti_seepage", records=records[:1])
    assert seep["a"].status is Status.NOT_MET and "未进行防渗漏监测" in seep["a"].message_zh
    key = item_findings("groundwater.rule.key_dischargers", records=records)
    assert set(key) == {"e", "新绛县"} and key["e"].status is Status.MET and key["e"].details["permit"] == "PERMIT-1"
    none = item_findings("groundwater.rule.key_dischargers", records=records[:2])
    assert none["新绛县"].status is Status.INSUFFICIENT_DATA and "key_discharger" in none["新绛县"].message_zh


# -- task 10: extraction and geothermal reinjection ------------------------------------------------------------


def test_mixed_extraction(item_findings: ItemFindings) -> None:
    def ext(eid: str, **fields: Any) -> dict[str, Any]:
        return {"id": eid, "kind": "groundwater_extraction", "name": eid, **fields}

    got = item_findings("groundwater.rule.no_mixed_extraction", records=[
        ext("a", aquifers=["潜水", "承压水"], mixed_extraction=True, polluted_aquifers=["承压水"]),
        ext("b", aquifers="潜水、承压水", mixed_extraction=True, quality_differs=True),
        ext("c", aquifers=["phreatic", "confined"], mixed_extraction=True),
        ext("d", aquifers=["phreatic", "karst"], mixed_extraction=False),
        ext("e", aquifers=["confined"]),
    ])
    assert got["a"].status is Status.NOT_MET and "承压水已受污染" in got["a"].message_zh
    assert got["b"].status is Status.NOT_MET and "分层开采" in got["b"].message_zh
    assert got["c"].status is Status.MET
    assert got["d"].details["unrecognised"] == {"aquifers": "['phreatic', 'karst']"}
    assert got["e"].details["missing"] == ["mixed_extraction"]


def test_geothermal_reinjection(item_findings: ItemFindings) -> None:
    def geo(gid: str, **fields: Any) -> dict[str, Any]:
        return {"id": gid, "kind": "geothermal_project", "name": gid, "extraction_layer": "馆陶组",
                "reinjection_layer": "馆陶组", "technique": "same_layer_equal_volume", **fields}

    got = item_findings("groundwater.rule.geothermal_reinjection", records=[
        geo("a", extracted_volume="150000 m³", reinjected_volume="1.5e8 L"),
        geo("b", extracted_volume="150000 m³", reinjected_volume="149850 m³"),
        geo("c", extracted_volume="150000 m³"),
        geo("d", technique="密封式、无干扰井下换热"),
        geo("e", extracted_volume="150000 m³", reinjected_volume="150 t"),
    ])
    assert got["a"].status is Status.MET and got["a"].value == 100.0 and got["a"].unit == "%"
    assert got["b"].status is Status.NOT_MET and got["b"].value == 99.9
    assert got["c"].details["missing"] == ["reinjected_volume"]
    assert got["d"].status is Status.NOT_APPLICABLE
    assert "reinjected_volume" in got["e"].details["unrecognised"]


# -- tasks 13, 14: source zones -------------------------------------------------------------------------------


def test_recharge_zones_by_the_end_of_2023(item_findings: ItemFindings) -> None:
    def src(sid: str, scale: str, **fields: Any) -> dict[str, Any]:
        return {"id": sid, "kind": "groundwater_source", "name": sid, "scale": scale, **fields}

    records = [
        src("a", "千吨万人", recharge_zone_delineated_on="2023-12-31"),
        src("b", "county", recharge_zone_delineated_on="2024-01-10"),
        src("c", "city"),
        src("d", "qianren"),
        src("e", "huge"),
    ]
    on_day = item_findings("groundwater.rule.recharge_zones", records=records, as_of="2023-12-31")
    assert on_day["a"].status is Status.MET
    assert on_day["b"].status is Status.NOT_MET and on_day["b"].details["provisional"] is True  # 2024 not known yet
    assert "d" not in on_day and on_day["e"].details["unrecognised"] == {"scale": "huge"}
    later = item_findings("groundwater.rule.recharge_zones", records=records, as_of="2024-03-31")
    assert later["b"].status is Status.NOT_MET and "晚于期限" in later["b"].message_zh
    assert later["c"].status is Status.NOT_MET and "已逾期" in later["c"].message_zh
    assert later["新绛县"].details["late"] == 1 and later["新绛县"].details["outstanding"] == 1


def test_every_item_reports_with_nothing_given(engine: ep.Engine) -> None:
    report = engine.evaluate(as_of="2023-12-31", plans=["groundwater"])
    items = {f.id for f in report.findings if f.kind != "task"}
    plan = engine.catalog.plan("groundwater")
    assert items == {i.id for i in (*plan.targets, *plan.rules)}
    assert all(f.status is Status.INSUFFICIENT_DATA for f in report.findings if f.kind != "task")
    assert len(gbt14848.ROUTINE_PARAMETERS) == 39


def test_module_docs_name_every_evaluator() -> None:
    from envplan_groundwater import evaluators

    for name in evaluators.GROUNDWATER_EVALUATORS:
        assert name in (evaluators.__doc__ or "")


def test_one_sample_under_two_spellings_of_a_point_is_an_error(engine: ep.Engine) -> None:
    rows = [("D1", "氟化物", DAY, "0.5", "mg/L"), ("d-1", "氟化物", DAY, "0.5", "mg/L")]
    with pytest.raises(ep.EnvplanError, match="duplicate"):
        engine.evaluate(
            observations=pd.DataFrame(rows, columns=["site", "parameter", "time", "value", "unit"]),
            inventory={"records": [point("d1", "D1", aliases=["d-1"])]},
            as_of="2023-12-31",
            plans=["groundwater"],
        )

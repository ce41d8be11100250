"""The bundled synthetic example data (plugins/groundwater/envplan_groundwater/examples/) gives the statuses it was written to give."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from plan_checks import assert_complete_and_cited, assert_labelled_synthetic, item_statuses

from envplan_core import Plan, Report
from envplan_core.testing import finding_statuses, task_statuses

Evaluate = Callable[[str], Report]

# (id, subject) → status at 2023-12-31. Subjects are the finding subjects (record names; 新绛县 for the county).
EXPECTED_2023: dict[tuple[str, str], str] = {
    ("groundwater.regional_points.class", "示例区域点位1"): "met",
    ("groundwater.regional_points.class", "示例区域点位2"): "met",
    ("groundwater.regional_points.class", "示例区域点位3"): "insufficient_data",
    ("groundwater.regional_points.class", "新绛县"): "insufficient_data",
    ("groundwater.drinking_points.class", "示例饮用水源点位1"): "met",
    ("groundwater.drinking_points.class", "示例饮用水源点位2"): "not_met",
    ("groundwater.drinking_points.class", "示例饮用水源点位3"): "insufficient_data",
    ("groundwater.drinking_points.class", "新绛县"): "not_met",
    ("groundwater.risk_points.class", "示例污染风险监控点位1"): "met",
    ("groundwater.risk_points.class", "示例污染风险监控点位2"): "met",
    ("groundwater.risk_points.class", "新绛县"): "met",
    ("groundwater.rule.attainment_plans", "示例区域点位2"): "met",
    ("groundwater.rule.attainment_plans", "示例区域点位3"): "insufficient_data",
    ("groundwater.rule.attainment_plans", "示例饮用水源点位1"): "met",
    ("groundwater.rule.attainment_plans", "示例饮用水源点位2"): "not_met",
    ("groundwater.rule.attainment_plans", "示例饮用水源点位3"): "not_met",
    ("groundwater.rule.attainment_plans", "示例污染风险监控点位1"): "not_met",
    ("groundwater.rule.attainment_plans", "新绛县"): "not_met",
    ("groundwater.rule.facility_monitoring", "示例化工企业A"): "met",
    ("groundwater.rule.facility_monitoring", "示例尾矿库B"): "not_met",
    ("groundwater.rule.facility_monitoring", "示例生活垃圾填埋场"): "met",
    ("groundwater.rule.facility_monitoring", "示例加油站C"): "met",
    ("groundwater.rule.facility_monitoring", "示例危险废物处置场"): "met",
    ("groundwater.rule.facility_monitoring", "示例化工集聚区"): "met",
    ("groundwater.rule.facility_monitoring", "新绛县"): "not_met",
    ("groundwater.rule.key_dischargers", "示例化工企业A"): "met",
    ("groundwater.rule.key_dischargers", "示例生活垃圾填埋场"): "not_met",
    ("groundwater.rule.key_dischargers", "示例危险废物处置场"): "met",
    ("groundwater.rule.key_dischargers", "示例铸造企业D"): "not_met",
    ("groundwater.rule.key_dischargers", "新绛县"): "not_met",
    ("groundwater.rule.facility_anti_seepage", "示例化工企业A"): "met",
    ("groundwater.rule.facility_anti_seepage", "示例尾矿库B"): "not_met",
    ("groundwater.rule.facility_anti_seepage", "示例生活垃圾填埋场"): "met",
    ("groundwater.rule.facility_anti_seepage", "示例加油站C"): "met",
    ("groundwater.rule.facility_anti_seepage", "示例危险废物处置场"): "insufficient_data",
    ("groundwater.rule.facility_anti_seepage", "示例化工集聚区"): "met",
    ("groundwater.rule.facility_anti_seepage", "新绛县"): "not_met",
    ("groundwater.rule.wells_sealed", "示例报废取水井1"): "met",
    ("groundwater.rule.wells_sealed", "示例报废取水井2"): "not_met",
    ("groundwater.rule.wells_sealed", "示例勘探孔1"): "met",
    ("groundwater.rule.wells_sealed", "示例报废矿井1"): "not_met",
    ("groundwater.rule.wells_sealed", "示例未建成取水井1"): "met",
    ("groundwater.rule.wells_sealed", "示例报废钻井（镇未登记）"): "insufficient_data",
    ("groundwater.rule.wells_sealed", "泽掌镇（汇总）"): "not_met",
    ("groundwater.rule.wells_sealed", "北张镇（汇总）"): "not_met",
    ("groundwater.rule.wells_sealed", "龙兴镇（汇总）"): "met",
    ("groundwater.rule.wells_sealed", "（未注明镇）（汇总）"): "insufficient_data",
    ("groundwater.rule.wells_cross_layer", "示例报废矿井1"): "not_met",
    ("groundwater.rule.wells_cross_layer", "示例未建成取水井1"): "met",
    ("groundwater.rule.no_mixed_extraction", "示例水厂取水井1"): "met",
    ("groundwater.rule.no_mixed_extraction", "示例农灌混采井"): "not_met",
    ("groundwater.rule.no_mixed_extraction", "示例企业自备井"): "met",
    ("groundwater.rule.geothermal_reinjection", "示例地热供暖项目A"): "met",
    ("groundwater.rule.geothermal_reinjection", "示例地热供暖项目B"): "not_met",
    ("groundwater.rule.geothermal_reinjection", "示例地埋管换热项目C"): "not_applicable",
    ("groundwater.rule.source_protection_zones", "示例县城水源地"): "met",
    ("groundwater.rule.source_protection_zones", "示例千吨万人水源地A"): "met",
    ("groundwater.rule.source_protection_zones", "示例千吨万人水源地B"): "not_met",
    ("groundwater.rule.source_protection_zones", "新绛县"): "not_met",
    ("groundwater.rule.recharge_zones", "示例县城水源地"): "met",
    ("groundwater.rule.recharge_zones", "示例千吨万人水源地A"): "not_met",
    ("groundwater.rule.recharge_zones", "示例千吨万人水源地B"): "met",
    ("groundwater.rule.recharge_zones", "新绛县"): "not_met",
}

# A task is due on its day: on 2023-12-31 nothing dated is overdue yet; from 2024 the missing reports show.
TASKS_2023 = {1: "done", 2: "open", 3: "done", 4: "open", 5: "ongoing", 6: "open", 7: "open", 8: "ongoing",
              9: "done", 10: "ongoing", 11: "open", 12: "done", 13: "open", 14: "open", 15: "done"}
TASKS_2024 = {**TASKS_2023, 2: "overdue", 4: "overdue", 6: "overdue", 7: "overdue", 11: "overdue", 13: "overdue",
              14: "done_late"}


def test_targets_and_rules_on_the_example_data(evaluate_examples: Evaluate) -> None:
    assert finding_statuses(evaluate_examples("2023-12-31")) == EXPECTED_2023


def test_tasks_on_the_example_data(evaluate_examples: Evaluate) -> None:
    assert task_statuses(evaluate_examples("2023-12-31")) == TASKS_2023
    assert task_statuses(evaluate_examples("2024-03-31")) == TASKS_2024


def test_the_survey_and_both_delineations_go_overdue_without_a_report(evaluate_examples: Evaluate) -> None:
    """Tasks 1, 4 and 14 are due by 2023-12-31: missing from the progress file after that, they are overdue."""
    report = evaluate_examples("2024-03-31")
    by = {f.id: f for f in report.findings if f.kind == "task"}
    assert by["groundwater.task.4"].status.value == "overdue"  # never reported
    assert by["groundwater.task.14"].status.value == "done_late"  # reported done on 2024-01-15
    assert by["groundwater.task.1"].status.value == "done"  # done on 2023-12-20


def test_every_target_and_rule_is_exercised_met_and_not_met(evaluate_examples: Evaluate, plan: Plan) -> None:
    for item_id, statuses in item_statuses(evaluate_examples("2023-12-31"), plan).items():
        assert "met" in statuses, item_id
        # No class is worse than Ⅴ: the two "not worse than Ⅴ" targets cannot fail on a class.
        if item_id not in ("groundwater.regional_points.class", "groundwater.risk_points.class"):
            assert "not_met" in statuses, item_id


def test_example_findings_are_complete_and_cited(evaluate_examples: Evaluate) -> None:
    report = evaluate_examples("2023-12-31")
    assert_complete_and_cited(report, "地下水污染防治2023年行动计划")
    counts = Counter(f.status.value for f in report.findings)
    assert counts == {"met": 31, "not_met": 24, "insufficient_data": 7, "not_applicable": 1, "done": 5,
                      "open": 7, "ongoing": 3}
    assert [u.reason for u in report.unused] == ["dated 2024-01-15 after as_of 2023-12-31: not known yet"]


def test_key_example_figures(evaluate_examples: Evaluate) -> None:
    report = evaluate_examples("2023-12-31")
    by = {(f.id, f.subject): f for f in report.findings}
    d2 = by["groundwater.drinking_points.class", "示例饮用水源点位2"]
    assert (d2.value, d2.limit, d2.details["limiting"]) == ("IV", "III", ["Mn", "NO3-N"])
    assert d2.details["exceedances"] == {"Mn": 0.6, "NO3-N": 0.225}
    assert d2.details["items_missing"] == []
    county = by["groundwater.drinking_points.class", "新绛县"]
    assert county.details["failing"] == ["示例饮用水源点位2"] and "锰" in county.message_zh
    plans = by["groundwater.rule.attainment_plans", "新绛县"]
    assert plans.details["lacking"] == ["示例饮用水源点位2", "示例饮用水源点位3", "示例污染风险监控点位1"]
    well = by["groundwater.rule.wells_sealed", "示例报废取水井2"]
    assert well.details["responsible"] == "town_government" and "泽掌镇" in well.lead
    geo = by["groundwater.rule.geothermal_reinjection", "示例地热供暖项目B"]
    assert (geo.value, geo.limit, geo.unit) == (75.0, 100.0, "%")


def test_examples_are_labelled_synthetic(examples: Path) -> None:
    assert_labelled_synthetic(examples, ("observations.csv", "progress.csv", "inventory_wells.csv"))


def test_observations_are_what_the_script_writes(examples: Path, tmp_path: Path) -> None:
    import runpy

    script = Path(__file__).resolve().parents[3] / "plugins" / "groundwater" / "scripts" / "make_examples.py"
    runpy.run_path(str(script), run_name="make_examples")["main"](tmp_path)
    assert (tmp_path / "observations.csv").read_bytes() == (examples / "observations.csv").read_bytes()


@pytest.mark.parametrize("as_of", ["2023-06-30", "2023-12-31", "2024-03-31"])
def test_example_evaluation_is_stable_under_as_of(evaluate_examples: Evaluate, as_of: str) -> None:
    """Any day evaluates without error, and each target and rule still gets a finding."""
    report = evaluate_examples(as_of)
    assert {f.id for f in report.findings} >= {k[0] for k in EXPECTED_2023}

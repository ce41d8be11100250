"""The bundled synthetic example data (plugins/water/envplan_water/examples/) gives the statuses it was written to give."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from plan_checks import assert_complete_and_cited, assert_labelled_synthetic, item_statuses

from envplan_core import Plan, Report
from envplan_core.testing import finding_statuses, task_statuses

Evaluate = Callable[[str], Report]

# (id, subject) → status at 2023-12-31. Subjects are the finding subjects (record names for rules).
EXPECTED_2023: dict[tuple[str, str], str] = {
    ("water.yangzhaoqiao.class", "杨赵桥"): "not_met",
    ("water.xiqucun.class", "西曲村"): "met",
    ("water.drinking_sources.share", "新绛县"): "met",
    ("water.black_odorous.none", "县城建成区"): "met",
    ("water.reclaimed_water.plants", "新绛县"): "not_met",
    ("water.rural_sewage.operating_rate", "新绛县"): "met",
    ("water.rural_sewage.stations_2023", "新绛县"): "met",
    ("water.rural_sewage.rebuilds", "新绛县"): "met",
    ("water.wetland_effluent.class", "城区污水处理厂（一）"): "met",
    ("water.wetland_effluent.class", "城区污水处理厂（二）"): "not_met",
    ("water.wetland_effluent.class", "开发区污水处理厂"): "met",
    ("water.rule.outfall_monthly_monitoring", "示例入河排污口A（汾河·龙兴镇）"): "met",
    ("water.rule.outfall_monthly_monitoring", "示例入河排污口B（浍河·横桥镇）"): "not_met",
    ("water.rule.outfall_monthly_monitoring", "示例入河排污口C（汾河·古交镇）"): "met",
    ("water.rule.outfall_exceedance", "示例入河排污口A（汾河·龙兴镇）"): "met",
    ("water.rule.outfall_exceedance", "示例入河排污口B（浍河·横桥镇）"): "met",
    ("water.rule.outfall_exceedance", "示例入河排污口C（汾河·古交镇）"): "not_met",
    ("water.rule.riparian_buffer_width", "示例缓冲带 汾河左岸1段"): "met",
    ("water.rule.riparian_buffer_width", "示例缓冲带 汾河右岸1段"): "met",
    ("water.rule.riparian_buffer_width", "示例缓冲带 浍河左岸1段"): "met",  # exactly 30 m
    ("water.rule.riparian_buffer_width", "示例缓冲带 浍河右岸1段"): "not_met",  # 25 m
    ("water.rule.riparian_buffer_width", "示例缓冲带 三泉水库东岸"): "met",
    ("water.rule.new_industry_to_municipal_plant", "water.rule.new_industry_to_municipal_plant"): "met",
}

# Every water deadline falls on 2023-12-31 or later, so on 2023-12-31 nothing is overdue yet (the due day
# counts): the late and missing reports show from 2024 on.
TASKS_2023 = {1: "done", 2: "open", 3: "done", 4: "open", 5: "open", 6: "done", 7: "open", 8: "open", 9: "open",
              10: "done", 11: "done", 12: "ongoing", 13: "ongoing", 14: "ongoing"}
TASKS_2024 = {**TASKS_2023, 2: "overdue", 4: "done_late", 7: "open", 8: "overdue", 9: "overdue"}  # task 7: 2023 works done late, 2024 completion still open


def test_targets_and_rules_on_the_example_data(evaluate_examples: Evaluate) -> None:
    assert finding_statuses(evaluate_examples("2023-12-31")) == EXPECTED_2023


def test_tasks_on_the_example_data(evaluate_examples: Evaluate) -> None:
    assert task_statuses(evaluate_examples("2023-12-31")) == TASKS_2023
    assert task_statuses(evaluate_examples("2024-03-31")) == TASKS_2024


def test_every_target_and_rule_is_exercised(evaluate_examples: Evaluate, plan: Plan) -> None:
    for item_id, statuses in item_statuses(evaluate_examples("2023-12-31"), plan).items():
        assert statuses, item_id
        assert "insufficient_data" not in statuses, item_id


def test_example_findings_are_complete_and_cited(evaluate_examples: Evaluate) -> None:
    report = evaluate_examples("2023-12-31")
    assert_complete_and_cited(report, "水环境质量再提升2023年行动计划")
    counts = Counter(f.status.value for f in report.findings)
    assert counts == {"met": 17, "not_met": 6, "done": 5, "open": 6, "ongoing": 3}


def test_key_example_figures(evaluate_examples: Evaluate) -> None:
    report = evaluate_examples("2023-12-31")
    by = {(f.id, f.subject): f for f in report.findings}
    yzq = by["water.yangzhaoqiao.class", "杨赵桥"]
    assert (yzq.value, yzq.details["limiting"], yzq.details["exceedance"]) == ("IV", ["NH3-N"], {"NH3-N": 0.25})
    assert by["water.xiqucun.class", "西曲村"].value == "III"
    exceed = by["water.rule.outfall_exceedance", "示例入河排污口C（汾河·古交镇）"]
    assert (exceed.value, exceed.limit, exceed.details["months"]) == (68.0, 50.0, ["2023-09"])
    assert "古交镇" in exceed.support
    missing = by["water.rule.outfall_monthly_monitoring", "示例入河排污口B（浍河·横桥镇）"]
    assert missing.details["missing_months"] == ["2023-07"]


def test_examples_are_labelled_synthetic(examples: Path) -> None:
    assert_labelled_synthetic(examples, ("observations.csv", "progress.csv"))


@pytest.mark.parametrize("as_of", ["2023-06-30", "2023-12-31", "2024-03-31"])
def test_example_evaluation_is_stable_under_as_of(evaluate_examples: Evaluate, as_of: str) -> None:
    """Any day evaluates without error, and each target and rule still gets a finding."""
    report = evaluate_examples(as_of)
    assert {f.id for f in report.findings} >= {k[0] for k in EXPECTED_2023}

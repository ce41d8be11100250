"""The bundled synthetic example data (plugins/soil/envplan_soil/examples/) gives the statuses it was written to give."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from plan_checks import SYNTHETIC, assert_complete_and_cited, assert_labelled_synthetic, item_statuses

from envplan_core import Plan, Report
from envplan_core.plugin import read_inventory
from envplan_core.testing import finding_statuses, task_statuses

Evaluate = Callable[[str], Report]

# (id, subject) → status at 2023-12-31. Subjects are parcel names, towns, units or the county.
EXPECTED_2023: dict[tuple[str, str], str] = {
    ("soil.farmland.safe_utilisation_rate", "新绛县"): "met",
    ("soil.construction_land.safe_use", "新绛县"): "not_met",
    ("soil.rule.sensitive_use_investigation", "示例地块A（原化工厂，拟建住宅）"): "met",
    ("soil.rule.sensitive_use_investigation", "示例地块B（原铅蓄电池厂，拟建学校）"): "not_met",
    ("soil.rule.sensitive_use_investigation", "示例地块C（原仓库，拟建住宅）"): "not_met",
    ("soil.rule.sensitive_use_investigation", "示例地块D（旧住宅区改造）"): "not_applicable",
    ("soil.rule.sensitive_use_investigation", "示例地块E（原机械厂，拟建医院）"): "met",
    ("soil.rule.sensitive_use_investigation", "示例地块G（原化肥厂，拟建住宅，尚未供地）"): "not_applicable",
    ("soil.rule.sensitive_use_investigation", "示例地块I（名录地块，违规供地）"): "met",
    ("soil.rule.listed_parcel_restrictions", "示例地块H（名录地块，风险管控中）"): "met",
    ("soil.rule.listed_parcel_restrictions", "示例地块I（名录地块，违规供地）"): "not_met",
    ("soil.rule.listed_parcel_restrictions", "示例地块J（名录地块，修复未达标即开工）"): "met",
    ("soil.rule.no_unrelated_construction", "示例地块A（原化工厂，拟建住宅）"): "met",
    ("soil.rule.no_unrelated_construction", "示例地块C（原仓库，拟建住宅）"): "not_met",
    ("soil.rule.no_unrelated_construction", "示例地块H（名录地块，风险管控中）"): "met",
    ("soil.rule.no_unrelated_construction", "示例地块J（名录地块，修复未达标即开工）"): "not_met",
    ("soil.rule.toxic_site_reclamation", "示例地块K（原电镀厂复垦）"): "not_met",
    ("soil.rule.toxic_site_reclamation", "示例地块L（原砖瓦窑复垦）"): "met",
    ("soil.rule.toxic_site_reclamation", "示例地块M（原农药仓库复垦为苗圃耕地）"): "met",
    ("soil.rule.priority_farmland", "龙兴镇"): "met",
    ("soil.rule.priority_farmland", "泽掌镇"): "not_met",
    ("soil.rule.priority_farmland", "古交镇"): "met",
    ("soil.rule.monthly_check", "县自然资源局"): "met",
    ("soil.rule.monthly_check", "运城市生态环境局新绛分局"): "met",
    ("soil.rule.monthly_check", "县行政审批局"): "not_met",
    ("soil.rule.monthly_check", "新绛经济技术开发区管委会行政审批局"): "not_met",
    ("soil.rule.quarterly_dispatch", "新绛县"): "met",
}

TASKS_2023 = {
    1: "ongoing",
    2: "open",
    3: "done",
    4: "done",
    5: "done",
    6: "open",
    7: "done",
    8: "open",
    9: "done",
    10: "ongoing",
    11: "done",
    12: "open",
    13: "ongoing",
    14: "ongoing",
    15: "done",
}
TASKS_2024 = {**TASKS_2023, 2: "overdue", 6: "overdue", 8: "overdue", 12: "done_late"}


def test_targets_and_rules_on_the_example_data(evaluate_examples: Evaluate) -> None:
    assert finding_statuses(evaluate_examples("2023-12-31")) == EXPECTED_2023


def test_tasks_on_the_example_data(evaluate_examples: Evaluate) -> None:
    assert task_statuses(evaluate_examples("2023-12-31")) == TASKS_2023
    assert task_statuses(evaluate_examples("2024-03-31")) == TASKS_2024


def test_every_target_and_rule_is_exercised_met_and_not_met(evaluate_examples: Evaluate, plan: Plan) -> None:
    report = evaluate_examples("2023-12-31")
    rules = {r.id for r in plan.rules}
    for item_id, statuses in item_statuses(report, plan).items():
        assert statuses, item_id
        assert "insufficient_data" not in statuses, item_id
        if item_id in rules and item_id != "soil.rule.quarterly_dispatch":
            assert {"met", "not_met"} <= statuses, item_id
    assert not report.unused or all(u.column == "date" for u in report.unused)  # task 12's 2024 report


def test_key_example_figures(evaluate_examples: Evaluate) -> None:
    by = {(f.id, f.subject): f for f in evaluate_examples("2023-12-31").findings}
    rate = by["soil.farmland.safe_utilisation_rate", "新绛县"]
    assert (rate.value, rate.limit, rate.unit) == (95.24, 93.0, "%")
    assert rate.details["polluted_area_mu"] == 1050.0
    goal = by["soil.construction_land.safe_use", "新绛县"]
    assert goal.value == 4.0 and len(goal.details["breaking"]) == 4
    school = by["soil.rule.sensitive_use_investigation", "示例地块B（原铅蓄电池厂，拟建学校）"]
    assert (
        school.details["exceedances"][0]["parameter"] == "soil_Pb"
        and school.citation.standard == "GB 36600-2018"
    )
    town = by["soil.rule.priority_farmland", "泽掌镇"]
    assert (
        (town.value, town.limit) == (0.0, 800.0)
        and "预警提醒" in town.message_zh
        and "泽掌镇" in town.support
    )
    assert by["soil.rule.priority_farmland", "古交镇"].value == pytest.approx(502.5)  # 33.5 hm² in 亩
    zone = by["soil.rule.monthly_check", "新绛经济技术开发区管委会行政审批局"]
    assert zone.lead == ("新绛经济技术开发区管委会行政审批局",)
    assert zone.details["open_violations"][0]["period"] == "2023-12"


def test_example_findings_are_complete_and_cited(evaluate_examples: Evaluate) -> None:
    report = evaluate_examples("2023-12-31")
    assert_complete_and_cited(report, "土壤污染防治2023年行动计划")
    counts = Counter(f.status.value for f in report.findings)
    assert counts == {"met": 15, "not_met": 10, "not_applicable": 2, "done": 7, "open": 4, "ongoing": 4}


def test_examples_are_labelled_synthetic(examples: Path) -> None:
    tables = ("progress.csv", "soil_samples_agricultural.csv", "soil_samples_construction.csv")
    assert_labelled_synthetic(examples, tables)
    inventory = read_inventory(examples / "inventory.yaml")
    assert all(SYNTHETIC in str(r.get("note")) for r in inventory.records)
    assert all(r.id.startswith("soil-") for r in inventory.records)  # ids stay unique beside other plans' examples
    # The sample files are for classify: demo reads observations*, inventory*, progress* only.
    assert not list(examples.glob("observations*"))


@pytest.mark.parametrize("as_of", ["2023-06-30", "2023-09-30", "2023-12-31", "2024-03-31"])
def test_example_evaluation_is_stable_under_as_of(evaluate_examples: Evaluate, as_of: str) -> None:
    report = evaluate_examples(as_of)
    assert {f.id for f in report.findings} >= {k[0] for k in EXPECTED_2023}

"""Every finding of a soil target carries ``details["computation"]`` (docs/cli.md § evaluate), built with
``envplan_core.plugin.computation`` as the other plans build theirs: the same keys, what the verdict rests
on (the polluted plots or the supplied value; the parcels judged), the value as compared and the limit.

Run through the command line like tests/core/test_computation.py runs the water, air and groundwater plans
(the demo, no data at all, mid-year, a day before the plan's period), and on inventories given as data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from envplan_core import Finding, Report
from envplan_core.findings import COUNTED

Evaluate = Callable[..., Report]
Run = Callable[..., tuple[int, str, str]]

KEYS = {"period", "statistic", "n", "n_of", "value", "value_raw", "unit", "rounding", "rule_zh", "rule_en"}
TARGETS = ("soil.farmland.safe_utilisation_rate", "soil.construction_land.safe_use")
TARGET_VALUE = {"soil.farmland.national_safe_utilisation_target": "93 %"}

#: A progress file with only its header: no evidence (evaluate refuses to run with no input at all).
NO_PROGRESS = str(Path(__file__).resolve().parents[2] / "core" / "progress_header_only.csv")


def _report(run: Run, *argv: str) -> dict[str, Any]:
    """The JSON report of ``envplan ARGV`` with the soil plugin alone (the fixture ``run``)."""
    code, out, err = run(*argv, "--format", "json")
    assert code == 0, err
    report: dict[str, Any] = json.loads(out)
    return report


@pytest.mark.parametrize(
    "argv",
    [
        ("demo",),
        ("demo", "--as-of", "2023-06-30"),
        ("evaluate", "--progress", NO_PROGRESS, "--as-of", "2023-12-31"),
        ("evaluate", "--progress", NO_PROGRESS, "--as-of", "2022-06-30"),
    ],
    ids=["demo", "demo-mid-year", "no-data", "before-the-period"],
)
def test_every_soil_target_finding_carries_its_computation(
    run: Run, argv: tuple[str, ...]
) -> None:
    targets = [f for f in _report(run, *argv)["findings"] if f["kind"] == "target"]
    assert {f["id"] for f in targets} == set(TARGETS)
    for f in targets:
        where = f"{f['id']} / {f['subject']} ({f['status']})"
        comp = f["details"].get("computation")
        assert comp is not None, where
        assert comp.keys() >= KEYS, where
        assert comp["n_of"] in COUNTED, where
        assert comp["rule_zh"] and comp["rule_en"], where
        assert comp["period"] == "2023", where
        if f["status"] in ("met", "not_met"):
            assert comp["value"] == f["value"], where
            assert comp["n"] is not None and comp["n"] > 0, where
            assert comp["limit"] == f["limit"], where
            assert comp["unit"] == f["unit"], where
        if f["value_raw"] is not None:
            assert comp["value_raw"] == pytest.approx(f["value_raw"]), where


def _target(report: Report, target_id: str) -> Finding:
    (finding,) = [f for f in report.findings if f.id == target_id]
    return finding


def test_the_demo_rate_rests_on_the_polluted_plots(run: Run) -> None:
    by_id = {f["id"]: f for f in _report(run, "demo")["findings"]}
    comp = by_id["soil.farmland.safe_utilisation_rate"]["details"]["computation"]
    # 示例图斑03 (800 亩, safe), 05 (200 亩, safe), 06 (50 亩, not): 1000 / 1050 亩.
    assert (comp["statistic"], comp["n"], comp["n_of"]) == ("safe_utilisation_rate", 3, "records")
    assert (comp["value"], comp["unit"], comp["limit"], comp["comparator"]) == (95.24, "%", 93.0, ">=")
    assert comp["value_raw"] == pytest.approx(100 * 1000 / 1050)
    assert (comp["polluted_area_mu"], comp["safely_utilised_area_mu"]) == (1050.0, 1000.0)
    assert comp["inventory_date"] == "2023-12-31" and comp["source"] == "farmland_plot records"
    assert "safely_utilised" in comp["rule_en"] and "93%" in comp["rule_zh"]
    assert "unrounded" in comp["rounding"]


def test_the_demo_construction_land_goal_counts_the_parcels(run: Run) -> None:
    by_id = {f["id"]: f for f in _report(run, "demo")["findings"]}
    comp = by_id["soil.construction_land.safe_use"]["details"]["computation"]
    assert (comp["n"], comp["n_of"], comp["value"], comp["value_raw"]) == (13, "records", 4.0, 4.0)
    assert (comp["limit"], comp["comparator"], comp["unit"]) == (0.0, "==", "个地块")
    assert (comp["concerned"], comp["breaking"], comp["unknown"]) == (7, 4, 0)
    assert comp["rules"] == [
        "soil.rule.sensitive_use_investigation",
        "soil.rule.listed_parcel_restrictions",
        "soil.rule.no_unrelated_construction",
    ]
    assert "第7条" in comp["rule_zh"] and "task 8" in comp["rule_en"]


def test_a_supplied_rate_is_one_value(evaluate: Evaluate) -> None:
    report = evaluate([], values={**TARGET_VALUE, "soil.farmland.safe_utilisation_rate": "92.5 %"})
    finding = _target(report, "soil.farmland.safe_utilisation_rate")
    comp = finding.details["computation"]
    assert finding.status.value == "not_met"
    assert (comp["n"], comp["n_of"], comp["source"], comp["key"]) == (
        1,
        "values",
        "values",
        "soil.farmland.safe_utilisation_rate",
    )
    assert (comp["value"], comp["value_raw"], comp["limit"], comp["comparator"]) == (92.5, 92.5, 93.0, ">=")
    assert "values.soil.farmland.safe_utilisation_rate" in comp["rule_zh"]


def test_a_rate_computed_from_hectares_and_mu(evaluate: Evaluate) -> None:
    plots = [
        {
            "id": "r1",
            "kind": "farmland_plot",
            "plot": "图斑1",
            "town": "三泉镇",
            "area": "300 亩",
            "category": "安全利用类",
            "safely_utilised": True,
            "inventory_date": "2023-12-31",
        },
        {
            "id": "r2",
            "kind": "farmland_plot",
            "plot": "图斑2",
            "town": "三泉镇",
            "area": "8 hm²",
            "category": "严格管控类",
            "safely_utilised": False,
            "inventory_date": "2023-12-31",
        },
        {
            "id": "r3",
            "kind": "farmland_plot",
            "plot": "图斑3",
            "town": "三泉镇",
            "area": "900 亩",
            "category": "优先保护类",
            "inventory_date": "2023-12-31",
        },
    ]
    finding = _target(evaluate(plots, values=TARGET_VALUE), "soil.farmland.safe_utilisation_rate")
    comp = finding.details["computation"]
    assert (finding.status.value, finding.value) == ("not_met", 71.43)
    # the two polluted plots; the priority plot is not counted
    assert (comp["n"], comp["value"]) == (2, 71.43)
    assert comp["value_raw"] == pytest.approx(100 * 300 / 420)
    assert (comp["polluted_area_mu"], comp["safely_utilised_area_mu"]) == (420.0, 300.0)


@pytest.mark.parametrize(
    ("records", "values", "status"),
    [
        ([], {"soil.farmland.safe_utilisation_rate": "95 %"}, "insufficient_data"),  # no national figure
        ([], TARGET_VALUE, "insufficient_data"),  # neither a rate nor plots
        (
            [
                {
                    "id": "k1",
                    "kind": "farmland_plot",
                    "plot": "K1",
                    "town": "横桥镇",
                    "area": "500 亩",
                    "category": "优先保护类",
                    "inventory_date": "2023-12-31",
                }
            ],
            TARGET_VALUE,
            "not_applicable",  # no polluted farmland
        ),
    ],
    ids=["no-figure", "no-rate", "no-polluted-farmland"],
)
def test_a_rate_not_judged_says_why_in_its_computation(
    evaluate: Evaluate, records: list[dict[str, Any]], values: dict[str, str], status: str
) -> None:
    finding = _target(evaluate(records, values=values), "soil.farmland.safe_utilisation_rate")
    comp = finding.details["computation"]
    assert finding.status.value == status
    assert comp.keys() >= KEYS and comp["value"] is None and comp["period"] == "2023"
    assert comp["rule_zh"] and comp["rule_en"]


def test_the_goal_not_judged_or_met_carries_its_computation(evaluate: Evaluate) -> None:
    unknown = [
        {"id": "p1", "kind": "land_parcel", "name": "甲", "original_use": "M2", "planned_use": "综合开发用地",
         "supplied_on": "2023-05-01"},
    ]  # fmt: skip
    finding = _target(evaluate(unknown), "soil.construction_land.safe_use")
    comp = finding.details["computation"]
    assert finding.status.value == "insufficient_data"
    assert (comp["n"], comp["value"], comp["breaking"], comp["unknown"]) == (1, None, 0, 1)

    fine = [{"id": "p2", "kind": "land_parcel", "name": "乙", "original_use": "M1", "planned_use": "M2"}]
    finding = _target(evaluate(fine), "soil.construction_land.safe_use")
    comp = finding.details["computation"]
    assert (finding.status.value, finding.value, finding.period) == ("met", 0.0, "2023")
    assert (comp["n"], comp["value"], comp["limit"], comp["concerned"]) == (1, 0.0, 0.0, 0)

    finding = _target(
        evaluate([{"id": "x", "kind": "soil_quarterly_dispatch", "quarter": "2023-Q3"}]),
        "soil.construction_land.safe_use",
    )
    comp = finding.details["computation"]
    assert finding.status.value == "insufficient_data"
    assert (comp["n"], comp["n_of"]) == (0, "records") and "land_parcel" in comp["rule_en"]

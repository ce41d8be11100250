"""The soil plan through the ``envplan`` command: plans, tasks, targets, classify soil, evaluate, demo (in-process,
with the soil plugin only unless a test names others: the fixture ``run`` of tests/plugins/conftest.py)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., tuple[int, str, str]]


def _classify(run: Run, examples: Path, land: str, *options: str) -> tuple[int, str, str]:
    """``envplan classify soil`` of the example samples of ``land`` (agricultural or construction)."""
    return run("classify", "soil", str(examples / f"soil_samples_{land}.csv"), "--land", land, *options)


# -- listings ----------------------------------------------------------------------------------------------------


def test_plans_lists_the_soil_plan_with_15_tasks(run: Run) -> None:
    code, out, _ = run("plans", "--format", "json")
    assert code == 0
    (plan,) = json.loads(out)
    assert (plan["id"], plan["tasks"], plan["targets"], plan["rules"]) == ("soil-2023", 15, 2, 7)
    assert plan["title_zh"] == "新绛县土壤污染防治2023年行动计划" and plan["plugin"] in (
        "soil",
        "envplan_soil",
    )
    code, out, _ = run("plans")
    assert code == 0 and "soil-2023" in out and "15" in out


def test_tasks_carry_units_deadlines_and_citations(run: Run) -> None:
    code, out, _ = run("tasks", "--plan", "soil", "--format", "json")
    assert code == 0
    tasks = {t["number"]: t for t in json.loads(out)}
    assert sorted(tasks, key=int) == [str(n) for n in range(1, 16)]
    for t in tasks.values():
        assert t["lead"] and t["deadlines"] and t["deadline_details"]
        assert t["citation"]["clause"] == t["number"] and t["citation"]["text"] and t["citation"]["part"]
        assert t["citation"]["plan"] == "土壤污染防治2023年行动计划"
    assert tasks["3"]["lead"] == ["运城市生态环境局新绛分局"] and tasks["3"]["support"] == ["县农业农村局"]
    assert tasks["2"]["deadlines"] == ["2023-12-31", "2023-12-31"]
    assert tasks["2"]["deadline_details"][1]["start"] == "2023-01-01"
    assert tasks["2"]["deadline_details"][1]["text"] == "自2023年起"
    assert tasks["10"]["deadlines"] == ["2023-09-30", "2023-12-31", None]
    assert tasks["14"]["deadlines"] == [None] and "每个月" in tasks["14"]["deadline_details"][0]["text"]
    assert tasks["14"]["responsibilities"][0]["by_division_of_duties"] is True
    assert tasks["7"]["deadline_details"][0]["text"] == "2023年（计划年度）"
    code, out, _ = run("tasks", "--plan", "soil", "--unit", "县公安局", "--format", "json")
    assert [t["number"] for t in json.loads(out)] == ["13"]


def test_targets_and_rules(run: Run) -> None:
    code, out, _ = run("targets", "--plan", "soil", "--format", "json")
    assert code == 0
    targets = {t["id"]: t for t in json.loads(out)}
    assert set(targets) == {"soil.farmland.safe_utilisation_rate", "soil.construction_land.safe_use"}
    code, out, _ = run("targets", "--plan", "soil")
    assert code == 0 and "soil.rule.monthly_check" in out


# -- classify soil -----------------------------------------------------------------------------------------------


def test_classify_list_shows_soil(run: Run) -> None:
    code, out, _ = run("classify", "--list", "--format", "json")
    assert code == 0
    kinds = {c["kind"]: c for c in json.loads(out)}
    assert "soil" in kinds and kinds["soil"]["standard"] == "GB 15618-2018; GB 36600-2018"


def test_classify_soil_agricultural_json(run: Run, examples: Path) -> None:
    code, out, err = _classify(run, examples, "agricultural", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    plots = {r["site"]: r["category"] for r in rows if r["scope"] == "plot"}
    assert plots["示例图斑04"] == "strict_control" and plots["示例图斑03"] == "priority_protection"
    for r in rows:
        assert {"site", "sample", "land_use", "pH", "category", "exceedances", "rule"} <= set(r)
        for e in r["exceedances"]:
            assert {"parameter", "value", "screening", "intervention", "unit"} <= set(e)
            assert e["unit"] == "mg/kg"


def test_classify_soil_construction_json(run: Run, examples: Path) -> None:
    code, out, _ = _classify(run, examples, "construction", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    for r in rows:
        assert {"site", "sample", "land_use", "pH", "class_exceeded", "exceedances", "rule"} <= set(r)
    c1 = next(r for r in rows if r["sample"] == "C-1")
    assert (c1["class_exceeded"], c1["land_class"]) == ("intervention", "first")


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_classify_soil_human_formats(run: Run, examples: Path, fmt: str) -> None:
    code, out, _ = _classify(run, examples, "agricultural", "--format", fmt)
    assert code == 0
    assert "严格管控类" in out and "GB 15618-2018" in out and "示例图斑04" in out


def test_classify_soil_xlsx_output(run: Run, examples: Path, tmp_path: Path) -> None:
    target = tmp_path / "soil.xlsx"
    code, _, err = _classify(run, examples, "construction", "--format", "xlsx", "--output", str(target))
    assert code == 0, err
    assert target.is_file() and target.stat().st_size > 0


def test_classify_soil_errors_exit_2(run: Run, tmp_path: Path, examples: Path) -> None:
    code, out, err = run("classify", "soil", str(examples / "soil_samples_agricultural.csv"))
    assert code == 2 and "--land" in err and out == ""
    data = tmp_path / "bad.csv"
    data.write_text(
        "site,sample,parameter,value,unit,land_use,pH\nP,S,Cd,0.3,mg/L,旱地,8\n", encoding="utf-8"
    )
    code, _, err = run("classify", "soil", str(data), "--land", "agricultural")
    assert code == 2 and "row 2" in err and "'unit'" in err and "Traceback" not in err
    data.write_text("site,sample,parameter,value,unit,land_use\nP,S,Cd,0.3,mg/kg,旱地\n", encoding="utf-8")
    code, _, err = run("classify", "soil", str(data), "--land", "agricultural")
    assert code == 2 and "row 2" in err and "pH" in err
    code, _, err = run("classify", "soil", str(data), "--land", "agricultural", "--background", "As=40 mg/kg")
    assert code == 2 and "--background" in err
    code, _, err = run("classify", "soil", str(data), "--land", "construction", "--background", "Pb=40 mg/kg")
    assert code == 2 and "footnote a" in err
    code, _, err = run("classify", "soil", str(data), "--land", "construction", "--background", "As=40")
    assert code == 2 and "unit" in err


# -- evaluate and demo ----------------------------------------------------------------------------------------------


def test_evaluate_example_data(run: Run, examples: Path) -> None:
    inventory, progress = str(examples / "inventory.yaml"), str(examples / "progress.csv")
    code, out, err = run("evaluate", "--inventory", inventory, "--progress", progress, "--as-of", "2023-12-31",
                         "--plan", "soil", "--format", "json")
    assert code == 0, err
    counts = Counter(f["status"] for f in json.loads(out)["findings"])
    assert counts == {"met": 15, "not_met": 10, "not_applicable": 2, "done": 7, "open": 4, "ongoing": 4}
    code, _, _ = run("evaluate", "--inventory", inventory, "--as-of", "2023-12-31", "--plan", "soil",
                     "--fail-on", "not_met")
    assert code == 1


def test_demo_evaluates_the_soil_examples(run: Run) -> None:
    code, out, _ = run("demo", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert any(Path(f).parent.name == "envplan_soil" for f in data["example_folders"])
    soil = [f for f in data["findings"] if f["plan"] == "soil-2023"]
    assert any(f["id"] == "soil.rule.priority_farmland" and f["status"] == "not_met" for f in soil)
    assert not [f for f in soil if f["status"] == "insufficient_data"]


@pytest.mark.parametrize("other", ["envplan_water", "envplan_air"])
def test_demo_findings_of_other_plans_do_not_change(run: Run, other: str) -> None:
    """The soil example inventory (kinds, ids and values of its own) changes nothing in another plan's demo."""
    code, alone, err = run("demo", "--format", "json", plugins=(other,))
    if code != 0:
        pytest.skip(f"{other} does not load on its own here: {err.strip()[:200]}")
    code, both, err = run("demo", "--format", "json", plugins=(other, "envplan_soil"))
    assert code == 0, err
    plan = {"envplan_water": "water-2023", "envplan_air": "air-2023"}[other]
    a = [f for f in json.loads(alone)["findings"] if f["plan"] == plan]
    b = [f for f in json.loads(both)["findings"] if f["plan"] == plan]
    assert a and a == b


@pytest.mark.parametrize("land", ["agricultural", "construction"])
def test_classify_soil_json_follows_the_classify_schema(run: Run, examples: Path, land: str) -> None:
    pytest.importorskip("jsonschema")
    from envplan_core.testing import schema_for, validate_json

    code, out, _ = _classify(run, examples, land, "--format", "json")
    assert code == 0
    validate_json(json.loads(out), schema_for("classify", "soil"))

"""The groundwater plan through the ``envplan`` command: plans, targets, tasks, evaluate, demo (in-process, with
the groundwater plugin only unless a test names others: the fixture ``run`` of tests/plugins/conftest.py)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

Run = Callable[..., tuple[int, str, str]]


def test_plans_lists_fifteen_tasks_and_three_targets(run: Run) -> None:
    code, out, _ = run("plans", "--format", "json")
    assert code == 0
    (plan,) = [p for p in json.loads(out) if p["id"] == "groundwater-2023"]
    assert (plan["targets"], plan["tasks"], plan["rules"]) == (3, 15, 10)
    assert plan["plugin"] == "envplan_groundwater"  # loaded by module name here; "groundwater" by entry point
    code, out, _ = run("plans")
    assert code == 0 and "groundwater-2023" in out


def test_targets_and_rules_are_cited(run: Run) -> None:
    code, out, _ = run("targets", "--plan", "groundwater", "--format", "json")
    assert code == 0
    targets = {t["id"]: t for t in json.loads(out)}
    assert set(targets) == {"groundwater.regional_points.class", "groundwater.drinking_points.class",
                            "groundwater.risk_points.class"}
    for t in targets.values():
        assert t["evaluator"] == "groundwater_point_class"
        assert t["citation"]["part"] == "工作目标" and t["lead"] == ["运城市生态环境局新绛分局"]
    code, out, _ = run("rules", "--plan", "groundwater", "--format", "json")
    assert code == 0
    assert {r["task"] for r in json.loads(out)} == {f"groundwater.task.{n}" for n in (2, 3, 5, 6, 8, 10, 13, 14)}


def test_tasks_with_units_and_deadlines(run: Run) -> None:
    code, out, _ = run("tasks", "--plan", "groundwater", "--format", "json")
    assert code == 0
    tasks = {t["number"]: t for t in json.loads(out)}
    assert sorted(tasks, key=int) == [str(n) for n in range(1, 16)]
    for n in ("1", "4", "14"):
        assert tasks[n]["deadlines"] == ["2023-12-31"]
    assert tasks["8"]["deadlines"] == [None] and tasks["10"]["deadlines"] == [None]
    assert tasks["5"]["deadlines"] == ["2023-12-31", None]
    assert tasks["8"]["lead"][0] == "各镇"
    assert tasks["7"]["lead"] == ["运城市生态环境局新绛分局", "新绛经济技术开发区管委会"]
    assert tasks["7"]["support"] == ["县住建局", "县园林绿化服务中心"]  # 县园林绿化中心 in the text
    code, out, _ = run("tasks", "--plan", "groundwater", "--unit", "泽掌镇", "--format", "json")
    assert {t["number"] for t in json.loads(out)} == {"2", "8"}  # through 各镇
    code, out, _ = run("tasks", "--plan", "groundwater", "--unit", "县能源局", "--format", "json")
    assert {t["number"] for t in json.loads(out)} == {"10"}


def test_evaluate_example_data(run: Run, examples: Path) -> None:
    code, out, err = run("evaluate", "--observations", str(examples / "observations.csv"),
                         "--inventory", str(examples / "inventory.yaml"),
                         "--inventory", str(examples / "inventory_wells.csv"),
                         "--progress", str(examples / "progress.csv"),
                         "--as-of", "2023-12-31", "--plan", "groundwater", "--format", "json")
    assert code == 0, err
    counts = Counter(f["status"] for f in json.loads(out)["findings"])
    assert counts == {"met": 31, "not_met": 24, "insufficient_data": 7, "not_applicable": 1, "done": 5,
                      "open": 7, "ongoing": 3}
    code, _, _ = run("evaluate", "--inventory", str(examples / "inventory.yaml"), "--as-of", "2023-12-31",
                     "--plan", "groundwater", "--fail-on", "not_met")
    assert code == 1


def test_demo_runs_the_groundwater_examples(run: Run) -> None:
    code, out, _ = run("demo", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["synthetic"] is True
    assert any(Path(f).parent.name == "envplan_groundwater" for f in data["example_folders"])
    found = {(f["id"], f["subject"]): f["status"] for f in data["findings"]}
    assert found["groundwater.drinking_points.class", "示例饮用水源点位2"] == "not_met"
    assert found["groundwater.rule.wells_sealed", "泽掌镇（汇总）"] == "not_met"


def test_the_other_plans_demo_findings_do_not_change(run: Run) -> None:
    """The groundwater examples sit beside the water and air examples without changing their findings."""
    others = "envplan_water,envplan_air"
    code, out, _ = run("demo", "--format", "json", plugins=others)
    assert code == 0
    before = [f for f in json.loads(out)["findings"] if f["plan"] in ("water-2023", "air-2023")]
    code, out, _ = run("demo", "--format", "json", plugins=others + ",envplan_groundwater")
    assert code == 0
    after = [f for f in json.loads(out)["findings"] if f["plan"] in ("water-2023", "air-2023")]
    assert before and after == before

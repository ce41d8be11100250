"""The bundled synthetic example data (envplan_air/examples) gives the statuses its README promises, is what
make_examples.py generates, and runs through ``envplan demo``."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from envplan_core import Report, Status
from envplan_core.cli import main

EXAMPLES = Path(__file__).resolve().parents[3] / "plugins" / "air" / "envplan_air" / "examples"
SCRIPT = Path(__file__).resolve().parents[3] / "plugins" / "air" / "scripts" / "make_examples.py"
M, N, NA = Status.MET, Status.NOT_MET, Status.NOT_APPLICABLE

EXPECTED: dict[tuple[str, str], Status] = {
    ("air.binding.provincial", "PM2.5年均浓度（市下达）"): M,
    ("air.binding.provincial", "优良天数比例（市下达）"): N,
    ("air.composite_index.rank", "新绛县"): M,
    ("air.pm25.annual_mean", "新绛县"): N,
    ("air.so2.yoy_change", "新绛县"): M,
    ("air.dust_fall", "新绛县"): N,
    ("air.straw_utilisation", "新绛县"): M,
    ("air.fume_purifiers.installed", "新绛县"): M,
    ("air.fume_purifiers.running", "新绛县"): N,
    ("air.coal_consumption.yoy", "新绛县"): M,
    ("air.sampling.vehicle_fuel", "新绛县"): M,
    ("air.sampling.urea", "新绛县"): M,
    ("air.sampling.coatings", "新绛县"): M,
    ("air.sampling.inks", "新绛县"): N,
    ("air.sampling.adhesives", "新绛县"): M,
    ("air.sampling.cleaners", "新绛县"): M,
    ("air.inspection.emission_testing", "新绛县"): M,
    ("air.inspection.emission_testing_coverage", "新绛县"): M,
    ("air.heavy_pollution_days", "新绛县"): NA,
    ("air.rule.coal_boiler_lt_35", "示例食品厂燃煤锅炉"): N,
    ("air.rule.blast_furnace_lt_1200", "示例冶炼公司2号高炉"): NA,
    ("air.rule.converter_lt_100", "逐步淘汰100吨以下转炉"): M,
    ("air.rule.brick_kiln.firing_pm", "示例砖厂A隧道窑"): M,
    ("air.rule.brick_kiln.firing_pm", "示例砖厂B轮窑"): M,
    ("air.rule.brick_kiln.firing_pm", "示例砖厂C隧道窑"): M,
    ("air.rule.brick_kiln.firing_so2", "示例砖厂A隧道窑"): M,
    ("air.rule.brick_kiln.firing_so2", "示例砖厂B轮窑"): N,
    ("air.rule.brick_kiln.firing_so2", "示例砖厂C隧道窑"): M,
    ("air.rule.brick_kiln.firing_nox", "示例砖厂A隧道窑"): M,
    ("air.rule.brick_kiln.firing_nox", "示例砖厂B轮窑"): M,
    ("air.rule.brick_kiln.firing_nox", "示例砖厂C隧道窑"): M,
    ("air.rule.brick_kiln.forming_pm", "示例砖厂A隧道窑"): M,
    ("air.rule.brick_kiln.forming_pm", "示例砖厂B轮窑"): M,
    ("air.rule.brick_kiln.forming_pm", "示例砖厂C隧道窑"): M,
    ("air.rule.brick_kiln.no_coal_zone_season", "示例砖厂B轮窑"): N,
    ("air.rule.brick_kiln.no_coal_zone_exit", "示例砖厂B轮窑"): NA,
    ("air.rule.voc_staggered", "示例包装印刷厂印刷工序"): M,
    ("air.rule.voc_staggered", "示例家具厂喷涂线"): N,
    ("air.rule.voc_staggered", "示例化工公司投料工序"): M,
    ("air.rule.voc_staggered", "示例油库装车作业"): M,
    ("air.rule.non_road_machinery", "装载机 示例-02"): N,
    ("air.rule.non_road_machinery", "叉车 示例-03"): N,
    ("air.rule.non_road_machinery", "压路机 示例-04"): N,
    ("air.rule.diesel_truck_china4", "晋M·示例01（重型柴油货车）"): NA,
    ("air.rule.gas_truck_lean_burn", "晋M·示例05（燃气货车）"): NA,
    ("air.rule.coke_oven_tongrui_4_3m", "新绛县同瑞煤化有限公司4.3m焦炉"): N,
    ("air.rule.ule.xinyiyuan_steel", "新绛信义源钢铁"): M,
    ("air.rule.ule.weidun_cement", "新绛县威顿水泥集团有限责任公司"): NA,
    ("air.rule.ule.coking", "新绛县同瑞煤化有限公司"): M,
}

TASKS = {
    "overdue": {6, 7, 14, 23},
    "done_late": {2, 11},
    "done": {1, 9, 13, 20, 21, 25, 27},
    "ongoing": {4, 18, 19, 26},
}


def test_every_target_and_rule_has_its_expected_status(example_report: Report) -> None:
    got = {(f.id, f.subject): f.status for f in example_report.findings if f.kind != "task"}
    assert got == EXPECTED


def test_task_statuses(example_report: Report) -> None:
    tasks = {int(f.id.rsplit(".", 1)[1]): f.status.value for f in example_report.findings if f.kind == "task"}
    assert len(tasks) == 29
    for status, numbers in TASKS.items():
        assert {n for n, s in tasks.items() if s == status} == numbers, status
    assert {n for n, s in tasks.items() if s == "open"} == set(range(1, 30)) - set().union(*TASKS.values())


def test_example_figures(example_report: Report) -> None:
    by_id = {f.id: f for f in example_report.findings if f.subject == "新绛县"}
    pm = by_id["air.pm25.annual_mean"]
    assert (pm.value, pm.limit) == (45.0, 43.0)
    assert pm.details["source"] == "stations"
    assert pm.details["valid_days"] >= 324
    so2 = by_id["air.so2.yoy_change"]
    assert so2.value == -36.0
    assert so2.details["previous"]["valid_days"] >= 324  # the 2022 baseline, daily values
    rank = by_id["air.composite_index.rank"]
    assert (rank.details["from_worst"], rank.details["count"]) == (15, 119)
    assert rank.details["index"] == rank.details["computed_index"]  # the table carries the computed index
    heavy = by_id["air.heavy_pollution_days"]
    assert heavy.value == 6.0
    assert not example_report.unused  # every row belongs to a plan site or the county


def test_examples_are_labelled_synthetic() -> None:
    assert "SYNTHETIC" in (EXAMPLES / "observations.csv").read_text(encoding="utf-8").splitlines()[1]
    assert "SYNTHETIC" in (EXAMPLES / "inventory.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert "synthetic" in (EXAMPLES / "progress.csv").read_text(encoding="utf-8").splitlines()[1]
    assert "SYNTHETIC" in (EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert (EXAMPLES / "observations.csv").stat().st_size < 8_000_000


def test_make_examples_regenerates_the_committed_files(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_air_examples", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for name in ("observations.csv", "inventory.yaml", "progress.csv"):
        assert (tmp_path / name).read_bytes() == (EXAMPLES / name).read_bytes(), name


def test_demo_runs_the_air_examples(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert main(["--plugins", "envplan_air", "demo", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["synthetic"] is True
    assert data["as_of"] == "2023-12-31"
    counts = Counter(f["status"] for f in data["findings"])
    assert counts["not_met"] == 13
    assert counts["overdue"] == 4

"""The kit's helpers for a plan plugin's own tests: what its cases cover (``case_statuses``,
``missing_case_statuses``), a report's statuses (``finding_statuses``, ``task_statuses``), the CLI run
in-process (``run_cli``) and the plan-text checks (``envplan_core.testing.plan_text``)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import attrs
import pytest

from envplan_core.findings import Status
from envplan_core.plugin import load_plan_text, package_path
from envplan_core.testing import (
    CASE_STATUSES,
    CliResult,
    case_statuses,
    finding_statuses,
    load_engine,
    missing_case_statuses,
    run_cli,
    task_statuses,
)
from envplan_core.testing.plan_text import (
    Bracket,
    Clause,
    bracket_units,
    citation_problems,
    parse_clauses,
    resolve_units,
    section,
    squash,
    text_lines,
)

WATER = load_engine("envplan_water")
WATER_CASES = package_path("envplan_water", "cases")

CASE_FILE = """\
plugins: [envplan_water]
defaults: {as_of: 2023-12-31}
cases:
  - name: a section sampled once
    observations:
      - {site: 杨赵桥, parameter: 氨氮, time: 2023-05-10, value: 1.2, unit: mg/L}
    expect:
      water.yangzhaoqiao.class: {status: not_met}
      water.xiqucun.class: insufficient_data
  - name: nothing at all
    progress: []
    expect:
      water.yangzhaoqiao.class: insufficient_data
"""

NOTICE = """\
一、水计划
主要目标
全县水质稳定。
重点任务
（一）强化 管控
1.保障生态流量。全面落实。（市生态环境局新绛分局、县水利局牵头，
县财政局配合）
- 3 -
2.推进再生水利用。2023年完成。（县住建局等按职责分工负责）
（二）深化治理
3.强化治理。（县水利局负责）
保障措施
二、土壤计划
主要目标
另一个计划。
重点任务
保障措施
"""

PLAN = """\
id: mytown-2024
title_zh: 示例计划
title_en: Example plan
year: 2024
document: 示例
issued: 2024-01-01
citation_name: 示例计划
targets:
  - id: mytown.straw
    title_zh: 秸秆综合利用率达到92%以上
    title_en: Straw utilisation at least 92 %
    kind: goal
    evaluator: supplied_value
    params: {key: mytown.straw_rate}
    thresholds: [{comparator: ">=", value: 92 %}]
    responsibilities: [{lead: [县农业农村局]}]
    citation: {part: 重点任务, clause: "1", text: 秸秆综合利用率达到92%以上。}
"""


# -- what the cases cover ----------------------------------------------------------------------------------


def test_case_statuses_of_a_file_and_of_a_folder(tmp_path: Path) -> None:
    file = tmp_path / "water.envplan.yaml"
    file.write_text(CASE_FILE, encoding="utf-8")
    assert case_statuses(file) == {
        "water.yangzhaoqiao.class": {Status.NOT_MET, Status.INSUFFICIENT_DATA},
        "water.xiqucun.class": {Status.INSUFFICIENT_DATA},
    }
    assert case_statuses(tmp_path) == case_statuses(file)
    shipped = case_statuses(WATER_CASES)
    assert shipped["water.yangzhaoqiao.class"] >= CASE_STATUSES


def test_missing_case_statuses_names_each_item_and_status(tmp_path: Path) -> None:
    plan = WATER.catalog.plan("water-2023")
    assert missing_case_statuses(plan, WATER_CASES) == {}
    (tmp_path / "water.envplan.yaml").write_text(CASE_FILE, encoding="utf-8")
    missing = missing_case_statuses(plan, tmp_path)
    assert missing["water.yangzhaoqiao.class"] == ["met"]
    assert missing["water.xiqucun.class"] == ["met", "not_met"]
    assert set(missing) == {i.id for i in (*plan.targets, *plan.rules)}
    assert "water.yangzhaoqiao.class" not in missing_case_statuses(
        plan, tmp_path, exceptions={"water.yangzhaoqiao.class": {Status.NOT_MET}}
    )
    only_thin_data = missing_case_statuses(plan, tmp_path, statuses={Status.INSUFFICIENT_DATA})
    assert "water.xiqucun.class" not in only_thin_data and only_thin_data["water.drinking_sources.share"] == ["insufficient_data"]


# -- a report's statuses -----------------------------------------------------------------------------------


def test_finding_and_task_statuses() -> None:
    report = WATER.evaluate(as_of="2023-12-31")
    statuses = finding_statuses(report)
    assert statuses["water.yangzhaoqiao.class", "杨赵桥"] == "insufficient_data"
    assert not any(fid.startswith("water.task.") for fid, _ in statuses)
    tasks = task_statuses(report)
    assert sorted(tasks) == list(range(1, 15))
    assert set(tasks.values()) <= {"open", "ongoing", "overdue", "done", "done_late"}


# -- the CLI in-process ------------------------------------------------------------------------------------


def test_run_cli_with_the_named_plugins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    result = run_cli("plans", "--format", "json", plugins=["envplan_water"])
    assert isinstance(result, CliResult) and result.code == 0 and result.err == ""
    assert [p["id"] for p in result.json()] == ["water-2023"]
    code, out, _ = run_cli("plans", "--format", "json", plugins="envplan_water,envplan_air")
    assert code == 0 and {p["id"] for p in CliResult(code, out, "").json()} == {"water-2023", "air-2023"}
    assert run_cli("plans", "--format", "json").json() == []  # no plugin: the core alone
    assert "ENVPLAN_DISABLE_PLUGIN_AUTOLOAD" not in os.environ and os.environ["COLUMNS"] == "80"  # restored


def test_run_cli_captures_a_usage_error() -> None:
    code, out, err = run_cli("classify", "mars-dust", "x.csv", plugins=("envplan_water",))
    assert code == 2 and out == "" and "mars-dust" in err


# -- the plan text -----------------------------------------------------------------------------------------


def test_lines_and_sections_of_a_notice() -> None:
    assert squash("2023 年\n6 月") == "2023年6月"
    lines = text_lines(NOTICE)
    assert "- 3 -" not in lines and "" not in lines
    water = section(NOTICE, "主要目标", "保障措施")
    assert water[0] == "主要目标" and water[-1] == "3.强化治理。（县水利局负责）"
    assert section(lines, "主要目标", "保障措施", after="二、土壤计划") == ["主要目标", "另一个计划。", "重点任务"]
    with pytest.raises(ValueError, match="大气"):
        section(NOTICE, "主要目标", "保障措施", after="大气")


def test_clauses_with_their_parts() -> None:
    clauses = parse_clauses(section(NOTICE, "主要目标", "保障措施"))
    assert list(clauses) == [1, 2, 3]
    assert clauses[1] == Clause(
        1, "（一）强化 管控", "保障生态流量。全面落实。（市生态环境局新绛分局、县水利局牵头，县财政局配合）"
    )
    assert (clauses[2].part, clauses[3].part) == ("（一）强化 管控", "（二）深化治理")
    assert parse_clauses(["重点任务", "1.甲。", "2.乙。"])[2] == Clause(2, "", "乙。")
    with pytest.raises(ValueError, match="before the first clause"):
        parse_clauses(["重点任务", "前言。", "1.甲。"])


def test_the_bracket_of_a_clause() -> None:
    assert bracket_units("甲。（A、B牵头，C、D配合）") == Bracket(("A", "B"), ("C", "D"), False)
    assert bracket_units("甲。（A、B负责）") == Bracket(("A", "B"), (), False)
    assert bracket_units("甲。（A、B等按职责分工负责）") == Bracket(("A", "B"), (), True)
    assert bracket_units("甲。（A等、B按职责分工落实）") == Bracket(("A", "B"), (), True)
    with pytest.raises(ValueError, match="unexpected"):
        bracket_units("甲。（A、B督办）")
    with pytest.raises(ValueError, match="no responsibility bracket"):
        bracket_units("甲。")


def test_units_resolve_through_the_registry() -> None:
    units = WATER.catalog.units
    assert resolve_units(units, ["县水利局", "市生态环境局新绛分局"]) == [
        units.resolve("县水利局").id,  # type: ignore[union-attr]
        units.resolve("市生态环境局新绛分局").id,  # type: ignore[union-attr]
    ]
    with pytest.raises(AssertionError, match="县不存在局"):
        resolve_units(units, ["县水利局", "县不存在局"])


def test_citation_problems() -> None:
    plan = load_plan_text(PLAN)
    text = textwrap.dedent("""\
        重点任务
        1.秸秆综合
        利用率达到92%以上。（县农业农村局负责）
        """)
    clauses = parse_clauses(text_lines(text))
    assert citation_problems(plan, text, clauses) == []
    assert citation_problems(plan, "重点任务") == ["mytown.straw: the cited text is not in the plan text: '秸秆综合利用率达到92%以上。'"]
    (problem,) = citation_problems(plan, text, {})
    assert "clause '1'" in problem
    target = plan.targets[0]
    other = attrs.evolve(plan, targets=(attrs.evolve(target, citation=attrs.evolve(target.citation, plan="别的计划")),))
    assert citation_problems(other, text) == ["mytown.straw: cites '别的计划', not '示例计划'"]
    water = WATER.catalog.plan("water-2023")
    assert any("cites no text" in p or "not in the plan text" in p for p in citation_problems(water, "主要目标"))

"""The ``envplan`` command, run in-process through ``main(argv)``.

Plugins are chosen explicitly (``--plugins``) and entry-point autoload is disabled, so installed plan
plugins do not change what these tests see. ``cli_test_plugin`` (beside this file) provides one plan;
broken plugins are written to ``tmp_path`` by the ``make_plugin`` fixture.
"""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from envplan_core.cli import main

HERE = Path(__file__).resolve().parent
PLUGIN = "cli_test_plugin"
Run = Callable[..., tuple[int, str, str]]
#: A progress file with only its header: every task judged from its deadlines alone (evaluate refuses to
#: run with no input file at all).
NO_PROGRESS = ("--progress", str(HERE / "progress_header_only.csv"))


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("ENVPLAN_CLI_TEST_EXAMPLES", raising=False)
    monkeypatch.syspath_prepend(str(HERE))


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """``run("tasks", "--unit", "县住建局")`` → (exit code, stdout, stderr), with the test plugin loaded."""

    def _run(*argv: str, plugins: str | None = PLUGIN) -> tuple[int, str, str]:
        capsys.readouterr()
        full = (["--plugins", plugins] if plugins is not None else []) + list(argv)
        code = main(full)
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.fixture
def make_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], str]:
    """Write a plugin module to tmp_path and return its (importable) name."""
    monkeypatch.syspath_prepend(str(tmp_path))

    def _make(name: str, source: str) -> str:
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        monkeypatch.delitem(sys.modules, name, raising=False)
        return name

    return _make


def _one_line_error(code: int, out: str, err: str) -> str:
    assert code == 2, (out, err)
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("envplan: error: ")
    return lines[0]


def _json(out: str) -> Any:
    return json.loads(out)


# -- help, version, arguments --------------------------------------------------------------------------


def test_help_lists_every_contract_command(run: Run) -> None:
    code, out, _ = run("--help", plugins=None)
    assert code == 0
    for name in ("plans", "targets", "rules", "tasks", "units", "evaluate", "classify", "aqi", "air-stats",
                 "demo"):
        assert name in out


@pytest.mark.parametrize("command", ["plans", "targets", "rules", "tasks", "units", "evaluate", "demo",
                                     "classify", "aqi", "air-stats"])
def test_every_subcommand_has_help(run: Run, command: str) -> None:
    code, out, _ = run(command, "--help", plugins=None)
    assert code == 0
    assert f"envplan {command}" in out


def test_version(run: Run) -> None:
    from envplan_core import __version__

    code, out, _ = run("--version", plugins=None)
    assert code == 0
    assert __version__ in out


def test_no_command_is_a_usage_error(run: Run) -> None:
    line = _one_line_error(*run())
    assert "choose a command" in line


def test_bad_arguments_exit_2_with_one_line(run: Run) -> None:
    line = _one_line_error(*run("evaluate", "--as-of", "2023-13-01"))
    assert "--as-of" in line
    line = _one_line_error(*run("evaluate"))
    assert "--as-of" in line
    line = _one_line_error(*run("tasks", "--format", "pdf"))
    assert "--format" in line
    _one_line_error(*run("evaluate", "--as-of", "2023-12-31", "--fail-on", "bogus"))


def test_global_options_are_accepted_after_the_command(run: Run) -> None:
    code, out, _ = run("plans", "--plugins", PLUGIN, "--format", "json", plugins=None)
    assert code == 0
    assert [p["id"] for p in _json(out)] == ["clitest-2023"]


# -- plans, targets, rules, tasks, units ---------------------------------------------------------------


def test_plans_table_and_json(run: Run) -> None:
    code, out, _ = run("plans")
    assert code == 0
    assert "clitest-2023" in out
    assert "新绛县测试行动计划" in out
    code, out, _ = run("plans", "--format", "json")
    (plan,) = _json(out)
    assert plan["id"] == "clitest-2023"
    assert plan["plugin"] == PLUGIN
    assert (plan["targets"], plan["rules"], plan["tasks"]) == (1, 0, 2)


def test_plans_without_plugins_says_so(run: Run) -> None:
    code, out, _ = run("plans", plugins="")
    assert code == 0
    assert "no plans loaded" in out


def test_targets_table_shows_threshold_and_citation(run: Run) -> None:
    code, out, _ = run("targets")
    assert code == 0
    assert "clitest.sewage_rate" in out
    assert "约束性 binding" in out
    assert "≥ 80 %" in out
    assert "测试行动计划 · 主要目标" in out
    assert "规则 Rules" in out  # rules are listed under their own heading


def test_targets_json_shape(run: Run) -> None:
    code, out, _ = run("targets", "--format", "json", "--plan", "clitest")
    assert code == 0
    (target,) = _json(out)
    assert {"id", "plan", "title_zh", "title_en", "lead", "support", "citation", "kind", "threshold",
            "evaluator", "subject", "parameter"} <= set(target)
    assert target["plan"] == "clitest-2023"
    assert target["kind"] == "binding"
    assert target["evaluator"] == "supplied_value"
    assert target["lead"] == ["县住建局"]
    assert {"plan", "part", "clause", "text"} <= set(target["citation"])
    (threshold,) = target["threshold"]
    assert threshold == {"comparator": ">=", "value": "80 %", "effective_from": "2023-01-01",
                         "effective_until": None, "basis": "", "source": ""}


def test_plan_selection_by_plugin_short_name_and_unknown_plan(run: Run) -> None:
    code, out, _ = run("targets", "--format", "json", "--plan", PLUGIN)
    assert code == 0
    assert len(_json(out)) == 1
    line = _one_line_error(*run("targets", "--plan", "nosuchplan"))
    assert "nosuchplan" in line


def test_rules_command(run: Run) -> None:
    code, out, _ = run("rules", "--format", "json")
    assert code == 0
    assert _json(out) == []


def test_tasks_table(run: Run) -> None:
    code, out, _ = run("tasks")
    assert code == 0
    assert "clitest.task.1" in out
    assert "clitest.task.2" in out
    assert "2023-10-31" in out
    assert "长期坚持 ongoing" in out


def test_tasks_json_shape(run: Run) -> None:
    code, out, _ = run("tasks", "--format", "json")
    assert code == 0
    tasks = {t["id"]: t for t in _json(out)}
    first, second = tasks["clitest.task.1"], tasks["clitest.task.2"]
    for task in (first, second):
        assert {"id", "plan", "title_zh", "title_en", "lead", "support", "citation", "number", "deadlines",
                "deadline_details", "attachments", "criteria"} <= set(task)
    assert first["number"] == "1"
    assert first["lead"] == ["县住建局"]
    assert first["support"] == ["各镇"]
    assert first["deadlines"] == ["2023-10-31"]
    assert first["deadline_details"][0]["kind"] == "date"
    assert first["deadline_details"][0]["text"] == "10月底前"
    assert first["criteria"] == ["clitest.sewage_rate"]
    assert first["attachments"] == []
    assert second["deadlines"] == [None]
    # the plan writes the alias 市生态环境局新绛分局; output uses the canonical Chinese name
    assert second["lead"] == ["运城市生态环境局新绛分局"]


def _task_ids(out: str) -> list[str]:
    return [t["id"] for t in _json(out)]


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("县住建局", ["clitest.task.1"]),  # lead
        ("新绛县住房和城乡建设局", ["clitest.task.1"]),  # an alias of the same unit
        ("龙兴镇", ["clitest.task.1"]),  # a town matches tasks of 各镇 (support)
        ("各镇", ["clitest.task.1"]),
        ("新绛分局", ["clitest.task.2"]),
        ("县财政局", []),
    ],
)
def test_tasks_unit_filter(run: Run, unit: str, expected: list[str]) -> None:
    code, out, _ = run("tasks", "--unit", unit, "--format", "json")
    assert code == 0
    assert _task_ids(out) == expected


def test_units_file_overrides_group_membership(run: Run, tmp_path: Path) -> None:
    units_file = tmp_path / "county.yaml"
    units_file.write_text(textwrap.dedent("""
        units:
          - {id: all_towns, name_zh: 各镇, name_en: all towns, kind: group, members: [sanquan_town]}
    """), encoding="utf-8")
    code, out, _ = run("tasks", "--unit", "龙兴镇", "--units-file", str(units_file), "--format", "json")
    assert code == 0
    assert _task_ids(out) == []
    code, out, _ = run("tasks", "--unit", "三泉镇", "--units-file", str(units_file), "--format", "json")
    assert _task_ids(out) == ["clitest.task.1"]


def test_tasks_unknown_unit_is_an_error(run: Run) -> None:
    line = _one_line_error(*run("tasks", "--unit", "县宇宙局"))
    assert "县宇宙局" in line


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2023-10-31", ["clitest.task.1"]), ("2023-10-30", []), ("2099-01-01", ["clitest.task.1"])],
)
def test_tasks_due_before(run: Run, day: str, expected: list[str]) -> None:
    code, out, _ = run("tasks", "--due-before", day, "--format", "json")
    assert code == 0
    assert _task_ids(out) == expected  # the ongoing task never appears


def test_units_table_and_json(run: Run) -> None:
    code, out, _ = run("units")
    assert code == 0
    assert "县住建局" in out
    assert "各镇" in out
    code, out, _ = run("units", "--format", "json")
    units = {u["id"]: u for u in _json(out)}
    for unit in units.values():
        assert {"id", "name_zh", "name_en", "aliases", "kind", "members"} <= set(unit)
    housing = units["housing_construction_bureau"]
    assert housing["name_zh"] == "县住建局"
    assert housing["kind"] == "unit"
    assert "新绛县住建局" in housing["aliases"]
    towns = next(u for u in units.values() if u["name_zh"] == "各镇")
    assert towns["kind"] == "group"
    assert "龙兴镇" in towns["members_zh"]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_listing_text_formats(run: Run, fmt: str) -> None:
    code, out, _ = run("tasks", "--format", fmt)
    assert code == 0
    assert "clitest.task.1" in out
    assert ("| 编号/条 ID / No. |" in out) if fmt == "markdown" else ("<table>" in out)


# -- evaluate ---------------------------------------------------------------------------------------------


def test_evaluate_json_shape_and_overdue_without_inputs(run: Run) -> None:
    code, out, _ = run("evaluate", *NO_PROGRESS, "--as-of", "2023-12-31", "--format", "json")
    assert code == 0
    report = _json(out)
    assert report["as_of"] == "2023-12-31"
    assert [p["id"] for p in report["plans"]] == ["clitest-2023"]
    assert {"id", "title_zh", "title_en", "plugin", "version"} <= set(report["plans"][0])
    for f in report["findings"]:
        assert {"id", "plan", "kind", "subject", "status", "value", "limit", "unit", "lead", "support",
                "citation", "message_zh", "message_en"} <= set(f)
    status = {f["id"]: f["status"] for f in report["findings"]}
    assert status == {"clitest.task.1": "overdue", "clitest.task.2": "ongoing",
                      "clitest.sewage_rate": "insufficient_data"}
    assert report["findings"][0]["id"] == "clitest.task.1"  # worst first


def test_evaluate_table_sections(run: Run) -> None:
    code, out, _ = run("evaluate", *NO_PROGRESS, "--as-of", "2023-12-31")
    assert code == 0
    assert "概要 Summary per plan" in out
    assert "已逾期" in out
    assert "overdue" in out
    assert "逾期任务（按牵头单位） Overdue tasks per lead unit" in out
    overdue_part = out.split("Overdue tasks per lead unit", 1)[1]
    assert "县住建局" in overdue_part
    assert "Unused input rows: 0" in out


def test_evaluate_table_fits_80_columns(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from envplan_core.render import display_width

    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run("evaluate", *NO_PROGRESS, "--as-of", "2023-12-31")
    assert code == 0
    assert max(display_width(line.rstrip()) for line in out.splitlines()) <= 80


@pytest.mark.parametrize(
    ("as_of", "fail_on", "expected"),
    [
        ("2023-12-31", ["overdue"], 1),
        ("2023-12-31", ["not_met"], 0),
        ("2023-12-31", ["not_met", "overdue"], 1),
        ("2023-12-31", ["not_met,insufficient_data"], 1),
        ("2023-10-01", ["overdue"], 0),  # before the deadline the task is open
    ],
)
def test_fail_on(run: Run, as_of: str, fail_on: list[str], expected: int) -> None:
    args = ["evaluate", *NO_PROGRESS, "--as-of", as_of, "--format", "json"]
    for status in fail_on:
        args += ["--fail-on", status]
    code, out, _ = run(*args)
    assert code == expected
    assert _json(out)["as_of"] == as_of


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_evaluate_text_formats(run: Run, fmt: str) -> None:
    code, out, _ = run("evaluate", *NO_PROGRESS, "--as-of", "2023-12-31", "--format", fmt)
    assert code == 0
    if fmt == "markdown":
        assert out.startswith("# ")
        assert "## 发现 Findings (worst first)" in out
        assert "| 状态 Status |" in out
    else:
        assert out.startswith("<!DOCTYPE html>")
        assert '<tr class="overdue">' in out


def test_evaluate_output_file(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, err = run("evaluate", *NO_PROGRESS, "--as-of", "2023-12-31", "--format", "json", "--output", str(target))
    assert code == 0
    assert out == ""
    assert str(target) in err
    assert _json(target.read_text(encoding="utf-8"))["as_of"] == "2023-12-31"


def test_output_into_a_missing_folder_is_exit_2(run: Run, tmp_path: Path) -> None:
    target = str(tmp_path / "missing" / "report.json")
    line = _one_line_error(*run("evaluate", *NO_PROGRESS, "--as-of", "2023-12-31", "--format", "json", "--output", target))
    assert "missing" in line


def test_evaluate_xlsx(run: Run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    line = _one_line_error(*run("evaluate", *NO_PROGRESS, "--as-of", "2023-12-31", "--format", "xlsx"))
    assert "--output" in line
    target = tmp_path / "report.xlsx"
    code, _, _ = run("evaluate", *NO_PROGRESS, "--as-of", "2023-12-31", "--format", "xlsx", "--output", str(target))
    assert code == 0
    wb = load_workbook(target)
    # The ledger: summary, findings as data, the task ledger, unused rows, then a sheet per unit.
    assert wb.sheetnames[:4] == ["概要 Summary", "发现 Findings", "措施任务表 Task ledger", "未使用 Unused rows"]
    findings = wb["发现 Findings"]
    assert findings["F1"].value == "状态代码 status"
    assert any(c.value == "overdue" for c in findings["F"])


def test_missing_input_file_is_exit_2(run: Run, tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.csv")
    line = _one_line_error(*run("evaluate", "--as-of", "2023-12-31", "--progress", missing))
    assert "nope.csv" in line


def _progress(tmp_path: Path, rows: str) -> str:
    path = tmp_path / "progress.csv"
    path.write_text("task,status,date,note\n" + textwrap.dedent(rows), encoding="utf-8")
    return str(path)


def test_evaluate_with_progress_csv(run: Run, tmp_path: Path) -> None:
    pytest.importorskip("envplan_core.data.progress")
    progress = _progress(tmp_path, "clitest.task.1,in_progress,2023-09-30,管网改造过半\n")
    code, out, _ = run("evaluate", "--as-of", "2023-12-31", "--progress", progress, "--format", "json",
                       "--fail-on", "overdue")
    assert code == 1
    finding = next(f for f in _json(out)["findings"] if f["id"] == "clitest.task.1")
    assert finding["status"] == "overdue"
    assert "管网改造过半" in finding["message_zh"]
    assert finding["evidence"]

    progress = _progress(tmp_path, "clitest.task.1,done,2023-11-15,完成\n")
    code, out, _ = run("evaluate", "--as-of", "2023-12-31", "--progress", progress, "--format", "json")
    assert code == 0
    finding = next(f for f in _json(out)["findings"] if f["id"] == "clitest.task.1")
    assert finding["status"] == "done_late"


def test_progress_rows_for_unknown_tasks_are_an_error(run: Run, tmp_path: Path) -> None:
    # Issue 10: not an "unused" row, so --fail-on never exits 0 over a mistyped task id.
    pytest.importorskip("envplan_core.data.progress")
    progress = _progress(tmp_path, "clitest.task.11,done,2023-09-30,\n")
    line = _one_line_error(
        *run("evaluate", "--as-of", "2023-12-31", "--progress", progress, "--fail-on", "overdue")
    )
    assert "progress.csv" in line and "row 2" in line
    assert "clitest.task.11" in line and "nearest: clitest.task.1" in line


def test_progress_row_by_number_with_one_plan(run: Run, tmp_path: Path) -> None:
    pytest.importorskip("envplan_core.data.progress")
    progress = _progress(tmp_path, "第1条,done,2023-09-30,完成\n")
    code, out, _ = run("evaluate", "--as-of", "2023-12-31", "--progress", progress, "--format", "json")
    assert code == 0
    finding = next(f for f in _json(out)["findings"] if f["id"] == "clitest.task.1")
    assert finding["status"] == "done"


def test_progress_with_a_bad_date_is_exit_2(run: Run, tmp_path: Path) -> None:
    pytest.importorskip("envplan_core.data.progress")
    progress = _progress(tmp_path, "clitest.task.1,done,2023-02-30,\n")
    line = _one_line_error(*run("evaluate", "--as-of", "2023-12-31", "--progress", progress))
    assert "progress.csv" in line


# -- broken plans and plugins -----------------------------------------------------------------------------

BAD_YAML_PLUGIN = '''
from envplan_core import hookimpl
from envplan_core.converters import load_plan_text

YAML = """
id: bad-2023
title_zh: 坏计划
title_en: Bad plan
year: 2023
document: 测试〔2023〕9号
issued: 2023-08-18
bogus_key: 1
"""


@hookimpl
def envplan_plans():
    return [load_plan_text(YAML, source="bad-plan.yaml")]
'''

BOOM_EVALUATOR_PLUGIN = '''
import datetime as dt

from envplan_core import Citation, Plan, Target, TargetKind, hookimpl


def _boom(item, ctx):
    raise RuntimeError("kaboom")


@hookimpl
def envplan_evaluators():
    return {"boom": _boom}


@hookimpl
def envplan_plans():
    target = Target(id="boom.t", title_zh="炸", title_en="Boom", kind=TargetKind.GOAL, evaluator="boom",
                    citation=Citation(plan="炸计划"))
    return [Plan(id="boom-2023", title_zh="炸计划", title_en="Boom plan", year=2023, document="x",
                 issued=dt.date(2023, 8, 18), targets=(target,))]
'''


def test_malformed_plan_yaml_is_exit_2(run: Run, make_plugin: Callable[[str, str], str]) -> None:
    name = make_plugin("cli_bad_yaml_plugin", BAD_YAML_PLUGIN)
    line = _one_line_error(*run("plans", plugins=name))
    assert name in line
    assert "bogus_key" in line


def test_plugin_that_fails_to_import_is_exit_2(run: Run, make_plugin: Callable[[str, str], str]) -> None:
    name = make_plugin("cli_broken_import_plugin", "raise ImportError('missing dependency frob')\n")
    line = _one_line_error(*run("plans", plugins=name))
    assert name in line
    assert "frob" in line


def test_evaluator_that_raises_is_exit_2(run: Run, make_plugin: Callable[[str, str], str]) -> None:
    name = make_plugin("cli_boom_plugin", BOOM_EVALUATOR_PLUGIN)
    code, out, _ = run("targets", "--format", "json", plugins=name)
    assert code == 0
    assert _json(out)[0]["evaluator"] == "boom"
    line = _one_line_error(*run("evaluate", *NO_PROGRESS, "--as-of", "2023-12-31", plugins=name))
    assert "boom" in line
    assert "kaboom" in line


def test_debug_shows_the_traceback(run: Run, make_plugin: Callable[[str, str], str]) -> None:
    name = make_plugin("cli_boom_plugin2", BOOM_EVALUATOR_PLUGIN.replace('"boom', '"boom2'))
    code, _, err = run("--debug", "evaluate", *NO_PROGRESS, "--as-of", "2023-12-31", plugins=name)
    assert code == 2
    assert "Traceback" in err
    assert "kaboom" in err
    assert err.rstrip().splitlines()[-1].startswith("envplan: error: ")


# -- demo -------------------------------------------------------------------------------------------------


def test_demo_without_examples_says_so(run: Run) -> None:
    code, out, _ = run("demo")
    assert code == 0
    assert "no loaded plugin provides example data" in out


def test_demo_evaluates_example_folders(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("envplan_core.data.progress")
    folder = tmp_path / "examples"
    folder.mkdir()
    (folder / "progress.csv").write_text("task,status,date,note\nclitest.task.1,done,2023-10-20,示例\n",
                                         encoding="utf-8")
    monkeypatch.setenv("ENVPLAN_CLI_TEST_EXAMPLES", str(folder))
    code, out, _ = run("demo")
    assert code == 0
    assert "SYNTHETIC" in out
    assert "progress.csv" in out
    code, out, _ = run("demo", "--format", "json", "--as-of", "2023-11-30")
    report = _json(out)
    assert report["synthetic"] is True
    assert report["as_of"] == "2023-11-30"
    assert {f["id"]: f["status"] for f in report["findings"]}["clitest.task.1"] == "done"


# -- the command registry and renderers -------------------------------------------------------------------


HELLO_PLUGIN = """
from envplan_core.plugin import Command, Document, Section, add_format_option, hookimpl


def setup(parser):
    \"\"\"say hello in every format\"\"\"
    parser.add_argument("name")
    add_format_option(parser)

    def handler(args, ctx):
        rows = [{"name": args.name}]
        ctx.emit(Document(title="hello", sections=[Section(title="s", columns=("name",), rows=[(args.name,)])]),
                 rows)
        return 0

    return handler


@hookimpl
def envplan_commands():
    return [Command("hello", setup)]
"""


def test_a_plugin_adds_a_subcommand(run: Run, make_plugin: Callable[[str, str], str]) -> None:
    name = make_plugin("hello_plugin", HELLO_PLUGIN)
    code, out, _ = run("hello", "世界", "--format", "json", plugins=name)
    assert code == 0
    assert _json(out) == [{"schema_version": "1.1", "name": "世界"}]
    code, out, _ = run("--help", plugins=name)
    assert "say hello in every format" in out
    code, out, _ = run("--help", plugins=PLUGIN)
    assert "hello" not in out  # a command exists only while its plugin is loaded


def test_a_command_registered_twice_names_both_plugins(run: Run, make_plugin: Callable[[str, str], str]) -> None:
    one = make_plugin("hello_one", HELLO_PLUGIN)
    two = make_plugin("hello_two", HELLO_PLUGIN)
    line = _one_line_error(*run("hello", "x", plugins=f"{one},{two}"))
    assert "'hello'" in line and "hello_one" in line and "hello_two" in line


def test_an_unknown_command_is_a_usage_error(run: Run) -> None:
    line = _one_line_error(*run("frobnicate", "x", plugins=None))
    assert "frobnicate" in line


def test_html_escapes_text() -> None:
    from envplan_core.render import Document, Section
    from envplan_core.render.html import to_html

    page = to_html(Document(title="<b>", preface=["a & b"],
                            sections=[Section(title="t", columns=("<i>",), rows=[("<script>x</script>",)])]))
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "&lt;b&gt;" in page
    assert "a &amp; b" in page


def test_evaluate_without_any_input_lists_what_each_plan_reads_and_exits_2(run: Run) -> None:
    code, out, err = run("evaluate", "--as-of", "2023-12-31", "--format", "json", "--fail-on", "overdue")
    assert code == 2 and out == "" and "Traceback" not in err
    assert "nothing to evaluate" in err and "clitest-2023: " in err and "a progress file for its 2 tasks" in err
    assert err.rstrip().splitlines()[-1].startswith("envplan: error: evaluate: no input file")
    code, _, err = run("evaluate", "--as-of", "2023-12-31", "--progress", str(HERE / "no-such.csv"))
    assert "nothing to evaluate" not in err
    code, out, err = run("evaluate", *NO_PROGRESS, "--as-of", "2023-12-31", "--format", "json")
    assert code == 0 and "nothing to evaluate" not in err
    assert {f["id"]: f["status"] for f in _json(out)["findings"]}["clitest.task.1"] == "overdue"

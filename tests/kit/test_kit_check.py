"""``envplan check`` and ``envplan_core.testing.check_plugin``: conformance of one or several plugins."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

from envplan_core.cli import main
from envplan_core.testing import ConformanceError, check_plugin, check_plugins, validate_json

ROOT = Path(__file__).resolve().parents[2]
DIST_2024 = ROOT / "examples" / "plugins" / "xinjiang2024"

GOOD_PLAN = """\
id: kit-2024
title_zh: 测试计划
title_en: Test plan
year: 2024
document: 测试
issued: 2024-01-01
citation_name: 测试计划
targets:
  - id: kit.rate
    title_zh: 比例达到90%
    title_en: Rate at least 90 %
    kind: goal
    evaluator: supplied_value
    params: {key: kit.rate}
    thresholds: [{comparator: ">=", value: 90 %}]
    responsibilities: [{lead: [县水利局]}]
    citation: {part: 主要目标, clause: "1", text: 比例达到90%。}
tasks:
  - id: kit.task.1
    number: "1"
    title_zh: 任务一
    title_en: Task one
    responsibilities: [{lead: [县水利局]}]
    deadlines: [{kind: date, date: 2024-06-30, text: 2024年6月底前}]
    citation: {part: 重点任务, clause: "1", text: 任务一。}
"""

BROKEN_PLAN = """\
id: broken-2024
title_zh: 坏计划
title_en: Broken plan
year: 2024
document: 测试
issued: 2024-01-01
citation_name: 坏计划
targets:
  - id: broken.rate
    title_zh: 比例
    title_en: Rate
    kind: goal
    evaluator: supplied_value
    params: {key: broken.rate}
    thresholds: [{comparator: ">=", value: 90 %}]
    responsibilities: [{lead: [县水利局]}]
    citation: {part: 主要目标, clause: "", text: ""}
tasks:
  - id: broken.task.1
    number: "1"
    title_zh: 没有牵头单位
    title_en: No lead unit
    deadlines: [{kind: date, date: 2024-06-30}]
    citation: {part: 重点任务, clause: "1", text: 任务。}
  - id: broken.task.2
    number: "1"
    title_zh: 没有期限
    title_en: No deadline
    responsibilities: [{lead: [县水利局]}]
    citation: {part: 重点任务, clause: "2", text: 任务。}
"""

PLUGIN = '''\
from envplan_core.plugin import hookimpl, load_plan, package_path


@hookimpl
def envplan_plans():
    return [load_plan(package_path(__name__, "plan.yaml"))]


@hookimpl
def envplan_example_data():
    return [str(package_path(__name__, "EXAMPLES"))]
'''


def make_plugin(root: Path, name: str, plan: str, *, examples: str = "examples", cases: str | None = None,
                requires: list[str] | None = None) -> str:
    package = root / name
    package.mkdir(parents=True)
    code = PLUGIN.replace("EXAMPLES", examples)
    if requires is not None:
        code += f"\n\n@hookimpl\ndef envplan_requires():\n    return {requires!r}\n"
    (package / "__init__.py").write_text(code, encoding="utf-8")
    (package / "plan.yaml").write_text(plan, encoding="utf-8")
    (package / "examples").mkdir()
    (package / "examples" / "inventory.yaml").write_text(
        "values:\n  kit.rate: 95 %\n  broken.rate: 80 %\n", encoding="utf-8"
    )
    if cases is not None:
        (package / "cases").mkdir()
        (package / "cases" / "plan.envplan.yaml").write_text(textwrap.dedent(cases), encoding="utf-8")
    return name


@pytest.fixture
def plugins_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith("kit_")]:
        del sys.modules[name]


def results(report_json: dict[str, object]) -> dict[tuple[str, str], str]:
    return {(r["plugin"], r["check"]): r["status"] for r in report_json["results"]}  # type: ignore[index, union-attr]


def test_the_shipped_plugins_pass_together_and_alone(tmp_path: Path) -> None:
    out = tmp_path / "check.json"
    assert main(["check", "water", "air", "--format", "json", "--output", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    validate_json(document, "check")
    assert document["ok"] is True and document["plugins"] == ["water", "air"]
    statuses = results(document)
    for plugin in ("water", "air"):
        for check in ("load", "requirements", "ids", "citations", "tasks", "empty_input", "example_data", "cases"):
            assert statuses[(plugin, check)] == "pass", (plugin, check)
    cases = [r for r in document["results"] if r["check"] == "cases"]
    assert sum(r["plugin"] == "water" for r in cases) >= 10 and sum(r["plugin"] == "air" for r in cases) >= 10


def test_check_plugin_returns_the_catalog_of_the_plugin_and_its_requirements(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = check_plugin("envplan_water")
    assert [p.id for p in catalog.plans] == ["water-2023"]
    monkeypatch.syspath_prepend(str(DIST_2024))
    catalog = check_plugin("envplan_xinjiang2024")  # its cases, examples (as of 2024-12-31) and requirements
    assert {p.id for p in catalog.plans} == {"xinjiang2024-example", "air-2023", "water-2023"}


def test_a_good_plugin_of_ones_own_passes(plugins_dir: Path) -> None:
    name = make_plugin(
        plugins_dir,
        "kit_good",
        GOOD_PLAN,
        cases="""\
        plugins: [kit_good]
        cases:
          - name: the example value
            as_of: 2024-12-31
            inventory: ../examples/inventory.yaml
            expect:
              kit.rate: {status: met, value: 95, limit: 90}
              kit.task.1: overdue
        """,
    )
    report = check_plugins(name)
    assert report.ok, report.render()
    assert {r.check for r in report.results if r.status == "pass"} >= {"cases", "example_data", "tasks"}


def test_a_broken_plugin_fails_every_check_it_breaks(plugins_dir: Path, tmp_path: Path) -> None:
    name = make_plugin(
        plugins_dir,
        "kit_broken",
        BROKEN_PLAN,
        examples="no_such_folder",
        cases="""\
        cases:
          - name: a wrong expectation
            as_of: 2024-12-31
            expect:
              broken.rate: met
        """,
    )
    out = tmp_path / "check.json"
    code = main(["--plugins", name, "check", name, "--format", "json", "--output", str(out)])
    assert code == 1
    document = json.loads(out.read_text(encoding="utf-8"))
    validate_json(document, "check")
    statuses = results(document)
    assert document["ok"] is False
    assert statuses[(name, "load")] == "pass"
    for check in ("citations", "tasks", "ids", "example_data", "cases"):
        assert statuses[(name, check)] == "fail", check
    details = {r["check"]: "\n".join([r["message"], *r["details"]]) for r in document["results"]}
    assert "broken.rate: the citation lacks the text" in details["citations"]
    assert "broken.task.1: no lead unit" in details["tasks"]
    assert "broken.task.2: no deadline" in details["tasks"]
    assert "broken.task.1 deadline 1: no text" in details["tasks"]
    assert "task number '1' used 2 times" in details["ids"]
    assert "does not exist" in details["example_data"]
    assert "case 'a wrong expectation'" in details["cases"] and "insufficient_data" in details["cases"]
    with pytest.raises(ConformanceError, match="FAILED") as error:
        check_plugin(name)
    assert "broken.task.1: no lead unit" in str(error.value)


def test_an_undeclared_requirement_fails(plugins_dir: Path, tmp_path: Path) -> None:
    plan = GOOD_PLAN.replace("id: kit-2024", "id: kitreq-2024").replace("kit.", "kitreq.").replace(
        "evaluator: supplied_value\n    params: {key: kitreq.rate}",
        "evaluator: section_class\n    subject: county",
    ).replace('thresholds: [{comparator: ">=", value: 90 %}]', "thresholds: [{comparator: class<=, value: III}]")
    name = make_plugin(plugins_dir, "kit_needs_water", plan)
    # On its own (the check's default) the plugin lacks the evaluator it never declared: it does not load.
    out = tmp_path / "check.json"
    assert main(["--plugins", f"{name},envplan_water", "check", name, "--format", "json", "--output", str(out)]) == 1
    (result,) = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert (result["check"], result["status"]) == ("load", "fail")
    assert any("declare it in kit_needs_water's envplan_requires" in d for d in result["details"])
    # Checked together with water it loads, and the requirements check names what to declare.
    report = check_plugins(name, "envplan_water")
    failed = [r for r in report.failures if r.plugin == name]
    assert [r.check for r in failed] == ["requirements"]
    assert "add 'water' to its envplan_requires" in failed[0].details[0]
    assert main(["--plugins", f"{name},envplan_water", "check", name, "--not-isolated"]) == 1


def test_a_requirement_declared_is_loaded_with_it(plugins_dir: Path) -> None:
    plan = GOOD_PLAN.replace("id: kit-2024", "id: kitok-2024").replace("kit.", "kitok.")
    name = make_plugin(plugins_dir, "kit_with_water", plan, requires=["water"])
    report = check_plugins(name)
    assert report.ok, report.render()
    assert report.catalog is not None and {p.id for p in report.catalog.plans} == {"kitok-2024", "water-2023"}


def test_unknown_plugins_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "no_such_plugin"]) == 2
    assert "no loaded plugin 'no_such_plugin'" in capsys.readouterr().err


def test_the_table_view_names_every_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "water", "--no-cases", "--no-examples"]) == 0
    out = capsys.readouterr().out
    for word in ("load", "requirements", "citations", "empty_input", "跳过 skip", "通过 pass"):
        assert word in out

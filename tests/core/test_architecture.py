"""The plugin architecture: requirements, supersession by date, diff, disabling, listing, python -m.

Plugins are written to ``tmp_path`` as modules, as a plan author writes them; entry-point autoload is
off, so only what a test names is loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import envplan_core as ep
from envplan_core.cli import main, split_globals
from envplan_core.commands.diff import diff_plans
from envplan_core.findings import Status

BASE = """
id: base-2023
title_zh: 基础计划
title_en: Base plan
year: 2023
document: 测试〔2023〕1号
issued: 2023-08-18
targets:
  - id: base.value
    title_zh: 指标
    title_en: Indicator
    kind: goal
    evaluator: base_eval
    thresholds: [{comparator: "<=", value: 10}]
    responsibilities: [{lead: [县住建局]}]
    citation: {part: 主要目标, text: 指标}
  - id: base.other
    title_zh: 其他指标
    title_en: Other indicator
    kind: goal
    evaluator: base_eval
    thresholds: [{comparator: "<=", value: 5}]
    citation: {part: 主要目标, text: 其他}
tasks:
  - id: base.task.1
    number: "1"
    title_zh: 任务一
    title_en: Task one
    responsibilities: [{lead: [县住建局], support: [各镇]}]
    deadlines: [{kind: date, date: 2023-12-31}]
    citation: {part: 重点任务, clause: "1", text: 任务一}
"""

NEXT = """
id: next-2024
title_zh: 下年计划（示例）
title_en: Next plan (example)
year: 2024
document: 示例
issued: 2024-01-01
effective_from: 2024-01-01
supersedes:
  - plan: base-2023
    effective_from: 2024-01-01
    items: {base.value: next.value}
targets:
  - id: next.value
    title_zh: 指标（更严）
    title_en: Indicator (stricter)
    kind: binding
    evaluator: base_eval
    thresholds: [{comparator: "<=", value: 8}]
    responsibilities: [{lead: [县住建局]}]
    citation: {part: 主要目标, text: 指标更严}
tasks:
  - id: next.task.1
    number: "1"
    title_zh: 任务一
    title_en: Task one
    responsibilities: [{lead: [县水利局], support: [各镇]}]
    deadlines: [{kind: date, date: 2024-06-30}]
    citation: {part: 重点任务, clause: "1", text: 任务一}
"""

BASE_PLUGIN = '''
import attrs
from envplan_core.plugin import Status, evaluator, hookimpl, limit_in, load_plan_text

PLAN = {plan!r}


@attrs.frozen
class Params:
    value: float = 7.0


@evaluator(Params)
def base_eval(item, ctx):
    """a constant value against the threshold"""
    p = ctx.params_of(item, Params)
    limit = limit_in(item.thresholds[0], "")
    status = Status.MET if p.value <= limit else Status.NOT_MET
    return [ctx.finding(item, status=status, value=p.value, limit=limit, message_zh="值", message_en="value")]


@hookimpl
def envplan_plans():
    return [load_plan_text(PLAN, source="base")]


@hookimpl
def envplan_evaluators():
    return {{"base_eval": base_eval}}
'''

NEXT_PLUGIN = '''
from envplan_core.plugin import hookimpl, load_plan_text

PLAN = {plan!r}


@hookimpl
def envplan_plans():
    return [load_plan_text(PLAN, source="next")]


@hookimpl
def envplan_requires():
    return [{requires!r}]
'''


@pytest.fixture
def make_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], str]:
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("ENVPLAN_DISABLE_PLUGINS", raising=False)

    def _make(name: str, source: str) -> str:
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        monkeypatch.delitem(sys.modules, name, raising=False)
        return name

    return _make


@pytest.fixture
def pair(make_plugin: Callable[[str, str], str]) -> tuple[str, str]:
    base = make_plugin("arch_base", BASE_PLUGIN.format(plan=BASE))
    nxt = make_plugin("arch_next", NEXT_PLUGIN.format(plan=NEXT, requires="arch_base"))
    return base, nxt


def _status(report: ep.Report) -> dict[str, Status]:
    return {f.id: f.status for f in report.findings}


# -- requirements ------------------------------------------------------------------------------------


def test_a_required_plugin_is_loaded_with_the_one_asked_for(pair: tuple[str, str]) -> None:
    _, nxt = pair
    engine = ep.load(plugins=[nxt], autoload=False)
    assert {p.id for p in engine.plans} == {"base-2023", "next-2024"}


def test_a_missing_requirement_names_both_plugins(make_plugin: Callable[[str, str], str]) -> None:
    nxt = make_plugin("arch_orphan", NEXT_PLUGIN.format(plan=NEXT, requires="arch_not_installed"))
    with pytest.raises(ep.PluginError, match=r"arch_orphan.*requires plugin 'arch_not_installed'"):
        ep.load(plugins=[nxt], autoload=False)


def test_a_disabled_requirement_is_an_error_saying_so(pair: tuple[str, str]) -> None:
    _, nxt = pair
    with pytest.raises(ep.PluginError, match="disabled"):
        ep.load(plugins=[nxt], autoload=False, disabled=["arch_base"])


def test_an_evaluator_of_an_undeclared_plugin_is_a_load_error_with_a_hint(
    make_plugin: Callable[[str, str], str],
) -> None:
    nxt = make_plugin("arch_lonely", NEXT_PLUGIN.format(plan=NEXT, requires="arch_lonely").replace(
        "@hookimpl\ndef envplan_requires():\n    return ['arch_lonely']\n", ""))
    with pytest.raises(ep.PluginError, match=r"no evaluator named 'base_eval'.*envplan_requires"):
        ep.load(plugins=[nxt], autoload=False)


# -- supersession by date ----------------------------------------------------------------------------


def test_from_its_date_the_later_plan_judges_and_the_earlier_item_is_superseded(pair: tuple[str, str]) -> None:
    base, nxt = pair
    engine = ep.load(plugins=[base, nxt], autoload=False)
    status = _status(engine.evaluate(as_of="2024-06-30"))
    assert status["base.value"] is Status.SUPERSEDED
    assert status["next.value"] is Status.MET  # 7 <= 8
    assert status["base.other"] is Status.NOT_MET  # not superseded: still judged by 2023 (7 > 5)
    finding = next(f for f in engine.evaluate(as_of="2024-06-30").findings if f.id == "base.value")
    assert finding.details["superseded_by"] == {"plan": "next-2024", "item": "next.value", "from": "2024-01-01"}
    assert "next.value" in finding.message_en


def test_before_its_date_the_earlier_items_apply(pair: tuple[str, str]) -> None:
    base, nxt = pair
    engine = ep.load(plugins=[base, nxt], autoload=False)
    status = _status(engine.evaluate(as_of="2023-12-31"))
    assert status["base.value"] is Status.MET
    assert status["next.value"] is Status.NOT_APPLICABLE


def test_superseding_an_item_that_does_not_exist_is_a_load_error(make_plugin: Callable[[str, str], str]) -> None:
    base = make_plugin("arch_base2", BASE_PLUGIN.format(plan=BASE))
    bad = NEXT.replace("{base.value: next.value}", "{base.nothing: next.value}")
    nxt = make_plugin("arch_next2", NEXT_PLUGIN.format(plan=bad, requires="arch_base2"))
    with pytest.raises(ep.PluginError, match=r"base\.nothing"):
        ep.load(plugins=[base, nxt], autoload=False)


# -- typed parameters ---------------------------------------------------------------------------------


def test_a_misspelt_parameter_names_plan_item_and_key(make_plugin: Callable[[str, str], str]) -> None:
    plan = BASE.replace("    evaluator: base_eval\n    thresholds: [{comparator: \"<=\", value: 10}]",
                        "    evaluator: base_eval\n    params: {valeu: 3}\n    thresholds: [{comparator: \"<=\", value: 10}]")
    name = make_plugin("arch_typo", BASE_PLUGIN.format(plan=plan))
    with pytest.raises(ep.PluginError) as info:
        ep.load(plugins=[name], autoload=False)
    assert "base-2023" in str(info.value) and "base.value" in str(info.value) and "valeu" in str(info.value)


def test_a_mistyped_parameter_is_a_load_error(make_plugin: Callable[[str, str], str]) -> None:
    plan = BASE.replace("    evaluator: base_eval\n    thresholds: [{comparator: \"<=\", value: 10}]",
                        "    evaluator: base_eval\n    params: {value: many}\n    thresholds: [{comparator: \"<=\", value: 10}]")
    name = make_plugin("arch_type", BASE_PLUGIN.format(plan=plan))
    with pytest.raises(ep.PluginError, match=r"base.value.*value"):
        ep.load(plugins=[name], autoload=False)


# -- diff ---------------------------------------------------------------------------------------------


def test_diff_lists_added_removed_and_changed_items() -> None:
    # One line of plans (base-2023 → base-2024): items also pair by id suffix and task number.
    a, b = ep.load_plan_text(BASE), ep.load_plan_text(NEXT.replace("id: next-2024", "id: base-2024"))
    rows = diff_plans(a, b)
    changed = {(r["id_a"], r["field"]): (r["a"], r["b"]) for r in rows if r["change"] == "changed"}
    assert changed[("base.value", "thresholds")] == ("<= 10", "<= 8 (from None)") or changed[
        ("base.value", "thresholds")
    ][1].startswith("<= 8")
    assert ("base.task.1", "deadlines") in changed  # paired by number: 2023-12-31 → 2024-06-30
    assert changed[("base.task.1", "deadlines")] == ("2023-12-31", "2024-06-30")
    assert changed[("base.task.1", "lead/support")] == ("牵头 县住建局；配合 各镇", "牵头 县水利局；配合 各镇")
    removed = {r["id_a"] for r in rows if r["change"] == "removed"}
    assert removed == {"base.other"}
    assert not [r for r in rows if r["change"] == "added"]


def test_plans_of_different_lines_pair_only_through_supersedes() -> None:
    a, b = ep.load_plan_text(BASE), ep.load_plan_text(NEXT)
    rows = diff_plans(a, b)
    changed = {r["id_a"] for r in rows if r["change"] == "changed"}
    assert changed == {"base.value"}  # through supersedes; base.task.1 and next.task.1 stay unpaired
    assert {r["id_a"] for r in rows if r["change"] == "removed"} == {"base.other", "base.task.1"}
    assert {r["id_b"] for r in rows if r["change"] == "added"} == {"next.task.1"}


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_diff_command_json_and_table(pair: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    base, nxt = pair
    code, out, _ = _run(["--plugins", f"{base},{nxt}", "diff", "base-2023", "next-2024", "-f", "json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["schema_version"] == "1.1"
    assert doc["counts"] == {"added": 1, "removed": 2, "changed": 2}
    code, out, _ = _run(["--plugins", f"{base},{nxt}", "diff", "base", "next"], capsys)
    assert code == 0 and "base.task.1" in out


# -- disabling, listing, python -m -----------------------------------------------------------------


def test_split_globals_takes_plugin_switches_from_anywhere() -> None:
    opts, rest = split_globals(["tasks", "-p", "water", "-p", "no:air", "--plugins", "a,b", "--debug", "-pno:x"])
    assert rest == ["tasks", "-p", "water"]
    assert opts.disabled == ("air", "x") and opts.plugins == ("a", "b") and opts.debug


def test_a_broken_plugin_stops_every_command_and_disabling_it_mends_them(
    pair: tuple[str, str], make_plugin: Callable[[str, str], str], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base, _ = pair
    broken = make_plugin("arch_broken", "import envplan_core.no_such_module\n")
    code, out, err = _run(["--plugins", f"{base},{broken}", "plans"], capsys)
    assert code == 2 and "Traceback" not in err
    assert "arch_broken" in err and "-p no:arch_broken" in err
    code, out, _ = _run(["--plugins", f"{base},{broken}", "-p", "no:arch_broken", "plans"], capsys)
    assert code == 0 and "base-2023" in out
    monkeypatch.setenv("ENVPLAN_DISABLE_PLUGINS", "arch_broken")
    code, out, _ = _run(["--plugins", f"{base},{broken}", "plans"], capsys)
    assert code == 0 and "base-2023" in out


def test_plugins_command_lists_hooks_plans_and_requirements(
    pair: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, nxt = pair
    code, out, _ = _run(["--plugins", nxt, "plugins", "-f", "json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["schema_version"] == "1.1"
    by_name: dict[str, Any] = {p["name"]: p for p in doc["plugins"]}
    assert by_name["arch_next"]["requires"] == ["arch_base"]
    assert by_name["arch_next"]["plans"] == ["next-2024"]
    assert "envplan_plans" in by_name["arch_base"]["hooks"]
    assert by_name["envplan_core.builtin"]["distribution"] == "envplan"
    assert "envplan_commands" in by_name["envplan_core.builtin"]["hooks"]


def test_classify_lists_the_registered_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["--plugins", "", "classify", "--list", "-f", "json"], capsys)
    assert code == 0
    kinds = [r["kind"] for r in json.loads(out)]
    assert "surface-water" in kinds
    code, _, err = _run(["--plugins", "", "classify", "no-such-kind", "x.csv"], capsys)
    assert code == 2 and "no-such-kind" in err


def test_python_dash_m_runs_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "envplan_core", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert done.stdout.startswith("envplan ")


def test_json_documents_carry_the_schema_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["--plugins", "", "units", "-f", "json"], capsys)
    assert code == 0
    records = json.loads(out)
    assert records and all(r["schema_version"] == "1.1" for r in records)

"""The engine and plugin manager, proved with a test plugin that implements every hook."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
import types
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import envplan_core as ep
from envplan_core.engine import EvalContext, task_status
from envplan_core.findings import Finding, Report, Status
from envplan_core.model import Deadline, DeadlineKind, Rule, Target, Task
from envplan_core.testing import assert_same_findings, check_plugin, finding_key

PLAN_YAML = textwrap.dedent(
    """
    id: demo-2023
    title_zh: 测试计划
    title_en: Test plan
    year: 2023
    document: 测试〔2023〕1号
    issued: 2023-08-18
    citation_name: 测试计划
    sites:
      - {id: s1, name_zh: 一号断面, name_en: Section 1, kind: section, water_body_type: river, aliases: [S-1]}
    targets:
      - id: demo.pm25
        title_zh: PM2.5年均浓度
        title_en: PM2.5 annual mean
        kind: aspirational
        evaluator: statistic
        parameter: PM2.5
        period: "2023"
        thresholds: [{comparator: "<=", value: "43 µg/m³", source: test}]
        responsibilities: [{lead: [市生态环境局新绛分局], support: [县住建局]}]
        citation: {part: 主要目标, clause: "", text: PM2.5平均浓度力争降到43微克/立方米}
      - id: demo.custom
        title_zh: 自定义指标
        title_en: Custom indicator
        kind: goal
        evaluator: demo_custom
        subject: s1
        parameter: demo_param
        thresholds: [{comparator: "<", value: "5 widget/L"}]
        responsibilities: [{lead: [测试办公室]}]
        citation: {part: 主要目标, text: 自定义}
    rules:
      - id: demo.rule.boiler
        title_zh: 35蒸吨以下燃煤锅炉动态清零
        title_en: No coal boiler below 35 t/h
        evaluator: inventory_forbidden
        applies_to: boiler
        thresholds: [{comparator: ">=", value: "35 t/h"}]
        params: {kind: boiler, field: capacity, where: {fuel: coal}, context: boiler}
        task: demo.task.1
        citation: {part: 重点任务, clause: "1", text: 对35蒸吨以下的燃煤锅炉，发现一处，取缔一处}
    tasks:
      - id: demo.task.1
        number: "1"
        title_zh: 淘汰燃煤锅炉
        title_en: Retire coal boilers
        responsibilities: [{lead: [市生态环境局新绛分局], support: [各镇]}]
        deadlines: [{kind: date, date: 2023-10-31, text: 2023年10月底前}]
        criteria: [demo.rule.boiler]
        citation: {part: 重点任务, clause: "1", text: 淘汰燃煤锅炉}
      - id: demo.task.2
        number: "2"
        title_zh: 长期任务
        title_en: Standing duty
        responsibilities: [{lead: [县水利局]}]
        deadlines: [{kind: ongoing, text: 长期坚持}]
        citation: {part: 重点任务, clause: "2", text: 长期坚持}
    """
)


def _custom(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    assert isinstance(item, Target)
    series = ctx.series(item.subject, "demo_param")
    if series is None or len(series) == 0:
        return [ctx.finding(item, status=Status.INSUFFICIENT_DATA, message_zh="无数据", message_en="no data")]
    value = float(series.stat_values().max())
    ok = value < 5.0
    return [
        ctx.finding(
            item,
            status=Status.MET if ok else Status.NOT_MET,
            value=value,
            limit=5.0,
            unit="widget/L",
            message_zh="自定义",
            message_en="custom",
        )
    ]


def make_plugin(name: str = "demo_plugin", plan_yaml: str = PLAN_YAML, **overrides: Any) -> types.ModuleType:
    """A plugin module implementing every hook."""
    mod = types.ModuleType(name)

    @ep.hookimpl
    def envplan_add_units(registry: Any) -> None:
        if "widget" not in registry:
            registry.define("widget = [widget_count]")

    @ep.hookimpl
    def envplan_parameters() -> list[ep.Parameter]:
        return [
            ep.Parameter(
                id="demo_param", name_zh="测试参数", name_en="demo parameter", unit="widget/L", medium="other"
            )
        ]

    @ep.hookimpl
    def envplan_responsible_units() -> list[ep.ResponsibleUnit]:
        return [ep.ResponsibleUnit(id="demo_office", name_zh="测试办公室", name_en="Test office")]

    @ep.hookimpl
    def envplan_plans() -> list[ep.Plan]:
        return [ep.load_plan_text(plan_yaml, source=f"{name}/plan.yaml")]

    @ep.hookimpl
    def envplan_evaluators() -> dict[str, Any]:
        return {"demo_custom": overrides.get("custom", _custom)}

    @ep.hookimpl
    def envplan_example_data() -> list[str]:
        return []

    for fn in (
        envplan_add_units,
        envplan_parameters,
        envplan_responsible_units,
        envplan_plans,
        envplan_evaluators,
        envplan_example_data,
    ):
        setattr(mod, fn.__name__, fn)
    return mod


@pytest.fixture
def engine() -> ep.Engine:
    return ep.load(plugins=[make_plugin()])


def _obs(unit_scale: float = 1.0, unit: str = "µg/m³") -> pd.DataFrame:
    rows = []
    for day in range(1, 29):
        rows.append(
            ("新绛县", "PM2.5", f"2023-02-{day:02d}", 40.0 * unit_scale + day * 0.1 * unit_scale, unit)
        )
    rows.append(("S-1", "demo_param", "2023-05-01", 3.0, "widget/L"))
    rows.append(("S-1", "demo_param", "2023-06-01", 6.0, "widget/L"))
    return pd.DataFrame(rows, columns=["site", "parameter", "time", "value", "unit"])


INVENTORY = {
    "records": [
        {"id": "b1", "kind": "boiler", "name": "一号锅炉", "fuel": "coal", "capacity": "20 t/h"},
        {"id": "b2", "kind": "boiler", "name": "二号锅炉", "fuel": "coal", "capacity": "35 蒸吨"},
        {"id": "b3", "kind": "boiler", "name": "三号锅炉", "fuel": "coal", "capacity": "14 MW"},
        {"id": "b4", "kind": "boiler", "name": "燃气锅炉", "fuel": "gas", "capacity": "2 t/h"},
    ]
}


def test_every_hook_contributes(engine: ep.Engine) -> None:
    cat = engine.catalog
    assert "demo_param" in cat.parameters
    assert cat.units.resolve("测试办公室") is not None
    assert "demo_custom" in cat.evaluators
    assert [p.id for p in cat.plans] == ["demo-2023"]
    assert cat.plans[0].plugin == "demo_plugin"
    assert ep.parse_unit("widget/L").dimensionality


def test_evaluate_end_to_end(engine: ep.Engine) -> None:
    progress = pd.DataFrame(
        [("demo.task.2", "in_progress", "2023-06-01", "持续推进")], columns=["task", "status", "date", "note"]
    )
    report = engine.evaluate(observations=_obs(), inventory=INVENTORY, progress=progress, as_of="2023-12-31")
    by = {(f.id, f.subject): f for f in report.findings}
    pm = by[("demo.pm25", "新绛县")]
    assert pm.status is Status.MET and pm.unit == "µg/m³" and pm.limit == 43.0
    assert pm.lead == ("运城市生态环境局新绛分局",) and pm.support == ("县住建局",)
    assert pm.citation.plan == "测试计划"
    custom = by[("demo.custom", "一号断面")]
    assert custom.status is Status.NOT_MET and custom.value == 6.0
    violations = sorted(f.subject for f in report.findings if f.id == "demo.rule.boiler")
    # 20 t/h and 14 MW (= 20 t/h at 0.7 MW per t/h) are below 35 t/h; 35 蒸吨 is exactly the bound.
    assert violations == ["一号锅炉", "三号锅炉"]
    rule = next(f for f in report.findings if f.id == "demo.rule.boiler")
    assert rule.lead == ("运城市生态环境局新绛分局",), "a rule inherits its task's units"
    task1 = by[("demo.task.1", "第1条 淘汰燃煤锅炉")]
    assert task1.status is Status.OVERDUE and task1.limit == "2023-10-31"
    assert report.sorted()[0].status is Status.NOT_MET
    assert "县水利局" in report.by_unit()


def test_report_json_round_trip(engine: ep.Engine) -> None:
    report = engine.evaluate(observations=_obs(), inventory=INVENTORY, as_of="2023-12-31")
    again = Report.from_dict(__import__("json").loads(report.to_json()))
    assert_same_findings(report, again)
    assert again.to_dict() == report.to_dict()


def test_json_contract_keys(engine: ep.Engine) -> None:
    data = engine.evaluate(inventory=INVENTORY, as_of="2023-12-31").to_dict()
    assert {"as_of", "plans", "findings"} <= set(data)
    assert {"id", "title_zh", "title_en", "plugin", "version"} <= set(data["plans"][0])
    needed = {
        "id",
        "plan",
        "kind",
        "subject",
        "status",
        "value",
        "limit",
        "unit",
        "lead",
        "support",
        "citation",
        "message_zh",
        "message_en",
    }
    for f in data["findings"]:
        assert needed <= set(f)
        assert f["kind"] in ("target", "task", "rule")


def test_unused_rows_are_reported_not_dropped(engine: ep.Engine) -> None:
    obs = pd.concat(
        [
            _obs(),
            pd.DataFrame(
                [("别处", "PM2.5", "2023-03-01", 10, "ug/m3")],
                columns=["site", "parameter", "time", "value", "unit"],
            ),
        ]
    )
    report = engine.evaluate(observations=obs, as_of="2023-12-31")
    assert [i.reason for i in report.unused if "别处" in i.reason]
    with pytest.raises(ep.DataError, match="别处"):
        engine.evaluate(observations=obs, as_of="2023-12-31", strict=True)


@given(scale=st.sampled_from([("µg/m³", 1.0), ("mg/m³", 0.001), ("ug/m3", 1.0), ("μg/m³", 1.0)]))
def test_unit_of_input_never_changes_findings(scale: tuple[str, float]) -> None:
    engine = ep.load(plugins=[make_plugin()])
    base = engine.evaluate(observations=_obs(), as_of="2023-12-31")
    unit, factor = scale
    other = engine.evaluate(observations=_obs(factor, unit), as_of="2023-12-31")
    assert finding_key(base) == finding_key(other)


@given(seed=st.randoms(use_true_random=False))
def test_row_order_never_matters(seed: Any) -> None:
    engine = ep.load(plugins=[make_plugin()])
    frame = _obs()
    shuffled = frame.sample(frac=1.0, random_state=seed.randint(0, 2**31)).reset_index(drop=True)
    assert finding_key(engine.evaluate(observations=frame, as_of="2023-12-31")) == finding_key(
        engine.evaluate(observations=shuffled, as_of="2023-12-31")
    )


# -- validation: a bad plugin is named and nothing is evaluated ----------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("lead: [县水利局]", "lead: [县水务局]", "unknown responsible unit '县水务局'"),
        ("evaluator: demo_custom", "evaluator: nope", "no evaluator named 'nope'"),
        ('value: "43 µg/m³"', 'value: "43 mg/L"', "'mg/L' is a liquid concentration"),
        ('value: "43 µg/m³"', 'value: "43 t/h"', "wrong dimension for PM2.5"),
        ("subject: s1", "subject: s9", "unknown subject site 's9'"),
        ("criteria: [demo.rule.boiler]", "criteria: [demo.rule.nothing]", "criterion 'demo.rule.nothing'"),
        ("date: 2023-10-31", "date: 2021-10-31", "before the plan year"),
    ],
)
def test_validation_names_plugin_and_problem(old: str, new: str, message: str) -> None:
    yaml_text = PLAN_YAML.replace(old, new)
    assert yaml_text != PLAN_YAML
    with pytest.raises(ep.PluginError) as info:
        ep.load(plugins=[make_plugin(plan_yaml=yaml_text)])
    assert info.value.plugin == "demo_plugin"
    assert message in str(info.value)


def test_threshold_wrong_dimension_is_caught_even_when_compatible_by_mass_per_volume() -> None:
    # mg/L and µg/m³ are both mass/volume; the volume basis check still rejects the mix-up for PM2.5.
    with pytest.raises(ep.UnitError, match="liquid"):
        ep.units.check_dimension("mg/L", "ug/m^3", parameter="PM2.5")


def test_malformed_plan_file_is_a_plan_error_with_path() -> None:
    with pytest.raises(ep.PluginError) as info:
        ep.load(plugins=[make_plugin(plan_yaml=PLAN_YAML.replace('number: "2"', 'numbr: "2"'))])
    assert "$.tasks[1]" in str(info.value)
    assert info.value.plugin == "demo_plugin"


def test_duplicate_ids_across_plugins() -> None:
    second = make_plugin("p2")
    for hook in ("envplan_responsible_units", "envplan_evaluators"):
        delattr(second, hook)
    with pytest.raises(ep.PluginError, match="also provided by 'p1'"):
        ep.load(plugins=[make_plugin("p1"), second])


def test_duplicate_evaluator_names_name_both_plugins() -> None:
    second = make_plugin("p2")
    delattr(second, "envplan_responsible_units")
    with pytest.raises(ep.PluginError, match="'demo_custom' registered by both 'p1' and 'p2'"):
        ep.load(plugins=[make_plugin("p1"), second])


def test_plugin_that_fails_to_import_is_named() -> None:
    with pytest.raises(ep.PluginError, match="'no_such_envplan_plugin' failed to import"):
        ep.load(plugins=["no_such_envplan_plugin"])


def test_broken_evaluator_is_named_and_nothing_is_returned() -> None:
    def boom(item: Any, ctx: Any) -> Iterable[Finding]:
        raise ZeroDivisionError("bug")

    engine = ep.load(plugins=[make_plugin(custom=boom)])
    with pytest.raises(ep.PluginError, match=r"demo_custom.*demo_plugin.*ZeroDivisionError"):
        engine.evaluate(observations=_obs(), as_of="2023-12-31")


def test_unknown_hook_fails_loudly() -> None:
    mod = make_plugin()

    @ep.hookimpl
    def envplan_misspelt() -> None:
        return None

    mod.envplan_misspelt = envplan_misspelt  # type: ignore[attr-defined]
    with pytest.raises(ep.PluginError, match="unknown hook"):
        ep.load(plugins=[mod])


def test_conformance_kit_accepts_the_test_plugin() -> None:
    catalog = check_plugin(make_plugin())
    assert catalog.plans[0].id == "demo-2023"


def test_autoload_env_var_turns_entry_points_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", "1")
    engine = ep.load()
    assert engine.plans == ()


def test_separately_installed_distribution_adds_a_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A distribution on sys.path with an ``envplan`` entry point is discovered, like a pip install."""
    pkg = tmp_path / "envplan_demo2024"
    pkg.mkdir()
    (pkg / "plan.yaml").write_text(
        PLAN_YAML.replace("demo-2023", "demo-2024").replace("demo.", "demo24."), encoding="utf-8"
    )
    (pkg / "__init__.py").write_text(
        textwrap.dedent(
            """
            from pathlib import Path
            import envplan_core as ep
            from envplan_core.evaluators import GENERIC_EVALUATORS

            @ep.hookimpl
            def envplan_parameters():
                return [ep.Parameter(id="demo_param", name_zh="测试参数", name_en="demo", unit="ug/L", medium="other")]

            @ep.hookimpl
            def envplan_responsible_units():
                return [ep.ResponsibleUnit(id="demo_office", name_zh="测试办公室", name_en="Test office")]

            @ep.hookimpl
            def envplan_evaluators():
                return {"demo_custom": GENERIC_EVALUATORS["statistic"]}

            @ep.hookimpl
            def envplan_plans():
                text = (Path(__file__).parent / "plan.yaml").read_text(encoding="utf-8")
                return [ep.load_plan_text(text.replace("widget/L", "ug/L"))]
            """
        ),
        encoding="utf-8",
    )
    dist = tmp_path / "envplan_demo2024-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: envplan-demo2024\nVersion: 1.0\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text("[envplan]\ndemo2024 = envplan_demo2024\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    engine = ep.load(autoload=True)
    plan = engine.catalog.plan("demo2024")
    assert plan.id == "demo-2024" and plan.plugin == "demo2024"
    sys.modules.pop("envplan_demo2024", None)


# -- task status ------------------------------------------------------------------------------------


def _task(*deadlines: Deadline) -> Task:
    return Task(
        id="t.1",
        number="1",
        title_zh="任务",
        title_en="task",
        citation=ep.Citation(plan="p"),
        deadlines=deadlines,
    )


class _Entry:
    def __init__(self, task: str, status: str, date: dt.date) -> None:
        self.task, self.status, self.date, self.note, self.source = task, status, date, "", "x:2"


DUE = dt.date(2023, 10, 31)


@pytest.mark.parametrize(
    ("done_on", "as_of", "expected"),
    [
        (None, dt.date(2023, 10, 31), Status.OPEN),  # due day itself is still in time
        (None, dt.date(2023, 11, 1), Status.OVERDUE),
        (dt.date(2023, 10, 31), dt.date(2023, 12, 31), Status.DONE),
        (dt.date(2023, 11, 1), dt.date(2023, 12, 31), Status.DONE_LATE),
        (
            dt.date(2023, 11, 1),
            dt.date(2023, 10, 31),
            Status.OPEN,
        ),  # a report from the future is not known yet
    ],
)
def test_task_status_boundaries(done_on: dt.date | None, as_of: dt.date, expected: Status) -> None:
    entries = [_Entry("t.1", "done", done_on)] if done_on else []
    status, _ = task_status(_task(Deadline(kind=DeadlineKind.DATE, date=DUE)), entries, as_of)  # type: ignore[arg-type]
    assert status is expected


def test_milestones_take_the_worst_and_can_be_done_separately() -> None:
    task = _task(
        Deadline(kind=DeadlineKind.DATE, date=dt.date(2023, 12, 31), label="a"),
        Deadline(kind=DeadlineKind.DATE, date=dt.date(2025, 6, 30), label="b"),
    )
    status, rows = task_status(task, [], dt.date(2024, 1, 1))
    assert status is Status.OVERDUE and [r["status"] for r in rows] == ["overdue", "open"]
    status, rows = task_status(task, [_Entry("t.1#1", "done", dt.date(2023, 12, 1))], dt.date(2024, 1, 1))  # type: ignore[list-item]
    assert status is Status.OPEN and rows[0]["status"] == "done"


_RANK = {Status.DONE: 0, Status.ONGOING: 0, Status.DONE_LATE: 1, Status.OPEN: 1, Status.OVERDUE: 2}


@given(
    deadlines=st.lists(st.dates(dt.date(2023, 1, 1), dt.date(2025, 12, 31)), min_size=1, max_size=3),
    done=st.none() | st.dates(dt.date(2023, 1, 1), dt.date(2023, 6, 30)),
    a=st.dates(dt.date(2023, 7, 1), dt.date(2026, 12, 31)),
    b=st.dates(dt.date(2023, 7, 1), dt.date(2026, 12, 31)),
)
def test_status_only_moves_forward_as_as_of_advances(
    deadlines: list[dt.date], done: dt.date | None, a: dt.date, b: dt.date
) -> None:
    task = _task(*(Deadline(kind=DeadlineKind.DATE, date=d) for d in deadlines))
    entries = [_Entry("t.1", "done", done)] if done else []
    early, late = sorted((a, b))
    s1, _ = task_status(task, entries, early)  # type: ignore[arg-type]
    s2, _ = task_status(task, entries, late)  # type: ignore[arg-type]
    assert _RANK[s2] >= _RANK[s1]
    if s1 in (Status.DONE, Status.DONE_LATE, Status.OVERDUE):
        assert s2 is s1


def test_a_task_with_open_work_is_not_done_late() -> None:
    task = _task(
        Deadline(kind=DeadlineKind.DATE, date=dt.date(2023, 12, 31)),
        Deadline(kind=DeadlineKind.DATE, date=dt.date(2024, 12, 31)),
    )
    entries = [_Entry("t.1#1", "done", dt.date(2024, 2, 1))]
    status, rows = task_status(task, entries, dt.date(2024, 3, 31))  # type: ignore[arg-type]
    assert [r["status"] for r in rows] == ["done_late", "open"]
    assert status is Status.OPEN


def test_progress_for_a_missing_milestone_is_an_error(engine: ep.Engine) -> None:
    progress = pd.DataFrame(
        [("demo.task.1#3", "done", "2023-05-01", "")], columns=["task", "status", "date", "note"]
    )
    with pytest.raises(ep.DataError, match=r"milestone #3 does not exist; task demo\.task\.1 has 1 deadline"):
        engine.evaluate(progress=progress, as_of="2023-12-31")


def test_same_site_under_two_spellings_is_a_duplicate(engine: ep.Engine) -> None:
    frame = pd.DataFrame(
        [
            ("一号断面", "demo_param", "2023-05-01", 3.0, "widget/L"),
            ("S-1", "demo_param", "2023-05-01", 4.0, "widget/L"),
        ],
        columns=["site", "parameter", "time", "value", "unit"],
    )
    with pytest.raises(ep.DataError, match="same site"):
        engine.evaluate(observations=frame, as_of="2023-12-31")

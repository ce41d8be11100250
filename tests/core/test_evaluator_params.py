"""Typed evaluator parameters: a plan item's ``params:`` is checked against its evaluator's declared class
when the plugin loads, so a misspelt or mistyped key is a :class:`PluginError` naming plan, item and key.

Covers core (``statistic``, ``inventory_forbidden``), water (``facilities_completed``, ``effluent_class``)
and air (``composite_index_rank``, ``phase_out``, ``voc_staggered``) evaluators, through a tiny plugin that
brings its own plan and requires the water and air plugins for their evaluators.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

import attrs
import pytest

import envplan_core as ep
from envplan_core.evaluator_types import Evaluator, NoParams, structure_params
from envplan_core.evaluators import GENERIC_EVALUATORS
from envplan_core.model import Rule, Target

PLAN_ID = "params-2024"

HEAD = f"""
id: {PLAN_ID}
title_zh: 参数测试
title_en: parameter test
year: 2024
document: d
issued: 2024-01-01
sites:
  - {{id: plant1, name_zh: 一号厂, name_en: Plant 1, kind: plant, water_body_type: river}}
"""


def _target(evaluator: str, params: str, item_id: str = "t.item") -> str:
    """A ``targets:`` section with one target (:func:`_plan` joins sections of several items)."""
    return f"""
targets:
  - id: {item_id}
    title_zh: 测试目标
    title_en: test target
    kind: goal
    evaluator: {evaluator}
    parameter: PM2.5
    period: "2024"
    thresholds: [{{comparator: ">=", value: 1}}]
    params: {params}
    citation: {{text: x}}
"""


def _rule(evaluator: str, params: str, item_id: str = "r.item", applies_to: str = "boiler") -> str:
    """A ``rules:`` section with one rule."""
    return f"""
rules:
  - id: {item_id}
    title_zh: 测试规则
    title_en: test rule
    evaluator: {evaluator}
    applies_to: {applies_to}
    thresholds: [{{comparator: ">=", value: "35 t/h"}}]
    params: {params}
    citation: {{part: 重点任务, clause: "1", text: x}}
"""


def _plan(*sections: str) -> str:
    """One plan body from single-item sections: the items of each section kind under one heading."""
    items: dict[str, list[str]] = {"targets": [], "rules": []}
    for section in sections:
        head, _, body = section.strip("\n").partition("\n")
        items[head.rstrip(":")].append(body)
    return "".join(f"\n{kind}:\n" + "\n".join(bodies) + "\n" for kind, bodies in items.items() if bodies)


class _Plugin:
    """A plan plugin that reuses the water and air plugins' evaluators."""

    def __init__(self, body: str) -> None:
        self.plan = ep.load_plan_text(HEAD + textwrap.dedent(body))

    @ep.hookimpl
    def envplan_plans(self) -> list[ep.Plan]:
        return [self.plan]

    @ep.hookimpl
    def envplan_requires(self) -> list[str]:
        return ["water", "air"]


def _load(body: str) -> ep.Engine:
    return ep.load(plugins=[_Plugin(body)], autoload=False)


def _item(engine: ep.Engine, item_id: str) -> Target | Rule:
    plan = next(p for p in engine.plans if p.id == PLAN_ID)
    items: list[Target | Rule] = [*plan.targets, *plan.rules]
    return next(i for i in items if i.id == item_id)


def _typed(engine: ep.Engine, item_id: str) -> Any:
    item = _item(engine, item_id)
    return structure_params(item, engine.catalog.evaluators[item.evaluator].params, plan=PLAN_ID)


# (evaluator, YAML section builder, good params, misspelt params + key, mistyped params + key)
CASES = [
    pytest.param(
        "statistic",
        _target,
        "{statistic: percentile, p: 95, period: month}",
        ("{statistc: max}", "statistc"),
        ("{p: high}", "p"),
        id="core-statistic",
    ),
    pytest.param(
        "facilities_completed",
        _target,
        "{kind: station, date_field: completed, exclude: {project: rebuild}}",
        ("{kind: station, date_feild: completed}", "date_feild"),
        ("{kind: station, where: completed}", "where"),
        id="water-facilities_completed",
    ),
    pytest.param(
        "effluent_class",
        _target,
        "{sites: [plant1]}",
        ("{site_kinds: plant}", "site_kinds"),
        ("{sites: plant1}", "sites"),  # a bare string is not a list of one-letter site ids
        id="water-effluent_class",
    ),
    pytest.param(
        "composite_index_rank",
        _target,
        "{counties: 119, exit_bottom: 5}",
        ("{counties: 119, exit_botom: 5}", "exit_botom"),
        ("{counties: many}", "counties"),
        id="air-composite_index_rank",
    ),
    pytest.param(
        "phase_out",
        _rule,
        "{where: {fuel: coal}, field: capacity, context: boiler, immediate: true, due: 2024-12-31}",
        ("{feild: capacity}", "feild"),
        ('{field: capacity, immediate: "false"}', "immediate"),  # bool("false") would be True
        id="air-phase_out",
    ),
]


@pytest.mark.parametrize(("evaluator", "section", "good", "misspelt", "mistyped"), CASES)
def test_a_correct_params_block_loads(
    evaluator: str, section: Any, good: str, misspelt: tuple[str, str], mistyped: tuple[str, str]
) -> None:
    engine = _load(section(evaluator, good))
    item_id = "t.item" if section is _target else "r.item"
    params = _typed(engine, item_id)
    assert attrs.has(type(params))
    assert type(params) is engine.catalog.evaluators[evaluator].params


@pytest.mark.parametrize(("evaluator", "section", "good", "misspelt", "mistyped"), CASES)
def test_a_misspelt_key_is_an_error_naming_plan_item_and_key(
    evaluator: str, section: Any, good: str, misspelt: tuple[str, str], mistyped: tuple[str, str]
) -> None:
    params, key = misspelt
    item_id = "t.item" if section is _target else "r.item"
    with pytest.raises(ep.PluginError) as info:
        _load(section(evaluator, params))
    message = str(info.value)
    assert PLAN_ID in message
    assert repr(item_id) in message
    assert "extra fields found" in message
    assert key in message


@pytest.mark.parametrize(("evaluator", "section", "good", "misspelt", "mistyped"), CASES)
def test_a_mistyped_value_is_an_error_naming_plan_item_and_key(
    evaluator: str, section: Any, good: str, misspelt: tuple[str, str], mistyped: tuple[str, str]
) -> None:
    params, key = mistyped
    item_id = "t.item" if section is _target else "r.item"
    with pytest.raises(ep.PluginError) as info:
        _load(section(evaluator, params))
    message = str(info.value)
    assert PLAN_ID in message
    assert repr(item_id) in message
    assert f"$.{key}" in message or f"({key}: " in message  # a cattrs path, or a validator naming the key


def test_typed_values_and_defaults() -> None:
    engine = _load(
        _plan(
            _target("statistic", "{statistic: percentile, p: 95}", "t.stat"),
            _rule("phase_out", "{field: capacity, due: 2024-12-31}", "r.phase"),
            _rule(
                "voc_staggered",
                "{industries: [化工, 工业涂装], start: 2024-07-01, end: 2024-09-30, daily_end: 16:30}",
                "r.voc",
                applies_to="voc_process",
            ),
        )
    )
    stat = _typed(engine, "t.stat")
    assert (stat.statistic, stat.p, stat.period) == ("percentile", 95.0, "year")  # an int p is a float
    phase = _typed(engine, "r.phase")
    assert phase.due == dt.date(2024, 12, 31)
    assert (phase.where, phase.immediate, phase.context, phase.kind_of(_item(engine, "r.phase"))) == (
        {},
        False,
        None,
        "boiler",
    )
    voc = _typed(engine, "r.voc")
    assert voc.industries == ("化工", "工业涂装")
    assert (voc.start, voc.end) == (dt.date(2024, 7, 1), dt.date(2024, 9, 30))
    # unquoted 16:30 is read by YAML 1.1 as 990 (minutes): still 16:30
    assert (voc.daily_start, voc.daily_end) == (dt.time(10, 0), dt.time(16, 30))


def test_a_bad_literal_and_a_bad_date_are_errors() -> None:
    with pytest.raises(ep.PluginError, match=r"statistic"):
        _load(_target("statistic", "{statistic: median}"))
    with pytest.raises(ep.PluginError, match=r"\$\.due"):
        _load(_rule("phase_out", "{due: end of year}"))


def test_an_evaluator_without_params_takes_none() -> None:
    _load(_target("air_annual_mean", "{}"))
    with pytest.raises(ep.PluginError) as info:
        _load(_target("air_annual_mean", "{statistic: mean}"))
    assert "extra fields found (statistic)" in str(info.value)


def test_inventory_forbidden_filters_go_under_where() -> None:
    """A filter is written under ``where``; a flat key (``fuel: coal``) is an unknown key, not a filter, so
    a misspelt ``feild`` cannot silently become one."""
    engine = _load(_rule("inventory_forbidden", "{kind: boiler, field: capacity, where: {fuel: coal}, context: boiler}", "r.a"))
    a = _typed(engine, "r.a")
    assert (a.kind, a.field, a.context, dict(a.where)) == ("boiler", "capacity", "boiler", {"fuel": "coal"})
    with pytest.raises(ep.PluginError, match=r"extra fields found \(fuel\)"):
        _load(_rule("inventory_forbidden", "{fuel: coal}"))
    with pytest.raises(ep.PluginError, match=r"extra fields found \(feild\)"):
        _load(_rule("inventory_forbidden", "{feild: capacity}"))


def _all_evaluators() -> dict[str, Any]:
    from envplan_air.evaluators import TARGET_EVALUATORS
    from envplan_air.facility import FACILITY_EVALUATORS
    from envplan_water.evaluators import WATER_EVALUATORS

    return {**GENERIC_EVALUATORS, **WATER_EVALUATORS, **TARGET_EVALUATORS, **FACILITY_EVALUATORS}


@pytest.mark.parametrize("name", sorted(_all_evaluators()))
def test_every_shipped_evaluator_declares_and_documents_its_params(name: str) -> None:
    ev = _all_evaluators()[name]
    assert isinstance(ev, Evaluator)
    assert attrs.has(ev.params)
    if ev.params is NoParams:
        return
    doc = ev.params.__doc__ or ""
    assert f"``{name}``" in doc, f"{ev.params.__name__}'s docstring should name the evaluator"
    for field in attrs.fields(ev.params):
        assert f"``{field.name}``" in doc, f"{ev.params.__name__}: key {field.name!r} is not documented"


@pytest.mark.parametrize(
    ("evaluator", "params", "why"),
    [
        ("statistic", "{statistic: percentile, p: '95'}", "expected a number"),  # text where a number goes
        ("statistic", "{statistic: percentile, p: true}", "expected a number"),  # a bool is not a number
        ("composite_index_rank", "{counties: 119.5}", "expected a whole number"),  # no silent int(119.5)
        ("composite_index_rank", "{table_key: [a, b]}", "expected text"),  # no "['a', 'b']"
    ],
)
def test_mistyped_values_are_not_coerced(evaluator: str, params: str, why: str) -> None:
    """cattrs' defaults would coerce these silently (float("95"), int(119.5), str([...]))."""
    with pytest.raises(ep.PluginError, match=why):
        _load(_target(evaluator, params))


def test_bool_and_list_fields_take_only_bools_and_lists() -> None:
    with pytest.raises(ep.PluginError, match="expected true or false"):
        _load(_rule("phase_out", "{immediate: 'false'}"))
    with pytest.raises(ep.PluginError, match="expected a list"):
        _load(_rule("voc_staggered", "{industries: 化工}", applies_to="voc_enterprise"))

"""Listing plans without reading their units (issue 12, cold ``envplan plans``).

``envplan plans`` reads the plugins' plan files with threshold quantities kept as written
(:class:`envplan_core.model.QuantityText`), so pint's registry is not built; every other command reads
them through the catalog, which checks each unit and dimension before anything is evaluated. These
tests hold both halves: a deferred threshold is the same threshold (equal, same hash, same dump, read on
first access), a plan with a bad unit is listed but refused by every command that uses its targets, and
the checks a plan can pass on its own (unique ids, criteria, deadlines) still stop ``plans``.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envplan_core.catalog import build_catalog, list_plans
from envplan_core.cli import main
from envplan_core.converters import load_plan_text, quantities_deferred, structure, unstructure
from envplan_core.errors import PluginError, UnitError
from envplan_core.manager import get_plugin_manager
from envplan_core.model import Comparator, QuantityText, Threshold
from envplan_core.testing.strategies import thresholds
from envplan_core.units import Q_

HERE = Path(__file__).resolve().parent

_PLAN = """
id: listing-2023
title_zh: 列表计划
title_en: Listing plan
year: 2023
document: 测试〔2023〕1号
issued: 2023-08-18
targets:
- id: listing.pm25
  title_zh: PM2.5年均浓度
  title_en: PM2.5 annual mean
  kind: goal
  evaluator: statistic
  parameter: PM2.5
  statistic: annual mean
  period: '2023'
  thresholds:
  - {comparator: <=, value: VALUE}
  params: {statistic: mean, period: year}
  citation: {part: 主要目标, clause: '1'}
tasks:
- id: listing.task.1
  number: '1'
  title_zh: 任务
  title_en: Task
  citation: {part: 重点任务, clause: '1'}
  criteria: [CRITERION]
  deadlines:
  - {kind: date, date: DUE}
"""

_PLUGIN = '''
from envplan_core import hookimpl
from envplan_core.converters import load_plan_text

YAML = {yaml!r}


@hookimpl
def envplan_plans():
    return [load_plan_text(YAML, source="listing-plan.yaml")]
'''


def _plan_yaml(value: str = "43 µg/m³", criterion: str = "listing.pm25", due: str = "2023-12-31") -> str:
    return _PLAN.replace("VALUE", value).replace("CRITERION", criterion).replace("DUE", due)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.syspath_prepend(str(tmp_path))


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., str]:
    """Write a plugin providing the listing plan (with the given value, criterion, due date)."""
    count = iter(range(100))

    def make(**kwargs: str) -> str:
        name = f"listing_plugin_{next(count)}"
        source = _PLUGIN.format(yaml=_plan_yaml(**kwargs))
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        monkeypatch.delitem(sys.modules, name, raising=False)
        return name

    return make


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- a deferred threshold is the same threshold ------------------------------------------------------


def test_a_deferred_quantity_is_read_on_first_access_and_kept() -> None:
    t = Threshold(comparator=Comparator.LE, value=QuantityText("43 µg/m³"))
    assert isinstance(t._value, QuantityText)
    assert t.value == Q_(43, "ug/m^3")
    assert not isinstance(t._value, QuantityText)  # read once, kept
    assert t.value is t.value


def test_a_deferred_bad_unit_is_a_unit_error_on_access() -> None:
    t = Threshold(comparator=Comparator.LE, value=QuantityText("43 blargs"))
    with pytest.raises(UnitError, match="blarg"):
        _ = t.value


@settings(max_examples=60, deadline=None)
@given(thresholds(kind="air") | thresholds(kind="water"))
def test_deferred_and_read_thresholds_are_equal_hash_alike_and_dump_alike(threshold: Threshold) -> None:
    data = unstructure(threshold)
    read = structure(data, Threshold)
    with quantities_deferred():
        deferred = structure(data, Threshold)
    assert isinstance(deferred._value, QuantityText)
    assert deferred == read and hash(deferred) == hash(read)
    assert deferred == threshold
    assert unstructure(deferred) == unstructure(read) == data


@given(st.sampled_from(["43 µg/m³", "43 ug/m3", "0.043 mg/m³", "43 微克/立方米"]))
def test_a_spelling_of_the_same_limit_is_the_same_threshold_deferred_or_not(text: str) -> None:
    with quantities_deferred():
        deferred = structure({"comparator": "<=", "value": text}, Threshold)
    assert deferred == Threshold(comparator=Comparator.LE, value=Q_(43, "ug/m^3"))


def test_deferral_ends_with_its_block() -> None:
    with quantities_deferred():
        inside = structure({"comparator": "<=", "value": "1 mg/L"}, Threshold)
    outside = structure({"comparator": "<=", "value": "1 mg/L"}, Threshold)
    assert isinstance(inside._value, QuantityText)
    assert not isinstance(outside._value, QuantityText)
    with pytest.raises(Exception, match="blarg"):  # read at once outside: the error names the path
        load_plan_text(_plan_yaml(value="43 blargs"), source="x.yaml")


# -- the listing and the catalog -----------------------------------------------------------------------


def test_the_listed_plans_are_the_catalogs_plans() -> None:
    pm = get_plugin_manager(plugins=["envplan_water", "envplan_air", "envplan_soil", "envplan_groundwater"])
    listed = list_plans(pm)
    assert [p.id for p in listed] == ["air-2023", "groundwater-2023", "soil-2023", "water-2023"]
    assert listed == build_catalog(pm).plans  # thresholds compare by their quantities


def test_plans_lists_a_plan_with_a_bad_unit_and_every_command_using_it_refuses(
    plugin: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    name = plugin(value="43 blargs")
    code, out, _ = _run(capsys, "--plugins", name, "plans", "-f", "json")
    assert code == 0 and "listing-2023" in out
    for argv in (("targets",), ("tasks",), ("evaluate", "--as-of", "2023-12-31", "--progress", str(HERE / "progress_header_only.csv"))):
        code, out, err = _run(capsys, "--plugins", name, *argv)
        assert code == 2, (argv, out, err)
        assert name in err and "blarg" in err and "Traceback" not in err
    code, out, _ = _run(capsys, "--plugins", name, "check", "-f", "json")
    assert code == 1 and "blarg" in out  # the conformance check fails the plugin


def test_plans_lists_a_plan_whose_unit_has_the_wrong_dimension_and_targets_refuses(
    plugin: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    name = plugin(value="43 mg/L")  # PM2.5 is a mass per volume of air: mg/L reads, but as water
    assert _run(capsys, "--plugins", name, "plans")[0] == 0
    code, _, err = _run(capsys, "--plugins", name, "targets")
    assert code == 2 and name in err and "listing.pm25" in err


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"criterion": "listing.nowhere"}, "criterion 'listing.nowhere' is not a target or rule"),
        ({"due": "2021-12-31"}, "lies before the plan year"),
    ],
)
def test_plans_still_refuses_what_a_plan_gets_wrong_on_its_own(
    plugin: Callable[..., str], capsys: pytest.CaptureFixture[str], kwargs: dict[str, str], message: str
) -> None:
    name = plugin(**kwargs)
    code, _, err = _run(capsys, "--plugins", name, "plans")
    assert code == 2 and name in err and message in err


def test_plans_refuses_a_plan_id_given_by_two_plugins(
    plugin: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = plugin(), plugin()
    code, _, err = _run(capsys, "--plugins", f"{first},{second}", "plans")
    assert code == 2 and "plan id 'listing-2023' also provided by" in err


def test_list_plans_names_the_plugin_of_a_bad_plan(plugin: Callable[..., str]) -> None:
    name = plugin(due="2020-01-01")
    with pytest.raises(PluginError) as caught:
        list_plans(get_plugin_manager(plugins=[name]))
    assert caught.value.plugin == name


def test_a_threshold_shows_its_value_as_the_constructor_spells_it() -> None:
    shown = repr(Threshold(comparator=Comparator.LE, value=QuantityText("5 mg/L")))
    assert shown.startswith("Threshold(comparator=<Comparator.LE: '<='>, value=QuantityText(text='5 mg/L')")
    assert "_value" not in repr(Threshold(comparator=Comparator.LE, value=3.0))

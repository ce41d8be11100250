"""The helpers several modules share, one per concept: the plugin API's ``period_label``,
``supplied_computation`` and ``class_tag``, and the soil standards' common steps (``_soil_common``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from envplan_core.errors import DataError
from envplan_core.model import Comparator
from envplan_core.plugin import class_tag, no_computation, period_label, supplied_computation
from envplan_core.standards import _soil_common as common
from envplan_core.standards import gb3838, gb15618, gb36600, gbt14848


def test_period_label_names_a_calendar_year_by_its_year_and_any_other_span_by_its_days() -> None:
    assert period_label(dt.date(2023, 1, 1), dt.date(2023, 12, 31)) == "2023"
    assert period_label(dt.date(2023, 9, 1), dt.date(2023, 12, 31)) == "2023-09-01..2023-12-31"
    assert period_label(dt.date(2022, 1, 1), dt.date(2023, 12, 31)) == "2022-01-01..2023-12-31"


class _Ctx:
    """The part of ``EvalContext`` :func:`no_computation` reads: the item's period."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        self.bounds = (start, end)

    def period(self, item: object) -> tuple[dt.date, dt.date]:
        return self.bounds


def test_no_computation_names_the_period_the_statistic_and_why() -> None:
    item: Any = SimpleNamespace(statistic="", evaluator="inventory_count")
    ctx: Any = _Ctx(dt.date(2023, 5, 1), dt.date(2023, 5, 31))
    out = no_computation(item, ctx, rule_zh="不作判定", rule_en="nothing is judged")
    assert (out["period"], out["statistic"], out["n"], out["n_of"]) == (
        "2023-05-01..2023-05-31",
        "inventory_count",
        None,
        "values",
    )
    assert (out["rule_zh"], out["rule_en"]) == ("不作判定", "nothing is judged")
    item.statistic = "annual_mean"
    given = no_computation(item, ctx, rule_zh="z", rule_en="e", n=0, n_of="records", period="2023")
    assert (given["period"], given["statistic"], given["n"], given["n_of"]) == (
        "2023",
        "annual_mean",
        0,
        "records",
    )


def test_supplied_computation_records_the_limit_only_when_compared() -> None:
    bare = supplied_computation(period="2023", key="k", value="true", unit="", rule_zh="z", rule_en="e")
    assert bare["statistic"] == "supplied_value"
    assert (bare["n"], bare["n_of"], bare["value"], bare["value_raw"], bare["key"]) == (
        1,
        "values",
        "true",
        None,
        "k",
    )
    assert "limit" not in bare
    assert "comparator" not in bare
    compared = supplied_computation(
        period="2023",
        key="k",
        value=85.0,
        unit="%",
        rule_zh="z",
        rule_en="e",
        limit=90.0,
        comparator=Comparator.GE,
    )
    assert (compared["value_raw"], compared["limit"], compared["comparator"]) == (85.0, 90.0, ">=")
    assert list(compared)[-3:] == ["key", "limit", "comparator"]
    # A limit without a comparator (or the reverse) is not a comparison.
    assert "limit" not in supplied_computation(
        period="2023", key="k", value=1.0, unit="", rule_zh="z", rule_en="e", limit=2.0
    )


@pytest.mark.parametrize("class_code", [gb3838.class_code, gbt14848.class_code])
def test_class_tag_meets_at_class_three_or_better(class_code: Callable[[str], int]) -> None:
    assert class_tag("II", class_code) == "met"
    assert class_tag("III", class_code) == "met"
    assert class_tag("IV", class_code) == "not_met"
    assert class_tag(None, class_code) == "insufficient_data"
    assert class_tag("", class_code) == "insufficient_data"


def test_class_tag_worse_than_five_is_not_met() -> None:
    assert class_tag("劣V", gb3838.class_code) == "not_met"


def test_standard_item_reads_any_spelling_of_the_standards_items_only() -> None:
    assert common.standard_item("镉", gb15618.ITEMS, "GB 15618-2018") == "soil_Cd"
    with pytest.raises(DataError, match=r"'苯' is not a GB 15618-2018 item"):
        common.standard_item("苯", gb15618.ITEMS, "GB 15618-2018")
    with pytest.raises(DataError, match=r"'unobtainium' is not a GB 36600-2018 item"):
        common.standard_item("unobtainium", gb36600.ITEMS, "GB 36600-2018")


def test_in_standard_order_sorts_by_the_standard_and_needs_an_item() -> None:
    order = {"a": 0, "b": 1, "c": 2}
    assert list(common.in_standard_order({"c": 1.0, "a": 2.0}, order, "X", "sample 'S'", None)) == ["a", "c"]
    with pytest.raises(DataError, match=r"sample 'S': no X item measured"):
        common.in_standard_order({}, order, "X", "sample 'S'", 3)


def test_item_columns_resolve_spellings_and_refuse_an_item_given_twice() -> None:
    columns = list(common.item_columns({"镉": [1, 2], "Hg": [0.1, 0.2]}, lambda k: common.soil_id(k) or k))
    assert [pid for pid, _ in columns] == ["soil_Cd", "soil_Hg"]
    assert columns[0][1].dtype == np.float64
    with pytest.raises(DataError, match="soil_Cd given twice"):
        list(common.item_columns({"镉": [1.0], "soil_Cd": [2.0]}, lambda k: common.soil_id(k) or k))


def test_column_mg_per_kg_converts_and_names_the_first_negative_sample() -> None:
    array = np.array([300.0, np.nan])
    assert common.column_mg_per_kg("soil_Cd", array, "µg/kg", None)[0] == pytest.approx(0.3)
    assert common.column_mg_per_kg("soil_Cd", array, "mg/kg", None) is array
    with pytest.raises(DataError, match=r"sample 'S2': negative soil_Cd"):
        common.column_mg_per_kg("soil_Cd", np.array([1.0, -1.0]), "mg/kg", ["S1", "S2"])
    with pytest.raises(DataError, match=r"sample at index 1: negative soil_Cd"):
        common.column_mg_per_kg("soil_Cd", np.array([1.0, -1.0]), "mg/kg", None)


def test_plot_samples_needs_one_sample() -> None:
    assert common.plot_samples(iter([1, 2]), "P") == (1, 2)
    with pytest.raises(DataError, match=r"plot 'P': no samples"):
        common.plot_samples([], "P")
    with pytest.raises(DataError, match="a plot needs at least one sample"):
        common.plot_samples([], None)

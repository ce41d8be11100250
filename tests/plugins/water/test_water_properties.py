"""Properties of the section-class evaluator, through the whole path: DataFrame → reader → engine → finding.

- a worse value never yields a better class;
- the class does not depend on the unit the file uses (mg/L or µg/L);
- a period's class is the class of its means (samples up to ``as_of`` only), by year through the
  evaluator and by month through :func:`classify_surface_water`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from envplan_core import Engine, Finding, load
from envplan_core.analysis.surface_water import classify_surface_water
from envplan_core.standards import gb3838

TARGET = "water.yangzhaoqiao.class"
SITE = "杨赵桥"
COLUMNS = ["site", "parameter", "time", "value", "unit"]
ASSESSED = gb3838.ASSESSMENT_PARAMETERS
# Concentrations graded "the lower the better" (every assessed item but pH and DO).
MAX_ITEMS = [p for p in ASSESSED if (lim := gb3838.class_limits(p)) is not None and lim.comparison == "max"]
MONOTONE_ITEMS = [*MAX_ITEMS, "DO"]
# Class-I background for the items a test does not vary.
BACKGROUND: dict[str, float] = {
    **{p: gb3838.class_limits(p).limits[0] / 2 for p in MAX_ITEMS},  # type: ignore[union-attr]
    "DO": 8.0,
    "pH": 7.5,
}
YEAR_START = dt.date(2023, 1, 1)


def _iii(pid: str) -> float:
    ladder = gb3838.class_limits(pid)
    assert ladder is not None and ladder.class_iii is not None
    return ladder.class_iii


def values_for(pid: str) -> st.SearchStrategy[float]:
    """Values on a grid of 1/40 of the class Ⅲ limit, up to 4×, so exact limits are drawn too."""
    return st.integers(0, 160).map(lambda k: round(_iii(pid) * k / 40, 9))


def frame(rows: Sequence[tuple[str, str, str, float | str, str]]) -> pd.DataFrame:
    result: pd.DataFrame = pd.DataFrame(list(rows), columns=COLUMNS)
    return result


def background_rows(skip: set[str], day: str = "2023-06-15") -> list[tuple[str, str, str, float | str, str]]:
    return [(SITE, p, day, v, "无量纲" if p == "pH" else "mg/L") for p, v in BACKGROUND.items() if p not in skip]


@functools.cache
def water_engine() -> Engine:
    """The water plugin alone. Not a fixture: Hypothesis would print the engine's (very long) repr."""
    return load(plugins=["envplan_water"], autoload=False)


def section_finding(rows: Sequence[tuple[str, str, str, float | str, str]], as_of: str = "2023-12-31") -> Finding:
    report = water_engine().evaluate(observations=frame(rows), as_of=as_of, plans=["water"])
    (finding,) = [f for f in report.findings if f.id == TARGET]
    return finding


def code(finding: Finding) -> int:
    assert isinstance(finding.value, str), finding
    return gb3838.class_code(finding.value)


@given(pid=st.sampled_from(MONOTONE_ITEMS), data=st.data())
def test_worse_value_never_better_class(pid: str, data: st.DataObject) -> None:
    better = data.draw(values_for(pid) if pid != "DO" else st.integers(0, 100).map(lambda k: k / 10))
    step = data.draw(st.integers(0, 80)) * (_iii(pid) / 40 if pid != "DO" else 0.1)
    worse = better - step if pid == "DO" else better + step
    worse = max(worse, 0.0)
    rows = background_rows({pid})
    good = section_finding([*rows, (SITE, pid, "2023-06-15", better, "mg/L")])
    bad = section_finding([*rows, (SITE, pid, "2023-06-15", worse, "mg/L")])
    assert code(bad) >= code(good)
    assert gb3838.class_code(bad.details["per_parameter"][pid]) >= gb3838.class_code(
        good.details["per_parameter"][pid])
    # Met is monotone too: a worse value never turns not_met into met.
    assert not (bad.status.value == "met" and good.status.value == "not_met")


@given(st.dictionaries(st.sampled_from(MAX_ITEMS), st.lists(st.integers(0, 160), min_size=1, max_size=3),
                       min_size=1, max_size=6))
def test_class_does_not_depend_on_the_unit(grid: Mapping[str, list[int]]) -> None:
    in_mg: list[tuple[str, str, str, float | str, str]] = []
    in_ug: list[tuple[str, str, str, float | str, str]] = []
    for pid, ks in grid.items():
        for month, k in enumerate(ks, start=1):
            value = round(_iii(pid) * k / 40, 9)
            day = f"2023-{month:02d}-10"
            in_mg.append((SITE, pid, day, value, "mg/L"))
            in_ug.append((SITE, pid, day, value * 1000, "µg/L"))
    a, b = section_finding(in_mg), section_finding(in_ug)
    assert a.value == b.value
    assert a.status == b.status
    assert a.details["per_parameter"] == b.details["per_parameter"]
    assert a.details["limiting"] == b.details["limiting"]
    for pid, mean in a.details["means"].items():
        assert np.isclose(b.details["means"][pid], mean, rtol=2e-6, atol=0)  # shown to 6 significant digits


samples = st.dictionaries(
    st.sampled_from([*MAX_ITEMS, "DO", "pH", "DO", "CODMn", "COD", "NH3-N", "TP"]),
    st.lists(st.tuples(st.integers(0, 364), st.integers(0, 160)), min_size=1, max_size=5,
             unique_by=lambda t: t[0]),
    min_size=1, max_size=8,
)


def _value(pid: str, k: int) -> float:
    if pid == "DO":
        return k / 16  # 0 … 10 mg/L
    if pid == "pH":
        return 4 + k / 16  # 4 … 14
    return round(_iii(pid) * k / 40, 9)


@given(samples, st.integers(0, 364))
def test_year_class_is_the_class_of_the_means_up_to_as_of(
    drawn: Mapping[str, list[tuple[int, int]]], as_of_day: int
) -> None:
    as_of = YEAR_START + dt.timedelta(days=as_of_day)
    rows = []
    known: dict[str, list[float]] = {}
    for pid, points in drawn.items():
        for day, k in points:
            when = YEAR_START + dt.timedelta(days=day)
            rows.append((SITE, pid, when.isoformat(), _value(pid, k), "无量纲" if pid == "pH" else "mg/L"))
            if when <= as_of:
                known.setdefault(pid, []).append(_value(pid, k))
    finding = section_finding(rows, as_of=as_of.isoformat())
    if not known:
        assert finding.status.value == "insufficient_data"
        return
    expected = gb3838.classify_section({p: float(np.mean(v)) for p, v in known.items()})
    assert finding.details["limiting"] == list(expected.limiting)
    assert finding.details["n_samples"] == {p: len(v) for p, v in known.items() if p in expected.means}
    assert finding.details["provisional"] == (as_of < dt.date(2023, 12, 31))
    assert finding.details["missing_indicators"] == [p for p in ASSESSED if p not in known]
    # Never "met" without the indicators that decide classes (issue 10); "not met" is proven regardless.
    decisive_missing = [p for p in ("DO", "CODMn", "COD", "NH3-N", "TP") if p not in known]
    assert finding.details["decisive_missing"] == decisive_missing
    if expected.class_code > 3:
        assert (finding.status.value, finding.value) == ("not_met", expected.class_name)
    elif decisive_missing:
        assert (finding.status.value, finding.value) == ("insufficient_data", None)
    else:
        assert (finding.status.value, finding.value) == ("met", expected.class_name)
    assert finding.details["computation"]["value"] == expected.class_name


@given(samples)
def test_month_class_is_the_class_of_the_month_means(drawn: Mapping[str, list[tuple[int, int]]]) -> None:
    rows = []
    by_month: dict[str, dict[str, list[float]]] = {}
    for pid, points in drawn.items():
        for day, k in points:
            when = YEAR_START + dt.timedelta(days=day)
            rows.append((SITE, pid, when.isoformat(), _value(pid, k), "无量纲" if pid == "pH" else "mg/L"))
            by_month.setdefault(when.strftime("%Y-%m"), {}).setdefault(pid, []).append(_value(pid, k))
    result = classify_surface_water(frame(rows), period="month")
    assert [r["period"] for r in result] == sorted(by_month)
    for r in result:
        expected = gb3838.classify_section({p: float(np.mean(v)) for p, v in by_month[r["period"]].items()})
        assert r["class"] == expected.class_name
        assert r["limiting"] == list(expected.limiting)
        assert r["per_parameter"] == dict(expected.per_parameter)

"""Hypothesis strategies for envplan models and inputs. Plural names, keyword-only bounds, typed.

>>> from envplan_core.testing import strategies as eps
>>> eps.plans().example()  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from envplan_core.model import (
    Citation,
    Comparator,
    Deadline,
    DeadlineKind,
    Plan,
    Responsibility,
    Rule,
    Site,
    Target,
    TargetKind,
    Task,
    Threshold,
)
from envplan_core.units import Q_, Quantity

__all__ = [
    "citations",
    "comparators",
    "concentrations",
    "deadlines",
    "plans",
    "quantities",
    "responsibilities",
    "targets",
    "tasks",
    "thresholds",
]

_UNITS_BY_KIND = {
    "air": ("ug/m^3", "mg/m^3"),
    "water": ("mg/L", "ug/L"),
    "soil": ("mg/kg",),
    "percent": ("percent",),
}
_IDS = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
_DATES = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))

#: Canonical unit names a plan may cite; tests pair them with a county unit registry.
DEFAULT_UNIT_NAMES = ("市生态环境局新绛分局", "县住建局", "县水利局", "各镇", "县能源局")


def comparators(*, include_class: bool = False) -> st.SearchStrategy[Comparator]:
    options = [c for c in Comparator if include_class or c is not Comparator.CLASS_LE]
    return st.sampled_from(options)


def concentrations(*, min_value: float = 0.0, max_value: float = 1e4) -> st.SearchStrategy[float]:
    """Finite non-negative magnitudes, as monitoring data has them."""
    return st.floats(min_value=min_value, max_value=max_value, allow_nan=False, allow_infinity=False)


def quantities(
    *, kind: str = "air", min_value: float = 0.0, max_value: float = 1e4
) -> st.SearchStrategy[Quantity]:
    """Quantities in a unit typical of ``kind`` (air, water, soil, percent)."""
    return st.builds(
        Q_,
        concentrations(min_value=min_value, max_value=max_value),
        st.sampled_from(_UNITS_BY_KIND[kind]),
    )


def thresholds(*, kind: str = "air") -> st.SearchStrategy[Threshold]:
    def build(c: Comparator, q: Quantity, start: dt.date | None, basis: str) -> Threshold:
        return Threshold(comparator=c, value=q, effective_from=start, basis=basis, source="test")

    return st.builds(
        build,
        comparators(),
        quantities(kind=kind, max_value=1000),
        st.none() | _DATES,
        st.sampled_from(["", "O2=18%"]),
    )


def citations(*, plan: str = "测试计划") -> st.SearchStrategy[Citation]:
    return st.builds(Citation, plan=st.just(plan), part=_TEXT, clause=st.integers(1, 30).map(str), text=_TEXT)


def deadlines() -> st.SearchStrategy[Deadline]:
    dated = st.builds(lambda d, t: Deadline(kind=DeadlineKind.DATE, date=d, text=t), _DATES, _TEXT)
    ongoing = st.just(Deadline(kind=DeadlineKind.ONGOING, text="长期坚持"))

    def window(start: dt.date, days: int, hours: bool) -> Deadline:
        return Deadline(
            kind=DeadlineKind.WINDOW,
            start=start,
            date=start + dt.timedelta(days=days),
            daily_start=dt.time(10) if hours else None,
            daily_end=dt.time(16) if hours else None,
            text="窗口期",
        )

    windows = st.builds(window, _DATES, st.integers(0, 120), st.booleans())
    return st.one_of(dated, ongoing, windows)


def responsibilities(*, names: tuple[str, ...] = DEFAULT_UNIT_NAMES) -> st.SearchStrategy[Responsibility]:
    pick = st.lists(st.sampled_from(names), max_size=3, unique=True).map(tuple)
    return st.builds(Responsibility, lead=pick, support=pick, by_division_of_duties=st.booleans())


def targets(*, plan: str = "test-2023") -> st.SearchStrategy[Target]:
    return st.builds(
        Target,
        id=_IDS.map(lambda s: f"t.{s}"),
        title_zh=_TEXT,
        title_en=_TEXT,
        kind=st.sampled_from(list(TargetKind)),
        evaluator=st.just("supplied_value"),
        citation=citations(),
        thresholds=st.lists(thresholds(), max_size=2).map(tuple),
        responsibilities=st.lists(responsibilities(), max_size=2).map(tuple),
        params=st.just({}),
        plan=st.just(plan),
    )


def tasks(*, plan: str = "test-2023") -> st.SearchStrategy[Task]:
    return st.builds(
        Task,
        id=_IDS.map(lambda s: f"k.{s}"),
        number=st.integers(1, 40).map(str),
        title_zh=_TEXT,
        title_en=_TEXT,
        citation=citations(),
        responsibilities=st.lists(responsibilities(), max_size=2).map(tuple),
        deadlines=st.lists(deadlines(), max_size=3).map(tuple),
        plan=st.just(plan),
    )


def _unique_by_id(items: list[Any]) -> tuple[Any, ...]:
    seen: dict[str, Any] = {}
    for item in items:
        seen.setdefault(item.id, item)
    return tuple(seen.values())


def plans() -> st.SearchStrategy[Plan]:
    """Whole plans with unique target, rule and task ids."""
    sites = st.lists(
        st.builds(
            Site,
            id=_IDS,
            name_zh=_TEXT,
            kind=st.just("section"),
            water_body_type=st.sampled_from(["river", "lake"]),
        ),
        max_size=3,
    )
    rules = st.lists(
        st.builds(
            Rule,
            id=_IDS.map(lambda s: f"r.{s}"),
            title_zh=_TEXT,
            title_en=_TEXT,
            evaluator=st.just("inventory_count"),
            citation=citations(),
            thresholds=st.lists(thresholds(), max_size=1).map(tuple),
            params=st.just({}),
            plan=st.just("test-2023"),
        ),
        max_size=3,
    )
    return st.builds(
        Plan,
        id=st.just("test-2023"),
        title_zh=_TEXT,
        title_en=_TEXT,
        year=st.just(2023),
        document=st.just("新政办发〔2023〕14号"),
        issued=st.just(dt.date(2023, 8, 18)),
        sites=sites.map(_unique_by_id),
        targets=st.lists(targets(), max_size=4).map(_unique_by_id),
        rules=rules.map(_unique_by_id),
        tasks=st.lists(tasks(), max_size=4).map(_unique_by_id),
    )

"""Hypothesis strategies for envplan's models and inputs. Plural names, keyword-only options, typed.

Valid by default: what they generate loads, validates and evaluates without an error (plans pass the
catalog's validation and ``envplan check``; observation, inventory and progress data pass the readers).
Ask for the hostile inputs docs/inputs.md promises to refuse with ``invalid=True`` (any problem) or a
collection of problem names; you then get :class:`Invalid` values that say where the problem is — the
row and column a :class:`~envplan_core.errors.DataError` must name (tables), or the record's path
(inventories)::

    from hypothesis import given
    from envplan_core.testing import strategies as eps

    @given(eps.observation_records())
    def test_valid_rows_read(records): ...

    @given(eps.observation_records(invalid=True))
    def test_a_bad_row_is_named(bad): ...        # bad.data, bad.problem, bad.row, bad.column

Models: :func:`quantities`, :func:`quantity_texts`, :func:`comparators`, :func:`thresholds`,
:func:`citations`, :func:`deadlines`, :func:`responsibilities`, :func:`targets`, :func:`tasks`,
:func:`plans`. Inputs: :func:`observation_records`, :func:`observation_frames`, :func:`inventories`,
:func:`progress_records`, :func:`progress_frames`. Problem names: :data:`OBSERVATION_PROBLEMS`,
:data:`INVENTORY_PROBLEMS`, :data:`PROGRESS_PROBLEMS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

import attrs
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

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFAULT_SITES",
    "DEFAULT_UNIT_NAMES",
    "INVENTORY_PROBLEMS",
    "OBSERVATION_PROBLEMS",
    "PROGRESS_PROBLEMS",
    "Invalid",
    "citations",
    "comparators",
    "concentrations",
    "deadlines",
    "inventories",
    "observation_frames",
    "observation_records",
    "plans",
    "progress_frames",
    "progress_records",
    "quantities",
    "quantity_texts",
    "responsibilities",
    "targets",
    "tasks",
    "thresholds",
]

T = TypeVar("T")

_UNITS_BY_KIND = {
    "air": ("ug/m^3", "mg/m^3"),
    "water": ("mg/L", "ug/L"),
    "soil": ("mg/kg",),
    "percent": ("percent",),
}
_IDS = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)
#: Text with at least one visible character (titles, citation text, deadline words).
_WORDS = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=20)
_DATES = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))

#: Canonical unit names a plan may cite; tests pair them with a county unit registry.
DEFAULT_UNIT_NAMES = ("市生态环境局新绛分局", "县住建局", "县水利局", "各镇", "县能源局")

#: Sites the 2023 plans name (sections and air stations), as monitoring files spell them.
DEFAULT_SITES = ("杨赵桥", "西曲村", "城区监测站", "开发区监测站", "新绛县")


@attrs.frozen
class Invalid(Generic[T]):
    """A hostile input and where its one problem is.

    ``row`` is the row as a spreadsheet shows it (the header is row 1) and ``column`` the column, for
    observation and progress tables; ``path`` the record's path (``$.records[2].capacity``) for an
    inventory. ``problem`` is one of the strategy's problem names.
    """

    data: T
    problem: str
    row: int | None = None
    column: str | None = None
    path: str | None = None


def _problems(invalid: bool | Collection[str], known: Mapping[str, Any], what: str) -> list[str]:
    if invalid is True:
        return sorted(known)
    chosen = sorted(set(invalid))  # type: ignore[arg-type]
    unknown = [p for p in chosen if p not in known]
    if unknown or not chosen:
        raise ValueError(f"{what}: unknown problem(s) {unknown or chosen} (known: {', '.join(sorted(known))})")
    return chosen


# -- quantities and model pieces -----------------------------------------------------------------------


def comparators(*, include_class: bool = False) -> st.SearchStrategy[Comparator]:
    """Comparators of thresholds (``<=`` …); ``class<=`` only with ``include_class``."""
    options = [c for c in Comparator if include_class or c is not Comparator.CLASS_LE]
    return st.sampled_from(options)


def concentrations(*, min_value: float = 0.0, max_value: float = 1e4) -> st.SearchStrategy[float]:
    """Finite non-negative magnitudes, as monitoring data has them."""
    return st.floats(min_value=min_value, max_value=max_value, allow_nan=False, allow_infinity=False)


def quantities(
    *, kind: str = "air", min_value: float = 0.0, max_value: float = 1e4
) -> st.SearchStrategy[Quantity]:
    """pint quantities in a unit typical of ``kind`` (``air``, ``water``, ``soil``, ``percent``)."""
    return st.builds(
        Q_,
        concentrations(min_value=min_value, max_value=max_value),
        st.sampled_from(_UNITS_BY_KIND[kind]),
    )


#: Units written in inventories and the kinds of field they fit.
_TEXT_UNITS = {
    "capacity": ("t/h", "蒸吨", "MW"),
    "volume": ("m³", "m^3"),
    "length": ("m", "km", "cm"),
    "concentration": ("mg/m³", "mg/L", "µg/m³"),
    "percent": ("%",),
    "mass": ("t", "kg"),
}


def quantity_texts(*, unit: str | None = None, field: str = "capacity", max_value: float = 5000.0) -> st.SearchStrategy[str]:
    """Quantities as inventories write them: ``"20 t/h"``, ``"1,250 t"``, ``"35 蒸吨"`` (non-negative)."""
    units = (unit,) if unit else _TEXT_UNITS[field]

    def text(value: float, u: str, thousands: bool) -> str:
        number = f"{value:,.2f}" if thousands and value >= 1000 else f"{value:g}"
        return f"{number} {u}"

    return st.builds(
        text,
        st.floats(min_value=0, max_value=max_value, allow_nan=False).map(lambda v: round(v, 2)),
        st.sampled_from(units),
        st.booleans(),
    )


def thresholds(*, kind: str = "air") -> st.SearchStrategy[Threshold]:
    """Thresholds with a quantity in a unit of ``kind``, sometimes from a date, sometimes with a basis."""

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
    """Citations of ``plan``: a part, a clause number and the clause's words (never empty)."""
    return st.builds(
        Citation, plan=st.just(plan), part=_WORDS, clause=st.integers(1, 30).map(str), text=_WORDS
    )


def deadlines(*, year: int | None = None) -> st.SearchStrategy[Deadline]:
    """Deadlines of the three forms — a date, a window (with or without daily hours), ongoing — each
    with the plan's words; within ``year`` when given (a plan's deadlines lie in or after its year)."""
    days = (
        st.dates(min_value=dt.date(year, 1, 1), max_value=dt.date(year, 12, 31)) if year is not None else _DATES
    )
    dated = st.builds(lambda d, t: Deadline(kind=DeadlineKind.DATE, date=d, text=t), days, _WORDS)
    ongoing = st.just(Deadline(kind=DeadlineKind.ONGOING, text="长期坚持"))

    def window(start: dt.date, span: int, hours: bool) -> Deadline:
        end = start + dt.timedelta(days=span)
        if year is not None:
            end = min(end, dt.date(year, 12, 31))
        return Deadline(
            kind=DeadlineKind.WINDOW,
            start=start,
            date=end,
            daily_start=dt.time(10) if hours else None,
            daily_end=dt.time(16) if hours else None,
            text="窗口期",
        )

    windows = st.builds(window, days, st.integers(0, 120), st.booleans())
    return st.one_of(dated, ongoing, windows)


def responsibilities(
    *, names: tuple[str, ...] = DEFAULT_UNIT_NAMES, lead: bool = True
) -> st.SearchStrategy[Responsibility]:
    """Lead and support units from ``names`` (county units the registry resolves); at least one lead
    unit unless ``lead=False``."""
    leads = st.lists(st.sampled_from(names), min_size=1 if lead else 0, max_size=3, unique=True).map(tuple)
    support = st.lists(st.sampled_from(names), max_size=3, unique=True).map(tuple)
    return st.builds(Responsibility, lead=leads, support=support, by_division_of_duties=st.booleans())


def targets(*, plan: str = "test-2023") -> st.SearchStrategy[Target]:
    """Targets judged by the core's ``supplied_value`` evaluator (valid in any catalog)."""
    return st.builds(
        Target,
        id=_IDS.map(lambda s: f"t.{s}"),
        title_zh=_WORDS,
        title_en=_WORDS,
        kind=st.sampled_from(list(TargetKind)),
        evaluator=st.just("supplied_value"),
        citation=citations(),
        thresholds=st.lists(thresholds(), max_size=2).map(tuple),
        responsibilities=st.lists(responsibilities(), max_size=2).map(tuple),
        params=st.just({}),
        plan=st.just(plan),
    )


def tasks(*, plan: str = "test-2023", year: int | None = None) -> st.SearchStrategy[Task]:
    """Tasks with a lead unit and one to three deadlines (in ``year`` when given)."""
    return st.builds(
        Task,
        id=_IDS.map(lambda s: f"k.{s}"),
        number=st.integers(1, 40).map(str),
        title_zh=_WORDS,
        title_en=_WORDS,
        citation=citations(),
        responsibilities=st.lists(responsibilities(), min_size=1, max_size=2).map(tuple),
        deadlines=st.lists(deadlines(year=year), min_size=1, max_size=3).map(tuple),
        plan=st.just(plan),
    )


def _unique_by(key: Callable[[Any], Any], items: Sequence[Any]) -> tuple[Any, ...]:
    seen: dict[Any, Any] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return tuple(seen.values())


def plans(*, plan_id: str = "test-2023", year: int = 2023) -> st.SearchStrategy[Plan]:
    """Whole plans that load, validate and pass ``envplan check`` when a plugin returns them: unique ids
    and task numbers, known responsible units, deadlines in the plan year, full citations; targets and
    rules use the core's evaluators (``supplied_value``, ``inventory_count``)."""
    sites = st.lists(
        st.builds(
            Site,
            id=_IDS,
            name_zh=_WORDS,
            kind=st.just("section"),
            water_body_type=st.sampled_from(["river", "lake"]),
        ),
        max_size=3,
    )
    rules = st.lists(
        st.builds(
            Rule,
            id=_IDS.map(lambda s: f"r.{s}"),
            title_zh=_WORDS,
            title_en=_WORDS,
            evaluator=st.just("inventory_count"),
            citation=citations(),
            thresholds=st.lists(thresholds(), max_size=1).map(tuple),
            params=st.just({}),
            plan=st.just(plan_id),
        ),
        max_size=3,
    )
    return st.builds(
        Plan,
        id=st.just(plan_id),
        title_zh=_WORDS,
        title_en=_WORDS,
        year=st.just(year),
        document=st.just("新政办发〔2023〕14号"),
        issued=st.just(dt.date(year, 8, 18)),
        citation_name=st.just("测试计划"),
        sites=sites.map(lambda xs: _unique_by(lambda s: s.id, xs)),
        targets=st.lists(targets(plan=plan_id), max_size=4).map(lambda xs: _unique_by(lambda t: t.id, xs)),
        rules=rules.map(lambda xs: _unique_by(lambda r: r.id, xs)),
        tasks=st.lists(tasks(plan=plan_id, year=year), max_size=4).map(
            lambda xs: _unique_by(lambda t: t.number, _unique_by(lambda t: t.id, xs))
        ),
    )


# -- observations ------------------------------------------------------------------------------------------

#: Monitored parameters: canonical id → (spellings a file may use, (unit, largest plausible value) …).
_PARAMETERS: Mapping[str, tuple[tuple[str, ...], tuple[tuple[str, float], ...]]] = {
    "PM2.5": (("PM2.5", "细颗粒物", "pm2.5"), (("µg/m³", 500.0), ("ug/m3", 500.0), ("mg/m³", 0.5))),
    "PM10": (("PM10", "可吸入颗粒物"), (("µg/m³", 800.0), ("mg/m³", 0.8))),
    "SO2": (("SO2", "二氧化硫"), (("µg/m³", 300.0), ("μg/m³", 300.0))),
    "NO2": (("NO2", "二氧化氮"), (("µg/m³", 300.0),)),
    "O3": (("O3", "臭氧"), (("µg/m³", 400.0),)),
    "CO": (("CO", "一氧化碳"), (("mg/m³", 10.0),)),
    "COD": (("COD", "化学需氧量"), (("mg/L", 80.0),)),
    "NH3-N": (("NH3-N", "氨氮"), (("mg/L", 5.0), ("µg/L", 5000.0))),
    "TP": (("TP", "总磷"), (("mg/L", 1.0),)),
    "DO": (("DO", "溶解氧"), (("mg/L", 15.0),)),
    "pH": (("pH", "pH值"), (("无量纲", 14.0),)),
}
_NON_DETECTABLE = frozenset({"COD", "NH3-N", "TP"})
_COLUMNS = ("site", "parameter", "time", "value", "unit")

#: Problems :func:`observation_records` can put in one row, and the column the reader must name.
OBSERVATION_PROBLEMS: Mapping[str, str] = {
    "unknown_parameter": "parameter",
    "unknown_unit": "unit",
    "wrong_dimension": "unit",
    "negative_value": "value",
    "non_numeric_value": "value",
    "non_finite_value": "value",
    "non_detect_without_limit": "value",
    "malformed_time": "time",
    "empty_cell": "",  # the column is drawn: site, parameter, time, value or unit
    "duplicate_record": "time",
}


def _format(value: float) -> float:
    return round(value, 3)


@st.composite
def _valid_observations(
    draw: st.DrawFn,
    *,
    sites: Sequence[str],
    parameters: Sequence[str],
    start: dt.date,
    end: dt.date,
    min_size: int,
    max_size: int,
    non_detects: bool,
) -> list[dict[str, Any]]:
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(sites), st.sampled_from(parameters), st.dates(start, end), st.integers(-1, 23)),
            min_size=min_size,
            max_size=max_size,
            unique_by=lambda k: (k[0], k[1], k[2]),
        )
    )
    rows: list[dict[str, Any]] = []
    for site, pid, day, hour in keys:
        spellings, units = _PARAMETERS[pid]
        unit, top = draw(st.sampled_from(units))
        if non_detects and pid in _NON_DETECTABLE and draw(st.integers(0, 9)) == 0:
            value: Any = f"<{draw(st.sampled_from(['0.01', '0.05', '0.5']))}"
        else:
            value = _format(draw(st.floats(min_value=0.0, max_value=top, allow_nan=False)))
        time = day.isoformat() if hour < 0 else f"{day.isoformat()}T{hour:02d}:00"
        rows.append(
            {"site": site, "parameter": draw(st.sampled_from(spellings)), "time": time, "value": value, "unit": unit}
        )
    return rows


@st.composite
def _invalid_observations(draw: st.DrawFn, valid: st.SearchStrategy[list[dict[str, Any]]], problems: list[str]) -> Invalid[list[dict[str, Any]]]:
    rows = draw(valid)
    problem = draw(st.sampled_from(problems))
    if problem == "duplicate_record" and not rows:
        problem = "unknown_parameter"
    source = draw(st.integers(0, len(rows) - 1)) if rows else -1
    template = dict(rows[source]) if rows else {
        "site": "杨赵桥", "parameter": "COD", "time": "2023-05-10", "value": 18.0, "unit": "mg/L"
    }
    pid = next((p for p, (names, _) in _PARAMETERS.items() if template["parameter"] in names), "COD")
    column = OBSERVATION_PROBLEMS[problem]
    bad = dict(template)
    if problem == "duplicate_record":
        index = draw(st.integers(source + 1, len(rows)))
    else:
        index = draw(st.integers(0, len(rows)))
        # A fresh day, so the bad row duplicates nothing (its only problem is the one drawn).
        bad["time"] = "2031-01-01"
        if problem == "unknown_parameter":
            bad["parameter"] = draw(st.sampled_from(["未知指标", "XYZ-9", "PM3.7"]))
        elif problem == "unknown_unit":
            bad["unit"] = draw(st.sampled_from(["bogus_unit", "mgg/L", "xq"]))
        elif problem == "wrong_dimension":
            bad["unit"] = "mg/L" if pid == "pH" else draw(st.sampled_from(["m", "kg", "mg/kg"]))
        elif problem == "negative_value":
            bad["value"] = -_format(draw(st.floats(min_value=0.01, max_value=100.0)))
        elif problem == "non_numeric_value":
            bad["value"] = draw(st.sampled_from(["abc", "十八", "1..2"]))
        elif problem == "non_finite_value":
            bad["value"] = draw(st.sampled_from(["inf", "-inf"]))
        elif problem == "non_detect_without_limit":
            bad["value"] = "ND"
        elif problem == "malformed_time":
            bad["time"] = draw(st.sampled_from(["2023-13-01", "2023-02-30", "not a time", "2023-05-10T25:00"]))
        else:  # empty_cell; a dimensionless parameter (pH) may leave its unit empty
            column = draw(st.sampled_from([c for c in _COLUMNS if not (c == "unit" and pid == "pH")]))
            bad[column] = ""
    rows.insert(index, bad)
    return Invalid(data=rows, problem=problem, row=index + 2, column=column)


@overload
def observation_records(
    *,
    sites: Sequence[str] = ...,
    parameters: Sequence[str] | None = ...,
    start: dt.date = ...,
    end: dt.date = ...,
    min_size: int = ...,
    max_size: int = ...,
    non_detects: bool = ...,
    invalid: Literal[False] = ...,
) -> st.SearchStrategy[list[dict[str, Any]]]: ...
@overload
def observation_records(
    *,
    sites: Sequence[str] = ...,
    parameters: Sequence[str] | None = ...,
    start: dt.date = ...,
    end: dt.date = ...,
    min_size: int = ...,
    max_size: int = ...,
    non_detects: bool = ...,
    invalid: Literal[True] | Collection[str],
) -> st.SearchStrategy[Invalid[list[dict[str, Any]]]]: ...
def observation_records(
    *,
    sites: Sequence[str] = DEFAULT_SITES,
    parameters: Sequence[str] | None = None,
    start: dt.date = dt.date(2023, 1, 1),
    end: dt.date = dt.date(2023, 12, 31),
    min_size: int = 1,
    max_size: int = 20,
    non_detects: bool = True,
    invalid: bool | Collection[str] = False,
) -> st.SearchStrategy[Any]:
    """Observation rows in the docs/inputs.md long format: dicts of ``site, parameter, time, value, unit``.

    Parameters are written as files write them (``氨氮``, ``NH3-N``), each in a unit of its dimension
    (``µg/L`` for ammonia, ``mg/m³`` for PM2.5), values within plausible bounds, times as days or hour
    starts between ``start`` and ``end``, non-detects (``<0.05``) among COD, NH3-N and TP unless
    ``non_detects=False``; at most one row per site, parameter and day. ``parameters`` are canonical ids
    (default: PM2.5, PM10, SO2, NO2, O3, CO, COD, NH3-N, TP, DO, pH).

    ``invalid=True`` (or a collection of :data:`OBSERVATION_PROBLEMS`) gives :class:`Invalid` lists with
    one bad row among valid ones; ``.row``/``.column`` are what the reader's error must name.
    """
    chosen = list(parameters or _PARAMETERS)
    unknown = [p for p in chosen if p not in _PARAMETERS]
    if unknown:
        raise ValueError(f"observation_records: unknown parameter ids {unknown} (known: {', '.join(_PARAMETERS)})")
    valid = _valid_observations(
        sites=list(sites), parameters=chosen, start=start, end=end, min_size=min_size, max_size=max_size,
        non_detects=non_detects,
    )
    if not invalid:
        return valid
    return _invalid_observations(valid, _problems(invalid, OBSERVATION_PROBLEMS, "observation_records"))


def _frame(rows: list[dict[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    frame: pd.DataFrame = pd.DataFrame(
        [[r.get(c, "") for c in columns] for r in rows], columns=list(columns), dtype=object
    )
    return frame


def _framed(bad: Invalid[list[dict[str, Any]]], columns: Sequence[str]) -> Invalid[pd.DataFrame]:
    return Invalid(data=_frame(bad.data, columns), problem=bad.problem, row=bad.row, column=bad.column)


@overload
def observation_frames(*, invalid: Literal[False] = ..., **options: Any) -> st.SearchStrategy[pd.DataFrame]: ...
@overload
def observation_frames(
    *, invalid: Literal[True] | Collection[str], **options: Any
) -> st.SearchStrategy[Invalid[pd.DataFrame]]: ...
def observation_frames(*, invalid: bool | Collection[str] = False, **options: Any) -> st.SearchStrategy[Any]:
    """:func:`observation_records` as pandas DataFrames (columns ``site, parameter, time, value, unit``),
    what ``Engine.evaluate(observations=frame)`` and ``read_observations`` accept; same options."""
    if not invalid:
        return observation_records(**options).map(lambda rows: _frame(rows, _COLUMNS))
    return observation_records(invalid=invalid, **options).map(lambda bad: _framed(bad, _COLUMNS))


# -- inventories ---------------------------------------------------------------------------------------------

_TOWNS = ("龙兴镇", "三泉镇", "泽掌镇", "北张镇", "古交镇", "横桥镇", "万安镇", "阳王镇", "泉掌镇")


def _record_fields(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    """Fields of one inventory record of ``kind`` (the shapes the 2023 plans read)."""
    closed = st.dates(dt.date(2022, 1, 1), dt.date(2023, 12, 31)).map(dt.date.isoformat)
    if kind == "boiler":
        return st.fixed_dictionaries(
            {"fuel": st.sampled_from(["coal", "燃煤", "gas"]), "capacity": quantity_texts(field="capacity", max_value=200)},
            optional={"status": st.sampled_from(["operating", "已取缔"]), "closed_on": closed},
        )
    if kind == "blast_furnace":
        return st.fixed_dictionaries({"volume": quantity_texts(field="volume"), "status": st.just("operating")})
    if kind == "riparian_buffer":
        return st.fixed_dictionaries(
            {"river": st.sampled_from(["汾河", "浍河"]), "width": quantity_texts(unit="m", max_value=80)}
        )
    if kind == "rural_sewage_facility":
        return st.fixed_dictionaries(
            {
                "village": st.sampled_from(["甲村", "乙村", "南马村", "西柳泉村"]),
                "town": st.sampled_from(_TOWNS),
                "project": st.sampled_from(["new", "rebuild"]),
                "status": st.sampled_from(["running", "stopped", "under_construction", "planned"]),
            },
            optional={"completed": closed},
        )
    if kind == "catering":
        return st.fixed_dictionaries(
            {"fume_purifier_installed": st.booleans(), "fume_purifier_running": st.booleans()}
        )
    if kind == "enterprise":
        return st.fixed_dictionaries(
            {
                "basin": st.sampled_from(["汾河", "浍河"]),
                "new": st.booleans(),
                "discharges_to": st.sampled_from(["own_treatment", "municipal_sewage_plant"]),
            }
        )
    if kind == "outfall":
        return st.fixed_dictionaries(
            {"town": st.sampled_from(_TOWNS), "limits": st.just({"COD": "50 mg/L", "pH": "6-9"})}
        )
    raise ValueError(f"inventories: no record shape for kind {kind!r}")


INVENTORY_KINDS = ("boiler", "blast_furnace", "riparian_buffer", "rural_sewage_facility", "catering", "enterprise", "outfall")

#: Problems :func:`inventories` can put in one record (the reader names the record's path).
INVENTORY_PROBLEMS: Mapping[str, str] = {
    "unknown_unit": "capacity",
    "invalid_date": "closed_on",
    "negative_quantity": "capacity",
    "missing_id": "",
    "missing_kind": "",
    "duplicate_id": "",
}


@st.composite
def _valid_inventory(draw: st.DrawFn, kinds: Sequence[str], min_records: int, max_records: int, values: bool) -> dict[str, Any]:
    n = draw(st.integers(min_records, max_records))
    records = []
    for i in range(n):
        kind = draw(st.sampled_from(kinds))
        records.append({"id": f"{kind}-{i + 1:03d}", "kind": kind, "name": f"示例{kind}{i + 1}", **draw(_record_fields(kind))})
    data: dict[str, Any] = {"records": records}
    if values:
        data["values"] = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "drinking_sources.share_class_iii": quantity_texts(unit="%", max_value=100),
                    "drinking_sources.national_target_share": quantity_texts(unit="%", max_value=100),
                    "air.straw_utilisation_rate": quantity_texts(unit="%", max_value=100),
                },
            )
        )
    return data


@st.composite
def _invalid_inventory(draw: st.DrawFn, valid: st.SearchStrategy[dict[str, Any]], problems: list[str]) -> Invalid[dict[str, Any]]:
    data = draw(valid)
    records: list[dict[str, Any]] = data["records"]
    problem = draw(st.sampled_from(problems))
    if problem == "duplicate_id" and not records:
        problem = "missing_id"
    index = draw(st.integers(1 if problem == "duplicate_id" else 0, len(records)))
    bad: dict[str, Any] = {"id": f"bad-{index}", "kind": "boiler", "name": "有问题的锅炉", "fuel": "coal"}
    path = f"$.records[{index}]"
    if problem == "unknown_unit":
        bad["capacity"] = draw(st.sampled_from(["20 tonn/h", "5 bogus", "12 xq/h"]))
        path += ".capacity"
    elif problem == "invalid_date":
        bad["closed_on"] = draw(st.sampled_from(["2023-04-41", "2023-02-30", "2023-13-01"]))
        path += ".closed_on"
    elif problem == "negative_quantity":
        bad["capacity"] = draw(st.sampled_from(["-5 t/h", "-0.5 MW"]))
        path += ".capacity"
    elif problem == "missing_id":
        del bad["id"]
    elif problem == "missing_kind":
        del bad["kind"]
    else:  # duplicate_id
        bad["id"] = records[draw(st.integers(0, index - 1))]["id"]
    records.insert(index, bad)
    return Invalid(data=data, problem=problem, path=path)


@overload
def inventories(
    *, kinds: Sequence[str] = ..., min_records: int = ..., max_records: int = ..., values: bool = ...,
    invalid: Literal[False] = ...,
) -> st.SearchStrategy[dict[str, Any]]: ...
@overload
def inventories(
    *, kinds: Sequence[str] = ..., min_records: int = ..., max_records: int = ..., values: bool = ...,
    invalid: Literal[True] | Collection[str],
) -> st.SearchStrategy[Invalid[dict[str, Any]]]: ...
def inventories(
    *,
    kinds: Sequence[str] = INVENTORY_KINDS,
    min_records: int = 0,
    max_records: int = 8,
    values: bool = True,
    invalid: bool | Collection[str] = False,
) -> st.SearchStrategy[Any]:
    """Inventories in the YAML shape of docs/inputs.md: ``{"records": [...], "values": {...}}``.

    Records of ``kinds`` (boilers, blast furnaces, buffer strips, rural sewage facilities, catering,
    enterprises, outfalls) with unique ids and quantities as strings with units (``"20 t/h"``,
    ``"1,250.00 m³"``); ``values`` the user-supplied shares (``"95 %"``). ``read_inventory(data)`` and
    ``Engine.evaluate(inventory=data)`` accept them. ``invalid=`` (:data:`INVENTORY_PROBLEMS`) gives
    :class:`Invalid` inventories with one bad record; ``.path`` is the record (and field) the error names.
    """
    unknown = [k for k in kinds if k not in INVENTORY_KINDS]
    if unknown:
        raise ValueError(f"inventories: unknown kinds {unknown} (known: {', '.join(INVENTORY_KINDS)})")
    valid = _valid_inventory(list(kinds), min_records, max_records, values)
    if not invalid:
        return valid
    return _invalid_inventory(valid, _problems(invalid, INVENTORY_PROBLEMS, "inventories"))


# -- progress -----------------------------------------------------------------------------------------------

_PROGRESS_COLUMNS = ("task", "status", "date", "note")
_STATUSES = ("done", "in_progress", "not_started", "已完成", "进行中", "未开始")

#: Problems :func:`progress_records` can put in one row, and the column the reader must name.
PROGRESS_PROBLEMS: Mapping[str, str] = {
    "unknown_status": "status",
    "malformed_date": "date",
    "empty_cell": "",  # the column is drawn: task, status or date
    "duplicate_row": "date",
}


@st.composite
def _valid_progress(
    draw: st.DrawFn, *, task_ids: Sequence[str], start: dt.date, end: dt.date, min_size: int, max_size: int
) -> list[dict[str, Any]]:
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(task_ids), st.dates(start, end)), min_size=min_size, max_size=max_size, unique=True
        )
    )
    return [
        {"task": task, "status": draw(st.sampled_from(_STATUSES)), "date": day.isoformat(), "note": draw(_TEXT.filter(lambda s: "," not in s))}
        for task, day in keys
    ]


@st.composite
def _invalid_progress(draw: st.DrawFn, valid: st.SearchStrategy[list[dict[str, Any]]], problems: list[str]) -> Invalid[list[dict[str, Any]]]:
    rows = draw(valid)
    problem = draw(st.sampled_from(problems))
    if problem == "duplicate_row" and not rows:
        problem = "unknown_status"
    column = PROGRESS_PROBLEMS[problem]
    if problem == "duplicate_row":
        source = draw(st.integers(0, len(rows) - 1))
        index = draw(st.integers(source + 1, len(rows)))
        bad = dict(rows[source])
    else:
        index = draw(st.integers(0, len(rows)))
        bad = {"task": "water.task.1", "status": "done", "date": "2031-01-01", "note": ""}
        if problem == "unknown_status":
            bad["status"] = draw(st.sampled_from(["maybe", "未知状态", "half"]))
        elif problem == "malformed_date":
            bad["date"] = draw(st.sampled_from(["2023-02-30", "soon", "2023-13-01"]))
        else:  # empty_cell
            column = draw(st.sampled_from(["task", "status", "date"]))
            bad[column] = ""
    rows.insert(index, bad)
    return Invalid(data=rows, problem=problem, row=index + 2, column=column)


_DEFAULT_TASKS = tuple(f"water.task.{n}" for n in range(1, 15)) + tuple(f"air.task.{n}" for n in range(1, 10))


@overload
def progress_records(
    *, tasks: Sequence[str] = ..., start: dt.date = ..., end: dt.date = ..., min_size: int = ..., max_size: int = ...,
    invalid: Literal[False] = ...,
) -> st.SearchStrategy[list[dict[str, Any]]]: ...
@overload
def progress_records(
    *, tasks: Sequence[str] = ..., start: dt.date = ..., end: dt.date = ..., min_size: int = ..., max_size: int = ...,
    invalid: Literal[True] | Collection[str],
) -> st.SearchStrategy[Invalid[list[dict[str, Any]]]]: ...
def progress_records(
    *,
    tasks: Sequence[str] = _DEFAULT_TASKS,
    start: dt.date = dt.date(2023, 1, 1),
    end: dt.date = dt.date(2023, 12, 31),
    min_size: int = 0,
    max_size: int = 15,
    invalid: bool | Collection[str] = False,
) -> st.SearchStrategy[Any]:
    """Progress rows (``task, status, date, note``) about ``tasks`` (ids of loaded plans; default the
    2023 water and air tasks), statuses in English or Chinese, one row per task and day.
    ``invalid=`` (:data:`PROGRESS_PROBLEMS`) gives :class:`Invalid` lists with one bad row."""
    valid = _valid_progress(task_ids=list(tasks), start=start, end=end, min_size=min_size, max_size=max_size)
    if not invalid:
        return valid
    return _invalid_progress(valid, _problems(invalid, PROGRESS_PROBLEMS, "progress_records"))


@overload
def progress_frames(*, invalid: Literal[False] = ..., **options: Any) -> st.SearchStrategy[pd.DataFrame]: ...
@overload
def progress_frames(
    *, invalid: Literal[True] | Collection[str], **options: Any
) -> st.SearchStrategy[Invalid[pd.DataFrame]]: ...
def progress_frames(*, invalid: bool | Collection[str] = False, **options: Any) -> st.SearchStrategy[Any]:
    """:func:`progress_records` as pandas DataFrames (columns ``task, status, date, note``)."""
    if not invalid:
        return progress_records(**options).map(lambda rows: _frame(rows, _PROGRESS_COLUMNS))
    return progress_records(invalid=invalid, **options).map(lambda bad: _framed(bad, _PROGRESS_COLUMNS))

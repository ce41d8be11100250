"""Properties of groundwater classification, through the whole path: DataFrame → reader → classifier/engine.

- a worse value never gives a better class (of the item, and of the point);
- the unit a file writes a value in (mg/L, µg/L, g/L) never changes a class;
- the order of the rows never changes anything (classes, means, findings).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from envplan_core import Engine, load
from envplan_core.standards import gbt14848
from envplan_core.testing import finding_key
from envplan_groundwater.classify import classify_groundwater

COLUMNS = ["site", "parameter", "time", "value", "unit"]
Row = tuple[str, str, str, str, str]
# Items graded "the lower the better" in mg/L (every mass concentration of the 93).
MASS_ITEMS = [p.id for p in gbt14848.PARAMETERS if p.unit == "mg/L"]
UNITS = {"mg/L": Decimal(1), "µg/L": Decimal(1000), "g/L": Decimal("0.001")}


def _iii(pid: str) -> Decimal:
    """The class Ⅲ limit in mg/L, as the standard prints it (exactly)."""
    ladder = gbt14848.class_limits(pid)
    scale = Decimal("0.001") if ladder.printed_unit == "μg/L" else Decimal(1)
    return Decimal(ladder.printed[2]) * scale


def grid(pid: str) -> st.SearchStrategy[Decimal]:
    """Values on a grid of 1/20 of the class Ⅲ limit up to 6×, so exact limits of every class are drawn too
    where they fall on it (most limits are simple fractions of Ⅲ)."""
    return st.integers(0, 120).map(lambda k: _iii(pid) * k / 20)


def frame(rows: Sequence[Row]) -> pd.DataFrame:
    result: pd.DataFrame = pd.DataFrame(list(rows), columns=COLUMNS)
    return result


def code(name: str | None) -> int:
    return gbt14848.class_code(name) if name else 0


def one_point(rows: Sequence[Row]) -> dict[str, object]:
    (row,) = classify_groundwater(frame(rows))
    return row


BACKGROUND: list[Row] = [
    ("P", "pH", "2023-06-01", "7.4", "无量纲"),
    ("P", "总硬度", "2023-06-01", "380", "mg/L"),
    ("P", "氟化物", "2023-06-01", "0.6", "mg/L"),
]


@given(pid=st.sampled_from(MASS_ITEMS), data=st.data())
def test_a_worse_value_never_gives_a_better_class(pid: str, data: st.DataObject) -> None:
    better = data.draw(grid(pid))
    worse = better + data.draw(grid(pid))
    rows = [r for r in BACKGROUND if gbt14848.resolve(r[1]) != pid]
    good = one_point([*rows, ("P", pid, "2023-06-01", format(better, "f"), "mg/L")])
    bad = one_point([*rows, ("P", pid, "2023-06-01", format(worse, "f"), "mg/L")])
    assert code(bad["class"]) >= code(good["class"])  # type: ignore[arg-type]
    assert code(bad["per_parameter"][pid]) >= code(good["per_parameter"][pid])  # type: ignore[index]


@given(side=st.sampled_from([-1, 1]), a=st.integers(0, 45), b=st.integers(0, 45))
def test_ph_further_from_the_range_is_never_better(side: int, a: int, b: int) -> None:
    """On either side of 6.5–8.5, a pH further out is never in a better class."""
    near, far = sorted((a, b))
    edge = Decimal("8.5") if side > 0 else Decimal("6.5")
    values = [edge + side * Decimal(k) / 10 for k in (near, far)]
    if any(not 0 <= v <= 14 for v in values):
        return
    classes = [one_point([("P", "pH", "2023-06-01", format(v, "f"), "无量纲")])["class"] for v in values]
    assert code(classes[1]) >= code(classes[0])  # type: ignore[arg-type]


@given(
    st.dictionaries(
        st.sampled_from(MASS_ITEMS),
        st.lists(st.integers(0, 120), min_size=1, max_size=3),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(sorted(UNITS)),
)
def test_the_unit_never_changes_a_class(grid_values: dict[str, list[int]], unit: str) -> None:
    in_mg: list[Row] = []
    in_other: list[Row] = []
    for pid, ks in grid_values.items():
        for month, k in enumerate(ks, start=1):
            value = _iii(pid) * k / 20
            day = f"2023-{month:02d}-10"
            in_mg.append(("P", pid, day, format(value, "f"), "mg/L"))
            in_other.append(("P", pid, day, format(value * UNITS[unit], "f"), unit))
    a, b = one_point(in_mg), one_point(in_other)
    for key in ("class", "per_parameter", "limiting", "items_judged", "items_missing"):
        assert a[key] == b[key], key
    assert a["exceedances"].keys() == b["exceedances"].keys()  # type: ignore[attr-defined]


samples = st.lists(
    st.tuples(
        st.sampled_from(["P1", "P2", "示例区域点位1"]),
        st.sampled_from([*MASS_ITEMS[:12], "pH"]),
        st.integers(1, 12),
        st.integers(0, 120),
        st.booleans(),
    ),
    min_size=1,
    max_size=25,
    unique_by=lambda t: (t[0], t[1], t[2]),
)


def _rows(drawn: list[tuple[str, str, int, int, bool]]) -> list[Row]:
    rows: list[Row] = []
    for site, pid, month, k, nondetect in drawn:
        day = f"2023-{month:02d}-10"
        if pid == "pH":
            rows.append((site, pid, day, format(Decimal(60 + k // 4) / 10, "f"), "无量纲"))
            continue
        value = format(_iii(pid) * k / 20, "f")
        rows.append((site, pid, day, f"<{value}" if nondetect and k else value, "mg/L"))
    return rows


@given(samples, st.randoms(use_true_random=False))
def test_row_order_never_matters_to_the_classifier(drawn: list[tuple[str, str, int, int, bool]], rnd: object) -> None:
    rows = _rows(drawn)
    shuffled = list(rows)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    for period in ("year", "month", "sample"):
        assert classify_groundwater(frame(rows), period=period) == classify_groundwater(frame(shuffled), period=period)


@functools.cache
def groundwater_engine() -> Engine:
    """The groundwater plugin alone. Not a fixture: Hypothesis would print the engine's (long) repr."""
    return load(plugins=["envplan_groundwater"], autoload=False)


POINTS = {
    "records": [
        {"id": "p1", "kind": "groundwater_point", "name": "P1", "point_type": "drinking_source"},
        {"id": "p2", "kind": "groundwater_point", "name": "P2", "point_type": "regional"},
        {"id": "p3", "kind": "groundwater_point", "name": "示例区域点位1", "point_type": "pollution_risk"},
    ]
}


@given(samples, st.randoms(use_true_random=False))
def test_row_order_never_matters_to_the_findings(drawn: list[tuple[str, str, int, int, bool]], rnd: object) -> None:
    rows = _rows(drawn)
    shuffled = list(rows)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    engine = groundwater_engine()
    a = engine.evaluate(observations=frame(rows), inventory=POINTS, as_of="2023-12-31", plans=["groundwater"])
    b = engine.evaluate(observations=frame(shuffled), inventory=POINTS, as_of="2023-12-31", plans=["groundwater"])
    assert finding_key(a) == finding_key(b)
    details_a = [(f.id, f.subject, f.details.get("class"), f.details.get("values")) for f in a.findings]
    details_b = [(f.id, f.subject, f.details.get("class"), f.details.get("values")) for f in b.findings]
    assert details_a == details_b

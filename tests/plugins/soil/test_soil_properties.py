"""Properties of ``classify_soil``, through the whole path: DataFrame → reader → standard → JSON.

- raising a concentration never improves a category (GB 15618) or a level (GB 36600);
- a pH on a band edge belongs to the band the standard says (the lower one);
- orchard copper is judged by the orchard row, never worse than other land;
- writing the same contents in mg/kg, µg/kg or g/kg never changes a verdict;
- the order of the file's rows never matters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from envplan_core import DataError
from envplan_core.standards import gb15618, gb36600
from envplan_soil.classify import classify_soil

COLUMNS = ["site", "sample", "parameter", "value", "unit", "land_use", "pH"]
AGRI_ITEMS = list(gb15618.ITEMS)
BUILD_ITEMS = [p for p in gb36600.ITEMS if gb36600.item_values(p).screening_first is not None][:30]
USES = ["水田", "旱地", "果园", "水旱轮作"]
BUILD_USES = ["R21", "A33", "M1", "W1"]
EDGES = [5.5, 6.5, 7.5]
CATEGORY = {c: i for i, c in enumerate(gb15618.CATEGORIES)}
LEVEL = {"le_screening": 0, "gt_screening_le_intervention": 1, "gt_intervention": 2}
# pH values on a 0.05 grid, the band edges and their close neighbours.
PHS = st.one_of(
    st.integers(80, 180).map(lambda k: k / 20),
    st.sampled_from(EDGES),
    st.sampled_from(EDGES).map(lambda e: e + 1e-6),
    st.sampled_from(EDGES).map(lambda e: e - 1e-6),
)


def frame(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    result: pd.DataFrame = pd.DataFrame([list(r) for r in rows], columns=COLUMNS)
    return result


def agri_screening(item: str, ph: float, use: str) -> float:
    return gb15618.screening_value(item, ph=ph, land_use=use)


def grid(limit: float) -> st.SearchStrategy[float]:
    """Contents on a grid of 1/40 of a limit, up to 12× it, so the limits themselves are drawn."""
    return st.integers(0, 480).map(lambda k: round(limit * k / 40, 9))


def only_sample(result: list[dict[str, Any]]) -> dict[str, Any]:
    (sample,) = [r for r in result if r["scope"] == "sample"]
    return sample


def agri_category(item: str, value: float, ph: float, use: str, unit: str = "mg/kg") -> int:
    result = classify_soil(frame([("P", "S", item, value, unit, use, ph)]), land="agricultural")
    return CATEGORY[only_sample(result)["category"]]


@given(item=st.sampled_from(AGRI_ITEMS), use=st.sampled_from(USES), ph=PHS, data=st.data())
def test_raising_a_content_never_improves_the_category(
    item: str, use: str, ph: float, data: st.DataObject
) -> None:
    limit = agri_screening(item, ph, use)
    low = data.draw(grid(limit))
    high = low + data.draw(grid(limit))
    assert agri_category(item, high, ph, use) >= agri_category(item, low, ph, use)


@given(item=st.sampled_from(BUILD_ITEMS), use=st.sampled_from(BUILD_USES), data=st.data())
def test_raising_a_content_never_improves_the_level(item: str, use: str, data: st.DataObject) -> None:
    limit = gb36600.screening_value(item, use)
    assert limit is not None
    low = data.draw(grid(limit))
    high = low + data.draw(grid(limit))

    def level(value: float) -> int:
        result = classify_soil(frame([("P", "S", item, value, "mg/kg", use, "")]), land="construction")
        return LEVEL[only_sample(result)["level"]]

    assert level(high) >= level(low)


def expected_band(ph: float) -> str:
    if ph <= 5.5:
        return "pH≤5.5"
    if ph <= 6.5:
        return "5.5<pH≤6.5"
    return "6.5<pH≤7.5" if ph <= 7.5 else "pH>7.5"


@given(ph=PHS, use=st.sampled_from(USES))
def test_a_ph_belongs_to_the_band_the_standard_says(ph: float, use: str) -> None:
    result = classify_soil(frame([("P", "S", "Cd", 0.1, "mg/kg", use, ph)]), land="agricultural")
    sample = only_sample(result)
    assert sample["pH_band"] == expected_band(ph)
    # The band decides the value: cadmium exactly at the band's screening value meets it.
    limit = agri_screening("Cd", ph, use)
    assert agri_category("Cd", limit, ph, use) == 0
    assert agri_category("Cd", limit * 1.001, ph, use) == 1


@given(ph=PHS, data=st.data())
def test_orchard_copper_is_never_judged_harder_than_other_land(ph: float, data: st.DataObject) -> None:
    orchard, other = agri_screening("Cu", ph, "果园"), agri_screening("Cu", ph, "旱地")
    assert orchard > other
    value = data.draw(grid(orchard))
    in_orchard, in_other = agri_category("Cu", value, ph, "果园"), agri_category("Cu", value, ph, "旱地")
    assert in_orchard <= in_other
    assert in_orchard == (0 if value <= orchard else 1)
    assert in_other == (0 if value <= other else 1)  # Cu has no intervention value: never strict control


samples = st.lists(
    st.tuples(st.sampled_from(AGRI_ITEMS), st.integers(0, 480), st.sampled_from(USES), PHS),
    min_size=1,
    max_size=6,
    unique_by=lambda t: t[0],
)


def _strip_rows(result: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in ("rows", "ignored")} for r in result]


@given(items=samples, unit=st.sampled_from([("µg/kg", 1000.0), ("g/kg", 0.001), ("ug/kg", 1000.0)]))
def test_a_unit_change_never_changes_a_verdict(
    items: list[tuple[str, int, str, float]], unit: tuple[str, float]
) -> None:
    _, use, ph = items[0][0], items[0][2], items[0][3]
    mg_rows = []
    other_rows = []
    for item, k, _, _ in items:
        value = round(agri_screening(item, ph, use) * k / 40, 9)
        mg_rows.append(("P", "S", item, value, "mg/kg", use, ph))
        other_rows.append(("P", "S", item, value * unit[1], unit[0], use, ph))
    a = only_sample(classify_soil(frame(mg_rows), land="agricultural"))
    b = only_sample(classify_soil(frame(other_rows), land="agricultural"))
    assert a["category"] == b["category"]
    assert [(e["parameter"], e["level"]) for e in a["exceedances"]] == [
        (e["parameter"], e["level"]) for e in b["exceedances"]
    ]
    assert a["rule"] == b["rule"]


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["图斑1", "图斑2", "图斑10"]),
            st.sampled_from(["S1", "S2", "S10"]),
            st.sampled_from(["Cd", "Pb", "Cu", "苯"]),
            st.integers(0, 480),
        ),
        min_size=1,
        max_size=12,
        unique_by=lambda t: (t[0], t[1], t[2]),
    ),
    seed=st.randoms(use_true_random=False),
)
def test_the_order_of_rows_never_matters(rows: list[tuple[str, str, str, int]], seed: Any) -> None:
    ph = {"图斑1": 6.0, "图斑2": 7.5, "图斑10": 8.1}
    table = [
        (site, sample, item, round(0.1 * k / 4, 6), "mg/kg", "旱地", ph[site])
        for site, sample, item, k in rows
    ]
    shuffled = list(table)
    seed.shuffle(shuffled)
    only_benzene = any(
        all(item == "苯" for s2, n2, item, _ in rows if (s2, n2) == (site, sample))
        for site, sample, _, _ in rows
    )
    if only_benzene:  # a sample with no GB 15618 item: the same error in any order
        for version in (table, shuffled):
            with pytest.raises(DataError, match="no GB 15618-2018 item"):
                classify_soil(frame(version), land="agricultural")
        return
    first = classify_soil(frame(table), land="agricultural")
    second = classify_soil(frame(shuffled), land="agricultural")
    assert _strip_rows(first) == _strip_rows(second)
    used = sorted(row for r in first if r["scope"] == "sample" for row in r["rows"])
    assert used == list(range(2, len(table) + 2))  # every row used

"""Presence items (GB/T 14848-2017 表1: 嗅和味 and 肉眼可见物, classes Ⅰ–Ⅳ printed 无, Ⅴ 有): monitoring reports
write them as 无/有, so the observation reader takes 无/有 for those items (0 absent, 1 present, a grade
``2级`` as 2) and only for those; on any other item 无 stays an error naming file, row and column.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from envplan_core.cli import main
from envplan_core.data.observations import read_observations
from envplan_core.errors import DataError
from envplan_core.parameters import presence_value
from envplan_core.standards import default_parameters, gbt14848


@pytest.mark.parametrize(
    ("text", "value"),
    [("无", 0.0), ("没有", 0.0), ("未检出", 0.0), ("无异臭、异味", 0.0), ("未见", 0.0), ("none", 0.0), ("ND", 0.0),
     ("有", 1.0), ("检出", 1.0), ("有异味", 1.0), ("Present", 1.0), ("2级", 2.0)],
)
def test_presence_texts(text: str, value: float) -> None:
    assert presence_value(text) == value
    assert gbt14848.presence(text) == value


@pytest.mark.parametrize("text", ["", "0.5", "abc", "级"])
def test_what_is_not_a_presence_text(text: str) -> None:
    assert presence_value(text) is None


def test_only_the_two_text_items_of_gbt14848_are_presence_items() -> None:
    assert sorted(p.id for p in gbt14848.PARAMETERS if p.presence) == ["odour_taste", "visible_matter"]
    assert {gbt14848.class_limits(pid).comparison for pid in ("odour_taste", "visible_matter")} == {"presence"}


def _write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "gw.csv"
    path.write_text("site,parameter,time,value,unit\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_the_reader_takes_presence_texts_for_presence_items(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "井1,嗅和味,2023-05-16,无,无量纲",
        "井1,肉眼可见物,2023-05-16,有,无量纲",
        "井2,嗅和味,2023-05-16,未检出,无量纲",
        "井2,肉眼可见物,2023-05-16,0,无量纲",
        "井3,嗅和味,2023-05-16,2级,无量纲",
        "井3,硝酸盐,2023-05-16,3.1,mg/L",
    )
    obs = read_observations(path, parameters=default_parameters())
    got = {(obs.sites[s], obs.parameters[p]): v for s, p, v in zip(obs.site, obs.parameter, obs.value, strict=True)}
    assert got[("井1", "odour_taste")] == 0.0 and got[("井1", "visible_matter")] == 1.0
    assert got[("井2", "odour_taste")] == 0.0 and got[("井3", "odour_taste")] == 2.0
    assert len(obs) == 6 and not obs.censored.any()


def test_presence_text_on_another_item_is_an_error_naming_row_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "井1,嗅和味,2023-05-16,无,无量纲", "井1,硝酸盐,2023-05-16,无,mg/L")
    with pytest.raises(DataError) as err:
        read_observations(path, parameters=default_parameters())
    message = str(err.value)
    assert "row 3" in message and "'value'" in message and "read only for presence items" in message


def test_classify_groundwater_reads_wu_as_class_i_and_you_as_class_v(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """GB/T 14848-2017 表1 items 4 and 5: 无 in classes Ⅰ–Ⅳ, 有 in class Ⅴ."""
    path = _write(
        tmp_path,
        "井1,嗅和味,2023-05-16,无,无量纲",
        "井1,肉眼可见物,2023-05-16,无,无量纲",
        "井2,嗅和味,2023-05-16,无,无量纲",
        "井2,肉眼可见物,2023-05-16,有,无量纲",
    )
    capsys.readouterr()
    assert main(["classify", "groundwater", str(path), "-f", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    classes = {r["site"]: r["class"] for r in records}
    assert classes == {"井1": "I", "井2": "V"}

"""Inventory intake: YAML/JSON, typed fields (quantities, dates), values, errors with file and path."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from envplan_core.data.inventory import Inventory, Record, parse_field, read_inventory
from envplan_core.errors import DataError
from envplan_core.units import Quantity

YAML = """\
records:
  - id: boiler-1
    kind: boiler
    capacity: 20 t/h
    nox: "25 mg/m³"
    stack_height: 30 m
    commissioned: 2019-06-30
    fuel: 天然气
    permit_no: "0101"
  - id: tank-7
    kind: tank
    volume: 1080 m³
    owner: 2 号加油站
    checks:
      - {date: 2023-03-01, leak: false}
      - {date: 2023-09-01, leak: false}
  - id: 3
    kind: parcel
    area: 1.5 km2
    safe_use_rate: 85 %
values:
  water.drinking_sources.national_target: "95 %"
  air.binding_indicators: [PM2.5, good_days]
"""


def test_yaml_records_and_values(tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_text(YAML, encoding="utf-8")
    inv = read_inventory(path)
    assert [r.id for r in inv.records] == ["boiler-1", "tank-7", "3"]
    boiler = inv.get("boiler-1")
    assert isinstance(boiler, Record)
    assert boiler.source == f"{path}:$.records[0]"
    assert boiler["capacity"].m_as("t/h") == pytest.approx(20.0)
    assert boiler["nox"].m_as("ug/m^3") == pytest.approx(25_000.0)
    assert boiler["stack_height"].m_as("m") == 30.0
    assert boiler["commissioned"] == dt.date(2019, 6, 30)
    assert boiler["fuel"] == "天然气"
    assert boiler["permit_no"] == "0101"  # a quoted bare number stays text
    tank = inv["tank-7"]
    assert tank["volume"].m_as("L") == pytest.approx(1_080_000.0)
    assert tank["owner"] == "2 号加油站"
    assert tank["checks"][1] == {"date": dt.date(2023, 9, 1), "leak": False}
    parcel = inv["3"]
    assert parcel["area"].m_as("m^2") == pytest.approx(1.5e6)
    assert isinstance(parcel["safe_use_rate"], Quantity)
    assert parcel["safe_use_rate"].m_as("") == pytest.approx(0.85)
    assert [r.id for r in inv.by_kind("tank")] == ["tank-7"]
    assert inv.by_kind("well") == []
    assert inv.values["water.drinking_sources.national_target"].m_as("percent") == 95.0
    assert inv.values["air.binding_indicators"] == ["PM2.5", "good_days"]
    assert "boiler-1" in inv
    assert len(inv) == 3
    assert inv.get("nope") is None
    assert inv.issues == ()


def test_json_list_form(tmp_path: Path) -> None:
    path = tmp_path / "wells.json"
    path.write_text(
        json.dumps([{"id": "W1", "kind": "well", "depth": "120 m"}], ensure_ascii=False), encoding="utf-8"
    )
    inv = read_inventory(path)
    assert inv["W1"].source == f"{path}:$[0]"
    assert inv["W1"]["depth"].m_as("m") == 120.0


def test_data_given_directly() -> None:
    records = [{"id": "v1", "kind": "vehicle", "emission_standard": "国五"}]
    inv = read_inventory({"records": records}, name="x")
    assert inv["v1"].source == "x:$.records[0]"
    assert read_inventory([]).records == ()
    assert len(read_inventory({"records": None, "values": None})) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- {kind: well}\n", "$[0]: record without 'id'"),
        ("- {id: W1}\n", "$[0]: record without 'kind'"),
        ("- {id: W1, kind: well}\n- {id: W1, kind: well}\n", "$[1]: duplicate id 'W1' (first at $[0])"),
        ("- just text\n", "$[0]: a record is a mapping"),
        ("records: [{id: a, kind: b}]\nextras: 1\n", "unknown top-level key(s) 'extras'"),
        ("records: {id: a}\n", "$.records must be a list"),
        ("42\n", "a list of records or a mapping"),
        ("records: [\n", "not valid YAML"),
    ],
)
def test_errors_name_file_and_path(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_inventory(path)
    assert info.value.file == str(path)
    assert expected in str(info.value)


def test_all_record_problems_listed(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text("- {kind: a}\n- {id: x}\n- {id: y, kind: b}\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_inventory(path)
    assert len(info.value.problems) == 2


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("capacity", "20 tonn/h", "unit is unknown"),
        ("completed", "2023-04-41", "not a valid date"),
        ("capacity", "-20 t/h", "negative quantity"),
    ],
)
def test_bad_fields_are_errors_with_their_path(field: str, value: str, reason: str) -> None:
    records = [{"id": "a", "kind": "boiler"}, {"id": "b", "kind": "boiler", field: value}]
    with pytest.raises(DataError) as info:
        read_inventory(records, name="inv.yaml")
    (problem,) = info.value.problems
    assert problem.startswith(f"$[1].{field}: ")
    assert reason in problem
    assert info.value.file == "inv.yaml"


def test_negative_user_values_are_allowed() -> None:
    inv = read_inventory({"records": [], "values": {"coal.change": "-3 %"}})
    assert inv.values["coal.change"].magnitude == -3


def test_parse_field() -> None:
    assert parse_field("2023-02-30") == "2023-02-30"  # not a date: kept (and noted when read from a file)
    assert parse_field("1e5") == "1e5"
    assert parse_field(3) == 3
    assert parse_field("35 蒸吨").m_as("t/h") == 35.0


def test_merge() -> None:
    a = read_inventory([{"id": "a", "kind": "k"}], name="a.yaml")
    b = read_inventory({"records": [{"id": "b", "kind": "k"}], "values": {"x": "1 m"}}, name="b.yaml")
    merged = Inventory.merge([a, b])
    assert [r.id for r in merged] == ["a", "b"]
    assert merged.values["x"].m_as("m") == 1.0
    with pytest.raises(DataError, match="duplicate record id 'a'"):
        Inventory.merge([a, a])
    with pytest.raises(DataError, match="value 'x' given twice"):
        Inventory.merge([b, read_inventory({"records": [], "values": {"x": 2}}, name="c.yaml")])


def test_missing_file_and_gbk_yaml(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        read_inventory(tmp_path / "none.yaml")
    path = tmp_path / "gbk.yaml"
    path.write_bytes("- {id: 锅炉1, kind: boiler, capacity: 10 蒸吨}\n".encode("gbk"))
    assert read_inventory(path)["锅炉1"]["capacity"].m_as("t/h") == 10.0


# -- registers as tables (CSV/XLSX) --------------------------------------------------------------------


def test_a_csv_register_is_read_one_record_per_row(tmp_path: Path) -> None:
    path = tmp_path / "wells.csv"
    path.write_text("id,kind,town,depth,sealed_on\nw1,well,泽掌镇,120 m,2023-05-01\nw2,well,北张镇,80 m,\n",
                    encoding="utf-8")
    inv = read_inventory(path)
    assert [r.id for r in inv.by_kind("well")] == ["w1", "w2"]
    assert inv["w1"]["depth"].m_as("m") == 120
    assert inv["w1"]["sealed_on"].isoformat() == "2023-05-01"
    assert "sealed_on" not in inv["w2"].fields  # an empty cell is an absent field
    assert inv["w2"].source.endswith(":row 3")


def test_a_gbk_csv_register_and_an_xlsx_register_read_alike(tmp_path: Path) -> None:
    import openpyxl

    text = "id,kind,town\nw1,well,泽掌镇\n"
    (tmp_path / "gbk.csv").write_bytes(text.encode("gb18030"))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["id", "kind", "town"], ["w1", "well", "泽掌镇"]):
        sheet.append(row)
    book.save(tmp_path / "wells.xlsx")
    for name in ("gbk.csv", "wells.xlsx"):
        assert read_inventory(tmp_path / name)["w1"]["town"] == "泽掌镇"


def test_register_problems_name_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,kind,depth,sealed_on\nw1,well,-5 m,2023-13-01\nw1,well,1 m,\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_inventory(path)
    text = str(info.value)
    assert "row 2, column 'depth'" in text and "negative" in text
    assert "row 2, column 'sealed_on'" in text
    assert "duplicate id 'w1'" in text


def test_a_register_without_id_or_kind_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("name,town\nw1,泽掌镇\n", encoding="utf-8")
    with pytest.raises(DataError, match="no 'id' column"):
        read_inventory(path)


def test_a_permit_code_starting_with_digits_stays_text() -> None:
    """统一社会信用代码 and permit numbers start with digits but are not quantities; 1080m3 still is."""
    assert parse_field("91140825MA0K8U3P4X") == "91140825MA0K8U3P4X"
    assert parse_field("1080m3").m_as("m^3") == 1080
    assert parse_field("12500Nm3").magnitude == 12500


def test_register_aliases_cell_names_several_places(tmp_path: Path) -> None:
    from envplan_core.sites import record_names

    path = tmp_path / "wells.csv"
    path.write_text("id,kind,aliases\nW1,well,一号井、1号井;东井\n", encoding="utf-8")
    names = record_names(read_inventory(path)["W1"])
    assert {"一号井", "1号井", "东井", "w1"} <= names

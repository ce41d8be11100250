"""Spreadsheets and CSV files that would lose rows or blame the wrong place."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from envplan_core.data.observations import read_observations
from envplan_core.errors import DataError
from envplan_core.standards import default_parameters

HEADER = ["site", "parameter", "time", "value", "unit"]


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = book.active if first else book.create_sheet(title)
        assert sheet is not None
        sheet.title = title
        first = False
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_every_sheet_with_the_header_is_read_and_named(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "two.xlsx",
        {
            "一月": [HEADER, ["杨赵桥", "COD", "2023-01-10", 18, "mg/L"]],
            "二月": [HEADER, *[["杨赵桥", "COD", f"2023-02-{d:02d}", 20, "mg/L"] for d in range(1, 25)]],
            "空": [],
        },
    )
    obs = read_observations(str(path), parameters=default_parameters())
    assert len(obs) == 25  # the 24 rows of the second sheet are not lost
    assert sorted(obs.files) == sorted([f"{path}[一月]", f"{path}[二月]"])


def test_a_sheet_with_data_but_no_header_is_an_error_naming_it(tmp_path: Path) -> None:
    path = _book(tmp_path / "x.xlsx", {"数据": [HEADER, ["杨赵桥", "COD", "2023-01-10", 18, "mg/L"]], "备注": [["说明"], ["合成"]]})
    with pytest.raises(DataError) as info:
        read_observations(str(path), parameters=default_parameters())
    assert "[备注]" in str(info.value)


def test_a_malformed_workbook_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataError, match="not a readable XLSX workbook") as info:
        read_observations(str(path), parameters=default_parameters())
    assert info.value.file == str(path)


def test_an_unterminated_quote_names_the_row_where_it_opened(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "site,parameter,time,value,unit\n杨赵桥,COD,2023-05-10,18,mg/L\n杨赵桥,\"COD,2023-05-11,18,mg/L\n"
        "杨赵桥,COD,2023-05-12,18,mg/L\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="never closed") as info:
        read_observations(str(path), parameters=default_parameters())
    assert info.value.row == 3


def test_a_directory_given_as_a_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="is a directory"):
        read_observations(str(tmp_path), parameters=default_parameters())


HEAD = "site,parameter,time,value,unit\n"


def test_mixed_utf8_and_gbk_rows_are_refused_naming_the_first_gbk_row(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        HEAD.encode()
        + "杨赵桥,COD,2023-05-10,18,mg/L\n".encode()
        + "杨赵桥,COD,2023-05-11,18,mg/L\n".encode("gbk")
    )
    with pytest.raises(DataError, match="mixes encodings") as info:
        read_observations(str(path), parameters=default_parameters())
    assert info.value.row == 3


def test_mixed_encodings_past_the_first_megabyte_are_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    utf8_rows = "".join(f"杨赵桥,COD,2023-01-01T{h % 24:02d}:00,18,mg/L\n" for h in range(1)).encode()
    ascii_rows = "".join(f"S{i},COD,2023-01-01,18,mg/L\n" for i in range(60_000)).encode()
    path.write_bytes(HEAD.encode() + utf8_rows + ascii_rows + "杨赵桥,COD,2023-05-11,18,mg/L\n".encode("gbk"))
    with pytest.raises(DataError, match="mixes encodings") as info:
        read_observations(str(path), parameters=default_parameters())
    assert info.value.row == 60_003


def test_latin1_bytes_name_the_first_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(HEAD.encode() + b"S1,COD,2023-05-10,18,mg/L\nS\xe9,COD,2023-05-10,18,mg/L\n")
    with pytest.raises(DataError, match="not UTF-8 or GB18030") as info:
        read_observations(str(path), parameters=default_parameters())
    assert info.value.row == 3


def test_a_gbk_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes((HEAD + "杨赵桥,化学需氧量,2023-05-10,18,mg/L\n").encode("gbk"))
    obs = read_observations(str(path), parameters=default_parameters())
    assert list(obs.sites) == ["杨赵桥"]

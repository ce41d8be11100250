"""The Arrow intake: CSV in batches, Parquet files and folders, Arrow and polars tables.

Every file is read to the same :class:`ObservationSet` (and the same problems, named by file, row and
column) as the pandas reader reads it; what the Arrow reader does not take goes to pandas.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envplan_core.data import _arrow, _intake
from envplan_core.data.observations import read_observations
from envplan_core.errors import DataError
from envplan_core.standards import default_parameters

REG = default_parameters()
HEAD = "site,parameter,time,value,unit"
FIELDS = ("site", "parameter", "time", "time_kind", "value", "censored", "detection_limit", "file", "row")


def outcome(source: Any, **kwargs: Any) -> tuple[Any, ...]:
    """What reading gives, comparable across readers: the columns and issues, or the error."""
    try:
        obs = read_observations(source, parameters=REG, **kwargs)
    except DataError as exc:
        return ("error", str(exc), exc.file, exc.row, exc.column)
    columns = tuple(
        tuple(np.where(np.isnan(a), -1.0, a).tolist()) if a.dtype.kind == "f" else tuple(a.tolist())
        for a in (getattr(obs, f) for f in FIELDS)
    )
    return ("ok", columns, obs.sites, obs.parameters, obs.files, tuple(str(i) for i in obs.issues))


def both_readers(path: Path, monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> tuple[Any, Any]:
    arrow = outcome(path, **kwargs)
    with monkeypatch.context() as m:
        m.setattr(_intake, "ARROW_CSV", False)
        pandas = outcome(path, **kwargs)
    return arrow, pandas


CASES = {
    "plain": f"{HEAD}\nA,SO2,2023-01-01T00:00,5,ug/m3\nA,SO2,2023-01-01T01:00,6,µg/m³\nB,CO,2023-01-01T00:00,0.8,mg/m3\n",
    "blank lines": f"{HEAD}\nA,SO2,2023-01-01T00:00,5,ug/m3\n\nA,SO2,2023-01-01T01:00,6,ug/m3\n,,,,\n",
    "crlf and bom": f"\ufeff{HEAD}\r\nA,SO2,2023-01-01T00:00,5,ug/m3\r\n",
    "quotes": f'{HEAD}\n"A,1",SO2,2023-01-01T00:00,"5",ug/m3\n"B""q",SO2,2023-01-01T00:00,5,ug/m3\n',
    "quoted line break": f'{HEAD}\n"A\nB",SO2,2023-01-01T00:00,5,ug/m3\nC,SO2,2023-01-01T00:00,5,ug/m3\n',
    "unterminated quote": f'{HEAD}\nA,SO2,2023-01-01T00:00,5,ug/m3\n"A,SO2,2023-01-01T01:00,5,ug/m3\n',
    "extra field": f"{HEAD}\nA,SO2,2023-01-01T00:00,5,ug/m3\nA,SO2,2023-01-01T01:00,5,ug/m3,x\n",
    "missing field": f"{HEAD}\nA,SO2,2023-01-01T00:00,5\nA,SO2,2023-01-01T01:00,5,ug/m3\n",
    "header-less data": f"{HEAD},\nA,SO2,2023-01-01T00:00,5,ug/m3,x\n",
    "trailing separator": f"{HEAD},\nA,SO2,2023-01-01T00:00,5,ug/m3,\n",
    "numbers": (
        f"{HEAD}\n"
        + "".join(
            f"A,SO2,2023-01-01T{h:02d}:00,{v},ug/m3\n"
            for h, v in enumerate(["nan", "inf", " 5 ", "Infinity", "1e400", '"7"', "5.", "-inf", "NaN", "+3", "-18", "3x5", ""])
        )
    ),
    "non-detects": (
        "site,parameter,time,value,unit,detection_limit\n"
        "A,SO2,2023-01-01T00:00,<0.01,mg/m3,\nA,SO2,2023-01-01T01:00,ND,mg/m3,0.003\n"
        "A,SO2,2023-01-01T02:00,0.01L,mg/m3,\nA,SO2,2023-01-01T03:00,ND,mg/m3,\nA,SO2,2023-01-01T04:00,5,ug/m3,x\n"
    ),
    "times": (
        f"{HEAD}\n"
        + "".join(
            f"A,SO2,{t},5,ug/m3\n"
            for t in ["2023-02-30", "9999-12-31", "2023-05-10T24:00", "2023-05-10T06:00Z", "2023-05-10T06:00-99:00",
                      "2023-05", "2023", "1969-12-31", "2023/5/7 3:00", "abc", "", "2024-02-29", "2023-05-10T23:60"]
        )
    ),
    "units and duplicates": (
        f"{HEAD}\nA,SO2,2023-01-01T00:00,5,mg/L\nA,SO2,2023-01-01T01:00,5,mg/Lx\nA,氨氮氮,2023-01-01,5,mg/L\n"
        "A,PM2.5,2023-01-01T00:00,0.035,mg/m³\nA ,PM2.5,2023-01-01T00:00,35,ug/m3\nA,细颗粒物,2023-01-01 00:00:00,3,ug/m3\n"
    ),
    "nul byte": f"{HEAD}\nA\x00,SO2,2023-01-01T00:00,5,ug/m3\n",
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("mode", ["raise", "report"])
def test_arrow_and_pandas_readers_agree(name: str, mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "obs.csv"
    path.write_text(CASES[name], encoding="utf-8", newline="")
    arrow, pandas = both_readers(path, monkeypatch, errors=mode)
    assert arrow == pandas


def test_agree_across_many_small_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of a few rows: spellings first met in later batches, duplicates across batches."""
    rng = np.random.default_rng(4)
    rows = [
        f"{s},{p},2023-01-{d:02d}T{h:02d}:00,{v},{u}"
        for s, p, d, h, v, u in zip(
            rng.choice(["A", "B", " C", "新绛县"], 600),
            rng.choice(["SO2", "二氧化硫", "NO2", "CO", "NOx"], 600),
            rng.integers(1, 4, 600),
            rng.integers(0, 24, 600),
            rng.choice(["5", "7.5", "<1", "12", "x"], 600),
            rng.choice(["ug/m3", "µg/m³", "mg/m3"], 600),
            strict=True,
        )
    ]
    path = tmp_path / "obs.csv"
    path.write_text(HEAD + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setattr(_arrow, "DEFAULT_BATCH_BYTES", 256)
    for mode in ("raise", "report"):
        arrow, pandas = both_readers(path, monkeypatch, errors=mode)
        assert arrow == pandas


def test_a_quote_across_a_batch_cut_goes_to_pandas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "".join(f"A,SO2,2023-01-01T{h:02d}:00,5,ug/m3\n" for h in range(20))
    path = tmp_path / "obs.csv"
    path.write_text(f'{HEAD}\n{body}"X\nY",SO2,2023-01-02T00:00,5,ug/m3\n{body}', encoding="utf-8")
    monkeypatch.setattr(_arrow, "DEFAULT_BATCH_BYTES", 300)
    arrow, pandas = both_readers(path, monkeypatch, errors="report")
    assert arrow == pandas
    assert "X\nY" in arrow[2]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cells=st.lists(
        st.tuples(
            st.sampled_from(["A", "B", " A", ""]),
            st.sampled_from(["SO2", "CO", "x", ""]),
            st.sampled_from(["2023-01-01T00:00", "2023-01-01", "2023-02-30", "", "2023-01-01T01:00"]),
            st.sampled_from(["5", "0.5", "<1", "ND", "", "nan", "-1", "1e300", " 2 "]),
            st.sampled_from(["ug/m3", "mg/m3", "", "mg/L"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_random_files_agree(cells: list[tuple[str, ...]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "random.csv"
    path.write_text(HEAD + "\n" + "\n".join(",".join(c) for c in cells) + "\n", encoding="utf-8")
    arrow, pandas = both_readers(path, monkeypatch, errors="report")
    assert arrow == pandas


# -- Parquet ----------------------------------------------------------------------------------------------


def _table() -> pa.Table:
    return pa.table(
        {
            "站点": ["城区", "城区", "开发区", "开发区"],
            "parameter": pa.array(["SO2", "PM2.5", "SO2", "CO"]).dictionary_encode(),
            "time": ["2023-01-01T00:00", "2023-01-01T00:00", "2023-01-01T01:00", "2023-01-01T00:00"],
            "value": [5.0, 0.035, None, 0.8],
            "unit": ["ug/m3", "mg/m3", "ug/m3", "mg/m3"],
        }
    )


def test_parquet_file_reads_like_the_csv(tmp_path: Path) -> None:
    table = _table()
    pq.write_table(table, tmp_path / "obs.parquet")
    csv = tmp_path / "obs.csv"
    table.to_pandas().to_csv(csv, index=False)
    with pytest.raises(DataError) as from_parquet:
        read_observations(tmp_path / "obs.parquet", parameters=REG)
    with pytest.raises(DataError) as from_csv:
        read_observations(csv, parameters=REG)
    # The empty value of record 3 is row 4 in both (header = row 1), column 'value'.
    assert (from_parquet.value.row, from_parquet.value.column) == (from_csv.value.row, from_csv.value.column) == (4, "value")
    assert str(from_parquet.value.file).endswith("obs.parquet")
    good = read_observations(tmp_path / "obs.parquet", parameters=REG, errors="report")
    assert len(good) == 3 and len(good.issues) == 1
    np.testing.assert_allclose(np.sort(good.value), [0.8, 5.0, 35.0])


def test_parquet_folder_with_hive_partitions(tmp_path: Path) -> None:
    folder = tmp_path / "obs"
    for site, year in (("城区", 2023), ("开发区", 2023), ("开发区", 2024)):
        part = folder / f"site={site}" / f"year={year}"
        part.mkdir(parents=True)
        pq.write_table(
            pa.table(
                {
                    "parameter": ["SO2", "SO2"],
                    "time": pa.array(np.array([f"{year}-01-01T00:00", f"{year}-01-01T01:00"], dtype="datetime64[s]")),
                    "value": [5, 6],
                    "unit": ["ug/m3", "ug/m3"],
                }
            ),
            part / "part-0.parquet",
        )
    (folder / "_SUCCESS").write_text("")
    obs = read_observations(folder, parameters=REG)
    assert len(obs) == 6
    assert obs.sites == ("城区", "开发区")
    assert len(obs.files) == 3 and all(f.endswith("part-0.parquet") for f in obs.files)
    assert set(obs.time.astype("datetime64[Y]").astype(str).tolist()) == {"2023", "2024"}


def test_folder_without_parquet_and_bad_parquet(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(HEAD + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="is a directory, not a file"):
        read_observations(tmp_path, parameters=REG)
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 not really")
    with pytest.raises(DataError, match="not a readable Parquet file") as info:
        read_observations(bad, parameters=REG)
    assert info.value.file == str(bad)


def test_parquet_timestamps_dates_and_unknown_columns(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pq.write_table(
        pa.table(
            {
                "site": ["A", "A", "A"],
                "parameter": ["SO2", "SO2", "SO2"],
                "time": pa.array([0, 3600, None], pa.timestamp("s", tz="UTC")),
                "value": [1, 2, 3],
                "unit": ["ug/m3"] * 3,
            }
        ),
        path,
    )
    obs = read_observations(path, parameters=REG, errors="report")
    assert obs.time.astype(str).tolist() == ["1970-01-01T08:00:00", "1970-01-01T09:00:00"]  # UTC+8 wall time
    assert [(i.row, i.column) for i in obs.issues] == [(4, "time")]
    days = tmp_path / "d.parquet"
    pq.write_table(
        pa.table({"site": ["A"], "parameter": ["SO2"], "time": pa.array([19000], pa.date32()), "value": [1.0], "unit": ["ug/m3"], "x": [1]}),
        days,
    )
    with pytest.raises(DataError, match="unknown column 'x'"):
        read_observations(days, parameters=REG)
    obs = read_observations(days, parameters=REG, ignore_extra_columns=True)
    assert obs.time_kind.tolist() == [1]  # a date32 value is a day


def test_arrow_table_and_record_batch(tmp_path: Path) -> None:
    table = _table()
    a = outcome(table, errors="report")
    b = outcome(table.to_batches()[0], errors="report")
    c = outcome(table.to_pandas(), errors="report")
    assert a[0] == b[0] == c[0] == "ok"
    assert a[1] == b[1] and a[5] == b[5] == c[5]
    assert a[1][:6] == c[1][:6]  # the same rows, values and codes as the pandas DataFrame


def test_polars_dataframe() -> None:
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame({"site": ["A", "B"], "parameter": ["SO2", "CO"], "time": ["2023-01-01T00:00"] * 2, "value": [5.0, 0.8], "unit": ["ug/m3", "mg/m3"]})
    obs = read_observations(frame, parameters=REG)
    assert obs.sites == ("A", "B") and obs.files == ("<DataFrame>",)
    assert math.isclose(float(obs.value.sum()), 5.8)


def test_lists_mix_sources(tmp_path: Path) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text(f"{HEAD}\nA,SO2,2023-01-01T00:00,5,ug/m3\n", encoding="utf-8")
    frame = pd.DataFrame({"site": ["A"], "parameter": ["SO2"], "time": ["2023-01-01T00:00"], "value": [6.0], "unit": ["ug/m3"]})
    with pytest.raises(DataError, match="duplicate record"):
        read_observations([csv, _table(), frame], parameters=REG)
    obs = read_observations([csv, _table(), frame], parameters=REG, errors="report")
    assert obs.files == (str(csv), "<DataFrame 1>", "<DataFrame 2>")


def test_missing_cells_of_a_parquet_file_are_empty_cells(tmp_path: Path) -> None:
    path = tmp_path / "nulls.parquet"
    pq.write_table(
        pa.table(
            {
                "site": ["A", None, "B", None],
                "parameter": ["SO2"] * 4,
                "time": ["2023-01-01T00:00", "2023-01-01T01:00", None, "2023-01-01T03:00"],
                "value": [1.0, 2.0, 3.0, 4.0],
                "unit": ["ug/m3", "ug/m3", "ug/m3", None],
            }
        ),
        path,
    )
    obs = read_observations(path, parameters=REG, errors="report")
    assert len(obs) == 1
    assert [(i.row, i.column) for i in obs.issues] == [(3, "site"), (4, "time"), (5, "site")]

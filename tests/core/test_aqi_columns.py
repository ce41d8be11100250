"""The columnar AQI path (issue 12): ``envplan aqi`` writes JSON and Parquet from the AQI's columns
(:class:`~envplan_core.commands.air_io.AQIBlock` of :class:`~envplan_core.standards.hj633.AQIFrame`),
never a dict per record, and what it writes is exactly what the record-by-record path writes — the JSON
byte for byte, the Parquet row for row — on generated observations with gaps, values beyond the tables
(SO2 1-h and O3 above 800 µg/m³, PM above 500), missing pollutants, spread daily values (O3 MDA8 above
800 among them), non-detects and sites across the 2026-03-01 switch.
"""

from __future__ import annotations

import io
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from envplan_core.analysis.air_aqi import SITES_PER_BATCH, iter_aqi_frames, iter_aqi_records
from envplan_core.analysis.air_grid import AirGrid, read_air_grid
from envplan_core.cli import main
from envplan_core.commands.air_io import AQIBlock, aqi_schema, aqi_stream
from envplan_core.render.parquet import write_parquet
from envplan_core.render.stream import RecordStream, float_texts, write_json_records
from envplan_core.standards import default_parameters, hj633

PARAMS = ("SO2", "NO2", "PM10", "PM2.5", "CO", "O3")
SCALE = {"SO2": 1200.0, "NO2": 900.0, "PM10": 700.0, "PM2.5": 600.0, "CO": 70.0, "O3": 1300.0}
KINDS = [(k, m) for k in ("both", "hourly", "daily") for m in hj633.HOURLY_METHODS]


def _observations(seed: int) -> str:
    """A long-format file: a few sites over days to weeks, every branch of the AQI records reached."""
    rng = np.random.default_rng(seed)
    lines = ["site,parameter,time,value,unit"]

    def block(site: str, start: str, hours: int, params: tuple[str, ...], miss: float) -> None:
        base = np.datetime64(start, "h")
        for p in params:
            v = SCALE[p] * rng.beta(0.7, 3.0, size=hours)
            high = rng.random(hours) < 0.08
            v[high] = SCALE[p] * rng.uniform(0.6, 1.2, int(high.sum()))
            if p in ("O3", "SO2") and hours > 48:  # a run above 800: O3 8-h > 800, SO2 24-h high
                s = int(rng.integers(0, hours - 20))
                v[s : s + 12] = rng.uniform(820, 1200, 12)
            gap = rng.random(hours) < miss
            g = int(rng.integers(0, hours - 10))
            gap[g : g + int(rng.integers(3, 10))] = True
            for k in np.flatnonzero(~gap).tolist():
                stamp = str((base + k).astype("datetime64[m]"))
                r = rng.random()
                if p == "CO":
                    lines.append(f"{site},{p},{stamp},{v[k]:.3f},mg/m3")
                elif r < 0.02:
                    lines.append(f"{site},{p},{stamp},<3,ug/m3")  # a non-detect: half the limit
                elif r < 0.06:
                    lines.append(f"{site},{p},{stamp},{v[k] / 1000:.6g},mg/m3")
                elif r < 0.5:
                    lines.append(f"{site},{p},{stamp},{round(float(v[k]))},ug/m3")
                else:
                    lines.append(f"{site},{p},{stamp},{float(v[k])!r},ug/m3")

    block("城区监测站", "2023-01-01T00", 24 * 6, PARAMS, 0.05)
    block("开发区监测站", "2023-01-02T00", 24 * 5, PARAMS, 0.3)
    block("A01", "2026-02-26T00", 24 * 6, PARAMS, 0.1)  # across the switch
    block("A02", "2026-02-27T05", 24 * 3, ("SO2", "NO2", "O3"), 0.05)
    block("B01", "2023-01-02T00", 24 * 3, ("SO2",), 0.05)
    for site, day, p, value in [
        ("C01", "2023-01-03", "O3", 850),  # an MDA8 above 800: no daily maximum 1-h value
        ("C01", "2023-01-04", "O3", 120),
        ("C01", "2023-01-03", "SO2", 30),
        ("C01", "2023-01-04", "PM2.5", 80),
        ("城区监测站", "2023-01-08", "O3", 900),
        ("A01", "2026-03-09", "O3", 820),
        ("A01", "2026-03-10", "SO2", 900),
        ("城区监测站", "2023-01-02", "O3", 100),  # shadowed by hourly rows
    ]:
        lines.append(f"{site},{p},{day},{value},ug/m3")
    for h in (0, 5, 13):  # SO2 above 800 without its 24-h mean, O3 above 800 at single hours
        lines.append(f"D01,SO2,2023-01-10T{h:02d}:00,900,ug/m3")
        lines.append(f"D01,O3,2023-01-10T{h:02d}:00,{850 + h},ug/m3")
    lines.append("D01,PM2.5,2023-01-10T13:00,0,ug/m3")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module", params=[1, 2])
def grid(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AirGrid:
    path = tmp_path_factory.mktemp("aqi") / "obs.csv"
    path.write_text(_observations(request.param), encoding="utf-8")
    return read_air_grid(path, parameters=default_parameters())


def _stream(grid: AirGrid, kind: str, method: str, fmt: str) -> RecordStream:
    return aqi_stream(grid, kind=kind, hourly_method=method, fmt=fmt)  # type: ignore[arg-type]


def _dict_stream(grid: AirGrid, kind: str, method: str) -> RecordStream:
    """The record-by-record path: dicts of :func:`iter_aqi_records`, as ``envplan aqi`` streamed them."""
    return RecordStream(iter_aqi_records(grid, kind=kind, hourly_method=method), schema=aqi_schema)  # type: ignore[arg-type]


def test_the_generated_data_reach_every_branch(grid: AirGrid) -> None:
    seen: Counter[str] = Counter()
    for method in hj633.HOURLY_METHODS:
        for r in iter_aqi_records(grid, hourly_method=method):
            seen["incomplete"] += not r["complete"]
            seen["substitutions"] += bool(r["substitutions"])
            seen["lower bounds"] += bool(r["iaqi_lower_bounds"])
            seen["AQI NA"] += r["aqi"] is None
            seen["O3 daily value"] += "o3_from_daily_value" in r
            seen["2026"] += r["rules"] == hj633.HJ633_2026
            seen["tied primary"] += len(r["primary_pollutants"]) > 1
            seen["several reasons"] += len(r["incomplete_reasons"]) > 1
            seen["no IAQI"] += not r["iaqi"]
            seen["above 500"] += any(v >= 500 for v in r["iaqi"].values())
            seen["float noise"] += any(len(repr(v)) > 12 for v in r["concentrations"].values())
    assert all(seen[k] for k in seen), seen
    assert len(seen) == 11


@pytest.mark.parametrize(("kind", "method"), KINDS)
def test_frames_hold_the_records_of_the_dict_path(grid: AirGrid, kind: str, method: str) -> None:
    frames = list(iter_aqi_frames(grid, kind=kind, hourly_method=method))  # type: ignore[arg-type]
    expected = list(iter_aqi_records(grid, kind=kind, hourly_method=method))  # type: ignore[arg-type]
    assert [r for f in frames for r in f.records()] == expected
    assert list(_stream(grid, kind, method, "json")) == expected  # the stream's records, for the text formats


@pytest.mark.parametrize(("kind", "method"), KINDS)
def test_json_from_columns_is_the_json_of_the_records(
    grid: AirGrid, kind: str, method: str, tmp_path: Path
) -> None:
    expected = io.StringIO()
    count = write_json_records(expected, _dict_stream(grid, kind, method))
    text = io.StringIO()  # a text-only output: the texts are decoded
    assert write_json_records(text, _stream(grid, kind, method, "json")) == count
    assert text.getvalue() == expected.getvalue()
    path = tmp_path / "aqi.json"  # a file: the UTF-8 bytes are written as they are
    with path.open("w", encoding="utf-8") as handle:
        handle.write("站")  # text written before the bytes (still in the text buffer) stays in front
        write_json_records(handle, _stream(grid, kind, method, "json"))
        handle.write("。")  # and text written after them comes after
    assert path.read_text(encoding="utf-8") == "站" + expected.getvalue() + "。"
    assert json.loads(expected.getvalue())


@pytest.mark.parametrize(("kind", "method"), KINDS)
def test_parquet_from_columns_is_the_parquet_of_the_records(
    grid: AirGrid, kind: str, method: str, tmp_path: Path
) -> None:
    write_parquet(_dict_stream(grid, kind, method), tmp_path / "dicts.parquet")
    write_parquet(_stream(grid, kind, method, "parquet"), tmp_path / "columns.parquet")
    expected, got = pq.read_table(tmp_path / "dicts.parquet"), pq.read_table(tmp_path / "columns.parquet")
    assert got.schema == expected.schema and got.schema.metadata == expected.schema.metadata
    assert got.to_pylist() == expected.to_pylist()


def test_the_batches_of_sites_do_not_matter(grid: AirGrid, monkeypatch: pytest.MonkeyPatch) -> None:
    import envplan_core.analysis.air_aqi as air_aqi

    expected = [r for f in iter_aqi_frames(grid) for r in f.records()]
    for size in (1, 3):
        monkeypatch.setattr(air_aqi, "SITES_PER_BATCH", size)
        assert [r for f in iter_aqi_frames(grid) for r in f.records()] == expected
    assert SITES_PER_BATCH > 1


def test_an_empty_stream_writes_what_an_empty_list_writes(tmp_path: Path) -> None:
    text = io.StringIO()
    assert write_json_records(text, RecordStream(blocks=[])) == 0
    assert text.getvalue() == "[]\n"
    write_parquet(RecordStream(blocks=[], schema=aqi_schema), tmp_path / "empty.parquet")
    write_parquet(RecordStream([], schema=aqi_schema), tmp_path / "dicts.parquet")
    assert (
        pq.read_table(tmp_path / "empty.parquet").schema == pq.read_table(tmp_path / "dicts.parquet").schema
    )


def test_the_command_writes_the_records_of_the_dict_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "obs.csv"
    path.write_text(_observations(3), encoding="utf-8")
    grid = read_air_grid(path, parameters=default_parameters())
    expected = io.StringIO()
    write_json_records(expected, _dict_stream(grid, "both", "strict"))
    assert main(["aqi", str(path), "--hourly-method", "strict", "-f", "json"]) == 0
    assert capsys.readouterr().out == expected.getvalue()
    out = tmp_path / "aqi.json"
    assert main(["aqi", str(path), "--hourly-method", "strict", "-f", "json", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == expected.getvalue()


# --------------------------------------------------------------------------- properties
_FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=2e4).map(lambda x: round(x, 1)),  # measured values: tenths
    st.floats(min_value=0, max_value=2e4).map(lambda x: round(x, 1) / 24),  # running means
    st.floats(min_value=0, max_value=1e-3),
    st.floats(min_value=1e8, max_value=1e17),
    st.integers(min_value=0, max_value=10**6).map(float),
    st.sampled_from([0.0, -0.0, 1e-4, 1e9, 13107.1, 13107.2, 0.1 + 0.2, 5e-324]),
)


@given(st.lists(_FLOATS, max_size=60), st.data())
def test_float_texts_are_reprs(values: list[float], data: st.DataObject) -> None:
    heads = ("", ', "a": ', "é")
    which = data.draw(st.lists(st.integers(0, 2), min_size=len(values), max_size=len(values)))
    texts = float_texts(
        np.asarray(values, dtype=np.float64), heads, np.asarray(which, dtype=np.int64)
    ).to_pylist()
    assert texts == [
        heads[h] + repr(v) if math.isfinite(v) else None for v, h in zip(values, which, strict=True)
    ]


_CONCENTRATION = st.one_of(
    st.just(math.nan),
    st.sampled_from([0.0, 35.0, 75.0, 150.0, 500.0, 800.0, 800.5, 1200.0]),  # breakpoints, beyond the tables
    st.floats(min_value=0, max_value=1300).map(lambda x: round(x, 1)),
    st.floats(min_value=0, max_value=1300),
)


@given(
    st.lists(st.tuples(*[_CONCENTRATION] * 6), min_size=1, max_size=72),
    st.sampled_from(["2023-06-30T12", "2026-02-28T20"]),
    st.sampled_from(hj633.HOURLY_METHODS),
)
def test_the_text_of_a_block_is_the_json_of_its_records(
    rows: list[tuple[float, ...]], start: str, method: Any
) -> None:
    """Any hours of concentrations (one site, from before or across the switch): the block's text is the
    JSON of the frame's records, its Arrow table their Parquet rows."""
    n = len(rows)
    times = np.datetime64(start, "h") + np.arange(n)
    values = {p: np.asarray([r[j] for r in rows]) for j, p in enumerate(PARAMS)}
    values["CO"] = values["CO"] / 20
    frames = hj633.aqi_frames(
        np.zeros(n, dtype=np.int64), times, values, site_names=["站"], hourly_method=method
    )
    memo: dict[Any, Any] = {}
    for frame in frames:
        records = frame.records()
        block = AQIBlock(frame, memo)
        expected = io.StringIO()
        write_json_records(expected, records)
        got = io.StringIO()
        write_json_records(got, RecordStream(blocks=[block]))
        assert got.getvalue() == expected.getvalue()
        rows_of_table = block.arrow_table().to_pylist()
        for row, record in zip(rows_of_table, records, strict=True):
            for key in ("iaqi", "substitutions", "concentrations"):
                row[key] = dict(row[key])
            assert {k: v for k, v in row.items() if k in record} == record
            assert all(v is None for k, v in row.items() if k not in record)

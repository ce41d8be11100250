"""The streaming air path: a file read batch by batch straight into the HJ 663 grid gives what
``air_columns(read_observations(...))`` gives — the same columns, counts, statistics, AQI records and the
same errors — and the commands write JSON as they compute and Parquet on request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest

from envplan_core.analysis import air as air_module
from envplan_core.analysis.air import air_columns, air_stats_records, aqi_records
from envplan_core.analysis.air_grid import grid_stats_records, iter_aqi_records, read_air_grid
from envplan_core.cli import main
from envplan_core.data import _arrow
from envplan_core.data.observations import read_observations
from envplan_core.errors import DataError
from envplan_core.plugin import package_path
from envplan_core.render.json import dumps
from envplan_core.render.progress import Progress
from envplan_core.standards import default_parameters

REG = default_parameters()
HEAD = "site,parameter,time,value,unit"
EXAMPLE = package_path("envplan_air", "examples") / "observations.csv"

FILES = {
    "hourly duplicates": (
        f"{HEAD}\nA,SO2,2023-01-01T00:00,5,ug/m3\nA,SO2,2023-01-01T01:00,6,ug/m3\nB,SO2,2023-01-01T00:00,5,ug/m3\n"
        "A,二氧化硫,2023-01-01T00:00,7,ug/m3\nA,SO2,2023-01-01T01:00,8,ug/m3\nA,SO2,2023-01-01 01:00:00,9,ug/m3\n"
    ),
    "daily values": (
        f"{HEAD}\nA,SO2,2023-01-01T00:00,5,ug/m3\nA,SO2,2023-01-01,50,ug/m3\nA,SO2,2023-01-02,60,ug/m3\n"
        "B,O3,2023-01-02,60,ug/m3\nA,NO2,2023-01-01,3,ug/m3\nA,NOx,2023-01-01,3,ug/m3\nA,SO2,2023-01,3,ug/m3\n"
    ),
    "daily duplicates": f"{HEAD}\nA,SO2,2023-01-01,5,ug/m3\nA,SO2,2023-01-01,6,ug/m3\nA,NOx,2023-01-01T00:00,3,ug/m3\nA,NOx,2023-01-01T00:00,4,ug/m3\n",
    "off the hour": f"{HEAD}\nA,SO2,2023-01-01T00:00,5,ug/m3\nA,SO2,2023-01-01T00:30,6,ug/m3\nA,SO2,2023-01-01T01:30,6,ug/m3\n",
    "off the hour and a bad row": f"{HEAD}\nA,SO2,2023-01-01T00:30,5,ug/m3\nA,SO2,2023-01-01T01:00,-6,ug/m3\n",
    "span": f"{HEAD}\nA,SO2,2023-01-01T00:00,5,ug/m3\nA,SO2,1971-01-01T00:00,5,ug/m3\nB,SO2,2023-01-01T00:00,5,ug/m3\n",
    "span by a daily row": f"{HEAD}\nA,SO2,2023-01-01T00:00,5,ug/m3\nA,SO2,1971-01-01,5,ug/m3\nA,SO2,2024-01-01T00:00,5,ug/m3\n",
    "span by a duplicate": f"{HEAD}\nA,SO2,2023-01-01T00:00,5,ug/m3\nA,SO2,1971-01-01T00:00,5,ug/m3\nA,SO2,1971-01-01T00:00,6,ug/m3\n",
    "two years": f"{HEAD}\nA,SO2,2023-12-31T23:00,5,ug/m3\nA,SO2,2024-01-01T00:00,6,ug/m3\nB,O3,2024-01-01,70,ug/m3\nB,O3,2023-12-30,70,ug/m3\n",
    "non-detects": (
        "site,parameter,time,value,unit,detection_limit\nA,SO2,2023-01-01T00:00,<3,ug/m3,\n"
        "A,SO2,2023-01-01T01:00,ND,ug/m3,2\nA,SO2,2023-01-02,ND,ug/m3,2\nA,CO,2023-01-01T00:00,0.2,mg/m3,0.3\n"
    ),
    "county rows": f"{HEAD}\n新绛县,SO2,2023-01-01T00:00,5,ug/m3\n城区监测站,SO2,2023-01-01T00:00,6,ug/m3\n开发区监测站,SO2,2023-01-01T00:00,7,ug/m3\n",
    "no air rows": f"{HEAD}\nA,NOx,2023-01-01T00:00,5,ug/m3\n",
}


def _random_file(seed: int) -> str:
    rng = np.random.default_rng(seed)
    lines = [HEAD]
    for _ in range(1500):
        site = rng.choice(["A", "B", "C", "新绛县"])
        param = rng.choice(["SO2", "NO2", "PM10", "PM2.5", "CO", "O3", "NOx", "二氧化硫"])
        day = int(rng.integers(1, 4))
        time = rng.choice([f"2023-01-{day:02d}T{int(rng.integers(0, 24)):02d}:00", f"2023-01-{day:02d}", "2023-01"])
        value = rng.choice(["5", "7.5", "<1", "12"])
        unit = "mg/m3" if param == "CO" else rng.choice(["ug/m3", "µg/m³"])
        lines.append(f"{site},{param},{time},{value},{unit}")
    return "\n".join(lines) + "\n"


def _long(path: Path, mode: str) -> Any:
    obs = read_observations(path, parameters=REG, errors=mode)  # type: ignore[arg-type]
    return air_columns(obs), [str(i) for i in obs.issues]


def _error(exc: DataError) -> tuple[Any, ...]:
    return (str(exc), exc.file, exc.row, exc.column)


ALL_AQI = [(k, m) for k in ("both", "hourly", "daily") for m in ("published", "strict")]


def _compare(path: Path, mode: str, *, aqi: list[tuple[str, str]] = ALL_AQI) -> None:
    expected: tuple[Any, ...] | None = None
    try:
        cols, issues = _long(path, mode)
    except DataError as exc:
        expected = _error(exc)
    if expected is not None:
        with pytest.raises(DataError) as info:
            read_air_grid(path, parameters=REG, errors=mode)  # type: ignore[arg-type]
        assert _error(info.value) == expected
        return
    grid = read_air_grid(path, parameters=REG, errors=mode)  # type: ignore[arg-type]
    assert [str(i) for i in grid.issues] == issues
    assert grid.notes() == cols.notes()
    again = grid.to_columns()
    assert again.site_names == cols.site_names
    assert np.array_equal(again.site, cols.site) and np.array_equal(again.time, cols.time)
    assert again.values.keys() == cols.values.keys()
    for p in cols.values:
        assert np.array_equal(again.values[p], cols.values[p], equal_nan=True)
        assert np.array_equal(again.from_daily[p], cols.from_daily[p])
    if not len(cols):
        return
    for period in ("year", "month"):
        for county in (False, True):
            a = air_stats_records(cols, period=period, county=county)  # type: ignore[arg-type]
            b = grid_stats_records(grid, period=period, county=county)  # type: ignore[arg-type]
            assert dumps(a) == dumps(b)
    for kind, method in aqi:
        a2 = aqi_records(cols, kind=kind, hourly_method=method)  # type: ignore[arg-type]
        b2 = list(iter_aqi_records(grid, kind=kind, hourly_method=method))  # type: ignore[arg-type]
        assert dumps(a2) == dumps(b2)


@pytest.mark.parametrize("name", [*sorted(FILES), "random 1", "random 2"])
@pytest.mark.parametrize("mode", ["raise", "report"])
@pytest.mark.parametrize("batch", [None, 200])
def test_grid_path_equals_long_path(
    name: str, mode: str, batch: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _random_file(int(name[-1])) if name.startswith("random") else FILES[name]
    path = tmp_path / "obs.csv"
    path.write_text(text, encoding="utf-8")
    if batch is not None:
        monkeypatch.setattr(_arrow, "DEFAULT_BATCH_BYTES", batch)
    _compare(path, mode, aqi=ALL_AQI if batch is None else [])


def test_example_file_and_a_settable_span(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _compare(EXAMPLE, "raise", aqi=[("daily", "published"), ("hourly", "strict")])
    path = tmp_path / "obs.csv"
    path.write_text(FILES["two years"], encoding="utf-8")
    monkeypatch.setattr(air_module, "MAX_SPAN_YEARS", 0)
    _compare(path, "raise")


def test_air_stats_and_aqi_write_parquet_and_stream_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "stats.parquet"
    assert main(["air-stats", str(EXAMPLE), "--county", "-f", "parquet", "-o", str(out)]) == 0
    assert main(["air-stats", str(EXAMPLE), "--county", "-f", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    table = pq.read_table(out)
    assert table.num_rows == len(stats) and table.column("site").to_pylist() == [r["site"] for r in stats]
    assert table.schema.metadata[b"envplan.schema_version"] == str(stats[0]["schema_version"]).encode()

    aqi = tmp_path / "aqi.parquet"
    assert main(["aqi", str(EXAMPLE), "-f", "parquet", "-o", str(aqi)]) == 0
    assert main(["aqi", str(EXAMPLE), "-f", "json"]) == 0
    streamed = capsys.readouterr().out
    grid = read_air_grid(EXAMPLE, parameters=REG)
    records = aqi_records(grid.to_columns())
    assert streamed == dumps([{"schema_version": stats[0]["schema_version"], **r} for r in records])
    rows = pq.read_table(aqi).to_pylist()
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        for key, value in record.items():
            got = row[key]
            assert (dict(got) if key in ("iaqi", "substitutions", "concentrations") else got) == value


def test_parquet_needs_output_and_a_folder_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["aqi", str(EXAMPLE), "-f", "parquet"]) == 2
    assert "give --output PATH" in capsys.readouterr().err
    folder = tmp_path / "obs"
    (folder / "year=2023").mkdir(parents=True)
    obs = read_observations(EXAMPLE, parameters=REG).to_frame()
    obs["unit"] = np.where(obs["parameter"] == "CO", "mg/m3", np.where(obs["parameter"] == "dust_fall", "t/(km^2*month)", "ug/m3"))
    obs = obs[["site", "parameter", "time", "value", "unit"]]
    obs = obs[obs["parameter"] != "dust_fall"]
    obs.to_parquet(folder / "year=2023" / "a.parquet")
    assert main(["air-stats", str(folder), "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)


def test_progress_shows_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from envplan_core.render import progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    quiet = io.StringIO()
    with Progress(quiet, "reading", total=10) as bar:
        bar.advance(10)
    assert quiet.getvalue() == ""
    monkeypatch.setattr(progress, "DELAY", 0.0)
    screen = Terminal()
    with Progress(screen, "reading", total=10) as bar:
        bar.advance(5)
        bar.advance(5)
    with Progress(screen, "rows", unit="rows") as bar:
        bar.advance(3)
    assert "reading" in screen.getvalue()

"""The lean parts of the streaming air path (issue 12, peak memory ≤ the CSV size): MDA8 computed in
place gives running_mean's numbers bit for bit; the grid store grows without moving values and hands its
matrix over without a copy; a batch is scattered run by run and the same rows are duplicates; recycled
CSV chunk buffers never show bytes of an earlier chunk."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from envplan_core.analysis import air_grid
from envplan_core.analysis.air_grid import read_air_grid
from envplan_core.data import _arrow
from envplan_core.errors import DataError
from envplan_core.standards import default_parameters, hj663

REG = default_parameters()
HEAD = "site,parameter,time,value,unit"


def _mda8_reference(hourly: np.ndarray) -> hj663.Daily:
    """MDA8 as it was written before: from running_mean's value and validity."""
    run = hj663.running_mean(hourly, 8, min_valid=hj663.MIN_HOURS_PER_8H)
    values = hj663._by_day(run.value)[:, :, 7:]
    valid = hj663._by_day(run.valid.astype(np.float64))[:, :, 7:] > 0
    count = valid.sum(axis=-1, dtype=np.int64)
    top = np.where(valid, values, -np.inf).max(axis=-1)
    return hj663.Daily(value=np.where(count > 0, top, np.nan), count=count, valid=count >= hj663.MIN_8H_PER_MDA8)


@pytest.mark.parametrize("seed", range(12))
def test_mda8_in_place_equals_running_mean_bit_for_bit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = rng.lognormal(3, 1, (int(rng.integers(1, 5)), 24 * int(rng.integers(1, 30)))).round(int(rng.integers(0, 3)))
    m[rng.random(m.shape) < rng.random() * 0.6] = np.nan
    if seed % 3 == 0:
        m[:, :30] = -0.0  # a window of −0.0 only: 0.0, as running_mean sums onto zeros
    want, got = _mda8_reference(m), hj663.mda8(m)
    assert np.array_equal(want.value.view(np.int64), got.value.view(np.int64))
    assert got.count.dtype == want.count.dtype and np.array_equal(want.count, got.count)
    assert np.array_equal(want.valid, got.valid)
    one = hj663.mda8(m[0])  # a single series
    assert np.array_equal(one.value, got.value[:1], equal_nan=True)


def test_mda8_still_needs_whole_days() -> None:
    with pytest.raises(ValueError, match="whole days"):
        hj663.mda8(np.ones((2, 30)))


def test_site_rows_grow_without_losing_values_and_take_without_copy() -> None:
    rng = np.random.default_rng(3)
    hours = 48
    store = air_grid._SiteRows(hours)
    dense = np.full((70, hours), np.nan)
    for top in (5, 17, 40, 70):  # sites appear batch by batch: the store grows past 16, 32, 64 rows
        gid = rng.integers(0, top, 200).astype(np.int64)
        hour = rng.integers(0, hours, 200).astype(np.int64)
        value = rng.random(200)
        taken = store.fill(gid, hour, value)
        for g, h, v, t in zip(gid.tolist(), hour.tolist(), value.tolist(), taken.tolist(), strict=True):
            assert t == (not np.isnan(dense[g, h]))  # a cell filled before (or earlier in the batch)
            if not t:
                dense[g, h] = v
    assert np.array_equal(store.get(np.arange(80), np.tile(np.arange(hours), (80, 1)))[:70], dense, equal_nan=True)
    assert np.isnan(store.get(np.asarray([75]), np.zeros((1, 3), dtype=np.int64))).all()  # never made ready
    assert np.array_equal(store.has_values(72)[:70], ~np.isnan(dense).all(axis=1))
    matrix = store.matrix
    out = store.take(np.arange(70))
    assert np.shares_memory(out, matrix) and np.array_equal(out, dense, equal_nan=True)


def test_site_rows_take_in_another_order_copies() -> None:
    store = air_grid._SiteRows(24)
    store.fill(np.asarray([0, 1, 2]), np.asarray([0, 1, 2]), np.asarray([1.0, 2.0, 3.0]))
    store.put(np.asarray([1]), np.arange(24)[None, 5:8], np.asarray([9.0]))
    out = store.take(np.asarray([2, 0, 40]))
    assert out[0, 2] == 3.0 and out[1, 0] == 1.0 and np.isnan(out[2]).all()
    assert np.isnan(out).sum() == 3 * 24 - 2


def test_pollutant_parts_runs_and_masks_cover_the_same_rows() -> None:
    pol = np.asarray([0, 0, 1, 1, 0, 2, 2, 2], dtype=np.int64)
    parts = air_grid._pollutant_parts(pol, None)
    assert [(k, s) for k, s in parts] == [(0, slice(0, 2)), (1, slice(2, 4)), (0, slice(4, 5)), (2, slice(5, 8))]
    assert air_grid._pollutant_parts(np.zeros(4, dtype=np.int64), None) == [(0, None)]
    many = np.tile(np.asarray([0, 1], dtype=np.int64), air_grid._RUNS)  # many runs: one mask each
    masks = air_grid._pollutant_parts(many, None)
    assert [k for k, _ in masks] == [0, 1] and np.array_equal(masks[0][1], many == 0)
    in_year = np.asarray([True, False, True, True, False, True, False, True])
    by_year = dict(air_grid._pollutant_parts(pol, in_year))
    assert set(by_year) == {0, 1, 2} and np.array_equal(by_year[0], in_year & (pol == 0))


def _interleaved(path: Path) -> Path:
    """SO2 and NO2 in alternating runs; the third SO2 run repeats an hour of the first."""
    lines = [HEAD]
    for block in range(4):
        for p in ("SO2", "NO2"):
            lines += [f"A,{p},2023-01-01T{h:02d}:00,{block + h},ug/m3" for h in range(block * 5, block * 5 + 5)]
    lines.append("A,SO2,2023-01-01T02:00,7,ug/m3")  # row 42 repeats row 4
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("batch_bytes", [None, 64, 300])
def test_duplicate_in_a_later_run_names_the_first_row(tmp_path: Path, batch_bytes: int | None) -> None:
    path = _interleaved(tmp_path / "runs.csv")
    with pytest.raises(DataError) as info:
        read_air_grid(path, parameters=REG, batch_bytes=batch_bytes)
    text = str(info.value)
    assert "row 42" in text and f"{path}:4" in text and "1 problem" in text
    grid = read_air_grid(path, parameters=REG, errors="report", batch_bytes=batch_bytes)
    assert [i.row for i in grid.issues] == [42]
    assert grid.values["SO2"][0, 2] == 2.0 and grid.rows_used == 40


def test_recycled_chunk_buffers_show_only_their_own_bytes(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    body = "".join(f"{'x' * int(rng.integers(1, 90))},{i}\n" for i in range(3000))
    path = tmp_path / "lines.csv"
    path.write_bytes(("a,b\n" + body).encode())
    spare: list[bytearray] = []
    pieces, owners = [], set()
    for chunk in _arrow._chunks(path, 512, spare):
        pieces.append(bytes(chunk))
        assert chunk.tobytes().endswith(b"\n")
        owner = _arrow.bytes_of(chunk)
        owners.add(id(owner))
        owner[len(chunk) :] = b"#" * (len(owner) - len(chunk))  # stale bytes past the chunk
        owner[: len(chunk)] = b"#" * len(chunk)  # and the chunk itself, once used
        spare.append(owner)
    assert b"".join(pieces).decode() == body
    assert len(pieces) > 100 and len(owners) == 1  # one buffer went round

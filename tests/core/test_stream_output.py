"""Where ``envplan aqi -f json`` writes its bytes (issue 12): straight to the binary buffer only of a file
envplan opened itself (:func:`~envplan_core.render.stream.open_text_output`) or of the process's own
stdout; a caller's text stream gets text, so that it translates line ends as it was opened to."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from envplan_core.commands.air_io import AQIBlock
from envplan_core.render import stream
from envplan_core.render.stream import RecordStream, open_text_output, write_json_records
from envplan_core.standards import hj633


def _frames() -> list[hj633.AQIFrame]:
    """Two days of one site's hours (hourly and daily frames), values with gaps."""
    rng = np.random.default_rng(7)
    n = 48
    values = {p: np.round(rng.uniform(0, 300, n), 1) for p in ("SO2", "NO2", "PM10", "PM2.5", "O3")}
    values["CO"] = np.round(rng.uniform(0, 4, n), 2)
    values["NO2"][5:9] = np.nan
    times = np.datetime64("2023-06-30T00", "h") + np.arange(n)
    return hj633.aqi_frames(np.zeros(n, dtype=np.int64), times, values, site_names=["城区站"])


def _blocks() -> RecordStream:
    memo: dict[Any, Any] = {}
    return RecordStream(blocks=[AQIBlock(frame, memo) for frame in _frames()])


def _expected() -> str:
    text = io.StringIO()
    write_json_records(text, [r for frame in _frames() for r in frame.records()])
    return text.getvalue()


def test_a_callers_stream_translates_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "crlf.json"
    with path.open("w", encoding="utf-8", newline="\r\n") as handle:
        assert write_json_records(handle, _blocks()) == sum(len(f) for f in _frames())
    expected = _expected()
    assert "\r" not in expected
    assert path.read_bytes() == expected.replace("\n", "\r\n").encode("utf-8")


def test_a_file_envplan_opens_takes_the_bytes_as_they_are(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_bytes(b"x" * 100_000)  # a file holding bytes is emptied first
    with open_text_output(path) as handle:
        assert stream._byte_writer(handle) == handle.buffer.write  # the bytes go to the buffer
        write_json_records(handle, _blocks())
    assert path.read_bytes() == _expected().encode("utf-8")
    empty = tmp_path / "empty.json"
    empty.touch()  # what CommandContext.output_file hands over
    with open_text_output(empty) as handle:
        write_json_records(handle, _blocks())
    assert empty.read_bytes() == path.read_bytes()


def test_only_the_process_stdout_takes_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    mine = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    foreign = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\r\n")
    monkeypatch.setattr(sys, "stdout", mine)
    assert stream._byte_writer(mine) == mine.buffer.write
    assert stream._byte_writer(foreign) != foreign.buffer.write
    write_json_records(foreign, _blocks())
    foreign.flush()
    assert foreign.buffer.getvalue() == _expected().replace("\n", "\r\n").encode("utf-8")  # type: ignore[attr-defined]

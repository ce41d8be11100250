"""Readers fuzzed with Hypothesis: random bytes and structured mutations of valid files.

Whatever the bytes, a reader either returns (and then every row is used or reported) or raises
:class:`DataError` — never another exception, never a hang. Example counts are bounded so the suite
stays fast.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envplan_core.data.inventory import read_inventory
from envplan_core.data.observations import read_observations
from envplan_core.data.progress import read_progress
from envplan_core.errors import DataError
from envplan_core.standards import default_parameters

FUZZ = settings(max_examples=int(os.environ.get("ENVPLAN_FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
PARAMETERS = default_parameters()
HEADER = "site,parameter,time,value,unit"
VALID_ROWS = [
    "杨赵桥,COD,2023-05-10,18,mg/L",
    "杨赵桥,氨氮,2023-05-10,<0.05,mg/L",
    "城区监测站,PM2.5,2023-05-10T14:00,35,µg/m³",
    "城区监测站,SO2,2023-05-10T15:00+08:00,12,ug/m3",
    "西曲村,溶解氧,2023-06,7.5,mg/L",
]


def _write(data: bytes, suffix: str) -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)  # noqa: SIM115 - closed at once
    handle.write(data)
    handle.close()
    return Path(handle.name)


def _rows_in(data: bytes) -> int:
    """Data lines of a CSV as a person counts them (non-blank lines after the header)."""
    lines = data.decode("utf-8", errors="replace").split("\n")  # CSV rows end in \n only (not \x1e …)
    return sum(1 for line in lines[1:] if line.strip(", \t"))


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_into_the_observation_reader(data: bytes) -> None:
    path = _write(data, ".csv")
    try:
        read_observations(str(path), parameters=PARAMETERS, errors="report")
    except DataError:
        pass
    finally:
        path.unlink()


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from([".yaml", ".json", ".csv"]))
def test_random_bytes_into_the_inventory_reader(data: bytes, suffix: str) -> None:
    path = _write(data, suffix)
    try:
        read_inventory(path)
    except DataError:
        pass
    finally:
        path.unlink()


@FUZZ
@given(st.binary(max_size=1000))
def test_random_bytes_into_the_progress_reader(data: bytes) -> None:
    path = _write(data, ".csv")
    try:
        read_progress(str(path))
    except DataError:
        pass
    finally:
        path.unlink()


_cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "ND", "<0", "-1", "1e309", "nan", "2023-02-30", "9999-12-31", "mg/kg", "，", "\t"]),
)


@FUZZ
@given(
    st.lists(st.sampled_from(VALID_ROWS), min_size=1, max_size=8),
    st.data(),
)
def test_mutated_valid_files_use_or_report_every_row(rows: list[str], data: st.DataObject) -> None:
    """A valid file with some cells replaced: every row is used or reported (rows in = used + reported)."""
    grid = [row.split(",") for row in rows]
    for _ in range(data.draw(st.integers(0, 3))):
        r = data.draw(st.integers(0, len(grid) - 1))
        c = data.draw(st.integers(0, 4))
        # Line breaks and quotes change what a CSV row is (a quoted field may span lines): the row count
        # below is of lines, so those stay out; the quote cases have their own tests.
        grid[r][c] = data.draw(_cell).replace("\n", " ").replace("\r", " ").replace('"', "'")
    body = "\n".join([HEADER, *(",".join(cells) for cells in grid)]) + "\n"
    path = _write(body.encode("utf-8"), ".csv")
    try:
        obs = read_observations(str(path), parameters=PARAMETERS, errors="report")
    except DataError:
        return
    finally:
        path.unlink()
    reported = {issue.row for issue in obs.issues}
    assert len(obs) + len(reported) >= _rows_in(body.encode()) - 0  # nothing silently dropped

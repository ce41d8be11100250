"""Progress intake: statuses in both languages, dates, duplicates, problems with file/row/column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envplan_core.data.progress import Progress, ProgressEntry, read_progress
from envplan_core.errors import DataError

CSV = """task,status,date,note
water.task.5,in_progress,2023-06-30,monitoring stations ordered
water.task.5#1,done,2023-09-15,
water.task.5,done,2023-11-20,all 11 stations running
air.task.2,not_started,2023-05-01,
water.task.50,done,2023-05-01,a different task
"""


def test_reads_csv_and_groups_by_task(tmp_path: Path) -> None:
    path = tmp_path / "progress.csv"
    path.write_text(CSV, encoding="utf-8")
    progress = read_progress(path)
    assert len(progress) == 5
    assert progress.issues == ()
    first = progress.entries[0]
    assert first == ProgressEntry("water.task.5", "in_progress", dt.date(2023, 6, 30),
                                  "monitoring stations ordered", f"{path}:2")
    tasks = progress.for_task("water.task.5")
    assert [(e.task, e.date) for e in tasks] == [
        ("water.task.5", dt.date(2023, 6, 30)), ("water.task.5#1", dt.date(2023, 9, 15)),
        ("water.task.5", dt.date(2023, 11, 20))]
    latest = progress.latest("water.task.5", as_of=dt.date(2023, 10, 1))
    assert latest is not None
    assert latest.task == "water.task.5#1"
    assert progress.latest("nothing") is None


def test_chinese_headers_statuses_and_gbk(tmp_path: Path) -> None:
    path = tmp_path / "进展.csv"
    path.write_bytes(("任务,状态,日期,备注\n"
                      "t1,已完成,2023-03-01,验收\n"
                      "t2,进行中,2023/3/2,\n"
                      "t3,未启动,2023-03-03,\n"
                      "t4,完成,2023-03-04,\n"
                      "t5,推进中,2023-03-05,\n"
                      "t6,未开始,2023-03-06,\n").encode("gbk"))
    progress = read_progress(path)
    assert [e.status for e in progress.entries] == [
        "done", "in_progress", "not_started", "done", "in_progress", "not_started"]
    assert progress.entries[1].date == dt.date(2023, 3, 2)
    assert progress.entries[0].note == "验收"


def test_xlsx_and_dataframe(tmp_path: Path) -> None:
    frame = pd.DataFrame({"task": ["t1", "t2"], "status": ["done", "In Progress"],
                          "date": [dt.date(2023, 1, 5), "2023-02-01"], "note": ["", "x"]})
    path = tmp_path / "p.xlsx"
    frame.to_excel(path, index=False)
    from_xlsx = read_progress(path)
    from_frame = read_progress(frame)
    assert [(e.task, e.status, e.date) for e in from_xlsx.entries] == [
        (e.task, e.status, e.date) for e in from_frame.entries]
    assert from_frame.entries[1].source == "<DataFrame>:3"
    assert from_xlsx.entries[0].date == dt.date(2023, 1, 5)


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("t9,finished?,2023-01-01,", "status", "unknown status 'finished?'"),
        ("t9,,2023-01-01,", "status", "empty required cell"),
        (",done,2023-01-01,", "task", "empty required cell"),
        ("t9,done,2023-02-30,", "date", "malformed date '2023-02-30'"),
        ("t9,done,,", "date", "empty required cell"),
        ("t1,in_progress,2023-01-01,again", "date", "already reported at p.csv:2"),
    ],
)
def test_problems_name_file_row_and_column(tmp_path: Path, row: str, column: str, reason: str) -> None:
    path = tmp_path / "p.csv"
    path.write_text(f"task,status,date,note\nt1,done,2023-01-01,\n{row}\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_progress(path, name="p.csv")
    assert (info.value.file, info.value.row, info.value.column) == ("p.csv", 3, column)
    assert reason in str(info.value)
    reported = read_progress(path, name="p.csv", errors="report")
    assert len(reported.entries) == 1
    (issue,) = reported.issues
    assert (issue.file, issue.row, issue.column) == ("p.csv", 3, column)


def test_missing_and_extra_columns() -> None:
    with pytest.raises(DataError, match="missing required column 'date'"):
        read_progress(pd.DataFrame({"task": ["a"], "status": ["done"]}))
    extra = pd.DataFrame({"task": ["a"], "status": ["done"], "date": ["2023-01-01"], "owner": ["x"]})
    with pytest.raises(DataError, match="unknown column 'owner'"):
        read_progress(extra)
    assert len(read_progress(extra, ignore_extra_columns=True)) == 1


def test_blank_rows_and_merge(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    text = "task,status,date,note\nt1,done,2023-01-01,\n,,,\nt2,done,2023-01-02,\n"
    path.write_text(text, encoding="utf-8")
    progress = read_progress(path)
    assert [e.source.rsplit(":", 1)[1] for e in progress.entries] == ["2", "4"]
    merged = Progress.merge([progress, progress])
    assert len(merged) == 4


STATUS = st.sampled_from(["done", "in_progress", "not_started", "已完成", "bogus", ""])
DATE = st.sampled_from(["2023-01-01", "2023-01-02", "2023-13-01", "", "soon"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["t1", "t2", ""]), STATUS, DATE), min_size=1, max_size=30))
def test_no_row_is_dropped_silently(rows: list[tuple[str, str, str]]) -> None:
    frame = pd.DataFrame(rows, columns=["task", "status", "date"])
    blank = sum(all(not c for c in r) for r in rows)
    progress = read_progress(frame, errors="report")
    assert len(progress.entries) + len(progress.issues) == len(rows) - blank

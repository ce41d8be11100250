"""Issue 10: progress rows that name no task (or no milestone of it) are errors, tasks by number (also in
Chinese numerals), exact unused-row counts."""

from __future__ import annotations

import textwrap
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_engine import PLAN_YAML, make_plugin

import envplan_core as ep
from envplan_core.findings import Report, UnusedSummary

SECOND_PLAN = textwrap.dedent(
    """
    id: other-2023
    title_zh: 另一计划
    title_en: Another plan
    year: 2023
    document: 测试〔2023〕2号
    issued: 2023-08-18
    tasks:
      - id: other.task.1
        number: "1"
        title_zh: 另一任务
        title_en: Another task
        responsibilities: [{lead: [县水利局]}]
        deadlines: [{kind: date, date: 2023-06-30}]
        citation: {part: 重点任务, clause: "1", text: 另一任务}
    """
)


def _second_plugin() -> types.ModuleType:
    mod = types.ModuleType("other_plugin")

    @ep.hookimpl
    def envplan_plans() -> list[ep.Plan]:
        return [ep.load_plan_text(SECOND_PLAN, source="other_plugin/plan.yaml")]

    mod.envplan_plans = envplan_plans  # type: ignore[attr-defined]
    return mod


@pytest.fixture(scope="module")
def engine() -> ep.Engine:
    return ep.load(plugins=[make_plugin(), _second_plugin()])


def _progress(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "progress.csv"
    path.write_text("task,status,date,note\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_task_no_plan_has_is_an_error_naming_file_row_and_nearest_ids(
    engine: ep.Engine, tmp_path: Path
) -> None:
    path = _progress(tmp_path, "demo.task.2,in_progress,2023-06-01,", "demo.task.21,done,2023-09-30,")
    with pytest.raises(ep.DataError) as err:
        engine.evaluate(progress=path, as_of="2023-12-31")
    assert err.value.file == str(path) and err.value.row == 3 and err.value.column == "task"
    assert "demo.task.21" in str(err.value) and "nearest: demo.task.2, demo.task.1" in str(err.value)


def test_a_task_of_a_loaded_plan_not_selected_is_unused(engine: ep.Engine, tmp_path: Path) -> None:
    path = _progress(tmp_path, "other.task.1,done,2023-06-01,")
    report = engine.evaluate(progress=path, as_of="2023-12-31", plans=["demo-2023"])
    assert [u.reason for u in report.unused] == ["task 'other.task.1' is not a task of any selected plan"]


@pytest.mark.parametrize("written", ["1", "第1条", "第 1 条", "第１条", "1#1", "第一条", "一", "第一条#1"])
def test_a_task_by_number_with_one_plan_selected(engine: ep.Engine, tmp_path: Path, written: str) -> None:
    path = _progress(tmp_path, f"{written},done,2023-09-30,")
    report = engine.evaluate(progress=path, as_of="2023-12-31", plans=["demo-2023"])
    task = next(f for f in report.findings if f.id == "demo.task.1")
    assert task.status is ep.Status.DONE
    assert task.evidence == (f"{path}:2",)


def test_a_task_by_number_with_several_plans_selected_asks_for_the_full_id(
    engine: ep.Engine, tmp_path: Path
) -> None:
    path = _progress(tmp_path, "第1条,done,2023-09-30,")
    with pytest.raises(ep.DataError, match=r"2 plans are selected.*demo\.task\.1, other\.task\.1") as err:
        engine.evaluate(progress=path, as_of="2023-12-31")
    assert err.value.row == 2


def test_a_number_the_plan_does_not_have(engine: ep.Engine, tmp_path: Path) -> None:
    path = _progress(tmp_path, "第5条,done,2023-09-30,")
    with pytest.raises(ep.DataError, match=r"nearest: demo\.task\.2, demo\.task\.1"):
        engine.evaluate(progress=path, as_of="2023-12-31", plans=["demo"])


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("五", 5), ("十", 10), ("十五", 15), ("二十", 20), ("二十三", 23), ("两", 2), ("一百零二", 102)],
)
def test_chinese_numerals_as_plans_number_their_clauses(text: str, value: int) -> None:
    from envplan_core.engine import chinese_number

    assert chinese_number(text) == value


@pytest.mark.parametrize("text", ["", "五五", "十十", "甲", "十五条"])
def test_what_is_not_a_chinese_numeral(text: str) -> None:
    from envplan_core.engine import chinese_number

    assert chinese_number(text) is None


@pytest.mark.parametrize("written", ["demo.task.1#2", "第一条#2", "1#0"])
def test_a_milestone_the_task_does_not_have_is_an_error(engine: ep.Engine, tmp_path: Path, written: str) -> None:
    path = _progress(tmp_path, "demo.task.2,in_progress,2023-06-01,", f"{written},done,2023-09-30,")
    with pytest.raises(ep.DataError, match=r"does not exist; task demo\.task\.1 has 1 deadline") as err:
        engine.evaluate(progress=path, as_of="2023-12-31", plans=["demo"])
    assert err.value.file == str(path) and err.value.row == 3 and err.value.column == "task"


def _unmatched_rows(n: int) -> pd.DataFrame:
    sites = np.where(np.arange(n) % 3 == 0, "别处甲", "别处乙")
    return pd.DataFrame(
        {
            "site": sites,
            "parameter": np.where(np.arange(n) % 2 == 0, "PM2.5", "SO2"),
            "time": [f"{t}:00" for t in (np.datetime64("2020-01-01T00", "h") + np.arange(n)).astype(str)],
            "value": 10.0,
            "unit": "ug/m3",
        }
    )


def test_unused_counts_are_exact_and_examples_are_real_rows(engine: ep.Engine) -> None:
    n = 60_000
    report = engine.evaluate(observations=_unmatched_rows(n), as_of="2023-12-31", plans=["demo"])
    summary = report.unused_counts()
    assert summary.total == n
    assert summary.by_site == {"别处乙": 40_000, "别处甲": 20_000}
    assert summary.by_parameter == {"PM2.5": 30_000, "SO2": 30_000}
    assert summary.by_column == {"site": n}
    assert summary.shown == len(report.unused) == 20
    assert all(u.column == "site" and u.row >= 2 for u in report.unused)
    assert not any("more" in u.reason for u in report.unused)  # no pretend row
    data = report.to_dict()
    assert data["unused_summary"]["total"] == n
    assert len(data["unused"]) == 20
    again = Report.from_dict(data)
    assert again.unused_counts() == summary


def test_unused_examples_is_settable(engine: ep.Engine) -> None:
    report = engine.evaluate(observations=_unmatched_rows(50), as_of="2023-12-31", unused_examples=3)
    assert len(report.unused) == 3 and report.unused_counts().total == 50
    report = engine.evaluate(observations=_unmatched_rows(50), as_of="2023-12-31", unused_examples=0)
    assert report.unused == () and report.unused_counts().shown == 0


def test_a_report_without_a_summary_counts_its_list() -> None:
    issue = ep.findings.Issue("p.csv", 3, "date", "dated later")
    import datetime as dt

    report = Report(as_of=dt.date(2023, 12, 31), plans=(), findings=(), unused=(issue,))
    assert report.unused_counts() == UnusedSummary(total=1, by_column={"date": 1}, shown=1)


def test_plan_yaml_used_here_is_the_shared_one() -> None:
    assert "demo.task.1" in PLAN_YAML

"""Checks the plan plugins' tests share (imported by ``tests/plugins/<plan>/test_*.py``; the folder is put
on ``sys.path`` by ``tests/plugins/conftest.py``). What a 2024 plan plugin's own tests would want is in the
testing kit (``envplan_core.testing``); these are the conventions of the 2023 plans shipped here.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

import pytest

from envplan_core import DeadlineKind, Plan, Report, Task
from envplan_core.testing.plan_text import section

#: The text of 新政办发〔2023〕14号, the notice of the four plans, when present (``ENVPLAN_SEED``).
SEED = Path(os.environ.get("ENVPLAN_SEED", "/work/shared/seed/000_1a3a67b7a1f5494e.txt"))
SYNTHETIC = "合成示例数据"


def assert_complete_and_cited(report: Report, citation_plan: str) -> None:
    """Every finding cites the plan (``citation_plan``) with its text, names a lead unit and says itself
    in Chinese and English."""
    for f in report.findings:
        assert f.citation.plan == citation_plan, f.id
        assert f.citation.text, f.id
        assert f.lead, f.id
        assert f.message_zh and f.message_en, f.id


def assert_labelled_synthetic(examples: Path, tables: Iterable[str]) -> None:
    """The example folder says it is synthetic: its README (合成, synthetic), the first line of
    ``inventory.yaml`` and the ``note`` of every row of the CSV ``tables`` (合成示例数据)."""
    readme = (examples / "README.md").read_text(encoding="utf-8")
    assert "合成" in readme and "synthetic" in readme.lower()
    assert SYNTHETIC in (examples / "inventory.yaml").read_text(encoding="utf-8").splitlines()[0]
    for name in tables:
        with (examples / name).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert rows, name
        assert all(SYNTHETIC in row["note"] for row in rows), name


def seed_section(start: str, end: str, *, after: str | None = None) -> list[str]:
    """The lines of one plan's section of the notice's text (:data:`SEED`) from the line ``start`` to the
    line ``end`` (:func:`envplan_core.testing.plan_text.section`); skips the test when the file is absent."""
    if not SEED.is_file():
        pytest.skip(f"seed text not present at {SEED} (set ENVPLAN_SEED)")
    return section(SEED.read_text(encoding="utf-8"), start, end, after=after)


def assert_deadlines_follow(task: Task, clause: str, stated: set[dt.date], continuing: Iterable[str]) -> None:
    """A task's deadlines follow from its clause: it has one; every date the clause states (``stated``) is
    a due date; an ongoing deadline has a word of a standing duty (``continuing``) in the clause; a dated
    deadline the clause does not state is due at the end of the plan year and says it was inferred."""
    assert task.deadlines, f"task {task.number} has no deadline"
    dues = {d.due for d in task.deadlines if d.due is not None}
    assert stated <= dues, f"task {task.number}: dates in the text {stated} vs deadlines {dues}"
    for d in task.deadlines:
        if d.kind is DeadlineKind.ONGOING:
            assert any(word in clause for word in continuing), f"task {task.number}: ongoing without a word for it"
        elif d.due not in stated:
            # No date in the text: due at the end of the plan year, and the deadline says it was inferred.
            assert d.due == dt.date(2023, 12, 31), task.number
            assert "计划年度" in d.text, task.number


def item_statuses(report: Report, plan: Plan) -> dict[str, set[str]]:
    """The statuses of each target and rule of ``plan`` in ``report`` (an empty set: no finding)."""
    return {
        item.id: {f.status.value for f in report.findings if f.id == item.id} for item in (*plan.targets, *plan.rules)
    }

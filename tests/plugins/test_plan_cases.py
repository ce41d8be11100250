"""What the declarative cases shipped beside the soil and groundwater plans cover, and that they run:
at least ten cases per plan, the tasks done, done late, open, overdue and ongoing, passing from Python and
in ``envplan check``. They run as tests by themselves too (pytest collects ``plugins/``). Each plan's own
module (``<plan>/test_<plan>_cases.py``) checks its case files and that every target and rule is covered.
"""

from __future__ import annotations

import pytest

from envplan_core.conformance import find_case_files, load_case_file
from envplan_core.findings import Status
from envplan_core.plugin import package_path
from envplan_core.testing import case_statuses, check_plugins, load_engine, run_cases

TASK_STATUSES = {Status.DONE, Status.DONE_LATE, Status.OPEN, Status.OVERDUE, Status.ONGOING}
PLANS = ["groundwater", "soil"]


@pytest.mark.parametrize("plan", PLANS)
def test_at_least_ten_cases(plan: str) -> None:
    files = find_case_files(package_path(f"envplan_{plan}", "cases"))
    assert sum(len(load_case_file(f).cases) for f in files) >= 10


@pytest.mark.parametrize("plan", PLANS)
def test_the_cases_cover_the_task_statuses(plan: str) -> None:
    task_ids = {t.id for t in load_engine(f"envplan_{plan}").catalog.plan(f"{plan}-2023").tasks}
    expected = case_statuses(package_path(f"envplan_{plan}", "cases"))
    seen = {s for fid, statuses in expected.items() if fid in task_ids for s in statuses}
    assert seen >= TASK_STATUSES


@pytest.mark.parametrize("plan", PLANS)
def test_the_cases_pass_from_python(plan: str) -> None:
    results = run_cases(package_path(f"envplan_{plan}", "cases"))
    assert len(results) >= 10
    assert all(r.passed for r in results), "\n\n".join(r.render() for r in results if not r.passed)


@pytest.mark.parametrize("plan", PLANS)
def test_envplan_check_runs_the_cases(plan: str) -> None:
    report = check_plugins(f"envplan_{plan}", examples=False)
    cases = [r for r in report.results if r.check == "cases"]
    assert cases and all(r.status == "pass" for r in cases), report.render()
    assert report.ok, report.render()

"""The declarative cases shipped beside the soil plan (plugins/soil/envplan_soil/cases/*.envplan.yaml).

They run as tests by themselves (pytest collects ``plugins/``) and in ``envplan check soil``; this module
checks what they cover: at least ten cases, every target and rule met, not met and with insufficient data,
tasks done, done late, open, overdue and ongoing, and that ``envplan check`` runs them.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from envplan_core import Engine
from envplan_core.conformance import find_case_files, load_case_file
from envplan_core.findings import Status
from envplan_core.plugin import package_path
from envplan_core.testing import check_plugins, run_cases

COVERED = {Status.MET, Status.NOT_MET, Status.INSUFFICIENT_DATA}
TASK_STATUSES = {Status.DONE, Status.DONE_LATE, Status.OPEN, Status.OVERDUE, Status.ONGOING}

#: Items whose evaluator cannot give met, not met and insufficient data, and the statuses it can give.
#: Empty: every target and rule of the soil plan can give all three.
EXCEPTIONS: dict[str, set[Status]] = {}


def _files() -> list[Path]:
    return find_case_files(package_path("envplan_soil", "cases"))


def _expected() -> dict[str, set[Status]]:
    out: dict[str, set[Status]] = defaultdict(set)
    for file in _files():
        for case in load_case_file(file).cases:
            for e in case.expect:
                out[e.id].add(e.status)
    return out


def test_the_cases_ship_inside_the_package() -> None:
    files = _files()
    assert {f.name for f in files} >= {
        "examples.envplan.yaml",
        "parcels.envplan.yaml",
        "farmland.envplan.yaml",
        "duties.envplan.yaml",
        "tasks.envplan.yaml",
    }
    assert all(load_case_file(f).plugins == ("envplan_soil",) for f in files)
    assert (package_path("envplan_soil", "cases") / "data" / "README.md").is_file()


def test_at_least_ten_cases() -> None:
    assert sum(len(load_case_file(f).cases) for f in _files()) >= 10


def test_the_cases_cover_every_target_and_rule(engine: Engine) -> None:
    plan = engine.catalog.plan("soil-2023")
    expected = _expected()
    missing = {}
    for item in (*plan.targets, *plan.rules):
        wanted = EXCEPTIONS.get(item.id, COVERED)
        if not wanted <= expected[item.id]:
            missing[item.id] = sorted(s.value for s in wanted - expected[item.id])
    assert missing == {}, "targets and rules without a case for these statuses"


def test_the_cases_cover_the_task_statuses(engine: Engine) -> None:
    plan = engine.catalog.plan("soil-2023")
    task_ids = {t.id for t in plan.tasks}
    seen = {s for fid, statuses in _expected().items() if fid in task_ids for s in statuses}
    assert seen >= TASK_STATUSES


def test_the_cases_pass_from_python() -> None:
    results = run_cases(package_path("envplan_soil", "cases"))
    assert len(results) >= 10
    assert all(r.passed for r in results), "\n\n".join(r.render() for r in results if not r.passed)


def test_envplan_check_runs_the_cases() -> None:
    report = check_plugins("envplan_soil", examples=False)
    cases = [r for r in report.results if r.check == "cases"]
    assert cases and all(r.status == "pass" for r in cases), report.render()
    assert report.ok, report.render()


@pytest.mark.parametrize("name", ["farmland_two_inventories.yaml", "checks_all_clear.yaml"])
def test_the_case_data_is_marked_synthetic(name: str) -> None:
    text = (package_path("envplan_soil", "cases") / "data" / name).read_text(encoding="utf-8")
    assert "合成案例数据 SYNTHETIC" in text.splitlines()[0]

"""The declarative cases shipped beside the soil plan (plugins/soil/envplan_soil/cases/*.envplan.yaml).

They run as tests by themselves (pytest collects ``plugins/``) and in ``envplan check soil``; this module
checks the case files, their synthetic data, and that every target and rule is met, not met and with
insufficient data in some case; ``tests/plugins/test_plan_cases.py`` checks the rest (ten cases, the task
statuses, running them).
"""

from __future__ import annotations

import pytest

from envplan_core import Plan
from envplan_core.conformance import find_case_files, load_case_file
from envplan_core.findings import Status
from envplan_core.plugin import package_path
from envplan_core.testing import missing_case_statuses

CASES = package_path("envplan_soil", "cases")

#: Items whose evaluator cannot give met, not met and insufficient data, and the statuses it can give.
#: Empty: every target and rule of the soil plan can give all three.
EXCEPTIONS: dict[str, set[Status]] = {}


def test_the_cases_ship_inside_the_package() -> None:
    files = find_case_files(CASES)
    assert {f.name for f in files} >= {
        "examples.envplan.yaml",
        "parcels.envplan.yaml",
        "farmland.envplan.yaml",
        "duties.envplan.yaml",
        "tasks.envplan.yaml",
    }
    assert all(load_case_file(f).plugins == ("envplan_soil",) for f in files)
    assert (CASES / "data" / "README.md").is_file()


def test_the_cases_cover_every_target_and_rule(plan: Plan) -> None:
    missing = missing_case_statuses(plan, CASES, exceptions=EXCEPTIONS)
    assert missing == {}, "targets and rules without a case for these statuses"


@pytest.mark.parametrize("name", ["farmland_two_inventories.yaml", "checks_all_clear.yaml"])
def test_the_case_data_is_marked_synthetic(name: str) -> None:
    text = (CASES / "data" / name).read_text(encoding="utf-8")
    assert "合成案例数据 SYNTHETIC" in text.splitlines()[0]

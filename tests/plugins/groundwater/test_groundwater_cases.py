"""The declarative cases shipped beside the groundwater plan (plugins/groundwater/envplan_groundwater/cases/).

They run as tests by themselves (pytest collects ``plugins/``) and in ``envplan check groundwater``; this
module checks the case files and that every target and rule is met, not met and with insufficient data in
some case — or, where the plan cannot give one, the statuses it can (:data:`EXCEPTIONS`);
``tests/plugins/test_plan_cases.py`` checks the rest (ten cases, the task statuses, running them).
"""

from __future__ import annotations

from envplan_core import Plan
from envplan_core.conformance import find_case_files, load_case_file
from envplan_core.findings import Status
from envplan_core.plugin import package_path
from envplan_core.testing import missing_case_statuses

CASES = package_path("envplan_groundwater", "cases")

#: Items whose evaluator cannot give met, not met and insufficient data, and the statuses that stand in.
EXCEPTIONS: dict[str, set[Status]] = {
    # 不低于Ⅴ类: GB/T 14848-2017 has no class worse than Ⅴ, so every point that can be classified meets it;
    # the targets fail only on thin data (docs/plans/groundwater-text-notes.md § Targets).
    "groundwater.regional_points.class": {Status.MET, Status.INSUFFICIENT_DATA},
    "groundwater.risk_points.class": {Status.MET, Status.INSUFFICIENT_DATA},
}


def test_the_cases_ship_inside_the_package() -> None:
    files = find_case_files(CASES)
    assert {f.name for f in files} >= {
        "examples.envplan.yaml",
        "points.envplan.yaml",
        "registers.envplan.yaml",
        "tasks.envplan.yaml",
    }
    assert all(load_case_file(f).plugins == ("envplan_groundwater",) for f in files)


def test_the_cases_cover_every_target_and_rule(plan: Plan) -> None:
    missing = missing_case_statuses(plan, CASES, exceptions=EXCEPTIONS)
    assert missing == {}, "targets and rules without a case for these statuses"


def test_the_exceptions_cannot_be_not_met(plan: Plan) -> None:
    """The exceptions are the plan's class Ⅴ targets (a class worse than Ⅴ does not exist)."""
    by_id = {t.id: t for t in plan.targets}
    assert set(EXCEPTIONS) <= set(by_id)
    for target_id in EXCEPTIONS:
        assert [(t.comparator.value, str(t.value)) for t in by_id[target_id].thresholds] == [("class<=", "V")]

"""The declarative cases shipped beside the plans: at least ten per plan, covering every target and rule
met, not met and with insufficient data (or the statuses its evaluator can give, where it cannot give
those three), and the outside 2024 distribution carries its own. They run as tests by themselves
(pyproject testpaths collects plugins/); this module checks what they cover."""

from __future__ import annotations

from pathlib import Path

import pytest

from envplan_core.conformance import find_case_files, load_case_file
from envplan_core.findings import Status
from envplan_core.testing import check_plugin, load_engine, missing_case_statuses

ROOT = Path(__file__).resolve().parents[2]
COVERED = {Status.MET, Status.NOT_MET, Status.INSUFFICIENT_DATA}

#: Items whose evaluator cannot say met/not met in some situation the plan text leaves open, and the
#: statuses that stand in for it. Each entry says why.
EXCEPTIONS: dict[str, set[Status]] = {
    # 推动…淘汰 sets no date: vehicles still in use are listed not_applicable, never not_met.
    "air.rule.diesel_truck_china4": {Status.MET, Status.NOT_APPLICABLE, Status.INSUFFICIENT_DATA},
    "air.rule.gas_truck_lean_burn": {Status.MET, Status.NOT_APPLICABLE, Status.INSUFFICIENT_DATA},
    # 2023年7-9月每日10-16时: judged per process; a county-wide "met" summary is not given.
    "air.rule.voc_staggered": {Status.MET, Status.NOT_MET, Status.INSUFFICIENT_DATA},
    # GB/T 14848 has no class worse than Ⅴ: "不低于Ⅴ类" can fail only on thin data.
    "groundwater.regional_points.class": {Status.MET, Status.INSUFFICIENT_DATA},
    "groundwater.risk_points.class": {Status.MET, Status.INSUFFICIENT_DATA},
}

SHIPPED = {"water": "water-2023", "air": "air-2023", "soil": "soil-2023", "groundwater": "groundwater-2023"}


def _cases(plugin: str) -> list[Path]:
    return find_case_files(ROOT / "plugins" / plugin / f"envplan_{plugin}" / "cases")


@pytest.mark.parametrize("plugin", sorted(SHIPPED))
def test_each_shipped_plan_has_at_least_ten_cases(plugin: str) -> None:
    files = _cases(plugin)
    assert sum(len(load_case_file(f).cases) for f in files) >= 10


@pytest.mark.parametrize("plugin", sorted(SHIPPED))
def test_the_cases_cover_every_target_and_rule(plugin: str) -> None:
    plan = load_engine(f"envplan_{plugin}").catalog.plan(SHIPPED[plugin])
    folder = ROOT / "plugins" / plugin / f"envplan_{plugin}" / "cases"
    missing = missing_case_statuses(plan, folder, statuses=COVERED, exceptions=EXCEPTIONS)
    assert missing == {}, "targets and rules without a case for these statuses"


def test_the_exceptions_are_items_of_the_plans() -> None:
    ids = {i.id for p in load_engine().plans for i in (*p.targets, *p.rules)}
    assert set(EXCEPTIONS) <= ids


def test_the_2024_example_distribution_carries_its_own_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    dist = ROOT / "examples" / "plugins" / "xinjiang2024"
    files = find_case_files(dist / "envplan_xinjiang2024")
    assert files and all(load_case_file(f).plugins == ("envplan_xinjiang2024",) for f in files)
    monkeypatch.syspath_prepend(str(dist))
    catalog = check_plugin("envplan_xinjiang2024")  # runs them, with the examples and requirements
    assert "xinjiang2024-example" in {p.id for p in catalog.plans}

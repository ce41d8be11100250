"""A testing kit for projects that build on envplan: Hypothesis strategies, assertions, conformance checks.

Hypothesis stays an optional dependency (``pip install envplan[testing]``): the strategies import it
when :mod:`envplan_core.testing.strategies` is imported, not before.

- :mod:`envplan_core.testing.strategies`: ``quantities()``, ``thresholds()``, ``deadlines()``,
  ``tasks()``, ``targets()``, ``plans()``, ``observation_frames()``.
- :func:`check_plugin`: load one plugin on its own, validate everything it registers, evaluate it on
  empty input, and return the catalog; raises the same errors the CLI would.
- pytest fixtures (``envplan_engine``, ``envplan_catalog``, ``envplan_observations``) come with the
  ``pytest11`` entry point :mod:`envplan_core._pytest_plugin`.
"""

from __future__ import annotations

import datetime as dt
from types import ModuleType
from typing import Any

from envplan_core.catalog import Catalog
from envplan_core.findings import Report, Status
from envplan_core.model import Rule, Target, Task

__all__ = ["assert_same_findings", "check_plugin", "finding_key"]


def check_plugin(plugin: ModuleType | object | str, *, as_of: dt.date | str = "2023-12-31") -> Catalog:
    """Conformance check for a plan plugin: it registers, validates, and evaluates on no data.

    Every target and rule must come back as a finding (``insufficient_data`` is fine with no input),
    every task as a task finding; an evaluator that crashes on missing data fails the check.
    """
    from envplan_core.manager import load

    engine = load(plugins=[plugin], autoload=False)
    report = engine.evaluate(as_of=as_of)
    for plan in engine.plans:
        ids = {f.id for f in report.findings if f.plan == plan.id}
        items: tuple[Target | Rule | Task, ...] = (*plan.targets, *plan.rules, *plan.tasks)
        missing = [i.id for i in items if i.id not in ids]
        if missing:
            raise AssertionError(f"{plan.id}: no finding for {missing}")
        for f in report.findings:
            if (
                f.plan == plan.id
                and f.kind != "task"
                and f.status
                not in (
                    Status.INSUFFICIENT_DATA,
                    Status.NOT_APPLICABLE,
                    Status.MET,
                    Status.NOT_MET,
                    Status.SUPERSEDED,
                )
            ):
                raise AssertionError(f"{f.id}: a target/rule finding has task status {f.status}")
    return engine.catalog


def finding_key(report: Report) -> list[tuple[Any, ...]]:
    """A comparable summary of a report's findings (order-independent, rounding-tolerant)."""

    def norm(v: Any) -> Any:
        return round(v, 6) if isinstance(v, float) else v

    return sorted(
        (f.id, f.subject, f.status.value, norm(f.value), norm(f.limit), f.unit, f.period)
        for f in report.findings
    )


def assert_same_findings(a: Report, b: Report) -> None:
    """Two reports say the same thing (ids, subjects, statuses, values and limits)."""
    ka, kb = finding_key(a), finding_key(b)
    if ka != kb:
        diff = [x for x in ka if x not in kb][:5] + [x for x in kb if x not in ka][:5]
        raise AssertionError(f"reports differ, e.g. {diff}")

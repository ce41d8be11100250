"""Fixtures for the groundwater plugin's tests: the plugin loaded on its own, its plan, the example data.

The plugin is loaded explicitly (``plugins=["envplan_groundwater"]``, no entry-point autoload), so another
plugin being broken or absent does not change what these tests see. In a source checkout whose editable
install does not put ``plugins/groundwater`` on ``sys.path``, the folder is added here.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[3]
if importlib.util.find_spec("envplan_groundwater") is None:  # editable install without plugins/groundwater
    sys.path.insert(0, str(ROOT / "plugins" / "groundwater"))

from envplan_core import Engine, Finding, Plan, Report, load  # noqa: E402 - after the path fix above
from envplan_groundwater import example_dir  # noqa: E402

PLUGIN = "envplan_groundwater"
COLUMNS = ["site", "parameter", "time", "value", "unit"]


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The groundwater plugin alone, validated (session-scoped: built once)."""
    return load(plugins=[PLUGIN], autoload=False)


@pytest.fixture(scope="session")
def plan(engine: Engine) -> Plan:
    return engine.catalog.plan("groundwater")


@pytest.fixture(scope="session")
def examples() -> Path:
    return example_dir()


@pytest.fixture(scope="session")
def evaluate_examples(engine: Engine, examples: Path) -> Callable[[str], Report]:
    """Evaluate the bundled example data as of a day (cached per day)."""
    cache: dict[str, Report] = {}

    def run(as_of: str) -> Report:
        if as_of not in cache:
            cache[as_of] = engine.evaluate(
                observations=examples / "observations.csv",
                inventory=[examples / "inventory.yaml", examples / "inventory_wells.csv"],
                progress=examples / "progress.csv",
                as_of=as_of,
                plans=["groundwater"],
            )
        return cache[as_of]

    return run


def frame(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """Observations in the long format (``site, parameter, time, value, unit``)."""
    return pd.DataFrame([list(r) for r in rows], columns=COLUMNS)


def findings(
    engine: Engine,
    item: str,
    *,
    records: Sequence[Mapping[str, Any]] = (),
    rows: Sequence[Sequence[Any]] = (),
    progress: pd.DataFrame | None = None,
    as_of: str = "2023-12-31",
) -> dict[str, Finding]:
    """The findings of one item by subject, for an inventory of ``records`` and observation ``rows``."""
    report = engine.evaluate(
        observations=frame(rows) if rows else None,
        inventory={"records": [dict(r) for r in records]} if records else None,
        progress=progress,
        as_of=as_of,
        plans=["groundwater"],
    )
    return {f.subject: f for f in report.findings if f.id == item}


ItemFindings = Callable[..., dict[str, Finding]]


@pytest.fixture
def item_findings(engine: Engine) -> ItemFindings:
    """``item_findings(item, records=…, rows=…, progress=…, as_of=…)``: :func:`findings` on the plugin."""

    def run(item: str, **kwargs: Any) -> dict[str, Finding]:
        return findings(engine, item, **kwargs)

    return run

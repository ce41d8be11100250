"""Shared set-up of the air plugin's tests: the plugin loaded on its own, the example report.

Plugins are chosen explicitly (``plugins=["envplan_air"]``), so a concurrently broken plugin of another
plan does not fail these tests. In a source checkout whose editable install predates the plugin, the
plugin folder is put on ``sys.path``; an installed wheel is used as it is.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
if importlib.util.find_spec("envplan_air") is None:  # pragma: no cover - depends on the install
    sys.path.insert(0, str(ROOT / "plugins" / "air"))

from envplan_core import Engine, Plan, Report, load  # noqa: E402 - after the sys.path fix

EXAMPLES = ROOT / "examples" / "air"


@pytest.fixture(scope="session")
def engine() -> Engine:
    return load(plugins=["envplan_air"], autoload=False)


@pytest.fixture(scope="session")
def plan(engine: Engine) -> Plan:
    return engine.catalog.plan("air")


@pytest.fixture(scope="session")
def example_report(engine: Engine) -> Report:
    from envplan_air import example_dir

    folder = example_dir()
    return engine.evaluate(
        observations=folder / "observations.csv",
        inventory=folder / "inventory.yaml",
        progress=folder / "progress.csv",
        as_of="2023-12-31",
    )

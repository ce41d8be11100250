"""Fixtures for the water plugin's tests: the plugin loaded on its own, its plan, the example data.

The plugin is loaded explicitly (``plugins=["envplan_water"]``, no entry-point autoload), so another
plugin being broken or absent does not change what these tests see. In a source checkout whose editable
install does not put ``plugins/water`` on ``sys.path``, the folder is added here; an installed wheel
needs nothing.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
if importlib.util.find_spec("envplan_water") is None:  # editable install without plugins/water on the path
    sys.path.insert(0, str(ROOT / "plugins" / "water"))

from envplan_core import Engine, Plan, Report, load  # noqa: E402 - after the path fix above
from envplan_water import example_dir  # noqa: E402

PLUGIN = "envplan_water"


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The water plugin alone, validated (session-scoped: built once)."""
    return load(plugins=[PLUGIN], autoload=False)


@pytest.fixture(scope="session")
def plan(engine: Engine) -> Plan:
    return engine.catalog.plan("water")


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
                inventory=examples / "inventory.yaml",
                progress=examples / "progress.csv",
                as_of=as_of,
                plans=["water"],
            )
        return cache[as_of]

    return run



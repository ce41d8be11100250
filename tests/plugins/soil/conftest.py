"""Fixtures for the soil plugin's tests: the plugin loaded on its own, its plan, the example data.

The plugin is loaded explicitly (``plugins=["envplan_soil"]``, no entry-point autoload), so another
plugin being broken or absent does not change what these tests see. In a source checkout whose editable
install does not put ``plugins/soil`` on ``sys.path``, the folder is added here.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
if importlib.util.find_spec("envplan_soil") is None:  # editable install without plugins/soil on the path
    sys.path.insert(0, str(ROOT / "plugins" / "soil"))

from envplan_core import Engine, Plan, Report, load  # noqa: E402 - after the path fix above
from envplan_soil import example_dir  # noqa: E402

PLUGIN = "envplan_soil"


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The soil plugin alone, validated (session-scoped: built once)."""
    return load(plugins=[PLUGIN], autoload=False)


@pytest.fixture(scope="session")
def plan(engine: Engine) -> Plan:
    return engine.catalog.plan("soil")


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
                inventory=examples / "inventory.yaml",
                progress=examples / "progress.csv",
                as_of=as_of,
                plans=["soil"],
            )
        return cache[as_of]

    return run


@pytest.fixture
def evaluate(engine: Engine) -> Callable[..., Report]:
    """Evaluate the soil plan on an inventory given as data: ``evaluate(records, values=…, as_of=…)``."""

    def run(
        records: list[Mapping[str, Any]],
        *,
        values: Mapping[str, Any] | None = None,
        as_of: str = "2023-12-31",
    ) -> Report:
        data: dict[str, Any] = {"records": list(records)}
        if values:
            data["values"] = dict(values)
        return engine.evaluate(inventory=data, as_of=as_of, plans=["soil"])

    return run

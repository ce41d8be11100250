"""Shared set-up of the plan plugins' tests: ``tests/plugins/<plan>/`` tests the plugin ``envplan_<plan>``
of ``plugins/<plan>/``, loaded on its own, so another plugin being broken or absent does not change what
these tests see.

Fixtures, each of the test's own plugin: ``plugin_name`` (``"envplan_water"``), ``engine`` (the plugin
alone, validated; built once per session by the kit's ``envplan_load``), ``plan``, ``tasks`` (the plan's
tasks by number), ``examples`` (its example folder), ``evaluate_examples`` (a report of the example files
as of a day, cached per day) and ``run`` (``envplan`` in-process with the plugin only, the kit's
``run_cli``). Helpers the plans' tests share are in ``plan_checks.py`` beside this file.

In a source checkout whose editable install does not put a plugin's folder on ``sys.path``, the folder is
added here; an installed wheel needs nothing.
"""

from __future__ import annotations

import functools
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for _folder in sorted((ROOT / "plugins").glob("*/envplan_*")):  # editable install without the plugin folder
    if _folder.is_dir() and importlib.util.find_spec(_folder.name) is None:
        sys.path.insert(0, str(_folder.parent))
if str(HERE) not in sys.path:  # plan_checks.py, whatever pytest's import mode
    sys.path.insert(0, str(HERE))

from envplan_core import Engine, Plan, Report, Task  # noqa: E402 - after the path fix above
from envplan_core.testing import CliResult, example_data, run_cli  # noqa: E402

Evaluate = Callable[[str], Report]
Run = Callable[..., CliResult]


@pytest.fixture(scope="module")
def plugin_name(request: pytest.FixtureRequest) -> str:
    """The plugin the test's folder is named after: ``tests/plugins/water/…`` → ``envplan_water``."""
    return f"envplan_{request.path.relative_to(HERE).parts[0]}"


@pytest.fixture(scope="module")
def engine(envplan_load: Callable[..., Engine], plugin_name: str) -> Engine:
    """The plugin alone, validated (built once per session)."""
    return envplan_load(plugin_name)


@pytest.fixture(scope="module")
def plan(engine: Engine, plugin_name: str) -> Plan:
    return engine.catalog.plan(plugin_name.removeprefix("envplan_"))


@pytest.fixture(scope="module")
def tasks(plan: Plan) -> dict[int, Task]:
    """The plan's tasks by number."""
    return {int(t.number): t for t in plan.tasks}


@pytest.fixture(scope="module")
def examples(engine: Engine, plugin_name: str) -> Path:
    """The plugin's example folder (hook ``envplan_example_data``)."""
    return example_data(engine).folder(plugin_name)


@pytest.fixture(scope="session")
def _example_reports() -> dict[tuple[str, str], Report]:
    return {}


@pytest.fixture(scope="module")
def evaluate_examples(
    engine: Engine, plugin_name: str, _example_reports: dict[tuple[str, str], Report]
) -> Evaluate:
    """Evaluate the plugin's example files — those ``envplan demo`` finds in its folder — with its plan
    as of a day (cached per day)."""
    inputs = example_data(engine).inputs(plugin_name)
    short = plugin_name.removeprefix("envplan_")

    def run(as_of: str) -> Report:
        key = (plugin_name, as_of)
        if key not in _example_reports:
            _example_reports[key] = engine.evaluate(**inputs, as_of=as_of, plans=[short])
        return _example_reports[key]

    return run


@pytest.fixture
def run(plugin_name: str) -> Run:
    """``run(*argv, plugins=…)``: ``envplan ARGV`` in-process with the test's plugin only (or ``plugins``),
    giving ``(code, out, err)``."""
    return functools.partial(run_cli, plugins=plugin_name)

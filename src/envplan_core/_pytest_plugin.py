"""envplan's pytest plugin (the ``pytest11`` entry point ``envplan``): fixtures and plan-case collection.

Installed with envplan, active in every pytest session of the environment (``-p no:envplan`` turns it
off). Fixtures are prefixed ``envplan_`` and import lazily, so merely having envplan installed costs a
test session nothing:

``envplan_engine`` (session)
    an engine of every installed plan plugin, validated;
``envplan_catalog`` (session)
    its catalog (plans, units, parameters, evaluators);
``envplan_load`` (session)
    ``envplan_load("envplan_water", my_plugin)``: an engine of the named plugins only (and what they
    require; no entry points), cached per set of names;
``envplan_plugin_manager``
    a new plugin manager with the core only: register plugin objects on it, then
    ``envplan_load(pm=…)`` or :func:`envplan_core.build_catalog`;
``envplan_example_data`` (session)
    :class:`~envplan_core.testing.ExampleData`, the installed plugins' synthetic example files;
``envplan_observations``
    a factory of observation DataFrames in the docs/inputs.md long format.

Every ``*.envplan.yaml`` file pytest meets is collected as declarative plan cases (one test per case,
a diff of expected and actual findings on failure); ``envplan_cases = false`` in the ini file turns it
off. The format: ``docs/testing.md`` § Declarative cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import pandas as pd
    import pluggy

    from envplan_core.catalog import Catalog
    from envplan_core.conformance.cases import Case, CaseResult
    from envplan_core.engine import Engine
    from envplan_core.testing import ExampleData

_CASE_SUFFIX = ".envplan.yaml"
_ENGINES = pytest.StashKey[dict[tuple[str, ...], Any]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "envplan_cases",
        type="bool",
        default=True,
        help="collect *.envplan.yaml files as envplan declarative plan cases (default true)",
    )


def _engine_for(config: pytest.Config, plugins: tuple[str, ...]) -> Engine:
    """An engine of ``plugins`` (every installed plugin when empty), built once per session."""
    cache = config.stash.setdefault(_ENGINES, {})
    if plugins not in cache:
        from envplan_core.testing import load_engine

        try:
            cache[plugins] = load_engine(*plugins)
        except Exception as exc:  # noqa: BLE001 - remembered, so every case of the set reports it once
            cache[plugins] = exc
    value = cache[plugins]
    if isinstance(value, Exception):
        raise value
    engine: Engine = value
    return engine


# -- fixtures ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def envplan_engine(pytestconfig: pytest.Config) -> Engine:
    """An engine with every installed plan plugin, validated (session-scoped: built once)."""
    return _engine_for(pytestconfig, ())


@pytest.fixture(scope="session")
def envplan_catalog(envplan_engine: Engine) -> Catalog:
    """The catalog of :func:`envplan_engine`: plans, responsible units, parameters, evaluators."""
    return envplan_engine.catalog


@pytest.fixture(scope="session")
def envplan_load(pytestconfig: pytest.Config) -> Callable[..., Engine]:
    """A factory of engines holding only the named plugins (and what they require), no entry points.

    ``envplan_load("envplan_water")``, ``envplan_load("water", "air")``, ``envplan_load(my_plugin)``;
    ``envplan_load(pm=plugin_manager)`` builds one from a manager you filled. Engines of plugin names are
    built once per session; plugin objects and managers get a new engine each call.
    """

    def load(*plugins: Any, pm: pluggy.PluginManager | None = None) -> Engine:
        if pm is not None:
            from envplan_core.catalog import build_catalog
            from envplan_core.engine import Engine

            return Engine(catalog=build_catalog(pm), plugin_manager=pm)
        if plugins and all(isinstance(p, str) for p in plugins):
            return _engine_for(pytestconfig, tuple(plugins))
        from envplan_core.testing import load_engine

        return load_engine(*plugins) if plugins else _engine_for(pytestconfig, ())

    return load


@pytest.fixture
def envplan_plugin_manager() -> pluggy.PluginManager:
    """A new plugin manager with the core's built-in plugin only (no entry point is loaded).

    Register plugin objects on it (``pm.register(MyPlugin(), name="mine")``) and build an engine with
    ``envplan_load(pm=pm)``; each test gets its own, so nothing leaks into other tests.
    """
    from envplan_core.manager import get_plugin_manager

    return get_plugin_manager(plugins=[], autoload=False)


@pytest.fixture(scope="session")
def envplan_example_data(envplan_engine: Engine) -> ExampleData:
    """The synthetic example files the installed plugins ship (``envplan_example_data`` hook).

    ``envplan_engine.evaluate(**envplan_example_data.inputs(), as_of="2023-12-31")`` is ``envplan demo``;
    ``envplan_example_data.folder("water") / "observations.csv"`` is one file.
    """
    from envplan_core.testing import example_data

    return example_data(envplan_engine)


@pytest.fixture
def envplan_observations() -> Callable[..., pd.DataFrame]:
    """A factory for observation frames in the docs/inputs.md long format.

    ``envplan_observations([("杨赵桥", "COD", "2023-05-10", 18, "mg/L"), ...])``
    """
    import pandas as pd

    def make(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
        frame: pd.DataFrame = pd.DataFrame(rows, columns=["site", "parameter", "time", "value", "unit"])
        return frame

    return make


# -- declarative plan cases --------------------------------------------------------------------------------


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(_CASE_SUFFIX) and parent.config.getini("envplan_cases"):
        collector: pytest.Collector = EnvplanCaseFile.from_parent(parent, path=file_path)
        return collector
    return None


class CaseFailed(Exception):
    """A declarative case whose findings differ from the expected ones."""

    def __init__(self, result: CaseResult) -> None:
        self.result = result
        super().__init__(result.summary())


class EnvplanCaseFile(pytest.File):
    """A ``*.envplan.yaml`` file: one :class:`EnvplanCaseItem` per case."""

    def collect(self) -> Iterator[EnvplanCaseItem]:
        from envplan_core.conformance.cases import CaseFileError, load_case_file

        try:
            case_file = load_case_file(self.path)
        except CaseFileError as exc:
            raise self.CollectError(f"envplan case file: {exc}") from None
        for case in case_file.cases:
            yield EnvplanCaseItem.from_parent(self, name=case.name, case=case)


class EnvplanCaseItem(pytest.Item):
    """One declarative case, evaluated with an engine of the file's ``plugins`` (all installed if none)."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        """Evaluate the case and compare; a difference raises :class:`CaseFailed`."""
        from envplan_core.conformance.cases import run_case

        engine = _engine_for(self.config, self.case.plugins)
        result = run_case(self.case, engine)
        if not result.passed:
            raise CaseFailed(result)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        """The diff of expected and actual findings (or the envplan error) instead of a traceback."""
        from envplan_core.errors import EnvplanError

        if isinstance(excinfo.value, CaseFailed):
            return excinfo.value.result.render()
        if isinstance(excinfo.value, EnvplanError):
            return f"envplan case {self.case.name!r} ({self.case.location}): {type(excinfo.value).__name__}: {excinfo.value}"
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """The case file and the case's line, for pytest's report."""
        return self.path, max(self.case.line - 1, 0), f"envplan case: {self.case.name}"

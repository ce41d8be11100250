"""The testing kit for projects that build on envplan: conformance checks, plan cases, JSON schemas,
Hypothesis strategies and pytest fixtures. ``pip install "envplan[testing]"``; ``docs/testing.md`` is the
guide.

- :func:`check_plugin` / :func:`check_plugins`: load one or several plugins on their own (with what they
  require) and check their conformance, as ``envplan check`` does;
- :func:`run_cases`, :func:`assert_cases_pass`, :func:`run_case`: declarative plan cases
  (``*.envplan.yaml``; :mod:`envplan_core.conformance.cases` describes the format);
- :func:`case_statuses`, :func:`missing_case_statuses`: what a plugin's cases cover — the statuses they
  expect per finding id, the targets and rules without a case for met, not met or insufficient data;
- :func:`load_engine`, :func:`example_data`: an engine of named plugins only; the installed plugins'
  example files;
- :func:`run_cli`: run the ``envplan`` command in-process with only the named plugins, capturing its exit
  code and output (:class:`CliResult`);
- :func:`load_schema`, :func:`validate_json`: the JSON Schemas of every JSON document the CLI writes
  (:mod:`envplan_core.testing.schemas`; needs ``jsonschema``);
- :func:`finding_key`, :func:`assert_same_findings`: compare two reports; :func:`finding_statuses`,
  :func:`task_statuses`: a report's statuses by target or rule and subject, and by task number;
- :mod:`envplan_core.testing.plan_text`: check a plan against the text of the plan — its numbered clauses,
  their responsibility brackets, the citations;
- :mod:`envplan_core.testing.strategies`: Hypothesis strategies — observations as records and
  DataFrames, quantities, plans, inventories, progress, valid by default and hostile on request
  (``quantities()``, ``thresholds()``, ``deadlines()``, ``tasks()``, ``targets()``, ``plans()``,
  ``observation_records()``, ``observation_frames()``, ``inventories()``, ``progress_records()``,
  ``progress_frames()`` …); Hypothesis is imported when that module is;
- pytest fixtures (``envplan_engine``, ``envplan_catalog``, ``envplan_plugin_manager``, ``envplan_load``,
  ``envplan_example_data``, ``envplan_observations``) and the collection of ``*.envplan.yaml`` files
  come with the ``pytest11`` entry point :mod:`envplan_core._pytest_plugin`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from envplan_core.catalog import Catalog
from envplan_core.conformance import (
    CaseFile,
    CaseResult,
    ConformanceReport,
    find_case_files,
    load_case_file,
    load_case_text,
    resolve_plugin,
    run_case,
)
from envplan_core.conformance import check_plugins as _check_plugins
from envplan_core.findings import Report, Status
from envplan_core.testing.schemas import load_schema, schema_for, schema_names, validate_json

if TYPE_CHECKING:
    import pluggy

    from envplan_core.engine import Engine
    from envplan_core.model import Plan, Rule, Target

__all__ = [
    "CASE_STATUSES",
    "CaseFile",
    "CaseResult",
    "CliResult",
    "ConformanceError",
    "ConformanceReport",
    "ExampleData",
    "assert_cases_pass",
    "assert_same_findings",
    "case_statuses",
    "check_plugin",
    "check_plugins",
    "example_data",
    "find_case_files",
    "finding_key",
    "finding_statuses",
    "load_case_file",
    "load_case_text",
    "load_engine",
    "load_schema",
    "missing_case_statuses",
    "run_case",
    "run_cases",
    "run_cli",
    "schema_for",
    "schema_names",
    "task_statuses",
    "validate_json",
]

PluginLike = ModuleType | object | str


class ConformanceError(AssertionError):
    """A plugin failed a conformance check; the message lists every failure with its details."""

    def __init__(self, report: ConformanceReport) -> None:
        self.report = report
        super().__init__(report.render())


# -- conformance -----------------------------------------------------------------------------------------


def _manager(plugins: Sequence[PluginLike]) -> tuple[pluggy.PluginManager, list[str]]:
    from envplan_core.manager import get_plugin_manager

    pm = get_plugin_manager(plugins=list(plugins), autoload=False)
    names: list[str] = []
    for plugin in plugins:
        name = resolve_plugin(pm, plugin) if isinstance(plugin, str) else pm.get_name(plugin)
        if name is None and not isinstance(plugin, str):
            name = resolve_plugin(pm, str(getattr(plugin, "__name__", "")))
        if name is None:
            raise ValueError(f"plugin {plugin!r} was not registered (disabled by ENVPLAN_DISABLE_PLUGINS?)")
        names.append(name)
    return pm, names


def check_plugins(
    plugin: PluginLike,
    *more: PluginLike,
    as_of: dt.date | str | None = None,
    cases: bool = True,
    examples: bool = True,
) -> ConformanceReport:
    """Load ``plugin`` (and ``more``) on their own — the core, them and what they require, no entry
    points — and check their conformance together; the report, whatever it says.

    Plugins are importable module names (``"envplan_water"``), modules or plugin objects. The checks are
    those of ``envplan check`` (:mod:`envplan_core.conformance.checks`).
    """
    pm, names = _manager([plugin, *more])
    return _check_plugins(pm, names, isolate=False, as_of=as_of, cases=cases, examples=examples)


def check_plugin(
    plugin: PluginLike,
    *more: PluginLike,
    as_of: dt.date | str | None = None,
    cases: bool = True,
    examples: bool = True,
) -> Catalog:
    """Check the conformance of one plugin (or several together) and return their validated catalog.

    Raises :class:`ConformanceError` (an ``AssertionError``, so pytest shows it as a test failure) listing
    every failed check; a plugin that cannot even be imported raises the
    :class:`~envplan_core.errors.PluginError` the CLI would report.
    """
    report = check_plugins(plugin, *more, as_of=as_of, cases=cases, examples=examples)
    if not report.ok or report.catalog is None:
        raise ConformanceError(report)
    return report.catalog


# -- engines and example data ------------------------------------------------------------------------


def load_engine(*plugins: PluginLike, disabled: Sequence[str] = ()) -> Engine:
    """An engine of ``plugins`` only (with what they require; no entry points). No plugin: every
    installed plugin, as :func:`envplan_core.load` loads them."""
    from envplan_core.manager import load

    if not plugins:
        return load(disabled=disabled)
    return load(plugins=list(plugins), autoload=False, disabled=disabled)


_KINDS: Mapping[str, tuple[str, ...]] = {
    "observations": ("observations*.csv", "observations*.xlsx"),
    "inventory": ("inventory*.yaml", "inventory*.yml", "inventory*.json", "inventory*.csv", "inventory*.xlsx"),
    "progress": ("progress*.csv", "progress*.xlsx"),
}


@attrs.frozen
class ExampleData:
    """The synthetic example folders plugins return from ``envplan_example_data``, by plugin.

    ``engine.evaluate(**data.inputs(), as_of="2023-12-31")`` evaluates all of them, as ``envplan demo``.
    """

    folders: Mapping[str, tuple[Path, ...]]

    def folder(self, plugin: str) -> Path:
        """The (first) example folder of ``plugin`` (its registered, module or short name)."""
        for name, folders in self.folders.items():
            if plugin in (name, name.removeprefix("envplan_"), f"envplan_{name}") and folders:
                return folders[0]
        raise KeyError(f"no example data of plugin {plugin!r} (have: {', '.join(self.folders) or 'none'})")

    def files(self, kind: str, plugin: str | None = None) -> list[Path]:
        """Example files of one kind (``observations``, ``inventory``, ``progress``), of one plugin or all."""
        folders = [self.folder(plugin)] if plugin else [f for fs in self.folders.values() for f in fs]
        return [p for folder in folders for pattern in _KINDS[kind] for p in sorted(folder.glob(pattern))]

    def inputs(self, plugin: str | None = None) -> dict[str, list[Path] | None]:
        """``observations=``, ``inventory=`` and ``progress=`` arguments for :meth:`Engine.evaluate`."""
        return {kind: self.files(kind, plugin) or None for kind in _KINDS}


def example_data(engine: Engine | None = None) -> ExampleData:
    """The example folders of ``engine``'s plugins (default: every installed plugin)."""
    engine = engine if engine is not None else load_engine()
    pm = engine.plugin_manager
    folders: dict[str, tuple[Path, ...]] = {}
    if pm is not None:
        for impl in reversed(pm.hook.envplan_example_data.get_hookimpls()):
            name = pm.get_name(impl.plugin) or repr(impl.plugin)
            result: Any = impl.function()
            found = tuple(Path(str(f)) for f in (result or ()) if Path(str(f)).is_dir())
            if found:
                folders[name] = found
    return ExampleData(folders=folders)


# -- declarative cases -----------------------------------------------------------------------------------


def run_cases(path: str | Path, *, engine: Engine | None = None) -> list[CaseResult]:
    """Run every case of a case file (or of every ``*.envplan.yaml`` under a folder).

    Without ``engine`` each file gets one with the plugins it names (``plugins:``), or every installed
    plugin when it names none.
    """
    results: list[CaseResult] = []
    for file in find_case_files(path) or [Path(path)]:
        case_file = load_case_file(file)
        used = engine if engine is not None else load_engine(*case_file.plugins)
        results.extend(run_case(case, used) for case in case_file.cases)
    return results


def assert_cases_pass(path: str | Path, *, engine: Engine | None = None) -> list[CaseResult]:
    """:func:`run_cases`, raising an ``AssertionError`` with the diff of every failed case."""
    results = run_cases(path, engine=engine)
    failed = [r for r in results if not r.passed]
    if failed:
        raise AssertionError("\n\n".join(r.render() for r in failed))
    return results


#: The statuses every target and rule of a plan should have a case for.
CASE_STATUSES: frozenset[Status] = frozenset({Status.MET, Status.NOT_MET, Status.INSUFFICIENT_DATA})


def case_statuses(path: str | Path) -> dict[str, set[Status]]:
    """The statuses the cases of a case file (or of every ``*.envplan.yaml`` under a folder) expect, by
    finding id: ``{"water.xiqucun.class": {Status.MET, Status.INSUFFICIENT_DATA}, …}``. Ids no case names
    are absent."""
    out: dict[str, set[Status]] = {}
    for file in find_case_files(path) or [Path(path)]:
        for case in load_case_file(file).cases:
            for expectation in case.expect:
                out.setdefault(expectation.id, set()).add(expectation.status)
    return out


def missing_case_statuses(
    plan: Plan,
    path: str | Path,
    *,
    statuses: frozenset[Status] | set[Status] = CASE_STATUSES,
    exceptions: Mapping[str, set[Status] | frozenset[Status]] | None = None,
) -> dict[str, list[str]]:
    """The targets and rules of ``plan`` the cases under ``path`` leave without a case for one of
    ``statuses`` (met, not met and insufficient data), with those statuses: ``{}`` when every one is
    covered.

    ``exceptions`` maps the id of an item whose evaluator cannot give all of ``statuses`` to the statuses
    that stand in for them (a target "not worse than class Ⅴ" cannot be not met on a class).
    """
    expected = case_statuses(path)
    missing: dict[str, list[str]] = {}
    items: tuple[Target | Rule, ...] = (*plan.targets, *plan.rules)
    for item in items:
        wanted = set((exceptions or {}).get(item.id, statuses))
        lacking = wanted - expected.get(item.id, set())
        if lacking:
            missing[item.id] = sorted(s.value for s in lacking)
    return missing


# -- comparing reports -----------------------------------------------------------------------------------


def finding_key(report: Report) -> list[tuple[Any, ...]]:
    """A comparable summary of a report's findings (order-independent, rounding-tolerant)."""

    def norm(v: Any) -> Any:
        return round(v, 6) if isinstance(v, float) else v

    return sorted(
        (f.id, f.subject, f.status.value, norm(f.value), norm(f.limit), f.unit, f.period)
        for f in report.findings
    )


def finding_statuses(report: Report) -> dict[tuple[str, str], str]:
    """``{(finding id, subject): status}`` of a report's targets and rules (its tasks are left out), the
    statuses as text (``"not_met"``): compare it with what an example file was written to give."""
    return {(f.id, f.subject): f.status.value for f in report.findings if f.kind != "task"}


def task_statuses(report: Report) -> dict[int, str]:
    """``{task number: status}`` of a report's tasks (task ids end in their number: ``water.task.2``)."""
    return {int(f.id.rsplit(".", 1)[1]): f.status.value for f in report.findings if f.kind == "task"}


def assert_same_findings(a: Report, b: Report) -> None:
    """Two reports say the same thing (ids, subjects, statuses, values and limits)."""
    ka, kb = finding_key(a), finding_key(b)
    if ka != kb:
        diff = [x for x in ka if x not in kb][:5] + [x for x in kb if x not in ka][:5]
        raise AssertionError(f"reports differ, e.g. {diff}")


# -- the command line, in-process ------------------------------------------------------------------------


class CliResult(NamedTuple):
    """What one in-process ``envplan`` run gave: exit code, standard output, standard error.

    A tuple, so ``code, out, err = run_cli(…)`` works; :meth:`json` parses the output.
    """

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """The standard output parsed as JSON (of a ``--format json`` run)."""
        return json.loads(self.out)


def run_cli(*argv: str, plugins: Sequence[str] | str = (), columns: int = 120) -> CliResult:
    """Run ``envplan ARGV`` in this process with only ``plugins`` — importable module or short names
    (``"envplan_water"``; a string is one name, or several separated by commas), with the plugins they
    require, and no entry point — and capture its exit code and output.

    No plugin: the core alone. Tables are laid out ``columns`` wide. While it runs, the environment has
    ``ENVPLAN_DISABLE_PLUGIN_AUTOLOAD=1`` and ``COLUMNS`` (restored afterwards) and ``sys.stdout`` and
    ``sys.stderr`` are replaced: it is not for threads running concurrently.
    """
    import contextlib
    import io
    import os

    from envplan_core.cli import main
    from envplan_core.manager import AUTOLOAD_ENV

    names = (plugins,) if isinstance(plugins, str) else tuple(plugins)
    options = [arg for name in names for arg in ("--plugins", name)]
    settings = {AUTOLOAD_ENV: "1", "COLUMNS": str(columns)}
    saved = {key: os.environ.get(key) for key in settings}
    out, err = io.StringIO(), io.StringIO()
    os.environ.update(settings)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*options, *argv])
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return CliResult(code, out.getvalue(), err.getvalue())

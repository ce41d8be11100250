"""Conformance of plan plugins: what ``envplan check`` and :func:`envplan_core.testing.check_plugin` run.

:func:`check_plugins` takes a plugin manager (the CLI's, or one built for a test) and the plugins to
check, builds an isolated manager holding only those plugins, the core and what they require
(``envplan_requires``), and runs, per plugin:

``load``
    everything the plugins register loads and validates together (unique ids, responsible units,
    sites, thresholds of the right dimension, an evaluator for every target and rule, its ``params:``);
``requirements``
    every evaluator the plugin's plans name comes from the plugin, the core, or a plugin it requires;
``ids``
    plan, target, rule and task ids unique across the loaded plans; site ids and task numbers unique
    within a plan;
``citations``
    every target, rule and task cites its plan (``citation_name``), a part or clause, and the text;
``tasks``
    every task has a lead unit and at least one deadline of a known form (a date, a window with its
    first and last day, or ongoing), each with the plan's words (``text``);
``empty_input``
    evaluating no data at the end of the plan year gives one finding per target, rule and task, without
    an error (``insufficient_data`` is the honest answer);
``example_data``
    the plugin's example folders (``envplan_example_data``) exist and evaluate without an error;
``cases``
    every declarative case (``*.envplan.yaml``) inside the plugin's package passes.

Each result is ``pass``, ``fail`` or ``skip``; a report with a failure is not ``ok``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import attrs
import pluggy

from envplan_core import hookspecs
from envplan_core.catalog import Catalog, build_catalog, plugin_short
from envplan_core.conformance.cases import CaseFileError, find_case_files, load_case_file, run_case
from envplan_core.engine import Engine
from envplan_core.errors import EnvplanError, PluginError
from envplan_core.findings import Status
from envplan_core.model import DeadlineKind, Plan, Rule, Target, Task

__all__ = [
    "CHECKS",
    "CheckResult",
    "ConformanceReport",
    "check_plugins",
    "plugin_names",
    "resolve_plugin",
]

#: The checks, in the order they run.
CHECKS = ("load", "requirements", "ids", "citations", "tasks", "empty_input", "example_data", "cases")

#: The name the plugin manager gives the core's own plugin.
BUILTIN = "envplan_core.builtin"

CheckStatus = Literal["pass", "fail", "skip"]

_TARGET_STATUSES = frozenset(
    {Status.MET, Status.NOT_MET, Status.INSUFFICIENT_DATA, Status.NOT_APPLICABLE, Status.SUPERSEDED}
)
_EXAMPLE_GLOBS: Mapping[str, tuple[str, ...]] = {
    "observations": ("observations*.csv", "observations*.xlsx"),
    "inventory": ("inventory*.yaml", "inventory*.yml", "inventory*.json", "inventory*.csv", "inventory*.xlsx"),
    "progress": ("progress*.csv", "progress*.xlsx"),
}


def _strings(items: Iterable[object]) -> tuple[str, ...]:
    return tuple(str(i) for i in items)


@attrs.frozen
class CheckResult:
    """One check of one plugin (``subject``: a case, a plan or an example folder, when there are several)."""

    plugin: str
    check: str
    status: CheckStatus
    message: str
    subject: str = ""
    details: tuple[str, ...] = attrs.field(converter=_strings, default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "plugin": self.plugin,
            "check": self.check,
            "subject": self.subject,
            "status": self.status,
            "message": self.message,
            "details": list(self.details),
        }


@attrs.frozen
class ConformanceReport:
    """Every result of :func:`check_plugins`; ``engine`` is the isolated engine (None if it failed to load)."""

    plugins: tuple[str, ...]
    results: tuple[CheckResult, ...]
    engine: Engine | None = None

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def failures(self) -> list[CheckResult]:
        return [r for r in self.results if r.status == "fail"]

    @property
    def catalog(self) -> Catalog | None:
        return self.engine.catalog if self.engine is not None else None

    def counts(self) -> dict[str, int]:
        counts = Counter(r.status for r in self.results)
        return {s: counts.get(s, 0) for s in ("pass", "fail", "skip")}

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``envplan check --format json`` (``schema_version`` added on output)."""
        return {
            "ok": self.ok,
            "plugins": list(self.plugins),
            "counts": self.counts(),
            "results": [r.to_dict() for r in self.results],
        }

    def render(self) -> str:
        """Plain text: one line per result, failures with their details."""
        counts = self.counts()
        head = (
            f"envplan check {' '.join(self.plugins) or '(no plugin)'}: "
            f"{'ok' if self.ok else 'FAILED'} — {counts['pass']} passed, {counts['fail']} failed, "
            f"{counts['skip']} skipped"
        )
        lines = [head]
        for r in self.results:
            subject = f" [{r.subject}]" if r.subject else ""
            lines.append(f"  {r.status:<4} {r.plugin}: {r.check}{subject}: {r.message}")
            if r.status == "fail":
                lines.extend(f"         {d}" for d in r.details)
        return "\n".join(lines)


# -- plugin selection ------------------------------------------------------------------------------------


def _names_of(pm: pluggy.PluginManager, plugin: object) -> set[str]:
    name = pm.get_name(plugin) or ""
    module = str(getattr(plugin, "__name__", "") or "")
    return {n for n in (name, module, plugin_short(name), plugin_short(module) if module else "") if n}


def plugin_names(pm: pluggy.PluginManager) -> list[str]:
    """The registered plugins other than the core, by their manager names, in registration order."""
    return [name for name, _ in pm.list_name_plugin() if name != BUILTIN]


def resolve_plugin(pm: pluggy.PluginManager, name: str) -> str | None:
    """The manager name of the registered plugin called ``name`` (entry-point, module or short name)."""
    for plugin_name, plugin in pm.list_name_plugin():
        if plugin_name != BUILTIN and name in _names_of(pm, plugin):
            return plugin_name
    return None


def _requires(pm: pluggy.PluginManager, name: str) -> list[str]:
    plugin = pm.get_plugin(name)
    fn = getattr(plugin, "envplan_requires", None)
    if not callable(fn):
        return []
    try:
        return [str(r) for r in (fn() or ())]
    except Exception as exc:
        raise PluginError(f"plugin {name!r} failed in envplan_requires: {type(exc).__name__}: {exc}", plugin=name) from exc


def _closure(pm: pluggy.PluginManager, names: Sequence[str]) -> tuple[list[str], dict[str, set[str]]]:
    """``names`` and everything they require, transitively (manager names), and each one's closure."""
    order: list[str] = []
    direct: dict[str, list[str]] = {}
    todo = list(names)
    while todo:
        name = todo.pop(0)
        if name in order:
            continue
        order.append(name)
        direct[name] = []
        for required in _requires(pm, name):
            resolved = resolve_plugin(pm, required)
            if resolved is None:
                raise PluginError(
                    f"plugin {name!r} requires plugin {required!r}, which is not loaded", plugin=name
                )
            direct[name].append(resolved)
            todo.append(resolved)
    closure: dict[str, set[str]] = {}
    for name in order:
        seen: set[str] = set()
        stack = list(direct[name])
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                stack.extend(direct.get(n, ()))
        closure[name] = seen
    return order, closure


def _isolated(pm: pluggy.PluginManager, names: Sequence[str]) -> pluggy.PluginManager:
    """A new manager with the core's plugin and ``names`` (with their requirements) from ``pm``."""
    sub = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    sub.add_hookspecs(hookspecs)
    builtin = pm.get_plugin(BUILTIN)
    if builtin is not None:
        sub.register(builtin, name=BUILTIN)
    for name in names:
        plugin = pm.get_plugin(name)
        if plugin is not None and not sub.is_registered(plugin):
            sub.register(plugin, name=name)
    return sub


# -- the checks ------------------------------------------------------------------------------------------


def check_plugins(
    pm: pluggy.PluginManager,
    plugins: Sequence[str] = (),
    *,
    isolate: bool = True,
    as_of: dt.date | str | None = None,
    cases: bool = True,
    examples: bool = True,
    units_file: str | Path | None = None,
) -> ConformanceReport:
    """Check ``plugins`` (names as registered in ``pm``; default every plugin but the core) together.

    :param isolate: load only the named plugins, the core and their requirements (default), so a
        requirement the plugin forgot to declare is found; False checks them within ``pm`` as it is.
    :param as_of: the evaluation day of the empty-input and example-data checks; default the end of
        each plugin's latest plan year.
    :param cases: run the declarative cases found in each plugin's package.
    :param examples: evaluate each plugin's example data.
    """
    selected: list[str] = []
    for name in plugins or plugin_names(pm):
        resolved = resolve_plugin(pm, name)
        if resolved is None:
            known = ", ".join(plugin_names(pm)) or "none"
            return ConformanceReport(
                plugins=tuple(plugins),
                results=(CheckResult(name, "load", "fail", f"no loaded plugin {name!r} (loaded: {known})"),),
            )
        if resolved not in selected:
            selected.append(resolved)
    try:
        order, closure = _closure(pm, selected)
        manager = _isolated(pm, order) if isolate else pm
        catalog = build_catalog(manager, units_file=units_file)
    except EnvplanError as exc:
        culprit = getattr(exc, "plugin", None)
        lines = str(exc).splitlines()
        details = tuple(getattr(exc, "problems", ()) or ()) or tuple(line.strip() for line in lines[1:])
        failed: list[CheckResult] = []
        for name in selected:
            if culprit is None or culprit == name or culprit not in selected:
                failed.append(CheckResult(name, "load", "fail", lines[0] if lines else repr(exc), details=details))
            else:
                failed.append(CheckResult(name, "load", "skip", f"not checked: plugin {culprit!r} failed to load"))
        return ConformanceReport(plugins=tuple(selected), results=tuple(failed))
    engine = Engine(catalog=catalog, plugin_manager=manager)
    results: list[CheckResult] = []
    for name in selected:
        results.extend(
            _check_one(engine, manager, name, closure.get(name, set()), as_of=as_of, cases=cases, examples=examples)
        )
    return ConformanceReport(plugins=tuple(selected), results=tuple(results), engine=engine)


def _check_one(
    engine: Engine,
    pm: pluggy.PluginManager,
    name: str,
    requires: set[str],
    *,
    as_of: dt.date | str | None,
    cases: bool,
    examples: bool,
) -> list[CheckResult]:
    catalog = engine.catalog
    plans = [p for p in catalog.plans if p.plugin == name]
    n_items = sum(len(p.targets) + len(p.rules) + len(p.tasks) for p in plans)
    out = [
        CheckResult(
            name,
            "load",
            "pass",
            f"{len(plans)} plan(s), {n_items} targets, rules and tasks load and validate"
            + (f" (with {', '.join(sorted(requires))})" if requires else ""),
        )
    ]
    day = _as_of(plans, as_of)
    out.append(_requirements(catalog, name, requires, plans))
    out.append(_ids(catalog, name, plans))
    out.append(_citations(name, plans))
    out.append(_tasks(name, plans))
    out.append(_empty_input(engine, name, plans, day))
    out.extend(_examples(engine, pm, name, day) if examples else [CheckResult(name, "example_data", "skip", "not asked for")])
    out.extend(_cases(engine, pm, name) if cases else [CheckResult(name, "cases", "skip", "not asked for")])
    return out


def _as_of(plans: Sequence[Plan], as_of: dt.date | str | None) -> dt.date:
    if as_of is not None:
        return as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
    year = max((p.year for p in plans), default=dt.date.today().year)
    return dt.date(year, 12, 31)


def _items(plan: Plan) -> list[Target | Rule | Task]:
    return [*plan.targets, *plan.rules, *plan.tasks]


def _requirements(catalog: Catalog, name: str, requires: set[str], plans: Sequence[Plan]) -> CheckResult:
    if not plans:
        return CheckResult(name, "requirements", "skip", "the plugin registers no plan")
    allowed = {name, BUILTIN, *requires}
    used: dict[str, str] = {}
    bad: list[str] = []
    for plan in plans:
        checked: list[Target | Rule] = [*plan.targets, *plan.rules]
        for item in checked:
            owner = catalog.evaluator_plugin.get(item.evaluator, "?")
            used[item.evaluator] = owner
            if owner not in allowed:
                bad.append(
                    f"{item.id}: evaluator {item.evaluator!r} comes from plugin {owner!r}, which "
                    f"{name!r} does not require (add {plugin_short(owner)!r} to its envplan_requires)"
                )
    if bad:
        return CheckResult(name, "requirements", "fail", f"{len(bad)} evaluator(s) from undeclared plugins", details=bad)
    owners = sorted({"core" if o == BUILTIN else o for o in used.values()})
    return CheckResult(name, "requirements", "pass", f"evaluators from: {', '.join(owners) or 'none'}")


def _ids(catalog: Catalog, name: str, plans: Sequence[Plan]) -> CheckResult:
    if not plans:
        return CheckResult(name, "ids", "skip", "the plugin registers no plan")
    owner: dict[str, str] = {}
    for plan in catalog.plans:
        for item_id in (plan.id, *(i.id for i in _items(plan))):
            owner.setdefault(item_id, plan.id)
    bad: list[str] = []
    for plan in plans:
        ids = Counter(i.id for i in _items(plan))
        bad.extend(f"{plan.id}: id {i!r} used {n} times" for i, n in ids.items() if n > 1)
        for item in _items(plan):
            if not item.id.strip():
                bad.append(f"{plan.id}: an item without an id")
            elif owner.get(item.id, plan.id) != plan.id:
                bad.append(f"{plan.id}: id {item.id!r} also used by {owner[item.id]}")
        sites = Counter(s.id for s in plan.sites)
        bad.extend(f"{plan.id}: site id {s!r} used {n} times" for s, n in sites.items() if n > 1)
        numbers = Counter(t.number for t in plan.tasks)
        bad.extend(f"{plan.id}: task number {k!r} used {n} times" for k, n in numbers.items() if n > 1)
    if bad:
        return CheckResult(name, "ids", "fail", f"{len(bad)} duplicate id(s)", details=bad)
    n = sum(len(_items(p)) for p in plans)
    return CheckResult(name, "ids", "pass", f"{n} ids unique")


def _citations(name: str, plans: Sequence[Plan]) -> CheckResult:
    if not plans:
        return CheckResult(name, "citations", "skip", "the plugin registers no plan")
    bad: list[str] = []
    for plan in plans:
        for item in _items(plan):
            c = item.citation
            missing = [
                what
                for what, ok in (
                    ("the plan's name (citation_name)", bool(c.plan.strip())),
                    ("a part or clause", bool(c.part.strip() or c.clause.strip())),
                    ("the text", bool(c.text.strip())),
                )
                if not ok
            ]
            if missing:
                bad.append(f"{item.id}: the citation lacks {', '.join(missing)}")
    if bad:
        return CheckResult(name, "citations", "fail", f"{len(bad)} item(s) without a full citation", details=bad)
    return CheckResult(name, "citations", "pass", f"{sum(len(_items(p)) for p in plans)} items cite their clause")


def _tasks(name: str, plans: Sequence[Plan]) -> CheckResult:
    tasks = [t for p in plans for t in p.tasks]
    if not tasks:
        return CheckResult(name, "tasks", "skip", "the plugin's plans have no task")
    bad: list[str] = []
    for task in tasks:
        if not task.lead:
            bad.append(f"{task.id}: no lead unit (牵头单位)")
        if not task.deadlines:
            bad.append(f"{task.id}: no deadline (a standing duty is {{kind: ongoing, text: 长期坚持}})")
        for n, d in enumerate(task.deadlines, start=1):
            where = f"{task.id} deadline {n}"
            if d.kind not in DeadlineKind:  # pragma: no cover - the model refuses other kinds
                bad.append(f"{where}: unknown kind {d.kind!r}")
            elif d.kind is DeadlineKind.ONGOING and d.date is not None:
                bad.append(f"{where}: an ongoing deadline has no date")
            elif d.kind is DeadlineKind.WINDOW and (d.daily_start is None) != (d.daily_end is None):
                bad.append(f"{where}: a window's daily hours need both start and end")
            if not d.text.strip():
                bad.append(f"{where}: no text (the plan's words, e.g. 2023年10月底前)")
    if bad:
        return CheckResult(name, "tasks", "fail", f"{len(bad)} problem(s) in tasks", details=bad)
    return CheckResult(name, "tasks", "pass", f"{len(tasks)} tasks with a lead unit and known deadlines")


def _empty_input(engine: Engine, name: str, plans: Sequence[Plan], day: dt.date) -> CheckResult:
    if not plans:
        return CheckResult(name, "empty_input", "skip", "the plugin registers no plan")
    try:
        report = engine.evaluate(as_of=day, plans=[p.id for p in plans])
    except Exception as exc:  # noqa: BLE001 - a crash is the finding of this check
        return CheckResult(name, "empty_input", "fail", f"evaluating no data failed: {type(exc).__name__}: {exc}")
    bad: list[str] = []
    for plan in plans:
        ids = {f.id for f in report.findings if f.plan == plan.id}
        bad.extend(f"{plan.id}: no finding for {i.id}" for i in _items(plan) if i.id not in ids)
    bad.extend(
        f"{f.id}: a {f.kind} finding with the task status {f.status.value!r}"
        for f in report.findings
        if f.kind != "task" and f.status not in _TARGET_STATUSES
    )
    if bad:
        return CheckResult(name, "empty_input", "fail", f"{len(bad)} problem(s) evaluating no data", details=bad)
    return CheckResult(
        name, "empty_input", "pass", f"no data as of {day.isoformat()}: {len(report.findings)} findings, no error"
    )


def _impl_of(pm: pluggy.PluginManager, hook: str, name: str) -> Any:
    for impl in getattr(pm.hook, hook).get_hookimpls():
        if pm.get_name(impl.plugin) == name:
            return impl
    return None


def _shown(path: Path, pm: pluggy.PluginManager, name: str) -> str:
    """``path`` relative to the folder holding the plugin's package (``envplan_water/examples``)."""
    folder = _package_dir(pm, name)
    try:
        return str(path.resolve().relative_to(folder.parent)) if folder is not None else str(path)
    except ValueError:
        return str(path)


def _examples(engine: Engine, pm: pluggy.PluginManager, name: str, day: dt.date) -> list[CheckResult]:
    impl = _impl_of(pm, "envplan_example_data", name)
    if impl is None:
        return [CheckResult(name, "example_data", "skip", "no example data (hook envplan_example_data)")]
    try:
        folders = [Path(str(f)) for f in (impl.function() or ())]
    except Exception as exc:  # noqa: BLE001
        return [CheckResult(name, "example_data", "fail", f"envplan_example_data failed: {type(exc).__name__}: {exc}")]
    if not folders:
        return [CheckResult(name, "example_data", "skip", "envplan_example_data returned no folder")]
    out: list[CheckResult] = []
    for folder in folders:
        shown = _shown(folder, pm, name)
        if not folder.is_dir():
            out.append(CheckResult(name, "example_data", "fail", "the example folder does not exist", shown))
            continue
        files = {
            kind: [str(p) for pattern in patterns for p in sorted(folder.glob(pattern)) if p.is_file()]
            for kind, patterns in _EXAMPLE_GLOBS.items()
        }
        if not any(files.values()):
            out.append(
                CheckResult(name, "example_data", "fail", "no observations*, inventory* or progress* file", shown)
            )
            continue
        try:
            report = engine.evaluate(
                observations=files["observations"] or None,
                inventory=files["inventory"] or None,
                progress=files["progress"] or None,
                as_of=day,
                plans=[p.id for p in engine.catalog.plans if p.plugin == name] or None,
            )
        except Exception as exc:  # noqa: BLE001
            out.append(
                CheckResult(
                    name, "example_data", "fail", f"evaluating the examples failed: {type(exc).__name__}: {exc}", shown
                )
            )
            continue
        n = sum(len(v) for v in files.values())
        out.append(
            CheckResult(
                name,
                "example_data",
                "pass",
                f"{n} file(s) as of {day.isoformat()}: {len(report.findings)} findings, "
                f"{len(report.unused)} rows not used",
                shown,
            )
        )
    return out


def _package_dir(pm: pluggy.PluginManager, name: str) -> Path | None:
    plugin = pm.get_plugin(name)
    if not isinstance(plugin, ModuleType):
        return None
    file = getattr(plugin, "__file__", None)
    if not file:
        return None
    path = Path(file).resolve()
    return path.parent if path.name == "__init__.py" else None


def _cases(engine: Engine, pm: pluggy.PluginManager, name: str) -> list[CheckResult]:
    folder = _package_dir(pm, name)
    files = find_case_files(folder) if folder is not None else []
    if not files:
        where = f" in {folder}" if folder is not None else ""
        return [CheckResult(name, "cases", "skip", f"no declarative cases (*.envplan.yaml){where}")]
    loaded = {n for p in pm.list_name_plugin() for n in _names_of(pm, p[1])}
    out: list[CheckResult] = []
    for path in files:
        label = str(path.relative_to(folder.parent)) if folder is not None else str(path)
        try:
            case_file = load_case_file(path)
        except CaseFileError as exc:
            out.append(CheckResult(name, "cases", "fail", str(exc), label))
            continue
        missing = [p for p in case_file.plugins if p not in loaded]
        if missing:
            out.append(
                CheckResult(
                    name,
                    "cases",
                    "fail",
                    f"the cases need plugin(s) {', '.join(missing)}, which are not loaded with {name!r} "
                    "(check them together, or declare them in envplan_requires)",
                    label,
                )
            )
            continue
        for case in case_file.cases:
            subject = f"{label}::{case.name}"
            try:
                result = run_case(case, engine)
            except Exception as exc:  # noqa: BLE001 - an evaluator's crash fails the case
                out.append(CheckResult(name, "cases", "fail", f"{type(exc).__name__}: {exc}", subject))
                continue
            if result.passed:
                out.append(CheckResult(name, "cases", "pass", "passed", subject))
            else:
                out.append(
                    CheckResult(
                        name, "cases", "fail", result.summary(), subject, details=result.render().splitlines()[1:]
                    )
                )
    return out

"""The catalog: everything the registered plugins provide, collected and validated before any evaluation.

:func:`build_catalog` calls every hook one implementation at a time, attributes each contribution to
its plugin and validates all of it (unique ids, known units and sites, evaluators and their parameters,
thresholds of the right dimension, dates); a plugin that fails is named in a
:class:`~envplan_core.errors.PluginError` and nothing is evaluated.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from envplan_core.errors import EnvplanError, PlanError, PluginError, UnitError
from envplan_core.parameters import Parameter, ParameterRegistry

if TYPE_CHECKING:  # imported where used: building the command line (call_each) needs none of them
    from envplan_core.evaluator_types import Evaluator
    from envplan_core.model import Plan, Rule, Target
    from envplan_core.responsible import UnitRegistry

__all__ = ["Catalog", "build_catalog", "call_each", "collect_plans", "list_plans", "plugin_short", "validate"]


def plugin_short(name: str) -> str:
    """``envplan_water`` → ``water``: the short name ``--plan`` accepts."""
    return name.removeprefix("envplan_").rsplit(".", 1)[-1]


@attrs.frozen
class Catalog:
    """Everything the plugins registered, validated: plans, units, parameters, evaluators."""

    plans: tuple[Plan, ...]
    units: UnitRegistry
    parameters: ParameterRegistry
    evaluators: Mapping[str, Evaluator]
    evaluator_plugin: Mapping[str, str]
    plugin_of_plan: Mapping[str, str]

    def plan(self, key: str) -> Plan:
        """A plan by id or by its plugin's short name (``water``)."""
        for plan in self.plans:
            if key in (plan.id, plan.plugin, plugin_short(plan.plugin)) or plan.id.startswith(f"{key}-"):
                return plan
        known = ", ".join(sorted({p.id for p in self.plans} | {plugin_short(p.plugin) for p in self.plans}))
        raise PlanError(f"no loaded plan {key!r} (known: {known or 'none'})")

    def select(self, keys: Iterable[str] | None) -> tuple[Plan, ...]:
        wanted = list(keys or ())
        if not wanted:
            return self.plans
        return tuple({self.plan(k).id: self.plan(k) for k in wanted}.values())


#: ``envplan_add_units`` implementations already applied to the process-wide registry: each runs once
#: per process, however many catalogs are built (the registry outlives plugin managers).
_UNITS_APPLIED: set[Any] = set()


def call_each(
    pm: pluggy.PluginManager, hook_name: str, *, once_per_process: bool = False, **kwargs: Any
) -> list[tuple[str, Any]]:
    """Call one hook implementation at a time, so a failure names its plugin."""
    out: list[tuple[str, Any]] = []
    caller = getattr(pm.hook, hook_name)
    for impl in caller.get_hookimpls():  # registration order (pluggy itself calls them LIFO)
        name = pm.get_name(impl.plugin) or repr(impl.plugin)
        if once_per_process:
            if impl.function in _UNITS_APPLIED:
                continue
            _UNITS_APPLIED.add(impl.function)
        try:
            args = {k: v for k, v in kwargs.items() if k in impl.argnames}
            result = impl.function(**args)
        except EnvplanError as exc:
            raise PluginError(f"plugin {name!r}: {exc}", plugin=name) from exc
        except Exception as exc:
            raise PluginError(
                f"plugin {name!r} failed in {hook_name}: {type(exc).__name__}: {exc}", plugin=name
            ) from exc
        if result is not None:
            out.append((name, result))
    return out


def build_catalog(pm: pluggy.PluginManager, *, units_file: str | Path | None = None) -> Catalog:
    """Collect and validate everything the registered plugins provide."""
    from envplan_core.evaluator_types import as_evaluator
    from envplan_core.model import ResponsibleUnit
    from envplan_core.responsible import UnitRegistry, load_units_file
    from envplan_core.units import registry

    for name, _ in call_each(pm, "envplan_add_units", once_per_process=True, registry=registry()):
        del name  # units are defined as a side effect; errors were already attributed

    parameters = ParameterRegistry()
    for name, params in call_each(pm, "envplan_parameters"):
        for p in params:
            if not isinstance(p, Parameter):
                raise PluginError(f"plugin {name!r}: envplan_parameters returned {p!r}", plugin=name)
            try:
                parameters.add(p)
            except ValueError as exc:
                raise PluginError(f"plugin {name!r}: {exc}", plugin=name) from exc

    units = UnitRegistry()
    for name, items in call_each(pm, "envplan_responsible_units"):
        for unit in items:
            if not isinstance(unit, ResponsibleUnit):
                raise PluginError(
                    f"plugin {name!r}: envplan_responsible_units returned {unit!r}", plugin=name
                )
            try:
                units.add(unit, source=name)
            except PlanError as exc:
                raise PluginError(f"plugin {name!r}: {exc}", plugin=name) from exc
    if units_file is not None:
        for unit in load_units_file(units_file):
            units.add(unit, source=str(units_file), override=True)

    evaluators: dict[str, Evaluator] = {}
    evaluator_plugin: dict[str, str] = {}
    for name, mapping in call_each(pm, "envplan_evaluators"):
        for key, fn in dict(mapping).items():
            if key in evaluators:
                raise PluginError(
                    f"evaluator {key!r} registered by both {evaluator_plugin[key]!r} and {name!r}",
                    plugin=name,
                )
            try:
                evaluators[key] = as_evaluator(fn)
            except TypeError:
                raise PluginError(f"plugin {name!r}: evaluator {key!r} is not callable", plugin=name) from None
            evaluator_plugin[key] = name

    plans = collect_plans(pm)
    catalog = Catalog(
        plans=plans,
        units=units,
        parameters=parameters,
        evaluators=evaluators,
        evaluator_plugin=evaluator_plugin,
        plugin_of_plan={p.id: p.plugin for p in plans},  # sorted stably: a duplicate id's last plugin
    )
    validate(catalog)
    return catalog


def collect_plans(pm: pluggy.PluginManager) -> tuple[Plan, ...]:
    """Every plan the plugins register, each attributed to its plugin, sorted by id (not validated)."""
    from envplan_core.model import Plan

    plans: list[Plan] = []
    for name, items in call_each(pm, "envplan_plans"):
        for plan in items:
            if not isinstance(plan, Plan):
                raise PluginError(f"plugin {name!r}: envplan_plans returned {plan!r}", plugin=name)
            plans.append(attrs.evolve(plan, plugin=name))
    return tuple(sorted(plans, key=lambda p: p.id))


def list_plans(pm: pluggy.PluginManager) -> tuple[Plan, ...]:
    """The plans, read to be listed (``envplan plans``): the plugins' plan files are read and structured
    and each plan is checked on its own (unique ids, subjects, criteria, deadlines, supersedes), but
    threshold quantities stay as written (:func:`envplan_core.converters.quantities_deferred`) and no
    other hook is called. Units, parameters, evaluators and responsible units are checked by
    :func:`build_catalog`, which every command that evaluates or prints them goes through."""
    from envplan_core.converters import quantities_deferred

    with quantities_deferred():
        plans = collect_plans(pm)
    problems: dict[str, list[str]] = {}
    _check_plans(plans, lambda plugin, message: problems.setdefault(plugin, []).append(message))
    _raise_problems(problems)
    return plans


def validate(catalog: Catalog) -> None:
    """Check ids, units, sites, evaluators, thresholds and dates; raise one PluginError per bad plugin."""
    from envplan_core.evaluator_types import structure_params
    from envplan_core.model import Rule, Target

    problems: dict[str, list[str]] = {}

    def bad(plugin: str, message: str) -> None:
        problems.setdefault(plugin, []).append(message)

    for uid in catalog.units.cycles():
        bad(catalog.units.source_of(uid), f"group {catalog.units[uid].name_zh!r}: membership cycle")
    for unit in catalog.units:
        for member in unit.members:
            if catalog.units.resolve(member) is None:
                bad(catalog.units.source_of(unit.id), f"group {unit.name_zh!r}: unknown member {member!r}")

    _check_plans(catalog.plans, bad)
    for plan in catalog.plans:
        plugin = plan.plugin
        for kind, item in _items(plan):
            where = f"{plan.id}: {kind} {item.id!r}"
            for resp in item.responsibilities:
                for unit_name in (*resp.lead, *resp.support):
                    if catalog.units.resolve(unit_name) is None:
                        bad(plugin, f"{where}: unknown responsible unit {unit_name!r}")
            if isinstance(item, (Target, Rule)):
                if item.evaluator not in catalog.evaluators:
                    bad(plugin, _no_evaluator(catalog, plugin, where, item.evaluator))
                else:
                    try:
                        structure_params(item, catalog.evaluators[item.evaluator].params, plan=plan.id)
                    except PlanError as exc:
                        for problem in exc.problems:
                            bad(plugin, problem)
                _check_thresholds(catalog, item, where, functools.partial(bad, plugin))
            if kind == "task":
                for row in item.attachments:
                    for name in row.lead:
                        if catalog.units.resolve(name) is None:
                            bad(plugin, f"{where}: attachment row {row.number}: unknown unit {name!r}")
    _raise_problems(problems)


def _items(plan: Plan) -> list[tuple[str, Any]]:
    return [
        *(("target", t) for t in plan.targets),
        *(("rule", r) for r in plan.rules),
        *(("task", t) for t in plan.tasks),
    ]


def _check_plans(plans: Iterable[Plan], bad: Callable[[str, str], None]) -> None:
    """What each plan can be checked for on its own and among the loaded plans: unique plan, site and
    item ids, known subjects, criteria and rule tasks, deadlines within the plan year, supersedes."""
    from envplan_core.model import Target

    plans = tuple(plans)
    seen: dict[str, str] = {}
    for plan in plans:
        plugin = plan.plugin
        if plan.id in seen:
            bad(plugin, f"plan id {plan.id!r} also provided by {seen[plan.id]!r}")
        seen[plan.id] = plugin
        site_ids = {s.id for s in plan.sites}
        if len(site_ids) != len(plan.sites):
            bad(plugin, f"{plan.id}: duplicate site ids")
        items = _items(plan)
        item_ids = {item.id for _, item in items}
        for kind, item in items:
            where = f"{plan.id}: {kind} {item.id!r}"
            if item.id in seen:
                bad(plugin, f"{where}: id also used by {seen[item.id]!r}")
            seen[item.id] = plugin
            if isinstance(item, Target) and item.subject not in ("county", *site_ids):
                bad(plugin, f"{where}: unknown subject site {item.subject!r}")
            if kind == "task":
                for crit in item.criteria:
                    if crit not in item_ids:
                        bad(plugin, f"{where}: criterion {crit!r} is not a target or rule of the plan")
                for d in item.deadlines:
                    if d.due is not None and d.due < plan.issued.replace(month=1, day=1):
                        bad(plugin, f"{where}: deadline {d.due} lies before the plan year")
            if kind == "rule" and item.task and item.task not in item_ids:
                bad(plugin, f"{where}: task {item.task!r} is not in the plan")
    _check_supersedes(plans, bad)


def _raise_problems(problems: Mapping[str, list[str]]) -> None:
    if not problems:
        return
    lines = [f"{plugin}: {msg}" for plugin, msgs in problems.items() for msg in msgs]
    names = ", ".join(repr(p) for p in problems)
    raise PluginError(
        f"plugin {names} failed validation ({len(lines)} problems):\n  "
        + "\n  ".join(lines[:30])
        + (f"\n  … and {len(lines) - 30} more" if len(lines) > 30 else ""),
        plugin=next(iter(problems)),
        problems=tuple(lines),
    )


def _check_thresholds(catalog: Catalog, item: Target | Rule, where: str, bad: Callable[[str], None]) -> None:
    from envplan_core.model import Comparator
    from envplan_core.units import Quantity, check_dimension

    parameter = getattr(item, "parameter", "")
    param = catalog.parameters.resolve(parameter) if parameter else None
    if parameter and param is None:
        bad(f"{where}: unknown parameter {parameter!r}")
    for t in item.thresholds:
        if t.effective_from and t.effective_until and t.effective_from > t.effective_until:
            bad(f"{where}: threshold effective_from {t.effective_from} after effective_until")
        try:
            value = t.value  # a quantity kept as written (a plan read for listing) is read here
        except UnitError as exc:
            bad(f"{where}: threshold: {exc}")
            continue
        if t.comparator is Comparator.CLASS_LE and not isinstance(value, str):
            bad(f"{where}: a class threshold needs a class name")
        if param is not None and isinstance(value, Quantity) and not value.dimensionless:
            try:
                check_dimension(value, param.unit, parameter=param.id)
            except UnitError as exc:
                bad(f"{where}: threshold {value:~P}: {exc}")


def _no_evaluator(catalog: Catalog, plugin: str, where: str, name: str) -> str:
    hint = (
        f"; if it comes from another plugin, declare it in {plugin_short(plugin)}'s envplan_requires hook"
        if catalog.evaluators
        else ""
    )
    return f"{where}: no evaluator named {name!r} (known: {', '.join(sorted(catalog.evaluators))}){hint}"


def _check_supersedes(plans: tuple[Plan, ...], bad: Callable[[str, str], None]) -> None:
    """A plan superseding a loaded plan names items that exist in both (an absent plan is no error:
    the later plan then simply stands alone)."""
    by_id = {p.id: p for p in plans}
    for plan in plans:
        own = _item_ids(plan)
        for sup in plan.supersedes:
            if sup.plan == plan.id:
                bad(plan.plugin, f"{plan.id}: supersedes itself")
                continue
            earlier = by_id.get(sup.plan)
            if earlier is None:
                continue
            theirs = _item_ids(earlier)
            for old, new in sup.items.items():
                if old not in theirs:
                    bad(plan.plugin, f"{plan.id}: supersedes {old!r}, which is not an item of {sup.plan}")
                if new and new not in own:
                    bad(plan.plugin, f"{plan.id}: {old!r} is replaced by {new!r}, which is not an item of {plan.id}")


def _item_ids(plan: Plan) -> set[str]:
    return {t.id for t in plan.targets} | {r.id for r in plan.rules} | {t.id for t in plan.tasks}

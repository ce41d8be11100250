"""The plugin manager: hook specifications, entry-point discovery, requirements, disabling, listing.

Build it with :func:`get_plugin_manager` (a factory, never an import-time global) or go straight to a
validated :class:`~envplan_core.engine.Engine` with :func:`load`. Plugins come from the ``envplan``
entry-point group unless ``ENVPLAN_DISABLE_PLUGIN_AUTOLOAD=1`` is set or an explicit ``plugins=`` list
is given, as pytest does it:

* ``disabled=`` (the CLI's ``-p no:NAME``) and ``ENVPLAN_DISABLE_PLUGINS=NAME,NAME`` leave a plugin out
  by its entry-point name, module name or short name (``water``), before it is even imported;
* a plugin that requires others (hook ``envplan_requires``: a 2024 plan reusing the 2023 evaluators)
  gets them loaded too; a missing or disabled requirement is a :class:`PluginError` naming both;
* a plugin that fails to import or register is named in a :class:`PluginError` that says how to disable
  it, and nothing is evaluated.

The core's own behaviour — parameters, county units, generic evaluators, every ``envplan`` command and
the surface-water classifier — is the built-in plugin :mod:`envplan_core.builtin`, registered here
through the same mechanism as every other plugin.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from envplan_core import builtin, hookspecs
from envplan_core.catalog import plugin_short
from envplan_core.errors import PluginError

if TYPE_CHECKING:
    from envplan_core.engine import Engine

__all__ = [
    "AUTOLOAD_ENV",
    "BUILTIN_NAME",
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "get_plugin_manager",
    "load",
]

ENTRY_POINT_GROUP = "envplan"
AUTOLOAD_ENV = "ENVPLAN_DISABLE_PLUGIN_AUTOLOAD"
DISABLE_ENV = "ENVPLAN_DISABLE_PLUGINS"
BUILTIN_NAME = "envplan_core.builtin"


def _autoload_disabled() -> bool:
    return os.environ.get(AUTOLOAD_ENV, "").strip().lower() not in ("", "0", "false", "no")


def _env_disabled() -> set[str]:
    return {n.strip() for n in os.environ.get(DISABLE_ENV, "").split(",") if n.strip()}


def _how_to_disable(name: str) -> str:
    short = plugin_short(name)
    return f"to run without it: envplan -p no:{short} …, or {DISABLE_ENV}={short}"


def _names_of(name: str, value: str = "") -> set[str]:
    """Every name a plugin can be disabled or required by: entry-point name, module, short name."""
    module = value.split(":", 1)[0].strip()
    return {n for n in (name, module, plugin_short(name), plugin_short(module) if module else "") if n}


def get_plugin_manager(
    *,
    plugins: Sequence[ModuleType | object | str] | None = None,
    autoload: bool | None = None,
    disabled: Iterable[str] = (),
) -> pluggy.PluginManager:
    """A new plugin manager with the hook specifications, the core's built-in plugin, and plugins.

    :param plugins: explicit plugins (modules, objects, or importable module names). When given,
        entry points are not loaded unless ``autoload=True``.
    :param autoload: load the ``envplan`` entry points; default: only when ``plugins`` is None and
        ``ENVPLAN_DISABLE_PLUGIN_AUTOLOAD`` is not set.
    :param disabled: plugin names (entry-point, module or short name) never to load; added to those in
        ``ENVPLAN_DISABLE_PLUGINS``.
    :raises PluginError: a plugin fails to import or register, or a requirement is missing.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    pm.register(builtin, name=BUILTIN_NAME)
    off = set(disabled) | _env_disabled()
    if autoload is None:
        autoload = plugins is None and not _autoload_disabled()
    if autoload:
        _load_entry_points(pm, off)
    for plugin in plugins or ():
        label = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
        if label and _names_of(label) & off:
            continue
        _register(pm, plugin)
    _load_requirements(pm, off)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        name = pm.get_name(exc.plugin) or str(exc.plugin)
        raise PluginError(
            f"plugin {name!r} implements an unknown hook: {exc} ({_how_to_disable(name)})", plugin=name
        ) from None
    return pm


def _register(pm: pluggy.PluginManager, plugin: ModuleType | object | str, name: str | None = None) -> None:
    label = str(name or (plugin if isinstance(plugin, str) else getattr(plugin, "__name__", repr(plugin))))
    if isinstance(plugin, str):
        try:
            plugin = importlib.import_module(plugin)
        except Exception as exc:
            raise PluginError(
                f"plugin {label!r} failed to import: {type(exc).__name__}: {exc} ({_how_to_disable(label)})",
                plugin=label,
            ) from exc
    if pm.is_registered(plugin):
        return
    try:
        pm.register(plugin, name=label)
    except (pluggy.PluginValidationError, ValueError) as exc:
        raise PluginError(
            f"plugin {label!r} cannot be registered: {exc} ({_how_to_disable(label)})", plugin=label
        ) from exc


def _entry_points() -> list[metadata.EntryPoint]:
    return sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)


def _load_entry_point(pm: pluggy.PluginManager, ep: metadata.EntryPoint) -> None:
    if pm.get_plugin(ep.name) is not None:
        return
    try:
        plugin = ep.load()
    except Exception as exc:
        dist = f" (distribution {ep.dist.name})" if ep.dist is not None else ""
        raise PluginError(
            f"plugin {ep.name!r}{dist} failed to import from {ep.value!r}: {type(exc).__name__}: {exc} "
            f"({_how_to_disable(ep.name)})",
            plugin=ep.name,
        ) from exc
    _register(pm, plugin, name=ep.name)


def _load_entry_points(pm: pluggy.PluginManager, off: set[str]) -> None:
    for ep in _entry_points():
        if not _names_of(ep.name, ep.value) & off:
            _load_entry_point(pm, ep)


def _registered_names(pm: pluggy.PluginManager) -> set[str]:
    names: set[str] = set()
    for plugin in pm.get_plugins():
        name = pm.get_name(plugin) or ""
        names |= _names_of(name, getattr(plugin, "__name__", ""))
    return names


def _as_iterable(value: object) -> Iterable[object]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise TypeError(f"expected a list of plugin names, got {value!r}")
    return value


def _load_requirements(pm: pluggy.PluginManager, off: set[str]) -> None:
    """Load what each plugin declares in ``envplan_requires``, until nothing new is needed."""
    for _ in range(32):  # a requirement chain longer than this is a loop
        wanted: list[tuple[str, str]] = []
        for impl in pm.hook.envplan_requires.get_hookimpls():
            owner = pm.get_name(impl.plugin) or repr(impl.plugin)
            try:
                names = [str(r) for r in _as_iterable(impl.function())]
            except Exception as exc:
                raise PluginError(
                    f"plugin {owner!r} failed in envplan_requires: {type(exc).__name__}: {exc}", plugin=owner
                ) from exc
            have = _registered_names(pm)
            wanted.extend((owner, r) for r in names if r not in have)
        if not wanted:
            return
        for owner, required in wanted:
            if required in off:
                raise PluginError(
                    f"plugin {owner!r} requires plugin {required!r}, which is disabled "
                    f"(enable it, or disable {owner!r} too: -p no:{plugin_short(owner)})",
                    plugin=owner,
                )
            ep = next((e for e in _entry_points() if required in _names_of(e.name, e.value)), None)
            if ep is not None:
                _load_entry_point(pm, ep)
                continue
            try:
                module = importlib.import_module(required)
            except ModuleNotFoundError:
                raise PluginError(
                    f"plugin {owner!r} requires plugin {required!r}, which is not installed "
                    f"(no entry point or module of that name; {_how_to_disable(owner)})",
                    plugin=owner,
                ) from None
            _register(pm, module, name=required)
    raise PluginError("plugin requirements do not settle (a requirement loop?)")


def load(
    *,
    plugins: Sequence[Any] | None = None,
    autoload: bool | None = None,
    disabled: Iterable[str] = (),
    units_file: str | Path | None = None,
) -> Engine:
    """Load plugins (entry points by default), validate everything they register, return an Engine."""
    from envplan_core.catalog import build_catalog
    from envplan_core.engine import Engine

    pm = get_plugin_manager(plugins=plugins, autoload=autoload, disabled=disabled)
    return Engine(catalog=build_catalog(pm, units_file=units_file), plugin_manager=pm)

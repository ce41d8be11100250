"""Collect what plugins register through ``envplan_commands`` and ``envplan_classifiers``.

Each implementation is called on its own (:func:`~envplan_core.catalog.call_each`), so a failure or a
name registered twice names the plugin (both plugins, for a duplicate).
"""

from __future__ import annotations

from typing import Any, TypeVar

import pluggy

from envplan_core.catalog import call_each
from envplan_core.commands.base import Classifier, Command
from envplan_core.errors import PluginError

__all__ = ["collect_classifiers", "collect_commands"]

T = TypeVar("T", Command, Classifier)


def _collect(pm: pluggy.PluginManager, hook: str, cls: type[T], key: str, **kwargs: Any) -> list[T]:
    found: dict[str, tuple[str, T]] = {}
    for plugin, items in call_each(pm, hook, **kwargs):
        for item in items:
            if not isinstance(item, cls):
                raise PluginError(f"plugin {plugin!r}: {hook} returned {item!r}", plugin=plugin)
            name = str(getattr(item, key))
            if name in found:
                raise PluginError(
                    f"{cls.__name__.lower()} {name!r} registered by both {found[name][0]!r} and {plugin!r}",
                    plugin=plugin,
                )
            found[name] = (plugin, item)
    return [item for _, item in found.values()]


def collect_commands(pm: pluggy.PluginManager) -> list[Command]:
    """Every registered ``envplan`` subcommand, in registration order."""
    return _collect(pm, "envplan_commands", Command, "name", plugin_manager=pm)


def collect_classifiers(pm: pluggy.PluginManager) -> list[Classifier]:
    """Every registered ``classify`` kind, in registration order."""
    return _collect(pm, "envplan_classifiers", Classifier, "kind")

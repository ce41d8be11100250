"""The core's built-in plugin, registered through the same hooks as third-party plugins: the parameters
of the national standards, the county's responsible units, the generic evaluators, every core command
and the surface-water classifier."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pluggy

from envplan_core.hookspecs import hookimpl
from envplan_core.model import ResponsibleUnit
from envplan_core.parameters import Parameter

if TYPE_CHECKING:
    from envplan_core.commands.base import Classifier, Command


@hookimpl
def envplan_parameters() -> Iterable[Parameter]:
    from envplan_core.standards import all_parameters

    return list(all_parameters())


@hookimpl
def envplan_responsible_units() -> Iterable[ResponsibleUnit]:
    from envplan_core.responsible import default_units

    return default_units()


@hookimpl
def envplan_evaluators() -> Mapping[str, Callable[..., Any]]:
    from envplan_core.evaluators import GENERIC_EVALUATORS

    return dict(GENERIC_EVALUATORS)


@hookimpl
def envplan_commands(plugin_manager: pluggy.PluginManager) -> Iterable[Command]:
    from envplan_core.commands.air import AIR_COMMANDS
    from envplan_core.commands.calendar import CALENDAR_COMMAND
    from envplan_core.commands.check import check_command
    from envplan_core.commands.classify import classify_command
    from envplan_core.commands.core import CORE_COMMANDS
    from envplan_core.commands.diff import DIFF_COMMAND
    from envplan_core.commands.plugins import PLUGINS_COMMAND
    from envplan_core.commands.registry import collect_classifiers

    return [
        *CORE_COMMANDS,
        classify_command(lambda: collect_classifiers(plugin_manager)),
        *AIR_COMMANDS,
        DIFF_COMMAND,
        PLUGINS_COMMAND,
        check_command(plugin_manager),
        CALENDAR_COMMAND,
    ]


@hookimpl
def envplan_classifiers() -> Iterable[Classifier]:
    from envplan_core.commands.surface_water import SURFACE_WATER

    return [SURFACE_WATER]

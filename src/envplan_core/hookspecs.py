"""Hook specifications: every ``envplan_*`` hook a plugin may implement.

Hooks are called with keyword arguments only; an implementation may accept fewer arguments than the
specification names (pluggy's opt-in arguments), so specifications can grow without breaking plugins.
Each hook is documented in ``docs/hooks.md`` with its exact signature; ``tests/core/test_docs.py``
fails when one is missing there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import pint

    from envplan_core.commands.base import Classifier, Command
    from envplan_core.evaluator_types import Evaluator
    from envplan_core.model import Plan, ResponsibleUnit
    from envplan_core.parameters import Parameter

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "envplan"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec(historic=True)
def envplan_add_units(registry: pint.UnitRegistry) -> None:
    """Define extra units in the shared pint registry.

    Called once per process for each implementation (the registry is shared by every engine the
    process builds), before any plan file is loaded, so an implementation need not guard against
    defining its units twice.

    :param registry: the one registry of :mod:`envplan_core.units`; call ``registry.define(...)``.
        Defining a unit that already exists raises and names the plugin.
    :return: nothing.

    .. versionadded:: 0.1
    """


@hookspec
def envplan_parameters() -> Iterable[Parameter]:
    """Monitored parameters the plugin's plans judge that the core standards do not already declare.

    :return: :class:`~envplan_core.parameters.Parameter` objects. The same id from two sources must
        agree on the canonical unit.

    .. versionadded:: 0.1
    """


@hookspec
def envplan_responsible_units() -> Iterable[ResponsibleUnit]:
    """Responsible units and groups (各镇, 沿河各镇 …) with their aliases.

    The core registers the county's units as a built-in plugin; a plan plugin adds units that only
    it names. A group's ``members`` are unit ids; a county data file passed to
    :func:`envplan_core.load` (``units_file=``) overrides group membership.

    :return: :class:`~envplan_core.model.ResponsibleUnit` objects.

    .. versionadded:: 0.1
    """


@hookspec
def envplan_plans() -> Iterable[Plan]:
    """The plans this plugin provides, usually loaded from YAML with
    :func:`envplan_core.converters.load_plan`.

    :return: :class:`~envplan_core.model.Plan` objects. Ids of plans, targets, rules and tasks must
        be unique across all plugins.

    .. versionadded:: 0.1
    """


@hookspec
def envplan_evaluators() -> Mapping[str, Evaluator | Callable[..., Any]]:
    """Evaluators by name, so plan files can name them (``evaluator: section_class``).

    An evaluator is called as ``fn(item, ctx)`` with the target or rule and an
    :class:`envplan_core.plugin.EvalContext`, and returns an iterable of
    :class:`envplan_core.plugin.Finding`. Declare its parameters with
    :func:`envplan_core.plugin.evaluator` (an attrs class): every plan item's ``params:`` is structured
    into it when the plugin loads, so an unknown or mistyped key is a load error naming plan, item and
    key. A bare function takes no parameters. The core registers its generic evaluators (``statistic``,
    ``yoy_change``, ``inventory_count``, ``inventory_ratio``, ``inventory_field``,
    ``inventory_forbidden``, ``supplied_value``) through the same hook; a name registered twice is an
    error naming both plugins. A plan may use another plugin's evaluators when its plugin declares that
    plugin in :func:`envplan_requires`.

    :return: a mapping from evaluator name to :class:`~envplan_core.plugin.Evaluator` (or function).

    .. versionadded:: 0.1
    .. versionchanged:: 0.2 evaluators declare typed parameters.
    """


@hookspec
def envplan_example_data() -> Iterable[str]:
    """Folders of synthetic example data that ``envplan demo`` evaluates.

    A folder may hold ``observations*.csv``/``.xlsx``, ``inventory*.yaml``/``.json`` and
    ``progress*.csv``/``.xlsx``; every file found is passed to the engine. Ship the folder inside the
    plugin's package (package data) and locate it with
    :func:`envplan_core.plugin.package_path` (``package_path(__name__, "examples")``), which works in
    source checkouts and installed wheels alike.

    :return: folder paths (strings or :class:`pathlib.Path`).

    .. versionadded:: 0.1
    """


@hookspec
def envplan_requires() -> Iterable[str]:
    """Plugins this plugin needs loaded beside it (usually: whose evaluators its plans use).

    A 2024 water plan that reuses ``section_class`` returns ``["water"]``. Names are entry-point names
    or module names (``water``, ``envplan_water``). The manager loads each required plugin even when
    only this one was asked for (``--plugins``); a requirement that is not installed, or disabled with
    ``-p no:NAME``, is a :class:`~envplan_core.errors.PluginError` naming both plugins.

    :return: plugin names.

    .. versionadded:: 0.2
    """


@hookspec
def envplan_commands(plugin_manager: pluggy.PluginManager) -> Iterable[Command]:
    """Subcommands of ``envplan`` (as datasette's ``register_commands``).

    The core's own commands (``plans``, ``evaluate``, ``classify``, ``aqi`` …) come through this hook
    from the built-in plugin. A name registered twice is an error naming both plugins.

    :param plugin_manager: the plugin manager, for commands that gather other hooks (``classify``
        collects :func:`envplan_classifiers`); most implementations omit it.
    :return: :class:`~envplan_core.plugin.Command` objects.

    .. versionadded:: 0.2
    """


@hookspec
def envplan_classifiers() -> Iterable[Classifier]:
    """Kinds for ``envplan classify KIND FILE`` (the core registers ``surface-water``).

    ``envplan classify --list`` shows them. A kind registered twice is an error naming both plugins.

    :return: :class:`~envplan_core.plugin.Classifier` objects.

    .. versionadded:: 0.2
    """

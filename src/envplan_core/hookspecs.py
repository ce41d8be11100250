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

    from envplan_core.model import Plan, ResponsibleUnit
    from envplan_core.parameters import Parameter

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "envplan"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec(historic=True)
def envplan_add_units(registry: pint.UnitRegistry) -> None:
    """Define extra units in the shared pint registry.

    Called once per plugin manager, as soon as the plugin registers (historic), so units exist before
    any plan file is loaded.

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
def envplan_evaluators() -> Mapping[str, Callable[..., Any]]:
    """Evaluator functions by name, so plan files can name them (``evaluator: section_class``).

    An evaluator is called as ``fn(item, ctx)`` with the target or rule and an
    :class:`envplan_core.engine.EvalContext`, and returns an iterable of
    :class:`envplan_core.findings.Finding`. The core registers its generic evaluators (``statistic``,
    ``yoy_change``, ``inventory_count``, ``inventory_ratio``, ``inventory_field``,
    ``inventory_forbidden``, ``supplied_value``) through the same hook; a name registered twice is an
    error naming both plugins.

    :return: a mapping from evaluator name to function.

    .. versionadded:: 0.1
    """


@hookspec
def envplan_example_data() -> Iterable[str]:
    """Folders of synthetic example data that ``envplan demo`` evaluates.

    A folder may hold ``observations*.csv``/``.xlsx``, ``inventory*.yaml``/``.json`` and
    ``progress*.csv``/``.xlsx``; every file found is passed to the engine. Use
    :func:`envplan_core.examples.example_dir` to locate the bundled ``examples/<plan>/`` folder in
    both installed and source checkouts.

    :return: folder paths (strings or :class:`pathlib.Path`).

    .. versionadded:: 0.1
    """

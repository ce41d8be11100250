"""The core's built-in plugin, registered through the same hooks as third-party plugins:
the parameters of the national standards, the county's responsible units, the generic evaluators."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from envplan_core.hookspecs import hookimpl
from envplan_core.model import ResponsibleUnit
from envplan_core.parameters import Parameter


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

"""National standards the plans rely on, one module per standard, each table as data beside it.

Each module that judges monitored values exposes ``PARAMETERS`` (a tuple of
:class:`envplan_core.parameters.Parameter`); :func:`all_parameters` gathers them.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from envplan_core.parameters import Parameter

__all__ = ["all_parameters"]

# Modules contributing parameters; a module listed here that is not present yet is skipped.
_PARAMETER_MODULES = ("gb3095", "gb3838", "black_odorous", "stack")


def all_parameters() -> Iterator[Parameter]:
    for name in _PARAMETER_MODULES:
        try:
            module = importlib.import_module(f"envplan_core.standards.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"envplan_core.standards.{name}":
                raise
            continue
        yield from getattr(module, "PARAMETERS", ())

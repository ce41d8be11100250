"""National standards the plans rely on, one module per standard, each table as data beside it.

The standards are the bottom floor of envplan: they import nothing but the units, parameters,
rounding and error modules (and numpy), so they can be used on their own and by every plan of every
year. ``tests/core/test_layers.py`` keeps it so.

Each module that judges monitored values exposes ``PARAMETERS`` (a tuple of
:class:`envplan_core.parameters.Parameter`). :func:`all_parameters` finds every such module in this
package — a new standard needs no registration — and :func:`default_parameters` gathers them into one
registry.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Iterator

from envplan_core.parameters import Parameter, ParameterRegistry

__all__ = ["all_parameters", "default_parameters", "standard_modules"]

# Modules whose parameters are registered first, in this order: when two standards use one alias for
# different parameters, the first registered keeps it. Water before soil: a bare "Cd", "苯" or "BaP" in
# an observation file is the water parameter (mg/L, GB 3838 / GB/T 14848); soil data are read with the
# soil standards' own names (``soil_Cd``, 土壤镉) or by the soil classifier, which resolves within soil.
# Other modules follow in alphabetical order.
_FIRST = ("gb3095", "gb3838", "gbt14848", "black_odorous", "stack")


@functools.cache
def standard_modules() -> tuple[str, ...]:
    """Names of the standards modules in this package (private modules excluded)."""
    found = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return (*(n for n in _FIRST if n in found), *(n for n in found if n not in _FIRST))


def all_parameters() -> Iterator[Parameter]:
    """Every ``PARAMETERS`` entry of every standards module."""
    for name in standard_modules():
        module = importlib.import_module(f"{__name__}.{name}")
        yield from getattr(module, "PARAMETERS", ())


def default_parameters() -> ParameterRegistry:
    """Every parameter the core's national standards know, in one registry."""
    registry = ParameterRegistry()
    for parameter in all_parameters():
        registry.add(parameter)
    return registry

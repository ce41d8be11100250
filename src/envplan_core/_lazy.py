"""Names a module exports but imports on first use (PEP 562), so importing the module stays cheap.

``envplan_core``, ``envplan_core.plugin`` and ``envplan_core.standards.hj633`` each map a name to the
module that defines it and install the ``__getattr__``/``__dir__`` made here: ``envplan --help`` then
imports no unit registry, pandas or Arrow, and ``hj633`` need not import ``hj633_frames`` (which imports
it) at load time.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    namespace: MutableMapping[str, Any], names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for the module whose ``globals()`` is ``namespace``: ``names`` maps
    each lazy name to the module defining it (a name that is its module's last part is the module itself).
    A name is imported on first use and then kept in ``namespace``; any other name is an AttributeError."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        imported = importlib.import_module(module)
        value = imported if module.rpartition(".")[2] == name else getattr(imported, name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *namespace.get("__all__", ())})

    return __getattr__, __dir__

"""Locate the bundled, clearly synthetic example data (``examples/<plan>/`` in the repository).

In a wheel the folder is installed as ``envplan_core/_examples`` (hatch ``force-include``); in a source
checkout (editable install, tests) it is the repository's ``examples/``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["example_dir", "examples_root"]


def examples_root() -> Path:
    installed = Path(str(resources.files("envplan_core"))) / "_examples"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "examples"


def example_dir(plan: str) -> Path:
    """The example folder of one plan (``water``, ``air`` …)."""
    return examples_root() / plan

"""Every hook is documented in docs/hooks.md with its exact signature."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from envplan_core import hookspecs

DOCS = Path(__file__).resolve().parents[2] / "docs" / "hooks.md"


def _hooks() -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(fn)
        for name, fn in vars(hookspecs).items()
        if name.startswith("envplan_") and callable(fn)
    }


def test_every_hook_is_documented_with_its_signature() -> None:
    text = DOCS.read_text(encoding="utf-8")
    documented = dict(re.findall(r"^## `(envplan_\w+)\(([^)]*)\)`", text, flags=re.M))
    hooks = _hooks()
    assert hooks, "no hooks found"
    for name, sig in hooks.items():
        assert name in documented, f"{name} is not documented in docs/hooks.md"
        params = ", ".join(sig.parameters)
        assert documented[name].replace(" ", "") == params.replace(" ", ""), (
            f"{name}: docs say ({documented[name]}), code says ({params})"
        )
    stale = set(documented) - set(hooks)
    assert not stale, f"docs/hooks.md documents hooks that do not exist: {stale}"


def test_every_hookspec_has_a_docstring_with_return_and_version() -> None:
    for name, fn in vars(hookspecs).items():
        if name.startswith("envplan_") and callable(fn):
            doc = inspect.getdoc(fn) or ""
            assert ":return:" in doc, name
            assert "versionadded" in doc, name

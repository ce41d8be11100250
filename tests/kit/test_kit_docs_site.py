"""The docs site (docs/conf.py, Sphinx + MyST; ``.ci/run`` builds it with warnings as errors): a page per
hook and per plan, the API pages naming modules that exist, every page reachable from the index."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from envplan_core import hookspecs

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _hooks() -> list[str]:
    return sorted(name for name, fn in vars(hookspecs).items() if name.startswith("envplan_") and callable(fn))


def test_every_hook_has_a_page_of_its_own() -> None:
    pages = {p.stem for p in (DOCS / "api" / "hooks").glob("envplan_*.md")}
    assert pages == set(_hooks())
    for name in _hooks():
        text = (DOCS / "api" / "hooks" / f"{name}.md").read_text(encoding="utf-8")
        assert f".. autofunction:: envplan_core.hookspecs.{name}" in text


@pytest.mark.parametrize(
    "plan", sorted(p.parent.name.removeprefix("envplan_") for p in ROOT.glob("plugins/*/envplan_*/plan.yaml"))
)
def test_every_shipped_plan_has_a_page(plan: str) -> None:
    page = DOCS / "plans" / f"{plan}.md"
    assert page.is_file(), f"docs/plans/{plan}.md: every shipped plan has a page (the index lists plans/*)"
    assert page.read_text(encoding="utf-8").startswith("# ")


def test_the_api_pages_name_importable_modules() -> None:
    for page in (DOCS / "api").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        for kind, target in re.findall(r"^\.\. auto(module|function|class|exception):: (\S+)", text, re.M):
            module, _, attr = target.rpartition(".") if kind != "module" else (target, "", "")
            obj = importlib.import_module(module)
            if attr:
                assert hasattr(obj, attr), f"{page.name}: {target}"


def test_the_index_reaches_the_pages() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    listed = {
        line.strip()
        for block in re.findall(r"```\{toctree\}\n(.*?)```", index, flags=re.S)
        for line in block.splitlines()
        if line.strip() and not line.startswith(":")
    }
    assert {"cli", "inputs", "hooks", "tutorial-new-plan", "testing", "schemas", "api/index", "plans/*"} <= listed
    # Pages not listed are added under "More" by conf.py at build time (a page someone adds later).
    namespace: dict[str, object] = {"__file__": str(DOCS / "conf.py"), "__name__": "conf"}
    exec(compile((DOCS / "conf.py").read_text(encoding="utf-8"), str(DOCS / "conf.py"), "exec"), namespace)
    unlisted = namespace["_unlisted_pages"](index)  # type: ignore[operator]
    assert "testing" not in unlisted and "cli" not in unlisted
    outside = namespace["_outside_links"]("performance", "see [b/README.md](../benchmarks/README.md) and [x](cli.md)")  # type: ignore[operator]
    assert outside == "see b/README.md (`benchmarks/README.md` in the repository) and [x](cli.md)"

"""Build hook: every plan plugin under ``plugins/*/envplan_*`` goes into the wheel, found, not listed.

Adding a plan plugin then touches its own folder and one entry-point line in ``pyproject.toml``, nothing
else. In a regular wheel each plugin package is force-included at the top level (``envplan_water/``…),
package data (plan.yaml, examples/) included; in an editable install a ``.pth`` file puts each
``plugins/<name>`` folder on ``sys.path``, as ``dev-mode-dirs`` does for ``src``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

_SKIP = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}


def plugin_packages(root: Path) -> list[Path]:
    """``plugins/<name>/envplan_<name>`` folders that are Python packages, sorted."""
    return sorted(p for p in root.glob("plugins/*/envplan_*") if (p / "__init__.py").is_file())


class PluginPackagesHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        packages = plugin_packages(root)
        if version == "editable":
            pth = Path(tempfile.mkdtemp(prefix="envplan-build-")) / "_envplan_plugins.pth"
            pth.write_text("\n".join(str(p.parent.resolve()) for p in packages) + "\n", encoding="utf-8")
            build_data["force_include_editable"][str(pth)] = "_envplan_plugins.pth"
            return
        for package in packages:
            for path in sorted(package.rglob("*")):
                if path.is_file() and not _SKIP & set(path.relative_to(root).parts) and path.suffix != ".pyc":
                    build_data["force_include"][str(path)] = str(path.relative_to(package.parent))

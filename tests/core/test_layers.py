"""The import layers of envplan_core, and the plugin boundary, checked on the source.

Floors, from the bottom (a module may import its own floor and the floors below, never above):

0. ``errors``, ``units``, ``parameters``, ``safeload``, ``standards.rounding``, ``_lazy``, ``_ahead``, ``_sources`` — the vocabulary;
1. ``standards`` — the national standards, pure tables and functions;
2. ``model``, ``findings``, ``converters``, ``hookspecs``, ``responsible``, ``sites``, ``evaluator_types``;
3. ``data`` (readers), ``analysis`` (column shaping), ``stats``;
4. ``catalog`` (validated registry), ``context`` (what an evaluator sees);
5. ``engine``, ``evaluators`` (the generic ones);
6. ``render``, ``commands.base``, ``commands.registry``;
7. ``plugin`` (the narrow API plans import), the core's commands, ``conformance`` (plugin checks, plan cases);
8. ``builtin`` (the core as a plugin), ``manager``;
9. ``cli``, ``__main__``, the package ``__init__``, the testing kit.

Imports under ``if TYPE_CHECKING:`` are annotations only and do not count. Function-level (lazy) imports
do count. Plugins shipped in ``plugins/`` import only ``envplan_core.plugin`` and
``envplan_core.standards``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PLUGINS = ROOT / "plugins"

_FLOORS: list[tuple[int, tuple[str, ...]]] = [
    (0, ("errors", "units", "parameters", "safeload", "standards.rounding", "_lazy", "_ahead", "_sources")),
    (1, ("standards",)),
    (2, ("model", "findings", "converters", "hookspecs", "responsible", "sites", "evaluator_types")),
    (3, ("data", "analysis", "stats")),
    (4, ("catalog", "context")),
    (5, ("engine", "evaluators")),
    (6, ("render", "commands.base", "commands.registry")),
    (7, ("plugin", "commands", "conformance")),
    (8, ("builtin", "manager")),
    (9, ("cli", "__main__", "_pytest_plugin", "testing", "")),
]


def floor_of(module: str) -> int:
    """The floor of ``envplan_core.X.Y``: the longest declared prefix decides."""
    rel = module.removeprefix("envplan_core").removeprefix(".")
    best: tuple[int, int] | None = None
    for floor, prefixes in _FLOORS:
        for prefix in prefixes:
            matches = rel == prefix or (prefix and rel.startswith(prefix + ".")) or (not prefix and not rel)
            if matches and (best is None or len(prefix) > best[0]):
                best = (len(prefix), floor)
    if best is None:
        raise AssertionError(f"{module}: not assigned to a floor in tests/core/test_layers.py")
    return best[1]


def _module_name(path: Path, base: Path) -> str:
    parts = list(path.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, known: set[str]) -> set[str]:
    """Modules of ``known`` that ``path`` imports at run time (lazy imports included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from pkg import sub`` imports the submodule; ``from pkg import name`` imports pkg itself.
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                found.add(sub if sub in known else node.module)
    return {m for m in found if m in known}


def _graph(base: Path, package: str) -> dict[str, set[str]]:
    files = {_module_name(p, base): p for p in (base / package).rglob("*.py")}
    known = set(files)
    return {name: _imports(path, known) - {name} for name, path in files.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


GRAPH = _graph(SRC, "envplan_core")


def test_every_module_has_a_floor() -> None:
    for module in GRAPH:
        floor_of(module)


def test_no_upward_import() -> None:
    upward = [
        f"{m} (floor {floor_of(m)}) imports {d} (floor {floor_of(d)})"
        for m, deps in sorted(GRAPH.items())
        for d in sorted(deps)
        if floor_of(d) > floor_of(m)
    ]
    assert upward == []


def test_no_import_cycle() -> None:
    assert _cycles(GRAPH) == []


def test_standards_import_only_the_vocabulary() -> None:
    allowed_floors = {0, 1}
    bad = [
        f"{m} imports {d}"
        for m, deps in GRAPH.items()
        if floor_of(m) == 1
        for d in deps
        if floor_of(d) not in allowed_floors
    ]
    assert bad == []


def test_the_checker_catches_a_cycle_and_an_upward_import() -> None:
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
    assert floor_of("envplan_core.standards.gb3838") < floor_of("envplan_core.cli")


@pytest.mark.parametrize("plugin", sorted(p.name for p in PLUGINS.glob("*/envplan_*") if p.is_dir()))
def test_plugins_import_only_the_plugin_api_and_the_standards(plugin: str) -> None:
    package = next(PLUGINS.glob(f"*/{plugin}"))
    bad = []
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + (
                    [f"{node.module}.{a.name}" for a in node.names] if node.module == "envplan_core" else []
                )
            for name in names:
                if name == "envplan_core" or name.startswith("envplan_core."):
                    ok = name == "envplan_core.plugin" or name == "envplan_core.standards" or name.startswith(
                        "envplan_core.standards."
                    )
                    if not ok:
                        bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    assert bad == []

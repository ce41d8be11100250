"""Reading YAML and JSON that may be hostile: no code, bounded size and depth, no duplicate keys.

Every YAML and JSON file envplan reads (plans, inventories, county units files) goes through
:func:`load_yaml` or :func:`load_json`, which refuse, with :class:`InputFormatError` naming the line:

* **tags and code**: YAML is read with a ``SafeLoader`` (no ``!!python/…`` tags);
* **alias bombs** ("billion laughs"): the document's size *after* alias expansion is computed on the
  composed node graph, before anything is built, and may not exceed :data:`MAX_NODES`; a recursive
  alias (``&a [*a]``) is refused;
* **deep nesting**: more than :data:`MAX_DEPTH` levels, or nesting deep enough to exhaust the parser's
  recursion, is refused;
* **duplicate keys** (``capacity: 20 t/h`` then ``capacity: 50 t/h``): the second would silently win;
  the error names both lines.

YAML also keeps dates and ``HH:MM`` times as text (a bad date is then reported with its path by the
converter, and ``10:00`` is not the sexagesimal integer 600).
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["MAX_DEPTH", "MAX_EXPANSION", "MAX_NODES", "InputFormatError", "load_json", "load_yaml"]

#: Nodes a document may have after alias expansion (a plan has ~10⁴; an inventory of 10⁵ records fits).
MAX_NODES = 5_000_000
#: How much aliases may multiply a document: expanded nodes ≤ this × written nodes + 10,000. Aliases in
#: real plan and inventory files repeat a default block a few times; a "billion laughs" multiplies by 9
#: per level.
MAX_EXPANSION = 10
#: Nesting levels a document may have (plans and inventories use fewer than 10).
MAX_DEPTH = 100


class InputFormatError(ValueError):
    """A YAML or JSON text that is malformed or refused; ``line`` is 1-based when known."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


class _NoDuplicates:
    """Mixin of the loaders: duplicate keys refused, naming the line of the first."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if first is not None:
                raise InputFormatError(f"duplicate key {key!r} (first at line {first})", line=line)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc, no-any-return]

    construct_object: Any


class _Loader(_NoDuplicates, yaml.SafeLoader):
    """SafeLoader without timestamps and sexagesimal numbers, refusing duplicate keys."""


# YAML 1.1 resolves ``2023-05-10`` to a date and ``10:00`` to the sexagesimal integer 600. Dates stay
# text (the converter reports a bad one with its path); numbers are rebuilt without the sexagesimal form.
_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    # PyYAML's own YAML 1.1 float pattern, less its sexagesimal branch (so dumping stays round-trip safe).
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def _check_graph(root: Node) -> None:
    """Size after alias expansion and depth, computed without recursion; refuse recursive aliases."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    written = 0
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            line = node.start_mark.line + 1
            if size[key] > MAX_NODES or size[key] > MAX_EXPANSION * written + 10_000:
                raise InputFormatError(
                    f"aliases expand the document to more than {size[key]:,} values from {written:,} written "
                    "(an alias bomb?); refused",
                    line=line,
                )
            if depth[key] > MAX_DEPTH:
                raise InputFormatError(f"nested more than {MAX_DEPTH} levels deep", line=line)
            continue
        if key in size:
            continue
        if key in on_path:
            raise InputFormatError("a recursive alias (a value that contains itself)", line=node.start_mark.line + 1)
        on_path.add(key)
        written += 1
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in size)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


# The same loader on libyaml's parser when PyYAML has it: a plan file composes ~10× faster (envplan plans
# starts in a fraction of the time). Only the parser differs — the node graph, its checks and the
# constructor are the ones above; a document libyaml refuses is read again by the pure-Python parser, so
# every message (and its line) is the one the reliability tests hold.
_CLoader: type[Any] | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _CLoaderType(_NoDuplicates, yaml.CSafeLoader):
        """:class:`_Loader` on libyaml's parser."""

    _CLoaderType.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _CLoader = _CLoaderType


def load_yaml(text: str) -> Any:
    """Parse YAML text safely (see the module docstring); raise :class:`InputFormatError`."""
    if _CLoader is not None:
        try:
            return _load(text, _CLoader)
        except _NotParsed:
            pass  # the pure-Python parser says why, with its line
    return _load(text, _Loader)


class _NotParsed(Exception):
    pass


def _load(text: str, kind: type[Any]) -> Any:
    fast = kind is not _Loader
    try:
        loader = kind(text)
    except yaml.YAMLError as exc:  # the reader refuses control characters (NUL …) on sight
        if fast:
            raise _NotParsed from None
        raise InputFormatError(f"not valid YAML: {exc}") from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            if fast:
                raise _NotParsed from None
            raise
        if node is None:
            return None
        _check_graph(node)
        return loader.construct_document(node)
    except RecursionError:
        raise InputFormatError(f"nested too deeply (more than {MAX_DEPTH} levels)") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.context, exc.problem) if p) or str(exc)
        raise InputFormatError(f"not valid YAML: {problem}", line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise InputFormatError(f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise InputFormatError(f"duplicate key {key!r} in one object")
        out[key] = value
    return out


def _depth_ok(text: str) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH before parsing (brackets outside strings)."""
    level = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            level += 1
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                raise InputFormatError(f"nested more than {MAX_DEPTH} levels deep")
        elif ch in "]}":
            level -= 1


def load_json(text: str) -> Any:
    """Parse JSON text: duplicate keys and deep nesting refused; raise :class:`InputFormatError`."""
    _depth_ok(text)
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputFormatError(f"not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    except RecursionError:
        raise InputFormatError(f"nested too deeply (more than {MAX_DEPTH} levels)") from None

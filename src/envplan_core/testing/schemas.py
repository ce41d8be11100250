"""The JSON Schemas of every JSON document envplan writes, shipped in ``envplan_core/schemas/``.

One file per document: ``plans``, ``targets``, ``rules``, ``tasks``, ``units``, ``evaluate``, ``demo``,
``classify`` (the ``--list``), ``classify-surface-water`` (one per kind that has its own) and
``classify-kind`` (what every kind shares), ``aqi``, ``air-stats``, ``diff``, ``plugins``, ``check``;
``document`` is what any JSON document shares (a plugin's command); ``case`` describes the declarative
case files. Shared pieces are in ``common.schema.json``, referred to by relative ``$ref``. Each file
carries ``x-envplan-schema-version`` and requires ``schema_version`` to equal it.

:func:`validate_json` needs the ``jsonschema`` library (in the ``testing`` extra)::

    from envplan_core.testing import validate_json
    validate_json(json.loads(output), "evaluate")
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["SCHEMA_SUFFIX", "load_schema", "schema_dir", "schema_for", "schema_names", "validate_json"]

SCHEMA_SUFFIX = ".schema.json"


def schema_dir() -> Path:
    """The folder of the shipped schema files (inside the installed package)."""
    return Path(str(resources.files("envplan_core").joinpath("schemas")))


def schema_names() -> list[str]:
    """Names of the shipped schemas (``evaluate``, ``classify-surface-water`` …), sorted."""
    return sorted(p.name.removesuffix(SCHEMA_SUFFIX) for p in schema_dir().glob(f"*{SCHEMA_SUFFIX}"))


@cache
def _load(name: str) -> dict[str, Any]:
    path = schema_dir() / f"{name}{SCHEMA_SUFFIX}"
    if not path.is_file():
        raise KeyError(f"no schema {name!r} (have: {', '.join(schema_names())})")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def load_schema(name: str) -> dict[str, Any]:
    """The schema ``name`` as a mapping (a copy: change it freely)."""
    return json.loads(json.dumps(_load(name)))  # type: ignore[no-any-return]


def schema_for(command: str, kind: str | None = None) -> str:
    """The schema name of a command's JSON: ``schema_for("classify", "surface-water")`` is
    ``classify-surface-water``; a classify kind without its own schema gets ``classify-kind``, a command
    without one (a plugin's) ``document``."""
    names = set(schema_names())
    if command == "classify" and kind:
        own = f"classify-{kind}"
        return own if own in names else "classify-kind"
    return command if command in names else "document"


def validate_json(document: Any, schema: str) -> None:
    """Validate a parsed JSON document against a shipped schema; raise ``jsonschema.ValidationError``
    (an ``AssertionError`` is not used: the error names the failing path and the violated keyword)."""
    import jsonschema
    from referencing import Registry, Resource

    registry: Registry[Any] = Registry().with_resources(
        (f"{name}{SCHEMA_SUFFIX}", Resource.from_contents(_load(name))) for name in schema_names()
    )
    validator = jsonschema.Draft202012Validator(_load(schema), registry=registry)
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        raise error

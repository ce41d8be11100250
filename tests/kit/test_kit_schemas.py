"""Every JSON document the CLI writes validates against its schema (envplan_core/schemas/, jsonschema).

Each command that offers ``--format json`` is run on the shipped example data; each ``classify`` kind a
plugin registers is run on an example file that suits it (a new kind is picked up: it is tried on every
plugin's example files and held to its own schema, or to ``classify-kind``). A command of the core
without a schema of its own fails the test; a plugin's command is held to ``document``.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from envplan_core.cli import build_parser, main
from envplan_core.commands.registry import collect_classifiers, collect_commands
from envplan_core.findings import SCHEMA_VERSION
from envplan_core.manager import BUILTIN_NAME, get_plugin_manager
from envplan_core.testing import (
    example_data,
    load_engine,
    load_schema,
    schema_for,
    schema_names,
    validate_json,
)
from envplan_core.testing.schemas import schema_dir

ROOT = Path(__file__).resolve().parents[2]
PLAN_2024 = ROOT / "examples" / "plugins" / "xinjiang2024" / "envplan_xinjiang2024" / "plan.yaml"

EXAMPLES = example_data(load_engine())
WATER = EXAMPLES.folder("water")
AIR = EXAMPLES.folder("air")

#: Options a classify kind needs besides FILE, for the example files that suit it.
KIND_OPTIONS: dict[str, list[list[str]]] = {
    "soil": [["--land", "agricultural"], ["--land", "construction"]],
}


def run_json(tmp_path: Path, *argv: str) -> Any:
    out = tmp_path / "out.json"
    code = main([*argv, "--format", "json", "--output", str(out)])
    assert code in (0, 1), f"envplan {' '.join(argv)} exited {code}"
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def air_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three days of the air examples (the whole year makes aqi's JSON 18 000 records)."""
    target = tmp_path_factory.mktemp("air") / "air_3_days.csv"
    with (AIR / "observations.csv").open(encoding="utf-8") as src, target.open("w", encoding="utf-8", newline="") as dst:
        reader, writer = csv.reader(src), csv.writer(dst)
        writer.writerow(next(reader))
        writer.writerows(row for row in reader if row[2][:10] in ("2023-01-01", "2023-01-02", "2023-07-15"))
    return target


COMMANDS: dict[str, list[str]] = {
    "plans": ["plans"],
    "targets": ["targets"],
    "rules": ["rules"],
    "tasks": ["tasks"],
    "units": ["units"],
    "evaluate": [
        "evaluate",
        "--observations", str(WATER / "observations.csv"),
        "--inventory", str(WATER / "inventory.yaml"),
        "--progress", str(WATER / "progress.csv"),
        "--as-of", "2023-12-31",
    ],
    "demo": ["demo"],
    "classify": ["classify", "--list"],
    "diff": ["diff", "air", str(PLAN_2024)],
    "plugins": ["plugins"],
    "check": ["check", "water", "--no-examples"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_json_of_each_command_validates(command: str, tmp_path: Path) -> None:
    document = run_json(tmp_path, *COMMANDS[command])
    validate_json(document, schema_for(command))
    assert document, command


@pytest.mark.parametrize("command", ["aqi", "air-stats"])
def test_the_json_of_the_air_commands_validates(command: str, tmp_path: Path, air_file: Path) -> None:
    document = run_json(tmp_path, command, str(air_file))
    validate_json(document, command)
    assert document and all(r["schema_version"] == SCHEMA_VERSION for r in document)


def test_evaluate_with_unused_rows_and_the_python_json_validate(tmp_path: Path) -> None:
    document = run_json(tmp_path, "evaluate", "--observations", str(AIR / "observations.csv"), "--plan", "water",
                        "--as-of", "2023-12-31")
    assert document["unused"]
    validate_json(document, "evaluate")
    report = load_engine().evaluate(progress=WATER / "progress.csv", as_of="2023-12-31")
    validate_json(json.loads(report.to_json()), "evaluate")


def _kinds() -> list[str]:
    return [c.kind for c in collect_classifiers(get_plugin_manager())]


def _candidate_files() -> Iterator[Path]:
    for folders in EXAMPLES.folders.values():
        for folder in folders:
            yield from sorted(folder.glob("*.csv"))


@pytest.mark.parametrize("kind", _kinds())
def test_the_json_of_every_classify_kind_validates(kind: str, tmp_path: Path) -> None:
    validated = 0
    for file in _candidate_files():
        for options in KIND_OPTIONS.get(kind, [[]]):
            out = tmp_path / f"{kind}.json"
            code = main(["classify", kind, str(file), *options, "--format", "json", "--output", str(out)])
            if code != 0:
                continue
            document = json.loads(out.read_text(encoding="utf-8"))
            if not document:
                continue
            validate_json(document, schema_for("classify", kind))
            validate_json(document, "classify-kind")
            validated += 1
    if not validated:
        pytest.skip(f"no example file of any plugin gives classify {kind} a result to validate")


def _json_commands() -> dict[str, str]:
    """Every registered command whose parser offers ``--format json``, with its plugin."""
    pm = get_plugin_manager()
    parser = build_parser(pm)
    assert collect_commands(pm)
    # Commands that come from the core: those the built-in plugin's own hook returns.
    builtin = pm.get_plugin(BUILTIN_NAME)
    core = {c.name for c in builtin.envplan_commands(plugin_manager=pm)}
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    out: dict[str, str] = {}
    for name, sub in subparsers.choices.items():
        fmt = next((a for a in sub._actions if "--format" in a.option_strings), None)
        if fmt is not None and fmt.choices is not None and "json" in fmt.choices:
            out[name] = "core" if name in core else "plugin"
    return out


def test_every_json_command_of_the_core_has_a_schema_and_a_run_here() -> None:
    commands = _json_commands()
    names = set(schema_names())
    core = {name for name, owner in commands.items() if owner == "core"}
    assert core - names == set(), "core commands without a schema in envplan_core/schemas/"
    assert core <= set(COMMANDS) | {"aqi", "air-stats"}, "core commands the schema test does not run"
    for name, owner in commands.items():
        if owner == "plugin":
            assert schema_for(name) in names


def test_every_schema_is_valid_and_versioned() -> None:
    names = schema_names()
    assert {"plans", "targets", "tasks", "units", "evaluate", "classify", "aqi", "air-stats", "diff", "plugins",
            "check", "common", "case"} <= set(names)
    for name in names:
        schema = load_schema(name)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["x-envplan-schema-version"] == SCHEMA_VERSION, name
        assert schema["$id"] == f"{name}.schema.json"
    defs = load_schema("common")["$defs"]
    assert defs["schema_version"]["const"] == SCHEMA_VERSION


def test_the_schemas_ship_in_the_package() -> None:
    assert schema_dir().is_dir()
    assert (schema_dir() / "evaluate.schema.json").is_file()


def test_a_document_that_breaks_the_contract_is_refused() -> None:
    with pytest.raises(jsonschema.ValidationError, match="'id' is a required property"):
        validate_json([{"schema_version": SCHEMA_VERSION, "title_zh": "…"}], "plans")
    with pytest.raises(jsonschema.ValidationError):
        validate_json({"schema_version": "0.9", "as_of": "2023-12-31", "plans": [], "findings": [], "unused": []},
                      "evaluate")
    with pytest.raises(jsonschema.ValidationError):
        validate_json([{"kind": "x"}], "classify-kind")  # no schema_version, no site
    with pytest.raises(KeyError, match="no schema"):
        load_schema("no-such-command")


def test_new_keys_do_not_break_the_contract() -> None:
    validate_json([{"schema_version": SCHEMA_VERSION, "site": "甲", "something_new": [1, 2]}], "classify-kind")


def test_the_case_files_fit_the_case_schema() -> None:
    from envplan_core.converters import safe_load_yaml

    files = sorted(ROOT.glob("plugins/*/envplan_*/cases/*.envplan.yaml"))
    files += sorted(ROOT.glob("examples/**/*.envplan.yaml"))
    assert len(files) >= 8
    for file in files:
        validate_json(safe_load_yaml(file.read_text(encoding="utf-8")), "case")


def test_schema_for_names_the_schema() -> None:
    assert schema_for("classify", "surface-water") == "classify-surface-water"
    assert schema_for("classify", "a-kind-nobody-knows") == "classify-kind"
    assert schema_for("a-plugins-command") == "document"
    assert schema_for("evaluate") == "evaluate"

"""Start-up (issue 12): what ``envplan --help``, ``envplan plans`` and ``envplan demo`` load, in fresh processes.

The time itself is measured by benchmarks/bench_startup.py (figures in docs/performance.md); these tests
hold the reasons it is short: listing plans loads no pandas, Arrow, openpyxl or numpy and builds no unit
registry, ``--help`` imports no pint, each plan file is parsed once, and only the chosen command's parser
is set up.
"""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from envplan_core.cli import build_parser, main
from envplan_core.manager import get_plugin_manager

# Runs ``envplan ARGS`` in this fresh interpreter and prints what it loaded as JSON.
_PROBE = r"""
import contextlib, io, json, sys
from envplan_core import converters

parsed = []
_load = converters.load_plan_text

def load_plan_text(text, *, source="<string>"):
    parsed.append(source)
    return _load(text, source=source)

converters.load_plan_text = load_plan_text
from envplan_core.cli import main

with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
from envplan_core import units

print(json.dumps({
    "code": code,
    "modules": sorted({name.split(".")[0] for name in sys.modules}),
    "registry": None if not units._REGISTRY else "built",
    "parsed": parsed,
}))
"""

#: Needed by no listing: the data readers' and writers' libraries, the schema checker.
_DATA_LIBRARIES = {"pandas", "pyarrow", "openpyxl", "polars", "icalendar", "jsonschema"}


def _fresh(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, done.stderr
    return result


def test_help_loads_no_unit_registry_and_no_data_library() -> None:
    probe = _fresh("--help")
    assert probe["registry"] is None
    assert not {"pint", "cattrs", "numpy", *_DATA_LIBRARIES} & set(probe["modules"])
    assert probe["parsed"] == []


@pytest.mark.parametrize("args", [("plans",), ("plans", "-f", "json")])
def test_plans_loads_no_unit_registry_no_numpy_and_parses_each_plan_once(args: tuple[str, ...]) -> None:
    probe = _fresh(*args)
    # Plans are listed with their quantities kept as written (catalog.list_plans): no pint registry, and
    # the listing command runs without numpy's floating-point guard (Command.computes=False).
    assert probe["registry"] is None
    assert not {"pint", "numpy", *_DATA_LIBRARIES} & set(probe["modules"])
    counts = collections.Counter(probe["parsed"])
    assert len(counts) >= 4 and set(counts.values()) == {1}, probe["parsed"]


def test_demo_loads_no_reader_library_it_does_not_need_and_parses_each_plan_once() -> None:
    probe = _fresh("demo", "-f", "json")
    assert probe["registry"] == "built"
    assert not {"openpyxl", "polars", "icalendar", "jsonschema"} & set(probe["modules"])
    assert set(collections.Counter(probe["parsed"]).values()) == {1}


_COUNTING_PLUGIN = '''
from envplan_core.plugin import Command, hookimpl

SET_UP = []


def setup(parser):
    """a command that counts its set-ups"""
    SET_UP.append(parser.prog)
    parser.add_argument("--loud", action="store_true", help="say it loudly")
    return lambda args, ctx: 0


@hookimpl
def envplan_commands():
    return [Command("count-me", setup)]
'''


def test_only_the_chosen_command_is_set_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "startup_counting_plugin"
    (tmp_path / f"{name}.py").write_text(_COUNTING_PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    import importlib

    plugin = importlib.import_module(name)
    monkeypatch.setitem(sys.modules, name, plugin)
    plugins = ["--plugins", name]

    assert main([*plugins, "--help"]) == 0
    assert "a command that counts its set-ups" in capsys.readouterr().out
    assert main([*plugins, "plans"]) == 0
    assert plugin.SET_UP == []
    assert main([*plugins, "count-me", "--loud"]) == 0
    assert plugin.SET_UP == ["envplan count-me"]
    assert main([*plugins, "count-me", "--help"]) == 0
    assert "say it loudly" in capsys.readouterr().out
    assert main([*plugins, "count-me", "--quiet"]) == 2
    assert "unrecognized arguments: --quiet" in capsys.readouterr().err
    # build_parser, the public function, still sets every command up.
    plugin.SET_UP.clear()
    build_parser(get_plugin_manager(plugins=[name]))
    assert plugin.SET_UP == ["envplan count-me"]

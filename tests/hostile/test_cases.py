"""The standing hostile-input suite: bad and hostile files through the CLI.

Each case writes one input file and runs one command with ``-o out.json``. Every case must end with exit
code 2, exactly one line on stderr that starts ``envplan: error:`` and names the input file (or the
flag), no traceback, and no output file written. The water and air plans are loaded (their sites and
parameters are real), so data reach the same code paths a county user's data do.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from envplan_core.cli import main

OBS = "site,parameter,time,value,unit\n"
GOOD = "杨赵桥,COD,2023-05-10,18,mg/L\n"
PROG = "task,status,date,note\n"

#: (id, file name, file content (str, or bytes), command template; {f} is the file)
CASES: list[tuple[str, str, str | bytes, str]] = [
    # -- units -------------------------------------------------------------------------------------
    ("unit-unknown", "o.csv", OBS + "杨赵桥,COD,2023-05-10,18,mg/Lx\n", "classify surface-water {f}"),
    ("unit-wrong-dimension", "o.csv", OBS + "杨赵桥,COD,2023-05-10,18,mg/kg\n", "classify surface-water {f}"),
    ("unit-wrong-basis", "o.csv", OBS + "城区监测站,PM2.5,2023-05-10,35,mg/L\n", "air-stats {f}"),
    ("unit-empty", "o.csv", OBS + "杨赵桥,COD,2023-05-10,18,\n", "classify surface-water {f}"),
    ("unit-percent-for-conc", "o.csv", OBS + "杨赵桥,COD,2023-05-10,18,%\n", "classify surface-water {f}"),
    ("unit-temperature-for-conc", "o.csv", OBS + "杨赵桥,COD,2023-05-10,18,degC\n", "classify surface-water {f}"),
    ("unit-code-like", "o.csv", OBS + "杨赵桥,COD,2023-05-10,18,__import__('os')\n", "classify surface-water {f}"),
    ("unit-ug-for-ph", "o.csv", OBS + "杨赵桥,pH,2023-05-10,7,ug/L\n", "classify surface-water {f}"),
    # -- parameters and sites ---------------------------------------------------------------------
    ("parameter-unknown", "o.csv", OBS + "杨赵桥,氨氮氮,2023-05-10,1,mg/L\n", "classify surface-water {f}"),
    ("parameter-empty", "o.csv", OBS + "杨赵桥,,2023-05-10,1,mg/L\n", "classify surface-water {f}"),
    ("site-empty", "o.csv", OBS + ",COD,2023-05-10,18,mg/L\n", "classify surface-water {f}"),
    ("site-unknown-strict", "o.csv", OBS + "某地,COD,2023-05-10,18,mg/L\n", "evaluate --observations {f} --as-of 2023-12-31 --strict"),
    # -- encodings -------------------------------------------------------------------------------
    ("encoding-latin1", "o.csv", OBS.encode() + b"S\xe9,COD,2023-05-10,18,mg/L\n", "classify surface-water {f}"),
    ("encoding-mixed", "o.csv", OBS.encode() + GOOD.encode() + GOOD.encode("gbk"), "classify surface-water {f}"),
    ("encoding-binary", "o.csv", b"\x00\x01\x02\xff\xfe" * 50, "classify surface-water {f}"),
    ("encoding-utf16", "o.csv", (OBS + GOOD).encode("utf-16"), "classify surface-water {f}"),
    # -- dates and times ------------------------------------------------------------------------
    ("date-feb-30", "o.csv", OBS + "杨赵桥,COD,2023-02-30,18,mg/L\n", "classify surface-water {f}"),
    ("date-month-13", "o.csv", OBS + "杨赵桥,COD,2023-13-01,18,mg/L\n", "classify surface-water {f}"),
    ("date-year-1", "o.csv", OBS + "杨赵桥,COD,0001-01-01,18,mg/L\n", "classify surface-water {f}"),
    ("date-year-9999", "o.csv", OBS + "杨赵桥,COD,9999-12-31,18,mg/L\n", "classify surface-water {f}"),
    ("date-offset-99", "o.csv", OBS + "城区监测站,PM2.5,2023-12-31T10:00-99:00,35,ug/m3\n", "aqi {f}"),
    ("date-hour-25", "o.csv", OBS + "城区监测站,PM2.5,2023-12-31T25:00,35,ug/m3\n", "aqi {f}"),
    ("date-hour-24-without-option", "o.csv", OBS + "城区监测站,PM2.5,2023-12-31T24:00,35,ug/m3\n", "aqi {f}"),
    ("date-text", "o.csv", OBS + "杨赵桥,COD,yesterday,18,mg/L\n", "classify surface-water {f}"),
    ("date-slashes-us", "o.csv", OBS + "杨赵桥,COD,05/10/2023,18,mg/L\n", "classify surface-water {f}"),
    ("date-empty", "o.csv", OBS + "杨赵桥,COD,,18,mg/L\n", "classify surface-water {f}"),
    ("as-of-malformed", "o.csv", OBS + GOOD, "evaluate --observations {f} --as-of 2023-13-45"),
    # -- numbers ------------------------------------------------------------------------------------
    ("number-negative", "o.csv", OBS + "杨赵桥,COD,2023-05-10,-18,mg/L\n", "classify surface-water {f}"),
    ("number-1e308", "o.csv", OBS + "杨赵桥,COD,2023-05-10,1e308,mg/L\n", "classify surface-water {f}"),
    ("number-inf", "o.csv", OBS + "杨赵桥,COD,2023-05-10,inf,mg/L\n", "classify surface-water {f}"),
    ("number-nan", "o.csv", OBS + "杨赵桥,COD,2023-05-10,nan,mg/L\n", "classify surface-water {f}"),
    ("number-text", "o.csv", OBS + "杨赵桥,COD,2023-05-10,3x5,mg/L\n", "classify surface-water {f}"),
    ("number-empty", "o.csv", OBS + "杨赵桥,COD,2023-05-10,,mg/L\n", "classify surface-water {f}"),
    ("number-nd-without-limit", "o.csv", OBS + "杨赵桥,COD,2023-05-10,ND,mg/L\n", "classify surface-water {f}"),
    ("number-zero-limit", "o.csv", OBS + "杨赵桥,COD,2023-05-10,<0,mg/L\n", "classify surface-water {f}"),
    ("number-ph-16", "o.csv", OBS + "杨赵桥,pH,2023-05-10,16,无量纲\n", "classify surface-water {f}"),
    # -- duplicates -------------------------------------------------------------------------------
    ("duplicate-row", "o.csv", OBS + GOOD + GOOD.replace("18", "19"), "classify surface-water {f}"),
    ("duplicate-alias", "o.csv", OBS + GOOD + "杨赵桥断面,COD,2023-05-10,19,mg/L\n", "evaluate --observations {f} --as-of 2023-12-31 --plan water"),
    ("duplicate-header", "o.csv", "site,site,parameter,time,value,unit\nA,杨赵桥,COD,2023-05-10,18,mg/L\n", "classify surface-water {f}"),
    # -- structure of tables ---------------------------------------------------------------------
    ("table-empty-file", "o.csv", "", "classify surface-water {f}"),
    ("table-header-only-wrong", "o.csv", "a,b,c\n1,2,3\n", "classify surface-water {f}"),
    ("table-missing-column", "o.csv", "site,parameter,time,value\n杨赵桥,COD,2023-05-10,18\n", "classify surface-water {f}"),
    ("table-extra-column", "o.csv", "site,parameter,time,value,unit,x\n杨赵桥,COD,2023-05-10,18,mg/L,1\n", "classify surface-water {f}"),
    ("table-too-many-fields", "o.csv", OBS + "杨赵桥,COD,2023-05-10,18,mg/L,extra\n", "classify surface-water {f}"),
    ("table-unterminated-quote", "o.csv", OBS + '杨赵桥,"COD,2023-05-10,18,mg/L\n', "classify surface-water {f}"),
    ("table-xls", "o.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "classify surface-water {f}"),
    ("table-fake-xlsx", "o.xlsx", b"PK\x03\x04 broken", "classify surface-water {f}"),
    ("table-xlsx-is-text", "o.xlsx", OBS + GOOD, "classify surface-water {f}"),
    # -- progress --------------------------------------------------------------------------------
    ("progress-status-unknown", "p.csv", PROG + "water.task.1,perhaps,2023-10-01,\n", "evaluate --progress {f} --as-of 2023-12-31"),
    ("progress-date-bad", "p.csv", PROG + "water.task.1,done,2023-10-41,\n", "evaluate --progress {f} --as-of 2023-12-31"),
    ("progress-missing-column", "p.csv", "task,status\nwater.task.1,done\n", "evaluate --progress {f} --as-of 2023-12-31"),
    # -- YAML and JSON inventories ---------------------------------------------------------------
    ("yaml-alias-bomb", "i.yaml", "\n".join(["a: &a [x,x,x,x,x,x,x,x,x]"] + [f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]), "evaluate --inventory {f} --as-of 2023-12-31"),
    ("yaml-deep", "i.yaml", "[" * 20000 + "]" * 20000, "evaluate --inventory {f} --as-of 2023-12-31"),
    ("yaml-duplicate-key", "i.yaml", "records:\n  - id: b1\n    kind: boiler\n    capacity: 20 t/h\n    capacity: 50 t/h\n", "evaluate --inventory {f} --as-of 2023-12-31"),
    ("yaml-python-tag", "i.yaml", "!!python/object/apply:os.system ['touch /tmp/envplan-pwned']\n", "evaluate --inventory {f} --as-of 2023-12-31"),
    ("yaml-bad-date", "i.yaml", "records:\n  - {id: b1, kind: boiler, closed_on: 2023-04-41}\n", "evaluate --inventory {f} --as-of 2023-12-31"),
    ("yaml-unknown-unit", "i.yaml", "records:\n  - {id: b1, kind: boiler, capacity: 20 tonn/h}\n", "evaluate --inventory {f} --as-of 2023-12-31"),
    ("yaml-negative", "i.yaml", "records:\n  - {id: b1, kind: boiler, capacity: -20 t/h}\n", "evaluate --inventory {f} --as-of 2023-12-31"),
    ("yaml-nan", "i.yaml", "records:\n  - {id: b1, kind: boiler, capacity: .nan}\n", "evaluate --inventory {f} --as-of 2023-12-31"),
    ("yaml-duplicate-id", "i.yaml", "records:\n  - {id: b1, kind: boiler}\n  - {id: b1, kind: boiler}\n", "evaluate --inventory {f} --as-of 2023-12-31"),
    ("yaml-no-kind", "i.yaml", "records:\n  - {id: b1}\n", "evaluate --inventory {f} --as-of 2023-12-31"),
    ("yaml-top-level-key", "i.yaml", "recrods: []\n", "evaluate --inventory {f} --as-of 2023-12-31"),
    ("yaml-undecodable", "i.yaml", b"records:\n  - id: \xff\xfe\x80\n", "evaluate --inventory {f} --as-of 2023-12-31"),
    ("yaml-recursive", "i.yaml", "a: &a [*a]\n", "evaluate --inventory {f} --as-of 2023-12-31"),
    ("json-duplicate-key", "i.json", '{"records": [{"id": "b1", "kind": "boiler", "id": "b2"}]}', "evaluate --inventory {f} --as-of 2023-12-31"),
    ("json-deep", "i.json", "[" * 50000 + "]" * 50000, "evaluate --inventory {f} --as-of 2023-12-31"),
    ("json-truncated", "i.json", '{"records": [', "evaluate --inventory {f} --as-of 2023-12-31"),
    ("yaml-bare-number-boiler", "i.yaml", "records:\n  - {id: b1, kind: boiler, fuel: coal, capacity: 20, status: operating}\n", "evaluate --inventory {f} --as-of 2023-12-31 --plan air"),
    ("csv-register-no-id", "i.csv", "name,kind\nb1,boiler\n", "evaluate --inventory {f} --as-of 2023-12-31"),
    # -- units file ------------------------------------------------------------------------------
    ("units-file-malformed", "u.yaml", "units: [1, 2", "units --units-file {f}"),
    ("units-file-duplicate", "u.yaml", "units:\n  - id: a\n    id: b\n", "units --units-file {f}"),
    # -- CLI flags -------------------------------------------------------------------------------
    ("flag-directory-as-file", "d", "", "classify surface-water {dir}"),
    ("flag-missing-file", "o.csv", OBS + GOOD, "classify surface-water {f}.missing"),
    ("flag-bad-format", "o.csv", OBS + GOOD, "classify surface-water {f} --format pdf"),
    ("flag-bad-period", "o.csv", OBS + GOOD, "classify surface-water {f} --period week"),
    ("flag-unknown-plan", "o.csv", OBS + GOOD, "evaluate --observations {f} --as-of 2023-12-31 --plan nosuch"),
    ("flag-bad-fail-on", "o.csv", OBS + GOOD, "evaluate --observations {f} --as-of 2023-12-31 --fail-on maybe"),
    ("flag-output-is-input", "o.csv", OBS + GOOD, "classify surface-water {f} -f json -o {f}"),
    ("flag-xlsx-to-stdout", "o.csv", OBS + GOOD, "classify surface-water {f} --format xlsx --stdout"),
    # -- plugins ---------------------------------------------------------------------------------
    ("plugin-missing", "o.csv", OBS + GOOD, "--plugins no_such_plugin_module classify surface-water {f}"),
]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("COLUMNS", "120")


@pytest.mark.parametrize(("name", "file", "content", "command"), CASES, ids=[c[0] for c in CASES])
def test_hostile_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, file: str, content: str | bytes, command: str
) -> None:
    path = tmp_path / file
    if name.startswith("flag-directory"):
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(textwrap.dedent(content), encoding="utf-8")
    out = tmp_path / "out.json"
    argv = command.format(f=path, dir=path).split()
    plugins = ["--plugins", "envplan_water,envplan_air"] if "--plugins" not in argv else []
    output = [] if ("-o" in argv or ("--format" in argv and "xlsx" in argv)) else ["-o", str(out)]
    if argv[0] in ("units",) or "--stdout" in argv:
        output = []
    argv = [a for a in argv if a != "--stdout"]
    capsys.readouterr()
    code = main([*plugins, *argv, *output])
    captured = capsys.readouterr()
    assert code == 2, (name, captured.out[-500:], captured.err)
    assert "Traceback" not in captured.err + captured.out
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("envplan: error: ")
    if not name.startswith(("flag-bad", "flag-unknown", "as-of", "plugin-", "flag-xlsx")):
        assert path.name in lines[0], lines[0]
    assert not out.exists()
    assert not Path("/tmp/envplan-pwned").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_suite_is_as_large_as_promised() -> None:
    assert len(CASES) >= 60

"""``envplan classify groundwater`` against GB/T 14848-2017, at the standard's boundaries, for all 93 items.

The expected classes are worked out here from the standard's table as printed (the five cells of each item
in ``ClassLimits.printed``, in the printed unit), independently of the module's parsed ladders: a value is
in the best class whose cell it satisfies (从优不从劣). Each case is one point with one sample of one item,
written in the unit the standard prints (µg/L for most organics), so the classifier's reading, unit
conversion and grading are all exercised.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from envplan_core.standards import gbt14848
from envplan_core.testing import run_cli
from envplan_groundwater.classify import classify_groundwater

Run = Callable[..., tuple[int, str, str]]
ROMAN = ("I", "II", "III", "IV", "V")
_UNIT = {  # the printed unit → how an observation file writes it
    "铂钴色度单位 (Pt-Co colour units)": "无量纲",
    "-": "无量纲",
    "dimensionless": "无量纲",
    "MPN/100mL or CFU/100mL": "MPN/100mL",
}


def _holds(cell: str, value: Decimal) -> bool:
    """Whether ``value`` (in the printed unit) satisfies a printed class cell."""
    cell = cell.strip()
    if cell in ("无", "不得检出 (not detected)"):
        return value == 0
    if cell == "有":
        return value > 0
    alternatives = [c.strip() for c in cell.split(" or ")]
    for alt in alternatives:
        if alt.startswith(">"):
            if value > Decimal(alt[1:]):
                return True
        elif alt.startswith("<"):
            if value < Decimal(alt[1:]):
                return True
        elif (m := re.fullmatch(r"([\d.]+)-([\d.]+)", alt)) is not None:
            if Decimal(m.group(1)) <= value <= Decimal(m.group(2)):
                return True
        elif value <= Decimal(alt):
            return True
    return False


def expected_class(pid: str, value: Decimal) -> str:
    cells = gbt14848.class_limits(pid).printed
    return next(ROMAN[k] for k, cell in enumerate(cells) if _holds(cell, value))


def _numbers(cell: str) -> list[Decimal]:
    return [Decimal(x) for x in re.findall(r"\d+(?:\.\d+)?", cell)]


def boundary_values(pid: str) -> list[Decimal]:
    """Every number printed for the item, a hair below and above each, zero, and well above the top."""
    ladder = gbt14848.class_limits(pid)
    if ladder.comparison == "presence":
        return [Decimal(0), Decimal(1)]
    points = sorted({n for cell in ladder.printed for n in _numbers(cell)})
    out = {Decimal(0), points[-1] * 3}
    for n in points:
        hair = n * Decimal("0.000001") if n else Decimal("0.000001")
        out |= {n, n + hair, max(n - hair, Decimal(0))}
    if pid == "pH":
        out = {v for v in out if v <= 14}
    return sorted(out)


def cases() -> list[tuple[str, str, Decimal, str, str]]:
    """(site, item, value, unit, expected class) for every item and boundary value."""
    out = []
    for p in gbt14848.PARAMETERS:
        ladder = gbt14848.class_limits(p.id)
        unit = _UNIT.get(ladder.printed_unit, ladder.printed_unit)
        for k, value in enumerate(boundary_values(p.id)):
            out.append((f"{p.id}#{k}", p.name_zh, value, unit, expected_class(p.id, value)))
    return out


CASES = cases()


@pytest.fixture(scope="module")
def sweep_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gw") / "sweep.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["site", "parameter", "time", "value", "unit"])
        for site, item, value, unit, _ in CASES:
            writer.writerow([site, item, "2023-06-01", format(value, "f"), unit])
    return path


@pytest.fixture
def run(plugin_name: str) -> Run:
    """The shared ``run`` (tests/plugins/conftest.py) with tables 160 columns wide."""
    return functools.partial(run_cli, plugins=plugin_name, columns=160)


@pytest.fixture(scope="module")
def sweep(sweep_file: Path) -> dict[str, dict[str, Any]]:
    """The whole sweep through ``envplan classify groundwater FILE --format json`` (one run)."""
    code, out, _ = run_cli("classify", "groundwater", str(sweep_file), "-f", "json", plugins="envplan_groundwater")
    assert code == 0
    return {r["site"]: r for r in json.loads(out)}


def test_the_sweep_covers_all_93_items(sweep: dict[str, dict[str, Any]]) -> None:
    assert len(gbt14848.PARAMETERS) == 93
    assert len(gbt14848.ROUTINE_PARAMETERS) == 39 and len(gbt14848.NON_ROUTINE_PARAMETERS) == 54
    judged = {item for r in sweep.values() for item in r["items_judged"]}
    assert judged == set(gbt14848.BY_ID)
    assert len(sweep) == len(CASES)


@pytest.mark.parametrize("pid", [p.id for p in gbt14848.PARAMETERS])
def test_classifier_agrees_with_the_printed_table(sweep: dict[str, dict[str, Any]], pid: str) -> None:
    wrong = []
    for site, _, value, unit, expected in CASES:
        if site.rsplit("#", 1)[0] != pid:
            continue
        row = sweep[site]
        if row["class"] != expected or row["per_parameter"] != {pid: expected}:
            wrong.append(f"{value} {unit}: got {row['class']}, expected {expected}")
    assert not wrong, f"{pid}: " + "; ".join(wrong)


def _one(rows: list[tuple[str, str, str]]) -> dict[str, Any]:
    import pandas as pd

    frame = pd.DataFrame([["P", p, "2023-06-01", v, u] for p, v, u in rows],
                         columns=["site", "parameter", "time", "value", "unit"])
    (row,) = classify_groundwater(frame)
    return row


@pytest.mark.parametrize(
    ("item", "value", "unit", "expected"),
    [
        # equal limits in adjacent classes go to the better class (从优不从劣)
        ("挥发酚", "0.001", "mg/L", "I"),  # Ⅰ = Ⅱ = 0.001: the standard's own example
        ("浑浊度", "3", "NTU", "I"),  # Ⅰ = Ⅱ = Ⅲ = 3
        ("氟化物", "1.0", "mg/L", "I"),  # Ⅰ = Ⅱ = Ⅲ = 1.0
        ("氟化物", "1.0000001", "mg/L", "IV"),
        ("锰", "0.05", "mg/L", "I"),  # Ⅰ = Ⅱ = 0.05
        ("锰", "0.06", "mg/L", "III"),
        ("阴离子表面活性剂", "0.3", "mg/L", "III"),  # Ⅲ = Ⅳ = 0.3
        ("阴离子表面活性剂", "0.31", "mg/L", "V"),
        ("阴离子表面活性剂", "<0.05", "mg/L", "I"),  # 不得检出: a non-detect is class Ⅰ
        ("阴离子表面活性剂", "0.05", "mg/L", "II"),  # detected: not class Ⅰ
        ("四氯化碳", "0.5", "µg/L", "I"),  # Ⅰ = Ⅱ = 0.5 µg/L, written in µg/L
        ("四氯化碳", "0.0005", "mg/L", "I"),  # the same in mg/L
        ("总α放射性", "5", "Bq/L", "IV"),  # Ⅳ and Ⅴ both "> 0.5": never Ⅴ
        # pH at both ends of each range
        ("pH", "6.5", "无量纲", "I"),
        ("pH", "8.5", "无量纲", "I"),
        ("pH", "6.49", "无量纲", "IV"),
        ("pH", "8.51", "无量纲", "IV"),
        ("pH", "5.5", "无量纲", "IV"),
        ("pH", "9.0", "无量纲", "IV"),
        ("pH", "5.49", "无量纲", "V"),
        ("pH", "9.01", "无量纲", "V"),
        ("嗅和味", "0", "无量纲", "I"),
        ("肉眼可见物", "1", "无量纲", "V"),
    ],
)
def test_boundaries_named_in_the_standard(item: str, value: str, unit: str, expected: str) -> None:
    assert _one([(item, value, unit)])["class"] == expected


def test_point_class_is_the_worst_item_with_exceedances_over_class_iii() -> None:
    row = _one([("总硬度", "520", "mg/L"), ("氟化物", "1.45", "mg/L"), ("硝酸盐", "8", "mg/L"), ("pH", "9.2", "无量纲")])
    assert row["class"] == "V" and row["limiting"] == ["pH"]
    # (C − C_Ⅲ)/C_Ⅲ for the max items worse than Ⅲ; none for pH
    assert row["exceedances"] == {"total_hardness": pytest.approx(0.1556, abs=1e-4), "F": pytest.approx(0.45)}
    assert row["items_judged"] == ["pH", "total_hardness", "NO3-N", "F"]
    assert len(row["items_missing"]) == 35 and "TDS" in row["items_missing"]


def test_json_fields(run: Run, examples: Path) -> None:
    code, out, err = run("classify", "groundwater", str(examples / "observations.csv"), "--format", "json")
    assert code == 0, err
    rows = {r["site"]: r for r in json.loads(out)}
    assert len(rows) == 8
    for r in rows.values():
        assert {"site", "period", "class", "limiting", "exceedances", "items_judged", "items_missing"} <= set(r)
        assert r["period"] == "2023"
    d2 = rows["示例饮用水源点位2"]
    assert (d2["class"], d2["limiting"]) == ("IV", ["Mn", "NO3-N"])
    assert d2["exceedances"] == {"Mn": 0.6, "NO3-N": 0.225}
    assert d2["items_missing"] == [] and len(d2["items_judged"]) == 39
    p2 = rows["示例污染风险监控点位2"]
    assert p2["ignored_parameters"] == ["DO"] and "DO" not in p2["items_judged"]
    assert rows["示例区域点位1"]["values"]["As"] == pytest.approx(0.0018)  # written in µg/L, held in mg/L


def test_periods_and_the_point_register(run: Run, examples: Path) -> None:
    obs = str(examples / "observations.csv")
    code, out, _ = run("classify", "groundwater", obs, "--period", "sample", "-f", "json")
    assert code == 0
    samples = [r for r in json.loads(out) if r["site"] == "示例区域点位1"]
    assert [r["period"] for r in samples] == ["2023-05-16", "2023-10-18"]
    code, out, _ = run("classify", "groundwater", obs, "--period", "month", "-f", "json")
    assert {r["period"] for r in json.loads(out)} == {"2023-05", "2023-10"}
    code, out, _ = run("classify", "groundwater", obs, "--sites", str(examples / "inventory.yaml"), "-f", "json")
    assert code == 0
    rows = {r["site"]: r for r in json.loads(out)}
    assert (rows["示例区域点位2"]["site_id"], rows["示例区域点位2"]["point_type"]) == ("gw-pt-r2", "regional")


def test_register_spellings_are_one_point(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "aliases.csv"
    data.write_text("site,parameter,time,value,unit\n示例区域点位2,氟化物,2023-05-01,1.2,mg/L\n"
                    "GW-R2,氟化物,2023-06-01,1.6,mg/L\n", encoding="utf-8")
    register = tmp_path / "points.csv"
    register.write_text("id,kind,name,aliases,point_type\ngw-pt-r2,groundwater_point,示例区域点位2,[GW-R2],regional\n",
                        encoding="utf-8")
    code, out, err = run("classify", "groundwater", str(data), "--sites", str(register), "-f", "json")
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["site"] == "示例区域点位2" and row["n_samples"] == {"F": 2} and row["values"]["F"] == pytest.approx(1.4)


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_human_formats(run: Run, examples: Path, fmt: str) -> None:
    code, out, _ = run("classify", "groundwater", str(examples / "observations.csv"), "--format", fmt)
    assert code == 0
    assert "示例饮用水源点位2" in out and "GB/T 14848-2017" in out and "硝酸盐" in out


def test_listed_with_its_standard(run: Run) -> None:
    code, out, _ = run("classify", "--list", "-f", "json")
    assert code == 0
    kinds = {r["kind"]: r for r in json.loads(out)}
    assert kinds["groundwater"]["standard"] == "GB/T 14848-2017"


def test_bad_input_exits_2(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "bad.csv"
    data.write_text("site,parameter,time,value,unit\nP,氟化物,2023-05-01,1,mg/m³\n", encoding="utf-8")
    code, _, err = run("classify", "groundwater", str(data))
    assert code == 2 and "row 2" in err
    code, _, err = run("classify", "groundwater", str(tmp_path / "missing.csv"))
    assert code == 2 and "no such file" in err


def test_one_sample_under_two_spellings_is_an_error(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "twice.csv"
    data.write_text("site,parameter,time,value,unit\n示例区域点位2,氟化物,2023-05-01,1.2,mg/L\n"
                    "GW-R2,氟化物,2023-05-01,1.2,mg/L\n", encoding="utf-8")
    register = tmp_path / "points.yaml"
    register.write_text("- {id: r2, kind: groundwater_point, name: 示例区域点位2, aliases: [GW-R2]}\n", encoding="utf-8")
    code, _, err = run("classify", "groundwater", str(data), "--sites", str(register))
    assert code == 2 and "duplicate" in err and "GW-R2" in err
    code, _, _ = run("classify", "groundwater", str(data))  # without the register they are two points
    assert code == 0

"""The Excel ledger reads back as data: typed columns, real dates, whole sheet names, filters, frozen
headers and status colours."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

import envplan_core
from envplan_core.engine import Engine
from envplan_core.findings import Report
from envplan_core.render import ReportFilter, select_findings, write_report
from envplan_core.render.view import unit_sections
from envplan_core.render.xlsx_report import (
    SHEET_FINDINGS,
    SHEET_LEDGER,
    SHEET_SUMMARY,
    SHEET_UNUSED,
    sheet_name,
)

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return envplan_core.load(plugins=["envplan_water", "envplan_air"])


@pytest.fixture(scope="module")
def report(engine: Engine) -> Report:
    import envplan_air
    import envplan_water

    folders = [envplan_water.example_dir(), envplan_air.example_dir()]
    return engine.evaluate(
        observations=[str(f / "observations.csv") for f in folders],
        inventory=[str(f / "inventory.yaml") for f in folders],
        progress=[str(f / "progress.csv") for f in folders],
        as_of="2023-12-31",
    )


@pytest.fixture(scope="module")
def workbook(report: Report, engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "report.xlsx"
    view = select_findings(report, ReportFilter(), catalog=engine.catalog)
    write_report(view, "xlsx", stdout=io.StringIO(), output=path, catalog=engine.catalog, title="测试 test")
    return path


def test_findings_sheet_reads_back_typed(workbook: Path, report: Report) -> None:
    frame = pd.read_excel(workbook, sheet_name=SHEET_FINDINGS)
    assert len(frame) == len(report.findings)
    assert str(frame["数值 value"].dtype) == "float64"
    assert str(frame["限值 limit"].dtype) == "float64"
    assert str(frame["未修约值 value_raw"].dtype) == "float64"
    assert str(frame["期限 due"].dtype).startswith("datetime64")
    by_key = {(f.id, f.subject): f for f in report.findings}
    for row in frame.itertuples(index=False):
        f = by_key[(row[0], row[4])]
        assert row[5] == f.status.value  # status code …
        assert row[6] == f.status.label_zh  # … and label in their own columns
        if isinstance(f.value, float):
            assert row[7] == pytest.approx(f.value)
        elif f.value is not None:
            assert row[8] == str(f.value)  # a class or a text stays text, in its own column
        if isinstance(f.limit, float):
            assert row[10] == pytest.approx(f.limit)
        if f.kind == "task" and f.limit:
            assert row[14].date() == dt.date.fromisoformat(str(f.limit))
    pm25 = frame[frame["编号 id"] == "air.pm25.annual_mean"].iloc[0]
    assert (pm25["数值 value"], pm25["限值 limit"], pm25["单位 unit"]) == (45.0, 43.0, "µg/m³")
    assert pm25["出处 citation"].startswith("空气质量再提升2023年行动计划")


def test_sheets_filters_colours_and_names(workbook: Path, report: Report, engine: Engine) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(workbook)
    assert wb.sheetnames[:4] == [SHEET_SUMMARY, SHEET_FINDINGS, SHEET_LEDGER, SHEET_UNUSED]
    assert all(len(name) <= 31 for name in wb.sheetnames)
    ws = wb[SHEET_FINDINGS]
    assert ws.auto_filter.ref == f"A1:U{len(report.findings) + 1}"
    assert ws.freeze_panes == "B2"
    formulas = [rule.formula[0] for cf in ws.conditional_formatting for rule in cf.rules]
    assert '$F2="not_met"' in formulas and '$F2="overdue"' in formulas
    # One sheet per responsible unit, named with the unit's whole name, titled with it.
    view = select_findings(report, ReportFilter(), catalog=engine.catalog)
    units = [name for name, _ in unit_sections(view, engine.catalog)]
    assert wb.sheetnames[4:] == units
    for name in units:
        assert str(wb[name]["A1"].value).startswith(name)
        assert wb[name].auto_filter.ref and wb[name].freeze_panes == "A5"


def test_unit_and_ledger_sheets_are_typed(workbook: Path) -> None:
    unit = pd.read_excel(workbook, sheet_name="县住建局", header=3)
    assert {"牵头 lead", "配合 support"} >= set(unit["角色 role"])
    assert str(unit["期限 due"].dtype).startswith("datetime64")
    overdue_first = list(unit["状态代码 status"])
    assert overdue_first == sorted(overdue_first, key=lambda s: s != "overdue")
    ledger = pd.read_excel(workbook, sheet_name=SHEET_LEDGER)
    assert str(ledger["序号 number"].dtype) == "int64"
    assert str(ledger["完成时限 due"].dtype).startswith("datetime64")
    air = ledger[ledger["计划 plan"] == "air-2023"]
    assert air["工程措施 measure"].notna().any()  # the rows of the air plan's 措施任务表
    assert set(ledger["状态代码 status"]) <= {"done", "done_late", "open", "overdue", "ongoing", "superseded"}


def test_sheet_names_are_whole() -> None:
    used: set[str] = set()
    long_name = "新绛县某某某某某某某某某某某某某某某某某某某某某某某某某某某某局"
    assert len(long_name) > 31
    assert sheet_name([long_name, "某局", "unit_id"], used) == "某局"
    assert sheet_name(["某局", "unit_id"], used) == "unit_id"
    assert sheet_name(["a/b:c"], used) == "a b c"
    assert sheet_name([long_name], used) == "Sheet (2)"


def test_cli_xlsx_reads_back_with_pandas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import envplan_water
    from envplan_core.cli import main

    monkeypatch.setenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", "1")
    data = envplan_water.example_dir()
    target = tmp_path / "water.xlsx"
    code = main(["--plugins", "envplan_water", "evaluate", "--observations", str(data / "observations.csv"),
                 "--inventory", str(data / "inventory.yaml"), "--progress", str(data / "progress.csv"),
                 "--as-of", "2023-12-31", "--format", "xlsx", "-o", str(target)])
    assert code == 0
    frame = pd.read_excel(target, sheet_name=SHEET_FINDINGS)
    assert set(frame["计划 plan"]) == {"water-2023"}
    assert frame["数值 value"].dtype.kind == "f" and frame["期限 due"].dtype.kind == "M"

"""``--unit``, ``--status``, ``--plan``, ``--kind`` and ``--sort`` give the same findings, in the same order,
in every format (table, JSON, Markdown, HTML, XLSX); the unfiltered JSON is the report's own."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import envplan_core
from envplan_core.cli import main
from envplan_core.engine import Engine
from envplan_core.findings import Report, Status
from envplan_core.render import ReportFilter, select_findings, write_report
from envplan_core.render.view import due_date

PLUGINS = ["envplan_water", "envplan_air"]
STATUS_ZH = "|".join(re.escape(s.label_zh) for s in Status)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return envplan_core.load(plugins=PLUGINS)


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


# -- reading the ids back out of each format ------------------------------------------------------------


def ids_from_json(text: str) -> list[str]:
    return [f["id"] for f in json.loads(text)["findings"]]


def ids_from_markdown(text: str) -> list[str]:
    section = text.split("## 发现 Findings", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| 状态")]
    return [row.split(" | ")[1].split("<br>")[0].replace("\\_", "_") for row in rows]


class _FindingRows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self._in_findings = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "h2":
            self._in_findings = a.get("id") == "findings"
        if tag == "tr" and self._in_findings and a.get("data-finding"):
            self.ids.append(str(a["data-finding"]))


def ids_from_html(text: str) -> list[str]:
    parser = _FindingRows()
    parser.feed(text)
    return parser.ids


def ids_from_xlsx(path: Path) -> list[str]:
    import pandas as pd

    frame = pd.read_excel(path, sheet_name="发现 Findings")
    return [str(v) for v in frame["编号 id"].tolist()]


def ids_from_table(text: str) -> list[str]:
    """The table at a width wide enough for the table layout: a finding's first line starts with its
    Chinese status label, then its id."""
    section = text.split("发现 Findings", 1)[1].split("逾期任务（按牵头单位）", 1)[0]
    return [m.group(2) for m in re.finditer(rf"^({STATUS_ZH})\s+(\S+)", section, flags=re.M)]


def render(report: Report, engine: Engine, flt: ReportFilter, fmt: str, tmp_path: Path) -> list[str]:
    view = select_findings(report, flt, catalog=engine.catalog)
    if fmt == "xlsx":
        path = tmp_path / "report.xlsx"
        write_report(view, "xlsx", stdout=io.StringIO(), output=path, catalog=engine.catalog)
        return ids_from_xlsx(path)
    out = io.StringIO()
    write_report(view, fmt, stdout=out, width=240, catalog=engine.catalog)
    reader = {"json": ids_from_json, "markdown": ids_from_markdown, "html": ids_from_html, "table": ids_from_table}
    return reader[fmt](out.getvalue())


FILTERS = [
    ReportFilter(),
    ReportFilter(units=["县住建局"]),
    ReportFilter(units=["龙兴镇"], sort="due"),  # a town: the findings of 沿河各镇/各镇 too
    ReportFilter(statuses=[Status.NOT_MET, Status.OVERDUE], kinds=["target", "task"]),
    ReportFilter(plans=["water-2023"], sort="id"),
    ReportFilter(kinds=["rule"], sort="unit"),
    ReportFilter(sort="plan"),
    ReportFilter(sort="kind"),
]


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: json.dumps(f.to_dict(), ensure_ascii=False))
def test_the_same_findings_in_every_format(
    report: Report, engine: Engine, flt: ReportFilter, tmp_path: Path
) -> None:
    expected = [f.id for f in select_findings(report, flt, catalog=engine.catalog).findings]
    assert expected, "a filter of this test should keep something"
    for fmt in ("json", "markdown", "html", "xlsx", "table"):
        assert render(report, engine, flt, fmt, tmp_path) == expected, fmt


def test_filters_select_what_they_say(report: Report, engine: Engine) -> None:
    catalog = engine.catalog
    housing = select_findings(report, ReportFilter(units=["housing_construction_bureau"]), catalog=catalog)
    assert housing.findings and all(
        "县住建局" in (*f.lead, *f.support) or f.kind == "task" for f in housing.findings
    )
    town = select_findings(report, ReportFilter(units=["龙兴镇"]), catalog=catalog)
    assert any("沿河各镇" in (*f.lead, *f.support) for f in town.findings)
    bad = select_findings(report, ReportFilter(statuses=["not_met"], kinds=["rule"]), catalog=catalog)
    assert bad.findings and {(f.status, f.kind) for f in bad.findings} == {(Status.NOT_MET, "rule")}
    water = select_findings(report, ReportFilter(plans=["water-2023"]), catalog=catalog)
    assert {f.plan for f in water.findings} == {"water-2023"}


def test_sort_orders(report: Report, engine: Engine) -> None:
    from envplan_core.findings import natural_key

    by_id = select_findings(report, ReportFilter(sort="id"), catalog=engine.catalog).findings
    assert [natural_key(f.id) for f in by_id] == sorted(natural_key(f.id) for f in by_id)
    by_due = select_findings(report, ReportFilter(sort="due"), catalog=engine.catalog).findings
    dates = [due_date(f) for f in by_due]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated) and dates[: len(dated)] == dated  # undated last
    worst = select_findings(report, ReportFilter(), catalog=engine.catalog).findings
    assert list(worst) == report.sorted()


def test_unfiltered_json_is_the_report(report: Report, engine: Engine) -> None:
    view = select_findings(report, ReportFilter(), catalog=engine.catalog)
    assert view.to_dict() == report.to_dict()
    out = io.StringIO()
    write_report(view, "json", stdout=out, extra={"synthetic": True})
    data = json.loads(out.getvalue())
    assert data == {"schema_version": data["schema_version"], "synthetic": True, **report.to_dict()}
    filtered = select_findings(report, ReportFilter(kinds=["task"]), catalog=engine.catalog).to_dict()
    assert filtered["filters"]["kind"] == ["task"]
    assert {k for k in filtered if k != "filters"} == set(report.to_dict())


# -- the command line -------------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--plugins", ",".join(PLUGINS), *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("COLUMNS", "240")


@pytest.mark.usefixtures("_wide")
def test_demo_options_filter_every_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    options = ["--unit", "县住建局", "--status", "not_met,overdue,open", "--kind", "target", "--kind", "task",
               "--plan", "water", "--sort", "id"]
    code, out, _ = run(capsys, "demo", "--format", "json", *options)
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    expected = [f["id"] for f in data["findings"]]
    assert expected and data["synthetic"] is True
    assert data["filters"] == {"unit": ["县住建局"], "status": ["not_met", "overdue", "open"],
                               "plan": ["water-2023"], "kind": ["target", "task"], "sort": "id"}
    for fmt, read in (("markdown", ids_from_markdown), ("html", ids_from_html), ("table", ids_from_table)):
        code, out, _ = run(capsys, "demo", "--format", fmt, *options)
        assert code == 0
        assert read(out) == expected, fmt
    target = tmp_path / "demo.xlsx"
    code, _, err = run(capsys, "demo", "--format", "xlsx", "-o", str(target), *options)
    assert code == 0 and str(target) in err
    assert ids_from_xlsx(target) == expected


@pytest.mark.usefixtures("_wide")
def test_an_unknown_unit_or_kind_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo", "--unit", "火星局")
    assert code == 2 and out == "" and "火星局" in err and "envplan units" in err
    code, _, err = run(capsys, "demo", "--kind", "wish")
    assert code == 2 and "wish" in err


@pytest.mark.usefixtures("_wide")
def test_fail_on_looks_at_the_filtered_findings(capsys: pytest.CaptureFixture[str]) -> None:
    import envplan_air

    progress = str(envplan_air.example_dir() / "progress.csv")
    args = ["evaluate", "--plan", "air", "--progress", progress, "--as-of", "2023-12-31", "--format", "json"]
    code, out, _ = run(capsys, *args, "--fail-on", "overdue")
    assert code == 1
    code, out, _ = run(capsys, *args, "--kind", "target", "--fail-on", "overdue")
    assert code == 0 and all(f["kind"] == "target" for f in json.loads(out)["findings"])


def test_unused_rows_are_counted_exactly_however_many_are_listed() -> None:
    """946,080 unused rows once printed as "1001": the heading carries the exact total from the summary."""
    from envplan_core.findings import Issue, Report, UnusedSummary
    from envplan_core.render import report_document
    from envplan_core.render.view import ReportView

    shown = tuple(Issue("obs.csv", r, "site", "site 'X' is not named by any selected plan") for r in range(2, 22))
    report = Report(
        as_of=dt.date(2023, 12, 31),
        plans=(),
        findings=(),
        unused=shown,
        unused_summary=UnusedSummary(total=946_080, by_site={"X": 946_080}, by_column={"site": 946_080}, shown=20),
    )
    text = str(report_document(ReportView(report=report, findings=())).sections[-1].title)
    assert "946080" in text

"""The HTML report: one self-contained page (no script, no network, no font file), every target charted,
every finding cited; and in a real browser (headless Chromium): no console error, no request but the
page itself, every chart drawn, Chinese rendered with a CJK font, A4 pages with a break per unit."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import envplan_core
from envplan_core.engine import Engine
from envplan_core.findings import Finding, PlanInfo, Report, Status
from envplan_core.model import Citation
from envplan_core.render import ReportFilter, select_findings, write_report
from envplan_core.render.html_report import FONT_STACK, report_html
from envplan_core.render.series import finding_charts
from envplan_core.render.svg import chart_svg

if TYPE_CHECKING:
    from conftest import Chromium  # tests/render/conftest.py: the `chromium` fixture's browser


@pytest.fixture(scope="module")
def engine() -> Engine:
    return envplan_core.load(plugins=["envplan_water", "envplan_air"])


@pytest.fixture(scope="module")
def demo_html(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo report, as ``envplan demo --format html`` writes it."""
    import envplan_air
    import envplan_water
    from envplan_core.data.observations import read_observations

    folders = [envplan_water.example_dir(), envplan_air.example_dir()]
    obs = read_observations([str(f / "observations.csv") for f in folders], parameters=engine.catalog.parameters)
    report = engine.evaluate(
        observations=obs,
        inventory=[str(f / "inventory.yaml") for f in folders],
        progress=[str(f / "progress.csv") for f in folders],
        as_of="2023-12-31",
    )
    path = tmp_path_factory.mktemp("html") / "demo.html"
    view = select_findings(report, ReportFilter(), catalog=engine.catalog)
    write_report(view, "html", stdout=io.StringIO(), output=path, catalog=engine.catalog, observations=obs,
                 title="envplan 演示 demo（合成数据 SYNTHETIC data）", notices=["合成示例数据 SYNTHETIC"])
    return path


def test_the_page_is_self_contained(demo_html: Path) -> None:
    page = demo_html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    for outside in ("<script", " src=", "http://", "https://", "@import", "url(", "<link", "@font-face"):
        assert outside not in page, outside
    assert FONT_STACK in page and "Noto Sans CJK SC" in FONT_STACK and "Microsoft YaHei" in FONT_STACK
    assert "@page { size: A4" in page and "break-before: page" in page


def test_every_target_has_a_section_and_the_series_are_drawn(demo_html: Path) -> None:
    page = demo_html.read_text(encoding="utf-8")
    sections = re.findall(r'<section class="target" id="[^"]+" data-finding="([^"]+)">(.*?)</section>', page, re.S)
    ids = {i for i, _ in sections}
    for target in ("air.pm25.annual_mean", "air.so2.yoy_change", "air.dust_fall", "water.yangzhaoqiao.class",
                   "water.xiqucun.class", "air.heavy_pollution_days", "water.wetland_effluent.class"):
        assert target in ids
    body = dict(sections)
    # PM2.5: a year of daily values, monthly means, the limit line, the annual mean, exceedances in red.
    pm25 = body["air.pm25.annual_mean"]
    points = int(re.search(r'data-kind="line" data-points="(\d+)"', pm25).group(1))  # type: ignore[union-attr]
    assert points >= 360
    for mark in ('class="limit"', 'class="statistic"', 'class="overlay"', 'class="point exceed"'):
        assert mark in pm25, mark
    assert "年均值 annual mean 45" in pm25 and "月份 Month" in pm25
    # Dust fall: the monthly values as bars, March over the limit.
    assert 'class="bar exceed"' in body["air.dust_fall"] and "2023-03" in body["air.dust_fall"]
    # Yangzhaoqiao: monthly classes against class III, and the limiting NH3-N samples against 1 mg/L.
    yzq = body["water.yangzhaoqiao.class"]
    assert 'data-kind="class"' in yzq and "NH3-N" in yzq and "≤ 1 mg/L" in yzq
    # SO2 year on year: the limit as a level, 25 × (1 − 30 %) = 17.5.
    assert "17.5" in body["air.so2.yoy_change"]


def test_units_ledger_and_citations(demo_html: Path) -> None:
    page = demo_html.read_text(encoding="utf-8")
    units = re.findall(r'<section class="unit" id="u-\d+" data-unit="([^"]+)">', page)
    assert "县住建局" in units and "运城市生态环境局新绛分局" in units
    ledger = page.split('<h2 id="ledger">', 1)[1].split("<h2", 1)[0]
    assert "重点工作 Area" in ledger and "工程措施 Measure" in ledger and "air.task.2" in ledger
    findings = page.split('<h2 id="findings">', 1)[1].split("<h2", 1)[0]
    rows = re.findall(r'<tr class="(\w+)" id="[^"]+" data-finding="[^"]+">(.*?)</tr>', findings, re.S)
    assert rows and all('<blockquote class="citation">' in row for _, row in rows)


def test_text_is_escaped_and_an_empty_series_still_draws() -> None:
    bad = "<script>alert(1)</script>"
    finding = Finding(
        id="x.target", plan="x-2023", kind="target", subject=bad, status=Status.NOT_MET,
        citation=Citation(plan="计划", text=bad), message_zh=bad, message_en=bad, value=5.0, limit=3.0, unit="mg/L",
        lead=("县住建局",),
    )
    report = Report(as_of=dt.date(2023, 12, 31), plans=(PlanInfo("x-2023", "计划", "Plan", "x", "1"),),
                    findings=(finding,))
    view = select_findings(report)
    charts = finding_charts(view.findings)
    assert charts[0] and charts[0][0].kind == "bullet"
    page = report_html(view, title=bad, charts=charts)
    assert "<script>" not in page and "&lt;script&gt;" in page
    from envplan_core.render.series import Chart, Point

    empty = chart_svg(Chart(title="t", kind="line", unit="", points=(Point("2023-01-01", None),), series_label="s"))
    assert "无有效数据" in empty and empty.startswith("<svg")


# -- in a real browser ------------------------------------------------------------------------------------

_CHARTS_JS = """JSON.stringify([...document.querySelectorAll('svg.chart')].map(s => {
  const r = s.getBoundingClientRect();
  const drawn = [...s.querySelectorAll('polyline, rect, circle, line, text')]
    .filter(e => { const b = e.getBBox(); return b.width > 0 || b.height > 0; }).length;
  return {id: s.id, kind: s.dataset.kind, width: r.width, height: r.height, drawn: drawn,
          marks: s.querySelectorAll('polyline, rect.bar, circle.point, line.overlay, line.limit').length};
}))"""


def test_in_chromium_no_error_every_chart_drawn(chromium: Chromium, demo_html: Path, tmp_path: Path) -> None:
    chromium.open(demo_html.as_uri())
    assert chromium.problems() == []
    assert chromium.requests() == [demo_html.as_uri()]  # offline: nothing but the page itself
    charts: list[dict[str, Any]] = json.loads(chromium.evaluate(_CHARTS_JS))
    assert len(charts) > 20
    for chart in charts:
        assert chart["width"] > 100 and chart["height"] > 20, chart
        assert chart["drawn"] > 3 and chart["marks"] >= 1, chart
    # The Chinese of the title is drawn with a CJK font, not as empty boxes of a fallback font.
    fonts = chromium.fonts_of("h1")
    cjk = [f for f in fonts if re.search(r"CJK|Han|Hei|WenQuanYi|YaHei|PingFang|Fallback", f["familyName"])]
    assert cjk and sum(f["glyphCount"] for f in cjk) >= 8, fonts
    shot = chromium.screenshot(tmp_path / "demo-report.png", height=2400)
    assert shot.stat().st_size > 50_000
    pdf = chromium.print_pdf()
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    units = int(chromium.evaluate("document.querySelectorAll('section.unit').length"))
    assert pdf.startswith(b"%PDF") and pages > units  # A4 pages, a new one for every unit


def test_a_cjk_font_is_installed_where_chromium_is(chromium: Chromium) -> None:
    """Without one every Chinese character of the report is an empty box (.ci/run installs
    fonts-noto-cjk beside chromium)."""
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig's fc-list is not installed")
    families = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=True).stdout
    assert families.strip(), "no font with Chinese glyphs: apt-get install fonts-noto-cjk"

"""The core's generic evaluators at their boundaries, through a small plan."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

import envplan_core as ep
from envplan_core.findings import Status

PLAN = textwrap.dedent(
    """
    id: gen-2023
    title_zh: 通用评价测试
    title_en: generic evaluator test
    year: 2023
    document: d
    issued: 2023-08-18
    targets:
      - id: gen.so2.yoy
        title_zh: 二氧化硫同比下降30%
        title_en: SO2 down 30 %
        kind: aspirational
        evaluator: yoy_change
        parameter: SO2
        period: "2023"
        thresholds: [{comparator: "<=", value: "-30 %"}]
        citation: {text: 二氧化硫力争同比下降30%以上}
      - id: gen.pm25.p95
        title_zh: PM2.5第95百分位
        title_en: PM2.5 95th percentile
        kind: goal
        evaluator: statistic
        parameter: PM2.5
        period: "2023"
        params: {statistic: percentile, p: 95}
        thresholds: [{comparator: "<=", value: "75 µg/m³"}]
        citation: {text: x}
      - id: gen.share
        title_zh: 饮用水水源达标比例
        title_en: drinking-source share
        kind: binding
        evaluator: supplied_value
        params: {key: share, limit_key: national}
        thresholds: [{comparator: ">=", value: "0 %"}]
        citation: {text: x}
      - id: gen.ratio
        title_zh: 运行率不低于80%
        title_en: operating rate at least 80 %
        kind: goal
        evaluator: inventory_ratio
        params: {kind: facility, numerator: {status: running}}
        thresholds: [{comparator: ">=", value: "80 %"}]
        citation: {text: x}
      - id: gen.count
        title_zh: 完成11个村
        title_en: 11 villages
        kind: goal
        evaluator: inventory_count
        params: {kind: station, where: {completed: true}}
        thresholds: [{comparator: ">=", value: 11}]
        citation: {text: x}
      - id: gen.dust
        title_zh: 每月降尘不高于7
        title_en: dust fall at most 7 every month
        kind: goal
        evaluator: statistic
        parameter: PM10
        period: "2023"
        params: {statistic: max, period: month}
        thresholds: [{comparator: "<=", value: "70 µg/m³"}]
        citation: {text: x}
      - id: gen.width
        title_zh: 缓冲带宽度
        title_en: buffer width
        kind: goal
        evaluator: inventory_field
        params: {kind: buffer, field: width}
        thresholds: [{comparator: ">=", value: "30 m"}]
        citation: {text: x}
    """
)


class _Plugin:
    @ep.hookimpl
    def envplan_plans(self) -> list[ep.Plan]:
        return [ep.load_plan_text(PLAN)]


@pytest.fixture(scope="module")
def engine() -> ep.Engine:
    return ep.load(plugins=[_Plugin()])


def _obs(so2_2022: float, so2_2023: float) -> pd.DataFrame:
    rows = [
        ("新绛县", "SO2", f"{y}-{m:02d}-15", v, "ug/m3")
        for y, v in ((2022, so2_2022), (2023, so2_2023))
        for m in range(1, 13)
    ]
    rows += [("新绛县", "PM2.5", f"2023-01-{d:02d}", float(d), "ug/m3") for d in range(1, 21)]
    return pd.DataFrame(rows, columns=["site", "parameter", "time", "value", "unit"])


def _find(report: ep.Report, fid: str) -> list[ep.Finding]:
    return [f for f in report.findings if f.id == fid]


@pytest.mark.parametrize(
    ("before", "after", "status"), [(20, 14, Status.MET), (20, 14.2, Status.NOT_MET), (20, 10, Status.MET)]
)
def test_yoy_change_boundary(engine: ep.Engine, before: float, after: float, status: Status) -> None:
    (f,) = _find(engine.evaluate(observations=_obs(before, after), as_of="2023-12-31"), "gen.so2.yoy")
    assert f.status is status
    assert f.unit == "%"


def test_yoy_change_without_baseline_is_insufficient(engine: ep.Engine) -> None:
    frame = _obs(20, 14)
    frame = frame[~frame["time"].str.startswith("2022")]
    (f,) = _find(engine.evaluate(observations=frame, as_of="2023-12-31"), "gen.so2.yoy")
    assert f.status is Status.INSUFFICIENT_DATA and "previous" in f.message_en


def test_percentile_uses_hj663_formula(engine: ep.Engine) -> None:
    (f,) = _find(engine.evaluate(observations=_obs(20, 14), as_of="2023-12-31"), "gen.pm25.p95")
    # values 1..20: k = 1 + 19 * 0.95 = 19.05 → 19 + 0.05 * (20 - 19) = 19.05
    assert f.value == pytest.approx(19.05)


def test_supplied_value_and_missing_limit(engine: ep.Engine) -> None:
    (f,) = _find(
        engine.evaluate(
            inventory={"records": [], "values": {"share": "100 %", "national": "95 %"}}, as_of="2023-12-31"
        ),
        "gen.share",
    )
    assert f.status is Status.MET and f.limit == 95.0
    (g,) = _find(
        engine.evaluate(inventory={"records": [], "values": {"share": "100 %"}}, as_of="2023-12-31"),
        "gen.share",
    )
    assert g.status is Status.INSUFFICIENT_DATA and "national" in g.message_en


@pytest.mark.parametrize(("running", "total", "status"), [(4, 5, Status.MET), (3, 5, Status.NOT_MET)])
def test_inventory_ratio_boundary(engine: ep.Engine, running: int, total: int, status: Status) -> None:
    records = [
        {"id": f"f{i}", "kind": "facility", "status": "running" if i < running else "stopped"}
        for i in range(total)
    ]
    (f,) = _find(engine.evaluate(inventory={"records": records}, as_of="2023-12-31"), "gen.ratio")
    assert f.status is status
    assert f.value == pytest.approx(100 * running / total)


def test_inventory_count_and_field(engine: ep.Engine) -> None:
    records = [{"id": f"s{i}", "kind": "station", "completed": True} for i in range(11)]
    records += [
        {"id": "b1", "kind": "buffer", "name": "汾河北岸", "width": "30 m"},
        {"id": "b2", "kind": "buffer", "name": "浍河南岸", "width": "2990 cm"},
    ]
    report = engine.evaluate(inventory={"records": records}, as_of="2023-12-31")
    (count,) = _find(report, "gen.count")
    assert count.status is Status.MET and count.value == 11
    widths = {f.subject: f.status for f in _find(report, "gen.width")}
    assert widths == {"汾河北岸": Status.MET, "浍河南岸": Status.NOT_MET}


def test_no_inventory_is_insufficient_data(engine: ep.Engine) -> None:
    report = engine.evaluate(as_of="2023-12-31")
    for fid in ("gen.ratio", "gen.count", "gen.width", "gen.share", "gen.so2.yoy", "gen.pm25.p95"):
        assert {f.status for f in _find(report, fid)} == {Status.INSUFFICIENT_DATA}, fid


def test_units_file_overrides_group_membership(tmp_path: Path) -> None:
    engine = ep.load(plugins=[_Plugin()])
    assert engine.catalog.units.resolve("沿河各镇") is not None
    custom = tmp_path / "units.yaml"
    custom.write_text(
        "units:\n  - {id: riverside_towns, name_zh: 沿河各镇, name_en: riverside towns, kind: group,"
        " members: [hengqiao_town]}\n",
        encoding="utf-8",
    )
    group = ep.load(plugins=[_Plugin()], units_file=custom).catalog.units.resolve("沿河各镇")
    assert group is not None and group.members == ("hengqiao_town",)


def test_aliases_resolve_to_one_canonical_unit(engine: ep.Engine) -> None:
    units = engine.catalog.units
    assert units.canonical_zh("市生态环境局新绛分局") == units.canonical_zh("运城市生态环境局新绛分局")
    assert units.canonical_zh("县园林绿化中心") == units.canonical_zh("县园林绿化服务中心")
    assert units.matches("龙兴镇", ["各镇"])


def test_units_file_with_unknown_member_is_rejected(tmp_path: Path) -> None:
    custom = tmp_path / "units.yaml"
    custom.write_text(
        "units:\n  - {id: riverside_towns, name_zh: 沿河各镇, name_en: r, kind: group, members: [atlantis]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ep.PluginError, match="unknown member 'atlantis'"):
        ep.load(plugins=[_Plugin()], units_file=custom)


def _monthly(months: list[int], value: float = 50.0) -> pd.DataFrame:
    rows = [("新绛县", "PM10", f"2023-{m:02d}-15", value, "ug/m3") for m in months]
    return pd.DataFrame(rows, columns=["site", "parameter", "time", "value", "unit"])


def test_every_month_needs_every_month(engine: ep.Engine) -> None:
    # Issue 10: "every month" is not met on three months of data; a month over the limit is proven.
    (f,) = _find(engine.evaluate(observations=_monthly([1, 2, 3]), as_of="2023-12-31"), "gen.dust")
    assert f.status is Status.INSUFFICIENT_DATA
    assert f.details["computation"]["months_without_data"] == [f"2023-{m:02d}" for m in range(4, 13)]
    assert "9个月无数据" in f.message_zh
    (g,) = _find(engine.evaluate(observations=_monthly(list(range(1, 13))), as_of="2023-12-31"), "gen.dust")
    assert g.status is Status.MET and g.details["computation"]["n"] == 1
    (h,) = _find(engine.evaluate(observations=_monthly([1, 2], 90.0), as_of="2023-12-31"), "gen.dust")
    assert h.status is Status.NOT_MET
    # Months not over by as_of are not expected yet.
    (k,) = _find(engine.evaluate(observations=_monthly([1, 2, 3]), as_of="2023-04-15"), "gen.dust")
    assert k.status is Status.MET and k.details["provisional"] is True


def test_generic_findings_carry_their_computation(engine: ep.Engine) -> None:
    report = engine.evaluate(observations=_obs(20.0, 12.0), as_of="2023-12-31")
    (yoy,) = _find(report, "gen.so2.yoy")
    comp = yoy.details["computation"]
    assert (comp["value"], comp["n"], comp["n_of"], comp["unit"]) == (yoy.value, 12, "samples", "%")
    assert comp["value_raw"] == pytest.approx(-40.0)
    (p95,) = _find(report, "gen.pm25.p95")
    assert p95.details["computation"]["statistic"] == "p95"
    assert p95.details["computation"]["n"] == 20

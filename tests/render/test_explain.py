"""Issue 10 (6): ``--explain`` prints, in Chinese and English, the computation a verdict rests on
(``details.computation``: every target, and the rules whose evaluators compute a statistic), in table and
markdown; JSON always carries it."""

from __future__ import annotations

import json

import pytest

from envplan_core.cli import main
from envplan_core.findings import Finding, Status, computation
from envplan_core.model import Citation
from envplan_core.render.view import explain_lines


def _finding(**details: object) -> Finding:
    return Finding(
        id="air.pm25.annual_mean",
        plan="air-2023",
        kind="target",
        status=Status.NOT_MET,
        subject="新绛县",
        message_zh="PM2.5 年均浓度 45 µg/m³",
        message_en="PM2.5 annual mean 45 µg/m³",
        citation=Citation(part="目标", clause="一", text="PM2.5 ≤ 43"),
        value=45.0,
        limit=43.0,
        unit="µg/m³",
        details=details,
    )


def test_explain_lines_show_every_part_of_the_computation() -> None:
    c = computation(
        period="2023",
        statistic="annual_mean",
        n=364,
        n_of="valid_days",
        value=45.0,
        value_raw=45.2973502946329,
        unit="µg/m³",
        rounding="GB/T 8170 to 0 decimals",
        rule_zh="HJ 663-2013：日均值的年平均",
        rule_en="HJ 663-2013: annual mean of the daily means",
        limit=43.0,
        comparator="<=",
        per_month={"2023-02": 25},
    )
    lines = explain_lines(_finding(computation=c))
    assert lines[0] == "时段 Period 2023 · 统计 Statistic annual_mean · 依据 Based on 364 有效日 valid days"
    assert lines[1] == "数值 Value 45 µg/m³（未修约 unrounded 45.2973502946329）"
    assert lines[2] == "修约 Rounding: GB/T 8170 to 0 decimals"
    assert lines[3] == "规则 HJ 663-2013：日均值的年平均"
    assert lines[4] == "Rule: HJ 663-2013: annual mean of the daily means"
    assert lines[5] == "其他 Other: limit=43; comparator=<=; per_month={2023-02: 25}"


def test_a_finding_without_a_computation_explains_nothing() -> None:
    assert explain_lines(_finding()) == []


def test_insufficient_data_has_no_value_line() -> None:
    c = computation(period="2023", statistic="annual_mean", n=None, n_of="valid_days", rule_zh="规则", rule_en="rule")
    lines = explain_lines(_finding(computation=c))
    assert lines[0].endswith("依据 Based on —") and not any(line.startswith("数值") for line in lines)


def _demo(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["demo", "--as-of", "2024-01-31", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_explain_section_lists_every_finding_with_a_computation(
    capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, _ = _demo(capsys, "--plan", "air", "--explain", "-f", fmt)
    assert code == 0
    assert "计算依据 How each verdict was computed (--explain)" in out
    code, raw, _ = _demo(capsys, "--plan", "air", "-f", "json")
    findings = json.loads(raw)["findings"]
    assert all("computation" in f["details"] for f in findings if f["kind"] == "target")
    explained = [f for f in findings if "computation" in f["details"]]
    assert explained
    section = out.split("计算依据", 1)[1]
    for f in explained:
        assert f["id"].replace("_", "\\_" if fmt == "markdown" else "_") in section
    if fmt == "markdown":  # one line per finding: the unrounded value appears whole
        pm25 = next(f for f in explained if f["id"] == "air.pm25.annual_mean")
        c = pm25["details"]["computation"]
        assert f"（未修约 unrounded {c['value_raw']!r}）" in section
        assert f"依据 Based on {c['n']} 有效日 valid days" in section


def test_without_explain_the_section_is_absent(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _demo(capsys, "--plan", "air")
    assert code == 0 and "计算依据" not in out


@pytest.mark.parametrize("fmt", ["html", "xlsx"])
def test_explain_with_a_format_that_cannot_show_it_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], fmt: str, tmp_path: object
) -> None:
    code, out, err = _demo(capsys, "--explain", "-f", fmt, "-o", f"{tmp_path}/r.{fmt}")
    assert code == 2 and out == "" and "--explain is for --format table or markdown" in err


"""Every verdict explains itself (issue 10): each finding of a target carries ``details["computation"]``.

Run through the command line on the water, air, groundwater and soil plans
and the core's generic evaluators: the demo data, no data at all, and a day before the plans' period. The
computation has the same keys everywhere (:func:`envplan_core.findings.computation`) and agrees with the
finding it explains.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from envplan_core.cli import main
from envplan_core.findings import COUNTED, computation

PLUGINS = "envplan_water,envplan_air,envplan_groundwater,envplan_soil"
KEYS = {"period", "statistic", "n", "n_of", "value", "value_raw", "unit", "rounding", "rule_zh", "rule_en"}

#: A progress file with only its header: no evidence (evaluate refuses to run with no input at all).
NO_PROGRESS = str(Path(__file__).resolve().parent / "progress_header_only.csv")


def _report(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["--plugins", PLUGINS, *argv, "--format", "json"]) == 0
    out, _ = capsys.readouterr()
    report: dict[str, Any] = json.loads(out)
    return report


@pytest.mark.parametrize(
    "argv",
    [
        ("demo",),
        ("evaluate", "--progress", NO_PROGRESS, "--as-of", "2023-12-31"),
        ("evaluate", "--progress", NO_PROGRESS, "--as-of", "2023-06-30"),
        ("evaluate", "--progress", NO_PROGRESS, "--as-of", "2022-06-30"),
    ],
    ids=["demo", "no-data", "mid-year", "before-the-period"],
)
def test_every_target_finding_carries_its_computation(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]
) -> None:
    report = _report(capsys, *argv)
    targets = [f for f in report["findings"] if f["kind"] == "target"]
    assert targets
    for f in targets:
        where = f"{f['id']} / {f['subject']} ({f['status']})"
        comp = f["details"].get("computation")
        assert comp is not None, where
        assert comp.keys() >= KEYS, where
        assert comp["n_of"] in COUNTED, where
        assert comp["rule_zh"] and comp["rule_en"], where
        assert comp["period"], where
        if f["status"] in ("met", "not_met") and f["value"] is not None:
            assert comp["value"] == f["value"], where
            assert comp["n"] is not None, where
        if f["value_raw"] is not None and comp["value_raw"] is not None:
            assert comp["value_raw"] == pytest.approx(f["value_raw"]), where


def test_the_demo_computations_say_what_the_verdicts_rest_on(capsys: pytest.CaptureFixture[str]) -> None:
    by_id = {(f["id"], f["subject"]): f for f in _report(capsys, "demo")["findings"]}
    pm25 = by_id[("air.pm25.annual_mean", "新绛县")]["details"]["computation"]
    assert (pm25["n_of"], pm25["statistic"], pm25["value"]) == ("valid_days", "annual_mean", 45.0)
    assert pm25["value_raw"] == pytest.approx(45.2974, abs=1e-4)
    assert "GB/T 8170" in pm25["rounding"] and "324" in pm25["rule_en"] and "324" in pm25["rule_zh"]
    section = by_id[("water.yangzhaoqiao.class", "杨赵桥")]["details"]["computation"]
    assert (section["value"], section["n"], section["n_of"]) == ("IV", 12, "samples")
    assert section["decisive_missing"] == []


def test_the_helper_refuses_an_unknown_count() -> None:
    with pytest.raises(ValueError, match="n_of"):
        computation(period="2023", statistic="x", n=1, n_of="widgets", rule_zh="规则", rule_en="rule")

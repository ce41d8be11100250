"""The water plan through the ``envplan`` command: classify, targets, tasks, evaluate, demo (in-process, with the
water plugin only: the fixture ``run`` of tests/plugins/conftest.py)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., tuple[int, str, str]]


# -- classify --------------------------------------------------------------------------------------------


def test_classify_surface_water_json(run: Run, examples: Path) -> None:
    code, out, err = run("classify", "surface-water", str(examples / "observations.csv"), "--format", "json")
    assert code == 0, err
    rows = {r["site"]: r for r in json.loads(out)}
    yzq, xqc = rows["杨赵桥"], rows["西曲村"]
    assert (yzq["period"], yzq["class"], yzq["limiting"], yzq["site_id"]) == ("2023", "IV", ["NH3-N"], "yangzhaoqiao")
    assert yzq["main_pollutants"] == ["NH3-N"] and yzq["exceedance"] == {"NH3-N": 0.25}
    assert (yzq["status_zh"], yzq["status_en"]) == ("轻度污染", "slightly polluted")
    assert len(yzq["per_parameter"]) == 21 and yzq["missing_indicators"] == []
    assert set(yzq["n_samples"].values()) == {12}
    assert xqc["class"] == "III"
    assert xqc["means"]["As"] == pytest.approx(0.0015)  # written in µg/L (mean 1.5), held in mg/L
    assert xqc["means"]["Hg"] == pytest.approx(0.00002)  # "<0.04" µg/L: half the detection limit, in mg/L
    for r in rows.values():
        assert {"site", "period", "class", "limiting", "per_parameter", "main_pollutants", "exceedance",
                "status_zh", "status_en", "n_samples"} <= set(r)


def test_classify_by_month(run: Run, examples: Path) -> None:
    code, out, _ = run("classify", "surface-water", str(examples / "observations.csv"), "--period", "month",
                       "--format", "json")
    assert code == 0
    months = [r for r in json.loads(out) if r["site"] == "城区污水处理厂（二）尾水湿地出水口"]
    assert [r["period"] for r in months] == [f"2023-{m:02d}" for m in range(1, 13)]
    assert months[0]["class"] == "IV"  # the January sample


def test_classify_water_body_type(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "tp.csv"
    data.write_text("site,parameter,time,value,unit\n示例湖,总磷,2023-05-01,0.04,mg/L\n"
                    "三泉水库,总磷,2023-05-01,0.04,mg/L\n", encoding="utf-8")
    code, out, _ = run("classify", "surface-water", str(data), "--format", "json")
    assert code == 0
    classes = {r["site"]: (r["class"], r["water_body_type"]) for r in json.loads(out)}
    # 三泉水库 is a reservoir in the plan: the lake TP row (Ⅲ ≤ 0.05); 示例湖 is unknown: a river by default.
    assert classes == {"示例湖": ("II", "river"), "三泉水库": ("III", "lake")}
    code, out, _ = run("classify", "surface-water", str(data), "--water-body-type", "lake", "--format", "json")
    assert {r["site"]: r["class"] for r in json.loads(out)} == {"示例湖": "III", "三泉水库": "III"}


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_classify_human_formats(run: Run, examples: Path, fmt: str) -> None:
    code, out, _ = run("classify", "surface-water", str(examples / "observations.csv"), "--format", fmt)
    assert code == 0
    assert "杨赵桥" in out and "氨氮" in out and "GB 3838-2002" in out


def test_classify_a_kind_nobody_registered_is_a_usage_error(run: Run, examples: Path) -> None:
    code, out, err = run("classify", "mars-dust", str(examples / "observations.csv"))
    assert code == 2
    assert out == ""
    assert "mars-dust" in err and "surface-water" in err and "Traceback" not in err


def test_classify_bad_input_exits_2(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "bad.csv"
    data.write_text("site,parameter,time,value,unit\n杨赵桥,氨氮氮,2023-05-01,1,mg/L\n", encoding="utf-8")
    code, _, err = run("classify", "surface-water", str(data))
    assert code == 2
    assert "氨氮氮" in err and "row 2" in err
    code, _, err = run("classify", "surface-water", str(tmp_path / "missing.csv"))
    assert code == 2 and "no such file" in err


def test_classify_surface_water_python_function(examples: Path) -> None:
    from envplan_core.analysis.surface_water import classify_surface_water

    rows = classify_surface_water(examples / "observations.csv", water_body_types={"杨赵桥": "river"})
    assert {r["site"]: r["class"] for r in rows}["杨赵桥"] == "IV"


# -- listings and evaluation -------------------------------------------------------------------------------


def test_targets_are_complete_and_cited(run: Run) -> None:
    code, out, _ = run("targets", "--plan", "water", "--format", "json")
    assert code == 0
    targets = {t["id"]: t for t in json.loads(out)}
    assert len(targets) == 9
    assert targets["water.yangzhaoqiao.class"]["kind"] == "aspirational"
    assert targets["water.yangzhaoqiao.class"]["evaluator"] == "section_class"
    for t in targets.values():
        assert t["citation"]["text"] and t["citation"]["plan"] == "水环境质量再提升2023年行动计划"
        assert t["lead"], t["id"]
    code, out, _ = run("targets", "--plan", "water")
    assert code == 0 and "water.xiqucun.class" in out and "规则 Rules" in out


def test_tasks_are_complete_with_units_and_deadlines(run: Run) -> None:
    code, out, _ = run("tasks", "--plan", "water", "--format", "json")
    assert code == 0
    tasks = {t["number"]: t for t in json.loads(out)}
    assert sorted(tasks, key=int) == [str(n) for n in range(1, 15)]
    assert tasks["5"]["deadlines"] == ["2023-12-31", "2025-06-30"]
    assert tasks["6"]["lead"] == ["运城市生态环境局新绛分局", "横桥镇"]
    assert tasks["6"]["support"] == ["县住建局", "其余各镇"]
    assert tasks["14"]["deadlines"] == [None]
    for t in tasks.values():
        assert t["citation"]["clause"] == t["number"] and t["citation"]["text"]
    code, out, _ = run("tasks", "--plan", "water", "--unit", "横桥镇", "--format", "json")
    assert {t["number"] for t in json.loads(out)} >= {"6", "9"}


def test_evaluate_example_data(run: Run, examples: Path) -> None:
    code, out, err = run("evaluate", "--observations", str(examples / "observations.csv"),
                         "--inventory", str(examples / "inventory.yaml"),
                         "--progress", str(examples / "progress.csv"),
                         "--as-of", "2023-12-31", "--plan", "water", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    counts = Counter(f["status"] for f in report["findings"])
    assert counts == {"met": 17, "not_met": 6, "done": 5, "open": 6, "ongoing": 3}
    for f in report["findings"]:
        assert f["citation"]["text"] and f["lead"] and f["message_zh"] and f["message_en"]
    code, _, _ = run("evaluate", "--observations", str(examples / "observations.csv"), "--as-of", "2023-12-31",
                     "--plan", "water", "--fail-on", "not_met")
    assert code == 1


def test_demo_runs_the_water_examples(run: Run) -> None:
    code, out, _ = run("demo", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["synthetic"] is True
    assert any(Path(f).parent.name == "envplan_water" for f in data["example_folders"])
    assert any(f["id"] == "water.yangzhaoqiao.class" and f["status"] == "not_met" for f in data["findings"])

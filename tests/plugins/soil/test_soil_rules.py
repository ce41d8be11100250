"""The soil plan's evaluators on small inventories: every branch of every rule, met and not met."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable, Mapping
from typing import Any

import pytest

import envplan_core as ep
from envplan_core import DataError, Finding, Report, Status
from envplan_core.plugin import Record
from envplan_soil._common import is_sensitive_use
from envplan_soil.parcels import check_listed

Evaluate = Callable[..., Report]


def found(report: Report, item: str) -> list[Finding]:
    return [f for f in report.findings if f.id == item]


def one(report: Report, item: str, subject: str | None = None) -> Finding:
    matches = [f for f in found(report, item) if subject is None or f.subject == subject]
    assert len(matches) == 1, [(f.subject, f.status) for f in found(report, item)]
    return matches[0]


def parcel(rid: str = "p1", /, **fields: Any) -> dict[str, Any]:
    return {"id": rid, "kind": "land_parcel", "name": rid, **fields}


CHANGE: dict[str, Any] = {"original_use": "M1", "planned_use": "R21"}
RULE7 = "soil.rule.sensitive_use_investigation"
LISTED = "soil.rule.listed_parcel_restrictions"
BUILD = "soil.rule.no_unrelated_construction"
TOXIC = "soil.rule.toxic_site_reclamation"
FARM = "soil.rule.priority_farmland"
RATE = "soil.farmland.safe_utilisation_rate"
MONTHLY = "soil.rule.monthly_check"
QUARTERLY = "soil.rule.quarterly_dispatch"
GOAL = "soil.construction_land.safe_use"


# -- land uses ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("use", "sensitive"),
    [
        ("R21", True),
        ("R", True),
        ("A33", True),
        ("A1 行政办公用地", True),
        ("一住两公", True),
        ("住宅用地", True),
        ("0701", True),
        ("0804 教育用地", True),
        ("M1", False),
        ("B1 商业用地", False),
        ("1001", False),
        ("工业用地", False),
        ("耕地", False),
        ("森林公园?", None),
        ("X9", None),
        ("99", None),
    ],
)
def test_yi_zhu_liang_gong(use: str, sensitive: bool | None) -> None:
    assert is_sensitive_use(use) is sensitive


# -- task 7 ---------------------------------------------------------------------------------------------------


def test_investigation_before_supply(evaluate: Evaluate) -> None:
    ok = one(
        evaluate(
            [
                parcel(
                    **CHANGE,
                    investigation_completed="2023-03-01",
                    exceeds_screening=False,
                    supplied_on="2023-06-01",
                )
            ]
        ),
        RULE7,
    )
    assert ok.status is Status.MET
    late = one(
        evaluate(
            [
                parcel(
                    **CHANGE,
                    investigation_completed="2023-07-01",
                    exceeds_screening=False,
                    supplied_on="2023-06-01",
                )
            ]
        ),
        RULE7,
    )
    assert late.status is Status.NOT_MET and "晚于2023-06-01土地供应" in late.message_zh
    none = one(evaluate([parcel(**CHANGE, planning_permit_on="2023-05-01", supplied_on="2023-06-01")]), RULE7)
    assert none.status is Status.NOT_MET
    assert none.details["first_event"] == "planning permit" and none.limit == "2023-05-01"


def test_risk_assessment_where_gb36600_screening_is_exceeded(evaluate: Evaluate) -> None:
    over = {
        "investigation_completed": "2023-03-01",
        "investigation_results": {"砷": "25 mg/kg", "苯": "500 µg/kg"},
        "supplied_on": "2023-06-01",
    }
    missing = one(evaluate([parcel(**CHANGE, **over)]), RULE7)
    assert missing.status is Status.NOT_MET
    assert missing.citation.standard == "GB 36600-2018"
    assert missing.details["exceedances"] == [
        {"parameter": "soil_As", "value": 25.0, "screening": 20.0, "unit": "mg/kg"}
    ]
    assert missing.details["land_class"] == "first"
    done = one(evaluate([parcel(**CHANGE, **over, risk_assessment_completed="2023-05-20")]), RULE7)
    assert done.status is Status.MET
    # A1 (administration) is 一住两公 but GB 36600 second-class land: arsenic 25 is within its 60.
    admin = one(evaluate([parcel(original_use="M1", planned_use="A1", **over)]), RULE7)
    assert admin.status is Status.MET and admin.details["land_class"] == "second"
    # 一住两公 itself (or a 2020 code) cannot be placed in a GB 36600 class: judged as first class, said so.
    coded = one(evaluate([parcel(original_use="M1", planned_use="0701 城镇住宅用地", **over)]), RULE7)
    assert coded.status is Status.NOT_MET and "first-class" in coded.details["land_class_note"]


def test_results_must_be_soil_concentrations(evaluate: Evaluate) -> None:
    with pytest.raises(DataError, match="wrong dimension"):
        evaluate(
            [
                parcel(
                    **CHANGE,
                    investigation_completed="2023-03-01",
                    investigation_results={"砷": "25 mg/L"},
                    supplied_on="2023-06-01",
                )
            ]
        )
    with pytest.raises(DataError, match="not a concentration with its unit"):
        evaluate(
            [
                parcel(
                    **CHANGE,
                    investigation_completed="2023-03-01",
                    investigation_results={"砷": 25},
                    supplied_on="2023-06-01",
                )
            ]
        )


def test_task7_not_applicable_and_insufficient(evaluate: Evaluate) -> None:
    exempt = one(evaluate([parcel(original_use="R2", planned_use="R21", supplied_on="2023-06-01")]), RULE7)
    assert exempt.status is Status.NOT_APPLICABLE and "除外" in exempt.message_zh
    pending = one(evaluate([parcel(**CHANGE, supplied_on="2024-02-01")]), RULE7)  # after as_of: not known yet
    assert pending.status is Status.NOT_APPLICABLE
    no_results = one(
        evaluate([parcel(**CHANGE, investigation_completed="2023-03-01", supplied_on="2023-06-01")]), RULE7
    )
    assert no_results.status is Status.INSUFFICIENT_DATA
    assert no_results.details["missing"] == ["investigation_results", "exceeds_screening"]
    unknown = one(evaluate([parcel(original_use="M1", planned_use="宅子", supplied_on="2023-06-01")]), RULE7)
    assert unknown.status is Status.INSUFFICIENT_DATA and unknown.details["missing"] == ["planned_use"]
    bare = one(evaluate([parcel(name="无用途地块")]), RULE7)
    assert bare.status is Status.INSUFFICIENT_DATA and "planned_use" in bare.message_zh
    other = one(evaluate([parcel(original_use="M1", planned_use="M2")]), RULE7)
    assert other.status is Status.MET and other.details == {"checked": 1}


def test_no_inventory_and_no_parcels(evaluate: Evaluate, engine: ep.Engine) -> None:
    report = engine.evaluate(as_of="2023-12-31", plans=["soil"])
    assert one(report, RULE7).status is Status.INSUFFICIENT_DATA
    empty = evaluate([{"id": "x", "kind": "well"}])
    assert one(empty, RULE7).details["missing"] == ["land_parcel"]


def test_a_bad_date_is_a_data_error(evaluate: Evaluate) -> None:
    with pytest.raises(DataError, match="not an ISO date") as err:
        evaluate([parcel(**CHANGE, supplied_on="2023年6月")])
    assert err.value.column == "supplied_on"
    with pytest.raises(DataError, match="not yes/no"):
        evaluate(
            [
                parcel(
                    **CHANGE,
                    investigation_completed="2023-03-01",
                    exceeds_screening="maybe",
                    supplied_on="2023-06-01",
                )
            ]
        )


# -- task 8: the list --------------------------------------------------------------------------------------------


def test_listed_parcels(evaluate: Evaluate) -> None:
    base = {"original_use": "M3", "planned_use": "M1", "on_risk_list": True, "listed_on": "2023-02-01"}
    clean = one(evaluate([parcel(**base)]), LISTED)
    assert clean.status is Status.MET and "仍在名录中" in clean.message_zh
    supplied = one(evaluate([parcel(**base, supplied_on="2023-05-01")]), LISTED)
    assert supplied.status is Status.NOT_MET and "2023-05-01办理土地供应" in supplied.message_zh
    before = one(evaluate([parcel(**base, recovered_on="2023-01-15")]), LISTED)
    assert before.status is Status.MET  # recovered before it was listed
    delisted = one(
        evaluate(
            [parcel(**{**base, "planned_use": "R21"}, delisted_on="2023-06-30", supplied_on="2023-08-01")]
        ),
        LISTED,
    )
    assert delisted.status is Status.MET and "移出名录" in delisted.message_zh
    housing = one(evaluate([parcel(**{**base, "planned_use": "R21"})]), LISTED)
    assert housing.status is Status.NOT_MET and "一住两公" in housing.message_zh
    undated = one(
        evaluate(
            [parcel(original_use="M3", planned_use="M1", on_risk_list=True, use_changed_on="2023-04-01")]
        ),
        LISTED,
    )
    assert undated.status is Status.INSUFFICIENT_DATA and undated.details["missing"] == ["listed_on"]
    no_use = one(evaluate([parcel(on_risk_list=True, listed_on="2023-02-01", original_use="M3")]), LISTED)
    assert no_use.status is Status.INSUFFICIENT_DATA
    not_listed = one(evaluate([parcel(original_use="M3", planned_use="M1", on_risk_list=False)]), LISTED)
    assert not_listed.status is Status.MET and not_listed.details == {"checked": 1}


def test_any_procedure_false_narrows_to_sensitive_use() -> None:
    record = Record(
        "p",
        "land_parcel",
        {
            "on_risk_list": True,
            "listed_on": dt.date(2023, 1, 1),
            "planned_use": "M1",
            "supplied_on": dt.date(2023, 5, 1),
        },
        source="test",
    )
    as_of = dt.date(2023, 12, 31)
    wide = check_listed(record, as_of)
    narrow = check_listed(record, as_of, any_procedure=False)
    assert wide is not None and wide.status is Status.NOT_MET
    assert narrow is not None and narrow.status is Status.MET


# -- task 8: construction ----------------------------------------------------------------------------------------


def test_construction(evaluate: Evaluate) -> None:
    start = {"construction_started_on": "2023-09-01", "construction_purpose": "住宅开发"}
    no_inv = one(evaluate([parcel(**CHANGE, **start)]), BUILD)
    assert no_inv.status is Status.NOT_MET and "调查未完成" in no_inv.message_zh
    ok = one(
        evaluate([parcel(**CHANGE, **start, investigation_completed="2023-03-01", exceeds_screening=False)]),
        BUILD,
    )
    assert ok.status is Status.MET
    no_ra = one(
        evaluate(
            [
                parcel(
                    **CHANGE,
                    **start,
                    investigation_completed="2023-03-01",
                    exceeds_screening=True,
                    risk_assessment_completed="2023-10-01",
                )
            ]
        ),
        BUILD,
    )
    assert no_ra.status is Status.NOT_MET and "2023-10-01" in no_ra.message_zh
    listed = {
        "original_use": "M3",
        "planned_use": "W1",
        "on_risk_list": True,
        "listed_on": "2022-01-01",
        "investigation_completed": "2021-06-01",
        "exceeds_screening": True,
        "risk_assessment_completed": "2021-09-01",
    }
    targets = one(evaluate([parcel(**listed, **start)]), BUILD)
    assert targets.status is Status.NOT_MET and "未达到风险管控、修复目标" in targets.message_zh
    met = one(evaluate([parcel(**listed, **start, targets_met_on="2023-08-01")]), BUILD)
    assert met.status is Status.MET
    works = one(
        evaluate([parcel(**listed, construction_started_on="2023-09-01", construction_purpose="修复")]), BUILD
    )
    assert works.status is Status.MET
    flagged = one(
        evaluate(
            [
                parcel(
                    original_use="M3",
                    planned_use="M1",
                    remediation_required=True,
                    **start,
                    investigation_required=False,
                )
            ]
        ),
        BUILD,
    )
    assert flagged.status is Status.NOT_MET
    free = one(evaluate([parcel(original_use="M3", planned_use="M1", **start)]), BUILD)
    assert free.status is Status.MET and free.details["investigation_required"] is False
    no_purpose = one(evaluate([parcel(**CHANGE, construction_started_on="2023-09-01")]), BUILD)
    assert no_purpose.status is Status.INSUFFICIENT_DATA and no_purpose.details["missing"] == [
        "construction_purpose"
    ]
    unknown = one(evaluate([parcel(**start)]), BUILD)
    assert unknown.status is Status.INSUFFICIENT_DATA
    future = one(
        evaluate([parcel(**CHANGE, construction_started_on="2024-03-01", construction_purpose="住宅")]), BUILD
    )
    assert future.status is Status.MET and future.details == {"checked": 1}


# -- task 6 ----------------------------------------------------------------------------------------------------


def test_toxic_site_reclamation(evaluate: Evaluate) -> None:
    bad = one(evaluate([parcel(toxic_history=True, reclaimed_to="耕地", edible_crops=True)]), TOXIC)
    assert bad.status is Status.NOT_MET
    assert (
        one(evaluate([parcel(toxic_history="是", reclaimed_to="水浇地", edible_crops="否")]), TOXIC).status
        is Status.MET
    )
    assert (
        one(evaluate([parcel(toxic_history=False, reclaimed_to="旱地", edible_crops=True)]), TOXIC).status
        is Status.MET
    )
    approved = one(
        evaluate(
            [
                parcel(
                    toxic_history=True,
                    reclaimed_to="耕地",
                    edible_crops=True,
                    exception_ref="县政府批复〔2023〕1号",
                )
            ]
        ),
        TOXIC,
    )
    assert approved.status is Status.NOT_APPLICABLE and "县政府批复" in approved.message_zh
    unknown = one(evaluate([parcel(reclaimed_to="耕地", edible_crops=True)]), TOXIC)
    assert unknown.status is Status.INSUFFICIENT_DATA and unknown.details["missing"] == ["toxic_history"]
    forest = one(evaluate([parcel(toxic_history=True, reclaimed_to="林地")]), TOXIC)
    assert forest.status is Status.MET and "均未复垦为耕地" in forest.message_zh
    typo = one(evaluate([parcel(toxic_history=True, reclaimed_to="耕田地")]), TOXIC)
    assert typo.status is Status.INSUFFICIENT_DATA


# -- task 4 -----------------------------------------------------------------------------------------------------


def plot(
    rid: str, town: str, area: str, category: str, date: str, name: str | None = None, **more: Any
) -> dict[str, Any]:
    return {
        "id": rid,
        "kind": "farmland_plot",
        "plot": name or rid.split("-", maxsplit=1)[0],
        "town": town,
        "area": area,
        "category": category,
        "inventory_date": date,
        **more,
    }


def test_priority_farmland_per_town(evaluate: Evaluate) -> None:
    records = [
        plot("a-22", "龙兴镇", "100 亩", "优先保护类", "2022-12-31"),
        plot("a-23", "龙兴镇", "100 亩", "优先保护类", "2023-12-31"),
        plot("b-22", "泽掌镇", "100 亩", "priority_protection", "2022-12-31"),
        plot("b-23", "泽掌镇", "6 hm²", "优先保护", "2023-12-31"),  # 90 亩: smaller
        plot("c-22", "古交镇", "50 亩", "优先保护类", "2022-12-31"),
        plot("c-23", "古交镇", "50 亩", "严格管控类", "2023-12-31"),
        plot("d-22", "三泉镇", "50 亩", "安全利用类", "2022-12-31"),
        plot("d-23", "三泉镇", "50 亩", "严格管控类", "2023-12-31"),  # not priority: not this rule's
        plot("e-24", "龙兴镇", "1 亩", "严格管控类", "2024-06-30", name="a"),  # after as_of: not known yet
    ]
    report = evaluate(records)
    assert one(report, FARM, "龙兴镇").status is Status.MET
    smaller = one(report, FARM, "泽掌镇")
    assert smaller.status is Status.NOT_MET and (smaller.value, smaller.limit, smaller.unit) == (
        90.0,
        100.0,
        "亩",
    )
    assert "预警提醒" in smaller.message_zh and "泽掌镇" in smaller.support
    worse = one(report, FARM, "古交镇")
    assert worse.status is Status.NOT_MET
    assert worse.details["worsened"] == [
        {"plot": "c", "from": "priority_protection", "to": "strict_control", "area": 50.0}
    ]
    assert one(report, FARM, "三泉镇").status is Status.MET
    assert {f.period for f in found(report, FARM)} == {"2022-12-31..2023-12-31"}


def test_priority_farmland_needs_two_complete_inventories(evaluate: Evaluate) -> None:
    single = evaluate([plot("a-23", "龙兴镇", "100 亩", "优先保护类", "2023-12-31")])
    assert one(single, FARM).status is Status.INSUFFICIENT_DATA
    records = [
        plot("a-22", "龙兴镇", "100 亩", "优先保护类", "2022-12-31"),
        plot("a-23", "龙兴镇", "100 亩", "优先保护类", "2023-12-31"),
        {
            "id": "x-23",
            "kind": "farmland_plot",
            "plot": "x",
            "town": "龙兴镇",
            "category": "优先",
            "inventory_date": "2023-12-31",
        },
    ]
    report = evaluate(records)
    assert one(report, FARM, "x-23").details["missing"] == [
        "area",
        "category（优先：应为优先保护类/安全利用类/严格管控类）",
    ]
    assert one(report, FARM, "龙兴镇").status is Status.INSUFFICIENT_DATA
    with pytest.raises(DataError, match="not an area"):
        evaluate([plot("a-22", "龙兴镇", "100 m", "优先保护类", "2022-12-31")])


# -- goal: safe-utilisation rate ----------------------------------------------------------------------------------


def test_rate_needs_the_national_figure(evaluate: Evaluate) -> None:
    report = evaluate([plot("a-23", "龙兴镇", "100 亩", "安全利用类", "2023-12-31", safely_utilised=True)])
    finding = one(report, RATE)
    assert finding.status is Status.INSUFFICIENT_DATA
    assert finding.details["missing"] == ["soil.farmland.national_safe_utilisation_target"]
    assert "国家考核要求" in finding.message_zh


def test_rate_supplied_or_computed(evaluate: Evaluate) -> None:
    target = {"soil.farmland.national_safe_utilisation_target": "93 %"}
    low = one(evaluate([], values={**target, "soil.farmland.safe_utilisation_rate": "90.5 %"}), RATE)
    assert (low.status, low.value, low.limit, low.unit) == (Status.NOT_MET, 90.5, 93.0, "%")
    exact = one(evaluate([], values={**target, "soil.farmland.safe_utilisation_rate": "93 %"}), RATE)
    assert exact.status is Status.MET  # 达到: at the figure meets it
    records = [
        plot("a-22", "龙兴镇", "100 亩", "安全利用类", "2022-12-31", safely_utilised=False),
        plot("a-23", "龙兴镇", "90 亩", "安全利用类", "2023-12-31", safely_utilised=True),
        plot("b-23", "龙兴镇", "10 亩", "严格管控类", "2023-12-31", safely_utilised=False),
        plot("c-23", "龙兴镇", "500 亩", "优先保护类", "2023-12-31"),
    ]
    computed = one(evaluate(records, values=target), RATE)
    assert (computed.status, computed.value, computed.limit) == (Status.NOT_MET, 90.0, 93.0)
    assert computed.details["not_safely_utilised"] == ["b-23"]
    assert computed.details["inventory_date"] == dt.date(2023, 12, 31)  # the current inventory only
    missing = one(
        evaluate([plot("a-23", "龙兴镇", "90 亩", "安全利用类", "2023-12-31")], values=target), RATE
    )
    assert missing.status is Status.INSUFFICIENT_DATA and "safely_utilised" in missing.message_zh
    clean = one(evaluate([plot("c-23", "龙兴镇", "500 亩", "优先保护类", "2023-12-31")], values=target), RATE)
    assert clean.status is Status.NOT_APPLICABLE
    with pytest.raises(DataError, match="not a percentage"):
        evaluate([], values={"soil.farmland.national_safe_utilisation_target": 93})


# -- task 14 and task 10 -----------------------------------------------------------------------------------------


def check(rid: str, unit: str, month: str | None, open_: int | None = 0, **more: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"id": rid, "kind": "soil_monthly_check", "unit": unit, **more}
    if month is not None:
        record["month"] = month
    if open_ is not None:
        record["violations_open"] = open_
    return record


UNITS = ("县自然资源局", "市生态环境局新绛分局", "县行政审批局", "新绛经济技术开发区管委会行政审批局")


def full_year(unit: str, prefix: str) -> list[dict[str, Any]]:
    return [check(f"{prefix}{m}", unit, f"2023-{m:02d}") for m in range(9, 13)]


def test_monthly_check_per_unit(evaluate: Evaluate) -> None:
    records = [*full_year(UNITS[0], "n"), *full_year(UNITS[1], "e"), *full_year(UNITS[3], "z")]
    records += [
        check("a9", UNITS[2], "2023-09"),
        check("a10", UNITS[2], None, checked_on="2023-10-30"),
        check("a12", UNITS[2], "2023-12", 2),
    ]
    report = evaluate(records)
    findings = {f.subject: f for f in found(report, MONTHLY)}
    assert set(findings) == {
        "县自然资源局",
        "运城市生态环境局新绛分局",
        "县行政审批局",
        "新绛经济技术开发区管委会行政审批局",
    }
    for name in ("县自然资源局", "运城市生态环境局新绛分局", "新绛经济技术开发区管委会行政审批局"):
        assert findings[name].status is Status.MET
        assert findings[name].lead == (name,)  # the finding is the unit's own
    approval = findings["县行政审批局"]
    assert approval.status is Status.NOT_MET
    assert approval.details["missing_periods"] == ["2023-11"]
    assert approval.details["open_violations"] == [
        {"period": "2023-12", "violations_open": 2, "record": "a12"}
    ]
    assert (approval.value, approval.limit, approval.unit) == (3.0, 4.0, "个月")


def test_monthly_check_edges(evaluate: Evaluate) -> None:
    # Mid-October: only September is due; a record dated after as_of is not known yet.
    mid = evaluate(
        [check("n9", UNITS[0], "2023-09"), check("n10", UNITS[0], "2023-10", 3, checked_on="2023-10-20")],
        as_of="2023-10-15",
    )
    assert one(mid, MONTHLY, "县自然资源局").details["expected"] == ["2023-09"]
    assert one(mid, MONTHLY, "县自然资源局").status is Status.MET
    assert one(mid, MONTHLY, "县行政审批局").status is Status.NOT_MET
    early = evaluate([check("n9", UNITS[0], "2023-09")], as_of="2023-09-29")
    assert one(early, MONTHLY, "县自然资源局").status is Status.NOT_APPLICABLE
    # The month's last check decides; a missing count is insufficient data.
    last = evaluate(
        [
            check("n9a", UNITS[0], "2023-09", 1, checked_on="2023-09-10"),
            check("n9b", UNITS[0], "2023-09", 0, checked_on="2023-09-29"),
        ],
        as_of="2023-09-30",
    )
    assert one(last, MONTHLY, "县自然资源局").status is Status.MET
    uncounted = evaluate([check("n9", UNITS[0], "2023-09", None)], as_of="2023-09-30")
    assert one(uncounted, MONTHLY, "县自然资源局").status is Status.INSUFFICIENT_DATA
    # Records that cannot be placed are reported.
    odd = evaluate(
        [
            check("x1", "县林业局", "2023-09"),
            check("x2", "某某局", "2023-09"),
            check("x3", UNITS[0], None),
            {"id": "x4", "kind": "soil_monthly_check", "month": "2023-09"},
        ],
        as_of="2023-09-30",
    )
    assert one(odd, MONTHLY, "x1").status is Status.NOT_APPLICABLE
    assert one(odd, MONTHLY, "x2").status is Status.INSUFFICIENT_DATA
    assert one(odd, MONTHLY, "x3").status is Status.INSUFFICIENT_DATA
    assert one(odd, MONTHLY, "x4").details["missing"] == ["unit"]


def test_quarterly_dispatch(evaluate: Evaluate) -> None:
    q3 = {"id": "q3", "kind": "soil_quarterly_dispatch", "quarter": "2023-Q3", "held_on": "2023-09-26"}
    report = evaluate([q3], as_of="2023-09-30")
    finding = one(report, QUARTERLY)
    assert (finding.status, finding.subject, finding.details["expected"]) == (
        Status.MET,
        "新绛县",
        ["2023-Q3"],
    )
    late = one(evaluate([q3], as_of="2023-12-31"), QUARTERLY)
    assert late.status is Status.NOT_MET and late.details["missing_periods"] == ["2023-Q4"]
    by_date = one(
        evaluate([q3, {"id": "q4", "kind": "soil_quarterly_dispatch", "held_on": "2023-11-02"}]), QUARTERLY
    )
    assert by_date.status is Status.MET


# -- goal: key construction land ------------------------------------------------------------------------------------


def test_key_construction_land_goal(evaluate: Evaluate) -> None:
    good = parcel(
        "g", **CHANGE, investigation_completed="2023-03-01", exceeds_screening=False, supplied_on="2023-06-01"
    )
    assert one(evaluate([good]), GOAL).status is Status.MET
    unknown = parcel("u", **CHANGE, investigation_completed="2023-03-01", supplied_on="2023-06-01")
    insufficient = one(evaluate([good, unknown]), GOAL)
    assert insufficient.status is Status.INSUFFICIENT_DATA and insufficient.details["missing"] == ["u"]
    bad = parcel("b", **CHANGE, supplied_on="2023-06-01")
    breaking = one(evaluate([good, unknown, bad]), GOAL)
    assert (breaking.status, breaking.value, breaking.limit) == (Status.NOT_MET, 1.0, 0.0)
    assert breaking.details["breaking"] == {"b": [RULE7]}


# -- params are declared ------------------------------------------------------------------------------------------


def _plugin(params: Mapping[str, Any]) -> types.ModuleType:
    mod = types.ModuleType("soil_params_probe")
    text = f"""
id: probe-2023
title_zh: 测试
title_en: probe
year: 2023
document: test
issued: 2023-08-18
rules:
  - id: probe.rule
    title_zh: 测试
    title_en: probe
    evaluator: soil_periodic_check
    applies_to: soil_monthly_check
    responsibilities: [{{lead: [县自然资源局]}}]
    params: {dict(params)!r}
    citation: {{part: 测试, clause: "1", text: 测试}}
"""

    @ep.hookimpl
    def envplan_plans() -> list[ep.Plan]:
        return [ep.load_plan_text(text, source="probe/plan.yaml")]

    mod.envplan_plans = envplan_plans  # type: ignore[attr-defined]
    return mod


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"evry": "month"}, "evry"),
        ({"every": "week"}, "every"),
        ({"every": "quarter", "start": "2023-09"}, "start"),
        ({"per_unit": "yes"}, "per_unit"),
    ],
)
def test_misspelt_or_mistyped_params_are_load_errors(params: Mapping[str, Any], message: str) -> None:
    with pytest.raises(ep.EnvplanError, match=message):
        ep.load(plugins=["envplan_soil", _plugin(params)], autoload=False)


def test_an_unreadable_month_is_a_data_error(evaluate: Evaluate) -> None:
    with pytest.raises(DataError, match="is not a month") as err:
        evaluate([check("n9", UNITS[0], "九月")])
    assert err.value.column == "month"
    with pytest.raises(DataError, match="is not a quarter"):
        evaluate([{"id": "q", "kind": "soil_quarterly_dispatch", "quarter": "2023-09"}])

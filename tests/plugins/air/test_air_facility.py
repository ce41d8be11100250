"""Facility rules over the inventory: boundaries, units, deadlines, and what each finding names."""

from __future__ import annotations

from typing import Any

import pytest

from envplan_air.facility import operating_state, parse_stage
from envplan_core import DataError, Engine, Finding, Status
from envplan_core.data.inventory import read_inventory


def run(engine: Engine, rule: str, records: list[dict[str, Any]], as_of: str = "2023-12-31") -> list[Finding]:
    inventory = read_inventory({"records": records}, name="inv")
    report = engine.evaluate(inventory=inventory, as_of=as_of, plans=["air"])
    return [f for f in report.findings if f.id == rule]


def one(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, findings
    return findings[0]


BOILER = "air.rule.coal_boiler_lt_35"


@pytest.mark.parametrize(
    ("capacity", "status"),
    [
        ("35 t/h", Status.MET),  # 35蒸吨以下: 35 itself is allowed
        ("34.9 t/h", Status.NOT_MET),
        ("35 蒸吨", Status.MET),
        ("34.9 蒸吨", Status.NOT_MET),
        ("24.5 MW", Status.MET),  # = 35 t/h at 0.7 MW per t/h (boiler context)
        ("24.43 MW", Status.NOT_MET),  # 34.9 t/h
        ("14 兆瓦", Status.NOT_MET),  # 20 t/h
        ("75 t/h", Status.MET),
    ],
)
def test_coal_boiler_boundary(engine: Engine, capacity: str, status: Status) -> None:
    found = run(
        engine,
        BOILER,
        [{"id": "b", "kind": "boiler", "name": "1号锅炉", "fuel": "coal", "capacity": capacity}],
    )
    assert one(found).status is status


def test_boiler_finding_names_facility_rule_clause_and_units(engine: Engine) -> None:
    f = one(
        run(
            engine,
            BOILER,
            [{"id": "b", "kind": "boiler", "name": "示例1号锅炉", "fuel": "燃煤", "capacity": "20 t/h"}],
        )
    )
    assert f.status is Status.NOT_MET
    assert f.subject == "示例1号锅炉"
    assert "35蒸吨以下燃煤锅炉动态清零" in f.message_zh
    assert "第8条" in f.message_zh
    assert f.citation.clause == "8"
    assert set(f.lead) == {"运城市生态环境局新绛分局", "县工信科技局", "新绛经济技术开发区管委会"}
    assert f.value == 20.0
    assert f.limit == 35.0
    assert f.evidence == ("inv:$.records[0]",)


def test_only_operating_coal_boilers_count(engine: Engine) -> None:
    records = [
        {"id": "gas", "kind": "boiler", "fuel": "gas", "capacity": "4 t/h"},
        {"id": "gone", "kind": "boiler", "fuel": "coal", "capacity": "10 t/h", "status": "已取缔"},
        {"id": "dated", "kind": "boiler", "fuel": "coal", "capacity": "10 t/h", "closed_on": "2023-06-01"},
    ]
    f = one(run(engine, BOILER, records))
    assert f.status is Status.MET
    assert f.details["retired"] == 2
    # Closing after as_of is not known yet: the boiler still operates.
    later = one(run(engine, BOILER, [{**records[2], "closed_on": "2024-02-01"}]))
    assert later.status is Status.NOT_MET


def test_boiler_without_capacity_or_fuel_is_insufficient(engine: Engine) -> None:
    assert (
        one(run(engine, BOILER, [{"id": "b", "kind": "boiler", "fuel": "coal"}])).status
        is Status.INSUFFICIENT_DATA
    )
    assert (
        one(run(engine, BOILER, [{"id": "b", "kind": "boiler", "capacity": "10 t/h"}])).status
        is Status.INSUFFICIENT_DATA
    )
    assert one(run(engine, BOILER, [])).status is Status.INSUFFICIENT_DATA


@pytest.mark.parametrize(
    ("rule", "kind", "field", "ok", "bad"),
    [
        ("air.rule.blast_furnace_lt_1200", "blast_furnace", "volume", "1200 m³", "1199.9 m³"),
        ("air.rule.converter_lt_100", "converter", "capacity", "100 t", "99.9 t"),
    ],
)
def test_phase_out_boundaries_and_deadline(
    engine: Engine, rule: str, kind: str, field: str, ok: str, bad: str
) -> None:
    allowed = one(run(engine, rule, [{"id": "x", "kind": kind, field: ok}], as_of="2024-01-01"))
    assert allowed.status is Status.MET
    # Below the bound and still operating: pending up to and on the due day, not met after it.
    assert (
        one(run(engine, rule, [{"id": "x", "kind": kind, field: bad}], as_of="2023-12-31")).status
        is Status.NOT_APPLICABLE
    )
    late = one(run(engine, rule, [{"id": "x", "kind": kind, field: bad}], as_of="2024-01-01"))
    assert late.status is Status.NOT_MET
    assert "2023-12-31" in late.message_zh
    # Phased out in time: fine; after the due day: not met (closed late).
    retired = [{"id": "x", "kind": kind, field: bad, "status": "已淘汰", "closed_on": "2023-12-31"}]
    assert one(run(engine, rule, retired, as_of="2024-03-01")).status is Status.MET
    retired[0]["closed_on"] = "2024-01-15"
    assert one(run(engine, rule, retired, as_of="2024-03-01")).status is Status.NOT_MET


COKE = "air.rule.coke_oven_tongrui_4_3m"


def _oven(**fields: Any) -> dict[str, Any]:
    return {"id": "coke", "kind": "coke_oven", "enterprise": "同瑞煤化", "height": "4.3 m", **fields}


@pytest.mark.parametrize(
    ("fields", "as_of", "status"),
    [
        ({"status": "已关停", "closed_on": "2023-10-31"}, "2023-12-31", Status.MET),
        ({"status": "已关停", "closed_on": "2023-11-01"}, "2023-12-31", Status.NOT_MET),
        ({"status": "operating"}, "2023-10-31", Status.NOT_APPLICABLE),
        ({"status": "operating"}, "2023-11-01", Status.NOT_MET),
        ({"status": "已关停"}, "2023-12-31", Status.MET),
    ],
)
def test_coke_oven_closed_by_october(
    engine: Engine, fields: dict[str, Any], as_of: str, status: Status
) -> None:
    assert one(run(engine, COKE, [_oven(**fields)], as_of=as_of)).status is status


def test_coke_oven_matched_by_enterprise_and_height(engine: Engine) -> None:
    other = [_oven(height="6 m"), {**_oven(enterprise="别的公司"), "id": "c2"}]
    assert one(run(engine, COKE, other)).status is Status.INSUFFICIENT_DATA
    assert one(run(engine, COKE, [_oven(height="430 cm", closed_on="2023-10-01")])).status is Status.MET


KILN_NOX = "air.rule.brick_kiln.firing_nox"


def test_kiln_converted_to_eighteen_percent_oxygen(engine: Engine) -> None:
    """examples.md §G: NOx 150 mg/m³ at 16 % O2 is 90 mg/m³ at 18 % (met); 370.6 on the α = 1.7 basis."""
    kiln = {
        "id": "k",
        "kind": "brick_kiln",
        "name": "砖厂",
        "measurements": [{"process": "焙烧", "date": "2023-09-01", "NOx": "150 mg/m³", "O2": "16 %"}],
    }
    f = one(run(engine, KILN_NOX, [kiln]))
    assert f.status is Status.MET
    assert f.value == pytest.approx(90.0)
    assert f.unit == "mg/m³"
    worst = f.details["worst"]
    assert "18" in worst["basis"]
    assert worst["alternative"]["value"] == pytest.approx(370.588, abs=1e-3)
    assert "1.7" in worst["alternative"]["basis"]
    assert worst["doubt"]
    assert f.details["encouraged"] is True
    assert "鼓励" in f.message_zh


def test_kiln_exceeding_at_reference_oxygen(engine: Engine) -> None:
    kiln = {
        "id": "k",
        "kind": "brick_kiln",
        "name": "砖厂",
        "measurements": [
            {"process": "drying_firing", "SO2": "160 mg/m³", "O2": "17 %"},
            {"process": "drying_firing", "SO2": "0.05 g/m³", "O2": "17 %"},
        ],
    }
    f = one(run(engine, "air.rule.brick_kiln.firing_so2", [kiln]))
    assert f.status is Status.NOT_MET
    assert f.value == pytest.approx(120.0)  # the worst of the two: 160 × 3/4
    # Exactly on the limit meets it; µg/m³ converts.
    kiln["measurements"] = [{"process": "drying_firing", "SO2": "133333.3333333333 µg/m³", "O2": "17 %"}]
    assert one(run(engine, "air.rule.brick_kiln.firing_so2", [kiln])).status is Status.MET


def test_kiln_without_oxygen_is_insufficient_unless_reported_at_reference(engine: Engine) -> None:
    kiln = {"id": "k", "kind": "brick_kiln", "measurements": [{"process": "drying_firing", "PM": "9 mg/m³"}]}
    assert one(run(engine, "air.rule.brick_kiln.firing_pm", [kiln])).status is Status.INSUFFICIENT_DATA
    kiln["measurements"][0]["reference_o2"] = "18 %"
    assert one(run(engine, "air.rule.brick_kiln.firing_pm", [kiln])).status is Status.MET
    # Crushing and forming: no O2 basis, compared as measured.
    forming = {"id": "k", "kind": "brick_kiln", "measurements": [{"process": "成型", "PM": "10 mg/m³"}]}
    assert one(run(engine, "air.rule.brick_kiln.forming_pm", [forming])).status is Status.MET
    forming["measurements"][0]["PM"] = "10.1 mg/m³"
    assert one(run(engine, "air.rule.brick_kiln.forming_pm", [forming])).status is Status.NOT_MET


SEASON = "air.rule.brick_kiln.no_coal_zone_season"


def test_seasonal_ban_in_the_coal_ban_zone(engine: Engine) -> None:
    kiln = {
        "id": "k",
        "kind": "brick_kiln",
        "zone": "禁煤区",
        "clean_energy_substituted": False,
        "production": [{"start": "2023-04-01", "end": "2023-09-30"}],
    }
    assert one(run(engine, SEASON, [kiln])).status is Status.MET
    assert one(run(engine, SEASON, [kiln], as_of="2023-09-30")).status is Status.NOT_APPLICABLE
    kiln["production"] = [{"start": "2023-09-20", "end": "2023-10-01"}]
    f = one(run(engine, SEASON, [kiln]))
    assert f.status is Status.NOT_MET
    assert f.value == 1.0
    substituted = {**kiln, "clean_energy_substituted": True}
    assert one(run(engine, SEASON, [substituted])).status is Status.MET  # no kiln of the rule
    outside = {**kiln, "zone": "城南工业园"}
    assert one(run(engine, SEASON, [outside])).status is Status.MET
    unknown = {"id": "k", "kind": "brick_kiln", "zone": "no_coal_zone", "clean_energy_substituted": "否"}
    assert one(run(engine, SEASON, [unknown])).status is Status.INSUFFICIENT_DATA


VOC = "air.rule.voc_staggered"


@pytest.mark.parametrize(
    ("hours", "status"),
    [
        ("6时-10时, 16时-22时", Status.MET),  # touching 10:00 and 16:00 is outside the window
        ("06-10, 16-22", Status.MET),
        ("8时-18时", Status.NOT_MET),
        ("15时30分-16时", Status.NOT_MET),
        ("22时-11时", Status.NOT_MET),  # across midnight into the window
        (["0时-10时", "16时-24时"], Status.MET),
    ],
)
def test_voc_staggering_window(engine: Engine, hours: Any, status: Status) -> None:
    record = {"id": "v", "kind": "voc_process", "industry": "工业涂装", "hours": hours}
    assert one(run(engine, VOC, [record])).status is status


def test_voc_hours_with_colons(engine: Engine) -> None:
    """'08:00-18:00' is judged, or — while the inventory reader takes it for a quantity — named as unreadable."""
    record = {"id": "v", "kind": "voc_process", "industry": "工业涂装", "hours": "08:00-18:00"}
    if isinstance(read_inventory({"records": [record]}).records[0].get("hours"), str):
        assert one(run(engine, VOC, [record])).status is Status.NOT_MET
    else:
        with pytest.raises(DataError, match="hours"):
            run(engine, VOC, [record])


def test_voc_only_listed_industries_and_before_july(engine: Engine) -> None:
    other = {"id": "v", "kind": "voc_process", "industry": "焦化", "hours": "0时-24时"}
    assert one(run(engine, VOC, [other])).status is Status.MET
    record = {"id": "v", "kind": "voc_process", "industry": "化工", "staggered": False}
    assert one(run(engine, VOC, [record])).status is Status.NOT_MET
    assert one(run(engine, VOC, [record], as_of="2023-06-30")).status is Status.NOT_APPLICABLE


NRM = "air.rule.non_road_machinery"


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        (
            {"emission_standard": "国三", "registered": True, "black_smoke": False},
            Status.MET,
        ),  # 国三 is allowed
        ({"emission_standard": 3, "registered": True}, Status.MET),
        ({"emission_standard": "国二", "registered": True}, Status.NOT_MET),
        ({"emission_standard": "China IV", "registered": False}, Status.NOT_MET),
        ({"emission_standard": "国四", "registered": True, "black_smoke": True}, Status.NOT_MET),
        ({"registered": True}, Status.INSUFFICIENT_DATA),
    ],
)
def test_non_road_machinery_in_the_control_zone(
    engine: Engine, fields: dict[str, Any], status: Status
) -> None:
    record = {"id": "m", "kind": "non_road_machinery", "zone": "非道路移动机械排放控制区", **fields}
    assert one(run(engine, NRM, [record])).status is status
    outside = {**record, "zone": "控制区外"}
    assert one(run(engine, NRM, [outside])).status is Status.MET


def test_diesel_trucks_china_four_and_below_listed(engine: Engine) -> None:
    trucks = [
        {"id": "t4", "kind": "diesel_truck", "emission_standard": "国四"},
        {"id": "t5", "kind": "diesel_truck", "emission_standard": "国Ⅴ"},
        {"id": "t3", "kind": "diesel_truck", "emission_standard": "国三", "status": "已报废"},
    ]
    found = run(engine, "air.rule.diesel_truck_china4", trucks)
    assert [(f.subject, f.status) for f in found] == [("t4", Status.NOT_APPLICABLE)]
    assert "未设淘汰期限" in found[0].message_zh


def test_ultra_low_emission_status(engine: Engine) -> None:
    rule = "air.rule.ule.weidun_cement"
    ent = {"id": "e", "kind": "enterprise", "name": "威顿水泥"}
    assert one(run(engine, rule, [{**ent, "ultra_low_emission": "2023-12-20"}])).status is Status.MET
    assert one(run(engine, rule, [{**ent, "ultra_low_emission": False}])).status is Status.NOT_APPLICABLE
    assert (
        one(run(engine, rule, [{**ent, "ultra_low_emission": False}], as_of="2024-01-01")).status
        is Status.NOT_MET
    )
    assert (
        one(run(engine, rule, [{**ent, "ultra_low_emission": "2024-02-01"}], as_of="2024-03-01")).status
        is Status.NOT_MET
    )
    assert one(run(engine, rule, [ent])).status is Status.INSUFFICIENT_DATA
    coking = [{"id": "c", "kind": "enterprise", "industry": "焦化", "ultra_low_emission": True}]
    assert one(run(engine, "air.rule.ule.coking", coking)).status is Status.MET


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("国三", 3),
        ("国3", 3),
        ("国III", 3),
        ("国Ⅲ", 3),
        ("China III", 3),
        ("China VI", 6),
        (5, 5),
        ("IV", 4),
        ("unknown", None),
    ],
)
def test_parse_stage(text: Any, stage: int | None) -> None:
    assert parse_stage(text) == stage


def test_operating_state() -> None:
    import datetime as dt

    from envplan_core.data.inventory import Record

    day = dt.date(2023, 12, 31)
    assert operating_state(Record("a", "boiler", {}), day).operating
    assert not operating_state(Record("a", "boiler", {"status": "已拆除"}), day).operating
    assert not operating_state(Record("a", "boiler", {"closed": True}), day).operating
    assert operating_state(Record("a", "boiler", {"closed_on": dt.date(2024, 1, 1)}), day).operating

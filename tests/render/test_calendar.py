"""``envplan calendar``: every task deadline and recurring duty as iCalendar events, parsed back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from envplan_core.cli import main

icalendar = pytest.importorskip("icalendar")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVPLAN_DISABLE_PLUGIN_AUTOLOAD", "1")


def calendar(capsys: pytest.CaptureFixture[str], tmp_path: Path, *options: str) -> tuple[list[Any], str]:
    target = tmp_path / "deadlines.ics"
    capsys.readouterr()
    code = main(["--plugins", "envplan_water,envplan_air", "calendar", *options, "-o", str(target)])
    _, err = capsys.readouterr()
    assert code == 0, err
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    return list(cal.walk("VEVENT")), err


def by_uid(events: list[Any]) -> dict[str, Any]:
    return {str(e["UID"]): e for e in events}


def test_every_dated_deadline_is_an_all_day_event(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import envplan_core

    events, err = calendar(capsys, tmp_path)
    assert "wrote" in err and "events" in err
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    engine = envplan_core.load(plugins=["envplan_water", "envplan_air"])
    events_by_uid = by_uid(events)
    for plan in engine.plans:
        for task in plan.tasks:
            for i, d in enumerate(task.deadlines, start=1):
                if d.kind.value != "date":
                    continue
                event = events_by_uid[f"{task.id}#{i}@envplan"]
                assert event.decoded("DTSTART") == d.due  # a date: an all-day event
                assert event.decoded("DTEND") == d.due + dt.timedelta(days=1)
                text = str(event["DESCRIPTION"])
                assert task.title_zh in text and "出处 Citation" in text and task.citation.plan in text
                assert "牵头 Lead" in text
                assert task.title_zh in str(event["SUMMARY"])
                assert event.walk("VALARM")  # a reminder before it is due


def test_windows_recurring_duties_and_the_season(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from dateutil.rrule import rrulestr

    events = by_uid(calendar(capsys, tmp_path)[0])
    # 2023年7-9月每日10-16时: a daily timed event in Asia/Shanghai until the end of September.
    ozone = events["air.task.23#1@envplan"]
    start = ozone.decoded("DTSTART")
    assert isinstance(start, dt.datetime) and str(start.tzinfo) == "Asia/Shanghai"
    assert (start.date(), start.hour, ozone.decoded("DTEND").hour) == (dt.date(2023, 7, 1), 10, 16)
    days = list(rrulestr(ozone["RRULE"].to_ical().decode(), dtstart=start))
    assert len(days) == 92 and days[-1].date() == dt.date(2023, 9, 30)
    # 按月组织入河排污口水质监测: monthly, at each month's end, until the end of the plan year.
    monthly = events["water.task.14#1-monthly@envplan"]
    assert monthly["RRULE"]["FREQ"] == ["MONTHLY"]
    first = monthly.decoded("DTSTART")
    assert isinstance(first, dt.date) and not isinstance(first, dt.datetime)
    assert monthly["RRULE"]["UNTIL"] == [dt.date(2023, 12, 31)]  # a date, as DTSTART (RFC 5545)
    ends = list(rrulestr(monthly["RRULE"].to_ical().decode(), dtstart=dt.datetime.combine(first, dt.time())))
    assert all((d + dt.timedelta(days=1)).day == 1 for d in ends) and ends[-1].date() == dt.date(2023, 12, 31)
    # 日预警、周研判、月通报: weekly and monthly.
    assert {"water.task.13#1-weekly@envplan", "water.task.13#1-monthly@envplan"} <= set(events)
    # The 秋冬季 season of the brick-kiln rule: 2023-10-01 … 2024-03-31, one all-day span.
    season = events["air.rule.brick_kiln.no_coal_zone_season#season@envplan"]
    assert season.decoded("DTSTART") == dt.date(2023, 10, 1)
    assert season.decoded("DTEND") == dt.date(2024, 4, 1)
    assert "秋冬季" in str(season["SUMMARY"]) and "air.task.6" in str(season["DESCRIPTION"])


def test_unit_and_plan_filters(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    events, _ = calendar(capsys, tmp_path, "--unit", "县住建局")
    assert events
    assert all("县住建局" in str(e.get("X-ENVPLAN-UNITS", "")) for e in events)
    town, _ = calendar(capsys, tmp_path, "--unit", "龙兴镇")
    assert any("沿河各镇" in str(e.get("X-ENVPLAN-UNITS", "")) or "各镇" in str(e.get("X-ENVPLAN-UNITS", ""))
               for e in town)
    water, _ = calendar(capsys, tmp_path, "--plan", "water")
    assert water and all("water-2023" in e["CATEGORIES"].to_ical().decode() for e in water)
    capsys.readouterr()
    assert main(["--plugins", "envplan_water", "calendar", "--unit", "火星局"]) == 2
    assert "火星局" in capsys.readouterr().err


def test_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["--plugins", "envplan_water", "calendar", "--plan", "water"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("BEGIN:VCALENDAR") and "END:VCALENDAR" in out
    assert icalendar.Calendar.from_ical(out).walk("VEVENT")

"""Task deadlines and recurring duties as an iCalendar file (RFC 5545), written with ``icalendar``.

What becomes an event (all in the county's time, Asia/Shanghai):

* every dated deadline of a task (``date``): an all-day event on the due day, with a reminder a week
  before (``VALARM``); a row of the plan's 措施任务表 adds its own event when it is due on another day;
* a window (``2023年7-9月每日10-16时``): with daily hours, a timed event repeating every day of the window
  (``RRULE:FREQ=DAILY;UNTIL=…``); without, one all-day event spanning the window;
* a standing duty whose words give a cadence — 按月/每月/月通报 (monthly, at the end of each month),
  每季度 (quarterly, at the end of each quarter), 每周/周研判 (weekly, on Fridays) — repeating from the
  plan's issue until the end of the plan year;
* the 秋冬季 (autumn–winter) season, for every task or rule that names it: one all-day event spanning
  the season (a rule's ``season_start``/``season_end`` when it has them, else 10-01 … 03-31 of the next
  year — the first season starting after the plan was issued).

A standing duty without a cadence (长期坚持, 常态化) has no day to put on a calendar and is left out;
:func:`deadline_calendar` counts those. Each event carries the task's title (Chinese and English), its
lead and support units, its deadline words and its citation; its ``UID`` is stable across runs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import attrs

from envplan_core.model import Citation, Deadline, DeadlineKind, Plan, Rule, Task

if TYPE_CHECKING:
    from envplan_core.catalog import Catalog

__all__ = ["TIMEZONE", "CalendarEvent", "calendar_events", "deadline_calendar", "events_to_ics"]

TIMEZONE = "Asia/Shanghai"
_TZ = ZoneInfo(TIMEZONE)
_REMIND_DAYS = 7

#: (cadence, pattern over a deadline's words, RRULE) — the first that matches wins per pattern; a duty
#: may have several cadences (日预警、周研判、月通报: weekly and monthly events).
_CADENCES: tuple[tuple[str, re.Pattern[str], dict[str, Any]], ...] = (
    ("quarterly", re.compile(r"每季度|按季度|每季|季度"), {"FREQ": "MONTHLY", "INTERVAL": 3, "BYMONTHDAY": -1}),
    ("monthly", re.compile(r"按月|每月|每个月|逐月|月通报|月调度|月报"), {"FREQ": "MONTHLY", "BYMONTHDAY": -1}),
    ("weekly", re.compile(r"每周|按周|周研判|周报"), {"FREQ": "WEEKLY", "BYDAY": "FR"}),
)
_CADENCE_ZH = {"quarterly": "每季度 quarterly", "monthly": "每月 monthly", "weekly": "每周 weekly"}
_SEASON = "秋冬季"


@attrs.frozen
class CalendarEvent:
    """One VEVENT: all-day when ``start`` is a date, timed (Asia/Shanghai) when a datetime."""

    uid: str
    summary: str
    description: str
    start: dt.date
    end: dt.date
    kind: str  # "deadline", "window", "recurring", "season"
    plan: str
    task: str
    units: tuple[str, ...] = ()
    rrule: dict[str, Any] | None = attrs.field(default=None, eq=False)
    remind: bool = False


def _names(catalog: Catalog, names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(catalog.units.canonical_zh(n) for n in names))


def _citation_text(citation: Citation) -> str:
    label = citation.label()
    return f"{label}\n原文 Text: {citation.text}" if citation.text else label


def _describe(
    *, task: Task | None, title_zh: str, title_en: str, lead: Sequence[str], support: Sequence[str],
    when: str, citation: Citation, extra: str = "",
) -> str:
    lines = []
    if task is not None:
        lines.append(f"任务 Task: {task.id}（第{task.number}条）")
    lines += [f"{title_zh}", f"{title_en}".strip(), f"时限 Deadline: {when}"]
    if lead:
        lines.append(f"牵头 Lead: {'、'.join(lead)}")
    if support:
        lines.append(f"配合 Support: {'、'.join(support)}")
    if extra:
        lines.append(extra)
    lines.append(f"出处 Citation: {_citation_text(citation)}")
    return "\n".join(line for line in lines if line)


def _month_end(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1) - dt.timedelta(days=1)


def _first_occurrence(cadence: str, issued: dt.date) -> dt.date:
    if cadence == "weekly":
        return issued + dt.timedelta(days=(4 - issued.weekday()) % 7)  # the first Friday
    end = _month_end(issued)
    if cadence == "quarterly":
        while end.month % 3:
            end = _month_end(end + dt.timedelta(days=1))
    return end


def _when(deadline: Deadline) -> str:
    text = deadline.text or (deadline.due.isoformat() if deadline.due else "长期坚持")
    return f"{text}（{deadline.label}）" if deadline.label else text


def _task_events(catalog: Catalog, plan: Plan, task: Task) -> tuple[list[CalendarEvent], int]:
    lead = _names(catalog, task.lead)
    support = [s for s in _names(catalog, task.support) if s not in lead]
    units = tuple(dict.fromkeys([*lead, *support]))
    base = f"第{task.number}条 {task.title_zh}"
    events: list[CalendarEvent] = []
    without_cadence = 0
    dates: set[dt.date] = set()

    def describe(when: str, extra: str = "") -> str:
        return _describe(task=task, title_zh=task.title_zh, title_en=task.title_en, lead=lead, support=support,
                         when=when, citation=task.citation, extra=extra)

    for index, d in enumerate(task.deadlines, start=1):
        uid = f"{task.id}#{index}@envplan"
        label = f"：{d.label}" if d.label else ""
        if d.kind is DeadlineKind.DATE and d.due is not None:
            dates.add(d.due)
            events.append(CalendarEvent(
                uid=uid, summary=f"【期限 Due】{base}{label}", description=describe(_when(d)),
                start=d.due, end=d.due + dt.timedelta(days=1), kind="deadline", plan=plan.id, task=task.id,
                units=units, remind=True,
            ))
        elif d.kind is DeadlineKind.WINDOW and d.start is not None and d.due is not None:
            if d.daily_start is not None and d.daily_end is not None:
                start = dt.datetime.combine(d.start, d.daily_start, tzinfo=_TZ)
                end = dt.datetime.combine(d.start, d.daily_end, tzinfo=_TZ)
                until = dt.datetime.combine(d.due, d.daily_end, tzinfo=_TZ).astimezone(dt.timezone.utc)
                events.append(CalendarEvent(
                    uid=uid, summary=f"【每日时段 Daily window】{base}{label}", description=describe(_when(d)),
                    start=start, end=end, kind="window", plan=plan.id, task=task.id, units=units,
                    rrule={"FREQ": "DAILY", "UNTIL": until},
                ))
            else:
                events.append(CalendarEvent(
                    uid=uid, summary=f"【时段 Window】{base}{label}", description=describe(_when(d)),
                    start=d.start, end=d.due + dt.timedelta(days=1), kind="window", plan=plan.id, task=task.id,
                    units=units,
                ))
        else:
            words = f"{d.text} {d.label}"
            found = False
            for cadence, pattern, rule in _CADENCES:
                if not pattern.search(words):
                    continue
                found = True
                first = _first_occurrence(cadence, plan.issued)
                events.append(CalendarEvent(
                    uid=f"{task.id}#{index}-{cadence}@envplan",
                    summary=f"【{_CADENCE_ZH[cadence]}】{base}{label}",
                    description=describe(_when(d), f"周期 Cadence: {_CADENCE_ZH[cadence]}（{plan.issued} 起 from，"
                                                   f"至 until {plan.period_end}）"),
                    start=first, end=first + dt.timedelta(days=1), kind="recurring", plan=plan.id, task=task.id,
                    units=units, rrule={**rule, "UNTIL": plan.period_end},  # a date, as DTSTART (RFC 5545)
                ))
            without_cadence += not found
    for row in task.attachments:
        row_lead = _names(catalog, row.lead) or lead
        for index, d in enumerate(row.deadlines, start=1):
            if d.due is None or d.kind is not DeadlineKind.DATE or d.due in dates:
                continue
            events.append(CalendarEvent(
                uid=f"{task.id}.att{row.number}#{index}@envplan",
                summary=f"【期限 Due】措施任务表第{row.number}项 {row.title}",
                description=_describe(task=task, title_zh=f"{row.area}：{row.title}", title_en=row.measure,
                                      lead=row_lead, support=(), when=_when(d), citation=task.citation),
                start=d.due, end=d.due + dt.timedelta(days=1), kind="deadline", plan=plan.id, task=task.id,
                units=tuple(row_lead), remind=True,
            ))
    return events, without_cadence


def _season(plan: Plan, item: Task | Rule) -> tuple[dt.date, dt.date]:
    start_md, end_md = "10-01", "03-31"
    params = getattr(item, "params", None) or {}
    start_md = str(params.get("season_start", start_md))
    end_md = str(params.get("season_end", end_md))
    start = dt.date(plan.issued.year, int(start_md[:2]), int(start_md[3:5]))
    if start < plan.issued:
        start = start.replace(year=start.year + 1)
    end = dt.date(start.year + 1, int(end_md[:2]), int(end_md[3:5]))
    return start, end


def _season_event(catalog: Catalog, plan: Plan, item: Task | Rule, task: Task | None) -> CalendarEvent:
    owner = item if item.responsibilities or task is None else task
    lead = _names(catalog, (u for r in owner.responsibilities for u in r.lead))
    support = [s for s in _names(catalog, (u for r in owner.responsibilities for u in r.support)) if s not in lead]
    start, end = _season(plan, item)
    number = f"第{item.number}条 " if isinstance(item, Task) else ""
    return CalendarEvent(
        uid=f"{item.id}#season@envplan",
        summary=f"【秋冬季 Autumn–winter season】{number}{item.title_zh}",
        description=_describe(task=task, title_zh=item.title_zh, title_en=item.title_en, lead=lead, support=support,
                              when=f"秋冬季 {start.isoformat()} 至 {end.isoformat()}", citation=item.citation,
                              extra=f"规则 Rule: {item.id}" if isinstance(item, Rule) else ""),
        start=start, end=end + dt.timedelta(days=1), kind="season", plan=plan.id, task=task.id if task else "",
        units=tuple(dict.fromkeys([*lead, *support])),
    )


def _mentions_season(item: Task | Rule) -> bool:
    return _SEASON in item.title_zh or _SEASON in item.citation.part


def calendar_events(
    catalog: Catalog, plans: Sequence[Plan], *, unit: str | None = None
) -> tuple[list[CalendarEvent], int]:
    """The events of ``plans`` (only those of ``unit`` — lead, support, a group it belongs to, or an
    attachment row it leads — when given) and the number of standing duties left out (no cadence)."""
    events: list[CalendarEvent] = []
    left_out = 0
    for plan in plans:
        tasks = {t.id: t for t in plan.tasks}
        for task in plan.tasks:
            found, skipped = _task_events(catalog, plan, task)
            if _mentions_season(task):
                found.append(_season_event(catalog, plan, task, task))
            if unit is not None:
                found = [e for e in found if catalog.units.matches(unit, e.units)]
                skipped = skipped if catalog.units.matches(unit, [*task.lead, *task.support]) else 0
            events.extend(found)
            left_out += skipped
        for rule in plan.rules:
            if _mentions_season(rule):
                event = _season_event(catalog, plan, rule, tasks.get(rule.task))
                if unit is None or catalog.units.matches(unit, event.units):
                    events.append(event)
    events.sort(key=lambda e: (_day(e.start), e.plan, e.uid))
    return events, left_out


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def events_to_ics(
    events: Sequence[CalendarEvent], *, name: str, stamp: dt.datetime | None = None, remind_days: int = _REMIND_DAYS
) -> bytes:
    """The events as an iCalendar document (bytes, CRLF lines)."""
    from icalendar import Alarm, Calendar, Event, vRecur

    stamp = stamp or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//envplan//deadline calendar//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TIMEZONE)
    for e in events:
        ev = Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", stamp)
        ev.add("summary", e.summary)
        ev.add("description", e.description)
        ev.add("dtstart", e.start)
        ev.add("dtend", e.end)
        ev.add("categories", [e.plan, e.kind])
        ev.add("transp", "TRANSPARENT")
        if e.task:
            ev.add("x-envplan-task", e.task)
        if e.units:
            ev.add("x-envplan-units", "、".join(e.units))
        if e.rrule:
            ev.add("rrule", vRecur(e.rrule))
        if e.remind and remind_days > 0:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{remind_days}天后到期 due in {remind_days} days: {e.summary}")
            alarm.add("trigger", dt.timedelta(days=-remind_days))
            ev.add_component(alarm)
        cal.add_component(ev)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def deadline_calendar(
    catalog: Catalog,
    plans: Sequence[Plan],
    *,
    unit: str | None = None,
    name: str = "新绛县环境行动计划任务期限 envplan deadlines",
    stamp: dt.datetime | None = None,
) -> tuple[bytes, list[CalendarEvent], int]:
    """The calendar of ``plans`` as bytes, its events, and the standing duties without a cadence left out.
    The bytes are parsed back before they are returned, so a file that does not parse is never written."""
    from icalendar import Calendar

    events, left_out = calendar_events(catalog, plans, unit=unit)
    data = events_to_ics(events, name=name, stamp=stamp)
    parsed = Calendar.from_ical(data)
    count = len(parsed.walk("VEVENT"))
    if count != len(events):  # pragma: no cover - icalendar round-trips what it wrote
        raise ValueError(f"the calendar parsed back with {count} events, expected {len(events)}")
    return data, events, left_out

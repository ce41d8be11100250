"""``envplan calendar``: task deadlines and recurring duties as an iCalendar file (``.ics``).

Each dated deadline is an all-day event with a reminder a week before; windows with daily hours repeat
daily; standing duties with a cadence (按月, 每季度, 周研判 …) repeat monthly, quarterly or weekly until
the end of the plan year; the 秋冬季 season is one event spanning it (:mod:`envplan_core.render.ical`).
The file is parsed back before it is written.
"""

from __future__ import annotations

import argparse

from envplan_core.commands.base import (
    PROG,
    Command,
    CommandContext,
    Handler,
    UsageError,
    add_plan_option,
    input_file,
)

__all__ = ["CALENDAR_COMMAND"]


def _setup_calendar(parser: argparse.ArgumentParser) -> Handler:
    """task deadlines and recurring duties as an iCalendar (.ics) file"""
    add_plan_option(parser)
    parser.add_argument(
        "--unit",
        "-u",
        metavar="U",
        help="only the deadlines of this responsible unit (name or alias; lead, support, a group it belongs "
        "to, or a 措施任务表 row it leads)",
    )
    parser.add_argument(
        "--output", "-o", metavar="PATH", default=None, help="write the calendar to PATH (e.g. deadlines.ics)"
    )
    parser.add_argument(
        "--units-file", metavar="F", type=input_file, help="county units file overriding group membership"
    )

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        from envplan_core.render.ical import deadline_calendar

        catalog = ctx.engine().catalog
        name = "新绛县环境行动计划任务期限 envplan deadlines"
        if args.unit:
            unit = catalog.units.resolve(args.unit)
            if unit is None:
                raise UsageError(
                    f"--unit: unknown responsible unit {args.unit!r}", prog=f"{PROG} calendar", hint="'envplan units'"
                )
            name += f" — {unit.name_zh}"
        plans = catalog.select(args.plan)
        data, events, left_out = deadline_calendar(catalog, plans, unit=args.unit or None, name=name)
        if args.output:
            with ctx.output_file(args.output) as tmp:  # atomically, never over an input
                tmp.write_bytes(data)
            ctx.note(f"{len(events)} events")
        else:
            ctx.stdout.write(data.decode("utf-8"))
        if left_out:
            ctx.note(
                f"{left_out} standing duties without a cadence (长期坚持, 常态化 …) have no date and are not "
                "on the calendar (see 'envplan tasks')"
            )
        return 0

    return run


CALENDAR_COMMAND = Command("calendar", _setup_calendar)

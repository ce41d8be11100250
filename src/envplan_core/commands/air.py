"""``envplan aqi`` and ``envplan air-stats``: HJ 633 AQI and HJ 663 statistics of an observation file.

Both commands read an observation file (long format, ``docs/inputs.md``: CSV, XLSX, Parquet or a folder
of Parquet files) batch by batch straight into the dense hourly grid :mod:`~envplan_core.standards.hj663`
works on (:func:`~envplan_core.analysis.air_grid.read_air_grid`: every row checked as
:func:`~envplan_core.data.observations.read_observations` checks it, ``parameters=default_parameters()``,
values in the canonical units, µg/m³ and CO mg/m³; memory is the grid plus one batch). The grid holds
what :func:`air_columns` gives — the columns the air plan's evaluators use — so a command and an
evaluation of the same file give the same numbers.

Which rows :func:`air_columns` uses, spreads or counts is described in
:mod:`envplan_core.analysis.air`; nothing is dropped silently, and both commands print the counts
on stderr.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from envplan_core.commands.base import Command, CommandContext, Handler, add_format_option, input_source
from envplan_core.errors import DataError
from envplan_core.render import Document, Section, display_width, fmt_number

# The analysis, numpy and the readers are imported by the handlers: `envplan --help` and `envplan plans`
# list these commands without loading them.
if TYPE_CHECKING:
    from envplan_core.analysis.air import AirColumns
    from envplan_core.analysis.air_grid import AirGrid
    from envplan_core.data.observation_set import ObservationSet

__all__ = [
    "AIR_COMMANDS",
    "read_air_file",
]


# --------------------------------------------------------------------------- reading
def read_air_file(path: str) -> tuple[AirColumns, ObservationSet]:
    """Read an observation file with the core's parameters and return its air columns."""
    from envplan_core.analysis.air import air_columns
    from envplan_core.data.observations import read_observations
    from envplan_core.standards import default_parameters

    obs = read_observations(path, parameters=default_parameters())
    return air_columns(obs), obs


def _read_noted(path: str, ctx: CommandContext) -> AirGrid:
    """Read ``path`` batch by batch straight into the HJ 633/663 hourly grid (:func:`read_air_grid`:
    bounded memory, a progress bar on a terminal), note its row counts on stderr; an error without
    usable rows."""
    from envplan_core.commands.air_io import read_grid

    grid = read_grid(path, ctx)
    for line in grid.notes():
        ctx.note(line)
    if not grid.codes.size:
        raise _no_rows(path, grid)
    return grid


def _no_rows(path: str, cols: AirColumns | AirGrid) -> DataError:
    from envplan_core.analysis.air import AIR_POLLUTANTS

    extra = f" (it has {', '.join(sorted(cols.other))})" if cols.other else ""
    return DataError(
        f"no hourly or daily values of {', '.join(AIR_POLLUTANTS)} in the file{extra}", file=path
    )


# --------------------------------------------------------------------------- commands
_METHOD_NOTE = {
    "published": "hourly AQI: published method — the six 1-h means, 1-h PM on the 24-h breakpoints, no O3 8-h "
    "(national real-time releases; HJ 633-2026 §4.2.4); --hourly-method strict for HJ 633-2012 §5.1.3",
    "strict": "hourly AQI: strict method — HJ 633-2012 §5.1.3 as written (PM 24-h and O3 8-h running means) "
    "before 2026-03-01, HJ 633-2026 §4.2.4 from that day",
}

_AQI_COLUMNS = (
    "站点 Site",
    "时间 Time",
    "AQI",
    "级别 Level",
    "类别 Category",
    "首要污染物 Primary",
    "IAQI",
)


def _iaqi_text(iaqi: Mapping[str, int]) -> str:
    return " ".join(f"{p} {v}" for p, v in iaqi.items())


def _category(record: Mapping[str, Any]) -> str:
    if record["category_zh"] is None:
        return "NA"
    return f"{record['category_zh']}\n{record['category_en']}"


def _aqi_document(records: Sequence[Mapping[str, Any]], path: str, notes: Sequence[str]) -> Document:
    sections = []
    n_hourly = sum(r["kind"] == "hourly" for r in records)
    for kind, title in (("daily", "日报 Daily AQI"), ("hourly", "实时报 Hourly (real-time) AQI")):
        rows = [
            (
                r["site"],
                r["time"],
                r["aqi"],
                r["level"],
                _category(r),
                r["primary_pollutant"] or "—",
                _iaqi_text(r["iaqi"]),
            )
            for r in records
            if r["kind"] == kind
        ]
        if rows:
            site_width = max(display_width(str(r[0])) for r in rows)
            time_width = 16 if kind == "hourly" else 10
            category_width = max(display_width(str(r[4])) for r in rows)  # the longer of the two lines
            sections.append(
                Section(
                    title=title,
                    columns=_AQI_COLUMNS,
                    rows=rows,
                    flex=6,
                    min_widths=(site_width, time_width, 3, 5, category_width, 8),
                )
            )
    hint = (
        [f"{n_hourly} hourly records: --kind daily shows the daily report only, --format json is faster"]
        if n_hourly > 2000
        else []
    )
    return Document(
        title=f"环境空气质量指数 AQI (HJ 633) — {path}",
        preface=(
            "HJ 633-2012 before 2026-03-01, HJ 633-2026 from that day; IAQI rounded up, from the unrounded "
            "concentrations (docs/standards/aqi.md); daily values valid per HJ 663 / GB 3095 Table 4; an "
            "incomplete record names what is missing (JSON incomplete_reasons).",
            *notes,
            *hint,
        ),
        sections=sections,
    )


def _setup_aqi(parser: argparse.ArgumentParser) -> Handler:
    """hourly/daily AQI per HJ 633"""
    from envplan_core.analysis.air import aqi_records
    from envplan_core.commands.air_io import FILE_HELP, RECORD_FORMATS, aqi_stream
    from envplan_core.standards.hj633 import DEFAULT_HOURLY_METHOD, HOURLY_METHODS

    parser.add_argument("file", type=input_source, help=FILE_HELP)
    parser.add_argument(
        "--kind",
        choices=("both", "hourly", "daily"),
        default="both",
        help="hourly (real-time) records, daily records, or both (default)",
    )
    parser.add_argument(
        "--hourly-method",
        choices=HOURLY_METHODS,
        default=DEFAULT_HOURLY_METHOD,
        help="real-time AQI: 'published' (default; the six 1-h means, 1-h PM on the 24-h breakpoints, no O3 "
        "8-h: the national releases, HJ 633-2026 §4.2.4) or 'strict' (HJ 633-2012 §5.1.3 as written: PM 24-h "
        "and O3 8-h running means); docs/standards/aqi.md",
    )
    add_format_option(parser, formats=RECORD_FORMATS)

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        grid = _read_noted(args.file, ctx)
        notes = grid.notes()
        if args.kind != "daily":
            notes = [*notes, _METHOD_NOTE[args.hourly_method]]
        if args.format in ("json", "parquet"):  # written site by site as they are computed
            stream = aqi_stream(
                grid, kind=args.kind, hourly_method=args.hourly_method, fmt=args.format, progress=ctx.stderr
            )
            ctx.emit(_aqi_document([], ctx.shown(args.file), notes), stream)
            return 0
        records = aqi_records(grid.to_columns(), kind=args.kind, hourly_method=args.hourly_method)
        ctx.emit(_aqi_document(records, ctx.shown(args.file), notes), records)
        return 0

    return run


_STATS_COLUMNS = (
    "站点 Site",
    "时段 Period",
    "有效天数 Valid days",
    "SO2",
    "NO2",
    "PM10",
    "PM2.5",
    "CO-95per",
    "O3-8h-90per",
    "综合指数 Index",
    "首要污染物 Primary",
    "有效 Valid",
)


def _num(value: float | None) -> str:
    return "—" if value is None else fmt_number(float(value))


def _stats_document(
    records: Sequence[Mapping[str, Any]], path: str, period: str, notes: Sequence[str]
) -> Document:
    rows = [
        (
            r["site"],
            r["period"],
            r["valid_days"],
            *(_num(r[k]) for k in ("SO2", "NO2", "PM10", "PM2.5", "CO_p95", "O3_8h_p90")),
            _num(r["composite_index"]),
            r["primary_pollutant"] or "—",
            "是 yes" if r["valid"] else "否 no",
        )
        for r in records
    ]
    record_notes = sorted({n for r in records for n in r.get("notes", ())})
    return Document(
        title=f"环境空气质量统计 HJ 663 statistics ({'年' if period == 'year' else '月'} {period}) — {path}",
        preface=(
            "µg/m³ (CO mg/m³); SO2/NO2/PM10/PM2.5 period means, CO 95th percentile of daily means, O3 90th "
            "percentile of daily maximum 8-h means; rounded by GB/T 8170 (integers, CO 0.1); composite index "
            "Σ C/S from the rounded values, 2 decimals (环办监测〔2018〕19号). Validity: ≥ 324 valid days a "
            "year and ≥ 27 a month (25 in February), GB 3095 Table 4.",
            *notes,
            *record_notes,
        ),
        sections=[
            Section(
                title="统计 Statistics",
                columns=_STATS_COLUMNS,
                rows=rows,
                min_widths=(
                    max((len(str(r[0])) for r in rows), default=4) * 2,
                    7 if period == "month" else 4,
                ),
            )
        ],
    )


def _setup_air_stats(parser: argparse.ArgumentParser) -> Handler:
    """HJ 663 statistics and composite index"""
    from envplan_core.analysis.air_grid import grid_stats_records
    from envplan_core.commands.air_io import FILE_HELP, RECORD_FORMATS

    parser.add_argument("file", type=input_source, help=FILE_HELP)
    parser.add_argument(
        "--period", choices=("year", "month"), default="year", help="calendar period (default year)"
    )
    parser.add_argument(
        "--county",
        action="store_true",
        help="also compute the county series: per hour the mean of all stations in the file (HJ 663)",
    )
    add_format_option(parser, formats=RECORD_FORMATS)

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        grid = _read_noted(args.file, ctx)
        records, notes = grid_stats_records(grid, period=args.period, county=args.county)
        for line in notes:
            ctx.note(line)
        ctx.emit(
            _stats_document(records, ctx.shown(args.file), args.period, [*grid.notes(), *notes]), records
        )
        return 0

    return run


AIR_COMMANDS: tuple[Command, ...] = (
    Command("aqi", _setup_aqi, summary="hourly/daily AQI per HJ 633"),
    Command("air-stats", _setup_air_stats, summary="HJ 663 statistics and composite index"),
)

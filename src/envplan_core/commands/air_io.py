"""What ``envplan aqi`` and ``envplan air-stats`` share besides their tables: the input they take and
how it is read (batch by batch into the hourly grid, with a progress bar on a terminal), and the formats
they write (the document formats, and Parquet for the records).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, TextIO

from envplan_core.analysis.air_grid import AirGrid, iter_aqi_records, read_air_grid
from envplan_core.commands.base import CommandContext
from envplan_core.render import FORMATS
from envplan_core.render.progress import Progress
from envplan_core.render.stream import RecordStream
from envplan_core.standards import hj633

__all__ = ["FILE_HELP", "RECORD_FORMATS", "aqi_stream", "read_grid"]

#: The formats of commands whose JSON is a list of records: Parquet writes those records as a table.
RECORD_FORMATS = (*FORMATS, "parquet")

FILE_HELP = (
    "observation file (long format: site,parameter,time,value,unit): CSV, XLSX, Parquet, or a folder of "
    "Parquet files (Hive partitions such as site=…/ or year=…/ allowed)"
)


def read_grid(path: str, ctx: CommandContext) -> AirGrid:
    """:func:`read_air_grid` of ``path`` with the core's parameters, showing progress on a terminal."""
    source = Path(path)
    size = source.stat().st_size if source.is_file() else 0
    csv_like = source.is_file() and source.suffix.lower() not in (".parquet", ".pq", ".xlsx", ".xlsm")
    with Progress(ctx.stderr, f"reading {source.name}", total=size if csv_like and size else None, unit="rows") as bar:
        per_row: list[float] = []

        def advance(rows: int) -> None:
            if not csv_like:
                bar.advance(rows)
                return
            if not per_row:  # bytes per row, from the first batch (the reader's batches are ~2 MB)
                from envplan_core.data._arrow import DEFAULT_BATCH_BYTES

                per_row.append(min(DEFAULT_BATCH_BYTES, size) / max(rows, 1))
            bar.advance(rows * per_row[0])

        return read_air_grid(path, on_batch=advance)


def aqi_stream(
    grid: AirGrid,
    *,
    kind: Literal["hourly", "daily", "both"],
    hourly_method: hj633.HourlyMethod,
    fmt: str,
    progress: TextIO | None = None,
) -> RecordStream:
    """The AQI records of ``grid`` as a stream (site by site) for the JSON and Parquet writers; with
    ``progress`` (stderr), a progress bar over the sites on a terminal."""

    def records() -> Iterator[dict[str, Any]]:
        kinds = 2 if kind == "both" else 1
        if progress is None:
            yield from iter_aqi_records(grid, kind=kind, hourly_method=hourly_method)
            return
        with Progress(progress, "computing AQI", total=kinds * int(grid.codes.size)) as bar:
            yield from iter_aqi_records(grid, kind=kind, hourly_method=hourly_method, on_site=bar.advance)

    return RecordStream(records(), schema=aqi_schema if fmt == "parquet" else None)


def aqi_schema() -> Any:
    """The Parquet columns of ``envplan aqi`` records (docs/cli.md): one per JSON key; ``iaqi``,
    ``substitutions`` and ``concentrations`` as maps (their keys vary by record), the reasons a list of
    structs, absent keys null."""
    import pyarrow as pa

    text, texts = pa.string(), pa.list_(pa.string())
    reason = pa.struct([("indicator", text), ("zh", text), ("en", text)])
    return pa.schema(
        [
            ("site", text),
            ("kind", text),
            ("time", text),
            ("rules", text),
            ("aqi", pa.int32()),
            ("level", pa.int32()),
            ("category_zh", text),
            ("category_en", text),
            ("primary_pollutant", text),
            ("primary_pollutants", texts),
            ("non_attainment", texts),
            ("iaqi", pa.map_(text, pa.int32())),
            ("complete", pa.bool_()),
            ("incomplete_reasons", pa.list_(reason)),
            ("iaqi_lower_bounds", texts),
            ("substitutions", pa.map_(text, text)),
            ("hourly_method", text),
            ("concentrations", pa.map_(text, pa.float64())),
            ("o3_from_daily_value", pa.bool_()),
        ]
    )

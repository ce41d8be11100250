"""Which reader reads a source: the Arrow reader (:mod:`envplan_core.data._arrow`) where it can, the
pandas and openpyxl readers (:mod:`envplan_core.data._tabular`) elsewhere, one :class:`Table` at a time.

* a pandas DataFrame, an XLSX workbook, a CSV that is not UTF-8 from its start: pandas/openpyxl;
* a pyarrow Table or RecordBatch, a polars DataFrame, a Parquet file or a folder of them: Arrow;
* a UTF-8 CSV: Arrow in batches; when Arrow gives up on it (a row with too many fields, bytes that are
  not UTF-8, a quoted line break …), pandas reads it instead, so the messages are those the reliability
  tests hold. If Arrow gave up after some batches were handed out, :class:`RereadWithPandas` tells the
  caller to drop what it gathered and start again with that source on pandas.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from envplan_core._sources import source_label
from envplan_core.data import _arrow
from envplan_core.data._tabular import (
    ColumnSpec,
    Source,
    Table,
    is_arrow_like,
    is_pandas_frame,
    iter_one,
    list_sources,
)
from envplan_core.errors import DataError

__all__ = ["ARROW_CSV", "RereadWithPandas", "iter_tables"]

#: Read UTF-8 CSV files with the Arrow reader (settable: False reads every CSV with pandas, as before
#: the Arrow reader existed — the tests compare the two).
ARROW_CSV = True


class RereadWithPandas(Exception):
    """The Arrow reader gave up on source ``source`` after some of its batches were handed out: read
    everything again with that source on pandas."""

    def __init__(self, source: int) -> None:
        super().__init__(source)
        self.source = source


def iter_tables(
    source: Source | Sequence[Source],
    *,
    spec: ColumnSpec,
    name: str | None = None,
    ignore_extra_columns: bool = False,
    pandas_for: Collection[int] = (),
    batch_bytes: int | None = None,
) -> Iterator[Table]:
    """The tables of ``source``, one at a time, each with ``source`` set to its place in the list.

    UTF-8 CSV files come in batches of about ``batch_bytes``; sources whose number is in ``pandas_for``
    are read by pandas.
    """
    for index, (item, item_name) in enumerate(list_sources(source, name)):
        try:
            for table in _one(
                item,
                spec=spec,
                name=item_name,
                ignore_extra_columns=ignore_extra_columns,
                arrow=index not in pandas_for,
                batch_bytes=batch_bytes,
            ):
                yield attrs.evolve(table, source=index) if table.source != index else table
        except RereadWithPandas:
            raise RereadWithPandas(index) from None


def _one(
    source: Any,
    *,
    spec: ColumnSpec,
    name: str | None,
    ignore_extra_columns: bool,
    arrow: bool,
    batch_bytes: int | None,
) -> Iterator[Table]:
    if is_arrow_like(source):
        yield from _arrow.arrow_tables(
            source, spec=spec, name=name or "<DataFrame>", ignore_extra_columns=ignore_extra_columns
        )
        return
    if is_pandas_frame(source) or not isinstance(source, (str, Path)):
        yield from iter_one(source, spec=spec, name=name, ignore_extra_columns=ignore_extra_columns)
        return
    path = Path(source)
    label = name or source_label(source)
    suffix = path.suffix.lower()
    if path.is_dir():
        files = _arrow.parquet_files(path)
        if not files:
            raise DataError(
                "is a directory, not a file (a folder is read only when it holds Parquet files)", file=label
            )
        yield from _arrow.parquet_folder(path, files, spec=spec, name=label, ignore_extra_columns=ignore_extra_columns)
        return
    if suffix in (".parquet", ".pq") and path.is_file():
        yield from _arrow.parquet_file(path, spec=spec, name=label, ignore_extra_columns=ignore_extra_columns)
        return
    if arrow and ARROW_CSV and path.is_file() and suffix not in (".xlsx", ".xlsm", ".xls"):
        plan = _arrow.csv_plan(path, spec=spec, name=label, ignore_extra_columns=ignore_extra_columns)
        if plan is not None:
            handed_out = False
            try:
                for table in _arrow.csv_tables(plan, batch_bytes=batch_bytes):
                    handed_out = True
                    yield table
            except _arrow.ArrowGaveUp:
                if handed_out:
                    raise RereadWithPandas(0) from None
            else:
                plan.check_blank_columns()
                return
    yield from iter_one(source, spec=spec, name=name, ignore_extra_columns=ignore_extra_columns)

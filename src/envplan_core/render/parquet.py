"""``--format parquet``: the records of a command's JSON (``aqi``, ``air-stats``, ``classify``) as a
Parquet table — one row per record, one column per key, nested objects as structs, lists as lists — for
pandas, polars, DuckDB or Spark to read without parsing JSON.

Column types are Arrow's inference over all records; a key whose values have no common type (a number in
one record, text in another) is written as the JSON text of each value, so nothing is dropped. The JSON
``schema_version`` is the file's metadata key ``envplan.schema_version``. Large outputs are written batch by
batch (:class:`ParquetSink`) in bounded memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from envplan_core.findings import SCHEMA_VERSION

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["ParquetSink", "arrow_values", "records_table", "write_parquet"]

_METADATA = {b"envplan.schema_version": str(SCHEMA_VERSION).encode()}


def _column(values: list[Any]) -> pa.Array:
    import pyarrow as pa

    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
        return pa.array([None if v is None else json.dumps(v, ensure_ascii=False) for v in values], type=pa.string())


def records_table(records: Sequence[Mapping[str, Any]]) -> pa.Table:
    """The records as an Arrow table: columns in order of first appearance, missing keys null."""
    import pyarrow as pa

    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(record))
    arrays = [_column([r.get(k) for r in records]) for k in keys]
    table = pa.Table.from_arrays(arrays, names=list(keys)) if keys else pa.table({})
    return table.replace_schema_metadata(_METADATA)


class ParquetSink:
    """Write record batches (or lists of records) to one Parquet file as they come."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._writer: Any = None
        self.rows = 0

    def write(self, part: pa.Table | pa.RecordBatch | Sequence[Mapping[str, Any]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = part if isinstance(part, (pa.Table, pa.RecordBatch)) else records_table(part)
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        if table.num_rows == 0 and self._writer is not None:
            return
        table = table.replace_schema_metadata(_METADATA)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, table.schema, compression="zstd")
        elif table.schema != self._writer.schema:
            table = table.cast(self._writer.schema)
        self._writer.write_table(table)
        self.rows += table.num_rows

    def close(self) -> None:
        if self._writer is None:
            self.write(records_table([]))
        self._writer.close()


#: Records per written batch of a stream (a row group of the file).
BATCH_RECORDS = 1 << 16


def stream_table(records: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    """Records as a table of ``schema`` (objects of map-typed columns as key/value pairs)."""
    import pyarrow as pa

    maps = [f.name for f in schema if pa.types.is_map(f.type)]
    if maps:
        records = [
            {k: (list(v.items()) if k in maps and isinstance(v, Mapping) else v) for k, v in r.items()}
            for r in records
        ]
    return pa.Table.from_pylist(list(records), schema=schema)


def write_parquet(data: Iterable[Any], path: str | Path) -> None:
    """``data``: a list of records, a :class:`~envplan_core.render.stream.RecordStream` (written in
    batches of :data:`BATCH_RECORDS`), or an iterable of Arrow tables/batches."""
    from envplan_core.render.stream import is_stream

    sink = ParquetSink(path)
    try:
        if is_stream(data) and data.blocks is not None:  # type: ignore[attr-defined]
            schema = data.schema() if data.schema is not None else None  # type: ignore[attr-defined]
            _write_blocks(sink, data.blocks, schema)  # type: ignore[attr-defined]
        elif is_stream(data):
            schema = data.schema() if data.schema is not None else None  # type: ignore[attr-defined]
            batch: list[Mapping[str, Any]] = []
            for record in data:
                batch.append(record)
                if len(batch) == BATCH_RECORDS:
                    sink.write(stream_table(batch, schema) if schema is not None else batch)
                    batch = []
            if batch or sink.rows == 0:
                sink.write(stream_table(batch, schema) if schema is not None else batch)
        elif isinstance(data, Sequence) and (not data or isinstance(data[0], Mapping)):
            sink.write(data)
        else:
            for part in data:
                sink.write(part)
    finally:
        sink.close()


def _write_blocks(sink: ParquetSink, blocks: Iterable[Any], schema: pa.Schema | None) -> None:
    """The Arrow tables of :class:`~envplan_core.render.stream.RecordBlock`, written in row groups of at
    least :data:`BATCH_RECORDS` rows (several blocks together). The writing (encoding, compression) runs
    in a worker thread while the next blocks are computed."""
    import pyarrow as pa

    from envplan_core._ahead import ordered_map

    def groups() -> Iterator[pa.Table]:
        parts: list[pa.Table] = []
        rows = 0
        for table in (block.arrow_table() for block in blocks):
            parts.append(table)
            rows += table.num_rows
            if rows >= BATCH_RECORDS:
                yield pa.concat_tables(parts)
                parts, rows = [], 0
        if parts:
            yield pa.concat_tables(parts)

    for _ in ordered_map(sink.write, groups(), ahead=2, name="envplan-parquet"):
        pass
    if sink.rows == 0:
        sink.write(_empty(schema))


def _empty(schema: pa.Schema | None) -> pa.Table:
    return schema.empty_table() if schema is not None else records_table([])


def arrow_values(values: Sequence[Any], kind: pa.DataType) -> pa.Array:
    """Python values as an Arrow array of ``kind`` — strings, int32/int64/float64, booleans, and lists,
    maps and structs of those — None as null, as ``pa.array(values, type=kind)`` gives them (maps from
    dicts) but without importing pandas (see :mod:`envplan_core.render.stream`)."""
    import pyarrow as pa

    from envplan_core.render.stream import arrow_numbers, arrow_strings

    n = len(values)
    valid = np.fromiter((v is not None for v in values), dtype=bool, count=n)
    mask = None if valid.all() else arrow_numbers(~valid, pa.bool_())
    if pa.types.is_string(kind):
        return arrow_strings(values)
    if pa.types.is_boolean(kind) or pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return arrow_numbers([v if v is not None else 0 for v in values], kind, valid=valid)
    if pa.types.is_struct(kind):
        children = [arrow_values([None if v is None else v[f.name] for v in values], f.type) for f in kind]
        return pa.StructArray.from_arrays(children, fields=list(kind), mask=mask)
    if pa.types.is_map(kind) or pa.types.is_list(kind):
        parts = [[] if v is None else list(v.items() if isinstance(v, Mapping) else v) for v in values]
        offsets = np.zeros(n + 1, dtype=np.int32)
        np.cumsum([len(part) for part in parts], out=offsets[1:])
        flat = [item for part in parts for item in part]
        if pa.types.is_map(kind):
            keys = arrow_values([k for k, _ in flat], kind.key_type)
            items = arrow_values([v for _, v in flat], kind.item_type)
            return pa.MapArray.from_arrays(
                arrow_numbers(offsets, pa.int32()), keys, items, type=kind, mask=mask
            )
        children = arrow_values(flat, kind.value_type)
        return pa.ListArray.from_arrays(arrow_numbers(offsets, pa.int32()), children, type=kind, mask=mask)
    raise TypeError(f"no Arrow array of {kind} from Python values here")

"""Writing a long list of records as it is produced: the JSON of ``envplan aqi`` for a national network
is millions of records, so it is written record by record — the same text ``json.dumps(records,
indent=2)`` gives, never held as one string.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

from envplan_core.findings import SCHEMA_VERSION

__all__ = ["RecordStream", "is_stream", "write_json_records"]


class RecordStream:
    """Records produced on demand (an iterable, read once), for the record formats: JSON is written as
    they come and Parquet in batches; ``list(stream)`` gives them all for the other formats.

    ``schema`` (a callable returning a pyarrow schema) fixes the Parquet columns, so that every batch has
    the same types whatever its records hold; its map-typed columns take the records' objects.
    """

    def __init__(self, records: Iterable[Mapping[str, Any]], *, schema: Any = None) -> None:
        self._records = records
        self.schema = schema

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        return iter(self._records)


def is_stream(data: Any) -> bool:
    return isinstance(data, RecordStream)


def write_json_records(out: TextIO, records: Iterable[Mapping[str, Any]], *, schema_version: bool = True) -> int:
    """``records`` as a JSON list, indented like :func:`envplan_core.render.json.dumps` (two spaces,
    Chinese unescaped, final newline), each record with ``schema_version`` first; returns the count."""
    count = 0
    out.write("[")
    for record in records:
        data = {"schema_version": SCHEMA_VERSION, **record} if schema_version else record
        text = json.dumps(data, ensure_ascii=False, indent=2)
        out.write(("\n  " if count == 0 else ",\n  ") + text.replace("\n", "\n  "))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count

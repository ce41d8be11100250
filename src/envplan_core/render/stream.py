"""Writing a long list of records as it is produced: the JSON of ``envplan aqi`` for a national network
is millions of records, so it is written as they come — the same text ``json.dumps(records,
indent=2)`` gives, never held as one string.

Records may come one by one (dicts) or in blocks held as columns (:class:`RecordBlock`): a block gives
the JSON text of its records as one Arrow string array, built by Arrow's string kernels from per-column
texts (the helpers below), and its Parquet rows as an Arrow table — no dict per record. The helpers
produce exactly the text :func:`write_json_records` writes for the same records
(tests/core/test_aqi_columns.py).
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

import numpy as np
import numpy.typing as npt

from envplan_core._ahead import ordered_map
from envplan_core.findings import SCHEMA_VERSION

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "FIELD_INDENT",
    "ITEM_INDENT",
    "OwnTextFile",
    "RecordBlock",
    "RecordStream",
    "arrow_numbers",
    "arrow_strings",
    "field_text",
    "float_texts",
    "grouped_texts",
    "is_stream",
    "join_texts",
    "open_text_output",
    "take_texts",
    "text_scalar",
    "write_json_records",
]

#: Before a key of a record of the list (json.dumps indent 2, the list's records indented once more).
FIELD_INDENT = "\n    "
#: Before an item of a list or object that is the value of a record's key.
ITEM_INDENT = "\n      "


class RecordBlock(Protocol):
    """Records held as columns: :meth:`json_texts` and :meth:`arrow_table` give what the record writers
    would write for :meth:`records`, without building them."""

    def __len__(self) -> int: ...

    def records(self) -> list[dict[str, Any]]:
        """The records as dicts (the formats other than JSON and Parquet)."""
        ...

    def json_texts(self, lead: Sequence[tuple[str, Any]]) -> pa.Array:
        """Per record its JSON text in the list :func:`write_json_records` writes, with the separator
        before it (``",\n  {"`` …), the ``lead`` keys and values first."""
        ...

    def arrow_table(self) -> pa.Table:
        """The records as rows of the stream's Parquet schema."""
        ...


class RecordStream:
    """Records produced on demand (an iterable, read once), for the record formats: JSON is written as
    they come and Parquet in batches; ``list(stream)`` gives them all for the other formats.

    ``schema`` (a callable returning a pyarrow schema) fixes the Parquet columns, so that every batch has
    the same types whatever its records hold; its map-typed columns take the records' objects.
    ``blocks`` instead of records: the records come in :class:`RecordBlock` (JSON and Parquet are written
    from their columns; iterating gives their records).
    """

    def __init__(
        self,
        records: Iterable[Mapping[str, Any]] = (),
        *,
        schema: Any = None,
        blocks: Iterable[RecordBlock] | None = None,
    ) -> None:
        self._records = records
        self.schema = schema
        self.blocks = blocks

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        if self.blocks is not None:
            return (record for block in self.blocks for record in block.records())
        return iter(self._records)


def is_stream(data: Any) -> bool:
    return isinstance(data, RecordStream)


def write_json_records(out: TextIO, records: Iterable[Mapping[str, Any]], *, schema_version: bool = True) -> int:
    """``records`` as a JSON list, indented like :func:`envplan_core.render.json.dumps` (two spaces,
    Chinese unescaped, final newline), each record with ``schema_version`` first; returns the count."""
    if isinstance(records, RecordStream) and records.blocks is not None:
        lead = [("schema_version", SCHEMA_VERSION)] if schema_version else []
        return _write_json_blocks(out, records.blocks, lead)
    count = 0
    out.write("[")
    for record in records:
        data = {"schema_version": SCHEMA_VERSION, **record} if schema_version else record
        text = json.dumps(data, ensure_ascii=False, indent=2)
        out.write(("\n  " if count == 0 else ",\n  ") + text.replace("\n", "\n  "))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _write_json_blocks(out: TextIO, blocks: Iterable[RecordBlock], lead: Sequence[tuple[str, Any]]) -> int:
    """The text :func:`write_json_records` writes for the blocks' records, block by block: each block's
    record texts are one Arrow buffer, written as it is (UTF-8) or decoded for a text-only ``out``. The
    writing (hundreds of MB: kernel time) runs in a worker thread while the next blocks are computed."""
    write = _byte_writer(out)
    write(b"[")
    count = 0

    def texts() -> Iterator[memoryview]:
        nonlocal count
        for block in blocks:
            n = len(block)
            if not n:
                continue
            data = _text_bytes(block.json_texts(lead))
            yield data[1:] if count == 0 else data  # the first record has no comma before it
            count += n

    for _ in ordered_map(write, texts(), name="envplan-write"):
        pass
    write(b"\n]\n" if count else b"]\n")
    return count


class OwnTextFile(io.TextIOWrapper):
    """A UTF-8 text file envplan opened itself (:func:`open_text_output`), with the default newline (``\\n``
    written as ``os.linesep``): where that is ``\\n``, :func:`write_json_records` writes its bytes straight
    to the buffer."""


def open_text_output(path: str | Path) -> OwnTextFile:
    """``path`` opened for writing UTF-8 text, for :func:`write_json_records`: meant for the new empty
    file of ``--output`` (:meth:`~envplan_core.commands.base.CommandContext.output_file`), which is
    therefore not truncated on opening (a file holding bytes is). Opening with ``O_TRUNC`` would make
    ext4 (its ``auto_da_alloc``) start writing the whole file back to disk when it is closed: ~0.2 s for
    the 733 MB of ``envplan aqi -f json`` on 100 stations, in the command's time (docs/performance.md)."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        if os.fstat(fd).st_size:
            os.ftruncate(fd, 0)
        raw = io.FileIO(fd, "w", closefd=True)
    except BaseException:
        os.close(fd)
        raise
    return OwnTextFile(io.BufferedWriter(raw), encoding="utf-8")


def _byte_writer(out: TextIO) -> Callable[[bytes | memoryview], Any]:
    """Write UTF-8 bytes to ``out``: to its binary buffer when ``out`` is a file envplan opened
    (:class:`OwnTextFile`) or the process's own stdout, encodes UTF-8 and translates no line ends
    (flushed first, so that nothing written as text is overtaken); else decoded and written as text, so
    that a caller's stream translates line ends as it was told (``newline="\\r\\n"``)."""
    buffer = getattr(out, "buffer", None)
    encoding = str(getattr(out, "encoding", "") or "").lower().replace("-", "").replace("_", "")
    own = isinstance(out, OwnTextFile) or out is sys.stdout or out is sys.__stdout__
    if own and buffer is not None and encoding == "utf8" and os.linesep == "\n":
        out.flush()
        return buffer.write  # type: ignore[no-any-return]
    return lambda data: out.write(bytes(data).decode("utf-8"))


def _text_bytes(texts: pa.Array) -> memoryview:
    """The UTF-8 bytes of all the strings of ``texts``, one after the other (no copy)."""
    import pyarrow as pa

    if texts.null_count:
        raise ValueError("record texts hold a null")
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    _, offsets, data = texts.buffers()
    width = 8 if pa.types.is_large_string(texts.type) else 4
    bounds = np.frombuffer(
        offsets, dtype=np.int64 if width == 8 else np.int32, count=len(texts) + 1, offset=texts.offset * width
    )
    if data is None:
        return memoryview(b"")
    return memoryview(data)[int(bounds[0]) : int(bounds[-1])]


# --------------------------------------------------------------------------- Arrow arrays, without pandas
# pa.array and pa.scalar (and compute functions given Python values) import pandas (0.3 s, 50 MB) when it
# is installed: the arrays of the record blocks are built from buffers instead.
def arrow_numbers(
    values: npt.ArrayLike, kind: pa.DataType | None = None, *, valid: npt.ArrayLike | None = None
) -> pa.Array:
    """NumPy ``values`` as an Arrow array of ``kind`` (int32, int64 — the default —, float64 or bool),
    null where ``valid`` is False."""
    import pyarrow as pa

    kind = pa.int64() if kind is None else kind
    if pa.types.is_boolean(kind):
        flags = np.asarray(values, dtype=bool).reshape(-1)
        n, data = flags.size, _bitmap(flags)
    else:
        dtype = {pa.int32(): np.int32, pa.int64(): np.int64, pa.float64(): np.float64}[kind]
        array = np.ascontiguousarray(values, dtype=dtype).reshape(-1)
        n, data = array.size, pa.py_buffer(array)
    ok = None if valid is None else np.asarray(valid, dtype=bool).reshape(-1)
    nulls = None if ok is None or ok.all() else _bitmap(ok)
    return pa.Array.from_buffers(kind, n, [nulls, data])


def arrow_strings(texts: Sequence[str | None]) -> pa.Array:
    """Python strings as an Arrow string array (None: null)."""
    import pyarrow as pa

    encoded = [b"" if t is None else t.encode("utf-8") for t in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
    if offsets[-1] >= 2**31:
        raise ValueError("more than 2 GB of text in one array")
    valid = np.fromiter((t is not None for t in texts), dtype=bool, count=len(encoded))
    nulls = None if valid.all() else _bitmap(valid)
    buffers = [nulls, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(b"".join(encoded))]
    return pa.Array.from_buffers(pa.string(), len(encoded), buffers)


def text_scalar(text: str) -> pa.Scalar:
    """An Arrow string scalar (for compute functions)."""
    return arrow_strings([text])[0]


def _bitmap(flags: npt.NDArray[np.bool_]) -> pa.Buffer:
    import pyarrow as pa

    return pa.py_buffer(np.packbits(flags, bitorder="little"))


# --------------------------------------------------------------------------- JSON texts from columns
def field_text(value: Any) -> str:
    """The JSON text of ``value`` as the value of a record's key in :func:`write_json_records`' list."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", FIELD_INDENT)


def take_texts(table: Sequence[str | None], index: npt.ArrayLike) -> pa.Array:
    """``table[index]`` for each index, as an Arrow string array (a null entry of the table gives null)."""

    return arrow_strings(table).take(arrow_numbers(index))


def join_texts(pieces: Sequence[str | pa.Array]) -> pa.Array:
    """Per row the concatenation of the pieces: a str is the same in every row, an array holds a text
    per row (null: nothing). At least one piece is an array."""
    import pyarrow.compute as pc

    merged: list[str | pa.Array] = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        elif not (isinstance(piece, str) and not piece):
            merged.append(piece)
    args = [text_scalar(p) if isinstance(p, str) else p for p in merged]
    return pc.binary_join_element_wise(*args, text_scalar(""), null_handling="replace", null_replacement="")


def grouped_texts(items: pa.Array, counts: npt.ArrayLike) -> pa.Array:
    """Per row the concatenation of its items, ``items`` holding those of row 0, then of row 1 …
    (``counts`` per row; no nulls): no copy, the rows are runs of the items' own text."""
    import pyarrow as pa

    if items.null_count:
        raise ValueError("grouped items hold a null")
    counts = np.asarray(counts, dtype=np.int64)
    bounds = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=bounds[1:])
    if int(bounds[-1]) != len(items):
        raise ValueError(f"{int(bounds[-1])} items counted, {len(items)} given")
    if not pa.types.is_string(items.type):
        items = items.cast(pa.string())
    _, offsets, data = items.buffers()
    starts = np.frombuffer(offsets, dtype=np.int32, count=len(items) + 1, offset=items.offset * 4)
    row_offsets = np.ascontiguousarray(starts[bounds], dtype=np.int32)
    return pa.StringArray.from_buffers(
        counts.size, pa.py_buffer(row_offsets), data if data is not None else pa.py_buffer(b"")
    )


# Arrow formats floats in [1e-4, 1e9) as repr does but for the ".0" of integral values (added here);
# outside, its exponent thresholds differ, and Python's repr is used.
_ARROW_FLOAT_RANGE = (1e-4, 1e9)
# Values that are a whole number of tenths below this take their text from a table (built as needed).
_TENTHS_LIMIT = 1 << 17
_TENTHS: dict[tuple[str, ...], tuple[int, pa.Array]] = {}  # heads -> (size, table)


def _tenths(heads: tuple[str, ...], size: int) -> tuple[int, pa.Array]:
    """``heads[h] + repr(i / 10)`` at h·size' + i for i < size' (size' ≥ size), as an Arrow string array.

    ``repr(i / 10)`` is ``f"{i // 10}.{i % 10}"``: that decimal reads back as i / 10, and no shorter one
    does (floats below 2**17 / 10 are 2e-12 apart); built by Arrow's kernels, not string by string."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cached = _TENTHS.get(heads)
    if cached is None or cached[0] < size:
        size = max(size, 1 << 12, 2 * cached[0] if cached else 0)
        i = np.arange(size, dtype=np.int64)
        whole = pc.cast(arrow_numbers(i // 10), pa.string())
        tenth = pc.cast(arrow_numbers(i % 10), pa.string())
        dot, empty = text_scalar("."), text_scalar("")
        parts = [pc.binary_join_element_wise(text_scalar(h), whole, dot, tenth, empty) for h in heads]
        cached = _TENTHS[heads] = (size, pa.concat_arrays(parts))
    return cached


def float_texts(
    values: npt.ArrayLike, heads: Sequence[str] = ("",), head: npt.ArrayLike | None = None
) -> pa.Array:
    """``heads[head[i]] + repr(float(v[i]))`` for each value (the JSON of a float after a text: the key
    of an item), null where NaN or infinite; ``head`` None: ``heads[0]`` before every value.

    A value that is a whole number of tenths (``v == m / 10`` for an integer m below 2**17: measured
    concentrations) takes its text from a table. Others are formatted by Arrow, which writes the digits
    repr writes (the shortest that read back as the value, the nearest when several are as short) but
    integral values without ``.0`` (added here) and exponents from other thresholds: outside
    ``[1e-4, 1e9)``, zero excepted, Python's repr is used.
    """
    import pyarrow as pa

    v = np.asarray(values, dtype=np.float64)
    heads = tuple(heads)
    which = np.zeros(v.size, dtype=np.int64) if head is None else np.asarray(head, dtype=np.int64)
    finite = np.isfinite(v)
    with np.errstate(invalid="ignore", over="ignore"):
        tenths = np.rint(v * 10.0)
        table = finite & (tenths >= 0) & (tenths < _TENTHS_LIMIT) & (tenths / 10.0 == v) & ~np.signbit(v)
    m = np.where(table, tenths, 0).astype(np.int64)
    size, lookup = _tenths(heads, int(m.max()) + 1 if v.size else 1)
    rest = np.flatnonzero(finite & ~table)
    if not rest.size:  # the common case: one look-up
        return lookup.take(arrow_numbers(which * size + m, valid=table))
    formatted = _formatted(v[rest], heads, which[rest])
    if rest.size == v.size:
        return formatted
    # The others formatted apart, then all gathered in order: table texts, others, a null (NaN).
    texts = [lookup, formatted] if table.any() else [formatted]
    base = len(lookup) if table.any() else 0
    index = np.where(table, which * size + m, base + rest.size)
    index[rest] = base + np.arange(rest.size)
    return pa.concat_arrays([*texts, pa.nulls(1, pa.string())]).take(arrow_numbers(index))


def _formatted(v: npt.NDArray[np.float64], heads: tuple[str, ...], which: npt.NDArray[np.int64]) -> pa.Array:
    """``heads[which[i]] + repr(v[i])`` of finite values: by Arrow in its range, else by Python."""
    import pyarrow as pa
    import pyarrow.compute as pc

    lo, hi = _ARROW_FLOAT_RANGE
    arrow = (v >= lo) & (v < hi)
    if not arrow.all():
        return arrow_strings([heads[h] + repr(x) for h, x in zip(which.tolist(), v.tolist(), strict=True)])
    text = pc.cast(arrow_numbers(v, pa.float64()), pa.string())
    integral = v == np.floor(v)
    before = text_scalar(heads[0]) if len(heads) == 1 else take_texts(heads, which)
    after = take_texts(["", ".0"], integral.astype(np.int64)) if integral.any() else text_scalar("")
    return pc.binary_join_element_wise(before, text, after, text_scalar(""))

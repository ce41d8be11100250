"""The Arrow reader: UTF-8 CSV in batches, Parquet files and folders, pyarrow and polars tables.

Every source becomes :class:`~envplan_core.data._tabular.Table` objects as the pandas reader makes them,
so one parser (:mod:`envplan_core.data.observations`) checks every row whichever reader read it:

* **Text columns** (site, parameter, time, unit, flag, note) are dictionary-encoded by Arrow while it
  reads (:class:`~envplan_core.data._tabular.Coded`): the distinct spellings of a batch and one code per
  row, never factorised again.
* **Numbers** (value, detection_limit) are read as text and cast to float64 by Arrow. A batch in which a
  cell is not a plain number (``<0.01``, ``ND``, ``nan``, `` 5 ``, empty) keeps that column as text, and
  the parser reads it exactly as it reads pandas' text columns (``pd.to_numeric`` and the non-detect
  spellings), so a value parses the same whichever reader met it.
* **CSV.** pyarrow's streaming reader (multi-threaded parsing, blocks of ``batch_bytes``), only for files
  that are UTF-8 from their first megabyte and whose header maps onto the known columns. A row with too
  many or too few fields, bytes that are not UTF-8, a quoted line break — anything where the pandas
  reader's message is the contract (docs/reliability.md) — raises :class:`ArrowGaveUp`, and the file is
  read by pandas instead. Row numbers are those of the pandas reader: header = 1, the n-th record n + 1.
* **Parquet.** A file (``.parquet``) or a folder of them, read row group by row group; in a folder every
  ``*.parquet`` file below it (hidden ``.``/``_`` names skipped) is one source named by its path, and
  Hive partition folders (``site=城区监测站/``, ``year=2023/``) give columns: a known column name
  (``site``, ``parameter`` …) becomes that column, any other (``year``) is layout only. Timestamps are
  instants (naive: UTC+8 wall time; with a time zone: converted to UTC+8), ``date32`` values are days.
  Row numbers count as in a CSV with a header: the n-th record of a file is row n + 1.
"""

from __future__ import annotations

import csv
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core._ahead import ordered_map
from envplan_core.data._tabular import (
    Coded,
    Column,
    ColumnSpec,
    LabelTable,
    Table,
    _detect_encoding,
    _map_headers,
    _written,
    cell_text,
)
from envplan_core.errors import DataError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "DEFAULT_BATCH_BYTES",
    "ArrowGaveUp",
    "CsvPlan",
    "arrow_tables",
    "csv_plan",
    "csv_tables",
    "parquet_file",
    "parquet_files",
    "parquet_folder",
]

#: CSV bytes per batch: Arrow parses a batch in a thread of its own while the caller works on the one
#: before, so the reader holds two batches and their columns whatever the size of the file.
DEFAULT_BATCH_BYTES = 1 << 22
#: Rows per batch of a Parquet file or an Arrow table.
DEFAULT_BATCH_ROWS = 1 << 16


class ArrowGaveUp(Exception):
    """The Arrow CSV reader met something the pandas reader reports as the contract says."""


# -- CSV ----------------------------------------------------------------------------------------------


@attrs.define
class CsvPlan:
    """What the Arrow reader needs to read one CSV file: its header, mapped."""

    path: Path
    name: str
    spec: ColumnSpec
    header: list[str]
    found: dict[str, int]
    ignore_extra_columns: bool
    blank: list[int]  # header-less columns, read only to see whether they hold data
    blank_has_data: dict[int, bool] = attrs.field(factory=dict)

    def check_blank_columns(self) -> None:
        """A header-less column holding data is an error (after the whole file was read, as pandas)."""
        if any(self.blank_has_data.values()):
            has_data = [bool(t.strip()) or self.blank_has_data.get(p, False) for p, t in enumerate(self.header)]
            _map_headers(
                self.header,
                spec=self.spec,
                name=self.name,
                ignore_extra_columns=self.ignore_extra_columns,
                has_data=has_data,
            )


def csv_plan(path: Path, *, spec: ColumnSpec, name: str, ignore_extra_columns: bool) -> CsvPlan | None:
    """The plan for reading ``path`` with Arrow, or None when the pandas reader must read it (not UTF-8
    from the start, an empty file, a quote in the header line, a header that does not map)."""
    if _detect_encoding(path) != "utf-8-sig":
        return None
    with path.open("rb") as handle:
        first = handle.readline()
    if not first.strip() or b'"' in first or b"\r" in first.rstrip(b"\r\n"):
        return None
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    header = next(csv.reader([text.rstrip("\r\n")]), None)
    if not header:
        return None
    try:
        found = _map_headers(
            header,
            spec=spec,
            name=name,
            ignore_extra_columns=ignore_extra_columns,
            has_data=[bool(title.strip()) for title in header],
        )
    except DataError:
        return None  # the pandas reader reports it, in its order
    blank = [] if ignore_extra_columns else [p for p, title in enumerate(header) if not title.strip()]
    return CsvPlan(
        path=path,
        name=name,
        spec=spec,
        header=header,
        found=found,
        ignore_extra_columns=ignore_extra_columns,
        blank=blank,
    )


def csv_tables(plan: CsvPlan, *, batch_bytes: int | None = None) -> Iterator[Table]:
    """The file as :class:`Table` batches; :class:`ArrowGaveUp` when pandas must read it instead.

    The file is cut into chunks of about ``batch_bytes`` at line ends; two threads parse the next chunks
    (Arrow, without the GIL) while the caller works on the current one, never more than two ahead:
    memory is three chunks and their columns, whatever the file size.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = [f"c{p}" for p in range(len(plan.header))]
    text = pa.dictionary(pa.int32(), pa.string())
    numbers = [names[p] for c, p in plan.found.items() if c in plan.spec.numeric]
    types: dict[str, Any] = {}
    include: list[str] = []
    for canonical, position in plan.found.items():
        types[names[position]] = pa.float64() if canonical in plan.spec.numeric else text
        include.append(names[position])
    for position in plan.blank:
        types[names[position]] = text
        include.append(names[position])
    headers = _written(plan.header, plan.found)
    tables = {c: LabelTable() for c in plan.found if c not in plan.spec.numeric}
    size = batch_bytes or DEFAULT_BATCH_BYTES
    parse = pcsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False)

    def options(as_text: bool) -> pcsv.ConvertOptions:
        return pcsv.ConvertOptions(
            include_columns=include,
            column_types={**types, **dict.fromkeys(numbers, pa.string())} if as_text else types,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            null_values=[] if as_text else [""],
            check_utf8=True,
        )

    convert = {False: options(False), True: options(True)}
    # The C allocator for the parsed batches: they are freed one by one as the caller is done with them,
    # and malloc gives that memory back where Arrow's default pool (mimalloc) keeps ~15 MB more.
    pool = pa.system_memory_pool()

    def parsed(chunk: memoryview) -> tuple[pa.Table, bool]:
        """The chunk parsed with its numbers as float64; where a number column holds anything but plain
        numbers and empty cells (text, ``nan``, ``inf``, `` 5 ``), parsed again with them as text."""
        raw = bytes_of(chunk)  # find (memchr) first: counting 4 MB holds the GIL ~1 ms, finding ~0.05 ms
        if raw.find(b'"', 0, len(chunk)) >= 0 and raw.count(b'"', 0, len(chunk)) % 2:
            # A quote opened in this chunk closes in another (a quoted line break at the cut), or a
            # stray quote: either way, not a file to read in pieces.
            raise ArrowGaveUp("a quote across lines")
        # One block per chunk: Arrow's own block splitting would cut a quoted line break silently.
        read = pcsv.ReadOptions(use_threads=False, block_size=len(chunk) + 1, column_names=names)
        buffer = pa.py_buffer(chunk)
        try:
            table = pcsv.read_csv(
                buffer, read_options=read, parse_options=parse, convert_options=convert[False], memory_pool=pool
            )
        except pa.ArrowInvalid:
            pass  # not numbers (or not a CSV: then the text parse below fails too)
        else:
            if all(_plain_numbers(table.column(c)) for c in numbers):
                return table, False
        as_text = pcsv.read_csv(buffer, read_options=read, parse_options=parse, convert_options=convert[True], memory_pool=pool)
        return as_text, True

    start = 2
    try:
        spare: list[bytearray] = []  # chunk buffers parsed already, filled again
        parsed_chunks = ordered_map(
            parsed,
            _chunks(plan.path, size, spare),
            ahead=_WORKERS,
            workers=_WORKERS,
            first_ahead=_START_AHEAD,
            done=lambda chunk: spare.append(bytes_of(chunk)),  # Arrow copied what it keeps
            name="envplan-csv",
        )
        for table, as_text in parsed_chunks:
            n = table.num_rows
            if n == 0:
                continue
            columns: dict[str, Column] = {}
            for canonical, position in plan.found.items():
                column = table.column(names[position])
                if canonical not in plan.spec.numeric:
                    columns[canonical] = _coded_into(tables[canonical], column)
                elif as_text:
                    columns[canonical] = _numeric_text(column.combine_chunks())
                else:  # float64, NaN where empty
                    columns[canonical] = _column_numpy(column, np.float64)
            for position in plan.blank:
                if not plan.blank_has_data.get(position):
                    labels = [v for chunk in table.column(names[position]).chunks for v in chunk.dictionary.to_pylist()]
                    plan.blank_has_data[position] = any(label.strip() for label in labels)
            rows = np.arange(start, start + n, dtype=np.int32)
            start += n
            yield Table(name=plan.name, columns=columns, headers=headers, rows=rows)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
        raise ArrowGaveUp(str(exc)) from None
    if start == 2:  # a header and no rows: still a source, with no rows
        yield _empty_table(plan.name, plan.found, headers, plan.spec)


def _empty_table(name: str, found: Mapping[str, int], headers: Mapping[str, str], spec: ColumnSpec) -> Table:
    columns: dict[str, Column] = {
        c: np.zeros(0) if c in spec.numeric else Coded(np.zeros(0, dtype=np.intp), []) for c in found
    }
    return Table(name=name, columns=columns, headers=headers, rows=np.zeros(0, dtype=np.int32))


def _chunks(path: Path, size: int, spare: list[bytearray] | None = None) -> Iterator[memoryview]:
    """The file after its header line, in pieces of about ``size`` bytes that end at a line end (each
    read into directly: no copy but the few bytes carried over a cut). A buffer put back on ``spare``
    (its chunk parsed: Arrow copies what it keeps) is filled again: the allocator never sees 4 MB come
    and go per chunk, which would make it keep every later array of up to that size on its heap."""
    spare = [] if spare is None else spare
    with path.open("rb", buffering=0) as handle:
        start = len(handle.readline())  # the header (its BOM included)
        handle.seek(start)
        carry = b""
        while True:
            need = len(carry) + size
            buffer = spare.pop() if spare and len(spare[-1]) >= need else bytearray(need + _SLACK)
            view = memoryview(buffer)
            view[: len(carry)] = carry
            got = handle.readinto(view[len(carry) : need])
            filled = len(carry) + (got or 0)
            if not got:
                if carry:
                    yield view[:filled]
                return
            cut = buffer.rfind(b"\n", 0, filled)
            if cut < 0:  # one line longer than a chunk: read on
                carry = bytes(buffer[:filled])
                continue
            carry = bytes(buffer[cut + 1 : filled])
            yield view[: cut + 1]


#: Room for the bytes carried over a cut, so that a recycled buffer takes the next chunk.
_SLACK = 1 << 16


def bytes_of(chunk: memoryview) -> bytearray:
    """The buffer a chunk views (to search it without copying)."""
    owner = chunk.obj
    if not isinstance(owner, bytearray):  # pragma: no cover - _chunks makes them
        raise TypeError("a chunk views a bytearray")
    return owner


#: Chunks parsed ahead while the caller starts (it builds the unit registry on its first batch, ~0.2 s):
#: early in a file, when the caller's own arrays are still small. Each costs ~9 MB (its buffer and the
#: parsed batch); six measured no faster than three (a chunk parses in ~15 ms: the workers catch up).
_START_AHEAD = 3
#: Threads parsing chunks (Arrow parses without the GIL), and chunks parsed ahead of the caller after
#: the first ones.
_WORKERS = 2


def _coded_into(table: LabelTable, column: pa.ChunkedArray) -> Coded:
    """The column coded into the source-wide ``table``: one hash lookup of each block's distinct
    spellings (Arrow), new spellings appended."""
    if column.num_chunks == 1:
        return _coded_block(table, column.chunk(0))
    parts = [_coded_block(table, chunk).codes for chunk in column.chunks]
    return Coded(np.concatenate(parts) if parts else np.zeros(0, dtype=np.intp), table.labels, table)


def _coded_block(table: LabelTable, array: pa.DictionaryArray) -> Coded:
    dictionary = array.dictionary
    if table.last is not None and table.last[0].equals(dictionary):
        mapping = table.last[1]  # the same distinct spellings as the block before
    else:
        labels = dictionary.to_pylist()
        try:
            mapping = np.array(list(map(table.index.__getitem__, labels)), dtype=np.intp)
        except KeyError:  # spellings not seen before in this file
            new = [label for label in labels if label not in table.index]
            if any("\n" in label or "\r" in label for label in new):
                raise ArrowGaveUp("a quoted line break") from None  # row numbers would not be line numbers
            table.add(new)
            mapping = np.array(list(map(table.index.__getitem__, labels)), dtype=np.intp)
        table.last = (dictionary, mapping)
    if not array.null_count:
        return Coded(mapping[_numpy(array.indices, np.int32)], table.labels, table)
    # A missing cell (Parquet, Arrow tables) is an empty one.
    if "" not in table.index:
        table.add([""])
    empty = table.index[""]
    valid = _valid(array)
    indices = np.where(valid, _numpy(array.indices, np.int32, fill=0), 0)
    codes = mapping[indices] if mapping.size else np.zeros(len(array), dtype=np.intp)
    return Coded(np.where(valid, codes, empty).astype(np.intp), table.labels, table)


def _numpy(array: pa.Array, dtype: Any, fill: Any = None) -> npt.NDArray[Any]:
    """A fixed-width Arrow array as numpy, read from its buffers (``Array.to_numpy`` would import pandas
    through pyarrow's compatibility layer: 0.3 s and 50 MB for nothing). Nulls become ``fill`` (NaN for
    floats, 0 for integers by default)."""
    kind = np.dtype(dtype)
    buffers = array.buffers()
    if len(array) == 0:
        return np.zeros(0, dtype=kind)
    values = np.frombuffer(buffers[1], dtype=kind, count=array.offset + len(array))[array.offset :]
    if array.null_count:
        bits = np.unpackbits(np.frombuffer(buffers[0], dtype=np.uint8), bitorder="little")
        valid = bits[array.offset : array.offset + len(array)].astype(bool)
        default = np.nan if kind.kind == "f" else 0
        values = np.where(valid, values, default if fill is None else fill).astype(kind)
    return values


def _valid(array: pa.Array) -> npt.NDArray[np.bool_]:
    """Which cells of ``array`` hold a value (its validity bitmap as booleans)."""
    if not array.null_count:
        return np.ones(len(array), dtype=bool)
    bits = np.unpackbits(np.frombuffer(array.buffers()[0], dtype=np.uint8), bitorder="little")
    return bits[array.offset : array.offset + len(array)].astype(bool)


def _column_numpy(column: pa.ChunkedArray, dtype: Any) -> npt.NDArray[Any]:
    parts = [_numpy(chunk, dtype) for chunk in column.chunks]
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def _plain_numbers(column: pa.ChunkedArray) -> bool:
    """Every value finite (a null is an empty cell): ``nan``, ``inf``, ``Infinity`` are left to the text
    path, which reads them as the pandas reader does."""
    values = _column_numpy(column, np.float64)
    return bool(np.isfinite(values).sum() == values.size - column.null_count)


def _numeric_text(array: pa.Array) -> npt.NDArray[Any]:
    """A numeric column read as text: float64 when every cell is a plain number or empty, else the text
    (object array) for the parser's text path."""
    import pyarrow as pa
    import pyarrow.compute as pc

    empty = pc.equal(array, "")
    n_empty = int(pc.sum(empty).as_py() or 0)
    source = pc.if_else(empty, pa.scalar(None, type=array.type), array) if n_empty else array
    try:
        values = _numpy(pc.cast(source, pa.float64()), np.float64)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values = None
    if values is not None and int(np.isnan(values).sum()) == n_empty:
        return values  # "nan"/"NaN" text is not a number to pandas either: the text path reports it
    texts = array.to_pylist()
    if any("\n" in t or "\r" in t for t in texts if t):
        raise ArrowGaveUp("a quoted line break")
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out


# -- Arrow tables: Parquet, pyarrow, polars -------------------------------------------------------------


def parquet_files(folder: Path) -> list[Path]:
    """The ``*.parquet`` files below ``folder`` (hidden ``.``/``_`` names skipped), sorted by path."""
    out = []
    for path in folder.rglob("*.parquet"):
        parts = path.relative_to(folder).parts
        if any(part.startswith((".", "_")) for part in parts) or not path.is_file():
            continue
        out.append(path)
    return sorted(out)


def _partitions(folder: Path, path: Path) -> dict[str, str]:
    """Hive partition keys of ``path`` below ``folder``: ``site=城区/year=2023/x.parquet``."""
    keys: dict[str, str] = {}
    for part in path.relative_to(folder).parts[:-1]:
        if "=" in part:
            key, value = part.split("=", 1)
            keys[urllib.parse.unquote(key)] = urllib.parse.unquote(value)
    return keys


def parquet_folder(
    folder: Path, files: Sequence[Path], *, spec: ColumnSpec, name: str, ignore_extra_columns: bool
) -> Iterator[Table]:
    """Every Parquet file below ``folder``, one source each (named by its path), Hive keys as columns."""
    for path in files:
        label = str(Path(name) / path.relative_to(folder))
        constants = {}
        for key, value in _partitions(folder, path).items():
            canonical = spec.canonical(key)
            if canonical is not None:
                constants[key] = (canonical, value)
        yield from parquet_file(
            path, spec=spec, name=label, ignore_extra_columns=ignore_extra_columns, constants=constants
        )


def parquet_file(
    path: Path,
    *,
    spec: ColumnSpec,
    name: str,
    ignore_extra_columns: bool,
    constants: Mapping[str, tuple[str, str]] | None = None,
) -> Iterator[Table]:
    """A Parquet file read row group by row group (bounded memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        # Text columns come dictionary-encoded straight from the file (no encoding pass afterwards).
        texts = [f.name for f in schema if _is_text(f.type)]
        handle = pq.ParquetFile(path, read_dictionary=texts)
        names = list(handle.schema_arrow.names)
    except (pa.ArrowException, OSError) as exc:
        raise DataError(f"not a readable Parquet file: {exc}", file=name) from None
    constants = dict(constants or {})
    headers = [*names, *constants]
    found = _map_headers(headers, spec=spec, name=name, ignore_extra_columns=ignore_extra_columns)
    wanted = sorted({names[p] for c, p in found.items() if p < len(names)}, key=names.index)
    written = _written(headers, found)
    tables = {c: LabelTable() for c in found if c not in spec.numeric}
    start = 2
    try:
        batches = handle.iter_batches(batch_size=DEFAULT_BATCH_ROWS, columns=wanted)
        for batch in batches:
            n = batch.num_rows
            if n == 0:
                continue
            columns = _arrow_columns(batch, found, names, spec=spec, name=name, tables=tables)
            for key, (canonical, value) in constants.items():
                del key
                columns[canonical] = Coded(np.zeros(n, dtype=np.intp), [value])
            yield Table(
                name=name, columns=columns, headers=written, rows=np.arange(start, start + n, dtype=np.int32)
            )
            start += n
    except (pa.ArrowException, OSError) as exc:
        raise DataError(f"not a readable Parquet file: {exc}", file=name) from None
    if start == 2:
        yield _empty_table(name, found, written, spec)


def arrow_tables(obj: Any, *, spec: ColumnSpec, name: str, ignore_extra_columns: bool) -> Iterator[Table]:
    """A pyarrow Table or RecordBatch, or a polars DataFrame (through its Arrow table), in batches."""
    import pyarrow as pa

    table = obj.to_arrow() if type(obj).__module__.split(".", 1)[0] == "polars" else obj
    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    names = [str(n) for n in table.column_names]
    found = _map_headers(names, spec=spec, name=name, ignore_extra_columns=ignore_extra_columns)
    written = _written(names, found)
    tables = {c: LabelTable() for c in found if c not in spec.numeric}
    start = 2
    for batch in table.to_batches(max_chunksize=DEFAULT_BATCH_ROWS):
        n = batch.num_rows
        if n == 0:
            continue
        columns = _arrow_columns(batch, found, names, spec=spec, name=name, tables=tables)
        yield Table(name=name, columns=columns, headers=written, rows=np.arange(start, start + n, dtype=np.int32))
        start += n
    if start == 2:
        yield _empty_table(name, found, written, spec)


def _is_text(kind: pa.DataType) -> bool:
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or str(kind) == "string_view"


def _arrow_columns(
    batch: pa.RecordBatch,
    found: Mapping[str, int],
    names: Sequence[str],
    *,
    spec: ColumnSpec,
    name: str,
    tables: Mapping[str, LabelTable],
) -> dict[str, Column]:
    import pyarrow as pa

    columns: dict[str, Column] = {}
    for canonical, position in found.items():
        if position >= len(names):
            continue  # a partition key: the caller adds it
        array = batch.column(batch.schema.get_field_index(names[position]))
        try:
            if canonical in spec.numeric:
                columns[canonical] = _numeric_arrow(array)
            elif pa.types.is_dictionary(array.type) and _is_text(array.type):
                # Text, dictionary-encoded: coded into the file-wide table (each spelling parsed once).
                columns[canonical] = _coded_block(tables[canonical], array)
            elif canonical == "time":
                columns[canonical] = _time_arrow(array)
            else:
                columns[canonical] = _coded_arrow(array)
        except (TypeError, ValueError) as exc:
            raise DataError(
                f"column {names[position]!r} of type {array.type} cannot be read ({exc})",
                file=name,
                row=1,
                column=names[position],
            ) from None
    return columns


def _plain(array: pa.Array) -> pa.Array:
    """Views and large types as the plain types the compute functions all take."""
    import pyarrow as pa

    kind = array.type
    if pa.types.is_dictionary(kind):
        return array
    if str(kind) in ("string_view", "large_string"):
        return array.cast(pa.string())
    if str(kind) in ("binary_view", "large_binary"):
        return array.cast(pa.binary())
    return array


def _coded_arrow(array: pa.Array) -> Coded:
    """Any Arrow column as text codes: its dictionary (or the dictionary Arrow builds), cell by cell as
    the pandas reader writes a cell (101.0 → ``101``, a date → ``2023-05-10``, missing → empty)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = _plain(array)
    if pa.types.is_nested(array.type) or pa.types.is_binary(array.type):
        raise TypeError("not a text or number column")
    encoded = array if pa.types.is_dictionary(array.type) else pc.dictionary_encode(array)
    labels = [cell_text(v) for v in _plain(encoded.dictionary).to_pylist()]
    indices = encoded.indices
    if indices.null_count:
        indices = pc.fill_null(indices, len(labels))
        labels.append("")
    width = indices.type.bit_width
    kind = np.dtype(f"{'' if pa.types.is_signed_integer(indices.type) else 'u'}int{width}")
    return Coded(_numpy(indices, kind).astype(np.intp, copy=False), labels)


def _numeric_arrow(array: pa.Array) -> npt.NDArray[Any]:
    import pyarrow as pa

    array = _plain(array)
    if pa.types.is_dictionary(array.type):
        array = array.cast(array.type.value_type)
        array = _plain(array)
    kind = array.type
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return np.array(_numpy(array.cast(pa.float64()), np.float64), dtype=np.float64)
    if pa.types.is_string(kind):
        return _numeric_text(array)
    if pa.types.is_null(kind):
        return np.full(len(array), np.nan)
    if pa.types.is_nested(kind) or pa.types.is_binary(kind):
        raise TypeError("not a number column")
    out = np.empty(len(array), dtype=object)
    out[:] = [cell_text(v) for v in array.to_pylist()]  # booleans, dates …: reported as not numbers
    return out


def _time_arrow(array: pa.Array) -> Column:
    """Timestamps as datetime64[s] (UTC+8 wall time); anything else as text (dates as days)."""
    import pyarrow as pa

    kind = array.type
    if pa.types.is_timestamp(kind):
        ticks = array.cast(pa.timestamp(kind.unit)).cast(pa.int64())
        nat = np.iinfo(np.int64).min  # NaT's bits
        seconds = _numpy(ticks, np.int64, fill=nat).view(f"datetime64[{kind.unit}]").astype("datetime64[s]")
        if kind.tz is not None:
            seconds = seconds + np.timedelta64(8 * 3600, "s")  # an instant, as UTC+8 wall time
        return seconds
    if pa.types.is_date(kind):
        return _coded_arrow(array.cast(pa.date32()))
    return _coded_arrow(array)

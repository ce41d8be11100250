"""Shared intake of tabular inputs (CSV, XLSX, pandas DataFrame) for the observation and progress readers.

Every source becomes a :class:`Table`: one numpy array per recognised column (canonical name), the header
as the user wrote it (for messages), and the row number as a spreadsheet user sees it (header = row 1).
Row problems are collected in a :class:`ProblemLog` column-wise (positions + reason) and turned into
:class:`~envplan_core.findings.Issue` entries — one per excluded row — or one :class:`DataError` listing
them, only when there is something to report: the clean path never loops over rows in Python. The log
and the ``errors=`` mode are in :mod:`envplan_core.data._problems` (re-exported here).

CSV encodings (docs/inputs.md): UTF-8 with or without BOM, else GB18030 (a superset of GBK and GB2312, the
encodings Chinese office software exports). XLSX is read with openpyxl (first worksheet); a date cell
whose number format shows no time is read as a date (``2023-05-10``), not as midnight.

Two CSV readers, one result. A UTF-8 CSV is read by pyarrow's multi-threaded reader in batches
(:mod:`envplan_core.data._arrow`), its text columns dictionary-encoded at read time (a :class:`Coded`
column: codes into the distinct spellings, never re-factorised). Whatever that reader does not take as
it is — a GB18030 file, a row with too many or too few fields, bytes that are not UTF-8, a quoted line
break, a header it cannot map — is read by pandas' C parser as before, whose messages the reliability
tests hold (docs/reliability.md). Parquet files, folders of them and Arrow tables (pyarrow, polars) go
through the Arrow reader only.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import sys
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core._sources import source_label
from envplan_core.data._problems import ErrorMode, ProblemLog, check_errors_mode
from envplan_core.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Coded",
    "ColumnSpec",
    "ErrorMode",
    "LabelTable",
    "ProblemLog",
    "Source",
    "Table",
    "cell_text",
    "check_errors_mode",
    "factorize_text",
    "iter_one",
    "list_sources",
    "load_tables",
    "normalise_header",
]

#: A path (CSV, XLSX, Parquet or a folder of Parquet files), a pandas or polars DataFrame, or a pyarrow
#: Table or RecordBatch.
Source: TypeAlias = "str | Path | pd.DataFrame | Any"

_SNIFF_BYTES = 1 << 20


def normalise_header(name: str) -> str:
    """Fold width, case and surrounding space so ``Site``, ``ＳＩＴＥ`` and `` site `` match."""
    return unicodedata.normalize("NFKC", name).strip().casefold().replace(" ", "_")


@attrs.frozen
class ColumnSpec:
    """The columns a reader knows: canonical names, Chinese/English aliases, which are numbers.

    ``numeric`` columns are left to pandas' C parser to read as numbers (fast path); the others are
    read as text.
    """

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    aliases: Mapping[str, str] = attrs.field(factory=dict)
    numeric: frozenset[str] = frozenset()

    def canonical(self, header: str) -> str | None:
        key = normalise_header(header)
        if key in self.required or key in self.optional:
            return key
        return self.aliases.get(key)


class LabelTable:
    """The distinct spellings of one text column across all the batches of a source, append-only.

    Batches code their rows into it (:func:`envplan_core.data._arrow.csv_tables`), so work per spelling —
    stripping here, parsing a time or resolving a parameter in the reader — is done once per source,
    not once per batch. ``merged`` are the stripped spellings (two raw spellings that strip to one are
    one), ``remap`` maps a raw code to its merged code; both only grow.
    """

    def __init__(self) -> None:
        self.labels: list[str] = []
        self.index: dict[str, int] = {}  # raw spelling -> its code
        self.merged: list[str] = []
        self._merged_index: dict[str, int] = {}
        self._remap: list[int] = []
        self.remap: npt.NDArray[np.intp] = np.zeros(0, dtype=np.intp)
        self.last: tuple[Any, npt.NDArray[np.intp]] | None = None  # the reader's last lookup, reused
        self.identity = True

    def add(self, new: Sequence[str]) -> None:
        for label in new:
            if label in self.index:
                continue
            self.index[label] = len(self.labels)
            stripped = cell_text(label).strip()
            code = self._merged_index.get(stripped)
            if code is None:
                code = self._merged_index[stripped] = len(self.merged)
                self.merged.append(stripped)
            self._remap.append(code)
            self.labels.append(label)
        self.remap = np.asarray(self._remap, dtype=np.intp)
        self.identity = len(self.merged) == len(self.labels)  # no two spellings strip to one


@attrs.frozen(eq=False)
class Coded:
    """A text column as codes into its distinct spellings, as read (not yet stripped): what the Arrow
    reader's dictionary encoding gives, so the column is never factorised again.

    ``labels`` holds each distinct spelling once; ``codes`` one index per row. Selecting rows keeps the
    labels (a label no row uses any more is harmless). ``table``, when set, is the source-wide
    :class:`LabelTable` whose ``labels`` these are.
    """

    codes: npt.NDArray[np.intp]
    labels: Sequence[str]
    table: LabelTable | None = None

    dtype: ClassVar[np.dtype[Any]] = np.dtype(object)

    @property
    def shape(self) -> tuple[int]:
        return (int(self.codes.shape[0]),)

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def __getitem__(self, key: Any) -> Coded:
        return Coded(self.codes[key], self.labels, self.table)

    def to_objects(self) -> npt.NDArray[np.object_]:
        """The column as an object array of its spellings."""
        return np.asarray(list(self.labels) or [""], dtype=object)[self.codes]


#: A column of a :class:`Table`: a numpy array, or a :class:`Coded` text column.
Column: TypeAlias = "npt.NDArray[Any] | Coded"


@attrs.frozen(eq=False)
class Table:
    """One source's (or one batch of a source's) recognised columns, of equal length.

    Text columns are object arrays (str, or other Python objects for a DataFrame source) or
    :class:`Coded` columns (Arrow reader); numeric columns as parsed (float64/int64, or object when
    some cell is not a number); a DataFrame's datetime64 column stays datetime64. ``source`` numbers
    the source in the list given to the reader (a file read in batches gives several tables with one
    ``source``).
    """

    name: str
    columns: Mapping[str, Column]
    headers: Mapping[str, str]  # canonical -> header as written in the source
    rows: npt.NDArray[np.int32]  # spreadsheet row numbers (header = 1)
    source: int = 0

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    def header(self, column: str) -> str:
        return self.headers.get(column, column)


# -- loading ------------------------------------------------------------------------------------------


def _pandas() -> Any:
    """pandas when it is imported already (a caller's DataFrame implies it), else None."""
    return sys.modules.get("pandas")


def is_pandas_frame(obj: Any) -> bool:
    pd = _pandas()
    return pd is not None and isinstance(obj, pd.DataFrame)


def is_arrow_like(obj: Any) -> bool:
    """A pyarrow Table/RecordBatch or a polars DataFrame (read through Arrow)."""
    module = type(obj).__module__.split(".", 1)[0]
    if module == "pyarrow":
        import pyarrow as pa

        return isinstance(obj, (pa.Table, pa.RecordBatch))
    return module == "polars" and hasattr(obj, "to_arrow")


def _is_one_source(source: Any) -> bool:
    return isinstance(source, (str, Path)) or is_pandas_frame(source) or is_arrow_like(source)


def load_tables(
    source: Source | Sequence[Source],
    *,
    spec: ColumnSpec,
    name: str | None = None,
    ignore_extra_columns: bool = False,
) -> list[Table]:
    """Load a path (CSV/XLSX), a DataFrame, or a list of those into :class:`Table` objects (pandas and
    openpyxl readers, whole sources; the progress reader's intake)."""
    tables: list[Table] = []
    for index, (item, item_name) in enumerate(list_sources(source, name)):
        tables.extend(
            attrs.evolve(t, source=index)
            for t in iter_one(item, spec=spec, name=item_name, ignore_extra_columns=ignore_extra_columns)
        )
    return tables


def list_sources(source: Any, name: str | None) -> list[tuple[Any, str | None]]:
    """``source`` as a list of (source, name in messages or None for the default)."""
    if _is_one_source(source):
        return [(source, name)]
    listed = list(source)
    items: list[tuple[Any, str | None]] = []
    for index, item in enumerate(listed):
        item_name = None
        if name is not None:
            item_name = name if len(listed) == 1 else f"{name}[{index}]"
        elif is_pandas_frame(item) or is_arrow_like(item):
            item_name = f"<DataFrame {index}>" if len(listed) > 1 else None
        items.append((item, item_name))
    return items


def iter_one(source: Source, *, spec: ColumnSpec, name: str | None, ignore_extra_columns: bool) -> Iterator[Table]:
    """One source through the pandas and openpyxl readers (a DataFrame, a CSV or an XLSX path)."""
    if is_pandas_frame(source):
        frame: pd.DataFrame = source  # type: ignore[assignment]  # checked just above
        yield _from_frame(frame, spec=spec, name=name or "<DataFrame>", ignore_extra_columns=ignore_extra_columns)
        return
    if not isinstance(source, (str, Path)):
        raise TypeError(
            "expected a path, a pandas or polars DataFrame or a pyarrow Table, "
            f"got {type(source).__name__}"
        )
    path = Path(source)
    label = name or source_label(source)
    if path.is_dir():
        raise DataError("is a directory, not a file", file=label)
    if not path.is_file():
        raise DataError("no such file", file=label)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        yield from _from_xlsx(path, spec=spec, name=label, ignore_extra_columns=ignore_extra_columns)
        return
    if path.suffix.lower() == ".xls":
        raise DataError("legacy .xls workbooks are not read; save the sheet as .xlsx or CSV", file=label)
    yield _from_csv(path, spec=spec, name=label, ignore_extra_columns=ignore_extra_columns)


def _map_headers(
    headers: Sequence[str],
    *,
    spec: ColumnSpec,
    name: str,
    ignore_extra_columns: bool,
    has_data: Sequence[bool] | None = None,
) -> dict[str, int]:
    """canonical column -> position; DataError for unknown, duplicate or missing columns."""
    found: dict[str, int] = {}
    for position, header in enumerate(headers):
        if not header.strip():
            # A trailing separator or a formatted-but-empty spreadsheet column: harmless when empty.
            if ignore_extra_columns or (has_data is not None and not has_data[position]):
                continue
            raise DataError(f"column {position + 1} has no header but holds data", file=name, row=1)
        canonical = spec.canonical(header)
        if canonical is None:
            if ignore_extra_columns:
                continue
            known = ", ".join((*spec.required, *spec.optional))
            raise DataError(
                f"unknown column {header!r} (known: {known}; Chinese headers accepted; "
                "skip it with --ignore-extra-columns, or ignore_extra_columns=True in Python)",
                file=name,
                row=1,
                column=header,
            )
        if canonical in found:
            raise DataError(
                f"columns {headers[found[canonical]]!r} and {header!r} both mean {canonical!r}",
                file=name,
                row=1,
                column=header,
            )
        found[canonical] = position
    missing = [c for c in spec.required if c not in found]
    if missing:
        raise DataError(
            f"missing required column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}",
            file=name,
            row=1,
            column=missing[0],
        )
    return found


def _detect_encoding(path: Path) -> str:
    """``utf-8-sig`` when the first megabyte is valid UTF-8, else ``gb18030``."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _from_csv(path: Path, *, spec: ColumnSpec, name: str, ignore_extra_columns: bool) -> Table:
    encoding = _detect_encoding(path)
    if encoding == "gb18030":
        _refuse_mixed(path, name)
    try:
        return _read_csv(path, encoding, spec=spec, name=name, ignore_extra_columns=ignore_extra_columns)
    except UnicodeDecodeError:
        if encoding == "gb18030":
            raise _encoding_error(path, name) from None
    # The first megabyte was UTF-8 but a later row is not: a GBK export whose first megabyte is ASCII.
    _refuse_mixed(path, name)
    try:
        return _read_csv(path, "gb18030", spec=spec, name=name, ignore_extra_columns=ignore_extra_columns)
    except UnicodeDecodeError:
        raise _encoding_error(path, name) from None


def _refuse_mixed(path: Path, name: str) -> None:
    """A file whose earlier rows hold UTF-8 Chinese and a later row does not mixes two encodings: read as
    GB18030 the UTF-8 rows would silently turn into other characters, so it is refused."""
    bad_line, mixed = _utf8_scan(path)
    if mixed:
        raise DataError(
            "mixes encodings: earlier rows are UTF-8, this one is not (save the file in one encoding)",
            file=name,
            row=bad_line,
        )


def _utf8_scan(path: Path) -> tuple[int | None, bool]:
    """The first line that is not UTF-8, and whether an earlier line held non-ASCII UTF-8."""
    seen_utf8 = False
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number, seen_utf8
            seen_utf8 = seen_utf8 or not line.isascii()
    return None, False


def _encoding_error(path: Path, name: str) -> DataError:
    """Neither UTF-8 nor GB18030: the error names the first line that GB18030 cannot read."""
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("gb18030")
            except UnicodeDecodeError:
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return DataError(
                        "not UTF-8 or GB18030/GBK text (Latin-1 or binary bytes?)", file=name, row=number
                    )
    return DataError("not UTF-8 or GB18030/GBK text", file=name)


def _read_csv(path: Path, encoding: str, *, spec: ColumnSpec, name: str, ignore_extra_columns: bool) -> Table:
    import pandas as pd

    with path.open(encoding=encoding, newline="") as handle:
        header = next(csv.reader(handle), None)
    if header is None:
        raise DataError("empty file (no header row)", file=name, row=1)
    found = _map_headers(header, spec=spec, name=name, ignore_extra_columns=True)
    by_position = {p: c for c, p in found.items()}
    # Numbers go through the C parser's float conversion (no Python object per cell); a column with any
    # non-number falls back to text and is parsed by the reader. Everything else is text (object).
    # All columns are read, so a row with more fields than the header is an error, not silently cut.
    dtype: dict[int, Any] = {p: object for p in range(len(header)) if by_position.get(p) not in spec.numeric}
    na_values = {p: [""] for p in by_position if by_position[p] in spec.numeric}
    try:
        frame = pd.read_csv(  # type: ignore[call-overload]  # stubs lack int-keyed na_values
            path,
            encoding=encoding,
            header=None,
            skiprows=1,
            dtype=dtype,
            keep_default_na=False,
            na_values=na_values,
            skip_blank_lines=False,  # keeps row numbers equal to line numbers
            engine="c",
        )
    except pd.errors.ParserError as exc:
        quote = re.search(r"EOF inside string starting at row (\d+)", str(exc))
        if quote:  # pandas counts rows from 0 with the header skipped in: +1 is the line number
            raise DataError(
                "a quote (\") opened in this row is never closed", file=name, row=int(quote.group(1)) + 1
            ) from None
        line = re.search(r"line (\d+)", str(exc))
        raise DataError(
            f"not a valid CSV file: {str(exc).strip()}", file=name, row=int(line.group(1)) if line else None
        ) from None
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame({p: pd.Series([], dtype=object) for p in range(len(header))})
    if frame.shape[1] > len(header):
        filled = np.zeros(len(frame), dtype=bool)
        for position in range(len(header), frame.shape[1]):
            filled |= _non_empty(frame[position])
        row = int(np.argmax(filled)) + 2 if filled.any() else 2
        raise DataError(
            f"row has more fields ({frame.shape[1]}) than the header ({len(header)})", file=name, row=row
        )
    # A header-less column is harmless when empty (a trailing separator); data in it is an error.
    has_data = [True if title.strip() else bool(_non_empty(frame[p]).any()) for p, title in enumerate(header)]
    _map_headers(header, spec=spec, name=name, ignore_extra_columns=ignore_extra_columns, has_data=has_data)
    columns = {canonical: frame[position].to_numpy() for canonical, position in found.items()}
    rows = np.arange(2, len(frame) + 2, dtype=np.int32)
    return Table(name=name, columns=columns, headers=_written(header, found), rows=rows)


def _non_empty(column: pd.Series[Any]) -> npt.NDArray[np.bool_]:
    """Which cells hold something (decided once per unique spelling)."""
    codes, labels = factorize_text(column.to_numpy(dtype=object))
    return np.asarray([bool(label) for label in labels], dtype=bool)[codes]


def _written(header: Sequence[str], found: Mapping[str, int]) -> dict[str, str]:
    return {canonical: header[position].strip() for canonical, position in found.items()}


def _from_xlsx(path: Path, *, spec: ColumnSpec, name: str, ignore_extra_columns: bool) -> list[Table]:
    """Every worksheet that holds data, one table each (named ``file[sheet]`` when there are several).

    Nothing is ignored silently: a sheet with data but without the header is an error naming it; only
    wholly empty sheets are skipped.
    """
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zipfile, XML and openpyxl errors all mean "not a workbook"
        raise DataError(f"not a readable XLSX workbook: {exc}", file=name) from None
    try:
        sheets: list[tuple[str, list[list[str]]]] = []
        for sheet in workbook.worksheets:
            # openpyxl itself works cell by cell, so reading row by row here costs nothing extra; it lets
            # a date cell be told from a date-time cell by its number format.
            grid = [[_xlsx_text(cell) for cell in row] for row in sheet.iter_rows()]
            while grid and not any(cell.strip() for cell in grid[-1]):
                grid.pop()  # trailing formatted-but-empty rows
            if grid:
                sheets.append((str(sheet.title), grid))
    except Exception as exc:  # noqa: BLE001 - malformed sheet XML surfaces while iterating
        raise DataError(f"not a readable XLSX workbook: {type(exc).__name__}: {exc}", file=name) from None
    finally:
        workbook.close()
    if not sheets:
        raise DataError("empty workbook (no header row on any sheet)", file=name, row=1)
    tables = []
    for title, grid in sheets:
        label = name if len(sheets) == 1 else f"{name}[{title}]"
        tables.append(
            _grid_table(grid, spec=spec, name=label, ignore_extra_columns=ignore_extra_columns)
        )
    return tables


def _grid_table(grid: list[list[str]], *, spec: ColumnSpec, name: str, ignore_extra_columns: bool) -> Table:
    width = max(len(r) for r in grid)
    header = [*grid[0], *[""] * (width - len(grid[0]))]
    body = grid[1:]
    has_data = [any(len(r) > i and r[i].strip() for r in body) for i in range(width)]
    found = _map_headers(
        header, spec=spec, name=name, ignore_extra_columns=ignore_extra_columns, has_data=has_data
    )
    columns: dict[str, npt.NDArray[Any]] = {}
    for canonical, position in found.items():
        array = np.empty(len(body), dtype=object)
        array[:] = [r[position] if position < len(r) else "" for r in body]
        columns[canonical] = array
    rows = np.arange(2, len(body) + 2, dtype=np.int32)
    return Table(name=name, columns=columns, headers=_written(header, found), rows=rows)


def read_grid(path: Path, *, name: str) -> list[list[str]]:
    """A CSV (UTF-8 or GB18030) or XLSX (first sheet) file as rows of text cells, header first.

    For files whose columns are not fixed (table inventories): the caller maps the header itself.
    """
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - zipfile, XML and openpyxl errors all mean "not a workbook"
            raise DataError(f"not a readable XLSX workbook: {exc}", file=name) from None
        try:
            grid = [[_xlsx_text(cell) for cell in row] for row in workbook.worksheets[0].iter_rows()]
        finally:
            workbook.close()
    else:
        encoding = _detect_encoding(path)
        try:
            text = path.read_text(encoding=encoding)
        except UnicodeDecodeError:
            try:
                text = path.read_text(encoding="gb18030")
            except UnicodeDecodeError:
                raise DataError("not UTF-8 or GB18030/GBK text", file=name) from None
        try:
            grid = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error as exc:
            raise DataError(f"malformed CSV: {exc}", file=name) from None
    while grid and not any(cell.strip() for cell in grid[-1]):
        grid.pop()  # trailing empty rows
    if not grid:
        raise DataError("empty file (no header row)", file=name, row=1)
    return grid


def _xlsx_text(cell: Any) -> str:
    value = cell.value
    if isinstance(value, dt.datetime):
        fmt = str(getattr(cell, "number_format", "") or "").lower()
        if value.time() == dt.time(0) and "h" not in fmt and "s" not in fmt:
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    return cell_text(value)


def _from_frame(frame: pd.DataFrame, *, spec: ColumnSpec, name: str, ignore_extra_columns: bool) -> Table:
    import pandas as pd

    headers = [str(c) for c in frame.columns]
    found = _map_headers(headers, spec=spec, name=name, ignore_extra_columns=ignore_extra_columns)
    columns: dict[str, npt.NDArray[Any]] = {}
    for canonical, position in found.items():
        series = frame.iloc[:, position]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            # Aware times: to UTC+8 wall time (docs/inputs.md (conventions)), naive.
            local = series.dt.tz_convert("Etc/GMT-8").dt.tz_localize(None)
            columns[canonical] = local.to_numpy(dtype="datetime64[s]")
        elif pd.api.types.is_datetime64_dtype(series.dtype):
            columns[canonical] = series.to_numpy(dtype="datetime64[s]")
        elif pd.api.types.is_bool_dtype(series.dtype):
            columns[canonical] = series.astype(str).to_numpy(dtype=object)
        elif pd.api.types.is_numeric_dtype(series.dtype) and canonical in spec.numeric:
            # A copy: readers convert units in place and must not write into the caller's frame.
            columns[canonical] = np.array(series.to_numpy(dtype=np.float64, na_value=np.nan), copy=True)
        else:
            columns[canonical] = series.to_numpy(dtype=object)
    rows = np.arange(2, len(frame) + 2, dtype=np.int32)
    return Table(name=name, columns=columns, headers=_written(headers, found), rows=rows)


# -- column helpers -----------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text: None/NaN -> ``""``; integral floats without ``.0`` (Excel stores 101 as 101.0)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, (np.floating, np.integer)):
        return cell_text(value.item())
    pd = _pandas()
    if pd is not None:
        if value is pd.NaT:
            return ""
        if isinstance(value, pd.Timestamp):
            return str(value.isoformat())
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def factorize_text(values: npt.NDArray[Any] | Coded) -> tuple[npt.NDArray[np.intp], list[str]]:
    """Codes into unique stripped labels (``""`` for an empty or missing cell), via one hash pass.

    Labels that differ only by surrounding space are merged after stripping; the per-label work is on
    the unique spellings only. A :class:`Coded` column is coded already: only its labels are stripped
    (and merged when stripping makes two equal), in their order of appearance.
    """
    if isinstance(values, Coded):
        return _strip_coded(values)
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    raw = [cell_text(u).strip() for u in uniques]
    if codes.size and codes.min() < 0:
        raw.append("")  # missing cells: the sentinel -1 indexes this last entry
    if not raw:
        return codes.astype(np.intp), []
    labels, remap = np.unique(np.asarray(raw, dtype=object), return_inverse=True)
    remap = remap.astype(np.intp).ravel()
    return remap[codes], [str(label) for label in labels]


def _strip_coded(column: Coded) -> tuple[npt.NDArray[np.intp], list[str]]:
    if column.table is not None:
        table = column.table
        return (column.codes if table.identity else table.remap[column.codes]), table.merged
    labels = [cell_text(label).strip() for label in column.labels]
    if len(set(labels)) == len(labels):
        return column.codes, labels
    first: dict[str, int] = {}
    remap = np.asarray([first.setdefault(label, len(first)) for label in labels], dtype=np.intp)
    return remap[column.codes], list(first)

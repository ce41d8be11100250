"""What ``envplan aqi`` and ``envplan air-stats`` share besides their tables: the input they take and
how it is read (batch by batch into the hourly grid, with a progress bar on a terminal), and the formats
they write (the document formats, and Parquet for the records).

``envplan aqi -f json`` and ``-f parquet`` write millions of records: :class:`AQIBlock` writes them from
the AQI's columns (:class:`~envplan_core.standards.hj633.AQIFrame`) — the same JSON text and Parquet rows
as the records' dicts would give (tests/core/test_aqi_columns.py), without building them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.analysis.air_aqi import iter_aqi_frames
from envplan_core.analysis.air_grid import AirGrid, read_air_grid
from envplan_core.commands.base import CommandContext
from envplan_core.render import FORMATS
from envplan_core.render.parquet import arrow_values
from envplan_core.render.progress import Progress
from envplan_core.render.stream import (
    FIELD_INDENT,
    ITEM_INDENT,
    RecordStream,
    arrow_numbers,
    arrow_strings,
    field_text,
    float_texts,
    grouped_texts,
    join_texts,
    take_texts,
)
from envplan_core.standards import hj633

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["FILE_HELP", "RECORD_FORMATS", "AQIBlock", "aqi_schema", "aqi_stream", "read_grid"]

#: The formats of commands whose JSON is a list of records: Parquet writes those records as a table.
RECORD_FORMATS = (*FORMATS, "parquet")

FILE_HELP = (
    "observation file (long format: site,parameter,time,value,unit): CSV, XLSX, Parquet, or a folder of "
    "Parquet files (Hive partitions such as site=…/ or year=…/ allowed); '-' reads standard input"
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
    """The AQI records of ``grid`` as a stream for the JSON and Parquet writers: blocks of
    :class:`AQIBlock` (a site's hourly records, or the daily records of several sites), computed
    :data:`~envplan_core.analysis.air_aqi.SITES_PER_BATCH` sites at a time and written from their columns
    (memory: the grid and a few blocks). With ``progress`` (stderr), a progress bar over the sites on a
    terminal."""

    memo: dict[Any, Any] = {}

    def frames() -> Iterator[hj633.AQIFrame]:
        kinds = 2 if kind == "both" else 1
        if progress is None:
            yield from iter_aqi_frames(grid, kind=kind, hourly_method=hourly_method)
            return
        with Progress(progress, "computing AQI", total=kinds * int(grid.codes.size)) as bar:
            yield from iter_aqi_frames(grid, kind=kind, hourly_method=hourly_method, on_site=bar.advance)

    def blocks() -> Iterator[AQIBlock]:  # frames side by side, up to BLOCK_RECORDS records
        group: list[hj633.AQIFrame] = []
        rows = 0
        for frame in frames():
            if group and (rows + len(frame) > BLOCK_RECORDS or _shape(frame) != _shape(group[0])):
                yield AQIBlock(group, memo)
                group, rows = [], 0
            group.append(frame)
            rows += len(frame)
        if group:
            yield AQIBlock(group, memo)

    return RecordStream(blocks=blocks(), schema=aqi_schema if fmt == "parquet" else None)


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


# --------------------------------------------------------------------------- AQI records as columns
# The fields of a record that take few values, and depend only on the bits of :func:`_combination`.
_CATEGORICAL = (
    "rules",
    "level",
    "category_zh",
    "category_en",
    "primary_pollutant",
    "primary_pollutants",
    "non_attainment",
    "complete",
    "iaqi_lower_bounds",
    "substitutions",
)
_EDITIONS = (hj633.HJ633_2012, hj633.HJ633_2026)
#: Records of the frames put side by side in one block of ``envplan aqi``'s stream: a site's hours, or
#: the days of ~20 sites (a text of ~7 MB). Larger blocks cost memory, and on this path time too.
BLOCK_RECORDS = 1 << 13
_TOP = 500  # integer tables cover 0 … 500 (the top of every IAQI table), and grow when needed


class AQIBlock:
    """The records of :class:`~envplan_core.standards.hj633.AQIFrame` (sites' hourly or daily records,
    one frame per site, of the same pollutants: :func:`_shape`) as a
    :class:`~envplan_core.render.stream.RecordBlock`: the JSON text and the Parquet rows of their
    records from their columns, the frames side by side.

    The fields that take few values (rules, level, category, primary pollutants, non-attainment,
    complete, lower bounds, substitutions) are those of one representative record per combination of
    what decides them (:func:`_combination`), taken from :meth:`~hj633.AQIResult.record` itself; the
    integers (AQI, IAQI) come from tables of their texts, the concentrations from
    :func:`~envplan_core.render.stream.float_texts`, the reasons of incomplete records per record. The
    JSON text of a record is the concatenation of these pieces, each with the punctuation around it.
    ``memo`` (shared by the blocks of a stream) keeps representatives and tables across blocks.
    """

    def __init__(
        self, frames: hj633.AQIFrame | Sequence[hj633.AQIFrame], memo: dict[Any, Any] | None = None
    ) -> None:
        self.frames = [frames] if isinstance(frames, hj633.AQIFrame) else list(frames)
        self.frame = _side_by_side(self.frames)
        self._memo: dict[Any, Any] = {} if memo is None else memo

    def __len__(self) -> int:
        return len(self.frame)

    def records(self) -> list[dict[str, Any]]:
        return [record for frame in self.frames for record in frame.records()]

    def _sites(self) -> tuple[list[Any], npt.NDArray[np.int64] | None]:
        """The site of each frame, and per record the index of its frame (None: one frame)."""
        sites = [frame.site for frame in self.frames]
        if len(sites) == 1:
            return sites, None
        return sites, np.repeat(np.arange(len(sites), dtype=np.int64), [len(f) for f in self.frames])

    # ----------------------------------------------------------------- shared
    def _combinations(
        self, extra: Sequence[npt.NDArray[np.bool_]] = ()
    ) -> tuple[npt.NDArray[np.intp], list[Any]]:
        """Per record the index of its combination, and per combination its memo key; ``extra`` bits
        (the last bits of the key) split the combinations further."""
        prefix, code = _combination(self.frame.result)
        for bit in extra:
            code = (code << 1) | bit.astype(np.int64)
        unique, first, inverse = np.unique(code, return_index=True, return_inverse=True)
        keys = []
        for u, i in zip(unique.tolist(), first.tolist(), strict=True):
            base = ("combination", prefix, u >> len(extra))
            if base not in self._memo:
                record = self.frame.result.record(i)
                self._memo[base] = {f: record[f] for f in _CATEGORICAL}
            keys.append((base, u & ((1 << len(extra)) - 1)))
        return inverse.reshape(-1), keys

    def _reasons(self) -> tuple[npt.NDArray[np.intp], list[list[dict[str, str]]]]:
        """The incomplete records and their reasons (as in the record)."""
        rows = np.flatnonzero(~self.frame.result.complete)
        reasons = self.frame.result.reasons
        return rows, [[dict(r) for r in reasons[i]] for i in rows.tolist()]

    def _cached(self, key: Any, make: Any) -> Any:
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    # ----------------------------------------------------------------- JSON
    def json_texts(self, lead: Sequence[tuple[str, Any]]) -> pa.Array:
        frame, res = self.frame, self.frame.result
        n = len(frame)
        names = list(res.iaqi)
        iaqi = _matrix(n, res.iaqi)
        conc_keys = list(frame.concentrations)
        conc = _matrix(n, frame.concentrations)
        has_iaqi, has_conc = np.isfinite(iaqi), np.isfinite(conc)
        n_iaqi, n_conc = _row_counts(has_iaqi), _row_counts(has_conc)
        flags = (
            frame.o3_from_daily_value if frame.o3_from_daily_value is not None else np.zeros(n, dtype=bool)
        )
        inverse, keys = self._combinations([n_iaqi == 0, n_conc == 0, flags])
        texts = [self._cached(("json", key), lambda key=key: self._json_pieces(key)) for key in keys]

        def categorical(piece: int, then: int | None = None) -> str | pa.Array:
            table = [t[piece] + ("[]" + t[then] if then is not None else "") for t in texts]
            return table[0] if len(set(table)) == 1 else take_texts(table, inverse)

        sites, site_of = self._sites()
        heads = []
        for site in sites:
            fixed = [
                *((k, field_text(v)) for k, v in lead),
                ("site", field_text(site)),
                ("kind", field_text(frame.kind)),
            ]
            head = ",".join(f"{FIELD_INDENT}{_key(k)}: {v}" for k, v in fixed)
            heads.append(f',\n  {{{head},{FIELD_INDENT}"time": "')
        pieces: list[str | pa.Array] = [
            heads[0] if site_of is None else take_texts(heads, site_of),
            self._times(),
        ]
        is_2026 = (res.rules == hj633.HJ633_2026).astype(np.int64)
        aqi = np.where(np.isfinite(res.aqi), res.aqi, -1).astype(np.int64)
        top = max(_TOP, int(aqi.max()) if n else 0)
        rules_aqi = self._cached(("rules+aqi", top), lambda: _rules_aqi_table(top))
        pieces.append(rules_aqi.take(arrow_numbers(is_2026 * (top + 2) + aqi + 1)))
        pieces.append(categorical(0))
        # The items of the objects: per present cell, row by row, its text with the comma before it
        # unless it is its row's first; a row's items are then one run of text.
        values = iaqi[has_iaqi].astype(np.int64)
        top_i = max(_TOP, int(values.max()) if values.size else 0)
        table = self._cached(("iaqi", tuple(names), top_i), lambda: _item_table(names, top_i))
        items = table.take(arrow_numbers(_cells(has_iaqi) * (top_i + 1) + values))
        pieces.append(grouped_texts(items, n_iaqi))
        rows, reasons = self._reasons()
        if rows.size:
            index = np.zeros(n, dtype=np.int64)
            index[rows] = np.arange(1, rows.size + 1)
            reason_texts = [
                self._cached(("reasons", _reasons_key(r)), lambda r=r: field_text(r)) for r in reasons
            ]
            pieces += [categorical(1), take_texts(["[]", *reason_texts], index), categorical(2)]
        else:  # the texts around the reasons in one piece
            pieces.append(categorical(1, 2))
        item_heads = tuple(f"{comma}{ITEM_INDENT}{_key(k)}: " for k in conc_keys for comma in ("", ","))
        items = float_texts(conc[has_conc], item_heads, _cells(has_conc))
        pieces.append(grouped_texts(items, n_conc))
        pieces.append(categorical(3))
        return join_texts(pieces)

    def _json_pieces(self, key: Any) -> tuple[str, str, str, str]:
        """The texts around the numbers of a combination: after the AQI up to the first IAQI, between
        the last IAQI and the reasons, between the reasons and the first concentration, and the end."""
        base, bits = key
        values = self._memo[base]
        no_iaqi, no_conc, o3_flag = bool(bits & 4), bool(bits & 2), bool(bits & 1)
        t = {f: field_text(values[f]) for f in _CATEGORICAL}
        before_iaqi = "".join(f",{FIELD_INDENT}{_key(f)}: {t[f]}" for f in _CATEGORICAL[1:7])
        before_iaqi += f',{FIELD_INDENT}"iaqi": {{' + ("}" if no_iaqi else "")
        after_iaqi = ("" if no_iaqi else f"{FIELD_INDENT}}}") + f',{FIELD_INDENT}"complete": {t["complete"]}'
        after_iaqi += f',{FIELD_INDENT}"incomplete_reasons": '
        method = self.frame.result.method
        after_reasons = "".join(f",{FIELD_INDENT}{_key(f)}: {t[f]}" for f in _CATEGORICAL[8:])
        if method is not None:
            after_reasons += f',{FIELD_INDENT}"hourly_method": {field_text(method)}'
        after_reasons += f',{FIELD_INDENT}"concentrations": {{' + ("}" if no_conc else "")
        end = ("" if no_conc else f"{FIELD_INDENT}}}") + (
            f',{FIELD_INDENT}"o3_from_daily_value": true' if o3_flag else ""
        )
        return before_iaqi, after_iaqi, after_reasons, end + "\n  }"

    def _times(self) -> pa.Array:
        """The ``time`` texts, taken from a table of the hours (days) of the grid built once."""
        import pyarrow as pa

        times = self.frame.times
        if not times.size:
            return pa.nulls(0, pa.string())
        unit = np.datetime_data(times.dtype)[0]
        ticks = times.astype(np.int64)
        lo, hi = int(ticks.min()), int(ticks.max())
        key = ("times", self.frame.kind, unit)
        cached = self._memo.get(key)
        if cached is None or lo < cached[0] or hi >= cached[0] + len(cached[1]):
            start = lo if cached is None else min(lo, cached[0])
            stop = hi + 1 if cached is None else max(hi + 1, cached[0] + len(cached[1]))
            stamps = np.arange(start, stop, dtype=np.int64).astype(times.dtype)
            frame = attrs.evolve(self.frame, times=stamps)
            texts = frame.time_texts().tolist()  # (a NumPy str array would make pyarrow import pandas)
            cached = self._memo[key] = (start, arrow_strings(texts))
        return cached[1].take(arrow_numbers(ticks - cached[0]))

    # ----------------------------------------------------------------- Parquet
    def arrow_table(self) -> pa.Table:
        import pyarrow as pa

        frame, res = self.frame, self.frame.result
        n = len(frame)
        schema = aqi_schema()
        inverse, keys = self._combinations()
        index = arrow_numbers(inverse)

        def categorical(field: str) -> pa.Array:
            values = [self._memo[base][field] for base, _ in keys]
            return arrow_values(values, schema.field(field).type).take(index)

        columns: dict[str, pa.Array] = {
            "site": self._site_column(),
            "kind": _constant(frame.kind, n),
            "time": self._times(),
            "aqi": _ints(res.aqi),
            "iaqi": _map(n, res.iaqi, schema.field("iaqi").type, integers=True),
            "incomplete_reasons": self._reasons_array(schema.field("incomplete_reasons").type),
            "hourly_method": _constant(res.method, n),
            "concentrations": _map(
                n, frame.concentrations, schema.field("concentrations").type, integers=False
            ),
        }
        columns.update({f: categorical(f) for f in _CATEGORICAL})
        flags = frame.o3_from_daily_value
        columns["o3_from_daily_value"] = (
            pa.nulls(n, pa.bool_()) if flags is None else arrow_numbers(flags, pa.bool_(), valid=flags)
        )
        return pa.Table.from_arrays([columns[f.name] for f in schema], schema=schema)

    def _site_column(self) -> pa.Array:
        sites, site_of = self._sites()
        if site_of is None:
            return _constant(sites[0], len(self))
        return arrow_strings(sites).take(arrow_numbers(site_of))

    def _reasons_array(self, kind: pa.DataType) -> pa.Array:
        import pyarrow as pa

        rows, reasons = self._reasons()
        counts = np.zeros(len(self.frame), dtype=np.int32)
        counts[rows] = [len(r) for r in reasons]
        offsets = np.concatenate([[0], np.cumsum(counts, dtype=np.int32)]).astype(np.int32)
        flat = [r for per_row in reasons for r in per_row]
        values = arrow_values(flat, kind.value_type)
        return pa.ListArray.from_arrays(arrow_numbers(offsets, pa.int32()), values, type=kind)


def _shape(frame: hj633.AQIFrame) -> tuple[Any, ...]:
    """What frames put side by side in one :class:`AQIBlock` have in common."""
    res = frame.result
    return (
        frame.kind,
        tuple(res.iaqi),
        tuple(res.lower_bounds),
        tuple(res.substituted),
        res.method,
        tuple(frame.concentrations),
        frame.o3_from_daily_value is None,
    )


def _side_by_side(frames: Sequence[hj633.AQIFrame]) -> hj633.AQIFrame:
    """One frame of the records of ``frames`` (of one :func:`_shape`), with the site of the first."""
    first = frames[0]
    if len(frames) == 1:
        return first
    if any(_shape(frame) != _shape(first) for frame in frames):
        raise ValueError("AQI frames of other pollutants, kinds or methods are not put side by side")
    flags = None if first.o3_from_daily_value is None else [f.o3_from_daily_value for f in frames]
    return hj633.AQIFrame(
        site=first.site,
        kind=first.kind,
        times=np.concatenate([f.times for f in frames]),
        result=_concatenated([f.result for f in frames]),
        concentrations={
            k: np.concatenate([f.concentrations[k] for f in frames]) for k in first.concentrations
        },
        o3_from_daily_value=None if flags is None else np.concatenate(flags),  # type: ignore[arg-type]
    )


def _concatenated(parts: Sequence[hj633.AQIResult]) -> hj633.AQIResult:
    """The elements of ``parts`` (of the same pollutants and method) one after the other."""

    def joined(get: Any) -> Any:
        return np.concatenate([get(part) for part in parts])

    first = parts[0]
    return hj633.AQIResult(
        aqi=joined(lambda r: r.aqi),
        level=joined(lambda r: r.level),
        iaqi={p: joined(lambda r, p=p: r.iaqi[p]) for p in first.iaqi},
        rules=joined(lambda r: r.rules),
        complete=joined(lambda r: r.complete),
        lower_bounds={p: joined(lambda r, p=p: r.lower_bounds[p]) for p in first.lower_bounds},
        substituted={k: joined(lambda r, k=k: r.substituted[k]) for k in first.substituted},
        reasons=tuple(why for part in parts for why in (part.reasons or ((),) * len(part))),
        method=first.method,
    )


def _key(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)


def _reasons_key(reasons: list[dict[str, str]]) -> tuple[Any, ...]:
    return tuple(tuple(r.items()) for r in reasons)


def _item_table(names: Sequence[str], top: int) -> pa.Array:
    """The texts of ``"name": i`` as an item of an object of a record, at (2k + c)·(top + 1) + i for the
    k-th name, c = 1 with the comma before it, and 0 ≤ i ≤ top."""

    numbers = [str(i) for i in range(top + 1)]
    heads = [f"{comma}{ITEM_INDENT}{_key(name)}: " for name in names for comma in ("", ",")]
    return arrow_strings([head + i for head in heads for i in numbers])


def _cells(present: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Of the present cells of (rows × columns), row by row: 2 × its column, + 1 unless the cell is the
    first present one of its row (the index of its item head: the comma before it or not). Column by
    column (few columns, many rows), and no selection when every cell is present."""
    rows, columns = present.shape
    code = np.zeros((rows, columns), dtype=np.int64)
    seen = np.zeros(rows, dtype=bool)  # a present cell left of this column
    for column in range(1, columns):
        seen |= present[:, column - 1]
        code[:, column] = seen
    code += np.arange(0, 2 * columns, 2, dtype=np.int64)
    return code.reshape(-1) if present.all() else code[present]


def _row_counts(present: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """The present cells of each row (column by column: faster than a sum along the short axis)."""
    counts = np.zeros(present.shape[0], dtype=np.int64)
    for column in present.T:
        counts += column
    return counts


def _rules_aqi_table(top: int) -> pa.Array:
    """The texts from the end of the time to the AQI, for edition e (0: 2012) and AQI a (−1: NA) at
    e·(top + 2) + a + 1."""

    texts = []
    for edition in _EDITIONS:
        head = f'",{FIELD_INDENT}"rules": {field_text(edition)},{FIELD_INDENT}"aqi": '
        texts += [head + "null"] + [head + str(a) for a in range(top + 1)]
    return arrow_strings(texts)


def _matrix(n: int, columns: Mapping[str, npt.NDArray[np.float64]]) -> npt.NDArray[np.float64]:
    """The columns side by side, (n × columns)."""
    if not columns:
        return np.zeros((n, 0))
    return np.column_stack([np.asarray(v, dtype=np.float64) for v in columns.values()])


def _combination(res: hj633.AQIResult) -> tuple[tuple[Any, ...], npt.NDArray[np.int64]]:
    """Per element a code of everything the categorical fields of its record depend on — its edition,
    level, primary and non-attainment pollutants, lower bounds, substitutions, completeness — and what
    the codes mean (the pollutants and keys of each bit, the method)."""
    is_2026 = res.rules == hj633.HJ633_2026
    unknown = ~is_2026 & (res.rules != hj633.HJ633_2012)
    if unknown.any():
        raise ValueError(f"unknown HJ 633 edition {res.rules[unknown][0]!r}")
    bits: list[npt.NDArray[np.bool_]] = [is_2026, res.complete]
    # AQIResult.primary_pollutants and .non_attainment of every element at once
    with np.errstate(invalid="ignore"):
        over = res.aqi > 50  # False where NaN
        bits += [over & (v == res.aqi) for v in res.iaqi.values()]
        bits += [~is_2026 & (v > 100) for v in res.iaqi.values()]
    bits += list(res.lower_bounds.values()) + list(res.substituted.values())
    code = res.level.astype(np.int64)
    for shift, bit in enumerate(bits, start=3):
        code |= bit.astype(np.int64) << shift
    prefix = (tuple(res.iaqi), tuple(res.lower_bounds), tuple(res.substituted), res.method)
    return prefix, code


def _constant(text: str | None, n: int) -> pa.Array:
    """``text`` in each of ``n`` rows (None: null)."""
    import pyarrow as pa

    if text is None:
        return pa.nulls(n, pa.string())
    return arrow_strings([text]).take(arrow_numbers(np.zeros(n, dtype=np.int64)))


def _ints(values: npt.NDArray[np.float64]) -> pa.Array:
    import pyarrow as pa

    finite = np.isfinite(values)
    return arrow_numbers(np.where(finite, values, 0), pa.int32(), valid=finite)


def _map(
    n: int, columns: Mapping[str, npt.NDArray[np.float64]], kind: pa.DataType, *, integers: bool
) -> pa.Array:
    """Per row (of ``n``) the map of the columns' keys to their finite values (in the columns' order)."""
    import pyarrow as pa

    names = list(columns)
    matrix = _matrix(n, columns)
    finite = np.isfinite(matrix)
    offsets = np.concatenate([[0], np.cumsum(finite.sum(axis=1), dtype=np.int64)]).astype(np.int32)
    which = np.broadcast_to(np.arange(len(names)), matrix.shape)[finite]
    keys = arrow_strings(names).take(arrow_numbers(which))
    values = matrix[finite]
    items = arrow_numbers(values, kind.item_type)
    return pa.MapArray.from_arrays(arrow_numbers(offsets, pa.int32()), keys, items, type=kind)

"""The reader of observations: docs/inputs.md long-format files into an :class:`ObservationSet`.

:func:`read_observations` reads CSV (UTF-8, UTF-8 with BOM, GB18030/GBK), XLSX, Parquet (a file or a
folder of them), pandas and polars DataFrames and pyarrow tables, working column by column: a UTF-8 CSV
is read by pyarrow in batches with its text columns dictionary-encoded at read time
(:mod:`envplan_core.data._arrow`; files that reader does not take go through pandas' C parser), and
everything that depends on a spelling (parameter alias, unit, time format) is worked out once per
unique spelling, remembered across batches; units are checked and converted once per (parameter, unit)
group, on whole columns. Numbers are cast by Arrow (or pandas' C parser); a column holding some text
(``<0.01``, ``ND``, a typo) falls back to ``pd.to_numeric(errors="coerce")`` plus one pass over its
unique non-numeric spellings. Python loops run over unique spellings and groups, and over problem rows
when there are any — never over the clean rows. :func:`iter_observation_batches` gives the same rows
batch by batch, for callers that aggregate as they read (``envplan air-stats`` on a year of a national
network). The container it returns, and its selection and statistics API, is
:mod:`envplan_core.data.observation_set` (re-exported here).

Conventions (docs/inputs.md (conventions))
-----------------------
* **Time.** Local China time, UTC+8, naive. A value with an offset (``2023-05-10T06:00Z``,
  ``…+08:00``) is converted to UTC+8. An hourly stamp is the start of its hour; with
  ``hour_end=True`` hour-ending stamps (``01:00`` … ``24:00``) are shifted back one hour. A day, month
  or year value (``2023-05-10``, ``2023-05``, ``2023``) is stamped at the start of its period and keeps
  its resolution in ``time_kind``.
* **Non-detects.** ``<0.01`` and ``0.01L`` (the HJ 630 way of writing "below 0.01") are non-detects with
  detection limit 0.01; ``ND``/``未检出`` take the row's ``detection_limit``; a number below the row's
  ``detection_limit`` is a non-detect too. ``value`` holds the detection limit and ``censored`` is set;
  :meth:`ObservationSet.stat_values` puts each at half the detection limit.
* **Duplicates.** Two rows with the same site, parameter and time (and time resolution) are a problem:
  the later row is reported naming the earlier one; with ``errors="report"`` the earlier row is kept.
* **Blank rows.** A row with every cell empty is not a record: it is skipped, row numbers still count it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.data._intake import RereadWithPandas, iter_tables
from envplan_core.data._tabular import (
    Coded,
    Column,
    ColumnSpec,
    LabelTable,
    ProblemLog,
    Source,
    Table,
    cell_text,
    check_errors_mode,
    factorize_text,
)
from envplan_core.data.observation_set import (
    HALF_DETECTION_LIMIT,
    NOTE_HOUR_START,
    TIME_DAY,
    TIME_INSTANT,
    TIME_MONTH,
    TIME_YEAR,
    ObservationSet,
    TimeLike,
)
from envplan_core.errors import UnitError
from envplan_core.parameters import Parameter, ParameterRegistry
from envplan_core.units import check_dimension, convert_array, format_unit, parse_unit

__all__ = [
    "COLUMNS",
    "HALF_DETECTION_LIMIT",
    "TIME_DAY",
    "TIME_INSTANT",
    "TIME_MONTH",
    "TIME_YEAR",
    "ObservationBatches",
    "ObservationChunk",
    "ObservationSet",
    "TimeLike",
    "iter_observation_batches",
    "read_observations",
]

COLUMNS = ColumnSpec(
    required=("site", "parameter", "time", "value", "unit"),
    optional=("detection_limit", "flag", "note"),
    aliases={
        **dict.fromkeys(
            ("点位", "断面", "站点", "监测点位", "监测断面", "station", "section", "point"), "site"
        ),
        **dict.fromkeys(
            ("指标", "项目", "参数", "监测项目", "污染物", "pollutant", "indicator"), "parameter"
        ),
        **dict.fromkeys(("时间", "日期", "监测时间", "采样时间", "监测日期", "date", "datetime"), "time"),
        **dict.fromkeys(("数值", "浓度", "监测值", "浓度值", "concentration", "result"), "value"),
        **dict.fromkeys(("单位", "units"), "unit"),
        **dict.fromkeys(("检出限", "dl", "lod", "detection_limits"), "detection_limit"),
        **dict.fromkeys(("标记", "标识", "flags"), "flag"),
        **dict.fromkeys(("备注", "notes", "remark", "remarks"), "note"),
    },
    numeric=frozenset({"value", "detection_limit"}),
)

_NOTE_HOUR_END = (
    "times are UTC+8 wall time; hour-ending stamps (01:00 … 24:00) were shifted back one hour to the "
    "start of their hour (24:00 on 05-10 is the hour 23:00–24:00 of 05-10), docs/inputs.md (conventions)"
)


def read_observations(
    source: Source | Sequence[Source],
    *,
    parameters: ParameterRegistry,
    name: str | None = None,
    errors: Literal["raise", "report"] = "raise",
    ignore_extra_columns: bool = False,
    hour_end: bool = False,
) -> ObservationSet:
    """Read observations in the docs/inputs.md long format.

    :param source: a CSV, XLSX or Parquet path, a folder of Parquet files, a pandas or polars DataFrame,
        a pyarrow Table, or a list of those (read as one set; duplicate records are looked for across all
        of them).
    :param parameters: the registry that resolves parameter spellings and gives canonical units/bounds.
    :param name: the file name used in messages (default: the path; ``"<DataFrame>"`` for a frame).
    :param errors: ``"raise"`` — collect every row problem, then raise one :class:`DataError` listing up
        to 20 (file, row, column, reason) with the total count, ``.problems`` holding all;
        ``"report"`` — leave bad rows out and list them in ``.issues``, one :class:`Issue` per row.
    :param ignore_extra_columns: skip unknown columns instead of raising.
    :param hour_end: hourly stamps label the end of their hour (``01:00`` … ``24:00``); shift them back.
    :returns: an :class:`ObservationSet`; rows read = ``len(result) + len(result.issues)``.
    """
    mode = check_errors_mode(errors)
    chunks: list[_Chunk] = []
    reading = ObservationBatches(
        source,
        parameters=parameters,
        name=name,
        ignore_extra_columns=ignore_extra_columns,
        hour_end=hour_end,
        keep_rows=True,
    )
    for chunk in reading:
        if chunk is None:  # the Arrow reader gave up on a source: everything is read again
            chunks.clear()
            continue
        chunks.append(chunk)
    log, known = reading.log, reading.known
    result = _assemble(chunks, log, known, note=_NOTE_HOUR_END if hour_end else NOTE_HOUR_START)
    if mode == "raise":
        log.raise_if_any("observations")
        return result
    return attrs.evolve(result, issues=tuple(log.row_issues()))


@attrs.define
class ObservationBatches:
    """The rows of ``source`` parsed batch by batch: iterate to get one :class:`_Chunk` per batch
    (``None`` when a source must be read again from the start: drop what was gathered and go on).

    Problems of every batch collect in :attr:`log` (one entry per batch table: ``chunk.table``; once the
    next batch is asked for, a batch keeps only the row numbers its problems need unless ``keep_rows``);
    spellings are resolved once in :attr:`memo` across batches. ``batch_bytes`` sizes the CSV batches
    (Arrow reader).
    """

    source: Source | Sequence[Source]
    parameters: ParameterRegistry
    name: str | None = None
    ignore_extra_columns: bool = False
    hour_end: bool = False
    keep_rows: bool = False
    batch_bytes: int | None = None
    log: ProblemLog = attrs.field(factory=ProblemLog)
    known: _Known = attrs.field(init=False)
    memo: _Memo = attrs.field(factory=lambda: _Memo())  # noqa: PLW0108 - _Memo is defined below
    on_table: Callable[[Table], None] | None = None

    def __attrs_post_init__(self) -> None:
        self.known = _Known(self.parameters)

    def __iter__(self) -> Iterator[_Chunk | None]:
        pandas_for: set[int] = set()
        while True:
            tables = iter_tables(
                self.source,
                spec=COLUMNS,
                name=self.name,
                ignore_extra_columns=self.ignore_extra_columns,
                pandas_for=pandas_for,
                batch_bytes=self.batch_bytes,
            )
            try:
                for table in tables:
                    if self.on_table is not None:
                        self.on_table(table)
                    index = self.log.add_table(table)
                    chunk = _parse_table(index, self.log, self.known, hour_end=self.hour_end, memo=self.memo)
                    yield chunk
                    if self.keep_rows:
                        self.log.tables[index] = attrs.evolve(self.log.tables[index], columns={})
                    else:
                        self.log.release(index)
            except RereadWithPandas as again:
                pandas_for.add(again.source)
                self.log = ProblemLog()
                self.known = _Known(self.parameters)
                self.memo = _Memo()
                yield None
                continue
            return


def iter_observation_batches(
    source: Source | Sequence[Source],
    *,
    parameters: ParameterRegistry,
    name: str | None = None,
    ignore_extra_columns: bool = False,
    hour_end: bool = False,
    batch_bytes: int | None = None,
) -> ObservationBatches:
    """The rows of ``source`` as parsed batches, for aggregating while reading in bounded memory.

    Every row of every batch is checked as :func:`read_observations` checks it; the problems collect in
    the returned object's ``log`` (``log.raise_if_any("observations")`` after the last batch). Duplicate
    records across batches are the caller's to find (the batches are not kept).
    """
    return ObservationBatches(
        source,
        parameters=parameters,
        name=name,
        ignore_extra_columns=ignore_extra_columns,
        hour_end=hour_end,
        batch_bytes=batch_bytes,
    )


@attrs.define
class _UnitAnswer:
    """What a (parameter, unit spelling) group needs: a factor, an offset conversion, or a reason."""

    factor: float = 1.0
    offset: bool = False
    reason: str = ""
    lower: float = -np.inf
    upper: float = np.inf


@attrs.define
class _TimeCache:
    """The parsed time spellings of one source-wide :class:`LabelTable`, grown with it."""

    hour_end: bool
    seconds: npt.NDArray[np.int64] = attrs.field(factory=lambda: np.zeros(0, dtype=np.int64))
    kind: npt.NDArray[np.int8] = attrs.field(factory=lambda: np.zeros(0, dtype=np.int8))
    bad: npt.NDArray[np.bool_] = attrs.field(factory=lambda: np.zeros(0, dtype=bool))
    reasons: list[str] = attrs.field(factory=list)
    key_codes: npt.NDArray[np.intp] = attrs.field(factory=lambda: np.zeros(0, dtype=np.intp))
    keys: npt.NDArray[np.int64] = attrs.field(factory=lambda: np.zeros(0, dtype=np.int64))
    _key_index: dict[int, int] = attrs.field(factory=dict)

    def extend(self, labels: Sequence[str], memo: _Memo) -> None:
        """Parse the spellings of ``labels`` not seen yet (``labels`` only grows)."""
        new = labels[len(self.reasons) :]
        if not new:
            return
        seconds, kind, reasons = _time_answers(list(new), hour_end=self.hour_end, memo=memo)
        self.seconds = np.concatenate([self.seconds, seconds])
        self.kind = np.concatenate([self.kind, kind])
        self.bad = np.concatenate([self.bad, np.asarray([bool(r) for r in reasons], dtype=bool)])
        self.reasons.extend(reasons)
        # One code per instant and resolution (2023-05-10T14:00 and 2023-05-10 14:00:00 are one).
        index = self._key_index
        codes = [index.setdefault(k, len(index)) for k in (seconds * 4 + kind).tolist()]
        self.key_codes = np.concatenate([self.key_codes, np.asarray(codes, dtype=np.intp)])
        self.keys = np.fromiter(index, dtype=np.int64, count=len(index))


@attrs.define
class _Memo:
    """Per-spelling answers kept across the batches (and sources) of one read."""

    params: dict[str, int] = attrs.field(factory=dict)  # parameter spelling -> global code (-1 unknown)
    times: dict[tuple[str, bool], tuple[int, int, str]] = attrs.field(factory=dict)
    units: dict[tuple[int, str], _UnitAnswer] = attrs.field(factory=dict)
    _time_caches: dict[int, tuple[LabelTable, _TimeCache]] = attrs.field(factory=dict)

    def time_cache(self, table: LabelTable, hour_end: bool) -> _TimeCache:
        entry = self._time_caches.get(id(table))
        if entry is None or entry[0] is not table or entry[1].hour_end != hour_end:
            entry = self._time_caches[id(table)] = (table, _TimeCache(hour_end))
        return entry[1]


@attrs.define
class _Known:
    """Parameters met so far across sources: one global code per canonical id."""

    registry: ParameterRegistry
    params: list[Parameter] = attrs.field(factory=list)
    index: dict[str, int] = attrs.field(factory=dict)

    def code(self, parameter: Parameter) -> int:
        if parameter.id not in self.index:
            self.index[parameter.id] = len(self.params)
            self.params.append(parameter)
        return self.index[parameter.id]


@attrs.define
class _Chunk:
    """One source parsed column-wise; rows with a logged problem are excluded when assembling.

    Per-row arrays hold codes into small per-source tables, so merging sources and the final compaction
    are table operations plus one gather per column.
    """

    table: int
    site: npt.NDArray[np.intp]  # code into site_labels (sorted, unique)
    site_labels: list[str]
    pspell: npt.NDArray[np.intp]  # code into the source's parameter spellings
    param_of_spelling: npt.NDArray[np.int64]  # spelling -> global parameter code (-1: unresolved)
    time: npt.NDArray[np.int64]  # seconds since epoch, UTC+8 wall time
    time_kind: npt.NDArray[np.int8]
    time_code: npt.NDArray[np.intp]  # code into time_keys (seconds * 4 + kind): for duplicate search
    time_keys: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    censored: npt.NDArray[np.bool_]
    detection_limit: npt.NDArray[np.float64]
    flag: npt.NDArray[np.object_] | None


_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_BELOW = re.compile(rf"^(?:[<＜]|&lt;)\s*({_NUMBER})$")
# HJ 630-2011 / 82号: a result below the detection limit is reported as the limit followed by "L".
_L_SUFFIX = re.compile(rf"^({_NUMBER})\s*[Ll]$")
_NOT_DETECTED = {"nd", "n.d.", "n.d", "未检出", "<dl", "<lod", "bdl", "低于检出限"}
_TIME = re.compile(
    r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$"
)
#: Years a monitoring time may have (settable by assigning the module attributes before reading).
MIN_YEAR, MAX_YEAR = 1970, 2100
#: No measurement in any unit envplan reads comes near this; beyond it a value is a typo, and sums of
#: such values overflow float64 silently (1e308 + 1e308 = inf).
MAX_MAGNITUDE = 1e15
_TIME_HELP = "expected ISO 8601: 2023-05-10T14:00 (optionally +08:00), 2023-05-10, 2023-05 or 2023"


def _parse_table(
    index: int, log: ProblemLog, known: _Known, *, hour_end: bool, memo: _Memo | None = None
) -> _Chunk:
    table = log.tables[index]
    cols = table.columns
    site, site_labels = factorize_text(cols["site"])
    pspell, pspell_labels = factorize_text(cols["parameter"])
    unit, unit_labels = factorize_text(cols["unit"])
    time_raw = cols["time"]
    time_is_datetime = time_raw.dtype.kind == "M"
    time_dt: npt.NDArray[Any] = time_raw if isinstance(time_raw, np.ndarray) else np.zeros(0, "datetime64[s]")
    tspell, tspell_labels = (np.zeros(0, np.intp), []) if time_is_datetime else factorize_text(time_raw)
    optional = {c: factorize_text(cols[c]) for c in ("flag", "note") if c in cols}
    value_raw = _numeric_column(cols["value"])
    dl_col = cols.get("detection_limit")
    dl_raw = None if dl_col is None else _numeric_column(dl_col)

    # Blank rows (every cell empty) are not records; drop them before anything is reported. Only
    # possible when every text column has an empty cell, so the clean path skips the row masks.
    texts = [(site, site_labels), (pspell, pspell_labels), (unit, unit_labels), *optional.values()]
    if not time_is_datetime:
        texts.append((tspell, tspell_labels))
    if all("" in labels for _, labels in texts) and (not time_is_datetime or np.isnat(time_dt).any()):
        blank = np.isnat(time_dt) if time_is_datetime else np.ones(len(table), dtype=bool)
        for codes, labels in texts:
            blank &= _is_empty(codes, labels)
        if blank.any():
            blank &= _raw_empty(value_raw, blank)
            if dl_raw is not None:
                blank &= _raw_empty(dl_raw, blank)
        if blank.any():
            keep = ~blank
            site, pspell, unit = site[keep], pspell[keep], unit[keep]
            tspell = tspell if time_is_datetime else tspell[keep]
            optional = {c: (codes[keep], labels) for c, (codes, labels) in optional.items()}
            time_raw, value_raw = time_raw[keep], value_raw[keep]
            time_dt = time_dt[keep] if time_is_datetime else time_dt
            dl_raw = None if dl_raw is None else dl_raw[keep]
            table = attrs.evolve(table, columns={}, rows=table.rows[keep])
            log.tables[index] = table
    n = len(table)
    memo = memo if memo is not None else _Memo()

    # Site: an empty cell is the only problem a name can have.
    _empty_problem(log, index, site, site_labels, table.header("site"))

    # Parameter: resolved once per unique spelling.
    param_of_spelling = np.full(len(pspell_labels), -1, dtype=np.int64)
    reasons: list[str] = []
    for k, label in enumerate(pspell_labels):
        code = memo.params.get(label)
        if code is None:
            param = known.registry.resolve(label) if label else None
            code = memo.params[label] = -1 if param is None else known.code(param)
        param_of_spelling[k] = code
        reasons.append("empty required cell" if not label else f"unknown parameter {label!r}")
    _label_problems(log, index, pspell, param_of_spelling < 0, reasons, table.header("parameter"))

    # Time: parsed once per unique spelling.
    if time_is_datetime:
        seconds = time_dt.astype("datetime64[s]").astype(np.int64)
        kind = np.zeros(n, dtype=np.int8)
        nat = np.isnat(time_dt)
        log.add(index, nat, table.header("time"), "empty required cell")
        years = time_dt.astype("datetime64[Y]").astype(np.int64) + 1970
        era = ~nat & ((years < MIN_YEAR) | (years > MAX_YEAR))
        log.add(index, era, table.header("time"), f"year outside {MIN_YEAR}-{MAX_YEAR}, not a date of monitoring")
        if hour_end:
            seconds -= 3600
        time_code, time_keys = _dense(np.where(nat, 0, seconds) * 4)
    elif isinstance(time_raw, Coded) and time_raw.table is not None:
        # A batch of a source read in batches: every spelling of the source was parsed once.
        cache = memo.time_cache(time_raw.table, hour_end)
        cache.extend(tspell_labels, memo)
        seconds, kind = cache.seconds[tspell], cache.kind[tspell]
        _label_problems(log, index, tspell, cache.bad, cache.reasons, table.header("time"))
        time_keys, time_code = cache.keys, cache.key_codes[tspell]
    else:
        lab_seconds, lab_kind, lab_reason = _time_answers(tspell_labels, hour_end=hour_end, memo=memo)
        seconds, kind = lab_seconds[tspell], lab_kind[tspell]
        bad_label = np.asarray([bool(r) for r in lab_reason], dtype=bool)
        _label_problems(log, index, tspell, bad_label, lab_reason, table.header("time"))
        time_keys = lab_seconds * 4 + lab_kind
        if np.unique(time_keys).size == time_keys.size:
            time_code = tspell  # each spelling is its own instant: the spelling code serves
        else:  # e.g. 2023-05-10T14:00 and 2023-05-10 14:00:00 in one file: one instant, one code
            time_keys, label_code = np.unique(time_keys, return_inverse=True)
            time_code = label_code.astype(np.intp).ravel()[tspell]

    # Value and detection limit.
    value, censored, dl = _parse_values(log, index, table, value_raw, dl_raw)

    # Units: checked and converted once per (parameter, unit) group; bounds checked after conversion.
    _convert_units(
        log,
        index,
        table,
        known,
        pspell,
        param_of_spelling,
        unit,
        unit_labels,
        value,
        dl,
        # "<0.04" sets a detection limit even without a detection_limit column
        has_dl=dl_raw is not None or bool(censored.any()),
        memo=memo,
    )

    flags = None
    if "flag" in optional:
        codes, labels = optional["flag"]
        flags = np.asarray(labels, dtype=object)[codes]
    return _Chunk(
        table=index,
        site=site,
        site_labels=site_labels,
        pspell=pspell,
        param_of_spelling=param_of_spelling,
        time=seconds,
        time_kind=kind,
        time_code=time_code,
        time_keys=time_keys,
        value=value,
        censored=censored,
        detection_limit=dl,
        flag=flags,
    )


#: One parsed batch (public name of the private class, for typing).
ObservationChunk = _Chunk


def _numeric_column(column: Column) -> npt.NDArray[Any]:
    """A numeric column as an array (the readers never code one; text would be its spellings)."""
    return column.to_objects() if isinstance(column, Coded) else column


def _is_empty(codes: npt.NDArray[np.intp], labels: list[str]) -> npt.NDArray[np.bool_]:
    return np.asarray([not label for label in labels], dtype=bool)[codes]


def _raw_empty(raw: npt.NDArray[Any], where: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Empty cells of a numeric column, looked at only where ``where`` is set (blank-row candidates)."""
    out = np.zeros(raw.shape[0], dtype=bool)
    positions = np.flatnonzero(where)
    out[positions] = [not cell_text(v).strip() for v in raw[positions].tolist()]
    return out


def _empty_problem(
    log: ProblemLog, index: int, codes: npt.NDArray[np.intp], labels: list[str], column: str
) -> None:
    bad = np.asarray([not label for label in labels], dtype=bool)
    _label_problems(log, index, codes, bad, ["empty required cell"] * len(labels), column)


def _label_problems(  # noqa: PLR0917 - private helper, called positionally in one pattern
    log: ProblemLog,
    index: int,
    codes: npt.NDArray[np.intp],
    bad_label: npt.NDArray[np.bool_],
    reasons: Sequence[str],
    column: str,
    *,
    base: npt.NDArray[np.intp] | None = None,
) -> None:
    """Log rows whose spelling (code) is bad, with that spelling's reason.

    ``base`` maps positions in ``codes`` to table positions when ``codes`` covers a subset of rows.
    """
    if not bad_label.any():
        return
    positions = np.flatnonzero(bad_label[codes])
    if positions.size:
        reason_of = np.asarray(reasons, dtype=object)
        log.add(
            index,
            positions if base is None else base[positions],
            column,
            reason_of[codes[positions]].tolist(),
        )


def _dense(keys: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64]]:
    uniques, codes = np.unique(keys, return_inverse=True)
    return codes.astype(np.intp).ravel(), np.asarray(uniques, dtype=np.int64)


def _time_answers(
    labels: list[str], *, hour_end: bool, memo: _Memo
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int8], list[str]]:
    """:func:`_parse_time_labels` of ``labels``, each spelling parsed once per read (``memo``)."""
    known = memo.times
    new = [label for label in labels if (label, hour_end) not in known]
    if new:
        seconds, kind, reasons = _parse_time_labels(new, hour_end=hour_end)
        for label, sec, knd, reason in zip(new, seconds.tolist(), kind.tolist(), reasons, strict=True):
            known[label, hour_end] = (sec, knd, reason)
    answers = [known[label, hour_end] for label in labels]
    seconds_out = np.fromiter((a[0] for a in answers), dtype=np.int64, count=len(answers))
    kind_out = np.fromiter((a[1] for a in answers), dtype=np.int8, count=len(answers))
    return seconds_out, kind_out, [a[2] for a in answers]


def _days_from_civil(year: npt.NDArray[np.int64], month: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Days since 1970-01-01 of the first day of each (year, month), proleptic Gregorian (month 1–12)."""
    months = (year - 1970) * 12 + (month - 1)
    return months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _parse_time_labels(
    labels: list[str], *, hour_end: bool
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int8], list[str]]:
    """Seconds (UTC+8 wall time), kind and a reason ('' when fine) for each unique time spelling.

    One regular-expression match per spelling, then numpy over the parts: a date is valid when its month
    is 1–12 and its day exists in that month (any four-digit year; the era check follows).
    """
    m = len(labels)
    groups: list[tuple[str | None, ...]] = []
    matched = np.zeros(m, dtype=bool)
    for k, label in enumerate(labels):
        found = _TIME.match(label)
        if found is None:
            groups.append((None,) * 7)
        else:
            matched[k] = True
            groups.append(found.groups())

    def number(k: int) -> npt.NDArray[np.float64]:
        return np.asarray([float(g[k] or "nan") for g in groups], dtype=np.float64)

    year, month, day, hour, minute, second = (number(k) for k in range(6))
    kind = np.where(
        np.isnan(month),
        TIME_YEAR,
        np.where(np.isnan(day), TIME_MONTH, np.where(np.isnan(hour), TIME_DAY, TIME_INSTANT)),
    )
    hour0, minute0, second0 = (np.nan_to_num(a) for a in (hour, minute, second))
    is24 = (hour0 == 24) & (minute0 == 0) & (second0 == 0)
    in_range = (hour0 <= 23) & (minute0 <= 59) & (second0 <= 59)
    y = np.where(matched, np.nan_to_num(year, nan=2000.0), 2000.0).astype(np.int64)
    mo = np.nan_to_num(month, nan=1.0).astype(np.int64)
    d = np.nan_to_num(day, nan=1.0).astype(np.int64)
    month_ok = (mo >= 1) & (mo <= 12)
    first = _days_from_civil(y, np.where(month_ok, mo, 1))
    length = _days_from_civil(y + (mo == 12), np.where(month_ok, mo % 12 + 1, 2)) - first
    valid_date = matched & month_ok & (d >= 1) & (d <= length)
    days = np.where(valid_date, (first + d - 1) * 86400, 0)
    seconds = days + np.where(is24, 86400, hour0 * 3600 + minute0 * 60 + second0).astype(np.int64)
    offsets = [g[6] or "" for g in groups]
    bad_offset = np.zeros(m, dtype=bool)
    if any(offsets):  # explicit offsets: to UTC, then to UTC+8 wall time (docs/inputs.md (conventions))
        east = [_offset_seconds(o) if o else 8 * 3600 for o in offsets]
        bad_offset = np.asarray([e is None for e in east], dtype=bool)
        utc = np.asarray([8 * 3600 if e is None else e for e in east], dtype=np.int64)
        seconds = seconds - utc + 8 * 3600
    # Monitoring happens in a plausible era: 0001-01-01 or 9999-12-31 is a typo, and would make an
    # hourly grid of ten thousand years.
    out_of_era = valid_date & ((year < MIN_YEAR) | (year > MAX_YEAR))
    if hour_end:
        seconds = seconds - np.where(kind == TIME_INSTANT, 3600, 0)
    reasons = [""] * m
    for k in np.flatnonzero(
        ~valid_date | ~(in_range | is24) | (is24 & (not hour_end)) | bad_offset | out_of_era
    ).tolist():
        label = labels[k]
        if not label:
            reasons[k] = "empty required cell"
        elif bad_offset[k]:
            reasons[k] = f"time {label!r}: UTC offset outside -12:00..+14:00"
        elif out_of_era[k]:
            reasons[k] = f"time {label!r}: year outside {MIN_YEAR}-{MAX_YEAR}, not a date of monitoring"
        elif matched[k] and is24[k] and valid_date[k]:
            reasons[k] = (
                f"time {label!r} labels the end of an hour: read with hour_end=True "
                "(hour-ending stamps are shifted back one hour)"
            )
        else:
            reasons[k] = f"malformed time {label!r} ({_TIME_HELP})"
    return seconds.astype(np.int64), kind.astype(np.int8), reasons


def _offset_seconds(text: str) -> int | None:
    """``Z``, ``+08:00``, ``+0800``, ``-05`` as seconds east of UTC; None outside the world's offsets
    (-12:00 … +14:00, minutes below 60): ``-99:00`` would move a sample days away."""
    if text == "Z":
        return 0
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    east = sign * (hours * 3600 + minutes * 60)
    if minutes >= 60 or not -12 * 3600 <= east <= 14 * 3600:
        return None
    return east


def _parse_values(
    log: ProblemLog, index: int, table: Table, raw: npt.NDArray[Any], dl_raw: npt.NDArray[Any] | None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
    n = len(table)
    column = table.header("value")
    censored = np.zeros(n, dtype=bool)
    dl = np.full(n, np.nan)
    if dl_raw is not None:
        dl = _parse_detection_limits(log, index, table, dl_raw)
    if raw.dtype.kind in "iuf":
        # Converted in place later: a copy unless the reader owns a writable array already.
        value = raw.astype(np.float64, copy=not raw.flags.writeable)
    else:
        import pandas as pd

        value = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(np.float64, copy=True)
    missing = np.isnan(value)
    if missing.any():
        positions = np.flatnonzero(missing)
        if raw.dtype.kind in "iuf":
            log.add(index, positions, column, "empty required cell")
        else:
            codes, labels = factorize_text(raw[positions])
            kind = np.zeros(len(labels), dtype=np.int8)  # 0 bad, 1 below-limit number, 2 not detected
            number = np.full(len(labels), np.nan)
            reasons = []
            for k, label in enumerate(labels):
                reason = ""
                below = _BELOW.match(label) or _L_SUFFIX.match(label)
                if not label:
                    reason = "empty required cell"
                elif below is not None:
                    number[k] = float(below.group(1))
                    kind[k] = 1
                    if not number[k] > 0:
                        kind[k], reason = 0, f"detection limit in {label!r} must be positive"
                elif label.casefold() in _NOT_DETECTED:
                    kind[k] = 2
                else:
                    reason = f"non-numeric value {label!r} (write a number, <DL such as <0.01, or ND)"
                reasons.append(reason)
            row_kind = kind[codes]
            _label_problems(log, index, codes, kind == 0, reasons, column, base=positions)
            lt = positions[row_kind == 1]
            value[lt] = number[codes[row_kind == 1]]
            dl[lt] = value[lt]
            censored[lt] = True
            nd = positions[row_kind == 2]
            no_limit = nd[~(dl[nd] > 0)]
            log.add(
                index,
                no_limit,
                column,
                "'ND' (not detected) needs a detection limit: add a detection_limit column or write <DL "
                "(e.g. <0.01)",
            )
            value[nd] = dl[nd]
            censored[nd] = True
    if not np.isfinite(value.max(initial=0.0)) or not np.isfinite(value.min(initial=0.0)):
        infinite = np.isinf(value)
        if infinite.any():
            log.add(index, infinite, column, "value is not a finite number")
    with np.errstate(invalid="ignore"):
        huge = np.abs(value) > MAX_MAGNITUDE
    if huge.any():
        log.add(
            index,
            huge & np.isfinite(value),
            column,
            f"value beyond {MAX_MAGNITUDE:g} in any unit: not a measurement (a typo, or an overflow waiting to happen)",
        )
    if dl_raw is not None:
        # A number below the row's detection limit is a non-detect too (82号 point 7 counts it at DL/2).
        with np.errstate(invalid="ignore"):
            below_dl = ~censored & (value < dl)
        if below_dl.any():
            value[below_dl] = dl[below_dl]
            censored |= below_dl
    return value, censored, dl


def _parse_detection_limits(
    log: ProblemLog, index: int, table: Table, raw: npt.NDArray[Any]
) -> npt.NDArray[np.float64]:
    column = table.header("detection_limit")
    if raw.dtype.kind in "iuf":
        dl = raw.astype(np.float64)
    else:
        import pandas as pd

        dl = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(np.float64, copy=True)
        missing = np.flatnonzero(np.isnan(dl))
        if missing.size:
            text = np.asarray([cell_text(v).strip() for v in raw[missing].tolist()], dtype=object)
            bad = missing[text != ""]
            log.add(
                index,
                bad,
                column,
                [f"non-numeric detection limit {cell_text(v).strip()!r}" for v in raw[bad].tolist()],
            )
    not_positive = ~np.isnan(dl) & ~(dl > 0)
    not_positive |= np.isinf(dl)
    if not_positive.any():
        log.add(index, not_positive, column, "detection limit must be a positive finite number")
        dl[not_positive] = np.nan
    return dl


def _convert_units(  # noqa: PLR0917 - private helper; the arrays it converts in place
    log: ProblemLog,
    index: int,
    table: Table,
    known: _Known,
    pspell: npt.NDArray[np.intp],
    param_of_spelling: npt.NDArray[np.int64],
    unit: npt.NDArray[np.intp],
    unit_labels: list[str],
    value: npt.NDArray[np.float64],
    dl: npt.NDArray[np.float64],
    *,
    has_dl: bool,
    memo: _Memo,
) -> None:
    """Check and convert units in place, once per (parameter spelling, unit) group; then the bounds.

    Every per-group answer (factor, failure, bounds) is a small table indexed by the row's group code.
    """
    n_units = max(len(unit_labels), 1)
    pair = pspell * n_units + unit  # group code per row
    n_pairs = max(len(param_of_spelling), 1) * n_units
    present = np.flatnonzero(np.bincount(pair, minlength=n_pairs))
    factor = np.ones(n_pairs)
    usable = np.zeros(n_pairs, dtype=bool)  # resolved parameter and a unit that fits it
    lower = np.full(n_pairs, -np.inf)
    upper = np.full(n_pairs, np.inf)
    param_of_pair = np.full(n_pairs, -1, dtype=np.int64)
    offset_groups: list[int] = []
    reasons: dict[int, str] = {}
    for group in present.tolist():
        code = int(param_of_spelling[group // n_units])
        if code < 0:
            continue  # unknown parameter: reported already, nothing to check the unit against
        param_of_pair[group] = code
        label = unit_labels[group % n_units] if unit_labels else ""
        answer = memo.units.get((code, label))
        if answer is None:
            answer = memo.units[code, label] = _unit_answer(known.params[code], label)
        if answer.reason:
            reasons[group] = answer.reason
            continue
        usable[group] = True
        lower[group], upper[group] = answer.lower, answer.upper
        if answer.offset:
            offset_groups.append(group)
        else:
            factor[group] = answer.factor
    if reasons:
        failed = np.zeros(n_pairs, dtype=bool)
        failed[list(reasons)] = True
        bad = np.flatnonzero(failed[pair])
        log.add(index, bad, table.header("unit"), [reasons[g] for g in pair[bad].tolist()])
    if (factor[present] != 1.0).any():
        scale = factor[pair]
        value *= scale
        if has_dl:
            dl *= scale
    for group in offset_groups:  # °C and the like: convert the group as a whole
        rows = pair == group
        param, label = known.params[int(param_of_pair[group])], unit_labels[group % n_units]
        value[rows] = convert_array(value[rows], label, param.unit)
        dl[rows] = convert_array(dl[rows], label, param.unit)

    # Bounds, in the canonical unit (Parameter.lower_bound / upper_bound). One min/max pass settles the
    # common case where no value is near a bound.
    live = present[usable[present]]
    if live.size == 0:
        return
    with np.errstate(invalid="ignore"):
        smallest, largest = np.nanmin(value, initial=np.inf), np.nanmax(value, initial=-np.inf)
        if smallest >= lower[live].max() and largest <= upper[live].min():
            return
        too_low = value < lower[pair]
        too_high = value > upper[pair]
    column = table.header("value")
    checks = ((too_low, "below the lower bound", lower), (too_high, "above the upper bound", upper))
    for mask, word, bound in checks:
        positions = np.flatnonzero(mask)
        if positions.size:
            groups = pair[positions]
            log.add(
                index,
                positions,
                column,
                [
                    f"value {_with_unit(v, known.params[c].unit)} for {known.params[c].id} is {word} "
                    f"{_with_unit(float(b), known.params[c].unit)}"
                    for v, c, b in zip(
                        value[positions].tolist(),
                        param_of_pair[groups].tolist(),
                        bound[groups].tolist(),
                        strict=True,
                    )
                ],
            )


def _unit_answer(param: Parameter, label: str) -> _UnitAnswer:
    """Whether ``label`` can express ``param`` and how: a factor, an offset conversion, or the reason."""
    try:
        if not label and not parse_unit(param.unit).dimensionless:
            raise UnitError(f"empty required cell: {param.id} needs a unit such as {format_unit(param.unit)!r}")
        check_dimension(label, param.unit, parameter=param.id)
        probe = convert_array(np.array([0.0, 1.0]), label, param.unit)
    except UnitError as exc:
        text = str(exc)
        return _UnitAnswer(reason=text if param.id in text else f"{text} (parameter {param.id})")
    return _UnitAnswer(
        factor=float(probe[1]) if probe[0] == 0.0 else 1.0,
        offset=bool(probe[0] != 0.0),
        lower=-np.inf if param.lower_bound is None else param.lower_bound,
        upper=np.inf if param.upper_bound is None else param.upper_bound,
    )


def _with_unit(number: float, unit: str) -> str:
    shown = format_unit(unit)
    return f"{number:g} {shown}" if shown else f"{number:g}"


def _assemble(chunks: list[_Chunk], log: ProblemLog, known: _Known, *, note: str) -> ObservationSet:
    """Merge the sources' code tables, find duplicate records across all of them, keep the good rows."""
    if not chunks:
        return ObservationSet.empty(note=note)
    sizes = [c.site.shape[0] for c in chunks]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)

    # Global code tables; per row only one gather per column (none when a table is the identity).
    site_names = np.unique(np.asarray([s for c in chunks for s in c.site_labels], dtype=object))
    site = _cat(
        [
            _through(np.searchsorted(site_names, np.asarray(c.site_labels, dtype=object)), c.site)
            for c in chunks
        ]
    )
    time_keys = np.unique(np.concatenate([c.time_keys for c in chunks]))
    time_code = _cat([_through(np.searchsorted(time_keys, c.time_keys), c.time_code) for c in chunks])
    parameter = _cat([c.param_of_spelling[c.pspell] for c in chunks])
    bad = _cat([log.bad_mask(c.table, size) for c, size in zip(chunks, sizes, strict=True)])
    any_bad = bool(bad.any())

    # Duplicate records among otherwise good rows: same site, parameter, time and time resolution.
    good = np.flatnonzero(~bad) if any_bad else None
    n_sites, n_params, n_times = max(site_names.size, 1), max(len(known.params), 1), max(time_keys.size, 1)
    key = np.multiply(site if good is None else site[good], n_params, dtype=np.int64)
    key += parameter if good is None else parameter[good]
    key *= n_times
    key += time_code if good is None else time_code[good]
    space = n_sites * n_params * n_times
    in_dup_group: npt.NDArray[np.bool_] | None = None
    if space <= max(8 * key.size, 1 << 22):
        counts = np.bincount(key, minlength=space)  # dense key space: no sort, no hash
        if key.size and counts.max() > 1:
            in_dup_group = counts[key] > 1
    elif space < 2**62:
        import pandas as pd

        dup = pd.Series(key).duplicated(keep=False).to_numpy()
        in_dup_group = dup if dup.any() else None
    else:  # pragma: no cover - needs > 2**62 combinations
        import pandas as pd

        frame = pd.DataFrame({"s": site, "p": parameter, "t": time_code})
        dup = frame.iloc[good if good is not None else slice(None)].duplicated(keep=False).to_numpy()
        in_dup_group = dup if dup.any() else None
    if in_dup_group is not None:
        _report_duplicates(
            chunks, log, offsets, np.arange(key.size) if good is None else good, key, in_dup_group, bad
        )
        any_bad = True

    keep = ~bad if any_bad else None

    def kept(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return array if keep is None else array[keep]

    site_k, param_k = kept(site), kept(parameter)
    used_sites = np.flatnonzero(np.bincount(site_k, minlength=site_names.size))
    used_params = np.flatnonzero(np.bincount(param_k, minlength=len(known.params)))
    ids = [known.params[q].id for q in used_params.tolist()]
    order = sorted(range(len(ids)), key=ids.__getitem__)
    param_remap = np.zeros(max(len(known.params), 1), dtype=np.int16)
    param_remap[used_params[order]] = np.arange(len(order), dtype=np.int16)
    if used_sites.size == site_names.size:
        site_final = site_k.astype(np.int32)
    else:
        site_remap = np.zeros(max(site_names.size, 1), dtype=np.int32)
        site_remap[used_sites] = np.arange(used_sites.size, dtype=np.int32)
        site_final = site_remap[site_k]

    # One file entry per source (a file read in batches is one file; each sheet of a workbook is one).
    file_index: dict[tuple[int, str], int] = {}
    for c in chunks:
        file_index.setdefault((log.tables[c.table].source, log.tables[c.table].name), len(file_index))
    file_of_chunk = [file_index[log.tables[c.table].source, log.tables[c.table].name] for c in chunks]
    files = _cat([np.full(size, f, dtype=np.int16) for f, size in zip(file_of_chunk, sizes, strict=True)])
    flag = None
    if any(c.flag is not None for c in chunks):
        flag = kept(
            _cat(
                [
                    c.flag if c.flag is not None else np.full(size, "", dtype=object)
                    for c, size in zip(chunks, sizes, strict=True)
                ]
            )
        )
    return ObservationSet(
        site=site_final,
        parameter=param_remap[param_k],
        time=kept(_cat([c.time for c in chunks])).view("datetime64[s]"),
        time_kind=kept(_cat([c.time_kind for c in chunks])),
        value=kept(_cat([c.value for c in chunks])),
        censored=kept(_cat([c.censored for c in chunks])),
        detection_limit=kept(_cat([c.detection_limit for c in chunks])),
        file=kept(files),
        row=kept(_cat([log.tables[c.table].rows for c in chunks])),
        sites=tuple(str(site_names[i]) for i in used_sites.tolist()),
        parameters=tuple(ids[i] for i in order),
        files=tuple(name for _, name in file_index),
        flag=flag,
        note=note,
    )


def _cat(arrays: list[npt.NDArray[Any]]) -> npt.NDArray[Any]:
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


def _through(table: npt.NDArray[np.intp], codes: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """``table[codes]``, skipping the gather when ``table`` is the identity."""
    if table.size and np.array_equal(table, np.arange(table.size)):
        return codes
    return table.astype(np.intp)[codes] if table.size else codes


def _report_duplicates(  # noqa: PLR0917 - private helper of _assemble
    chunks: list[_Chunk],
    log: ProblemLog,
    offsets: npt.NDArray[np.intp],
    rows: npt.NDArray[np.intp],
    key: npt.NDArray[np.int64],
    in_dup_group: npt.NDArray[np.bool_],
    bad: npt.NDArray[np.bool_],
) -> None:
    """Log every later row of a duplicate group, naming the group's first row; mark them bad."""
    members = rows[in_dup_group]
    member_keys = key[in_dup_group]
    order = np.argsort(member_keys, kind="stable")  # stable: the first in file order comes first
    members, member_keys = members[order], member_keys[order]
    starts = np.r_[True, member_keys[1:] != member_keys[:-1]]
    first = members[np.flatnonzero(starts)[np.cumsum(starts) - 1]]
    later, first = members[~starts], first[~starts]
    chunk_of_later = np.searchsorted(offsets, later, side="right") - 1
    chunk_of_first = np.searchsorted(offsets, first, side="right") - 1
    for c in np.unique(chunk_of_later).tolist():
        pick = chunk_of_later == c
        where = []
        for fc, fp in zip(chunk_of_first[pick].tolist(), first[pick].tolist(), strict=True):
            table = log.tables[chunks[fc].table]
            where.append(f"{table.name}:{table.rows[fp - offsets[fc]]}")
        table = log.tables[chunks[c].table]
        log.add(
            chunks[c].table,
            later[pick] - offsets[c],
            table.header("time"),
            [f"duplicate record: same site, parameter and time as {w}" for w in where],
        )
    bad[later] = True

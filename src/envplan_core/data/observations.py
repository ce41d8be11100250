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

Where the reader's code is
--------------------------
This module holds the entry points (:func:`read_observations`, :class:`ObservationBatches`,
:func:`iter_observation_batches`), the column spec :data:`COLUMNS`, the reader's limits (``MIN_YEAR``,
``MAX_YEAR``, ``MAX_MAGNITUDE``: assign them here), the parse of one batch (``_parse_table``) and the unit
check and conversion of its (parameter, unit) groups with the bounds (``_convert_units``). Its parts:
time spellings in :mod:`envplan_core.data._obs_time`, value and detection-limit cells in
:mod:`envplan_core.data._obs_values`, the state of a read and the parsed batch (``_Memo``, ``_Known``,
``_Chunk``) in :mod:`envplan_core.data._obs_batch`, and the merge of the batches with the search for
duplicate records in :mod:`envplan_core.data._obs_assembly`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.data._intake import RereadWithPandas, iter_tables
from envplan_core.data._obs_assembly import _assemble
from envplan_core.data._obs_batch import (
    _Chunk,
    _dense,
    _empty_problem,
    _is_empty,
    _Known,
    _label_problems,
    _Memo,
    _numeric_column,
    _raw_empty,
    _UnitAnswer,
)
from envplan_core.data._obs_time import _time_answers
from envplan_core.data._obs_values import _parse_values
from envplan_core.data._tabular import (
    Coded,
    ColumnSpec,
    ProblemLog,
    Source,
    Table,
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

#: Years a monitoring time may have (settable by assigning the module attributes before reading).
MIN_YEAR, MAX_YEAR = 1970, 2100
#: No measurement in any unit envplan reads comes near this; beyond it a value is a typo, and sums of
#: such values overflow float64 silently (1e308 + 1e308 = inf).
MAX_MAGNITUDE = 1e15


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
    memo: _Memo = attrs.field(factory=_Memo)
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
        cache.extend(tspell_labels, memo, era=(MIN_YEAR, MAX_YEAR))
        seconds, kind = cache.seconds[tspell], cache.kind[tspell]
        _label_problems(log, index, tspell, cache.bad, cache.reasons, table.header("time"))
        time_keys, time_code = cache.keys, cache.key_codes[tspell]
    else:
        lab_seconds, lab_kind, lab_reason = _time_answers(
            tspell_labels, hour_end=hour_end, memo=memo, era=(MIN_YEAR, MAX_YEAR)
        )
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
    presence = np.asarray([p.presence for p in known.params] + [False], dtype=bool)  # [-1]: unresolved
    presence_rows = presence[param_of_spelling[pspell]] if presence.any() else None
    value, censored, dl = _parse_values(
        log, index, table, value_raw, dl_raw, max_magnitude=MAX_MAGNITUDE, presence_rows=presence_rows
    )

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
    if param.spells_unit(label):  # a spelling of the canonical unit for this parameter only (色度 度)
        label = param.unit
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

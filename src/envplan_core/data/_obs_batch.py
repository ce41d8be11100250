"""What parsing a batch of observation rows works with, and helpers over its coded columns.

The state of one read of :func:`envplan_core.data.observations.read_observations`: :class:`_Memo` (the
answer for each parameter, time and unit spelling, kept across batches and sources; unit answers are
:class:`_UnitAnswer`), :class:`_Known` (the parameters met so far, one global code each) and the parsed
batch, :class:`_Chunk` (per-row codes into small tables, as the assembly wants them). The helpers work on
a column as (codes, distinct spellings): emptiness, and logging each row whose spelling is bad with that
spelling's reason, so no Python loop runs over clean rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.data._obs_time import _TimeCache
from envplan_core.data._tabular import Coded, Column, LabelTable, ProblemLog, cell_text
from envplan_core.parameters import Parameter, ParameterRegistry


@attrs.define
class _UnitAnswer:
    """What a (parameter, unit spelling) group needs: a factor, an offset conversion, or a reason."""

    factor: float = 1.0
    offset: bool = False
    reason: str = ""
    lower: float = -np.inf
    upper: float = np.inf


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

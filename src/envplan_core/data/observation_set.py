"""The observations container: :class:`ObservationSet`, monitoring series held column-wise.

An :class:`ObservationSet` is a handful of equal-length numpy arrays — site and parameter codes,
``datetime64[s]`` times, float64 values in each parameter's canonical unit, non-detect flags — plus
the small tuples the codes index. Selection (:meth:`~ObservationSet.select`, :meth:`~ObservationSet.mask`,
:meth:`~ObservationSet.take`) works on whole columns; :meth:`~ObservationSet.stat_values` gives the values
statistics use (a non-detect at half its detection limit); :meth:`~ObservationSet.evidence` names the rows
a finding rests on. :func:`envplan_core.data.observations.read_observations` builds one from files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.errors import DataError
from envplan_core.findings import Issue

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "HALF_DETECTION_LIMIT",
    "NOTE_HOUR_START",
    "TIME_DAY",
    "TIME_INSTANT",
    "TIME_MONTH",
    "TIME_YEAR",
    "ObservationSet",
    "TimeLike",
]

TIME_INSTANT, TIME_DAY, TIME_MONTH, TIME_YEAR = 0, 1, 2, 3
#: Non-detects enter statistics at this fraction of the detection limit: 环办监测函〔2020〕82号
#: (地表水环境质量监测数据统计技术规定（试行）) point 7; HJ/T 166-2004 §11.3 for soil; the ambient-air
#: monitoring specification likewise. One rule, used by every statistic (docs/inputs.md (conventions)).
HALF_DETECTION_LIMIT = 0.5

TimeLike: TypeAlias = "str | dt.date | dt.datetime | np.datetime64 | pd.Timestamp"

#: The time convention an :class:`ObservationSet` says it was read under, unless told otherwise.
NOTE_HOUR_START = (
    "times are UTC+8 wall time; an hourly stamp is the start of its hour (00:00 is 00:00–01:00), "
    "docs/inputs.md (conventions)"
)


def _empty_int(dtype: type[np.generic]) -> npt.NDArray[Any]:
    return np.zeros(0, dtype=dtype)


@attrs.frozen(eq=False)
class ObservationSet:
    """Observations as columns of equal length (immutable by convention: do not write into the arrays).

    ``site``/``parameter``/``file`` are codes into ``sites``/``parameters``/``files``; ``value`` and
    ``detection_limit`` are in the parameter's canonical unit; for a non-detect (``censored``) ``value``
    holds the detection limit. ``row`` is the spreadsheet row (header = 1). ``time_kind``: 0 instant/hour,
    1 day, 2 month, 3 year. ``issues`` lists the rows a reader did not use; ``note`` says which time
    convention was read.
    """

    site: npt.NDArray[np.int32]
    parameter: npt.NDArray[np.int16]
    time: npt.NDArray[np.datetime64]
    time_kind: npt.NDArray[np.int8]
    value: npt.NDArray[np.float64]
    censored: npt.NDArray[np.bool_]
    detection_limit: npt.NDArray[np.float64]
    file: npt.NDArray[np.int16]
    row: npt.NDArray[np.int32]
    sites: tuple[str, ...]
    parameters: tuple[str, ...]
    files: tuple[str, ...]
    flag: npt.NDArray[np.object_] | None = None
    issues: tuple[Issue, ...] = ()
    note: str = NOTE_HOUR_START

    def __attrs_post_init__(self) -> None:
        n = self.site.shape[0]
        arrays = (
            self.parameter,
            self.time,
            self.time_kind,
            self.value,
            self.censored,
            self.detection_limit,
            self.file,
            self.row,
            *(() if self.flag is None else (self.flag,)),
        )
        if any(a.shape != (n,) for a in arrays):
            raise ValueError("ObservationSet columns must be 1-d arrays of equal length")

    @classmethod
    def empty(cls, *, note: str = NOTE_HOUR_START) -> ObservationSet:
        return cls(
            site=_empty_int(np.int32),
            parameter=_empty_int(np.int16),
            time=np.zeros(0, "datetime64[s]"),
            time_kind=_empty_int(np.int8),
            value=np.zeros(0),
            censored=np.zeros(0, bool),
            detection_limit=np.zeros(0),
            file=_empty_int(np.int16),
            row=_empty_int(np.int32),
            sites=(),
            parameters=(),
            files=(),
            note=note,
        )

    def __len__(self) -> int:
        return int(self.site.shape[0])

    # -- selection ----------------------------------------------------------------------------------
    def site_codes_for(self, names: Iterable[str]) -> npt.NDArray[np.int32]:
        """Codes of the named sites (exact names, surrounding space ignored); -1 for a name not present."""
        index = {name: code for code, name in enumerate(self.sites)}
        return np.asarray([index.get(str(n).strip(), -1) for n in names], dtype=np.int32)

    def parameter_codes_for(self, ids: Iterable[str]) -> npt.NDArray[np.int16]:
        """Codes of the given canonical parameter ids; -1 for an id not present."""
        index = {pid: code for code, pid in enumerate(self.parameters)}
        return np.asarray([index.get(str(p), -1) for p in ids], dtype=np.int16)

    def mask(
        self,
        *,
        sites: Iterable[str] | npt.ArrayLike | None = None,
        parameters: Iterable[str] | npt.ArrayLike | None = None,
        start: TimeLike | None = None,
        end: TimeLike | None = None,
    ) -> npt.NDArray[np.bool_]:
        """The boolean row mask :meth:`select` uses (see there)."""
        keep = np.ones(len(self), dtype=bool)
        if sites is not None:
            keep &= _lookup_mask(self.site, self._codes(sites, self.site_codes_for), len(self.sites))
        if parameters is not None:
            codes = self._codes(parameters, self.parameter_codes_for)
            keep &= _lookup_mask(self.parameter, codes, len(self.parameters))
        if start is not None:
            keep &= self.time >= _as_datetime64(start)
        if end is not None:
            keep &= self.time < _as_datetime64(end)
        return keep

    def select(
        self,
        *,
        sites: Iterable[str] | npt.ArrayLike | None = None,
        parameters: Iterable[str] | npt.ArrayLike | None = None,
        start: TimeLike | None = None,
        end: TimeLike | None = None,
    ) -> ObservationSet:
        """Rows of the given sites (names or codes), parameters (canonical ids or codes), and times.

        ``start`` is inclusive and ``end`` exclusive (``start <= time < end``), compared with the start
        of a row's period: a monthly value for May is stamped 2023-05-01T00:00. Code tables (``sites``,
        ``parameters``, ``files``) are kept as they are, so codes stay comparable with the original.
        """
        return self.take(self.mask(sites=sites, parameters=parameters, start=start, end=end))

    @staticmethod
    def _codes(selector: Iterable[str] | npt.ArrayLike, by_name: Any) -> npt.NDArray[np.int64]:
        if isinstance(selector, str):
            selector = [selector]
        array = np.asarray(selector if isinstance(selector, np.ndarray) else list(selector))  # type: ignore[arg-type]
        if array.size == 0:
            return np.zeros(0, dtype=np.int64)
        if array.dtype.kind in "iu":
            return array.astype(np.int64)
        return np.asarray(by_name([str(x) for x in array.tolist()]), dtype=np.int64)

    def take(self, index: npt.NDArray[np.bool_] | npt.NDArray[np.integer[Any]]) -> ObservationSet:
        """Rows by boolean mask or integer index (same code tables)."""
        return attrs.evolve(
            self,
            site=self.site[index],
            parameter=self.parameter[index],
            time=self.time[index],
            time_kind=self.time_kind[index],
            value=self.value[index],
            censored=self.censored[index],
            detection_limit=self.detection_limit[index],
            file=self.file[index],
            row=self.row[index],
            flag=None if self.flag is None else self.flag[index],
        )

    # -- values -------------------------------------------------------------------------------------
    def stat_values(self) -> npt.NDArray[np.float64]:
        """Values for statistics: a non-detect counts as half its detection limit (docs/inputs.md (conventions)).

        A new array, or a read-only view of ``value`` when there is no non-detect.
        """
        if not self.censored.any():
            view: npt.NDArray[np.float64] = self.value.view()
            view.flags.writeable = False
            return view
        return np.where(self.censored, self.value * HALF_DETECTION_LIMIT, self.value)

    def check_alias_duplicates(self, groups: Iterable[Sequence[int] | npt.NDArray[np.int32]]) -> None:
        """Raise :class:`DataError` when two site spellings of one site (a group of site codes, e.g.
        杨赵桥 and 杨赵桥断面) carry a value for the same parameter and time. The reader checks duplicates
        per spelling; only a plan knows which spellings are one site, so callers pass the groups."""
        problems: list[str] = []
        first: tuple[str, int] | None = None
        for group in groups:
            codes = np.asarray(group, dtype=np.int32)
            if codes.size < 2:
                continue
            idx = np.flatnonzero(np.isin(self.site, codes))
            if idx.size < 2:
                continue
            key = np.stack(
                [
                    self.parameter[idx].astype(np.int64),
                    self.time[idx].astype(np.int64),
                    self.time_kind[idx].astype(np.int64),
                ]
            )
            order = np.lexsort(key[::-1])
            ordered = key[:, order]
            same = np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).all(axis=0))
            for d in same:
                a, b = sorted(
                    (int(idx[order[d]]), int(idx[order[d + 1]])), key=lambda i: (self.file[i], self.row[i])
                )
                first = first or (self.files[self.file[b]], int(self.row[b]))
                problems.append(
                    f"{self.files[self.file[b]]}:{self.row[b]}: duplicate record: site "
                    f"{self.sites[self.site[b]]!r} is the same site as {self.sites[self.site[a]]!r} at "
                    f"{self.files[self.file[a]]}:{self.row[a]}, same parameter "
                    f"{self.parameters[self.parameter[b]]!r} and time {str(self.time[b])[:16]}"
                )
        if problems and first is not None:
            shown = "\n  ".join(problems[:20])
            more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
            raise DataError(
                f"{len(problems)} duplicate record(s) under different site spellings:\n  {shown}{more}",
                file=first[0],
                row=first[1],
                column="site",
                problems=tuple(problems),
            )

    def evidence(
        self, mask: npt.NDArray[np.bool_] | npt.NDArray[np.integer[Any]] | None = None, *, limit: int = 20
    ) -> tuple[str, ...]:
        """``"file:row"`` of the selected rows (all when ``mask`` is None): ``limit`` of them, then a count.

        ``mask`` is a boolean mask or an index array."""
        index = np.arange(len(self)) if mask is None else np.asarray(mask)
        if index.dtype == np.bool_:
            index = np.flatnonzero(index)
        shown = [
            f"{self.files[f]}:{r}"
            for f, r in zip(self.file[index[:limit]].tolist(), self.row[index[:limit]].tolist(), strict=True)
        ]
        if index.size > limit:
            shown.append(f"… and {index.size - limit} more")
        return tuple(shown)

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame with names instead of codes (for display and export)."""
        import pandas as pd

        frame: pd.DataFrame = pd.DataFrame(
            {
                "site": np.asarray(self.sites, dtype=object)[self.site]
                if self.sites
                else np.zeros(0, object),
                "parameter": (
                    np.asarray(self.parameters, dtype=object)[self.parameter]
                    if self.parameters
                    else np.zeros(0, object)
                ),
                "time": self.time,
                "time_kind": self.time_kind,
                "value": self.value,
                "censored": self.censored,
                "detection_limit": self.detection_limit,
                "file": np.asarray(self.files, dtype=object)[self.file]
                if self.files
                else np.zeros(0, object),
                "row": self.row,
            }
        )
        if self.flag is not None:
            frame["flag"] = self.flag
        return frame

    @classmethod
    def concat(cls, sets: Sequence[ObservationSet]) -> ObservationSet:
        """One set from several: code tables merged (sites and parameters sorted), rows in order.

        No duplicate check here: :func:`read_observations` given a list checks across its sources.
        """
        if not sets:
            return cls.empty()
        if len(sets) == 1:
            return sets[0]
        sites = tuple(sorted({s for o in sets for s in o.sites}))
        params = tuple(sorted({p for o in sets for p in o.parameters}))
        files = tuple(dict.fromkeys(f for o in sets for f in o.files))
        site_index = {s: i for i, s in enumerate(sites)}
        param_index = {p: i for i, p in enumerate(params)}
        file_index = {f: i for i, f in enumerate(files)}

        def remap(codes: npt.NDArray[Any], names: tuple[str, ...], index: dict[str, int], dtype: Any) -> Any:
            table = np.asarray([index[n] for n in names], dtype=dtype)
            return table[codes] if table.size else codes.astype(dtype)

        flag = None
        if any(o.flag is not None for o in sets):
            flag = np.concatenate(
                [o.flag if o.flag is not None else np.full(len(o), "", dtype=object) for o in sets]
            )
        notes = tuple(dict.fromkeys(o.note for o in sets if o.note))
        return cls(
            site=np.concatenate([remap(o.site, o.sites, site_index, np.int32) for o in sets]),
            parameter=np.concatenate([remap(o.parameter, o.parameters, param_index, np.int16) for o in sets]),
            time=np.concatenate([o.time for o in sets]),
            time_kind=np.concatenate([o.time_kind for o in sets]),
            value=np.concatenate([o.value for o in sets]),
            censored=np.concatenate([o.censored for o in sets]),
            detection_limit=np.concatenate([o.detection_limit for o in sets]),
            file=np.concatenate([remap(o.file, o.files, file_index, np.int16) for o in sets]),
            row=np.concatenate([o.row for o in sets]),
            sites=sites,
            parameters=params,
            files=files,
            flag=flag,
            issues=tuple(i for o in sets for i in o.issues),
            note="; ".join(notes),
        )


def _lookup_mask(codes: npt.NDArray[Any], wanted: npt.NDArray[np.int64], size: int) -> npt.NDArray[np.bool_]:
    table = np.zeros(size + 1, dtype=bool)  # the extra slot absorbs -1 (not present)
    wanted = wanted[(wanted >= 0) & (wanted < size)]
    table[wanted] = True
    selected: npt.NDArray[np.bool_] = table[codes]
    return selected


def _as_datetime64(value: TimeLike) -> np.datetime64:
    if isinstance(value, str):
        text = value.strip().replace(" ", "T")
    elif isinstance(value, dt.datetime):  # pd.Timestamp included
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone(dt.timedelta(hours=8))).replace(tzinfo=None)
        text = value.isoformat(timespec="seconds")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = str(np.asarray(value).astype("datetime64[s]"))  # a numpy datetime64 of any unit
    return np.datetime64(text, "s")

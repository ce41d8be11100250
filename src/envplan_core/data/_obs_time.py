"""Time cells of observations: each distinct spelling parsed once into UTC+8 seconds and a resolution.

:func:`_parse_time_labels` reads the spellings docs/inputs.md (conventions) allows — ISO 8601 instants
(with or without a UTC offset), days, months and years, hour-ending stamps with ``hour_end`` — with one
regular-expression match per spelling and numpy over the parts. :func:`_time_answers` remembers each
spelling's answer for the whole read (``_Memo.times``); :class:`_TimeCache` keeps the answers of one
source-wide :class:`~envplan_core.data._tabular.LabelTable` (a file read in batches) as arrays. The years a
monitoring time may have are ``MIN_YEAR``/``MAX_YEAR`` of :mod:`envplan_core.data.observations`, passed in
as ``era``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.data.observation_set import TIME_DAY, TIME_INSTANT, TIME_MONTH, TIME_YEAR

if TYPE_CHECKING:
    from envplan_core.data._obs_batch import _Memo

_TIME = re.compile(
    r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$"
)
_TIME_HELP = "expected ISO 8601: 2023-05-10T14:00 (optionally +08:00), 2023-05-10, 2023-05 or 2023"


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

    def extend(self, labels: Sequence[str], memo: _Memo, *, era: tuple[int, int]) -> None:
        """Parse the spellings of ``labels`` not seen yet (``labels`` only grows)."""
        new = labels[len(self.reasons) :]
        if not new:
            return
        seconds, kind, reasons = _time_answers(list(new), hour_end=self.hour_end, memo=memo, era=era)
        self.seconds = np.concatenate([self.seconds, seconds])
        self.kind = np.concatenate([self.kind, kind])
        self.bad = np.concatenate([self.bad, np.asarray([bool(r) for r in reasons], dtype=bool)])
        self.reasons.extend(reasons)
        # One code per instant and resolution (2023-05-10T14:00 and 2023-05-10 14:00:00 are one).
        index = self._key_index
        codes = [index.setdefault(k, len(index)) for k in (seconds * 4 + kind).tolist()]
        self.key_codes = np.concatenate([self.key_codes, np.asarray(codes, dtype=np.intp)])
        self.keys = np.fromiter(index, dtype=np.int64, count=len(index))


def _time_answers(
    labels: list[str], *, hour_end: bool, memo: _Memo, era: tuple[int, int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int8], list[str]]:
    """:func:`_parse_time_labels` of ``labels``, each spelling parsed once per read (``memo``)."""
    known = memo.times
    new = [label for label in labels if (label, hour_end) not in known]
    if new:
        seconds, kind, reasons = _parse_time_labels(new, hour_end=hour_end, era=era)
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
    labels: list[str], *, hour_end: bool, era: tuple[int, int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int8], list[str]]:
    """Seconds (UTC+8 wall time), kind and a reason ('' when fine) for each unique time spelling.

    One regular-expression match per spelling, then numpy over the parts: a date is valid when its month
    is 1–12 and its day exists in that month (any four-digit year; the era check follows: ``era`` is
    (``MIN_YEAR``, ``MAX_YEAR``) of :mod:`envplan_core.data.observations`).
    """
    min_year, max_year = era
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
    out_of_era = valid_date & ((year < min_year) | (year > max_year))
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
            reasons[k] = f"time {label!r}: year outside {min_year}-{max_year}, not a date of monitoring"
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

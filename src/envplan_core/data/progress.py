"""Task progress reports (docs/inputs.md ``--progress``): ``task,status,date,note`` rows from CSV/XLSX/DataFrames.

``status`` is ``done``, ``in_progress`` or ``not_started`` (also 已完成/完成, 进行中/推进中, 未开始/未启动);
``date`` is the ISO date of completion or of the report. A ``task`` may name one milestone of a task as
``<task id>#<n>`` (the n-th deadline); :meth:`Progress.for_task` returns both kinds. Two rows for the same
task and date are an error (which one would be true?). Problems name file, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Literal

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.data._tabular import (
    ColumnSpec,
    ProblemLog,
    Source,
    check_errors_mode,
    factorize_text,
    load_tables,
)
from envplan_core.findings import Issue

__all__ = ["COLUMNS", "STATUSES", "Progress", "ProgressEntry", "Status", "read_progress"]

Status = Literal["done", "in_progress", "not_started"]
STATUSES: tuple[Status, ...] = ("done", "in_progress", "not_started")

_STATUS_SPELLINGS: dict[str, Status] = {
    "done": "done",
    "complete": "done",
    "completed": "done",
    "finished": "done",
    "已完成": "done",
    "完成": "done",
    "in_progress": "in_progress",
    "ongoing": "in_progress",
    "started": "in_progress",
    "进行中": "in_progress",
    "推进中": "in_progress",
    "not_started": "not_started",
    "todo": "not_started",
    "未开始": "not_started",
    "未启动": "not_started",
}

COLUMNS = ColumnSpec(
    required=("task", "status", "date"),
    optional=("note",),
    aliases={
        **dict.fromkeys(("任务", "任务编号", "task_id", "id"), "task"),
        **dict.fromkeys(("状态", "完成情况", "进展状态"), "status"),
        **dict.fromkeys(("日期", "完成日期", "报告日期", "时间"), "date"),
        **dict.fromkeys(("备注", "说明", "进展", "notes"), "note"),
    },
)

_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]00:00(?::00)?)?$")


@attrs.frozen
class ProgressEntry:
    """One progress row. ``source`` is ``"file:row"``."""

    task: str
    status: Status
    date: dt.date
    note: str
    source: str


@attrs.frozen
class Progress:
    """Progress entries in file order, and the rows that could not be used (``errors="report"``)."""

    entries: tuple[ProgressEntry, ...] = ()
    issues: tuple[Issue, ...] = ()

    def for_task(self, task_id: str) -> list[ProgressEntry]:
        """Entries for a task and its milestones (``task_id`` and ``task_id#n``), oldest first."""
        prefix = f"{task_id}#"
        found = [e for e in self.entries if e.task == task_id or e.task.startswith(prefix)]
        return sorted(found, key=lambda e: e.date)

    def latest(self, task_id: str, *, as_of: dt.date | None = None) -> ProgressEntry | None:
        """The newest entry for a task (and its milestones) dated on or before ``as_of``."""
        known = [e for e in self.for_task(task_id) if as_of is None or e.date <= as_of]
        return known[-1] if known else None

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def merge(cls, parts: Iterable[Progress]) -> Progress:
        """Entries of several reports in order (no duplicate check: read them as one list for that)."""
        items = list(parts)
        return cls(
            entries=tuple(e for p in items for e in p.entries),
            issues=tuple(i for p in items for i in p.issues),
        )


def read_progress(
    source: Source | Sequence[Source],
    *,
    name: str | None = None,
    errors: Literal["raise", "report"] = "raise",
    ignore_extra_columns: bool = False,
) -> Progress:
    """Read progress rows; see the module docstring. Rows read = ``len(entries) + len(issues)``."""
    mode = check_errors_mode(errors)
    tables = load_tables(source, spec=COLUMNS, name=name, ignore_extra_columns=ignore_extra_columns)
    log = ProblemLog(tables=tables)
    parsed = []
    for index in range(len(tables)):
        table = log.tables[index]
        task, task_labels = factorize_text(table.columns["task"])
        status, status_labels = factorize_text(table.columns["status"])
        date, date_labels = factorize_text(table.columns["date"])
        note, note_labels = (
            factorize_text(table.columns["note"])
            if "note" in table.columns
            else (np.zeros(len(table), np.intp), [""])
        )
        blank = _empty(task, task_labels) & _empty(status, status_labels) & _empty(date, date_labels)
        blank &= _empty(note, note_labels)
        if blank.any():  # a row with every cell empty is not a record
            keep = ~blank
            task, status, date, note = task[keep], status[keep], date[keep], note[keep]
            log.tables[index] = attrs.evolve(table, columns={}, rows=table.rows[keep])
        table = log.tables[index]

        _by_label(
            log,
            index,
            task,
            ["empty required cell" if not t else "" for t in task_labels],
            table.header("task"),
        )
        status_of: list[Status | None] = [_STATUS_SPELLINGS.get(_fold(s)) for s in status_labels]
        _by_label(
            log,
            index,
            status,
            [
                "empty required cell"
                if not s
                else ""
                if status_of[k] is not None
                else f"unknown status {s!r} (use done, in_progress or not_started; 已完成, 进行中, 未开始)"
                for k, s in enumerate(status_labels)
            ],
            table.header("status"),
        )
        date_of = [_parse_date(d) for d in date_labels]
        _by_label(
            log,
            index,
            date,
            [
                "empty required cell"
                if not d
                else ""
                if date_of[k] is not None
                else f"malformed date {d!r} (expected an ISO date such as 2023-10-31)"
                for k, d in enumerate(date_labels)
            ],
            table.header("date"),
        )
        parsed.append((index, task, task_labels, status, status_of, date, date_of, note, note_labels))

    # Duplicate (task, date) rows across every source: the later one is reported naming the first.
    seen: dict[tuple[str, dt.date], str] = {}
    entries: list[ProgressEntry] = []
    for index, task, task_labels, status, status_of, date, date_of, note, note_labels in parsed:
        table = log.tables[index]
        bad = log.bad_mask(index, len(table))
        dup_positions: list[int] = []
        dup_reasons: list[str] = []
        # Progress files are a few hundred rows: a loop over the good rows is clearer than index tricks.
        for position in np.flatnonzero(~bad).tolist():
            day = date_of[date[position]]
            state = status_of[status[position]]
            if day is None or state is None:  # pragma: no cover - such rows are bad and skipped above
                continue
            label = task_labels[task[position]]
            source_ref = f"{table.name}:{table.rows[position]}"
            first = seen.get((label, day))
            if first is not None:
                dup_positions.append(position)
                dup_reasons.append(
                    f"duplicate progress row: task {label!r} on {day} is already reported at {first}"
                )
                continue
            seen[(label, day)] = source_ref
            entries.append(
                ProgressEntry(
                    task=label, status=state, date=day, note=note_labels[note[position]], source=source_ref
                )
            )
        log.add(index, np.asarray(dup_positions, dtype=np.intp), table.header("date"), dup_reasons)

    if mode == "raise":
        log.raise_if_any("progress")
        return Progress(entries=tuple(entries))
    return Progress(entries=tuple(entries), issues=tuple(log.row_issues()))


def _fold(text: str) -> str:
    return text.strip().casefold().replace(" ", "_").replace("-", "_")


def _empty(codes: npt.NDArray[np.intp], labels: list[str]) -> npt.NDArray[np.bool_]:
    return np.asarray([not label for label in labels], dtype=bool)[codes]


def _by_label(
    log: ProblemLog, index: int, codes: npt.NDArray[np.intp], reasons: list[str], column: str
) -> None:
    """Log each row whose spelling has a non-empty reason."""
    bad = np.asarray([bool(r) for r in reasons], dtype=bool)
    positions = np.flatnonzero(bad[codes])
    if positions.size:
        log.add(index, positions, column, [reasons[c] for c in codes[positions].tolist()])


def _parse_date(text: str) -> dt.date | None:
    match = _DATE.match(text)
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None

"""Row problems of the tabular readers: collected column-wise, reported as issues or one error.

A :class:`ProblemLog` gathers (table, row positions, column header, reason or reasons) for the
:class:`~envplan_core.data._tabular.Table` objects of one read, and turns them into
:class:`~envplan_core.findings.Issue` entries — one per excluded row (:meth:`ProblemLog.row_issues`) — or
one :class:`DataError` listing up to :data:`SHOWN_PROBLEMS` of them (:func:`problems_error`), only when
there is something to report: the clean path never loops over rows in Python. :func:`check_errors_mode`
checks a reader's ``errors=`` argument. Re-exported by :mod:`envplan_core.data._tabular`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.errors import DataError
from envplan_core.findings import Issue

if TYPE_CHECKING:
    from envplan_core.data._tabular import Table

__all__ = ["SHOWN_PROBLEMS", "ErrorMode", "ProblemLog", "RowRange", "check_errors_mode", "problems_error"]

ErrorMode: TypeAlias = Literal["raise", "report"]

#: How many problems a :class:`DataError` message lists; ``.problems`` always holds all of them.
SHOWN_PROBLEMS = 20


def check_errors_mode(errors: str) -> ErrorMode:
    if errors not in ("raise", "report"):
        raise ValueError(f"errors must be 'raise' or 'report', not {errors!r}")
    return "raise" if errors == "raise" else "report"


@attrs.frozen
class RowRange:
    """Consecutive row numbers ``start`` … ``start + n - 1``, indexed like the array they stand for."""

    start: int
    n: int

    @property
    def shape(self) -> tuple[int]:
        return (self.n,)

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, np.ndarray) and key.dtype.kind in "iu":
            return (key + self.start).astype(np.int32)
        return np.arange(self.start, self.start + self.n, dtype=np.int32)[key]


@attrs.define
class _Part:
    table: int
    positions: npt.NDArray[np.intp]
    column: str
    reasons: str | Sequence[str]


@attrs.define
class ProblemLog:
    """Row problems gathered column-wise: (table, row positions, column header, reason or reasons)."""

    tables: list[Table] = attrs.field(factory=list)
    _parts: list[_Part] = attrs.field(factory=list)
    _by_table: dict[int, list[_Part]] = attrs.field(factory=dict)

    def add(
        self,
        table: int,
        positions: npt.NDArray[np.intp] | npt.NDArray[np.bool_],
        column: str,
        reasons: str | Sequence[str],
    ) -> None:
        """Record a problem for rows of table ``table`` (positions or a boolean mask)."""
        pos = np.asarray(positions)
        if pos.dtype == np.bool_:
            pos = np.flatnonzero(pos)
        if pos.size == 0:
            return
        if not isinstance(reasons, str) and len(reasons) != pos.size:
            raise ValueError("one reason per position, or one reason for all")
        part = _Part(table, pos.astype(np.intp), column, reasons)
        self._parts.append(part)
        self._by_table.setdefault(table, []).append(part)

    def bad_mask(self, table: int, n: int) -> npt.NDArray[np.bool_]:
        mask = np.zeros(n, dtype=bool)
        for part in self._by_table.get(table, ()):
            mask[part.positions] = True
        return mask

    def has_problems(self, table: int) -> bool:
        return table in self._by_table

    def add_table(self, table: Table) -> int:
        """Append a table (a batch of a source read in batches); its index for :meth:`add`."""
        self.tables.append(table)
        return len(self.tables) - 1

    def release(self, table: int) -> None:
        """Forget a parsed table's columns, and keep its row numbers as a :class:`RowRange` when they
        are consecutive (a batch of a CSV or Parquet file): a source read in batches keeps only what
        its report may need."""
        old = self.tables[table]
        rows = old.rows
        n = int(rows.shape[0])
        if isinstance(rows, np.ndarray) and n and int(rows[-1]) - int(rows[0]) == n - 1:
            rows = RowRange(int(rows[0]), n)  # type: ignore[assignment]
        self.tables[table] = attrs.evolve(old, columns={}, rows=rows)

    def count(self) -> int:
        """Problems logged so far (a row may have several)."""
        return sum(int(p.positions.size) for p in self._parts)

    def __bool__(self) -> bool:
        return bool(self._parts)

    def all_issues(self) -> list[Issue]:
        """Every problem (a row may have several), ordered by source, row and column order of checks."""
        flat: list[tuple[int, int, int, Issue]] = []
        for order, part in enumerate(self._parts):
            table = self.tables[part.table]
            rows = table.rows[part.positions]
            for k, (position, row) in enumerate(zip(part.positions.tolist(), rows.tolist(), strict=True)):
                reason = part.reasons if isinstance(part.reasons, str) else part.reasons[k]
                flat.append((part.table, position, order, Issue(table.name, int(row), part.column, reason)))
        flat.sort(key=lambda item: item[:3])
        return [item[3] for item in flat]

    def row_issues(self) -> list[Issue]:
        """One :class:`Issue` per excluded row: its first problem, with any others appended to the reason."""
        out: list[Issue] = []
        previous: tuple[str, int] | None = None
        for issue in self.all_issues():
            key = (issue.file, issue.row)
            if key == previous:
                first = out[-1]
                out[-1] = Issue(
                    first.file,
                    first.row,
                    first.column,
                    f"{first.reason}; also column {issue.column!r}: {issue.reason}",
                )
            else:
                out.append(issue)
            previous = key
        return out

    def raise_if_any(self, what: str) -> None:
        """Raise one :class:`DataError` listing up to 20 problems and the total, ``.problems`` all."""
        if not self._parts:
            return
        issues = self.all_issues()
        raise problems_error(issues, what)


def problems_error(issues: Sequence[Issue], what: str) -> DataError:
    shown = "\n  ".join(str(i) for i in issues[:SHOWN_PROBLEMS])
    more = f"\n  … and {len(issues) - SHOWN_PROBLEMS} more" if len(issues) > SHOWN_PROBLEMS else ""
    rows = len({(i.file, i.row) for i in issues})
    first = issues[0]
    files = {i.file for i in issues}
    error = DataError(
        f"{len(issues)} problem{'s' if len(issues) != 1 else ''} in {rows} row{'s' if rows != 1 else ''} "
        f"of {what}:\n  {shown}{more}",
        file=first.file if len(files) == 1 else None,
        problems=tuple(str(i) for i in issues),
    )
    # Where the first problem is, for callers that point at one cell; the message already names each.
    error.file, error.row, error.column = first.file, first.row, first.column
    return error

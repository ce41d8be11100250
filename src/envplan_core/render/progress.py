"""A progress display for long reads and computations: rich, on stderr, only on a terminal, and only once
the work has lasted about two seconds (short commands never flash a bar; pipes and CI logs never get one).
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any, TextIO

__all__ = ["DELAY", "Progress"]

#: Seconds of work before the display appears.
DELAY = 2.0


class Progress:
    """``with Progress(stderr, "reading obs.csv", total=size) as bar: bar.advance(n)``.

    ``total`` None shows a spinner and the count so far; otherwise a bar. Nothing is drawn unless
    ``stream`` is a terminal and :data:`DELAY` seconds have passed.
    """

    def __init__(self, stream: TextIO, description: str, *, total: float | None = None, unit: str = "") -> None:
        self.description = description
        self.total = total
        self.unit = unit
        self.done = 0.0
        self._start = time.monotonic()
        self._live: Any = None
        self._task: Any = None
        try:
            self._enabled = bool(stream.isatty())
        except (AttributeError, ValueError):
            self._enabled = False
        self._stream = stream

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def advance(self, amount: float = 1.0) -> None:
        self.done += amount
        if not self._enabled:
            return
        if self._live is None:
            if time.monotonic() - self._start < DELAY:
                return
            self._open()
        self._live.update(self._task, completed=min(self.done, self.total) if self.total else self.done)

    def _open(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
        if self.total:
            columns += [BarColumn(), TextColumn("{task.percentage:>3.0f}%")]
        else:
            columns += [TextColumn(f"{{task.completed:,.0f}} {self.unit}".rstrip())]
        columns.append(TimeElapsedColumn())
        self._live = RichProgress(*columns, console=Console(file=self._stream), transient=True)
        self._task = self._live.add_task(self.description, total=self.total)
        self._live.start()

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

"""Work done in threads ahead of the caller, the results handed back in order.

:func:`ordered_map` serves the pipelines of the long paths: the CSV reader parses the next chunks of a file
while the caller works on the current one (:mod:`envplan_core.data._arrow`), and ``envplan aqi`` renders
and writes blocks of records while the next ones are computed (:mod:`envplan_core.render.stream`,
:mod:`envplan_core.render.parquet`). The work must release the GIL (Arrow kernels, large NumPy
operations, writes) for the threads to gain anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["ordered_map"]

T = TypeVar("T")
R = TypeVar("R")


def ordered_map(
    function: Callable[[T], R],
    items: Iterable[T],
    *,
    ahead: int = 3,
    workers: int = 1,
    first_ahead: int | None = None,
    done: Callable[[T], Any] | None = None,
    name: str = "envplan-ahead",
) -> Iterator[R]:
    """``function(item)`` of each item, computed in ``workers`` threads while the next items are taken
    from ``items`` here; the results in the items' order. After an item is submitted, one result is
    handed back when more than ``ahead`` items are pending (``first_ahead`` until the first result: a
    pipeline filling up), so at most max(``ahead``, ``first_ahead``) + 1 items are in the threads' hands.
    ``done(item)`` is called once an item's result is taken (to recycle what the item holds). An error of
    ``function`` is raised here; when the caller stops early, the items not started are cancelled."""
    import collections
    import concurrent.futures  # on first use: importing this module costs nothing

    first = ahead if first_ahead is None else first_ahead
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
    pending: collections.deque[tuple[concurrent.futures.Future[R], T]] = collections.deque()
    handed = 0

    def result() -> R:
        future, item = pending.popleft()
        out = future.result()
        if done is not None:
            done(item)
        return out

    try:
        for item in items:
            pending.append((pool.submit(function, item), item))
            if len(pending) > (first if handed == 0 else ahead):
                handed += 1
                yield result()
        while pending:
            yield result()
    finally:
        for future, _ in pending:
            future.cancel()
        pool.shutdown(wait=True)

"""``envplan_core._ahead.ordered_map``: the one "work ahead in threads, results in order" helper of the
CSV reader and of ``envplan aqi``'s writers."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from envplan_core._ahead import ordered_map


def test_results_come_in_the_order_of_the_items() -> None:
    def slow_first(i: int) -> tuple[int, str]:
        time.sleep(0.02 if i % 3 == 0 else 0)
        return i * i, threading.current_thread().name

    results = list(ordered_map(slow_first, range(20), workers=2, ahead=2, name="envplan-test"))
    assert [r for r, _ in results] == [i * i for i in range(20)]
    assert all(name.startswith("envplan-test") for _, name in results)
    assert list(ordered_map(str, [])) == []


@pytest.mark.parametrize(("ahead", "first", "most"), [(2, None, 3), (2, 4, 5), (3, 1, 4)])
def test_never_more_than_ahead_items_pending(ahead: int, first: int | None, most: int) -> None:
    taken: list[int] = []
    handed: list[int] = []

    def items() -> Iterator[int]:
        for i in range(12):
            assert len(taken) - len(handed) <= most  # pending when the next item is taken
            taken.append(i)
            yield i

    for value in ordered_map(lambda i: i, items(), ahead=ahead, first_ahead=first):
        handed.append(value)
    assert handed == list(range(12))


def test_done_is_called_once_per_item_after_its_result() -> None:
    done: list[int] = []
    out = []
    for value in ordered_map(lambda i: i + 1, range(5), done=done.append):
        out.append(value)
        assert done == list(range(len(out)))
    assert done == list(range(5))


def test_an_error_is_raised_to_the_caller_and_the_rest_cancelled() -> None:
    started: list[int] = []

    def work(i: int) -> int:
        started.append(i)
        if i == 2:
            raise ValueError("bad item 2")
        return i

    with pytest.raises(ValueError, match="bad item 2"):
        for _ in ordered_map(work, range(100), ahead=1):
            pass
    assert len(started) < 100

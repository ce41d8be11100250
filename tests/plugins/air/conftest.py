"""Fixtures of the air plugin's tests beside the shared ones (tests/plugins/conftest.py): the report of
the example data."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from envplan_core import Report


@pytest.fixture(scope="module")
def example_report(evaluate_examples: Callable[[str], Report]) -> Report:
    """The air plugin's example files evaluated as of 2023-12-31."""
    return evaluate_examples("2023-12-31")

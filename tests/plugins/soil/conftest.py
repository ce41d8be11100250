"""Fixtures of the soil plugin's tests beside the shared ones (tests/plugins/conftest.py): the soil plan
evaluated on an inventory given as data."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from envplan_core import Engine, Report


@pytest.fixture
def evaluate(engine: Engine) -> Callable[..., Report]:
    """Evaluate the soil plan on an inventory given as data: ``evaluate(records, values=…, as_of=…)``."""

    def run(
        records: list[Mapping[str, Any]],
        *,
        values: Mapping[str, Any] | None = None,
        as_of: str = "2023-12-31",
    ) -> Report:
        data: dict[str, Any] = {"records": list(records)}
        if values:
            data["values"] = dict(values)
        return engine.evaluate(inventory=data, as_of=as_of, plans=["soil"])

    return run

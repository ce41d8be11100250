"""Fixtures of the groundwater plugin's tests beside the shared ones (tests/plugins/conftest.py): the
findings of one item for observations and an inventory given as data."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import pytest

from envplan_core import Engine, Finding

COLUMNS = ["site", "parameter", "time", "value", "unit"]


def frame(rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """Observations in the long format (``site, parameter, time, value, unit``)."""
    return pd.DataFrame([list(r) for r in rows], columns=COLUMNS)


def findings(
    engine: Engine,
    item: str,
    *,
    records: Sequence[Mapping[str, Any]] = (),
    rows: Sequence[Sequence[Any]] = (),
    progress: pd.DataFrame | None = None,
    as_of: str = "2023-12-31",
) -> dict[str, Finding]:
    """The findings of one item by subject, for an inventory of ``records`` and observation ``rows``."""
    report = engine.evaluate(
        observations=frame(rows) if rows else None,
        inventory={"records": [dict(r) for r in records]} if records else None,
        progress=progress,
        as_of=as_of,
        plans=["groundwater"],
    )
    return {f.subject: f for f in report.findings if f.id == item}


ItemFindings = Callable[..., dict[str, Finding]]


@pytest.fixture
def item_findings(engine: Engine) -> ItemFindings:
    """``item_findings(item, records=…, rows=…, progress=…, as_of=…)``: :func:`findings` on the plugin."""

    def run(item: str, **kwargs: Any) -> dict[str, Finding]:
        return findings(engine, item, **kwargs)

    return run

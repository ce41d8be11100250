"""pytest fixtures for projects that build on envplan (registered under the ``pytest11`` entry point).

Fixtures are prefixed ``envplan_`` and import lazily, so merely having envplan installed costs a
test session nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import pandas as pd

    from envplan_core.catalog import Catalog
    from envplan_core.engine import Engine


@pytest.fixture(scope="session")
def envplan_engine() -> Engine:
    """An engine with every installed plan plugin, validated (session-scoped: built once)."""
    from envplan_core.manager import load

    return load()


@pytest.fixture(scope="session")
def envplan_catalog(envplan_engine: Engine) -> Catalog:
    return envplan_engine.catalog


@pytest.fixture
def envplan_observations() -> Callable[..., pd.DataFrame]:
    """A factory for observation frames in the docs/inputs.md long format.

    ``envplan_observations([("杨赵桥", "COD", "2023-05-10", 18, "mg/L"), ...])``
    """
    import pandas as pd

    def make(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
        frame: pd.DataFrame = pd.DataFrame(rows, columns=["site", "parameter", "time", "value", "unit"])
        return frame

    return make

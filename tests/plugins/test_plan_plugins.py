"""What every plan plugin of the notice 新政办发〔2023〕14号 tested here shares: it passes the conformance
check (``envplan check``) on its own, with its one plan."""

from __future__ import annotations

import pytest

from envplan_core.testing import check_plugin


@pytest.mark.parametrize("plan", ["groundwater", "soil", "water"])
def test_the_plugin_passes_the_conformance_check(plan: str) -> None:
    catalog = check_plugin(f"envplan_{plan}")
    assert [p.id for p in catalog.plans] == [f"{plan}-2023"]

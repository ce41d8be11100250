"""Units as real data spells them; comparators at their boundaries; plans round-trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import envplan_core as ep
from envplan_core.model import Comparator, Threshold, pick_threshold
from envplan_core.testing import strategies as eps
from envplan_core.units import check_dimension, convert_array, format_unit, parse_quantity, parse_unit


@pytest.mark.parametrize(
    ("spelling", "canonical", "factor"),
    [
        ("µg/m³", "ug/m^3", 1.0),  # micro sign U+00B5
        ("μg/m³", "ug/m^3", 1.0),  # Greek mu U+03BC
        ("ug/m3", "ug/m^3", 1.0),
        ("微克/立方米", "ug/m^3", 1.0),
        ("mg/m³", "ug/m^3", 1000.0),
        ("mg/Nm³", "mg/m^3", 1.0),
        ("毫克/升", "mg/L", 1.0),
        ("µg/L", "mg/L", 0.001),
        ("毫克/千克", "mg/kg", 1.0),
        ("无量纲", "dimensionless", 1.0),
        ("%", "percent", 1.0),
        ("MPN/100mL", "CFU/L", 10.0),
        ("个/L", "CFU/L", 1.0),
        ("CFU/mL", "CFU/L", 1000.0),
        ("NTU", "NTU", 1.0),
        ("Bq/L", "Bq/L", 1.0),
        ("蒸吨", "t/h", 1.0),
        ("t/(km²·月)", "t/(km^2*month)", 1.0),
        ("吨/月·平方公里", "t/(km^2*month)", 1.0),
        ("m³", "m^3", 1.0),
        ("t", "kg", 1000.0),
    ],
)
def test_real_spellings(spelling: str, canonical: str, factor: float) -> None:
    check_dimension(spelling, canonical)
    assert convert_array([1.0], spelling, canonical)[0] == pytest.approx(factor)


def test_offset_units_convert_whole_arrays() -> None:
    assert convert_array(np.array([0.0, 20.0]), "℃", "K").tolist() == pytest.approx([273.15, 293.15])


@pytest.mark.parametrize("bad", ["blorps/L", "µg/m³)", "mg//L", "微克每立方"])
def test_unknown_units_raise_unit_error(bad: str) -> None:
    with pytest.raises(ep.UnitError):
        parse_unit(bad)


def test_boiler_capacity_context() -> None:
    assert parse_quantity("35 蒸吨").to("MW", "boiler").magnitude == pytest.approx(24.5)
    assert parse_quantity("14 MW").to("t/h", "boiler").magnitude == pytest.approx(20.0)


def test_display_units() -> None:
    assert format_unit("ug/m3") == "µg/m³"
    assert format_unit("mg/l") == "mg/L"
    assert format_unit("无量纲") == ""


@given(value=st.floats(-1e6, 1e6, allow_nan=False), limit=st.floats(-1e6, 1e6, allow_nan=False))
def test_comparators_follow_their_symbols(value: float, limit: float) -> None:
    assert Comparator.LE.holds(value, limit) == (value <= limit)
    assert Comparator.LT.holds(value, limit) == (value < limit)
    assert Comparator.GE.holds(value, limit) == (value >= limit)
    assert Comparator.GT.holds(value, limit) == (value > limit)
    # at the boundary: ≤ and ≥ hold, < and > do not
    assert Comparator.LE.holds(limit, limit) and Comparator.GE.holds(limit, limit)
    assert not Comparator.LT.holds(limit, limit) and not Comparator.GT.holds(limit, limit)


def test_dated_thresholds_pick_the_one_in_force() -> None:
    old = Threshold(comparator=Comparator.LE, value=75.0, effective_until=dt.date(2026, 2, 28))
    new = Threshold(comparator=Comparator.LE, value=60.0, effective_from=dt.date(2026, 3, 1))
    assert pick_threshold((old, new), dt.date(2023, 12, 31)) is old
    assert pick_threshold((old, new), dt.date(2026, 3, 1)) is new


@given(plan=eps.plans())
def test_plans_round_trip_through_yaml(plan: ep.Plan) -> None:
    again = ep.load_plan_text(ep.dump_plan(plan))
    assert again.targets == plan.targets
    assert again.tasks == plan.tasks
    assert again.rules == plan.rules
    assert again.sites == plan.sites


def test_plan_errors_carry_paths() -> None:
    text = """
id: x-2023
title_zh: x
title_en: x
year: 2023
document: d
issued: 2023-02-30
tasks:
  - {id: a, number: "1", title_zh: a, title_en: a, citation: {text: a}, deadline: 2023-01-01}
"""
    with pytest.raises(ep.PlanError) as info:
        ep.load_plan_text(text, source="x.yaml")
    message = str(info.value)
    assert "x.yaml" in message
    assert "@ $.issued" in message
    assert "extra fields found (deadline) @ $.tasks[0]" in message


def test_yaml_is_loaded_safely() -> None:
    with pytest.raises(ep.PlanError):
        ep.load_plan_text("!!python/object/apply:os.system ['echo pwned']")


def test_the_registry_reads_no_pickle_cache(tmp_path: Path) -> None:
    """pint's cache is read with pickle.load from the user's cache folder: envplan never uses it, and
    works without HOME or with an unwritable cache folder."""
    import os
    import subprocess
    import sys

    from envplan_core.units import ureg

    assert ureg.cache_folder is None
    cache = tmp_path / "cache"
    (cache / "pint").mkdir(parents=True)
    (cache / "pint" / "planted.pickle").write_bytes(b"cos\nsystem\n(S'exit 9'\ntR.")  # would run if loaded
    cache.chmod(0o555)
    env = {k: v for k, v in os.environ.items() if k != "HOME"}
    env["XDG_CACHE_HOME"] = str(cache)
    code = (
        "import pickle\n"
        "def _refuse(*a, **k):\n    raise SystemExit('pickle.load called')\n"
        "pickle.load = _refuse\n"
        "import envplan_core.units as u\n"
        "print(u.Q_('1 mg/L').to('ug/L').magnitude)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    cache.chmod(0o755)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1000.0"

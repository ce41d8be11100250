"""Registered through the ``hypothesis`` entry point: ``st.from_type(Plan)`` etc. use our strategies."""

from __future__ import annotations


def _register() -> None:
    from hypothesis import strategies as st

    from envplan_core.model import Deadline, Plan, Target, Task, Threshold
    from envplan_core.testing import strategies as eps

    st.register_type_strategy(Plan, eps.plans())
    st.register_type_strategy(Target, eps.targets())
    st.register_type_strategy(Task, eps.tasks())
    st.register_type_strategy(Threshold, eps.thresholds())
    st.register_type_strategy(Deadline, eps.deadlines())

"""Registered through the ``hypothesis`` entry point: ``st.from_type(Plan)`` etc. use our strategies.

Hypothesis runs this hook while it is itself being imported, possibly from inside
:mod:`envplan_core.testing.strategies`; the strategies are therefore deferred and resolved on first use.
"""

from __future__ import annotations

from typing import Any


def _register() -> None:
    from hypothesis import strategies as st

    from envplan_core.model import Deadline, Plan, Target, Task, Threshold

    def lazy(name: str) -> Any:
        def resolve() -> Any:
            from envplan_core.testing import strategies as eps

            return getattr(eps, name)()

        return st.deferred(resolve)

    st.register_type_strategy(Plan, lazy("plans"))
    st.register_type_strategy(Target, lazy("targets"))
    st.register_type_strategy(Task, lazy("tasks"))
    st.register_type_strategy(Threshold, lazy("thresholds"))
    st.register_type_strategy(Deadline, lazy("deadlines"))

"""Shared test set-up: Hypothesis profiles and explicit plugin selection.

``HYPOTHESIS_PROFILE=ci`` (default under CI) runs more examples, derandomised; ``dev`` is quick.
Entry-point autoload is left on: the installed water and air plugins are part of what is tested.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

pytest_plugins = ["pytester"]

settings.register_profile(
    "ci", max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=40, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

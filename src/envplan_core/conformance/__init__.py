"""Conformance of plan plugins and declarative plan cases (floor 7: below the plugin manager and the CLI).

:mod:`envplan_core.conformance.cases` reads ``*.envplan.yaml`` case files and runs them against an
engine; :mod:`envplan_core.conformance.checks` checks one or several plugins together. ``envplan check``
(:mod:`envplan_core.commands.check`), :func:`envplan_core.testing.check_plugin` and envplan's pytest
plugin are built on them; downstream projects use them through :mod:`envplan_core.testing`.
"""

from __future__ import annotations

from envplan_core.conformance.cases import (
    CASE_SUFFIX,
    Case,
    CaseFile,
    CaseFileError,
    CaseResult,
    Expectation,
    InputSpec,
    Mismatch,
    evaluate_case,
    find_case_files,
    load_case_file,
    load_case_text,
    run_case,
)
from envplan_core.conformance.checks import (
    CHECKS,
    CheckResult,
    ConformanceReport,
    check_plugins,
    plugin_names,
    resolve_plugin,
)

__all__ = [
    "CASE_SUFFIX",
    "CHECKS",
    "Case",
    "CaseFile",
    "CaseFileError",
    "CaseResult",
    "CheckResult",
    "ConformanceReport",
    "Expectation",
    "InputSpec",
    "Mismatch",
    "check_plugins",
    "evaluate_case",
    "find_case_files",
    "load_case_file",
    "load_case_text",
    "plugin_names",
    "resolve_plugin",
    "run_case",
]

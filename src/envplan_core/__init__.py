"""envplan: Xinjiang County's (新绛县) environmental action plans as executable, unit-aware rules.

>>> import envplan_core as ep
>>> engine = ep.load()                                   # plugins from entry points, validated
>>> report = engine.evaluate(observations="obs.csv", inventory="inventory.yaml",
...                          progress="progress.csv", as_of="2023-12-31")  # doctest: +SKIP
>>> report.by_unit()                                     # doctest: +SKIP
"""

from __future__ import annotations

from envplan_core import standards
from envplan_core.catalog import Catalog, build_catalog
from envplan_core.context import EvalContext
from envplan_core.converters import dump_plan, load_plan, load_plan_text, make_converter
from envplan_core.engine import Engine, task_status
from envplan_core.errors import DataError, EnvplanError, PlanError, PluginError, UnitError
from envplan_core.evaluator_types import Evaluator, evaluator
from envplan_core.findings import Finding, Issue, Report, Status
from envplan_core.hookspecs import hookimpl, hookspec
from envplan_core.manager import get_plugin_manager, load
from envplan_core.model import (
    AttachmentRow,
    Citation,
    Comparator,
    Deadline,
    DeadlineKind,
    Plan,
    Responsibility,
    ResponsibleUnit,
    Rule,
    Site,
    Supersedes,
    Target,
    TargetKind,
    Task,
    Threshold,
)
from envplan_core.parameters import Parameter, ParameterRegistry
from envplan_core.units import Q_, parse_quantity, parse_unit, ureg

__version__ = "0.2.0"

__all__ = [
    "Q_",
    "AttachmentRow",
    "Catalog",
    "Citation",
    "Comparator",
    "DataError",
    "Deadline",
    "DeadlineKind",
    "Engine",
    "EnvplanError",
    "EvalContext",
    "Evaluator",
    "Finding",
    "Issue",
    "Parameter",
    "ParameterRegistry",
    "Plan",
    "PlanError",
    "PluginError",
    "Report",
    "Responsibility",
    "ResponsibleUnit",
    "Rule",
    "Site",
    "Status",
    "Supersedes",
    "Target",
    "TargetKind",
    "Task",
    "Threshold",
    "UnitError",
    "__version__",
    "build_catalog",
    "dump_plan",
    "evaluator",
    "get_plugin_manager",
    "hookimpl",
    "hookspec",
    "load",
    "load_plan",
    "load_plan_text",
    "make_converter",
    "parse_quantity",
    "parse_unit",
    "standards",
    "task_status",
    "ureg",
]

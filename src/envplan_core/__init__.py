"""envplan: Xinjiang County's (新绛县) environmental action plans as executable, unit-aware rules.

>>> import envplan_core as ep
>>> engine = ep.load()                                   # plugins from entry points, validated
>>> report = engine.evaluate(observations="obs.csv", inventory="inventory.yaml",
...                          progress="progress.csv", as_of="2023-12-31")  # doctest: +SKIP
>>> report.by_unit()                                     # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from envplan_core._lazy import lazy_exports

if TYPE_CHECKING:
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


_LAZY: dict[str, str] = {
    "standards": "envplan_core.standards",
    "Catalog": "envplan_core.catalog",
    "build_catalog": "envplan_core.catalog",
    "EvalContext": "envplan_core.context",
    "dump_plan": "envplan_core.converters",
    "load_plan": "envplan_core.converters",
    "load_plan_text": "envplan_core.converters",
    "make_converter": "envplan_core.converters",
    "Engine": "envplan_core.engine",
    "task_status": "envplan_core.engine",
    "DataError": "envplan_core.errors",
    "EnvplanError": "envplan_core.errors",
    "PlanError": "envplan_core.errors",
    "PluginError": "envplan_core.errors",
    "UnitError": "envplan_core.errors",
    "Evaluator": "envplan_core.evaluator_types",
    "evaluator": "envplan_core.evaluator_types",
    "Finding": "envplan_core.findings",
    "Issue": "envplan_core.findings",
    "Report": "envplan_core.findings",
    "Status": "envplan_core.findings",
    "hookimpl": "envplan_core.hookspecs",
    "hookspec": "envplan_core.hookspecs",
    "get_plugin_manager": "envplan_core.manager",
    "load": "envplan_core.manager",
    "AttachmentRow": "envplan_core.model",
    "Citation": "envplan_core.model",
    "Comparator": "envplan_core.model",
    "Deadline": "envplan_core.model",
    "DeadlineKind": "envplan_core.model",
    "Plan": "envplan_core.model",
    "Responsibility": "envplan_core.model",
    "ResponsibleUnit": "envplan_core.model",
    "Rule": "envplan_core.model",
    "Site": "envplan_core.model",
    "Supersedes": "envplan_core.model",
    "Target": "envplan_core.model",
    "TargetKind": "envplan_core.model",
    "Task": "envplan_core.model",
    "Threshold": "envplan_core.model",
    "Parameter": "envplan_core.parameters",
    "ParameterRegistry": "envplan_core.parameters",
    "Q_": "envplan_core.units",
    "parse_quantity": "envplan_core.units",
    "parse_unit": "envplan_core.units",
    "ureg": "envplan_core.units",
}


# Names are imported on first use (PEP 562): a plugin (or a command) pays for what it uses, so
# ``envplan --help`` imports no unit registry, no pandas and no Arrow.
__getattr__, __dir__ = lazy_exports(globals(), _LAZY)

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

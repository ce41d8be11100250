"""The plugin API: everything a plan plugin needs, in one module.

A plan plugin imports from here and from :mod:`envplan_core.standards` only, so the core can move its
internals without breaking plans of any year (``tests/core/test_layers.py`` checks the shipped
plugins). A minimal plan plugin::

    from envplan_core.plugin import hookimpl, load_plan, package_path

    @hookimpl
    def envplan_plans():
        return [load_plan(package_path(__name__, "plan.yaml"))]

    @hookimpl
    def envplan_requires():          # the 2023 evaluators this plan reuses
        return ["water", "air"]

    @hookimpl
    def envplan_example_data():
        return [package_path(__name__, "examples")]

An evaluator of its own declares its parameters::

    @attrs.frozen
    class ShareParams:
        kind: str
        minimum_records: int = 1

    @evaluator(ShareParams)
    def share(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
        p = ctx.params_of(item, ShareParams)
        ...
        return [ctx.finding(item, status=Status.MET, message_zh=…, message_en=…)]

Beside the types, it exports the helpers several plans share, one per concept, so a plan does not write
its own: ``insufficient_data``/``no_threshold`` (findings that judge nothing) and ``no_computation``
(their ``details.computation``), ``compare``/``limit_in``/``status_of`` (a value against a threshold),
``period_label`` (a period as findings write it: ``2023`` or ``2023-09-01..2023-12-31``),
``supplied_computation`` (the ``details.computation`` of a value the user supplies in the inventory's
``values``), ``class_tag`` (the tag of a GB 3838 or GB/T 14848 class in a ``classify`` table: at class
Ⅲ or better ``met``).

The hooks are documented in ``docs/hooks.md``; the tutorial ``docs/tutorial-new-plan.md`` builds a
plan from an empty folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from envplan_core._lazy import lazy_exports

if TYPE_CHECKING:
    from envplan_core.analysis.air import AIR_POLLUTANTS, AirColumns, air_columns
    from envplan_core.commands.base import (
        Classifier,
        Command,
        CommandContext,
        Handler,
        UsageError,
        add_format_option,
        add_plan_option,
        iso_date,
    )
    from envplan_core.commands.classify import class_tag
    from envplan_core.context import EvalContext, parse_as_of, parse_date, period_bounds
    from envplan_core.converters import load_plan, load_plan_text
    from envplan_core.data.inventory import Inventory, Record, read_inventory
    from envplan_core.data.observation_set import ObservationSet
    from envplan_core.data.observations import read_observations
    from envplan_core.data.progress import Progress
    from envplan_core.errors import DataError, EnvplanError, PlanError, PluginError, UnitError
    from envplan_core.evaluator_types import Evaluator, NoParams, evaluator
    from envplan_core.evaluators import (
        compare,
        insufficient_data,
        limit_in,
        matches_where,
        no_threshold,
        status_of,
        threshold_unit,
    )
    from envplan_core.evaluators.common import no_computation, period_label, supplied_computation
    from envplan_core.findings import Finding, Status, computation
    from envplan_core.hookspecs import hookimpl
    from envplan_core.model import (
        Citation,
        Comparator,
        Deadline,
        DeadlineKind,
        Plan,
        Responsibility,
        ResponsibleUnit,
        Rule,
        Site,
        Target,
        Task,
        Threshold,
    )
    from envplan_core.parameters import Parameter, ParameterRegistry, normalise_name
    from envplan_core.render import Cell, Document, Section, display_width, fmt_number
    from envplan_core.sites import COUNTY_NAMES, is_county_name, record_names, site_alias_index
    from envplan_core.stats import percentile_hj663
    from envplan_core.units import Q_, Quantity, format_unit, parse_quantity, parse_unit, ureg


_LAZY: dict[str, str] = {
    "AIR_POLLUTANTS": "envplan_core.analysis.air",
    "AirColumns": "envplan_core.analysis.air",
    "air_columns": "envplan_core.analysis.air",
    "Classifier": "envplan_core.commands.base",
    "Command": "envplan_core.commands.base",
    "CommandContext": "envplan_core.commands.base",
    "Handler": "envplan_core.commands.base",
    "UsageError": "envplan_core.commands.base",
    "add_format_option": "envplan_core.commands.base",
    "add_plan_option": "envplan_core.commands.base",
    "iso_date": "envplan_core.commands.base",
    "class_tag": "envplan_core.commands.classify",
    "EvalContext": "envplan_core.context",
    "parse_as_of": "envplan_core.context",
    "parse_date": "envplan_core.context",
    "period_bounds": "envplan_core.context",
    "load_plan": "envplan_core.converters",
    "load_plan_text": "envplan_core.converters",
    "Inventory": "envplan_core.data.inventory",
    "Record": "envplan_core.data.inventory",
    "read_inventory": "envplan_core.data.inventory",
    "ObservationSet": "envplan_core.data.observation_set",
    "read_observations": "envplan_core.data.observations",
    "Progress": "envplan_core.data.progress",
    "DataError": "envplan_core.errors",
    "EnvplanError": "envplan_core.errors",
    "PlanError": "envplan_core.errors",
    "PluginError": "envplan_core.errors",
    "UnitError": "envplan_core.errors",
    "Evaluator": "envplan_core.evaluator_types",
    "NoParams": "envplan_core.evaluator_types",
    "evaluator": "envplan_core.evaluator_types",
    "compare": "envplan_core.evaluators",
    "insufficient_data": "envplan_core.evaluators",
    "limit_in": "envplan_core.evaluators",
    "matches_where": "envplan_core.evaluators",
    "no_computation": "envplan_core.evaluators.common",
    "no_threshold": "envplan_core.evaluators",
    "period_label": "envplan_core.evaluators.common",
    "status_of": "envplan_core.evaluators",
    "supplied_computation": "envplan_core.evaluators.common",
    "threshold_unit": "envplan_core.evaluators",
    "Finding": "envplan_core.findings",
    "Status": "envplan_core.findings",
    "computation": "envplan_core.findings",
    "hookimpl": "envplan_core.hookspecs",
    "Citation": "envplan_core.model",
    "Comparator": "envplan_core.model",
    "Deadline": "envplan_core.model",
    "DeadlineKind": "envplan_core.model",
    "Plan": "envplan_core.model",
    "Responsibility": "envplan_core.model",
    "ResponsibleUnit": "envplan_core.model",
    "Rule": "envplan_core.model",
    "Site": "envplan_core.model",
    "Target": "envplan_core.model",
    "Task": "envplan_core.model",
    "Threshold": "envplan_core.model",
    "Parameter": "envplan_core.parameters",
    "ParameterRegistry": "envplan_core.parameters",
    "normalise_name": "envplan_core.parameters",
    "Cell": "envplan_core.render",
    "Document": "envplan_core.render",
    "Section": "envplan_core.render",
    "display_width": "envplan_core.render",
    "fmt_number": "envplan_core.render",
    "COUNTY_NAMES": "envplan_core.sites",
    "is_county_name": "envplan_core.sites",
    "record_names": "envplan_core.sites",
    "site_alias_index": "envplan_core.sites",
    "percentile_hj663": "envplan_core.stats",
    "Q_": "envplan_core.units",
    "Quantity": "envplan_core.units",
    "format_unit": "envplan_core.units",
    "parse_quantity": "envplan_core.units",
    "parse_unit": "envplan_core.units",
    "ureg": "envplan_core.units",
}


# Names are imported on first use (PEP 562): a plugin (or a command) pays for what it uses, so
# ``envplan --help`` imports no unit registry, no pandas and no Arrow.
__getattr__, __dir__ = lazy_exports(globals(), _LAZY)

__all__ = [
    "AIR_POLLUTANTS",
    "COUNTY_NAMES",
    "Q_",
    "AirColumns",
    "Cell",
    "Citation",
    "Classifier",
    "Command",
    "CommandContext",
    "Comparator",
    "DataError",
    "Deadline",
    "DeadlineKind",
    "Document",
    "EnvplanError",
    "EvalContext",
    "Evaluator",
    "Finding",
    "Handler",
    "Inventory",
    "NoParams",
    "ObservationSet",
    "Parameter",
    "ParameterRegistry",
    "Plan",
    "PlanError",
    "PluginError",
    "Progress",
    "Quantity",
    "Record",
    "Responsibility",
    "ResponsibleUnit",
    "Rule",
    "Section",
    "Site",
    "Status",
    "Target",
    "Task",
    "Threshold",
    "UnitError",
    "UsageError",
    "add_format_option",
    "add_plan_option",
    "air_columns",
    "class_tag",
    "compare",
    "computation",
    "display_width",
    "evaluator",
    "fmt_number",
    "format_unit",
    "hookimpl",
    "insufficient_data",
    "is_county_name",
    "iso_date",
    "limit_in",
    "load_plan",
    "load_plan_text",
    "matches_where",
    "no_computation",
    "no_threshold",
    "normalise_name",
    "package_path",
    "parse_as_of",
    "parse_date",
    "parse_quantity",
    "parse_unit",
    "percentile_hj663",
    "period_bounds",
    "period_label",
    "read_inventory",
    "read_observations",
    "record_names",
    "site_alias_index",
    "status_of",
    "supplied_computation",
    "threshold_unit",
    "ureg",
]


def package_path(package: str, *parts: str) -> Path:
    """A file or folder shipped inside ``package`` (package data), in a source checkout or an installed
    wheel alike: ``package_path(__name__, "plan.yaml")``, ``package_path(__name__, "examples")``."""
    return Path(str(resources.files(package).joinpath(*parts)))

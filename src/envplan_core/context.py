"""What an evaluator works with: :class:`EvalContext`, :class:`Evaluator` and its typed parameters.

An evaluator is ``fn(item, ctx) -> Iterable[Finding]``: it reads the target or rule, asks the context
for series, records, thresholds and typed parameters, and builds findings with
:meth:`EvalContext.finding`, which fills plan, kind, citation and the responsible units.

Parameters are declared, never guessed: :func:`evaluator` attaches an attrs class to the function, the
catalog structures every plan item's ``params:`` into it when the plugin loads (an unknown, misspelt or
mistyped key is an error naming plan, item and key), and the evaluator reads them with
:meth:`EvalContext.params_of`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.catalog import Catalog
from envplan_core.errors import DataError
from envplan_core.evaluator_types import (
    Evaluator,
    EvaluatorFn,
    NoParams,
    P,
    as_evaluator,
    evaluator,
    structure_params,
)
from envplan_core.findings import Finding, Status
from envplan_core.model import (
    Citation,
    Plan,
    Rule,
    Site,
    Target,
    Task,
    Threshold,
    pick_threshold,
)

if TYPE_CHECKING:
    from envplan_core.data.inventory import Inventory
    from envplan_core.data.observation_set import ObservationSet
    from envplan_core.data.progress import Progress

__all__ = [
    "EvalContext",
    "Evaluator",
    "EvaluatorFn",
    "NoParams",
    "as_evaluator",
    "evaluator",
    "parse_as_of",
    "parse_date",
    "period_bounds",
    "structure_params",
]


def parse_date(value: object, where: str = "", *, column: str | None = None) -> dt.date:
    """A day from a date, a datetime (its day) or ISO text ``YYYY-MM-DD``; otherwise a :class:`DataError`
    saying where (``where: not an ISO date …``)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        prefix = f"{where}: " if where else ""
        raise DataError(f"{prefix}not an ISO date (YYYY-MM-DD): {value!r}", column=column) from None


def parse_as_of(value: dt.date | str) -> dt.date:
    """The evaluation day (``--as-of``) as a date."""
    return parse_date(value, "--as-of", column="as_of")


def period_bounds(period: str, default_year: int) -> tuple[dt.date, dt.date]:
    """``"2023"`` → 2023-01-01..2023-12-31; ``"2023-05"`` → that month; empty → the plan year."""
    text = (period or str(default_year)).strip()
    if len(text) == 4 and text.isdigit():
        y = int(text)
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if len(text) == 7 and text[4] == "-":
        y, m = int(text[:4]), int(text[5:])
        end = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
        return dt.date(y, m, 1), end
    raise ValueError(f"unsupported period {period!r} (use YYYY or YYYY-MM)")


@attrs.define
class EvalContext:
    """What an evaluator sees: the plan, the validated catalog, the inputs and ``as_of``."""

    plan: Plan
    catalog: Catalog
    as_of: dt.date
    observations: ObservationSet | None
    inventory: Inventory | None
    progress: Progress | None
    site_codes: dict[str, npt.NDArray[np.int32]] = attrs.field(factory=dict)

    # -- sites and series -------------------------------------------------------------------------
    def site(self, site_id: str) -> Site | None:
        return next((s for s in self.plan.sites if s.id == site_id), None)

    def series(
        self,
        subject: str,
        parameter: str | None = None,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> ObservationSet | None:
        """Observations of a plan site (or the county) for a parameter between two dates (inclusive)."""
        if self.observations is None:
            return None
        codes = self.site_codes.get(subject)
        if codes is None or codes.size == 0:
            return self.observations.select(sites=np.array([], dtype=np.int32))
        end_excl = None if end is None else end + dt.timedelta(days=1)
        return self.observations.select(
            sites=codes, parameters=None if parameter is None else [parameter], start=start, end=end_excl
        )

    def threshold_for(self, item: Target | Rule, day: dt.date | None = None) -> Threshold | None:
        """The threshold in force on ``day``: by default the end of the item's period (a rule's period is
        the plan year), capped at ``as_of``. Dated thresholds make a later revision a data change."""
        when = day or min(self.period(item)[1], self.as_of)
        return pick_threshold(item.thresholds, when)

    def params_of(self, item: Target | Rule, params: type[P]) -> P:
        """The item's ``params:`` as the evaluator's declared class (validated when the plugin loaded)."""
        return structure_params(item, params, plan=self.plan.id)

    def period(self, item: Target | Rule) -> tuple[dt.date, dt.date]:
        return period_bounds(getattr(item, "period", "") or "", self.plan.year)

    # -- responsibility ---------------------------------------------------------------------------
    def responsible(self, item: Target | Rule | Task) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Canonical Chinese names of lead and support units (groups stay groups: 各镇)."""
        lead: dict[str, None] = {}
        support: dict[str, None] = {}
        for r in item.responsibilities:
            for name in r.lead:
                lead.setdefault(self.catalog.units.canonical_zh(name), None)
            for name in r.support:
                support.setdefault(self.catalog.units.canonical_zh(name), None)
        if not lead and isinstance(item, Rule) and item.task:
            task = next((t for t in self.plan.tasks if t.id == item.task), None)
            if task is not None:
                return self.responsible(task)
        return tuple(lead), tuple(s for s in support if s not in lead)

    def finding(
        self,
        item: Target | Rule | Task,
        *,
        status: Status,
        message_zh: str,
        message_en: str,
        subject: str | None = None,
        value: float | str | None = None,
        limit: float | str | None = None,
        unit: str = "",
        value_raw: float | None = None,
        period: str = "",
        evidence: Iterable[str] = (),
        details: dict[str, Any] | None = None,
        standard: str = "",
    ) -> Finding:
        kind = "target" if isinstance(item, Target) else "rule" if isinstance(item, Rule) else "task"
        lead, support = self.responsible(item)
        citation: Citation = item.citation
        if standard and not citation.standard:
            citation = attrs.evolve(citation, standard=standard)
        default_subject = getattr(item, "subject", "") or item.id
        return Finding(
            id=item.id,
            plan=self.plan.id,
            kind=kind,
            subject=subject if subject is not None else self._subject_label(default_subject),
            status=status,
            citation=citation,
            message_zh=message_zh,
            message_en=message_en,
            value=value,
            limit=limit,
            unit=unit,
            value_raw=value_raw,
            period=period,
            lead=lead,
            support=support,
            evidence=tuple(evidence),
            details=details or {},
        )

    def _subject_label(self, subject: str) -> str:
        if subject == "county":
            return "新绛县"
        site = self.site(subject)
        return site.name_zh if site else subject



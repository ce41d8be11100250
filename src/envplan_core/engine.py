"""The evaluation engine: dispatch targets, rules and tasks to evaluators, collect findings.

``Engine.evaluate(observations=…, inventory=…, progress=…, as_of=…)`` returns a
:class:`~envplan_core.findings.Report`. Every target and rule names an evaluator registered through
``envplan_evaluators``; an evaluator is ``fn(item, ctx) -> Iterable[Finding]`` and builds findings with
:meth:`EvalContext.finding`, which fills plan, kind, citation and the responsible units.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt
import pluggy

from envplan_core.errors import DataError, EnvplanError, PluginError
from envplan_core.findings import Finding, Issue, PlanInfo, Report, Status
from envplan_core.manager import COUNTY_NAMES, Catalog, build_catalog, get_plugin_manager
from envplan_core.model import (
    Citation,
    Deadline,
    DeadlineKind,
    Plan,
    Rule,
    Site,
    Target,
    Task,
    Threshold,
    pick_threshold,
)
from envplan_core.parameters import normalise_name

if TYPE_CHECKING:
    from envplan_core.data.inventory import Inventory
    from envplan_core.data.observations import ObservationSet
    from envplan_core.data.progress import Progress, ProgressEntry

__all__ = ["Engine", "EvalContext", "load", "parse_as_of", "period_bounds", "task_status"]

ObservationsInput = "ObservationSet | pd.DataFrame | str | Path | Sequence[str | Path | pd.DataFrame] | None"


def parse_as_of(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DataError(f"--as-of: not an ISO date (YYYY-MM-DD): {value!r}", column="as_of") from None


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


# -- task status ----------------------------------------------------------------------------------

# A task takes its worst milestone. An open milestone outranks a milestone done late, so a task whose
# later work is still open is never labelled "done late" (逾期完成 reads as finished).
_ORDER = {Status.DONE: 0, Status.ONGOING: 1, Status.DONE_LATE: 2, Status.OPEN: 3, Status.OVERDUE: 4}


def _milestone(task: str) -> int | None:
    """The deadline number of a progress row's ``task`` (``water.task.5#2`` → 2), None for the task."""
    _, sep, number = task.partition("#")
    return int(number) if sep and number.isascii() and number.isdigit() else None


def _deadline_status(deadline: Deadline, done_on: dt.date | None, as_of: dt.date) -> Status:
    if deadline.kind is DeadlineKind.ONGOING or deadline.due is None:
        return Status.ONGOING
    if done_on is not None:
        return Status.DONE if done_on <= deadline.due else Status.DONE_LATE
    return Status.OVERDUE if as_of > deadline.due else Status.OPEN


def task_status(
    task: Task, entries: Sequence[ProgressEntry], as_of: dt.date
) -> tuple[Status, list[dict[str, Any]]]:
    """A task's status as of a day, and the status of each deadline (milestone).

    Progress rows dated after ``as_of`` are not known yet and are ignored. A ``done`` row for the task
    (``water.task.5``) completes every milestone; one for ``water.task.5#2`` completes the second
    deadline only. The task takes its worst milestone: overdue > open > done_late > ongoing > done.
    With no new progress, advancing ``as_of`` only moves a milestone forward (open → overdue).
    """
    known = [e for e in entries if e.date <= as_of]
    whole_done = min((e.date for e in known if e.status == "done" and "#" not in e.task), default=None)
    rows: list[dict[str, Any]] = []
    statuses: list[Status] = []
    for index, deadline in enumerate(task.deadlines or (Deadline(kind=DeadlineKind.ONGOING),), start=1):
        own = min((e.date for e in known if e.status == "done" and _milestone(e.task) == index), default=None)
        done_on = min((d for d in (own, whole_done) if d is not None), default=None)
        status = _deadline_status(deadline, done_on, as_of)
        statuses.append(status)
        rows.append(
            {
                "milestone": index,
                "label": deadline.label,
                "due": deadline.due.isoformat() if deadline.due else None,
                "text": deadline.text,
                "status": status.value,
                "done_on": done_on.isoformat() if done_on else None,
            }
        )
    worst = max(statuses, key=lambda s: _ORDER[s])
    return worst, rows


# -- the engine -----------------------------------------------------------------------------------


@attrs.define
class Engine:
    """Evaluates the loaded plans against input data. Build it with :func:`load`."""

    catalog: Catalog
    plugin_manager: pluggy.PluginManager | None = None

    @property
    def plans(self) -> tuple[Plan, ...]:
        return self.catalog.plans

    def evaluate(
        self,
        *,
        observations: Any = None,
        inventory: Any = None,
        progress: Any = None,
        as_of: dt.date | str,
        plans: Iterable[str] | None = None,
        strict: bool = False,
        ignore_extra_columns: bool = False,
    ) -> Report:
        """Evaluate every target, rule and task of the selected plans.

        :param observations: an ObservationSet, a DataFrame, a path, or a list of those.
        :param inventory: an Inventory, a path (YAML/JSON), a mapping, or a list of paths.
        :param progress: a Progress, a path (CSV/XLSX), a DataFrame or a list of those.
        :param as_of: the day the answer is for (ISO date).
        :param plans: plan ids or plugin short names; default every loaded plan.
        :param strict: observation rows for sites no selected plan names are an error, not a note.
        """
        day = parse_as_of(as_of)
        selected = self.catalog.select(plans)
        obs = self._observations(observations, ignore_extra_columns=ignore_extra_columns)
        inv = self._inventory(inventory)
        prog = self._progress(progress)
        unused: list[Issue] = list(getattr(obs, "issues", ()) or ())
        site_codes, unmatched = self._match_sites(obs, selected)
        if obs is not None:
            obs.check_alias_duplicates(
                codes for per_site in site_codes.values() for codes in per_site.values()
            )
        if obs is not None and inv is not None and unmatched.any():
            # Sites an inventory record names (outfalls, wells …) are read by rule evaluators, not unused.
            unmatched &= ~_inventory_site_rows(obs, inv)
        if obs is not None and unmatched.any():
            rows = np.flatnonzero(unmatched)
            issues = [
                Issue(
                    obs.files[obs.file[i]],
                    int(obs.row[i]),
                    "site",
                    f"site {obs.sites[obs.site[i]]!r} is not named by any selected plan",
                )
                for i in rows[:1000]
            ]
            if strict:
                raise DataError(
                    f"{rows.size} observation rows name sites no selected plan knows, e.g. {issues[0]}",
                    file=issues[0].file,
                    row=issues[0].row,
                    column="site",
                )
            unused.extend(issues)
            if rows.size > 1000:
                unused.append(
                    Issue(
                        obs.files[obs.file[rows[1000]]],
                        int(obs.row[rows[1000]]),
                        "site",
                        f"… and {rows.size - 1000} more rows for sites no selected plan names",
                    )
                )
        if prog is not None:
            known = {t.id: max(len(t.deadlines), 1) for p in selected for t in p.tasks}
            for e in prog.entries:
                base, _, milestone = e.task.partition("#")
                if base not in known:
                    unused.append(
                        Issue(
                            *_source_parts(e.source),
                            "task",
                            f"task {e.task!r} is not a task of any selected plan",
                        )
                    )
                elif milestone and (_milestone(e.task) or 0) not in range(1, known[base] + 1):
                    n = known[base]
                    unused.append(
                        Issue(
                            *_source_parts(e.source),
                            "task",
                            f"{e.task!r}: task {base} has {n} deadline(s); write {base}#1 … {base}#{n} or {base}",
                        )
                    )
                elif e.date > day:
                    unused.append(
                        Issue(
                            *_source_parts(e.source),
                            "date",
                            f"dated {e.date} after as_of {day}: not known yet",
                        )
                    )

        findings: list[Finding] = []
        for plan in selected:
            ctx = EvalContext(
                plan=plan,
                catalog=self.catalog,
                as_of=day,
                observations=obs,
                inventory=inv,
                progress=prog,
                site_codes=site_codes.get(plan.id, {}),
            )
            checks: tuple[Target | Rule, ...] = (*plan.targets, *plan.rules)
            for item in checks:
                findings.extend(self._run(item, ctx))
            for task in plan.tasks:
                findings.append(self._task_finding(task, ctx))
        return Report(
            as_of=day,
            plans=tuple(
                PlanInfo(
                    id=p.id, title_zh=p.title_zh, title_en=p.title_en, plugin=p.plugin, version=p.version
                )
                for p in selected
            ),
            findings=tuple(findings),
            unused=tuple(unused),
        )

    # -- internals ------------------------------------------------------------------------------
    def _run(self, item: Target | Rule, ctx: EvalContext) -> list[Finding]:
        fn = self.catalog.evaluators[item.evaluator]
        try:
            result = list(fn(item, ctx))
        except EnvplanError:
            raise
        except Exception as exc:
            owner = self.catalog.evaluator_plugin.get(item.evaluator, "?")
            raise PluginError(
                f"evaluator {item.evaluator!r} of plugin {owner!r} failed on {item.id!r}: "
                f"{type(exc).__name__}: {exc}",
                plugin=owner,
            ) from exc
        for f in result:
            if not isinstance(f, Finding):
                owner = self.catalog.evaluator_plugin.get(item.evaluator, "?")
                raise PluginError(
                    f"evaluator {item.evaluator!r} of plugin {owner!r} returned {f!r}", plugin=owner
                )
        return result

    def _task_finding(self, task: Task, ctx: EvalContext) -> Finding:
        entries = ctx.progress.for_task(task.id) if ctx.progress is not None else []
        status, milestones = task_status(task, entries, ctx.as_of)
        # The deadline that decides the status: the earliest milestone in the task's (worst) status,
        # so an overdue 2023 milestone is not reported against the task's 2025 completion date.
        deciding = next((m for m in milestones if m["status"] == status.value and m["due"]), None)
        final = task.final_deadline
        due = (
            deciding["due"]
            if deciding
            else (final.due.isoformat() if final is not None and final.due else None)
        )
        label = f" {deciding['label']}" if deciding and deciding["label"] and len(milestones) > 1 else ""
        known = [e for e in entries if e.date <= ctx.as_of]
        latest = max(known, key=lambda e: e.date, default=None)
        note = f"；最新进展 {latest.date} {latest.status} {latest.note}".rstrip() if latest else ""
        note_en = f"; latest report {latest.date} {latest.status} {latest.note}".rstrip() if latest else ""
        due_zh = f"期限 {due}{label}" if due else (final.text if final and final.text else "长期坚持")
        due_en = f"due {due}" if due else "ongoing"
        return ctx.finding(
            task,
            status=status,
            subject=f"第{task.number}条 {task.title_zh}",
            limit=due,
            message_zh=f"任务{task.number}「{task.title_zh}」{status.label_zh}（{due_zh}）{note}",
            message_en=f"Task {task.number} '{task.title_en}': {status.value} ({due_en}){note_en}",
            evidence=[e.source for e in known],
            details={
                "milestones": milestones,
                "final_due": final.due.isoformat() if final and final.due else None,
            },
        )

    def _observations(self, observations: Any, *, ignore_extra_columns: bool) -> ObservationSet | None:
        if observations is None:
            return None
        from envplan_core.data.observations import ObservationSet, read_observations

        if isinstance(observations, ObservationSet):
            return observations
        return read_observations(
            observations, parameters=self.catalog.parameters, ignore_extra_columns=ignore_extra_columns
        )

    def _inventory(self, inventory: Any) -> Inventory | None:
        if inventory is None:
            return None
        from envplan_core.data.inventory import Inventory, read_inventory

        if isinstance(inventory, Inventory):
            return inventory
        if isinstance(inventory, (list, tuple)) and inventory and isinstance(inventory[0], (str, Path)):
            parts = [read_inventory(p) for p in inventory]
            return Inventory.merge(parts)
        return read_inventory(inventory)

    def _progress(self, progress: Any) -> Progress | None:
        if progress is None:
            return None
        from envplan_core.data.progress import Progress, read_progress

        if isinstance(progress, Progress):
            return progress
        return read_progress(progress)

    def _match_sites(
        self, obs: ObservationSet | None, plans: Sequence[Plan]
    ) -> tuple[dict[str, dict[str, npt.NDArray[np.int32]]], npt.NDArray[np.bool_]]:
        """Site codes per plan and site id, and a row mask of observations no plan names."""
        if obs is None:
            return {}, np.zeros(0, dtype=bool)
        names = [normalise_name(s) for s in obs.sites]
        county = {normalise_name(n) for n in COUNTY_NAMES}
        used = np.zeros(len(obs.sites), dtype=bool)
        out: dict[str, dict[str, npt.NDArray[np.int32]]] = {}
        for plan in plans:
            per_site: dict[str, npt.NDArray[np.int32]] = {}
            county_codes = [i for i, n in enumerate(names) if n in county]
            per_site["county"] = np.asarray(county_codes, dtype=np.int32)
            for site in plan.sites:
                aliases = {
                    normalise_name(a) for a in (site.id, site.name_zh, site.name_en, *site.aliases) if a
                }
                per_site[site.id] = np.asarray(
                    [i for i, n in enumerate(names) if n in aliases], dtype=np.int32
                )
            for codes in per_site.values():
                used[codes] = True
            out[plan.id] = per_site
        unmatched = ~used[obs.site] if len(obs) else np.zeros(0, dtype=bool)
        return out, unmatched


def _inventory_site_rows(obs: ObservationSet, inv: Inventory) -> npt.NDArray[np.bool_]:
    """Observation rows whose site is an inventory record's ``id``, ``name`` or one of its ``aliases``."""
    names: set[str] = set()
    for record in inv.records:
        aliases = record.fields.get("aliases") or ()
        for name in (
            record.id,
            record.fields.get("name"),
            *([aliases] if isinstance(aliases, str) else aliases),
        ):
            if isinstance(name, str) and name:
                names.add(normalise_name(name))
    known = np.asarray([normalise_name(s) in names for s in obs.sites] or [False], dtype=bool)
    return known[obs.site] if len(obs) else np.zeros(0, dtype=bool)


def _source_parts(source: str) -> tuple[str, int]:
    file, _, row = source.rpartition(":")
    try:
        return file, int(row)
    except ValueError:
        return source, 0


def load(
    *,
    plugins: Sequence[Any] | None = None,
    autoload: bool | None = None,
    units_file: str | Path | None = None,
) -> Engine:
    """Load plugins (entry points by default), validate everything they register, return an Engine."""
    pm = get_plugin_manager(plugins=plugins, autoload=autoload)
    return Engine(catalog=build_catalog(pm, units_file=units_file), plugin_manager=pm)

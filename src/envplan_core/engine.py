"""The evaluation engine: dispatch targets, rules and tasks to evaluators, collect findings.

``Engine.evaluate(observations=…, inventory=…, progress=…, as_of=…)`` returns a
:class:`~envplan_core.findings.Report`. Every target and rule names an evaluator registered through
``envplan_evaluators`` (:mod:`envplan_core.context` describes the contract); tasks are judged from the
progress file by :func:`task_status`. Build an engine with :func:`envplan_core.load`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt
import pluggy

from envplan_core.catalog import Catalog
from envplan_core.context import EvalContext, parse_as_of
from envplan_core.errors import DataError, EnvplanError, PluginError
from envplan_core.findings import (
    Finding,
    Issue,
    PlanInfo,
    Report,
    Status,
    UnusedSummary,
    natural_key,
)
from envplan_core.model import Deadline, DeadlineKind, Plan, Rule, Target, Task
from envplan_core.parameters import normalise_name
from envplan_core.sites import record_names, site_alias_index

if TYPE_CHECKING:
    from envplan_core.data.inventory import Inventory
    from envplan_core.data.observation_set import ObservationSet
    from envplan_core.data.progress import Progress, ProgressEntry

__all__ = ["UNUSED_EXAMPLES", "Engine", "Replacement", "resolve_progress", "superseded_items", "task_status"]

#: How many unused input rows a report lists by default (all are counted in ``unused_summary``).
UNUSED_EXAMPLES = 20


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
        unused_examples: int = UNUSED_EXAMPLES,
    ) -> Report:
        """Evaluate every target, rule and task of the selected plans.

        :param observations: an ObservationSet, a DataFrame, a path, or a list of those.
        :param inventory: an Inventory, a path (YAML/JSON), a mapping, or a list of paths.
        :param progress: a Progress, a path (CSV/XLSX), a DataFrame or a list of those.
        :param as_of: the day the answer is for (ISO date).
        :param plans: plan ids or plugin short names; default every loaded plan.
        :param strict: observation rows for sites no selected plan names are an error, not a note.
        :param unused_examples: how many unused input rows the report lists (``Report.unused``); the
            report counts all of them (``Report.unused_summary``: total, per site and parameter).

        A progress row naming a task no loaded plan has is an error naming file, row and the nearest ids;
        a row naming a task by its number (``5``, ``第5条``) is that task of the one selected plan, and an
        error when several plans are selected (:func:`resolve_progress`).
        """
        day = parse_as_of(as_of)
        selected = self.catalog.select(plans)
        obs = self._observations(observations, ignore_extra_columns=ignore_extra_columns)
        inv = self._inventory(inventory)
        prog = self._progress(progress)
        if prog is not None:
            prog = resolve_progress(prog, selected, self.catalog.plans)
        reader_issues: list[Issue] = list(getattr(obs, "issues", ()) or ())
        site_codes, unmatched = self._match_sites(obs, selected)
        if obs is not None:
            obs.check_alias_duplicates(
                codes for per_site in site_codes.values() for codes in per_site.values()
            )
        if obs is not None and inv is not None and unmatched.any():
            # Sites an inventory record names (outfalls, wells …) are read by rule evaluators, not unused.
            unmatched &= ~_inventory_site_rows(obs, inv)
        site_rows = np.flatnonzero(unmatched) if obs is not None else np.zeros(0, dtype=np.int64)
        if obs is not None and strict and site_rows.size:
            first = _site_issue(obs, int(site_rows[0]))
            raise DataError(
                f"{site_rows.size} observation rows name sites no selected plan knows, e.g. {first}",
                file=first.file,
                row=first.row,
                column="site",
            )
        other_issues = [*reader_issues, *(_progress_issues(prog, selected, day) if prog is not None else [])]
        unused, summary = _unused(obs, site_rows, other_issues, limit=unused_examples)
        findings: list[Finding] = []
        replaced = superseded_items(self.catalog.plans, day)
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
                if item.id in replaced:
                    findings.append(_superseded_finding(item, ctx, replaced[item.id]))
                elif plan.effective_from is not None and day < plan.effective_from:
                    findings.append(_not_in_force(item, ctx, plan.effective_from))
                else:
                    findings.extend(self._run(item, ctx))
            for task in plan.tasks:
                if task.id in replaced:
                    findings.append(_superseded_finding(task, ctx, replaced[task.id]))
                else:
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
            unused_summary=summary,
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
        used = np.zeros(len(obs.sites), dtype=bool)
        out: dict[str, dict[str, npt.NDArray[np.int32]]] = {}
        for plan in plans:
            index = site_alias_index([plan])
            codes: dict[str, list[int]] = {"county": [], **{site.id: [] for site in plan.sites}}
            for code, name in enumerate(names):
                if name in index:
                    codes[index[name][1]].append(code)
            per_site = {site_id: np.asarray(c, dtype=np.int32) for site_id, c in codes.items()}
            for found in per_site.values():
                used[found] = True
            out[plan.id] = per_site
        unmatched = ~used[obs.site] if len(obs) else np.zeros(0, dtype=bool)
        return out, unmatched


@attrs.frozen
class Replacement:
    """Who replaces a superseded item: the later plan, its item (``""`` when retired) and from when."""

    plan: str
    item: str
    effective_from: dt.date


def superseded_items(plans: Iterable[Plan], day: dt.date) -> dict[str, Replacement]:
    """Item ids of loaded plans that a later loaded plan supersedes on ``day`` (its ``supersedes``)."""
    loaded = {p.id for p in plans}
    out: dict[str, Replacement] = {}
    for plan in plans:
        for sup in plan.supersedes:
            if sup.plan in loaded and day >= sup.effective_from:
                for old, new in sup.items.items():
                    out[old] = Replacement(plan=plan.id, item=new, effective_from=sup.effective_from)
    return out


def _superseded_finding(item: Target | Rule | Task, ctx: EvalContext, by: Replacement) -> Finding:
    title = item.title_zh
    instead_zh = f"由{by.plan}的{by.item}替代" if by.item else f"由{by.plan}废止"
    instead_en = f"replaced by {by.item} of {by.plan}" if by.item else f"retired by {by.plan}"
    return ctx.finding(
        item,
        status=Status.SUPERSEDED,
        message_zh=f"{title}：自{by.effective_from.isoformat()}起{instead_zh}，不再按本计划评估",
        message_en=f"{item.title_en}: {instead_en} from {by.effective_from.isoformat()}; not judged by this plan",
        details={
            "superseded_by": {"plan": by.plan, "item": by.item or None, "from": by.effective_from.isoformat()},
            **_nothing_judged(
                item, ctx, zh=f"自{by.effective_from.isoformat()}起{instead_zh}", en=f"{instead_en} from {by.effective_from}"
            ),
        },
    )


def _not_in_force(item: Target | Rule, ctx: EvalContext, start: dt.date) -> Finding:
    return ctx.finding(
        item,
        status=Status.NOT_APPLICABLE,
        message_zh=f"{item.title_zh}：计划自{start.isoformat()}起施行，评估日尚未生效",
        message_en=f"{item.title_en}: the plan applies from {start.isoformat()}; not in force on the evaluation day",
        details={
            "effective_from": start.isoformat(),
            **_nothing_judged(
                item, ctx, zh=f"计划自{start.isoformat()}起施行，评估日尚未生效", en=f"the plan applies from {start}"
            ),
        },
    )


def _nothing_judged(item: Target | Rule | Task, ctx: EvalContext, *, zh: str, en: str) -> dict[str, Any]:
    """``{"computation": …}`` for a target or rule that is not judged (tasks carry their milestones)."""
    if isinstance(item, Task):
        return {}
    from envplan_core.evaluators.common import no_computation

    return {"computation": no_computation(item, ctx, rule_zh=f"不作判定：{zh}", rule_en=f"not judged: {en}")}


def _inventory_site_rows(obs: ObservationSet, inv: Inventory) -> npt.NDArray[np.bool_]:
    """Observation rows whose site is an inventory record's ``id``, ``name`` or one of its ``aliases``."""
    names: frozenset[str] = frozenset().union(*(record_names(record) for record in inv.records))
    known = np.asarray([normalise_name(s) in names for s in obs.sites] or [False], dtype=bool)
    return known[obs.site] if len(obs) else np.zeros(0, dtype=bool)


def _source_parts(source: str) -> tuple[str, int]:
    file, _, row = source.rpartition(":")
    try:
        return file, int(row)
    except ValueError:
        return source, 0


# -- unused rows ------------------------------------------------------------------------------------


def _site_issue(obs: ObservationSet, i: int) -> Issue:
    return Issue(
        obs.files[obs.file[i]],
        int(obs.row[i]),
        "site",
        f"site {obs.sites[obs.site[i]]!r} is not named by any selected plan",
    )


def _unused(
    obs: ObservationSet | None,
    site_rows: npt.NDArray[np.intp],
    other: Sequence[Issue],
    *,
    limit: int,
) -> tuple[list[Issue], UnusedSummary]:
    """At most ``limit`` real unused rows (other issues first, then rows of unknown sites), and the exact
    counts: total, per site and per parameter (observation rows of sites no selected plan names), per
    column (what kind of problem)."""
    if limit < 0:
        raise ValueError(f"unused_examples must be ≥ 0, not {limit}")
    shown = list(other[:limit])
    by_site: dict[str, int] = {}
    by_parameter: dict[str, int] = {}
    if obs is not None and site_rows.size:
        room = max(limit - len(shown), 0)
        shown += [_site_issue(obs, int(i)) for i in site_rows[:room]]
        sites = np.bincount(obs.site[site_rows], minlength=len(obs.sites))
        params = np.bincount(obs.parameter[site_rows], minlength=len(obs.parameters))
        by_site = {str(obs.sites[c]): int(n) for c, n in enumerate(sites.tolist()) if n}
        by_parameter = {str(obs.parameters[c]): int(n) for c, n in enumerate(params.tolist()) if n}
    by_column = Counter(i.column for i in other)
    if site_rows.size:
        by_column["site"] += int(site_rows.size)
    summary = UnusedSummary(
        total=len(other) + int(site_rows.size),
        by_site=dict(sorted(by_site.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_parameter=dict(sorted(by_parameter.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_column=dict(sorted(by_column.items())),
        shown=len(shown),
    )
    return shown, summary


# -- progress rows ----------------------------------------------------------------------------------

# "5", "第5条", "第 5 条", "第五条", "第十五条" (full-width digits fold to ASCII), optionally with a
# milestone "#2".
_BY_NUMBER = re.compile(r"^(?:第\s*)?(\d+|[〇零一二两三四五六七八九十百]+)\s*(?:条)?$")
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral as plans number their clauses (``五`` 5, ``十五`` 15, ``二十`` 20,
    ``一百零二`` 102), or None when ``text`` is not one. Digits only, or 十/百 with their multipliers."""
    if not text:
        return None
    total, digit = 0, None
    seen_units: list[int] = []
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[ch] != 0 and digit != 0:
                return None  # two digits in a row ("五五"): not a numeral of this form
            digit = _CN_DIGITS[ch]
            continue
        unit = 10 if ch == "十" else 100 if ch == "百" else None
        if unit is None or (seen_units and unit >= seen_units[-1]):
            return None
        seen_units.append(unit)
        total += (1 if digit is None else digit) * unit
        digit = None
    return total + (digit or 0)


def _number_of(text: str) -> str | None:
    match = _BY_NUMBER.match(unicodedata.normalize("NFKC", text).strip())
    if not match:
        return None
    token = match.group(1)
    value = int(token) if token.isdigit() else chinese_number(token)
    return None if value is None else str(value)


def resolve_progress(progress: Progress, selected: Sequence[Plan], loaded: Sequence[Plan]) -> Progress:
    """Progress rows with every task named by its full id.

    A row naming a task by number (``5``, ``第5条``, ``第五条``, ``5#2``) is that task of the one selected
    plan; with several plans selected it is an error asking for the full id. A row whose task matches no
    task of any loaded plan (``water.task.55``) is an error naming file, row and the nearest ids (it would
    otherwise be an "unused" row and ``--fail-on`` could pass over it), and so is a row naming a milestone
    the task does not have (``water.task.5#9``). Rows of a loaded plan that is not selected stay, and are
    reported unused.
    """
    known = {t.id: max(len(t.deadlines), 1) for p in loaded for t in p.tasks}
    problems: list[tuple[str, str]] = []
    entries = []

    def keep(e: ProgressEntry, task: str) -> None:
        base, sep, milestone = task.partition("#")
        if sep and (_milestone(task) or 0) not in range(1, known[base] + 1):
            n = known[base]
            problems.append(
                (
                    e.source,
                    f"task {e.task!r}: milestone #{milestone} does not exist; task {base} has {n} "
                    f"deadline(s): write {', '.join(f'{base}#{i}' for i in range(1, min(n, 3) + 1))}"
                    f"{' …' if n > 3 else ''} or {base}",
                )
            )
            return
        entries.append(e if task == e.task else attrs.evolve(e, task=task))

    for e in progress.entries:
        base, sep, milestone = e.task.partition("#")
        if base in known:
            keep(e, e.task)
            continue
        number = _number_of(base)
        if number is not None:
            matches = [t.id for p in selected for t in p.tasks if t.number == number]
            if len(selected) == 1 and len(matches) == 1:
                keep(e, f"{matches[0]}{sep}{milestone}")
                continue
            if len(selected) > 1:
                plans = ", ".join(p.id for p in selected)
                hint = ", ".join(matches) if matches else "no selected plan has that number"
                problems.append(
                    (
                        e.source,
                        f"task {e.task!r} names a task by number, but {len(selected)} plans are selected "
                        f"({plans}): write the full id ({hint}), or select one plan (--plan)",
                    )
                )
                continue
        near = difflib.get_close_matches(base, sorted(known, key=natural_key), n=3, cutoff=0.6)
        if number is not None and len(selected) == 1:  # the plan's tasks of the nearest numbers
            own = [t for t in selected[0].tasks if t.number.isdigit()]
            own.sort(key=lambda t: (abs(int(t.number) - int(number)), int(t.number)))
            near = [t.id for t in own[:3]]
        hint = f"; nearest: {', '.join(near)}" if near else f"; task ids look like {_example_id(loaded)}"
        problems.append((e.source, f"task {e.task!r} is not a task of any loaded plan{hint}"))
    if problems:
        source, message = problems[0]
        file, row = _source_parts(source)
        more = f" (and {len(problems) - 1} more rows)" if len(problems) > 1 else ""
        raise DataError(
            f"{message}{more}",
            file=file,
            row=row,
            column="task",
            problems=tuple(f"{src}: {msg}" for src, msg in problems),
        )
    return attrs.evolve(progress, entries=tuple(entries))


def _example_id(plans: Sequence[Plan]) -> str:
    first = next((t.id for p in plans for t in p.tasks), None)
    return first or "<plan>.task.<n>"


def _progress_issues(progress: Progress, selected: Sequence[Plan], day: dt.date) -> list[Issue]:
    """Progress rows that are not used: of a loaded plan that is not selected, or dated after ``as_of``
    (not known yet). Rows naming no task or a milestone that does not exist never get here
    (:func:`resolve_progress` refuses them)."""
    issues: list[Issue] = list(progress.issues)
    known = {t.id for p in selected for t in p.tasks}
    for e in progress.entries:
        base = e.task.partition("#")[0]
        if base not in known:
            issues.append(
                Issue(*_source_parts(e.source), "task", f"task {e.task!r} is not a task of any selected plan")
            )
        elif e.date > day:
            issues.append(
                Issue(*_source_parts(e.source), "date", f"dated {e.date} after as_of {day}: not known yet")
            )
    return issues

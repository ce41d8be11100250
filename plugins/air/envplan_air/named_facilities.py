"""Named facilities: one enterprise's facility, named through a plan site (any alias) and ``where``.

- ``facility_closed`` — closed by ``due`` (the 4.3 m coke oven by 2023-10-31);
- ``facility_status`` — a field reaches "done" by ``due`` (ultra-low emission retrofits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from envplan_air.facility_records import (
    DueParams,
    as_bool,
    as_date,
    as_rule,
    clause_label,
    match,
    missing_fields,
    no_records,
    operating_state,
    record_name,
    records_of,
    site_index,
)
from envplan_core.plugin import (
    EvalContext,
    Finding,
    Record,
    Rule,
    Status,
    Target,
    evaluator,
    normalise_name,
)

__all__ = [
    "FacilityClosedParams",
    "FacilityStatusParams",
    "evaluate_facility_closed",
    "evaluate_facility_status",
]


@attrs.frozen
class _NamedParams(DueParams):
    """A named facility: ``site`` (an enterprise named by any alias) and ``where``, with ``due``."""

    site: str | None = None


@attrs.frozen
class FacilityClosedParams(_NamedParams):
    """Parameters of ``facility_closed``.

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``site``: the plan site (enterprise) whose records are meant, named by any alias;
    - ``where``: ``{field: value}`` the facility's record must match (e.g. ``{height: "4.3 m"}``);
    - ``due``: the closing deadline (YYYY-MM-DD).
    """


@attrs.frozen
class FacilityStatusParams(_NamedParams):
    """Parameters of ``facility_status``.

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``site``: the plan site (enterprise) whose records are meant, named by any alias;
    - ``where``: ``{field: value}`` the records must match (e.g. ``{industry: coking}``);
    - ``field``: the record field that says done (true/false or the completion date);
    - ``due``: the deadline (YYYY-MM-DD).
    """

    field: str = ""


def _of_site(record: Record, site_id: str, sites: Mapping[str, str]) -> bool:
    if record.id == site_id:
        return True
    for key in ("enterprise", "site", "company", "name"):
        value = record.get(key)
        if value is not None and sites.get(normalise_name(str(value))) == site_id:
            return True
    return False


def _site_records(ctx: EvalContext, rule: Rule, params: _NamedParams) -> tuple[list[Record], str]:
    """Records of the rule's ``site`` (enterprise named by any alias) that match ``where`` positively."""
    records = records_of(ctx, rule, params) or []
    sites = site_index(ctx)
    site_id = params.site
    where = params.where
    picked = [
        r
        for r in records
        if (site_id is None or _of_site(r, site_id, sites)) and match(r, where, sites)[0] is True
    ]
    site = ctx.site(site_id) if site_id else None
    label = " ".join(
        x for x in (site.name_zh if site else "", " ".join(f"{k}={v}" for k, v in where.items())) if x
    )
    return picked, label


def _named_records(ctx: EvalContext, rule: Rule, params: _NamedParams) -> list[Record] | Finding:
    """The rule's named facility records (:func:`_site_records`), or the finding that there are none."""
    if ctx.inventory is None:
        return no_records(rule, ctx, params)
    picked, label = _site_records(ctx, rule, params)
    if not picked:
        return no_records(rule, ctx, params, f"{label}（kind={rule.applies_to}）的记录")
    return picked


def _deadline_base(rule: Rule, record: Record, due: dt.date | None) -> tuple[dict[str, Any], str, str]:
    """A named facility's finding fields (subject, evidence, due day as the limit) and message heads."""
    name = record_name(record)
    base: dict[str, Any] = {
        "subject": name,
        "evidence": [record.source],
        "limit": due.isoformat() if due else None,
    }
    return base, f"{name}：{rule.title_zh}（{clause_label(rule)}）", f"{name}: {rule.title_en}"


def _not_done(
    rule: Rule,
    ctx: EvalContext,
    due: dt.date | None,
    *,
    value: str,
    base: Mapping[str, Any],
    info: Mapping[str, Any],
    overdue: tuple[str, str],
    pending: tuple[str, str],
) -> Finding:
    """A named facility not (yet) closed or done: ``not_met`` after the due day, else ``not_applicable``;
    ``overdue``/``pending`` are the (zh, en) messages of the two cases."""
    late = due is not None and ctx.as_of > due
    message_zh, message_en = overdue if late else pending
    return ctx.finding(
        rule,
        status=Status.NOT_MET if late else Status.NOT_APPLICABLE,
        value=value,
        **base,
        details=dict(info),
        message_zh=message_zh,
        message_en=message_en,
    )


@evaluator(FacilityClosedParams)
def evaluate_facility_closed(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """A named facility (``site`` + ``where``) closed by ``due`` (the 4.3 m coke oven by 2023-10-31)."""
    rule = as_rule(item)
    params = ctx.params_of(rule, FacilityClosedParams)
    due = params.due
    picked = _named_records(ctx, rule, params)
    if isinstance(picked, Finding):
        return [picked]
    out = []
    for record in picked:
        state = operating_state(record, ctx.as_of)
        base, head, head_en = _deadline_base(rule, record, due)
        info = {"record": record.id, "due": due, "closed_on": state.closed_on, "status_field": state.status}
        if not state.operating:
            late = due is not None and state.closed_on is not None and state.closed_on > due
            when = f"于{state.closed_on}" if state.closed_on else "（关停日期未提供）"
            out.append(
                ctx.finding(
                    rule,
                    status=Status.NOT_MET if late else Status.MET,
                    value=str(state.closed_on or "closed"),
                    **base,
                    details={**info, "closed_late": late},
                    message_zh=f"{head}：已{when}关停" + (f"，晚于期限{due}" if late else ""),
                    message_en=f"{head_en}: closed"
                    + (f" on {state.closed_on}" if state.closed_on else " (date not given)")
                    + (f", after the deadline {due}" if late else ""),
                )
            )
        else:
            out.append(
                _not_done(
                    rule,
                    ctx,
                    due,
                    value="operating",
                    base=base,
                    info=info,
                    overdue=(
                        f"{head}：期限{due}已过，仍未关停",
                        f"{head_en}: still operating after the deadline {due}",
                    ),
                    pending=(
                        f"{head}：尚未关停，期限{due}（未到期）",
                        f"{head_en}: not closed yet, due on {due}",
                    ),
                )
            )
    return out


@evaluator(FacilityStatusParams)
def evaluate_facility_status(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """A field of named enterprises reaches "done" by ``due`` (ultra-low emission retrofits).

    ``field`` holds true/false or the completion date (a date counts as done on that day; true without
    a date as done, date unknown). ``<field>_on`` may carry the date beside a true.
    """
    rule = as_rule(item)
    params = ctx.params_of(rule, FacilityStatusParams)
    field, due = params.field, params.due
    picked = _named_records(ctx, rule, params)
    if isinstance(picked, Finding):
        return [picked]
    out = []
    for record in picked:
        raw = record.get(field)
        done_on = (
            as_date(raw, f"{record.source}.{field}")
            if isinstance(raw, (dt.date, str)) and as_bool(raw) is None
            else as_date(record.get(f"{field}_on"), f"{record.source}.{field}_on")
        )
        done = done_on is not None or as_bool(raw) is True
        if done_on is not None and done_on > ctx.as_of:
            done, done_on = False, None  # completed after as_of: not known yet
        base, head, head_en = _deadline_base(rule, record, due)
        info = {"record": record.id, "field": field, "due": due, "done_on": done_on}
        if raw is None and record.get(f"{field}_on") is None:
            out.append(missing_fields(rule, ctx, record, [field]))
        elif done:
            late = due is not None and done_on is not None and done_on > due
            out.append(
                ctx.finding(
                    rule,
                    status=Status.NOT_MET if late else Status.MET,
                    value=str(done_on or True).lower(),
                    **base,
                    details={**info, "late": late},
                    message_zh=f"{head}：已完成"
                    + (f"（{done_on}）" if done_on else "（完成日期未提供）")
                    + (f"，晚于期限{due}" if late else ""),
                    message_en=f"{head_en}: done"
                    + (f" on {done_on}" if done_on else " (date not given)")
                    + (f", after the deadline {due}" if late else ""),
                )
            )
        else:
            out.append(
                _not_done(
                    rule,
                    ctx,
                    due,
                    value="false",
                    base=base,
                    info=info,
                    overdue=(
                        f"{head}：期限{due}已过，尚未完成",
                        f"{head_en}: not done after the deadline {due}",
                    ),
                    pending=(
                        f"{head}：尚未完成，期限{due}（未到期）",
                        f"{head_en}: not done yet, due on {due}",
                    ),
                )
            )
    return out

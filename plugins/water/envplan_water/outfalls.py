"""``outfall_monitoring`` — every registered outfall sampled every month, and samples against the
outfall's own limits (task 14; ``params.check: exceedance``). An outfall's samples are the observation
rows whose site is its id, ``name`` or one of its ``aliases``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np

from envplan_core.plugin import (
    DataError,
    EvalContext,
    Finding,
    ObservationSet,
    Quantity,
    Record,
    Rule,
    Status,
    Target,
    evaluator,
    format_unit,
    insufficient_data,
    limit_in,
    matches_where,
    normalise_name,
    record_names,
    status_of,
)
from envplan_water._common import (
    RecordParams,
    fmt,
    param_zh,
    period_label,
    sig,
)

__all__ = [
    "OutfallMonitoringParams",
    "evaluate_outfall_monitoring",
]


@attrs.frozen
class OutfallMonitoringParams(RecordParams):
    """Parameters of ``outfall_monitoring``.

    - ``kind``: the record kind of the outfalls; default the rule's ``applies_to``, else ``outfall``;
    - ``where``: ``{field: value}`` an outfall must match to be checked (a list: one of the values);
    - ``check``: ``monitoring`` (default: every outfall sampled every calendar month) or ``exceedance``
      (every sample within the outfall's own ``limits``).
    """

    check: Literal["monitoring", "exceedance"] = "monitoring"


def _record_rows(obs: ObservationSet, record: Record, start: dt.date, stop: dt.date) -> ObservationSet:
    names = record_names(record)
    codes = np.asarray([i for i, s in enumerate(obs.sites) if normalise_name(s) in names], dtype=np.int32)
    return obs.select(sites=codes, start=start, end=stop + dt.timedelta(days=1))


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months(first: dt.date, last: dt.date) -> list[str]:
    """``YYYY-MM`` labels of every month from ``first``'s to ``last``'s, inclusive."""
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _last_complete_month(as_of: dt.date) -> dt.date:
    """The last day of the last calendar month that is over on ``as_of`` (``as_of`` itself at month end)."""
    next_day = as_of + dt.timedelta(days=1)
    return as_of if next_day.month != as_of.month else _month_start(as_of) - dt.timedelta(days=1)


def _extra_units(ctx: EvalContext, record: Record) -> list[str]:
    """Units the record names (``town`` or ``responsible``), as canonical Chinese names."""
    raw: list[str] = []
    for key in ("town", "responsible"):
        value = record.fields.get(key)
        if isinstance(value, str):
            raw.append(value)
        elif isinstance(value, (list, tuple)):
            raw.extend(str(v) for v in value)
    return [ctx.catalog.units.canonical_zh(n) for n in raw if ctx.catalog.units.resolve(n) is not None]


def _with_units(finding: Finding, extra: Sequence[str]) -> Finding:
    support = tuple(dict.fromkeys((*finding.support, *(u for u in extra if u not in finding.lead))))
    return attrs.evolve(finding, support=support)


_RANGE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[-~～—]\s*(-?\d+(?:\.\d+)?)\s*$")


def _outfall_limits(ctx: EvalContext, record: Record) -> dict[str, tuple[float, float]]:
    """The record's limits as ``parameter id -> (low, high)`` in the parameter's canonical unit.

    ``limits: {COD: "50 mg/L", pH: "6-9"}`` or flat fields ``limit_COD: "50 mg/L"``; a quantity is a
    maximum, ``"a-b"`` a range (pH)."""
    raw: dict[str, Any] = {}
    nested = record.fields.get("limits")
    if isinstance(nested, Mapping):
        raw.update({str(k): v for k, v in nested.items()})
    for key, value in record.fields.items():
        if key.startswith("limit_"):
            raw[key.removeprefix("limit_")] = value
    where = record.source.rpartition(":")[0] or None
    out: dict[str, tuple[float, float]] = {}
    for name, value in raw.items():
        param = ctx.catalog.parameters.resolve(name)
        if param is None:
            raise DataError(
                f"outfall {record.id!r}: limit for unknown parameter {name!r}", file=where, column="limits"
            )
        if isinstance(value, Quantity):
            try:
                out[param.id] = (-np.inf, float(value.m_as(param.unit)))
            except Exception as exc:  # noqa: BLE001 - pint's DimensionalityError; reported as a data error
                raise DataError(
                    f"outfall {record.id!r}: limit {name} = {value} does not fit {param.id} "
                    f"({format_unit(param.unit)}): {exc}",
                    file=where,
                    column="limits",
                ) from None
            continue
        match = _RANGE.match(str(value))
        if match is not None:
            out[param.id] = (float(match.group(1)), float(match.group(2)))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[param.id] = (-np.inf, float(value))
        else:
            raise DataError(
                f'outfall {record.id!r}: limit {name} = {value!r} is neither a quantity ("50 mg/L") '
                'nor a range ("6-9")',
                file=where,
                column="limits",
            )
    return out


@evaluator(OutfallMonitoringParams)
def evaluate_outfall_monitoring(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Task 14: every registered outfall sampled every month (default), or, with
    ``params.check: exceedance``, every sample within the outfall's own limits. One finding per outfall.

    The outfalls are the inventory's records of kind ``params.kind`` (default ``outfall``); an outfall's
    samples are the observation rows whose site is its id, ``name`` or one of its ``aliases``.
    """
    params = ctx.params_of(item, OutfallMonitoringParams)
    kind = params.kind_or(getattr(item, "applies_to", "") or "outfall")
    check = params.check
    start, end = ctx.period(item)
    if ctx.inventory is None:
        return [
            insufficient_data(
                item,
                ctx,
                f"未提供清单数据（需要 kind={kind} 的入河排污口登记记录"
                + ("及其排放限值 limits" if check == "exceedance" else "")
                + "）",
                f"no inventory given (needs the registered outfalls as records of kind {kind!r}"
                + (" with their limits" if check == "exceedance" else "")
                + ")",
                details={"missing": [kind]},
            )
        ]
    records = [r for r in ctx.inventory.by_kind(kind) if matches_where(r.fields, params.where)]
    if not records:
        return [
            insufficient_data(
                item,
                ctx,
                f"清单中没有 kind={kind} 的入河排污口记录",
                f"the inventory has no records of kind {kind!r}",
                details={"missing": [kind]},
            )
        ]
    if ctx.observations is None:
        return [
            insufficient_data(
                item,
                ctx,
                "未提供监测数据（需要各排污口的逐月水质监测记录，site 为排污口名称）",
                "no observations given (needs each outfall's monthly samples, with the outfall's name as site)",
                details={"missing": ["observations"]},
            )
        ]
    out: list[Finding] = []
    for record in records:
        finding = (
            _outfall_months(item, ctx, record, start, end)
            if check == "monitoring"
            else _outfall_exceedance(item, ctx, record, start, end)
        )
        out.append(_with_units(finding, _extra_units(ctx, record)))
    return out


def _outfall_months(
    item: Target | Rule, ctx: EvalContext, record: Record, start: dt.date, end: dt.date
) -> Finding:
    assert ctx.observations is not None
    name = str(record.fields.get("name", record.id))
    first = start
    since = record.fields.get("monitored_from")
    if isinstance(since, dt.date) and since > first:
        first = since
    last = min(end, _last_complete_month(ctx.as_of))
    closed = record.fields.get("closed")
    if isinstance(closed, dt.date) and closed < last:
        last = closed
    threshold = (item.thresholds or (None,))[0]  # ">= 1": samples per outfall per calendar month
    per_month = max(int(limit_in(threshold, "")), 1) if threshold is not None else 1
    expected = _months(first, last) if first <= last else []
    if not expected:
        return ctx.finding(
            item,
            status=Status.NOT_APPLICABLE,
            subject=name,
            evidence=[record.source],
            message_zh=f"{name}：截至{ctx.as_of}尚无需监测的完整月份",
            message_en=f"{name}: no complete month to monitor yet on {ctx.as_of}",
        )
    rows = _record_rows(ctx.observations, record, _month_start(first), last)
    # A sample is one sampling time (several parameters measured together count once).
    stamps = np.unique(rows.time)
    months = stamps.astype("datetime64[M]").astype(str)
    label, counts = np.unique(months, return_counts=True)
    count_of = dict(zip(label.tolist(), counts.tolist(), strict=True))
    missing = [m for m in expected if count_of.get(m, 0) < per_month]
    monitored = len(expected) - len(missing)
    ok = not missing
    period = f"{expected[0]}..{expected[-1]}"
    return ctx.finding(
        item,
        status=status_of(ok),
        subject=name,
        value=float(monitored),
        limit=float(len(expected)),
        unit="个月",
        period=period,
        message_zh=f"{name}：{period}应监测{len(expected)}个月，已监测{monitored}个月"
        + (f"；缺测月份：{'、'.join(missing)}" if missing else ""),
        message_en=f"{name}: {monitored} of {len(expected)} months monitored {period}"
        + (f"; missing: {', '.join(missing)}" if missing else ""),
        evidence=[record.source, *rows.evidence()],
        details={
            "expected_months": expected,
            "missing_months": missing,
            "samples_per_month": count_of,
            "min_samples_per_month": per_month,
            "outfall": record.id,
        },
    )


def _outfall_exceedance(
    item: Target | Rule, ctx: EvalContext, record: Record, start: dt.date, end: dt.date
) -> Finding:
    assert ctx.observations is not None
    name = str(record.fields.get("name", record.id))
    limits = _outfall_limits(ctx, record)
    stop = min(end, ctx.as_of)
    deadline = record.fields.get("deadline")
    deadline_info = {"deadline": deadline.isoformat()} if isinstance(deadline, dt.date) else {}
    if not limits:
        return insufficient_data(
            item,
            ctx,
            '登记记录没有排放限值（如 limits: {COD: "50 mg/L"}）',
            'the outfall record has no discharge limits (e.g. limits: {COD: "50 mg/L"})',
            about=name,
            evidence=[record.source],
            details={"missing": ["limits"], "outfall": record.id},
        )
    rows = _record_rows(ctx.observations, record, start, stop)
    codes = {pid: code for code, pid in enumerate(rows.parameters) if pid in limits}
    rows = (
        rows.take(np.isin(rows.parameter, list(codes.values())))
        if codes
        else rows.take(np.zeros(len(rows), dtype=bool))
    )
    if len(rows) == 0:
        return insufficient_data(
            item,
            ctx,
            f"{start}至{stop}没有限值指标（{'、'.join(limits)}）的监测数据",
            f"no samples of the limited parameters ({', '.join(limits)}) {start}..{stop}",
            about=name,
            evidence=[record.source],
            details={"missing": ["observations"], "outfall": record.id, **deadline_info},
        )
    values = rows.stat_values()
    pids = np.asarray(rows.parameters, dtype=object)[rows.parameter]
    low = np.asarray([limits[str(p)][0] for p in pids], dtype=np.float64)
    high = np.asarray([limits[str(p)][1] for p in pids], dtype=np.float64)
    over = (values > high) | (values < low)
    exceed: list[dict[str, Any]] = []
    for row in np.flatnonzero(over).tolist():
        pid = str(pids[row])
        lo, hi = limits[pid]
        exceed.append(
            {
                "date": str(rows.time[row].astype("datetime64[D]")),
                "parameter": pid,
                "value": sig(float(values[row])),
                "limit": hi if np.isfinite(hi) else None,
                "range": [lo, hi] if np.isfinite(lo) else None,
                "unit": format_unit(ctx.catalog.parameters[pid].unit),
                "multiple": round(float(values[row]) / hi, 4) if np.isfinite(hi) and hi > 0 else None,
            }
        )
    n = int(np.unique(rows.time).size)
    if not exceed:
        return ctx.finding(
            item,
            status=Status.MET,
            subject=name,
            period=period_label(start, end),
            message_zh=f"{name}：{n}次监测，{'、'.join(limits)}均未超过排放限值",
            message_en=f"{name}: {n} samples, {', '.join(limits)} within the outfall's limits",
            evidence=[record.source, *rows.evidence()],
            details={"samples": n, "exceedances": [], "outfall": record.id, **deadline_info},
        )
    worst = max(exceed, key=lambda e: e["multiple"] or 0.0)
    months = sorted({e["date"][:7] for e in exceed})
    last_sample = rows.time.max()
    latest_over = bool(over[rows.time == last_sample].any())
    listed_zh = "；".join(
        f"{e['date']} {param_zh(ctx, e['parameter'])} {fmt(e['value'])} {e['unit']}"
        + (
            f"（限值 {fmt(e['limit'])}，{e['multiple']:.2f}倍）"
            if e["limit"] is not None
            else f"（限值 {e['range'][0]:g}-{e['range'][1]:g}）"
        )
        for e in exceed
    )
    listed_en = "; ".join(f"{e['date']} {e['parameter']} {fmt(e['value'])} {e['unit']}" for e in exceed)
    due_zh = ""
    due_en = ""
    if isinstance(deadline, dt.date):
        past = ctx.as_of > deadline
        due_zh = f"；限期达标 {deadline}" + ("，已过期限" if past and latest_over else "")
        due_en = f"; compliance due {deadline}" + (" (passed)" if past and latest_over else "")
    return ctx.finding(
        item,
        status=Status.NOT_MET,
        subject=name,
        value=worst["value"],
        limit=worst["limit"],
        unit=worst["unit"],
        period=period_label(start, end),
        message_zh=f"{name}：超标排放{len(exceed)}次（{'、'.join(months)}）：{listed_zh}"
        + ("；最近一次监测仍超标" if latest_over else "；最近一次监测已达标")
        + due_zh,
        message_en=f"{name}: {len(exceed)} samples above the outfall's limits ({', '.join(months)}): {listed_en}"
        + ("; the latest sample still exceeds" if latest_over else "; the latest sample complies")
        + due_en,
        evidence=[record.source, *rows.evidence(over)],
        details={
            "samples": n,
            "exceedances": exceed,
            "months": months,
            "latest_exceeds": latest_over,
            "outfall": record.id,
            **deadline_info,
        },
    )

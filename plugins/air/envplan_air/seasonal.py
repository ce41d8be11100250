"""When facilities may run.

- ``seasonal_production_ban`` — kilns of ``where`` must not produce in the 秋冬季 season;
- ``voc_staggered`` — VOC-emitting processes of the listed industries must not run in the daily window of
  the staggering period (错时生产).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from envplan_air.facility_records import (
    FacilityParams,
    WhereParams,
    all_clear,
    are_names,
    as_bool,
    as_date,
    as_rule,
    as_written,
    clause_label,
    missing_fields,
    no_records,
    operating_state,
    placed,
    record_name,
    records_of,
    same_text,
    site_index,
)
from envplan_core.plugin import (
    DataError,
    EvalContext,
    Finding,
    Quantity,
    Rule,
    Status,
    Target,
    evaluator,
    status_of,
)

__all__ = [
    "SeasonalProductionBanParams",
    "VocStaggeredParams",
    "evaluate_seasonal_production_ban",
    "evaluate_voc_staggered",
]


def _month_day(text: str, year: int) -> dt.date:
    month, day = (int(x) for x in str(text).split("-"))
    return dt.date(year, month, day)


def _is_month_day(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    try:
        _month_day(value, 2023)
    except (TypeError, ValueError):
        raise ValueError(
            f"{attribute.name}: expected a month and day MM-DD, e.g. 10-01, got {value!r}"
        ) from None


@attrs.frozen
class SeasonalProductionBanParams(WhereParams):
    """Parameters of ``seasonal_production_ban``.

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``where``: ``{field: value}`` a record must match to be judged;
    - ``season_start``: the first day of the season, MM-DD (default ``10-01``);
    - ``season_end``: its last day in the following year, MM-DD (default ``03-31``).
    """

    season_start: str = attrs.field(default="10-01", validator=_is_month_day)
    season_end: str = attrs.field(default="03-31", validator=_is_month_day)


def _periods(value: Any, where: str) -> list[tuple[dt.date, dt.date]]:
    out = []
    for i, p in enumerate(value or []):
        if not isinstance(p, Mapping) or as_date(p.get("start")) is None:
            raise DataError(
                f"{where}[{i}]: a production period is {{start: YYYY-MM-DD, end: YYYY-MM-DD}}",
                column="production",
            )
        first = as_date(p.get("start"), f"{where}[{i}].start")
        last = as_date(p.get("end"), f"{where}[{i}].end") or first
        assert first is not None
        assert last is not None
        out.append((first, last))
    return out


@evaluator(SeasonalProductionBanParams)
def evaluate_seasonal_production_ban(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """Kilns of ``where`` must not produce in the 秋冬季 season (``season_start``..``season_end``).

    The season counted is the first one starting after the plan was issued (2023-10-01..2024-03-31),
    up to ``as_of``. Record fields: ``production`` (list of ``{start, end}`` periods of production) or
    ``season_shutdown`` (true: did not produce in the season).
    """
    rule = as_rule(item)
    params = ctx.params_of(rule, SeasonalProductionBanParams)
    records = records_of(ctx, rule, params)
    if not records:
        return [no_records(rule, ctx, params)]
    issued = ctx.plan.issued
    season_start = _month_day(params.season_start, issued.year)
    if season_start < issued:
        season_start = season_start.replace(year=season_start.year + 1)
    season_end = _month_day(params.season_end, season_start.year + 1)
    window_end = min(season_end, ctx.as_of)
    where = params.where
    out: list[Finding] = []
    season = f"{season_start}至{season_end}"
    for record in placed(rule, ctx, records, where, out):
        name = record_name(record)
        base: dict[str, Any] = {"subject": name, "evidence": [record.source]}
        if ctx.as_of < season_start:
            out.append(
                ctx.finding(
                    rule,
                    status=Status.NOT_APPLICABLE,
                    **base,
                    details={"season": [season_start, season_end]},
                    message_zh=f"{name}：秋冬季（{season}）尚未开始（{clause_label(rule)}）",
                    message_en=f"{name}: the autumn-winter season ({season_start}..{season_end}) "
                    "has not started",
                )
            )
            continue
        state = operating_state(record, ctx.as_of)
        periods = _periods(record.get("production"), f"{record.source}.production")
        hits = [
            (max(a, season_start), min(b, window_end))
            for a, b in periods
            if a <= window_end and b >= season_start
        ]
        shutdown = as_bool(record.get("season_shutdown"))
        info = {
            "record": record.id,
            "season": [season_start, season_end],
            "checked_until": window_end,
            "production_in_season": [[a, b] for a, b in hits],
        }
        if hits or shutdown is False:
            days = sum((b - a).days + 1 for a, b in hits)
            listed = "、".join(f"{a}至{b}" for a, b in hits) or "（记录为秋冬季未停产）"
            out.append(
                ctx.finding(
                    rule,
                    status=Status.NOT_MET,
                    **base,
                    value=float(days) if hits else None,
                    unit="天" if hits else "",
                    details=info,
                    message_zh=f"{name}：位于禁煤区且未实施清洁能源替代，秋冬季期间生产 {listed}，违反「{rule.title_zh}」"
                    f"（{clause_label(rule)}）",
                    message_en=f"{name}: in the coal-ban zone without clean-energy substitution, produced in the "
                    f"autumn-winter season ({', '.join(f'{a}..{b}' for a, b in hits) or 'recorded as not stopped'})",
                )
            )
        elif periods or shutdown or not state.operating:
            out.append(
                ctx.finding(
                    rule,
                    status=Status.MET,
                    **base,
                    value=0.0,
                    unit="天",
                    details=info,
                    message_zh=f"{name}：秋冬季（{season_start}至{window_end}）未生产（{clause_label(rule)}）",
                    message_en=f"{name}: no production in the autumn-winter season up to {window_end}",
                )
            )
        else:
            out.append(
                missing_fields(rule, ctx, record, ["production", "season_shutdown"], "；需秋冬季生产记录")
            )
    if not out:
        out.append(
            all_clear(
                rule,
                ctx,
                message_zh=f"{rule.title_zh}：清单中无禁煤区内未实施清洁能源替代的砖瓦窑（{clause_label(rule)}）",
                message_en=f"{rule.title_en}: no kiln in the coal-ban zone without clean-energy substitution",
            )
        )
    return out


@attrs.frozen
class VocStaggeredParams(FacilityParams):
    """Parameters of ``voc_staggered``.

    - ``kind``: the record kind; default the rule's ``applies_to``;
    - ``industries``: the industries whose records are judged (a list); empty: all;
    - ``start``, ``end``: the staggering period (YYYY-MM-DD);
    - ``daily_start``, ``daily_end``: the daily window the processes must avoid, HH:MM (default
      ``10:00``-``16:00``).
    """

    industries: tuple[str, ...] = attrs.field(default=(), converter=as_written, validator=are_names)
    start: dt.date | None = None
    end: dt.date | None = None
    daily_start: dt.time = dt.time(10, 0)
    daily_end: dt.time = dt.time(16, 0)


_HOURS = re.compile(
    r"(\d{1,2})(?:[:：](\d{2})|[时点](\d{1,2})分|[时点])?\s*[-–~～至到]\s*(\d{1,2})(?:[:：](\d{2})|[时点](\d{1,2})分|[时点])?"
)


def _minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def _intervals(value: Any, where: str) -> list[tuple[int, int]]:
    """Daily operating hours ("08:00-10:00, 16:00-22:00", "6时-10时, 16时-22时" or a list) as minute
    intervals [a, b)."""
    if isinstance(value, Quantity):
        # The inventory reader takes "08:00-18:00" for a number with a unit; the text is lost.
        raise DataError(
            f"{where}: operating hours were read as a quantity ({value}); write them as "
            "'8时-18时' or '08-18' (or report the reader issue)",
            column="hours",
        )
    items = value if isinstance(value, list) else re.split(r"[,，;；、]", str(value))
    out: list[tuple[int, int]] = []
    for part in items:
        text = str(part).strip()
        if not text:
            continue
        match = _HOURS.fullmatch(text)
        if match is None:
            raise DataError(f"{where}: operating hours like '08:00-10:00', got {text!r}", column="hours")
        g = match.groups()
        a = int(g[0]) * 60 + int(g[1] or g[2] or 0)
        b = int(g[3]) * 60 + int(g[4] or g[5] or 0)
        if b <= a:  # across midnight
            out += [(a, 24 * 60), (0, b)]
        else:
            out.append((a, b))
    return out


@evaluator(VocStaggeredParams)
def evaluate_voc_staggered(item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
    """VOC-emitting processes of the listed industries must not run in the daily window of the period.

    Record fields: ``industry``; ``hours`` — daily operating hours during the period
    (``"06:00-10:00, 16:00-22:00"``); or ``staggered`` (true/false) when hours are not recorded.
    """
    rule = as_rule(item)
    params = ctx.params_of(rule, VocStaggeredParams)
    records = records_of(ctx, rule, params)
    if not records:
        return [no_records(rule, ctx, params)]
    industries = params.industries
    first, last = params.start, params.end
    lo, hi = _minutes(params.daily_start), _minutes(params.daily_end)
    window = f"{params.daily_start:%H:%M}-{params.daily_end:%H:%M}"
    sites = site_index(ctx)
    out: list[Finding] = []
    other = 0
    for record in records:
        name = record_name(record)
        industry = record.get("industry")
        if industry is None:
            out.append(missing_fields(rule, ctx, record, ["industry"]))
            continue
        if industries and not any(same_text(industry, x, sites) for x in industries):
            other += 1
            continue
        base: dict[str, Any] = {"subject": name, "evidence": [record.source]}
        if first is not None and ctx.as_of < first:
            out.append(
                ctx.finding(
                    rule,
                    status=Status.NOT_APPLICABLE,
                    **base,
                    message_zh=f"{name}：错时生产期（{first}起）尚未开始（{clause_label(rule)}）",
                    message_en=f"{name}: the staggering period starts on {first}",
                )
            )
            continue
        if not operating_state(record, ctx.as_of).operating and record.get("hours") is None:
            continue
        hours = record.get("hours")
        flag = as_bool(record.get("staggered"))
        info: dict[str, Any] = {
            "record": record.id,
            "industry": industry,
            "window": window,
            "period": [first, last],
        }
        if hours is not None:
            spans = _intervals(hours, f"{record.source}.hours")
            clash = [(max(a, lo), min(b, hi)) for a, b in spans if a < hi and b > lo]
            info["clash_minutes"] = sum(b - a for a, b in clash)
            ok = not clash
            text = str(hours if not isinstance(hours, list) else ", ".join(map(str, hours)))
        elif flag is not None:
            ok, text = flag, "错时" if flag else "未错时"
        else:
            out.append(missing_fields(rule, ctx, record, ["hours", "staggered"]))
            continue
        out.append(
            ctx.finding(
                rule,
                status=status_of(ok),
                **base,
                details=info,
                message_zh=f"{name}（{industry}）：{first}至{last}作业时段 {text}，"
                + ("已避开" if ok else "未避开")
                + f"每日{window}（{clause_label(rule)}）",
                message_en=f"{name} ({industry}): operating {text} from {first} to {last}; "
                + ("outside" if ok else "overlaps")
                + f" the daily window {window}",
            )
        )
    if not out:
        out.append(
            all_clear(
                rule,
                ctx,
                details={"other_industries": other},
                message_zh=f"{rule.title_zh}：清单中无所列行业的涉VOCs工序（其他行业{other}条）",
                message_en=f"{rule.title_en}: no VOC process of the listed industries ({other} of other industries)",
            )
        )
    return out

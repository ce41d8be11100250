"""``envplan diff PLAN_A PLAN_B``: what changed between two plans (e.g. the 2023 and 2024 air plans).

Items are paired by the later plan's ``supersedes`` map (earlier id → later id); between two years of
one line of plans (``air-2023`` → ``air-2024``: the same id before the year) also by their id without
the plan prefix (``air.pm25.annual_mean`` ↔ ``air2024.pm25.annual_mean``) and, for tasks, by their
number. Plans of different lines (the air plan and a county-wide 2024 plan) pair only through
``supersedes``, so unrelated tasks that share a number are not reported as changed. Unpaired items
are ``added`` or ``removed``; for a pair every
compared field that differs is one ``changed`` row: title, evaluator, subject, parameter, period,
thresholds, responsible units (canonical Chinese names), deadlines.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from envplan_core.catalog import Catalog
from envplan_core.commands.base import Command, CommandContext, Handler, add_format_option
from envplan_core.converters import load_plan
from envplan_core.model import Plan, Responsibility, Rule, Target, Task
from envplan_core.render import Document, Section
from envplan_core.render.json import deadline_record, threshold_record

__all__ = ["DIFF_COMMAND", "diff_plans", "same_line"]

Item = Target | Rule | Task


def _local(item_id: str) -> str:
    return item_id.split(".", 1)[1] if "." in item_id else item_id


def _units(canon: Callable[[str], str], lines: Iterable[Responsibility]) -> str:
    lines = list(lines)
    lead = dict.fromkeys(canon(u) for r in lines for u in r.lead)
    support = dict.fromkeys(canon(u) for r in lines for u in r.support if canon(u) not in lead)
    text = "牵头 " + "、".join(lead) if lead else ""
    if support:
        text += ("；" if text else "") + "配合 " + "、".join(support)
    return text


def _thresholds(item: Target | Rule) -> str:
    parts = []
    for t in item.thresholds:
        rec = threshold_record(t)
        when = f" (from {rec['effective_from']})" if rec["effective_from"] else ""
        until = f" (until {rec['effective_until']})" if rec["effective_until"] else ""
        parts.append(f"{rec['comparator']} {rec['value']}{when}{until}")
    return "; ".join(parts)


def _deadlines(task: Task) -> str:
    out = []
    for d in task.deadlines:
        rec = deadline_record(d)
        out.append(rec["due"] or rec["kind"])
    return "; ".join(out)


def _fields(item: Item, canon: Callable[[str], str]) -> dict[str, str]:
    fields = {"title_zh": item.title_zh, "lead/support": _units(canon, item.responsibilities)}
    if isinstance(item, Task):
        fields["deadlines"] = _deadlines(item)
    else:
        fields["evaluator"] = item.evaluator
        fields["thresholds"] = _thresholds(item)
    if isinstance(item, Target):
        fields.update(subject=item.subject, parameter=item.parameter, period=item.period)
    return fields


def _kind(item: Item) -> str:
    return "target" if isinstance(item, Target) else "rule" if isinstance(item, Rule) else "task"


def same_line(a: str, b: str) -> bool:
    """Two plan ids of one line of plans: the same id before the year (``air-2023``, ``air-2024``)."""
    return re.sub(r"-\d{4}.*$", "", a) == re.sub(r"-\d{4}.*$", "", b)


def _pairs(
    a: Sequence[Item], b: Sequence[Item], explicit: dict[str, str], *, implicit: bool
) -> list[tuple[Item | None, Item | None]]:
    left = {i.id: i for i in a}
    right = {i.id: i for i in b}
    pairs: list[tuple[Item | None, Item | None]] = []
    for old, new in explicit.items():
        if old in left and new in right:
            pairs.append((left.pop(old), right.pop(new)))
    if not implicit:
        pairs.extend((i, None) for i in left.values())
        pairs.extend((None, i) for i in right.values())
        return pairs
    by_local = {_local(i): i for i in list(right)}
    for old_id in list(left):
        new_id = by_local.get(_local(old_id))
        if new_id is not None and new_id in right:
            pairs.append((left.pop(old_id), right.pop(new_id)))
    by_number = {i.number: i.id for i in right.values() if isinstance(i, Task)}
    for old_id, old_item in list(left.items()):
        if isinstance(old_item, Task) and old_item.number in by_number and by_number[old_item.number] in right:
            pairs.append((left.pop(old_id), right.pop(by_number[old_item.number])))
    pairs.extend((i, None) for i in left.values())
    pairs.extend((None, i) for i in right.values())
    return pairs


def diff_plans(a: Plan, b: Plan, *, canonical: Callable[[str], str] = str) -> list[dict[str, Any]]:
    """The changes from plan ``a`` to plan ``b``: one record per added, removed or changed field.

    :param canonical: maps a unit name to its canonical Chinese name (default: as written).
    """
    explicit: dict[str, str] = {}
    for sup in b.supersedes:
        if sup.plan == a.id:
            explicit.update({old: new for old, new in sup.items.items() if new})
    rows: list[dict[str, Any]] = []
    for kind_items_a, kind_items_b in (
        (a.targets, b.targets),
        (a.rules, b.rules),
        (a.tasks, b.tasks),
    ):
        for left, right in _pairs(kind_items_a, kind_items_b, explicit, implicit=same_line(a.id, b.id)):
            item = left or right
            assert item is not None
            base = {"kind": _kind(item), "id_a": left.id if left else None, "id_b": right.id if right else None}
            if left is None or right is None:
                change = "added" if left is None else "removed"
                rows.append({**base, "change": change, "field": None, "a": None, "b": None,
                             "title_zh": item.title_zh})
                continue
            fa, fb = _fields(left, canonical), _fields(right, canonical)
            for field in fa:
                if fa[field] != fb.get(field, ""):
                    rows.append({**base, "change": "changed", "field": field, "a": fa[field], "b": fb[field],
                                 "title_zh": right.title_zh})
    return rows


def _resolve(catalog: Catalog, key: str) -> Plan:
    path = Path(key)
    if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
        return load_plan(path)
    return catalog.plan(key)


def _setup(parser: argparse.ArgumentParser) -> Handler:
    """added, removed and changed targets, rules, tasks, thresholds, deadlines and units of two plans"""
    parser.add_argument("plan_a", metavar="PLAN_A", help="the earlier plan: id, plugin short name or YAML file")
    parser.add_argument("plan_b", metavar="PLAN_B", help="the later plan: id, plugin short name or YAML file")
    add_format_option(parser)

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        catalog = ctx.engine().catalog
        a, b = _resolve(catalog, args.plan_a), _resolve(catalog, args.plan_b)

        def canon(name: str) -> str:
            return catalog.units.canonical_zh(name) if catalog.units.resolve(name) else name

        rows = diff_plans(a, b, canonical=canon)
        counts = {c: sum(r["change"] == c for r in rows) for c in ("added", "removed", "changed")}
        document = Document(
            title=f"计划差异 Plan diff: {a.id} → {b.id}",
            preface=[
                f"新增 added {counts['added']}，删除 removed {counts['removed']}，"
                f"变更 changed {counts['changed']}"
            ],
            sections=[
                Section(
                    title="差异 Changes",
                    columns=("变化 Change", "类型 Kind", "编号 ID", "字段 Field", f"{a.id}", f"{b.id}"),
                    rows=[
                        (
                            r["change"],
                            r["kind"],
                            " → ".join(x for x in (r["id_a"], r["id_b"]) if x),
                            r["field"] or r["title_zh"],
                            r["a"] if r["a"] is not None else "—",
                            r["b"] if r["b"] is not None else "—",
                        )
                        for r in rows
                    ],
                    tags=["not_met" if r["change"] == "removed" else "open" if r["change"] == "changed" else "met"
                          for r in rows],
                    empty="（无差异 no differences）",
                )
            ],
        )
        ctx.emit(document, {"plan_a": a.id, "plan_b": b.id, "counts": counts, "changes": rows})
        return 0

    return run


DIFF_COMMAND = Command("diff", _setup)

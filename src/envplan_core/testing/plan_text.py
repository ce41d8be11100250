"""Checking a plan plugin against the text of its plan: the numbered clauses of its tasks, the part each
falls under, the responsibility bracket that closes it, and the citations of targets, rules and tasks.

A county action plan (行动计划) lists its tasks as numbered clauses under part headings::

    重点任务
    （一）强化水资源管控
    1.保障汾河、浍河新绛段河流生态流量。……（市生态环境局新绛分局、县水利局牵头，县财政局配合）

Texts copied from a PDF break lines anywhere and carry page-number lines (``- 3 -``): :func:`text_lines`
drops those, :func:`section` cuts a plan's part out of a notice of several plans, :func:`parse_clauses`
joins the lines and splits them into :class:`Clause` objects, :func:`bracket_units` reads a clause's
closing bracket, :func:`resolve_units` turns unit names into registry ids and :func:`citation_problems`
lists the citations the text does not bear out::

    from envplan_core.testing import load_engine
    from envplan_core.testing.plan_text import citation_problems, parse_clauses, text_lines

    lines = text_lines(Path("plan.txt").read_text(encoding="utf-8"))
    plan = load_engine("envplan_mytown").catalog.plan("mytown-2024")
    assert citation_problems(plan, "".join(lines), parse_clauses(lines)) == []
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from envplan_core.model import Plan, Rule, Target, Task
    from envplan_core.responsible import UnitRegistry

__all__ = [
    "Bracket",
    "Clause",
    "bracket_units",
    "citation_problems",
    "parse_clauses",
    "resolve_units",
    "section",
    "squash",
    "text_lines",
]

_PAGE_NUMBER = re.compile(r"-\s*\d+\s*-")
#: ``（一）强化水资源管控`` before the first clause of the part (``1.`` and a Chinese character).
_PART_HEADING = re.compile(r"(（[一二三四五六七八九十]+）[^（）。]*?)(?=\d{1,2}\.[\u4e00-\u9fff])")
_CLAUSE_START = re.compile(r"(?<![\d.])(\d{1,2})\.(?=[\u4e00-\u9fff])")
_PHRASE = re.compile(r"(?P<names>.*?)(?P<role>按职责分工(?:负责|落实)|牵头|负责|配合)")


def squash(text: str) -> str:
    """``text`` without any white space: PDF extraction breaks lines and puts spaces between Chinese and
    digits (``2023 年``), so texts are compared squashed."""
    return re.sub(r"\s+", "", text)


def text_lines(text: str) -> list[str]:
    """The lines of a plan text, stripped, without blank lines and page-number lines (``- 3 -``)."""
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if line and not _PAGE_NUMBER.fullmatch(line)]


def section(text: str | Sequence[str], start: str, end: str, *, after: str | None = None) -> list[str]:
    """The lines of a plan text (or of its :func:`text_lines`) from the line ``start`` up to, not
    including, the next line ``end``: ``section(notice, "主要目标", "保障措施")``.

    A notice of several plans repeats its headings: ``after`` starts the search at the first line that
    contains it (the plan's preamble). A missing line raises ``ValueError``.
    """
    lines = text_lines(text) if isinstance(text, str) else list(text)
    first = 0 if after is None else next((i for i, line in enumerate(lines) if after in line), -1)
    if first < 0:
        raise ValueError(f"no line contains {after!r}")
    begin = lines.index(start, first)
    return lines[begin : lines.index(end, begin)]


@attrs.frozen
class Clause:
    """A numbered clause of a plan: its number, the heading of the part it falls under (``（一）强化水资源
    管控``; ``""`` when the plan has no part headings) and its text without the ``N.``."""

    number: int
    part: str
    text: str


def parse_clauses(lines: Sequence[str], *, start: str = "重点任务") -> dict[int, Clause]:
    """The numbered clauses after the line ``start``, by number in the order of the text.

    The lines are joined as they are (a clause's text keeps its inner spaces: compare with :func:`squash`
    where the text has them); ``N.`` followed by a Chinese character starts clause N, and a part heading
    ``（一）…`` before a clause starts a part. Text that is neither raises ``ValueError``.
    """
    text = "".join(lines[list(lines).index(start) + 1 :])
    pieces = _PART_HEADING.split(text)
    parts = [("", pieces[0]), *zip(pieces[1::2], pieces[2::2], strict=True)]
    clauses: dict[int, Clause] = {}
    for heading, body in parts:
        split = _CLAUSE_START.split(body)
        if split[0]:
            raise ValueError(f"text before the first clause of {heading or start!r}: {split[0][:40]!r}")
        for number, clause in zip(split[1::2], split[2::2], strict=True):
            clauses[int(number)] = Clause(int(number), heading, clause)
    return clauses


@attrs.frozen
class Bracket:
    """The responsibility bracket that closes a clause: the lead and supporting units as the text names
    them, in its order, and whether it says 按职责分工 (each by its division of duties)."""

    lead: tuple[str, ...]
    support: tuple[str, ...]
    by_division_of_duties: bool


def bracket_units(clause: str) -> Bracket:
    """Read the bracket that closes ``clause``: ``（A、B牵头，C、D配合）``, ``（A、B负责）``,
    ``（A、B等按职责分工负责）`` or ``…按职责分工落实``; a ``等`` after a name or the list is dropped.

    A clause without a closing bracket, or a phrase of another form, raises ``ValueError``.
    """
    match = re.search(r"（([^（）]*)）$", clause)
    if match is None:
        raise ValueError(f"no responsibility bracket at the end of {clause[-40:]!r}")
    lead: list[str] = []
    support: list[str] = []
    by_division = False
    for phrase in match.group(1).split("，"):
        found = _PHRASE.fullmatch(phrase)
        if found is None:
            raise ValueError(f"unexpected responsibility phrase {phrase!r}")
        names = [n.removesuffix("等") for n in found["names"].removesuffix("等").split("、")]
        if found["role"] == "配合":
            support += names
        else:
            lead += names
            by_division = by_division or found["role"].startswith("按职责分工")
    return Bracket(tuple(lead), tuple(support), by_division)


def resolve_units(units: UnitRegistry, names: Iterable[str]) -> list[str]:
    """The registry ids of unit ``names`` (``engine.catalog.units``), in their order; an
    ``AssertionError`` names those the registry does not know."""
    resolved = {name: units.resolve(name) for name in names}
    unknown = [name for name, unit in resolved.items() if unit is None]
    if unknown:
        raise AssertionError(f"units not in the registry: {unknown}")
    return [unit.id for unit in resolved.values() if unit is not None]


def citation_problems(plan: Plan, text: str, clauses: Mapping[int, Clause] | None = None) -> list[str]:
    """What the plan's text does not bear out in the citations of ``plan``'s targets, rules and tasks:
    ``[]`` when nothing.

    Each item must cite the plan (its ``citation_name``) with a text found in ``text`` (white space
    ignored); given ``clauses``, a clause number it cites must be one of them and its text must be in that
    clause.
    """
    whole = squash(text)
    problems: list[str] = []
    items: tuple[Target | Rule | Task, ...] = (*plan.targets, *plan.rules, *plan.tasks)
    for item in items:
        cited = item.citation
        if cited.plan != plan.citation_name:
            problems.append(f"{item.id}: cites {cited.plan!r}, not {plan.citation_name!r}")
        if not cited.text:
            problems.append(f"{item.id}: cites no text")
        elif squash(cited.text) not in whole:
            problems.append(f"{item.id}: the cited text is not in the plan text: {cited.text[:40]!r}")
        if clauses is None or not cited.clause:
            continue
        clause = clauses.get(int(cited.clause)) if cited.clause.isdigit() else None
        if clause is None:
            problems.append(f"{item.id}: cites clause {cited.clause!r}, which the plan text does not have")
        elif squash(cited.text) not in squash(clause.text):
            problems.append(f"{item.id}: the cited text is not in clause {clause.number}")
    return problems

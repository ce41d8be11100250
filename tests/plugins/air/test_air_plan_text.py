"""Every target, rule, task and attachment row of the air plan is in plan.yaml as the plan text has it.

``air_plan_seed.txt`` beside this file is a verbatim copy of the air plan in 新政办发〔2023〕14号 — from
为深入贯彻习近平生态文明思想 to the last row of the attachment 措施任务表 — so these checks run wherever
the tests run; ``test_embedded_copy_is_the_seed_text`` ties it to the seed file when that is present
(``/work/shared/seed/000_1a3a67b7a1f5494e.txt`` or ``ENVPLAN_SEED``).

The text is compared with whitespace and page-number lines removed (the PDF extraction breaks lines and
puts spaces between Chinese and digits). Checked: the 29 numbered clauses — each task's citation is its
whole clause, in order; the responsibility brackets (``（…牵头，…配合）``, ``按职责分工负责``) give the
task's lead and support units, one line per bracket (tasks 20 and 21 have two); every deadline follows
from its words (docs/inputs.md (conventions) conventions); the 19 rows of the attachment — in order, each with its area,
title, deadlines, measure and lead unit, under the task it belongs to; and every threshold's number and
unit as the plan writes them (43微克/立方米, 35蒸吨, 7吨/月·平方公里 …).
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from pathlib import Path

import pytest

from envplan_core import Deadline, DeadlineKind, Plan, Rule, Target, Task, parse_quantity
from envplan_core.model import Threshold

HERE = Path(__file__).resolve().parent
COPY = HERE / "air_plan_seed.txt"
SEED = Path(os.environ.get("ENVPLAN_SEED", "/work/shared/seed/000_1a3a67b7a1f5494e.txt"))
START = "为深入贯彻习近平生态文明思想，坚决打好蓝天保卫战"
NEXT_PLAN = "为进一步提升全县土壤污染防治水平"
ATTACHMENT = "附件序号重点工作主要任务完成时限工程措施牵头单位"
ISSUED = dt.date(2023, 8, 18)


def _normal(text: str) -> str:
    lines = [line for line in text.splitlines() if not re.fullmatch(r"\s*-\s*\d+\s*-\s*", line)]
    return re.sub(r"\s+", "", "".join(lines))


@pytest.fixture(scope="module")
def text() -> str:
    return _normal(COPY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def body(text: str) -> str:
    """The plan proper: 主要目标 … 本行动计划由运城市生态环境局新绛分局负责解读。"""
    return text[: text.index("附件：新绛县空气质量再提升2023年行动计划措施任务表")]


@pytest.fixture(scope="module")
def table(text: str) -> str:
    """The attachment 措施任务表 after its header row."""
    return text[text.index(ATTACHMENT) + len(ATTACHMENT) :]


def test_embedded_copy_is_the_seed_text() -> None:
    if not SEED.exists():
        pytest.skip(f"seed text not present at {SEED} (set ENVPLAN_SEED)")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if START in line)
    last = next(i for i, line in enumerate(lines) if i > first and NEXT_PLAN in line)
    assert COPY.read_text(encoding="utf-8").splitlines() == lines[first:last]


# --------------------------------------------------------------------------- tasks: the 29 clauses
def _tasks(plan: Plan) -> list[Task]:
    return sorted(plan.tasks, key=lambda t: int(t.number))


def test_twenty_nine_tasks_numbered_as_in_the_plan(plan: Plan, body: str) -> None:
    tasks = _tasks(plan)
    assert [t.number for t in tasks] == [str(n) for n in range(1, 30)]
    assert [t.id for t in tasks] == [f"air.task.{n}" for n in range(1, 30)]
    assert "30." not in body


def test_each_task_cites_its_whole_clause_in_order(plan: Plan, body: str) -> None:
    tasks = _tasks(plan)
    starts = []
    for task in tasks:
        clause = f"{task.number}.{_normal(task.citation.text)}"
        assert body.count(clause) == 1, task.id
        starts.append(body.index(clause))
        assert _normal(task.citation.text).startswith(_normal(task.title_zh)), task.id
    assert starts == sorted(starts)
    ends = [*starts[1:], body.index("保障措施")]
    for task, start, end, nxt in zip(tasks, starts, ends, [*tasks[1:], None], strict=True):
        between = body[start:end].removeprefix(f"{task.number}.{_normal(task.citation.text)}")
        # Between two clauses there may only be the heading of the next part.
        allowed = {""}
        if nxt is not None and nxt.citation.part != task.citation.part:
            part = _normal(nxt.citation.part)
            allowed |= {part, part.removeprefix("重点任务"), part.removeprefix("攻坚行动")}
        assert between in allowed, (task.id, between)


_BRACKET = re.compile(r"（([^（）]*?(?:负责|配合))）")


def _parse_bracket(text: str) -> tuple[list[str], list[str], bool]:
    """(lead, support, by division of duties) of a responsibility bracket as the plan writes it."""
    division = text.endswith("按职责分工负责")
    if "牵头" in text:
        lead_text, _, rest = text.partition("牵头")
        support = rest.lstrip("，,").removesuffix("配合")
    else:
        lead_text, support = text.removesuffix("按职责分工负责").removesuffix("负责"), ""
    split = lambda s: [x for x in re.split(r"[、和]", s) if x]  # noqa: E731
    return split(lead_text), split(support), division


def test_responsibility_brackets_give_lead_and_support(plan: Plan) -> None:
    for task in _tasks(plan):
        brackets = _BRACKET.findall(_normal(task.citation.text))
        expected_lines = 2 if task.number in ("20", "21") else 1
        assert len(brackets) == expected_lines, (task.id, brackets)
        assert len(task.responsibilities) == expected_lines, task.id
        for bracket, line in zip(brackets, task.responsibilities, strict=True):
            lead, support, division = _parse_bracket(bracket)
            assert list(line.lead) == lead, (task.id, bracket)
            assert list(line.support) == support, (task.id, bracket)
            assert line.by_division_of_duties == division, (task.id, bracket)
            if expected_lines == 2:
                assert line.scope, task.id


def test_brackets_close_every_clause(plan: Plan) -> None:
    for task in _tasks(plan):
        assert re.search(r"（[^（）]*(负责|配合)）$", _normal(task.citation.text)), task.id


# --------------------------------------------------------------------------- deadlines
def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def expected(text: str) -> Deadline:
    """A deadline from the plan's words (docs/inputs.md (conventions) and docs/plan-format.md)."""
    if text in ("长期坚持", "常态化"):
        return Deadline(kind=DeadlineKind.ONGOING, text=text)
    if text == "两年内":  # two years from the notice's issue date (docs/plans/air-text-notes.md §3)
        return Deadline(kind=DeadlineKind.DATE, date=ISSUED.replace(year=ISSUED.year + 2), text=text)
    window = re.fullmatch(r"(?:(\d{4})年)?(\d{1,2})-(\d{1,2})月(?:每日(\d{1,2})-(\d{1,2})时)?", text)
    if window:
        year = int(window.group(1) or 2023)
        hours = (
            (dt.time(int(window.group(4))), dt.time(int(window.group(5))))
            if window.group(4)
            else (None, None)
        )
        return Deadline(
            kind=DeadlineKind.WINDOW,
            start=dt.date(year, int(window.group(2)), 1),
            date=_month_end(year, int(window.group(3))),
            daily_start=hours[0],
            daily_end=hours[1],
            text=text,
        )
    date = re.fullmatch(r"(?:(\d{4})年)?(?:(\d{1,2})月)?底?(?:之前|前)?(?:（计划年度）)?", text)
    assert date and (date.group(1) or date.group(2)), f"unreadable deadline text {text!r}"
    year, month = int(date.group(1) or 2023), int(date.group(2) or 12)
    return Deadline(kind=DeadlineKind.DATE, date=_month_end(year, month), text=text)


def _same(actual: Deadline, text: str) -> None:
    want = expected(text)
    assert (actual.kind, actual.due, actual.start, actual.daily_start, actual.daily_end) == (
        want.kind,
        want.due,
        want.start,
        want.daily_start,
        want.daily_end,
    ), text


def test_every_deadline_follows_from_its_words(plan: Plan, table: str) -> None:
    for task in _tasks(plan):
        assert task.deadlines, task.id
        clause = _normal(task.citation.text)
        rows = {row.number: row for row in task.attachments}
        for deadline in task.deadlines:
            _same(deadline, deadline.text)
            if deadline.label.startswith("附件序号"):
                number = int(re.match(r"附件序号(\d+)", deadline.label).group(1))  # type: ignore[union-attr]
                assert number in rows, (task.id, deadline.label)
                assert deadline.text in [d.text for d in rows[number].deadlines], (task.id, deadline.text)
            elif deadline.text == "2023年（计划年度）":
                continue  # inferred: the plan year (docs/plan-format.md)
            else:  # the words are the clause's own
                assert _normal(deadline.text) in clause, (task.id, deadline.text)
        for row in task.attachments:
            for deadline in row.deadlines:
                _same(deadline, deadline.text)


def test_dates_named_in_clauses_are_deadlines(plan: Plan) -> None:
    """Every 'by a month' phrase of a clause (10月底之前, 2023年9月底前 …) is one of its deadlines."""
    phrase = re.compile(
        r"(?:\d{4}年)?\d{1,2}月底(?:之前|前)?|\d{4}年底|\d{4}年\d{1,2}-\d{1,2}月(?:每日\d{1,2}-\d{1,2}时)?"
    )
    for task in _tasks(plan):
        dues = {d.due for d in task.deadlines}
        for found in phrase.findall(_normal(task.citation.text)):
            assert expected(found).due in dues, (task.id, found)


# --------------------------------------------------------------------------- the attachment table
def test_nineteen_attachment_rows_in_order(plan: Plan, table: str) -> None:
    rows = sorted((row for task in plan.tasks for row in task.attachments), key=lambda r: r.number)
    assert [r.number for r in rows] == list(range(1, 20))
    task_ids = {t.id for t in plan.tasks}
    positions = []
    for row in rows:
        assert row.task in task_ids, row.number
        owner = next(t for t in plan.tasks if row in t.attachments)
        assert owner.id == row.task, row.number
        measure = _normal(row.measure)
        assert table.count(measure) == 1, row.number
        positions.append(table.index(measure))
    assert positions == sorted(positions)
    ends = [p + len(_normal(r.measure)) for p, r in zip(positions, rows, strict=True)]
    area = ""
    for k, row in enumerate(rows):
        segment = table[(ends[k - 1] if k else 0) : positions[k]]
        after = table[ends[k] : (positions[k + 1] if k + 1 < len(rows) else len(table))]
        if k + 1 < len(rows):
            after = (
                after[: after.index(_normal(rows[k + 1].title))]
                if _normal(rows[k + 1].title) in after
                else after
            )
        assert _normal(row.title) in segment, row.number
        for d in row.deadlines:
            assert _normal(d.text) in segment, (row.number, d.text)
        for label in ("产业结构调整", "重点工业行业综合治理", "能源结构调整", "用地结构调整"):
            if label in segment:
                area = label  # the merged area cell is printed at the first row of its span
        assert row.area == area, row.number
        assert "、".join(row.lead) in after, (row.number, row.lead)


def test_rows_carry_the_tasks_deadlines(plan: Plan) -> None:
    """A row's dates are its task's dates (the clause's own, or labelled 附件序号N); 长期坚持 stays ongoing."""
    for task in plan.tasks:
        dues = {d.due for d in task.deadlines}
        ongoing = [d for d in task.deadlines if d.kind is DeadlineKind.ONGOING]
        for row in task.attachments:
            for d in row.deadlines:
                if d.kind is DeadlineKind.ONGOING:
                    assert ongoing, (task.id, row.number)
                else:
                    assert d.due in dues, (task.id, row.number, d.text)


# --------------------------------------------------------------------------- targets, rules and units
def test_targets_and_rules_quote_the_plan(plan: Plan, body: str, table: str) -> None:
    for item in (*plan.targets, *plan.rules):
        quoted = _normal(item.citation.text)
        where = table if item.citation.part.startswith("附件") else body
        assert quoted in where, item.id


# (item id, what the plan writes, the threshold it gives; None: a count)
UNITS: list[tuple[str, str, str]] = [
    ("air.pm25.annual_mean", "43微克/立方米", "43 µg/m³"),
    ("air.dust_fall", "7吨/月·平方公里", "7 t/(km²·月)"),
    ("air.straw_utilisation", "90%", "90 %"),
    ("air.fume_purifiers.installed", "100%", "100 %"),
    ("air.fume_purifiers.running", "100%", "100 %"),
    ("air.rule.coal_boiler_lt_35", "35蒸吨", "35 蒸吨"),
    ("air.rule.blast_furnace_lt_1200", "1200立方米", "1200 立方米"),
    ("air.rule.converter_lt_100", "100吨", "100 吨"),
    ("air.rule.brick_kiln.forming_pm", "10毫克/立方米", "10 毫克/立方米"),
    ("air.sampling.urea", "尿素6批次", "6"),
    ("air.sampling.coatings", "5批次涂料", "5"),
    ("air.sampling.inks", "5批次油墨", "5"),
    ("air.sampling.adhesives", "5批次胶粘剂", "5"),
    ("air.sampling.cleaners", "5批次清洗剂", "5"),
    ("air.inspection.emission_testing", "6个次", "6"),
]


def _item(plan: Plan, item_id: str) -> Target | Rule:
    return next(i for i in (*plan.targets, *plan.rules) if i.id == item_id)


def _same_quantity(threshold: Threshold, written: str) -> None:
    want = parse_quantity(written)
    value = threshold.value
    if isinstance(value, (int, float)):
        assert float(value) == want.m_as("dimensionless")
        return
    assert not isinstance(value, str)
    assert value.m_as(want.units) == pytest.approx(want.magnitude, rel=1e-12), (value, written)


@pytest.mark.parametrize(("item_id", "phrase", "written"), UNITS)
def test_thresholds_have_the_plans_numbers_and_units(
    plan: Plan, item_id: str, phrase: str, written: str
) -> None:
    item = _item(plan, item_id)
    assert phrase in _normal(item.citation.text)
    assert len(item.thresholds) == 1
    _same_quantity(item.thresholds[0], written)


def test_so2_yoy_is_down_thirty_percent(plan: Plan) -> None:
    item = _item(plan, "air.so2.yoy_change")
    assert "二氧化硫力争同比下降30%以上" in _normal(item.citation.text)
    threshold = item.thresholds[0]
    assert threshold.comparator.value == "<="
    _same_quantity(threshold, "-30 %")


def test_brick_kiln_limits_at_eighteen_percent_oxygen(plan: Plan) -> None:
    clause = "颗粒物、二氧化硫、氮氧化物排放限值分别不高于10、100、100毫克/立方米（窑炉基准氧含量18%）"
    for item_id, written in (
        ("air.rule.brick_kiln.firing_pm", "10 mg/m³"),
        ("air.rule.brick_kiln.firing_so2", "100 mg/m³"),
        ("air.rule.brick_kiln.firing_nox", "100 mg/m³"),
    ):
        item = _item(plan, item_id)
        assert clause in _normal(item.citation.text)
        _same_quantity(item.thresholds[0], written)
        assert item.thresholds[0].basis == "O2=18%"
    assert _item(plan, "air.rule.brick_kiln.forming_pm").thresholds[0].basis == ""


def test_composite_rank_params_match_the_text(plan: Plan) -> None:
    item = _item(plan, "air.composite_index.rank")
    assert "全省119个区县排名争取退出后5位" in _normal(item.citation.text)
    assert dict(item.params) == {"counties": 119, "exit_bottom": 5}


def test_the_contract_ids_exist(plan: Plan) -> None:
    ids = {t.id for t in plan.targets}
    assert {"air.pm25.annual_mean", "air.so2.yoy_change", "air.composite_index.rank"} <= ids

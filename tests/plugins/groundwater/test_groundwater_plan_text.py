"""Every target, rule and task of the groundwater plan is in the YAML as the plan text has it.

The plan text is 新政办发〔2023〕14号, the fourth of its four plans (新绛县地下水污染防治2023年行动计划).
:data:`GROUNDWATER_SECTION` is a verbatim copy of its 工作目标 and 重点任务 (lines stripped, blank lines
dropped), so these checks run wherever the tests run; ``test_embedded_copy_is_the_seed_text`` ties the copy
to the seed file (``/work/shared/seed/000_1a3a67b7a1f5494e.txt``, or ``ENVPLAN_SEED``) when it is present.

The 15 numbered clauses are parsed from the text; their responsibility brackets (``（…牵头，…配合）``,
``（…按职责分工负责）``) are compared with the YAML's lead and support units through the unit registry,
their dates with the YAML's deadlines, and their words with the YAML's citations.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from plan_checks import assert_deadlines_follow, seed_section

from envplan_core import DeadlineKind, Engine, Plan, Rule, Target, Task
from envplan_core.testing import plan_text as pt

GROUNDWATER_SECTION = """\
工作目标
全县地下水环境质量总体保持稳定，地下水国考区域点位水
质不低于V类，地下水国考饮用水源点位水质达到或优于Ⅲ类，
地下水国考污染风险监控点位水质不低于V类。
重点任务
（一）实施“两项”调查评估
1.全面开展地下水环境状况调查评估。2023年底前配合市生
态环境局完成化工园区地下水环境状况调查评估，完成危险废物
处置场、垃圾填埋场地下水环境状况调查评估。重点围绕“一企
一库”（化学品生产企业、尾矿库）、“两场两区”（危险废物处
置场、垃圾填埋场、化工产业为主导的工业集聚区、矿山开采区），
开展地下水环境状况调查评估，查清各类污染源基本信息、污染
因子、范围、程度、趋势等内容，评估地下水环境风险，为风险
防控、修复治理打好基础。（市生态环境局新绛分局牵头，县财
政局、县行政审批局、新绛经济技术开发区管委会行政审批局、
县自然资源局、县住建局、县发改局、县园林绿化中心等配合）
（二）建立地下水污染防治监督管理体系
2.健全地下水环境监测网络。督促指导辖区内“一企一库”“两
场两区”、加油站等的运营、管理单位按要求建设完善地下水环
境长期监测井，落实地下水自行监测要求。结合地下水国考点位、
省控点位、国家地下水监测工程、自行监测井等，重点针对地下
水源目标开采层位和污染源周边浅层地下水，推动建立以地下水
饮用水水源保护和地下水污染防控为重点的地下水环境监测网。
对于已污染的浅层地下水，要延伸监测下层相邻含水层水质。探
索建立地下水国考点位水质与水位同步监测、同步评价工作机
制。（市生态环境局新绛分局牵头，各镇、县行政审批局、新绛
经济技术开发区管委会行政审批局、县自然资源局、县水利局、
县住建局、县工信科技局、新绛经济技术开发区管委会等配合）
3.加强地下水环境质量达标管理。配合市生态环境局对未达
到水质目标要求的地下水国考区域和污染风险监控点位，组织开
展污染成因分析，对于非地质原因造成水质超标的点位要制定水
质达标方案；针对县域内所有地下水国考饮用水源点位均制定水
质达标或保持方案，按规定时间上报市生态环境局，明确水质达
标或保持措施、责任部门及完成时限，并组织实施，确保地下水
环境质量达标或保持稳定。（市生态环境局新绛分局牵头，县行
政审批局、新绛经济技术开发区管委会行政审批局、县自然资源
局等配合）
4.推进地下水污染防治分区管理。配合市生态环境局开展地
下水污染防治重点区划定，推动实施地下水环境分区管理、分级
防治。2023年底前，完成地下水污染防治重点区初步划定，逐步
明确环境准入、隐患排查、风险管控、修复等差别化环境管理要
求。（市生态环境局新绛分局牵头，县行政审批局、新绛经济技
术开发区管委会行政审批局、县自然资源局、县水利局等配合）
5.建立地下水污染防治重点排污单位名录。按照市生态环境
局统一部署，根据国家重点排污单位名录管理规定等要求，结合
我县的产业结构等特点，逐步建立我县地下水污染防治重点排污
单位名录，并实施动态更新，推动纳入排污许可管理，加强防渗、
地下水环境监测、执法检查。（市生态环境局新绛分局负责，县
行政审批局、新绛经济技术开发区管委会行政审批局等配合）
（三）加强地下水污染源头预防、风险管控与修复
6.落实地下水防渗改造措施。督促指导辖区内“一企一库”“两
场两区”、加油站等的运营、管理单位采取防渗漏措施，并进行
防渗漏监测。组织地下水污染防治重点排污单位优先开展地下水
污染渗漏排查，针对存在问题的设施，推动采取污染防渗改造措
施。对于存放可溶性剧毒废渣的场所，要采取防水、防渗漏、防
流失的措施。（市生态环境局新绛分局牵头，县行政审批局、新
绛经济技术开发区管委会行政审批局、县自然资源局、县住建局、
县工信科技局等配合）
7.有序实施地下水污染风险管控。根据市生态环境局地下水
调查评估工作阶段性成果，针对存在地下水污染的化工产业为主
导的工业集聚区、危险废物处置场和生活垃圾填埋场等，按《地
下水污染修复（防控）工作指南（试行）》等有关技术要求，有
序推动实施地下水污染风险管控，阻止污染扩散，加强风险管控
后期环境监管。（市生态环境局新绛分局、新绛经济技术开发区
管委会牵头，县住建局、县园林绿化中心等配合）
8.推进报废矿井、钻井、取水井封井回填。各镇、各相关职
能部门要持续推进报废矿井、钻井、取水井排查登记，摸清底数，
建立报废矿井、钻井、取水井清单。矿井、钻井、取水井报废、
未建成或者完成勘探、试验、开采任务的，要督促工程所有权人
按照相关技术标准指南开展封井回填。对已经造成地下水串层污
染的，要督促工程所有权人对造成的地下水污染进行治理和修
复；对工程所有权人不明或缺失的，由当地政府对造成的地下水
污染进行治理和修复。（各镇、市生态环境局新绛分局、县行政
审批局、新绛经济技术开发区管委会行政审批局、县自然资源局、
县水利局等按职责分工负责）
9.强化农业面源污染防治监督管理。按照省、市生态环境监
测年度方案要求开展农田灌溉用水及退水的监测，水质应当符合
相关标准要求。农业农村部门要加强县域内农药、肥料等农业投
入品使用指导和技术服务，鼓励和引导农业生产经营者等有关单
位和个人合理使用农药、肥料等农业投入品，防止地下水污染。
（县农业农村局、县水利局、市生态环境局新绛分局等按职责分
工负责）
10.加强地下水回灌管理。多层含水层开采、回灌地下水应
当防止串层污染。多层地下水的含水层水质差异大的，应当分层
开采；对已受污染的潜水和承压水，不得混合开采。利用地热资
源采暖优选“取热不耗水、完全等量同层回灌”或“密封式、无干
扰井下换热”技术，最大程度减少对土壤、岩层和水体的干扰。
废水回灌地下的，经处理后应当符合相关的水质要求，不得恶化
地下水水质。确保地下水水量不减少、水位不下降、水质不降低。
加强对地热能开发利用项目地下热水及回灌水质监测的监督，按
相关要求定期报备。（市生态环境局新绛分局、县行政审批局、
新绛经济技术开发区管委会行政审批局、县自然资源局、县水利
局、县能源局等按职责分工负责）
11.推进地下水污染修复治理。编制的土壤污染状况调查报
告、土壤污染风险管控或修复方案等，要依法包括地下水相关内
容，存在地下水污染的，要协同推进土壤和地下水污染风险管控
与修复治理，加强项目谋划，积极推动项目入库。（市生态环境
局新绛分局牵头，县行政审批局、新绛经济技术开发区管委会行
政审批局、县自然资源局、县农业农村局、县发改局等配合）
（四）保障地下水型饮用水水源安全
12.加强地下水型饮用水源水质监测。按照生态环境监测年
度方案要求，组织开展城市集中式地下水型生活饮用水水源地、
农村“千吨万人”地下水型饮用水水源地、镇集中式地下水型饮用
水水源地水质监测及国考饮用水源点位平水期水质监测，加强监
测过程的质量保证与质量控制，按要求完成监测数据和结果报
送。强化监测结果的分析与应用，针对水质异常点位，及时研判
分析。（市生态环境局新绛分局牵头，县行政审批局、新绛经济
技术开发区管委会行政审批局、县自然资源局、县水利局等配合）
13.强化地下水型饮用水水源保护区环境管理。要强化“千吨
万人”及以上规模地下水型饮用水水源保护区划定及规范化建
设。针对水质超标的地下水型饮用水水源，开展污染成因分析，
对确定为地质背景因素导致超标的水源，要提交地质背景判定材
料；对确定为人为因素超标的水源，因地制宜制定人为因素超标
水源整治方案并开展整治，确保水源环境安全。（市生态环境局
新绛分局牵头，县行政审批局、新绛经济技术开发区管委会行政
审批局、县自然资源局、县水利局等配合）
14.加大地下水型饮用水水源补给区保护力度。2023年底前
完成“千吨万人”及以上规模集中式地下水型饮用水源补给区初
步划定，加强补给区地下水环境管理。有序开展地下水型饮用水
水源保护区、补给区及供水单位周边环境状况调查评估。（市生
态环境局新绛分局牵头，县水利局等配合）
15.防范傍河型、截潜流型地下水型饮用水水源环境风险。
加强河道水质管理，强化地表水和地下水污染协同防治，减少受
污染河段侧渗和垂直补给对地下水污染，确保傍河型、截潜流型
地下水型饮用水水源水质安全。（市生态环境局新绛分局、县水利
局按职责分工落实）
"""


LINES = GROUNDWATER_SECTION.splitlines()


def dates_in(clause: str) -> set[dt.date]:
    """Due dates the clause states: ``2023年底前`` → 2023-12-31 (no other form occurs in this plan)."""
    return {dt.date(int(year), 12, 31) for year in re.findall(r"(\d{4})年底前", clause)}


PARSED = pt.parse_clauses(LINES)  # the part headings, 「（一）实施“两项”调查评估」 first, are set apart
CLAUSES = {n: clause.text for n, clause in PARSED.items()}
PARTS = {n: clause.part for n, clause in PARSED.items()}  # clause number → the heading of its part
GOAL = "".join(LINES[1:LINES.index("重点任务")])
# Words the plan uses for a standing duty: such a task (or milestone) is ongoing, not dated.
_CONTINUING = ("持续", "动态更新", "定期")


def test_embedded_copy_is_the_seed_text() -> None:
    # The soil plan has a 工作目标 too: start after this plan's preamble.
    assert seed_section("工作目标", "保障措施", after="全县地下水污染防治工作") == LINES


def test_the_plan_is_the_fourth_of_the_notice(plan: Plan) -> None:
    assert (plan.id, plan.year, plan.document, plan.issued) == (
        "groundwater-2023", 2023, "新政办发〔2023〕14号", dt.date(2023, 8, 18))
    assert plan.title_zh == "新绛县地下水污染防治2023年行动计划"


def test_fifteen_tasks_numbered_as_in_the_plan(tasks: dict[int, Task]) -> None:
    assert list(CLAUSES) == list(range(1, 16)), list(CLAUSES)
    assert sorted(PARTS) == list(range(1, 16)) and all(PARTS.values()), PARTS
    assert sorted(tasks) == list(range(1, 16))
    assert all(t.id == f"groundwater.task.{n}" for n, t in tasks.items())


@pytest.mark.parametrize("number", range(1, 16))
def test_task_cites_its_clause_verbatim(tasks: dict[int, Task], number: int) -> None:
    task = tasks[number]
    assert task.citation.clause == str(number)
    assert task.citation.text == CLAUSES[number]
    assert task.citation.plan == "地下水污染防治2023年行动计划"
    assert task.citation.part == "重点任务" + PARTS[number]
    assert CLAUSES[number].startswith(task.title_zh + "。"), task.title_zh


@pytest.mark.parametrize("number", range(1, 16))
def test_task_units_are_the_bracket_units(engine: Engine, tasks: dict[int, Task], number: int) -> None:
    units, bracket, task = engine.catalog.units, pt.bracket_units(CLAUSES[number]), tasks[number]
    assert pt.resolve_units(units, task.lead) == pt.resolve_units(units, bracket.lead)  # same units, same order
    assert pt.resolve_units(units, task.support) == pt.resolve_units(units, bracket.support)
    assert any(r.by_division_of_duties for r in task.responsibilities) == bracket.by_division_of_duties


def test_towns_are_the_county_group_of_all_towns(engine: Engine, tasks: dict[int, Task]) -> None:
    """各镇 (tasks 2 and 8) resolves to the county's group of its nine towns."""
    group = engine.catalog.units.resolve("各镇")
    assert group is not None and group.kind == "group" and len(group.members) == 9
    assert "各镇" in tasks[2].support and "各镇" in tasks[8].lead


@pytest.mark.parametrize("number", range(1, 16))
def test_task_deadlines_follow_the_text(tasks: dict[int, Task], number: int) -> None:
    task, clause = tasks[number], CLAUSES[number]
    stated = dates_in(clause)
    assert_deadlines_follow(task, clause, stated, _CONTINUING)
    for d in task.deadlines:  # and in the plan's words
        if d.kind is DeadlineKind.ONGOING:
            assert d.text in clause, d.text
        elif d.due in stated:
            assert d.text == "2023年底前"
        else:
            assert d.text == "2023年（计划年度）"


def test_three_tasks_are_due_by_the_end_of_2023_in_the_text(tasks: dict[int, Task]) -> None:
    stated = {n for n, t in tasks.items() for d in t.deadlines if d.text == "2023年底前"}
    assert stated == {1, 4, 14}
    assert {n for n, c in CLAUSES.items() if dates_in(c)} == {1, 4, 14}
    assert all(d.due == dt.date(2023, 12, 31) for n in stated for d in tasks[n].deadlines)


def test_ongoing_tasks(tasks: dict[int, Task]) -> None:
    ongoing = {n for n, t in tasks.items() if all(d.kind is DeadlineKind.ONGOING for d in t.deadlines)}
    assert ongoing == {8, 10}  # 持续推进 …; 定期报备
    kinds = [d.kind for d in tasks[5].deadlines]  # 逐步建立名录 (plan year), 实施动态更新 (ongoing)
    assert kinds == [DeadlineKind.DATE, DeadlineKind.ONGOING]


def test_three_point_type_targets(plan: Plan) -> None:
    targets = {t.id: t for t in plan.targets}
    assert set(targets) == {
        "groundwater.regional_points.class", "groundwater.drinking_points.class", "groundwater.risk_points.class"}
    expected = {
        "groundwater.regional_points.class": ("regional", "V"),  # 不低于V类
        "groundwater.drinking_points.class": ("drinking_source", "III"),  # 达到或优于Ⅲ类
        "groundwater.risk_points.class": ("pollution_risk", "V"),  # 不低于V类
    }
    for tid, (point_type, cls) in expected.items():
        t = targets[tid]
        assert t.evaluator == "groundwater_point_class"
        assert t.params["point_type"] == point_type
        assert [(th.comparator.value, th.value) for th in t.thresholds] == [("class<=", cls)]
        assert (t.citation.part, t.citation.text) == ("工作目标", GOAL)
        assert t.period == "2023" and t.kind.value == "goal"
    assert "国考区域点位水质不低于V类" in GOAL and "国考饮用水源点位水质达到或优于Ⅲ类" in GOAL
    assert "国考污染风险监控点位水质不低于V类" in GOAL


def test_every_target_and_rule_is_cited_from_the_plan_text(plan: Plan) -> None:
    assert plan.citation_name == "地下水污染防治2023年行动计划"
    assert pt.citation_problems(plan, GROUNDWATER_SECTION, PARSED) == []  # the plan, a text in the plan's, its clause
    items: tuple[Target | Rule, ...] = (*plan.targets, *plan.rules)
    for item in items:
        if isinstance(item, Rule):
            assert pt.squash(item.citation.text) in pt.squash(CLAUSES[int(item.citation.clause)]), item.id
            assert item.task == f"groundwater.task.{item.citation.clause}", item.id
            assert item.citation.part == "重点任务" + PARTS[int(item.citation.clause)], item.id


def test_rules_carry_their_task_units(plan: Plan) -> None:
    tasks = {t.id: t for t in plan.tasks}
    for rule in plan.rules:
        task = tasks[rule.task]
        assert rule.responsibilities == task.responsibilities, rule.id


def test_every_task_criterion_is_checkable(plan: Plan) -> None:
    """Tasks 2, 3, 5, 6, 8, 10, 13 and 14 are made checkable by rules over the registers."""
    rules = {r.id: r for r in plan.rules}
    with_criteria = {t.number: t.criteria for t in plan.tasks if t.criteria}
    assert set(with_criteria) == {"2", "3", "5", "6", "8", "10", "13", "14"}
    for number, criteria in with_criteria.items():
        for crit in criteria:
            assert rules[crit].task == f"groundwater.task.{number}"
    assert {r.id for r in plan.rules} == {c for cs in with_criteria.values() for c in cs}

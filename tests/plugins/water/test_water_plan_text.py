"""Every target, rule and task of the water plan is in the YAML as the plan text has it.

The plan text is 新政办发〔2023〕14号, the first of its four plans. :data:`WATER_SECTION` is a verbatim copy of
its 主要目标 and 重点任务 (lines stripped, blank and page-number lines dropped), so these checks run
wherever the tests run; ``test_embedded_copy_is_the_seed_text`` ties the copy to the seed file
(``/work/shared/seed/000_1a3a67b7a1f5494e.txt``, or ``ENVPLAN_SEED``) when that file is present.

The 14 numbered clauses are parsed from the text; their responsibility brackets
(``（…牵头，…配合）``) are compared with the YAML's lead and support units through the unit registry,
their dates with the YAML's deadlines, and their words with the YAML's citations.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from plan_checks import assert_deadlines_follow, seed_section

from envplan_core import Engine, Plan, Rule, Target, Task
from envplan_core.testing import plan_text as pt

WATER_SECTION = """\
主要目标
2023 年地表水汾河杨赵桥断面、浍河西曲村断面水质力争
达到Ⅲ类。饮用水水源水质达到或优于Ⅲ类比例完成国家年度目
标。全面消除县城建成区黑臭水体。
重点任务
（一）强化水资源管控
1.保障汾河、浍河新绛段河流生态流量。全面落实《关于印
发汾河（运城段）流域上下游横向生态补偿机制工作方案的通知》
（运环发〔2022〕95 号）精神，配合省市逐步构建汾河、浍河
新绛段流域内上下游、左右岸、干支流水质与水量联动考核机制，
协同共促流域水环境质量稳定达标，有效保障汾河、浍河生态流
量。（市生态环境局新绛分局、县水利局牵头，县财政局、沿河
各镇配合）
2.推动县域再生水循环利用。提升县域内再生水利用水平，
完善再生水利用设施，拓宽再生水利用渠道，优先用于工业生产、
城市绿化和市政杂用，推动再生水用于汾河生态补水。完成城区
2座污水处理厂和开发区、新大桥东污水处理厂中水回用工作。
（县住建局、新绛经济技术开发区管委会、市生态环境局新绛分
局牵头，县发改局、县水利局配合）
3.提升饮用水水源保护水平。深化县级和千吨万人集中式饮
用水水源保护区规范化建设，完成全县农村千人水源地保护区划
分工作。（市生态环境局新绛分局牵头，县水利局、各镇配合）
（二）深化水环境治理
4.强化工业废水深度治理。汾河流域新建工业企业生产废水
原则上不得排入城镇污水处理厂，已纳入城镇污水处理厂处理的
工业废水应当逐步退出。其他地区已纳入城镇污水处理厂处理的
工业废水，经评估认定为污染物不能被污水处理厂有效处理，或
可能影响污水处理厂出水稳定达标的纳管企业的污水依法限期
退出污水管网，退出前向城镇污水处理厂排放的工业废水水质需
达到行业特别排放限值。加强焦化、化工类工业企业雨污分流管
网建设，推动厂区初期雨水收集处理不外排。推进新绛经济技术
开发区园区废水循环利用实现零排放，蒸发后杂盐应合理处置，
杜绝产生二次污染。启动新绛经济技术开发区污水应急工程。加
快新绛经济技术开发区园区雨水管网建设，并做好园区企业排入
雨水管网水体的监管工作。（新绛经济技术开发区管委会、市生
态环境局新绛分局、县工信科技局、县住建局牵头）
5.补齐城镇生活污水收集处理能力短板。2023年完成城区污
水处理厂提标改造工程建设，提高污水处理能力。启动新大桥东
污水处理厂建设项目，2025 年 6 月底前建成投入运行。（县住
建局、市生态环境局新绛分局牵头）
6.推进农村生活污水治理。加快推进农村生活污水分区分类
治理，有效缓解农村生活污水直排入河对汾河、浍河新绛段断面
水质改善的影响。积极推进农村黑臭水体整治。要因地制宜、分
类处置，县城周边的村庄通过管网收集入县城污水处理厂处理，
农村人口集聚地区可实施连片治理，人口少于千人且分布散的村
庄采用就地收储、罐车转送就近污水处理站集中处理。对于已建
成的农村污水处理设施要确保正常运行率达 80%以上。2023 年
完成 11个村污水处理站建设任务。积极推进沿浍河沿岸南马村、
西柳泉村 2座污水处理站改建项目。（市生态环境局新绛分局、
横桥镇牵头，县住建局、其余各镇配合）
（三）细化水生态修复
7.构建汾河新绛段生态治理新格局。在汾河、浍河新绛段，
按照“源、点、环、带”治理思路，全面推进我县汾河流域生态化
治理。2023 年完成汾河新绛段干流堤防治理达标工程、汾河流
域新绛县干流段综合治理项目、汾河干流新绛段防洪能力提升工
程主体；浍河新绛段防洪能力提升工程、三泉河防洪能力提升工
程完成计划投资，2024年全面完工。（市生态环境局新绛分局、
县水利局牵头）
8.实施城镇污水处理厂尾水生态化治理。大力推进城镇生活
污水处理厂尾水人工潜流湿地建设，人工潜流湿地应具有冬季保
温措施，保障出水稳定达地表水Ⅲ类水质。鼓励人工湿地与设施
农业相结合，通过种植水稻、蔬菜等解决用地矛盾。人工潜流湿
地建设用地矛盾突出的污水处理厂也可采用高效生物膜滤池代
替人工潜流湿地净化水质。（县住建局牵头，市生态环境局新绛
分局配合）
9.推动打造生态化治理节点。在充分考虑防洪安全的基础
上，配合省生态环境厅积极推动在浍河入汾河口处建设人工湿
地，利用生态手段提升河流纳污及自净能力，防止汛期农业面源
污染，改善汾河、浍河河流水质。（县水利局、市生态环境局新
绛分局牵头，横桥镇、龙兴镇配合）
10.建设重要水库生态环状屏障。针对三泉水库、古堆泉等
重要保护区，开展古堆泉重点保护区、水源涵养生态化改造建设，
构建多梯度的生态景观空间，提升保护区生态系统完整性。积极
开展入库支流人工湿地建设，提升水质净化能力，有效发挥水库
雨洪水蓄集能力。（县水利局牵头，县林业局、相关镇配合）
11.加强河（库）岸生态缓冲带修复。强化河（库）岸生态
缓冲带保护与修复，在汾河、浍河新绛段和三泉水库等两岸以及
划定的河库管理范围线之外 30-50米建设生态缓冲带，宜林地段
结合堤岸防护营造防护林带，优先选择本地生水生植物、低杆植
物，恢复水库生态功能，实现水域、陆域生境联通，保护生物多
样性。（县林业局、县水利局牵头，相关镇配合）
（四）优化水管理体制
12.加强河流水系整治。充分发挥“河长制”作用，持续开展
河湖“清四乱”，组织实施妨碍河道行洪突出问题排查整治，全面
清理河道内垃圾等废弃物。严禁在河道内开展机械车辆的清洗、
加油等作业，严控石油类物质漏洒，严禁在河道内放牧、倾倒生活
垃圾、畜禽粪污。（县水利局牵头，市生态环境局新绛分局配合）
13.实施水污染联防联控制度。根据省市地表水环境质量日
预警、周研判、月通报的调度通报机制，对汾河、浍河新绛段水
质超标断面及时响应，排查溯源污染来源，采取科学精准应急布
控与水污染治理措施，最大限度降低新绛境内汾河、浍河断面水
质超标风险。（市生态环境局新绛分局牵头，县住建局、县水利
局、沿河各镇配合）
14.提升入河排污口管理水平。开展入河排污口设置审核管
理，提升入河排污口规范化管理水平。深化入河排污口“查、测、
溯、治”，实施“一口一策”，坚持分类治理，明确每个排污口整
治措施和责任主体，按月组织入河排污口水质监测，对超标排放
的排污口溯源整治，限期达标。（市生态环境局新绛分局牵头，
沿河各镇配合）
"""


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def dates_in(clause: str) -> set[dt.date]:
    """Due dates the clause states: ``2023年`` → 2023-12-31, ``2025 年 6 月底前`` → 2025-06-30."""
    found = set()
    for year, month in re.findall(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月底前)?", clause):
        found.add(_month_end(int(year), int(month or 12)))
    return found


PARSED = pt.parse_clauses(WATER_SECTION.splitlines())  # the part headings, 「（一）强化水资源管控」 first, are set apart
CLAUSES = {n: clause.text for n, clause in PARSED.items()}
_CONTINUING = ("持续", "按月", "日预警")


def test_embedded_copy_is_the_seed_text() -> None:
    # The first plan of the notice is the water plan: its 主要目标 … 重点任务 lines, up to 保障措施.
    assert seed_section("主要目标", "保障措施") == WATER_SECTION.splitlines()


def test_fourteen_tasks_numbered_as_in_the_plan(tasks: dict[int, Task]) -> None:
    assert list(CLAUSES) == list(range(1, 15)), list(CLAUSES)
    assert sorted(tasks) == list(range(1, 15))
    assert all(t.id == f"water.task.{n}" for n, t in tasks.items())


@pytest.mark.parametrize("number", range(1, 15))
def test_task_cites_its_clause_verbatim(tasks: dict[int, Task], number: int) -> None:
    task = tasks[number]
    assert task.citation.clause == str(number)
    assert pt.squash(task.citation.text) == pt.squash(CLAUSES[number])
    assert task.citation.part.startswith("重点任务（")


@pytest.mark.parametrize("number", range(1, 15))
def test_task_units_are_the_bracket_units(engine: Engine, tasks: dict[int, Task], number: int) -> None:
    units = engine.catalog.units
    bracket = pt.bracket_units(CLAUSES[number])
    assert set(pt.resolve_units(units, tasks[number].lead)) == set(pt.resolve_units(units, bracket.lead))
    assert set(pt.resolve_units(units, tasks[number].support)) == set(pt.resolve_units(units, bracket.support))


@pytest.mark.parametrize("number", range(1, 15))
def test_task_deadlines_follow_the_text(tasks: dict[int, Task], number: int) -> None:
    assert_deadlines_follow(tasks[number], CLAUSES[number], dates_in(CLAUSES[number]), _CONTINUING)


def test_every_target_and_rule_is_cited_from_the_plan_text(plan: Plan) -> None:
    assert plan.citation_name == "水环境质量再提升2023年行动计划"
    assert pt.citation_problems(plan, WATER_SECTION, PARSED) == []  # the plan, a text in the plan's, its clause


def test_main_targets_and_contract_ids(plan: Plan) -> None:
    ids = {t.id for t in plan.targets}
    assert {"water.yangzhaoqiao.class", "water.xiqucun.class", "water.drinking_sources.share",
            "water.black_odorous.none"} <= ids
    main = [t for t in plan.targets if t.citation.part == "主要目标"]
    # 主要目标 has three sentences: two sections (one target each), drinking sources, black-odorous water.
    assert {t.citation.text for t in main} == {
        "2023 年地表水汾河杨赵桥断面、浍河西曲村断面水质力争达到Ⅲ类。",
        "饮用水水源水质达到或优于Ⅲ类比例完成国家年度目标。",
        "全面消除县城建成区黑臭水体。",
    }
    sections = {t.id: t for t in plan.targets if t.evaluator == "section_class"}
    assert set(sections) == {"water.yangzhaoqiao.class", "water.xiqucun.class"}
    for t in sections.values():
        assert t.kind.value == "aspirational"  # 力争
        assert [(th.comparator.value, th.value) for th in t.thresholds] == [("class<=", "III")]


def test_every_task_criterion_is_checkable(plan: Plan) -> None:
    """The quantitative parts of tasks 2, 4, 6, 8, 11 and 14 are targets or rules with an evaluator."""
    items: tuple[Target | Rule, ...] = (*plan.targets, *plan.rules)
    by_id = {i.id: i for i in items}
    tasks = {t.number: t for t in plan.tasks}
    for number in ("2", "4", "6", "8", "11", "14"):
        assert tasks[number].criteria, number
        for crit in tasks[number].criteria:
            assert by_id[crit].citation.clause == number
    assert set(tasks["6"].criteria) == {"water.rural_sewage.operating_rate", "water.rural_sewage.stations_2023",
                                       "water.rural_sewage.rebuilds"}

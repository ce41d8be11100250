"""Every task, target and rule of the soil plan is in the YAML as the plan text has it.

The plan text is 新政办发〔2023〕14号, the third of its four plans (新绛县土壤污染防治2023年行动计划).
:data:`SOIL_SECTION` is a verbatim copy of its 工作目标 and 重点任务 (lines stripped, blank and page-number
lines dropped), so these checks run wherever the tests run; ``test_embedded_copy_is_the_seed_text`` ties
the copy to the seed file (``/work/shared/seed/000_1a3a67b7a1f5494e.txt``, or ``ENVPLAN_SEED``) when that
file is present.

The 15 numbered clauses are parsed from the text, with the part heading each falls under; their
responsibility brackets (``（A、B牵头，C配合）``, ``（A、B负责）``, ``（A、B等按职责分工负责）``) are compared
with the YAML's lead and support units through the unit registry and its ``by_division_of_duties`` flag,
their dates and recurrences with the YAML's deadlines, and their words with the YAML's citations.
"""

from __future__ import annotations

import datetime as dt

import pytest
from plan_checks import seed_section

from envplan_core import DeadlineKind, Engine, Plan, Rule, Target, Task
from envplan_core.testing.plan_text import bracket_units, citation_problems, parse_clauses, resolve_units

SOIL_SECTION = """\
工作目标
新绛县土壤环境质量总体保持稳定，土壤环境风险有效管
控，受污染耕地安全利用率达到国家考核要求，重点建设用地安
全利用有效保障，保障老百姓“吃得放心、住得安心”。
重点任务
（一）加强土壤污染源头防控
1.严格土壤污染重点监管单位监管。根据市生态环境局要求
动态更新土壤污染重点监管单位名录。监督土壤污染重点监管单
位全面履行土壤污染防治义务，依法将其纳入排污许可管理。持
续开展土壤污染隐患排查整治，开展土壤和地下水自行监测。加
强企业拆除活动污染防治现场检查，督促企业落实拆除活动污染
防治措施，及时做好拆除活动总结报告，为后续土壤污染状况调
查、风险评估提供基础信息和依据。鼓励土壤污染重点监管单位
因地制宜实施管道化、密闭化改造，重点区域防腐防渗改造，以
及物料、污水管线架空建设和改造。（市生态环境局新绛分局、
新绛经济技术开发区管委会负责）
2.加强涉重金属排放企业污染减排。严格落实《涉镉等重金
属排放企业颗粒物自动监控设施建设工作方案》，依据重点排污
单位名录，排放镉等有毒有害大气、水污染物的企业按要求完成
建设任务并与生态环境部门联网。受污染耕地相对集中的区域，
自2023年起，执行《铅锌工业污染物排放标准》《铜镍钴工业污
染物排放标准》《无机化学工业污染物排放标准》中颗粒物和镉
等重点重金属特别排放限值，严控重金属污染物排放。以重有色
金属采选和冶炼、涉重金属无机化合物工业等行业为重点，鼓励
企业实施清洁生产改造，进一步减少污染物排放。（市生态环境
局新绛分局、县农业农村局按职责分工负责）
3.排查耕地土壤重金属污染成因。结合全市耕地土壤重金属
污染成因排查分析工作安排，根据我县实际加快谋划耕地土壤污
染成因排查项目的组织实施，配合做好成因排查，为下一步精准
防控提供科学支撑。（市生态环境局新绛分局牵头，县农业农村
局配合）
（二）强化耕地土壤污染风险管控
4.加大优先保护类耕地保护力度。依法将符合条件的优先保
护类耕地划为永久基本农田，实行严格保护，确保其面积不减少、
土壤环境质量不下降。在永久基本农田集中区域，严禁规划新建
可能造成土壤污染的建设项目。加强农业投入品质量监管，严厉
打击向农田施用重金属不达标肥料等农业投入品的行为。对优先
保护类耕地面积减少或土壤环境质量下降的镇，进行预警提醒并
依法采取环评限批等限制性措施。（县自然资源局、县农业农村
局、市生态环境局新绛分局、县市场监管局等按职责分工负责）
5.强化受污染耕地安全利用。根据全市制定的受污染耕地安
全利用年度计划，聚焦安全利用类耕地，结合我县主要作物品种
和种植习惯，有针对性地制定并实施受污染耕地安全利用方案，
落实品种替代、水肥调控、生理阻隔、土壤调理等安全利用技术
措施，分区分类建立完善安全利用技术库和农作物种植推荐清
单，巩固提高受污染耕地安全利用成效。鼓励对严格管控类耕地
按规定采取种植结构调整、轮作休耕等风险管控措施。加强粮食
收储和流通环节监管，杜绝重金属超标粮食进入口粮市场。（县
农业农村局、市生态环境局新绛分局、县市场监管局、县发改局
等按职责分工负责）
6.建立耕地土壤环境质量类别动态调整制度。根据土地用途
变更、土壤环境质量例行监测、土壤和农产品协同监测、受污染
耕地安全利用和治理修复效果等实际情况，对辖区内耕地土壤环
境质量类别划分结果进行动态调整，调整结果经县政府审定同意
后按要求逐级上报。强化对工矿用地复垦的监管，原则上曾用于
生产、使用、贮存、回收、处置有毒有害物质的地块禁止复垦为
种植食用农产品的耕地。（县农业农村局、市生态环境局新绛分
局、县自然资源局等按职责分工负责）
（三）严格建设用地土壤污染风险管控
7.全面落实调查评估制度。以用途变更为“一住两公”（住宅、
公共管理与公共服务）用地的地块为重点，依法开展土壤污染状
况调查和风险评估，原用途为“一住两公”用地的地块除外。对重
点行业企业用地调查查明的潜在高风险地块，要组织开展进一步
调查和风险评估。鼓励列入年度建设用地供应计划的地块，因地
制宜提前开展土壤污染状况调查，化解建设用地土壤污染风险管
控和修复与土地开发进度之间的矛盾。要建立注销、撤销排污许
可证的企业清单，及时调度更新，严格腾退地块监管。土壤污染
重点监管单位生产经营用地的土壤污染状况调查报告要依法作
为不动产登记资料送交不动产登记机构，并报生态环境部门备
案。（市生态环境局新绛分局、县自然资源局、县行政审批局、
新绛经济技术开发区管委会行政审批局等按职责分工负责）
8.严格污染地块准入管理。从事土地开发利用活动，要因地
制宜采取有效措施，确保建设用地符合土壤环境质量要求。从严
管控农药、焦化、化工等行业中的重度污染地块规划用途，严禁
规划学校、住宅等，鼓励用于拓展生态空间。对列入建设用地土
壤污染风险管控和修复名录的地块，自然资源部门、行政审批部
门严禁作为“一住两公”用地，严禁办理土地收回、收购、土地供
应以及改变土地用途等手续。用途拟变更为“一住两公”用地的所
有地块，要严格落实土壤污染状况调查评估及治理修复制度。依
法应当开展土壤污染状况调查或风险评估而未开展或尚未完成
的地块，以及未达到土壤污染风险评估报告确定的风险管控、修
复目标的地块，不得开工建设与风险管控、修复无关的项目。严
格执行《运城市建设用地土壤环境联动监督管理实施细则（试
行）》，认真履行部门监管责任。探索“环境修复+开发建设”模
式。（县自然资源局、县行政审批局、新绛经济技术开发区管委
会行政审批局、市生态环境局新绛分局等按职责分工负责）
9.合理安排土地开发和使用时序。对于成片污染地块分期分
批开发的，以及污染地块周边土地开发的，要优化开发时序，合
理安排土地供应及相关规划许可证发放时序，防止污染土壤及其
后续风险管控和修复活动对周边拟入住敏感人群产生影响。原则
上，“一住两公”等敏感类用地应后开发，在周边土壤环境风险得
到全面管控后再投入使用。在地块开发建设中发现存在土壤污染
现象的，要及时报告生态环境部门，并依法开展土壤污染状况调
查、风险评估等活动。（县自然资源局、县行政审批局、新绛经济
技术开发区管委会行政审批局、市生态环境局新绛分局等按职责分
工负责）
10.完善部门信息共享和联动监管机制。生态环境、自然资
源、行政审批等部门要及时共享疑似污染地块、污染地块有关信
息，用途变更为“一住两公”的地块信息，以及土壤污染重点监管
单位生产经营用地用途变更或土地使用权收回、转让等信息。自
然资源部门要将疑似污染地块、污染地块空间信息叠加至国土空
间规划“一张图”。生态环境、自然资源和行政审批部门要建立调
度协商机制，每季度调度分析辖区内重点建设用地安全利用情
况，及时通报存在问题并督促整改，及早解决潜在土壤环境风险。
（市生态环境局新绛分局、县自然资源局、县行政审批局、新绛
经济技术开发区管委会行政审批局等按职责分工负责）
11.强化土壤污染风险管控与修复。以再开发利用的污染地
块为重点，依法有序开展风险管控与修复。对暂不开发利用的高
风险关闭搬迁地块或污染地块，因地制宜实施风险管控，必要时
组织开展土壤、地下水等环境监测。鼓励化工、焦化等行业企业，
结合重点监管单位土壤污染风险隐患排查整治，采用污染阻隔、
监测自然衰减等原位风险管控或修复技术，探索在产企业边生产
边管控土壤污染风险模式。鼓励实施绿色低碳修复，探索污染土
壤“修复工厂”模式，建立污染土壤转运联单制度，防止转运污染
土壤非法处置。以含易挥发扩散异味、恶臭等污染物地块为重点，
强化修复施工现场监督管理，严控二次污染。以采取风险管控措
施的地块为重点，强化后期管理，综合采取长期环境监测、制度
控制等方式，确保实现安全利用。（市生态环境局新绛分局、县
自然资源局、县行政审批局、新绛经济技术开发区管委会行政审
批局等按职责分工负责）
（四）强化资金项目管理
12.加强土壤污染防治资金项目管理。以涉重金属历史遗留
矿渣污染治理工作为重点，加强土壤污染防治项目储备，提高申
报项目的入库率。及时做好中央和省级土壤污染防治项目管理系
统的项目申报、录入、把关等工作，按照《中央生态环境资金项
目管理规程（试行）》等相关规定，加强项目的监督管理，规范
资金使用，确保项目进度及资金安全。（市生态环境局新绛分局、
县农业农村局、县自然资源局等按职责分工负责）
（五）严格监管执法
13.强化土壤环境日常监管执法。将土壤环境污染作为环境
执法的重要内容，依法查处污染物随意倾倒、填埋，受污染土壤
随意处置等破坏土壤环境的行为。要适时召开联席会议，交流分
析土壤环境污染违法犯罪形势和工作中出现的新情况、新问题，
重点通报违法线索、线索核查、案件办理反馈等情况，对重大案
件进行会商，必要时可以进行联合调查。有关行政部门在日常监
管中发现可以适用行政拘留或可能构成刑事犯罪的案件线索，应
当及时移送公安机关。（市生态环境局新绛分局、县公安局、县
行政审批局、新绛经济技术开发区管委会行政审批局、县自然资
源局、县农业农村局等按职责分工负责）
14.开展重点建设用地违规开发利用清零行动。自然资源、
生态环境、行政审批等部门每个月定期梳理核实县域内涉及“一
住两公”地块的国有建设用地划拨和使用权出让情况，以及依法
依规落实土壤污染风险管控和修复措施（包括土壤污染状况调
查、风险评估、风险管控、修复、风险管控效果评估、修复效果
评估、后期管理等）情况，对发现的违规开发利用行为依法依规
严肃处理，督促及时整改到位，并实现动态清零。（市生态环境
局新绛分局、县行政审批局、新绛经济技术开发区管委会行政审
批局、县自然资源局等按职责分工负责）
15.开展专项执法行动。依据《土壤污染防治法》《山西省
土壤污染防治条例》等法律法规，以重点建设用地是否落实土壤
污染风险管控和修复措施、土壤污染重点监管单位是否落实土壤
污染防治责任等土壤突出环境问题为重点，适时开展专项执法行
动，严厉打击土壤环境违法行为。（市生态环境局新绛分局、县
自然资源局、县行政审批局、新绛经济技术开发区管委会行政审
批局等按职责分工负责）
"""

PARTS = {
    "（一）加强土壤污染源头防控": (1, 2, 3),
    "（二）强化耕地土壤污染风险管控": (4, 5, 6),
    "（三）严格建设用地土壤污染风险管控": (7, 8, 9, 10, 11),
    "（四）强化资金项目管理": (12,),
    "（五）严格监管执法": (13, 14, 15),
}


def goal_text(lines: list[str]) -> str:
    return "".join(lines[lines.index("工作目标") + 1 : lines.index("重点任务")])


PARSED = parse_clauses(SOIL_SECTION.splitlines())
CLAUSES = {n: (clause.part, clause.text) for n, clause in PARSED.items()}  # number → (part heading, text)
# Words of a standing or recurring duty (the deadline is then ongoing), and of a recurrence in the plan year.
_CONTINUING = ("持续", "日常", "每个月", "动态清零", "及时共享")
_QUARTERLY = "每季度"


def test_embedded_copy_is_the_seed_text() -> None:
    preamble = "为进一步提升全县土壤污染防治水平"  # the groundwater plan has a 工作目标 too
    assert seed_section("工作目标", "保障措施", after=preamble) == SOIL_SECTION.splitlines()


def test_plan_header(plan: Plan) -> None:
    assert (plan.id, plan.year, plan.document, plan.issued) == (
        "soil-2023",
        2023,
        "新政办发〔2023〕14号",
        dt.date(2023, 8, 18),
    )
    assert plan.title_zh == "新绛县土壤污染防治2023年行动计划"
    assert plan.citation_name == "土壤污染防治2023年行动计划"


def test_fifteen_tasks_numbered_as_in_the_plan(tasks: dict[int, Task]) -> None:
    assert list(CLAUSES) == list(range(1, 16)), list(CLAUSES)
    assert sorted(tasks) == list(range(1, 16))
    assert all(t.id == f"soil.task.{n}" for n, t in tasks.items())


def test_five_parts_as_in_the_text() -> None:
    """The text has five parts （一）…（五）, not four: （四） is funds, （五） enforcement."""
    found: dict[str, list[int]] = {}
    for n, (heading, _) in CLAUSES.items():
        found.setdefault(heading, []).append(n)
    assert {k: tuple(v) for k, v in found.items()} == PARTS


@pytest.mark.parametrize("number", range(1, 16))
def test_task_cites_its_clause_verbatim(tasks: dict[int, Task], number: int) -> None:
    task = tasks[number]
    heading, clause = CLAUSES[number]
    assert task.citation.clause == str(number)
    assert task.citation.text == clause  # the soil text has no extraction spaces: exact
    assert task.citation.part == f"重点任务{heading}"
    assert task.title_zh == clause.split("。")[0]
    assert task.citation.plan == "土壤污染防治2023年行动计划"


@pytest.mark.parametrize("number", range(1, 16))
def test_task_units_are_the_bracket_units(engine: Engine, tasks: dict[int, Task], number: int) -> None:
    units, bracket, task = engine.catalog.units, bracket_units(CLAUSES[number][1]), tasks[number]
    assert resolve_units(units, task.lead) == resolve_units(units, bracket.lead)  # in the plan's order
    assert resolve_units(units, task.support) == resolve_units(units, bracket.support)
    assert [r.by_division_of_duties for r in task.responsibilities] == [bracket.by_division_of_duties]


def test_by_division_of_duties_where_the_plan_says_so(tasks: dict[int, Task]) -> None:
    divided = {n for n, t in tasks.items() if any(r.by_division_of_duties for r in t.responsibilities)}
    assert divided == set(range(1, 16)) - {1, 3}
    assert tasks[3].support == ("县农业农村局",)  # 牵头 … 配合
    assert len(tasks[1].lead) == 2 and not tasks[1].support  # 负责, not by division


@pytest.mark.parametrize("number", range(1, 16))
def test_task_deadlines_follow_the_text(tasks: dict[int, Task], number: int) -> None:
    task, clause = tasks[number], CLAUSES[number][1]
    assert task.deadlines, f"task {number} has no deadline"
    for d in task.deadlines:
        if d.kind is DeadlineKind.ONGOING:
            assert d.text and any(word in clause for word in _CONTINUING), (number, d.text)
            assert all(phrase in clause for phrase in d.text.split("，")), (number, d.text)
        elif d.kind is DeadlineKind.WINDOW:
            assert d.text == "自2023年起" and "自2023年起" in clause
            assert (d.start, d.date) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
        elif d.text.startswith("每季度"):
            assert _QUARTERLY in clause
            assert d.due in (dt.date(2023, 9, 30), dt.date(2023, 12, 31))
        else:
            # No date in the text: due at the end of the plan year, and the deadline says it was inferred.
            assert d.due == dt.date(2023, 12, 31)
            assert d.text == "2023年（计划年度）"


def test_dated_and_recurring_requirements(tasks: dict[int, Task]) -> None:
    """Task 2 (from 2023), task 10 (quarterly, from the quarter of issue) and task 14 (monthly)."""
    two = tasks[2].deadlines
    assert [d.kind for d in two] == [DeadlineKind.DATE, DeadlineKind.WINDOW]
    assert "特别排放限值" in two[1].label and "颗粒物自动监控" in two[0].label
    ten = tasks[10].deadlines
    assert [d.due for d in ten] == [dt.date(2023, 9, 30), dt.date(2023, 12, 31), None]
    assert [d.text for d in ten[:2]] == ["每季度（2023年第三季度）", "每季度（2023年第四季度）"]
    fourteen = tasks[14].deadlines
    assert [d.kind for d in fourteen] == [DeadlineKind.ONGOING]
    assert "每个月" in fourteen[0].text and "动态清零" in fourteen[0].text
    for n in (1, 13, 14):
        assert all(d.kind is DeadlineKind.ONGOING for d in tasks[n].deadlines), n


def test_every_target_and_rule_is_cited_from_the_plan_text(plan: Plan) -> None:
    assert plan.citation_name == "土壤污染防治2023年行动计划"
    assert citation_problems(plan, SOIL_SECTION, PARSED) == []  # the plan, a text in the plan's, its clause
    text = "".join(SOIL_SECTION.splitlines())
    items: tuple[Target | Rule, ...] = (*plan.targets, *plan.rules)
    for item in items:
        assert item.citation.text in text, item.id  # the soil text has no extraction spaces: exact


def test_the_goal(plan: Plan) -> None:
    goal = goal_text(SOIL_SECTION.splitlines())
    targets = {t.id: t for t in plan.targets}
    assert set(targets) == {"soil.farmland.safe_utilisation_rate", "soil.construction_land.safe_use"}
    for t in targets.values():
        assert t.citation.part == "工作目标" and t.citation.text == goal
        assert t.kind.value == "goal"
        assert t.title_zh in goal
        assert t.responsibilities and t.responsibilities[0].by_division_of_duties
    rate = targets["soil.farmland.safe_utilisation_rate"]
    assert rate.thresholds == ()  # the national figure is the user's (limit_key)
    assert rate.params["limit_key"] == "soil.farmland.national_safe_utilisation_target"


def test_every_rule_belongs_to_the_task_it_cites(plan: Plan) -> None:
    tasks = {t.id: t for t in plan.tasks}
    items: tuple[Target | Rule, ...] = (*plan.targets, *plan.rules)
    by_id = {i.id: i for i in items}
    for rule in plan.rules:
        task = tasks[rule.task]
        assert rule.citation.clause == task.number, rule.id
        assert rule.citation.text in task.citation.text, rule.id
        assert rule.id in task.criteria, rule.id
    for task in plan.tasks:
        for crit in task.criteria:
            assert by_id[crit].citation.clause in ("", task.number), crit
    assert {r.id for r in plan.rules} == {
        "soil.rule.sensitive_use_investigation",
        "soil.rule.listed_parcel_restrictions",
        "soil.rule.no_unrelated_construction",
        "soil.rule.toxic_site_reclamation",
        "soil.rule.priority_farmland",
        "soil.rule.monthly_check",
        "soil.rule.quarterly_dispatch",
    }

"""A tiny envplan plugin for the CLI tests (``--plugins cli_test_plugin``).

One plan built in Python: one target judged by the core's ``supplied_value`` evaluator, one task due
2023-10-31 (lead 县住建局, support 各镇) and one ongoing task. ``ENVPLAN_CLI_TEST_EXAMPLES`` names a
folder of example data for ``envplan demo``; unset, the plugin provides none.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

from envplan_core import (
    Citation,
    Comparator,
    Deadline,
    DeadlineKind,
    Plan,
    Responsibility,
    Target,
    TargetKind,
    Task,
    Threshold,
    hookimpl,
)
from envplan_core.units import Q_

PLAN_ID = "clitest-2023"
CITE = "测试行动计划"

PLAN = Plan(
    id=PLAN_ID,
    title_zh="新绛县测试行动计划",
    title_en="Xinjiang County test action plan",
    year=2023,
    document="测试〔2023〕1号",
    issued=dt.date(2023, 8, 18),
    citation_name=CITE,
    targets=(
        Target(
            id="clitest.sewage_rate",
            title_zh="城市生活污水集中收集率达到80%以上",
            title_en="Urban sewage collection rate at least 80 %",
            kind=TargetKind.BINDING,
            evaluator="supplied_value",
            citation=Citation(plan=CITE, part="主要目标", text="城市生活污水集中收集率达到80%以上。"),
            thresholds=(Threshold(comparator=Comparator.GE, value=Q_(80, "percent"),
                                  effective_from=dt.date(2023, 1, 1)),),
            period="2023",
            responsibilities=(Responsibility(lead=("县住建局",)),),
            plan=PLAN_ID,
        ),
    ),
    tasks=(
        Task(
            id="clitest.task.1",
            number="1",
            title_zh="完成污水管网改造",
            title_en="Finish the sewer network renovation",
            citation=Citation(plan=CITE, part="重点任务", clause="1", text="10月底前完成污水管网改造。"),
            responsibilities=(Responsibility(lead=("县住建局",), support=("各镇",)),),
            deadlines=(Deadline(kind=DeadlineKind.DATE, date=dt.date(2023, 10, 31), text="10月底前",
                                label="完成改造"),),
            criteria=("clitest.sewage_rate",),
            plan=PLAN_ID,
        ),
        Task(
            id="clitest.task.2",
            number="2",
            title_zh="常态化巡查河道",
            title_en="Routine river patrols",
            citation=Citation(plan=CITE, part="重点任务", clause="2", text="长期坚持河道巡查。"),
            responsibilities=(Responsibility(lead=("市生态环境局新绛分局",)),),
            deadlines=(Deadline(kind=DeadlineKind.ONGOING, text="长期坚持"),),
            plan=PLAN_ID,
        ),
    ),
)


@hookimpl
def envplan_plans() -> Iterable[Plan]:
    return [PLAN]


@hookimpl
def envplan_example_data() -> Iterable[str]:
    folder = os.environ.get("ENVPLAN_CLI_TEST_EXAMPLES")
    return [folder] if folder else []

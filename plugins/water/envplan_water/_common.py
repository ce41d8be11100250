"""What the water evaluators share: GB 3838 class labels and class limits, per-parameter period means, the
period and number formats of their messages, and the ``kind``/``where`` parameters of the evaluators
that read inventory records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from envplan_core.plugin import (
    EvalContext,
    ObservationSet,
    Rule,
    Target,
    Threshold,
    format_unit,
    normalise_name,
    period_label,
)
from envplan_core.standards import gb3838

__all__ = [
    "CLASS_III",
    "DECISIVE_INDICATORS",
    "GB3838_STANDARD",
    "RecordParams",
    "class_label",
    "class_limit",
    "decisive_indicators",
    "fmt",
    "gb3838_rows",
    "indicator_names_zh",
    "param_unit",
    "param_zh",
    "parameter_means",
    "period_label",
    "sig",
    "threshold_of",
]

GB3838_STANDARD = "GB 3838-2002 表1; 环办〔2011〕22号"
#: The indicators that decide surface-water classes in practice (what bulletins name as main
#: pollutants: 溶解氧, 高锰酸盐指数, 化学需氧量, 氨氮, 总磷). A class target is never ``met`` unless each was
#: measured in the period (settable per target: ``params.decisive_indicators``); docs/plans/water.md.
DECISIVE_INDICATORS: tuple[str, ...] = ("DO", "CODMn", "COD", "NH3-N", "TP")
_ASSESSMENT_BY_NAME = {
    normalise_name(name): p.id
    for p in gb3838.PARAMETERS
    if p.id in gb3838.ASSESSMENT_PARAMETERS
    for name in (p.id, p.name_zh, p.name_en, *p.aliases)
    if name
}
CLASS_III = 3
_ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "劣V": "劣Ⅴ", "": "—"}


@attrs.frozen
class RecordParams:
    """Records of the inventory an evaluator looks at: ``kind`` and the ``where`` filter."""

    kind: str | None = None
    where: Mapping[str, Any] = attrs.field(factory=dict)

    def kind_or(self, default: str) -> str:
        return self.kind if self.kind is not None else default


def class_label(name: str) -> str:
    """``"IV"`` → ``"Ⅳ"`` for Chinese text (the JSON keeps ``I``…``V``, ``劣V`` as docs/cli.md says)."""
    return _ROMAN.get(name, name)


def fmt(x: float) -> str:
    return f"{x:.4g}"


def sig(x: float, digits: int = 6) -> float:
    """``x`` to ``digits`` significant digits, for display in details (comparisons use the full value)."""
    return float(f"{x:.{digits}g}")


def param_zh(ctx: EvalContext, pid: str) -> str:
    if pid in gb3838.BY_ID:
        return gb3838.BY_ID[pid].name_zh
    param = ctx.catalog.parameters.resolve(pid)
    return param.name_zh if param is not None else pid


def param_unit(pid: str) -> str:
    return format_unit(gb3838.BY_ID[pid].unit) if pid in gb3838.BY_ID else ""


def threshold_of(ctx: EvalContext, item: Target | Rule) -> Threshold | None:
    """The threshold an item is judged against: a target's in force for its period, a rule's first."""
    return ctx.threshold_for(item) if isinstance(item, Target) else (item.thresholds or (None,))[0]


def class_limit(ctx: EvalContext, item: Target | Rule) -> tuple[int, Threshold | None]:
    """The class a ``class<=`` threshold sets (default Ⅲ) and the threshold itself."""
    threshold = threshold_of(ctx, item)
    if threshold is not None and isinstance(threshold.value, str):
        return gb3838.class_code(threshold.value), threshold
    return CLASS_III, threshold


def gb3838_rows(series: ObservationSet) -> npt.NDArray[np.bool_]:
    """Rows of GB 3838 Table 1 parameters (other standards' rows, e.g. transparency, are left out)."""
    known = np.asarray([p in gb3838.BY_ID for p in series.parameters] or [False], dtype=bool)
    return known[series.parameter] if len(series) else np.zeros(0, dtype=bool)


def parameter_means(series: ObservationSet) -> tuple[dict[str, float], dict[str, int], set[str]]:
    """Per-parameter means (non-detects at half the detection limit), sample counts, non-detect ids."""
    values = series.stat_values()
    size = len(series.parameters)
    counts = np.bincount(series.parameter, minlength=size)
    sums = np.bincount(series.parameter, weights=values, minlength=size)
    censored = np.bincount(series.parameter, weights=series.censored.astype(np.float64), minlength=size)
    means: dict[str, float] = {}
    n: dict[str, int] = {}
    nondetect: set[str] = set()
    for code in np.flatnonzero(counts).tolist():
        pid = series.parameters[code]
        means[pid] = float(sums[code] / counts[code])
        n[pid] = int(counts[code])
        if censored[code] > 0:
            nondetect.add(pid)
    return means, n, nondetect


def decisive_indicators(value: Any) -> tuple[str, ...]:
    """``params.decisive_indicators`` as GB 3838 ids: a list of the 21 assessment indicators (id, Chinese
    or English name); anything else is an error when the plugin loads."""
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"expected a list of GB 3838-2002 assessment indicators, got {value!r}")
    out = []
    for name in (str(v) for v in value):
        pid = _ASSESSMENT_BY_NAME.get(normalise_name(name))
        if pid is None:
            raise ValueError(f"{name!r} is not one of the 21 GB 3838-2002 assessment indicators")
        out.append(pid)
    return tuple(dict.fromkeys(out))


def indicator_names_zh(ctx: EvalContext, pids: Any) -> str:
    return "、".join(param_zh(ctx, p) for p in pids)

"""Value and detection-limit cells of observations: numbers, non-detects and their detection limits.

:func:`_parse_values` reads the ``value`` column — numbers cast by Arrow or pandas, and a column holding
some text through ``pd.to_numeric(errors="coerce")`` plus one pass over its distinct non-numeric spellings:
``<0.01`` and ``0.01L`` (HJ 630) are non-detects with that detection limit, ``ND``/``未检出`` take the
row's ``detection_limit`` (:func:`_parse_detection_limits`), a number below the row's detection limit is a
non-detect too (docs/inputs.md (conventions)); rows of a presence item (``Parameter.presence``: 嗅和味,
肉眼可见物) also take 无/有 (:func:`envplan_core.parameters.presence_value`). A value beyond ``max_magnitude`` (``MAX_MAGNITUDE`` of
:mod:`envplan_core.data.observations`, passed in) is a problem.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import numpy.typing as npt

from envplan_core.data._obs_batch import _label_problems
from envplan_core.data._tabular import ProblemLog, Table, cell_text, factorize_text
from envplan_core.parameters import presence_value

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_BELOW = re.compile(rf"^(?:[<＜]|&lt;)\s*({_NUMBER})$")
# HJ 630-2011 / 82号: a result below the detection limit is reported as the limit followed by "L".
_L_SUFFIX = re.compile(rf"^({_NUMBER})\s*[Ll]$")
_NOT_DETECTED = {"nd", "n.d.", "n.d", "未检出", "<dl", "<lod", "bdl", "低于检出限"}


def _parse_values(
    log: ProblemLog,
    index: int,
    table: Table,
    raw: npt.NDArray[Any],
    dl_raw: npt.NDArray[Any] | None,
    *,
    max_magnitude: float,
    presence_rows: npt.NDArray[np.bool_] | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
    n = len(table)
    column = table.header("value")
    censored = np.zeros(n, dtype=bool)
    dl = np.full(n, np.nan)
    if dl_raw is not None:
        dl = _parse_detection_limits(log, index, table, dl_raw)
    if raw.dtype.kind in "iuf":
        # Converted in place later: a copy unless the reader owns a writable array already.
        value = raw.astype(np.float64, copy=not raw.flags.writeable)
    else:
        import pandas as pd

        value = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(np.float64, copy=True)
    missing = np.isnan(value)
    if presence_rows is not None and raw.dtype.kind not in "iuf" and (missing & presence_rows).any():
        # 无/有 of a presence item (嗅和味, 肉眼可见物): read before anything else ("未检出" is 无 there).
        rows = np.flatnonzero(missing & presence_rows)
        codes, labels = factorize_text(raw[rows])
        read = np.asarray([np.nan if (v := presence_value(label)) is None else v for label in labels])
        value[rows] = read[codes]
        missing[rows] = np.isnan(value[rows])
    if missing.any():
        positions = np.flatnonzero(missing)
        if raw.dtype.kind in "iuf":
            log.add(index, positions, column, "empty required cell")
        else:
            codes, labels = factorize_text(raw[positions])
            kind = np.zeros(len(labels), dtype=np.int8)  # 0 bad, 1 below-limit number, 2 not detected
            number = np.full(len(labels), np.nan)
            reasons = []
            for k, label in enumerate(labels):
                reason = ""
                below = _BELOW.match(label) or _L_SUFFIX.match(label)
                if not label:
                    reason = "empty required cell"
                elif below is not None:
                    number[k] = float(below.group(1))
                    kind[k] = 1
                    if not number[k] > 0:
                        kind[k], reason = 0, f"detection limit in {label!r} must be positive"
                elif label.casefold() in _NOT_DETECTED:
                    kind[k] = 2
                elif presence_value(label) is not None:
                    reason = (
                        f"non-numeric value {label!r}: 无/有 (absent/present) is read only for presence items "
                        "such as 嗅和味 and 肉眼可见物; write a number, <DL such as <0.01, or ND"
                    )
                else:
                    reason = f"non-numeric value {label!r} (write a number, <DL such as <0.01, or ND)"
                reasons.append(reason)
            row_kind = kind[codes]
            _label_problems(log, index, codes, kind == 0, reasons, column, base=positions)
            lt = positions[row_kind == 1]
            value[lt] = number[codes[row_kind == 1]]
            dl[lt] = value[lt]
            censored[lt] = True
            nd = positions[row_kind == 2]
            no_limit = nd[~(dl[nd] > 0)]
            log.add(
                index,
                no_limit,
                column,
                "'ND' (not detected) needs a detection limit: add a detection_limit column or write <DL "
                "(e.g. <0.01)",
            )
            value[nd] = dl[nd]
            censored[nd] = True
    if not np.isfinite(value.max(initial=0.0)) or not np.isfinite(value.min(initial=0.0)):
        infinite = np.isinf(value)
        if infinite.any():
            log.add(index, infinite, column, "value is not a finite number")
    with np.errstate(invalid="ignore"):
        huge = np.abs(value) > max_magnitude
    if huge.any():
        log.add(
            index,
            huge & np.isfinite(value),
            column,
            f"value beyond {max_magnitude:g} in any unit: not a measurement (a typo, or an overflow waiting to happen)",
        )
    if dl_raw is not None:
        # A number below the row's detection limit is a non-detect too (82号 point 7 counts it at DL/2).
        with np.errstate(invalid="ignore"):
            below_dl = ~censored & (value < dl)
        if below_dl.any():
            value[below_dl] = dl[below_dl]
            censored |= below_dl
    return value, censored, dl


def _parse_detection_limits(
    log: ProblemLog, index: int, table: Table, raw: npt.NDArray[Any]
) -> npt.NDArray[np.float64]:
    column = table.header("detection_limit")
    if raw.dtype.kind in "iuf":
        dl = raw.astype(np.float64)
    else:
        import pandas as pd

        dl = pd.to_numeric(pd.Series(raw, dtype=object), errors="coerce").to_numpy(np.float64, copy=True)
        missing = np.flatnonzero(np.isnan(dl))
        if missing.size:
            text = np.asarray([cell_text(v).strip() for v in raw[missing].tolist()], dtype=object)
            bad = missing[text != ""]
            log.add(
                index,
                bad,
                column,
                [f"non-numeric detection limit {cell_text(v).strip()!r}" for v in raw[bad].tolist()],
            )
    not_positive = ~np.isnan(dl) & ~(dl > 0)
    not_positive |= np.isinf(dl)
    if not_positive.any():
        log.add(index, not_positive, column, "detection limit must be a positive finite number")
        dl[not_positive] = np.nan
    return dl

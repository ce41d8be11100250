"""The soil sample file of ``envplan classify soil``: long format, one measured item per row.

Columns (docs/plans/soil.md § Classifier; Chinese headers accepted, width and case folded)::

    site,sample,parameter,value,unit[,land_use,pH,detection_limit,date,depth,note,flag]

* ``site`` — the plot (地块 / 图斑) the sample belongs to; ``sample`` — the sample id within it.
* ``parameter`` — a GB 15618 or GB 36600 item in any spelling the standards know (``镉``, ``Cd``,
  ``总镉``, ``cadmium``, ``苯并[a]芘``, a CAS number …), read as the *soil* parameter (``soil_Cd``), or
  ``pH`` (the sample's pH as a row of its own).
* ``value`` — a number; ``<0.01`` or ``0.01L`` is a non-detect with detection limit 0.01; ``ND``/``未检出``
  takes the row's ``detection_limit``. ``unit`` — a mass per mass (mg/kg, µg/kg, g/kg, 毫克/千克 …),
  converted to mg/kg; mg/L, %, ppm or a bare number is a unit error. A pH row takes ``无量纲``, ``pH`` or
  nothing.
* ``land_use`` — agricultural land: 水田/paddy, 旱地/水浇地/菜地/其他/other, 果园/orchard, 水旱轮作/rotation;
  construction land: the planned use (GB 50137 code or name, 第一类用地/第二类用地, 一住两公 …). One value
  per sample; a cell left empty takes ``--land-use`` when given.
* ``pH`` — the sample's soil pH (a column, or a ``pH`` row; both must agree when both are given).

Every row is used or reported: blank rows are skipped (row numbers still count them); rows of items the
chosen standard does not judge are kept and listed per sample as ``ignored``; every other problem (unknown
parameter or unit, a unit of the wrong dimension, a negative or missing value, a duplicate item in a
sample, a sample with two land uses or two pH values, no pH for agricultural land) is collected and
raised as one :class:`DataError` naming file, row (the header is row 1) and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from envplan_core.plugin import DataError, UnitError, normalise_name
from envplan_core.standards import gb15618, gb36600

__all__ = ["COLUMNS", "Measurement", "Sample", "read_samples", "soil_parameter"]

REQUIRED = ("site", "sample", "parameter", "value", "unit")
OPTIONAL = ("land_use", "pH", "detection_limit", "date", "depth", "note", "flag")
COLUMNS = (*REQUIRED, *OPTIONAL)
_ALIASES: Mapping[str, str] = {
    normalise_name(k): v
    for v, names in {
        "site": (
            "site",
            "plot",
            "parcel",
            "地块",
            "地块编号",
            "地块名称",
            "图斑",
            "图斑编号",
            "点位",
            "监测点位",
        ),
        "sample": ("sample", "sample_id", "样品", "样品编号", "样品号", "样品名称"),
        "parameter": ("parameter", "item", "指标", "项目", "检测项目", "监测项目", "参数", "污染物"),
        "value": (
            "value",
            "result",
            "concentration",
            "content",
            "数值",
            "含量",
            "浓度",
            "检测值",
            "监测值",
            "结果",
        ),
        "unit": ("unit", "units", "单位"),
        "land_use": (
            "land_use",
            "land use",
            "landuse",
            "use",
            "用地类型",
            "土地利用类型",
            "地类",
            "用途",
            "规划用途",
        ),
        "pH": ("pH", "ph值", "土壤pH", "soil_pH", "酸碱度"),
        "detection_limit": ("detection_limit", "dl", "lod", "检出限"),
        "date": ("date", "time", "sampling_date", "采样日期", "采样时间", "日期", "时间"),
        "depth": ("depth", "深度", "采样深度"),
        "note": ("note", "notes", "remark", "remarks", "备注"),
        "flag": ("flag", "flags", "标记", "标识"),
    }.items()
    for k in names
}
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_BELOW = re.compile(rf"^(?:[<＜]|&lt;)\s*({_NUMBER})$")
_L_SUFFIX = re.compile(rf"^({_NUMBER})\s*[Ll]$")
_NOT_DETECTED = frozenset(
    normalise_name(w) for w in ("nd", "n.d.", "未检出", "<dl", "<lod", "bdl", "低于检出限")
)
_PH_UNITS = frozenset(normalise_name(u) for u in ("", "无量纲", "量纲一", "pH", "dimensionless", "-", "/"))
SHOWN = 20


def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for param in (*gb15618.PARAMETERS, *gb36600.PARAMETERS):
        for name in (param.id, param.name_zh, param.name_en, *param.aliases):
            if name:
                index.setdefault(normalise_name(name), param.id)
    return index


_PARAMETERS = _index()


def soil_parameter(name: str) -> str | None:
    """The soil parameter id (``soil_Cd``, ``soil_pH`` …) a spelling names in GB 15618 or GB 36600."""
    return _PARAMETERS.get(normalise_name(name))


@attrs.frozen
class Measurement:
    """One item of one sample: ``value`` in mg/kg (a non-detect: its detection limit, ``nondetect`` set)."""

    parameter: str
    value: float
    nondetect: bool
    row: int
    given: str


@attrs.frozen
class Sample:
    """A sample: its plot (``site``), id, land use as written, pH (None when not given), rows, items."""

    site: str
    sample: str
    land_use: str
    ph: float | None
    rows: tuple[int, ...]
    measurements: tuple[Measurement, ...]


@attrs.define
class Problems:
    file: str
    items: list[tuple[int, str, str]] = attrs.field(factory=list)

    def add(self, row: int, column: str, reason: str) -> None:
        self.items.append((row, column, reason))

    def touches(self, rows: Iterable[int]) -> bool:
        """Whether a problem was already reported on one of ``rows`` (a consequence is not reported)."""
        wanted = set(rows)
        return any(row in wanted for row, _, _ in self.items)

    def raise_if_any(self) -> None:
        if not self.items:
            return
        ordered = sorted(self.items)
        if len(ordered) == 1:
            row, column, reason = ordered[0]
            raise DataError(reason, file=self.file, row=row, column=column)
        lines = [f"row {r}, column {c!r}: {why}" for r, c, why in ordered]
        shown = "\n  ".join(lines[:SHOWN])
        more = f"\n  … and {len(lines) - SHOWN} more" if len(lines) > SHOWN else ""
        raise DataError(
            f"{len(lines)} problems in the soil samples:\n  {shown}{more}",
            file=self.file,
            problems=tuple(f"{self.file}: {line}" for line in lines),
        )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(float(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return str(value).strip()


def _grid(source: Any, label: str) -> list[list[str]]:
    """Header and rows as text, from a CSV (UTF-8 or GB18030), an XLSX (first sheet) or a DataFrame."""
    if hasattr(source, "columns") and hasattr(source, "itertuples"):  # a pandas DataFrame
        return [
            [str(c) for c in source.columns],
            *([_cell(v) for v in row] for row in source.itertuples(index=False)),
        ]
    path = Path(source)
    if not path.is_file():
        raise DataError("no such file", file=label)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise DataError("not UTF-8 or GB18030 text", file=label)
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]


def _header(cells: Sequence[str], label: str, *, ignore_extra_columns: bool) -> dict[str, int]:
    found: dict[str, int] = {}
    unknown: list[str] = []
    for i, raw in enumerate(cells):
        if not raw:
            continue
        name = _ALIASES.get(normalise_name(raw))
        if name is None:
            unknown.append(raw)
        elif name in found:
            raise DataError(
                f"columns {cells[found[name]]!r} and {raw!r} both mean {name!r}", file=label, row=1
            )
        else:
            found[name] = i
    if unknown and not ignore_extra_columns:
        raise DataError(
            f"unknown column(s) {', '.join(map(repr, unknown))}; expected {', '.join(COLUMNS)} "
            "(or pass --ignore-extra-columns)",
            file=label,
            row=1,
        )
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise DataError(
            f"the header has no {', '.join(map(repr, missing))} column (found: {', '.join(c for c in cells if c)})",
            file=label,
            row=1,
        )
    return found


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _value(text: str, dl_text: str) -> tuple[float, bool] | str:
    """(number, non-detect) in the row's unit, or the reason it cannot be read."""
    if not text:
        return "no value"
    number = _number(text)
    if number is not None:
        return (number, False) if number >= 0 else f"negative value {text!r}"
    for pattern in (_BELOW, _L_SUFFIX):
        match = pattern.match(text)
        if match:
            return float(match.group(1)), True
    if normalise_name(text) in _NOT_DETECTED:
        dl = _number(dl_text)
        if dl is None or dl < 0:
            return f"{text!r} (not detected) needs a detection_limit"
        return dl, True
    return f"not a number: {text!r}"


@attrs.define
class _Draft:
    site: str
    sample: str
    rows: list[int] = attrs.field(factory=list)
    land_use: dict[str, int] = attrs.field(factory=dict)  # spelling -> first row
    ph: dict[float, tuple[int, str]] = attrs.field(factory=dict)  # value -> (first row, column)
    items: dict[str, Measurement] = attrs.field(factory=dict)


def read_samples(
    source: Any,
    *,
    land: str,
    land_use: str | None = None,
    name: str | None = None,
    ignore_extra_columns: bool = False,
) -> list[Sample]:
    """Read a soil sample file (see the module docstring) for ``land`` ``agricultural`` or ``construction``.

    :param land_use: the land use of rows whose ``land_use`` cell is empty (or when there is no column).
    :raises DataError: every problem of the file, naming file, row and column.
    """
    label = name or (str(source) if isinstance(source, (str, Path)) else "<DataFrame>")
    grid = _grid(source, label)
    if not grid or not any(grid[0]):
        raise DataError("empty file: expected a header row", file=label, row=1)
    cols = _header(grid[0], label, ignore_extra_columns=ignore_extra_columns)
    problems = Problems(label)
    drafts: dict[tuple[str, str], _Draft] = {}
    units: dict[str, str] = {}  # unit spelling -> reason it is refused ("" when fine)

    def cell(cells: Sequence[str], column: str) -> str:
        i = cols.get(column)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    header = grid[0]
    unnamed = [i for i, h in enumerate(header) if not h.strip()]
    for index, cells in enumerate(grid[1:]):
        row = index + 2
        if not any(c.strip() for c in cells):
            continue
        stray = [
            i for i in (*unnamed, *range(len(header), len(cells))) if i < len(cells) and cells[i].strip()
        ]
        if stray:
            problems.add(row, f"column {stray[0] + 1}", "a value under a column without a name")
            continue
        site, sample = cell(cells, "site"), cell(cells, "sample")
        bad = [c for c, v in (("site", site), ("sample", sample)) if not v]
        for column in bad:
            problems.add(row, column, f"no {column}")
        if bad:
            continue
        draft = drafts.setdefault((site, sample), _Draft(site, sample))
        draft.rows.append(row)
        use = cell(cells, "land_use") or (land_use or "")
        if use:
            draft.land_use.setdefault(use, row)
        ph_text = cell(cells, "pH")
        if ph_text:
            ph = _number(ph_text)
            if ph is None or not 0 <= ph <= 14:
                problems.add(row, "pH", f"soil pH {ph_text!r} is not a number between 0 and 14")
            else:
                draft.ph.setdefault(ph, (row, "pH"))
        raw_param = cell(cells, "parameter")
        pid = soil_parameter(raw_param) if raw_param else None
        if pid is None:
            problems.add(
                row,
                "parameter",
                f"unknown soil parameter {raw_param!r} (a GB 15618-2018 or GB 36600-2018 item, or pH)"
                if raw_param
                else "no parameter",
            )
            continue
        text, unit = cell(cells, "value"), cell(cells, "unit")
        if pid == "soil_pH":
            ph = _number(text)
            if normalise_name(unit) not in _PH_UNITS:
                problems.add(
                    row, "unit", f"pH is dimensionless, not {unit!r} (leave the unit empty or write 无量纲)"
                )
            elif ph is None or not 0 <= ph <= 14:
                problems.add(row, "value", f"soil pH {text!r} is not a number between 0 and 14")
            else:
                draft.ph.setdefault(ph, (row, "value"))
            continue
        parsed = _value(text, cell(cells, "detection_limit"))
        if isinstance(parsed, str):
            problems.add(row, "value", f"{pid}: {parsed}")
            continue
        if unit not in units:
            try:
                gb15618.to_mg_per_kg([1.0], unit, parameter=pid)
                units[unit] = ""
            except UnitError as exc:
                units[unit] = str(exc) if unit else "no unit (write mg/kg, µg/kg or g/kg)"
        if units[unit]:
            problems.add(row, "unit", units[unit])
            continue
        value = float(gb15618.to_mg_per_kg([parsed[0]], unit, parameter=pid)[0])
        if pid in draft.items:
            first = draft.items[pid].row
            problems.add(
                row,
                "parameter",
                f"{pid} given twice for sample {sample!r} of {site!r} (first at row {first})",
            )
            continue
        draft.items[pid] = Measurement(pid, value, parsed[1], row, f"{text} {unit}".strip())
    samples = [_finish(d, land, problems) for d in drafts.values()]
    problems.raise_if_any()
    return [s for s in samples if s is not None]


def _finish(draft: _Draft, land: str, problems: Problems) -> Sample | None:
    first = draft.rows[0]
    uses = list(draft.land_use)
    if len(uses) > 1:
        rows = ", ".join(f"{u!r} (row {r})" for u, r in draft.land_use.items())
        problems.add(
            draft.land_use[uses[1]], "land_use", f"sample {draft.sample!r} has two land uses: {rows}"
        )
        return None
    if not uses:
        problems.add(
            first,
            "land_use",
            f"sample {draft.sample!r} of {draft.site!r} has no land use (rows {_rows(draft.rows)}): fill the "
            "land_use column or pass --land-use",
        )
        return None
    phs = list(draft.ph)
    if len(phs) > 1:
        rows = ", ".join(f"{p:g} (row {r})" for p, (r, _) in draft.ph.items())
        problems.add(
            draft.ph[phs[1]][0], draft.ph[phs[1]][1], f"sample {draft.sample!r} has two pH values: {rows}"
        )
        return None
    if land == "agricultural" and not phs:
        if problems.touches(draft.rows):
            return None
        problems.add(
            first,
            "pH",
            f"sample {draft.sample!r} of {draft.site!r} has no soil pH (rows {_rows(draft.rows)}): GB 15618-2018 "
            "values depend on the pH band; give a pH column or a pH row",
        )
        return None
    if not draft.items:
        if problems.touches(draft.rows):
            return None
        problems.add(first, "parameter", f"sample {draft.sample!r} of {draft.site!r} has no measured item")
        return None
    return Sample(
        site=draft.site,
        sample=draft.sample,
        land_use=uses[0],
        ph=phs[0] if phs else None,
        rows=tuple(draft.rows),
        measurements=tuple(draft.items.values()),
    )


def _rows(rows: Iterable[int]) -> str:
    listed = list(rows)
    return ", ".join(map(str, listed[:5])) + (" …" if len(listed) > 5 else "")

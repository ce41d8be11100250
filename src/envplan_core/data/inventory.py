"""Inventories (docs/inputs.md ``--inventory``): facilities, land parcels, wells, outfalls … as typed records.

A YAML or JSON file holds either a list of records or a mapping ``{records: [...], values: {...}}``.
A CSV or XLSX file (a register: wells, parcels …) holds one record per row under a header naming
``id``, ``kind`` and the fields; an empty cell is an absent field. Each record has an ``id`` and a
``kind``; its other keys are its fields. Field strings written as a
number and a unit (``"20 t/h"``, ``"1080 m³"``, ``"25 mg/m³"``, ``"85 %"``) become pint quantities in
the shared registry; ISO dates (``2023-10-31``) become :class:`datetime.date`; other values stay as
written. ``values`` holds indicator values the user supplies for targets that no monitoring file carries
(``water.drinking_sources.national_target: "95 %"``), parsed the same way.

Errors, all listed in one :class:`DataError` with the record's path (``$.records[3].closed_on``): a string
that looks like a quantity but whose unit is unknown (``"20 tonn/h"``), a date that does not exist
(``2023-04-41``), a negative quantity in a record (capacities, volumes and concentrations are never
negative; ``values`` may be, e.g. a change of ``"-3 %"``), a record without id or kind, a duplicate id.
A quoted bare number (``"0101"``) stays text. :attr:`Inventory.issues` is kept for compatibility and is
empty: nothing in an inventory is dropped or kept half-read.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from envplan_core._sources import source_label
from envplan_core.data._tabular import read_grid
from envplan_core.errors import DataError, UnitError
from envplan_core.findings import Issue
from envplan_core.safeload import InputFormatError, load_json, load_yaml
from envplan_core.units import parse_quantity

__all__ = ["Inventory", "Record", "parse_field", "read_inventory"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LEADING_NUMBER = re.compile(r"\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
# Unit-like text only (latin letters, µ, digits, / ^ · ³ ² % ( )): "20 t/hh" is a typo, "2 号锅炉" is a name.
_UNIT_LIKE = re.compile(r"^[A-Za-zµμ%][A-Za-z0-9µμ/^·*³²%()\s.]*$")
_TOP_KEYS = frozenset({"records", "values"})
# Digits then letters and digits mixed, no space, at least 10 characters: an identifier, not "20t/h".
_CODE_LIKE = re.compile(r"^(?=.{10,}$)\d+[A-Za-z]+\d+[A-Za-z0-9]*$")
_TABLE_SUFFIXES = frozenset({".csv", ".xlsx", ".xlsm"})


@attrs.frozen
class Record:
    """One inventory record. ``source`` is ``"file:$.records[3]"`` (``"file:$[3]"`` for a bare list)."""

    id: str
    kind: str
    fields: Mapping[str, Any] = attrs.field(factory=dict)
    source: str = ""

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)


@attrs.frozen
class Inventory:
    """Records by id (file order), user-supplied ``values``, and notes on fields kept as text."""

    records: tuple[Record, ...] = ()
    values: Mapping[str, Any] = attrs.field(factory=dict)
    issues: tuple[Issue, ...] = ()
    _by_id: Mapping[str, Record] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {r.id: r for r in self.records})

    def by_kind(self, kind: str) -> list[Record]:
        """Records of one kind (e.g. ``boiler``, ``parcel``, ``well``), in file order."""
        return [r for r in self.records if r.kind == kind]

    def get(self, record_id: str) -> Record | None:
        return self._by_id.get(record_id)

    def __getitem__(self, record_id: str) -> Record:
        return self._by_id[record_id]

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._by_id

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    @classmethod
    def merge(cls, parts: Iterable[Inventory]) -> Inventory:
        """One inventory from several files; a record id or value key given twice is a DataError."""
        records: dict[str, Record] = {}
        values: dict[str, Any] = {}
        value_from: dict[str, str] = {}
        issues: list[Issue] = []
        for part in parts:
            for record in part.records:
                if record.id in records:
                    raise DataError(
                        f"duplicate record id {record.id!r}: {records[record.id].source} and {record.source}",
                        file=record.source.rpartition(":")[0] or None,
                    )
                records[record.id] = record
            source = part.records[0].source.rpartition(":")[0] if part.records else "?"
            for key, value in part.values.items():
                if key in values:
                    raise DataError(
                        f"value {key!r} given twice ({value_from[key]} and {source})", file=source
                    )
                values[key], value_from[key] = value, source
            issues.extend(part.issues)
        return cls(records=tuple(records.values()), values=values, issues=tuple(issues))


def read_inventory(
    path_or_data: str | Path | Mapping[str, Any] | list[Any], *, name: str | None = None
) -> Inventory:
    """Read an inventory from a YAML/JSON file, or from already-parsed data (a list or a mapping).

    Raises :class:`DataError` naming the file and the record's path for a record without ``id`` or
    ``kind``, a duplicate ``id``, or a malformed file; every such problem is listed in ``.problems``.
    """
    if isinstance(path_or_data, (str, Path)) and Path(path_or_data).suffix.lower() in _TABLE_SUFFIXES:
        label = name or source_label(path_or_data)
        if Path(path_or_data).is_dir():
            raise DataError("is a directory, not a file", file=label)
        if not Path(path_or_data).is_file():
            raise DataError("no such file", file=label)
        return _build_table(read_grid(Path(path_or_data), name=label), label)
    if isinstance(path_or_data, (str, Path)):
        path = Path(path_or_data)
        label = name or source_label(path_or_data)
        text = read_text_file(path, label)
        try:
            data = load_json(text) if path.suffix.lower() == ".json" else load_yaml(text)
        except InputFormatError as exc:
            raise DataError(str(exc), file=label, row=exc.line) from None
    else:
        label = name or "<data>"
        data = path_or_data
    return _build(data, label)


def read_text_file(path: Path, label: str) -> str:
    """A text file as UTF-8 (with or without BOM) or GB18030; a DataError naming the file otherwise."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError("no such file", file=label) from None
    except IsADirectoryError:
        raise DataError("is a directory, not a file", file=label) from None
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", file=label) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8:
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            line = raw[: utf8.start].count(b"\n") + 1
            raise DataError(
                f"not UTF-8 or GB18030/GBK text (first undecodable byte at offset {utf8.start})",
                file=label,
                row=line,
            ) from None


def _build_table(grid: list[list[str]], label: str) -> Inventory:
    """Records from a register table: the header names the fields; row numbers as a spreadsheet shows."""
    header = [h.strip() for h in grid[0]]
    for required in ("id", "kind"):
        if required not in header:
            raise DataError(f"the header has no {required!r} column (found: {', '.join(header)})", file=label, row=1)
    blank = [i + 1 for i, h in enumerate(header) if not h]
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        raise DataError(f"column(s) {', '.join(map(repr, dupes))} appear twice in the header", file=label, row=1)
    rows: list[dict[str, Any]] = []
    for index, cells in enumerate(grid[1:]):
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise DataError(f"more cells than header columns (column {len(header) + 1} has no name)",
                            file=label, row=index + 2)
        if any(cells[i - 1].strip() for i in blank if i - 1 < len(cells)):
            raise DataError("a value under a column without a name", file=label, row=index + 2)
        rows.append({h: c.strip() for h, c in zip(header, cells, strict=False) if h and c.strip()})
    return _build(rows, label, row_label=lambda i: f"row {i + 2}")


def _build(data: Any, label: str, *, row_label: Callable[[int], str] | None = None) -> Inventory:
    if data is None:
        return Inventory()
    values_raw: Any = {}
    if isinstance(data, Mapping):
        extra = sorted(set(map(str, data)) - _TOP_KEYS)
        if extra:
            raise DataError(
                f"unknown top-level key(s) {', '.join(map(repr, extra))} (expected 'records' and "
                "optionally 'values')",
                file=label,
            )
        records_raw = data.get("records") or []
        values_raw = data.get("values") or {}
        prefix = "$.records"
    elif isinstance(data, list):
        records_raw, prefix = data, "$"
    else:
        raise DataError("an inventory is a list of records or a mapping with 'records'", file=label)
    if not isinstance(records_raw, list):
        raise DataError(f"{prefix} must be a list of records", file=label)
    if not isinstance(values_raw, Mapping):
        raise DataError("$.values must be a mapping of key: value", file=label)

    problems: list[str] = []
    issues: list[Issue] = []
    records: list[Record] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(records_raw):
        path = row_label(index) if row_label else f"{prefix}[{index}]"
        if not isinstance(raw, Mapping):
            problems.append(f"{path}: a record is a mapping with 'id' and 'kind', got {type(raw).__name__}")
            continue
        rid, kind = raw.get("id"), raw.get("kind")
        missing = [k for k, v in (("id", rid), ("kind", kind)) if v is None or str(v).strip() == ""]
        if missing:
            problems.append(f"{path}: record without {' or '.join(repr(m) for m in missing)}")
            continue
        rid, kind = str(rid).strip(), str(kind).strip()
        if rid in seen:
            problems.append(f"{path}: duplicate id {rid!r} (first at {seen[rid]})")
            continue
        seen[rid] = path
        fields = {
            str(key): _parse(value, issues, label, index + 1, str(key))
            for key, value in raw.items()
            if key not in ("id", "kind")
        }
        records.append(Record(id=rid, kind=kind, fields=fields, source=f"{label}:{path}"))
    values = {str(k): _parse(v, issues, label, 0, f"$.values.{k}") for k, v in values_raw.items()}
    # A bad date, an unknown unit or a negative quantity would silently change a finding: all are errors.
    for issue in issues:
        if issue.row == 0:
            where = issue.column
        elif row_label:
            where = f"{row_label(issue.row - 1)}, column {issue.column!r}"
        else:
            where = f"{prefix}[{issue.row - 1}].{issue.column}"
        problems.append(f"{where}: {issue.reason}")
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise DataError(
            f"{len(problems)} problem{'s' if len(problems) > 1 else ''} in the inventory:\n  {shown}{more}",
            file=label,
            problems=tuple(problems),
        )
    return Inventory(records=tuple(records), values=values, issues=())


def parse_field(value: Any) -> Any:
    """A field value as envplan uses it: quantity strings -> pint quantities, ISO dates -> dates."""
    return _parse(value, [], "", 0, "")


def _parse(value: Any, issues: list[Issue], label: str, row: int, column: str) -> Any:
    """Parse leaves recursively (nested mappings and lists keep their shape)."""
    if isinstance(value, str):
        text = value.strip()
        if _DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                issues.append(Issue(label, row, column, f"{text!r} is not a valid date (YYYY-MM-DD)"))
                return value
        number = _LEADING_NUMBER.match(text)
        rest = text[number.end() :].strip() if number else ""
        # A number followed by a unit; a bare number in quotes ("0101", "2023") stays text, and so does a
        # code that merely starts with digits (a permit or credit code: 91140825MA0K8U3P4X).
        if rest and not rest[0].isdigit() and rest[0] not in ".,-:" and not _CODE_LIKE.match(text):
            try:
                quantity = parse_quantity(text)
            except UnitError:
                if _UNIT_LIKE.match(rest):
                    reason = f"{text!r} looks like a quantity but its unit is unknown"
                    issues.append(Issue(label, row, column, reason))
            else:
                # Facilities' capacities, volumes, widths and concentrations are never negative; only
                # user-supplied indicator values (row 0: ``values``) may be, e.g. a change of "-3 %".
                if row > 0 and float(quantity.magnitude) < 0:
                    issues.append(Issue(label, row, column, f"negative quantity {text!r}"))
                return quantity
        return value
    if isinstance(value, Mapping):
        return {str(k): _parse(v, issues, label, row, f"{column}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_parse(v, issues, label, row, f"{column}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        issues.append(Issue(label, row, column, f"{value!r} is not a number a record can hold (.nan/.inf)"))
        return value
    if isinstance(value, dt.datetime):
        return value
    return value

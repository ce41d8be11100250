"""Declarative plan cases: ``*.envplan.yaml`` files of inputs and the findings a plan must give for them.

A plan author writes cases beside the plan (``envplan_water/cases/sections.envplan.yaml``)::

    plugins: [envplan_water]          # optional: load only these plugins (and what they require)
    plans: [water-2023]               # optional: evaluate only these plans
    cases:
      - name: 杨赵桥 class IV on ammonia nitrogen is not met
        as_of: 2023-12-31
        observations:                 # inline rows (docs/inputs.md), or a file: examples/observations.csv
          - {site: 杨赵桥, parameter: 氨氮, time: 2023-05-10, value: 1.2, unit: mg/L}
        expect:
          water.yangzhaoqiao.class: {status: not_met, value: IV}
          water.xiqucun.class: insufficient_data

envplan's pytest plugin collects such files as tests (one test per case, a readable diff on failure),
``envplan check`` runs the cases shipped inside a plugin's package, and :func:`run_case` runs one from
Python. The format is described in ``docs/testing.md`` (§ Declarative cases) and by the JSON Schema
``envplan_core/schemas/case.schema.json``.

Inputs (``observations``, ``inventory``, ``progress``) are each one of:

* a path, relative to the case file (``../examples/observations.csv``), or a list of paths;
* ``{file: PATH, package: MODULE}``: a file shipped inside an installed package (package data);
* inline data: observation or progress rows as a list of mappings (the file's columns as keys); an
  inventory as the YAML shape of docs/inputs.md (``{records: [...], values: {...}}``) or a list of records.

An expectation is a status (``met``), or a mapping with ``status`` and optionally ``value``, ``limit``,
``unit``, ``subject`` and ``tolerance`` (absolute, for numbers), or a list of such mappings (one per
subject). Without ``subject`` every finding of that id must match. ``error: TEXT`` instead expects the
evaluation to fail with an error whose message contains TEXT (hostile inputs); ``unused: N`` expects
exactly N input rows to be reported as not used.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import yaml

from envplan_core.converters import safe_load_yaml
from envplan_core.errors import DataError, EnvplanError
from envplan_core.findings import Finding, Report, Status
from envplan_core.render.document import display_width

if TYPE_CHECKING:
    from envplan_core.engine import Engine

__all__ = [
    "CASE_SUFFIX",
    "Case",
    "CaseFile",
    "CaseFileError",
    "CaseResult",
    "Expectation",
    "InputSpec",
    "Mismatch",
    "find_case_files",
    "load_case_file",
    "load_case_text",
    "run_case",
]

#: The suffix of a declarative case file: ``anything.envplan.yaml``.
CASE_SUFFIX = ".envplan.yaml"

_TOP_KEYS = frozenset({"plugins", "plans", "defaults", "cases", "description"})
_CASE_KEYS = frozenset(
    {"name", "description", "as_of", "plans", "observations", "inventory", "progress", "expect", "unused", "error"}
)
_DEFAULT_KEYS = frozenset({"as_of", "plans", "observations", "inventory", "progress"})
_EXPECT_KEYS = frozenset({"status", "value", "limit", "unit", "subject", "tolerance"})
_INPUTS = ("observations", "inventory", "progress")
_MISSING = object()


class CaseFileError(ValueError, EnvplanError):
    """A case file that does not follow the format; the message names the file, line, case and key."""


# -- the model -------------------------------------------------------------------------------------------


@attrs.frozen
class InputSpec:
    """One input of a case: files (absolute paths) or inline data (rows or an inventory mapping)."""

    kind: str  # observations, inventory or progress
    files: tuple[Path, ...] = ()
    inline: Any = None

    def describe(self) -> str:
        if self.files:
            return ", ".join(str(f) for f in self.files)
        n = len(self.inline.get("records", ())) if isinstance(self.inline, Mapping) else len(self.inline or ())
        return f"inline ({n} {'records' if self.kind == 'inventory' else 'rows'})"


@attrs.frozen
class Expectation:
    """What one finding (or every finding of an id) must say. ``value``/``limit`` are checked when given."""

    id: str
    status: Status
    subject: str | None = None
    value: Any = _MISSING
    limit: Any = _MISSING
    unit: str | None = None
    tolerance: float | None = None

    def fields(self) -> dict[str, Any]:
        """The checked fields and their expected values."""
        out: dict[str, Any] = {"status": self.status.value}
        if self.value is not _MISSING:
            out["value"] = self.value
        if self.limit is not _MISSING:
            out["limit"] = self.limit
        if self.unit is not None:
            out["unit"] = self.unit
        return out


@attrs.frozen
class Case:
    """One case: inputs, the evaluation day and the expected findings."""

    name: str
    as_of: dt.date
    expect: tuple[Expectation, ...] = ()
    plans: tuple[str, ...] = ()
    observations: InputSpec | None = None
    inventory: InputSpec | None = None
    progress: InputSpec | None = None
    unused: int | None = None
    error: str | None = None
    description: str = ""
    source: str = "<string>"
    line: int = 0
    plugins: tuple[str, ...] = ()

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


@attrs.frozen
class CaseFile:
    """A parsed ``*.envplan.yaml`` file."""

    path: str
    cases: tuple[Case, ...]
    plugins: tuple[str, ...] = ()
    plans: tuple[str, ...] = ()
    description: str = ""


@attrs.frozen
class Mismatch:
    """One difference between an expectation and the report."""

    id: str
    subject: str
    field: str
    expected: Any
    actual: Any


@attrs.frozen
class CaseResult:
    """The outcome of :func:`run_case`: passed, or the mismatches (or the error) that say why not."""

    case: Case
    mismatches: tuple[Mismatch, ...] = ()
    error: str | None = None
    report: Report | None = None

    @property
    def passed(self) -> bool:
        return not self.mismatches and self.error is None

    def summary(self) -> str:
        """One line: passed, or how many expectations differ."""
        if self.passed:
            return f"case {self.case.name!r}: passed"
        if self.error is not None:
            return f"case {self.case.name!r}: {self.error}"
        ids = sorted({m.id for m in self.mismatches})
        return f"case {self.case.name!r}: {len(self.mismatches)} difference(s) in {', '.join(ids)}"

    def render(self) -> str:
        """A readable diff: expected against actual, per finding id and field, then the actual findings."""
        case = self.case
        lines = [f"envplan case {case.name!r} ({case.location}), as of {case.as_of.isoformat()}"]
        if self.passed:
            lines.append("  passed")
            return "\n".join(lines)
        if self.error is not None:
            lines.append(f"  {self.error}")
            return "\n".join(lines)
        header = ("finding", "subject", "field", "expected", "actual")
        rows = [
            (m.id, m.subject, m.field, _show(m.expected), _show(m.actual)) for m in self.mismatches
        ]
        widths = [max(display_width(str(r[i])) for r in [header, *rows]) for i in range(len(header) - 1)]

        def line(prefix: str, cells: Sequence[str]) -> str:
            padded = [c + " " * (w - display_width(c)) for c, w in zip(cells[:-1], widths, strict=True)]
            return f"{prefix} " + "  ".join([*padded, cells[-1]]).rstrip()

        lines.append(line(" ", header))
        lines.extend(line("✗", row) for row in rows)
        if self.report is not None:
            ids = list(dict.fromkeys(m.id for m in self.mismatches))
            actual = [f for f in self.report.sorted() if f.id in ids]
            if actual:
                lines.append("  the report's findings of these ids:")
                for f in actual:
                    value = "" if f.value is None else f" value {_show(f.value)}"
                    limit = "" if f.limit is None else f" limit {_show(f.limit)}"
                    unit = f" {f.unit}" if f.unit else ""
                    lines.append(
                        f"    {f.id} [{f.subject}] {f.status.value}{value}{limit}{unit} — {f.message_en}"
                    )
        return "\n".join(lines)


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# -- loading ---------------------------------------------------------------------------------------------


def find_case_files(root: str | Path) -> list[Path]:
    """Every ``*.envplan.yaml`` under ``root`` (a folder) or ``root`` itself, sorted."""
    base = Path(root)
    if base.is_file():
        return [base] if base.name.endswith(CASE_SUFFIX) else []
    if not base.is_dir():
        return []
    # Hidden folders and __pycache__ below ``root`` are skipped; ``root``'s own ancestors do not count (a
    # plugin installed in ``.venv/lib/…/site-packages`` still has its cases).
    return sorted(
        p
        for p in base.rglob(f"*{CASE_SUFFIX}")
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(base).parts)
    )


def load_case_file(path: str | Path) -> CaseFile:
    """Read and check a case file; :class:`CaseFileError` names the file, line, case and key."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(f"{p}: cannot read the case file: {exc}") from None
    return load_case_text(text, source=str(p), base=p.parent)


def load_case_text(text: str, *, source: str = "<string>", base: str | Path | None = None) -> CaseFile:
    """Read cases from YAML text. Relative input paths resolve against ``base`` (default: the cwd)."""
    try:
        data = safe_load_yaml(text)
    except (yaml.YAMLError, ValueError) as exc:
        raise CaseFileError(f"{source}: not valid YAML: {exc}") from None
    lines = _case_lines(text)
    folder = Path(base) if base is not None else Path.cwd()
    if not isinstance(data, Mapping):
        raise CaseFileError(f"{source}: a case file is a mapping with a 'cases' list at the top level")
    unknown = sorted(set(map(str, data)) - _TOP_KEYS)
    if unknown:
        raise CaseFileError(
            f"{source}: unknown key(s) {', '.join(map(repr, unknown))} (known: {', '.join(sorted(_TOP_KEYS))})"
        )
    plugins = _names(data.get("plugins"), f"{source}: 'plugins'")
    plans = _names(data.get("plans"), f"{source}: 'plans'")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, Mapping) or set(map(str, defaults)) - _DEFAULT_KEYS:
        raise CaseFileError(
            f"{source}: 'defaults' is a mapping of {', '.join(sorted(_DEFAULT_KEYS))}"
        )
    raw_cases = data.get("cases")
    if not isinstance(raw_cases, list) or not raw_cases:
        raise CaseFileError(f"{source}: 'cases' must be a non-empty list of cases")
    cases: list[Case] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_cases):
        line = lines[index] if index < len(lines) else 0
        where = f"{source}:{line}" if line else f"{source}: case {index + 1}"
        if not isinstance(raw, Mapping):
            raise CaseFileError(f"{where}: a case is a mapping (name, as_of, inputs, expect)")
        merged = {**defaults, **raw}
        case = _case(merged, where=where, source=source, line=line, folder=folder, plans=plans, plugins=plugins)
        if case.name in seen:
            raise CaseFileError(f"{where}: case name {case.name!r} already used at line {seen[case.name]}")
        seen[case.name] = line
        cases.append(case)
    return CaseFile(
        path=source,
        cases=tuple(cases),
        plugins=plugins,
        plans=plans,
        description=str(data.get("description") or ""),
    )


def _case_lines(text: str) -> list[int]:
    """1-based line of each item of the top-level ``cases`` list (empty when the text does not compose)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "cases" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _names(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise CaseFileError(f"{where} is a name or a list of names")


def _case(
    raw: Mapping[str, Any],
    *,
    where: str,
    source: str,
    line: int,
    folder: Path,
    plans: tuple[str, ...],
    plugins: tuple[str, ...],
) -> Case:
    unknown = sorted(set(map(str, raw)) - _CASE_KEYS)
    if unknown:
        raise CaseFileError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))} (known: {', '.join(sorted(_CASE_KEYS))})"
        )
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CaseFileError(f"{where}: every case needs a 'name'")
    where = f"{where}: case {name!r}"
    as_of = _date(raw.get("as_of"), f"{where}: 'as_of'")
    error = raw.get("error")
    if error is not None and not isinstance(error, str):
        raise CaseFileError(f"{where}: 'error' is the text the error message must contain")
    expect = _expectations(raw.get("expect"), where)
    if not expect and error is None:
        raise CaseFileError(f"{where}: give 'expect' (finding id: status …) or 'error'")
    unused = raw.get("unused")
    if unused is not None and (not isinstance(unused, int) or isinstance(unused, bool) or unused < 0):
        raise CaseFileError(f"{where}: 'unused' is a count of input rows (0 or more)")
    inputs = {kind: _input(kind, raw.get(kind), folder, f"{where}: {kind!r}") for kind in _INPUTS}
    return Case(
        name=name.strip(),
        as_of=as_of,
        expect=expect,
        plans=_names(raw.get("plans"), f"{where}: 'plans'") or plans,
        unused=unused,
        error=error,
        description=str(raw.get("description") or ""),
        source=source,
        line=line,
        plugins=plugins,
        **inputs,
    )


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CaseFileError(f"{where} must be an ISO date such as 2023-12-31 (got {value!r})")


def _status(value: Any, where: str) -> Status:
    try:
        return Status(str(value).strip())
    except ValueError:
        known = ", ".join(s.value for s in Status)
        raise CaseFileError(f"{where}: unknown status {value!r} (one of {known})") from None


def _expectations(raw: Any, where: str) -> tuple[Expectation, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping) or not raw:
        raise CaseFileError(f"{where}: 'expect' maps finding ids to a status, a mapping or a list of mappings")
    out: list[Expectation] = []
    for fid, spec in raw.items():
        at = f"{where}: expect {fid!r}"
        items = spec if isinstance(spec, list) else [spec]
        if not items:
            raise CaseFileError(f"{at}: an empty list expects nothing")
        for item in items:
            out.append(_expectation(str(fid), item, at))
    return tuple(out)


def _expectation(fid: str, spec: Any, where: str) -> Expectation:
    if isinstance(spec, str):
        return Expectation(id=fid, status=_status(spec, where))
    if not isinstance(spec, Mapping):
        raise CaseFileError(f"{where}: a status or a mapping with 'status' (and value, limit, unit, subject)")
    unknown = sorted(set(map(str, spec)) - _EXPECT_KEYS)
    if unknown:
        raise CaseFileError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))} (known: {', '.join(sorted(_EXPECT_KEYS))})"
        )
    if "status" not in spec:
        raise CaseFileError(f"{where}: 'status' is required")
    tolerance = spec.get("tolerance")
    if tolerance is not None and (isinstance(tolerance, bool) or not isinstance(tolerance, (int, float))):
        raise CaseFileError(f"{where}: 'tolerance' is a number (absolute)")
    subject = spec.get("subject")
    unit = spec.get("unit")
    return Expectation(
        id=fid,
        status=_status(spec["status"], where),
        subject=None if subject is None else str(subject),
        value=spec.get("value", _MISSING),
        limit=spec.get("limit", _MISSING),
        unit=None if unit is None else str(unit),
        tolerance=None if tolerance is None else float(tolerance),
    )


def _input(kind: str, raw: Any, folder: Path, where: str) -> InputSpec | None:
    if raw is None:
        return None
    if isinstance(raw, (str, Mapping)) and _is_file_ref(raw):
        return InputSpec(kind=kind, files=(_file(raw, folder, where),))
    if isinstance(raw, list) and raw and all(_is_file_ref(r) for r in raw):
        return InputSpec(kind=kind, files=tuple(_file(r, folder, where) for r in raw))
    if kind == "inventory":
        if isinstance(raw, Mapping):
            return InputSpec(kind=kind, inline=dict(raw))
        if isinstance(raw, list) and all(isinstance(r, Mapping) for r in raw):
            return InputSpec(kind=kind, inline={"records": [dict(r) for r in raw]})
        raise CaseFileError(f"{where}: a file, a list of files, {{records: […], values: {{…}}}} or a list of records")
    if isinstance(raw, list) and all(isinstance(r, Mapping) for r in raw):
        return InputSpec(kind=kind, inline=[dict(r) for r in raw])
    raise CaseFileError(f"{where}: a file, a list of files, or a list of rows (mappings of column: value)")


def _is_file_ref(raw: Any) -> bool:
    return isinstance(raw, str) or (isinstance(raw, Mapping) and "file" in raw and set(raw) <= {"file", "package"})


def _file(raw: Any, folder: Path, where: str) -> Path:
    if isinstance(raw, str):
        return (folder / raw).resolve()
    file, package = raw.get("file"), raw.get("package")
    if not isinstance(file, str) or not file:
        raise CaseFileError(f"{where}: 'file' is a path")
    if package is None:
        return (folder / file).resolve()
    if not isinstance(package, str):
        raise CaseFileError(f"{where}: 'package' is an importable package name")
    try:
        return Path(str(resources.files(package).joinpath(*Path(file).parts)))
    except ModuleNotFoundError:
        raise CaseFileError(f"{where}: package {package!r} is not installed") from None


# -- running ---------------------------------------------------------------------------------------------


def _frame(rows: list[dict[str, Any]]) -> Any:
    import pandas as pd

    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(map(str, row)))
    return pd.DataFrame(
        [[_cell(row.get(c)) for c in columns] for row in rows], columns=list(columns), dtype=object
    )


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value if isinstance(value, (int, float, str)) else str(value)


def _read(spec: InputSpec | None, case: Case, engine: Engine) -> Any:
    """The engine's input for ``spec``: file paths as they are, inline data read with a name that
    points back at the case (``cases.envplan.yaml:12 observations``)."""
    if spec is None:
        return None
    if spec.files:
        missing = [f for f in spec.files if not f.is_file()]
        if missing:
            raise DataError("no such file", file=str(missing[0]))
        return [str(f) for f in spec.files] if len(spec.files) > 1 else str(spec.files[0])
    label = f"{case.location} ({spec.kind})"
    if spec.kind == "observations":
        from envplan_core.data.observations import read_observations

        return read_observations(_frame(spec.inline), parameters=engine.catalog.parameters, name=label)
    if spec.kind == "progress":
        from envplan_core.data.progress import read_progress

        return read_progress(_frame(spec.inline), name=label)
    from envplan_core.data.inventory import read_inventory

    return read_inventory(spec.inline, name=label)


def evaluate_case(case: Case, engine: Engine) -> Report:
    """Evaluate ``case``'s inputs with ``engine`` (the report, not yet compared)."""
    return engine.evaluate(
        observations=_read(case.observations, case, engine),
        inventory=_read(case.inventory, case, engine),
        progress=_read(case.progress, case, engine),
        as_of=case.as_of,
        plans=case.plans or None,
    )


def run_case(case: Case, engine: Engine) -> CaseResult:
    """Evaluate ``case`` with ``engine`` and compare the report with what the case expects.

    An :class:`~envplan_core.errors.EnvplanError` (bad input, a plan the engine does not have) is the
    case's result — expected when the case says ``error:`` — anything else propagates (a bug).
    """
    try:
        report = evaluate_case(case, engine)
    except EnvplanError as exc:
        message = f"{type(exc).__name__}: {exc}"
        if case.error is not None and case.error in str(exc):
            return CaseResult(case=case)
        if case.error is not None:
            return CaseResult(case=case, error=f"expected an error containing {case.error!r}, got {message}")
        return CaseResult(case=case, error=f"the evaluation failed: {message}")
    if case.error is not None:
        return CaseResult(
            case=case, error=f"expected an error containing {case.error!r}; the evaluation succeeded", report=report
        )
    mismatches = compare(case, report)
    return CaseResult(case=case, mismatches=tuple(mismatches), report=report)


def compare(case: Case, report: Report) -> list[Mismatch]:
    """Every difference between ``case``'s expectations and ``report``."""
    by_id: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_id.setdefault(f.id, []).append(f)
    out: list[Mismatch] = []
    for exp in case.expect:
        found = by_id.get(exp.id, [])
        subject = exp.subject or "*"
        if exp.subject is not None:
            found = [f for f in found if f.subject == exp.subject]
        if not found:
            subjects = sorted({f.subject for f in by_id.get(exp.id, [])})
            actual = f"no finding (subjects: {', '.join(subjects)})" if subjects else "no finding with this id"
            out.append(Mismatch(exp.id, subject, "finding", "present", actual))
            continue
        for f in found:
            out.extend(_differences(exp, f))
    if case.unused is not None and len(report.unused) != case.unused:
        first = f" (first: {report.unused[0]})" if report.unused else ""
        out.append(Mismatch("(inputs)", "*", "unused rows", case.unused, f"{len(report.unused)}{first}"))
    return out


def _differences(exp: Expectation, f: Finding) -> Iterable[Mismatch]:
    if f.status is not exp.status:
        yield Mismatch(exp.id, f.subject, "status", exp.status.value, f.status.value)
    if exp.value is not _MISSING and not _same(exp.value, f.value, exp.tolerance):
        yield Mismatch(exp.id, f.subject, "value", exp.value, f.value)
    if exp.limit is not _MISSING and not _same(exp.limit, f.limit, exp.tolerance):
        yield Mismatch(exp.id, f.subject, "limit", exp.limit, f.limit)
    if exp.unit is not None and exp.unit != f.unit:
        yield Mismatch(exp.id, f.subject, "unit", exp.unit, f.unit)


def _same(expected: Any, actual: Any, tolerance: float | None) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected == actual or str(expected).lower() == str(actual).lower()
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        if tolerance is not None:
            return abs(float(actual) - float(expected)) <= tolerance
        return math.isclose(float(actual), float(expected), rel_tol=1e-9, abs_tol=1e-9)
    if expected is None or actual is None:
        return expected is None and actual is None
    norm_e = expected.isoformat() if isinstance(expected, dt.date) else str(expected)
    norm_a = actual.isoformat() if isinstance(actual, dt.date) else str(actual)
    return norm_e.strip() == norm_a.strip()

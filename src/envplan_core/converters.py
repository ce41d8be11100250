"""One cattrs converter for plan files, inventories and reports.

``make_converter()`` builds a converter that forbids unknown keys (a typo in a plan file is an error),
parses ISO dates, quantities (``"43 µg/m³"``) and enums, and serialises back to plain JSON-able data.
Errors are rendered with paths by :func:`cattrs.transform_error` (``… @ $.tasks[12].deadlines[0].date``).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import enum
import functools
import sys
from collections.abc import Callable, Iterator, Mapping, MutableSequence, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, get_args, get_origin

import yaml

from envplan_core.errors import PlanError, UnitError
from envplan_core.model import (
    Citation,
    Comparator,
    DeadlineKind,
    Plan,
    QuantityText,
    TargetKind,
    Threshold,
)
from envplan_core.safeload import InputFormatError, load_yaml
from envplan_core.units import format_unit, parse_quantity

if TYPE_CHECKING:  # cattrs is imported on first use: envplan --help loads plugins, never a plan
    import cattrs

    from envplan_core.units import Quantity

__all__ = [
    "dump_plan",
    "load_plan",
    "load_plan_text",
    "make_converter",
    "quantities_deferred",
    "structure",
    "unstructure",
]

T = TypeVar("T")


def _structure_date(value: Any, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}") from exc
    raise TypeError(f"expected a date, got {type(value).__name__}: {value!r}")


def _opt_date(value: Any) -> dt.date | None:
    return None if value is None else _structure_date(value, dt.date)


def _structure_time(value: Any, _: type) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        # YAML 1.1 reads an unquoted 10:00 as sexagesimal 600 (minutes); take it back.
        return dt.time(value // 60, value % 60)
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"not a time (HH:MM): {value!r}") from exc
    raise TypeError(f"expected a time, got {type(value).__name__}: {value!r}")


def _strict_bool(value: Any, _: type) -> bool:
    # cattrs' default is bool(value): "false" would be True.
    if isinstance(value, bool):
        return value
    raise TypeError(f"expected true or false, got {value!r}")


def _strict_int(value: Any, type_: type) -> int:
    # cattrs' default is int(value): 5.7 would be 5, "5" would pass, True would be 1.
    if type_ is not int:  # a subclass registered by singledispatch on int (an IntEnum)
        return type_(value)  # type: ignore[no-any-return]
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TypeError(f"expected a whole number, got {value!r}")


def _strict_float(value: Any, _: type) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise TypeError(f"expected a number, got {value!r}")


def _strict_str(value: Any, type_: type) -> str:
    # cattrs' default is str(value): a list would become "['a']". A plain number is fine as text
    # (``clause: 3``).
    if type_ is not str:  # str-valued enums (Comparator, DeadlineKind …) dispatch here too
        return type_(value)  # type: ignore[no-any-return]
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected text, got {value!r}")


def _sequence_guard(type_: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """Tuples and lists from YAML lists only: cattrs would turn the text "化工" into ("化", "工")."""
    from cattrs.cols import homogenous_tuple_structure_factory, list_structure_factory

    origin = get_origin(type_)
    args = get_args(type_)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        base = homogenous_tuple_structure_factory(type_, conv)
    else:
        base = list_structure_factory(type_, conv)

    def structure(value: Any, t: Any) -> Any:
        if isinstance(value, (str, bytes, Mapping)):
            raise TypeError(f"expected a list, got {value!r}")
        return base(value, t)

    return structure


def _is_guarded_sequence(type_: Any) -> bool:
    origin = get_origin(type_)
    args = get_args(type_)
    if origin is tuple:
        return len(args) == 2 and args[1] is Ellipsis
    return origin in (list, Sequence, MutableSequence) or type_ in (list,)


_DEFERRED: contextvars.ContextVar[bool] = contextvars.ContextVar("envplan_quantities_deferred", default=False)


@contextlib.contextmanager
def quantities_deferred() -> Iterator[None]:
    """Within this block, plan files keep threshold quantities as written (:class:`QuantityText`).

    For reading plans only to list them: pint's registry is then not built. A deferred quantity is read
    on first access; :func:`envplan_core.catalog.build_catalog` does not defer, so units are checked, with
    the plan file's path in the error, before anything is evaluated.
    """
    token = _DEFERRED.set(True)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def _structure_threshold_value(value: Any, comparator: Comparator) -> Quantity | str | float | QuantityText:
    if comparator is Comparator.CLASS_LE:
        return str(value)
    if isinstance(value, bool):
        raise TypeError(f"a threshold value cannot be a boolean: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and _DEFERRED.get():
        return QuantityText(value)
    if isinstance(value, str):
        try:
            return parse_quantity(value)
        except UnitError as exc:
            raise ValueError(str(exc)) from exc
    raise TypeError(f"expected a number, a class or a quantity string, got {value!r}")


def _unstructure_quantity(q: Quantity) -> str:
    unit = format_unit(q.units)
    number = repr(float(q.magnitude))  # repr: the shortest text that round-trips exactly
    number = number.removesuffix(".0")
    return f"{number} {unit}".strip()


def _is_quantity_type(type_: Any) -> bool:
    # By pint's class once pint is loaded: registering ``units.Quantity`` itself would import pint (and
    # numpy) for every converter, even one that only lists plans. A quantity exists only if pint is loaded.
    pint = sys.modules.get("pint")
    return pint is not None and isinstance(type_, type) and issubclass(type_, pint.Quantity)


@functools.cache
def make_converter() -> cattrs.Converter:
    """The converter for every envplan model (cached: build once per process)."""
    import cattrs

    conv = cattrs.Converter(forbid_extra_keys=True, prefer_attrib_converters=True)
    conv.register_structure_hook(bool, _strict_bool)
    conv.register_structure_hook(int, _strict_int)
    conv.register_structure_hook(float, _strict_float)
    conv.register_structure_hook(str, _strict_str)
    conv.register_structure_hook_factory(_is_guarded_sequence, _sequence_guard)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_structure_hook(dt.time, _structure_time)
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    conv.register_unstructure_hook(dt.time, lambda t: t.strftime("%H:%M"))
    conv.register_unstructure_hook_func(_is_quantity_type, _unstructure_quantity)
    # str-valued enums would otherwise pass through as ``str`` subclasses that YAML cannot represent.
    for enum_type in (Comparator, TargetKind, DeadlineKind, *_EXTRA_ENUMS):
        conv.register_unstructure_hook(enum_type, _enum_value)

    fields = {a.alias for a in Threshold.__attrs_attrs__}

    def structure_threshold(data: Any, _: type) -> Threshold:
        if not isinstance(data, Mapping):
            raise TypeError(f"a threshold is a mapping, got {data!r}")
        extra = set(data) - fields
        if extra:
            raise cattrs.ForbiddenExtraKeysError("", Threshold, extra)
        if "comparator" not in data or "value" not in data:
            raise ValueError("a threshold needs 'comparator' and 'value'")
        comparator = Comparator(data["comparator"])
        value = _structure_threshold_value(data["value"], comparator)
        return Threshold(
            comparator=comparator,
            value=value,
            effective_from=_opt_date(data.get("effective_from")),
            effective_until=_opt_date(data.get("effective_until")),
            basis=str(data.get("basis", "")),
            source=str(data.get("source", "")),
        )

    def unstructure_threshold(t: Threshold) -> dict[str, Any]:
        out: dict[str, Any] = {"comparator": t.comparator.value}
        value = t.value
        out["value"] = _unstructure_quantity(value) if _is_quantity_type(type(value)) else value
        if t.effective_from:
            out["effective_from"] = t.effective_from.isoformat()
        if t.effective_until:
            out["effective_until"] = t.effective_until.isoformat()
        if t.basis:
            out["basis"] = t.basis
        if t.source:
            out["source"] = t.source
        return out

    conv.register_structure_hook(Threshold, structure_threshold)
    conv.register_unstructure_hook(Threshold, unstructure_threshold)
    conv.register_structure_hook_func(
        lambda t: t == Mapping[str, Any], lambda d, _: dict(d) if isinstance(d, Mapping) else _bad(d)
    )
    return conv


def _enum_value(e: enum.Enum) -> Any:
    return e.value


_EXTRA_ENUMS: list[type[enum.Enum]] = []


def _bad(data: Any) -> Any:
    raise TypeError(f"expected a mapping, got {data!r}")


def _format_exception(exc: BaseException, type_: Any) -> str:
    # Our own messages (bad date, unknown unit, bad enum) say more than cattrs' generic text.
    if type(exc) in (ValueError, TypeError, UnitError) and str(exc):
        return f"invalid value ({exc})"
    import cattrs.v

    return cattrs.v.format_exception(exc, type_)


def structure(data: Any, cls: type[T], *, source: str = "") -> T:
    """Structure ``data`` into ``cls``; raise :class:`PlanError` listing every problem with its path."""
    import cattrs

    try:
        return make_converter().structure(data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        problems = (
            tuple(cattrs.transform_error(exc, path="$", format_exception=_format_exception))
            if isinstance(exc, cattrs.BaseValidationError)
            else (str(exc),)
        )
        where = f"{source}: " if source else ""
        shown = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise PlanError(
            f"{where}invalid {cls.__name__}:\n  {shown}{more}", source=source or None, problems=problems
        ) from None


def unstructure(obj: Any) -> Any:
    return make_converter().unstructure(obj)


def _fill_plan_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Citations and items inherit the plan id and citation name, so plan files need not repeat them."""
    plan_id = data.get("id", "")
    name = data.get("citation_name") or data.get("title_zh", "")
    for section in ("targets", "rules", "tasks"):
        for item in data.get(section) or ():
            if not isinstance(item, dict):
                continue
            item.setdefault("plan", plan_id)
            cite = item.get("citation")
            if isinstance(cite, dict):
                cite.setdefault("plan", name)
    return data


def safe_load_yaml(text: str) -> Any:
    """Parse YAML safely (:func:`envplan_core.safeload.load_yaml`: no tags, no code, no alias bombs,
    no duplicate keys), keeping dates and HH:MM as strings. Raises ``InputFormatError`` (a ValueError)."""
    return load_yaml(text)


def load_plan_text(text: str, *, source: str = "<string>") -> Plan:
    """Load a plan from YAML text (``yaml.safe_load``: no tags, no code)."""
    try:
        data = safe_load_yaml(text)
    except InputFormatError as exc:
        raise PlanError(f"{source}: {exc}", source=source) from None
    if not isinstance(data, dict):
        raise PlanError(f"{source}: a plan file is a mapping at the top level", source=source)
    return structure(_fill_plan_fields(data), Plan, source=source)


def load_plan(path: str | Path) -> Plan:
    """Load a plan YAML file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanError(f"{p}: not UTF-8 text (byte {exc.start})", source=str(p)) from None
    except OSError as exc:
        reason = "is a directory" if p.is_dir() else (exc.strerror or str(exc))
        raise PlanError(f"{p}: cannot read: {reason}", source=str(p)) from None
    return load_plan_text(text, source=str(p))


def dump_plan(plan: Plan) -> str:
    """Serialise a plan back to YAML (round-trips through :func:`load_plan_text`)."""
    return yaml.safe_dump(unstructure(plan), allow_unicode=True, sort_keys=False)


def citation_dict(c: Citation) -> dict[str, str]:
    return {"plan": c.plan, "part": c.part, "clause": c.clause, "text": c.text, "standard": c.standard}

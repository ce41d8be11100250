"""Monitored parameters (指标/项目): canonical id, names in both languages, aliases, canonical unit.

Each national-standard module declares the parameters it judges as a tuple ``PARAMETERS`` of
:class:`Parameter`; :func:`envplan_core.standards.default_parameters` gathers them into one
:class:`ParameterRegistry`.
Observation readers resolve a row's ``parameter`` through :meth:`ParameterRegistry.resolve` (any
alias, case- and width-insensitive) and convert its unit to ``Parameter.unit`` once per column group.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator

import attrs

__all__ = ["Parameter", "ParameterRegistry", "normalise_name", "presence_value"]


def normalise_name(name: str) -> str:
    """Fold width (ＰＭ２．５ → PM2.5), case and spacing so aliases match as people type them."""
    folded = unicodedata.normalize("NFKC", name).strip().casefold()
    for junk in (" ", "\u3000", "_", "-"):
        folded = folded.replace(junk, "")
    return folded.replace("₂", "2").replace("₃", "3").replace("₅", "5").replace("₁₀", "10")


#: How monitoring reports write a presence item (嗅和味, 肉眼可见物): absent or present.
_ABSENT = frozenset(
    normalise_name(t)
    for t in ("无", "没有", "未检出", "未见", "none", "no", "absent", "not detected", "nd", "nil", "false")
)
_PRESENT = frozenset(normalise_name(t) for t in ("有", "检出", "可见", "present", "yes", "detected", "true"))


def presence_value(text: str) -> float | None:
    """A presence item's text as a number: 0.0 for 无 (absent: 无, 没有, 未检出, 未见, none, no, absent, ND,
    or any text starting with 无 or 未), 1.0 for 有 (present: 有, 检出, 可见, present, yes, detected, or any
    text starting with 有), a grade such as ``2级`` as 2.0; None for anything else (numbers included:
    the caller reads those as numbers)."""
    key = normalise_name(text)
    if not key:
        return None
    if key in _ABSENT or key.startswith(("无", "未")):
        return 0.0
    if key in _PRESENT or key.startswith("有"):
        return 1.0
    if key.endswith("级"):
        try:
            return float(key.removesuffix("级"))
        except ValueError:
            return None
    return None


def _tuple(value: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(value) if value else ()


@attrs.frozen
class Parameter:
    """One parameter. ``unit`` is canonical (values are held in it); ``lower_bound`` guards input.

    ``unit`` is written in the shared registry's syntax: ``"ug/m^3"``, ``"mg/L"``, ``"dimensionless"``.
    ``medium`` is ``air``, ``surface_water``, ``groundwater``, ``soil``, ``stack`` or ``other``.
    """

    id: str
    name_zh: str
    name_en: str
    unit: str
    medium: str
    aliases: tuple[str, ...] = attrs.field(converter=_tuple, factory=tuple)
    lower_bound: float | None = 0.0  # None: any real value (e.g. ORP in mV, temperature)
    upper_bound: float | None = None  # e.g. 14 for pH
    source: str = ""
    #: A presence item (嗅和味, 肉眼可见物 of GB/T 14848): readers accept 无/有 (see :func:`presence_value`)
    #: besides numbers (0 absent, above 0 present or an intensity grade).
    presence: bool = False
    #: Spellings that mean ``unit`` for this parameter only: 色度 (colour, a plain number) is written 度,
    #: PCU, Hazen or 铂钴色度单位 in reports; 度 means something else elsewhere, so it is no global unit.
    unit_spellings: tuple[str, ...] = attrs.field(converter=_tuple, factory=tuple)

    def spells_unit(self, text: str) -> bool:
        """Whether ``text`` is one of :attr:`unit_spellings` (width, case and spacing folded)."""
        key = normalise_name(text)
        return bool(key) and any(normalise_name(s) == key for s in self.unit_spellings)


@attrs.define
class ParameterRegistry:
    """Parameters by id with an alias index. Same id from two sources must agree on the unit."""

    _by_id: dict[str, Parameter] = attrs.field(factory=dict)
    _alias: dict[str, str] = attrs.field(factory=dict)

    def add(self, parameter: Parameter) -> None:
        existing = self._by_id.get(parameter.id)
        if existing is not None and existing.unit != parameter.unit:
            raise ValueError(
                f"parameter {parameter.id!r} declared twice with different units: "
                f"{existing.unit!r} ({existing.source}) and {parameter.unit!r} ({parameter.source})"
            )
        if existing is None:
            self._by_id[parameter.id] = parameter
        for name in (parameter.id, parameter.name_zh, parameter.name_en, *parameter.aliases):
            if name:
                self._alias.setdefault(normalise_name(name), parameter.id)

    def resolve(self, name: str) -> Parameter | None:
        """The parameter an id or alias names, or None."""
        pid = self._alias.get(normalise_name(name))
        return None if pid is None else self._by_id[pid]

    def __getitem__(self, pid: str) -> Parameter:
        return self._by_id[pid]

    def __contains__(self, pid: object) -> bool:
        return pid in self._by_id

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

"""Responsible units (责任单位) and groups, with aliases, and the county's default data.

Plans write a unit in several ways (运城市生态环境局新绛分局 = 市生态环境局新绛分局; 县园林绿化中心 =
县园林绿化服务中心). :class:`UnitRegistry` resolves any alias to its canonical id; groups (各镇, 沿河各镇,
相关镇, 其余各镇) expand to their members. Group membership is county data: the default ships in
``county/xinjiang.yaml`` and a user file with the same shape overrides it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from envplan_core.errors import PlanError
from envplan_core.model import ResponsibleUnit
from envplan_core.parameters import normalise_name

__all__ = ["UnitRegistry", "default_units", "load_units_file", "units_from_data"]


@attrs.define
class UnitRegistry:
    """Canonical units by id with an alias index."""

    _by_id: dict[str, ResponsibleUnit] = attrs.field(factory=dict)
    _alias: dict[str, str] = attrs.field(factory=dict)
    _source: dict[str, str] = attrs.field(factory=dict)

    def add(self, unit: ResponsibleUnit, *, source: str = "", override: bool = False) -> None:
        """Add a unit; an alias already naming another unit is an error (it would be ambiguous)."""
        if unit.id in self._by_id and not override:
            raise PlanError(
                f"responsible unit {unit.id!r} declared twice ({self._source[unit.id]} and {source})",
                source=source,
            )
        self._by_id[unit.id] = unit
        self._source[unit.id] = source
        for name in (unit.id, unit.name_zh, unit.name_en, *unit.aliases):
            key = normalise_name(name)
            if not key:
                continue
            owner = self._alias.get(key)
            if owner is not None and owner != unit.id and not override:
                raise PlanError(
                    f"alias {name!r} names both {owner!r} and {unit.id!r} ({source})", source=source
                )
            self._alias[key] = unit.id

    def resolve(self, name: str) -> ResponsibleUnit | None:
        uid = self._alias.get(normalise_name(name))
        return None if uid is None else self._by_id[uid]

    def canonical_zh(self, name: str) -> str:
        """The canonical Chinese name of an id or alias (the name itself when unknown)."""
        unit = self.resolve(name)
        return unit.name_zh if unit else name

    def expand(self, name: str, _seen: frozenset[str] = frozenset()) -> tuple[ResponsibleUnit, ...]:
        """A unit itself, or a group's members (recursively; a membership cycle is cut, and reported by
        :meth:`cycles`)."""
        unit = self.resolve(name)
        if unit is None or unit.id in _seen:
            return ()
        if unit.kind != "group":
            return (unit,)
        out: list[ResponsibleUnit] = []
        for member in unit.members:
            out.extend(self.expand(member, _seen | {unit.id}))
        return tuple(out)

    def cycles(self) -> list[str]:
        """Groups that contain themselves through their members."""
        found: list[str] = []
        for unit in self._by_id.values():
            stack, seen = list(unit.members), set()
            while stack:
                member = self.resolve(stack.pop())
                if member is None or member.id in seen:
                    continue
                if member.id == unit.id:
                    found.append(unit.id)
                    break
                seen.add(member.id)
                stack.extend(member.members)
        return found

    def matches(self, query: str, names: Iterable[str]) -> bool:
        """True when ``query`` (a unit or alias) is among ``names`` or a member of a group there."""
        target = self.resolve(query)
        if target is None:
            return False
        for name in names:
            unit = self.resolve(name)
            if unit is None:
                continue
            if unit.id == target.id or any(m.id == target.id for m in self.expand(unit.id)):
                return True
        return False

    def source_of(self, uid: str) -> str:
        """The plugin or file that declared a unit."""
        return self._source.get(uid, "")

    def __iter__(self) -> Iterator[ResponsibleUnit]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __getitem__(self, uid: str) -> ResponsibleUnit:
        return self._by_id[uid]


def units_from_data(data: Any, *, source: str) -> list[ResponsibleUnit]:
    """Units from a parsed county file: ``{county: {...}, units: [{id, name_zh, name_en, ...}]}``."""
    from envplan_core.converters import structure

    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise PlanError(f"{source}: a units file has a top-level 'units' list", source=source)
    return [
        structure(item, ResponsibleUnit, source=f"{source} $.units[{i}]")
        for i, item in enumerate(data["units"])
    ]


def load_units_file(path: str | Path) -> list[ResponsibleUnit]:
    from envplan_core.safeload import InputFormatError, load_yaml

    p = Path(path)
    try:
        data = load_yaml(p.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise PlanError(f"units file {p}: not UTF-8 text (byte {exc.start})", source=str(p)) from None
    except OSError as exc:
        reason = "is a directory" if p.is_dir() else exc.strerror
        raise PlanError(f"cannot read units file {p}: {reason}", source=str(p)) from None
    except InputFormatError as exc:
        raise PlanError(f"units file {p}: {exc}", source=str(p)) from None
    return units_from_data(data, source=str(p))


def default_units() -> list[ResponsibleUnit]:
    """The county's units shipped with the core (``county/xinjiang.yaml``)."""
    from envplan_core.converters import safe_load_yaml

    text = (resources.files("envplan_core") / "county" / "xinjiang.yaml").read_text(encoding="utf-8")
    return units_from_data(safe_load_yaml(text), source="envplan_core/county/xinjiang.yaml")

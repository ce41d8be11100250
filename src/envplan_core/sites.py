"""Names of places: the county's own names and the alias index of plan sites.

One index serves every reader of site names (the engine matching observation rows to plan sites, the
air analysis recognising county-level series, the commands): :func:`site_alias_index`.
"""

from __future__ import annotations

from collections.abc import Iterable

from envplan_core.model import Plan
from envplan_core.parameters import normalise_name

__all__ = ["COUNTY_NAMES", "is_county_name", "site_alias_index"]

#: Names a row may use for the county-level series (全县).
COUNTY_NAMES = ("county", "新绛县", "全县", "xinjiang", "Xinjiang County", "县域")
_COUNTY_KEYS = frozenset(normalise_name(n) for n in COUNTY_NAMES)


def is_county_name(name: str) -> bool:
    """True when ``name`` is one of :data:`COUNTY_NAMES` (in any width or case)."""
    return normalise_name(name) in _COUNTY_KEYS


def site_alias_index(plans: Iterable[Plan]) -> dict[str, tuple[str, str]]:
    """normalised alias → (plan id, site id); county names map to (\"\", \"county\")."""
    index: dict[str, tuple[str, str]] = {normalise_name(n): ("", "county") for n in COUNTY_NAMES}
    for plan in plans:
        for site in plan.sites:
            for name in (site.id, site.name_zh, site.name_en, *site.aliases):
                if name:
                    index.setdefault(normalise_name(name), (plan.id, site.id))
    return index

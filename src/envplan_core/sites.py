"""Names of places: the county's own names and the alias index of plan sites.

One index serves every reader of site names (the engine matching observation rows to plan sites, the
``classify`` command looking up a site's water-body type, rules naming an enterprise by any alias):
:func:`site_alias_index`. Inventory records that name places (outfalls, wells …) answer to
:func:`record_names`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from envplan_core.model import Plan
from envplan_core.parameters import normalise_name

if TYPE_CHECKING:
    from envplan_core.data.inventory import Record

__all__ = ["COUNTY_NAMES", "is_county_name", "record_names", "site_alias_index"]

#: Names a row may use for the county-level series (全县).
COUNTY_NAMES = ("county", "新绛县", "全县", "xinjiang", "Xinjiang County", "县域")
_COUNTY_KEYS = frozenset(normalise_name(n) for n in COUNTY_NAMES)


def is_county_name(name: str) -> bool:
    """True when ``name`` is one of :data:`COUNTY_NAMES` (in any width or case)."""
    return normalise_name(name) in _COUNTY_KEYS


def site_alias_index(plans: Iterable[Plan], *, county: bool = True) -> dict[str, tuple[str, str]]:
    """normalised name → (plan id, site id) for every site's id, names and aliases, in plan order.

    With ``county`` (the default) the county names come first and map to ``("", "county")``. A name
    given twice keeps its first place (the county, else the earlier plan, else the earlier site).
    """
    index: dict[str, tuple[str, str]] = dict.fromkeys(_COUNTY_KEYS, ("", "county")) if county else {}
    for plan in plans:
        for site in plan.sites:
            for name in (site.id, site.name_zh, site.name_en, *site.aliases):
                if name:
                    index.setdefault(normalise_name(name), (plan.id, site.id))
    return index


_ALIAS_SEPARATORS = re.compile(r"[、；;,，]")


def record_names(record: Record) -> frozenset[str]:
    """The normalised names an inventory record answers to as a place (an outfall, a well …): its id,
    its ``name`` and its ``aliases`` (a list, or one text that a register cell separates with 、；;,，).
    Only texts and whole numbers count."""
    aliases = record.fields.get("aliases") or ()
    if isinstance(aliases, str):
        aliases = [a for a in _ALIAS_SEPARATORS.split(aliases) if a.strip()]
    names = (
        record.id,
        record.fields.get("name"),
        *(aliases if isinstance(aliases, (list, tuple)) else [aliases]),
    )
    return frozenset(
        normalise_name(str(name))
        for name in names
        if (isinstance(name, str) and name) or (isinstance(name, int) and not isinstance(name, bool))
    )

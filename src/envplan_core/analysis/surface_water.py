"""Surface-water classes of a monitoring file: what ``envplan classify surface-water`` prints, as data.

:func:`classify_surface_water` reads observations in the docs/inputs.md long format (any source
:func:`~envplan_core.data.observations.read_observations` accepts, or an
:class:`~envplan_core.data.observation_set.ObservationSet`), keeps the GB 3838-2002 parameters and
classifies every (site, calendar year or month) with :func:`envplan_core.standards.gb3838.classify_series`:
each indicator's period mean (non-detects at half the detection limit, 环办监测函〔2020〕82号 point 7),
each mean graded, the site taking the worst class of the 21 assessment indicators (环办〔2011〕22号).

The water-body type (river, or lake/reservoir: it chooses the total-phosphorus row) of a site comes from,
in order: ``water_body_types`` (a site name → type mapping, or one type for every site); the loaded
plans' sites, matched by id, name or alias; ``default_water_body_type`` (``river``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from envplan_core.parameters import ParameterRegistry, normalise_name
from envplan_core.sites import site_alias_index
from envplan_core.standards import gb3838
from envplan_core.units import format_unit

if TYPE_CHECKING:
    from envplan_core.model import Plan

__all__ = ["STANDARD", "classify_surface_water", "site_water_body_types"]

STANDARD = "GB 3838-2002 表1; 环办〔2011〕22号"


def site_water_body_types(
    sites: Sequence[str],
    *,
    plans: Sequence[Plan] = (),
    water_body_types: Mapping[str, str] | str | None = None,
    default: str = "river",
) -> dict[str, tuple[str, str | None, str]]:
    """For each site label: ``(water-body type, plan site id or None, where the type came from)``.

    ``where`` is ``"given"`` (``water_body_types``), ``"plan"`` (a loaded plan's site) or ``"default"``.
    """
    given: dict[str, str] = {}
    if isinstance(water_body_types, str):
        given = {normalise_name(s): water_body_types for s in sites}
    elif water_body_types:
        given = {normalise_name(k): v for k, v in water_body_types.items()}
    index = site_alias_index(plans, county=False)
    by_id = {(plan.id, site.id): site for plan in plans for site in plan.sites}
    out: dict[str, tuple[str, str | None, str]] = {}
    for label in sites:
        key = normalise_name(label)
        site = by_id[index[key]] if key in index else None
        site_id, plan_type = (site.id, site.water_body_type) if site is not None else (None, "")
        if key in given:
            out[label] = (given[key], site_id, "given")
        elif plan_type:
            out[label] = (plan_type, site_id, "plan")
        else:
            out[label] = (default, site_id, "default")
    return out


def classify_surface_water(
    source: Any,
    *,
    period: Literal["year", "month"] = "year",
    parameters: ParameterRegistry | None = None,
    water_body_types: Mapping[str, str] | str | None = None,
    plans: Sequence[Plan] = (),
    default_water_body_type: str = "river",
    ignore_extra_columns: bool = False,
) -> list[dict[str, Any]]:
    """The class of every site and period of a monitoring file (docs/cli.md JSON of ``classify``).

    :param source: a CSV/XLSX path, a DataFrame, a list of those, or an ``ObservationSet``.
    :param period: ``"year"`` (calendar years) or ``"month"``.
    :param parameters: resolves parameter spellings (default: every parameter of the core's standards).
    :param water_body_types: site name → ``"river"``/``"lake"``/``"reservoir"``, or one type for all.
    :param plans: loaded plans whose sites give a site's water-body type (by id, name or alias).
    :param default_water_body_type: for sites neither of the above names.
    :returns: one object per (site, period), sorted by site then period, with ``site``, ``period``,
        ``class`` (``I``…``V``, ``劣V``; None when none of the 21 indicators was measured), ``limiting``,
        ``per_parameter`` (class of each GB 3838 parameter's mean; ``""`` for items without classes),
        ``main_pollutants``, ``exceedance`` (multiples over class Ⅲ), ``status_zh``, ``status_en``,
        ``n_samples``, ``means`` and ``units``, ``nondetect``, ``missing_indicators``,
        ``water_body_type`` and ``site_id`` (the plan site, or None).
    :raises DataError: unreadable input, an unknown parameter or unit, a bad water-body type.
    """
    from envplan_core.data.observations import ObservationSet, read_observations
    from envplan_core.standards import default_parameters

    if period not in ("year", "month"):
        raise ValueError(f"period must be 'year' or 'month', not {period!r}")
    obs = (
        source
        if isinstance(source, ObservationSet)
        else read_observations(
            source if not isinstance(source, Path) else str(source),
            parameters=parameters or default_parameters(),
            ignore_extra_columns=ignore_extra_columns,
        )
    )
    if len(obs) == 0:
        return []
    in_gb3838 = np.asarray([p in gb3838.BY_ID for p in obs.parameters], dtype=bool)
    obs = obs.take(in_gb3838[obs.parameter])
    if len(obs) == 0:
        return []
    used_sites = [obs.sites[i] for i in np.unique(obs.site).tolist()]
    types = site_water_body_types(
        used_sites, plans=plans, water_body_types=water_body_types, default=default_water_body_type
    )
    spellings: dict[str, list[int]] = {}
    for code, label in enumerate(obs.sites):
        site_id = types[label][1] if label in types else None
        if site_id is not None:
            spellings.setdefault(site_id, []).append(code)
    obs.check_alias_duplicates(spellings.values())
    results = gb3838.classify_series(
        np.asarray(obs.sites, dtype=object)[obs.site],
        np.asarray(obs.parameters, dtype=object)[obs.parameter],
        obs.time,
        obs.value,  # a non-detect's value is its detection limit in the canonical unit: it counts at half
        water_body_types={label: t for label, (t, _, _) in types.items()},
        period=period,
        censored=obs.censored,
    )
    out: list[dict[str, Any]] = []
    for r in results:
        label = str(r.site)
        section = r.section
        _, site_id, _ = types[label]
        out.append(
            {
                "site": label,
                "site_id": site_id,
                "period": r.period,
                "class": section.class_name or None,
                "limiting": list(section.limiting),
                "per_parameter": dict(section.per_parameter),
                "main_pollutants": list(section.main_pollutants),
                "exceedance": {p: round(m, 4) for p, m in section.exceedance.items()},
                "status_zh": section.status_zh,
                "status_en": section.status_en,
                "n_samples": {p: r.n_samples[p] for p in section.means},
                "means": {p: float(f"{v:.6g}") for p, v in section.means.items()},  # 6 significant digits
                "units": {p: format_unit(gb3838.BY_ID[p].unit) for p in section.means},
                "nondetect": list(section.nondetect),
                "missing_indicators": [p for p in gb3838.ASSESSMENT_PARAMETERS if p not in section.means],
                "water_body_type": section.water_body_type,
            }
        )
    return out

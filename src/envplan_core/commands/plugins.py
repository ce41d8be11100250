"""``envplan plugins``: each registered plugin with its distribution, version, hooks, plans and needs.

Like ``pytest --version --version``: what is installed and active, so a user can tell which plugin to
disable (``-p no:NAME`` or ``ENVPLAN_DISABLE_PLUGINS=NAME``).
"""

from __future__ import annotations

import argparse
from importlib import metadata
from typing import Any

import attrs
import pluggy

from envplan_core.commands.base import Command, CommandContext, Handler, add_format_option
from envplan_core.render import Document, Section

__all__ = ["PLUGINS_COMMAND", "PluginInfo", "plugin_infos"]


@attrs.frozen
class PluginInfo:
    """One registered plugin as ``envplan plugins`` lists it."""

    name: str
    module: str
    distribution: str
    version: str
    hooks: tuple[str, ...]
    plans: tuple[str, ...]
    requires: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in attrs.asdict(self).items()}


def _distribution_of(name: str, module: str) -> tuple[str, str]:
    """The distribution that installed a plugin: its ``envplan`` entry point, else the distribution whose
    files or entry points hold the module's top-level package (editable installs have no file list)."""
    top = module.split(".", 1)[0]
    found: list[tuple[bool, str, str]] = []
    for dist in metadata.distributions():
        for ep in dist.entry_points:
            target = ep.value.split(":", 1)[0].strip()
            own = ep.group == "envplan" and (ep.name == name or target == module)
            if own or target.split(".", 1)[0] == top:
                found.append((not own, dist.metadata["Name"], dist.version))
    if found:
        _, dist_name, version = min(found)
        return dist_name, version
    for dist_name in metadata.packages_distributions().get(top, []):
        try:
            return dist_name, metadata.version(dist_name)
        except metadata.PackageNotFoundError:
            continue
    return "", ""


def plugin_infos(pm: pluggy.PluginManager, plans_by_plugin: dict[str, list[str]]) -> list[PluginInfo]:
    """Each registered plugin with its distribution, version, hooks, plans and requirements."""
    infos: list[PluginInfo] = []
    for name, plugin in pm.list_name_plugin():
        module = str(getattr(plugin, "__name__", type(plugin).__module__))
        dist, version = _distribution_of(name, module)
        hooks = tuple(sorted(c.name for c in pm.get_hookcallers(plugin) or ()))
        fn = getattr(plugin, "envplan_requires", None)
        requires = tuple(str(r) for r in (fn() or ())) if callable(fn) else ()
        infos.append(
            PluginInfo(
                name=name,
                module=module,
                distribution=dist,
                version=version,
                hooks=hooks,
                plans=tuple(plans_by_plugin.get(name, ())),
                requires=requires,
            )
        )
    return infos


def _setup(parser: argparse.ArgumentParser) -> Handler:
    """registered plugins: distribution, version, hooks, plans"""
    add_format_option(parser)

    def run(args: argparse.Namespace, ctx: CommandContext) -> int:
        engine = ctx.engine()
        plans: dict[str, list[str]] = {}
        for plan in engine.plans:
            plans.setdefault(plan.plugin, []).append(plan.id)
        pm = engine.plugin_manager
        infos = plugin_infos(pm, plans) if pm is not None else []
        records = [i.to_dict() for i in infos]
        document = Document(
            title="插件 Plugins",
            preface=["停用 Disable one: envplan -p no:NAME …, or ENVPLAN_DISABLE_PLUGINS=NAME"],
            sections=[
                Section(
                    title="已注册 Registered",
                    columns=("名称 Name", "分发 Distribution", "版本 Version", "计划 Plans", "需要 Requires", "钩子 Hooks"),
                    rows=[
                        (
                            i.name,
                            i.distribution or "—",
                            i.version or "—",
                            ", ".join(i.plans) or "—",
                            ", ".join(i.requires) or "—",
                            ", ".join(h.removeprefix("envplan_") for h in i.hooks),
                        )
                        for i in infos
                    ],
                )
            ],
        )
        ctx.emit(document, {"plugins": records})
        return 0

    return run


PLUGINS_COMMAND = Command("plugins", _setup)

"""``envplan check [PLUGIN …]``: the conformance of one or several plugins, checked together.

The named plugins (entry-point, module or short names; default every loaded plugin) are loaded on their
own — the core, them and what they require — and checked by :func:`envplan_core.conformance.check_plugins`:
plans validate, evaluators and their parameters resolve, requirements are declared, ids are unique,
citations are present, every task has a lead unit and a known deadline form, no data and the example
data evaluate without an error, and the declarative cases (``*.envplan.yaml``) in the plugins' packages
pass. Exit 0 when nothing failed, 1 when a check failed; JSON (``--format json``) is the
``check`` document of ``envplan_core/schemas/check.schema.json``.
"""

from __future__ import annotations

import argparse

import pluggy

from envplan_core.commands.base import (
    PROG,
    Command,
    CommandContext,
    Handler,
    UsageError,
    add_format_option,
    iso_date,
)
from envplan_core.render import Document, Section

__all__ = ["check_command"]

_LABEL = {"pass": "通过 pass", "fail": "失败 fail", "skip": "跳过 skip"}
_TAG = {"pass": "met", "fail": "not_met", "skip": "not_applicable"}


def check_command(plugin_manager: pluggy.PluginManager) -> Command:
    """The ``check`` command over the plugins registered in ``plugin_manager`` (the CLI's)."""

    def setup(parser: argparse.ArgumentParser) -> Handler:
        """conformance of plan plugins: plans, evaluators, citations, tasks, examples, declarative cases"""
        parser.add_argument(
            "plugins",
            nargs="*",
            metavar="PLUGIN",
            help="plugins to check together (entry-point, module or short name); default every loaded plugin",
        )
        parser.add_argument(
            "--as-of",
            type=iso_date,
            metavar="DATE",
            default=None,
            help="evaluation day of the no-data and example-data checks (default: end of each plugin's plan year)",
        )
        parser.add_argument("--no-cases", action="store_true", help="do not run the declarative cases")
        parser.add_argument("--no-examples", action="store_true", help="do not evaluate the example data")
        parser.add_argument(
            "--not-isolated",
            action="store_true",
            help="check within every loaded plugin instead of loading the named ones on their own",
        )
        add_format_option(parser)

        def run(args: argparse.Namespace, ctx: CommandContext) -> int:
            # Imported here: the checks load the engine (numpy, the readers); listing commands does not.
            from envplan_core.conformance import check_plugins, plugin_names, resolve_plugin

            unknown = [n for n in args.plugins if resolve_plugin(plugin_manager, n) is None]
            if unknown:
                loaded = ", ".join(plugin_names(plugin_manager)) or "none"
                raise UsageError(
                    f"no loaded plugin {', '.join(map(repr, unknown))} (loaded: {loaded}; "
                    f"--plugins MODULE loads one that is not installed)",
                    prog=f"{PROG} check",
                )
            report = check_plugins(
                plugin_manager,
                args.plugins,
                isolate=not args.not_isolated,
                as_of=args.as_of,
                cases=not args.no_cases,
                examples=not args.no_examples,
            )
            counts = report.counts()
            document = Document(
                title=f"插件合规检查 Plugin conformance: {', '.join(report.plugins) or '—'}",
                preface=[
                    f"{'通过 OK' if report.ok else '未通过 FAILED'} — 通过 pass {counts['pass']}，"
                    f"失败 fail {counts['fail']}，跳过 skip {counts['skip']}"
                ],
                sections=[
                    Section(
                        title="检查 Checks",
                        columns=("插件 Plugin", "检查 Check", "对象 Subject", "结果 Status", "说明 Message"),
                        rows=[
                            (
                                r.plugin,
                                r.check,
                                r.subject or "—",
                                _LABEL[r.status],
                                "\n".join([r.message, *r.details[:20]]) if r.status == "fail" else r.message,
                            )
                            for r in report.results
                        ],
                        tags=[_TAG[r.status] for r in report.results],
                        flex=4,
                    )
                ],
            )
            ctx.emit(document, report.to_dict())
            return 0 if report.ok else 1

        return run

    return Command(
        "check",
        setup,
        summary="conformance of plan plugins (plans, evaluators, citations, tasks, examples, cases)",
        description=__doc__.split("\n\n", 1)[1].strip() if __doc__ else "",
    )

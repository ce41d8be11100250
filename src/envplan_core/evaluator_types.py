"""The evaluator contract: a function ``fn(item, ctx)`` and the typed parameters it declares.

:func:`evaluator` attaches an attrs class to an evaluator function; the catalog structures each plan
item's ``params:`` into that class when the plugin loads (:func:`structure_params`), so an unknown,
misspelt or mistyped key is an error naming plan, item and key — never a silent default.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from envplan_core.converters import structure
from envplan_core.errors import PlanError
from envplan_core.findings import Finding
from envplan_core.model import Rule, Target

if TYPE_CHECKING:
    from envplan_core.context import EvalContext

__all__ = ["Evaluator", "EvaluatorFn", "NoParams", "as_evaluator", "evaluator", "structure_params"]

P = TypeVar("P")
EvaluatorFn = Callable[["Target | Rule", "EvalContext"], Iterable[Finding]]


@attrs.frozen
class NoParams:
    """The parameters of an evaluator that takes none: any ``params:`` key is an error."""


@attrs.frozen
class Evaluator:
    """An evaluator function and the attrs class of the ``params:`` it takes.

    Calling it calls the function, so a decorated evaluator is still ``fn(item, ctx)``.
    """

    fn: EvaluatorFn
    params: type = NoParams
    summary: str = ""

    def __call__(self, item: Target | Rule, ctx: EvalContext) -> Iterable[Finding]:
        return self.fn(item, ctx)


def evaluator(params: type = NoParams) -> Callable[[EvaluatorFn], Evaluator]:
    """Declare an evaluator and its parameters::

        @attrs.frozen
        class SectionClassParams:
            period: str = "year"
            indicators: tuple[str, ...] = ()

        @evaluator(SectionClassParams)
        def section_class(item, ctx):
            p = ctx.params_of(item, SectionClassParams)
            ...

    :param params: an attrs class; its fields (with their types and defaults) are the keys a plan file
        may write under the item's ``params:``.
    """

    def wrap(fn: EvaluatorFn) -> Evaluator:
        doc = (fn.__doc__ or "").strip().splitlines()
        return Evaluator(fn=fn, params=params, summary=doc[0] if doc else "")

    return wrap


def as_evaluator(obj: Any) -> Evaluator:
    """A registered evaluator as :class:`Evaluator` (a bare function takes no parameters)."""
    if isinstance(obj, Evaluator):
        return obj
    if callable(obj):
        return Evaluator(fn=obj)
    raise TypeError(f"not an evaluator: {obj!r}")


def structure_params(item: Target | Rule, params: type[P], *, plan: str = "") -> P:
    """``item.params`` as an instance of ``params``; a :class:`PlanError` naming plan, item and key."""
    where = f"{plan or item.plan}: {type(item).__name__.lower()} {item.id!r} params"
    try:
        return structure(dict(item.params), params)
    except PlanError as exc:
        problems = tuple(f"{where}: {p}" for p in exc.problems) or (f"{where}: {exc}",)
        raise PlanError("\n  ".join(problems), source=plan or item.plan, problems=problems) from None

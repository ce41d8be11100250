"""One error hierarchy for envplan.

Every error a user can cause derives from :class:`EnvplanError`; concrete errors also inherit the
builtin they resemble, so ``except ValueError`` still works in callers that do not know envplan.
The CLI turns any :class:`EnvplanError` into one message and exit code 2.
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "EnvplanError",
    "PlanError",
    "PluginError",
    "UnitError",
]


class EnvplanError(Exception):
    """Base class of every error envplan raises on purpose."""


class UnitError(ValueError, EnvplanError):
    """A unit that cannot be parsed, or has the wrong dimension for its parameter."""

    def __init__(self, message: str, *, unit: str | None = None, parameter: str | None = None) -> None:
        self.unit = unit
        self.parameter = parameter
        super().__init__(message)


class PlanError(ValueError, EnvplanError):
    """A plan file that does not match the model (unknown key, bad date, wrong type ...)."""

    def __init__(self, message: str, *, source: str | None = None, problems: tuple[str, ...] = ()) -> None:
        self.source = source
        self.problems = problems
        super().__init__(message)


class PluginError(EnvplanError):
    """A plugin that failed to import, register or validate. ``plugin`` names it."""

    def __init__(self, message: str, *, plugin: str | None = None, problems: tuple[str, ...] = ()) -> None:
        self.plugin = plugin
        self.problems = problems
        super().__init__(message)


class DataError(ValueError, EnvplanError):
    """Input data that cannot be used. Carries file, row (1-based, header is row 1) and column."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        problems: tuple[str, ...] = (),
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.problems = problems
        where = ", ".join(
            part
            for part in (
                f"file {file}" if file else "",
                f"row {row}" if row is not None else "",
                f"column {column!r}" if column else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)

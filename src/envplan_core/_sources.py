"""How an input is named in messages, reports and evidence: its path, or what the user gave instead.

Standard input (``-``) is spooled to a temporary file so that every reader can read it as a file
(:func:`envplan_core.commands.base.input_file`); the readers, the reports and the error messages then
name it ``<stdin>``, not the temporary path. :func:`shown_as` records such a name, :func:`source_label`
is the name of a source, :func:`shown` rewrites the recorded paths inside a text.
"""

from __future__ import annotations

__all__ = ["shown", "shown_as", "source_label"]

#: Path of a stand-in file → the name it is shown by (``"/tmp/envplan-stdin-…/stdin.csv"`` → ``"<stdin>"``).
_SHOWN: dict[str, str] = {}


def shown_as(path: str, label: str) -> None:
    """Show ``path`` as ``label`` from now on (in this process)."""
    _SHOWN[str(path)] = label


def source_label(source: object) -> str:
    """The name of ``source`` (a path, or what :func:`shown_as` recorded for it)."""
    text = str(source)
    return _SHOWN.get(text, text)


def shown(text: str) -> str:
    """``text`` with every recorded path replaced by its name."""
    for path, label in _SHOWN.items():
        if path in text:
            text = text.replace(path, label)
    return text

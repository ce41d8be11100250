"""The ``markdown`` format: the document as GitHub-flavoured Markdown (sections become ``##`` tables)."""

from __future__ import annotations

from envplan_core.render.document import Cell, Document, cell_text

__all__ = ["escape", "to_markdown"]


def escape(text: str) -> str:
    """Make text safe inside a table cell: pipes escaped, line breaks as ``<br>``, markup characters
    that would change the meaning (``*``, ``_``, backticks, ``<``) escaped."""
    out = text.replace("\\", "\\\\")
    for ch in ("|", "*", "_", "`", "<", ">", "[", "]"):
        out = out.replace(ch, f"\\{ch}")
    return "<br>".join(line.strip() for line in out.splitlines()) if "\n" in out else out


def _cell(value: Cell) -> str:
    return escape(cell_text(value))


def to_markdown(document: Document) -> str:
    lines = [f"# {escape(document.title)}", ""]
    for line in document.preface:
        lines.append(f"- {escape(line)}")
    if document.preface:
        lines.append("")
    for section in document.sections:
        lines.append(f"## {escape(section.title)}")
        lines.append("")
        if not section.rows:
            lines.append(f"_{escape(section.empty)}_")
        else:
            lines.append("| " + " | ".join(escape(c) for c in section.columns) + " |")
            lines.append("|" + "|".join("---" for _ in section.columns) + "|")
            for row in section.rows:
                lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
        if section.note:
            lines.append("")
            lines.append(escape(section.note))
        lines.append("")
    return "\n".join(lines)

"""The ``html`` format: one self-contained page, every piece of text escaped, no scripts."""

from __future__ import annotations

import html

from envplan_core.render.document import Cell, Document, Section, cell_text

__all__ = ["FONT_STACK", "to_html"]

#: Fonts that render Chinese on Linux (Noto/Source Han), Windows (YaHei) and macOS (PingFang); no file is
#: embedded: a machine without any of them shows boxes (docs/reports.md says which package to install).
FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC", "Microsoft YaHei", '
    '"PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", sans-serif'
)

_CSS = """
body { font-family: FONTS; margin: 2em; }
table { border-collapse: collapse; margin-bottom: 1.5em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #f3f3f3; }
tr.not_met, tr.overdue { background: #fde8e8; }
tr.insufficient_data, tr.done_late { background: #fff6db; }
tr.met, tr.done { background: #eaf7ea; }
.note, .empty { color: #666; }
""".replace("FONTS", FONT_STACK)


def _text(value: Cell) -> str:
    return html.escape(cell_text(value)).replace("\n", "<br>")


def _section(section: Section) -> list[str]:
    out = [f"<h2>{html.escape(section.title)}</h2>"]
    if not section.rows:
        out.append(f'<p class="empty">{html.escape(section.empty)}</p>')
    else:
        out.append("<table>")
        out.append("<thead><tr>" + "".join(f"<th>{_text(c)}</th>" for c in section.columns) + "</tr></thead>")
        out.append("<tbody>")
        for index, row in enumerate(section.rows):
            tag = section.tag(index)
            attr = f' class="{html.escape(tag, quote=True)}"' if tag else ""
            out.append(f"<tr{attr}>" + "".join(f"<td>{_text(c)}</td>" for c in row) + "</tr>")
        out.append("</tbody></table>")
    if section.note:
        out.append(f'<p class="note">{html.escape(section.note)}</p>')
    return out


def to_html(document: Document) -> str:
    title = html.escape(document.title)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{title}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{title}</h1>",
    ]
    if document.preface:
        parts.append("<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in document.preface) + "</ul>")
    for section in document.sections:
        parts.extend(_section(section))
    parts.extend(["</body>", "</html>", ""])
    return "\n".join(parts)

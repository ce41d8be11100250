"""Sphinx configuration of the envplan docs site.

Build (``.ci/run`` does it with warnings as errors, into a temporary folder)::

    pip install ".[docs]"
    sphinx-build -W --keep-going -b html docs /tmp/envplan-docs

The Markdown pages are read by MyST as they are (they stay readable on GitHub); ``api/`` holds the API
reference generated from the docstrings (plugin API, standards, engine, testing kit) and one page per
hook; ``schemas.md`` publishes the JSON Schemas shipped in ``envplan_core/schemas/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import envplan_core

project = "envplan"
author = "envplan developers"
copyright = "envplan developers"
release = envplan_core.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
# docs/README.md is the GitHub index of these pages; index.md is the site's.
exclude_patterns = ["_build", "README.md", "conf.py"]

# MyST: the pages link to each other's headings (cli.md#input-files) and use tables, fenced blocks and
# a few directives ({eval-rst}, {literalinclude}, {toctree}).
myst_heading_anchors = 4
myst_enable_extensions = ["colon_fence"]

autodoc_default_options = {"show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
# Annotations are strings (from __future__ import annotations); autodoc evaluates what it can and shows
# the rest as written — unresolved Python cross-references are not worth a warning here.
nitpicky = False

html_theme = "alabaster"
html_title = f"envplan {release}"
html_static_path: list[str] = []

# The JSON Schemas are published as files beside the pages: /schemas/<name>.schema.json.
_SCHEMAS = Path(envplan_core.__file__).resolve().parent / "schemas"


def _copy_schemas(app: object, exception: Exception | None) -> None:
    outdir = Path(str(getattr(app, "outdir", "")))
    if exception is None and getattr(getattr(app, "builder", None), "format", "") == "html":
        target = outdir / "schemas"
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted(_SCHEMAS.glob("*.schema.json")):
            shutil.copyfile(path, target / path.name)


_DOCS = Path(__file__).resolve().parent


def _toctree_entries(docname: str, text: str) -> set[str]:
    """The docnames the ``{toctree}`` blocks of a page list (globs expanded)."""
    import fnmatch
    import re

    folder = str(Path(docname).parent)
    names = _docnames()
    out: set[str] = set()
    for block in re.findall(r"```\{toctree\}\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            entry = line.strip()
            if not entry or entry.startswith(":"):
                continue
            entry = entry.split("<")[-1].rstrip(">").strip()  # "Title <name>"
            full = entry if folder == "." else f"{folder}/{entry}"
            out.update(fnmatch.filter(names, full) if "*" in full else [full])
    return out


def _docnames() -> list[str]:
    return sorted(
        str(p.relative_to(_DOCS).with_suffix(""))
        for p in _DOCS.rglob("*.md")
        if "_build" not in p.parts and p.name != "README.md"
    )


def _unlisted_pages(index_text: str) -> list[str]:
    """Pages no toctree names (a page added by someone later, in any folder): listed under "More" on the
    index, so every page is in the site's navigation without editing the index."""
    listed = _toctree_entries("index", index_text)
    for name in _docnames():
        if name != "index":
            listed |= _toctree_entries(name, (_DOCS / f"{name}.md").read_text(encoding="utf-8"))
    return [name for name in _docnames() if name != "index" and name not in listed]


def _outside_links(docname: str, text: str) -> str:
    """Links to repository files outside docs/ (``[benchmarks/README.md](../benchmarks/README.md)``) work
    on GitHub but are no page of the site: there they become the file's path, as text."""
    import re

    folder = (_DOCS / docname).parent

    def replace(match: re.Match[str]) -> str:
        label, target = match["label"], match["target"]
        path = (folder / target).resolve()
        if target.startswith(("http:", "https:", "#", "mailto:")) or path.is_relative_to(_DOCS):
            return match[0]
        shown = path.relative_to(_DOCS.parent) if path.is_relative_to(_DOCS.parent) else target
        return label if label.strip("`") == str(shown) else f"{label} (`{shown}` in the repository)"

    return re.sub(r"\[(?P<label>[^\]]+)\]\((?P<target>[^)#\s]+)(?:#[^)]*)?\)", replace, text)


def _add_unlisted(app: object, docname: str, source: list[str]) -> None:
    source[0] = _outside_links(docname, source[0])
    if docname == "index":
        more = _unlisted_pages(source[0])
        if more:
            source[0] += "\n```{toctree}\n:maxdepth: 1\n:caption: More\n\n" + "\n".join(more) + "\n```\n"


def setup(app: object) -> None:
    from pygments.lexers.special import TextLexer
    from sphinx.highlighting import lexers

    lexers["csv"] = TextLexer()  # the input-file examples; Pygments has no CSV lexer
    app.connect("source-read", _add_unlisted)  # type: ignore[attr-defined]
    app.connect("build-finished", _copy_schemas)  # type: ignore[attr-defined]

"""Every code example of README.md and docs/ runs.

The pages are README.md and every ``docs/**/*.md`` found when the tests are collected, so a page added
later is run too. Per page, its fenced blocks:

- ``python`` blocks run in order in one namespace, in a temporary working folder that holds the water
  plan's synthetic example files as ``observations.csv``, ``inventory.yaml`` and ``progress.csv`` (and
  ``obs.csv``), and — when a page's examples name them — the reports ``envplan evaluate`` writes of them
  (``report.json``, ``report.xlsx``, ``ledger.xlsx``, ``report.html``, ``report.md``); a block
  that defines top-level ``test_…`` functions is a test file instead — the page's test files run together
  under pytest with envplan's plugin (Hypothesis limited to 15 examples), and every test must pass;
- ``yaml`` blocks with a top-level ``cases:`` are declarative plan cases, run by the same pytest session;
  those with a top-level ``records:`` are inventories and must read;
- ``toml`` blocks must parse (Python 3.11+);
- a block right after ``<!-- file: PATH -->`` is a file shown verbatim: in the tutorial PATH is relative to
  the example distribution (``tests/core/test_tutorial.py`` checks those); elsewhere PATH is relative to
  the repository and the block must equal that file. Files are not run here: their project runs them
  (``.ci/run`` installs and tests ``examples/downstream`` and the 2024 example distribution).

``sh``, ``json``, ``text`` and directive blocks (``{toctree}`` …) are not run.
"""

from __future__ import annotations

import ast
import re
import shutil
import sys
import textwrap
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
TUTORIAL = DOCS / "tutorial-new-plan.md"
WATER_EXAMPLES = ROOT / "plugins" / "water" / "envplan_water" / "examples"

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`\n]*)$")
_FILE_MARK = re.compile(r"<!--\s*file:\s*(?P<path>\S+)\s*-->")


@attrs.frozen
class Block:
    page: Path
    line: int  # 1-based line of the opening fence
    lang: str
    code: str
    file: str | None  # the <!-- file: PATH --> the block shows, if any

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    def is_test_file(self) -> bool:
        tree = ast.parse(self.code)
        return any(
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")
            for node in tree.body
        )


def blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a Markdown page, with their language and the file they show."""
    lines = page.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, indent = m["fence"], len(m["indent"])
        lang = m["info"].strip().split(" ")[0].lower()
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not re.match(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}\s*$", lines[j]):
            body.append(lines[j][indent:] if lines[j][:indent].strip() == "" else lines[j])
            j += 1
        previous = next((lines[k] for k in range(i - 1, -1, -1) if lines[k].strip()), "")
        mark = _FILE_MARK.fullmatch(previous.strip())
        out.append(Block(page, i + 1, lang, "\n".join(body) + "\n", mark["path"] if mark else None))
        i = j + 1
    return out


def pages() -> list[Path]:
    found = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
    return [p for p in found if "_build" not in p.parts]


def _page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


_RUNNABLE = ("python", "py", "python3", "toml")


def _runnable(block: Block) -> bool:
    if block.file is not None:
        return False
    if block.lang in _RUNNABLE:
        return True
    return block.lang in ("yaml", "yml") and bool(re.search(r"^(cases|records):", block.code, re.M))


def pages_with_examples() -> list[Path]:
    return [page for page in pages() if any(_runnable(b) for b in blocks(page))]


#: Reports a page's examples may read, written by ``envplan evaluate`` of the example files on demand.
_REPORTS = {
    "report.json": "json",
    "report.xlsx": "xlsx",
    "ledger.xlsx": "xlsx",
    "report.html": "html",
    "report.md": "markdown",
}


def _example_folder(tmp_path: Path, code: str) -> Path:
    from envplan_core.cli import main

    work = tmp_path / "work"
    work.mkdir()
    for name in ("observations.csv", "inventory.yaml", "progress.csv"):
        shutil.copyfile(WATER_EXAMPLES / name, work / name)
    shutil.copyfile(WATER_EXAMPLES / "observations.csv", work / "obs.csv")
    for name, fmt in _REPORTS.items():
        if name in code:
            args = ["--observations", str(work / "observations.csv"), "--inventory", str(work / "inventory.yaml")]
            args += ["--progress", str(work / "progress.csv"), "--as-of", "2023-12-31"]
            code_ = main(["evaluate", *args, "--format", fmt, "--output", str(work / name)])
            assert code_ == 0, f"could not write {name} for the examples"
    return work


_CONFTEST = """
from hypothesis import HealthCheck, settings

settings.register_profile(
    "docs", max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("docs")
"""


def test_the_pages_with_examples_are_found() -> None:
    found = {_page_id(p) for p in pages_with_examples()}
    assert {"README.md", "docs/testing.md", "docs/cli.md", "docs/schemas.md"} <= found


@pytest.mark.parametrize("page", pages_with_examples(), ids=_page_id)
def test_every_example_of_the_page_runs(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pytester: pytest.Pytester
) -> None:
    found = [b for b in blocks(page) if b.file is None]
    scripts = [b for b in found if b.lang in ("python", "py", "python3") and not b.is_test_file()]
    test_files = [b for b in found if b.lang in ("python", "py", "python3") and b.is_test_file()]
    cases = [b for b in found if b.lang in ("yaml", "yml") and re.search(r"^cases:", b.code, re.M)]
    inventories = [b for b in found if b.lang in ("yaml", "yml") and re.search(r"^records:", b.code, re.M)]
    tomls = [b for b in found if b.lang == "toml"]

    # Scripts: one namespace per page, in a folder with example files.
    monkeypatch.chdir(_example_folder(tmp_path, "".join(b.code for b in scripts)))
    namespace: dict[str, object] = {"__name__": "__docs_example__"}
    for block in scripts:
        try:
            exec(compile(block.code, block.where, "exec"), namespace)
        except Exception as exc:
            raise AssertionError(f"the example at {block.where} fails: {type(exc).__name__}: {exc}") from exc

    for block in inventories:
        from envplan_core.converters import safe_load_yaml
        from envplan_core.data.inventory import read_inventory

        data = safe_load_yaml(block.code)
        if isinstance(data, dict) and set(data) <= {"records", "values"}:
            read_inventory(data, name=block.where)

    if sys.version_info >= (3, 11):
        import tomllib

        for block in tomls:
            try:
                tomllib.loads(block.code)
            except tomllib.TOMLDecodeError as exc:
                raise AssertionError(f"the TOML at {block.where} does not parse: {exc}") from exc

    # Test files and cases: one pytest session with envplan's plugin.
    if test_files or cases:
        monkeypatch.chdir(pytester.path)
        pytester.makeconftest(_CONFTEST)
        for block in test_files:
            pytester.makepyfile(**{f"test_docs_l{block.line}": block.code})
        for block in cases:
            (pytester.path / f"docs_l{block.line}.envplan.yaml").write_text(block.code, encoding="utf-8")
        result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q", "-W", "error")
        outcomes = result.parseoutcomes()
        wanted = sum(
            1
            for b in test_files
            for node in ast.parse(b.code).body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        ) + sum(b.code.count("\n  - name:") for b in cases)
        where = ", ".join(b.where for b in [*test_files, *cases])
        assert outcomes.get("failed", 0) == 0 and outcomes.get("errors", 0) == 0, (
            f"examples at {where} fail:\n{result.stdout.str()}"
        )
        assert outcomes.get("passed", 0) == wanted, f"expected {wanted} passing examples:\n{result.stdout.str()}"


def test_file_blocks_outside_the_tutorial_are_the_repository_files() -> None:
    shown = [(b, b.file) for page in pages() if page != TUTORIAL for b in blocks(page) if b.file]
    for block, path in shown:
        assert path is not None
        target = ROOT / path
        assert target.is_file(), f"{block.where} shows {path}, which does not exist"
        assert target.read_text(encoding="utf-8") == block.code, f"{block.where} differs from {path}"


def test_the_downstream_project_is_shown_whole_in_testing_md() -> None:
    shown = {b.file for b in blocks(DOCS / "testing.md") if b.file}
    project = ROOT / "examples" / "downstream"
    files = {
        str(p.relative_to(ROOT))
        for p in project.rglob("*")
        if p.is_file() and p.suffix in (".py", ".toml", ".yaml") and "__pycache__" not in p.parts
    }
    assert files <= shown, f"not shown in docs/testing.md: {sorted(files - shown)}"


def test_the_parser_finds_blocks_and_file_marks(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        textwrap.dedent(
            """\
            # Title

            ```python
            x = 1
            ```

            <!-- file: a/b.py -->
            ```python
            def test_x():
                pass
            ```

            - item

              ```yaml
              cases: []
              ```
            """
        ),
        encoding="utf-8",
    )
    found = blocks(page)
    assert [(b.lang, b.line, b.file) for b in found] == [("python", 3, None), ("python", 8, "a/b.py"), ("yaml", 15, None)]
    assert found[1].is_test_file() and not found[0].is_test_file()
    assert found[2].code == "cases: []\n"

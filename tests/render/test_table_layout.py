"""Terminal tables never break a number, a date or an id across lines at any width of 80 columns or more:
text columns wrap instead, and a section whose numbers, dates and ids cannot all fit folds to records."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import envplan_core
from envplan_core.findings import Report
from envplan_core.render import Document, Section, cell_text, display_width, report_document
from envplan_core.render.table import column_widths, make_console, print_document, protected_tokens, wrap_text


@pytest.fixture(scope="module")
def report() -> Report:
    import envplan_air
    import envplan_water

    engine = envplan_core.load(plugins=["envplan_water", "envplan_air"])
    folders = [envplan_water.example_dir(), envplan_air.example_dir()]
    return engine.evaluate(
        observations=[str(f / "observations.csv") for f in folders],
        inventory=[str(f / "inventory.yaml") for f in folders],
        progress=[str(f / "progress.csv") for f in folders],
        as_of="2023-12-31",
    )


def _render(document: Document, width: int) -> str:
    out = io.StringIO()
    print_document(document, make_console(out, width=width, color=False))
    return out.getvalue()


def _tokens(document: Document) -> list[str]:
    texts = [document.title, *document.preface]
    for section in document.sections:
        texts += [section.title, *section.columns, section.note, section.empty]
        texts += [cell_text(c) for row in section.rows for c in row]
    return [t for text in texts for t in protected_tokens(text)]


@pytest.mark.parametrize("width", [80, 93, 100, 120, 160])
def test_the_demo_report_keeps_numbers_dates_and_ids_whole(report: Report, width: int) -> None:
    document = report_document(report)
    text = _render(document, width)
    lines = text.splitlines()
    assert max(display_width(line.rstrip()) for line in lines) <= width
    # Every number, date and id appears whole as often as the document holds it (a token cut across
    # two lines would be missing once). Tokens are matched whole ("3.09" does not count for "3.091");
    # a Chinese character may touch them.
    expected: dict[str, int] = {}
    for token in _tokens(document):
        expected[token] = expected.get(token, 0) + 1
    for token, count in expected.items():
        found = len(re.findall(rf"(?<![0-9A-Za-z_.]){re.escape(token)}(?![0-9A-Za-z_])", text))
        assert found >= count, f"{token!r} at width {width}: {found} whole of {count}"
    for f in report.findings:
        assert f.id in text


def test_the_findings_are_a_table_at_120_and_records_at_80(report: Report) -> None:
    document = report_document(report)
    findings = document.sections[1]
    assert column_widths(findings, 120) is not None
    assert column_widths(findings, 80) is None  # ids of 40+ characters: records
    wide, narrow = _render(document, 120), _render(document, 80)
    assert "── 1/" not in wide.split("发现 Findings", 1)[1].split("逾期任务", 1)[0]
    assert "── 1/" in narrow


def test_a_number_is_never_split_by_a_narrow_column() -> None:
    section = Section(title="t", columns=("值 Value", "说明 Text"), rows=[(3.09167, "长文本" * 30), ("2023-12-31", "x")])
    text = _render(Document(title="t", sections=[section]), 80)
    assert "3.09167" in text and "2023-12-31" in text
    widths = column_widths(section, 80)
    assert widths is not None and widths[0] >= len("2023-12-31")


def test_records_when_too_narrow_for_the_ids() -> None:
    long_id = "plan.rule.a_very_long_identifier_of_a_rule_that_needs_room"
    section = Section(title="t", columns=("编号 ID", "另一个编号 Other ID", "说明 Text"),
                      rows=[(long_id, long_id + ".2", "说明" * 40)])
    assert column_widths(section, 80) is None
    text = _render(Document(title="t", sections=[section]), 80)
    assert long_id in text and long_id + ".2" in text
    assert max(display_width(line) for line in text.splitlines()) <= 80


@given(
    words=st.lists(
        st.one_of(
            st.from_regex(r"\d{1,4}\.\d{1,6}", fullmatch=True),
            st.from_regex(r"20\d\d-[01]\d-[0-3]\d", fullmatch=True),
            st.from_regex(r"[a-z]{2,6}(\.[a-z0-9_]{1,8}){1,3}", fullmatch=True),
            st.text(alphabet="新绛县生态环境局任务目标，。（）", min_size=1, max_size=12),
            st.text(alphabet="abcdefgh ", min_size=1, max_size=12),
        ),
        min_size=1,
        max_size=25,
    ),
    width=st.integers(min_value=12, max_value=60),
)
def test_wrap_text_never_breaks_a_protected_token(words: list[str], width: int) -> None:
    text = " ".join(words)
    tokens = [t for t in protected_tokens(text) if display_width(t) <= width]
    lines = wrap_text(text, width)
    joined = "\n".join(lines)
    for token in tokens:
        assert token in joined
    for line in lines:
        assert display_width(line) <= max(width, *(display_width(t) for t in protected_tokens(line)), 0)

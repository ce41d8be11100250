"""Declarative plan cases: the file format, running, the diff, and their collection by the pytest plugin."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from envplan_core.conformance import CaseFileError, find_case_files, load_case_file, load_case_text, run_case
from envplan_core.findings import Status
from envplan_core.testing import assert_cases_pass, load_engine, run_cases

WATER_ONLY = load_engine("envplan_water")


def one(text: str, base: Path | None = None) -> object:
    (case,) = load_case_text(textwrap.dedent(text), source="t.envplan.yaml", base=base).cases
    return case


def test_a_case_loads_with_defaults_inputs_and_expectations(tmp_path: Path) -> None:
    (tmp_path / "obs.csv").write_text("site,parameter,time,value,unit\n杨赵桥,COD,2023-05-10,16,mg/L\n", encoding="utf-8")
    case_file = load_case_text(
        textwrap.dedent(
            """\
            plugins: [envplan_water]
            plans: water-2023
            defaults: {as_of: 2023-12-31}
            cases:
              - name: first
                observations: obs.csv
                expect:
                  water.yangzhaoqiao.class: {status: met, value: I}
                  water.rule.riparian_buffer_width:
                    - {subject: 甲, status: met}
                    - {subject: 乙, status: not_met, value: 20, tolerance: 0.5}
              - name: second
                as_of: 2024-01-31
                inventory: [{id: a, kind: boiler}]
                progress: [{task: water.task.1, status: done, date: 2023-05-01}]
                error: boom
            """
        ),
        source="t.envplan.yaml",
        base=tmp_path,
    )
    first, second = case_file.cases
    assert case_file.plugins == ("envplan_water",) and first.plans == ("water-2023",)
    assert first.as_of.isoformat() == "2023-12-31" and second.as_of.isoformat() == "2024-01-31"
    assert first.observations is not None and first.observations.files == ((tmp_path / "obs.csv").resolve(),)
    assert [(e.id, e.subject, e.status) for e in first.expect] == [
        ("water.yangzhaoqiao.class", None, Status.MET),
        ("water.rule.riparian_buffer_width", "甲", Status.MET),
        ("water.rule.riparian_buffer_width", "乙", Status.NOT_MET),
    ]
    assert first.expect[0].fields() == {"status": "met", "value": "I"}
    assert second.inventory is not None and second.inventory.inline == {"records": [{"id": "a", "kind": "boiler"}]}
    assert second.progress is not None and second.progress.describe() == "inline (1 rows)"
    assert (first.line, second.line) == (5, 12)
    assert first.location == "t.envplan.yaml:5"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cases: []", "non-empty list"),
        ("[1, 2]", "a mapping with a 'cases' list"),
        ("cases: [{name: a, as_of: 2023-12-31, expect: {x: met}}]\nextra: 1", "unknown key(s) 'extra'"),
        ("cases: [{as_of: 2023-12-31, expect: {x: met}}]", "needs a 'name'"),
        ("cases: [{name: a, as_of: 2023-13-31, expect: {x: met}}]", "ISO date"),
        ("cases: [{name: a, as_of: 2023-12-31}]", "give 'expect'"),
        ("cases: [{name: a, as_of: 2023-12-31, expect: {x: great}}]", "unknown status 'great'"),
        ("cases: [{name: a, as_of: 2023-12-31, expect: {x: {value: 3}}}]", "'status' is required"),
        ("cases: [{name: a, as_of: 2023-12-31, expect: {x: {status: met, valeu: 3}}}]", "unknown key(s) 'valeu'"),
        ("cases: [{name: a, as_of: 2023-12-31, expect: {x: met}, unused: -1}]", "'unused' is a count"),
        ("cases: [{name: a, as_of: 2023-12-31, expect: {x: met}, observations: 3}]", "a list of rows"),
        (
            "cases: [{name: a, as_of: 2023-12-31, expect: {x: met}}, {name: a, as_of: 2023-12-31, expect: {x: met}}]",
            "already used",
        ),
        ("cases: [{name: a, as_of: 2023-12-31, expect: {x: met}, observations: {package: no_such_pkg_x, file: a}}]",
         "is not installed"),
        ("cases: [", "not valid YAML"),
    ],
)
def test_a_malformed_case_file_is_named_with_its_problem(text: str, message: str) -> None:
    with pytest.raises(CaseFileError, match=r"t\.envplan\.yaml") as error:
        load_case_text(text, source="t.envplan.yaml")
    assert message in str(error.value)


def test_a_passing_and_a_failing_case() -> None:
    passing = one(
        """\
        cases:
          - name: ok
            as_of: 2023-12-31
            observations:
              - {site: 杨赵桥, parameter: 氨氮, time: 2023-05-10, value: 1.2, unit: mg/L}
            unused: 0
            expect:
              water.yangzhaoqiao.class: {status: not_met, value: IV, limit: III}
        """
    )
    assert run_case(passing, WATER_ONLY).passed
    failing = one(
        """\
        cases:
          - name: wrong
            as_of: 2023-12-31
            observations:
              - {site: 杨赵桥, parameter: 氨氮, time: 2023-05-10, value: 1.2, unit: mg/L}
            unused: 3
            expect:
              water.yangzhaoqiao.class: {status: met, value: III}
              water.no.such.id: met
              water.rule.riparian_buffer_width: {subject: 某段, status: met}
        """
    )
    result = run_case(failing, WATER_ONLY)
    assert not result.passed
    assert {(m.id, m.field) for m in result.mismatches} == {
        ("water.yangzhaoqiao.class", "status"),
        ("water.yangzhaoqiao.class", "value"),
        ("water.no.such.id", "finding"),
        ("water.rule.riparian_buffer_width", "finding"),
        ("(inputs)", "unused rows"),
    }
    text = result.render()
    assert "envplan case 'wrong' (t.envplan.yaml:2), as of 2023-12-31" in text
    assert "✗ water.yangzhaoqiao.class" in text and "met" in text and "not_met" in text
    assert "no finding with this id" in text
    assert "the report's findings of these ids:" in text
    assert result.summary().startswith("case 'wrong': 5 difference(s)")


def test_values_compare_as_numbers_with_a_tolerance_and_as_text() -> None:
    case = one(
        """\
        cases:
          - name: tolerance
            as_of: 2023-12-31
            inventory:
              records:
                - {id: r1, kind: rural_sewage_facility, status: running}
                - {id: r2, kind: rural_sewage_facility, status: running}
                - {id: r3, kind: rural_sewage_facility, status: stopped}
            expect:
              water.rural_sewage.operating_rate: {status: not_met, value: 66.67, tolerance: 0.01, limit: 80, unit: "%"}
        """
    )
    assert run_case(case, WATER_ONLY).passed
    strict = one(
        """\
        cases:
          - name: no tolerance
            as_of: 2023-12-31
            inventory: [{id: r1, kind: rural_sewage_facility, status: running}, {id: r3, kind: rural_sewage_facility, status: stopped}]
            expect:
              water.rural_sewage.operating_rate: {status: not_met, value: 50.0001, unit: "percent"}
        """
    )
    result = run_case(strict, WATER_ONLY)
    assert {m.field for m in result.mismatches} == {"value", "unit"}


def test_an_expected_error_and_an_unexpected_one() -> None:
    bad_rows = """\
        cases:
          - name: bad
            as_of: 2023-12-31
            observations:
              - {site: 杨赵桥, parameter: 氨氮, time: 2023-05-10, value: -1, unit: mg/L}
            ERROR
        """
    expected = one(bad_rows.replace("ERROR", "error: \"row 2, column 'value'\""))
    assert run_case(expected, WATER_ONLY).passed
    wrong_text = one(bad_rows.replace("ERROR", "error: something else"))
    assert "expected an error containing 'something else'" in (run_case(wrong_text, WATER_ONLY).error or "")
    unexpected = one(bad_rows.replace("ERROR", "expect: {water.yangzhaoqiao.class: met}"))
    result = run_case(unexpected, WATER_ONLY)
    assert result.error is not None and result.error.startswith("the evaluation failed: DataError")
    assert "(observations)" in result.error  # inline rows are named by the case
    no_error = one(
        """\
        cases:
          - {name: fine, as_of: 2023-12-31, error: anything}
        """
    )
    assert "the evaluation succeeded" in (run_case(no_error, WATER_ONLY).error or "")


def test_a_missing_input_file_is_the_cases_error(tmp_path: Path) -> None:
    case = one(
        """\
        cases:
          - {name: gone, as_of: 2023-12-31, observations: nothing.csv, expect: {water.xiqucun.class: met}}
        """,
        base=tmp_path,
    )
    result = run_case(case, WATER_ONLY)
    assert result.error is not None and "no such file" in result.error and "nothing.csv" in result.error


def test_run_cases_and_assert_cases_pass(tmp_path: Path) -> None:
    good = tmp_path / "good.envplan.yaml"
    good.write_text(
        "plugins: [envplan_water]\ncases:\n  - {name: g, as_of: 2023-12-31, expect: {water.xiqucun.class: insufficient_data}}\n",
        encoding="utf-8",
    )
    assert [r.passed for r in run_cases(tmp_path)] == [True]
    bad = tmp_path / "sub" / "bad.envplan.yaml"
    bad.parent.mkdir()
    bad.write_text(
        "plugins: [envplan_water]\ncases:\n  - {name: b, as_of: 2023-12-31, expect: {water.xiqucun.class: met}}\n",
        encoding="utf-8",
    )
    assert find_case_files(tmp_path) == [good, bad]
    assert find_case_files(good) == [good]
    with pytest.raises(AssertionError, match="envplan case 'b'"):
        assert_cases_pass(tmp_path)
    assert load_case_file(good).plugins == ("envplan_water",)


def test_the_pytest_plugin_collects_case_files_with_a_readable_diff(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".envplan.yaml",
        plan=textwrap.dedent(
            """\
            plugins: [envplan_water]
            cases:
              - name: sections without data
                as_of: 2023-12-31
                expect:
                  water.yangzhaoqiao.class: insufficient_data
              - name: a wrong expectation
                as_of: 2023-12-31
                expect:
                  water.xiqucun.class: {status: met, value: III}
            """
        ),
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*plan.envplan.yaml::sections without data PASSED*",
            "*plan.envplan.yaml::a wrong expectation FAILED*",
            "envplan case 'a wrong expectation' (*plan.envplan.yaml:7), as of 2023-12-31",
            "*finding*subject*field*expected*actual*",
            "✗ water.xiqucun.class*status*met*insufficient_data*",
            "✗ water.xiqucun.class*value*III*—*",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_a_malformed_case_file_is_a_collection_error(pytester: pytest.Pytester) -> None:
    pytester.makefile(".envplan.yaml", broken="cases:\n  - {name: x, as_of: someday, expect: {a: met}}\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*envplan case file:*broken.envplan.yaml*ISO date*"])


def test_case_collection_can_be_turned_off(pytester: pytest.Pytester) -> None:
    pytester.makefile(".envplan.yaml", plan="cases:\n  - {name: x, as_of: 2023-12-31, expect: {a: met}}\n")
    pytester.makeini("[pytest]\nenvplan_cases = false\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes()
    assert "no tests ran" in result.stdout.str()


def test_a_case_file_naming_a_missing_plugin_fails_its_cases(pytester: pytest.Pytester) -> None:
    pytester.makefile(".envplan.yaml", plan="plugins: [envplan_nope]\ncases:\n  - {name: x, as_of: 2023-12-31, expect: {a: met}}\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*envplan case 'x'*PluginError*envplan_nope*"])


def test_case_files_are_found_in_a_package_below_a_hidden_folder(tmp_path: Path) -> None:
    # The README installs into .venv: a plugin in .venv/lib/…/site-packages keeps its cases; hidden
    # folders and __pycache__ *below* the searched folder are still skipped.
    package = tmp_path / ".venv" / "lib" / "site-packages" / "envplan_town"
    (package / "cases").mkdir(parents=True)
    (package / "cases" / "a.envplan.yaml").write_text("cases: []\n", encoding="utf-8")
    for hidden in (".git", "__pycache__"):
        (package / hidden).mkdir()
        (package / hidden / "b.envplan.yaml").write_text("cases: []\n", encoding="utf-8")
    assert find_case_files(package) == [package / "cases" / "a.envplan.yaml"]

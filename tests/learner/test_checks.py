"""The check helpers explain failures to learners and report values to graders.

Most tests here run the checks in strict mode (as under nbgrader's Validate), where a failing check
raises with its explanation; the learning mode, where nothing raises, is tested at the end.
"""

import json

import numpy as np
import pytest

from autograder.learner.checks import (
    REPORT_ENV,
    STRICT_ENV,
    CheckFailed,
    check_function,
    check_raises,
    check_same,
    check_source_avoids,
    check_source_uses_only,
    check_value,
)
from autograder.learner.modes import mode


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    for name in (REPORT_ENV, "NBGRADER_EXECUTION", "NBGRADER_VALIDATING"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(STRICT_ENV, "strict")


def test_passing_check_says_so_with_its_label(capsys):
    check_function("square", lambda x: x * x, args=[(2.0,), (3.0,)], expected=[4.0, 9.0],
                   label="squares a number")
    assert "square: ✔ squares a number (2 cases)" in capsys.readouterr().out


def test_failure_names_case_call_expected_and_got_and_no_hint():
    with pytest.raises(CheckFailed) as info:
        check_function("square", lambda x: x + x, args=[(2.0,), (3.0,)], expected=[4.0, 9.0])
    text = str(info.value)
    assert "1 of 2 cases fails" in text and "case 2 of 2: <lambda>(3.0)" in text
    assert "expected: 9.0" in text and "got:      6.0" in text
    assert "hint" not in text.lower()


def test_numbers_are_written_as_a_person_writes_them():
    with pytest.raises(CheckFailed) as info:
        check_function("half", lambda x: np.float64(x) / 2.00001, args=[(4.0,)], expected=[2.0])
    text = str(info.value)
    assert "got:      1.99999" in text and "float64" not in text


def test_the_tolerance_is_stated_only_where_numbers_are_compared():
    with pytest.raises(CheckFailed) as info:
        check_value("p", 0.3, 0.25, atol=1e-3)
    assert "≤ 0.001 + 1e-07·|expected|" in str(info.value)
    with pytest.raises(CheckFailed) as info:
        check_function("is_even", lambda n: n % 2 == 1, args=[(2,)], expected=[True])
    assert "numbers match" not in str(info.value)
    with pytest.raises(CheckFailed) as info:
        check_function("shape", lambda n: np.zeros(3), args=[(2,)], expected=[np.zeros(2)])
    assert "numbers match" not in str(info.value) and "the shapes differ" in str(info.value)


def test_not_implemented_gets_a_calm_not_attempted_message():
    def todo(x):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="not attempted yet") as info:
        check_function("todo", todo, args=[(1,)], expected=[1])
    assert "numbers match" not in str(info.value)


def test_learners_exception_says_where_it_was_raised():
    def inverse(x):
        return 1 / x

    with pytest.raises(CheckFailed, match="your code raised ZeroDivisionError") as info:
        check_function("inverse", inverse, args=[(0,)], expected=[1.0])
    assert "in inverse, line" in str(info.value) and "return 1 / x" in str(info.value)


def test_a_failed_check_renders_as_its_verdict_not_a_traceback():
    with pytest.raises(CheckFailed) as info:
        check_value("p", 0.3, 0.25)
    assert info.value._render_traceback_() == str(info.value).splitlines()


def test_hidden_check_shows_neither_inputs_nor_expected_values():
    with pytest.raises(CheckFailed) as info:
        check_function("f", lambda x: x + 1, args=[(41.5,)], expected=[777.125], hidden=True)
    text = str(info.value)
    assert "hidden case 1 of 1" in text and "41.5" not in text and "777.125" not in text


def test_input_arrays_are_protected_from_in_place_changes():
    x = np.array([1.0, 2.0])

    def clobber(v):
        v[:] = 0
        return v

    with pytest.raises(CheckFailed):
        check_function("clobber", clobber, args=[(x,)], expected=[x])
    assert x.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("changes", ["v[0] += 1", "v.sort()", "v.append(0)", "v['k'] = 0"],
                         ids=["array", "list-sorted", "list-grown", "dict"])
def test_a_function_that_changes_its_argument_in_place_fails_with_the_argument_named(changes):
    start = {"array": np.array([2.0, 1.0]), "list": [2.0, 1.0], "dict": {"a": 1.0}}
    value = start["dict"] if "'k'" in changes else start["array"] if "+=" in changes else start["list"]
    namespace = {}
    exec(f"def summed(v):\n    total = sum(v.values()) if isinstance(v, dict) else sum(v)\n    {changes}\n"
         "    return total", namespace)
    expected = sum(value.values()) if isinstance(value, dict) else sum(value)
    with pytest.raises(CheckFailed) as failure:
        check_function("summed", namespace["summed"], args=[(value,)], expected=[expected])
    assert "it changed `v` in place" in str(failure.value)


def test_a_random_generator_argument_may_change_its_state():
    check_function("draw", lambda rng: 1.0 + 0 * rng.random(), args=[(np.random.default_rng(0),)],
                   expected=[1.0])


def test_check_value_and_check_raises():
    check_value("p", 0.25, 0.25)
    with pytest.raises(CheckFailed, match="the number is not close enough"):
        check_value("p", 0.3, 0.25)

    def strict(p):
        if p < 0:
            raise ValueError("negative")
        return p

    check_raises("strict", strict, args=[(-1,)], exception=ValueError)
    with pytest.raises(CheckFailed, match="expected ValueError to be raised, but it returned 1"):
        check_raises("strict", strict, args=[(1,)], exception=ValueError)


def test_no_report_is_written_unless_grading_asks(tmp_path, monkeypatch):
    monkeypatch.delenv(REPORT_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    check_value("p", 0.25, 0.25)
    assert list(tmp_path.iterdir()) == []


def test_grading_report_holds_inputs_values_and_errors_and_decides_nothing(tmp_path, monkeypatch, capsys):
    report = tmp_path / "checks.jsonl"
    monkeypatch.setenv(REPORT_ENV, str(report))
    check_function("double", lambda x: 2 * x, args=[(np.array([1.0, np.nan]),)],
                   expected=[np.array([2.0, np.nan])])
    # Wrong, and raising: in grading mode neither raises; the judge decides outside the kernel.
    check_function("inverse", lambda x: 1 / x, args=[(0,)], expected=[1.0], atol=1e-3, hidden=True)
    check_value("p", 0.5, 0.25)
    first, second, third = [json.loads(line) for line in report.read_text().splitlines()]
    assert first["check"] == "double" and "passed" not in first and first["changed"] == []
    assert first["value"]["__ndarray__"]["data"] == [2.0, {"__float__": "nan"}]
    assert second == {"check": "inverse", "kind": "call", "case": 0, "args": {"__tuple__": [0]},
                      "value": None, "error": ["ZeroDivisionError", "ArithmeticError", "Exception",
                                               "BaseException", "object"],
                      "expected": 1.0, "rtol": 1e-7, "atol": 1e-3, "hidden": True, "function": None,
                      "changed": None}
    assert third["kind"] == "value" and third["value"] == 0.5 and third["expected"] == 0.25
    assert "sent to the grader" in capsys.readouterr().out


def test_grading_mode_runs_without_expected_values(tmp_path, monkeypatch):
    """The grader blanks expected values out of the cells the student's kernel runs."""
    monkeypatch.setenv(REPORT_ENV, str(tmp_path / "checks.jsonl"))
    check_function("double", lambda x: 2 * x, args=[(1,), (2,)], expected=None)
    values = [json.loads(line)["value"] for line in (tmp_path / "checks.jsonl").read_text().splitlines()]
    assert values == [2, 4]


def matmul_by_loops(A, B):
    # np.dot would be quicker, but this comment must not count as a use of it
    return [[sum(a * b for a, b in zip(row, col, strict=True)) for col in zip(*B, strict=True)] for row in A]


def matmul_with_operator(A, B):
    return A @ B


def matmul_with_numpy(A, B):
    import numpy
    return numpy.matmul(A, B) + A.dot(B)


FORBIDDEN = ["@", "dot", "matmul", "einsum", "tensordot"]


def test_source_check_passes_code_that_avoids_the_forbidden_names(capsys):
    check_source_avoids("matmul", matmul_by_loops, forbidden=FORBIDDEN)
    assert "✔ does not use the @ operator, dot, matmul" in capsys.readouterr().out


@pytest.mark.parametrize(("func", "found"), [
    (matmul_with_operator, "@"), (matmul_with_numpy, "matmul, dot"),
], ids=["operator", "numpy-calls"])
def test_source_check_names_every_forbidden_use(func, found):
    with pytest.raises(CheckFailed, match=f"the code uses {found},"):
        check_source_avoids("matmul", func, forbidden=FORBIDDEN)


def test_source_check_explains_when_there_is_no_source():
    with pytest.raises(CheckFailed, match="could not read the source"):
        check_source_avoids("len", len, forbidden=FORBIDDEN)


def product_with_a_variable_named_dot(a, b):
    dot = 0.0
    for x, y in zip(a, b, strict=True):
        dot += x * y
    return dot


def product_with_imported_dot(a, b):
    from numpy import dot as inner
    return inner(a, b)


def test_source_check_allows_a_variable_that_shares_a_forbidden_name():
    check_source_avoids("product", product_with_a_variable_named_dot, forbidden=FORBIDDEN)


def test_source_check_catches_an_imported_forbidden_function():
    with pytest.raises(CheckFailed, match="the code uses dot,"):
        check_source_avoids("product", product_with_imported_dot, forbidden=FORBIDDEN)


MATMUL_ALLOWED = ["sum", "zip"]


def matmul_with_inner(A, B):
    import numpy
    return numpy.inner(A, numpy.transpose(B))


def test_allowlist_check_passes_code_that_uses_only_what_it_lists(capsys):
    check_source_uses_only("matmul", matmul_by_loops, allowed=MATMUL_ALLOWED)
    assert "matmul: ✔ uses only what the exercise allows" in capsys.readouterr().out


@pytest.mark.parametrize(("func", "found"), [
    (matmul_with_operator, "the @ operator"), (matmul_with_inner, "numpy.inner, numpy.transpose"),
], ids=["operator", "unlisted-calls"])
def test_allowlist_check_names_whatever_it_does_not_list(func, found):
    """Regression (issue 14): np.inner was not on the forbidden list of "no library product"."""
    with pytest.raises(CheckFailed, match=f"the code uses {found}, which is not among what this exercise"):
        check_source_uses_only("matmul", func, allowed=MATMUL_ALLOWED)


def test_allowlist_check_reports_the_list_to_the_grader_and_decides_nothing(tmp_path, monkeypatch):
    report = tmp_path / "checks.jsonl"
    monkeypatch.setenv(REPORT_ENV, str(report))
    check_source_uses_only("matmul", matmul_with_operator, allowed=MATMUL_ALLOWED)
    (line,) = report.read_text().splitlines()
    record = json.loads(line)
    assert record["kind"] == "source" and record["function"] == "matmul_with_operator"
    assert record["expected"] == {"__dict__": [["allowed", MATMUL_ALLOWED]]}


def returns(value):
    """A function that returns ``value`` whatever it is given (check_same calls a function twice)."""
    return lambda which: value[which]


@pytest.mark.parametrize(("first", "second", "expected"), [
    (1.5, 1.5, True), (np.array([1.0, np.nan]), np.array([1.0, np.nan]), True), ((1, "a"), (1, "a"), True),
    (1.5, 1.5 + 1e-15, False), (np.array([1.0, 2.0]), np.array([1.0, 2.5]), False), (1, "1", False),
], ids=["floats", "arrays-with-nan", "tuples", "floats-one-ulp-apart", "arrays", "int-and-str"])
def test_check_same_passes_when_equality_is_as_expected(first, second, expected, capsys):
    check_same("pair", returns([first, second]), args=[(0,), (1,)], expected=expected)
    assert "pair: ✔" in capsys.readouterr().out


def test_check_same_explains_values_that_differ_or_agree_against_expectations():
    with pytest.raises(CheckFailed) as info:
        check_same("same seed", returns([1.25, 1.5]), args=[(0,), (1,)], expected=True,
                   label="the same seed gives the same estimate")
    text = str(info.value)
    assert "✘ the same seed gives the same estimate" in text
    assert "differ, but they should be equal" in text and "1.25" in text and "1.5" in text
    with pytest.raises(CheckFailed, match="equal, but they should differ"):
        check_same("other seed", returns([2.0, 2.0]), args=[(0,), (1,)], expected=False)
    with pytest.raises(CheckFailed) as info:
        check_same("hidden", returns([7.125, 7.125]), args=[(0,), (1,)], expected=False, hidden=True)
    assert "7.125" not in str(info.value)
    with pytest.raises(TypeError, match="True .equal. or False"):
        check_same("pair", returns([1.0, 1.0]), args=[(0,), (1,)], expected=1)

    def todo(x):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="not attempted yet"):
        check_same("todo", todo, args=[(0,), (1,)])


def test_check_same_in_grading_mode_reports_both_values_and_decides_nothing(tmp_path, monkeypatch):
    """Regression: A.3 compared the two estimates in the kernel (`bool(again == once)`), so a float
    subclass whose __eq__ always says True earned the points."""
    class AlwaysEqual(float):
        def __eq__(self, other):
            return True

        __ne__ = __eq__
        __hash__ = float.__hash__

    monkeypatch.setenv(REPORT_ENV, str(tmp_path / "checks.jsonl"))
    check_same("same seed", returns([AlwaysEqual(1.0), AlwaysEqual(2.0)]), args=[(0,), (1,)], expected=True)
    check_same("raises", lambda x: 1 / x, args=[(0,), (0,)], expected=True)
    first, second = [json.loads(line) for line in (tmp_path / "checks.jsonl").read_text().splitlines()]
    assert first["kind"] == "same" and first["value"] == [1.0, 2.0] and first["expected"] is True
    assert second["kind"] == "same" and second["error"][0] == "ZeroDivisionError"


# --- the three modes ---------------------------------------------------------------------------


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "learn"),
    ({"NBGRADER_EXECUTION": "validate", "NBGRADER_VALIDATING": "1"}, "strict"),
    ({"NBGRADER_EXECUTION": "autograde"}, "strict"),
    ({STRICT_ENV: "strict"}, "strict"),
    ({REPORT_ENV: "/tmp/checks.jsonl"}, "report"),
    # Grading stays grading whatever else is set: only the judge's verdict gives points.
    ({REPORT_ENV: "/tmp/checks.jsonl", "NBGRADER_EXECUTION": "autograde", STRICT_ENV: "learn"}, "report"),
], ids=["learner", "validate", "nbgrader-autograde", "asked-for", "grading", "grading-wins"])
def test_mode_follows_what_runs_the_notebook(monkeypatch, env, expected):
    monkeypatch.delenv(STRICT_ENV)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert mode() == expected


def test_learning_mode_never_raises_and_prints_each_verdict(monkeypatch, capsys):
    """Run All goes on past a wrong or unsolved exercise: the verdict is shown, nothing is raised."""
    monkeypatch.delenv(STRICT_ENV)

    def todo(x):
        raise NotImplementedError()

    check_function("todo", todo, args=[(1,), (2,)], expected=[1, 2])
    check_function("square", lambda x: x + x, args=[(2.0,), (3.0,)], expected=[4.0, 9.0])
    check_raises("square", lambda x: x, args=[(1,)], exception=ValueError)
    check_source_avoids("matmul", matmul_with_operator, forbidden=FORBIDDEN)
    check_same("pair", returns([1, 2]), args=[(0,), (1,)])
    out = capsys.readouterr().out
    assert "todo: ○ returns the expected values: not attempted yet" in out
    assert "square: ✘ returns the expected values: 1 of 2 cases fails" in out
    assert "square: ✘ raises ValueError for invalid input" in out
    assert "matmul: ✘ does not use" in out and "pair: ✘" in out


def test_an_unwritten_function_that_the_answer_calls_is_named_not_called_unattempted():
    def helper(x):
        raise NotImplementedError()

    def answer(x):
        return helper(x) + 1

    with pytest.raises(CheckFailed) as info:
        check_function("answer", answer, args=[(1,)], expected=[2])
    text = str(info.value)
    assert "✘" in text and "not attempted" not in text
    assert "helper, which this code calls, is not written yet" in text

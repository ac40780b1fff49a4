"""The check helpers explain failures to learners and report values to graders."""

import json

import numpy as np
import pytest

from autograder.checks import (
    REPORT_ENV,
    CheckFailed,
    check_function,
    check_raises,
    check_same,
    check_source_avoids,
    check_value,
)


def test_passing_check_says_so(capsys):
    check_function("square", lambda x: x * x, args=[(2.0,), (3.0,)], expected=[4.0, 9.0])
    assert "square: 2 checks passed" in capsys.readouterr().out


def test_failure_names_case_call_expected_and_got_and_hint():
    with pytest.raises(CheckFailed) as info:
        check_function("square", lambda x: x + x, args=[(2.0,), (3.0,)], expected=[4.0, 9.0],
                       hint="multiply, don't add")
    text = str(info.value)
    assert "case 2 of 2: <lambda>(3.0)" in text
    assert "expected: float 9.0" in text and "got:      float 6.0" in text
    assert "Hint: multiply, don't add" in text


def test_not_implemented_gets_a_friendly_message():
    def todo(x):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="not implemented yet"):
        check_function("todo", todo, args=[(1,)], expected=[1])


def test_learners_exception_is_chained_for_its_traceback():
    with pytest.raises(CheckFailed, match="your code raised ZeroDivisionError") as info:
        check_function("inverse", lambda x: 1 / x, args=[(0,)], expected=[1.0])
    assert isinstance(info.value.__cause__, ZeroDivisionError)


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


def test_check_value_and_check_raises():
    check_value("p", 0.25, 0.25)
    with pytest.raises(CheckFailed, match="the number is not close enough"):
        check_value("p", 0.3, 0.25)

    def strict(p):
        if p < 0:
            raise ValueError("negative")
        return p

    check_raises("strict", strict, args=[(-1,)], exception=ValueError)
    with pytest.raises(CheckFailed, match="expected ValueError to be raised, but it returned int"):
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
    assert first["check"] == "double" and "passed" not in first
    assert first["value"]["__ndarray__"]["data"] == [2.0, {"__float__": "nan"}]
    assert second == {"check": "inverse", "kind": "call", "case": 0, "args": {"__tuple__": [0]},
                      "value": None, "error": ["ZeroDivisionError", "ArithmeticError", "Exception",
                                               "BaseException", "object"],
                      "expected": 1.0, "rtol": 1e-7, "atol": 1e-3, "hidden": True, "function": None}
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
    assert "1 check passed" in capsys.readouterr().out


@pytest.mark.parametrize(("func", "found"), [
    (matmul_with_operator, "@"), (matmul_with_numpy, "matmul, dot"),
], ids=["operator", "numpy-calls"])
def test_source_check_names_every_forbidden_use(func, found):
    with pytest.raises(CheckFailed, match=f"the code uses {found},"):
        check_source_avoids("matmul", func, forbidden=FORBIDDEN)


def test_source_check_explains_when_there_is_no_source():
    with pytest.raises(CheckFailed, match="could not read the source"):
        check_source_avoids("len", len, forbidden=FORBIDDEN)


def test_an_exercise_not_attempted_yet_gets_no_traceback_noise():
    def todo(x):
        raise NotImplementedError()

    with pytest.raises(CheckFailed) as info:
        check_function("todo", todo, args=[(1,)], expected=[1])
    assert info.value.__cause__ is None and info.value.__suppress_context__


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


@pytest.mark.parametrize(("first", "second", "expected"), [
    (1.5, 1.5, True), (np.array([1.0, np.nan]), np.array([1.0, np.nan]), True), ((1, "a"), (1, "a"), True),
    (1.5, 1.5 + 1e-15, False), (np.array([1.0, 2.0]), np.array([1.0, 2.5]), False), (1, "1", False),
], ids=["floats", "arrays-with-nan", "tuples", "floats-one-ulp-apart", "arrays", "int-and-str"])
def test_check_same_passes_when_equality_is_as_expected(first, second, expected, capsys):
    check_same("pair", first, second, expected=expected)
    assert "pair: 1 check passed" in capsys.readouterr().out


def test_check_same_explains_values_that_differ_or_agree_against_expectations():
    with pytest.raises(CheckFailed) as info:
        check_same("same seed", 1.25, 1.5, expected=True, hint="draw from rng")
    text = str(info.value)
    assert "differ, but they should be equal" in text and "1.25" in text and "1.5" in text
    assert "Hint: draw from rng" in text
    with pytest.raises(CheckFailed, match="equal, but they should differ"):
        check_same("other seed", 2.0, 2.0, expected=False)
    with pytest.raises(CheckFailed) as info:
        check_same("hidden", 7.125, 7.125, expected=False, hidden=True)
    assert "7.125" not in str(info.value)
    with pytest.raises(TypeError, match="True .equal. or False"):
        check_same("pair", 1.0, 1.0, expected=1)


def test_check_same_in_grading_mode_reports_both_values_and_decides_nothing(tmp_path, monkeypatch):
    """Regression: A.3 compared the two estimates in the kernel (`bool(again == once)`), so a float
    subclass whose __eq__ always says True earned the points."""
    class AlwaysEqual(float):
        def __eq__(self, other):
            return True

        __ne__ = __eq__
        __hash__ = float.__hash__

    monkeypatch.setenv(REPORT_ENV, str(tmp_path / "checks.jsonl"))
    check_same("same seed", AlwaysEqual(1.0), AlwaysEqual(2.0), expected=True)
    (line,) = (tmp_path / "checks.jsonl").read_text().splitlines()
    report = json.loads(line)
    assert report["kind"] == "same" and report["value"] == [1.0, 2.0] and report["expected"] is True

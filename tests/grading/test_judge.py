"""The judge decides from reported values and the reference's expectations, never the kernel's."""

import pytest

from autograder.grading.judge import judge_cell
from autograder.learner.values import encode


def record(check="f", case=0, *, value=None, error=None, expected=None, args=(1.0,), kind="call",
           rtol=1e-7, atol=1e-9, hidden=False, function=None):
    return {"check": check, "kind": kind, "case": case,
            "args": encode(tuple(args)) if args is not None else None, "value": encode(value),
            "error": error, "expected": encode(expected), "rtol": rtol, "atol": atol, "hidden": hidden,
            "function": function}


REFERENCE = [record(case=0, value=2.0, expected=2.0), record(case=1, value=4.0, expected=4.0, args=(2.0,),
                                                          hidden=True)]


def test_right_values_pass_and_the_message_counts_hidden_checks():
    student = [record(case=0, value=2.0 + 1e-12), record(case=1, value=4.0, args=(2.0,))]
    verdict = judge_cell(REFERENCE, student, sources=[])
    assert verdict.passed and "all 2 checks" in verdict.message() and "1 of them hidden" in verdict.message()


def test_a_call_that_changed_its_argument_in_place_fails_even_with_the_right_value():
    student = [record(case=0, value=2.0), record(case=1, value=4.0, args=(2.0,))]
    student[0]["changed"] = [0]
    verdict = judge_cell(REFERENCE, student, sources=[])
    assert not verdict.passed and "changed an argument in place" in verdict.problems[0]
    student[0]["changed"] = "everything"
    assert not judge_cell(REFERENCE, student, sources=[]).passed


def test_the_students_claimed_expected_value_and_tolerance_are_ignored():
    # A replaced helper reports its own (wrong) value as expected, with a huge tolerance.
    student = [record(case=0, value=3.0, expected=3.0, atol=1e9),
               record(case=1, value=4.0, args=(2.0,))]
    verdict = judge_cell(REFERENCE, student, sources=[])
    assert not verdict.passed
    assert "expected: 2.0" in verdict.problems[0]


def test_a_check_that_never_reported_earns_nothing():
    verdict = judge_cell(REFERENCE, [record(case=0, value=2.0)], sources=[])
    assert not verdict.passed and "never reported" in verdict.problems[0]


def test_values_for_other_inputs_do_not_count():
    student = [record(case=0, value=2.0), record(case=1, value=4.0, args=(3.0,))]
    assert "other inputs" in judge_cell(REFERENCE, student, sources=[]).problems[0]


def test_hidden_expected_values_are_never_shown():
    student = [record(case=0, value=2.0), record(case=1, value=5.0, args=(2.0,))]
    message = judge_cell(REFERENCE, student, sources=[]).message()
    assert "hidden case 2" in message and "4.0" not in message


def test_an_exception_is_wrong_unless_the_check_expects_it():
    raised = ["ValueError", "Exception", "BaseException", "object"]
    assert "raised ValueError" in judge_cell(REFERENCE[:1], [record(error=raised)], sources=[]).problems[0]
    expects = [record(kind="raises", expected="Exception", error=["Exception"])]
    assert judge_cell(expects, [record(kind="raises", error=raised)], sources=[]).passed


@pytest.mark.parametrize(("sources", "passed"), [
    (["def matmul(A, B):\n    return [[sum(x * y for x, y in zip(r, c)) for c in zip(*B)] for r in A]"],
     True),
    (["def matmul(A, B):\n    return A @ B"], False),
    (["def matmul(A, B):\n    return []", "import numpy as np\nmatmul = np.matmul"], False),
    (["%timeit 1\ndef matmul(A, B):\n    return A.dot(B)"], False),
], ids=["loops", "operator", "rebound-after-def", "magic-then-dot"])
def test_source_checks_read_the_submitted_definition(sources, passed):
    reference = [record(kind="source", args=None, expected=["@", "dot", "matmul"], function="matmul")]
    # What the kernel says (an empty list of forbidden uses, say) plays no part.
    student = [record(kind="source", args=None, value=[], function="matmul")]
    assert judge_cell(reference, student, sources=sources).passed is passed


@pytest.mark.parametrize(("sources", "passed"), [
    (["def f(a):\n    return np.outer(a, a)", "def f(a):\n    return a"], False),
    (["def f(a):\n    return a", "if True:\n    def f(a):\n        return np.outer(a, a)"], False),
    (["def f(a):\n    return a", "f = print"], False),
    (["def f(a):\n    raise NotImplementedError()", "def f(a):\n    return a * a"], True),
], ids=["earlier-def", "def-in-if", "rebound", "redefined-honestly"])
def test_every_def_of_the_function_counts_and_nothing_else_may_bind_it(sources, passed):
    """Regression: only the last top-level def was read, so a def inside `if True:` after an
    allowed one earned full points."""
    reference = [record(kind="source", args=None, expected=["outer"], function="f")]
    student = [record(kind="source", args=None, value=[], function="f")]
    assert judge_cell(reference, student, sources=["import numpy as np", *sources]).passed is passed


@pytest.mark.parametrize(("sources", "passed"), [
    (["def matmul(A, B):\n    return [[sum(x * y for x, y in zip(r, c)) for c in zip(*B)] for r in A]"],
     True),
    (["def matmul(A, B):\n    return np.inner(A, np.transpose(B))"], False),
    (["def matmul(A, B):\n    return np.linalg.multi_dot([A, B])"], False),
    (["def matmul(A, B):\n    return A.__matmul__(B)"], False),
], ids=["loops", "inner", "multi-dot", "dunder"])
def test_an_allowlist_from_the_reference_is_applied_to_the_submitted_definition(sources, passed):
    """Regression (issue 14): a forbidden list missed np.inner, np.linalg.multi_dot and A.__matmul__;
    the reference's record now carries what is allowed, and the judge applies it to the notebook."""
    reference = [record(kind="source", args=None, expected={"allowed": ["sum", "zip"]}, function="matmul")]
    student = [record(kind="source", args=None, value=[], function="matmul",
                      expected={"allowed": ["inner", "multi_dot", "linalg", "transpose"]})]  # ignored
    assert judge_cell(reference, student, sources=["import numpy as np", *sources]).passed is passed


class AlwaysEqual(float):
    """What a hostile monte_carlo_integral returned: equal to everything, unequal too."""

    def __eq__(self, other):
        return True

    __ne__ = __eq__
    __hash__ = float.__hash__


def same(value, *, expected=True, check="same seed"):
    return record(check, kind="same", args=None, value=value, expected=expected, rtol=None, atol=None)


@pytest.mark.parametrize(("pair", "expected", "passed"), [
    ([1.25, 1.25], True, True), ([1.25, 1.5], True, False), ([1.25, 1.5], False, True),
    ([1.25, 1.25], False, False),
    ([float("nan"), float("nan")], True, True), ([1, 1.0], True, True), ([1.0, "1.0"], True, False),
    ([AlwaysEqual(1.0), AlwaysEqual(2.0)], True, False), ([AlwaysEqual(3.0), AlwaysEqual(3.0)], False, False),
], ids=["equal", "differ", "differ-as-expected", "equal-but-should-differ", "nan-is-nan", "int-and-float",
        "number-and-string", "eq-always-true-but-equal-expected", "eq-always-true-but-different-expected"])
def test_check_same_is_decided_by_the_judge_from_plain_values(pair, expected, passed):
    # The reference's own pair plays no part, only its expected=; the student's record claims the opposite.
    reference = [same([0.0, 0.0], expected=expected)]
    verdict = judge_cell(reference, [same(pair, expected=not expected)], sources=[])
    assert verdict.passed is passed
    if not passed:
        message = verdict.message()
        assert ("expects them to be equal" if expected else "expects them to differ") in message
        assert "1.25" not in message and "3.0" not in message and "2.0" not in message


@pytest.mark.parametrize("value", [
    1.0, [1.0], [1.0, 2.0, 3.0], {"__tuple__": [1.0]}, {"__ndarray__": "nonsense"}, {"a": 1, "b": 2}, None,
    "[1.0, 1.0]", [{"__float__": "zero"}, 1.0],
], ids=["number", "one", "three", "tuple-of-one", "bad-array", "bad-dict", "none", "string", "bad-float"])
def test_a_malformed_check_same_record_fails_without_raising(value):
    reference = [same([0.0, 0.0])]
    student = [{**same(None), "value": value}]
    verdict = judge_cell(reference, student, sources=[])
    assert not verdict.passed and "cannot read" in verdict.problems[0]

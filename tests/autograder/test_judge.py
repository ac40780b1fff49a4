"""The judge decides from reported values and the reference's expectations, never the kernel's."""

import pytest

from autograder.judge import judge_cell
from autograder.values import encode


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


def test_the_students_claimed_expected_value_and_tolerance_are_ignored():
    # A replaced helper reports its own (wrong) value as expected, with a huge tolerance.
    student = [record(case=0, value=3.0, expected=3.0, atol=1e9),
               record(case=1, value=4.0, args=(2.0,))]
    verdict = judge_cell(REFERENCE, student, sources=[])
    assert not verdict.passed
    assert "expected: float 2.0" in verdict.problems[0]


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

"""`make exercises`: no plausible wrong answer is ✔ or earns full points; every right one does both."""

from functools import partial

import nbformat
import pytest

from autograder.devtools.answers import (
    MIN_RIGHT,
    MIN_WRONG,
    Row,
    coverage_problems,
    judge_catalogue,
    right,
    submissions,
    wrong,
)
from autograder.devtools.course import SOURCE, assignments
from autograder.learner.verdict import FAIL, NOT_ATTEMPTED, PASS

from ..parallel import asked_for, in_processes

SQUARE = "def square(x):\n    return x * x\n"


def source(assignment):
    return nbformat.read(SOURCE / assignment / f"{assignment}.ipynb", as_version=4)


@pytest.mark.parametrize("assignment", assignments())
def test_every_code_exercise_has_its_catalogue_of_right_and_wrong_answers(assignment):
    assert coverage_problems(assignment, source(assignment)) == []


def test_the_coverage_rule_counts_answers_and_reads_their_code(monkeypatch):
    from autograder.devtools import answers

    thin = {"central_difference": [wrong("w", SQUARE), right("r", "def central_difference(:")]}
    monkeypatch.setattr(answers, "catalogue", lambda _: thin)
    problems = coverage_problems("A2_calculus", source("A2_calculus"))
    wanted = f"(at least {MIN_WRONG} and {MIN_RIGHT} wanted)"
    assert f"central_difference: 1 wrong and 1 right answers {wanted}" in problems
    assert "central_difference / w: does not define central_difference()" in problems
    assert any(p.startswith("central_difference / r: does not parse") for p in problems)
    assert any(p.startswith("grad_f: 0 wrong and 0 right") for p in problems)


@pytest.mark.parametrize(("answer", "visible", "points", "problem"), [
    (wrong("w", SQUARE), FAIL, 0.0, None),
    (wrong("w", SQUARE), NOT_ATTEMPTED, None, None),
    (wrong("w", SQUARE), PASS, 0.0, "a wrong answer shows ✔ to the learner"),
    (wrong("w", SQUARE), FAIL, 2.0, "a wrong answer earns full points (2)"),
    (right("r", SQUARE), PASS, 2.0, None),
    (right("r", SQUARE), FAIL, 2.0, "a right answer is not ✔ for the learner (fail)"),
    (right("r", SQUARE), PASS, 1.0, "a right answer earns 1 of 2 points"),
])
def test_a_row_says_how_it_breaks_the_rule(answer, visible, points, problem):
    assert Row("square", answer, visible, points, 2.0).problem == problem


def test_submission_k_holds_the_kth_answer_of_each_exercise_and_the_reference_elsewhere():
    nb = source("A2_calculus")
    catalogue = {"grad_f": [wrong("a", "def grad_f(x):\n    return 1\n"),
                            wrong("b", "def grad_f(x):\n    return 2\n")],
                 "central_difference": [wrong("c", "def central_difference(f, x, h=1e-5):\n    return 0\n")]}
    built = submissions(nb, nb, catalogue)
    assert [student for student, _, _ in built] == ["answers-00", "answers-01"]
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in built[1][1].cells}
    assert cells["grad_f"].endswith("return 2\n") and "### BEGIN SOLUTION" not in cells["central_difference"]
    assert "(2 * h)" in cells["central_difference"]  # the reference, markers removed
    assert {k: a.name for k, a in built[0][2].items()} == {"grad_f": "a", "central_difference": "c"}
    untouched = [c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "grad_f"]
    assert "### BEGIN SOLUTION" in untouched[0]  # the source notebook itself is unchanged


@pytest.fixture(scope="module")
def judged(request):
    """Every answer of the catalogues the module's tests ask for, judged and graded. The
    assignments are judged at the same time, each in a process of its own: a learner's verdicts
    come from one kernel, one answer after another, which keeps one core busy at most."""
    return in_processes({a: partial(judge_catalogue, a, jobs=2)
                         for a in asked_for(request, "judged", "assignment")})


@pytest.mark.slow
@pytest.mark.parametrize("assignment", assignments())
def test_no_wrong_answer_is_accepted_and_every_right_one_earns_full_points(judged, assignment):
    rows = judged[assignment]
    assert rows
    assert [f"{r.exercise} / {r.answer.name}: {r.problem}" for r in rows if r.problem] == []

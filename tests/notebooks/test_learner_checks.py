"""What a self-learner sees in the student's notebook (the release): verdicts, hints on request,
solutions where the course's source is present, and progress — checked in a live kernel."""

import shutil
import tomllib

import pytest

from autograder.devtools.course import NOTEBOOKS
from autograder.devtools.kernel import KernelSession

FOLDER = NOTEBOOKS / "A2_calculus"
NOTEBOOK = FOLDER / "A2_calculus.ipynb"
HINTS = {e["name"]: e["hints"] for e in tomllib.loads((FOLDER / "exercises.toml").read_text())["exercise"]}
pytestmark = pytest.mark.slow

RIGHT = "def central_difference(f, x, h=1e-5):\n    return (f(x + h) - f(x - h)) / (2 * h)"
WRONG = "def grad_f(x):\n    return np.array([[6 * x[0]], [5 * np.exp(x[1])]])"  # a column: shape (2, 1)


def source_of(grade_id: str) -> str:
    import nbformat
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    return next(c.source for c in notebook.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def last(outputs) -> str:
    """The verdict as the cell finally shows it (the first display, updated check by check)."""
    assert outputs.displays, outputs
    return outputs.displays[-1]


@pytest.fixture(scope="module")
def kernel():
    with KernelSession(FOLDER) as session:
        session.run_notebook(NOTEBOOK)  # the untouched release: Run All, no error
        yield session


def no_hint_text(text: str) -> bool:
    return not any(hint in text for hints in HINTS.values() for hint in hints)


def test_a_right_answer_shows_a_labelled_check_mark(kernel):
    kernel.run(RIGHT)
    verdict = last(kernel.run(source_of("test_central_difference")))
    assert verdict.startswith("✔ Exercise 1 · central_difference — all ")
    assert "Stuck?" not in verdict and no_hint_text(verdict)


def test_a_wrong_answer_shows_what_differs_and_no_traceback_or_hint(kernel):
    kernel.run(WRONG)
    out = kernel.run(source_of("test_grad_f"))
    verdict = last(out)
    assert out.error is None and "Traceback" not in verdict
    assert verdict.startswith("✘ Exercise 4b · grad_f — not yet: 5 of 5 cases fail")
    assert "the shapes differ: expected (2,), got (2, 1)" in verdict
    assert "numbers match" not in verdict  # shapes, not numbers, were compared
    assert 'hint("grad_f")' in verdict and no_hint_text(verdict)


def test_hints_come_one_level_at_a_time_on_request(kernel):
    first, second = (last(kernel.run(f'hint("grad_f", {level})')) for level in (1, 2))
    assert HINTS["grad_f"][0] in first and HINTS["grad_f"][1] not in first
    assert HINTS["grad_f"][1] in second and "Hint 2 of" in second
    beyond = last(kernel.run('hint("grad_f", 99)'))
    assert HINTS["grad_f"][-1] in beyond and "last hint" in beyond
    assert "no exercise called 'grad'" in last(kernel.run('hint("grad")'))


def test_solution_comes_from_the_source_notebook_of_this_clone(kernel):
    shown = last(kernel.run('solution("grad_f")'))
    assert "return np.array([6 * x[0], 5 * np.exp(x[1])])" in shown and "BEGIN SOLUTION" not in shown
    written = last(kernel.run('solution("gradient_by_hand")'))
    assert "A model answer" in written and "6x_1" in written


def test_progress_lists_every_exercise_as_its_test_cell_left_it(kernel):
    table = last(kernel.run("progress()"))
    assert "1 of 7 checked exercises pass; 1 written answer for your instructor" in table
    assert "✔ Exercise 1 · central_difference" in table and "✘ Exercise 4b · grad_f" in table
    assert "○ Exercise 2 · taylor_polynomial" in table and "✎ Exercise 4a · gradient_by_hand" in table
    assert "Next: A.3 Probability" in table
    kernel.run(RIGHT)  # edited since its check ran
    assert "↻ Exercise 1 · central_difference" in last(kernel.run("progress()"))


def test_without_the_course_source_there_is_no_solution(tmp_path):
    """A release handed out through nbgrader: its folder has no source/ above it."""
    shutil.copytree(FOLDER, tmp_path / "A2_calculus")
    with KernelSession(tmp_path / "A2_calculus") as session:
        session.run("from autograder.learner.checks import solution, hint")
        shown = last(session.run('solution("grad_f")'))
        assert "Solutions are not available here" in shown and "6 * x[0]" not in shown
        assert HINTS["grad_f"][0] in last(session.run('hint("grad_f")'))  # hints travel with the release


def test_while_grading_there_is_no_solution(tmp_path):
    shutil.copytree(FOLDER, tmp_path / "A2_calculus")
    with KernelSession(tmp_path / "A2_calculus") as session:
        session.run(f"import os; os.chdir({str(FOLDER)!r}); os.environ['COURSE_CHECK_REPORT'] = "
                    f"{str(tmp_path / 'checks.jsonl')!r}\nfrom autograder.learner.checks import solution")
        assert "not available while the notebook is being graded" in last(session.run('solution("grad_f")'))


def test_validate_still_fails_an_unsolved_notebook_and_says_why_in_words():
    """Under nbgrader (its NBGRADER_EXECUTION) a failing check raises, so Validate counts the cell."""
    from nbgrader.validator import Validator

    failed = Validator().validate(str(NOTEBOOK))["failed"]
    assert len(failed) >= 6
    for cell in failed:
        if cell["source"].startswith("check_"):
            assert "not attempted yet" in cell["raw_error"] and "checks.py" not in cell["raw_error"]


def test_validate_passes_a_solved_notebook(tmp_path):
    import nbformat
    from nbgrader.validator import Validator

    from autograder.devtools.course import SOURCE
    from autograder.devtools.submissions import build_submission, scenario_module

    module = scenario_module("A2_calculus")
    right = next(s for s in module.SCENARIOS if s.name == "right")
    solved = build_submission(nbformat.read(NOTEBOOK, as_version=4),
                              nbformat.read(SOURCE / "A2_calculus" / "A2_calculus.ipynb", as_version=4),
                              right, module.MISTAKES)
    shutil.copytree(FOLDER, tmp_path / "A2_calculus")
    nbformat.write(solved, tmp_path / "A2_calculus" / "A2_calculus.ipynb")
    results = Validator().validate(str(tmp_path / "A2_calculus" / "A2_calculus.ipynb"))
    assert results == {}, results  # nothing failed, nothing changed

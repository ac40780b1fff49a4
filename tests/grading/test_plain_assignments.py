"""An assignment written the ordinary nbgrader way (plain assert test cells) is graded nbgrader's way."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder.devtools.course import create_course, nbgrader, notebook_path, place_submission
from autograder.grading.grade import main as course_grade
from autograder.grading.grades import auto_scores

pytestmark = pytest.mark.slow
ASSIGNMENT = "P1_plain"
ANSWERS = {  # student -> the body of square(x), and the points test_square earns
    "right": ("return x * x", 2.0),
    "wrong": ("return x + x", 0.0),
    "visible-only": ("return 9", 0.0),  # passes the visible assert, fails the hidden one
}


def plain_notebook(body: str = "### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION"):
    solution = new_code_cell(f"def square(x):\n    {body}", metadata={"nbgrader": {
        "grade": False, "grade_id": "square", "locked": False, "schema_version": 3, "solution": True}})
    test = new_code_cell(
        "assert square(3) == 9\n### BEGIN HIDDEN TESTS\nassert square(-2) == 4\n### END HIDDEN TESTS",
        metadata={"nbgrader": {"grade": True, "grade_id": "test_square", "locked": True, "points": 2,
                               "schema_version": 3, "solution": False}})
    nb = new_notebook(cells=[new_markdown_cell("Write `square(x)`."), solution, test])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nb


def test_plain_assert_cells_are_graded_on_whether_they_raise(tmp_path, capsys):
    course = create_course(tmp_path / "course")
    (course / "source" / ASSIGNMENT).mkdir()
    nbformat.write(plain_notebook(), notebook_path(course, "source", ASSIGNMENT))
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    release = nbformat.read(notebook_path(course, "notebooks", ASSIGNMENT), as_version=4)
    for student, (body, _) in ANSWERS.items():
        answered = nbformat.from_dict(release)
        answered.cells[1].source = f"def square(x):\n    {body}"
        path = tmp_path / f"{student}.ipynb"
        nbformat.write(answered, path)
        place_submission(course, student, ASSIGNMENT, path)

    status = course_grade(["--course", str(course), "--assignment", ASSIGNMENT, "--jobs", "2"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "note: P1_plain/P1_plain.ipynb: 1 test cell(s) with plain assert statements (test_square)" in out
    scores = auto_scores(course, ASSIGNMENT)
    assert {s: scores[s]["test_square"] for s in ANSWERS} == {s: p for s, (_, p) in ANSWERS.items()}
    page = (course / "feedback" / "right" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "graded the nbgrader way" in page and "not" in page and "tamper-proof" in page
    assert "square(-2)" not in page  # the hidden test stays hidden

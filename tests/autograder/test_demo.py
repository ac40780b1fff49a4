"""`make demo`: nbgrader's own commands take generated submissions all the way to grades and feedback."""

import csv

import nbformat
import pytest

from autograder.leaks import find_leaks, secret_lines, visible_text
from autograder.submissions import scenarios

pytestmark = pytest.mark.slow
ASSIGNMENT = "A2_calculus"


@pytest.mark.parametrize("scenario", scenarios(ASSIGNMENT), ids=lambda s: s.name)
def test_each_submission_earns_exactly_the_expected_points_per_grade_cell(demo, scenario):
    earned = {cell: demo.scores[scenario.name][cell] for cell in scenario.expected}
    assert earned == scenario.expected


def test_manually_graded_answer_waits_for_the_instructor(demo):
    # nbgrader scores an untouched written answer 0 at once; any other answer awaits a person.
    assert demo.scores["blank"]["gradient_by_hand"] == 0
    assert demo.scores["right"]["gradient_by_hand"] is None
    assert demo.scores["wrong"]["gradient_by_hand"] is None


def test_grade_export_has_a_row_per_student(demo):
    with open(demo.course / "grades.csv", newline="") as stream:
        rows = {row["student_id"]: row for row in csv.DictReader(stream)}
    assert set(rows) == {s.name for s in scenarios(ASSIGNMENT)}
    assert float(rows["right"]["score"]) == 13 and float(rows["right"]["max_score"]) == 15


@pytest.mark.parametrize("scenario", scenarios(ASSIGNMENT), ids=lambda s: s.name)
def test_feedback_shows_no_hidden_test_and_no_solution_the_student_did_not_write(demo, scenario):
    source = nbformat.read(demo.course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    submitted = (demo.course / "submitted" / scenario.name / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    own_lines = _own_lines(submitted)
    secrets = {kind: lines - own_lines for kind, lines in secret_lines(source).items()}
    assert secrets["hidden test"], "the source has hidden tests to look for"
    page = (demo.course / "feedback" / scenario.name / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert find_leaks(visible_text(page), secrets) == []


def _own_lines(notebook_text):
    notebook = nbformat.reads(notebook_text, as_version=4)
    return {line.strip() for cell in notebook.cells for line in cell.source.splitlines()}


def test_feedback_says_when_hidden_tests_ran(demo):
    page = visible_text((demo.course / "feedback" / "right" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text())
    assert page.count("Hidden tests ran here") == 6
    assert page.count("hidden checks passed") == 6

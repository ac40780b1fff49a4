"""The release is exactly nbgrader's output, hides every secret, and grades as it should."""

import nbformat
import pytest

from autograder.devtools.course import NOTEBOOKS, create_course, nbgrader, notebook_path, place_submission
from autograder.devtools.leaks import find_leaks, secret_lines
from autograder.devtools.release import differences, generate_release
from autograder.grading.grades import auto_scores, max_scores

pytestmark = pytest.mark.slow
ASSIGNMENT = "A2_calculus"


def test_committed_notebooks_are_exactly_what_nbgrader_releases(tmp_path):
    generate_release(tmp_path)
    assert differences(tmp_path, NOTEBOOKS) == [], "run `make notebooks` and commit the result"


def test_release_contains_no_solution_and_no_hidden_test():
    source = nbformat.read(notebook_path(NOTEBOOKS.parent, "source", ASSIGNMENT), as_version=4)
    secrets = secret_lines(source)
    assert secrets["solution"] and secrets["hidden test"]
    release = (NOTEBOOKS / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    release_lines = "\n".join(c.source for c in nbformat.reads(release, as_version=4).cells)
    assert find_leaks(release_lines, secrets) == []
    assert "BEGIN SOLUTION" not in release and "HIDDEN TESTS" not in release


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = create_course(tmp_path_factory.mktemp("course"))
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    place_submission(course, "reference", ASSIGNMENT, notebook_path(course, "source", ASSIGNMENT))
    place_submission(course, "untouched", ASSIGNMENT, notebook_path(course, "notebooks", ASSIGNMENT))
    nbgrader(course, "autograde", ASSIGNMENT)
    return auto_scores(course, ASSIGNMENT), max_scores(course, ASSIGNMENT)


def test_source_graded_as_a_submission_earns_every_autograded_point(graded):
    scores, maxima = graded
    auto = {cell: points for cell, (points, autograded) in maxima.items() if autograded}
    assert len(auto) >= 6
    assert {cell: scores["reference"][cell] for cell in auto} == auto


def test_untouched_release_earns_no_autograded_point(graded):
    scores, maxima = graded
    assert all(scores["untouched"][cell] == 0 for cell in maxima)

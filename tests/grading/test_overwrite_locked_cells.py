"""OverwriteLockedCells puts every locked cell back as nbgrader does, and warns only of a cell the
student edited (nbgrader's OverwriteCells warns of every test cell with hidden tests)."""

import logging

import nbformat
import pytest
from traitlets.config import Config

from autograder.devtools.course import create_course, nbgrader, notebook_path
from autograder.grading.grades import db_url
from autograder.grading.preprocessors import OverwriteLockedCells

pytestmark = pytest.mark.slow
A = "A2_calculus"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = create_course(tmp_path_factory.mktemp("overwrite") / "course")
    nbgrader(course, "generate_assignment", A)
    return course


def overwrite(course, nb, caplog):
    config = Config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.release_directory = "notebooks"
    step = OverwriteLockedCells(config=config)
    step.log = logging.getLogger("overwrite-test")
    resources = {"nbgrader": {"notebook": A, "assignment": A, "db_url": db_url(course)}}
    with caplog.at_level(logging.WARNING, logger="overwrite-test"):
        step.preprocess(nb, resources)
    return [record.getMessage() for record in caplog.records]


def released(course):
    return nbformat.read(notebook_path(course, "notebooks", A), as_version=4)


def test_an_untouched_notebook_gets_its_hidden_tests_back_without_a_warning(course, caplog):
    nb = released(course)
    assert overwrite(course, nb, caplog) == []
    test_cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_grad_f")
    assert "### BEGIN HIDDEN TESTS" in test_cell.source


def test_an_edited_test_cell_is_put_back_and_named_in_a_warning(course, caplog):
    nb = released(course)
    test_cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_grad_f")
    test_cell.source = "pass  # no checks here"
    messages = overwrite(course, nb, caplog)
    assert messages == ["Locked cell test_grad_f was edited in the submission: the course's version "
                        "is graded instead"]
    assert "### BEGIN HIDDEN TESTS" in test_cell.source and "no checks here" not in test_cell.source

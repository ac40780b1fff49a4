"""`make demo`: nbgrader's own commands take generated submissions all the way to grades and feedback."""

import csv

import nbformat
import pytest

from autograder.devtools.course import nbgrader
from autograder.devtools.demo import MANUAL_COMMENT
from autograder.devtools.leaks import find_leaks, secret_lines, visible_text
from autograder.devtools.submissions import scenarios
from autograder.grading.grades import max_scores

pytestmark = pytest.mark.slow


def test_each_submission_earns_exactly_the_expected_points_per_grade_cell(demo):
    earned = {s.name: {cell: demo.scores[s.name][cell] for cell in s.expected}
              for s in scenarios(demo.assignment)}
    assert earned == {s.name: s.expected for s in scenarios(demo.assignment)}


def test_the_scenarios_span_full_marks_to_nothing(demo):
    totals = {s.name: sum(s.expected.values()) for s in scenarios(demo.assignment)}
    assert totals["blank"] == totals["wrong"] == totals["raising"] == 0
    assert 0 < totals["partly-right"] < totals["right"]


def test_written_answers_wait_for_the_instructor(demo):
    # nbgrader scores an untouched written answer 0 at once; any other answer awaits a person.
    written = [cell for cell in demo.scores["right"] if demo.scores["right"][cell] is None]
    assert written, "every assignment has a written answer"
    assert all(demo.scores["blank"][cell] == 0 for cell in written)
    assert all(demo.scores["wrong"][cell] is None for cell in written)


def test_grade_export_has_a_row_per_student(demo):
    with open(demo.course / "grades.csv", newline="") as stream:
        rows = {row["student_id"]: row for row in csv.DictReader(stream)}
    assert set(rows) == {s.name for s in scenarios(demo.assignment)}
    right = next(s for s in scenarios(demo.assignment) if s.name == "right")
    assert float(rows["right"]["score"]) == sum(right.expected.values()) + sum(demo.manual["right"].values())


def test_the_canvas_export_lists_every_student_with_points_possible_and_the_export_score(demo):
    nbgrader(demo.course, "export", "--exporter=autograder.grading.canvas.CanvasExportPlugin",
             "--to=canvas.csv")
    with open(demo.course / "canvas.csv", newline="") as stream:
        header, points, *rows = list(csv.reader(stream))
    a = demo.assignment
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", a]
    possible = sum(points for points, _ in max_scores(demo.course, a).values())
    assert points[0] == "Points Possible" and float(points[5]) == possible
    with open(demo.course / "grades.csv", newline="") as stream:
        exported = {row["student_id"]: row["score"] for row in csv.DictReader(stream)}
    assert {row[3]: float(row[5]) for row in rows} == {s: float(v) for s, v in exported.items()}


def test_feedback_generated_after_manual_grading_carries_its_scores_and_comments(demo):
    a = demo.assignment
    assert demo.manual["right"] and all(points > 0 for points in demo.manual["right"].values())
    right = visible_text((demo.course / "feedback" / "right" / a / f"{a}.html").read_text())
    wrong = visible_text((demo.course / "feedback" / "wrong" / a / f"{a}.html").read_text())
    assert MANUAL_COMMENT[True] in right and MANUAL_COMMENT[False] in wrong


def test_the_demo_keeps_nbgraders_cache_of_its_students_in_a_private_home(demo):
    cache = demo.course.parent / "home" / ".local" / "share" / "jupyter" / "nbgrader_cache"
    assert cache.is_dir() and any(cache.iterdir())


def test_feedback_shows_no_hidden_test_and_no_solution_the_student_did_not_write(demo):
    a = demo.assignment
    source = nbformat.read(demo.course / "source" / a / f"{a}.ipynb", as_version=4)
    secrets = secret_lines(source)
    assert secrets["hidden test"], "the source has hidden tests to look for"
    leaks = {}
    for scenario in scenarios(a):
        submitted = nbformat.read(demo.course / "submitted" / scenario.name / a / f"{a}.ipynb",
                                  as_version=4)
        own = {line.strip() for cell in submitted.cells for line in cell.source.splitlines()}
        page = (demo.course / "feedback" / scenario.name / a / f"{a}.html").read_text()
        found = find_leaks(visible_text(page), {k: lines - own for k, lines in secrets.items()})
        if found:
            leaks[scenario.name] = found
    assert leaks == {}


def test_feedback_says_where_hidden_tests_ran(demo):
    a = demo.assignment
    page = visible_text((demo.course / "feedback" / "right" / a / f"{a}.html").read_text())
    graded = len(scenarios(a)[0].expected)
    assert page.count("Hidden tests ran here") >= graded
    assert page.count("hidden check") >= graded

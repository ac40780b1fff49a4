"""Hostile submissions earn exactly what their honest versions earn, and break and reveal nothing.

One class of A.2 and A.1 submissions (autograder/devtools/attacks.py): honest right and wrong answers, a
canary, and one student per attack, graded once by course-grade (with feedback) with a 10 s cell
timeout.
"""

import shutil

import nbformat
import pytest

from autograder.devtools import attacks as hostile
from autograder.sandbox.bubblewrap import status

pytestmark = [pytest.mark.slow, pytest.mark.sandbox,
              pytest.mark.skipif(not status().sandboxed, reason=f"no sandbox here: {status().reason}")]

ATTACKS = hostile.attacks()
ASSIGNMENTS = sorted({a.assignment for a in ATTACKS})


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    listener = hostile.Listener()
    hostile.OUTSIDE.unlink(missing_ok=True)
    course = hostile.build_class(tmp_path_factory.mktemp("hostile"), hostile.attacks(listener.port))
    before = hostile.snapshot(course)
    scores = hostile.grade_ours(course)
    result = dict(course=course, scores=scores, before=before, after=hostile.snapshot(course),
                  connections=listener.connections, outside=hostile.OUTSIDE.exists())
    listener.close()
    yield result
    hostile.OUTSIDE.unlink(missing_ok=True)
    hostile.SECRET.unlink(missing_ok=True)
    shutil.rmtree(course, ignore_errors=True)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_honest_submissions_score_as_the_demo_says(graded, assignment):
    scores = graded["scores"]
    assert scores["honest-right", assignment] == hostile.HONEST[assignment]
    assert scores["honest-wrong", assignment] == 0
    assert scores["canary", assignment] == hostile.HONEST[assignment]  # no attack changed another's grade


@pytest.mark.parametrize("attack", [a for a in ATTACKS if not a.refused], ids=lambda a: a.name)
def test_an_attack_earns_exactly_its_honest_points(graded, attack):
    scores = graded["scores"]
    assert scores[attack.name, attack.assignment] == scores[attack.baseline, attack.assignment]


@pytest.mark.parametrize("attack", [a for a in ATTACKS if a.refused], ids=lambda a: a.name)
def test_a_tampered_or_unreadable_file_is_reported_and_earns_nothing(graded, attack):
    assert graded["scores"][attack.name, attack.assignment] is None


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda a: a.name)
def test_no_solution_gradebook_outside_file_or_hidden_test_reaches_the_students_folders(graded, attack):
    assert hostile.leaks(graded["course"], attack.name, attack.assignment) == []


def test_nothing_outside_the_graders_own_output_was_written(graded):
    changed = [k for k in graded["before"] if graded["before"][k] != graded["after"].get(k)]
    assert changed == []
    assert not graded["outside"]


def test_no_connection_left_the_sandbox(graded):
    assert graded["connections"] == 0


@pytest.mark.parametrize(("student", "seen"), [
    ("read-source", "could not read source/"),
    ("read-graded-notebook", "could not find the hidden tests beside it"),
    ("read-gradebook", "could not read the gradebook"),
    ("memory-bomb", "MemoryError after"),
    ("fork-bomb", "fork refused after"),
    ("network", "no connection"),
    ("link-solutions", "could not read the solutions"),
    ("hard-link-solutions", "could not read the solutions"),
    ("link-outside", "could not read secret.txt"),
    ("link-folder", "could not list course/source"),
    ("disk-fill", "disk quota exceeded"),
    ("tmp-fill", "stopped after"),
    ("proc-cmdline", "/proc/1/cmdline lists mounts: False"),
])
def test_the_sandbox_stopped_the_attempt(graded, student, seen):
    assert any(line.startswith(seen) for line in hostile.observations(graded["course"], student))


def test_refused_entries_are_kept_in_quarantine_not_in_the_submission(graded):
    quarantine = graded["course"] / "quarantine"
    kept = sorted(str(p.relative_to(quarantine)) for p in quarantine.rglob("*") if not p.is_dir())
    assert f"link-solutions/{hostile.ASSIGNMENT}/solutions.json" in kept
    assert f"fifo/{hostile.ASSIGNMENT}/pipe" in kept
    assert f"link-notebook/{hostile.ASSIGNMENT}/{hostile.ASSIGNMENT}.ipynb" in kept


def _graded_notebook(graded, student, assignment=hostile.ASSIGNMENT):
    return graded["course"] / "autograded" / student / assignment / f"{assignment}.ipynb"


def test_display_updates_never_change_an_earlier_output_nor_pass_the_output_limit(graded):
    """Regression: display handles carried hidden inputs into an earlier cell, and 200 MB past the limit."""
    path = _graded_notebook(graded, "display-flood")
    assert path.stat().st_size < 2_000_000


def test_a_notebook_that_keeps_killing_its_kernel_stops_being_run_but_keeps_its_points(graded):
    cells = nbformat.read(_graded_notebook(graded, "replay-bomb"), as_version=4).cells
    errors = [o.get("evalue", "") for c in cells for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert any(e.startswith("not run: the notebook broke the kernel more than 5 times") for e in errors)


def test_a_notebook_that_changes_the_graders_tools_is_told_why_its_tests_fail(graded):
    cells = nbformat.read(_graded_notebook(graded, "helper-wrapper", hostile.A1), as_version=4).cells
    verdicts = [c.metadata["course_verdict"]["message"] for c in cells if "course_verdict" in c.metadata]
    assert verdicts
    assert all("changes the grader's tools" in v and "autograder" in v for v in verdicts)


def test_a_cell_that_leaves_processes_running_is_followed_by_a_fresh_kernel(graded):
    path = graded["course"] / "autograded" / "fork-bomb" / hostile.ASSIGNMENT / f"{hostile.ASSIGNMENT}.ipynb"
    text = "".join(str(o.get("text", "")) for c in nbformat.read(path, as_version=4).cells
                   for o in c.get("outputs", []))
    assert "[the grader stopped processes this cell left running, and restarted the kernel]" in text

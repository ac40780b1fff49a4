"""Hostile submissions earn exactly what their honest versions earn, and break nothing else.

One class of A.2 submissions (autograder/attacks.py): honest right and wrong answers, a canary,
and one student per attack, graded once by course-grade with a 10 s cell timeout.
"""

import shutil

import nbformat
import pytest

from autograder import attacks as hostile
from autograder.sandbox import status

pytestmark = [pytest.mark.slow, pytest.mark.sandbox,
              pytest.mark.skipif(not status().sandboxed, reason=f"no sandbox here: {status().reason}")]

ATTACKS = hostile.attacks()
REFUSED = {"corrupt-json", "empty-file", "not-a-notebook"}  # reported as failed, by name


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
    shutil.rmtree(course, ignore_errors=True)


def test_honest_submissions_score_as_the_demo_says(graded):
    assert graded["scores"]["honest-right"] == 13
    assert graded["scores"]["honest-wrong"] == 0
    assert graded["scores"]["canary"] == 13  # no attack changed another student's grade


@pytest.mark.parametrize("attack", [a for a in ATTACKS if a.name not in REFUSED], ids=lambda a: a.name)
def test_an_attack_earns_exactly_its_honest_points(graded, attack):
    assert graded["scores"][attack.name] == graded["scores"][f"honest-{attack.honest}"]


@pytest.mark.parametrize("attack", [a for a in ATTACKS if a.name in REFUSED], ids=lambda a: a.name)
def test_a_tampered_or_unreadable_file_is_reported_and_earns_nothing(graded, attack):
    assert graded["scores"][attack.name] is None


def test_nothing_outside_the_graders_own_output_was_written(graded):
    changed = [k for k in graded["before"] if graded["before"][k] != graded["after"].get(k)]
    assert changed == []
    assert not graded["outside"]


def test_no_connection_left_the_sandbox(graded):
    assert graded["connections"] == 0


@pytest.mark.parametrize(("student", "seen"), [
    ("read-source", "could not read source/"),
    ("read-gradebook", "could not read the gradebook"),
    ("memory-bomb", "MemoryError after"),
    ("fork-bomb", "fork refused after"),
    ("network", "no connection"),
])
def test_the_sandbox_stopped_the_attempt(graded, student, seen):
    assert any(line.startswith(seen) for line in hostile.observations(graded["course"], student))


def test_a_cell_that_leaves_processes_running_is_followed_by_a_fresh_kernel(graded):
    path = graded["course"] / "autograded" / "fork-bomb" / hostile.ASSIGNMENT / f"{hostile.ASSIGNMENT}.ipynb"
    text = "".join(str(o.get("text", "")) for c in nbformat.read(path, as_version=4).cells
                   for o in c.get("outputs", []))
    assert "[the grader stopped processes this cell left running, and restarted the kernel]" in text

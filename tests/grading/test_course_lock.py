"""One grading run per course: a second one is told which run holds the course, and waits for nothing."""

import multiprocessing
import os

import pytest

from autograder.grading.course_lock import CourseLocked, grading_lock


def _hold(course, ready, done):
    with grading_lock(course):
        ready.set()
        done.wait(30)


@pytest.fixture
def holder(tmp_path):
    """Another process that holds the course's lock until told to let go (done.set())."""
    context = multiprocessing.get_context("spawn")
    ready, done = context.Event(), context.Event()
    process = context.Process(target=_hold, args=(tmp_path, ready, done))
    process.start()
    assert ready.wait(30)
    yield process, done
    if process.is_alive():  # a killed waiter would never acknowledge set(): it would hang here
        done.set()
    process.join(30)


def test_a_second_run_is_refused_and_told_which_run_holds_the_course(tmp_path, holder):
    process, _ = holder
    with pytest.raises(CourseLocked, match=f"pid {process.pid} on "):
        with grading_lock(tmp_path):
            pass


def test_the_lock_is_free_again_when_its_run_ends_however_it_ends(tmp_path, holder):
    process, _ = holder
    os.kill(process.pid, 9)  # killed: no clean-up ran
    process.join(30)
    with grading_lock(tmp_path):
        pass

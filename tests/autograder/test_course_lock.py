"""One grading run per course: a second one is told which run holds the course, and waits for nothing."""

import multiprocessing
import os

import pytest

from autograder.course_lock import CourseLocked, grading_lock


def _hold(course, ready, done):
    with grading_lock(course):
        ready.set()
        done.wait(30)


def test_a_second_run_is_refused_and_told_which_run_holds_the_course(tmp_path):
    context = multiprocessing.get_context("spawn")
    ready, done = context.Event(), context.Event()
    holder = context.Process(target=_hold, args=(tmp_path, ready, done))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(CourseLocked, match=f"pid {holder.pid} on "):
            with grading_lock(tmp_path):
                pass
    finally:
        done.set()
        holder.join(30)


def test_the_lock_is_free_again_when_its_run_ends_however_it_ends(tmp_path):
    context = multiprocessing.get_context("spawn")
    ready, done = context.Event(), context.Event()
    holder = context.Process(target=_hold, args=(tmp_path, ready, done))
    holder.start()
    assert ready.wait(30)
    os.kill(holder.pid, 9)  # killed: no clean-up ran
    holder.join(30)
    with grading_lock(tmp_path):
        pass

"""Shared fixtures: each assignment's demo course, graded once per test session."""

from functools import partial

import pytest

from autograder.devtools.browser import chromium
from autograder.devtools.course import assignments
from autograder.devtools.demo import run_demo

from .parallel import asked_for, in_processes


@pytest.fixture(scope="session")
def demos(request, tmp_path_factory):
    """The instructor workflow run once for each assignment the session's tests ask for: a student
    per scenario, autograded. The demos run at the same time, each in a process of its own (a
    demo sets HOME): most of a demo is one nbgrader command after another, a core at a time."""
    return in_processes({a: partial(run_demo, workdir=tmp_path_factory.mktemp(a), assignment=a, log=None)
                         for a in asked_for(request, "demo")})


@pytest.fixture(scope="session", params=assignments())
def demo(request, demos):
    """One assignment's demo course (see ``demos``)."""
    return demos[request.param]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, one for the whole session: the browser suite and the hub test share it
    (Playwright's sync API allows one running instance per process)."""
    with chromium() as browser:
        yield browser

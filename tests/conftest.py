"""Shared fixtures: each assignment's demo course, graded once per test session."""

import pytest

from autograder.devtools.browser import chromium
from autograder.devtools.course import assignments
from autograder.devtools.demo import run_demo


@pytest.fixture(scope="session", params=assignments())
def demo(request, tmp_path_factory):
    """The instructor workflow run once for an assignment: a student per scenario, autograded."""
    return run_demo(workdir=tmp_path_factory.mktemp(request.param), assignment=request.param,
                    log=lambda *_: None)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, one for the whole session: the browser suite and the hub test share it
    (Playwright's sync API allows one running instance per process)."""
    with chromium() as browser:
        yield browser

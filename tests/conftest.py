"""Shared fixtures: each assignment's demo course, graded once per test session."""

import pytest

from autograder.course import assignments
from autograder.demo import run_demo


@pytest.fixture(scope="session", params=assignments())
def demo(request, tmp_path_factory):
    """The instructor workflow run once for an assignment: a student per scenario, autograded."""
    return run_demo(workdir=tmp_path_factory.mktemp(request.param), assignment=request.param,
                    log=lambda *_: None)

"""Shared fixtures: the demo course graded once per test session."""

import pytest

from autograder.demo import run_demo


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The instructor workflow run once: one student per scenario, autograded, with feedback."""
    return run_demo(workdir=tmp_path_factory.mktemp("demo"), log=lambda *_: None)

"""Binder builds the learner's environment: asked with repo2docker itself, Binder's own build tool.

``repo2docker --no-build --debug`` prints the Dockerfile it would build, without Docker or a network.
The repository's files are those a clone has (Binder clones it), so nothing local leaks in.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.repository_copy import copy_of_the_repository

ROOT = Path(__file__).resolve().parents[1]
REPO2DOCKER = Path(sys.executable).parent / "repo2docker"

pytestmark = pytest.mark.skipif(not REPO2DOCKER.exists(), reason="repo2docker is not installed")


@pytest.fixture(scope="module")
def dockerfile(tmp_path_factory) -> str:
    clone = copy_of_the_repository(tmp_path_factory.mktemp("binder") / "clone")
    done = subprocess.run([str(REPO2DOCKER), "--no-build", "--debug", str(clone)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout + done.stderr


def test_the_build_installs_the_pinned_conda_environment_with_its_python(dockerfile):
    python = re.search(r"^\s*- python=(\S+)", (ROOT / "environment.yml").read_text(), re.M).group(1)
    assert f"Building conda environment for python={python}" in dockerfile
    assert 'env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"' in dockerfile


def test_binder_starts_jupyter_through_the_start_script_with_the_learner_settings(dockerfile):
    assert 'ENV R2D_ENTRYPOINT="${REPO_DIR}/start"' in dockerfile
    start = (ROOT / "start").read_text()
    assert "jupyter-config/learner" in start and start.rstrip().endswith('exec "$@"')
    assert (ROOT / "jupyter-config" / "learner").is_dir()

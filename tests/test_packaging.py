"""The course package as a hub image installs it: a wheel (`pip install .`), not the editable checkout."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.course import REPO, create_course, notebook_path, place_submission
from autograder.grades import auto_scores
from autograder.submissions import build_submission, scenario_module

pytestmark = pytest.mark.slow
ASSIGNMENT = "A2_calculus"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(out)],
                   check=True, capture_output=True, text=True)
    (built,) = out.glob("*.whl")
    return built


def test_the_wheel_holds_every_subpackage(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "autograder").rglob("*.py")}
    assert modules - names == set()
    assert {"autograder/preprocessors/judgedexecute.py", "autograder/scenarios/a2_calculus.py"} <= names
    # ... and the explorers' front end, which the notebooks' widgets load from the package
    assets = {p.relative_to(REPO).as_posix() for p in (REPO / "autograder").glob("*.[jc]s*")}
    assert assets >= {"autograder/explorer.js", "autograder/explorer.css"} and assets <= names


def test_a_course_is_graded_with_the_installed_wheel(wheel, tmp_path):
    # An image's environment: a Python whose own site-packages holds the course, installed from
    # the wheel; the dependencies come from this checkout's environment through a .pth file.
    image = tmp_path / "image"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(image)], check=True)
    python = image / "bin" / "python"
    (site,) = (image / "lib").glob("python3*/site-packages")
    deps = next(p for p in sys.path if p.endswith("site-packages") and (Path(p) / "nbgrader").is_dir())
    (site / "course-dependencies.pth").write_text(deps + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
                    str(wheel)], check=True, capture_output=True, text=True)
    # nbgrader runs the `alembic` command it finds on PATH (the dependencies' own).
    env = {**os.environ, "PATH": os.pathsep.join([str(image / "bin"), str(Path(sys.executable).parent),
                                                  os.environ.get("PATH", "")])}
    where = subprocess.run([str(python), "-c", "import autograder.preprocessors as p; print(p.__file__)"],
                           env=env, cwd=tmp_path, check=True, capture_output=True, text=True).stdout
    assert where.startswith(str(site)), where  # the wheel's copy, not the checkout's

    course = create_course(tmp_path / "course")
    # The course's settings from the installed package, as on an image without the checkout.
    (course / "nbgrader_config.py").write_text(
        f"load_subconfig({str(site / 'autograder' / 'nbgrader_config.py')!r})  # noqa: F821\n")
    done = subprocess.run([str(python), "-m", "nbgrader", "generate_assignment", ASSIGNMENT],
                          env=env, cwd=course, capture_output=True, text=True)
    assert done.returncode == 0 and "[ERROR]" not in done.stderr, done.stdout + done.stderr
    module = scenario_module(ASSIGNMENT)
    right = next(s for s in module.SCENARIOS if s.name == "right")
    release = nbformat.read(notebook_path(course, "notebooks", ASSIGNMENT), as_version=4)
    source = nbformat.read(notebook_path(course, "source", ASSIGNMENT), as_version=4)
    answered = tmp_path / "answered.ipynb"
    nbformat.write(build_submission(release, source, right, module.MISTAKES), answered)
    place_submission(course, "wheel-student", ASSIGNMENT, answered)

    done = subprocess.run([str(python), "-m", "autograder.grade", "--course", str(course),
                           "--assignment", ASSIGNMENT, "--jobs", "1", "--no-feedback"],
                          env=env, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    scores = auto_scores(course, ASSIGNMENT)["wheel-student"]
    assert {cell: scores[cell] for cell in right.expected} == right.expected

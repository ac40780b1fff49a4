"""The course package as a hub image installs it: a wheel (`pip install .`), not the editable checkout."""

import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.devtools.course import REPO, create_course, notebook_path, place_submission
from autograder.devtools.submissions import build_submission, scenario_module
from autograder.grading.grades import auto_scores

pytestmark = pytest.mark.slow
ASSIGNMENT = "A2_calculus"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy of what the wheel is made of, as `make hub-deps` builds it: a checkout's
    # build/ folder (setuptools' cache, never cleaned) would slip moved or deleted modules in.
    tree = tmp_path_factory.mktemp("tree")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, tree / name)
    shutil.copytree(REPO / "autograder", tree / "autograder", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(tree), "--no-deps", "-q", "-w", str(out)],
                   check=True, capture_output=True, text=True)
    (built,) = out.glob("*.whl")
    return built


def shipped(path: Path) -> bool:
    """Whether a file of the checkout belongs in the wheel: all of the package but devtools/."""
    return "devtools" not in path.relative_to(REPO / "autograder").parts


def test_the_wheel_holds_every_subpackage_but_the_development_tools(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "autograder").rglob("*.py") if shipped(p)}
    assert modules - names == set()
    assert {"autograder/learner/checks.py", "autograder/grading/preprocessors/judgedexecute.py",
            "autograder/sandbox/start_kernel.py"} <= names
    # devtools/ holds the scenarios' worked answers: a student on the hub must not find them installed
    assert [n for n in names if n.startswith("autograder/devtools")] == []
    # ... and the explorers' front end, which the notebooks' widgets load from the package
    assets = {p.relative_to(REPO).as_posix() for p in (REPO / "autograder").rglob("*.[jc]s*")}
    assert assets >= {"autograder/learner/explorer.js", "autograder/learner/explorer.css"} and assets <= names


@dataclass
class Image:
    python: Path
    site: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def image(wheel, tmp_path_factory) -> Image:
    """An image's environment: a fresh venv whose own site-packages holds the course, installed from
    the wheel; the dependencies come from this checkout's environment through a .pth file."""
    # venv makes its folder 0755, as an image's is (pytest's own folders are 0700, which the
    # sandboxed kernel's unprivileged user could not enter).
    root = tmp_path_factory.mktemp("image") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    (site,) = (root / "lib").glob("python3*/site-packages")
    deps = next(p for p in sys.path if p.endswith("site-packages") and (Path(p) / "nbgrader").is_dir())
    (site / "course-dependencies.pth").write_text(deps + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
                    str(wheel)], check=True, capture_output=True, text=True)
    # nbgrader runs the `alembic` command it finds on PATH (the dependencies' own).
    env = {**os.environ, "PATH": os.pathsep.join([str(root / "bin"), str(Path(sys.executable).parent),
                                                  os.environ.get("PATH", "")])}
    return Image(root / "bin" / "python", site, env)


def test_every_module_of_every_subpackage_imports_from_the_installed_wheel(image, tmp_path):
    # nbgrader_config.py is a configuration file (nbgrader loads it), not a module to import.
    modules = sorted(".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
                     for p in (REPO / "autograder").rglob("*.py")
                     if p.name != "nbgrader_config.py" and shipped(p))
    assert {"autograder.learner", "autograder.grading", "autograder.sandbox"} <= set(modules)
    probe = ("import importlib, sys\n"
             "for name in sys.argv[1:]:\n"
             "    print(name, importlib.import_module(name).__file__)\n")
    done = subprocess.run([str(image.python), "-c", probe, *modules], env=image.env, cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    where = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert sorted(where) == modules
    assert all(path.startswith(str(image.site)) for path in where.values()), where  # not the checkout's
    missing = subprocess.run([str(image.python), "-c", "import autograder.devtools"], env=image.env,
                             cwd=tmp_path, capture_output=True, text=True)
    assert "No module named 'autograder.devtools'" in missing.stderr


def test_a_course_is_graded_with_the_installed_wheel(image, tmp_path):
    course = create_course(tmp_path / "course")
    # The course's settings from the installed package, as on an image without the checkout.
    (course / "nbgrader_config.py").write_text(
        f"load_subconfig({str(image.site / 'autograder' / 'nbgrader_config.py')!r})  # noqa: F821\n")
    done = subprocess.run([str(image.python), "-m", "nbgrader", "generate_assignment", ASSIGNMENT],
                          env=image.env, cwd=course, capture_output=True, text=True)
    assert done.returncode == 0 and "[ERROR]" not in done.stderr, done.stdout + done.stderr
    module = scenario_module(ASSIGNMENT)
    right = next(s for s in module.SCENARIOS if s.name == "right")
    release = nbformat.read(notebook_path(course, "notebooks", ASSIGNMENT), as_version=4)
    source = nbformat.read(notebook_path(course, "source", ASSIGNMENT), as_version=4)
    answered = tmp_path / "answered.ipynb"
    nbformat.write(build_submission(release, source, right, module.MISTAKES), answered)
    place_submission(course, "wheel-student", ASSIGNMENT, answered)

    done = subprocess.run([str(image.python), "-m", "autograder.grading.grade", "--course", str(course),
                           "--assignment", ASSIGNMENT, "--jobs", "1", "--no-feedback"],
                          env=image.env, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    scores = auto_scores(course, ASSIGNMENT)["wheel-student"]
    assert {cell: scores[cell] for cell in right.expected} == right.expected

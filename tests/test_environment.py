"""The venv, requirements*.txt and environment.yml (Binder) pin the same versions."""

import re
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent


def pins(path: Path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    return dict(ln.split("==") for ln in lines if "==" in ln and not ln.startswith("#"))


def environment() -> dict:
    return yaml.safe_load((REPO / "environment.yml").read_text())


def test_environment_yml_pins_exactly_the_runtime_lock():
    pip_section = next(d["pip"] for d in environment()["dependencies"] if isinstance(d, dict))
    conda_pins = dict(entry.split("==") for entry in pip_section if "==" in entry)
    assert conda_pins == pins(REPO / "requirements.txt"), "run `make lock`"
    assert "-e ." in pip_section  # the course's own package, for the notebooks' check helpers


def test_environment_yml_uses_the_python_the_venv_runs():
    python = next(d for d in environment()["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert python == f"python={sys.version_info.major}.{sys.version_info.minor}"


@pytest.mark.parametrize(("package", "major"), [
    ("jupyterlab", "4"), ("notebook", "7"), ("ipywidgets", "8"), ("nbgrader", "0.9"),
    ("numpy", ""), ("matplotlib", ""),
])
def test_course_dependencies_are_pinned_at_the_required_major_version(package, major):
    pinned = pins(REPO / "requirements.txt")[package]
    assert re.fullmatch(r"\d+(\.\d+)+", pinned) and pinned.startswith(major)


def test_every_declared_dependency_is_pinned():
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    names = [re.split(r"[\[<>=!~ ;]", d)[0] for d in declared["dependencies"]]
    dev = [re.split(r"[\[<>=!~ ;]", d)[0] for d in declared["optional-dependencies"]["dev"]]
    assert set(names) <= set(pins(REPO / "requirements.txt"))
    assert set(dev) <= set(pins(REPO / "requirements-dev.txt"))


def test_the_venv_runs_the_pinned_versions():
    everything = pins(REPO / "requirements.txt") | pins(REPO / "requirements-dev.txt")
    drift = {name: (pinned, version(name)) for name, pinned in everything.items() if version(name) != pinned}
    assert drift == {}, "the venv is stale: `make test` reinstalls it from the pins"


def test_no_process_of_the_venv_builds_rfc3987_syntaxs_grammar():
    # 1.5 s of every nbgrader command and JupyterLab start (the Makefile's .pth file says why).
    probe = "import sys, jsonschema; print(sys.modules.get('rfc3987_syntax', 'not imported'))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "None"

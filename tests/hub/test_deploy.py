"""The JupyterHub deployment's files agree with each other and with the course (no hub started: seconds)."""

from __future__ import annotations

import json
import os
import runpy
import tomllib
from pathlib import Path

import pytest
from traitlets.config import Config

from autograder.devtools.course import REPO

HUB_DIR = REPO / "deploy" / "jupyterhub"
# Pins the hub's environment may hold at another version than requirements.txt, and why.
HUB_ONLY_VERSIONS = {"soupsieve": "its pinned release needs Python >= 3.11.5; Debian 12's python3 is 3.11.2"}


def pins(path: Path) -> dict[str, str]:
    lines = [line.strip() for line in path.read_text().splitlines()
             if "==" in line and not line.startswith("#")]
    return {name.lower(): version for name, version in (line.split("==", 1) for line in lines)}


def test_hub_environment_pins_every_runtime_package_at_the_same_version():
    runtime, hub = pins(REPO / "requirements.txt"), pins(REPO / "requirements-hub.txt")
    assert set(runtime) <= set(hub), f"missing from requirements-hub.txt: {sorted(set(runtime) - set(hub))}"
    differ = {name for name in runtime if runtime[name] != hub[name]}
    assert differ <= set(HUB_ONLY_VERSIONS), f"requirements-hub.txt pins other versions of {sorted(differ)}"
    assert hub["jupyterhub"] == "6.1.1"


def test_pyproject_hub_extra_admits_the_pinned_jupyterhub():
    extra = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]["hub"]
    assert extra == ["jupyterhub>=6.1,<7"]


def test_configurable_http_proxy_is_pinned_by_package_and_lock():
    package = json.loads((HUB_DIR / "package.json").read_text())
    lock = json.loads((HUB_DIR / "package-lock.json").read_text())
    assert package["dependencies"] == {"configurable-http-proxy": "5.3.0"}
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == "5.3.0"


@pytest.fixture
def hub_config(monkeypatch, tmp_path):
    """jupyterhub_config.py as JupyterHub would load it, for the demo class."""
    monkeypatch.setenv("COURSE_HUB_CLASS", str(HUB_DIR / "class.toml"))
    monkeypatch.setenv("COURSE_HUB_STATE", str(tmp_path))
    config = Config()
    runpy.run_path(str(HUB_DIR / "jupyterhub_config.py"), init_globals={"get_config": lambda: config})
    return config


def test_formgrader_is_a_service_named_after_the_course_run_by_the_grader(hub_config):
    klass = tomllib.loads((HUB_DIR / "class.toml").read_text())
    (service,) = hub_config.JupyterHub.services
    assert service["name"] == klass["course"] and service["user"] == klass["grader"]
    assert service["cwd"] == f"/home/{klass['grader']}/{klass['course']}"
    groups = hub_config.JupyterHub.load_groups
    assert groups[f"formgrade-{klass['course']}"]["users"] == [*klass["instructors"], klass["grader"]]
    assert groups[f"nbgrader-{klass['course']}"]["users"] == klass["students"]
    roles = {role["name"]: role for role in hub_config.JupyterHub.load_roles}
    assert f"access:services!service={klass['course']}" in roles[f"formgrade-{klass['course']}"]["scopes"]
    assert not any("access:services" in scope for scope in roles[f"nbgrader-{klass['course']}"]["scopes"])
    assert hub_config.JupyterHub.ip == "127.0.0.1"


def test_students_get_the_assignments_tab_and_validate_and_no_instructor_tools():
    server = json.loads((HUB_DIR / "student" / "jupyter_server_config.json").read_text())
    extensions = server["ServerApp"]["jpserver_extensions"]
    assert extensions["nbgrader.server_extensions.assignment_list"] is True
    assert extensions["nbgrader.server_extensions.validate_assignment"] is True
    assert extensions["nbgrader.server_extensions.formgrader"] is False
    assert extensions["nbgrader.server_extensions.course_list"] is False
    page = json.loads((HUB_DIR / "student" / "labconfig" / "page_config.json").read_text())
    lab = page["disabledExtensions"]
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
            "@jupyter/nbgrader:course-list"} <= {name for name, off in lab.items() if off}
    assert "@jupyter/nbgrader:assignment-list" not in lab
    assert "@jupyter/nbgrader:validate-assignment" not in lab


def test_spawner_gives_instructors_and_students_their_profiles(hub_config, tmp_path):
    class Group:
        def __init__(self, name):
            self.name = name

    class Spawner:
        def __init__(self, *groups):
            self.user = type("User", (), {"groups": [Group(g) for g in groups]})()
            self.environment = {}

    hook = hub_config.Spawner.pre_spawn_hook
    student, instructor = Spawner("nbgrader-d2l-math"), Spawner("formgrade-d2l-math", "instructors")
    hook(student)
    hook(instructor)
    first = {who: Path(spawner.environment["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0])
             for who, spawner in (("student", student), ("instructor", instructor))}
    assert first == {"student": tmp_path / "profiles" / "student",
                     "instructor": tmp_path / "profiles" / "instructor"}
    assert student.environment["COURSE_HUB_EXCHANGE"].endswith("/exchange")

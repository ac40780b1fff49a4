"""A real JupyterLab with the learner settings, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from autograder.course import NOTEBOOKS, REPO, SOURCE, assignments
from autograder.submissions import build_submission, scenario_module

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's own browser download is unavailable here: use Debian's build, with the flags a
# closed network and a root user need.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOKEN = "course-browser-tests"
SOLVED = "solved"  # the name of each notebook's solved copy in the server's folder
PARTLY = "partly-right"  # some exercises right, some wrong, and a hint and a solution asked for


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):  # CI installs Chromium (make browser); a missing one is a failure
        raise pytest.UsageError(f"{CHROMIUM} is missing: run `make browser`")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (`make browser` installs it)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """A clone's layout: notebooks/ with, next to each student notebook, a solved and a partly right
    copy of it, and source/ beside them (where solution() finds the reference solutions)."""
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(NOTEBOOKS, root, dirs_exist_ok=True)
    shutil.copytree(SOURCE, root / "source")
    for assignment in assignments():
        release = nbformat.read(NOTEBOOKS / assignment / f"{assignment}.ipynb", as_version=4)
        source = nbformat.read(SOURCE / assignment / f"{assignment}.ipynb", as_version=4)
        module = scenario_module(assignment)
        for name, copy in ((SOLVED, "right"), (PARTLY, "partly-right")):
            scenario = next(s for s in module.SCENARIOS if s.name == copy)
            notebook = build_submission(release, source, scenario, module.MISTAKES)
            if name == PARTLY:
                wrong = next(iter(scenario.answers))
                notebook.cells += [nbformat.v4.new_code_cell(f'hint("{wrong}")'),
                                   nbformat.v4.new_code_cell(f'solution("{wrong}")')]
            nbformat.write(notebook, root / assignment / f"{name}.ipynb")
    return root


@pytest.fixture(scope="session")
def server(served, tmp_path_factory):
    """JupyterLab (and Notebook 7) from the project's venv, as `make lab` starts it, on a free port."""
    port = free_port()
    home = tmp_path_factory.mktemp("server")
    # A fresh user config and workspace: nothing from the machine's ~/.jupyter leaks in.
    env = dict(os.environ, JUPYTER_CONFIG_PATH=str(REPO / "jupyter-config" / "learner"),
               JUPYTER_CONFIG_DIR=str(home / "config"),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    log = (home / "jupyter.log").open("w")
    command = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={served}",
               f"--LabApp.workspaces_dir={home / 'workspaces'}",
               f"--LabApp.user_settings_dir={home / 'settings'}", "--allow-root"]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start; see {log.name}") from None
                time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser):
    """A new page in a browser context of its own (its own storage, nothing shared)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


@pytest.fixture
def page(browser):
    page = open_page(browser)
    yield page
    page.context.close()

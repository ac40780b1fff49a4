"""A real JupyterLab with the learner settings, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil

import nbformat
import pytest

from autograder.devtools.browser import CHROMIUM, TOKEN, chromium, free_port, jupyter_lab, open_page  # noqa: F401
from autograder.devtools.course import NOTEBOOKS, SOURCE, assignments
from autograder.devtools.submissions import build_submission, scenario_module

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
    with jupyter_lab(served, tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="session", params=assignments())
def solved_in_lab(request, browser, server):
    """A solved copy of a notebook, opened in JupyterLab, after Run All Cells: once per notebook for
    the whole browser suite (the explorer tests and the accessibility audit share it)."""
    from .jupyter_ui import open_notebook, run_all_cells

    assignment = request.param
    page = open_page(browser)
    open_notebook(page, server, f"{assignment}/{SOLVED}.ipynb")
    run_all_cells(page)
    yield assignment, page
    page.context.close()


@pytest.fixture
def page(browser):
    page = open_page(browser)
    yield page
    page.context.close()

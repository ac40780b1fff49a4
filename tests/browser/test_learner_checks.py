"""A learner's exercises in JupyterLab: Run All reaches the end whatever state they are in, each test
cell shows one verdict, and hints, solutions and progress appear when asked for."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from autograder.devtools.course import NOTEBOOKS, assignments

from .conftest import PARTLY, open_page
from .jupyter_ui import PNG_URL, explorer, open_notebook, run_all_cells, scan_cells, shown, widget_failures
from .test_notebooks import WIDGETS

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("COURSE_SCREENSHOTS")


def graded_cells(assignment: str) -> int:
    notebook = nbformat.read(NOTEBOOKS / assignment / f"{assignment}.ipynb", as_version=4)
    return sum(bool(c.metadata.get("nbgrader", {}).get("grade")) and c.cell_type == "code"
               for c in notebook.cells)


def shoot(locator, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        locator.scroll_into_view_if_needed()
        locator.page.wait_for_timeout(300)
        locator.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


@pytest.mark.parametrize("assignment", assignments())
def test_run_all_of_the_untouched_notebook_reaches_the_last_cell(browser, server, assignment):
    """Regression: Run All stopped at the first unsolved exercise (A.1 at cell 8 of 66)."""
    page = open_page(browser)
    try:
        open_notebook(page, server, f"{assignment}/{assignment}.ipynb")
        run_all_cells(page)
        page.locator(".jp-WindowedPanel-outer").first.evaluate("e => e.scrollTo(0, e.scrollHeight)")
        page.locator(".course-progress").wait_for(timeout=120_000)  # the last code cell ran
        cells = scan_cells(page)
        assert sum(c["errors"] for c in cells.values()) == 0
        verdicts = [v for c in cells.values() for v in c["verdict"]]
        assert len(verdicts) == graded_cells(assignment)
        assert all("course-verdict-not-attempted" in kind for kind, _ in verdicts), verdicts
        assert not any("Stuck?" in text or "Hint" in text for _, text in verdicts)  # no hint unasked
        (progress,) = [p for c in cells.values() for p in c["progress"]]
        assert f"0 of {graded_cells(assignment)} checked exercises pass" in progress
        assert widget_failures(page) == []
        _, label = WIDGETS[assignment][-1]  # the last explorer, far below the first exercise
        figure = shown(explorer(page, label))
        assert figure.src.startswith(PNG_URL) and figure.alt and figure.readout
        if assignment == "A2_calculus":
            shoot(page.locator(".course-verdict").first, "verdict-not-attempted")
    finally:
        page.context.close()


def test_a_partly_right_notebook_shows_each_verdict_a_hint_a_solution_and_progress(browser, server):
    assignment = "A2_calculus"
    page = open_page(browser)
    try:
        open_notebook(page, server, f"{assignment}/{PARTLY}.ipynb")
        run_all_cells(page)
        page.locator(".jp-WindowedPanel-outer").first.evaluate("e => e.scrollTo(0, e.scrollHeight)")
        page.locator(".course-progress").wait_for(timeout=120_000)
        cells = scan_cells(page)
        assert sum(c["errors"] for c in cells.values()) == 0
        kinds = [kind.split()[-1] for c in cells.values() for kind, _ in c["verdict"]]
        assert kinds.count("course-verdict-fail") == 2
        assert kinds.count("course-verdict-pass") == graded_cells(assignment) - 2
        failing = [text for c in cells.values() for kind, text in c["verdict"] if "fail" in kind]
        assert all("not yet" in text and "Traceback" not in text for text in failing), failing
        assert 'hint("taylor_polynomial")' in failing[0]
        wrong, right = page.locator(".course-verdict-fail"), page.locator(".course-verdict-pass")
        progress = page.locator(".course-progress")
        assert f"{graded_cells(assignment) - 2} of {graded_cells(assignment)} checked exercises pass" in \
            progress.inner_text()
        outputs = page.locator(".jp-Cell").last.locator(".jp-OutputArea-output")
        solution = outputs.first
        hint = page.locator(".jp-Cell").nth(-2).locator(".jp-OutputArea-output").first
        assert "Hint 1 of" in hint.inner_text()
        assert "Reference solution" in solution.inner_text()
        assert "def taylor_polynomial" in solution.inner_text()
        for locator, name in ((wrong.first, "verdict-wrong"), (right.first, "verdict-right"),
                              (hint, "hint"), (solution, "solution"), (progress, "progress")):
            shoot(locator, name)
    finally:
        page.context.close()

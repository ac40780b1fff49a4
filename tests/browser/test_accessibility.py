"""Every notebook is usable without a mouse or without sight: an axe-core audit of each notebook in
JupyterLab finds no critical or serious violation in the course's own content (its text, its
verdicts, its explorers), and the explorers speak: named controls, alt text that follows the state."""

from __future__ import annotations

import re

import nbformat
import pytest
from axe_playwright_python.sync_playwright import Axe

from autograder.devtools.course import SOURCE

from .jupyter_ui import EXPLORER, FIGURE, PNG_URL, reveal_all_cells

pytestmark = pytest.mark.browser
SERIOUS = {"critical", "serious"}

# For each violating element: is it the course's (a rendered markdown cell or a cell's output), or
# JupyterLab's own (toolbars, editors, the file browser)?
OWNER = """targets => targets.map(t => {
    const e = document.querySelector(t);
    return e && e.closest('.jp-MarkdownOutput, .jp-OutputArea') ? 'course' : 'jupyterlab';
})"""


def explorers_built(assignment: str) -> int:
    """How many explorers the notebook's code builds (``name = Explorer(``)."""
    notebook = nbformat.read(SOURCE / assignment / f"{assignment}.ipynb", as_version=4)
    return sum(len(re.findall(r"=\s*Explorer\(", cell.source)) for cell in notebook.cells
               if cell.cell_type == "code")


@pytest.fixture(scope="session")
def audited(solved_in_lab):
    """axe-core's violations in a solved notebook after Run All: (assignment, page, violations).

    Every explorer's figure is on the page first: a cell's execution count can arrive before its
    widget has rendered, and an audit (or a count) taken then would miss that explorer.
    """
    assignment, page = solved_in_lab
    reveal_all_cells(page)
    page.wait_for_function("([box, figure, png, n]) => [...document.querySelectorAll(box)]"
                           ".filter(e => e.querySelector(figure)?.src.startsWith(png)).length >= n",
                           arg=[EXPLORER, FIGURE, PNG_URL, explorers_built(assignment)])
    violations = Axe().run(page).response["violations"]
    for violation in violations:
        owners = page.evaluate(OWNER, [node["target"][0] for node in violation["nodes"]])
        violation["owners"] = owners
    return assignment, page, violations


def described(violations, owner):
    return [f"{v['id']} ({v['impact']}): {node['html'][:160]}"
            for v in violations for node, who in zip(v["nodes"], v["owners"], strict=True)
            if who == owner and v["impact"] in SERIOUS]


def test_the_notebooks_own_content_has_no_serious_accessibility_violation(audited):
    assignment, _, violations = audited
    assert described(violations, "course") == []
    # JupyterLab's own are not ours to fix here; they are printed for the record (pytest -rP).
    for line in described(violations, "jupyterlab"):
        print(f"{assignment}: JupyterLab itself: {line}")


def test_every_explorer_control_and_figure_is_named(audited):
    assignment, page, _ = audited
    explorers = page.locator(EXPLORER)
    assert explorers.count() == explorers_built(assignment) >= 2
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        title = explorer.locator(".course-explorer-title").text_content()
        assert explorer.get_attribute("aria-labelledby"), title
        figure = explorer.locator(FIGURE)
        assert len(figure.get_attribute("alt") or "") > 40, f"{title}: the figure has no real alt text"
        for control in explorer.locator("input, select").all():
            name = control.evaluate("e => e.labels && e.labels.length ? e.labels[0].textContent : ''")
            assert name.strip(), f"{title}: a control without a label: {control.evaluate('e => e.outerHTML')}"


def test_collapsible_sections_show_one_marker(audited):
    # The browser draws the disclosure triangle of <details>; a summary must not add its own.
    _, page, _ = audited
    for summary in page.locator(".jp-MarkdownOutput summary").all_inner_texts():
        assert not summary.lstrip().startswith(("▶", "▼", "►", "▸", "▾")), summary


def test_a_screen_reader_hears_the_figure_change(solved_in_lab):
    assignment, page = solved_in_lab
    if assignment != "A2_calculus":
        pytest.skip("the secant explorer is in A.2")
    explorer = page.locator(".course-explorer", has_text="Explorer: from secant to tangent")
    explorer.scroll_into_view_if_needed()
    slider = explorer.get_by_role("slider", name="step h", exact=True)
    slider.focus()
    slider.press("End")                  # h = 1, then down the 1-2-5 scale: 0.5, 0.2, 0.1 ... 1e-5
    page.wait_for_function("e => e.alt.includes('for h = 1,')", arg=explorer.locator("img").element_handle())
    assert slider.get_attribute("aria-valuetext") == "h = 1"
    for _ in range(15):
        slider.press("ArrowLeft")
    figure = explorer.locator("img.course-explorer-figure")
    page.wait_for_function("e => e.alt.includes('h = 1e-5')", arg=figure.element_handle())
    assert slider.get_attribute("aria-valuetext") == "h = 1e-5"
    assert explorer.locator(".course-explorer-readout").get_attribute("aria-live") == "polite"
    assert "h = 1e-5" in explorer.locator(".course-explorer-readout").inner_text()

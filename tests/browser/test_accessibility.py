"""Every notebook is usable without a mouse or without sight: an axe-core audit of each notebook in
JupyterLab finds no critical or serious violation in the course's own content (its text, its
verdicts, its explorers), and the explorers speak: named controls, alt text that follows the state."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from autograder.course import assignments

from .conftest import SOLVED, open_page
from .jupyter_ui import open_notebook, reveal_all_cells, run_all_cells

pytestmark = pytest.mark.browser
SERIOUS = {"critical", "serious"}

# For each violating element: is it the course's (a rendered markdown cell or a cell's output), or
# JupyterLab's own (toolbars, editors, the file browser)?
OWNER = """targets => targets.map(t => {
    const e = document.querySelector(t);
    return e && e.closest('.jp-MarkdownOutput, .jp-OutputArea') ? 'course' : 'jupyterlab';
})"""


@pytest.fixture(scope="module", params=assignments())
def audited(request, browser, server):
    """axe-core's violations in a solved notebook after Run All: (assignment, page, violations)."""
    assignment = request.param
    page = open_page(browser)
    open_notebook(page, server, f"{assignment}/{SOLVED}.ipynb")
    run_all_cells(page)
    reveal_all_cells(page)
    violations = Axe().run(page).response["violations"]
    for violation in violations:
        owners = page.evaluate(OWNER, [node["target"][0] for node in violation["nodes"]])
        violation["owners"] = owners
    yield assignment, page, violations
    page.context.close()


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
    _, page, _ = audited
    explorers = page.locator(".course-explorer")
    assert explorers.count() >= 2
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        title = explorer.locator(".course-explorer-title").text_content()
        assert explorer.get_attribute("aria-labelledby"), title
        figure = explorer.locator("img.course-explorer-figure")
        assert len(figure.get_attribute("alt") or "") > 40, f"{title}: the figure has no real alt text"
        for control in explorer.locator("input, select").all():
            name = control.evaluate("e => e.labels && e.labels.length ? e.labels[0].textContent : ''")
            assert name.strip(), f"{title}: a control without a label: {control.evaluate('e => e.outerHTML')}"


def test_collapsible_sections_show_one_marker(audited):
    # The browser draws the disclosure triangle of <details>; a summary must not add its own.
    _, page, _ = audited
    for summary in page.locator(".jp-MarkdownOutput summary").all_inner_texts():
        assert not summary.lstrip().startswith(("▶", "▼", "►", "▸", "▾")), summary


def test_a_screen_reader_hears_the_figure_change(browser, server):
    page = open_page(browser)
    try:
        open_notebook(page, server, f"A2_calculus/{SOLVED}.ipynb")
        run_all_cells(page)
        explorer = page.locator(".course-explorer", has_text="Explorer: from secant to tangent")
        explorer.scroll_into_view_if_needed()
        slider = explorer.get_by_role("slider", name="step h", exact=True)
        figure = explorer.locator("img.course-explorer-figure")
        before = figure.get_attribute("alt")
        assert slider.get_attribute("aria-valuetext") == "h = 0.5"
        slider.focus()
        for _ in range(14):  # from h = 0.5 down to h = 1e-5: fourteen steps of the 1-2-5 scale
            slider.press("ArrowLeft")
        page.wait_for_function("([e, old]) => e.alt !== old && e.alt.includes('h = 1e-5')",
                               arg=[figure.element_handle(), before])
        assert slider.get_attribute("aria-valuetext") == "h = 1e-5"
        assert explorer.locator(".course-explorer-readout").get_attribute("aria-live") == "polite"
        assert "h = 1e-5" in explorer.locator(".course-explorer-readout").inner_text()
    finally:
        page.context.close()

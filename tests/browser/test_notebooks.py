"""Every student notebook works for a learner in a real browser: JupyterLab, Notebook 7, Validate."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from autograder.course import assignments

from .conftest import SOLVED, open_page
from .jupyter_ui import (
    figure_of,
    menu_titles,
    open_notebook,
    press_on_slider,
    reveal_all_cells,
    run_all_cells,
    slider_handle,
    stderr_outputs,
    widget_box,
    widget_failures,
)

pytestmark = pytest.mark.browser

# The widgets of each notebook: (name for its screenshot, the label of the slider that drives it).
# Adding a notebook to the suite is one line here.
WIDGETS = {
    "A1_linear_algebra": [("matrix", "a₁₂ (row 1, col 2)"), ("lp-ball", "p")],
    "A2_calculus": [("taylor", "order n"), ("taylor-point", "expansion point a"),
                    ("secant", "step h (log10)")],
    "A3_probability": [("conditional", "rolls"), ("lln", "samples n")],
}

SCREENSHOTS = os.environ.get("COURSE_SCREENSHOTS")  # a folder: save a picture of each widget


def test_every_assignment_is_in_the_suite():
    assert sorted(WIDGETS) == assignments()


@pytest.fixture(scope="module", params=assignments())
def solved_in_lab(request, browser, server):
    """A solved copy of the notebook, opened in JupyterLab, after Run All Cells (once per notebook)."""
    assignment = request.param
    page = open_page(browser)
    open_notebook(page, server, f"{assignment}/{SOLVED}.ipynb")
    run_all_cells(page)
    yield assignment, page
    page.context.close()


def test_run_all_raises_no_error_and_every_widget_renders(solved_in_lab):
    assignment, page = solved_in_lab
    assert stderr_outputs(page) == []
    assert widget_failures(page) == []
    for _, label in WIDGETS[assignment]:
        image, text = figure_of(widget_box(page, label))
        assert image.startswith("data:image/png") and text.strip()


def test_moving_a_slider_with_the_keyboard_redraws_its_figure(solved_in_lab):
    assignment, page = solved_in_lab
    for name, label in WIDGETS[assignment]:
        box = widget_box(page, label)
        image, text = figure_of(box)
        press_on_slider(slider_handle(box, label))
        page.wait_for_function(
            "([box, old]) => { const img = box.querySelector('.widget-output img');"
            " return img && img.getAttribute('src') !== old; }",
            arg=[box.element_handle(), image],
        )
        new_image, new_text = figure_of(box)
        assert new_image != image, f"{label}: the figure did not change"
        assert new_text != text, f"{label}: the printed numbers did not change"
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            box.scroll_into_view_if_needed()
            page.wait_for_timeout(300)  # let the notebook settle where it scrolled to
            box.screenshot(path=str(Path(SCREENSHOTS) / f"{assignment}-{name}.png"))


def test_every_control_is_labelled_and_works_from_the_keyboard(solved_in_lab):
    assignment, page = solved_in_lab
    reveal_all_cells(page)
    controls = page.locator(".widget-slider, .widget-dropdown")
    assert controls.count() >= len(WIDGETS[assignment])
    for i in range(controls.count()):
        control = controls.nth(i)
        control.scroll_into_view_if_needed()
        label = control.locator(".widget-label").first.text_content().strip()
        assert label, f"control {i} has no label"
        target = control.locator("[role='slider'], select").first
        target.focus()
        assert target.evaluate("e => e === document.activeElement"), f"{label}: not focusable"
        if target.get_attribute("role") == "slider":
            before = target.get_attribute("aria-valuetext")
            press_on_slider(target)
            expect(target, f"{label}: keys do nothing").not_to_have_attribute("aria-valuetext", before)


def test_learners_see_validate_but_no_instructor_tools(page, server):
    open_notebook(page, server, f"{assignments()[0]}/{assignments()[0]}.ipynb")
    assert "Nbgrader" not in menu_titles(page)
    assert page.get_by_text("Create Assignment").count() == 0
    assert page.get_by_role("button", name="Validate").count() == 1


@pytest.mark.parametrize(("copy", "verdict"), [("blank", "The following cell failed"),
                                               ("solved", "Success! Your notebook passes all the tests")],
                         ids=["blank-fails", "solved-passes"])
def test_validate_button_judges_the_notebook(page, server, copy, verdict):
    assignment = assignments()[0]
    name = assignment if copy == "blank" else SOLVED
    open_notebook(page, server, f"{assignment}/{name}.ipynb")
    page.get_by_role("button", name="Validate").click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_contain_text(verdict, timeout=120_000)
    if copy == "blank":  # the check's verdict in words, not a traceback into the helpers
        expect(dialog).to_contain_text("not attempted yet")
        expect(dialog).not_to_contain_text("autograder/checks.py")


@pytest.mark.parametrize("assignment", assignments())
def test_notebook7_runs_the_notebook_and_renders_its_widgets(page, server, assignment):
    open_notebook(page, server, f"{assignment}/{SOLVED}.ipynb", app="notebooks")
    run_all_cells(page)
    assert stderr_outputs(page) == [] and widget_failures(page) == []
    _, label = WIDGETS[assignment][0]
    image, _ = figure_of(widget_box(page, label))
    assert image.startswith("data:image/png")

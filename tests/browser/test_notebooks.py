"""Every student notebook works for a learner in a real browser: JupyterLab, Notebook 7, Validate."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from autograder.devtools.course import assignments

from .conftest import SOLVED
from .jupyter_ui import (
    CONTROLS,
    EXPLORER,
    PNG_URL,
    control,
    drawn_for,
    explorer,
    explorer_of,
    menu_titles,
    open_notebook,
    press_on_slider,
    reveal_all_cells,
    run_all_cells,
    shown,
    stderr_outputs,
    wait_for_redraw,
    widget_failures,
)

pytestmark = pytest.mark.browser

# The explorers of each notebook: (name for its screenshot, the label of the slider that drives it).
# Adding a notebook to the suite is one line here.
WIDGETS = {
    "A1_linear_algebra": [("matrix", "a₁₂ (row 1, column 2)"), ("lp-ball", "p, the norm's exponent")],
    "A2_calculus": [("taylor", "order n"), ("taylor-point", "expansion point a"), ("secant", "step h")],
    "A3_probability": [("conditional", "simulated rolls"), ("lln", "samples n")],
}
LP_P = ["1", "1.25", "1.5", "2", "3", "4", "6", "10", "20", "50", "100", "∞"]  # the p the Lp explorer offers

SCREENSHOTS = os.environ.get("COURSE_SCREENSHOTS")  # a folder: save a picture of each explorer


def clean(text: str) -> bool:
    """A value read out as a person writes it: "1.55", "order 3", "h = 1e-5", "∞", never
    1.5499999999999998 or 0.30000000000000004."""
    return bool(text.strip()) and all(len(decimals) <= 4 for decimals in re.findall(r"\.(\d+)", text))


def test_every_assignment_is_in_the_suite():
    assert sorted(WIDGETS) == assignments()


def test_run_all_raises_no_error_and_every_explorer_renders(solved_in_lab):
    assignment, page = solved_in_lab
    assert stderr_outputs(page) == []
    assert widget_failures(page) == []
    titles = set()
    for _, label in WIDGETS[assignment]:
        box = explorer(page, label)
        now = shown(box)
        assert now.frames >= 1 and now.alt.strip() and now.readout.strip() and all(now.state)
        assert box.get_attribute("role") == "group"
        title = box.locator(f"#{box.get_attribute('aria-labelledby')}").text_content()
        assert title.startswith("Explorer: ")
        expect(page.get_by_role("group", name=title, exact=True)).to_have_count(1)
        titles.add(title)
    # every explorer of the notebook is in WIDGETS, and each shows a figure
    reveal_all_cells(page)
    boxes = page.locator(EXPLORER)
    assert boxes.count() == len(titles)
    for i in range(boxes.count()):
        assert shown(boxes.nth(i)).src.startswith(PNG_URL)


def test_moving_a_slider_with_the_keyboard_redraws_its_figure(solved_in_lab):
    assignment, page = solved_in_lab
    for name, label in WIDGETS[assignment]:
        box = explorer(page, label)
        slider = control(box, label)
        before = shown(box)
        text_before = slider.get_attribute("aria-valuetext")
        press_on_slider(slider)
        after = wait_for_redraw(box, before)
        if label == "order n":  # sin's order-4 Taylor polynomial around 0 is its order-3 one: same picture
            assert after.caption != before.caption and "order-4" in after.caption, after.caption
        else:
            assert after.src != before.src, f"{label}: the figure did not change"
        assert after.readout != before.readout, f"{label}: the printed numbers did not change"
        assert after.alt != before.alt, f"{label}: the alt text did not change"
        words = slider.get_attribute("aria-valuetext")
        assert words != text_before and clean(words), (label, text_before, words)
        # the figure was drawn for the value the slider reads out
        assert drawn_for(box, slider, after) == words, (label, words, after.state)
        if label == "p, the norm's exponent":
            assert words in LP_P and after.readout.rstrip().endswith(f"for p = {words}")
            assert f"the unit sphere for p = {words}," in after.alt
        elif label == "step h":
            assert after.readout.startswith(f"{words}:"), (words, after.readout)
        if SCREENSHOTS:
            Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
            box.scroll_into_view_if_needed()
            page.wait_for_timeout(300)  # let the notebook settle where it scrolled to
            box.screenshot(path=str(Path(SCREENSHOTS) / f"{assignment}-{name}.png"))


def test_every_control_is_labelled_and_works_from_the_keyboard(solved_in_lab):
    assignment, page = solved_in_lab
    reveal_all_cells(page)
    controls = page.locator(f"{EXPLORER} :is({CONTROLS})")
    assert controls.count() >= len(WIDGETS[assignment])
    for i in range(controls.count()):
        target = controls.nth(i)
        target.scroll_into_view_if_needed()
        element_id = target.get_attribute("id")
        label = page.locator(f"label[for='{element_id}']").text_content().strip()
        assert label, f"control {i} has no label"
        is_slider = target.get_attribute("type") == "range"
        # the label is the control's accessible name: the role and the name find this control
        named = page.get_by_role("slider" if is_slider else "combobox", name=label, exact=True)
        assert named.evaluate_all("(found, id) => found.map(e => e.id)", element_id) == [element_id], label
        target.focus()
        assert target.evaluate("e => e === document.activeElement"), f"{label}: not focusable"
        box = explorer_of(target)
        before = shown(box)
        if is_slider:
            words = target.get_attribute("aria-valuetext")
            assert clean(words), (label, words)
            press_on_slider(target)
            expect(target, f"{label}: keys do nothing").not_to_have_attribute("aria-valuetext", words)
            moved = target.get_attribute("aria-valuetext")
            assert clean(moved), (label, moved)
        else:
            options = target.locator("option").all_text_contents()
            chosen = target.evaluate("e => e.value")
            target.press("ArrowDown" if chosen != options[-1] else "ArrowUp")
            expect(target, f"{label}: keys do nothing").not_to_have_value(chosen)
        after = wait_for_redraw(box, before)
        assert after.alt != before.alt, f"{label}: the alt text did not change"
        now = target.get_attribute("aria-valuetext") if is_slider else target.evaluate("e => e.value")
        assert drawn_for(box, target, after) == now, (label, now, after.state)


def test_the_lp_slider_reads_out_the_p_it_draws(solved_in_lab):
    assignment, page = solved_in_lab
    if assignment != "A1_linear_algebra":
        pytest.skip("the Lp explorer is in A1_linear_algebra")
    box = explorer(page, "p, the norm's exponent")
    slider = page.get_by_role("slider", name="p, the norm's exponent", exact=True)
    for key, want in (("End", "∞"), ("Home", "1"), ("ArrowRight", "1.25")):
        before = shown(box)
        slider.focus()
        slider.press(key)
        expect(slider).to_have_attribute("aria-valuetext", want)
        after = wait_for_redraw(box, before)
        assert after.readout.rstrip().endswith(f"for p = {want}") and drawn_for(box, slider, after) == want


def test_a_matrix_preset_button_sets_the_sliders_and_redraws(solved_in_lab):
    assignment, page = solved_in_lab
    if assignment != "A1_linear_algebra":
        pytest.skip("the matrix explorer is in A1_linear_algebra")
    box = explorer(page, "a₁₂ (row 1, column 2)")
    for preset in ("identity", "rotation by 90°", "shear", "reflection", "projection (singular)",
                   "symmetric"):
        expect(box.get_by_role("button", name=f"set the controls to {preset}", exact=True)).to_have_count(1)
    for preset, matrix, a12 in (("shear", "[[1.00, 1.00], [0.00, 1.00]]", "1.00"),
                                ("projection (singular)", "[[1.00, 0.00], [0.00, 0.00]]", "0.00")):
        before = shown(box)
        box.get_by_role("button", name=f"set the controls to {preset}", exact=True).click()
        after = wait_for_redraw(box, before)
        assert after.readout.startswith(f"A = {matrix}") and f"A = {matrix}" in after.alt
        expect(control(box, "a₁₂ (row 1, column 2)")).to_have_attribute("aria-valuetext", a12)


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
        expect(dialog).not_to_contain_text("autograder/learner/checks.py")


def test_notebook7_runs_a_notebook_renders_its_explorers_and_moves_a_slider_by_keyboard(page, server):
    # One notebook is enough here: the explorers are one widget, and JupyterLab runs every notebook
    # above. Notebook 7 reads shortcuts in another phase of the key press than JupyterLab does.
    assignment = assignments()[0]
    open_notebook(page, server, f"{assignment}/{SOLVED}.ipynb", app="notebooks")
    run_all_cells(page)
    assert stderr_outputs(page) == [] and widget_failures(page) == []
    for _, label in WIDGETS[assignment]:
        now = shown(explorer(page, label))
        assert now.src.startswith(PNG_URL)
        assert now.alt.strip() and now.readout.strip() and all(now.state)
    _, label = WIDGETS[assignment][0]
    expect(page.get_by_label(label, exact=True)).to_have_count(1)
    box = explorer(page, label)
    before = shown(box)
    slider = control(box, label)
    words = slider.get_attribute("aria-valuetext")
    press_on_slider(slider)
    expect(slider, "the arrow key did not reach the slider").not_to_have_attribute("aria-valuetext", words)
    assert wait_for_redraw(box, before).alt != before.alt

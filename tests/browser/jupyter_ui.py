"""What a learner does in JupyterLab and Notebook 7, as Playwright steps."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

from autograder.devtools.browser import open_notebook, run_all_cells  # noqa: F401 (the tests' steps too)

STDERR = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
WIDGET_FAILURES = ("Error displaying widget", "model not found")


def reveal_all_cells(page: Page) -> None:
    """Scroll through the whole notebook once, so that every cell and explorer is rendered.

    JupyterLab renders cells lazily as they come into view, and so does Notebook 7.
    """
    scroller = page.locator(".jp-WindowedPanel-outer").first
    height = scroller.evaluate("e => e.scrollHeight")
    for top in range(0, height + 800, 800):
        scroller.evaluate("(e, top) => e.scrollTo(0, top)", top)
        page.wait_for_timeout(100)


CELL_OUTPUTS = """cells => Object.fromEntries(cells.map(cell => [
    cell.closest('[data-windowed-list-index]')?.dataset.windowedListIndex ?? cell.dataset.windowedListIndex,
    {verdict: [...cell.querySelectorAll('.course-verdict')].map(v => [v.className, v.textContent]),
     errors: cell.querySelectorAll(".jp-OutputArea-output[data-mime-type$='.error'],"
                                   + ".jp-OutputArea-output[data-mime-type$='.stderr']").length,
     progress: [...cell.querySelectorAll('.course-progress')].map(p => p.textContent)}]))"""


def scan_cells(page: Page) -> dict[str, dict]:
    """What every cell shows (its verdicts, error outputs, progress table), by the cell's index.

    JupyterLab attaches only the cells near the viewport, so the notebook is scrolled through and
    each cell read while it is on the page.
    """
    scroller = page.locator(".jp-WindowedPanel-outer").first
    found: dict[str, dict] = {}
    top, height = 0, scroller.evaluate("e => e.scrollHeight")
    while top <= height + 800:
        scroller.evaluate("(e, top) => e.scrollTo(0, top)", top)
        page.wait_for_timeout(100)
        found.update(page.locator(".jp-Notebook .jp-Cell").evaluate_all(CELL_OUTPUTS))
        top, height = top + 600, scroller.evaluate("e => e.scrollHeight")  # grows as outputs render
    return found


def stderr_outputs(page: Page) -> list[str]:
    """Text of every error or stderr output (tracebacks and warnings alike)."""
    return page.locator(STDERR).all_text_contents()


def widget_failures(page: Page) -> list[str]:
    html = page.content()
    return [text for text in WIDGET_FAILURES if text in html]


EXPLORER = ".course-explorer"
FIGURE = "img.course-explorer-figure"
READOUT = "pre.course-explorer-readout"
CAPTION = "div.course-explorer-caption"
PNG_URL = "data:image/png;base64,"  # how every explorer figure's src begins
CONTROLS = "input[type='range'], select"


@dataclass(frozen=True)
class Shown:
    """What an explorer shows on the page now: its figure, the figure in words, its caption and the
    numbers."""

    src: str  # the figure as a data: URL (a PNG)
    alt: str
    caption: str  # the figure's changing title, as page text above it ("" for a figure without)
    state: list[str]  # the controls' values the figure was drawn for, in their words (data-state)
    frames: int  # how many frames the <img> has shown (data-frames)
    readout: str


def explorer(page: Page, label: str) -> Locator:
    """The explorer (a group named by its title) that holds the control labelled ``label``."""
    box = page.locator(EXPLORER).filter(has=page.get_by_label(label, exact=True)).first
    box.scroll_into_view_if_needed()
    return box


def explorer_of(target: Locator) -> Locator:
    """The explorer a control (or any element in it) belongs to."""
    return target.locator("xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '),"
                          " ' course-explorer ')][1]")


def control(box: Locator, label: str) -> Locator:
    """The native control (``<input type="range">`` or ``<select>``) a ``<label>`` names."""
    return box.get_by_label(label, exact=True)


def shown(box: Locator) -> Shown:
    """What an explorer shows, once its figure has loaded."""
    figure = box.locator(FIGURE)
    expect(figure).to_have_attribute("src", re.compile("^" + re.escape(PNG_URL)))
    expect(figure).to_have_attribute("data-frames", re.compile(r"^[1-9]\d*$"))
    return Shown(src=figure.get_attribute("src"), alt=figure.get_attribute("alt") or "",
                 caption=box.locator(CAPTION).text_content() or "",
                 state=(figure.get_attribute("data-state") or "").split(" | "),
                 frames=int(figure.get_attribute("data-frames")),
                 readout=box.locator(READOUT).text_content() or "")


def drawn_for(box: Locator, target: Locator, now: Shown) -> str:
    """The value, in its words, that the figure ``now`` shows for one control of the explorer."""
    ids = box.locator(CONTROLS).evaluate_all("found => found.map(e => e.id)")
    assert len(ids) == len(now.state), (ids, now.state)
    return now.state[ids.index(target.get_attribute("id"))]


def press_on_slider(slider: Locator) -> None:
    """Move a range input one step with the keyboard: right, or left when it is at its maximum."""
    slider.focus()
    at_max = slider.evaluate("e => e.value === e.max")
    slider.press("ArrowLeft" if at_max else "ArrowRight")


def wait_for_redraw(box: Locator, before: Shown) -> Shown:
    """Wait until the explorer shows a newer frame than ``before`` (a frame counted, new numbers), and
    return it. Its picture may be the one before: sin's order-4 Taylor polynomial around 0 is its
    order-3 one."""
    box.page.wait_for_function(
        """([box, frames, readout]) => {
            const img = box.querySelector('img.course-explorer-figure');
            const text = box.querySelector('pre.course-explorer-readout').textContent;
            return img && Number(img.dataset.frames) > frames && text !== readout; }""",
        arg=[box.element_handle(), before.frames, before.readout],
    )
    return shown(box)


def menu_titles(page: Page) -> list[str]:
    return [t.strip() for t in page.locator(".lm-MenuBar-itemLabel").all_text_contents()]

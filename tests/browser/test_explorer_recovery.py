"""An explorer whose request goes unanswered asks again, so its figure catches up with its controls."""

import nbformat
import pytest
from playwright.sync_api import expect

from .jupyter_ui import explorer, open_notebook, run_all_cells

pytestmark = pytest.mark.browser

# An explorer whose kernel side drops the first request it gets, as a lost message would.
FORGETFUL = '''
from matplotlib.figure import Figure
from autograder.explorer import Explorer, Frame, Slider

figure = Figure(figsize=(3, 1.5))
(line,) = figure.add_subplot().plot([0, 1], [0, 0.5])

def draw(k):
    line.set_ydata([0, k])
    return Frame(readout=f"k = {k:.1f}", alt=f"a line rising to {k:.1f}")

class Forgetful(Explorer):
    dropped = 0

    def _on_request(self, widget, content, buffers):
        if not self.dropped:
            self.dropped += 1
            return
        super()._on_request(widget, content, buffers)

Forgetful(draw, figure, [Slider("k", "rise k", 0.0, 1.0, 0.1, 0.5)], title="Explorer: forgetful",
          animated=[line])
'''


def test_an_unanswered_request_is_asked_again_and_the_figure_catches_up(page, server, served):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FORGETFUL)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, served / "forgetful.ipynb")
    warnings = []
    page.on("console", lambda message: message.type == "warning" and warnings.append(message.text))
    open_notebook(page, server, "forgetful.ipynb")
    run_all_cells(page)
    box = explorer(page, "rise k")
    expect(box.locator("pre.course-explorer-readout")).to_have_text("k = 0.5")
    box.get_by_label("rise k", exact=True).press("ArrowRight")   # the kernel drops this request
    expect(box.locator("pre.course-explorer-readout")).to_have_text("k = 0.6", timeout=15_000)
    expect(box.locator("img.course-explorer-figure")).to_have_attribute("alt", "a line rising to 0.6")
    assert any("Explorer: forgetful: no frame within 5000 ms, asking again" in text for text in warnings)

"""Every explorer's figure: what the fast redraw shows is what matplotlib draws, and its text is
readable (4.5:1 contrast against the figure, WCAG's AA level for text)."""

import json

import pytest

from autograder.devtools.course import SOURCE, assignments
from autograder.devtools.kernel import KernelSession

pytestmark = pytest.mark.slow

# Settings per explorer that move every animated artist (and, for some, the axes too).
MOVES = {
    "lp_explorer": [{"p": 1.0, "x1": -0.5}, {"p": float("inf"), "x2": 1.5}],
    "matrix_explorer": [{"a11": -1.0, "a12": 2.0}, {"a11": 1.0, "a12": 0.0, "a21": 0.0, "a22": 0.0}],
    "secant_explorer": [{"h": 1e-8, "x0": 2.5}, {"h": 1.0}],
    "taylor_explorer": [{"name": "exp(x)", "order": 6}, {"name": "ln(1 + x)", "a": 1.5}],
    "cond_explorer": [{"name_A": "doubles", "n": 100_000}, {"name_B": "sum is 7", "n": 100}],
    "lln_explorer": [{"a": -3.0, "b": -2.0, "n": 20_000}, {"b": 3.0, "n": 10}],
}

COMPARE = """
import io, json
import numpy as np
from PIL import Image
def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
def _differing(explorer, changes):
    explorer.set(**changes)
    fast = _pixels(explorer.image)
    buffer = io.BytesIO()
    explorer._figure.savefig(buffer, format="png", dpi=explorer._figure.dpi)   # draws everything
    full = _pixels(buffer.getvalue())
    return float(np.mean(np.any(np.abs(fast - full) > 40, axis=-1)))
"""

CONTRAST = """
import json
from matplotlib.colors import to_rgb
from matplotlib.text import Text
def _luminance(colour):
    c = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in to_rgb(colour)]
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
def _low_contrast(figure):
    background = _luminance(figure.get_facecolor())
    found = []
    for text in figure.findobj(Text):
        if text.get_text().strip() and text.get_visible():
            ink = _luminance(text.get_color())
            ratio = (max(ink, background) + 0.05) / (min(ink, background) + 0.05)
            if ratio < 4.5:
                found.append([text.get_text(), round(ratio, 2)])
    return found
"""


@pytest.fixture(scope="module", params=assignments())
def notebook(request):
    path = SOURCE / request.param / f"{request.param}.ipynb"
    with KernelSession(path.parent) as session:
        session.run_notebook(path)
        session.run(COMPARE + CONTRAST)
        names = session.json("[n for n, v in dict(globals()).items() if type(v).__name__ == 'Explorer'"
                             " and not n.startswith('_')]")
        yield session, names


def test_every_explorer_is_exercised_here(notebook):
    _, names = notebook
    assert names and set(names) <= set(MOVES)


def test_the_fast_redraw_draws_what_matplotlib_draws(notebook):
    session, names = notebook
    for name in names:
        for changes in MOVES[name]:
            share = session.json(f"_differing({name}, json.loads({json.dumps(json.dumps(changes))}))")
            # Only where an animated artist crosses a spine or a tick (drawn later in a full draw)
            assert share < 0.003, f"{name} at {changes}: {share:.2%} of the pixels differ"


def test_text_in_every_figure_is_readable(notebook):
    session, names = notebook
    for name in names:
        assert session.json(f"_low_contrast({name}._figure)") == [], name

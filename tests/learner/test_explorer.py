"""The explorer widget's kernel side: controls snap to their grids, requests are always answered,
and a frame is redrawn only from what its drawing function returns."""

import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from autograder.learner.explorer import Choice, Explorer, Frame, Slider, Steps


def explorer(draw=None, **kwargs):
    figure = Figure(figsize=(4, 3), dpi=50)
    ax = figure.add_subplot()
    (line,) = ax.plot([], [])
    ax.set(xlim=(0, 1), ylim=(-1, 1))

    def sine(k, p, f):
        x = np.linspace(0, 1, 50)
        line.set_data(x, np.sin(k * x) / (1 if f == "plain" else 2))
        return Frame(readout=f"k = {k}, p = {p}, f = {f}", alt=f"a sine of frequency {k}")

    controls = [Slider("k", "frequency k", 0.0, 10.0, 0.05, 1.0),
                Steps("p", "p", [("1", 1.0), ("2", 2.0), ("∞", np.inf)], 2.0),
                Choice("f", "function", ["plain", "half"], "plain")]
    return Explorer(draw or sine, figure, controls, title="test explorer", animated=[line], **kwargs)


def test_a_slider_snaps_to_its_grid_and_reads_as_written():
    slider = Slider("a", "a", -2.0, 2.0, 0.05, 0.0)
    assert slider.snap(1.5499999999999998) == 1.55 and repr(slider.snap(0.35000000001)) == "0.35"
    assert slider.snap(7) == 2.0 and slider.snap(-7) == -2.0
    assert Slider("n", "n", 10, 20_000, 10, 1000).snap(1234.4) == 1230
    assert isinstance(Slider("n", "n", 0, 10, 1, 3).snap(4.2), int)


def test_steps_take_the_nearest_option_and_choices_refuse_others():
    steps = Steps("h", "h", [("1e-8", 1e-8), ("1e-5", 1e-5), ("1", 1.0)], 1e-5)
    assert steps.snap(2e-6) == 1e-5 and steps.snap(1e-7) == 1e-8 and steps.index(1.0) == 2
    with pytest.raises(ValueError, match="not one of"):
        Choice("f", "f", ["a", "b"], "a").snap("c")


def test_the_first_frame_is_drawn_and_described():
    widget = explorer()
    assert widget.readout == "k = 1.0, p = 2.0, f = plain" and widget.alt == "a sine of frequency 1.0"
    assert Image.open(io.BytesIO(widget.image)).size == (200, 150)
    assert widget.values == {"k": 1.0, "p": 1, "f": "plain"}  # a Steps control sends its index


def test_set_snaps_redraws_and_returns_the_frame():
    widget = explorer()
    before = widget.image
    frame = widget.set(k=2.3000000001)
    assert frame.readout.startswith("k = 2.3,") and widget["k"] == 2.3 and widget.image != before
    with pytest.raises(TypeError, match="no control named q"):
        widget.set(q=1)


def test_a_request_from_the_page_is_answered_with_its_id():
    widget = explorer()
    widget._on_request(widget, {"type": "draw", "values": {"k": 4.0, "p": 2, "f": "half"}, "id": 7}, [])
    assert widget.frame == 7 and widget.readout == "k = 4.0, p = inf, f = half"


def test_a_bad_request_is_answered_too_so_the_page_never_waits_forever():
    widget = explorer()
    widget._on_request(widget, {"type": "draw", "values": {"f": "no such choice"}, "id": 9}, [])
    assert widget.frame == 9 and widget.readout.startswith("could not draw this frame: ValueError")
    widget._on_request(widget, {"type": "draw", "values": {"k": 5.0}, "id": 10}, [])
    assert widget.frame == 10 and widget.readout.startswith("k = 5.0")  # still works


def test_a_drawing_function_must_return_a_frame():
    with pytest.raises(TypeError, match="must return a Frame"):
        explorer(draw=lambda k, p, f: "k")


def test_adjust_may_move_other_controls_before_the_frame_is_drawn():
    widget = explorer(adjust=lambda values, changed: {**values, "p": 1.0} if changed == "k" else values)
    widget.set(k=3.0)
    assert widget["p"] == 1.0 and widget.values["p"] == 0


def test_set_range_gives_a_slider_new_ends_and_keeps_its_value_inside():
    widget = explorer()
    widget.set(k=9.0)
    widget.set_range("k", 0.0, 5.0)
    assert widget["k"] == 5.0 and widget.controls[0]["high"] == 5.0


def test_the_png_of_a_frame_decodes_to_exactly_the_pixels_drawn():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from autograder.learner.explorer import encode_png

    figure = Figure(figsize=(3.3, 2.1), dpi=80)  # an odd size: rows not a multiple of anything
    figure.add_subplot().plot([0, 1, 2], [2, 0, 1], color="#0072B2")
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    decoded = np.asarray(Image.open(io.BytesIO(encode_png(canvas))).convert("RGBA"))
    assert decoded.shape == (168, 264, 4)
    assert np.array_equal(decoded, np.asarray(canvas.buffer_rgba()))

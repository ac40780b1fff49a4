"""The notebooks' explorers: controls, a matplotlib figure redrawn by NumPy code, and words for it.

An explorer is one widget (an anywidget: its front end is ``explorer.js`` beside this file, shipped
with the package, no JupyterLab build needed). The notebook gives it a drawing function, which
updates a matplotlib figure the notebook built and returns what the figure now shows in words::

    def draw_secant(h, x0):
        ...                                   # NumPy computes, matplotlib artists are updated
        return Frame(readout="slope = ...", alt="A sine curve with a secant ...")

    secant_explorer = Explorer(draw_secant, secant_fig, [Steps("h", "step h", H_STEPS, 0.5),
                                                         Slider("x0", "point x", -0.5, 3.0, 0.05, 1.0)])

Why not ``interactive_output``: measured in Chromium, every key press on an ipywidgets slider queued
a full redraw in the kernel (a busy machine fell a second behind the hand), and a slider handle there
has no accessible name. Here the front end keeps at most one redraw in flight and sends only the
newest values when it returns (stale values are dropped, never queued); the figure travels as PNG
bytes into one ``<img>`` whose alt text is the frame's description; every control is a native
``<input type="range">`` or ``<select>`` with a ``<label>``, read out as a person writes the value.
"""

from __future__ import annotations

import math
import struct
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import traitlets

__all__ = ["Choice", "Explorer", "Frame", "Slider", "Steps"]


@dataclass(frozen=True)
class Frame:
    """What a drawing function returns: the numbers to print under the figure, the figure in words,
    and its caption: a title that changes with the controls, shown as text above the figure.

    A changing title belongs in the caption, not in the figure: text is the costliest thing a frame
    draws (one title of 50 characters took 10-15 ms in Agg here, against 3 ms to encode the whole
    frame), and text in the page is read by screen readers, text in an image is not."""

    readout: str
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Slider:
    """A number from ``low`` to ``high`` in steps of ``step``; ``unit`` follows the value in its readout."""

    name: str
    label: str
    low: float
    high: float
    step: float
    value: float
    unit: str = ""
    kind: str = field(default="slider", init=False)

    @property
    def decimals(self) -> int:
        return max(0, -Decimal(str(self.step)).normalize().as_tuple().exponent)

    def snap(self, value: float) -> float | int:
        """The nearest value on the slider's grid, written with the step's decimals (0.05 -> 1.55,
        never 1.5499999999999998); an integer when the step is."""
        steps = round((float(value) - self.low) / self.step)
        steps = min(max(steps, 0), round((self.high - self.low) / self.step))
        snapped = round(self.low + steps * self.step, self.decimals)
        return int(snapped) if self.decimals == 0 and float(self.step).is_integer() else snapped

    def spec(self) -> dict[str, Any]:
        return {**asdict(self), "decimals": self.decimals}


@dataclass(frozen=True)
class Steps:
    """One of a few values in order, each with the words it is read as (p = 1, 1.5, …, ∞; h = 1e-5)."""

    name: str
    label: str
    options: Sequence[tuple[str, Any]]
    value: Any
    kind: str = field(default="steps", init=False)

    def snap(self, value: Any) -> Any:
        values = [v for _, v in self.options]
        if value in values:
            return value
        if isinstance(value, int | float):  # the nearest option (on a log scale for positive ones)
            def distance(option):
                if option > 0 and value > 0:
                    return abs(math.log(option) - math.log(value))
                return abs(option - value)
            return min(values, key=distance)
        raise ValueError(f"{self.name}: {value!r} is not one of {values}")

    def spec(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "label": self.label,
                "labels": [text for text, _ in self.options], "value": self.index(self.value)}

    def index(self, value: Any) -> int:
        return [v for _, v in self.options].index(self.snap(value))


@dataclass(frozen=True)
class Choice:
    """One of a few named choices, as a drop-down list."""

    name: str
    label: str
    options: Sequence[str]
    value: str
    kind: str = field(default="choice", init=False)

    def snap(self, value: str) -> str:
        if value not in self.options:
            raise ValueError(f"{self.name}: {value!r} is not one of {list(self.options)}")
        return value

    def spec(self) -> dict[str, Any]:
        return {**asdict(self), "options": list(self.options)}


Control = Slider | Steps | Choice


class Explorer(anywidget.AnyWidget):
    """Controls, the figure ``draw`` updates, the readout and alt text it returns (see the module)."""

    _esm = Path(__file__).with_name("explorer.js")
    _css = Path(__file__).with_name("explorer.css")

    controls = traitlets.List().tag(sync=True)        # each control's spec, for the front end
    values = traitlets.Dict().tag(sync=True)          # name -> position (a Steps control: its index)
    presets = traitlets.List().tag(sync=True)         # [label, {name: value}] buttons
    key = traitlets.Unicode("").tag(sync=True)        # HTML: what each line style and colour means
    title = traitlets.Unicode("").tag(sync=True)      # what the explorer is, for its group's name
    image = traitlets.Bytes(b"").tag(sync=True)       # the figure, as PNG
    alt = traitlets.Unicode("").tag(sync=True)
    readout = traitlets.Unicode("").tag(sync=True)
    caption = traitlets.Unicode("").tag(sync=True)    # the figure's changing title, above it
    frame = traitlets.Int(0).tag(sync=True)           # the front end's request this frame answers
    width = traitlets.Int(0).tag(sync=True)           # the figure's size in pixels: the page
    height = traitlets.Int(0).tag(sync=True)          # keeps its place before the first frame
    draw_ms = traitlets.Float(0.0).tag(sync=True)     # how long the last frame took in the kernel

    def __init__(self, draw: Callable[..., Frame], figure, controls: Sequence[Control], *,
                 title: str, animated: Sequence = (), key: str = "",
                 presets: dict[str, dict[str, Any]] | None = None,
                 adjust: Callable[[dict, str], dict] | None = None):
        """``animated``: the artists ``draw`` changes (lines, patches, texts); the rest of the figure
        is drawn once and reused until an axis changes its limits or ticks (see :class:`Renderer`).
        ``adjust(values, changed)`` may return other values before a frame is drawn (e.g. keep
        a < b when ``changed`` pushed one end past the other)."""
        self._draw, self._figure, self._adjust = draw, figure, adjust
        self._renderer = Renderer(figure, animated)
        self._controls = {control.name: control for control in controls}
        self._current = {control.name: control.snap(control.value) for control in controls}
        width, height = figure.get_size_inches() * figure.dpi
        super().__init__(controls=[c.spec() for c in controls], key=key, title=title,
                         presets=[[label, dict(values)] for label, values in (presets or {}).items()],
                         width=round(width), height=round(height))
        self.on_msg(self._on_request)
        self.set()

    # --- what a notebook cell (or a test) does --------------------------------------------------
    def set(self, **changes: Any) -> Frame:
        """Move controls to these values (snapped to their grids), redraw, and return the frame."""
        unknown = set(changes) - set(self._controls)
        if unknown:
            raise TypeError(f"no control named {', '.join(sorted(unknown))}; "
                            f"the controls are {', '.join(self._controls)}")
        values = dict(self._current)
        for name, value in changes.items():
            values[name] = self._controls[name].snap(value)
        return self._redraw(values, next(iter(changes), ""))

    def __getitem__(self, name: str) -> Any:
        """The value a control is at now: ``matrix_explorer["a12"]``."""
        return self._current[name]

    def set_range(self, name: str, low: float, high: float) -> None:
        """Give a slider new ends (the expansion point's range follows the function chosen). Call it
        from ``adjust``, or follow it with :meth:`set`: it moves the value inside but draws nothing."""
        old = self._controls[name]
        if (old.low, old.high) == (low, high):
            return
        self._controls[name] = Slider(old.name, old.label, low, high, old.step,
                                      old.snap(min(max(self._current[name], low), high)), old.unit)
        self._current[name] = self._controls[name].snap(self._current[name])
        self.controls = [c.spec() for c in self._controls.values()]

    # --- the redraw ------------------------------------------------------------------------------
    def _on_request(self, _widget, content, _buffers) -> None:
        """The front end asks for a frame: {"values": {name: position}, "id": n}. Always answered
        (with the error in the readout if drawing failed), so its one request in flight returns."""
        if not isinstance(content, dict) or content.get("type") != "draw":
            return
        try:
            values = dict(self._current)
            changed = ""
            for name, position in dict(content.get("values", {})).items():
                control = self._controls.get(name)
                if control is None:
                    continue
                value = control.options[int(position)][1] if isinstance(control, Steps) else position
                value = control.snap(value)
                if value != values[name]:
                    values[name], changed = value, name
            self._redraw(values, changed, request=int(content.get("id", 0)))
        except Exception as error:  # noqa: BLE001 - the learner sees it; the widget stays usable
            with self.hold_sync():
                self.readout = f"could not draw this frame: {type(error).__name__}: {error}"
                self.frame = int(content.get("id", 0)) if isinstance(content, dict) else 0

    def _redraw(self, values: dict[str, Any], changed: str, request: int | None = None) -> Frame:
        start = time.perf_counter()
        if self._adjust is not None:
            values = {name: self._controls[name].snap(v)
                      for name, v in self._adjust(dict(values), changed).items()}
        frame = self._draw(**values)
        if not isinstance(frame, Frame):
            raise TypeError(f"{self._draw.__name__} must return a Frame(readout=..., alt=...)")
        png = self._renderer.png()
        self._current = values
        with self.hold_sync():
            self.values = {name: (control.index(values[name]) if isinstance(control, Steps)
                                  else values[name]) for name, control in self._controls.items()}
            self.image, self.alt, self.readout, self.caption = png, frame.alt, frame.readout, frame.caption
            self.draw_ms = (time.perf_counter() - start) * 1e3
            if request is not None:
                self.frame = request
        return frame

    def _repr_mimebundle_(self, **kwargs):
        """A kernel without a front end (nbconvert, a text console) still shows the numbers."""
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):
            data, metadata = bundle
        else:
            data, metadata = bundle, {}
        words = [self.title, self.caption, self.readout]
        data = {**data, "text/plain": "\n".join(word for word in words if word)}
        return data, metadata


BACKGROUNDS_KEPT = 6


class Renderer:
    """Draws a figure to PNG bytes, redrawing only its animated artists when nothing else changed.

    Measured here, drawing a whole figure of these notebooks takes 18-45 ms, almost all of it axes,
    ticks and labels that stay put while a slider moves. So the still part is drawn once with
    Agg and kept as a bitmap (matplotlib's blitting: ``copy_from_bbox``/``restore_region``); a frame
    restores it and draws the animated artists over it. A new bitmap is drawn when an axis's
    limits or ticks change (the last few are kept). Saving the figure (``savefig``, the static
    figures) draws everything.
    """

    def __init__(self, figure, animated: Sequence = ()):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.figure = figure
        if not isinstance(figure.canvas, FigureCanvasAgg):
            FigureCanvasAgg(figure)
        self.animated = sorted(animated, key=lambda artist: artist.get_zorder())
        for artist in self.animated:
            artist.set_animated(True)
        self._backgrounds: dict[tuple, Any] = {}     # still state -> its bitmap, newest last

    def _still_state(self) -> tuple:
        # What the still bitmap depends on that a drawing function may change.
        return tuple((tuple(ax.get_xlim()), tuple(ax.get_ylim()), tuple(ax.get_xticks()),
                      tuple(ax.get_yticks()), tuple(t.get_text() for t in ax.get_yticklabels()))
                     for ax in self.figure.axes)

    def png(self) -> bytes:
        canvas = self.figure.canvas
        state = self._still_state()
        background = self._backgrounds.pop(state, None)
        if background is None:
            canvas.draw()                       # everything but the animated artists
            background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(background)
        # A few bitmaps are kept (about 1.3 MB each), so going back to a function or an axis seen
        # before costs no full draw.
        self._backgrounds[state] = background
        while len(self._backgrounds) > BACKGROUNDS_KEPT:
            self._backgrounds.pop(next(iter(self._backgrounds)))
        for artist in self.animated:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        return encode_png(canvas)


def encode_png(canvas) -> bytes:
    """The canvas as PNG bytes: every row unfiltered, deflated at zlib's fastest level.

    Pillow at ``compress_level=1`` tries all five PNG filters on every row; a plot's flat colours
    deflate as well without any, in about a third of the time (``python -m autograder.devtools.bench``
    times the two on one frame).
    """
    pixels = np.asarray(canvas.buffer_rgba())                # height x width x RGBA, as drawn
    height, width = pixels.shape[:2]
    pixels = pixels.reshape(height, width * 4)
    rows = np.zeros((height, width * 4 + 1), np.uint8)     # each row: filter type 0, its pixels
    rows[:, 1:] = pixels
    deflate = zlib.compressobj(1)
    data = deflate.compress(rows) + deflate.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)    # 8-bit RGBA, no interlace
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))

"""`make bench` (browser part): how fast each explorer follows a hand, measured where the learner is.

JupyterLab in Debian's Chromium, driven by Playwright. For one slider of each explorer, and for a
baseline (a bare ipywidgets slider with an ``interactive_output`` matplotlib plot of the same size):

- key step: time from a key press to the new frame painted (the image's load event, then one
  animation frame), median and p90 over single presses with the page idle in between;
- burst: ten presses as fast as the keyboard sends them; time from the last press to the frame
  that shows the final position (a backlog of stale frames shows up here);
- drag: the mouse drags the slider for a second and a half (60 moves a second, sent to Chromium over
  the DevTools protocol); distinct frames (each showing another state than the one before) shown
  per second, beside the number of new values the slider itself produced per second.

Everything runs twice: on a quiet machine, and with a CPU hog on every core beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from autograder.devtools.browser import chromium, jupyter_lab, open_notebook, open_page, run_all_cells
from autograder.devtools.course import SOURCE

KEY_MEDIAN_MS, KEY_P90_MS, BURST_MS, DRAG_FPS = 60.0, 100.0, 150.0, 15.0
KEY_PRESSES, BURST_PRESSES, DRAG_SECONDS = 15, 10, 1.5

# notebook -> [(explorer title, label of the slider moved)]
EXPLORERS = {
    "A1_linear_algebra": [("Explorer: a 2 × 2 matrix moving the plane", "a₁₂ (row 1, column 2)"),
                          ("Explorer: the unit sphere of the Lp norm", "point x₁")],
    "A2_calculus": [("Explorer: from secant to tangent", "step h"),
                    ("Explorer: Taylor polynomials", "expansion point a")],
    "A3_probability": [("Explorer: conditional probability and independence on two dice", "simulated rolls"),
                       ("Explorer: the law of large numbers for U(a, b)", "samples n")],
}
BASELINE_TITLE = "baseline: bare interactive_output plot"
BASELINE = f'''
import ipywidgets as widgets, matplotlib.pyplot as plt, numpy as np
def bare_plot(k):
    fig, ax = plt.subplots(figsize=(7.6, 3.5))
    x = np.linspace(0, 1, 400)
    ax.plot(x, np.sin(k * x))
    plt.show()
    print(f"k = {{k:.2f}}")
k = widgets.FloatSlider(value=1.0, min=0.0, max=10.0, step=0.05, description="k")
out = widgets.interactive_output(bare_plot, {{"k": k}})
out.layout.height = "400px"
widgets.VBox([widgets.HTML("{BASELINE_TITLE}"), k, out])
'''

# Page-side probes: every keydown, and every frame painted inside the measured widget.
INSTRUMENT = """([rootSelector, title, stateOf]) => {
    const state = eval(stateOf);
    const bench = window.__bench = {keys: [], frames: [], inputs: 0};
    // Listeners on the document, not on the widget: JupyterLab may render an output anew (a new
    // element) as the notebook scrolls, and the measured widget is the one that carries the title.
    const ours = (target) => { const root = target.closest(rootSelector);
                               return root && root.textContent.includes(title); };
    if (!window.__benchListening) {  // once per page, however many widgets are measured
        window.__benchListening = true;
        document.addEventListener('keydown', () => window.__bench.keys.push(performance.now()), true);
        document.addEventListener('input', (event) => {
            if (window.__bench.ours(event.target)) window.__bench.inputs++;
        }, true);
        // A frame is shown: the baseline's new image has loaded; an explorer says so itself (also
        // for a frame whose picture is the previous one, which loads no image).
        const frameShown = (event) => {
            const b = window.__bench;
            if (event.target.tagName !== 'IMG' || !b.ours(event.target)) return;
            const wanted = event.target.closest('.course-explorer') ? 'course-explorer-frame' : 'load';
            if (event.type !== wanted) return;
            const shown = b.state(event.target);
            const timing = event.target.dataset;  // the explorer's own: kernel, request to frame
            const roundTrip = Number(timing.roundTripMs), kernel = Number(timing.kernelMs);
            const load = Number(timing.loadMs);
            const shownAt = () => b.frames.push({t: performance.now(), state: shown, roundTrip, kernel,
                                                 load});
            requestAnimationFrame(shownAt);
        };
        document.addEventListener('load', frameShown, true);
        document.addEventListener('course-explorer-frame', frameShown, true);
    }
    bench.ours = ours;
    bench.state = state;
}"""

LAST_TIMINGS = """() => { const b = window.__bench, f = b.frames.at(-1);
    return [f.kernel, f.roundTrip, f.load, f.t - b.keys.at(-1) - f.roundTrip - f.load]; }"""


@dataclass
class Result:
    key_ms: list[float]
    burst_ms: float
    burst_final: bool
    drag_fps: float
    drag_frames: int
    drag_inputs_per_s: float | None  # how many new values the dragged slider itself produced per second
    kernel_ms: float | None          # the explorer's draw in the kernel, median over the key steps
    round_trip_ms: float | None      # request sent -> frame received, median over the key steps
    load_ms: float | None = None     # frame received -> its image loaded, median over the key steps
    other_ms: float | None = None    # the rest of a key step: key -> request sent, load -> painted
    lost: list[str] = field(default_factory=list)  # key presses that brought no frame, and what came

    def line(self, label: str) -> str:
        key = statistics.median(self.key_ms)
        p90 = percentile(self.key_ms, 90)
        nan = float("nan")
        parts = "" if self.kernel_ms is None else (
            f"   [kernel {self.kernel_ms:4.1f} ms, request to frame {self.round_trip_ms or nan:5.1f} ms, "
            f"frame to image loaded {self.load_ms or nan:4.1f} ms, the rest {self.other_ms or nan:4.1f} ms]")
        inputs = "" if self.drag_inputs_per_s is None else f", slider {self.drag_inputs_per_s:.0f} values/s"
        lost = "".join(f"\n    LOST KEY PRESS, {what}" for what in self.lost)
        return (f"  {label:54s} key {key:6.1f} ms (p90 {p90:6.1f})   burst {self.burst_ms:6.0f} ms"
                f"{'' if self.burst_final else ' (final state NOT shown)'}   drag {self.drag_fps:5.1f} fps "
                f"({self.drag_frames} frames{inputs}){parts}{lost}")

    def misses(self) -> list[str]:
        missed = [f"{len(self.lost)} of {len(self.lost) + len(self.key_ms)} key presses brought no frame"] \
            if self.lost else []
        if statistics.median(self.key_ms) > KEY_MEDIAN_MS:
            missed.append(f"key median > {KEY_MEDIAN_MS:g} ms")
        if percentile(self.key_ms, 90) > KEY_P90_MS:
            missed.append(f"key p90 > {KEY_P90_MS:g} ms")
        if self.burst_ms > BURST_MS or not self.burst_final:
            missed.append(f"burst > {BURST_MS:g} ms or stale")
        # A frame per second for every value the slider produced, up to the target (a drag over
        # few steps, or a mouse the test driver moves slowly, produces fewer).
        wanted = min(DRAG_FPS, self.drag_inputs_per_s or DRAG_FPS)
        if self.drag_fps < wanted * 0.999:
            missed.append(f"drag < {wanted:.1f} fps")
        return missed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def served_folder(root: Path) -> None:
    """The source notebooks (solved, so every explorer draws) and the baseline notebook."""
    for assignment in EXPLORERS:
        shutil.copytree(SOURCE / assignment, root / assignment)
    notebook = new_notebook(cells=[new_code_cell(BASELINE)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, root / "baseline.ipynb")


def reveal(page, locator) -> None:
    """Bring ``locator`` on screen (JupyterLab renders a notebook's outputs as they come into view)."""
    scroller = page.locator(".jp-WindowedPanel-outer").first
    top = 0
    while True:
        try:
            locator.wait_for(state="attached", timeout=2_000)
            break
        except Exception:  # noqa: BLE001 - Playwright's timeout: scroll on
            top += 600
            if top > scroller.evaluate("e => e.scrollHeight") + 600:
                titles = page.locator(".course-explorer-title").all_text_contents()
                raise RuntimeError(f"not found in the notebook: {locator} (explorers: {titles})") from None
            scroller.evaluate("(e, top) => e.scrollTo(0, top)", top)
    locator.scroll_into_view_if_needed()
    page.wait_for_timeout(300)


def settle(page, quiet_ms: int = 400, limit_ms: int = 5000) -> None:
    """Wait until no frame has been painted for ``quiet_ms``."""
    page.wait_for_function(f"""() => {{ const f = window.__bench.frames;
        const last = f.length ? f[f.length - 1].t : 0;
        return performance.now() - Math.max(last, window.__bench.keys.at(-1) || 0) > {quiet_ms}; }}""",
                           timeout=limit_ms + quiet_ms)


def frames(page) -> int:
    return page.evaluate("() => window.__bench.frames.length")


def distinct_frames(page, since: int) -> int:
    """Frames painted after the first ``since`` that show another state than the frame before (every
    frame, for the baseline, whose frames carry no state)."""
    return page.evaluate("""(since) => { const f = window.__bench.frames;
        let n = 0;
        for (let i = Math.max(since, 1); i < f.length; i++)
            if (!f[i].state || f[i].state !== f[i - 1].state) n++;
        return n; }""", since)


def measure(page, box, slider, widget: Widget, title: str) -> Result:
    """Key steps, a burst and a drag on ``slider``; ``box`` holds the figure, under ``title``."""
    page.evaluate(INSTRUMENT, [widget.root, title, widget.frame_state])
    slider.scroll_into_view_if_needed()
    slider.focus()
    settle(page)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    key_ms, timings, lost = [], [], []
    low, high = widget.limits(slider)
    for i in range(KEY_PRESSES):
        before = frames(page)
        at = widget.position(slider)
        right = at <= low or (at < high and (i // 4) % 2 == 0)   # four steps one way, then back
        keys, inputs = page.evaluate("() => [window.__bench.keys.length, window.__bench.inputs]")
        slider.press("ArrowRight" if right else "ArrowLeft")
        try:
            page.wait_for_function(f"() => window.__bench.frames.length > {before}", timeout=10_000)
        except PlaywrightTimeout:
            # No frame: say what reached the page (the key? a new value?), and go on measuring.
            keys_now, inputs_now = page.evaluate("() => [window.__bench.keys.length, window.__bench.inputs]")
            lost.append(f"press {i + 1}: {keys_now - keys} keydown, {inputs_now - inputs} new value, "
                        f"slider {at:g} -> {widget.position(slider):g}, no frame in 10 s")
            settle(page, 400, 10_000)
            continue
        key_ms.append(page.evaluate("() => window.__bench.frames.at(-1).t - window.__bench.keys.at(-1)"))
        timings.append(page.evaluate(LAST_TIMINGS))
        settle(page, 150)
    if not key_ms:
        raise RuntimeError(f"no key press brought a frame: {'; '.join(lost)}")
    at = widget.position(slider)
    burst_key = "ArrowRight" if high - at >= at - low else "ArrowLeft"
    for _ in range(BURST_PRESSES):
        slider.press(burst_key)
    settle(page, 600, 15_000)
    burst_ms = page.evaluate("() => window.__bench.frames.at(-1).t - window.__bench.keys.at(-1)")
    burst_final = widget.final_state_shown(page, box)
    # Drag: grab the thumb and move it a third of the track, one move per screen frame.
    start = widget.position(slider)
    x, y, span = widget.thumb(slider)
    towards = -1 if start - low >= high - start else 1     # drag towards the side with more room
    # The moves go straight to Chromium over the DevTools protocol (Input.dispatchMouseEvent, what
    # Playwright's mouse sends too, without its round trip through the driver for every move), one
    # per screen frame; where the mouse is follows the clock, so a slow move makes the next one
    # jump further, as a hand would, and the drag always covers the same ground in the same time.
    cdp = page.context.new_cdp_session(page)

    def mouse(kind: str, at: float, **extra) -> None:
        cdp.send("Input.dispatchMouseEvent", {"type": kind, "x": at, "y": y, "button": "left",
                                              "buttons": 1, **extra})

    mouse("mouseMoved", x, button="none", buttons=0)
    mouse("mousePressed", x, clickCount=1)
    before, inputs_before = frames(page), page.evaluate("() => window.__bench.inputs")
    t0 = time.perf_counter()
    while (elapsed := time.perf_counter() - t0) < DRAG_SECONDS:
        mouse("mouseMoved", x + towards * span / 3 * elapsed / DRAG_SECONDS)
        wait = 1 / 60 - (time.perf_counter() - t0 - elapsed)
        if wait > 0:
            time.sleep(wait)
    mouse("mouseMoved", x + towards * span / 3)
    mouse("mouseReleased", x + towards * span / 3, clickCount=1, buttons=0)
    elapsed = time.perf_counter() - t0
    cdp.detach()
    drag_frames = distinct_frames(page, before)
    inputs = page.evaluate("() => window.__bench.inputs") - inputs_before
    settle(page, 400, 10_000)
    kernel, trips, loads, others = ([t[i] for t in timings if t[i] == t[i]]   # NaN (no timing:
                                    for i in range(4))                        # the baseline) dropped
    return Result(key_ms, burst_ms, burst_final, drag_frames / elapsed, drag_frames,
                  inputs / elapsed if widget.counts_inputs else None,
                  *(statistics.median(part) if part else None for part in (kernel, trips, loads, others)),
                  lost=lost)


class Widget:
    """How the benchmark reads one kind of widget: the explorer, or the ipywidgets baseline."""

    root = ".course-explorer"
    frame_state = "(img) => img.dataset.state"
    counts_inputs = True  # a native range input fires an input event for every new value

    @staticmethod
    def final_state_shown(page, box) -> bool:
        # The last frame painted shows what the controls say now.
        return page.evaluate("""(box) => window.__bench.frames.at(-1).state === [...box.querySelectorAll(
            '.course-explorer-control output')].map(o => o.textContent).join(' | ')""", box.element_handle())

    @staticmethod
    def position(slider) -> float:
        return float(slider.input_value())

    @staticmethod
    def limits(slider) -> tuple[float, float]:
        return float(slider.get_attribute("min")), float(slider.get_attribute("max"))

    @staticmethod
    def thumb(slider) -> tuple[float, float, float]:
        left, top, width, height, fraction = slider.evaluate(
            "e => { const r = e.getBoundingClientRect();"
            " return [r.left, r.top, r.width, r.height, (e.value - e.min) / (e.max - e.min)]; }")
        thumb = 16  # Chromium's range thumb, in pixels
        return left + thumb / 2 + fraction * (width - thumb), top + height / 2, width


class Baseline(Widget):
    root = ".widget-vbox"
    frame_state = "(img) => ''"
    counts_inputs = False  # noUiSlider fires no input events

    @staticmethod
    def final_state_shown(page, box) -> bool:
        # The printed k (after the image, in the same output) is the slider's readout.
        text = box.locator(".widget-output").inner_text()
        return f"k = {box.locator('.widget-readout').inner_text().strip()}" in text

    @staticmethod
    def position(slider) -> float:
        return float(slider.get_attribute("aria-valuenow")) / 0.05

    @staticmethod
    def limits(slider) -> tuple[float, float]:
        return (float(slider.get_attribute("aria-valuemin")) / 0.05,
                float(slider.get_attribute("aria-valuemax")) / 0.05)

    @staticmethod
    def thumb(slider) -> tuple[float, float, float]:
        box = slider.bounding_box()
        span = slider.evaluate("e => e.closest('.noUi-target').getBoundingClientRect().width")
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, span


def print_retries(message) -> None:
    """An explorer warns in the console when a request went unanswered for 5 s and it asked again."""
    if message.type == "warning" and "no frame within" in message.text:
        print(f"  (page: {message.text})", flush=True)


def run_pass(browser, url: str) -> dict[str, Result | Exception]:
    results = {}
    page = open_page(browser)
    try:
        open_notebook(page, url, "baseline.ipynb")
        run_all_cells(page, tries=5, timeout_ms=180_000)
        box = page.locator(".widget-vbox", has_text=BASELINE_TITLE).first
        results[BASELINE_TITLE] = measure(page, box, box.locator(".noUi-handle").first, Baseline(),
                                          BASELINE_TITLE)
        print(results[BASELINE_TITLE].line(BASELINE_TITLE), flush=True)
    except Exception as error:  # noqa: BLE001 - the explorers are measured all the same
        results[BASELINE_TITLE] = error
        print(f"  {BASELINE_TITLE:58s} COULD NOT BE MEASURED: {type(error).__name__}", flush=True)
    finally:
        page.context.close()
    for assignment, explorers in EXPLORERS.items():
        page = open_page(browser)
        page.on("console", print_retries)
        try:
            try:
                open_notebook(page, url, f"{assignment}/{assignment}.ipynb")
                run_all_cells(page, tries=5, timeout_ms=180_000)
            except Exception as error:  # noqa: BLE001 - the other notebooks are measured all the same
                for title, label in explorers:
                    results[f"{title.removeprefix('Explorer: ')}: {label}"] = error
                print(f"  {assignment}: Run All did not finish: {type(error).__name__}", flush=True)
                continue
            for title, label in explorers:
                name = f"{title.removeprefix('Explorer: ')}: {label}"
                box = page.locator(".course-explorer").filter(
                    has=page.locator(".course-explorer-title", has_text=title)).first
                try:
                    reveal(page, box)
                    results[name] = measure(page, box, box.get_by_role("slider", name=label, exact=True),
                                            Widget(), title)
                    print(results[name].line(name), flush=True)
                except Exception as error:  # noqa: BLE001 - one explorer's failure must not stop the rest
                    results[name] = error
                    print(f"  {name:58s} COULD NOT BE MEASURED: {type(error).__name__}: "
                          f"{str(error).splitlines()[0]}", flush=True)
        finally:
            page.context.close()
    return results


def _hog() -> None:
    while True:
        pass


@contextlib.contextmanager
def cpu_hogs(count: int):
    processes = [multiprocessing.Process(target=_hog, daemon=True) for _ in range(count)]
    for process in processes:
        process.start()
    try:
        yield
    finally:
        for process in processes:
            process.terminate()
            process.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hogs", type=int, default=multiprocessing.cpu_count(),
                        help="CPU hogs for the busy pass (0: quiet pass only)")
    args = parser.parse_args(argv)
    missed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="course-bench-browser-") as tmp:
        root, home = Path(tmp) / "served", Path(tmp) / "home"
        root.mkdir()
        home.mkdir()
        served_folder(root)
        with jupyter_lab(root, home) as url, chromium() as browser:
            passes = [("quiet machine", 0)] + ([(f"busy machine ({args.hogs} CPU hogs)", args.hogs)]
                                               if args.hogs else [])
            for name, hogs in passes:
                print(f"explorers in JupyterLab + Chromium, {name}:", flush=True)
                with cpu_hogs(hogs):
                    results = run_pass(browser, url)
                for label, result in results.items():
                    if isinstance(result, Exception):
                        missed.append(f"{name}, {label}: not measured")
                    elif label != BASELINE_TITLE:
                        missed += [f"{name}, {label}: {m}" for m in result.misses()]
    print(f"  targets: key median <= {KEY_MEDIAN_MS:g} ms, p90 <= {KEY_P90_MS:g} ms; burst: the final "
          f"state within {BURST_MS:g} ms of the last key; drag >= {DRAG_FPS:g} fps (or a frame for "
          "every value the slider produced, when it produced fewer)")
    for miss in missed:
        print(f"  MISSED: {miss}")
    print("all explorers within target" if not missed else f"{len(missed)} TARGETS MISSED")
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())

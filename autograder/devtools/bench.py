"""`make bench`: how long a learner waits — Validate against progress(), a whole notebook run, one
explorer update in the kernel (the browser's view of it: autograder/devtools/bench_browser.py).

Each figure is a median over repeated runs, printed beside a baseline measured in the same run:
nbgrader's Validate for ``progress()``, an empty notebook (the cost of starting a kernel) for the
notebook run, and a bare matplotlib line plot of the same size for an explorer update (the cost of any
inline figure). Last, one explorer frame encoded as PNG by Pillow and by the explorers' encoder.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import nbformat
import numpy as np
from nbformat.v4 import new_code_cell, new_notebook

from autograder.devtools.course import NOTEBOOKS, SOURCE, assignments
from autograder.devtools.kernel import KernelSession, execute

NOTEBOOK_TARGET_S = 5.0
UPDATE_TARGET_MS = 40.0
PROGRESS_TARGET_S = 1.0

# Explorers to time: notebook -> {what: (explorer, control, values to cycle through)}.
WIDGET_CONTROLS = {
    "A1_linear_algebra": {"matrix explorer, a12": ("matrix_explorer", "a12", [-1.0, 2.0, 0.0, -0.75, 1.5]),
                          "matrix explorer, a21": ("matrix_explorer", "a21", [1.0, -1.5, 0.0, 2.0, -0.5]),
                          "Lp explorer, p": ("lp_explorer", "p", [1.0, 2.0, 4.0, 20.0, 100.0, 1.5]),
                          "Lp explorer, point": ("lp_explorer", "x1", [0.3, -1.2, 1.5, 0.0, -0.6])},
    "A2_calculus": {"Taylor explorer, order": ("taylor_explorer", "order", [2, 7, 4, 9, 1, 6]),
                    "Taylor explorer, point": ("taylor_explorer", "a", [0.5, -1.0, 1.5, -2.0]),
                    "Taylor explorer, function": ("taylor_explorer", "name",
                                                  ["exp(x)", "ln(1 + x)", "sin(x)"]),
                    "secant explorer, step": ("secant_explorer", "h", [0.1, 1e-6, 1e-12, 1e-3])},
    "A3_probability": {"conditional explorer, rolls": ("cond_explorer", "n", [100, 20000, 100000, 2000]),
                       "law of large numbers, n": ("lln_explorer", "n", [100, 5000, 20000, 1000]),
                       "law of large numbers, a": ("lln_explorer", "a", [-3.0, -1.5, 0.0, 1.0])},
}

BASELINE_PLOT = """
import time, matplotlib.pyplot as plt, numpy as np
def _bare_plot():
    fig, ax = plt.subplots(figsize=(7.6, 3.5))
    ax.plot(np.linspace(0, 1, 400), np.linspace(0, 1, 400))
    plt.show()
"""


def time_notebook_runs(path: Path, repeats: int) -> list[float]:
    """Seconds for Restart & Run All of ``path``, ``repeats`` times (each in a fresh kernel)."""
    times = []
    for _ in range(repeats):
        notebook = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        execute(notebook, folder=path.parent)
        times.append(time.perf_counter() - start)
    return times


def time_empty_notebook(folder: Path, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        notebook = new_notebook(cells=[new_code_cell("pass")])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                           "language": "python"}
        start = time.perf_counter()
        execute(notebook, folder=folder)
        times.append(time.perf_counter() - start)
    return times


def time_in_kernel(session: KernelSession, statements: list[str]) -> list[float]:
    """Milliseconds each statement takes inside the kernel (the redraw runs synchronously there)."""
    code = (
        "import json as _json, time as _time\n_times = []\n"
        + "".join(f"_t = _time.perf_counter(); {s}; _times.append((_time.perf_counter() - _t) * 1e3)\n"
                  for s in statements)
        + "print('TIMES', _json.dumps(_times))"
    )
    text = session.run(code).text
    return json.loads(text.split("TIMES", 1)[1])


def time_validate(path: Path, repeats: int) -> list[float]:
    """Seconds nbgrader's Validate (the toolbar button's Validator) takes on ``path``."""
    from nbgrader.validator import Validator

    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        Validator().validate(str(path))
        times.append(time.perf_counter() - start)
    return times


def progress_against_validate(repeats: int) -> bool:
    """How long a learner waits to know where they stand: Validate re-runs the notebook in a new kernel,
    ``progress()`` reads the verdicts this kernel already has."""
    ok = True
    for assignment in assignments():
        path = NOTEBOOKS / assignment / f"{assignment}.ipynb"
        print(f"{assignment}: where do I stand? Validate against progress() (the untouched release)")
        validate = time_validate(path, repeats)
        with KernelSession(path.parent) as session:
            session.run_notebook(path)
            progress = time_in_kernel(session, ["progress()"] * 10)  # milliseconds
        print(median_line("baseline: nbgrader Validate", validate, "s"))
        print(median_line("progress()", progress, "ms")
              + f"   {1e3 * statistics.median(validate) / statistics.median(progress):,.0f}x faster")
        ok &= statistics.median(progress) <= 1e3 * PROGRESS_TARGET_S
    print(f"  target: progress() median <= {PROGRESS_TARGET_S:g} s")
    return ok


def png_encoding(repeats: int = 30) -> None:
    """An explorer frame's PNG (800 x 400 pixels, a plot's flat colours): Pillow at compress_level 1,
    which the explorers used before, against the explorers' own encoder."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from PIL import Image

    from autograder.learner.explorer import encode_png

    figure = Figure(figsize=(8, 4), dpi=100)
    ax = figure.add_subplot()
    x = np.linspace(-3, 3, 400)
    ax.plot(x, np.sin(x), x, x - x**3 / 6)
    ax.fill_between(x, np.sin(x), x - x**3 / 6, alpha=0.3)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()

    def pillow() -> bytes:
        width, height = canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    print("one explorer frame as PNG (800 x 400)")
    timings = {}
    encoders = {"baseline: Pillow, compress_level 1": pillow,
                "the explorers' encode_png": lambda: encode_png(canvas)}
    for label, encode in encoders.items():
        values = []
        for _ in range(repeats):
            started = time.perf_counter()
            size = len(encode())
            values.append((time.perf_counter() - started) * 1e3)
        timings[label] = statistics.median(values)
        print(median_line(label, values, "ms") + f"   {size / 1e3:.0f} kB")
    baseline, ours = timings.values()
    print(f"  ratio {ours / baseline:.2f}x the baseline")


def median_line(label: str, values: list[float], unit: str) -> str:
    return f"  {label:34s} median {statistics.median(values):8.2f} {unit}   (n={len(values)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="notebook runs per measurement")
    args = parser.parse_args(argv)
    ok = progress_against_validate(max(1, min(args.repeats, 3)))
    for assignment in assignments():
        path = SOURCE / assignment / f"{assignment}.ipynb"
        print(f"{assignment}: whole notebook, Restart & Run All (nbclient)")
        empty = time_empty_notebook(path.parent, args.repeats)
        full = time_notebook_runs(path, args.repeats)
        ratio = statistics.median(full) / statistics.median(empty)
        print(median_line("baseline: empty notebook", empty, "s"))
        print(median_line("this notebook", full, "s"))
        print(f"  ratio {ratio:.2f}x the empty notebook; target median <= {NOTEBOOK_TARGET_S:g} s")
        ok &= statistics.median(full) <= NOTEBOOK_TARGET_S

        print(f"{assignment}: one widget update, measured in the kernel")
        with KernelSession(path.parent) as session:
            session.run_notebook(path)
            session.run(BASELINE_PLOT)
            baseline = time_in_kernel(session, ["_bare_plot()"] * 10)
            print(median_line("baseline: bare line plot", baseline, "ms"))
            for label, (explorer, control, values) in WIDGET_CONTROLS.get(assignment, {}).items():
                cycle = [f"{explorer}.set({control}={v!r})" for v in values * 3]
                update = time_in_kernel(session, cycle)
                ratio = statistics.median(update) / statistics.median(baseline)
                print(median_line(label, update, "ms") + f"   {ratio:.2f}x baseline")
                ok &= statistics.median(update) <= UPDATE_TARGET_MS
        print(f"  target: median <= {UPDATE_TARGET_MS:g} ms per update")
    png_encoding()
    print("all medians within target" if ok else "SOME MEDIANS MISS THEIR TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

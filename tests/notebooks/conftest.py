"""A live kernel per notebook test module: the module's NOTEBOOK, run top to bottom once; and what
every explorer's tests check of its controls."""

import contextlib

import pytest

from autograder.devtools.kernel import KernelSession


@pytest.fixture(scope="module")
def kernel(request):
    notebook = request.module.NOTEBOOK
    with KernelSession(notebook.parent) as session:
        session.run_notebook(notebook)
        yield session


@contextlib.contextmanager
def warnings_are_errors(kernel):
    """Every warning raised in the kernel meanwhile is an error (not shown only once per line)."""
    kernel.run("import warnings as _warnings; _saved_filters = _warnings.filters[:]; "
               "_warnings.simplefilter('error')")
    try:
        yield
    finally:
        kernel.run("_warnings.filters[:] = _saved_filters")


def controls(kernel, explorer):
    """The specs of an explorer's controls, by name (kind, label, low/high/step or labels/options)."""
    return {spec["name"]: spec for spec in kernel.json(f"{explorer}.controls")}


def written(value, decimals):
    """Whether a number is written with at most ``decimals`` decimals (0.35, never 0.35000000000000003)."""
    text = repr(value)
    return "e" not in text and len(text.partition(".")[2].rstrip("0")) <= decimals


def slider_positions(spec):
    """Every value on a slider's grid, as a person writes it."""
    count = round((spec["high"] - spec["low"]) / spec["step"])
    return [round(spec["low"] + i * spec["step"], spec["decimals"]) for i in range(count + 1)]


def assert_labelled(kernel, explorer, names):
    """The explorer has exactly these controls, each with a label of its own and a known kind."""
    specs = controls(kernel, explorer)
    assert list(specs) == names
    labels = [spec["label"].strip() for spec in specs.values()]
    assert all(labels) and len(set(labels)) == len(labels), labels
    assert {spec["kind"] for spec in specs.values()} <= {"slider", "steps", "choice"}
    assert kernel.json(f"{explorer}.title").startswith("Explorer: ")


def assert_values_read_as_written(kernel, explorer):
    """Each slider snaps a value with float noise to its grid and keeps it as written there, in
    ``.values`` (what the page gets) as in ``explorer[name]``; an integer step gives integers."""
    for name, spec in controls(kernel, explorer).items():
        if spec["kind"] != "slider":
            continue
        positions = slider_positions(spec)
        for target in (positions[1], positions[len(positions) // 2], positions[-2]):
            noisy = target + 1e-11 if spec["decimals"] else target + 0.2
            shown = kernel.explore(explorer, **{name: noisy})
            assert shown.values[name] == shown.current[name] == target, (name, noisy, shown.values)
            assert written(shown.values[name], spec["decimals"]), (name, shown.values[name])
            if spec["decimals"] == 0 and float(spec["step"]).is_integer():
                assert isinstance(shown.values[name], int), (name, shown.values[name])
        # a sum of steps in floats (-1.5 + 31 * 0.05 = 0.04999999999999982) snaps to the grid too
        stride = max(1, len(positions) // 15)
        for i in range(0, len(positions), stride):
            shown = kernel.explore(explorer, **{name: spec["low"] + i * spec["step"]})
            assert shown.values[name] == positions[i], (name, i, shown.values[name])
            assert written(shown.values[name], spec["decimals"]), (name, shown.values[name])
        # outside the ends: the nearest end
        below, above = spec["low"] - 10 * spec["step"], spec["high"] + 10 * spec["step"]
        assert kernel.explore(explorer, **{name: below}).values[name] == positions[0]
        assert kernel.explore(explorer, **{name: above}).values[name] == positions[-1]

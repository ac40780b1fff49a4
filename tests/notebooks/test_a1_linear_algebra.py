"""The A.1 linear-algebra notebook's explorers redraw when their controls move (test_every_notebook
runs it)."""

import re

import numpy as np
import pytest

from autograder.devtools.course import SOURCE

from .conftest import (
    assert_labelled,
    assert_values_read_as_written,
    controls,
    slider_positions,
    warnings_are_errors,
)

NOTEBOOK = SOURCE / "A1_linear_algebra" / "A1_linear_algebra.ipynb"
MATRIX_ENTRIES = ["a11", "a12", "a21", "a22"]
pytestmark = pytest.mark.slow


def set_matrix(kernel, a11, a12, a21, a22):
    """Move the four sliders to a matrix; return what the explorer shows."""
    shown = kernel.explore("matrix_explorer", a11=a11, a12=a12, a21=a21, a22=a22)
    assert shown.image and shown.current == {"a11": a11, "a12": a12, "a21": a21, "a22": a22}
    return shown


def printed_eigenvalues(line):
    """The two eigenvalues in a line such as 'eigenvalues: λ₁ = 0.000 + 1.000i, λ₂ = ...'."""
    found = re.findall(r"λ[₁₂] = (-?[\d.]+)(?: ([+−]) ([\d.]+)i)?", line)
    return [complex(float(re_), (-1 if sign == "−" else 1) * float(im) if im else 0.0)
            for re_, sign, im in found]


def written_matrix(a11, a12, a21, a22):
    return f"A = [[{a11:.2f}, {a12:.2f}], [{a21:.2f}, {a22:.2f}]]"


# --- the matrix explorer -------------------------------------------------------------------


@pytest.mark.parametrize("entry", MATRIX_ENTRIES)
def test_moving_a_matrix_entry_redraws_a_different_figure(kernel, entry):
    kernel.explore("matrix_explorer", **{entry: 0.0})
    first = kernel.explore("matrix_explorer", **{entry: 0.35})
    second = kernel.explore("matrix_explorer", **{entry: -1.25})
    assert first.image != second.image
    assert "eigenvalues" in second.readout and second.readout != first.readout
    assert second.alt != first.alt
    assert first.current[entry] == 0.35 and second.current[entry] == -1.25


@pytest.mark.parametrize(
    "matrix, eigenvalues, words",
    [
        ((2.0, 1.0, 1.0, 2.0), [3.0, 1.0], "real"),
        ((0.0, -1.0, 1.0, 0.0), [1j, -1j], "complex"),
        ((1.0, 1.0, 0.0, 1.0), [1.0, 1.0], "real"),
        ((-1.5, 0.5, 0.25, 1.0), sorted(np.linalg.eigvals([[-1.5, 0.5], [0.25, 1.0]]), reverse=True), "real"),
        ((0.5, -0.8, 0.8, 0.5), [0.5 + 0.8j, 0.5 - 0.8j], "complex"),
    ],
    ids=["symmetric", "rotation", "shear", "mixed-signs", "rotation-and-scaling"],
)
def test_matrix_explorer_prints_the_right_eigenvalues(kernel, matrix, eigenvalues, words):
    matrix_line, eigen_line = set_matrix(kernel, *matrix).readout.splitlines()
    assert matrix_line.startswith(written_matrix(*matrix))
    assert f"det A = {matrix[0] * matrix[3] - matrix[1] * matrix[2]:.3f}" in matrix_line
    assert np.allclose(printed_eigenvalues(eigen_line), eigenvalues, atol=1e-3)
    assert words in eigen_line


@pytest.mark.parametrize("matrix", [(2.0, 1.0, 1.0, 2.0), (0.0, -1.0, 1.0, 0.0), (-1.5, 0.5, 0.25, 1.0),
                                    (1.0, 0.0, 0.0, 0.0)], ids=["symmetric", "rotation", "mixed", "singular"])
def test_the_alt_text_names_the_matrix_its_columns_and_determinant(kernel, matrix):
    a11, a12, a21, a22 = matrix
    det = a11 * a22 - a12 * a21
    alt = set_matrix(kernel, *matrix).alt
    assert written_matrix(*matrix) in alt
    assert f"Ae₁ = ({a11:.2f}, {a21:.2f})" in alt and f"Ae₂ = ({a12:.2f}, {a22:.2f})" in alt
    assert f"signed area {det:.3f}" in alt
    assert ("collapses onto a line" in alt) == (det == 0)
    assert ("orientation is flipped" in alt) == (det < 0)


def test_complex_eigenvalues_draw_no_eigenvector_lines(kernel):
    shown = set_matrix(kernel, 0.0, -1.0, 1.0, 0.0)
    assert kernel.json("[len(line.get_xdata()) for line in matrix_eigen_lines]") == [0, 0]
    assert "no real eigenvector line" in shown.alt
    shown = set_matrix(kernel, 2.0, 1.0, 1.0, 2.0)
    assert kernel.json("[len(line.get_xdata()) for line in matrix_eigen_lines]") == [2, 2]
    assert "dash-dotted eigenvector lines along" in shown.alt


def test_a_negative_determinant_hatches_the_parallelogram(kernel):
    shown = set_matrix(kernel, 0.0, 1.0, 1.0, 0.0)                  # a mirror: det A = -1
    assert "det A = -1.000" in shown.readout and kernel.json("matrix_square.get_hatch()") == "///"
    assert "orientation is flipped, so the square is hatched" in shown.alt
    set_matrix(kernel, 1.0, 0.0, 0.0, 1.0)
    assert not kernel.json("matrix_square.get_hatch()")


@pytest.mark.parametrize("background", [(1.5, 0.5, 0.25, 1.0), (0.0, 0.0, 0.0, 0.0)],
                         ids=["default", "zeros"])
@pytest.mark.parametrize("entry", MATRIX_ENTRIES)
def test_every_matrix_slider_position_draws(kernel, entry, background):
    set_matrix(kernel, *background)
    positions = slider_positions(controls(kernel, "matrix_explorer")[entry])
    assert positions[0] == -2.0 and positions[-1] == 2.0 and len(positions) == 81
    images = set()
    with warnings_are_errors(kernel):
        for value in positions:                                     # every step of 0.05, the ends included
            shown = kernel.explore("matrix_explorer", **{entry: value})
            assert shown.current[entry] == value and shown.values[entry] == value
            assert "eigenvalues" in shown.readout and "nan" not in shown.readout + shown.alt
            assert f"{value:.2f}" in shown.alt and not shown.printed
            images.add(shown.image)
    assert len(images) == len(positions)


def presets(kernel):
    """The matrix explorer's preset buttons: {label: {entry: value}}."""
    return dict(kernel.json("matrix_explorer.presets"))


def preset_named(kernel, word):
    (label,) = [label for label in presets(kernel) if word in label]
    return presets(kernel)[label]


def test_matrix_presets_cover_the_named_kinds_of_map(kernel):
    labels = list(presets(kernel))
    for word in ("identity", "rotation", "shear", "reflection", "projection", "symmetric"):
        assert sum(word in label for label in labels) == 1, (word, labels)
    assert "singular" in next(label for label in labels if "projection" in label)


@pytest.mark.parametrize("word", ["identity", "rotation", "shear", "reflection", "projection", "symmetric"])
def test_each_preset_gives_the_matrix_its_name_says(kernel, word):
    values = preset_named(kernel, word)
    assert sorted(values) == sorted(MATRIX_ENTRIES)
    shown = kernel.explore("matrix_explorer", **values)
    assert shown.current == values                                # every preset lies on the sliders' grid
    A = np.array([[values["a11"], values["a12"]], [values["a21"], values["a22"]]], dtype=float)
    det, identity = np.linalg.det(A), np.eye(2)
    orthogonal = np.allclose(A.T @ A, identity)
    if word == "identity":
        assert np.array_equal(A, identity)
    elif word == "rotation":
        assert orthogonal and np.isclose(det, 1) and not np.allclose(A, identity)
    elif word == "shear":
        assert np.isclose(det, 1) and np.allclose(np.linalg.eigvals(A), 1) and not np.allclose(A, identity)
    elif word == "reflection":
        assert orthogonal and np.isclose(det, -1) and np.allclose(A, A.T)
    elif word == "projection":
        assert det == 0 and np.allclose(A @ A, A) and not np.allclose(A, 0)
        assert "collapses onto a line" in shown.alt and "det A = 0.000" in shown.readout
    elif word == "symmetric":
        assert np.array_equal(A, A.T) and A[0, 1] != 0
    assert f"det A = {det:.3f}" in shown.readout


# --- the L_p explorer ------------------------------------------------------------------------


def test_every_choice_of_p_draws(kernel):
    choices = kernel.json("[value for _, value in LP_CHOICES]")
    assert choices[0] == 1.0 and choices[-1] == float("inf") and choices == sorted(choices)
    spec = controls(kernel, "lp_explorer")["p"]
    assert spec["kind"] == "steps" and spec["labels"] == kernel.json("[text for text, _ in LP_CHOICES]")
    kernel.explore("lp_explorer", x1=0.6, x2=-0.8)
    seen, alts = set(), set()
    with warnings_are_errors(kernel):
        for index, p in enumerate(choices):
            shown = kernel.explore("lp_explorer", p=p)
            text = "∞" if p == float("inf") else f"{p:g}"
            assert text == spec["labels"][index]
            assert shown.values["p"] == index and shown.current["p"] == p
            assert shown.readout.endswith(f"for p = {text}") and "nan" not in shown.readout
            assert f"the unit sphere for p = {text}" in shown.alt and f"marked at p = {text}." in shown.alt
            seen.add(shown.image)
            alts.add(shown.alt)
    assert len(seen) == len(alts) == len(choices)


def test_p_between_choices_snaps_to_the_nearest_one(kernel):
    assert kernel.explore("lp_explorer", p=2.9).current["p"] == 3.0
    assert kernel.explore("lp_explorer", p=1e6).current["p"] == 100.0      # ∞ only when asked for
    assert kernel.explore("lp_explorer", p=float("inf")).values["p"] == len(kernel.json("LP_CHOICES")) - 1


def test_lp_explorer_prints_the_right_norms(kernel):
    kernel.explore("lp_explorer", p=3.0, x1=0.0)
    shown = kernel.explore("lp_explorer", x1=0.6, x2=-0.8)
    line = shown.readout.strip().splitlines()[-1]
    l3 = (0.6 ** 3 + 0.8 ** 3) ** (1 / 3)
    assert line.startswith("x = (0.60, -0.80)")
    assert "‖x‖₁ = 1.4000" in line and "‖x‖₂ = 1.0000" in line and "‖x‖∞ = 0.8000" in line
    assert f"‖x‖ₚ = {l3:.4f} for p = 3" in line
    assert "the point (0.60, -0.80)" in shown.alt and f"scaled by {l3:.2f}" in shown.alt
    assert "falls from 1.40 at p = 1 towards its ∞-norm 0.80" in shown.alt


@pytest.mark.parametrize("p, shape", [(1.0, "a diamond"), (1.5, "a rounded diamond"), (2.0, "a circle"),
                                      (4.0, "a rounded square"), (float("inf"), "a square")])
def test_the_alt_text_names_the_shape_of_the_unit_sphere(kernel, p, shape):
    assert f", {shape}, drawn over the reference curves" in kernel.explore("lp_explorer", p=p).alt


@pytest.mark.parametrize("coordinate", ["x1", "x2"])
def test_every_position_of_the_point_draws(kernel, coordinate):
    kernel.explore("lp_explorer", p=1.5, x1=0.3, x2=-0.4)
    positions = slider_positions(controls(kernel, "lp_explorer")[coordinate])
    assert positions[0] == -1.5 and positions[-1] == 1.5 and 0.0 in positions
    images = set()
    with warnings_are_errors(kernel):
        for value in positions:                                     # every step of 0.05, 0 included
            shown = kernel.explore("lp_explorer", **{coordinate: value})
            assert shown.current[coordinate] == value and "nan" not in shown.readout + shown.alt
            assert not shown.printed
            point = (value, -0.4) if coordinate == "x1" else (0.3, value)
            assert f"x = ({point[0]:.2f}, {point[1]:.2f})" in shown.readout
            assert f"the point ({point[0]:.2f}, {point[1]:.2f})" in shown.alt
            images.add(shown.image)
    assert len(images) == len(positions)


def test_the_page_moves_a_steps_control_by_its_index(kernel):
    """The front end sends a Steps control's index (p: 11 is ∞) and learns which request was drawn."""
    kernel.run("lp_explorer._on_request(lp_explorer, {'type': 'draw', 'id': 7, "
               "'values': {'p': 11, 'x1': 0.5, 'x2': 0.25}}, [])")
    assert kernel.json("[lp_explorer.frame, lp_explorer['p'] == float('inf'), lp_explorer.values]") == \
        [7, True, {"p": 11, "x1": 0.5, "x2": 0.25}]
    assert kernel.explore("lp_explorer").readout.endswith("for p = ∞")


def test_every_control_is_labelled(kernel):
    assert_labelled(kernel, "lp_explorer", ["p", "x1", "x2"])
    assert_labelled(kernel, "matrix_explorer", MATRIX_ENTRIES)
    assert controls(kernel, "matrix_explorer")["a12"]["label"] == "a₁₂ (row 1, column 2)"


@pytest.mark.parametrize("explorer", ["lp_explorer", "matrix_explorer"])
def test_slider_values_read_as_written(kernel, explorer):
    shown = kernel.explore(explorer, **({"a12": 0.35000000001} if explorer == "matrix_explorer"
                                        else {"x1": 0.35000000001}))
    assert 0.35 in shown.values.values() and repr(0.35) in repr(shown.values)
    assert_values_read_as_written(kernel, explorer)


@pytest.mark.parametrize("explorer", ["lp_explorer", "matrix_explorer"])
def test_without_a_front_end_the_explorer_shows_its_title_and_numbers(kernel, explorer):
    text = kernel.run(explorer).text
    shown = kernel.explore(explorer)
    assert text.startswith(kernel.json(f"{explorer}.title")) and shown.readout in text

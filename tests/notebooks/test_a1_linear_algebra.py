"""The A.1 linear-algebra notebook's widgets redraw when their controls move (test_every_notebook runs it)."""

import re

import numpy as np
import pytest

from autograder.course import SOURCE

NOTEBOOK = SOURCE / "A1_linear_algebra" / "A1_linear_algebra.ipynb"
MATRIX_SLIDERS = ["matrix_a11", "matrix_a12", "matrix_a21", "matrix_a22"]
LP_CONTROLS = ["lp_p", "lp_x1", "lp_x2"]
pytestmark = pytest.mark.slow


def set_matrix(kernel, a11, a12, a21, a22):
    """Move the four sliders to a matrix; return the last lines the explorer printed."""
    # Move a11 away first, so that at least one slider changes and the explorer redraws.
    kernel.run("matrix_a11.value = 0.05 if matrix_a11.value != 0.05 else 0.1")
    out = kernel.run(f"matrix_a11.value = {a11}; matrix_a12.value = {a12}; "
                     f"matrix_a21.value = {a21}; matrix_a22.value = {a22}")
    assert out.images and out.error is None
    return out.text.strip().splitlines()[-2:]


def printed_eigenvalues(line):
    """The two eigenvalues in a line such as 'eigenvalues: λ₁ = 0.000 + 1.000i, λ₂ = ...'."""
    found = re.findall(r"λ[₁₂] = (-?[\d.]+)(?: ([+−]) ([\d.]+)i)?", line)
    return [complex(float(re_), (-1 if sign == "−" else 1) * float(im) if im else 0.0)
            for re_, sign, im in found]


@pytest.mark.parametrize("slider", MATRIX_SLIDERS)
def test_moving_a_matrix_entry_redraws_a_different_figure(kernel, slider):
    kernel.run(f"{slider}.value = 0.0")
    first, text_first = kernel.redraw(f"{slider}.value = 0.35")
    second, text_second = kernel.redraw(f"{slider}.value = -1.25")
    assert len(first) == len(second) == 1 and first[0] != second[0]
    assert "eigenvalues" in text_second and text_second != text_first


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
    matrix_line, eigen_line = set_matrix(kernel, *matrix)
    assert f"det A = {matrix[0] * matrix[3] - matrix[1] * matrix[2]:.3f}" in matrix_line
    assert np.allclose(printed_eigenvalues(eigen_line), eigenvalues, atol=1e-3)
    assert words in eigen_line


def test_complex_eigenvalues_draw_no_eigenvector_lines(kernel):
    set_matrix(kernel, 0.0, -1.0, 1.0, 0.0)
    assert kernel.json("[len(line.get_xdata()) for line in matrix_eigen_lines]") == [0, 0]
    set_matrix(kernel, 2.0, 1.0, 1.0, 2.0)
    assert kernel.json("[len(line.get_xdata()) for line in matrix_eigen_lines]") == [2, 2]


def test_a_negative_determinant_hatches_the_parallelogram(kernel):
    matrix_line, _ = set_matrix(kernel, 0.0, 1.0, 1.0, 0.0)       # a mirror: det A = -1
    assert "det A = -1.000" in matrix_line and kernel.json("matrix_square.get_hatch()") == "///"
    set_matrix(kernel, 1.0, 0.0, 0.0, 1.0)
    assert not kernel.json("matrix_square.get_hatch()")


@pytest.mark.parametrize("background", [(1.5, 0.5, 0.25, 1.0), (0.0, 0.0, 0.0, 0.0)],
                         ids=["default", "zeros"])
@pytest.mark.parametrize("slider", MATRIX_SLIDERS)
def test_every_matrix_slider_position_draws(kernel, slider, background):
    set_matrix(kernel, *background)
    lo, hi = kernel.json(f"[{slider}.min, {slider}.max]")
    for value in np.linspace(lo, hi, 17):                           # steps of 0.25, the ends included
        out = kernel.run(f"{slider}.value = {float(value)!r}")
        assert out.error is None and len(out.images) == 1
        assert "eigenvalues" in out.text and "nan" not in out.text and "Warning" not in out.text


def test_every_choice_of_p_draws(kernel):
    choices = kernel.json("[value for _, value in LP_CHOICES]")
    assert choices[0] == 1.0 and choices[-1] == float("inf") and choices == sorted(choices)
    seen = set()
    kernel.run("lp_x1.value = 0.6; lp_x2.value = -0.8")
    for index, p in enumerate(choices):
        images, text = kernel.redraw(f"lp_p.value = LP_CHOICES[{index}][1]")
        shown = "∞" if p == float("inf") else f"{p:g}"
        assert len(images) == 1 and f"for p = {shown}" in text and "nan" not in text
        seen.add(images[0])
    assert len(seen) == len(choices)


def test_lp_explorer_prints_the_right_norms(kernel):
    kernel.run("lp_p.value = 3.0")
    kernel.run("lp_x1.value = 0.0")
    _, text = kernel.redraw("lp_x1.value = 0.6; lp_x2.value = -0.8")
    line = text.strip().splitlines()[-1]
    l3 = (0.6 ** 3 + 0.8 ** 3) ** (1 / 3)
    assert "‖x‖₁ = 1.4000" in line and "‖x‖₂ = 1.0000" in line and "‖x‖∞ = 0.8000" in line
    assert f"‖x‖ₚ = {l3:.4f} for p = 3" in line


@pytest.mark.parametrize("slider", ["lp_x1", "lp_x2"])
def test_every_position_of_the_point_draws(kernel, slider):
    kernel.run(f"lp_p.value = 1.5; {slider}.value = 0.05")
    lo, hi = kernel.json(f"[{slider}.min, {slider}.max]")
    images = set()
    for value in np.linspace(lo, hi, 13):                           # steps of 0.25, 0 included
        out = kernel.run(f"{slider}.value = {float(value)!r}")
        assert out.error is None and len(out.images) == 1 and "nan" not in out.text
        images.add(out.images[0])
    assert len(images) == 13


def test_every_control_is_labelled(kernel):
    labels = kernel.json(f"[w.description for w in ({', '.join(MATRIX_SLIDERS + LP_CONTROLS)})]")
    assert all(labels) and len(set(labels)) == len(labels)

"""The A.2 calculus notebook's explorers redraw when their controls move (test_every_notebook runs it)."""

import itertools

import numpy as np
import pytest

from autograder.devtools.course import SOURCE

from .conftest import assert_labelled, assert_values_read_as_written, slider_positions, warnings_are_errors

NOTEBOOK = SOURCE / "A2_calculus" / "A2_calculus.ipynb"
pytestmark = pytest.mark.slow


def test_moving_the_taylor_order_redraws_a_different_figure(kernel):
    kernel.explore("taylor_explorer", name="sin(x)", a=0.0)
    four = kernel.explore("taylor_explorer", order=4)
    five = kernel.explore("taylor_explorer", order=5)
    assert four.image != five.image and four.current["order"] == 4 and five.values["order"] == 5
    assert "largest |f(x) - P_5(x)|" in five.readout and five.readout != four.readout
    assert "order-5 Taylor polynomial" in five.alt and "order-4 Taylor polynomial" in four.alt


def test_moving_the_expansion_point_redraws_a_different_figure(kernel):
    before = kernel.explore("taylor_explorer", name="sin(x)", a=0.5)
    after = kernel.explore("taylor_explorer", a=1.0)
    assert after.image != before.image and after.readout != before.readout
    assert "around a = 0.50" in before.alt and "around a = 1.00" in after.alt


def test_taylor_error_on_the_window_shrinks_with_order_for_sin(kernel):
    values = kernel.json("[float(taylor_frame('sin(x)', n, 0.0)[3]) for n in (5, 7, 9)]")
    assert values == sorted(values, reverse=True) and values[-1] < 0.2


def test_the_taylor_readout_and_alt_text_give_the_largest_error(kernel):
    shown = kernel.explore("taylor_explorer", name="exp(x)", order=3, a=0.5)
    worst = kernel.json("float(taylor_frame('exp(x)', 3, 0.5)[3])")
    assert shown.readout == f"largest |f(x) - P_3(x)| on [-3.00, 3.00]: {worst:.3e}"
    assert shown.alt.startswith("exp(x) on [-3.00, 3.00] with its order-3 Taylor polynomial around a = 0.50")
    assert f"widest, {worst:.3g}, at x = " in shown.alt


def a_range(kernel):
    spec = next(c for c in kernel.json("taylor_explorer.controls") if c["name"] == "a")
    return spec["low"], spec["high"]


def test_switching_to_ln_keeps_the_point_inside_its_domain(kernel):
    kernel.explore("taylor_explorer", name="sin(x)", a=-2.0)
    shown = kernel.explore("taylor_explorer", name="ln(1 + x)")
    assert shown.current["a"] == shown.values["a"] == -0.5 and a_range(kernel) == (-0.5, 2.0)
    assert "largest" in shown.readout and "around a = -0.50" in shown.alt
    assert kernel.explore("taylor_explorer", a=-2.0).current["a"] == -0.5      # the slider's new end


@pytest.mark.parametrize("order", [("sin(x)", "ln(1 + x)", "exp(x)", "sin(x)"),
                                   ("exp(x)", "ln(1 + x)", "sin(x)", "exp(x)")], ids=["from-sin", "from-exp"])
def test_the_range_of_the_expansion_point_follows_the_function(kernel, order):
    ranges = kernel.json("{name: list(spec[3]) for name, spec in TAYLOR_FUNCTIONS.items()}")
    kernel.explore("taylor_explorer", name=order[0])
    for name in order:
        lo, hi = ranges[name]
        kernel.explore("taylor_explorer", name=name)
        assert a_range(kernel) == (lo, hi), name
        for wanted, got in ((lo - 1, lo), (hi + 1, hi), ((lo + hi) / 2, round((lo + hi) / 2 / 0.05) * 0.05)):
            shown = kernel.explore("taylor_explorer", a=wanted)
            assert shown.current["a"] == pytest.approx(got) and lo <= shown.current["a"] <= hi
            assert f"around a = {shown.current['a']:.2f}" in shown.alt


@pytest.mark.parametrize("name", ["exp(x)", "sin(x)", "ln(1 + x)"])
def test_every_function_and_order_draws(kernel, name):
    lo, hi = kernel.json(f"list(TAYLOR_FUNCTIONS[{name!r}][3])")
    kernel.explore("taylor_explorer", name=name)
    frames = set()
    with warnings_are_errors(kernel):
        for order, point in itertools.product(range(11), (lo, (lo + hi) / 2, hi)):
            shown = kernel.explore("taylor_explorer", order=order, a=point)
            assert shown.current == {"name": name, "order": order, "a": point} and not shown.printed
            assert f"P_{order}(x)" in shown.readout and "nan" not in shown.readout + shown.alt
            assert "inf" not in shown.readout and f"order-{order} " in shown.alt
            assert shown.caption == f"{name} and its order-{order} Taylor polynomial around a = {point:.2f}"
            frames.add((shown.image, shown.caption))
    # 33 different frames, though not always 33 different pictures: sin's order-4 polynomial around
    # 0 is its order-3 one, and only the caption says which order it is.
    assert len(frames) == 33


def test_secant_explorer_redraws_for_every_step(kernel):
    steps = kernel.json("SECANT_STEPS")
    words = kernel.json("[step_words(h) for h in SECANT_STEPS]")
    spec = next(c for c in kernel.json("secant_explorer.controls") if c["name"] == "h")
    assert spec["kind"] == "steps" and spec["labels"] == words
    assert steps == sorted(steps) and steps[0] == 1e-15 and steps[-1] == 1.0 and len(steps) == 46
    kernel.explore("secant_explorer", x0=1.0)
    seen = set()
    with warnings_are_errors(kernel):
        for index, h in enumerate(steps):
            shown = kernel.explore("secant_explorer", h=h)
            assert shown.values["h"] == index and shown.current["h"] == h
            assert shown.readout.startswith(f"{words[index]}: slope of secant")
            assert f"for {words[index]}, slope" in shown.alt and f"the marker at {words[index]}" in shown.alt
            seen.add(shown.image)
    assert len(seen) == len(steps)


@pytest.mark.parametrize("h", [0.5, 1e-3, 1e-8, 1e-12])
@pytest.mark.parametrize("x0", [-0.5, 1.0, 2.35])
def test_the_secant_explorer_prints_the_right_slope_and_error(kernel, h, x0):
    shown = kernel.explore("secant_explorer", h=h, x0=x0)
    slope = (np.sin(x0 + h) - np.sin(x0)) / h
    error = abs(slope - np.cos(x0))
    assert f"slope of secant = {slope:.12f}" in shown.readout
    assert f"tangent slope cos(x) = {np.cos(x0):.12f}" in shown.readout
    assert shown.readout.endswith(f"error = {error:.1e}")
    assert f"tangent at x = {x0:.2f}" in shown.alt and f"shows an error of {error:.1e}" in shown.alt
    halved = abs((np.sin(x0 + h / 2) - np.sin(x0)) / (h / 2) - np.cos(x0))
    assert f"halving h {'lowers' if halved < error else 'does not lower'} it" in shown.alt


def test_every_position_of_the_secant_point_draws(kernel):
    kernel.explore("secant_explorer", h=1e-5)
    spec = next(c for c in kernel.json("secant_explorer.controls") if c["name"] == "x0")
    images = set()
    with warnings_are_errors(kernel):
        for x0 in slider_positions(spec):
            shown = kernel.explore("secant_explorer", x0=x0)
            assert shown.current["x0"] == x0 and "nan" not in shown.readout + shown.alt
            assert f"tangent at x = {x0:.2f}" in shown.alt and not shown.printed
            images.add(shown.image)
    assert len(images) == len(slider_positions(spec))


def test_every_control_is_labelled(kernel):
    assert_labelled(kernel, "taylor_explorer", ["name", "order", "a"])
    assert_labelled(kernel, "secant_explorer", ["h", "x0"])
    labels = [c["label"] for name in ("taylor_explorer", "secant_explorer")
              for c in kernel.json(f"{name}.controls")]
    assert {"function f", "order n", "expansion point a", "step h"} <= set(labels)


@pytest.mark.parametrize("explorer", ["taylor_explorer", "secant_explorer"])
def test_slider_values_read_as_written(kernel, explorer):
    kernel.explore("taylor_explorer", name="sin(x)")
    assert_values_read_as_written(kernel, explorer)


def test_backpropagation_matches_central_differences_for_other_networks(kernel):
    """The bridge's backward() is right in general, not only for the network the notebook draws."""
    gaps = kernel.json("""[float(max(np.max(np.abs(
        central_gradient(lambda v, k=k: forward({**p, k: v}, v if k == 'x' else x, 0.7)[0],
                         x if k == 'x' else p[k]) - backward(p, x, 0.7)[k]))
        for k in ['W1', 'b1', 'w2', 'b2', 'x']))
        for p, x in [({'W1': r.normal(size=(m, n)), 'b1': r.normal(size=m), 'w2': r.normal(size=m),
                       'b2': float(r.normal())}, r.normal(size=n))
                     for r, m, n in [(np.random.default_rng(s), 2 + s, 5 - s) for s in range(4)]]]""")
    assert len(gaps) == 4 and max(gaps) < 1e-7


def test_the_hessian_conventions_differ_only_where_the_mixed_partials_do(kernel):
    """The two books' Hessians are transposes: equal for the smooth example, not at the counterexample."""
    same_smooth, same_twisted = kernel.json(
        "[bool(np.allclose(H, H.T, atol=1e-4)), bool(np.allclose(H_ours, H_other, atol=0.5))]")
    assert same_smooth and not same_twisted


def test_gradient_descent_on_the_quadratic_converges_exactly_below_two_over_lambda_max(kernel):
    """The reference gradient_descent converges on the bridge's quadratic iff lr < 2 / λ_max ≈ 0.553."""
    outcomes = kernel.json("""[
        bool(np.linalg.norm(gradient_descent(grad_q, [2, 2], lr, 1000) - x_star) < 1e-6)
        for lr in (0.1, 0.3, 0.5, 0.56, 0.6)]""")
    assert outcomes == [True, True, True, False, False]


@pytest.mark.parametrize("a", [0.0, 1.0])
def test_the_ln_series_converges_up_to_two_a_plus_one_and_diverges_beyond(kernel, a):
    """The boundary the notebook checks at a = 0.5 is right for other expansion points too."""
    def errors(x):
        return (f"[abs(float(taylor_horner(derivatives_at('ln(1 + x)', {a}, n), {a}, {x})) - np.log1p({x}))"
                " for n in (5, 10, 20, 40)]")
    inside, end, beyond = (2 * a + 1) - 0.5, 2 * a + 1, 2 * a + 1.3
    values = kernel.json(f"[{errors(inside)}, {errors(end)}, {errors(beyond)}]")
    for falling in values[:2]:
        assert falling == sorted(falling, reverse=True) and falling[-1] < falling[0] / 5
    assert values[2] == sorted(values[2]) and values[2][-1] > 10 * values[2][0]


def test_the_second_order_taylor_remainder_is_cubic_at_other_points(kernel):
    """Each halving of ε divides f(x + ε) - f(x) - ∇fᵀε - ½εᵀHε by about 8, for other x and ε."""
    ratios = kernel.json("""[float(r(t) / r(t / 2))
        for p, u in [(np.array([-0.4, 1.1]), np.array([0.8, -0.6])),
                     (np.array([1.2, 0.3]), np.array([0.0, 1.0]))]
        for r in [lambda t, p=p, u=u: smooth(p + t * u) - smooth(p) - smooth_gradient(p) @ (t * u)
                  - 0.5 * (t * u) @ smooth_hessian(p) @ (t * u)]
        for t in (0.02, 0.01)]""")
    assert len(ratios) == 4 and all(abs(q - 8) < 0.5 for q in ratios)


@pytest.mark.parametrize("x0", [0.5, 2.0])
def test_the_round_off_model_fits_the_measured_errors_at_other_points(kernel, x0):
    """½|f''|h + 1e-16|f|/h for sin: right to 1% for 1e-6 <= h <= 1e-2, never exceeded twice, and of
    the typical size of the round-off errors for h <= 1e-11."""
    model = f"(0.5 * abs(np.sin({x0})) * ALL_STEPS + 1e-16 * abs(np.sin({x0})) / ALL_STEPS)"
    worst, largest, median = kernel.json(f"""[float(v) for v in (lambda r: (
        np.max(np.abs(r[(ALL_STEPS >= 1e-6) & (ALL_STEPS <= 1e-2)] - 1)),
        np.max(r[(ALL_STEPS >= 1e-15) & (ALL_STEPS <= 0.1)]), np.median(r[ALL_STEPS <= 1e-11])))(
        quotient_errors({x0}) / {model})]""")
    assert worst < 0.01 and largest < 2 and 0.1 < median < 1

"""The A.2 calculus notebook's widgets redraw when their controls move (test_every_notebook runs it)."""

import itertools

import pytest

from autograder.course import SOURCE

NOTEBOOK = SOURCE / "A2_calculus" / "A2_calculus.ipynb"
pytestmark = pytest.mark.slow


def test_moving_the_taylor_order_redraws_a_different_figure(kernel):
    first, text4 = kernel.redraw("taylor_order.value = 4")
    second, text5 = kernel.redraw("taylor_order.value = 5")
    assert len(first) == len(second) == 1 and second[0] != first[0]
    assert "largest |f(x) - P_5(x)|" in text5 and text5 != text4


def test_moving_the_expansion_point_redraws_a_different_figure(kernel):
    before, _ = kernel.redraw("taylor_point.value = 0.5")
    after, _ = kernel.redraw("taylor_point.value = 1.0")
    assert len(before) == len(after) == 1 and after[0] != before[0]


def test_taylor_error_on_the_window_shrinks_with_order_for_sin(kernel):
    values = kernel.json("[float(taylor_frame('sin(x)', n, 0.0)[3]) for n in (5, 7, 9)]")
    assert values == sorted(values, reverse=True) and values[-1] < 0.2


def test_switching_to_ln_keeps_the_point_inside_its_domain(kernel):
    kernel.redraw("taylor_point.value = -2.0")
    images, text = kernel.redraw("taylor_function.value = 'ln(1 + x)'")
    point = float(kernel.run("print(taylor_point.value, taylor_point.min)").text.split()[0])
    assert point == -0.5 and images and "largest" in text


@pytest.mark.parametrize("name", ["exp(x)", "sin(x)", "ln(1 + x)"])
def test_every_function_and_order_draws(kernel, name):
    lo_hi = kernel.run(f"print(*TAYLOR_FUNCTIONS[{name!r}][3])").text.split()
    lo, hi = float(lo_hi[0]), float(lo_hi[1])
    kernel.run(f"taylor_function.value = {name!r}")
    for order, point in itertools.product(range(11), (lo, (lo + hi) / 2, hi)):
        out = kernel.run(f"taylor_order.value = {order}; taylor_point.value = {point}")
        assert out.error is None
    # the last setting drew a figure and printed a finite error
    out = kernel.run("taylor_order.value = 0")
    assert out.images and "nan" not in out.text


def test_secant_explorer_redraws_for_every_step(kernel):
    seen = set()
    for log10_h in (-15.0, -8.0, -3.0, 0.0):
        images, text = kernel.redraw(f"secant_h.value = {log10_h}")
        assert len(images) == 1 and f"h = {10 ** log10_h:.1e}" in text
        seen.add(images[0])
    assert len(seen) == 4


def test_every_control_is_labelled(kernel):
    controls = "taylor_function, taylor_order, taylor_point, secant_h, secant_x"
    labels = kernel.json(f"[w.description for w in ({controls})]")
    assert all(labels) and len(set(labels)) == len(labels)


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

"""The A.3 probability notebook's widgets redraw when their controls move (test_every_notebook runs it)."""

import re

import nbformat
import numpy as np
import pytest

from autograder.course import SOURCE

NOTEBOOK = SOURCE / "A3_probability" / "A3_probability.ipynb"
pytestmark = pytest.mark.slow


def printed_row(text, quantity):
    """The exact fraction, its decimal and the simulated value last printed for one quantity."""
    rows = re.findall(rf"^{re.escape(quantity)}\s+(\S+) = ([0-9.]+)\s+([0-9.]+|nan)$", text, re.M)
    assert rows, f"no row for {quantity} in:\n{text}"
    fraction, decimal, simulated = rows[-1]
    return fraction, float(decimal), float(simulated)


def verdict(text):
    """The independence verdict printed last."""
    return text.rstrip().splitlines()[-1]


# --- the conditional-probability explorer ---------------------------------------------------


def test_conditional_explorer_prints_the_right_numbers_for_a_known_setting(kernel):
    kernel.run("cond_b.value = 'doubles'")
    images, text = kernel.redraw("cond_n.value = 100_000; cond_a.value = 'first die is even'; "
                                  "cond_b.value = 'sum is at least 9'")
    assert images
    # A has 18 outcomes, B = {sum >= 9} has 10, and 6 of them have an even first die.
    want = {"P(A)": ("1/2", 0.5), "P(B)": ("5/18", 10 / 36), "P(A ∩ B)": ("1/6", 6 / 36),
            "P(A)·P(B)": ("5/36", 5 / 36), "P(A | B)": ("3/5", 0.6), "P(B | A)": ("1/3", 1 / 3)}
    conditioned_on = {"P(A | B)": 10 / 36, "P(B | A)": 0.5}  # share of the rolls each one counts
    for quantity, (fraction, value) in want.items():
        shown, decimal, simulated = printed_row(text, quantity)
        assert shown == fraction and decimal == pytest.approx(value, abs=5e-5)
        trials = 100_000 * conditioned_on.get(quantity, 1)
        assert abs(simulated - value) < 4 * np.sqrt(value * (1 - value) / trials) + 1e-4, quantity
    assert verdict(text).startswith("A and B are dependent")


def test_conditional_explorer_finds_the_surprising_independent_pairs(kernel):
    kernel.run("cond_a.value = 'doubles'")
    for name_a, name_b in [("sum is 7", "first die shows 5 or 6"), ("first die is even", "sum is even")]:
        _, text = kernel.redraw(f"cond_a.value = {name_a!r}; cond_b.value = {name_b!r}")
        assert verdict(text).startswith("A and B are independent")
        assert printed_row(text, "P(A | B)")[0] == printed_row(text, "P(A)")[0]


def test_moving_the_number_of_rolls_redraws_with_other_simulated_numbers(kernel):
    kernel.run("cond_a.value = 'doubles'; cond_b.value = 'sum is even'")
    seen_images, seen_estimates = set(), set()
    for n in (100, 1_000, 50_000):
        images, text = kernel.redraw(f"cond_n.value = {n}")
        assert len(images) == 1 and f"simulated, {n:,} rolls" in text
        seen_images.add(images[0])
        seen_estimates.add(printed_row(text, "P(A | B)")[2])
    assert len(seen_images) == 3 and len(seen_estimates) == 3


def test_same_settings_draw_the_same_simulation(kernel):
    kernel.run("cond_n.value = 2_000")
    first_images, first = kernel.redraw("cond_n.value = 3_000")
    kernel.redraw("cond_n.value = 4_000")
    again_images, again = kernel.redraw("cond_n.value = 3_000")
    assert first == again and first_images == again_images


def test_every_pair_of_events_and_every_roll_count_draws(kernel):
    names = kernel.json("list(DICE_EVENTS)")
    kernel.run(f"cond_n.value = 100; cond_a.value = {names[-1]!r}; cond_b.value = {names[-1]!r}")
    seen = set()
    for name_a in names:
        for name_b in names:
            out = kernel.run(f"cond_a.value = {name_a!r}; cond_b.value = {name_b!r}")
            assert out.error is None and out.images and "nan" not in out.text
            seen.add(out.images[-1])
    assert len(seen) == len(names) ** 2  # every pair draws its own picture
    lo, hi = kernel.json("[cond_n.min, cond_n.max]")
    for n in [*range(lo + 100, hi, 9_900), hi, lo]:
        out = kernel.run(f"cond_n.value = {n}")
        assert out.images and f"{n:,} rolls" in out.text and "nan" not in out.text


# --- the law-of-large-numbers explorer ------------------------------------------------------


def sample_mean(text):
    return float(re.search(r"sample mean of all n = [\d,]+ samples: (-?[0-9.]+)", text).group(1))


def set_interval(kernel, a, b):
    """Move the sliders to a and b in an order that keeps a < b at every step (nothing is pushed)."""
    order = ("lln_a", "lln_b") if a < kernel.json("lln_b.value") else ("lln_b", "lln_a")
    values = {"lln_a": a, "lln_b": b}
    kernel.run("; ".join(f"{name}.value = {values[name]}" for name in order))


@pytest.mark.parametrize("a, b, n", [(-1.0, 2.0, 1_000), (0.0, 1.0, 20_000), (-3.0, 3.0, 100),
                                     (1.5, 2.0, 5_000), (-2.5, -0.5, 300)])
def test_running_mean_printed_is_near_the_midpoint(kernel, a, b, n):
    kernel.run("lln_n.value = 10")
    set_interval(kernel, a, b)
    images, text = kernel.redraw(f"lln_n.value = {n}")
    assert len(images) == 1 and kernel.json("[lln_a.value, lln_b.value]") == [a, b]
    standard_error = (b - a) / np.sqrt(12 * n)
    assert abs(sample_mean(text) - (a + b) / 2) < 4 * standard_error
    assert f"(a + b)/2 = {(a + b) / 2:.4f}" in text


def test_moving_the_sample_count_redraws_a_different_figure(kernel):
    kernel.run("lln_n.value = 10")
    set_interval(kernel, -1.0, 2.0)
    seen = set()
    for n in (100, 2_000, 20_000):
        images, text = kernel.redraw(f"lln_n.value = {n}")
        assert len(images) == 1 and f"n = {n:,} samples" in text
        seen.add(images[0])
    assert len(seen) == 3


def test_moving_an_end_redraws_a_different_figure(kernel):
    set_interval(kernel, -1.0, 2.0)
    before, text_before = kernel.redraw("lln_a.value = -2.0")
    after, text_after = kernel.redraw("lln_b.value = 1.0")
    assert len(before) == len(after) == 1 and before != after and text_before != text_after


def test_dragging_one_end_past_the_other_keeps_a_below_b(kernel):
    set_interval(kernel, 0.0, 1.0)
    images, _ = kernel.redraw("lln_a.value = 2.0")
    assert images and kernel.json("[lln_a.value, lln_b.value]") == [2.0, 2.5]
    images, text = kernel.redraw("lln_b.value = -2.0")
    assert images and kernel.json("[lln_a.value, lln_b.value]") == [-2.5, -2.0]
    assert "(a + b)/2 = -2.2500" in text.splitlines()[-2]


def test_every_position_of_every_lln_control_draws(kernel):
    kernel.run("lln_n.value = 500")
    for control in ("lln_a", "lln_b"):
        lo, hi = kernel.json(f"[{control}.min, {control}.max]")
        for value in np.linspace(lo, hi, 12).round(1):
            out = kernel.run(f"{control}.value = {value}")
            a, b = kernel.json("[lln_a.value, lln_b.value]")
            assert out.error is None and a < b and "nan" not in out.text
    lo, hi = kernel.json("[lln_n.min, lln_n.max]")
    for n in (lo, 20, 1_000, 10_000, hi):
        out = kernel.run(f"lln_n.value = {n}")
        assert out.images and f"n = {n:,} samples" in out.text


def test_every_control_is_labelled(kernel):
    labels = kernel.json("[w.description for w in (cond_a, cond_b, cond_n, lln_a, lln_b, lln_n)]")
    assert all(labels) and len(set(labels)) == len(labels)


# --- the bridge to deep learning (Section 4) ------------------------------------------------


def test_clt_figure_draws_one_image_and_the_means_of_32_draws_look_normal(kernel):
    out = kernel.run("draw_clt()")
    assert out.error is None and len(out.images) == 1
    shares = kernel.json("[float(np.mean(np.abs(standardized_means(32)) <= k)) for k in (1, 2, 3)]")
    normal = [0.6827, 0.9545, 0.9973]
    assert all(abs(share - want) < 0.01 for share, want in zip(shares, normal, strict=True))


def test_softmax_rows_are_conditional_distributions_for_any_logits(kernel):
    logits = "np.random.default_rng(4).normal(scale=30, size=(50, 5))"
    rows = kernel.json(f"softmax({logits}).sum(axis=1).tolist()")
    assert np.allclose(rows, 1)
    assert kernel.json("bool(np.allclose(softmax(np.array([[1000.0, 0.0, -1000.0]])), [[1, 0, 0]]))")


def test_minibatch_loss_mean_is_unbiased_for_the_exact_cross_entropy(kernel):
    gap = kernel.json("float((batch_means.mean() - expected_loss) / (loss_sd / np.sqrt(256 * 2_000)))")
    assert abs(gap) < 4


ISSUE_14_WRONG_ANSWERS = [
    ("is_independent", "def is_independent(joint, tol=1e-9):\n"
                       "    product = np.outer(joint.sum(axis=1), joint.sum(axis=0))\n"
                       "    return bool(np.any(np.abs(joint - product) <= tol))\n"),
    ("is_independent", "def is_independent(joint, tol=1e-9):\n"
                       "    product = np.outer(joint.sum(axis=1), joint.sum(axis=0))\n"
                       "    return bool(abs(joint[0, 0] - product[0, 0]) <= tol)\n"),
    ("discrete_expectation", "def discrete_expectation(values, probs):\n"
                             "    values, probs = np.asarray(values, float), np.asarray(probs, float)\n"
                             "    if values.shape != probs.shape or np.any(probs < 0):\n"
                             "        raise ValueError('invalid')\n"
                             "    if not np.isclose(probs.sum(), 1):\n"
                             "        raise ValueError('invalid')\n"
                             "    return float(values @ probs)\n"),
    ("monte_carlo_integral", "def monte_carlo_integral(g, a, b, n, rng):\n"
                             "    return float((b - a) * np.mean(g(rng.uniform(a, b, size=n // 4))))\n"),
    ("monte_carlo_integral", "def monte_carlo_integral(g, a, b, n, rng):\n"
                             "    return float((b - a) * np.mean(g(rng.uniform(a, b, size=n // 10))))\n"),
]


@pytest.mark.parametrize("name, code", ISSUE_14_WRONG_ANSWERS,
                         ids=["np-any", "entry-0-0", "isclose-default", "n-over-4", "n-over-10"])
def test_the_visible_checks_reject_the_wrong_answers_issue_14_names(kernel, name, code):
    """Regression (issue 14): is_independent with np.any or only entry [0, 0], discrete_expectation
    with np.isclose's default tolerance, and monte_carlo_integral with n // 4 or n // 10 samples
    showed ✔ to the learner."""
    assert _visible_verdict(kernel, name, code) == "fail"


def test_the_minibatch_gradient_is_an_unbiased_estimate_of_the_gradient_of_the_loss(kernel):
    """The claim after the cross-entropy cell, checked: the per-pair gradient formula matches finite
    differences of L, and the minibatch gradients average to it and spread by σ/√B."""
    gaps = kernel.json("np.abs(gradient_gaps).tolist()")
    assert len(gaps) == 3 and all(abs(g) < 4 for row in gaps for g in row)
    assert kernel.json("bool(np.allclose(finite_differences, exact_gradient, rtol=0, atol=1e-6))")
    assert kernel.json("float(np.max(np.abs(spread_ratio - 1)))") < 0.1


def test_the_uniform_fourth_moment_formula_holds(kernel):
    """μ₄ - σ⁴ = (b - a)⁴/180 for U(-1, 3), the interval of Section 3's midpoint rule."""
    assert kernel.json("bool(np.isclose(mu4_integral - var_integral ** 2, 4.0 ** 4 / 180))")
    assert kernel.json("bool(abs(experiment_variances.std() / variance_se - 1) < 0.06)")


def _visible_verdict(kernel, name, code):
    """The learner's verdict on code for name, from the visible part of its test cell."""
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source
             for c in nbformat.read(NOTEBOOK, as_version=4).cells}
    latest = "__import__('autograder.verdict', fromlist=['latest']).latest"
    kernel.run(f"_saved = {name}")
    try:
        kernel.run(code)
        kernel.run(cells[f"test_{name}"].split("### BEGIN HIDDEN TESTS")[0])
        return kernel.json(f"{latest}[{name!r}].status")
    finally:
        kernel.run(f"{name} = _saved")


def _gap_check(expression):
    return ("def is_independent(joint, tol=1e-9):\n"
            "    gap = joint - np.outer(joint.sum(axis=1), joint.sum(axis=0))\n"
            f"    return bool({expression})\n")


REVIEW_WRONG_ANSWERS = {
    "no-abs": ("is_independent", _gap_check("np.all(gap <= tol)")),
    "no-abs-reversed": ("is_independent", _gap_check("np.all(-gap <= tol)")),
    "diagonal-only": ("is_independent", _gap_check("np.all(np.abs(np.diag(gap)) <= tol)")),
    "last-row-and-column": ("is_independent", _gap_check("np.all(np.abs(gap[-1]) <= tol) "
                                                         "and np.all(np.abs(gap[:, -1]) <= tol)")),
    "first-row-only": ("is_independent", _gap_check("np.all(np.abs(gap[0]) <= tol)")),
    "strict-less": ("is_independent", _gap_check("np.all(np.abs(gap) < tol)")),
    "corner-determinant": ("is_independent",
                           "def is_independent(joint, tol=1e-9):\n"
                           "    det = joint[0, 0] * joint[1, 1] - joint[0, 1] * joint[1, 0]\n"
                           "    return bool(abs(det) <= tol)\n"),
    "uncorrelated": ("is_independent",
                     "def is_independent(joint, tol=1e-9):\n"
                     "    i, j = np.indices(joint.shape)\n"
                     "    e_ij, e_i, e_j = np.sum(i * j * joint), np.sum(i * joint), np.sum(j * joint)\n"
                     "    return bool(abs(e_ij - e_i * e_j) <= tol)\n"),
    "zero-probability-rejected": ("discrete_expectation",
                                  "def discrete_expectation(values, probs):\n"
                                  "    values, probs = np.asarray(values, float), np.asarray(probs, float)\n"
                                  "    if values.shape != probs.shape or np.any(probs <= 0):\n"
                                  "        raise ValueError('invalid')\n"
                                  "    if abs(probs.sum() - 1) > 1e-9:\n"
                                  "        raise ValueError('invalid')\n"
                                  "    return float(values @ probs)\n"),
    "above-one-for-negative": ("discrete_expectation",
                               "def discrete_expectation(values, probs):\n"
                               "    values, probs = np.asarray(values, float), np.asarray(probs, float)\n"
                               "    if values.shape != probs.shape or np.any(probs > 1):\n"
                               "        raise ValueError('invalid')\n"
                               "    if abs(probs.sum() - 1) > 1e-9:\n"
                               "        raise ValueError('invalid')\n"
                               "    return float(values @ probs)\n"),
    "tolerance-1.9e-9": ("discrete_expectation",
                         "def discrete_expectation(values, probs):\n"
                         "    values, probs = np.asarray(values, float), np.asarray(probs, float)\n"
                         "    if values.shape != probs.shape or np.any(probs < 0):\n"
                         "        raise ValueError('invalid')\n"
                         "    if abs(probs.sum() - 1) > 1.9e-9:\n"
                         "        raise ValueError('invalid')\n"
                         "    return float(values @ probs)\n"),
    "tolist": ("conditional_table",
               "def conditional_table(joint):\n"
               "    return (joint / joint.sum(axis=0)).tolist()\n"),
    "in-place-division": ("conditional_table",
                          "def conditional_table(joint):\n"
                          "    joint /= joint.sum(axis=0)\n"
                          "    return joint\n"),
    "list-result": ("categorical_mle",
                    "def categorical_mle(samples, k):\n"
                    "    samples = np.asarray(samples)\n"
                    "    if np.any((samples < 0) | (samples >= k)):\n"
                    "        raise ValueError('outside')\n"
                    "    return list(np.bincount(samples, minlength=k) / samples.size)\n"),
    "sorts-in-place": ("categorical_mle",
                       "def categorical_mle(samples, k):\n"
                       "    samples.sort()\n"
                       "    if samples[0] < 0 or samples[-1] >= k:\n"
                       "        raise ValueError('outside')\n"
                       "    return np.bincount(samples, minlength=k) / len(samples)\n"),
}


@pytest.mark.parametrize("case", list(REVIEW_WRONG_ANSWERS))
def test_the_visible_checks_reject_the_wrong_answers_the_review_names(kernel, case):
    """Regression: these answers showed ✔ to the learner (several also earned full points)."""
    name, code = REVIEW_WRONG_ANSWERS[case]
    assert _visible_verdict(kernel, name, code) == "fail"


def test_a_bayes_answer_in_exact_fractions_passes(kernel):
    code = ("def bayes_positive_test(prevalence, sensitivity, specificity):\n"
            "    prior, hit, correct = Fraction(prevalence), Fraction(sensitivity), Fraction(specificity)\n"
            "    return hit * prior / (hit * prior + (1 - correct) * (1 - prior))\n")
    assert _visible_verdict(kernel, "bayes_positive_test", code) == "pass"

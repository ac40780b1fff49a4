"""The A.3 probability notebook's explorers redraw when their controls move (test_every_notebook runs it)."""

import re

import nbformat
import numpy as np
import pytest

from autograder.devtools.course import SOURCE
from autograder.devtools.kernel import CellError

from .conftest import (
    assert_labelled,
    assert_values_read_as_written,
    controls,
    slider_positions,
    warnings_are_errors,
)

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
    kernel.explore("cond_explorer", name_B="doubles")
    shown = kernel.explore("cond_explorer", n=100_000, name_A="first die is even", name_B="sum is at least 9")
    assert shown.image and shown.current == {"name_A": "first die is even", "name_B": "sum is at least 9",
                                             "n": 100_000}
    text = shown.readout
    # A has 18 outcomes, B = {sum >= 9} has 10, and 6 of them have an even first die.
    want = {"P(A)": ("1/2", 0.5), "P(B)": ("5/18", 10 / 36), "P(A ∩ B)": ("1/6", 6 / 36),
            "P(A)·P(B)": ("5/36", 5 / 36), "P(A | B)": ("3/5", 0.6), "P(B | A)": ("1/3", 1 / 3)}
    conditioned_on = {"P(A | B)": 10 / 36, "P(B | A)": 0.5}  # share of the rolls each one counts
    for quantity, (fraction, value) in want.items():
        shown_fraction, decimal, simulated = printed_row(text, quantity)
        assert shown_fraction == fraction and decimal == pytest.approx(value, abs=5e-5)
        trials = 100_000 * conditioned_on.get(quantity, 1)
        assert abs(simulated - value) < 4 * np.sqrt(value * (1 - value) / trials) + 1e-4, quantity
    assert verdict(text).startswith("A and B are dependent")


def test_the_conditional_alt_text_names_the_events_and_the_numbers_shown(kernel):
    shown = kernel.explore("cond_explorer", n=2_500, name_A="first die is even", name_B="sum is at least 9")
    alt = shown.alt
    assert "A = first die is even filled and B = sum is at least 9 hatched; 6 outcomes are both" in alt
    assert "P(A) = 1/2, P(B) = 5/18, P(A ∩ B) = 1/6, P(A)·P(B) = 5/36" in alt
    assert "in 2,500 simulated rolls" in alt and alt.endswith("A and B are dependent.")
    other = kernel.explore("cond_explorer", name_A="sum is 7", name_B="first die shows 5 or 6")
    assert other.alt != alt and "A = sum is 7 filled" in other.alt and "2 outcomes are both" in other.alt
    assert other.alt.endswith("A and B are independent.")
    assert "in 3,000 simulated rolls" in kernel.explore("cond_explorer", n=3_000).alt


def test_conditional_explorer_finds_the_surprising_independent_pairs(kernel):
    kernel.explore("cond_explorer", name_A="doubles")
    for name_a, name_b in [("sum is 7", "first die shows 5 or 6"), ("first die is even", "sum is even")]:
        text = kernel.explore("cond_explorer", name_A=name_a, name_B=name_b).readout
        assert verdict(text).startswith("A and B are independent")
        assert printed_row(text, "P(A | B)")[0] == printed_row(text, "P(A)")[0]


def test_moving_the_number_of_rolls_redraws_with_other_simulated_numbers(kernel):
    kernel.explore("cond_explorer", name_A="doubles", name_B="sum is even")
    seen_images, seen_estimates = set(), set()
    for n in (100, 1_000, 50_000):
        shown = kernel.explore("cond_explorer", n=n)
        assert f"simulated, {n:,} rolls" in shown.readout and f"in {n:,} simulated rolls" in shown.alt
        seen_images.add(shown.image)
        seen_estimates.add(printed_row(shown.readout, "P(A | B)")[2])
    assert len(seen_images) == 3 and len(seen_estimates) == 3


def test_same_settings_draw_the_same_simulation(kernel):
    kernel.explore("cond_explorer", n=2_000)
    first = kernel.explore("cond_explorer", n=3_000)
    kernel.explore("cond_explorer", n=4_000)
    again = kernel.explore("cond_explorer", n=3_000)
    assert (first.readout, first.alt, first.image) == (again.readout, again.alt, again.image)


def test_every_pair_of_events_and_every_roll_count_draws(kernel):
    names = kernel.json("list(DICE_EVENTS)")
    specs = controls(kernel, "cond_explorer")
    assert specs["name_A"]["options"] == specs["name_B"]["options"] == names
    kernel.explore("cond_explorer", n=100, name_A=names[-1], name_B=names[-1])
    seen = set()
    with warnings_are_errors(kernel):
        for name_a in names:
            for name_b in names:
                shown = kernel.explore("cond_explorer", name_A=name_a, name_B=name_b)
                assert "nan" not in shown.readout + shown.alt and not shown.printed
                assert f"A = {name_a} filled and B = {name_b} hatched" in shown.alt
                seen.add(shown.image)
        assert len(seen) == len(names) ** 2  # every pair draws its own picture
        positions = slider_positions(specs["n"])
        assert positions[0] == 100 and positions[-1] == 100_000
        for n in [*positions[1::99], positions[-1], positions[0]]:
            shown = kernel.explore("cond_explorer", n=n)
            assert shown.current["n"] == n and isinstance(shown.values["n"], int)
            assert f"{n:,} rolls" in shown.readout and "nan" not in shown.readout + shown.alt


def test_an_unknown_event_is_refused(kernel):
    with pytest.raises(CellError, match="not one of"):
        kernel.explore("cond_explorer", name_A="sum is 13")
    with pytest.raises(CellError, match="no control named"):
        kernel.explore("cond_explorer", event="doubles")


# --- the law-of-large-numbers explorer ------------------------------------------------------


def sample_mean(text):
    return float(re.search(r"sample mean of all n = [\d,]+ samples: (-?[0-9.]+)", text).group(1))


def set_interval(kernel, a, b):
    """Move both ends at once; as a < b, nothing is pushed."""
    shown = kernel.explore("lln_explorer", a=a, b=b)
    assert (shown.current["a"], shown.current["b"]) == (a, b)
    return shown


@pytest.mark.parametrize("a, b, n", [(-1.0, 2.0, 1_000), (0.0, 1.0, 20_000), (-3.0, 3.0, 100),
                                     (1.5, 2.0, 5_000), (-2.5, -0.5, 300)])
def test_running_mean_printed_is_near_the_midpoint(kernel, a, b, n):
    kernel.explore("lln_explorer", n=10)
    set_interval(kernel, a, b)
    shown = kernel.explore("lln_explorer", n=n)
    assert [shown.current["a"], shown.current["b"]] == [a, b]
    standard_error = (b - a) / np.sqrt(12 * n)
    assert abs(sample_mean(shown.readout) - (a + b) / 2) < 4 * standard_error
    assert f"(a + b)/2 = {(a + b) / 2:.4f}" in shown.readout
    assert f"standard error σ/√n = {standard_error:.4g}" in shown.readout
    assert f"(b - a)²/12 = {(b - a) ** 2 / 12:.4g}" in shown.readout


def test_the_lln_alt_text_names_the_interval_the_samples_and_the_mean(kernel):
    set_interval(kernel, -1.0, 2.0)
    shown = kernel.explore("lln_explorer", n=2_000)
    alt = shown.alt
    assert alt.startswith("Left: a histogram of 2,000 samples of U(-1.0, 2.0)")
    assert f"the flat density {1 / 3:.3g}" in alt and "next to the expectation 0.50" in alt
    assert f"ending at {sample_mean(shown.readout):.3f}" in alt
    assert re.search(r"inside the ±2σ/√k band for \d+% of the sample counts", alt)
    moved = set_interval(kernel, 0.5, 1.5)
    assert "U(0.5, 1.5)" in moved.alt and "the expectation 1.00" in moved.alt and moved.alt != alt


def test_moving_the_sample_count_redraws_a_different_figure(kernel):
    kernel.explore("lln_explorer", n=10)
    set_interval(kernel, -1.0, 2.0)
    seen = set()
    for n in (100, 2_000, 20_000):
        shown = kernel.explore("lln_explorer", n=n)
        assert f"n = {n:,} samples" in shown.readout and f"a histogram of {n:,} samples" in shown.alt
        seen.add(shown.image)
    assert len(seen) == 3


def test_moving_an_end_redraws_a_different_figure(kernel):
    set_interval(kernel, -1.0, 2.0)
    before = kernel.explore("lln_explorer", a=-2.0)
    after = kernel.explore("lln_explorer", b=1.0)
    assert before.image != after.image and before.readout != after.readout and before.alt != after.alt
    assert "U(-2.0, 2.0)" in before.alt and "U(-2.0, 1.0)" in after.alt


def test_dragging_one_end_past_the_other_keeps_a_below_b(kernel):
    set_interval(kernel, 0.0, 1.0)
    shown = kernel.explore("lln_explorer", a=2.0)
    assert shown.image and [shown.current["a"], shown.current["b"]] == [2.0, 2.5]
    assert shown.values["b"] == 2.5 and "U(2.0, 2.5)" in shown.alt      # the page is told of the push
    shown = kernel.explore("lln_explorer", b=-2.0)
    assert shown.image and [shown.current["a"], shown.current["b"]] == [-2.5, -2.0]
    assert "(a + b)/2 = -2.2500" in shown.readout.splitlines()[0] and "U(-2.5, -2.0)" in shown.alt
    shown = kernel.explore("lln_explorer", a=-2.0)                     # a = b: b moves on
    assert [shown.current["a"], shown.current["b"]] == [-2.0, -1.5]
    shown = kernel.explore("lln_explorer", b=2.5, a=2.5)  # both at once: b, named first, is dragged
    assert [shown.current["a"], shown.current["b"]] == [2.0, 2.5]


def test_every_position_of_every_lln_control_draws(kernel):
    kernel.explore("lln_explorer", n=500)
    specs = controls(kernel, "lln_explorer")
    with warnings_are_errors(kernel):
        for control in ("a", "b"):
            set_interval(kernel, -0.5, 0.5)
            for value in slider_positions(specs[control]):             # every step of 0.1
                shown = kernel.explore("lln_explorer", **{control: value})
                a, b = shown.current["a"], shown.current["b"]
                assert shown.current[control] == value and a < b and not shown.printed
                assert "nan" not in shown.readout + shown.alt and f"U({a:.1f}, {b:.1f})" in shown.alt
        positions = slider_positions(specs["n"])
        assert positions[0] == 10 and positions[-1] == 20_000
        for n in (positions[0], 20, 1_000, 10_000, positions[-1]):
            shown = kernel.explore("lln_explorer", n=n)
            assert f"n = {n:,} samples" in shown.readout and f"{n:,} samples of U" in shown.alt


def test_every_control_is_labelled(kernel):
    assert_labelled(kernel, "cond_explorer", ["name_A", "name_B", "n"])
    assert_labelled(kernel, "lln_explorer", ["a", "b", "n"])
    labels = [c["label"] for e in ("cond_explorer", "lln_explorer") for c in kernel.json(f"{e}.controls")]
    assert {"simulated rolls", "samples n"} <= set(labels)


@pytest.mark.parametrize("explorer", ["cond_explorer", "lln_explorer"])
def test_slider_values_read_as_written(kernel, explorer):
    set_interval(kernel, -0.5, 0.5)
    assert_values_read_as_written(kernel, explorer)


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
    latest = "__import__('autograder.learner.verdict', fromlist=['latest']).latest"
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

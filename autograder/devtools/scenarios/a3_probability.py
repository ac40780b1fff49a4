"""A3_probability: the mistakes students typically make, and what each kind of submission earns."""

import textwrap

from autograder.devtools.answers import right, wrong
from autograder.devtools.submissions import RAISING, RIGHT, WRONG, Scenario, standard_scenarios

# solution grade_id -> the code a student writes, for each kind of answer that is not the
# reference solution (which comes from the source notebook).
MISTAKES = {
    "conditional_table": {
        WRONG: (  # divides by the row sums: P(Y = y_j | X = x_i), conditioning on the wrong variable
            "def conditional_table(joint):\n"
            "    return joint / joint.sum(axis=1, keepdims=True)\n"
        ),
        RAISING: (
            "def conditional_table(joint):\n"
            "    return joint / joint.sum(axis=2)\n"
        ),
    },
    "bayes_positive_test": {
        WRONG: (  # uses the specificity as the false-positive rate
            "def bayes_positive_test(prevalence, sensitivity, specificity):\n"
            "    sick = sensitivity * prevalence\n"
            "    return sick / (sick + specificity * (1 - prevalence))\n"
        ),
        RAISING: (
            "def bayes_positive_test(prevalence, sensitivity, specificity):\n"
            "    return sensitivity * prior / (sensitivity * prior + (1 - specificity) * (1 - prior))\n"
        ),
    },
    "is_independent": {
        WRONG: (  # exact equality: rounding and the tolerance are ignored
            "def is_independent(joint, tol=1e-9):\n"
            "    product = np.outer(joint.sum(axis=1), joint.sum(axis=0))\n"
            "    return bool(np.all(joint == product))\n"
        ),
        RAISING: (
            "def is_independent(joint, tol=1e-9):\n"
            "    return bool(np.all(np.abs(joint - np.outer(p_x, p_y)) <= tol))\n"
        ),
    },
    "discrete_expectation": {
        WRONG: (  # compares the sum of the probabilities with 1 exactly: a fair die is rejected
            "def discrete_expectation(values, probs):\n"
            "    values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)\n"
            "    if len(values) != len(probs) or np.any(probs < 0) or np.sum(probs) != 1:\n"
            "        raise ValueError('invalid probabilities')\n"
            "    return float(np.sum(values * probs))\n"
        ),
        RAISING: (
            "def discrete_expectation(values, probs):\n"
            "    return sum(values[k] * probs[k] for k in range(len(values) + 1))\n"
        ),
    },
    "discrete_variance": {
        WRONG: (  # the variance of the list of values, ignoring their probabilities
            "def discrete_variance(values, probs):\n"
            "    discrete_expectation(values, probs)  # only to validate the input\n"
            "    return float(np.var(values))\n"
        ),
        RAISING: (
            "def discrete_variance(values, probs):\n"
            "    mean = discrete_expectation(values, probs)\n"
            "    return discrete_expectation((values - mean) ** 2, probs)\n"
        ),
    },
    "uniform_interval_probability": {
        WRONG: (  # the formula for intervals inside [a, b], used everywhere
            "def uniform_interval_probability(a, b, c, d):\n"
            "    if a >= b:\n"
            "        raise ValueError('need a < b')\n"
            "    return (d - c) / (b - a)\n"
        ),
        RAISING: (  # ndarray.ptp was removed in NumPy 2: AttributeError
            "def uniform_interval_probability(a, b, c, d):\n"
            "    return np.clip([c, d], a, b).ptp() / (b - a)\n"
        ),
    },
    "monte_carlo_integral": {
        WRONG: (  # the mean of g, without the length of the interval
            "def monte_carlo_integral(g, a, b, n, rng):\n"
            "    return float(np.mean(g(rng.uniform(a, b, size=n))))\n"
        ),
        RAISING: (
            "def monte_carlo_integral(g, a, b, n, rng):\n"
            "    samples = rng.uniform(a, b, size=n)\n"
            "    return (b - a) * np.mean(g(sample))\n"
        ),
    },
    "categorical_mle": {
        WRONG: (  # np.bincount without minlength: too short when the last categories never occur
            "def categorical_mle(samples, k):\n"
            "    samples = np.asarray(samples)\n"
            "    if np.any((samples < 0) | (samples >= k)):\n"
            "        raise ValueError('sample outside 0, ..., k - 1')\n"
            "    return np.bincount(samples) / samples.size\n"
        ),
        RAISING: (
            "def categorical_mle(samples, k):\n"
            "    return np.bincount(samples, minlength=k) / n\n"
        ),
    },
    "uniform_point_probability": {
        WRONG: "Every value in [a, b] is equally likely, so P(X = x) = 1/(b - a).",
        RAISING: "I could not work it out.",
    },
}

TESTS = {  # test grade_id -> points
    "test_conditional_table": 2,
    "test_bayes_positive_test": 2,
    "test_is_independent": 2,
    "test_discrete_expectation": 3,
    "test_discrete_variance": 2,
    "test_uniform_interval_probability": 2,
    "test_monte_carlo_integral": 3,
    "test_categorical_mle": 2,
}


SCENARIOS = standard_scenarios(
    MISTAKES,
    TESTS,
    Scenario(
        "partly-right",
        {"bayes_positive_test": WRONG, "monte_carlo_integral": WRONG,
         "uniform_point_probability": WRONG},
        {**TESTS, "test_bayes_positive_test": 0, "test_monte_carlo_integral": 0},
        "two exercises wrong, the rest right",
        default=RIGHT,
    ),
    Scenario(
        "wrong-expectation-dependency",
        {"discrete_expectation": WRONG},
        # discrete_variance calls discrete_expectation, but its test cell grades it on its own (with
        # the reference discrete_expectation in place): the mistake costs only Exercise 4's points
        {**TESTS, "test_discrete_expectation": 0},
        "an expectation that rejects a fair die, which the variance relies on: charged once",
        default=RIGHT,
    ),
)


def _cell(text: str) -> str:
    """A solution cell as a learner types it (the text without its common indentation)."""
    return textwrap.dedent(text).lstrip("\n")


CATALOGUE = {  # solution grade_id -> answers a learner writes; each judged with every other exercise solved
    "conditional_table": [
        wrong("divides by the row sums: P(Y | X), the wrong variable", MISTAKES["conditional_table"][WRONG]),
        wrong("row sums without keepdims: broadcasting divides column j by row sum j", _cell("""
            def conditional_table(joint):
                joint = np.asarray(joint, dtype=float)
                return joint / joint.sum(axis=1)
            """)),
        wrong("divides by the total: the joint table itself", _cell("""
            def conditional_table(joint):
                return joint / joint.sum()
            """)),
        wrong("the right division, transposed", _cell("""
            def conditional_table(joint):
                return (joint / joint.sum(axis=0)).T
            """)),
        wrong("divides each column by its largest entry", _cell("""
            def conditional_table(joint):
                return joint / joint.max(axis=0)
            """)),
        wrong("every column divided by the first column's sum", _cell("""
            def conditional_table(joint):
                return joint / joint[:, 0].sum()
            """)),
        wrong("multiplies by the column sums instead of dividing", _cell("""
            def conditional_table(joint):
                return joint * joint.sum(axis=0)
            """)),
        wrong("a list (.tolist()), not the NumPy array the task asks for", _cell("""
            def conditional_table(joint):
                return (joint / joint.sum(axis=0)).tolist()
            """)),
        wrong("divides joint in place: the caller's table is overwritten", _cell("""
            def conditional_table(joint):
                joint /= joint.sum(axis=0)
                return joint
            """)),
        right("column sums kept as a (1, m) row", _cell("""
            def conditional_table(joint):
                joint = np.asarray(joint, dtype=float)
                return joint / joint.sum(axis=0, keepdims=True)
            """)),
        right("a loop over the columns", _cell("""
            def conditional_table(joint):
                joint = np.asarray(joint, dtype=float)
                result = np.empty_like(joint)
                for j in range(joint.shape[1]):
                    result[:, j] = joint[:, j] / np.sum(joint[:, j])
                return result
            """)),
        right("np.divide with the marginal P(Y) as a row", _cell("""
            def conditional_table(joint):
                p_y = np.sum(joint, axis=0)
                return np.divide(joint, p_y[None, :])
            """)),
    ],
    "bayes_positive_test": [
        wrong("the specificity as the false-positive rate", MISTAKES["bayes_positive_test"][WRONG]),
        wrong("the prevalence left out of the numerator", _cell("""
            def bayes_positive_test(prevalence, sensitivity, specificity):
                return sensitivity / (sensitivity + (1 - specificity) * (1 - prevalence))
            """)),
        wrong("P(D and +), not divided by P(+)", _cell("""
            def bayes_positive_test(prevalence, sensitivity, specificity):
                return sensitivity * prevalence
            """)),
        wrong("P(+ | D) for P(D | +): the sensitivity", _cell("""
            def bayes_positive_test(prevalence, sensitivity, specificity):
                return sensitivity
            """)),
        wrong("false positives not weighted by P(healthy)", _cell("""
            def bayes_positive_test(prevalence, sensitivity, specificity):
                sick = sensitivity * prevalence
                return sick / (sick + (1 - specificity))
            """)),
        wrong("1 - sensitivity as the false-positive rate", _cell("""
            def bayes_positive_test(prevalence, sensitivity, specificity):
                sick = sensitivity * prevalence
                return sick / (sick + (1 - sensitivity) * (1 - prevalence))
            """)),
        wrong("P(D | -) instead of P(D | +)", _cell("""
            def bayes_positive_test(prevalence, sensitivity, specificity):
                missed = (1 - sensitivity) * prevalence
                return missed / (missed + specificity * (1 - prevalence))
            """)),
        right("P(+) first, by the law of total probability", _cell("""
            def bayes_positive_test(prevalence, sensitivity, specificity):
                p_positive = sensitivity * prevalence + (1 - specificity) * (1 - prevalence)
                return sensitivity * prevalence / p_positive
            """)),
        right("a two-row joint table normalised", _cell("""
            def bayes_positive_test(prevalence, sensitivity, specificity):
                prior = np.array([prevalence, 1 - prevalence])
                likelihood = np.array([sensitivity, 1 - specificity])
                joint = prior * likelihood
                return float(joint[0] / joint.sum())
            """)),
        right("exact fractions, as in Section 1", _cell("""
            from fractions import Fraction

            def bayes_positive_test(prevalence, sensitivity, specificity):
                prior, hit, correct = Fraction(prevalence), Fraction(sensitivity), Fraction(specificity)
                true_positive, false_positive = hit * prior, (1 - correct) * (1 - prior)
                return true_positive / (true_positive + false_positive)
            """)),
    ],
    "is_independent": [
        wrong("a looser default tolerance, 1e-8", _cell("""
            def is_independent(joint, tol=1e-8):
                joint = np.asarray(joint, dtype=float)
                return bool(np.all(np.abs(joint - np.outer(joint.sum(axis=1), joint.sum(axis=0))) <= tol))
            """)),
        wrong("exact equality: rounding and tol ignored", MISTAKES["is_independent"][WRONG]),
        wrong("np.any instead of np.all", _cell("""
            def is_independent(joint, tol=1e-9):
                joint = np.asarray(joint, dtype=float)
                product = np.outer(joint.sum(axis=1), joint.sum(axis=0))
                return bool(np.any(np.abs(joint - product) <= tol))
            """)),
        wrong("looks only at entry [0, 0]", _cell("""
            def is_independent(joint, tol=1e-9):
                p_x, p_y = joint.sum(axis=1), joint.sum(axis=0)
                return bool(abs(joint[0, 0] - p_x[0] * p_y[0]) <= tol)
            """)),
        wrong("ignores tol: always 1e-9", _cell("""
            def is_independent(joint, tol=1e-9):
                product = np.outer(joint.sum(axis=1), joint.sum(axis=0))
                return bool(np.all(np.abs(joint - product) <= 1e-9))
            """)),
        wrong("np.allclose with its default relative tolerance", _cell("""
            def is_independent(joint, tol=1e-9):
                product = np.outer(joint.sum(axis=1), joint.sum(axis=0))
                return bool(np.allclose(joint, product, atol=tol))
            """)),
        wrong("a relative tolerance: tol times the product", _cell("""
            def is_independent(joint, tol=1e-9):
                product = np.outer(joint.sum(axis=1), joint.sum(axis=0))
                return bool(np.all(np.abs(joint - product) <= tol * product))
            """)),
        wrong("returns the table of booleans, not one verdict", _cell("""
            def is_independent(joint, tol=1e-9):
                product = np.outer(joint.sum(axis=1), joint.sum(axis=0))
                return np.abs(joint - product) <= tol
            """)),
        wrong("marginals swapped: the product of P(Y) and P(X)", _cell("""
            def is_independent(joint, tol=1e-9):
                product = np.outer(joint.sum(axis=0), joint.sum(axis=1))
                return bool(np.all(np.abs(joint - product) <= tol))
            """)),
        wrong("no abs: only entries above their product are bounded", _cell("""
            def is_independent(joint, tol=1e-9):
                product = np.outer(joint.sum(axis=1), joint.sum(axis=0))
                return bool(np.all(joint - product <= tol))
            """)),
        wrong("no abs, reversed: only entries below their product are bounded", _cell("""
            def is_independent(joint, tol=1e-9):
                product = np.outer(joint.sum(axis=1), joint.sum(axis=0))
                return bool(np.all(product - joint <= tol))
            """)),
        wrong("uncorrelated taken for independent (the indices as values)", _cell("""
            def is_independent(joint, tol=1e-9):
                i, j = np.indices(joint.shape)
                e_ij, e_i, e_j = np.sum(i * j * joint), np.sum(i * joint), np.sum(j * joint)
                return bool(abs(e_ij - e_i * e_j) <= tol)
            """)),
        wrong("only the diagonal", _cell("""
            def is_independent(joint, tol=1e-9):
                product = np.outer(joint.sum(axis=1), joint.sum(axis=0))
                return bool(np.all(np.abs(np.diag(joint) - np.diag(product)) <= tol))
            """)),
        wrong("only the determinant of the top-left 2 x 2 corner", _cell("""
            def is_independent(joint, tol=1e-9):
                return bool(abs(joint[0, 0] * joint[1, 1] - joint[0, 1] * joint[1, 0]) <= tol)
            """)),
        wrong("only the last row and the last column", _cell("""
            def is_independent(joint, tol=1e-9):
                gap = np.abs(joint - np.outer(joint.sum(axis=1), joint.sum(axis=0)))
                return bool(np.all(gap[-1, :] <= tol) and np.all(gap[:, -1] <= tol))
            """)),
        wrong("only the first row", _cell("""
            def is_independent(joint, tol=1e-9):
                gap = np.abs(joint - np.outer(joint.sum(axis=1), joint.sum(axis=0)))
                return bool(np.all(gap[0] <= tol))
            """)),
        wrong("strict < instead of <=", _cell("""
            def is_independent(joint, tol=1e-9):
                product = np.outer(joint.sum(axis=1), joint.sum(axis=0))
                return bool(np.all(np.abs(joint - product) < tol))
            """)),
        right("the largest gap against tol", _cell("""
            def is_independent(joint, tol=1e-9):
                joint = np.asarray(joint, dtype=float)
                p_x = joint.sum(axis=1, keepdims=True)
                p_y = joint.sum(axis=0, keepdims=True)
                return bool(np.max(np.abs(joint - p_x * p_y)) <= tol)
            """)),
        right("np.allclose with rtol=0", _cell("""
            def is_independent(joint, tol=1e-9):
                product = np.outer(np.sum(joint, axis=1), np.sum(joint, axis=0))
                return bool(np.allclose(joint, product, rtol=0, atol=tol))
            """)),
        right("a double loop over the cells", _cell("""
            def is_independent(joint, tol=1e-9):
                rows, cols = joint.shape
                p_x = [sum(joint[i, j] for j in range(cols)) for i in range(rows)]
                p_y = [sum(joint[i, j] for i in range(rows)) for j in range(cols)]
                for i in range(rows):
                    for j in range(cols):
                        if abs(joint[i, j] - p_x[i] * p_y[j]) > tol:
                            return False
                return True
            """)),
    ],
    "discrete_expectation": [
        wrong("tolerates small negative probabilities: probs < -1e-9", _cell("""
            def discrete_expectation(values, probs):
                values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
                if values.shape != probs.shape:
                    raise ValueError("lengths differ")
                if np.any(probs < -1e-9):
                    raise ValueError("a negative probability")
                if abs(probs.sum() - 1) > 1e-9:
                    raise ValueError("the probabilities do not add up to 1")
                return float(np.sum(values * probs))
            """)),
        wrong("the sum of |p| instead of a test for negative p", _cell("""
            def discrete_expectation(values, probs):
                values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
                if values.shape != probs.shape:
                    raise ValueError("lengths differ")
                if abs(np.abs(probs).sum() - 1) > 1e-9:
                    raise ValueError("the probabilities do not add up to 1")
                return float(np.sum(values * probs))
            """)),
        wrong("the sum compared with 1 exactly", MISTAKES["discrete_expectation"][WRONG]),
        wrong("np.isclose's default tolerance for the sum", _cell("""
            def discrete_expectation(values, probs):
                values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
                if values.shape != probs.shape:
                    raise ValueError("values and probs differ in length")
                if np.any(probs < 0):
                    raise ValueError("negative probability")
                if not np.isclose(probs.sum(), 1):
                    raise ValueError("probabilities do not add up to 1")
                return float(np.sum(values * probs))
            """)),
        wrong("a tolerance of 1e-6 for the sum", _cell("""
            def discrete_expectation(values, probs):
                values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
                if len(values) != len(probs) or np.any(probs < 0) or abs(probs.sum() - 1) > 1e-6:
                    raise ValueError("invalid input")
                return float(values @ probs)
            """)),
        wrong("no test for negative probabilities", _cell("""
            def discrete_expectation(values, probs):
                values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
                if values.shape != probs.shape:
                    raise ValueError("values and probs differ in length")
                if abs(probs.sum() - 1) > 1e-9:
                    raise ValueError("probabilities do not add up to 1")
                return float(np.sum(values * probs))
            """)),
        wrong("no length test: broadcasting takes over", _cell("""
            def discrete_expectation(values, probs):
                values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
                if np.any(probs < 0) or abs(probs.sum() - 1) > 1e-9:
                    raise ValueError("invalid probabilities")
                return float(np.sum(values * probs))
            """)),
        wrong("only a sum above 1 is rejected", _cell("""
            def discrete_expectation(values, probs):
                values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
                if values.shape != probs.shape or np.any(probs < 0) or probs.sum() - 1 > 1e-9:
                    raise ValueError("invalid input")
                return float(np.sum(values * probs))
            """)),
        wrong("the mean of the products: divides by the number of values", _cell("""
            def discrete_expectation(values, probs):
                values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
                if values.shape != probs.shape or np.any(probs < 0) or abs(probs.sum() - 1) > 1e-9:
                    raise ValueError("invalid input")
                return float(np.mean(values * probs))
            """)),
        wrong("a tolerance far too strict: 1e-12", _cell("""
            def discrete_expectation(values, probs):
                values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
                if values.shape != probs.shape or np.any(probs < 0) or abs(probs.sum() - 1) > 1e-12:
                    raise ValueError("invalid input")
                return float(np.sum(values * probs))
            """)),
        wrong("rejects zero probabilities too: probs <= 0", _cell("""
            def discrete_expectation(values, probs):
                values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
                if values.shape != probs.shape:
                    raise ValueError("values and probs differ in length")
                if np.any(probs <= 0):
                    raise ValueError("probabilities must be positive")
                if abs(probs.sum() - 1) > 1e-9:
                    raise ValueError("probabilities do not add up to 1")
                return float(np.sum(values * probs))
            """)),
        wrong("rejects probabilities above 1 instead of negative ones", _cell("""
            def discrete_expectation(values, probs):
                values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
                if values.shape != probs.shape:
                    raise ValueError("values and probs differ in length")
                if np.any(probs > 1):
                    raise ValueError("a probability above 1")
                if abs(probs.sum() - 1) > 1e-9:
                    raise ValueError("probabilities do not add up to 1")
                return float(np.sum(values * probs))
            """)),
        wrong("a tolerance of 3e-9 for the sum", _cell("""
            def discrete_expectation(values, probs):
                values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
                if values.shape != probs.shape or np.any(probs < 0) or abs(probs.sum() - 1) > 3e-9:
                    raise ValueError("invalid input")
                return float(np.sum(values * probs))
            """)),
        wrong("a tolerance of 1.9e-9 for the sum", _cell("""
            def discrete_expectation(values, probs):
                values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
                if values.shape != probs.shape or np.any(probs < 0) or abs(probs.sum() - 1) > 1.9e-9:
                    raise ValueError("invalid input")
                return float(np.sum(values * probs))
            """)),
        right("plain Python with math.fsum", _cell("""
            import math

            def discrete_expectation(values, probs):
                values, probs = [float(v) for v in values], [float(p) for p in probs]
                if len(values) != len(probs):
                    raise ValueError(f"{len(values)} values but {len(probs)} probabilities")
                if min(probs) < 0:
                    raise ValueError("a probability is negative")
                if abs(math.fsum(probs) - 1) > 1e-9:
                    raise ValueError(f"the probabilities add up to {math.fsum(probs)}")
                return math.fsum(v * p for v, p in zip(values, probs))
            """)),
        right("np.dot, with np.isclose told the task's tolerance", _cell("""
            def discrete_expectation(values, probs):
                values = np.asarray(values, dtype=float)
                probs = np.asarray(probs, dtype=float)
                if len(values) != len(probs):
                    raise ValueError("values and probs must have the same length")
                if probs.min() < 0:
                    raise ValueError("probabilities must not be negative")
                if not np.isclose(probs.sum(), 1, rtol=0, atol=1e-9):
                    raise ValueError("probabilities must add up to 1")
                return float(np.dot(values, probs))
            """)),
    ],
    "discrete_variance": [
        wrong("the variance of the values, ignoring the probabilities", MISTAKES["discrete_variance"][WRONG]),
        wrong("E(X)² - E(X²): the sign turned round", _cell("""
            def discrete_variance(values, probs):
                values = np.asarray(values, dtype=float)
                return discrete_expectation(values, probs) ** 2 - discrete_expectation(values ** 2, probs)
            """)),
        wrong("the standard deviation: a square root too many", _cell("""
            def discrete_variance(values, probs):
                values = np.asarray(values, dtype=float)
                mean = discrete_expectation(values, probs)
                return float(np.sqrt(discrete_expectation((values - mean) ** 2, probs)))
            """)),
        wrong("no input checks: nothing raises", _cell("""
            def discrete_variance(values, probs):
                values, probs = np.asarray(values, dtype=float), np.asarray(probs, dtype=float)
                mean = np.sum(values * probs)
                return float(np.sum((values - mean) ** 2 * probs))
            """)),
        wrong("the mean absolute deviation: the square forgotten", _cell("""
            def discrete_variance(values, probs):
                values = np.asarray(values, dtype=float)
                mean = discrete_expectation(values, probs)
                return discrete_expectation(np.abs(values - mean), probs)
            """)),
        wrong("a sample-variance correction n/(n - 1)", _cell("""
            def discrete_variance(values, probs):
                values = np.asarray(values, dtype=float)
                mean = discrete_expectation(values, probs)
                n = len(values)
                return discrete_expectation((values - mean) ** 2, probs) * n / (n - 1)
            """)),
        wrong("E(X²) without subtracting E(X)²", _cell("""
            def discrete_variance(values, probs):
                return discrete_expectation(np.asarray(values, dtype=float) ** 2, probs)
            """)),
        right("E(X²) - E(X)²", _cell("""
            def discrete_variance(values, probs):
                values = np.asarray(values, dtype=float)
                return discrete_expectation(values ** 2, probs) - discrete_expectation(values, probs) ** 2
            """)),
        right("validated by discrete_expectation, then a loop", _cell("""
            def discrete_variance(values, probs):
                mean = discrete_expectation(values, probs)
                return sum(float(p) * (float(v) - mean) ** 2 for v, p in zip(values, probs))
            """)),
    ],
    "uniform_interval_probability": [
        wrong("(d - c)/(b - a) for every interval", MISTAKES["uniform_interval_probability"][WRONG]),
        wrong("no ValueError: a = b divides by zero", _cell("""
            def uniform_interval_probability(a, b, c, d):
                overlap = min(b, d) - max(a, c)
                return max(overlap, 0.0) / (b - a)
            """)),
        wrong("only a > b raises; a = b divides by zero", _cell("""
            def uniform_interval_probability(a, b, c, d):
                if a > b:
                    raise ValueError("need a < b")
                return max(min(b, d) - max(a, c), 0.0) / (b - a)
            """)),
        wrong("clips the left end only", _cell("""
            def uniform_interval_probability(a, b, c, d):
                if a >= b:
                    raise ValueError("need a < b")
                return max(d - max(a, c), 0.0) / (b - a)
            """)),
        wrong("the overlap not clipped at 0: negative probabilities", _cell("""
            def uniform_interval_probability(a, b, c, d):
                if a >= b:
                    raise ValueError("need a < b")
                return (min(b, d) - max(a, c)) / (b - a)
            """)),
        wrong("a reversed interval turned round instead of empty", _cell("""
            def uniform_interval_probability(a, b, c, d):
                if a >= b:
                    raise ValueError("need a < b")
                c, d = min(c, d), max(c, d)
                return max(min(b, d) - max(a, c), 0.0) / (b - a)
            """)),
        wrong("raises TypeError instead of ValueError", _cell("""
            def uniform_interval_probability(a, b, c, d):
                if a >= b:
                    raise TypeError("need a < b")
                return max(min(b, d) - max(a, c), 0.0) / (b - a)
            """)),
        right("np.clip of both ends", _cell("""
            def uniform_interval_probability(a, b, c, d):
                if not a < b:
                    raise ValueError("U(a, b) needs a < b")
                lo, hi = np.clip([c, d], a, b)
                return float(max(hi - lo, 0.0)) / (b - a)
            """)),
        right("case by case", _cell("""
            def uniform_interval_probability(a, b, c, d):
                if a >= b:
                    raise ValueError("U(a, b) needs a < b")
                if d < c:
                    return 0.0
                left = c if c > a else a
                right = d if d < b else b
                if right <= left:
                    return 0.0
                return (right - left) / (b - a)
            """)),
    ],
    "monte_carlo_integral": [
        wrong("the mean of g, without the factor b - a", MISTAKES["monte_carlo_integral"][WRONG]),
        wrong("a quarter of the samples: n // 4", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                samples = rng.uniform(a, b, size=n // 4)
                return float((b - a) * np.mean(g(samples)))
            """)),
        wrong("a tenth of the samples: n // 10", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                samples = rng.uniform(a, b, size=n // 10)
                return float((b - a) * np.mean(g(samples)))
            """)),
        wrong("ignores rng: NumPy's global generator", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                samples = np.random.uniform(a, b, size=n)
                return float((b - a) * np.mean(g(samples)))
            """)),
        wrong("ignores rng: a fresh generator with seed 0", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                samples = np.random.default_rng(0).uniform(a, b, size=n)
                return float((b - a) * np.mean(g(samples)))
            """)),
        wrong("samples of U(0, 1) whatever a and b are", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                return float((b - a) * np.mean(g(rng.random(n))))
            """)),
        wrong("ignores n: always 1,000 samples", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                samples = rng.uniform(a, b, size=1_000)
                return float((b - a) * np.mean(g(samples)))
            """)),
        wrong("a midpoint grid instead of random samples", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                x = a + (b - a) * (np.arange(n) + 0.5) / n
                return float((b - a) * np.mean(g(x)))
            """)),
        wrong("antithetic pairs x and a + b - x: not the plain mean of n independent draws", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                x = rng.uniform(a, b, size=n // 2)
                return float((b - a) * np.mean((g(x) + g(a + b - x)) / 2))
            """)),
        wrong("the trapezoid rule over the sorted samples", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                x = np.concatenate([[a], np.sort(rng.uniform(a, b, size=n)), [b]])
                y = g(x)
                return float(np.sum((y[1:] + y[:-1]) / 2 * np.diff(x)))
            """)),
        wrong("at most 5,000 samples", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                samples = rng.uniform(a, b, size=min(n, 5_000))
                return float((b - a) * np.mean(g(samples)))
            """)),
        wrong("one sample too many: n + 1", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                samples = rng.uniform(a, b, size=n + 1)
                return float((b - a) * np.mean(g(samples)))
            """)),
        wrong("NumPy's global generator, seeded from rng", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                np.random.seed(int(rng.integers(2**31)))
                return float((b - a) * np.mean(g(np.random.uniform(a, b, size=n))))
            """)),
        wrong("draws from a grid of 100 points", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                samples = rng.choice(np.linspace(a, b, 100), size=n)
                return float((b - a) * np.mean(g(samples)))
            """)),
        right("one draw at a time with rng.uniform(a, b)", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                return (b - a) * sum(float(g(np.array(rng.uniform(a, b)))) for _ in range(n)) / n
            """)),
        right("a + (b - a) times rng.random", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                x = a + (b - a) * rng.random(n)
                return float((b - a) * np.mean(g(x)))
            """)),
        right("keyword arguments and a sum over n", _cell("""
            def monte_carlo_integral(g, a, b, n, rng):
                samples = rng.uniform(low=a, high=b, size=(n,))
                return (b - a) * float(np.sum(g(samples))) / n
            """)),
    ],
    "categorical_mle": [
        wrong("np.bincount without minlength", MISTAKES["categorical_mle"][WRONG]),
        wrong("np.unique's counts: categories that never occur are left out", _cell("""
            def categorical_mle(samples, k):
                samples = np.asarray(samples)
                if np.any((samples < 0) | (samples >= k)):
                    raise ValueError("sample outside 0, ..., k - 1")
                _, counts = np.unique(samples, return_counts=True)
                return counts / samples.size
            """)),
        wrong("the counts, not divided by n", _cell("""
            def categorical_mle(samples, k):
                samples = np.asarray(samples)
                if np.any((samples < 0) | (samples >= k)):
                    raise ValueError("sample outside 0, ..., k - 1")
                return np.bincount(samples, minlength=k)
            """)),
        wrong("add-one smoothing: (N_j + 1)/(n + k)", _cell("""
            def categorical_mle(samples, k):
                samples = np.asarray(samples)
                if np.any((samples < 0) | (samples >= k)):
                    raise ValueError("sample outside 0, ..., k - 1")
                return (np.bincount(samples, minlength=k) + 1) / (samples.size + k)
            """)),
        wrong("divided by k instead of n", _cell("""
            def categorical_mle(samples, k):
                samples = np.asarray(samples)
                if np.any((samples < 0) | (samples >= k)):
                    raise ValueError("sample outside 0, ..., k - 1")
                return np.bincount(samples, minlength=k) / k
            """)),
        wrong("no range test: a sample k makes the array longer", _cell("""
            def categorical_mle(samples, k):
                samples = np.asarray(samples)
                return np.bincount(samples, minlength=k) / samples.size
            """)),
        wrong("categories counted from 1", _cell("""
            def categorical_mle(samples, k):
                samples = np.asarray(samples)
                if np.any((samples < 0) | (samples >= k)):
                    raise ValueError("sample outside 0, ..., k - 1")
                return np.bincount(samples, minlength=k + 1)[1:] / samples.size
            """)),
        wrong("np.histogram with k bins between the smallest and largest sample", _cell("""
            def categorical_mle(samples, k):
                samples = np.asarray(samples)
                if np.any((samples < 0) | (samples >= k)):
                    raise ValueError("sample outside 0, ..., k - 1")
                counts, _ = np.histogram(samples, bins=k)
                return counts / samples.size
            """)),
        wrong("a list (list(...)), not the NumPy array the task asks for", _cell("""
            def categorical_mle(samples, k):
                samples = np.asarray(samples)
                if np.any((samples < 0) | (samples >= k)):
                    raise ValueError("sample outside 0, ..., k - 1")
                return list(np.bincount(samples, minlength=k) / samples.size)
            """)),
        wrong("samples.sort() in place: the caller's data is reordered", _cell("""
            def categorical_mle(samples, k):
                samples.sort()
                if samples[0] < 0 or samples[-1] >= k:
                    raise ValueError("sample outside 0, ..., k - 1")
                return np.bincount(samples, minlength=k) / len(samples)
            """)),
        right("a share per category, from a list", _cell("""
            def categorical_mle(samples, k):
                samples = list(samples)
                if any(not 0 <= s < k for s in samples):
                    raise ValueError("every sample must be one of 0, ..., k - 1")
                return np.array([samples.count(j) / len(samples) for j in range(k)])
            """)),
        right("np.histogram with one bin per category", _cell("""
            def categorical_mle(samples, k):
                samples = np.asarray(samples)
                if samples.min() < 0 or samples.max() > k - 1:
                    raise ValueError("every sample must be one of 0, ..., k - 1")
                counts, _ = np.histogram(samples, bins=np.arange(k + 1))
                return counts / len(samples)
            """)),
        right("a one-hot table averaged over the samples", _cell("""
            def categorical_mle(samples, k):
                samples = np.asarray(samples)
                if np.any(samples < 0) or np.any(samples >= k):
                    raise ValueError("every sample must be one of 0, ..., k - 1")
                return np.mean(samples[:, None] == np.arange(k), axis=0).astype(float)
            """)),
    ],
}

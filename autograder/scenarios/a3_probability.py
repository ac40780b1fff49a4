"""A3_probability: the mistakes students typically make, and what each kind of submission earns."""

from autograder.submissions import RAISING, RIGHT, WRONG, Scenario, standard_scenarios

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
        # discrete_variance calls discrete_expectation, so that mistake costs both grade cells
        {**TESTS, "test_discrete_expectation": 0, "test_discrete_variance": 0},
        "an expectation that rejects a fair die, which the variance then relies on",
        default=RIGHT,
    ),
)

"""A2_calculus: the mistakes students typically make, and what each kind of submission earns."""

from autograder.submissions import RAISING, RIGHT, WRONG, Scenario, standard_scenarios

# solution grade_id -> the code a student writes, for each kind of answer that is not the
# reference solution (which comes from the source notebook).
MISTAKES = {
    "central_difference": {
        WRONG: (  # the one-sided quotient: error O(h) instead of O(h^2)
            "def central_difference(f, x, h=1e-5):\n"
            "    return (f(x + h) - f(x)) / h\n"
        ),
        RAISING: (
            "def central_difference(f, x, h=1e-5):\n"
            "    return (f(x + h) - f(x - h)) / (2 * step)\n"
        ),
    },
    "taylor_polynomial": {
        WRONG: (  # forgets the factorials
            "def taylor_polynomial(derivs, a, x):\n"
            "    return sum(d * (x - a) ** k for k, d in enumerate(derivs))\n"
        ),
        RAISING: (
            "def taylor_polynomial(derivs, a, x):\n"
            "    return sum(derivs[k] / math.factorial(k) * (x - a) ** k for k in range(len(derivs) + 1))\n"
        ),
    },
    "numerical_gradient": {
        WRONG: (  # one-sided differences
            "def numerical_gradient(f, x, h=1e-5):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    return np.array([(f(x + h * e) - f(x)) / h for e in np.eye(x.size)])\n"
        ),
        RAISING: (
            "def numerical_gradient(f, x, h=1e-5):\n"
            "    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x) + 1)])\n"
        ),
    },
    "grad_f": {
        WRONG: (  # right numbers, but a (2, 1) column instead of shape (2,)
            "def grad_f(x):\n"
            "    return np.array([[6 * x[0]], [5 * np.exp(x[1])]])\n"
        ),
        RAISING: (
            "def grad_f(x):\n"
            "    return np.array([6 * x[1], 5 * np.exp(x[2])])\n"
        ),
    },
    "max_gradient_error": {
        WRONG: (  # the mean gap, not the largest one
            "def max_gradient_error(f, grad, x, h=1e-5):\n"
            "    return np.mean(np.abs(numerical_gradient(f, x, h) - grad(x)))\n"
        ),
        RAISING: (
            "def max_gradient_error(f, grad, x, h=1e-5):\n"
            "    return max(numerical_gradient(f, x, h) - grad)\n"
        ),
    },
    "numerical_hessian": {
        WRONG: (  # divides by h^2 instead of 4 h^2
            "def numerical_hessian(f, x, h=1e-4):\n"
            "    n = len(x)\n"
            "    H = np.zeros((n, n))\n"
            "    for i in range(n):\n"
            "        for j in range(n):\n"
            "            ei, ej = h * np.eye(n)[i], h * np.eye(n)[j]\n"
            "            H[i, j] = (f(x + ei + ej) - f(x + ei - ej)\n"
            "                       - f(x - ei + ej) + f(x - ei - ej)) / h**2\n"
            "    return H\n"
        ),
        RAISING: (
            "def numerical_hessian(f, x, h=1e-4):\n"
            "    raise ValueError('not sure how to do the off-diagonal entries')\n"
        ),
    },
    "gradient_by_hand": {
        WRONG: "The gradient is $6x_1 + 5e^{x_2}$.",
        RAISING: "I could not work it out.",
    },
}

TESTS = {  # test grade_id -> points
    "test_central_difference": 2,
    "test_taylor_polynomial": 2,
    "test_numerical_gradient": 2,
    "test_grad_f": 2,
    "test_max_gradient_error": 2,
    "test_numerical_hessian": 3,
}


SCENARIOS = standard_scenarios(
    MISTAKES,
    TESTS,
    Scenario(
        "partly-right",
        {"taylor_polynomial": WRONG, "numerical_hessian": WRONG,
         "gradient_by_hand": WRONG},
        {**TESTS, "test_taylor_polynomial": 0, "test_numerical_hessian": 0},
        "two exercises wrong, the rest right",
        default=RIGHT,
    ),
    Scenario(
        "wrong-gradient-dependency",
        {"numerical_gradient": WRONG},
        # max_gradient_error calls numerical_gradient, so that mistake costs both grade cells
        {**TESTS, "test_numerical_gradient": 0, "test_max_gradient_error": 0},
        "a one-sided numerical gradient, which the gradient check then relies on",
        default=RIGHT,
    ),
)

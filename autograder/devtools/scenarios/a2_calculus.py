"""A2_calculus: the mistakes students typically make, and what each kind of submission earns."""

from autograder.devtools.answers import right, wrong
from autograder.devtools.submissions import RAISING, RIGHT, WRONG, Scenario, standard_scenarios

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
    "gradient_descent": {
        WRONG: (  # climbs: steps along the gradient instead of against it
            "def gradient_descent(grad, x0, lr, steps):\n"
            "    x = np.array(x0, dtype=float)\n"
            "    for _ in range(steps):\n"
            "        x = x + lr * grad(x)\n"
            "    return x\n"
        ),
        RAISING: (
            "def gradient_descent(grad, x0, lr, steps):\n"
            "    for _ in range(steps):\n"
            "        x = x - lr * grad(x)\n"
            "    return x\n"
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
    "test_gradient_descent": 2,
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
        # max_gradient_error calls numerical_gradient, but its graded checks run with the
        # reference numerical_gradient in place of the learner's: the mistake costs one cell only
        {**TESTS, "test_numerical_gradient": 0},
        "a one-sided numerical gradient: Exercise 3 loses its points, and Exercise 5, which calls "
        "it, is graded on its own and keeps all of its",
        default=RIGHT,
    ),
)


def _fn(signature: str, *body: str) -> str:
    """A solution cell: the def line and its body lines, each indented by four spaces."""
    return f"def {signature}:\n" + "".join(f"    {line}\n" for line in body)


_CD = "central_difference(f, x, h=1e-5)"
_TP = "taylor_polynomial(derivs, a, x)"
_NG = "numerical_gradient(f, x, h=1e-5)"
_GF = "grad_f(x)"
_MG = "max_gradient_error(f, grad, x, h=1e-5)"
_NH = "numerical_hessian(f, x, h=1e-4)"
_GD = "gradient_descent(grad, x0, lr, steps)"


def _hessian(*entry: str, before: tuple[str, ...] = (), j_from: str = "0") -> str:
    """numerical_hessian with the reference's loops and the given lines for entry (i, j)."""
    return _fn(_NH, "x = np.asarray(x, dtype=float)", "n = x.size", "H = np.zeros((n, n))",
               "steps = np.eye(n) * h", *before, "for i in range(n):",
               f"    for j in range({j_from}, n):", "        ei, ej = steps[i], steps[j]",
               *(f"        {line}" for line in entry), "return H")


_FOUR = "(f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej))"

# solution grade_id -> answers a learner writes; each judged with every other exercise solved
CATALOGUE = {
    "central_difference": [
        wrong("steps x in place and back: the caller's array changes by rounding",
              _fn(_CD, "x += h", "forward = f(x)", "x -= 2 * h", "backward = f(x)", "x += h",
                  "return (forward - backward) / (2 * h)")),
        wrong("one-sided quotient", MISTAKES["central_difference"][WRONG]),
        wrong("ignores h: a forward step fixed at 1e-8", _fn(_CD, "return (f(x + 1e-8) - f(x)) / 1e-8")),
        wrong("ignores h: a symmetric step fixed at 1e-5",
              _fn(_CD, "step = 1e-5", "return (f(x + step) - f(x - step)) / (2 * step)")),
        wrong("/ 2 * h: multiplies by h", _fn(_CD, "return (f(x + h) - f(x - h)) / 2 * h")),
        wrong("divides by h instead of 2h", _fn(_CD, "return (f(x + h) - f(x - h)) / h")),
        wrong("the difference the wrong way round", _fn(_CD, "return (f(x - h) - f(x + h)) / (2 * h)")),
        wrong("numbers only: float(x)", _fn(_CD, "x = float(x)", "return (f(x + h) - f(x - h)) / (2 * h)")),
        wrong("x += h in place: an array x is left moved by -h",
              _fn(_CD, "x += h", "up = f(x)", "x -= 2 * h", "return (up - f(x)) / (2 * h)")),
        wrong("a list, not a NumPy array, for an array x",
              _fn(_CD, "if np.ndim(x):", "    return [(f(t + h) - f(t - h)) / (2 * h) for t in x]",
                  "return (f(x + h) - f(x - h)) / (2 * h)")),
        right("the reference", _fn(_CD, "return (f(x + h) - f(x - h)) / (2 * h)")),
        right("np.divide", _fn(_CD, "return np.divide(f(x + h) - f(x - h), 2 * h)")),
        right("the mean of the forward and the backward quotient",
              _fn(_CD, "forward = (f(x + h) - f(x)) / h", "backward = (f(x) - f(x - h)) / h",
                  "return (forward + backward) / 2")),
        right("half the difference over h", _fn(_CD, "return 0.5 * (f(x + h) - f(x - h)) / h")),
    ],
    "taylor_polynomial": [
        wrong("flattens x: ravel() loses a 2-D shape",
              _fn(_TP, "x = np.asarray(x, dtype=float).ravel()", "total = np.zeros_like(x)",
                  "for k, d in enumerate(derivs):",
                  "    total = total + d / math.factorial(k) * (x - a) ** k", "return total")),
        wrong("np.zeros_like(x) in place: an integer x truncates the sum",
              _fn(_TP, "total = np.zeros_like(x)", "for k, d in enumerate(derivs):",
                  "    total += d / math.factorial(k) * (x - a) ** k", "return total")),
        wrong("forgets the factorials", MISTAKES["taylor_polynomial"][WRONG]),
        wrong("x**k instead of (x - a)**k",
              _fn(_TP, "total = np.zeros_like(x, dtype=float)", "for k, d in enumerate(derivs):",
                  "    total = total + d / math.factorial(k) * x ** k", "return total")),
        wrong("(a - x)**k: the sign of the odd terms",
              _fn(_TP, "total = np.zeros_like(x, dtype=float)", "for k, d in enumerate(derivs):",
                  "    total = total + d / math.factorial(k) * (a - x) ** k", "return total")),
        wrong("off by one: drops the last term",
              _fn(_TP, "total = np.zeros_like(x, dtype=float)", "for k in range(len(derivs) - 1):",
                  "    total = total + derivs[k] / math.factorial(k) * (x - a) ** k", "return total")),
        wrong("(k + 1)! instead of k!",
              _fn(_TP, "total = np.zeros_like(x, dtype=float)", "for k, d in enumerate(derivs):",
                  "    total = total + d / math.factorial(k + 1) * (x - a) ** k", "return total")),
        wrong("starts from the number f(a): order 0 gives one number for an array",
              _fn(_TP, "total = derivs[0]", "for k in range(1, len(derivs)):",
                  "    total = total + derivs[k] / math.factorial(k) * (x - a) ** k", "return total")),
        wrong("x -= a in place: an array x is overwritten with x - a",
              _fn(_TP, "x -= a", "total = np.zeros_like(x, dtype=float)", "for k, d in enumerate(derivs):",
                  "    total = total + d / math.factorial(k) * x ** k", "return total")),
        wrong(".tolist(): a list, not a NumPy array, for an array x",
              _fn(_TP, "total = np.zeros_like(x, dtype=float)", "for k, d in enumerate(derivs):",
                  "    total = total + d / math.factorial(k) * (x - a) ** k", "return total.tolist()")),
        right("the reference", _fn(_TP, "total = np.zeros_like(x, dtype=float)",
                                   "for k, derivative in enumerate(derivs):",
                                   "    total = total + derivative / math.factorial(k) * (x - a) ** k",
                                   "return total")),
        right("Horner's scheme (a 0-d array for a number)",
              _fn(_TP, "t = np.asarray(x, dtype=float) - a", "total = np.zeros_like(t)",
                  "for k in range(len(derivs) - 1, -1, -1):",
                  "    total = derivs[k] / math.factorial(k) + t * total", "return total")),
        right("sum() of a generator, started at zeros shaped like x",
              _fn(_TP, "terms = (d / math.factorial(k) * (x - a) ** k for k, d in enumerate(derivs))",
                  "return sum(terms, np.zeros_like(x, dtype=float))")),
    ],
    "numerical_gradient": [
        wrong("np.zeros_like(x): an integer x truncates the partials",
              _fn(_NG, "grad = np.zeros_like(x)", "for i in range(x.size):", "    step = np.zeros(x.size)",
                  "    step[i] = h", "    grad[i] = (f(x + step) - f(x - step)) / (2 * h)", "return grad")),
        wrong("one-sided differences", MISTAKES["numerical_gradient"][WRONG]),
        wrong("ignores h: a forward step fixed at 1e-8",
              _fn(_NG, "x = np.asarray(x, dtype=float)",
                  "return np.array([(f(x + 1e-8 * e) - f(x)) / 1e-8 for e in np.eye(x.size)])")),
        wrong("ignores h: a symmetric step fixed at 1e-5",
              _fn(_NG, "x = np.asarray(x, dtype=float)",
                  "return np.array([(f(x + 1e-5 * e) - f(x - 1e-5 * e)) / 2e-5 for e in np.eye(x.size)])")),
        wrong("divides by h instead of 2h",
              _fn(_NG, "x = np.asarray(x, dtype=float)",
                  "return np.array([(f(x + h * e) - f(x - h * e)) / h for e in np.eye(x.size)])")),
        wrong("moves every coordinate at once",
              _fn(_NG, "x = np.asarray(x, dtype=float)",
                  "return np.array([(f(x + h) - f(x - h)) / (2 * h) for _ in range(x.size)])")),
        wrong("steps along e_i but measures f at x on one side",
              _fn(_NG, "x = np.asarray(x, dtype=float)",
                  "return np.array([(f(x + h * e) - f(x - h)) / (2 * h) for e in np.eye(x.size)])")),
        wrong("moves x[i] in the caller's array and never puts it back",
              _fn(_NG, "x = np.asarray(x, dtype=float)", "grad = np.zeros_like(x)", "for i in range(x.size):",
                  "    x[i] += h", "    up = f(x)", "    x[i] -= 2 * h",
                  "    grad[i] = (up - f(x)) / (2 * h)", "return grad")),
        wrong("moves x[i] on a copy but never puts it back: later partials at a shifted point",
              _fn(_NG, "x = np.array(x, dtype=float)", "grad = np.zeros_like(x)", "for i in range(x.size):",
                  "    x[i] += h", "    up = f(x)", "    x[i] -= 2 * h",
                  "    grad[i] = (up - f(x)) / (2 * h)", "return grad")),
        wrong("a list, not a NumPy array",
              _fn(_NG, "x = np.asarray(x, dtype=float)",
                  "return [(f(x + e) - f(x - e)) / (2 * h) for e in np.eye(x.size) * h]")),
        wrong("integer x: np.asarray(x) without dtype, so the steps h become 0",
              _fn(_NG, "x = np.asarray(x)", "grad = np.zeros_like(x, dtype=float)", "for i in range(x.size):",
                  "    step = np.zeros_like(x)", "    step[i] = h",
                  "    grad[i] = (f(x + step) - f(x - step)) / (2 * h)", "return grad")),
        right("the reference", _fn(_NG, "x = np.asarray(x, dtype=float)", "grad = np.zeros_like(x)",
                                   "for i in range(x.size):", "    step = np.zeros_like(x)",
                                   "    step[i] = h", "    grad[i] = (f(x + step) - f(x - step)) / (2 * h)",
                                   "return grad")),
        right("rows of np.eye(n) * h in a comprehension",
              _fn(_NG, "x = np.asarray(x, dtype=float)",
                  "return np.array([(f(x + e) - f(x - e)) / (2 * h) for e in np.eye(x.size) * h])")),
        right("moves one entry in place and puts it back",
              _fn(_NG, "x = np.array(x, dtype=float)", "grad = np.empty(x.size)", "for i in range(x.size):",
                  "    old = x[i]", "    x[i] = old + h", "    up = f(x)", "    x[i] = old - h",
                  "    down = f(x)", "    x[i] = old", "    grad[i] = (up - down) / (2 * h)", "return grad")),
    ],
    "grad_f": [
        wrong("filled into np.zeros_like(np.asarray(x)): integers truncate",
              _fn(_GF, "g = np.zeros_like(np.asarray(x))", "g[0] = 6 * x[0]", "g[1] = 5 * np.exp(x[1])",
                  "return g")),
        wrong("a (2, 1) column", MISTAKES["grad_f"][WRONG]),
        wrong("[6x₁, 5]: drops e^x₂", _fn(_GF, "return np.array([6 * x[0], 5.0])")),
        wrong("[6x₁², 5e^x₂]: differentiates only the exponential",
              _fn(_GF, "return np.array([6 * x[0] ** 2, 5 * np.exp(x[1])])")),
        wrong("[6x₁, 5x₂]", _fn(_GF, "return np.array([6 * x[0], 5 * x[1]])")),
        wrong("[3x₁, 5e^x₂]: forgets the 2 of the power rule",
              _fn(_GF, "return np.array([3 * x[0], 5 * np.exp(x[1])])")),
        wrong("x₁ and x₂ swapped", _fn(_GF, "return np.array([6 * x[1], 5 * np.exp(x[0])])")),
        wrong("e^(5x₂) instead of 5e^x₂", _fn(_GF, "return np.array([6 * x[0], np.exp(5 * x[1])])")),
        wrong("a plain list, not the NumPy array the task asks for",
              _fn(_GF, "return [6 * x[0], 5 * np.exp(x[1])]")),
        wrong("a tuple, not a NumPy array", _fn(_GF, "return 6 * x[0], 5 * np.exp(x[1])")),
        wrong("writes the gradient into x and returns it",
              _fn(_GF, "x[0] = 6 * x[0]", "x[1] = 5 * np.exp(x[1])", "return x")),
        wrong("entry-wise masks on x itself: 6 * x repeats a list",
              _fn(_GF, "return 6 * x * np.array([1, 0]) + 5 * np.exp(x) * np.array([0, 1])")),
        right("the reference", _fn(_GF, "return np.array([6 * x[0], 5 * np.exp(x[1])])")),
        right("entry-wise masks on np.asarray(x)",
              _fn(_GF, "x = np.asarray(x, dtype=float)",
                  "return 6 * x * np.array([1, 0]) + 5 * np.exp(x) * np.array([0, 1])")),
        right("unpacked, with math.exp",
              _fn(_GF, "x1, x2 = x", "return np.array([2 * 3 * x1, 5 * math.exp(x2)])")),
        right("np.e ** x₂", _fn(_GF, "return np.array([6.0 * x[0], 5 * np.e ** x[1]])")),
    ],
    "max_gradient_error": [
        wrong("the mean gap", MISTAKES["max_gradient_error"][WRONG]),
        wrong("no abs: numerical minus claimed",
              _fn(_MG, "return float(np.max(numerical_gradient(f, x, h) - grad(x)))")),
        wrong("no abs: claimed minus numerical",
              _fn(_MG, "return float(np.max(grad(x) - numerical_gradient(f, x, h)))")),
        wrong("abs after the max",
              _fn(_MG, "return float(abs(np.max(numerical_gradient(f, x, h) - grad(x))))")),
        wrong("ignores h: numerical_gradient(f, x)",
              _fn(_MG, "return float(np.max(np.abs(numerical_gradient(f, x) - grad(x))))")),
        wrong("the Euclidean norm of the gap",
              _fn(_MG, "return float(np.linalg.norm(numerical_gradient(f, x, h) - grad(x)))")),
        wrong("the sum of the gaps",
              _fn(_MG, "return float(np.sum(np.abs(numerical_gradient(f, x, h) - grad(x))))")),
        wrong("its own forward difference, step fixed at 1e-8",
              _fn(_MG, "x = np.asarray(x, dtype=float)",
                  "numeric = np.array([(f(x + 1e-8 * e) - f(x)) / 1e-8 for e in np.eye(x.size)])",
                  "return float(np.max(np.abs(numeric - grad(x))))")),
        right("the reference",
              _fn(_MG, "return float(np.max(np.abs(numerical_gradient(f, x, h) - grad(x))))")),
        right("np.abs(...).max(), no float()",
              _fn(_MG, "return np.abs(numerical_gradient(f, x, h) - grad(x)).max()")),
        right("its own central difference, and max() over a generator",
              _fn(_MG, "x = np.asarray(x, dtype=float)",
                  "numeric = [(f(x + e) - f(x - e)) / (2 * h) for e in np.eye(x.size) * h]",
                  "return max(abs(a - b) for a, b in zip(numeric, grad(x)))")),
    ],
    "numerical_hessian": [
        wrong("divides by h² instead of 4h²", MISTAKES["numerical_hessian"][WRONG]),
        wrong("ignores h: a step fixed at 1e-4",
              _hessian(f"H[i, j] = {_FOUR} / (4 * 1e-4 * 1e-4)", before=("steps = np.eye(n) * 1e-4",))),
        wrong("fills only the upper triangle", _hessian(f"H[i, j] = {_FOUR} / (4 * h * h)", j_from="i")),
        wrong("the signs + - + - instead of + - - +",
              _hessian("H[i, j] = (f(x + ei + ej) - f(x + ei - ej)"
                       " + f(x - ei + ej) - f(x - ei - ej)) / (4 * h * h)")),
        wrong("divides by 2h²", _hessian(f"H[i, j] = {_FOUR} / (2 * h * h)")),
        wrong("only the diagonal",
              _fn(_NH, "x = np.asarray(x, dtype=float)", "steps = np.eye(x.size) * h",
                  "return np.diag([(f(x + 2 * e) - 2 * f(x) + f(x - 2 * e)) / (4 * h * h) for e in steps])")),
        wrong("a list of lists, not a NumPy array",
              _fn(_NH, "x = np.asarray(x, dtype=float)", "steps = np.eye(x.size) * h",
                  f"return [[{_FOUR.replace('ei', 'a').replace('ej', 'b')} / (4 * h * h) for b in steps]",
                  "        for a in steps]")),
        right("the reference", _hessian(f"H[i, j] = {_FOUR} / (4 * h * h)")),
        right("the upper triangle, mirrored",
              _hessian(f"H[i, j] = H[j, i] = {_FOUR} / (4 * h * h)", j_from="i")),
        right("central differences of central differences",
              _fn(_NH, "x = np.asarray(x, dtype=float)", "steps = np.eye(x.size) * h",
                  "def partial(g, y, e):", "    return (g(y + e) - g(y - e)) / (2 * h)",
                  "return np.array([[partial(lambda y: partial(f, y, ej), x, ei) for ej in steps]",
                  "                 for ei in steps])")),
        right("the three-point formula on the diagonal",
              _hessian("if i == j:",
                       "    H[i, i] = (f(x + ei) - 2 * f(x) + f(x - ei)) / (h * h)",
                       "else:",
                       f"    H[i, j] = {_FOUR} / (4 * h * h)")),
    ],
    "gradient_descent": [
        wrong("stops when ‖∇f‖ grows (it should diverge as the maths says)",
              _fn(_GD, "x = np.array(x0, dtype=float)", "previous = np.inf", "for _ in range(steps):",
                  "    g = grad(x)", "    if np.linalg.norm(g) > previous:", "        break",
                  "    previous = np.linalg.norm(g)", "    x = x - lr * g", "return x")),
        wrong("clips the gradient at norm 10",
              _fn(_GD, "x = np.array(x0, dtype=float)", "for _ in range(steps):", "    g = grad(x)",
                  "    g = g * min(1.0, 10 / max(np.linalg.norm(g), 1e-300))", "    x = x - lr * g",
                  "return x")),
        wrong("stops once max |η ∇f| < 1e-8",
              _fn(_GD, "x = np.array(x0, dtype=float)", "for _ in range(steps):", "    step = lr * grad(x)",
                  "    if np.max(np.abs(step)) < 1e-8:", "        break", "    x = x - step", "return x")),
        wrong("stops once max |∇f| < 1e-8",
              _fn(_GD, "x = np.array(x0, dtype=float)", "for _ in range(steps):", "    g = grad(x)",
                  "    if np.max(np.abs(g)) < 1e-8:", "        break", "    x = x - lr * g", "return x")),
        wrong("climbs: + instead of -", MISTAKES["gradient_descent"][WRONG]),
        wrong("off by one: steps + 1 updates",
              _fn(_GD, "x = np.array(x0, dtype=float)", "for _ in range(steps + 1):",
                  "    x = x - lr * grad(x)", "return x")),
        wrong("off by one: steps - 1 updates",
              _fn(_GD, "x = np.array(x0, dtype=float)", "for _ in range(steps - 1):",
                  "    x = x - lr * grad(x)", "return x")),
        wrong("ignores lr: a rate fixed at 0.1",
              _fn(_GD, "x = np.array(x0, dtype=float)", "for _ in range(steps):",
                  "    x = x - 0.1 * grad(x)", "return x")),
        wrong("the gradient at x0 only",
              _fn(_GD, "x = np.array(x0, dtype=float)", "g = grad(x)", "for _ in range(steps):",
                  "    x = x - lr * g", "return x")),
        wrong("returns every iterate",
              _fn(_GD, "x = np.array(x0, dtype=float)", "path = [x]", "for _ in range(steps):",
                  "    x = x - lr * grad(x)", "    path.append(x)", "return path")),
        wrong("in place on integers: x -= with an integer x0",
              _fn(_GD, "x = np.asarray(x0)", "for _ in range(steps):", "    x -= lr * grad(x)", "return x")),
        wrong("unit steps: the direction -∇f/‖∇f‖ times lr",
              _fn(_GD, "x = np.array(x0, dtype=float)", "for _ in range(steps):", "    g = grad(x)",
                  "    x = x - lr * g / np.linalg.norm(g)", "return x")),
        wrong("in place on the caller's float array: np.asarray does not copy",
              _fn(_GD, "x = np.asarray(x0, dtype=float)", "for _ in range(steps):", "    x -= lr * grad(x)",
                  "return x")),
        wrong("stops early once max |∇f| < 1e-2",
              _fn(_GD, "x = np.array(x0, dtype=float)", "for _ in range(steps):", "    g = grad(x)",
                  "    if np.max(np.abs(g)) < 1e-2:", "        break", "    x = x - lr * g", "return x")),
        wrong("no conversion: steps = 0 returns the list x0 itself",
              _fn(_GD, "x = x0", "for _ in range(steps):",
                  "    x = x - lr * grad(np.asarray(x, dtype=float))", "return x")),
        right("the reference", _fn(_GD, "x = np.array(x0, dtype=float)", "for _ in range(steps):",
                                   "    x = x - lr * grad(x)", "return x")),
        right("in place, on a float copy",
              _fn(_GD, "x = np.array(x0, dtype=float)", "for _ in range(steps):",
                  "    x -= lr * grad(x)", "return x")),
        right("a while loop", _fn(_GD, "x, k = np.asarray(x0, dtype=float), 0", "while k < steps:",
                                  "    x, k = x - lr * grad(x), k + 1", "return x")),
        right("recursion", _fn(_GD, "x = np.asarray(x0, dtype=float)", "if steps == 0:", "    return x",
                               "return gradient_descent(grad, x - lr * grad(x), lr, steps - 1)")),
    ],
}

"""A1_linear_algebra: the mistakes students typically make, and what each kind of submission earns."""

from autograder.devtools.answers import right, wrong
from autograder.devtools.submissions import RAISING, RIGHT, WRONG, Scenario, standard_scenarios

# solution grade_id -> the code a student writes, for each kind of answer that is not the
# reference solution (which comes from the source notebook).
MISTAKES = {
    "outer_product": {
        WRONG: (  # row times column: the transpose, shape (n, m) instead of (m, n)
            "def outer_product(a, b):\n"
            "    return a.reshape(1, -1) * b.reshape(-1, 1)\n"
        ),
        RAISING: (
            "def outer_product(a, b):\n"
            "    return a.reshape(-1, 1) * b.reshape(-1, 1).T()\n"
        ),
    },
    "matmul_by_definition": {
        WRONG: (  # the right numbers, but with the operator the exercise rules out
            "def matmul_by_definition(A, B):\n"
            "    return A @ B\n"
        ),
        RAISING: (  # the sum over k runs one step too far
            "def matmul_by_definition(A, B):\n"
            "    m, p = A.shape\n"
            "    n = B.shape[1]\n"
            "    C = np.zeros((m, n))\n"
            "    for i in range(m):\n"
            "        for j in range(n):\n"
            "            C[i, j] = sum(A[i, k] * B[k, j] for k in range(p + 1))\n"
            "    return C\n"
        ),
    },
    "matrix_product_not_commutative": {
        WRONG: "AB = BA, because multiplying numbers does not depend on their order either.",
        RAISING: "I could not work it out.",
    },
    "lp_norm": {
        WRONG: (  # the plain formula: overflows for large p and gets p = inf wrong
            "def lp_norm(x, p):\n"
            "    return np.sum(np.abs(x) ** p) ** (1 / p)\n"
        ),
        RAISING: (  # the running total is never started
            "def lp_norm(x, p):\n"
            "    for xi in x:\n"
            "        total += abs(xi) ** p\n"
            "    return total ** (1 / p)\n"
        ),
    },
    "frobenius_norm": {
        WRONG: (  # the squared norm, as in weight decay, not the norm
            "def frobenius_norm(X):\n"
            "    return np.sum(X ** 2)\n"
        ),
        RAISING: (
            "def frobenius_norm(X):\n"
            "    return lp_norm(X, 'fro')\n"
        ),
    },
    "is_eigenpair": {
        WRONG: (  # an absolute tolerance, which also accepts the zero vector
            "def is_eigenpair(A, lam, v, tol=1e-8):\n"
            "    return bool(np.allclose(A @ v, lam * v))\n"
        ),
        RAISING: (
            "def is_eigenpair(A, lam, v, tol=1e-8):\n"
            "    return np.linalg.norm(A @ v - lam @ v) <= tol * np.linalg.norm(v)\n"
        ),
    },
    "eigenvalues_2x2": {
        WRONG: (  # the smaller eigenvalue first
            "def eigenvalues_2x2(A):\n"
            "    t = A[0, 0] + A[1, 1]\n"
            "    d = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]\n"
            "    s = np.emath.sqrt(t * t - 4 * d)\n"
            "    return np.array([(t - s) / 2, (t + s) / 2])\n"
        ),
        RAISING: (  # the discriminant is used but never computed
            "def eigenvalues_2x2(A):\n"
            "    t = A[0, 0] + A[1, 1]\n"
            "    d = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]\n"
            "    return np.array([(t + disc ** 0.5) / 2, (t - disc ** 0.5) / 2])\n"
        ),
    },
    "power_iteration": {
        WRONG: (  # the eigenvalue as ||A v||, which loses its sign
            "def power_iteration(A, v0, num_steps):\n"
            "    v = v0 / np.linalg.norm(v0)\n"
            "    for _ in range(num_steps):\n"
            "        v = A @ v\n"
            "        v = v / np.linalg.norm(v)\n"
            "    return np.linalg.norm(A @ v), v\n"
        ),
        RAISING: (
            "def power_iteration(A, v0, num_steps):\n"
            "    v = v0 / np.linalg.norm(v0)\n"
            "    for _ in range(num_steps):\n"
            "        v = A @ v / np.linalg.norm(A @ v, axis=1)\n"
            "    return v @ A @ v, v\n"
        ),
    },
    "stable_softmax": {
        WRONG: (  # the plain formula: exp overflows for scores such as 1000
            "def stable_softmax(z):\n"
            "    return np.exp(z) / np.sum(np.exp(z))\n"
        ),
        RAISING: (  # the shifted scores are never computed
            "def stable_softmax(z):\n"
            "    weights = np.exp(shifted)\n"
            "    return weights / np.sum(weights)\n"
        ),
    },
}

TESTS = {  # test grade_id -> points
    "test_outer_product": 1,
    "test_matmul_by_definition": 3,
    "test_lp_norm": 3,
    "test_frobenius_norm": 1,
    "test_is_eigenpair": 2,
    "test_eigenvalues_2x2": 3,
    "test_power_iteration": 3,
    "test_stable_softmax": 2,
}


SCENARIOS = standard_scenarios(
    MISTAKES,
    TESTS,
    Scenario(
        "partly-right",
        {"matmul_by_definition": WRONG, "eigenvalues_2x2": WRONG,
         "matrix_product_not_commutative": WRONG},
        {**TESTS, "test_matmul_by_definition": 0, "test_eigenvalues_2x2": 0},
        "two exercises wrong (one of them only because it uses @), the rest right",
        default=RIGHT,
    ),
    Scenario(
        "wrong-norm-dependency",
        {"lp_norm": WRONG},
        # frobenius_norm reuses lp_norm, but it is graded with the reference lp_norm in its place:
        # the overflowing norm costs its own grade cell only
        {**TESTS, "test_lp_norm": 0},
        "an L_p norm that overflows, which the Frobenius norm then relies on (charged once)",
        default=RIGHT,
    ),
)


_OP = "outer_product(a, b)"
_MM = "matmul_by_definition(A, B)"
_LP = "lp_norm(x, p)"
_FR = "frobenius_norm(X)"
_EP = "is_eigenpair(A, lam, v, tol=1e-8)"
_EV = "eigenvalues_2x2(A)"
_PI = "power_iteration(A, v0, num_steps)"
_SM = "stable_softmax(z)"


def _fn(signature: str, *body: str) -> str:
    """A solution cell: the def line and its body lines, each indented by four spaces."""
    return f"def {signature}:\n" + "".join(f"    {line}\n" for line in body)


_SHAPES = ("m, p = A.shape", "if p != B.shape[0]:", "    raise ValueError('the shapes do not fit')",
           "n = B.shape[1]")


def _matmul(*lines: str, shapes: tuple[str, ...] = _SHAPES) -> str:
    """matmul_by_definition: the shape check (m, p, n known), then the given lines."""
    return _fn(_MM, *shapes, *lines)


def _entries(*entry: str, result: str = "C = np.zeros((m, n))", shapes: tuple[str, ...] = _SHAPES) -> str:
    """matmul_by_definition filling C[i, j] in loops over i and j with the given lines."""
    loops = ("for i in range(m):", "    for j in range(n):", *(f"        {line}" for line in entry))
    return _matmul(result, *loops, "return C", shapes=shapes)


_ABS = "a = np.abs(np.asarray(x, dtype=float))"


def _rescaled(scale: str = "np.max(a)", *, inf: str = "float(np.max(a))", power: str = "(a / M) ** p",
              root: str = "(1 / p)") -> str:
    """lp_norm rescaled by M = scale, with early returns for p = inf and M = 0."""
    return _fn(_LP, _ABS, f"if p == np.inf: return {inf}", f"M = {scale}", "if M == 0: return 0.0",
               f"return float(M * np.sum({power}) ** {root})")


def _eigenpair(residual: str, size: str, *, bound: str = "tol * size") -> str:
    """is_eigenpair comparing residual with tol times size (False when size is 0)."""
    return _fn(_EP, f"size = {size}", "if size == 0:", "    return False", "r = A @ v - lam * v",
               f"return bool({residual} <= {bound})")


_TD = ("t = A[0, 0] + A[1, 1]", "d = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]")
_D = "D = (A[0, 0] - A[1, 1]) ** 2 + 4 * A[0, 1] * A[1, 0]"
_PAIR = ("    s = 1j * np.sqrt(-D)", "    return np.array([(t + s) / 2, (t - s) / 2])")
_BIG = "big = (t + s) / 2 if t >= 0 else (t - s) / 2"
_SMALL = "small = d / big if big != 0 else 0.0"
_ORDERED = "return np.array([max(big, small), min(big, small)])"


def _roots(*real: str, disc: str = _D, branch: str = "if D < 0:", pair: tuple[str, ...] = _PAIR) -> str:
    """eigenvalues_2x2: t, d, a discriminant, the complex pair when it is negative, then the real lines."""
    return _fn(_EV, *_TD, disc, branch, *pair, *real)


_STABLE = ("s = np.sqrt(D)", _BIG, _SMALL, _ORDERED)
_V = ("v = np.asarray(v0, dtype=float)", "v = v / np.linalg.norm(v)")
_STEP = ("w = A @ v", "v = w / np.linalg.norm(w)")


def _power(*, start: tuple[str, ...] = _V, loop: str = "for _ in range(num_steps):",
           step: tuple[str, ...] = _STEP, after: tuple[str, ...] = (),
           result: str = "float(v @ A @ v), v") -> str:
    """power_iteration: normalise, repeat the step, return the result."""
    return _fn(_PI, *start, loop, *(f"    {line}" for line in step), *after, f"return {result}")


def _softmax(weights: str, total: str = "np.sum(w)", *before: str) -> str:
    """stable_softmax: w = weights, returned divided by total."""
    return _fn(_SM, *before, f"w = {weights}", f"return w / {total}")


# solution grade_id -> answers a learner writes; each judged with every other exercise solved.
CATALOGUE = {
    "outer_product": [
        wrong("row times column: the transpose, shape (n, m)",
              _fn(_OP, "return a.reshape(1, -1) * b.reshape(-1, 1)")),
        wrong("np.outer, which the exercise rules out", _fn(_OP, "return np.outer(a, b)")),
        wrong("np.multiply.outer", _fn(_OP, "return np.multiply.outer(a, b)")),
        wrong("np.kron, reshaped", _fn(_OP, "return np.kron(a, b).reshape(len(a), len(b))")),
        wrong("np.einsum", _fn(_OP, "return np.einsum('i,j->ij', a, b)")),
        wrong("@ of a column and a row", _fn(_OP, "return a.reshape(-1, 1) @ b.reshape(1, -1)")),
        wrong("np.tensordot with no axes", _fn(_OP, "return np.tensordot(a, b, 0)")),
        wrong("element-wise product of the 1-D arrays", _fn(_OP, "return a * b")),
        wrong("a sum table instead of a product", _fn(_OP, "return a[:, None] + b[None, :]")),
        wrong("a float32 result: 7 digits", _fn(_OP, "return np.asarray(a[:, None] * b, dtype='float32')")),
        right("indexing with None", _fn(_OP, "return a[:, None] * b[None, :]")),
        right("np.newaxis after np.asarray", _fn(_OP, "return np.asarray(a)[:, np.newaxis] * np.asarray(b)")),
        right("np.expand_dims", _fn(_OP, "return np.expand_dims(a, 1) * np.expand_dims(b, 0)")),
        right("the transpose of a one-row array", _fn(_OP, "return np.array([a]).T * np.array([b])")),
    ],
    "matmul_by_definition": [
        wrong("the @ operator", _matmul("return A @ B")),
        wrong("np.inner with B transposed", _matmul("return np.inner(A, B.T)")),
        wrong("np.vdot for every entry", _entries("C[i, j] = np.vdot(A[i, :], B[:, j])")),
        wrong("np.kron, summed per entry", _entries("C[i, j] = np.sum(np.kron(A[i, :], [1.0]) * B[:, j])")),
        wrong("np.linalg.multi_dot", _matmul("return np.linalg.multi_dot([A, B])")),
        wrong("A.__matmul__", _matmul("return A.__matmul__(B)")),
        wrong("functools.reduce instead of the sum",
              "from functools import reduce\n\n"
              + _entries("C[i, j] = reduce(lambda s, k: s + A[i, k] * B[k, j], range(p), 0.0)")),
        wrong("np.einsum", _matmul("return np.einsum('ik,kj->ij', A, B)")),
        wrong("no check of the shapes", _entries("for k in range(p):", "    C[i, j] += A[i, k] * B[k, j]",
                                                 shapes=("m, p = A.shape", "n = B.shape[1]"))),
        wrong("no check of the shapes, a row times a column (broadcasts for (2, 1) · (3, 2))",
              _entries("C[i, j] = np.sum(A[i, :] * B[:, j])", shapes=("m, p = A.shape", "n = B.shape[1]"))),
        wrong("the sum over k runs to n", _entries("C[i, j] = sum(A[i, k] * B[k, j] for k in range(n))")),
        wrong("a result shaped like A", _entries("C[i, j] = sum(A[i, k] * B[k, j] for k in range(p))",
                                                 result="C = np.zeros_like(A)")),
        right("a list of rows from zip and sum",
              _matmul("rows = [[sum(a * b for a, b in zip(A[i], B.T[j])) for j in range(n)]"
                      " for i in range(m)]",
                      "return np.array(rows, dtype=float)")),
        right("broadcast products summed over k",
              _matmul("return (A[:, :, None] * B[None, :, :]).sum(axis=1)")),
        right("np.empty and np.sum of a row times a column",
              _entries("C[i, j] = np.sum(A[i, :] * B[:, j])", result="C = np.empty((m, n))")),
    ],
    "lp_norm": [
        wrong("the plain formula", _fn(_LP, "return np.sum(np.abs(x) ** p) ** (1 / p)")),
        wrong("np.linalg.norm, which overflows too", _fn(_LP, "return float(np.linalg.norm(x, p))")),
        wrong("rescales only huge elements (tiny ones underflow)",
              _fn(_LP, _ABS, "M = np.max(a)", "if p == np.inf or M == 0: return float(M)",
                  "if M > 1e100 or p > 100: return float(M * np.sum((a / M) ** p) ** (1 / p))",
                  "return float(np.sum(a ** p) ** (1 / p))")),
        wrong("no branch for the zero vector",
              _fn(_LP, _ABS, "M = np.max(a)", "if p == np.inf: return float(M)",
                  "return float(M * np.sum((a / M) ** p) ** (1 / p))")),
        wrong("forgets the absolute value",
              _fn(_LP, "M = np.max(x)", "if p == np.inf or M == 0: return float(M)",
                  "return float(M * np.sum((x / M) ** p) ** (1 / p))")),
        wrong("the p-th power instead of the root", _rescaled(root="p")),
        wrong("p = inf as the largest element, not the largest absolute value",
              _rescaled(inf="float(np.max(x))")),
        wrong("rescaled by the mean of |x_i|: overflows for [100, 1, 1, 1]", _rescaled("np.mean(a)")),
        wrong("rescaled by the L1 norm: underflows for ten equal elements", _rescaled("np.sum(a)")),
        wrong("rescaled by |x_1|: overflows for [1, 10]", _rescaled("a[0] if a[0] != 0 else np.max(a)")),
        wrong("p rounded down to a whole number", _rescaled(power="(a / M) ** int(p)", root="(1 / int(p))")),
        wrong("rescaled by the signed largest element, abs at the end: overflows for [0.5, -50]",
              _fn(_LP, "x = np.asarray(x, dtype=float)", "if p == np.inf: return float(np.max(np.abs(x)))",
                  "M = np.max(x)", "if M == 0: return 0.0",
                  "return float(abs(M) * np.sum(np.abs(x / M) ** p) ** (1 / p))")),
        wrong("the largest |x_i| for every p > 1000",
              _fn(_LP, _ABS, "M = a.max()", "if p == np.inf or p > 1000 or M == 0: return float(M)",
                  "return float(M * np.sum((a / M) ** p) ** (1 / p))")),
        wrong("rescaled by twice the largest |x_i|: underflows for large p", _rescaled("2 * np.max(a)")),
        wrong("the plain formula in np.longdouble: underflows for tiny elements and large p",
              _fn(_LP, "a = np.abs(np.asarray(x, dtype=np.longdouble))",
                  "if p == np.inf: return float(a.max())",
                  "return float(np.sum(a ** p) ** (1 / np.longdouble(p)))")),
        right("a loop over the elements",
              _fn(_LP, "M = max(abs(xi) for xi in x)", "if M == 0 or p == np.inf: return float(M)",
                  "return float(M * sum((abs(xi) / M) ** p for xi in x) ** (1 / p))")),
        right("np.linalg.norm of the rescaled vector",
              _fn(_LP, "M = np.max(np.abs(x))", "if M == 0: return 0.0",
                  "return float(M * np.linalg.norm(x / M, p))")),
        right("the reference, with early returns", _rescaled()),
    ],
    "frobenius_norm": [
        wrong("the squared norm", _fn(_FR, "return np.sum(X ** 2)")),
        wrong("np.linalg.norm, which overflows", _fn(_FR, "return np.linalg.norm(X)")),
        wrong("the plain formula", _fn(_FR, "return np.sqrt(np.sum(X ** 2))")),
        wrong("the L1 norm of the elements", _fn(_FR, "return lp_norm(X.ravel(), 1)")),
        wrong("the largest element", _fn(_FR, "return np.max(np.abs(X))")),
        wrong("only the first row", _fn(_FR, "return lp_norm(X[0], 2)")),
        wrong("row norms squared and summed again",
              _fn(_FR, "return np.sqrt(sum(lp_norm(row, 2) ** 2 for row in X))")),
        wrong("rescaled by the signed largest element: 0 for [[0, -3], [-4, 0]]",
              _fn(_FR, "X = np.asarray(X, dtype=float)", "M = np.max(X)", "if M == 0: return 0.0",
                  "return float(abs(M) * np.sqrt(np.sum((X / M) ** 2)))")),
        wrong("rescaled by the largest |entry| of the first row",
              _fn(_FR, "X = np.asarray(X, dtype=float)", "M = np.max(np.abs(X[0]))", "if M == 0: return 0.0",
                  "return float(M * np.sqrt(np.sum((X / M) ** 2)))")),
        right("lp_norm of the reshaped matrix", _fn(_FR, "return lp_norm(np.reshape(X, -1), 2)")),
        right("its own rescaling, without lp_norm",
              _fn(_FR, "M = np.max(np.abs(X))", "if M == 0:", "    return 0.0",
                  "return float(M * np.sqrt(np.sum((X / M) ** 2)))")),
        right("lp_norm of the row norms",
              _fn(_FR, "return lp_norm(np.array([lp_norm(row, 2) for row in X]), 2)")),
    ],
    "is_eigenpair": [
        wrong("np.allclose: an absolute tolerance", _fn(_EP, "return bool(np.allclose(A @ v, lam * v))")),
        wrong("tolerance scaled by |λ|",
              _eigenpair("np.linalg.norm(r)", "np.linalg.norm(v)", bound="tol * abs(lam) * size")),
        wrong("tolerance scaled by ||Av||",
              _eigenpair("np.linalg.norm(r)", "np.linalg.norm(v)", bound="tol * np.linalg.norm(A @ v)")),
        wrong("a tolerance not relative to ||v||",
              _eigenpair("np.linalg.norm(r)", "np.linalg.norm(v)", bound="tol")),
        wrong("forgets the zero vector",
              _fn(_EP, "return bool(np.linalg.norm(A @ v - lam * v) <= tol * np.linalg.norm(v))")),
        wrong("ignores tol", _eigenpair("np.linalg.norm(r)", "np.linalg.norm(v)", bound="1e-8 * size")),
        wrong("squared residual against tol times the squared length",
              _eigenpair("np.vdot(r, r).real", "np.vdot(v, v).real")),
        wrong("tolerance scaled by the size of A",
              _eigenpair("np.linalg.norm(r)", "np.linalg.norm(v)", bound="tol * np.linalg.norm(A) * size")),
        wrong("norms written out without abs: wrong for complex vectors",
              _eigenpair("abs(np.sqrt(np.sum(r ** 2)))", "np.sqrt(np.sum(v ** 2))", bound="tol * abs(size)")),
        wrong("L1 norms instead of L2", _eigenpair("np.sum(np.abs(r))", "np.sum(np.abs(v))")),
        wrong("L∞ norms instead of L2", _eigenpair("np.max(np.abs(r))", "np.max(np.abs(v))")),
        wrong("strict < instead of <=",
              _eigenpair("np.linalg.norm(r)", "np.linalg.norm(v)").replace(" <= ", " < ")),
        wrong("calls a vector shorter than tol the zero vector",
              _fn(_EP, "n = np.linalg.norm(v)", "if n < tol: return False",
                  "return bool(np.linalg.norm(A @ v - lam * v) <= tol * n)")),
        right("squared norms with tol squared",
              _eigenpair("np.vdot(r, r).real", "np.vdot(v, v).real", bound="tol ** 2 * size")),
        right("norms written out with abs",
              _fn(_EP, "r = A @ v - lam * v", "size = np.sqrt(np.sum(np.abs(v) ** 2))",
                  "return size > 0 and np.sqrt(np.sum(np.abs(r) ** 2)) <= tol * size")),
        right("the reference, with r named", _eigenpair("np.linalg.norm(r)", "np.linalg.norm(v)")),
    ],
    "eigenvalues_2x2": [
        wrong("the plain formula with t² - 4d",
              _fn(_EV, *_TD, "s = np.emath.sqrt(t * t - 4 * d)",
                  "return np.array([(t + s) / 2, (t - s) / 2])")),
        wrong("stable discriminant, but (t - s) / 2 for the second root",
              _fn(_EV, "t = A[0, 0] + A[1, 1]", _D, "s = np.emath.sqrt(D)",
                  "return np.array([(t + s) / 2, (t - s) / 2])")),
        wrong("t² - 4d, with the second root from d / λ1", _roots(*_STABLE, disc="D = t * t - 4 * d")),
        wrong("np.roots of the characteristic polynomial",
              _fn(_EV, *_TD, "r = np.roots([1.0, -t, d])",
                  "return np.array(sorted(r, key=lambda z: (z.real, z.imag), reverse=True))")),
        wrong("np.linalg.eigvals, sorted", _fn(_EV, "return np.sort(np.linalg.eigvals(A))[::-1]")),
        wrong("np.polynomial's polyroots",
              _fn(_EV, *_TD, "return np.polynomial.polynomial.polyroots([d, -t, 1.0])[::-1]")),
        wrong("the larger magnitude first, not the larger value",
              _roots("s = np.sqrt(D)", _BIG, "return np.array([big, d / big if big != 0 else 0.0])")),
        wrong("np.sign(t), which is 0 for t = 0",
              _roots("big = (t + np.sign(t) * np.sqrt(D)) / 2", _SMALL, _ORDERED)),
        wrong("no branch for λ1 = 0",
              _roots("big = (t + math.copysign(math.sqrt(D), t)) / 2",
                     "return np.array(sorted([big, d / big], reverse=True))")),
        wrong("the complex pair in the wrong order",
              _roots(*_STABLE, pair=(_PAIR[0], "    return np.array([(t - s) / 2, (t + s) / 2])"))),
        wrong("D <= 0: a complex array for the repeated real eigenvalue",
              _roots(*_STABLE, branch="if D <= 0:")),
        wrong("a complex array for real eigenvalues too",
              _roots("s = np.sqrt(D)", _BIG, _SMALL,
                     "return np.array([max(big, small), min(big, small)], dtype=complex)")),
        right("math.copysign and sorted",
              _fn(_EV, "a, b, c, e = A[0, 0], A[0, 1], A[1, 0], A[1, 1]", "t, d = a + e, a * e - b * c",
                  "D = (a - e) ** 2 + 4 * b * c", "if D < 0:", "    r = math.sqrt(-D) / 2",
                  "    return np.array([complex(t / 2, r), complex(t / 2, -r)])",
                  "big = (t + math.copysign(math.sqrt(D), t)) / 2",
                  "if big == 0:", "    return np.array([0.0, 0.0])",
                  "return np.array(sorted([big, d / big], reverse=True))")),
        right("np.trace, np.linalg.det and np.emath.sqrt",
              _fn(_EV, "t, d = np.trace(A), np.linalg.det(A)", _D, "s = np.emath.sqrt(D)", "if D < 0:",
                  "    return np.array([(t + s) / 2, (t - s) / 2])", _BIG, _SMALL, _ORDERED)),
        right("the reference", _roots(*_STABLE)),
    ],
    "power_iteration": [
        wrong("||Av|| for the eigenvalue: loses its sign", _power(result="float(np.linalg.norm(A @ v)), v")),
        wrong("v0 not normalised first", _power(start=("v = np.asarray(v0, dtype=float)",))),
        wrong("a stale Rayleigh quotient, from the vector before the last step",
              _power(start=(*_V, "lam = float(v @ A @ v)"),
                     step=("w = A @ v", "lam = float(v @ w)", "v = w / np.linalg.norm(w)"), result="lam, v")),
        wrong("only works for an array v0, not a list",
              _power(start=("v = v0.astype(float)", "v = v / np.linalg.norm(v)"))),
        wrong("one step too many", _power(loop="for _ in range(num_steps + 1):")),
        wrong("the sign of v tidied up", _power(after=("if v[np.argmax(np.abs(v))] < 0:", "    v = -v"))),
        wrong("(v, lam) in the wrong order", _power(result="v, float(v @ A @ v)")),
        wrong("divides v0 in place (v /= …), changing the caller's array",
              _power(start=("v = np.asarray(v0, dtype=float)", "v /= np.linalg.norm(v)"))),
        wrong("normalises only once, after the last step: overflows or underflows",
              _power(step=("v = A @ v",), after=("v = v / np.linalg.norm(v)",))),
        wrong("normalises every 10 steps only",
              _fn(_PI, *_V, "for k in range(num_steps):", "    v = A @ v",
                  "    if k % 10 == 9: v = v / np.linalg.norm(v)", "v = v / np.linalg.norm(v)",
                  "return float(v @ A @ v), v")),
        right("lengths as sqrt(v @ v)",
              _power(start=("v = np.array(v0, dtype=float)", "v = v / np.sqrt(v @ v)"),
                     step=("v = A @ v", "v = v / np.sqrt(v @ v)"), result="v @ A @ v, v")),
        right("A.dot and the general Rayleigh quotient",
              _power(step=("w = A.dot(v)", "v = w / np.linalg.norm(w)"),
                     result="float(A.dot(v) @ v / (v @ v)), v")),
        right("a copy divided in place",
              _power(start=("v = np.array(v0, dtype=float)", "v /= np.linalg.norm(v)"),
                                                step=("v = A @ v", "v /= np.linalg.norm(v)"))),
    ],
    "stable_softmax": [
        wrong("the plain formula", _softmax("np.exp(z)", "np.sum(np.exp(z))")),
        wrong("shifted by the minimum", _softmax("np.exp(z - np.min(z))")),
        wrong("shifted by the mean", _softmax("np.exp(z - np.mean(z))")),
        wrong("shifted by the largest |z|", _softmax("np.exp(z - np.max(np.abs(z)))")),
        wrong("shifted by the first score", _softmax("np.exp(z - z[0])")),
        wrong("divided by the largest weight, not the sum", _softmax("np.exp(z - np.max(z))", "np.max(w)")),
        wrong("the log-softmax", _fn(_SM, "m = np.max(z)", "return z - m - np.log(np.sum(np.exp(z - m)))")),
        wrong("scores clipped to ±700", _softmax("np.exp(np.clip(z, -700, 700))")),
        wrong("no shift, in np.longdouble: overflows for scores of 12000",
              _fn(_SM, "z = np.asarray(z, dtype=np.longdouble)", "e = np.exp(z)",
                  "return (e / np.sum(e)).astype(float)")),
        wrong("shifted in place (z -= …), changing the caller's scores", _softmax("np.exp(z)", "np.sum(w)",
                                                                                 "z -= np.max(z)")),
        right("through the log-sum-exp",
              _fn(_SM, "m = np.max(z)", "lse = m + np.log(np.sum(np.exp(z - m)))", "return np.exp(z - lse)")),
        right("a loop with math.exp",
              _fn(_SM, "m = max(z)", "weights = [math.exp(zi - m) for zi in z]", "total = sum(weights)",
                  "return np.array([w / total for w in weights])")),
        right("a float copy shifted in place",
              _softmax("np.exp(z)", "np.sum(w)", "z = np.array(z, dtype=float)",
                                                        "z -= np.max(z)")),
    ],
}

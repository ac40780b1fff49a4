"""A1_linear_algebra: the mistakes students typically make, and what each kind of submission earns."""

from autograder.submissions import RAISING, RIGHT, WRONG, Scenario, standard_scenarios

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
}

TESTS = {  # test grade_id -> points
    "test_outer_product": 1,
    "test_matmul_by_definition": 3,
    "test_lp_norm": 3,
    "test_frobenius_norm": 1,
    "test_is_eigenpair": 2,
    "test_eigenvalues_2x2": 3,
    "test_power_iteration": 3,
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
        # frobenius_norm reuses lp_norm, so the overflowing norm costs both grade cells
        {**TESTS, "test_lp_norm": 0, "test_frobenius_norm": 0},
        "an L_p norm that overflows, which the Frobenius norm then relies on",
        default=RIGHT,
    ),
)

"""A1_linear_algebra: the mistakes students typically make, and what each kind of submission earns."""

import textwrap

from autograder.answers import right, wrong
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


def _code(text: str) -> str:
    """An answer's cell, written indented inside triple quotes."""
    return textwrap.dedent(text).lstrip("\n")


# solution grade_id -> answers a learner writes; each judged with every other exercise solved.
CATALOGUE = {
    "outer_product": [
        wrong('row times column: the transpose, shape (n, m)', _code("""
            def outer_product(a, b):
                return a.reshape(1, -1) * b.reshape(-1, 1)
        """)),
        wrong('np.outer, which the exercise rules out', _code("""
            def outer_product(a, b):
                return np.outer(a, b)
        """)),
        wrong('np.multiply.outer', _code("""
            def outer_product(a, b):
                return np.multiply.outer(a, b)
        """)),
        wrong('np.kron, reshaped', _code("""
            def outer_product(a, b):
                return np.kron(a, b).reshape(len(a), len(b))
        """)),
        wrong('np.einsum', _code("""
            def outer_product(a, b):
                return np.einsum('i,j->ij', a, b)
        """)),
        wrong('@ of a column and a row', _code("""
            def outer_product(a, b):
                return a.reshape(-1, 1) @ b.reshape(1, -1)
        """)),
        wrong('np.tensordot with no axes', _code("""
            def outer_product(a, b):
                return np.tensordot(a, b, 0)
        """)),
        wrong('element-wise product of the 1-D arrays', _code("""
            def outer_product(a, b):
                return a * b
        """)),
        wrong('a sum table instead of a product', _code("""
            def outer_product(a, b):
                return a[:, None] + b[None, :]
        """)),
        right('indexing with None', _code("""
            def outer_product(a, b):
                return a[:, None] * b[None, :]
        """)),
        right('np.newaxis after np.asarray', _code("""
            def outer_product(a, b):
                return np.asarray(a)[:, np.newaxis] * np.asarray(b)
        """)),
        right('np.expand_dims', _code("""
            def outer_product(a, b):
                return np.expand_dims(a, 1) * np.expand_dims(b, 0)
        """)),
    ],
    "matmul_by_definition": [
        wrong('the @ operator', _code("""
            def matmul_by_definition(A, B):
                m, p = A.shape
                if p != B.shape[0]:
                    raise ValueError('the shapes do not fit')
                n = B.shape[1]
                return A @ B
        """)),
        wrong('np.inner with B transposed', _code("""
            def matmul_by_definition(A, B):
                m, p = A.shape
                if p != B.shape[0]:
                    raise ValueError('the shapes do not fit')
                n = B.shape[1]
                return np.inner(A, B.T)
        """)),
        wrong('np.vdot for every entry', _code("""
            def matmul_by_definition(A, B):
                m, p = A.shape
                if p != B.shape[0]:
                    raise ValueError('the shapes do not fit')
                n = B.shape[1]
                C = np.zeros((m, n))
                for i in range(m):
                    for j in range(n):
                        C[i, j] = np.vdot(A[i, :], B[:, j])
                return C
        """)),
        wrong('np.kron, summed per entry', _code("""
            def matmul_by_definition(A, B):
                m, p = A.shape
                if p != B.shape[0]:
                    raise ValueError('the shapes do not fit')
                n = B.shape[1]
                C = np.zeros((m, n))
                for i in range(m):
                    for j in range(n):
                        C[i, j] = np.sum(np.kron(A[i, :], [1.0]) * B[:, j])
                return C
        """)),
        wrong('np.linalg.multi_dot', _code("""
            def matmul_by_definition(A, B):
                m, p = A.shape
                if p != B.shape[0]:
                    raise ValueError('the shapes do not fit')
                n = B.shape[1]
                return np.linalg.multi_dot([A, B])
        """)),
        wrong('A.__matmul__', _code("""
            def matmul_by_definition(A, B):
                m, p = A.shape
                if p != B.shape[0]:
                    raise ValueError('the shapes do not fit')
                n = B.shape[1]
                return A.__matmul__(B)
        """)),
        wrong('functools.reduce instead of the sum', _code("""
            from functools import reduce

            def matmul_by_definition(A, B):
                m, p = A.shape
                if p != B.shape[0]:
                    raise ValueError('the shapes do not fit')
                n = B.shape[1]
                C = np.zeros((m, n))
                for i in range(m):
                    for j in range(n):
                        C[i, j] = reduce(lambda s, k: s + A[i, k] * B[k, j], range(p), 0.0)
                return C
        """)),
        wrong('np.einsum', _code("""
            def matmul_by_definition(A, B):
                m, p = A.shape
                if p != B.shape[0]:
                    raise ValueError('the shapes do not fit')
                n = B.shape[1]
                return np.einsum('ik,kj->ij', A, B)
        """)),
        wrong('no check of the shapes', _code("""
            def matmul_by_definition(A, B):
                m, p = A.shape
                n = B.shape[1]
                C = np.zeros((m, n))
                for i in range(m):
                    for j in range(n):
                        for k in range(p):
                            C[i, j] += A[i, k] * B[k, j]
                return C
        """)),
        wrong('the sum over k runs to n', _code("""
            def matmul_by_definition(A, B):
                m, p = A.shape
                if p != B.shape[0]:
                    raise ValueError('the shapes do not fit')
                n = B.shape[1]
                C = np.zeros((m, n))
                for i in range(m):
                    for j in range(n):
                        C[i, j] = sum(A[i, k] * B[k, j] for k in range(n))
                return C
        """)),
        wrong('a result shaped like A', _code("""
            def matmul_by_definition(A, B):
                m, p = A.shape
                if p != B.shape[0]:
                    raise ValueError('the shapes do not fit')
                n = B.shape[1]
                C = np.zeros_like(A)
                for i in range(m):
                    for j in range(n):
                        C[i, j] = sum(A[i, k] * B[k, j] for k in range(p))
                return C
        """)),
        right('a list of rows from zip and sum', _code("""
            def matmul_by_definition(A, B):
                m, p = A.shape
                if p != B.shape[0]:
                    raise ValueError('the shapes do not fit')
                n = B.shape[1]
                rows = [[sum(a * b for a, b in zip(A[i], B.T[j])) for j in range(n)] for i in range(m)]
                return np.array(rows, dtype=float)
        """)),
        right('broadcast products summed over k', _code("""
            def matmul_by_definition(A, B):
                m, p = A.shape
                if p != B.shape[0]:
                    raise ValueError('the shapes do not fit')
                n = B.shape[1]
                return (A[:, :, None] * B[None, :, :]).sum(axis=1)
        """)),
        right('np.empty and np.sum of a row times a column', _code("""
            def matmul_by_definition(A, B):
                m, p = A.shape
                if p != B.shape[0]:
                    raise ValueError('the shapes do not fit')
                n = B.shape[1]
                C = np.empty((m, n))
                for i in range(m):
                    for j in range(n):
                        C[i, j] = np.sum(A[i, :] * B[:, j])
                return C
        """)),
    ],
    "lp_norm": [
        wrong('the plain formula', _code("""
            def lp_norm(x, p):
                return np.sum(np.abs(x) ** p) ** (1 / p)
        """)),
        wrong('np.linalg.norm, which overflows too', _code("""
            def lp_norm(x, p):
                return float(np.linalg.norm(x, p))
        """)),
        wrong('rescales only huge elements (tiny ones underflow)', _code("""
            def lp_norm(x, p):
                a = np.abs(x)
                M = np.max(a)
                if p == np.inf or M == 0:
                    return float(M)
                if M > 1e100 or p > 100:
                    return float(M * np.sum((a / M) ** p) ** (1 / p))
                return float(np.sum(a ** p) ** (1 / p))
        """)),
        wrong('no branch for the zero vector', _code("""
            def lp_norm(x, p):
                a = np.abs(x)
                M = np.max(a)
                if p == np.inf:
                    return float(M)
                return float(M * np.sum((a / M) ** p) ** (1 / p))
        """)),
        wrong('forgets the absolute value', _code("""
            def lp_norm(x, p):
                M = np.max(x)
                if p == np.inf or M == 0:
                    return float(M)
                return float(M * np.sum((x / M) ** p) ** (1 / p))
        """)),
        wrong('the p-th power instead of the root', _code("""
            def lp_norm(x, p):
                a = np.abs(x)
                M = np.max(a)
                if p == np.inf or M == 0:
                    return float(M)
                return float(M * np.sum((a / M) ** p) ** p)
        """)),
        wrong('p = inf as the largest element, not the largest absolute value', _code("""
            def lp_norm(x, p):
                a = np.abs(x)
                if p == np.inf:
                    return float(np.max(x))
                M = np.max(a)
                if M == 0:
                    return 0.0
                return float(M * np.sum((a / M) ** p) ** (1 / p))
        """)),
        right('a loop over the elements', _code("""
            def lp_norm(x, p):
                M = max(abs(xi) for xi in x)
                if M == 0 or p == np.inf:
                    return float(M)
                return float(M * sum((abs(xi) / M) ** p for xi in x) ** (1 / p))
        """)),
        right('np.linalg.norm of the rescaled vector', _code("""
            def lp_norm(x, p):
                M = np.max(np.abs(x))
                if M == 0:
                    return 0.0
                return float(M * np.linalg.norm(x / M, p))
        """)),
    ],
    "frobenius_norm": [
        wrong('the squared norm', _code("""
            def frobenius_norm(X):
                return np.sum(X ** 2)
        """)),
        wrong('np.linalg.norm, which overflows', _code("""
            def frobenius_norm(X):
                return np.linalg.norm(X)
        """)),
        wrong('the plain formula', _code("""
            def frobenius_norm(X):
                return np.sqrt(np.sum(X ** 2))
        """)),
        wrong('the L1 norm of the elements', _code("""
            def frobenius_norm(X):
                return lp_norm(X.ravel(), 1)
        """)),
        wrong('the largest element', _code("""
            def frobenius_norm(X):
                return np.max(np.abs(X))
        """)),
        wrong('only the first row', _code("""
            def frobenius_norm(X):
                return lp_norm(X[0], 2)
        """)),
        wrong('row norms squared and summed again', _code("""
            def frobenius_norm(X):
                return np.sqrt(sum(lp_norm(row, 2) ** 2 for row in X))
        """)),
        right('lp_norm of the reshaped matrix', _code("""
            def frobenius_norm(X):
                return lp_norm(np.reshape(X, -1), 2)
        """)),
        right('its own rescaling, without lp_norm', _code("""
            def frobenius_norm(X):
                M = np.max(np.abs(X))
                if M == 0:
                    return 0.0
                return float(M * np.sqrt(np.sum((X / M) ** 2)))
        """)),
        right('lp_norm of the row norms', _code("""
            def frobenius_norm(X):
                return lp_norm(np.array([lp_norm(row, 2) for row in X]), 2)
        """)),
    ],
    "is_eigenpair": [
        wrong('np.allclose: an absolute tolerance', _code("""
            def is_eigenpair(A, lam, v, tol=1e-8):
                return bool(np.allclose(A @ v, lam * v))
        """)),
        wrong('tolerance scaled by |λ|', _code("""
            def is_eigenpair(A, lam, v, tol=1e-8):
                norm_v = np.linalg.norm(v)
                return bool(norm_v > 0 and np.linalg.norm(A @ v - lam * v) <= tol * abs(lam) * norm_v)
        """)),
        wrong('tolerance scaled by ||Av||', _code("""
            def is_eigenpair(A, lam, v, tol=1e-8):
                if np.linalg.norm(v) == 0:
                    return False
                return bool(np.linalg.norm(A @ v - lam * v) <= tol * np.linalg.norm(A @ v))
        """)),
        wrong('a tolerance not relative to ||v||', _code("""
            def is_eigenpair(A, lam, v, tol=1e-8):
                if np.linalg.norm(v) == 0:
                    return False
                return bool(np.linalg.norm(A @ v - lam * v) <= tol)
        """)),
        wrong('forgets the zero vector', _code("""
            def is_eigenpair(A, lam, v, tol=1e-8):
                return bool(np.linalg.norm(A @ v - lam * v) <= tol * np.linalg.norm(v))
        """)),
        wrong('ignores tol', _code("""
            def is_eigenpair(A, lam, v, tol=1e-8):
                norm_v = np.linalg.norm(v)
                return bool(norm_v > 0 and np.linalg.norm(A @ v - lam * v) <= 1e-8 * norm_v)
        """)),
        wrong('squared residual against tol times the squared length', _code("""
            def is_eigenpair(A, lam, v, tol=1e-8):
                r = A @ v - lam * v
                nv = np.vdot(v, v).real
                return bool(nv > 0 and np.vdot(r, r).real <= tol * nv)
        """)),
        wrong('tolerance scaled by the size of A', _code("""
            def is_eigenpair(A, lam, v, tol=1e-8):
                norm_v = np.linalg.norm(v)
                size_of_A = np.linalg.norm(A)
                return bool(norm_v > 0 and np.linalg.norm(A @ v - lam * v) <= tol * size_of_A * norm_v)
        """)),
        wrong('norms written out without abs: wrong for complex vectors', _code("""
            def is_eigenpair(A, lam, v, tol=1e-8):
                r = A @ v - lam * v
                size = np.sqrt(np.sum(v ** 2))
                return bool(size != 0 and abs(np.sqrt(np.sum(r ** 2))) <= tol * abs(size))
        """)),
        right('squared norms with tol squared', _code("""
            def is_eigenpair(A, lam, v, tol=1e-8):
                if not np.any(v != 0):
                    return False
                r = A @ v - lam * v
                return bool(np.vdot(r, r).real <= tol ** 2 * np.vdot(v, v).real)
        """)),
        right('norms written out with abs', _code("""
            def is_eigenpair(A, lam, v, tol=1e-8):
                r = A @ v - lam * v
                size = np.sqrt(np.sum(np.abs(v) ** 2))
                return size > 0 and np.sqrt(np.sum(np.abs(r) ** 2)) <= tol * size
        """)),
    ],
    "eigenvalues_2x2": [
        wrong('the plain formula with t² - 4d', _code("""
            def eigenvalues_2x2(A):
                t = A[0, 0] + A[1, 1]
                d = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
                s = np.emath.sqrt(t * t - 4 * d)
                return np.array([(t + s) / 2, (t - s) / 2])
        """)),
        wrong('stable discriminant, but (t - s) / 2 for the second root', _code("""
            def eigenvalues_2x2(A):
                t = A[0, 0] + A[1, 1]
                D = (A[0, 0] - A[1, 1]) ** 2 + 4 * A[0, 1] * A[1, 0]
                s = np.emath.sqrt(D)
                return np.array([(t + s) / 2, (t - s) / 2])
        """)),
        wrong('t² - 4d, with the second root from d / λ1', _code("""
            def eigenvalues_2x2(A):
                t = A[0, 0] + A[1, 1]
                d = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
                D = t * t - 4 * d
                if D < 0:
                    s = 1j * np.sqrt(-D)
                    return np.array([(t + s) / 2, (t - s) / 2])
                s = np.sqrt(D)
                big = (t + s) / 2 if t >= 0 else (t - s) / 2
                small = d / big if big != 0 else 0.0
                return np.array([max(big, small), min(big, small)])
        """)),
        wrong('np.roots of the characteristic polynomial', _code("""
            def eigenvalues_2x2(A):
                t = A[0, 0] + A[1, 1]
                d = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
                r = np.roots([1.0, -t, d])
                return np.array(sorted(r, key=lambda z: (z.real, z.imag), reverse=True))
        """)),
        wrong('np.linalg.eigvals, sorted', _code("""
            def eigenvalues_2x2(A):
                return np.sort(np.linalg.eigvals(A))[::-1]
        """)),
        wrong("np.polynomial's polyroots", _code("""
            def eigenvalues_2x2(A):
                t = A[0, 0] + A[1, 1]
                d = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
                return np.polynomial.polynomial.polyroots([d, -t, 1.0])[::-1]
        """)),
        wrong('the larger magnitude first, not the larger value', _code("""
            def eigenvalues_2x2(A):
                t = A[0, 0] + A[1, 1]
                d = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
                D = (A[0, 0] - A[1, 1]) ** 2 + 4 * A[0, 1] * A[1, 0]
                if D < 0:
                    s = 1j * np.sqrt(-D)
                    return np.array([(t + s) / 2, (t - s) / 2])
                s = np.sqrt(D)
                big = (t + s) / 2 if t >= 0 else (t - s) / 2
                return np.array([big, d / big if big != 0 else 0.0])
        """)),
        wrong('np.sign(t), which is 0 for t = 0', _code("""
            def eigenvalues_2x2(A):
                t = A[0, 0] + A[1, 1]
                d = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
                D = (A[0, 0] - A[1, 1]) ** 2 + 4 * A[0, 1] * A[1, 0]
                if D < 0:
                    s = 1j * np.sqrt(-D)
                    return np.array([(t + s) / 2, (t - s) / 2])
                big = (t + np.sign(t) * np.sqrt(D)) / 2
                small = d / big if big != 0 else 0.0
                return np.array([max(big, small), min(big, small)])
        """)),
        wrong('no branch for λ1 = 0', _code("""
            def eigenvalues_2x2(A):
                t = A[0, 0] + A[1, 1]
                d = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
                D = (A[0, 0] - A[1, 1]) ** 2 + 4 * A[0, 1] * A[1, 0]
                if D < 0:
                    s = 1j * np.sqrt(-D)
                    return np.array([(t + s) / 2, (t - s) / 2])
                big = (t + math.copysign(math.sqrt(D), t)) / 2
                return np.array(sorted([big, d / big], reverse=True))
        """)),
        wrong('the complex pair in the wrong order', _code("""
            def eigenvalues_2x2(A):
                t = A[0, 0] + A[1, 1]
                d = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
                D = (A[0, 0] - A[1, 1]) ** 2 + 4 * A[0, 1] * A[1, 0]
                if D < 0:
                    s = 1j * np.sqrt(-D)
                    return np.array([(t - s) / 2, (t + s) / 2])
                s = np.sqrt(D)
                big = (t + s) / 2 if t >= 0 else (t - s) / 2
                small = d / big if big != 0 else 0.0
                return np.array([max(big, small), min(big, small)])
        """)),
        right('math.copysign and sorted', _code("""
            def eigenvalues_2x2(A):
                a, b, c, e = A[0, 0], A[0, 1], A[1, 0], A[1, 1]
                t, d = a + e, a * e - b * c
                D = (a - e) ** 2 + 4 * b * c
                if D < 0:
                    r = math.sqrt(-D) / 2
                    return np.array([complex(t / 2, r), complex(t / 2, -r)])
                big = (t + math.copysign(math.sqrt(D), t)) / 2
                if big == 0:
                    return np.array([0.0, 0.0])
                return np.array(sorted([big, d / big], reverse=True))
        """)),
        right('np.trace, np.linalg.det and np.emath.sqrt', _code("""
            def eigenvalues_2x2(A):
                t, d = np.trace(A), np.linalg.det(A)
                D = (A[0, 0] - A[1, 1]) ** 2 + 4 * A[0, 1] * A[1, 0]
                s = np.emath.sqrt(D)
                if D < 0:
                    return np.array([(t + s) / 2, (t - s) / 2])
                big = (t + s) / 2 if t >= 0 else (t - s) / 2
                small = d / big if big != 0 else 0.0
                return np.array([max(big, small), min(big, small)])
        """)),
    ],
    "power_iteration": [
        wrong('||Av|| for the eigenvalue: loses its sign', _code("""
            def power_iteration(A, v0, num_steps):
                v = np.asarray(v0, dtype=float)
                v = v / np.linalg.norm(v)
                for _ in range(num_steps):
                    w = A @ v
                    v = w / np.linalg.norm(w)
                return float(np.linalg.norm(A @ v)), v
        """)),
        wrong('v0 not normalised first', _code("""
            def power_iteration(A, v0, num_steps):
                v = np.asarray(v0, dtype=float)
                for _ in range(num_steps):
                    w = A @ v
                    v = w / np.linalg.norm(w)
                return float(v @ A @ v), v
        """)),
        wrong('a stale Rayleigh quotient, from the vector before the last step', _code("""
            def power_iteration(A, v0, num_steps):
                v = np.asarray(v0, dtype=float)
                v = v / np.linalg.norm(v)
                lam = float(v @ A @ v)
                for _ in range(num_steps):
                    w = A @ v
                    lam = float(v @ w)
                    v = w / np.linalg.norm(w)
                return lam, v
        """)),
        wrong('only works for an array v0, not a list', _code("""
            def power_iteration(A, v0, num_steps):
                v = v0.astype(float)
                v = v / np.linalg.norm(v)
                for _ in range(num_steps):
                    w = A @ v
                    v = w / np.linalg.norm(w)
                return float(v @ A @ v), v
        """)),
        wrong('one step too many', _code("""
            def power_iteration(A, v0, num_steps):
                v = np.asarray(v0, dtype=float)
                v = v / np.linalg.norm(v)
                for _ in range(num_steps + 1):
                    w = A @ v
                    v = w / np.linalg.norm(w)
                return float(v @ A @ v), v
        """)),
        wrong('the sign of v tidied up', _code("""
            def power_iteration(A, v0, num_steps):
                v = np.asarray(v0, dtype=float)
                v = v / np.linalg.norm(v)
                for _ in range(num_steps):
                    w = A @ v
                    v = w / np.linalg.norm(w)
                if v[np.argmax(np.abs(v))] < 0:
                    v = -v
                return float(v @ A @ v), v
        """)),
        wrong('(v, lam) in the wrong order', _code("""
            def power_iteration(A, v0, num_steps):
                v = np.asarray(v0, dtype=float)
                v = v / np.linalg.norm(v)
                for _ in range(num_steps):
                    w = A @ v
                    v = w / np.linalg.norm(w)
                return v, float(v @ A @ v)
        """)),
        right('lengths as sqrt(v @ v)', _code("""
            def power_iteration(A, v0, num_steps):
                v = np.array(v0, dtype=float)
                v = v / np.sqrt(v @ v)
                for _ in range(num_steps):
                    v = A @ v
                    v = v / np.sqrt(v @ v)
                return v @ A @ v, v
        """)),
        right('A.dot and the general Rayleigh quotient', _code("""
            def power_iteration(A, v0, num_steps):
                v = np.asarray(v0, dtype=float)
                v = v / np.linalg.norm(v)
                for step in range(num_steps):
                    w = A.dot(v)
                    v = w / np.linalg.norm(w)
                return float(A.dot(v) @ v / (v @ v)), v
        """)),
    ],
    "stable_softmax": [
        wrong('the plain formula', _code("""
            def stable_softmax(z):
                return np.exp(z) / np.sum(np.exp(z))
        """)),
        wrong('shifted by the minimum', _code("""
            def stable_softmax(z):
                w = np.exp(z - np.min(z))
                return w / np.sum(w)
        """)),
        wrong('shifted by the mean', _code("""
            def stable_softmax(z):
                w = np.exp(z - np.mean(z))
                return w / np.sum(w)
        """)),
        wrong('shifted by the largest |z|', _code("""
            def stable_softmax(z):
                w = np.exp(z - np.max(np.abs(z)))
                return w / np.sum(w)
        """)),
        wrong('shifted by the first score', _code("""
            def stable_softmax(z):
                w = np.exp(z - z[0])
                return w / np.sum(w)
        """)),
        wrong('divided by the largest weight, not the sum', _code("""
            def stable_softmax(z):
                w = np.exp(z - np.max(z))
                return w / np.max(w)
        """)),
        wrong('the log-softmax', _code("""
            def stable_softmax(z):
                m = np.max(z)
                return z - m - np.log(np.sum(np.exp(z - m)))
        """)),
        wrong('scores clipped to ±700', _code("""
            def stable_softmax(z):
                w = np.exp(np.clip(z, -700, 700))
                return w / np.sum(w)
        """)),
        right('through the log-sum-exp', _code("""
            def stable_softmax(z):
                m = np.max(z)
                lse = m + np.log(np.sum(np.exp(z - m)))
                return np.exp(z - lse)
        """)),
        right('a loop with math.exp', _code("""
            def stable_softmax(z):
                m = max(z)
                weights = [math.exp(zi - m) for zi in z]
                total = sum(weights)
                return np.array([w / total for w in weights])
        """)),
    ],
}

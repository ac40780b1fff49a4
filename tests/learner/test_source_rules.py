"""Source checks: the learner's check and the judge read the same cells and agree; no bypass passes."""

import ast
import builtins
import re
import sys
from pathlib import Path

import nbformat
import pytest

import autograder.learner.checks as checks
from autograder.devtools.scenarios import a1_linear_algebra
from autograder.devtools.submissions import RIGHT, build_submission, scenarios
from autograder.grading.judge import judge_cell
from autograder.learner.checks import CheckFailed, check_source_avoids, check_source_uses_only
from autograder.learner.source_rules import integrity_problems, source_problems
from autograder.learner.values import encode

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ["outer", "@", "dot", "matmul", "einsum", "tensordot"]
IMPORTS = "import numpy as np\nfrom autograder.learner.checks import check_function, check_source_avoids"
ALLOWED = "def outer_product(a, b):\n    return np.reshape(a, (-1, 1)) * np.reshape(b, (1, -1))"
TEST = f"check_source_avoids('outer_product', outer_product, forbidden={FORBIDDEN})"
OUTER = "def outer_product(a, b): return np.outer(a, b)"  # what the bypasses slip in


def returning(expression: str) -> str:
    return f"def outer_product(a, b):\n    return {expression}"


# Cells placed between the imports and the test cell: each binds outer_product to np.outer, or
# makes the def call it, in a way a check of the last top-level def alone does not see.
BYPASSES = {
    "def-in-if": [ALLOWED, f"if True:\n    {OUTER}"],
    "def-in-for": [ALLOWED, f"for _ in range(1):\n    {OUTER}"],
    "def-in-while": [ALLOWED, f"while True:\n    {OUTER}\n    break"],
    "def-in-with": [ALLOWED, f"with open('x', 'w'):\n    {OUTER}"],
    "def-in-try": [ALLOWED, f"try:\n    {OUTER}\nexcept Exception:\n    pass"],
    "earlier-def": [OUTER, ALLOWED],
    "exec": [ALLOWED, 'exec("def outer_product(a, b):\\n    return np.outer(a, b)")'],
    "lambda": [ALLOWED, "outer_product = lambda a, b: np.outer(a, b)"],
    "tuple-target": [ALLOWED, "x, *outer_product = 1, np.outer"],
    "walrus": [ALLOWED, "(outer_product := np.outer)"],
    "for-target": [ALLOWED, "for outer_product in [np.outer]:\n    pass"],
    "import-as-name": [ALLOWED, "from numpy import outer as outer_product"],
    "class": [ALLOWED, "class outer_product:\n    def __new__(cls, a, b):\n        return np.outer(a, b)"],
    "global-in-def": [ALLOWED, "def swap():\n    global outer_product\n    outer_product = np.outer\nswap()"],
    "globals": [ALLOWED, "globals()['outer_product'] = np.outer"],
    "decorator": ["def _swap(f):\n    return np.outer\n@_swap\ndef outer_product(a, b):\n    return a"],
    "main-module": [ALLOWED, "import __main__\n__main__.outer_product = np.outer"],
    "setattr": [ALLOWED, "import math\nsetattr(math, 'outer_product', np.outer)"],
    "code-object": [ALLOWED, "def _o(a, b):\n    return np.outer(a, b)",
                    "outer_product.__code__ = _o.__code__"],
    "helper": ["def helper(a, b):\n    return np.outer(a, b)", returning("helper(a, b)")],
    "alias": ["f = np.outer", returning("f(a, b)")],
    "import-alias": ["from numpy import outer as f", returning("f(a, b)")],
    "default-argument": ["def outer_product(a, b, f=np.outer):\n    return f(a, b)"],
    "dunder-method": [returning("a.reshape(-1, 1).__matmul__(b.reshape(1, -1))")],
    "getattr": [returning("getattr(np, 'out' + 'er')(a, b)")],
    "module-dict": [returning("np.__dict__['outer'](a, b)")],
    "line-magic": [ALLOWED, "%time outer_product = np.outer"],
    "timeit-options": [ALLOWED, "%timeit -n 1 -r 1 -q global outer_product; outer_product = np.outer"],
    "cell-magic": [ALLOWED, "%%capture\nouter_product = np.outer"],
    "automagic": [ALLOWED, "prun -q outer_product = np.outer"],
    "magic-expansion": [ALLOWED, "%config X.y = {'glob' + 'als().update(outer_product=np.outer)'}"],
    "user-ns": [ALLOWED, "get_ipython().user_ns['outer_product'] = np.outer"],
    "run-cell": [ALLOWED, "get_ipython().run_cell('outer_product = np.outer')"],
    "unknown-magic": [ALLOWED, "%run make_outer.py"],
    "frame": [ALLOWED, "import sys\nsys._getframe().f_globals['outer_product'] = np.outer"],
    "sys-modules": [ALLOWED, "import sys\nsys.modules['__main__'].outer_product = np.outer"],
    "output-history": ["np.outer", returning("_(a, b)")],
    "top-level-await": [ALLOWED, "import asyncio\nawait asyncio.sleep(0)\nouter_product = np.outer"],
    "file-beside-notebook": [ALLOWED, "import make_outer"],
    "monkeypatched-numpy": ["np.multiply = np.outer", returning("np.multiply(a, b)")],
    "monkeypatched-alias": ["import numpy\nm = numpy\nm.multiply = numpy.outer",
                            returning("np.multiply(a, b)")],
    "stored-argument": ["class Box:\n    pass", "def keep(f):\n    Box.f = f", "keep(np.outer)",
                        returning("Box.f(a, b)")],
    "dict-update": ["table = {}", "table.update(f=np.outer)", returning("table['f'](a, b)")],
    "list-through-alias": ["fs = []", "gs = fs\ngs += [np.outer]", returning("fs[0](a, b)")],
    "object-array": ["arr = np.empty(1, dtype=object)", "arr.fill(np.outer)", returning("arr[0](a, b)")],
    "patching-function": ["def patch(m, f):\n    m.multiply = f", "patch(np, np.outer)",
                          returning("np.multiply(a, b)")],
    "global-setter": ["def keep(v):\n    global F\n    F = v", "keep(np.outer)", returning("F(a, b)")],
    "closure-store": ["def make():\n    store = []\n    def put(x):\n        store.append(x)\n"
                      "    def get():\n        return store[0]\n    return put, get",
                      "put, get = make()", "put(np.outer)", returning("get()(a, b)")],
    "exception-argument": ["class E(Exception):\n    pass",
                           "try:\n    raise E(np.outer)\nexcept E as e:\n    f = e.args[0]",
                           returning("f(a, b)")],
    "magic-in-the-def": [returning("get_ipython().run_line_magic('time', 'np.outer(a, b)')")],
    "pickled-function": ["arr = np.load('f.npy', None, True)", returning("arr[0](a, b)")],
    "registry-through-a-parameter": ["REG = {}", "def setup(d):\n    d['f'] = np.outer", "setup(REG)",
                                     returning("REG['f'](a, b)")],
    "registry-passed-on": ["REG = {}", "def setup(d, f):\n    d['f'] = f",
                           "def init(x):\n    setup(x, np.outer)", "init(REG)", returning("REG['f'](a, b)")],
    "registry-setter-aliased": ["REG = {}", "def setup(d):\n    e = d\n    e['f'] = np.outer",
                                "g = setup\ng(REG)", returning("REG['f'](a, b)")],
    "registry-as-a-default": ["REG = {}", "def setup(d=REG):\n    d['f'] = np.outer", "setup()",
                              returning("REG['f'](a, b)")],
    "registry-in-a-loop": ["REGS = [{}]", "def setup(ds):\n    for d in ds:\n        d['f'] = np.outer",
                           "setup(REGS)", returning("REGS[0]['f'](a, b)")],
    "module-through-a-parameter": ["def setup(m):\n    m.multiply = np.outer\n    return 1",
                                   "check_function('setup', setup, args=[(np,)], expected=[1])",
                                   returning("np.multiply(a, b)")],
    "assigned-from-a-factory": ["def make():\n    def inner(a, b):\n        return np.outer(a, b)\n"
                                "    return inner", "outer_product = make()"],
}

HONEST = {
    "broadcasting": [ALLOWED],
    "loops": ["def outer_product(a, b):\n    out = np.zeros((len(a), len(b)))\n    for i in range(len(a)):\n"
              "        for j in range(len(b)):\n            out[i, j] = a[i] * b[j]\n    return out"],
    "comprehension": [returning("np.array([[x * y for y in b] for x in a])")],
    "redefined-later": ["def outer_product(a, b):\n    raise NotImplementedError()", ALLOWED],
    "honest-helper": ["def column(a):\n    return np.reshape(a, (-1, 1))",
                      returning("column(a) * np.reshape(b, (1, -1))")],
    "variable-named-dot": ["def outer_product(a, b):\n    dot = np.reshape(a, (-1, 1))  # np.outer: no\n"
                           "    return dot * b"],
    "other-cells-use-outer": ["print(np.outer([1], [2]), np.ones(2) @ np.ones(2))", ALLOWED],
    "magics-and-shell": [ALLOWED, "%timeit -n 3 outer_product(np.ones(3), np.ones(2))",
                         "%%time\nouter_product(np.ones(3), np.ones(2))", "%matplotlib inline", "!ls",
                         "np.outer?"],
    "local-list": ["def outer_product(a, b):\n    rows = []\n    for x in a:\n        rows.append(x * b)\n"
                   "    return np.array(rows)"],
}


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    """A failing check raises with its explanation (as under nbgrader's Validate)."""
    monkeypatch.setenv(checks.STRICT_ENV, "strict")


def judged(cells: list[str]):
    reference = [{"check": "outer_product", "kind": "source", "case": 0, "args": None, "value": None,
                  "error": None, "expected": FORBIDDEN, "rtol": None, "atol": None, "hidden": False,
                  "function": "outer_product"}]
    return judge_cell(reference, reference, sources=cells)


def learner_message(cells: list[str], monkeypatch) -> str | None:
    """What the learner's check says, in a kernel whose history is these cells (None: it passed)."""
    monkeypatch.setattr(checks, "_kernel_history", lambda: ["", *cells])
    try:
        check_source_avoids("outer_product", lambda a, b: None, forbidden=FORBIDDEN)
    except CheckFailed as failure:
        return str(failure)
    return None


@pytest.mark.parametrize("cells", BYPASSES.values(), ids=BYPASSES.keys())
def test_every_bypass_fails_for_the_judge_and_the_learner_alike(cells, monkeypatch):
    """Regression: an allowed top-level def followed by a def inside `if True:` (and the other
    ways here) earned full points, because the judge read only the last top-level def."""
    notebook = [IMPORTS, *cells, TEST]
    verdict = judged(notebook)
    assert not verdict.passed and verdict.problems
    # The same reasons, the cells named as the kernel counts them: code cell 3 is In [3].
    problem = verdict.problems[0].split(": ", 1)[1].split("; ")[0]  # without the check's label
    first = re.sub(r"code cell (\d+)", r"In [\1]", problem)
    assert first in learner_message(notebook, monkeypatch)


@pytest.mark.parametrize("cells", HONEST.values(), ids=HONEST.keys())
def test_honest_solutions_pass_for_the_judge_and_the_learner_alike(cells, monkeypatch):
    notebook = [IMPORTS, *cells, TEST]
    assert judged(notebook).passed, judged(notebook).problems
    assert learner_message(notebook, monkeypatch) is None


@pytest.mark.parametrize(("cells", "message"), [
    ([ALLOWED, "outer_product = np.outer"],
     "outer_product is also bound by an assignment in code cell 3, line 1: define it once with a plain def"),
    (["def helper(a, b):\n    return np.outer(a, b)", returning("helper(a, b)")],
     "the code uses outer, which this exercise asks you to do without: np.outer in code cell 2, line 2, "
     "which outer_product reaches through helper"),
    ([returning("a @ b")],
     "the code uses @, which this exercise asks you to do without (code cell 2, line 2)"),
    ([ALLOWED, "%load_ext autoreload"],
     "code cell 3, line 1 uses the %load_ext magic, which the grader cannot follow"),
    (["import numpy as np"], "no `def outer_product` found in the notebook"),
], ids=["rebound", "through-helper", "operator", "unknown-magic", "no-def"])
def test_messages_name_what_was_found_and_where(cells, message):
    problems = source_problems([IMPORTS, *cells, TEST], "outer_product", FORBIDDEN)
    assert problems[0].startswith(message)


def _source_checks(path: Path) -> list[tuple[str, str, list[str], list[str] | None]]:
    """(assignment, function, forbidden, allowed) of every source check in a notebook's cells:
    check_source_avoids (allowed None) and check_source_uses_only (forbidden [])."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code" or not ("check_source_avoids(" in cell.source
                                            or "check_source_uses_only(" in cell.source):
            continue
        for node in ast.walk(ast.parse(cell.source)):
            called = getattr(node.func, "id", None) if isinstance(node, ast.Call) else None
            if called in ("check_source_avoids", "check_source_uses_only"):
                rule = {k.arg: ast.literal_eval(k.value) for k in node.keywords
                        if k.arg in ("forbidden", "allowed")}
                found.append((path.stem, node.args[1].id, rule.get("forbidden", []), rule.get("allowed")))
    return found


def _code_cells(path: Path) -> list[str]:
    return [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


SOURCES = sorted(ROOT.glob("source/*/*.ipynb"))
SOURCE_CHECKS = [check for path in SOURCES for check in _source_checks(path)]


@pytest.mark.parametrize(("assignment", "function", "forbidden", "allowed"), SOURCE_CHECKS,
                         ids=[f"{a}-{f}" for a, f, _, _ in SOURCE_CHECKS])
def test_the_reference_solutions_pass_their_source_checks(assignment, function, forbidden, allowed):
    """Solutions, hidden tests, widgets and timing cells of the source notebook included."""
    cells = _code_cells(ROOT / "source" / assignment / f"{assignment}.ipynb")
    assert source_problems(cells, function, forbidden, allowed=allowed) == []


@pytest.mark.parametrize("path", [*SOURCES, *sorted(ROOT.glob("notebooks/*/*.ipynb"))],
                         ids=lambda p: f"{p.parts[-3]}-{p.stem}")
def test_no_course_cell_trips_a_rule(path):
    """Every solution function of every notebook, source and release, passes with nothing forbidden:
    no course cell uses a feature the rules reject, or rebinds a solution's name — outside the hidden
    tests, where a cell that grades an exercise on its own binds the reference version of an earlier
    one in its place (no learner's kernel runs them, and no source check reads such a function)."""
    nb = nbformat.read(path, as_version=4)
    cells = [re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", cell.source, flags=re.S)
             for cell in nb.cells if cell.cell_type == "code"]
    functions = [node.name for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("solution")
                 and cell.cell_type == "code" for node in ast.parse(cell.source).body
                 if isinstance(node, ast.FunctionDef)]
    assert functions
    for function in functions:
        assert source_problems(cells, function, []) == [], function


@pytest.mark.parametrize("scenario", scenarios("A1_linear_algebra"), ids=lambda s: s.name)
def test_a1_submissions_pass_the_source_checks_exactly_where_they_earn_points(scenario):
    release = nbformat.read(ROOT / "notebooks/A1_linear_algebra/A1_linear_algebra.ipynb", as_version=4)
    source = nbformat.read(SOURCES[0], as_version=4)
    submission = build_submission(release, source, scenario, a1_linear_algebra.MISTAKES)
    cells = [cell.source for cell in submission.cells if cell.cell_type == "code"]
    for _, function, forbidden, allowed in _source_checks(SOURCES[0]):
        passed = source_problems(cells, function, forbidden, allowed=allowed) == []
        if scenario.answer_for(function) == RIGHT:
            assert passed, function
        elif function == "matmul_by_definition" and scenario.answer_for(function) == "wrong":
            assert not passed  # the right numbers, with the @ the exercise rules out


# --- allowlists: the exercise says what is allowed, and everything else fails ----------------------

OUTER_ALLOWED = ["reshape", "newaxis", "expand_dims", "T", "asarray", "array", "len", "shape", "size"]
MATMUL_ALLOWED = ["shape", "ndim", "len", "T", "range", "enumerate", "zip", "append", "sum", "zeros", "empty",
                  "array", "asarray", "float", "ValueError"]
MATMUL_TEST = "check_source_uses_only('matmul_by_definition', matmul_by_definition, allowed=[])"
SHAPES = "    m, p = A.shape\n    if p != B.shape[0]:\n        raise ValueError('no')\n    n = B.shape[1]\n"


def matmul(body: str, before: str = "") -> list[str]:
    return [*([before] if before else []), f"def matmul_by_definition(A, B):\n{SHAPES}{body}"]


LOOPS = ("    C = np.zeros((m, n))\n    for i in range(m):\n        for j in range(n):\n"
         "            C[i, j] = {}\n    return C")
# Library products a forbidden list missed: each fails an allowlist without being named in it.
UNLISTED_PRODUCTS = {
    "inner": matmul("    return np.inner(A, B.T)"),
    "kron": matmul(LOOPS.format("np.sum(np.kron(A[i, :], [1.0]) * B[:, j])")),
    "multi-dot": matmul("    return np.linalg.multi_dot([A, B])"),
    "vdot": matmul(LOOPS.format("np.vdot(A[i, :], B[:, j])")),
    "dunder-matmul": matmul("    return A.__matmul__(B)"),
    "reduce": matmul(LOOPS.format("reduce(lambda s, k: s + A[i, k] * B[k, j], range(p), 0.0)"),
                     before="from functools import reduce"),
    "einsum": matmul("    return np.einsum('ik,kj->ij', A, B)"),
    "operator": matmul("    return A @ B"),
    "ufunc-method": matmul(LOOPS.format("np.add.reduce(A[i, :] * B[:, j])")),
    "builtin-not-listed": matmul(LOOPS.format("math.fsum(A[i, k] * B[k, j] for k in range(p))")),
    "map": matmul(LOOPS.format("sum(map(lambda k: A[i, k] * B[k, j], range(p)))")),
    "through-a-helper": ["def row_col(r, c):\n    return np.inner(r, c)",
                         *matmul(LOOPS.format("row_col(A[i], B[:, j])"))],
    "through-an-alias": ["mul = np.inner", *matmul(LOOPS.format("mul(A[i], B[:, j])"))],
    "from-import": matmul(LOOPS.format("inner(A[i], B[:, j])"), before="from numpy import inner"),
    "patched-numpy": ["np.zeros = np.inner", *matmul(LOOPS.format("np.sum(A[i, :] * B[:, j])"))],
}
HONEST_PRODUCTS = {
    "loops": matmul(LOOPS.format("sum(A[i, k] * B[k, j] for k in range(p))")),
    "zip-and-lists": matmul("    rows = []\n    for i in range(m):\n"
                            "        rows.append([sum(a * b for a, b in zip(A[i], B.T[j]))\n"
                            "                     for j in range(n)])\n"
                            "    return np.array(rows, dtype=float)"),
    "broadcast-and-sum": matmul("    return (A[:, :, None] * B[None, :, :]).sum(axis=1)"),
    "own-helper": ["def entry(A, B, i, j):\n    return np.sum(A[i, :] * B[:, j])",
                   *matmul(LOOPS.format("entry(A, B, i, j)"))],
    "notebook-settings-elsewhere": ["import matplotlib.pyplot as plt\n"
                                    "plt.rcParams.update({'axes.grid': True})",
                                    *matmul(LOOPS.format("np.sum(A[i, :] * B[:, j])"))],
    "local-names-like-builtins": matmul("    C = np.zeros((m, n))\n    for i in range(m):\n"
                                        "        for j in range(n):\n            inner = 0.0\n"
                                        "            for k in range(p):\n"
                                        "                inner += A[i, k] * B[k, j]\n"
                                        "            C[i, j] = inner\n    return C"),
}


def judged_allowlist(cells: list[str], name: str, allowed: list[str]):
    record = {"check": name, "kind": "source", "case": 0, "args": None, "value": None, "error": None,
              "expected": encode({"allowed": allowed}), "rtol": None, "atol": None, "hidden": False,
              "function": name}
    return judge_cell([record], [record], sources=cells)


def learner_message_allowlist(cells: list[str], name: str, allowed: list[str], monkeypatch) -> str | None:
    monkeypatch.setattr(checks, "_kernel_history", lambda: ["", *cells])
    try:
        check_source_uses_only(name, lambda *args: None, allowed=allowed)
    except CheckFailed as failure:
        return str(failure)
    return None


@pytest.mark.parametrize("cells", UNLISTED_PRODUCTS.values(), ids=UNLISTED_PRODUCTS.keys())
def test_an_allowlist_rejects_library_products_nobody_listed(cells, monkeypatch):
    """Regression (issue 14): "no library product" was a list of forbidden names, and np.inner,
    np.kron, np.linalg.multi_dot and A.__matmul__ were not on it."""
    notebook = [IMPORTS, *cells, MATMUL_TEST]
    assert source_problems(notebook, "matmul_by_definition", [], allowed=MATMUL_ALLOWED)
    assert not judged_allowlist(notebook, "matmul_by_definition", MATMUL_ALLOWED).passed
    assert learner_message_allowlist(notebook, "matmul_by_definition", MATMUL_ALLOWED, monkeypatch)


@pytest.mark.parametrize("cells", HONEST_PRODUCTS.values(), ids=HONEST_PRODUCTS.keys())
def test_an_allowlist_accepts_what_it_lists(cells, monkeypatch):
    notebook = [IMPORTS, *cells, MATMUL_TEST]
    verdict = judged_allowlist(notebook, "matmul_by_definition", MATMUL_ALLOWED)
    assert verdict.passed, verdict.problems
    assert learner_message_allowlist(notebook, "matmul_by_definition", MATMUL_ALLOWED, monkeypatch) is None


# Other exercises' answers that change their own arguments in place: what they change is what their
# callers pass, which the function checked here never reads (issue 14's review: three right answers
# lost their points to a power_iteration with `v /= norm` elsewhere in the notebook).
POWER_ITERATION = ("def power_iteration(A, v0, num_steps):\n    v = np.asarray(v0, dtype=float)\n"
                   "    v /= np.linalg.norm(v)\n    for _ in range(num_steps):\n        v = A @ v\n"
                   "        v /= np.linalg.norm(v)\n    return float(v @ A @ v), v")
SOFTMAX = "def stable_softmax(z):\n    z -= np.max(z)\n    w = np.exp(z)\n    return w / np.sum(w)"
ELSEWHERE = {
    "power-iteration-in-place": [POWER_ITERATION, "A_test = np.eye(2)\ncheck_function('power_iteration', "
                                 "power_iteration, args=[(A_test, np.array([1.0, 0.0]), 5)], expected=[1])"],
    "softmax-in-place": [SOFTMAX, "check_function('stable_softmax', stable_softmax, "
                         "args=[(np.array([1.0, 2.0]),)], expected=[np.array([0.5, 0.5])])"],
    "called-on-the-notebooks-data": [SOFTMAX, "scores = np.array([1.0, 2.0])", "stable_softmax(scores)"],
    "passed-on-in-place": [SOFTMAX, "def twice(z):\n    stable_softmax(z)\n    return stable_softmax(z)",
                           "twice(np.ones(3))"],
}
# (What a function of the notebook returns may be any object, so passing it on to an in-place
# function counts as changing an unknown one: stable_softmax(stable_softmax(z)) is not exempt.)


@pytest.mark.parametrize("cells", ELSEWHERE.values(), ids=ELSEWHERE.keys())
def test_a_change_to_another_functions_own_arguments_costs_no_points_here(cells, monkeypatch):
    for notebook in ([IMPORTS, ALLOWED, TEST, *cells], [IMPORTS, *cells, ALLOWED, TEST]):
        assert source_problems(notebook, "outer_product", [], allowed=OUTER_ALLOWED) == []
        assert judged(notebook).passed, judged(notebook).problems
        assert judged_allowlist(notebook, "outer_product", OUTER_ALLOWED).passed
    assert learner_message_allowlist(notebook, "outer_product", OUTER_ALLOWED, monkeypatch) is None


CALL_RESULT_BYPASSES = {  # issue 14's adversarial review of the allowlist: each ran np.outer unseen
    "method-result-passed": ["REG = {'k': {}}", "def setup(d):\n    d['f'] = np.outer", "setup(REG.get('k'))",
                             returning("REG['k']['f'](a, b)")],
    "notebook-function-result-passed": ["REG = {}", "def ident(x):\n    return x",
                                        "def setup(d):\n    d['f'] = np.outer", "setup(ident(REG))",
                                        returning("REG['f'](a, b)")],
    "default-argument": ["REG = {'k': {}}", "def setup(d=REG.get('k')):\n    d['f'] = np.outer", "setup()",
                         returning("REG['k']['f'](a, b)")],
    "local-bound-to-a-method-result": ["REG = {'k': {}}",
                                       "def setup(d):\n    e = d.get('k')\n    e['f'] = np.outer",
                                       "setup(REG)", returning("REG['k']['f'](a, b)")],
    "the-type-s-method": ["REG = []", "list.append(REG, np.outer)", returning("REG[0](a, b)")],
    "a-mutating-method-mapped": ["REG = []", "list(map(REG.append, [np.outer]))", returning("REG[0](a, b)")],
    "partial-of-the-type-s-method": ["import functools\nREG = []",
                                     "functools.partial(list.append, REG)(np.outer)",
                                     returning("REG[0](a, b)")],
    "put-along-axis": ["ARR = np.array([None])", "np.put_along_axis(ARR, np.array([0]), "
                       "np.array([np.outer], dtype=object), axis=0)", returning("ARR[0](a, b)")],
}


@pytest.mark.parametrize("cells", CALL_RESULT_BYPASSES.values(), ids=CALL_RESULT_BYPASSES.keys())
def test_what_calls_return_and_mutating_methods_taken_as_values_do_not_hide_a_change(cells):
    assert source_problems([IMPORTS, *cells], "outer_product", [], allowed=OUTER_ALLOWED)


def test_a_change_to_an_argument_counts_where_the_argument_is_what_the_function_reads():
    """The same in-place softmax, called on the table outer_product reads, does change what it runs."""
    cells = [IMPORTS, "table = {'f': np.ones(2)}", SOFTMAX, "stable_softmax(table['f'])",
             returning("table['f'] * a[:, None] * b")]
    problems = source_problems(cells, "outer_product", [], allowed=[*OUTER_ALLOWED, "ones"])
    assert problems and "stable_softmax" in problems[0] and "np.max" in problems[0]


@pytest.mark.parametrize("cells", BYPASSES.values(), ids=BYPASSES.keys())
def test_every_bypass_of_a_forbidden_list_fails_an_allowlist_too(cells):
    notebook = [IMPORTS, *cells, TEST]
    assert source_problems(notebook, "outer_product", [], allowed=OUTER_ALLOWED)


def test_an_allowlist_message_names_what_is_not_allowed_and_where():
    cells = [IMPORTS, "def helper(a, b):\n    return np.multiply.outer(a, b)", returning("helper(a, b)")]
    problems = source_problems(cells, "outer_product", [], allowed=OUTER_ALLOWED)
    assert problems == ["the code uses np.multiply.outer, np.multiply, which is not among what this exercise "
                        "allows, in code cell 2, line 2, which outer_product reaches through helper"]
    kron = [IMPORTS, returning("np.kron(a, b)")]
    assert source_problems(kron, "outer_product", [], allowed=OUTER_ALLOWED) == [
        "the code uses np.kron, which is not among what this exercise allows (code cell 2, line 2)"]


@pytest.fixture
def shell(tmp_path, monkeypatch):
    """A real IPython shell in this process, its history in memory; what it changes is put back."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path))
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    saved = dict(vars(builtins)), sys.modules.get("__main__"), sys.displayhook, sys.excepthook
    try:
        yield InteractiveShell.instance(config=config)
    finally:
        InteractiveShell.clear_instance()
        for name in set(vars(builtins)) - set(saved[0]):
            delattr(builtins, name)
        sys.modules["__main__"], sys.displayhook, sys.excepthook = saved[1:]


def test_the_learner_check_reads_the_real_kernel_history(shell, capsys):
    for cell in [IMPORTS, ALLOWED, "%timeit -n 1 -r 1 outer_product(np.ones(2), np.ones(2))", TEST]:
        assert shell.run_cell(cell, store_history=True).success
    assert "outer_product: ✔ does not use" in capsys.readouterr().out
    shell.run_cell("prun -q outer_product = np.outer", store_history=True)  # automagic: the kernel runs %prun
    assert shell.user_ns["outer_product"] is shell.user_ns["np"].outer
    result = shell.run_cell(TEST, store_history=True)
    assert isinstance(result.error_in_exec, CheckFailed)
    assert "bound by an assignment in In [5] (%prun)" in str(result.error_in_exec)


# --- integrity: what a student's own cells may not do before the test cells run ------------------

TAMPERING = {
    "wrapped-helper": "from autograder.learner.checks import check_function as _real\n"
                      "def check_function(name, func, **kw):\n    _real(name, np.outer, **kw)",
    "rebound-helper": "check_value = print",
    "helper-in-a-loop": "for check_raises in [print]:\n    pass",
    "grader-import": "import autograder.learner.values as v",
    "patched-module": "import json\njson.dumps = str",
    "patched-submodule": "import json\njson.encoder.c_make_encoder = None",
    "exec": "exec('x = 1')",
    "globals": "globals()['check_value'] = print",
    "setattr": "import json\nsetattr(json, 'dumps', str)",
    "frames": "import sys\nsys._getframe(0).f_globals",
    "sys-modules": "import sys\nsys.modules['json'].dumps = str",
    "inspect": "import inspect",
    "gc": "import gc",
    "dunder": "print.__self__",
    "ipython-shell": "get_ipython().ast_transformers.append(None)",
    "renamed-explorer": "from autograder.learner.explorer import Explorer as E",
    "explorer-internals": "from autograder.learner.explorer import Renderer",
    "patched-explorer": "from autograder.learner.explorer import Explorer\nExplorer.set = print",
    "renamed-by-its-old-name": "from autograder.checks import check_function as check",
    "grader-side": "from autograder.grading import judge",
}
HONEST = {
    "release-import": "from autograder.learner.checks import check_function, check_raises, "
                      "check_source_avoids",
    "explorer-import": "from autograder.learner.explorer import Choice, Explorer, Frame, Slider, Steps",
    # a notebook fetched before the package had learner/ names the same modules by their old names
    "old-release-import": "from autograder.checks import check_function, hint, progress, solution",
    "old-explorer-import": "from autograder.explorer import Explorer, Frame, Slider",
    "sys-exit": "import sys\nsys.exit(0)",
    "os-calls": "import os\nos.getpid()\nos._exit",
    "function-name": "def f(x):\n    return x\nprint(f.__name__, f.__doc__)",
    "numpy": "import numpy as np\nA = np.zeros((2, 2))\nA[0, 0] = 1.0\nA.shape",
    "magic": "%timeit sum(range(10))",
    "plotting": "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.set_title('x')",
}


@pytest.mark.parametrize("source", TAMPERING.values(), ids=TAMPERING.keys())
def test_a_cell_that_could_change_what_the_tests_report_is_named(source):
    problems = integrity_problems(["x = 1", source])
    assert problems and problems[0][0] == 1


@pytest.mark.parametrize("source", HONEST.values(), ids=HONEST.keys())
def test_plain_code_that_only_computes_is_not_tampering(source):
    assert integrity_problems([source]) == []


def test_the_explorer_names_the_rules_allow_are_the_explorers_own():
    from autograder.learner import explorer
    from autograder.learner.source_rules import EXPLORER_NAMES

    assert EXPLORER_NAMES == set(explorer.__all__)


def test_no_cell_of_the_course_notebooks_counts_as_tampering():
    for path in sorted(Path("notebooks").glob("*/*.ipynb")) + sorted(Path("source").glob("*/*.ipynb")):
        cells = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        assert integrity_problems(cells) == [], path

"""Repository conventions: clean notebooks, well-formed exercises, seeded randomness, figures present."""

import ast
import builtins
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from autograder.devtools.course import SOURCE, assignments
from autograder.devtools.figures import figure_specs
from autograder.devtools.submissions import grade_id, is_solution, scenario_module
from autograder.grading.reports import CHECKS_WITH_EXPECTED
from autograder.learner.exercises import load

REPO = Path(__file__).resolve().parent.parent
SOURCES = [SOURCE / a / f"{a}.ipynb" for a in assignments()]


def committed_notebooks() -> list[str]:
    out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=REPO, capture_output=True, text=True)
    return out.stdout.split()


def test_there_are_committed_notebooks_to_check():
    assert len(committed_notebooks()) >= 2 * len(SOURCES) >= 2


@pytest.mark.parametrize("path", committed_notebooks())
def test_committed_notebook_has_no_outputs_and_no_widget_state(path):
    notebook = nbformat.read(REPO / path, as_version=4)
    assert "widgets" not in notebook.metadata
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path}: cell {cell.id}"


@pytest.fixture(params=SOURCES, ids=lambda p: p.stem)
def source(request):
    return nbformat.read(request.param, as_version=4)


def test_every_grade_cell_has_points_and_a_descriptive_id(source):
    graded = [c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len([c for c in graded if c.cell_type == "code"]) >= 6
    assert any(c.cell_type == "markdown" for c in graded), "at least one written answer"
    for cell in graded:
        assert cell.metadata["nbgrader"]["points"] > 0
        assert not re.fullmatch(r"cell-[0-9a-f]+", grade_id(cell)), grade_id(cell)


def test_every_test_cell_has_visible_and_hidden_checks(source):
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            # A cell that grades an exercise on its own opens with a hidden block (see the A.1 Frobenius norm)
            visible = re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", cell.source, flags=re.S)
            assert "check_" in visible and "### BEGIN HIDDEN TESTS" in cell.source, meta["grade_id"]
            assert "hidden=True" in cell.source, meta["grade_id"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_every_exercise_has_a_ladder_of_hints_offered_on_request(path):
    """exercises.toml beside the notebook lists its exercises in order, as the headings number them,
    each with at least two hints; the exercise's text says how to ask, and shows none of them."""
    sheet = load(path.parent)
    notebook = nbformat.read(path, as_version=4)
    solutions = [c for c in notebook.cells if is_solution(c)]
    assert [e.name for e in sheet.exercises] == [grade_id(c) for c in solutions]
    assert sheet.assignment == path.stem
    last_markdown = ""
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and not is_solution(cell):
            last_markdown = cell.source if "### Exercise" in cell.source else last_markdown + cell.source
        elif is_solution(cell):
            exercise = sheet.find(grade_id(cell))
            assert exercise.kind == ("code" if cell.cell_type == "code" else "written")
            assert len(exercise.hints) >= 2, exercise.name
            number = re.match(r"\d+", exercise.number).group()  # "4b" is part b of Exercise 4
            assert re.search(rf"Exercise {number}\b", last_markdown), exercise.name
            assert f'hint("{exercise.name}")' in last_markdown, exercise.name
            assert "<details>" not in last_markdown
            assert not any(h in last_markdown for h in exercise.hints)


def test_each_notebook_ends_with_its_progress_and_the_next_notebook():
    for path, following in zip(SOURCES, [*SOURCES[1:], None], strict=True):
        notebook = nbformat.read(path, as_version=4)
        assert [c.source for c in notebook.cells if c.cell_type == "code"][-1] == "progress()"
        sheet = load(path.parent)
        if following is None:
            assert sheet.next_path is None and "last notebook" in notebook.cells[-1].source
        else:
            link = f"../{following.parent.name}/{following.name}"
            assert sheet.next_path == link and f"]({link})" in notebook.cells[-1].source


def test_randomness_only_comes_from_seeded_generators(source):
    code = "\n".join(c.source for c in source.cells if c.cell_type == "code")
    assert not re.search(r"np\.random\.(seed|rand|randn|normal|uniform|choice|randint)\(", code)
    assert re.findall(r"default_rng\(([^)]*)\)", code) and all(
        seed.strip() for seed in re.findall(r"default_rng\(([^)]*)\)", code))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_every_figure_exists_next_to_its_notebook(path):
    specs = figure_specs(nbformat.read(path, as_version=4))
    assert specs, "each widget is preceded by a static figure"
    for relative, _ in specs:
        assert (path.parent / relative).is_file(), f"run `make figures` to draw {relative}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_scenarios_cover_every_solution_cell_and_grade_cell(path):
    notebook = nbformat.read(path, as_version=4)
    module = scenario_module(path.stem)
    solutions = {grade_id(c) for c in notebook.cells if is_solution(c)}
    tests = {grade_id(c): c.metadata["nbgrader"]["points"] for c in notebook.cells
             if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"}
    assert set(module.MISTAKES) == solutions
    assert module.TESTS == tests


# --- hidden expected values never reach the student's kernel ----------------------------------
#
# While grading, the student's kernel runs the test cells, hidden tests included, with every
# check's expected= argument blanked (autograder.grading.reports.without_expected). An answer that the
# hidden tests first put in a name of their own (`hidden_cases = [(..., -3.75)]`, `w_one = ...`)
# survives the blanking and sits in the kernel. So inside a hidden region, every name an expected=
# reads must be bound outside the hidden regions (visible, hence no secret), or be an input: a name
# the call's args= reads, or one those inputs are built from (a generator, a random matrix).

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


def _parse(source: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError:  # a cell with IPython syntax (%magic): read it as IPython runs it
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(source))


def _hidden_lines(source: str) -> set[int]:
    hidden, inside = set(), False
    for number, line in enumerate(source.splitlines(), start=1):
        inside = (inside or line.strip() == HIDDEN_BEGIN) and line.strip() != HIDDEN_END
        if inside:
            hidden.add(number)
    return hidden


def _statements(tree: ast.AST):
    """Every statement, nested ones (loop bodies, function bodies) included."""
    return (node for node in ast.walk(tree) if isinstance(node, ast.stmt))


def _loaded(node: ast.AST) -> set[str]:
    """The free names an expression (or statement) reads: not those its comprehensions and lambdas bind."""
    loads = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    local: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.comprehension):
            local |= {n.id for n in ast.walk(sub.target) if isinstance(n, ast.Name)}
        elif isinstance(sub, ast.Lambda):
            local |= {a.arg for a in ast.walk(sub.args) if isinstance(a, ast.arg)}
    return loads - local


def _flows(statement: ast.stmt) -> list[tuple[set[str], set[str]]]:
    """(names bound, names their values are computed from) for one statement."""
    def stored(target):
        return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}

    if isinstance(statement, ast.Assign):
        return [(set().union(*map(stored, statement.targets)), _loaded(statement.value))]
    if isinstance(statement, (ast.AugAssign, ast.AnnAssign)) and statement.value is not None:
        return [(stored(statement.target), _loaded(statement.value) | stored(statement.target))]
    if isinstance(statement, (ast.For, ast.AsyncFor)):
        return [(stored(statement.target), _loaded(statement.iter))]
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        return [(stored(item.optional_vars), _loaded(item.context_expr))
                for item in statement.items if item.optional_vars is not None]
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [({statement.name}, _loaded(statement))]
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return [({(a.asname or a.name).split(".")[0] for a in statement.names}, set())]
    return []


def _bound(tree: ast.AST, lines: set[int], *, inside: bool) -> dict[str, set[str]]:
    """Names bound by the statements inside (or outside) ``lines``, each with what it is computed from."""
    flows: dict[str, set[str]] = {}
    for statement in _statements(tree):
        if (statement.lineno in lines) == inside:
            for targets, sources in _flows(statement):
                for name in targets:
                    flows.setdefault(name, set()).update(sources)
    return flows


def _expected_arguments(call: ast.Call) -> list[ast.expr]:
    name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)
    if name not in CHECKS_WITH_EXPECTED:
        return []
    found = [k.value for k in call.keywords if k.arg == "expected"]
    position = CHECKS_WITH_EXPECTED[name]
    if position is not None and len(call.args) > position:
        found.append(call.args[position])
    return found


def hidden_expected_leaks(cells: list[str], labels: list[str] | None = None) -> list[str]:
    """Names that a hidden check's expected= reads and that the hidden tests bind only for it, in a
    notebook's code cells (``labels`` name them in the messages)."""
    trees = [(_parse(source), _hidden_lines(source)) for source in cells]
    labels = labels or [f"code cell {i + 1}" for i in range(len(cells))]
    outside = set(dir(builtins))
    for tree, lines in trees:
        outside |= set(_bound(tree, lines, inside=False))
    problems = []
    for (tree, lines), label in zip(trees, labels, strict=True):
        if not lines:
            continue
        flows = _bound(tree, lines, inside=True)
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or call.lineno not in lines:
                continue
            inputs = set().union(*(_loaded(k.value) for k in call.keywords if k.arg == "args"))
            frontier = set(inputs)
            while frontier:  # and whatever the inputs are built from
                frontier = set().union(*(flows.get(name, set()) for name in frontier)) - inputs
                inputs |= frontier
            for expected in _expected_arguments(call):
                for name in sorted(_loaded(expected)):
                    if name in flows and name not in inputs:
                        problems.append(f"{label} line {expected.lineno}: expected= reads {name!r}, bound in "
                                        "the hidden tests but no input: the kernel sees that answer")
                    elif name not in flows and name not in outside:
                        problems.append(f"{label} line {expected.lineno}: expected= reads {name!r}, "
                                        "bound nowhere")
    return problems


def test_hidden_expected_values_appear_only_inside_expected_arguments(source):
    """Regression: A.3's test_monte_carlo_integral kept its hidden answers in `hidden_cases`, which the
    kernel ran, and A.1's test_power_iteration in `q1` and `w_one`."""
    cells = [c for c in source.cells if c.cell_type == "code"]
    assert any(HIDDEN_BEGIN in c.source for c in cells)
    problems = hidden_expected_leaks([c.source for c in cells], [grade_id(c) or c.id for c in cells])
    assert not problems, "\n".join(problems)


OLD_MONTE_CARLO_CELL = """\
def four_standard_errors(g, a, b, n):
    x = a + (b - a) * (np.arange(100_000) + 0.5) / 100_000
    return 4 * (b - a) * np.std(g(x)) / np.sqrt(n)

for seed, (g, a, b, exact) in enumerate([(lambda x: x ** 2, 0.0, 1.0, 1 / 3), (np.sin, 0.0, np.pi, 2.0),
                                          (np.exp, -1.0, 2.0, np.exp(2) - np.exp(-1))], start=1):
    check_function("monte_carlo_integral", monte_carlo_integral,
                   args=[(g, a, b, 10_000, np.random.default_rng(seed))], expected=[exact],
                   atol=four_standard_errors(g, a, b, 10_000), rtol=0)
### BEGIN HIDDEN TESTS
hidden_cases = [(lambda x: x ** 3, -2.0, 1.0, -3.75), (lambda x: 1 / x, 1.0, 4.0, np.log(4.0)),
                (np.cos, 0.0, 3.0, np.sin(3.0))]
for seed, (g, a, b, exact) in enumerate(hidden_cases, start=21):
    check_function("monte_carlo_integral", monte_carlo_integral,
                   args=[(g, a, b, 20_000, np.random.default_rng(seed))], expected=[exact],
                   atol=four_standard_errors(g, a, b, 20_000), rtol=0, hidden=True)
### END HIDDEN TESTS"""

SETUP = "import math\nimport numpy as np\n\ndef f(*args):\n    return 0.0\n\np, M = 0.25, np.eye(2)\n"


def hidden(body: str) -> str:
    return f"{HIDDEN_BEGIN}\n{body}\n{HIDDEN_END}"


@pytest.mark.parametrize("cell, leaked", [
    (OLD_MONTE_CARLO_CELL, "exact"),
    (hidden("w_one = np.array([3.0, 7.0]) / np.sqrt(58.0)\n"
            "check_function('f', f, args=[(M,)], expected=[w_one], hidden=True)"), "w_one"),
    (hidden("def exact(a, b):\n    return b - a\n"
            "check_function('f', f, args=[(0.0, 1.0)], expected=[exact(0.0, 1.0)], hidden=True)"), "exact"),
    (hidden("answer = 0.25\ncheck_value('p', p, answer, hidden=True)"), "answer"),
    (hidden("cases = [(1.0, 2.0)]\nfor x, y in cases:\n"
            "    check_function('f', f, args=[(x,)], expected=[y], hidden=True)"), "y"),
    (hidden("check_function('f', f, args=[(1.0,)], expected=[secret], hidden=True)"), "secret"),
], ids=["old-monte-carlo-cell", "answer-in-a-name", "answer-from-a-hidden-helper",
        "check-value-positional-expected", "answers-in-the-loop-over-cases", "name-bound-nowhere"])
def test_a_hidden_answer_kept_outside_expected_is_found(cell, leaked):
    problems = hidden_expected_leaks([SETUP, cell])
    assert any(repr(leaked) in problem for problem in problems), problems


@pytest.mark.parametrize("cell", [
    hidden("rng = np.random.default_rng(1)\nQ, _ = np.linalg.qr(rng.normal(size=(2, 2)))\nS = Q @ Q.T\n"
           "check_function('f', f, args=[(S,)], expected=[Q @ Q.T], hidden=True)"),
    hidden("xs = [1.0, 2.0]\ncheck_function('f', f, args=[(x,) for x in xs],\n"
           "               expected=[math.exp(x) for x in xs], hidden=True)"),
    hidden("check_function('f', f, args=[(M,)], expected=[np.trace(M) + p], hidden=True)"),
    hidden("check_value('p', p, 0.25, hidden=True)\n"
           "check_same('f', f, args=[(1.0,), (1.0,)], expected=True, hidden=True)"),
], ids=["input-and-what-it-is-built-from", "comprehension-over-inputs", "visible-names-and-modules",
        "constants"])
def test_hidden_answers_written_in_expected_pass(cell):
    assert hidden_expected_leaks([SETUP, cell]) == []

"""Whether the code behind a function avoids what an exercise forbids: one analysis for learner and judge."""

# A source check reads every code cell, in order, as IPython runs it (magics included), and fails when:
# - the function's name is bound by anything but plain `def` statements (every one of them is checked);
# - the code that can run when the function is called uses a forbidden name: each def, then, through
#   every global name it loads, every binding of that name in the notebook, and every change to an
#   object that code may read (`np.multiply = ...`), and the callers of helpers that store their
#   arguments where others read them;
# - any cell uses something that could rebind names or hide what is called from this reading
#   (exec, getattr, dunder attributes, frames, IPython's shell, imports of code outside the notebook,
#   magics other than a few known ones).
# It runs in students' kernels too: it imports only the standard library, and IPython lazily.

from __future__ import annotations

import ast
import builtins
import functools
import re
import string
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

__all__ = ["forbidden_uses", "integrity_problems", "source_problems"]

# Builtins that run code from strings, reach namespaces, or look attributes up by a computed name.
DYNAMIC_NAMES = frozenset({
    "exec", "eval", "compile", "globals", "locals", "vars", "getattr", "setattr", "delattr", "breakpoint",
})
# Attribute names (and names imported with `from … import`) that lead to namespaces, frames, code
# objects, IPython's shell or modules that look things up by name. Any name starting with "_" too.
DYNAMIC_ATTRIBUTES = frozenset({
    "f_globals", "f_locals", "f_builtins", "f_back", "f_code", "tb_frame", "gi_frame", "cr_frame", "ag_frame",
    "sys", "modules", "builtins", "importlib", "inspect", "gc", "ctypes", "types", "pickle", "marshal",
    "runpy", "pydoc", "pkgutil", "operator", "typing", "get_type_hints", "attrgetter", "methodcaller",
    "get_field", "CodeType", "FunctionType", "switch_backend",
    "get_ipython", "shell", "kernel", "user_ns", "user_global_ns", "user_module", "events",
    "run_cell", "run_line_magic", "run_cell_magic", "run_code",
})
# IPython's records of earlier inputs and outputs: `_` or Out[3] can hand back any object.
IPYTHON_HISTORY = re.compile(r"_{1,3}|_i{1,3}|_i?\d+|_ih|_oh|_dh|In|Out")
# The release's two import lines name these modules; a notebook fetched before the package was laid
# out in learner/, grading/, … names them by their old names, which are the same modules.
CHECKS_MODULES = ("autograder.learner.checks", "autograder.checks")
EXPLORER_MODULES = ("autograder.learner.explorer", "autograder.explorer")
# Modules whose code is known (the course's and the standard library's plain ones); anything else
# could be a file beside the notebook, which the grader never reads.
ALLOWED_MODULES = (
    "numpy", "matplotlib", "ipywidgets", "IPython.display", *CHECKS_MODULES, *EXPLORER_MODULES,
    "math", "cmath", "time", "random", "statistics", "fractions", "decimal", "itertools", "functools",
    "collections", "numbers", "heapq", "bisect", "copy", "textwrap", "warnings", "dataclasses", "enum",
    "datetime", "re", "json", "pprint", "contextlib", "string", "typing", "os", "pathlib",
)
# Calls that put a value into an existing object: a method of that object, or a function whose
# first argument it is.
METHOD_MUTATORS = frozenset({
    "append", "extend", "insert", "update", "setdefault", "add", "appendleft", "extendleft", "fill", "put",
    "itemset",
})
FUNCTION_MUTATORS = frozenset({
    "copyto", "place", "put", "putmask", "put_along_axis", "fill_diagonal", "heappush", "heappushpop",
    "heapreplace", "insort", "insort_left", "insort_right", "setitem",
})

# Every line magic of IPython 9 and ipykernel 7 (`%lsmagic`), for lines IPython runs as a magic
# without the % (automagic: `prun x = 1` is `%prun x = 1`).
LINE_MAGICS = frozenset("""
    alias alias_magic autoawait autocall automagic autosave bookmark cat cd clear code_wrap colors conda
    config connect_info cp debug dhist dirs doctest_mode ed edit env gui hist history killbgscripts ldir
    less lf lk ll load load_ext loadpy logoff logon logstart logstate logstop ls lsmagic lx macro magic
    mamba man matplotlib micromamba mkdir more mv notebook page pastebin pdb pdef pdoc pfile pinfo pinfo2
    pip popd pprint precision prun psearch psource pushd pwd pycat pylab qtconsole quickref recall rehashx
    reload_ext rep rerun reset reset_selective rm rmdir run save sc set_env subshell sx system tb time
    timeit unalias unload_ext uv who who_ls whos xdel xmode
""".split())
CODE_MAGICS = frozenset({"time", "timeit", "prun", "debug"})  # their arguments (and cell) are code
# Magics that only show things, run shell commands in another process or set display options.
HARMLESS_LINE_MAGICS = frozenset("""
    pinfo pinfo2 psearch pdoc pdef psource pfile who whos who_ls lsmagic magic quickref pwd precision
    xmode colors pprint history hist dhist dirs ls ll lf lk ldir lx cat pycat mkdir rmdir rm cp mv system
    sx clear less more man connect_info autosave
""".split())
HARMLESS_CELL_MAGICS = frozenset("""
    html HTML javascript js latex markdown svg SVG ! system sx
""".split())
SCRIPT_MAGICS = frozenset("bash sh script perl ruby python python2 python3 pypy".split())
MATPLOTLIB_BACKENDS = frozenset({"", "inline", "agg", "widget", "ipympl", "notebook", "nbagg"})

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SCOPES = (*_FUNCTIONS, *_COMPREHENSIONS, ast.ClassDef)
_STORE = (ast.Store, ast.Del)


def forbidden_uses(tree: ast.AST, forbidden: set[str]) -> list[str]:
    """The forbidden names (``"@"`` for the operator) that the parsed code uses, in order."""
    found: list[str] = []
    for used, _ in _forbidden_sites(tree, forbidden):
        if used not in found:
            found.append(used)
    return found


def source_problems(cells: Sequence[str], name: str, forbidden: Iterable[str], *,
                    labels: Sequence[str] | None = None, allowed: Iterable[str] | None = None) -> list[str]:
    """Why the code behind ``name`` in these cells (in the order they run) breaks the rules, one
    sentence each; empty when it keeps them. ``labels`` name the cells in messages.

    With ``allowed`` (an allowlist: names of functions, attributes and builtins, ``"@"`` for the
    operator), the code ``name`` can reach may use nothing else: every attribute it reaches
    (``np.zeros``, ``A.shape``), every built-in name it loads (``sum``, ``range``), every name it
    imports with ``from … import`` and the ``@`` operator must be in the list. Operators other
    than ``@``, indexing, literals and the notebook's own names need no entry."""
    labels = tuple(labels) if labels is not None else tuple(f"code cell {i + 1}" for i in range(len(cells)))
    try:
        notebook = _notebook(tuple(cells), labels)
        defined, problems = _naming_problems(notebook, name)
        if not defined:
            missing = f"no `def {name}` found in the notebook (the function must be defined with def)"
            return [missing, *problems]
        found = [*problems, *notebook.problems, *_forbidden_problems(notebook, name, set(forbidden))]
        if allowed is not None:
            found.extend(_unallowed_problems(notebook, name, set(allowed)))
        return found
    except RecursionError:
        return ["the code is nested too deeply for the grader to read"]


# The names test cells call: a student's code that rebinds them decides its own checks.
PROTECTED_NAMES = frozenset({
    "check_function", "check_value", "check_raises", "check_source_avoids", "check_source_uses_only",
    "check_same", "CheckFailed",
})
# The explorer widget's names (autograder.learner.explorer.__all__; a test keeps the two equal).
EXPLORER_NAMES = frozenset({"Choice", "Explorer", "Frame", "Slider", "Steps"})
# What else the release's import line brings in: for the learner, asked for by hand; no test calls them.
STUDY_NAMES = frozenset({"hint", "solution", "progress"})


def integrity_problems(cells: Sequence[str], *, labels: Sequence[str] | None = None) -> list[tuple[int, str]]:
    """Ways the student's own cells could change what the test cells report: (cell index, why).

    The test cells run in the student's kernel, so code that runs before them can replace the
    check helpers, patch the modules they use (``json.dumps``, ``autograder.learner.values.encode``),
    or reach them through namespaces, frames or IPython's shell. Any of these in a student's cell
    makes the test cells from that cell on fail: rebinding a check helper's name, importing from
    the grader's ``autograder`` package, assigning to or deleting an attribute of an imported
    module, and the dynamic features a source check cannot follow (see ``source_problems``).
    """
    labels = tuple(labels) if labels is not None else tuple(f"code cell {i + 1}" for i in range(len(cells)))
    found: list[tuple[int, str]] = []
    for index, (text, label) in enumerate(zip(cells, labels, strict=True)):
        try:
            problems: list[str] = []
            codes = _read(text, label, 0, problems)
            modules: set[str] = set()
            for code in codes:
                for node in ast.walk(code.tree):
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                            [alias.name for alias in node.names]
                        if _genuine_helpers(node):
                            continue  # the release's own import line, as a student may retype it
                        if any(n == "autograder" or n.startswith("autograder.") for n in names) \
                                and not _genuine_explorers(node):
                            problems.append(f"{code.place(node)} imports the grader's own code (autograder)")
                        modules |= set(_statement_binds(node))
            for code in codes:
                for name, how, node in _name_bindings(code.tree):
                    if name in PROTECTED_NAMES and not _genuine_helpers(node):
                        problems.append(f"{code.place(node)} rebinds {name} ({how}), which the tests use")
                for node in ast.walk(code.tree):
                    if isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)) \
                            and (root := _root_name(node)) in modules:
                        problems.append(f"{code.place(node)} changes the module {root} (….{node.attr} = …)")
                problems.extend(_tampering_problems(code))
        except RecursionError:
            problems = [f"{label} is nested too deeply for the grader to read"]
        found.extend((index, problem) for problem in dict.fromkeys(problems))
    return found


# What can rebind names, patch objects the check helpers use, or reach them through namespaces,
# frames or IPython's shell. Narrower than what a source check refuses: plain code that only
# computes (sys.exit, os.fork, sockets, files) changes no check's report.
TAMPERING_NAMES = frozenset({
    "exec", "eval", "compile", "globals", "locals", "vars", "setattr", "delattr", "breakpoint",
})
TAMPERING_MODULES = frozenset({
    "ctypes", "gc", "importlib", "inspect", "pickle", "marshal", "dill", "cloudpickle", "code", "codeop",
    "runpy", "pdb", "bdb", "trace", "imp", "pkgutil", "zipimport", "linecache", "traceback",
})
TAMPERING_ATTRIBUTES = frozenset({
    "modules", "_getframe", "settrace", "setprofile", "addaudithook", "meta_path", "path_hooks",
    "f_globals", "f_locals", "f_builtins", "f_back", "tb_frame", "gi_frame", "cr_frame", "ag_frame",
    "user_ns", "user_global_ns", "user_module", "push", "run_cell", "run_code", "ast_transformers",
    "input_transformers_cleanup", "input_transformers_post", "events", "register_magic_function",
    "kernel", "shell", "displayhook", "excepthook",
})
HARMLESS_DUNDERS = frozenset({"__name__", "__doc__", "__qualname__", "__module__", "__version__", "__file__"})


def _tampering_problems(code: _Code) -> Iterator[str]:
    for node in ast.walk(code.tree):
        what = None
        if isinstance(node, ast.Name):
            if node.id in TAMPERING_NAMES or (_dunder(node.id) and node.id not in HARMLESS_DUNDERS):
                what = node.id
            elif node.id == "get_ipython" and id(node) not in code.magic_calls:
                what = "get_ipython() other than for a magic"
        elif isinstance(node, ast.Attribute) and id(node) not in code.magic_calls and (
                node.attr in TAMPERING_ATTRIBUTES
                or (_dunder(node.attr) and node.attr not in HARMLESS_DUNDERS)):
            what = f".{node.attr}"
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [alias.name for alias in node.names]
            for module in modules:
                if module.split(".")[0] in TAMPERING_MODULES:
                    what = f"the module {module}"
        if what:
            yield f"{code.place(node)} uses {what}, which can change what the tests report"


def _root_name(node: ast.AST) -> str | None:
    """``a`` for ``a.b.c`` (and ``a[0].b``), else None."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _genuine_helpers(node: ast.AST) -> bool:
    """``from autograder.learner.checks import check_function, hint, …``: the helpers, unrenamed."""
    return (isinstance(node, ast.ImportFrom) and node.module in CHECKS_MODULES and not node.level
            and all(alias.asname is None and alias.name in PROTECTED_NAMES | STUDY_NAMES
                    for alias in node.names))


def _genuine_explorers(node: ast.AST) -> bool:
    """``from autograder.learner.explorer import Explorer, Frame, …``: the release's other import
    line, which brings only the widget (nothing the checks use); its names still count as modules,
    so patching them (``Explorer.set = …``) is refused like patching any module."""
    return (isinstance(node, ast.ImportFrom) and node.module in EXPLORER_MODULES and not node.level
            and all(alias.asname is None and alias.name in EXPLORER_NAMES for alias in node.names))


# --- reading cells as IPython runs them ------------------------------------------------------------


@dataclass(eq=False)
class _Code:
    """One parsed reading of a cell, or of code a magic in it runs."""

    tree: ast.Module
    where: str  # "code cell 4", "In [7]", "code cell 4 (%time)"
    line: int = 0  # added to the tree's line numbers
    inside: ast.AST | None = None  # the magic's call in the code it came from
    parent: _Code | None = None
    magic_calls: set[int] = field(default_factory=set)  # ids of the get_ipython().run_… nodes of magics

    def place(self, node: ast.AST) -> str:
        return f"{self.where}, line {self.line + getattr(node, 'lineno', 1)}"


def _read(text: str, where: str, line: int, problems: list[str], depth: int = 0,
          inside: ast.AST | None = None, parent: _Code | None = None) -> list[_Code]:
    """Every reading of ``text`` that parses, and the code its magics run."""
    transformed = _transform(text)
    if transformed is None:
        return []
    trees = [tree] if (tree := _parse(transformed)) is not None else []
    # IPython runs a one-line cell that starts with a magic's name as that magic; if the name is
    # also a variable it runs Python instead, so both readings count.
    if len(transformed.splitlines()) == 1 and (magic := _automagic(transformed)):
        trees.append(ast.parse(f"get_ipython().run_line_magic({magic[0]!r}, {magic[1]!r})"))
    codes = []
    for tree in trees:
        code = _Code(tree, where, line, inside, parent)
        codes.append(code)
        codes.extend(_magic_code(code, problems, depth))
    return codes


@functools.lru_cache(maxsize=4096)
def _transform(text: str) -> str | None:
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return TransformerManager().transform_cell(text)
    except Exception:  # noqa: BLE001 - IPython cannot run what it cannot transform
        return None


def _parse(text: str, mode: str = "exec") -> ast.Module | None:
    flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT  # IPython runs top-level await
    try:
        tree = compile(text, "<cell>", mode, flags, dont_inherit=True)
    except (SyntaxError, ValueError):
        return None  # code that does not parse never runs
    if mode == "eval":
        statement = ast.copy_location(ast.Expr(tree.body), tree.body)
        return ast.Module(body=[statement], type_ignores=[])
    return tree


def _automagic(line: str) -> tuple[str, str] | None:
    from IPython.core.splitinput import LineInfo

    info = LineInfo(line)
    if info.esc or info.ifun not in LINE_MAGICS or info.the_rest[:1] in ("=", ","):
        return None
    return info.ifun, info.the_rest


def _magic_call(node: ast.AST) -> tuple[str, list[str]] | None:
    """``get_ipython().run_line_magic('time', 'x = 1')`` and the like, as IPython writes magics."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    shell = node.func.value
    if not (isinstance(shell, ast.Call) and isinstance(shell.func, ast.Name)
            and shell.func.id == "get_ipython" and not shell.args and not shell.keywords):
        return None
    arity = {"run_line_magic": 2, "run_cell_magic": 3, "system": 1, "getoutput": 1}.get(node.func.attr)
    args = node.args
    if arity != len(args) or node.keywords or not all(
            isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args):
        return None
    return node.func.attr, [a.value for a in args]


def _magic_code(code: _Code, problems: list[str], depth: int) -> list[_Code]:
    """The code the magics in ``code`` run, read like cells; unknown magics are problems."""
    found = []
    for node in ast.walk(code.tree):
        call = _magic_call(node)
        if call is None:
            continue
        code.magic_calls |= {id(node.func), id(node.func.value.func)}
        method, args = call
        place = code.place(node)
        if depth > 3:
            problems.append(f"{place} nests magics too deeply for the grader to read")
            continue
        name = {"system": "!", "getoutput": "!!"}.get(method, args[0])
        line = args[0] if method in ("system", "getoutput") else args[1]
        cell = args[2] if method == "run_cell_magic" else None
        prefix = "%%" if cell is not None else "%"
        where = f"{code.where} ({prefix}{name})" if name not in ("!", "!!") else f"{code.where} (!)"

        def read(text: str, mode: str = "exec", at: int = 0, call: ast.AST = node, where: str = where):
            line_number = code.line + call.lineno - 1 + at
            if mode == "eval":
                tree = _parse(text, "eval")
                return [_Code(tree, where, line_number, call, code)] if tree else []
            return _read(text, where, line_number, problems, depth + 1, call, code)

        # Arguments like {expression} or $name are evaluated before the magic runs (IPython's var_expand).
        expanded = [piece for text in _expansions(line) for piece in read(text, "eval")]
        found.extend(expanded)
        if method in ("system", "getoutput") or (cell is None and name in HARMLESS_LINE_MAGICS) or (
                cell is not None and name in HARMLESS_CELL_MAGICS):
            continue
        if cell is None and name == "matplotlib":
            if line.strip() not in MATPLOTLIB_BACKENDS:
                problems.append(f"{place} uses %matplotlib {line.strip()}, which the grader cannot follow: "
                                "use %matplotlib inline")
            continue
        if cell is None and name == "config":
            # %config runs `cfg.` + its argument as code, after expanding it.
            if expanded:
                problems.append(f"{place} builds the code %config runs from {{…}}: write it out")
            found.extend(read("cfg." + line) if line.strip() else [])
            continue
        if cell is not None and (name == "capture" or name in SCRIPT_MAGICS):
            # They run the cell (capture) or a script in another process, and may store results
            # in variables named on the line: read those as assignments.
            found.extend(piece for var in _stored_names(name, line) for piece in read(f"{var} = None"))
            found.extend(read(cell, at=1) if name == "capture" else [])
            continue
        if name not in CODE_MAGICS:
            problems.append(f"{place} uses the {prefix}{name} magic, which the grader cannot follow")
            continue
        readings = []
        for variant in _without_options(line):
            readings.extend(read(variant))
            if cell is not None:  # %%prun runs the line and the cell as one piece of code
                readings.extend(read(variant + "\n" + cell))
        readings.extend(read(cell, at=1) if cell is not None else [])
        readings.extend(piece for var in _stored_names(name, line) for piece in read(f"{var} = None"))
        if not readings and (line.strip() or (cell or "").strip()):
            problems.append(f"{place}: the grader cannot read the code given to {prefix}{name}")
        found.extend(readings)
    return found


def _expansions(text: str) -> list[str]:
    """The expressions IPython evaluates to expand a magic's argument: {expression} and $name."""
    found = [match for match in re.findall(r"(?<!\$)\$([\w.]+)", text)]
    try:
        for _, field_name, spec, _ in string.Formatter().parse(text):
            if field_name is not None:
                found.append(f"{field_name}:{spec}" if spec else field_name)
    except ValueError:
        pass  # IPython stops expanding at the first malformed field
    return found


def _without_options(line: str) -> list[str]:
    """The line with 0, 1, 2 … leading option tokens (and their values) removed: the code part."""
    spans = [(m.start(), m.group()) for m in re.finditer(r"\S+", line)]
    variants = [line]
    for k in range(1, len(spans) + 1):
        token, before = spans[k - 1][1], spans[k - 2][1] if k >= 2 else ""
        if not (token.startswith("-") or before.startswith("-")):
            break
        variants.append(line[spans[k][0]:] if k < len(spans) else "")
    return variants


def _stored_names(magic: str, line: str) -> list[str]:
    """Variables a magic's options name for its results (%timeit -v, %%capture out, %%bash --out)."""
    tokens = line.split()
    if magic == "capture":
        return [t for t in tokens if not t.startswith("-") and t.isidentifier()]
    names = []
    for i, token in enumerate(tokens):
        value = tokens[i + 1] if i + 1 < len(tokens) else ""
        if magic in SCRIPT_MAGICS and token.split("=")[0] in ("--out", "--err", "--proc"):
            names.append(token.split("=", 1)[1] if "=" in token else value)
        elif magic == "timeit" and token.startswith("-") and not token.startswith("--") and "v" in token:
            rest = token[token.index("v") + 1:]
            names.append(rest or value)
    return [n for n in names if n.isidentifier()]


# --- scopes ----------------------------------------------------------------------------------------


def _inner_parts(scope: ast.AST) -> list[ast.AST]:
    """What a scope evaluates itself."""
    if isinstance(scope, ast.Lambda):
        return [scope.body]
    if isinstance(scope, _COMPREHENSIONS):
        first, *rest = scope.generators  # the first iterable belongs to the enclosing scope
        parts = [first.target, *first.ifs]
        for generator in rest:
            parts += [generator.target, generator.iter, *generator.ifs]
        return parts + ([scope.key, scope.value] if isinstance(scope, ast.DictComp) else [scope.elt])
    return list(scope.body)


def _outer_parts(scope: ast.AST) -> list[ast.AST]:
    """What the enclosing scope evaluates of a nested scope (decorators, defaults, bases …)."""
    if isinstance(scope, ast.ClassDef):
        return [*scope.decorator_list, *scope.bases, *scope.keywords]
    if isinstance(scope, _COMPREHENSIONS):
        return [scope.generators[0].iter]
    args = scope.args
    parts = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
    if not isinstance(scope, ast.Lambda):
        parts += [*scope.decorator_list, *(a.annotation for a in _params(args) if a.annotation)]
        parts += [scope.returns] if scope.returns else []
    return parts


def _params(args: ast.arguments) -> list[ast.arg]:
    return [*args.posonlyargs, *args.args, *([args.vararg] if args.vararg else []), *args.kwonlyargs,
            *([args.kwarg] if args.kwarg else [])]


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """Every node a scope evaluates, nested scopes included as nodes but not what runs inside them."""
    stack = list(reversed(_inner_parts(scope)))
    while stack:
        node = stack.pop()
        yield node
        children = _outer_parts(node) if isinstance(node, _SCOPES) else list(ast.iter_child_nodes(node))
        stack.extend(reversed(children))


def _walrus_targets(comprehension: ast.AST) -> Iterator[ast.NamedExpr]:
    """`:=` inside a comprehension binds in the scope around it."""
    stack = [comprehension]
    while stack:
        for child in ast.iter_child_nodes(stack.pop()):
            if isinstance(child, ast.NamedExpr):
                yield child
            if not isinstance(child, (*_FUNCTIONS, ast.ClassDef)):
                stack.append(child)


def _bare_names(expr: ast.AST) -> list[ast.Name]:
    """The names whose objects an expression's value may be, or contain (not results of calls)."""
    return _value_names(expr, None)


@dataclass(frozen=True)
class _Env:
    """What the whole notebook binds: names from imports (modules and library functions) and every
    name any cell binds (which a built-in's name may then no longer be)."""

    imported: frozenset[str]
    bound: frozenset[str]

    @staticmethod
    def of(trees: Iterable[ast.AST]) -> _Env:
        imported, bound = set(), set()
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    imported |= {(a.asname or a.name).split(".")[0] for a in node.names}
                elif isinstance(node, ast.Name) and isinstance(node.ctx, _STORE):
                    bound.add(node.id)
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    bound.add(node.name)
                elif isinstance(node, ast.arg):
                    bound.add(node.arg)
        return _Env(frozenset(imported), frozenset(bound - imported))


_BUILTINS = frozenset(dir(builtins))
# A library's functions return new objects, except these, whose result may be (a view of) an argument.
_ALIASING = frozenset({
    "asarray", "asanyarray", "ascontiguousarray", "asfortranarray", "require", "atleast_1d", "atleast_2d",
    "atleast_3d", "ravel", "reshape", "squeeze", "transpose", "swapaxes", "moveaxis", "expand_dims",
    "broadcast_to", "broadcast_arrays", "diagonal", "real", "imag", "flip", "fliplr", "flipud", "rot90",
    "nullcontext", "getattr", "attrgetter", "itemgetter", "deepcopy", "copy", "partial", "reduce", "chain",
    "cast",
})


def _value_names(expr: ast.AST, env: _Env | None) -> list[ast.Name] | None:
    """The names whose objects an expression's value may be, or contain, following calls; None when
    a call may return any object. An aliasing library function or a built-in may return (part of)
    what it is given, a method (part of) its object too; a function of the notebook's own may return
    anything. Without ``env``, every call's result counts as a new object."""
    found, stack = [], [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            found.append(node)
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            stack.append(node.value)
        elif isinstance(node, ast.Call) and env is None:
            continue
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                root = func.value
                while isinstance(root, (ast.Attribute, ast.Subscript)):
                    root = root.value
                if not (isinstance(root, ast.Name) and root.id in env.imported):
                    stack.append(func.value)  # a method's result may be part of its object
                elif func.attr not in _ALIASING:
                    continue  # np.zeros(n), math.sqrt(x): a new object
            elif isinstance(func, ast.Name) and func.id in env.imported:
                if func.id not in _ALIASING:
                    continue
            elif not (isinstance(func, ast.Name) and func.id in _BUILTINS and func.id not in env.bound):
                return None
            stack.extend(node.args)
            stack.extend(keyword.value for keyword in node.keywords)
        elif not isinstance(node, (ast.Lambda, ast.JoinedStr, ast.Compare, ast.Constant)):
            stack.extend(ast.iter_child_nodes(node))
    return found


class _Scopes:
    """Where the names of one parsed cell live: ``home`` maps a Name to the scope that binds it,
    or to None for the notebook's globals."""

    def __init__(self, tree: ast.Module, env: _Env):
        self.env = env
        self.called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}  # callees, by id
        self.home: dict[int, ast.AST | None] = {}
        self.scope_of: dict[int, ast.AST] = {}
        self.fresh: dict[int, set[str]] = {}  # function scope -> locals bound only to new objects
        # function scope -> local -> the objects it may be (part of): ("param", p) for what the caller
        # passes as p, ("global", g) for a global's object; None when the reading cannot tell
        self.origins: dict[int, dict[str, frozenset[tuple[str, str]] | None]] = {}
        self._sources: dict[int, tuple[ast.AST, dict[str, list[ast.AST | str | None]]]] = {}
        self._declared: dict[int, tuple[set[str], set[str], set[str]]] = {}  # bound, global, nonlocal
        self._chain: dict[int, list[ast.AST]] = {}
        pending = [(tree, [])]
        while pending:
            scope, chain = pending.pop()
            self._chain[id(scope)] = chain
            walrus = self._declare(scope)
            for node in _own_nodes(scope):
                self.scope_of[id(node)] = scope
                if isinstance(node, _SCOPES):
                    pending.append((node, [scope, *chain]))
                elif isinstance(node, ast.Name):
                    start = self.outside_comprehensions(scope) if id(node) in walrus else scope
                    self.home[id(node)] = self.resolve(node.id, start)
        for scope, sources in self._sources.values():
            self.origins[id(scope)] = self._origins(scope, sources)

    def _origins(self, scope: ast.AST, sources: dict[str, list[ast.AST | str | None]]
                 ) -> dict[str, frozenset[tuple[str, str]] | None]:
        """What each local of a function may be: a parameter's object, a global's, or unknown."""
        found: dict[str, set[tuple[str, str]]] = {name: set() for name in sources}
        unknown: set[str] = set()
        grown = True
        while grown:
            grown = False
            for name, values in sources.items():
                if name in unknown:
                    continue
                before = len(found[name])
                for value in values:
                    if value is None:
                        unknown.add(name)
                    elif value == "param":
                        found[name].add(("param", name))
                    elif (names := _value_names(value, self.env)) is None:
                        unknown.add(name)
                    else:
                        for bare in names:
                            home = self.home.get(id(bare), 0)
                            if home is None:
                                found[name].add(("global", bare.id))
                            elif home is scope and bare.id in found and bare.id not in unknown:
                                found[name] |= found[bare.id]
                            else:
                                unknown.add(name)
                grown |= name in unknown or len(found[name]) != before
        return {name: None if name in unknown else frozenset(found[name]) for name in sources}

    def resolve(self, name: str, scope: ast.AST) -> ast.AST | None:
        for s in [scope, *self._chain[id(scope)]]:
            if isinstance(s, ast.Module):
                return None
            if s is not scope and isinstance(s, ast.ClassDef):
                continue  # a class body's names are not visible inside its methods
            bound, declared_global, declared_nonlocal = self._declared[id(s)]
            if name in declared_global:
                return None
            if name in bound and name not in declared_nonlocal:
                return s
        return None

    def outside_comprehensions(self, scope: ast.AST) -> ast.AST:
        """The nearest scope around ``scope`` (or itself) that is not a comprehension."""
        for s in [scope, *self._chain[id(scope)]]:
            if not isinstance(s, _COMPREHENSIONS):
                return s
        return scope

    def _declare(self, scope: ast.AST) -> set[int]:
        """Record the names ``scope`` binds; return the ids of `:=` targets it passes outwards."""
        bound, declared_global, declared_nonlocal = set(), set(), set()
        values: dict[str, list[ast.AST | None]] = defaultdict(list)  # what each local is bound to
        assigned: dict[int, ast.AST] = {}
        skip: set[int] = set()  # targets whose binding keeps the object (x += …) or lives elsewhere
        elements: dict[int, ast.AST] = {}  # for-loop targets -> the iterable
        walrus: set[int] = set()
        sources: dict[str, list[ast.AST | str | None]] = defaultdict(list)  # as values, for origins
        if isinstance(scope, _FUNCTIONS):
            for param in _params(scope.args):
                bound.add(param.arg)
                values[param.arg].append(None)
                sources[param.arg].append("param")
            args = scope.args
            positional = [*args.posonlyargs, *args.args]
            defaults = [*zip(positional[len(positional) - len(args.defaults):], args.defaults, strict=True),
                        *((a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
                          if d is not None)]
            for param, default in defaults:
                sources[param.arg].append(default)  # a default object is shared by every call
        nodes = list(_own_nodes(scope))
        for node in nodes:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    _pair(target, node.value, assigned)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                _pair(node.target, node.value, assigned)
            elif isinstance(node, ast.NamedExpr):
                if isinstance(scope, _COMPREHENSIONS):
                    walrus.add(id(node.target))
                else:
                    assigned[id(node.target)] = node.value
            elif isinstance(node, ast.AugAssign):
                skip.add(id(node.target))
            elif isinstance(node, (ast.For, ast.AsyncFor)) and isinstance(node.target, ast.Name):
                elements[id(node.target)] = node.iter  # an element of what it loops over
            elif isinstance(node, _COMPREHENSIONS) and not isinstance(scope, _COMPREHENSIONS):
                for named in _walrus_targets(node):
                    bound.add(named.target.id)
                    values[named.target.id].append(named.value)
                    sources[named.target.id].append(named.value)
        for node in nodes:
            if isinstance(node, ast.Name) and isinstance(node.ctx, _STORE) and id(node) not in walrus:
                bound.add(node.id)
                if id(node) not in skip:
                    values[node.id].append(assigned.get(id(node)))
                    sources[node.id].append(assigned.get(id(node), elements.get(id(node))))
            for bound_name in _statement_binds(node):
                bound.add(bound_name)
                values[bound_name].append(None)
                sources[bound_name].append(None)
            if isinstance(node, ast.Global):
                declared_global.update(node.names)
            elif isinstance(node, ast.Nonlocal):
                declared_nonlocal.update(node.names)
        self._declared[id(scope)] = (bound, declared_global, declared_nonlocal)
        if isinstance(scope, _FUNCTIONS):
            self.fresh[id(scope)] = {
                n for n, vs in values.items()
                if all(v is not None and _value_names(v, self.env) == [] for v in vs)
            } - declared_global - declared_nonlocal
            local = {n: vs for n, vs in sources.items() if n not in declared_global | declared_nonlocal}
            self._sources[id(scope)] = (scope, local)
        return walrus


def _pair(target: ast.AST, value: ast.AST, assigned: dict[int, ast.AST]) -> None:
    if isinstance(target, ast.Name):
        assigned[id(target)] = value
    elif (isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List))
          and len(target.elts) == len(value.elts)
          and not any(isinstance(e, ast.Starred) for e in (*target.elts, *value.elts))):
        for t, v in zip(target.elts, value.elts, strict=True):
            _pair(t, v, assigned)


def _statement_binds(node: ast.AST) -> list[str]:
    """Names a node binds other than through a Name target."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [a.asname or a.name.split(".")[0] for a in node.names]
    if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
        return [node.name] if node.name else []
    if isinstance(node, ast.MatchMapping):
        return [node.rest] if node.rest else []
    return []


def _name_bindings(tree: ast.AST) -> Iterator[tuple[str, str, ast.AST]]:
    """Every binding of a name anywhere in the code: (name, how, node)."""
    for node in ast.walk(tree):
        how = _HOW.get(type(node))
        if isinstance(node, ast.FunctionDef):
            yield node.name, "a decorated def" if node.decorator_list else "def", node
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, _STORE):
            yield node.attr, f"an attribute assignment (….{node.attr} = …)", node
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                yield name, how, node
        elif how is not None:
            for name in _statement_binds(node):
                yield name, how, node
            for target in _binding_targets(node):
                for n in ast.walk(target):
                    if isinstance(n, ast.Name) and isinstance(n.ctx, _STORE):
                        yield n.id, how, n


_HOW = {
    ast.AsyncFunctionDef: "an async def", ast.ClassDef: "a class", ast.Assign: "an assignment",
    ast.AugAssign: "an augmented assignment", ast.AnnAssign: "an annotated assignment",
    ast.NamedExpr: "a := expression", ast.For: "a for loop", ast.AsyncFor: "a for loop",
    ast.comprehension: "a comprehension's for", ast.With: "a with statement",
    ast.AsyncWith: "a with statement",
    ast.Delete: "a del statement", ast.Import: "an import", ast.ImportFrom: "an import",
    ast.ExceptHandler: "an except clause", ast.MatchAs: "a match pattern", ast.MatchStar: "a match pattern",
    ast.MatchMapping: "a match pattern", ast.Global: "a global statement",
    ast.Nonlocal: "a nonlocal statement",
}


def _binding_targets(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        return node.targets
    if isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.NamedExpr, ast.For, ast.AsyncFor,
                         ast.comprehension)):
        return [node.target]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [item.optional_vars for item in node.items if item.optional_vars is not None]
    if isinstance(node, ast.Delete):
        return node.targets
    return []


# --- units: the pieces of top-level code that bind, load and change names ------------------------


@dataclass(eq=False)
class _Unit:
    """A top-level statement (a def or class with everything inside it), or the header of a
    compound statement, with what it does to the notebook's global names."""

    code: _Code
    node: ast.AST
    parts: list[ast.AST]
    binds: set[str] = field(default_factory=set)
    loads: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)  # globals whose objects the bound values may be
    defines: set[str] = field(default_factory=set)  # names of the defs anywhere inside
    changes: list[tuple[str | None, str]] = field(default_factory=list)  # objects it changes in place:
    # (the global name, None if unknown; how to name the change in a message)
    escapes: bool = False  # a function inside stores values where other code reads them
    subunits: list[_Unit] = field(default_factory=list)  # code its magics run
    ids: set[int] = field(default_factory=set)
    targets: set[int] = field(default_factory=set)  # ids of the nodes naming what it changes in place
    param_changes: dict[str, str] = field(default_factory=dict)  # a def: parameter -> how it changes it
    passes: set[str] = field(default_factory=set)  # global names it loads other than to call them


def _unit_shapes(stmts: list[ast.stmt]) -> Iterator[tuple[ast.AST, list[ast.AST], list[ast.AST] | None]]:
    """(node, parts, where its bound values come from; None: everything) for each unit."""
    for stmt in stmts:
        if isinstance(stmt, (ast.If, ast.While)):
            yield stmt, [stmt.test], []
            yield from _unit_shapes(stmt.body + stmt.orelse)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            yield stmt, [stmt.target, stmt.iter], [stmt.iter]
            yield from _unit_shapes(stmt.body + stmt.orelse)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            yield stmt, list(stmt.items), [item.context_expr for item in stmt.items]
            yield from _unit_shapes(stmt.body)
        elif isinstance(stmt, (ast.Try, ast.TryStar)):
            # what an `except … as e` binds comes from anywhere in the try: all of it is one unit
            yield stmt, [stmt], None
            yield from _unit_shapes(stmt.body + [s for h in stmt.handlers for s in h.body]
                                    + stmt.orelse + stmt.finalbody)
        elif isinstance(stmt, ast.Match):
            patterns = [p for c in stmt.cases for p in (c.pattern, c.guard) if p]
            yield stmt, [stmt.subject, *patterns], [stmt.subject]
            yield from _unit_shapes([s for c in stmt.cases for s in c.body])
        elif isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            yield stmt, [stmt], [stmt.value] if stmt.value is not None else []
        elif isinstance(stmt, ast.ClassDef):
            yield stmt, [stmt], None
        else:
            yield stmt, [stmt], [n.value for n in ast.walk(stmt) if isinstance(n, ast.NamedExpr)]


def _units(code: _Code, scopes: _Scopes) -> list[_Unit]:
    units = []
    for node, parts, sources in _unit_shapes(code.tree.body):
        unit = _Unit(code, node, parts)
        nodes = [n for part in parts for n in ast.walk(part)]
        unit.ids = {id(n) for n in nodes}
        for n in nodes:
            if isinstance(n, ast.Name) and scopes.home.get(id(n), 0) is None:
                if isinstance(n.ctx, ast.Load):
                    unit.loads.add(n.id)
                else:
                    unit.binds.add(n.id)
                    unit.escapes |= isinstance(scopes.scope_of.get(id(n)), _FUNCTIONS)  # `global x; x = …`
            elif isinstance(n, ast.FunctionDef):
                unit.defines.add(n.name)
            if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name):
                if scopes.home.get(id(n.target), 0) is None:
                    unit.loads.add(n.target.id)
            for bound_name in _statement_binds(n):
                scope = scopes.scope_of.get(id(n))
                if scope is not None and scopes.resolve(bound_name, scope) is None:
                    unit.binds.add(bound_name)
            _record_change(unit, n, scopes)
        for source in (parts if sources is None else sources):
            unit.aliases |= {n.id for n in _bare_names(source) if scopes.home.get(id(n), 0) is None}
        units.append(unit)
    return units


def _record_change(unit: _Unit, node: ast.AST, scopes: _Scopes) -> None:
    """Note which global object (None: some unknown one) ``node`` changes in place, if any."""
    changed: list[ast.AST] = []
    if isinstance(node, (ast.Attribute, ast.Subscript)) and isinstance(node.ctx, _STORE):
        changed.append(node.value)
    elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        changed.append(node.target)  # x += … changes a list in place, through every alias
    elif isinstance(node, ast.Call):
        called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if isinstance(node.func, ast.Attribute) and called in METHOD_MUTATORS:
            changed.append(node.func.value)
            if isinstance(node.func.value, ast.Name) and node.func.value.id in _BUILTINS and node.args:
                changed.append(node.args[0])  # list.append(REG, x): the type's method, on REG
        if called in FUNCTION_MUTATORS and node.args:
            changed.append(node.args[0])
    elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and node.attr in METHOD_MUTATORS
          and id(node) not in scopes.called):
        # A mutating method taken as a value (keep = REG.append, map(REG.append, …), partial(list.append,
        # REG)): whoever calls it later changes its object (for the type's own, any object), so the
        # code that uses what this binds counts too.
        changed.append(node.value)
        unit.escapes = True
        if isinstance(node.value, ast.Name) and node.value.id in _BUILTINS:
            unit.changes.append((None, f"a change through {_short(ast.unparse(node))} "
                                       f"in {unit.code.place(node)}"))
    if not changed:
        return
    if isinstance(node, (ast.Call, ast.Attribute, ast.Subscript)):  # the method called, or the target
        unit.targets.add(id(node.func) if isinstance(node, ast.Call) else id(node))
    for expr in changed:
        while isinstance(expr, (ast.Attribute, ast.Subscript, ast.Starred)):
            unit.targets.add(id(expr))
            expr = expr.value
    function = scopes.outside_comprehensions(scopes.scope_of[id(node)])
    in_function = isinstance(function, _FUNCTIONS)
    for expr in changed:
        root = expr
        while isinstance(root, (ast.Attribute, ast.Subscript, ast.Starred)):
            root = root.value
        home = scopes.home.get(id(root), 0) if isinstance(root, ast.Name) else 0
        if in_function and root is expr and home is function and root.id in scopes.fresh[id(function)]:
            continue  # a local list or array the function made itself
        change = f"a change to {_short(ast.unparse(expr))} in {unit.code.place(node)}"
        origins = scopes.origins.get(id(function), {}).get(root.id) if home is function else None
        if home is function and function is unit.node and origins:
            # A def's local that may be only its parameters' objects (or globals'): a change to a
            # parameter changes what its callers pass, and counts where they are called (_through_calls).
            for kind, name in sorted(origins):
                if kind == "param":
                    unit.param_changes.setdefault(name, change)
                else:
                    unit.changes.append((name, change))
                    unit.escapes = True
            continue
        global_name = root.id if isinstance(root, ast.Name) and home is None else None
        unit.changes.append((global_name, change))
        unit.escapes |= in_function



def _through_calls(units: list[_Unit], scopes_of: dict[int, _Scopes]) -> None:
    """Charge a function's changes to its parameters to the code that calls it, as changes to what
    that code passes: ``setup(REG)`` changes REG when ``def setup(d)`` changes ``d``. A call inside
    another def that passes its own parameters makes that def change them too; a mutating function
    used any other way than called by name (or handed to a check helper, which calls it with the
    ``args`` it is given) changes something nobody can name."""
    defs: dict[str, list[ast.AST]] = defaultdict(list)
    for unit in units:
        if isinstance(unit.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            defs[unit.node.name].append(unit.node)
    changing: dict[str, dict[str, str]] = defaultdict(dict)  # function -> parameter -> how
    for unit in units:
        if unit.param_changes:
            changing[unit.node.name].update(unit.param_changes)
    if not changing:
        return
    calls = [(unit, scopes_of[id(unit.code)], *call) for unit in units
             for call in _calls(unit, scopes_of[id(unit.code)])]
    grown = True
    while grown:  # defs that pass their parameters on to a changing function change them too
        grown = False
        for unit, scopes, callee, bound, where in calls:
            if callee not in changing or not isinstance(unit.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for param, expr in bound:
                how = _passed_change(changing[callee], defs[callee], param, callee, where)
                for kind, name in sorted(_passed_origins(expr, unit, scopes) or ()) if how else ():
                    if kind == "param" and name not in changing[unit.node.name]:
                        changing[unit.node.name][name] = how
                        grown = True
    for unit, scopes, callee, bound, where in calls:
        if callee not in changing:
            continue
        for param, expr in bound:
            how = _passed_change(changing[callee], defs[callee], param, callee, where)
            if not how:
                continue
            origins = _passed_origins(expr, unit, scopes)
            if origins is None:
                unit.changes.append((None, how))
            for kind, name in sorted(origins or ()):
                if kind == "global":
                    unit.changes.append((name, how))
                    unit.escapes |= isinstance(unit.node, (ast.FunctionDef, ast.AsyncFunctionDef))
    for unit in units:  # a changing function stored, aliased or passed on: what it is called with is unknown
        for name in sorted(unit.passes & set(changing)):
            where = unit.code.place(unit.node)
            unit.changes.append((None, f"a change made by {name}, which {where} passes on"))


def _calls(unit: _Unit, scopes: _Scopes) -> Iterator[tuple[str, list[tuple[int | str | None, ast.AST]], str]]:
    """Each call of a global function by name in the unit: (name, [(parameter position or keyword,
    None for any; the expression passed)], where), and a check helper's call of the function it is
    given with each of its ``args``. Fills ``unit.passes``: global names loaded other than so."""
    called: set[int] = set()
    found = []
    for part in unit.parts:
        for node in ast.walk(part):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name) \
                    or scopes.home.get(id(node.func), 0) is not None:
                continue
            called.add(id(node.func))
            where = unit.code.place(node)
            if node.func.id in PROTECTED_NAMES:
                given = [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "func")]
                cases = next((k.value for k in node.keywords if k.arg == "args"), None)
                for func in given:
                    if isinstance(func, ast.Name) and scopes.home.get(id(func), 0) is None:
                        called.add(id(func))
                        found.append((func.id, _helper_cases(cases), where))
                continue
            bound: list[tuple[int | str | None, ast.AST]] = []
            spread = False
            for i, arg in enumerate(node.args):
                spread |= isinstance(arg, ast.Starred)
                bound.append((None if spread else i, arg.value if isinstance(arg, ast.Starred) else arg))
            bound += [(k.arg, k.value) for k in node.keywords]
            found.append((node.func.id, bound, where))
    for part in unit.parts:
        for node in ast.walk(part):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and id(node) not in called \
                    and scopes.home.get(id(node), 0) is None:
                unit.passes.add(node.id)
    return found


def _helper_cases(cases: ast.AST | None) -> list[tuple[int | str | None, ast.AST]]:
    """What a check helper passes the function: the elements of each tuple in ``args=[(…), …]``."""
    if cases is None:
        return []
    if isinstance(cases, (ast.List, ast.Tuple)) and all(isinstance(c, ast.Tuple) for c in cases.elts):
        bound = []
        for case in cases.elts:
            spread = False
            for i, arg in enumerate(case.elts):
                spread |= isinstance(arg, ast.Starred)
                bound.append((None if spread else i, arg.value if isinstance(arg, ast.Starred) else arg))
        return bound
    return [(None, cases)]


def _passed_change(changes: dict[str, str], defs: list[ast.AST], param: int | str | None, callee: str,
                   where: str) -> str | None:
    """How the call changes what it passes in ``param`` (a position, a keyword, None: any), if it does."""
    names: set[str | None] = set()
    for fd in defs:
        args = fd.args
        positional = [a.arg for a in (*args.posonlyargs, *args.args)]
        keywords = {a.arg for a in (*args.args, *args.kwonlyargs)}
        if param is None:
            names |= set(changes)
        elif isinstance(param, int):
            names.add(positional[param] if param < len(positional) else args.vararg and args.vararg.arg)
        else:
            names.add(param if param in keywords else args.kwarg and args.kwarg.arg)
    changed = [changes[n] for n in sorted(names - {None}) if n in changes]
    return f"{changed[0]}, which {callee} makes to what {where} passes it" if changed else None


def _passed_origins(expr: ast.AST, unit: _Unit, scopes: _Scopes) -> frozenset[tuple[str, str]] | None:
    """The objects an argument may be: globals', or the calling def's parameters'; None: unknown."""
    found: set[tuple[str, str]] = set()
    names = _value_names(expr, scopes.env)
    if names is None:
        return None
    for bare in names:
        home = scopes.home.get(id(bare), 0)
        if home is None:
            found.add(("global", bare.id))
        elif home is unit.node and (origins := scopes.origins.get(id(home), {}).get(bare.id)) is not None:
            found |= origins
        else:
            return None
    return frozenset(found)


@dataclass
class _Notebook:
    codes: list[_Code]
    units: list[_Unit]
    problems: list[str]  # dynamic features, imports, magics: whatever the checked name
    binders: dict[str, list[_Unit]]
    loaders: dict[str, list[_Unit]]
    modules: set[str]  # names bound by imports
    scopes: dict[int, _Scopes] = field(default_factory=dict)  # id(code) -> where its names live


@functools.lru_cache(maxsize=32)
def _notebook(cells: tuple[str, ...], labels: tuple[str, ...]) -> _Notebook:
    problems: list[str] = []
    codes = [code for text, label in zip(cells, labels, strict=True)
             for code in _read(text, label, 0, problems)]
    env = _Env.of(code.tree for code in codes)
    scopes = {id(code): _Scopes(code.tree, env) for code in codes}
    units_of = {id(code): _units(code, scopes[id(code)]) for code in codes}
    units = [unit for code in codes for unit in units_of[id(code)]]
    for code in codes:
        if code.parent is not None:
            for unit in units_of[id(code.parent)]:
                if id(code.inside) in unit.ids:
                    unit.subunits.extend(units_of[id(code)])
    _through_calls(units, scopes)
    binders, loaders, modules = defaultdict(list), defaultdict(list), set()
    for unit in units:
        for name in unit.binds:
            binders[name].append(unit)
        for name in unit.loads:
            loaders[name].append(unit)
        if isinstance(unit.node, (ast.Import, ast.ImportFrom)):
            modules |= unit.binds
    for code in codes:
        problems.extend(_dynamic_problems(code, scopes[id(code)]))
    return _Notebook(codes, units, list(dict.fromkeys(problems)), dict(binders), dict(loaders), modules,
                     scopes)


# --- the rules -------------------------------------------------------------------------------------


def _naming_problems(notebook: _Notebook, name: str) -> tuple[bool, list[str]]:
    """Whether ``name`` has a def, and every other way the cells bind it."""
    problems, defined = [], False
    for code in notebook.codes:
        for bound, how, node in _name_bindings(code.tree):
            if bound != name:
                continue
            defined |= how in ("def", "a decorated def")
            if how == "a decorated def":
                problems.append(f"{name} has a decorator in {code.place(node)}: define it with a plain def")
            elif how != "def":
                problems.append(f"{name} is also bound by {how} in {code.place(node)}: "
                                "define it once with a plain def")
    return defined, problems


def _dynamic_problems(code: _Code, scopes: _Scopes) -> Iterator[str]:
    for node in ast.walk(code.tree):
        what = None
        if isinstance(node, ast.Name):
            if node.id in DYNAMIC_NAMES or _dunder(node.id):
                what = node.id
            elif node.id == "get_ipython" and id(node) not in code.magic_calls:
                what = "get_ipython() other than for a magic"
            elif (IPYTHON_HISTORY.fullmatch(node.id) and isinstance(node.ctx, ast.Load)
                  and scopes.home.get(id(node)) is None):
                what = f"{node.id}, IPython's record of earlier cells"
        elif (isinstance(node, ast.Attribute) and _dynamic_attribute(node.attr)
              and id(node) not in code.magic_calls):
            what = f".{node.attr}"
        elif isinstance(node, ast.keyword) and node.arg == "allow_pickle" or _loads_pickles(node):
            what = "pickled data (it can hold any function)"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.name if alias.asname else alias.name.split(".")[0]  # import a.b binds a
                if not (_allowed_module(alias.name) and _allowed_module(bound)):
                    yield _import_problem(code.place(node), alias.name)
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if node.level or not _allowed_module(module):
                yield _import_problem(code.place(node), module)
            for alias in node.names:
                if alias.name == "*":
                    yield (f"{code.place(node)} uses from {module} import *: import the names you use "
                           "one by one, so that the grader can see them")
                elif _dynamic_attribute(alias.name):
                    what = alias.name
        if what:
            yield f"{code.place(node)} uses {what}, which the grader cannot follow: write it out plainly"


def _loads_pickles(node: ast.AST) -> bool:
    """np.load(file, None, True) and the like: allow_pickle given by position."""
    if not isinstance(node, ast.Call):
        return False
    called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
    spread = any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords)
    return called in ("read_array", "NpzFile") or (called == "load" and (len(node.args) >= 3 or spread))


def _dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _dynamic_attribute(name: str) -> bool:
    return name.startswith("_") or name in DYNAMIC_ATTRIBUTES


def _allowed_module(module: str) -> bool:
    return any(module == allowed or module.startswith(allowed + ".") for allowed in ALLOWED_MODULES)


def _import_problem(place: str, module: str) -> str:
    return (f"{place} imports {module}, which the grader cannot read: keep your code in the notebook "
            "(numpy, matplotlib, ipywidgets and plain standard modules such as math are fine)")


def _forbidden_problems(notebook: _Notebook, name: str, forbidden: set[str]) -> list[str]:
    reached = _closure(notebook, name)
    problems, seen = [], set()
    for unit in notebook.units:
        if unit not in reached:
            continue
        sites = [(used, node) for part in unit.parts for used, node in _forbidden_sites(part, forbidden)
                 if id(node) not in seen]
        seen |= {id(node) for _, node in sites}
        if not sites:
            continue
        used = ", ".join(dict.fromkeys(u for u, _ in sites))
        place = unit.code.place(sites[0][1])
        if name in unit.defines:
            problems.append(f"the code uses {used}, which this exercise asks you to do without ({place})")
            continue
        shown = ", ".join(dict.fromkeys(_shown(u, node) for u, node in sites))
        problems.append(f"the code uses {used}, which this exercise asks you to do without: {shown} in "
                        f"{place}, which {name} reaches through {_route(reached, unit)}")
    return problems


def _unallowed_problems(notebook: _Notebook, name: str, allowed: set[str]) -> list[str]:
    """What the code ``name`` reaches uses beyond ``allowed`` (an allowlist), one sentence per unit.

    Code reached only because it changes an object the function may read (``plt.rcParams.update(…)``,
    ``np.zeros = …``) is read without the expression naming the changed object: what it stores
    there still has to keep to the list."""
    reached = _closure(notebook, name)
    bound = set(notebook.binders)
    problems = []
    for unit in notebook.units:
        if unit not in reached:
            continue
        parent, via = reached[unit]
        skip = unit.targets if parent is None and via.startswith("a change to") else set()
        sites: list[tuple[str, ast.AST]] = []
        for part in unit.parts:
            for node in ast.walk(part):
                if id(node) in skip:
                    continue
                if isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, ast.MatMult):
                    used = ["@"]
                elif isinstance(node, ast.Attribute):
                    used = [node.attr]
                elif isinstance(node, ast.ImportFrom):
                    used = [alias.name for alias in node.names]
                elif (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in unit.loads
                      and node.id not in bound and _global_load(notebook, unit, node)):
                    used = [node.id]  # a builtin: nothing in the notebook binds it
                else:
                    continue
                sites.extend((u, node) for u in used if u not in allowed)
        if not sites:
            continue
        shown = ", ".join(dict.fromkeys(_shown(u, node) if not isinstance(node, ast.Name) else u
                                        for u, node in sites))
        place = unit.code.place(sites[0][1])
        if name in unit.defines:
            problems.append(f"the code uses {shown}, which is not among what this exercise allows ({place})")
        else:
            problems.append(f"the code uses {shown}, which is not among what this exercise allows, in "
                            f"{place}, which {name} reaches through {_route(reached, unit)}")
    return problems


def _global_load(notebook: _Notebook, unit: _Unit, node: ast.Name) -> bool:
    """Whether this Name reads a global (or builtin) rather than a local of a function around it."""
    scopes = notebook.scopes.get(id(unit.code))
    return scopes is None or scopes.home.get(id(node), 0) is None


def _closure(notebook: _Notebook, name: str) -> dict[_Unit, tuple[_Unit | None, str]]:
    """The units whose code can run, or shape what runs, when ``name`` is called, each with the
    unit and the reason it was reached by."""
    reached: dict[_Unit, tuple[_Unit | None, str]] = {}
    queue: deque[_Unit] = deque()
    escaping: set[_Unit] = set()
    seeds = [unit for unit in notebook.units if name in unit.defines]

    def reach(unit: _Unit, parent: _Unit | None, via: str, escapes: bool = False) -> None:
        if escapes and unit not in escaping:
            escaping.add(unit)
            if unit in reached:
                queue.append(unit)  # read again, now passing its own names on
        if unit not in reached:
            reached[unit] = (parent, via)
            queue.append(unit)
            for sub in unit.subunits:
                reach(sub, unit, "a magic")

    for seed in seeds:
        reach(seed, None, "")
    escaped: set[str] = set()
    while queue:
        while queue:
            unit = queue.popleft()
            for loaded in sorted(unit.loads):
                for binder in notebook.binders.get(loaded, ()):
                    reach(binder, unit, loaded)
            # A helper that stores its arguments where others read them: what its callers pass counts.
            if (unit.escapes or unit in escaping) and unit not in seeds:
                for bound in sorted(unit.binds - escaped):
                    escaped.add(bound)
                    for user in notebook.loaders.get(bound, ()):
                        reach(user, unit, f"what is passed to {bound}", escapes=True)
        # Code elsewhere that changes an object this code may read (np.multiply = …) counts too.
        readable = _readable(notebook, reached)
        for unit in notebook.units:
            if unit not in reached:
                for changed, change in unit.changes:
                    if changed is None or changed in readable:
                        reach(unit, None, change)
                        break
    return reached


def _readable(notebook: _Notebook, reached: dict[_Unit, tuple]) -> set[str]:
    """Global names whose objects the reached code may read: the names it loads, every module, and
    names bound to (parts of) those objects."""
    names = set(notebook.modules).union(*(unit.loads for unit in reached))
    grown = True
    while grown:
        grown = False
        for bound, binders in notebook.binders.items():
            if bound not in names and any(unit.aliases & names for unit in binders):
                names.add(bound)
                grown = True
    return names


def _route(reached: dict[_Unit, tuple[_Unit | None, str]], unit: _Unit) -> str:
    steps = []
    while unit is not None and len(steps) < 6:
        parent, via = reached[unit]
        if via:
            steps.append(via)
        unit = parent
    return " → ".join(reversed(steps)) or "its own code"


def _forbidden_sites(tree: ast.AST, forbidden: set[str]) -> Iterator[tuple[str, ast.AST]]:
    """Each use of a forbidden name: the operator `@` (incl. @=), a call, an attribute or an import."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, ast.MatMult):
            used = ["@"]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            used = [node.func.id]
        elif isinstance(node, ast.Attribute):
            used = [node.attr]
        elif isinstance(node, ast.ImportFrom):
            used = [alias.name for alias in node.names]
        else:
            continue
        yield from ((u, node) for u in used if u in forbidden)


def _shown(used: str, node: ast.AST) -> str:
    if used == "@":
        return "the @ operator"
    if isinstance(node, ast.ImportFrom):
        return f"from {node.module} import {used}"
    return _short(ast.unparse(node.func if isinstance(node, ast.Call) else node))


def _short(text: str) -> str:
    return text if len(text) <= 40 else "…" + text[-39:]

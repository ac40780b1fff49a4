"""The trust boundary: the learner side (what a student's kernel imports) needs nothing of the grader.

A student controls everything in their kernel, so the code that runs there must neither hold nor
reach the grader's: no module of autograder/learner/ imports grading/, sandbox/ or devtools/, nor
nbgrader, nbclient or jupyter_client — not even inside a function. And the learner side alone (the
package's __init__ and learner/, copied where nothing else of the package is) imports and works.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import autograder

PACKAGE = Path(autograder.__file__).resolve().parent
LEARNER = sorted((PACKAGE / "learner").glob("*.py"))
# The old names of two learner modules, kept for notebooks fetched before the layout: learner side too.
ALIASES = [PACKAGE / "checks.py", PACKAGE / "explorer.py"]
GRADER_SIDE = ("autograder.grading", "autograder.sandbox", "autograder.devtools",
               "autograder.nbgrader_config", "nbgrader", "nbclient", "jupyter_client")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, wherever the import statement stands, relative ones resolved."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found.add(module)
            # ``from autograder import grading`` imports a module too
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def crosses(module: str) -> bool:
    return any(module == side or module.startswith(side + ".") for side in GRADER_SIDE)


@pytest.mark.parametrize("path", LEARNER + ALIASES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_learner_module_imports_the_grader_side(path):
    assert sorted(m for m in imported_modules(path) if crosses(m)) == []


def test_the_boundary_check_sees_imports_hidden_in_functions_and_relative_ones(tmp_path):
    sneaky = PACKAGE / "learner" / "_probe_for_the_boundary_test.py"
    try:
        sneaky.write_text("def later():\n    from ..grading import judge\n    import nbclient\n")
        assert {"autograder.grading.judge", "nbclient"} <= {m for m in imported_modules(sneaky) if crosses(m)}
    finally:
        sneaky.unlink()


def test_the_learner_side_alone_imports_and_pulls_in_nothing_of_the_grader(tmp_path):
    alone = tmp_path / "autograder"
    shutil.copytree(PACKAGE / "learner", alone / "learner", ignore=shutil.ignore_patterns("__pycache__"))
    for path in [PACKAGE / "__init__.py", *ALIASES]:
        shutil.copy(path, alone / path.name)
    modules = [f"autograder.learner.{p.stem}" for p in LEARNER if p.stem != "__init__"]
    probe = (
        "import importlib, sys\n"
        f"for name in {modules + ['autograder.checks', 'autograder.explorer']!r}:\n"
        "    importlib.import_module(name)\n"
        "import autograder\n"
        "print(autograder.__file__)\n"
        f"print(sorted(m for m in sys.modules if m.startswith({GRADER_SIDE!r})))\n"
        # the helpers work there: a check passes and prints its verdict
        "from autograder.learner.checks import check_function\n"
        "check_function('square', lambda x: x * x, args=[(3,)], expected=[9])\n"
    )
    done = subprocess.run([sys.executable, "-P", "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                               "MPLBACKEND": "Agg"})
    assert done.returncode == 0, done.stderr
    where, loaded, *verdict = done.stdout.splitlines()
    assert where == str(alone / "__init__.py")  # this copy, not the checkout's
    assert loaded == "[]"
    assert "✔" in "\n".join(verdict)

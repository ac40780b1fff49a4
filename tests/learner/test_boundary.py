"""The trust boundary: the learner side (what a student's kernel imports) needs nothing of the grader.

A student controls everything in their kernel, so the code that runs there must neither hold nor
reach the grader's: no module of autograder/learner/ imports grading/, sandbox/ or devtools/, nor
nbgrader, nbclient or jupyter_client — not even inside a function. And the learner side alone (the
package's __init__ and learner/, copied where nothing else of the package is) imports and works.
"""

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import autograder

PACKAGE = Path(autograder.__file__).resolve().parent
LEARNER = sorted((PACKAGE / "learner").rglob("*.py"))
# The old names of two learner modules, kept for notebooks fetched before the layout: learner side too.
ALIASES = [PACKAGE / "checks.py", PACKAGE / "explorer.py"]
GRADER_SIDE = ("autograder.grading", "autograder.sandbox", "autograder.devtools",
               "autograder.nbgrader_config", "nbgrader", "nbclient", "jupyter_client")


def imported_modules(source: str, package: str) -> set[str]:
    """Every module a module of ``package`` imports, wherever the import statement stands,
    relative ones resolved; an import by a name computed at run time counts as ``<dynamic>``."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and (getattr(node.func, "id", None) == "__import__"
                                           or getattr(node.func, "attr", None) == "import_module"):
            found.add("<dynamic>")
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
    if module == "<dynamic>":
        return True
    return any(module == side or module.startswith(f"{side}.") for side in GRADER_SIDE)


def package_of(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])


@pytest.mark.parametrize("path", LEARNER + ALIASES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_learner_module_imports_the_grader_side(path):
    assert sorted(m for m in imported_modules(path.read_text(), package_of(path)) if crosses(m)) == []


@pytest.mark.parametrize("source, crossing", [
    ("def later():\n    from ..grading import judge\n", "autograder.grading.judge"),
    ("from autograder import devtools\n", "autograder.devtools"),
    ("class A:\n    def m(self):\n        import nbclient.client\n", "nbclient.client"),
    ("import importlib\nimportlib.import_module('autograder.' + 'grading')\n", "<dynamic>"),
    ("__import__('jupyter_client')\n", "<dynamic>"),
], ids=["relative-in-a-function", "from-the-package", "in-a-method", "import-module", "dunder-import"])
def test_the_boundary_check_sees_every_way_of_importing(source, crossing):
    assert crossing in {m for m in imported_modules(source, "autograder.learner") if crosses(m)}


def test_the_learner_side_alone_imports_and_pulls_in_nothing_of_the_grader(tmp_path):
    alone = tmp_path / "autograder"
    shutil.copytree(PACKAGE / "learner", alone / "learner", ignore=shutil.ignore_patterns("__pycache__"))
    for path in [PACKAGE / "__init__.py", *ALIASES]:
        shutil.copy(path, alone / path.name)
    modules = [".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
               for p in LEARNER]
    probe = (
        "import importlib, json, sys\n"
        f"for name in {modules + ['autograder.checks', 'autograder.explorer']!r}:\n"
        "    importlib.import_module(name)\n"
        # the helpers work there: a check passes and prints its verdict
        "from autograder.learner.checks import check_function\n"
        "check_function('square', lambda x: x * x, args=[(3,)], expected=[9])\n"
        # then: where every module of the package came from, and whether any is the grader's
        "print(json.dumps(sorted(getattr(m, '__file__', None) or '' for n, m in sys.modules.items()\n"
        "                        if n == 'autograder' or n.startswith('autograder.'))))\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({GRADER_SIDE!r}))))\n"
    )
    # -S: no site module, so no .pth file runs — in particular not the editable install's finder,
    # which would serve the rest of the package from the checkout; the dependencies come by path.
    dependencies = [p for p in sys.path if Path(p).name == "site-packages"]
    env = {"PYTHONPATH": os.pathsep.join([str(tmp_path), *dependencies]), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-P", "-S", "-c", probe], cwd=tmp_path, capture_output=True,
                          text=True, env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "✔" in "\n".join(lines[:-2])
    files, grader_side = json.loads(lines[-2]), json.loads(lines[-1])
    assert all(f.startswith(str(alone)) for f in files), files  # this copy, not the checkout's
    assert grader_side == []

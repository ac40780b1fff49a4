"""Decide, outside the student's kernel, whether a graded cell's reported values are right.

Every check in a test cell reports one record (see :mod:`autograder.checks`). The reference
solution, run in a trusted kernel, reports the same checks with the expected values and the
tolerances the source notebook states. A cell earns its points only when every reference record
has a student record for the same check, the same case and the same inputs, and the student's
value matches the reference's expected value within the reference's tolerances. What the student's
kernel claims about expected values, tolerances or pass/fail is never read; a check that never
reported earns nothing.
"""

from __future__ import annotations

import ast
import functools
import json
from collections import defaultdict
from dataclasses import dataclass, field

from .checks import forbidden_uses
from .compare import compare
from .values import decode


@dataclass
class Verdict:
    passed: bool
    checks: int
    problems: list[str] = field(default_factory=list)
    hidden: int = 0  # how many of the checks are hidden ones

    def message(self) -> str:
        if self.passed:
            hidden = f" ({self.hidden} of them hidden checks)" if self.hidden else ""
            return f"✔ judged by the grader: all {self.checks} checks match the reference solution{hidden}"
        shown = self.problems[:5]
        more = len(self.problems) - len(shown)
        return "\n".join([f"✘ judged by the grader: {len(self.problems)} of {self.checks} checks failed",
                          *shown, *([f"… and {more} more"] if more else [])])


def judge_cell(reference: list[dict], student: list[dict], *, sources: list[str]) -> Verdict:
    """The verdict on one test cell. ``sources`` are the submitted notebook's code cells, in order."""
    wanted, got = _keyed(reference), _keyed(student)
    problems = []
    for key, (ref, *_) in wanted.items():
        mine = got.get(key)
        if not mine:
            problems.append(f"{_label(ref)}: never reported (the cell stopped before reaching it)")
            continue
        for record in mine:
            problem = _judge_one(ref, record, sources)
            if problem:
                problems.append(f"{_label(ref)}: {problem}")
                break
    hidden = sum(bool(refs[0].get("hidden")) for refs in wanted.values())
    return Verdict(passed=bool(wanted) and not problems, checks=len(wanted), problems=problems, hidden=hidden)


def _keyed(records: list[dict]) -> dict[tuple, list[dict]]:
    """Records by (check, kind, case, n-th time this check and case appear in the cell)."""
    seen: dict[tuple, int] = defaultdict(int)
    keyed: dict[tuple, list[dict]] = defaultdict(list)
    for record in records:
        if not isinstance(record, dict):
            continue
        base = (record.get("check"), record.get("kind"), record.get("case"))
        keyed[(*base, seen[base])].append(record)
        seen[base] += 1
    return dict(keyed)


def _label(ref: dict) -> str:
    case = f"hidden case {ref['case'] + 1}" if ref.get("hidden") else f"case {ref['case'] + 1}"
    return f"{ref['check']} ({case})" if ref["kind"] != "value" else str(ref["check"])


def _judge_one(ref: dict, record: dict, sources: list[str]) -> str | None:
    """What is wrong with one student record, or None."""
    if ref["kind"] == "source":
        return _judge_source(ref, sources)
    if _canonical(record.get("args")) != _canonical(ref.get("args")):
        return "reported for other inputs than the test gives"
    error = record.get("error")
    if ref["kind"] == "raises":
        wanted = ref["expected"]
        if isinstance(error, list) and wanted in error:
            return None
        if isinstance(error, list) and error:
            return f"expected {wanted} to be raised, but it raised {error[0]}"
        return f"expected {wanted} to be raised, but it returned a value"
    if error:
        name = error[0] if isinstance(error, list) and error else "an exception"
        return f"your code raised {name}"
    try:
        value = decode(record.get("value"))
    except Exception:  # noqa: BLE001 - a malformed record is a wrong answer, not a crash
        return "reported a value the grader cannot read"
    mismatch = compare(value, decode(ref["expected"]), rtol=ref["rtol"], atol=ref["atol"],
                       reveal=not ref.get("hidden"))
    if mismatch is None:
        return None
    return "; ".join(line.strip() for line in mismatch.lines())


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True)


def _judge_source(ref: dict, sources: list[str]) -> str | None:
    """Forbidden names are looked for in the submitted definition, not in what the kernel says."""
    name = ref["function"]
    definition = last_definition(sources, name)
    if definition is None:
        return f"no `def {name}` found in the notebook (the function must be defined with def)"
    found = forbidden_uses(definition, set(ref["expected"]))
    if found:
        return f"the code uses {', '.join(found)}, which this exercise asks you to do without"
    return None


def last_definition(sources: list[str], name: str) -> ast.FunctionDef | None:
    """The ``def name`` that is in force after all cells ran, or None if ``name`` was rebound."""
    found = None
    for source in sources:
        tree = _parsed(source)
        if tree is None:
            continue
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
                found = node
            elif _binds(node, name):
                found = None
    return found


@functools.lru_cache(maxsize=1024)
def _parsed(source: str) -> ast.Module | None:
    """A cell as Python sees it after IPython's transformations (magics), or None if it does not
    parse. Cached: every source check reads every cell, and most cells are alike across students."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return None


def _binds(node: ast.stmt, name: str) -> bool:
    targets = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        return any((alias.asname or alias.name.split(".")[0]) == name for alias in node.names)
    elif isinstance(node, ast.ClassDef):
        return node.name == name
    return any(isinstance(n, ast.Name) and n.id == name for t in targets for n in ast.walk(t))


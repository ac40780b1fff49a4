"""Hostile submissions of the A.2 notebook, graded by nbgrader as shipped and by this project.

Each attack starts from an honest submission — every answer right, or every answer wrong — and
adds something: a cell placed before the first test cell, files beside the notebook, an edit of
the notebook, or a file that is not a notebook at all. It must earn exactly what its honest
submission earns. ``python -m autograder.attacks`` (``make attacks``) grades them all both ways
and prints the table: attack | nbgrader as shipped | this project; tests/autograder/test_hostile.py
grades them this project's way and checks every score and every side effect.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .course import create_course, nbgrader, notebook_path, place_submission
from .grades import auto_scores
from .submissions import build_submission, scenario_module

ASSIGNMENT = "A2_calculus"
MARK = "ATTACK:"  # attack cells print "ATTACK: what happened", read back from the graded notebook
OUTSIDE = Path("/var/tmp/course-attack-outside")  # nothing may appear here (not /tmp: private)


@dataclass(frozen=True)
class Attack:
    name: str
    what: str
    honest: str  # the scenario whose points it must earn: "right" or "wrong"
    cell: str = ""  # code run just before the first test cell
    files: dict[str, str] = field(default_factory=dict)  # written beside the notebook
    edit: Callable | None = None  # changes the notebook in place
    raw: bytes | None = None  # the notebook file's whole content, instead of a notebook


def _test_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata["nbgrader"].get("solution")]


def _delete_tests(nb):
    nb.cells = [c for c in nb.cells if c not in _test_cells(nb)]


def _retype_tests(nb):
    for cell in _test_cells(nb):
        cell.cell_type = "markdown"
        cell.pop("outputs", None)
        cell.pop("execution_count", None)


def _empty_tests(nb):
    for cell in _test_cells(nb):
        cell.source = "print('✔ all checks passed')"


def _ungrade_tests(nb):
    for cell in _test_cells(nb):
        cell.metadata["nbgrader"].update(grade=False, locked=False, points=0)
        cell.source = "pass"


def _inflate_points(nb):
    for cell in _test_cells(nb):
        cell.metadata["nbgrader"]["points"] = 100
        cell.metadata["nbgrader"]["checksum"] = "0" * 32


def _rename_tests(nb):
    for i, cell in enumerate(_test_cells(nb)):
        cell.metadata["nbgrader"]["grade_id"] = f"renamed_{i}"
        cell.source = "pass"


def _code(text: str) -> str:
    return textwrap.dedent(text).strip()


def attacks(port: int = 9) -> list[Attack]:
    """Every attack; ``port`` is a TCP port on the grader's loopback that the network attack tries."""
    course = "../../.."  # from the kernel's folder, autograded/STUDENT/ASSIGNMENT
    tried = "except OSError as err:\n    print('{mark} {what}:', type(err).__name__)"

    def attempt(body: str, done: str, failed: str) -> str:
        return _code(body) + f"\n    print('{MARK} {done}')\n" + tried.format(mark=MARK, what=failed)

    return [
        Attack("infinite-loop", "infinite loop that ignores interrupts", "right", _code("""
            while True:
                try:
                    pass
                except KeyboardInterrupt:
                    pass""")),
        Attack("memory-bomb", "memory bomb", "right", _code(f"""
            chunks = []
            try:
                while True:
                    chunks.append(bytearray(2**28))
            except MemoryError:
                print('{MARK} MemoryError after', len(chunks) // 4, 'GiB')
            chunks = None""")),
        Attack("fork-bomb", "fork bomb (300 sleeping children at most)", "right", _code(f"""
            import os, time
            children = 0
            for _ in range(300):
                try:
                    pid = os.fork()
                except OSError:
                    print('{MARK} fork refused after', children, 'children')
                    break
                if pid == 0:
                    time.sleep(15)
                    os._exit(0)
                children += 1
            else:
                print('{MARK} forked', children, 'children')""")),
        Attack("output-flood", "100 MB of output", "right", _code("""
            import sys
            for _ in range(100):
                sys.stdout.write('x' * 1_000_000)""")),
        Attack("os-exit", "os._exit(1) in a cell", "right", "import os\nos._exit(1)"),
        Attack("sys-exit", "sys.exit() in a cell", "right", "import sys\nsys.exit(3)"),
        Attack("crash", "kernel crash (segfault)", "right", "import ctypes\nctypes.string_at(0)"),
        Attack("warning", "right answer that also warns on stderr", "right", _code("""
            import warnings
            _central_difference = central_difference  # the answer just above the first test cell
            def central_difference(*args):
                warnings.warn('harmless', RuntimeWarning)
                return _central_difference(*args)""")),
        Attack("shadow-numpy", "numpy.py beside the notebook", "right",
               files={"numpy.py": "raise ImportError('the shadow numpy.py was imported')\n"}),
        Attack("shadow-checks", "autograder/checks.py beside the notebook (fake helpers)", "wrong",
               files={"autograder/__init__.py": "", "autograder/checks.py": _code("""
                   def _ok(*args, **kwargs):
                       print('✔ all checks passed')
                   check_value = check_function = check_raises = check_source_avoids = _ok
                   """) + "\n"}),
        Attack("patch-numpy", "monkeypatched numpy (np.abs → 0)", "wrong", _code("""
            import numpy as np
            _zeros = np.zeros_like
            np.abs = lambda x: _zeros(np.real(x), dtype=float)""")),
        Attack("patch-builtins", "monkeypatched builtins (isinstance → True)", "wrong", _code("""
            import builtins
            builtins.isinstance = lambda obj, kind: True""")),
        Attack("patch-helpers", "replaced check helpers", "wrong", _code("""
            import autograder.compare
            autograder.compare.compare = lambda *args, **kwargs: None
            def check_function(*args, **kwargs):
                print('✔ all checks passed')
            check_value = check_function""")),
        Attack("swallow-errors", "IPython transformer that swallows every error", "wrong", _code("""
            import ast
            class Swallow(ast.NodeTransformer):
                def visit_Module(self, node):
                    handler = ast.ExceptHandler(type=ast.Name('BaseException', ast.Load()),
                                                name=None, body=[ast.Pass()])
                    node.body = [ast.Try(body=node.body or [ast.Pass()], handlers=[handler],
                                         orelse=[], finalbody=[])]
                    return ast.fix_missing_locations(node)
            get_ipython().ast_transformers.append(Swallow())""")),
        Attack("hide-tracebacks", "traceback display switched off", "wrong", _code("""
            get_ipython().showtraceback = lambda *args, **kwargs: None
            get_ipython().showsyntaxerror = lambda *args, **kwargs: None""")),
        Attack("eq-always-true", "answers whose __eq__ is always True", "wrong", _code("""
            import numpy as np
            class Anything(np.ndarray):
                def __eq__(self, other):
                    return True
            def _liar(*args, **kwargs):
                return np.zeros(3).view(Anything)
            central_difference = taylor_polynomial = numerical_gradient = _liar
            grad_f = max_gradient_error = numerical_hessian = _liar""")),
        Attack("fake-output", "prints fake success messages", "wrong", _code("""
            print('✔ central_difference: 7 checks passed')
            print('✔ judged by the grader: all 7 checks match the reference solution')""")),
        Attack("read-source", "reads source/ (solutions, hidden tests)", "wrong", attempt(f"""
            try:
                text = open('{course}/source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb').read()""",
            "read the solutions", "could not read source/")),
        Attack("read-gradebook", "reads the gradebook", "wrong", attempt(f"""
            try:
                data = open('{course}/gradebook.db', 'rb').read()""",
            "read the gradebook", "could not read the gradebook")),
        Attack("write-gradebook", "writes into the gradebook", "wrong", attempt(f"""
            try:
                with open('{course}/gradebook.db', 'r+b') as db:
                    db.seek(100)
                    db.write(b'hacked')""",
            "wrote into the gradebook", "could not write the gradebook")),
        Attack("write-other-student", "writes into another student's folder", "wrong", attempt(f"""
            try:
                open('{course}/submitted/canary/{ASSIGNMENT}/{ASSIGNMENT}.ipynb', 'a').write(' ')""",
            "changed the submission of canary", "could not write to canary")),
        Attack("write-outside", f"writes {OUTSIDE}", "right", attempt(f"""
            try:
                open({str(OUTSIDE)!r}, 'w').write('x')""",
            "wrote outside the course", "could not write outside")),
        Attack("network", "opens a network connection", "right", attempt(f"""
            import socket
            try:
                socket.create_connection(('127.0.0.1', {port}), timeout=3).close()""",
            "connected to the grader machine", "no connection")),
        Attack("deleted-tests", "deleted test cells", "wrong", edit=_delete_tests),
        Attack("deleted-tests-right", "deleted test cells, right answers", "right", edit=_delete_tests),
        Attack("renamed-tests-right", "grade ids renamed, right answers", "right", edit=_rename_tests),
        Attack("retyped-tests", "test cells retyped as markdown", "wrong", edit=_retype_tests),
        Attack("edited-tests", "test cells edited to print success", "wrong", edit=_empty_tests),
        Attack("ungraded-tests", "nbgrader metadata: test cells made ungraded", "wrong", edit=_ungrade_tests),
        Attack("renamed-tests", "nbgrader metadata: grade ids renamed", "wrong", edit=_rename_tests),
        Attack("inflated-points", "nbgrader metadata: points and checksums edited", "wrong",
               edit=_inflate_points),
        Attack("corrupt-json", "corrupted JSON", "wrong", raw=b'{"cells": [ {"cell_type": '),
        Attack("empty-file", "an empty file", "wrong", raw=b""),
        Attack("not-a-notebook", "a file that is not a notebook", "wrong",
               raw=b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
    ]


# --- building the class -------------------------------------------------------------------------


def build_class(root: Path, chosen: list[Attack]) -> Path:
    """A course with the honest submissions, a canary, and one student per attack."""
    course = create_course(root)
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    module = scenario_module(ASSIGNMENT)
    release = nbformat.read(notebook_path(course, "notebooks", ASSIGNMENT), as_version=4)
    source = nbformat.read(notebook_path(course, "source", ASSIGNMENT), as_version=4)
    honest = {s.name: build_submission(release, source, s, module.MISTAKES)
              for s in module.SCENARIOS if s.name in ("right", "wrong")}
    scratch = root / "scratch"
    scratch.mkdir()
    for student, nb in [("honest-right", honest["right"]), ("honest-wrong", honest["wrong"]),
                        ("canary", honest["right"])]:
        nbformat.write(nb, scratch / f"{student}.ipynb")
        place_submission(course, student, ASSIGNMENT, scratch / f"{student}.ipynb")
    for attack in chosen:
        path = scratch / f"{attack.name}.ipynb"
        if attack.raw is not None:
            path.write_bytes(attack.raw)
        else:
            nb = copy.deepcopy(honest[attack.honest])
            if attack.cell:
                first_test = nb.cells.index(_test_cells(nb)[0])
                nb.cells.insert(first_test, nbformat.v4.new_code_cell(attack.cell))
            if attack.edit:
                attack.edit(nb)
            nbformat.write(nb, path)
        place_submission(course, attack.name, ASSIGNMENT, path)
        for name, text in attack.files.items():
            target = course / "submitted" / attack.name / ASSIGNMENT / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
    shutil.rmtree(scratch)
    return course


def snapshot(course: Path) -> dict[str, str]:
    """Hashes of the files grading must not change: all but its own outputs."""
    skip = {"autograded", "feedback", ".course-reference"}
    found = {}
    for path in sorted(course.rglob("*")):
        rel = path.relative_to(course)
        if path.is_file() and rel.parts[0] not in skip and not rel.name.startswith("gradebook.db") \
                and not rel.name.endswith(".csv"):
            found[str(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
    # Grading writes the gradebook itself; what must not be in it is the attacker's bytes.
    found["gradebook.db tampered"] = str(b"hacked" in (course / "gradebook.db").read_bytes())
    return found


def observations(course: Path, student: str) -> list[str]:
    """What the attack cell printed, read from the graded notebook."""
    path = course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return []
    seen = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for line in str(output.get("text", "")).splitlines():
                if line.startswith(MARK):
                    seen.append(line[len(MARK):].strip())
    return seen


class Listener:
    """A TCP server on the grader's loopback that counts connections (for the network attack)."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.port = self.server.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self):
        self.server.close()


# --- grading both ways --------------------------------------------------------------------------


def grade_ours(course: Path, *, timeout: int = 10, jobs: int = 2) -> dict[str, float | None]:
    from .batch import GRADED, grade

    summary = grade(course, assignments=[ASSIGNMENT], jobs=jobs, feedback=False,
                    extra_config={"Execute": {"timeout": timeout}})
    return {o.submission.student: total(course, o.submission.student) if o.status == GRADED else None
            for o in summary.outcomes}


def total(course: Path, student: str) -> float | None:
    """A student's autograded points, or None when nothing was graded."""
    cells = auto_scores(course, ASSIGNMENT).get(student)
    return None if cells is None else sum(v or 0 for v in cells.values())


def grade_as_shipped(course: Path, students: list[str], listener: Listener, *, timeout: int = 10,
                     wall: int = 120) -> tuple[dict, dict]:
    """Plain `nbgrader autograde` with nbgrader's own pipeline, one student at a time, each bounded
    in time and memory so that the worst attacks cannot take the machine down with them.

    Returns (scores, effects): a score is points, None, or what went wrong; effects are what each
    student's grading changed (files, the outside file, connections to the listener).
    """
    config = course / "nbgrader_config.py"
    config.write_text("c = get_config()  # noqa: F821\nc.CourseDirectory.course_id = 'd2l-math'\n"
                      "c.CourseDirectory.release_directory = 'notebooks'\n"
                      f"c.Execute.timeout = {timeout}\n")
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    scores: dict = {}
    effects: dict = {}
    # As shipped, the gradebook attack corrupts the gradebook, and every later run fails: last.
    for student in sorted(students, key=lambda name: name == "write-gradebook"):
        watch = Watch(course, listener)
        command = ["prlimit", f"--as={8 * 2**30}", "--", sys.executable, "-m", "nbgrader", "autograde",
                   ASSIGNMENT, f"--student={student}", "--force"]
        try:
            subprocess.run(command, cwd=course, env=env, capture_output=True, timeout=wall)
        except subprocess.TimeoutExpired:
            subprocess.run(["pkill", "-f", f"--student={student}"], check=False)
            scores[student] = f"hung: stopped after {wall} s"
        else:
            try:
                scores[student] = total(course, student)
            except Exception as err:  # noqa: BLE001 - an attack may have corrupted the gradebook
                scores[student] = f"gradebook unreadable afterwards ({type(err).__name__})"
        effects[student] = watch.done()
    return scores, effects


class Watch:
    """What grading changes: files outside its own output, the outside file, connections made."""

    def __init__(self, course: Path, listener: Listener):
        OUTSIDE.unlink(missing_ok=True)
        self.course, self.listener = course, listener
        self.before, self.connections = snapshot(course), listener.connections

    def done(self) -> dict:
        after = snapshot(self.course)
        effects = dict(changed=sorted(k for k in self.before if self.before[k] != after.get(k)),
                       outside=OUTSIDE.exists(), connections=self.listener.connections - self.connections)
        OUTSIDE.unlink(missing_ok=True)
        return effects


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="attack names (default: all)")
    args = parser.parse_args(argv)
    listener = Listener()
    chosen = [a for a in attacks(listener.port) if not args.only or a.name in args.only]
    students = ["honest-right", "honest-wrong", "canary", *[a.name for a in chosen]]
    with tempfile.TemporaryDirectory(prefix="course-attacks-") as tmp:
        ours_course = build_class(Path(tmp) / "ours", chosen)
        shipped_course = Path(shutil.copytree(ours_course, Path(tmp) / "shipped"))
        print("grading with nbgrader as shipped, one student at a time …", flush=True)
        started = time.perf_counter()
        shipped, shipped_effects = grade_as_shipped(shipped_course, students, listener)
        shipped_seconds = time.perf_counter() - started
        print("grading with this project's set-up (course-grade) …", flush=True)
        started = time.perf_counter()
        watch = Watch(ours_course, listener)
        ours = grade_ours(ours_course)
        whole_run = watch.done()  # a batch: what changed is the whole run's
        ours_seconds = time.perf_counter() - started
        rows = [(attack.what,
                 _describe(attack, shipped, shipped_effects[attack.name], shipped_course),
                 _describe(attack, ours, whole_run, ours_course)) for attack in chosen]
        rows.append(("(the canary, an honest right submission)", _points(shipped.get("canary"), 13),
                     _points(ours.get("canary"), 13)))
    listener.close()
    width = max(len(r[0]) for r in rows)
    print(f"\n| {'attack':<{width}} | nbgrader as shipped | this project |")
    print(f"|{'-' * (width + 2)}|---|---|")
    for what, as_shipped, this_project in rows:
        print(f"| {what:<{width}} | {as_shipped} | {this_project} |")
    print(f"\nhonest submissions: right {_points(ours.get('honest-right'), 13)}, "
          f"wrong {_points(ours.get('honest-wrong'), 0)}; files changed by this project's whole run: "
          f"{', '.join(whole_run['changed']) or 'none'}")
    print(f"grading time: nbgrader as shipped {shipped_seconds:.0f} s (one student at a time, hangs "
          f"stopped after 120 s), this project {ours_seconds:.0f} s (course-grade, 2 workers)")
    return 0


def _points(score, honest) -> str:
    if isinstance(score, str):
        return score
    if score is None:
        return "not graded"
    return f"{score:g} pts" + (" (honest)" if score == honest else f" (honest: {honest:g})")


def _describe(attack: Attack, scores: dict, effects: dict, course: Path) -> str:
    honest = scores.get(f"honest-{attack.honest}")
    score = scores.get(attack.name)
    text = "not graded, reported as failed" if score is None else _points(score, honest)
    extra = observations(course, attack.name)
    changed = [k.replace(" tampered", "") for k in effects["changed"]]
    if changed:
        extra.append("changed " + ", ".join(changed))
    if effects["outside"]:
        extra.append(f"wrote {OUTSIDE}")
    if effects["connections"]:
        extra.append(f"{effects['connections']} connection(s) reached the grader machine")
    return text + (f" — {'; '.join(extra)}" if extra else "")


if __name__ == "__main__":
    sys.exit(main())

"""Hostile submissions of the A.2 (and A.1) notebooks, graded by nbgrader as shipped and by this project.

Each attack starts from an honest submission — every answer right, or every answer wrong — and
adds something: a cell placed before the first test cell or at the end, files, links, hard links
or pipes beside the notebook, an edit of the notebook, or a file that is not a notebook at all. It
must earn exactly what its honest submission earns, and its autograded and feedback folders must
hold nothing it was not given: no solutions, gradebook, file from elsewhere on the machine, and no
hidden test (:func:`leaks`). ``python -m autograder.devtools.attacks`` (``make attacks``) grades them
all both ways and prints the table: attack | nbgrader as shipped | this project;
tests/grading/test_hostile.py grades them this project's way and checks every score and every side
effect.
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

from autograder.devtools.course import create_course, nbgrader, notebook_path, place_submission
from autograder.devtools.submissions import build_submission, scenario_module
from autograder.grading.grades import auto_scores

ASSIGNMENT = "A2_calculus"
A1 = "A1_linear_algebra"

def _right_total(assignment: str) -> float:
    return sum(next(s for s in scenario_module(assignment).SCENARIOS if s.name == "right").expected.values())


HONEST = {a: _right_total(a) for a in (ASSIGNMENT, A1)}  # what an honest right submission earns
MARK = "ATTACK:"  # attack cells print "ATTACK: what happened", read back from the graded notebook
OUTSIDE = Path("/var/tmp/course-attack-outside")  # nothing may appear here (not /tmp: private)
SECRET = Path("/var/tmp/course-attack-secret")  # a file elsewhere on the machine, for links to it
SECRET_TEXT = "SECRET-OF-THE-GRADING-MACHINE"
HIDDEN_MARK = b"BEGIN HIDDEN TESTS"  # opens each hidden region; neither release nor feedback may show it


@dataclass(frozen=True)
class Attack:
    name: str
    what: str
    honest: str  # the scenario whose points it must earn: "right" or "wrong"
    cell: str = ""  # code run just before the first test cell
    files: dict[str, str] = field(default_factory=dict)  # written beside the notebook
    edit: Callable | None = None  # changes the notebook in place
    raw: bytes | None = None  # the notebook file's whole content, instead of a notebook
    assignment: str = ASSIGNMENT
    links: dict[str, str] = field(default_factory=dict)  # name -> target ({course} = the course folder)
    hard_links: dict[str, str] = field(default_factory=dict)  # name -> a file, relative to the course
    fifos: tuple[str, ...] = ()
    late_cell: str = ""  # code run after the last cell
    answers: dict[str, str] = field(default_factory=dict)  # solution grade id -> the student's code
    refused: bool = False  # the submission cannot be graded: reported as failed, by name
    tampering: bool = False  # uses what can change the tests' reports: earns what honest wrong earns

    @property
    def baseline(self) -> str:
        """The honest student whose points this attack must earn."""
        return "honest-wrong" if self.tampering else f"honest-{self.honest}"


def _test_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata["nbgrader"].get("solution")]


def _old_import_lines(nb):
    """The import lines of a release fetched before the package had learner/ (same modules)."""
    for cell in nb.cells:
        cell.source = cell.source.replace("from autograder.learner.", "from autograder.")


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
            import numpy as np
            chunks = []
            try:
                while True:  # 256 MiB at a time, untouched: the address-space limit, not the page faults
                    chunks.append(np.empty(2**28, dtype=np.uint8))
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
        Attack("crash", "kernel crash (segfault)", "right",
               "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)"),
        Attack("warning", "right answer that also warns on stderr", "right", _code("""
            import warnings
            _central_difference = central_difference  # the answer just above the first test cell
            def central_difference(*args):
                warnings.warn('harmless', RuntimeWarning)
                return _central_difference(*args)""")),
        Attack("shadow-numpy", "numpy.py beside the notebook", "right",
               files={"numpy.py": "raise ImportError('the shadow numpy.py was imported')\n"}),
        Attack("shadow-checks", "autograder/learner/checks.py beside the notebook (fake helpers)", "wrong",
               files={"autograder/__init__.py": "", "autograder/learner/__init__.py": "",
                      "autograder/learner/checks.py": _code("""
                   def _ok(*args, **kwargs):
                       print('✔ all checks passed')
                   check_value = check_function = check_raises = check_same = _ok
                   check_source_avoids = check_source_uses_only = hint = progress = solution = _ok
                   """) + "\n"}),
        Attack("patch-numpy", "monkeypatched numpy (np.abs → 0)", "wrong", _code("""
            import numpy as np
            _zeros = np.zeros_like
            np.abs = lambda x: _zeros(np.real(x), dtype=float)""")),
        Attack("patch-builtins", "monkeypatched builtins (isinstance → True)", "wrong", _code("""
            import builtins
            builtins.isinstance = lambda obj, kind: True""")),
        Attack("patch-helpers", "replaced check helpers", "wrong", _code("""
            import autograder.learner.compare
            autograder.learner.compare.compare = lambda *args, **kwargs: None
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
        Attack("read-graded-notebook", "reads the notebook being graded, hidden tests included, from "
               "its own folder", "wrong", attempt("""
            import glob
            try:
                found = [p for p in glob.glob('**/*.ipynb', recursive=True)
                         if 'BEGIN HIDDEN' + ' TESTS' in open(p).read()]
                if not found:
                    raise FileNotFoundError(found)""",
            "read the hidden tests beside it", "could not find the hidden tests beside it")),
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
        Attack("old-import-lines", "right answers, the import lines of an earlier release", "right",
               edit=_old_import_lines),
        Attack("deleted-tests", "deleted test cells", "wrong", edit=_delete_tests),
        Attack("deleted-tests-right", "deleted test cells, right answers", "right", edit=_delete_tests),
        Attack("renamed-tests-right", "grade ids renamed, right answers", "right", edit=_rename_tests),
        Attack("retyped-tests", "test cells retyped as markdown", "wrong", edit=_retype_tests),
        Attack("edited-tests", "test cells edited to print success", "wrong", edit=_empty_tests),
        Attack("ungraded-tests", "nbgrader metadata: test cells made ungraded", "wrong", edit=_ungrade_tests),
        Attack("renamed-tests", "nbgrader metadata: grade ids renamed", "wrong", edit=_rename_tests),
        Attack("inflated-points", "nbgrader metadata: points and checksums edited", "wrong",
               edit=_inflate_points),
        Attack("corrupt-json", "corrupted JSON", "wrong", raw=b'{"cells": [ {"cell_type": ', refused=True),
        Attack("empty-file", "an empty file", "wrong", raw=b"", refused=True),
        Attack("not-a-notebook", "a file that is not a notebook", "wrong",
               raw=b"\x89PNG\r\n\x1a\n" + b"\0" * 64, refused=True),
        *link_attacks(),
        *resource_attacks(),
        *hidden_test_attacks(),
        *report_attacks(),
        *source_check_attacks(),
        *red_team_attacks(),
    ]


SOLUTIONS = f"{{course}}/source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
# Runs the reference solution's cells from a notebook beside the submission, if it can read one.
RUN_SOLUTIONS = _code(f"""
    import json
    try:
        cells = json.load(open('solutions.json'))['cells']
        for cell in cells:
            if cell['cell_type'] == 'code' and 'BEGIN ' + 'SOLUTION' in ''.join(cell['source']):
                exec(''.join(cell['source']))
        print('{MARK} ran the solutions')
    except Exception as err:
        print('{MARK} could not read the solutions:', type(err).__name__)""")
READ_SECRET = _code(f"""
    try:
        print('{MARK} read', open('secret.txt').read()[:40])
    except Exception as err:
        print('{MARK} could not read secret.txt:', type(err).__name__)""")


def link_attacks() -> list[Attack]:
    """Links, hard links and pipes in the submission folder (nbgrader copies through links)."""
    return [
        Attack("link-solutions", "link to the source notebook, its solutions run", "wrong", RUN_SOLUTIONS,
               links={"solutions.json": SOLUTIONS}),
        Attack("link-relative", "relative link to the source notebook", "wrong", RUN_SOLUTIONS,
               links={"solutions.json": f"../../../source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"}),
        Attack("link-gradebook", "link to the gradebook", "wrong",
               links={"gradebook.db": "{course}/gradebook.db"}),
        Attack("link-outside", f"link to {SECRET} (a file elsewhere)", "wrong", READ_SECRET,
               links={"secret.txt": str(SECRET)}),
        Attack("link-folder", "link to the course folder", "wrong", _code(f"""
            import os
            try:
                print('{MARK} listed', len(os.listdir('course/source')), 'assignments')
            except OSError as err:
                print('{MARK} could not list course/source:', type(err).__name__)"""),
               links={"course": "{course}"}),
        Attack("link-notebook", "the notebook itself a link to the source notebook", "wrong",
               links={f"{ASSIGNMENT}.ipynb": SOLUTIONS}, refused=True),
        Attack("hard-link-solutions", "hard link to the source notebook, its solutions run", "wrong",
               RUN_SOLUTIONS, hard_links={"solutions.json": f"source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"}),
        Attack("fifo", "a named pipe beside the notebook", "right", fifos=("pipe",)),
        Attack("link-dev-zero", "link to /dev/zero", "right", links={"zeros.bin": "/dev/zero"}),
    ]


def resource_attacks() -> list[Attack]:
    return [
        Attack("disk-fill", "writes 1 GB into its working folder", "right", _code(f"""
            written = 0
            try:
                for i in range(64):
                    with open(f'fill{{i}}.bin', 'wb') as f:
                        f.write(b'x' * 16_000_000)
                    written += 16
                print('{MARK} wrote', written, 'MB')
            except OSError as err:
                print('{MARK} stopped after', written, 'MB:', err.strerror)""")),
        Attack("tmp-fill", "writes 1 GB into /tmp", "right", _code(f"""
            import os, tempfile
            written = 0
            try:
                for i in range(64):
                    with open(os.path.join(tempfile.gettempdir(), f'fill{{i}}.bin'), 'wb') as f:
                        f.write(b'x' * 16_000_000)
                    written += 16
                print('{MARK} wrote', written, 'MB')
            except OSError as err:
                print('{MARK} stopped after', written, 'MB:', err.strerror)
            finally:
                for i in range(64):
                    try:
                        os.remove(os.path.join(tempfile.gettempdir(), f'fill{{i}}.bin'))
                    except OSError:
                        pass""")),
        Attack("proc-cmdline", "reads /proc/1/cmdline (host paths)", "right", _code(f"""
            text = open('/proc/1/cmdline', 'rb').read().replace(bytes(1), b' ').decode()
            print('{MARK} /proc/1/cmdline lists mounts:', '--ro-bind' in text or '--bind' in text)""")),
    ]


# A right central_difference that, when the tests call it, looks at what called it.
_SPY = """
{imports}
_central_difference = central_difference
_seen = []
def central_difference(*args):
    {body}
    return _central_difference(*args)
"""


def _spy(name: str, what: str, body: str, *, imports: str = "", late: str = "", tampering=False) -> Attack:
    code = _SPY.format(imports=imports, body=textwrap.indent(_code(body), "    ").strip())
    return Attack(name, what, "right", _code(code), late_cell=late, tampering=tampering)


def hidden_test_attacks() -> list[Attack]:
    """Ways a student's code can see a hidden test's text or inputs, and pass them to feedback."""
    return [
        _spy("hidden-linecache", "prints the calling cell's source (frames + linecache)", """
            frame = sys._getframe(1)
            while frame is not None:  # up to the first frame that is a notebook cell, not a module
                lines = linecache.getlines(frame.f_code.co_filename)
                if lines and 'ipykernel' in frame.f_code.co_filename:
                    print(''.join(lines))
                    break
                frame = frame.f_back""", imports="import linecache, sys", tampering=True),
        _spy("hidden-inspect", "prints the calling frames' code (inspect.stack)", """
            for info in inspect.stack(context=40)[1:4]:
                print(''.join(info.code_context or []))""", imports="import inspect", tampering=True),
        _spy("hidden-history", "prints IPython's In, Out and history", """
            shell = get_ipython()
            print(shell.user_ns.get('In', [''])[-1])
            print(list(shell.history_manager.input_hist_raw)[-1:])""", tampering=True),
        _spy("hidden-user-ns", "prints its own arguments", "print(repr(args))"),
        _spy("hidden-stash", "keeps its arguments and prints them at the end", "_seen.append(repr(args))",
             late="print(_seen)"),
        Attack("hidden-return", "returns its arguments as the answer", "wrong", _code("""
            def central_difference(*args):
                return repr(args)""")),
        Attack("hidden-exception-name", "raises an exception named after its arguments", "wrong", _code("""
            def central_difference(*args):
                raise type('E' + repr(args).replace(' ', ''), (Exception,), {})()""")),
    ]


def report_attacks() -> list[Attack]:
    """Malformed records in the check report, written while the tests call the student's code."""
    return [
        Attack("report-garbage", "malformed check records (lists as ids, 200,000 '[', bad UTF-8)", "right",
               _code(r"""
            import json, os
            _central_difference = central_difference
            def central_difference(*args):
                path = os.environ.get('COURSE_CHECK_REPORT')
                if path:
                    with open(path, 'ab') as report:
                        for record in ({'check': 'no_such_check', 'kind': 'call', 'case': [0]},
                                       {'check': ['central_difference'], 'kind': {}, 'args': 1e400}):
                            report.write(json.dumps(record).encode() + b'\n')
                        report.write(b'[' * 200_000 + b'\n' + b'\xff\xfe{"check"\n' + b'{"case": [[]]}\n')
                return _central_difference(*args)""")),
    ]


def _malformed_metadata(nb):
    tests = _test_cells(nb)
    tests[0].metadata["nbgrader"]["grade_id"] = ["test_central_difference"]
    tests[1].metadata["nbgrader"] = "oops"


def red_team_attacks() -> list[Attack]:
    """What an independent red team found after the round-two fixes, kept as regressions."""
    return [
        Attack("helper-wrapper", "check helpers wrapped to call the real ones with np.outer, np.matmul",
               "wrong", _code("""
            from autograder.learner.checks import check_function as _real_check_function
            _library = {"outer_product": np.multiply.outer, "matmul_by_definition": np.matmul}
            def check_function(name, func, **kwargs):
                _real_check_function(name, _library.get(name, func), **kwargs)"""), assignment=A1),
        Attack("display-update", "hidden inputs written into an earlier cell's display", "right", _code("""
            from IPython.display import display
            _handle = display('placeholder', display_id=True)
            _central_difference = central_difference
            _seen = []
            def central_difference(*args):
                _seen.append(repr(args))
                _handle.update(' | '.join(_seen))
                return _central_difference(*args)""")),
        Attack("display-flood", "25 MB through display updates (past the output limit)", "right", _code("""
            from IPython.display import display
            _handles = [display('small', display_id=True) for _ in range(5)]"""),
               late_cell="for _h in _handles:\n    _h.update('Y' * 5_000_000)"),
        Attack("exception-channel", "a builtin exception chosen by the hidden input", "wrong", _code("""
            def central_difference(f, x, h=1e-5):
                raise {'t': KeyError, 'l': LookupError}.get(str(f)[8:9], ValueError)()""")),
        Attack("stderr-flood", "writes 20 MB and a fake summary to file descriptor 2", "right", _code("""
            import os
            os.write(2, b'\\nSUMMARY: graded 1, failed 0 (FORGED BY STUDENT)\\n')
            for _ in range(20):
                os.write(2, b'E' * 1_000_000)""")),
        Attack("replay-bomb", "a slow cell, then eight cells that kill the kernel", "right",
               "import time\ntime.sleep(2)", late_cell="import os\nos._exit(1)",
               edit=lambda nb: nb.cells.extend(copy.deepcopy(nb.cells[-1:]) * 7)),
        Attack("malformed-message", "a stream message without text (via IPython's kernel)", "wrong",
               _code("""
            _k = get_ipython().kernel
            _k.session.send(_k.iopub_socket, 'stream', {'name': 'stdout'},
                            parent=_k.get_parent('shell'))""")),
        Attack("malformed-metadata", "nbgrader metadata a list and a string", "right",
               edit=_malformed_metadata),
    ]


_A1_ALLOWED = ("def outer_product(a, b):\n    return np.reshape(a, (-1, 1)) * np.reshape(b, (1, -1))\n")


def _outer(name: str, what: str, bypass: str, *, after_allowed: bool = True) -> Attack:
    """An A.1 submission, every answer wrong except outer_product, which uses np.outer in a way
    a check of the top-level def alone would not see (after an allowed def, or alone)."""
    answer = (_A1_ALLOWED if after_allowed else "") + _code(bypass) + "\n"
    return Attack(name, what, "wrong", assignment=A1, answers={"outer_product": answer})


def source_check_attacks() -> list[Attack]:
    """A.1's "no @, dot, outer" rule, bypassed by binding the function where a check of top-level
    definitions does not look."""
    return [
        _outer("source-nested-def", "no-np.outer rule: def inside `if True:`", """
            if True:
                def outer_product(a, b):
                    return np.outer(a, b)"""),
        _outer("source-exec", "no-np.outer rule: def through exec", """
            exec("def outer_product(a, b):\\n    return np.outer(a, b)")"""),
        _outer("source-lambda", "no-np.outer rule: a lambda assigned", """
            outer_product = lambda a, b: np.outer(a, b)"""),
        _outer("source-globals", "no-np.outer rule: globals()[...]", """
            globals()['outer_product'] = np.outer"""),
        _outer("source-decorator", "no-np.outer rule: a decorator that swaps the function", """
            def _swap(f):
                return np.outer
            @_swap
            def outer_product(a, b):
                return np.reshape(a, (-1, 1)) * np.reshape(b, (1, -1))""", after_allowed=False),
        _outer("source-helper", "no-np.outer rule: the def calls a helper that uses it", """
            def _helper(a, b):
                return np.outer(a, b)
            def outer_product(a, b):
                return _helper(a, b)""", after_allowed=False),
    ]


# --- building the class -------------------------------------------------------------------------


def build_class(root: Path, chosen: list[Attack]) -> Path:
    """A course with the honest submissions and a canary (for each assignment attacked), and one
    student per attack."""
    course = create_course(root)
    SECRET.write_text(SECRET_TEXT)
    scratch = root / "scratch"
    scratch.mkdir()
    used = sorted({a.assignment for a in chosen} | {ASSIGNMENT})
    honest: dict[str, dict] = {}
    for assignment in used:
        nbgrader(course, "generate_assignment", assignment)
        module = scenario_module(assignment)
        release = nbformat.read(notebook_path(course, "notebooks", assignment), as_version=4)
        source = nbformat.read(notebook_path(course, "source", assignment), as_version=4)
        honest[assignment] = {s.name: build_submission(release, source, s, module.MISTAKES)
                              for s in module.SCENARIOS if s.name in ("right", "wrong")}
        mine = honest[assignment]
        for student, nb in [("honest-right", mine["right"]), ("honest-wrong", mine["wrong"]),
                            ("canary", mine["right"])]:
            nbformat.write(nb, scratch / f"{student}.ipynb")
            place_submission(course, student, assignment, scratch / f"{student}.ipynb")
    for attack in chosen:
        path = scratch / f"{attack.name}.ipynb"
        if attack.raw is not None:
            path.write_bytes(attack.raw)
        else:
            nbformat.write(_attacked(copy.deepcopy(honest[attack.assignment][attack.honest]), attack), path)
        place_submission(course, attack.name, attack.assignment, path)
        folder = course / "submitted" / attack.name / attack.assignment
        for name, text in attack.files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text)
        for name, target in attack.links.items():
            (folder / name).unlink(missing_ok=True)
            os.symlink(target.format(course=course), folder / name)
        for name, target in attack.hard_links.items():
            os.link(course / target, folder / name)
        for name in attack.fifos:
            os.mkfifo(folder / name)
    shutil.rmtree(scratch)
    return course


def _attacked(nb, attack: Attack):
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in attack.answers and cell.metadata["nbgrader"].get("solution"):
            cell.source = attack.answers[grade_id]
    if attack.cell:
        first_test = nb.cells.index(_test_cells(nb)[0])
        nb.cells.insert(first_test, nbformat.v4.new_code_cell(attack.cell))
    if attack.late_cell:
        nb.cells.append(nbformat.v4.new_code_cell(attack.late_cell))
    if attack.edit:
        attack.edit(nb)
    return nb


def snapshot(course: Path) -> dict[str, str]:
    """Hashes of the files grading must not change: all but its own outputs."""
    skip = {"autograded", "feedback", ".course-reference", "quarantine"}
    found = {}
    for path in sorted(course.rglob("*")):
        rel = path.relative_to(course)
        if rel.parts[0] in skip or rel.name.startswith("gradebook.db") or rel.name.endswith(".csv"):
            continue
        hard_link = rel.parts[0] == "submitted" and path.is_file() and path.stat().st_nlink > 1
        if path.is_symlink() or not path.is_file() or hard_link:
            continue  # links, pipes and hard links in submissions are moved to quarantine/ by design
        found[str(rel)] = hashlib.sha256(path.read_bytes()).hexdigest()
    # Grading writes the gradebook itself; what must not be in it is the attacker's bytes.
    found["gradebook.db tampered"] = str(b"hacked" in (course / "gradebook.db").read_bytes())
    return found


def observations(course: Path, student: str, assignment: str = ASSIGNMENT) -> list[str]:
    """What the attack cell printed (and the grader's notes), read from the graded notebook."""
    path = course / "autograded" / student / assignment / f"{assignment}.ipynb"
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
                elif line.startswith("[disk quota exceeded"):
                    seen.append("disk quota exceeded")
    return seen


def leaks(course: Path, student: str, assignment: str = ASSIGNMENT) -> list[str]:
    """What the student's autograded and feedback folders hold that the student was never given."""
    found = []
    for step in ("autograded", "feedback"):
        folder = course / step / student / assignment
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_symlink() or not path.is_file() or path.stat().st_size > 50_000_000:
                continue
            data = path.read_bytes()
            rel = f"{step}/{path.relative_to(folder)}"
            if b"BEGIN SOLUTION" in data:
                found.append(f"the solutions in {rel}")
            if data.startswith(b"SQLite format 3"):
                found.append(f"a copy of the gradebook in {rel}")
            if SECRET_TEXT.encode() in data:
                found.append(f"the outside file in {rel}")
            if step == "feedback" and path.suffix == ".html" and HIDDEN_MARK in data:
                found.append(f"the hidden tests in {rel}")
    return found


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


def grade_ours(course: Path, *, timeout: int = 10, jobs: int = 2) -> dict[tuple[str, str], float | None]:
    """(student, assignment) -> points, graded by course-grade with feedback (None: not graded)."""
    from autograder.grading.batch import GRADED, grade

    assignments = sorted(p.name for p in (course / "submitted" / "canary").iterdir())
    summary = grade(course, assignments=assignments, jobs=jobs, feedback=True,
                    extra_config={"Execute": {"timeout": timeout}})
    return {(o.submission.student, o.submission.assignment):
            total(course, o.submission.student, o.submission.assignment) if o.status == GRADED else None
            for o in summary.outcomes}


def total(course: Path, student: str, assignment: str = ASSIGNMENT) -> float | None:
    """A student's autograded points, or None when nothing was graded."""
    cells = auto_scores(course, assignment).get(student)
    return None if cells is None else sum(v or 0 for v in cells.values())


def grade_as_shipped(course: Path, students: list[tuple[str, str]], listener: Listener, *, timeout: int = 10,
                     wall: int = 120) -> tuple[dict, dict]:
    """Plain `nbgrader autograde` and `generate_feedback` with nbgrader's own pipeline, one student
    at a time, each bounded in time, memory and file size so that the worst attacks cannot take
    the machine down with them.

    Returns (scores, effects) by (student, assignment): a score is points, None, or what went
    wrong; effects are what each student's grading changed (files, the outside file, connections).
    """
    config = course / "nbgrader_config.py"
    config.write_text("c = get_config()  # noqa: F821\nc.CourseDirectory.course_id = 'd2l-math'\n"
                      "c.CourseDirectory.release_directory = 'notebooks'\n"
                      f"c.Execute.timeout = {timeout}\n")
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    scores: dict = {}
    effects: dict = {}
    # As shipped, the gradebook attack corrupts the gradebook, and every later run fails: last.
    for student, assignment in sorted(students, key=lambda key: key[0] == "write-gradebook"):
        watch = Watch(course, listener)
        limits = ["prlimit", f"--as={8 * 2**30}", f"--fsize={2**30}", "--"]
        try:
            for step in ("autograde", "generate_feedback"):
                command = [*limits, sys.executable, "-m", "nbgrader", step, assignment,
                           f"--student={student}", "--force"]
                subprocess.run(command, cwd=course, env=env, capture_output=True, timeout=wall)
        except subprocess.TimeoutExpired:
            subprocess.run(["pkill", "-f", f"--student={student}"], check=False)
            scores[student, assignment] = f"hung: stopped after {wall} s"
        else:
            try:
                scores[student, assignment] = total(course, student, assignment)
            except Exception as err:  # noqa: BLE001 - an attack may have corrupted the gradebook
                scores[student, assignment] = f"gradebook unreadable afterwards ({type(err).__name__})"
        effects[student, assignment] = watch.done()
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
    parser.add_argument("--skip-shipped", action="store_true",
                        help="grade only this project's way (its column of the table)")
    args = parser.parse_args(argv)
    listener = Listener()
    chosen = [a for a in attacks(listener.port) if not args.only or a.name in args.only]
    assignments = sorted({a.assignment for a in chosen} | {ASSIGNMENT})
    students = [(s, a) for a in assignments for s in ("honest-right", "honest-wrong", "canary")]
    students += [(a.name, a.assignment) for a in chosen]
    with tempfile.TemporaryDirectory(prefix="course-attacks-") as tmp:
        ours_course = build_class(Path(tmp) / "ours", chosen)
        pipes = shutil.ignore_patterns(*{name for a in chosen for name in a.fifos})
        shipped_course = Path(shutil.copytree(ours_course, Path(tmp) / "shipped", symlinks=True,
                                              ignore=pipes))
        _relink(chosen, ours_course, shipped_course)
        print("grading with nbgrader as shipped, one student at a time …", flush=True)
        started = time.perf_counter()
        shipped, shipped_effects = ({}, {key: Watch(shipped_course, listener).done() for key in students}) \
            if args.skip_shipped else grade_as_shipped(shipped_course, students, listener)
        shipped_seconds = time.perf_counter() - started
        print("grading with this project's set-up (course-grade) …", flush=True)
        started = time.perf_counter()
        watch = Watch(ours_course, listener)
        ours = grade_ours(ours_course)
        whole_run = watch.done()  # a batch: what changed is the whole run's
        ours_seconds = time.perf_counter() - started
        rows = [(attack.what,
                 _describe(attack, shipped, shipped_effects[attack.name, attack.assignment], shipped_course),
                 _describe(attack, ours, whole_run, ours_course)) for attack in chosen]
        for assignment in assignments:
            rows.append((f"(the canary, an honest right submission of {assignment})",
                         _points(shipped.get(("canary", assignment)), HONEST[assignment]),
                         _points(ours.get(("canary", assignment)), HONEST[assignment])))
    listener.close()
    SECRET.unlink(missing_ok=True)
    width = max(len(r[0]) for r in rows)
    print(f"\n| {'attack':<{width}} | nbgrader as shipped | this project |")
    print(f"|{'-' * (width + 2)}|---|---|")
    for what, as_shipped, this_project in rows:
        print(f"| {what:<{width}} | {as_shipped} | {this_project} |")
    for assignment in assignments:
        print(f"\nhonest submissions of {assignment}: right "
              f"{_points(ours.get(('honest-right', assignment)), HONEST[assignment])}, "
              f"wrong {_points(ours.get(('honest-wrong', assignment)), 0)}")
    print(f"files changed by this project's whole run: {', '.join(whole_run['changed']) or 'none'}")
    print(f"grading time (autograde and feedback): nbgrader as shipped {shipped_seconds:.0f} s (one "
          f"student at a time, hangs stopped after 120 s), this project {ours_seconds:.0f} s "
          f"(course-grade, 2 workers)")
    return 0


def _relink(chosen: list[Attack], ours: Path, shipped: Path) -> None:
    """Links to {course} point into each course's own folder (copytree kept them pointing at ours);
    hard links and pipes are made again."""
    for attack in chosen:
        for name in attack.fifos:
            os.mkfifo(shipped / "submitted" / attack.name / attack.assignment / name)
        for name, target in attack.links.items():
            link = shipped / "submitted" / attack.name / attack.assignment / name
            link.unlink()
            os.symlink(target.format(course=shipped), link)
        for name, target in attack.hard_links.items():
            link = shipped / "submitted" / attack.name / attack.assignment / name
            link.unlink()
            os.link(shipped / target, link)


def _points(score, honest) -> str:
    if isinstance(score, str):
        return score
    if score is None:
        return "not graded"
    return f"{score:g} pts" + (" (honest)" if score == honest else f" (honest: {honest:g})")


def _describe(attack: Attack, scores: dict, effects: dict, course: Path) -> str:
    honest = scores.get((attack.baseline, attack.assignment))
    score = scores.get((attack.name, attack.assignment))
    text = "not graded, reported as failed" if score is None else _points(score, honest)
    extra = observations(course, attack.name, attack.assignment)
    extra += leaks(course, attack.name, attack.assignment)
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

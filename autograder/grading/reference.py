"""The reference solution's check records: the source notebook run once in a trusted kernel.

Kept per test cell (by grade id), cached in memory and on disk under the course's
``.course-reference/`` folder, keyed by a hash of the source notebook and of the check helpers,
so a changed solution or helper is run again and several grading processes share one run.
"""

from __future__ import annotations

import copy
import fcntl
import hashlib
import json
import os
import shutil
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient

import autograder
from autograder.grading.judge import judge_cell
from autograder.grading.reports import ReportFile, plain_test_cells, test_cell_id, without_expected
from autograder.learner.modes import REPORT_ENV
from autograder.sandbox.bubblewrap import private_dir
from autograder.sandbox.zmq_polling import install

CACHE_DIR = ".course-reference"
_memory: dict[str, dict[str, list[dict]]] = {}


class ReferenceError(RuntimeError):
    """The reference solution does not pass its own checks: the instructor's notebook needs fixing."""


class RecordsChecks:
    """Mixin for an nbclient client: keeps what the check helpers report, cell by cell.

    With ``hide_expected`` the test cells are run with their expected values blanked out (the
    cell's own source is put back afterwards), so the kernel never sees them.
    """

    report: ReportFile
    records: dict[int, list[dict]]
    hide_expected = False
    replaying = False

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        original = cell.source
        if self.hide_expected and test_cell_id(cell):
            cell.source = without_expected(original)
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        finally:
            cell.source = original
            taken = self.report.take()
            if not self.replaying:
                self.records[cell_index] = taken

    # nbclient's synchronous execute_cell wraps the base class's coroutine; wrap this one.
    execute_cell = run_sync(async_execute_cell)


class ReferenceClient(RecordsChecks, NotebookClient):
    pass


def fingerprint(source: Path) -> str:
    """The source notebook and the whole course package: the checks, how their values are encoded
    and compared, and anything else that shapes a record."""
    digest = hashlib.sha256(source.read_bytes())
    package = Path(autograder.__file__).parent
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()[:20]


def reference_records(source: Path, *, course: Path, timeout: int = 120) -> dict[str, list[dict]]:
    """Records per test-cell grade id, from running ``source`` (the solution) as it is."""
    key = fingerprint(source)
    if key in _memory:
        return _memory[key]
    cache = course / CACHE_DIR / f"{source.stem}-{key}.json"
    records = _cached(cache)
    if records is None:
        cache.parent.mkdir(exist_ok=True)
        # One process runs the solution; the others (course-grade's workers all start at once, and
        # its main process warms the cache meanwhile) wait for that run instead of repeating it.
        with open(cache.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            records = _cached(cache)
            if records is None:
                records = _run(source, timeout)
                temporary = cache.with_suffix(f".{os.getpid()}.tmp")
                temporary.write_text(json.dumps(records))
                os.replace(temporary, cache)
    _memory[key] = records
    return records


def _cached(cache: Path) -> dict[str, list[dict]] | None:
    try:
        return json.loads(cache.read_text())
    except (OSError, ValueError):
        return None


def _run(source: Path, timeout: int) -> dict[str, list[dict]]:
    install()
    notebook = nbformat.read(source, as_version=4)
    folder = private_dir("course-reference-")
    try:
        client = ReferenceClient(copy.deepcopy(notebook), timeout=timeout, allow_errors=True,
                                 resources={"metadata": {"path": str(source.parent)}})
        client.report, client.records = ReportFile(folder / "checks.jsonl"), {}
        env = dict(os.environ, **{REPORT_ENV: str(client.report.path)})
        client.execute(env=env)
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
    records: dict[str, list[dict]] = {}
    # Only a cell that calls no check helper is plain: one whose checks did not report is an error
    # (were the reports lost, every check-helper cell would otherwise pass on "no error").
    plain = set(plain_test_cells(notebook))
    sources = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    for index, cell in enumerate(notebook.cells):
        grade_id = test_cell_id(cell)
        if grade_id is None:
            continue
        mine = client.records.get(index, [])
        if not mine and grade_id in plain:
            # A plain nbgrader test cell (assert statements, no check helper): graded the nbgrader
            # way, on whether it raises; its record list stays empty, which is how the grader knows.
            raised = [o.get("ename", "an error") for o in client.nb.cells[index].get("outputs", [])
                      if o.get("output_type") == "error"]
            if raised:
                raise ReferenceError(f"{source}: the solution fails its own test cell {grade_id!r}: "
                                     f"it raises {raised[0]}")
            records[grade_id] = []
            continue
        verdict = judge_cell(mine, mine, sources=sources)
        if not verdict.passed:
            problem = "; ".join(verdict.problems) or "it reports no checks"
            raise ReferenceError(f"{source}: the solution fails its own test cell {grade_id!r}: {problem}")
        records[grade_id] = mine
    return records

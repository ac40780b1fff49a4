"""Grade a whole class in parallel with nbgrader's own autograder, gradebook and feedback.

nbgrader's ``autograde`` grades one submission after another, and two copies of it side by side
race for kernel ports and silently drop students. Here a pool of worker processes each keeps one
nbgrader ``Autograde`` converter, configured from the course's nbgrader_config.py, and grades one
submission at a time with it; a kernel that fails to start (two workers' kernels picking the
same port, say) fails that attempt, and the submission is tried again. The gradebook stays
nbgrader's: formgrader, manual grading, ``nbgrader generate_feedback`` and ``nbgrader export``
work on what this writes.

Nothing is lost: a submission ends graded, skipped (graded before and unchanged since) or failed
with a reason; a failed attempt is retried; a submission counts as graded only once its grades
and feedback are written, which a stamp file next to the autograded notebook records last.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import nbformat
from sqlalchemy.exc import SAWarning

from autograder.grading.submission_files import (
    QUARANTINE,
    digest_folder,
    open_regular,
    quarantine_entry,
    quarantine_submission,
    why_refused,
)

STAMP = ".course-grade.json"  # in autograded/STUDENT/ASSIGNMENT/, written when grading completes
RUNNING = ".course-grade-running"  # in the course folder: RUNNING/STUDENT/ASSIGNMENT while grading it
GRADED, SKIPPED, FAILED = "graded", "skipped", "failed"


@dataclass(frozen=True)
class Submission:
    assignment: str
    student: str

    @property
    def name(self) -> str:
        return f"{self.student}/{self.assignment}"


@dataclass
class Outcome:
    submission: Submission
    status: str  # GRADED, SKIPPED or FAILED
    reason: str = ""
    seconds: float = 0.0
    attempts: int = 0
    refused: list[str] = field(default_factory=list)  # entries moved to quarantine/, with why


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAILED]


# --- finding the work -------------------------------------------------------------------------


def find_submissions(course: Path, assignments: Iterable[str], *, known_students: set[str] | None = None,
                     ) -> tuple[list[Submission], list[Outcome], dict[Submission, list[str]]]:
    """Every submission folder of the given assignments, the ones that cannot be graded, and
    what was refused in each (see :mod:`autograder.grading.submission_files`).

    Refused entries (links, hard links, pipes, devices) are moved to quarantine/ first, so that
    nothing later reads through them. A folder fails here, by name, when it is itself refused,
    when it holds no notebook of the assignment, when that notebook cannot be read as a notebook,
    or (with ``known_students``) when the student is not on the roster.
    """
    todo: list[Submission] = []
    problems: list[Outcome] = []
    refused: dict[Submission, list[str]] = {}
    submitted = course / "submitted"
    if not submitted.is_dir():
        return todo, problems, refused
    for student_dir in sorted(submitted.iterdir()):
        why = why_refused(student_dir)
        if why and os.path.islink(student_dir):  # a link in a student's place: not followed
            try:
                quarantine_entry(student_dir, course / QUARANTINE)
            except OSError as err:
                why += f"; could not move it to {QUARANTINE}/: {err}"
            problems.append(Outcome(Submission("*", student_dir.name), FAILED,
                                    f"refused: submitted/{student_dir.name} is {why}"))
            continue
        if not student_dir.is_dir():
            continue
        for assignment in assignments:
            folder = student_dir / assignment
            if not os.path.lexists(folder):
                continue
            submission = Submission(assignment, student_dir.name)
            try:
                moved = [str(entry) for entry in quarantine_submission(folder)]
            except OSError as err:
                problems.append(Outcome(submission, FAILED,
                                        f"cannot move refused entries out of {folder}: {err}"))
                continue
            if moved:
                refused[submission] = moved
            reason = _unreadable(folder / f"{assignment}.ipynb")
            if moved and reason:
                reason = f"refused: {'; '.join(moved)}"
            elif reason is None and known_students is not None and submission.student not in known_students:
                reason = f"unknown student {submission.student!r}: not on the gradebook's roster"
            if reason:
                problems.append(Outcome(submission, FAILED, reason, refused=moved))
            else:
                todo.append(submission)
    return todo, problems, refused


def _unreadable(notebook: Path) -> str | None:
    if not notebook.exists():
        return f"no notebook {notebook.name} in {notebook.parent}"
    try:
        nbformat.read(notebook, as_version=4)
    except PermissionError:
        return f"cannot read {notebook}: permission denied"
    except Exception as err:  # nbformat raises many kinds; each means "not a notebook"
        return f"{notebook.name} is not a readable notebook ({type(err).__name__}: {err})"[:300]
    return None


def fingerprint(course: Path, submission: Submission) -> str:
    """A hash of everything grading depends on: the submitted files and the instructor's source.
    The submission's files are read as :mod:`autograder.grading.submission_files` allows: never
    through a link."""
    digest = hashlib.sha256()
    digest_folder(course / "submitted" / submission.student / submission.assignment, digest)
    root = course / "source" / submission.assignment  # the instructor's own: links are followed
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def stamp_path(course: Path, submission: Submission) -> Path:
    return course / "autograded" / submission.student / submission.assignment / STAMP


def running_path(course: Path, submission: Submission) -> Path:
    """Present while course-grade grades a submission: nbgrader empties autograded/STUDENT/ASSIGNMENT/
    when it starts, so a run killed midway is told from one nbgrader finished by this, kept outside."""
    return course / RUNNING / submission.student / submission.assignment


def already_graded(course: Path, submission: Submission) -> bool:
    """Graded before and unchanged since: by course-grade (its stamp matches what grading depends
    on), or — with no stamp — by `nbgrader autograde`, judged by nbgrader's own rule."""
    if running_path(course, submission).exists():
        return False  # a course-grade run stopped while grading it
    try:
        stamp = json.loads(stamp_path(course, submission).read_text())
    except (OSError, ValueError):
        return graded_by_nbgrader(course, submission)
    return stamp.get("fingerprint") == fingerprint(course, submission)


def graded_by_nbgrader(course: Path, submission: Submission) -> bool:
    """nbgrader autograde's rule for skipping (nbgrader/converters/base.py, init_destination): the
    autograded notebook exists and the submission's timestamp.txt is not newer than its copy's."""
    done = course / "autograded" / submission.student / submission.assignment
    if not (done / f"{submission.assignment}.ipynb").is_file():
        return False
    new = _timestamp(course / "submitted" / submission.student / submission.assignment)
    old = _timestamp(done)
    return not (new is not None and old is not None and new > old)


def _timestamp(folder: Path):
    """A folder's timestamp.txt as nbgrader reads it, or None (missing, unreadable, not a date)."""
    from nbgrader.utils import parse_utc

    try:
        with os.fdopen(open_regular(folder / "timestamp.txt"), encoding="utf-8") as stream:
            return parse_utc(stream.read(200).strip())
    except (OSError, ValueError, UnicodeDecodeError, OverflowError):
        return None


def _judged(extra_config: dict | None) -> bool:
    """Whether grading uses the judge (and so the reference records): not when the caller swapped
    the course's pipeline for nbgrader's own."""
    steps = (extra_config or {}).get("Autograde", {}).get("autograde_preprocessors")
    return steps is None or any("JudgedExecute" in str(step) for step in steps)


def _warm_references(course: Path, chosen: set[str]) -> None:
    from autograder.grading.reference import reference_records

    for assignment in sorted(chosen):
        for source in sorted((course / "source" / assignment).glob("*.ipynb")):
            try:
                reference_records(source, course=course)
            except Exception:  # noqa: BLE001 - the worker that needs it reports the problem
                pass


# --- the workers ------------------------------------------------------------------------------

_worker: dict = {}


def _start_worker(course: str, extra_config: dict) -> None:
    """Runs once in each worker process: load the course's nbgrader settings like nbgrader does."""
    from nbgrader.apps import AutogradeApp
    from traitlets.config import Config

    from autograder.sandbox.zmq_polling import install

    _exit_with_parent()
    install()  # a missed zmq wake-up otherwise stalls a cell for the whole cell timeout
    # nbgrader's gradebook makes SQLAlchemy warn "not in session" on every submission (plain
    # `nbgrader autograde` prints the same); harmless, and it would bury the progress bar.
    warnings.filterwarnings("ignore", category=SAWarning)
    os.chdir(course)
    # nbgrader runs its environment's `alembic`; spawned workers need it on PATH too.
    os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    app = AutogradeApp()
    # Warnings (a locked cell a student edited, say) would bury the progress bar; errors are kept.
    app.initialize(["--log-level=ERROR"])
    # A kernel that fails to start (without the sandbox, kernels of different workers can pick
    # the same free TCP port) fails that attempt, and the submission is tried again.
    # Once a notebook has run, its kernel has nothing left to say: stop it at once rather than
    # wait for a polite shutdown, which took up to 3 s here when both cores were busy. And a
    # worker grades one notebook after another: each one's kernel boots while the one before
    # is graded (autograder/sandbox/spare_kernel.py), on time the worker would otherwise spend waiting.
    app.update_config(Config({"Execute": {"shutdown_kernel": "immediate"},
                              "JudgedExecute": {"spare_kernel": True}}))
    app.update_config(Config(extra_config))
    _worker.update(app=app, course=Path(course))


def _exit_with_parent() -> None:
    """End this worker when the batch that started it dies (killed, say), not linger forever."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _grade_in_worker(submission: Submission, retries: int, feedback: bool) -> Outcome:
    from nbgrader.converters import Autograde, GenerateFeedback

    app, course = _worker["app"], _worker["course"]
    started = time.perf_counter()
    errors = _ErrorLog()
    app.log.addHandler(errors)
    running = running_path(course, submission)
    running.parent.mkdir(parents=True, exist_ok=True)
    running.touch()
    try:
        for attempt in range(1, retries + 2):
            errors.messages.clear()
            try:
                app.coursedir.assignment_id = submission.assignment
                app.coursedir.student_id = submission.student
                for converter_class in (Autograde, GenerateFeedback) if feedback else (Autograde,):
                    converter = converter_class(coursedir=app.coursedir, parent=app)
                    converter.force = True
                    converter.start()
                if errors.messages:  # nbgrader logs some failures without raising
                    raise RuntimeError(errors.messages[-1])
            except Exception as err:  # noqa: BLE001 - every failure is retried, then reported
                reason = errors.summary() or f"{type(err).__name__}: {err}"
                if attempt <= retries:
                    continue
                return Outcome(submission, FAILED, reason, time.perf_counter() - started, attempt)
            _write_stamp(course, submission)
            running.unlink(missing_ok=True)
            return Outcome(submission, GRADED, "", time.perf_counter() - started, attempt)
    finally:
        app.log.removeHandler(errors)
    raise AssertionError("unreachable")


def _write_stamp(course: Path, submission: Submission) -> None:
    path = stamp_path(course, submission)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"fingerprint": fingerprint(course, submission),
                                     "graded_at": time.time()}))
    os.replace(temporary, path)  # atomic: a stamp is either complete or absent


class _ErrorLog(logging.Handler):
    """Collects the ERROR lines nbgrader logs while grading one submission."""

    # nbclient logs these as errors, but the course's JudgedExecute recovers from them: the cell
    # at fault fails, and grading goes on with a fresh kernel.
    HANDLED = ("Kernel died while waiting for execute reply", "Timeout waiting for execute reply",
               "Interrupting kernel", "Timeout waiting for IOPub output")

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(self.HANDLED):
            self.messages.append(message)

    def summary(self) -> str:
        # The most telling line is usually the last line of the first traceback.
        for message in self.messages:
            lines = [ln for ln in message.strip().splitlines() if ln.strip()]
            if len(lines) > 1:
                return lines[-1].strip()[:300]
        return self.messages[0].strip()[:300] if self.messages else ""


def _drain(pool, queue, jobs, retries, feedback, summary, crashes, total, on_progress) -> None:
    """Feed ``queue`` to ``pool`` until it is empty, or until the pool breaks (then return)."""
    futures: dict[Future, Submission] = {}
    while queue or futures:
        # Keep the pool just full, so an interruption leaves little half-done work behind.
        while queue and len(futures) < 2 * max(1, jobs):
            submission = queue.pop(0)
            try:
                futures[pool.submit(_grade_in_worker, submission, retries, feedback)] = submission
            except BrokenProcessPool:
                queue.insert(0, submission)
                break
        if not futures:
            return
        done, _ = wait(futures, return_when=FIRST_COMPLETED)
        broken = False
        for future in done:
            submission = futures.pop(future)
            try:
                outcome = future.result()
            except BrokenProcessPool as err:
                broken = True
                crashes[submission] = crashes.get(submission, 0) + 1
                if crashes[submission] < 2:
                    queue.insert(0, submission)
                    continue
                outcome = Outcome(submission, FAILED, f"the grading process died twice ({err})")
            summary.outcomes.append(outcome)
            if on_progress:
                on_progress(outcome, len(summary.outcomes), total)
        if broken:
            queue[:0] = list(futures.values())  # in flight when the pool broke: grade them again
            return


# --- the batch --------------------------------------------------------------------------------


def grade(
    course: Path,
    *,
    assignments: list[str],
    jobs: int,
    force: bool = False,
    retries: int = 2,
    feedback: bool = True,
    extra_config: dict | None = None,
    known_students: set[str] | None = None,
    on_progress: Callable[[Outcome, int, int], None] | None = None,
) -> Summary:
    """Grade every submission of ``assignments`` in ``course`` with ``jobs`` workers.

    ``feedback`` also generates each graded submission's feedback, as `nbgrader generate_feedback`
    does; ``retries`` is how many more times a failed submission is tried.
    """
    started = time.perf_counter()
    course = course.resolve()
    todo, problems, refused = find_submissions(course, assignments, known_students=known_students)
    summary = Summary(outcomes=list(problems))
    pending: list[Submission] = []
    for submission in todo:
        if not force and already_graded(course, submission):
            summary.outcomes.append(Outcome(submission, SKIPPED, "graded before and unchanged since"))
        else:
            pending.append(submission)
    total = len(summary.outcomes) + len(pending)
    for outcome in list(summary.outcomes):
        if on_progress:
            on_progress(outcome, summary.outcomes.index(outcome) + 1, total)

    crashes: dict[Submission, int] = {}
    queue = list(pending)
    if queue and _judged(extra_config):
        # Each assignment's reference solution runs once, here, while the workers start up;
        # workers that need it before it is done wait for it (autograder/grading/reference.py).
        threading.Thread(target=_warm_references, args=(course, {s.assignment for s in queue}),
                         daemon=True).start()
    try:
        while queue:
            # A worker that dies (killed, out of memory) breaks the whole pool: start a new one and
            # put back what was in flight; a submission that kills two workers is reported.
            pool = ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=get_context("spawn"),
                                       initializer=_start_worker,
                                       initargs=(str(course), extra_config or {}))
            try:
                _drain(pool, queue, jobs, retries, feedback, summary, crashes, total, on_progress)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
    except KeyboardInterrupt:
        summary.interrupted = True
    for outcome in summary.outcomes:
        outcome.refused = outcome.refused or refused.get(outcome.submission, [])
    summary.seconds = time.perf_counter() - started
    return summary

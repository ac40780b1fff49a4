"""`course-grade` (`make grade`): grade every submission of a course in parallel, then write the grades CSV.

    course-grade                      # every assignment in source/, all cores, in this folder
    course-grade --assignment A2_calculus --jobs 4 --course path/to/course
    course-grade --force              # regrade even what is graded and unchanged
    course-grade --db-url postgresql+psycopg://...    # a PostgreSQL gradebook (driver: psycopg)

Student kernels run in a bubblewrap sandbox; where it cannot run, course-grade refuses to grade
(--no-sandbox grades anyway, with student code running with your rights).

Exit status: 0 when every submission is graded (or was already), 1 when any failed (each is
listed with its reason), 2 for a wrong argument, 3 when another run is grading the same course,
4 when the sandbox cannot run here, 130 when interrupted (run again to resume).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
from pathlib import Path

import nbformat

from autograder.grading.batch import FAILED, GRADED, SKIPPED, Summary, grade
from autograder.grading.course_lock import CourseLocked, grading_lock
from autograder.grading.gradesheet import write_gradesheet
from autograder.grading.progress import ProgressBar
from autograder.grading.reports import plain_test_cells
from autograder.sandbox.bubblewrap import refusal, sweep_stale_runtimes
from autograder.sandbox.bubblewrap import status as sandbox_status

LOCKED, NO_SANDBOX = 3, 4  # exit statuses


def course_settings(course: Path) -> tuple[str, bool, bool]:
    """(the gradebook's db_url, whether unknown students are created, whether kernels are
    sandboxed) from the course's config."""
    from nbgrader.apps import AutogradeApp

    with contextlib.chdir(course):
        app = AutogradeApp()
        app.initialize(["--log-level=ERROR"])
        return (app.coursedir.db_url, bool(app.config.Autograde.get("create_student", True)),
                bool(app.config.SandboxedKernelManager.get("sandbox", True)))


def roster(db_url: str) -> set[str]:
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        return {student.id for student in gradebook.students}


def report(summary: Summary) -> str:
    graded = [o.seconds for o in summary.outcomes if o.status == GRADED]
    lines = [
        f"graded {summary.count(GRADED)}, skipped {summary.count(SKIPPED)} (graded before, unchanged), "
        f"failed {summary.count(FAILED)}, in {summary.seconds:.1f} s"
        + (f"; per graded submission: median {statistics.median(graded):.2f} s of a worker's time"
           if graded else ""),
    ]
    for outcome in summary.failed:
        lines.append(f"  FAILED {outcome.submission.name}: {outcome.reason}")
    for outcome in summary.outcomes:
        if outcome.refused and outcome.status != FAILED:
            lines.append(f"  REFUSED in {outcome.submission.name} (not graded, moved to quarantine/): "
                         + "; ".join(outcome.refused))
    if summary.interrupted:
        lines.append("interrupted: what was graded is kept; run the same command again to resume")
    return "\n".join(lines)


def plain_notes(course: Path, chosen: list[str]) -> list[str]:
    """A line per assignment whose test cells include plain assert cells (graded nbgrader's way)."""
    notes = []
    for assignment in chosen:
        for path in sorted((course / "source" / assignment).glob("*.ipynb")):
            plain = plain_test_cells(nbformat.read(path, as_version=4))
            if plain:
                notes.append(f"note: {assignment}/{path.name}: {len(plain)} test cell(s) with plain assert "
                             f"statements ({', '.join(plain)}), graded the nbgrader way (pass = no error); "
                             "not tamper-proof, unlike the course's check helpers")
    return notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course-grade", description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--course", type=Path, default=Path("."),
                        help="the course folder: nbgrader_config.py, source/, submitted/ (default: .)")
    parser.add_argument("--assignment", action="append", default=None,
                        help="an assignment to grade (repeatable; default: every assignment in source/)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="submissions graded at once (default: the number of cores)")
    parser.add_argument("--force", action="store_true", help="regrade submissions graded before")
    parser.add_argument("--retries", type=int, default=2,
                        help="extra attempts for a submission whose grading failed (default: 2)")
    parser.add_argument("--no-feedback", action="store_true",
                        help="only autograde, no feedback (nbgrader generate_feedback can make it later)")
    parser.add_argument("--db-url", default=None,
                        help="the gradebook (default: the course's, usually SQLite)")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="grade even where the sandbox cannot run: student code gets your rights")
    parser.add_argument("--csv", type=Path, default=None,
                        help="where to write the grades CSV (default: COURSE/grades-by-cell.csv)")
    args = parser.parse_args(argv)

    course = args.course.resolve()
    if not (course / "source").is_dir():
        parser.error(f"{course} is not a course folder: it has no source/ folder")
    if args.jobs < 1 or args.retries < 0:
        parser.error("--jobs must be at least 1 and --retries at least 0")
    known = sorted(p.name for p in (course / "source").iterdir() if p.is_dir())
    chosen = args.assignment or known
    unknown = sorted(set(chosen) - set(known))
    if unknown:
        parser.error(f"no such assignment in {course / 'source'}: {', '.join(unknown)}")

    db_url, create_students, sandbox_wanted = course_settings(course)
    db_url = args.db_url or db_url
    extra = {"CourseDirectory": {"db_url": db_url}}
    state = sandbox_status()
    if state.sandboxed:
        print("student kernels run in bubblewrap: no network, no course files, limited resources"
              + ("" if state.quota else f"; WARNING: no disk quota ({state.quota_reason})"))
    elif args.no_sandbox or not sandbox_wanted:
        extra["SandboxedKernelManager"] = {"sandbox": False}
        print(f"WARNING: grading is NOT sandboxed ({state.reason}); student code runs with your rights")
    else:
        print(f"course-grade: {refusal(state)}", file=sys.stderr)
        return NO_SANDBOX
    sweep_stale_runtimes()
    try:
        with grading_lock(course):
            summary = grade(course, assignments=chosen, jobs=args.jobs, force=args.force,
                            retries=args.retries, feedback=not args.no_feedback, extra_config=extra,
                            known_students=None if create_students else roster(db_url),
                            on_progress=ProgressBar())
            print(report(summary))
            for line in plain_notes(course, chosen):
                print(line)
            if not summary.interrupted:
                sheet = args.csv or course / "grades-by-cell.csv"
                rows = write_gradesheet(db_url, sheet)
                print(f"grades of {rows} students written to {sheet}")
    except CourseLocked as err:
        print(f"course-grade: {err}", file=sys.stderr)
        return LOCKED
    if summary.interrupted:
        return 130
    return 1 if summary.failed else 0


if __name__ == "__main__":
    sys.exit(main())

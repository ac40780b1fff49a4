"""`make demo`: the instructor workflow end to end, on generated submissions.

generate → release (exchange) → each student fetches, answers and submits → collect → course-grade
(parallel, sandboxed) → a manual grade and comment for every written answer, set through
nbgrader's gradebook API as formgrader would → feedback (with --force, so it carries the manual
grades) and its release → export; then print the grade table and check every score. It runs with
a private HOME (nbgrader's cache of students' submissions stays out of yours) and removes its
folder afterwards unless asked to keep it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from autograder.devtools.course import assignments, create_course, nbgrader, notebook_path
from autograder.devtools.submissions import RIGHT, build_submission, scenario_module
from autograder.grading.grades import auto_scores, db_url, format_table, max_scores

COURSE_ID = "d2l-math"


@dataclass(frozen=True)
class DemoResult:
    assignment: str
    course: Path
    scores: dict[str, dict[str, float | None]]  # student -> grade cell -> autograded score
    expected: dict[str, dict[str, float]]
    manual: dict[str, dict[str, float]] = field(default_factory=dict)  # student -> written cell -> points

    @property
    def ok(self) -> bool:
        return all(
            all(self.scores.get(name, {}).get(cell) == points for cell, points in want.items())
            for name, want in self.expected.items()
        )


def run_demo(*, workdir: Path, assignment: str = "A2_calculus", log=print) -> DemoResult:
    """Run the whole workflow in ``workdir`` with one student per scenario, and grade it
    (``log``: where each step is told; None, nowhere)."""
    log = log or (lambda *_: None)
    with private_home(workdir / "home"):
        return _run_demo(workdir, assignment, log)


def _run_demo(workdir: Path, assignment: str, log) -> DemoResult:
    course = create_course(workdir / "course", exchange=workdir / "exchange")
    exchange_flags = [f"--Exchange.root={workdir / 'exchange'}", f"--course={COURSE_ID}"]
    module = scenario_module(assignment)

    log(f"1. nbgrader generate_assignment {assignment}")
    nbgrader(course, "generate_assignment", assignment)
    log(f"2. nbgrader release_assignment {assignment}")
    nbgrader(course, "release_assignment", assignment)

    source_nb = nbformat.read(notebook_path(course, "source", assignment), as_version=4)

    def take_part(scenario) -> None:
        home = workdir / "students" / scenario.name
        home.mkdir(parents=True)
        nbgrader(home, "fetch_assignment", assignment, *exchange_flags)
        fetched = home / assignment / f"{assignment}.ipynb"
        answered = build_submission(nbformat.read(fetched, as_version=4), source_nb, scenario,
                                    module.MISTAKES)
        nbformat.write(answered, fetched)
        # On a shared machine nbgrader takes the student's id from the login; name it here.
        nbgrader(home, "submit", assignment, *exchange_flags, f"--student={scenario.name}")

    # Students work at the same time, as a class does: each nbgrader command is a process of its
    # own, mostly start-up, so a few at once keep every core busy.
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1) as pool:
        list(pool.map(take_part, module.SCENARIOS))
    log(f"3. {len(module.SCENARIOS)} students fetched, answered and submitted: "
        + ", ".join(s.name for s in module.SCENARIOS))

    log(f"4. nbgrader collect {assignment}")
    nbgrader(course, "collect", assignment)
    log(f"5. course-grade --course {course.name} --assignment {assignment} --no-feedback")
    grade_class(course, assignment)
    log("6. the written answers graded by hand (nbgrader's gradebook API, as formgrader does)")
    manual = grade_by_hand(course, assignment, module.SCENARIOS)
    log(f"7. nbgrader generate_feedback {assignment} --force; nbgrader release_feedback {assignment}")
    nbgrader(course, "generate_feedback", assignment, "--force")
    nbgrader(course, "release_feedback", assignment)
    log("8. nbgrader export  (grades.csv)")
    nbgrader(course, "export")

    scores = auto_scores(course, assignment)
    expected = {s.name: s.expected for s in module.SCENARIOS}
    log("")
    log(format_table(scores, max_scores(course, assignment), expected=expected))
    log("")
    log(f"course folder: {course}  (feedback/ holds each student's HTML feedback)")
    return DemoResult(assignment, course, scores, expected, manual)


MANUAL_COMMENT = {True: "Demo grader: right, and every step is justified.",
                  False: "Demo grader: not right yet; compare your steps with the model answer."}


def grade_class(course: Path, assignment: str) -> None:
    """course-grade on the collected submissions, without feedback (made once the written answers
    are graded: ``generate_feedback --force`` would make it again anyway); sandboxed where
    bubblewrap runs (the demo's own generated submissions are safe to grade without it elsewhere)."""
    from autograder.grading.grade import main as course_grade
    from autograder.sandbox.bubblewrap import status

    flags = [] if status().sandboxed else ["--no-sandbox"]
    code = course_grade(["--course", str(course), "--assignment", assignment, "--jobs",
                         str(os.cpu_count() or 1), "--no-feedback", *flags])
    if code != 0:
        raise RuntimeError(f"course-grade exited with {code} on the demo class")


def grade_by_hand(course: Path, assignment: str, scenarios) -> dict[str, dict[str, float]]:
    """Score each written answer that waits for a person — full points for the reference answer,
    0 otherwise — with a comment, through the gradebook as formgrader would."""
    manual: dict[str, dict[str, float]] = {}
    with Gradebook(db_url(course)) as gradebook:
        for scenario in scenarios:
            submission = gradebook.find_submission(assignment, scenario.name)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if not grade.needs_manual_grade:
                        continue
                    right = scenario.answer_for(grade.name) == RIGHT
                    grade.manual_score = grade.max_score if right else 0.0
                    comment = gradebook.find_comment(grade.name, notebook.name, assignment, scenario.name)
                    comment.manual_comment = MANUAL_COMMENT[right]
                    manual.setdefault(scenario.name, {})[grade.name] = grade.manual_score
        gradebook.db.commit()
    return manual


@contextlib.contextmanager
def private_home(folder: Path):
    """HOME and Jupyter's data folder inside ``folder`` while the demo runs: nbgrader keeps a cache
    of every submission under the data folder, and the demo's students are not yours."""
    saved = {key: os.environ.get(key) for key in ("HOME", "JUPYTER_DATA_DIR")}
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.update(HOME=str(folder), JUPYTER_DATA_DIR=str(folder / ".local/share/jupyter"))
    try:
        yield folder
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0].replace("`", ""))
    parser.add_argument("--assignment", default="all", help="an assignment id, or all (default)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="folder for the demo course, kept afterwards (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder to look around")
    args = parser.parse_args(argv)
    known = assignments()
    if args.assignment != "all" and args.assignment not in known:
        parser.error(f"no such assignment: {args.assignment} (there are {', '.join(known)})")
    temporary = args.workdir is None
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="course-demo-"))
    if workdir.exists() and any(workdir.iterdir()):
        shutil.rmtree(workdir)
    chosen = known if args.assignment == "all" else [args.assignment]
    ok = True
    try:
        for assignment in chosen:
            print(f"== {assignment}")
            ok &= run_demo(workdir=workdir / assignment, assignment=assignment).ok
            print()
    finally:
        if temporary and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
            print(f"removed {workdir} (--keep keeps it)")
    print("every score is the expected one" if ok else "SOME SCORES DIFFER FROM THE EXPECTED ONES")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

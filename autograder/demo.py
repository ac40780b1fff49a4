"""`make demo`: the instructor workflow end to end, on generated submissions, with nbgrader's commands.

generate → release (exchange) → each student fetches, answers and submits → collect → autograde
→ generate and release feedback → export; then print the grade table and check every score.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .course import assignments, create_course, nbgrader, notebook_path
from .grades import auto_scores, format_table, max_scores
from .submissions import build_submission, scenario_module

COURSE_ID = "d2l-math"


@dataclass(frozen=True)
class DemoResult:
    assignment: str
    course: Path
    scores: dict[str, dict[str, float | None]]  # student -> grade cell -> autograded score
    expected: dict[str, dict[str, float]]

    @property
    def ok(self) -> bool:
        return all(
            all(self.scores.get(name, {}).get(cell) == points for cell, points in want.items())
            for name, want in self.expected.items()
        )


def run_demo(*, workdir: Path, assignment: str = "A2_calculus", log=print) -> DemoResult:
    """Run the whole workflow in ``workdir`` with one student per scenario, and grade it."""
    course = create_course(workdir / "course", exchange=workdir / "exchange")
    exchange_flags = [f"--Exchange.root={workdir / 'exchange'}", f"--course={COURSE_ID}"]
    module = scenario_module(assignment)

    log(f"1. nbgrader generate_assignment {assignment}")
    nbgrader(course, "generate_assignment", assignment)
    log(f"2. nbgrader release_assignment {assignment}")
    nbgrader(course, "release_assignment", assignment)

    source_nb = nbformat.read(notebook_path(course, "source", assignment), as_version=4)
    for scenario in module.SCENARIOS:
        home = workdir / "students" / scenario.name
        home.mkdir(parents=True)
        nbgrader(home, "fetch_assignment", assignment, *exchange_flags)
        fetched = home / assignment / f"{assignment}.ipynb"
        answered = build_submission(nbformat.read(fetched, as_version=4), source_nb, scenario,
                                    module.MISTAKES)
        nbformat.write(answered, fetched)
        # On a shared machine nbgrader takes the student's id from the login; name it here.
        nbgrader(home, "submit", assignment, *exchange_flags, f"--student={scenario.name}")
    log(f"3. {len(module.SCENARIOS)} students fetched, answered and submitted: "
        + ", ".join(s.name for s in module.SCENARIOS))

    log(f"4. nbgrader collect {assignment}")
    nbgrader(course, "collect", assignment)
    log(f"5. nbgrader autograde {assignment}")
    nbgrader(course, "autograde", assignment)
    log(f"6. nbgrader generate_feedback {assignment}; nbgrader release_feedback {assignment}")
    nbgrader(course, "generate_feedback", assignment)
    nbgrader(course, "release_feedback", assignment)
    log("7. nbgrader export  (grades.csv)")
    nbgrader(course, "export")

    scores = auto_scores(course, assignment)
    expected = {s.name: s.expected for s in module.SCENARIOS}
    log("")
    log(format_table(scores, max_scores(course, assignment), expected=expected))
    log("")
    log(f"course folder: {course}  (feedback/ holds each student's HTML feedback)")
    return DemoResult(assignment, course, scores, expected)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="all", help="an assignment id, or all (default)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="folder for the demo course (default: a new temporary folder, kept)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="course-demo-"))
    if workdir.exists() and any(workdir.iterdir()):
        shutil.rmtree(workdir)
    chosen = assignments() if args.assignment == "all" else [args.assignment]
    ok = True
    for assignment in chosen:
        print(f"== {assignment}")
        ok &= run_demo(workdir=workdir / assignment, assignment=assignment).ok
        print()
    print("every score is the expected one" if ok else "SOME SCORES DIFFER FROM THE EXPECTED ONES")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

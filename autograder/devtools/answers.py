"""`make exercises`: every exercise against the answers learners write — what the learner sees, and
what the grader gives.

Each assignment's module in :mod:`autograder.devtools.scenarios` has a ``CATALOGUE``: per exercise, plausible
wrong answers (a sign, a shape, an ignored argument, a constant that fits only the visible case …)
and right answers written differently. Each answer is judged on its own, with every other exercise
holding the reference solution, twice:

- *visible*: the released notebook, solved with the reference solutions, runs in one kernel as a
  learner's would; the answer replaces its exercise's cell, the test cell's visible checks run, and
  the verdict is read; then the reference comes back (the kernel's history too, since source checks
  read every cell the kernel ran);
- *graded*: submission k holds the k-th answer of every exercise (the reference where an exercise
  has fewer); all of them go through the real grading pipeline (sandboxed where it can run), and
  each test cell's points belong to the answer its exercise held.

The rule, which a test asserts: a wrong answer is never ✔ and earns less than its test cell's
points; a right answer is ✔ and earns them all. ``--visible`` skips the grading (seconds, not
minutes).
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.devtools.course import (
    SOURCE,
    assignments,
    create_course,
    nbgrader,
    notebook_path,
    place_submission,
)
from autograder.devtools.kernel import KernelSession
from autograder.devtools.submissions import grade_id, is_solution, reference_answers, scenario_module
from autograder.learner.verdict import FAIL, NOT_ATTEMPTED, PASS

MIN_WRONG, MIN_RIGHT = 5, 2  # per autograded exercise
NO_VERDICT = "no verdict"  # the test cell showed none (it stopped before its first check)
MARKS = {PASS: "✔", FAIL: "✘", NOT_ATTEMPTED: "○", NO_VERDICT: "?"}


@dataclass(frozen=True)
class Answer:
    """One answer a learner might write: the whole solution cell, and whether it is right."""

    name: str
    code: str
    right: bool


def right(name: str, code: str) -> Answer:
    return Answer(name, code, True)


def wrong(name: str, code: str) -> Answer:
    return Answer(name, code, False)


def catalogue(assignment: str) -> dict[str, list[Answer]]:
    """solution grade_id -> the answers of the assignment's catalogue."""
    return dict(getattr(scenario_module(assignment), "CATALOGUE", {}))


@dataclass
class Row:
    """One answer's fate: its visible verdict and, when graded, its points."""

    exercise: str
    answer: Answer
    visible: str
    points: float | None = None  # None: not graded in this run
    max_points: float | None = None

    @property
    def problem(self) -> str | None:
        """Why this row breaks the rule, or None."""
        graded = self.points is not None
        if self.answer.right:
            if self.visible != PASS:
                return f"a right answer is not ✔ for the learner ({self.visible})"
            if graded and self.points != self.max_points:
                return f"a right answer earns {self.points:g} of {self.max_points:g} points"
        else:
            if self.visible == PASS:
                return "a wrong answer shows ✔ to the learner"
            if graded and self.points >= self.max_points:
                return f"a wrong answer earns full points ({self.points:g})"
        return None


def coverage_problems(assignment: str, source_nb) -> list[str]:
    """What the catalogue lacks: every autograded code exercise needs enough answers of each kind,
    and each answer must parse and define the exercise's function."""
    answers = catalogue(assignment)
    code_exercises = [grade_id(c) for c in source_nb.cells if is_solution(c) and c.cell_type == "code"]
    problems = [f"{name}: in the catalogue but not a code exercise of {assignment}"
                for name in answers if name not in code_exercises]
    for name in code_exercises:
        entries = answers.get(name, [])
        wrongs, rights = sum(not a.right for a in entries), sum(a.right for a in entries)
        if wrongs < MIN_WRONG or rights < MIN_RIGHT:
            problems.append(f"{name}: {wrongs} wrong and {rights} right answers "
                            f"(at least {MIN_WRONG} and {MIN_RIGHT} wanted)")
        seen = set()
        for answer in entries:
            if answer.name in seen:
                problems.append(f"{name}: two answers are called {answer.name!r}")
            seen.add(answer.name)
            try:
                tree = ast.parse(answer.code)
            except SyntaxError as err:
                problems.append(f"{name} / {answer.name}: does not parse ({err.msg})")
                continue
            defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
            if name not in defined:
                problems.append(f"{name} / {answer.name}: does not define {name}()")
    return problems


# --- the visible verdict --------------------------------------------------------------------------

_HISTORY = "get_ipython().history_manager"
_LATEST = "__import__('autograder.learner.verdict', fromlist=['latest']).latest"
_STATUS = "(lambda v: v.status if v else {none!r})(" + _LATEST + ".get({name!r}))"


def visible_verdicts(release_nb, source_nb, folder: Path,
                     answers: dict[str, list[Answer]]) -> dict[tuple[str, str], str]:
    """(exercise, answer name) -> the verdict status the learner sees for that answer."""
    reference = reference_answers(source_nb)
    tests = {grade_id(c): c.source for c in release_nb.cells if c.cell_type == "code"
             and c.metadata.get("nbgrader", {}).get("grade")}
    env_backup = {k: os.environ.pop(k) for k in ("COURSE_CHECK_REPORT", "NBGRADER_EXECUTION",
                                                  "NBGRADER_VALIDATING", "COURSE_CHECKS")
                  if k in os.environ}  # the learner's kernel: learning mode
    seen: dict[tuple[str, str], str] = {}
    try:
        with KernelSession(folder) as kernel:
            for cell in release_nb.cells:
                if cell.cell_type == "code":
                    code = reference[grade_id(cell)] if is_solution(cell) else cell.source
                    kernel.run(code, store=True)
            for exercise, entries in answers.items():
                test = tests.get(f"test_{exercise}")
                if test is None:
                    raise ValueError(f"{exercise}: the released notebook has no cell test_{exercise}")
                for answer in entries:
                    mark = kernel.json(f"len({_HISTORY}.input_hist_parsed)")
                    kernel.run(f"{_LATEST}.pop({exercise!r}, None)")
                    kernel.run(answer.code, store=True, allow_error=True)
                    kernel.run(test, store=True, allow_error=True)
                    status = _STATUS.format(none=NO_VERDICT, name=exercise)
                    seen[(exercise, answer.name)] = kernel.json(status)
                    # Back to the reference, as if the answer had never been run.
                    kernel.run(f"del {_HISTORY}.input_hist_parsed[{mark}:]; "
                               f"del {_HISTORY}.input_hist_raw[{mark}:]")
                    kernel.run(reference[exercise])
    finally:
        os.environ.update(env_backup)
    return seen


# --- the graded points ----------------------------------------------------------------------------

def submissions(release_nb, source_nb, answers: dict[str, list[Answer]]) -> list[tuple[str, object, dict]]:
    """(student id, notebook, exercise -> the answer it holds) for every submission to grade."""
    reference = reference_answers(source_nb)
    count = max((len(v) for v in answers.values()), default=0)
    built = []
    for k in range(count):
        notebook = copy.deepcopy(release_nb)
        held = {}
        for cell in notebook.cells:
            if is_solution(cell):
                gid = grade_id(cell)
                entries = answers.get(gid, [])
                if k < len(entries):
                    cell.source, held[gid] = entries[k].code, entries[k]
                else:
                    cell.source = reference[gid]
        built.append((f"answers-{k:02d}", notebook, held))
    return built


def graded_points(course: Path, assignment: str, built, *,
                  jobs: int) -> dict[tuple[str, str], tuple[float, float]]:
    """(exercise, answer name) -> (points earned, points possible), from the real grading pipeline."""
    from autograder.grading.batch import grade
    from autograder.grading.grades import auto_scores, max_scores
    from autograder.sandbox.bubblewrap import status

    scratch = course.parent / "answers"
    scratch.mkdir(exist_ok=True)
    for student, notebook, _ in built:
        path = scratch / f"{student}.ipynb"
        nbformat.write(notebook, path)
        place_submission(course, student, assignment, path)
    extra = {} if status().sandboxed else {"SandboxedKernelManager": {"sandbox": False}}
    summary = grade(course, assignments=[assignment], jobs=jobs, feedback=False, extra_config=extra)
    if summary.failed:
        reasons = "; ".join(f"{o.submission.name}: {o.reason}" for o in summary.failed)
        raise RuntimeError(f"grading the catalogue of {assignment} failed: {reasons}")
    scores, maxima = auto_scores(course, assignment), max_scores(course, assignment)
    points = {}
    for student, _, held in built:
        for exercise, answer in held.items():
            cell = f"test_{exercise}"
            points[(exercise, answer.name)] = (scores[student][cell], maxima[cell][0])
    return points


def judge_catalogue(assignment: str, *, graded: bool = True, jobs: int | None = None) -> list[Row]:
    """Every answer of the assignment's catalogue, with its visible verdict (and graded points)."""
    answers = catalogue(assignment)
    with tempfile.TemporaryDirectory(prefix="course-answers-") as tmp:
        course = create_course(Path(tmp) / "course")
        nbgrader(course, "generate_assignment", assignment)
        release_path = notebook_path(course, "notebooks", assignment)
        release_nb = nbformat.read(release_path, as_version=4)
        source_nb = nbformat.read(notebook_path(course, "source", assignment), as_version=4)
        seen = visible_verdicts(release_nb, source_nb, release_path.parent, answers)
        points = (graded_points(course, assignment, submissions(release_nb, source_nb, answers),
                                jobs=jobs or os.cpu_count() or 1) if graded else {})
    return [Row(exercise, answer, seen[(exercise, answer.name)],
                *points.get((exercise, answer.name), (None, None)))
            for exercise, entries in answers.items() for answer in entries]


def format_matrix(assignment: str, rows: list[Row]) -> str:
    lines = [f"{assignment}: exercise × answer → the learner's verdict, the graded points"]
    exercise = None
    for row in rows:
        if row.exercise != exercise:
            exercise = row.exercise
            lines.append(f"  {exercise}")
        points = "" if row.points is None else f"{row.points:g}/{row.max_points:g}"
        kind = "right" if row.answer.right else "wrong"
        flag = f"   ← {row.problem}" if row.problem else ""
        lines.append(f"    {MARKS.get(row.visible, '?')} {points:>7}  {kind}  {row.answer.name}{flag}")
    bad = [r for r in rows if r.problem]
    lines.append(f"  {len(rows)} answers, {len(rows) - len(bad)} as they should be"
                 + (f", {len(bad)} NOT" if bad else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0].replace("`", ""))
    parser.add_argument("assignment", nargs="*", help="assignments (default: all)")
    parser.add_argument("--visible", action="store_true", help="only the learner's verdicts (no grading)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="submissions graded at once (default: all cores)")
    args = parser.parse_args(argv)
    known = assignments()
    unknown = sorted(set(args.assignment) - set(known))
    if unknown:
        parser.error(f"no such assignment: {', '.join(unknown)} (there are {', '.join(known)})")
    failed = False
    for assignment in args.assignment or known:
        source_nb = nbformat.read(SOURCE / assignment / f"{assignment}.ipynb", as_version=4)
        gaps = coverage_problems(assignment, source_nb)
        for gap in gaps:
            print(f"{assignment}: catalogue: {gap}")
        rows = judge_catalogue(assignment, graded=not args.visible, jobs=args.jobs)
        print(format_matrix(assignment, rows), flush=True)
        failed = failed or bool(gaps) or any(r.problem for r in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

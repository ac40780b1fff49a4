"""`make bench` (second part): a class graded by plain serial `nbgrader autograde` and by course-grade.

Generates submissions of the course's real notebooks (right, partly right, wrong, raising, round
robin over the assignments), grades identical copies of the course both ways in the same run, and
prints both times, per-submission medians, the ratio, and the floor: a bare nbclient execution of
the same notebooks divided by the number of cores. Then it checks that every submission got the
same score in both gradebooks.

Then the price of hardened grading (issue 7): the same class graded by course-grade three times
more without spare kernels — with nbgrader's own Execute (no sandbox, no judge), with the judge
but no sandbox, and with both — so that the judge's and the sandbox's cost per submission can be
read off one run; the last of these, set against the first course-grade run, shows what the spare
kernels (autograder/sandbox/spare_kernel.py) bring.

Last, feedback pages: graded notebooks of that class rendered by nbconvert's HTMLExporter and by
the course's FeedbackExporter (autograder/grading/feedback_page.py), turn about, with the course's
feedback settings.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.devtools.course import assignments, create_course, nbgrader, notebook_path, place_submission
from autograder.devtools.kernel import execute
from autograder.devtools.submissions import build_submission, scenario_module
from autograder.grading.batch import GRADED, grade
from autograder.grading.grades import auto_scores
from autograder.grading.pipelines import nbgrader_default

KINDS = ("right", "partly-right", "wrong", "raising")


def make_class(root: Path, count: int) -> tuple[Path, list[tuple[str, str]]]:
    """A course with every assignment released and ``count`` submissions; returns (course, pairs)."""
    course = create_course(root)
    ids = assignments()
    for assignment in ids:
        nbgrader(course, "generate_assignment", assignment)
    scratch = root / "scratch"
    scratch.mkdir()
    pairs = []
    for i in range(count):
        assignment = ids[i % len(ids)]
        module = scenario_module(assignment)
        scenario = next(s for s in module.SCENARIOS if s.name == KINDS[(i // len(ids)) % len(KINDS)])
        release = nbformat.read(notebook_path(course, "notebooks", assignment), as_version=4)
        source = nbformat.read(notebook_path(course, "source", assignment), as_version=4)
        path = scratch / f"{i}.ipynb"
        nbformat.write(build_submission(release, source, scenario, module.MISTAKES), path)
        student = f"student{i:03d}"
        place_submission(course, student, assignment, path)
        pairs.append((student, assignment))
    shutil.rmtree(scratch)
    return course, pairs


def serial_nbgrader(course: Path) -> tuple[float, list[float]]:
    """Plain `nbgrader autograde`, one assignment after another: (seconds, per-submission seconds)."""
    started = time.perf_counter()
    per_submission: list[float] = []
    for assignment in assignments():
        log = nbgrader(course, "autograde", assignment, "--log-level=INFO",
                       "--Application.log_format=%(created)f %(message)s")
        finished = time.time()
        # Each student's work starts with a "Sanitizing" line; the gaps between them are its time.
        starts = [float(m.group(1)) for m in re.finditer(r"^(\d+\.\d+) Sanitizing", log, re.M)]
        per_submission += [b - a for a, b in zip(starts, [*starts[1:], finished], strict=True)]
    return time.perf_counter() - started, per_submission


def floor_per_submission(course: Path, pairs: list[tuple[str, str]], sample: int) -> float:
    """Median seconds of a bare nbclient run of autograded notebooks, divided by the cores."""
    times = []
    for student, assignment in pairs[:sample]:
        path = course / "autograded" / student / assignment / f"{assignment}.ipynb"
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs = []
        start = time.perf_counter()
        execute(notebook, folder=path.parent, allow_errors=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) / (os.cpu_count() or 1)


def cpu_times() -> tuple[int, int]:
    """(all, idle) CPU time of the whole machine so far, in clock ticks (Linux's /proc/stat)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    return sum(fields), fields[3] + fields[4]  # idle + iowait


def busy_share(before: tuple[int, int], after: tuple[int, int]) -> float | None:
    total = after[0] - before[0]
    return None if total <= 0 else 1 - (after[1] - before[1]) / total


def differ(scores: dict, runs: tuple[str, ...], student: str, assignment: str) -> bool:
    """Whether ``student``'s scores for ``assignment`` differ between the given runs."""
    return len({repr(scores[run][assignment].get(student)) for run in runs}) > 1


SMALL_CLASS = 3  # submissions in the small-class comparison
SMALL_ASSIGNMENT = "A2_calculus"


def small_class(root: Path, repeats: int) -> bool:
    """A small class as an instructor grades it, commands typed whole (process start included):
    `nbgrader autograde` against `course-grade` on the same 3 submissions of one assignment, each
    on a fresh copy; then course-grade once more on the graded copy, where it skips everything,
    which is its start-up time. Prints the medians and their ratio; True if course-grade is no
    slower."""
    print(f"small class: {SMALL_CLASS} submissions of {SMALL_ASSIGNMENT}, nbgrader autograde against "
          f"course-grade, {repeats} fresh copies each …", flush=True)
    template = create_course(root / "template")
    nbgrader(template, "generate_assignment", SMALL_ASSIGNMENT)
    module = scenario_module(SMALL_ASSIGNMENT)
    release = nbformat.read(notebook_path(template, "notebooks", SMALL_ASSIGNMENT), as_version=4)
    source = nbformat.read(notebook_path(template, "source", SMALL_ASSIGNMENT), as_version=4)
    for i, kind in enumerate(KINDS[:SMALL_CLASS]):
        scenario = next(s for s in module.SCENARIOS if s.name == kind)
        path = root / f"small{i}.ipynb"
        nbformat.write(build_submission(release, source, scenario, module.MISTAKES), path)
        place_submission(template, f"student{i}", SMALL_ASSIGNMENT, path)
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = dict(os.environ, PATH=path)  # nbgrader runs its environment's alembic

    def timed(command: list[str], course: Path) -> float:
        started = time.perf_counter()
        subprocess.run(command, cwd=course, env=env, check=True, capture_output=True)
        return time.perf_counter() - started

    theirs, ours, startup = [], [], []
    for r in range(repeats):
        plain = Path(shutil.copytree(template, root / f"nbgrader{r}"))
        mine = Path(shutil.copytree(template, root / f"ours{r}"))
        theirs.append(timed([sys.executable, "-m", "nbgrader", "autograde", SMALL_ASSIGNMENT], plain))
        grade_command = [sys.executable, "-m", "autograder.grading.grade", "--course", ".", "--assignment",
                         SMALL_ASSIGNMENT, "--no-feedback"]
        ours.append(timed(grade_command, mine))
        startup.append(timed(grade_command, mine))  # everything graded: it only starts and skips
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"  baseline: nbgrader autograde          median {statistics.median(theirs):6.1f} s   "
          f"(n={repeats})")
    print(f"  course-grade                          median {statistics.median(ours):6.1f} s   "
          f"ratio {ratio:.2f}x (target <= 1x)")
    print(f"  course-grade start-up (skips all 3)   median {statistics.median(startup):6.1f} s")
    return ratio <= 1.0


def feedback_pages(course: Path, pairs: list[tuple[str, str]], sample: int) -> dict[str, list[float]]:
    """Seconds per feedback page (``nbgrader generate_feedback`` for one graded student, in this
    process) for ``sample`` students, by nbconvert's exporter and by the course's, turn about."""
    from nbgrader.apps import AutogradeApp
    from nbgrader.converters import GenerateFeedback
    from traitlets.config import Config

    exporters = {"nbconvert": "nbconvert.exporters.HTMLExporter",
                 "course": "autograder.grading.feedback_page.FeedbackExporter"}
    seconds: dict[str, list[float]] = {name: [] for name in exporters}
    with contextlib.chdir(course):
        app = AutogradeApp()
        app.initialize(["--log-level=ERROR"])  # the course's nbgrader_config.py, as nbgrader reads it
        for student, assignment in pairs[:sample]:
            app.coursedir.student_id, app.coursedir.assignment_id = student, assignment
            for name, exporter in exporters.items():
                converter = GenerateFeedback(coursedir=app.coursedir, parent=app, config=Config(
                    {"GenerateFeedback": {"exporter_class": exporter}}))
                converter.force = True
                started = time.perf_counter()
                converter.start()
                seconds[name].append(time.perf_counter() - started)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--small-repeats", type=int, default=3, help="fresh copies in the small-class part")
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="course-bench-") as tmp:
        small_ok = small_class(Path(tmp) / "small", max(1, args.small_repeats))
        print()
    with tempfile.TemporaryDirectory(prefix="course-bench-") as tmp:
        print(f"generating {args.submissions} submissions of {', '.join(assignments())} …", flush=True)
        serial_course, pairs = make_class(Path(tmp) / "serial", args.submissions)
        copies = {name: Path(shutil.copytree(serial_course, Path(tmp) / name))
                  for name in ("ours", "plain", "judged", "hardened")}

        print("grading with plain serial `nbgrader autograde` …", flush=True)
        serial_seconds, serial_each = serial_nbgrader(serial_course)
        print(f"grading with course-grade --jobs {args.jobs} (autograde only, like nbgrader) …", flush=True)
        before = cpu_times()
        summary = grade(copies["ours"], assignments=assignments(), jobs=args.jobs, feedback=False)
        busy = busy_share(before, cpu_times())
        ours_each = [o.seconds for o in summary.outcomes if o.status == GRADED]
        floor = floor_per_submission(serial_course, pairs, sample=min(12, len(pairs)))

        print("grading again without spare kernels: nbgrader's Execute (no sandbox, no judge), "
              "the judge without sandbox, the judge with the sandbox …", flush=True)
        no_spare = {"JudgedExecute": {"spare_kernel": False}}
        as_shipped = {"Autograde": {"autograde_preprocessors": nbgrader_default("autograde_preprocessors")}}
        runs = {
            "plain": grade(copies["plain"], assignments=assignments(), jobs=args.jobs, feedback=False,
                           extra_config=as_shipped),
            "judged": grade(copies["judged"], assignments=assignments(), jobs=args.jobs, feedback=False,
                            extra_config={"SandboxedKernelManager": {"sandbox": False}, **no_spare}),
            "hardened": grade(copies["hardened"], assignments=assignments(), jobs=args.jobs, feedback=False,
                              extra_config=no_spare),
        }
        scores = {name: {a: auto_scores(course, a) for a in assignments()}
                  for name, course in {"serial": serial_course, **copies}.items()}
        print("feedback pages by nbconvert's exporter and by the course's …", flush=True)
        pages = feedback_pages(copies["ours"], pairs, sample=min(12, len(pairs)))
    mismatches = [pair for pair in pairs if differ(scores, ("serial", "ours"), *pair)]
    hardened_mismatches = [pair for pair in pairs if differ(scores, tuple(scores), *pair)]
    n = len(pairs)
    print()
    print(f"{n} submissions, {cores} cores                     total     per submission")
    print(f"  serial nbgrader autograde           {serial_seconds:8.1f} s   "
          f"median {statistics.median(serial_each):.2f} s (each one after another)")
    print(f"  course-grade --jobs {args.jobs:<2d}              {summary.seconds:8.1f} s   median "
          f"{statistics.median(ours_each):.2f} s of a worker, {summary.seconds / n:.2f} s of wall time")
    print(f"  floor: bare nbclient run / {cores} cores {floor * n:8.1f} s   {floor:.2f} s")
    print(f"  speed-up over serial nbgrader: {serial_seconds / summary.seconds:.2f}x (target >= 2x)")
    print(f"  course-grade / floor:          {summary.seconds / (floor * n):.2f}x (target <= 1.5x)")
    if busy is not None:
        print(f"  the machine was {busy:.0%} busy while course-grade ran")
    print(f"  graded {summary.count(GRADED)} of {n}; scores identical in both gradebooks: "
          + ("yes" if not mismatches else f"NO, {len(mismatches)} differ: {mismatches[:5]}"))
    per = {label: statistics.median(o.seconds for o in run.outcomes if o.status == GRADED)
           for label, run in runs.items()}
    plain, judged, hardened = runs["plain"], runs["judged"], runs["hardened"]
    print()
    print(f"hardened grading, course-grade --jobs {args.jobs}, no spare kernels   total     "
          "median per submission (worker)")
    print(f"  nbgrader's Execute (no sandbox, no judge) {plain.seconds:8.1f} s   {per['plain']:.2f} s")
    print(f"  + judge (no sandbox)                      {judged.seconds:8.1f} s   {per['judged']:.2f} s")
    print(f"  + judge + sandbox (the course's set-up)   {hardened.seconds:8.1f} s   {per['hardened']:.2f} s")
    print(f"  judge's cost:   {(per['judged'] / per['plain'] - 1) * 100:+.0f}% per submission")
    print(f"  sandbox's cost: {(per['hardened'] / per['judged'] - 1) * 100:+.0f}% per submission")
    print(f"  together:       {(per['hardened'] / per['plain'] - 1) * 100:+.0f}% per submission, "
          f"{(hardened.seconds / plain.seconds - 1) * 100:+.0f}% in total (target <= +25%)")
    print(f"  spare kernels:  course-grade {summary.seconds:.1f} s with them, {hardened.seconds:.1f} s "
          f"without ({(summary.seconds / hardened.seconds - 1) * 100:+.0f}%); median per submission "
          f"{statistics.median(ours_each):.2f} s with, {per['hardened']:.2f} s without")
    print("  every submission scores the same in these runs, the first and serial nbgrader: "
          + ("yes" if not hardened_mismatches else f"NO, {len(hardened_mismatches)} differ"))
    print()
    page_ratio = statistics.median(pages["course"]) / statistics.median(pages["nbconvert"])
    print(f"feedback pages, {len(pages['course'])} graded notebooks           median per page")
    print(f"  nbconvert's HTMLExporter                  {statistics.median(pages['nbconvert']):.2f} s")
    print(f"  the course's FeedbackExporter             {statistics.median(pages['course']):.2f} s")
    print(f"  ratio: {page_ratio:.2f}x")
    print()
    verdict = "no slower than" if small_ok else "SLOWER THAN"
    print(f"small class: course-grade {verdict} nbgrader autograde (target)")
    return 0 if not mismatches and summary.count(GRADED) == n and small_ok else 1


if __name__ == "__main__":
    sys.exit(main())

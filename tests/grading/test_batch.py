"""course-grade: a whole class graded in parallel, losing nothing, with nbgrader's scores."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from autograder.devtools.course import create_course, nbgrader, notebook_path, place_submission
from autograder.devtools.submissions import build_submission, scenario_module
from autograder.grading.batch import FAILED, GRADED, SKIPPED, STAMP, grade
from autograder.grading.grade import main as course_grade
from autograder.grading.grades import auto_scores, auto_scores_at, db_url

from ..postgres_server import postgres_available, running_postgres
from .flaky_kernel import EVERY_ENV

pytestmark = pytest.mark.slow
ASSIGNMENT = "A2_calculus"
STUDENTS = 6  # one per scenario
BROKEN = {"no-notebook": None, "not-json": b"{ this is not a notebook", "empty-file": b""}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A course with the assignment released, a good submission per scenario and 3 broken ones."""
    course = create_course(tmp_path_factory.mktemp("class") / "course")
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    release = nbformat.read(notebook_path(course, "notebooks", ASSIGNMENT), as_version=4)
    source = nbformat.read(notebook_path(course, "source", ASSIGNMENT), as_version=4)
    module = scenario_module(ASSIGNMENT)
    scratch = course.parent / "scratch"
    scratch.mkdir()
    for i in range(STUDENTS):
        scenario = module.SCENARIOS[i % len(module.SCENARIOS)]
        path = scratch / f"{i}.ipynb"
        nbformat.write(build_submission(release, source, scenario, module.MISTAKES), path)
        place_submission(course, f"s{i}-{scenario.name}", ASSIGNMENT, path)
    for student, content in BROKEN.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        if content is not None:
            (folder / f"{ASSIGNMENT}.ipynb").write_bytes(content)
    return course


@pytest.fixture
def course(template, tmp_path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "course"))


@pytest.fixture
def pair(course) -> Path:
    """The class with two good students (right and partly right) and the broken three: for what the
    command reports, which needs no whole class graded."""
    for student in good_students()[2:]:
        shutil.rmtree(course / "submitted" / student)
    return course


@pytest.fixture(scope="module")
def graded_template(template, tmp_path_factory):
    """The same class graded once by course-grade (the tests that need a graded class copy it)."""
    course = Path(shutil.copytree(template, tmp_path_factory.mktemp("graded") / "course"))
    return course, grade(course, assignments=[ASSIGNMENT], jobs=2)


@pytest.fixture
def graded(graded_template, tmp_path) -> Path:
    return Path(shutil.copytree(graded_template[0], tmp_path / "course"))


def good_students() -> list[str]:
    module = scenario_module(ASSIGNMENT)
    return [f"s{i}-{module.SCENARIOS[i % len(module.SCENARIOS)].name}" for i in range(STUDENTS)]


def expected_scores() -> dict[str, dict[str, float]]:
    module = scenario_module(ASSIGNMENT)
    return {f"s{i}-{s.name}": s.expected
            for i, s in ((i, module.SCENARIOS[i % len(module.SCENARIOS)]) for i in range(STUDENTS))}


def test_every_submission_is_graded_or_reported_by_name(graded_template):
    course, summary = graded_template
    graded = sorted(o.submission.student for o in summary.outcomes if o.status == GRADED)
    assert graded == sorted(good_students())
    failed = {o.submission.student: o.reason for o in summary.failed}
    assert set(failed) == set(BROKEN)
    assert "no notebook A2_calculus.ipynb" in failed["no-notebook"]
    assert all("not a readable notebook" in failed[s] for s in ("not-json", "empty-file"))
    scores = auto_scores(course, ASSIGNMENT)
    assert {s: {c: scores[s][c] for c in want} for s, want in expected_scores().items()} == expected_scores()
    feedback = course / "feedback"
    assert all((feedback / s / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file() for s in good_students())


def test_scores_equal_those_of_serial_nbgrader_autograde(course, graded_template):
    serial = course
    for student in BROKEN:  # plain nbgrader would stop at these; it gets only the good ones
        shutil.rmtree(serial / "submitted" / student)
    nbgrader(serial, "autograde", ASSIGNMENT)
    ours = auto_scores(graded_template[0], ASSIGNMENT)
    assert {s: ours[s] for s in good_students()} == auto_scores(serial, ASSIGNMENT)


def test_nbgrader_autograde_with_spare_kernels_scores_as_expected_and_leaves_no_kernel(course):
    for student in BROKEN:
        shutil.rmtree(course / "submitted" / student)
    before = kernel_folders()
    nbgrader(course, "autograde", ASSIGNMENT, "--JudgedExecute.spare_kernel=True")
    scores = auto_scores(course, ASSIGNMENT)
    assert {s: {c: scores[s][c] for c in want} for s, want in expected_scores().items()} == expected_scores()
    assert kernel_folders() == before  # the last spare was stopped when the command ended


def test_a_notebook_can_read_the_files_submitted_with_it(course):
    student = good_students()[0]
    for other in {p.name for p in (course / "submitted").iterdir()} - {student}:
        shutil.rmtree(course / "submitted" / other)
    folder = course / "submitted" / student / ASSIGNMENT
    (folder / "measurements.txt").write_text("3.25")
    notebook = nbformat.read(folder / f"{ASSIGNMENT}.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("print('read', open('measurements.txt').read())"))
    nbformat.write(notebook, folder / f"{ASSIGNMENT}.ipynb")
    grade(course, assignments=[ASSIGNMENT], jobs=2)  # the kernel started before its submission was known
    graded = nbformat.read(course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    assert "read 3.25" in "".join(o.get("text", "") for o in graded.cells[-1].outputs)


def test_a_second_run_skips_what_is_graded_and_regrades_what_changed(graded):
    course = graded
    changed = good_students()[0]
    stamp = course / "submitted" / changed / ASSIGNMENT / "timestamp.txt"
    stamp.write_text("2030-01-01 00:00:00.000000 UTC")
    again = grade(course, assignments=[ASSIGNMENT], jobs=2)
    assert [o.submission.student for o in again.outcomes if o.status == GRADED] == [changed]
    assert again.count(SKIPPED) == STUDENTS - 1
    forced = grade(course, assignments=[ASSIGNMENT], jobs=2, force=True)
    assert forced.count(GRADED) == STUDENTS


def test_what_nbgrader_autograde_graded_is_skipped_unless_submitted_again_since(course):
    for student in BROKEN:  # nbgrader autograde stops with an error on these
        shutil.rmtree(course / "submitted" / student)
    nbgrader(course, "autograde", ASSIGNMENT)
    changed = good_students()[0]
    stamp = course / "submitted" / changed / ASSIGNMENT / "timestamp.txt"
    stamp.write_text("2030-01-01 00:00:00.000000 UTC")
    after = grade(course, assignments=[ASSIGNMENT], jobs=2)
    assert [o.submission.student for o in after.outcomes if o.status == GRADED] == [changed]
    assert after.count(SKIPPED) == STUDENTS - 1


def test_kernel_start_failures_are_retried_and_lose_nothing(course, monkeypatch):
    monkeypatch.setenv(EVERY_ENV, "3")  # each worker's first start, then every third, fails
    summary = grade(course, assignments=[ASSIGNMENT], jobs=2, retries=2, extra_config={
        "Execute": {"kernel_manager_class": "tests.grading.flaky_kernel.FlakyKernelManager"}})
    assert summary.count(GRADED) == STUDENTS
    assert any(o.attempts > 1 for o in summary.outcomes), "no kernel start failed: the test tested nothing"
    scores = auto_scores(course, ASSIGNMENT)
    assert {s: {c: scores[s][c] for c in want} for s, want in expected_scores().items()} == expected_scores()


def kernel_folders() -> set[str]:
    """The private folders of grading kernels now in existence (see SandboxedKernelManager)."""
    return {p.name for p in Path(tempfile.gettempdir()).glob("course-kernel-*")}


def running_kernels(within: float = 5.0) -> list[str]:
    """Grading kernels still alive after ``within`` seconds (they may take a moment to end)."""
    deadline = time.monotonic() + within
    while True:
        alive = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                cmdline = (status.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                state = next(ln for ln in status.read_text().splitlines() if ln.startswith("State:"))
            except (OSError, StopIteration):
                continue
            if "autograder.sandbox.start_kernel" in cmdline and "zombie" not in state:
                alive.append(f"{status.parent.name}: {cmdline[:80]}")
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def test_a_run_killed_midway_leaves_no_kernel_and_resumes_to_the_same_gradebook(course, graded_template):
    clean = graded_template[0]  # the same class graded without a kill

    command = [sys.executable, "-m", "autograder.grading.grade", "--course", str(course), "--jobs", "2"]
    process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list((course / "autograded").glob(f"*/{ASSIGNMENT}/{STAMP}"))) < 3:
        assert process.poll() is None and time.monotonic() < deadline, "grading ended before the kill"
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)  # the batch and its workers; their kernels end with them
    process.wait()
    assert running_kernels() == []
    graded_before = {p.parts[-3] for p in (course / "autograded").glob(f"*/{ASSIGNMENT}/{STAMP}")}
    assert 3 <= len(graded_before) < STUDENTS

    before = kernel_folders()  # a killed worker's kernels leave theirs: nobody was left to remove them
    resumed = grade(course, assignments=[ASSIGNMENT], jobs=2)
    assert {o.submission.student for o in resumed.outcomes if o.status == SKIPPED} == graded_before
    graded_now = {o.submission.student for o in resumed.outcomes if o.status == GRADED}
    assert graded_now == set(good_students()) - graded_before
    assert auto_scores(course, ASSIGNMENT) == auto_scores(clean, ASSIGNMENT)
    assert kernel_folders() == before  # a run that ends normally stops its spare kernels too


def test_unknown_students_are_reported_when_the_course_keeps_a_roster(pair, capsys):
    course = pair
    with open(course / "nbgrader_config.py", "a") as config:
        config.write("c.Autograde.create_student = False\n")
    roster = course / "roster.csv"  # every student but the first, in one nbgrader command
    roster.write_text("id\n" + "".join(f"{student}\n" for student in good_students()[1:2]))
    nbgrader(course, "db", "student", "import", str(roster))
    status = course_grade(["--course", str(course), "--jobs", "2"])
    out = capsys.readouterr().out
    assert status == 1
    assert f"FAILED {good_students()[0]}/{ASSIGNMENT}: unknown student" in out
    assert "graded 1," in out


def test_the_command_writes_a_grades_csv_with_a_column_per_grade_cell(pair, capsys):
    course = pair
    status = course_grade(["--course", str(course), "--jobs", "2", "--csv", str(course / "out.csv")])
    assert status == 1  # the broken submissions
    out = capsys.readouterr().out
    assert "graded 2, skipped 0" in out and "FAILED not-json/A2_calculus" in out
    with open(course / "out.csv", newline="") as stream:
        rows = {row["student"]: row for row in csv.DictReader(stream)}
    right = next(s for s in good_students() if s.endswith("-right"))
    full = sum(next(s for s in scenario_module(ASSIGNMENT).SCENARIOS if s.name == "right").expected.values())
    assert rows[right][ASSIGNMENT] == f"{full:g}" and rows[right][f"{ASSIGNMENT}:test_grad_f"] == "2"
    assert rows[right][f"{ASSIGNMENT}:gradient_by_hand"] == "pending"  # the written answer, for a person
    assert set(good_students()[:2]) <= set(rows)


@pytest.mark.parametrize("argv, message", [
    (["--assignment", "Z9_nothing"], "no such assignment"),
    (["--jobs", "0"], "--jobs must be at least 1"),
], ids=["unknown-assignment", "zero-jobs"])
def test_wrong_arguments_get_a_clear_error(course, capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        course_grade(["--course", str(course), *argv])
    assert exit_info.value.code == 2 and message in capsys.readouterr().err


def test_failed_submissions_lose_nothing_already_in_the_gradebook(graded):
    course = graded
    before = auto_scores(course, ASSIGNMENT)
    assert db_url(course).startswith("sqlite:///")
    again = grade(course, assignments=[ASSIGNMENT], jobs=2, force=True)
    assert again.count(FAILED) == len(BROKEN) and auto_scores(course, ASSIGNMENT) == before


@pytest.fixture
def postgres_url(tmp_path):
    if postgres_available() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is missing in CI: `make postgres` installs it")
        pytest.skip("PostgreSQL is not installed (`make postgres` installs it)")
    with running_postgres(folder=tmp_path / "postgres") as url:
        yield url


def test_a_postgresql_gradebook_gets_the_same_scores(template, tmp_path, postgres_url):
    course = create_course(tmp_path / "pg-course")
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"c.CourseDirectory.db_url = {postgres_url!r}\n")
    nbgrader(course, "generate_assignment", ASSIGNMENT)
    for student in good_students():
        shutil.copytree(template / "submitted" / student, course / "submitted" / student)
    assert course_grade(["--course", str(course), "--jobs", "2"]) == 0
    scores = auto_scores_at(postgres_url, ASSIGNMENT)
    assert {s: {c: scores[s][c] for c in want} for s, want in expected_scores().items()} == expected_scores()


def _plant_links(course: Path, student: str) -> Path:
    """A link to the solutions, a hard link to them and a pipe in a student's submission."""
    folder = course / "submitted" / student / ASSIGNMENT
    solutions = course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    os.symlink(solutions, folder / "solutions.ipynb")
    os.link(solutions, folder / "hard.ipynb")
    os.mkfifo(folder / "pipe")
    return folder


def _student_files_hold_solutions(course: Path, student: str) -> list[str]:
    found = []
    for step in ("autograded", "feedback"):
        for path in (course / step / student).rglob("*"):
            if path.is_symlink() or path.name in ("solutions.ipynb", "hard.ipynb", "pipe"):
                found.append(str(path.relative_to(course)))
            elif path.is_file() and b"BEGIN SOLUTION" in path.read_bytes():
                found.append(str(path.relative_to(course)))
    return found


def test_nbgrader_autograde_and_feedback_with_the_course_config_never_copy_through_a_link(course):
    """Regression: nbgrader's shutil.copy followed links in a submission into autograded/ and
    feedback/ (solutions, gradebook, any file of the machine), with the grader's rights."""
    for student in BROKEN:
        shutil.rmtree(course / "submitted" / student)
    student = good_students()[0]
    _plant_links(course, student)
    log = nbgrader(course, "autograde", ASSIGNMENT, f"--student={student}")
    log += nbgrader(course, "generate_feedback", ASSIGNMENT, f"--student={student}")
    assert "Refused in" in log and "solutions.ipynb (a symbolic link to" in log
    assert "pipe (a named pipe)" in log and "hard.ipynb (a hard link" in log
    assert _student_files_hold_solutions(course, student) == []
    kept = sorted(p.name for p in (course / "quarantine" / student / ASSIGNMENT).iterdir())
    assert kept == ["hard.ipynb", "pipe", "solutions.ipynb"]
    scores, want = auto_scores(course, ASSIGNMENT)[student], expected_scores()[student]
    assert {cell: scores[cell] for cell in want} == want


def test_course_grade_names_what_it_refused_and_grades_the_rest(pair, capsys):
    course = pair
    student = good_students()[0]
    _plant_links(course, student)
    os.symlink(course / "submitted" / good_students()[1], course / "submitted" / "link-to-another")
    course_grade(["--course", str(course), "--jobs", "2"])
    out = capsys.readouterr().out
    assert f"REFUSED in {student}/{ASSIGNMENT}" in out and "hard.ipynb (a hard link" in out
    assert "FAILED link-to-another/*: refused: submitted/link-to-another is a symbolic link" in out
    assert _student_files_hold_solutions(course, student) == []
    scores, want = auto_scores(course, ASSIGNMENT)[student], expected_scores()[student]
    assert {cell: scores[cell] for cell in want} == want


def test_nbgrader_collect_leaves_links_out_and_says_which(tmp_path):
    exchange = tmp_path / "exchange"
    course = create_course(tmp_path / "course", exchange=exchange)
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    inbound = exchange / "d2l-math" / "inbound" / f"mallory+{ASSIGNMENT}+2026-12-01 10:00:00.000000 UTC+x"
    inbound.mkdir(parents=True)
    shutil.copy(notebook_path(course, "notebooks", ASSIGNMENT), inbound / f"{ASSIGNMENT}.ipynb")
    (inbound / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
    os.symlink(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", inbound / "solutions.ipynb")
    os.mkfifo(inbound / "pipe")
    log = nbgrader(course, "collect", ASSIGNMENT)
    assert "not collected: solutions.ipynb (a symbolic link to" in log and "pipe (a named pipe)" in log
    collected = sorted(p.name for p in (course / "submitted" / "mallory" / ASSIGNMENT).iterdir())
    assert collected == [f"{ASSIGNMENT}.ipynb", "timestamp.txt"]


def test_a_second_run_in_the_same_course_is_refused_with_its_own_status(course, capsys):
    from autograder.grading.course_lock import grading_lock

    with grading_lock(course):
        status = course_grade(["--course", str(course), "--jobs", "1"])
    assert status == 3 and f"pid {os.getpid()} on " in capsys.readouterr().err


def test_grading_is_refused_where_the_sandbox_cannot_run_unless_turned_off(course, capsys, monkeypatch):
    from autograder.grading import grade as command
    from autograder.sandbox.bubblewrap import Status

    monkeypatch.setattr(command, "sandbox_status", lambda: Status(False, "bubblewrap failed: no namespaces"))
    assert course_grade(["--course", str(course), "--jobs", "1"]) == 4
    err = capsys.readouterr().err
    assert "grading refused" in err and "no namespaces" in err and "--no-sandbox" in err
    assert not (course / "autograded").exists()  # nothing ran

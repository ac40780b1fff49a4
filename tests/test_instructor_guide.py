"""The README's Instructor guide, typed as an instructor types it.

The guide's table of commands is read out of README.md (so the two cannot drift) and run in order,
on a copy of the repository as a clone has it, for A.2 and three students (right, partly right,
untouched) who fetch and submit through a real exchange folder, each with a HOME of their own
(and ``--student=LOGIN`` added: on a hub each student has a login of their own, from which nbgrader
takes the student id; here the three share the test's).
`make instructor` starts the real JupyterLab, and the written answers are graded through
formgrader's own HTTP API, as its page does. Then the tests read what each person would see: the
gradebook's scores, `course-grade` agreeing with `nbgrader autograde`, each student's fetched
feedback with the manual score and comment, and the exports.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from autograder.devtools.submissions import RIGHT, build_submission, scenario_module
from tests.repository_copy import copy_of_the_repository

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "A2_calculus"
STUDENTS = {"alice": "right", "bob": "partly-right", "carol": "blank"}  # login -> scenario
COMMENT = {True: "Right, and every step is justified.", False: "Not yet: compare with the model answer."}


def scenario_of(login: str):
    """The scenario a student of the test answers as."""
    return next(s for s in scenario_module(ASSIGNMENT).SCENARIOS if s.name == STUDENTS[login])


def readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n{title}\n")
    end = text.index("\n#", start + len(title) + 2)
    return text[start:end]


def guide_table() -> list[tuple[str, list[str]]]:
    """The Instructor guide's table: (step, the commands of its row in the order written)."""
    rows = [line for line in readme_section("## Instructor guide").splitlines() if line.startswith("| ")]
    steps = []
    for line in rows[1:]:  # the header row; the separator row starts with "| ---"
        if line.startswith("| ---"):
            continue
        step, commands = (cell.strip() for cell in line.strip("|").split(" | "))
        steps.append((step, re.findall(r"`([^`]+)`", commands)))
    return steps


def class_grading_command() -> str:
    """The first command of "Grading a whole class": grade every submission of the course."""
    block = readme_section("### Grading a whole class").split("```bash\n", 1)[1].split("```", 1)[0]
    return block.splitlines()[0].split("#", 1)[0].strip()


def clone_of_the_repository(target: Path) -> Path:
    """The repository's files as a fresh clone has them, with the project's environment, which
    `make` would otherwise build."""
    copy_of_the_repository(target)
    (target / ".venv").symlink_to(ROOT / ".venv")
    # make must find that environment up to date: were the clone's pins newer than its stamp, `make
    # instructor` would reinstall the course from the clone, into the shared venv, and every later
    # import of autograder anywhere would load the clone's copy.
    stamp = (ROOT / ".venv" / ".installed").stat().st_mtime
    for name in ("requirements.txt", "requirements-dev.txt", "pyproject.toml"):
        os.utime(target / name, (stamp - 60, stamp - 60))
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Person:
    """Someone typing commands: a login, a HOME of their own, a folder they work in."""

    login: str
    home: Path
    cwd: Path
    log: list[str] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("JUPYTER_", "NBGRADER_", "COURSE_"))}
        env.update(HOME=str(self.home), USER=self.login, LOGNAME=self.login,
                   # "inside the project's environment": .venv/bin first, as `source .venv/bin/activate`
                   PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
        return env

    def run(self, command: str) -> str:
        done = subprocess.run(shlex.split(command), cwd=self.cwd, env=self.env(), capture_output=True,
                              text=True, timeout=900)
        out = done.stdout + done.stderr
        self.log.append(f"$ {command}\n{out}")
        assert done.returncode == 0 and "[ERROR]" not in out, f"{self.login}: `{command}` failed:\n{out}"
        return out


class Formgrader:
    """formgrader's HTTP API in the JupyterLab that `make instructor` starts."""

    def __init__(self, port: int, token: str):
        self.base, self.token = f"http://127.0.0.1:{port}", token

    def call(self, method: str, path: str, body: dict | None = None):
        request = urllib.request.Request(self.base + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or "null")

    def page(self, path: str) -> str:
        request = urllib.request.Request(self.base + path, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read().decode("utf-8")

    def wait(self, server: subprocess.Popen, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert server.poll() is None, "make instructor stopped before it served formgrader"
            try:
                self.call("GET", "/formgrader/api/status")
                return
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"formgrader did not answer within {seconds:g} s")


@dataclass
class Taught:
    """What the guide's commands left behind."""

    course: Path
    instructor: Person
    students: dict[str, Person]
    autograded_output: str
    manual: dict[str, dict[str, float]]  # login -> written grade cell -> points set in formgrader
    formgrader_pages: dict[str, str]  # login -> the HTML formgrader shows of their submission
    autograded_mtimes_before: dict[str, float]
    autograded_mtimes_after: dict[str, float]


def grade_in_formgrader(formgrader: Formgrader) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """Each written answer that waits for a person: full points for the model answer, 0 otherwise,
    with a comment; what formgrader's page sends when the instructor types a score. Also returns
    the page formgrader shows of each submission."""
    manual: dict[str, dict[str, float]] = {}
    pages: dict[str, str] = {}
    for notebook in formgrader.call("GET", f"/formgrader/api/submitted_notebooks/{ASSIGNMENT}/{ASSIGNMENT}"):
        login = notebook["student"]
        pages[login] = formgrader.page(f"/formgrader/submissions/{notebook['id']}")
        scenario = scenario_of(login)
        query = f"?submission_id={notebook['id']}"
        comments = {c["name"]: c for c in formgrader.call("GET", "/formgrader/api/comments" + query)}
        for grade in formgrader.call("GET", "/formgrader/api/grades" + query):
            if not grade["needs_manual_grade"]:
                continue
            right = scenario.answer_for(grade["name"]) == RIGHT
            points = grade["max_score"] if right else 0.0
            formgrader.call("PUT", f"/formgrader/api/grade/{grade['id']}", {"manual_score": points})
            formgrader.call("PUT", f"/formgrader/api/comment/{comments[grade['name']]['id']}",
                            {"manual_comment": COMMENT[right]})
            manual.setdefault(login, {})[grade["name"]] = points
    return manual, pages


def autograded_mtimes(course: Path) -> dict[str, float]:
    return {str(path.relative_to(course)): path.stat().st_mtime
            for path in sorted((course / "autograded").glob(f"*/{ASSIGNMENT}/*.ipynb"))}


def solve(student: Person) -> None:
    """The student answers the fetched notebook as their scenario says (carol leaves it untouched)."""
    scenario = scenario_of(student.login)
    fetched = student.cwd / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    source_nb = nbformat.read(ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    answered = build_submission(nbformat.read(fetched, as_version=4), source_nb, scenario,
                                scenario_module(ASSIGNMENT).MISTAKES)
    nbformat.write(answered, fetched)


@pytest.fixture(scope="module")
def taught(tmp_path_factory) -> Taught:
    tmp = tmp_path_factory.mktemp("guide")
    course = clone_of_the_repository(tmp / "clone")
    exchange = tmp / "exchange"
    exchange.mkdir(mode=0o777)
    # The guide: "set c.Exchange.root in nbgrader_config.py to use another one" (the default is
    # system-wide); students, outside the course folder, name it in their own nbgrader config.
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(f"\nget_config().Exchange.root = {str(exchange)!r}  # noqa: F821\n")
    instructor = Person("instructor", tmp / "home" / "instructor", course)
    students = {}
    for login in STUDENTS:
        home = tmp / "home" / login
        (home / ".jupyter").mkdir(parents=True)
        (home / ".jupyter" / "nbgrader_config.py").write_text(
            f"get_config().Exchange.root = {str(exchange)!r}\n", encoding="utf-8")
        students[login] = Person(login, home, home)
    instructor.home.mkdir(parents=True)

    autograded_output, manual, pages = "", {}, {}
    before = after = {}
    for _, commands in guide_table():
        for command in commands:
            if "--course d2l-math" in command:  # a student's command, typed by each student
                for student in students.values():
                    student.run(f"{command} --student={student.login}")
                    if "fetch_assignment" in command:
                        solve(student)
            elif command == "make instructor":
                manual, pages = grade_with_make_instructor(instructor, command)
            else:
                out = instructor.run(command)
                if command.startswith("nbgrader autograde"):
                    autograded_output = out
                    before = autograded_mtimes(course)
                    instructor.run(class_grading_command())  # course-grade, after nbgrader's own
                    after = autograded_mtimes(course)
    installed = subprocess.run([sys.executable, "-c", "import autograder; print(autograder.__file__)"],
                               cwd=tmp, capture_output=True, text=True, check=True).stdout.strip()
    assert installed == str(ROOT / "autograder" / "__init__.py"), installed
    return Taught(course, instructor, students, autograded_output, manual, pages, before, after)


def grade_with_make_instructor(instructor: Person, command: str):
    port, token = free_port(), "guide-test-token"
    env = {**instructor.env(), "JUPYTER_TOKEN": token}
    server = subprocess.Popen([*shlex.split(command), f"PORT={port}"], cwd=instructor.cwd, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        formgrader = Formgrader(port, token)
        formgrader.wait(server)
        return grade_in_formgrader(formgrader)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def test_the_guide_covers_the_whole_loop():
    commands = " ".join(c for _, row in guide_table() for c in row)
    for word in ["generate_assignment", "release_assignment", "fetch_assignment", "submit", "collect",
                 "autograde", "make instructor", "generate_feedback", "release_feedback",
                 "fetch_feedback", "export"]:
        assert word in commands, f"the Instructor guide's table has no `{word}` step"


def test_every_student_is_graded_in_the_gradebook_with_the_expected_points(taught):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{taught.course / 'gradebook.db'}") as gradebook:
        for login in STUDENTS:
            scenario = scenario_of(login)
            submission = gradebook.find_submission(ASSIGNMENT, login)
            scores = {g.name: g.score for nb in submission.notebooks for g in nb.grades}
            assert {cell: scores[cell] for cell in scenario.expected} == scenario.expected, login


def test_course_grade_skips_what_nbgrader_autograde_graded(taught):
    assert taught.autograded_mtimes_before and len(taught.autograded_mtimes_before) == len(STUDENTS)
    assert taught.autograded_mtimes_after == taught.autograded_mtimes_before


def test_autograding_an_untouched_notebook_raises_no_tampering_alarm(taught):
    assert "has changed" not in taught.autograded_output, taught.autograded_output


def test_written_answers_were_graded_in_formgrader(taught):
    assert taught.manual["alice"] and all(points > 0 for points in taught.manual["alice"].values())
    assert all(points == 0 for points in taught.manual["bob"].values())


def test_formulas_show_as_mathml_in_formgrader_and_feedback_without_a_network(taught):
    # MathML is drawn by the browser itself; nbgrader's templates would fetch MathJax from a CDN.
    for login, student in taught.students.items():
        assert "<math" in taught.formgrader_pages[login] and "$\\nabla" not in taught.formgrader_pages[login]
        (page,) = (student.cwd / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html")
        assert "<math" in page.read_text(encoding="utf-8"), login


def test_each_student_fetches_feedback_with_their_manual_score_and_comment(taught):
    for login, student in taught.students.items():
        pages = list((student.cwd / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))
        assert len(pages) == 1, f"{login} fetched {len(pages)} feedback pages"
        page = pages[0].read_text(encoding="utf-8")
        scenario = scenario_of(login)
        total = sum(scenario.expected.values()) + sum(taught.manual.get(login, {}).values())
        assert f"Score: {total:.1f} / " in page, f"{login}'s feedback does not show the score {total}"
        for cell, points in taught.manual.get(login, {}).items():
            assert COMMENT[points > 0] in page, f"{login}'s feedback lacks the comment on {cell}"


def test_the_exports_hold_every_student_with_autograded_plus_manual_points(taught):
    with open(taught.course / "grades.csv", newline="") as stream:
        exported = {row["student_id"]: float(row["score"]) for row in csv.DictReader(stream)}
    for login in STUDENTS:
        scenario = scenario_of(login)
        assert exported[login] == sum(scenario.expected.values()) + sum(taught.manual.get(login, {}).values())
    with open(taught.course / "canvas-grades.csv", newline="") as stream:
        _, _, *rows = list(csv.reader(stream))
    assert {row[3]: float(row[5]) for row in rows} == exported

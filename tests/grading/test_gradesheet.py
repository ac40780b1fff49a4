"""grades-by-cell.csv agrees with `nbgrader export`: late penalties applied, manual grading pending."""

import csv
import datetime as dt
import os
import sys

from nbgrader.api import Gradebook

from autograder.grading.gradesheet import write_gradesheet

DUE = dt.datetime(2026, 11, 1, 12, 0)


def make_gradebook(url: str) -> None:
    with Gradebook(url) as gb:
        gb.add_assignment("A2_calculus", duedate=DUE)
        gb.add_notebook("A2_calculus", "A2_calculus")
        gb.add_grade_cell("test_grad_f", "A2_calculus", "A2_calculus", max_score=2, cell_type="code")
        gb.add_grade_cell("gradient_by_hand", "A2_calculus", "A2_calculus", max_score=2, cell_type="markdown")
        for student, late in (("on-time", False), ("late", True)):
            gb.add_student(student)
            gb.add_submission("A2_calculus", student, timestamp=DUE + dt.timedelta(hours=2 if late else -2))
            notebook = gb.find_submission_notebook("A2_calculus", "A2_calculus", student)
            code = gb.find_grade("test_grad_f", "A2_calculus", "A2_calculus", student)
            written = gb.find_grade("gradient_by_hand", "A2_calculus", "A2_calculus", student)
            code.auto_score, code.needs_manual_grade = 2.0, False
            written.needs_manual_grade = not late  # the late student's answer is graded by hand ...
            if late:
                written.manual_score = 1.5  # ... and loses 1 point to the late policy
                notebook.late_submission_penalty = 1.0
        gb.db.commit()


def test_the_sheet_applies_late_penalties_and_shows_pending_manual_grades(tmp_path, monkeypatch):
    # nbgrader's Gradebook runs the `alembic` command of its own environment.
    monkeypatch.setenv("PATH", os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"]]))
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    make_gradebook(url)
    assert write_gradesheet(url, tmp_path / "grades.csv") == 2
    with open(tmp_path / "grades.csv", newline="") as stream:
        rows = {row["student"]: row for row in csv.DictReader(stream)}
    assert rows["late"] == {"student": "late", "A2_calculus": "2.5", "A2_calculus:late_penalty": "1",
                            "A2_calculus:test_grad_f": "2", "A2_calculus:gradient_by_hand": "1.5"}
    assert rows["on-time"]["A2_calculus:gradient_by_hand"] == "pending"
    assert rows["on-time"]["A2_calculus:late_penalty"] == "0" and rows["on-time"]["A2_calculus"] == "2"

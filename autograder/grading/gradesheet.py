"""The grades CSV: a row per student, a column per assignment and per grade cell."""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

PENALTY = "late_penalty"  # the column after each assignment's score
PENDING = "pending"  # a cell's value while it waits for manual grading


def write_gradesheet(db_url: str, path: Path) -> int:
    """Write every student's scores from nbgrader's gradebook to ``path``; return the row count.

    Columns: ``student``, then for each assignment its score as `nbgrader export` gives it (the
    total less the late-submission penalty, never below 0), the penalty (``A2_calculus:late_penalty``)
    and one column per grade cell (``A2_calculus:test_grad_f``). A cell that waits for manual
    grading says ``pending``; a submission that was never graded leaves its cells empty.
    """
    # nbgrader's own relationships trigger SQLAlchemy "not in session" warnings on reading (its
    # `nbgrader export` prints them too); they are harmless here, and noise for instructors.
    with warnings.catch_warnings(), Gradebook(db_url) as gradebook:
        warnings.simplefilter("ignore", SAWarning)
        assignments = sorted(gradebook.assignments, key=lambda a: a.name)
        columns: list[tuple[str, str | None]] = []
        for assignment in assignments:
            columns.extend([(assignment.name, None), (assignment.name, PENALTY)])
            columns.extend((assignment.name, cell.name)
                           for nb in assignment.notebooks for cell in nb.grade_cells)
        rows = []
        for student in sorted(gradebook.students, key=lambda s: s.id):
            row = {"student": student.id}
            for assignment in assignments:
                try:
                    submission = gradebook.find_submission(assignment.name, student.id)
                except MissingEntry:
                    continue
                penalty = submission.late_submission_penalty or 0.0
                row[assignment.name] = _number(max(0.0, submission.score - penalty))
                row[f"{assignment.name}:{PENALTY}"] = _number(penalty)
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        row[f"{assignment.name}:{grade.name}"] = (
                            PENDING if grade.needs_manual_grade else _number(grade.score))
            rows.append(row)
    header = ["student"] + [a if cell is None else f"{a}:{cell}" for a, cell in columns]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"

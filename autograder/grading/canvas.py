"""Grades as Canvas imports them: an nbgrader export plugin.

    nbgrader export --exporter=autograder.grading.canvas.CanvasExportPlugin --to canvas-grades.csv

Canvas's gradebook import (Grades → Import) reads a CSV whose first columns identify the student
— ``Student`` ("Last, First"), ``ID`` (Canvas's own, left empty here), ``SIS User ID``, ``SIS Login
ID``, ``Section`` — followed by one column per assignment; an optional second row, ``Points
Possible``, gives each assignment's maximum. A column whose header names no existing Canvas
assignment becomes a new assignment. Canvas matches each row by one of the identifying columns:
nbgrader's student id goes in ``SIS Login ID`` (and ``SIS User ID``), which is what an LTI-launched
hub uses as the login. Scores are nbgrader's (`nbgrader export`'s ``score``): the total less the
late penalty, 0 for an assignment not submitted.
"""

from __future__ import annotations

import csv

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin

IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_ROW = "Points Possible"


class CanvasExportPlugin(ExportPlugin):
    """Write the gradebook in Canvas's gradebook-import CSV format (default: canvas-grades.csv)."""

    def export(self, gradebook: Gradebook) -> None:
        dest = self.to or "canvas-grades.csv"
        wanted = {str(a) for a in self.assignment}
        chosen = {str(s) for s in self.student}
        assignments = [a for a in sorted(gradebook.assignments, key=lambda a: a.name)
                       if not wanted or a.name in wanted]
        students = [s for s in sorted(gradebook.students, key=lambda s: s.id) if not chosen or s.id in chosen]
        self.log.info("Exporting grades for Canvas to %s", dest)
        with open(dest, "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow([*IDENTITY, *(a.name for a in assignments)])
            writer.writerow([POINTS_ROW, "", "", "", "", *(_number(a.max_score) for a in assignments)])
            for student in students:
                parts = [p for p in (student.last_name, student.first_name) if p]
                name = ", ".join(parts) or student.id
                scores = []
                for assignment in assignments:
                    try:
                        submission = gradebook.find_submission(assignment.name, student.id)
                    except MissingEntry:
                        scores.append("0")
                        continue
                    penalty = submission.late_submission_penalty or 0.0
                    scores.append(_number(max(0.0, submission.score - penalty)))
                writer.writerow([name, "", student.id, student.id, "", *scores])


def _number(value: float) -> str:
    return f"{value:g}"

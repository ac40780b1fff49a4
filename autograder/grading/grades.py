"""Read scores out of nbgrader's gradebook, and print them as a table."""

from __future__ import annotations

from pathlib import Path

from nbgrader.api import Gradebook


def db_url(course: Path) -> str:
    return f"sqlite:///{(course / 'gradebook.db').resolve()}"


def auto_scores(course: Path, assignment: str) -> dict[str, dict[str, float | None]]:
    """student -> grade cell -> the autograder's score (None for cells graded by hand)."""
    return auto_scores_at(db_url(course), assignment)


def auto_scores_at(url: str, assignment: str) -> dict[str, dict[str, float | None]]:
    """The same, from the gradebook at ``url`` (SQLite or PostgreSQL)."""
    scores: dict[str, dict[str, float | None]] = {}
    with Gradebook(url) as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            cells = scores.setdefault(submission.student.id, {})
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    cells[grade.name] = grade.auto_score
    return scores


def max_scores(course: Path, assignment: str) -> dict[str, tuple[float, bool]]:
    """grade cell -> (its points, whether the autograder scores it), as nbgrader stored them."""
    with Gradebook(db_url(course)) as gradebook:
        found = gradebook.find_assignment(assignment)
        return {cell.name: (cell.max_score, cell.cell_type == "code")
                for nb in found.notebooks for cell in nb.grade_cells}


def format_table(scores: dict[str, dict[str, float | None]], maxima: dict[str, tuple[float, bool]],
                 *, expected: dict[str, dict[str, float]] | None = None) -> str:
    """A plain-text table: a row per student, a column per grade cell, the autograded total.

    Cells graded by hand show "manual"; with ``expected``, a last column says whether every
    autograded score is exactly the one expected.
    """
    columns = list(maxima)
    header = ["student", *columns, "auto total"] + (["as expected"] if expected else [])
    auto_total = sum(points for points, autograded in maxima.values() if autograded)
    rows = [header, ["(points)", *(f"{maxima[c][0]:g}" for c in columns), f"{auto_total:g}"]
            + ([""] if expected else [])]
    for student, cells in sorted(scores.items()):
        shown = ["manual" if cells.get(c) is None else f"{cells[c]:g}" for c in columns]
        total = sum(v for v in cells.values() if v is not None)
        row = [student, *shown, f"{total:g}"]
        if expected:
            want = expected.get(student, {})
            row.append("yes" if all(cells.get(c) == p for c, p in want.items()) else "NO")
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)

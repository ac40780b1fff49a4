"""Every notebook runs top to bottom: the source with every check passing, the student's untouched
release to its last cell, with a calm verdict per test cell and no error."""

import nbformat
import pytest

from autograder.devtools.course import NOTEBOOKS, SOURCE, assignments
from autograder.devtools.kernel import execute

pytestmark = pytest.mark.slow


def graded_cells(notebook):
    return [c for c in notebook.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]


def verdicts(cell) -> list[str]:
    """The verdicts a test cell shows (text/plain of its displays)."""
    return [o.data["text/plain"] for o in cell.outputs
            if o.output_type == "display_data" and "course-verdict" in o.data.get("text/html", "")]


def run(folder, assignment):
    path = folder / assignment / f"{assignment}.ipynb"
    notebook = execute(nbformat.read(path, as_version=4), folder=path.parent, timeout=60)
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    # nbgrader scores 0 for a test cell that writes to stderr, so nothing may (no warnings either)
    assert [o.text for o in outputs if o.get("name") == "stderr"] == []
    return notebook


def progress_text(notebook) -> str:
    last_code = [c for c in notebook.cells if c.cell_type == "code"][-1]
    assert last_code.source.strip() == "progress()"
    return "".join(o.data["text/plain"] for o in last_code.outputs if o.output_type == "display_data")


@pytest.mark.parametrize("assignment", assignments())
def test_source_notebook_runs_top_to_bottom_and_every_check_passes(assignment):
    notebook = run(SOURCE, assignment)
    graded = graded_cells(notebook)
    assert len(graded) >= 6
    for cell in graded:  # one verdict per test cell: all passes, hidden checks included
        (verdict,) = verdicts(cell)
        assert verdict.startswith("✔ Exercise ") and "✔ hidden cases" in verdict, verdict
    summary = progress_text(notebook)
    assert f"{len(graded)} of {len(graded)} checked exercises pass" in summary


@pytest.mark.parametrize("assignment", assignments())
def test_untouched_student_notebook_runs_all_to_the_end(assignment):
    """Regression: Run All stopped at the first unsolved exercise's test cell."""
    notebook = run(NOTEBOOKS, assignment)
    for cell in graded_cells(notebook):
        (verdict,) = verdicts(cell)
        assert verdict.startswith("○ Exercise ") and "not attempted yet" in verdict, verdict
        assert "hint" not in verdict.lower() and "Traceback" not in verdict
    summary = progress_text(notebook)
    assert f"0 of {len(graded_cells(notebook))} checked exercises pass" in summary
    assert "○" in summary and "✔" not in summary

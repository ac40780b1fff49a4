"""Every source notebook runs top to bottom: no error, nothing on stderr, every hidden check passes."""

import nbformat
import pytest

from autograder.course import SOURCE, assignments
from autograder.kernel import execute

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("assignment", assignments())
def test_source_notebook_runs_top_to_bottom_without_error_or_warning(assignment):
    path = SOURCE / assignment / f"{assignment}.ipynb"
    notebook = execute(nbformat.read(path, as_version=4), folder=path.parent, timeout=60)
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    # nbgrader scores 0 for a test cell that writes to stderr, so nothing may (no warnings either)
    assert [o.text for o in outputs if o.get("name") == "stderr"] == []
    graded = [c for c in notebook.cells
              if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    assert len(graded) >= 6
    for cell in graded:  # each test cell ran its hidden checks, and they passed
        printed = "".join(o.get("text", "") for o in cell.outputs)
        assert "hidden check" in printed and "passed" in printed, cell.metadata["nbgrader"]["grade_id"]

"""RestoreTestCells: a student can neither make, unmake nor disguise a test cell.

nbgrader's OverwriteCells puts back a grade cell's source and points when it finds the cell by
its grade id, and (with ``add_missing_cells``) re-adds grade cells that are gone. A student who
edits the nbgrader metadata slips past both: a test cell marked ungraded, or given another grade
id, is no longer found, and nbgrader then refuses the whole notebook as corrupted. This sanitizing
step runs before OverwriteCells and compares every cell's nbgrader metadata with the released
notebook: a cell claiming a grade id the release does not have becomes an ordinary cell, and a
cell carrying a test cell's grade id gets that test cell's type and metadata back.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from ..reports import test_cell_id


class RestoreTestCells(NbGraderPreprocessor):
    """Give test cells back their released type and metadata; strip metadata no release cell has."""

    def preprocess(self, nb, resources):
        released = self._release(resources)
        known = {cell.metadata["nbgrader"].get("grade_id"): cell for cell in released.cells
                 if "nbgrader" in cell.metadata}
        for cell in nb.cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if "nbgrader" not in cell.get("metadata", {}):
                continue
            original = known.get(grade_id)
            if original is None:
                self.log.warning("Cell with unknown grade id %r is treated as the student's own", grade_id)
                del cell.metadata["nbgrader"]
            elif test_cell_id(original) and (cell.cell_type != original.cell_type
                                             or cell.metadata != original.metadata):
                self.log.warning("Test cell %r had its type or metadata changed; restored", grade_id)
                cell.cell_type = original.cell_type
                cell.metadata = copy.deepcopy(original.metadata)
                cell.pop("attachments", None)  # markdown only
                cell.setdefault("outputs", [])
                cell.setdefault("execution_count", None)
        return nb, resources

    def _release(self, resources):
        meta = resources["nbgrader"]
        coursedir = CourseDirectory(config=self.config)
        folder = Path(coursedir.format_path(coursedir.release_directory, ".", meta["assignment"]))
        return nbformat.read(folder / f"{meta['notebook']}.ipynb", as_version=4)

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
import functools
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.grading.reports import test_cell_id


class RestoreTestCells(NbGraderPreprocessor):
    """Give test cells back their released type and metadata; strip metadata no release cell has."""

    def preprocess(self, nb, resources):
        released = released_notebook(self.config, resources)
        known = {cell.metadata["nbgrader"].get("grade_id"): cell for cell in released.cells
                 if "nbgrader" in cell.metadata}
        for cell in nb.cells:
            if not isinstance(cell.get("metadata"), dict):
                cell.metadata = {}
            if "nbgrader" not in cell.metadata:
                continue
            if not _well_formed(cell.metadata["nbgrader"]):
                # nbgrader's own steps would crash on it (a list as a grade id, say).
                self.log.warning("Cell with malformed nbgrader metadata is treated as the student's own")
                del cell.metadata["nbgrader"]
                continue
            grade_id = cell.metadata["nbgrader"].get("grade_id")
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


def _well_formed(meta) -> bool:
    """nbgrader metadata of the types nbgrader expects (what a student's edit may have broken)."""
    if not isinstance(meta, dict):
        return False
    flags = ("grade", "solution", "locked", "task")
    return (isinstance(meta.get("grade_id", ""), str)
            and all(isinstance(meta.get(flag, False), bool) for flag in flags)
            and isinstance(meta.get("points", 0), int | float) and not isinstance(meta.get("points"), bool)
            and isinstance(meta.get("schema_version", 3), int))


def released_notebook(config, resources):
    """The released version of the notebook being converted (notebooks/ASSIGNMENT/NOTEBOOK.ipynb),
    read once per process and release (sanitizing and judging both need it; callers never change it)."""
    meta = resources["nbgrader"]
    coursedir = CourseDirectory(config=config)
    folder = Path(coursedir.format_path(coursedir.release_directory, ".", meta["assignment"]))
    path = folder / f"{meta['notebook']}.ipynb"
    return _read_release(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _read_release(path: Path, mtime_ns: int):
    return nbformat.read(path, as_version=4)

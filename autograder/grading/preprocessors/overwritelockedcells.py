"""OverwriteLockedCells: nbgrader's OverwriteCells, warning only of what a student changed.

The gradebook keeps each test cell as the instructor wrote it, hidden tests included; the release
leaves them out. So nbgrader's OverwriteCells, which compares every locked cell of a submission
with the gradebook, finds a different text in every test cell with hidden tests, of every student,
and logs "Attribute 'checksum' for cell … has changed!" for each: read as tampering alerts, though
the student changed nothing. This step does what OverwriteCells does (it puts the gradebook's
source back either way) and says so only for a locked cell whose text is not the released one —
a cell the student really edited — in words that say what happened.
"""

from __future__ import annotations

from nbgrader.preprocessors import OverwriteCells

from autograder.grading.preprocessors.restoretestcells import released_notebook


class OverwriteLockedCells(OverwriteCells):
    def preprocess(self, nb, resources):
        released = released_notebook(self.config, resources)
        self._released = {cell.metadata["nbgrader"].get("grade_id"): cell.source
                          for cell in released.cells if "nbgrader" in cell.metadata}
        self._as_released = False
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        self._as_released = grade_id in self._released and cell.source == self._released[grade_id]
        return super().preprocess_cell(cell, resources, cell_index)

    def report_change(self, name, attr, old, new):
        if attr != "checksum":
            super().report_change(name, attr, old, new)
        elif not self._as_released:
            self.log.warning("Locked cell %s was edited in the submission: the course's version is "
                             "graded instead", name)
        # else: the released text, which differs from the gradebook's only by the hidden tests

"""The course's nbgrader pipelines: nbgrader's own defaults, with the course's steps put in.

Derived from nbgrader's defaults rather than copied, so an nbgrader upgrade that adds a step
keeps it here too.
"""

from __future__ import annotations

from nbgrader.converters import Autograde

EXECUTE = "nbgrader.preprocessors.execute.Execute"
OVERWRITE_CELLS = "nbgrader.preprocessors.overwritecells.OverwriteCells"


def nbgrader_default(trait: str) -> list[str]:
    """nbgrader's default list for an Autograde pipeline trait, as dotted class names."""
    return [f"{c.__module__}.{c.__name__}" for c in Autograde.class_traits()[trait].default()]


def autograde() -> list[str]:
    """nbgrader's autograde steps with JudgedExecute in the place of Execute."""
    steps = nbgrader_default("autograde_preprocessors")
    return ["autograder.grading.preprocessors.JudgedExecute" if s == EXECUTE else s for s in steps]


def sanitize() -> list[str]:
    """nbgrader's sanitize steps with RestoreTestCells first: before nbgrader's own steps read the
    nbgrader metadata (DeduplicateIds crashes on a malformed one) and before OverwriteCells, so
    that test cells whose metadata a student edited are found and overwritten like the others;
    OverwriteLockedCells in the place of OverwriteCells, warning only of cells a student edited."""
    steps = nbgrader_default("sanitize_preprocessors")
    assert OVERWRITE_CELLS in steps, "nbgrader's sanitize steps no longer overwrite cells"
    steps = ["autograder.grading.preprocessors.OverwriteLockedCells" if s == OVERWRITE_CELLS else s
             for s in steps]
    return ["autograder.grading.preprocessors.RestoreTestCells", *steps]

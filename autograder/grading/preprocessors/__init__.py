"""nbgrader preprocessors the course adds to nbgrader's pipelines (one per file, as nbgrader does)."""

from autograder.grading.preprocessors.hidehiddentests import HideHiddenTests
from autograder.grading.preprocessors.judgedexecute import JudgedExecute
from autograder.grading.preprocessors.mathtomathml import MathToMathML
from autograder.grading.preprocessors.overwritelockedcells import OverwriteLockedCells
from autograder.grading.preprocessors.restoretestcells import RestoreTestCells

__all__ = ["HideHiddenTests", "JudgedExecute", "MathToMathML", "OverwriteLockedCells", "RestoreTestCells"]

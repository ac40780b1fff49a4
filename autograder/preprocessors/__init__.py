"""nbgrader preprocessors the course adds to nbgrader's pipelines (one per file, as nbgrader does)."""

from .hidehiddentests import HideHiddenTests
from .judgedexecute import JudgedExecute
from .mathtomathml import MathToMathML
from .overwritelockedcells import OverwriteLockedCells
from .restoretestcells import RestoreTestCells

__all__ = ["HideHiddenTests", "JudgedExecute", "MathToMathML", "OverwriteLockedCells", "RestoreTestCells"]

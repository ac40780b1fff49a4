"""nbgrader preprocessors the course adds to nbgrader's pipelines (one per file, as nbgrader does)."""

from .hidehiddentests import HideHiddenTests

__all__ = ["HideHiddenTests"]

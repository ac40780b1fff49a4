"""Instructor tooling for the course: nbgrader configuration, check helpers, grading commands."""

"""nbgrader reads this file from the folder it runs in; the course's settings live in autograder/."""

load_subconfig("autograder/nbgrader_config.py")  # noqa: F821 (provided by traitlets)

"""How the check helpers behave in this kernel: report (grading), strict (nbgrader) or learn.

- "report": grading. ``COURSE_CHECK_REPORT`` names the report file; the checks only report values
  and the judge, outside the kernel, decides (:mod:`autograder.grading.judge`).
- "strict": nbgrader runs the notebook (Validate; autograde without the course's judge), as its own
  ``NBGRADER_EXECUTION`` says, or ``COURSE_CHECKS=strict``. A failing check raises, so the cell
  counts as failed. nbgrader sets the variable in its own process before it starts the kernel.
- "learn": everywhere else. A check shows its verdict and never raises, so Run All goes on.

Whatever a student's code sets here changes no grade: points come only from the judge, and a
kernel that stops reporting fails every check it no longer reports.
"""

from __future__ import annotations

import os

REPORT_ENV = "COURSE_CHECK_REPORT"
STRICT_ENV = "COURSE_CHECKS"
NBGRADER_RUNS = ("autograde", "validate")  # the values nbgrader gives NBGRADER_EXECUTION


def mode() -> str:
    if os.environ.get(REPORT_ENV):
        return "report"
    if os.environ.get("NBGRADER_EXECUTION") in NBGRADER_RUNS or os.environ.get("NBGRADER_VALIDATING") \
            or os.environ.get(STRICT_ENV) == "strict":
        return "strict"
    return "learn"


def grading() -> bool:
    return mode() == "report"

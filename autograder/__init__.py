"""Instructor tooling for the course: nbgrader configuration, check helpers, grading commands."""

import sys

# jsonschema (imported by nbformat, so by every grading process) imports rfc3987_syntax when it
# is installed, only to check the "iri" string format, which no notebook schema uses; building
# that module's grammar takes about 2 s of every course-grade process and worker (measured with
# `python -X importtime`). Marking it absent makes jsonschema skip that one check.
sys.modules.setdefault("rfc3987_syntax", None)

"""The course package, in four parts, the trust boundary first (docs/architecture.md):

- ``learner``: what a student's kernel imports (checks, hints, solutions, explorers); it imports
  nothing from the other three;
- ``grading``: the engine that grades submissions, outside the student's kernel;
- ``sandbox``: the kernels grading starts, and their confinement;
- ``devtools``: the tools behind the make targets.

``nbgrader_config`` holds the course's nbgrader settings; ``checks`` and ``explorer`` are the
learner modules' names in notebooks fetched before this layout.
"""

import sys

# jsonschema (imported by nbformat, so by every grading process) imports rfc3987_syntax when it
# is installed, only to check the "iri" string format, which no notebook schema uses; building
# that module's grammar takes about 2 s of every course-grade process and worker (measured with
# `python -X importtime`). Marking it absent makes jsonschema skip that one check. The Makefile's
# venvs do the same for every process with a .pth file; this covers an install without it.
sys.modules.setdefault("rfc3987_syntax", None)

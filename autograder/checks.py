"""The check helpers by their name before the package had learner/: ``autograder.learner.checks``.

Notebooks fetched from an earlier release import ``from autograder.checks import …``; this name is
that very module (the same objects, so the judge and the source rules treat them alike).
"""

import sys

from autograder.learner import checks

sys.modules[__name__] = checks

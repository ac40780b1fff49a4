"""SafeCollect: nbgrader's collect, which never follows a link in a student's submission.

nbgrader's ``ExchangeCollect`` copies each submission from the exchange's inbound folder with
``shutil.copytree``, which copies what a link points to, with the instructor's rights. This
subclass first copies the submission's regular files and folders (see
:mod:`autograder.grading.submission_files`) into a staging folder, logging every refused entry by name,
and then lets nbgrader copy from there as usual (its ignore, include, size and permission rules
unchanged). Turned on by ``c.ExchangeFactory.collect`` in the course's nbgrader configuration.
"""

from __future__ import annotations

import os
import shutil
import tempfile

from nbgrader.exchange.default.collect import ExchangeCollect

from autograder.grading.submission_files import copy_tree


class SafeCollect(ExchangeCollect):
    """Collect submissions with links, hard links, pipes and devices left out (and logged)."""

    def do_copy(self, src, dest, log=None):
        parent = os.path.dirname(os.path.abspath(dest))
        os.makedirs(parent, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=".collect-", dir=parent)
        try:
            try:
                refused = copy_tree(src, os.path.join(staging, "submission"))
            except OSError as err:
                # Skipped, not raised: the other students' submissions are still collected.
                self.log.error("Refused the whole submission %s, not collected: %s", src, err)
                return
            for entry in refused:
                self.log.warning("Refused in the submission %s, not collected: %s", src, entry)
            super().do_copy(os.path.join(staging, "submission"), dest, log=log)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

"""Start a grading kernel: resource limits and an unprivileged user first, student code after.

Started by :class:`autograder.sandbox.bubblewrap.SandboxedKernelManager` as ``python -P -m
autograder.sandbox.start_kernel -f CONNECTION_FILE``. ``-P`` keeps the working folder (the submission's)
off ``sys.path``, so files there cannot stand in for installed modules; IPython honours it too.
"""

from __future__ import annotations

import json
import os
import resource
import sys

LIMITS_ENV = "COURSE_SANDBOX_LIMITS"  # the limits, as JSON, from SandboxedKernelManager


def apply_limits(limits: dict) -> None:
    """Set the limits (missing or None entries are left alone), then drop to ``uid`` if given."""
    for key, which in (("memory", resource.RLIMIT_AS), ("processes", resource.RLIMIT_NPROC),
                       ("cpu", resource.RLIMIT_CPU), ("file_size", resource.RLIMIT_FSIZE)):
        if limits.get(key):
            resource.setrlimit(which, (limits[key], limits[key]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    uid = limits.get("uid")
    if uid is not None:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)  # root's processes are exempt from the process limit; this user's are not
        os.environ["USER"] = os.environ["LOGNAME"] = "student"  # the uid has no passwd entry


def main() -> None:
    limits = json.loads(os.environ.pop(LIMITS_ENV, "{}"))
    apply_limits(limits)
    if limits.get("own_pid_namespace"):
        # There the kernel cannot see the grader's PID (JPY_PARENT_PID) and would take that for
        # the grader having died; "1" tells ipykernel not to watch: bubblewrap's --die-with-parent
        # does. Elsewhere ipykernel watches the grader and ends the kernel when it is gone.
        os.environ["JPY_PARENT_PID"] = "1"
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance(argv=sys.argv[1:])


if __name__ == "__main__":
    main()

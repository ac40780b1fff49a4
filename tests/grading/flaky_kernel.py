"""A kernel manager whose kernels fail to start now and then, for the "nothing is lost" tests."""

import itertools
import os

from autograder.sandbox.bubblewrap import SandboxedKernelManager

EVERY_ENV = "COURSE_TEST_KERNEL_FAILS_EVERY"

# This worker process's kernel starts, counted: the same failures every run (random ones left the
# test, now and then, with no failure to retry, and could fail one submission every time).
_starts = itertools.count()


class FlakyKernelManager(SandboxedKernelManager):
    """The course's kernel manager, failing the first start of each worker and then every Nth
    (EVERY_ENV; 0: never). Starts are taken in the order they began, so with N >= 2 no submission
    meets two failures in a row."""

    async def _async_start_kernel(self, **kwargs):
        every = int(os.environ.get(EVERY_ENV, "0"))
        if every and next(_starts) % every == 0:
            raise RuntimeError("injected failure: the kernel died before replying to kernel_info")
        return await super()._async_start_kernel(**kwargs)

    start_kernel = _async_start_kernel

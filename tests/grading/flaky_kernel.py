"""A kernel manager whose kernels fail to start at random, for the "nothing is lost" tests."""

import os
import random

from autograder.sandbox.bubblewrap import SandboxedKernelManager

RATE_ENV = "COURSE_TEST_KERNEL_FAILURE_RATE"


class FlakyKernelManager(SandboxedKernelManager):
    """The course's kernel manager, failing a share of starts (RATE_ENV, 0 to 1) at random."""

    async def _async_start_kernel(self, **kwargs):
        if random.random() < float(os.environ.get(RATE_ENV, "0")):
            raise RuntimeError("injected failure: the kernel died before replying to kernel_info")
        return await super()._async_start_kernel(**kwargs)

    start_kernel = _async_start_kernel

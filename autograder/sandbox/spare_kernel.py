"""A spare kernel: the next notebook's kernel boots while the current notebook is graded.

A grading worker spends a good part of each submission waiting for a fresh kernel: the process
starts, imports IPython, binds its sockets and answers ``kernel_info``, and jupyter_client then
waits for 0.2 s of silence on IOPub. Meanwhile the worker itself does nothing, and on a machine
with as many workers as cores, a core stands idle. With a spare, each notebook gets a kernel that
was started while the previous notebook ran, and the next spare is started at once.

The spare's start and its wait for readiness are asyncio tasks on the thread's own event loop
(the one ``jupyter_core.utils.run_sync`` and therefore nbclient use), so they move on whenever
nbclient runs that loop — all the while the current notebook's cells run — and need no thread.

A kernel started before anyone knows which submission it will grade must not see any submission:
:class:`autograder.sandbox.bubblewrap.SandboxedKernelManager` starts it in an empty private folder, and the
submission's files are copied in when it is taken (``copy_in``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.util import Finalize

from jupyter_client.client import KernelClient
from jupyter_client.manager import KernelManager
from jupyter_core.utils import ensure_async, run_sync

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Launch:
    """How to start a kernel: its manager, the arguments of start_kernel, a time limit.

    ``manager(kernel_name)`` must make managers configured alike for the life of the process.
    """

    kernel_name: str
    manager: Callable[[str], KernelManager]
    kwargs: dict = field(default_factory=dict)
    startup_timeout: float = 60

    @property
    def key(self) -> tuple:
        """Kernels started for equal keys are interchangeable."""
        return self.kernel_name, repr(sorted(self.kwargs.items())), self.startup_timeout


async def start(launch: Launch) -> tuple[KernelManager, KernelClient]:
    """Start a kernel and wait until it answers; nothing is left running if that fails."""
    km = launch.manager(launch.kernel_name)
    kc = None
    try:
        await ensure_async(km.start_kernel(**launch.kwargs))
        kc = km.client()
        await ensure_async(kc.start_channels())
        await ensure_async(kc.wait_for_ready(timeout=launch.startup_timeout))
    except BaseException:  # cancelled included: stop what was started
        await _stop(km, kc)
        raise
    return km, kc


async def _stop(km: KernelManager, kc: KernelClient | None) -> None:
    with contextlib.suppress(Exception):
        if kc is not None:
            kc.stop_channels()
        if await ensure_async(km.is_alive()):
            await ensure_async(km.shutdown_kernel(now=True))
        await ensure_async(km.cleanup_resources())


@dataclass
class _Spare:
    key: tuple
    ready: asyncio.Task  # -> (manager, client)


class SpareKernels:
    """Hands out ready kernels, keeping one more starting in the background."""

    def __init__(self) -> None:
        self._spare: _Spare | None = None
        # Spawned workers leave through multiprocessing's exit hooks (atexit in the main process).
        Finalize(self, self.close, exitpriority=10)

    def take(self, launch: Launch) -> tuple[KernelManager, KernelClient]:
        """A ready (manager, client) started as ``launch`` says; the next one starts at once.

        Raises what starting the kernel raised, as nbclient would.
        """
        return run_sync(self._take)(launch)

    async def _take(self, launch: Launch) -> tuple[KernelManager, KernelClient]:
        spare, self._spare = self._spare, None
        if spare is not None and spare.key != launch.key:  # started for another kind of notebook
            await self._discard(spare)
            spare = None
        if spare is None:
            spare = _Spare(launch.key, asyncio.ensure_future(start(launch)))
        km, kc = await spare.ready  # a start that failed raises here: that grading attempt fails
        if not await ensure_async(km.is_alive()):  # it died while it waited: start one afresh
            await _stop(km, kc)
            km, kc = await start(launch)
        self._spare = _Spare(launch.key, asyncio.ensure_future(start(launch)))
        return km, kc

    def close(self) -> None:
        """Stop the spare, if any (at exit, or when a worker is done)."""
        spare, self._spare = self._spare, None
        if spare is not None:
            with contextlib.suppress(Exception):
                run_sync(self._discard)(spare)

    @staticmethod
    async def _discard(spare: _Spare) -> None:
        if not spare.ready.done():
            spare.ready.cancel()
        try:
            km, kc = await spare.ready
        except BaseException as err:  # noqa: BLE001 - a spare that failed or was cancelled left nothing
            log.debug("spare kernel discarded before it was ready: %r", err)
            return
        await _stop(km, kc)

"""Spare kernels: each notebook gets a ready kernel, the next one boots meanwhile, none is left over."""

import os
import signal
import tempfile
import time
from pathlib import Path

import pytest
from jupyter_core.utils import run_sync

from autograder.sandbox.bubblewrap import SandboxedKernelManager
from autograder.sandbox.spare_kernel import Launch, SpareKernels

pytestmark = pytest.mark.slow


def launch(kernel_name: str = "python3") -> Launch:
    def manager(name):
        return SandboxedKernelManager(report_checks=True, **({"kernel_name": name} if name else {}))

    return Launch(kernel_name, manager, {}, startup_timeout=60)


async def _result(task):
    return await task


def waiting(spares: SpareKernels):
    """The (manager, client) of the spare that is starting, once it is ready."""
    return run_sync(_result)(spares._spare.ready)


def process(km) -> int:
    return km.provisioner.process.pid


def gone(pid: int) -> bool:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(") ", 1)[1][0]
    except OSError:
        return True
    return state in "ZX"  # a zombie has ended


def is_alive(km) -> bool:
    return run_sync(km.is_alive)()


def stop(km, kc) -> None:
    kc.stop_channels()
    run_sync(km.shutdown_kernel)(now=True)
    run_sync(km.cleanup_resources)()


def kernel_folders() -> set[str]:
    """The private folders of kernels now in existence (see SandboxedKernelManager)."""
    return {p.name for p in Path(tempfile.gettempdir()).glob("course-kernel-*")}


@pytest.fixture
def spares():
    spares = SpareKernels()
    yield spares
    spares.close()


def test_a_take_hands_out_a_ready_kernel_and_starts_the_next_one(spares):
    km, kc = spares.take(launch())
    reply = run_sync(kc._async_execute_interactive)("x = 6 * 7", timeout=30)
    assert reply["content"]["status"] == "ok"
    spare_km, _ = waiting(spares)
    assert spare_km is not km and is_alive(spare_km)
    again, again_kc = spares.take(launch())
    assert again is spare_km  # the one that booted meanwhile
    stop(km, kc)
    stop(again, again_kc)


def test_a_spare_that_died_while_it_waited_is_replaced(spares):
    stop(*spares.take(launch()))
    spare_km, _ = waiting(spares)
    pid = process(spare_km)
    os.kill(pid, signal.SIGKILL)
    while not gone(pid):
        time.sleep(0.01)
    before = kernel_folders()
    km, kc = spares.take(launch())
    assert km is not spare_km and is_alive(km)
    stop(km, kc)
    assert len(kernel_folders() - before) <= 1  # the next spare's; the dead one's folder is gone


def test_a_spare_started_for_another_kernel_is_stopped_not_used(spares):
    stop(*spares.take(launch("python3")))
    spare_km, _ = waiting(spares)
    pid = process(spare_km)
    km, kc = spares.take(launch(""))  # the default kernel: another key
    assert km is not spare_km and gone(pid)
    stop(km, kc)


def test_close_stops_the_spare(spares):
    stop(*spares.take(launch()))
    spare_km, _ = waiting(spares)
    pid = process(spare_km)
    assert not gone(pid)
    spares.close()
    assert gone(pid)


def test_a_start_that_fails_is_raised_and_leaves_nothing_behind(spares):
    broken = Launch("python3", lambda name: SandboxedKernelManager(kernel_name="no-such-kernel"), {}, 60)
    before = kernel_folders()
    with pytest.raises(Exception, match="no-such-kernel"):
        spares.take(broken)
    assert kernel_folders() == before and spares._spare is None
    km, kc = spares.take(launch())  # the next take starts afresh
    assert is_alive(km)
    stop(km, kc)

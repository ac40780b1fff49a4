"""Wait for kernel messages in short slices, so a missed wake-up costs half a second, not a minute.

nbclient waits for a cell's reply with one ``await socket.poll(timeout)`` on a zmq.asyncio socket.
That socket's file descriptor is edge-triggered, and now and then the wake-up for a message that
has already arrived is missed: the poll then returns the message only when its timeout runs out.
Measured here (two notebooks run side by side, 160 runs): three cells whose kernel had replied
within 0.1 s were seen by nbclient exactly 60.0 s later, the cell timeout (zeromq/pyzmq #1865
and #1558 describe the same wake-up after the timeout). Polling in slices re-checks the socket
every ``SLICE`` seconds, which finds such a message at once and changes nothing else: the overall
timeout, and ``Empty`` when it runs out, stay as they were.
"""

from __future__ import annotations

from queue import Empty
from time import monotonic

SLICE = 0.5  # seconds between re-checks of a socket that has not woken us


def install() -> None:
    """Patch jupyter_client's asyncio channels (idempotent; affects this process only)."""
    from jupyter_client.channels import AsyncZMQSocketChannel

    original = AsyncZMQSocketChannel.get_msg
    if getattr(original, "sliced", False):
        return

    async def get_msg(self, timeout: float | None = None):
        deadline = None if timeout is None else monotonic() + timeout
        while True:
            left = SLICE if deadline is None else max(0.0, deadline - monotonic())
            try:
                return await original(self, min(SLICE, left))
            except Empty:
                if deadline is not None and monotonic() >= deadline:
                    raise

    get_msg.sliced = True
    get_msg.__doc__ = original.__doc__
    AsyncZMQSocketChannel.get_msg = get_msg

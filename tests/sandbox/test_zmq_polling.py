"""The sliced wait finds a message whose wake-up was missed, and still times out when none comes."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from queue import Empty

from jupyter_client.channels import AsyncZMQSocketChannel

from autograder.sandbox.zmq_polling import SLICE, install


class MissedWakeUpSocket:
    """A zmq.asyncio socket with the fault: a waiting message is reported only when poll times out."""

    def __init__(self, has_message: bool):
        self.has_message = has_message

    async def poll(self, timeout_ms):
        await asyncio.sleep(timeout_ms / 1000)
        return int(self.has_message)


class Channel:
    def __init__(self, has_message: bool):
        self.socket = MissedWakeUpSocket(has_message)

    async def _recv(self):
        return {"msg_type": "execute_reply"}


def wait_for(channel: Channel, timeout: float) -> tuple[object, float]:
    install()
    started = time.perf_counter()
    try:
        # In a thread of its own: once a browser test has run, the session's sync Playwright
        # (tests/conftest.py) keeps an event loop running in the main thread.
        with ThreadPoolExecutor(1) as pool:
            waiting = AsyncZMQSocketChannel.get_msg(channel, timeout=timeout)
            result = pool.submit(asyncio.run, waiting).result()
    except Empty:
        result = Empty
    return result, time.perf_counter() - started


def test_a_message_whose_wake_up_was_missed_arrives_after_one_slice_not_the_whole_timeout():
    message, seconds = wait_for(Channel(has_message=True), timeout=10)
    assert message == {"msg_type": "execute_reply"}
    assert seconds < SLICE + 1


def test_no_message_still_raises_empty_when_the_timeout_runs_out():
    result, seconds = wait_for(Channel(has_message=False), timeout=1.2)
    assert result is Empty
    assert 1.2 <= seconds < 2.5


def test_installing_twice_wraps_once():
    install()
    patched = AsyncZMQSocketChannel.get_msg
    install()
    assert AsyncZMQSocketChannel.get_msg is patched


def test_without_a_timeout_a_missed_wake_up_is_found_too():
    message, seconds = wait_for(Channel(has_message=True), timeout=None)
    assert message == {"msg_type": "execute_reply"} and seconds < SLICE + 1

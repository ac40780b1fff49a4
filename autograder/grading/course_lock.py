"""One grading run per course at a time: an advisory lock on COURSE/.course-grade.lock.

Two runs side by side would both regrade everything and write the same gradebook rows and
feedback files. The lock is ``flock``-based, so it is released when its process ends, however it
ends (a killed run never leaves a stale lock); the file says which run holds it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

LOCK = ".course-grade.lock"


class CourseLocked(RuntimeError):
    """Another run holds the course's grading lock; the message says which."""


@contextlib.contextmanager
def grading_lock(course: Path) -> Iterator[None]:
    """Hold the course's grading lock for the ``with`` block, or raise CourseLocked at once."""
    path = Path(course) / LOCK
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CourseLocked(f"another grading run holds {path}: {_holder(descriptor)}; wait for it to "
                               f"finish or stop it, then run this again") from None
        holder = {"pid": os.getpid(), "host": socket.gethostname(),
                  "started": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, json.dumps(holder).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(descriptor, 0)
    finally:
        os.close(descriptor)  # releases the lock


def _holder(descriptor: int) -> str:
    try:
        holder = json.loads(os.pread(descriptor, 4096, 0) or b"{}")
        return f"pid {holder['pid']} on {holder['host']}, started {holder['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "a run that has not said who it is yet"

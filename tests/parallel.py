"""Session fixtures made at the same time: the values a fixture's tests ask for, and calls run
each in a process of its own."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Hashable
from concurrent.futures import ProcessPoolExecutor


def asked_for(request, fixture: str, param: str | None = None) -> list:
    """The values of ``param`` (by default the fixture's own parameter) that the session's tests
    using ``fixture`` run with: only those are made, under ``-k`` as in a whole run."""
    param = param or fixture
    return sorted({item.callspec.params[param] for item in request.session.items
                   if fixture in getattr(item, "fixturenames", ()) and hasattr(item, "callspec")
                   and param in item.callspec.params})


def in_processes(calls: dict[Hashable, Callable[[], object]]) -> dict:
    """Each call's result, by key; the calls run at the same time, each in a spawned process (none
    shares this process's environment or HOME, which a demo changes)."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, len(calls)), mp_context=spawn) as pool:
        running = {key: pool.submit(call) for key, call in calls.items()}
        return {key: future.result() for key, future in running.items()}

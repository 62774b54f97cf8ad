"""Truly concurrent test processes (``fork``: cheap copies; each opens its own connections).

A worker runs a callable in a child process and reports ``("ok", value)`` or
``("error", exception type name, message)`` on a queue. Ordering between processes uses
events and barriers only; waits carry a generous safety limit so that a broken test fails
instead of hanging, never a threshold the test measures.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.context import ForkProcess
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from typing import Any

CONTEXT = multiprocessing.get_context("fork")
SAFETY = 120.0  # seconds: only reached when a test is broken
Outcome = tuple[Any, ...]


def start(target: Callable[..., Any], *args: Any) -> tuple[ForkProcess, Queue[Outcome]]:
    """Run ``target(*args)`` in a new process; its outcome arrives on the returned queue."""
    queue: Queue[Outcome] = CONTEXT.Queue()
    process = CONTEXT.Process(target=_report, args=(queue, target, args))
    process.start()
    return process, queue


def outcome(process: ForkProcess, queue: Queue[Outcome]) -> Outcome:
    """The worker's outcome, once it has finished."""
    result = queue.get(timeout=SAFETY)
    process.join(SAFETY)
    return result


def _report(queue: Queue[Outcome], target: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        queue.put(("ok", target(*args)))
    except Exception as exc:  # reported to the test, which asserts on it
        queue.put(("error", type(exc).__name__, str(exc)))


def pause_once(inside: Event, go: Event) -> Callable[[int, int], None]:
    """A progress callback that, on its first call, says it is inside and waits for ``go``."""

    def progress(_done: int, _total: int) -> None:
        if not inside.is_set():
            inside.set()
            if not go.wait(SAFETY):
                raise TimeoutError("the test never released this process")

    return progress

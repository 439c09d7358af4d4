"""A server-wide limit on how many documents are scored at once, with a bounded queue.

Each upload is scored in its own worker process under a memory limit; without a limit on how many
run together, a handful of anonymous visitors could hold all the server's memory and cores. A
visitor over the limit waits for a turn (polling for the page being left, so a visitor who goes
away leaves the queue), and one beyond the queue's length is told to come back later.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from disclosure_check.errors import BusyError, CancelledError

POLL_SECONDS = 0.25


class Slots:
    """At most ``size`` holders at a time; at most ``queue`` more waiting."""

    def __init__(self, size: int, queue: int) -> None:
        self.size, self.queue = max(1, size), max(0, queue)
        self._free = threading.BoundedSemaphore(self.size)
        self._lock = threading.Lock()
        self.running = 0
        self.waiting = 0

    @property
    def busy(self) -> bool:
        return self.running >= self.size

    @contextmanager
    def turn(self, stopped: Callable[[], bool] = lambda: False) -> Iterator[None]:
        """Hold one slot for the ``with`` block, waiting for it. BusyError (DC112) when the queue is
        full; CancelledError when ``stopped`` turns True while waiting."""
        with self._lock:
            if self.running + self.waiting >= self.size + self.queue:
                raise BusyError(f"{self.running} documents are being scored and {self.waiting} are waiting",
                                fix="try again in a few minutes")
            self.waiting += 1
        try:
            while not self._free.acquire(timeout=POLL_SECONDS):
                if stopped():
                    raise CancelledError("left the queue before its turn")
        finally:
            with self._lock:
                self.waiting -= 1
        with self._lock:
            self.running += 1
        try:
            yield
        finally:
            with self._lock:
                self.running -= 1
            self._free.release()

"""Manifest URLs downloaded ahead, in a few threads, while the worker processes score.

A slow or dripping server then holds one download thread until its deadline, never the loop that
hands out documents and collects finished results. At most ``window`` downloads are in flight or
waiting on disk at a time, so a long manifest does not fill the disk. Threads are daemons: an
interrupted run does not wait for a server, and ``close`` removes what was downloaded and not used.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Prefetcher(Generic[T, R]):
    """Runs ``work(item)`` for submitted items in up to ``threads`` daemon threads; ``ready`` hands
    back (item, result) pairs in the order they finish. ``abandon(result)`` is called for results
    never handed back (a run stopped early), to remove their files."""

    def __init__(self, work: Callable[[T], R], abandon: Callable[[R], None], *, threads: int = 2,
                 window: int = 4) -> None:
        self.work, self.abandon = work, abandon
        self.threads, self.window = max(1, threads), max(1, window)
        self._todo: queue.Queue[T | None] = queue.Queue()
        self._done: queue.Queue[tuple[T, R | None, BaseException | None]] = queue.Queue()
        self._started: list[threading.Thread] = []
        self._closed = threading.Event()
        self._lock = threading.Lock()  # a result is either handed over or abandoned, never lost between
        self.in_flight = 0  # submitted and not yet handed back

    @property
    def full(self) -> bool:
        return self.in_flight >= self.window

    def submit(self, item: T) -> None:
        self.in_flight += 1
        self._todo.put(item)
        if len(self._started) < min(self.threads, self.in_flight):
            thread = threading.Thread(target=self._run, name="dc-prefetch", daemon=True)
            thread.start()
            self._started.append(thread)

    def ready(self, timeout: float = 0.0) -> list[tuple[T, R]]:
        """What has finished (waiting up to ``timeout`` seconds for a first one). An exception raised
        by ``work`` (not one it returns) is raised here."""
        got: list[tuple[T, R]] = []
        try:
            entry = self._done.get(timeout=timeout) if timeout > 0 else self._done.get_nowait()
            while True:
                item, result, error = entry
                self.in_flight -= 1
                if error is not None:
                    for _, other in got:
                        self.abandon(other)
                    raise error
                got.append((item, result))  # type: ignore[arg-type]
                entry = self._done.get_nowait()
        except queue.Empty:
            pass
        return got

    def close(self) -> None:
        """Stop taking work and remove what finished but was never handed back."""
        with self._lock:
            self._closed.set()
            leftovers = []
            while True:
                try:
                    leftovers.append(self._done.get_nowait()[1])
                except queue.Empty:
                    break
        for _ in self._started:
            self._todo.put(None)
        for result in leftovers:
            if result is not None:
                self.abandon(result)

    def _run(self) -> None:
        while (item := self._todo.get()) is not None and not self._closed.is_set():
            try:
                result = self.work(item)
            except BaseException as exc:  # handed to the collecting thread
                self._done.put((item, None, exc))
                continue
            with self._lock:
                closed = self._closed.is_set()
                if not closed:
                    self._done.put((item, result, None))
            if closed:
                self.abandon(result)  # finished after the run stopped: nobody will use it
                return

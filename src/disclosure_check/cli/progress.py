"""What a long ``score`` run says while it works and when it is stopped: the counts it keeps from the
outcomes as they arrive, the periodic line written when there is no terminal to draw a progress bar
on (a log file, a CI job, a scheduler), and the line that says what an interrupted run stored and
how to resume it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the CLI starts without loading the scoring stack
    from disclosure_check.run.batch import Outcome

PROGRESS_SECONDS = 30.0  # default interval between progress lines without a terminal


class Counts:
    """Outcomes so far (thread-safe: the progress thread reads while the run adds)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.total = 0
        self.done = 0  # every outcome: scored, failed, or already stored
        self.failed = 0  # failed, this run or stored earlier
        self.reused = 0  # already stored, not scored again
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()

    def start(self, total: int) -> None:
        with self._lock:
            self.total = total
            self._started = self._clock()

    def add(self, outcome: Outcome) -> None:
        with self._lock:
            self.done += 1
            self.failed += outcome.status == "failed"
            self.reused += outcome.reused

    def line(self) -> str:
        """``scored 120/1000, 3 failed, 41 docs/min, ETA 21 min``: documents finished (scored, failed or
        already stored) of all; the rate counts only documents worked on in this run."""
        with self._lock:
            total, done, failed, reused = self.total, self.done, self.failed, self.reused
            minutes = (self._clock() - self._started) / 60
        worked = done - reused
        rate = worked / minutes if minutes > 0 else 0.0
        left = max(total - done, 0)
        eta = "done" if not left else duration(left / rate * 60) if rate > 0 else "unknown"
        stored = f" ({reused} already stored)" if reused else ""
        return f"scored {done}/{total}{stored}, {failed} failed, {rate:.0f} docs/min, ETA {eta}"

    def interrupted(self, *, exact: bool = True) -> str:
        """What a stopped run says: how many documents are stored, how many are left, how to resume.
        ``exact=False``: workers store before they report (the Dask engine, a task of several documents
        at a time), so the counts are bounds."""
        with self._lock:
            total, done = self.total, self.done
        left = max(total - done, 0) if total else "all"
        stored, remaining = (f"{done}", f"{left}") if exact else (f"at least {done}", f"at most {left}")
        return (f"Interrupted: {stored} stored, {remaining} left: run the same command to resume (what is stored "
                "is skipped).")


def duration(seconds: float) -> str:
    """45 s, 21 min, 2 h 5 min."""
    if seconds < 60:
        return f"{max(seconds, 1):.0f} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


class Ticker:
    """Writes ``counts.line()`` to ``stream`` every ``seconds`` from a thread of its own (so a slow
    document or a quiet cluster still shows the run is alive), until ``stop``."""

    def __init__(self, counts: Counts, stream: TextIO, seconds: float = PROGRESS_SECONDS) -> None:
        self.counts = counts
        self.stream = stream
        self.seconds = seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="progress", daemon=True)

    def start(self) -> Ticker:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.seconds):
            self.write()

    def write(self) -> None:
        try:
            print(self.counts.line(), file=self.stream, flush=True)
        except (OSError, ValueError):  # the stream was closed (a pipe's reader left)
            self._stop.set()

    def stop(self) -> None:
        """Stop the thread and write the last line: a run shorter than the interval still leaves one line
        in the log, with the final counts (``ETA done`` when every document is finished)."""
        stopped = self._stop.is_set()
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        if not stopped:
            self.write()

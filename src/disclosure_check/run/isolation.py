"""Every document is scored in a worker process under a time limit and a memory limit.

A PDF is untrusted input: a damaged stream can keep the PDF parser busy for the better part of an
hour, a few kilobytes can inflate to gigabytes, and a PDF library can crash. None of that may
take the batch down, stall it, or cost another document's result. So each document goes to a
worker process of its own (one job at a time over a pipe); the parent waits on the pipes and the
processes together, with a timeout that is the nearest deadline, and

- a worker past its time limit is killed and its document recorded as ``TimeLimitError`` (DC106);
- a worker that allocates past its memory limit gets ``MemoryError`` (the address-space limit set
  in the worker once the models are loaded) or is killed by the parent's resident-memory check:
  ``MemoryLimitError`` (DC107);
- a worker that dies (a crash in C code, a signal, the system's OOM killer) costs its document
  only: ``WorkerDiedError`` (DC108), and a replacement is started;
- any unexpected exception while scoring is logged with its traceback and recorded as
  ``InternalError`` (DC109) naming the exception.

Workers are forked after the models are loaded (and frozen out of the garbage collector's sight by
``settle_memory``), so starting one costs milliseconds, not a model load. They die with their
parent: Linux's parent-death signal, and a watchdog thread for where that is missing.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from disclosure_check.errors import (
    CancelledError,
    ConfigError,
    InputError,
    InternalError,
    MemoryLimitError,
    ModelError,
    TimeLimitError,
    WorkerDiedError,
)
from disclosure_check.pipeline import Scorer, ScorerSpec, settle_memory
from disclosure_check.read.extract import safe_doc_id
from disclosure_check.sanitize import cap, clean_line
from disclosure_check.types import Assessment, Failure, Given

log = logging.getLogger(__name__)

# The slowest genuine statements measured take about a minute (500 pages of text, or 50 pages of
# OCR at about a second each); five times that still stops a stalled parser within minutes.
DEFAULT_TIME_LIMIT = 300
# A 500-page statement needs a few hundred MB on top of the loaded models; 2 GB per worker leaves
# that room several times over, and two workers stay within an 8 GB laptop.
DEFAULT_MEMORY_LIMIT = 2048
POLL_SECONDS = 0.2  # how often the parent looks at workers' memory and the caller's cancel flag
_PR_SET_PDEATHSIG = 1
_MIB = 2**20
_FIX_RETRY = "rerun with --retry-failed to try it again"

Job = tuple[str, str, Given | None]  # (path, doc_id, what a register records about the document)
NOT_READY: Job = ("", "", None)  # what a job source yields when its next job is not ready yet


@dataclass(frozen=True)
class Limits:
    """What one document may cost: wall-clock seconds, and MB of memory on top of the models."""

    time_limit: float = DEFAULT_TIME_LIMIT
    memory_limit: int = DEFAULT_MEMORY_LIMIT

    def __post_init__(self) -> None:
        if not self.time_limit > 0:
            raise ConfigError(f"time limit must be positive, not {self.time_limit}", fix="give --time-limit SECONDS > 0")
        if not self.memory_limit > 0:
            raise ConfigError(f"memory limit must be positive, not {self.memory_limit}", fix="give --memory-limit MB > 0")

    @property
    def memory_bytes(self) -> int:
        return int(self.memory_limit * _MIB)


def time_limit_error(path: str, limits: Limits) -> TimeLimitError:
    return TimeLimitError(
        f"scoring was stopped at the time limit of {limits.time_limit:g} s (a damaged or hostile PDF can keep "
        "the PDF parser busy for an hour)", where=path,
        fix="raise --time-limit if the file is a genuine statement, or re-export or repair it (e.g. with qpdf)")


def memory_limit_error(path: str, limits: Limits) -> MemoryLimitError:
    return MemoryLimitError(
        f"scoring was stopped at the memory limit of {limits.memory_limit} MB (a small compressed stream can "
        "inflate to gigabytes)", where=path,
        fix="raise --memory-limit if the file is a genuine statement, or re-export or repair it (e.g. with qpdf)")


def worker_died_error(path: str, exitcode: int | None) -> WorkerDiedError:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"killed by signal {-exitcode}"
        if exitcode == -signal.SIGKILL:
            how += " (from outside, or by the system when memory ran out)"
    else:
        how = f"exited with status {exitcode}"
    return WorkerDiedError(f"the worker process scoring this file died ({how}), most likely a crash in a PDF "
                           "library on this file", where=path,
                           fix=f"re-export or repair the PDF (e.g. with qpdf); {_FIX_RETRY}")


def internal_error(path: str, exc: BaseException) -> InternalError:
    message = cap(clean_line(str(exc)), 300)
    return InternalError(f"internal error while scoring: {type(exc).__name__}: {message}", where=path,
                         fix=f"report it with the file (the traceback is in the log); {_FIX_RETRY}")


# -- the worker side ------------------------------------------------------------------------------
def die_with_parent(parent: int) -> None:
    """Make this process end when ``parent`` does: the kernel's parent-death signal on Linux, and
    a watchdog thread (which also covers a parent that died before the signal was armed)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(0.5)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _statm(pid: int) -> tuple[int, int]:
    """(virtual size, resident size) of a process in bytes; (0, 0) when it is gone."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            size, resident = handle.read().split()[:2]
    except (OSError, ValueError):
        return 0, 0
    page = os.sysconf("SC_PAGE_SIZE")
    return int(size) * page, int(resident) * page


def limit_memory(limits: Limits) -> int | None:
    """Cap this process's address space at what it holds now plus the memory limit, so an
    allocation past it fails (MemoryError in Python). Returns the cap, or None where unsupported."""
    try:
        import resource
    except ImportError:  # not on POSIX
        return None
    size, _ = _statm(os.getpid())
    if not size:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap_bytes = size + limits.memory_bytes
    if hard != resource.RLIM_INFINITY:
        cap_bytes = min(cap_bytes, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (cap_bytes, hard))
        return cap_bytes
    return None


def score_job(scorer: Scorer, path: str, doc_id: str, limits: Limits, given: Given | None = None
              ) -> tuple[Assessment | Failure, bool]:
    """One document's outcome, never an exception; and whether this worker should retire after it
    (its heap is suspect after running out of memory or a bug)."""
    try:
        return scorer.score_file(path, doc_id=doc_id, given=given), False
    except MemoryError:
        error: InputError = memory_limit_error(path, limits)
    except Exception as exc:  # a bug: recorded as this document's failure, the batch goes on
        log.error("internal error scoring %s", path, exc_info=True)
        error = internal_error(path, exc)
    return scorer.failure(Path(path), error, doc_id=doc_id), True


def _worker_main(conn, scorer: Scorer | None, spec: ScorerSpec | None, limits: Limits, parent: int) -> None:
    die_with_parent(parent)
    faulthandler.disable()  # a library aborting on a hostile file is reported as the document's failure
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops us
    if scorer is None:  # spawned, not forked: build our own
        assert spec is not None
        scorer = spec.build()
        settle_memory()
    limit_memory(limits)
    conn.send(("ready", _statm(os.getpid())))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path, doc_id, given = job
        result, retire = score_job(scorer, path, doc_id, limits, given)
        try:
            conn.send(("retiring" if retire else "result", result))
        except MemoryError:
            conn.send(("retiring", scorer.failure(Path(path), memory_limit_error(path, limits), doc_id=doc_id)))
            retire = True
        if retire:
            return


# -- the parent side ------------------------------------------------------------------------------
class _Worker:
    def __init__(self, process, conn) -> None:
        self.process = process
        self.conn = conn
        self.ready = False
        self.baseline = (0, 0)  # (virtual, resident) bytes once ready: the models, shared with the parent
        self.peak = 0  # the most resident memory seen while scoring the current job, above the baseline
        self.job: Job | None = None
        self.deadline = 0.0

    def assign(self, job: Job, limits: Limits) -> None:
        self.job = job
        self.peak = 0
        self.deadline = time.monotonic() + limits.time_limit
        self.conn.send(job)

    def over_memory(self, limits: Limits) -> bool:
        """The parent's backstop to the worker's own address-space limit: resident memory grown
        past the limit (an allocator that ignores the limit). Also notes the peak, so that a
        worker that dies near its limit is reported as out of memory, not as a crash."""
        size, resident = _statm(self.process.pid)
        if not size or not self.baseline[0]:
            return False
        self.peak = max(self.peak, resident - self.baseline[1])
        return resident - self.baseline[1] > limits.memory_bytes

    def died_of_memory(self, limits: Limits) -> bool:
        """A C library that cannot allocate aborts instead of raising MemoryError: when the worker
        had used more than half its allowance, that is the likelier cause of its death."""
        return self.peak > limits.memory_bytes // 2

    def reap(self) -> int | None:
        """Wait for the dead worker and return its exit code, noting its peak resident memory
        (known only to the kernel once it has died) in ``peak``."""
        try:
            _, status, usage = os.wait4(self.process.pid, 0)
        except (ChildProcessError, AttributeError):  # already reaped by multiprocessing; or not POSIX
            self.process.join(1)
            return self.process.exitcode
        exitcode = os.waitstatus_to_exitcode(status)
        self.process._popen.returncode = exitcode  # we reaped it: tell multiprocessing, which would wait again
        self.peak = max(self.peak, usage.ru_maxrss * 1024 - self.baseline[1])  # ru_maxrss is in KiB on Linux
        return exitcode

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()


class WorkerPool:
    """``size`` worker processes scoring one document each at a time under ``limits``.

    Use as a context manager: leaving it (normally, by an exception or Ctrl-C) stops every worker.
    The scorer is inherited by forking where the platform can; elsewhere each worker builds its
    own from ``spec``."""

    def __init__(self, scorer: Scorer, *, size: int = 1, limits: Limits | None = None,
                 spec: ScorerSpec | None = None) -> None:
        self.scorer = scorer
        self.size = max(1, size)
        self.limits = limits or Limits()
        self.spec = spec
        self._fork = "fork" in multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context("fork" if self._fork else "spawn")
        if not self._fork and spec is None:
            raise ConfigError("this platform cannot fork worker processes and no scorer spec was given",
                              fix="pass spec=ScorerSpec(...) so workers can build their own scorer")
        self._workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop every worker now (they hold no results: those are sent as soon as they exist)."""
        for worker in self._workers:
            worker.stop()
        self._workers.clear()

    def _start(self) -> _Worker:
        parent_conn, child_conn = self._context.Pipe()
        scorer = self.scorer if self._fork else None
        process = self._context.Process(target=_worker_main, name="disclosure-check-worker", daemon=True,
                                        args=(child_conn, scorer, self.spec, self.limits, os.getpid()))
        process.start()
        child_conn.close()
        worker = _Worker(process, parent_conn)
        self._workers.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        self._workers.remove(worker)

    def _failure(self, job: Job, error: InputError) -> Failure:
        path, doc_id, _ = job
        return self.scorer.failure(Path(path), error, doc_id=doc_id)

    def score(self, jobs: Iterable[Job], cancelled: Callable[[], bool] | None = None
              ) -> Iterator[Assessment | Failure]:
        """Each job's outcome, in the order they finish. ``cancelled`` is polled about every
        ``POLL_SECONDS``; when it returns True the workers are stopped and ``CancelledError`` raised."""
        # Jobs are taken from ``jobs`` only as workers come free (one ahead per worker), so a caller
        # can produce them lazily (hash files, fetch URLs) and nothing grows with the batch.
        source = iter(jobs)
        pending: deque[Job] = deque()
        exhausted = False
        limits = self.limits

        def top_up() -> None:
            nonlocal exhausted
            while not exhausted and len(pending) < self.size:
                job = next(source, None)
                if job is None:
                    exhausted = True
                elif job is NOT_READY:
                    break  # the source is waiting (a download): results are collected meanwhile
                else:
                    pending.append(job)

        top_up()
        while pending or any(w.job for w in self._workers) or not exhausted:
            if not exhausted and len(pending) < self.size:
                top_up()
            if cancelled is not None and cancelled():
                self.close()
                raise CancelledError("scoring was stopped before it finished")
            while len(self._workers) < min(self.size, len(pending) + sum(1 for w in self._workers if w.job)):
                self._start()
            for worker in self._workers:
                if worker.ready and worker.job is None and pending:
                    worker.assign(pending.popleft(), limits)
                    top_up()
            now = time.monotonic()
            busy = [w for w in self._workers if w.job]
            timeout = min([POLL_SECONDS] + [max(0.0, w.deadline - now) for w in busy])
            handles = [w.conn for w in self._workers] + [w.process.sentinel for w in self._workers]
            if not handles:
                time.sleep(timeout)  # nothing running: the source is still waiting for its next job
                continue
            ready = set(wait(handles, timeout))
            for worker in list(self._workers):
                if worker.conn in ready or worker.process.sentinel in ready:
                    outcome = self._collect(worker)
                    if worker.ready and worker.job is None and pending and worker in self._workers:
                        # its next document first: the worker scores while the caller saves this outcome
                        worker.assign(pending.popleft(), limits)
                    if outcome is not None:
                        yield outcome
            now = time.monotonic()
            for worker in [w for w in self._workers if w.job]:
                job = worker.job
                assert job is not None
                if now >= worker.deadline:
                    self._retire(worker)
                    yield self._failure(job, time_limit_error(job[0], limits))
                elif worker.over_memory(limits):
                    self._retire(worker)
                    yield self._failure(job, memory_limit_error(job[0], limits))

    def _collect(self, worker: _Worker) -> Assessment | Failure | None:
        """Read what ``worker`` sent (readiness or a result), or deal with its death."""
        message = None
        with contextlib.suppress(EOFError, OSError):
            if worker.conn.poll():
                message = worker.conn.recv()
        if message is not None:
            kind, value = message
            if kind == "ready":
                worker.ready, worker.baseline = True, value
                return None
            worker.job = None
            if kind == "retiring":  # its heap is suspect (out of memory, a bug): a fresh one takes over
                worker.process.join(5)
                self._retire(worker)
            return value
        worker.over_memory(self.limits)  # a last look before it is reaped
        exitcode = worker.reap()
        job = worker.job
        self._retire(worker)
        if job is None:
            if not worker.ready:
                raise ModelError(f"a worker process could not start (exit status {exitcode})",
                                 fix="check that the model and rubric load: run disclosure-check score on one file")
            return None
        log.warning("worker scoring %s died (exit status %s; %d MB above its start when last seen)", job[0],
                    exitcode, worker.peak // _MIB)
        if worker.died_of_memory(self.limits):
            return self._failure(job, memory_limit_error(job[0], self.limits))
        return self._failure(job, worker_died_error(job[0], exitcode))


def score_isolated(scorer: Scorer, path: str | Path, limits: Limits | None = None, *, doc_id: str | None = None,
                   cancelled: Callable[[], bool] | None = None, spec: ScorerSpec | None = None,
                   given: Given | None = None) -> Assessment | Failure:
    """Score one file in a worker process under ``limits``: the same outcomes and failure codes as
    a batch (``given``: what a register or a reviewer says the document is, see ``Scorer.score_document``). ``cancelled`` (polled every ``POLL_SECONDS``) lets a caller that may itself be
    stopped, such as a dashboard script, end the work: the worker is killed and ``CancelledError``
    raised. The worker never outlives this call."""
    path = Path(path)
    with WorkerPool(scorer, size=1, limits=limits, spec=spec) as pool:
        for result in pool.score([(str(path), doc_id or safe_doc_id(path, scorer.options.max_bytes), given)], cancelled=cancelled):
            return result
    raise AssertionError("the pool returned no outcome")  # unreachable: every job has one

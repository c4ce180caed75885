"""Work spread over the machine's cores, for builds big enough to gain from it.

A thousand notice pages render in a few seconds on one core; on two they take half that.
Workers are forked, so they start in a millisecond with the parent's site model and compiled
templates already in memory: only the job's number goes to a worker and only its result
comes back. Results are returned in the order of the jobs, so a parallel build writes
exactly the bytes a serial one does (tests/test_parallel.py checks that).
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

THRESHOLD = 200
"""Fewer jobs than this run in this process: starting workers would cost more than it saves."""
LOAD_THRESHOLD = 400
"""For quick jobs (removing the files of an old site): below this many, workers would not pay."""
CHUNKS_PER_WORKER = 32
"""Jobs are handed out in this many chunks per worker, so one slow chunk does not hold up the rest."""
MAX_CHUNK = 50
"""Nor more jobs than this in a chunk: a chunk's results are held whole until it comes back."""
WORKERS_VARIABLE = "NOTICES_WORKERS"
"""Set to 1 to build in one process (or to a number to use that many)."""

HELD = {signal.SIGINT, signal.SIGTERM}
"""The signals a worker must not take before it is set up."""
_jobs: Sequence[Callable[[], Any]] = ()
"""A worker's jobs: set in the worker when it starts (forked, so they are not copied), never in the
process that started it."""


def _become_worker(jobs: Sequence[Callable[[], Any]]) -> None:
    """Set up a forked worker with its jobs. It must not pass its signals on to the parent's event loop (the
    preview's): a forked process keeps asyncio's wakeup socket, and the SIGTERM that ends a worker
    at the end of a pool would reach the parent as its own, and stop the preview.

    Ctrl-C, and the SIGTERM of `timeout` or a cancelled CI job, reach every process in a group: a
    worker leaves its parent's group, so only the parent gets them, and it stops the pool (SIGTERM to
    each worker, which ends it quietly). A worker killed by the group's signal while the parent still
    fed it jobs could leave multiprocessing's queue locked, and the parent waiting on it for ever."""
    global _jobs
    _jobs = jobs
    os.setpgid(0, 0)
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)  # held since the fork (see `each`)


def worker_count() -> int:
    """The cores this process may use, or NOTICES_WORKERS when set."""
    chosen = os.environ.get(WORKERS_VARIABLE, "").strip()
    if chosen.isdigit() and int(chosen) > 0:
        return int(chosen)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def would_fork(jobs: int, *, workers: int | None = None, threshold: int | None = None) -> bool:
    """Whether `each` would hand this many jobs to forked workers (rather than run them here)."""
    count = min(workers or worker_count(), jobs)
    threshold = THRESHOLD if threshold is None else threshold
    return (count >= 2 and jobs >= threshold and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods())


def run_all(jobs: Sequence[Callable[[], T]], *, workers: int | None = None,
            threshold: int | None = None) -> list[T]:
    """Every job's result, in order: in forked workers when there are enough jobs to gain from it."""
    return list(each(jobs, workers=workers, threshold=threshold))


def each(jobs: Sequence[Callable[[], T]], *, workers: int | None = None,
         threshold: int | None = None) -> Iterator[T]:
    """Every job's result, in order, as soon as it and those before it are done.

    The caller can write each result away before the next arrives, so a big build never holds
    them all. Forking is only safe in a process with one thread (another thread may hold a lock
    the child would inherit locked), so the preview, which rebuilds in a thread, renders in its
    own process. Consume the iterator to its end (or close it) so the workers are stopped.
    """
    count = min(workers or worker_count(), len(jobs))
    if not would_fork(len(jobs), workers=workers, threshold=threshold):
        for job in jobs:
            yield job()
        return
    size = min(MAX_CHUNK, max(1, -(-len(jobs) // (count * CHUNKS_PER_WORKER))))
    chunks = [(start, min(start + size, len(jobs))) for start in range(0, len(jobs), size)]
    gc.freeze()  # the workers' collector then leaves the parent's objects alone: fewer pages copied
    # Ctrl-C and SIGTERM are held while the workers start: one arriving between a worker's fork and
    # `_become_worker` would run the parent's handler in the worker and print its traceback. Held in
    # the parent, it arrives once the pool is in `with`, which stops the workers.
    before = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        with _start_pool(count, jobs) as pool:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
            for chunk in pool.imap(_run_chunk, chunks, chunksize=1):
                yield from chunk
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
        gc.unfreeze()


def _start_pool(count: int, jobs: Sequence[Callable[[], Any]]) -> multiprocessing.pool.Pool:
    """Forked workers, each holding the jobs: a forked pool's arguments are inherited, not pickled."""
    return multiprocessing.get_context("fork").Pool(count, initializer=_become_worker, initargs=(jobs,))


def _run_chunk(bounds: tuple[int, int]) -> list[Any]:
    start, stop = bounds
    return [_jobs[index]() for index in range(start, stop)]

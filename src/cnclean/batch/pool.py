"""Run the files of a batch on several processes, results in input order."""

from __future__ import annotations

import multiprocessing
import os
import signal
from typing import BinaryIO, Iterator, Sequence

from .discover import Source
from .process import FileResult, Job, Transform, process_file

_shared: tuple[Sequence[Source], Job, Transform] | None = None
"""The batch the worker processes serve; set before they fork, so any transform works (even a lambda)."""


def _process_index(index: int) -> FileResult:
    assert _shared is not None
    sources, job, transform = _shared
    return process_file(sources[index], job, transform)


def _exit_cleanly(signum: int, frame) -> None:
    raise SystemExit(128 + signum)


def _worker_signals() -> None:
    """Ctrl-C is for the main process to handle; the SIGTERM it then sends unwinds a worker
    through its ``finally`` blocks, so that no temporary file stays behind."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_cleanly)


def default_jobs() -> int:
    """One process per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def run_files(
    sources: Sequence[Source],
    job: Job,
    transform: Transform,
    jobs: int = 1,
    direct: BinaryIO | None = None,
) -> Iterator[FileResult]:
    """Process every source and yield its result, in the order of ``sources``.

    With ``jobs`` > 1 the files are shared among that many forked worker processes; the output
    and the results are the same as with one. ``direct`` is passed on when there is one source.
    """
    global _shared
    jobs = min(jobs, len(sources))
    if jobs <= 1 or not can_fork():
        for source in sources:
            yield process_file(source, job, transform, direct if len(sources) == 1 else None)
        return
    _shared = (sources, job, transform)
    chunk = max(1, min(16, len(sources) // (jobs * 8)))
    pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_signals)
    try:
        yield from pool.imap(_process_index, range(len(sources)), chunksize=chunk)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _shared = None

"""The Ray engine: the batch runner's per-file unit, run as Ray tasks on one machine or a cluster.

Install with ``pip install 'cnclean[ray]'``; nothing imports Ray until one of these functions
runs. ``address``: ``None`` starts a Ray runtime in this process (on this machine's cores, or
``num_cpus`` of them), ``"auto"`` joins the cluster this machine belongs to,
``"ray://HOST:10001"`` a remote one. A runtime that is already up (``ray.init`` called by the
caller) is used as it is. The paths must be readable and writable under the same names on
every node (a shared file system), and cnclean must be installed on every node.

``run_files_ray(sources, job, spec, *, address=None, num_cpus=None) -> Iterator[FileResult]``
    as ``cnclean.batch.run_files``: each task runs ``process_file`` over a batch of sources
    with a pipeline built from ``spec``; the results come back in the order of ``sources``.
    Output that goes to a file (``-o DIR``, ``--in-place``) is written by the worker; output
    that is concatenated (stdout, ``-o FILE``) comes back in the results.
``cluster_ray(items, read, settings, *, address=None) -> (clusters, documents)``
    as ``cnclean.across.find_near_duplicates`` over ``read(items)``: the same stages, with
    the signing in map tasks and the grouping by band key in one reduce task per group of
    bands; verification, union-find and survivors on the driver.

Failures: a task whose worker dies is run again by Ray (``MAX_RETRIES``). That is safe because
a task's only effects are atomic writes keyed by output path (a re-run writes the same bytes
over the same names) or a return value the driver reads once. A batch of files whose worker
dies on every try is re-run one file per task, so only the file that kills it is reported.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
from collections import deque
from typing import Any, Callable, Iterable, Iterator, Sequence, TypeVar

import numpy as np

from ..across import Cluster, Counted, Settings, Signed, candidate_pairs, clusters_of, sign_records
from ..batch import FileResult, Job, Source, process_file
from ..errors import CncleanError
from ..io.formats import format_of
from . import TransformSpec, batches

T = TypeVar("T")

INSTALL_HINT = "the Ray engine needs Ray; install with pip install 'cnclean[ray]'"

MAX_RETRIES = 3
"""How often Ray re-runs a task whose worker process or node died."""

FILES_PER_TASK = 16
"""Files per task: enough to hide the per-task cost (about a millisecond), few enough to spread."""

MAP_TASKS_PER_CPU = 4
"""Map tasks of the clustering per CPU: enough to balance the load, few enough that the shuffle's
objects (map tasks x groups of bands) stay countable."""

TASKS_IN_FLIGHT_PER_CPU = 4
"""Tasks submitted ahead of the one the driver waits for; bounds driver memory on huge job lists."""


def connect(address: str | None = None, *, num_cpus: int | None = None) -> Any:
    """The ``ray`` module, with a runtime up: the caller's, a new local one, or a cluster's.

    ``num_cpus`` only applies to a new local runtime (default: all cores of this machine).
    """
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
    except ImportError:
        raise CncleanError(INSTALL_HINT) from None
    if not ray.is_initialized():
        local = {} if address else {"num_cpus": num_cpus}
        try:
            ray.init(address=address or None, include_dashboard=False, logging_level=logging.ERROR, **local)
        except (ConnectionError, RuntimeError) as error:
            where = f"the Ray cluster at {address}" if address else "a local Ray runtime"
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise CncleanError(f"cannot start or join {where}: {reason}; "
                               "check `ray status` on the cluster and its auth token") from None
    return ray


def _cpus(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def ordered_refs(ray: Any, remote: Any, tasks: Iterable[tuple[T, tuple]]) -> Iterator[tuple[T, Any]]:
    """Submit ``remote(*args)`` for each ``(item, args)``; yield ``(item, result ref)`` in input order.

    A bounded number of tasks is in flight, so a list of millions of files streams through the
    driver. If the caller stops early (Ctrl-C, SIGTERM), the tasks still queued or running, the
    one it was waiting for included, are cancelled, and the driver waits for them to unwind: a
    worker killed with its driver instead could leave a temporary file half-written.
    """
    window = TASKS_IN_FLIGHT_PER_CPU * _cpus(ray)
    pending: deque = deque()
    current: list = []  # the task whose result the caller is waiting for
    try:
        for item, args in tasks:
            pending.append((item, remote.remote(*args)))
            if len(pending) >= window:
                current = [pending[0][1]]
                yield pending.popleft()
        while pending:
            current = [pending[0][1]]
            yield pending.popleft()
    except BaseException:  # the caller stopped early: GeneratorExit, or an interrupt
        unfinished = ray.wait(current, timeout=0)[1] if current else []
        _discard(ray, unfinished + [ref for _, ref in pending])
        raise


def _worker_deaths(ray: Any) -> tuple[type, ...]:
    """What ``ray.get`` raises once a task's worker died more often than it may be retried."""
    return (ray.exceptions.WorkerCrashedError, ray.exceptions.OutOfMemoryError)


BatchFn = Callable[[list[Source], Job, TransformSpec], list[FileResult]]


def process_batch(sources: list[Source], job: Job, spec: TransformSpec) -> list[FileResult]:
    """A task: ``process_file`` over a batch of sources, with a pipeline built here from ``spec``.

    Output spooled to a temporary file comes back in the result's bytes: the spool is on the
    worker's node, which may not be the driver's.
    """
    transform = spec.build().run
    return [_inline_spool(process_file(source, job, transform)) for source in sources]


def _inline_spool(result: FileResult) -> FileResult:
    if result.spool is not None:
        try:
            with open(result.spool, "rb") as spool:
                result.data = spool.read()
        finally:
            os.unlink(result.spool)
        result.spool = None
    return result


def run_file_batches(
    ray: Any, batch_fn: BatchFn, sources: Sequence[Source], job: Job, spec: TransformSpec, *,
    files_per_task: int = FILES_PER_TASK, max_retries: int = MAX_RETRIES,
) -> Iterator[FileResult]:
    """Run ``batch_fn`` (``process_batch`` or a wrapper of it) over the sources as Ray tasks.

    Yields one result per source, in order. When a batch's worker dies on every try, its
    sources are run one per task, so that only the file that kills a worker (one too large
    for its memory, say) fails, not its neighbours.
    """
    remote = ray.remote(max_retries=max_retries)(batch_fn)
    deaths = _worker_deaths(ray)
    job = _for_workers(job)

    def failed(batch: list[Source], message: str) -> list[FileResult]:
        return [FileResult(source, format_of(source.path, job.format), error=message) for source in batch]

    def named(batch: list[Source], results: list[FileResult]) -> list[FileResult]:
        for source, result in zip(batch, results):
            result.source = source
        return results

    tasks = ((batch, ([_absolute(source) for source in batch], job, spec))
             for batch in batches(sources, files_per_task))
    for batch, ref in ordered_refs(ray, remote, tasks):
        try:
            yield from named(batch, ray.get(ref))
        except deaths:
            for source, alone in [(source, remote.remote([_absolute(source)], job, spec)) for source in batch]:
                try:
                    yield from named([source], ray.get(alone))
                except deaths:
                    yield from failed([source], f"the worker cleaning it died {max_retries + 1} times "
                                                "(out of memory?); split or skip this file")
        except ray.exceptions.RayTaskError as error:  # outside process_file, which catches its own errors
            yield from failed(batch, f"the Ray task failed ({_cause(error)}); "
                                     "is this version of cnclean installed on every node?")


def _absolute(source: Source) -> Source:
    """The source as a worker must see it: a worker's current folder is not the driver's."""
    return dataclasses.replace(source, path=os.path.abspath(source.path), given=source.given or source.path)


def _for_workers(job: Job) -> Job:
    """The job with an absolute output folder and no spool folder (the driver's is not on every node)."""
    output_dir = os.path.abspath(job.output_dir) if job.output_dir is not None else None
    return dataclasses.replace(job, output_dir=output_dir, spool_dir=None)


def _cause(error: Exception) -> str:
    cause = getattr(error, "cause", None) or error
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[-1] if lines else ''}"


def run_files_ray(
    sources: Sequence[Source], job: Job, spec: TransformSpec, *, address: str | None = None,
    num_cpus: int | None = None, files_per_task: int = FILES_PER_TASK,
) -> Iterator[FileResult]:
    """Process every source on Ray; the results in the order of ``sources`` (see ``run_files``).

    The runtime is started or joined here, before the first result is asked for, so that a
    missing extra or an unreachable cluster is an error before any output is opened.
    """
    spec.build()  # a bad step name or option fails here, once, not in every task
    ray = connect(address, num_cpus=num_cpus)
    return run_file_batches(ray, process_batch, sources, job, spec, files_per_task=files_per_task)


Reader = Callable[[list], Iterable[tuple[str, str]]]
"""Turns a batch of items into ``(key, text)`` records, in a map task; picklable (a module-level
function or a ``functools.partial`` of one)."""


def as_records(items: list) -> Iterable[tuple[str, str]]:
    """The reader of items that are ``(key, text)`` records already."""
    return items


def _sign_task(items: list, read: Reader, settings: Settings, groups: list[tuple[int, int]]) -> tuple:
    """Map task: the documents read, their keys and check values, then their band keys cut into
    ``groups`` of band columns (one object each, for the reduce task of that group)."""
    records = Counted(read(items))
    signed = Signed.join(list(sign_records(records, settings)), settings)
    return (records.count, signed.keys, signed.checks,
            *[np.ascontiguousarray(signed.band_keys[:, start:stop]) for start, stop in groups])


def _pair_task(*band_columns: np.ndarray) -> np.ndarray:
    """Reduce task: one group of band columns from every map task, in input order; the candidate pairs."""
    return candidate_pairs(np.concatenate(band_columns))


def _gathered(ray: Any, ref: Any) -> Any:
    """``ray.get``, with an input error raised in a task raised here as itself, as the local run raises it."""
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as error:
        if isinstance(error.cause, (CncleanError, OSError)):
            raise error.cause from None
        raise


def cluster_ray(
    items: Sequence[Any],
    read: Reader = as_records,
    settings: Settings = Settings(),
    *,
    address: str | None = None,
    items_per_task: int | None = None,
) -> tuple[list[Cluster], int]:
    """The clusters of ``find_near_duplicates`` over ``read(items)``, and the number of documents read.

    A map task per batch of items reads and signs them; a reduce task per group of bands
    finds the documents that share a band key (their rows numbered in input order, across
    the map tasks); the driver verifies the pairs, joins them and keeps the first document of
    each cluster, with the functions of the local run. The driver holds what the local run
    holds (keys and check values); the band keys travel through Ray's object store.
    """
    ray = connect(address)
    items = list(items)
    if not items:
        return [], 0
    cpus = _cpus(ray)
    per_task = items_per_task or max(1, -(-len(items) // (MAP_TASKS_PER_CPU * cpus)))
    groups = [(int(part[0]), int(part[-1]) + 1)
              for part in np.array_split(np.arange(settings.bands), min(settings.bands, 2 * cpus))]
    sign = ray.remote(max_retries=MAX_RETRIES, num_returns=3 + len(groups))(_sign_task)
    pair = ray.remote(max_retries=MAX_RETRIES)(_pair_task)
    signed = [sign.remote(batch, read, settings, groups) for batch in batches(items, per_task)]
    paired = [pair.remote(*[refs[3 + group] for refs in signed]) for group in range(len(groups))]
    try:
        documents = sum(_gathered(ray, refs[0]) for refs in signed)
        keys = [key for refs in signed for key in _gathered(ray, refs[1])]
        checks = np.concatenate([_gathered(ray, refs[2]) for refs in signed])
        pairs = np.unique(np.concatenate([np.zeros((0, 2), dtype=np.int64), *ray.get(paired)]), axis=0)
    except BaseException:
        _discard(ray, [*paired, *(ref for refs in signed for ref in refs)])
        raise
    return clusters_of(keys, checks, pairs, settings.threshold), documents


def _discard(ray: Any, refs: list) -> None:
    """Cancel the tasks and collect their errors, which Ray would otherwise log as unhandled."""
    for ref in refs:
        with contextlib.suppress(Exception):  # a task that has finished cannot be cancelled
            ray.cancel(ref)
    for ref in refs:
        with contextlib.suppress(Exception):
            ray.get(ref)

"""Engines: where a batch is cleaned. One contract, a local engine here, a Ray engine beside it.

Both engines call the same unit functions below (one file, one range of JSONL lines, one
LSH bucket), so they write the same bytes and take the same dedup decisions; an engine only
decides where those units run. The Ray engine (``cnclean.engines.ray_engine``, extra
``cnclean[ray]``) has the same functions with the suffix ``_ray`` and an ``address``.

The contract
------------
``TransformSpec(steps, options)``
    A picklable description of the transform (step names and per-step options); each
    worker builds its own ``Pipeline`` from it. ``TransformSpec.of(pipeline)`` describes one.
``fix_files_local(jobs, spec, *, encoding="auto", workers=1) -> list[Failure]``
    ``jobs`` are ``(input path, output path)`` pairs. Each output is written atomically as
    UTF-8 text ending with one ``\\n`` (nothing if empty): the bytes ``cnclean fix IN -o OUT``
    writes. An input that cannot be read or cleaned becomes ``Failure(path, message)`` and no
    output; the other jobs go on. Failures come back in job order. Writes are keyed by the
    output path, so running a job twice (a retried worker) leaves the same single file.
``fix_jsonl_local(input_path, output_path, text_key, spec) -> list[Failure]``
    One JSON object per line; only the string at ``text_key`` is cleaned, the other fields
    keep their values and the keys their order (``ensure_ascii=False``). Records stay in input
    order; blank lines are dropped; lines split on ``\\n`` only (U+2028 inside a string is
    text); every line ends with ``\\n``. A line that is not an object with a string
    ``text_key`` is copied unchanged and reported as ``Failure("PATH:LINE", message)``. The
    output is written atomically.
``cluster_local(records, signature_fn, bands, rows, threshold) -> Clusters``
    In ``cnclean.engines.minhash``: near-duplicate clusters over ``(key, text)`` records or
    over file paths (the path is the key), one survivor per cluster, the smallest key.

>>> TransformSpec(["digits", "noise"]).build().steps
('noise', 'digits')
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Iterable, Iterator, Mapping, Sequence, TypeVar

from ..errors import CncleanError, InputError
from ..io import atomic_write, read_text
from ..pipeline import Pipeline

T = TypeVar("T")
Job = tuple[str, str]
"""(input path, output path)."""

JSONL_CHUNK_BYTES = 8 << 20
"""Size of the line-aligned ranges a JSONL file is cut into; each range is one unit of work."""


@dataclass(frozen=True)
class Failure:
    """An input (a path, or ``PATH:LINE`` for a JSONL record) that was not cleaned, and why."""

    path: str
    message: str


@dataclass(frozen=True)
class TransformSpec:
    """Step names and options, small and picklable, from which each worker builds its pipeline."""

    steps: tuple[str, ...] | None = None
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.steps is not None:
            object.__setattr__(self, "steps", tuple(self.steps))

    @classmethod
    def of(cls, pipeline: Pipeline) -> "TransformSpec":
        return cls(pipeline.steps, pipeline.options)

    def build(self) -> Pipeline:
        return Pipeline(self.steps, self.options)


def output_bytes(text: str) -> bytes:
    """What a cleaned file holds: UTF-8 text ending with exactly one newline, nothing if empty.

    The engines sit below the CLI (which imports them), so this is theirs, and a test holds it
    equal to what ``cnclean fix -o`` writes.

    >>> output_bytes("今年3月\\n\\n").decode(), output_bytes("\\n")
    ('今年3月\\n', b'')
    """
    text = text.rstrip("\n")
    return (text + "\n").encode("utf-8") if text else b""


def describe(error: Exception) -> str:
    """The message a failure carries: ours as is, an OS error by its reason, anything else as a bug."""
    if isinstance(error, CncleanError):
        return str(error)
    if isinstance(error, OSError):
        return f"cannot write the output: {error.strerror or error}"
    return f"internal error ({type(error).__name__}: {error}); please report this input as a bug"


def fix_file(source: str, target: str, pipeline: Pipeline, encoding: str = "auto") -> Failure | None:
    """Clean one file into ``target`` (atomically); a problem becomes a ``Failure``, not an exception."""
    try:
        text = pipeline.run(read_text(source, encoding).text).text
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        atomic_write(target, output_bytes(text))
    except Exception as error:  # one bad file must not stop a batch of millions
        return Failure(source, describe(error))
    return None


def fix_batch(jobs: Sequence[Job], spec: TransformSpec, encoding: str = "auto") -> list[Failure]:
    """Clean a batch of files with one pipeline; the failures, in job order."""
    pipeline = spec.build()
    failures = (fix_file(source, target, pipeline, encoding) for source, target in jobs)
    return [failure for failure in failures if failure is not None]


def batches(items: Sequence[T], size: int) -> list[list[T]]:
    """Cut a list into consecutive batches of ``size`` items (the unit of work a worker takes)."""
    return [list(items[start:start + size]) for start in range(0, len(items), size)]


def fix_files_local(
    jobs: Sequence[Job], spec: TransformSpec, *, encoding: str = "auto", workers: int = 1, batch_size: int = 16,
) -> list[Failure]:
    """The local engine: clean every job in this process, or in a pool of ``workers`` processes."""
    spec.build()  # a bad step name or option fails here, once, not in every worker
    if workers <= 1:
        return fix_batch(jobs, spec, encoding)
    with ProcessPoolExecutor(workers) as pool:
        results = pool.map(partial(fix_batch, spec=spec, encoding=encoding), batches(jobs, batch_size))
        return [failure for result in results for failure in result]


@dataclass(frozen=True)
class ChunkResult:
    """One cleaned range of JSONL lines: the output bytes, how many input lines, the bad ones."""

    data: bytes
    lines: int
    failures: tuple[tuple[int, str], ...] = ()


def jsonl_ranges(path: str, chunk_bytes: int = JSONL_CHUNK_BYTES) -> list[tuple[int, int]]:
    """Byte ranges that cover the file, each ending just after a ``\\n`` (or at the end of the file)."""
    try:
        size = os.path.getsize(path)
    except OSError as error:
        raise InputError(f"{path}: {error.strerror or error}") from None
    ranges, start = [], 0
    with open(path, "rb") as handle:
        while start < size:
            end = start + max(1, chunk_bytes)
            if end < size:
                handle.seek(end - 1)
                while True:
                    block = handle.read(1 << 16)
                    newline = block.find(b"\n")
                    if newline >= 0 or not block:
                        end = handle.tell() - len(block) + newline + 1 if block else size
                        break
            ranges.append((start, min(end, size)))
            start = min(end, size)
    return ranges


def fix_record(line: bytes, text_key: str, pipeline: Pipeline) -> bytes:
    """Clean the ``text_key`` field of one JSON record; everything else is kept as it was.

    >>> fix_record('{"id":1,"text":"今年3月","来源":"人民日报"}'.encode(), "text", Pipeline([])).decode()
    '{"id": 1, "text": "今年3月", "来源": "人民日报"}'
    """
    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CncleanError(f"not valid UTF-8 (byte 0x{line[error.start]:02X})") from None
    except json.JSONDecodeError as error:
        raise CncleanError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(record, dict):
        raise CncleanError("not a JSON object")
    text = record.get(text_key)
    if not isinstance(text, str):
        found = "missing" if text_key not in record else f"{json.dumps(text)[:20]}, not a string"
        raise CncleanError(f"field {text_key!r} is {found}; choose the field with --text-key")
    record[text_key] = pipeline.run(text).text
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def fix_jsonl_range(path: str, start: int, end: int, text_key: str, spec: TransformSpec) -> ChunkResult:
    """Clean the records in ``[start, end)`` of a JSONL file (a range from ``jsonl_ranges``)."""
    pipeline = spec.build()
    with open(path, "rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    if start == 0 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    out, failures = [], []
    for number, line in enumerate(lines):
        line = line.rstrip(b"\r")
        if not line.strip():
            continue
        try:
            out.append(fix_record(line, text_key, pipeline))
        except Exception as error:  # keep the record as it was; the report names it
            out.append(line)
            failures.append((number, describe(error)))
    return ChunkResult(b"".join(record + b"\n" for record in out), len(lines), tuple(failures))


def write_jsonl(output_path: str, input_path: str, chunks: Iterable[ChunkResult]) -> list[Failure]:
    """Stream cleaned chunks, in input order, into ``output_path`` atomically; the bad records."""
    failures: list[Failure] = []

    def data() -> Iterator[bytes]:
        first_line = 1
        for chunk in chunks:
            failures.extend(Failure(f"{input_path}:{first_line + n}", message) for n, message in chunk.failures)
            first_line += chunk.lines
            yield chunk.data

    os.makedirs(os.path.dirname(output_path) or ".", exist_ok=True)
    atomic_write(output_path, data())
    return failures


def fix_jsonl_local(
    input_path: str, output_path: str, text_key: str, spec: TransformSpec, *, chunk_bytes: int = JSONL_CHUNK_BYTES,
) -> list[Failure]:
    """The local engine for one JSONL file: the ranges in order, in this process."""
    spec.build()
    ranges = jsonl_ranges(input_path, chunk_bytes)
    chunks = (fix_jsonl_range(input_path, start, end, text_key, spec) for start, end in ranges)
    return write_jsonl(output_path, input_path, chunks)

"""Clean one file: read it, run the transform on each of its documents, write where the job says.

Everything here runs in a worker process as well as in the main one, so a file's outcome is
a plain ``FileResult`` (picklable) and nothing is printed.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import shutil
import signal
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from typing import BinaryIO, Callable, Iterator, Protocol, Sequence, Union

from ..errors import CncleanError, InputError, TimeLimit
from ..io.atomic import atomic_open, atomic_write
from ..io.decode import Decoded, decode_bytes
from ..io.formats import (
    READ_SIZE, STREAM_THRESHOLD, Document, TextBlocks, format_of, gzip_writer, is_gzip_name, open_input,
    process_jsonl,
)
from ..pipeline import PipelineResult, StepRun
from .discover import Source

Transform = Callable[[str], Union[PipelineResult, str]]
"""What a command does to one document: a pipeline's ``run``, or any function from text to text."""

MODES = ("stream", "mirror", "in-place", "none")
"""Where output goes: back to the caller to be concatenated (stdout, ``-o FILE``), to a file of the
same relative path in an output folder, over the input file itself, or nowhere (check, preview)."""


class Render(Protocol):
    """Turns a file's cleaned text into the outputs of a command whose output is not text
    (``cnclean split``: one JSON record or one file per piece). Runs in the workers, so it
    must be picklable (an instance of a module-level class)."""

    files: bool
    """Each part is a file of its own below the output folder; else the parts are concatenated."""
    joint: bytes
    """Put between two files' outputs when they are concatenated."""

    def __call__(self, source: Source, text: str) -> Sequence[tuple[str, bytes]]:
        """The parts: a name relative to the output folder, and the bytes to write there."""


SPOOL_LIMIT = 16 << 20
"""Output of one file kept in memory up to this size, then in a temporary file."""


@dataclass(frozen=True)
class Job:
    """What to do with every file of a run; shared by the worker processes."""

    mode: str = "stream"
    output_dir: str | None = None
    format: str = "auto"
    """``text``, ``jsonl``, or ``auto``: by each file's name."""
    text_key: str = "text"
    encoding: str = "auto"
    errors: str = "strict"
    """What becomes of undecodable bytes (``io.decode.ERRORS``); escapes are written back as the same bytes."""
    backup_suffix: str | None = None
    keep_bom: bool = False
    collect: bool = False
    """Keep each changed document's input, output and step runs, for explanations and reports."""
    spool_dir: str | None = None
    render: Render | None = None
    """Instead of the cleaned text, write what this makes of it (text inputs only)."""
    timeout: float | None = None
    """Seconds a file may take; a file that takes longer fails alone (see ``time_limit``)."""


@dataclass
class DocumentChange:
    """A changed document: where it is in its file, its text before and after, the step runs between."""

    index: int
    before: str
    after: str
    runs: tuple[StepRun, ...]


@dataclass
class FileResult:
    """What became of one file."""

    source: Source
    format: str = "text"
    error: str | None = None
    documents: int = 0
    changed_documents: int = 0
    bytes_read: int = 0
    steps: dict[str, list[int]] = field(default_factory=dict)
    """Per step: [number of edits, characters removed]."""
    data: bytes = b""
    spool: str | None = None
    changes: list[DocumentChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What decoding had to do (lines in another encoding, mojibake repaired), said on stderr."""
    replaced: int = 0
    """Characters that stand for undecodable bytes."""

    @property
    def changed(self) -> bool:
        return self.changed_documents > 0

    @property
    def failed(self) -> bool:
        return self.error is not None


class _Unchanged(Exception):
    """Raised inside an atomic write to drop the temporary file: the file needs no rewrite."""


class SpoolBuffer:
    """A file's output kept in memory until it grows past ``SPOOL_LIMIT``, then in a named
    temporary file that the main process copies into the concatenated output."""

    def __init__(self, folder: str | None) -> None:
        self.folder = folder
        self.memory = io.BytesIO()
        self.file: BinaryIO | None = None
        self.path: str | None = None

    def write(self, data: bytes) -> int:
        if self.file is None and self.memory.tell() + len(data) > SPOOL_LIMIT:
            fd, self.path = tempfile.mkstemp(prefix="cnclean-spool-", dir=self.folder)
            self.file = os.fdopen(fd, "wb", buffering=1 << 20)
            self.file.write(self.memory.getvalue())
            self.memory = io.BytesIO()
        (self.file or self.memory).write(data)
        return len(data)

    def finish(self, result: FileResult) -> None:
        if self.file is not None:
            self.file.close()
            result.spool = self.path
        else:
            result.data = self.memory.getvalue()

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()
            os.unlink(self.path)


class _Cleaner:
    """Runs the transform on the documents of one file and keeps the file's counts."""

    def __init__(self, transform: Transform, result: FileResult, collect: bool) -> None:
        self.transform = transform
        self.result = result
        self.collect = collect

    def __call__(self, document: Document) -> str:
        outcome = self.transform(document.text)
        text, runs = (outcome, ()) if isinstance(outcome, str) else (outcome.text, outcome.runs)
        result = self.result
        result.documents += 1
        if text != document.text:
            result.changed_documents += 1
            for run in runs:
                counts = result.steps.setdefault(run.step, [0, 0])
                counts[0] += len(run.edits)
                counts[1] += sum(max(0, len(edit.old) - len(edit.new)) for edit in run.edits)
            if self.collect:
                result.changes.append(DocumentChange(document.index, document.text, text, runs))
        return text


def finish_text(text: str, final_newline: bool = True) -> str:
    """Output text ends with exactly one newline (or none, to keep a file that had none), unless empty.

    >>> finish_text("今年3月\\n\\n\\n")
    '今年3月\\n'
    """
    text = text.rstrip("\n")
    return text + "\n" if text and final_newline else text


class _TextWriter:
    """Encodes text for one output: its codec (a BOM only at the start) and its line ends."""

    def __init__(self, write: Callable[[bytes], object], encoding: str, newline: str, errors: str = "strict") -> None:
        self.write_bytes = write
        self.encoding = encoding
        # escaped bytes go out as they came in; a U+FFFD is a character like any other
        self.encoder = codecs.getincrementalencoder(encoding)("surrogateescape" if errors == "surrogateescape" else "strict")
        self.newline = newline

    def write(self, text: str) -> None:
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        try:
            self.write_bytes(self.encoder.encode(text))
        except UnicodeEncodeError as error:
            raise InputError(
                f"the cleaned text cannot be written back as {self.encoding}: "
                f"{error.object[error.start]!r} has no code there; write it elsewhere with -o (UTF-8)"
            ) from None


def _output_codec(job: Job, decoded: Decoded) -> tuple[str, str]:
    """The codec and line end of the output: in place, the file's own; elsewhere UTF-8 and ``\\n``."""
    if job.mode == "in-place":
        if decoded.encoding.startswith("utf-8"):
            return ("utf-8-sig" if decoded.bom else "utf-8"), decoded.newline
        return decoded.encoding, decoded.newline
    return ("utf-8-sig" if job.keep_bom and decoded.bom else "utf-8"), "\n"


class _PrefixedReader:
    """A binary reader that returns ``prefix`` first, then the rest of ``handle``."""

    def __init__(self, prefix: bytes, handle: BinaryIO) -> None:
        self.prefix: memoryview | None = memoryview(prefix)
        self.handle = handle

    def read(self, size: int = -1) -> bytes:
        if self.prefix is None:
            return self.handle.read(size)
        if size < 0 or size >= len(self.prefix):
            piece = bytes(self.prefix)
            self.prefix = None  # let the prefix's memory go
            return piece + self.handle.read() if size < 0 else piece
        piece = bytes(self.prefix[:size])
        self.prefix = self.prefix[size:]
        return piece


@contextlib.contextmanager
def _open_source(source: Source) -> Iterator[BinaryIO]:
    if source.path == "-":
        yield sys.stdin.buffer
        return
    if os.path.isdir(source.path):
        raise InputError("a folder, not a file")
    with open_input(source.path) as handle:
        yield handle


@contextlib.contextmanager
def _open_output(source: Source, job: Job, direct: BinaryIO | None) -> Iterator[tuple[BinaryIO, SpoolBuffer | None]]:
    """The handle a file's output goes to; a failure inside leaves no trace of it."""
    if job.mode == "none" or (job.mode == "mirror" and job.render is not None):  # a render writes its own files
        yield _NullWriter(), None
        return
    if job.mode == "stream":
        if direct is not None:
            yield direct, None
            return
        spool = SpoolBuffer(job.spool_dir)
        try:
            yield spool, spool  # type: ignore[misc]
        except BaseException:
            spool.discard()
            raise
        return
    target = source.path if job.mode == "in-place" else os.path.join(job.output_dir or ".", source.relative)
    if job.mode == "in-place":
        _check_in_place(source)
    else:
        _make_folder(os.path.dirname(target) or ".")
    with atomic_open(target) as handle:
        if is_gzip_name(target):
            with gzip_writer(handle) as compressed:
                yield compressed, None
        else:
            yield handle, None
        if job.mode == "in-place" and job.backup_suffix:
            shutil.copy2(source.path, source.path + job.backup_suffix)


def _make_folder(folder: str) -> None:
    """Create an output folder if needed (one stat when it exists: thousands of files share a few)."""
    if not os.path.isdir(folder):
        os.makedirs(folder, exist_ok=True)


class _NullWriter:
    def write(self, data: bytes) -> int:
        return len(data)


def _check_in_place(source: Source) -> None:
    if source.path == "-":
        raise InputError("--in-place needs files, not stdin")
    info = os.stat(source.path)
    if info.st_nlink > 1:
        raise InputError(
            f"has {info.st_nlink} hard links; rewriting it in place would split them. "
            "Copy it first or write elsewhere with -o"
        )


def _read_head(handle: BinaryIO, limit: int) -> bytes:
    """Up to ``limit`` + 1 bytes: all of a small input, enough of a large one to know it is large."""
    parts, total = [], 0
    while total <= limit:
        chunk = handle.read(READ_SIZE)
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


def decoding_notes(decoded: Decoded) -> list[str]:
    """Say which lines ``--encoding mixed`` read in another encoding and what mojibake was repaired.

    >>> decoding_notes(Decoded("", "mixed", line_encodings=((2, "gb18030"), (5, "gb18030"))))
    ['lines 2, 5 decoded as gb18030']
    """
    by_encoding: dict[str, list[str]] = {}
    for line, encoding in decoded.line_encodings:
        by_encoding.setdefault(encoding, []).append(str(line))
    notes = [f"line{'s' * (len(lines) > 1)} {', '.join(lines)} decoded as {encoding}"
             for encoding, lines in by_encoding.items()]
    if decoded.repairs:
        shown = "; ".join(f"{repair.old} -> {repair.new}" for repair in decoded.repairs[:3])
        notes.append(f"{len(decoded.repairs)} stretch(es) of mojibake repaired: {shown}")
    if decoded.replaced:
        notes.append(replacement_note(decoded.replaced))
    return notes


def replacement_note(count: int) -> str:
    return f"{count:,} undecodable byte{'s' * (count != 1)} replaced or escaped (--errors)"


def _clean_text(handle: BinaryIO, out: BinaryIO, job: Job, clean: _Cleaner, result: FileResult) -> None:
    head = _read_head(handle, STREAM_THRESHOLD)
    if len(head) <= STREAM_THRESHOLD:
        decoded = decode_bytes(head, job.encoding, job.errors)
        result.notes.extend(decoding_notes(decoded))
        result.replaced = decoded.replaced
        del head
        text = clean(Document(decoded.text))
        if job.mode == "in-place" and text == decoded.text:
            raise _Unchanged
        final_newline = job.mode != "in-place" or decoded.text.endswith("\n")
        _TextWriter(out.write, *_output_codec(job, decoded), job.errors).write(finish_text(text, final_newline))
        return
    blocks = TextBlocks(_PrefixedReader(head, handle), job.encoding, job.errors)
    del head
    writer: _TextWriter | None = None
    written = False
    ends_with_newline = True
    for block in blocks:
        text = clean(block).strip("\n")
        ends_with_newline = block.text.endswith("\n")
        if writer is None:
            writer = _TextWriter(out.write, *_output_codec(job, Decoded("", blocks.encoding, blocks.bom, blocks.newline)),
                                 job.errors)
        if text:
            writer.write((block.joint if written else "") + text)
            written = True
    result.replaced = blocks.replaced
    if blocks.replaced:
        result.notes.append(replacement_note(blocks.replaced))
    if job.mode == "in-place" and not result.changed:
        raise _Unchanged
    if writer is not None and written and (job.mode != "in-place" or ends_with_newline):
        writer.write("\n")


def _clean_jsonl(handle: BinaryIO, out: BinaryIO, job: Job, clean: _Cleaner, result: FileResult) -> None:
    process_jsonl(handle, out.write, job.text_key, clean)
    if job.mode == "in-place" and not result.changed:
        raise _Unchanged


def _render_text(handle: BinaryIO, out: BinaryIO, job: Job, clean: _Cleaner, result: FileResult) -> None:
    """The whole text (however large: the parts may span it), cleaned, then rendered: into files
    of the output folder, or onto ``out``."""
    assert job.render is not None
    decoded = decode_bytes(handle.read(), job.encoding, job.errors)
    result.notes.extend(decoding_notes(decoded))
    result.replaced = decoded.replaced
    parts = job.render(result.source, clean(Document(decoded.text)))
    for name, data in parts:
        if job.mode == "mirror":
            target = os.path.join(job.output_dir or ".", name)
            _make_folder(os.path.dirname(target) or ".")
            atomic_write(target, data)
        else:
            out.write(data)


class _CountingReader:
    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.count += len(data)
        return data


def describe(error: Exception) -> str:
    """The message of an input that failed: ours as it is, an OS error by its reason, anything else as a bug."""
    if isinstance(error, CncleanError):
        return str(error)
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return f"internal error: {type(error).__name__}: {error}; please report this input as a bug"


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``TimeLimit`` inside the block once it has run ``seconds``.

    A pathological input (one a pattern takes quadratic time on) must not hold up a batch
    of thousands of files. The alarm is a signal, so it works where signals reach: the main
    thread of a process, which is where the local engine's workers and Ray's run a file;
    the ``regex`` module checks for signals while it matches, so a long match is cut short too.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame) -> None:
        raise TimeLimit(f"took longer than the {seconds:g} s that --timeout allows")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process_file(source: Source, job: Job, transform: Transform, direct: BinaryIO | None = None) -> FileResult:
    """Clean ``source`` as ``job`` says; errors are caught and reported in the result, never raised.

    ``direct`` is a handle to write ``stream`` output to as it is made, when no other file's
    output can interleave (a single input); otherwise the output comes back in the result.
    """
    result = FileResult(source, format_of(source.path, job.format))
    clean = _Cleaner(transform, result, job.collect)
    if job.render is not None:
        process = _render_text
    else:
        process = _clean_jsonl if result.format == "jsonl" else _clean_text
    try:
        with time_limit(job.timeout), _open_source(source) as handle, _open_output(source, job, direct) as (out, spool):
            counted = _CountingReader(handle)
            try:
                process(counted, out, job, clean, result)
            finally:
                result.bytes_read = counted.count
            if spool is not None:
                spool.finish(result)
    except _Unchanged:
        pass
    except Exception as error:  # a bug in a step must not stop the other files
        result.error = describe(error)
    if result.error is not None:
        result.changes.clear()
    return result

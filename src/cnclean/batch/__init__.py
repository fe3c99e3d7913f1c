"""Batches of files: which files, on how many processes, and their concatenated output."""

from __future__ import annotations

import os
import shutil
from typing import BinaryIO

from .discover import DEFAULT_PATTERNS, Source, discover, read_file_list
from .learn import Boilerplate, learn_batch_boilerplate
from .pool import default_jobs, run_files
from .process import DocumentChange, FileResult, Job, Render, Transform, finish_text, process_file

__all__ = [
    "Boilerplate", "DEFAULT_PATTERNS", "ConcatSink", "DocumentChange", "FileResult", "Job", "Render", "Source",
    "Transform",
    "default_jobs", "discover", "finish_text", "learn_batch_boilerplate", "process_file", "read_file_list", "run_files",
]


class ConcatSink:
    """Writes the outputs of several files one after the other, in order, into one stream.

    A text file's output is separated from the previous one by a blank line (each is a piece
    of its own); JSONL records simply follow each other. ``joint``, if given, separates any two
    outputs instead (that of a ``Render``).
    """

    def __init__(self, handle: BinaryIO, joint: bytes | None = None) -> None:
        self.handle = handle
        self.joint = joint
        self.written = False

    def add(self, result: FileResult) -> None:
        if result.spool is not None:
            try:
                if os.path.getsize(result.spool):
                    self._separate(result)
                    with open(result.spool, "rb") as spool:
                        shutil.copyfileobj(spool, self.handle, 1 << 20)
            finally:
                os.unlink(result.spool)
        elif result.data:
            self._separate(result)
            self.handle.write(result.data)

    def _separate(self, result: FileResult) -> None:
        if self.written:
            self.handle.write(self.joint if self.joint is not None else b"\n" if result.format == "text" else b"")
        self.written = True

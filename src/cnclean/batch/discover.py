"""Which files a run reads: operands, folders walked recursively, lists of names."""

from __future__ import annotations

import fnmatch
import os
import sys
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..errors import InputError
from ..io.atomic import TEMP_SUFFIX

DEFAULT_PATTERNS = {
    "text": ("*.txt", "*.txt.gz"),
    "jsonl": ("*.jsonl", "*.jsonl.gz", "*.ndjson", "*.ndjson.gz"),
}
DEFAULT_PATTERNS["auto"] = DEFAULT_PATTERNS["text"] + DEFAULT_PATTERNS["jsonl"]
"""The files a folder contributes when no ``--glob`` is given."""


@dataclass(frozen=True)
class Source:
    """One input file (``-`` for stdin) and its path below the output folder when mirroring:
    relative to its folder operand, or to the current folder for a file operand."""

    path: str
    relative: str
    in_folder: bool = False
    """Found in a folder operand (rather than named on its own)."""
    given: str | None = None
    """The path as the user gave it, when ``path`` was made absolute (for a Ray worker)."""

    @property
    def name(self) -> str:
        return "<stdin>" if self.path == "-" else self.given or self.path


def read_file_list(list_path: str, null_separated: bool) -> list[str]:
    """The file names in ``list_path`` (``-`` for stdin): one a line, or NUL-separated."""
    try:
        if list_path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(list_path, "rb") as handle:
                data = handle.read()
    except OSError as error:
        raise InputError(f"{list_path}: cannot read the list of files ({error.strerror})") from None
    text = os.fsdecode(data)
    names = text.split("\0") if null_separated else text.split("\n")
    return [name.rstrip("\r") if not null_separated else name for name in names if name.strip("\r")]


def walk_folder(folder: str, patterns: Sequence[str]) -> list[str]:
    """Files below ``folder`` whose name matches one of ``patterns``, sorted; hidden entries skipped."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith(".") or name.endswith(TEMP_SUFFIX):
                continue
            if any(fnmatch.fnmatch(name, pattern) for pattern in patterns):
                found.append(os.path.join(root, name))
    return sorted(found)


def discover(operands: Iterable[str], patterns: Sequence[str]) -> list[Source]:
    """Expand folders into their matching files; files and ``-`` pass through, missing ones too.

    A missing file stays in the list so that reading it fails and is reported with the others.
    """
    sources: list[Source] = []
    for operand in operands:
        if operand != "-" and os.path.isdir(operand):
            for path in walk_folder(operand, patterns):
                sources.append(Source(path, os.path.relpath(path, operand), in_folder=True))
        else:
            sources.append(Source(operand, _relative_name(operand)))
    return sources


def _relative_name(path: str) -> str:
    """Where a file operand goes below an output folder: its own relative path (so that the
    ``page_001.txt`` of two folders listed by ``find`` stay apart), or its name if it is absolute
    or climbs out of the current folder."""
    if path == "-":
        return "stdin"
    normal = os.path.normpath(path)
    if os.path.isabs(normal) or normal == ".." or normal.startswith(".." + os.sep):
        return os.path.basename(normal)
    return normal

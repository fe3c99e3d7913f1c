"""Input and output at the edges: reading and decoding files, writing them atomically."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from .atomic import atomic_write
from .decode import Decoded, decode_bytes
from .formats import open_input

__all__ = ["Decoded", "atomic_write", "decode_bytes", "read_bytes", "read_text"]


def read_bytes(source: str) -> bytes:
    """The bytes of a file (decompressed if it ends in ``.gz``), or of stdin for ``-``.

    A missing file or a folder is an ``InputError``.
    """
    if source == "-":
        return sys.stdin.buffer.read()
    if Path(source).is_dir():
        raise InputError("a folder, not a file")
    try:
        with open_input(source) as handle:
            return handle.read()
    except OSError as error:
        raise InputError(error.strerror or str(error)) from None


def read_text(source: str, encoding: str = "auto") -> Decoded:
    """Read and decode one input."""
    return decode_bytes(read_bytes(source), encoding)

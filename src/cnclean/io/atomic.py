"""Write a file so that readers see either the old bytes or all the new ones, never a half."""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

TEMP_SUFFIX = ".cnclean-tmp"

_serial = itertools.count()


def _temp_name(target: Path) -> str:
    """A name beside ``target`` that no other writer uses: this process, a counter, a random part."""
    return str(target.parent / f".{target.name}.{os.getpid()}-{next(_serial)}-{secrets.token_hex(3)}{TEMP_SUFFIX}")


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary handle on a temporary file beside ``path``; renamed over ``path`` when the block ends.

    The target keeps its permission bits. If the block raises, the temporary file is removed
    and the target is left as it was (``click``'s ``atomic=True`` would replace it regardless).
    When the target exists, the data is fsynced before the rename, so that not even a power
    loss can cost its old bytes; a new file is not (its rename alone is atomic for readers and
    against a killed process, and an fsync per file would cost more than cleaning it).
    """
    target = Path(path)
    try:
        existing_mode: int | None = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        existing_mode = None
    # The name is known before the file exists, so that an interruption (a signal turned into an
    # exception) right after the file was created still finds it to remove.
    temp = _temp_name(target)
    try:
        while True:
            try:
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                             0o600 if existing_mode is not None else 0o666)  # a new file: the umask applies
                break
            except FileExistsError:
                temp = _temp_name(target)
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            yield handle
            handle.flush()
            if existing_mode is not None:
                os.fchmod(handle.fileno(), existing_mode)
                os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def atomic_write(path: str | os.PathLike, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or byte chunks streamed one by one) to ``path`` atomically (see ``atomic_open``)."""
    chunks = (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data
    with atomic_open(path) as handle:
        for chunk in chunks:
            handle.write(chunk)

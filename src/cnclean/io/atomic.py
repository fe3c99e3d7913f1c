"""Write a file so that readers see either the old bytes or all the new ones, never a half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator

TEMP_SUFFIX = ".cnclean-tmp"


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
    replacing = target.exists()
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            yield handle
            handle.flush()
            if replacing:
                os.fsync(handle.fileno())
        try:
            os.chmod(temp, os.stat(target).st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see ``atomic_open``)."""
    with atomic_open(path) as handle:
        handle.write(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

"""Write a file so that readers see either the old bytes or all the new ones, never a half."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

TEMP_SUFFIX = ".cnclean-tmp"


def atomic_write(path: str | os.PathLike, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename it over ``path``.

    ``data`` is bytes or an iterable of byte chunks, so a large output can be streamed.
    The target keeps its permission bits. On any failure the temporary file is removed and
    the target is left as it was (``click``'s ``atomic=True`` would replace it regardless).
    """
    chunks = (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data
    target = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.chmod(temp, os.stat(target).st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

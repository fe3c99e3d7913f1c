"""Character classes and measures shared by the steps: Han characters, punctuation, display width."""

from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

import numpy as np
import regex

HAN = r"\p{Han}"
"""A Chinese character (any script: simplified, traditional, extensions)."""

CJK_PUNCT = "，。、；：？！…—·“”‘’（）《》〈〉【】〔〕「」『』｛｝～﹏－／"
"""Full-width punctuation used in Chinese text."""

SENTENCE_END = "。！？…；：”’」』）)!?"
"""Characters after which a line may end a paragraph (a closing quote or bracket after a stop)."""

DIGITS = "0-9０-９"
"""Half- and full-width decimal digits, for use inside a character class."""

HAN_RE = regex.compile(HAN)
_WIDE_RUN_RE = regex.compile(r"[\p{Han}\p{East_Asian_Width=W}\p{East_Asian_Width=F}]+")
_BMP = 0x10000


@lru_cache(maxsize=1)
def _bmp_wide() -> np.ndarray:
    """Which characters of the Basic Multilingual Plane are wide: a table built once."""
    table = np.zeros(_BMP, dtype=bool)
    for run in _WIDE_RUN_RE.finditer("".join(map(chr, range(_BMP)))):
        table[run.start() : run.end()] = True
    return table


def code_points(text: str) -> np.ndarray:
    """The characters of ``text`` as an array of code points."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def wide(codes: np.ndarray) -> np.ndarray:
    """Which code points are wide (CJK and full-width): they take two columns on screen."""
    flags = _bmp_wide()[np.minimum(codes, _BMP - 1)]
    for index in np.flatnonzero(codes >= _BMP).tolist():
        flags[index] = _WIDE_RUN_RE.match(chr(codes[index])) is not None
    return flags


def display_width(line: str) -> int:
    """Display width of a line, counting CJK and full-width characters as 2.

    Column widths are estimated in display width so that a column of 17 Chinese
    characters and one of 34 Latin letters measure the same.

    >>> display_width("今年3月")
    7
    """
    return len(line) + int(wide(code_points(line)).sum())


_SPACE_RUN = regex.compile(r"\s+")


def whitespace_changes(before: str, after: str, rule: str) -> list[tuple[int, int, str, str]]:
    """The changes, in ``before``'s offsets, that turn ``before`` into ``after``.

    Both texts must hold the same non-space characters in the same order (a layout
    change). Each gap between two visible characters whose white space differs becomes
    one change, so a layout step may compute its result in several passes and still
    report its edits against its input.

    >>> whitespace_changes("今年\\n3\\n月 好", "今年3月\\n好", "join")
    [(2, 3, '', 'join'), (4, 5, '', 'join'), (6, 7, '\\n', 'join')]
    """
    wanted = {visible: space for visible, space in _gaps(after)}
    changes = []
    run_visible: list[int] = []
    spaces_before: list[int] = []
    removed = 0
    for match in _SPACE_RUN.finditer(before):
        start, end = match.span()
        visible = start - removed
        run_visible.append(visible)
        spaces_before.append(removed)
        removed += end - start
        new = wanted.pop(visible, "")
        if new != match.group():
            changes.append((start, end, new, rule))
    for visible, space in wanted.items():
        index = bisect_left(run_visible, visible)
        total = spaces_before[index] if index < len(run_visible) else removed
        changes.append((visible + total, visible + total, space, rule))
    changes.sort()
    return changes


def _gaps(text: str) -> list[tuple[int, str]]:
    """White space runs of ``text``, each keyed by the number of visible characters before it."""
    gaps = []
    removed = 0
    for match in _SPACE_RUN.finditer(text):
        start, end = match.span()
        gaps.append((start - removed, match.group()))
        removed += end - start
    return gaps

"""Character classes and measures shared by the steps: Han characters, punctuation, display width."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator

import numpy as np
import regex

HAN = r"\p{Han}"
"""A Chinese character (any script: simplified, traditional, extensions)."""

CJK_PUNCT = "，。、；：？！…—·“”‘’（）《》〈〉【】〔〕「」『』｛｝～﹏－／"
"""Full-width punctuation used in Chinese text."""

SENTENCE_END = "。！？…；：”’」』）)!?"
"""Characters after which a line may end a paragraph (a closing quote or bracket after a stop)."""

OPENING_MARKS = "“‘「『（(《〈【〔"
"""Opening quotes and brackets: they open what follows them and end nothing."""

DIGITS = "0-9０-９"
"""Half- and full-width decimal digits, for use inside a character class."""

HAN_RE = regex.compile(rf"{HAN}+")
"""A run of Chinese characters (runs also build the table of them in one match each)."""
_WIDE_RUN_RE = regex.compile(r"[\p{Han}\p{East_Asian_Width=W}\p{East_Asian_Width=F}]+")
BMP = 0x10000


@lru_cache(maxsize=3)
def _bmp_table(pattern: regex.Pattern) -> np.ndarray:
    """Which characters of the Basic Multilingual Plane ``pattern`` matches: a table built once."""
    table = np.zeros(BMP, dtype=bool)
    for run in pattern.finditer("".join(map(chr, range(BMP)))):
        table[run.start() : run.end()] = True
    return table


_SPACE_RUN_RE = regex.compile(r"\s+")


def code_points(text: str) -> np.ndarray:
    """The characters of ``text`` as an array of code points."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def text_of(codes: np.ndarray) -> str:
    """The text of an array of code points (the inverse of ``code_points``)."""
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


def bmp_index(codes: np.ndarray) -> np.ndarray:
    """Code points to index a table of the Basic Multilingual Plane (U+FFFF, a non-character,
    stands for the others)."""
    return np.minimum(codes, BMP - 1)


def wide(codes: np.ndarray) -> np.ndarray:
    """Which code points are wide (CJK and full-width): they take two columns on screen."""
    flags = _bmp_table(_WIDE_RUN_RE)[bmp_index(codes)]
    for index in np.flatnonzero(codes >= BMP).tolist():
        flags[index] = _WIDE_RUN_RE.match(chr(codes[index])) is not None
    return flags


def _in_bmp_table(pattern: regex.Pattern, codes: np.ndarray) -> np.ndarray:
    """Which code points of the Basic Multilingual Plane ``pattern`` matches (none above it)."""
    return _bmp_table(pattern)[bmp_index(codes)] & (codes < BMP)


def han(codes: np.ndarray) -> np.ndarray:
    """Which code points are Chinese characters of the Basic Multilingual Plane."""
    return _in_bmp_table(HAN_RE, codes)


def space(codes: np.ndarray) -> np.ndarray:
    """Which code points are white space (all of it lies in the Basic Multilingual Plane)."""
    return _in_bmp_table(_SPACE_RUN_RE, codes)


def display_width(line: str) -> int:
    """Display width of a line, counting CJK and full-width characters as 2.

    Column widths are estimated in display width so that a column of 17 Chinese
    characters and one of 34 Latin letters measure the same.

    >>> display_width("今年3月")
    7
    """
    return len(line) + int(wide(code_points(line)).sum())


def line_widths(codes: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Display widths of the lines of ``codes`` that start at ``starts``, none of them empty:
    many lines measured in one pass."""
    return lengths + np.add.reduceat(wide(codes).astype(np.int64), starts)


class LinePattern:
    """A pattern tried at the start of every line.

    The engine jumps from one line break to the next when the pattern starts with one, while
    ``(?m)^`` or a look-behind makes it try every character: ten times slower on a clean page.
    """

    def __init__(self, pattern: str) -> None:
        self.first = regex.compile(pattern)
        self.after_break = regex.compile(rf"\n(?:{pattern})")

    def finditer(self, text: str) -> Iterator[regex.Match]:
        """The matches that start a line, in order and not overlapping. A match after the first
        line takes in the line break before it: use the spans of its groups."""
        first = self.first.match(text)
        if first:
            yield first
        yield from self.after_break.finditer(text, first.end() if first else 0)

"""Character classes and measures shared by the steps: Han characters, punctuation, display width."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

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
WIDE_RE = regex.compile(r"[\p{Han}\p{East_Asian_Width=W}\p{East_Asian_Width=F}]")


def is_han(char: str) -> bool:
    """True for a Chinese character.

    >>> is_han("中"), is_han("A"), is_han("，")
    (True, False, False)
    """
    return bool(HAN_RE.match(char))


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Display width of one character: 2 for wide (CJK, full-width), 1 otherwise."""
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def display_width(line: str) -> int:
    """Display width of a line, counting CJK and full-width characters as 2.

    Column widths are estimated in display width so that a column of 17 Chinese
    characters and one of 34 Latin letters measure the same.

    >>> display_width("今年3月")
    7
    """
    wide = len(WIDE_RE.findall(line))
    return len(line) + wide


def han_ratio(text: str) -> float:
    """Share of Chinese characters among the non-space characters of ``text``."""
    visible = len(text) - sum(1 for c in text if c.isspace())
    if not visible:
        return 0.0
    return len(HAN_RE.findall(text)) / visible

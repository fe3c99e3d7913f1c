"""Character classes and measures shared by the steps: Han characters, punctuation, display width."""

from __future__ import annotations

from bisect import bisect_left

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
# runs of the other characters: Chinese text has few, so counting them is the faster way
_NARROW_RUN_RE = regex.compile(r"[^\p{Han}\p{East_Asian_Width=W}\p{East_Asian_Width=F}]+")


def display_width(line: str) -> int:
    """Display width of a line, counting CJK and full-width characters as 2.

    Column widths are estimated in display width so that a column of 17 Chinese
    characters and one of 34 Latin letters measure the same.

    >>> display_width("今年3月")
    7
    """
    narrow = sum(map(len, _NARROW_RUN_RE.findall(line)))
    return 2 * len(line) - narrow


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

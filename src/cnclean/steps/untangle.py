"""Put back together two articles whose text blocks an extractor printed in turns."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import regex

from ..lines import INDENT_WIDTH, MAX_COLUMN
from ..model import Change, StepResult, rewrite
from ..registry import register
from ..text import code_points, line_widths

_PAGE = regex.compile(r"[^\f]+")
_BLANK_LINES = re.compile(r"\n[^\S\f]*\n")
"""One blank line or more, which ends a block. (The standard library's engine finds it
faster than ``regex``.)"""
_SENTENCE_END = regex.compile(r"[。！？…）)][”’」』）)]*$")
"""The end of a sentence, perhaps inside closing quotes or brackets, or a byline's bracket."""
_MARK = regex.compile(r"[，。、；：！？,;:!?]")
"""A punctuation mark: a block of column text holds some, a stack of headlines none."""
_TITLE = regex.compile(r"\S{3,}(?<![。！？…，、；：”’」』）),;:!?])")
"""A line of three characters or more that ends with no mark: a headline or a series label."""

MIN_LINES = 4
"""Lines of the shortest block of column lines."""

MIN_WIDTH = 12
"""Display width of the narrowest column (six Chinese characters); narrower blocks are
vertical headlines or tables."""

MIN_BLOCKS = 4
"""Blocks of a page in turns: two of each article at least."""

SAME_WIDTH = 1
"""Display width by which two blocks of one column may differ (a digit or a Latin letter)."""

OTHER_WIDTH = 3
"""Display width by which two articles' columns must differ to be told apart."""

WIDER = 1.8
"""How much wider one article's column may be than the other's: a block twice as wide is two
columns read as one, or a caption across them."""

LONGEST_TURN = 2
"""Blocks of one article in a row while the other waits: the extractor reads a band at a
time, a block of each column of each article."""


@dataclass(frozen=True, slots=True)
class _Block:
    """A block of column lines: where it lies in the text and the width most of its lines have."""

    start: int
    end: int
    width: int
    cut: bool
    """The last line stops at the column's edge in mid-sentence."""
    opens: bool
    """A headline stands over the block, or is its first line: an article starts here."""


def _column_width(widths: list[int]) -> int:
    """The width most lines of a block have (the wider of equals): 0 unless half the lines
    are within ``SAME_WIDTH`` of it."""
    counts = Counter(widths)
    width = max(counts, key=lambda w: (counts[w], w))
    support = sum(counts[width + d] for d in range(-SAME_WIDTH, SAME_WIDTH + 1))
    return width if 2 * support >= len(widths) and width >= MIN_WIDTH else 0


def _widths(lines: list[str]) -> list[int]:
    """The display widths of lines that are not empty."""
    lengths = np.array([len(line) for line in lines])
    return line_widths(code_points("\n".join(lines)), np.cumsum(lengths + 1) - lengths - 1, lengths).tolist()


def _spans(page: str) -> list[tuple[int, int]]:
    """Where the runs of ``MIN_LINES`` lines or more with no blank line between them start
    and end."""
    spans = []
    start = 0
    for blank in _BLANK_LINES.finditer(page):
        if page.count("\n", start, blank.start()) >= MIN_LINES - 1:
            spans.append((start, blank.start()))
        start = blank.end()
    if page.count("\n", start) >= MIN_LINES - 1:
        spans.append((start, len(page.rstrip())))
    return spans


def _blocks(page: str, offset: int) -> list[_Block]:
    """The blocks of column lines of one page that starts at ``offset``."""
    spans = _spans(page)
    if len(spans) < MIN_BLOCKS:
        return []
    blocks = []
    previous_end = 0
    for start, end in spans:
        lines = [line.strip() for line in page[start:end].split("\n") if line.strip()]
        if 2 * sum(len(line) > MAX_COLUMN for line in lines) > len(lines):
            continue  # paragraphs already, one per line
        widths = _widths(lines)
        width = _column_width(widths)
        if not width or not _MARK.search(page, start, end):
            continue  # no column of text: a table, or headlines, which hold no punctuation
        opens = _headline_between(page[previous_end:start]) or (
            widths[0] < width - INDENT_WIDTH - 1 and _TITLE.fullmatch(lines[0]) is not None
        )
        cut = widths[-1] >= width - 2 and not _SENTENCE_END.search(lines[-1])
        blocks.append(_Block(offset + start, offset + end, width, cut, opens))
        previous_end = end
    return blocks


def _headline_between(lines: str) -> bool:
    """Whether the lines between two blocks hold a headline: a group of lines between blank
    lines whose last line ends with no mark (not a caption's sentences, not a vertical
    headline of one character per line, which this extractor prints after its body)."""
    for group in regex.split(r"\n\s*\n", lines.strip()):
        if _TITLE.fullmatch(group.rsplit("\n", 1)[-1].strip()):
            return True
    return False


def _same(a: int, b: int) -> bool:
    return abs(a - b) <= SAME_WIDTH


def _turns(blocks: list[_Block], first: int) -> int:
    """The index after the last block of a run of turns that starts at ``first``, or ``first``
    if none starts there.

    A run: blocks of two column widths, the first article's and the other's, the other's
    never more than ``LONGEST_TURN`` in a row. The other cuts in more than once, at least
    once where a block of the first stopped in mid-sentence, and the first comes back. A
    headline over a block after the other's first ends the run: a new article starts.
    """
    if first + 1 >= len(blocks):
        return first
    mine, theirs = blocks[first].width, blocks[first + 1].width
    if abs(mine - theirs) < OTHER_WIDTH or max(mine, theirs) > WIDER * min(mine, theirs):
        return first
    last, streak = first + 1, 1
    while last + 1 < len(blocks):
        block = blocks[last + 1]
        if block.opens or not (_same(block.width, mine) or _same(block.width, theirs)):
            break
        streak = streak + 1 if _same(block.width, theirs) else 0
        if streak > LONGEST_TURN:
            break
        last += 1
    run = blocks[first : last + 1]
    comes_back = any(_same(block.width, mine) for block in run[2:])
    cuts_in_again = sum(_same(block.width, theirs) for block in run) > 1
    cut_in = any(
        before.cut and _same(before.width, mine) and _same(after.width, theirs) for before, after in zip(run, run[1:])
    )
    return last + 1 if comes_back and cuts_in_again and cut_in else first


def _untangled(text: str, blocks: list[_Block]) -> str:
    """The text from the first block to the last: the first article's blocks, then the rest
    in order (the other article's blocks and the lines between blocks)."""
    mine = blocks[0].width
    first, rest = [], []
    for block, after in zip(blocks, blocks[1:] + [None]):
        (first if _same(block.width, mine) else rest).append(text[block.start : block.end])
        if after is not None:
            between = text[block.end : after.start].strip("\n")
            if between.strip():
                rest.append(between)
    return "\n\n".join(first + rest)


def _page_changes(text: str, start: int, end: int) -> list[Change]:
    """The runs of turns of the page from ``start`` to ``end``, each put back together."""
    blocks = _blocks(text[start:end], start)
    changes = []
    first = 0
    while first < len(blocks):
        after = _turns(blocks, first)
        if after == first:
            first += 1
            continue
        run = blocks[first:after]
        changes.append((run[0].start, run[-1].end, _untangled(text, run), "turns"))
        first = after
    return changes


@register("untangle", "reorder")
def untangle_turns(text: str) -> StepResult:
    """Put back together two articles whose text blocks an extractor printed in turns.

    Plain ``pdftotext`` reads two articles set side by side band by band: a block of the
    first article's column, a block of the other's, then the first again. Articles side by
    side seldom share a column width, so each block goes to the article whose width it has:
    the first article's blocks come first, then the other's. Only the order of blocks and
    the blank lines between them change.

    >>> a = ["今年以来，我市多措并举，", "全力推进重点工程建设，取", "得明显成效。我市把项目建", "设作为发展的第一要务，各"]
    >>> b = ["同志们：", "这次会议是本届政府召", "开的第一次全体会议。", "过去五年，五届政府在"]
    >>> c = ["部门协同配合，形成合力，", "确保项目按期完成。今年全", "市计划新开工项目三十个，", "总投资一百二十亿元。"]
    >>> d = ["省委省政府的正确领导", "下，团结依靠全市人民", "推动经济社会发展取得", "了显著成效。"]
    >>> page = "\\n\\n".join("\\n".join(block) for block in (a, b, c, d))
    >>> print(untangle_turns(page).text.replace("\\n\\n", "\\n/\\n"))
    今年以来，我市多措并举，
    全力推进重点工程建设，取
    得明显成效。我市把项目建
    设作为发展的第一要务，各
    /
    部门协同配合，形成合力，
    确保项目按期完成。今年全
    市计划新开工项目三十个，
    总投资一百二十亿元。
    /
    同志们：
    这次会议是本届政府召
    开的第一次全体会议。
    过去五年，五届政府在
    /
    省委省政府的正确领导
    下，团结依靠全市人民
    推动经济社会发展取得
    了显著成效。
    """
    changes = []
    for page in _PAGE.finditer(text):
        changes += _page_changes(text, page.start(), page.end())
    return rewrite(text, changes, "untangle")

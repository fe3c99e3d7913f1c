"""Rejoin the lines of a paragraph that a narrow newspaper column split."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import regex

from .. import lines as kind
from ..model import Change, StepResult, rewrite
from ..registry import register
from ..text import display_width, whitespace_changes

# A visible stretch of one line: from its first to its last non-space character. A form
# feed ends a stretch, so the gap between two stretches holds every line break, blank
# line, indentation and page boundary between them.
_STRETCH = regex.compile(r"[^\s](?:[^\n\f]*[^\s])?")
_INNER_SPACE = regex.compile(r"\s+")
_LAST_NUMBER = regex.compile(r"^(?P<before>.*?)[0-9０-９]+(?:[.．][0-9０-９]+)*[%％]?(?P<after>[^0-9０-９]*)$")
_WORD_START = regex.compile(r"[0-9０-９A-Za-z]")
_NARROW = regex.compile(r"[\x21-\x7e]")
_INNER_STOP = regex.compile(r"[，。；！？、,;][^\s]")

WINDOW = 7
"""How many neighbouring lines on each side estimate a line's column width."""

MIN_COLUMN = 18
"""Narrowest column, in display width (nine Chinese characters); shorter lines are not
column lines, which keeps verse (five or seven characters and a stop) as it is."""

MAX_COLUMN = 100
"""Widest column, in display width; longer lines are paragraphs already (a web page)."""

LONG_PARAGRAPH = 80
"""Display width from which an unfinished line outside a column is a broken paragraph."""

SUPPORT = 3
"""Lines of about the same width needed before a run of lines is taken for a column."""

MAX_PASSES = 4
"""Passes over the text before the result is taken as settled."""

BLANK_EVERY_LINE = 0.6
"""Share of gaps with a blank line above which blank lines carry no meaning (seed 000)."""


@dataclass(slots=True, frozen=True)
class _Shape:
    """What a line's text says on its own, whatever its column: measured once per text."""

    text: str
    width: int
    finished: bool
    inner_stop: bool
    narrow: bool
    word_start: bool
    subtitle: bool
    byline_or_credit: bool
    dateline: bool
    may_open: bool
    list_item: bool
    continuation: bool
    clause_open: bool


@lru_cache(maxsize=1 << 13)
def _measure(stretch: str) -> _Shape:
    """A line measured without its inner spaces (justification, letter-spaced heads).

    Cached: later passes and the pipeline's confirming round see the same lines again.
    """
    text = _INNER_SPACE.sub("", stretch)
    return _Shape(
        text=text,
        width=display_width(text),
        finished=kind.ends_sentence(text),
        inner_stop=_INNER_STOP.search(text) is not None,
        narrow=_NARROW.search(text) is not None,
        word_start=_WORD_START.match(text) is not None,
        subtitle=kind.is_subtitle(text),
        byline_or_credit=kind.is_byline(text) or kind.is_credit(text),
        dateline=kind.starts_dateline(text),
        # an interview turn or a numbered item (（二）, 1., 一、); items counted in
        # words (一是, 二是) are left out: many articles run them inside one paragraph
        # (suite 04)
        may_open=kind.starts_speaker(text) or kind.starts_numbered_item(text),
        list_item=kind.starts_list_item(text),
        continuation=kind.starts_with_continuation(text),
        clause_open=kind.ends_clause(text),
    )


@lru_cache(maxsize=1 << 13)
def _number_split(text: str) -> tuple[int, int] | None:
    """Display widths of the text up to its last number and from that number on; None without one."""
    split = _LAST_NUMBER.search(text)
    if split is None:
        return None
    return display_width(text[: split.start("after")]), display_width(text[split.end("before") :])


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    shape: _Shape
    text: str
    width: int
    finished: bool
    column: int = 0
    overflows: bool = False
    # wider than its column and not a sentence: a headline across columns
    wide: bool = False
    in_column: bool = False
    head: bool = False
    # the next line opens with a number or a Latin word, which may not have fitted at
    # the end of this one: then this line is short without ending anything
    word_follows: bool = False

    @classmethod
    def of(cls, match: regex.Match) -> "_Line":
        shape = _measure(match.group())
        return cls(match.start(), match.end(), shape, shape.text, shape.width, shape.finished)

    def settle(self) -> None:
        """Measure the line against the column it was given."""
        self.overflows = self.column > 0 and self.width > self.column + _tolerance(self.column)
        self.wide = self.overflows and not self.shape.inner_stop
        self.in_column = self.column > 0 and not self.wide

    def tolerance(self) -> int:
        return _tolerance(self.column)

    @property
    def long(self) -> bool:
        """Wider than its column but reading on past a comma or a stop.

        A column line that got a number back from the digits step (seed 000), or a
        paragraph joined by an earlier pass: it ends its paragraph if it ends a sentence.
        """
        return self.overflows and not self.wide

    @property
    def rejoined_number(self) -> bool:
        """Two column lines that the digits step joined with the number between them.

        The text up to the number fills a column line and the whole overflows the
        column: the rest is the next column line, and the line ends where that one
        ended (seed 000: ``实施\n\n10\n\n万人次的技能培训…，免费``).
        """
        split = _number_split(self.text) if self.width <= 2 * self.column + 4 else None
        if split is None:
            return False
        return split[0] >= self.column - self.tolerance() and self.width > self.column + 3

    @property
    def right_edge(self) -> int:
        """Width of the last column line this line holds."""
        if self.rejoined_number:
            # the number may have opened that line
            return _number_split(self.text)[1]
        return self.width

    @property
    def short(self) -> bool:
        """Shorter than a justified line: in seed 000 a line one character short ends a paragraph."""
        # a line with narrow characters (digits, Latin) may end up to one wide character short
        narrow = 2 if self.shape.narrow else 0
        return self.right_edge < self.column - _slack(self.column) - narrow

    @property
    def indented(self) -> bool:
        """Short by an indent and unfinished: the first line of a paragraph in a PDF whose
        extractor dropped the indent (suite 02). Lines with digits or Latin are left out:
        they are short for want of wide characters."""
        return (
            not self.finished
            and not self.shape.narrow
            and self.width < self.column - _slack(self.column)
        )

    @property
    def clearly_short(self) -> bool:
        return self.width <= self.column * 0.75


@lru_cache(maxsize=1024)
def _slack(column: int) -> int:
    """How much shorter than its column a justified line may be (squeezed punctuation)."""
    return max(2, round(column * 0.06))


@lru_cache(maxsize=1024)
def _tolerance(column: int) -> int:
    """How far a justified line may fall short of its column (digits and Latin are narrower)."""
    return max(3, round(column * 0.12))


_TOLERANCE = np.array([_tolerance(width) for width in range(MAX_COLUMN + 1)])
"""The tolerance of every column width, for looking it up on arrays."""
_WINDOW_CHUNK = 4096
"""Windows estimated at once: bounds the memory of the pairwise width comparison."""


def _column_widths(widths: np.ndarray, finished: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """For each window ``widths[start:stop]``: the most frequent width shared, within
    tolerance, by at least SUPPORT lines; 0 if none.

    Justified column lines all have the column's width; paragraph ends and headlines
    scatter around it. Ties go to the wider width. Column lines come in runs and most
    stop in the middle of a sentence: lines that nearly all end one are paragraphs (or
    verse), and headlines left between joined paragraphs are no column.
    """
    result = np.zeros(len(starts), dtype=np.int64)
    for first in range(0, len(starts), _WINDOW_CHUNK):
        chunk = slice(first, first + _WINDOW_CHUNK)
        result[chunk] = _column_widths_chunk(widths, finished, starts[chunk], stops[chunk])
    return result


def _column_widths_chunk(widths: np.ndarray, finished: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """``_column_widths`` of some windows, each laid out as a row padded with -1."""
    span = int((stops - starts).max())
    index = starts[:, None] + np.arange(span)
    inside = index < stops[:, None]
    index = np.minimum(index, len(widths) - 1)
    window = np.where(inside, widths[index], -1)
    done = finished[index] & inside
    candidate = inside & (window >= MIN_COLUMN) & (window <= MAX_COLUMN)
    counts = (window[:, :, None] == window[:, None, :]).sum(axis=2)
    # most frequent first, then the wider (widths stay below the multiplier)
    score = np.where(candidate, counts * 1024 + window, -1)
    rows = np.arange(len(starts))
    best = np.where(score.max(axis=1) >= 0, window[rows, score.argmax(axis=1)], 0)
    # a line may overflow by one hanging punctuation mark
    low = best - _TOLERANCE[best]
    fits = inside & (window >= low[:, None]) & (window <= (best + 2)[:, None])
    near = fits.sum(axis=1)
    unfinished = (fits & ~done).sum(axis=1)
    runs = (fits[:, :-1] & fits[:, 1:]).sum(axis=1)
    return np.where((best > 0) & (runs >= SUPPORT - 1) & (3 * unfinished >= near), best, 0)


def _assign_columns(found: list[_Line]) -> None:
    """Give each line the column it belongs to, looking back and ahead separately.

    Column width changes from article to article on one page (seed 000 has 17- and
    41-character columns), so a line takes the narrowest of the two local estimates
    that it does not clearly overflow.
    """
    count = len(found)
    widths = [line.width for line in found]
    width_array = np.array(widths, dtype=np.int64)
    finished = np.array([line.finished for line in found], dtype=bool)
    positions = np.arange(count)

    def estimate(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
        return _column_widths(width_array, finished, starts, np.minimum(stops, count))

    # the window looking ahead from line i is the one looking back from line i + WINDOW
    # (the first lines look back to the start: their windows are estimated with the others)
    head = positions[:WINDOW]
    both = estimate(np.concatenate((positions, np.zeros_like(head))), np.concatenate((positions + WINDOW + 1, head + 1)))
    ahead = both[:count]
    back = np.concatenate((both[count:], ahead[: max(0, count - WINDOW)]))
    narrower = np.where((back > 0) & (ahead > 0), np.minimum(back, ahead), np.maximum(back, ahead))
    wider = np.maximum(back, ahead)
    columns = np.where(
        (narrower > 0) & (width_array <= narrower + _TOLERANCE[narrower]),
        narrower,
        np.where((wider > 0) & (width_array <= wider + _TOLERANCE[wider]), wider, 0),
    )
    for index in np.flatnonzero((columns == 0) & (wider > 0)).tolist():
        # A line wider than the columns around it is a headline, unless a neighbour
        # shares its width: then it is a wider block (a caption under a photo).
        width = widths[index]
        twins = [w for w in widths[max(0, index - 1) : index + 2] if abs(w - width) <= _tolerance(width)]
        columns[index] = max(twins) if len(twins) > 1 else wider[index]
    # a line among column lines broken up by short ones (paragraph ends, numbers
    # joined back) sees too few of them in its own windows: look further around
    unassigned = np.flatnonzero(columns == 0)
    if len(unassigned):
        columns[unassigned] = estimate(np.maximum(0, unassigned - 3 * WINDOW), unassigned + 3 * WINDOW + 1)
    for line, column in zip(found, columns.tolist()):
        line.column = column


def _is_head(line: _Line) -> bool:
    """Bylines, photo credits and dashed subtitles stay on lines of their own.

    A byline or credit never fills a column line: one that does is body text that
    happens to start with 记者 or end with 制图.
    """
    if line.shape.subtitle:
        return True
    return line.shape.byline_or_credit and not (line.in_column and not line.short)


def _opens_paragraph(line: _Line, indent: str) -> bool:
    """The line surely opens a paragraph: an indent or a dateline (本报讯)."""
    return kind.is_indented(indent) or line.shape.dateline


def _join_columns(prev: _Line, nxt: _Line, indent: str, prev_starts_block: bool) -> bool:
    """Decide whether the break between two column lines is inside a paragraph."""
    if prev.head or nxt.head or prev.wide or nxt.wide or _opens_paragraph(nxt, indent):
        return False
    if prev.long and not prev.rejoined_number:
        return not prev.finished
    if prev.finished:
        # A short line that ends a sentence ends its paragraph; at the right edge of the
        # column it is ambiguous: the next line decides (an interview turn or a numbered
        # item opens a paragraph), and a short unfinished line after it is a headline.
        return not (
            prev.short or nxt.shape.may_open or (nxt.short and not nxt.finished and not nxt.word_follows)
        )
    # An unfinished line clearly shorter than its column that opens a block is a headline
    # (焦作卫生医药学校移交 / 河南理工大学管理 in seed 000); so is one followed by the
    # indented first line of a paragraph (在全市文艺工作会议上的讲话 / 改革开放特别是新世纪).
    # A line that stops after a comma goes on (2010年， in suite 03), whatever its length.
    if prev_starts_block and not prev.shape.clause_open and (
        prev.clearly_short or (nxt.indented and not nxt.word_follows)
    ):
        return False
    return True


def _join_paragraphs(prev: _Line, nxt: _Line, indent: str) -> bool:
    """Outside a column, join only a paragraph that a web page broke in two.

    Web pages keep one paragraph per line, but some break one before a comma or in the
    middle of a sentence (suite 06, seed 001): the first part is long and unfinished,
    the second is not indented and is not a headline.
    """
    if prev.head or nxt.head or _opens_paragraph(nxt, indent) or nxt.shape.list_item:
        return False
    if nxt.shape.continuation:
        return True
    return (
        prev.width >= LONG_PARAGRAPH
        and not prev.finished
        and prev.shape.inner_stop
        and (nxt.width >= LONG_PARAGRAPH or nxt.finished)
    )


@register("columns", "layout")
def repair_columns(text: str) -> StepResult:
    """Rejoin the lines of a paragraph that a narrow newspaper column split.

    A line joins the next when it fills its column or does not end a sentence; a line
    clearly shorter than its column that ends a sentence ends its paragraph. Headlines,
    subtitles, bylines and credits stay on lines of their own; text that is already one
    paragraph per line (long lines of varying length) is left as it is, and a form feed
    is never crossed.

    >>> repair_columns("沁阳市沁园街道袁屯村是市委书\\n\\n记孙立坤党的群众路线教育实践活动\\n\\n"
    ...     "联系点。昨日下午，在袁屯村一户普通\\n\\n村民家中，孙立坤和乡亲们围坐在院子\\n\\n"
    ...     "里，与大家谈心。\\n\\n刚一落座，孙立坤开门见山地说：").text
    '沁阳市沁园街道袁屯村是市委书记孙立坤党的群众路线教育实践活动联系点。昨日下午，在袁屯村一户普通村民家中，孙立坤和乡亲们围坐在院子里，与大家谈心。\\n\\n刚一落座，孙立坤开门见山地说：'
    """
    repaired = text
    for _ in range(MAX_PASSES):
        once = _repair_once(repaired)
        if once == repaired:
            break
        repaired = once
    return rewrite(text, whitespace_changes(text, repaired, "columns"), "columns")


def _repair_once(text: str) -> str:
    """One pass over the lines; a join makes a longer line, which may settle a later pass."""
    found = [_Line.of(match) for match in _STRETCH.finditer(text)]
    if len(found) < 2:
        return text
    _assign_columns(found)
    for line, following in zip(found, found[1:]):
        line.word_follows = following.shape.word_start
    for line in found:
        line.settle()
        line.head = _is_head(line)
    gaps = [text[a.end : b.start] for a, b in zip(found, found[1:])]
    separates = _separating_gaps(gaps)
    changes: list[Change] = []
    prev_starts_block = True
    for index, gap in enumerate(gaps):
        prev, nxt = found[index], found[index + 1]
        if "\f" in gap:
            prev_starts_block = True
            continue
        indent = gap[gap.rfind("\n") + 1 :]
        if prev.in_column and nxt.in_column:
            join = _join_columns(prev, nxt, indent, prev_starts_block) and not (
                _alone(prev, separates, index) or _alone(nxt, separates, index + 1)
            )
        else:
            join = _join_paragraphs(prev, nxt, indent)
        if join:
            changes.append((prev.end, nxt.start, kind.joiner(prev.text, nxt.text), "join"))
        elif prev.column or nxt.column:
            # one clean blank line at a break stays: the pieces step owns the blank lines between
            # pieces, and taking away one it set would undo it round after round
            layout = ("\n\n" if separates[index] else "\n") + indent
            if layout != gap and gap != "\n\n" + indent:
                changes.append((prev.end, nxt.start, layout, "break"))
        prev_starts_block = not join
    return rewrite(text, changes, "columns").text


def _separating_gaps(gaps: list[str]) -> list[bool]:
    """Which gaps hold a blank line that separates blocks.

    Blank lines separate blocks unless the extractor put one after almost every line
    (seed 000, pymupdf blocks); a form feed always separates.
    """
    blank = np.array([gap.count("\n") > 1 or "\f" in gap for gap in gaps], dtype=bool)
    before = np.concatenate(([0], np.cumsum(blank)))
    positions = np.arange(len(blank))
    starts = np.maximum(0, positions - 3 * WINDOW)
    stops = np.minimum(len(blank), positions + 3 * WINDOW + 1)
    in_window = before[stops] - before[starts]
    return (blank & (in_window < BLANK_EVERY_LINE * (stops - starts))).tolist()


def _alone(line: _Line, separates: list[bool], index: int) -> bool:
    """An unfinished line that is a block of its own is a headline or a byline (pdfminer)."""
    before = index == 0 or separates[index - 1]
    after = index == len(separates) or separates[index]
    return before and after and not line.finished and not line.shape.list_item

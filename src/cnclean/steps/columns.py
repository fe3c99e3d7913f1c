"""Rejoin the lines of a paragraph that a narrow newspaper column split."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str
    width: int
    finished: bool
    column: int = 0
    head: bool = False

    @classmethod
    def of(cls, match: regex.Match) -> "_Line":
        """A line measured without its inner spaces (justification, letter-spaced heads)."""
        compact = _INNER_SPACE.sub("", match.group())
        return cls(match.start(), match.end(), compact, display_width(compact), kind.ends_sentence(compact))

    def tolerance(self) -> int:
        return _tolerance(self.column)

    @property
    def in_column(self) -> bool:
        return self.column > 0 and not self.wide

    @property
    def overflows(self) -> bool:
        return self.column > 0 and self.width > self.column + self.tolerance()

    @property
    def wide(self) -> bool:
        """Wider than its column and not a sentence: a headline across columns."""
        return self.overflows and not _INNER_STOP.search(self.text)

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

        The text up to the number fills a column line and the line overflows the
        column: that is what is left of the next line, and the line ends where
        that one ended (seed 000:
        ``实施\n\n10\n\n万人次的技能培训…，免费``).
        """
        split = _LAST_NUMBER.search(self.text) if self.width <= 2 * self.column + 4 else None
        if split is None:
            return False
        with_number = display_width(self.text[: split.start("after")])
        return with_number >= self.column - self.tolerance() and self.width > self.column + 3

    @property
    def right_edge(self) -> int:
        """Width of the last column line this line holds."""
        if self.rejoined_number:
            # the number may have opened that line
            return display_width(self.text[_LAST_NUMBER.search(self.text).end("before") :])
        return self.width

    @property
    def short(self) -> bool:
        """Shorter than a justified line: in seed 000 a line one character short ends a paragraph."""
        # a line with narrow characters (digits, Latin) may end up to one wide character short
        narrow = 2 if _NARROW.search(self.text) else 0
        return self.right_edge < self.column - max(2, round(self.column * 0.06)) - narrow

    @property
    def clearly_short(self) -> bool:
        return self.width <= self.column * 0.75


def _tolerance(column: int) -> int:
    """How far a justified line may fall short of its column (digits and Latin are narrower)."""
    return max(3, round(column * 0.12))


def _column_width(widths: list[int], finished: list[bool]) -> int:
    """The most frequent width shared, within tolerance, by at least SUPPORT lines; 0 if none.

    Justified column lines all have the column's width; paragraph ends and headlines
    scatter around it. Ties go to the wider width. Column lines come in runs and most
    stop in the middle of a sentence: lines that nearly all end one are paragraphs (or
    verse), and headlines left between joined paragraphs are no column.
    """
    best, best_count = 0, 1
    for width in widths:
        if MIN_COLUMN <= width <= MAX_COLUMN:
            count = widths.count(width)
            if count > best_count or (count == best_count and width > best):
                best, best_count = width, count
    if not best:
        return 0
    # a line may overflow by one hanging punctuation mark
    low, high = best - _tolerance(best), best + 2
    fits = [low <= width <= high for width in widths]
    near = fits.count(True)
    unfinished = sum(1 for fit, done in zip(fits, finished) if fit and not done)
    runs = sum(1 for a, b in zip(fits, fits[1:]) if a and b)
    return best if runs >= SUPPORT - 1 and 3 * unfinished >= near else 0


def _assign_columns(found: list[_Line]) -> None:
    """Give each line the column it belongs to, looking back and ahead separately.

    Column width changes from article to article on one page (seed 000 has 17- and
    41-character columns), so a line takes the narrowest of the two local estimates
    that it does not clearly overflow.
    """
    widths = [line.width for line in found]
    finished = [line.finished for line in found]

    def estimate(start: int, stop: int) -> int:
        return _column_width(widths[start:stop], finished[start:stop])

    # the window looking ahead from line i is the one looking back from line i + WINDOW
    ahead = [estimate(index, index + WINDOW + 1) for index in range(len(found))]
    for index, line in enumerate(found):
        back = ahead[index - WINDOW] if index >= WINDOW else estimate(0, index + 1)
        estimates = sorted(e for e in (back, ahead[index]) if e)
        fitting = [e for e in estimates if line.width <= e + _tolerance(e)]
        if fitting:
            line.column = fitting[0]
        elif estimates:
            # A line wider than the columns around it is a headline, unless a neighbour
            # shares its width: then it is a wider block (a caption under a photo).
            twins = [
                w
                for w in widths[max(0, index - 1) : index + 2]
                if abs(w - line.width) <= _tolerance(line.width)
            ]
            line.column = max(twins) if len(twins) > 1 else estimates[-1]
    for index, line in enumerate(found):
        # a line among column lines broken up by short ones (paragraph ends, numbers
        # joined back) sees too few of them in its own windows: look further around
        if not line.column:
            line.column = estimate(max(0, index - 3 * WINDOW), index + 3 * WINDOW + 1)


def _is_head(line: _Line) -> bool:
    """Bylines, photo credits and dashed subtitles stay on lines of their own.

    A byline or credit never fills a column line: one that does is body text that
    happens to start with 记者 or end with 制图.
    """
    if kind.is_subtitle(line.text):
        return True
    fills_column = line.in_column and not line.short
    return not fills_column and (kind.is_byline(line.text) or kind.is_credit(line.text))


def _opens_paragraph(line: _Line, indent: str) -> bool:
    """The line surely opens a paragraph: an indent or a dateline (本报讯)."""
    return kind.is_indented(indent) or kind.starts_dateline(line.text)


def _may_open_paragraph(line: _Line) -> bool:
    """The line may open a paragraph: an interview turn or a numbered item (（二）, 1., 一、).

    Only good enough to settle a sentence that ends at the right edge of the column.
    Items counted in words (一是, 二是) are left out: many articles run them inside one
    paragraph (suite 04).
    """
    return kind.starts_speaker(line.text) or kind.starts_numbered_item(line.text)


def _join_columns(prev: _Line, nxt: _Line, indent: str, prev_starts_block: bool) -> bool:
    """Decide whether the break between two column lines is inside a paragraph."""
    if prev.head or nxt.head or prev.wide or nxt.wide or _opens_paragraph(nxt, indent):
        return False
    if prev.long and not prev.rejoined_number:
        return not prev.finished
    if prev.finished:
        # A short line that ends a sentence ends its paragraph; at the right edge of the
        # column it is ambiguous: the next line decides, and a short unfinished line
        # after it is a headline.
        return not (
            prev.short or _may_open_paragraph(nxt) or (nxt.short and not nxt.finished)
        )
    # An unfinished line clearly shorter than its column that opens a block is a headline
    # (焦作卫生医药学校移交 / 河南理工大学管理 in seed 000).
    return not (prev_starts_block and prev.clearly_short)


def _join_paragraphs(prev: _Line, nxt: _Line, indent: str) -> bool:
    """Outside a column, join only a paragraph that a web page broke in two.

    Web pages keep one paragraph per line, but some break one before a comma or in the
    middle of a sentence (suite 06, seed 001): the first part is long and unfinished,
    the second is not indented and is not a headline.
    """
    if prev.head or nxt.head or _opens_paragraph(nxt, indent):
        return False
    if kind.starts_with_continuation(nxt.text):
        return True
    return (
        prev.width >= LONG_PARAGRAPH
        and not prev.finished
        and _INNER_STOP.search(prev.text) is not None
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
    '沁阳市沁园街道袁屯村是市委书记孙立坤党的群众路线教育实践活动联系点。昨日下午，在袁屯村一户普通村民家中，孙立坤和乡亲们围坐在院子里，与大家谈心。\\n刚一落座，孙立坤开门见山地说：'
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
    found = [_Line.of(m) for m in _STRETCH.finditer(text)]
    if len(found) < 2:
        return text
    _assign_columns(found)
    for line in found:
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
            changes.append((prev.end, nxt.start, ("\n\n" if separates[index] else "\n") + indent, "break"))
        prev_starts_block = not join
    return rewrite(text, changes, "columns").text


def _separating_gaps(gaps: list[str]) -> list[bool]:
    """Which gaps hold a blank line that separates blocks.

    Blank lines separate blocks unless the extractor put one after almost every line
    (seed 000, pymupdf blocks); a form feed always separates.
    """
    blank = [gap.count("\n") > 1 or "\f" in gap for gap in gaps]
    separates = []
    for index, is_blank in enumerate(blank):
        window = blank[max(0, index - WINDOW) : index + WINDOW + 1]
        separates.append(is_blank and sum(window) < BLANK_EVERY_LINE * len(window))
    return separates


def _alone(line: _Line, separates: list[bool], index: int) -> bool:
    """An unfinished line that is a block of its own is a headline or a byline (pdfminer)."""
    before = index == 0 or separates[index - 1]
    after = index == len(separates) or separates[index]
    return before and after and not line.finished and not kind.starts_list_item(line.text)

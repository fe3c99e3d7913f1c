"""Read a page whose columns an extractor printed side by side back one column at a time.

``pdftotext -layout`` and PyMuPDF's ``sort=True`` keep the page geometry: each output row
holds one line of every column it crosses, the columns separated by runs of spaces, and
the rows of articles set side by side interleave. Read as it is, the text runs across the
columns. This step cuts every row into segments by position, gives each segment its
column, and prints the columns one after the other, one column line per line (the shape
of ``pdftotext -raw``, which the ``columns`` step rejoins into paragraphs). Plain
``pdftotext`` prints the lines of two columns whose baselines meet on one row one space
apart: runs of such rows are read one column at a time too. Text that is not laid out side
by side comes out unchanged: the step never changes a character, only the order of the
lines and the spaces between them.
"""

from __future__ import annotations

import heapq
import re
import statistics
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import NamedTuple

import regex

from ..lines import INDENT_WIDTH
from ..model import Change, StepResult, rewrite
from ..registry import register
from ..text import display_width

_GAP = regex.compile(r"(?:^|(?<=[^\s]))  +(?=[^\s])", regex.M)
"""Two spaces or more before a character, after another or at a row's start: the cheap
test that rejects ordinary text."""

_INNER_GAP = regex.compile(r"(?<=[^\s]) {2,}(?=[^\s])")
"""Two spaces or more between two characters (written to start with the spaces, which are
found fast)."""

_INDENTED_ROW = regex.compile(r"^ {2,}[^\s][^\n]*", regex.M)
"""A row that starts two spaces or more to the right: on a page spaced by PyMuPDF, the
rows of columns on the right whose left neighbours are empty."""

_PAGE = regex.compile(r"[^\f]+")
_SEGMENT = regex.compile(r"[^ \n\f](?: ?[^ \n\f])*")
"""Text between runs of two spaces or more: a column line (a single space stays inside)."""

_WORD = regex.compile(r"[^ \n\f]+")

_SPACED_WORD = regex.compile(r"( *)([^ \n\f]+)")
"""A word and the spaces before it."""

_POSITIONED = regex.compile(r"^ {2,}[^ ]|[^ ] {2,}[^ ]")
_HAN = regex.compile(r"\p{Han}")
_SENTENCE = regex.compile(r"[，。、；：,;]")

MIN_ROWS = 3
"""Rows with two column lines side by side before a page counts as laid out side by side."""

MIN_COLUMN_LINE = 5
"""Characters of a column line, of which at least ``MIN_COLUMN_HAN`` Chinese: shorter
segments are table cells (``北京  1234  5.6%``), which stay as they are."""

MIN_COLUMN_HAN = 3

class _Cut(NamedTuple):
    words: bool
    indent: float


CUTS = (_Cut(False, 1), _Cut(True, 1), _Cut(False, 2), _Cut(True, 2))
"""Ways to cut a page: at runs of two spaces or at every space, with one or two spaces of
indentation to a character; the first is ``pdftotext -layout``'s."""

CUT_MARGIN = 1.2
"""How many more segments must fall on the columns' edges for a later cut to be taken."""

ANCHOR_SUPPORT = 3
"""Segments starting at a position before it is taken for the left edge of a column."""

INDENT = 3
"""Positions by which a column line may start right of its column's edge (paragraph indent)."""

ROW_SLACK = 3
"""Rows by which the first lines of the columns of one article may differ (pdftotext sets
lines whose baselines differ slightly on rows of their own)."""

_OPENING_WORD = r"(?:[^\s，。、；：！？,;:!?]{2,6} )?"
_MERGED_ROW = re.compile(rf"^({_OPENING_WORD}\S{{5,}}) ({_OPENING_WORD}\S{{5,}})$", re.M)
"""A row that may be two column lines one space apart: plain ``pdftotext`` prints the lines
of two columns whose baselines meet on one row, and the others on rows of their own. Either
line may open with a short word set apart, not a clause (``本报讯 为了庆祝中国共``). (The
standard library's engine scans for it twice as fast as ``regex``.)"""

MERGED_MIN_WIDTH = 18
"""Display width of the wider half of a merged row: a column line of nine Chinese characters
or more (the other may end a paragraph; two half lines of verse, ``春眠不觉晓， 处处闻啼鸟。``,
are both narrower)."""

MERGED_GAP = 4
"""Rows of one column that may stand between two merged rows of one run."""

MERGED_FIT = 3
"""Display width by which a row of one column may differ from the column's usual width."""


@dataclass(slots=True)
class _Segment:
    row: int
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(slots=True)
class _Block:
    """Lines read together: a run of one column, or a line across several columns, and the
    row each line was printed on."""

    low: int
    high: int
    spanning: bool
    lines: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)

    @property
    def first(self) -> int:
        return self.rows[0]

    @property
    def vertical(self) -> bool:
        """One character per line: a headline set vertically beside its article."""
        return not self.spanning and len(self.lines) > 1 and all(len(line) == 1 for line in self.lines)

    def above(self, other: "_Block") -> bool:
        return self.first < other.first and self.low <= other.high and other.low <= self.high


_ENOUGH_HAN = regex.compile(rf"(?:[^\p{{Han}}]*+\p{{Han}}){{{MIN_COLUMN_HAN}}}")
"""As many Chinese characters as a column line needs, read no further."""


def _is_column_line(segment: str) -> bool:
    return len(segment) >= MIN_COLUMN_LINE and _ENOUGH_HAN.match(segment) is not None


def _side_by_side(line: str, cut: regex.Pattern[str] = _SEGMENT) -> bool:
    """Two column lines on one row, two spaces apart (or one with ``cut=_WORD``)."""
    return sum(map(_is_column_line, cut.findall(line))) >= 2


def _anchors(segments: list[_Segment]) -> list[int]:
    """Left edges of the columns: positions where several segments start.

    Starts up to ``INDENT`` apart are one column: a paragraph's first line is indented.
    """
    counts = Counter(segment.start for segment in segments)
    groups: list[list[int]] = []
    for position in sorted(counts):
        if groups and position <= groups[-1][-1] + INDENT:
            groups[-1].append(position)
        else:
            groups.append([position])
    rows = len({segment.row for segment in segments})
    # a short band (a notice of two rows under its headline) has columns of two lines
    support = min(ANCHOR_SUPPORT, max(2, rows // 2))
    anchors = [group[0] for group in groups if sum(counts[p] for p in group) >= support]
    return anchors or [min(counts)]


def _slot(anchors: list[int], start: int) -> int:
    """The column a segment starting at ``start`` belongs to (the nearest edge to its left)."""
    return max(0, bisect_right(anchors, start + INDENT - 1) - 1)


def _split_at_anchors(segments: list[_Segment], anchors: list[int]) -> list[_Segment]:
    """Cut segments where a column starts after a single space (a justified line filled its column)."""
    edges = {anchor + shift for anchor in anchors for shift in range(INDENT)}
    result: list[_Segment] = []
    for segment in segments:
        start = 0
        for offset, char in enumerate(segment.text):
            if char == " " and segment.start + offset + 1 in edges and offset > start:
                result.append(_Segment(segment.row, segment.start + start, segment.text[start:offset]))
                start = offset + 1
        result.append(_Segment(segment.row, segment.start + start, segment.text[start:]))
    return result


def _slots(segments: list[_Segment], anchors: list[int]) -> list[tuple[int, int]]:
    """The columns each segment covers, as a range of anchor indexes."""
    slots = []
    for segment in segments:
        low = high = _slot(anchors, segment.start)
        while high + 1 < len(anchors) and segment.end > anchors[high + 1] + 1:
            high += 1
        slots.append((low, high))
    return slots


def _blocks(segments: list[_Segment], anchors: list[int]) -> list[_Block]:
    """Group the segments into column runs, cut where a headline over the columns lies between."""
    slots = _slots(segments, anchors)
    widths = {
        low: Counter(len(segment.text) for segment, (first, _) in zip(segments, slots) if first == low).most_common(1)[0][0]
        for low, _ in set(slots)
    }
    rows_of: dict[int, set[int]] = {}
    for segment, (low, high) in zip(segments, slots):
        if low == high:
            rows_of.setdefault(low, set()).add(segment.row)
    open_runs: dict[int, _Block] = {}
    blocks: list[_Block] = []
    for segment, (low, high) in zip(segments, slots):
        offset = segment.start - anchors[low]
        # A headline is wider than its column or centred over the columns: off their left
        # edges, or indented like a paragraph at the top of a column but short of its right
        # edge and with no punctuation (generated layout pages: a module's title over the
        # second of its columns).
        headline = high > low or offset > INDENT or (
            offset > 1
            and low not in open_runs
            and segment.end < anchors[low] + widths[low]
            and not _SENTENCE.search(segment.text)
        )
        if headline:
            for column in range(low, high + 1):
                # a caption of another article set between two lines of a column does not end it
                if not {segment.row - 1, segment.row + 1} <= rows_of.get(column, set()):
                    open_runs.pop(column, None)
            # centred, its first characters stand over the column to the left
            blocks.append(_Block(low - (low > 0 and offset > 1), high, True, [segment.text], [segment.row]))
            continue
        run = open_runs.get(low)
        if run is None:
            run = open_runs[low] = _Block(low, low, False)
            blocks.append(run)
        run.lines.append(segment.text)
        run.rows.append(segment.row)
    return blocks


def _reading_order(blocks: list[_Block]) -> list[_Block]:
    """Leftmost block with nothing unread above it first: headlines before the columns below them."""
    below: list[list[int]] = [[] for _ in blocks]
    waiting = [0] * len(blocks)
    for upper, block in enumerate(blocks):
        for lower, other in enumerate(blocks):
            if block.above(other):
                below[upper].append(lower)
                waiting[lower] += 1
    ready = [(block.low, block.first, index) for index, block in enumerate(blocks) if not waiting[index]]
    heapq.heapify(ready)
    ordered: list[_Block] = []
    while ready:
        *_, index = heapq.heappop(ready)
        ordered.append(blocks[index])
        for lower in below[index]:
            waiting[lower] -= 1
            if not waiting[lower]:
                heapq.heappush(ready, (blocks[lower].low, blocks[lower].first, lower))
    return ordered


def _starts_piece(block: _Block, previous: _Block | None) -> bool:
    """A new article or headline begins: a blank line goes before the block."""
    if previous is None:
        return False
    if block.vertical or previous.vertical:
        return True
    if block.spanning:
        return not previous.spanning or block.first - previous.first > ROW_SLACK
    return not previous.spanning and abs(block.first - previous.first) > ROW_SLACK


def _body_row(blocks: list[_Block]) -> int:
    """Row of an article's first sentence line, in whichever of its blocks: a headline above
    it does not start the article, and its blocks are in reading order, not row order.

    Articles are read in the order their text starts on the page, so the article on the
    right whose text starts beside the headline of the one on the left comes first (the
    order ``pdftotext`` and the benchmarks' readers use).
    """
    sentences = (row for block in blocks for row, line in zip(block.rows, block.lines) if _SENTENCE.search(line))
    return min(sentences, default=blocks[0].first)


def _band_segments(rows: list[str], first_row: int, cut: "_Cut") -> list[_Segment]:
    """Cut rows into segments at runs of two spaces, or at every space; the indentation of a
    row counts ``cut.indent`` spaces to a character."""
    pattern = _WORD if cut.words else _SEGMENT
    segments = []
    for number, row in enumerate(rows):
        indent = len(row) - len(row.lstrip(" "))
        shift = indent - round(indent / cut.indent)
        segments.extend(_Segment(first_row + number, m.start() - shift, m.group()) for m in pattern.finditer(row))
    return segments


def _merge_words(segments: list[_Segment], anchors: list[int]) -> list[_Segment]:
    """Put back together the words of one column line that a single space separated."""
    merged: list[_Segment] = []
    for segment in segments:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.row == segment.row
            and segment.start - previous.end <= 1
            and _slot(anchors, segment.start) == _slot(anchors, previous.start)
        ):
            merged[-1] = _Segment(previous.row, previous.start, previous.text + " " + segment.text)
        else:
            merged.append(segment)
    return merged


def _columns(rows: list[str], first_row: int, cut: "_Cut") -> tuple[list[_Segment], list[int]]:
    """The segments of a band and the left edges of its columns, words put back together."""
    segments = _band_segments(rows, first_row, cut)
    anchors = _anchors(segments)
    return (_merge_words(segments, anchors) if cut.words else segments), anchors


def _on_grid(rows: list[str], cut: "_Cut") -> int:
    """Segments after the first of their row that start at a column's left edge."""
    segments, anchors = _columns(rows, 0, cut)
    return sum(
        1
        for before, segment in zip(segments, segments[1:])
        if before.row == segment.row and segment.start - anchors[_slot(anchors, segment.start)] <= INDENT
    )


def _best_cut(rows: list[str]) -> "_Cut":
    """How the extractor spaced the page: the cut that puts clearly more segments on column edges.

    ``pdftotext -layout`` gives every character one cell and separates columns by two
    spaces or more. PyMuPDF separates the columns of a row by one space, and on some pages
    indents a row by spaces narrower than a character (suite 10: two spaces and a half to
    a character).
    """
    best, best_score = CUTS[0], _on_grid(rows, CUTS[0])
    for cut in CUTS[1:]:
        score = _on_grid(rows, cut)
        if score > CUT_MARGIN * best_score:
            best, best_score = cut, score
    return best


def _articles(rows: list[str], first_row: int, cut: "_Cut") -> list[list[_Block]]:
    """The blocks of one band of rows in reading order, grouped into articles."""
    segments, anchors = _columns(rows, first_row, cut)
    if not cut.words:
        segments = _split_at_anchors(segments, anchors)
    articles: list[list[_Block]] = []
    previous = None
    for block in _reading_order(_blocks(segments, anchors)):
        if previous is None or _starts_piece(block, previous):
            articles.append([])
        articles[-1].append(block)
        previous = block
    return articles


CHARACTER_SPACED = 1.25
"""Column pitch, in column line lengths, below which a page is spaced in characters.

``pdftotext -layout`` prints on a grid finer than a Chinese character: the next column
starts 1.3 to 1.8 line lengths to the right. PyMuPDF's ``sort=True`` turns the distance
to the previous word into spaces as wide as the word's own characters, so the next column
starts one line length and a space or two later (1.05 to 1.2)."""

MIN_PITCHES = 10
"""Pairs of long column lines on one row needed to measure the pitch."""

PITCH_LINE, PITCH_HAN, PITCH_NEXT = 8, 6, 6
"""A pair whose pitch is measured: a line of ``PITCH_LINE`` characters or more, ``PITCH_HAN``
of them Chinese, before a word of ``PITCH_NEXT`` or more (a short line would not show
where its column ends)."""

SIDE_BY_SIDE_SHARE = 0.4
"""Share of the rows holding two column lines (one space apart or more) needed for a page
spaced by PyMuPDF: at least half on such pages, a tenth at most in running text."""

GRID_CELLS = 1.3
"""Grid cells per character width when a character-spaced page is set on a grid."""

EDGE_SLACK = 1.5
"""Character widths by which a word may miss a column's left edge and still start there."""

MIN_RESTART = 4
"""Character widths from the page's left edge below which a restarted line cannot be told
from a column line one space after another."""


STRETCH = 0.08
"""Share of the spaces counted before a word by which it may miss its column's edge and still
start there: a justified line is stretched or squeezed to its column by a few per cent, and
PyMuPDF counts the spaces in that line's own character width."""

RIGHT_SLACK = 2
"""Character widths by which a line may run past the page's right edge (squeezed punctuation)."""

PAST_RIGHT = 0.05
"""Share of a page's rows that may end past its right edge as first placed."""

FAR_RESTART = 24
"""Spaces from which a word landing on a row start when counted from the page's left edge
restarts there, even where counted from the previous word it would start a column too: two
columns' width of white beside a line is rarer on a page than a line restarted on its row."""

OTHER_SIZE = 0.1
"""Share by which a restarted line's character width may differ from the page's usual one (a
line of another size, or squeezed or stretched to its column): its spaces, counted from the
page's left edge in that width, land up to that share off the row start it begins at."""


class _Placed(NamedTuple):
    """A word of a character-spaced row, its start in character widths from the left edge."""

    x0: float
    text: str
    joined: bool
    """One space after the previous word of its line."""
    offset: float
    """The spaces before it, in its own character widths."""


def _character_spaced(rows: list[str]) -> bool:
    """Whether the columns are spaced by PyMuPDF's ``sort=True``, not on a grid: most rows
    hold column lines side by side, and the next column's line starts about one line length
    to the right of a long line (as the next word does in a paragraph with a space after a
    comma, which is why the rows must be counted too)."""
    filled = [row for row in rows if row.strip()]
    if sum(_side_by_side(row, _WORD) for row in filled) < SIDE_BY_SIDE_SHARE * len(filled):
        return False
    pitches = []
    for row in filled:
        words = list(_WORD.finditer(row))
        for word, following in zip(words, words[1:]):
            line = word.group()
            long_pair = len(line) >= PITCH_LINE and len(following.group()) >= PITCH_NEXT
            if long_pair and len(_HAN.findall(line)) >= PITCH_HAN:
                pitches.append((following.start() - word.start()) / len(line))
    return len(pitches) >= MIN_PITCHES and statistics.median(pitches) < CHARACTER_SPACED


def _edges(positions: list[float], support: int) -> list[float]:
    """Positions where at least ``support`` words start, each within ``EDGE_SLACK`` of the next."""
    groups: list[list[float]] = []
    for position in sorted(positions):
        if groups and position - groups[-1][-1] <= EDGE_SLACK:
            groups[-1].append(position)
        else:
            groups.append([position])
    return [group[len(group) // 2] for group in groups if len(group) >= support]


def _nearest(edges: list[float], position: float) -> float:
    """The edge nearest to ``position`` in the sorted ``edges`` (infinitely far if there is none)."""
    index = bisect_right(edges, position)
    return min(edges[max(0, index - 1) : index + 1], key=lambda edge: abs(edge - position), default=float("inf"))


def _miss(edges: list[float], position: float) -> float:
    return abs(_nearest(edges, position) - position)


def _place(
    rows: list[str], row_starts: list[float], column_starts: list[float], right: float = float("inf")
) -> list[list[_Placed]]:
    """The words of each row at their distance from the page's left edge, in character widths.

    PyMuPDF counts the spaces before a word in that word's own character width (a number's
    digits are half as wide as a Chinese character), from the previous word's end, or from
    the page's left edge when the word starts a line. Counted in the natural width, a word
    lands a little off its column's edge: a justified line is stretched or squeezed to the
    column, by a few per cent, and the error grows with the spaces counted. A word one
    space after another is the next word of the line, or the next column's line after a
    full line: near a column edge it starts there. Lines whose baselines differ by less
    than half a line are printed on one row: a word that would start a row where it stands
    if counted from the left edge (``_may_restart``) and is far right or off every column
    counted from the previous word, or would end past the page's right edge counted from the
    previous word, restarts there.
    """
    edges = sorted({*row_starts, *column_starts})
    placed: list[list[_Placed]] = []
    for row in rows:
        words: list[_Placed] = []
        end = 0.0
        for match in _SPACED_WORD.finditer(row):
            gap, text = len(match.group(1)), match.group(2)
            width = display_width(text) / 2
            offset = gap * width / len(text)
            start = end + offset
            joined = bool(words) and gap == 1
            if joined and _miss(column_starts, start) <= 2 * EDGE_SLACK:
                start, joined = _nearest(column_starts, start), False
            elif not joined:
                starts_row = _may_restart(row_starts, offset)
                if words and (
                    (starts_row and (_miss(edges, start) > 2 * EDGE_SLACK or offset >= FAR_RESTART))
                    or (offset >= MIN_RESTART and start + width > right)
                ):
                    placed.append(words)
                    words, start = [], _nearest(row_starts, offset) if starts_row else offset
                if _miss(column_starts, start) <= 2 * EDGE_SLACK + STRETCH * offset:
                    start = _nearest(column_starts, start)
            words.append(_Placed(start, text, joined, offset))
            end = start + width
        placed.append(words)
    return placed


def _may_restart(row_starts: list[float], offset: float) -> bool:
    """Whether a word this many spaces after the previous one may restart a line: the spaces,
    counted from the page's left edge, land on a row start, ``OTHER_SIZE`` off at most."""
    return offset >= MIN_RESTART and _miss(row_starts, offset) <= max(EDGE_SLACK, OTHER_SIZE * offset)


def _before_restart(words: list[_Placed], row_starts: list[float]) -> list[_Placed]:
    """The words of a row up to the first one far right that may restart a line on it."""
    for index, word in enumerate(words[1:], 1):
        if _may_restart(row_starts, word.offset):
            return words[:index]
    return words


def _right_edge(placed: list[list[_Placed]]) -> float:
    """Where the page's lines end: where all but ``PAST_RIGHT`` of its rows end, and
    ``RIGHT_SLACK``. The rows of lines restarted unseen, read on from the wrong word, run
    far past it, and a column edge they plant would carry the page's edge with it."""
    ends = sorted(words[-1].x0 + display_width(words[-1].text) / 2 for words in placed if words)
    return ends[int((len(ends) - 1) * (1 - PAST_RIGHT))] + RIGHT_SLACK if ends else float("inf")


def _gridded(words: list[_Placed]) -> str:
    """A row set on a grid of ``GRID_CELLS`` cells to a character width, columns two spaces
    or more apart, the words of a line one space apart."""
    row = ""
    for word in words:
        position = round(word.x0 * GRID_CELLS)
        if row:
            position = len(row) + 1 if word.joined else max(position, len(row) + 2)
        row += " " * (position - len(row)) + word.text
    return row


def _regrid(rows: list[str]) -> list[str]:
    """Rows spaced by PyMuPDF set on a grid, as ``pdftotext -layout`` prints them.

    Counted word by word, the columns drift apart from row to row; placed at their distance
    from the left edge they line up again. Column edges (where three words start) and the
    page's right edge are learned from a first placement, then used to start a word near a
    column's edge there, to tell a column's line from the next word of a line and to find
    the lines that restart on a row of their own. The first placement reads every word on
    from the previous one: the words of a row from the first that may restart a line on it
    are left out, or such lines, repeated down the page, would make columns of their own.
    """
    placed = _place(rows, [], [])
    row_starts = _row_starts(placed)
    settled = [_before_restart(words, row_starts) for words in placed]
    placed = _place(rows, row_starts, _column_starts(settled), _right_edge(settled))
    for _ in range(2):
        placed = _place(rows, _row_starts(placed), _column_starts(placed), _right_edge(placed))
    return [_gridded(words) for words in placed]


def _row_starts(placed: list[list[_Placed]]) -> list[float]:
    """Where two rows or more start."""
    return _edges([words[0].x0 for words in placed if words], 2)


def _column_starts(placed: list[list[_Placed]]) -> list[float]:
    """Where three words or more start: the columns' left edges."""
    return _edges([word.x0 for words in placed for word in words], 3)


def _read_region(lines: list[str]) -> str:
    """Articles of the bands between blank rows, in the order their text starts, a blank line between them."""
    if _character_spaced(lines):
        lines = _regrid(lines)
    cut = _best_cut(lines)
    articles: list[list[_Block]] = []
    band: list[str] = []
    band_start = 0
    for number, line in enumerate(lines + [""]):
        if line.strip():
            if not band:
                band_start = number
            band.append(line)
        elif band:
            articles.extend(_articles(band, band_start, cut))
            band = []
    articles.sort(key=_body_row)
    return "\n\n".join("\n".join(line for block in article for line in block.lines) for article in articles)


def _laid_out(text: str, start: int, end: int) -> bool:
    """Whether the page has ``MIN_ROWS`` rows of column lines side by side: two spaces apart,
    or one space apart on a page spaced by PyMuPDF."""
    if _at_least(MIN_ROWS, map(_side_by_side, _rows_with_gap(text, start, end))):
        return True
    indented = [_side_by_side(row.group(), _WORD) for row in _INDENTED_ROW.finditer(text, start, end)]
    return sum(indented) >= max(MIN_ROWS, SIDE_BY_SIDE_SHARE * len(indented)) and _character_spaced(
        text[start:end].split("\n")
    )


def _rows_with_gap(text: str, start: int, end: int) -> Iterator[str]:
    """The rows between ``start`` and ``end`` with two spaces or more between two characters."""
    row_end = start
    for gap in _INNER_GAP.finditer(text, start, end):
        if gap.start() < row_end:
            continue
        row_start = max(start, text.rfind("\n", start, gap.start()) + 1)
        row_end = text.find("\n", gap.end(), end)
        row_end = end if row_end < 0 else row_end
        yield text[row_start:row_end]


def _at_least(count: int, flags: Iterable[bool]) -> bool:
    """Whether ``count`` of the flags are true, reading no further than the last one needed."""
    return len(list(islice(filter(None, flags), count))) == count


def _merged_halves(match: re.Match[str]) -> tuple[str, str] | None:
    """The two column lines of a merged row, or None."""
    halves = match.group(1), match.group(2)
    return halves if any(map(_wide_enough, halves)) and all(map(_is_column_line, halves)) else None


def _wide_enough(half: str) -> bool:
    """Whether a half is ``MERGED_MIN_WIDTH`` wide: measured only when its length, or twice
    its length, does not tell."""
    if len(half) >= MERGED_MIN_WIDTH or 2 * len(half) < MERGED_MIN_WIDTH:
        return len(half) >= MERGED_MIN_WIDTH
    return display_width(half) >= MERGED_MIN_WIDTH


def _unmerged(rows: list[str], halves: list[tuple[str, str]]) -> tuple[list[str], list[str]] | None:
    """The rows of a run of merged rows as the left column's and the right's; None when
    the run does not read as two columns.

    The halves of each column share a width, and some left halves stop where the column's
    edge cut them, in the middle of a sentence (each half line of verse ends with a mark). A
    row of its own between merged rows goes to the column whose width it has; a row that
    fits both or neither leaves the run as it is.
    """
    lefts, rights = [half[0] for half in halves], [half[1] for half in halves]
    if 4 * sum(map(_is_cut, lefts)) < len(lefts):
        return None
    left_width = statistics.median_low(map(display_width, lefts))
    right_width = statistics.median_low(map(display_width, rights))
    left: list[str] = []
    right: list[str] = []
    for row in rows:
        match = _MERGED_ROW.fullmatch(row)
        pair = None if match is None else _merged_halves(match)
        if pair is not None:
            left.append(pair[0])
            right.append(pair[1])
            continue
        width = display_width(row)
        fits_left, fits_right = abs(width - left_width) <= MERGED_FIT, abs(width - right_width) <= MERGED_FIT
        if fits_left == fits_right:
            column = _column_going_on(row, left, right, (left_width, right_width))
            if column is None:
                return None
            column.append(row)
            continue
        (left if fits_left else right).append(row)
    return left, right


def _column_going_on(row: str, left: list[str], right: list[str], widths: tuple[int, int]) -> list[str] | None:
    """The column a row of its own no wider than the columns, that fits both widths or
    neither, goes on: a paragraph's indented first line (its indent dropped) after a
    column's finished sentence, any other row after a column line the edge cut (the rest of
    a heading: 一、认真总结经验，正视 / 工作差距), when exactly one column is so."""
    width = display_width(row)
    if not left or not right or width > max(widths) + MERGED_FIT:
        return None  # wider than both columns: running text with a space after a comma
    opens = any(abs(width - (column - INDENT_WIDTH)) <= 1 for column in widths)
    going_on = [column for column in (left, right) if _ends_sentence(column[-1]) == opens]
    return going_on[0] if len(going_on) == 1 else None


def _ends_sentence(line: str) -> bool:
    """Whether a line ends a sentence: a stop, perhaps inside closing quotes or brackets."""
    return line.rstrip("”’」』）)")[-1:] in "。！？…"


def _is_cut(line: str) -> bool:
    """Whether the column edge cut a line in mid-sentence: it ends with no mark."""
    return line[-1] not in "，。、；：,;！？”）"


class _MergedRow(NamedTuple):
    number: int
    start: int
    end: int
    halves: tuple[str, str]


def _merged_runs(text: str, start: int, end: int) -> Iterator[list[_MergedRow]]:
    """Runs of ``MIN_ROWS`` merged rows or more between ``start`` and ``end``, at most
    ``MERGED_GAP`` rows of one column apart and no blank row."""
    run: list[_MergedRow] = []
    number, counted = 0, start
    for match in _MERGED_ROW.finditer(text, start, end):
        halves = _merged_halves(match)
        if halves is None:
            continue
        number += text.count("\n", counted, match.start())
        counted = match.start()
        if run and (number - run[-1].number > MERGED_GAP + 1 or "\n\n" in text[run[-1].end : match.start()]):
            if len(run) >= MIN_ROWS:
                yield run
            run = []
        run.append(_MergedRow(number, match.start(), match.end(), halves))
    if len(run) >= MIN_ROWS:
        yield run


def _merged_change(text: str, start: int, end: int) -> list[Change]:
    """The runs of merged rows of one page, each read one column at a time."""
    changes = []
    for run in _merged_runs(text, start, end):
        columns = _unmerged(text[run[0].start : run[-1].end].split("\n"), [row.halves for row in run])
        if columns is not None:
            left, right = columns
            going_on = _left_going_on(text, run[-1].end, end, statistics.median_low(map(display_width, left)))
            new = "\n".join(left + going_on + right)
            changes.append((run[0].start, run[-1].end + sum(len(row) + 1 for row in going_on), new, "merged_rows"))
    return changes


def _left_going_on(text: str, start: int, end: int, width: int) -> list[str]:
    """The rows after a run of merged rows that are as wide as the left column's lines, up
    to a blank row: the left column goes on where the right one, shorter, has ended."""
    rows = []
    while start < end and text[start] == "\n":
        stop = text.find("\n", start + 1, end)
        row = text[start + 1 : end if stop < 0 else stop]
        if not row.strip() or abs(display_width(row) - width) > MERGED_FIT:
            break
        rows.append(row)
        start += len(row) + 1
    return rows


def _page_change(text: str, start: int, end: int) -> Change | None:
    """The reflowed region of one page: the rows around its positioned rows, up to a blank row."""
    if not _laid_out(text, start, end):
        return None
    rows = text[start:end].split("\n")
    offsets = [start]
    for row in rows:
        offsets.append(offsets[-1] + len(row) + 1)
    positioned = [number for number, row in enumerate(rows) if _POSITIONED.search(row)]
    first, last = positioned[0], positioned[-1]
    # the short last line of the first column is flush left, with nothing beside it
    while first > 0 and rows[first - 1].strip():
        first -= 1
    while last + 1 < len(rows) and rows[last + 1].strip():
        last += 1
    new = _read_region(rows[first : last + 1])
    return (offsets[first], offsets[last] + len(rows[last]), new, "side_by_side")


@register("reflow", "reorder")
def reflow_columns(text: str) -> StepResult:
    """Read columns printed side by side (``pdftotext -layout``) one column at a time.

    Only the order of lines and the spaces between them change; text with no side-by-side
    rows comes out unchanged.

    >>> page = "\\n".join([
    ...     "本报讯 今年以来，我市  多措并举，全力推进  ",
    ...     "坚持把项目建设作为  重点工程建设，取得  ",
    ...     "发展的第一要务。    明显成效。",
    ... ])
    >>> print(reflow_columns(page).text)
    本报讯 今年以来，我市
    坚持把项目建设作为
    发展的第一要务。
    多措并举，全力推进
    重点工程建设，取得
    明显成效。
    """
    spaced = len(_GAP.findall(text)) >= MIN_ROWS
    changes = []
    for page in _PAGE.finditer(text):
        change = _page_change(text, page.start(), page.end()) if spaced else None
        if change is not None:
            changes.append(change)
        else:
            changes += _merged_change(text, page.start(), page.end())
    return rewrite(text, changes, "reflow")

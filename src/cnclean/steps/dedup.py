"""Remove repeated pieces, paragraphs and passages inside one document, keeping the first.

Copies are found on the text with white space removed, so a copy wrapped at another
column width, or split into other lines and blocks, still matches (seed 000 prints the
whole page twice, the second time at another width). Every window of ``WINDOW``
characters is hashed at once with numpy; anchor windows that occurred before are matched
with their earlier occurrence, and the stretch around them where the text agrees with the
text the same distance before is a copy of it. Copies shorter than ``min_chars``
characters stay: a phrase repeated for emphasis, a recurring formula (``本报讯``) or a
short title are legitimate repetition.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..model import Change, StepResult, rewrite
from ..registry import register
from ..text import OPENING_MARKS, SENTENCE_END, code_points, space, text_of

MIN_CHARS = 44
"""Shortest repeat removed, in characters without white space. The longest legitimate repeat
in the seeds is a 39-character sentence that seed 000's lead quotes from its body (it holds the
slogan ``坚决推进改革，主动推进改革，有序推进改革``); the shortest copy to remove is the
49-character title that seed 002 repeats in its metadata box. A run of touching repeats of
different places is a copy from ``2 * min_chars`` characters on."""

WINDOW = 8
"""Window length (a power of two) of the hashed character windows: shorter than a column line,
because pdftotext interleaves the lines of two modules in a copy (suite case 11), so that
each line repeats a different place; and a copy with one changed character is still found
on both sides of the change."""

MAX_GAP = 4
"""Characters between two removed copies that go with them: a changed or dropped character
inside a mangled copy, a page code between two halves of the same repeat."""

ANCHOR_EVERY = 2
"""One window in this many (by hash; a power of two) is sorted and matched."""

LOOK_BACK = 2
"""Earlier occurrences of a window looked at, nearest first, for one far enough away."""

SMALL_SORT = 1 << 13
"""Up to this many anchors, they are sorted by the top 16 bits of their hash only."""

SEARCH_BACK = 1 << 16
"""How far back a short piece between two copies is looked for (bounds the work on huge inputs)."""

CLEAN_CUT_AFTER = SENTENCE_END + ":;"
"""Characters after which a line may be cut: the end of a sentence, of a clause, or a label."""

LONG_COPY = 3
"""Times ``min_chars`` that a copy must take out of one line to go even where it starts or
ends inside a sentence."""

STRAY_CHARS = 2
"""A line left with at most this many characters, none a letter or digit (``•``, ``——``), after
its repeat is removed goes with it."""

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(0x100000001B3)

@dataclass(frozen=True, slots=True)
class Copy:
    """Visible characters ``[start, end)`` repeat earlier text: their first ones the text
    ``head`` characters before, their last ones the text ``tail`` characters before."""

    start: int
    end: int
    head: int
    tail: int


def visible_offsets(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Code points of the text, of its characters that are not white space, and their offsets."""
    codes = code_points(text)
    offsets = np.flatnonzero(~space(codes))
    return codes, codes[offsets], offsets


def window_hashes(codes: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """A 64-bit hash of every ``window`` consecutive code points, all computed at once.

    A polynomial hash doubled in place: the hash of a window of ``2m`` is the hash of its
    first half times ``BASE**m`` plus the hash of its second half, so a window of 8 takes
    three vector operations instead of a loop over the characters.
    """
    hashes = codes.astype(np.uint64) * _MULTIPLIER
    hashes ^= hashes >> np.uint64(29)
    width = 1
    while width < window and len(hashes) > width:
        hashes = hashes[:-width] * (_BASE ** np.uint64(width)) + hashes[width:]
        width *= 2
    return hashes if width >= window else hashes[:0]


def find_copies(codes: np.ndarray, min_chars: int = MIN_CHARS, window: int = WINDOW) -> tuple[list[Copy], np.ndarray]:
    """Every run of at least ``min_chars`` characters made of repeats of earlier text.

    A run is a chain of aligned stretches, each a passage equal to the text one distance
    before it. Stretches that touch or overlap form one run even when their distances
    differ, so a copy whose middle sentence was also quoted elsewhere (a lead that repeats
    a sentence of the body, seed 000) stays one copy; but a run needs one distance over
    ``min_chars`` characters, so two short repeats of different places that happen to
    touch are not a copy. Returns the runs and the spans of the text their stretches repeat.
    """
    nothing = [], np.zeros((0, 2), dtype=np.int64)
    if len(codes) < 2 * min_chars:
        return nothing
    anchors, distances = matched_anchors(window_hashes(codes, window), min_chars)
    if not len(anchors):
        return nothing
    starts, ends, distances = aligned_stretches(codes, anchors, distances, window)
    run_ids = np.cumsum(np.concatenate(([True], ~_touching(codes, starts, ends, window)))) - 1
    same_alignment = (distances[1:] == distances[:-1]) & (starts[1:] <= ends[:-1] + MAX_GAP)
    group_starts = np.flatnonzero(np.concatenate(([True], ~same_alignment)))
    aligned = np.zeros(run_ids[-1] + 1, dtype=np.int64)
    np.maximum.at(aligned, run_ids[group_starts],
                  np.maximum.reduceat(ends, group_starts) - starts[group_starts])
    first = np.flatnonzero(np.concatenate(([True], run_ids[1:] != run_ids[:-1])))
    last = np.concatenate((first[1:], [len(starts)])) - 1
    run_ends = np.maximum.reduceat(ends, first)
    long = (aligned >= min_chars) | (run_ends - starts[first] >= 2 * min_chars)
    if not long.any():
        return nothing  # only short repeats: a recurring phrase, a formula
    first, last, run_ends = first[long], last[long], run_ends[long]
    run_starts = starts[first] - _widening(codes, starts[first] - 1, distances[first], -1)
    run_ends = run_ends + _widening(codes, run_ends, distances[last], 1)
    copies = [
        Copy(int(start), int(end), int(distances[i]), int(distances[j]))
        for i, j, start, end in zip(first, last, run_starts, run_ends)
    ]
    in_long = long[run_ids]
    sources = np.stack((starts - distances, ends - distances), axis=1)[in_long]
    return copies, sources


def _touching(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, window: int) -> np.ndarray:
    """Whether each stretch joins the run before it: it starts at most ``MAX_GAP`` characters
    after, or the text between, shorter than two windows, also occurs earlier.

    pdftotext interleaves the lines of two modules side by side (suite case 11): a copy
    then alternates between two places line by line, and a line shorter than a window
    cannot be matched by windows; found earlier as a whole, it does not break the copy.
    """
    reach = np.maximum.accumulate(ends)[:-1]
    gaps = starts[1:] - reach
    joined = gaps <= MAX_GAP
    bridgeable = np.flatnonzero(~joined & (gaps <= 2 * window))
    if len(bridgeable):
        chars = text_of(codes)
        for gap in bridgeable.tolist():
            before, after = int(reach[gap]), int(starts[gap + 1])
            joined[gap] = chars.rfind(chars[before:after], max(0, before - SEARCH_BACK), before) >= 0
    return joined


def matched_anchors(hashes: np.ndarray, min_chars: int) -> tuple[np.ndarray, np.ndarray]:
    """Anchor windows that occurred before, and how far back (the nearest at least ``min_chars``).

    Anchors are the windows whose hash is divisible by ``ANCHOR_EVERY``: they depend only
    on the window's content, so both copies of a passage have the same anchors, and only
    they need sorting. A column line of 14 characters holds 7 windows; the chance that
    none is an anchor is 0.5**7, under 1 in 100. A nearer occurrence belongs
    to a pattern with a short period (a rule of dashes, 哈哈哈…), not to a copy.
    """
    anchors = np.flatnonzero((hashes & np.uint64(ANCHOR_EVERY - 1)) == 0)
    keys = hashes[anchors]
    if len(anchors) < SMALL_SORT:
        # A radix sort of the top 16 bits is four times faster than sorting 64-bit keys; the
        # few unrelated windows that share them are skipped by the look-back below.
        keys = (keys >> np.uint64(48)).astype(np.uint16)
    order = np.argsort(keys, kind="stable")
    positions = anchors[order]
    ordered = hashes[positions]
    gaps = np.zeros(len(anchors), dtype=np.int64)  # in sorted order, so that lags are slices
    for lag in range(1, LOOK_BACK + 1):
        gap = positions[lag:] - positions[:-lag]
        found = (ordered[lag:] == ordered[:-lag]) & (gap >= min_chars) & (gaps[lag:] == 0)
        gaps[lag:][found] = gap[found]
    distance = np.empty_like(gaps)
    distance[order] = gaps
    matched = distance > 0
    return anchors[matched], distance[matched]


def aligned_stretches(codes: np.ndarray, anchors: np.ndarray, distances: np.ndarray, window: int):
    """Stretches ``(starts, ends, distances)`` spanned by consecutive anchors at one distance,
    widened by up to two windows to where the two copies start and stop agreeing (the edges
    of whole copies are widened further by ``find_copies``)."""
    new = np.concatenate(([True], (distances[1:] != distances[:-1]) | (np.diff(anchors) > 8 * window)))
    first = np.flatnonzero(new)
    last = np.concatenate((first[1:], [len(anchors)])) - 1
    distances = distances[first]
    starts = anchors[first]
    ends = anchors[last] + window
    starts = starts - _agreeing(codes, starts - 1, distances, -1)
    ends = ends + _agreeing(codes, ends, distances, 1)
    order = np.argsort(starts, kind="stable")
    return starts[order], ends[order], distances[order]


def _widening(codes: np.ndarray, edges: np.ndarray, distances: np.ndarray, direction: int) -> np.ndarray:
    """How far the agreement from ``edges`` on reaches (up to 16 windows), a few characters at a time."""
    grown = np.zeros(len(edges), dtype=np.int64)
    active = np.arange(len(edges))
    for _ in range(8):
        step = _agreeing(codes, edges[active] + direction * grown[active], distances[active], direction)
        grown[active] += step
        active = active[step == 2 * WINDOW]
        if not len(active):
            break
    return grown


def _agreeing(codes: np.ndarray, edges: np.ndarray, distances: np.ndarray, direction: int) -> np.ndarray:
    """How many characters from ``edges`` on (going ``direction``) equal those ``distances`` before them."""
    reach = 2 * WINDOW
    positions = edges[:, None] + direction * np.arange(reach)[None, :]
    sources = positions - distances[:, None]
    valid = (sources >= 0) & (positions < len(codes))
    same = valid & (np.take(codes, positions, mode="clip") == np.take(codes, sources, mode="clip"))
    return np.where(same.all(axis=1), reach, same.argmin(axis=1))


def span_mask(spans, length: int) -> np.ndarray:
    """A boolean mask of ``length`` that is true inside any of the ``(start, end)`` spans."""
    spans = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    delta = np.zeros(length + 1, dtype=np.int32)
    np.add.at(delta, spans[:, 0], 1)
    np.add.at(delta, spans[:, 1], -1)
    return np.cumsum(delta[:-1]) > 0


def _counts(mask: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """How many true values of ``mask`` lie in each ``[start, end)``."""
    running = np.concatenate(([0], np.cumsum(mask, dtype=np.int64)))
    return running[ends] - running[starts]


class Lines:
    """The lines of a text as ranges of visible characters."""

    def __init__(self, codes: np.ndarray, offsets: np.ndarray) -> None:
        breaks = np.flatnonzero(codes == 10)
        self.starts = np.searchsorted(offsets, np.concatenate(([0], breaks + 1)))
        self.ends = np.concatenate((self.starts[1:], [len(offsets)]))
        self.spaced = np.diff(offsets, prepend=-1) > 1
        # plain lists for the many single look-ups, where a numpy call costs more than the search
        self._starts = self.starts.tolist()
        self._ends = self.ends.tolist()

    def index(self, position: int) -> int:
        """The line that holds the visible character at ``position``."""
        return bisect_right(self._starts, position) - 1

    def span(self, line: int) -> tuple[int, int]:
        return self._starts[line], self._ends[line]


class Coverage:
    """Which lines are made up entirely of repeated text (either copy of any repeat), how far
    a copy agrees with its source, and which lines were found not to be spliced."""

    def __init__(
        self, codes: np.ndarray, copies: list[Copy], sources: np.ndarray, lines: Lines, min_chars: int
    ) -> None:
        self.codes = codes
        self.lines = lines
        self.min_chars = min_chars
        later = np.array([(copy.start, copy.end) for copy in copies], dtype=np.int64)
        covered = span_mask(np.concatenate((later, sources)), len(codes))
        self.full = _counts(~covered, lines.starts, lines.ends) <= STRAY_CHARS
        self.not_spliced: set[int] = set()
        self.cut_cleanly: set[int] = set()

    def is_splice(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` is part, not all, of a line spliced from repeats.

        Seed 003 has such a line: it starts as a copy of one paragraph and ends as a copy
        of another. Its parts go even where they come first; the intact paragraphs stay.
        """
        line = self.lines.index((start + end - 1) // 2)
        if line in self.not_spliced:
            return False
        line_start, line_end = self.lines.span(line)
        whole = start - line_start <= STRAY_CHARS and line_end - end <= STRAY_CHARS
        return bool(self.full[line]) and not whole and line_end - line_start >= self.min_chars

    def clean_cut(self, position: int) -> bool:
        """True when a cut before the visible character at ``position`` leaves whole sentences:
        at a line edge, after a sentence or a label (``名称:``), or at white space."""
        line_start, line_end = self.lines.span(self.lines.index(min(position, len(self.codes) - 1)))
        if position in (line_start, line_end) or self.lines.spaced[position]:
            return True
        return chr(self.codes[position - 1]) in CLEAN_CUT_AFTER

    def clean_edges(self, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` narrowed to whole lines where a cut inside a line that keeps the
        rest would leave a fragment of a sentence; an end mark taken by chance from the
        sentence before, or left behind, goes with the cut.

        A cut that takes ``LONG_COPY`` times the shortest copy out of one line is no
        quotation: an extractor glued the copy to a stray part of a sentence (pdftotext
        reading on into another article), and it goes wherever it is cut."""
        first, last = self.lines.index(start), self.lines.index(end - 1)
        long_part = LONG_COPY * self.min_chars
        if first in self.cut_cleanly and not self.clean_cut(start):
            if chr(self.codes[start]) in CLEAN_CUT_AFTER:
                start += 1
            elif min(end, self.lines.span(first)[1]) - start < long_part:
                start = self.lines.span(first)[1]
        if last in self.cut_cleanly and not self.clean_cut(end):
            if chr(self.codes[end]) in CLEAN_CUT_AFTER:
                end += 1
            elif end - max(start, self.lines.span(last)[0]) < long_part:
                end = self.lines.span(last)[0]
        return start, end

    def earlier(self, position: int) -> int:
        """Where the text at ``position`` occurred before (a repeat of another place than
        the start of its copy), or ``position`` itself if its first windows did not."""
        probe = self.chars[position : position + 2 * WINDOW]
        found = self.chars.rfind(probe, max(0, position - SEARCH_BACK), position + len(probe) - 1)
        return position if found < 0 else found

    @cached_property
    def chars(self) -> str:
        return text_of(self.codes)

    def aligned(self, edge: int, distance: int, direction: int, limit: int) -> int:
        """How many characters from ``edge`` on (going ``direction``, at most ``limit``) equal
        those ``distance`` before them."""
        if edge - distance < 0:
            return 0  # the earlier copy would start before the text
        if direction > 0:
            here, there = self.codes[edge : edge + limit], self.codes[edge - distance : edge - distance + limit]
        else:
            limit = min(limit, edge - distance)
            here, there = self.codes[edge - limit : edge][::-1], self.codes[edge - distance - limit : edge - distance][::-1]
        length = min(len(here), len(there))
        differ = np.flatnonzero(here[:length] != there[:length])
        return int(differ[0]) if len(differ) else length


def plan_copy(copy: Copy, coverage: Coverage) -> list[tuple[int, int, str, int]]:
    """The ranges to remove for one repeat: ``(start, end, unit, kept)``, ``kept`` where the copy that stays starts.

    The later copy goes, except at its first and last line (the only lines it may share
    with other text). Where such a line has text of its own and the earlier copy of that
    part sits in a spliced line, the spliced part goes instead. Otherwise the part that
    repeats the place of the line's edge goes only when it alone has ``min_chars``
    characters: a headline or a lead that quotes a phrase of the body keeps it (seed 000:
    ``核心观点`` opens with the first sentence of the commentary, then repeats a whole
    paragraph, which goes). The rest of the copy on that line goes if it is still long
    enough; what is left of the later copy then goes if it is still long enough, or whole lines.
    """
    lines = coverage.lines
    start, end = copy.start, copy.end
    plans = []
    for line, distance in dict.fromkeys(((lines.index(start), copy.head), (lines.index(end - 1), copy.tail))):
        line_start, line_end = lines.span(line)
        piece_start, piece_end = max(start, line_start), min(end, line_end)
        if coverage.full[line] or piece_start >= piece_end:
            continue
        first = piece_start == start
        if first:
            piece_end = piece_start + coverage.aligned(piece_start, distance, 1, piece_end - piece_start)
        else:
            piece_start = piece_end - coverage.aligned(piece_end, distance, -1, piece_end - piece_start)
        if coverage.is_splice(piece_start - distance, piece_end - distance):
            plans.append((piece_start - distance, piece_end - distance, "splice", piece_start))
        elif piece_end - piece_start >= coverage.min_chars:
            continue
        if first:
            start = piece_end if min(end, line_end) - piece_end >= coverage.min_chars else line_end
        else:
            end = piece_start if piece_start - max(start, line_start) >= coverage.min_chars else line_start
    start, end = coverage.clean_edges(start, end) if start < end else (start, end)
    if start >= end:
        return plans
    whole_lines = start == lines.span(lines.index(start))[0] and end == lines.span(lines.index(end - 1))[1]
    if end - start >= coverage.min_chars or (start < end and whole_lines):
        kept = start - copy.head if start == copy.start else coverage.earlier(start)
        plans.append((start, end, "passage", kept))
    return plans


def plan_removals(
    codes: np.ndarray, copies: list[Copy], sources: np.ndarray, lines: Lines, min_chars: int
) -> list[tuple[int, int, str, int]]:
    """Which visible ranges to remove, sorted and merged across gaps of at most ``MAX_GAP``.

    A spliced line goes only when all of it goes: its parts that come first are kept
    copies otherwise, and removing them would leave a fragment of a sentence (seed 000:
    a headline that repeats a phrase of the body must not cut the phrase out of it).
    Likewise a copy that ends or starts inside a sentence of a line that stays does not
    take that line: the lines are planned again until every cut is clean.
    """
    coverage = Coverage(codes, copies, sources, lines, min_chars)
    while True:
        plans = sorted(plan for copy in copies for plan in plan_copy(copy, coverage))
        removed = _union([plan[:2] for plan in plans])
        spliced = {lines.index((start + end - 1) // 2) for start, end, unit, _ in plans if unit == "splice"}
        broken = {line for line in spliced if _kept_in(lines.span(line), removed) > STRAY_CHARS}
        cut = set(_unclean_cuts(coverage, removed)) - coverage.cut_cleanly
        if not broken and not cut:
            break
        coverage.not_spliced |= broken
        coverage.cut_cleanly |= cut
    merged: list[list] = []
    for start, end, unit, kept_at in plans:
        if merged and start <= merged[-1][1] + MAX_GAP:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, unit, kept_at])
    return [tuple(item) for item in merged]


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sorted ``spans`` joined where they touch or overlap."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def _kept_in(line: tuple[int, int], removed: list[tuple[int, int]]) -> int:
    """How many characters of ``line`` none of the ``removed`` spans covers."""
    line_start, line_end = line
    return line_end - line_start - sum(max(0, min(end, line_end) - max(start, line_start)) for start, end in removed)


def _unclean_cuts(coverage: Coverage, removed: list[tuple[int, int]]):
    """The lines that the ``removed`` spans cut inside a sentence, keeping the rest of the line."""
    lines = coverage.lines
    for start, end in removed:
        if not coverage.clean_cut(start):
            yield lines.index(start)
        if end < len(coverage.codes) and not coverage.clean_cut(end):
            yield lines.index(end - 1)


CLOSING = "。！？…；：，、”’」』）)》〉】〕.!?;:,"


def trim_edges(chars: str, lines: Lines, removed: np.ndarray) -> np.ndarray:
    """Give back the few characters a removed run takes from the far end of a neighbouring line.

    A repeat often extends by chance over a character or two of the next line (seed 002:
    the list bullet after a repeated title); those belong to that line, unless they are
    the closing punctuation of the repeat or the opening one of its first sentence.
    """
    starts, ends = runs_of(removed)
    first_line = np.searchsorted(lines.starts, starts, side="right") - 1
    last_line = np.searchsorted(lines.starts, ends - 1, side="right") - 1
    head_end, tail_start = lines.ends[first_line], lines.starts[last_line]
    heads = (starts > lines.starts[first_line]) & (head_end - starts <= STRAY_CHARS) & (head_end < ends)
    tails = (ends < lines.ends[last_line]) & (ends - tail_start <= STRAY_CHARS) & (tail_start > starts)
    for start, stop in zip(starts[heads].tolist(), head_end[heads].tolist()):
        if not any(char in OPENING_MARKS for char in chars[start:stop]):
            removed[start:stop] = False
    for start, stop in zip(tail_start[tails].tolist(), ends[tails].tolist()):
        if not any(char in CLOSING for char in chars[start:stop]):
            removed[start:stop] = False
    return removed


def runs_of(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends of the runs of true values in ``mask``."""
    flips = np.flatnonzero(np.diff(np.concatenate(([False], mask, [False])).astype(np.int8)))
    return flips[::2], flips[1::2]


def stray_lines(chars: str, lines: Lines, removed: np.ndarray) -> np.ndarray:
    """Extend ``removed`` over lines whose only other characters are a few marks (``• ``, ``——``)."""
    kept = _counts(~removed, lines.starts, lines.ends)
    partly = np.flatnonzero((kept > 0) & (kept <= STRAY_CHARS) & (kept < lines.ends - lines.starts))
    for line in partly.tolist():
        start, end = lines.span(line)
        rest = (char for char, gone in zip(chars[start:end], removed[start:end]) if not gone)
        if not any(char.isalnum() for char in rest):
            removed[start:end] = True
    return removed


HORIZONTAL_SPACE = " \t\u3000\xa0"


def _is_blank_line(text: str, start: int) -> bool:
    """True for a line of horizontal space only (a form feed, a page boundary, is not blank)."""
    end = text.find("\n", start)
    return (text[start:] if end < 0 else text[start:end]).strip(HORIZONTAL_SPACE) == ""


def cut(text: str, start: int, end: int) -> tuple[int, int, str]:
    """Widen the cut of ``text[start:end]`` to whole lines, or to a clean part of a line.

    Returns ``(start, end, replacement)``. Whole lines go with their line break (and the
    blank lines after them when a blank line or the start of the text is before them);
    a part of a line goes with the spaces that separated it from the rest.
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    before, after = text[line_start:start], text[end:line_end]
    spaces_before = len(before) - len(before.rstrip(HORIZONTAL_SPACE))
    spaces_after = len(after) - len(after.lstrip(HORIZONTAL_SPACE))
    if not before.strip() and not after.strip():
        end = min(line_end + 1, len(text))
        if line_start == 0 or _is_blank_line(text, text.rfind("\n", 0, line_start - 1) + 1):
            while end < len(text) and _is_blank_line(text, end):
                next_break = text.find("\n", end)
                end = len(text) if next_break < 0 else next_break + 1
        return line_start, end, ""
    if not before.strip():
        return line_start, end + spaces_after, ""
    if not after.strip():
        return start - spaces_before, line_end, ""
    if "\n" in text[start:end]:
        return start - spaces_before, end + spaces_after, "\n"
    return start, end + spaces_after, ""


def removal_changes(text: str, offsets: np.ndarray, removed: np.ndarray, plans) -> list[Change]:
    """Turn the removed visible characters into cuts of the text, each named by its plan.

    The rule of a cut is ``UNIT:first@OFFSET``: UNIT is ``lines`` (whole lines went),
    ``passage`` (part of a line) or ``splice`` (a line spliced from repeats of other
    paragraphs), OFFSET where the copy that stays starts in the step's input.
    """
    starts, ends = runs_of(removed)
    plan_ends = [plan[1] for plan in plans]
    changes: list[Change] = []
    for run_start, run_end in zip(starts.tolist(), ends.tolist()):
        plan_start, _, unit, kept = plans[min(bisect_right(plan_ends, run_start), len(plans) - 1)]
        kept += max(0, run_start - plan_start)
        start, end, new = cut(text, int(offsets[run_start]), int(offsets[run_end - 1]) + 1)
        if changes and start < changes[-1][1]:
            previous_start, _, _, rule = changes.pop()
            start, end, new = cut(text, previous_start, end)
        else:
            whole_lines = (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end - 1] == "\n")
            rule = f"{'lines' if unit == 'passage' and whole_lines else unit}:first@{int(offsets[kept])}"
        changes.append((start, end, new, rule))
    return changes


@register("dedup", "remove")
def remove_duplicates(text: str, *, min_chars: int = MIN_CHARS) -> StepResult:
    """Remove repeated pieces, paragraphs and passages inside one document, keeping the first.

    Repeats are compared without white space, so a copy wrapped differently is found;
    repeats shorter than ``min_chars`` visible characters are never touched.

    >>> paragraph = "推进经济结构战略性调整，加快发展现代服务业，提高自主创新能力，建设创新型国家，为全面建成小康社会打下坚实基础。"
    >>> page = f"{paragraph}\\n本报讯\\n{paragraph[:20]}\\n{paragraph[20:]}\\n"
    >>> remove_duplicates(page).text == f"{paragraph}\\n本报讯\\n"
    True
    """
    all_codes, codes, offsets = visible_offsets(text)
    copies, sources = find_copies(codes, min_chars)
    if not copies:
        return StepResult(text)
    lines = Lines(all_codes, offsets)
    plans = plan_removals(codes, copies, sources, lines, min_chars)
    chars = text_of(codes)
    removed = span_mask([plan[:2] for plan in plans], len(codes))
    removed = stray_lines(chars, lines, trim_edges(chars, lines, removed))
    return rewrite(text, removal_changes(text, offsets, removed, plans), "dedup")

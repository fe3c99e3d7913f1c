"""Rejoin the lines of a paragraph that a narrow newspaper column split."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import regex

from ..lines import (
    ALNUM_END, ALNUM_START, ANNOUNCES, BARE_END, BYLINE, CLAUSE_OPEN, CLEARLY_SHORT, CONTINUATION, CREDIT,
    CREW, DASH_END, DATELINE, DIGIT_END, DIGIT_START, DOCUMENT_NUMBER, FINISHED, FONT_WIDTH, INDENT_WIDTH, INNER_STOP,
    LETTER_SPACED, LIST_ITEM, MAY_OPEN, MIN_COLUMN, NAME, NARROW, PAGE_HEADER, PARALLEL, SERIES, SPEECH_TITLE, SUBTITLE,
    WINDOW, WORD_START,
    assign_columns, is_indented, is_speech_title, line_cues, tolerance,
)
from ..model import StepResult, rewrite
from ..registry import register
from ..text import display_width

# A visible stretch of one line: from its first to its last non-space character. A form
# feed ends a stretch, so the gap between two stretches holds every line break, blank
# line, indentation and page boundary between them.
_STRETCH_SPLIT = regex.compile(r"([^\s](?:[^\n\f]*[^\s])?)")
_LAST_NUMBER = regex.compile(r"^(?P<before>.*?)[0-9０-９]+(?:[.．][0-9０-９]+)*[%％]?(?P<after>[^0-9０-９]*)$")
_LEADING_NUMBER = regex.compile(r"[0-9]+(?:\.[0-9]+)*%?")
_LEADING_WORD = regex.compile(r"[0-9A-Za-z０-９][0-9A-Za-z０-９,.%]*")
# an office, then a name set apart (市委常委、常务副市长 徐进, or 徐 进 as a justified line sets it)
_SPEAKER = regex.compile(r"[^\s，。；！？,;:：]{2,24}[ \u3000]+\p{Han}(?:[ \u3000]?\p{Han}){1,3}")
_NAME = regex.compile(NAME)
# names in brackets that sign an article (（李军鹏 田利平）)
_SIGNATURE = regex.compile(rf"\s*[（(]\s*{NAME}(?:[\s、]*{NAME})*\s*[）)]\s*")
# a date written in Chinese numerals under a notice (二○一二年八月一日)
_DATE_IN_WORDS = regex.compile(r"[〇○零一二三四五六七八九十]{2,4}年[〇○零一二三四五六七八九十]{1,3}月[〇○零一二三四五六七八九十]{1,3}日$")
# a mark that sets out a field or an item (• 信息分类：市政府办文件), never in a headline
_FIELD_MARK = regex.compile(r"\p{Po}")
# the words a subtitle ends with (——孟州市委书记魏超杰调研城建工程侧记, ——…系列报道之效能建设篇)
_WHOLE_SUBTITLE = regex.compile(r"(?:侧记|纪实|札记|手记|散记|速写|综述|述评|调查|访谈|篇)$")

LONG_PARAGRAPH = 80
"""Display width from which an unfinished line outside a column is a broken paragraph."""

MAX_PASSES = 4
"""Passes over the text before the result is taken as settled."""

DATE_WIDTH = 24
"""Display width of the longest date in Chinese numerals (二〇一二年十二月二十一日)."""

NAME_WIDTH = 6
"""Display width of the longest name (a surname and two characters)."""

HEADLINE_MIN = 12
"""Display width of the shortest line of a wrapped headline (six Chinese characters)."""

BLANK_EVERY_LINE = 0.6
"""Share of gaps with a blank line (or a text block's leading space) above which blank lines
carry no meaning (seed 000)."""


def _number_split(text: str) -> tuple[int, int] | None:
    """Display widths of the text up to its last number and from that number on; None without one."""
    split = _LAST_NUMBER.search(text)
    if split is None:
        return None
    return display_width(text[: split.start("after")]), display_width(text[split.end("before") :])


def _slack(column):
    """How much shorter than its column a justified line may be (squeezed punctuation)."""
    return np.maximum(2, np.rint(column * 0.06)).astype(np.int64)


class _Lines:
    """The visible lines of one pass, each measured against the column it was given.

    Every attribute is an array with one entry per line, so that the decision at each
    line break is taken for the whole text at once.
    """

    def __init__(self, texts: list[str]) -> None:
        self.cues = cues = line_cues(texts)
        self.width = width = cues.width
        self.finished = cues.has(FINISHED)
        self.column = column = assign_columns(width, self.finished, cues.has(INNER_STOP), cues.has(BARE_END))
        allowed, slack = tolerance(column), _slack(column)
        self.overflows = (column > 0) & (width > column + allowed)
        # wider than its column and not a sentence: a headline across columns
        self.wide = self.overflows & ~cues.has(INNER_STOP) & ~self.finished
        self.in_column = (column > 0) & ~self.wide
        # wider than its column but reading on past a comma or a stop: a column line that
        # got a number back from the digits step (seed 000), or a paragraph joined by an
        # earlier pass; it ends its paragraph if it ends a sentence
        self.long = self.overflows & ~self.wide
        # Two column lines that the digits step joined with the number between them: the
        # text up to the number fills a column line and the whole overflows the column;
        # the rest is the next column line, and the line ends where that one ended
        # (seed 000: ``实施\n\n10\n\n万人次的技能培训…，免费``).
        self.rejoined_number = np.zeros(len(width), dtype=bool)
        right_edge = width.copy()
        for index in np.flatnonzero((width > column + 3) & (width <= 2 * column + 4)).tolist():
            split = _number_split(cues.line(index))
            if split is not None and split[0] >= column[index] - allowed[index]:
                self.rejoined_number[index] = True
                right_edge[index] = split[1]
        # Shorter than a justified line: in seed 000 a line one character short ends a
        # paragraph; a line with narrow characters (digits, Latin) may end up to one wide
        # character short.
        self.short = right_edge < column - slack - np.where(cues.has(NARROW), 2, 0)
        # A line of Chinese that stops on a comma one character short of its column, after the
        # end of a sentence, is short: a justified line runs to the edge, and a comma that does
        # not fit hangs past it; only a paragraph's first line, its indent dropped, ends so
        # (员，确保宣传工作顺利开展。 / 为提升宣传队伍的整体素质， in a column of fourteen). Where a
        # stop hangs past the edge, the column may be measured one character too wide (a narrow
        # caption of seed 000): the sentence before must end short of the column, or the line
        # after must fill it.
        after_sentence = np.concatenate(([False], self.finished[:-1]))
        measured = np.concatenate(([False], width[:-1] < column[1:])) | np.append(width[1:] == column[:-1], False)
        self.short |= (
            after_sentence & measured & cues.has(CLAUSE_OPEN) & ~cues.has(NARROW | FONT_WIDTH)
            & (width <= column - 2) & (width > 0)
        )
        # Short by an indent and unfinished: the first line of a paragraph in a PDF whose
        # extractor dropped the indent (suite 02). Lines with digits, Latin or quotes are left
        # out: they may be short for want of wide characters.
        self.indented = ~self.finished & ~cues.has(NARROW | FONT_WIDTH) & (width < column - slack)
        # shorter by more than an indent too: in a narrow column (a photo caption, seed 004)
        # the indent alone takes a quarter of the first line
        self.clearly_short = (width <= column * CLEARLY_SHORT) & (width < column - INDENT_WIDTH)
        # ...unless the number or Latin word that opens the next column line did not fit at
        # its end: together they fill the column (盧安達的國土面積為 / 26,338平方公里，在世界各國;
        # not a date on a short line of its own)
        self.word_fills = np.zeros(len(width), dtype=bool)
        for index in np.flatnonzero(self.clearly_short[:-1] & cues.has(WORD_START)[1:] & ~self.short[1:]).tolist():
            lead = _LEADING_WORD.match(cues.line(index + 1)).end()
            self.word_fills[index] = width[index] + lead >= column[index] - allowed[index]
        # a speech title cut in two (在全市“效能革命” / 工作会上的讲话): the speaker's line may
        # stand under its second line
        self.wrapped_speech_title = _wrapped_speech_title(self)
        # Bylines, photo credits and dashed subtitles stay on lines of their own. A byline
        # or credit never fills a column line: one that does is body text that happens to
        # start with 记者 or end with 制图. A narrow column (a photo caption) is the
        # exception: a credit of a few characters fills one of its lines. A byline that names
        # two roles (特约记者 杜福建 通讯员 汪博, seed 004) is one whatever its width, and so
        # are an official document's number under its title (许政办[2012]68号) and the title
        # of a speech (在全市文艺工作会议上的讲话). A line that
        # starts with the second half of a dash pair cut by the column edge opens no subtitle.
        # A letter-spaced line after the end of a sentence is a headline spread across its
        # column; after an unfinished line it is a body line stretched for a word that did
        # not fit (学 院 成 为 了 第 一 个 / ARPANET的全球链接点).
        dash_cut = np.concatenate(([False], cues.has(DASH_END)[:-1]))
        after_sentence = np.concatenate(([True], self.finished[:-1] | cues.has(CREDIT)[:-1]))
        after_end = np.append(True, self.finished[:-1])
        # a line with no mark after the end of a sentence, over a dashed subtitle, is the
        # subtitle's headline (…成效明显。 / 精心打造城市亮点工程 / ——孟州市委书记…侧记),
        # even where it is as wide as a column line
        over_subtitle = np.append(cues.has(SUBTITLE)[1:] & ~dash_cut[1:], False)
        subtitle_headline = over_subtitle & cues.has(BARE_END) & ~cues.has(INNER_STOP) & after_sentence
        self.head = (
            cues.has(PARALLEL | CREW | DOCUMENT_NUMBER | SPEECH_TITLE | PAGE_HEADER | SERIES)
            | cues.has(LETTER_SPACED) & after_sentence
            | cues.has(SUBTITLE) & ~dash_cut
            | cues.has(BYLINE | CREDIT) & ~(self.in_column & ~self.short)
            | cues.has(CREDIT) & (column < MIN_COLUMN)
            | self._speakers(texts, cues.has(SPEECH_TITLE) | np.append(False, self.wrapped_speech_title))
            # a date in Chinese numerals under a notice (二○一二年八月一日), and a name alone
            # after the end of a sentence (…加快施工进度。 / 梁怡): the author's, under the article,
            # as are names in brackets there (…受到表彰。 / （李军鹏 田利平）), even where they
            # fill a column line
            | _fullmatches(_DATE_IN_WORDS, texts, self.short & cues.has(BARE_END) & (width <= DATE_WIDTH))
            | _fullmatches(_NAME, texts, after_end & cues.has(BARE_END) & (width <= NAME_WIDTH))
            | _fullmatches(_SIGNATURE, texts, after_end & cues.has(CREDIT))
            | subtitle_headline
        )
        # the next line opens with a number or a Latin word, which may not have fitted at
        # the end of this one: then this line is short without ending anything
        self.word_follows = np.append(cues.has(WORD_START)[1:], False)
        # The next line opens with a number that fits at the end of this one, with the rest
        # of the next line: a number put on a line of its own (seed 000) and joined back to
        # the text after it left this line short after a stop in mid-paragraph (suite 03:
        # 是能源利用效率不断提高。 / 2010年，). A new paragraph fills its first line, bar
        # the indent an extractor dropped: after a colon it is taken for one (各部门： /
        # 7月31日，市政府召开了). Unless the number stands alone, the two made one justified
        # line: together they fill the column (a dated page header after a paragraph's end
        # does not).
        lead = self._leading_numbers(cues, np.flatnonzero(cues.has(DIGIT_START)[1:] & self.finished[:-1]) + 1)
        # The two lines were one line of the next line's column when this one, short, was
        # measured against another (the column of the article before).
        together = right_edge[:-1] + width[1:]
        joint = np.maximum(column[:-1], column[1:])
        fits = (together <= joint + 2) & ((together >= joint - tolerance(joint)) | (lead == width)[1:])
        # A number taken off the end of a full line and joined to the next column line
        # makes that line overflow by the number alone (賣唱。 / 1982年，在無線…合辦的):
        # the number fills this line and the rest of the next is one column line.
        filled = right_edge[:-1] + lead[1:] - column[:-1]
        rest = width[1:] - lead[1:] - column[:-1]
        overflows = width[1:] > column[:-1] + 2
        fits |= (lead[1:] > 0) & overflows & (filled >= -allowed[:-1]) & (filled <= 2) & (rest >= -slack[:-1]) & (rest <= 2)
        self.number_follows = np.append(cues.has(DIGIT_START)[1:] & fits, False) & ~cues.has(ANNOUNCES)

    @staticmethod
    def _speakers(texts: list[str], speech_title: np.ndarray) -> np.ndarray:
        """The line under a speech title that names the speaker, a name set apart after
        the office (市委常委、常务副市长 徐进): a byline, never the body's first line."""
        speakers = np.zeros(len(texts), dtype=bool)
        for index in np.flatnonzero(speech_title[:-1]).tolist():
            speakers[index + 1] = _SPEAKER.fullmatch(texts[index + 1]) is not None
        return speakers

    @staticmethod
    def _leading_numbers(cues, lines: np.ndarray) -> np.ndarray:
        """The width of the number each of ``lines`` starts with (0 elsewhere). They start with
        an ASCII digit, and only a line after the end of a sentence needs it."""
        lead = np.zeros(len(cues.width), dtype=np.int64)
        for index in lines.tolist():
            lead[index] = _LEADING_NUMBER.match(cues.line(index)).end()
        return lead

    def has(self, cue: int) -> np.ndarray:
        return self.cues.has(cue)


def _fullmatches(pattern: regex.Pattern[str], texts: list[str], candidates: np.ndarray) -> np.ndarray:
    """Which of the candidate lines ``pattern`` matches whole: a line of their own, even where
    the joined paragraphs of a later pass leave no column to measure them by."""
    matches = np.zeros(len(texts), dtype=bool)
    for index in np.flatnonzero(candidates).tolist():
        matches[index] = pattern.fullmatch(texts[index]) is not None
    return matches


PAGE_BREAK, BLANK, INDENT, LEAD_SPACE = 1, 2, 4, 8


@lru_cache(maxsize=1 << 10)
def _gap_cues(gap: str) -> int:
    """Whether a gap between two lines holds a form feed, a blank line, an indent, a space
    before the next line (an extractor's text block starts there, seed 000): one bit each."""
    page_break = "\f" in gap
    lead = gap[gap.rfind("\n") + 1 :]
    return (
        page_break * PAGE_BREAK
        | (gap.count("\n") > 1 or page_break) * BLANK
        | is_indented(lead) * INDENT
        | ("\n" in gap and lead.startswith(" ")) * LEAD_SPACE
    )


@lru_cache(maxsize=1 << 10)
def _break(gap: str, separates: bool) -> str:
    """A paragraph break: one line break, or a blank line where blocks separate, before the indent.

    One clean blank line at a break stays: the pieces step owns the blank lines between
    pieces, and taking away one it set would undo it round after round.
    """
    indent = gap[gap.rfind("\n") + 1 :]
    if gap == "\n\n" + indent:
        return gap
    return ("\n\n" if separates else "\n") + indent


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
    parts = _STRETCH_SPLIT.split(text)
    stretches, original = parts[1::2], parts[2:-1:2]
    # Each pass only rewrites the gaps between lines, and a gap that a pass joined lies
    # inside a line in the next: the gaps of a pass are those of the input that still
    # hold a line break, so the changes can be stated against the input.
    gaps = list(original)
    live = list(range(len(gaps)))
    lines = stretches
    settled: set[int] = set()
    for _ in range(MAX_PASSES):
        repaired = _repair_once(lines, [gaps[index] for index in live], np.array([index in settled for index in live]))
        if repaired is None:
            break
        new, ends_headline = repaired
        for index, value in zip(live, new):
            gaps[index] = value
        settled.update(index for index, ends in zip(live, ends_headline.tolist()) if ends)
        live = [index for index in live if _breaks_line(gaps[index])]
        lines = _join_lines(stretches, gaps)
    offsets = np.cumsum([0] + [len(part) for part in parts]).tolist()
    changes = [
        (offsets[2 * index + 2], offsets[2 * index + 3], gaps[index], "columns")
        for index in range(len(gaps))
        if gaps[index] != original[index]
    ]
    return rewrite(text, changes, "columns")


def _breaks_line(gap: str) -> bool:
    return "\n" in gap or "\f" in gap


def _join_lines(stretches: list[str], gaps: list[str]) -> list[str]:
    """The lines that the stretches make once the gaps without a line break are joined."""
    woven = [""] * (2 * len(stretches) - 1)
    woven[::2] = stretches
    woven[1::2] = ["\n" if _breaks_line(gap) else gap for gap in gaps]
    return "".join(woven).split("\n")


def _repair_once(texts: list[str], gaps: list[str], settled: np.ndarray) -> tuple[list[str], np.ndarray] | None:
    """One pass: the new gaps between the lines and which of them end a wrapped headline,
    or None if none changes.

    A join makes a longer line, which may settle a later pass. The break after a headline
    that an earlier pass put together (``settled``) stays: a later pass sees the headline
    on one line among whole paragraphs, whose column it can no longer tell.
    """
    if len(texts) < 2:
        return None
    lines = _Lines(texts)
    cues = np.fromiter(map(_gap_cues, gaps), dtype=np.int64, count=len(gaps))
    page_break, blank, indent, lead_space = ((cues & cue) != 0 for cue in (PAGE_BREAK, BLANK, INDENT, LEAD_SPACE))
    separates = _separating_gaps(blank, lead_space)
    join, ends_headline = _joins(lines, page_break, indent, lead_space, separates, blank)
    join &= ~settled
    # Latin words joined across a line keep one space; a number cut by the column edge
    # (1\n00年) is one number; anything else joins with nothing (a hyphen at the end of a
    # line before a lowercase letter included: a soft hyphen)
    prev, nxt = slice(None, -1), slice(1, None)
    spaced = (
        lines.has(ALNUM_END)[prev] & lines.has(ALNUM_START)[nxt]
        & ~(lines.has(DIGIT_END)[prev] & lines.has(DIGIT_START)[nxt])
    )
    breaks = ~join & ~page_break & ((lines.column[prev] > 0) | (lines.column[nxt] > 0))
    new = list(gaps)
    for index in np.flatnonzero(join).tolist():
        new[index] = " " if spaced[index] else ""
    for index in np.flatnonzero(breaks).tolist():
        new[index] = _break(gaps[index], separates[index])
    return None if new == gaps else (new, ends_headline)


def _joins(
    lines: _Lines, page_break: np.ndarray, indent: np.ndarray, lead_space: np.ndarray, separates: np.ndarray,
    blank: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Which line breaks lie inside a paragraph, and which end a wrapped headline.

    Between two column lines a line joins the next when it fills its column or does not
    end a sentence. Outside a column only a paragraph that a web page broke in two is
    joined. A form feed is never crossed.
    """
    prev, nxt = slice(None, -1), slice(1, None)
    finished = lines.finished
    # the next line surely opens a paragraph: an indent or a dateline (本报讯)
    opens = indent | lines.has(DATELINE)[nxt]
    # An unfinished line that is a block of its own is a headline or a byline (pdfminer),
    # unless it reads on past a comma or to the end of its column line: then it is the
    # first line of a paragraph that the extractor set apart for its indent (本报讯
    # 今年年初以来，孟 / 州市立足实际…) or a column line between blank lines. It goes on into
    # the next block and takes the rest of an unfinished sentence before it, never the end
    # of a finished one.
    block_edge = np.concatenate(([True], separates, [True]))
    alone = block_edge[:-1] & block_edge[1:] & ~finished & ~lines.has(LIST_ITEM)
    reads_on = lines.has(CLAUSE_OPEN | INNER_STOP) | lines.in_column & ~lines.short
    stands_alone = alone & ~reads_on
    in_columns = lines.in_column[prev] & lines.in_column[nxt]

    # A short line that ends a sentence ends its paragraph; at the right edge of the column
    # it is ambiguous: the next line decides (an interview turn or a numbered item opens a
    # paragraph), and a short unfinished line after it is a headline.
    # A line that overflows its column is no headline: one that got a number back is
    # short only at its end (74.3%，比2005年提高4.5个百分点。 / 其中，…供热效 in suite 03).
    # A number taken off a line stays in its block; a block that starts with a space after
    # a finished sentence opens a paragraph: a new article (seed 000), a credit, a caption.
    headline_next = lines.short[nxt] & ~lines.long[nxt] & ~finished[nxt] & ~lines.word_follows[nxt]
    after_sentence = ~lines.has(MAY_OPEN)[nxt] & ~lead_space & (
        lines.number_follows[prev] | ~(lines.short[prev] | headline_next)
    )
    # An unfinished line clearly shorter than its column that opens a block is a headline
    # (焦作卫生医药学校移交 / 河南理工大学管理 in seed 000); so is one followed by the
    # indented first line of a paragraph (在全市文艺工作会议上的讲话 / 改革开放特别是新世纪).
    # A line that stops after a comma goes on (2010年， in suite 03), whatever its length,
    # and so does a dateline short by the indent an extractor dropped (本报讯 面对项目用地).
    sentence_ends_next = (
        lines.has(INNER_STOP)[prev] & ~lines.has(LIST_ITEM)[prev] & finished[nxt] & (lines.width[nxt] < lines.width[prev])
    )
    headline_if_first = ~lines.has(CLAUSE_OPEN | DATELINE)[prev] & ~sentence_ends_next & (
        (lines.clearly_short & ~lines.word_fills)[prev] | (lines.indented[nxt] & ~lines.word_follows[nxt])
    )

    def column_join(starts_block: bool) -> np.ndarray:
        unfinished = ~headline_if_first if starts_block else np.ones_like(headline_if_first)
        return ~(lines.head[prev] | lines.head[nxt] | lines.wide[prev] | lines.wide[nxt] | opens) & np.where(
            lines.long[prev] & ~lines.rejoined_number[prev],
            ~finished[prev],
            np.where(finished[prev], after_sentence, unfinished),
        ) & ~stands_alone[prev] & ~(alone[nxt] & (finished[prev] | ~reads_on[nxt]))

    # Web pages keep one paragraph per line, but some break one before a comma or in the
    # middle of a sentence (suite 06, seed 001): the first part is long and unfinished,
    # the second is not indented and is not a headline.
    width = lines.width
    paragraph_join = ~(lines.head[prev] | lines.head[nxt] | opens | lines.has(LIST_ITEM)[nxt]) & (
        lines.has(CONTINUATION)[nxt]
        | (
            (width[prev] >= LONG_PARAGRAPH)
            & ~finished[prev]
            & lines.has(INNER_STOP)[prev]
            & ((width[nxt] >= LONG_PARAGRAPH) | finished[nxt])
        )
    )
    # a headline or a subtitle wrapped onto a second line is one paragraph, which ends
    # with that line
    speech_title = lines.wrapped_speech_title
    wrapped = (
        _wrapped_headline(lines, separates, lead_space, blank) | _wrapped_subtitle(lines, separates | lead_space)
        | _wrapped_item(lines) | speech_title
    )
    # the headline ends with its second line; a speech title also starts a paragraph
    ends_headline = np.concatenate(([False], wrapped[:-1])) | np.append(speech_title[1:], False)
    first = ~page_break & ~ends_headline & (np.where(in_columns, column_join(True), paragraph_join) | wrapped)
    later = ~page_break & ~ends_headline & (np.where(in_columns, column_join(False), paragraph_join) | wrapped)
    # whether a line starts a block depends on the join before it: settle in order the
    # few breaks where that matters
    join = first
    for index in np.flatnonzero(first != later).tolist():
        starts_block = index == 0 or not join[index - 1]
        join[index] = first[index] if starts_block else later[index]
    return join, ends_headline


def _wrapped_item(lines: _Lines) -> np.ndarray:
    """Which line breaks cut a numbered heading in two (一、认真总结经验，正视工 / 作差距).

    The heading opens after a finished sentence, fills its column line and goes on; the rest
    is a short line that ends with no mark, and the heading's paragraph ends with it (the
    body under it opens on the next line).
    """
    prev, nxt = slice(None, -1), slice(1, None)
    after_sentence = np.concatenate(([True], lines.finished[:-1]))
    opens = lines.has(LIST_ITEM) & ~lines.finished & ~lines.clearly_short & after_sentence
    rest = lines.short & ~lines.finished & lines.has(BARE_END) & ~lines.has(INNER_STOP | LIST_ITEM)
    rest &= ~lines.head
    return opens[prev] & rest[nxt] & lines.in_column[prev] & lines.in_column[nxt]


def _wrapped_headline(lines: _Lines, separates: np.ndarray, lead_space: np.ndarray, blank: np.ndarray) -> np.ndarray:
    """Which line breaks cut a headline too long for its module in two (东方红街道平安 /
    建设常抓不懈, 转变政府职能 / 提高服务质量).

    Both lines read as a headline: no punctuation, digit or Latin letter. The two stand
    alone: after a blank line, the end of a sentence or the credit or date (二○一二年八月一日)
    that ends the piece before; a series label (…系列评论③) may stand before them. The
    first is filled and the rest wrapped, so it is at least as wide as the second: a date,
    a byline or a series label before a headline is shorter than it. Before a blank line,
    both are shorter than the column. Right over a dateline, a subtitle or a document
    number, the two are one headline even when they fill the column or each was printed as
    a block of its own (孟州市学习型党组织建设 / 为经济发展添动力), but not across a blank
    line (a vertical headline joined into one line ends the article before). A date in
    Chinese numerals and a field of a web page's metadata (• 信息分类：市政府办文件) are never
    a headline's first line.
    """
    headline = (
        ~lines.finished & lines.has(BARE_END) & ~lines.has(INNER_STOP) & ~lines.head
        & ~lines.has(NARROW | SERIES | LIST_ITEM | DATELINE | MAY_OPEN | BYLINE | CREDIT | CONTINUATION)
        & (lines.width >= HEADLINE_MIN)
    )
    short = headline & ((lines.column == 0) | lines.short | lines.wide)
    block_edge = np.concatenate(([True], separates, [True]))
    after_block = block_edge[:-1] | np.concatenate(([True], (lines.finished | lines.has(SERIES | CREDIT))[:-1]))
    for index in np.flatnonzero(headline & ~after_block).tolist():
        after_block[index] = bool(_DATE_IN_WORDS.match(lines.cues.line(index - 1)))
    over_body = np.append(lines.has(DATELINE | SUBTITLE | DOCUMENT_NUMBER)[1:], False)
    prev, nxt = slice(None, -1), slice(1, None)
    starts_block = after_block | np.concatenate(([True], lead_space))
    # a headline wider than its column wraps onto a line that may fill it, and the next
    # text block starts after that line
    ends_block = block_edge[1:] | np.append(lead_space, False)
    wrapped = (lines.width[prev] >= lines.width[nxt]) & (
        short[prev] & short[nxt] & after_block[prev] & (block_edge[1:] | over_body)[nxt] & ~separates & ~lead_space
        | headline[prev] & headline[nxt] & starts_block[prev] & over_body[nxt] & ~blank
        | (headline & lines.wide & after_block)[prev] & (headline & ends_block)[nxt] & ~separates & ~lead_space
    )
    for index in np.flatnonzero(wrapped).tolist():
        first_line = lines.cues.line(index)
        wrapped[index] = not _DATE_IN_WORDS.match(first_line) and not _FIELD_MARK.search(first_line)
    return wrapped


def _wrapped_speech_title(lines: _Lines) -> np.ndarray:
    """Which line breaks cut the title of a speech in two (在全市“效能革命” / 工作会上的讲话):
    the two lines together are a speech title, and neither is one alone."""
    wrapped = np.zeros(len(lines.width) - 1, dtype=bool)
    title_end = lines.has(BARE_END) & ~lines.has(SPEECH_TITLE | INNER_STOP) & ~lines.finished
    for index in np.flatnonzero(title_end[1:] & ~lines.has(SPEECH_TITLE | INNER_STOP)[:-1]).tolist():
        wrapped[index] = is_speech_title(lines.cues.line(index) + lines.cues.line(index + 1))
    return wrapped


def _wrapped_subtitle(lines: _Lines, block_edge: np.ndarray) -> np.ndarray:
    """Which line breaks cut a dashed subtitle too long for its module in two
    (——《砥砺五年谱辉煌·科学发展看山阳》系列 / 报道之效能建设篇).

    The subtitle line stops in the middle of a word, not on a word that ends subtitles
    (侧记, 综述, …篇); the rest is shorter than it, and both read as a title: no comma or
    stop inside, none at the end. The rest is no headline (one over a dateline), series
    label, byline, dateline, credit or date of its own, and no column line: the first line
    of the body under a whole subtitle fills its column or starts a text block.
    ``block_edge``: the gaps that separate text blocks.
    """
    title = lines.has(BARE_END) & ~lines.has(INNER_STOP) & ~lines.finished
    rest_apart = lines.has(SUBTITLE | DATELINE | BYLINE | CREDIT | LIST_ITEM | MAY_OPEN | SERIES | NARROW)
    # a headline (of one line or two) over a dateline is no rest of a subtitle
    dateline = lines.has(DATELINE)
    headline_over_body = np.append(dateline[1:] | title[1:] & np.append(dateline[2:], False), False)
    prev, nxt = slice(None, -1), slice(1, None)
    cut = lines.has(SUBTITLE) & title
    for index in np.flatnonzero(cut).tolist():
        cut[index] = not _WHOLE_SUBTITLE.search(lines.cues.line(index))
    rest = title & ~lines.head & ~rest_apart & ~headline_over_body & (lines.short | ~lines.in_column)
    return cut[prev] & rest[nxt] & (lines.width[prev] > lines.width[nxt]) & ~block_edge


def _separating_gaps(blank: np.ndarray, lead_space: np.ndarray) -> np.ndarray:
    """Which gaps hold a blank line that separates blocks.

    Blank lines separate blocks unless the extractor put one after almost every line
    (seed 000, pymupdf blocks); a form feed always separates. That extractor starts each
    text block with a space instead of a blank line, so a gap before a leading space counts
    with the blank ones: at the end of an article, where short blocks follow each other, a
    blank line after two lines in five would otherwise pass for a block separator. Where
    the habit changes (a page extracted twice, once with a blank line after each line and
    once without), the full side that has it decides on its own.
    """
    marked = np.concatenate(([0], np.cumsum(blank | lead_space)))
    count = len(blank)
    positions = np.arange(count)
    reach = 3 * WINDOW
    starts = np.maximum(0, positions - reach)
    stops = np.minimum(count, positions + reach + 1)

    def habit(first: np.ndarray, last: np.ndarray) -> np.ndarray:
        return marked[last] - marked[first] >= BLANK_EVERY_LINE * (last - first)

    every_line = (
        habit(starts, stops)
        | (positions >= reach) & habit(starts, positions + 1)
        | (positions + reach < count) & habit(positions, stops)
    )
    return blank & ~every_line

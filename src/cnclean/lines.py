"""What each line of a page says on its own, and the column it stands in: cues for the layout
steps, found for all lines at once.

A line here is one visible line read without its white space (justification spaces
included: ``本 报 记 者 张 蕊`` reads as ``本报记者张蕊``). The cues are found over the
text of all lines together, with array operations on code points and multi-line
patterns, so that a page of thousands of short column lines costs a few passes over
its text and no Python call per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
import regex

from .text import BMP, CJK_PUNCT, SENTENCE_END, bmp_index, code_points, han, line_widths, space, text_of, wide

# Cues: one bit each in ``LineCues.cues``.
FINISHED = 1 << 0
"""Ends a sentence: a stop, a closing quote after one, a closing bracket, a colon (web pages
often end one with half-width punctuation)."""
CLAUSE_OPEN = 1 << 1
"""Stops after a comma: a sentence goes on, so it is no headline (``2010年，``)."""
CONTINUATION = 1 << 2
"""Starts with punctuation that can only continue a sentence (``，战略性新兴产业``)."""
SUBTITLE = 1 << 3
"""A subtitle introduced by dashes (``——— 孙立坤在沁阳市座谈侧记``)."""
INNER_STOP = 1 << 4
"""Holds a comma or a stop before its end: it reads as a sentence, not as a headline."""
NARROW = 1 << 5
"""Holds Latin letters, digits or ASCII punctuation, narrower than Chinese characters."""
WORD_START = 1 << 6
"""Starts with a digit or a Latin letter, which may not have fitted at the end of the line before."""
LIST_ITEM = 1 << 7
"""Starts with a list marker: 一是, （二）, 一、, 1., ①, 首先."""
MAY_OPEN = 1 << 8
"""Starts an interview turn (问：, 记者：) or an item numbered with figures or brackets
(（二）, 1., 一、, ①; not 一是), or is a salutation (同志们：): it opens a paragraph after a
full line that ends a sentence."""
DATELINE = 1 << 9
"""Opens a news body: 本报讯, 新华社北京3月5日电, （记者."""
BYLINE = 1 << 10
"""A byline such as 本报记者 张 蕊 (not a dateline that starts a body paragraph)."""
CREDIT = 1 << 11
"""A photo credit or a closing signature: 本报记者 刘 璐 摄, （王朝晖）."""
ALNUM_START = 1 << 12
ALNUM_END = 1 << 13
DIGIT_START = 1 << 14
DIGIT_END = 1 << 15
ANNOUNCES = 1 << 16
"""Ends with a colon: what it announces often opens a paragraph of its own (各部门： before
the letter, 他说： before a quotation)."""
BARE_END = 1 << 17
"""Ends with no punctuation mark: a line that the column edge cut in the middle of a word,
or a headline."""
PARALLEL = 1 << 18
"""Two phrases of Chinese characters set apart by white space, with no comma or stop: a
headline's parallel phrases (营造舒适环境 安享幸福晚年), never a column line of body text."""

CREW = 1 << 19
"""A byline that names two roles (特约记者 杜福建 通讯员 汪博): never body text, even where
it fills a column line."""
DOCUMENT_NUMBER = 1 << 20
"""An official document's number on a line of its own (许政办[2012]68号, 国发〔2016〕5号)."""
SERIES = 1 << 21
"""Ends with a circled number: a series label over a headline (学习贯彻全会精神系列评论③)."""
DASH_END = 1 << 22
"""Ends with a dash: a dash pair cut by the column edge goes on on the next line (之乡— / —二人台)."""
SPEECH_TITLE = 1 << 23
"""The title of a speech on a line of its own (在全市文艺工作会议上的讲话, 张国晖市长在市政府第一次
全体会议上的讲话): a headline even where it is as wide as a column line."""
PAGE_HEADER = 1 << 24
"""A newspaper page's running header (2014年6月13日 星期六 第5版 要闻 责任编辑 李佩佩): page
furniture on a line of its own, whatever its width."""
FONT_WIDTH = 1 << 25
"""Holds curly quotes or a middle dot, which one font sets as wide as a Chinese character
and another at a third of that: the line may measure short while it fills its column."""
LETTER_SPACED = 1 << 26
"""Chinese characters set one by one, a space between each (加 强 基 层 宣 传), on a page
whose other lines keep their words whole: a headline spread across its column."""

PARALLEL_PHRASE = 4
"""Fewest Chinese characters on each side of the space between parallel phrases (``张 蕊``
and ``改 革 深 处`` are justification spaces)."""
LETTER_SPACED_MIN = 4
"""Fewest characters of a letter-spaced headline (``张 蕊`` is a name in a byline)."""
SPACED_LINES = 0.15
"""Share of a page's lines with a space between two Chinese characters above which its
letter-spaced lines are body text that an extractor spaced out (see ``SPACED_HABIT``)."""
SPACED_HABIT = 5
"""Fewest such lines that make a page's habit: a headline and a byline make none."""

_ENDS_SENTENCE = SENTENCE_END + ":;."
_CLOSING_QUOTES = "”’」』"
_ENDS_CLAUSE = "，、,"
_ANNOUNCING = "：:"
_CONTINUES = "，、；：。？！）》」』〉】〕”’,;:)"
_DASHES = "—－-"
_MINUS = "-－"
_STOPS = "，。；！？、,;"
_FONT_WIDTH_MARKS = "“”‘’·"
_MARKS = CJK_PUNCT + SENTENCE_END + "!\"#%&'()*,-./:;?@[]_{}~"
_DIGITS = "0123456789"
_ALNUM = _DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_WORD = _ALNUM + "０１２３４５６７８９"

_BY_FIRST_CHARACTER = (
    (CONTINUATION, _CONTINUES),
    (SUBTITLE, _DASHES),
    (WORD_START, _WORD),
    (ALNUM_START, _ALNUM),
    (DIGIT_START, _DIGITS),
)
"""Cues told by a line's first character (a subtitle also must not end a sentence)."""
_BY_LAST_CHARACTER = (
    (FINISHED, _ENDS_SENTENCE),
    (CLAUSE_OPEN, _ENDS_CLAUSE),
    (ANNOUNCES, _ANNOUNCING),
    (ALNUM_END, _ALNUM),
    (DIGIT_END, _DIGITS),
    (SERIES, "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"),
    (DASH_END, _DASHES),
)
"""Cues told by a line's last character."""

_LIST_MARKER_RE = regex.compile(
    r"^(?:"
    r"[一二三四五六七八九十]+是"  # 一是、二是
    r"|[（(][一二三四五六七八九十\d０-９]+[）)]"  # （二）
    r"|[一二三四五六七八九十]+、"  # 一、
    r"|[\d０-９]+[.．、](?![\d０-９])"  # 1.  1、
    r"|第[一二三四五六七八九十百\d]+[条章节部分]"
    r"|[①-⑳㈠-㈩]"
    r"|首先|其次|再次|最后[，,]"
    r")"
)
_NUMBERED_ITEM_RE = regex.compile(
    r"^(?:[（(][一二三四五六七八九十\d０-９]+[）)]|[一二三四五六七八九十]+、|[\d０-９]+[.．、](?![\d０-９])|[①-⑳㈠-㈩])"
)
_SPEAKER_RE = regex.compile(r"^(?:问|答|记者|主持人|\p{Han}{1,3}(?:问|答))[：:]")
_SALUTATION_RE = regex.compile(
    r"^(?:尊敬的|亲爱的)?(?:[^，。：:]{0,12}[、，,])?(?:各位)?\p{Han}{0,4}(?:同志们|朋友们|代表们|女士们|先生们|来宾们|同学们|老师们|委员们|来宾|领导)[：:]$"
)
"""The salutation that opens a speech or a letter (同志们：, 各位代表、同志们：)."""
_BYLINE_RE = regex.compile(
    r"^(?:本报(?:特约)?(?:记者|通讯员|评论员)|(?:特约|见习)?记者|通讯员|本报评论员|评论员"
    r"|新华社(?:特约)?记者|实习生)"
    r"(?![^\s]*[，。！？])"
)
_SECOND_ROLE_RE = regex.compile(r"\p{Han}{2,4}(?:记者|通讯员|实习生)")
"""A name, then another role, after a byline's first role."""
_DOCUMENT_NUMBER_RE = regex.compile(r"\p{Han}{1,10}[〔\[［【(（][0-9０-９]{4}[〕\]］】)）][0-9０-９]{1,4}号")
_SPEECH_TITLE_RE = regex.compile(r"(?:\p{Han}{2,12})?在[^，。；！？,;]{2,40}上的(?:讲话|致辞|发言|报告|演讲)")
PAGE_HEADER_RE = regex.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期[一二三四五六日天]\s*)?第\s*[0-9０-９一二三四五六七八九十]{1,3}\s*版"
)
"""The start of a running header: the date, the weekday and the page number (the section and
the editor may follow)."""
_SIGNATURE_RE = regex.compile(r"^[（(][^（）()]{1,15}[）)]$")
_DATELINE_RE = regex.compile(
    r"^(?:本报讯|本报[^\s，。]{0,8}电|新华社[^\s，。]{1,12}电|据[^\s，。]{1,12}报道|[（(]记者)"
)
_CREDIT_RE = regex.compile(r"(?:(?<![拍编])摄(?:影)?|供图|制图|(?<=[\s/／])图)\s*[）)]?$")

_NUMBERS = "一二三四五六七八九十（０１２３４５６７８９①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩"
_OPENING_CUES = (
    (LIST_ITEM, _LIST_MARKER_RE, _NUMBERS + "第首其再最"),
    (MAY_OPEN, _NUMBERED_ITEM_RE, _NUMBERS),
    (MAY_OPEN, _SPEAKER_RE, ""),
    (MAY_OPEN, _SALUTATION_RE, "尊亲各同朋代女先来老委领"),
    (DATELINE, _DATELINE_RE, "本新据（"),
    (BYLINE, _BYLINE_RE, "本特见记通评新实"),
    (CREDIT, _SIGNATURE_RE, "（"),
    (PAGE_HEADER, PAGE_HEADER_RE, "０１２３４５６７８９"),
)
"""Cues told by how a line starts, each with every wide character it may start with: a
pattern is tried only on the lines that start with one of those or with a narrow
character. An interview turn (问：, 张书记问：) may start with any character: it is tried
on the lines with a colon among their first characters."""
_SPEAKER_COLON = range(1, 5)
"""Where the colon of an interview turn may stand."""

BYLINE_MAX = 40
"""Longest byline, in characters: a longer line starting with 记者 is a sentence."""
CREDIT_MAX = 30
"""Longest photo credit or signature, in characters."""
DOCUMENT_NUMBER_MAX = 21
"""Longest document number, in characters: what ``_DOCUMENT_NUMBER_RE`` allows."""
SPEECH_TITLE_MAX = 57
"""Longest speech title, in characters: what ``_SPEECH_TITLE_RE`` allows."""


def is_speech_title(line: str) -> bool:
    """Whether a line (without its surrounding space) is the title of a speech."""
    return len(line) <= SPEECH_TITLE_MAX and _SPEECH_TITLE_RE.fullmatch(line) is not None


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻"
    "位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦"
    "戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但"
    "尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
"""Common Chinese surnames: a short line of names starting with one is a credit, not a kicker."""

NAME = rf"[{SURNAMES}]\p{{Han}}{{1,2}}(?<![市县区省])"
"""A surname and a given name of one or two characters: not a place (``许昌市``)."""


def is_byline_or_credit(line: str) -> bool:
    """Whether a line (without its surrounding space) is a byline (本报记者 张蕊) or a photo
    credit (梁怡 摄): a line of its own, which no sentence runs through."""
    return (len(line) <= BYLINE_MAX and _BYLINE_RE.match(line) is not None) or (
        len(line) <= CREDIT_MAX and _CREDIT_RE.search(line) is not None
    )


_CLOSING_CUES = (
    (CREDIT, _CREDIT_RE.search, "摄影图）)", CREDIT_MAX),
    (DOCUMENT_NUMBER, _DOCUMENT_NUMBER_RE.fullmatch, "号", DOCUMENT_NUMBER_MAX),
    (SPEECH_TITLE, _SPEECH_TITLE_RE.fullmatch, "话辞言告讲", SPEECH_TITLE_MAX),
)
"""Cues told by how an unfinished line ends, each with every character it may end with and
the longest line it may be: a pattern is tried only on those lines."""

@dataclass(frozen=True)
class LineCues:
    """The lines of a page without their white space, their display widths and their cues.

    >>> cues = line_cues(["本报记者 张 蕊", "今年3月，我们", "——— 孙立坤座谈侧记"])
    >>> cues.width.tolist(), cues.has(BYLINE).tolist(), cues.has(SUBTITLE).tolist()
    ([12, 13, 17], [True, False, False], [False, False, True])
    >>> cues.line(0)
    '本报记者张蕊'
    """

    text: str
    starts: np.ndarray
    ends: np.ndarray
    width: np.ndarray
    cues: np.ndarray

    def has(self, cue: int) -> np.ndarray:
        return (self.cues & cue) != 0

    def line(self, index: int) -> str:
        return self.text[self.starts[index] : self.ends[index]]


def line_cues(lines: Sequence[str]) -> LineCues:
    """Measure lines that each hold a visible character and no line break."""
    codes = code_points("\n".join(lines))
    blank = space(codes) & (codes != 10)
    runs = _white_runs(codes, blank)
    parallel = _parallel_phrases(codes, runs)
    letter_spaced = _letter_spaced(codes, blank, runs)
    codes = codes[~blank]
    text = text_of(codes)
    breaks = np.flatnonzero(codes == 10)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(codes)]))
    length = ends - starts
    first, last = codes[starts], codes[ends - 1]
    width = line_widths(codes, starts, length)
    narrow = (codes >= 0x21) & (codes <= 0x7E)
    stop = _member(codes, _STOPS)
    stop[ends - 1] = False  # a stop only counts with more of the line after it

    cues = _cue_table(_BY_FIRST_CHARACTER)[bmp_index(first)] | _cue_table(_BY_LAST_CHARACTER)[bmp_index(last)]
    # a closing quote ends a sentence only after a stop: 分别荣获“荷花奖” goes on
    before_last = codes[np.maximum(ends - 2, starts)]
    quoted_term = _member(last, _CLOSING_QUOTES) & ~_member(before_last, _ENDS_SENTENCE) & (length > 1)
    cues[quoted_term] &= ~FINISHED
    finished = (cues & FINISHED) != 0
    cues[finished] &= ~SUBTITLE
    # a minus sign before a number opens no subtitle (-0.5℃。冬無嚴寒…)
    second = codes[np.minimum(starts + 1, ends - 1)]
    cues[_member(first, _MINUS) & _member(second, _DIGITS) & (length > 1)] &= ~SUBTITLE
    cues[~_member(last, _MARKS)] |= BARE_END
    cues[np.logical_or.reduceat(stop, starts)] |= INNER_STOP
    cues[np.logical_or.reduceat(narrow, starts)] |= NARROW
    cues[np.logical_or.reduceat(_member(codes, _FONT_WIDTH_MARKS), starts)] |= FONT_WIDTH
    cues[parallel & ((cues & (FINISHED | CLAUSE_OPEN | ANNOUNCES | INNER_STOP)) == 0)] |= PARALLEL
    cues[letter_spaced] |= LETTER_SPACED
    lines = LineCues(text, starts, ends, width, cues)
    colon = np.zeros(len(starts), dtype=bool)
    for offset in _SPEAKER_COLON:
        inside = starts + offset < ends
        colon[inside] |= _member(codes[starts[inside] + offset], "：:")
    narrow_first = ~wide(first)
    for cue, pattern, firsts in _OPENING_CUES:
        candidates = narrow_first | _member(first, firsts) if firsts else colon
        for index in np.flatnonzero(candidates).tolist():
            if pattern.match(lines.line(index)):
                cues[index] |= cue
    for cue, matches, lasts, longest in _CLOSING_CUES:
        for index in np.flatnonzero(_member(last, lasts) & ~finished & (length <= longest)).tolist():
            if matches(lines.line(index)):
                cues[index] |= cue
    cues[length > BYLINE_MAX] &= ~BYLINE
    cues[length > CREDIT_MAX] &= ~CREDIT
    for index in np.flatnonzero((cues & BYLINE) != 0).tolist():
        line = lines.line(index)
        if _SECOND_ROLE_RE.match(line, _BYLINE_RE.match(line).end()):
            cues[index] |= CREW
    return lines


WhiteRuns = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Where lines end (code point 10), and where each run of white space inside a line starts
and ends."""


def _white_runs(codes: np.ndarray, blank: np.ndarray) -> WhiteRuns:
    flips = np.flatnonzero(np.diff(blank.view(np.int8), prepend=0, append=0))
    return np.flatnonzero(codes == 10), flips[::2], flips[1::2]


def _letter_spaced(codes: np.ndarray, blank: np.ndarray, white: WhiteRuns) -> np.ndarray:
    """Per line (white space stripped): whether it holds only Chinese characters, at least
    ``LETTER_SPACED_MIN``, white space between each, on a page where few lines set a space
    between two Chinese characters. pdfminer spaces out the characters of justified body
    lines (土 右 旗 连 续 两 次 被 文): then many lines do."""
    breaks, runs, ends = white
    count = len(breaks) + 1
    spaced = np.zeros(count, dtype=bool)
    line_of_run = np.searchsorted(breaks, runs)
    gaps = np.bincount(line_of_run, minlength=count)
    candidates = np.flatnonzero(gaps >= LETTER_SPACED_MIN - 1)
    if not len(candidates):
        return spaced
    between_chinese = han(codes[np.maximum(runs - 1, 0)]) & han(codes[np.minimum(ends, len(codes) - 1)])
    spaced_lines = np.unique(line_of_run[between_chinese]).size
    if spaced_lines > SPACED_LINES * count and spaced_lines >= SPACED_HABIT:
        return spaced
    starts = np.concatenate(([0], breaks + 1))
    stops = np.append(breaks, len(codes))
    for line in candidates.tolist():
        visible = codes[starts[line] : stops[line]][~blank[starts[line] : stops[line]]]
        spaced[line] = len(visible) == gaps[line] + 1 and bool(han(visible).all())
    return spaced


def _parallel_phrases(codes: np.ndarray, white: WhiteRuns) -> np.ndarray:
    """Per line: whether white space stands between two runs of at least ``PARALLEL_PHRASE``
    Chinese characters."""
    breaks, starts, ends = white
    lines = np.zeros(len(breaks) + 1, dtype=bool)
    inside = (starts >= PARALLEL_PHRASE) & (ends + PARALLEL_PHRASE <= len(codes))
    starts, ends = starts[inside], ends[inside]
    if not len(starts):
        return lines
    side = np.arange(PARALLEL_PHRASE)
    phrases = han(codes[starts[:, None] - 1 - side]).all(axis=1) & han(codes[ends[:, None] + side]).all(axis=1)
    lines[np.searchsorted(breaks, starts[phrases])] = True
    return lines


# Column widths

WINDOW = 7
"""How many neighbouring lines on each side estimate a line's column width."""

INDENT_WIDTH = 4
"""Display width of a paragraph's indent (two Chinese characters)."""

MIN_COLUMN = 18
"""Narrowest column of running text, in display width (nine Chinese characters); shorter
lines are column lines only in a narrow column (``NARROWEST``)."""

NARROWEST = 10
"""Narrowest column, in display width: a photo caption set five to eight Chinese characters
wide. Its lines are cut in the middle of a word and read on past commas, while verse (five
or seven characters) ends its lines with punctuation and headline stacks and lists of
names hold none; so a width below ``MIN_COLUMN`` is a column only when three in five of
the lines that fit it end with no punctuation mark and a third of them read on past a
comma or a stop (hold one, or end on a comma: 齐基层宣传干部， / 各乡镇办事处设置)."""

MAX_COLUMN = 100
"""Widest column, in display width; longer lines are paragraphs already (a web page)."""

CLEARLY_SHORT = 0.75
"""Share of its column below which a line is clearly short: no column line, whatever its ending."""

SUPPORT = 3
"""Lines of about the same width needed before a run of lines is taken for a column."""


def tolerance(column):
    """How far a justified line may fall short of its column (digits and Latin are narrower)."""
    return np.maximum(3, np.rint(column * 0.12)).astype(np.int64)


_WINDOW_CHUNK = 4096
"""Windows estimated at once: bounds the memory of the pairwise width comparison."""


def _column_widths(
    widths: np.ndarray, finished: np.ndarray, sentence: np.ndarray, bare: np.ndarray, starts: np.ndarray, stops: np.ndarray
) -> np.ndarray:
    """For each window ``widths[start:stop]``: the most frequent width shared, within
    tolerance, by at least SUPPORT lines; 0 if none.

    Justified column lines all have the column's width; paragraph ends and headlines
    scatter around it. Ties go to the wider width. Column lines come in runs and most
    stop in the middle of a sentence: lines that nearly all end one are paragraphs (or
    verse), and headlines left between joined paragraphs are no column. A window without
    such a column may hold a narrow one (``NARROWEST``).
    """
    usual = (widths >= MIN_COLUMN) & (widths <= MAX_COLUMN)
    best, runs, (near, unfinished) = _shared_widths(widths, usual, (~finished,), starts, stops)
    result = np.where((best > 0) & (runs >= SUPPORT - 1) & (3 * unfinished >= near), best, 0)
    (open_,) = np.nonzero(result == 0)
    # a narrow column needs three lines without a final mark that fit it and one that
    # reads on past a comma (see below): windows without them are not worth estimating
    could_fit = (widths >= NARROWEST - tolerance(NARROWEST)) & (widths <= MIN_COLUMN + 1)
    # a line that stops on a comma reads on too: its sentence goes on on the next line
    reads = sentence | (~bare & ~finished)
    for needed, lines in ((SUPPORT, could_fit & bare), (1, could_fit & reads)):
        before = np.concatenate(([0], np.cumsum(lines)))
        open_ = open_[before[stops[open_]] - before[starts[open_]] >= needed]
    if len(open_):
        narrow = (widths >= NARROWEST) & (widths < MIN_COLUMN) & bare
        best, runs, (near, cut, reads_on) = _shared_widths(widths, narrow, (bare, reads), starts[open_], stops[open_])
        result[open_] = np.where((best > 0) & (runs >= SUPPORT - 1) & (5 * cut >= 3 * near) & (3 * reads_on >= near), best, 0)
    return result


def _shared_widths(
    widths: np.ndarray, voters: np.ndarray, kinds: tuple[np.ndarray, ...], starts: np.ndarray, stops: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each window: the most frequent width among its ``voters`` (0 if none), how many
    pairs of neighbouring lines fit it, and how many lines fit it, first of all and then
    of each of ``kinds``."""
    best = np.zeros(len(starts), dtype=np.int64)
    runs = np.zeros(len(starts), dtype=np.int64)
    counts = np.zeros((len(kinds) + 1, len(starts)), dtype=np.int64)
    # only a window holding a voter can find a column (after a first pass most windows
    # hold joined paragraphs only)
    before = np.concatenate(([0], np.cumsum(voters)))
    (hopeful,) = np.nonzero(before[stops] > before[starts])
    for first in range(0, len(hopeful), _WINDOW_CHUNK):
        chunk = hopeful[first : first + _WINDOW_CHUNK]
        best[chunk], runs[chunk], counts[:, chunk] = _shared_widths_chunk(widths, voters, kinds, starts[chunk], stops[chunk])
    return best, runs, counts


def _shared_widths_chunk(
    widths: np.ndarray, voters: np.ndarray, kinds: tuple[np.ndarray, ...], starts: np.ndarray, stops: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``_shared_widths`` of some windows, each laid out as a row padded with -1."""
    span = int((stops - starts).max())
    index = starts[:, None] + np.arange(span)
    inside = index < stops[:, None]
    index = np.minimum(index, len(widths) - 1)
    window = np.where(inside, widths[index], -1)
    best = _most_frequent(np.where(inside & voters[index], window, -1))
    # a line may overflow by one hanging punctuation mark
    low = best - tolerance(best)
    fits = inside & (window >= low[:, None]) & (window <= (best + 2)[:, None])
    runs = (fits[:, :-1] & fits[:, 1:]).sum(axis=1)
    counts = [fits.sum(axis=1)] + [(fits & kind[index]).sum(axis=1) for kind in kinds]
    return best, runs, np.array(counts)


def _most_frequent(rows: np.ndarray) -> np.ndarray:
    """Per row, the most frequent value that is not -1, the larger on a tie; 0 for a row of -1.

    Each row is sorted, so that equal values stand in runs: the length of a run at its
    last element is the value's count.
    """
    ordered = np.sort(rows, axis=1)
    position = np.arange(rows.shape[1])
    new_run = np.ones(rows.shape, dtype=bool)
    new_run[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    count = position - np.maximum.accumulate(np.where(new_run, position, 0), axis=1) + 1
    # most frequent first, then the larger (values stay below the multiplier)
    score = np.where(ordered >= 0, count * 1024 + ordered, -1)
    best = ordered[np.arange(len(rows)), score.argmax(axis=1)]
    return np.where(best >= 0, best, 0)


def assign_columns(widths: np.ndarray, finished: np.ndarray, sentence: np.ndarray, bare: np.ndarray) -> np.ndarray:
    """The column each line belongs to (0: none), looking back and ahead separately.

    Column width changes from article to article on one page (seed 000 has 17- and
    41-character columns), so a line takes the narrowest of the two local estimates
    that it does not clearly overflow. ``sentence``: the lines that hold a comma or a stop
    before their end; ``bare``: those that end with no punctuation mark.
    """
    count = len(widths)
    positions = np.arange(count)

    def estimate(starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
        return _column_widths(widths, finished, sentence, bare, starts, np.minimum(stops, count))

    # the window looking ahead from line i is the one looking back from line i + WINDOW
    # (the first lines look back to the start: their windows are estimated with the others)
    head = positions[:WINDOW]
    both = estimate(np.concatenate((positions, np.zeros_like(head))), np.concatenate((positions + WINDOW + 1, head + 1)))
    ahead = both[:count]
    back = np.concatenate((both[count:], ahead[: max(0, count - WINDOW)]))
    narrower = np.where((back > 0) & (ahead > 0), np.minimum(back, ahead), np.maximum(back, ahead))
    wider = np.maximum(back, ahead)
    columns = np.where(
        (narrower > 0) & (widths <= narrower + tolerance(narrower)),
        narrower,
        np.where((wider > 0) & (widths <= wider + tolerance(wider)), wider, 0),
    )
    # Where the two estimates differ (near the end of the article before, set in another
    # column), a line that fills neither and stands between two lines of one of them
    # belongs to that column.
    if count > 2:
        before, after = np.concatenate(([0], columns[:-2], [0])), np.concatenate(([0], columns[2:], [0]))
        agree = (before == after) & (before > 0) & (back != ahead) & ((before == back) | (before == ahead))
        fills_neither = widths < narrower - tolerance(narrower)
        columns = np.where(agree & fills_neither, before, columns)
    allowed = tolerance(widths)
    for index in np.flatnonzero((columns == 0) & (wider > 0)).tolist():
        # A line wider than the columns around it is a headline, unless a neighbour
        # shares its width: then it is a wider block (a caption under a photo). Two
        # paragraphs a pass has joined, of about one length, are no block of column lines.
        width = widths[index]
        twins = [w for w in widths[max(0, index - 1) : index + 2].tolist() if abs(w - width) <= allowed[index]]
        columns[index] = max(twins) if len(twins) > 1 and width <= MAX_COLUMN else wider[index]
    # A line among column lines broken up by short ones (paragraph ends, numbers
    # joined back) sees too few of them in its own windows. Between two column lines of
    # one width, it is a line of that column; elsewhere, look further around (where
    # another article's column may be the most frequent one).
    _between_column_lines(columns)
    (lines,) = np.nonzero(columns == 0)
    if len(lines):
        columns[lines] = estimate(np.maximum(0, lines - 3 * WINDOW), lines + 3 * WINDOW + 1)
    # So does a sentence in a short block that only one side sees a column for, far
    # wider than the line (the next article's): when the line fills the column seen
    # further around, it is a line of that column (a six-line photo caption, seed 004),
    # not a headline.
    (lines,) = np.nonzero(sentence & ((back > 0) != (ahead > 0)) & (widths <= wider * CLEARLY_SHORT))
    if len(lines):
        further = estimate(np.maximum(0, lines - 3 * WINDOW), lines + 3 * WINDOW + 1)
        fills = (further > 0) & (widths[lines] >= further - tolerance(further)) & (widths[lines] <= further + 2)
        columns[lines] = np.where(fills, further, columns[lines])
    return columns


def _between_column_lines(columns: np.ndarray) -> None:
    """Give a line without a column the column of the nearest column lines before and after
    it, where the two share one, at most ``WINDOW`` lines away each."""
    positions = np.arange(len(columns))
    assigned = columns > 0
    before = np.maximum.accumulate(np.where(assigned, positions, -1))
    after = np.minimum.accumulate(np.where(assigned, positions, len(columns))[::-1])[::-1]
    lines = np.flatnonzero(~assigned & (before >= 0) & (after < len(columns)))
    lines = lines[(lines - before[lines] <= WINDOW) & (after[lines] - lines <= WINDOW)]
    shared = columns[before[lines]] == columns[after[lines]]
    columns[lines[shared]] = columns[before[lines[shared]]]


def _member(codes: np.ndarray, characters: str) -> np.ndarray:
    """Which code points are among ``characters`` (all in the Basic Multilingual Plane)."""
    return _table(characters)[bmp_index(codes)]


@lru_cache(maxsize=4)
def _cue_table(cues: tuple[tuple[int, str], ...]) -> np.ndarray:
    """For every character of the Basic Multilingual Plane, the cues it gives a line."""
    table = np.zeros(BMP, dtype=np.int64)
    for cue, characters in cues:
        table[code_points(characters)] |= cue
    return table


@lru_cache(maxsize=64)
def _table(characters: str) -> np.ndarray:
    table = np.zeros(BMP, dtype=bool)
    table[code_points(characters)] = True
    return table


def is_indented(line: str) -> bool:
    """True when a line starts with an ideographic space or two or more spaces.

    A single leading space is not an indent: the pymupdf-blocks extraction (seed 000)
    starts every text block with one, even in the middle of a paragraph.

    >>> is_indented("\\u3000\\u3000我们要"), is_indented("  我们要"), is_indented(" 我们要")
    (True, True, False)
    """
    return line.startswith(("\u3000", "  ", "\t"))

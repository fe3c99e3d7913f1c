"""Find where one piece of a page ends and the next begins: articles, captions, notices.

The text arrives one paragraph per line. Each line is classified by the cues newspaper and
web pages print (headlines, kickers, subtitles, bylines, leads such as ``本报讯``, closing
credits, photo credits, editor codes, continuation notes, section numbers, web metadata),
then the lines are grouped into pieces. The ``pieces`` step only writes the blank lines
between the groups; ``split_pieces`` returns them, each title moved to the front of its piece.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from ..errors import ConfigError
from ..lines import NAME, PAGE_HEADER_RE, SURNAMES
from ..model import Change, Piece, StepResult, rewrite
from ..registry import register
from ..text import HAN_RE, SENTENCE_END

MAX_TITLE_CHARS = 60
"""Longest line taken for a headline; a government notice title runs to about 50 characters."""

KICKER_CHARS = 8
"""Longest line taken for a kicker (a series label such as ``重点项目进行时`` above a headline)."""

BRACKETS = (("《", "》"), ("“", "”"), ("（", "）"), ("(", ")"))

WRAPPED_SUBTITLE_CHARS = 24
"""A subtitle at least this long may have been wrapped onto a second line."""

LONE_KICKER_CHARS = 6
"""Longest line taken for a kicker when no headline follows it (``基层走笔`` over a body whose
headline the page printed after it)."""

SERIES = regex.compile(r"系列|[①-⑳]$|之[一二三四五六七八九十]+$")
"""A series label: ``抓好工业转型系列评论⑥``."""

MAX_CAPTION_CHARS = 400
"""Longest paragraph taken for a photo caption."""

SERIES_CHARS = 16
"""Longest series label; a longer line naming a series is a subtitle or a headline."""

SPACE = r"[ \t\u3000]"

EDITOR_CODE = regex.compile(r"[①-⑳][0-9０-９]{0,2}")
CLOSING_CODE = regex.compile(r"(?<=[。！？”…）)\s])[①-⑳][0-9０-９]{1,2}\s*$")
"""An editor code printed at the end of an article's last paragraph (seed 004: ``不断增进人民福祉。③6``)."""
CONTINUED_TO = regex.compile(r"[（(](?:下转|转)[^（）()]{1,8}[）)]")
CONTINUED_FROM = regex.compile(r"[（(](?:上接|接)[^（）()]{1,8}[）)]")
CREDIT = regex.compile(rf"[（(][\p{{Han}}·{SPACE[1:-1]}]{{1,16}}[）)]|(?:完|待续)")
NAMES = regex.compile(rf"{NAME}(?:{SPACE}+{NAME}){{0,3}}|(?:[{SURNAMES}]{SPACE}+\p{{Han}}(?:{SPACE}+\p{{Han}})?)")
PHOTO = regex.compile(
    rf"[（(]?(?:本报记者|记者|通讯员|图[/／：:]?)?{SPACE}*(?:\p{{Han}}{{2,4}}{SPACE}*){{1,4}}摄(?:影)?[）)]?"
)
DATE = regex.compile(
    r"[（(]?(?:\d{4}[年\-./]\d{1,2}[月\-./]\d{1,2}日?|[○〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月"
    r"[一二三四五六七八九十]{1,3}日)(?:[，,][^（）()]{0,16})?[）)]?"
)
DATE_NOTE = regex.compile(r"日[，,]")
DOCUMENT_NUMBER = regex.compile(r"\p{Han}{1,8}[\[〔［【(（]\d{4}[\]〕］】)）]\d{1,4}号")
SUBTITLE = regex.compile(r"[—－\-～~]{2,}|—")
SECTION = regex.compile(rf".*{SPACE}篇{SPACE}*\d{{1,3}}|第[一二三四五六七八九十\d]{{1,3}}篇")
WEB_META = regex.compile(
    r"[•·\-*]?\s*(?:索\s*引\s*号|信息分类|主题分类|发布机构|发文机关|生成日期|成文日期|发布日期|发布时间|"
    r"名\s*称|文\s*号|关\s*键\s*字|来\s*源|浏览次数|点击数|访问量|责任编辑)\s*[：:]"
)
BYLINE = regex.compile(
    rf"(?:本报|特约|实习)?(?:记者|通讯员|评论员|实习生)(?:{SPACE}*[\p{{Han}}·{SPACE[1:-1]}]*)"
    rf"|[\p{{Han}}、]{{2,24}}(?:长|书记|主任|委员|常委|主席|记者|通讯员|评论员){SPACE}+(?:\p{{Han}}{SPACE}*){{2,4}}"
)
NEWS_LEAD = regex.compile(r"本报讯|本报\p{Han}{0,6}讯|新华社\p{Han}{0,12}电|中新社\p{Han}{0,12}电")
"""The opening words of a news article's first paragraph."""
LEAD = regex.compile(rf"{NEWS_LEAD.pattern}|本报记者|本报评论员|本报特约评论员|特约记者|[（(]记者")
REPORTER_IN_LEAD = regex.compile(r"[（(]((?:本报|特约)?(?:记者|通讯员)[^（）()]{1,24})[）)]")
"""The reporters a lead names: ``本报讯（记者任华裔）12月28日，…``."""
LEAD_SEARCH_CHARS = 40
ENUMERATED = regex.compile(
    r"(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|第[一二三四五六七八九十]+[，,、是]"
    r"|[一二三四五六七八九十]是|\d{1,2}[.、．]|[①-⑳])"
)
CLAUSE_MARK = regex.compile(r"[，,；;：:。]")
CAPTION_OPENING = regex.compile(
    r"(?:图为|图：|图片：|\d{1,2}月\d{1,2}日[，,]|日前[，,]|昨日[，,]|昨天[，,]|近日[，,]|\p{Han}{2,6}前夕[，,])"
)
WEB_FURNITURE = regex.compile(
    r"(?:当前位置|您的位置|首页\s*[>＞»]|上一篇|下一篇|版权所有|备案号|分享到|扫一扫|打印本页|关闭窗口|【字体|"
    r"留言与评论|发表评论|相关阅读|相关新闻|责任编辑：|标签：)"
)
"""Web page furniture the noise step may have left: it belongs to no piece's text flow."""
PHOTO_REFERENCE = regex.compile(r"图为|图：|图片：|上图|下图")
VISIBLE = regex.compile(r"\S")

# Line kinds.
BODY, LEAD_LINE, HEADING, SUBHEAD, SUBTITLE_LINE, BYLINE_LINE, SECTION_LINE = (
    "body", "lead", "heading", "subhead", "subtitle", "byline", "section")
DATE_LINE, DATELINE, DOCUMENT_LINE, META_LINE = "date", "dateline", "document", "meta"
CODE_LINE, CREDIT_LINE, PHOTO_LINE, CONTINUED_TO_LINE, CONTINUED_FROM_LINE = (
    "code", "credit", "photo", "continued-to", "continued-from")
CLOSED_BODY = "closed-body"
STRAY_LINE = "stray"
"""A line without Chinese (a watermark such as ``nlc202309090206``, a page number) or a line of web
page furniture: it stays in the piece it falls in and takes no part in the decisions."""
PAGE_HEADER_LINE = "page-header"
"""A newspaper page's running header (``2014年6月13日 星期三 第8版 要闻 责任编辑 李佩佩``): a piece of
its own, and no part in the decisions (it is no headline of the piece under it)."""
FURNITURE_KINDS = frozenset({STRAY_LINE, PAGE_HEADER_LINE})

HEAD_KINDS = frozenset({HEADING, SUBTITLE_LINE, BYLINE_LINE, SECTION_LINE, DOCUMENT_LINE})
CLOSER_KINDS = frozenset({CODE_LINE, CREDIT_LINE, PHOTO_LINE, CONTINUED_TO_LINE})
"""Lines printed after an article's last paragraph: nothing of that article follows them."""
CLOSING_KINDS = CLOSER_KINDS | {CLOSED_BODY}
CAPTION_NEIGHBOURS = frozenset({BODY, SUBHEAD}) | CLOSING_KINDS
CAPTION_FOLLOWERS = HEAD_KINDS | {LEAD_LINE, META_LINE}
"""What follows a lone caption: the next piece's head or lead, or web metadata."""
HEADLESS_KINDS = frozenset({BODY, CLOSED_BODY, LEAD_LINE, SUBHEAD, CREDIT_LINE, DATE_LINE, DATELINE})
"""Kinds of a piece's first line that show the piece began without its head."""


LONG_LINE_CUE = regex.compile(
    rf"(?P<lead>{LEAD.pattern})|(?P<continued_from>{CONTINUED_FROM.pattern})|(?P<meta>{WEB_META.pattern})"
)
LONG_LINE_KINDS = {"lead": LEAD_LINE, "continued_from": CONTINUED_FROM_LINE, "meta": META_LINE}
SHORT_LINE_CUES = (
    (STRAY_LINE, rf"(?:{WEB_FURNITURE.pattern}).*"),
    (PAGE_HEADER_LINE, rf"(?:{PAGE_HEADER_RE.pattern}).*"),
    (CONTINUED_TO_LINE, CONTINUED_TO.pattern),
    (CONTINUED_FROM_LINE, rf"(?:{CONTINUED_FROM.pattern}).*"),
    (META_LINE, rf"(?:{WEB_META.pattern}).*"),
    (PHOTO_LINE, PHOTO.pattern),
    (DATE_LINE, DATE.pattern),
    (DOCUMENT_LINE, DOCUMENT_NUMBER.pattern),
    (CREDIT_LINE, rf"{CREDIT.pattern}|{NAMES.pattern}"),
    (SUBTITLE_LINE, rf"(?:{SUBTITLE.pattern}).*"),
    (SECTION_LINE, SECTION.pattern),
    (LEAD_LINE, rf"(?:{LEAD.pattern}).*"),
    (BYLINE_LINE, BYLINE.pattern),
)
"""The cues a short line may carry, tried in this order: the first that spans the line wins."""
SHORT_LINE_KINDS = {f"k{n}": kind for n, (kind, _) in enumerate(SHORT_LINE_CUES)}
SHORT_LINE_CUE = regex.compile("|".join(f"(?P<k{n}>{pattern})" for n, (_, pattern) in enumerate(SHORT_LINE_CUES)))
PLAIN_END = frozenset("。！？…；：，、,:;!?")
"""Line ends that finish a sentence or a clause: no headline ends so."""
CLOSING_MARKS = frozenset("”’」』）)")
"""Closing quotes and brackets end a sentence only after a stop (``…。”``); a headline may end in
one (``在全市“效能革命”``, ``改革深处红利多（上）``)."""


NAMED_BODY_REACH = 4
"""Paragraphs before a head run searched for the body that one of its headlines names."""

NAMED_TITLE_CHARS = 2
"""Shortest headline that names its body by being the body's first words."""

OPENING_CHARS = 2 * MAX_TITLE_CHARS
"""Characters of a paragraph compared with headlines: more than the longest headline."""

BARE_NAME = regex.compile(r"\p{Han}{2,4}")
"""A credit that may be a headline: a name alone, with no brackets (宋理宗, not （王朝晖）)."""


def classify_line(line: str, max_title_chars: int = MAX_TITLE_CHARS) -> str:
    """The kind of one paragraph line, judged on its own.

    >>> [classify_line(x) for x in ("本报讯 目前，孟州市水利局…", "（赵春营 薛德安）", "郭建文 摄", "③6")]
    ['lead', 'credit', 'photo', 'code']
    """
    line = line.strip()
    size = len(line)
    if size > max_title_chars:
        if LEAD.match(line):
            return LEAD_LINE
        if CONTINUED_FROM.match(line):
            return CONTINUED_FROM_LINE
        if WEB_META.match(line):
            return META_LINE
        return CLOSED_BODY if CLOSING_CODE.search(line) else BODY
    return _classify_short(line)


@lru_cache(maxsize=1 << 14)
def _classify_short(line: str) -> str:
    """``classify_line`` for a stripped line no longer than a title. The answers are kept: the
    pipeline classifies the same lines again in every round, and short lines try the most cues."""
    size = len(line)
    if line[-1] in PLAIN_END:
        # Most short lines are body lines ending a sentence; only a few cues can end that way.
        if not HAN_RE.search(line) or WEB_FURNITURE.match(line):
            return STRAY_LINE
        cue = LONG_LINE_CUE.match(line)
        return LONG_LINE_KINDS[cue.lastgroup] if cue else BODY
    if EDITOR_CODE.fullmatch(line):
        return CODE_LINE
    if not HAN_RE.search(line):
        return STRAY_LINE
    cue = SHORT_LINE_CUE.fullmatch(line)
    if cue:
        kind = SHORT_LINE_KINDS[cue.lastgroup]
        if kind == LEAD_LINE and not NEWS_LEAD.match(line) and size <= 30 and line[-1] not in SENTENCE_END:
            return BYLINE_LINE
        return kind
    if CLOSING_CODE.search(line):
        return CLOSED_BODY
    if line[-1] in SENTENCE_END and (line[-1] not in CLOSING_MARKS or line[-2:-1] in PLAIN_END):
        return BODY
    if ENUMERATED.match(line) or CLAUSE_MARK.search(line):
        return SUBHEAD
    return HEADING


CODE_DIGITS = frozenset("0123456789０１２３４５６７８９")


def classify_lines(text: str, spans: list[tuple[int, int]], max_title_chars: int = MAX_TITLE_CHARS) -> list[str]:
    """``classify_line`` for every span of ``text``, with one pattern for the many long body lines."""
    kinds = []
    append = kinds.append
    for a, b in spans:
        if b - a <= max_title_chars or text[a].isspace() or text[b - 1].isspace():
            append(classify_line(text[a:b], max_title_chars))
            continue
        cue = LONG_LINE_CUE.match(text, a, b)
        if cue:
            append(LONG_LINE_KINDS[cue.lastgroup])
        elif text[b - 1] in CODE_DIGITS and CLOSING_CODE.search(text[b - 6:b]):
            append(CLOSED_BODY)
        else:
            append(BODY)
    return kinds


def _content_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the lines (between line breaks and page breaks) that hold a visible character.

    Splitting the text is several times faster than a pattern that must try every character.
    """
    spans = []
    start = 0
    for line in text.split("\n"):
        for part in line.split("\f") if "\f" in line else (line,):
            end = start + len(part)
            if part and (not part.isspace() or VISIBLE.search(part)):  # isspace() takes \x1c-\x1f too
                spans.append((start, end))
            start = end + 1
    return spans


@dataclass
class Layout:
    """The lines of a text, their kinds, and the piece each line belongs to."""

    spans: list[tuple[int, int]]
    lines: list[str]
    kinds: list[str]
    page_breaks: list[bool]
    starts: list[bool]
    moved_heads: dict[int, list[int]]
    """For a piece whose head the page printed after its body: piece start -> head lines."""
    captions: frozenset[int] = frozenset()
    """Lines that are photo captions."""
    named: frozenset[int] = frozenset()
    """The pieces of ``moved_heads`` whose heads were found by name: a run of headlines
    naming their bodies, or a late headline naming the body it closes."""


def _head_run_end(kinds: list[str], i: int) -> int:
    j = i
    while j < len(kinds) and (kinds[j] in HEAD_KINDS or (j > i and kinds[j] == DATE_LINE)):
        j += 1
    return j


def _resolve_by_neighbours(lines: list[str], kinds: list[str]) -> None:
    """Settle the lines whose kind depends on the lines around them: dates and names.

    A date line after a head belongs to the head. Elsewhere a bare date closes a piece
    (``二○一二年八月一日`` under a notice) and a date with a note opens one: a speech printed
    as ``（2012年7月31日，根据录音整理）``, then its body, then (pdf content order) its title."""
    for i, kind in enumerate(kinds):
        if kind == DATE_LINE and not (i and kinds[i - 1] in HEAD_KINDS):
            kinds[i] = DATELINE if DATE_NOTE.search(lines[i]) else CREDIT_LINE if i else DATE_LINE
    # a name atop the page closes nothing: it is the first article's headline (王守仁)
    if len(kinds) > 1 and kinds[0] == CREDIT_LINE and NAMES.fullmatch(lines[0].strip()):
        kinds[0] = HEADING
    # nor does a name alone over a body that opens with it (宋理宗 / 宋理宗赵昀，原名赵与莒…)
    for i in range(1, len(kinds) - 1):
        name = lines[i].strip()
        if (kinds[i] == CREDIT_LINE and kinds[i + 1] in (BODY, LEAD_LINE) and BARE_NAME.fullmatch(name)
                and _names(name, lines[i + 1])):
            kinds[i] = HEADING


def _caption_start(kinds: list[str], lines: list[str], credit: int, titles_after: bool) -> int | None:
    """First line of the caption that a photo credit closes, or None when the photo sits inside an
    article's head (seed 003: headline, subtitle, ``图为…``, ``梁怡 摄``, then the body). On a page
    that prints titles after bodies the head before a caption belongs to the body before it."""
    first = None
    for i in range(credit - 1, max(credit - 4, -1), -1):
        if kinds[i] not in (BODY, SUBHEAD) or len(lines[i]) > MAX_CAPTION_CHARS:
            break
        if first is None or CAPTION_OPENING.match(lines[i].lstrip()):
            first = i
    if first is None:
        return None
    if not titles_after and first and kinds[first - 1] in HEAD_KINDS and PHOTO_REFERENCE.match(lines[first].lstrip()):
        return None
    return first


def _title_unit_end(lines: list[str], kinds: list[str], start: int, end: int, titles_after: bool) -> int:
    """End of the first headline unit of a head run: one headline with its subtitles (and, where
    titles come first, its bylines and document number; where they come last, those lines were
    printed with the next body and open it)."""
    j = start + 1
    while j < end:
        kind = kinds[j]
        if kind == SECTION_LINE or (kind == HEADING and not _continues_subtitle(lines, kinds, j)):
            break
        if titles_after and kind not in (SUBTITLE_LINE, HEADING):
            break
        j += 1
    return j


def _continues_subtitle(lines: list[str], kinds: list[str], i: int) -> bool:
    """A heading line that is the rest of a subtitle wrapped over two lines (seed 004:
    ``——市委常委、…改革协调`` then ``小组组长景劲松就“一窗”分类受理工作答记者问``), or that
    closes a bracket the subtitle left open (``——《砥砺五年谱辉煌·科学发展看山`` / ``阳》系列报道``)."""
    if kinds[i - 1] != SUBTITLE_LINE:
        return False
    subtitle = lines[i - 1].strip()
    return len(subtitle) >= WRAPPED_SUBTITLE_CHARS or any(
        subtitle.count(opening) > subtitle.count(closing) for opening, closing in BRACKETS)


def _is_series_label(line: str) -> bool:
    return len(line) <= SERIES_CHARS and bool(SERIES.search(line))


def _is_kicker(lines: list[str], kinds: list[str], i: int, end: int) -> bool:
    """A series label or kicker above a headline: ``重点项目进行时``, ``学习贯彻全会精神系列评论③``."""
    if kinds[i] != HEADING or i + 1 >= end or kinds[i + 1] != HEADING:
        return False
    line = lines[i].strip()
    return len(line) <= KICKER_CHARS or _is_series_label(line)


def _is_lone_kicker(line: str) -> bool:
    """A kicker printed over its body with no headline under it (``基层走笔``): on a page that
    prints headlines after their bodies, the headline comes later."""
    line = line.strip()
    return len(line) <= LONE_KICKER_CHARS or _is_series_label(line)


def _has_title(lines: list[str], kinds: list[str], start: int, titles_after: bool) -> bool:
    """Whether the head lines from ``start`` hold a headline, not only a kicker, a byline, a
    number. On a page that prints its titles first, a short line alone over the body is its
    title (``王守仁``); on one that prints them after, it is a kicker (``基层走笔``)."""
    end = _head_run_end(kinds, start)
    for i in range(start, end):
        if kinds[i] != HEADING or _is_kicker(lines, kinds, i, end):
            continue
        if not (titles_after and _is_lone_kicker(lines[i])):
            return True
    return False


def _prints_titles_after(lines: list[str], kinds: list[str], caption: list[bool], first: int) -> bool:
    """Whether the page prints its headlines after their bodies: its first piece began without
    its head. A page that opens with a headline line prints them first, however short the
    line (a series label such as ``抓好工业转型系列评论⑥``: its article's title, printed after
    the body, goes back to the body it names), and so does one that opens with a name alone
    on its line (an encyclopedia page's ``王守仁``, which reads like a credit)."""
    if first >= len(lines) or kinds[first] in (HEADING, CREDIT_LINE):
        return False
    return _headless(lines, kinds, caption, first, titles_after=True)


def _headless(lines: list[str], kinds: list[str], caption: list[bool], start: int, titles_after: bool) -> bool:
    """Whether the piece starting at ``start`` began without its headline, on a page that
    prints its titles after their bodies or not."""
    if caption[start]:
        return False
    if kinds[start] in HEADLESS_KINDS:
        return True
    if kinds[start] not in HEAD_KINDS or kinds[start] == SECTION_LINE:
        return False
    return not _has_title(lines, kinds, start, titles_after)


def analyse(text: str, *, max_title_chars: int = MAX_TITLE_CHARS) -> Layout:
    """Classify the lines of ``text`` and decide where each piece starts."""
    spans = _content_spans(text)
    if "\f" in text:
        ends = [0] + [b for _, b in spans[:-1]]
        page_breaks = ["\f" in text[end:a] for end, (a, _) in zip(ends, spans)]
    else:
        page_breaks = [False] * len(spans)
    lines = [text[a:b] for a, b in spans]
    kinds = classify_lines(text, spans, max_title_chars)
    core = [i for i, kind in enumerate(kinds) if kind not in FURNITURE_KINDS]
    core_breaks = [page_breaks[i] for i in core]
    for k in range(1, len(core)):
        core_breaks[k] = core_breaks[k] or any(page_breaks[core[k - 1] + 1:core[k]])
    core_starts, caption, core_moved, core_named = _decide([lines[i] for i in core], [kinds[i] for i in core], core_breaks)
    starts = [False] * len(lines)
    if lines:
        starts[0] = True
    for k, i in enumerate(core[1:], 1):
        starts[i] = core_starts[k]
    for i, kind in enumerate(kinds):
        if kind == PAGE_HEADER_LINE:
            starts[i] = True
            if i + 1 < len(lines):
                starts[i + 1] = True
    moved = {core[k]: [core[j] for j in heads] for k, heads in core_moved.items()}
    named = {core[k] for k in core_named}
    if core and core[0] in moved and not starts[core[0]]:
        moved[0] = moved.pop(core[0])  # the first piece starts with the stray lines before it
        if core[0] in named:
            named = (named - {core[0]}) | {0}
    captions = frozenset(core[k] for k, is_caption in enumerate(caption) if is_caption)
    return Layout(spans, lines, kinds, page_breaks, starts, moved, captions, frozenset(named))


Decision = tuple[list[bool], list[bool], dict[int, list[int]], set[int]]


def _decide(lines: list[str], kinds: list[str], page_breaks: list[bool]) -> Decision:
    """Where pieces start among the lines that carry Chinese, which lines are captions, and
    which heads go back to the body printed before them."""
    _resolve_by_neighbours(lines, kinds)
    n = len(lines)
    starts = [False] * n
    caption = [False] * n
    if n:
        starts[0] = True
    first_body = 1 if n > 1 and _uncredited_caption(lines, kinds, 0) else 0
    titles_after = _prints_titles_after(lines, kinds, caption, first_body)

    def start_at(i: int) -> None:
        if i < n:
            starts[i] = True

    i = 0
    while i < n:
        kind = kinds[i]
        if kind in HEAD_KINDS:
            end = _head_run_end(kinds, i)
            if _head_run_opens_piece(lines, kinds, page_breaks, i, end):
                start_at(i)
            for j in range(i + 1, end):
                if kinds[j] == SECTION_LINE:
                    start_at(j)
            i = end
            continue
        if kind in (LEAD_LINE, CONTINUED_FROM_LINE, DATELINE):
            if not (i and kinds[i - 1] in HEAD_KINDS):
                start_at(i)
            if CLOSING_CODE.search(lines[i]):
                start_at(i + 1)
        elif kind in CLOSING_KINDS:
            if kind == PHOTO_LINE:
                first = _caption_start(kinds, lines, i, titles_after)
                if first is None:
                    i += 1
                    continue
                start_at(first)
                for j in range(first, i + 1):
                    caption[j] = True
            j = i + 1
            while j < n and kinds[j] in CLOSER_KINDS:
                j += 1
            start_at(j)
            i = j
            continue
        elif kind == META_LINE:
            start_at(i)
            j = i + 1
            while j < n and kinds[j] == META_LINE:
                j += 1
            start_at(j)
            i = j
            continue
        elif kind == BODY and (i + 1 == n or kinds[i + 1] in CAPTION_FOLLOWERS) and _uncredited_caption(
                lines, kinds, i):
            start_at(i)
            start_at(i + 1)
            caption[i] = True
        i += 1

    named: set[int] = set()
    moved = _attach_late_heads(lines, kinds, starts, caption, named)
    _attach_stacked_heads(lines, kinds, starts, moved, named)
    return starts, caption, moved, named


def _head_run_opens_piece(lines: list[str], kinds: list[str], page_breaks: list[bool], i: int, end: int) -> bool:
    """Whether the head lines ``i:end`` start a piece rather than head a section inside an article.

    A run of several head lines, a subtitle or byline, a run before a lead, after a closing
    line, at a page break or at the end of the text opens a piece. A lone heading does too,
    unless it is a quoted phrase (``“责任状”引来全员招商``, seed 003) or the short rest of an
    inner heading that the page wrapped (``一、认真总结经验，正视`` / ``工作差距``).
    """
    opens = end < len(kinds) and kinds[end] in (LEAD_LINE, CONTINUED_FROM_LINE)
    if end - i > 1 or kinds[i] != HEADING or end >= len(kinds) or opens or page_breaks[i]:
        return True
    if i and kinds[i - 1] in CLOSING_KINDS:
        return True
    if i and kinds[i - 1] == SUBHEAD and len(lines[i].strip()) <= LONE_KICKER_CHARS:
        return False
    return not lines[i].lstrip().startswith(("“", "\"", "‘"))


def _uncredited_caption(lines: list[str], kinds: list[str], i: int) -> bool:
    """A lone photo caption between articles: it opens like a caption (``5月5日，…``, ``日前，…``),
    follows a body paragraph (or opens the page) and is followed by a headline or the end of the page."""
    after = i + 1
    if after < len(kinds) and kinds[after] not in CAPTION_FOLLOWERS:
        return False
    if i == 0:
        return after < len(kinds) and bool(CAPTION_OPENING.match(lines[0].lstrip()))
    return kinds[i - 1] in CAPTION_NEIGHBOURS and bool(CAPTION_OPENING.match(lines[i].lstrip()))


def _attach_late_heads(
    lines: list[str], kinds: list[str], starts: list[bool], caption: list[bool], named_bodies: set[int]
) -> dict[int, list[int]]:
    """Give a headline printed after its body back to that body (seed 004, pdf content order).

    A piece that began without a head (with a lead or a body paragraph) takes the first
    headline unit that follows it; a head run at the end of the page goes back whole. When
    the page itself opens with a head, titles come before bodies, so a headline standing on
    a lead (``本报讯…``) belongs to that lead's article instead.
    """
    n = len(lines)
    moved: dict[int, list[int]] = {}
    first_piece = next((i for i in range(n) if starts[i] and not caption[i]), None)
    titles_after = first_piece is not None and _prints_titles_after(lines, kinds, caption, first_piece)
    piece_start = 0
    left_headless = -1
    i = 1
    while i < n:
        if not starts[i]:
            i += 1
            continue
        if kinds[i] not in HEAD_KINDS:
            piece_start = i
            i += 1
            continue
        end = _head_run_end(kinds, i)
        named = _named_body(lines, kinds, piece_start, i, end)
        if named is not None:
            body, title = named
            # a series label over the body stays at the top of its piece
            opens = piece_start if _labels_only(lines, kinds, piece_start, body) else body
            starts[opens] = True
            starts[i] = False
            moved[opens] = list(range(i, title + 1))
            named_bodies.add(opens)
            if title + 1 < n:
                starts[title + 1] = True
            piece_start = left_headless = title + 1
            i = end
            continue
        kicker = _is_kicker(lines, kinds, i, end)
        unit_end = _title_unit_end(lines, kinds, i + kicker, end, titles_after) if end < n else end
        if titles_after and end < n and kinds[end] == LEAD_LINE and SECTION_LINE not in kinds[i:end]:
            # the next article opens with its lead, so every head line before it closes this one
            # (seed 004: 推进“放管服”改革 / 启动一窗受理 切实利企便民, then 本报讯（记者魏巍）…)
            unit_end = end
        stays = (
            not _headless(lines, kinds, caption, piece_start, titles_after)
            or (piece_start == left_headless and not titles_after)
            or kinds[i] == SECTION_LINE
            or (kicker and not titles_after)
            or (end - i == 1 and end < n and _is_lone_kicker(lines[i]))
            or (not titles_after and unit_end == end < n and kinds[end] in (LEAD_LINE, CONTINUED_FROM_LINE))
            or (not titles_after and BYLINE_LINE in kinds[i:end] and HEADING in kinds[i:end])
        )
        if stays:
            piece_start = i
            i = end
            continue
        starts[i] = False
        moved[piece_start] = list(range(i, unit_end))
        if unit_end < n:
            starts[unit_end] = True
        # On a page that puts titles first, the body a moved title leaves behind keeps its head
        # run: it must not take the next title in turn.
        piece_start = left_headless = unit_end
        i = end
    return moved


def _labels_only(lines: list[str], kinds: list[str], start: int, end: int) -> bool:
    """Whether the lines ``start:end`` are series labels only (``抓好工业转型系列评论⑥``)."""
    return start < end and all(kinds[j] in HEAD_KINDS and _is_series_label(lines[j].strip()) for j in range(start, end))


def _named_body(lines: list[str], kinds: list[str], piece_start: int, i: int, end: int) -> tuple[int, int] | None:
    """A body paragraph before the head run ``i:end`` that opens with the words of one of its
    headlines (柏林圍牆 after 柏林圍牆是德國分裂期間…): that headline was printed after its
    body. Returns the paragraph and the headline, or None."""
    titles = [(lines[j].strip(), j) for j in range(i, end) if kinds[j] == HEADING]
    for body in range(i - 1, max(piece_start, i - NAMED_BODY_REACH) - 1, -1):
        if kinds[body] not in (BODY, LEAD_LINE):
            continue
        for title, j in titles:
            if _names(title, lines[body]):
                return body, j
    return None


def _names(title: str, body: str) -> bool:
    """Whether a headline is the first words of a body paragraph (柏林圍牆 / 柏林圍牆是德國…,
    大公报 / 《大公报》是…), read without spaces."""
    return _opens_with(_opening(body), "".join(title.split()))


def _opening(body: str) -> str:
    """The first words of a paragraph, without spaces or an opening quote or title mark."""
    return "".join(body[:OPENING_CHARS].split()).lstrip("《「『“")


def _opens_with(opening: str, title: str) -> bool:
    """Whether a paragraph's opening (see ``_opening``) starts with a headline and goes on."""
    return len(title) >= NAMED_TITLE_CHARS and opening.startswith(title) and len(opening) > len(title)


def _attach_stacked_heads(
    lines: list[str], kinds: list[str], starts: list[bool], moved: dict[int, list[int]], named_bodies: set[int],
) -> None:
    """Give each of several headlines printed one after another to the body that opens with its
    words: that body starts a piece, its headline first.

    pdfminer reads a row of headlines set side by side before their articles (溧阳市 / 木 卫一,
    then 溧阳市是… and 木卫一也称为…), and PyMuPDF prints a page's headlines after all its
    bodies when they were drawn last (分娩 / 匹兹堡 at the end, 分娩，特指… and 匹兹堡位于…
    above). Two headlines of a run at least must name bodies of their own: below the run up
    to the next one, or anywhere above it.
    """
    n = len(lines)
    openings: dict[int, str] = {}
    by_start: dict[str, list[int]] = {}
    i = 0
    while i < n:
        if kinds[i] not in HEAD_KINDS:
            i += 1
            continue
        end = _head_run_end(kinds, i)
        # a bare name among the headlines is one of them (宋理宗 between 模特儿 and 唐努乌梁海)
        while end < n and (kinds[end] in HEAD_KINDS or (kinds[end] == CREDIT_LINE and BARE_NAME.fullmatch(lines[end].strip()))):
            end += 1
        if sum(kinds[j] in (HEADING, CREDIT_LINE) for j in range(i, end)) < 2:
            i = end  # one headline cannot make two names
            continue
        if not openings:  # most pages have no such run: the bodies are read only when one does
            openings.update((b, _opening(lines[b])) for b in range(n) if kinds[b] in (BODY, LEAD_LINE))
            for b, opening in openings.items():
                by_start.setdefault(opening[:NAMED_TITLE_CHARS], []).append(b)
        below = []
        while end + len(below) < n and kinds[end + len(below)] not in HEAD_KINDS:
            below.append(end + len(below))
        # a body that took a head from another run keeps it
        headed = {b for b, heads in moved.items() if any(not i <= j < end for j in heads)}
        named: dict[int, int] = {}
        for j in range(i, end):
            if kinds[j] not in (HEADING, CREDIT_LINE):
                continue
            title = "".join(lines[j].split())
            # the bodies below the run first, then those above it, nearest first
            candidates = sorted(
                (b for b in by_start.get(title[:NAMED_TITLE_CHARS], ())
                 if (b < i or b in below) and _opens_with(openings[b], title)),
                key=lambda b: (b < i, abs(b - i)),
            )
            body = next((b for b in candidates if b not in named.values() and b not in headed), None)
            if body is not None:
                named[j] = body
        if len(named) >= 2 and all(body < i for body in named.values()):
            named.update(_heads_between(kinds, starts, moved, headed, named, i, end))
        if len(named) >= 2:
            for j, body in named.items():
                owner = next((b for b, heads in moved.items() if j in heads), None)
                if (owner is not None and _in_piece(starts, owner, body)) or (owner is None and body == end):
                    continue  # already with its body (the piece may open with a series label)
                if owner is not None:
                    moved[owner].remove(j)
                starts[body] = True
                moved[body] = [*moved.get(body, []), j]
                named_bodies.add(body)
        i = end


def _in_piece(starts: list[bool], first: int, line: int) -> bool:
    """Whether ``line`` belongs to the piece that starts at line ``first``."""
    return first <= line and not any(starts[first + 1 : line + 1])


def _heads_between(
    kinds: list[str], starts: list[bool], moved: dict[int, list[int]], headed: set[int], named: dict[int, int],
    i: int, end: int,
) -> dict[int, int]:
    """The bodies of the headlines of the run ``i:end`` that name none: the one headless piece
    between the bodies its neighbours in the run name, the run printing them in the page's
    order (梵文 before 模特儿, whose body is the page's second)."""
    pairs = sorted(named.items())
    found = {}
    for j in range(i, end):
        if j in named or kinds[j] != HEADING:
            continue
        low = max((b for h, b in pairs if h < j), default=-1)
        high = min((b for h, b in pairs if h > j), default=i)
        free = [b for b in range(low + 1, high) if starts[b] and kinds[b] in (BODY, LEAD_LINE)
                and b not in headed and b not in moved and (b == 0 or kinds[b - 1] not in HEAD_KINDS)]
        if len(free) == 1:
            found[j] = free[0]
    return found


def _piece_ranges(layout: Layout) -> list[tuple[int, int]]:
    starts = [i for i, start in enumerate(layout.starts) if start]
    return list(zip(starts, starts[1:] + [len(layout.lines)]))


IN_PLACE, AS_PRINTED, FIRST = "in place", "as printed", "first"
PLACEMENTS = {AS_PRINTED: (AS_PRINTED, FIRST), FIRST: (FIRST,), IN_PLACE: ()}
"""Where headlines set apart from their pieces go, and what is tried in turn: back before or
after their body as the page printed them, each at the top of its piece, or nowhere."""


@register("pieces", "reorder")
def separate_pieces(
    text: str, *, max_title_chars: int = MAX_TITLE_CHARS, headlines: str = AS_PRINTED,
) -> StepResult:
    """Put exactly one blank line between separate pieces and none inside a piece.

    Headlines that the extractor set apart from their bodies, and that name them, go back
    to their pieces (``headlines``): as printed (default), one printed after its body
    (PyMuPDF reads a page's late headlines after all its bodies) closing the body's piece
    and one printed before it (pdfminer reads a row of headlines before the articles under
    them) opening it; ``first``, each opening its piece; ``in place``, none moves. A
    headline already in its body's block stays where it is. A page break (form feed)
    between two pieces is kept on the blank line; one inside a piece becomes a plain line
    break.

    >>> print(separate_pieces("加强基层宣传队伍建设\\n本报讯 今年年初以来，孟州市…\\n（王朝晖）\\n\\n\\n"
    ...                       "日前，嘉隆社区居民正在参加象棋比赛。\\n郭建文 摄").text)
    加强基层宣传队伍建设
    本报讯 今年年初以来，孟州市…
    （王朝晖）
    <BLANKLINE>
    日前，嘉隆社区居民正在参加象棋比赛。
    郭建文 摄
    """
    if headlines not in PLACEMENTS:
        raise ConfigError(f"pieces: unknown headlines {headlines!r}; use one of {', '.join(PLACEMENTS)}")
    layout = analyse(text, max_title_chars=max_title_chars)
    if not layout.spans:
        return StepResult(text)
    # Moving headlines can make another reading of the page (a headline now after its body
    # may open the next piece): a headline printed after its body then opens the piece
    # instead, and failing that, they stay where the extractor put them.
    for placement in PLACEMENTS[headlines] if layout.named else ():
        result = rewrite(text, _piece_changes(text, layout, placement), "pieces")
        again = analyse(result.text, max_title_chars=max_title_chars)
        if not rewrite(result.text, _piece_changes(result.text, again, placement), "pieces").edits:
            return result
    return rewrite(text, _piece_changes(text, layout, IN_PLACE), "pieces")


def _piece_changes(text: str, layout: Layout, placement: str) -> list[Change]:
    """The gaps between the lines of ``text``: one blank line between pieces, a line break
    inside one; the headlines set apart from their pieces go back to them (``placement``)."""
    spans, lines = layout.spans, layout.lines
    # only headlines found by name move: one guessed to close the piece before it stays
    moved_heads = {} if placement == IN_PLACE else {
        body: heads for body, heads in layout.moved_heads.items() if body in layout.named}
    moved = {i for heads in moved_heads.values() for i in heads}
    ranges = _piece_ranges(layout)
    # the headlines of a piece whose every line went to other pieces stay where they are
    moved -= {h for start, end in ranges if moved.issuperset(range(start, end)) for h in moved_heads.get(start, [])}
    pieces = []  # (heads before, lines in place, heads after) of each piece
    for start, end in ranges:
        kept = [i for i in range(start, end) if i not in moved]
        heads = [h for h in moved_heads.get(start, []) if h in moved]
        if kept and placement == FIRST:
            pieces.append((heads, kept, []))
        elif kept:
            pieces.append(([h for h in heads if h < start], kept, [h for h in heads if h > start]))

    def opening(heads: list[int]) -> str:
        return "".join(lines[h] + "\n" for h in heads)

    def closing(heads: list[int]) -> str:
        return "".join("\n" + lines[h] for h in heads)

    changes = []
    for number, (before, kept, after) in enumerate(pieces):
        if number:
            previous_end, previous_after = pieces[number - 1][1][-1], pieces[number - 1][2]
            page_break = any(layout.page_breaks[i] for i in range(previous_end + 1, kept[0] + 1))
            separator = "\n\f\n" if page_break else "\n\n"
            new = closing(previous_after) + separator + opening(before)
            changes.append((spans[previous_end][1], spans[kept[0]][0], new, "piece"))
        else:
            changes.append((0, spans[kept[0]][0], opening(before), "strip"))
        changes += [(spans[a][1], spans[b][0], "\n", "join") for a, b in zip(kept, kept[1:])]
    last, after = pieces[-1][1][-1], pieces[-1][2]
    changes.append((spans[last][1], len(text), closing(after) + ("\n" if spans[-1][1] < len(text) else ""), "strip"))
    if moved:  # the gaps that a headline left or went to
        changes = [(a, b, new, "move" if new.strip() or any(a < spans[i][0] < b for i in moved) else rule)
                   for a, b, new, rule in changes]
    return changes


def split_pieces(text: str, *, max_title_chars: int = MAX_TITLE_CHARS) -> list[Piece]:
    """Split already-repaired text (one paragraph per line) into its pieces, titles first.

    >>> [p.title for p in split_pieces("本报讯 今年年初以来，孟州市…\\n（王朝晖）\\n加强基层宣传队伍建设")]
    ['加强基层宣传队伍建设']
    """
    layout = analyse(text, max_title_chars=max_title_chars)
    pieces = []
    moved = {i for heads in layout.moved_heads.values() for i in heads}
    for start, end in _piece_ranges(layout):
        late_head = layout.moved_heads.get(start, [])
        order = late_head + [i for i in range(start, end) if i not in moved]
        if order:  # every line of a run of late headlines may have gone to its body
            pieces.append(_make_piece(layout, order))
    return pieces


def _make_piece(layout: Layout, order: list[int]) -> Piece:
    lines, kinds = layout.lines, layout.kinds
    paragraphs = tuple(lines[i].strip() for i in order)
    head = []
    for i in order:
        if kinds[i] not in HEAD_KINDS and kinds[i] != DATE_LINE:
            break
        head.append(i)
    headings = [lines[i].strip() for i in head if kinds[i] == HEADING]
    if len(headings) > 1 and len(headings[0]) <= KICKER_CHARS:
        headings = headings[1:]
    title = " ".join(headings)
    subtitle = " ".join(lines[i].strip() for i in head if kinds[i] == SUBTITLE_LINE)
    bylines = [lines[i].strip() for i in order if kinds[i] in (BYLINE_LINE, CREDIT_LINE, PHOTO_LINE)]
    bylines += [match[1] for i in order if kinds[i] == LEAD_LINE
                for match in [REPORTER_IN_LEAD.search(lines[i], 0, LEAD_SEARCH_CHARS)] if match]
    present = {kinds[i] for i in order}
    if any(i in layout.captions for i in order) and LEAD_LINE not in present:
        kind = "caption"
    elif META_LINE in present and not (present & {BODY, LEAD_LINE}):
        kind = "notice"
    elif present & {BODY, LEAD_LINE, SUBHEAD}:
        kind = "article"
    else:
        kind = "other"
    return Piece("\n".join(paragraphs), kind, title, subtitle, bylines[0] if bylines else "", paragraphs)

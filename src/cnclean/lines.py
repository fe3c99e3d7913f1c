"""What a single line of a newspaper page looks like: pure tests shared by the layout steps.

A line here is one line of text without its line break. The tests look at the visible
characters only (leading and trailing white space is the caller's business, except for
``is_indented``).
"""

from __future__ import annotations

import regex

from .text import CJK_PUNCT, DIGITS, SENTENCE_END

INLINE_SPACE = " \t\u3000\u00a0"
"""White space inside a line (everything but line breaks and form feeds)."""

# web pages (seeds 001, 003) often end a sentence with half-width punctuation
_SENTENCE_END_RE = regex.compile(rf"[{regex.escape(SENTENCE_END)}:;.][\s]*$")
_CLAUSE_END_RE = regex.compile(r"[，、,]$")
_CONTINUATION_START_RE = regex.compile(r"^[，、；：。？！）》」』〉】〕”’,;:)]")

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

_BYLINE_RE = regex.compile(
    r"^(?:本报(?:特约)?(?:记者|通讯员|评论员)|(?:特约|见习)?记者|通讯员|本报评论员|评论员"
    r"|新华社(?:特约)?记者|实习生)"
    r"(?![^\s]*[，。！？])"
)

_CREDIT_RE = regex.compile(r"(?:(?<![拍编])摄(?:影)?|供图|制图|(?<=[\s/／])图)\s*[）)]?$")
_SIGNATURE_RE = regex.compile(r"^[（(][^（）()]{1,15}[）)]$")

_DATELINE_RE = regex.compile(
    r"^(?:本报讯|本报[^\s，。]{0,8}电|新华社[^\s，。]{1,12}电|据[^\s，。]{1,12}报道|[（(]记者)"
)

_SUBTITLE_RE = regex.compile(r"^[—－-]{1,3}")

_NUMBER_RE = regex.compile(rf"^[{DIGITS}]+(?:[.,．，][{DIGITS}]+)*[%％‰]?$")

_LATIN_END_RE = regex.compile(r"[A-Za-z0-9]$")
_LATIN_START_RE = regex.compile(r"^[A-Za-z0-9]")
_SOFT_HYPHEN_RE = regex.compile(r"[A-Za-z]-$")
_LOWER_START_RE = regex.compile(r"^[a-z]")

_PUNCT_ONLY_RE = regex.compile(rf"^[{regex.escape(CJK_PUNCT)}\p{{P}}]+$")


def ends_sentence(line: str) -> bool:
    """True when the line ends with a stop, a closing quote or bracket after one, or a colon.

    >>> ends_sentence("随时可以找他们解决。"), ends_sentence("记孙立坤党的群众路线")
    (True, False)
    """
    return bool(_SENTENCE_END_RE.search(line))


def ends_clause(line: str) -> bool:
    """True when the line stops after a comma: a sentence goes on, so it is no headline.

    >>> ends_clause("2010年，"), ends_clause("河南理工大学管理")
    (True, False)
    """
    return bool(_CLAUSE_END_RE.search(line))


def starts_with_continuation(line: str) -> bool:
    """True when the line starts with punctuation that can only continue a sentence.

    >>> starts_with_continuation("，战略性新兴产业"), starts_with_continuation("战略性")
    (True, False)
    """
    return bool(_CONTINUATION_START_RE.match(line))


def starts_list_item(line: str) -> bool:
    """True for a list marker at the start of a line: 一是, （二）, 一、, 1., ①.

    >>> starts_list_item("二是责任要进一步明确。"), starts_list_item("1.健全完善"), starts_list_item("12月28日")
    (True, True, False)
    """
    return bool(_LIST_MARKER_RE.match(line))


def starts_numbered_item(line: str) -> bool:
    """True for an item numbered with figures or brackets: （二）, 1., 一、, ①; not 一是.

    >>> starts_numbered_item("（二）执政为民富有实效。"), starts_numbered_item("一是文艺创作")
    (True, False)
    """
    return bool(_NUMBERED_ITEM_RE.match(line))


def starts_speaker(line: str) -> bool:
    """True for an interview turn: 问：, 答：, 记者：.

    >>> starts_speaker("问：大沽河治理进展如何？"), starts_speaker("问题在于")
    (True, False)
    """
    return bool(_SPEAKER_RE.match(line))


def is_byline(line: str) -> bool:
    """True for a byline such as 本报记者 张 蕊 (not a dateline that starts a body paragraph).

    >>> is_byline("本报记者 张 蕊"), is_byline("本报讯 （记者孙军） 昨日上午，我市召")
    (True, False)
    """
    return bool(_BYLINE_RE.match(line)) and len(line) <= 40


def is_credit(line: str) -> bool:
    """True for a photo credit or a closing signature: 本报记者 刘 璐 摄, （王朝晖）.

    >>> is_credit("本报记者 刘 璐 摄"), is_credit("（王朝晖）"), is_credit("画出一张地图")
    (True, True, False)
    """
    if len(line) > 30:
        return False
    return bool(_CREDIT_RE.search(line) and not ends_sentence(line)) or bool(_SIGNATURE_RE.match(line))


def starts_dateline(line: str) -> bool:
    """True for the opening of a news body: 本报讯, 新华社北京3月5日电.

    >>> starts_dateline("本报讯 （记者董柏生） 昨日"), starts_dateline("本报记者 张蕊")
    (True, False)
    """
    return bool(_DATELINE_RE.match(line))


def is_subtitle(line: str) -> bool:
    """True for a subtitle introduced by dashes: ——— 孙立坤在沁阳市座谈侧记.

    >>> is_subtitle("——— 孙立坤在沁阳市沁园街道袁屯村座谈侧记"), is_subtitle("孙立坤")
    (True, False)
    """
    return bool(_SUBTITLE_RE.match(line)) and not ends_sentence(line)


def is_number(line: str) -> bool:
    """True for a line holding only a number: 3, 22.8%, １０.

    >>> is_number("22.8%"), is_number("３"), is_number("1."), is_number("3月")
    (True, True, False, False)
    """
    return bool(_NUMBER_RE.match(line))


def is_punctuation(line: str) -> bool:
    """True for a line holding only punctuation."""
    return bool(_PUNCT_ONLY_RE.match(line))


def joiner(left: str, right: str) -> str:
    """What goes between two pieces of a broken line: a space between Latin words, else nothing.

    A hyphen before a lowercase letter is a soft hyphen and is kept without a space.

    >>> joiner("经济", "转型"), joiner("open", "source"), joiner("well-", "known"), joiner("1", "00年")
    ('', ' ', '', '')
    """
    if _SOFT_HYPHEN_RE.search(left) and _LOWER_START_RE.match(right):
        return ""
    if _LATIN_END_RE.search(left) and _LATIN_START_RE.match(right):
        # a number cut by the column edge (1\n00年) is one number
        return "" if left[-1].isdigit() and right[0].isdigit() else " "
    return ""


def is_indented(line: str) -> bool:
    """True when a line starts with an ideographic space or two or more spaces.

    A single leading space is not an indent: the pymupdf-blocks extraction (seed 000)
    starts every text block with one, even in the middle of a paragraph.

    >>> is_indented("\\u3000\\u3000我们要"), is_indented("  我们要"), is_indented(" 我们要")
    (True, True, False)
    """
    return line.startswith(("\u3000", "  ", "\t"))

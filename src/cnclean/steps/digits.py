"""Put numbers that extraction set on lines of their own back into their sentence."""

from __future__ import annotations

import regex

from ..lines import NAME, PAGE_HEADER_RE, is_byline_or_credit, is_speech_title
from ..model import StepResult, rewrite
from ..registry import register
from ..text import DIGITS, SENTENCE_END, LinePattern

_SPACE = r"[ \t\u3000\u00a0]"
# possessive: what follows a number is never part of it, and giving back a digit at a
# time made "1.1.1.…" quadratic (17 s for 600 KB)
_NUMBER = rf"[{DIGITS}]++(?:[.,．][{DIGITS}]++)*+[%％‰]?+"


# A number alone on its line (seed 000: ``今年\n\n3\n\n月``).
_NUMBER_LINE = LinePattern(rf"{_SPACE}*(?P<number>{_NUMBER}){_SPACE}*(?=\n|\Z)")
# The nearest visible character before (searching backwards) and after a position.
_VISIBLE_BEFORE = regex.compile(r"\S", regex.REVERSE)
_VISIBLE_AFTER = regex.compile(r"\S")
_DIGIT = regex.compile(rf"[{DIGITS}]")
_NAME = regex.compile(NAME)
_SUBTITLE = regex.compile(r"[ \t\u3000]*[—－]")
"""A line opened by dashes: a subtitle (——孟州市委书记…侧记), which a number never continues."""


@register("digits", "layout")
def rejoin_digits(text: str) -> StepResult:
    """Put numbers that extraction set on lines of their own back into their sentence.

    The number always joins the text after it (its unit or the rest of the sentence);
    it joins the text before it unless that ends a sentence or is a heading, a byline or a credit,
    where the number may start a paragraph. A list number at a paragraph start (``1.健全``) is
    not alone on its line and is never touched.

    >>> rejoin_digits("由\\n\\n300\\n\\n个工作日压缩到\\n\\n40\\n\\n个工作日").text
    '由300个工作日压缩到40个工作日'
    >>> rejoin_digits("占规模以上工业的\\n70%\\n以上。").text
    '占规模以上工业的70%以上。'
    >>> rejoin_digits("增长1\\n2%").text
    '增长12%'
    """
    numbers = [match.span("number") for match in _NUMBER_LINE.finditer(text)]
    changes = []
    page_breaks = "\f" in text
    for i, (start, end) in enumerate(numbers):
        before = _VISIBLE_BEFORE.search(text, 0, start)
        after = _VISIBLE_AFTER.search(text, end)
        if before is None and after is None:
            continue
        if page_breaks and "\f" in text[before.end() if before else start : after.start() if after else end]:
            continue  # a page boundary is never crossed
        # The visible character next to a number line is on a number line only when it is
        # the edge of the number on the line before or after.
        if (before is not None and i and before.end() == numbers[i - 1][1]) or (
                after is not None and i + 1 < len(numbers) and after.start() == numbers[i + 1][0]):
            continue  # a column of figures (a table) stays as it is
        if before is not None and before.group() not in SENTENCE_END and not _ends_a_heading(text, before):
            changes.append((before.end(), start, "", "number-before"))
        if after is not None and not _DIGIT.match(after.group()):
            changes.append((end, after.start(), "", "number-after"))
    return rewrite(text, changes, "digits")


def _ends_a_heading(text: str, before: regex.Match) -> bool:
    """Whether the line that ends at ``before`` is a subtitle, a speech title, a page's
    running header, a byline or a photo credit, which a number never continues (在全市“效能革命”
    工作会上的讲话 / 2012 / 年是太原市…, 2014年6月13日 星期五 第5版 要闻 / 5 / 月4日，风和日丽…,
    梁怡 摄 / 5 / 月4日…), or a name alone after the end of a sentence: the author's, under
    the article (…加快施工进度。 / 梁怡 / 5 / 月5日，山阳区法院…)."""
    line_start = text.rfind("\n", 0, before.start()) + 1
    line = text[line_start : before.end()].strip()
    return (
        bool(_SUBTITLE.match(text, line_start)) or is_speech_title(line) or bool(PAGE_HEADER_RE.match(line))
        or is_byline_or_credit(line) or (_NAME.fullmatch(line) is not None and _after_sentence(text, line_start))
    )


def _after_sentence(text: str, line_start: int) -> bool:
    """Whether the line starting at ``line_start`` follows the end of a sentence."""
    before = _VISIBLE_BEFORE.search(text, 0, line_start)
    return before is not None and before.group() in SENTENCE_END

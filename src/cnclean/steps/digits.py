"""Put numbers that extraction set on lines of their own back into their sentence."""

from __future__ import annotations

import regex

from ..model import StepResult, rewrite
from ..registry import register
from ..text import DIGITS, SENTENCE_END

_SPACE = r"[ \t\u3000\u00a0]"
_GAP = rf"{_SPACE}*\n(?:{_SPACE}*\n)*{_SPACE}*"
_NUMBER = rf"[{DIGITS}]+(?:[.,．][{DIGITS}]+)*[%％‰]?"

# A number alone on its line (seed 000: ``今年\n\n3\n\n月``), with the white space that
# separates it from the text before and after. The gaps hold no form feed, so a page
# boundary is never crossed, and a number next to another number line (a table column)
# is left alone.
_NUMBER_LINE = regex.compile(
    rf"(?<=(?P<prev>\S)(?P<before>{_GAP}))"
    rf"(?P<number>{_NUMBER})"
    rf"(?=(?P<after>{_GAP})(?P<next>\S))"
)
_ENDS_NUMBER = regex.compile(rf"(?:^|\n){_SPACE}*{_NUMBER}{_SPACE}*$")
_STARTS_NUMBER = regex.compile(rf"^{_SPACE}*{_NUMBER}{_SPACE}*(?:\n|$)")
_DIGIT = regex.compile(rf"[{DIGITS}]")


@register("digits", "layout")
def rejoin_digits(text: str) -> StepResult:
    """Put numbers that extraction set on lines of their own back into their sentence.

    The number always joins the text after it (its unit or the rest of the sentence);
    it joins the text before it unless that ends a sentence, where the number may
    start a paragraph. A list number at a paragraph start (``1.健全``) is not alone on
    its line and is never touched.

    >>> rejoin_digits("由\\n\\n300\\n\\n个工作日压缩到\\n\\n40\\n\\n个工作日").text
    '由300个工作日压缩到40个工作日'
    >>> rejoin_digits("占规模以上工业的\\n70%\\n以上。").text
    '占规模以上工业的70%以上。'
    """
    changes = []
    for match in _NUMBER_LINE.finditer(text):
        start, end = match.span("number")
        line_before = text[text.rfind("\n", 0, match.start("before")) + 1 : match.start("before")]
        line_after = text[match.end("after") : _line_end(text, match.end("after"))]
        if _ENDS_NUMBER.search(line_before) or _STARTS_NUMBER.match(line_after):
            continue  # a column of figures (a table) stays as it is
        if match.group("prev") not in SENTENCE_END:
            changes.append((match.start("before"), start, "", "number-before"))
        if not _DIGIT.match(match.group("next")):
            changes.append((end, match.end("after"), "", "number-after"))
    return rewrite(text, changes, "digits")


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end

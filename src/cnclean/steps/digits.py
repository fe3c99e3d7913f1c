"""Put numbers that extraction set on lines of their own back into their sentence."""

from __future__ import annotations

import regex

from ..model import StepResult, rewrite
from ..registry import register
from ..text import DIGITS, SENTENCE_END

_SPACE = r"[ \t\u3000\u00a0]"
_NUMBER = rf"[{DIGITS}]+(?:[.,．][{DIGITS}]+)*[%％‰]?"

# A number alone on its line (seed 000: ``今年\n\n3\n\n月``).
_NUMBER_LINE = regex.compile(rf"(?m)^{_SPACE}*(?P<number>{_NUMBER}){_SPACE}*$")
# The nearest visible character before (searching backwards) and after a position.
_VISIBLE_BEFORE = regex.compile(r"\S", regex.REVERSE)
_VISIBLE_AFTER = regex.compile(r"\S")
_ONLY_NUMBER = regex.compile(rf"{_SPACE}*{_NUMBER}{_SPACE}*")
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
    >>> rejoin_digits("增长1\\n2%").text
    '增长12%'
    """
    changes = []
    for match in _NUMBER_LINE.finditer(text):
        start, end = match.span("number")
        before = _VISIBLE_BEFORE.search(text, 0, start)
        after = _VISIBLE_AFTER.search(text, end)
        neighbours = [near for near in (before, after) if near is not None]
        if not neighbours:
            continue
        if "\f" in text[before.end() if before else start : after.start() if after else end]:
            continue  # a page boundary is never crossed
        if any(_is_number_line(text, near.start()) for near in neighbours):
            continue  # a column of figures (a table) stays as it is
        if before is not None and before.group() not in SENTENCE_END:
            changes.append((before.end(), start, "", "number-before"))
        if after is not None and not _DIGIT.match(after.group()):
            changes.append((end, after.start(), "", "number-after"))
    return rewrite(text, changes, "digits")


def _is_number_line(text: str, pos: int) -> bool:
    """True when the line holding ``pos`` holds only a number."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return bool(_ONLY_NUMBER.fullmatch(text, start, len(text) if end < 0 else end))

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
    """
    changes = []
    for match in _NUMBER_LINE.finditer(text):
        start, end = match.span("number")
        before = _VISIBLE_BEFORE.search(text, 0, start)
        after = _VISIBLE_AFTER.search(text, end)
        if before is None or after is None:
            continue
        gap_before, gap_after = text[before.end() : start], text[end : after.start()]
        if "\f" in gap_before or "\f" in gap_after:
            continue  # a page boundary is never crossed
        if _is_number_line(text, before.start()) or _is_number_line(text, after.start()):
            continue  # a column of figures (a table) stays as it is
        if before.group() not in SENTENCE_END:
            changes.append((before.end(), start, "", "number-before"))
        if not _DIGIT.match(after.group()):
            changes.append((end, after.start(), "", "number-after"))
    return rewrite(text, changes, "digits")


def _is_number_line(text: str, pos: int) -> bool:
    """True when the line holding ``pos`` holds only a number."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return bool(_ONLY_NUMBER.fullmatch(text, start, len(text) if end < 0 else end))

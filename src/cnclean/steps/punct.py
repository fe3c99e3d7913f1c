"""Half-width punctuation inside Chinese text to the full-width form."""

from __future__ import annotations

import regex

from ..model import Change, StepResult, rewrite
from ..registry import register

CJK = r"\p{Han}\u3000-\u303F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65“”‘’…—·"
"""A Chinese character or a full-width punctuation mark (full-width letters and digits excluded)."""

FULL_WIDTH = str.maketrans(",;:?!()", "，；：？！（）")

PUNCT = regex.compile(
    # Web and e-mail addresses come first so that their punctuation is skipped.
    r"(?P<address>(?:https?|ftp)://[!-~]+|www\.[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})"
    # A run of marks touching Chinese on either side: 经济,社会  2011年,全市  (not 1,000 or 10:30).
    rf"|(?P<marks>(?<=[{CJK}])[,;:?!]+|[,;:?!]+(?=[{CJK}]))"
    # A full stop after Chinese at a line end or before more Chinese (not 4.5, not an ellipsis ...).
    rf"|(?P<stop>(?<=[\p{{Han}}”’）」』])(?<!\.)\.(?!\.)(?=[\p{{Han}}“‘（「『]|[ \t]*$))",
    regex.MULTILINE,
)
BRACKETS = regex.compile(r"[(（][^()（）\n]{0,100}[)）]")
"""Brackets around Chinese, or between Chinese: (记者)  （2012年7月31日)."""
QUOTES = regex.compile(r'"[^"\n]{0,200}"')
"""Straight double quotes, paired from the left."""
HAN = regex.compile(r"\p{Han}")
CJK_CHAR = regex.compile(f"[{CJK}]")


def _brackets_are_chinese(text: str, match: regex.Match) -> bool:
    start, end = match.span()
    if HAN.search(match.group()):
        return True
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return bool(before and after and CJK_CHAR.match(before) and CJK_CHAR.match(after))


def _one_pass(text: str) -> list[Change]:
    """Single-character changes for one scan of ``text``."""
    changes: list[Change] = []
    for match in PUNCT.finditer(text):
        start, end = match.span()
        if match.lastgroup == "marks":
            changes.extend((i, i + 1, text[i].translate(FULL_WIDTH), "punct") for i in range(start, end))
        elif match.lastgroup == "stop":
            changes.append((start, end, "。", "full_stop"))
    for match in BRACKETS.finditer(text):
        if _brackets_are_chinese(text, match):
            start, end = match.span()
            changes.extend((i, i + 1, text[i].translate(FULL_WIDTH), "brackets") for i in (start, end - 1))
    for match in QUOTES.finditer(text):
        if HAN.search(match.group()):
            start, end = match.span()
            changes.extend([(start, start + 1, "“", "quotes"), (end - 1, end, "”", "quotes")])
    unique = {change[0]: change for change in changes if change[2] != text[change[0]]}
    return sorted(unique.values())


def _merge(changes: list[Change]) -> list[Change]:
    """Adjacent single-character changes of one rule as one change (one edit per run of marks)."""
    merged: list[Change] = []
    for start, end, new, rule in sorted(changes):
        if merged and merged[-1][1] == start and merged[-1][3] == rule:
            last = merged.pop()
            merged.append((last[0], end, last[2] + new, rule))
        else:
            merged.append((start, end, new, rule))
    return merged


@register("punct", "normalize")
def normalize_punct(text: str) -> StepResult:
    """Half-width punctuation inside Chinese text to the full-width form.

    A mark changes only where it touches Chinese; numbers (``1,000``, ``4.5``, ``10:30``),
    Latin text, web and e-mail addresses keep theirs. Every change is one character for one.

    >>> normalize_punct("经济,社会(记者)增长4.5%,达1,000人.见 www.a.cn/?x=1,2").text
    '经济，社会（记者）增长4.5%，达1,000人。见 www.a.cn/?x=1,2'
    """
    # A converted mark can put the next one in Chinese context ("你好",), so scan until stable.
    done: dict[int, Change] = {}
    current = text
    while True:
        changes = _one_pass(current)
        if not changes:
            break
        for change in changes:
            done[change[0]] = change
        current = rewrite(current, changes, "punct").text
    return rewrite(text, _merge(list(done.values())), "punct")

"""Join a headline set vertically, one character per line, into one line."""

from __future__ import annotations

import regex

from ..model import StepResult, rewrite
from ..registry import register
from ..text import OPENING_MARKS, LinePattern

_SPACE = r"[ \t\u3000\u00a0]"
_GAP = rf"{_SPACE}*\n(?:{_SPACE}*\n)*{_SPACE}*"

# A run of at least two lines of one visible character each (seed 000 after ``①５``,
# suite 02's opening headline, a two-character name such as ``恒\n河``), blank lines allowed
# between them as in pymupdf-blocks output. The run starts and ends at line boundaries.
_RUN = LinePattern(rf"{_SPACE}*(?P<run>\S(?:{_GAP}\S)+){_SPACE}*(?=\n|$)")
_ONE_CHAR_GAP = regex.compile(_GAP)

LONGEST_HEADLINE = 200
"""Characters of the longest vertical headline (the seeds' longest run holds 42). A longer
run of one-character lines is no headline (a list of characters, a column of a table), and
joining it would make one enormous line with an edit per line break."""
_HAN = regex.compile(r"\p{Han}")
_SUBTITLE_START = regex.compile(rf"[^—－]{_GAP}[—－]")
"""A character, then the first dash of a subtitle on the next line."""
_NEW_BLOCK = regex.compile(rf"\n{_SPACE}+$")
"""A gap that ends in a space at a line's start: an extractor's next text block begins."""


@register("vertical", "layout")
def join_vertical(text: str) -> StepResult:
    """Join a headline set vertically, one character per line, into one line.

    A run counts as vertical text when at least two thirds of its characters are
    Chinese and it is not longer than ``LONGEST_HEADLINE``; a run of single digits is left
    to the digits step.

    >>> join_vertical("孟\\n州\\n市\\n水\\n利\\n局\\n本报讯 目前").text
    '孟州市水利局\\n本报讯 目前'
    """
    changes = []
    for match in _RUN.finditer(text):
        run = match.group("run")
        chars = run.split(None, LONGEST_HEADLINE)
        if "\f" in run or len(chars) > LONGEST_HEADLINE or 3 * len(_HAN.findall(run)) < 2 * len(chars):
            continue
        base = match.start("run")
        # an opening bracket at the run's end opens the note under the headline, which goes on
        # past the run (（ / 2012 / 年 / 7 / 月31日，根据录音整理）): it is no character of the headline
        if chars[-1] in OPENING_MARKS:
            run = run[:-1].rstrip()
        # a subtitle set vertically under the headline (——《砥砺五年…》…篇) is a line of its
        # own, and a character after a line break and a space starts another text block: the
        # next headline (陳/誠 over  潮/州, each printed after its article)
        changes += [
            (base + gap.start(), base + gap.end(), "", "vertical")
            for gap in _ONE_CHAR_GAP.finditer(run)
            if not _SUBTITLE_START.match(run, gap.start() - 1) and not _NEW_BLOCK.search(gap.group())
        ]
    return rewrite(text, changes, "vertical")

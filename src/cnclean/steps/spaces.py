"""Remove justification spaces between Chinese characters and next to full-width punctuation."""

from __future__ import annotations

from functools import lru_cache

import regex

from ..model import StepResult, rewrite
from ..registry import register
from ..text import CJK_PUNCT, DIGITS

SPACE_CHARS = " \u3000\u00a0"
_SPACE = f"[{SPACE_CHARS}]"
_PUNCT = f"[{regex.escape(CJK_PUNCT)}]"
_SPREAD = 5
"""Characters between two spaces of one justified stretch."""
_CLAUSE = 80
"""How far a clause mark is looked for around a space: bounded, so a long line costs linear time."""

# A whole run of spaces inside a line (never at its start: indentation is the columns step's
# business), then one alternative per rule, each looking back over the run at what it follows.
_JUSTIFICATION = (
    rf"(?<!{_SPACE}.){_SPACE}*+(?:"
    # between two single Chinese characters: 张 蕊, 改 革 深 处 (seed 000, seed 004);
    # a space between longer words separates fields (本报记者 张蕊) and stays.
    rf"(?P<single>(?<=(?<!\p{{Han}})\p{{Han}}{_SPACE}+)(?=\p{{Han}}(?!\p{{Han}})))"
    # next to full-width punctuation: 联系点。 昨日, 个工作日 ，
    rf"|(?P<punct>(?<={_PUNCT}{_SPACE}+)(?=\S)|(?<=\S{_SPACE}+)(?={_PUNCT}))"
    # between a Chinese character and a number: 增长 16%, 16 名
    rf"|(?P<number>(?<=\p{{Han}}{_SPACE}+)(?=[{DIGITS}])|(?<=[{DIGITS}%％]{_SPACE}+)(?=\p{{Han}}))"
    # between words inside a sentence, with a clause mark before and after it on the line and no
    # bracket around it (seed 004: 景劲松在讲话中 要求，要继续夯实改革 基础，); fields such as
    # 本报讯（记者任华裔 陈大公） or a byline have no such marks around their spaces
    rf"|(?P<sentence>(?<=[，。；：！？][^\n（(）)]{{0,{_CLAUSE}}}\p{{Han}}{_SPACE}+)"
    rf"(?=\p{{Han}}[^\n（(）)]{{0,{_CLAUSE}}}[，。；！？]))"
    # one of several spaces a few characters apart in a sentence, which a justified line
    # spread over its width (机 关行 政效 能建 设眉 山现场会精神，), or one before the last
    # character of a clause (强化综治网络建 设，); names and fields set apart (特约记者 杜福建
    # 通讯员 汪博, 第3版 要闻 责任编辑 李佩佩) reach no clause mark, and the space after a
    # dateline (本报讯 强化综 治网络建设，) stays
    rf"|(?P<spread>(?<=\p{{Han}}(?<![讯电]){_SPACE}+)(?=\p{{Han}}[^\n（(）)]{{0,{_CLAUSE}}}[，。；：！？])"
    rf"(?:(?<=\p{{Han}}{_SPACE}+\p{{Han}}{{1,{_SPREAD}}}{_SPACE}+)|(?=\p{{Han}}{{1,{_SPREAD}}}{_SPACE}+\p{{Han}}|\p{{Han}}[，。；：！？])))"
    r")"
)


@lru_cache(maxsize=8)
def _justification(present: str) -> regex.Pattern:
    """The pattern for a text that holds only the space characters ``present``.

    Led by a single character rather than a class, the engine jumps from one space to the
    next instead of trying every character; most texts hold only one kind of space.
    """
    lead = regex.escape(present) if len(present) == 1 else f"[{present}]"
    return regex.compile(lead + _JUSTIFICATION)


@register("spaces", "layout")
def remove_spaces(text: str) -> StepResult:
    """Remove justification spaces between Chinese characters and next to full-width punctuation.

    A space between two words of several characters separates fields and stays; Latin
    text and spaces at the start of a line are never touched.

    >>> remove_spaces("本报记者 张 蕊").text
    '本报记者 张蕊'
    >>> remove_spaces("联系点。 昨日，同比增长 16%").text
    '联系点。昨日，同比增长16%'
    >>> remove_spaces("今年以来，景劲松在讲话中 要求，要继续夯实改革 基础。").text
    '今年以来，景劲松在讲话中要求，要继续夯实改革基础。'
    """
    present = "".join(char for char in SPACE_CHARS if char in text)
    if not present:
        return StepResult(text)
    changes = [(m.start(), m.end(), "", m.lastgroup) for m in _justification(present).finditer(text)]
    return rewrite(text, changes, "spaces")

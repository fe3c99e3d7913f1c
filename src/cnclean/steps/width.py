"""Full-width Latin letters and digits to half-width; Chinese punctuation untouched."""

from __future__ import annotations

import regex

from ..model import StepResult, rewrite
from ..registry import register

FULL_WIDTH_ALNUM = regex.compile(r"[０-９Ａ-Ｚａ-ｚ]+")
TO_HALF_WIDTH = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}


@register("width", "normalize")
def normalize_width(text: str) -> StepResult:
    """Full-width Latin letters and digits to half-width; Chinese punctuation untouched.

    Unlike NFKC, this never turns ``，。（）“”`` or the ideographic space into ASCII.

    >>> normalize_width("２０１４年，ＡＢＣ公司（北京）").text
    '2014年，ABC公司（北京）'
    """
    changes = [(m.start(), m.end(), m.group().translate(TO_HALF_WIDTH), "half_width")
               for m in FULL_WIDTH_ALNUM.finditer(text)]
    return rewrite(text, changes, "width")

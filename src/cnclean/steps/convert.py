"""Convert between traditional and simplified Chinese with OpenCC."""

from __future__ import annotations

from os.path import commonprefix
import re
from functools import lru_cache

import opencc
import regex

from ..errors import ConfigError
from ..model import Change, StepResult, rewrite
from ..registry import register

CONFIGS = {"s": "t2s", "t": "s2t", "tw": "s2tw", "twp": "s2twp", "hk": "s2hk"}
"""The OpenCC configuration for each target: simplified, traditional, Taiwan (with its
phrases: twp), Hong Kong."""

HANZI_BLOCKS = (range(0x3400, 0x4DC0), range(0x4E00, 0xA000), range(0xF900, 0xFB00))


@lru_cache(maxsize=8)
def converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@lru_cache(maxsize=2)
def script_pattern(script: str) -> re.Pattern:
    """Characters that only one script uses: ``t`` those OpenCC simplifies, ``s`` those it makes traditional.

    Compiled with ``re``, which keeps a class of thousands of characters as a bitmap;
    ``regex`` tests them one by one and is hundreds of times slower here.
    """
    chars = [chr(code) for block in HANZI_BLOCKS for code in block]
    converted = converter("t2s" if script == "t" else "s2t").convert("\n".join(chars)).split("\n")
    own = "".join(c for c, other in zip(chars, converted) if other != c)
    return re.compile(f"[{re.escape(own)}]")


PHRASE_RUN = regex.compile(r"[\p{Han}A-Za-z0-9]+")
"""A stretch OpenCC may convert as a phrase (Chinese, and the Latin or digits of U盘, 3D打印)."""


def _char_spans(old: str, new: str) -> list[tuple[int, int, str]]:
    """Runs of differing characters between two strings of the same length."""
    spans: list[tuple[int, int, str]] = []
    for i, (a, b) in enumerate(zip(old, new)):
        if a != b:
            if spans and spans[-1][1] == i:
                start, _, text = spans.pop()
                spans.append((start, i + 1, text + b))
            else:
                spans.append((i, i + 1, b))
    return spans


def _phrase_span(old: str, new: str) -> tuple[int, int, str]:
    """The one span of ``old`` that became ``new``'s middle, common ends trimmed, never empty."""
    prefix = len(commonprefix([old, new]))
    suffix = len(commonprefix([old[prefix:][::-1], new[prefix:][::-1]]))
    if prefix + suffix >= min(len(old), len(new)):
        prefix = max(0, min(len(old), len(new)) - suffix - 1)
        suffix = min(suffix, min(len(old), len(new)) - prefix - 1)
    return prefix, len(old) - suffix, new[prefix:len(new) - suffix]


def _changed_spans(line: str, config: str) -> list[tuple[int, int, str]]:
    """Where OpenCC changes ``line``: per character, or per phrase where a phrase changes length."""
    convert = converter(config).convert
    converted = convert(line)
    if len(converted) == len(line):
        return _char_spans(line, converted)
    # OpenCC phrases can change the length (s2twp: U盘 -> 隨身碟); each such phrase is one span.
    spans = []
    for run in PHRASE_RUN.finditer(line):
        old, new = run.group(), convert(run.group())
        pieces = _char_spans(old, new) if len(new) == len(old) else [_phrase_span(old, new)]
        spans += [(run.start() + a, run.start() + b, text) for a, b, text in pieces]
    return spans


@register("convert", "normalize")
def convert_script(text: str, *, to: str = "s", force: bool = False) -> StepResult:
    """Convert between traditional and simplified Chinese with OpenCC.

    ``to`` is ``s`` (simplified), ``t`` (traditional), ``tw``, ``twp`` (Taiwan, with Taiwan
    phrases) or ``hk``. By default a line is converted only when it has more characters of
    the other script than of the target's, so a quotation in the other script inside a
    paragraph, or a mixed document's other part, is left as written; ``force`` converts all.

    >>> convert_script("政府工作報告\\n他说：“國家”").text
    '政府工作报告\\n他说：“國家”'
    """
    if to not in CONFIGS:
        raise ConfigError(f"convert: unknown target {to!r}; use one of {', '.join(CONFIGS)}")
    config = CONFIGS[to]
    other = script_pattern("t" if to == "s" else "s")
    own = script_pattern("s" if to == "s" else "t")
    changes: list[Change] = []
    start = 0
    for line in text.split("\n"):
        if force or (other.search(line) and len(other.findall(line)) > len(own.findall(line))):
            changes.extend((start + a, start + b, new, config) for a, b, new in _changed_spans(line, config))
        start += len(line) + 1
    return rewrite(text, changes, "convert")

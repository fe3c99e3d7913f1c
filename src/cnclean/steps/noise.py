"""Remove page furniture: watermark lines, web boilerplate, editor codes.

The rules are data (``data/noise_rules.tsv``: a name, a pattern and an example per line) so
that users can read them and add their own. Every match is removed; when the matches leave
only white space on a line, the whole line goes with its line break, so a watermark that
column damage set between two halves of a paragraph leaves no gap behind.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import regex

from ..errors import ConfigError
from ..model import Change, StepResult, rewrite
from ..registry import register

BLANK = " \t\u3000"
"""Horizontal white space, the ideographic space included."""


@dataclass(frozen=True)
class Rule:
    """One noise rule: every match of ``pattern`` is page furniture; ``example`` is one."""

    name: str
    pattern: str
    example: str


_ESCAPE = regex.compile(r"\\(?:n|x([0-9A-Fa-f]{2}))")


def _unescape(match: regex.Match) -> str:
    """An example's ``\\n`` is a line break, ``\\xHH`` the character with that code."""
    return chr(int(match.group(1), 16)) if match.group(1) else "\n"


def parse_rules(source: str, origin: str = "rules") -> tuple[Rule, ...]:
    """Read rules in the data file's form: ``name<TAB>pattern<TAB>example``, ``#`` comments.

    >>> [r.name for r in parse_rules("# watermarks\\nwatermark_id\\tnlc\\\\d+\\tnlc2023")]
    ['watermark_id']
    """
    rules = []
    for number, line in enumerate(source.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not all(fields):
            raise ConfigError(f"{origin}, line {number}: expected name, pattern and example separated by tabs")
        name, pattern, example = fields
        try:
            regex.compile(pattern, regex.MULTILINE)
        except regex.error as error:
            raise ConfigError(f"{origin}, line {number}: rule {name!r} has a bad pattern: {error}") from None
        rules.append(Rule(name, pattern, _ESCAPE.sub(_unescape, example)))
    return tuple(rules)


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[Rule, ...]:
    """The rules shipped with cnclean."""
    source = resources.files("cnclean").joinpath("data/noise_rules.tsv").read_text(encoding="utf-8")
    return parse_rules(source, "noise_rules.tsv")


@lru_cache(maxsize=16)
def user_rules(path: str) -> tuple[Rule, ...]:
    """The rules of a user's rules file (same form as the shipped one)."""
    try:
        source = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read the rules file {path}: {error.strerror or error}") from None
    return parse_rules(source, path)


LEADING_WORDS = regex.compile(
    r"(?P<head>\(\?<=(?:[^()]|\([^()]*\))*\))?\(\?:(?P<words>[^|()\[\]{}?*+.^$\\]+(?:\|[^|()\[\]{}?*+.^$\\]+)+)\)(?![*+?{])(?P<tail>.*)",
    regex.DOTALL,
)
"""A pattern that starts (after a look-behind) with a choice of plain words: ``(?<=^ *)(?:上一篇|下一篇)…``."""


def _variants(pattern: str) -> list[str]:
    """The pattern split into one pattern per leading word, or the pattern itself.

    The engine jumps straight to a leading literal but tries an alternation at every
    position, so ``上一篇…`` and ``下一篇…`` scanned apart are several times faster than
    ``(?:上一篇|下一篇)…`` once.

    >>> _variants("(?<=^ *)(?:上一篇|下一篇)[:：]")
    ['(?<=^ *)上一篇[:：]', '(?<=^ *)下一篇[:：]']
    >>> _variants("(?:上一|下一)+篇")
    ['(?:上一|下一)+篇']
    """
    match = LEADING_WORDS.fullmatch(pattern)
    if not match:
        return [pattern]
    head = match.group("head") or ""
    return [head + word + match.group("tail") for word in match.group("words").split("|")]


@lru_cache(maxsize=16)
def compile_rules(rules: tuple[Rule, ...]) -> tuple[tuple[int, str, regex.Pattern], ...]:
    """Each rule's compiled patterns with the rule's number and name, scanned rule by rule:
    one alternation of all rules would defeat the engine's search for a leading literal."""
    return tuple((number, rule.name, regex.compile(variant, regex.MULTILINE))
                 for number, rule in enumerate(rules) for variant in _variants(rule.pattern))


INLINE_FLAGS = regex.compile(r"\(\?[a-zA-Z#]")
SPECIAL = set("\\.^$|?*+()[]{}")
QUANTIFIERS = set("?*+{")


@lru_cache(maxsize=1024)
def required_word(pattern: str) -> str:
    """The longest word of two or more characters that every match of ``pattern`` holds, or ``""``.

    Most rules hold a word that few pages do (``上一篇``, ``ICP``); a page without it is not
    scanned for the rule. Plain characters outside any group and character class are in every
    match, unless a quantifier makes one optional or the pattern has a choice outside its groups.
    A single character such as ``（`` is on most pages and not worth testing.

    >>> required_word("(?<=^[ \\t]*)上一篇[:：]"), required_word("当前位置是?[:：]"), required_word("^[^\\n]*ICP[备证]")
    ('上一篇', '当前位置', 'ICP')
    >>> required_word("上一篇|下一篇"), required_word("(?:上|下)一篇"), required_word("（[^（）]+")
    ('', '一篇', '')
    """
    if INLINE_FLAGS.search(pattern):
        return ""  # a flag such as (?i) changes what the characters match; a comment may hold anything
    words = [""]
    depth = 0
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            words.append("")
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            words.append("")
            in_class = True
            i += 2 if pattern.startswith("^]", i + 1) else 1 if pattern.startswith("]", i + 1) else 0
        elif char == "{":
            words.append("")
            close = pattern.find("}", i)
            i = len(pattern) if close < 0 else close + 1  # a count such as {0,40} is no text
            continue
        elif char == "|" and depth == 0:
            return ""  # ``上一篇|下一篇`` need not hold either
        elif char in SPECIAL or depth:
            depth += (char == "(") - (char == ")")
            words.append("")
        elif i + 1 < len(pattern) and pattern[i + 1] in QUANTIFIERS:
            words.append("")  # ``是?``: not in every match
        else:
            words[-1] += char
        i += 1
    word = max(words, key=len)
    return word if len(word) > 1 else ""


Scan = tuple[int, str, regex.Pattern, str]
"""A compiled pattern with its rule's number and name and the word it requires."""


@lru_cache(maxsize=16)
def _scanners(rules: tuple[Rule, ...]) -> tuple[tuple[Scan, ...], re.Pattern | None, dict[str, frozenset[str]]]:
    """Each compiled pattern with its required word; one pattern for those words, longest first;
    and for each word the words its find vouches for: those it holds, and those that may start
    inside it and run on.

    The standard library's engine scans an alternation of plain words several times faster
    than ``regex``, and one scan for all words is faster than a test per word.
    """
    scans = tuple((number, name, pattern, required_word(pattern.pattern))
                  for number, name, pattern in compile_rules(rules))
    words = sorted({scan[3] for scan in scans} - {""}, key=len, reverse=True)
    if not words:
        return scans, None, {}
    vouched = {word: frozenset(other for other in words if other in word or any(
        other.startswith(word[i:]) for i in range(1, len(word)))) for word in words}
    return scans, re.compile("|".join(map(re.escape, words))), vouched


@lru_cache(maxsize=16)
def compile_learned(lines: tuple[str, ...]) -> regex.Pattern | None:
    """A pattern for whole lines equal to one of the learned boilerplate lines."""
    wanted = sorted({line.strip(BLANK) for line in lines} - {""}, key=len, reverse=True)
    if not wanted:
        return None
    body = "|".join(regex.escape(line) for line in wanted)
    return regex.compile(f"^[{BLANK}]*(?:{body})[{BLANK}]*$", regex.MULTILINE)


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The start of the line holding ``start`` and the end (after its line break) of the one holding ``end``."""
    line_end = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end + 1


def _blank(text: str) -> bool:
    return not text.strip(BLANK + "\n")


def _plan(text: str, matches: Iterable[tuple[int, int, int, str]]) -> list[Change]:
    """Removals in text order; where two rules match overlapping text, the earlier listed rule wins.

    When the removals on a line leave only white space, they take the rest of the line with
    them: the first reaches back to the line start, the gaps join the next removal and the
    last takes the line break.
    """
    chosen: list[tuple[int, int, str]] = []
    for start, end, _, rule in sorted(matches, key=lambda m: (m[0], m[2])):
        if start < end and (not chosen or start >= chosen[-1][1]):
            chosen.append((start, end, rule))
    changes: list[Change] = []
    i = 0
    while i < len(chosen):
        line_start, line_end = _line_bounds(text, chosen[i][0], chosen[i][1])
        group = [chosen[i]]
        while i + len(group) < len(chosen) and chosen[i + len(group)][0] < line_end:
            group.append(chosen[i + len(group)])
            line_end = _line_bounds(text, group[-1][0], group[-1][1])[1]
        pieces = [text[line_start:group[0][0]], text[group[-1][1]:line_end]]
        pieces += [text[a[1]:b[0]] for a, b in zip(group, group[1:])]
        if all(_blank(piece) for piece in pieces):
            starts = [line_start] + [a[1] for a in group[:-1]]
            ends = [m[1] for m in group[:-1]] + [line_end]
            changes += [(s, e, "", m[2]) for s, m, e in zip(starts, group, ends)]
        else:
            changes += [(m[0], m[1], "", m[2]) for m in group]
        i += len(group)
    return changes


def find_noise(text: str, rules: tuple[Rule, ...], learned: tuple[str, ...] = ()) -> list[tuple[int, int, int, str]]:
    """Every match of the rules in ``text`` as ``(start, end, rule number, rule name)``.

    A rule is tried only if the text holds the word it requires. The scan for the words finds
    the longest word at each place and goes on after it: the words inside a find, or
    overlapping its end, are counted in with it.
    """
    scans, finder, vouched = _scanners(rules)
    present = set().union(*(vouched[word] for word in set(finder.findall(text)))) if finder else set()
    found = [(m.start(), m.end(), number, name)
             for number, name, pattern, word in scans if not word or word in present
             for m in pattern.finditer(text)]
    learned_pattern = compile_learned(learned)
    if learned_pattern is not None:
        found += [(m.start(), m.end(), len(rules), "learned") for m in learned_pattern.finditer(text)]
    return found


@register("noise", "remove")
def remove_noise(text: str, *, rules_file: str | None = None, learned: Sequence[str] = ()) -> StepResult:
    """Remove page furniture: watermark lines, web boilerplate, editor codes.

    ``rules_file`` adds a user's rules to the shipped ones; ``learned`` lists lines found
    to recur across a batch (see ``learn_boilerplate``), removed where they are a whole line.
    A date line, a continuation note such as ``（下转二版）`` or a number in a sentence stay.

    >>> remove_noise("要加强党纪教(本文权属文秘之音所有,更多文章请登陆查看)育。\\nnlc202309090206\\n支撑。③8").text
    '要加强党纪教育。\\n支撑。'
    """
    rules = builtin_rules() + (user_rules(rules_file) if rules_file else ())
    matches = find_noise(text, rules, tuple(learned))
    if not matches:
        return StepResult(text)
    return rewrite(text, _plan(text, matches), "noise")


LEADS_ON = ("：", ":", "，", ",", "、")
"""Line ends that lead into what follows: such a line is a salutation or a label, not boilerplate."""


def learn_boilerplate(texts: Iterable[str], *, min_share: float = 0.6, min_files: int = 3,
                      min_chars: int = 6) -> list[str]:
    """Lines that recur in many files of one batch: the site's boilerplate, to remove with ``learned``.

    A line counts once per file; it is learned when at least ``min_files`` files and
    ``min_share`` of all files hold it. Short lines (a lone ``一、``, a page number) and lines
    that lead into what follows (``同志们：``, a salutation in every speech) are never learned.

    >>> pages = ["返回新闻列表页面\\n今年3月，我参加全国人大会。", "返回新闻列表页面\\n同志们：", "返回新闻列表页面\\n同志们："]
    >>> learn_boilerplate(pages, min_files=2)
    ['返回新闻列表页面']
    """
    counts: Counter[str] = Counter()
    files = 0
    for text in texts:
        files += 1
        counts.update({line.strip(BLANK) for line in text.split("\n")})
    needed = max(min_files, min_share * files)
    return sorted(line for line, count in counts.items()
                  if count >= needed and len(line) >= min_chars and not line.endswith(LEADS_ON))


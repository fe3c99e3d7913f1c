"""The shared data types: an edit, the result of a step, a step, a piece.

Every repair step is a pure function ``(text, **options) -> StepResult``. The result
carries the new text and the edits that turn the old text into it, so that a report
can say exactly what changed and the edits can be replayed or inverted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Literal, NamedTuple

StepKind = Literal["layout", "normalize", "remove", "reorder"]


class Edit(NamedTuple):
    """One replacement: ``old`` at ``text[start:end]`` of the step's input became ``new``.

    A named tuple: a page of column-split lines makes tens of thousands of edits, and a
    tuple is built three times faster than a frozen dataclass.
    """

    step: str
    start: int
    end: int
    old: str
    new: str
    rule: str = ""

    def to_dict(self) -> dict:
        return {
            "step": self.step,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
            "old": self.old,
            "new": self.new,
        }


@dataclass(frozen=True, slots=True)
class StepResult:
    """The text a step produced and the edits it made (empty when unchanged)."""

    text: str
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True, slots=True)
class Step:
    """A registered repair: one name for the library, the CLI, the config and the report.

    ``kind`` states what the step may change and so which invariant its tests check:
    ``layout`` changes only white space and line breaks, ``normalize`` replaces characters
    by equivalents, ``remove`` drops content (every drop is an edit whose ``old`` holds it).
    """

    name: str
    kind: StepKind
    func: Callable[..., StepResult]
    summary: str

    def __call__(self, text: str, **options) -> StepResult:
        return self.func(text, **options)


@dataclass(frozen=True, slots=True)
class Piece:
    """One separate piece of a page (an article, a caption, a notice) after splitting."""

    text: str
    kind: str = "article"
    title: str = ""
    subtitle: str = ""
    byline: str = ""
    paragraphs: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "title": self.title,
            "subtitle": self.subtitle,
            "byline": self.byline,
            "kind": self.kind,
        }


Change = tuple[int, int, str, str]
"""A planned replacement ``(start, end, new, rule)`` in a step's input text."""


def rewrite(text: str, changes: Iterable[Change], step: str) -> StepResult:
    """Apply sorted, non-overlapping changes to ``text`` and record them as edits.

    This is the one place where steps turn their decisions into text and edits, so
    no step computes offsets by hand. Changes that replace a span by itself are dropped.

    >>> r = rewrite("今年\\n3\\n月", [(2, 3, "", "join"), (4, 5, "", "join")], "digits")
    >>> r.text
    '今年3月'
    >>> [(e.start, e.old) for e in r.edits]
    [(2, '\\n'), (4, '\\n')]
    """
    parts: list[str] = []
    edits: list[Edit] = []
    pos = 0
    for start, end, new, rule in changes:
        if start < pos:
            raise ValueError(f"step {step!r} planned overlapping changes at offset {start}")
        old = text[start:end]
        if old == new:
            continue
        parts.append(text[pos:start])
        parts.append(new)
        edits.append(Edit(step, start, end, old, new, rule))
        pos = end
    if not edits:
        return StepResult(text)
    parts.append(text[pos:])
    return StepResult("".join(parts), tuple(edits))


def undo(text: str, edits: Iterable[Edit]) -> str:
    """Rebuild a step's input from its output and its edits (the ledger inversion).

    >>> r = rewrite("增长 16%", [(2, 3, "", "space")], "spaces")
    >>> undo(r.text, r.edits)
    '增长 16%'
    """
    parts: list[str] = []
    pos = 0
    shift = 0
    for edit in edits:
        out_start = edit.start + shift
        parts.append(text[pos:out_start])
        parts.append(edit.old)
        pos = out_start + len(edit.new)
        shift += len(edit.new) - len(edit.old)
    parts.append(text[pos:])
    return "".join(parts)

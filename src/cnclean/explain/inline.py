"""Show changes character by character: a line diff of a Chinese paragraph would mark it all."""

from __future__ import annotations

import difflib
from typing import Iterable, Sequence

from ..model import Edit, rewrite
from ..pipeline import StepRun

VISIBLE = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f", "\u3000": "\\u3000", "\u2028": "\\u2028"})
"""Line ends and other invisible characters written as escapes, so each change fits on one line."""


def visible(text: str) -> str:
    """Escape line ends and invisible characters.

    >>> visible("今年\\n\\n3")
    '今年\\\\n\\\\n3'
    """
    return text.translate(VISIBLE)


def mark(old: str, new: str) -> str:
    """An edit in wdiff style: ``[-removed-]{+inserted+}``."""
    parts = []
    if old:
        parts.append(f"[-{visible(old)}-]")
    if new:
        parts.append(f"{{+{visible(new)}+}}")
    return "".join(parts)


def inline_diff(text: str, edits: Sequence[Edit], context: int = 8) -> list[str]:
    """One line per group of nearby edits of a step, with ``context`` characters around.

    ``text`` is the step's input, ``edits`` its edits (sorted, offsets in ``text``).

    >>> edits = [Edit("digits", 2, 4, "\\n\\n", ""), Edit("digits", 5, 7, "\\n\\n", "")]
    >>> inline_diff("今年\\n\\n3\\n\\n月，我参加", edits)
    ['今年[-\\\\n\\\\n-]3[-\\\\n\\\\n-]月，我参加']
    """
    lines = []
    group: list[Edit] = []
    for edit in edits:
        if group and edit.start - group[-1].end > 2 * context:
            lines.append(_snippet(text, group, context))
            group = []
        group.append(edit)
    if group:
        lines.append(_snippet(text, group, context))
    return lines


def _snippet(text: str, edits: Sequence[Edit], context: int) -> str:
    start = max(0, edits[0].start - context)
    end = min(len(text), edits[-1].end + context)
    parts = ["…" if start else ""]
    pos = start
    for edit in edits:
        parts.append(visible(text[pos:edit.start]))
        parts.append(mark(edit.old, edit.new))
        pos = edit.end
    parts.append(visible(text[pos:end]))
    parts.append("…" if end < len(text) else "")
    return "".join(parts)


def unified_diff(before: str, after: str, name: str) -> Iterable[str]:
    """A unified diff of the lines, for tools that read patches."""
    return difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}", f"b/{name}"
    )


def explain_runs(before: str, runs: Sequence[StepRun], context: int = 8) -> list[str]:
    """Step run by step run, a heading and the inline diff of each of its changes.

    >>> runs = [StepRun(1, "digits", (Edit("digits", 2, 3, "\\n", ""),))]
    >>> explain_runs("今年\\n3月", runs)
    ['-- digits (round 1): 1 edit', '今年[-\\\\n-]3月']
    """
    lines = []
    text = before
    for run in runs:
        count = len(run.edits)
        lines.append(f"-- {run.step} (round {run.round}): {count} edit{'' if count == 1 else 's'}")
        lines.extend(inline_diff(text, run.edits, context))
        text = rewrite(text, [(e.start, e.end, e.new, e.rule) for e in run.edits], run.step).text
    return lines

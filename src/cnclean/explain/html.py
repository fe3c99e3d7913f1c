"""A report a person can review in a browser: each changed document's input and output side by side.

Edits are traced back through every step run to the characters of the input, so the left
column marks what was removed (line joins, spaces, content) and the right column what was
inserted and where lines were joined.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from ..pipeline import StepRun
from .summary import Summary

if TYPE_CHECKING:
    from ..batch import FileResult

MAX_DOCUMENTS = 200
"""Documents shown in full; a report over a whole corpus lists the rest only in the summary."""


def edit_class(old: str, new: str) -> str:
    """What an edit does, for its colour: a line join, a space change, a removal or a replacement.

    >>> edit_class("\\n\\n", ""), edit_class(" ", ""), edit_class("本报记者", "")
    ('join', 'space', 'remove')
    """
    if not old.strip() and not new.strip():
        return "join" if "\n" in old and "\n" not in new else "space"
    return "remove" if not new else "replace"


@dataclass
class _Span:
    text: str
    origin: int | None  # offset in the input, or None for inserted text
    css: str = ""


def trace(before: str, runs: Sequence[StepRun]) -> tuple[list[tuple[int, int, str]], list[_Span]]:
    """Follow the edits of ``runs`` from ``before``: removed input ranges and the output as spans.

    >>> from ..model import Edit
    >>> removed, spans = trace("今年\\n3月", [StepRun(1, "digits", (Edit("digits", 2, 3, "\\n", ""),))])
    >>> removed, "".join(s.text for s in spans)
    ([(2, 3, 'join')], '今年3月')
    """
    spans = [_Span(before, 0)]
    removed: list[tuple[int, int, str]] = []
    for run in runs:
        spans = _apply(spans, run.edits, removed)
    return sorted(removed), spans


def _apply(spans: list[_Span], edits: Iterable, removed: list) -> list[_Span]:
    out: list[_Span] = []
    queue = list(spans)
    pos = 0  # offset of queue[0] in the step's input
    for edit in edits:
        # keep what comes before the edit
        while queue and pos + len(queue[0].text) <= edit.start:
            pos += len(queue[0].text)
            out.append(queue.pop(0))
        if queue and pos < edit.start:
            head, tail = _split(queue[0], edit.start - pos)
            out.append(head)
            queue[0] = tail
            pos = edit.start
        css = edit_class(edit.old, edit.new)
        # drop what the edit replaces
        need = edit.end - edit.start
        while need and queue:
            first = queue[0]
            if len(first.text) <= need:
                taken = queue.pop(0)
            else:
                taken, queue[0] = _split(first, need)
            need -= len(taken.text)
            pos += len(taken.text)
            if taken.origin is not None:
                removed.append((taken.origin, taken.origin + len(taken.text), css))
        out.append(_Span(edit.new, None, css))
    return out + queue


def _split(span: _Span, at: int) -> tuple[_Span, _Span]:
    origin = None if span.origin is None else span.origin + at
    return _Span(span.text[:at], span.origin, span.css), _Span(span.text[at:], origin, span.css)


def _render_input(before: str, removed: list[tuple[int, int, str]]) -> str:
    parts, pos = [], 0
    for start, end, css in removed:
        parts.append(html.escape(before[pos:start]))
        shown = html.escape(before[start:end]).replace("\n", "↵\n")
        parts.append(f'<del class="{css}">{shown}</del>')
        pos = end
    parts.append(html.escape(before[pos:]))
    return "".join(parts)


def _render_output(spans: list[_Span]) -> str:
    parts = []
    for span in spans:
        if span.origin is not None:
            parts.append(html.escape(span.text))
        elif span.text:
            parts.append(f'<ins class="{span.css}">{html.escape(span.text)}</ins>')
        else:
            parts.append(f'<ins class="{span.css} point" title="{span.css}"></ins>')
    return "".join(parts)


STYLE = """
body { font: 15px/1.6 system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 24px; color: #222; }
h1 { font-size: 20px; margin: 0 0 8px; } h2 { font-size: 16px; margin: 28px 0 6px; }
table.steps { border-collapse: collapse; margin: 8px 0 16px; }
table.steps td, table.steps th { border: 1px solid #ccc; padding: 3px 10px; text-align: right; }
table.steps th:first-child, table.steps td:first-child { text-align: left; }
.legend span { margin-right: 14px; padding: 1px 6px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.pair pre { white-space: pre-wrap; word-break: break-all; margin: 0; padding: 10px; border: 1px solid #ddd;
            background: #fafafa; font: inherit; max-height: 640px; overflow: auto; }
.pair h3 { font-size: 13px; color: #666; margin: 0 0 4px; font-weight: normal; }
del { text-decoration: none; } ins { text-decoration: none; }
del.join { background: #ffd9a8; color: #b35900; } del.space { background: #9fc4ff; padding: 0 2px; }
del.remove { background: #ffc9c9; text-decoration: line-through; } del.replace { background: #ffc9c9; }
ins.replace, ins.remove { background: #c9f2c9; } ins.space { background: #d7e7ff; }
ins.point { display: inline-block; width: 3px; height: 1.1em; vertical-align: text-bottom; margin: 0 1px; }
ins.point.join { background: #e67e00; } ins.point.space { background: #4a90e2; } ins.point.remove { background: #d33; }
.failed { color: #b00; }
"""


def render_report(results: Iterable["FileResult"], summary: Summary, title: str = "cnclean report") -> str:
    """The whole HTML page: the summary and per-step table on top, then each changed document."""
    body = [f"<h1>{html.escape(title)}</h1>", f"<p>{html.escape(summary.headline())}</p>"]
    rows = "".join(f"<tr><td>{name}</td><td>{edits:,}</td><td>{removed:,}</td></tr>"
                   for name, edits, removed in summary.step_rows())
    body.append(f'<table class="steps"><tr><th>step</th><th>edits</th><th>characters removed</th></tr>{rows}</table>')
    body.append('<p class="legend"><span style="background:#ffd9a8">line joined</span>'
                '<span style="background:#9fc4ff">space</span><span style="background:#ffc9c9">removed</span>'
                '<span style="background:#c9f2c9">inserted</span></p>')
    for name, error in summary.failed:
        body.append(f'<p class="failed">{html.escape(name)}: {html.escape(error)}</p>')
    shown = 0
    for result in results:
        for change in result.changes:
            if shown == MAX_DOCUMENTS:
                body.append(f"<p>… only the first {MAX_DOCUMENTS} changed documents are shown.</p>")
                return _page(title, body)
            shown += 1
            removed, spans = trace(change.before, change.runs)
            label = result.source.name + (f" (document {change.index})" if change.index else "")
            steps = ", ".join(f"{run.step} {len(run.edits)}" for run in change.runs)
            body.append(f"<h2>{html.escape(label)}</h2><p>{html.escape(steps)}</p>")
            body.append('<div class="pair"><div><h3>input</h3><pre>' + _render_input(change.before, removed)
                        + '</pre></div><div><h3>output</h3><pre>' + _render_output(spans) + "</pre></div></div>")
    return _page(title, body)


def _page(title: str, body: list[str]) -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")

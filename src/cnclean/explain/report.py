"""The edit report: one JSON record per edit, enough to replay the run on the input."""

from __future__ import annotations

import json
from typing import Iterable, Iterator, Mapping

from ..model import rewrite
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .. import batch


def edit_records(result: "batch.FileResult") -> Iterator[dict]:
    """Every edit of a file, in the order it was made.

    ``document`` is the JSONL line number of the record (0 for a text file); ``round`` and
    ``step`` say which step run made it; offsets are in the text that step run received.
    """
    for change in result.changes:
        for run in change.runs:
            for edit in run.edits:
                yield {"file": result.source.name, "document": change.index, "round": run.round,
                       **edit.to_dict()}


def write_records(handle, records: Iterable[Mapping]) -> int:
    """Write records as JSONL (UTF-8, non-ASCII as is); return how many."""
    count = 0
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        count += 1
    return count


def replay(text: str, records: Iterable[Mapping]) -> str:
    """Apply the report's edits of one document to its input, step run by step run.

    >>> records = [{"round": 1, "step": "digits", "start": 2, "end": 4, "old": "\\n\\n", "new": "", "rule": ""}]
    >>> replay("今年\\n\\n3月", records)
    '今年3月'
    """
    run_key = None
    changes: list[tuple[int, int, str, str]] = []
    for record in records:
        key = (record["round"], record["step"])
        if key != run_key and changes:
            text = rewrite(text, changes, str(run_key[1])).text
            changes = []
        run_key = key
        if text[record["start"]:record["end"]] != record["old"]:
            raise ValueError(f"the report does not match the text at offset {record['start']}")
        changes.append((record["start"], record["end"], record["new"], record["rule"]))
    if changes:
        text = rewrite(text, changes, str(run_key[1])).text
    return text

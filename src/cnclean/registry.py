"""The step registry: one name per repair, used by the library, the CLI, the config and the report."""

from __future__ import annotations

from typing import Callable

from .model import Step, StepKind, StepResult

STEPS: dict[str, Step] = {}


def register(name: str, kind: StepKind) -> Callable[[Callable[..., StepResult]], Callable[..., StepResult]]:
    """Register a step function under ``name``; its docstring's first line is its summary."""

    def decorate(func: Callable[..., StepResult]) -> Callable[..., StepResult]:
        if name in STEPS:
            raise ValueError(f"step {name!r} is registered twice")
        summary = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else name
        STEPS[name] = Step(name, kind, func, summary)
        return func

    return decorate

"""Compose registered steps: run them in a fixed order, round after round, until the text is stable."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .errors import ConfigError, PipelineError, TimeLimit
from .model import Edit
from .registry import STEPS
from . import steps as _steps  # noqa: F401  (registers the steps)

ORDER: tuple[str, ...] = (
    "reflow",
    "noise",
    "untangle",
    "width",
    "vertical",
    "digits",
    "columns",
    "spaces",
    "punct",
    "convert",
    "dedup",
    "pieces",
)
"""The canonical order: side-by-side columns are read apart first, since every other step
works on lines; noise goes before layout so watermark lines do not break paragraphs (and
do not stand between the blocks ``untangle`` puts back in order);
layout before dedup so copies wrapped at other widths compare equal; pieces last."""

DEFAULT_STEPS: tuple[str, ...] = ("reflow", "noise", "untangle", "vertical", "digits", "columns", "spaces", "dedup", "pieces")
"""What ``fix`` runs by default: every repair, no normalization (width, punct, script)."""

PRESETS: dict[str, tuple[tuple[str, ...], dict[str, dict[str, Any]]]] = {
    "default": (DEFAULT_STEPS, {}),
    "corpus": (DEFAULT_STEPS + ("width", "punct", "convert"), {"convert": {"to": "s"}}),
}
"""Named step selections with their options; ``corpus`` also normalizes width, punctuation and script."""

MAX_ROUNDS = 8
"""Enough for chains where one removal uncovers the next repeat (a page of web notices each
repeating its metadata block settled in five rounds); a step pair that undoes each other
never settles and is reported."""


@dataclass(frozen=True)
class StepRun:
    """The edits one step made in one round."""

    round: int
    step: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class PipelineResult:
    """The final text and, in order, every step run that changed something."""

    text: str
    runs: tuple[StepRun, ...] = field(default=())
    rounds: int = 1

    @property
    def edits(self) -> tuple[Edit, ...]:
        return tuple(edit for run in self.runs for edit in run.edits)


def resolve_steps(names: Iterable[str]) -> tuple[str, ...]:
    """Check step names and put them in the canonical order."""
    wanted = list(dict.fromkeys(names))
    for name in wanted:
        if name not in STEPS:
            raise ConfigError(f"unknown step {name!r}; the steps are: {', '.join(ORDER)}")
    return tuple(name for name in ORDER if name in wanted)


def _check_options(name: str, options: Mapping[str, Any]) -> None:
    accepted = {
        p.name
        for p in inspect.signature(STEPS[name].func).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    for key in options:
        if key not in accepted:
            known = ", ".join(sorted(accepted)) or "none"
            raise ConfigError(f"step {name!r} has no option {key!r} (its options: {known})")


class Pipeline:
    """Run the selected steps in canonical order until a round changes nothing.

    >>> Pipeline(["digits"]).run("今年\\n\\n3\\n\\n月").text
    '今年3月'
    """

    def __init__(
        self,
        steps: Iterable[str] | None = None,
        options: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.steps = resolve_steps(DEFAULT_STEPS if steps is None else steps)
        self.options = {name: dict(opts) for name, opts in (options or {}).items()}
        for name, opts in self.options.items():
            if name not in STEPS:
                raise ConfigError(f"options given for unknown step {name!r}")
            _check_options(name, opts)

    @classmethod
    def from_preset(cls, preset: str = "default", **options: Mapping[str, Any]) -> "Pipeline":
        if preset not in PRESETS:
            raise ConfigError(f"unknown preset {preset!r}; the presets are: {', '.join(PRESETS)}")
        steps, preset_options = PRESETS[preset]
        merged = {name: {**preset_options.get(name, {}), **options.get(name, {})}
                  for name in set(preset_options) | set(options)}
        return cls(steps, merged)

    def run(self, text: str) -> PipelineResult:
        """Run rounds until one changes nothing.

        A step that changed nothing is not run again until another step changes the
        text: steps are deterministic, so on the same input it would change nothing again.
        (A step is not trusted to be idempotent: one that keeps changing its own output
        is reported.)
        """
        runs: list[StepRun] = []
        version = 0  # counts the changes made to the text so far
        settled_at: dict[str, int] = {}  # the text version on which a step changed nothing
        for round_no in range(1, MAX_ROUNDS + 1):
            changed = False
            for name in self.steps:
                if settled_at.get(name) == version:
                    continue
                try:
                    result = STEPS[name].func(text, **self.options.get(name, {}))
                except TimeLimit as limit:
                    raise TimeLimit(f"timeout in step {name!r}: {limit}") from None
                if result.edits:
                    runs.append(StepRun(round_no, name, result.edits))
                    text = result.text
                    version += 1
                    changed = True
                else:
                    settled_at[name] = version
            if not changed:
                return PipelineResult(text, tuple(runs), round_no)
        raise PipelineError(
            f"the steps {', '.join(self.steps)} did not settle after {MAX_ROUNDS} rounds; "
            "please report this input as a bug"
        )

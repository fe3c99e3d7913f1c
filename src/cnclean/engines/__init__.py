"""Engines: where the files of a batch are cleaned. Both run the batch runner's per-file unit.

The local engine is ``cnclean.batch.run_files`` (this process, or a pool of forked ones).
The Ray engine (``cnclean.engines.ray_engine``, extra ``cnclean[ray]``) runs the same
``cnclean.batch.process_file`` in Ray tasks, on one machine or a cluster, and yields the same
``FileResult``s, so the output bytes, the summary, the reports and the exit status do not
depend on the engine. ``cnclean fix DIR -o OUT --engine ray`` chooses it.

What crosses to a Ray worker must be picklable and small: the ``Source``s, the ``Job``, and a
``TransformSpec`` (step names and options) from which each worker builds its own ``Pipeline``.
``cnclean dedup --across --engine ray`` runs the stages of ``cnclean.across`` in Ray tasks
(``ray_engine.cluster_ray``) and finds the clusters the local run finds.

>>> TransformSpec(["digits", "noise"]).build().steps
('noise', 'digits')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence, TypeVar

from ..pipeline import Pipeline

__all__ = ["TransformSpec", "batches"]

T = TypeVar("T")


@dataclass(frozen=True)
class TransformSpec:
    """Step names and options, small and picklable, from which each worker builds its pipeline."""

    steps: tuple[str, ...] | None = None
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.steps is not None:
            object.__setattr__(self, "steps", tuple(self.steps))

    @classmethod
    def of(cls, pipeline: Pipeline) -> "TransformSpec":
        return cls(pipeline.steps, pipeline.options)

    def build(self) -> Pipeline:
        return Pipeline(self.steps, self.options)


def batches(items: Sequence[T], size: int) -> list[list[T]]:
    """Cut a list into consecutive batches of ``size`` items (the unit of work a task takes).

    >>> batches(list("abcde"), 2)
    [['a', 'b'], ['c', 'd'], ['e']]
    """
    return [list(items[start:start + size]) for start in range(0, len(items), size)]

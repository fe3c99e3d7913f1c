"""Invariant checks shared by the golden and the property tests (see RELIABILITY.md R1, R4-R6)."""

from __future__ import annotations

from collections import Counter

import regex

from cnclean.model import undo
from cnclean.pipeline import MAX_ROUNDS, Pipeline
from cnclean.registry import STEPS

WHITESPACE = regex.compile(r"\s")
PHRASE = regex.compile(r"[\p{Han}\p{Latin}\d]+")


def visible(text: str) -> str:
    return WHITESPACE.sub("", text)


def check_step(name: str, before: str, options: dict | None = None) -> str:
    """Run one step and assert what its kind promises; return its output."""
    step = STEPS[name]
    result = step(before, **(options or {}))
    after = result.text
    assert undo(after, result.edits) == before, f"{name}: edits do not rebuild the input"
    removed = Counter("".join(e.old for e in result.edits)) - Counter("".join(e.new for e in result.edits))
    added = Counter("".join(e.new for e in result.edits)) - Counter("".join(e.old for e in result.edits))
    assert Counter(before) - Counter(after) == removed, f"{name}: characters lost that no edit reports"
    assert Counter(after) - Counter(before) == added, f"{name}: characters gained that no edit reports"
    if step.kind == "layout":
        assert visible(after) == visible(before), f"{name}: a layout step changed non-space characters"
    if step.kind == "reorder":
        assert Counter(visible(after)) == Counter(visible(before)), f"{name}: a reorder step changed non-space characters"
    if step.kind == "normalize":
        for edit in result.edits:
            assert edit.old and edit.new and not WHITESPACE.search(edit.old + edit.new), \
                f"{name}: a normalize edit dropped or added characters or white space: {edit}"
            # OpenCC phrase tables map a phrase to one of another length (s2twp: 优化 -> 最佳化, U盘 -> 隨身碟).
            assert len(edit.old) == len(edit.new) or (PHRASE.fullmatch(edit.old) and PHRASE.fullmatch(edit.new)), \
                f"{name}: a normalize step changed the length outside a Chinese phrase: {edit}"
    return after


def checked_run(text: str, steps, options: dict | None = None) -> str:
    """Run a pipeline step by step with every invariant checked, until it settles."""
    pipeline = Pipeline(steps, options)
    for _ in range(MAX_ROUNDS):
        start = text
        for name in pipeline.steps:
            text = check_step(name, text, pipeline.options.get(name))
        if text == start:
            return text
    raise AssertionError(f"pipeline {pipeline.steps} did not settle")

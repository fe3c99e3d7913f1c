"""The pipeline and the shared data types: edits replay, order, options, fixed point."""

from __future__ import annotations

import pytest

from cnclean import ConfigError, PipelineError, fix_and_explain
from cnclean.model import StepResult, rewrite, undo
from cnclean.pipeline import DEFAULT_STEPS, ORDER, Pipeline, resolve_steps
from cnclean.registry import STEPS


def test_rewrite_records_each_change_and_undo_rebuilds_the_input():
    text = "本报记者 张 蕊\n\n今年\n\n3\n\n月"
    result = rewrite(text, [(6, 7, "", "space"), (12, 14, "", "join"), (15, 17, "", "join")], "demo")
    assert result.text == "本报记者 张蕊\n\n今年3月"
    assert [e.old for e in result.edits] == [" ", "\n\n", "\n\n"]
    assert undo(result.text, result.edits) == text


def test_rewrite_drops_changes_that_change_nothing():
    result = rewrite("今年3月", [(2, 3, "3", "same")], "demo")
    assert result == StepResult("今年3月")


def test_rewrite_refuses_overlapping_changes():
    with pytest.raises(ValueError, match="overlapping"):
        rewrite("今年3月", [(0, 2, "", "a"), (1, 3, "", "b")], "demo")


def test_steps_run_in_canonical_order_whatever_order_they_are_named_in():
    assert resolve_steps(["pieces", "digits", "columns"]) == ("digits", "columns", "pieces")
    assert set(DEFAULT_STEPS) <= set(ORDER) == set(STEPS)


def test_unknown_step_and_unknown_option_are_named():
    with pytest.raises(ConfigError, match="'colums'"):
        Pipeline(["colums"])
    with pytest.raises(ConfigError, match="has no option 'width'"):
        Pipeline(["digits"], {"digits": {"width": 3}})


def test_a_step_that_never_settles_is_reported(monkeypatch):
    flip = lambda text: rewrite(text, [(0, 1, "乙" if text[0] == "甲" else "甲", "flip")], "digits")
    monkeypatch.setitem(STEPS, "digits", STEPS["digits"].__class__("digits", "normalize", flip, "flip"))
    with pytest.raises(PipelineError, match="did not settle"):
        Pipeline(["digits"]).run("甲")


def test_fix_and_explain_reports_the_rounds_it_needed():
    result = fix_and_explain("")
    assert result.text == "" and result.edits == () and result.rounds == 1

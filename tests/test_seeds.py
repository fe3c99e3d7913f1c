"""The user's seeds through the whole default pipeline: invariants, fixed point, no punctuation damage."""

from __future__ import annotations

from pathlib import Path

import pytest

from cnclean import fix_and_explain
from cnclean.pipeline import DEFAULT_STEPS
from cnclean.registry import STEPS

from checks import checked_run

MARKS = "，。、；：？！“”（）《》　"
SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))


@pytest.fixture(scope="module", params=SEEDS, ids=lambda p: p.name[:3])
def seed(request) -> str:
    return request.param.read_text(encoding="utf-8")


def test_every_step_keeps_its_promise_on_the_seeds(seed):
    checked_run(seed, DEFAULT_STEPS)


def test_fix_reaches_a_fixed_point_within_three_rounds(seed):
    once = fix_and_explain(seed)
    assert once.rounds <= 3  # a passage may surface as a repeat only once the copies around it are gone
    again = fix_and_explain(once.text)
    assert again.text == once.text and not again.edits


def test_fix_never_changes_chinese_punctuation_by_default(seed):
    """Only a removal may drop a mark; no default step turns ，（）“” into ASCII (ftfy's pitfall)."""
    for run in fix_and_explain(seed).runs:
        if STEPS[run.step].kind == "remove":
            continue
        for edit in run.edits:
            assert [edit.old.count(m) for m in MARKS] == [edit.new.count(m) for m in MARKS], edit

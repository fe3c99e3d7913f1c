"""What must hold for any input through the whole default pipeline (RELIABILITY.md R2-R6)."""

from __future__ import annotations

from hypothesis import given

import cnclean
from cnclean.pipeline import DEFAULT_STEPS

from checks import checked_run
from strategies import chinese_text, pages


@given(chinese_text)
def test_every_default_step_keeps_its_promise_on_any_text(text):
    checked_run(text, DEFAULT_STEPS)


@given(chinese_text)
def test_fix_is_idempotent_on_any_text(text):
    once = cnclean.fix_text(text)
    assert cnclean.fix_text(once) == once


@given(pages())
def test_fix_leaves_clean_pages_alone_but_for_piece_breaks(text):
    """Clean text comes out as it went in; dedup is left out because a random page may repeat itself."""
    repairs = [step for step in DEFAULT_STEPS if step != "dedup"]
    assert cnclean.fix_text(text, steps=repairs).replace("\n\n", "\n") == text


@given(chinese_text)
def test_the_corpus_preset_is_idempotent(text):
    once = cnclean.fix_text(text, preset="corpus")
    assert cnclean.fix_text(once, preset="corpus") == once

"""Properties of the in-page dedup step: repeats go, the first copy and everything else stay."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import cnclean
from cnclean.steps.dedup import MIN_CHARS, WINDOW, remove_duplicates

from checks import check_step, visible
from strategies import chinese_text, pages, paragraphs

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
GRAM = 12

PARAGRAPH_A = "今年以来，我市坚持把招商引资作为经济工作的生命线，围绕主导产业开展精准招商，全年签约项目一百二十个，总投资超过三百亿元。"
PARAGRAPH_B = "与此同时，全市上下持续优化营商环境，推行并联审批和容缺受理，企业开办时间压缩到三个工作日以内，群众满意度明显提升。"
PARAGRAPH_C = "下一步，我们将继续深化行政审批制度改革，以壮士断腕的决心兑现改革承诺，为经济转型示范市建设注入强大动力和活力。"


def wrap(text: str, width: int, blank_lines: bool = False) -> str:
    """Cut every line into lines of ``width`` characters, as a narrow column prints them."""
    separator = "\n\n" if blank_lines else "\n"
    return separator.join(
        line[i : i + width] for line in text.split("\n") for i in range(0, max(len(line), 1), width)
    )


@st.composite
def clean_pages(draw) -> str:
    """A page of natural-looking text long enough to hold a removable copy: no window of
    characters twice in it, and not the few characters hypothesis shrinks text to."""
    page = draw(pages())
    chars = visible(page)
    windows = [chars[i : i + WINDOW] for i in range(len(chars) - WINDOW + 1)]
    assume(len(chars) >= 2 * MIN_CHARS and len(set(windows)) == len(windows))
    assume(len(set(chars)) * 3 >= len(chars))
    return page


@given(chinese_text)
def test_invariants_and_idempotence(text: str) -> None:
    once = check_step("dedup", text)
    assert check_step("dedup", once) == once


@settings(max_examples=50)
@given(clean_pages(), st.integers(5, 40), st.booleans())
def test_rewrapped_copy_of_the_page_is_removed(page: str, width: int, blank_lines: bool) -> None:
    damaged = page + "\n\n" + wrap(page, width, blank_lines)
    assert check_step("dedup", damaged).rstrip("\n") == page


@settings(max_examples=50)
@given(clean_pages(), st.integers(5, 40))
def test_text_only_in_the_second_copy_stays(page: str, width: int) -> None:
    extra = "本报讯 张文深在全市行政审批制度改革工作座谈会上强调"
    damaged = f"{page}\n\n{extra}\n{wrap(page, width)}"
    assert check_step("dedup", damaged).rstrip("\n") == f"{page}\n\n{extra}"


@given(paragraphs(), st.integers(0, 2))
def test_repeats_shorter_than_the_minimum_stay(paragraph: str, times: int) -> None:
    short = visible(paragraph)[: MIN_CHARS - 1]
    text = "\n".join([short, PARAGRAPH_A] + [short] * times)
    assert remove_duplicates(text).text == text


def test_repeated_paragraph_goes_with_its_line_break() -> None:
    text = f"{PARAGRAPH_A}\n{PARAGRAPH_B}\n{PARAGRAPH_A}\n{PARAGRAPH_C}\n"
    result = remove_duplicates(text)
    assert result.text == f"{PARAGRAPH_A}\n{PARAGRAPH_B}\n{PARAGRAPH_C}\n"
    [edit] = result.edits
    assert edit.old == PARAGRAPH_A + "\n"
    assert edit.rule == "lines:first@0"


def test_rule_names_where_the_kept_copy_starts() -> None:
    text = f"{PARAGRAPH_B}\n\n{PARAGRAPH_A}\n\n{wrap(PARAGRAPH_A, 13, True)}\n"
    result = remove_duplicates(text)
    [edit] = result.edits
    unit, kept = re.fullmatch(r"(lines|passage|splice):first@(\d+)", edit.rule).groups()
    assert text[int(kept):].startswith(PARAGRAPH_A)


def test_copy_inside_a_line_goes_with_its_separating_space() -> None:
    text = f"{PARAGRAPH_A}\n{PARAGRAPH_B}\n{PARAGRAPH_C[:20]} {PARAGRAPH_A}\n"
    assert remove_duplicates(text).text == f"{PARAGRAPH_A}\n{PARAGRAPH_B}\n{PARAGRAPH_C[:20]}\n"


def test_line_spliced_from_two_paragraphs_goes_and_both_stay_intact() -> None:
    spliced = PARAGRAPH_C[:50] + PARAGRAPH_A[-50:]
    text = f"{PARAGRAPH_A}\n{spliced}\n{PARAGRAPH_B}\n{PARAGRAPH_C}\n"
    result = remove_duplicates(text)
    assert result.text == f"{PARAGRAPH_A}\n{PARAGRAPH_B}\n{PARAGRAPH_C}\n"
    assert {edit.rule.split(":")[0] for edit in result.edits} <= {"lines", "passage", "splice"}


def test_headline_quoting_a_sentence_keeps_it_in_the_body() -> None:
    # Seed 000: the headline of the second copy of an article quotes a phrase of its body;
    # the copy goes, the phrase stays in the body and the headline stays whole.
    headline = "市委书记张文深在" + PARAGRAPH_B[10:30] + "时强调要以壮士断腕的决心兑现承诺"
    text = f"{PARAGRAPH_A}\n{PARAGRAPH_B}\n{PARAGRAPH_C}\n{PARAGRAPH_A}\n{headline}\n{PARAGRAPH_B}\n"
    assert check_step("dedup", text) == f"{PARAGRAPH_A}\n{PARAGRAPH_B}\n{PARAGRAPH_C}\n{headline}\n"


def test_lead_quoting_a_sentence_then_a_paragraph_keeps_the_sentence() -> None:
    # Seed 000: 核心观点 opens with the first sentence of the commentary, then repeats a
    # whole paragraph; the paragraph goes, the sentence stays in both places.
    sentence = PARAGRAPH_A[:24] + "。"
    text = f"{PARAGRAPH_A}\n{PARAGRAPH_C}\n{PARAGRAPH_B}\n核心观点 {sentence}{PARAGRAPH_C}\n{PARAGRAPH_A}\n"
    assert check_step("dedup", text) == f"{PARAGRAPH_A}\n{PARAGRAPH_C}\n{PARAGRAPH_B}\n核心观点 {sentence}\n"


def test_copy_that_ends_inside_a_sentence_leaves_the_sentence_whole() -> None:
    # The copy of A's first 50 characters stops in the middle of a clause of the line that
    # continues it: cutting it would leave the end of a sentence without its start.
    text = f"{PARAGRAPH_A}\n{PARAGRAPH_B}\n{PARAGRAPH_A[:50]}{PARAGRAPH_C}\n"
    assert remove_duplicates(text).text == text
    ended = f"{PARAGRAPH_A}\n{PARAGRAPH_B}\n{PARAGRAPH_A}{PARAGRAPH_C}\n"
    assert remove_duplicates(ended).text == f"{PARAGRAPH_A}\n{PARAGRAPH_B}\n{PARAGRAPH_C}\n"


def test_list_marker_of_a_repeated_line_goes_with_it() -> None:
    text = f"{PARAGRAPH_A}\n  • 名 称 :{PARAGRAPH_B}\n  • 文 号 :\n  • {PARAGRAPH_B}\n"
    assert remove_duplicates(text).text == f"{PARAGRAPH_A}\n  • 名 称 :{PARAGRAPH_B}\n  • 文 号 :\n"


def test_min_chars_option_lowers_the_threshold() -> None:
    phrase = "要带头学习好、领会好、落实好上级精神，坚决推进改革，主动推进改革，有序推进改革"
    text = f"{phrase}\n{PARAGRAPH_A}\n{phrase}\n"
    assert remove_duplicates(text).text == text
    assert remove_duplicates(text, min_chars=len(phrase)).text == f"{phrase}\n{PARAGRAPH_A}\n"


def test_third_copy_goes_too() -> None:
    text = "\n".join([PARAGRAPH_A, PARAGRAPH_B, PARAGRAPH_A, PARAGRAPH_C, PARAGRAPH_A])
    assert check_step("dedup", text) == "\n".join([PARAGRAPH_A, PARAGRAPH_B, PARAGRAPH_C]) + "\n"


def test_empty_and_tiny_texts() -> None:
    for text in ["", "\n", "本报讯", PARAGRAPH_A]:
        assert remove_duplicates(text).text == text


def test_copy_interleaving_the_lines_of_two_columns_is_removed() -> None:
    # pdftotext prints the lines of two modules side by side alternately (suite case 11).
    left, right = wrap(PARAGRAPH_A, 14).split("\n"), wrap(PARAGRAPH_B, 14).split("\n")
    interleaved = [line for pair in zip(left, right) for line in pair]
    interleaved += left[len(right):] + right[len(left):]
    text = f"{PARAGRAPH_A}\n{PARAGRAPH_B}\n{PARAGRAPH_C}\n\n" + "\n".join(interleaved) + "\n"
    kept = f"{PARAGRAPH_A}\n{PARAGRAPH_B}\n{PARAGRAPH_C}\n\n"
    result = check_step("dedup", text)
    assert result.startswith(kept)
    # Only lines shorter than a window (the ends of the two paragraphs) can be left over.
    assert all(len(line) < WINDOW for line in result[len(kept):].split())


def test_page_boundary_after_a_removed_copy_stays() -> None:
    text = f"{PARAGRAPH_A}\n\n{PARAGRAPH_A}\n\n\f\n{PARAGRAPH_B}\n"
    assert check_step("dedup", text) == f"{PARAGRAPH_A}\n\n\f\n{PARAGRAPH_B}\n"


def lost_text(before: str, after: str) -> list[str]:
    """The ``GRAM``-character pieces of the paragraphs of ``before`` that ``after`` lost.

    White space is ignored and pieces are taken inside one paragraph, since removing a
    paragraph joins its neighbours into new pieces. A piece whose two parts both survive,
    somewhere, is a junction too: the edge of a removed copy, or the seam of a spliced line.
    """
    kept = visible(after)
    survivors = {kept[i : i + GRAM] for i in range(len(kept) - GRAM + 1)}
    lost = []
    for paragraph in map(visible, before.split("\n")):
        pieces = [paragraph[i : i + GRAM] for i in range(len(paragraph) - GRAM + 1)] or [paragraph]
        for piece in pieces:
            if piece in survivors or piece in kept:
                continue
            if not any(piece[:cut] in kept and piece[cut:] in kept for cut in range(1, len(piece))):
                lost.append(piece)
    return lost


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name[:3])
def test_dedup_loses_no_text_of_the_seeds(seed: Path) -> None:
    # Seed 000 prints its page twice; a headline and a lead there quote phrases of the body,
    # which must stay in the body.
    text = seed.read_text(encoding="utf-8")
    without = cnclean.fix_text(text, steps=[step for step in cnclean.DEFAULT_STEPS if step != "dedup"])
    assert lost_text(without, cnclean.fix_text(text)) == []


def test_lost_text_sees_a_phrase_cut_out_of_a_sentence() -> None:
    cut = PARAGRAPH_A.replace("围绕主导产业开展精准招商，", "")
    assert lost_text(f"{PARAGRAPH_A}\n{PARAGRAPH_B}", f"{cut}\n{PARAGRAPH_B}") != []
    assert lost_text(f"{PARAGRAPH_A}\n{PARAGRAPH_B}", f"{PARAGRAPH_B}\n{PARAGRAPH_A}") == []

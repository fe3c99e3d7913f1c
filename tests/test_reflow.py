"""The reflow step: columns printed side by side come back one column at a time, other text stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnclean.pipeline import DEFAULT_STEPS, ORDER
from cnclean.registry import STEPS

from checks import check_step
from strategies import chinese_text, hanzi, pages

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
reflow = STEPS["reflow"]


def wrap(paragraph: str, width: int) -> list[str]:
    return [paragraph[i : i + width] for i in range(0, len(paragraph), width)]


def side_by_side(columns: list[list[str]], width: int, gap: int) -> str:
    """Rows as ``pdftotext -layout`` prints them: every column at a fixed character position."""
    rows = []
    for number in range(max(map(len, columns))):
        row = ""
        for index, lines in enumerate(columns):
            if number < len(lines):
                row = row.ljust(index * (width + gap)) + lines[number]
        rows.append(row)
    return "\n".join(rows)


@st.composite
def laid_out_pages(draw) -> tuple[list[list[str]], int, int]:
    width = draw(st.integers(8, 18))
    gap = draw(st.integers(2, 6))
    count = draw(st.integers(2, 5))
    words = st.lists(st.text(hanzi, min_size=2, max_size=6), min_size=2 * width, max_size=4 * width)
    columns = [wrap("，".join(draw(words)) + "。", width) for _ in range(count)]
    return columns, width, gap


def test_reflow_runs_first_and_by_default():
    assert ORDER[0] == "reflow" and DEFAULT_STEPS[0] == "reflow"
    assert reflow.kind == "reorder"


@settings(max_examples=40)
@given(laid_out_pages())
def test_each_column_comes_back_in_order(page):
    columns, width, gap = page
    text = side_by_side(columns, width, gap)
    after = check_step("reflow", text)
    assert after == "\n".join(line for lines in columns for line in lines)
    assert len(reflow(text).edits) == 1


@st.composite
def ragged_pages(draw) -> tuple[list[list[str]], int]:
    """Columns one space apart, as PyMuPDF prints them, their lines a little short of the column."""
    width = draw(st.integers(8, 16))
    count = draw(st.integers(2, 4))
    columns = []
    for _ in range(count):
        lines = draw(st.lists(st.text(hanzi, min_size=width - 3, max_size=width), min_size=4, max_size=12))
        columns.append([line[:-1] + "，" for line in lines])
    return columns, width


@settings(max_examples=40)
@given(ragged_pages())
def test_columns_one_space_apart_come_back_in_order(page):
    columns, width = page
    text = side_by_side(columns, width, 1)
    assume(reflow(text).edits)  # fewer than three rows with two spaces somewhere: not taken for a layout
    assert check_step("reflow", text) == "\n".join(line for lines in columns for line in lines)


@settings(max_examples=40)
@given(laid_out_pages())
def test_a_headline_across_the_columns_comes_before_them(page):
    columns, width, gap = page
    headline = "全市经济社会发展取得新成就新闻发布会"[: width + 4]
    text = headline.center(2 * width + gap).rstrip() + "\n" + side_by_side(columns, width, gap)
    after = check_step("reflow", text)
    assert after.split("\n")[0] == headline
    assert after.split("\n")[1:] == [line for lines in columns for line in lines]


@settings(max_examples=40)
@given(laid_out_pages())
def test_idempotent(page):
    after = check_step("reflow", side_by_side(*page))
    assert reflow(after).edits == ()


@given(pages())
def test_text_without_gaps_is_unchanged(text):
    assert reflow(text).edits == ()


@given(chinese_text)
def test_any_text_keeps_its_characters_and_settles(text):
    after = check_step("reflow", text)
    assert check_step("reflow", after) == after


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_seeds_are_unchanged(path):
    assert reflow(path.read_text(encoding="utf-8")).edits == ()

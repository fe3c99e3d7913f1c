"""The reflow step: columns printed side by side come back one column at a time, other text stays."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cnclean.pipeline import DEFAULT_STEPS, ORDER
from cnclean.registry import STEPS
from cnclean.steps.reflow import _character_spaced, _regrid

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


@st.composite
def merged_pages(draw) -> tuple[list[str], list[str], list[bool]]:
    """Two columns of different widths as plain ``pdftotext`` prints them: the lines whose
    baselines meet one space apart on one row, the others on rows of their own (never two
    such rows running, and the first and last rows merged)."""
    width = draw(st.integers(9, 16))
    count = draw(st.integers(3, 10))
    words = st.lists(st.text(hanzi, min_size=2, max_size=6), min_size=count * (width + 4) // 2, max_size=count * (width + 4) // 2)
    left, right = (wrap("，".join(draw(words))[: count * columns], columns) for columns in (width, width + 4))
    merged = [True] + [draw(st.booleans()) for _ in range(count - 2)] + [True]
    merged = [flag or not merged[number] for number, flag in enumerate(merged[1:], 1)]
    return left, right, [True] + merged


def print_merged(left: list[str], right: list[str], merged: list[bool]) -> str:
    rows = []
    for line, other, together in zip(left, right, merged):
        rows += [f"{line} {other}"] if together else [line, other]
    return "\n".join(rows)


@settings(max_examples=40)
@given(merged_pages())
def test_rows_of_two_columns_one_space_apart_come_back_one_column_at_a_time(page):
    left, right, merged = page
    assume(sum(merged) >= 3 and sum(not line.endswith("，") for line in left) * 4 >= len(left))
    assert check_step("reflow", print_merged(*page)) == "\n".join(left + right)


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


LEFT = "一二三四五六七八九十一二"
RIGHT = "甲乙丙丁戊己庚辛壬癸甲乙"


@pytest.mark.parametrize("rows", [
    ["床前明月光， 疑是地上霜。"] * 2 + ["举头望明月， 低头思故乡。"] * 2,  # verse: both halves narrow
    ["坚持以人民为中心的发展思想， 坚持全面深化改革开放不动摇。"] * 4,  # every left half ends a clause
    [f"{LEFT} {RIGHT}", LEFT, f"{LEFT} {RIGHT}", f"{LEFT} {RIGHT}"],  # a row of its own fitting both columns
], ids=["verse", "clauses", "ambiguous"])
def test_rows_one_space_apart_that_are_not_two_columns_stay(rows):
    assert reflow("\n".join(rows)).edits == ()


def grid_starts(row: str) -> list[int]:
    return [match.start() for match in regex.finditer(r"[^ ]+", row)]


def test_pymupdf_spacing_is_told_from_a_grid():
    """PyMuPDF's ``sort=True`` starts the next column a space after a full line; ``pdftotext
    -layout`` half a line or more further."""
    assert _character_spaced([f"{LEFT} {RIGHT}"] * 10)
    assert not _character_spaced([f"{LEFT}      {RIGHT}"] * 10)
    assert not _character_spaced([f"{LEFT} {RIGHT}"] * 3)


FULL_ROWS = [f"{LEFT} {RIGHT}"] * 3


SPACE_AFTER_PUNCTUATION = [
    "强劲的发展势头， 缘于该市推进学习", "和设施标准化建设， 政务服务中心", "市领导干部会议精神， 认真总结近几",
    "中原农耕文化特质， 成功入选第三", "改革开放特别是新世纪以来， 全市广大文艺工作", "一次全体会议。 主要任务是贯彻",
    "一派繁荣发展的生动景象。 一是文艺创作成绩显", "原农耕文化特质， 成功入选第三批国家级非物质",
    "环境就是生产力。 该区用五年风驰电掣般发展的历", "展机关效能建设工作。 在这样一个规模大、规格高",
    "  • 发布时间：2014年6月13日 来源：山阳区政府网",
]


def test_running_text_with_a_space_after_punctuation_is_not_pymupdf_spacing():
    """A space after a comma gives two long words the pitch of two PyMuPDF columns: running
    text (lines of a perf-corpus file) is told apart by how few of its rows hold two column
    lines. Taken for a page spaced by PyMuPDF, a 4 MB file was read as one page of columns."""
    rows = [row for line in SPACE_AFTER_PUNCTUATION for row in (line, "命”工作会，总结前阶段工作，", "研究解决当前存在的问题，对")]
    assert not _character_spaced(rows)
    # the same lines with nothing between them have the pitch of PyMuPDF's columns
    assert _character_spaced(SPACE_AFTER_PUNCTUATION)


def test_a_number_does_not_push_the_next_column_right():
    """Digits are half as wide as a Chinese character: the spaces after them count from where
    they really end (12345678 and six characters end at 10 character widths, not 14)."""
    rows = _regrid(FULL_ROWS + [f"12345678一二三四五六   {RIGHT}"])
    assert grid_starts(rows[0])[1] == grid_starts(rows[-1])[1]


def test_one_space_inside_a_line_stays_a_word_space():
    """Off the columns' edges, one space is the space between two words of a line."""
    rows = _regrid(FULL_ROWS + [f"  本报讯 强化综治网络建 {RIGHT}"])
    assert rows[-1].split() == ["本报讯", "强化综治网络建", RIGHT]
    assert "本报讯 强化综治网络建" in rows[-1]
    assert grid_starts(rows[-1])[-1] == grid_starts(rows[0])[1]


def test_a_column_after_an_overfull_line_starts_at_its_edge():
    """Squeezed punctuation lets a line run a character past its column: the next column's
    line, one space after it, still starts at the column's edge."""
    rows = _regrid(FULL_ROWS + [f"「{LEFT}， {RIGHT}"])
    assert grid_starts(rows[-1])[1] == grid_starts(rows[0])[1]


def test_a_line_restarted_on_the_same_row_gets_a_row_of_its_own():
    """A line whose baseline is a little lower is printed on the row above, its spaces
    counted from the page's left edge."""
    column = " " * 13 + RIGHT
    rows = _regrid([f"{LEFT} {RIGHT}", column, column, LEFT + " " * 13 + "子丑寅卯辰巳午未申酉戌亥"])
    assert rows[-2].strip() == LEFT and rows[-1].strip() == "子丑寅卯辰巳午未申酉戌亥"
    assert grid_starts(rows[-1]) == grid_starts(rows[1])


THIRD = "子丑寅卯辰巳午未申酉戌亥"
FOURTH = "金木水火土日月星辰山河湖"


def test_a_few_lines_read_on_from_the_wrong_word_do_not_move_the_right_edge():
    """Three lines counted from the previous word land far right, each on a row of a page of
    two columns: they end past where the page's other rows end, so they restart, on rows of
    their own, instead of making a third column and the page's edge with it."""
    rows = _regrid([f"{LEFT} {RIGHT}"] * 57 + [f"{LEFT} {RIGHT}" + " " * 21 + THIRD] * 3)
    assert rows[-6:] == [rows[0], " " * 27 + THIRD] * 3


def test_restarted_lines_in_a_smaller_size_start_at_their_row_start():
    """The right article's lines start rows 27 widths in; restarted after a short word on
    rows of their own, their characters are a tenth narrower and PyMuPDF counts 30 spaces.
    Read on from the short word, they would land between two columns, three times, and
    make a column there."""
    full = f"{LEFT} {RIGHT}  {THIRD} {FOURTH}"
    right = f"{THIRD} {FOURTH}"
    rows = _regrid([full] * 3 + [" " * 27 + right] * 2 + ["本报讯" + " " * 30 + right] * 3)
    assert rows[5:] == ["本报讯", rows[3]] * 3
    assert grid_starts(rows[3]) == grid_starts(rows[0])[2:]


def test_a_line_far_right_on_a_row_start_restarts_even_where_a_column_starts():
    """Counted from the previous word, the line after 27 spaces would start the fourth
    column, two columns of white after a full line; counted from the left edge it starts
    the third column's row, which is what PyMuPDF more often prints."""
    full = f"{LEFT} {RIGHT}  {THIRD} {FOURTH}"
    right = f"{THIRD} {FOURTH}"
    rows = _regrid([full] * 3 + [" " * 27 + right] * 2 + [LEFT + " " * 27 + right])
    assert rows[-2:] == [LEFT, rows[3]]


def test_a_stretched_line_far_right_starts_at_its_column_edge():
    """A justified line of eleven characters spread over a column twelve wide: PyMuPDF counts
    the 39 character widths before it in its own wider characters, 36 spaces, which read as
    natural widths put it three widths left of its column."""
    full = f"{LEFT} {RIGHT} {THIRD} {FOURTH}"
    rows = _regrid([full] * 3 + [" " * 36 + FOURTH[:11]])
    assert grid_starts(rows[-1]) == grid_starts(rows[0])[3:]


def test_a_line_that_would_run_past_the_right_edge_restarts():
    """A line counted from the previous word would end far right of every column: it is a
    line restarted on the row, its spaces counted from the page's left edge."""
    rows = _regrid([f"{LEFT} {RIGHT}"] * 3 + [f"{LEFT} {RIGHT}" + " " * 13 + THIRD])
    assert rows[-2].split() == [LEFT, RIGHT]
    assert grid_starts(rows[-1]) == grid_starts(rows[0])[1:]

"""Property tests of the layout steps: no crash, idempotence, the layout invariant, and
"damage then repair" — clean paragraphs wrapped like a newspaper column come back."""

from __future__ import annotations

import regex
from hypothesis import assume, given
from hypothesis import strategies as st

from cnclean.registry import STEPS
from cnclean.text import display_width

from checks import check_step, checked_run
from strategies import PUNCT, chinese_text, hanzi, pages

LAYOUT_STEPS = ("vertical", "digits", "columns", "spaces")

def wrap(paragraph: str, width: int) -> list[str]:
    """Cut a paragraph into column lines of ``width`` display columns.

    Punctuation hangs at the end of a line instead of starting the next, and a number is
    never cut, as typesetters do.
    """
    lines, line = [], ""
    for token in regex.findall(r"\d+|.", paragraph):
        if display_width(line + token) > width and token not in PUNCT:
            lines.append(line)
            line = ""
        line += token
    lines.append(line)
    return lines


def newspaper(page: str, width: int, blank_after_line: bool) -> str:
    lines = [line for paragraph in page.split("\n") for line in wrap(paragraph, width)]
    return ("\n\n" if blank_after_line else "\n").join(lines)


def isolate_digits(text: str) -> str:
    """Seed 000's damage: every run of digits on a line of its own, a blank line around it."""
    isolated = regex.sub(r"(\d+)", r"\n\n\1\n\n", text)
    return regex.sub(r"\n{3,}", "\n\n", isolated).strip("\n")


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a text; blank lines between them are the pieces step's business."""
    return [line for line in text.split("\n") if line.strip()]


@st.composite
def prose_sentences(draw, numbers: bool = True) -> str:
    """A sentence of newspaper prose: clauses of several characters, sometimes a number."""
    clauses = draw(st.lists(st.text(hanzi, min_size=6, max_size=14), min_size=2, max_size=4))
    if numbers and draw(st.booleans()):
        number = draw(st.integers(0, 99999))
        unit = draw(st.sampled_from(["年", "个", "万元", "%", "人"]))
        clause = draw(st.integers(0, len(clauses) - 1))
        clauses[clause] += f"{number}{unit}"
    return "，".join(clauses) + draw(st.sampled_from("。。。！？"))


long_paragraphs = st.tuples(
    st.lists(prose_sentences(), min_size=3, max_size=8), st.lists(prose_sentences(numbers=False), min_size=3, max_size=3)
).map(lambda parts: "".join(parts[0] + parts[1]))
column_pages = st.lists(long_paragraphs, min_size=2, max_size=4).map("\n".join)
"""Clean pages whose paragraphs are long enough to fill several column lines and end
with sentences free of numbers."""


def repairable(page: str, width: int) -> bool:
    """A page the repair can read: enough full lines to show the column width, and every
    paragraph ending well short of the right edge (flush with it, a paragraph end cannot
    be told from a sentence that runs on), with no number in its last two lines (joined
    back, a number there merges the last line into the one before)."""
    paragraphs = page.split("\n")
    wrapped = [wrap(p, width) for p in paragraphs]
    full_lines = sum(len(lines) - 1 for lines in wrapped)
    return (
        full_lines >= 10
        and all(len(lines) > 1 for lines in wrapped)
        and all(display_width(lines[-1]) < width - 6 for lines in wrapped)
        and not any(regex.search(r"\d", "".join(lines[-2:])) for lines in wrapped)
        and not any(p[0].isdigit() for p in paragraphs)
    )


@given(chinese_text)
def test_each_step_keeps_its_promises(text: str) -> None:
    for name in LAYOUT_STEPS:
        once = check_step(name, text)
        again = STEPS[name](once)
        assert again.text == once and not again.edits, f"{name} is not idempotent"


@given(chinese_text)
def test_layout_steps_settle_together(text: str) -> None:
    once = checked_run(text, LAYOUT_STEPS)
    assert checked_run(once, LAYOUT_STEPS) == once


@given(pages())
def test_clean_text_is_left_alone(page: str) -> None:
    assert checked_run(page, LAYOUT_STEPS) == page


@given(column_pages, st.integers(20, 48), st.booleans())
def test_column_wrap_is_repaired(page: str, width: int, blank_after_line: bool) -> None:
    assume(repairable(page, width))
    damaged = newspaper(page, width, blank_after_line)
    assert paragraphs(checked_run(damaged, ["columns"])) == paragraphs(page)


@given(column_pages, st.integers(20, 48))
def test_isolated_digits_and_column_wrap_are_repaired(page: str, width: int) -> None:
    assume(repairable(page, width))
    damaged = isolate_digits(newspaper(page, width, blank_after_line=True))
    assert paragraphs(checked_run(damaged, LAYOUT_STEPS)) == paragraphs(page)


def test_wrap_leaves_a_short_last_line() -> None:
    lines = wrap("一二三四五六七八九十。", 8)
    assert lines == ["一二三四", "五六七八", "九十。"]
    assert display_width(lines[-1]) < display_width(lines[0])

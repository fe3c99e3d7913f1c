"""The untangle step: two articles whose blocks plain pdftotext printed in turns come apart."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cnclean.pipeline import DEFAULT_STEPS, ORDER
from cnclean.registry import STEPS

from checks import check_step
from strategies import hanzi

untangle = STEPS["untangle"]

# column lines of two articles, 12 and 9 characters wide, as the column edge cut them
FIRST = [
    ["今年以来，我市多措并举，", "全力推进重点工程建设，取", "得明显成效。我市把项目建", "设作为发展的第一要务，各"],
    ["部门协同配合，形成合力，", "确保项目按期完成。今年全", "市计划新开工项目三十个，", "总投资一百二十亿元。"],
]
OTHER = [
    ["本报讯 面对项目", "用地需求量大、计划", "指标紧张的形势，山", "阳国土资源分局把服"],
    ["务保障集聚区、民生", "工程和城市基础设施", "建设作为重要任务，", "收到了良好效果。"],
]


def page(*blocks: list[str]) -> str:
    return "\n\n".join("\n".join(block) for block in blocks)


def test_untangle_runs_after_reflow_and_noise_before_the_line_steps():
    assert ORDER.index("untangle") == ORDER.index("noise") + 1 and "untangle" in DEFAULT_STEPS
    assert untangle.kind == "reorder"


def test_the_first_article_comes_together_then_the_other():
    text = page(FIRST[0], OTHER[0], FIRST[1], OTHER[1])
    assert check_step("untangle", text) == page(FIRST[0], FIRST[1], OTHER[0], OTHER[1])


def test_lines_between_blocks_stay_with_the_other_article():
    caption = "5月6日，山阳区红十字会组织辖区卫生服务中心开展宣传活动。"
    text = page(FIRST[0], OTHER[0], [caption], FIRST[1], OTHER[1])
    assert check_step("untangle", text) == page(FIRST[0], FIRST[1], OTHER[0], [caption], OTHER[1])


def test_articles_one_after_another_stay():
    # the other article runs on for three blocks: no band cut it, a new article of the first width follows
    third = ["务保障集聚区、民生", "工程和城市基础设施", "建设作为重要任务，", "不断强化服务，收到"]
    text = page(FIRST[0], OTHER[0], third, OTHER[1], FIRST[1])
    assert untangle(text).edits == ()


def test_a_headline_over_a_block_starts_a_new_article():
    text = page(FIRST[0], OTHER[0], ["新城街道多种形式迎接党的生日"], FIRST[1], OTHER[1])
    assert untangle(text).edits == ()


def test_headlines_are_no_column():
    # lines without a punctuation mark are headlines stacked one over another, not column text
    headlines = ["转变政府职能提高服务质量", "张国晖市长在市政府第一次", "全体会议上的讲话要点摘登", "孟州市学习型党组织建设成"]
    text = page(headlines, OTHER[0], headlines, OTHER[1])
    assert untangle(text).edits == ()


def test_blocks_of_one_width_stay():
    text = page(FIRST[0], FIRST[1], FIRST[0], FIRST[1])
    assert untangle(text).edits == ()


def test_a_block_twice_as_wide_is_no_other_article():
    wide = [line + line for line in FIRST[1]]
    text = page(FIRST[0], wide, FIRST[1], wide)
    assert untangle(text).edits == ()


def test_the_step_keeps_to_its_page():
    text = page(FIRST[0], OTHER[0]) + "\f" + page(FIRST[1], OTHER[1])
    assert untangle(text).edits == ()


@st.composite
def turns(draw) -> tuple[list[list[str]], list[list[str]]]:
    """Two articles cut into blocks of column lines of two widths."""
    widths = draw(st.sampled_from([(12, 8), (13, 10), (9, 14)]))
    articles = []
    for width in widths:
        count = draw(st.integers(2, 4))
        line = st.text(hanzi, min_size=width - 1, max_size=width - 1).map(lambda text: text[:2] + "，" + text[2:])
        articles.append([[draw(line) for _ in range(4)] for _ in range(count)])
    return articles[0], articles[1]


@settings(max_examples=40)
@given(turns())
def test_blocks_in_turns_come_back_article_by_article(articles):
    first, other = articles
    blocks = [block for pair in zip(first, other) for block in pair]
    blocks += first[len(other) :] + other[len(first) :]
    after = check_step("untangle", page(*blocks))
    if len(other) > 1:
        assert after == page(*first, *other)
    assert untangle(after).edits == ()

"""The cues of all lines found at once agree with reading each line on its own.

``line_cues`` tries the opening and closing patterns only on lines whose first or last
characters allow them; these tests read every line with every pattern and compare.
"""

from __future__ import annotations

import regex
from hypothesis import given
from hypothesis import strategies as st

from cnclean import lines as cue
from cnclean.lines import line_cues
from cnclean.text import display_width

from strategies import HANZI
from test_cases import CASES, load_case

OPENINGS = ["本报记者", "本报讯", "新华社北京3月5日电", "据新华社报道", "（记者", "记者：", "问：", "张书记问：",
            "主持人：", "一是", "（二）", "(3)", "二、", "1.", "12、", "①", "㈢", "第三条", "首先", "最后，",
            "特约记者", "见习记者", "通讯员", "实习生", "评论员", "记者张三通讯员", "——", "-", "，", "）", "A", "7"]
CLOSINGS = ["摄", "摄影", "拍摄", "编摄", "供图", "制图", "/图", "／图", "图", "摄）", "（王朝晖）", "。", "，", "、",
            "：", "”", "!", "x", "9", "-", "[2012]68号", "〔2016〕5号", "［2016］1234号", "号", "系列评论③", "⑳",
            "之乡—"]
SPACES = [" ", "\u3000", "\t", "\u00a0"]

line_text = st.builds(
    lambda opening, middle, spaces, closing: opening + "".join(a + b for a, b in zip(middle, spaces)) + closing,
    st.sampled_from(OPENINGS + [""]),
    st.text(st.sampled_from(HANZI[:60] + "，。、;,.0123456789ABab（）()：:！？"), max_size=45),
    st.lists(st.sampled_from(SPACES + [""] * 6), max_size=45),
    st.sampled_from(CLOSINGS + [""]),
).filter(lambda line: line.strip() != "")

OPENING_PATTERNS = {
    cue.LIST_ITEM: [cue._LIST_MARKER_RE],
    cue.MAY_OPEN: [cue._SPEAKER_RE, cue._NUMBERED_ITEM_RE, cue._SALUTATION_RE],
    cue.DATELINE: [cue._DATELINE_RE],
}


def read_alone(line: str) -> dict[int, bool]:
    """Every cue of one line, each found the plain way."""
    text = regex.sub(r"\s+", "", line)
    # a closing quote ends a sentence only after a stop (分别荣获“荷花奖” goes on)
    finished = text[-1] in cue._ENDS_SENTENCE and not (
        len(text) > 1 and text[-1] in "”’」』" and text[-2] not in cue._ENDS_SENTENCE)
    return {
        cue.FINISHED: finished,
        cue.CLAUSE_OPEN: text[-1] in "，、,",
        cue.ANNOUNCES: text[-1] in "：:",
        cue.CONTINUATION: text[0] in cue._CONTINUES,
        cue.SUBTITLE: text[0] in "—－-" and not finished,
        cue.INNER_STOP: regex.search(r"[，。；！？、,;].", text) is not None,
        cue.NARROW: regex.search(r"[\x21-\x7e]", text) is not None,
        cue.WORD_START: regex.match(r"[0-9０-９A-Za-z]", text) is not None,
        cue.ALNUM_START: regex.match(r"[0-9A-Za-z]", text) is not None,
        cue.ALNUM_END: regex.match(r"[0-9A-Za-z]", text[-1]) is not None,
        cue.DIGIT_START: text[0] in "0123456789",
        cue.DIGIT_END: text[-1] in "0123456789",
        cue.BARE_END: regex.match(r"[\p{P}\p{S}]", text[-1]) is None,
        cue.PARALLEL: regex.search(r"\p{Han}{4}\s+\p{Han}{4}", line) is not None
        and regex.search(r"[，。；！？、,;].", text) is None
        and not finished and text[-1] not in "，、,：:",
        **{bit: any(p.match(text) for p in patterns) for bit, patterns in OPENING_PATTERNS.items()},
        cue.BYLINE: bool(cue._BYLINE_RE.match(text)) and len(text) <= cue.BYLINE_MAX,
        cue.CREW: bool(cue._BYLINE_RE.match(text)) and len(text) <= cue.BYLINE_MAX
        and bool(cue._SECOND_ROLE_RE.match(text, cue._BYLINE_RE.match(text).end())),
        cue.CREDIT: len(text) <= cue.CREDIT_MAX
        and (bool(cue._CREDIT_RE.search(text)) and not finished or bool(cue._SIGNATURE_RE.match(text))),
        cue.DOCUMENT_NUMBER: bool(cue._DOCUMENT_NUMBER_RE.fullmatch(text)),
        cue.SPEECH_TITLE: bool(cue._SPEECH_TITLE_RE.fullmatch(text)),
        cue.SERIES: text[-1] in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳",
        cue.DASH_END: text[-1] in "—－-",
        cue.FONT_WIDTH: regex.search(r"[“”‘’·]", text) is not None,
    }


@given(st.lists(line_text, min_size=1, max_size=12))
def test_line_cues_agree_with_each_line_read_alone(lines):
    cues = line_cues(lines)
    for index, line in enumerate(lines):
        text = regex.sub(r"\s+", "", line)
        assert cues.line(index) == text
        assert cues.width[index] == display_width(text)
        for bit, present in read_alone(line).items():
            assert cues.has(bit)[index] == present, (line, bit)


def test_letter_spaced_byline_and_credit():
    cues = line_cues(["本 报 记 者 张 蕊", "本报记者 刘 璐 摄", "随时可以找他们解决。"])
    assert cues.has(cue.BYLINE).tolist() == [True, True, False]
    assert cues.has(cue.CREDIT).tolist() == [False, True, False]
    assert cues.has(cue.FINISHED).tolist() == [False, False, True]


def test_a_letter_spaced_headline_on_a_page_that_keeps_its_words_whole():
    page = ["者给予表彰奖励；", "（王朝晖）", "加 强 基 层 宣 传 队 伍 建 设", "图为孟州市委书记魏超杰（前", "本报记者 张 蕊"]
    assert line_cues(page).has(cue.LETTER_SPACED).tolist() == [False, False, True, False, False]
    # pdfminer spaces out the characters of justified body lines: then many lines have such spaces
    spaced = ["成 为 改革 开 放 后我 区", "第 一 个走 向 全 国的 地", "方 戏 曲 剧 种，赴1 0多", "个国家进行交流演出，",
              "市漫 瀚 剧 院 被 文 化部", "命名为“天下第一团”。", "土 右 旗 连 续 两 次 被 文", "化部评为“中国民间文"]
    assert not line_cues(spaced).has(cue.LETTER_SPACED).any()


def test_a_byline_naming_two_roles():
    cues = line_cues(["特约记者 杜福建 通讯员 汪博", "本报记者 任华裔 陈大公", "记者从通讯员处了解到今年以来全"])
    assert cues.has(cue.CREW).tolist() == [True, False, False]


def test_a_document_number_stands_alone():
    cues = line_cues(["许政办[2012]68号", "国发〔2016〕5号", "豫政办［２０１２］６８号", "根据许政办[2012]68号文件", "第68号",
                      "国务院办公厅秘书一局〔2016〕1234号"])
    assert cues.has(cue.DOCUMENT_NUMBER).tolist() == [True, True, True, False, False, True]


def test_the_title_of_a_speech():
    cues = line_cues(["在全市文艺工作会议上的讲话", "张国晖市长在市政府第一次全体会议上的讲话", "在全市“效能革命”工作会上的讲话",
                      "学习总书记在座谈会上的讲话精神", "他在会上的讲话，", "在全市大会上的讲话。"])
    assert cues.has(cue.SPEECH_TITLE).tolist() == [True, True, True, False, False, False]


def test_a_salutation_may_open_a_paragraph():
    cues = line_cues(["同志们：", "各位代表、同志们：", "尊敬的各位领导、各位来宾：", "女士们、先生们：", "同志们说：", "他对同志们：",
                      "同志们：我们要"])
    assert cues.has(cue.MAY_OPEN).tolist() == [True, True, True, True, False, False, False]


def test_parallel_phrases_of_a_headline():
    cues = line_cues(["营造舒适环境 安享幸福晚年", "孟州市水利局 提升服务质量 打造民生水利", "张 蕊", "改 革 深 处 红 利 多",
                      "本报记者 张 蕊", "全市生产总值、 地方公共财政", "积极引导各村成立 文艺演出队，", "整改养老场所消防安全隐患"])
    assert cues.has(cue.PARALLEL).tolist() == [True, True, False, False, False, False, False, False]


def columns_of(lines: list[str]) -> list[int]:
    cues = line_cues(lines)
    return cue.assign_columns(
        cues.width, cues.has(cue.FINISHED), cues.has(cue.INNER_STOP), cues.has(cue.BARE_END)
    ).tolist()


def test_a_narrow_column_is_cut_in_mid_word():
    caption = ["兴水利", "惠民生", "入冬以来，方", "城县开展筑坝、清", "淤、砌石等水利设", "施建设，掀起了兴", "修水利的热潮"]
    assert columns_of(caption)[3:6] == [16, 16, 16]
    # verse ends its lines with punctuation; a headline stack holds none
    assert set(columns_of(["床前明月光，", "疑是地上霜。", "举头望明月，", "低头思故乡。"])) == {0}
    assert set(columns_of(["坚持问题导向", "严密排查隐患", "限期整改到位", "确保安全生产"])) == {0}


def test_a_heading_between_lines_of_a_wide_column_takes_that_column():
    # s41_03: two-line paragraphs leave too few column lines in a row for the windows of
    # the heading; a photo caption further down is set in a column half as wide
    case = load_case(CASES / "columns" / "heading_between_lines_of_a_wide_column.txt")
    page = [line.strip() for line in case.text.splitlines() if line.strip()]
    heading = page.index("一、认真总结经验，正视工作差距")
    assert columns_of(page)[heading - 3 : heading + 2] == [76, 76, 76, 76, 76]

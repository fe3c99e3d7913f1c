"""Piece detection: the library API, the `pieces` step's invariants and the `cnclean split` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from cnclean import split_pieces, split_text
from cnclean.cli.split import FORMATS
from cnclean.errors import ConfigError
from cnclean.steps.pieces import classify_line, separate_pieces

from checks import check_step
from strategies import chinese_text, pages
from test_ray import on_both_engines, ray_runtime  # noqa: F401  (the session's Ray runtime, shared)

SRC = Path(__file__).resolve().parent.parent / "src"

HEAD_LINES = ["改革深处红利多", "在全市文艺工作会议上的讲话", "孟州市水利局 提升服务质量 打造民生水利", "重点项目进行时"]
CUE_LINES = [
    "——孟州市委书记魏超杰调研城建工程侧记", "本报记者 张蕊", "（王朝晖）", "樊树林 吴宁", "郭建文 摄", "③6",
    "（下转二版）", "在全市“效能革命”工作会上的讲话 篇3", "• 发布机构:许昌市人民政府", "二○一二年八月一日",
    "（2012年7月31日，根据录音整理）", "nlc202309090206", "“责任状”引来全员招商", "一、认真总结经验，正视工作差距",
]


BODY_LINES = [
    "本报讯 目前，孟州市水利局以“干部作风建设年”活动为契机，通过抓项目、提服务等手段，倾力打造民生水利。",
    "同志们：", "环境就是生产力。该区用五年风驰电掣般发展的历程，为这一命题作出精彩的诠释。",
    "日前，山阳区新城街道嘉隆社区居民正在参加象棋比赛。", "答：为公、唯实、利民，不断增进人民福祉。③6",
    "这些钱、物也许微不足道，送去的温暖却可以让这个家庭对未来的生活充满信心。“请大姐放心，我们以后会想方设法帮助你们。”",
]


@st.composite
def newspaper_pages(draw) -> str:
    """Pages mixing body paragraphs with every kind of cue line, in any order, with stray blank lines."""
    line = st.sampled_from(BODY_LINES + HEAD_LINES + CUE_LINES)
    lines = draw(st.lists(line, min_size=1, max_size=14))
    breaks = draw(st.lists(st.sampled_from(["\n", "\n", "\n\n", "\n\n\n", "\n\f", "\n \n"]),
                           min_size=len(lines), max_size=len(lines)))
    return "".join(b + x for b, x in zip(breaks, lines)).lstrip("\n")


def content_lines(text: str) -> list[str]:
    return [line.strip() for line in regex.split(r"[\n\f]", text) if line.strip()]


# ---------------------------------------------------------------- split_pieces


def test_title_printed_after_its_body_goes_to_the_front():
    text = ("答：为公、唯实、利民，我们发起了这场刀刃向内、面向政府自身的自我革命，不断增进人民福祉。③6\n"
            "改革深处红利多\n——市委常委、常务副市长景劲松就“一窗”分类受理工作答记者问\n"
            "本报讯（记者任华裔）12月28日，全市审批服务“一窗”分类受理启动仪式举行。")
    first, second = split_pieces(text)
    assert first.title == "改革深处红利多"
    assert first.subtitle.startswith("——市委常委")
    assert first.paragraphs[:2] == ("改革深处红利多", "——市委常委、常务副市长景劲松就“一窗”分类受理工作答记者问")
    assert first.text.startswith("改革深处红利多\n——")
    assert second.paragraphs[0].startswith("本报讯")
    assert second.byline == "记者任华裔"


def test_page_header_is_a_piece_of_its_own_and_keeps_no_title():
    # the first article under the header printed its title after its body (seed 004's style)
    text = ("2014年6月13日 星期三 第8版 要闻 责任编辑 李佩佩\n"
            "5月4日，风和日丽。孟州市委书记魏超杰带领市五大班子领导到该市部分城建重点工程施工现场调研。\n"
            "梁怡\n精心打造城市亮点工程\n——孟州市委书记魏超杰调研城建工程侧记\n"
            "本报讯 今年年初以来，孟州市立足实际，切实加强基层宣传文化队伍建设。")
    header, first, second = split_pieces(text)
    assert header.paragraphs == ("2014年6月13日 星期三 第8版 要闻 责任编辑 李佩佩",)
    assert first.title == "精心打造城市亮点工程"
    assert first.paragraphs[2].startswith("5月4日")
    assert second.paragraphs[0].startswith("本报讯")


def test_a_title_that_names_the_body_before_it_goes_to_that_body():
    # an encyclopedia page printed each title after its body, on a page that opens with one
    text = ("珍珠港事件\n珍珠港事件，又名突襲珍珠港，是大日本帝國海軍對珍珠港海軍基地的一次突襲作戰。\n"
            "柏林圍牆是德國分裂期間東德政府環繞西柏林邊境修築的全封閉的邊防系統。\n"
            "柏林圍牆\n曼尼托巴\n曼尼托巴省，簡稱曼省，加拿大一級行政區。")
    pieces = split_pieces(text)
    assert [piece.title for piece in pieces] == ["珍珠港事件", "柏林圍牆", "曼尼托巴"]
    assert pieces[1].paragraphs == ("柏林圍牆", "柏林圍牆是德國分裂期間東德政府環繞西柏林邊境修築的全封閉的邊防系統。")


def test_headlines_printed_side_by_side_go_to_the_bodies_they_name():
    # pdfminer reads a row of two headlines before both articles (suite-like page, seed 53)
    text = ("溧阳市\n木 卫一\n"
            "溧阳市是中华人民共和国江苏省常州市下辖的唯一县级市，位于江苏省西南部，长江三角洲。\n"
            "木卫一也称为「埃欧」或「伊俄」，是木星的四颗伽利略卫星中最靠近木星的一颗卫星。\n"
            "中国地质大学\n大公报\n"
            "中国地质大学，简称地大，是一所中华人民共和国教育部直属的高等院校。\n"
            "《大公报》是中国发行时间最长的中文报纸之一，诞生于1902年的天津法租界。")
    pieces = split_pieces(text)
    assert [piece.title for piece in pieces] == ["溧阳市", "木 卫一", "中国地质大学", "大公报"]
    assert [len(piece.paragraphs) for piece in pieces] == [2, 2, 2, 2]
    assert pieces[3].paragraphs[1].startswith("《大公报》")


def test_headlines_printed_after_all_bodies_go_to_the_bodies_they_name():
    # PyMuPDF prints the headlines it drew last after every body of the page (seed 53)
    text = ("分娩，特指胎儿脱离母体成为独立存在的个体的这段时期和过程。\n"
            "匹兹堡位于美国宾夕法尼亚州西南部，奥里格纳河与蒙隆加希拉河在此汇合。\n"
            "权力分立是国家统治模式的一种，其设计将各种国家公权力分开。\n"
            "分娩\n匹兹堡\n三权分立")
    pieces = split_pieces(text)
    assert [piece.paragraphs[:2] for piece in pieces[:2]] == [
        ("分娩", "分娩，特指胎儿脱离母体成为独立存在的个体的这段时期和过程。"),
        ("匹兹堡", "匹兹堡位于美国宾夕法尼亚州西南部，奥里格纳河与蒙隆加希拉河在此汇合。"),
    ]
    assert sum(piece.paragraphs.count("分娩") for piece in pieces) == 1


SIDE_BY_SIDE = ("溧阳市\n木卫一\n溧阳市是中华人民共和国江苏省常州市代管的一个县级市，位于江苏省西南部。\n"
                "木卫一也称为「埃欧」或「伊俄」，是木星的四颗伽利略卫星中最靠近木星的一颗。\n")
ALL_BODIES_FIRST = ("分娩，特指胎儿脱离母体成为独立存在的个体的这段时期和过程。\n"
                    "匹兹堡位于美国宾夕法尼亚州西南部，奥里格纳河与蒙隆加希拉河在此汇合。\n分娩\n匹兹堡\n")


@pytest.mark.parametrize("headlines, text, expected", [
    # as the page printed them: a row read before the bodies opens each piece...
    ("as printed", SIDE_BY_SIDE, SIDE_BY_SIDE.replace("木卫一\n溧阳市是", "溧阳市是").replace("。\n木卫一也", "。\n\n木卫一\n木卫一也")),
    # ...and headlines read after all the bodies close theirs
    ("as printed", ALL_BODIES_FIRST, "分娩，特指胎儿脱离母体成为独立存在的个体的这段时期和过程。\n分娩\n\n"
                                     "匹兹堡位于美国宾夕法尼亚州西南部，奥里格纳河与蒙隆加希拉河在此汇合。\n匹兹堡\n"),
    ("first", ALL_BODIES_FIRST, "分娩\n分娩，特指胎儿脱离母体成为独立存在的个体的这段时期和过程。\n\n"
                                "匹兹堡\n匹兹堡位于美国宾夕法尼亚州西南部，奥里格纳河与蒙隆加希拉河在此汇合。\n"),
    ("in place", SIDE_BY_SIDE, SIDE_BY_SIDE.replace("。\n木卫一也", "。\n\n木卫一也")),
])
def test_step_puts_headlines_that_name_their_bodies_back(headlines, text, expected):
    result = separate_pieces(text, headlines=headlines)
    assert result.text == expected
    assert separate_pieces(result.text, headlines=headlines).text == expected
    assert ("move" in {edit.rule for edit in result.edits}) == (headlines != "in place")


def test_step_refuses_an_unknown_placement():
    with pytest.raises(ConfigError, match="headlines"):
        separate_pieces(SIDE_BY_SIDE, headlines="sideways")


LATE_HEADLINE_PAGES = [
    # 宋理宗 reads like a credit, but it names a body like the headlines around it (seed 63)
    (["模特儿是英语单字的音译，近年来网路上也音译麻豆。", "宋理宗赵昀，原名赵与莒，1222年被立为宁宗弟沂王嗣子。",
      "唐努乌梁海如今通常只指俄罗斯联邦的图瓦共和国。"], ["模特儿", "宋理宗", "唐努乌梁海"]),
    # 梵文 names none of the bodies; the headlines after it name the second and third (seed 63)
    (["要探讨从梨俱吠陀到波你尼时代梵语的发展，可以考察印度的古籍。", "模特儿是英语单字的音译，近年来网路上也音译麻豆。",
      "宋理宗赵昀，原名赵与莒，1222年被立为宁宗弟沂王嗣子。"], ["梵文", "模特儿", "宋理宗"]),
]


@pytest.mark.parametrize("bodies, headlines", LATE_HEADLINE_PAGES)
def test_each_late_headline_opens_the_piece_of_its_body(bodies, headlines):
    pieces = split_pieces("\n".join(bodies + headlines))
    assert [piece.paragraphs for piece in pieces] == [(title, body) for title, body in zip(headlines, bodies)]


def test_kinds_titles_and_bylines():
    text = ("加强基层宣传队伍建设\n本报讯 今年年初以来，孟州市立足实际，切实加强基层宣传文化队伍建设。\n（王朝晖）\n"
            "日前，山阳区新城街道嘉隆社区居民正在参加象棋比赛。\n郭建文 摄\n"
            "• 索 引 号 :11411000005747138B/201208-00022\n• 发布机构:许昌市人民政府")
    article, caption, notice = split_pieces(text)
    assert (article.kind, article.title, article.byline) == ("article", "加强基层宣传队伍建设", "（王朝晖）")
    assert (caption.kind, caption.byline) == ("caption", "郭建文 摄")
    assert notice.kind == "notice"


def test_one_article_is_one_piece():
    text = ("转变政府职能 提高服务质量\n——《砥砺五年谱辉煌·科学发展看山阳》系列报道之效能建设篇\n"
            "五年弹指一挥，山阳沧桑巨变。\n“责任状”引来全员招商\n近年来，该区每年都要签订招商引资责任书。\n周成亮")
    (piece,) = split_pieces(text)
    assert piece.title == "转变政府职能 提高服务质量"
    assert piece.byline == "周成亮"
    assert piece.text == text


def test_empty_text_has_no_pieces():
    assert split_pieces("") == [] and split_pieces("\n \n\f") == []


@given(newspaper_pages())
def test_split_keeps_every_paragraph_once(text):
    pieces = split_pieces(text)
    got = [p for piece in pieces for p in piece.paragraphs]
    assert sorted(got) == sorted(content_lines(text))
    for piece in pieces:
        assert piece.text == "\n".join(piece.paragraphs)
        assert piece.kind in {"article", "caption", "notice", "other"}
        assert not piece.title or piece.title.split(" ")[0] in piece.text


@given(st.one_of(newspaper_pages(), pages(), chinese_text))
def test_step_keeps_every_character_and_is_idempotent(text):
    once = check_step("pieces", text)
    again = separate_pieces(once)
    assert again.text == once and not again.edits
    assert "\n\n\n" not in once and not once.startswith("\n")


@given(newspaper_pages())
def test_step_blocks_hold_the_same_paragraphs_as_the_pieces(text):
    blocks = [content_lines(block) for block in regex.split(r"\n[ \f]*\n", separate_pieces(text).text)]
    blocks = [sorted(block) for block in blocks if block]
    assert blocks == [sorted(piece.paragraphs) for piece in split_pieces(text)]


def test_classify_line_reads_the_cues():
    assert [classify_line(x) for x in CUE_LINES[:8]] == [
        "subtitle", "byline", "credit", "credit", "photo", "code", "continued-to", "section"]


def test_a_place_named_like_a_person_is_a_headline_not_a_credit():
    """许 is a surname, but 许昌市 is a city: a headline over its article, not the credit that
    closes the one before."""
    assert [classify_line(x) for x in ("许昌市", "高平县", "梁怡", "周成亮")] == ["heading", "heading", "credit", "credit"]


def test_split_text_runs_the_fix_pipeline_first():
    pieces = split_text("在全市文艺工作会议上的讲话\n\n\n改革开放特别是新世纪以来，全市广大文艺工作者认真贯彻中央的决策部署。")
    assert len(pieces) == 1 and pieces[0].title == "在全市文艺工作会议上的讲话"


# ---------------------------------------------------------------- the command

PAGE = ("本报讯 目前，孟州市水利局以“干部作风建设年”活动为契机，倾力打造民生水利。\n（赵春营 薛德安）\n"
        "孟州市水利局 提升服务质量 打造民生水利\n\n日前，山阳区新城街道嘉隆社区居民正在参加象棋比赛。\n郭建文 摄\n")


def cnclean(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run([sys.executable, "-m", "cnclean", *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", env=env, cwd=cwd)


def test_cli_jsonl_fields(tmp_path):
    page = tmp_path / "页.txt"
    page.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "pieces.jsonl"
    result = cnclean("split", str(page), "-o", str(out))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
    assert [r["index"] for r in records] == [1, 2]
    assert set(records[0]) == {"text", "title", "subtitle", "byline", "kind", "source", "index"}
    assert records[0]["title"] == "孟州市水利局 提升服务质量 打造民生水利"
    assert records[0]["text"].startswith("孟州市水利局 提升服务质量 打造民生水利\n本报讯")
    assert records[1]["kind"] == "caption" and records[1]["source"] == str(page)
    assert "孟州市" in out.read_text(encoding="utf-8"), "JSON is written without ASCII escapes"


def test_cli_stdin_to_stdout(tmp_path):
    result = cnclean("split", "-", stdin=PAGE)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 2
    text = cnclean("split", "--format", "text", stdin=PAGE)
    assert text.stdout.split("\n\n")[1] == "日前，山阳区新城街道嘉隆社区居民正在参加象棋比赛。\n郭建文 摄\n"


def test_cli_folder_to_files(tmp_path):
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    (pages / "a.txt").write_text(PAGE, encoding="utf-8")
    (pages / "sub" / "b.txt").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = cnclean("split", str(pages), "--format", "files", "-o", str(out))
    assert result.returncode == 0, result.stderr
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*.txt"))
    assert names == ["a-001.txt", "a-002.txt", "sub/b-001.txt", "sub/b-002.txt"]
    assert (out / "a-002.txt").read_text(encoding="utf-8") == "日前，山阳区新城街道嘉隆社区居民正在参加象棋比赛。\n郭建文 摄\n"
    assert not list(out.rglob("*.cnclean-tmp"))


def test_cli_errors(tmp_path):
    missing = cnclean("split", str(tmp_path / "missing.txt"))
    assert missing.returncode == 2 and "missing.txt" in missing.stderr and len(missing.stderr.splitlines()) == 1
    no_folder = cnclean("split", "--format", "files", stdin=PAGE)
    assert no_folder.returncode == 2 and "-o FOLDER" in no_folder.stderr
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.4\x00\x01\x02")
    assert cnclean("split", str(binary), "-o", str(tmp_path / "x.jsonl")).returncode == 2
    assert not (tmp_path / "x.jsonl").exists()


def page_folder(tmp_path: Path) -> Path:
    """Pages in a folder and a subfolder, one in GB18030, one not a page (skipped by the default --glob)."""
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    (pages / "a.txt").write_text(PAGE, encoding="utf-8")
    (pages / "sub" / "b.txt").write_bytes(PAGE.replace("本报讯", "新华社讯").encode("gb18030"))
    (pages / "c.txt").write_text(BODY_LINES[2] + "\n", encoding="utf-8")
    (pages / "notes.md").write_text(PAGE, encoding="utf-8")
    return pages


def outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_cli_folder_into_one_jsonl_file(tmp_path):
    page_folder(tmp_path)
    result = cnclean("split", "pages", "-o", "pieces.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in (tmp_path / "pieces.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["source"], r["index"]) for r in records] == [
        ("pages/a.txt", 1), ("pages/a.txt", 2), ("pages/c.txt", 1), ("pages/sub/b.txt", 1), ("pages/sub/b.txt", 2)]
    assert records[3]["text"].startswith("孟州市水利局 提升服务质量 打造民生水利\n新华社讯")
    assert result.stderr.startswith("3 files read: "), "several inputs: a summary on stderr"
    assert cnclean("split", "pages", "-q", "-o", "quiet.jsonl", cwd=tmp_path).stderr == ""


def test_cli_text_of_several_pages_has_a_blank_line_between_pages(tmp_path):
    page_folder(tmp_path)
    text = cnclean("split", "pages", "--format", "text", "-q", cwd=tmp_path).stdout
    assert text.count("\n\n") == 4 and "\n\n\n" not in text and text.endswith("摄\n")


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_in_parallel_as_on_one_process(tmp_path, fmt):
    page_folder(tmp_path)
    runs = [cnclean("split", "pages", "--format", fmt, "-o", f"out-{jobs}", "-j", str(jobs), cwd=tmp_path)
            for jobs in (1, 2)]
    assert [run.returncode for run in runs] == [0, 0]
    one, two = (tmp_path / "out-1", tmp_path / "out-2")
    assert (outputs(one) == outputs(two)) if fmt == "files" else (one.read_bytes() == two.read_bytes())


def test_cli_glob_and_files_from(tmp_path):
    pages = page_folder(tmp_path)
    only_md = cnclean("split", "pages", "--glob", "*.md", cwd=tmp_path)
    assert [json.loads(line)["source"] for line in only_md.stdout.splitlines()] == ["pages/notes.md"] * 2
    (tmp_path / "list").write_bytes(b"pages/c.txt\0pages/sub/b.txt\0")
    listed = cnclean("split", "--files-from", "list", "-0", "--format", "files", "-o", "out", "-q", cwd=tmp_path)
    assert listed.returncode == 0 and listed.stderr == ""
    assert sorted(outputs(tmp_path / "out")) == ["b-001.txt", "b-002.txt", "c-001.txt"]
    assert (tmp_path / "out" / "c-001.txt").read_text(encoding="utf-8") == BODY_LINES[2] + "\n"
    assert pages.exists()


def test_cli_one_failed_page_of_several(tmp_path):
    pages = page_folder(tmp_path)
    (pages / "scan.txt").write_bytes(b"%PDF-1.4\x00\x01\x02")
    result = cnclean("split", "pages", "--format", "files", "-o", "out", cwd=tmp_path)
    assert result.returncode == 1 and "pages/scan.txt" in result.stderr
    assert len(outputs(tmp_path / "out")) == 5


@pytest.mark.ray
@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_on_ray_as_on_the_local_engine(ray_runtime, tmp_path, fmt):
    page_folder(tmp_path)
    (tmp_path / "pages" / "scan.txt").write_bytes(b"%PDF-1.4\x00\x01\x02")
    runs = on_both_engines(ray_runtime, "split", "pages", "--format", fmt, "-o", "out", cwd=tmp_path,
                           outputs=("out",))
    assert runs["ray"] == runs["local"]
    status, _, stderr, files = runs["local"]
    assert status == 1 and "failed:\n  pages/scan.txt: " in stderr
    out = files["out"]
    assert (len(out) if fmt == "files" else out.count(b"\n") if fmt == "jsonl" else out.count(b"\n\n") + 1) == 5

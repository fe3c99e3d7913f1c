"""Normalization steps: width, punctuation and script, on real text and on generated text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

from cnclean.errors import ConfigError
from cnclean.pipeline import Pipeline
from cnclean.steps.convert import convert_script

from checks import check_step
from strategies import chinese_text, pages

SEED_004 = (
    "“我们以壮士断腕的勇气转变职能，做群众最‘盼’的事，抓群众最‘怨’的事，帮群众最‘难’的事。”"
    "12月28日，就我市探索受理分离新模式，以“放”简政、以“管”护安、以“服”暖心，全面铺开“一窗”分类受理工作。\n"
    "截至11月底，全市共新登记各类市场主体84273户，同比增长 16%，全市市场主体总量达440499户，好于年初预期。\n"
)
CHINESE_PUNCTUATION = "，。、；：？！“”‘’（）《》【】　"


@pytest.mark.parametrize("step", ["width", "punct", "convert"])
@given(text=chinese_text)
def test_invariants_and_idempotence(step: str, text: str) -> None:
    once = check_step(step, text)
    assert check_step(step, once) == once


@settings(max_examples=40)
@given(text=pages())
def test_clean_chinese_text_is_left_alone(text: str) -> None:
    assert check_step("width", text) == text
    assert check_step("punct", text) == text


@pytest.mark.parametrize("step", ["width", "punct", "convert"])
def test_chinese_punctuation_is_never_touched(step: str) -> None:
    text = f"他说{CHINESE_PUNCTUATION}好"
    assert check_step(step, text) == text


@pytest.mark.parametrize("to, config", [("t", "s2t"), ("tw", "s2tw"), ("twp", "s2twp"), ("hk", "s2hk")])
def test_to_traditional_converts_simplified_paragraphs(to: str, config: str) -> None:
    result = convert_script(SEED_004, to=to)
    assert "職能" in result.text and "市場主體" in result.text
    assert {edit.rule for edit in result.edits} == {config}
    check_step("convert", SEED_004, {"to": to})


def test_round_trip_through_traditional() -> None:
    there = check_step("convert", SEED_004, {"to": "t"})
    assert check_step("convert", there, {"to": "s"}) == SEED_004


def test_taiwan_phrases_may_change_length_but_stay_local() -> None:
    text = "推进审批服务便民化，优化营商环境，用U盘拷贝文件。"
    result = convert_script(text, to="twp")
    assert len(result.text) != len(text)
    check_step("convert", text, {"to": "twp"})


def test_force_converts_a_quotation_too() -> None:
    text = "他说，古人讲“天下大事必作於細”，我们遵循“三步走”战略。"
    assert convert_script(text).text == text
    assert convert_script(text, force=True).text == "他说，古人讲“天下大事必作于细”，我们遵循“三步走”战略。"


def test_unknown_target_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown target"):
        convert_script("政府", to="jp")


def test_corpus_preset_normalizes_and_default_does_not() -> None:
    text = "２０１４年,中華民國行政院(記者)公布"
    assert Pipeline(["width", "punct", "convert"], {"convert": {"to": "s"}}).run(text).text == "2014年，中华民国行政院（记者）公布"
    assert Pipeline(["noise"]).run(text).text == text


SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("to", ["t", "twp"])
def test_seeds_convert_with_every_edit_local(seed: Path, to: str) -> None:
    text = seed.read_text(encoding="utf-8")
    once = check_step("convert", text, {"to": to})
    assert check_step("convert", once, {"to": to}) == once


def test_fix_to_turns_convert_on(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("中華民國行政院今年3月公布了新的經濟政策。\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent / "src")}
    done = subprocess.run([sys.executable, "-m", "cnclean", "fix", "--steps", "noise", "--to", "s", str(page)],
                          capture_output=True, env=env)
    assert done.returncode == 0 and done.stdout.decode() == "中华民国行政院今年3月公布了新的经济政策。\n"

"""The noise step: its rules file, user rules, learned boilerplate, and no false removals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cnclean.errors import ConfigError
from cnclean.steps.noise import builtin_rules, compile_rules, learn_boilerplate, parse_rules, remove_noise

from checks import check_step
from strategies import chinese_text, pages

CASES = Path(__file__).parent / "cases" / "noise"
RULE_NAMES = sorted({rule.name for rule in builtin_rules()})


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.example[:12])
def test_rule_example_is_removed_by_that_rule(rule) -> None:
    result = remove_noise(rule.example)
    assert rule.name in {edit.rule for edit in result.edits}
    assert rule.example.split("\n")[-1] not in result.text or not result.text.strip()


@pytest.mark.parametrize("name", RULE_NAMES)
def test_every_rule_has_a_positive_and_a_negative_golden_case(name: str) -> None:
    assert (CASES / f"{name}.txt").exists(), f"no positive case {name}.txt"
    negatives = [p for p in CASES.glob(f"{name}_*.txt") if "#: unchanged" in p.read_text(encoding="utf-8")]
    assert negatives, f"no negative case {name}_*.txt"


def test_rule_forms_are_listed_together() -> None:
    names = [rule.name for rule in builtin_rules()]
    assert all(names.index(name) + names.count(name) - 1 == len(names) - 1 - names[::-1].index(name) for name in names)


def test_user_rules_file_adds_rules(tmp_path: Path) -> None:
    rules = tmp_path / "rules.tsv"
    rules.write_text("# a site's footer\nsite_footer\t^本站声明[^\\n]*$\t本站声明：转载须注明出处\n", encoding="utf-8")
    text = "今年3月，我参加全国人大会。\n本站声明：转载须注明出处\n"
    result = remove_noise(text, rules_file=str(rules))
    assert result.text == "今年3月，我参加全国人大会。\n"
    assert [edit.rule for edit in result.edits] == ["site_footer"]
    assert remove_noise(text).text == text


@pytest.mark.parametrize("source, message", [
    ("name_only\n", "separated by tabs"),
    ("broken\t(unclosed\texample\n", "bad pattern"),
])
def test_bad_rules_are_config_errors(source: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_rules(source, "rules.tsv")


def test_missing_rules_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        remove_noise("正文", rules_file=str(tmp_path / "missing.tsv"))


def test_learned_lines_are_removed_where_they_are_whole_lines() -> None:
    text = "返回新闻列表\n全市已经通报典型案例29起。\n请点击返回新闻列表查看更多。\n"
    result = remove_noise(text, learned=["返回新闻列表"])
    assert result.text == "全市已经通报典型案例29起。\n请点击返回新闻列表查看更多。\n"
    assert [edit.rule for edit in result.edits] == ["learned"]


def test_learn_boilerplate_needs_enough_files_and_share() -> None:
    common = "南阳日报数字报 版权所有"
    texts = [f"{common}\n第{i}篇正文，今年3月，我参加全国人大会。\n一、" for i in range(4)] + [f"另一个网站的第{i}篇正文。" for i in range(4)]
    assert learn_boilerplate(texts, min_share=0.5, min_files=3) == [common]
    assert learn_boilerplate(texts, min_share=0.6, min_files=3) == []
    assert learn_boilerplate(texts[:4], min_files=3) == [common]
    assert learn_boilerplate(texts[:2], min_share=0.5, min_files=3) == []


def test_short_lines_and_salutations_are_never_learned() -> None:
    texts = [f"一、\n同志们：\n第{i}篇正文，今年3月，我参加全国人大会。" for i in range(5)]
    assert learn_boilerplate(texts, min_files=2) == []


@settings(max_examples=40)
@given(pages())
def test_clean_text_is_left_alone(text: str) -> None:
    result = remove_noise(text)
    assert result.text == text and not result.edits


@given(chinese_text)
def test_noise_invariants_and_idempotence(text: str) -> None:
    once = check_step("noise", text)
    assert check_step("noise", once) == once


@settings(max_examples=40)
@given(pages(), st.lists(st.integers(0, 40), max_size=4), st.sampled_from(["③6", "①５", " ②2", ""]))
def test_inserted_watermarks_and_editor_codes_are_removed(text: str, positions: list[int], code: str) -> None:
    lines = (text + code).split("\n")
    for position in positions:
        lines.insert(position % (len(lines) + 1), "nlc202309090206")
    damaged = "\n".join(lines)
    assert remove_noise(damaged).text.rstrip(" \n") == text


def test_matches_that_together_fill_a_line_take_the_line() -> None:
    result = remove_noise("正文第一段。\nnlc202309090206 ③6\n正文第二段。")
    assert result.text == "正文第一段。\n正文第二段。"
    assert [edit.rule for edit in result.edits] == ["watermark_id", "editor_code"]


def test_fix_takes_a_rules_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules.tsv"
    rules.write_text("site_footer\t^本站声明[^\\n]*$\t本站声明：转载须注明出处\n", encoding="utf-8")
    page = tmp_path / "page.txt"
    page.write_text("今年3月，我参加全国人大会。\nnlc202309090206\n本站声明：转载须注明出处\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent / "src")}
    run = [sys.executable, "-m", "cnclean", "fix", "--steps", "noise"]
    done = subprocess.run(run + ["--rules", str(rules), str(page)], capture_output=True, env=env)
    assert done.returncode == 0 and done.stdout.decode() == "今年3月，我参加全国人大会。\n"
    missing = subprocess.run(run + ["--rules", str(tmp_path / "none.tsv"), str(page)], capture_output=True, env=env)
    assert missing.returncode == 2 and b"cannot read the rules file" in missing.stderr


def test_split_patterns_find_what_the_rule_finds() -> None:
    examples = "\n".join(rule.example for rule in builtin_rules())
    text = examples + "\n" + CASES.joinpath("editor_code.txt").read_text(encoding="utf-8")
    for rule in builtin_rules():
        whole = {m.start() for m in regex.finditer(rule.pattern, text, flags=regex.MULTILINE)}
        split = {m.start() for number, _, pattern in compile_rules((rule,)) for m in pattern.finditer(text)}
        assert whole == split, rule.name

"""Configuration files: where they are found, what they may say, and that flags override them."""

from __future__ import annotations

import pytest

from cnclean.config import find_config, load_config
from cnclean.errors import ConfigError

from toy_cli import run_cli

DAMAGED = "今年\n\n3\n\n月，张 蕊说\n"


def test_nearest_file_up_the_tree(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.cnclean]\npreset = "corpus"\n', encoding="utf-8")
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(tmp_path / "a" / "b") == tmp_path / "pyproject.toml"
    (tmp_path / "a" / "cnclean.toml").write_text("jobs = 3\n", encoding="utf-8")
    assert find_config(tmp_path / "a" / "b") == tmp_path / "a" / "cnclean.toml"
    assert load_config(start=tmp_path / "a" / "b").defaults == {"jobs": 3}


def test_step_selection_and_step_options(tmp_path):
    config = load_config_text('[tool.cnclean]\nsteps = ["digits", "spaces"]\nformat = "jsonl"\n'
                              '[tool.cnclean.convert]\nto = "t"\n', tmp_path)
    assert config.defaults == {"step_names": "digits,spaces", "format": "jsonl"}
    assert config.step_options == {"convert": {"to": "t"}}


def test_errors_and_timeout_come_from_the_file(tmp_path):
    config = load_config_text('errors = "replace"\ntimeout = 30\n', tmp_path)
    assert config.defaults == {"errors": "replace", "timeout": 30}


def load_config_text(text, folder):
    path = folder / "cnclean.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


@pytest.mark.parametrize("text, message", [
    ("colour = 1\n", "unknown key 'colour'"),
    ("[tool.cnclean.convert]\ntoo = 's'\n", "step 'convert' has no option 'too'"),
    ("jobs = 'many'\n", "'jobs' has the wrong type"),
    ("preset = 'fast'\n", "unknown preset 'fast'"),
    ("format = 'csv'\n", "unknown format 'csv'"),
    ("steps = ['digits', 'nosuch']\n", "unknown step 'nosuch'"),
    ("digits = 3\n", "'digits' must be a table"),
    ("jobs = \n", "not valid TOML"),
    ("boilerplate-share = true\n", "'boilerplate-share' has the wrong type"),
    ("boilerplate-share = 1.5\n", "'boilerplate-share' must be a share above 0 and at most 1"),
])
def test_errors_name_the_key_and_the_file(tmp_path, text, message):
    with pytest.raises(ConfigError) as error:
        load_config_text(text, tmp_path)
    assert message in str(error.value) and "cnclean.toml" in str(error.value)


def test_cli_reads_the_nearest_file_and_flags_override_it(tmp_path):
    (tmp_path / "cnclean.toml").write_text('steps = ["digits"]\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text(DAMAGED, encoding="utf-8")
    assert run_cli("fix", "-q", "a.txt", cwd=tmp_path, check_rc=0).stdout.decode() == "今年3月，张 蕊说\n"
    both = run_cli("fix", "-q", "--steps", "digits,spaces", "a.txt", cwd=tmp_path, check_rc=0)
    assert both.stdout.decode() == "今年3月，张蕊说\n"


def test_cli_config_option_and_its_errors(tmp_path):
    (tmp_path / "a.txt").write_text(DAMAGED, encoding="utf-8")
    (tmp_path / "mine.toml").write_text('[tool.cnclean]\nsteps = "spaces"\nquiet = true\n', encoding="utf-8")
    result = run_cli("fix", "--config", "mine.toml", "a.txt", cwd=tmp_path, check_rc=0)
    assert (result.stdout.decode(), result.stderr) == ("今年\n\n3\n\n月，张蕊说\n", b"")
    (tmp_path / "bad.toml").write_text("[tool.cnclean]\ncolour = 1\n", encoding="utf-8")
    bad = run_cli("fix", "--config", "bad.toml", "a.txt", cwd=tmp_path, check_rc=2)
    assert b"bad.toml: unknown key 'colour' in [tool.cnclean]" in bad.stderr


def test_learning_boilerplate_from_the_file(tmp_path):
    config = load_config_text("learn-boilerplate = true\nboilerplate-share = 0.5\n", tmp_path)
    assert config.defaults == {"learn_boilerplate": True, "boilerplate_share": 0.5}
    site = tmp_path / "site"
    site.mkdir()
    for n in range(4):
        (site / f"{n}.txt").write_text(f"返回新闻列表页面\n第{n}号通知：图书馆闭馆一天。\n", encoding="utf-8")
    result = run_cli("fix", "--steps", "noise", "site", cwd=tmp_path, toy=False, check_rc=0)
    assert "返回新闻列表页面" not in result.stdout.decode()
    assert "learned 1 boilerplate line from 4 documents: 返回新闻列表页面" in result.stderr.decode()

"""The documentation tells the truth: every command has help and is in the README, the CI runs the
README's test command, and every recipe in examples/ runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnclean.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = sorted((ROOT / "examples").glob("*.sh"))


@pytest.mark.parametrize("name", sorted(main.commands))
def test_r35_every_command_has_help_and_is_in_the_readme(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0 and len(result.output.split("\n\n")[1].strip()) > 10
    assert f"`cnclean {name}" in README or f"`{name}`" in README.split("## Commands")[1].split("\n## ")[0]


def test_ci_runs_the_readme_test_command_verbatim():
    command = re.search(r"Run the tests:\n\n```\n(.+?)\n```", README).group(1)
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_documents_completion_and_no_color():
    assert "_CNCLEAN_COMPLETE=bash_source cnclean" in README and "NO_COLOR" in README


def test_every_example_is_listed():
    listed = (ROOT / "examples" / "README.md").read_text(encoding="utf-8")
    assert all(f"`{path.name}`" in listed for path in EXAMPLES)


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda path: path.name)
def test_example_runs(tmp_path, script):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "cnclean"
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m cnclean "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(["bash", str(script)], cwd=tmp_path, env=env, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")

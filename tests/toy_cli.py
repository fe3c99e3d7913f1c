"""The cnclean command with small, known steps in place of the real repairs.

The CLI tests check the machinery around the steps (files, formats, reports, exit codes),
so they need steps whose every edit is known in advance, whatever the real repairs do:

- ``digits`` joins the line breaks around a number (``今年\\n\\n3\\n\\n月`` → ``今年3月``);
- ``spaces`` drops a space between two Chinese characters (``张 蕊`` → ``张蕊``);
- ``noise`` removes ``【水印】`` watermark lines, raises on ``BOOM`` (a step that crashes) and
  never ends on ``SLOW`` (a step that hangs);
- every other step of ``fix`` does nothing.

Run it as ``python tests/toy_cli.py fix FILE``; ``run_cli`` does that from a test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


def _install_toy_steps() -> None:
    import regex

    from cnclean.model import Step, rewrite
    from cnclean.registry import STEPS

    around_number = regex.compile(r"(?<=[\p{Han}\d])\n+(?=\d)|(?<=\d)\n+(?=[\p{Han}%])")
    han_space = regex.compile(r"(?<=\p{Han}) (?=\p{Han})")
    watermark = regex.compile(r"^【水印】\n", regex.M)

    def join_digits(text: str):
        return rewrite(text, [(m.start(), m.end(), "", "number") for m in around_number.finditer(text)], "digits")

    def drop_spaces(text: str):
        return rewrite(text, [(m.start(), m.end(), "", "han-space") for m in han_space.finditer(text)], "spaces")

    def drop_noise(text: str):
        if "BOOM" in text:
            raise RuntimeError("toy step crashed")
        while "SLOW" in text:
            pass
        return rewrite(text, [(m.start(), m.end(), "", "watermark") for m in watermark.finditer(text)], "noise")

    toys = {"digits": join_digits, "spaces": drop_spaces, "noise": drop_noise}
    for name, step in list(STEPS.items()):
        if name in toys:
            STEPS[name] = Step(name, step.kind, toys[name], step.summary)
        elif name not in ("width", "punct", "convert"):  # the layout steps of fix do nothing here
            STEPS[name] = Step(name, step.kind, lambda text: rewrite(text, [], "none"), step.summary)


def run_cli(*args, input: bytes | str | None = None, cwd=None, env: dict | None = None, toy: bool = True,
            check_rc: int | None = None) -> subprocess.CompletedProcess:
    """Run ``cnclean ARGS`` in a real subprocess (with the toy steps unless ``toy=False``)."""
    command = [sys.executable, __file__] if toy else [sys.executable, "-m", "cnclean"]
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env["PYTHONPATH"] = str(SRC)
    full_env.update(env or {})
    if isinstance(input, str):
        input = input.encode("utf-8")
    result = subprocess.run([*command, *map(str, args)], input=input if input is not None else b"",
                            capture_output=True, cwd=cwd, env=full_env, timeout=120)
    if check_rc is not None:
        assert result.returncode == check_rc, (result.returncode, result.stderr.decode("utf-8", "replace"))
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(SRC))
    _install_toy_steps()
    from cnclean.cli import main

    main(prog_name="cnclean")

"""Golden cases: one file per case under tests/cases/, readable in any editor.

A case file starts with a header line ``#: steps=NAME[,NAME…]``, then the input, then a
line ``#: output`` and the expected output, or a line ``#: unchanged`` for a negative case
whose input must come out exactly as it went in. Every case is also checked for
idempotence, the step-kind invariant and the replay of its edits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from cnclean.pipeline import Pipeline

from checks import checked_run

CASES = Path(__file__).parent / "cases"


@dataclass
class Case:
    steps: list[str]
    text: str
    expected: str


def load_case(path: Path) -> Case:
    raw = path.read_text(encoding="utf-8")
    header, _, body = raw.partition("\n")
    assert header.startswith("#: steps="), f"{path}: first line must be '#: steps=…'"
    steps = header.removeprefix("#: steps=").strip().split(",")
    if "\n#: unchanged" in "\n" + body:
        text = body[: body.rindex("#: unchanged")].removesuffix("\n")
        return Case(steps, text, text)
    text, _, expected = body.partition("\n#: output\n")
    return Case(steps, text, expected)


CASE_FILES = sorted(CASES.rglob("*.txt"))


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: str(p.relative_to(CASES)))
def test_case(path: Path) -> None:
    case = load_case(path)
    assert checked_run(case.text, case.steps) == case.expected
    again = Pipeline(case.steps).run(case.expected)
    assert again.text == case.expected and not again.edits, "the output is not stable"

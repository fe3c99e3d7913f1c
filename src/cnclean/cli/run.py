"""The part every command shares: read the inputs, apply one text transform, write the outputs."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import click

from ..errors import CncleanError
from ..io import atomic_write, read_text
from ..pipeline import Pipeline

ENCODING_HELP = "Input encoding: auto (BOM, UTF-8, then GB18030 or Big5, judged on the text), or a codec name."


def common_options(func):
    """Options every text command takes: inputs, output and encoding."""
    func = click.option("-e", "--encoding", default="auto", show_default=True, help=ENCODING_HELP)(func)
    func = click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                        help="Write to this file (atomically) instead of stdout.")(func)
    func = click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True))(func)
    return func


def run_pipeline_command(pipeline: Pipeline, **io_options) -> None:
    """Run ``pipeline`` over the inputs that ``common_options`` collected, then exit with the status."""
    sys.exit(run_transform(lambda text: pipeline.run(text).text, **io_options))


Transform = Callable[[str], str]

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def error_line(source: str, message: str) -> None:
    """One line on stderr that names the input and says what went wrong."""
    name = "<stdin>" if source == "-" else source
    click.echo(f"cnclean: error: {name}: {message}", err=True)


def finish_text(text: str) -> str:
    """Output text ends with exactly one newline, unless it is empty."""
    text = text.rstrip("\n")
    return text + "\n" if text else ""


@dataclass
class Outcome:
    """What became of a run over several inputs."""

    outputs: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if not self.failed:
            return EXIT_OK
        return EXIT_USAGE if not self.outputs else EXIT_SOME_FAILED


def check_not_same_file(inputs: Sequence[str], output: str | None) -> None:
    if output is None or output == "-":
        return
    for source in inputs:
        if source != "-" and os.path.exists(output) and os.path.exists(source) and os.path.samefile(source, output):
            raise click.UsageError(f"{output} is also an input; use --in-place to rewrite a file")


def run_transform(
    transform: Transform,
    *,
    inputs: Sequence[str],
    output: str | None,
    encoding: str,
) -> int:
    """Transform every input; write to ``output`` (atomically) or stdout. Returns the exit code."""
    sources = list(inputs) or ["-"]
    check_not_same_file(sources, output)
    outcome = Outcome()
    for source in sources:
        try:
            decoded = read_text(source, encoding)
            outcome.outputs.append(finish_text(transform(decoded.text)))
        except CncleanError as error:
            error_line(source, str(error))
            outcome.failed.append(source)
    if outcome.outputs:
        data = "\n".join(text for text in outcome.outputs if text).encode("utf-8")
        if output is None or output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            atomic_write(output, data)
    return outcome.exit_code

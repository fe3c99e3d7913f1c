"""The `cnclean split` command: repair pages, then write each piece (article, caption, notice) apart."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from ..batch import Source, finish_text
from ..pipeline import Pipeline
from ..steps.pieces import FIRST, split_pieces
from .run import BATCH_OPTIONS, LEARN_OPTIONS, input_options, option_groups, run_transform

FORMATS = ("jsonl", "files", "text")


def choose_format(fmt: str | None, output: str | None) -> str:
    """``--format`` if given; else by the output: a folder takes files, a ``.txt`` file text, anything else JSONL."""
    if fmt:
        return fmt
    if output and output != "-" and (output.endswith(("/", "\\")) or Path(output).is_dir()):
        return "files"
    if output and output.endswith(".txt"):
        return "text"
    return "jsonl"


def piece_file(source: Source, index: int) -> str:
    """``<stem>-001.txt`` for the first piece of ``<stem>.txt``, in the same subfolder as its page
    when the page was found in a folder."""
    folder = os.path.dirname(source.relative) if source.in_folder else ""
    stem = Path(os.path.basename(source.relative)).stem
    if source.relative.endswith(".txt.gz"):
        stem = Path(stem).stem
    return os.path.join(folder, f"{stem}-{index:03d}.txt")


@dataclass(frozen=True)
class PieceRender:
    """A repaired page as its pieces, in one of the ``FORMATS``; runs in the workers (picklable)."""

    format: str

    @property
    def files(self) -> bool:
        return self.format == "files"

    @property
    def joint(self) -> bytes:
        return b"\n" if self.format == "text" else b""

    def __call__(self, source: Source, text: str) -> list[tuple[str, bytes]]:
        pieces = split_pieces(text)
        if self.format == "text":
            return [("", finish_text("\n\n".join(piece.text for piece in pieces)).encode("utf-8"))]
        if self.format == "files":
            return [(piece_file(source, n), finish_text(piece.text).encode("utf-8"))
                    for n, piece in enumerate(pieces, 1)]
        name = "-" if source.path == "-" else source.name
        if source.in_folder:  # a page found in a folder is named as pathlib names it: pages/a.txt for ./pages
            name = str(Path(name))
        records = (json.dumps({**piece.to_dict(), "source": name, "index": n}, ensure_ascii=False) + "\n"
                   for n, piece in enumerate(pieces, 1))
        return [("", "".join(records).encode("utf-8"))]


@click.command()
@click.option("-o", "--output", default=None,
              help="A file (jsonl, text) or a folder (files), written atomically; default stdout.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="jsonl: one piece per line; files: one file per piece; text: a blank line between pieces. "
                   "Default: files when -o is a folder, text when it ends in .txt, else jsonl.")
@option_groups(input_options("*.txt and *.txt.gz"), BATCH_OPTIONS, LEARN_OPTIONS)
def split(output, fmt, **io_options) -> None:
    """Repair pages, then split each into its pieces: articles, captions, notices.

    \b
    cnclean split page.txt                       JSON Lines on stdout
    cnclean split pages/ -o pieces.jsonl         a folder of pages into one JSONL
    cnclean split pages/ --format files -o out/  out/<stem>-001.txt, -002.txt, …
    cnclean split pages/ -j 8 -o pieces.jsonl    on 8 processes (or --engine ray)
    Each JSON line: text (title first, a paragraph per line), title, subtitle, byline, kind,
    source, index (1 for the first piece of a page).
    """
    fmt = choose_format(fmt, output)
    if fmt == "files" and (not output or output == "-"):
        raise click.UsageError("--format files needs -o FOLDER")
    if fmt == "files" and Path(output).exists() and not Path(output).is_dir():
        raise click.UsageError(f"{output} is a file; --format files writes into a folder")
    if fmt != "files" and output and Path(output).is_dir():
        raise click.UsageError(f"{output} is a folder; use --format files or give a file name")
    # the pieces list a headline first, wherever the page printed it
    pipeline = Pipeline.from_preset("default", pieces={"headlines": FIRST})
    sys.exit(run_transform(pipeline, output=output, format="text", render=PieceRender(fmt), **io_options))


COMMANDS = [split]

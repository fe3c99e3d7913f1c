"""The `cnclean split` command: repair pages, then write each piece (article, caption, notice) apart."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import split_text
from ..errors import CncleanError
from ..io import atomic_write, read_text
from ..model import Piece
from .run import ENCODING_HELP, EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, error_line, finish_text

FORMATS = ("jsonl", "files", "text")


def expand_inputs(inputs: tuple[str, ...]) -> list[tuple[str, Path | None]]:
    """Each input with the folder it was found in: a folder stands for the ``*.txt`` files under it."""
    found: list[tuple[str, Path | None]] = []
    for source in inputs or ("-",):
        path = Path(source)
        if source != "-" and path.is_dir():
            found.extend((str(file), path) for file in sorted(path.rglob("*.txt")) if file.is_file())
        else:
            found.append((source, None))
    return found


def choose_format(fmt: str | None, output: str | None) -> str:
    """``--format`` if given; else by the output: a folder takes files, a ``.txt`` file text, anything else JSONL."""
    if fmt:
        return fmt
    if output and output != "-" and (output.endswith(("/", "\\")) or Path(output).is_dir()):
        return "files"
    if output and output.endswith(".txt"):
        return "text"
    return "jsonl"


def piece_record(piece: Piece, source: str, index: int) -> dict:
    return {**piece.to_dict(), "source": source, "index": index}


def piece_file(folder: Path, source: str, root: Path | None, index: int) -> Path:
    """``<stem>-001.txt`` for the first piece of ``<stem>.txt``, in the same subfolder as its page."""
    if source == "-":
        return folder / f"stdin-{index:03d}.txt"
    path = Path(source)
    relative = path.parent.relative_to(root) if root is not None else Path()
    return folder / relative / f"{path.stem}-{index:03d}.txt"


@click.command()
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-o", "--output", default=None,
              help="A file (jsonl, text) or a folder (files), written atomically; default stdout.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="jsonl: one piece per line; files: one file per piece; text: a blank line between pieces. "
                   "Default: files when -o is a folder, text when it ends in .txt, else jsonl.")
@click.option("-e", "--encoding", default="auto", show_default=True, help=ENCODING_HELP)
def split(inputs, output, fmt, encoding) -> None:
    """Repair pages, then split each into its pieces: articles, captions, notices.

    \b
    cnclean split page.txt                       JSON Lines on stdout
    cnclean split pages/ -o pieces.jsonl         a folder of pages into one JSONL
    cnclean split pages/ --format files -o out/  out/<stem>-001.txt, -002.txt, …
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
    sources = expand_inputs(inputs)
    if not sources:
        raise click.UsageError("no .txt files in the given folders")
    chunks: list[str] = []
    failed = written = 0
    for source, root in sources:
        try:
            pieces = split_text(read_text(source, encoding).text)
        except CncleanError as error:
            error_line(source, str(error))
            failed += 1
            continue
        written += 1
        if fmt == "jsonl":
            chunks.extend(json.dumps(piece_record(piece, source, n), ensure_ascii=False) + "\n"
                          for n, piece in enumerate(pieces, 1))
        elif fmt == "text":
            chunks.append(finish_text("\n\n".join(piece.text for piece in pieces)))
        else:
            for n, piece in enumerate(pieces, 1):
                target = piece_file(Path(output), source, root, n)
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write(target, finish_text(piece.text).encode("utf-8"))
    if fmt != "files" and written:
        separator = "\n" if fmt == "text" else ""
        data = separator.join(chunk for chunk in chunks if chunk).encode("utf-8")
        if not output or output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            atomic_write(output, data)
    sys.exit(EXIT_OK if not failed else EXIT_USAGE if not written else EXIT_SOME_FAILED)


COMMANDS = [split]

"""The `cnclean dedup` command: repeats inside each input, or near-duplicate documents across a corpus."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Iterator, Sequence

import click

from ..across import THRESHOLD, Cluster, Counted, Settings, find_near_duplicates
from ..errors import CncleanError, InputError
from ..io import atomic_write, read_bytes, read_text
from ..pipeline import Pipeline
from ..steps.dedup import MIN_CHARS
from .run import ENCODING_HELP, ENGINE_OPTIONS, EXIT_OK, EXIT_USAGE, check_engine, error_line, run_pipeline_command

JSONL_SUFFIXES = (".jsonl", ".ndjson")


@dataclass(frozen=True)
class CorpusFile:
    """One file of a corpus: where it is read, the key of its documents (its path as given),
    and where its cleaned copy goes under ``-o DIR``."""

    path: Path
    target: Path
    key: str

    @property
    def is_jsonl(self) -> bool:
        return self.path.suffix.lower() in JSONL_SUFFIXES


def corpus_files(inputs: Sequence[str]) -> list[CorpusFile]:
    """The files of the inputs in order, each once; a folder gives its files (recursively, in path order)."""
    files: dict[Path, CorpusFile] = {}
    for source in inputs:
        path = Path(source)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in relative.parts):
                    files.setdefault(child.resolve(), CorpusFile(child, Path(path.resolve().name) / relative, str(child)))
        elif path.is_file():
            files.setdefault(path.resolve(), CorpusFile(path, Path(path.name), str(path)))
        else:
            raise InputError(f"{source}: no such file or folder")
    return list(files.values())


def jsonl_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Numbered lines of a JSONL file, split on ``\\n`` only (U+2028 inside a string is not a break)."""
    with path.open("rb") as stream:
        for number, line in enumerate(stream, 1):
            yield number, line


def corpus_records(files: Sequence[CorpusFile], text_key: str, encoding: str) -> Iterator[tuple[str, str]]:
    """``(key, text)`` for every document: a file's key is its path, a JSONL record's ``path:line``."""
    for file in files:
        if not file.is_jsonl:
            try:
                yield file.key, read_text(str(file.path), encoding).text
            except CncleanError as error:
                raise InputError(f"{file.key}: {error}") from None
            continue
        for number, line in jsonl_lines(file.path):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                raise InputError(f"{file.key}:{number}: not a JSON record ({error})") from None
            text = record.get(text_key) if isinstance(record, dict) else None
            if not isinstance(text, str):
                raise InputError(f"{file.key}:{number}: no text under the key {text_key!r}; choose it with --text-key")
            yield f"{file.key}:{number}", text


def write_corpus(files: Sequence[CorpusFile], duplicates: set[str], folder: Path) -> None:
    """Write the corpus without its duplicates under ``folder``: files copied, JSONL records filtered."""
    for file in files:
        target = folder / file.target
        if file.is_jsonl:
            kept = b"".join(line for number, line in jsonl_lines(file.path) if f"{file.key}:{number}" not in duplicates)
        elif file.key in duplicates:
            continue
        else:
            kept = read_bytes(str(file.path))
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, kept)


def report_clusters(clusters: list[Cluster], report: str | None) -> None:
    lines = "".join(json.dumps(cluster.to_dict(), ensure_ascii=False) + "\n" for cluster in clusters)
    if report is None or report == "-":
        sys.stdout.write(lines)
        sys.stdout.flush()
    else:
        atomic_write(report, lines.encode("utf-8"))


def find_clusters(files: list[CorpusFile], text_key: str, encoding: str, threshold: float, engine: str,
                  ray_address: str | None) -> tuple[list[Cluster], int]:
    """The clusters of the corpus and its number of documents, in this process or on Ray (the same clusters)."""
    if engine == "ray":
        from ..engines.ray_engine import cluster_ray

        at_workers = [dataclasses.replace(file, path=Path(os.path.abspath(file.path))) for file in files]
        read = partial(corpus_records, text_key=text_key, encoding=encoding)
        return cluster_ray(at_workers, read, Settings(threshold), address=ray_address)
    records = Counted(corpus_records(files, text_key, encoding))
    return find_near_duplicates(records, threshold=threshold), records.count


def run_across(inputs: Sequence[str], output: str | None, encoding: str, text_key: str,
               report: str | None, threshold: float, engine: str = "local", ray_address: str | None = None) -> int:
    """Find near-duplicate documents across the corpus; report them and optionally write the corpus without them."""
    if not inputs or "-" in inputs:
        raise click.UsageError("--across reads files and folders; give them as arguments (stdin is not a corpus)")
    if output is not None and Path(output).exists() and not Path(output).is_dir():
        raise click.UsageError(f"{output} is a file; with --across, -o takes a folder for the cleaned corpus")
    if engine == "ray":
        from ..engines.ray_engine import connect

        try:  # before any file is read: a missing extra or an unreachable cluster is not an input's fault
            connect(ray_address)
        except CncleanError as error:
            click.echo(f"cnclean: error: {error}", err=True)
            return EXIT_USAGE
    try:
        files = corpus_files(inputs)
        clusters, documents = find_clusters(files, text_key, encoding, threshold, engine, ray_address)
        report_clusters(clusters, report)
        duplicates = {key for cluster in clusters for key in cluster.duplicates}
        if output is not None:
            write_corpus(files, duplicates, Path(output))
    except CncleanError as error:
        error_line(inputs[0] if len(inputs) == 1 else "corpus", str(error))
        return EXIT_USAGE
    except OSError as error:
        error_line(error.filename or "corpus", f"{error.strerror or error}; check that the folder of -o is writable")
        return EXIT_USAGE
    click.echo(f"cnclean: {documents} documents, {len(clusters)} clusters, {len(duplicates)} duplicates", err=True)
    return EXIT_OK


@click.command()
@click.argument("inputs", nargs=-1, type=click.Path(allow_dash=True))
@click.option("-o", "--output", type=click.Path(), default=None,
              help="Write to this file (atomically) instead of stdout; with --across, a folder that "
                   "receives the corpus without its duplicates.")
@click.option("-e", "--encoding", default="auto", show_default=True, help=ENCODING_HELP)
@click.option("--min-chars", type=click.IntRange(1), default=MIN_CHARS, show_default=True,
              help="Shortest repeat removed inside a document, in characters without white space.")
@click.option("--across", is_flag=True,
              help="Find near-duplicate documents across files, folders and JSONL corpora instead.")
@click.option("--text-key", default="text", show_default=True, help="With --across: the JSONL field that holds the text.")
@click.option("--report", type=click.Path(dir_okay=False), default=None,
              help="With --across: write the clusters (JSON Lines) to this file instead of stdout.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=THRESHOLD, show_default=True,
              help="With --across: estimated Jaccard similarity of character 5-grams from which documents are duplicates.")
@ENGINE_OPTIONS[0]
@ENGINE_OPTIONS[1]
def dedup(inputs, output, encoding, min_chars, across, text_key, report, threshold, engine, ray_address) -> None:
    """Remove repeated articles, paragraphs and passages, keeping the first copy.

    Without --across, each input is one document and repeats inside it go (a page an
    extractor printed twice, a title repeated in a metadata box). With --across, whole
    documents that are near-duplicates of an earlier one are reported, one JSON line per
    cluster: {"keep": KEY, "duplicates": [KEY...], "similarity": X}.

    \b
    cnclean dedup page.txt -o clean.txt
    cnclean dedup --across corpus/ --report clusters.jsonl -o deduped/
    cnclean dedup --across news.jsonl --text-key content -o deduped/
    cnclean dedup --across corpus/ -o deduped/ --engine ray --ray-address auto
    """
    check_engine(engine, ray_address)
    if across:
        sys.exit(run_across(inputs, output, encoding, text_key, report, threshold, engine, ray_address))
    if output is not None and Path(output).is_dir():
        raise click.UsageError(f"{output} is a folder; -o takes a file unless --across is given")
    run_pipeline_command(Pipeline(["dedup"], {"dedup": {"min_chars": min_chars}}),
                         inputs=inputs, output=output, encoding=encoding, engine=engine, ray_address=ray_address)


COMMANDS = [dedup]

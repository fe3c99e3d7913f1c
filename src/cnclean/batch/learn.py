"""A batch's boilerplate: the lines that recur across its documents, learned in a first pass.

The documents are read as the run reads them (same decoding, a JSONL record is a document,
a very large text file is its blocks), but only a bounded, evenly spread sample of them is
kept: a folder of 100,000 pages must not put every distinct line of the corpus in memory.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Sequence

from ..steps.noise import BLANK, learn_boilerplate
from .discover import Source
from .process import Job, process_file

SAMPLE_DOCUMENTS = 1000
"""At most this many documents are learned from, evenly spread over the batch."""

SAMPLE_CHARACTERS = 20_000_000
"""At most this many characters of lines are kept for learning (a sample of huge documents is smaller)."""

MIN_DOCUMENTS = 3
"""A line is learned only if at least this many documents hold it, whatever its share."""

LINE_CHARS = 200
"""Longer lines are never learned: a site's furniture is short, an article's paragraph is not."""


class EvenSample:
    """The distinct short lines of every ``stride``-th document seen; the stride doubles
    whenever the sample outgrows its bounds, so the sample stays evenly spread over all
    the documents seen, however many there turn out to be.

    It is the transform of the first pass: it returns each text unchanged.
    """

    def __init__(self, documents: int = SAMPLE_DOCUMENTS, characters: int = SAMPLE_CHARACTERS) -> None:
        self.documents = documents
        self.characters = characters
        self.stride = 1
        self.seen = 0
        self.kept: list[tuple[int, tuple[str, ...]]] = []
        self.kept_characters = 0

    def __call__(self, text: str) -> str:
        index = self.seen
        self.seen += 1
        if index % self.stride == 0:
            lines = tuple(dict.fromkeys(line for line in (raw.strip(BLANK) for raw in text.split("\n"))
                                        if line and len(line) <= LINE_CHARS))
            self.kept.append((index, lines))
            self.kept_characters += sum(map(len, lines))
            while len(self.kept) > 1 and (len(self.kept) > self.documents or self.kept_characters > self.characters):
                self.stride *= 2
                self.kept = [(n, kept) for n, kept in self.kept if n % self.stride == 0]
                self.kept_characters = sum(len(line) for _, kept in self.kept for line in kept)
        return text


@dataclass(frozen=True)
class Boilerplate:
    """The lines learned, and from what: ``documents`` sampled of the ``read`` documents of
    ``files_read`` files, in a batch of ``files`` files."""

    lines: list[str]
    documents: int
    read: int
    files_read: int
    files: int


def learn_batch_boilerplate(sources: Sequence[Source], job: Job, *, min_share: float = 0.6,
                            documents: int = SAMPLE_DOCUMENTS) -> Boilerplate:
    """The boilerplate of the documents of ``sources``, read as ``job`` reads them (see ``learn_boilerplate``).

    With more files than ``documents``, only that many files, evenly spread, are read. A file
    that cannot be read is left out (the run reports it).
    """
    step = max(1, len(sources) / documents)
    chosen = [sources[int(n * step)] for n in range(min(len(sources), documents))]
    sample = EvenSample(documents)
    reading = dataclasses.replace(job, mode="none", collect=False, render=None, timeout=None)
    for source in chosen:
        process_file(source, reading, sample)
    lines = learn_boilerplate(("\n".join(kept) for _, kept in sample.kept), min_share=min_share,
                              min_files=MIN_DOCUMENTS)
    return Boilerplate(lines, len(sample.kept), sample.seen, len(chosen), len(sources))

#!/usr/bin/env python3
"""Throughput, memory and accuracy of `cnclean dedup --across` (cnclean.across) on a generated corpus.

    PYTHONPATH=src python benchmarks/dedup_across.py                       # 100,000 documents of ~300 characters
    PYTHONPATH=src python benchmarks/dedup_across.py --docs 20000 --chars 2000

Documents are random sentences over the 1,500 most frequent Han characters, weighted
by rank, with Chinese punctuation. A share of them (--dup-rate) are damaged copies
of an earlier document: re-wrapped at a column width, with another title, or with one
paragraph dropped. Documents are generated lazily, so the corpus never sits in memory;
peak memory is the signatures plus the working batch. Prints MB/s of UTF-8 text, documents
per second, peak RSS and the precision and recall of the clustered pairs.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from importlib import resources
from typing import Iterator

import numpy as np

from cnclean.across import find_near_duplicates


def hanzi() -> str:
    text = resources.files("cnclean").joinpath("data/common_hanzi.txt").read_text(encoding="utf-8")
    return "".join(line.strip() for line in text.splitlines() if not line.startswith("#"))[:1500]


class Corpus:
    """Lazily generated documents with known near-duplicates."""

    def __init__(self, docs: int, chars: int, dup_rate: float, seed: int) -> None:
        self.docs, self.chars, self.dup_rate = docs, chars, dup_rate
        self.rng = random.Random(seed)
        self.numbers = np.random.default_rng(seed)
        self.alphabet = np.array(list(hanzi()))
        weights = 1 / (np.arange(len(self.alphabet)) + 10)
        self.weights = weights / weights.sum()
        self.truth: dict[str, str] = {}
        self.bytes = 0

    def sentences(self, size: int) -> str:
        """About ``size`` characters of sentences: Han characters by frequency, a comma or stop every few."""
        chars = self.alphabet[self.numbers.choice(len(self.alphabet), size=size, p=self.weights)]
        marks = self.numbers.random(size)
        chars[marks < 0.1] = "，"
        chars[marks < 0.04] = "。"
        return "".join(chars.tolist()) + "。"

    def sentence(self) -> str:
        return self.sentences(self.rng.randint(8, 30))

    def paragraphs(self) -> list[str]:
        paragraphs, size = [], 0
        while size < self.chars:
            paragraphs.append(self.sentences(self.rng.randint(40, 160)))
            size += len(paragraphs[-1])
        return paragraphs

    def damaged(self, parts: list[str]) -> str:
        kind = self.rng.choice(["rewrapped", "title", "dropped"])
        if kind == "rewrapped":
            body = "".join(parts)
            width = self.rng.randint(12, 20)
            return "\n\n".join(body[i : i + width] for i in range(0, len(body), width))
        if kind == "title" or len(parts) < 4:
            return "\n".join(["新标题" + self.sentence()] + parts[1:])
        kept = parts[:]
        del kept[self.rng.randint(1, len(kept) - 1)]
        return "\n".join(kept)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        recent: list[tuple[str, list[str]]] = []
        for number in range(self.docs):
            key = f"doc{number:07d}"
            if recent and self.rng.random() < self.dup_rate:
                original, parts = self.rng.choice(recent)
                text = self.damaged(parts)
                self.truth[key] = original
            else:
                parts = [self.sentence()] + self.paragraphs()
                text = "\n".join(parts)
                recent.append((key, parts))
                recent = recent[-1000:]
            self.bytes += len(text.encode("utf-8"))
            yield key, text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--chars", type=int, default=300, help="characters per document, about")
    parser.add_argument("--dup-rate", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    corpus = Corpus(args.docs, args.chars, args.dup_rate, args.seed)
    generation = 0.0

    def timed() -> Iterator[tuple[str, str]]:
        nonlocal generation
        documents = iter(corpus)
        while True:
            before = time.perf_counter()
            record = next(documents, None)
            generation += time.perf_counter() - before
            if record is None:
                return
            yield record

    start = time.perf_counter()
    clusters = find_near_duplicates(timed())
    elapsed = time.perf_counter() - start - generation
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    found = {(duplicate, cluster.keep) for cluster in clusters for duplicate in cluster.duplicates}
    expected = set(corpus.truth.items())
    hits = len(found & expected)
    megabytes = corpus.bytes / 2**20
    print(f"{args.docs} documents, {megabytes:.1f} MiB, {len(expected)} planted near-duplicates")
    print(f"signatures + LSH + clusters: {elapsed:.2f} s (generation, {generation:.2f} s, not counted)")
    print(f"{megabytes / elapsed:.1f} MiB/s, {args.docs / elapsed:,.0f} documents/s, peak RSS {peak:.0f} MiB")
    print(f"precision {hits / max(1, len(found)):.4f}, recall {hits / max(1, len(expected)):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

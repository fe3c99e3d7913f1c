"""Near-duplicate documents across a corpus: MinHash over character n-grams, LSH, union-find.

Chinese has no spaces between words, so documents are compared as sets of character
n-grams of their text with white space removed (a copy wrapped at another width is the
same set). Signatures are computed for a batch of documents at once with numpy: the
n-gram hashes of the whole batch in a few vector operations, the permutations as one
broadcast multiply-add, the minimum per document with ``minimum.reduceat``. Hashing
shingle by shingle in Python, as datasketch does, is ten times slower.

The work is cut into the stages a distributed run needs, and ``find_near_duplicates`` chains
them in this process: ``sign_records`` (a batch of documents → keys, band keys, check values),
``candidate_pairs`` (documents that share a band key), ``verified_pairs`` (estimated Jaccard
similarity), ``union_find`` and ``clusters_of`` (the first document of each cluster survives).
The Ray engine runs the same stages in tasks (``cnclean.engines.ray_engine.cluster_ray``), so
both give the same clusters.

Pure: takes ``(key, text)`` records, returns clusters; reading files is the caller's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

import numpy as np

from .text import code_points, space

NGRAM = 5
"""Characters per shingle: long enough that two articles on the same topic share few."""

PERMUTATIONS = 128
BANDS = 32
"""LSH bands of ``PERMUTATIONS / BANDS`` rows: pairs above about 0.5 similarity become
candidates with probability over 0.87, pairs below 0.2 with under 0.05."""

THRESHOLD = 0.5
"""Estimated Jaccard similarity from which two documents are near-duplicates."""

BATCH_SHINGLES = 1 << 16
"""Shingles hashed at once; bounds the working memory to ``PERMUTATIONS`` × this × 4 bytes."""

_MIX = np.uint64(0x9E3779B97F4A7C15)
_BASE = np.uint64(0x100000001B3)


@dataclass(frozen=True, slots=True)
class Settings:
    """What decides the clusters; small and picklable, so every worker signs documents alike."""

    threshold: float = THRESHOLD
    ngram: int = NGRAM
    permutations: int = PERMUTATIONS
    bands: int = BANDS
    seed: int = 1

    def __post_init__(self) -> None:
        if self.permutations % self.bands:
            raise ValueError(f"permutations ({self.permutations}) must be a multiple of bands ({self.bands})")

    def hasher(self) -> "MinHasher":
        return MinHasher(self.ngram, self.permutations, self.seed)


@dataclass(frozen=True, slots=True)
class Signed:
    """A batch of documents signed: per document (row), its band keys and the check values that
    verify candidates (the low 16 bits of its signature, which add a negligible 1/65536 to the
    estimated similarity)."""

    keys: list[str]
    band_keys: np.ndarray
    checks: np.ndarray

    @classmethod
    def join(cls, parts: list["Signed"], settings: Settings) -> "Signed":
        """The batches as one, in order (the list is emptied as they are copied)."""
        keys = [key for part in parts for key in part.keys]
        band_keys = [part.band_keys for part in parts]
        checks = [part.checks for part in parts]
        parts.clear()
        return cls(keys, _joined(band_keys, (0, settings.bands), np.uint64),
                   _joined(checks, (0, settings.permutations), np.uint16))


@dataclass(frozen=True, slots=True)
class Cluster:
    """Documents that are near-duplicates of ``keep``, the first of them in input order."""

    keep: str
    duplicates: tuple[str, ...]
    similarity: float

    def to_dict(self) -> dict:
        return {"keep": self.keep, "duplicates": list(self.duplicates), "similarity": self.similarity}


class Counted:
    """The records passed through, counted (documents without visible characters too)."""

    def __init__(self, records: Iterable[tuple[str, str]]) -> None:
        self.records = iter(records)
        self.count = 0

    def __iter__(self) -> "Counted":
        return self

    def __next__(self) -> tuple[str, str]:
        record = next(self.records)
        self.count += 1
        return record


def _visible_codes(text: str) -> np.ndarray:
    codes = code_points(text)
    return codes[~space(codes)]


class MinHasher:
    """MinHash signatures of texts, ``permutations`` unsigned 32-bit values each."""

    def __init__(self, ngram: int = NGRAM, permutations: int = PERMUTATIONS, seed: int = 1) -> None:
        rng = np.random.default_rng(seed)
        self.ngram = ngram
        self.multipliers = (rng.integers(0, 1 << 32, permutations, dtype=np.uint64) | 1).astype(np.uint32)[:, None]
        self.offsets = rng.integers(0, 1 << 32, permutations, dtype=np.uint64).astype(np.uint32)[:, None]

    def shingle_hashes(self, codes: np.ndarray) -> np.ndarray:
        """32-bit hashes of every n-gram of the documents laid end to end in ``codes``.

        Each document is followed by ``ngram - 1`` zero codes so that no n-gram spans two
        documents; a document shorter than an n-gram gives one padded shingle.
        """
        n = self.ngram
        hashes = codes.astype(np.uint64) * _MIX
        hashes ^= hashes >> np.uint64(31)
        combined = hashes[: len(hashes) - n + 1].copy()
        for shift in range(1, n):
            combined = combined * _BASE + hashes[shift : len(hashes) - n + 1 + shift]
        return (combined ^ (combined >> np.uint64(32))).astype(np.uint32)

    def signatures(self, texts: list[np.ndarray]) -> np.ndarray:
        """Signatures of a batch of non-empty code arrays, one row per document."""
        lengths = np.fromiter((len(codes) for codes in texts), dtype=np.int64, count=len(texts))
        pad = np.zeros(self.ngram - 1, dtype=np.uint32)
        hashes = self.shingle_hashes(np.concatenate([part for codes in texts for part in (codes, pad)]))
        padding_before = np.repeat(np.arange(len(texts)) * (self.ngram - 1), lengths)
        shingles = hashes[np.arange(int(lengths.sum())) + padding_before]
        permuted = np.multiply(shingles[None, :], self.multipliers)
        permuted += self.offsets
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        return np.minimum.reduceat(permuted, starts, axis=1).T


def _batches(records: Iterable[tuple[str, str]], limit: int) -> Iterator[tuple[list[str], list[np.ndarray]]]:
    keys: list[str] = []
    codes: list[np.ndarray] = []
    size = 0
    for key, text in records:
        visible = _visible_codes(text)
        if not len(visible):
            continue
        keys.append(key)
        codes.append(visible)
        size += len(visible)
        if size >= limit:
            yield keys, codes
            keys, codes, size = [], [], 0
    if keys:
        yield keys, codes


def band_keys(signatures: np.ndarray, bands: int) -> np.ndarray:
    """One 64-bit key per band and document: documents with an equal key in a band are candidates."""
    rows = signatures.reshape(len(signatures), bands, -1).astype(np.uint64)
    weights = _BASE ** np.arange(rows.shape[2], dtype=np.uint64)
    return (rows * weights).sum(axis=2, dtype=np.uint64)


def sign_records(records: Iterable[tuple[str, str]], settings: Settings = Settings()) -> Iterator[Signed]:
    """Sign the documents, ``BATCH_SHINGLES`` shingles at a time; documents without visible characters are left out."""
    hasher = settings.hasher()
    for keys, codes in _batches(records, BATCH_SHINGLES):
        signatures = hasher.signatures(codes)
        yield Signed(keys, band_keys(signatures, settings.bands), signatures.astype(np.uint16))


def candidate_pairs(band_keys: np.ndarray) -> np.ndarray:
    """Pairs ``(first, other)`` of rows that share a band key, ``first`` the earliest row of the bucket.

    Any subset of the band columns gives a subset of the pairs, so the bands can be grouped
    in different places and the pairs united afterwards.
    """
    pairs = [np.zeros((0, 2), dtype=np.int64)]
    for band in band_keys.T if len(band_keys) > 1 else ():
        order = np.argsort(band, kind="stable")
        ordered = band[order]
        new_bucket = np.concatenate(([True], ordered[1:] != ordered[:-1]))
        first = order[np.flatnonzero(new_bucket)][np.cumsum(new_bucket) - 1]
        shared = ~new_bucket
        pairs.append(np.stack((first[shared], order[shared]), axis=1))
    return np.unique(np.concatenate(pairs), axis=0)


def _similarity(checks: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    return (checks[pairs[:, 0]] == checks[pairs[:, 1]]).mean(axis=1)


def verified_pairs(checks: np.ndarray, pairs: np.ndarray, threshold: float) -> np.ndarray:
    """The candidate pairs whose estimated Jaccard similarity reaches ``threshold``."""
    return pairs[_similarity(checks, pairs) >= threshold] if len(pairs) else pairs


def union_find(size: int, pairs: np.ndarray) -> np.ndarray:
    """The root of every document; a root is the earliest document of its cluster."""
    parent = list(range(size))

    def root(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs.tolist():
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([root(node) for node in range(size)], dtype=np.int64)


def clusters_of(keys: Sequence[str], checks: np.ndarray, pairs: np.ndarray, threshold: float) -> list[Cluster]:
    """The clusters of the candidate pairs of all bands: verified, joined, the earliest document kept."""
    roots = union_find(len(keys), verified_pairs(checks, pairs, threshold))
    members = np.flatnonzero(roots != np.arange(len(keys)))
    if not len(members):
        return []
    similarity = _similarity(checks, np.stack((roots[members], members), axis=1))
    clusters: dict[int, list[tuple[int, float]]] = {}
    for member, value in zip(members.tolist(), similarity.tolist()):
        clusters.setdefault(int(roots[member]), []).append((member, value))
    return [
        Cluster(keys[root], tuple(keys[m] for m, _ in found), round(min(v for _, v in found), 3))
        for root, found in sorted(clusters.items())
    ]


def find_near_duplicates(
    records: Iterable[tuple[str, str]],
    *,
    threshold: float = THRESHOLD,
    ngram: int = NGRAM,
    permutations: int = PERMUTATIONS,
    bands: int = BANDS,
    seed: int = 1,
) -> list[Cluster]:
    """Cluster near-duplicate documents; the first document of each cluster (input order) is kept.

    Documents without visible characters are left out. Memory grows with the number of
    documents, not with their length: each keeps its band keys (``bands`` × 8 bytes) and
    its check values (``permutations`` × 2 bytes).

    >>> article = "市委全面深化改革领导小组第一次会议昨日召开，会议审议通过了工作实施意见，安排部署了下一阶段的改革工作。"
    >>> other = "今年以来，我市坚持把招商引资作为经济工作的生命线，围绕主导产业开展精准招商，全年签约项目一百二十个。"
    >>> [c.to_dict() for c in find_near_duplicates([("a", article), ("b", other), ("c", article[:20] + "\\n" + article[20:])])]
    [{'keep': 'a', 'duplicates': ['c'], 'similarity': 1.0}]
    """
    settings = Settings(threshold, ngram, permutations, bands, seed)
    keys: list[str] = []
    band_parts: list[np.ndarray] = []
    check_parts: list[np.ndarray] = []
    for signed in sign_records(records, settings):
        keys.extend(signed.keys)
        band_parts.append(signed.band_keys)
        check_parts.append(signed.checks)
    pairs = candidate_pairs(_joined(band_parts, (0, bands), np.uint64))
    return clusters_of(keys, _joined(check_parts, (0, permutations), np.uint16), pairs, threshold)


def _joined(parts: list[np.ndarray], empty: tuple[int, int], dtype: type) -> np.ndarray:
    """The parts as one array; the list is emptied so that the parts are freed as soon as they are copied."""
    joined = np.concatenate(parts) if parts else np.zeros(empty, dtype=dtype)
    parts.clear()
    return joined

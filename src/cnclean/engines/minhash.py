"""Near-duplicate clusters across documents: MinHash signatures, LSH bands, verified pairs, components.

The pieces are pure functions shared by the local engine (``cluster_local``, here) and the Ray
engine (``cluster_ray``): a signature per document, its band keys, the verified pairs inside one
bucket of documents that share a band key, and the connected components of those pairs. The
engines differ only in where the signatures are computed and how buckets are gathered, so both
return the same clusters.

Semantics: two documents are linked when they share at least one band key and their signatures
agree on at least ``threshold`` of their positions (the estimated Jaccard similarity of their
shingle sets). A cluster is a connected component of links with two or more documents; its
survivor is its smallest key (Python string order), so the choice never depends on the engine,
the worker count or the input order.

``signature_fn(text) -> numpy.ndarray`` (uint64) must be picklable (a module-level function or a
``functools.partial`` of one) and deterministic across processes (no ``hash()``, which Python
salts per process). ``char_ngram_signature`` is the default.

>>> a = "新华社北京3月5日电 第十四届全国人民代表大会第一次会议今天上午在人民大会堂开幕。"
>>> b = a + "（完）"
>>> cluster_local([("b.txt", b), ("a.txt", a), ("c.txt", "完全不同的另一篇文章，讲的是别的事情。")]).groups
(('a.txt', 'b.txt'),)
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Callable, Iterable, Sequence, Union

import numpy as np
import regex

from ..errors import CncleanError, ConfigError
from ..io import read_text
from . import Failure, describe

Record = tuple[str, str]
"""(key, text)."""
Source = Union[Sequence[Record], Sequence[Union[str, os.PathLike]]]
"""Records, or paths whose files are read where the signature is computed (the path is the key)."""
SignatureFn = Callable[[str], np.ndarray]

BANDS, ROWS, THRESHOLD = 16, 8, 0.8
"""16 bands of 8 rows over 128 hashes: pairs near 0.8 similarity are caught with probability
about 0.9 (1 - (1 - 0.8**8)**16), pairs below 0.5 rarely become candidates."""

_WHITE = regex.compile(r"\s+")
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_PRIME = np.uint64(0x100000001B3)
_CHUNK = 4096


def _mix(values: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: a fast, well-spread, seedless 64-bit mix (wraps modulo 2**64)."""
    values = (values ^ (values >> np.uint64(30))) * _MIX1
    values = (values ^ (values >> np.uint64(27))) * _MIX2
    return values ^ (values >> np.uint64(31))


def char_ngram_signature(text: str, *, num_perm: int = 128, ngram: int = 5, seed: int = 0) -> np.ndarray:
    """MinHash of the character ``ngram``-grams of ``text``, white space removed.

    Characters, not words: Chinese has no spaces, and a word tokenizer would make one token
    per sentence. White space is dropped so that one article wrapped at two column widths has
    the same shingles.

    >>> a = char_ngram_signature("第十四届全国人民代表大会第一次会议")
    >>> b = char_ngram_signature("第十四届全国人民代表\\n大会第一次会议")
    >>> a.dtype.name, len(a), bool((a == b).all())
    ('uint64', 128, True)
    """
    compact = _WHITE.sub("", text)
    if not compact:
        return np.full(num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
    codes = np.frombuffer(compact.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = max(1, len(codes) - ngram + 1)
    shingles = np.zeros(count, dtype=np.uint64)
    for offset in range(min(ngram, len(codes))):
        shingles = shingles * _PRIME + codes[offset:offset + count]
    shingles = _mix(shingles)
    # One hash per permutation: a*x + b (mod 2**64) with odd a is a bijection of the mixed shingles.
    params = _mix(np.arange(2 * seed * num_perm + 1, 2 * (seed + 1) * num_perm + 1, dtype=np.uint64))
    multipliers, offsets = (params[0::2] | np.uint64(1))[:, None], params[1::2][:, None]
    signature = np.full(num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, count, _CHUNK):
        hashed = shingles[None, start:start + _CHUNK] * multipliers + offsets
        np.minimum(signature, hashed.min(axis=1), out=signature)
    return signature


def make_signature(num_perm: int = 128, ngram: int = 5, seed: int = 0) -> SignatureFn:
    """A picklable ``signature_fn`` with other parameters than the default."""
    return partial(char_ngram_signature, num_perm=num_perm, ngram=ngram, seed=seed)


def check_bands(signature_length: int, bands: int, rows: int, threshold: float) -> None:
    if bands < 1 or rows < 1 or bands * rows > signature_length:
        raise ConfigError(f"{bands} bands of {rows} rows need {bands * rows} hashes; "
                          f"the signature has {signature_length}")
    if not 0 < threshold <= 1:
        raise ConfigError(f"the similarity threshold must be in (0, 1], not {threshold}")


def band_keys(signature: np.ndarray, bands: int, rows: int) -> list[str]:
    """One key per band: documents with equal keys in some band are candidate duplicates."""
    slices = (signature[band * rows:(band + 1) * rows].tobytes() for band in range(bands))
    return [f"{band}:{hashlib.blake2b(data, digest_size=16).hexdigest()}" for band, data in enumerate(slices)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity estimated from two signatures: the share of equal positions."""
    return float(np.count_nonzero(a == b)) / len(a)


def bucket_links(members: Iterable[tuple[str, np.ndarray]], threshold: float) -> list[tuple[str, str]]:
    """The verified pairs among the documents of one bucket, each pair as (smaller key, larger key).

    Documents with identical signatures are linked to the first of them and compared with
    the others only once, so a page copied ten thousand times costs one comparison per
    distinct signature, not fifty million pairs; the components come out the same.
    """
    links: list[tuple[str, str]] = []
    first_by_signature: dict[bytes, str] = {}
    distinct: list[tuple[str, np.ndarray]] = []
    for key, signature in sorted(members, key=lambda member: member[0]):
        first = first_by_signature.setdefault(signature.tobytes(), key)
        if first == key:
            distinct.append((key, signature))
        else:
            links.append((first, key))
    if len(distinct) > 1:
        matrix = np.stack([signature for _, signature in distinct])
        width = matrix.shape[1]
        for i in range(len(distinct) - 1):
            agree = np.count_nonzero(matrix[i + 1:] == matrix[i], axis=1) / width
            links.extend((distinct[i][0], distinct[i + 1 + j][0]) for j in np.flatnonzero(agree >= threshold))
    return links


@dataclass(frozen=True)
class Clusters:
    """Groups of near-duplicate keys; each group sorted, so ``group[0]`` is the survivor.

    Groups are sorted by their survivor; documents without a near duplicate are in no group.
    """

    groups: tuple[tuple[str, ...], ...]
    failures: tuple[Failure, ...] = ()

    @property
    def removed(self) -> frozenset[str]:
        """Every key that is not the survivor of its group."""
        return frozenset(key for group in self.groups for key in group[1:])


def components(links: Iterable[tuple[str, str]]) -> tuple[tuple[str, ...], ...]:
    """Connected components (two keys or more) of the links, by union-find; sorted, canonical."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = defaultdict(list)
    for key in parent:
        groups[root(key)].append(key)
    return tuple(sorted(tuple(sorted(group)) for group in groups.values()))


def split_source(source: Source) -> list[Record | str]:
    """The items of a source: records or paths, one kind only, each key once."""
    items = [item if isinstance(item, tuple) else os.fspath(item) for item in source]
    kinds = {isinstance(item, tuple) for item in items}
    if len(kinds) > 1:
        raise ConfigError("give either (key, text) records or paths, not both")
    keys = [item[0] if isinstance(item, tuple) else item for item in items]
    if len(set(keys)) != len(keys):
        raise ConfigError("keys must be unique; the same key appears twice")
    return items


def load(item: Record | str, encoding: str) -> Record | Failure:
    """A record as it is, or the text of a path; an unreadable file becomes a ``Failure``."""
    if isinstance(item, tuple):
        return item
    try:
        return item, read_text(item, encoding).text
    except CncleanError as error:
        return Failure(item, describe(error))


BandRow = tuple[str, str, bytes]
"""(band key, document key, signature bytes): what the shuffle moves."""


def sign_batch(
    items: Iterable[Record | str], signature_fn: SignatureFn, bands: int, rows: int, partitions: int, encoding: str,
) -> tuple[list[Failure], list[list[BandRow]]]:
    """Map stage: sign every item and deal its band rows into ``partitions`` lists by band key.

    A band key always lands in the same partition, so each partition holds whole buckets.
    """
    failures: list[Failure] = []
    parts: list[list[BandRow]] = [[] for _ in range(partitions)]
    for item in items:
        loaded = load(item, encoding)
        if isinstance(loaded, Failure):
            failures.append(loaded)
            continue
        key, text = loaded
        signature = signature_fn(text)
        data = signature.tobytes()
        for band_key in band_keys(signature, bands, rows):
            parts[zlib.crc32(band_key.encode()) % partitions].append((band_key, key, data))
    return failures, parts


def link_partition(parts: Iterable[Sequence[BandRow]], threshold: float) -> list[tuple[str, str]]:
    """Reduce stage: gather one partition's rows (from every map batch) into buckets; their links."""
    buckets: dict[str, list[tuple[str, np.ndarray]]] = defaultdict(list)
    for part in parts:
        for band_key, key, data in part:
            buckets[band_key].append((key, np.frombuffer(data, dtype=np.uint64)))
    return [link for members in buckets.values() if len(members) > 1 for link in bucket_links(members, threshold)]


def cluster_result(links: Iterable[tuple[str, str]], failures: Iterable[Failure]) -> Clusters:
    return Clusters(components(links), tuple(sorted(failures, key=lambda failure: failure.path)))


def cluster_local(
    source: Source,
    signature_fn: SignatureFn = char_ngram_signature,
    bands: int = BANDS,
    rows: int = ROWS,
    threshold: float = THRESHOLD,
    *,
    encoding: str = "auto",
) -> Clusters:
    """Near-duplicate clusters in this process (the reference the Ray engine must match)."""
    items = split_source(source)
    check_bands(len(signature_fn("")), bands, rows, threshold)
    failures, parts = sign_batch(items, signature_fn, bands, rows, 1, encoding)
    return cluster_result(link_partition(parts, threshold), failures)

"""Turn the bytes of a file into text: BOMs, encoding detection, line ends, binary refusal.

Detection does not trust chardet alone: short Chinese texts fool it (GBK read as
Big5 or as a Cyrillic code page). Every candidate encoding that decodes the bytes
strictly is scored by how much of the result is common Chinese; chardet only breaks ties.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import chardet

from ..errors import InputError

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
CANDIDATES = ("gb18030", "big5")
"""Encodings tried, after UTF-8, on bytes without a BOM. GB18030 is a superset of GBK and GB2312."""

MAGIC = (
    (b"%PDF-", "PDF detected; extract its text first, e.g. pdftotext FILE -"),
    (b"\x89PNG", "looks binary (a PNG image)"),
    (b"\xff\xd8\xff", "looks binary (a JPEG image)"),
    (b"PK\x03\x04", "looks binary (a ZIP archive or an Office document)"),
    (b"\x1f\x8b", "looks binary (gzip-compressed); decompress it first, e.g. zcat FILE |"),
)


@dataclass(frozen=True)
class Decoded:
    """Decoded text (``\\n`` line ends, no BOM) and how it was decoded."""

    text: str
    encoding: str
    bom: bool = False
    newline: str = "\n"


@lru_cache(maxsize=1)
def common_hanzi() -> frozenset[str]:
    data = resources.files("cnclean").joinpath("data/common_hanzi.txt").read_text(encoding="utf-8")
    return frozenset("".join(line for line in data.splitlines() if not line.startswith("#")))


def chinese_score(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are common Chinese characters or punctuation."""
    common = common_hanzi()
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    good = sum(1 for c in wide if c in common or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
               or c in "“”‘’…—·")
    return good / len(wide)


def _binary_reason(data: bytes) -> str | None:
    for magic, reason in MAGIC:
        if data.startswith(magic):
            return reason
    nul = data.find(b"\x00", 0, 1 << 16)
    if nul >= 0:
        return f"looks binary (NUL byte at offset {nul})"
    return None


def _normalize_newlines(text: str) -> tuple[str, str]:
    if "\r" not in text:
        return text, "\n"
    newline = "\r\n" if "\r\n" in text else "\r"
    return text.replace("\r\n", "\n").replace("\r", "\n"), newline


def _utf8_error(data: bytes) -> UnicodeDecodeError:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error
    raise AssertionError("bytes decode as UTF-8")


def detect_encoding(data: bytes) -> str:
    """Name the encoding of BOM-less, non-UTF-8 bytes, or raise ``InputError``.

    >>> detect_encoding("本报讯".encode("gbk"))
    'gb18030'
    >>> detect_encoding("臺灣報紙".encode("big5"))
    'big5'
    """
    scored = []
    for name in CANDIDATES:
        try:
            scored.append((chinese_score(data.decode(name)), name))
        except UnicodeDecodeError:
            continue
    if not scored:
        error = _utf8_error(data)
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02X} at offset {error.start}) "
            f"nor GB18030 or Big5; name the encoding with --encoding"
        )
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.05:
        guess = (chardet.detect(data).get("encoding") or "").lower()
        for _, name in scored:
            if guess.startswith(name[:3]) or (name == "gb18030" and guess in ("gbk", "gb2312")):
                return name
    return scored[0][1]


def decode_bytes(data: bytes, encoding: str = "auto") -> Decoded:
    """Decode ``data``: honour a BOM, else UTF-8, else the best Chinese candidate.

    >>> decode_bytes("今年\\r\\n3月".encode("gbk")).text
    '今年\\n3月'
    """
    bom = False
    if encoding == "auto":
        for mark, name in BOMS:
            if data.startswith(mark):
                encoding, bom = name, True
                break
    if encoding == "auto":
        reason = _binary_reason(data)
        if reason:
            raise InputError(reason)
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = detect_encoding(data)
            text = data.decode(encoding)
    else:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            raise InputError(
                f"not valid {encoding} (byte 0x{data[error.start]:02X} at offset {error.start}); "
                "try --encoding auto"
            ) from None
        if text.startswith("\ufeff"):
            text, bom = text[1:], True
    text, newline = _normalize_newlines(text)
    return Decoded(text, encoding, bom, newline)

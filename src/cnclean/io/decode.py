"""Turn the bytes of a file into text: BOMs, encoding detection, line ends, binary refusal.

Detection does not trust chardet alone: short Chinese texts fool it (GBK read as
Big5 or as a Cyrillic code page). Every candidate encoding that decodes the bytes
strictly is scored by how much of the result is common Chinese; chardet only breaks ties.

Files joined from several sources can mix encodings (a UTF-8 page with a GBK stretch):
``auto`` refuses them with the first bad line named, ``mixed`` decodes them line by line.
Text that was UTF-8 read as GBK (``鏀垮簻宸ヤ綔`` for ``政府工作``) is repaired by
``repair_mojibake`` wherever the round trip is exact.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import chardet
import regex

from ..errors import InputError

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
ERRORS = ("strict", "replace", "surrogateescape")
"""What to do with bytes that the encoding cannot decode: stop (naming the byte), put U+FFFD in
their place, or carry them through the cleaning as escapes that are written back as the same bytes."""

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
    line_encodings: tuple[tuple[int, str], ...] = ()
    """With ``mixed``: the lines (numbered from 1) that were not UTF-8, and their encoding."""
    repairs: tuple["Repair", ...] = ()
    """With ``mojibake``: the stretches of mojibake that were repaired."""
    replaced: int = 0
    """With ``errors`` other than strict: how many characters stand for undecodable bytes."""


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


STRAY_NUL = 1 / 1000
"""Share of NUL bytes up to which a file is text with stray NULs (an extractor writes one for a
glyph it cannot map) rather than binary data, where NUL bytes are common."""


def _binary_reason(data: bytes) -> str | None:
    for magic, reason in MAGIC:
        if data.startswith(magic):
            return reason
    head = data[: 1 << 16]
    if head.count(b"\x00") > STRAY_NUL * len(head):
        return f"looks binary (NUL byte at offset {head.index(0)})"
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
            f"nor GB18030 or Big5; name the encoding with --encoding, or use --errors replace"
        )
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.05:
        guess = (chardet.detect(data).get("encoding") or "").lower()
        for _, name in scored:
            if guess.startswith(name[:3]) or (name == "gb18030" and guess in ("gbk", "gb2312")):
                return name
    return scored[0][1]


@dataclass(frozen=True)
class Repair:
    """One stretch of mojibake: ``old`` at ``text[start:end]`` of the input became ``new``."""

    start: int
    end: int
    old: str
    new: str


ASCII_BYTES = bytes(range(0x80))
"""For counting the non-ASCII bytes of a line: ``len(line.translate(None, ASCII_BYTES))``."""

MOJIBAKE_CANDIDATE = regex.compile(r"[^\x00-\x7F\s]{2,}")
"""A run of non-ASCII characters: UTF-8 read as GBK turns every Chinese character into 1.5 such."""

UTF8_SEQUENCES = regex.compile(rb"(?:[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3})+")


def _mojibake_spans(run: str) -> list[tuple[int, int, str]]:
    """Stretches of ``run`` (character offsets) whose GB18030 bytes are UTF-8 that reads better."""
    data = run.encode("gb18030")
    sequences = list(UTF8_SEQUENCES.finditer(data))
    if not sequences:
        return []
    bounds: dict[int, int] = {}
    offset = 0
    for index, char in enumerate(run):
        bounds[offset] = index
        offset += len(char.encode("gb18030"))
    bounds[offset] = len(run)
    spans = []
    for match in sequences:
        start, end = match.span()
        while start < end and start not in bounds:
            start += 1
        while end > start and end not in bounds:
            end -= 1
        try:
            fixed = data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            continue
        old = run[bounds[start]:bounds[end]]
        if len(fixed) >= 2 and chinese_score(fixed) > chinese_score(old):
            spans.append((bounds[start], bounds[end], fixed))
    return spans


def repair_mojibake(text: str) -> tuple[str, list[Repair]]:
    """Undo UTF-8 read as GBK: re-encode as GB18030 and decode as UTF-8, strictly.

    A stretch is repaired only where that round trip is exact and the result reads as
    more common Chinese than the stretch did, so real Chinese text stays as it is.

    >>> repair_mojibake("鏀垮簻宸ヤ綔鎶ュ憡：今年3月")[0]
    '政府工作报告：今年3月'
    >>> repair_mojibake("政府工作报告")[1]
    []
    """
    repairs: list[Repair] = []
    for match in MOJIBAKE_CANDIDATE.finditer(text):
        try:
            spans = _mojibake_spans(match.group())
        except UnicodeEncodeError:
            continue
        base = match.start()
        repairs += [Repair(base + a, base + b, text[base + a:base + b], new) for a, b, new in spans]
    if not repairs:
        return text, []
    parts, pos = [], 0
    for repair in repairs:
        parts += [text[pos:repair.start], repair.new]
        pos = repair.end
    parts.append(text[pos:])
    return "".join(parts), repairs


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _first_foreign_line(data: bytes) -> tuple[int, int, bytes] | None:
    """For bytes that are mostly UTF-8 with some lines that are not: the first such line (its
    number, its first bad byte's offset, its bytes); else ``None``.

    Concatenated files give such bytes; decoding them whole as GB18030 would turn the
    UTF-8 part into mojibake, so ``auto`` stops and names the first line that is not UTF-8.
    """
    utf8_chinese = foreign = 0
    first_bad: tuple[int, int, bytes] | None = None
    offset = 0
    for number, line in enumerate(data.split(b"\n"), 1):
        wide = len(line.translate(None, ASCII_BYTES))
        if wide:
            try:
                decoded = line.decode("utf-8")
                if chinese_score(decoded) >= 0.5:
                    utf8_chinese += wide
            except UnicodeDecodeError as error:
                foreign += wide
                if first_bad is None:
                    first_bad = (number, offset + error.start, line)
        offset += len(line) + 1
    if first_bad is None or utf8_chinese < 0.2 * (utf8_chinese + foreign):
        return None
    return first_bad


def _least_damaged(data: bytes) -> str:
    """The encoding that needs the fewest replacements for bytes that none decodes whole.

    Big5 text also decodes as GB18030 (every Big5 pair is a GB18030 pair), so between
    encodings about as damaged the Chinese score decides, as for clean bytes.
    """
    texts = {name: data.decode(name, "replace") for name in ("utf-8", *CANDIDATES)}
    damage = {name: text.count("\ufffd") for name, text in texts.items()}
    least = min(damage.values())
    near = [name for name, count in damage.items() if count <= least + max(2, least // 100)]
    return max(near, key=lambda name: chinese_score(texts[name]))


def count_replaced(text: str, data: bytes, encoding: str, errors: str) -> int:
    """How many characters of ``text`` (decoded from ``data``) stand for undecodable bytes."""
    if errors == "surrogateescape":
        return len(_ESCAPES.findall(text))
    if errors == "replace":
        try:
            genuine = data.count("\ufffd".encode(encoding.replace("-sig", "")))
        except UnicodeEncodeError:
            genuine = 0
        return text.count("\ufffd") - genuine
    return 0


_ESCAPES = regex.compile(r"[\udc80-\udcff]")


def decode_mixed(data: bytes, errors: str = "strict") -> Decoded:
    """Decode line by line: UTF-8 where a line is UTF-8, else GB18030 or Big5 by the Chinese score.

    Consecutive lines that are not UTF-8 are judged together (more text, a surer choice).

    >>> d = decode_mixed("政府工作\\n".encode() + "本报讯\\n".encode("gbk"))
    >>> d.text, d.line_encodings
    ('政府工作\\n本报讯\\n', ((2, 'gb18030'),))
    """
    bom = data.startswith(codecs.BOM_UTF8)
    lines = data[len(codecs.BOM_UTF8) if bom else 0:].split(b"\n")
    texts: list[str] = []
    foreign: list[tuple[int, str]] = []
    stretch: list[bytes] = []
    replaced = 0

    def flush(next_number: int) -> None:
        nonlocal replaced
        if not stretch:
            return
        first = next_number - len(stretch)
        joined = b"\n".join(stretch)
        try:
            name = detect_encoding(joined)
        except InputError as error:
            if errors == "strict":
                raise InputError(f"lines {first}-{next_number - 1}: {error}") from None
            name = _least_damaged(joined)
        decoded = joined.decode(name, errors)
        replaced += count_replaced(decoded, joined, name, errors)
        texts.extend(decoded.split("\n"))
        foreign.extend((number, name) for number in range(first, next_number))
        stretch.clear()

    for number, line in enumerate(lines, 1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            stretch.append(line)
            continue
        flush(number)
        texts.append(text)
    flush(len(lines) + 1)
    text, newline = _normalize_newlines("\n".join(texts))
    return Decoded(text, "mixed", bom, newline, tuple(foreign), replaced=replaced)


def decode_bytes(data: bytes, encoding: str = "auto", errors: str = "strict") -> Decoded:
    """Decode ``data``: honour a BOM, else UTF-8, else the best Chinese candidate.

    ``mixed`` decodes line by line (see ``decode_mixed``); ``mojibake`` decodes like
    ``auto`` and then repairs UTF-8 that was once read as GBK (see ``repair_mojibake``).
    ``errors`` (see ``ERRORS``) says what becomes of bytes that no candidate decodes.

    >>> decode_bytes("今年\\r\\n3月".encode("gbk")).text
    '今年\\n3月'
    >>> decoded = decode_bytes("今年3月".encode() + b"\\xff", errors="replace")
    >>> decoded.text, decoded.encoding, decoded.replaced
    ('今年3月\ufffd', 'utf-8', 1)
    """
    if encoding == "mixed":
        reason = _binary_reason(data)
        if reason:
            raise InputError(reason)
        return decode_mixed(data, errors)
    if encoding == "mojibake":
        decoded = decode_bytes(data, errors=errors)
        text, repairs = repair_mojibake(decoded.text)
        return Decoded(text, decoded.encoding, decoded.bom, decoded.newline, repairs=tuple(repairs),
                       replaced=decoded.replaced)
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
        encoding = _detect(data, errors)
    else:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
    try:
        text = data.decode(encoding, errors)
    except UnicodeDecodeError as error:
        raise InputError(
            f"not valid {encoding} (byte 0x{data[error.start]:02X} at offset {error.start}); "
            "try --encoding auto, or --errors replace"
        ) from None
    if text.startswith("\ufeff"):
        text, bom = text[1:], True
    replaced = count_replaced(text, data, encoding, errors)
    text, newline = _normalize_newlines(text)
    return Decoded(text, encoding, bom, newline, replaced=replaced)


def _detect(data: bytes, errors: str) -> str:
    """The encoding of bytes without a BOM: UTF-8, else GB18030 or Big5 (see ``decode_bytes``)."""
    if _decodes(data, "utf-8"):
        return "utf-8"
    foreign = _first_foreign_line(data)
    if foreign is not None:
        number, at, line = foreign
        where = f"line {number} is not UTF-8 (byte 0x{data[at]:02X} at offset {at})"
        if any(_decodes(line, name) for name in CANDIDATES):
            raise InputError(f"{where} but the rest is; for a file joined from several encodings "
                             "use --encoding mixed")
        if errors == "strict":
            raise InputError(f"{where}, nor GB18030 or Big5; fix or remove that byte, or use --errors replace")
        return "utf-8"
    try:
        return detect_encoding(data)
    except InputError:
        if errors == "strict":
            raise
        return _least_damaged(data)

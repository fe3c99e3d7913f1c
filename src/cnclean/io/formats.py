"""Documents in files: whole text files, text files streamed by blocks, JSONL records; ``.gz`` either way.

A text file is one document, except a very large one, which is cut into blocks at page
boundaries (form feeds) or at runs of blank lines, so that memory stays bounded: a 500 MB
extraction is many pages, not one article. A JSONL file is one document per record; only
the value under the text key changes, every other field is written back as it was.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterator

import regex

from ..errors import InputError
from .decode import BOMS, Decoded, count_replaced, decode_bytes

STREAM_THRESHOLD = 4 << 20
"""Text files larger than this (in bytes) are streamed by blocks instead of read whole: the repairs
hold several copies of a block and per-line tables, about 20 times its size in UTF-8 at the peak."""

BLOCK_CHARS = 1 << 20
"""A block is cut at the first good boundary after this many characters (3 MB of Chinese, many pages)."""

BLOCK_LINES = 1 << 17
"""...or after this many lines, if that comes first: the repairs keep a few hundred bytes per
line, so a block of very short lines (a column of single characters) must end sooner."""

READ_SIZE = 1 << 20

BLOCK_BOUNDARIES = (
    (regex.compile(r"(?=\f)"), "\n"),
    (regex.compile(r"\n[ \t\u3000]*\n(?:[ \t\u3000]*\n)+"), "\n\n"),
    (regex.compile(r"\n[ \t\u3000]*\n"), "\n\n"),
)
"""Where a block may end, best first, with what joins the outputs of the blocks on either side:
before a form feed (a page boundary), after two or more blank lines, after one blank line.
A single blank line comes last because pdftotext puts one between every line of some pages."""

GZIP_MAGIC = b"\x1f\x8b"


JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


def is_gzip_name(path: str) -> bool:
    return path.endswith(".gz")


def format_of(path: str, chosen: str = "auto") -> str:
    """``text`` or ``jsonl``: as chosen, or, for ``auto``, by the file name (stdin is text).

    Reading a JSONL corpus as text would let the layout repairs join its records.

    >>> format_of("news.jsonl.gz"), format_of("page.txt"), format_of("page.jsonl", "text")
    ('jsonl', 'text', 'text')
    """
    if chosen != "auto":
        return chosen
    return "jsonl" if path.endswith(JSONL_SUFFIXES) else "text"


def open_input(path: str) -> BinaryIO:
    """Open a file for reading bytes, decompressing ``.gz`` files on the fly."""
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        raise InputError("no such file") from None
    except IsADirectoryError:
        raise InputError("a folder, not a file") from None
    except PermissionError:
        raise InputError("permission denied") from None
    if is_gzip_name(path):
        return gzip.GzipFile(fileobj=handle, mode="rb")  # type: ignore[return-value]
    return handle


def gzip_writer(handle: BinaryIO) -> BinaryIO:
    """Compress into ``handle``, with no file name or time stamp so output is reproducible."""
    return gzip.GzipFile(filename="", fileobj=handle, mode="wb", compresslevel=6, mtime=0)  # type: ignore[return-value]


def file_size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


@dataclass(frozen=True)
class Document:
    """One unit of text the pipeline sees, and where it came from inside its file."""

    text: str
    index: int = 0
    """The block number of a text file, or the 1-based line number of a JSONL record."""
    joint: str = ""
    """What joins this block's output to the previous block's: a blank line after a run of
    blank lines, a line end before a form feed or after a cut line, nothing inside a line."""


def _decoder_for(head: bytes, encoding: str, errors: str) -> tuple[codecs.IncrementalDecoder, Decoded]:
    """Choose the decoding of a streamed file from its first bytes (BOM, UTF-8 or a Chinese codec)."""
    for mark, name in BOMS:
        if encoding == "auto" and head.startswith(mark):
            return codecs.getincrementaldecoder(name)(errors=errors), Decoded("", name, True)
    probe = decode_bytes(_whole_characters(head), encoding, errors)
    name = "utf-8-sig" if probe.encoding.startswith("utf-8") else probe.encoding
    return codecs.getincrementaldecoder(name)(errors=errors), probe


def _whole_characters(head: bytes) -> bytes:
    """``head`` without a multi-byte character that the end of the read cut in two.

    A line end is a safe cut (no multi-byte character of UTF-8, GB18030 or Big5 holds 0x0A);
    a head without one (a very long first line) loses the fewest bytes that make it UTF-8,
    or one byte if it is not UTF-8 either.
    """
    line_end = head.rfind(b"\n")
    if line_end > 0:
        return head[: line_end + 1]
    for cut in range(4):
        try:
            head[: len(head) - cut].decode("utf-8")
            return head[: len(head) - cut]
        except UnicodeDecodeError:
            continue
    for cut in range(2):
        for name in ("gb18030", "big5"):
            try:
                head[: len(head) - cut].decode(name)
                return head[: len(head) - cut]
            except UnicodeDecodeError:
                continue
    return head


class TextBlocks:
    """A large text file decoded block by block; each block ends at a page or blank-line boundary.

    Line ends become ``\\n``; ``newline`` tells which ones the file used (known once a line
    end was read), ``encoding`` and ``bom`` how it was decoded.
    """

    def __init__(self, handle: BinaryIO, encoding: str = "auto", errors: str = "strict") -> None:
        self.handle = handle
        self.head = handle.read(READ_SIZE)
        self.errors = errors
        self.decoder, probe = _decoder_for(self.head, encoding, errors)
        self.encoding, self.bom, self.newline = probe.encoding, probe.bom, "\n"
        self.replaced = 0
        """Characters that stand for undecodable bytes, so far."""

    def _decoded_chunks(self) -> Iterator[str]:
        chunk, offset, carried_cr = self.head, 0, ""
        while True:
            final = not chunk
            try:
                text = carried_cr + self.decoder.decode(chunk, final=final)
            except UnicodeDecodeError as error:
                raise InputError(
                    f"not valid {self.encoding} (byte 0x{chunk[error.start]:02X} at offset {offset + error.start}); "
                    "name the encoding with --encoding, or use --errors replace"
                ) from None
            self.replaced += count_replaced(text, chunk, self.encoding, self.errors)
            offset += len(chunk)
            carried_cr = ""
            if text.endswith("\r") and not final:  # it may be the first half of a CRLF
                text, carried_cr = text[:-1], "\r"
            if "\r" in text:
                if self.newline == "\n":
                    self.newline = "\r\n" if "\r\n" in text else "\r"
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            yield text
            if final:
                return
            chunk = self.handle.read(READ_SIZE)

    def __iter__(self) -> Iterator[Document]:
        pending, index, joint = "", 0, ""
        for text in self._decoded_chunks():
            pending += text
            while len(pending) > 2 * BLOCK_CHARS or pending.count("\n") > 2 * BLOCK_LINES:
                cut, next_joint = _block_end(pending)
                yield Document(pending[:cut], index, joint)
                joint = next_joint
                index += 1
                pending = pending[cut:]
        if pending or index == 0:
            yield Document(pending, index, joint)


def _block_end(text: str) -> tuple[int, str]:
    """Where to end a block of ``text``, which holds at least two blocks' worth, and the next joint.

    The best boundary between ``BLOCK_CHARS`` characters (or ``BLOCK_LINES`` lines) and twice
    that wins; without any, a line end; a single line longer than that (a 20 MB line of Hanzi)
    is cut where it must be.
    """
    start, end = BLOCK_CHARS, 2 * BLOCK_CHARS
    if text.count("\n", 0, end) > 2 * BLOCK_LINES:
        start, end = min(start, _after_lines(text, BLOCK_LINES)), min(end, _after_lines(text, 2 * BLOCK_LINES))
    for pattern, joint in BLOCK_BOUNDARIES:
        match = pattern.search(text, start, end)
        if match:
            return match.end(), joint
    line_end = text.rfind("\n", start, end)
    return (line_end + 1, "\n") if line_end >= 0 else (end, "")


def _after_lines(text: str, count: int) -> int:
    """The offset just after the ``count``-th line break of ``text``, which holds that many."""
    offset = -1
    for _ in range(count):
        offset = text.find("\n", offset + 1)
    return offset + 1


def split_jsonl_lines(handle: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """The lines of a JSONL file, numbered from 1, split on ``\\n`` only.

    ``str.splitlines`` would also split at U+2028, U+0085 and form feeds, which JSON strings
    may hold raw; those belong to the record.
    """
    number = 0
    rest = b""
    while True:
        chunk = handle.read(READ_SIZE)
        if not chunk:
            break
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        for line in lines:
            number += 1
            yield number, line
    if rest:
        yield number + 1, rest


class RecordError(InputError):
    """A JSONL line that is not a record with the text key."""


def parse_record(line: bytes, number: int, text_key: str) -> tuple[dict, str]:
    """The record on a JSONL line and its text."""
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError) as error:
        raise RecordError(f"line {number}: not valid JSON ({error})") from None
    if not isinstance(record, dict):
        raise RecordError(f"line {number}: a JSON {type(record).__name__}, not an object")
    text = record.get(text_key)
    if not isinstance(text, str):
        keys = ", ".join(list(record)[:8])
        what = "no" if text_key not in record else "a non-string"
        raise RecordError(f"line {number}: {what} {text_key!r} field (its keys: {keys}); choose one with --text-key")
    return record, text


def dump_record(record: dict, text_key: str, text: str) -> bytes:
    """The record with its new text, keys in their order, non-ASCII characters kept as they are."""
    record[text_key] = text
    try:
        return json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (``"\\ud800"`` in the input) has no UTF-8: keep it escaped
        return json.dumps(record).encode("ascii")


def process_jsonl(
    handle: BinaryIO,
    write: Callable[[bytes], object],
    text_key: str,
    clean: Callable[[Document], str],
) -> None:
    """Clean every record of a JSONL stream; a record whose text is unchanged is written byte for byte."""
    for number, line in split_jsonl_lines(handle):
        body = line[:-1] if line.endswith(b"\r") else line
        if not body.strip():
            write(line + b"\n")
            continue
        record, text = parse_record(body, number, text_key)
        new = clean(Document(text, number))
        write((line if new == text else dump_record(record, text_key, new)) + b"\n")

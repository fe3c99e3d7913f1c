"""Decoding: BOMs, the encoding matrix, short texts, mixed files, stray bytes, mojibake (R20-R24)."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnclean.errors import InputError
from cnclean.io.decode import decode_bytes, decode_mixed, repair_mojibake
from cnclean.steps.convert import converter

ROOT = Path(__file__).parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def big5_lines(text: str) -> str:
    """The seed in traditional script, keeping the lines Big5 can encode."""
    lines = converter("s2t").convert(text).split("\n")
    return "\n".join(line for line in lines if _encodable(line, "big5"))


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def cnclean(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "cnclean", *args], input=stdin, capture_output=True, env=env)


# R20: BOMs
@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")])
def test_bom_is_dropped(bom: bytes, encoding: str) -> None:
    decoded = decode_bytes(bom + "本报讯\n今年3月".encode(encoding))
    assert decoded.text == "本报讯\n今年3月" and decoded.bom


def test_output_has_no_bom(tmp_path: Path) -> None:
    source = tmp_path / "bom.txt"
    source.write_bytes(codecs.BOM_UTF8 + "本报讯 今年3月".encode())
    result = cnclean("convert", "--to", "s", str(source))
    assert result.returncode == 0 and result.stdout == "本报讯 今年3月\n".encode()


# R21: the encoding matrix
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("encoding, expected", [
    ("gbk", "gb18030"), ("gb18030", "gb18030"), ("big5", "big5"), ("utf-16", "utf-16"),
])
def test_encoding_matrix(seed: Path, encoding: str, expected: str) -> None:
    text = seed.read_text(encoding="utf-8")
    if encoding == "big5":
        text = big5_lines(text)
    if not _encodable(text, encoding):
        pytest.skip(f"{seed.name} has characters {encoding} cannot encode")
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text == text.replace("\r\n", "\n")
    assert decoded.encoding == expected


# R22: short texts fool statistical detectors
@pytest.mark.parametrize("text", ["中文", "本报讯", "新华社北京3月5日电", "臺灣報紙", "中華民國行政院", "政府工作报告"])
@pytest.mark.parametrize("encoding", ["gbk", "big5"])
def test_short_texts(text: str, encoding: str) -> None:
    if not _encodable(text, encoding):
        pytest.skip(f"{text} is not in {encoding}")
    assert decode_bytes(text.encode(encoding)).text == text


# R23: a file joined from two encodings
MIXED = "在全市“效能革命”工作会上的讲话\n".encode() + "本报讯 记者张蕊\n".encode("gbk") + "今年3月，我参加全国人大会。\n".encode()


def test_mixed_file_is_refused_by_auto_with_the_line_named() -> None:
    with pytest.raises(InputError, match=r"line 2 is not UTF-8 .*--encoding mixed"):
        decode_bytes(MIXED)


def test_mixed_file_decodes_line_by_line() -> None:
    decoded = decode_bytes(MIXED, "mixed")
    assert decoded.text == "在全市“效能革命”工作会上的讲话\n本报讯 记者张蕊\n今年3月，我参加全国人大会。\n"
    assert decoded.line_encodings == ((2, "gb18030"),)


def test_mixed_with_a_big5_stretch_and_crlf() -> None:
    data = "政府工作报告\r\n".encode() + "中華民國行政院\r\n臺灣報紙\r\n".encode("big5") + "完".encode()
    decoded = decode_mixed(data)
    assert decoded.text == "政府工作报告\n中華民國行政院\n臺灣報紙\n完"
    assert decoded.line_encodings == ((2, "big5"), (3, "big5"))
    assert decoded.newline == "\r\n"


def test_a_gbk_file_is_not_taken_for_mixed() -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    assert decode_bytes(text.encode("gbk")).encoding == "gb18030"


def test_mixed_file_through_the_cli(tmp_path: Path) -> None:
    source = tmp_path / "joined.txt"
    source.write_bytes(MIXED)
    refused = cnclean("convert", "--to", "s", str(source))
    assert refused.returncode == 2
    assert b"line 2" in refused.stderr and b"--encoding mixed" in refused.stderr
    accepted = cnclean("convert", "--to", "s", "-e", "mixed", str(source))
    assert accepted.returncode == 0 and "本报讯 记者张蕊" in accepted.stdout.decode()


# R24: bytes no encoding can read
def test_stray_byte_names_its_offset() -> None:
    data = "政府工作报告\n".encode() + b"\xff" + "今年3月".encode()
    with pytest.raises(InputError, match=r"line 2 is not UTF-8 \(byte 0xFF at offset 19\), nor GB18030 or Big5"):
        decode_bytes(data)
    with pytest.raises(InputError, match="lines 2-2"):
        decode_bytes(data, "mixed")


def test_an_undecodable_file_does_not_stop_the_batch(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("中華民國行政院", encoding="utf-8")
    bad.write_bytes("政府工作报告\n".encode() + b"\xff\xfe\xff")
    result = cnclean("convert", "--to", "s", str(bad), str(good))
    assert result.returncode == 1
    assert result.stdout.decode() == "中华民国行政院\n"
    assert b"bad.txt" in result.stderr and b"0xFF" in result.stderr


def test_a_stray_nul_is_text_and_the_noise_step_drops_it(tmp_path: Path) -> None:
    """PyMuPDF writes NUL for a glyph it cannot map (尼尔顿•桑托斯); the page is still text."""
    page = "巴西虽有尼尔顿\x00桑托斯、贝里尼与迪迪等球星，" + "1954年世界杯上，巴西队止步八强。" * 30
    assert decode_bytes(page.encode()).text == page
    source = tmp_path / "page.txt"
    source.write_bytes(page.encode())
    result = cnclean("fix", str(source))
    assert result.returncode == 0
    assert result.stdout.decode() == page.replace("\x00", "") + "\n"


def test_nul_bytes_in_number_make_a_file_binary() -> None:
    with pytest.raises(InputError, match=r"looks binary \(NUL byte at offset 3\)"):
        decode_bytes("巴西队".encode()[:3] + bytes(8) + "巴西队".encode() * 100)


STRAY = "今年\n\n3\n\n月，我参加".encode() + b"\xff" + "会议。\n".encode()


def test_r24_replace_puts_one_replacement_character_and_counts_it(tmp_path: Path) -> None:
    decoded = decode_bytes(STRAY, errors="replace")
    assert (decoded.text, decoded.encoding, decoded.replaced) == ("今年\n\n3\n\n月，我参加\ufffd会议。\n", "utf-8", 1)
    assert decode_bytes(STRAY, "mixed", errors="replace").text == decoded.text
    source = tmp_path / "stray.txt"
    source.write_bytes(STRAY)
    strict = cnclean("fix", str(source))
    assert strict.returncode == 2 and b"byte 0xFF at offset 26" in strict.stderr and b"--errors replace" in strict.stderr
    result = cnclean("fix", "--errors", "replace", str(source))
    assert result.returncode == 0 and result.stdout.decode() == "今年3月，我参加\ufffd会议。\n"
    assert b"1 undecodable byte replaced or escaped" in result.stderr


def test_r24_surrogateescape_writes_the_bytes_back_where_nothing_was_fixed(tmp_path: Path) -> None:
    source = tmp_path / "stray.txt"
    source.write_bytes(STRAY)
    result = cnclean("fix", "--errors", "surrogateescape", str(source))
    assert result.returncode == 0
    assert result.stdout == "今年3月，我参加".encode() + b"\xff" + "会议。\n".encode()
    assert cnclean("fix", "--errors", "surrogateescape", "--in-place", str(source)).returncode == 0
    assert source.read_bytes() == result.stdout


def test_r24_gbk_with_a_stray_byte_is_still_read_as_gbk() -> None:
    data = "本报讯 政府工作报告指出，今年经济增长".encode("gbk") + b"\xff" + "百分之五。".encode("gbk")
    decoded = decode_bytes(data, errors="replace")
    assert decoded.encoding == "gb18030" and decoded.text.count("\ufffd") == decoded.replaced == 1
    assert decoded.text.startswith("本报讯 政府工作报告")


# Mojibake: UTF-8 that was read as GBK
def test_mojibake_is_repaired_and_reported() -> None:
    original = "政府工作报告：今年3月，我参加全国人大会"
    damaged = "政府工作报告".encode().decode("gbk") + "：今年3月，我参加全国人大会"
    text, repairs = repair_mojibake(damaged)
    assert text == original
    assert [(r.start, r.end, r.new) for r in repairs] == [(0, 9, "政府工作报告")]


def test_real_chinese_is_not_taken_for_mojibake() -> None:
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        assert repair_mojibake(text)[1] == []


def test_mojibake_encoding_repairs_while_decoding() -> None:
    damaged = "鏀垮簻宸ヤ綔\n本报讯".encode()
    decoded = decode_bytes(damaged, "mojibake")
    assert decoded.text == "政府工作\n本报讯" and len(decoded.repairs) == 1


def test_the_cli_says_which_lines_mixed_decoded_and_what_mojibake_it_repaired(tmp_path):
    import subprocess
    import sys

    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes("第一行是UTF-8。\n".encode("utf-8") + "第二行是GBK。\n".encode("gbk"))
    moji = tmp_path / "moji.txt"
    moji.write_text("鏀垮簻宸ヤ綔鎶ュ憡\n", encoding="utf-8")
    run = lambda *args: subprocess.run([sys.executable, "-m", "cnclean", "fix", *args], capture_output=True, text=True)
    result = run("-e", "mixed", str(mixed))
    assert result.returncode == 0 and "第二行是GBK。" in result.stdout
    assert f"cnclean: note: {mixed}: line 2 decoded as gb18030" in result.stderr
    result = run("-e", "mojibake", str(moji))
    assert result.stdout == "政府工作报告\n" and "鏀垮簻宸ヤ綔鎶ュ憡 -> 政府工作报告" in result.stderr
    assert run("-q", "-e", "mixed", str(mixed)).stderr == ""

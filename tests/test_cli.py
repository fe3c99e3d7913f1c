"""The command line through a real subprocess: stdin and stdout, -o, --in-place, errors and exit codes.

Numbers in the test names refer to the checks of RELIABILITY.md. The toy steps of
``toy_cli`` make every change known in advance.
"""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import stat
import subprocess
import sys

import pytest

from toy_cli import SRC, run_cli

DAMAGED = "今年\n\n3\n\n月，我参加全国人大会，张 蕊说\n"
CLEAN = "今年3月，我参加全国人大会，张蕊说\n"


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_r10_stdin_to_stdout_quietly(tmp_path):
    result = run_cli("fix", "-q", input="增长1\n2%", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "增长12%\n".encode(), b"")


def test_r11_dash_operand_and_output_file(tmp_path):
    out = tmp_path / "out.txt"
    result = run_cli("fix", "-", "-o", out, input=DAMAGED, cwd=tmp_path, check_rc=0)
    assert result.stdout == b""
    assert out.read_text(encoding="utf-8") == CLEAN


def test_summary_on_stderr_counts_files_and_steps(tmp_path):
    (tmp_path / "a.txt").write_text(DAMAGED, encoding="utf-8")
    (tmp_path / "b.txt").write_text(CLEAN, encoding="utf-8")
    result = run_cli("fix", "a.txt", "b.txt", cwd=tmp_path, check_rc=0)
    err = result.stderr.decode()
    assert "2 files read: 1 changed, 1 unchanged, 0 failed" in err
    assert "digits: 2 edits, 4 characters removed" in err
    assert "spaces: 1 edit, 1 character removed" in err
    assert result.stdout.decode() == CLEAN + "\n" + CLEAN


def test_r12_output_equal_to_input_is_refused(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text(DAMAGED, encoding="utf-8")
    before = sha(page)
    result = run_cli("fix", "a.txt", "-o", "a.txt", cwd=tmp_path, check_rc=2)
    assert b"--in-place" in result.stderr
    assert sha(page) == before


def _limit_file_size():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_r13_in_place_failure_leaves_the_file_and_no_temporary(tmp_path):
    page = tmp_path / "big.txt"
    page.write_text(DAMAGED * 2000, encoding="utf-8")
    before = sha(page)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run([sys.executable, str(SRC.parent / "tests" / "toy_cli.py"), "fix", "--in-place", "big.txt"],
                            cwd=tmp_path, env=env, capture_output=True, preexec_fn=_limit_file_size, timeout=60)
    assert result.returncode != 0
    assert b"big.txt" in result.stderr
    assert sha(page) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt"]


def test_r14_in_place_keeps_mode_crlf_and_missing_final_newline_with_backup(tmp_path):
    page = tmp_path / "a.txt"
    original = "今年\r\n\r\n3\r\n\r\n月，张 蕊说\r\n第二段".encode("utf-8")
    page.write_bytes(original)
    page.chmod(0o640)
    inode = page.stat().st_ino
    run_cli("fix", "--in-place", "--backup-suffix", ".bak", "a.txt", cwd=tmp_path, check_rc=0)
    assert page.read_bytes() == "今年3月，张蕊说\r\n第二段".encode("utf-8")
    assert stat.S_IMODE(page.stat().st_mode) == 0o640
    assert page.stat().st_ino != inode
    assert (tmp_path / "a.txt.bak").read_bytes() == original


def test_in_place_keeps_the_encoding_and_leaves_clean_files_untouched(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(DAMAGED.encode("gbk"))
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    os.utime(clean, (1_000_000, 1_000_000))
    run_cli("fix", "-i", "gbk.txt", "clean.txt", cwd=tmp_path, check_rc=0)
    assert gbk.read_bytes() == CLEAN.encode("gbk")
    assert clean.stat().st_mtime == 1_000_000


def test_r15_a_step_that_crashes_on_one_file_spares_the_others(tmp_path):
    for name, text in (("1.txt", DAMAGED), ("2.txt", "BOOM\n" + DAMAGED), ("3.txt", DAMAGED)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run_cli("fix", "--in-place", "-j", "2", "1.txt", "2.txt", "3.txt", cwd=tmp_path, check_rc=1)
    assert (tmp_path / "1.txt").read_text(encoding="utf-8") == CLEAN
    assert (tmp_path / "2.txt").read_text(encoding="utf-8") == "BOOM\n" + DAMAGED
    assert (tmp_path / "3.txt").read_text(encoding="utf-8") == CLEAN
    err = result.stderr.decode()
    assert "cnclean: error: 2.txt: internal error: RuntimeError: toy step crashed" in err
    assert err.rstrip().endswith("2.txt: internal error: RuntimeError: toy step crashed; please report this input as a bug")


def test_r17_hard_linked_file_is_refused(tmp_path):
    page = tmp_path / "a.txt"
    page.write_text(DAMAGED, encoding="utf-8")
    os.link(page, tmp_path / "b.txt")
    result = run_cli("fix", "--in-place", "a.txt", cwd=tmp_path, check_rc=2)
    assert b"hard links" in result.stderr
    assert os.path.samefile(page, tmp_path / "b.txt")
    assert page.read_text(encoding="utf-8") == DAMAGED


@pytest.mark.parametrize("data, reason", [
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "looks binary"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "PDF detected"),
    (os.urandom(4096), "binary"),
])
def test_r18_binary_input_fails_without_output(tmp_path, data, reason):
    (tmp_path / "in.bin").write_bytes(data)
    result = run_cli("fix", "in.bin", "-o", "out.txt", cwd=tmp_path, check_rc=2)
    message = result.stderr.decode()
    assert "in.bin" in message and (reason in message or "not valid" in message)
    assert not (tmp_path / "out.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.bin"]


def test_r19_empty_input_gives_empty_output(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert run_cli("fix", "empty.txt", cwd=tmp_path, check_rc=0).stdout == b""
    assert run_cli("fix", "-", cwd=tmp_path, check_rc=0).stdout == b""


def test_r20_bom_dropped_unless_kept(tmp_path):
    (tmp_path / "sig.txt").write_bytes("本报讯\n".encode("utf-8-sig"))
    (tmp_path / "u16.txt").write_bytes("本报讯\n".encode("utf-16"))
    for name in ("sig.txt", "u16.txt"):
        assert run_cli("fix", name, cwd=tmp_path, check_rc=0).stdout == "本报讯\n".encode()
        assert run_cli("fix", "--keep-bom", name, cwd=tmp_path, check_rc=0).stdout == "本报讯\n".encode("utf-8-sig")


def test_r33_check_exit_codes(tmp_path):
    (tmp_path / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "dirty.txt").write_text(DAMAGED, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes("本报讯".encode("gbk") + b"\xff\xff\x80")
    assert run_cli("check", "clean.txt", cwd=tmp_path).returncode == 0
    dirty = run_cli("check", "clean.txt", "dirty.txt", cwd=tmp_path)
    assert dirty.returncode == 1 and b"would change dirty.txt" in dirty.stderr and dirty.stdout == b""
    assert (tmp_path / "dirty.txt").read_text(encoding="utf-8") == DAMAGED
    assert run_cli("check", "--no-such-flag", "clean.txt", cwd=tmp_path).returncode == 2
    assert run_cli("check", "bad.txt", "clean.txt", cwd=tmp_path).returncode == 2


def test_usage_errors_exit_2(tmp_path):
    (tmp_path / "a.txt").write_text(CLEAN, encoding="utf-8")
    assert run_cli("fix", "--in-place", "-o", "x.txt", "a.txt", cwd=tmp_path).returncode == 2
    assert run_cli("fix", "--in-place", "-", cwd=tmp_path).returncode == 2
    assert run_cli("fix", "--steps", "nosuch", "a.txt", cwd=tmp_path).returncode == 2
    missing = run_cli("fix", "missing.txt", cwd=tmp_path, check_rc=2)
    assert missing.stderr.startswith(b"cnclean: error: missing.txt: no such file")


def test_r34_no_ansi_bytes_when_piped_or_no_color(tmp_path):
    for i in range(6):
        (tmp_path / f"{i}.txt").write_text(DAMAGED, encoding="utf-8")
    for env in ({}, {"NO_COLOR": "1"}):
        result = run_cli("fix", ".", "--explain", cwd=tmp_path, env=env, check_rc=0)
        assert b"\x1b[" not in result.stdout + result.stderr


def test_progress_bar_on_a_terminal_only(tmp_path):
    import pty

    for i in range(6):
        (tmp_path / f"{i}.txt").write_text(DAMAGED, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(SRC), "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    for quiet, expect_bar in ((False, True), (True, False)):
        leader, follower = pty.openpty()
        args = [sys.executable, "-m", "cnclean", "fix", ".", "-o", "out/"] + (["-q"] if quiet else [])
        process = subprocess.run(args, cwd=tmp_path, env=env, stderr=follower, stdout=subprocess.DEVNULL, timeout=60)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        err = b"".join(chunks)
        assert process.returncode == 0
        assert (b"cleaning" in err) == expect_bar
        assert (b"6 files read" in err) == (not quiet)


def test_version():
    result = run_cli("--version", toy=False, check_rc=0)
    assert result.stdout.startswith(b"cnclean, version ")


def test_r16_killed_during_in_place_leaves_old_or_new(tmp_path):
    import random
    import time

    page = tmp_path / "big.txt"
    original = (DAMAGED * 60000).encode()
    fixed = (CLEAN * 60000).encode()
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    rng = random.Random(16)
    for _ in range(3):
        page.write_bytes(original)
        process = subprocess.Popen([sys.executable, str(SRC.parent / "tests" / "toy_cli.py"), "fix", "-i", "-q",
                                    "big.txt"], cwd=tmp_path, env=env)
        time.sleep(rng.uniform(0.2, 0.8))
        process.kill()
        process.wait()
        assert hashlib.sha256(page.read_bytes()).digest() in {hashlib.sha256(original).digest(),
                                                             hashlib.sha256(fixed).digest()}
        leftovers = [p.name for p in tmp_path.iterdir() if p.name != "big.txt"]
        assert len(leftovers) <= 1 and all(name.endswith(".cnclean-tmp") for name in leftovers)
        for name in leftovers:
            (tmp_path / name).unlink()

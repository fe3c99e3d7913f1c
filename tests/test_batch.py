"""Batches: folders and file lists, mirrored output, JSONL corpora, parallel jobs, huge files by blocks."""

from __future__ import annotations

import gzip
import io
import json
import subprocess

import pytest

from cnclean.batch import Job, Source, process_file
from cnclean.batch import process as process_module
from cnclean.io import formats
from cnclean.io.formats import TextBlocks, split_jsonl_lines
from cnclean.pipeline import Pipeline

from toy_cli import run_cli

DAMAGED = "今年\n\n3\n\n月，我参加全国人大会，张 蕊说\n"
CLEAN = "今年3月，我参加全国人大会，张蕊说\n"


def make_tree(root):
    (root / "a" / "b").mkdir(parents=True)
    (root / "one.txt").write_text(DAMAGED, encoding="utf-8")
    (root / "a" / "two.txt").write_text(CLEAN, encoding="utf-8")
    (root / "a" / "b" / "three.txt").write_text("增长1\n2%\n", encoding="utf-8")
    (root / "a" / "notes.md").write_text("not a page", encoding="utf-8")
    (root / ".hidden.txt").write_text(DAMAGED, encoding="utf-8")


def test_folder_in_folder_out_mirrors_the_tree(tmp_path):
    make_tree(tmp_path / "in")
    result = run_cli("fix", "in", "-o", "out", cwd=tmp_path, check_rc=0)
    out = tmp_path / "out"
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "a/b/three.txt", "a/two.txt", "one.txt"]
    assert (out / "one.txt").read_text(encoding="utf-8") == CLEAN
    assert (out / "a" / "b" / "three.txt").read_text(encoding="utf-8") == "增长12%\n"
    assert b"3 files read: 2 changed, 1 unchanged, 0 failed" in result.stderr


def test_glob_and_files_from_with_nul_separators(tmp_path):
    make_tree(tmp_path / "in")
    md = run_cli("fix", "in", "--glob", "*.md", cwd=tmp_path, check_rc=0)
    assert md.stdout == b"not a page\n"
    names = subprocess.run(["find", "in", "-name", "*.txt", "-print0"], cwd=tmp_path, capture_output=True).stdout
    listed = run_cli("fix", "--files-from", "-", "-0", "-o", "out/", input=names, cwd=tmp_path, check_rc=0)
    assert b"4 files read" in listed.stderr  # find does not skip the hidden file; a named file is always read
    assert (tmp_path / "out" / "in" / "a" / "b" / "three.txt").read_text(encoding="utf-8") == "增长12%\n"


def test_output_folder_equal_to_input_folder_is_refused(tmp_path):
    make_tree(tmp_path / "in")
    result = run_cli("fix", "in", "-o", "in", cwd=tmp_path, check_rc=2)
    assert b"--in-place" in result.stderr


def test_in_place_over_a_folder(tmp_path):
    make_tree(tmp_path / "in")
    run_cli("fix", "-i", "in", cwd=tmp_path, check_rc=0)
    assert (tmp_path / "in" / "one.txt").read_text(encoding="utf-8") == CLEAN
    assert (tmp_path / "in" / ".hidden.txt").read_text(encoding="utf-8") == DAMAGED


def test_a_bad_file_among_good_ones_is_listed_and_exit_is_1(tmp_path):
    make_tree(tmp_path / "in")
    (tmp_path / "in" / "a" / "bad.txt").write_bytes(b"%PDF-1.4\n")
    result = run_cli("fix", "in", "-o", "out", "-j", "2", cwd=tmp_path, check_rc=1)
    err = result.stderr.decode()
    assert "4 files read: 2 changed, 1 unchanged, 1 failed" in err
    assert err.rstrip().endswith("in/a/bad.txt: PDF detected; extract its text first, e.g. pdftotext FILE -")
    assert not (tmp_path / "out" / "a" / "bad.txt").exists()
    assert (tmp_path / "out" / "one.txt").read_text(encoding="utf-8") == CLEAN


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_r28_a_file_over_the_time_limit_fails_alone_naming_its_step(tmp_path, jobs):
    make_tree(tmp_path / "in")
    (tmp_path / "in" / "a" / "slow.txt").write_text("SLOW\n", encoding="utf-8")
    result = run_cli("fix", "in", "-o", "out", "-j", jobs, "--timeout", "0.5", cwd=tmp_path, check_rc=1)
    err = result.stderr.decode()
    assert "in/a/slow.txt: timeout in step 'noise': took longer than the 0.5 s that --timeout allows" in err
    assert not (tmp_path / "out" / "a" / "slow.txt").exists()
    assert (tmp_path / "out" / "one.txt").read_text(encoding="utf-8") == CLEAN
    assert not list((tmp_path / "out").rglob("*.cnclean-tmp*"))


def test_time_limit_is_lifted_after_the_file(tmp_path):
    import signal
    import time

    from cnclean.errors import TimeLimit

    with process_module.time_limit(0.2):
        pass
    time.sleep(0.3)  # no alarm left behind
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)
    with pytest.raises(TimeLimit):
        with process_module.time_limit(0.1):
            time.sleep(2)


def test_r30_jobs_1_and_jobs_2_give_identical_output_and_reports(tmp_path):
    for i in range(24):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"{i:02}.txt").write_text(f"第{i}页\n" + DAMAGED * (i % 3), encoding="utf-8")
    outputs = []
    for jobs in ("1", "2", "2"):
        result = run_cli("fix", "in", "-j", jobs, "--report", f"r{jobs}.jsonl", cwd=tmp_path, check_rc=0)
        outputs.append((result.stdout, (tmp_path / f"r{jobs}.jsonl").read_bytes()))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0][0].count("第".encode()) == 24


RECORDS = [
    {"id": 1, "文件名": "报纸/一.txt", "text": DAMAGED, "meta": {"页": [1, 2], "来源": "OCR"}},
    {"text": "第一行\u2028同一行\u0085还是\f下一页 张 蕊", "id": 2},
    {"id": 3, "text": CLEAN, "score": 0.5},
]


def write_jsonl(path, records, opener=open):
    with opener(path, "wt", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


@pytest.mark.parametrize("name", ["corpus.jsonl", "corpus.jsonl.gz"])
def test_r25_r26_jsonl_round_trip_keeps_every_other_field(tmp_path, name):
    opener = gzip.open if name.endswith(".gz") else open
    write_jsonl(tmp_path / name, RECORDS, opener)
    chosen = () if name.endswith(".gz") else ("--format", "jsonl")  # a .jsonl name is enough
    run_cli("fix", *chosen, name, "-o", "out/", cwd=tmp_path, check_rc=0)
    with opener(tmp_path / "out" / name, "rb") as handle:
        lines = handle.read().split(b"\n")
    assert lines[-1] == b"" and len(lines) == len(RECORDS) + 1
    out = [json.loads(line) for line in lines[:-1]]
    assert out[0]["text"] == CLEAN and out[1]["text"] == "第一行\u2028同一行\u0085还是\f下一页张蕊"
    for before, after in zip(RECORDS, out):
        assert list(after) == list(before)
        assert {k: v for k, v in after.items() if k != "text"} == {k: v for k, v in before.items() if k != "text"}
    assert "报纸/一.txt".encode() in lines[0]  # ensure_ascii=False
    assert lines[2] == json.dumps(RECORDS[2], ensure_ascii=False).encode()  # unchanged record: same bytes


def test_jsonl_on_stdin_and_a_record_without_the_text_key(tmp_path):
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS)
    result = run_cli("fix", "--format", "jsonl", "-", input=data, cwd=tmp_path, check_rc=0)
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [1, 2, 3]
    bad = run_cli("fix", "--format", "jsonl", "--text-key", "content", "-", input=data, cwd=tmp_path, check_rc=2)
    assert b"line 1: no 'content' field" in bad.stderr and b"--text-key" in bad.stderr


def test_split_jsonl_lines_only_at_newline():
    data = '{"text": "a\u2028b\u0085c\fd"}\r\n{"text": "e"}'.encode()
    assert [n for n, _ in split_jsonl_lines(io.BytesIO(data))] == [1, 2]


def small_blocks(monkeypatch, threshold=64, block=40):
    monkeypatch.setattr(process_module, "STREAM_THRESHOLD", threshold)
    monkeypatch.setattr(formats, "BLOCK_CHARS", block)
    monkeypatch.setattr(formats, "READ_SIZE", 16)


def test_text_blocks_cut_at_form_feeds_and_blank_lines(monkeypatch):
    small_blocks(monkeypatch)
    page = "第一段文字在这里。\n" * 5
    text = page + "\f" + page + "\n\n\n" + page + "\r\n"
    blocks = list(TextBlocks(io.BytesIO(text.encode("gb18030")), "auto"))
    assert [(b.text[:2], b.joint) for b in blocks] == [("第一", ""), ("\f第", "\n"), ("第一", "\n\n")]
    assert "".join(b.text for b in blocks) == text.replace("\r\n", "\n")


def test_text_blocks_keep_crlf_split_across_reads(monkeypatch):
    small_blocks(monkeypatch)
    text = "甲乙丙丁戊。\r\n" * 40
    blocks = TextBlocks(io.BytesIO(text.encode()), "auto")
    assert "".join(b.text for b in blocks) == "甲乙丙丁戊。\n" * 40
    assert blocks.newline == "\r\n"


def test_a_line_longer_than_several_blocks_is_cut(monkeypatch):
    small_blocks(monkeypatch)
    text = "中" * 500
    blocks = list(TextBlocks(io.BytesIO(text.encode()), "auto"))
    assert len(blocks) > 1 and "".join(b.text for b in blocks) == text
    assert {b.joint for b in blocks[1:]} == {""}


def test_blocks_of_very_short_lines_end_after_a_number_of_lines(monkeypatch):
    small_blocks(monkeypatch, block=1000)
    monkeypatch.setattr(formats, "BLOCK_LINES", 20)
    text = "字\n" * 300
    blocks = list(TextBlocks(io.BytesIO(text.encode()), "auto"))
    assert len(blocks) > 5 and all(b.text.count("\n") <= 40 for b in blocks)
    assert "".join(b.text for b in blocks) == text


def test_a_large_file_is_streamed_in_place_with_its_line_ends(monkeypatch, tmp_path):
    small_blocks(monkeypatch, threshold=200, block=100)
    page = tmp_path / "big.txt"
    page.write_bytes(("今年\r\n\r\n3\r\n\r\n月。\f" * 30).encode())
    result = process_file(Source(str(page), "big.txt"), Job(mode="in-place"), Pipeline(["digits"]).run)
    assert result.error is None and result.documents > 1
    data = page.read_bytes().decode()
    assert data.count("\f") == 30 and "\r\n" in data and "\n\f" not in data.replace("\r\n", "")


def test_a_large_file_on_stdout_is_the_blocks_joined(monkeypatch, tmp_path):
    small_blocks(monkeypatch, threshold=200, block=100)
    page = tmp_path / "big.txt"
    text = ("一段文字。\n" * 12 + "\n") * 10
    page.write_text(text, encoding="utf-8")
    out = io.BytesIO()
    result = process_file(Source(str(page), "big.txt"), Job(), Pipeline([]).run, direct=out)
    assert result.documents > 1
    assert out.getvalue().decode() == text.rstrip("\n") + "\n"


def test_output_folder_inside_the_input_folder_is_not_read(tmp_path):
    make_tree(tmp_path)
    run_cli("fix", ".", "-o", "clean", "-q", cwd=tmp_path, check_rc=0)
    again = run_cli("fix", ".", "-o", "clean", cwd=tmp_path, check_rc=0)
    assert b"3 files read" in again.stderr and not (tmp_path / "clean" / "clean").exists()


def test_two_inputs_for_one_output_file_are_refused(tmp_path):
    make_tree(tmp_path / "x")
    make_tree(tmp_path / "y")
    listed = run_cli("fix", "x/one.txt", "y/one.txt", "-o", "out/", "-q", cwd=tmp_path, check_rc=0)
    assert listed.stderr == b"" and (tmp_path / "out" / "y" / "one.txt").exists()
    result = run_cli("fix", "one.txt", tmp_path / "y" / "one.txt", "-o", "out/", cwd=tmp_path / "x", check_rc=2)
    assert b"would both be written to out/one.txt" in result.stderr


def test_blocks_prefer_two_blank_lines_to_one(monkeypatch):
    small_blocks(monkeypatch)
    lines = ["第%02d行文字。" % i for i in range(30)]
    text = "\n\n".join(lines[:6]) + "\n\n\n" + "\n\n".join(lines[6:]) + "\n"
    first = next(iter(TextBlocks(io.BytesIO(text.encode()), "auto")))
    assert first.text.endswith("第05行文字。\n\n\n")


def test_ctrl_c_stops_a_parallel_run_without_leaving_temporary_files(tmp_path):
    import os
    import signal
    import sys
    import time

    from toy_cli import SRC

    (tmp_path / "in").mkdir()
    for i in range(600):
        (tmp_path / "in" / f"{i:03}.txt").write_text(DAMAGED * 20, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    process = subprocess.Popen([sys.executable, "-m", "cnclean", "fix", "in", "-o", "out", "-j", "2", "-q"],
                               cwd=tmp_path, env=env, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 30  # interrupt the run itself, not Python's start-up
    while not list((tmp_path / "out").rglob("*.txt")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode in (0, 130), err
    if process.returncode == 130:
        assert b"interrupted" in err
    assert not [p for p in (tmp_path / "out").rglob("*") if p.name.endswith(".cnclean-tmp")]


def test_a_record_with_a_lone_surrogate_stays_valid_json(tmp_path):
    line = '{"text": "增长1\\n2%\\ud800", "id": 7}\n'
    result = run_cli("fix", "--format", "jsonl", "-", input=line, cwd=tmp_path, check_rc=0)
    assert json.loads(result.stdout) == {"text": "增长12%\ud800", "id": 7}


# Learning a batch's boilerplate (--learn-boilerplate): a first pass over the inputs, then the run

BOILERPLATE = ("欢迎访问江南大学新闻网", "返回新闻列表页面", "本页面由学校宣传部维护")
COLUMN = "校园快讯栏目"
"""In half the pages: below the default share of 60%, so it stays."""

LEARNED_LINE = "cnclean: learned 3 boilerplate lines from 6 documents: 本页面由学校宣传部维护, 欢迎访问江南大学新闻网, 返回新闻列表页面\n"


def site_page(n: int, boilerplate: bool = True) -> str:
    head = [*BOILERPLATE[:2]] if boilerplate else []
    column = [COLUMN] if n % 2 == 0 else []
    body = f"第{n}号通知：图书馆将于{n + 1}月{n + 10}日闭馆一天，进行设备检修，请读者提前安排借阅。"
    return "\n".join([*head, *column, body, *BOILERPLATE[2:] * boilerplate]) + "\n"


def make_site(folder, pages=6):
    folder.mkdir(parents=True)
    for n in range(pages):
        (folder / f"{n:02}.txt").write_text(site_page(n), encoding="utf-8")
    return folder


def cnclean(*args, **options):
    """``cnclean ARGS`` with the real steps: the toy noise step takes no learned lines."""
    return run_cli(*args, toy=False, **options)


def texts(folder) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


def test_learned_boilerplate_is_removed_and_a_line_of_half_the_pages_stays(tmp_path):
    make_site(tmp_path / "site")
    plain = cnclean("fix", "--steps", "noise", "site", "-o", "plain", cwd=tmp_path, check_rc=0)
    assert texts(tmp_path / "plain") == texts(tmp_path / "site")
    assert b"learned" not in plain.stderr
    result = cnclean("fix", "--steps", "noise", "--learn-boilerplate", "site", "-o", "out", cwd=tmp_path, check_rc=0)
    assert texts(tmp_path / "out") == {f"{n:02}.txt": site_page(n, boilerplate=False) for n in range(6)}
    assert result.stderr.decode().startswith(LEARNED_LINE)
    assert "noise: 18 edits" in result.stderr.decode()
    alone = cnclean("noise", "--learn-boilerplate", "site", "-o", "alone", cwd=tmp_path, check_rc=0)
    assert texts(tmp_path / "alone") == texts(tmp_path / "out") and alone.stderr == result.stderr


def test_learned_boilerplate_with_every_repair_and_quietly(tmp_path):
    make_site(tmp_path / "site")
    result = cnclean("fix", "-q", "--learn-boilerplate", "site", cwd=tmp_path, check_rc=0)
    out = result.stdout.decode()
    assert result.stderr == b"" and not any(line in out for line in BOILERPLATE)
    assert out.count("号通知") == 6 and out.count(COLUMN) == 3


def test_split_learns_boilerplate_too(tmp_path):
    make_site(tmp_path / "site")
    result = cnclean("split", "-q", "--learn-boilerplate", "site", cwd=tmp_path, check_rc=0)
    pieces = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(pieces) >= 6 and not any(line in piece["text"] for piece in pieces for line in BOILERPLATE)


def test_learned_boilerplate_on_one_and_two_jobs_with_reports_and_explain(tmp_path):
    make_site(tmp_path / "site", pages=24)
    runs = []
    for jobs in ("1", "2"):
        result = cnclean("fix", "--learn-boilerplate", "site", "-j", jobs, "--report", f"r{jobs}.jsonl",
                         cwd=tmp_path, check_rc=0)
        runs.append((result.stdout, result.stderr, (tmp_path / f"r{jobs}.jsonl").read_bytes()))
    assert runs[0] == runs[1]
    edits = [json.loads(line) for line in runs[0][2].splitlines()]
    learned = [edit for edit in edits if edit["rule"] == "learned"]
    assert len(learned) == 3 * 24 and {edit["step"] for edit in learned} == {"noise"}
    assert {edit["old"].strip() for edit in learned} == set(BOILERPLATE)
    explained = cnclean("fix", "--steps", "noise", "--learn-boilerplate", "--explain", "site", cwd=tmp_path,
                        check_rc=0)
    assert explained.stdout.decode().count("[-返回新闻列表页面\\n-]") == 24


def test_a_jsonl_record_is_a_document_and_only_the_text_key_is_read(tmp_path):
    records = [{"id": n, "content": site_page(n), "text": "返回新闻列表页面"} for n in range(6)]
    write_jsonl(tmp_path / "corpus.jsonl", records)
    result = cnclean("fix", "--steps", "noise", "--learn-boilerplate", "--text-key", "content", "corpus.jsonl",
                     "-o", "clean.jsonl", cwd=tmp_path, check_rc=0)
    assert result.stderr.decode().startswith(LEARNED_LINE)
    lines = (tmp_path / "clean.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {"id": n, "content": site_page(n, boilerplate=False), "text": "返回新闻列表页面"} for n in range(6)]


def test_learning_needs_files_not_stdin(tmp_path):
    result = cnclean("fix", "--learn-boilerplate", "-", input=site_page(0), cwd=tmp_path, check_rc=2)
    error = result.stderr.decode().strip().splitlines()[-1]
    assert error.startswith("Error: --learn-boilerplate reads the inputs twice") and "stdin" in error
    assert result.stdout == b""


def test_learning_needs_the_noise_step(tmp_path):
    make_site(tmp_path / "site")
    result = cnclean("fix", "--steps", "digits", "--learn-boilerplate", "site", cwd=tmp_path, check_rc=2)
    assert b"noise" in result.stderr.splitlines()[-1]


def test_check_with_learned_boilerplate(tmp_path):
    make_site(tmp_path / "site")
    cnclean("check", "--steps", "noise", "site", cwd=tmp_path, check_rc=0)
    result = cnclean("check", "--steps", "noise", "--learn-boilerplate", "site", cwd=tmp_path, check_rc=1)
    assert result.stderr.decode().startswith(LEARNED_LINE)
    assert "would change site/03.txt" in result.stderr.decode()


def test_the_share_a_line_needs(tmp_path):
    make_site(tmp_path / "site")
    result = cnclean("fix", "--steps", "noise", "--learn-boilerplate", "--boilerplate-share", "0.5", "site",
                     "-o", "out", cwd=tmp_path, check_rc=0)
    assert "learned 4 boilerplate lines from 6 documents: 本页面由学校宣传部维护, 校园快讯栏目" in result.stderr.decode()
    assert COLUMN not in "".join(texts(tmp_path / "out").values())
    none = cnclean("fix", "--steps", "noise", "--learn-boilerplate", "site/00.txt", "site/01.txt", cwd=tmp_path,
                   check_rc=0)
    assert "cnclean: learned no boilerplate lines from 2 documents" in none.stderr.decode()


def test_learning_reads_an_evenly_spread_sample(tmp_path):
    from cnclean.batch import learn_batch_boilerplate

    records = [{"text": site_page(2 * n + 1) + f"第{n}条记录的独有内容。\n"} for n in range(50)]
    write_jsonl(tmp_path / "corpus.jsonl", records)
    learned = learn_batch_boilerplate([Source(str(tmp_path / "corpus.jsonl"), "corpus.jsonl")], Job(), documents=8)
    assert learned.lines == sorted(BOILERPLATE) and learned.read == 50
    assert 4 <= learned.documents <= 8
    folder = make_site(tmp_path / "site", pages=30)
    sources = [Source(str(path), path.name) for path in sorted(folder.iterdir())]
    sampled = learn_batch_boilerplate(sources, Job(), documents=10)
    assert (sampled.documents, sampled.read, sampled.files) == (10, 10, 30)
    assert sampled.lines == sorted(BOILERPLATE)


def test_even_sample_keeps_every_stride_th_document():
    from cnclean.batch.learn import EvenSample

    sample = EvenSample(documents=8)
    for n in range(100):
        sample(f"第{n}份文件的内容")
    assert [lines for _, lines in sample.kept] == [(f"第{n}份文件的内容",) for n in range(0, 100, 16)]


@pytest.mark.ray
def test_learned_boilerplate_on_ray_as_local(tmp_path):
    pytest.importorskip("ray")
    make_site(tmp_path / "site")
    local = cnclean("fix", "--learn-boilerplate", "site", "-o", "local", cwd=tmp_path, check_rc=0)
    ray = cnclean("fix", "--learn-boilerplate", "site", "-o", "ray", "--engine", "ray", "-j", "2", cwd=tmp_path,
                  check_rc=0)
    assert texts(tmp_path / "ray") == texts(tmp_path / "local")
    assert ray.stderr.decode().startswith(LEARNED_LINE) and local.stderr.decode().startswith(LEARNED_LINE)

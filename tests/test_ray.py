"""Engines: ``--engine ray`` runs the batch runner's per-file unit in Ray tasks, so it writes the
bytes, prints the summary and failures and exits as ``--engine local`` does (R31); the Ray
clustering (`cnclean dedup --across --engine ray`) finds the clusters the local one finds."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from cnclean.batch import FileResult, Job, Source, discover, run_files
from cnclean.engines import TransformSpec
from cnclean.across import Settings, find_near_duplicates
from cnclean.errors import CncleanError

from toy_cli import SRC, run_cli

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
RAY_OWN_ABORT = b"An unexpected system state has occurred"  # a failed check inside Ray's C++ core


def cnclean(*args, **options) -> subprocess.CompletedProcess:
    """``cnclean ARGS`` in a real subprocess, with the real steps (Ray workers do not have the toy ones)."""
    return run_cli(*args, toy=False, **options)


@pytest.fixture()
def pages(tmp_path: Path) -> Path:
    """The seeds, one in GB18030, one with CRLF and a BOM, an empty file, and a PNG, some in a subfolder."""
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    for n, seed in enumerate(SEEDS):
        (folder / ("sub" if n % 2 else "") / seed.name).write_bytes(seed.read_bytes())
    text = SEEDS[0].read_text(encoding="utf-8")
    (folder / "gbk.txt").write_bytes(text.encode("gb18030"))
    (folder / "sub" / "crlf.txt").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "sub" / "image.txt").write_bytes(PNG)
    return folder


RECORDS = [
    {"id": 1, "text": SEEDS[1].read_text(encoding="utf-8"), "meta": {"来源": "人民日报", "页": [1, 2]}},
    {"文件名": "报纸.txt", "text": "第一段\u2028仍是第一段", "score": 0.1, "flag": None},
    {"text": "", "id": 3},
    {"id": 4, "text": SEEDS[3].read_text(encoding="utf-8")[:400] + "\f下一页"},
]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """JSONL shards: records with extra fields, U+2028 in a string, CRLF, a blank line; a gzipped
    shard; and a shard with a record that has no text field (that shard fails)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    lines = [json.dumps(record, ensure_ascii=False) for record in RECORDS]
    lines[1] += "\r"
    lines.insert(2, "")
    (folder / "a.jsonl").write_bytes(("\n".join(lines)).encode("utf-8"))  # no final newline
    with gzip.open(folder / "b.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps({**record, "id": f"b{n}"}, ensure_ascii=False) + "\n"
                          for n, record in enumerate(RECORDS))
    (folder / "c.jsonl").write_text(lines[0] + "\n" + json.dumps({"id": "no text"}) + "\n", encoding="utf-8")
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


# Choosing the engine

def test_nothing_imports_ray_unless_the_ray_engine_runs(tmp_path: Path) -> None:
    code = ("import runpy, sys; import cnclean.engines.ray_engine; assert 'ray' not in sys.modules\n"
            f"sys.argv = ['cnclean', 'fix', {str(SEEDS[0])!r}, '-o', {str(tmp_path / 'out.txt')!r}, '-q']\n"
            "try:\n    runpy.run_module('cnclean', run_name='__main__')\n"
            "except SystemExit as end:\n    assert not end.code, end.code\n"
            "print('ray' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("command", [["fix"], ["dedup", "--across"]])
def test_without_the_extra_ray_is_one_line_and_exit_2(pages: Path, tmp_path: Path, command: list[str]) -> None:
    hide = tmp_path / "no-ray" / "ray"
    hide.mkdir(parents=True)
    (hide / "__init__.py").write_text("raise ImportError('No module named ray')\n")
    result = cnclean(*command, pages, "-o", tmp_path / "out", "--engine", "ray",
                     env={"PYTHONPATH": f"{hide.parent}{os.pathsep}{SRC}"}, check_rc=2)
    assert result.stderr.decode() == ("cnclean: error: the Ray engine needs Ray; "
                                      "install with pip install 'cnclean[ray]'\n")
    assert not (tmp_path / "out").exists()


def test_an_unreachable_cluster_is_one_clear_error(monkeypatch) -> None:
    from cnclean.engines import ray_engine

    def init(**options):
        raise ConnectionError("Failed to connect to Ray cluster at 10.0.0.9:6379")

    fake = types.SimpleNamespace(is_initialized=lambda: False, init=init)
    monkeypatch.setitem(sys.modules, "ray", fake)
    with pytest.raises(CncleanError, match="cannot start or join the Ray cluster at 10.0.0.9:6379: Failed to connect"):
        ray_engine.connect("10.0.0.9:6379")


def test_ray_address_goes_with_the_ray_engine(tmp_path: Path) -> None:
    result = cnclean("fix", SEEDS[0], "--ray-address", "auto", check_rc=2)
    assert b"--ray-address goes with --engine ray" in result.stderr


def test_stdin_is_cleaned_on_the_local_engine(tmp_path: Path) -> None:
    page = SEEDS[2].read_bytes()
    local = cnclean("fix", "-", input=page, check_rc=0)
    ray = cnclean("fix", "-", "--engine", "ray", input=page, check_rc=0)
    assert ray.stdout == local.stdout
    assert ray.stderr.decode().startswith(
        "cnclean: stdin cannot be sent to Ray workers; cleaning on the local engine\n")
    assert b"Ray" not in cnclean("fix", "-", "-q", "--engine", "ray", input=page, check_rc=0).stderr


# Clustering

def article(seed: Path) -> str:
    return seed.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def near_duplicates() -> list[tuple[str, str]]:
    """The seeds, and copies of them: exact, rewrapped, with a sentence added, cut short."""
    texts = {f"seed{n}": article(seed) for n, seed in enumerate(SEEDS)}
    base = texts["seed0"]
    texts["copy0"] = base
    texts["also0"] = base
    texts["wrapped0"] = "\n".join(base[i:i + 17] for i in range(0, len(base), 17))
    texts["added1"] = texts["seed1"] + "\n（本报记者 张蕊）"
    texts["cut2"] = texts["seed2"][: len(texts["seed2"]) // 2]
    texts["short"] = "一句话。"
    texts["empty"] = ""
    return sorted(texts.items(), key=lambda item: item[1][:7] + item[0])  # not in key order


def test_dedup_ray_address_goes_with_the_ray_engine(tmp_path: Path) -> None:
    result = cnclean("dedup", "--across", str(SEEDS[0]), "--ray-address", "auto")
    assert result.returncode == 2 and b"--ray-address goes with --engine ray" in result.stderr


# The Ray engine: the same bytes, summary, failures and exit status as the local engine

@pytest.fixture(scope="session")
def ray_runtime():
    """One local Ray runtime of two CPUs for the whole session; the CLI runs join it by address.

    Its workers import this checkout of cnclean, as the CLI subprocesses do.
    """
    ray = pytest.importorskip("ray")
    from cnclean.engines.ray_engine import connect

    started = not ray.is_initialized()
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), saved]))
    try:
        yield connect(num_cpus=2)
    finally:
        if saved is None:
            os.environ.pop("PYTHONPATH")
        else:
            os.environ["PYTHONPATH"] = saved
        if started:
            ray.shutdown()


def on_both_engines(ray, *args, cwd: Path, outputs: tuple[str, ...]) -> dict[str, tuple]:
    """Run ``cnclean ARGS`` with each engine, each in its own copy of ``cwd``; per engine: the exit
    status, stdout, stderr, and the files named in ``outputs`` (a folder: its tree)."""
    runs = {}
    for engine in ("local", "ray"):
        chosen = ["--engine", "ray", "--ray-address", ray.get_runtime_context().gcs_address] if engine == "ray" else []
        for attempt in range(2):  # once more only when Ray itself aborted, which it does now and then under load
            where = cwd.parent / f"{cwd.name}-{engine}-{attempt}"
            shutil.copytree(cwd, where)
            result = cnclean(*args, *chosen, cwd=where)
            if RAY_OWN_ABORT not in result.stderr:
                break
        files = {}
        for name in outputs:
            path = where / name
            files[name] = tree(path) if path.is_dir() else path.read_bytes()
        runs[engine] = (result.returncode, result.stdout, result.stderr.decode(), files)
    return runs


@pytest.mark.ray
def test_ray_writes_mirrored_files_and_reports_as_local(ray_runtime, pages: Path) -> None:
    runs = on_both_engines(ray_runtime, "fix", "pages", "-o", "out", "--report", "edits.jsonl",
                           cwd=pages.parent, outputs=(".",))
    assert runs["ray"] == runs["local"]
    status, _, stderr, files = runs["local"]
    assert status == 1
    assert stderr.endswith("failed:\n  pages/sub/image.txt: looks binary (a PNG image)\n")
    written = files["."]
    assert {name for name in written if name.startswith("out/")} == {
        f"out/{name}" for name in tree(pages) if name != "sub/image.txt"}
    assert written["out/sub/crlf.txt"] == written["out/gbk.txt"] == written[f"out/{SEEDS[0].name}"]
    assert written["out/empty.txt"] == b"" and written["edits.jsonl"]


@pytest.mark.ray
def test_ray_concatenates_and_diffs_as_local(ray_runtime, pages: Path) -> None:
    (pages / "sub" / "image.txt").unlink()
    names = [f"pages/{name}" for name in tree(pages)]
    runs = on_both_engines(ray_runtime, "fix", *names, "-o", "all.txt", "--diff", cwd=pages.parent,
                           outputs=("all.txt",))
    assert runs["ray"] == runs["local"]
    status, diff, _, files = runs["local"]
    assert status == 0 and diff.startswith(b"--- ") and files["all.txt"].count(b"\n\n") >= len(SEEDS)


@pytest.mark.ray
def test_ray_cleans_a_jsonl_corpus_as_local(ray_runtime, corpus: Path) -> None:
    runs = on_both_engines(ray_runtime, "fix", "corpus", "-o", "clean", cwd=corpus.parent, outputs=("clean",))
    assert runs["ray"] == runs["local"]
    status, _, stderr, files = runs["local"]
    assert status == 1 and "corpus/c.jsonl: line 2: no 'text' field" in stderr
    clean = files["clean"]
    assert set(clean) == {"a.jsonl", "b.jsonl.gz"}
    records = [json.loads(line) for line in clean["a.jsonl"].split(b"\n") if line.strip()]
    assert [list(record) for record in records] == [list(record) for record in RECORDS]
    assert records[0]["meta"] == RECORDS[0]["meta"] and records[0]["text"] != RECORDS[0]["text"]


@pytest.mark.ray
def test_ray_rewrites_in_place_as_local(ray_runtime, pages: Path) -> None:
    runs = on_both_engines(ray_runtime, "fix", "-i", "--backup-suffix", ".bak", "pages", cwd=pages.parent,
                           outputs=("pages",))
    assert runs["ray"] == runs["local"]
    files = runs["local"][3]["pages"]
    assert files["sub/crlf.txt"].startswith(b"\xef\xbb\xbf") and b"\r\n" in files["sub/crlf.txt"]
    assert files["gbk.txt"].decode("gb18030") == files[f"{SEEDS[0].name}"].decode("utf-8")
    assert files["sub/crlf.txt.bak"] == (pages / "sub" / "crlf.txt").read_bytes()


@pytest.mark.ray
def test_sigterm_stops_a_ray_run_without_leaving_temporary_files(ray_runtime, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(400):
        (folder / f"{n:03}.txt").write_bytes(SEEDS[n % len(SEEDS)].read_bytes())
    address = ray_runtime.get_runtime_context().gcs_address
    process = subprocess.Popen([sys.executable, "-m", "cnclean", "fix", "in", "-o", "out", "-q", "--engine", "ray",
                                "--ray-address", address], cwd=tmp_path, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(SRC)})
    deadline = time.monotonic() + 60
    while not (tmp_path / "out").exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode in (0, 130), err
    if process.returncode == 130:
        assert err.decode().endswith("cnclean: interrupted; files not yet written are as they were\n")
    assert not [path for path in (tmp_path / "out").rglob("*") if path.name.endswith(".cnclean-tmp")]


def batch_run(pages: Path, out: Path) -> tuple[list[Source], Job]:
    return discover([str(pages)], ("*.txt",)), Job(mode="mirror", output_dir=str(out))


def local_run(pages: Path, out: Path) -> list[FileResult]:
    sources, job = batch_run(pages, out)
    return list(run_files(sources, job, TransformSpec().build().run))


@pytest.mark.ray
def test_a_crashed_worker_is_retried_without_lost_or_doubled_output(ray_runtime, pages: Path, tmp_path: Path) -> None:
    from cnclean.engines.ray_engine import process_batch, run_file_batches

    marker = str(tmp_path / "crashed-once")

    def crash_once_after_writing(sources, job, spec):
        results = process_batch(sources, job, spec)
        if not os.path.exists(marker):
            open(marker, "w").close()
            os._exit(1)  # the worker process dies, as on an out-of-memory kill
        return results

    sources, job = batch_run(pages, tmp_path / "ray")
    results = list(run_file_batches(ray_runtime, crash_once_after_writing, sources, job, TransformSpec(),
                                    files_per_task=3))
    assert os.path.exists(marker)
    assert results == local_run(pages, tmp_path / "local")
    assert tree(tmp_path / "ray") == tree(tmp_path / "local")


@pytest.mark.ray
def test_a_file_that_always_kills_its_worker_fails_alone(ray_runtime, pages: Path, tmp_path: Path) -> None:
    from cnclean.engines.ray_engine import process_batch, run_file_batches

    culprit = str(pages / SEEDS[2].name)

    def crash_on_culprit(sources, job, spec):
        if any(source.path == culprit for source in sources):
            os._exit(1)
        return process_batch(sources, job, spec)

    sources, job = batch_run(pages, tmp_path / "ray")
    results = list(run_file_batches(ray_runtime, crash_on_culprit, sources, job, TransformSpec(),
                                    files_per_task=3, max_retries=1))
    expected = local_run(pages, tmp_path / "local")
    failed = {result.source.path: result.error for result in results if result.failed}
    assert failed.keys() == {culprit} | {result.source.path for result in expected if result.failed}
    assert "died 2 times (out of memory?)" in failed[culprit]
    assert [r for r in results if r.source.path != culprit] == [r for r in expected if r.source.path != culprit]
    (tmp_path / "local" / SEEDS[2].name).unlink()
    assert tree(tmp_path / "ray") == tree(tmp_path / "local")


@pytest.mark.ray
def test_a_failing_task_fails_its_files(ray_runtime, pages: Path, tmp_path: Path) -> None:
    from cnclean.engines.ray_engine import run_file_batches

    def broken(sources, job, spec):
        raise AttributeError("Can't get attribute 'process_batch'")

    sources, job = batch_run(pages, tmp_path / "ray")
    results = list(run_file_batches(ray_runtime, broken, sources, job, TransformSpec(), files_per_task=4))
    assert [result.source for result in results] == sources
    assert all("the Ray task failed (AttributeError: Can't get attribute 'process_batch')" in result.error
               for result in results)


@pytest.mark.ray
def test_ray_clusters_equal_local_clusters(ray_runtime, near_duplicates) -> None:
    from cnclean.engines.ray_engine import cluster_ray

    for settings in (Settings(), Settings(threshold=0.3, bands=16), Settings(threshold=0.8, ngram=3, permutations=64)):
        expected = find_near_duplicates(near_duplicates, threshold=settings.threshold, ngram=settings.ngram,
                                        permutations=settings.permutations, bands=settings.bands)
        for per_task in (1, 3, 100):
            assert cluster_ray(near_duplicates, settings=settings, items_per_task=per_task) == (
                expected, len(near_duplicates))
    backwards = near_duplicates[::-1]
    clusters, _ = cluster_ray(backwards, items_per_task=2)
    assert clusters == find_near_duplicates(backwards)
    assert [cluster.keep for cluster in clusters] == ["seed1", "wrapped0"]  # the first in input order
    assert cluster_ray([]) == ([], 0)


@pytest.fixture()
def near_duplicate_corpus(tmp_path: Path, near_duplicates) -> Path:
    """The near duplicates as files in a tree (copies in a subfolder, so path order is not key
    order) and as two JSONL files whose records repeat the files and each other."""
    folder = tmp_path / "corpus"
    (folder / "copies").mkdir(parents=True)
    for key, text in near_duplicates:
        (folder / ("copies" if key[:4] in ("copy", "also", "wrap", "adde") else "") / f"{key}.txt").write_text(
            text, encoding="utf-8")
    records = [{"id": key, "text": text, "来源": "test"} for key, text in near_duplicates]
    (folder / "news.jsonl").write_text("".join(json.dumps(record, ensure_ascii=False) + "\n"
                                               for record in records[::-1]), encoding="utf-8")
    (folder / "more.jsonl").write_text("".join(json.dumps(record, ensure_ascii=False) + "\n\n"
                                               for record in records[::2]), encoding="utf-8")
    return folder


@pytest.mark.ray
def test_dedup_across_on_ray_reports_and_writes_as_local(ray_runtime, near_duplicate_corpus: Path) -> None:
    runs = on_both_engines(ray_runtime, "dedup", "--across", "corpus/copies", "corpus", "--report", "clusters.jsonl",
                           "-o", "out", cwd=near_duplicate_corpus.parent, outputs=("clusters.jsonl", "out"))
    assert runs["ray"] == runs["local"]
    status, stdout, stderr, files = runs["local"]
    assert status == 0 and stdout == b""
    clusters = [json.loads(line) for line in files["clusters.jsonl"].splitlines()]
    assert [cluster["keep"] for cluster in clusters] == [  # the first in path order, then line order
        "corpus/copies/added1.txt", "corpus/copies/also0.txt", "corpus/cut2.txt", "corpus/more.jsonl:1",
        "corpus/news.jsonl:1", "corpus/news.jsonl:5", "corpus/news.jsonl:11"]
    assert clusters[1]["duplicates"][:3] == ["corpus/copies/copy0.txt", "corpus/copies/wrapped0.txt",
                                             "corpus/more.jsonl:3"]
    assert stderr == "cnclean: 30 documents, 7 clusters, 20 duplicates\n"
    out = files["out"]
    assert set(out) == {"copies/added1.txt", "copies/also0.txt", "corpus/cut2.txt", "corpus/empty.txt",
                        "corpus/more.jsonl", "corpus/news.jsonl"}
    assert [json.loads(line)["id"] for line in out["corpus/news.jsonl"].splitlines()] == ["seed2", "short", "empty", "seed4"]


@pytest.mark.ray
def test_dedup_across_on_ray_fails_on_a_bad_record_as_local(ray_runtime, near_duplicate_corpus: Path) -> None:
    with (near_duplicate_corpus / "more.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"body": "中文"}\n')
    runs = on_both_engines(ray_runtime, "dedup", "--across", "corpus", cwd=near_duplicate_corpus.parent, outputs=())
    for engine in ("local", "ray"):  # Ray may add its own notes to stderr; the verdict must be the same
        status, stdout, stderr, _ = runs[engine]
        assert status == 2 and stdout == b"", engine
        assert "corpus/more.jsonl:13: no text under the key 'text'" in stderr, engine

"""Engines: the local engine writes what the library and ``cnclean fix`` write; the Ray engine
writes the same bytes, reports the same failures and finds the same clusters (R31)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, strategies as st

from cnclean.cli import main
from cnclean.cli.run import finish_text
from cnclean.engines import (Failure, TransformSpec, batches, fix_batch, fix_files_local, fix_jsonl_local,
                             jsonl_ranges)
from cnclean.engines.minhash import (Clusters, char_ngram_signature, cluster_local, components, make_signature,
                                     similarity)
from cnclean.errors import CncleanError, ConfigError
from cnclean.io import read_text
from cnclean.pipeline import Pipeline

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
SPECS = [TransformSpec(), TransformSpec(["digits", "columns"]), TransformSpec(["convert"], {"convert": {"to": "t"}})]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def expected_bytes(path: Path, spec: TransformSpec) -> bytes:
    """What ``cnclean fix IN -o OUT`` writes for this input."""
    return finish_text(spec.build().run(read_text(str(path)).text).text).encode("utf-8")


@pytest.fixture()
def inputs(tmp_path: Path) -> Path:
    """The seeds, one re-encoded in GB18030 and one with CRLF line ends, a PNG and an empty file."""
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS:
        (folder / seed.name).write_bytes(seed.read_bytes())
    text = SEEDS[0].read_text(encoding="utf-8")
    (folder / "gbk.txt").write_bytes(text.encode("gb18030"))
    (folder / "crlf.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    (folder / "image.txt").write_bytes(PNG)
    (folder / "empty.txt").write_bytes(b"")
    return folder


def jobs_for(folder: Path, out: Path) -> list[tuple[str, str]]:
    names = sorted(path.name for path in folder.iterdir())
    jobs = [(str(folder / name), str(out / "nested" / name)) for name in names]
    return jobs + [(str(folder / "missing.txt"), str(out / "missing.txt"))]


def outputs(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


# The local engine

@pytest.mark.parametrize("spec", SPECS, ids=["default", "layout", "options"])
@pytest.mark.parametrize("workers", [1, 2])
def test_local_engine_writes_what_the_library_writes(inputs: Path, tmp_path: Path, spec, workers) -> None:
    out = tmp_path / "out"
    failures = fix_files_local(jobs_for(inputs, out), spec, workers=workers, batch_size=3)
    assert failures == [Failure(str(inputs / "image.txt"), "looks binary (a PNG image)"),
                        Failure(str(inputs / "missing.txt"), "no such file")]
    written = outputs(out)
    assert set(written) == {f"nested/{path.name}" for path in inputs.iterdir() if path.name != "image.txt"}
    for seed in SEEDS:
        assert written[f"nested/{seed.name}"] == expected_bytes(seed, spec)
    assert written["nested/gbk.txt"] == written["nested/crlf.txt"] == written[f"nested/{SEEDS[0].name}"]
    assert written["nested/empty.txt"] == b""


def test_local_engine_writes_what_cnclean_fix_writes(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    fix_files_local(jobs_for(inputs, out), TransformSpec())
    for source in sorted(inputs.iterdir()):
        if source.name == "image.txt":
            continue
        target = tmp_path / "cli" / source.name
        target.parent.mkdir(exist_ok=True)
        result = CliRunner().invoke(main, ["fix", str(source), "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert target.read_bytes() == (out / "nested" / source.name).read_bytes()


def test_a_failing_step_fails_its_file_only(inputs: Path, tmp_path: Path, monkeypatch) -> None:
    original = Pipeline.run

    def run(self, text):
        if text.startswith(SEEDS[1].read_text(encoding="utf-8")[:50]):
            raise ValueError("boom")
        return original(self, text)

    monkeypatch.setattr(Pipeline, "run", run)
    jobs = [(str(inputs / seed.name), str(tmp_path / "out" / seed.name)) for seed in SEEDS]
    [failure] = fix_batch(jobs, TransformSpec())
    assert failure.path == str(inputs / SEEDS[1].name)
    assert "internal error (ValueError: boom)" in failure.message
    assert sorted(os.listdir(tmp_path / "out")) == sorted(seed.name for seed in SEEDS if seed != SEEDS[1])


def test_a_bad_step_name_fails_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown step 'digit'"):
        fix_files_local([(str(SEEDS[0]), str(tmp_path / "out.txt"))], TransformSpec(["digit"]))
    assert not (tmp_path / "out.txt").exists()


def test_batches_keep_order_and_cover_everything() -> None:
    assert batches(list("abcdefg"), 3) == [["a", "b", "c"], ["d", "e", "f"], ["g"]]
    assert batches([], 3) == []


# JSONL

RECORDS = [
    {"id": 1, "text": "今年\n\n3\n\n月，我参加全国人大会", "meta": {"来源": "人民日报", "页": [1, 2]}},
    {"文件名": "报纸.txt", "text": "第一段\u2028仍是第一段", "score": 0.1, "flag": None},
    {"text": "", "id": 3},
    {"id": 4, "text": "新华社北京3月5日电\f下一页"},
]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """A JSONL corpus with extra fields, U+2028 in a string, CRLF, a blank line and bad records."""
    lines = [json.dumps(record, ensure_ascii=False) for record in RECORDS]
    lines[1] += "\r"
    lines.insert(2, "")
    lines.insert(3, "{not json")
    lines.insert(4, json.dumps({"id": "no text"}))
    lines.insert(5, json.dumps(["a list"]))
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(("\n".join(lines)).encode("utf-8"))  # no final newline
    return path


BAD_LINES = {4: "not valid JSON", 5: "field 'text' is missing", 6: "not a JSON object"}


@pytest.mark.parametrize("chunk_bytes", [1, 40, 1 << 20])
def test_jsonl_keeps_records_fields_and_order(corpus: Path, tmp_path: Path, chunk_bytes: int) -> None:
    out = tmp_path / "out" / "clean.jsonl"
    spec = TransformSpec()
    failures = fix_jsonl_local(str(corpus), str(out), "text", spec, chunk_bytes=chunk_bytes)
    assert [failure.path for failure in failures] == [f"{corpus}:{line}" for line in BAD_LINES]
    for failure, message in zip(failures, BAD_LINES.values()):
        assert message in failure.message
    data = out.read_bytes().decode("utf-8")
    assert data.endswith("\n") and "\r" not in data
    lines = data.split("\n")[:-1]
    assert len(lines) == len(RECORDS) + len(BAD_LINES)
    records = [json.loads(line) for line in lines[:2] + lines[5:]]
    pipeline = spec.build()
    for record, original in zip(records, RECORDS):
        assert list(record) == list(original)
        assert record == {**original, "text": pipeline.run(original["text"]).text}
    assert "人民日报" in lines[0]  # ensure_ascii=False
    assert lines[2] == "{not json"  # a bad record is kept as it was


def test_jsonl_strips_a_leading_bom(tmp_path: Path) -> None:
    source = tmp_path / "bom.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + json.dumps({"text": "正文"}, ensure_ascii=False).encode() + b"\n")
    assert fix_jsonl_local(str(source), str(tmp_path / "out.jsonl"), "text", TransformSpec()) == []
    assert (tmp_path / "out.jsonl").read_bytes() == '{"text": "正文"}\n'.encode()


def test_jsonl_missing_input_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(CncleanError, match="no such file|No such file"):
        fix_jsonl_local(str(tmp_path / "none.jsonl"), str(tmp_path / "out.jsonl"), "text", TransformSpec())


@given(st.lists(st.binary(max_size=30).map(lambda line: line.replace(b"\n", b"")), max_size=12),
       st.booleans(), st.integers(1, 64))
def test_jsonl_ranges_cut_only_after_newlines(tmp_path_factory, lines, final_newline, chunk_bytes) -> None:
    path = tmp_path_factory.mktemp("ranges") / "data.jsonl"
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    path.write_bytes(data)
    ranges = jsonl_ranges(str(path), chunk_bytes)
    assert b"".join(data[start:end] for start, end in ranges) == data
    assert all(start < end for start, end in ranges)
    assert all(data[end - 1:end] == b"\n" for _, end in ranges[:-1])


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


def test_clusters_link_near_duplicates_and_keep_the_smallest_key(near_duplicates) -> None:
    clusters = cluster_local(near_duplicates)
    assert clusters.groups == (("added1", "seed1"), ("also0", "copy0", "seed0", "wrapped0"))
    assert clusters.removed == {"seed1", "copy0", "seed0", "wrapped0"}
    assert clusters == cluster_local(sorted(near_duplicates))
    assert cluster_local(near_duplicates, threshold=0.4).groups == clusters.groups  # a half is no candidate
    assert cluster_local(near_duplicates, bands=32, rows=4, threshold=0.4).groups[-1] == ("cut2", "seed2")


def test_clusters_from_paths_read_the_files_and_report_bad_ones(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt"):
        (tmp_path / name).write_text(article(SEEDS[3]), encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(article(SEEDS[3]).encode("gb18030"))
    (tmp_path / "image.txt").write_bytes(PNG)
    paths = [str(tmp_path / name) for name in ("b.txt", "image.txt", "a.txt", "c.txt")]
    clusters = cluster_local(paths)
    assert clusters.groups == ((paths[2], paths[0], paths[3]),)
    assert clusters.failures == (Failure(paths[1], "looks binary (a PNG image)"),)


def test_clusters_refuse_bad_arguments() -> None:
    with pytest.raises(ConfigError, match="the signature has 128"):
        cluster_local([("a", "x")], bands=20, rows=8)
    with pytest.raises(ConfigError, match="threshold"):
        cluster_local([("a", "x")], threshold=0)
    with pytest.raises(ConfigError, match="unique"):
        cluster_local([("a", "x"), ("a", "y")])
    with pytest.raises(ConfigError, match="not both"):
        cluster_local([("a", "x"), "b.txt"])


def test_signatures_are_stable_and_estimate_jaccard() -> None:
    text = article(SEEDS[4])
    signature = char_ngram_signature(text)
    assert signature.dtype.name == "uint64" and len(signature) == 128
    assert (signature == char_ngram_signature(text)).all()
    assert similarity(signature, char_ngram_signature(article(SEEDS[0]))) < 0.1
    assert len(make_signature(num_perm=64)(text)) == 64
    assert not (make_signature(seed=1)(text) == signature).all()


def test_components_are_canonical() -> None:
    assert components([("d", "c"), ("b", "a"), ("c", "e")]) == (("a", "b"), ("c", "d", "e"))
    assert components([]) == ()


def test_nothing_imports_ray_until_the_engine_runs() -> None:
    code = "import sys, cnclean.engines.ray_engine; print('ray' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "False"


def test_missing_ray_says_how_to_install(monkeypatch) -> None:
    from cnclean.engines import ray_engine

    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(CncleanError, match=r"pip install 'cnclean\[ray\]'"):
        ray_engine.connect()


def test_an_unreachable_cluster_is_one_clear_error(monkeypatch) -> None:
    from cnclean.engines import ray_engine

    def init(**options):
        raise ConnectionError("Failed to connect to Ray cluster at 10.0.0.9:6379")

    fake = types.SimpleNamespace(is_initialized=lambda: False, init=init)
    monkeypatch.setitem(sys.modules, "ray", fake)
    with pytest.raises(CncleanError, match="cannot start or join the Ray cluster at 10.0.0.9:6379: Failed to connect"):
        ray_engine.connect("10.0.0.9:6379")


# The Ray engine: same bytes, same failures, same clusters

@pytest.fixture(scope="session")
def ray_runtime():
    """One local Ray runtime, two CPUs, for the whole session."""
    ray = pytest.importorskip("ray")
    from cnclean.engines.ray_engine import connect

    started = not ray.is_initialized()
    yield connect(num_cpus=2)
    if started:
        ray.shutdown()


@pytest.mark.ray
@pytest.mark.parametrize("spec", SPECS[:2], ids=["default", "layout"])
def test_ray_files_equal_local_files(ray_runtime, inputs: Path, tmp_path: Path, spec) -> None:
    from cnclean.engines.ray_engine import fix_files_ray

    local, remote = tmp_path / "local", tmp_path / "ray"
    assert fix_files_ray(jobs_for(inputs, remote), spec, files_per_task=2) == \
        fix_files_local(jobs_for(inputs, local), spec)
    assert outputs(remote) == outputs(local)


@pytest.mark.ray
def test_ray_jsonl_equals_local_jsonl(ray_runtime, corpus: Path, tmp_path: Path) -> None:
    from cnclean.engines.ray_engine import fix_jsonl_ray

    local, remote = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    spec = TransformSpec()
    assert fix_jsonl_ray(str(corpus), str(remote), "text", spec, chunk_bytes=40) == \
        fix_jsonl_local(str(corpus), str(local), "text", spec)
    assert remote.read_bytes() == local.read_bytes()


@pytest.mark.ray
def test_ray_clusters_equal_local_clusters(ray_runtime, near_duplicates, tmp_path: Path) -> None:
    from cnclean.engines.ray_engine import cluster_ray

    for bands, rows, threshold in ((16, 8, 0.8), (32, 4, 0.4)):
        expected = cluster_local(near_duplicates, bands=bands, rows=rows, threshold=threshold)
        assert cluster_ray(near_duplicates, bands=bands, rows=rows, threshold=threshold, records_per_task=3) == expected
    signature = make_signature(num_perm=64, ngram=3)
    assert cluster_ray(near_duplicates, signature, 8, 8) == cluster_local(near_duplicates, signature, 8, 8)
    paths = []
    for key, text in near_duplicates:
        (tmp_path / f"{key}.txt").write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / f"{key}.txt"))
    (tmp_path / "image.txt").write_bytes(PNG)
    paths.append(str(tmp_path / "image.txt"))
    from_files = cluster_ray(paths, records_per_task=4)
    assert from_files == cluster_local(paths)
    assert len(from_files.groups) == 2 and len(from_files.failures) == 1
    assert cluster_ray([]) == Clusters(())


@pytest.mark.ray
def test_a_crashed_worker_is_retried_without_lost_or_doubled_output(ray_runtime, inputs: Path, tmp_path: Path) -> None:
    from cnclean.engines.ray_engine import run_file_batches

    marker = str(tmp_path / "crashed-once")

    def crash_once_after_writing(jobs, spec, encoding):
        failures = fix_batch(jobs, spec, encoding)
        if not os.path.exists(marker):
            open(marker, "w").close()
            os._exit(1)  # the worker process dies, as on an out-of-memory kill
        return failures

    spec = TransformSpec()
    remote, local = tmp_path / "ray", tmp_path / "local"
    failures = run_file_batches(ray_runtime, crash_once_after_writing, jobs_for(inputs, remote), spec, files_per_task=3)
    assert os.path.exists(marker)
    assert failures == fix_files_local(jobs_for(inputs, local), spec)
    assert outputs(remote) == outputs(local)


@pytest.mark.ray
def test_a_file_that_always_kills_its_worker_fails_alone(ray_runtime, inputs: Path, tmp_path: Path) -> None:
    from cnclean.engines.ray_engine import run_file_batches

    culprit = str(inputs / SEEDS[2].name)

    def crash_on_culprit(jobs, spec, encoding):
        if any(source == culprit for source, _ in jobs):
            os._exit(1)
        return fix_batch(jobs, spec, encoding)

    spec = TransformSpec()
    remote, local = tmp_path / "ray", tmp_path / "local"
    failures = run_file_batches(ray_runtime, crash_on_culprit, jobs_for(inputs, remote), spec,
                                files_per_task=3, max_retries=1)
    expected = fix_files_local(jobs_for(inputs, local), spec)
    assert [failure.path for failure in failures] == sorted([culprit] + [failure.path for failure in expected])
    assert "died 2 times (out of memory?)" in failures[[f.path for f in failures].index(culprit)].message
    (local / "nested" / SEEDS[2].name).unlink()
    assert outputs(remote) == outputs(local)

#!/usr/bin/env python3
"""Throughput of the two engines of the batch runner on one machine, and Ray's fixed start-up cost.

    python ../shared/bench/perf_corpus.py --out /tmp/perf20 --mb 20 --files 800
    PYTHONPATH=src python benchmarks/ray_engine.py /tmp/perf20 --workers 2

Measures, on the same files and the same number of CPUs:
- the command as a user runs it, ``cnclean fix DIR -o OUT -q --jobs N`` with ``--engine local``
  and with ``--engine ray`` (which starts its own Ray runtime): wall-clock, start-up included;
- the engines inside one process, ``batch.run_files`` (a pool of N) against ``run_files_ray``
  on a runtime that is already up: files of text, and the same texts as JSONL shards;
- Ray's start-up: ``ray.init`` of a local runtime, the first tasks, the cost of a task;
- near-duplicate clustering, local and on Ray.
Prints a Markdown table, fastest of ``--repeat`` runs each, and checks that both engines wrote
the same bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cnclean.batch import Job, discover, run_files
from cnclean.engines import TransformSpec
from functools import partial

from cnclean.across import BANDS, Counted, find_near_duplicates
from cnclean.cli.dedup import corpus_files, corpus_records

REPEAT = 1
SHARDS = 8
"""JSONL shards the texts are written into: each shard is one file, the unit of work of both engines."""


def timed(func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start


def best(func, *args, **kwargs):
    """The fastest of ``REPEAT`` runs: on a shared machine the others measure the neighbours."""
    runs = [timed(func, *args, **kwargs) for _ in range(REPEAT)]
    return runs[-1][0], min(seconds for _, seconds in runs)


def row(name: str, seconds: float, megabytes: float, documents: int) -> str:
    return f"| {name} | {seconds:.2f} | {megabytes / seconds:.1f} | {documents / seconds:.0f} |"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def cli(corpus: str, out: Path, engine: str, workers: int, steps: str | None) -> None:
    command = [sys.executable, "-m", "cnclean", "fix", corpus, "-o", str(out), "-q", "--jobs", str(workers),
               "--engine", engine] + (["--steps", steps] if steps else [])
    subprocess.run(command, check=True)


def engine_run(sources, out: Path, spec: TransformSpec, engine: str, workers: int) -> list:
    """Every result of one batch, mirrored into ``out``, on the chosen engine (Ray: already up)."""
    job = Job(mode="mirror", output_dir=str(out))
    if engine == "ray":
        from cnclean.engines.ray_engine import run_files_ray

        return list(run_files_ray(sources, job, spec))
    return list(run_files(sources, job, spec.build().run, workers))


def write_shards(files: list[str], folder: Path) -> None:
    folder.mkdir()
    handles = [open(folder / f"shard{n:02}.jsonl", "w", encoding="utf-8") for n in range(SHARDS)]
    for n, path in enumerate(files):
        record = {"id": Path(path).name, "text": Path(path).read_text(encoding="utf-8")}
        handles[n % SHARDS].write(json.dumps(record, ensure_ascii=False) + "\n")
    for handle in handles:
        handle.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", help="a folder of .txt files (perf_corpus.py --out)")
    parser.add_argument("--workers", type=int, default=2, help="processes of the pool, CPUs of the Ray runtime")
    parser.add_argument("--steps", default=None, help="comma-separated steps (default: the fix defaults)")
    parser.add_argument("--scratch", default=None, help="where outputs go (default: the system temp folder); "
                        "on tmpfs (/dev/shm) fsync is free, so the figures show the engines without disk syncs")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the fastest is reported")
    args = parser.parse_args(argv)
    global REPEAT
    REPEAT = max(1, args.repeat)

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    sources = discover([args.corpus], ("*.txt",))
    files = [source.path for source in sources]
    if not files:
        sys.exit(f"no .txt files in {args.corpus}")
    megabytes = sum(os.path.getsize(path) for path in files) / 2**20
    documents = len(files)
    spec = TransformSpec(args.steps.split(",") if args.steps else None)
    lines = [f"{documents} files, {megabytes:.1f} MiB, {args.workers} workers/CPUs, steps: "
             f"{', '.join(spec.build().steps)}, outputs under {args.scratch or tempfile.gettempdir()}", "",
             "| run | seconds | MiB/s | documents/s |", "| --- | ---: | ---: | ---: |"]

    with tempfile.TemporaryDirectory(dir=args.scratch) as scratch:
        out = Path(scratch)
        runs = iter(range(1 << 30))
        fresh = lambda name: out / f"{name}{next(runs)}"  # noqa: E731  (a new folder per run: no file is skipped)

        for engine in ("local", "ray"):
            _, seconds = best(lambda: cli(args.corpus, fresh(f"cli-{engine}"), engine, args.workers, args.steps))
            lines.append(row(f"`cnclean fix DIR -o OUT --engine {engine} --jobs {args.workers}` "
                             "(start-up included)", seconds, megabytes, documents))

        shards = out / "shards"
        write_shards(files, shards)
        shard_sources = discover([str(shards)], ("*.jsonl",))
        local = {}
        for workers in sorted({1, args.workers}):
            local[workers], seconds = best(lambda: engine_run(sources, out / f"local{workers}", spec, "local", workers))
            lines.append(row(f"files, local engine, {workers} process{'es' if workers > 1 else ''}",
                             seconds, megabytes, documents))
        _, seconds = best(lambda: engine_run(shard_sources, out / "jsonl-local", spec, "local", args.workers))
        lines.append(row(f"JSONL ({SHARDS} shards), local engine, {args.workers} processes",
                         seconds, megabytes, documents))

        import ray
        from cnclean.engines.ray_engine import cluster_ray, connect

        _, start_up = timed(connect, num_cpus=args.workers)
        empty = ray.remote(lambda: 0)
        _, first_tasks = timed(lambda: ray.get([empty.remote() for _ in range(args.workers)]))
        _, seconds_for_1000 = best(lambda: ray.get([empty.remote() for _ in range(1000)]))
        remote, cold = timed(engine_run, sources, out / "ray-cold", spec, "ray", args.workers)
        lines.append(row("files, Ray engine (first run: workers start)", cold, megabytes, documents))
        remote, seconds = best(lambda: engine_run(sources, out / "ray", spec, "ray", args.workers))
        lines.append(row("files, Ray engine (warm)", seconds, megabytes, documents))
        _, seconds = best(lambda: engine_run(shard_sources, out / "jsonl-ray", spec, "ray", args.workers))
        lines.append(row(f"JSONL ({SHARDS} shards), Ray engine (warm)", seconds, megabytes, documents))

        corpus = corpus_files([os.path.abspath(path) for path in files])
        read = partial(corpus_records, text_key="text", encoding="auto")
        clusters, seconds = best(lambda: find_near_duplicates(Counted(read(corpus))))
        lines.append(row("clusters, local (one process)", seconds, megabytes, documents))
        (remote_clusters, _), seconds = best(cluster_ray, corpus, read)
        lines.append(row("clusters, Ray", seconds, megabytes, documents))

        assert remote == local[1] == local[args.workers], "the engines' results differ"
        assert tree(out / "ray") == tree(out / "ray-cold") == tree(out / "local1") == tree(next(out.glob("cli-ray*")))
        assert tree(out / "jsonl-ray") == tree(out / "jsonl-local")
        assert remote_clusters == clusters, "the Ray clusters differ from the local ones"

    lines += ["", f"Ray start-up: {start_up:.2f} s for ray.init of a local runtime, {first_tasks:.2f} s more until "
              f"{args.workers} workers answer; then {seconds_for_1000:.2f} ms per task "
              "(1000 empty tasks, in flight together).",
              f"Clusters: {len(clusters)}, {sum(len(c.duplicates) for c in clusters)} documents removed; the "
              f"shuffle moves {BANDS} band keys of 8 bytes per document to the reduce tasks.",
              "Both engines wrote the same bytes (files, JSONL) and found the same clusters.",
              f"Fastest of {REPEAT} runs each; load average at the end: "
              + ", ".join(f"{load:.1f}" for load in os.getloadavg()) + f" on {os.cpu_count()} CPUs."]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

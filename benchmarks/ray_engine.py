#!/usr/bin/env python3
"""Throughput of the local process pool and of the Ray engine on one machine, and Ray's start-up cost.

    python /work/shared/bench/perf_corpus.py --out /tmp/corpus --mb 20 --files 800
    PYTHONPATH=src python benchmarks/ray_engine.py /tmp/corpus --workers 2

Measures, on the same files and the same number of CPUs: cleaning files (local pool, Ray),
one JSONL file with one record per input file (local, Ray), and near-duplicate clustering
(local, Ray, with the shuffle volume). Prints a Markdown table. The figures are wall-clock
times of a single run after a warm-up; they measure the engines' overhead as much as the steps.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from cnclean.engines import TransformSpec, fix_files_local, fix_jsonl_local
from cnclean.engines.minhash import BANDS, ROWS, char_ngram_signature, cluster_local


REPEAT = 1


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


def same_files(a: Path, b: Path) -> bool:
    names = sorted(path.name for path in a.iterdir())
    return names == sorted(path.name for path in b.iterdir()) and all(
        (a / name).read_bytes() == (b / name).read_bytes() for name in names)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", help="a folder of .txt files (perf_corpus.py --out)")
    parser.add_argument("--workers", type=int, default=2, help="processes for the pool, CPUs for Ray")
    parser.add_argument("--steps", default=None, help="comma-separated steps (default: the fix defaults)")
    parser.add_argument("--scratch", default=None, help="where outputs go (default: the system temp folder); "
                        "on tmpfs (/dev/shm) fsync is free, so the figures show the engines without disk syncs")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the fastest is reported")
    args = parser.parse_args(argv)
    global REPEAT
    REPEAT = max(1, args.repeat)

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    files = sorted(str(path) for path in Path(args.corpus).glob("*.txt"))
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
        jobs = lambda name: [(path, str(out / name / Path(path).name)) for path in files]  # noqa: E731
        corpus_jsonl = out / "corpus.jsonl"
        with open(corpus_jsonl, "w", encoding="utf-8") as handle:
            for path in files:
                handle.write(json.dumps({"id": Path(path).name, "text": Path(path).read_text(encoding="utf-8")},
                                        ensure_ascii=False) + "\n")

        fix_files_local(jobs("warm"), spec, workers=1)
        for workers in sorted({1, args.workers}):
            _, seconds = best(fix_files_local, jobs(f"local{workers}"), spec, workers=workers)
            lines.append(row(f"files, local pool of {workers}", seconds, megabytes, documents))

        import ray
        from cnclean.engines.ray_engine import cluster_ray, connect, fix_files_ray, fix_jsonl_ray

        _, start_up = timed(connect, num_cpus=args.workers)
        empty = ray.remote(lambda: 0)
        _, first_task = timed(lambda: ray.get([empty.remote() for _ in range(args.workers)]))
        _, seconds_for_1000 = best(lambda: ray.get([empty.remote() for _ in range(1000)]))
        _, cold = timed(fix_files_ray, jobs("ray-cold"), spec)
        _, seconds = best(fix_files_ray, jobs("ray"), spec)
        lines.append(row("files, Ray (first run, workers starting)", cold, megabytes, documents))
        lines.append(row("files, Ray (warm)", seconds, megabytes, documents))

        _, seconds = best(fix_jsonl_local, str(corpus_jsonl), str(out / "local.jsonl"), "text", spec)
        lines.append(row("JSONL, local (one process)", seconds, megabytes, documents))
        _, seconds = best(fix_jsonl_ray, str(corpus_jsonl), str(out / "ray.jsonl"), "text", spec)
        lines.append(row("JSONL, Ray", seconds, megabytes, documents))

        _, seconds = best(lambda: [char_ngram_signature(Path(path).read_text(encoding="utf-8")) for path in files])
        lines.append(row("signatures only, local (one process)", seconds, megabytes, documents))
        local, seconds = best(cluster_local, files)
        lines.append(row("clusters, local (one process)", seconds, megabytes, documents))
        remote, seconds = best(cluster_ray, files)
        lines.append(row("clusters, Ray", seconds, megabytes, documents))
        assert remote == local, "the Ray clusters differ from the local ones"
        assert same_files(out / "local1", out / "ray") and same_files(out / "local1", out / "ray-cold")
        assert (out / "local.jsonl").read_bytes() == (out / "ray.jsonl").read_bytes()

    row_bytes = 8 * len(char_ngram_signature("")) + len(f"{BANDS}:") + 32 + len(files[0])
    lines += ["", f"Ray start-up: {start_up:.2f} s for ray.init, {first_task:.2f} s more until "
              f"{args.workers} workers answer; then {seconds_for_1000:.2f} ms per task "
              "(1000 empty tasks, in flight together).",
              f"Clusters: {len(local.groups)} groups, {len(local.removed)} documents removed; the shuffle "
              f"moves {BANDS} rows of about {row_bytes} bytes per document ({BANDS} bands x {ROWS} rows).",
              "Ray and local outputs: identical (files, JSONL, clusters).",
              f"Fastest of {REPEAT} runs each; load average at the end: "
              + ", ".join(f"{load:.1f}" for load in os.getloadavg()) + f" on {os.cpu_count()} CPUs."]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

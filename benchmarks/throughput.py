#!/usr/bin/env python3
"""Throughput and peak memory of ``cnclean fix``, beside ``cat`` and a plain Python read-and-write.

    python ../shared/bench/perf_corpus.py --out /tmp/many --mb 50 --files 2000
    python ../shared/bench/perf_corpus.py --out /tmp/single --mb 500 --single-file
    PYTHONPATH=src python benchmarks/throughput.py --corpus /tmp/many --single /tmp/single/corpus.txt

Each command runs in a fresh process whose peak memory is read with
``resource.getrusage(RUSAGE_CHILDREN)``; the time is the best of ``--repeat`` runs (start-up
included: that is what a user waits for). Output goes to a file in a temporary folder.
Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURE = r"""
import json, resource, subprocess, sys, time
command, stdout = json.loads(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
with open(stdout, "wb") as out:
    code = subprocess.call(command, stdout=out)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"code": code, "seconds": seconds, "peak": peak}))
"""

PYTHON_COPY = r"""
import os, sys
out_dir = sys.argv[2] if len(sys.argv) > 2 else None
paths = sorted(os.path.join(r, n) for r, _, ns in os.walk(sys.argv[1]) for n in ns if n.endswith(".txt")) \
    if os.path.isdir(sys.argv[1]) else [sys.argv[1]]
stdout = sys.stdout.buffer
for path in paths:
    with open(path, "rb") as handle:
        data = handle.read().decode("utf-8").encode("utf-8")
    if out_dir:
        with open(os.path.join(out_dir, os.path.basename(path)), "wb") as handle:
            handle.write(data)
    else:
        stdout.write(data)
"""


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_parallelism(jobs: int = 2) -> float:
    """How much more CPU work ``jobs`` processes get done than one, right now: the ceiling for ``--jobs``.

    On a shared machine this is often well below ``jobs``; read the ``--jobs`` rows against it.
    """
    import multiprocessing
    import time

    times = []
    for processes in (1, jobs):
        start = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            pool.map(_burn, [2_000_000] * 8)
        times.append(time.perf_counter() - start)
    return times[0] / times[1]


def corpus_size(path: Path) -> tuple[int, int]:
    """Bytes and documents (files) of a corpus folder or file."""
    if path.is_file():
        return path.stat().st_size, 1
    files = [p for p in path.rglob("*.txt")]
    return sum(p.stat().st_size for p in files), len(files)


def measure(command: list[str], scratch: Path, repeat: int) -> dict:
    best = None
    for _ in range(repeat):
        for leftover in scratch.iterdir():
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        (scratch / "out").mkdir()
        os.sync()  # so that a run does not pay for writing back the previous run's output
        raw = subprocess.run([sys.executable, "-c", MEASURE, json.dumps(command), str(scratch / "stdout")],
                             capture_output=True, text=True, check=True).stdout
        run = json.loads(raw)
        if run["code"] != 0:
            raise SystemExit(f"failed ({run['code']}): {shlex.join(command)}")
        if best is None or run["seconds"] < best["seconds"]:
            best = run
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, help="a folder of many pages (perf_corpus.py --files N)")
    parser.add_argument("--single", type=Path, help="one large file (perf_corpus.py --single-file)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cnclean", default=f"{sys.executable} -m cnclean", help="how to run cnclean")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONPATH", str(ROOT / "src"))
    cnclean = shlex.split(args.cnclean)
    rows = []
    with tempfile.TemporaryDirectory(prefix="cnclean-bench-") as scratch_name:
        scratch = Path(scratch_name)
        out = str(scratch / "out")
        cases = []
        if args.corpus:
            c = str(args.corpus)
            cases += [
                ("many", "cat", ["sh", "-c", f"cat {shlex.quote(c)}/*.txt"]),
                ("many", "python read+write", [sys.executable, "-c", PYTHON_COPY, c]),
                ("many", "cnclean fix -j 1", [*cnclean, "fix", "-q", "-j", "1", c]),
                ("many", "cnclean fix -j 2", [*cnclean, "fix", "-q", "-j", "2", c]),
                ("many", "python read+write, file per file", [sys.executable, "-c", PYTHON_COPY, c, out]),
                ("many", "cnclean fix -j 1 -o DIR", [*cnclean, "fix", "-q", "-j", "1", c, "-o", out]),
                ("many", "cnclean fix -j 2 -o DIR", [*cnclean, "fix", "-q", "-j", "2", c, "-o", out]),
            ]
        if args.single:
            s = str(args.single)
            cases += [
                ("single", "cat", ["cat", s]),
                ("single", "python read+write", [sys.executable, "-c", PYTHON_COPY, s]),
                ("single", "cnclean fix", [*cnclean, "fix", "-q", s]),
            ]
        for corpus, label, command in cases:
            size, documents = corpus_size(args.corpus if corpus == "many" else args.single)
            run = measure(command, scratch, 1 if corpus == "single" else args.repeat)
            rows.append((corpus, label, size, documents, run))
            print(f"  {corpus:6} {label:34} {run['seconds']:6.2f} s", file=sys.stderr)
    print_table(rows)
    print(f"\nControl: 2 processes do {machine_parallelism(2):.2f}× the CPU work of one on this machine right now.")
    return 0


def print_table(rows) -> None:
    print("| corpus | command | MB/s | documents/s | seconds | peak memory |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for corpus, label, size, documents, run in rows:
        name = f"{size / 2**20:.0f} MiB, {documents:,} file{'s' if documents > 1 else ''}"
        rate = size / 2**20 / run["seconds"]
        per_second = f"{documents / run['seconds']:,.0f}" if documents > 1 else "—"
        print(f"| {name} | `{label}` | {rate:.1f} | {per_second} | {run['seconds']:.2f} "
              f"| {run['peak'] / 2**20:.0f} MiB |")


if __name__ == "__main__":
    raise SystemExit(main())

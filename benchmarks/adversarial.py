#!/usr/bin/env python3
"""Time and memory of ``cnclean fix`` on inputs made to hurt: every repair must stay linear.

    PYTHONPATH=src python benchmarks/adversarial.py [--scale 1.0]

Each input is generated at two sizes, the second four times the first; ``cnclean fix`` runs
on each in a fresh process. A growth well above 4× between the two sizes means a step went
superlinear on that shape (a pattern that backtracks, a quadratic loop); ``--timeout``
(per file) is the safety net in a batch, this is how we find them. Not a test: the numbers
depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANZI = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"

SHAPES = {
    "a line of Hanzi without a line break": lambda n, rng: "".join(rng.choice(HANZI) for _ in range(n)),
    "1.1.1.… (a number that never ends)": lambda n, rng: "1." * (n // 2),
    "digits and spaces": lambda n, rng: "1 " * (n // 2),
    "a number on every line": lambda n, rng: "\n\n".join(str(rng.randint(0, 99)) for _ in range(n // 4)),
    "one character per line": lambda n, rng: "\n".join(rng.choice(HANZI) for _ in range(n // 2)),
    "letter-spaced Hanzi": lambda n, rng: " ".join(rng.choice(HANZI) for _ in range(n // 2)),
    "digits, stops, spaces, breaks at random": lambda n, rng: "".join(rng.choice("1 .\n今%　") for _ in range(n)),
    "one sentence repeated": lambda n, rng: "今年3月我参加了全国人大会议，" * (n // 15),
    "blank lines": lambda n, rng: "\n" * n + "今年",
    "columns one space apart, every other row indented": lambda n, rng: "\n".join(
        "  " * (row % 2) + " ".join("".join(rng.choice(HANZI) for _ in range(12)) for _ in range(3))
        for row in range(n // 40)
    ),
}

MEASURE = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(json.loads(sys.argv[1]), stdout=subprocess.DEVNULL)
print(json.dumps({"code": code, "seconds": time.perf_counter() - start,
                  "peak": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024}))
"""


def run_fix(path: Path) -> dict:
    command = [sys.executable, "-m", "cnclean", "fix", "-q", str(path)]
    measured = subprocess.run([sys.executable, "-c", MEASURE, json.dumps(command)],
                              capture_output=True, text=True, check=True)
    return json.loads(measured.stdout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="characters of the smaller input, in millions")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONPATH", str(ROOT / "src"))
    small = int(args.scale * 250_000)
    print("| input | characters | seconds | MB/s | peak memory | growth for 4× the input |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="cnclean-adversarial-") as scratch:
        for name, make in SHAPES.items():
            runs = []
            for size in (small, 4 * small):
                path = Path(scratch) / "input.txt"
                text = make(size, random.Random(size))
                path.write_text(text, encoding="utf-8")
                runs.append((len(text), path.stat().st_size, run_fix(path)))
            (_, _, first), (characters, size, second) = runs
            growth = second["seconds"] / max(first["seconds"], 1e-9)
            failed = "" if second["code"] == 0 else f" (exit {second['code']})"
            print(f"| {name}{failed} | {characters:,} | {second['seconds']:.2f} | "
                  f"{size / 2**20 / second['seconds']:.1f} | {second['peak'] / 2**20:.0f} MiB | {growth:.1f}× |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

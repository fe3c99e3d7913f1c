"""Which PDF extractor to feed ``cnclean fix``: the same pages, extracted each way, scored before and after.

For every seed the bench's generator renders one newspaper page into a real PDF and extracts
it with each extractor (the page depends on the seed alone, so every extractor reads the same
page). Each extraction is scored as it is (the generator's own input scores) and after
``fix``, with the suite's scorer (content CER, paragraph F1, split F1; see the bench's
FORMAT.md).

    PYTHONPATH=src python benchmarks/extractors.py [--bench ../shared/bench] [--seeds 501-524] [--work DIR]

The generator needs the bench's packages: reportlab, pdfminer.six, pymupdf and poppler's
pdftotext. Pages already made in ``--work`` are reused.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from cnclean.pipeline import Pipeline

EXTRACTORS = (
    "pdftotext-raw",
    "pymupdf",
    "pymupdf-blocks",
    "pdfminer",
    "pdftotext",
    "pdftotext-layout",
    "pymupdf-sort",
)
"""The bench generator's extractors, each with its default options (``make_cases.py --plan pdf:NAME``)."""

SCORES = ("content_cer", "para_f1", "split_f1")


def seed_range(spec: str) -> list[int]:
    first, _, last = spec.partition("-")
    return list(range(int(first), int(last or first) + 1))


def make_pages(bench: Path, work: Path, extractor: str, seeds: list[int]) -> list[Path]:
    """The gold files of one extractor's pages, made with the bench's generator where missing."""
    folder = work / extractor
    golds = []
    for seed in seeds:
        pattern = f"s{seed}_*.json"  # the generator names the case after its prefix
        if not any(folder.glob(pattern)):
            subprocess.run(
                [sys.executable, "make_cases.py", "--out", str(folder), "--seed", str(seed),
                 "--plan", f"pdf:{extractor}", "--prefix", f"s{seed}_"],
                cwd=bench, check=True, stdout=subprocess.DEVNULL,
            )
        golds.extend(folder.glob(pattern))
    return golds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench"))
    ap.add_argument("--seeds", default="501-524", help="a seed or a range of seeds, one page each")
    ap.add_argument("--work", help="folder for the generated pages (default: a temporary folder)")
    args = ap.parse_args(argv)
    bench = Path(args.bench).resolve()
    sys.path.insert(0, str(bench))
    import score  # the suite's scorer

    work = Path(args.work or tempfile.mkdtemp(prefix="cnclean-extractors-"))
    seeds = seed_range(args.seeds)
    pipeline = Pipeline()
    print(f"{len(seeds)} pages (seeds {args.seeds}), made in {work}")
    print(f"{'extractor':18} {'content CER':>16} {'paragraph F1':>16} {'split F1':>16}")
    for extractor in EXTRACTORS:
        before: dict[str, list[float]] = {name: [] for name in SCORES}
        after: dict[str, list[float]] = {name: [] for name in SCORES}
        for gold_path in make_pages(bench, work, extractor, seeds):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            text = gold_path.with_suffix(".txt").read_text(encoding="utf-8")
            fixed = score.score(gold, score.parse_pred_text(pipeline.run(text).text, True))
            for name in SCORES:
                before[name].append(gold["generator"]["input_scores"][name])
                after[name].append(fixed[name])
        cells = [f"{statistics.mean(before[n]):.3f} → {statistics.mean(after[n]):.3f}" for n in SCORES]
        print(f"{extractor:18} " + " ".join(f"{cell:>16}" for cell in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Score piece boundaries on inputs built from the benchmark gold, apart from the layout repairs.

For each suite case the input is the gold ``paragraphs`` in source order, one per line (``clean``),
and the same with the case's noise strings put back near where the extractor printed them
(``noisy``). ``split_pieces`` runs on each and its pieces are scored with the suite's scorer.

    PYTHONPATH=src python benchmarks/split_dev.py [--bench ../shared/bench] [--suite DIR] [--show CASE]

More cases for a check on unseen pages: ``python make_cases.py --out DIR --seed N`` in the bench
(it needs the bench's generator packages: reportlab, pdfminer.six and poppler's pdftotext).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from pathlib import Path

from cnclean.steps.pieces import analyse, separate_pieces, split_pieces


def compact(text: str) -> str:
    return re.sub(r"\s", "", text)


def noisy_paragraphs(gold: dict, raw: str) -> list[str]:
    """The gold paragraphs with each noise string inserted after the paragraph printed before it."""
    flat = compact(raw)
    positions, cursor = [], 0
    for paragraph in gold["paragraphs"]:
        head = compact(paragraph["text"])[:8]
        found = flat.find(head, cursor)
        if found < 0:
            found = flat.find(head)
        positions.append(found)
        cursor = max(cursor, found)
    lines = [[p["text"]] for p in gold["paragraphs"]]
    used: dict[str, int] = {}
    for item in gold.get("removed", []):
        if item.get("why") != "noise":
            continue
        noise = item["text"]
        at = -1
        for _ in range(used.get(noise, 0) + 1):
            at = flat.find(compact(noise), at + 1)
        used[noise] = used.get(noise, 0) + 1
        if at < 0:
            continue
        before = [k for k, pos in enumerate(positions) if 0 <= pos < at]
        target = max(before, key=lambda k: positions[k]) if before else 0
        lines[target].append(noise)
    return [line for group in lines for line in group]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default=str(Path(__file__).resolve().parents[2] / "shared" / "bench"))
    ap.add_argument("--suite", help="folder of cases (default: the bench's suite/)")
    ap.add_argument("--show", help="print the pieces found for the cases whose name contains this")
    args = ap.parse_args(argv)
    sys.path.insert(0, args.bench)
    import score  # the suite's scorer

    suite = Path(args.suite or Path(args.bench) / "suite")
    results: dict[str, list[float]] = {"clean": [], "noisy": [], "step": []}
    for gold_path in sorted(suite.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        gold.pop("generator", None)
        raw = gold_path.with_suffix(".txt").read_text(encoding="utf-8")
        inputs = {
            "clean": "\n".join(p["text"] for p in gold["paragraphs"]),
            "noisy": "\n".join(noisy_paragraphs(gold, raw)),
        }
        row = []
        for name, text in inputs.items():
            pieces = [list(p.paragraphs) for p in split_pieces(text)]
            f1 = score.score(gold, pieces)["split_f1"]
            results[name].append(f1)
            row.append(f1)
        stepped = separate_pieces(inputs["clean"]).text
        f1 = score.score(gold, score.parse_pred_text(stepped, blank_separates_pieces=True))["split_f1"]
        results["step"].append(f1)
        row.append(f1)
        print(f"{gold_path.stem:32} " + " ".join(f"{v:6.3f}" for v in row))
        if args.show and args.show in gold_path.stem:
            for label, text in inputs.items():
                layout = analyse(text)
                print(f"--- {label}")
                for line, kind, start in zip(layout.lines, layout.kinds, layout.starts):
                    print(("== " if start else "   ") + f"{kind:9} {line[:40]}")
    print(f"{'mean (clean, noisy, step)':32} " + " ".join(f"{statistics.mean(v):6.3f}" for v in results.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# A JSONL corpus, gzipped: only the "text" field changes; ids, metadata and key order stay.
set -euo pipefail
python3 - <<'PY'
import glob, gzip, json
with gzip.open("corpus.jsonl.gz", "wt", encoding="utf-8") as out:
    for n, path in enumerate(sorted(glob.glob("seeds/*.txt"))):
        text = open(path, encoding="utf-8").read()
        out.write(json.dumps({"id": n, "来源": path, "text": text}, ensure_ascii=False) + "\n")
PY
cnclean fix --format jsonl --text-key text corpus.jsonl.gz -o clean.jsonl.gz -q
zcat clean.jsonl.gz | python3 -c 'import json, sys; print(*(list(json.loads(l)) for l in sys.stdin), sep="\n")'
# Several corpora at once, in parallel, mirrored into a folder:
mkdir -p corpora && cp corpus.jsonl.gz corpora/a.jsonl.gz && cp corpus.jsonl.gz corpora/b.jsonl.gz
cnclean fix --format jsonl corpora/ -o clean-corpora/ -q && ls clean-corpora/

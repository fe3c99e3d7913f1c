#!/usr/bin/env bash
# Names from find, NUL-separated, so that spaces and line breaks in names are safe.
set -euo pipefail
mkdir -p "scans/page one" scans/other
cp seeds/000_*.txt "scans/page one/a.txt"
cp seeds/003_*.txt scans/other/b.txt
find scans -name '*.txt' -print0 | cnclean fix --files-from - -0 -o out/ -q
find out -type f                             # out/scans/page one/a.txt, out/scans/other/b.txt: the tree is kept

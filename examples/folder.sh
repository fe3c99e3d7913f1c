#!/usr/bin/env bash
# A folder of extracted pages, cleaned into a folder of the same shape, on every CPU.
set -euo pipefail
mkdir -p pages/2024/03
cp seeds/000_*.txt seeds/001_*.txt pages/
cp seeds/002_*.txt pages/2024/03/
cnclean fix pages/ -o clean/ -q            # -o DIR mirrors pages/; --jobs defaults to the CPU count
find clean -type f | sort
cnclean fix pages/ -o clean/ --jobs 1 2>&1 | sed -n 1p   # the summary: files read, changed, unchanged, failed

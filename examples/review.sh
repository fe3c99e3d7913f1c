#!/usr/bin/env bash
# See what a run changes before trusting it: inline diffs, every edit as JSON, a page to review.
set -euo pipefail
cnclean fix --explain seeds/000_*.txt | sed -n 1,20p     # 今年[-\n\n-]3[-\n\n-]月: characters, not lines
cnclean fix --diff seeds/000_*.txt > changes.diff || true  # a unified diff, for patch tools
cnclean fix seeds/ -o clean/ --report edits.jsonl --report-html report.html
wc -l < edits.jsonl                                        # one line per edit: file, step, rule, offsets, old, new
test -s report.html && echo "open report.html in a browser"

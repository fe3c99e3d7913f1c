#!/usr/bin/env bash
# A gate for CI or pre-commit: exit 1 when a repair would change a file, 2 on an unreadable file.
set -euo pipefail
cnclean fix seeds/ -o cleaned/ -q
if cnclean check cleaned/ -q; then echo "cleaned/: nothing to repair"; fi
set +e
cnclean check seeds/ -q; status=$?
set -e
echo "seeds/: check exited $status"     # 1 if any repair applies, 0 if the pages are clean

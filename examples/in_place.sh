#!/usr/bin/env bash
# Rewrite files where they are, keeping a backup of each file that changed.
set -euo pipefail
mkdir -p work
cp seeds/*.txt work/
cnclean fix --in-place --backup-suffix .bak work/ -q    # atomic: a failure leaves the file as it was
ls work/ | sed -n 1,3p
cnclean check work/ -q && echo "work/ is clean"         # the rewritten files need no more repair

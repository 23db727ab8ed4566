#!/bin/sh
# Writes a ~6 MB paste of 200,000 one-line snapshots (issue 13 point 7) to stdout, from the
# real `remaining ram:` values of tests/data/corpus/runs/7.2.22-B (cycled), for
#   scripts/big_paste.sh > /tmp/big.txt && /usr/bin/time -v target/release/converge /tmp/big.txt > /dev/null
set -eu
dir=$(dirname "$0")/../tests/data/corpus/runs/7.2.22-B/snapshots
n=${1:-200000}
cat "$dir"/*_hmp.txt | tr -d '\r' | grep '^remaining ram:' |
  awk -v n="$n" '{ v[NR] = $0 } END { for (i = 0; i < n; i++) print v[i % NR + 1] }'

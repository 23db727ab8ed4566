#!/bin/sh
# Seeds the libFuzzer corpus with every real capture under tests/data/
# (HMP text, QMP JSON, virsh output, the user's paste) plus one
# multi-snapshot paste, so fuzzing starts from real monitor output.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data="$here/../tests/data"
corpus="$here/corpus/parse_analyse"
mkdir -p "$corpus"
find "$data" -type f \( -name '*.txt' -o -name '*.json' -o -name '*.jsonl' -o -name '*.bin' -o -name '*.log' \) -size -64k |
while read -r f; do
  # Name by content so re-seeding does not duplicate.
  cp "$f" "$corpus/$(sha1sum "$f" | cut -c1-40)"
done
# A few snapshots in one paste, with prompts, as users paste a session.
{ for f in $(ls "$data"/corpus/runs/10.0.2-B/snapshots/*_hmp.txt | head -5); do printf '(qemu) info migrate\r\n'; cat "$f"; done; } > "$corpus/session-10.0.2-B"
echo "seeded $(ls "$corpus" | wc -l) inputs into $corpus"

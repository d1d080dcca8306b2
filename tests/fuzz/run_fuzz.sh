#!/bin/sh
# Runs one libFuzzer target for FUZZ_SECONDS (default 60) over a copy of its corpus, so the
# checked-in corpus is only read. Longer runs: FUZZ_SECONDS=3600 meson test -C build-fuzz --suite fuzz
set -eu
target="$1"
corpus="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$corpus"/. "$work"/
exec "$target" -max_total_time="${FUZZ_SECONDS:-60}" -max_len=4096 -print_final_stats=1 \
  -artifact_prefix="$work/" "$work"

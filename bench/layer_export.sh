#!/usr/bin/env bash
# Layer export throughput, distill vs the shell: runs with hyperfine
#   tar -cf - TREE | pigz -N | sha256sum        (whole pipeline, tar included)
#   pigz -N < tree.tar | sha256sum              (compression + hash only)
#   zstd -T0 -3 < tree.tar | sha256sum
# and then distill's layer_write_bench (compression + both hashes, tar made
# up front), so each distill number has a like-for-like shell number.
#
# Usage: bench/layer_export.sh [BUILD_DIR] [TREE]
#   BUILD_DIR defaults to build-compress (configured with -DDISTILL_BENCH=ON),
#   TREE to /usr/lib/python3 if present, else /usr/share.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build-compress}"
tree="${2:-}"
if [[ -z "$tree" ]]; then
  if [[ -d /usr/lib/python3 ]]; then tree=/usr/lib/python3; else tree=/usr/share; fi
fi
for tool in hyperfine pigz zstd tar sha256sum; do
  command -v "$tool" >/dev/null || { echo "layer_export.sh: $tool not installed (scripts/install-deps)" >&2; exit 1; }
done
bench="$build/bench/layer_write_bench"
[[ -x "$bench" ]] || { echo "layer_export.sh: $bench missing; build target layer_write_bench" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
tar --sort=name -cf "$tmp/tree.tar" "$tree" 2>/dev/null || true
size=$(stat -c %s "$tmp/tree.tar")
echo "tree: $tree  tar: $((size / 1000000)) MB  cores: $(nproc)"

hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$tmp/shell.json" \
  "tar -cf - '$tree' 2>/dev/null | pigz -1 | sha256sum" \
  "tar -cf - '$tree' 2>/dev/null | pigz -6 | sha256sum" \
  "pigz -1 < '$tmp/tree.tar' | sha256sum" \
  "pigz -6 < '$tmp/tree.tar' | sha256sum" \
  "zstd -q -T0 -3 < '$tmp/tree.tar' | sha256sum"

echo
echo "MB/s (tar bytes / mean time):"
python3 - "$tmp/shell.json" "$size" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
size = int(sys.argv[2])
for r in data["results"]:
    print(f"  {size / r['mean'] / 1e6:8.1f} MB/s  {r['command']}")
PY

echo
DISTILL_BENCH_TREE="$tree" "$bench" --benchmark_min_time="${MIN_TIME:-1}" --benchmark_counters_tabular=true

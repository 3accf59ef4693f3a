#!/usr/bin/env bash
# Build-context digest time, cold vs warm stat cache, with hyperfine:
#   cold: no stat cache, every file is read and hashed;
#   warm: the persistent stat cache answers, only metadata is read;
#   baseline: find | xargs sha256sum over the same files.
# The digest is SourcesDigest of `COPY . /app/` (what the solver keys a COPY on).
#
# Usage: bench/context_hash.sh [BUILD_DIR] [SIZE_MB] [FILES] [CONTEXT_DIR]
#   BUILD_DIR defaults to build-context (target context_tests), SIZE_MB to 1024
#   spread over FILES (default 4000) files of random data, made in a temporary
#   directory unless CONTEXT_DIR names an existing context to measure instead.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build-context}"
size_mb="${2:-1024}"
nfiles="${3:-4000}"
context="${4:-}"
command -v hyperfine >/dev/null || { echo "context_hash.sh: hyperfine not installed" >&2; exit 1; }
tests="$build/context_tests"
[[ -x "$tests" ]] || { echo "context_hash.sh: $tests missing; build target context_tests" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [[ -z "$context" ]]; then
  context="$tmp/context"
  per_file_kb=$(( size_mb * 1024 / nfiles ))
  echo "making $nfiles files of ${per_file_kb} KB in $context ..."
  for ((i = 0; i < nfiles; i++)); do
    d="$context/dir$((i % 50))"
    mkdir -p "$d"
    head -c "$((per_file_kb * 1024))" /dev/urandom > "$d/file$i.bin"
  done
fi
echo "context: $context  $(du -sh "$context" | cut -f1)  $(find "$context" -type f | wc -l) files  cores: $(nproc)"

run="DISTILL_BENCH_CONTEXT='$context' DISTILL_BENCH_STAT_CACHE='$tmp/stat-cache' \
  '$tests' --gtest_also_run_disabled_tests --gtest_filter='ContextHashBench.*' >/dev/null 2>&1"
# One pass fills the cache and shows what a pass reports.
DISTILL_BENCH_CONTEXT="$context" DISTILL_BENCH_STAT_CACHE="$tmp/stat-cache" \
  "$tests" --gtest_also_run_disabled_tests --gtest_filter='ContextHashBench.*' 2>&1 | grep files_read
# One --prepare per command (a single one would apply to all of them).
hyperfine --warmup 1 --runs 5 \
  --prepare "rm -f '$tmp/stat-cache'" --prepare true --prepare true \
  -n cold "$run" \
  -n warm "$run" \
  -n sha256sum "find '$context' -type f -print0 | xargs -0 sha256sum >/dev/null"

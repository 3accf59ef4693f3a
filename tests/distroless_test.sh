#!/usr/bin/env bash
# distill distroless: list, argument errors, and (when the host's Debian
# mirror answers) a static build twice into a fresh store, checking that the
# digest is the same both times and that the image is tagged like Google's.
set -euo pipefail
DISTILL=${DISTILL:-distill}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DISTILL_ROOT="$work/store"
fail() { echo "FAIL: $*" >&2; exit 1; }

# list: every flavour × release (python3-debian11 is Python 3.9).
out=$("$DISTILL" distroless list)
echo "$out" | grep -Eq '^static +yes +yes +yes' || fail "list: static row: $out"
echo "$out" | grep -Eq '^python3 +yes +yes +yes' || fail "list: python3 row: $out"

# Errors name what is wrong and exit non-zero.
if err=$("$DISTILL" distroless build java17 2>&1); then fail "unknown flavour accepted"; fi
echo "$err" | grep -q 'unknown distroless flavour "java17"' || fail "flavour error: $err"
if err=$("$DISTILL" distroless build python3 --debian 10 2>&1); then fail "Debian 10 accepted"; fi
echo "$err" | grep -q 'not Debian 10' || fail "Debian 10 error: $err"
if err=$("$DISTILL" distroless build static --variant root 2>&1); then fail "bad variant accepted"; fi
echo "$err" | grep -q 'unknown distroless variant' || fail "variant error: $err"

# A real build needs the mirror.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-}
if ! first=$("$DISTILL" distroless build static --debian 12 2>"$work/err1"); then
  if grep -qiE 'unavailable|could not resolve|connect|timed out' "$work/err1"; then
    echo "skipped: mirror unreachable: $(tail -1 "$work/err1")"
    exit 0
  fi
  cat "$work/err1" >&2
  fail "static build failed"
fi
grep -q '^fetching Release ' "$work/err1" || fail "no progress lines: $(cat "$work/err1")"
grep -q '^downloading .* .debs (cached ' "$work/err1" || fail "no download line"
echo "$first" | grep -q 'gcr.io/distroless/static-debian12:latest' || fail "tag: $first"
second=$("$DISTILL" distroless build static --debian 12 2>"$work/err2")
grep -q 'cached ' "$work/err2" || fail "second build did not report the cache"
[ "$(echo "$first" | cut -d' ' -f1)" = "$(echo "$second" | cut -d' ' -f1)" ] ||
  fail "not reproducible: $first vs $second"
echo "$first" | cut -d' ' -f1 | grep -Eq '^sha256:[0-9a-f]{64}$' || fail "digest: $first"
echo "ok: $first"

# Helpers for the end-to-end tests (bash). Each test script sources this file,
# calls `check`/`expect_*`, and ends with `finish`, which prints a summary and
# exits non-zero if anything failed.
set -u
: "${DISTILL:?DISTILL must point at the distill binary}"
: "${DISTILL_SOURCE_DIR:?}"
PASSED=0
FAILED=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

pass() { PASSED=$((PASSED + 1)); }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*" >&2; }

# run CMD...: runs a command, capturing stdout/stderr/status in OUT/ERR/RC.
run() {
  "$@" >"$TMP/out" 2>"$TMP/err"
  RC=$?
  OUT=$(cat "$TMP/out")
  ERR=$(cat "$TMP/err")
}

expect_rc() {  # expect_rc WANT DESCRIPTION
  if [ "$RC" -eq "$1" ]; then pass; else fail "$2: exit $RC, want $1 (stderr: $ERR)"; fi
}
expect_out() {  # expect_out SUBSTRING DESCRIPTION
  if [[ "$OUT" == *"$1"* ]]; then pass; else fail "$2: stdout lacks \"$1\": $OUT"; fi
}
expect_err() {  # expect_err SUBSTRING DESCRIPTION
  if [[ "$ERR" == *"$1"* ]]; then pass; else fail "$2: stderr lacks \"$1\": $ERR"; fi
}
finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}

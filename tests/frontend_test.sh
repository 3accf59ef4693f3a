#!/usr/bin/env bash
# The frontend through the binary: `debug parse` reproduces the reference dumps,
# `build --dry-run` plans the examples, and bad Dockerfiles fail with file:line.
source "$(dirname "$0")/lib.sh"
: "${DISTILL_SHARED_DIR:?}"
EX="$DISTILL_SOURCE_DIR/examples"

for dir in "$DISTILL_SHARED_DIR"/conformance/dockerfile-parser/*/; do
  name=$(basename "$dir")
  if "$DISTILL" debug parse "$dir/Dockerfile" | cmp -s - "$dir/result"; then
    pass
  else
    fail "debug parse $name differs from the reference result"
  fi
done
for dir in "$DISTILL_SHARED_DIR"/conformance/dockerfile-parser-negative/*/; do
  run "$DISTILL" debug parse "$dir/Dockerfile"
  expect_rc 1 "negative case $(basename "$dir") is rejected"
  expect_err "Dockerfile" "negative case $(basename "$dir") names the file"
done

# From stdin.
run bash -c "printf 'FROM scratch\nCOPY a b\n' | '$DISTILL' debug parse -"
expect_rc 0 "debug parse -"
expect_out '(copy "a" "b")' "stdin dump"

# Plans of the examples.
run "$DISTILL" build --dry-run -f "$EX/calculator/Dockerfile.multistage" "$EX/calculator"
expect_rc 0 "dry-run multi-stage calculator"
expect_out 'FROM gcr.io/distroless/python3-debian12:nonroot' "ARG expanded in FROM"
expect_out 'COPY --from=build' "COPY --from shown"

run "$DISTILL" build --dry-run --target build -f "$EX/calculator/Dockerfile.multistage" "$EX/calculator"
expect_rc 0 "dry-run --target build"
expect_out 'Skipped stages:' "the runtime stage is reported as skipped"
expect_out 'stage 1 "runtime"' "the skipped stage is named"

run "$DISTILL" build --dry-run --format json --build-arg VERSION=1.0.0 "$EX/go-server"
expect_rc 0 "dry-run json"
if python3 -c 'import json,sys; p=json.load(sys.stdin); assert p["stages"][1]["base"]["image"].startswith("gcr.io/distroless/static-debian12")' <<<"$OUT"; then
  pass
else
  fail "dry-run json is not the expected plan: $OUT"
fi

run "$DISTILL" build --dry-run --build-arg DEBIAN_RELEASE=11 --build-arg UNUSED=1 "$EX/go-server"
expect_rc 0 "dry-run with an unused build arg"
expect_out 'static-debian11' "build arg overrides the global ARG default"
if [[ "$OUT$ERR" == *"build-args [UNUSED] were not consumed"* ]]; then pass; else fail "unused build args are reported"; fi

# Errors name the file and line.
mkdir -p "$TMP/bad"
printf 'FROM scratch AS a\nCOPY --from=missing-stage /x /y\nFROM scratch AS a\n' >"$TMP/bad/Dockerfile"
run "$DISTILL" build --dry-run "$TMP/bad"
expect_rc 1 "duplicate stage names fail"
expect_err 'Dockerfile:3' "the error names the line"

printf 'FROM scratch\n' >"$TMP/bad/Dockerfile"
run "$DISTILL" build --dry-run --target nope "$TMP/bad"
expect_rc 1 "unknown --target fails"
expect_err 'nope' "the error names the target"

printf 'FROM scratch\nRUN --mount=type=bogus true\n' >"$TMP/bad/Dockerfile"
run "$DISTILL" build --dry-run "$TMP/bad"
expect_rc 1 "bad mount type fails"
expect_err 'Dockerfile:2' "mount error names the line"

run "$DISTILL" build --dry-run "$TMP/does-not-exist"
expect_rc 1 "missing context fails"

finish

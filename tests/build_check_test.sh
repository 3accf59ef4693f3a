#!/usr/bin/env bash
# `distill build --check` and the checks every build runs, with Docker's
# semantics: --check lints without building and fails on any warning; a build
# prints its warnings after it is done, stops before any step under
# `# check=error=true` (or on an error-level finding), and `# check=skip=all`
# silences it all. BUILDKIT_DOCKERFILE_CHECK replaces the directive.
source "$(dirname "$0")/lib.sh"

export DISTILL_ROOT="$TMP/store"
mkdir -p "$TMP/base"
echo "base" >"$TMP/base/README"
tar -C "$TMP/base" -cf "$TMP/base.tar" .
run "$DISTILL" import "$TMP/base.tar" checkbase:1
expect_rc 0 "import a base"

CTX="$TMP/ctx"
mkdir -p "$CTX"
echo hello >"$CTX/hello"
dockerfile() {  # dockerfile LINE...: the context's Dockerfile
  printf '%s\n' "$@" >"$CTX/Dockerfile"
}
no_image() {  # no_image TAG WHY
  if "$DISTILL" inspect "$1" >/dev/null 2>&1; then fail "$2: $1 was built"; else pass; fi
}

# One warning: MAINTAINER.
dockerfile 'FROM checkbase:1' 'MAINTAINER me' 'COPY hello /hello' 'USER 1000'
run "$DISTILL" build --check -t checked:1 "$CTX"
expect_rc 1 "--check fails on a warning"
expect_out "Dockerfile:2: [MaintainerDeprecated] The MAINTAINER instruction is deprecated" \
  "--check prints the finding with file and line"
expect_out "fix: " "--check says how to fix"
no_image checked:1 "--check does not build"

run "$DISTILL" build --check --format json "$CTX"
expect_rc 1 "--check --format json"
if echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[0]["rule"]=="MaintainerDeprecated" and d[0]["line"]==2'; then
  pass
else
  fail "--check --format json is the findings array: $OUT"
fi

run "$DISTILL" build --base-source store -t warned:1 "$CTX"
expect_rc 0 "a warning does not stop a build"
expect_err "1 warning found" "the build sums up its warnings"
expect_err " - MaintainerDeprecated: The MAINTAINER instruction is deprecated (line 2)" \
  "one line per warning, with its line"
if [[ "$OUT" == sha256:* ]]; then pass; else fail "stdout is the image ID: $OUT"; fi
run "$DISTILL" build -q --base-source store -t warned:1 "$CTX"
expect_rc 0 "quiet build"
if [[ "$ERR" == *"warning found"* ]]; then fail "-q prints warnings: $ERR"; else pass; fi

run "$DISTILL" build --base-source store --build-arg BUILDKIT_DOCKERFILE_CHECK=error=true \
  -t strict:1 "$CTX"
expect_rc 1 "BUILDKIT_DOCKERFILE_CHECK=error=true stops the build"
expect_err "lint violation found for rules: MaintainerDeprecated" "the rule is named"
no_image strict:1 "error=true"

run "$DISTILL" build --check --build-arg BUILDKIT_DOCKERFILE_CHECK=skip=MaintainerDeprecated "$CTX"
expect_rc 0 "BUILDKIT_DOCKERFILE_CHECK=skip=RULE"
expect_out "no findings" "the skipped rule is not reported"

# error=true in the file: nothing is built.
dockerfile '# check=error=true' 'FROM checkbase:1' 'MAINTAINER me' 'COPY hello /hello' 'USER 1000'
run "$DISTILL" build --base-source store -t strict:2 "$CTX"
expect_rc 1 "# check=error=true stops the build"
expect_err "1 error found" "the finding is listed before the error"
expect_err " - MaintainerDeprecated (error): " "raised to an error"
expect_err "Dockerfile: lint violation found for rules: MaintainerDeprecated" "the rule is named"
no_image strict:2 "# check=error=true"

# skip=all wins over error=true.
dockerfile '# check=skip=all;error=true' 'FROM checkbase:1' 'MAINTAINER me' 'COPY hello /hello' \
  'USER 1000'
run "$DISTILL" build --base-source store -t skipped:1 "$CTX"
expect_rc 0 "# check=skip=all builds"
if [[ "$ERR" == *"found"* ]]; then fail "skip=all still reports: $ERR"; else pass; fi
run "$DISTILL" build --check "$CTX"
expect_rc 0 "--check with skip=all"

# A typo in the directive must not silently drop error=true.
dockerfile '# check=error=maybe' 'FROM checkbase:1' 'COPY hello /hello' 'USER 1000'
run "$DISTILL" build --base-source store -t typo:1 "$CTX"
expect_rc 1 "a bad # check= directive fails the build"
expect_err "Dockerfile:1: check directive: error=maybe is not true or false" "and says why"

# An error-level finding stops the build before any step runs.
dockerfile 'FROM scratch' 'RUN echo hi' 'USER 1000'
run "$DISTILL" build --base-source store -t noshell:1 "$CTX"
expect_rc 1 "shell-form RUN on scratch"
expect_err "lint violation found for rules: ShellFormWithoutShell" "the error rule is named"

# Info-level advice is shown by --check but fails nothing.
dockerfile 'FROM checkbase:1' 'COPY hello /a' 'RUN ["/hello"]' 'RUN ["/hello"]' 'USER 1000'
run "$DISTILL" build --check "$CTX"
expect_rc 0 "info findings do not fail --check"
expect_out "[DL3059]" "the info finding is shown"

# A clean Dockerfile, and one named with -f outside the context.
dockerfile 'FROM checkbase:1' 'COPY hello /hello' 'USER 1000'
run "$DISTILL" build --check "$CTX"
expect_rc 0 "clean --check"
expect_out "no findings" "clean"
printf 'FROM checkbase:1\nMAINTAINER x\n' >"$TMP/other.Dockerfile"
run "$DISTILL" build --check -f "$TMP/other.Dockerfile" "$CTX"
expect_rc 1 "-f is checked"
expect_out "other.Dockerfile:2: [MaintainerDeprecated]" "findings name the -f file"
run "$DISTILL" build --check "$TMP/no-such-dir"
expect_rc 1 "missing context"
expect_err "no-such-dir" "the context is named"

finish

#!/usr/bin/env bash
# `distill lint` on the bundled examples and on a Dockerfile full of mistakes:
# findings with file:line, why and fix; the exit status follows --fail-on;
# --skip, `# check=` and --format json. Nothing is built, no network.
source "$(dirname "$0")/lib.sh"

EX="$DISTILL_SOURCE_DIR/examples"

run "$DISTILL" lint --help
expect_rc 0 "lint --help"
expect_out "--fail-on" "help names --fail-on"
expect_out "distill lint -f" "help has examples"

# Single stage on python:3.11-slim with no USER: runs as root (a warning, so
# the default --fail-on error passes and --fail-on warning fails).
run "$DISTILL" lint -f "$EX/calculator/Dockerfile"
expect_rc 0 "calculator: warnings only"
expect_out "$EX/calculator/Dockerfile:3: [DL3002]" "calculator runs as root, at its FROM line"
expect_out "  why: " "findings say why"
expect_out "  fix: " "findings say how to fix"
expect_out "1 finding: 0 errors, 1 warning" "summary line"
run "$DISTILL" lint -f "$EX/calculator/Dockerfile" --fail-on warning
expect_rc 1 "calculator with --fail-on warning"
run "$DISTILL" lint -f "$EX/calculator/Dockerfile" --fail-on warning --skip DL3002
expect_rc 0 "--skip DL3002 removes the only finding"
expect_out "no findings" "nothing left after --skip"

# The distroless multi-stage examples: no error-level finding, exit 0.
for df in "$EX/calculator/Dockerfile.multistage" "$EX/django-app/Dockerfile" \
          "$EX/go-server/Dockerfile"; do
  run "$DISTILL" lint -f "$df"
  expect_rc 0 "$df"
  if [[ "$OUT" == *"(error)"* ]]; then fail "$df has an error-level finding: $OUT"; else pass; fi
  run "$DISTILL" lint -f "$df" --format json
  expect_rc 0 "$df as json"
  if python3 -c 'import json,sys; a=json.load(sys.stdin); assert isinstance(a, list); assert all(f["severity"] != "error" for f in a)' <<<"$OUT"; then pass; else fail "$df json: $OUT"; fi
done
run "$DISTILL" lint -f "$EX/calculator/Dockerfile.multistage" --target build
expect_rc 0 "--target build"
expect_out "[UnusedStage]" "the runtime stage is unused when the target is build"
expect_out "[DL3002]" "the build stage runs as root"

# A Dockerfile with many mistakes.
cat >"$TMP/Dockerfile" <<'DOCKERFILE'
FROM ubuntu as Builder
MAINTAINER someone@example.com
ARG GITHUB_TOKEN
RUN apt-get update && apt-get install -y build-essential
RUN pip install requests
FROM gcr.io/distroless/base-debian12:latest
COPY . /app
COPY --from=builder /usr/bin/make /make
CMD /app/server --port 8080
DOCKERFILE
run "$DISTILL" lint -f "$TMP/Dockerfile"
expect_rc 1 "bad Dockerfile fails (an error-level finding)"
expect_out "$TMP/Dockerfile:1: [DL3006]" "untagged FROM"
expect_out "$TMP/Dockerfile:1: [FromAsCasing]" "as casing"
expect_out "$TMP/Dockerfile:1: [StageNameCasing]" "stage name casing"
expect_out "$TMP/Dockerfile:2: [MaintainerDeprecated]" "MAINTAINER"
expect_out "$TMP/Dockerfile:3: [SecretsUsedInArgOrEnv]" "secret in ARG"
expect_out "type=secret" "suggests a secret mount"
expect_out "$TMP/Dockerfile:4: [DL3015]" "no --no-install-recommends"
expect_out "$TMP/Dockerfile:4: [DL3009]" "apt lists left"
expect_out "$TMP/Dockerfile:5: [DL3042]" "pip cache"
expect_out "$TMP/Dockerfile:6: [DL3007]" "latest"
expect_out "$TMP/Dockerfile:6: [DL3002]" "no USER in the final stage"
expect_out "$TMP/Dockerfile:7: [CopyContextIntoFinalStage]" "COPY . into the final stage"
expect_out "$TMP/Dockerfile:9: [ShellFormWithoutShell]" "shell form on distroless"
expect_out "(error)" "error severity shown"

run "$DISTILL" lint -f "$TMP/Dockerfile" --format json
expect_rc 1 "bad Dockerfile as json"
if python3 -c '
import json, sys
a = json.load(sys.stdin)
assert isinstance(a, list) and len(a) >= 12, len(a)
for f in a:
    assert set(f) == {"rule", "severity", "file", "line", "message", "why", "fix"}, f
assert any(f["rule"] == "ShellFormWithoutShell" and f["severity"] == "error" and f["line"] == 9 for f in a)
' <<<"$OUT"; then pass; else fail "json shape: $OUT"; fi

run "$DISTILL" lint -f "$TMP/Dockerfile" --fail-on none
expect_rc 0 "--fail-on none never fails"

run "$DISTILL" lint -f "$TMP/Dockerfile" --skip ShellFormWithoutShell
expect_rc 0 "only warnings left after --skip"

# `# check=` directives in the file.
{ echo "# check=skip=all"; cat "$TMP/Dockerfile"; } >"$TMP/Dockerfile.skipall"
run "$DISTILL" lint -f "$TMP/Dockerfile.skipall"
expect_rc 0 "check=skip=all"
expect_out "no findings" "check=skip=all silences everything"
printf '# check=error=true\nFROM debian:12\nUSER 1\nCMD echo hi\n' >"$TMP/Dockerfile.strict"
run "$DISTILL" lint -f "$TMP/Dockerfile.strict"
expect_rc 1 "check=error=true makes warnings fail"
expect_out "[JSONArgsRecommended]" "the warning is reported"

# Usage and input errors.
run "$DISTILL" lint -f "$TMP/missing"
expect_rc 1 "missing file"
expect_err "$TMP/missing" "names the file"
printf 'FROM debian:12\nCOPY --nope=1 a b\n' >"$TMP/Dockerfile.broken"
run "$DISTILL" lint -f "$TMP/Dockerfile.broken"
expect_rc 1 "unparsable instruction"
expect_err "Dockerfile.broken:2" "names file and line"
run "$DISTILL" lint -f "$TMP/Dockerfile" --fail-on sometimes
expect_rc 2 "bad --fail-on"
run "$DISTILL" lint -f "$TMP/Dockerfile" --target nope
expect_rc 1 "unknown target"
expect_err "nope" "names the target"
run "$DISTILL" lint -f - <<<'FROM alpine:3.19'
expect_rc 0 "standard input"
expect_out "-:1: [DL3002]" "standard input is named -"

finish

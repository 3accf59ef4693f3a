#!/usr/bin/env bash
# `distill bootstrap` on the command line: which names it accepts, and the
# errors for the ones it cannot make (exit 1, one clear line naming the image,
# listing what exists). No network here: every case fails before the mirror
# is asked. The one full bootstrap (debian:bookworm-slim, then apt-get install
# hello in the sandbox) is BootstrapIntegrationTest in bootstrap_tests.
source "$(dirname "$0")/lib.sh"

export DISTILL_ROOT="$TMP/store"

run "$DISTILL" bootstrap --help
expect_rc 0 "bootstrap --help"
expect_out "IMAGE" "help names the IMAGE argument"
expect_out "--mirror" "help names --mirror"

run "$DISTILL" bootstrap
expect_rc 2 "bootstrap without an image is a usage error"

run "$DISTILL" bootstrap python:3.8
expect_rc 1 "python:3.8"
expect_err "python:3.8 is not provided by any Debian release distill knows; available: 3.9 (bullseye), 3.11 (bookworm), 3.13 (trixie)" "python listing"

run "$DISTILL" bootstrap golang:1.21
expect_rc 1 "golang:1.21"
expect_err "available: 1.15 (bullseye), 1.19 (bookworm), 1.24 (trixie)" "golang listing"

run "$DISTILL" bootstrap debian:buster-slim
expect_rc 1 "debian:buster-slim"
expect_err "debian:buster-slim" "error names the image"
expect_err "bookworm (12)" "error lists the known releases"

run "$DISTILL" bootstrap python:3.11-bullseye
expect_rc 1 "a release that ships another python"
expect_err "ships python 3.9" "says what the release ships"

run "$DISTILL" bootstrap alpine:3.19
expect_rc 1 "not a Debian image"
expect_err "debian, python and golang" "says what it can make"

run "$DISTILL" bootstrap debian
expect_rc 1 "no tag"
expect_err "debian:bookworm-slim" "suggests a tag"

host_arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
other_arch=arm64
[ "$host_arch" = arm64 ] && other_arch=amd64
run "$DISTILL" bootstrap debian:12-slim --arch "$other_arch"
expect_rc 1 "a foreign architecture"
expect_err "cannot bootstrap $other_arch" "names the architecture"

# Nothing was tagged by the failures.
run "$DISTILL" images
expect_rc 0 "images"
if [[ "$OUT" == *debian* || "$OUT" == *python* ]]; then fail "a failed bootstrap left a tag: $OUT"; else pass; fi

finish

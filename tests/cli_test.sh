#!/usr/bin/env bash
# The command line's contract: version, help on every verb, usage errors exit 2.
source "$(dirname "$0")/lib.sh"

run "$DISTILL" --version
expect_rc 0 "--version"
expect_out "distill 0." "--version prints the version"

run "$DISTILL" version
expect_rc 0 "version verb"

run "$DISTILL" help
expect_rc 0 "help"
expect_out "Usage: distill" "help shows usage"

# Every verb has --help with an example.
for verb in $("$DISTILL" help | awk '/^Subcommands:/{on=1; next} on && NF {print $1}'); do
  run "$DISTILL" "$verb" --help
  expect_rc 0 "$verb --help"
  expect_out "Usage: distill $verb" "$verb --help usage line"
  if [ "$verb" != version ]; then expect_out "Example" "$verb --help has an example"; fi
done

run "$DISTILL" --no-such-flag
expect_rc 2 "unknown global flag"
expect_err "no-such-flag" "unknown flag is named"
expect_err "Usage: distill" "usage is shown"

run "$DISTILL" build --no-such-flag .
expect_rc 2 "unknown build flag"
expect_err "Usage: distill build" "build usage is shown"

run "$DISTILL" no-such-verb
expect_rc 2 "unknown verb"

run "$DISTILL" help no-such-verb
expect_rc 2 "help of an unknown verb"

finish

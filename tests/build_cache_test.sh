#!/usr/bin/env bash
# `distill build` end to end over a busybox base made with `distill import`:
# multi-stage builds, a fully cached rebuild (no RUN executes: proven by a
# counter file the RUN steps append to through a cache mount), a context edit
# that re-runs exactly the COPY of that file and the steps after it, a cache
# mount that survives between builds, a failing step's message, --target, and
# no mount left behind. Needs root (overlay mounts, namespaces).
source "$(dirname "$0")/lib.sh"

export DISTILL_ROOT="$TMP/store"
unset SOURCE_DATE_EPOCH

# A busybox rootfs: the static binary, its applets as symlinks, root and a user 1000.
make_busybox_base() {
  local r="$TMP/bbroot"
  mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/root" "$r/home/app"
  cp /bin/busybox "$r/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$r/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' >"$r/etc/passwd"
  printf 'root:x:0:\napp:x:1000:\n' >"$r/etc/group"
  chown 1000:1000 "$r/home/app"
  chmod 1777 "$r/tmp"
  tar -C "$r" -cf "$TMP/busybox.tar" .
  run "$DISTILL" import "$TMP/busybox.tar" busybox:test
  expect_rc 0 "import the busybox base"
}
no_leftover_mounts() {
  if grep -q "$DISTILL_ROOT" /proc/self/mountinfo; then
    fail "$1: mounts left under the store: $(grep "$DISTILL_ROOT" /proc/self/mountinfo)"
  else
    pass
  fi
}
make_busybox_base

CTX="$TMP/ctx"
mkdir -p "$CTX/src"
echo "one" >"$CTX/src/a.txt"
echo "two" >"$CTX/src/b.txt"
cat >"$CTX/Dockerfile" <<'DF'
FROM busybox:test AS build
RUN --mount=type=cache,target=/counter sh -c 'echo build >> /counter/runs'
COPY src/a.txt /work/a.txt
RUN --mount=type=cache,target=/counter sh -c 'echo after-a >> /counter/runs' && cat /work/a.txt > /work/out.txt
COPY src/b.txt /work/b.txt
RUN --mount=type=cache,target=/counter sh -c 'echo after-b >> /counter/runs' && cat /work/b.txt >> /work/out.txt

FROM busybox:test AS unused
RUN --mount=type=cache,target=/counter sh -c 'echo unused >> /counter/runs'

FROM busybox:test
COPY --from=build /work/out.txt /out.txt
RUN --mount=type=cache,target=/counter sh -c 'echo final >> /counter/runs' && cat /out.txt
DF
# The cache mount's host directory (ROOT/cache/mounts/<sha256 of the target>).
COUNTER="$DISTILL_ROOT/cache/mounts/$(printf %s /counter | sha256sum | cut -d' ' -f1)/runs"

run "$DISTILL" build --progress plain -t app:1 "$CTX"
expect_rc 0 "first build"
expect_out "sha256:" "prints the image ID"
expect_err "one" "RUN output is streamed"
if [ "$(sort "$COUNTER" | tr '\n' ' ')" = "after-a after-b build final " ]; then pass; else
  fail "first build runs each needed RUN once, not the unused stage: $(cat "$COUNTER" 2>&1)"; fi
no_leftover_mounts "first build"

run "$DISTILL" build --progress plain -t app:1 "$CTX"
expect_rc 0 "second build"
IMAGE2=$(echo "$OUT" | tail -1)
if [ "$(wc -l <"$COUNTER")" -eq 4 ]; then pass; else fail "second build ran RUN steps: $(cat "$COUNTER")"; fi
expect_err "CACHED" "progress shows cached steps"
run "$DISTILL" images
if [[ "$OUT" == *"${IMAGE2:7:12}"* ]]; then pass; else fail "the built image is listed: $OUT"; fi

echo "TWO" >"$CTX/src/b.txt"
run "$DISTILL" build --progress plain -t app:2 "$CTX"
expect_rc 0 "build after editing b.txt"
if [ "$(tail -n +5 "$COUNTER" | tr '\n' ' ')" = "after-b final " ]; then pass; else
  fail "editing b.txt re-runs exactly the steps after its COPY: $(cat "$COUNTER")"; fi
expect_err "TWO" "the new content reaches the final stage"

# The cache mount's content is not in the image: export the rootfs and look.
run "$DISTILL" build -q --output "type=local,dest=$TMP/rootfs-out" "$CTX"
expect_rc 0 "build with --output type=local"
if [ -f "$TMP/rootfs-out/out.txt" ] && [ ! -e "$TMP/rootfs-out/counter/runs" ]; then pass; else
  fail "local output has out.txt and no cache mount content"; fi
if [ "$(cat "$TMP/rootfs-out/out.txt")" = "$(printf 'one\nTWO')" ]; then pass; else
  fail "out.txt content: $(cat "$TMP/rootfs-out/out.txt")"; fi

# --no-cache-filter re-runs only the named stage's steps (and what follows from them).
run "$DISTILL" build --progress plain --no-cache-filter build -t app:2 "$CTX"
expect_rc 0 "--no-cache-filter build"
if [ "$(tail -n +7 "$COUNTER" | sort | tr '\n' ' ')" = "after-a after-b build " ]; then pass; else
  fail "--no-cache-filter build re-runs the build stage only: $(cat "$COUNTER")"; fi

# --target skips the stages the target does not need.
cat >"$CTX/Dockerfile.target" <<'DF'
FROM busybox:test AS first
RUN echo first-stage-ran
FROM busybox:test AS second
RUN echo second-stage-ran
DF
run "$DISTILL" build --progress plain -f "$CTX/Dockerfile.target" --target first "$CTX"
expect_rc 0 "--target first"
expect_err "first-stage-ran" "target stage runs"
if [[ "$ERR" != *"second-stage-ran"* ]]; then pass; else fail "--target ran a later stage"; fi

# A failing step: its location and exit code, exit status 1, no mounts left.
cat >"$CTX/Dockerfile.fail" <<'DF'
FROM busybox:test
RUN echo fine
RUN echo about-to-fail && exit 3
DF
run "$DISTILL" build --progress plain -f "$CTX/Dockerfile.fail" "$CTX"
expect_rc 1 "failing build"
expect_err "Dockerfile.fail:3: RUN echo about-to-fail && exit 3: exit code 3" "failure names line and code"
expect_err "about-to-fail" "failure shows the step's output"
no_leftover_mounts "failed build"

# A missing base image says how to make one (with --base-source store, a build
# does not make Debian-based images itself).
printf 'FROM debian:bookworm-slim\nRUN true\n' >"$CTX/Dockerfile.nobase"
run "$DISTILL" build --base-source store -f "$CTX/Dockerfile.nobase" "$CTX"
expect_rc 1 "missing base"
expect_err "FROM debian:bookworm-slim: image not found in the store" "missing base is explained"
# A name nobody can make fails the same way under the default policy.
printf 'FROM example.invalid/nothing:1\nRUN true\n' >"$CTX/Dockerfile.nobase"
run "$DISTILL" build -f "$CTX/Dockerfile.nobase" "$CTX"
expect_rc 1 "unknown base"
expect_err "image not found in the store" "unknown base is explained"

# The Dockerfile from stdin, the context as a tar on stdin.
run bash -c "printf 'FROM busybox:test\nRUN echo from-stdin\n' | '$DISTILL' build --progress plain -f - '$CTX'"
expect_rc 0 "-f - reads the Dockerfile from stdin"
expect_err "from-stdin" "stdin Dockerfile ran"
tar -C "$CTX" -cf "$TMP/ctx.tar" .
run bash -c "'$DISTILL' build -q -t fromtar - < '$TMP/ctx.tar'"
expect_rc 0 "context - reads a tar from stdin"
expect_out "sha256:" "tar context build prints the ID"

# prune keeps cached layers; prune --all drops the build cache.
run "$DISTILL" prune -f
expect_rc 0 "prune"
run "$DISTILL" build --progress plain -t app:2 "$CTX"
expect_rc 0 "build after prune"
if [ "$(wc -l <"$COUNTER")" -eq 9 ]; then pass; else fail "prune dropped cached layers: $(cat "$COUNTER")"; fi
run "$DISTILL" prune -f --all
expect_rc 0 "prune --all"
run "$DISTILL" build --progress plain -t app:2 "$CTX"
expect_rc 0 "build after prune --all"
if [ "$(wc -l <"$COUNTER")" -eq 13 ]; then pass; else
  fail "prune --all must drop the build cache: $(cat "$COUNTER")"; fi

# COPY --from is keyed on the files it selects, as in BuildKit: an edit that
# re-runs the source stage but leaves the copied file alone keeps the steps
# after the COPY cached; one that changes the copied file re-runs them.
echo "v1" >"$CTX/src/notes.txt"
cat >"$CTX/Dockerfile.copyfrom" <<'DF'
FROM busybox:test AS build
COPY src/notes.txt /work/notes.txt
RUN --mount=type=cache,target=/counter sh -c 'echo cf-build >> /counter/runs' && head -c 2 /work/notes.txt > /work/out2.txt
FROM busybox:test
COPY --from=build /work/out2.txt /out2.txt
RUN --mount=type=cache,target=/counter sh -c 'echo cf-final >> /counter/runs'
DF
count() { grep -c "^$1\$" "$COUNTER" || true; }
run "$DISTILL" build -q -f "$CTX/Dockerfile.copyfrom" "$CTX"
expect_rc 0 "copy-from build"
echo "v1 with a longer tail" >"$CTX/src/notes.txt"
run "$DISTILL" build -q -f "$CTX/Dockerfile.copyfrom" "$CTX"
expect_rc 0 "copy-from build after an edit that leaves out2.txt alone"
if [ "$(count cf-build) $(count cf-final)" = "2 1" ]; then pass; else
  fail "the source stage re-runs, the steps after COPY --from stay cached: $(count cf-build) $(count cf-final)"; fi
echo "v2" >"$CTX/src/notes.txt"
run "$DISTILL" build -q -f "$CTX/Dockerfile.copyfrom" "$CTX"
expect_rc 0 "copy-from build after an edit that changes out2.txt"
if [ "$(count cf-build) $(count cf-final)" = "3 2" ]; then pass; else
  fail "a changed copied file re-runs the steps after COPY --from: $(count cf-build) $(count cf-final)"; fi
no_leftover_mounts "end"
finish

#!/usr/bin/env bash
# Ctrl-C during `distill build`: the running RUN is killed, the build exits 1
# saying it was cancelled, promptly, and leaves no mount behind. Then a COPY
# --from an image reference (resolved through the store). Needs root.
source "$(dirname "$0")/lib.sh"

export DISTILL_ROOT="$TMP/store"
unset SOURCE_DATE_EPOCH
r="$TMP/bbroot"
mkdir -p "$r/bin" "$r/etc" "$r/tmp"
cp /bin/busybox "$r/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$r/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$r/etc/passwd"
tar -C "$r" -cf "$TMP/busybox.tar" .
run "$DISTILL" import "$TMP/busybox.tar" busybox:test
expect_rc 0 "import the busybox base"

CTX="$TMP/ctx"
mkdir -p "$CTX"
printf 'FROM busybox:test\nRUN echo step-started && sleep 120\n' >"$CTX/Dockerfile"
"$DISTILL" build --progress plain "$CTX" >"$TMP/out" 2>"$TMP/err" &
pid=$!
# Wait (at most ~20s) for the step to start, then interrupt the build.
for _ in $(seq 200); do
  grep -q step-started "$TMP/err" && break
  sleep 0.1
done
start=$(date +%s)
kill -INT "$pid"
wait "$pid"
RC=$?
ERR=$(cat "$TMP/err")
expect_rc 1 "interrupted build"
expect_err "cancelled" "the build says it was cancelled"
if [ $(($(date +%s) - start)) -lt 15 ]; then pass; else fail "cancellation took too long"; fi
if grep -q "$DISTILL_ROOT" /proc/self/mountinfo; then fail "mounts left after Ctrl-C"; else pass; fi

# COPY --from an image in the store.
printf 'FROM scratch\nCOPY --from=busybox:test /etc/passwd /passwd\n' >"$CTX/Dockerfile.copy"
run "$DISTILL" build -q --output "type=local,dest=$TMP/copy-out" -f "$CTX/Dockerfile.copy" "$CTX"
expect_rc 0 "COPY --from an image"
if grep -q '^root:' "$TMP/copy-out/passwd" 2>/dev/null; then pass; else fail "copied file from the image"; fi
finish

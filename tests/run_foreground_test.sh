#!/usr/bin/env bash
# `distill run` in the foreground: exit codes, ENTRYPOINT/CMD rules, -e/-w/-u,
# isolation (pid namespace, no mount), -v binds (:ro), --read-only, --rm
# leaving nothing behind, signal forwarding and --init, and error messages.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/run_lib.sh"

run "$DISTILL" run --rm bb sh -c 'exit 3'
expect_rc 3 "exit code of the command"
run "$DISTILL" run --rm bb echo replaced
expect_rc 0 "args replace CMD"
[ "$OUT" = "replaced" ] && pass || fail "args replace CMD: $OUT"
run "$DISTILL" run --rm bb
expect_rc 0 "CMD sh with no stdin exits 0"
run "$DISTILL" run --rm --entrypoint /bin/echo bb hello world
[ "$OUT" = "hello world" ] && pass || fail "--entrypoint with args: $OUT"
run "$DISTILL" run --rm --entrypoint "" bb
expect_rc 125 "nothing to run"
expect_err "has no ENTRYPOINT or CMD" "nothing to run is explained"

echo "FROM_FILE=1" >"$TMP/env"
run "$DISTILL" run --rm -e A=b -e "SPACED=x y" --env-file "$TMP/env" -w /tmp/work -u 65534 bb \
  sh -c 'echo "$A|$SPACED|$FROM_FILE|$(pwd)|$(id -u)|$HOME|$HOSTNAME"'
expect_rc 0 "-e -w -u"
[[ "$OUT" == "b|x y|1|/tmp/work|65534|/nonexistent|"* ]] && pass || fail "-e/-w/-u seen: $OUT"
run "$DISTILL" run --rm -u nobody:root bb id
expect_out "uid=65534(nobody) gid=0(root)" "-u name:group"
run "$DISTILL" run --rm -u ghost bb id
[ "$RC" -ge 125 ] && pass || fail "unknown user: exit $RC"
expect_err "ghost" "unknown user named"

run "$DISTILL" run --rm bb sh -c 'echo $$; ls /proc | grep -c "^[0-9]"'
first=$(echo "$OUT" | head -1)
count=$(echo "$OUT" | tail -1)
[ "$first" = 1 ] && [ "$count" -le 4 ] && pass || fail "pid namespace: $OUT"
run "$DISTILL" run --rm bb sh -c 'mount -t tmpfs x /mnt'
[ "$RC" -ne 0 ] && pass || fail "mount inside the container succeeded"

mkdir -p "$TMP/vol"
echo from-host >"$TMP/vol/f"
run "$DISTILL" run --rm -v "$TMP/vol:/data" bb sh -c 'cat /data/f; echo c >/data/g'
expect_rc 0 "bind rw"
[ "$OUT" = "from-host" ] && [ -f "$TMP/vol/g" ] && pass || fail "bind rw: $OUT"
run "$DISTILL" run --rm -v "$TMP/vol:/data:ro" bb sh -c 'echo x >/data/h'
[ "$RC" -ne 0 ] && [ ! -e "$TMP/vol/h" ] && pass || fail ":ro bind was writable"
run "$DISTILL" run --rm --read-only bb sh -c 'touch /newfile'
[ "$RC" -ne 0 ] && pass || fail "--read-only root was writable"
run "$DISTILL" run --rm -v "relative:/x" bb true
expect_rc 125 "relative volume"
expect_err "must be absolute" "relative volume explained"

# --rm leaves no state and no mounts; without it, ps -a shows the container.
before=$(ls "$DISTILL_ROOT/containers" | grep -c . || true)
run "$DISTILL" run --rm bb true
after=$(ls "$DISTILL_ROOT/containers" | grep -c . || true)
[ "$before" = "$after" ] && pass || fail "--rm left a container directory"
no_mounts "--rm"
run "$DISTILL" run --name kept bb sh -c 'echo out; exit 4'
expect_rc 4 "kept container"
run "$DISTILL" ps -a
expect_out "Exited (4)" "ps -a shows the exited container"
expect_out "kept" "ps -a shows its name"
run "$DISTILL" logs kept
[ "$OUT" = "out" ] && pass || fail "logs of a foreground run: $OUT"
run "$DISTILL" run --name kept bb true
expect_rc 125 "duplicate name"
expect_err "already in use" "duplicate name explained"
run "$DISTILL" rm kept
expect_rc 0 "rm exited container"
no_mounts "after foreground runs"

# Signals: SIGTERM to distill reaches the container. Without --init a trap-less
# pid 1 ignores it (as in Docker), so use a shell that traps it, and --init.
"$DISTILL" run --rm bb sh -c 'trap "exit 143" TERM; sleep 60 & wait' >/dev/null 2>&1 &
pid=$!
sleep 0.5
start=$(date +%s)
kill -TERM $pid
wait $pid
rc=$?
[ "$rc" = 143 ] && [ $(($(date +%s) - start)) -lt 5 ] && pass || fail "SIGTERM forwarded: rc $rc"
"$DISTILL" run --rm --init bb sleep 60 >/dev/null 2>&1 &
pid=$!
sleep 0.5
start=$(date +%s)
kill -TERM $pid
wait $pid
rc=$?
[ "$rc" = 143 ] && [ $(($(date +%s) - start)) -lt 5 ] && pass || fail "--init forwards SIGTERM: rc $rc"
run "$DISTILL" run --rm --init bb sh -c 'echo $$; (sleep 0.1 &) ; sleep 0.3; ps -o stat | grep -c Z'
[ "$(echo "$OUT" | head -1)" != 1 ] && [ "$(echo "$OUT" | tail -1)" = 0 ] && pass ||
  fail "--init: program is not pid 1 and zombies are reaped: $OUT"
no_mounts "after signals"

# Errors.
run "$DISTILL" run --rm no-such-image true
expect_rc 125 "missing image"
expect_err "no-such-image" "missing image named"
run "$DISTILL" run --rm bb /no/such/program
expect_rc 127 "missing program"
run "$DISTILL" run --rm -p 99999:80 bb true
expect_rc 125 "bad port"
expect_err "99999" "bad port named"
# A shell-form command in an image without /bin/sh.
mkdir -p "$TMP/noshell/bin"
cp /bin/busybox "$TMP/noshell/bin/busybox"
tar -C "$TMP/noshell" -cf "$TMP/noshell.tar" .
"$DISTILL" import "$TMP/noshell.tar" noshell -c 'CMD /bin/busybox true' >/dev/null
run "$DISTILL" run --rm noshell
expect_rc 127 "shell form without a shell"
expect_err "has no shell" "no shell explained"
expect_err "exec form" "exec form suggested"
run "$DISTILL" run --rm noshell /bin/busybox echo exec-form-ok
[ "$OUT" = "exec-form-ok" ] && pass || fail "exec form in a shell-less image: $OUT $ERR"
no_mounts "at the end"

finish

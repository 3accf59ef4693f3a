#!/usr/bin/env bash
# `distill run -d` and the lifecycle verbs: ps, logs, stop (grace period and
# SIGKILL), rm (refusal, -f), exec, port publishing through the userspace
# proxy (TCP and UDP), -P, --network host, and crash consistency (kill -9 of
# the monitor).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/run_lib.sh"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run "$DISTILL" run -d --name sleeper bb sh -c 'echo started; echo err >&2; trap "echo bye; exit 0" TERM; sleep 60 & wait'
expect_rc 0 "run -d"
ID="$OUT"
[[ "$ID" =~ ^[0-9a-f]{64}$ ]] && pass || fail "run -d prints a 64-hex ID: $ID"
run "$DISTILL" ps
expect_out "${ID:0:12}" "ps shows the short ID"
expect_out "Up " "ps shows Up"
expect_out "sleeper" "ps shows the name"
expect_out "CONTAINER ID" "ps header"
run "$DISTILL" ps -q
[ "$OUT" = "${ID:0:12}" ] && pass || fail "ps -q: $OUT"
wait_for sh -c "\"$DISTILL\" logs sleeper | grep -q started"
run "$DISTILL" logs sleeper
[ "$OUT" = "started" ] && [ "$ERR" = "err" ] && pass || fail "logs by stream: $OUT / $ERR"
grep -q '"stream":"stderr"' "$DISTILL_ROOT/containers/$ID/container.log" && pass ||
  fail "json-file log format"
run "$DISTILL" logs --tail 0 sleeper
[ -z "$OUT" ] && pass || fail "logs --tail 0: $OUT"

# exec sees the same filesystem and processes, with the container's hardening.
run "$DISTILL" exec sleeper sh -c 'echo shared >/tmp/mark; cat /proc/1/cmdline | tr "\0" " "'
expect_rc 0 "exec"
expect_out "sh -c echo started" "exec sees the container's pid 1"
run "$DISTILL" exec -u 65534 -w /tmp -e X=y sleeper sh -c 'cat mark; id -u; echo $X'
[ "$OUT" = "$(printf 'shared\n65534\ny')" ] && pass || fail "exec -u -w -e: $OUT $ERR"
run "$DISTILL" exec sleeper sh -c 'mount -t tmpfs x /mnt'
[ "$RC" -ne 0 ] && pass || fail "exec'd process could mount"
run "$DISTILL" exec sleeper sh -c 'exit 7'
expect_rc 7 "exec exit code"
run "$DISTILL" exec sleeper /no/such
expect_rc 127 "exec of a missing program"

run "$DISTILL" rm sleeper
expect_rc 1 "rm of a running container"
expect_err "stop it first" "rm refusal explained"
start=$(date +%s)
run "$DISTILL" stop sleeper
expect_rc 0 "stop"
[ $(($(date +%s) - start)) -lt 5 ] && pass || fail "stop of a trapping container took the grace period"
run "$DISTILL" ps -a
expect_out "Exited (0)" "stopped container exited 0 via its trap"
run "$DISTILL" logs sleeper
expect_out "bye" "trap output in the log"
run "$DISTILL" rm sleeper
expect_rc 0 "rm"
run "$DISTILL" ps -a
[[ "$OUT" != *sleeper* ]] && pass || fail "rm'd container still listed"
no_mounts "after stop and rm"

# A trap-less sleep ignores SIGTERM as pid 1: SIGKILL after -t 1.
"$DISTILL" run -d --name stubborn bb sleep 60 >/dev/null
start=$(date +%s)
run "$DISTILL" stop -t 1 stubborn
end=$(date +%s)
[ $((end - start)) -ge 1 ] && [ $((end - start)) -lt 5 ] && pass || fail "stop -t 1 took $((end - start)) s"
run "$DISTILL" ps -a
expect_out "Exited (137)" "SIGKILL after the grace period"
run "$DISTILL" rm stubborn
expect_rc 0 "rm stubborn"

# rm -f kills a running one.
"$DISTILL" run -d --name forced bb sleep 60 >/dev/null
run "$DISTILL" rm -f forced
expect_rc 0 "rm -f"
no_mounts "after rm -f"

# Ports: TCP to busybox httpd through the proxy.
P=$(free_port)
run "$DISTILL" run -d --name web -p "127.0.0.1:$P:8080" bb httpd -f -p 8080 -h /www
expect_rc 0 "run httpd"
run "$DISTILL" port web
[ "$OUT" = "8080/tcp -> 127.0.0.1:$P" ] && pass || fail "port: $OUT"
run "$DISTILL" ps
expect_out "127.0.0.1:$P->8080/tcp" "ps PORTS"
wait_for curl -sf "http://127.0.0.1:$P/index.html"
run curl -sf "http://127.0.0.1:$P/index.html"
[ "$OUT" = "served by busybox" ] && pass || fail "HTTP through the proxy: $OUT"
# The container's port is not reachable from the host directly (own netns).
run curl -sf --max-time 2 "http://127.0.0.1:8080/index.html"
[ "$RC" -ne 0 ] && pass || fail "container port visible on the host without publishing"
"$DISTILL" rm -f web >/dev/null

# UDP through the proxy. Busybox has no UDP server applet, so the echo server
# is a host process and the container shares the host's network (the proxy
# logic is the same; the private-namespace path is covered by TCP above).
P=$(free_port)
Q=$(free_port)
rm -f "$TMP/udp-ready"
python3 - "$Q" "$TMP/udp-ready" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
open(sys.argv[2], "w").close()  # bound: a datagram sent now is not lost
s.settimeout(10)
data, peer = s.recvfrom(100)
s.sendto(data, peer)
PY
ECHO=$!
for _ in $(seq 100); do [ -e "$TMP/udp-ready" ] && break; sleep 0.05; done
"$DISTILL" run -d --name udp --network host -p "127.0.0.1:$P:$Q/udp" bb sleep 60 >/dev/null
reply=$(python3 - "$P" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.sendto(b"ping", ("127.0.0.1", int(sys.argv[1])))
print(s.recvfrom(100)[0].decode())
PY
)
[ "$reply" = "ping" ] && pass || fail "UDP through the proxy: $reply"
wait $ECHO 2>/dev/null
"$DISTILL" rm -f udp >/dev/null

# -P with an EXPOSE'd port; --network host shares the host's.
"$DISTILL" import "$TMP/rootfs.tar" bbweb -c 'EXPOSE 8080' -c 'CMD ["httpd","-f","-p","8080","-h","/www"]' >/dev/null
run "$DISTILL" run -d --name pall -P bbweb
expect_rc 0 "run -P"
run "$DISTILL" port pall
[[ "$OUT" =~ ^8080/tcp\ -\>\ 0\.0\.0\.0:([0-9]+)$ ]] && pass || fail "-P port: $OUT"
HP=${BASH_REMATCH[1]:-0}
wait_for curl -sf "http://127.0.0.1:$HP/index.html" && pass || fail "-P answers on $HP"
"$DISTILL" rm -f pall >/dev/null
run "$DISTILL" run --rm --network host bb sh -c 'ls /sys/class/net | grep -vc "^lo$"'
[ "${OUT:-0}" -ge 1 ] && pass || fail "--network host sees host interfaces: $OUT"
run "$DISTILL" run --rm bb sh -c 'ls /sys/class/net'
[ "$OUT" = "lo" ] && pass || fail "private network has only lo: $OUT"

# Crash consistency: kill -9 the monitor; the next ps shows it exited and
# nothing stays mounted.
run "$DISTILL" run -d --name crash bb sleep 60
CID="$OUT"
MPID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["monitor_pid"])' \
  "$DISTILL_ROOT/containers/$CID/state.json")
kill -9 "$MPID"
wait_for sh -c "! kill -0 $MPID"
run "$DISTILL" ps -a
expect_out "Exited (137)" "dead monitor shows as exited"
no_mounts "after the monitor was killed"
run "$DISTILL" rm crash
expect_rc 0 "rm after crash"

# rmi refuses an image a container was made from, until the container is gone.
"$DISTILL" import "$TMP/rootfs.tar" bbkeep -c 'CMD ["sleep","60"]' >/dev/null
"$DISTILL" tag bbkeep bbkeep:second >/dev/null
run "$DISTILL" run -d --name holder bbkeep
run "$DISTILL" rmi bbkeep:second
expect_rc 0 "rmi of one of two tags only untags, even with a container"
run "$DISTILL" rmi bbkeep
expect_rc 1 "rmi of an image a container uses"
expect_err "holder" "the refusal names the container"
"$DISTILL" rm -f holder >/dev/null
run "$DISTILL" rmi bbkeep
expect_rc 0 "rmi once the container is removed"

finish

#!/usr/bin/env bash
# `distill exec` joins the container's cgroups: the container's limits cover
# exec'd processes. Skipped when this host cannot set a pids limit.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/run_lib.sh"

run "$DISTILL" run -d --name lim --pids-limit 5 bb sleep 600
expect_rc 0 "run -d --pids-limit"
sleep 0.5
if "$DISTILL" logs lim 2>&1 | grep -q "pids limit not applied"; then
  echo "SKIP: no pids limit on this host: $("$DISTILL" logs lim 2>&1)"
  finish
  exit $?
fi
run "$DISTILL" exec lim cat /proc/1/cgroup
PID1_CGROUPS="$OUT"
expect_out "/distill/" "the container's pid 1 is in a distill cgroup"
run "$DISTILL" exec lim cat /proc/self/cgroup
[ "$OUT" = "$PID1_CGROUPS" ] && pass || fail "exec'd process in the container's cgroups: $OUT vs $PID1_CGROUPS"
# pid 1 (sleep), the exec's helper outside the pid namespace and sh take 3 of
# the 5: starting six more must fail part-way.
FORKS='n=0; for i in 1 2 3 4 5 6; do sleep 3 & n=$((n+1)); done; wait; echo started'
run "$DISTILL" exec lim sh -c "$FORKS"
expect_err "can't fork" "pids limit reached by exec'd processes"
# The same in a container without a limit works.
"$DISTILL" run -d --name free bb sleep 600 >/dev/null
run "$DISTILL" exec free sh -c "$FORKS"
[ "$OUT" = "started" ] && [[ "$ERR" != *"fork"* ]] && pass || fail "no limit: $OUT $ERR"
"$DISTILL" rm -f lim free >/dev/null
no_mounts "at the end"

finish

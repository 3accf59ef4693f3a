#!/usr/bin/env bash
# `distill run` latency against `podman run` (runc, private storage root) on
# the same busybox image, once the image is unpacked:
#   1. time to the first instruction of the entrypoint: the entrypoint is a
#      tiny static program that prints the wall clock; the figure is its
#      timestamp minus the one taken just before `run` was started (median
#      of RUNS runs);
#   2. start to exit of `run --rm IMAGE true` (hyperfine), teardown included.
# Needs root, hyperfine, podman, runc and a C compiler with a static libc
# (scripts/install-deps).
#   DISTILL=build/distill bench/run_latency.sh [RUNS]
set -euo pipefail
: "${DISTILL:?DISTILL must point at the distill binary}"
RUNS=${1:-30}
[ "$(id -u)" -eq 0 ] || { echo "needs root" >&2; exit 1; }
for tool in hyperfine podman runc cc; do
  command -v "$tool" >/dev/null || { echo "needs $tool (scripts/install-deps)" >&2; exit 1; }
done

TMP=$(mktemp -d)
export DISTILL_ROOT="$TMP/distill"
cleanup() {
  podman --root "$TMP/podman/root" --runroot "$TMP/podman/run" system reset -f >/dev/null 2>&1 || true
  { grep "$TMP" /proc/self/mountinfo || true; } | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$TMP"
}
trap cleanup EXIT

# The same busybox rootfs for both, with /stamp: prints CLOCK_REALTIME in ns.
mkdir -p "$TMP/rootfs/bin" "$TMP/rootfs/etc"
cp /bin/busybox "$TMP/rootfs/bin/busybox"
for a in sh true echo; do ln -s busybox "$TMP/rootfs/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$TMP/rootfs/etc/passwd"
cat >"$TMP/stamp.c" <<'C'
#include <stdio.h>
#include <time.h>
int main(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  printf("%lld\n", (long long)t.tv_sec * 1000000000LL + t.tv_nsec);
  return 0;
}
C
cc -O2 -static -o "$TMP/rootfs/stamp" "$TMP/stamp.c"
tar -C "$TMP/rootfs" -cf "$TMP/rootfs.tar" .
"$DISTILL" import "$TMP/rootfs.tar" bench-bb -c 'CMD ["sh"]' >/dev/null

cat >"$TMP/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$TMP/containers.conf"
PODMAN="podman --root $TMP/podman/root --runroot $TMP/podman/run --storage-driver overlay"
$PODMAN import "$TMP/rootfs.tar" localhost/bench-bb >/dev/null
# Warm both (first-run unpacking is not what is measured).
"$DISTILL" run --rm bench-bb true
$PODMAN run --rm --network none localhost/bench-bb true

# first_instruction NAME CMD...: median and min/max of (stamp - start) in ms.
first_instruction() {
  local name=$1
  shift
  local samples=()
  for _ in $(seq "$RUNS"); do
    local start stamp
    start=$(date +%s%N)
    stamp=$("$@" | tail -1)
    samples+=($(((stamp - start) / 1000)))
  done
  printf '%s\n' "${samples[@]}" | sort -n | awk -v name="$name" '
    { v[NR] = $1 }
    END { printf "| %s | %.1f ms | %.1f–%.1f ms |\n", name, v[int((NR + 1) / 2)] / 1000, v[1] / 1000, v[NR] / 1000 }'
}
echo "Time from the run command to the entrypoint's first instruction ($RUNS runs):"
echo
echo "| command | median | min–max |"
echo "|---|---|---|"
first_instruction "distill run --rm" "$DISTILL" run --rm --entrypoint /stamp bench-bb
first_instruction "distill run --rm --network host" \
  "$DISTILL" run --rm --network host --entrypoint /stamp bench-bb
first_instruction "podman run --rm (runc, --network none)" \
  $PODMAN run --rm --network none --entrypoint /stamp localhost/bench-bb
echo

hyperfine --warmup 3 --runs "$RUNS" -N \
  --export-markdown "$TMP/result.md" \
  -n "distill run --rm" "$DISTILL run --rm bench-bb true" \
  -n "distill run --rm --network host" "$DISTILL run --rm --network host bench-bb true" \
  -n "podman run --rm (runc, --network none)" "$PODMAN run --rm --network none localhost/bench-bb true"
echo "Start to exit of run --rm IMAGE true:"
echo
cat "$TMP/result.md"

#!/usr/bin/env bash
# Start-to-exit latency of a trivial container: `distill run --rm IMAGE true`
# against `podman run --rm` (runc, private storage root) on the same busybox
# image. Needs root, hyperfine, podman and runc (scripts/install-deps).
#   DISTILL=build/distill bench/run_latency.sh [RUNS]
set -euo pipefail
: "${DISTILL:?DISTILL must point at the distill binary}"
RUNS=${1:-30}
[ "$(id -u)" -eq 0 ] || { echo "needs root" >&2; exit 1; }
for tool in hyperfine podman runc; do
  command -v "$tool" >/dev/null || { echo "needs $tool (scripts/install-deps)" >&2; exit 1; }
done

TMP=$(mktemp -d)
export DISTILL_ROOT="$TMP/distill"
cleanup() {
  podman --root "$TMP/podman/root" --runroot "$TMP/podman/run" system reset -f >/dev/null 2>&1 || true
  grep "$TMP" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$TMP"
}
trap cleanup EXIT

# The same busybox rootfs for both.
mkdir -p "$TMP/rootfs/bin" "$TMP/rootfs/etc"
cp /bin/busybox "$TMP/rootfs/bin/busybox"
for a in sh true echo; do ln -s busybox "$TMP/rootfs/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' >"$TMP/rootfs/etc/passwd"
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

hyperfine --warmup 3 --runs "$RUNS" -N \
  --export-markdown "$TMP/result.md" \
  -n "distill run --rm" "$DISTILL run --rm bench-bb true" \
  -n "distill run --rm --network host" "$DISTILL run --rm --network host bench-bb true" \
  -n "podman run --rm (runc, --network none)" "$PODMAN run --rm --network none localhost/bench-bb true"
cat "$TMP/result.md"

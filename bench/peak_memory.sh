#!/usr/bin/env bash
# Peak memory of distill's own process (VmHWM, the resident high-water mark;
# children such as a RUN step's compiler are not counted) for each kind of
# operation on a large image: build (four 100 MB layers of incompressible
# data), save, load, push and pull through a local docker-registry. The
# target is < 150 MB whatever the layer sizes: layers are streamed, never
# held in memory.
#   bench/peak_memory.sh [path/to/distill] [LAYER_MB]   (default build/distill, 100)
set -euo pipefail
DISTILL=$(realpath "${1:-build/distill}")
LAYER_MB=${2:-100}
for tool in docker-registry python3 curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool (scripts/install-deps)" >&2; exit 1; }
done
TMP=$(mktemp -d /var/tmp/distill-membench-XXXXXX)
REG_PID=
cleanup() {
  [ -n "$REG_PID" ] && kill "$REG_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
export DISTILL_ROOT="$TMP/store" HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/config"
mkdir -p "$HOME"

# Runs a command in the background and polls its VmHWM until it exits.
peak() {
  local label=$1
  shift
  "$@" >/dev/null 2>"$TMP/err" &
  local pid=$! max=0 v
  while kill -0 "$pid" 2>/dev/null; do
    v=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$v" ] && [ "$v" -gt "$max" ] && max=$v
    sleep 0.05
  done
  wait "$pid" || { echo "$label failed: $(cat "$TMP/err")" >&2; exit 1; }
  printf '| %s | %d MB |\n' "$label" $((max / 1024))
}

start_registry "$TMP/registry"
REF="$REG/bench/big:1"

mkdir -p "$TMP/ctx"
for f in a b c d; do head -c "${LAYER_MB}M" /dev/urandom >"$TMP/ctx/$f"; done
printf 'FROM scratch\nCOPY a /a\nCOPY b /b\nCOPY c /c\nCOPY d /d\n' >"$TMP/ctx/Dockerfile"

echo "| operation (4 layers x ${LAYER_MB} MB) | distill peak RSS |"
echo "|---|---:|"
peak "build" "$DISTILL" build -q -t big:1 "$TMP/ctx"
peak "save (docker-archive)" "$DISTILL" save -o "$TMP/big.tar" big:1
peak "load" env DISTILL_ROOT="$TMP/store2" "$DISTILL" load -i "$TMP/big.tar"
peak "push" "$DISTILL" push -q big:1 "$REF"
peak "pull" env DISTILL_ROOT="$TMP/store3" "$DISTILL" pull -q "$REF"

#!/usr/bin/env bash
# Push and pull of a ~200 MB image (4 layers of 50 MB of random data) to a
# local docker-registry on 127.0.0.1, distill against `skopeo copy` moving the
# same blobs (skopeo reads/writes an OCI layout distill exported). Each run
# starts from an empty registry (push) or an empty destination (pull).
# Needs root (the image is built with distill build), docker-registry, skopeo
# and hyperfine.
#
# usage: bench/registry_push_pull.sh [path/to/distill]   (default build/distill)
set -euo pipefail
DISTILL=$(realpath "${1:-build/distill}")
for tool in docker-registry skopeo hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
TMP=$(mktemp -d /var/tmp/distill-regbench-XXXXXX)
REG_PID=
cleanup() { [ -n "$REG_PID" ] && kill "$REG_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
export DISTILL_ROOT="$TMP/store" HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/config"
mkdir -p "$HOME"

DATA="$TMP/registry"
start_registry "$DATA"

# The image: FROM scratch, four COPY layers of incompressible data.
mkdir -p "$TMP/ctx"
for f in a b c d; do head -c 50M /dev/urandom >"$TMP/ctx/$f"; done
printf 'FROM scratch\nCOPY a /a\nCOPY b /b\nCOPY c /c\nCOPY d /d\n' >"$TMP/ctx/Dockerfile"
"$DISTILL" build -q -t bench:1 "$TMP/ctx" >/dev/null
"$DISTILL" export --oci-layout "$TMP/layout" bench:1
du -sh "$TMP/layout/blobs" | sed 's/^/image blobs: /'

EMPTY_REGISTRY="rm -rf $DATA/docker"
hyperfine --warmup 1 --runs 5 --export-markdown "$TMP/push.md" \
  --prepare "$EMPTY_REGISTRY" \
  -n "distill push" "$DISTILL push -q bench:1 $REG/bench/app:1" \
  -n "skopeo copy (push)" "skopeo copy -q --dest-tls-verify=false oci:$TMP/layout:1 docker://$REG/bench/app:1"

# Pulls read what distill pushed last.
"$DISTILL" push -q bench:1 "$REG/bench/app:1" >/dev/null
hyperfine --warmup 1 --runs 5 --export-markdown "$TMP/pull.md" \
  -n "distill pull" --prepare "rm -rf $TMP/pull-store" \
  "DISTILL_ROOT=$TMP/pull-store $DISTILL pull -q $REG/bench/app:1" \
  -n "skopeo copy (pull)" --prepare "rm -rf $TMP/pull-layout" \
  "skopeo copy -q --src-tls-verify=false docker://$REG/bench/app:1 oci:$TMP/pull-layout:1"
cat "$TMP/push.md" "$TMP/pull.md"

#!/usr/bin/env bash
# The shared build cache end to end: `build --cache-to type=local` in store A,
# then `--cache-from` in fresh, empty stores (the "second machine"): zero RUN
# executions and the same image digest with mode=max; only the dependent steps
# after a file edit; mode=min re-runs the stages the image only copies from; a
# corrupted or missing cache is a warning and a clean rebuild, never a wrong
# image; bad specs are clear errors. RUN steps count themselves in a cache
# mount (ROOT/cache/mounts/...), which belongs to each store. Needs root.
source "$(dirname "$0")/lib.sh"

export SOURCE_DATE_EPOCH=1700000000

# A busybox rootfs tar; imported with a fixed SOURCE_DATE_EPOCH it gives the
# same base image digest in every store (a base pulled from a registry would too).
make_busybox_tar() {
  local r="$TMP/bbroot"
  mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/root"
  cp /bin/busybox "$r/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$r/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$r/etc/passwd"
  printf 'root:x:0:\n' >"$r/etc/group"
  chmod 1777 "$r/tmp"
  tar -C "$r" -cf "$TMP/busybox.tar" .
}
# new_store NAME: a fresh store with the busybox base; sets DISTILL_ROOT.
new_store() {
  export DISTILL_ROOT="$TMP/store-$1"
  run "$DISTILL" import "$TMP/busybox.tar" busybox:test
  expect_rc 0 "import the base into store $1"
}
# The RUN counter of the current store (empty when no RUN ran).
runs() {
  local f="$DISTILL_ROOT/cache/mounts/$(printf %s /counter | sha256sum | cut -d' ' -f1)/runs"
  if [ -f "$f" ]; then sort "$f" | tr '\n' ' '; fi
}
# build ARGS...: builds $CTX, leaving the image digest in IMAGE.
build() {
  run "$DISTILL" build --progress plain "$@" "$CTX"
  IMAGE=$(echo "$OUT" | tail -1)
}

make_busybox_tar
CTX="$TMP/ctx"
mkdir -p "$CTX/src"
echo "a-one" >"$CTX/src/a.txt"
echo "b-one" >"$CTX/src/b.txt"
cat >"$CTX/Dockerfile" <<'DF'
FROM busybox:test AS build
RUN --mount=type=cache,target=/counter sh -c 'echo build >> /counter/runs' && mkdir /work && echo built > /work/base.txt
COPY src/a.txt /work/a.txt
RUN --mount=type=cache,target=/counter sh -c 'echo after-a >> /counter/runs' && cat /work/base.txt /work/a.txt > /work/out.txt

FROM busybox:test
COPY --from=build /work/out.txt /out.txt
COPY src/b.txt /b.txt
RUN --mount=type=cache,target=/counter sh -c 'echo final >> /counter/runs' && cat /out.txt /b.txt > /final.txt
DF

# Machine A builds and exports every stage's records (max) and the image's (min).
new_store A
build --cache-to "type=local,dest=$TMP/cache-max,mode=max" --cache-to "type=local,dest=$TMP/cache-min"
expect_rc 0 "store A: build with --cache-to"
IMAGE_A=$IMAGE
if [ "$(runs)" = "after-a build final " ]; then pass; else fail "store A runs every RUN once: $(runs)"; fi
expect_err "cache exported to type=local,dest=$TMP/cache-max,mode=max" "reports the max export"
for f in oci-layout index.json; do
  if [ -f "$TMP/cache-max/$f" ]; then pass; else fail "the cache dir has $f"; fi
done
if grep -q '"artifactType":"application/vnd.distill.cache.v1"' "$TMP/cache-max/index.json"; then
  pass; else fail "index.json names the cache artifact: $(cat "$TMP/cache-max/index.json")"; fi

# Machine B: an empty store, the max cache: nothing runs, the same image.
new_store B
build --cache-from "type=local,src=$TMP/cache-max" --output "type=local,dest=$TMP/rootfs-B"
expect_rc 0 "store B: build with --cache-from (max)"
if [ -z "$(runs)" ]; then pass; else fail "store B ran RUN steps: $(runs)"; fi
if [ "$IMAGE" = "$IMAGE_A" ]; then pass; else fail "store B image $IMAGE differs from A's $IMAGE_A"; fi
if [ "$(echo "$ERR" | grep -c CACHED)" -eq 6 ]; then pass; else fail "six CACHED steps: $ERR"; fi
if [[ "$ERR" != *"warning: --cache"* ]]; then pass; else fail "no cache warnings with a good cache: $ERR"; fi
if [ "$(cat "$TMP/rootfs-B/final.txt")" = "$(printf 'built\na-one\nb-one')" ]; then pass; else
  fail "the imported layers hold the right files: $(cat "$TMP/rootfs-B/final.txt")"; fi
# The hits were merged into B's own cache: a rebuild without --cache-from runs nothing.
build
expect_rc 0 "store B: rebuild from its own cache"
if [ -z "$(runs)" ]; then pass; else fail "store B's merged records are used: $(runs)"; fi

# Machine C: b.txt edited: only the final RUN (after COPY b.txt) runs.
echo "b-two" >"$CTX/src/b.txt"
new_store C
build --cache-from "type=local,src=$TMP/cache-max"
expect_rc 0 "store C: build after editing b.txt"
if [ "$(runs)" = "final " ]; then pass; else fail "editing b.txt re-runs only the final RUN: $(runs)"; fi
echo "b-one" >"$CTX/src/b.txt"

# Machine D: mode=min holds the final stage's records only: the build stage runs again.
new_store D
build --cache-from "type=local,src=$TMP/cache-min"
expect_rc 0 "store D: build with --cache-from (min)"
if [ "$(runs)" = "after-a build " ]; then pass; else fail "min re-runs the build stage only: $(runs)"; fi
if [ "$IMAGE" = "$IMAGE_A" ]; then pass; else fail "store D image $IMAGE differs from A's $IMAGE_A"; fi

# Machine E: every layer blob of the cache corrupted (same size, other bytes):
# warnings, every step runs, and the image is still the right one.
cp -r "$TMP/cache-max" "$TMP/cache-bad"
python3 - "$TMP/cache-bad" <<'PY'
import json, sys
root = sys.argv[1]
def blob(d): return f"{root}/blobs/{d.replace(':', '/')}"
index = json.load(open(f"{root}/index.json"))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
for layer in manifest["layers"]:
    with open(blob(layer["digest"]), "r+b") as f:
        f.seek(layer["size"] // 2)
        byte = f.read(1)
        f.seek(layer["size"] // 2)
        f.write(bytes([byte[0] ^ 0xff]))
PY
new_store E
build --cache-from "type=local,src=$TMP/cache-bad"
expect_rc 0 "store E: build with a corrupted cache"
expect_err "warning: --cache-from cache directory $TMP/cache-bad: not using the cached result" \
  "corrupt blobs are reported"
if [ "$(runs)" = "after-a build final " ]; then pass; else fail "store E runs every RUN: $(runs)"; fi
if [ "$IMAGE" = "$IMAGE_A" ]; then pass; else fail "store E image $IMAGE differs from A's $IMAGE_A"; fi

# A cache whose index.json is garbage, and one that does not exist: warnings, clean builds.
mkdir -p "$TMP/cache-garbage" && echo '{not json' >"$TMP/cache-garbage/index.json"
new_store F
build --cache-from "type=local,src=$TMP/cache-garbage" --cache-from "type=local,src=$TMP/absent"
expect_rc 0 "store F: unusable caches do not fail the build"
expect_err "$TMP/cache-garbage" "the garbage cache is named"
expect_err "$TMP/absent: no cache there yet; building without it" "the missing cache is named"
if [ ! -e "$TMP/absent" ]; then pass; else fail "--cache-from must not create its directory"; fi
if [ "$IMAGE" = "$IMAGE_A" ]; then pass; else fail "store F image $IMAGE differs from A's"; fi

# The same through a registry: the reference implementation (Debian's
# docker-registry) on 127.0.0.1, anonymous, plain HTTP (loopback).
if [ -x /usr/bin/docker-registry ]; then
  REG_PORT=$((20000 + RANDOM % 20000))
  mkdir -p "$TMP/registry"
  cat >"$TMP/registry.yml" <<YML
version: 0.1
storage:
  filesystem:
    rootdirectory: $TMP/registry
http:
  addr: 127.0.0.1:$REG_PORT
YML
  /usr/bin/docker-registry serve "$TMP/registry.yml" >"$TMP/registry.log" 2>&1 &
  REG_PID=$!
  trap 'kill $REG_PID 2>/dev/null; wait $REG_PID 2>/dev/null; rm -rf "$TMP"' EXIT
  for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$REG_PORT/v2/" >/dev/null && break
    sleep 0.2
  done
  REF="127.0.0.1:$REG_PORT/cache/app:buildcache"
  export DISTILL_ROOT="$TMP/store-A"
  build --cache-to "type=registry,ref=$REF,mode=max"
  expect_rc 0 "store A: --cache-to type=registry"
  expect_err "cache exported to type=registry,ref=$REF,mode=max" "reports the registry export"
  if curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://127.0.0.1:$REG_PORT/v2/cache/app/manifests/buildcache" |
    grep -q '"artifactType":"application/vnd.distill.cache.v1"'; then pass; else
    fail "the registry serves the cache artifact"; fi
  new_store G
  build --cache-from "type=registry,ref=$REF" --cache-from "type=registry,ref=127.0.0.1:$REG_PORT/cache/app:none"
  expect_rc 0 "store G: build with --cache-from type=registry"
  if [ -z "$(runs)" ]; then pass; else fail "store G ran RUN steps: $(runs)"; fi
  if [ "$IMAGE" = "$IMAGE_A" ]; then pass; else fail "store G image $IMAGE differs from A's $IMAGE_A"; fi
  expect_err "cache/app:none: no cache there yet" "a missing tag is a warning"
else
  fail "the registry case needs /usr/bin/docker-registry (apt-get install docker-registry)"
fi

# Bad specs: clear errors, nothing built.
build --cache-to "type=s3,dest=x"
expect_rc 1 "unknown --cache-to type"
expect_err 'unknown type "s3"' "names the bad type"
build --cache-from "type=local"
expect_rc 1 "--cache-from without src"
expect_err "type=local needs src=DIR" "says what is missing"
build --cache-to "type=registry"
expect_rc 1 "--cache-to registry without ref"
expect_err "type=registry needs ref=HOST/REPO:TAG" "says what is missing"
finish

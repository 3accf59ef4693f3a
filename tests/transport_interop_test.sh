#!/usr/bin/env bash
# Interop of distill's image formats with podman, skopeo and umoci: archives and
# layouts distill writes are read by them, and theirs are read by distill, with the
# same layer digests. podman/skopeo get a private storage root under $TMP.
source "$(dirname "$0")/lib.sh"

for tool in podman skopeo umoci; do
  if ! command -v "$tool" >/dev/null; then echo "SKIP: $tool not installed"; exit 0; fi
done

export DISTILL_ROOT="$TMP/store"
STORAGE=(--root "$TMP/c-root" --runroot "$TMP/c-run" --storage-driver vfs)
# load/save need no runtime, but podman refuses to start without its configured one.
RUNTIME=runc
command -v runc >/dev/null || RUNTIME=crun
printf '[engine]\nruntime = "%s"\n' "$RUNTIME" >"$TMP/containers.conf"
export CONTAINERS_CONF="$TMP/containers.conf"
export XDG_RUNTIME_DIR="$TMP/xdg"
mkdir -p "$XDG_RUNTIME_DIR"
cleanup() { podman "${STORAGE[@]}" system reset -f >/dev/null 2>&1; chmod -R u+w "$TMP" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

# A small rootfs: busybox and a file.
mkdir -p "$TMP/rootfs/bin" "$TMP/rootfs/etc"
cp "$(command -v busybox)" "$TMP/rootfs/bin/busybox"
echo "hello from distill" >"$TMP/rootfs/etc/greeting"
tar -C "$TMP/rootfs" -czf "$TMP/rootfs.tar.gz" .

run "$DISTILL" import "$TMP/rootfs.tar.gz" interop:1 --change 'CMD ["/bin/busybox","sh"]'
expect_rc 0 "import rootfs"
# The diffID distill recorded, from the OCI layout it exports.
run "$DISTILL" export --oci-layout "$TMP/layout" interop:1
expect_rc 0 "export --oci-layout"
DIFF_ID=$(skopeo inspect --config "oci:$TMP/layout:1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["rootfs"]["diff_ids"][0])')
LAYER=$(skopeo inspect "oci:$TMP/layout:1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["Layers"][0])')
if [[ "$DIFF_ID" == sha256:* && "$LAYER" == sha256:* ]]; then pass; else fail "skopeo reads the OCI layout ($DIFF_ID, $LAYER)"; fi

# umoci unpacks the layout.
run umoci unpack --rootless --image "$TMP/layout:1" "$TMP/bundle"
expect_rc 0 "umoci unpack"
if grep -q "hello from distill" "$TMP/bundle/rootfs/etc/greeting" 2>/dev/null; then pass; else fail "unpacked file content"; fi

# docker-archive: skopeo sees the diffID as the layer digest (uncompressed view), podman loads it.
run "$DISTILL" save -o "$TMP/d.tar" interop:1
expect_rc 0 "save docker-archive"
run skopeo inspect --config "docker-archive:$TMP/d.tar"
expect_rc 0 "skopeo inspect docker-archive"
expect_out "$DIFF_ID" "docker-archive config keeps the diffID"
run podman "${STORAGE[@]}" load -i "$TMP/d.tar"
expect_rc 0 "podman load docker-archive"
expect_out "interop:1" "podman names the loaded image"
run podman "${STORAGE[@]}" image inspect --format '{{index .RootFS.Layers 0}}' docker.io/library/interop:1
expect_out "$DIFF_ID" "podman's image has distill's diffID"

# oci-archive: skopeo sees the same compressed layer digest.
run "$DISTILL" save --format oci-archive -o "$TMP/o.tar" interop:1
expect_rc 0 "save oci-archive"
run skopeo inspect "oci-archive:$TMP/o.tar"
expect_rc 0 "skopeo inspect oci-archive"
expect_out "$LAYER" "oci-archive keeps the layer digest"

# And back: archives written by skopeo/podman load into a fresh distill store.
export DISTILL_ROOT="$TMP/store2"
run skopeo copy "oci:$TMP/layout:1" "oci-archive:$TMP/sk.oci.tar:skopeo/oci:1"
expect_rc 0 "skopeo copy to oci-archive"
run "$DISTILL" load -i "$TMP/sk.oci.tar"
expect_rc 0 "distill load skopeo's oci-archive"
expect_out "Loaded image: docker.io/skopeo/oci:1" "load names it"
run skopeo copy "oci:$TMP/layout:1" "docker-archive:$TMP/sk.docker.tar:skopeo/docker:1"
expect_rc 0 "skopeo copy to docker-archive"
run "$DISTILL" load -i "$TMP/sk.docker.tar"
expect_rc 0 "distill load skopeo's docker-archive"
expect_out "Loaded image: docker.io/skopeo/docker:1" "docker-archive name"
run podman "${STORAGE[@]}" save -o "$TMP/pm.tar" docker.io/library/interop:1
expect_rc 0 "podman save"
run "$DISTILL" load -i "$TMP/pm.tar"
expect_rc 0 "distill load podman's docker-archive"
run skopeo copy "oci:$TMP/layout:1" "oci:$TMP/sk-layout:v1"
run "$DISTILL" load -i "$TMP/sk-layout" -t fromdir:v1
expect_rc 0 "distill load skopeo's OCI layout"
run "$DISTILL" export --oci-layout "$TMP/back" fromdir:v1
expect_rc 0 "re-export"
BACK=$(skopeo inspect "oci:$TMP/back:v1" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["Layers"][0])')
if [ "$BACK" = "$LAYER" ]; then pass; else fail "layer digest after skopeo round trip: $BACK, want $LAYER"; fi

# A corrupt archive is refused.
printf 'garbage' >"$TMP/bad.tar"
run "$DISTILL" load -i "$TMP/bad.tar"
if [ "$RC" -ne 0 ]; then pass; else fail "garbage archive accepted"; fi

finish

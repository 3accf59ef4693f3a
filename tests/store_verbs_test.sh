#!/usr/bin/env bash
# The store verbs end to end against a temporary store: images, tag, inspect,
# history, rmi (refusal and -f), prune (exactly the unreachable blobs) and fsck
# (a flipped byte found, then repaired). Images come from `distill import`.
source "$(dirname "$0")/lib.sh"

export DISTILL_ROOT="$TMP/store"
BLOBS="$DISTILL_ROOT/blobs/sha256"
mkdir -p "$TMP/rootfs/bin" "$TMP/rootfs2/etc"
echo hello >"$TMP/rootfs/bin/hello"
echo other >"$TMP/rootfs2/etc/other"
tar -C "$TMP/rootfs" -cf "$TMP/rootfs.tar" .
tar -C "$TMP/rootfs2" -cf "$TMP/rootfs2.tar" .
blob_count() { find "$BLOBS" -type f | wc -l; }

run "$DISTILL" images
expect_rc 0 "images on an empty store"
expect_out "REPOSITORY" "empty table has a header"

run "$DISTILL" import "$TMP/rootfs.tar" python:3.9 -c 'CMD ["/bin/hello"]'
expect_rc 0 "import"
ID=$(echo "$OUT" | tail -1 | sed 's/^sha256://')
SHORT=${ID:0:12}

run "$DISTILL" tag python:3.9 ghcr.io/o/app:v1
expect_rc 0 "tag by name"
run "$DISTILL" tag "$SHORT" app
expect_rc 0 "tag by ID prefix"
run "$DISTILL" tag python:3.9 Bad:Name
expect_rc 1 "tag to an invalid name"
expect_err "must be lowercase" "invalid name is explained"
run "$DISTILL" tag no-such:image x
expect_rc 1 "tag of a missing image"
expect_err "no such image: no-such:image" "missing source is named"

run "$DISTILL" images
expect_rc 0 "images"
expect_out "python          3.9       $SHORT" "familiar name, tag and ID"
expect_out "ghcr.io/o/app   v1" "registry name kept"
expect_out "app             latest" "default tag"
[[ "$OUT" != *docker.io* ]] && pass || fail "images shows docker.io names: $OUT"

run "$DISTILL" images -q
expect_rc 0 "images -q"
[ "$(echo "$OUT" | sort -u)" = "$SHORT" ] && pass || fail "images -q: $OUT"

run "$DISTILL" images --format json
expect_rc 0 "images --format json"
expect_out "\"Repository\": \"python\"" "json rows"
expect_out "\"ID\": \"sha256:$ID\"" "json ID"

run "$DISTILL" inspect python:3.9
expect_rc 0 "inspect"
expect_out "\"Id\": \"sha256:$ID\"" "inspect Id"
expect_out "\"python:3.9\"" "inspect RepoTags"
expect_out "\"python@sha256:$ID\"" "inspect RepoDigests"
expect_out "\"/bin/hello\"" "inspect Config.Cmd"
expect_out "\"Manifest\"" "inspect carries the manifest"
expect_out "\"Type\": \"layers\"" "inspect RootFS"

run "$DISTILL" inspect --type manifest app
expect_rc 0 "inspect --type manifest"
expect_out "\"schemaVersion\": 2" "manifest as stored"

run "$DISTILL" inspect python:3.9 nope
expect_rc 1 "inspect with one missing image"
expect_err "no such image: nope" "missing image named"
expect_out "\"Id\"" "found image still printed"

run "$DISTILL" history app
expect_rc 0 "history"
expect_out "IMAGE          CREATED" "history header"
expect_out "$SHORT" "history newest row has the ID"
expect_out "distill import" "history CREATED BY"
run "$DISTILL" history -q app
[ "$OUT" = "$SHORT" ] && pass || fail "history -q: $OUT"

# rmi: an ID with several tags is refused, a name only untags.
run "$DISTILL" rmi "$SHORT"
expect_rc 1 "rmi of a multiply-tagged ID"
expect_err "image is referenced in multiple repositories" "docker's refusal"
run "$DISTILL" rmi app nope
expect_rc 1 "rmi with one missing image"
expect_out "Untagged: app:latest" "rmi by name untags"
expect_err "no such image: nope" "rmi names the missing image"

# A second image, then removed: prune frees exactly its layer, config and manifest.
run "$DISTILL" import "$TMP/rootfs2.tar" other:1
expect_rc 0 "import another"
ID2=$(echo "$OUT" | tail -1 | sed 's/^sha256://')
before=$(blob_count)
run "$DISTILL" prune -f
expect_rc 0 "prune with nothing to free"
expect_out "Total reclaimed space: 0B" "nothing reclaimed"
[ "$(blob_count)" -eq "$before" ] && pass || fail "prune removed reachable blobs"

run "$DISTILL" rmi other:1
expect_rc 0 "rmi other"
expect_out "Untagged: other:1" "untagged"
expect_out "Deleted: sha256:$ID2" "deleted"
run "$DISTILL" prune
expect_rc 1 "prune without -f and no answer declines"
run "$DISTILL" prune -f
expect_rc 0 "prune"
expect_out "deleted: sha256:$ID2" "prune removes the manifest"
[ "$(echo "$OUT" | grep -c '^deleted: ')" -eq 3 ] && pass || fail "prune removed not exactly 3 blobs: $OUT"
[ "$(blob_count)" -eq $((before - 3)) ] && pass || fail "blob count after prune"
[ -f "$BLOBS/$ID" ] && pass || fail "prune removed the tagged image"

run "$DISTILL" rmi -f "$SHORT"
expect_rc 0 "rmi -f of a multiply-tagged ID"
expect_out "Untagged: python:3.9" "untags python"
expect_out "Untagged: ghcr.io/o/app:v1" "untags app"

# fsck: a flipped byte is found, --repair clears the report.
run "$DISTILL" import "$TMP/rootfs.tar" base:1
expect_rc 0 "import for fsck"
run "$DISTILL" fsck
expect_rc 0 "fsck on a sound store"
layer=$("$DISTILL" inspect --type manifest base:1 | grep -A1 '"digest"' | grep -o 'sha256:[0-9a-f]*' | tail -1)
f="$BLOBS/${layer#sha256:}"
printf '\xff' | dd of="$f" bs=1 seek=10 count=1 conv=notrunc 2>/dev/null
run "$DISTILL" fsck
expect_rc 1 "fsck finds corruption"
expect_out "corrupt blob $layer" "fsck names the blob"
expect_out "dangling tag base:1" "fsck names the broken tag"
run "$DISTILL" fsck --repair
expect_rc 0 "fsck --repair"
expect_out "(repaired)" "repairs reported"
run "$DISTILL" fsck
expect_rc 0 "fsck clean after repair"
expect_out "0 problem(s)" "no problems left"

finish

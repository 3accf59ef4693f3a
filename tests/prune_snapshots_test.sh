#!/usr/bin/env bash
# prune and unpacked layers: the snapshots of an image that was removed go
# (with the space they took reported), those of images still in the store and
# of layers the build cache holds stay, `prune -a` (cache dropped) takes the
# latter too, a rebuild after that unpacks what it needs again, and a
# detached container neither blocks prune nor loses its layers to it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/run_lib.sh"

SNAPSHOTS="$DISTILL_ROOT/snapshots"
snapshot_count() { find "$SNAPSHOTS" -mindepth 1 -maxdepth 1 -name '[0-9]*' -type d | wc -l; }

# An image of its own (one layer), unpacked by running it.
mkdir -p "$TMP/other/bin"
cp /bin/busybox "$TMP/other/bin/busybox"
ln -s busybox "$TMP/other/bin/true"
head -c 3000000 /dev/urandom >"$TMP/other/payload"
tar -C "$TMP/other" -cf "$TMP/other.tar" .
"$DISTILL" import "$TMP/other.tar" other -c 'CMD ["/bin/true"]' >/dev/null
run "$DISTILL" run --rm other
expect_rc 0 "run other"
# A build on bb: a RUN layer that only the build cache holds once the image is gone.
mkdir -p "$TMP/ctx"
printf 'FROM bb\nRUN head -c 2000000 /dev/urandom > /data\nCMD ["cat", "/data"]\n' >"$TMP/ctx/Dockerfile"
run "$DISTILL" build -q -t built "$TMP/ctx"
expect_rc 0 "build"
run "$DISTILL" run --rm bb true
expect_rc 0 "run bb"
before=$(snapshot_count)
[ "$before" -ge 2 ] && pass || fail "expected unpacked snapshots, found $before"

# Nothing removed: every snapshot is under an image or a cached layer.
run "$DISTILL" prune -f
expect_rc 0 "prune with every image present"
[ "$(snapshot_count)" -eq "$before" ] && pass || fail "prune removed snapshots still in use"

# The imported image goes: its snapshot goes, and the space is counted.
run "$DISTILL" rmi other
expect_rc 0 "rmi other"
run "$DISTILL" prune -f
expect_rc 0 "prune after rmi"
expect_out "Removed 1 unpacked layer snapshot(s)" "prune reports the snapshot"
[ "$(snapshot_count)" -eq $((before - 1)) ] && pass || fail "snapshot of the removed image left: $OUT"
case "$OUT" in *"Total reclaimed space: 0B"*) fail "reclaimed space not counted: $OUT" ;; *) pass ;; esac

# The built image goes; its RUN layer stays while the build cache holds it.
run "$DISTILL" rmi built
expect_rc 0 "rmi built"
run "$DISTILL" prune -f
expect_rc 0 "prune with the cache"
[ "$(snapshot_count)" -eq $((before - 1)) ] && pass || fail "cached layer's snapshot removed"

# -a drops the cache: only bb's own layer is left unpacked.
run "$DISTILL" prune -a -f
expect_rc 0 "prune -a"
[ "$(snapshot_count)" -eq 1 ] && pass || fail "after prune -a: $(snapshot_count) snapshots"
run "$DISTILL" run --rm bb true
expect_rc 0 "bb still runs after prune -a"

# The rebuild runs again from scratch and its image works.
run "$DISTILL" build -q -t built "$TMP/ctx"
expect_rc 0 "rebuild after prune -a"
run sh -c "\"$DISTILL\" run --rm built | wc -c"
[ "$OUT" = "2000000" ] && pass || fail "rebuilt image: $OUT $ERR"
# A detached container does not stop prune, and keeps its root filesystem's
# layers unpacked even when its image is removed meanwhile.
mkdir -p "$TMP/held/bin"
cp /bin/busybox "$TMP/held/bin/busybox"
for a in sleep cat; do ln -s busybox "$TMP/held/bin/$a"; done
head -c 1000000 /dev/urandom >"$TMP/held/payload"
tar -C "$TMP/held" -cf "$TMP/held.tar" .
"$DISTILL" import "$TMP/held.tar" held >/dev/null
run "$DISTILL" run -d --name holder held sleep 60
expect_rc 0 "run -d holder"
with_holder=$(snapshot_count)
run "$DISTILL" rmi -f held
expect_rc 0 "rmi -f the running container's image"
run "$DISTILL" prune -f
expect_rc 0 "prune while a detached container runs"
[ "$(snapshot_count)" -eq "$with_holder" ] && pass || fail "prune removed a running container's layers: $OUT"
run sh -c "\"$DISTILL\" exec holder cat /payload | wc -c"
[ "$OUT" = "1000000" ] && pass || fail "the container's files after prune: $OUT $ERR"
run "$DISTILL" rm -f holder
expect_rc 0 "rm -f holder"
run "$DISTILL" prune -f
expect_rc 0 "prune after the container is gone"
[ "$(snapshot_count)" -eq $((with_holder - 1)) ] && pass || fail "the gone container's layers stayed: $OUT"

no_mounts "after the prunes"
finish

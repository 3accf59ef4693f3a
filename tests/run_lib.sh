# Shared setup of the `distill run` end-to-end tests (sourced after lib.sh):
# a temporary store with a busybox image (static /bin/busybox from the host)
# imported as "bb" (CMD ["sh"]), and a cleanup that kills every container and
# checks that nothing is left mounted before the store is deleted.
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 0; }
[ -x /bin/busybox ] || { echo "SKIP: needs /bin/busybox"; exit 0; }
export DISTILL_ROOT="$TMP/store"
ROOTFS="$TMP/rootfs"
mkdir -p "$ROOTFS/bin" "$ROOTFS/etc" "$ROOTFS/tmp" "$ROOTFS/mnt" "$ROOTFS/www"
cp /bin/busybox "$ROOTFS/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$ROOTFS/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' \
  >"$ROOTFS/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOTFS/etc/group"
echo "served by busybox" >"$ROOTFS/www/index.html"
tar -C "$ROOTFS" -cf "$TMP/rootfs.tar" .
"$DISTILL" import "$TMP/rootfs.tar" bb -c 'CMD ["sh"]' >/dev/null || { echo "import failed"; exit 1; }

run_cleanup() {
  for c in $("$DISTILL" ps -aq 2>/dev/null); do "$DISTILL" rm -f "$c" >/dev/null 2>&1; done
  if grep -q "$DISTILL_ROOT" /proc/self/mountinfo; then
    echo "FAIL: mounts left under $DISTILL_ROOT" >&2
    grep "$DISTILL_ROOT" /proc/self/mountinfo | awk '{print $5}' | sort -r |
      while read -r m; do umount -l "$m"; done
  fi
  rm -rf "$TMP"
}
trap run_cleanup EXIT

# no_mounts DESCRIPTION: nothing of the store is mounted.
no_mounts() {
  if grep -q "$DISTILL_ROOT" /proc/self/mountinfo; then fail "$1: mounts left"; else pass; fi
}
# wait_for CMD...: retries CMD (100 ms apart, 10 s at most) until it succeeds.
wait_for() {
  for _ in $(seq 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}

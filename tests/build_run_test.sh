#!/usr/bin/env bash
# `distill build` end to end, the RUN environment and the image: USER,
# WORKDIR and ENV as RUN sees them, the config the image gets (labels, CMD,
# history), secrets that reach neither a layer, the config nor the log,
# SOURCE_DATE_EPOCH reproducibility across two clean stores, and the archive
# outputs. Needs root (overlay mounts, namespaces).
source "$(dirname "$0")/lib.sh"

unset SOURCE_DATE_EPOCH
make_busybox_tar() {
  local r="$TMP/bbroot"
  mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/root" "$r/home/app"
  cp /bin/busybox "$r/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$r/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' >"$r/etc/passwd"
  printf 'root:x:0:\napp:x:1000:\n' >"$r/etc/group"
  chown 1000:1000 "$r/home/app"
  chmod 1777 "$r/tmp"
  # Fixed mtimes: the base is the same in every store.
  find "$r" -exec touch -h -d @1600000000 {} +
  tar -C "$r" --sort=name -cf "$TMP/busybox.tar" .
}
no_leftover_mounts() {
  if grep -q "$1" /proc/self/mountinfo; then fail "mounts left under $1"; else pass; fi
}
make_busybox_tar
export DISTILL_ROOT="$TMP/store"
run "$DISTILL" import "$TMP/busybox.tar" busybox:test
expect_rc 0 "import the busybox base"

CTX="$TMP/ctx"
mkdir -p "$CTX"
cat >"$CTX/Dockerfile" <<'DF'
FROM busybox:test
ENV GREETING="hello world" APPDIR=/srv/app
WORKDIR $APPDIR
RUN echo "uid=$(id -u) pwd=$(pwd) greeting=$GREETING path=$PATH root-home=$HOME"
USER app
WORKDIR sub
RUN echo "uid=$(id -u) gid=$(id -g) pwd=$(pwd) home=$HOME" && touch mine && ls -ln mine
RUN --mount=type=secret,id=token,uid=1000 sh -c 'echo "secret-len=$(wc -c < /run/secrets/token)"'
RUN --mount=type=secret,id=token,env=TOKEN_ENV sh -c 'test -n "$TOKEN_ENV" && echo env-secret-ok'
LABEL from=dockerfile
CMD ["sh", "-c", "echo run"]
DF
printf 'TOPSECRET-VALUE-42' >"$TMP/token"
run "$DISTILL" build --progress plain --secret "id=token,src=$TMP/token" --label extra=yes \
  --iidfile "$TMP/iid" -t env:1 "$CTX"
expect_rc 0 "build with USER/WORKDIR/ENV and a secret"
expect_err "uid=0 pwd=/srv/app greeting=hello world path=/usr/local/sbin" "root RUN sees ENV, WORKDIR and the default PATH"
expect_err "uid=1000 gid=1000 pwd=/srv/app/sub home=/home/app" "USER app RUN sees its ids, WORKDIR and HOME"
expect_err "root-home=/root" "without USER, RUN runs as root with root's HOME from /etc/passwd"
expect_err "1000     1000" "files a USER RUN makes are its own"
expect_err "secret-len=18" "the secret is readable at /run/secrets/token"
expect_err "env-secret-ok" "the secret reaches env="
if [[ "$ERR" != *TOPSECRET* ]]; then pass; else fail "the secret value is in the log"; fi
IID=$(echo "$OUT" | tail -1)
if [ "$(cat "$TMP/iid")" = "$IID" ]; then pass; else fail "--iidfile holds the image ID"; fi

run "$DISTILL" inspect env:1
expect_rc 0 "inspect the built image"
expect_out '"WorkingDir": "/srv/app/sub"' "config WorkingDir"
expect_out '"User": "app"' "config User"
expect_out 'GREETING=hello world' "config Env"
expect_out '"extra": "yes"' "--label lands in the config"
expect_out '"from": "dockerfile"' "LABEL lands in the config"
if [[ "$OUT" != *TOPSECRET* ]]; then pass; else fail "the secret value is in the config"; fi

run "$DISTILL" save -o "$TMP/env.tar" env:1
expect_rc 0 "save the image"
mkdir -p "$TMP/unpacked"
tar -C "$TMP/unpacked" -xf "$TMP/env.tar"
found=0
for blob in $(find "$TMP/unpacked" -type f); do
  if (zcat -f "$blob" 2>/dev/null || cat "$blob") | grep -qa "TOPSECRET"; then found=1; fi
  if (zcat -f "$blob" 2>/dev/null || cat "$blob") | tar -t 2>/dev/null | grep -q "run/secrets"; then found=1; fi
done
if [ "$found" -eq 0 ]; then pass; else fail "the secret (or its mount point) is in a saved blob"; fi

# A required secret that was not given fails the step, naming the id.
printf 'FROM busybox:test\nRUN --mount=type=secret,id=missing,required=true cat /run/secrets/missing\n' >"$CTX/Dockerfile.req"
run "$DISTILL" build -q -f "$CTX/Dockerfile.req" "$CTX"
expect_rc 1 "missing required secret"
expect_err "secret missing is required" "the missing secret is named"

# --network=none: only loopback.
printf 'FROM busybox:test\nRUN --network=none sh -c "ls /sys/class/net; cat /proc/net/dev | grep -c :"\n' >"$CTX/Dockerfile.net"
run "$DISTILL" build --progress plain -f "$CTX/Dockerfile.net" "$CTX"
expect_rc 0 "RUN --network=none"
expect_err "lo" "loopback exists in a none network"

# Outputs: docker and OCI archives, as transport writes them.
run "$DISTILL" build -q --output "type=docker,dest=$TMP/out-docker.tar" \
  --output "type=oci,dest=$TMP/out-oci.tar" "$CTX" --secret "id=token,src=$TMP/token"
expect_rc 0 "build with archive outputs"
if tar -tf "$TMP/out-docker.tar" | grep -q manifest.json; then pass; else fail "docker archive"; fi
if tar -tf "$TMP/out-oci.tar" | grep -q index.json; then pass; else fail "oci archive"; fi
no_leftover_mounts "$DISTILL_ROOT"

# RUN --mount: bind from the context (read-only) and from another stage (rw
# changes discarded), tmpfs; none of them leave a trace in the layer.
echo "ctx-file-content" >"$CTX/hello.txt"
cat >"$CTX/Dockerfile.mounts" <<'DF'
FROM busybox:test AS tools
RUN mkdir -p /opt/tool && echo tool-v1 > /opt/tool/version
FROM busybox:test
RUN --mount=type=bind,target=/ctx cat /ctx/hello.txt && (touch /ctx/x 2>/dev/null && echo ctx-writable || echo ctx-readonly)
RUN --mount=type=bind,from=tools,source=/opt/tool,target=/t,rw cat /t/version && echo changed > /t/version
RUN --mount=type=bind,from=tools,source=/opt/tool,target=/t cat /t/version
RUN --mount=type=tmpfs,target=/scratch echo temp > /scratch/f && cat /scratch/f
DF
run "$DISTILL" build --progress plain -t mounts:1 -f "$CTX/Dockerfile.mounts" "$CTX"
expect_rc 0 "build with bind and tmpfs mounts"
expect_err "ctx-file-content" "context bind is readable"
expect_err "ctx-readonly" "context bind is read-only"
if [ "$(echo "$ERR" | grep -c 'tool-v1')" -ge 2 ]; then pass; else fail "a rw bind's changes must be discarded: $ERR"; fi
expect_err "temp" "tmpfs is writable"
run "$DISTILL" build -q --output "type=local,dest=$TMP/mounts-out" -f "$CTX/Dockerfile.mounts" "$CTX"
expect_rc 0 "export the mounts image"
if [ ! -e "$TMP/mounts-out/ctx" ] && [ ! -e "$TMP/mounts-out/t" ] && [ ! -e "$TMP/mounts-out/scratch" ]; then
  pass
else
  fail "mount points leaked into the image: $(ls "$TMP/mounts-out")"
fi
no_leftover_mounts "$DISTILL_ROOT"

# RUN heredocs: a heredoc as the whole script, and one fed to a command.
printf 'FROM busybox:test\nRUN <<EOF\necho heredoc-line-1\necho heredoc-line-2\nEOF\nRUN cat <<X > /f && cat /f\nfile-from-heredoc\nX\n' >"$CTX/Dockerfile.heredoc"
run "$DISTILL" build --progress plain -f "$CTX/Dockerfile.heredoc" "$CTX"
expect_rc 0 "RUN heredocs"
expect_err "heredoc-line-2" "a heredoc-only RUN runs its body"
expect_err "file-from-heredoc" "a heredoc feeds the command's stdin"

# .dockerignore: an ignored file is not copied, and editing it keeps the cache.
mkdir -p "$TMP/ign"
printf 'FROM busybox:test\nCOPY . /ctx\nRUN ls /ctx\n' >"$TMP/ign/Dockerfile"
printf 'secret.env\n' >"$TMP/ign/.dockerignore"
echo kept >"$TMP/ign/kept.txt"
echo v1 >"$TMP/ign/secret.env"
run "$DISTILL" build --progress plain --output "type=local,dest=$TMP/ign-out" "$TMP/ign"
expect_rc 0 "build with a .dockerignore"
if [ -f "$TMP/ign-out/ctx/kept.txt" ] && [ ! -e "$TMP/ign-out/ctx/secret.env" ]; then pass; else
  fail "the ignored file must not be copied: $(ls -a "$TMP/ign-out/ctx")"; fi
echo v2 >"$TMP/ign/secret.env"
run "$DISTILL" build --progress plain "$TMP/ign"
expect_rc 0 "rebuild after editing an ignored file"
if [ "$(echo "$ERR" | grep -c CACHED)" -eq 2 ]; then pass; else fail "editing an ignored file must keep the cache: $ERR"; fi

# SOURCE_DATE_EPOCH: two clean stores, the same inputs, the same image digest.
cat >"$CTX/Dockerfile.repro" <<'DF'
FROM busybox:test
RUN mkdir -p /data && echo content > /data/file && touch /data/stamped
COPY Dockerfile.repro /copied
DF
for n in 1 2; do
  export DISTILL_ROOT="$TMP/repro$n"
  SOURCE_DATE_EPOCH=1600000000 "$DISTILL" import "$TMP/busybox.tar" busybox:test >/dev/null 2>&1
  run env SOURCE_DATE_EPOCH=1700000000 "$DISTILL" build -q -f "$CTX/Dockerfile.repro" "$CTX"
  expect_rc 0 "reproducible build $n"
  eval "REPRO$n=\$(echo \"\$OUT\" | tail -1)"
  no_leftover_mounts "$DISTILL_ROOT"
done
if [ -n "$REPRO1" ] && [ "$REPRO1" = "$REPRO2" ]; then pass; else
  fail "SOURCE_DATE_EPOCH builds differ: $REPRO1 vs $REPRO2"; fi
finish

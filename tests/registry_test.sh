#!/usr/bin/env bash
# distill pull/push/login/logout and build --push/--pull against real
# registries on 127.0.0.1 (Debian's docker-registry, the reference
# distribution implementation): anonymous plain HTTP, htpasswd Basic auth over
# TLS with a private CA, a Bearer token service, a proxy that corrupts blobs,
# a mirror, and interop with skopeo both ways.
source "$(dirname "$0")/lib.sh"

for tool in docker-registry skopeo htpasswd openssl python3; do
  if ! command -v "$tool" >/dev/null; then echo "SKIP: $tool not installed"; exit 0; fi
done
HERE=$(cd "$(dirname "$0")" && pwd)

# Nothing of the user's: credentials, config and certificates live under $TMP.
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/config" DOCKER_CONFIG="$TMP/docker"
export DISTILL_CERTS_D="$TMP/certs.d" DISTILL_ROOT="$TMP/store"
unset DISTILL_AUTH_FILE DISTILL_REGISTRIES_CONFIG
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$DOCKER_CONFIG" "$DISTILL_CERTS_D"
AUTH_FILE="$XDG_CONFIG_HOME/distill/auth.json"
PASSWORD="pw-$RANDOM-s3cr3t"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {  # wait_port PORT: until something listens
  for _ in $(seq 100); do
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),0.2)" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on $1" >&2; return 1
}
# start_registry NAME PORT [YAML for the auth/tls sections]
start_registry() {
  local dir="$TMP/reg-$1"
  mkdir -p "$dir/data"
  cat >"$dir/config.yml" <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$2
${3:-}
YML
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  PIDS+=($!)
  wait_port "$2"
}
# Everything distill printed in this test, to check that no secret leaked.
ALL_OUTPUT="$TMP/all-output"
trun() { run "$@"; printf '%s\n%s\n' "$OUT" "$ERR" >>"$ALL_OUTPUT"; }
manifest_digest() {  # manifest_digest skopeo-args... : the digest skopeo sees
  skopeo inspect "$@" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["Digest"])'
}

# --- an image to move around: a busybox rootfs in two layers -------------------
mkdir -p "$TMP/rootfs/bin" "$TMP/rootfs/etc" "$TMP/ctx"
cp "$(command -v busybox)" "$TMP/rootfs/bin/busybox"
echo "hello registry" >"$TMP/rootfs/etc/greeting"
tar -C "$TMP/rootfs" -czf "$TMP/rootfs.tar.gz" .
trun "$DISTILL" import "$TMP/rootfs.tar.gz" regtest:1 --change 'CMD ["/bin/busybox","sh"]'
expect_rc 0 "import the test image"
IMAGE_ID=$OUT

# === anonymous registry over plain HTTP (loopback) ============================
P1=$(free_port); start_registry plain "$P1"
R1="127.0.0.1:$P1"
trun "$DISTILL" push regtest:1 "$R1/test/app:1"
expect_rc 0 "push to an anonymous registry"
PUSHED=$OUT
if [ "$PUSHED" = "$IMAGE_ID" ]; then pass; else fail "pushed digest $PUSHED is the image ID $IMAGE_ID"; fi
expect_err "digest: $PUSHED" "push reports the digest"
if [ "$(manifest_digest --tls-verify=false "docker://$R1/test/app:1")" = "$PUSHED" ]; then pass; else fail "skopeo sees the pushed digest"; fi

# Pull into an empty store: the same image ID; a second pull fetches nothing.
trun env DISTILL_ROOT="$TMP/store2" "$DISTILL" pull "$R1/test/app:1"
expect_rc 0 "pull into an empty store"
if [ "$OUT" = "$IMAGE_ID" ]; then pass; else fail "pulled image ID $OUT, want $IMAGE_ID"; fi
expect_err "2 of 2 blobs to fetch" "first pull fetches config and layer"
trun env DISTILL_ROOT="$TMP/store2" "$DISTILL" pull "$R1/test/app:1"
expect_err "0 of 2 blobs to fetch" "second pull fetches nothing"
trun env DISTILL_ROOT="$TMP/store2" "$DISTILL" images
expect_out "$R1/test/app" "pulled image is listed under its name"
trun env DISTILL_ROOT="$TMP/store2" "$DISTILL" pull "$R1/test/app@$PUSHED"
expect_rc 0 "pull by digest"
trun env DISTILL_ROOT="$TMP/store2" "$DISTILL" run --rm "$R1/test/app:1" /bin/busybox cat /etc/greeting
expect_rc 0 "the pulled image runs"
expect_out "hello registry" "the pulled image has its files"

# Chunked upload (POST, PATCH..., PUT ?digest=) gives the same manifest.
trun env DISTILL_PUSH_CHUNK_SIZE=65536 "$DISTILL" push regtest:1 "$R1/test/chunked:1"
expect_rc 0 "chunked push"
if [ "$OUT" = "$PUSHED" ]; then pass; else fail "chunked push digest $OUT"; fi
if [ "$(manifest_digest --tls-verify=false "docker://$R1/test/chunked:1")" = "$PUSHED" ]; then pass; else fail "skopeo reads the chunked push"; fi

# Cross-repository mount: store2 knows the blobs came from test/app.
trun env DISTILL_ROOT="$TMP/store2" "$DISTILL" push "$R1/test/app:1" "$R1/test/mounted:1"
expect_rc 0 "push with mounts"
expect_err "2 mounted" "blobs mounted from test/app"

# Errors: an image ID without a destination, a missing tag, an unreachable registry.
trun "$DISTILL" push "$IMAGE_ID"
expect_rc 1 "an image ID alone is not pushed"
expect_err "give a destination" "pushing an ID asks for a destination"
trun "$DISTILL" pull "$R1/test/app:nope"
expect_rc 1 "missing tag fails"
expect_err "$R1/test/app" "missing tag names the repository"
expect_err "not found" "missing tag says not found"
DEAD=$(free_port)
trun "$DISTILL" pull "127.0.0.1:$DEAD/test/app:1"
expect_rc 1 "unreachable registry fails"
expect_err "cannot reach registry 127.0.0.1:$DEAD" "unreachable registry is named"

# Mirrors: a dead registry whose mirror has the image.
printf '{"registries":{"127.0.0.1:%s":{"mirrors":["%s"]}}}\n' "$DEAD" "$R1" >"$TMP/registries.json"
trun env DISTILL_REGISTRIES_CONFIG="$TMP/registries.json" DISTILL_ROOT="$TMP/store-mirror" \
  "$DISTILL" pull "127.0.0.1:$DEAD/test/app:1"
expect_rc 0 "pull through a mirror"
if [ "$OUT" = "$IMAGE_ID" ]; then pass; else fail "mirror pull gave $OUT"; fi

# === interop with skopeo ======================================================
run skopeo copy --src-tls-verify=false "docker://$R1/test/app:1" "oci:$TMP/skopeo-layout:1"
expect_rc 0 "skopeo copy pulls what distill pushed"
run skopeo copy --dest-tls-verify=false "oci:$TMP/skopeo-layout:1" "docker://$R1/skopeo/img:1"
expect_rc 0 "skopeo copy pushes"
SKOPEO_DIGEST=$(manifest_digest --tls-verify=false "docker://$R1/skopeo/img:1")
trun env DISTILL_ROOT="$TMP/store3" "$DISTILL" pull "$R1/skopeo/img:1"
expect_rc 0 "distill pulls what skopeo pushed"
if [ "$OUT" = "$SKOPEO_DIGEST" ]; then pass; else fail "distill pulled $OUT, skopeo pushed $SKOPEO_DIGEST"; fi
# A Docker schema 2 image (skopeo converts on push) is pulled as it is.
run skopeo copy --dest-tls-verify=false --format v2s2 "oci:$TMP/skopeo-layout:1" "docker://$R1/skopeo/docker:1"
expect_rc 0 "skopeo pushes a Docker v2s2 manifest"
trun env DISTILL_ROOT="$TMP/store3" "$DISTILL" pull "$R1/skopeo/docker:1"
expect_rc 0 "distill pulls a Docker schema 2 image"
if [ "$OUT" = "$(manifest_digest --tls-verify=false "docker://$R1/skopeo/docker:1")" ]; then pass; else fail "Docker manifest digest kept"; fi

# === a proxy that corrupts blobs ===============================================
PX=$(free_port)
python3 "$HERE/registry_corrupt_proxy.py" "$PX" "$P1" &
PIDS+=($!)
wait_port "$PX"
trun env DISTILL_ROOT="$TMP/store-corrupt" "$DISTILL" pull "127.0.0.1:$PX/test/app:1"
expect_rc 1 "a corrupt blob fails the pull"
expect_err "arrived with digest" "the corrupt blob is named"
trun env DISTILL_ROOT="$TMP/store-corrupt" "$DISTILL" images -q
if [ -z "$OUT" ]; then pass; else fail "nothing is tagged after a corrupt pull: $OUT"; fi
if [ -z "$(ls "$TMP/store-corrupt/blobs/sha256" 2>/dev/null)" ]; then pass; else fail "no blob is stored after a corrupt pull"; fi

# === build: FROM a registry image, --push, --pull policy =======================
printf 'FROM %s/test/app:1\nCOPY note /etc/note\nCMD ["/bin/busybox","cat","/etc/note"]\n' "$R1" >"$TMP/ctx/Dockerfile"
echo "built on a pulled base" >"$TMP/ctx/note"
trun env DISTILL_ROOT="$TMP/store-build" "$DISTILL" build --progress plain --pull=never -t built "$TMP/ctx"
expect_rc 1 "--pull=never with a base the store lacks fails"
trun env DISTILL_ROOT="$TMP/store-build" "$DISTILL" build --progress plain --base-source registry \
  --push -t "$R1/test/built:1" "$TMP/ctx"
expect_rc 0 "build FROM a registry image with --push"
expect_err "pulling from its registry" "the base was pulled"
BUILT=$(tail -n1 <<<"$OUT")
if [ "$(manifest_digest --tls-verify=false "docker://$R1/test/built:1")" = "$BUILT" ]; then pass; else fail "--push pushed the built image $BUILT"; fi
trun env DISTILL_ROOT="$TMP/store-build" "$DISTILL" build --progress plain --pull=always -t again "$TMP/ctx"
expect_rc 0 "--pull=always rebuilds with the base checked again"
expect_err "0 of 2 blobs to fetch" "--pull=always asks the registry, fetches nothing new"

# === htpasswd Basic auth over TLS with a private CA ==============================
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=distill test CA" \
  -keyout "$TMP/ca.key" -out "$TMP/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$TMP/tls.key" -out "$TMP/tls.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$TMP/san.ext"
openssl x509 -req -in "$TMP/tls.csr" -CA "$TMP/ca.crt" -CAkey "$TMP/ca.key" -CAcreateserial \
  -days 2 -extfile "$TMP/san.ext" -out "$TMP/tls.crt" 2>/dev/null
htpasswd -Bbn alice "$PASSWORD" >"$TMP/htpasswd"
P2=$(free_port)
start_registry tls "$P2" "  tls:
    certificate: $TMP/tls.crt
    key: $TMP/tls.key
auth:
  htpasswd:
    realm: distill-test
    path: $TMP/htpasswd"
R2="127.0.0.1:$P2"
trun "$DISTILL" push regtest:1 "$R2/secure/app:1"
expect_rc 1 "an unknown CA is refused"
expect_err "certs.d" "the TLS error says where the CA goes"
mkdir -p "$DISTILL_CERTS_D/$R2" && cp "$TMP/ca.crt" "$DISTILL_CERTS_D/$R2/ca.crt"
trun "$DISTILL" push regtest:1 "$R2/secure/app:1"
expect_rc 1 "push without credentials fails"
expect_err "unauthorized" "401 says unauthorized"
expect_err "distill login $R2" "401 says how to log in"
trun sh -c "echo wrong-password | '$DISTILL' login -u alice --password-stdin $R2"
expect_rc 1 "login with a wrong password fails"
if [ ! -e "$AUTH_FILE" ]; then pass; else fail "a refused login stores nothing"; fi
trun sh -c "echo '$PASSWORD' | '$DISTILL' login -u alice --password-stdin $R2"
expect_rc 0 "login"
expect_out "Login Succeeded" "login reports success"
if [ "$(stat -c %a "$AUTH_FILE" 2>/dev/null)" = "600" ]; then pass; else fail "auth file is 0600"; fi
trun "$DISTILL" push regtest:1 "$R2/secure/app:1"
expect_rc 0 "push over TLS with Basic auth"
if [ "$OUT" = "$IMAGE_ID" ]; then pass; else fail "TLS push digest $OUT"; fi
trun env DISTILL_ROOT="$TMP/store-tls" "$DISTILL" pull "$R2/secure/app:1"
expect_rc 0 "pull over TLS with Basic auth"
if [ "$OUT" = "$IMAGE_ID" ]; then pass; else fail "TLS pull digest $OUT"; fi
trun "$DISTILL" logout "$R2"
expect_rc 0 "logout"
trun env DISTILL_ROOT="$TMP/store-tls2" "$DISTILL" pull "$R2/secure/app:1"
expect_rc 1 "after logout the registry refuses"
# Docker's config.json works too, and so does a credential helper.
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$R2" "$(printf 'alice:%s' "$PASSWORD" | base64 -w0)" >"$DOCKER_CONFIG/config.json"
trun env DISTILL_ROOT="$TMP/store-tls2" "$DISTILL" pull "$R2/secure/app:1"
expect_rc 0 "credentials from Docker's config.json"
mkdir -p "$TMP/bin"
cat >"$TMP/bin/docker-credential-distilltest" <<HELPER
#!/bin/sh
read server
[ "\$1" = get ] && [ "\$server" = "$R2" ] || exit 1
printf '{"ServerURL":"%s","Username":"alice","Secret":"%s"}' "\$server" "$PASSWORD"
HELPER
chmod +x "$TMP/bin/docker-credential-distilltest"
printf '{"credHelpers":{"%s":"distilltest"}}\n' "$R2" >"$DOCKER_CONFIG/config.json"
trun env PATH="$TMP/bin:$PATH" DISTILL_ROOT="$TMP/store-tls3" "$DISTILL" pull "$R2/secure/app:1"
expect_rc 0 "credentials from a credential helper"
rm -f "$DOCKER_CONFIG/config.json"

# === Bearer tokens from a token service ========================================
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=token signer" \
  -keyout "$TMP/token.key" -out "$TMP/token.crt" 2>/dev/null
PT=$(free_port); P3=$(free_port)
python3 "$HERE/registry_token_server.py" "$PT" "$TMP/token.key" distill-test-issuer alice "$PASSWORD" "$TMP/token.log" &
PIDS+=($!)
wait_port "$PT"
start_registry bearer "$P3" "auth:
  token:
    realm: http://127.0.0.1:$PT/token
    service: distill-test-registry
    issuer: distill-test-issuer
    rootcertbundle: $TMP/token.crt"
R3="127.0.0.1:$P3"
trun "$DISTILL" push regtest:1 "$R3/tok/app:1"
expect_rc 1 "anonymous push to a token registry is refused"
expect_err "distill login $R3" "the refusal says how to log in"
trun sh -c "echo '$PASSWORD' | '$DISTILL' login -u alice --password-stdin $R3"
expect_rc 0 "login to a token registry"
BEFORE=$(wc -l <"$TMP/token.log")
trun "$DISTILL" push regtest:1 "$R3/tok/app:1"
expect_rc 0 "push with a Bearer token"
if [ "$OUT" = "$IMAGE_ID" ]; then pass; else fail "token push digest $OUT"; fi
# One token for the push scope, reused for every blob check, upload and the manifest.
ISSUED=$(tail -n +"$((BEFORE + 1))" "$TMP/token.log" | grep -c '"issued": true')
if [ "$ISSUED" -eq 1 ]; then pass; else fail "one token serves the whole push ($ISSUED issued)"; fi
trun "$DISTILL" logout "$R3"
trun env DISTILL_ROOT="$TMP/store-tok" "$DISTILL" pull "$R3/tok/app:1"
expect_rc 0 "anonymous pull with a Bearer token"
if [ "$OUT" = "$IMAGE_ID" ]; then pass; else fail "token pull digest $OUT"; fi
if grep -q '"authorization": false, "issued": true' "$TMP/token.log"; then pass; else fail "an anonymous token was issued"; fi

# === no secret in anything distill printed ====================================
if grep -qF "$PASSWORD" "$ALL_OUTPUT"; then fail "the password appears in distill's output"; else pass; fi
if grep -qF "$(printf 'alice:%s' "$PASSWORD" | base64 -w0)" "$ALL_OUTPUT"; then fail "the Basic credentials appear in distill's output"; else pass; fi

finish

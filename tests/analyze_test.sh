#!/usr/bin/env bash
# `distill analyze` end to end over images made with `distill import`: a "fat"
# image (shell, package manager, compiler, setuid, world-writable dir, secrets,
# root) and a distroless-like one (no shell, USER 65532) that passes --fail-on.
source "$(dirname "$0")/lib.sh"

export DISTILL_ROOT="$TMP/store"
FAT="$TMP/fat"
mkdir -p "$FAT/bin" "$FAT/usr/bin" "$FAT/srv/drop" "$FAT/root/.ssh" "$FAT/app" "$FAT/tmp"
printf '#!/bin/true\n' >"$FAT/bin/sh"
printf 'apt' >"$FAT/usr/bin/apt"
printf 'gcc' >"$FAT/usr/bin/gcc"
printf 'su' >"$FAT/usr/bin/su"
chmod 4755 "$FAT/usr/bin/su"
chmod 0777 "$FAT/srv/drop"
chmod 1777 "$FAT/tmp"
echo "-----BEGIN OPENSSH PRIVATE KEY-----" >"$FAT/root/.ssh/id_rsa"
echo "TOKEN=x" >"$FAT/app/.env"
head -c 200000 /dev/zero >"$FAT/app/big.bin"
cp "$FAT/app/big.bin" "$FAT/app/copy.bin"
tar -C "$FAT" -cf "$TMP/fat.tar" .

SLIM="$TMP/slim"
mkdir -p "$SLIM/app" "$SLIM/etc"
printf 'server' >"$SLIM/app/server"
chmod 0755 "$SLIM/app/server"
echo "nonroot:x:65532:65532::/home/nonroot:/sbin/nologin" >"$SLIM/etc/passwd"
tar -C "$SLIM" -cf "$TMP/slim.tar" .

run "$DISTILL" import "$TMP/fat.tar" fat:test
expect_rc 0 "import the fat image"
run "$DISTILL" import "$TMP/slim.tar" slim:test -c 'USER 65532'
expect_rc 0 "import the distroless-like image"

run "$DISTILL" analyze fat:test
expect_rc 0 "analyze without --fail-on succeeds"
expect_out "shell: /bin/sh" "shell found"
expect_out "package-manager: /usr/bin/apt" "package manager found"
expect_out "compiler: /usr/bin/gcc" "compiler found"
expect_out "setuid: /usr/bin/su" "setuid found"
expect_out "world-writable: /srv/drop" "world-writable dir found"
expect_out "secrets: /root/.ssh/id_rsa" "private key found"
expect_out "secrets: /app/.env" "dotenv found"
expect_out "runs as root" "root found"
expect_out "/app/big.bin" "largest files listed"
expect_out "Duplicated: 200kB in 1 set" "duplicate copy found"
expect_out "findings: shell, package manager, compiler, setuid, world writable, root, secrets" \
  "verdict lists the categories"
if echo "$OUT" | grep -q "world-writable: /tmp"; then fail "/tmp is not a finding"; else pass; fi

run "$DISTILL" analyze fat:test --fail-on shell,root
expect_rc 1 "--fail-on shell,root fails the fat image"
expect_err "--fail-on matched" "failure is explained"

run "$DISTILL" analyze fat:test --fail-on bogus
expect_rc 1 "unknown --fail-on category"
expect_err 'unknown category "bogus"' "bad category is named"

run "$DISTILL" analyze fat:test --format json
expect_rc 0 "json output"
if echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["layers"][0]["index"]==0; assert any(f["category"]=="shell" and f["layer"]==0 for f in d["findings"]); assert d["duplicates"]["bytes"]==200000'; then
  pass
else
  fail "json report has layers, findings with layers and duplicates"
fi

run "$DISTILL" analyze slim:test --fail-on shell,package-manager,root
expect_rc 0 "distroless-like image passes --fail-on"
expect_out "distroless-grade: no shell, no package manager, non-root" "clean verdict"
expect_out "User: 65532" "user shown"

run "$DISTILL" analyze no-such:image
expect_rc 1 "missing image"
expect_err "no-such:image" "missing image is named"

# --- sbom: dpkg status (2 installed + 1 removed), status.d, Python dist-info, Go binary
PKG="$TMP/pkgs"
mkdir -p "$PKG/var/lib/dpkg/status.d" "$PKG/usr/lib/python3/dist-packages/six-1.16.0.dist-info" \
  "$PKG/usr/local/bin"
cat >"$PKG/var/lib/dpkg/status" <<'STATUS'
Package: libc6
Status: install ok installed
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u4

Package: base-files
Status: install ok installed
Architecture: amd64
Version: 12.4+deb12u5

Package: removed-one
Status: deinstall ok config-files
Version: 1.0
STATUS
printf 'Package: foo\nVersion: 1.2-3\nArchitecture: all\n' >"$PKG/var/lib/dpkg/status.d/foo"
printf 'Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n' \
  >"$PKG/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA"
HAVE_GO=0
if command -v go >/dev/null 2>&1; then
  mkdir -p "$TMP/gosrc"
  printf 'module example.com/hello\n\ngo 1.18\n' >"$TMP/gosrc/go.mod"
  printf 'package main\n\nfunc main() { println("hi") }\n' >"$TMP/gosrc/main.go"
  if (cd "$TMP/gosrc" && HOME="$TMP" GOCACHE="$TMP/gocache" GOTOOLCHAIN=local \
      go build -o "$PKG/usr/local/bin/hello" . >/dev/null 2>&1); then
    HAVE_GO=1
  fi
fi
tar -C "$PKG" -cf "$TMP/pkgs.tar" .
run "$DISTILL" import "$TMP/pkgs.tar" pkgs:test -c 'USER 65532'
expect_rc 0 "import the package image"

run "$DISTILL" sbom pkgs:test -o "$TMP/spdx.json"
expect_rc 0 "sbom spdx to a file"
for purl in 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64' 'pkg:deb/debian/base-files@' \
  'pkg:deb/debian/foo@1.2-3?arch=all' 'pkg:pypi/six@1.16.0'; do
  if grep -qF "$purl" "$TMP/spdx.json"; then pass; else fail "spdx lists $purl"; fi
done
if grep -q removed-one "$TMP/spdx.json"; then fail "removed package listed"; else pass; fi
if [ "$HAVE_GO" = 1 ]; then
  if grep -qF 'pkg:golang/example.com/hello' "$TMP/spdx.json"; then pass; else
    fail "go binary's main module listed"
  fi
fi
run "$DISTILL" sbom pkgs:test --format cyclonedx-json -o "$TMP/cdx.json"
expect_rc 0 "sbom cyclonedx to a file"
if python3 -c 'import jsonschema' 2>/dev/null; then
  run python3 "$DISTILL_SOURCE_DIR/tests/sbom_schema_check.py" spdx "$TMP/spdx.json"
  expect_rc 0 "SPDX document has the SPDX 2.3 required structure"
  run python3 "$DISTILL_SOURCE_DIR/tests/sbom_schema_check.py" cyclonedx "$TMP/cdx.json"
  expect_rc 0 "CycloneDX document has the 1.5 required structure"
  echo '{"bomFormat":"CycloneDX","specVersion":"1.4"}' >"$TMP/bad.json"
  run python3 "$DISTILL_SOURCE_DIR/tests/sbom_schema_check.py" cyclonedx "$TMP/bad.json"
  expect_rc 1 "the schema check rejects a bad document"
else
  echo "analyze_test: python3-jsonschema missing; SBOM schema checks skipped" >&2
fi
run "$DISTILL" sbom pkgs:test --format cyclonedx-json
expect_rc 0 "sbom to stdout"
expect_out '"specVersion": "1.5"' "cyclonedx on stdout"

# --- diff
run "$DISTILL" diff fat:test pkgs:test
expect_rc 0 "diff"
ADDED=$((4 + 2 * HAVE_GO))  # the Go binary adds its main module and stdlib
expect_out "Packages: $ADDED added, 0 removed, 0 changed" "packages added counted"
expect_out "+ libc6 2.36-9+deb12u4" "added package listed"
expect_out "- /app/big.bin" "removed file listed"
expect_out "shell" "attack surface side by side"
run "$DISTILL" diff fat:test pkgs:test --format json
expect_rc 0 "diff json"
if echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["files"]["removedCount"] > 0; assert d["a"]["verdict"] != d["b"]["verdict"]'; then
  pass
else
  fail "diff json has counts and verdicts"
fi
run "$DISTILL" diff fat:test no-such:image
expect_rc 1 "diff with a missing image"
expect_err "no-such:image" "missing image named"

finish

#!/usr/bin/env bash
# distill image build: recipe errors name file and line; the example recipe
# (distroless static + busybox-static streamed in, an account, a script from
# beside the recipe) builds reproducibly and runs in distill's sandbox; a
# debian-slim recipe (trixie, hello apt-get installed) builds and runs (about
# 2.5 minutes: a full bootstrap).
source "$(dirname "$0")/lib.sh"
export DISTILL_ROOT="$TMP/store"

# Errors: an unknown key, a missing src file — each names file:line.
cat >"$TMP/bad.yaml" <<'YAML'
version: 1
release: 12
base: distroless/static
pakages: [curl]
YAML
run "$DISTILL" image build "$TMP/bad.yaml"
expect_rc 1 "unknown key"
expect_err "$TMP/bad.yaml:4: unknown key \"pakages\"" "unknown key error"
cat >"$TMP/nofile.yaml" <<'YAML'
version: 1
release: 12
base: distroless/static
files:
  - {src: absent.sh, dest: /absent.sh}
YAML
run "$DISTILL" image build "$TMP/nofile.yaml"
expect_rc 1 "missing src"
expect_err "$TMP/nofile.yaml:5: src $TMP/absent.sh is not a readable regular file" "src error"
run "$DISTILL" image build --help
expect_out "distill image build" "help has examples"

# The example recipe, built twice: same digest.
recipe="$DISTILL_SOURCE_DIR/examples/recipes/busybox-hello.yaml"
run "$DISTILL" image build "$recipe"
if [ "$RC" -ne 0 ] && [[ "$ERR" =~ unavailable|resolve|connect|timed\ out ]]; then
  echo "skipped: mirror unreachable: $ERR"
  finish
  exit $?
fi
expect_rc 0 "build the example recipe"
expect_out "docker.io/example/busybox-hello:1" "tagged as the recipe says"
expect_err "adding the recipe's layer" "progress"
first=${OUT%% *}
run "$DISTILL" image build "$recipe" -t example/again:1
expect_rc 0 "rebuild"
[ "${OUT%% *}" = "$first" ] && pass || fail "not reproducible: $first vs $OUT"

# It runs: env, user, workdir, the account and its home.
run "$DISTILL" run --rm example/busybox-hello:1
expect_rc 0 "run the recipe image"
expect_out "hello from a recipe" "ENV from the recipe"
expect_out "uid=1000 gid=1000 cwd=/srv/app" "user and workdir"
expect_out "app:x:1000:1000:app:/home/app:/sbin/nologin" "passwd entry"
expect_out "drwx------ app" "home directory owned by the user"
# The base stays distroless: busybox came in as a package, with its status.d record.
run "$DISTILL" run --rm --entrypoint /bin/busybox example/busybox-hello:1 \
  ls /var/lib/dpkg/status.d/busybox-static /etc/ld.so.cache
expect_out "/var/lib/dpkg/status.d/busybox-static" "status.d record of the extra package"
expect_err "/etc/ld.so.cache" "a static image has no loader cache"

# A debian-slim recipe: packages through apt in the sandbox, a login user, a file.
mkdir -p "$TMP/deb"
echo "greeting from a file" >"$TMP/deb/note.txt"
cat >"$TMP/deb/recipe.yaml" <<'YAML'
version: 1
release: trixie
base: debian-slim
packages: [hello]
users:
  - {name: app, uid: 1000, shell: /bin/bash}
env: {GREETING: hi}
workdir: /work
user: app
files:
  - {src: note.txt, dest: /work/note.txt, owner: app}
entrypoint: ["/bin/sh", "-c", "hello; id; pwd; cat note.txt; echo $GREETING"]
tags: [test/debian-recipe:1]
YAML
run "$DISTILL" image build "$TMP/deb/recipe.yaml"
expect_rc 0 "build a debian-slim recipe"
run "$DISTILL" run --rm test/debian-recipe:1
expect_rc 0 "run the debian-slim recipe image"
expect_out "Hello, world!" "hello installed with apt"
expect_out "uid=1000(app) gid=1000(app)" "the recipe's user"
expect_out "/work" "workdir"
expect_out "greeting from a file" "the recipe's file"
expect_out "hi" "env"
finish

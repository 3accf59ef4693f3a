#!/usr/bin/env bash
# distill against buildah, side by side, on the example apps and from the same
# base images (made by distill from Debian packages, handed to buildah as
# oci-archives). Three scenarios per example, each timed with hyperfine:
#   cold      every step runs           (distill --no-cache, buildah --no-cache)
#   no-op     nothing changed           (both with their layer cache)
#   edit      one source file changed   (a comment appended before each run)
# RUN steps share the host network in both tools (distill's default; buildah's
# --network host), so apt-get reaches the host's Debian mirror the same way.
#
#   DISTILL=build/distill bench/build_vs_buildah.sh [calculator] [go-server] [django-app]
# Env: RUNS_COLD (default 3), RUNS_WARM (default 10), RESULTS (markdown file to
# write; default printed only). Needs root, buildah, hyperfine, python3.
set -euo pipefail
: "${DISTILL:?DISTILL must point at the distill binary}"
DISTILL=$(realpath "$DISTILL")
RUNS_COLD=${RUNS_COLD:-3}
RUNS_WARM=${RUNS_WARM:-10}
[ "$(id -u)" -eq 0 ] || { echo "needs root" >&2; exit 1; }
for tool in buildah hyperfine python3 runc; do
  command -v "$tool" >/dev/null || { echo "needs $tool (scripts/install-deps)" >&2; exit 1; }
done
HERE=$(cd "$(dirname "$0")" && pwd)
EXAMPLES_DIR=$(cd "$HERE/../examples" && pwd)
examples=("$@")
[ ${#examples[@]} -gt 0 ] || examples=(calculator go-server django-app)

TMP=$(mktemp -d /var/tmp/distill-bench.XXXXXX)
BUILDAH_ROOT="$TMP/buildah"
cleanup() {
  buildah --root "$BUILDAH_ROOT/root" --runroot "$BUILDAH_ROOT/run" rm --all >/dev/null 2>&1 || true
  { grep "$TMP" /proc/self/mountinfo || true; } | awk '{print $5}' | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT

# buildah needs runc here (crun refuses hybrid cgroups) and rlimits it may set.
cat >"$TMP/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$TMP/containers.conf"
BUILDAH="buildah --root $BUILDAH_ROOT/root --runroot $BUILDAH_ROOT/run --storage-driver overlay"

# example -> "dockerfile|base image names|file edited in the edit scenario|its comment marker"
declare -A SPEC=(
  [calculator]="Dockerfile.multistage|python:3.11-slim gcr.io/distroless/python3-debian12:nonroot|calc.py|#"
  [go-server]="Dockerfile|golang:1.19 gcr.io/distroless/static-debian12:nonroot|main.go|//"
  [django-app]="Dockerfile|debian:bookworm-slim gcr.io/distroless/python3-debian12:nonroot|hello/urls.py|#"
)

# Docker-style short names resolve to docker.io/library/ in buildah.
buildah_name() {
  case "$1" in
    */*) echo "$1" ;;
    *) echo "docker.io/library/$1" ;;
  esac
}

give_base_to_buildah() {
  local name=$1 archive="$TMP/bases/$(echo "$1" | tr '/:' '__').tar"
  [ -f "$archive" ] && return 0
  mkdir -p "$TMP/bases"
  if ! "$DISTILL" inspect "$name" >/dev/null 2>&1; then
    echo "making base $name from Debian packages (once)" >&2
    case "$name" in
      gcr.io/distroless/*)
        local flavour=${name#gcr.io/distroless/}
        local variant=${flavour#*:}
        flavour=${flavour%%-debian*}
        "$DISTILL" distroless build "$flavour" --debian 12 --variant "$variant" >/dev/null
        ;;
      *) "$DISTILL" bootstrap "$name" >/dev/null ;;
    esac
  fi
  "$DISTILL" save --format oci-archive -o "$archive" "$name"
  local id
  id=$($BUILDAH pull -q "oci-archive:$archive")
  $BUILDAH tag "$id" "$(buildah_name "$name")"
}

results="$TMP/results.md"
: >"$results"
summary="$TMP/summary.tsv"
: >"$summary"

# Runs hyperfine on a distill and a buildah command; appends its table and the
# distill/buildah ratio of mean times.
compare() {
  local title=$1 runs=$2 prepare=$3 distill_cmd=$4 buildah_cmd=$5
  local json="$TMP/$(echo "$title" | tr ' /:' '___').json"
  # One warm-up run each: RUN --mount=type=cache directories (Go's build
  # cache, say) persist across builds in both tools, and the first run of a
  # fresh machine fills them; what is timed is every later run.
  local args=(--warmup 1 --runs "$runs" --export-json "$json" --export-markdown "$json.md")
  [ -n "$prepare" ] && args+=(--prepare "$prepare")
  hyperfine "${args[@]}" -n "distill" "$distill_cmd" -n "buildah" "$buildah_cmd" >&2
  {
    echo "### $title"
    echo
    cat "$json.md"
    echo
  } >>"$results"
  python3 - "$json" "$title" >>"$summary" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
d, b = r["distill"]["mean"], r["buildah"]["mean"]
print(f"{sys.argv[2]}\t{d:.3f}\t{b:.3f}\t{d / b:.3f}")
PY
}

for ex in "${examples[@]}"; do
  spec=${SPEC[$ex]:-}
  [ -n "$spec" ] || { echo "unknown example $ex (calculator, go-server, django-app)" >&2; exit 2; }
  IFS='|' read -r dockerfile bases edit_file marker <<<"$spec"
  for b in $bases; do give_base_to_buildah "$b"; done
  ctx="$TMP/ctx-$ex"
  cp -a "$EXAMPLES_DIR/$ex" "$ctx"
  tag="bench/$ex"
  # Flags go before the context (buildah stops parsing flags at it).
  d_build="$DISTILL build -q -f $ctx/$dockerfile -t $tag"
  b_build="$BUILDAH bud -q --pull=never --layers --network host -f $ctx/$dockerfile -t $tag"

  compare "$ex: cold build" "$RUNS_COLD" "" "$d_build --no-cache $ctx" "$b_build --no-cache $ctx"
  # Warm both caches, then time builds with nothing changed.
  $d_build "$ctx" >/dev/null 2>&1
  $b_build "$ctx" >/dev/null 2>&1
  compare "$ex: no-op rebuild" "$RUNS_WARM" "" "$d_build $ctx" "$b_build $ctx"
  # Each run sees a source file that differs from every earlier run's.
  compare "$ex: one-file edit ($edit_file)" "$RUNS_COLD" \
    "sh -c 'echo \"$marker edit \$(date +%s%N)\" >> $ctx/$edit_file'" "$d_build $ctx" "$b_build $ctx"
done

{
  echo "## distill vs buildah (mean seconds; ratio = distill / buildah)"
  echo
  echo "| scenario | distill | buildah | ratio |"
  echo "|---|---:|---:|---:|"
  awk -F'\t' '{printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4}' "$summary"
  echo
  cat "$results"
} | tee "${RESULTS:-/dev/null}"

#!/usr/bin/env bash
# The part of the demo CI can afford: `scripts/demo-run --quick` builds the
# calculator single- and multi-stage (two bases made from Debian packages in a
# fresh store: python:3.11-slim and distroless python3), runs both, and checks
# the table's claims itself — the multi-stage image is smaller and has no
# shell, package manager or root; the single-stage one has all three. Here the
# same claims are checked again from the JSON reports, and the HTML reports
# must exist. (The whole demo, with the Django and Go images and three more
# bases, takes ~15 minutes on 2 cores: README, Measured.) Needs root and the
# host's Debian mirror; skipped when the mirror cannot be reached.
source "$(dirname "$0")/lib.sh"

export DISTILL_ROOT="$TMP/store"
export DEMO_REPORT_DIR="$TMP/report"
run bash "$DISTILL_SOURCE_DIR/scripts/demo-run" --quick "$DISTILL"
if [ "$RC" -ne 0 ] && echo "$ERR" | grep -qiE 'unavailable|could not resolve|connect|timed out'; then
  echo "SKIP: the Debian mirror is unreachable: $(echo "$ERR" | tail -1)"
  finish
  exit
fi
expect_rc 0 "demo-run --quick"
echo "$OUT"  # the demo's table, for the log
expect_out "calculator (single-stage):  14" "the single-stage calculator computes"
expect_out "calculator (multi-stage):   1024" "the multi-stage calculator computes"
expect_out "Checked: the multi-stage image is smaller" "the demo checked its claims"
expect_out "demo/calc:multistage is " "the size ratio is printed"
if echo "$OUT" | grep -Eq '^demo/calc:single +[^ ]+ +[^ ]+ +[0-9]+ +yes +yes +yes'; then
  pass
else
  fail "single-stage row: shell, package manager, root: $OUT"
fi
if echo "$OUT" | grep -Eq '^demo/calc:multistage +[^ ]+ +[^ ]+ +[0-9]+ +no +no +no'; then
  pass
else
  fail "multi-stage row: no shell, package manager or root: $OUT"
fi
for tag in demo_calc_single demo_calc_multistage; do
  if [ -s "$DEMO_REPORT_DIR/$tag.html" ] && grep -q 'id="treemap"' "$DEMO_REPORT_DIR/$tag.html"; then
    pass
  else
    fail "no HTML report $DEMO_REPORT_DIR/$tag.html"
  fi
  expect_out "$DEMO_REPORT_DIR/$tag.html" "the demo says where the $tag report is"
done
if python3 - "$DEMO_REPORT_DIR" <<'PY'; then pass; else fail "claims from the JSON reports"; fi
import json, sys
d = sys.argv[1]
single = json.load(open(f"{d}/demo_calc_single.json"))
multi = json.load(open(f"{d}/demo_calc_multistage.json"))
cats = lambda r: {f["category"] for f in r["findings"]}
assert multi["compressedSize"] < single["compressedSize"], "multi-stage not smaller"
assert {"shell", "package-manager", "root"} <= cats(single), cats(single)
assert not ({"shell", "package-manager", "root"} & cats(multi)), cats(multi)
assert multi["user"] == "65532:65532", multi["user"]
PY

# A rerun uses the cache: every step of the second (cached) build is a hit.
run bash "$DISTILL_SOURCE_DIR/scripts/demo-run" --quick "$DISTILL"
expect_rc 0 "rerun"
expect_out "already in the store" "the bases are reused"

finish

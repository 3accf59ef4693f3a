#!/usr/bin/env bash
# `distill analyze --html` end to end: the page is opened in headless Chromium
# (Debian's chromium package), which must draw the layer bars and the treemap
# (elements the script creates, a screenshot that is not blank), show a file
# named `</script><script>alert(1)</script>` as text, and run no script but
# the page's own. Runs as root (Chromium's sandbox is off: --no-sandbox).
source "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || true)
if [ -z "$CHROMIUM" ]; then
  echo "SKIP: chromium is not installed (scripts/install-deps installs Debian's chromium package)"
  finish
  exit
fi
chrome() {
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$TMP/chrome" "$@" 2>>"$TMP/chrome.log"
}
count() { grep -o -- "$1" "$2" | wc -l; }

export DISTILL_ROOT="$TMP/store"
R="$TMP/rootfs"
mkdir -p "$R/bin" "$R/usr/lib/python3" "$R/usr/share/doc" "$R/etc"
printf '#!/bin/true\n' >"$R/bin/sh"
chmod 0755 "$R/bin/sh"
head -c 300000 /dev/urandom >"$R/usr/lib/libbig.so"
for i in $(seq 1 40); do head -c $((i * 1000)) /dev/zero >"$R/usr/lib/python3/mod$i.py"; done
for i in $(seq 1 30); do echo "doc $i" >"$R/usr/share/doc/readme$i"; done
# A hostile name: its slashes make directories "<" and "script><script>alert(1)<".
EVIL='</script><script>alert(1)</script>'
mkdir -p "$(dirname "$R/$EVIL")"
head -c 400000 /dev/zero >"$R/$EVIL"
tar -C "$R" -cf "$TMP/base.tar" .
run "$DISTILL" import "$TMP/base.tar" htmlbase:test
expect_rc 0 "import the base"

CTX="$TMP/ctx"
mkdir -p "$CTX"
head -c 250000 /dev/urandom >"$CTX/app.bin"
printf 'FROM htmlbase:test\nCOPY app.bin /app/app.bin\nUSER 1000\n' >"$CTX/Dockerfile"
run "$DISTILL" build -q --base-source store -t html:test "$CTX"
expect_rc 0 "build a two-layer image"

REPORT="$TMP/pages/report.html"
mkdir -p "$TMP/pages"
run "$DISTILL" analyze html:test --html "$REPORT"
expect_rc 0 "analyze --html"
expect_err "HTML report: $REPORT" "says where the page is"
expect_out "Verdict:" "the text report is still printed"
if [ -s "$REPORT" ]; then pass; else fail "no report written"; fi

# The page as written: two script elements (data, code), nothing fetched.
if [ "$(count '<script' "$REPORT")" -eq 2 ]; then pass; else fail "script elements in the page: $(count '<script' "$REPORT")"; fi
if grep -q 'alert(1)</script>' "$REPORT"; then fail "the hostile name is raw in the page"; else pass; fi
if grep -Eq '(src|href)=|https?://[^w]|url\(' "$REPORT"; then fail "the page refers to something outside it"; else pass; fi
expect_csp=$(grep -c "default-src 'none'" "$REPORT")
if [ "$expect_csp" -eq 1 ]; then pass; else fail "no Content-Security-Policy forbidding fetches"; fi

# What Chromium made of it.
chrome --dump-dom "file://$REPORT" >"$TMP/dom.html"
if grep -q 'data-rendered="true"' "$TMP/dom.html"; then pass; else fail "the script did not finish (see $TMP/chrome.log)"; fi
if grep -q 'data-layer-bars="2"' "$TMP/dom.html"; then pass; else fail "layer bars: want 2"; fi
if [ "$(count 'class="layer-bar"' "$TMP/dom.html")" -eq 2 ]; then pass; else fail "two layer-bar rects"; fi
rects=$(grep -o 'data-rects="[0-9]*"' "$TMP/dom.html" | grep -o '[0-9]*')
if [ "${rects:-0}" -ge 10 ]; then pass; else fail "treemap rects: ${rects:-none}, want >= 10"; fi
if [ "$(count 'class="tm-' "$TMP/dom.html")" -ge 10 ]; then pass; else fail "treemap rect elements"; fi
if grep -q 'class="tm-other"' "$TMP/dom.html"; then pass; else fail "python3's 40 modules: the tail is aggregated"; fi
if grep -qF '&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;' "$TMP/dom.html"; then pass; else fail "the hostile name is shown as text"; fi
if grep -qF '<script>alert(1)' "$TMP/dom.html"; then fail "the hostile name became a script element"; else pass; fi
if grep -qF '<td>shell</td>' "$TMP/dom.html"; then pass; else fail "the shell finding is listed"; fi
if grep -qF 'COPY app.bin /app/app.bin' "$TMP/dom.html"; then pass; else fail "the layer's instruction is shown"; fi

# A script the page did not ship (here: the page's own, changed by one byte)
# does not run: the policy pins the script by its hash.
sed 's/data-rendered/data-randered/' "$REPORT" >"$TMP/tampered.html"
chrome --dump-dom "file://$TMP/tampered.html" >"$TMP/tampered-dom.html"
if grep -q 'data-randered="true"' "$TMP/tampered-dom.html"; then fail "a changed script ran"; else pass; fi
if grep -q 'data-rects=' "$TMP/tampered-dom.html"; then fail "a changed script drew"; else pass; fi

# The screenshot: many colours, and much of the window not background.
chrome --screenshot="$TMP/shot.png" --window-size=1200,900 "file://$REPORT" >/dev/null
if [ -s "$TMP/shot.png" ]; then
  read -r colours drawn < <(python3 "$DISTILL_SOURCE_DIR/tests/png_stats.py" "$TMP/shot.png")
  echo "screenshot: $colours colours, $drawn% not background"
  if [ "$colours" -ge 50 ]; then pass; else fail "screenshot has $colours colours: blank?"; fi
  if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 10 else 1)" "$drawn"; then
    pass
  else
    fail "screenshot is $drawn% drawn"
  fi
else
  fail "no screenshot (see $TMP/chrome.log)"
fi

run "$DISTILL" analyze no-such:image --html "$TMP/none.html"
expect_rc 1 "missing image"
if [ -e "$TMP/none.html" ]; then fail "a page was written for a missing image"; else pass; fi
run "$DISTILL" analyze html:test --html "$TMP/no-such-dir/report.html"
expect_rc 1 "unwritable destination"
expect_err "no-such-dir" "the bad path is named"

finish

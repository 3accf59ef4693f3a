#!/usr/bin/env bash
# `distill run` and `exec` with -i and -t: stdin forwarded (and not connected
# without -i), a pty from the container's own devpts as the controlling
# terminal (tty, window size and its changes, ^C, exit code), the user's
# terminal restored afterwards, and -d with -t / -i. A python pty plays the
# user's terminal.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/run_lib.sh"

# drive.py SCRIPT -- CMD...: runs CMD on a new pty (30x100) as its stdin,
# stdout and stderr, plays SCRIPT (lines "send TEXT", "expect TEXT",
# "resize ROWS COLS", "sleep S"; \r \n \x03 escapes), and prints "rc=N" and
# whether the terminal's mode was restored. Everything read goes to stderr.
cat >"$TMP/drive.py" <<'PY'
import fcntl, os, select, signal, struct, subprocess, sys, termios, time
script = open(sys.argv[1]).read().splitlines()
cmd = sys.argv[3:]
master, slave = os.openpty()
fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
before = termios.tcgetattr(slave)
p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave)
seen = b""
def read_for(seconds, until=None):
    global seen
    end = time.time() + seconds
    while time.time() < end:
        if until is not None and until in seen:
            return True
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                data = os.read(master, 4096)
            except OSError:
                return until is None
            seen += data
            sys.stderr.buffer.write(data)
    return until is None or until in seen
ok = True
for line in script:
    verb, _, arg = line.partition(" ")
    text = arg.encode().decode("unicode_escape").encode("latin-1")
    if verb == "send":
        os.write(master, text)
    elif verb == "expect":
        if not read_for(10, text):
            print("missing=" + arg)
            ok = False
            break
        seen = seen[seen.index(text) + len(text):]
    elif verb == "resize":
        rows, cols = map(int, arg.split())
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        p.send_signal(signal.SIGWINCH)
    elif verb == "sleep":
        read_for(float(arg))
try:
    rc = p.wait(timeout=15)
except subprocess.TimeoutExpired:
    p.kill()
    rc = "timeout"
print("rc=%s" % rc)
print("restored=%s" % (termios.tcgetattr(slave) == before))
print("ok=%s" % ok)
PY
drive() {  # drive SCRIPT_TEXT CMD...
  printf '%b' "$1" >"$TMP/script"
  shift
  run python3 "$TMP/drive.py" "$TMP/script" -- "$@"
}

# -it: a shell on a pty of the container's devpts, its size that of the user's
# terminal and following it, ^C reaching the program, the exit code back.
drive 'send tty; stty size; echo $((6*7))\\n
expect /dev/pts/0\\r\\n
expect 30 100\\r\\n
expect 42\\r\\n
resize 40 120
sleep 0.3
send stty size\\n
expect 40 120\\r\\n
send sleep 20\\n
sleep 0.5
send \\x03
sleep 0.3
send echo after=$?\\n
expect after=130
send exit 3\\n
' "$DISTILL" run --rm -it bb /bin/sh
expect_out "ok=True" "-it session (tty, size, resize, ^C): $ERR"
expect_out "rc=3" "-it exit code"
expect_out "restored=True" "terminal mode restored after -it"
# A failure to start restores the terminal too.
drive '' "$DISTILL" run --rm -it bb /no/such/program
expect_out "rc=127" "-it with a missing program"
expect_out "restored=True" "terminal mode restored after a failed start"
no_mounts "after -it"

# -i: stdin forwarded; without -i, stdin is not connected.
run sh -c "echo hello | \"$DISTILL\" run --rm -i bb cat"
[ "$OUT" = "hello" ] && pass || fail "-i forwards stdin: $OUT $ERR"
run sh -c "printf 'a\nb\nc\n' | \"$DISTILL\" run --rm -i bb wc -l"
[ "$OUT" = "3" ] && pass || fail "-i delivers EOF: $OUT $ERR"
run sh -c "echo hello | \"$DISTILL\" run --rm bb cat"
expect_rc 0 "without -i"
[ -z "$OUT" ] && pass || fail "without -i stdin is not connected: $OUT"
# -it with piped input is refused as Docker does (and creates nothing).
before=$("$DISTILL" ps -a -q | wc -l)
run sh -c "echo hello | \"$DISTILL\" run --rm -it bb cat"
expect_rc 1 "-it with piped input"
case "$ERR" in *"the input device is not a TTY"*) pass ;; *) fail "-it with piped input: $ERR" ;; esac
[ "$("$DISTILL" ps -a -q | wc -l)" = "$before" ] && pass || fail "-it with piped input created a container"
# -t alone: a pty for output (not a tty on our side).
run "$DISTILL" run --rm -t bb sh -c 'tty; exit 4'
expect_rc 4 "-t exit code"
[ "$OUT" = "$(printf '/dev/pts/0\r')" ] && pass || fail "-t output through the pty: $OUT"
run "$DISTILL" run --rm -t -u 65534 bb sh -c 'ls -ln $(tty)'
expect_out " 65534 " "the pty belongs to the container's user"

# -d -t: output in the log; the shell waits on its terminal. -d -i: stdin
# stays open, so a shell keeps running.
run "$DISTILL" run -d -t --name dt bb sh -c 'tty; exec sh'
expect_rc 0 "run -d -t"
wait_for sh -c "\"$DISTILL\" logs dt | grep -q /dev/pts/0"
run "$DISTILL" logs dt
expect_out "/dev/pts/0" "-d -t output in the log"
run "$DISTILL" run -d -i --name di bb sh
expect_rc 0 "run -d -i"
sleep 1
run "$DISTILL" ps
expect_out "dt" "-d -t shell keeps running"
expect_out "di" "-d -i shell keeps running"

run sh -c "echo id | \"$DISTILL\" exec -it dt sh"
expect_rc 1 "exec -it with piped input"
case "$ERR" in *"the input device is not a TTY"*) pass ;; *) fail "exec -it with piped input: $ERR" ;; esac
# exec: -i, no stdin without it, -it with a pty of the container.
run sh -c "echo hi | \"$DISTILL\" exec -i di cat"
[ "$OUT" = "hi" ] && pass || fail "exec -i: $OUT $ERR"
run sh -c "echo hi | \"$DISTILL\" exec di cat"
[ -z "$OUT" ] && [ "$RC" = 0 ] && pass || fail "exec without -i has no stdin: $OUT $ERR"
drive 'send tty; stty size\\n
expect /dev/pts/
expect 30 100\\r\\n
send exit 5\\n
' "$DISTILL" exec -it dt sh
expect_out "ok=True" "exec -it session: $ERR"
expect_out "rc=5" "exec -it exit code"
expect_out "restored=True" "terminal restored after exec -it"
run "$DISTILL" exec -t di tty
[[ "$OUT" == /dev/pts/* ]] && pass || fail "exec -t: $OUT $ERR"
"$DISTILL" rm -f dt di >/dev/null
no_mounts "at the end"

finish

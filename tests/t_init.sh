#!/bin/sh
# tests/t_init.sh INIT [RUNNER] - examples/init.c beside Debian's tini: the
# same scenarios run under each, and each must end with the status a shell
# would report for CMD (tini must agree: the comparison is the point).
# Prints a table (one numbered line per check, [OK], [FAIL] or [SKIP] with
# the reason); tests/run.sh counts it.  tini runs as `tini -s --` (a child
# subreaper, since neither is PID 1 here); where it is not installed, only
# init's column is checked, and the comparison lines say SKIP.
#
#   exits and deaths      sh -c 'exit N', sh -c 'kill -SIG $$'
#   forwarding            each forwarded signal sent to init reaches CMD,
#                         which traps it and exits with a status naming it
#   an orphan             CMD starts a grandchild and lets it go: it is
#                         re-parented to init, which reaps it when it ends
#                         while CMD still runs (no zombie left)
#   CMD missing           127; CMD not executable: 126
set -u
init=$1 runner=${2:-}
tini=$(command -v tini || true)
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
n=0

line() { n=$((n + 1)); printf '%3d %-46s %-28s %s\n' "$n" "$1" "$2" "$3"; }
# same NAME WANT INIT_STATUS TINI_STATUS: init's status must be WANT, and
# tini's too (SKIP without tini).
same() {
	if [ "$3" = "$2" ]; then line "init: $1" "status $3 (want $2)" "[OK]"
	else line "init: $1" "status $3 (want $2)" "[FAIL]"; fi
	if [ -z "$tini" ]; then line "tini: $1" "-" "[SKIP] tini is not installed (apt-get install tini)"
	elif [ "$4" = "$2" ]; then line "tini: $1, the same" "status $4" "[OK]"
	else line "tini: $1, the same" "status $4 (want $2)" "[FAIL]"; fi
}

# run_both WANT NAME CMD...: CMD under init, then under tini.
run_both() {
	want=$1 name=$2; shift 2
	timeout 60 $runner "$init" "$@" >/dev/null 2>&1; a=$?
	b=-
	[ -n "$tini" ] && { timeout 60 "$tini" -s -- "$@" >/dev/null 2>&1; b=$?; }
	same "$name" "$want" "$a" "$b"
}

run_both 0 "exit 0" sh -c 'exit 0'
run_both 3 "exit 3" sh -c 'exit 3'
run_both 255 "exit 255" sh -c 'exit 255'
run_both 143 "CMD killed by SIGTERM: 143" sh -c 'kill -TERM $$'
run_both 137 "CMD killed by SIGKILL: 137" sh -c 'kill -KILL $$'
run_both 139 "CMD killed by SIGSEGV: 139" sh -c 'kill -SEGV $$'
run_both 127 "CMD not found: 127" /nonexistent/cmd
run_both 127 "CMD not in PATH: 127" no-such-command-anywhere
run_both 126 "CMD not executable: 126" /etc/passwd
run_both 7 "arguments passed on" sh -c 'exit $(($# + $1))' sh 5 a

# forward PROG SIG STATUS: PROG runs sh, which traps SIG, says it is ready,
# and waits; SIG goes to PROG; sh exits STATUS.  Started with the signals'
# default dispositions (a shell's background job ignores SIGINT and SIGQUIT,
# and a shell cannot trap a signal ignored when it started).  PROG is the
# process signalled, so no `timeout` in between: a guard kills it after 30
# s instead; CMD is killed if it outlived it.  Prints the status (124: it never ended).
forward() {
	prog=$1 sig=$2 want=$3
	rm -f "$tmp/ready"
	env --default-signal $prog sh -c "trap 'exit $want' $sig; echo \$\$ >'$tmp/ready'; while :; do sleep 0.01; done" \
		>/dev/null 2>&1 &
	pid=$!
	i=0
	while [ ! -e "$tmp/ready" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
	kill -s "$sig" "$pid"
	# bounded: if the signal is lost, end it after 30 s (status 124)
	i=0
	while kill -0 "$pid" 2>/dev/null && ! grep -q '^[0-9]* ([^)]*) Z' /proc/$pid/stat 2>/dev/null &&
	      [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
	[ $i -lt 600 ] || { kill -KILL "$pid"; }
	wait "$pid"; st=$?
	[ $i -lt 600 ] || st=124
	kill -KILL "$(cat "$tmp/ready")" 2>/dev/null      # CMD, if it outlived init
	echo "$st"
}

code=40
for sig in TERM INT HUP QUIT USR1 USR2 WINCH; do
	code=$((code + 1))
	a=$(forward "$runner $init" $sig $code)
	b=-
	[ -n "$tini" ] && b=$(forward "$tini -s --" $sig $code)
	same "SIG$sig forwarded to CMD" "$code" "$a" "$b"
done

# The orphan: CMD's subshell starts `sleep 0.3` and exits, so the sleep is
# re-parented to init (PPID of CMD); CMD checks that, waits until the sleep
# has ended, and counts init's zombie children: 0 means init reaped it.
# Status 0: reaped; 1: a zombie left; 2: not re-parented to init.
orphan='( sleep 0.3 & echo $! >"$0" ); o=$(cat "$0")
	ppid=$(sed "s/.*) . \([0-9]*\) .*/\1/" /proc/$o/stat 2>/dev/null)
	[ "$ppid" = "$PPID" ] || exit 2
	while [ -e /proc/$o ] && ! grep -q "^State:.*Z" /proc/$o/status 2>/dev/null; do sleep 0.05; done
	i=0; while [ -e /proc/$o ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	[ -e /proc/$o ] && exit 1; exit 0'
if timeout 10 $runner "$init" true 2>&1 | grep -q 'cannot be a subreaper'; then
	line "init: an orphan: re-parented, reaped" "-" "[SKIP] init cannot be a subreaper here (QEMU)"
	[ -n "$tini" ] && line "tini: an orphan: re-parented, reaped" "-" "[SKIP] init's case skipped"
else
	run_both 0 "an orphan: re-parented, reaped" sh -c "$orphan" "$tmp/orphan"
fi

# Usage errors: said on stderr, status 2.
timeout 10 $runner "$init" >/dev/null 2>"$tmp/err"; st=$?
if [ "$st" -eq 2 ] && grep -q '^usage: init' "$tmp/err"; then r="[OK]"; else r="[FAIL]"; fi
line "init with no CMD: usage on stderr, status 2" "status $st" "$r"
timeout 10 $runner "$init" -x true >/dev/null 2>"$tmp/err"; st=$?
if [ "$st" -eq 2 ] && grep -q '^usage: init' "$tmp/err"; then r="[OK]"; else r="[FAIL]"; fi
line "init -x (no such option): usage, status 2" "status $st" "$r"
timeout 10 $runner "$init" --help >"$tmp/out" 2>&1; st=$?
if [ "$st" -eq 0 ] && grep -q '^usage: init' "$tmp/out"; then r="[OK]"; else r="[FAIL]"; fi
line "init --help: usage on stdout, status 0" "status $st" "$r"
timeout 10 $runner "$init" /nonexistent/cmd >/dev/null 2>"$tmp/err"; st=$?
if grep -q "^init: /nonexistent/cmd: not found" "$tmp/err"; then r="[OK]"; else r="[FAIL]"; fi
line "CMD not found: said so on stderr" "$(grep -m1 -o "init: .*not found" "$tmp/err" | head -c 28)" "$r"

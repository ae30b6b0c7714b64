#!/bin/sh
# tests/memcheck.sh [ARCH ...] - the demo, the test programs and the echo
# server under valgrind's memcheck (`make memcheck`).
#
# Each architecture builds with `make memcheck-build`: VALGRIND=1, so the
# runtime tells memcheck about every coroutine stack, into
# build/memcheck/<arch>/.  A run passes when memcheck counts 0 errors, warns
# of no stack switch it could not follow, shows no frame as ???, and the
# program itself passes (its exit status, its table of checks).  And
# tests/uninit.c's deliberate mistake must be reported, at its line.
#
# Architectures: with no ARCH, the host, and i386 on an x86_64 host
# (valgrind has an x86 memcheck) where the kernel runs i386 programs
# (tests/native.sh; without IA32 emulation, or with NATIVE_I386=no, one
# SKIP line says so: valgrind does not run under QEMU).  aarch64, riscv64
# and arm programs run under QEMU here, out of valgrind's reach (valgrind
# has no riscv64 port; on an arm or aarch64 machine it would run theirs
# natively).  Named architectures are required.
#
# Every run writes memcheck's report to a log file of its own, made fresh:
# a run that wrote none (valgrind did not start) fails, and says why.
#
# What does not run under memcheck, and why:
#   t_guard segv, main-segv, early   they write at address 0x10 on purpose:
#                                    memcheck rightly reports the write
#   t_guard alarm                    a signal whose frame does not fit: valgrind
#                                    writes signal frames itself, cannot, and
#                                    kills the process without the handler
#   t_switch's "FP exception flags"  the check runs, its line is not counted:
#                                    valgrind does not emulate the flags in
#                                    MXCSR (they always read 0)
# valgrind 3.19 does not know pidfd_open (it warns, and the call fails with
# ENOSYS): t_proc's waits take co_wait_process's fallback there.
#   the test variants (small, one, noguard, big, O0, O2, ubsan)
#                                    the same code at other settings: make
#                                    test runs them
set -u
cd "$(dirname "$0")/.." || exit 2
ulimit -c 0

host=$(make -s host-arch)                       # the Makefile's name
. tests/native.sh
if [ $# -gt 0 ]; then
	archs="$*" required=yes
else
	archs=$host required=no
	[ "$host" = x86_64 ] && archs="x86_64 i386"
fi
passed=0 failed=0 n=0 runs=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
unemulated="FP exception flags"         # a table line valgrind cannot pass

line() {        # MARK NAME OBSERVED
	n=$((n + 1))
	printf '%-8s %-9s %3d %-46s %-28s %s\n' "$arch" memcheck "$n" "$2" "$3" "$1"
}
ok()   { passed=$((passed + 1)); line "[OK]" "$@"; }
fail() { failed=$((failed + 1)); line "[FAIL]" "$@"; }

# vg [env -i VAR=VALUE...] PROG [ARGS...]: run a program of
# build/memcheck/<arch> under memcheck (in that environment), stdout to
# $tmp/out, stderr to $tmp/err, memcheck's report to a new file, $log;
# sets $st to the program's exit status (124: it hung).
vg() {
	newlog
	env=""
	if [ "$1" = env ]; then
		env="env -i"; shift 2
		while case $1 in *=*) true ;; *) false ;; esac; do env="$env $1"; shift; done
	fi
	prog=$1; shift
	timeout 300 $env valgrind --log-file="$log" --track-origins=yes "$B/$prog" "$@" \
		>"$tmp/out" 2>"$tmp/err"
	st=$?
}

# newlog: $log, a file name no run has used; the file does not exist.
newlog() {
	runs=$((runs + 1))
	log=$tmp/memcheck.$runs.log
	rm -f "$log"
}

# nolog: memcheck wrote no report: what the run said instead.
nolog() {
	echo "    memcheck wrote no report; the run's standard error:"
	sed "s/^/    /" "$tmp/err" | head -5
}

# errors LOG: memcheck's count of errors ("?" if it printed none, or
# wrote no LOG).
errors() {
	[ -f "$1" ] || { echo "?"; return; }
	sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$1" | tail -1 | grep . || echo "?"
}

# clean LOG: 0 errors, no stack switch it could not follow, no ??? frame.
clean() {
	[ -f "$1" ] && [ "$(errors "$1")" = 0 ] && ! grep -q 'switching stacks' "$1" && ! grep -qF '???' "$1"
}

# expect NAME STATUS PROG [ARGS...]: the program under memcheck ends with
# STATUS (or one of several: "0 1"), passes its own table if it prints one,
# and memcheck's report is clean.
expect() {
	name=$1 want=$2; shift 2
	vg "$@"
	e=$(errors "$log")
	fails=$(grep '\[FAIL\]$' "$tmp/out" | grep -cvF "$unemulated")
	good=no
	case " $want " in *" $st "*) clean "$log" && [ "$fails" -eq 0 ] && good=yes ;; esac
	if [ $good = yes ]; then
		ok "$name" "status $st, $e errors"
	else
		fail "$name" "status $st, $e errors, $fails [FAIL]"
		[ -f "$log" ] || nolog
		sed "s/^/    /" "$log" 2>/dev/null | grep -v '^    ==[0-9]*== *$' | head -40
		grep '\[FAIL\]$' "$tmp/out" | sed "s/^/    /"
	fi
}

# The programs, as tests/run.sh runs them, but for what cannot run (above).
programs() {
	while IFS='|' read -r name want cmd; do
		case $name in '#'* | '') continue ;; esac
		eval "set -- $cmd"
		expect "$(echo $name)" "$(echo $want)" "$@" </dev/null
	done <<EOF
# name                                  | status | program and arguments
demo                                    | 0      | coroutines
demo: 2 coroutines, 2 steps             | 0      | coroutines 2 2
demo: 3 coroutines, 100 steps           | 0      | coroutines 3 100
demo: every chunk of the pool           | 0      | coroutines $cap 2
demo: bad arguments                     | 2      | coroutines x
t_switch (its FP flags' line fails)     | 0 1    | t_switch
t_order                                 | 0      | t_order
t_join                                  | 0      | t_join
t_pool                                  | 0      | t_pool
t_pool: 1000 spawns                     | 0      | t_pool 1000
t_print                                 | 0      | t_print
t_print: 1000 lines                     | 0      | t_print lines 1000
t_guard                                 | 0      | t_guard
t_event                                 | 0      | t_event
t_event: deadlock beside a sleeper      | 70     | t_event cycle
t_select                                | 0      | t_select
t_clock                                 | 0      | t_clock
t_prio                                  | 0      | t_prio
t_proc (pidfd_open: valgrind's ENOSYS)  | 0      | t_proc
t_signal                                | 0      | t_signal
t_helpers                               | 0      | t_helpers
t_boot                                  | 0      | env -i FOO=bar EMPTY= t_boot one "two words" ""
t_boot: status 42                       | 42     | t_boot status 42
t_exit: co_exit in main                 | 0      | t_exit main-exit
t_exit: main returns 7                  | 7      | t_exit main-return
t_exit: deadlock                        | 70     | t_exit cycle
t_exit: main joins into a cycle         | 70     | t_exit chain
t_guard recurse: overflow, SIGSEGV      | 139    | t_guard recurse
t_guard bigframe                        | 139    | t_guard bigframe
t_guard frame-1.5x                      | 139    | t_guard frame-1.5x
t_guard frame-4x                        | 139    | t_guard frame-4x
t_guard yield 0                         | 139    | t_guard yield 0
t_guard yield 24                        | 139    | t_guard yield 24
t_guard join 0                          | 139    | t_guard join 0
t_guard join 24                         | 139    | t_guard join 24
t_guard kill-segv: sent, SIGSEGV        | 139    | t_guard kill-segv
t_guard kill-bus: sent, SIGBUS          | 135    | t_guard kill-bus
EOF
}

# tests/uninit.c: memcheck reports its one mistake, in visit at the line
# that says so, called from _co_entry, on a fresh chunk and on
# a reused one; nothing else.
uninit() {
	at=$(grep -n '/\* memcheck: here \*/' tests/uninit.c | cut -d: -f1)
	for how in fresh reused; do
		vg bin/uninit "$how"
		e=$(errors "$log")
		if [ "$st" -eq 0 ] && [ "$e" = 1 ] &&
		   grep -q 'Conditional jump or move depends on uninitialised value' "$log" &&
		   grep -q "at 0x[0-9A-F]*: visit (uninit.c:$at)" "$log" &&
		   grep -q "by 0x[0-9A-F]*: _co_entry (switch.S:[0-9]*)" "$log" &&
		   ! grep -qF '???' "$log"; then
			ok "uninit $how: reported at uninit.c:$at" "status $st, $e error"
		else
			fail "uninit $how: reported at uninit.c:$at" "status $st, $e errors"
			[ -f "$log" ] || nolog
			sed "s/^/    /" "$log" 2>/dev/null | grep -v '^    ==[0-9]*== *$' | head -40
		fi
	done
}

# The echo server under memcheck, with tests/echo_client.py's many
# connections; then SIGTERM, and memcheck's report of the whole run.
echo_server() {
	if ! command -v python3 >/dev/null 2>&1; then
		echo "SKIP $arch echo server under memcheck: python3 is not installed"
		return
	fi
	port=$((20000 + ($$ * 7 + n * 13) % 40000))
	newlog
	valgrind --log-file="$log" "$B/examples/echo" "$port" >"$tmp/serve" 2>&1 &
	spid=$!
	for wait in $(seq 1 100); do
		grep -q listening "$tmp/serve" 2>/dev/null && break
		sleep 0.1
	done
	timeout 300 python3 tests/echo_client.py "$port" many >"$tmp/client" 2>&1
	cst=$?
	kill -TERM "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	e=$(errors "$log")
	cf=$(grep -c '\[FAIL\]$' "$tmp/client")
	if [ "$cst" -eq 0 ] && [ "$cf" -eq 0 ] && clean "$log"; then
		ok "echo server, 200 connections and more" "$e errors"
	else
		fail "echo server, 200 connections and more" "client status $cst, $e errors"
		[ -f "$log" ] || echo "    memcheck wrote no report"
		sed "s/^/    /" "$tmp/serve" "$log" "$tmp/client" 2>/dev/null | head -40
	fi
}

if ! command -v valgrind >/dev/null 2>&1; then
	echo "memcheck: valgrind is not installed (apt-get install valgrind)"
	echo "0 passed, 1 failed"
	exit 1
fi
for arch in $archs; do
	n=0
	case $arch in
	"$host") ;;
	i386) [ "$host" = x86_64 ] || { fail "runs on this host" "$host"; continue; } ;;
	*) fail "runs under valgrind here" "no: under QEMU"; continue ;;
	esac
	eval "$(make -s test-env ARCH="$arch")"         # CC, CAPACITY, ...
	cap=$CAPACITY B=build/memcheck/$arch
	if ! make -s -j"$(nproc 2>/dev/null || echo 2)" ARCH="$arch" memcheck-build >"$tmp/build" 2>&1; then
		cat "$tmp/build"
		fail "build (make memcheck-build)" "see the lines above"
		continue
	fi
	native "$arch" "$B/t_boot" status 0     # once: see tests/native.sh
	if [ "$native" = no ]; then
		if [ "$required" = yes ]; then
			fail "runs on this host" "no: $why"
		else
			echo "SKIP $arch memcheck: valgrind runs only what the host runs itself, and $why"
		fi
		continue
	fi
	programs
	uninit
	echo_server
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

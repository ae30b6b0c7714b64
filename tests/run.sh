#!/bin/sh
# tests/run.sh [ARCH ...] - build and run the whole suite, once per architecture.
#
# With no ARCH: the host, plus every other architecture whose cross compiler
# and qemu-<arch> are installed; the others get one "SKIP <arch>: ..." line.
# Named architectures are required: a missing tool is a failure.
#
# Each line: architecture, program, the check's number (from 1 in each
# program, and for run.sh's own checks in each architecture), its name, what
# was observed, [OK] or [FAIL].  The last line counts them all.
#
# The test programs (tests/t_*.c) print their own tables; this script runs
# them, and checks what only a caller can see (exit status, stderr, signals)
# from the tables below, one line per check, through one helper: expect.
set -u
cd "$(dirname "$0")/.." || exit 2
ulimit -c 0             # the crash tests must not leave core files

all="x86_64 aarch64 riscv64 arm i386"
host=$(uname -m)
if [ $# -gt 0 ]; then archs="$*"; required=yes; else archs=$all; required=no; fi
passed=0 failed=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# ---- counting and printing -------------------------------------------------

line() {        # MARK NAME OBSERVED
	n=$((n + 1))
	printf '%-8s %-9s %3d %-46s %-28s %s\n' "$arch" "run.sh" "$n" "$2" "$3" "$1"
}
ok()   { passed=$((passed + 1)); line "[OK]" "$@"; }
fail() { failed=$((failed + 1)); line "[FAIL]" "$@"; }
# check NAME OBSERVED COMMAND...: OK when COMMAND succeeds (one command:
# several conditions go in one [ ... -a ... ], or eval '... && ...').
check() { name=$1 obs=$2; shift 2; if "$@"; then ok "$name" "$obs"; else fail "$name" "$obs"; fi; }

# table NAME FILE: print a program's table of checks, counting its lines.
table() {
	while IFS= read -r l; do
		case $l in
		*"[OK]") passed=$((passed + 1)) ;;
		*"[FAIL]") failed=$((failed + 1)) ;;
		esac
		printf '%-8s %-9s %s\n' "$arch" "$1" "$l"
	done <"$2"
}

# ---- running programs ------------------------------------------------------

# run OUT ERR PROG [ARGS...]: run a program of this architecture, bounded in
# time; sets $st to its exit status (124: it hung).
run() {
	o=$1 e=$2; shift 2
	timeout 120 $RUNNER "$@" >"$o" 2>"$e"
	st=$?
}

# suite PROG [ARGS...]: a test program's own table, counted line by line;
# PROG is a path under $B (variant/t_pool for a variant's).
suite() {
	p=$1; shift
	run "$tmp/out" "$tmp/err" "$B/$p" "$@"
	table "$p" "$tmp/out"
	sed "s|^|$arch $p stderr: |" "$tmp/err"
	if [ "$st" -ne 0 ] && ! grep -q '\[FAIL\]$' "$tmp/out"; then
		fail "$p $* ends cleanly" "status $st"
	fi
}

# has FILE WANT: does the output FILE match WANT?  - means it is empty, *
# anything; otherwise WANT is a fixed string that must appear in it.
has() {
	case $2 in
	-) [ ! -s "$1" ] ;;
	\*) true ;;
	*) grep -qF -e "$2" "$1" ;;
	esac
}

# expect NAME STATUS STDOUT STDERR -- PROG [ARGS...]
#   STATUS   the exit status wanted, or several: 141|74
#   STDOUT   what stdout must hold (see has); >&- runs PROG with it closed
#   STDERR   what stderr must hold
expect() {
	name=$1 want=$2 wout=$3 werr=$4; shift 5
	prog=$1; shift
	if [ "$wout" = ">&-" ]; then
		timeout 120 $RUNNER "$B/$prog" "$@" >&- 2>"$tmp/err"
		st=$? wout=*
		: >"$tmp/out"
	else
		run "$tmp/out" "$tmp/err" "$B/$prog" "$@"
	fi
	case "|$want|" in *"|$st|"*) good=yes ;; *) good=no ;; esac
	has "$tmp/out" "$wout" || good=no
	has "$tmp/err" "$werr" || good=no
	check "$name" "status $st" [ "$good" = yes ]
}

# expect_table: one expect per line of standard input,
#   name | status | stdout | stderr | program and arguments (shell words)
# '#' starts a comment line.
expect_table() {
	while IFS='|' read -r name want wout werr cmd; do
		case $name in '#'* | '') continue ;; esac
		set -f
		name=$(echo $name) want=$(echo $want) wout=$(echo $wout) werr=$(echo $werr)
		set +f
		eval "set -- $cmd"
		expect "$name" "$want" "$wout" "$werr" -- "$@" </dev/null
	done
}

# ---- the checks ----------------------------------------------------------------

# Every test program's own table, at the default settings and in the variants.
suites() {
	for p in t_switch t_order t_join t_pool t_print t_guard t_event t_clock t_prio t_wait t_timer t_chan t_gdb; do
		suite $p
	done
	# A million messages through t_chan's chain of 100 coroutines (a
	# hundred million sends): seconds natively, too long under QEMU.
	[ "$arch" = "$host" ] && suite t_chan chain 1000000
	# The formatter against the C library's snprintf: a libc program
	# (make test-build builds it on the host), so the host only.
	if [ "$arch" = "$host" ]; then
		if [ -x "$B/format_oracle" ]; then
			suite format_oracle
		else
			echo "SKIP $arch format_oracle: no host C compiler with a libc (cc)"
		fi
	fi
	suite small/t_pool
	suite small/t_prio              # 32 levels
	suite one/t_pool 100000
	suite small/t_wait              # the poller beside a pool of 4, and of 1
	suite small/t_timer
	suite one/t_timer
	for p in t_switch t_order t_join t_pool t_guard t_event t_wait t_timer t_chan; do
		suite noguard/$p        # no guard pages: all but the guard holds
	done
	# UBSAN=1: undefined behaviour would trap (SIGILL or SIGTRAP).
	for p in t_switch t_order t_join t_pool t_print t_guard t_event t_clock t_prio; do
		suite ubsan/$p
	done
	if [ "$arch" = "$host" ]; then  # other optimisation levels, the host only
		for lvl in O0 O2; do
			for p in t_switch t_order t_join t_event t_guard t_print t_prio t_wait t_timer t_chan; do
				suite $lvl/$p
			done
			suite $lvl/t_pool 100000
		done
	fi
	# An x86_64 kernel runs i386 programs itself, with its 32-bit vDSO.
	if [ "$arch" = i386 ] && [ "$host" = x86_64 ] && RUNNER= run "$tmp/out" "$tmp/err" "$B/t_clock"; then
		table "t_clock (native)" "$tmp/out"
	fi
	timeout 120 env -i FOO=bar EMPTY= $RUNNER "$B/t_boot" one "two words" "" >"$tmp/out" 2>&1
	st=$?
	table t_boot "$tmp/out"
	[ "$st" -eq 0 ] || fail "t_boot ends cleanly" "status $st"
}

# Exit statuses and messages, as a caller sees them.
statuses() {
	expect_table <<EOF
# name                                         | status | stdout           | stderr                   | program
demo runs, status 0                            | 0      | done: 3 coroutines finished | -         | coroutines
demo -h: usage on stdout, status 0             | 0      | usage: coroutines | -                       | coroutines -h
demo --help: usage on stdout, status 0         | 0      | usage: coroutines | -                       | coroutines --help
demo --help: what COUNT means                  | 0      | COUNT coroutines (default 3, at most $cap) | - | coroutines --help
demo --help: what STEPS means                  | 0      | STEPS (default 4) | -                       | coroutines --help
demo x: usage on stderr, status 2              | 2      | -                | usage: coroutines        | coroutines x
demo -5: usage on stderr, status 2             | 2      | -                | usage: coroutines        | coroutines -5
demo 1 2 3: usage on stderr, status 2          | 2      | -                | usage: coroutines        | coroutines 1 2 3
demo 99999999999: usage on stderr, status 2    | 2      | -                | usage: coroutines        | coroutines 99999999999
demo 3 y: usage on stderr, status 2            | 2      | -                | usage: coroutines        | coroutines 3 y
demo '': usage on stderr, status 2             | 2      | -                | usage: coroutines        | coroutines ''
demo COUNT beyond capacity: status 2           | 2      | -                | COUNT over capacity $cap | coroutines $((cap + 1))
demo with stdout closed: status 74             | 74     | >&-              | coroutines: cannot write to standard output | coroutines
print with stdout closed: status 74            | 74     | >&-              | t_print: cannot write to standard output | t_print hello
join cycle under co_run: reported, status 70   | 70     | -                | t_exit: deadlock: every coroutine waits for another | t_exit cycle
join cycle: main's wait named                  | 70     | -                | coroutine 0 (main) waits in co_run | t_exit cycle
join cycle: each coroutine's wait named        | 70     | -                | coroutine 2 waits to join coroutine 1 | t_exit cycle
main joins into a cycle: reported, status 70   | 70     | -                | coroutine 0 waits to join coroutine 1 | t_exit chain
deadlock of 21: the first 16 named            | 70     | -                | coroutine 15 waits on a wait queue | t_exit crowd
deadlock of 21: then how many more            | 70     | -                | and 5 more               | t_exit crowd
join cycle beside a sleeper: reported, 70      | 70     | *                | t_event: deadlock        | t_event cycle
wait-queue deadlock after a sleep: 70          | 70     | -                | coroutine 0 waits on a wait queue | t_wait deadlock
  ... the semaphore's waiter named             | 70     | -                | coroutine 1 waits on a semaphore | t_wait deadlock
a sleep, then only yields: the poller parks, 0 | 0      | -                | -                        | t_timer park
main's return value 0 is the exit status       | 0      | *                | *                        | t_boot status 0
main's return value 42 is the exit status      | 42     | *                | *                        | t_boot status 42
main's return value 255 is the exit status     | 255    | *                | *                        | t_boot status 255
a pool of 20000 chunks builds and runs         | 0      | stack_pool: 20000 chunks | -                | big/coroutines 2 1
channels deadlocked: reported, status 70       | 70     | -                | t_chan: deadlock: every coroutine waits | t_chan deadlock
deadlock: a receive on a channel named         | 70     | -                | coroutine 1 waits to receive on a channel | t_chan deadlock
deadlock: a send on a channel named            | 70     | -                | coroutine 2 waits to send on a channel | t_chan deadlock
deadlock: a select named, with its count       | 70     | -                | coroutine 3 waits in co_select on 2 channels | t_chan deadlock
t_chan x: usage on stderr, status 2            | 2      | -                | usage: t_chan            | t_chan x
sieve x: usage on stderr, status 2             | 2      | -                | usage: sieve [N]         | sieve x
sieve 0: usage on stderr, status 2             | 2      | -                | usage: sieve [N]         | sieve 0
sieve 1 2: usage on stderr, status 2           | 2      | -                | usage: sieve [N]         | sieve 1 2
sieve beyond the pool: said so, status 2       | 2      | -                | sieve: $((cap + 1)) primes need $((cap + 1)) coroutines; the pool holds $cap | sieve $((cap + 1))
sieve in a pool of 4: said so, status 2        | 2      | -                | the pool holds 4         | small/sieve
pipeline x: usage on stderr, status 2          | 2      | -                | usage: pipeline          | pipeline x
pipeline 0: usage on stderr, status 2          | 2      | -                | usage: pipeline          | pipeline 0
pipeline 1000001: usage on stderr, status 2    | 2      | -                | usage: pipeline          | pipeline 1000001
pipeline 10 0: usage on stderr, status 2       | 2      | -                | usage: pipeline          | pipeline 10 0
pipeline 1 2 3: usage on stderr, status 2      | 2      | -                | usage: pipeline          | pipeline 1 2 3
pipeline, workers beyond the pool: status 2    | 2      | -                | pipeline: $cap workers and the producer need $((cap + 1)) coroutines | pipeline 10 $cap
pipeline in a pool of 4: said so, status 2     | 2      | -                | the pool holds 4         | small/pipeline
EOF
}

# Overflows and faults (tests/t_guard.c): one line on stderr, named after
# the program, and death by the signal.  The canary exists only in GUARD=0
# builds.  "yield N"/"join N": the switch that does not fit faults after the
# next coroutine became current; the overflow is still coroutine 1's, from
# any start N bytes lower.
faults() {
	ovf="t_guard: coroutine 1 overflowed its $ss-byte stack"
	case $arch:$FRAME_LIMIT in
	riscv64:) alarm="fault at 0x" ;;  # gcc's probes fault before a frame can fail
	*) alarm="no room for a signal frame" ;;
	esac
	# Frames larger than the guard: probed, or refused (frame_limit).
	[ -n "$FRAME_LIMIT" ] || expect_table <<EOF
bigframe: reported, then SIGSEGV (139)         | 139    | -      | $ovf (fault at 0x                        | t_guard bigframe
frame 1.5x the chunk: its own overflow         | 139    | -      | t_guard: coroutine 2 overflowed its $ss-byte stack (fault at 0x | t_guard frame-1.5x
frame 4x the chunk: its own overflow           | 139    | -      | t_guard: coroutine 2 overflowed its $ss-byte stack (fault at 0x | t_guard frame-4x
EOF
	expect_table <<EOF
# name                                         | status | stdout | stderr                                   | program
recurse: reported, then SIGSEGV (139)          | 139    | -      | $ovf (fault at 0x                        | t_guard recurse
signal frame that does not fit: an overflow    | 139    | -      | $ovf ($alarm                             | t_guard alarm
yield near the guard: coroutine 1's overflow   | 139    | -      | $ovf (fault at 0x                        | t_guard yield 0
yield near the guard, 8 lower                  | 139    | -      | $ovf (fault at 0x                        | t_guard yield 8
yield near the guard, 16 lower                 | 139    | -      | $ovf (fault at 0x                        | t_guard yield 16
yield near the guard, 24 lower                 | 139    | -      | $ovf (fault at 0x                        | t_guard yield 24
join near the guard: coroutine 1's overflow    | 139    | -      | $ovf (fault at 0x                        | t_guard join 0
join near the guard, 8 lower                   | 139    | -      | $ovf (fault at 0x                        | t_guard join 8
join near the guard, 16 lower                  | 139    | -      | $ovf (fault at 0x                        | t_guard join 16
join near the guard, 24 lower                  | 139    | -      | $ovf (fault at 0x                        | t_guard join 24
segv: reported, then SIGSEGV (139)             | 139    | -      | t_guard: segmentation fault at 0x10 in coroutine 1 | t_guard segv
main-segv: reported, then SIGSEGV (139)        | 139    | -      | t_guard: segmentation fault at 0x10 in coroutine 0 | t_guard main-segv
early: reported, then SIGSEGV (139)            | 139    | -      | t_guard: segmentation fault at 0x10 in coroutine 0 | t_guard early
GUARD=0: a damaged canary is still caught      | 139    | -      | t_guard: coroutine 1 overflowed its $ss-byte stack (canary damaged) | noguard/t_guard canary
EOF
	# A signal sent, not a fault: said so, with the sender's pid (the
	# program prints its own), and the process still dies by it.
	for sc in "segv:segmentation fault:139" "bus:bus error:135"; do
		name=kill-${sc%%:*} sig=${sc#*:} code=${sc##*:}
		sig=${sig%:*}
		run "$tmp/out" "$tmp/err" "$B/t_guard" "$name"
		pid=$(cat "$tmp/out")
		check "$name: 'sent by pid', then dies ($code)" "status $st" \
			eval '[ "$st" -eq "$code" ] && grep -qF "t_guard: $sig signal sent by pid $pid in coroutine 1" "$tmp/err"'
	done
}

# Where the compiler has no stack probes (clang on aarch64, riscv64, arm:
# make test-env's FRAME_LIMIT), the build refuses whatever could step over
# a guard page: a frame larger than FRAME_LIMIT (checked after link-time
# optimisation has inlined), a variable-length array, alloca.  A frame
# within the limit builds and runs.
frame_limit() {
	src=build/test/src/$arch
	mkdir -p "$src"
	for case in "ok:1024:-" "big:$((FRAME_LIMIT + 1)):stack frame size" \
		"vla:-:variable length array" "alloca:-:alloca_is_refused_without_stack_probes"; do
		name=${case%%:*} size=${case#*:} want=${case##*:}
		size=${size%%:*}
		case $name in
		vla) decl="volatile char a[n + 1024];" ;;
		alloca) decl="volatile char *a = __builtin_alloca(n + 1024);" ;;
		*) decl="volatile char a[$size];" ;;
		esac
		cat >"$src/frame_$name.c" <<EOF
#include "coroutine.h"
static int n;
static __attribute__((noinline)) void f(void *arg)
{
	$decl
	__asm__ volatile ("" : : "r"(a) : "memory");
	a[n] = a[1023] = 1;
	(void)arg;
}
int main(void) { co_spawn(f, 0); return co_run(); }
EOF
		make -s app APP="$src/frame_$name.c" ARCH="$arch" BUILD="$B" >"$tmp/app" 2>&1
		st=$?
		if [ "$name" = ok ]; then
			[ "$st" -eq 0 ] && run "$tmp/out" "$tmp/err" "$B/frame_ok"
			check "a frame of $size bytes: builds and runs" "status $st" [ "$st" -eq 0 ]
		else
			case $name in
			big) what="a frame of $size bytes" ;;
			vla) what="a variable-length array" ;;
			*) what="alloca" ;;
			esac
			check "$what: refused at build time" "$(grep -o "$want" "$tmp/app" | head -1)" \
				eval '[ "$st" -ne 0 ] && grep -q "$want" "$tmp/app"'
		fi
	done
}

# What needs a pipe or a comparison, not a table line.
outputs() {
	run "$tmp/out" "$tmp/err" "$B/coroutines"
	sed -e 's/0x[0-9a-f]*/0xADDR/g' -e 's/peak stack [0-9]* bytes/peak stack N bytes/' \
		"$tmp/out" >"$tmp/masked"       # addresses and peaks differ by arch
	check "demo: output matches tests/demo.golden" "status $st" \
		cmp -s "$tmp/masked" tests/demo.golden
	run "$tmp/out" "$tmp/err" "$B/coroutines" "$cap" 2
	lines=$(wc -l <"$tmp/out")
	check "demo with COUNT = capacity" "status $st, $lines lines" \
		[ "$st" -eq 0 -a "$lines" -eq $((cap * 3 + 2)) ]
	# | head -1 ends at once: SIGPIPE as usual, or, with SIGPIPE ignored,
	# EPIPE turned into status 74.
	( { timeout 60 $RUNNER "$B/coroutines" 3 10000000; echo $? >"$tmp/st"; } | head -1 >"$tmp/out" ) 2>"$tmp/err"
	st=$(cat "$tmp/st")
	check "demo | head -1 ends at once (SIGPIPE)" "status $st" \
		eval '[ "$st" -eq 141 -o "$st" -eq 74 ] && grep -q "^stack_pool" "$tmp/out"'
	( trap '' PIPE; { timeout 60 $RUNNER "$B/coroutines" 3 10000000; echo $? >"$tmp/st"; } | head -1 >/dev/null ) 2>"$tmp/err"
	st=$(cat "$tmp/st")
	check "demo, SIGPIPE ignored, | head -1: status 74" "status $st" \
		eval '[ "$st" -eq 74 ] && grep -q "cannot write to standard output" "$tmp/err"'
	run "$tmp/out" "$tmp/err" "$B/t_exit" main-exit
	lines=$(wc -l <"$tmp/out")
	check "co_exit in main: the others finish, status 0" "status $st, $lines lines" \
		eval '[ "$st" -eq 0 -a "$lines" -eq 5 ] && tail -1 "$tmp/out" | grep -q "world 1"'
	run "$tmp/out" "$tmp/err" "$B/t_exit" main-return
	lines=$(wc -l <"$tmp/out")
	check "main returns 7 with coroutines ready: status 7" "status $st, $lines lines" \
		[ "$st" -eq 7 -a "$lines" -eq 1 ]
	# The sieve's primes against a plain trial division's, the default
	# count and as many as the pool allows.
	for args in "" "$cap"; do
		count=${args:-100}
		run "$tmp/out" "$tmp/err" "$B/sieve" $args
		awk -v want="$count" 'BEGIN { for (n = 2; found < want; n++) {
			for (d = 2; d * d <= n && n % d; d++) ;
			if (d * d > n) { print n; found++ } } }' >"$tmp/want"
		good=no; [ "$st" -eq 0 ] && cmp -s "$tmp/out" "$tmp/want" && good=yes
		check "sieve ${args:-(default)}: the first $count primes" "status $st, $(wc -l <"$tmp/out") lines" \
			[ $good = yes ]
	done
	# The pipeline's summary: JOBS results whose sum is that of the squares
	# of 1 .. JOBS, n (n + 1) (2n + 1) / 6.
	for args in "" "10 1" "5000 60"; do
		run "$tmp/out" "$tmp/err" "$B/pipeline" $args
		set -- ${args:-1000 4}
		s=s; [ "$2" -eq 1 ] && s=""
		echo "pipeline: $1 jobs, $2 worker$s: $1 results, sum of squares $(($1 * ($1 + 1) * (2 * $1 + 1) / 6))" >"$tmp/want"
		good=no; [ "$st" -eq 0 ] && cmp -s "$tmp/out" "$tmp/want" && [ ! -s "$tmp/err" ] && good=yes
		check "pipeline ${args:-(defaults)}: its summary line" "status $st, $(head -c 24 "$tmp/err")" \
			[ $good = yes ]
	done
	run "$tmp/out" "$tmp/err" "$B/t_print" lines 100000
	seq 1 100000 | sed 's/^/line /' >"$tmp/want"
	check "100000 printed lines, byte for byte" "$(wc -c <"$tmp/out") bytes" cmp -s "$tmp/out" "$tmp/want"
	# The demo's size: every byte counts, so a change that grows it past
	# the limit fails here rather than in a later look at `make size`.
	$STRIP -o "$tmp/stripped" "$B/coroutines"
	bytes=$(wc -c <"$tmp/stripped")
	case $CC in
	*clang*) echo "SKIP $arch demo stripped: $bytes bytes; the 4096-byte limit is kept by gcc's build" ;;
	*) check "demo stripped: at most 4096 bytes" "$bytes bytes" [ "$bytes" -le 4096 ] ;;
	esac
}

# examples/timers.c: its lines (after the first) come out in the order of
# their due times, each woken no earlier than due; the times themselves are
# the machine's.
timers_example() {
	run "$tmp/out" "$tmp/err" "$B/timers"
	bad=$(awk 'NR > 1 { t = $1 + 0; due = $(NF - 1) + 0
		if (t < due || due < last) { print "line " NR ": " $1 " ms, due " due; exit }
		last = due }' "$tmp/out")
	lines=$(wc -l <"$tmp/out")
	check "timers: in due order, none early" "status $st, ${bad:-$lines lines}" \
		[ "$st" -eq 0 -a -z "$bad" -a "$lines" -eq 20 ]
}

# No system call on every yield: under strace (the host only), 100 spinners
# yield 1000 times each beside a sleeper of a minute, then beside a waiter
# on an empty pipe.  The poller reads the clock once per pass of the queue
# (the vDSO's: no system call where there is one), and asks epoll once per
# pass only while an fd is waited on: at most one call per 50 yields.
syscalls() {
	if ! command -v strace >/dev/null 2>&1; then
		echo "SKIP $arch system calls per yield: strace is not installed (apt-get install strace)"
		return
	fi
	if ! strace -o /dev/null true >/dev/null 2>&1; then
		echo "SKIP $arch system calls per yield: strace cannot trace here (ptrace not permitted)"
		return
	fi
	for mode in spin spin-fd; do
		timeout 120 strace -f -o "$tmp/trace" "$B/t_timer" "$mode" >"$tmp/out" 2>"$tmp/err"
		st=$?
		yields=$(sed -n 's/^yields //p' "$tmp/out")
		calls=$(grep -cE '(clock_gettime|clock_nanosleep|epoll_pwait)[0-9]*\(' "$tmp/trace")
		check "t_timer $mode: clock and epoll calls per yield" "$calls for ${yields:-?} yields" \
			[ "$st" -eq 0 -a "${yields:-0}" -gt 0 -a $((calls * 50)) -le "${yields:-0}" ]
	done
}

# make bench under QEMU: the times would measure the emulator, so no goal
# is judged and no peer compared; the yield path is counted instead.
emulated_bench() {
	make -s app APP="bench/bench.c bench/ref.S" ARCH="$arch" BUILD="$B" >"$tmp/app" 2>&1
	sh bench/table.sh "$B" "$RUNNER" "${CROSS_COMPILE}objdump" >"$tmp/out" 2>&1
	good=no
	grep -q 'under QEMU no times' "$tmp/out" && ! grep -qi 'met\b\|target\|goal' "$tmp/out" && good=yes
	check "make bench under QEMU: no verdicts" "$(grep -o '= [0-9]* instructions' "$tmp/out")" [ $good = yes ]
}

# serve PROG [LIMIT]: start an echo server of this architecture on a free
# loopback port (an fd limit if LIMIT is given); sets $port and $spid.
serve() {
	for try in 1 2 3 4 5; do
		port=$((20000 + ($$ * 7 + n * 13 + try * 101) % 40000))
		if [ -n "${2:-}" ]; then
			( ulimit -n "$2"; exec $RUNNER "$1" "$port" ) >"$tmp/serve" 2>&1 &
		else
			$RUNNER "$1" "$port" >"$tmp/serve" 2>&1 &
		fi
		spid=$!
		for wait in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			grep -q listening "$tmp/serve" 2>/dev/null && return 0
			kill -0 "$spid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
	done
	return 1
}

# client MODE [ARGS]: tests/echo_client.py's table, counted like a suite's.
client() {
	timeout 120 python3 tests/echo_client.py "$port" "$@" >"$tmp/client" 2>&1
	cst=$?
	table echo "$tmp/client"
	grep -q '\[FAIL\]$' "$tmp/client" || [ "$cst" -eq 0 ] || fail "echo client $1 ends cleanly" "status $cst"
}

stop() { kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null; }

# The echo server (examples/echo.c) against a client we did not write.
echo_server() {
	if ! command -v python3 >/dev/null 2>&1; then
		echo "SKIP $arch echo server tests: python3 is not installed (apt-get install python3)"
		return
	fi
	if serve "$B/echo"; then
		client many
		stop
		opened=$(grep -c 'opened' "$tmp/serve") closed=$(grep -c 'closed after' "$tmp/serve")
		check "echo: a line per connection opened and closed" "$opened opened, $closed closed" \
			[ "$opened" -ge 203 -a "$opened" -eq "$closed" ]
	else
		fail "echo server listens" "$(head -c 60 "$tmp/serve")"
	fi
	if serve "$B/small/echo"; then client full; stop; else fail "echo (pool of 4) listens" "-"; fi
	if serve "$B/echo" 24; then client emfile "$spid"; stop; else fail "echo (24 fds) listens" "-"; fi
}

# gdb over tests/t_gdb.c (tests/t_gdb.py's table): the host's gdb for the
# host (and for i386 on an x86_64 host, which runs it natively), else
# gdb-multiarch through QEMU's gdb stub (gdb/debug.sh picks a free port).
debugger() {
	runner=$RUNNER tool=gdb-multiarch
	[ "$arch" = i386 ] && [ "$host" = x86_64 ] && runner=
	[ -z "$runner" ] && tool=gdb
	if ! command -v $tool >/dev/null 2>&1; then
		echo "SKIP $arch gdb: $tool is not installed (apt-get install $tool)"
		return
	fi
	# The host's gdb needs ptrace, which some containers forbid.
	if [ -z "$runner" ] && ! gdb -nx -batch -ex run "$B/t_boot" </dev/null 2>&1 |
	   grep -q 'exited with code\|exited normally'; then
		echo "SKIP $arch gdb: gdb cannot run a program here (is ptrace allowed?)"
		return
	fi
	GDB_FLAGS="-nx -batch -x tests/t_gdb.py" timeout 300 sh gdb/debug.sh "$runner" "$B/t_gdb" \
		</dev/null >"$tmp/gdb" 2>&1
	st=$?
	sed -n 's/^t_gdb\.py //p' "$tmp/gdb" >"$tmp/out"
	table t_gdb.py "$tmp/out"
	lines=$(wc -l <"$tmp/out")
	[ "$st" -eq 0 ] && [ "$lines" -ge 28 ] || fail "gdb over t_gdb ends cleanly" "status $st, $lines checks"
}

# ELF facts of every program: static, freestanding, W^X, no executable stack.
elf() {
	for f in "$B/coroutines" "$B"/t_* "$B/echo" "$B/timers" "$B/sieve" "$B/pipeline" "$B/small/t_pool" "$B/one/t_pool" "$B/noguard/t_switch"; do
		ph=$($READELF -lW "$f" 2>&1)
		und=$($NM -u "$f" 2>&1)
		why=""
		echo "$ph" | grep -q INTERP && why="$why interp"
		echo "$ph" | grep -q DYNAMIC && why="$why dynamic"
		[ -z "$und" ] || why="$why undefined:$(echo $und | head -c 40)"
		echo "$ph" | awk '$1 == "LOAD" && $0 ~ /RWE/ { f = 1 } END { exit !f }' && why="$why rwx-load"
		echo "$ph" | awk '$1 == "GNU_STACK" && $0 !~ /RWE/ { f = 1 } END { exit !f }' || why="$why stack"
		check "ELF: $(basename "$f") static, no libc, W^X, NX stack" "${why:-as it should}" [ -z "$why" ]
	done
	# Debug information and CFI are in the file, in no loaded section: the
	# stripped program does not carry a byte of them.
	sec=$($READELF -SW "$B/coroutines")
	loaded=$(echo "$sec" | awk '$2 ~ /^\.debug/ && $0 ~ / A[A-Z]* / { print $2 }' | head -1)
	good=no
	echo "$sec" | grep -q ' \.debug_info ' && echo "$sec" | grep -q ' \.debug_frame ' &&
		[ -z "$loaded" ] && good=yes
	check "demo: debug info and CFI, none of it loaded" "${loaded:-.debug_info, .debug_frame}" [ $good = yes ]
	$STRIP -o "$tmp/stripped" "$B/coroutines"
	good=no; $READELF -SW "$tmp/stripped" | grep -q '\.debug' || good=yes
	check "demo stripped: no debug section left" "$good" [ $good = yes ]
	# Pay for what you use: prio.c only where co_set_priority is called.
	for fw in coroutines:no t_switch:no t_prio:yes; do
		f=${fw%:*} want=${fw#*:} got=no
		$NM "$B/$f" | grep -q ' co_set_priority$' && got=yes
		check "$f links prio.c: $want" "$got" [ "$got" = "$want" ]
	done
}

# The build itself, once, on the host: settings that did not change rebuild
# nothing, and users' programs never collide with the tests' outputs.
build_checks() {
	arch=$host n=0
	make -s >/dev/null 2>&1
	make -s examples >/dev/null 2>&1
	make -s app APP=examples/echo.c >/dev/null 2>&1
	out=$(make 2>&1 | grep -E '^ +(CC|AS|AR|LD) ' | head -3)
	check "make after make examples/app rebuilds nothing" "${out:-nothing rebuilt}" [ -z "$out" ]
	out=$(make -n app APP=examples/echo.c 2>&1 | grep -i 'warning:' | head -1)
	check "make app APP=examples/echo.c: no warning" "${out:-no warning}" [ -z "$out" ]
	mkdir -p build/test/src
	printf 'int main(void) { return 42; }\n' >build/test/src/small.c
	make -s app APP=build/test/src/small.c >"$tmp/app" 2>&1
	./build/$host/small; st=$?
	check "make app of a program named like a test build" "status $st" [ "$st" -eq 42 ]
	rm -f build/$host/small
	cp build/test/src/small.c build/test/src/coroutines.c
	make -s app APP=build/test/src/coroutines.c >"$tmp/app" 2>&1; st=$?
	check "make app refuses a name the demo has" "status $st" \
		sh -c "[ $st -ne 0 ] && grep -q 'is taken' '$tmp/app'"
}

# ---- every architecture ----------------------------------------------------------

for arch in $archs; do
	n=0
	case " $all " in
	*" $arch "*) ;;
	*) fail "unknown architecture" "$arch"; continue ;;
	esac
	# CC, RUNNER, CROSS_COMPILE, CAPACITY, STACK_SIZE, B and FRAME_LIMIT, from the Makefile.
	eval "$(make -s test-env ARCH="$arch")"
	READELF=${CROSS_COMPILE}readelf NM=${CROSS_COMPILE}nm STRIP=${CROSS_COMPILE}strip
	cap=$CAPACITY ss=$STACK_SIZE
	missing=""
	command -v "$CC" >/dev/null 2>&1 || missing="$CC"
	[ -z "$RUNNER" ] || command -v "$RUNNER" >/dev/null 2>&1 || missing="$missing $RUNNER"
	if [ -n "$missing" ]; then
		if [ "$required" = yes ] || [ "$arch" = "$host" ]; then
			fail "toolchain" "missing:$missing"
		else
			echo "SKIP $arch: missing$(printf ' %s' $missing)"
		fi
		continue
	fi
	if ! make -s -j2 ARCH="$arch" test-build >"$tmp/build" 2>&1; then
		cat "$tmp/build"
		fail "build" "see the lines above"
		continue
	fi
	[ -s "$tmp/build" ] && sed "s/^/$arch build: /" "$tmp/build"

	suites
	statuses
	faults
	[ -n "$FRAME_LIMIT" ] && frame_limit
	outputs
	timers_example
	[ -n "$RUNNER" ] && emulated_bench
	[ "$arch" = "$host" ] && syscalls
	echo_server
	debugger
	elf
done
build_checks

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

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
#
# The architectures run at once, each into its own log, printed in the
# order above when it is done; meanwhile one line per step on standard
# error says what is being built and run.  Each builds only the variants'
# programs that its checks run: a first pass over the tables (plan) names
# them.  NATIVE_I386=no: as on an x86_64 host that cannot run i386
# programs (tests/native.sh).
set -u
cd "$(dirname "$0")/.." || exit 2
ulimit -c 0             # the crash tests must not leave core files

all=$(make -s archs) host=$(make -s host-arch)  # the Makefile's names
. tests/native.sh
if [ $# -gt 0 ]; then archs="$*"; required=yes; else archs=$all; required=no; fi
top=$(mktemp -d) || exit 2
trap 'rm -rf "$top"' EXIT
start=$(date +%s) plan=""
exec 3>&2               # progress lines, while the checks' output goes to logs

# ---- counting and printing -------------------------------------------------

progress() {    # WHAT: one line on standard error, with the seconds so far
	printf '[%4ds] %-8s %s\n' $(($(date +%s) - start)) "$arch" "$*" >&3
}

line() {        # MARK NAME OBSERVED
	[ -z "$plan" ] || return 0
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

# need PROG: the plan pass notes a program (a path under $B) to build.
need() { echo "${1#"$B"/}" >>"$tmp/needs"; }

# run OUT ERR PROG [ARGS...]: run a program of this architecture, bounded in
# time; sets $st to its exit status (124: it hung).  The plan pass only
# notes PROG.
run() {
	o=$1 e=$2; shift 2
	if [ -n "$plan" ]; then need "$1"; : >"$o"; : >"$e"; st=0; return; fi
	timeout 120 $RUNNER "$@" >"$o" 2>"$e"
	st=$?
}

# suite PROG [ARGS...]: a test program's own table, counted line by line;
# PROG is a path under $B (variant/t_pool for a variant's).
suite() {
	p=$1; shift
	[ -z "$plan" ] || { need "$p"; return; }
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
	[ -z "$plan" ] || { need "$prog"; return; }
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
		if [ -n "$plan" ]; then eval "set -- $cmd"; need "$1"; continue; fi
		set -f
		name=$(echo $name) want=$(echo $want) wout=$(echo $wout) werr=$(echo $werr)
		set +f
		eval "set -- $cmd"
		expect "$name" "$want" "$wout" "$werr" -- "$@" </dev/null
	done
}

# ---- the checks ----------------------------------------------------------------

# suite_table: one line of standard input per run of programs' own tables,
#   builds | programs | arguments
# builds: "." for the default build, or variants (the Makefile's VARIANTS:
# a variant this architecture does not build is left out).
suite_table() {
	while IFS='|' read -r builds progs args; do
		case $builds in '#'* | '') continue ;; esac
		for b in $builds; do
			case " . $VARIANTS " in *" $b "*) ;; *) continue ;; esac
			for p in $progs; do
				[ "$b" = . ] || p=$b/$p
				eval "suite $p $args"
			done
		done
	done
}

# Every test program's own table, at the default settings and in the
# variants (O0 and O2: other optimisation levels, the host only).
suites() {
	suite_table <<EOF
# builds  | programs                                                            | arguments
.         | t_switch t_order t_join t_pool t_print t_guard t_event t_clock t_prio t_wait t_timer t_chan t_gdb t_asm t_proc t_signal t_helpers t_cancel t_ssp t_pie t_select |
small     | t_pool t_prio                                                        |
one       | t_pool                                                               | 100000
small     | t_wait t_timer                                                       |
one       | t_timer                                                              |
noguard   | t_switch t_order t_join t_pool t_guard t_event t_wait t_timer t_chan t_select |
big       | t_guard t_join t_switch t_order t_prio                                |
ubsan     | t_switch t_order t_join t_pool t_print t_guard t_event t_clock t_prio |
harden    | t_switch t_order t_join t_pool t_print t_guard t_event t_wait t_timer t_chan t_ssp |
O0 O2     | t_switch t_order t_join t_event t_guard t_print t_prio t_wait t_timer t_chan t_select |
O0 O2     | t_pool                                                               | 100000
EOF
	# small: 32 priority levels, and the poller beside a pool of 4 (and of
	# 1 in one); noguard: all but the guard holds; ubsan: undefined
	# behaviour would trap (SIGILL or SIGTRAP); harden: HARDEN=1, the stack
	# protector in the runtime and the programs.
	[ -z "$plan" ] || return 0      # the rest: the default build
	suite t_print tty               # stdout a terminal: line-buffered
	suite t_print pipe              # a pipe: fully buffered
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
	# The fuzz targets' kept inputs (tests/fuzz/<target>/: seeds and every
	# input that once crashed), replayed by programs of the host's C library
	# (make test-build builds them on the host): make fuzz-replay.
	if [ "$arch" = "$host" ]; then
		sh tests/fuzz.sh replay $(make -s fuzz-targets) >"$tmp/out" 2>"$tmp/err"
		st=$?
		table fuzz.sh "$tmp/out"
		sed "s|^|$arch fuzz.sh stderr: |" "$tmp/err"
		[ "$st" -eq 0 ] || grep -q '\[FAIL\]$' "$tmp/out" || fail "fuzz.sh replay ends cleanly" "status $st"
	fi
	# An x86_64 kernel runs i386 programs itself, with its 32-bit vDSO,
	# where it has IA32 emulation (tests/native.sh).
	if [ -n "$RUNNER" ] && [ "$native" = yes ]; then
		RUNNER= run "$tmp/out" "$tmp/err" "$B/t_clock"
		table "t_clock (native)" "$tmp/out"
		[ "$st" -eq 0 ] || fail "t_clock (native) ends cleanly" "status $st"
	elif [ -n "$RUNNER" ] && [ "$arch" = i386 ] && [ "$host" = x86_64 ]; then
		echo "SKIP $arch t_clock (native): $why"
	fi
	timeout 120 env -i FOO=bar EMPTY= $RUNNER "$B/t_boot" one "two words" "" >"$tmp/out" 2>&1
	st=$?
	table t_boot "$tmp/out"
	[ "$st" -eq 0 ] || fail "t_boot ends cleanly" "status $st"
}

# make install into a temporary prefix, a program built from the
# pkg-config file alone (tests/install.sh's table).
install_check() {
	sh tests/install.sh "$arch" "$B" >"$tmp/out" 2>&1
	table install.sh "$tmp/out"
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
sieve x: usage on stderr, status 2             | 2      | -                | usage: sieve [N]         | examples/sieve x
sieve 0: usage on stderr, status 2             | 2      | -                | usage: sieve [N]         | examples/sieve 0
sieve 1 2: usage on stderr, status 2           | 2      | -                | usage: sieve [N]         | examples/sieve 1 2
sieve beyond the pool: said so, status 2       | 2      | -                | sieve: $((cap + 1)) primes need $((cap + 1)) coroutines; the pool holds $cap | examples/sieve $((cap + 1))
sieve in a pool of 4: said so, status 2        | 2      | -                | the pool holds 4         | small/examples/sieve
pipeline x: usage on stderr, status 2          | 2      | -                | usage: pipeline          | examples/pipeline x
pipeline 0: usage on stderr, status 2          | 2      | -                | usage: pipeline          | examples/pipeline 0
pipeline 1000001: usage on stderr, status 2    | 2      | -                | usage: pipeline          | examples/pipeline 1000001
pipeline 10 0: usage on stderr, status 2       | 2      | -                | usage: pipeline          | examples/pipeline 10 0
pipeline 1 2 3: usage on stderr, status 2      | 2      | -                | usage: pipeline          | examples/pipeline 1 2 3
pipeline, workers beyond the pool: status 2    | 2      | -                | pipeline: $cap workers and the producer need $((cap + 1)) coroutines | examples/pipeline 10 $cap
pipeline in a pool of 4: said so, status 2     | 2      | -                | the pool holds 4         | small/examples/pipeline
broken socket: -EPIPE, buffered stdout kept    | 0      | buffered: this line, not flushed | -  | t_event epipe-buffered
  ... and the program goes on                  | 0      | co_write to a broken socket: -32 | -  | t_event epipe-buffered
stdout broken pipe, co_print: SIGPIPE, silent  | 141    | pipe: -32        | -                        | t_event broken-stdout print
stdout broken pipe, co_write: SIGPIPE, silent  | 141    | pipe: -32        | -                        | t_event broken-stdout write
stdout a broken socket, co_write: SIGPIPE      | 141    | pipe: -32        | -                        | t_event broken-stdout socket
stdout broken, SIGPIPE ignored: 74 and a line  | 74     | pipe: -32        | t_event: cannot write to standard output | t_event broken-stdout ignored
stderr a broken pipe, co_eprint: SIGPIPE       | 141    | pipe: -32        | *                        | t_event broken-stderr eprint
stderr a broken pipe, co_write: SIGPIPE        | 141    | pipe: -32        | *                        | t_event broken-stderr write
execve after co_write: SIGPIPE not ignored     | 141    | pipe: -32        | -                        | t_event exec
a signal routed, another sent: dies by it, 140 | 140    | -                | *                        | t_signal default
a signal routed, then a fault: reported, 139   | 139    | -                | t_signal: segmentation fault at 0x0 | t_signal fault
t_signal x: usage on stderr, status 2          | 2      | -                | usage: t_signal          | t_signal x
EOF
}

# Overflows and faults (tests/t_guard.c): one line on stderr, named after
# the program, and death by the signal.  The canary exists only in GUARD=0
# builds.  "yield N"/"join N": the switch that does not fit faults after the
# next coroutine became current; the overflow is still coroutine 1's, from
# any start N bytes lower.  "above": a write upward past a stack's top,
# into the guard of the chunk above (or past the pool's last chunk), is
# the writer's, told by its stack pointer, never the neighbour's overflow.
faults() {
	run "$tmp/out" "$tmp/err" "$B/t_guard" usable         # CO_STACK_USABLE
	usable=$(cat "$tmp/out")
	run "$tmp/out" "$tmp/err" "$B/noguard/t_guard" usable
	usable0=$(cat "$tmp/out")
	stack="its stack ($usable bytes usable; STACK_SIZE=$ss)"
	ovf="t_guard: coroutine 1 overflowed $stack"
	case $arch in   # the trap GCC emits: ud2, udf (SIGILL); brk, ebreak (SIGTRAP)
	aarch64 | riscv64) trap="breakpoint trap" tcode=133 ;;
	*) trap="illegal instruction" tcode=132 ;;
	esac
	ucode=$tcode                      # UBSan's trap: clang's is unimp on riscv64
	case $arch:$CC in riscv64:*clang*) ucode=132 ;; esac
	case $arch in                     # a store to address 0x10 faults at:
	s390x) at=0x0 ;;                  # the page: s390x reports no more of it
	*) at=0x10 ;;
	esac
	# Frames larger than the guard: probed, or refused (frame_limit).
	[ -n "$FRAME_LIMIT" ] || expect_table <<EOF
bigframe: reported, then SIGSEGV (139)         | 139    | -      | $ovf                                      | t_guard bigframe
frame 1.5x the chunk: its own overflow         | 139    | -      | t_guard: coroutine 2 overflowed $stack | t_guard frame-1.5x
frame 4x the chunk: its own overflow           | 139    | -      | t_guard: coroutine 2 overflowed $stack | t_guard frame-4x
EOF
	expect_table <<EOF
# name                                         | status | stdout | stderr                                   | program
recurse: reported, then SIGSEGV (139)          | 139    | -      | $ovf                                      | t_guard recurse
signal frame that does not fit: an overflow    | 139    | -      | $ovf                                      | t_guard alarm
yield near the guard: coroutine 1's overflow   | 139    | -      | $ovf                                      | t_guard yield 0
yield near the guard, 8 lower                  | 139    | -      | $ovf                                      | t_guard yield 8
yield near the guard, 16 lower                 | 139    | -      | $ovf                                      | t_guard yield 16
yield near the guard, 24 lower                 | 139    | -      | $ovf                                      | t_guard yield 24
join near the guard: coroutine 1's overflow    | 139    | -      | $ovf                                      | t_guard join 0
join near the guard, 8 lower                   | 139    | -      | $ovf                                      | t_guard join 8
join near the guard, 16 lower                  | 139    | -      | $ovf                                      | t_guard join 16
join near the guard, 24 lower                  | 139    | -      | $ovf                                      | t_guard join 24
above its top: the writer named, not 2         | 139    | -      | , outside its stack, in coroutine 1 | t_guard above
above the pool's last chunk: the writer named  | 139    | -      | , outside its stack, in coroutine 4 | small/t_guard above-last
segv: reported, then SIGSEGV (139)             | 139    | -      | t_guard: segmentation fault at $at in coroutine 1 | t_guard segv
main-segv: reported, then SIGSEGV (139)        | 139    | -      | t_guard: segmentation fault at $at in coroutine 0 | t_guard main-segv
early: reported, then SIGSEGV (139)            | 139    | -      | t_guard: segmentation fault at $at in coroutine 0 | t_guard early
GUARD=0: a damaged canary is still caught      | 139    | -      | t_guard: coroutine 1 overflowed its stack ($usable0 bytes usable; STACK_SIZE=$ss): canary damaged | noguard/t_guard canary
print, then segv: the line is not lost         | 139    | printed before the fault | t_guard: segmentation fault at $at in coroutine 1 | t_guard print-segv
print, then overflow: the line is not lost     | 139    | printed before the fault | $ovf | t_guard print-recurse
print, then main-segv: the line is not lost    | 139    | printed before the fault | in coroutine 0 | t_guard print-main-segv
GUARD=0 print, then canary: line not lost      | 139    | printed before the fault | canary damaged | noguard/t_guard print-canary
UBSan trap: said so, dies by the signal        | $ucode | -      | t_guard: undefined behaviour (UBSan trap) at 0x | ubsan/t_guard ubsan
a signal while the poller runs: poller named   | 139    | -      | sent by pid | t_guard poller
  ... "in the runtime's poller"                | 139    | -      | in the runtime's poller | t_guard poller
HARDEN=1: an overflow is still the overflow    | 139    | -      | $ovf                                      | harden/t_guard recurse
HARDEN=1: above its top, the writer named      | 139    | -      | , outside its stack, in coroutine 1 | harden/t_guard above
EOF
	# FAULT_REPORT=0: no handler, the kernel's default action, and no line
	# of the program's (QEMU says it died, on stderr, in its own words).
	for m in recurse "yield 0" segv; do
		run "$tmp/out" "$tmp/err" "$B/noreport/t_guard" $m
		check "FAULT_REPORT=0 $m: SIGSEGV (139), no report" "status $st" \
			eval '[ "$st" -eq 139 ] && ! grep -q "^t_guard: " "$tmp/err"'
	done
	# Guards installed in batches (pools of more than 256 chunks: pool.c's
	# prepare; big's 20000): an overflow is caught in a chunk guarded ahead
	# of its use, in the middle of a batch (255 to 510) and at its end.
	run "$tmp/out" "$tmp/err" "$B/big/t_guard" usable
	bstack="its stack ($(cat "$tmp/out") bytes usable; STACK_SIZE=32768)"
	expect_table <<EOF
batch: chunk 300, guarded ahead, overflows     | 139    | -      | t_guard: coroutine 301 overflowed $bstack | big/t_guard recurse 300
batch: its last chunk, 510, overflows          | 139    | -      | t_guard: coroutine 511 overflowed $bstack | big/t_guard recurse 510
EOF
	# A signal sent, not a fault: said so, with the sender's pid (the
	# program prints its own), and the process still dies by it.
	for sc in "segv:segmentation fault:139" "bus:bus error:135" \
		"ill:illegal instruction:132" "trap:breakpoint trap:133"; do
		name=kill-${sc%%:*} sig=${sc#*:} code=${sc##*:}
		sig=${sig%:*}
		run "$tmp/out" "$tmp/err" "$B/t_guard" "$name"
		pid=$(cat "$tmp/out")
		check "$name: 'sent by pid', then dies ($code)" "status $st" \
			eval '[ "$st" -eq "$code" ] && grep -qF "t_guard: $sig sent by pid $pid in coroutine 1" "$tmp/err"'
	done
	# The compiler's trap instruction, and on x86 a general-protection
	# fault (no address): reported at the instruction's pc, which the
	# program prints (tests/arch.S), and death by the signal.
	run "$tmp/out" "$tmp/err" "$B/t_guard" trap
	pc=$(cat "$tmp/out")
	check "trap: '$trap at' its address, dies ($tcode)" "status $st" \
		eval '[ "$st" -eq "$tcode" ] && grep -qF "t_guard: $trap at $pc in coroutine 1" "$tmp/err"'
	# Elsewhere the same store is a fault at an address (QEMU may give 0).
	run "$tmp/out" "$tmp/err" "$B/t_guard" gp
	case $arch in
	x86_64 | i386) want="general protection fault at pc $(cat "$tmp/out")" ;;
	*) want="segmentation fault at 0x[0-9a-f]*" ;;
	esac
	check "gp: '${want% 0x*}', dies (139)" "status $st" \
		eval '[ "$st" -eq 139 ] && grep -q "^t_guard: $want in coroutine 1\$" "$tmp/err"'
}

# The stack protector (ssp.c, tests/t_ssp.c built with -fstack-protector-all):
# a smashed canary is one line, then death by SIGABRT, the buffered
# standard output never written; the canary differs from run to run; HARDEN=1
# builds the demo and the suite's programs with it.
protector() {
	expect_table <<EOF
# name                                         | status | stdout | stderr                                   | program
stack smashed: one line, then SIGABRT (134)    | 134    | -      | t_ssp: stack smashing detected in coroutine 1 | t_ssp smash
stack smashed in main: coroutine 0             | 134    | -      | t_ssp: stack smashing detected in coroutine 0 | t_ssp main-smash
HARDEN=1: stack smashed, the same              | 134    | -      | t_ssp: stack smashing detected in coroutine 1 | harden/t_ssp smash
HARDEN=1: the demo runs                        | 0      | done: 3 coroutines finished | -               | harden/coroutines
EOF
	[ -z "$plan" ] || return 0
	run "$tmp/out" "$tmp/err" "$B/t_ssp" smash
	# QEMU's own line aside, and the shell's "Aborted" (dash writes it
	# where the command's standard error went)
	lines=$(grep -cv -e '^qemu: ' -e '^Aborted' "$tmp/err")
	check "stack smashed: nothing else on stderr" "$lines line(s)" [ "$lines" -eq 1 ]
	run "$tmp/out" "$tmp/err" "$B/t_ssp" canary
	one=$(cat "$tmp/out")
	run "$tmp/out" "$tmp/err" "$B/t_ssp" canary
	two=$(cat "$tmp/out")
	check "canary: another in each run" "$one, $two" \
		[ -n "$one" -a -n "$two" -a "$one" != "$two" ]
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
			[ "$st" -eq 0 ] && run "$tmp/out" "$tmp/err" "$B/bin/frame_ok"
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
		run "$tmp/out" "$tmp/err" "$B/examples/sieve" $args
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
		run "$tmp/out" "$tmp/err" "$B/examples/pipeline" $args
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
	# s390x's instructions are 2 to 6 bytes long, most 4 or 6: the same code
	# is about an eighth larger there, and its limit is a page and a quarter
	# (docs/size.md).
	limit=4096
	[ "$arch" = s390x ] && limit=5120
	case $PIE:$CC in
	1:*) echo "SKIP $arch demo stripped: $bytes bytes; the $limit-byte limit is the default build's (PIE=1 adds its relocations and RELRO's page: make size)" ;;
	*clang*) echo "SKIP $arch demo stripped: $bytes bytes; the $limit-byte limit is kept by gcc's build" ;;
	*) check "demo stripped: at most $limit bytes" "$bytes bytes" [ "$bytes" -le "$limit" ] ;;
	esac
}

# make app TINY=1 (sht.c): a program stripped and without its section
# header table still runs, its own table all [OK], and readelf reads its
# program headers; GNU strip's file, from the same link, is larger.
tiny() {
	make -s app APP=tests/t_join.c TINY=1 ARCH="$arch" BUILD="$B" >"$tmp/app" 2>&1
	st=$?
	check "make app TINY=1: builds" "status $st" [ "$st" -eq 0 ]
	[ "$st" -eq 0 ] || { sed "s/^/$arch tiny: /" "$tmp/app"; return; }
	suite bin/t_join
	ph=$($READELF -lhW "$B/bin/t_join" 2>&1)
	check "TINY=1: readelf -l reads it" "$(echo "$ph" | grep -c '^ *LOAD') LOAD lines" \
		eval '! echo "$ph" | grep -qi "warning\|error" && echo "$ph" | grep -q "^ *LOAD"'
	shnum=$(echo "$ph" | sed -n 's/^ *Number of section headers: *//p')
	check "TINY=1: no section header table" "${shnum:-?} section headers" [ "${shnum:-1}" = 0 ]
	full=$(wc -c <"$B/app/t_join.full.stripped") tiny=$(wc -c <"$B/bin/t_join")
	check "TINY=1: smaller than GNU strip leaves it" "$tiny < $full bytes" [ "$tiny" -lt "$full" ]
	got=symbols; $NM "$B/bin/t_join" 2>&1 | grep -q "no symbols" && got="no symbols"
	check "TINY=1: stripped" "nm: $got" [ "$got" = "no symbols" ]
}

# examples/timers.c: its lines (after the first) come out in the order of
# their due times, each woken no earlier than due; the times themselves are
# the machine's.  A timer woken so late that its next tick is due already
# prints that one at once, without a sleep: such a line (right after its
# own timer's, printed at or after its due time) is only never early.
timers_example() {
	run "$tmp/out" "$tmp/err" "$B/examples/timers"
	bad=$(awk 'NR > 1 { t = $1 + 0; due = $(NF - 1) + 0; who = $4
		if (t < due) { print "line " NR ": " $1 " ms, due " due; exit }
		if (who == lastwho && lastt >= due) { lastt = t; next }
		if (due < last) { print "line " NR ": due " due " after " last; exit }
		last = due; lastwho = who; lastt = t }' "$tmp/out")
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

# A program's system calls: under QEMU, its -strace; on the host, strace
# (if installed and allowed to trace).  traced OUT TRACE PROG [ARGS...]:
# PROG's standard output in OUT, its calls in TRACE; its status.
can_trace() {
	[ -n "$RUNNER" ] || { command -v strace >/dev/null 2>&1 && strace -o /dev/null true >/dev/null 2>&1; }
}
traced() {
	o=$1 t=$2
	shift 2
	if [ -n "$RUNNER" ]; then
		timeout 120 $RUNNER -strace "$@" >"$o" 2>"$t"
	else
		timeout 120 strace -f -o "$t" "$@" >"$o" 2>"$tmp/err"
	fi
}

# A deadline already past needs no system call: main alone sleeps 0 ns,
# then 1 ns, 1000 times each (t_timer sleep0).  Counted under strace on the
# host, under QEMU's -strace elsewhere.
past_deadlines() {
	if ! can_trace; then
		echo "SKIP $arch co_sleep(0)'s system calls: no strace that can trace here"
		return
	fi
	traced "$tmp/out" "$tmp/trace" "$B/t_timer" sleep0
	st=$?
	sleeps=$(sed -n 's/^sleeps //p' "$tmp/out")
	calls=$(grep -cE '(clock_nanosleep|epoll_pwait)[0-9]*\(' "$tmp/trace")
	check "co_sleep(0) alone: no clock_nanosleep" "$calls for ${sleeps:-?} sleeps" \
		[ "$st" -eq 0 -a "${sleeps:-0}" -eq 2000 -a "$calls" -eq 0 ]
}

# A socket's round trip at the system-call floor: two coroutines echo 64
# bytes 2000 times over a stream socket pair (t_select pingpong).  A read
# that came up short waits for epoll's next event with no read that would
# return EAGAIN, and a registration stays armed: at most one epoll_ctl or
# EAGAIN per 50 round trips.  Under strace on the host, QEMU's -strace
# elsewhere.
round_trips() {
	if ! can_trace; then
		echo "SKIP $arch a socket's round trip: no strace that can trace here"
		return
	fi
	traced "$tmp/out" "$tmp/trace" "$B/t_select" pingpong
	st=$?
	trips=$(sed -n 's/^trips //p' "$tmp/out")
	ctl=$(grep -c 'epoll_ctl' "$tmp/trace")
	again=$(grep -E 'recvfrom|sendto|read\(|write\(' "$tmp/trace" | grep -cE 'EAGAIN|errno=11[^0-9]')
	check "t_select pingpong: epoll_ctl, EAGAIN per trip" "$ctl, $again for ${trips:-?} trips" \
		[ "$st" -eq 0 -a "${trips:-0}" -eq 2000 -a $(((ctl + again) * 50)) -le "${trips:-0}" ]
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
# (The architectures run at once: each its own ports, from its index.)
serve() {
	[ -z "$plan" ] || { need "$1"; return 1; }
	for try in 1 2 3 4 5; do
		port=$((20000 + ($$ * 7 + ai * 3907 + n * 13 + try * 101) % 40000))
		if [ -n "${2:-}" ]; then
			( ulimit -n "$2"; exec $RUNNER "$1" "$port" ) >"$tmp/serve" 2>&1 &
		else
			$RUNNER "$1" "$port" >"$tmp/serve" 2>&1 &
		fi
		spid=$!
		wait=0                  # 10 s at most: a busy machine, an emulator
		while [ $wait -lt 100 ]; do
			grep -q listening "$tmp/serve" 2>/dev/null && return 0
			kill -0 "$spid" 2>/dev/null || break
			sleep 0.1
			wait=$((wait + 1))
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
	if serve "$B/examples/echo"; then
		client many
		stop
		opened=$(grep -c 'opened' "$tmp/serve") closed=$(grep -c 'closed after' "$tmp/serve")
		check "echo: a line per connection opened and closed" "$opened opened, $closed closed" \
			[ "$opened" -ge 203 -a "$opened" -eq "$closed" ]
	else
		fail "echo server listens" "$(head -c 60 "$tmp/serve")"
	fi
	if serve "$B/small/examples/echo"; then client full; stop; else fail "echo (pool of 4) listens" "-"; fi
	if serve "$B/examples/echo" 24; then client emfile "$spid"; stop; else fail "echo (24 fds) listens" "-"; fi
}

# examples/init.c beside tini (tests/t_init.sh's table): statuses, signal
# forwarding, an orphan reaped.  Its CMDs are the host's sh, run by QEMU's
# execve as they are.
init_example() {
	sh tests/t_init.sh "$B/examples/init" "$RUNNER" >"$tmp/init" 2>&1
	table init "$tmp/init"
}

# Sockets (tests/t_net.c), the HTTP server's parser alone (tests/t_http.c)
# and the server (tests/httpd.sh: curl, raw requests, wrk and ab where
# installed; SKIP lines otherwise).
net() {
	for p in t_net t_http ubsan/t_net ubsan/t_http; do
		suite $p
	done
	[ -z "$plan" ] || { need small/examples/httpd; return; }  # tests/httpd.sh's full pool
	got=no; $NM "$B/coroutines" | grep -q ' co_listen$' && got=yes
	check "coroutines links net.c: no" "$got" [ "$got" = no ]
	sh tests/httpd.sh "$B" "$RUNNER" >"$tmp/httpd" 2>&1
	hst=$?
	grep '^SKIP' "$tmp/httpd" | sed "s/^SKIP /SKIP $arch /"
	grep -v '^SKIP' "$tmp/httpd" >"$tmp/out"
	table httpd.sh "$tmp/out"
	[ "$hst" -eq 0 ] || grep -q '\[FAIL\]$' "$tmp/out" || fail "tests/httpd.sh ends cleanly" "status $hst"
}

# gdb over tests/t_gdb.c (tests/t_gdb.py's table): the host's gdb for the
# host (and for i386 on an x86_64 host that runs it natively), else
# gdb-multiarch through QEMU's gdb stub (gdb/debug.sh picks a free port).
debugger() {
	runner=$RUNNER tool=gdb-multiarch
	[ "$native" = yes ] && runner=
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

# Where a program loads (tests/t_pie.c): a PIE=1 program at another
# address each run, a default one at its link address each time.  QEMU
# user mode loads a PIE at one base every run: there, a SKIP line (and on
# an x86_64 host that runs i386 programs, the i386 build runs natively).
aslr() {
	runner=$RUNNER
	[ "$native" = yes ] && runner=
	timeout 60 $runner "$B/t_pie" addresses >"$tmp/a1" 2>&1
	timeout 60 $runner "$B/t_pie" addresses >"$tmp/a2" 2>&1
	a1=$(cut -d' ' -f2,4 "$tmp/a1") a2=$(cut -d' ' -f2,4 "$tmp/a2")
	f1=${a1%% *} f2=${a2%% *} p1=${a1#* } p2=${a2#* }
	if [ "$PIE" != 1 ]; then
		check "default build: the same addresses each run" "add1 $f1, stack_pool $p1" \
			[ -n "$f1" -a "$a1" = "$a2" ]
	elif [ -n "$runner" ]; then
		echo "SKIP $arch PIE=1: two runs at two addresses: QEMU user mode loads a PIE at one base every run"
	else
		check "PIE=1: a function elsewhere in each run" "$f1, $f2" [ -n "$f1" -a "$f1" != "$f2" ]
		check "PIE=1: stack_pool elsewhere in each run" "$p1, $p2" [ -n "$p1" -a "$p1" != "$p2" ]
	fi
}

# ELF facts of every program: static, freestanding, W^X, no executable
# stack; a PIE=1 program has a dynamic section (RELATIVE relocations only,
# no DT_NEEDED: tests/pie_check.sh), a default one none.
elf() {
	for f in "$B/coroutines" "$B"/t_* "$B"/examples/* "$B/small/t_pool" "$B/one/t_pool" "$B/noguard/t_switch" \
		 "$B/harden/coroutines"; do
		ph=$($READELF -lW "$f" 2>&1)
		und=$($NM -u "$f" 2>&1)
		why=""
		echo "$ph" | grep -q INTERP && why="$why interp"
		if [ "$PIE" = 1 ]; then
			cp "$f" "$tmp/pie"
			sh tests/pie_check.sh "$READELF" "$tmp/pie" 2>/dev/null || why="$why not-static-pie"
			echo "$ph" | grep -q GNU_RELRO || why="$why no-relro"
		else
			echo "$ph" | grep -q DYNAMIC && why="$why dynamic"
		fi
		[ -z "$und" ] || why="$why undefined:$(echo $und | head -c 40)"
		echo "$ph" | awk '$1 == "LOAD" && $0 ~ /RWE/ { f = 1 } END { exit !f }' && why="$why rwx-load"
		echo "$ph" | awk '$1 == "GNU_STACK" && $0 !~ /RWE/ { f = 1 } END { exit !f }' || why="$why stack"
		check "ELF: $(basename "$f") static$([ "$PIE" = 1 ] && echo " PIE"), no libc, W^X, NX stack" \
			"${why:-as it should}" [ -z "$why" ]
	done
	# arm: ARM-mode functions (even symbols) start on a word: a Thumb
	# caller's blx rounds its target down to one (docs/porting.md).
	if [ "$arch" = arm ]; then
		bad=$(for f in "$B/coroutines" "$B"/t_* "$B"/examples/*; do
			$READELF -sW "$f" | awk -v f="${f#$B/}" '$4 == "FUNC" && $2 ~ /[26ae]$/ { print f ": " $8; exit }'
		done | head -1)
		check "arm: ARM-mode functions on a word" "${bad:-all of them}" [ -z "$bad" ]
	fi
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
	# ... ssp.c only with the stack protector: the demo's entry point is
	# _start, and it has no canary, thread pointer or __stack_chk_fail.
	for fw in coroutines:no t_switch:no t_ssp:yes harden/coroutines:yes; do
		f=${fw%:*} want=${fw#*:} got=no
		$NM "$B/$f" | grep -q ' __stack_chk_fail$' && got=yes
		check "$f links ssp.c: $want" "$got" [ "$got" = "$want" ]
	done
	entry=$($READELF -hW "$B/coroutines" | awk '/Entry point/ { print $NF }')
	start_addr=$($NM "$B/coroutines" | awk '$3 == "_start" { print $1 }')
	check "demo: the entry point is _start" "$entry" [ "$((entry))" -eq "$((0x$start_addr))" ]
	# ... proc.c and clone.S (their _co_clone), signal.c (co_signal_wait,
	# which t_signal calls too often to be inlined) where called only.
	for fw in coroutines:_co_clone:no t_switch:_co_clone:no t_proc:_co_clone:yes examples/init:_co_clone:yes \
		  coroutines:co_signal_wait:no t_switch:co_signal_wait:no t_signal:co_signal_wait:yes; do
		f=${fw%%:*} s=${fw#*:} want=${fw##*:} got=no
		s=${s%:*}
		$NM "$B/$f" | grep -q " $s\$" && got=yes
		check "$f links $s: $want" "$got" [ "$got" = "$want" ]
	done
}

# The build itself, once, on the host: settings that did not change rebuild
# nothing, and users' programs never collide with the tests' outputs.
build_checks() {
	arch=$host n=0
	b=$(make -s test-env ARCH="$host" | sed -n "s/.* B=\([^ ]*\) .*/\1/p")    # the tests' own (build/test/$host/,
	# or build/test-pie/$host/): build/$host/bin/ is the user's
	make -s BUILD=$b >/dev/null 2>&1
	make -s examples BUILD=$b >/dev/null 2>&1
	make -s app APP=examples/echo.c BUILD=$b >/dev/null 2>&1
	out=$(make BUILD=$b 2>&1 | grep -E '^ +(CC|AS|AR|LD) ' | head -3)
	check "make after make examples/app rebuilds nothing" "${out:-nothing rebuilt}" [ -z "$out" ]
	out=$(make -n app APP=examples/echo.c 2>&1 | grep -i 'warning:' | head -1)
	check "make app APP=examples/echo.c: no warning" "${out:-no warning}" [ -z "$out" ]
	# make app (any name, the user's flags, no -Werror): tests/build.sh
	sh tests/build.sh >"$tmp/out" 2>&1
	table build.sh "$tmp/out"
	# the docs name functions, not line numbers: tests/docs.sh
	sh tests/docs.sh >"$tmp/out" 2>&1
	table docs.sh "$tmp/out"
}

# A STACK_SIZE that leaves less than CO_STACK_MIN usable (coroutine.h): the
# build stops, naming the least STACK_SIZE; a page less is refused the same
# way, and the least builds (demo.o alone, in a folder of its own).
ss_build() { make -s ARCH="$arch" STACK_SIZE="$1" BUILD="$tmp/ss" "$tmp/ss/obj/demo.o" >"$tmp/ss.out" 2>&1; }
stack_min() {
	ss_build 4096
	least=$(grep -o 'use STACK_SIZE=[0-9]*' "$tmp/ss.out" | head -1 | cut -d= -f2)
	least=${least:-0} got=refused
	if [ "$least" -lt 8192 ]; then got="no least named"
	elif ss_build $((least - 4096)); then got=built
	elif ! grep -q "use STACK_SIZE=$least or more" "$tmp/ss.out"; then got="refused, not naming it"
	elif ! ss_build "$least"; then got="refused, and so is $least"
	fi
	check "STACK_SIZE a page below the least: refused" "least $least; $got" [ "$got" = refused ]
}

# ---- every architecture ----------------------------------------------------------

# one_arch: the whole suite for $arch (its index $ai), from its build on;
# its lines on standard output, its counts in $passed and $failed.
one_arch() {
	n=0 passed=0 failed=0
	tmp=$top/$arch
	mkdir -p "$tmp"
	case " $all " in
	*" $arch "*) ;;
	*) fail "unknown architecture" "$arch"; return ;;
	esac
	# CC, RUNNER, CROSS_COMPILE, CAPACITY, STACK_SIZE, VARIANTS, B and
	# FRAME_LIMIT, from the Makefile.
	if ! env=$(make -s test-env ARCH="$arch" 2>&1); then   # e.g. CC=clang on s390x
		echo "SKIP $arch: $(echo "$env" | sed -n 's/.*\*\*\* //p' | head -1)"
		return
	fi
	eval "$env"
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
		return
	fi
	# The plan: which programs of the variants the checks run.  Then the
	# default build, whole, and each variant's programs of the plan.
	: >"$tmp/needs"
	( plan=yes; suites; statuses; faults; protector; echo_server; net ) >/dev/null 2>&1
	progs=$(grep / "$tmp/needs" | sort -u | tr '\n' ' ')
	for v in default $VARIANTS; do
		if [ $v = default ]; then
			progress "build $B: every program"
		else
			progress "build $B/$v:$(echo " $progs" | tr ' ' '\n' | sed -n "s|^$v/| |p" | tr -d '\n')"
		fi
		if ! make -s -j"$jobs" ARCH="$arch" TEST_PROGS="$progs" test-build-$v >"$tmp/build" 2>&1; then
			cat "$tmp/build"
			fail "build" "make test-build-$v: see the lines above"
			return
		fi
		[ -s "$tmp/build" ] && sed "s/^/$arch build: /" "$tmp/build"
	done
	native "$arch" "$B/t_boot" status 0     # once: see tests/native.sh
	[ "$native" = yes ] && [ -n "$RUNNER" ] && progress "runs natively too: $why"
	[ "$native" = no ] && [ "$arch" = i386 ] && [ "$host" = x86_64 ] && progress "under QEMU only: $why"

	for step in suites statuses faults protector $([ -n "$FRAME_LIMIT" ] && echo frame_limit) \
		    outputs tiny timers_example \
		    $([ -n "$RUNNER" ] && echo emulated_bench) $([ "$arch" = "$host" ] && echo syscalls) \
		    install_check past_deadlines round_trips echo_server net init_example debugger aslr elf stack_min; do
		progress "$step"
		$step
	done
	progress "done: $passed passed, $failed failed"
}

# interrupted: on an interrupt, end what this run started (by pid: the
# jobs ignore SIGINT, as background jobs of a script do), then exit.
descendants() {
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do echo "$c"; descendants "$c"; done
}
interrupted() {
	trap - INT TERM
	kill $(descendants $$) 2>/dev/null
	echo "run.sh: interrupted" >&2
	exit 130
}
trap interrupted INT TERM

jobs=$(nproc 2>/dev/null || echo 2)
ai=0 host_pid=
for arch in $archs; do
	ai=$((ai + 1))
	( trap - INT TERM; one_arch; echo "$passed $failed" >"$top/$arch.count" ) >"$top/$arch.log" 2>&1 &
	eval "pid_$ai=$!"
	[ "$arch" = "$host" ] && host_pid=$!
done
# The build checks make programs in the host's test build (tests/build.sh
# runs make test-build there): only once the host's own run has ended, so
# that two makes never write the same files at once.
arch=$host ai=0
( trap - INT TERM; tmp=$top/build_checks; mkdir -p "$tmp"; passed=0 failed=0
  if [ -n "$host_pid" ]; then
	progress "build checks: after $host's run"
	while kill -0 "$host_pid" 2>/dev/null; do sleep 1; done
  fi
  progress "build checks"; build_checks
  echo "$passed $failed" >"$top/build_checks.count" ) >"$top/build_checks.log" 2>&1 &
pid_0=$!

# Each architecture's lines in order, once it is done; then the build's.
passed=0 failed=0
for arch in $archs build_checks; do
	ai=$((ai + 1))
	[ "$arch" = build_checks ] && ai=0
	eval "wait \$pid_$ai"
	cat "$top/$arch.log"
	if [ -s "$top/$arch.count" ]; then
		read -r p f <"$top/$arch.count"
		passed=$((passed + p)) failed=$((failed + f))
	else
		echo "$arch: run.sh ended early (no count)" | tee -a "$top/early"
		failed=$((failed + 1))
	fi
done

# The failures again, just above the count: a log read from its end (a CI
# page showing its last lines) still names them.
if [ "$failed" -ne 0 ]; then
	echo "failed:"
	cat "$top"/*.log "$top/early" 2>/dev/null | grep -E '\[FAIL\]$|ended early' ||
		echo "  (no [FAIL] line: see above)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

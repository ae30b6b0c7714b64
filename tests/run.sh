#!/bin/sh
# tests/run.sh [ARCH ...] - build and run the whole suite, once per architecture.
#
# With no ARCH: the host, plus every other architecture whose cross compiler
# and qemu-<arch> are installed; the others get one "SKIP <arch>: ..." line.
# Named architectures are required: a missing tool is a failure.
# Each line: architecture, program, the check's number and name, what was
# observed, [OK] or [FAIL].  The last line counts them all.
set -u
cd "$(dirname "$0")/.." || exit 2
ulimit -c 0             # the crash tests must not leave core files

all="x86_64 aarch64 riscv64 arm i386"
host=$(uname -m)
if [ $# -gt 0 ]; then archs="$*"; required=yes; else archs=$all; required=no; fi
passed=0 failed=0 n=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

line() {        # MARK NAME OBSERVED
	n=$((n + 1))
	printf '%-8s %-9s %3d %-46s %-28s %s\n' "$arch" "run.sh" "$n" "$2" "$3" "$1"
}
ok()   { passed=$((passed + 1)); line "[OK]" "$@"; }
fail() { failed=$((failed + 1)); line "[FAIL]" "$@"; }
# check NAME OBSERVED COMMAND...: OK when COMMAND succeeds.
check() { name=$1 obs=$2; shift 2; if "$@"; then ok "$name" "$obs"; else fail "$name" "$obs"; fi; }

# run OUT ERR PROG [ARGS...]: run a program of this architecture, bounded in
# time; sets $st to its exit status (124: it hung).
run() {
	o=$1 e=$2; shift 2
	timeout 120 $RUNNER "$@" >"$o" 2>"$e"
	st=$?
}

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

# suite PROG [ARGS...]: a test program's own table, counted line by line.
suite() {
	p=$1; shift
	run "$tmp/out" "$tmp/err" "$B/$p" "$@"
	table "$p" "$tmp/out"
	sed "s/^/$arch $p stderr: /" "$tmp/err"
	if [ "$st" -ne 0 ] && ! grep -q '\[FAIL\]$' "$tmp/out"; then
		fail "$p $* ends cleanly" "status $st"
	fi
}

# Addresses and stack peaks differ between architectures; the rest may not.
mask() { sed -e 's/0x[0-9a-f]*/0xADDR/g' -e 's/peak stack [0-9]* bytes/peak stack N bytes/' "$1"; }

# The demo: golden output, usage errors and their exit codes, pipes.
demo() {
	d=$B/coroutines
	run "$tmp/out" "$tmp/err" "$d"
	mask "$tmp/out" >"$tmp/masked"
	check "demo: output matches tests/demo.golden" "status $st" \
		cmp -s "$tmp/masked" tests/demo.golden
	[ "$st" -eq 0 ] || fail "demo exits 0" "status $st"
	for a in -h --help; do
		run "$tmp/out" "$tmp/err" "$d" $a
		check "demo $a: usage on stdout, status 0" "status $st" \
			sh -c "[ $st -eq 0 ] && grep -q '^usage: coroutines' '$tmp/out'"
	done
	for a in x -5 "1 2 3" 99999999999 "3 y" "''"; do
		eval "run '$tmp/out' '$tmp/err' '$d' $a"
		check "demo $a: usage on stderr, status 2" "status $st" \
			sh -c "[ $st -eq 2 ] && grep -q '^usage: coroutines' '$tmp/err' && [ ! -s '$tmp/out' ]"
	done
	cap=$(make -s print-CAPACITY)
	run "$tmp/out" "$tmp/err" "$d" $((cap + 1))
	check "demo COUNT beyond capacity: says it, status 2" "status $st" \
		sh -c "[ $st -eq 2 ] && grep -q 'capacity $cap' '$tmp/err'"
	run "$tmp/out" "$tmp/err" "$d" "$cap" 2
	check "demo with COUNT = capacity" "status $st, $(wc -l <"$tmp/out") lines" \
		sh -c "[ $st -eq 0 ] && [ $(wc -l <"$tmp/out") -eq $((cap * 3 + 2)) ]"
	# | head -1 ends at once: SIGPIPE as usual, or, with SIGPIPE ignored,
	# EPIPE turned into status 74.
	( { timeout 60 $RUNNER "$d" 3 10000000; echo $? >"$tmp/st"; } | head -1 >"$tmp/out" ) 2>"$tmp/err"
	st=$(cat "$tmp/st")
	check "demo | head -1 ends at once (SIGPIPE)" "status $st" \
		sh -c "{ [ $st -eq 141 ] || [ $st -eq 74 ]; } && grep -q '^stack_pool' '$tmp/out'"
	( trap '' PIPE; { timeout 60 $RUNNER "$d" 3 10000000; echo $? >"$tmp/st"; } | head -1 >/dev/null ) 2>"$tmp/err"
	st=$(cat "$tmp/st")
	check "demo, SIGPIPE ignored, | head -1: status 74" "status $st" \
		sh -c "[ $st -eq 74 ] && grep -q 'cannot write to standard output' '$tmp/err'"
	timeout 60 $RUNNER "$d" >&- 2>"$tmp/err"
	st=$?
	check "demo with stdout closed: status 74, a message" "status $st" \
		sh -c "[ $st -eq 74 ] && grep -q 'cannot write to standard output' '$tmp/err'"
}

# The ways a run ends (tests/t_exit.c).
endings() {
	run "$tmp/out" "$tmp/err" "$B/t_exit" main-exit
	check "co_exit in main: the others finish, status 0" "status $st, $(wc -l <"$tmp/out") lines" \
		sh -c "[ $st -eq 0 ] && [ $(wc -l <"$tmp/out") -eq 5 ] && tail -1 '$tmp/out' | grep -q 'world 1'"
	run "$tmp/out" "$tmp/err" "$B/t_exit" main-return
	check "main returns 7 with coroutines ready: status 7" "status $st, $(wc -l <"$tmp/out") lines" \
		sh -c "[ $st -eq 7 ] && [ $(wc -l <"$tmp/out") -eq 1 ]"
	run "$tmp/out" "$tmp/err" "$B/t_exit" cycle
	check "join cycle under co_run: reported, status 70" "status $st" \
		sh -c "[ $st -eq 70 ] && grep -q 'coroutines: deadlock: all wait in co_join or co_run' '$tmp/err' && [ ! -s '$tmp/out' ]"
	run "$tmp/out" "$tmp/err" "$B/t_exit" chain
	check "main joins into a cycle: reported, status 70" "status $st" \
		sh -c "[ $st -eq 70 ] && grep -q 'coroutines: deadlock: all wait' '$tmp/err' && [ ! -s '$tmp/out' ]"
}

# Overflows and faults (tests/t_guard.c): one line on stderr, death by the
# signal.  The canary is checked only in GUARD=0 builds (below).
guard() {
	ovf="overflowed its $ss-byte stack"
	case $arch in
	riscv64) alarm="fault at 0x" ;;   # its probes fault before a frame can fail
	*) alarm="no room for a signal frame" ;;
	esac
	for sc in "recurse:coroutine 1 $ovf (fault at 0x" \
		  "bigframe:coroutine 1 $ovf (fault at 0x" \
		  "frame-1.5x:coroutine 2 $ovf (fault at 0x" \
		  "frame-4x:coroutine 2 $ovf (fault at 0x" \
		  "alarm:coroutine 1 $ovf ($alarm" \
		  "segv:segmentation fault at 0x10 in coroutine 1" \
		  "main-segv:segmentation fault at 0x10 in coroutine 0" \
		  "early:segmentation fault at 0x10 in coroutine 0"; do
		name=${sc%%:*} want=${sc#*:}
		run "$tmp/out" "$tmp/err" "$B/t_guard" "$name"
		check "$name: reported, then SIGSEGV (139)" "status $st" \
			sh -c "[ $st -eq 139 ] && grep -qF 'coroutines: $want' '$tmp/err' && [ ! -s '$tmp/out' ]"
	done
	# The switch that does not fit faults after the next coroutine became
	# current: the overflow is still coroutine 1's, from any start.
	for name in yield join; do
		sts=""
		for lower in 0 8 16 24; do
			run "$tmp/out" "$tmp/err" "$B/t_guard" $name $lower
			grep -qF "coroutines: coroutine 1 $ovf (fault at 0x" "$tmp/err" && [ ! -s "$tmp/out" ] || st="$st!"
			sts="$sts $st"
		done
		check "$name near the guard: coroutine 1's overflow" "status$sts" \
			[ "$sts" = " 139 139 139 139" ]
	done
	# A signal sent, not a fault: said so, and the process still dies by it.
	for sc in "segv:segmentation fault:139" "bus:bus error:135"; do
		name=kill-${sc%%:*} sig=${sc#*:} code=${sc##*:}
		sig=${sig%:*}
		run "$tmp/out" "$tmp/err" "$B/t_guard" "$name"
		pid=$(cat "$tmp/out")
		check "$name: 'sent by pid', then dies ($code)" "status $st" \
			sh -c "[ $st -eq $code ] && grep -qF 'coroutines: $sig signal sent by pid $pid in coroutine 1' '$tmp/err'"
	done
}

# The demo's size: every byte counts, so a change that grows it past the
# limit fails here rather than in a later look at `make size`.
size_limit() {
	$STRIP -o "$tmp/stripped" "$B/coroutines"
	bytes=$(wc -c <"$tmp/stripped")
	check "demo stripped: at most 4096 bytes" "$bytes bytes" [ "$bytes" -le 4096 ]
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
		fail "echo server tests" "python3 missing"
		return
	fi
	if serve "$B/echo"; then
		client many
		stop
		opened=$(grep -c 'opened' "$tmp/serve") closed=$(grep -c 'closed after' "$tmp/serve")
		check "echo: a line per connection opened and closed" "$opened opened, $closed closed" \
			[ "$opened" -ge 203 ] && [ "$opened" -eq "$closed" ]
	else
		fail "echo server listens" "$(head -c 60 "$tmp/serve")"
	fi
	if serve "$B/small/echo"; then client full; stop; else fail "echo (pool of 4) listens" "-"; fi
	if serve "$B/echo" 24; then client emfile "$spid"; stop; else fail "echo (24 fds) listens" "-"; fi
}

# ELF facts of every program: static, freestanding, W^X, no executable stack.
elf() {
	for f in "$B/coroutines" "$B"/t_* "$B/echo" "$B/small/t_pool" "$B/one/t_pool" "$B/noguard/t_switch"; do
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
}

for arch in $archs; do
	case " $all " in
	*" $arch "*) ;;
	*) fail "unknown architecture" "$arch"; continue ;;
	esac
	B=build/$arch
	CC=$(make -s print-CC ARCH="$arch")
	RUNNER=$(make -s print-RUNNER ARCH="$arch")
	CROSS=$(make -s print-CROSS_COMPILE ARCH="$arch")
	READELF=${CROSS}readelf NM=${CROSS}nm STRIP=${CROSS}strip
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
	if ! make -s -j2 ARCH="$arch" test-progs examples >"$tmp/build" 2>&1 ||
	   ! make -s -j2 ARCH="$arch" test-progs examples CAPACITY=4 STACK_SIZE=32768 BUILD="$B/small" >>"$tmp/build" 2>&1 ||
	   ! make -s -j2 ARCH="$arch" test-progs GUARD=0 BUILD="$B/noguard" >>"$tmp/build" 2>&1 ||
	   ! make -s -j2 ARCH="$arch" test-progs CAPACITY=1 BUILD="$B/one" >>"$tmp/build" 2>&1; then
		cat "$tmp/build"
		fail "build" "see the lines above"
		continue
	fi
	[ -s "$tmp/build" ] && sed "s/^/$arch build: /" "$tmp/build"

	suite t_switch
	suite t_order
	suite t_join
	suite t_pool
	B=$B/small suite t_pool
	B=$B/one suite t_pool 100000
	suite t_print
	suite t_guard
	suite t_event
	run "$tmp/out" "$tmp/err" "$B/t_event" cycle
	check "join cycle beside a sleeper: reported once it is gone, 70" "status $st" \
		sh -c "[ $st -eq 70 ] && grep -q 'coroutines: deadlock' '$tmp/err'"
	ss=$(make -s print-STACK_SIZE)
	guard
	# Without guard pages: everything but the guard itself still holds.
	for prog in t_switch t_order t_join t_pool t_guard; do
		B=$B/noguard suite $prog
	done
	# Other optimisation levels (the host only: the code is the same C).
	if [ "$arch" = "$host" ]; then
		for lvl in -O0 -O2; do         # (run and suite use o, e, p)
			if make -s -j2 ARCH="$arch" OPT="$lvl" BUILD="$B/opt$lvl" test-progs >"$tmp/opt" 2>&1; then
				for prog in t_switch t_order t_join t_event t_guard t_print; do
					B=$B/opt$lvl suite $prog
				done
				B=$B/opt$lvl suite t_pool 100000
			else
				fail "build at $lvl" "$(tail -1 "$tmp/opt" | head -c 40)"
			fi
		done
	fi
	B=$B/noguard run "$tmp/out" "$tmp/err" "$B/noguard/t_guard" canary
	check "GUARD=0: a damaged canary is still caught" "status $st" \
		sh -c "[ $st -eq 139 ] && grep -q 'canary damaged' '$tmp/err'"
	timeout 120 env -i FOO=bar EMPTY= $RUNNER "$B/t_boot" one "two words" "" >"$tmp/out" 2>&1
	st=$?
	table t_boot "$tmp/out"
	[ "$st" -eq 0 ] || fail "t_boot ends cleanly" "status $st"
	for s in 0 42 255; do
		run "$tmp/out" "$tmp/err" "$B/t_boot" status $s
		check "main's return value $s is the exit status" "status $st" [ "$st" -eq $s ]
	done
	run "$tmp/out" "$tmp/err" "$B/t_print" lines 100000
	seq 1 100000 | sed 's/^/line /' >"$tmp/want"
	check "100000 printed lines, byte for byte" "$(wc -c <"$tmp/out") bytes" cmp -s "$tmp/out" "$tmp/want"
	timeout 60 $RUNNER "$B/t_print" hello >&- 2>"$tmp/err"
	st=$?
	check "print with stdout closed: status 74" "status $st" \
		sh -c "[ $st -eq 74 ] && grep -q 'cannot write to standard output' '$tmp/err'"
	endings
	demo
	# A large pool: past the aarch64 tiny code model's reach, still links.
	if make -s ARCH="$arch" CAPACITY=20000 STACK_SIZE=32768 BUILD="$B/big" >"$tmp/big" 2>&1; then
		run "$tmp/out" "$tmp/err" "$B/big/coroutines" 2 1
		check "a pool of 20000 chunks builds and runs" "status $st" \
			sh -c "[ $st -eq 0 ] && grep -q '^stack_pool: 20000 chunks' '$tmp/out'"
	else
		fail "a pool of 20000 chunks builds" "$(tail -1 "$tmp/big" | head -c 40)"
	fi
	echo_server
	size_limit
	elf
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

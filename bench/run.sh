#!/bin/sh
# bench/run.sh BUILD RUNNER: the wall-clock benchmark (min / median / max
# of each figure), the sleep's lateness, then (on the host, where valgrind
# is installed) instructions per operation from callgrind: the difference
# between N and 2N operations, so start-up cancels out.  The echo servers
# are bench/echo.sh's.  BENCH_QUICK=1 (in the environment, which bench.c
# reads too): shorter runs and counts, a test of the harness.
set -u
B=$1 RUNNER=${2:-}
echo "build: $(cat "$B/flags")"
if [ -n "$RUNNER" ]; then
	echo "run under $RUNNER: every time below measures the emulator"
	$RUNNER "$B/bin/bench" emulated || exit 1
else
	"$B/bin/bench" || exit 1
fi

echo; echo "co_sleep(1 ms), 1000 times over 10 coroutines: lateness in microseconds"
$RUNNER "$B/bin/sleep" | awk '{ printf "  median %d us, p99 %d us\n", $1, $2 }'

if [ -n "$RUNNER" ] || ! command -v valgrind >/dev/null 2>&1; then
	echo; echo "(instruction counts: valgrind on the host only)"
	exit 0
fi
echo; echo "instructions per operation (valgrind --tool=callgrind):"
ir() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$B/bin/bench" count "$1" "$2" 2>&1 |
		sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
n=200000
[ "${BENCH_QUICK:-0}" = 1 ] && n=20000
for op in ref yield2 yield2flat yield2prio yield1000 yield4096 spawn rendezvous buffered select now nowsys; do
	a=$(ir $op $n) b=$(ir $op $((2 * n)))
	echo "$op $a $b $n" | awk '{ printf "  %-10s %8.1f\n", $1, ($3 - $2) / $4 }'
done

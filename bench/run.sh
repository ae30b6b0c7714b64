#!/bin/sh
# bench/run.sh BUILD RUNNER: the wall-clock benchmark, then (on the host,
# where valgrind is installed) instructions per operation from callgrind:
# the difference between N and 2N operations, so start-up cancels out.
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

# The echo servers, on the host only: under QEMU the figures would measure
# the emulator.
if [ -z "$RUNNER" ]; then
	echo; echo "echo servers, 64-byte round trips, 2 s a run: examples/echo.c (coroutines)"
	echo "against bench/echo_epoll.c (epoll and callbacks), both single-threaded"
	ulimit -n 8192 2>/dev/null || ulimit -n 4096 2>/dev/null
	printf '  %-12s %14s %9s %14s %9s %7s\n' connections "coroutines/s" "p99 us" "callbacks/s" "p99 us" ratio
	for conns in 1 100 1000; do
		line=""
		for server in echo echo_epoll; do
			port=$((30000 + ($$ + conns) % 20000))
			"$B/bin/$server" "$port" >/dev/null 2>&1 &
			pid=$!
			sleep 0.3
			r=$("$B/bin/echo_load" "$port" "$conns" 2)
			kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
			line="$line $r"
		done
		echo "$conns $line" | awk '{ printf "  %-12d %14d %9d %14d %9d %6.2fx\n",
			$1, $2, $4, $6, $8, ($6 > 0 ? $2 / $6 : 0) }'
	done
	echo "  target: the coroutine server at least 0.90x the callback server's round trips"
fi

if [ -n "$RUNNER" ] || ! command -v valgrind >/dev/null 2>&1; then
	echo; echo "(instruction counts: valgrind on the host only)"
	exit 0
fi
echo; echo "instructions per operation (valgrind --tool=callgrind):"
ir() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$B/bin/bench" count "$1" "$2" 2>&1 |
		sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
for op in ref yield2 yield2prio yield1000 yield4096 spawn now nowsys; do
	n=200000
	a=$(ir $op $n) b=$(ir $op $((2 * n)))
	echo "$op $a $b $n" | awk '{ printf "  %-10s %8.1f\n", $1, ($3 - $2) / $4 }'
done

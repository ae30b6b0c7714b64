#!/bin/sh
# bench/echo.sh BUILD: the echo servers, timed (make bench, on the host only:
# under QEMU the figures would measure the emulator).
#
# examples/echo.c (coroutines) beside bench/echo_epoll.c (epoll and
# callbacks) and bench/peers/echo_uv.c (libuv, where libuv1-dev is
# installed; a SKIP line otherwise), all single-threaded, each driven by
# bench/echo_load.c with 64-byte round trips at 1, 100 and 1000
# connections, ROUNDS rounds of SECS seconds, the servers taking turns
# within a round.  ECHO_PIN says where they run: same (the default): both
# pinned to the last CPU, taking turns, as bench/table.sh pins its rings
# (each round trip then also costs the load's work, alike for every
# server, so the ratios between servers come out nearer 1 than the
# servers' own costs; and no round trip waits for a wake-up on another
# CPU, which on a virtual machine can cost milliseconds); split, with two
# or more CPUs: the server pinned to the last CPU and the load to the
# first, each on a CPU of its own; none: where the kernel puts them.
# Every figure is min / median / max over the rounds; a ratio is a win or a
# loss only when the ranges do not overlap (bench/figures.sh: compare).  The
# table goes into docs/figures.md (section "echo").
#
# BENCH_QUICK=1: 2 rounds of 1 s, a test of the harness.
set -u
B=$1
P=$B/peers
ROUNDS=3 SECS=2
if [ "${BENCH_QUICK:-0}" = 1 ]; then
	ROUNDS=2 SECS=1
fi
. "$(dirname "$0")/figures.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

SERVERS="echo echo_epoll"
if printf '#include <uv.h>\n' | ${HOSTCC:-gcc} -E - >/dev/null 2>&1; then
	make -s "$P/echo_uv" && SERVERS="$SERVERS echo_uv"
else
	echo "[SKIP] libuv's echo server: libuv is not installed (apt-get install libuv1-dev)"
fi
server_cmd() {
	case $1 in
	echo_uv) echo "$P/echo_uv" ;;
	*) echo "$B/bin/$1" ;;
	esac
}
SRV="" LOAD="" LAST=$(($(nproc) - 1)) PINNED=""
if command -v taskset >/dev/null; then
	case ${ECHO_PIN:-same} in
	split) [ $LAST -ge 1 ] && SRV="taskset -c $LAST" LOAD="taskset -c 0" \
		PINNED="the server pinned to CPU $LAST, bench/echo_load.c to CPU 0" ;;
	same) SRV="taskset -c $LAST" LOAD="taskset -c $LAST" PINNED="the server and bench/echo_load.c pinned to CPU $LAST" ;;
	none) ;;
	*) echo "bench/echo.sh: ECHO_PIN is split, same or none, not $ECHO_PIN" >&2; exit 2 ;;
	esac
fi
ulimit -n 8192 2>/dev/null || ulimit -n 4096 2>/dev/null

# A server on a free port: started, given time to listen, loaded, stopped.
# Appends "SERVER@CONNS TRIPS_PER_S P99_US" to $T/rows.
run() {
	port=$((30000 + ($$ + $2 * 7 + $3) % 20000))
	$SRV $(server_cmd $1) "$port" >/dev/null 2>&1 &
	pid=$!
	sleep 0.3
	out=$($LOAD "$B/bin/echo_load" "$port" "$2" "$SECS")
	kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	set -- "$1" "$2" $out
	if [ $# -ne 6 ] || [ "$6" != 0 ]; then
		echo "  $1 at $2 connections: the load failed (${out:-no output})" >&2
		return 1
	fi
	echo "$1@$2 $3 $5" >> "$T/rows"
}
echo; echo "echo servers, 64-byte round trips: $ROUNDS rounds of $SECS s, the servers taking turns${PINNED:+, $PINNED}:"
for round in $(seq $ROUNDS); do
	for conns in 1 100 1000; do
		for s in $SERVERS; do
			run $s $conns $round || exit 1
		done
	done
	echo "  round $round done"
done
spread "$T/rows" > "$T/stats"
st() { awk -v s=$1 -v f=$2 '$1 == s && $2 == f { print $3, $4, $5 }' "$T/stats"; }
med() { awk -v s=$1 -v f=$2 '$1 == s && $2 == f { print $4 }' "$T/stats"; }
name() {
	case $1 in
	echo) echo "coroutines (examples/echo.c)" ;;
	echo_epoll) echo "epoll callbacks (bench/echo_epoll.c)" ;;
	echo_uv) echo "libuv (bench/peers/echo_uv.c)" ;;
	esac
}
{
	echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d): $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), $(nproc) CPUs${PINNED:+, $PINNED}${BENCH_QUICK:+, BENCH_QUICK=$BENCH_QUICK (short runs: a test of the harness)}."
	echo "Round trips of 64 bytes per second, min / median / max of $ROUNDS rounds of $SECS s taken in turn; p99: the median"
	echo "over the rounds of each round's 99th-percentile round trip, µs. Single-threaded servers. A ratio is a win or a"
	echo "loss only when the ranges do not overlap; otherwise \"no difference\", with the range of the ratio."
	echo
	printf '| connections |'
	for s in $SERVERS; do printf ' %s, round trips/s | p99 µs |' "$(name $s)"; done
	for s in $SERVERS; do [ $s = echo ] || printf ' coroutines / %s |' "${s#echo_}"; done
	printf '\n|---|'
	for s in $SERVERS; do printf -- '---|---|'; done
	for s in $SERVERS; do [ $s = echo ] || printf -- '---|'; done
	printf '\n'
	for conns in 1 100 1000; do
		printf '| %s |' $conns
		for s in $SERVERS; do printf ' %s | %s |' "$(cell $(st $s@$conns 2))" "$(med $s@$conns 3)"; done
		for s in $SERVERS; do
			[ $s = echo ] || printf ' %s |' "$(compare "$(st echo@$conns 2)" "$(st $s@$conns 2)" 0)"
		done
		printf '\n'
	done
} > "$T/table"
echo; cat "$T/table"
echo "  target: the coroutine server at least 1.0x each other server's round trips"
echo
figures_write echo "$T/table"

#!/bin/sh
# bench/syscalls.sh BUILD [PEERS] - system calls per round trip of the echo
# servers, counted, not timed: examples/echo.c (coroutines),
# bench/echo_epoll.c (epoll and callbacks) and, where it was built,
# PEERS/uv_echo (libuv, bench/peers/uv_echo.c), each driven by
# bench/echo_load.c with 64-byte round trips at 1, 100 and 1000
# connections.  The server runs under `perf stat`, counting its system
# calls at the kernel's tracepoints (strace would slow it so much that
# every read finds the next message there already); each is run twice, for
# 1 s and for 3 s of load, and the figure is the difference of the calls
# over the difference of the round trips, so that starting, accepting and
# ending cancel out.  Printed, and written into docs/figures.md (section
# "syscalls").  On the host only (QEMU would count its own calls), where
# perf may read the tracepoints (root, or kernel.perf_event_paranoid <= -1).
set -u
cd "$(dirname "$0")/.." || exit 2
B=$1 PEERS=${2:-}
. bench/figures.sh
ev=raw_syscalls:sys_enter
for c in recvfrom read sendto write epoll_wait epoll_pwait epoll_ctl; do ev="$ev,syscalls:sys_enter_$c"; done
if ! perf stat -e "$ev" -x, -o /dev/null true 2>/dev/null; then
	echo "SKIP system calls per round trip: perf's syscall tracepoints not permitted or missing"
	exit 0
fi
ulimit -n 8192 2>/dev/null || ulimit -n 4096 2>/dev/null
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT

# count SERVER CONNS SECS: "CALLS TRIPS reads writes waits ctl" for one
# run: every call the server made, the round trips the load made, then
# the calls by kind.
count() {
	server=$1 conns=$2 secs=$3
	port=$((30000 + ($$ + conns * 7 + secs) % 20000))
	perf stat -e "$ev" -x, -o "$tmp/c" -- "$server" "$port" >/dev/null 2>&1 &
	ppid=$!
	sleep 0.5
	trips=$("$B/bin/echo_load" "$port" "$conns" "$secs" | awk '{ print $1 * '"$secs"' }')
	kill "$(cat /proc/$ppid/task/$ppid/children 2>/dev/null)" 2>/dev/null
	wait "$ppid" 2>/dev/null
	awk -F, -v trips="${trips:-0}" '
		{ n = $1 + 0; e = $3 }
		e ~ /raw_syscalls/ { all = n }
		e ~ /_(recvfrom|read)$/ { rd += n }
		e ~ /_(sendto|write)$/ { wr += n }
		e ~ /_epoll_p?wait$/ { wt += n }
		e ~ /_epoll_ctl$/ { ctl += n }
		END { print all + 0, trips, rd + 0, wr + 0, wt + 0, ctl + 0 }' "$tmp/c"
}

out=$tmp/table
{
	echo "System calls per 64-byte round trip on the server, from \`make bench-syscalls\`"
	echo "(bench/syscalls.sh): \`perf stat\` of the syscall tracepoints, runs of 1 s and 3 s of"
	echo "bench/echo_load.c, the difference of the calls over the difference of the"
	echo "round trips. *reads*: recvfrom/read; *writes*: sendto/write; *waits*:"
	echo "epoll_wait/epoll_pwait; *ctl*: epoll_ctl. Counted, not timed."
	echo
	echo "| connections | server | calls/trip | reads | writes | waits | ctl |"
	echo "|---|---|---|---|---|---|---|"
} >"$out"
for conns in 1 100 1000; do
	for server in echo echo_epoll uv_echo; do
		case $server in
		uv_echo) bin=$PEERS/uv_echo; name="libuv (bench/peers/uv_echo.c)" ;;
		echo) bin=$B/bin/echo; name="coroutines (examples/echo.c)" ;;
		*) bin=$B/bin/$server; name="callbacks (bench/echo_epoll.c)" ;;
		esac
		if [ ! -x "$bin" ]; then
			echo "| $conns | $name | SKIP: not built (libuv1-dev missing?) | | | | |" >>"$out"
			continue
		fi
		a=$(count "$bin" "$conns" 1) b=$(count "$bin" "$conns" 3)
		echo "$conns|$name|$a|$b" | awk -F'|' '{
			split($3, a, " "); split($4, b, " "); t = b[2] - a[2]
			if (t <= 0) { printf "| %s | %s | no round trips | | | | |\n", $1, $2; exit }
			printf "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n", $1, $2,
				(b[1] - a[1]) / t, (b[3] - a[3]) / t, (b[4] - a[4]) / t,
				(b[5] - a[5]) / t, (b[6] - a[6]) / t }' >>"$out"
	done
done
cat "$out"
figures_write syscalls "$out"

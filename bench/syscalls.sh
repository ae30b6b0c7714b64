#!/bin/sh
# bench/syscalls.sh BUILD [PEERS] - system calls per round trip of the echo
# servers, counted, not timed: examples/echo.c (coroutines),
# bench/echo_epoll.c (epoll and callbacks) and, where it was built,
# PEERS/echo_uv (libuv, bench/peers/echo_uv.c), each driven by
# bench/echo_load.c with 64-byte round trips at 1, 100 and 1000
# connections.  `perf stat` counts the server's system calls at the
# kernel's tracepoints (strace would slow it so much that every read finds
# the next message there already) for 2 s of steady load, attached once the
# load has run 1.5 s, so that connecting and ending are not counted; a
# round trip is one 64-byte message written back (the servers write each
# message they read at once).  Printed, and written into docs/figures.md (section
# "syscalls").  On the host only (QEMU would count its own calls), where
# perf may read the tracepoints (root, or kernel.perf_event_paranoid <= -1).
set -u
cd "$(dirname "$0")/.." || exit 2
B=$1 PEERS=${2:-}
. bench/figures.sh
ev=raw_syscalls:sys_enter
for c in recvfrom read sendto write writev epoll_wait epoll_pwait epoll_ctl; do ev="$ev,syscalls:sys_enter_$c"; done
if ! perf stat -e "$ev" -x, -o /dev/null true 2>/dev/null; then
	echo "SKIP system calls per round trip: perf's syscall tracepoints not permitted or missing"
	exit 0
fi
ulimit -n 8192 2>/dev/null || ulimit -n 4096 2>/dev/null
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT

# count SERVER CONNS: "CALLS reads writes waits ctl" over 2 s of steady
# load (perf stat attached to the running server, 1.5 s after the load
# began, so that connecting and ending are not counted).
count() {
	server=$1 conns=$2
	port=$((30000 + ($$ + conns * 7) % 20000))
	"$server" "$port" >/dev/null 2>&1 &
	spid=$!
	sleep 0.5
	"$B/bin/echo_load" "$port" "$conns" 5 >/dev/null &
	lpid=$!
	sleep 1.5
	perf stat -e "$ev" -x, -o "$tmp/c" -p "$spid" -- sleep 2 2>/dev/null
	wait "$lpid"
	kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
	awk -F, '
		{ n = $1 + 0; e = $3 }
		e ~ /raw_syscalls/ { all = n }
		e ~ /_(recvfrom|read)$/ { rd += n }
		e ~ /_(sendto|write|writev)$/ { wr += n }
		e ~ /_epoll_p?wait$/ { wt += n }
		e ~ /_epoll_ctl$/ { ctl += n }
		END { print all + 0, rd + 0, wr + 0, wt + 0, ctl + 0 }' "$tmp/c"
}

out=$tmp/table
{
	echo "System calls per 64-byte round trip on the server, from \`make bench-syscalls\`"
	echo "(bench/syscalls.sh): \`perf stat\` of the syscall tracepoints over 2 s of steady load"
	echo "by bench/echo_load.c, a round trip being a message written back."
	echo "*reads*: recvfrom/read; *writes*: sendto/write/writev; *waits*:"
	echo "epoll_wait/epoll_pwait; *ctl*: epoll_ctl. Counted, not timed."
	echo
	echo "| connections | server | calls/trip | reads | writes | waits | ctl |"
	echo "|---|---|---|---|---|---|---|"
} >"$out"
for conns in 1 100 1000; do
	for server in echo echo_epoll echo_uv; do
		case $server in
		echo_uv) bin=$PEERS/echo_uv; name="libuv (bench/peers/echo_uv.c)" ;;
		echo) bin=$B/bin/echo; name="coroutines (examples/echo.c)" ;;
		*) bin=$B/bin/$server; name="callbacks (bench/echo_epoll.c)" ;;
		esac
		if [ ! -x "$bin" ]; then
			echo "| $conns | $name | SKIP: not built (libuv1-dev missing?) | | | | |" >>"$out"
			continue
		fi
		count "$bin" "$conns" | awk -v c="$conns" -v name="$name" '{
			if ($3 <= 0) { printf "| %s | %s | no round trips | | | | |\n", c, name; exit }
			printf "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n", c, name,
				$1 / $3, $2 / $3, 1, $4 / $3, $5 / $3 }' >>"$out"
	done
done
cat "$out"
figures_write syscalls "$out"

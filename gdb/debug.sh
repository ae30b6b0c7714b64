#!/bin/sh
# gdb/debug.sh RUNNER PROGRAM [ARGS...] - PROGRAM under gdb, with the
# coroutines extension (gdb/coroutines.py) loaded; `make debug` calls it.
#
# RUNNER empty: the host's gdb starts PROGRAM itself (type `run`).
# RUNNER qemu-<arch>: PROGRAM starts under `qemu-<arch> -g PORT`, stopped at
# its first instruction, on a free port; gdb-multiarch attaches to it
# (type `continue`).  QEMU is stopped when gdb exits.
#
# GDB_FLAGS: more options for gdb (the tests: -nx -batch -x tests/t_gdb.py).
# Exit status: gdb's; 69 (EX_UNAVAILABLE) when gdb, gdb-multiarch or QEMU is
# missing or QEMU cannot listen.
runner=$1 prog=$2
shift 2
ext=$(dirname "$0")/coroutines.py
if [ -z "$runner" ]; then
	command -v gdb >/dev/null 2>&1 || { echo "debug.sh: gdb is not installed" >&2; exit 69; }
	exec gdb -q -x "$ext" $GDB_FLAGS --args "$prog" "$@"
fi
for tool in gdb-multiarch "$runner"; do
	command -v "$tool" >/dev/null 2>&1 || { echo "debug.sh: $tool is not installed" >&2; exit 69; }
done
# QEMU goes with this script, however it ends (a timeout's SIGTERM too).
# SIGKILL: QEMU hands other signals to its guest, which, stopped at its
# first instruction for a debugger that never came, would wait forever.
qpid=
trap '[ -n "$qpid" ] && kill -KILL "$qpid" 2>/dev/null' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
# A random port; if QEMU cannot listen on it (taken), another.  QEMU is
# waited for until the port listens (its line in /proc/net/tcp, state 0A)
# or it has exited, 10 s at most: a busy machine may take a while to start it.
listening() {
	grep -q ":$(printf %04X "$port") 0*:0000 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
for try in 1 2 3 4 5 6 7 8; do
	port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
	listening && continue                   # another program's
	"$runner" -g "$port" "$prog" "$@" &
	qpid=$!
	i=0
	while kill -0 "$qpid" 2>/dev/null && ! listening && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -0 "$qpid" 2>/dev/null && listening && break
	kill -KILL "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	qpid=
done
[ -n "$qpid" ] || { echo "debug.sh: $runner -g found no free port" >&2; exit 69; }
gdb-multiarch -q -x "$ext" -ex "target remote 127.0.0.1:$port" $GDB_FLAGS "$prog"
exit

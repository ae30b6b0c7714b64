#!/bin/sh
# bench/run.sh BUILD RUNNER: the wall-clock benchmark, then (on the host,
# where valgrind is installed) instructions per operation from callgrind:
# the difference between N and 2N operations, so start-up cancels out.
set -u
B=$1 RUNNER=${2:-}
echo "build: $(cat "$B/flags")"
$RUNNER "$B/bench" || exit 1
if [ -n "$RUNNER" ] || ! command -v valgrind >/dev/null 2>&1; then
	echo; echo "(instruction counts: valgrind on the host only)"
	exit 0
fi
echo; echo "instructions per operation (valgrind --tool=callgrind):"
ir() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$B/bench" count "$1" "$2" 2>&1 |
		sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
for op in ref yield2 yield1000 yieldcap spawn; do
	n=200000
	a=$(ir $op $n) b=$(ir $op $((2 * n)))
	echo "$op $a $b $n" | awk '{ printf "  %-10s %8.1f\n", $1, ($3 - $2) / $4 }'
done

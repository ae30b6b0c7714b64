#!/bin/sh
# bench/scale.sh BUILD RUNNER: 10,000, 100,000 and 1,000,000 live coroutines
# in one process (make bench-scale): a fresh process for each count, so no
# count finds the pages of the one before already resident.  On the host
# the table goes into docs/figures.md (section "scale"); under QEMU it is
# printed only (the times measure the emulator).
set -u
B=$1 RUNNER=${2:-}
. "$(dirname "$0")/figures.sh"
T=$(mktemp)
trap 'rm -f "$T"' EXIT
CPU=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
{
	echo "Measured by \`make bench-scale\` on $(date -u +%Y-%m-%d): ${RUNNER:+under $RUNNER, on }$CPU."
	echo "Runtime: \`$(cat "$B/flags")\`."
	echo "Spawn: all N, timed together; each coroutine then runs once (RSS: VmRSS growth per coroutine);"
	echo "then whole rounds, each coroutine and main yielding in turn, for at least 300 ms and 3 rounds."
	echo
	echo "| live coroutines | spawn all, ms | ns per yield | RSS per coroutine, bytes |"
	echo "|---|---|---|---|"
} > "$T"
cat "$T"
for n in 10000 100000 1000000; do
	if line=$($RUNNER "$B/bin/scale" $n 2>&1); then
		echo "$line" | awk '{ printf "| %d | %s | %s | %s |\n", $1, $2, $3, $4 }'
	else
		echo "| $n | not run: $line | | |"
	fi | tee -a "$T"
done
if [ -z "$RUNNER" ]; then
	echo; figures_write scale "$T"
fi

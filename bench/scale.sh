#!/bin/sh
# bench/scale.sh BUILD RUNNER [GO_PEER]: 10,000, 100,000 and 1,000,000 live
# coroutines in one process (make bench-scale), beside Go's goroutines
# doing the same (bench/peers/scale.go, GO_PEER: built by the Makefile when
# the host has Go; a SKIP line otherwise).  A fresh process for each run,
# so no run finds the pages of the one before already resident; the two
# systems' runs taken in turn, ROUNDS of each (3 at 1,000,000), and every
# figure printed as min-median-max over them.  On the host the table goes
# into docs/figures.md (section "scale"); under QEMU it is printed only
# (the times measure the emulator), without Go.  COUNTS="1000 5000" and
# ROUNDS=2 make a quick run (FIGURES=file: written there instead).
set -u
B=$1 RUNNER=${2:-} GO_PEER=${3:-}
ROUNDS=${ROUNDS:-5}
. "$(dirname "$0")/figures.sh"
T=$(mktemp) R=$(mktemp)
trap 'rm -f "$T" "$R"' EXIT
CPU=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
[ -n "$RUNNER" ] && GO_PEER=
if [ -n "$GO_PEER" ] && [ ! -x "$GO_PEER" ]; then
	go="SKIP: Go's goroutines not measured ($GO_PEER not built: the host has no go)"
	GO_PEER=
fi
{
	echo "Measured by \`make bench-scale\` on $(date -u +%Y-%m-%d): ${RUNNER:+under $RUNNER, on }$CPU."
	echo "Runtime: \`$(cat "$B/flags")\`."
	[ -n "$GO_PEER" ] && echo "Go: \`$(go version 2>/dev/null)\`, GOMAXPROCS=1 (bench/peers/scale.go)."
	echo "Each figure min-median-max over the runs (a fresh process each, the two systems in turn): $ROUNDS at 10,000 and 100,000, 3 at 1,000,000."
	echo "Spawn, first run (each runs up to its first yield), finish (each returns): ns per coroutine; their sum beside it."
	echo "Yield: ns per yield, all alive, each coroutine and main yielding in turn for at least 300 ms (Go: runtime.Gosched)."
	echo "RSS: VmRSS growth per coroutine after the first run; Go's stack: runtime.MemStats.StackInuse per goroutine."
	echo
	echo "| live | system | spawn | first run | finish | spawn + first run + finish | yield | spawn all, ms | RSS/coroutine, bytes | Go's stack/goroutine, bytes |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
} > "$T"
cat "$T"
[ -n "${go:-}" ] && echo "$go" | tee -a "$T"

# spread SYSTEM COLUMN [FORMAT]: min-median-max of column COLUMN of $R's
# lines for SYSTEM (co, go), each printed with FORMAT (default %.1f)
spread() {
	awk -v s="$1" -v c="$2" '$1 == s { print $c }' "$R" | sort -g | awk -v f="${3:-%.1f}" '
		{ v[NR] = $1 }
		END { if (NR == 0) { print "-"; exit }
		      m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      if (v[1] == v[NR]) printf f "\n", v[1]
		      else printf f "-" f "-" f "\n", v[1], m, v[NR] }'
}

for n in ${COUNTS:-10000 100000 1000000}; do
	: > "$R"
	runs=$ROUNDS
	[ "$n" -ge 1000000 ] && runs=3
	err=
	for k in $(seq "$runs"); do
		if line=$($RUNNER "$B/bin/scale" $n 2>&1); then
			echo "$line" | awk '{ print "co", $0, $2 + $3 + $5, $2 * $1 / 1e6 }' >> "$R"
		else
			err="not run: $line"
		fi
		if [ -n "$GO_PEER" ] && line=$(GOMAXPROCS=1 "$GO_PEER" $n 2>&1); then
			echo "$line" | awk '{ print "go", $0, $2 + $3 + $5, $2 * $1 / 1e6 }' >> "$R"
		fi
	done
	# R's columns: system N spawn first yield finish rss stack sum spawn-ms
	if [ -n "$err" ]; then
		echo "| $n | coroutines | $err | | | | | | | |"
	else
		echo "| $n | **coroutines** | $(spread co 3) | $(spread co 4) | $(spread co 6) | $(spread co 9) | $(spread co 5) | $(spread co 10) | $(spread co 7 %d) | - |"
	fi | tee -a "$T"
	if [ -n "$GO_PEER" ]; then
		echo "| $n | Go goroutines | $(spread go 3) | $(spread go 4) | $(spread go 6) | $(spread go 9) | $(spread go 5) | $(spread go 10) | $(spread go 7 %d) | $(spread go 8 %d) |" | tee -a "$T"
		# medians' ratios: coroutines / Go
		awk '$1 == "co" { s[++a] = $9; y[a] = $5 } $1 == "go" { gs[++b] = $9; gy[b] = $5 }
		     function med(x, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
		                                   return k % 2 ? x[(k + 1) / 2] : (x[k / 2] + x[k / 2 + 1]) / 2 }
		     END { if (a && b) printf "| %d | coroutines / Go (medians) | | | | %.3fx | %.3fx | | | |\n", '"$n"', med(s, a) / med(gs, b), med(y, a) / med(gy, b) }' "$R" | tee -a "$T"
	fi
done
if [ -z "$RUNNER" ]; then
	echo; figures_write scale "$T"
fi

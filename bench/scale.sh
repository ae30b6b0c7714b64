#!/bin/sh
# bench/scale.sh BUILD RUNNER [GO_PEER [FC_PEER]]: 10,000, 100,000 and
# 1,000,000 live coroutines in one process (make bench-scale), beside Go's
# goroutines doing the same (bench/peers/scale.go, GO_PEER: built by the
# Makefile when the host has Go) and boost.context's raw jump_fcontext on
# malloc'd stacks (bench/peers/scale_fcontext.cpp, FC_PEER: built when
# libboost-context-dev is installed); a SKIP line for a peer not built.  A
# fresh process for each run, so no run finds the pages of the one before
# already resident; the systems' runs taken in turn, ROUNDS of each (3 at
# 1,000,000), and every figure printed as min-median-max over them.  The
# yield's ratio to fcontext's is called a win or a loss only when the two
# ranges do not overlap (figures.sh: compare).  On the host the table goes
# into docs/figures.md (section "scale"); under QEMU it is printed only
# (the times measure the emulator), without Go.  COUNTS="1000 5000" and
# ROUNDS=2 make a quick run (FIGURES=file: written there instead).
# BUILD-prefetch/bin/scale, where the Makefile built it, is ours again with
# co_yield's prefetch (PREFETCH=4: coroutine.h), a row of its own.
set -u
B=$1 RUNNER=${2:-} GO_PEER=${3:-} FC_PEER=${4:-}
PF=$B-prefetch/bin/scale
[ -x "$PF" ] || PF=
ROUNDS=${ROUNDS:-5}
. "$(dirname "$0")/figures.sh"
T=$(mktemp) R=$(mktemp)
trap 'rm -f "$T" "$R"' EXIT
CPU=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
[ -n "$RUNNER" ] && GO_PEER= FC_PEER=
if [ -n "$GO_PEER" ] && [ ! -x "$GO_PEER" ]; then
	go="SKIP: Go's goroutines not measured ($GO_PEER not built: the host has no go)"
	GO_PEER=
fi
if [ -n "$FC_PEER" ] && [ ! -x "$FC_PEER" ]; then
	fc="SKIP: boost.context's jump_fcontext not measured ($FC_PEER not built; install: apt-get install libboost-context-dev)"
	FC_PEER=
fi
{
	echo "Measured by \`make bench-scale\` on $(date -u +%Y-%m-%d): ${RUNNER:+under $RUNNER, on }$CPU."
	echo "Runtime: \`$(cat "$B/flags")\`."
	[ -n "$GO_PEER" ] && echo "Go: \`$(go version 2>/dev/null)\`, GOMAXPROCS=1 (bench/peers/scale.go)."
	[ -n "$FC_PEER" ] && echo "fcontext: boost.context's \`jump_fcontext\` (raw, no scheduler; bench/peers/scale_fcontext.cpp), each context on a \`fixedsize_stack\` of 16 KiB, the size of our chunks (a \`malloc\` each, one after another in glibc's heap; its default size, 128 KiB, would be an \`mmap\` each); spawn: \`allocate\` + \`make_fcontext\`; first run: a jump in and back; yield: a ring of jumps through all N and main; finish: a last jump in and back, and the stack freed."
	[ -n "$PF" ] && echo "*PREFETCH=4*: ours built with \`make PREFETCH=4\` (coroutine.h's CO_PREFETCH): each co_yield prefetches the saved registers of the coroutine 4 places ahead on the ready ring; the default build has no such instruction."
	echo "Each figure min-median-max over the runs (a fresh process each, the systems in turn): $ROUNDS at 10,000 and 100,000, 3 at 1,000,000."
	echo "Spawn, first run (each runs up to its first yield), finish (each returns): ns per coroutine; their sum beside it."
	echo "Yield: ns per yield, all alive, each coroutine and main yielding in turn for at least 300 ms (Go: runtime.Gosched)."
	echo "RSS: VmRSS growth per coroutine after the first run; Go's stack: runtime.MemStats.StackInuse per goroutine."
	echo
	echo "| live | system | spawn | first run | finish | spawn + first run + finish | yield | spawn all, ms | RSS/coroutine, bytes | Go's stack/goroutine, bytes |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
} > "$T"
cat "$T"
[ -n "${go:-}" ] && echo "$go" | tee -a "$T"
[ -n "${fc:-}" ] && echo "$fc" | tee -a "$T"

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
# stats SYSTEM COLUMN: "MIN MEDIAN MAX" of that column, as compare wants it
stats() {
	spread "$1" "$2" %.6g | awk -F- 'NF == 1 && $1 != "" { print $1, $1, $1 } NF == 3 { print $1, $2, $3 }'
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
		if [ -n "$PF" ] && line=$($RUNNER "$PF" $n 2>&1); then
			echo "$line" | awk '{ print "pf", $0, $2 + $3 + $5, $2 * $1 / 1e6 }' >> "$R"
		fi
		if [ -n "$GO_PEER" ] && line=$(GOMAXPROCS=1 "$GO_PEER" $n 2>&1); then
			echo "$line" | awk '{ print "go", $0, $2 + $3 + $5, $2 * $1 / 1e6 }' >> "$R"
		fi
		if [ -n "$FC_PEER" ] && line=$("$FC_PEER" $n 2>&1); then
			echo "$line" | awk '{ print "fc", $0, $2 + $3 + $5, $2 * $1 / 1e6 }' >> "$R"
		fi
	done
	# R's columns: system N spawn first yield finish rss stack sum spawn-ms
	if [ -n "$err" ]; then
		echo "| $n | coroutines | $err | | | | | | | |"
	else
		echo "| $n | **coroutines** | $(spread co 3) | $(spread co 4) | $(spread co 6) | $(spread co 9) | $(spread co 5) | $(spread co 10) | $(spread co 7 %d) | - |"
	fi | tee -a "$T"
	[ -n "$PF" ] && echo "| $n | coroutines, PREFETCH=4 | $(spread pf 3) | $(spread pf 4) | $(spread pf 6) | $(spread pf 9) | $(spread pf 5) | $(spread pf 10) | $(spread pf 7 %d) | - |" | tee -a "$T"
	if [ -n "$GO_PEER" ]; then
		echo "| $n | Go goroutines | $(spread go 3) | $(spread go 4) | $(spread go 6) | $(spread go 9) | $(spread go 5) | $(spread go 10) | $(spread go 7 %d) | $(spread go 8 %d) |" | tee -a "$T"
		# medians' ratios: coroutines / Go
		awk '$1 == "co" { s[++a] = $9; y[a] = $5 } $1 == "go" { gs[++b] = $9; gy[b] = $5 }
		     function med(x, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
		                                   return k % 2 ? x[(k + 1) / 2] : (x[k / 2] + x[k / 2 + 1]) / 2 }
		     END { if (a && b) printf "| %d | coroutines / Go (medians) | | | | %.3fx | %.3fx | | | |\n", '"$n"', med(s, a) / med(gs, b), med(y, a) / med(gy, b) }' "$R" | tee -a "$T"
	fi
	if [ -n "$FC_PEER" ]; then
		echo "| $n | fcontext (malloc'd 16 KiB stacks) | $(spread fc 3) | $(spread fc 4) | $(spread fc 6) | $(spread fc 9) | $(spread fc 5) | $(spread fc 10) | $(spread fc 7 %d) | - |" | tee -a "$T"
		[ -z "$err" ] && echo "| $n | co_yield / fcontext | | | | | $(compare "$(stats co 5)" "$(stats fc 5)" 1) | | | |" | tee -a "$T"
		[ -n "$PF" ] && echo "| $n | co_yield, PREFETCH=4 / fcontext | | | | | $(compare "$(stats pf 5)" "$(stats fc 5)" 1) | | | |" | tee -a "$T"
	fi
done
if [ -z "$RUNNER" ]; then
	echo; figures_write scale "$T"
fi
